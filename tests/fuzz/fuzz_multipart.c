/*
 * fuzz_multipart.c - libFuzzer harness for http_parse_multipart and
 * http_parse_parts.
 *
 * Built and run for a few seconds by `make check` (scripts/check.sh), from
 * the seeds in tests/fuzz/seeds/fuzz_multipart/; for longer by hand:
 *   make fuzz && build/fuzz/fuzz_multipart -max_total_time=600
 *
 * The first input line is the Content-Type (so the boundary parser is
 * fuzzed too), the rest is the body.  The body is copied into a buffer of
 * exactly its size so ASan catches any read past it, and every file and
 * every part must point inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t ct_len = nl ? (size_t)(nl - data) : size;
	size_t body_len = nl ? size - ct_len - 1 : 0;
	struct arena *a = arena_new(4096);
	char *ct = malloc(ct_len + 1), *body = malloc(body_len ? body_len : 1);
	struct http_limits l;
	struct http_params fields = {0};
	struct http_files files = {0};
	struct http_error err = {0};
	struct http_part parts[4];
	size_t i, n;

	if (!a || !ct || !body)
		goto out;
	memcpy(ct, data, ct_len);
	ct[ct_len] = '\0';
	if (body_len)
		memcpy(body, nl + 1, body_len);
	http_limits_default(&l);
	l.max_fields = 8;
	l.max_field_len = 256;
	if (http_parse_multipart(a, ct, body, body_len, &l, &fields, &files,
				 &err) == 0) {
		if (fields.n + files.n > l.max_fields)
			abort();
		for (i = 0; i < fields.n; i++)
			if (!utf8_valid(fields.v[i].value, fields.v[i].len))
				abort();
		for (i = 0; i < files.n; i++)
			if (files.v[i].data < body ||
			    files.v[i].data + files.v[i].len > body + body_len)
				abort();
	} else if (err.status != 400 && err.status != 413) {
		abort();
	}
	err.status = 0;
	if (http_parse_parts(a, ct, body, body_len, parts, ARRAY_LEN(parts), &n,
			     &err) == 0) {
		if (n > ARRAY_LEN(parts))
			abort();
		for (i = 0; i < n; i++)
			if (parts[i].data < body ||
			    parts[i].data + parts[i].len > body + body_len)
				abort();
	} else if (err.status != 400 && err.status != 413) {
		abort();
	}
out:
	free(ct);
	free(body);
	arena_free(a);
	return 0;
}
