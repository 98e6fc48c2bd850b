/*
 * response.c - building a response and writing it out as CGI.
 *
 * Handlers fill a struct http_response (status, content type, headers, body);
 * http_response_serialize() turns it into "Status: ..." plus headers plus
 * body, and adds the security headers itself so that no handler can forget
 * them.  Header names and values are checked where they enter (CR or LF in a
 * value would let a client-supplied string add headers of its own) and
 * again when written, because a handler may fill headers[] directly.
 * http_local_path_ok() decides whether a redirect target that a client
 * chose stays on this site.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"

static bool is_tchar(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return false;
	return !strchr("()<>@,;:\\\"/[]?={}", c);
}

static bool header_name_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!is_tchar((unsigned char)*s))
			return false;
	return true;
}

/* Any control character but TAB is refused, not only CR and LF: some
 * proxies treat a lone NUL or VT as a line end too. */
static bool header_value_ok(const char *s)
{
	if (!s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

int http_header_add(struct http_response *res, const char *name,
		    const char *value)
{
	char *n, *v;

	if (!res || !res->arena || !header_name_ok(name) ||
	    !header_value_ok(value))
		return -1;
	/* the server writes these from the response itself */
	if (strcasecmp(name, "Status") == 0 ||
	    strcasecmp(name, "Content-Length") == 0)
		return -1;
	v = arena_strdup(res->arena, value);
	if (!v)
		return -1;
	if (strcasecmp(name, "Content-Type") == 0) {
		res->content_type = v;
		return 0;
	}
	if (res->nheaders >= HTTP_MAX_HEADERS)
		return -1;
	n = arena_strdup(res->arena, name);
	if (!n)
		return -1;
	res->headers[res->nheaders].name = n;
	res->headers[res->nheaders].value = v;
	res->nheaders++;
	return 0;
}

int http_set_cookie(struct http_response *res, const char *name,
		    const char *value, long max_age, bool secure)
{
	const char *age = "", *s;
	char *line;

	if (!res || !res->arena || !header_name_ok(name) || !value)
		return -1;
	for (s = value; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' ||
		    c == ';' || c == '\\')
			return -1;
	}
	/* Expires as well for deletion: old browsers ignore Max-Age */
	if (max_age == 0)
		age = "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
	else if (max_age > 0)
		age = arena_printf(res->arena, "; Max-Age=%ld", max_age);
	if (!age)
		return -1;
	/* Over HTTPS the name takes the __Host- prefix: the browser then keeps
	 * it only as set here (Secure, Path=/, no Domain), so no sibling
	 * subdomain can plant or shadow it (http_cookie reads it back). */
	line = arena_printf(res->arena,
			    "%s%s=%s; Path=/%s; HttpOnly; "
			    "SameSite=Lax%s",
			    secure ? HTTP_HOST_PREFIX : "", name, value, age,
			    secure ? "; Secure" : "");
	if (!line)
		return -1;
	return http_header_add(res, "Set-Cookie", line);
}

void http_redirect(struct http_response *res, int status, const char *location)
{
	if (status < 300 || status > 399)
		status = 303;
	/* A location that cannot be a header value is a bug in the caller
	 * (or an attack through it); the home page is a safe landing. */
	if (http_header_add(res, "Location", location) < 0) {
		log_warn("cannot redirect to an invalid location, using /");
		location = "/";
		http_header_add(res, "Location", location);
	}
	res->status = status;
	res->content_type = "text/html; charset=utf-8";
	buf_reset(&res->body);
	buf_adds(&res->body, "<!doctype html>\n<title>Redirect</title>\n"
			     "<p><a href=\"");
	buf_add_html(&res->body, location, strlen(location));
	buf_adds(&res->body, "\">Continue</a></p>\n");
}

static bool is_control(int c)
{
	return (c >= 0 && c < 0x20) || c == 0x7f;
}

/* The byte s encodes as %XY; -1 when s does not start with one. */
static int percent_byte(const char *s)
{
	int hi = s[0] == '%' ? hex_value(s[1]) : -1;
	int lo = hi < 0 ? -1 : hex_value(s[2]);
	return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
}

/*
 * A browser reads "//host" and "/\host" as another site, and drops a tab
 * or a newline inside a URL ("/<tab>/host" is "//host").  The encoded forms
 * are refused as well: the value may be decoded once more on its way (by a
 * proxy, or by code that puts it into a URL), and "%0d%0a" would then split
 * the header or "/%2F" become "//".
 */
bool http_local_path_ok(const char *s)
{
	if (!s || s[0] != '/')
		return false;
	int second = s[1] == '%' ? percent_byte(s + 1) : (unsigned char)s[1];
	if (second == '/' || second == '\\')
		return false;
	size_t n = strnlen(s, HTTP_LOCAL_PATH_MAX + 1);
	if (n > HTTP_LOCAL_PATH_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (is_control((unsigned char)s[i]) ||
		    is_control(percent_byte(s + i)))
			return false;
	return true;
}

const char *http_status_text(int status)
{
	switch (status) {
	case 100:
		return "Continue";
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 202:
		return "Accepted";
	case 204:
		return "No Content";
	case 301:
		return "Moved Permanently";
	case 302:
		return "Found";
	case 303:
		return "See Other";
	case 304:
		return "Not Modified";
	case 307:
		return "Temporary Redirect";
	case 308:
		return "Permanent Redirect";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 406:
		return "Not Acceptable";
	case 409:
		return "Conflict";
	case 410:
		return "Gone";
	case 411:
		return "Length Required";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 415:
		return "Unsupported Media Type";
	case 422:
		return "Unprocessable Content";
	case 429:
		return "Too Many Requests";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "Unknown";
	}
}

/* Extra CSP origins come from the configuration; anything that could end
 * the directive or the header is refused rather than written. */
static bool csp_origins_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c >= 0x7f || c == ';' || c == ',' ||
		    c == '\'' || c == '"')
			return false;
	}
	return true;
}

static void csp_write(const struct http_security *sec,
		      const char *frame_ancestors, bool frame_self,
		      struct buf *out);

void http_csp(const struct http_security *sec, const char *frame_ancestors,
	      struct buf *out)
{
	csp_write(sec, frame_ancestors, false, out);
}

static void csp_write(const struct http_security *sec,
		      const char *frame_ancestors, bool frame_self,
		      struct buf *out)
{
	const char *extra = sec ? sec->csp_extra_origins : NULL;
	if (!csp_origins_ok(extra))
		extra = NULL;
	/* frames: the server's own list, else (a server that names none,
	 * like the sandbox) the extra origins */
	const char *frames = sec ? sec->csp_frame_origins : NULL;
	if (!csp_origins_ok(frames))
		frames = extra ? extra : "'none'";
	const char *ancestors =
	    csp_origins_ok(frame_ancestors) ? frame_ancestors : "'none'";

	/* The extra origins (the LinkedIn sandbox in development) appear in
	 * form-action too: browsers check form-action against the redirects
	 * that follow a form submission, e.g. to an OAuth page. */
	buf_adds(out, "default-src 'self'; script-src 'self'");
	if (extra) {
		buf_addc(out, ' ');
		buf_adds(out, extra);
	}
	buf_adds(out, "; frame-src ");
	if (frame_self && !strcmp(frames, "'none'"))
		frames = "'self'";
	else if (frame_self)
		buf_adds(out, "'self' ");
	buf_adds(out, frames);
	buf_adds(out, "; style-src 'self'; img-src 'self' data:; "
		      "object-src 'none'; base-uri 'none'; "
		      "form-action 'self'");
	if (extra) {
		buf_addc(out, ' ');
		buf_adds(out, extra);
	}
	buf_adds(out, "; frame-ancestors ");
	buf_adds(out, ancestors);
}

void http_response_serialize(const struct http_response *res,
			     const struct http_security *sec, bool head_only,
			     struct buf *out)
{
	int status = res->status ? res->status : 200;
	const char *ct = res->content_type;
	bool has_cache_control = false, has_body;
	size_t i;

	if (status < 100 || status > 999)
		status = 500;
	/* RFC 9110: these never carry content */
	has_body = status >= 200 && status != 204 && status != 304;
	if (!ct || !*ct || !header_value_ok(ct))
		ct = "text/html; charset=utf-8";

	buf_addf(out, "Status: %d %s\r\n", status, http_status_text(status));
	if (has_body) {
		buf_addf(out, "Content-Type: %s\r\n", ct);
		buf_addf(out, "Content-Length: %zu\r\n", res->body.len);
	}
	for (i = 0; i < res->nheaders && i < HTTP_MAX_HEADERS; i++) {
		const struct http_header *h = &res->headers[i];
		if (!header_name_ok(h->name) || !header_value_ok(h->value))
			continue;
		if (strcasecmp(h->name, "Cache-Control") == 0)
			has_cache_control = true;
		buf_addf(out, "%s: %s\r\n", h->name, h->value);
	}
	buf_adds(out, "Content-Security-Policy: ");
	if (res->csp && header_value_ok(res->csp))
		buf_adds(out, res->csp);
	else
		csp_write(sec, res->frame_ancestors, res->frame_self, out);
	buf_adds(out, "\r\nX-Content-Type-Options: nosniff\r\n"
		      "Referrer-Policy: same-origin\r\n");
	/* X-Frame-Options has no list of origins: a response that may be
	 * framed leaves it to frame-ancestors. */
	if (res->csp && header_value_ok(res->csp))
		/* its own policy says who may frame it; older browsers: this
		 * origin alone */
		buf_adds(out, "X-Frame-Options: SAMEORIGIN\r\n");
	else if (!csp_origins_ok(res->frame_ancestors))
		buf_adds(out, "X-Frame-Options: DENY\r\n");
	if (!has_cache_control)
		buf_adds(out, "Cache-Control: no-store\r\n");
	buf_adds(out, "\r\n");
	if (has_body && !head_only)
		buf_add(out, res->body.data,
			res->body.len -
			    (res->body_cut < res->body.len ? res->body_cut
							   : res->body.len));
}
