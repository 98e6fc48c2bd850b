/*
 * fragcache.c - fragments of pages, served again while MariaDB says their
 * data has not changed.
 *
 * A page whose data changes a few times a day and is looked at all day
 * (the jobs list) keeps its rendered HTML here, under a key that says who
 * sees it and how ("jobs 42 recruiter active 1"), tagged with the revision
 * its data had: a number that triggers bump in the same transaction as any
 * change to that data (sql/090_revisions.sql).  The head of a candidate's
 * page keeps its statement's row the same way, under the candidate's own
 * revision (sql/100_candidate_revisions.sql), and the candidate's LinkedIn
 * and Recruiting activities tabs keep their whole body under the revisions
 * of all they show (sql/310, src/web/app.c web_body_kept), with the end of
 * its validity as num when words in it depend on the time.  Each request
 * reads the revision (a primary-key read) and asks for the fragment with
 * it, so a fragment is served only while nothing it shows has changed,
 * whichever process or hand made the change.  The cache never guesses: with no
 * revision to compare there is no hit.
 *
 * Why a fragment kept this way is never stale: the caller reads the
 * revision *before* the data it renders.  A change committed in between
 * makes the fragment newer than its tag, never older; the next request
 * reads the new revision and renders again.
 *
 * Direct-mapped slots with a mutex each, like the session cache
 * (src/ats/users.c): a key hashes to one slot and a new fragment replaces
 * whatever was there.  Memory is bounded by slots * max_len; the fragments
 * are copied in and out, so nothing here points into a request's arena.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

struct slot {
	pthread_mutex_t lock;
	char *key; /* NULL: empty */
	uint64_t revision;
	int64_t num;
	char *data;
	size_t len;
};

struct fragcache {
	size_t nslots;
	size_t max_len;
	atomic_ulong hits, misses;
	struct slot slot[];
};

struct fragcache *fragcache_new(size_t nslots, size_t max_len)
{
	if (!nslots)
		return NULL;
	struct fragcache *fc =
	    calloc(1, sizeof(*fc) + nslots * sizeof(fc->slot[0]));
	if (!fc)
		return NULL;
	fc->nslots = nslots;
	fc->max_len = max_len;
	for (size_t i = 0; i < nslots; i++)
		pthread_mutex_init(&fc->slot[i].lock, NULL);
	return fc;
}

void fragcache_free(struct fragcache *fc)
{
	if (!fc)
		return;
	for (size_t i = 0; i < fc->nslots; i++) {
		pthread_mutex_destroy(&fc->slot[i].lock);
		free(fc->slot[i].key);
		free(fc->slot[i].data);
	}
	free(fc);
}

/* FNV-1a: keys are short strings made by hirelink, not by users. */
static struct slot *slot_of(struct fragcache *fc, const char *key)
{
	uint64_t h = 14695981039346656037u;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return &fc->slot[h % fc->nslots];
}

const char *fragcache_get(struct fragcache *fc, const char *key,
			  uint64_t revision, struct arena *a, size_t *len,
			  int64_t *num)
{
	char *copy = NULL;
	if (!fc)
		return NULL;
	struct slot *s = slot_of(fc, key);
	pthread_mutex_lock(&s->lock);
	if (s->key && s->revision == revision && !strcmp(s->key, key)) {
		copy = arena_alloc(a, s->len + 1);
		if (copy) {
			memcpy(copy, s->data, s->len);
			copy[s->len] = '\0';
			*len = s->len;
			*num = s->num;
		}
	}
	pthread_mutex_unlock(&s->lock);
	atomic_fetch_add_explicit(copy ? &fc->hits : &fc->misses, 1,
				  memory_order_relaxed);
	return copy;
}

void fragcache_put(struct fragcache *fc, const char *key, uint64_t revision,
		   const char *data, size_t len, int64_t num)
{
	if (!fc || len > fc->max_len)
		return;
	char *k = strdup(key);
	char *d = malloc(len ? len : 1);
	if (!k || !d) {
		free(k);
		free(d);
		return;
	}
	memcpy(d, data, len);
	struct slot *s = slot_of(fc, key);
	pthread_mutex_lock(&s->lock);
	char *old_key = s->key, *old_data = s->data;
	s->key = k;
	s->revision = revision;
	s->num = num;
	s->data = d;
	s->len = len;
	pthread_mutex_unlock(&s->lock);
	free(old_key);
	free(old_data);
}

void fragcache_stats(struct fragcache *fc, unsigned long *hits,
		     unsigned long *misses)
{
	*hits = fc ? atomic_load_explicit(&fc->hits, memory_order_relaxed) : 0;
	*misses =
	    fc ? atomic_load_explicit(&fc->misses, memory_order_relaxed) : 0;
}
