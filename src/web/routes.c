/*
 * routes.c - the route table: every URL hirelink answers, the methods and
 * roles it admits.  The permission tests walk this table.
 */
#include "web/web.h"

#define ANY ROLE_ANY_USER
/* Talent pools: recruiters and admins (access.h). */
#define POOLS (ROLE_ADMIN | ROLE_RECRUITER)

const struct web_route web_routes[] = {
	{{HTTP_GET, "/"}, web_home, 0, ROUTE_PUBLIC, "GET /"},
	{{HTTP_GET, "/login"}, web_login_form, 0, ROUTE_PUBLIC, "GET /login"},
	{{HTTP_POST, "/login"}, web_login, 0, ROUTE_PUBLIC, "POST /login"},
	{{HTTP_POST, "/logout"}, web_logout, ANY, 0, "POST /logout"},
	{{HTTP_GET, "/jobs"}, web_jobs_list, ANY, 0, "GET /jobs"},
	{{HTTP_POST, "/jobs"}, web_job_create, ROLE_ADMIN | ROLE_RECRUITER, 0,
	 "POST /jobs"},
	{{HTTP_GET, "/jobs/new"}, web_job_new, ROLE_ADMIN | ROLE_RECRUITER, 0,
	 "GET /jobs/new"},
	{{HTTP_GET, "/jobs/{id}"}, web_job_show, ANY, 0, "GET /jobs/{id}"},
	{{HTTP_POST, "/jobs/{id}"}, web_job_update, ROLE_ADMIN | ROLE_RECRUITER,
	 0, "POST /jobs/{id}"},
	{{HTTP_POST, "/jobs/{id}/activate"}, web_job_activate,
	 ROLE_ADMIN | ROLE_RECRUITER, 0, "POST /jobs/{id}/activate"},
	{{HTTP_POST, "/jobs/{id}/close"}, web_job_close,
	 ROLE_ADMIN | ROLE_RECRUITER, 0, "POST /jobs/{id}/close"},
	{{HTTP_POST, "/jobs/{id}/members"}, web_job_members,
	 ROLE_ADMIN | ROLE_RECRUITER, 0, "POST /jobs/{id}/members"},
	{{HTTP_POST, "/jobs/{id}/stages"}, web_job_stages,
	 ROLE_ADMIN | ROLE_RECRUITER, 0, "POST /jobs/{id}/stages"},
	/* @jobs-routes: add jobs routes above this line */
	{{HTTP_POST, "/applications"}, web_application_create,
	 ROLE_ADMIN | ROLE_RECRUITER, 0, "POST /applications"},
	{{HTTP_GET, "/applications/{id}"}, web_application_show, ANY, 0,
	 "GET /applications/{id}"},
	{{HTTP_POST, "/applications/{id}/move"}, web_application_move,
	 ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0,
	 "POST /applications/{id}/move"},
	{{HTTP_POST, "/applications/{id}/reject"}, web_application_reject,
	 ROLE_ADMIN | ROLE_RECRUITER, 0, "POST /applications/{id}/reject"},
	{{HTTP_POST, "/applications/{id}/hire"}, web_application_hire,
	 ROLE_ADMIN | ROLE_RECRUITER, 0, "POST /applications/{id}/hire"},
	{{HTTP_POST, "/applications/{id}/withdraw"}, web_application_withdraw,
	 ROLE_ADMIN | ROLE_RECRUITER, 0, "POST /applications/{id}/withdraw"},
	{{HTTP_POST, "/applications/{id}/feedback"}, web_application_feedback,
	 ANY, 0, "POST /applications/{id}/feedback"},
	/* @applications-routes: add application routes above this line */
	{{HTTP_GET, "/candidates"}, web_candidates_list, ANY, 0,
	 "GET /candidates"},
	{{HTTP_POST, "/candidates"}, web_candidate_create,
	 ROLE_ADMIN | ROLE_RECRUITER, 0, "POST /candidates"},
	{{HTTP_GET, "/candidates/new"}, web_candidate_new,
	 ROLE_ADMIN | ROLE_RECRUITER, 0, "GET /candidates/new"},
	{{HTTP_GET, "/candidates/{id}"}, web_candidate_show, ANY, 0,
	 "GET /candidates/{id}"},
	{{HTTP_POST, "/candidates/{id}"}, web_candidate_update,
	 ROLE_ADMIN | ROLE_RECRUITER, 0, "POST /candidates/{id}"},
	{{HTTP_POST, "/candidates/{id}/notes"}, web_candidate_note_create,
	 ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0,
	 "POST /candidates/{id}/notes"},
	{{HTTP_POST, "/notes/{id}"}, web_note_update,
	 ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0,
	 "POST /notes/{id}"},
	{{HTTP_POST, "/notes/{id}/delete"}, web_note_delete,
	 ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0,
	 "POST /notes/{id}/delete"},
	{{HTTP_POST, "/candidates/{id}/attachments"},
	 web_candidate_attachment_create,
	 ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER, 0,
	 "POST /candidates/{id}/attachments"},
	{{HTTP_GET, "/attachments/{id}"}, web_attachment_download, ANY,
	 ROUTE_NO_LAYOUT, "GET /attachments/{id}"},
	/* @candidates-routes: add candidate routes above this line */
	{{HTTP_GET, "/pools"}, web_pools_list, POOLS, 0, "GET /pools"},
	{{HTTP_POST, "/pools"}, web_pool_create, POOLS, 0, "POST /pools"},
	{{HTTP_GET, "/pools/{id}"}, web_pool_show, POOLS, 0, "GET /pools/{id}"},
	{{HTTP_POST, "/pools/{id}"}, web_pool_rename, POOLS, 0, "POST /pools/{id}"},
	{{HTTP_POST, "/pools/{id}/delete"}, web_pool_delete, POOLS, 0,
	 "POST /pools/{id}/delete"},
	{{HTTP_POST, "/pools/{id}/members"}, web_pool_members, POOLS, 0,
	 "POST /pools/{id}/members"},
	/* @pools-routes: add pool routes above this line */
	{{HTTP_GET, "/admin/users"}, web_admin_users, ROLE_ADMIN, 0,
	 "GET /admin/users"},
	{{HTTP_POST, "/admin/users"}, web_admin_user_create, ROLE_ADMIN, 0,
	 "POST /admin/users"},
	{{HTTP_POST, "/admin/users/{id}"}, web_admin_user_update, ROLE_ADMIN, 0,
	 "POST /admin/users/{id}"},
	{{HTTP_POST, "/admin/users/{id}/deactivate"}, web_admin_user_deactivate,
	 ROLE_ADMIN, 0, "POST /admin/users/{id}/deactivate"},
	{{HTTP_POST, "/admin/users/{id}/activate"}, web_admin_user_activate,
	 ROLE_ADMIN, 0, "POST /admin/users/{id}/activate"},
	{{HTTP_GET, "/settings/user"}, web_settings_user, ANY, 0,
	 "GET /settings/user"},
	{{HTTP_POST, "/settings/user/password"}, web_settings_password, ANY, 0,
	 "POST /settings/user/password"},
	/* @people-routes: add admin/settings routes above this line */
	{{HTTP_GET, "/admin/linkedin"}, web_linkedin_admin, ROLE_ADMIN, 0,
	 "GET /admin/linkedin"},
	{{HTTP_POST, "/admin/linkedin"}, web_linkedin_admin_save, ROLE_ADMIN, 0,
	 "POST /admin/linkedin"},
	{{HTTP_POST, "/admin/linkedin/test"}, web_linkedin_admin_test, ROLE_ADMIN,
	 0, "POST /admin/linkedin/test"},
	{{HTTP_GET, "/settings/linkedin"}, web_linkedin_settings, ANY, 0,
	 "GET /settings/linkedin"},
	{{HTTP_GET, "/settings/linkedin/connect"}, web_linkedin_connect, ANY, 0,
	 "GET /settings/linkedin/connect"},
	{{HTTP_GET, "/settings/linkedin/callback"}, web_linkedin_callback, ANY, 0,
	 "GET /settings/linkedin/callback"},
	{{HTTP_POST, "/settings/linkedin/disconnect"}, web_linkedin_disconnect,
	 ANY, 0, "POST /settings/linkedin/disconnect"},
	{{HTTP_POST, "/settings/linkedin/check"}, web_linkedin_check, ANY, 0,
	 "POST /settings/linkedin/check"},
	{{HTTP_POST, "/browser-notice/dismiss"}, web_linkedin_ie11_dismiss, 0,
	 ROUTE_PUBLIC, "POST /browser-notice/dismiss"},
	/* @linkedin-routes: add LinkedIn routes above this line */
	{{HTTP_GET, "/healthz"}, web_healthz, 0, ROUTE_PUBLIC | ROUTE_NO_LAYOUT,
	 "GET /healthz"},
	{{HTTP_GET, "/metrics"}, web_metrics, 0, ROUTE_PUBLIC | ROUTE_NO_LAYOUT,
	 "GET /metrics"},
};

const size_t web_nroutes = ARRAY_LEN(web_routes);

/* Every template a handler names; start-up fails when one is missing. */
const char *const web_templates[] = {
	"layout", "errors/error", "auth/login", "jobs/list", "jobs/rows",
	"jobs/form", "jobs/show",
	"applications/show",
	"pools/list", "pools/show", "admin/users", "settings/user",
	"settings/connections",
	"linkedin/admin",
	"candidates/list", "candidates/form", "candidates/show",
	/* @templates: add template names above this line */
};

const size_t web_ntemplates = ARRAY_LEN(web_templates);
