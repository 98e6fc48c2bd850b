/*
 * system.c - the pages for machines: /healthz for load balancers and
 * /metrics for Prometheus; and "/", which sends people where they belong.
 */
#include <string.h>

#include "web/web.h"

int web_home(struct ctx *c)
{
	return web_see_other(c, c->session ? "/jobs" : "/login");
}

int web_healthz(struct ctx *c)
{
	int rc = db_ping(c->db);
	c->res->content_type = "application/json";
	buf_adds(&c->res->body, rc == DB_OK ? "{\"status\":\"ok\",\"db\":\"ok\"}"
					    : "{\"status\":\"unavailable\","
					      "\"db\":\"unreachable\"}");
	if (rc != DB_OK)
		http_header_add(c->res, "Retry-After", "5");
	return rc == DB_OK ? 200 : 503;
}

static bool loopback(const char *addr)
{
	return addr && (!strncmp(addr, "127.", 4) || !strcmp(addr, "::1"));
}

/* Who may read /metrics: from this machine when metrics_allow is
 * "loopback" (no session read), else an admin.  0, or the status. */
static int metrics_reader(struct ctx *c)
{
	if (strcmp(c->cfg->metrics_allow, "loopback") == 0 &&
	    loopback(c->req->remote_addr))
		return 0;
	int status = web_session(c);
	if (status)
		return status;
	return c->session && c->session->user.role == ROLE_ADMIN ? 0 : 403;
}

int web_metrics(struct ctx *c)
{
	int status = metrics_reader(c);
	if (status)
		return status;
	c->res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_render(c->w->app->metrics, &c->res->body);
	unsigned long hits, misses;
	fragcache_stats(c->w->app->frags, &hits, &misses);
	buf_addf(
	    &c->res->body,
	    "# HELP hirelink_fragment_cache_total Jobs lists and candidate "
	    "page heads served from the fragment cache (hit) or read "
	    "again (miss).\n"
	    "# TYPE hirelink_fragment_cache_total counter\n"
	    "hirelink_fragment_cache_total{result=\"hit\"} %lu\n"
	    "hirelink_fragment_cache_total{result=\"miss\"} %lu\n",
	    hits, misses);
	return 200;
}
