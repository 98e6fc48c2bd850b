/*
 * fuzz_request.c - libFuzzer harness for a whole request as hirelink.fcgi
 * reads it: http_request_init over the FastCGI parameters a client
 * controls, http_request_headers over them (and the URI line as one more
 * "NAME=value" variable), then http_parse_body over the body, then the
 * lookups the handlers make.
 *
 * The input is the method's byte, then REQUEST_URI, QUERY_STRING,
 * CONTENT_TYPE, HTTP_ACCEPT and HTTP_COOKIE, each ended by a newline, and
 * the rest is the body.  Built and run for a few seconds by `make check`
 * (scripts/check.sh), from tests/fuzz/seeds/fuzz_request/; for longer:
 *   make fuzz && build/fuzz/fuzz_request -max_total_time=600
 *
 * What must hold, whatever the input: a request is accepted or refused
 * with 400, 413, 415 or 431; its headers' names are lower case without
 * '_' and each is found by http_header(); an accepted one has a path that starts with '/'
 * and is valid UTF-8, and every field, query parameter and cookie it
 * yields is valid UTF-8 within the limits; a JSON body that is accepted
 * is a parsed document.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

enum { URI, QUERY, CTYPE, ACCEPT, COOKIE, NFIELDS };

static const char *const names[NFIELDS] = {
    "REQUEST_URI", "QUERY_STRING", "CONTENT_TYPE", "HTTP_ACCEPT",
    "HTTP_COOKIE"};
static const char *const methods[] = {"GET", "POST", "HEAD", "PUT", "",
				      "DELETE"};

struct input {
	const char *method;
	char *field[NFIELDS];
};

static const char *env(void *ctx, const char *name)
{
	const struct input *in = ctx;
	if (!strcmp(name, "REQUEST_METHOD"))
		return in->method;
	for (int i = 0; i < NFIELDS; i++)
		if (!strcmp(name, names[i]))
			return in->field[i];
	return NULL;
}

static void check_params(const struct http_params *p, size_t max,
			 const struct http_limits *l)
{
	if (p->n > max)
		abort();
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].len > l->max_field_len ||
		    !utf8_valid(p->v[i].value, p->v[i].len) ||
		    !utf8_valid(p->v[i].name, strlen(p->v[i].name)))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {0};
	struct http_request r;
	struct http_limits l;
	struct arena *a;

	if (size < 1)
		return 0;
	in.method = methods[data[0] % (sizeof(methods) / sizeof(methods[0]))];
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	for (int i = 0; i < NFIELDS; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* a FastCGI parameter is a C string */
		in.field[i] = strndup(p, n);
		if (!in.field[i])
			goto out;
		p = nl ? nl + 1 : end;
	}
	if (!(a = arena_new(4096)))
		goto out;
	http_limits_default(&l);
	l.max_fields = 16;
	l.max_field_len = 64;
	l.max_name_len = 16;
	l.max_cookies = 8;
	l.max_json_depth = 8;
	int rc = http_request_init_limits(&r, a, env, &in, &l);
	if (rc == 0) {
		char *envp[NFIELDS + 2];
		size_t k = 0;
		for (int i = 0; i < NFIELDS; i++)
			envp[k++] = arena_printf(a, "%s=%s", names[i],
						 in.field[i]);
		envp[k++] = in.field[URI];
		envp[k] = NULL;
		for (size_t i = 0; i < k; i++)
			if (!envp[i])
				goto done;
		l.max_headers = 4;
		rc = http_request_headers(&r, envp, &l);
		for (size_t i = 0; rc == 0 && i < r.nheaders; i++) {
			const char *nm = r.headers[i].name;
			for (const char *q = nm; *q; q++)
				if (*q == '_' || (*q >= 'A' && *q <= 'Z'))
					abort();
			if (!http_header(&r, nm))
				abort();
		}
	}
	if (rc == 0) {
		r.body = p;
		r.body_len = (size_t)(end - p);
		rc = http_parse_body(&r, &l);
	}
	if (rc != 0) {
		int st = r.error.status;
		if (st != 400 && st != 413 && st != 415 && st != 431)
			abort();
	} else {
		if (r.path[0] != '/' || !utf8_valid(r.path, strlen(r.path)))
			abort();
		/* query and form fields share one budget */
		if (r.query_params.n + r.form.n > l.max_fields)
			abort();
		check_params(&r.query_params, l.max_fields, &l);
		check_params(&r.form, l.max_fields, &l);
		/* others' cookies up to the limit, ours (__Host-) as many
		 * again: past it they are skipped */
		check_params(&r.cookies, 2 * l.max_cookies, &l);
		if (http_content_type_is(r.content_type, "application/json") &&
		    !r.json)
			abort();
		(void)http_wants_json(&r);
		(void)http_param(&r, "q");
		(void)http_cookie(&r, "hl_session");
		(void)http_file(&r, "file");
	}
done:
	arena_free(a);
out:
	for (int i = 0; i < NFIELDS; i++)
		free(in.field[i]);
	return 0;
}
