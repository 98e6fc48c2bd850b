/*
 * search_index.h - the candidate search's word index (sql/330): which
 * candidates hold each word, in blocks of 65,536 ids, intersected here.
 *
 * The index answers the candidates list's search with words for admins
 * and recruiters (search.c): every word of q must start a word of the
 * candidate's name, email, headline, current title or company, location,
 * or of a note the viewer may read (public notes, the viewer's own
 * private ones; never another user's), and the source and the dates
 * added are terms too.  Changed candidates wait in search_dirty, written
 * by triggers in the writer's transaction: the search reads those
 * candidates themselves, so a change is found at once, and the worker's
 * fold thread indexes them in batches (search_index_fold).
 */
#ifndef HIRELINK_SEARCH_INDEX_H
#define HIRELINK_SEARCH_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

/* At most this many words of a query are searched. */
#define SEARCH_WORDS_MAX 8
/* More changed candidates than this waiting for the fold: the search
 * answers from FULLTEXT instead (a bulk load before the fold caught up). */
#define SEARCH_DIRTY_MAX 5000

/* A set of candidate ids: bit i of w is candidate i. */
struct search_set {
	size_t nw; /* 64-bit words */
	uint64_t *w;
};

/* The words of q the search looks for, as the index holds them: each run
 * of letters, digits, '_' and non-ASCII bytes of 3 to 84 characters that
 * is not one of InnoDB's stopwords, lowercased (ASCII and Latin-1
 * letters), at most SEARCH_WORDS_MAX; their number.  Arena-owned. */
size_t search_query_words(struct arena *a, const char *q, const char **out);

/* The filters the index answers: "" for none; dates "YYYY-MM-DD",
 * inclusive. */
struct search_filter {
	const char *source, *from, *to;
};

/* The candidates matching every word and the filters, for viewer, into
 * *out (arena-owned).  DB_NOT_FOUND when the index cannot answer (turned
 * off, not built, the fold far behind, a source FULLTEXT would compare
 * otherwise): the caller searches without it. */
int search_index_match(struct db *db, struct arena *a, int64_t viewer,
		       const char *const *words, size_t nwords,
		       const struct search_filter *f, struct search_set *out);

size_t search_set_count(const struct search_set *s);
bool search_set_has(const struct search_set *s, uint64_t id);

/* The index on or off, and how many decoded term ranges the process keeps
 * between searches (0: none; each is valid at one revision of the index).
 * Call before any thread searches. */
void search_index_configure(bool on, int cache_entries);

/* The whole index, again from the candidates and notes: built is 0 while
 * it runs.  *candidates (may be NULL) gets how many were indexed. */
int search_index_build(struct db *db, int64_t *candidates);
/* Builds it when it was never built (after migrations). */
int search_index_ensure(struct db *db, int64_t *candidates);
/* Indexes up to max changed candidates of search_dirty in one transaction;
 * *folded (may be NULL) gets how many.  One fold runs at a time (a named
 * lock): DB_OK with 0 folded when another holds it. */
int search_index_fold(struct db *db, size_t max, size_t *folded);

/* Test hooks: a day range as terms, "lo..hi" pairs joined by ' '; the
 * terms of a text. */
char *search_date_terms(struct arena *a, const char *from, const char *to);
char *search_text_terms(struct arena *a, const char *text);

#endif
