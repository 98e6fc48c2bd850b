/*
 * tunnel.c - what LinkedIn's edge does to a request before any endpoint
 * sees it, as LinkedIn's guide to query tunnelling states it
 * (learn.microsoft.com/linkedin/shared/api-guide/concepts/query-tunneling):
 * a URL over 8 KB, a query string over 4 KB or a path segment over 4 KB
 * gets 414, and a POST with X-HTTP-Method-Override is the request it stands
 * for, its query carried in its body.  The body is read as Rest.li's
 * QueryTunnelUtil.decode reads it: form-encoded, the query alone; or
 * multipart/mixed, the form-encoded part the query and the other part the
 * body; the query joins any the URL still has, after it.
 */
#include <string.h>

#include "sandbox/sandbox.h"

#define FORM "application/x-www-form-urlencoded"

/* The length of the longest segment of a path. */
static size_t longest_segment(const char *path)
{
	size_t longest = 0, n;

	for (; *path; path += n) {
		path += *path == '/';
		n = strcspn(path, "/");
		if (n > longest)
			longest = n;
	}
	return longest;
}

bool sb_url_too_long(struct sb_ctx *c)
{
	const struct http_request *r = c->req;
	size_t query = strlen(r->query);
	size_t url = strlen(r->https ? "https://" : "http://") +
		     strlen(r->host) + strlen(r->raw_path) +
		     (query ? 1 + query : 0);
	const char *why;

	if (url > SB_MAX_URL)
		why = "The URL is longer than 8 KB";
	else if (query > SB_MAX_QUERY)
		why = "The query string is longer than 4 KB";
	else if (longest_segment(r->raw_path) > SB_MAX_SEGMENT)
		why = "A path segment is longer than 4 KB";
	else
		return false;
	sb_request_error(c, 414, why);
	return true;
}

/* Answers LinkedIn's error for a tunnel that cannot be opened; false. */
static bool refuse(struct sb_ctx *c, int status, const char *message)
{
	sb_request_error(c, status, message);
	return false;
}

/* The request as it stands without its body. */
static void clear_body(struct http_request *r)
{
	r->body = r->content_type = "";
	r->body_len = 0;
	memset(&r->form, 0, sizeof(r->form));
}

/* Adds the tunnelled query q[0..n) to the URL's: its fields after the
 * URL's, its text after req->query. */
static bool add_query(struct sb_ctx *c, const char *q, size_t n)
{
	struct http_request *r = c->req;
	const char *query;

	if (http_parse_urlencoded(c->a, q, n, &c->app->limits, &r->query_params,
				  &r->error) < 0)
		return refuse(c, r->error.status, r->error.message);
	query = arena_printf(c->a, "%s%s%.*s", r->query,
			     *r->query && n ? "&" : "", (int)n, q);
	if (!query)
		return refuse(c, 500, "out of memory");
	r->query = query;
	return true;
}

/* Makes part the request's body, parsed by its type as the server parses
 * a body. */
static bool set_body(struct sb_ctx *c, const struct http_part *part)
{
	struct http_request *r = c->req;
	char *body = arena_alloc(c->a, part->len + 1);

	if (!body)
		return refuse(c, 500, "out of memory");
	memcpy(body, part->data, part->len);
	body[part->len] = '\0';
	r->body = body;
	r->body_len = part->len;
	r->content_type = part->content_type;
	if (http_parse_body(r, &c->app->limits) < 0)
		return refuse(c, r->error.status, r->error.message);
	return true;
}

/* A form-encoded body: the query alone. */
static bool untunnel_form(struct sb_ctx *c)
{
	const char *q = c->req->body;
	size_t n = c->req->body_len;

	clear_body(c->req);
	return add_query(c, q, n);
}

/* multipart/mixed: the first form-encoded part is the query, the other
 * part the body; a third part, or a second body, is refused. */
static bool untunnel_mixed(struct sb_ctx *c)
{
	struct http_request *r = c->req;
	struct http_part parts[2];
	const struct http_part *query = NULL, *body = NULL;
	size_t n, i;

	if (http_parse_parts(c->a, r->content_type, r->body, r->body_len, parts,
			     ARRAY_LEN(parts), &n, &r->error) < 0)
		return refuse(c, 400, r->error.message);
	for (i = 0; i < n; i++) {
		if (!query && http_content_type_is(parts[i].content_type, FORM))
			query = &parts[i];
		else if (!body)
			body = &parts[i];
		else
			return refuse(c, 400, "A tunnel carries one body");
	}
	clear_body(r);
	return (!query || add_query(c, query->data, query->len)) &&
	       (!body || set_body(c, body));
}

bool sb_untunnel(struct sb_ctx *c)
{
	struct http_request *r = c->req;
	enum http_method m;
	bool ok;

	if (!*r->method_override)
		return true;
	m = http_method_parse(r->method_override);
	if (m == HTTP_OTHER)
		return refuse(c, 400,
			      "X-HTTP-Method-Override names no HTTP method");
	if (r->method != HTTP_POST)
		return refuse(c, 400,
			      "X-HTTP-Method-Override comes on a POST only");
	if (http_content_type_is(r->content_type, FORM))
		ok = untunnel_form(c);
	else if (http_content_type_is(r->content_type, "multipart/mixed"))
		ok = untunnel_mixed(c);
	else
		ok = refuse(c, 400,
			    "A tunnelled request's body is " FORM
			    " or multipart/mixed");
	if (ok) {
		r->method = m;
		r->method_name = r->method_override;
	}
	return ok;
}
