/*
 * offers.c - what a form offers to choose from (the candidate search's
 * job and pool filters, the bulk bar's jobs and pools), kept in the
 * fragment cache (fragcache.c) under the choices' revision
 * (ats_choices_revision: jobs, their members, pools).  These lists change
 * a few times a day, and every search with filters and every list with a
 * bulk bar shows them: read each time, they cost MariaDB more than the
 * search itself (make bench).  The revision is read once per request,
 * before any list it vouches for.
 *
 * A list is kept as its records "<kind><id><US><text><RS>"; a text
 * holding either separator is shown but never kept.
 */
#include <stdlib.h>
#include <string.h>

#include "web/web.h"

#define US '\x1f'
#define RS '\x1e'

/* The n records of p[0..len) into *v (arena-owned); false when they are
 * not n well-formed records. */
static bool decode(struct arena *a, const char *p, size_t len, int64_t n,
		   struct web_offer **v)
{
	const char *end = p + len;
	if (n < 0 || !(*v = arena_calloc(a, n ? (size_t)n : 1, sizeof(**v))))
		return false;
	for (int64_t i = 0; i < n; i++) {
		char *us;
		if (p >= end)
			return false;
		(*v)[i].kind = *p;
		(*v)[i].id = strtoll(p + 1, &us, 10);
		const char *rs = us < end && *us == US
				     ? memchr(us, RS, (size_t)(end - us))
				     : NULL;
		if (!rs ||
		    !((*v)[i].text = arena_strndup(a, us + 1,
						   (size_t)(rs - us - 1))))
			return false;
		p = rs + 1;
	}
	return p == end;
}

static void keep(struct fragcache *fc, const char *key, uint64_t revision,
		 const struct web_offer *v, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (strchr(v[i].text, US) || strchr(v[i].text, RS))
			goto out;
		buf_addf(&b, "%c%lld%c%s%c", v[i].kind, (long long)v[i].id, US,
			 v[i].text, RS);
	}
	if (!buf_failed(&b))
		fragcache_put(fc, key, revision, b.data ? b.data : "", b.len,
			      (int64_t)n);
out:
	buf_release(&b);
}

int web_offers(struct ctx *c, const char *key, web_offers_fn load,
		struct web_offer **v, size_t *n)
{
	struct fragcache *fc = c->w->app->frags;
	*v = NULL;
	*n = 0;
	if (fc && !c->offers_revision_read) {
		int rc = ats_choices_revision(c->db, c->arena,
					      &c->offers_revision);
		if (rc != DB_OK)
			return web_status_from_db(rc);
		c->offers_revision_read = true;
	}
	size_t len;
	int64_t count;
	const char *p = fc && key ? fragcache_get(fc, key, c->offers_revision,
						  c->arena, &len, &count)
				  : NULL;
	if (p && decode(c->arena, p, len, count, v)) {
		*n = (size_t)count;
		return 0;
	}
	int st = load(c, v, n);
	if (!st && fc && key)
		keep(fc, key, c->offers_revision, *v, *n);
	return st;
}
