/*
 * main.c - linkedin-sandbox.fcgi: the stand-in for LinkedIn on loopback.
 *
 * A separate FastCGI program with its own database (sandbox_db_name) that
 * speaks LinkedIn's side of the APIs hirelink uses.  It shares hirelink's
 * core, db, http and tmpl layers, never its domain or web code: hirelink's
 * client must not be able to tell it from LinkedIn but by the base URLs.
 *
 *   linkedin-sandbox.fcgi            serve on sandbox_listen
 *   linkedin-sandbox.fcgi migrate    apply sql/sandbox/NNN_*.sql
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "db/db.h"
#include "http/http.h"
#include "tmpl/tmpl.h"

static struct config cfg;
static struct tmpl_set *templates;

struct sb_worker {
	struct db *db;
};

static struct db *open_db(void)
{
	struct db_options o = {
		.host = cfg.db_host,
		.port = (unsigned)cfg.db_port,
		.socket = cfg.db_socket,
		.user = cfg.db_user,
		.password = cfg.db_password,
		.name = cfg.sandbox_db_name,
	};
	return db_open(&o);
}

static void *thread_init(void *app, int index)
{
	struct sb_worker *w = calloc(1, sizeof(*w));
	if (w && !(w->db = open_db())) {
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

static void page(struct http_response *res, const char *name, json_t *ctx)
{
	json_object_set_new(ctx, "title", json_string("LinkedIn sandbox"));
	json_object_set_new(ctx, "csrf", json_string(""));
	if (tmpl_render_page(templates, "layout", name, ctx, &res->body) < 0)
		res->status = 500;
}

static void handle(void *thread_ctx, struct http_request *req,
		   struct http_response *res)
{
	struct sb_worker *w = thread_ctx;
	struct db_row r;

	if (req->error.status) {
		res->status = req->error.status;
		res->content_type = "application/json";
		buf_addf(&res->body, "{\"status\":%d,\"message\":\"bad request\"}",
			 req->error.status);
		return;
	}
	if (!strcmp(req->path, "/healthz")) {
		int ok = db_ping(w->db) == DB_OK;
		res->status = ok ? 200 : 503;
		res->content_type = "application/json";
		buf_adds(&res->body, ok ? "{\"status\":\"ok\"}"
					: "{\"status\":\"unavailable\"}");
		return;
	}
	if (!strcmp(req->path, "/") && (req->method & (HTTP_GET | HTTP_HEAD))) {
		int rc = db_query_row(w->db, req->arena, &r,
				      "SELECT COUNT(*) FROM members", "");
		if (rc != DB_OK) {
			res->status = 503;
			buf_adds(&res->body, "LinkedIn sandbox: database unavailable");
			return;
		}
		json_t *ctx = json_pack("{s:I}", "members", (json_int_t)db_int(&r, 0));
		page(res, "sandbox/home", ctx);
		json_decref(ctx);
		return;
	}
	/* LinkedIn's error body shape for unknown resources */
	res->status = 404;
	res->content_type = "application/json";
	buf_adds(&res->body, "{\"serviceErrorCode\":0,\"message\":\"Resource not "
			     "found\",\"status\":404}");
}

int main(int argc, char **argv)
{
	const char *path = getenv("HIRELINK_CONFIG");
	char err[512];
	int rc = 1;

	config_defaults(&cfg);
	if (config_load(&cfg, path && *path ? path : "hirelink.conf", err,
			sizeof(err)) < 0) {
		fprintf(stderr, "linkedin-sandbox: %s\n", err);
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "migrate")) {
		struct db *db = open_db();
		char *dir = NULL;
		if (db && asprintf(&dir, "%s/sandbox", cfg.sql_dir) > 0)
			rc = db_migrate(db, dir) == DB_OK ? 0 : 1;
		if (rc)
			fprintf(stderr, "linkedin-sandbox: migrate failed: %s\n",
				db ? db_error(db) : "out of memory");
		free(dir);
		db_close(db);
		goto out;
	}
	templates = tmpl_set_load(cfg.templates_dir, err, sizeof(err));
	if (!templates) {
		fprintf(stderr, "linkedin-sandbox: %s\n", err);
		goto out;
	}
	struct http_limits limits;
	http_limits_default(&limits);
	struct http_server srv = {
		.listen = cfg.sandbox_listen,
		.threads = 4,
		.limits = &limits,
		.thread_init = thread_init,
		.thread_done = thread_done,
		.handler = handle,
	};
	rc = http_serve(&srv) == 0 ? 0 : 1;
	tmpl_set_free(templates);
out:
	config_free(&cfg);
	return rc;
}
