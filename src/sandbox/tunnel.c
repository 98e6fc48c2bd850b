/*
 * tunnel.c - what LinkedIn's edge does to a request before any endpoint
 * sees it, as LinkedIn's guide to query tunnelling states it
 * (learn.microsoft.com/linkedin/shared/api-guide/concepts/query-tunneling):
 * a URL over 8 KB, a query string over 4 KB or a path segment over 4 KB
 * gets 414.
 */
#include <string.h>

#include "sandbox/sandbox.h"

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
