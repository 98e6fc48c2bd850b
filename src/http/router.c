/*
 * router.c - matching a decoded path against the application's route table.
 *
 * The table is the application's own array of structs whose first member is
 * a struct http_route (so the handler and roles sit beside the pattern), read
 * with a stride.  Matching is a plain walk over '/'-separated segments: a
 * literal segment must be equal, a {name} segment takes any one non-empty
 * segment.  There are no wildcards, optional parts or normalisation, so a
 * reader can tell from the table alone which URL reaches which handler; a
 * trailing slash is a different URL.  The first route in table order wins.
 */
#include <string.h>

#include "http/http.h"

static const struct {
	enum http_method m;
	const char *name;
} methods[] = {
    {HTTP_GET, "GET"},	       {HTTP_HEAD, "HEAD"},	{HTTP_POST, "POST"},
    {HTTP_PUT, "PUT"},	       {HTTP_DELETE, "DELETE"}, {HTTP_PATCH, "PATCH"},
    {HTTP_OPTIONS, "OPTIONS"},
};

enum http_method http_method_parse(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_LEN(methods); i++)
		if (strcmp(name, methods[i].name) == 0)
			return methods[i].m;
	return HTTP_OTHER;
}

const char *http_method_name(unsigned m)
{
	for (size_t i = 0; i < ARRAY_LEN(methods); i++)
		if (methods[i].m == m)
			return methods[i].name;
	return NULL;
}

const char *http_methods_list(struct arena *a, unsigned mask)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < ARRAY_LEN(methods); i++) {
		if (!(mask & methods[i].m))
			continue;
		if (b.len)
			buf_adds(&b, ", ");
		buf_adds(&b, methods[i].name);
	}
	s = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
	buf_release(&b);
	return s;
}

/*
 * Matches path against pattern; on success fills captures (pointers into
 * path and their lengths) and returns their number, else -1.
 */
static int match_pattern(const char *pat, const char *path,
			 const char *cap[HTTP_MAX_CAPTURES],
			 size_t cap_len[HTTP_MAX_CAPTURES])
{
	int n = 0;

	while (*pat && *path) {
		if (pat[0] == '{') {
			const char *close = strchr(pat, '}');
			size_t seg = strcspn(path, "/");
			if (!close || seg == 0 || n == HTTP_MAX_CAPTURES)
				return -1;
			cap[n] = path;
			cap_len[n] = seg;
			n++;
			pat = close + 1;
			path += seg;
		} else if (*pat == *path) {
			pat++;
			path++;
		} else {
			return -1;
		}
	}
	return (*pat || *path) ? -1 : n;
}

int http_route_find(const struct http_route *routes, size_t stride, size_t n,
		    enum http_method m, const char *path, struct arena *a,
		    struct http_match *match, unsigned *allowed)
{
	unsigned union_methods = 0;
	bool path_matched = false;
	size_t i;

	if (allowed)
		*allowed = 0;
	if (!path)
		return HTTP_ROUTE_NOT_FOUND;
	for (i = 0; i < n; i++) {
		const struct http_route *r =
		    (const void *)((const char *)routes + i * stride);
		const char *cap[HTTP_MAX_CAPTURES];
		size_t cap_len[HTTP_MAX_CAPTURES];
		unsigned ms;
		int ncap, k;

		if (!r->pattern)
			continue;
		ncap = match_pattern(r->pattern, path, cap, cap_len);
		if (ncap < 0)
			continue;
		path_matched = true;
		ms = r->methods;
		if (ms & HTTP_GET)
			ms |= HTTP_HEAD;
		if (!(ms & m)) {
			union_methods |= ms;
			continue;
		}
		if (!match)
			return (int)i;
		match->route = (int)i;
		match->ncaptures = (size_t)ncap;
		for (k = 0; k < ncap; k++) {
			match->captures[k] =
			    arena_strndup(a, cap[k], cap_len[k]);
			/* not a 404 the user can fix, but the safest answer
			 * the return values allow */
			if (!match->captures[k]) {
				log_error("cannot copy route capture: out of "
					  "memory");
				return HTTP_ROUTE_NOT_FOUND;
			}
		}
		for (; k < HTTP_MAX_CAPTURES; k++)
			match->captures[k] = NULL;
		return (int)i;
	}
	if (!path_matched)
		return HTTP_ROUTE_NOT_FOUND;
	if (allowed)
		*allowed = union_methods;
	return HTTP_ROUTE_BAD_METHOD;
}
