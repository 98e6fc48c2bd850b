/*
 * fuzz_cookies.c - libFuzzer harness for http_parse_cookies.
 *
 * Built and run for a few seconds by `make check` (scripts/check.sh), from
 * the seeds in tests/fuzz/seeds/fuzz_cookies/; for longer by hand:
 *   make fuzz && build/fuzz/fuzz_cookies -max_total_time=600
 *
 * The Cookie header reaches the parser as a C string, so the input is
 * copied and NUL-terminated first.
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
	char *header = malloc(size + 1);
	size_t i;

	if (!a || !header) {
		arena_free(a);
		free(header);
		return 0;
	}
	memcpy(header, data, size);
	header[size] = '\0';
	http_limits_default(&l);
	l.max_cookies = 8;
	l.max_field_len = 64;
	/* Cookies past the limits are skipped, never the header: at most
	 * max_cookies of others' and as many again of ours (__Host-), each
	 * within the limits. */
	if (http_parse_cookies(a, header, &l, &p, &err) == 0) {
		size_t others = 0;
		for (i = 0; i < p.n; i++) {
			const char *n = p.v[i].name;
			others += strncmp(n, HTTP_HOST_PREFIX,
					  strlen(HTTP_HOST_PREFIX)) != 0;
			if (!*n || strchr(p.v[i].value, ';') ||
			    strchr(p.v[i].value, ' ') ||
			    strlen(n) > l.max_name_len ||
			    strlen(p.v[i].value) > l.max_field_len)
				abort();
		}
		if (others > l.max_cookies || p.n > 2 * l.max_cookies)
			abort();
	} else if (err.status != 500) { /* out of memory, the only failure */
		abort();
	}
	free(header);
	arena_free(a);
	return 0;
}
