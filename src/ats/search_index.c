/*
 * search_index.c - the candidate search's word index (search_index.h,
 * sql/330_search_index.sql).
 *
 * A search reads, for each word, the postings of every term it starts
 * (owner 0, and the viewer's private notes), one range of the primary key
 * each, ORs their blocks into a set of ids and ANDs the words' sets with
 * the filters' (the source's term, the days, months and years added, a
 * few ranges).  The changed candidates waiting in search_dirty are taken
 * out of that set and tested themselves, from their rows, in the same
 * statement that reads the index's revision.
 *
 * Each decoded range is kept in the process (cache_entries of them) with
 * the revision it was read at; a fold or a build bumps the revision, so a
 * kept range is used only while the postings it was read from are those
 * of the index.
 *
 * Writes (the build, the fold) send their rows as one JSON array per
 * statement, unpacked by JSON_TABLE: a few statements per thousand rows.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ats/search_index.h"

#define BLOCK_SHIFT 16
#define BLOCK_IDS   (1u << BLOCK_SHIFT)
#define BLOCK_WORDS (BLOCK_IDS / 64)
/* a block with fewer ids is a sorted array of 16-bit offsets, else a
 * bitmap: both at most 8 KiB */
#define ARRAY_MAX  4096
#define TERM_BYTES 400
#define WORD_CHARS 84 /* innodb_ft_max_token_size */
/* rows of one write statement */
#define WRITE_ROWS 2000

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "postings bitmaps are stored little-endian");

/* ------------------------------------------------------------ words */

/* InnoDB's default stopwords of 3 characters or more
 * (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD): FULLTEXT holds none, so
 * a query leaves them out on both paths. */
static const char *const stopwords[] = {
    "about", "are",  "com",   "for", "from", "how",  "that", "the", "this",
    "was",   "what", "when", "where", "who", "will", "with", "und", "www",
    NULL};

static bool word_byte(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch >= 0x80;
}

/* s[0..n) lowercased into d: ASCII, and Latin-1's capitals (U+00C0 to
 * U+00DE but U+00D7, two bytes each) */
static void lower(char *d, const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		d[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		if (c == 0xC3 && k + 1 < n) {
			unsigned char c2 = (unsigned char)s[k + 1];
			d[++k] = (char)(c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97
					    ? c2 + 0x20
					    : c2);
		}
	}
}

/* Calls fn for each word of s[0..n) the index holds, lowercased. */
static void each_word(const char *s, size_t n,
		      void (*fn)(void *arg, const char *w, size_t len),
		      void *arg)
{
	char tmp[TERM_BYTES];
	for (size_t i = 0; i < n;) {
		if (!word_byte((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && word_byte((unsigned char)s[j]))
			j++;
		size_t chars = utf8_len(s + i, j - i);
		if (chars >= 3 && chars <= WORD_CHARS && j - i < TERM_BYTES) {
			lower(tmp, s + i, j - i);
			fn(arg, tmp, j - i);
		}
		i = j;
	}
}

struct terms {
	struct arena *a;
	char **v;
	size_t n, cap;
	bool failed;
};

static void terms_add(void *arg, const char *s, size_t n)
{
	struct terms *t = arg;
	char *c = arena_strndup(t->a, s, n);
	char **v = c ? arena_grow(t->a, t->v, t->n, &t->cap,
				  sizeof(*t->v), 32)
		     : NULL;
	if (!v) {
		t->failed = true;
		return;
	}
	t->v = v;
	t->v[t->n++] = c;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* sorted, each term once */
static void terms_sort(struct terms *t)
{
	size_t k = 0;
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), cmp_str);
	for (size_t i = 0; i < t->n; i++)
		if (!k || strcmp(t->v[k - 1], t->v[i]))
			t->v[k++] = t->v[i];
	t->n = k;
}

static void query_word(void *arg, const char *w, size_t n)
{
	struct terms *t = arg;
	if (t->n >= SEARCH_WORDS_MAX)
		return;
	for (size_t k = 0; stopwords[k]; k++)
		if (strlen(stopwords[k]) == n && !memcmp(stopwords[k], w, n))
			return;
	terms_add(t, w, n);
}

size_t search_query_words(struct arena *a, const char *q, const char **out)
{
	struct terms t = {.a = a};
	each_word(q, strlen(q), query_word, &t);
	for (size_t i = 0; !t.failed && i < t.n; i++)
		out[i] = t.v[i];
	return t.failed ? 0 : t.n;
}

char *search_text_terms(struct arena *a, const char *text)
{
	struct terms t = {.a = a};
	struct buf b = BUF_INIT;
	each_word(text, strlen(text), terms_add, &t);
	terms_sort(&t);
	for (size_t i = 0; i < t.n; i++)
		buf_addf(&b, "%s%s", i ? " " : "", t.v[i]);
	char *s = arena_strdup(a, b.data ? b.data : "");
	buf_release(&b);
	return s;
}

/* ------------------------------------------------------------ terms */

/* The source as its term: "#s", trailing spaces dropped (MariaDB's
 * comparison ignores them), ASCII lowercased; NULL when the source holds
 * other bytes (FULLTEXT's collation would compare them otherwise) or
 * control characters. */
static char *source_term(struct arena *a, const char *src)
{
	size_t n = strlen(src);
	while (n && src[n - 1] == ' ')
		n--;
	char *t = arena_alloc(a, n + 3);
	if (!t)
		return NULL;
	memcpy(t, "#s", 2);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];
		if (c >= 0x80 || c < 0x20)
			return NULL;
		t[2 + i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	t[n + 2] = 0;
	return t;
}

/* A candidate's row and notes as the build and the fold read them. */
struct cand {
	uint64_t id;
	const char *source, *day; /* day: "YYYY-MM-DD" */
	const char *text[7];	  /* name, email, headline... */
};
struct note {
	uint64_t cand, author;
	bool pub;
	const char *body;
	size_t len;
};
/* One owner's terms of one candidate, sorted. */
struct doc {
	uint64_t cand, owner;
	struct terms t;
};

#define CAND_COLS                                                              \
	"c.id, c.source, DATE_FORMAT(c.created_at, '%Y-%m-%d'), "              \
	"c.first_name, c.last_name, COALESCE(c.email, ''), c.headline, "       \
	"c.current_title, c.current_company, c.location"

static void cand_from_row(const struct db_row *r, size_t off, struct cand *c)
{
	c->id = (uint64_t)db_int(r, off);
	c->source = r->v[off + 1] ? r->v[off + 1] : "";
	c->day = r->v[off + 2] ? r->v[off + 2] : "";
	for (size_t i = 0; i < 7; i++)
		c->text[i] = r->v[off + 3 + i] ? r->v[off + 3 + i] : "";
}

static void note_from_row(const struct db_row *r, struct note *n)
{
	n->cand = (uint64_t)db_int(r, 0);
	n->author = (uint64_t)db_int(r, 1);
	n->pub = db_int(r, 2) != 0;
	n->body = r->v[3] ? r->v[3] : "";
	n->len = r->v[3] ? r->len[3] : 0;
}

/* The docs of candidate c with its notes nv[0..nn) into *docs (grown):
 * owner 0 first, then each author of private notes. */
static int cand_docs(struct arena *a, const struct cand *c,
		     const struct note *nv, size_t nn, struct doc **docs,
		     size_t *ndocs, size_t *cap)
{
	struct doc d0 = {.cand = c->id, .owner = 0, .t = {.a = a}};
	char *st = *c->source ? source_term(a, c->source) : NULL;
	for (size_t i = 0; i < 7; i++)
		each_word(c->text[i], strlen(c->text[i]), terms_add, &d0.t);
	if (st)
		terms_add(&d0.t, st, strlen(st));
	if (strlen(c->day) == 10) {
		char t[16];
		snprintf(t, sizeof(t), "#y%.4s", c->day);
		terms_add(&d0.t, t, strlen(t));
		snprintf(t, sizeof(t), "#m%.7s", c->day);
		terms_add(&d0.t, t, strlen(t));
		snprintf(t, sizeof(t), "#d%.10s", c->day);
		terms_add(&d0.t, t, strlen(t));
	}
	for (size_t i = 0; i < nn; i++)
		if (nv[i].pub)
			each_word(nv[i].body, nv[i].len, terms_add, &d0.t);
	struct doc *v = arena_grow(a, *docs, *ndocs, cap, sizeof(**docs),
				   64);
	if (!v || d0.t.failed)
		return DB_ERROR;
	*docs = v;
	terms_sort(&d0.t);
	if (d0.t.n)
		(*docs)[(*ndocs)++] = d0;
	for (size_t i = 0; i < nn; i++) {
		bool seen = nv[i].pub;
		for (size_t k = 0; !seen && k < i; k++)
			seen = !nv[k].pub && nv[k].author == nv[i].author;
		if (seen)
			continue;
		struct doc d = {.cand = c->id, .owner = nv[i].author,
				.t = {.a = a}};
		for (size_t k = i; k < nn; k++)
			if (!nv[k].pub && nv[k].author == nv[i].author)
				each_word(nv[k].body, nv[k].len, terms_add,
					  &d.t);
		v = arena_grow(a, *docs, *ndocs, cap, sizeof(**docs), 64);
		if (!v || d.t.failed)
			return DB_ERROR;
		*docs = v;
		terms_sort(&d.t);
		if (d.t.n)
			(*docs)[(*ndocs)++] = d;
	}
	return DB_OK;
}

/* ------------------------------------------------------------ sets */

static int set_new(struct arena *a, size_t nw, struct search_set *s)
{
	s->nw = nw;
	s->w = arena_calloc(a, nw ? nw : 1, sizeof(*s->w));
	return s->w ? DB_OK : DB_ERROR;
}

size_t search_set_count(const struct search_set *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nw; i++)
		if (s->w[i]) /* most are 0, and popcount a call (x86-64 v1) */
			n += (size_t)__builtin_popcountll(s->w[i]);
	return n;
}

bool search_set_has(const struct search_set *s, uint64_t id)
{
	return id / 64 < s->nw && (s->w[id / 64] >> (id % 64) & 1);
}

static void set_put(struct search_set *s, uint64_t id, bool on)
{
	if (id / 64 >= s->nw)
		return;
	if (on)
		s->w[id / 64] |= 1ull << (id % 64);
	else
		s->w[id / 64] &= ~(1ull << (id % 64));
}

/* The ids of a postings blob (n of them) of block into bitmap words w of
 * nw (bit 0 of w: the block's first id when base is 0). */
static void blob_or(uint64_t *w, size_t nw, size_t base, int64_t n,
		    const char *p, size_t len)
{
	if (n >= ARRAY_MAX) {
		for (size_t i = 0; i < BLOCK_WORDS && base + i < nw &&
				   (i + 1) * 8 <= len;
		     i++) {
			uint64_t x;
			memcpy(&x, p + i * 8, 8);
			w[base + i] |= x;
		}
		return;
	}
	for (size_t i = 0; (i + 1) * 2 <= len; i++) {
		uint16_t off;
		memcpy(&off, p + i * 2, 2);
		size_t bit = base * 64 + off;
		if (bit / 64 < nw)
			w[bit / 64] |= 1ull << (bit % 64);
	}
}

/* ------------------------------------------------------------ cache */

struct kept {
	char *key;
	size_t klen;
	uint64_t rev, used;
	struct search_set set; /* malloc'd, nw trimmed to its last id */
};

static struct {
	pthread_mutex_t mu;
	bool off;
	size_t max;
	struct kept *v;
	uint64_t clock;
} cache = {.mu = PTHREAD_MUTEX_INITIALIZER, .max = 64};

void search_index_configure(bool on, int cache_entries)
{
	cache.off = !on;
	cache.max = cache_entries > 0 ? (size_t)cache_entries : 0;
}

/* ORs the kept set of key at rev into into; false when none is kept. */
static bool cache_or(const char *key, size_t klen, uint64_t rev,
		     struct search_set *into)
{
	bool hit = false;
	pthread_mutex_lock(&cache.mu);
	for (size_t i = 0; cache.v && i < cache.max; i++) {
		struct kept *k = &cache.v[i];
		if (!k->key || k->rev != rev || k->klen != klen ||
		    memcmp(k->key, key, klen))
			continue;
		for (size_t j = 0; j < k->set.nw && j < into->nw; j++)
			into->w[j] |= k->set.w[j];
		k->used = ++cache.clock;
		hit = true;
		break;
	}
	pthread_mutex_unlock(&cache.mu);
	return hit;
}

/* Keeps a copy of s as key's at rev, in place of the least used. */
static void cache_put(const char *key, size_t klen, uint64_t rev,
		      const struct search_set *s)
{
	size_t nw = s->nw;
	while (nw && !s->w[nw - 1])
		nw--;
	char *kc = malloc(klen);
	uint64_t *w = malloc(nw ? nw * sizeof(*w) : 1);
	if (!kc || !w) {
		free(kc);
		free(w);
		return;
	}
	memcpy(kc, key, klen);
	memcpy(w, s->w, nw * sizeof(*w));
	pthread_mutex_lock(&cache.mu);
	if (!cache.v)
		cache.v = calloc(cache.max, sizeof(*cache.v));
	struct kept *victim = NULL;
	for (size_t i = 0; cache.v && i < cache.max; i++) {
		struct kept *k = &cache.v[i];
		if (!k->key || (k->klen == klen && !memcmp(k->key, key, klen))) {
			victim = k;
			break;
		}
		if (!victim || k->used < victim->used)
			victim = k;
	}
	if (victim) {
		free(victim->key);
		free(victim->set.w);
		*victim = (struct kept){kc, klen, rev, ++cache.clock, {nw, w}};
		kc = NULL;
		w = NULL;
	}
	pthread_mutex_unlock(&cache.mu);
	free(kc);
	free(w);
}

/* ------------------------------------------------------------ search */

#define RANGE_SQL                                                              \
	"SELECT s.rev, p.block, p.n, p.ids FROM search_state s LEFT JOIN "    \
	"search_postings p ON p.owner = ? AND p.term BETWEEN ? AND ? WHERE "  \
	"s.id = 1"

/* 1 when the index moved on since rev (the search starts again) */
#define MOVED 1

/* ORs into into the ids of owner's terms from lo to hi (bytes, both
 * inclusive), at revision rev. */
static int range_or(struct db *db, struct arena *a, uint64_t owner,
		    const char *lo, size_t lolen, const char *hi, size_t hilen,
		    uint64_t rev, struct search_set *into)
{
	size_t klen = 8 + 2 + lolen + hilen;
	char *key = arena_alloc(a, klen);
	if (!key)
		return DB_ERROR;
	memcpy(key, &owner, 8);
	memcpy(key + 8, lo, lolen);
	key[8 + lolen] = 0x1f;
	memcpy(key + 9 + lolen, hi, hilen);
	key[klen - 1] = 0x1f;
	if (cache.max && cache_or(key, klen, rev, into))
		return DB_OK;

	struct db_result res;
	int rc = db_query(db, a, &res, RANGE_SQL, "ubb", owner, lo, lolen, hi,
			  hilen);
	if (rc != DB_OK)
		return rc;
	if (!res.nrows || (uint64_t)db_int(&res.rows[0], 0) != rev)
		return MOVED;
	struct search_set s;
	if (set_new(a, into->nw, &s) != DB_OK)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		const struct db_row *r = &res.rows[i];
		if (!r->v[1])
			continue;
		blob_or(s.w, s.nw, (size_t)db_int(r, 1) * BLOCK_WORDS,
			db_int(r, 2), r->v[3], r->len[3]);
	}
	for (size_t j = 0; j < s.nw; j++)
		into->w[j] |= s.w[j];
	if (cache.max)
		cache_put(key, klen, rev, &s);
	return DB_OK;
}

static void and_into(struct search_set *acc, const struct search_set *s)
{
	for (size_t j = 0; j < acc->nw; j++)
		acc->w[j] &= s->w[j];
}

struct ymd {
	int y, m, d;
};

static int month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* The day range [from, to] as the fewest ranges of day, month and year
 * terms: "lo hi" pairs into lo[], hi[] (at most 5); their number. */
static size_t date_ranges(struct arena *a, const char *from, const char *to,
			  char **lo, char **hi)
{
	struct ymd f = {1000, 1, 1}, t = {9999, 12, 31};
	size_t n = 0;
	if (*from)
		sscanf(from, "%d-%d-%d", &f.y, &f.m, &f.d);
	if (*to)
		sscanf(to, "%d-%d-%d", &t.y, &t.m, &t.d);
#define DAYS(y, m, d1, d2)                                                     \
	(lo[n] = arena_printf(a, "#d%04d-%02d-%02d", y, m, d1),                \
	 hi[n++] = arena_printf(a, "#d%04d-%02d-%02d", y, m, d2))
#define MONTHS(y, m1, m2)                                                      \
	(lo[n] = arena_printf(a, "#m%04d-%02d", y, m1),                        \
	 hi[n++] = arena_printf(a, "#m%04d-%02d", y, m2))
	if (f.y * 12 + f.m > t.y * 12 + t.m ||
	    (f.y == t.y && f.m == t.m && f.d > t.d))
		return 0;
	if (f.y == t.y && f.m == t.m &&
	    !(f.d == 1 && t.d == month_days(t.y, t.m))) {
		DAYS(f.y, f.m, f.d, t.d);
		return n;
	}
	if (f.d != 1) {
		DAYS(f.y, f.m, f.d, 31);
		f.m = f.m == 12 ? (f.y++, 1) : f.m + 1;
	}
	if (t.d != month_days(t.y, t.m)) {
		DAYS(t.y, t.m, 1, t.d);
		t.m = t.m == 1 ? (t.y--, 12) : t.m - 1;
	}
	if (f.y * 12 + f.m > t.y * 12 + t.m)
		return n;
	if (f.y == t.y) {
		MONTHS(f.y, f.m, t.m);
		return n;
	}
	if (f.m != 1) {
		MONTHS(f.y, f.m, 12);
		f.y++;
	}
	if (t.m != 12) {
		MONTHS(t.y, 1, t.m);
		t.y--;
	}
	if (f.y <= t.y) {
		lo[n] = arena_printf(a, "#y%04d", f.y);
		hi[n++] = arena_printf(a, "#y%04d", t.y);
	}
	return n;
#undef DAYS
#undef MONTHS
}

char *search_date_terms(struct arena *a, const char *from, const char *to)
{
	char *lo[5], *hi[5];
	size_t n = date_ranges(a, from, to, lo, hi);
	char *s = arena_strdup(a, "");
	for (size_t i = 0; s && i < n; i++)
		s = arena_printf(a, "%s%s%s..%s", s, i ? " " : "", lo[i], hi[i]);
	return s;
}

/* The index's revision, the highest candidate id and whether a change
 * waits to be folded: what a search needs to know first, and on most
 * searches all, since changes are folded within a second. */
#define STATE_SQL                                                              \
	"SELECT s.rev, (SELECT MAX(id) FROM candidates), EXISTS (SELECT 1 "   \
	"FROM search_dirty) FROM search_state s WHERE s.id = 1 AND "           \
	"s.built = 1"

/* The changed candidates, and the index's revision, in one statement:
 * the row of search_state alone when none waits; none when the index is
 * not built.  A candidate deleted since has NULL columns. */
#define DIRTY_SQL                                                              \
	"SELECT s.rev, (SELECT MAX(id) FROM candidates), d.candidate_id, "    \
	CAND_COLS ", (SELECT GROUP_CONCAT(n.body SEPARATOR ' ') FROM notes n " \
	"WHERE n.candidate_id = c.id AND (n.visibility = 'public' OR "         \
	"n.author_id = ?)) FROM search_state s LEFT JOIN (SELECT DISTINCT "    \
	"candidate_id FROM search_dirty LIMIT ?) d ON TRUE LEFT JOIN "         \
	"candidates c ON c.id = d.candidate_id WHERE s.id = 1 AND s.built = 1"

/* Does word w start one of the sorted terms t? */
static bool starts_a_term(const struct terms *t, const char *w)
{
	size_t n = strlen(w);
	for (size_t i = 0; i < t->n; i++)
		if (!strncmp(t->v[i], w, n))
			return true;
	return false;
}

/* A changed candidate (its row r from DIRTY_SQL) tested itself. */
static bool dirty_matches(struct arena *a, const struct db_row *r,
			  const char *const *words, size_t nwords,
			  const char *st, const struct search_filter *f)
{
	struct cand c;
	struct terms t = {.a = a};
	cand_from_row(r, 3, &c);
	if (st) {
		const char *cs = *c.source ? source_term(a, c.source) : NULL;
		if (!cs || strcmp(cs, st))
			return false;
	}
	if ((*f->from && strcmp(c.day, f->from) < 0) ||
	    (*f->to && strcmp(c.day, f->to) > 0))
		return false;
	for (size_t i = 0; i < 7; i++)
		each_word(c.text[i], strlen(c.text[i]), terms_add, &t);
	if (r->v[13])
		each_word(r->v[13], r->len[13], terms_add, &t);
	for (size_t i = 0; i < nwords; i++)
		if (!starts_a_term(&t, words[i]))
			return false;
	return !t.failed;
}

/* Sets acc to the set of owner 0's terms from lo to hi (and the viewer's,
 * for a word: the notes only they may read), or ANDs that set into acc;
 * scratch is room for it. */
static int narrow(struct db *db, struct arena *a, int64_t viewer,
		  const char *lo, size_t lolen, const char *hi, size_t hilen,
		  uint64_t rev, bool first, struct search_set *scratch,
		  struct search_set *acc)
{
	struct search_set *s = first ? acc : scratch;
	if (!first)
		memset(s->w, 0, s->nw * sizeof(*s->w));
	int rc = range_or(db, a, 0, lo, lolen, hi, hilen, rev, s);
	if (rc == DB_OK && viewer > 0)
		rc = range_or(db, a, (uint64_t)viewer, lo, lolen, hi, hilen,
			      rev, s);
	if (rc == DB_OK && !first)
		and_into(acc, s);
	return rc;
}

static int match_once(struct db *db, struct arena *a, int64_t viewer,
		      const char *const *words, size_t nwords,
		      const struct search_filter *f, struct search_set *out)
{
	struct db_result d = {0};
	struct db_row state;
	const char *st = NULL;
	/* DB_NOT_FOUND: the index is not built */
	int rc = db_query_row(db, a, &state, STATE_SQL, "");
	if (rc != DB_OK)
		return rc;
	const struct db_row *top = &state;
	if (db_int(&state, 2)) {
		rc = db_query(db, a, &d, DIRTY_SQL, "ii", viewer,
			      (int64_t)SEARCH_DIRTY_MAX + 1);
		if (rc != DB_OK)
			return rc;
		if (!d.nrows || d.nrows > SEARCH_DIRTY_MAX)
			return DB_NOT_FOUND;
		top = &d.rows[0];
	}
	uint64_t rev = (uint64_t)db_int(top, 0);
	size_t nw = ((size_t)db_int(top, 1) >> BLOCK_SHIFT) + 1;
	nw *= BLOCK_WORDS;
	struct search_set scratch;
	if (set_new(a, nw, out) != DB_OK || set_new(a, nw, &scratch) != DB_OK)
		return DB_ERROR;

	for (size_t i = 0; i < nwords; i++) {
		size_t n = strlen(words[i]);
		char *hi = arena_alloc(a, n + 1);
		if (!hi)
			return DB_ERROR;
		memcpy(hi, words[i], n);
		hi[n] = (char)0xff; /* no UTF-8 byte: every term starting w */
		rc = narrow(db, a, viewer, words[i], n, hi, n + 1, rev, i == 0,
			    &scratch, out);
		if (rc != DB_OK)
			return rc;
	}
	if (*f->source) {
		if (!(st = source_term(a, f->source)))
			return DB_NOT_FOUND;
		rc = narrow(db, a, 0, st, strlen(st), st, strlen(st), rev,
			    false, &scratch, out);
		if (rc != DB_OK)
			return rc;
	}
	if (*f->from || *f->to) {
		char *lo[5], *hi[5];
		size_t n = date_ranges(a, f->from, f->to, lo, hi);
		memset(scratch.w, 0, nw * sizeof(*scratch.w));
		for (size_t i = 0; i < n; i++) {
			if (!lo[i] || !hi[i])
				return DB_ERROR;
			rc = range_or(db, a, 0, lo[i], strlen(lo[i]), hi[i],
				      strlen(hi[i]), rev, &scratch);
			if (rc != DB_OK)
				return rc;
		}
		and_into(out, &scratch);
	}
	for (size_t i = 0; i < d.nrows; i++) {
		const struct db_row *r = &d.rows[i];
		if (!r->v[2])
			continue;
		uint64_t id = (uint64_t)db_int(r, 2);
		set_put(out, id,
			r->v[3] && dirty_matches(a, r, words, nwords, st, f));
	}
	return DB_OK;
}

int search_index_match(struct db *db, struct arena *a, int64_t viewer,
		       const char *const *words, size_t nwords,
		       const struct search_filter *f, struct search_set *out)
{
	memset(out, 0, sizeof(*out));
	if (cache.off || !nwords)
		return DB_NOT_FOUND;
	for (int run = 0; run < 3; run++) {
		int rc = match_once(db, a, viewer, words, nwords, f, out);
		if (rc != MOVED)
			return rc;
	}
	return DB_NOT_FOUND;
}

/* ------------------------------------------------------------ writes */

/* postings of one (owner, term, block) being written: the offsets, or
 * for the fold the changes (offset, plus REMOVE to take it out) */
#define REMOVE 0x10000u
struct post {
	uint64_t owner;
	uint32_t block;
	const char *term;
	uint32_t *v;
	size_t n, cap;
	/* the fold: the postings there were (old NULL: none) */
	const char *old;
	size_t oldlen;
	int64_t oldn;
};
struct posts {
	struct post *p;
	size_t n, cap; /* cap: 0 or a power of 2 */
};

static uint64_t post_hash(uint64_t owner, uint32_t block, const char *term)
{
	uint64_t h = 1469598103934665603ull ^ owner ^ ((uint64_t)block << 40);
	for (const unsigned char *p = (const unsigned char *)term; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

static struct post *posts_get(struct posts *h, uint64_t owner, uint32_t block,
			      const char *term)
{
	if (2 * (h->n + 1) > h->cap) {
		size_t ncap = h->cap ? 2 * h->cap : 1024;
		struct post *np = calloc(ncap, sizeof(*np));
		if (!np)
			return NULL;
		for (size_t i = 0; i < h->cap; i++) {
			if (!h->p[i].term)
				continue;
			size_t k = post_hash(h->p[i].owner, h->p[i].block,
					     h->p[i].term) &
				   (ncap - 1);
			while (np[k].term)
				k = (k + 1) & (ncap - 1);
			np[k] = h->p[i];
		}
		free(h->p);
		h->p = np;
		h->cap = ncap;
	}
	size_t k = post_hash(owner, block, term) & (h->cap - 1);
	while (h->p[k].term && (h->p[k].owner != owner ||
				h->p[k].block != block ||
				strcmp(h->p[k].term, term)))
		k = (k + 1) & (h->cap - 1);
	if (!h->p[k].term) {
		h->p[k] = (struct post){.owner = owner, .block = block,
					.term = term};
		h->n++;
	}
	return &h->p[k];
}

static int post_add(struct post *p, uint32_t v)
{
	if (p->n == p->cap) {
		size_t ncap = p->cap ? 2 * p->cap : 4;
		uint32_t *nv = realloc(p->v, ncap * sizeof(*nv));
		if (!nv)
			return DB_ERROR;
		p->v = nv;
		p->cap = ncap;
	}
	p->v[p->n++] = v;
	return DB_OK;
}

static void posts_free(struct posts *h)
{
	for (size_t i = 0; i < h->cap; i++)
		free(h->p[i].v);
	free(h->p);
	*h = (struct posts){0};
}

static void json_str(struct buf *b, const char *s, size_t n)
{
	buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_addf(b, "\\%c", c);
		else if (c < 0x20)
			buf_addf(b, "\\u%04x", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}

/* A block's ids (bitmap bm, n of them) as their blob into b, hex. */
static void blob_hex(struct buf *b, const uint64_t *bm, size_t n)
{
	if (n >= ARRAY_MAX) {
		buf_add_hex(b, (const unsigned char *)bm, BLOCK_WORDS * 8);
		return;
	}
	for (size_t i = 0; i < BLOCK_WORDS; i++)
		for (uint64_t x = bm[i]; x; x &= x - 1) {
			uint16_t off = (uint16_t)(i * 64 + (size_t)__builtin_ctzll(x));
			buf_add_hex(b, (const unsigned char *)&off, 2);
		}
}

#define JSON_KEY_COLS                                                          \
	"owner BIGINT UNSIGNED PATH '$[0]', term VARCHAR(400) CHARACTER SET "  \
	"utf8mb4 PATH '$[1]', block INT UNSIGNED PATH '$[2]'"
#define POSTINGS_WRITE                                                         \
	"REPLACE INTO search_postings (owner, term, block, n, ids) SELECT "    \
	"j.owner, CAST(j.term AS BINARY), j.block, j.n, UNHEX(j.ids) FROM "    \
	"JSON_TABLE(?, '$[*]' COLUMNS (" JSON_KEY_COLS ", n INT UNSIGNED "     \
	"PATH '$[3]', ids LONGTEXT PATH '$[4]')) j"
#define POSTINGS_DELETE                                                        \
	"DELETE p FROM JSON_TABLE(?, '$[*]' COLUMNS (" JSON_KEY_COLS ")) j "   \
	"JOIN search_postings p ON p.owner = j.owner AND p.term = "            \
	"CAST(j.term AS BINARY) AND p.block = j.block"
#define DOCS_WRITE                                                             \
	"REPLACE INTO search_docs (candidate_id, owner, terms) SELECT j.c, "   \
	"j.o, COMPRESS(j.t) FROM JSON_TABLE(?, '$[*]' COLUMNS (c BIGINT "      \
	"UNSIGNED PATH '$[0]', o BIGINT UNSIGNED PATH '$[1]', t LONGTEXT "     \
	"CHARACTER SET utf8mb4 PATH '$[2]')) j"
#define DOCS_DELETE                                                            \
	"DELETE d FROM JSON_TABLE(?, '$[*]' COLUMNS (c BIGINT UNSIGNED PATH "  \
	"'$[0]', o BIGINT UNSIGNED PATH '$[1]')) j JOIN search_docs d ON "     \
	"d.candidate_id = j.c AND d.owner = j.o"
#define IDS_JSON "JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j"

/* Rows gathered as one JSON array for a statement sql, run every
 * WRITE_ROWS rows and at the end. */
struct batch {
	struct db *db;
	const char *sql;
	struct buf b;
	size_t n;
	int rc;
};

static void batch_row(struct batch *w)
{
	buf_adds(&w->b, w->n++ ? "," : "[");
}

static void batch_flush(struct batch *w)
{
	if (w->n && w->rc == DB_OK) {
		buf_addc(&w->b, ']');
		w->rc = buf_failed(&w->b)
			    ? DB_ERROR
			    : db_exec(w->db, NULL, w->sql, "b", w->b.data,
				      w->b.len);
	}
	buf_reset(&w->b);
	w->n = 0;
}

static void batch_end_row(struct batch *w)
{
	buf_addc(&w->b, ']');
	if (w->n >= WRITE_ROWS || w->b.len > (8u << 20))
		batch_flush(w);
}

static void doc_row(struct batch *w, const struct doc *d)
{
	struct buf t = BUF_INIT;
	for (size_t i = 0; i < d->t.n; i++)
		buf_addf(&t, "%s%s", i ? "\n" : "", d->t.v[i]);
	batch_row(w);
	buf_addf(&w->b, "[%llu,%llu,", (unsigned long long)d->cand,
		 (unsigned long long)d->owner);
	json_str(&w->b, t.data ? t.data : "", t.len);
	buf_release(&t);
	batch_end_row(w);
}

static void key_row(struct batch *w, const struct post *p)
{
	batch_row(w);
	buf_addf(&w->b, "[%llu,", (unsigned long long)p->owner);
	json_str(&w->b, p->term, strlen(p->term));
	buf_addf(&w->b, ",%u", p->block);
}

static void postings_row(struct batch *w, const struct post *p,
			 const uint64_t *bm, size_t n)
{
	key_row(w, p);
	buf_addf(&w->b, ",%zu,\"", n);
	blob_hex(&w->b, bm, n);
	buf_addc(&w->b, '"');
	batch_end_row(w);
}

/* The docs of candidate rows cr (CAND_COLS, by id) and their notes nr
 * (by candidate) into *docs. */
static int docs_of(struct arena *a, const struct db_result *cr,
		   const struct db_result *nr, struct doc **docs,
		   size_t *ndocs)
{
	size_t cap = 0, k = 0;
	struct note *nv = arena_calloc(a, nr->nrows ? nr->nrows : 1,
				       sizeof(*nv));
	if (!nv)
		return DB_ERROR;
	for (size_t i = 0; i < nr->nrows; i++)
		note_from_row(&nr->rows[i], &nv[i]);
	*docs = NULL;
	*ndocs = 0;
	for (size_t i = 0; i < cr->nrows; i++) {
		struct cand c;
		cand_from_row(&cr->rows[i], 0, &c);
		while (k < nr->nrows && nv[k].cand < c.id)
			k++;
		size_t e = k;
		while (e < nr->nrows && nv[e].cand == c.id)
			e++;
		if (cand_docs(a, &c, nv + k, e - k, docs, ndocs, &cap) !=
		    DB_OK)
			return DB_ERROR;
		k = e;
	}
	return DB_OK;
}

/* ------------------------------------------------------------ build */

#define BUILD_CHUNK 8192

static int lock_index(struct db *db, struct arena *a, int wait_s, bool *got)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT GET_LOCK('hirelink.search_index', ?)",
			      "i", (int64_t)wait_s);
	*got = rc == DB_OK && db_int(&r, 0) == 1;
	return rc;
}

static void unlock_index(struct db *db)
{
	struct arena *a = arena_new(1024);
	struct db_row r;
	if (a)
		db_query_row(db, a, &r,
			     "SELECT RELEASE_LOCK('hirelink.search_index')", "");
	arena_free(a);
}

/* One block of ids: its docs and postings written. */
static int build_block(struct db *db, uint32_t block, struct batch *pw,
		       struct batch *dw, int64_t *count)
{
	struct posts h = {0};
	int rc = DB_OK;
	struct arena *keep = arena_new(1 << 20);
	if (!keep)
		return DB_ERROR;
	for (uint64_t lo = (uint64_t)block << BLOCK_SHIFT;
	     rc == DB_OK && lo < ((uint64_t)block + 1) << BLOCK_SHIFT;
	     lo += BUILD_CHUNK) {
		struct arena *a = arena_new(1 << 20);
		struct db_result cr, nr;
		struct doc *docs;
		size_t nd;
		if (!a) {
			rc = DB_ERROR;
			break;
		}
		rc = db_query(db, a, &cr,
			      "SELECT " CAND_COLS " FROM candidates c WHERE "
			      "c.id >= ? AND c.id < ? ORDER BY c.id",
			      "uu", lo, lo + BUILD_CHUNK);
		if (rc == DB_OK)
			rc = db_query(db, a, &nr,
				      "SELECT candidate_id, author_id, "
				      "visibility = 'public', body FROM notes "
				      "WHERE candidate_id >= ? AND "
				      "candidate_id < ? ORDER BY candidate_id",
				      "uu", lo, lo + BUILD_CHUNK);
		if (rc == DB_OK)
			rc = docs_of(a, &cr, &nr, &docs, &nd);
		for (size_t i = 0; rc == DB_OK && i < nd; i++) {
			doc_row(dw, &docs[i]);
			for (size_t k = 0; rc == DB_OK && k < docs[i].t.n;
			     k++) {
				struct post *p = posts_get(
				    &h, docs[i].owner, block, docs[i].t.v[k]);
				if (p && !p->v)
					p->term = arena_strdup(keep, p->term);
				rc = p && p->term
					 ? post_add(p, (uint32_t)(docs[i].cand &
								  (BLOCK_IDS - 1)))
					 : DB_ERROR;
			}
		}
		if (rc == DB_OK)
			*count += (int64_t)cr.nrows;
		if (rc == DB_OK && dw->rc != DB_OK)
			rc = dw->rc;
		arena_free(a);
	}
	uint64_t *bm = calloc(BLOCK_WORDS, sizeof(*bm));
	if (!bm)
		rc = DB_ERROR;
	for (size_t i = 0; rc == DB_OK && i < h.cap; i++) {
		struct post *p = &h.p[i];
		if (!p->term)
			continue;
		memset(bm, 0, BLOCK_WORDS * sizeof(*bm));
		for (size_t k = 0; k < p->n; k++)
			bm[p->v[k] / 64] |= 1ull << (p->v[k] % 64);
		postings_row(pw, p, bm, p->n);
		rc = pw->rc;
	}
	free(bm);
	posts_free(&h);
	arena_free(keep);
	return rc;
}

int search_index_build(struct db *db, int64_t *candidates)
{
	struct arena *a = arena_new(4096);
	struct batch pw = {.db = db, .sql = POSTINGS_WRITE, .b = BUF_INIT};
	struct batch dw = {.db = db, .sql = DOCS_WRITE, .b = BUF_INIT};
	struct db_row r;
	int64_t count = 0, maxseq = 0;
	bool locked = false;
	int rc = a ? lock_index(db, a, 600, &locked) : DB_ERROR;
	if (rc == DB_OK && !locked)
		rc = DB_ERROR;
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE search_state SET built = 0, rev = rev + 1 "
			     "WHERE id = 1",
			     "");
	if (rc == DB_OK)
		rc = db_query_row(db, a, &r,
				  "SELECT COALESCE(MAX(seq), 0), (SELECT "
				  "COALESCE(MAX(id), 0) FROM candidates) FROM "
				  "search_dirty",
				  "");
	int64_t maxid = rc == DB_OK ? db_int(&r, 1) : 0;
	maxseq = rc == DB_OK ? db_int(&r, 0) : 0;
	if (rc == DB_OK)
		rc = db_exec(db, NULL, "TRUNCATE TABLE search_postings", "");
	if (rc == DB_OK)
		rc = db_exec(db, NULL, "TRUNCATE TABLE search_docs", "");
	for (uint32_t b = 0; rc == DB_OK && b <= (uint64_t)maxid >> BLOCK_SHIFT;
	     b++) {
		rc = db_begin(db);
		if (rc == DB_OK)
			rc = build_block(db, b, &pw, &dw, &count);
		batch_flush(&pw);
		batch_flush(&dw);
		if (rc == DB_OK)
			rc = pw.rc != DB_OK ? pw.rc : dw.rc;
		if (rc == DB_OK)
			rc = db_commit(db);
		else
			db_rollback(db);
	}
	if (rc == DB_OK)
		rc = db_exec(db, NULL, "DELETE FROM search_dirty WHERE seq <= ?",
			     "i", maxseq);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE search_state SET built = 1, rev = rev + 1 "
			     "WHERE id = 1",
			     "");
	if (locked)
		unlock_index(db);
	buf_release(&pw.b);
	buf_release(&dw.b);
	arena_free(a);
	if (candidates)
		*candidates = count;
	return rc;
}

int search_index_ensure(struct db *db, int64_t *candidates)
{
	struct arena *a = arena_new(1024);
	struct db_row r;
	int rc = a ? db_query_row(db, a, &r,
				  "SELECT built FROM search_state WHERE id = 1",
				  "")
		   : DB_ERROR;
	bool built = rc == DB_OK && db_int(&r, 0);
	arena_free(a);
	if (candidates)
		*candidates = -1;
	if (rc != DB_OK || built)
		return rc;
	return search_index_build(db, candidates);
}

/* ------------------------------------------------------------ fold */

static int cmp_doc(const void *x, const void *y)
{
	const struct doc *a = x, *b = y;
	if (a->cand != b->cand)
		return a->cand < b->cand ? -1 : 1;
	return a->owner < b->owner ? -1 : a->owner > b->owner;
}

/* The docs search_docs holds (rows candidate, owner, terms by
 * candidate and owner). */
static int old_docs(struct arena *a, const struct db_result *res,
		    struct doc **out)
{
	*out = arena_calloc(a, res->nrows ? res->nrows : 1, sizeof(**out));
	if (!*out)
		return DB_ERROR;
	for (size_t i = 0; i < res->nrows; i++) {
		const struct db_row *r = &res->rows[i];
		struct doc *d = &(*out)[i];
		*d = (struct doc){.cand = (uint64_t)db_int(r, 0),
				  .owner = (uint64_t)db_int(r, 1),
				  .t = {.a = a}};
		const char *p = r->v[2] ? r->v[2] : "";
		size_t n = r->v[2] ? r->len[2] : 0;
		for (size_t s = 0, e; s < n; s = e + 1) {
			const char *nl = memchr(p + s, '\n', n - s);
			e = nl ? (size_t)(nl - p) : n;
			if (e > s)
				terms_add(&d->t, p + s, e - s);
		}
		if (d->t.failed)
			return DB_ERROR;
	}
	return DB_OK;
}

/* The changes from old to new terms of one candidate's doc, into h. */
static int doc_changes(struct posts *h, uint64_t cand, uint64_t owner,
		       const struct terms *old, const struct terms *new,
		       bool *changed)
{
	uint32_t block = (uint32_t)(cand >> BLOCK_SHIFT);
	uint32_t off = (uint32_t)(cand & (BLOCK_IDS - 1));
	size_t i = 0, k = 0;
	*changed = false;
	while (i < (old ? old->n : 0) || k < (new ? new->n : 0)) {
		int c = i == (old ? old->n : 0)	  ? 1
			: k == (new ? new->n : 0) ? -1
						  : strcmp(old->v[i], new->v[k]);
		if (!c) {
			i++;
			k++;
			continue;
		}
		const char *t = c < 0 ? old->v[i++] : new->v[k++];
		struct post *p = posts_get(h, owner, block, t);
		if (!p || post_add(p, c < 0 ? off | REMOVE : off) != DB_OK)
			return DB_ERROR;
		*changed = true;
	}
	return DB_OK;
}

static int fold_postings(struct db *db, struct arena *a, struct posts *h)
{
	struct batch kw = {.db = db, .b = BUF_INIT};
	struct db_result res;
	int rc = DB_OK;
	for (size_t i = 0; i < h->cap; i++)
		if (h->p[i].term) {
			key_row(&kw, &h->p[i]);
			buf_addc(&kw.b, ']');
		}
	buf_addc(&kw.b, ']');
	if (buf_failed(&kw.b))
		rc = DB_ERROR;
	if (rc == DB_OK)
		rc = db_query(db, a, &res,
			      "SELECT p.owner, p.term, p.block, p.n, p.ids "
			      "FROM JSON_TABLE(?, '$[*]' COLUMNS (" JSON_KEY_COLS
			      ")) j JOIN search_postings p ON p.owner = "
			      "j.owner AND p.term = CAST(j.term AS BINARY) AND "
			      "p.block = j.block FOR UPDATE",
			      "b", kw.b.data, kw.b.len);
	buf_release(&kw.b);
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++) {
		const struct db_row *r = &res.rows[i];
		struct post *p = posts_get(h, (uint64_t)db_int(r, 0),
					   (uint32_t)db_int(r, 2), r->v[1]);
		if (!p)
			return DB_ERROR;
		p->old = r->v[4];
		p->oldlen = r->len[4];
		p->oldn = db_int(r, 3);
	}
	struct batch pw = {.db = db, .sql = POSTINGS_WRITE, .b = BUF_INIT};
	struct batch pd = {.db = db, .sql = POSTINGS_DELETE, .b = BUF_INIT};
	uint64_t *bm = calloc(BLOCK_WORDS, sizeof(*bm));
	if (!bm)
		rc = DB_ERROR;
	for (size_t i = 0; rc == DB_OK && i < h->cap; i++) {
		struct post *p = &h->p[i];
		if (!p->term || !p->n)
			continue;
		memset(bm, 0, BLOCK_WORDS * sizeof(*bm));
		if (p->old)
			blob_or(bm, BLOCK_WORDS, 0, p->oldn, p->old, p->oldlen);
		for (size_t k = 0; k < p->n; k++) {
			uint32_t off = p->v[k] & (BLOCK_IDS - 1);
			if (p->v[k] & REMOVE)
				bm[off / 64] &= ~(1ull << (off % 64));
			else
				bm[off / 64] |= 1ull << (off % 64);
		}
		size_t n = 0;
		for (size_t k = 0; k < BLOCK_WORDS; k++)
			n += (size_t)__builtin_popcountll(bm[k]);
		if (n)
			postings_row(&pw, p, bm, n);
		else if (p->old) {
			key_row(&pd, p);
			batch_end_row(&pd);
		}
	}
	free(bm);
	batch_flush(&pw);
	batch_flush(&pd);
	if (rc == DB_OK)
		rc = pw.rc != DB_OK ? pw.rc : pd.rc;
	buf_release(&pw.b);
	buf_release(&pd.b);
	return rc;
}

/* One fold inside its transaction: the changed candidates of dirty (seq,
 * candidate_id by seq) indexed again, their rows deleted. */
static int fold_run(struct db *db, struct arena *a,
		    const struct db_result *dirty)
{
	struct buf ids = BUF_INIT, seqs = BUF_INIT;
	struct db_result cr, nr, orows;
	struct doc *nd = NULL, *od = NULL;
	size_t nnd = 0;
	struct posts h = {0};
	struct batch dw = {.db = db, .sql = DOCS_WRITE, .b = BUF_INIT};
	struct batch dd = {.db = db, .sql = DOCS_DELETE, .b = BUF_INIT};
	int rc = DB_OK;

	buf_addc(&ids, '[');
	buf_addc(&seqs, '[');
	for (size_t i = 0; i < dirty->nrows; i++) {
		buf_addf(&ids, "%s%s", i ? "," : "", dirty->rows[i].v[1]);
		buf_addf(&seqs, "%s%s", i ? "," : "", dirty->rows[i].v[0]);
	}
	buf_addc(&ids, ']');
	buf_addc(&seqs, ']');
	if (buf_failed(&ids) || buf_failed(&seqs))
		rc = DB_ERROR;
	/* the candidates' rows, their notes, their docs as indexed */
	static const char *const sql[] = {
	    "SELECT DISTINCT " CAND_COLS " FROM " IDS_JSON " JOIN candidates c "
	    "ON c.id = j.id ORDER BY c.id",
	    "SELECT n.candidate_id, n.author_id, n.visibility = 'public', "
	    "n.body FROM (SELECT DISTINCT id FROM " IDS_JSON ") k JOIN notes n "
	    "ON n.candidate_id = k.id ORDER BY n.candidate_id, n.id",
	    "SELECT d.candidate_id, d.owner, UNCOMPRESS(d.terms) FROM (SELECT "
	    "DISTINCT id FROM " IDS_JSON ") k JOIN search_docs d ON "
	    "d.candidate_id = k.id ORDER BY d.candidate_id, d.owner FOR UPDATE",
	};
	struct db_result *out[] = {&cr, &nr, &orows};
	for (size_t i = 0; rc == DB_OK && i < 3; i++)
		rc = db_query(db, a, out[i], sql[i], "b", ids.data, ids.len);
	if (rc == DB_OK)
		rc = docs_of(a, &cr, &nr, &nd, &nnd);
	if (rc == DB_OK)
		rc = old_docs(a, &orows, &od);
	if (rc == DB_OK && nnd)
		qsort(nd, nnd, sizeof(*nd), cmp_doc);
	/* old and new docs side by side, by candidate and owner */
	for (size_t i = 0, k = 0; rc == DB_OK && (i < orows.nrows || k < nnd);) {
		int c = i == orows.nrows ? 1
			: k == nnd	 ? -1
					 : cmp_doc(&od[i], &nd[k]);
		const struct doc *o = c <= 0 ? &od[i++] : NULL;
		const struct doc *n = c >= 0 ? &nd[k++] : NULL;
		const struct doc *d = o ? o : n;
		bool changed;
		rc = doc_changes(&h, d->cand, d->owner, o ? &o->t : NULL,
				 n ? &n->t : NULL, &changed);
		if (rc == DB_OK && n && changed)
			doc_row(&dw, n);
		else if (rc == DB_OK && !n) {
			batch_row(&dd);
			buf_addf(&dd.b, "[%llu,%llu", (unsigned long long)o->cand,
				 (unsigned long long)o->owner);
			batch_end_row(&dd);
		}
	}
	if (rc == DB_OK && h.n)
		rc = fold_postings(db, a, &h);
	batch_flush(&dw);
	batch_flush(&dd);
	if (rc == DB_OK)
		rc = dw.rc != DB_OK ? dw.rc : dd.rc;
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "DELETE d FROM JSON_TABLE(?, '$[*]' COLUMNS (seq "
			     "BIGINT UNSIGNED PATH '$')) j JOIN search_dirty d "
			     "ON d.seq = j.seq",
			     "b", seqs.data, seqs.len);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE search_state SET rev = rev + 1 WHERE id = 1",
			     "");
	posts_free(&h);
	buf_release(&ids);
	buf_release(&seqs);
	buf_release(&dw.b);
	buf_release(&dd.b);
	return rc;
}

int search_index_fold(struct db *db, size_t max, size_t *folded)
{
	struct arena *a = arena_new(1 << 20);
	struct db_result dirty = {0};
	struct db_row r;
	bool locked = false;
	if (folded)
		*folded = 0;
	int rc = a ? lock_index(db, a, 0, &locked) : DB_ERROR;
	if (rc == DB_OK && locked)
		rc = db_query_row(db, a, &r,
				  "SELECT built FROM search_state WHERE id = 1",
				  "");
	if (rc != DB_OK || !locked || !db_int(&r, 0))
		goto out;
	rc = db_exec(db, NULL, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED",
		     "");
	if (rc == DB_OK)
		rc = db_begin(db);
	if (rc == DB_OK)
		rc = db_query(db, a, &dirty,
			      "SELECT seq, candidate_id FROM search_dirty ORDER "
			      "BY seq LIMIT ? FOR UPDATE",
			      "i", (int64_t)max);
	if (rc == DB_OK && dirty.nrows)
		rc = fold_run(db, a, &dirty);
	if (rc == DB_OK)
		rc = db_commit(db);
	else if (db_in_transaction(db))
		db_rollback(db);
	if (rc == DB_OK && folded)
		*folded = dirty.nrows;
out:
	if (locked)
		unlock_index(db);
	arena_free(a);
	return rc;
}
