/*
 * routes.c - the route table: every URL hirelink answers, the methods and
 * roles it admits.  The permission tests walk this table.
 */
#include "web/web.h"

#define ANY ROLE_ANY_USER

const struct web_route web_routes[] = {
	{{HTTP_GET, "/"}, web_home, 0, ROUTE_PUBLIC, "GET /"},
	{{HTTP_GET, "/login"}, web_login_form, 0, ROUTE_PUBLIC, "GET /login"},
	{{HTTP_POST, "/login"}, web_login, 0, ROUTE_PUBLIC, "POST /login"},
	{{HTTP_POST, "/logout"}, web_logout, ANY, 0, "POST /logout"},
	{{HTTP_GET, "/jobs"}, web_jobs_list, ANY, 0, "GET /jobs"},
	/* @jobs-routes: add jobs routes above this line */
	/* @applications-routes: add application routes above this line */
	/* @candidates-routes: add candidate routes above this line */
	/* @pools-routes: add pool routes above this line */
	/* @people-routes: add admin/settings routes above this line */
	/* @linkedin-routes: add LinkedIn routes above this line */
	{{HTTP_GET, "/healthz"}, web_healthz, 0, ROUTE_PUBLIC | ROUTE_NO_LAYOUT,
	 "GET /healthz"},
	{{HTTP_GET, "/metrics"}, web_metrics, 0, ROUTE_PUBLIC | ROUTE_NO_LAYOUT,
	 "GET /metrics"},
};

const size_t web_nroutes = ARRAY_LEN(web_routes);

/* Every template a handler names; start-up fails when one is missing. */
const char *const web_templates[] = {
	"layout", "errors/error", "auth/login", "jobs/list",
	/* @templates: add template names above this line */
};

const size_t web_ntemplates = ARRAY_LEN(web_templates);
