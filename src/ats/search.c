/*
 * search.c - the candidate search (F2): the candidates list's ?q= and the
 * talent pool page's "add" search.
 *
 * The search applies ats_candidate_access in SQL, so a hiring manager or an
 * interviewer lists exactly the candidates they could open.  The query text
 * becomes LIKE prefixes with '!' as the escape character, so '%' and '_' a
 * user types match themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ats/access.h"
#include "ats/candidates.h"
#include "ats/check.h"
#include "ats/search_index.h"

/* s as a LIKE prefix pattern with '!' escaping; arena-owned. */
static char *like_prefix(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, 2 * n + 2), *o = p;
	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '!' || s[i] == '%' || s[i] == '_')
			*o++ = '!';
		*o++ = s[i];
	}
	*o++ = '%';
	*o = 0;
	return p;
}

/* The digits of q when q looks like a phone number (a digit, and nothing
 * but digits, spaces and + - ( ) . /); "" otherwise.  Arena-owned. */
static char *phone_query(struct arena *a, const char *q)
{
	size_t n = strlen(q), k = 0;
	char *d = arena_alloc(a, n + 1);
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (q[i] >= '0' && q[i] <= '9')
			d[k++] = q[i];
		else if (!strchr(" +-()./", q[i])) {
			k = 0;
			break;
		}
	}
	d[k] = 0;
	return d;
}

/*
 * The search is built from index ranges, not from one WHERE with ORs (which
 * MariaDB can only answer by reading every candidate).  A match belongs to
 * the first of these branches it fits, and the results come branch by
 * branch, each in the order of the index that finds it:
 *
 *   1. q a prefix of the first name: by first, last name, id
 *      (candidates_first_last)
 *   2. of the last name: by last, first name, id (candidates_last_first)
 *   3. "first last", the words before the first (or the last) space a
 *      prefix of the first name, the rest of the last name: by first, last
 *      name, id
 *   4. of the email: by email (candidates_email)
 *   5. of the phone's digits (q a phone number): by digits, id
 *      (candidates_phone)
 *
 * SEARCH_BRANCHES (the pool page's "add" search) reads each branch as an
 * index range in that order, cut at a window (ORDER BY ... LIMIT inside
 * the branch; the NOT conditions make the branches disjoint), so a prefix
 * matching 60,000 candidates costs a few hundred index reads.  The
 * candidates list's search (ats_candidates_find, below) ranks the same
 * branches and adds words and filters.  Parameters of SEARCH_BRANCHES, in order
 * (types BRANCH_TYPES, built by BRANCH_ARGS):
 *
 *   A   whole q            first_name LIKE
 *   B   whole q            last_name LIKE
 *   C   before 1st space   first_name LIKE   } "first last"; "" (matches
 *       after 1st space    last_name LIKE    }  nothing) when q has no space
 *       before last space  first_name LIKE   } "Mary Ann Smith"
 *       after last space   last_name LIKE    }
 *   E   whole q            email LIKE
 *   P   phone digits       phone_digits LIKE, only when q is a phone number
 */
#define COND_A "first_name LIKE ? ESCAPE '!'"
#define COND_B "last_name LIKE ? ESCAPE '!'"
#define COND_C                                                                 \
	"((first_name LIKE ? ESCAPE '!' AND last_name LIKE ? ESCAPE '!') OR "  \
	"(first_name LIKE ? ESCAPE '!' AND last_name LIKE ? ESCAPE '!'))"
#define COND_E "email LIKE ? ESCAPE '!'"
#define COND_P "phone_digits LIKE ? AND ? <> ''"
#define SEARCH_BRANCHES                                                        \
	"(SELECT 1 AS r, first_name AS k1, last_name AS k2, id FROM "          \
	"candidates WHERE " COND_A " ORDER BY first_name, last_name, id "      \
	"LIMIT ?) UNION ALL (SELECT 2, last_name, first_name, id FROM "        \
	"candidates WHERE " COND_B " AND NOT " COND_A " ORDER BY last_name, "  \
	"first_name, id LIMIT ?) UNION ALL (SELECT 3, first_name, last_name, " \
	"id FROM candidates WHERE " COND_C " AND NOT " COND_A                  \
	" AND NOT " COND_B " ORDER BY first_name, last_name, id LIMIT ?) "     \
	"UNION ALL (SELECT 4, email, '', id FROM candidates WHERE " COND_E     \
	" AND NOT " COND_A " AND NOT " COND_B " AND NOT " COND_C               \
	" ORDER BY email LIMIT ?) UNION ALL (SELECT 5, phone_digits, '', id "  \
	"FROM candidates WHERE " COND_P " AND NOT " COND_A " AND NOT " COND_B  \
	" AND NOT " COND_C " AND (email IS NULL OR NOT " COND_E ") ORDER BY "  \
	"phone_digits, id LIMIT ?)"
#define BRANCH_TYPES                                                           \
	"si"	     /* A, limit */                                            \
	"ssi"	     /* B, not A, limit */                                     \
	"ssssssi"    /* C, not A, not B, limit */                              \
	"sssssssi"   /* E, not A, B, C, limit */                               \
	"sssssssssi" /* P (2), not A, B, C, E, limit */
#define BRANCH_ARGS(m, n)                                                      \
	(m).whole, (n), (m).whole, (m).whole, (n), (m).first1, (m).last1,      \
	    (m).first2, (m).last2, (m).whole, (m).whole, (n), (m).whole,       \
	    (m).whole, (m).whole, (m).first1, (m).last1, (m).first2,           \
	    (m).last2, (n), (m).dlike, (m).digits, (m).whole, (m).whole,       \
	    (m).first1, (m).last1, (m).first2, (m).last2, (m).whole, (n)
/* Branch 1 alone, counted up to a window of its own: when a first-name
 * prefix matches more candidates than the window by itself (a common one
 * matches thousands), the first rows of the relevance order are branch
 * 1's, so its page and its count are the search's.  With the window
 * CANDIDATE_SEARCH_CAP + 1 this answers "over 10,000" for "Mar" in one
 * statement that reads the window's index entries and the page (make
 * bench, "candidate search, 3-letter prefix").  Parameters "sisii": A,
 * window, A, limit, offset. */
#define FIRST_NAME_PAGE                                                        \
	"SELECT " ATS_CANDIDATE_COLUMNS ", (SELECT COUNT(*) FROM (SELECT 1 "   \
	"FROM candidates WHERE " COND_A " LIMIT ?) w) FROM candidates c "      \
	"WHERE c." COND_A " ORDER BY c.first_name, c.last_name, c.id LIMIT ? " \
	"OFFSET ?"
/* A candidate matching q in any prefix branch. */
#define MATCH_ANY                                                              \
	"(" COND_A " OR " COND_B " OR " COND_C " OR " COND_E " OR " COND_P ")"
#define MATCH_TYPES "sssssssss"
#define MATCH_ARGS(m)                                                          \
	(m).whole, (m).whole, (m).first1, (m).last1, (m).first2, (m).last2,    \
	    (m).whole, (m).dlike, (m).digits
/* the candidates of the viewer's jobs, an interviewer's narrowed to the
 * applications they may see (access.h) */
#define MEMBER_IDS ATS_MEMBER_CANDIDATES_SQL
#define MEMBER_TYPES "is"

/*
 * The search with words and filters.  The FULLTEXT index of
 * sql/200_candidate_fulltext.sql finds the words (MATCH ... AGAINST in
 * BOOLEAN MODE: ats_fulltext_query), and a statement is read from what
 * narrows it most, its "driver":
 *
 *   FIND_JOB    a job chosen: that job's applications (applications_job_
 *               stage), each candidate then tested (q, the other filters;
 *               the notes' words through NOTE_MATCHES, searched once)
 *   FIND_POOL   a pool chosen: its members, tested the same way
 *   FIND_SCOPE  a hiring manager or an interviewer: the candidates of
 *               their jobs (MEMBER_IDS), tested the same way
 *   FIND_MATCH  q for admins and recruiters: the matches (MATCHES: each
 *               prefix branch an index range, the words one FULLTEXT
 *               search of the candidates and one of the notes the viewer
 *               may read), grouped by candidate at its best rank, then
 *               filtered
 *   ALL_PAGE    neither: the candidates in the order asked, read along
 *               an index, counted by ALL_COUNT up to the cap
 *
 * An optional filter is written "(? = '' OR c.source = ?)": MariaDB
 * optimises a prepared statement with its parameters' values on each
 * execution, so a filter left out costs nothing, but it cannot drive a
 * plan from inside an OR: hence the drivers.  A MATCH() tested per row
 * (MATCH_CHECK) runs its FULLTEXT search once per statement and looks
 * each row up in the result.  The statements of the first four drivers
 * count their rows with COUNT(*) OVER () (what they read is bounded by
 * the job, the pool, the scope or the matches); the total shown stops at
 * CANDIDATE_SEARCH_CAP.  Tests: test_candidates (search_*); costs at
 * scale: tests/bench/README.md, "Candidate search: words and filters".
 */
#define WORDS "headline, current_title, current_company, location"
#define WORDS_C "c.headline, c.current_title, c.current_company, c.location"
#define PREFIX_UNION                                                           \
	"SELECT id, 1 AS r, 0e0 AS s FROM candidates WHERE " COND_A " UNION "  \
	"ALL SELECT id, 2, 0e0 FROM candidates WHERE " COND_B " UNION ALL "    \
	"SELECT id, 3, 0e0 FROM candidates WHERE " COND_C " UNION ALL SELECT " \
	"id, 4, 0e0 FROM candidates WHERE " COND_E " UNION ALL SELECT id, 5, " \
	"0e0 FROM candidates WHERE " COND_P
#define MATCHES                                                                \
	"SELECT id, MIN(r) AS r, MAX(s) AS s FROM (" PREFIX_UNION " UNION "    \
	"ALL SELECT id, 6, MATCH(" WORDS ") AGAINST (? IN BOOLEAN MODE) FROM " \
	"candidates WHERE MATCH(" WORDS ") AGAINST (? IN BOOLEAN MODE) UNION " \
	"ALL SELECT candidate_id, 7, MATCH(body) AGAINST (? IN BOOLEAN MODE) " \
	"FROM notes WHERE MATCH(body) AGAINST (? IN BOOLEAN MODE) AND "        \
	"(visibility = 'public' OR author_id = ?)) u GROUP BY id"
#define MATCHES_TYPES "s" "s" "ssss" "s" "ss" "ss" "ssi"
#define MATCHES_ARGS(m, ft, uid)                                               \
	(m).whole, (m).whole, (m).first1, (m).last1, (m).first2, (m).last2,    \
	    (m).whole, (m).dlike, (m).digits, (ft), (ft), (ft), (ft), (uid)
/* The source and the dates added (from, and before the day after to). */
#define ATTR_CHECK                                                             \
	"(? = '' OR c.source = ?) AND (? = '' OR c.created_at >= ?) AND (? = " \
	"'' OR c.created_at < ?)"
#define ATTR_TYPES "ssssss"
#define ATTR_ARGS(src, from, before)                                           \
	(src), (src), (from), (from), (before), (before)
#define SCOPE_CHECK                                                            \
	"(? IN ('admin', 'recruiter') OR c.id IN " MEMBER_IDS ")"
#define SCOPE_TYPES "s" MEMBER_TYPES
#define POOL_CHECK                                                             \
	"(? = 0 OR EXISTS (SELECT 1 FROM pool_members fp WHERE fp.pool_id = " \
	"? AND fp.candidate_id = c.id))"
/* The candidates with a note the viewer may read holding the words, as
 * table nm joined to candidate c: a derived table is searched once per
 * statement (as "c.id IN (SELECT ... MATCH ...)" it ran the FULLTEXT
 * search again for every candidate tested: a pool of 200 took a second). */
#define NOTE_MATCHES                                                           \
	" LEFT JOIN (SELECT DISTINCT n.candidate_id AS id FROM notes n WHERE " \
	"MATCH(n.body) AGAINST (? IN BOOLEAN MODE) AND (n.visibility = "       \
	"'public' OR n.author_id = ?)) nm ON nm.id = c.id"
#define NOTE_MATCHES_TYPES "si"
/* q for candidate c: a prefix branch, its words, or a note's (nm). */
#define MATCH_CHECK                                                            \
	"(? = '' OR " MATCH_ANY " OR MATCH(" WORDS_C ") AGAINST (? IN "         \
	"BOOLEAN MODE) OR nm.id IS NOT NULL)"
#define MATCH_CHECK_TYPES "s" MATCH_TYPES "s"
#define MATCH_CHECK_ARGS(q, m, ft) (q), MATCH_ARGS(m), (ft)
/* Columns r (the rank: 1-5 the prefix branches, 6 words) and s (the
 * words' relevance) of candidate c. */
#define RANK_SCORE                                                             \
	", CASE WHEN " COND_A " THEN 1 WHEN " COND_B " THEN 2 WHEN " COND_C    \
	" THEN 3 WHEN " COND_E " THEN 4 WHEN " COND_P " THEN 5 ELSE 6 END AS " \
	"r, MATCH(" WORDS_C ") AGAINST (? IN BOOLEAN MODE) AS s"
#define RANK_SCORE_TYPES MATCH_TYPES "s"
#define RANK_SCORE_ARGS(m, ft) MATCH_ARGS(m), (ft)
#define ORDER_NAME " ORDER BY c.last_name, c.first_name, c.id"
#define ORDER_NEWEST " ORDER BY c.created_at DESC, c.id DESC"
/* By rank, each prefix branch in the order of its index, words by
 * relevance. */
#define ORDER_RANK                                                             \
	" ORDER BY r, CASE WHEN r IN (1, 3) THEN c.first_name WHEN r = 2 "     \
	"THEN c.last_name WHEN r = 4 THEN c.email WHEN r = 5 THEN "            \
	"c.phone_digits ELSE '' END, CASE WHEN r IN (1, 3) THEN c.last_name "  \
	"WHEN r = 2 THEN c.first_name ELSE '' END, s DESC, c.last_name, "      \
	"c.first_name, c.id"
#define PAGE " LIMIT ? OFFSET ?"
#define FIND_MATCH(order)                                                      \
	"SELECT " ATS_CANDIDATE_COLUMNS ", m.r AS r, m.s AS s, COUNT(*) OVER " \
	"() FROM (" MATCHES ") m JOIN candidates c ON c.id = m.id WHERE "      \
	ATTR_CHECK order PAGE
#define FIND_JOB(order)                                                        \
	"SELECT " ATS_CANDIDATE_COLUMNS RANK_SCORE ", COUNT(*) OVER () FROM "  \
	"applications fa JOIN candidates c ON c.id = fa.candidate_id"          \
	NOTE_MATCHES " WHERE fa.job_id = ? AND (? = 0 OR fa.stage_id = ?) "    \
	"AND " SCOPE_CHECK                                                     \
	" AND " POOL_CHECK " AND " ATTR_CHECK " AND " MATCH_CHECK order PAGE
#define FIND_POOL(order)                                                       \
	"SELECT " ATS_CANDIDATE_COLUMNS RANK_SCORE ", COUNT(*) OVER () FROM "  \
	"pool_members pm JOIN candidates c ON c.id = pm.candidate_id"          \
	NOTE_MATCHES " WHERE pm.pool_id = ? AND " SCOPE_CHECK " AND "          \
	ATTR_CHECK " AND "                                                     \
	MATCH_CHECK order PAGE
#define FIND_SCOPE(order)                                                      \
	"SELECT " ATS_CANDIDATE_COLUMNS RANK_SCORE ", COUNT(*) OVER () FROM "  \
	"candidates c" NOTE_MATCHES " WHERE c.id IN " MEMBER_IDS " AND "       \
	ATTR_CHECK " AND "                                                     \
	MATCH_CHECK order PAGE
#define ALL_PAGE(order)                                                        \
	"SELECT " ATS_CANDIDATE_COLUMNS " FROM candidates c WHERE "            \
	ATTR_CHECK order PAGE
#define ALL_COUNT                                                              \
	"SELECT COUNT(*) FROM (SELECT 1 FROM candidates c WHERE " ATTR_CHECK   \
	" LIMIT ?) t"
/* The statement of driver D for the sort. */
#define BY_SORT(D, sort)                                                       \
	((sort) == CANDIDATE_SORT_NEWEST ? D(ORDER_NEWEST)                     \
	 : (sort) == CANDIDATE_SORT_NAME ? D(ORDER_NAME)                       \
					 : D(ORDER_RANK))

/*
 * The word index's answer (search_index.c) for admins and recruiters with
 * words, no job and no pool, by relevance: the prefix branches' matches
 * first, ranked as FIND_MATCH ranks them (PREFIX_IDS, the filters in SQL),
 * then every other candidate the index finds with the words and the
 * filters, the newest added (highest id) first; the total is the prefix
 * matches plus the index's set without them, and only the page's rows are
 * read (IDS_PAGE).  Parameters of PREFIX_IDS: MATCH_TYPES ATTR_TYPES "i".
 */
#define ORDER_PREFIX                                                           \
	" ORDER BY m.r, CASE WHEN m.r IN (1, 3) THEN c.first_name WHEN m.r = " \
	"2 THEN c.last_name WHEN m.r = 4 THEN c.email ELSE c.phone_digits "    \
	"END, CASE WHEN m.r IN (1, 3) THEN c.last_name WHEN m.r = 2 THEN "     \
	"c.first_name ELSE '' END, c.last_name, c.first_name, c.id"
#define PREFIX_IDS                                                             \
	"SELECT m.id FROM (SELECT id, MIN(r) AS r FROM (" PREFIX_UNION ") u "  \
	"GROUP BY id) m JOIN candidates c ON c.id = m.id WHERE " ATTR_CHECK    \
	ORDER_PREFIX " LIMIT ?"
/* The candidates of a JSON array of ids, in its order. */
#define IDS_PAGE                                                               \
	"SELECT " ATS_CANDIDATE_COLUMNS " FROM JSON_TABLE(?, '$[*]' COLUMNS "  \
	"(k FOR ORDINALITY, id BIGINT UNSIGNED PATH '$')) j JOIN candidates "  \
	"c ON c.id = j.id ORDER BY j.k"

/* The LIKE patterns of the branches for q. */
struct match {
	const char *whole, *first1, *last1, *first2, *last2, *digits, *dlike;
};

static int match_patterns(struct arena *a, const char *q, struct match *m)
{
	size_t n = strlen(q);
	const char *sp1 = strchr(q, ' '), *sp2 = strrchr(q, ' ');
	m->whole = like_prefix(a, q, n);
	m->first1 = m->last1 = m->first2 = m->last2 = "";
	if (sp1) {
		const char *r1 = sp1, *r2 = sp2;
		while (*r1 == ' ')
			r1++;
		while (*r2 == ' ')
			r2++;
		m->first1 = like_prefix(a, q, (size_t)(sp1 - q));
		m->last1 = like_prefix(a, r1, strlen(r1));
		m->first2 = like_prefix(a, q, (size_t)(sp2 - q));
		m->last2 = like_prefix(a, r2, strlen(r2));
	}
	char *digits = phone_query(a, q);
	m->digits = digits;
	m->dlike = digits ? arena_printf(a, "%s%%", digits) : NULL;
	if (!m->whole || !m->first1 || !m->last1 || !m->first2 || !m->last2 ||
	    !m->digits || !m->dlike)
		return DB_ERROR;
	return DB_OK;
}

/* The rows of a ATS_CANDIDATE_COLUMNS result into out->v and out->n. */
static int candidates_from(struct arena *a, const struct db_result *res,
			   struct candidate_list *out)
{
	out->v = arena_calloc(a, res->nrows ? res->nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res->nrows; i++)
		ats_candidate_from_row(&res->rows[i], 0, &out->v[i]);
	out->n = res->nrows;
	return DB_OK;
}

int ats_candidates_not_in_pool(struct db *db, struct arena *a, const char *q,
			       int64_t pool_id, int64_t limit,
			       struct candidate_list *out)
{
	struct db_result res;
	struct match m = {0};

	memset(out, 0, sizeof(*out));
	if (limit < 1 || limit > 500)
		limit = 20;
	if (!q || !*q)
		return DB_OK;
	if (match_patterns(a, q, &m) != DB_OK)
		return DB_ERROR;
	int rc = db_query(
	    db, a, &res,
	    "SELECT " ATS_CANDIDATE_COLUMNS " FROM (" SEARCH_BRANCHES
	    ") b JOIN candidates c ON c.id = b.id WHERE NOT EXISTS (SELECT 1 "
	    "FROM pool_members pm WHERE pm.pool_id = ? AND pm.candidate_id = "
	    "b.id) ORDER BY b.r, b.k1, b.k2, b.id LIMIT ?",
	    BRANCH_TYPES "ii", BRANCH_ARGS(m, (int64_t)NOT_IN_POOL_WINDOW),
	    pool_id, limit);
	if (rc != DB_OK)
		return rc;
	out->total = (int64_t)res.nrows;
	return candidates_from(a, &res, out);
}

const char *ats_fulltext_query(struct arena *a, const char *q)
{
	const char *words[SEARCH_WORDS_MAX];
	size_t n = search_query_words(a, q, words);
	const char *out = "";
	for (size_t i = 0; out && i < n; i++)
		out = arena_printf(a, "%s%s+%s*", out, i ? " " : "", words[i]);
	return out;
}

/* The instant after day s ("YYYY-MM-DD") as "YYYY-MM-DD", arena-owned;
 * NULL when s is no such day. */
static const char *day_after(struct arena *a, const char *s)
{
	int y, m, d;
	char rest;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3 ||
	    strlen(s) != 10 || !ats_date_valid(s))
		return NULL;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + 1};
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	return arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900,
			    tm.tm_mon + 1, tm.tm_mday);
}

bool ats_date_valid(const char *s)
{
	int y, m, d;
	char rest;
	static const int days[] = {31, 29, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3)
		return false;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return !(m == 2 && d == 29 &&
		 !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/*
 * The sources in use.  MariaDB answers this GROUP BY with a loose scan of
 * candidates_source (a step per source, 0.1 ms at a million candidates),
 * but as a prepared statement on a connection that has read candidates by
 * another index range (the search's own statements) it plans a range
 * read of the whole index instead, 200-350 ms (MariaDB 10.11; found in
 * make bench's In ATS delay row, where pages changing candidates as they
 * went spent both cores on it).  So it goes as text: it has no parameter.
 */
int ats_candidate_sources(struct db *db, struct arena *a, const char ***out,
			  size_t *n)
{
	struct db_result res;
	*out = NULL;
	*n = 0;
	int rc = db_query_text(db, a, &res,
			       "SELECT source FROM candidates WHERE source <> "
			       "'' GROUP BY source ORDER BY source LIMIT 50");
	if (rc != DB_OK)
		return rc;
	if (!(*out = arena_calloc(a, res.nrows + 1, sizeof(**out))))
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++)
		(*out)[i] = res.rows[i].v[0];
	*n = res.nrows;
	return DB_OK;
}

/* ids from the highest of set s down, after skipping skip of them, at
 * most want, into the JSON array b. */
static void ids_down(const struct search_set *s, int64_t skip, int64_t want,
		     struct buf *b, bool comma)
{
	for (size_t j = s->nw; j-- > 0 && want > 0;) {
		uint64_t x = s->w[j];
		if (!x)
			continue;
		int64_t pc = __builtin_popcountll(x);
		if (skip >= pc) {
			skip -= pc;
			continue;
		}
		for (; x && want > 0; x &= ~(1ull << (63 - __builtin_clzll(x)))) {
			if (skip > 0) {
				skip--;
				continue;
			}
			buf_addf(b, "%s%zu", comma ? "," : "",
				 j * 64 + (size_t)(63 - __builtin_clzll(x)));
			comma = true;
			want--;
		}
	}
}

/* The search by the word index: its page into *res and its count;
 * DB_NOT_FOUND when the index cannot answer. */
static int find_indexed(struct db *db, struct arena *a, int64_t uid,
			const char *q, const struct match *m,
			const struct search_filter *sf, const char *before,
			int64_t offset, int64_t limit, struct db_result *res,
			int64_t *count)
{
	const char *words[SEARCH_WORDS_MAX];
	size_t nw = search_query_words(a, q, words);
	struct search_set w;
	struct db_result p;
	int rc = search_index_match(db, a, uid, words, nw, sf, &w);
	if (rc == DB_OK)
		rc = db_query(db, a, &p, PREFIX_IDS, MATCH_TYPES ATTR_TYPES "i",
			      MATCH_ARGS(*m),
			      ATTR_ARGS(sf->source, sf->from, before),
			      (int64_t)CANDIDATE_SEARCH_CAP + 1);
	if (rc != DB_OK)
		return rc;
	int64_t np = (int64_t)p.nrows, end = offset + limit;
	for (size_t i = 0; i < p.nrows; i++) {
		uint64_t id = (uint64_t)db_int(&p.rows[i], 0);
		if (search_set_has(&w, id))
			w.w[id / 64] &= ~(1ull << (id % 64));
	}
	*count = np + (int64_t)search_set_count(&w);
	struct buf b = BUF_INIT;
	buf_addc(&b, '[');
	for (int64_t i = offset; i < end && i < np; i++)
		buf_addf(&b, "%s%s", i > offset ? "," : "", p.rows[i].v[0]);
	if (end > np)
		ids_down(&w, offset > np ? offset - np : 0,
			 end - (offset > np ? offset : np), &b, offset < np);
	buf_addc(&b, ']');
	if (buf_failed(&b))
		rc = DB_ERROR;
	else if (b.len == 2)
		res->nrows = 0;
	else
		rc = db_query(db, a, res, IDS_PAGE, "b", b.data, b.len);
	buf_release(&b);
	return rc;
}

/* What a search's statement is run with (ats_candidates_find). */
struct find {
	struct match m;
	const char *role;
	int64_t uid, job, stage, pool;
	bool all;
	const char *q, *ft, *src, *from, *before;
	enum candidate_sort sort;
};

/* The statement of the search's driver, limit rows from offset. */
static int find_run(struct db *db, struct arena *a, const struct find *k,
		    int64_t lim, int64_t off, struct db_result *res)
{
	if (k->job)
		return db_query(
		    db, a, res, BY_SORT(FIND_JOB, k->sort),
		    RANK_SCORE_TYPES NOTE_MATCHES_TYPES "iii" SCOPE_TYPES "ii"
			ATTR_TYPES MATCH_CHECK_TYPES "ii",
		    RANK_SCORE_ARGS(k->m, k->ft), k->ft, k->uid, k->job,
		    k->stage, k->stage, k->role, k->uid, k->role, k->pool,
		    k->pool, ATTR_ARGS(k->src, k->from, k->before),
		    MATCH_CHECK_ARGS(k->q, k->m, k->ft), lim, off);
	if (k->pool)
		return db_query(
		    db, a, res, BY_SORT(FIND_POOL, k->sort),
		    RANK_SCORE_TYPES NOTE_MATCHES_TYPES "i" SCOPE_TYPES
			ATTR_TYPES MATCH_CHECK_TYPES "ii",
		    RANK_SCORE_ARGS(k->m, k->ft), k->ft, k->uid, k->pool,
		    k->role, k->uid, k->role,
		    ATTR_ARGS(k->src, k->from, k->before),
		    MATCH_CHECK_ARGS(k->q, k->m, k->ft), lim, off);
	if (!k->all)
		return db_query(
		    db, a, res, BY_SORT(FIND_SCOPE, k->sort),
		    RANK_SCORE_TYPES NOTE_MATCHES_TYPES MEMBER_TYPES ATTR_TYPES
			MATCH_CHECK_TYPES "ii",
		    RANK_SCORE_ARGS(k->m, k->ft), k->ft, k->uid, k->uid,
		    k->role, ATTR_ARGS(k->src, k->from, k->before),
		    MATCH_CHECK_ARGS(k->q, k->m, k->ft), lim, off);
	return db_query(db, a, res, BY_SORT(FIND_MATCH, k->sort),
			MATCHES_TYPES ATTR_TYPES "ii",
			MATCHES_ARGS(k->m, k->ft, k->uid),
			ATTR_ARGS(k->src, k->from, k->before), lim, off);
}

int ats_candidates_find(struct db *db, struct arena *a,
			const struct user *viewer,
			const struct candidate_query *f, int64_t offset,
			int64_t limit, struct candidate_list *out)
{
	struct db_row cr;
	struct db_result res = {0};
	struct match m = {0};
	const char *role = role_name(viewer->role);
	bool all = viewer->role == ROLE_ADMIN || viewer->role == ROLE_RECRUITER;
	int64_t uid = viewer->id, count = 0;
	const char *q = f->q ? f->q : "", *ft = "";
	const char *src = f->source ? f->source : "";
	const char *from = f->added_from ? f->added_from : "";
	const char *before = "";
	int64_t job = f->job_id, stage = f->job_id ? f->stage_id : 0;
	int64_t pool = f->pool_id;
	enum candidate_sort sort = f->sort;
	int rc;

	memset(out, 0, sizeof(*out));
	if (limit < 1 || limit > 500)
		limit = 50;
	if (offset < 0)
		offset = 0;
	if ((*from && !ats_date_valid(from)) ||
	    (f->added_to && *f->added_to &&
	     !(before = day_after(a, f->added_to))))
		return DB_ERROR;
	if (*q) {
		if (match_patterns(a, q, &m) != DB_OK ||
		    !(ft = ats_fulltext_query(a, q)))
			return DB_ERROR;
	} else if (sort == CANDIDATE_SORT_RELEVANCE)
		sort = CANDIDATE_SORT_NAME;
	/* an interviewer may not read phone numbers, so finds nobody by one */
	if (*q && viewer->role == ROLE_INTERVIEWER)
		m.digits = "";
	bool filtered = job || pool || *src || *from || *before;

	/* "Mar": a first-name prefix matching more than the cap by itself.
	 * Known so lately, the window need hold no more than the page. */
	if (all && *q && !filtered && sort == CANDIDATE_SORT_RELEVANCE &&
	    !*m.first1 && !*m.digits) {
		int64_t window = f->first_name_over_cap
				     ? ats_window(offset, limit)
				     : CANDIDATE_SEARCH_CAP + 1;
		rc = db_query(db, a, &res, FIRST_NAME_PAGE, "sisii", m.whole,
			      window, m.whole, limit, offset);
		if (rc != DB_OK)
			return rc;
		if (res.nrows &&
		    db_int(&res.rows[0], ATS_CANDIDATE_NCOLS) >= window &&
		    (f->first_name_over_cap || window > CANDIDATE_SEARCH_CAP)) {
			count = CANDIDATE_SEARCH_CAP + 1;
			out->first_name_over_cap = true;
			goto rows;
		}
	}

	if (all && !*q && !job && !pool) {
		rc = db_query_row(db, a, &cr, ALL_COUNT, ATTR_TYPES "i",
				  ATTR_ARGS(src, from, before),
				  (int64_t)CANDIDATE_SEARCH_CAP + 1);
		if (rc != DB_OK)
			return rc;
		count = db_int(&cr, 0);
		if (offset >= count) {
			res.nrows = 0;
			goto rows;
		}
		rc = db_query(db, a, &res, BY_SORT(ALL_PAGE, sort),
			      ATTR_TYPES "ii", ATTR_ARGS(src, from, before),
			      limit, offset);
		if (rc != DB_OK)
			return rc;
		goto rows;
	}

	if (all && *q && !job && !pool && sort == CANDIDATE_SORT_RELEVANCE) {
		struct search_filter sf = {
		    src, from, f->added_to ? f->added_to : ""};
		rc = find_indexed(db, a, uid, q, &m, &sf, before, offset,
				  limit, &res, &count);
		if (rc == DB_OK)
			goto rows;
		if (rc != DB_NOT_FOUND)
			return rc;
	}

	/* One statement: the page and, in each row, the count; past the
	 * end, once more for the count alone. */
	struct find k = {m, role, uid, job, stage, pool, all, q, ft, src,
			 from, before, sort};
	rc = find_run(db, a, &k, limit, offset, &res);
	if (rc == DB_OK && !res.nrows && offset) {
		rc = find_run(db, a, &k, 1, 0, &res);
		if (rc == DB_OK && res.nrows)
			count = db_int(&res.rows[0], ATS_CANDIDATE_NCOLS + 2);
		res.nrows = 0;
	} else if (rc == DB_OK && res.nrows)
		count = db_int(&res.rows[0], ATS_CANDIDATE_NCOLS + 2);
	if (rc != DB_OK)
		return rc;
rows:
	out->total_more = count > CANDIDATE_SEARCH_CAP;
	out->total = out->total_more ? CANDIDATE_SEARCH_CAP : count;
	rc = candidates_from(a, &res, out);
	for (size_t i = 0; rc == DB_OK && i < out->n; i++)
		ats_candidate_redact(viewer, &out->v[i]);
	return rc;
}

int ats_candidates_search(struct db *db, struct arena *a,
			  const struct user *viewer, const char *q,
			  int64_t offset, int64_t limit,
			  struct candidate_list *out)
{
	struct candidate_query f = {.q = q};
	return ats_candidates_find(db, a, viewer, &f, offset, limit, out);
}
