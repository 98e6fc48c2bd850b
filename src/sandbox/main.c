/*
 * main.c - linkedin-sandbox.fcgi: the stand-in for LinkedIn on loopback.
 *
 * A separate FastCGI program with its own database (sandbox_db_name) that
 * speaks LinkedIn's side of the APIs hirelink uses.  It shares hirelink's
 * core, db, http and tmpl layers, never its domain or web code (it is
 * linked against libbase.a alone): hirelink's client must not be able to
 * tell it from LinkedIn but by the base URLs.
 * The wire contract is src/sandbox/README.md.
 *
 *   linkedin-sandbox.fcgi              serve on sandbox_listen
 *   linkedin-sandbox.fcgi migrate      apply sql/sandbox/NNN_*.sql
 *   linkedin-sandbox.fcgi seed         seed members, seats, the application
 *   linkedin-sandbox.fcgi credentials [N]  print seeded application N's
 *                                      (default 1) client_id,
 *                                      client_secret, URNs
 *
 * This file holds the dispatcher, the token and loopback helpers, the
 * home page and the verbs; the endpoints live in oauth.c, api.c and
 * control.c, the replies they share in reply.c, the limits every request
 * meets first and query tunnelling in tunnel.c.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/sandbox.h"

/* ------------------------------------------------------------ helpers */

void sb_token_hash(const char *token, unsigned char out[SHA256_LEN])
{
	crypto_sha256(token, strlen(token), out);
}

char *sb_token_new(struct arena *a, size_t random_bytes)
{
	static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				     "opqrstuvwxyz0123456789-_";
	unsigned char raw[96];
	char *out;
	size_t i, o = 2;

	if (random_bytes > sizeof(raw) || random_bytes % 3)
		return NULL;
	if (crypto_random(raw, random_bytes) < 0)
		return NULL;
	out = arena_alloc(a, 2 + random_bytes / 3 * 4 + 1);
	if (!out)
		return NULL;
	/* LinkedIn's tokens start with "AQ"; the rest is opaque. */
	out[0] = 'A';
	out[1] = 'Q';
	for (i = 0; i < random_bytes; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 |
			     (unsigned)raw[i + 1] << 8 | raw[i + 2];
		out[o++] = b64url[(v >> 18) & 63];
		out[o++] = b64url[(v >> 12) & 63];
		out[o++] = b64url[(v >> 6) & 63];
		out[o++] = b64url[v & 63];
	}
	out[o] = '\0';
	crypto_wipe(raw, sizeof(raw));
	return out;
}

bool sb_loopback(const struct http_request *r)
{
	const char *a = r->remote_addr;
	return a && (!strncmp(a, "127.", 4) || !strcmp(a, "::1") ||
		     !strncmp(a, "::ffff:127.", 11));
}

/* ------------------------------------------------------------ pages */

void sb_home(struct sb_ctx *c)
{
	struct db_row r;
	struct db_result res;
	json_t *ctx, *holders, *profiles;
	/* the generated members; the crafted ones (issue 15's matching
	 * tests) are counted apart */
	int rc = db_query_row(c->db, c->a, &r,
			      "SELECT SUM(crafted IS NULL),"
			      " SUM(crafted IS NOT NULL) FROM members",
			      "");
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	holders = sb_seat_holders(c);
	if (!holders) {
		sb_db_fail(c);
		return;
	}
	/* a few members to open in Recruiter */
	if (db_query(c->db, c->a, &res,
		     "SELECT urn_id, first_name, last_name, headline"
		     " FROM members WHERE seat = 'none' ORDER BY id LIMIT 5",
		     "") != DB_OK) {
		json_decref(holders);
		sb_db_fail(c);
		return;
	}
	profiles = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		json_array_append_new(
		    profiles, json_pack("{s:s, s:s, s:s, s:s}", "id", v[0],
					"firstName", v[1], "lastName", v[2],
					"headline", v[3]));
	}
	ctx = json_pack(
	    "{s:I, s:o, s:s+, s:s+, s:s, s:o}", "members",
	    (json_int_t)db_int(&r, 0), "applications",
	    sb_applications_json(c->app), "organization",
	    "urn:li:organization:",
	    arena_printf(c->a, "%lld", (long long)c->app->ids.organization_id),
	    "contract", "urn:li:contract:",
	    arena_printf(c->a, "%lld", (long long)c->app->ids.contract_id),
	    "redirect_uri", c->app->redirect_uri, "holders", holders);
	if (ctx) {
		json_object_set_new(ctx, "profiles", profiles);
		json_object_set_new(ctx, "crafted",
				    json_integer(db_int(&r, 1)));
	}
	else
		json_decref(profiles);
	sb_page(c, 200, "sandbox/home", ctx);
}

void sb_healthz(struct sb_ctx *c)
{
	int ok = db_ping(c->db) == DB_OK;
	c->res->status = ok ? 200 : 503;
	c->res->content_type = "application/json";
	buf_adds(&c->res->body,
		 ok ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\"}");
}

/* ------------------------------------------------------------ dispatch */

/* Finds the request's route and runs its handler, or answers LinkedIn's 404,
 * or its 405 with the methods the path has in Allow. */
static void dispatch(struct sb_ctx *c)
{
	unsigned allowed;
	int i = http_route_find(&sb_routes[0].route, sizeof(sb_routes[0]),
				sb_nroutes, c->req->method, c->req->path, c->a,
				&c->match, &allowed);
	const char *allow;

	if (i == HTTP_ROUTE_NOT_FOUND) {
		sb_api_error(c, 404, 0, "Resource not found");
		return;
	}
	if (i == HTTP_ROUTE_BAD_METHOD) {
		sb_api_error(c, 405, 0, "Method Not Allowed");
		if ((allow = http_methods_list(c->a, allowed)))
			http_header_add(c->res, "Allow", allow);
		return;
	}
	sb_routes[i].handler(c);
}

static void *thread_init(void *app, int index)
{
	struct sb_app *sa = app;
	struct sb_worker *w = calloc(1, sizeof(*w));
	struct db_options o = {
	    .host = sa->cfg->db_host,
	    .port = (unsigned)sa->cfg->db_port,
	    .socket = sa->cfg->db_socket,
	    .user = sa->cfg->db_user,
	    .password = sa->cfg->db_password,
	    .name = sa->cfg->sandbox_db_name,
	};

	if (!w)
		return NULL;
	w->app = sa;
	if (!(w->db = db_open(&o))) {
		free(w);
		return NULL;
	}
	return w;
}

static void thread_done(void *p)
{
	struct sb_worker *w = p;
	if (w) {
		db_close(w->db);
		free(w);
	}
}

static void handle(void *thread_ctx, struct http_request *req,
		   struct http_response *res)
{
	struct sb_worker *w = thread_ctx;
	struct sb_ctx c = {.app = w->app,
			   .db = w->db,
			   .req = req,
			   .res = res,
			   .a = req->arena};

	/* LinkedIn's edge refuses a long URL before anything else */
	if (sb_url_too_long(&c))
		return;
	if (req->error.status) {
		sb_request_error(&c, req->error.status, req->error.message);
		return;
	}
	enum sb_fault fault = SB_FAULT_NONE;
	if (!sb_untunnel(&c) || sb_inject_failure(&c, &fault))
		return;
	dispatch(&c);
	sb_apply_fault(&c, fault);
}

/* ------------------------------------------------------------ verbs */

static struct db *open_db(const struct config *cfg)
{
	struct db_options o = {
	    .host = cfg->db_host,
	    .port = (unsigned)cfg->db_port,
	    .socket = cfg->db_socket,
	    .user = cfg->db_user,
	    .password = cfg->db_password,
	    .name = cfg->sandbox_db_name,
	    .read_timeout_s = 60,
	};
	return db_open(&o);
}

static int verb_migrate(const struct config *cfg)
{
	struct db *db = open_db(cfg);
	char *dir = NULL;
	int rc = 1;

	if (db && asprintf(&dir, "%s/sandbox", cfg->sql_dir) > 0)
		rc = db_migrate(db, dir) == DB_OK ? 0 : 1;
	if (rc)
		fprintf(stderr, "linkedin-sandbox: migrate failed: %s\n",
			db ? db_error(db) : "out of memory");
	free(dir);
	db_close(db);
	return rc;
}

static int verb_seed(const struct sb_app *app)
{
	struct db *db = open_db(app->cfg);
	int rc = 1;

	if (db)
		rc = sb_seed(db, app->cfg, &app->ids, app->redirect_uri) == 0
			 ? 0
			 : 1;
	if (rc)
		fprintf(stderr, "linkedin-sandbox: seed failed\n");
	db_close(db);
	return rc;
}

/* `credentials [N]`: application N's (1 when not given). */
static int verb_credentials(const struct sb_app *app, const char *which)
{
	int64_t n = 1;
	const struct sb_client *cl;

	if (which && (parse_i64(which, &n) < 0 || n < 1 || n > SB_APPS)) {
		fprintf(stderr,
			"linkedin-sandbox: credentials takes an application "
			"number from 1 to %d\n",
			SB_APPS);
		return 2;
	}
	cl = &app->ids.apps[n - 1];
	printf("client_id=%s\nclient_secret=%s\n"
	       "organization=urn:li:organization:%lld\n"
	       "contract=urn:li:contract:%lld\nredirect_uri=%s\n",
	       cl->client_id, cl->client_secret,
	       (long long)app->ids.organization_id,
	       (long long)app->ids.contract_id, app->redirect_uri);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* The consent form's HMAC key: from hirelink's secret_key when there is
 * one (so it survives restarts), else random for this process. */
static void consent_key(struct sb_app *app)
{
	static const char label[] = "linkedin-sandbox consent";
	if (app->cfg->secret_key_set)
		crypto_hmac_sha256(app->cfg->secret_key, AES_KEY_LEN, label,
				   sizeof(label) - 1, app->consent_key);
	else if (crypto_random(app->consent_key, sizeof(app->consent_key)) < 0)
		crypto_sha256(label, sizeof(label) - 1, app->consent_key);
}

int main(int argc, char **argv)
{
	static struct config cfg;
	struct sb_app app = {.cfg = &cfg};
	const char *path = getenv("HIRELINK_CONFIG");
	const char *verb = argc > 1 ? argv[1] : "serve";
	char err[512];
	int rc = 1;

	config_defaults(&cfg);
	if (config_load(&cfg, path && *path ? path : "hirelink.conf", err,
			sizeof(err)) < 0) {
		fprintf(stderr, "linkedin-sandbox: %s\n", err);
		return 1;
	}
	{
		enum log_level lvl;
		if (log_level_parse(cfg.log_level, &lvl) == 0)
			log_set_level(lvl);
	}
	sb_ids_derive(&cfg, &app.ids);
	if (asprintf(&app.redirect_uri, "%s/settings/linkedin/callback",
		     cfg.public_base_url) < 0) {
		app.redirect_uri = NULL;
		goto out;
	}
	consent_key(&app);
	sb_member_keys(&app);
	if (!strcmp(verb, "migrate")) {
		rc = verb_migrate(&cfg);
		goto out;
	}
	if (!strcmp(verb, "seed")) {
		rc = verb_seed(&app);
		goto out;
	}
	if (!strcmp(verb, "credentials")) {
		rc = verb_credentials(&app, argc > 2 ? argv[2] : NULL);
		goto out;
	}
	if (strcmp(verb, "serve") != 0) {
		fprintf(stderr, "usage: linkedin-sandbox.fcgi "
				"[serve|migrate|seed|credentials [N]]\n");
		rc = 2;
		goto out;
	}
	app.templates = tmpl_set_load(cfg.templates_dir, err, sizeof(err));
	if (!app.templates) {
		fprintf(stderr, "linkedin-sandbox: %s\n", err);
		goto out;
	}
	http_limits_default(&app.limits);
	app.limits.max_fields = SB_MAX_FIELDS;
	/* the push notifications go out with libcurl */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "linkedin-sandbox: cannot initialise libcurl\n");
		tmpl_set_free(app.templates);
		goto out;
	}
	if (sb_deliveries_start(&app) < 0) {
		fprintf(stderr,
			"linkedin-sandbox: cannot start the delivery runner\n");
		curl_global_cleanup();
		tmpl_set_free(app.templates);
		goto out;
	}
	/* The consent form redirects to hirelink's callback: browsers check
	 * form-action against that redirect.  The sandbox's own origin
	 * (linkedin_platform_base) is there too, so that its widget demo
	 * page (/sandbox/widget-demo) may frame the widget. */
	char *origins = NULL;
	if (asprintf(&origins, "%s %s", cfg.public_base_url,
		     cfg.linkedin_platform_base) < 0)
		origins = NULL;
	struct http_server srv = {
	    .listen = cfg.sandbox_listen,
	    .threads = 4,
	    .limits = &app.limits,
	    .security = {.csp_extra_origins =
			     origins ? origins : cfg.public_base_url},
	    .app = &app,
	    .thread_init = thread_init,
	    .thread_done = thread_done,
	    .handler = handle,
	};
	rc = http_serve(&srv) == 0 ? 0 : 1;
	free(origins);
	sb_deliveries_stop(&app);
	curl_global_cleanup();
	tmpl_set_free(app.templates);
out:
	free(app.redirect_uri);
	crypto_wipe(app.consent_key, sizeof(app.consent_key));
	crypto_wipe(app.member_key, sizeof(app.member_key));
	crypto_wipe(app.csrf_key, sizeof(app.csrf_key));
	crypto_wipe(app.signin_key, sizeof(app.signin_key));
	config_free(&cfg);
	return rc;
}
