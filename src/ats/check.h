/*
 * check.h - what the ats/ files share, and only they: reporting bad input,
 * the rules every text field follows, ending a transaction, locking a
 * job, reading a user's or a candidate's row, and the LIKE pattern of a
 * search.
 */
#ifndef HIRELINK_ATS_CHECK_H
#define HIRELINK_ATS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "ats/ats.h"

/* Names the field and says what is wrong with it (when err is given);
 * returns rc. */
int ats_fail(struct ats_error *err, int rc, const char *field,
	     const char *message);

static inline int ats_invalid(struct ats_error *err, const char *field,
			      const char *message)
{
	return ats_fail(err, ATS_INVALID, field, message);
}

/* A one-line text of min..max characters: valid UTF-8, no control
 * characters (a title with a newline breaks every list it appears in), no
 * line separator or direction control (they disguise what is shown around
 * them), and not only invisible characters when not empty.  NULL counts
 * as "".  ats_line_problem says which of those rules s breaks (NULL: none;
 * the length is the caller's), ats_line_check refuses s with that reason,
 * or with length_message when only its length is wrong. */
bool ats_line_valid(const char *s, size_t min, size_t max);
const char *ats_line_problem(const char *s);
/* Replaces each line separator, C1 or direction control in s (valid
 * UTF-8) with the character with, in place: a name from elsewhere (a
 * file's, LinkedIn's) made harmless rather than refused. */
void ats_line_disarm(char *s, char with);
int ats_line_check(struct ats_error *err, const char *field, const char *s,
		   size_t min, size_t max, const char *length_message);

/* Multi-line text of min..max characters: valid UTF-8, no control
 * characters other than tab and line breaks.  NULL counts as "". */
bool ats_text_valid(const char *s, size_t min, size_t max);

/* Text from elsewhere (LinkedIn) made a line ats_line_valid(s, 0, max)
 * accepts: control characters become spaces, the ends are trimmed and it
 * is cut to max characters; "" when s is NULL or not valid UTF-8.
 * Arena-owned; NULL when out of memory. */
const char *ats_line_cut(struct arena *a, const char *s, size_t max);

/* Ends a transaction: commits when rc is DB_OK, else rolls back.  Returns
 * rc, or the commit's failure. */
int ats_txn_end(struct db *db, int rc);

/* Locks the job's row for the rest of the transaction (jobs.c): every
 * change to a job's members or pipeline takes it first.  DB_NOT_FOUND when
 * there is no such job. */
int ats_job_lock(struct db *db, struct arena *a, int64_t job_id);

/* The columns of user u that ats_user_from_row reads (users.c), for the
 * statements of users.c and people.c. */
#define ATS_USER_COLUMNS "u.id, u.email, u.name, u.role, u.seat, u.active"
/* A user from ATS_USER_COLUMNS, the first six columns of r. */
void ats_user_from_row(struct user *u, const struct db_row *r);

/* The columns of candidate c that ats_candidate_from_row reads
 * (candidates.c), for the statements of candidates.c and search.c. */
#define ATS_CANDIDATE_COLUMNS                                                  \
	"c.id, c.first_name, c.last_name, COALESCE(c.email, ''), c.phone, "    \
	"c.headline, c.location, COALESCE(c.linkedin_member_id, ''), "         \
	"c.linkedin_url, c.source, DATE_FORMAT(c.created_at, "                 \
	"'%Y-%m-%d %H:%i'), c.current_title, c.current_company, "       \
	"c.version"
/* How many columns ATS_CANDIDATE_COLUMNS is: a statement's own columns
 * after it start here. */
#define ATS_CANDIDATE_NCOLS 14
struct candidate;
/* A candidate from ATS_CANDIDATE_COLUMNS, at column off of r: its strings
 * are r's ("" for NULL). */
void ats_candidate_from_row(const struct db_row *r, size_t off,
			    struct candidate *c);

/*
 * A long list (a pool's members, the candidate search) is paged over a
 * counted window: a page reads at most the first ats_window(offset, limit)
 * rows of its order (offset + 2 pages + 1) and counts them, so a page
 * costs a page and not the whole list.  ats_window_total is the total the
 * page shows for the count of its window: the count, or for a full window
 * one less, with *more (there are more than it holds).
 */
static inline int64_t ats_window(int64_t offset, int64_t limit)
{
	return offset + 2 * limit + 1;
}

static inline int64_t ats_window_total(int64_t count, int64_t window,
				       bool *more)
{
	*more = count >= window;
	return *more ? window - 1 : count;
}

/* "%q%" with LIKE's own metacharacters escaped, so that "50%" finds "50%"
 * and not "500"; NULL when out of memory. */
const char *ats_like_contains(struct arena *a, const char *q);

#endif
