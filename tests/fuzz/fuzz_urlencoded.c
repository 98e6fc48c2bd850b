/*
 * fuzz_urlencoded.c - libFuzzer harness for http_parse_urlencoded (query
 * strings and form bodies) and http_url_decode.
 *
 * Built and run for a few seconds by `make check` (scripts/check.sh), from
 * the seeds in tests/fuzz/seeds/fuzz_urlencoded/; for longer by hand:
 *   make fuzz && build/fuzz/fuzz_urlencoded -max_total_time=600
 *
 * Small limits make the limit paths reachable; every accepted value must
 * come back valid UTF-8 and within its limit, which the harness checks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(4096);
	struct http_limits l;
	struct http_params p = {0};
	struct http_error err = {0};
	size_t i, n;

	if (!a)
		return 0;
	http_limits_default(&l);
	l.max_fields = 16;
	l.max_field_len = 64;
	l.max_name_len = 16;
	if (http_parse_urlencoded(a, (const char *)data, size, &l, &p, &err) ==
	    0) {
		if (p.n > l.max_fields)
			abort();
		for (i = 0; i < p.n; i++)
			if (p.v[i].len > l.max_field_len ||
			    !utf8_valid(p.v[i].value, p.v[i].len) ||
			    !utf8_valid(p.v[i].name, strlen(p.v[i].name)))
				abort();
	} else if (err.status != 400 && err.status != 413) {
		abort();
	}
	http_url_decode(a, (const char *)data, size, true, &n);
	arena_free(a);
	return 0;
}
