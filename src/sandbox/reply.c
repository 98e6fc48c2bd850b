/*
 * reply.c - the sandbox's answers, shared by every endpoint: JSON, LinkedIn's
 * API and OAuth error bodies (and the one of the two a request refused
 * before any endpoint gets), HTML pages in the sandbox's layout, and the
 * answer to a database failure (JSON or HTML by path, as LinkedIn would).
 */
#include <stdlib.h>
#include <string.h>

#include "sandbox/sandbox.h"

void sb_json(struct sb_ctx *c, int status, json_t *json)
{
	char *text = json ? json_dumps(json, JSON_COMPACT) : NULL;

	c->res->status = status;
	c->res->content_type = "application/json";
	http_header_add(c->res, "Cache-Control", "no-store");
	if (text)
		buf_adds(&c->res->body, text);
	else
		c->res->status = 500;
	free(text);
	json_decref(json);
}

void sb_api_error(struct sb_ctx *c, int status, int code, const char *message)
{
	sb_json(c, status,
		json_pack("{s:i, s:s, s:i}", "serviceErrorCode", code,
			  "message", message, "status", status));
}

void sb_oauth_error(struct sb_ctx *c, int status, const char *error,
		    const char *description)
{
	sb_json(c, status,
		json_pack("{s:s, s:s}", "error", error, "error_description",
			  description));
}

void sb_request_error(struct sb_ctx *c, int status, const char *message)
{
	if (!strncmp(c->req->path, "/oauth/", 7))
		sb_oauth_error(c, status, "invalid_request", message);
	else
		sb_api_error(c, status, 0, message);
}

void sb_page(struct sb_ctx *c, int status, const char *name, json_t *ctx)
{
	if (!ctx) {
		c->res->status = 500;
		buf_adds(&c->res->body, "LinkedIn sandbox: out of memory");
		return;
	}
	if (!json_object_get(ctx, "title"))
		json_object_set_new(ctx, "title",
				    json_string("LinkedIn sandbox"));
	/* the layout's brand and title name the sandbox, not hirelink */
	json_object_set_new(ctx, "site", json_string("LinkedIn sandbox"));
	/* a signed-in member's pages carry their token (signin.c) */
	if (!json_object_get(ctx, "csrf"))
		json_object_set_new(ctx, "csrf", json_string(""));
	c->res->status = status;
	if (tmpl_render_page(c->app->templates, "layout", name, ctx,
			     &c->res->body) < 0) {
		c->res->status = 500;
		buf_reset(&c->res->body);
		buf_adds(&c->res->body, "LinkedIn sandbox: no template");
	}
	json_decref(ctx);
}

void sb_error_page(struct sb_ctx *c, int status, const char *message)
{
	sb_page(c, status, "sandbox/error",
		json_pack("{s:i, s:s, s:s}", "status", status, "message",
			  message, "request_id", c->req->request_id));
}

bool sb_is_page(const struct sb_ctx *c)
{
	const char *p = c->req->path;
	return !strcmp(p, "/") || !strcmp(p, "/login") ||
	       !strcmp(p, "/logout") || !strncmp(p, "/talent/", 8) ||
	       !strncmp(p, "/messaging/", 11) ||
	       !strncmp(p, "/recruiter/widget/", 18);
}

void sb_db_fail(struct sb_ctx *c)
{
	log_error("sandbox database: %s", db_error(c->db));
	if (!strncmp(c->req->path, "/oauth/", 7) &&
	    strcmp(c->req->path, "/oauth/v2/authorization") != 0)
		sb_oauth_error(c, 503, "temporarily_unavailable",
			       "The service is temporarily unavailable");
	else if (!strncmp(c->req->path, "/oauth/", 7) || sb_is_page(c))
		sb_error_page(c, 503, "The sandbox database is unavailable.");
	else
		sb_api_error(c, 503, 0, "Service Unavailable");
	http_header_add(c->res, "Retry-After", "5");
}
