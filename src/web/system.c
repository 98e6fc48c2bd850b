/*
 * system.c - the pages for machines: /healthz for load balancers and
 * /metrics for Prometheus; and "/", which sends people where they belong.
 */
#include <string.h>
#include <strings.h>

#include "ats/candidates.h"
#include "ats/outbox.h"
#include "core/crypto.h"
#include "web/web.h"

const char *web_home_path(const struct user *u)
{
	switch (u->role) {
	case ROLE_INTERVIEWER:
		return "/feedback";
	case ROLE_HIRING_MANAGER:
		return "/review";
	default:
		return "/jobs";
	}
}

int web_home(struct ctx *c)
{
	return web_see_other(c, c->session ? web_home_path(&c->session->user)
					   : "/login");
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

/* Who may read /metrics (config metrics_token): a request carrying
 * "Authorization: Bearer <metrics_token>" (compared in constant time; no
 * session read, so it answers while MariaDB is away), or an admin signed
 * in.  No address is trusted: any local user may connect to nginx, and
 * REMOTE_ADDR is whatever the FastCGI client says.  0, or the status:
 * 401 (with WWW-Authenticate) to a request without the token or a session,
 * 403 to anyone else. */
static int metrics_reader(struct ctx *c)
{
	const char *auth = c->req->authorization;
	const char *token = c->cfg->metrics_token;
	if (*auth) {
		size_t n = strlen(token);
		if (n && !strncasecmp(auth, "Bearer ", 7) &&
		    strlen(auth + 7) == n && crypto_equal(auth + 7, token, n))
			return 0;
		http_header_add(c->res, "WWW-Authenticate",
				"Bearer realm=\"hirelink metrics\", "
				"error=\"invalid_token\"");
		return 401;
	}
	int status = web_session(c);
	if (status)
		return status;
	if (!c->session) {
		http_header_add(c->res, "WWW-Authenticate",
				"Bearer realm=\"hirelink metrics\"");
		return 401;
	}
	return c->session->user.role == ROLE_ADMIN ? 0 : 403;
}

/* A Prometheus label value: backslash and double quote escaped. */
static void add_label(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			buf_addc(b, '\\');
		buf_addc(b, *s == '\n' ? ' ' : *s);
	}
}

/* The outbox's gauges, read from MariaDB (every process and worker shares
 * the table); left out when the database does not answer. */
static void outbox_metrics(struct ctx *c)
{
	struct ats_outbox_status st;
	struct buf *b = &c->res->body;
	if (ats_outbox_status(c->db, c->arena, 0, &st) != DB_OK)
		return;
	static const char *const series[] = {
	    "pending", "due", "dead", "kind_oldest_pending_seconds",
	    "last_error_age_seconds"};
	static const char *const help[] = {
	    "Outbox rows waiting to reach LinkedIn, by kind.",
	    "Pending outbox rows due now (waiting for a worker), by kind.",
	    "Outbox rows that failed for good, until an admin retries them.",
	    "Age of the oldest change of a kind not sent to LinkedIn yet.",
	    "Time since a kind's last failure to reach LinkedIn (its text: "
	    "/admin/linkedin).",
	};
	for (size_t i = 0; i < ARRAY_LEN(series); i++) {
		buf_addf(b,
			 "# HELP hirelink_outbox_%s %s\n"
			 "# TYPE hirelink_outbox_%s gauge\n",
			 series[i], help[i], series[i]);
		for (size_t k = 0; k < st.nkinds; k++) {
			const struct ats_outbox_kind_stats *ks = &st.kinds[k];
			int64_t v = i == 0   ? ks->pending
				    : i == 1 ? ks->due
				    : i == 2 ? ks->dead
				    : i == 3 ? ks->oldest_pending_s
					     : ks->last_error_age_s;
			if (v < 0)
				continue; /* none */
			buf_addf(b, "hirelink_outbox_%s{kind=\"", series[i]);
			add_label(b, ks->kind);
			buf_addf(b, "\"} %lld\n", (long long)v);
		}
	}
	buf_addf(
	    b,
	    "# HELP hirelink_outbox_oldest_pending_seconds Age of the "
	    "oldest change not sent to LinkedIn yet (0: none).\n"
	    "# TYPE hirelink_outbox_oldest_pending_seconds gauge\n"
	    "hirelink_outbox_oldest_pending_seconds %lld\n",
	    (long long)(st.oldest_pending_s > 0 ? st.oldest_pending_s : 0));
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
	    "# HELP hirelink_fragment_cache_total Jobs lists, candidate "
	    "page heads and LinkedIn tabs served from the fragment cache "
	    "(hit) or read again (miss).\n"
	    "# TYPE hirelink_fragment_cache_total counter\n"
	    "hirelink_fragment_cache_total{result=\"hit\"} %lu\n"
	    "hirelink_fragment_cache_total{result=\"miss\"} %lu\n",
	    hits, misses);
	outbox_metrics(c);
	int64_t temporaries, orphans;
	if (ats_uploads_swept(c->db, c->arena, &temporaries, &orphans) == DB_OK)
		buf_addf(&c->res->body,
			 "# HELP hirelink_uploads_swept_total Files interrupted "
			 "uploads left in data_dir, removed: temporaries and "
			 "stored files no attachment names (orphans).\n"
			 "# TYPE hirelink_uploads_swept_total counter\n"
			 "hirelink_uploads_swept_total{kind=\"temporary\"} "
			 "%lld\n"
			 "hirelink_uploads_swept_total{kind=\"orphan\"} %lld\n",
			 (long long)temporaries, (long long)orphans);
	return 200;
}
