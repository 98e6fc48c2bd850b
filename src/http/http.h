/*
 * http.h - requests, responses, the router and the FastCGI loop.
 *
 * The server (server.c) reads a request from FastCGI (or plain CGI), parses
 * it completely and bounded (parse.c) into a struct http_request whose memory
 * is all arena-owned, hands it to the application's handler with an empty
 * struct http_response, then writes the response with the security headers
 * every response carries, and resets the arena.  The parsers are plain
 * functions over bytes, unit-tested and fuzzed on their own.
 */
#ifndef HIRELINK_HTTP_H
#define HIRELINK_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_PUT = 1 << 3,
	HTTP_DELETE = 1 << 4,
	HTTP_PATCH = 1 << 5,
	HTTP_OPTIONS = 1 << 6,
	HTTP_OTHER = 1 << 7,
};

struct http_limits {
	size_t max_body;        /* non-multipart bodies (default 1 MiB) */
	size_t max_upload;      /* multipart/form-data bodies (default 10 MiB) */
	size_t max_fields;      /* query + form fields together (default 256) */
	size_t max_field_len;   /* one value, bytes (config max_field_bytes) */
	size_t max_name_len;    /* one field name (default 128) */
	size_t max_cookies;     /* default 50 */
	size_t max_json_depth;  /* default 32 */
	size_t max_headers;     /* request headers kept (default 64) */
};

void http_limits_default(struct http_limits *l);

/* What was wrong with a request, for the 400/413/415 page. */
struct http_error {
	int status;             /* 0 = no error */
	char field[64];         /* the offending field or "" */
	char message[192];      /* for the user, e.g. "is not valid UTF-8" */
};

struct http_param {
	const char *name;       /* NUL-terminated, arena-owned */
	const char *value;      /* NUL-terminated, arena-owned */
	size_t len;             /* of value (values may hold NUL only in files) */
};

struct http_params {
	struct http_param *v;
	size_t n, cap;
};

struct http_file {
	const char *field;
	const char *filename;       /* as sent, may be "" */
	const char *content_type;   /* as sent, may be "" */
	const char *data;           /* points into the body */
	size_t len;
};

struct http_files {
	struct http_file *v;
	size_t n, cap;
};

/* A header of a response, or of a request: a request's names are in lower
 * case with '-' ("x-li-signature"), as http_header() finds them. */
struct http_header {
	const char *name;
	const char *value;
};

struct http_request {
	struct arena *arena;
	enum http_method method;
	const char *method_name;    /* "GET" ... */
	const char *path;           /* percent-decoded, no query; starts with '/' */
	const char *raw_path;       /* as received (REQUEST_URI without query) */
	const char *query;          /* raw query string, "" if none */
	const char *content_type;   /* "" if none */
	const char *accept;
	const char *user_agent;
	const char *remote_addr;    /* REMOTE_ADDR from nginx; never a header */
	const char *host;
	const char *csrf_header;    /* X-CSRF-Token, "" if none */
	const char *authorization;  /* Authorization header, "" if none */
	/* X-HTTP-Method-Override, "" if none: the method a POST stands for
	 * (query tunnelling); only the LinkedIn sandbox honours it. */
	const char *method_override;
	bool https;                 /* HTTPS=on from nginx */
	/* Every request header the web server passed (its HTTP_* variables,
	 * and CONTENT_TYPE and CONTENT_LENGTH), arena-owned: read them with
	 * http_header().  http_request_headers() fills them. */
	const struct http_header *headers;
	size_t nheaders;
	const char *body;           /* raw body, NUL-terminated, arena-owned */
	size_t body_len;
	/* The body was kept as sent and not parsed (http_body_rule.raw):
	 * form, files and json stay empty. */
	bool body_raw;
	struct http_params query_params;
	struct http_params form;    /* urlencoded or multipart text fields */
	struct http_params cookies;
	struct http_files files;
	json_t *json;               /* JSON body or NULL; released at arena reset */
	struct http_error error;    /* set when the request could not be parsed */
	char request_id[17];        /* 16 hex chars, also in logs and 500 pages */
	int64_t started_us;
	/* How long the request waited between nginx receiving it and
	 * hirelink starting it (nginx's $msec in the REQUEST_START
	 * parameter; 0 without one, or one off by more than an hour). */
	int64_t queued_us;
	const char *user_label;     /* set by the app for the access log */
	int route;                  /* set by the app for metrics: the index
				       of the route that served it, -1 none */
	void *app_data;             /* the application's, for this request
				       (http_server.body_rule may set it) */
};

/* Lookups return the first match or NULL.  Borrowed from the request. */
const char *http_query(const struct http_request *r, const char *name);
const char *http_form(const struct http_request *r, const char *name);
/* form first, then query */
const char *http_param(const struct http_request *r, const char *name);
/* The request header name, whatever its case, '-' and '_' alike
 * ("X-LI-Signature" finds HTTP_X_LI_SIGNATURE); NULL when absent. */
const char *http_header(const struct http_request *r, const char *name);
/* The cookie http_set_cookie set as name: over HTTPS the one named with
 * the __Host- prefix, and only that one. */
const char *http_cookie(const struct http_request *r, const char *name);
#define HTTP_HOST_PREFIX "__Host-"
const struct http_file *http_file(const struct http_request *r, const char *field);
/* true when Accept prefers application/json over text/html */
bool http_wants_json(const struct http_request *r);

/* ------------------------------------------------------------ parsers */
/*
 * Each returns 0, or -1 with err filled (status 400, or 413 when a count or
 * size limit is exceeded).  Output strings are arena-owned and decoded.
 * Text values must be valid UTF-8.
 */
int http_parse_urlencoded(struct arena *a, const char *s, size_t len,
			  const struct http_limits *l, struct http_params *out,
			  struct http_error *err);
/* Cookies past max_cookies, max_name_len or max_field_len, or malformed,
 * are skipped, never an error (a sibling subdomain may set them). */
int http_parse_cookies(struct arena *a, const char *header,
		       const struct http_limits *l, struct http_params *out,
		       struct http_error *err);
int http_parse_multipart(struct arena *a, const char *content_type,
			 const char *body, size_t len,
			 const struct http_limits *l, struct http_params *fields,
			 struct http_files *files, struct http_error *err);
/* One part of a multipart body: its Content-Type (arena-owned, "" when it
 * has none) and its content, which points into the body. */
struct http_part {
	const char *content_type;
	const char *data;
	size_t len;
};
/* The parts of a multipart body of any subtype (RFC 2046; for
 * multipart/mixed, which http_parse_body leaves alone) into out, in order,
 * *n of them: more than max is 413. */
int http_parse_parts(struct arena *a, const char *content_type,
		     const char *body, size_t len, struct http_part *out,
		     size_t max, size_t *n, struct http_error *err);
/* JSON body: must be an object or array, depth-bounded; *out is new (caller
 * json_decref) */
int http_parse_json(const char *body, size_t len, const struct http_limits *l,
		    json_t **out, struct http_error *err);
/* Percent-decodes s[0..n) ('+' as space when plus_space); NULL on bad
 * escape.  Arena-owned, NUL-terminated, *outlen set. */
char *http_url_decode(struct arena *a, const char *s, size_t n, bool plus_space,
		      size_t *outlen);
/* Parses the whole body by content type into r (form/files/json). */
int http_parse_body(struct http_request *r, const struct http_limits *l);
/* true when the media type of content_type (before any ';', any case) is
 * media, e.g. http_content_type_is(ct, "multipart/form-data") */
bool http_content_type_is(const char *content_type, const char *media);

/* ------------------------------------------------------------ response */

#define HTTP_MAX_HEADERS 32

struct http_response {
	int status;                  /* default 200 */
	const char *content_type;    /* default "text/html; charset=utf-8" */
	struct http_header headers[HTTP_MAX_HEADERS];
	size_t nheaders;
	struct buf body;             /* released by the server */
	struct arena *arena;         /* the request's */
	/* Origins that may frame this response (CSP frame-ancestors), for a
	 * page made to be embedded elsewhere; NULL: none may, and
	 * X-Frame-Options: DENY says so to older browsers too. */
	const char *frame_ancestors;
	/* The page frames a document of its own origin (an attachment's
	 * preview): frame-src adds 'self'. */
	bool frame_self;
	/* This response's own Content-Security-Policy, sent instead of the
	 * server's (a file shown in a frame, with a policy of its own, whose
	 * frame-ancestors decide who frames it; X-Frame-Options is then
	 * SAMEORIGIN); NULL: the server's (http_csp). */
	const char *csp;
	/* The last body_cut bytes of the body are not sent, though
	 * Content-Length counts them, so the client reads a truncated answer:
	 * the LinkedIn sandbox's injected fault (src/sandbox/control.c).
	 * 0 everywhere else. */
	size_t body_cut;
};

/* Value is copied into the arena.  Over HTTP_MAX_HEADERS: -1. */
int http_header_add(struct http_response *res, const char *name,
		    const char *value);
/* Set-Cookie with Path=/; HttpOnly; SameSite=Lax, Secure when secure;
 * max_age < 0 means a session cookie, 0 deletes it. */
int http_set_cookie(struct http_response *res, const char *name,
		    const char *value, long max_age, bool secure);
void http_redirect(struct http_response *res, int status, const char *location);
/* The longest path http_local_path_ok() accepts, in bytes. */
#define HTTP_LOCAL_PATH_MAX 1000
/* true when s may be a redirect's Location that stays on this site: one
 * leading '/' followed by neither '/' nor a backslash (raw or encoded), no
 * control character (raw or percent-encoded: "%0d%0a" too), at most
 * HTTP_LOCAL_PATH_MAX bytes.  For targets a client chose ("next",
 * "return_to"); NULL and "" are false. */
bool http_local_path_ok(const char *s);
const char *http_status_text(int status);

/*
 * Security headers added to every response by the server: CSP
 * ("default-src 'self'; frame-ancestors 'none'; ..." with extra origins
 * for script-src, frame origins for frame-src, and the response's
 * frame_ancestors when it sets
 * them), X-Content-Type-Options: nosniff, Referrer-Policy: same-origin,
 * X-Frame-Options: DENY (left out when the response may be framed).
 */
struct http_security {
	/* script-src and form-action beside 'self' (the LinkedIn platform's
	 * origin: its widget loader), e.g. "http://127.0.0.1:8081" or NULL */
	const char *csp_extra_origins;
	/* frame-src, the only origins a page may frame (hirelink: the
	 * LinkedIn profile widget's); NULL: csp_extra_origins, else 'none' */
	const char *csp_frame_origins;
};

/* Serialises status line ("Status: 200 OK"), headers, security headers and
 * body as a CGI response into out. */
void http_response_serialize(const struct http_response *res,
			     const struct http_security *sec, bool head_only,
			     struct buf *out);
/* Appends the Content-Security-Policy value the server sends (for tests and
 * for pages that need to state it); frame_ancestors as in http_response. */
void http_csp(const struct http_security *sec, const char *frame_ancestors,
	      struct buf *out);

/* ------------------------------------------------------------ router */

/*
 * A route: methods bitmask, a pattern with {name} segments matching one
 * non-empty path segment ("/jobs/{id}/close"), and opaque application data
 * (the handler and the roles it admits live in the app's own table).
 */
struct http_route {
	unsigned methods;
	const char *pattern;
};

#define HTTP_MAX_CAPTURES 4

struct http_match {
	int route;                      /* index into the table */
	size_t ncaptures;
	const char *captures[HTTP_MAX_CAPTURES];  /* arena-owned */
};

enum { HTTP_ROUTE_NOT_FOUND = -1, HTTP_ROUTE_BAD_METHOD = -2 };

/* Returns the index of the first route whose pattern and method match, or
 * HTTP_ROUTE_NOT_FOUND, or HTTP_ROUTE_BAD_METHOD when a pattern matched but
 * no method did (*allowed then holds the union of the methods, for Allow).
 * HEAD matches GET routes. */
int http_route_find(const struct http_route *routes, size_t stride, size_t n,
		    enum http_method m, const char *path, struct arena *a,
		    struct http_match *match, unsigned *allowed);
/* "GET" -> HTTP_GET ...; anything else HTTP_OTHER. */
enum http_method http_method_parse(const char *name);
/* The methods in mask as an Allow header value ("GET, HEAD, POST");
 * arena-owned, NULL on OOM. */
const char *http_methods_list(struct arena *a, unsigned mask);
/* The name of one method ("GET"); NULL when m is not exactly one. */
const char *http_method_name(unsigned m);

/* ------------------------------------------------------------ server */

typedef void (*http_handler_fn)(void *thread_ctx, struct http_request *req,
				struct http_response *res);

/* How much of a request's body is read, and whether it is parsed: what
 * http_server.body_rule may change for one request. */
struct http_body_rule {
	/* The largest body read (bytes): a longer Content-Length is 413
	 * before a byte of it is kept.  Set to max_upload for a multipart
	 * body, else max_body; a rule may only lower it. */
	size_t max_body;
	/* Keep the body as sent and parse nothing of it (a signature over
	 * the raw bytes is checked before anything reads them). */
	bool raw;
};

struct http_server {
	const char *listen;         /* unix socket path or host:port; NULL = fd 0 */
	int threads;
	/* Connections the listening socket holds while every thread is busy;
	 * 0: as many as the system allows (net.core.somaxconn).  Past it the
	 * web server's connect() fails, which nginx answers 502. */
	int backlog;
	/* A unix socket is made rw for its owner and this group only (the web
	 * server's, which hirelink's user must be a member of); NULL or "":
	 * the process's own group. */
	const char *listen_group;
	/* A request the web server held longer than this before we started it
	 * (http_request.queued_us) is answered 503 with Retry-After at once,
	 * its handler not run: under overload its client has most likely
	 * given up, and the time goes to requests still awaited.  0: never. */
	int queue_max_ms;
	const struct http_limits *limits;
	struct http_security security;
	void *app;
	/* Called once in each thread before it serves; returns the thread's
	 * context (NULL = failure, the server stops). */
	void *(*thread_init)(void *app, int index);
	void (*thread_done)(void *thread_ctx);
	http_handler_fn handler;
	/* Called once the request's method, path and headers are read and
	 * before any of its body: may lower the body's limit or keep it raw
	 * for this request (a route for machine callers).  NULL: the limits'
	 * rule for every request. */
	void (*body_rule)(void *thread_ctx, struct http_request *req,
			  struct http_body_rule *rule);
	/* Called with every finished request, for the access log and metrics. */
	void (*on_finish)(void *thread_ctx, const struct http_request *req,
			  const struct http_response *res, int64_t duration_us);
};

/*
 * Serves until SIGTERM/SIGINT.  When started as plain CGI (FCGX_IsCGI),
 * serves exactly one request from the environment and stdin.  The body is
 * read up to the applicable limit; a larger Content-Length yields a request
 * with error.status 413 without reading it.  Returns 0 on clean shutdown.
 */
int http_serve(const struct http_server *srv);

/*
 * jansson's memory (jsonmem.c).  http_json_memory_install() must run before
 * the process makes its first jansson value.  After it, the values a thread
 * makes between http_json_arena(a) and http_json_arena(NULL) come from a and
 * must not outlive its next reset; http_serve() does this around each
 * request.  Values made at any other time come from malloc as before.
 */
void http_json_memory_install(void);
void http_json_arena(struct arena *a);

/* Fills req from CGI-style variables (getenv-like lookup), for the server and
 * for tests. */
typedef const char *(*http_env_fn)(void *ctx, const char *name);
int http_request_init(struct http_request *req, struct arena *a,
		      http_env_fn env, void *env_ctx);
/* The same with the server's limits for the query string and cookies
 * (http_request_init uses http_limits_default).  Both return 0, or -1 with
 * req->error set; req is then still complete (every string non-NULL, path
 * "/" when the path was bad), so the handler can render the error page. */
int http_request_init_limits(struct http_request *req, struct arena *a,
			     http_env_fn env, void *env_ctx,
			     const struct http_limits *l);
/* Fills req->headers from envp, "NAME=value" strings ending with NULL (the
 * FastCGI parameters, or the CGI environment): each HTTP_* variable, and
 * CONTENT_TYPE and CONTENT_LENGTH.  0, or -1 with req->error set: 431 when
 * there are more than l->max_headers (NULL l: the default limits), 500 out
 * of memory. */
int http_request_headers(struct http_request *req, char *const *envp,
			 const struct http_limits *l);

#endif
