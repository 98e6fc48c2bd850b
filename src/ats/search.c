/*
 * search.c - the candidate search (F2): the candidates list's ?q= and the
 * talent pool page's "add" search.
 *
 * The search applies ats_candidate_access in SQL, so a hiring manager or an
 * interviewer lists exactly the candidates they could open.  The query text
 * becomes LIKE prefixes with '!' as the escape character, so '%' and '_' a
 * user types match themselves.
 */
#include <string.h>

#include "ats/candidates.h"
#include "ats/check.h"

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
 * For admins and recruiters each branch reads at most a window of
 * offset + 2 pages + 1 index entries in that order (ORDER BY ... LIMIT
 * inside the branch; the NOT conditions make the branches disjoint), so a
 * prefix matching 60,000 candidates costs a few hundred index reads, and
 * the total is counted over those windows only: exact when no branch fills
 * its window, else a lower bound.  Parameters of SEARCH_BRANCHES, in order
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
 * Hiring managers and interviewers see only the candidates of their jobs
 * (as ats_candidate_access decides): the scope filters the matches
 * (MATCH_ANY over MEMBER_IDS), counted exactly, and RANK_COLUMN orders
 * them by branch.
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
/* SEARCH_BRANCHES for the commonest query, one word that is not a phone
 * number: branches 3 and 5 cannot match, and MariaDB plans every branch of
 * a statement on each execution, so they are left out (make bench:
 * MariaDB's CPU per search 0.93 -> 0.79 ms).  Parameters
 * BRANCH_TYPES_WORD, built by BRANCH_ARGS_WORD. */
#define SEARCH_BRANCHES_WORD                                                   \
	"(SELECT 1 AS r, first_name AS k1, last_name AS k2, id FROM "          \
	"candidates WHERE " COND_A " ORDER BY first_name, last_name, id "      \
	"LIMIT ?) UNION ALL (SELECT 2, last_name, first_name, id FROM "        \
	"candidates WHERE " COND_B " AND NOT " COND_A " ORDER BY last_name, "  \
	"first_name, id LIMIT ?) UNION ALL (SELECT 4, email, '', id FROM "     \
	"candidates WHERE " COND_E " AND NOT " COND_A " AND NOT " COND_B       \
	" ORDER BY email LIMIT ?)"
#define BRANCH_TYPES_WORD "si" "ssi" "sssi"
#define BRANCH_ARGS_WORD(m, n)                                                 \
	(m).whole, (n), (m).whole, (m).whole, (n), (m).whole, (m).whole,       \
	    (m).whole, (n)
/* Branch 1 alone, with the size of its own window: when a first-name
 * prefix fills the window by itself (a common one matches thousands), the
 * window of SEARCH_BRANCHES_WORD is branch 1's first rows, so its page and
 * its size are these.  A third of the union's cost in MariaDB (make bench).
 * Parameters "sisii": A, window, A, limit, offset. */
#define FIRST_NAME_PAGE                                                        \
	"SELECT " ATS_CANDIDATE_COLUMNS ", (SELECT COUNT(*) FROM (SELECT 1 "   \
	"FROM candidates WHERE " COND_A " LIMIT ?) w) FROM candidates c "      \
	"WHERE c." COND_A " ORDER BY c.first_name, c.last_name, c.id LIMIT ? " \
	"OFFSET ?"
/* The page of a window: the rows in order, each with the window's size. */
#define WINDOW_PAGE(window)                                                    \
	"SELECT " ATS_CANDIDATE_COLUMNS ", m.total FROM (SELECT r, k1, k2, "   \
	"id, COUNT(*) OVER () AS total FROM (" window ") b ORDER BY r, k1, "   \
	"k2, id LIMIT ? OFFSET ?) m JOIN candidates c ON c.id = m.id ORDER "   \
	"BY m.r, m.k1, m.k2, m.id"
/* Every candidate by last name: the index's first offset + CAP entries. */
#define ALL_WINDOW                                                             \
	"SELECT 0 AS r, last_name AS k1, first_name AS k2, id FROM "           \
	"candidates ORDER BY last_name, first_name, id LIMIT ?"
/* A candidate matching q in any branch.  For a user who sees only the
 * candidates of their jobs it is tested on those candidates (MEMBER_IDS),
 * so the cost follows the jobs, not the organisation: a hiring manager on
 * one job searching "a" cost MariaDB 160 ms when the matches were
 * gathered first (every "a..." of a million), 2 ms now. */
#define MATCH_ANY                                                              \
	"(" COND_A " OR " COND_B " OR " COND_C " OR " COND_E " OR " COND_P ")"
/* The branch a candidate c of MATCH_ANY belongs to (the first it fits),
 * as column r; parameters RANK_TYPES, RANK_ARGS. */
#define RANK_COLUMN                                                            \
	", CASE WHEN " COND_A " THEN 1 WHEN " COND_B " THEN 2 WHEN " COND_C    \
	" THEN 3 WHEN " COND_E " THEN 4 ELSE 5 END AS r"
#define RANK_TYPES "sssssss"
#define RANK_ARGS(m)                                                           \
	(m).whole, (m).whole, (m).first1, (m).last1, (m).first2, (m).last2,    \
	    (m).whole
#define MATCH_TYPES "sssssssss"
#define MATCH_ARGS(m)                                                          \
	(m).whole, (m).whole, (m).first1, (m).last1, (m).first2, (m).last2,    \
	    (m).whole, (m).dlike, (m).digits
/* access.h's rule (the interviewer's narrowing included): the user's id
 * and role */
#define MEMBER_IDS ATS_MEMBER_CANDIDATES_SQL
#define MEMBER_TYPES "is"
/* The branch order of SEARCH_BRANCHES for rows with RANK_COLUMN. */
#define RANKED_ORDER                                                           \
	" ORDER BY r, CASE WHEN r IN (1, 3) THEN c.first_name WHEN r = 2 "     \
	"THEN c.last_name WHEN r = 4 THEN c.email ELSE c.phone_digits END, "   \
	"CASE WHEN r IN (1, 3) THEN c.last_name WHEN r = 2 THEN c.first_name " \
	"ELSE '' END, c.id LIMIT ? OFFSET ?"
#define SEARCH_ORDER                                                           \
	" ORDER BY c.last_name, c.first_name, c.id LIMIT ? OFFSET ?"

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

int ats_candidates_search(struct db *db, struct arena *a,
			  const struct user *viewer, const char *q,
			  int64_t offset, int64_t limit,
			  struct candidate_list *out)
{
	struct db_row cr;
	struct db_result res;
	struct match m = {0};
	const char *role = role_name(viewer->role);
	bool all = viewer->role == ROLE_ADMIN || viewer->role == ROLE_RECRUITER;
	int64_t uid = viewer->id;
	int rc;

	memset(out, 0, sizeof(*out));
	if (limit < 1 || limit > 500)
		limit = 50;
	if (offset < 0)
		offset = 0;
	if (!q)
		q = "";
	bool any = !*q;
	if (!any && match_patterns(a, q, &m) != DB_OK)
		return DB_ERROR;
	/* an interviewer may not read phone numbers, so finds nobody by one */
	if (!any && viewer->role == ROLE_INTERVIEWER)
		m.digits = "";

	if (all) {
		/* One statement: the window (ats_window) of each branch,
		 * the page of it and the window's size. */
		int64_t window = ats_window(offset, limit);
		if (any)
			rc = db_query(db, a, &res, WINDOW_PAGE(ALL_WINDOW),
				      "iii", window, limit, offset);
		else if (!*m.first1 && !*m.digits) {
			rc = db_query(db, a, &res, FIRST_NAME_PAGE, "sisii",
				      m.whole, window, m.whole, limit, offset);
			if (rc == DB_OK &&
			    (!res.nrows || db_int(&res.rows[0], ATS_CANDIDATE_NCOLS) < window))
				rc = db_query(db, a, &res,
					      WINDOW_PAGE(SEARCH_BRANCHES_WORD),
					      BRANCH_TYPES_WORD "ii",
					      BRANCH_ARGS_WORD(m, window),
					      limit, offset);
		} else
			rc = db_query(db, a, &res, WINDOW_PAGE(SEARCH_BRANCHES),
				      BRANCH_TYPES "ii", BRANCH_ARGS(m, window),
				      limit, offset);
		if (rc != DB_OK)
			return rc;
		if (res.nrows) {
			out->total = ats_window_total(db_int(&res.rows[0], ATS_CANDIDATE_NCOLS),
						      window, &out->total_more);
		} else if (offset > 0) {
			/* past the end: how far the matches go */
			out->total = 0;
			if (any)
				rc = db_query_row(
				    db, a, &cr,
				    "SELECT COUNT(*) FROM (SELECT 1 FROM "
				    "candidates LIMIT ?) w",
				    "i", offset + 1);
			else
				rc = db_query_row(
				    db, a, &cr,
				    "SELECT COUNT(*) FROM (" SEARCH_BRANCHES
				    ") w",
				    BRANCH_TYPES, BRANCH_ARGS(m, offset + 1));
			if (rc != DB_OK)
				return rc;
			out->total = db_int(&cr, 0);
		}
		goto rows;
	}

	if (any)
		rc = db_query_row(db, a, &cr,
				  "SELECT COUNT(*) FROM candidates c WHERE "
				  "c.id IN " MEMBER_IDS,
				  MEMBER_TYPES, uid, role);
	else
		rc = db_query_row(db, a, &cr,
				  "SELECT COUNT(*) FROM candidates c WHERE "
				  "c.id IN " MEMBER_IDS " AND " MATCH_ANY,
				  MEMBER_TYPES MATCH_TYPES, uid, role,
				  MATCH_ARGS(m));
	if (rc != DB_OK)
		return rc;
	out->total = db_int(&cr, 0);
	if (!out->total || offset >= out->total)
		return DB_OK;

	if (any)
		rc = db_query(
		    db, a, &res,
		    "SELECT " ATS_CANDIDATE_COLUMNS
		    " FROM candidates c WHERE c.id IN " MEMBER_IDS SEARCH_ORDER,
		    MEMBER_TYPES "ii", uid, role, limit, offset);
	else
		rc = db_query(db, a, &res,
			      "SELECT " ATS_CANDIDATE_COLUMNS RANK_COLUMN
			      " FROM candidates c WHERE c.id IN " MEMBER_IDS
			      " AND " MATCH_ANY RANKED_ORDER,
			      RANK_TYPES MEMBER_TYPES MATCH_TYPES "ii",
			      RANK_ARGS(m), uid, role, MATCH_ARGS(m), limit,
			      offset);
	if (rc != DB_OK)
		return rc;
rows:
	rc = candidates_from(a, &res, out);
	for (size_t i = 0; rc == DB_OK && i < out->n; i++)
		ats_candidate_redact(viewer, &out->v[i]);
	return rc;
}
