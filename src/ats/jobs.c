/*
 * jobs.c - jobs (F1): list, search, create, edit, status and history.
 * Their members are job_members.c's, their pipelines stages.c's.
 *
 * A job's public ID ("J-00042") is its primary key formatted, so searching
 * by ID is a primary-key lookup and needs no column of its own.
 */
#include <ctype.h>
#include <string.h>

#include "ats/access.h"
#include "ats/applications.h"
#include "ats/check.h"
#include "ats/feedback.h"
#include "ats/jobs.h"
#include "ats/outbox.h"

const struct ats_word ats_job_statuses[] = {
    {"draft", "Draft"},
    {"active", "Active"},
    {"closed", "Closed"},
    {NULL, NULL},
};

bool ats_job_status_valid(const char *s)
{
	return ats_word_label(ats_job_statuses, s) != NULL;
}

const struct ats_word ats_job_availabilities[] = {
    {"private", "Private to the LinkedIn integration"},
    {"public", "Public"},
    {NULL, NULL},
};

bool ats_job_availability_valid(const char *s)
{
	return ats_word_label(ats_job_availabilities, s) != NULL;
}

bool ats_job_takes_applications(const struct job *j)
{
	return strcmp(j->status, "closed") != 0;
}

const char *ats_job_public_id(struct arena *a, int64_t id)
{
	return arena_printf(a, "J-%05lld", (long long)id);
}

int64_t ats_job_id_parse(const char *q)
{
	if (!q)
		return 0;
	if (q[0] == 'J' || q[0] == 'j') {
		q++;
		if (*q == '-')
			q++;
	}
	int64_t id;
	if (!isdigit((unsigned char)*q) || parse_i64(q, &id) < 0 || id <= 0)
		return 0;
	return id;
}

static int job_fields_check(const char *title, const char *location,
			    const char *description, const char *availability,
			    struct ats_error *err)
{
	if (!ats_job_availability_valid(availability))
		return ats_invalid(err, "availability",
				   "must be private or public");
	if (ats_line_check(err, "title", title, 1, JOB_TITLE_MAX,
			   "must be 1 to 200 characters on one line") ||
	    ats_line_check(err, "location", location, 0, JOB_LOCATION_MAX,
			   "must be at most 200 characters on one line"))
		return ATS_INVALID;
	if (!ats_text_valid(description, 0, JOB_DESCRIPTION_MAX))
		return ats_invalid(
		    err, "description",
		    "must be at most 100,000 characters of text");
	return DB_OK;
}

int ats_job_lock(struct db *db, struct arena *a, int64_t job_id)
{
	struct db_row r;
	return db_query_row(db, a, &r,
			    "SELECT id FROM jobs WHERE id = ? FOR UPDATE", "i",
			    job_id);
}

/* ------------------------------------------------------------ jobs */

/*
 * The jobs list reads index ranges only (sql/060_perf_jobs.sql), never a
 * probe per job.  The rule is access.h's ATS_JOB_VISIBLE_SQL, rewritten
 * per role, each statement with only the conditions its role and filter
 * need (a catch-all "? = 'admin' OR ..." statement cost a recruiter on 300
 * jobs 0.48 ms of MariaDB's CPU, its own statement 0.28 ms; make bench):
 *   - an admin: all jobs, newest first (the primary key, or jobs_status);
 *   - a recruiter: the unassigned jobs (member_count = 0: index
 *     jobs_members / jobs_members_status) and the user's own
 *     (job_members_user), each cut at offset + limit, then merged newest
 *     first; the two are disjoint, since a member's job has a member;
 *   - a hiring manager: the jobs the user is a member of; an interviewer:
 *     those the user is an interviewer on (IV_ONLY), as ats_job_access_of
 *     decides for the job's page, so no row of the list answers 404.
 * The total without a search is a column of the page's own statement
 * (TOTAL_*: job_counts, kept by triggers, plus the user's member jobs), so
 * the list as first shown is one round trip; its parameters come first, so
 * that "SELECT " TOTAL_* alone gives it past the last page.  A search
 * counts its matches first.
 */
#define LIST_ROW                                                               \
	"SELECT j.id, j.title, j.location, j.status, "                         \
	"DATE_FORMAT(j.updated_at, '%Y-%m-%d'), "
#define MINE_ALL "FROM job_members m WHERE m.user_id = ?"
#define MINE_ST                                                                \
	"FROM job_members m JOIN jobs s ON s.id = m.job_id WHERE m.user_id = " \
	"? AND s.status = ?"
#define TOTAL_ADMIN_ALL "(SELECT COALESCE(SUM(n), 0) FROM job_counts)"
#define TOTAL_ADMIN_ST                                                         \
	"(SELECT COALESCE(SUM(n), 0) FROM job_counts WHERE status = ?)"
#define TOTAL_RECRUITER_ALL                                                    \
	"(SELECT COALESCE(SUM(n), 0) FROM job_counts WHERE unassigned = 1) + " \
	"(SELECT COUNT(*) " MINE_ALL ")"
#define TOTAL_RECRUITER_ST                                                     \
	"(SELECT COALESCE(SUM(n), 0) FROM job_counts WHERE unassigned = 1 "    \
	"AND status = ?) + (SELECT COUNT(*) " MINE_ST ")"
#define TOTAL_MEMBER_ALL "(SELECT COUNT(*) " MINE_ALL ")"
#define TOTAL_MEMBER_ST "(SELECT COUNT(*) " MINE_ST ")"
/* An interviewer's jobs: where they are an interviewer (access.c). */
#define IV_ONLY(m) " AND " m ".role = 'interviewer'"
#define TOTAL_IV_ALL "(SELECT COUNT(*) " MINE_ALL IV_ONLY("m") ")"
#define TOTAL_IV_ST "(SELECT COUNT(*) " MINE_ST IV_ONLY("m") ")"
#define RECRUITER_PAGE(unassigned, mine)                                       \
	" FROM ((SELECT id FROM jobs WHERE member_count = 0" unassigned        \
	" ORDER BY id DESC LIMIT ?) UNION ALL (SELECT m.job_id " mine          \
	" ORDER BY m.job_id DESC LIMIT ?) ORDER BY id DESC LIMIT ? OFFSET ?) " \
	"v JOIN jobs j ON j.id = v.id ORDER BY j.id DESC"
#define MEMBER_PAGE(status)                                                    \
	" FROM job_members jm JOIN jobs j ON j.id = jm.job_id WHERE "          \
	"jm.user_id = ?" status " ORDER BY jm.job_id DESC LIMIT ? OFFSET ?"

/* A job from the first five columns of r: id, title, location, status,
 * updated_at, the list's (LIST_ROW, jobs_list_search_sql) and the first of
 * JOB_COLUMNS; public_id is NULL when out of memory. */
static void job_head_from_row(struct arena *a, const struct db_row *r,
			      struct job *j)
{
	j->id = db_int(r, 0);
	j->public_id = ats_job_public_id(a, j->id);
	j->title = r->v[1];
	j->location = r->v[2];
	j->status = r->v[3];
	j->updated_at = r->v[4];
}

/* The first rows of the list without a search, up to offset + limit
 * (upto), and the total as the last column; total_only: the total alone,
 * in column 0.  st NULL: every status. */
static int jobs_unsearched(struct db *db, struct arena *a,
			   const struct user *u, const char *st,
			   bool total_only, int64_t upto, int64_t limit,
			   int64_t offset, struct db_result *res)
{
	int64_t uid = u->id;

	if (u->role == ROLE_ADMIN && !st)
		return total_only
			   ? db_query(db, a, res, "SELECT " TOTAL_ADMIN_ALL, "")
			   : db_query(db, a, res,
				      LIST_ROW TOTAL_ADMIN_ALL
				      " FROM jobs j ORDER BY j.id DESC LIMIT ? "
				      "OFFSET ?",
				      "ii", limit, offset);
	if (u->role == ROLE_ADMIN)
		return total_only
			   ? db_query(db, a, res, "SELECT " TOTAL_ADMIN_ST, "s",
				      st)
			   : db_query(db, a, res,
				      LIST_ROW TOTAL_ADMIN_ST
				      " FROM jobs j WHERE j.status = ? ORDER BY "
				      "j.id DESC LIMIT ? OFFSET ?",
				      "ssii", st, st, limit, offset);
	if (u->role == ROLE_RECRUITER && !st)
		return total_only
			   ? db_query(db, a, res, "SELECT " TOTAL_RECRUITER_ALL,
				      "i", uid)
			   : db_query(db, a, res,
				      LIST_ROW TOTAL_RECRUITER_ALL
					  RECRUITER_PAGE("", MINE_ALL),
				      "iiiiii", uid, upto, uid, upto, limit,
				      offset);
	if (u->role == ROLE_RECRUITER)
		return total_only
			   ? db_query(db, a, res, "SELECT " TOTAL_RECRUITER_ST,
				      "sis", st, uid, st)
			   : db_query(db, a, res,
				      LIST_ROW TOTAL_RECRUITER_ST RECRUITER_PAGE(
					  " AND status = ?", MINE_ST),
				      "sissiisiii", st, uid, st, st, upto, uid,
				      st, upto, limit, offset);
	if (u->role == ROLE_INTERVIEWER && !st)
		return total_only
			   ? db_query(db, a, res, "SELECT " TOTAL_IV_ALL, "i",
				      uid)
			   : db_query(db, a, res,
				      LIST_ROW TOTAL_IV_ALL
					  MEMBER_PAGE(IV_ONLY("jm")),
				      "iiii", uid, uid, limit, offset);
	if (u->role == ROLE_INTERVIEWER)
		return total_only
			   ? db_query(db, a, res, "SELECT " TOTAL_IV_ST, "is",
				      uid, st)
			   : db_query(db, a, res,
				      LIST_ROW TOTAL_IV_ST MEMBER_PAGE(
					  IV_ONLY("jm") " AND j.status = ?"),
				      "isisii", uid, st, uid, st, limit, offset);
	if (!st)
		return total_only
			   ? db_query(db, a, res, "SELECT " TOTAL_MEMBER_ALL,
				      "i", uid)
			   : db_query(db, a, res,
				      LIST_ROW TOTAL_MEMBER_ALL MEMBER_PAGE(""),
				      "iiii", uid, uid, limit, offset);
	return total_only
		   ? db_query(db, a, res, "SELECT " TOTAL_MEMBER_ST, "is", uid,
			      st)
		   : db_query(db, a, res,
			      LIST_ROW TOTAL_MEMBER_ST MEMBER_PAGE(
				  " AND j.status = ?"),
			      "isisii", uid, st, uid, st, limit, offset);
}

/* The sum of the revisions rows sql picks: it changes with any of them. */
static int revision_sum(struct db *db, struct arena *a, const char *sql,
			uint64_t *out)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r, sql, "");
	if (rc == DB_OK)
		*out = (uint64_t)db_int(&r, 0);
	return rc;
}

int ats_jobs_revision(struct db *db, struct arena *a, uint64_t *out)
{
	/* the jobs' own and their stages' (sql/191): one range read */
	return revision_sum(db, a,
			    "SELECT SUM(n) FROM revisions WHERE name = 'jobs' "
			    "OR name LIKE 'job\\_stages\\_%'",
			    out);
}

int ats_choices_revision(struct db *db, struct arena *a, uint64_t *out)
{
	return revision_sum(db, a,
			    "SELECT SUM(n) FROM revisions WHERE name IN "
			    "('jobs', 'pools')",
			    out);
}

int ats_stage_revisions_defer(struct db *db, bool on)
{
	return db_exec(db, NULL,
		       on ? "SET @job_stages_revision_deferred = 1"
			  : "SET @job_stages_revision_deferred = NULL",
		       "");
}

int ats_stage_revisions_bump(struct db *db, int64_t any)
{
	/* one of sql/191's 16 rows; ats_jobs_revision sums them */
	return db_exec(db, NULL,
		       "UPDATE revisions SET n = n + 1 WHERE name = "
		       "CONCAT('job_stages_', ? % 16)",
		       "i", any < 0 ? -any : any);
}

static const char jobs_count_search_sql[] =
    "SELECT COUNT(*) FROM jobs j WHERE " ATS_JOB_VISIBLE_SQL(
	"j") " AND (? IS NULL OR j.status = ?) AND (j.title LIKE ? OR j.id = "
	     "?)";

static const char jobs_list_search_sql[] =
    "SELECT j.id, j.title, j.location, j.status, "
    "DATE_FORMAT(j.updated_at, '%Y-%m-%d') FROM ("
    "(SELECT j1.id FROM jobs j1 WHERE (? = 'admin' OR (? = 'recruiter' AND "
    "j1.member_count = 0)) AND (? IS NULL OR j1.status = ?) AND "
    "(j1.title LIKE ? OR j1.id = ?) ORDER BY j1.id DESC LIMIT ?) UNION ALL "
    "(SELECT jm.job_id FROM job_members jm JOIN jobs j2 ON j2.id = jm.job_id "
    "WHERE ? <> 'admin' AND jm.user_id = ? AND (? <> 'interviewer' OR "
    "jm.role = 'interviewer') AND (? IS NULL OR j2.status = ?) "
    "AND (j2.title LIKE ? OR j2.id = ?) ORDER BY jm.job_id DESC LIMIT ?) "
    "ORDER BY id DESC LIMIT ? OFFSET ?) v JOIN jobs j ON j.id = v.id "
    "ORDER BY j.id DESC";

int ats_jobs_list(struct db *db, struct arena *a, const struct user *u,
		  const char *status, const char *q, int64_t offset,
		  int64_t limit, struct job_list *out)
{
	struct db_result res;
	struct db_row cnt;
	const char *st = status && *status ? status : NULL;
	const char *role = role_name(u->role);
	const char *like = NULL;
	int64_t by_id = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (offset < 0 || limit < 0)
		return DB_ERROR;
	if (q && *q) {
		by_id = ats_job_id_parse(q);
		like = ats_like_contains(a, q);
		if (!like)
			return DB_ERROR;
	}
	out->v =
	    arena_calloc(a, limit > 0 ? (size_t)limit : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	/* Each branch need not give more than the rows up to the page's end. */
	int64_t upto = offset + limit;
	if (like) {
		rc = db_query_row(db, a, &cnt, jobs_count_search_sql,
				  ATS_JOB_VISIBLE_TYPES "sssi",
				  ATS_JOB_VISIBLE_ARGS(u), st, st, like, by_id);
		if (rc != DB_OK)
			return rc;
		out->total = db_int(&cnt, 0);
		if (offset >= out->total)
			return DB_OK;
		rc = db_query(db, a, &res, jobs_list_search_sql,
			      "sssssiisissssiiii", role, role, st, st, like,
			      by_id, upto, role, (int64_t)u->id, role, st, st,
			      like,
			      by_id, upto, limit, offset);
	} else {
		rc = jobs_unsearched(db, a, u, st, false, upto, limit, offset,
				     &res);
		if (rc == DB_OK && res.nrows)
			out->total = db_int(&res.rows[0], 5);
		/* past the end: the total on its own */
		else if (rc == DB_OK) {
			struct db_result t;
			rc = jobs_unsearched(db, a, u, st, true, 0, 0, 0, &t);
			out->total =
			    rc == DB_OK && t.nrows ? db_int(&t.rows[0], 0) : 0;
		}
	}
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows && i < (size_t)limit; i++)
		job_head_from_row(a, &res.rows[i], &out->v[out->n++]);
	return DB_OK;
}

#define JOB_COLUMNS                                                            \
	"SELECT j.id, j.title, j.location, j.status, "                         \
	"DATE_FORMAT(j.updated_at, '%Y-%m-%d'), j.description, "               \
	"DATE_FORMAT(j.created_at, '%Y-%m-%d %H:%i'), j.created_by, "          \
	"j.availability, DATE_FORMAT(j.listed_at, '%Y-%m-%d %H:%i'), "        \
	"j.version"

static int job_from_row(struct arena *a, const struct db_row *r,
			struct job *out)
{
	job_head_from_row(a, r, out);
	out->description = r->v[5];
	out->created_at = r->v[6];
	out->created_by = db_int(r, 7);
	out->availability = r->v[8];
	out->listed_at = r->v[9];
	out->version = db_int(r, 10);
	return out->public_id ? DB_OK : DB_ERROR;
}

int ats_job_get(struct db *db, struct arena *a, int64_t id, struct job *out)
{
	struct db_row r;
	memset(out, 0, sizeof(*out));
	int rc = db_query_row(db, a, &r, JOB_COLUMNS " FROM jobs j WHERE j.id = ?",
			      "i", id);
	return rc == DB_OK ? job_from_row(a, &r, out) : rc;
}

int ats_job_get_as(struct db *db, struct arena *a, const struct user *u,
		   int64_t id, struct job *out, enum access *acc)
{
	struct db_row r;
	memset(out, 0, sizeof(*out));
	*acc = ACCESS_NONE;
	int rc = db_query_row(db, a, &r,
			      JOB_COLUMNS ", " ATS_JOB_ACCESS_COLUMNS("j")
					  " FROM jobs j WHERE j.id = ?",
			      "ii", (int64_t)u->id, id);
	if (rc != DB_OK)
		return rc;
	*acc = ats_job_access_of(u, r.v[11], db_int(&r, 12));
	return job_from_row(a, &r, out);
}

/* A change to a job, for its transaction. */
struct job_change {
	int64_t user_id;
	int64_t id; /* the job; job_create sets it */
	const char *title, *location, *description, *status, *availability;
	const char *remote_addr;
	int64_t version; /* job_update: the form's, 0 any */
	struct ats_error *err;
	/* job_create: the interview criteria (feedback.h), checked */
	const char *const *criteria;
	size_t ncriteria;
};

static int job_create(struct db *db, struct arena *a, void *arg)
{
	struct job_change *x = arg;
	/* An active job is listed from now on (LinkedIn's listedAt). */
	int rc = db_exec(
	    db, NULL,
	    "INSERT INTO jobs (title, location, description, status, "
	    "availability, created_by, listed_at) VALUES (?, ?, ?, ?, ?, "
	    "NULLIF(?, 0), IF(? = 'active', NOW(3), NULL))",
	    "sssssis", x->title, x->location, x->description, x->status,
	    x->availability, x->user_id, x->status);
	x->id = (int64_t)db_insert_id(db);
	/* The default pipeline (F1): Prospect first, where LinkedIn exports
	 * land (F11). */
	if (rc == DB_OK)
		rc = db_exec(
		    db, NULL,
		    "INSERT INTO job_stages (job_id, name, kind, position) "
		    "VALUES (?, 'Prospect', 'prospect', 1), "
		    "(?, 'Screen', 'screen', 2), "
		    "(?, 'Interview', 'interview', 3), "
		    "(?, 'Offer', 'offer', 4), (?, 'Hired', 'hired', 5)",
		    "iiiii", x->id, x->id, x->id, x->id, x->id);
	/* Its creator, a recruiter, manages it from now on, whoever is
	 * assigned to it later (an admin has every job anyway). */
	if (rc == DB_OK && x->user_id > 0)
		rc = db_exec(db, NULL,
			     "INSERT INTO job_members (job_id, user_id, role) "
			     "SELECT ?, id, 'recruiter' FROM users WHERE id = ? "
			     "AND role = 'recruiter'",
			     "ii", x->id, x->user_id);
	/* Drafts too: the sender decides what LinkedIn gets of a draft. */
	if (rc == DB_OK)
		rc = ats_outbox_mark(db, ATS_OUTBOX_JOB, (uint64_t)x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->user_id, "job.create", "job", x->id,
			       x->title, x->remote_addr);
	if (rc == DB_OK)
		rc = ats_job_criteria_write_in(db, x->user_id, x->id,
					       x->criteria, x->ncriteria,
					       x->remote_addr);
	return rc;
}

int ats_job_create(struct db *db, int64_t user_id, const char *title,
		   const char *location, const char *description,
		   const char *status, const char *availability, int64_t *id,
		   struct ats_error *err)
{
	return ats_job_create_with_criteria(db, NULL, user_id, title, location,
					    description, status, availability,
					    NULL, 0, NULL, id, err);
}

int ats_job_create_with_criteria(struct db *db, struct arena *a,
				 int64_t user_id, const char *title,
				 const char *location, const char *description,
				 const char *status, const char *availability,
				 const char *const *criteria, size_t ncriteria,
				 const char *remote_addr, int64_t *id,
				 struct ats_error *err)
{
	struct job_change x = {.user_id = user_id,
			       .remote_addr = remote_addr,
			       .criteria = criteria,
			       .ncriteria = ncriteria,
			       .title = title,
			       .location = location ? location : "",
			       .description = description ? description : "",
			       .status = status,
			       .availability =
				   availability ? availability : "private"};
	int rc = job_fields_check(title, x.location, x.description,
				  x.availability, err);
	if (rc != DB_OK)
		return rc;
	if (!ats_job_status_valid(status))
		return ats_invalid(err, "status",
				   "must be draft, active or closed");
	if (ncriteria && (!a || !criteria))
		return ats_invalid(err, "criteria", "must be given with an arena");
	if (ncriteria && (rc = ats_criteria_check(a, criteria, ncriteria,
						  err)) != DB_OK)
		return rc;
	rc = db_transaction(db, job_create, &x);
	if (rc == DB_OK && id)
		*id = x.id;
	return rc;
}

static int job_update(struct db *db, struct arena *a, void *arg)
{
	const struct job_change *x = arg;
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT title, location, description, "
			      "availability, version FROM jobs WHERE id = ? "
			      "FOR UPDATE",
			      "i", x->id);
	/* A form read before someone else's edit: theirs stays. */
	if (rc == DB_OK && x->version && db_int(&r, 4) != x->version)
		return ats_fail(x->err, ATS_CONFLICT, "version",
				"This job was changed by someone else since "
				"you opened the form; compare, then save "
				"again");
	const char *availability =
	    rc == DB_OK && !x->availability ? r.v[3] : x->availability;
	if (rc == DB_OK)
		rc = ats_outbox_mark(db, ATS_OUTBOX_JOB, (uint64_t)x->id);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE jobs SET title = ?, location = ?, "
			     "description = ?, availability = ?, version = "
			     "version + 1 WHERE id = ?",
			     "ssssi", x->title, x->location, x->description,
			     availability, x->id);
	/* LinkedIn's applications carry the job's name: renamed, the
	 * candidates on it go again (one row here, expanded by the worker) */
	if (rc == DB_OK && strcmp(r.v[0], x->title))
		rc = ats_outbox_mark(db, ATS_OUTBOX_JOB_NAMES, (uint64_t)x->id);
	if (rc == DB_OK) {
		/* The audit says which fields changed, not their text. */
		struct buf d = BUF_INIT;
		if (strcmp(r.v[0], x->title))
			buf_adds(&d, " title");
		if (strcmp(r.v[1], x->location))
			buf_adds(&d, " location");
		if (strcmp(r.v[2], x->description))
			buf_adds(&d, " description");
		if (strcmp(r.v[3], availability))
			buf_adds(&d, " availability");
		rc = buf_failed(&d)
			 ? DB_ERROR
			 : ats_audit(db, x->user_id, "job.update", "job", x->id,
				     d.len ? d.data + 1 : "", x->remote_addr);
		buf_release(&d);
	}
	return rc;
}

int ats_job_update(struct db *db, int64_t user_id, int64_t id,
		   const char *title, const char *location,
		   const char *description, const char *availability,
		   int64_t version, const char *remote_addr,
		   struct ats_error *err)
{
	struct job_change x = {.user_id = user_id,
			       .id = id,
			       .version = version,
			       .err = err,
			       .title = title,
			       .location = location ? location : "",
			       .description = description ? description : "",
			       .availability = availability,
			       .remote_addr = remote_addr};
	int rc = job_fields_check(title, x.location, x.description,
				  availability ? availability : "private", err);
	return rc == DB_OK ? db_transaction(db, job_update, &x) : rc;
}

static int job_set_status(struct db *db, struct arena *a, void *arg)
{
	const struct job_change *x = arg;
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT status, (SELECT COUNT(*) FROM job_stages "
			      "s WHERE s.job_id = j.id) FROM jobs j WHERE j.id "
			      "= ? FOR UPDATE",
			      "i", x->id);
	/* The same status: nothing to change, nothing to audit. */
	if (rc == DB_OK && !strcmp(r.v[0], x->status))
		return DB_OK;
	if (rc == DB_OK)
		rc = ats_outbox_mark(db, ATS_OUTBOX_JOB, (uint64_t)x->id);
	/* An active job takes applications, which need a stage to be at. */
	if (rc == DB_OK && !strcmp(x->status, "active") && db_int(&r, 1) == 0)
		rc = ats_invalid(x->err, "status",
				 "the pipeline has no stages: add one first");
	/* The first activation lists the job (LinkedIn's listedAt); a
	 * reopening keeps the date. */
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE jobs SET status = ?, listed_at = "
			     "COALESCE(listed_at, IF(? = 'active', NOW(3), "
			     "NULL)) WHERE id = ?",
			     "ssi", x->status, x->status, x->id);
	if (rc == DB_OK) {
		const char *action =
		    !strcmp(x->status, "active")   ? "job.activate"
		    : !strcmp(x->status, "closed") ? "job.close"
						   : "job.draft";
		rc = ats_audit(db, x->user_id, action, "job", x->id,
			       arena_printf(a, "%s->%s", r.v[0], x->status),
			       x->remote_addr);
	}
	return rc;
}

int ats_job_set_status(struct db *db, int64_t user_id, int64_t id,
		       const char *status, const char *remote_addr,
		       struct ats_error *err)
{
	struct job_change x = {.user_id = user_id,
			       .id = id,
			       .status = status,
			       .remote_addr = remote_addr,
			       .err = err};
	if (!ats_job_status_valid(status))
		return ats_invalid(err, "status",
				   "must be draft, active or closed");
	return db_transaction(db, job_set_status, &x);
}

/* One chunk of ats_jobs_mark_all: the jobs after from (by id), at most
 * 500, marked; got of them, the last one last.  Written afresh by each
 * run of the transaction. */
struct mark_chunk {
	int64_t from, last, n;
	size_t got;
};

static int mark_chunk(struct db *db, struct arena *a, void *arg)
{
	struct mark_chunk *x = arg;
	struct db_result res;
	x->got = 0;
	int rc = db_query(db, a, &res,
			  "SELECT id FROM jobs WHERE id > ? AND status <> "
			  "'draft' ORDER BY id LIMIT 500",
			  "i", x->from);
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++)
		rc = ats_outbox_mark(db, ATS_OUTBOX_JOB,
				     (uint64_t)db_int(&res.rows[i], 0));
	if (rc == DB_OK)
		x->got = res.nrows;
	if (rc == DB_OK && res.nrows)
		x->last = db_int(&res.rows[res.nrows - 1], 0);
	return rc;
}

int ats_jobs_mark_all(struct db *db, int64_t *marked)
{
	struct mark_chunk x = {0, 0, 0, 0};
	int rc;
	do {
		rc = db_transaction(db, mark_chunk, &x);
		x.n += (int64_t)x.got;
		x.from = x.last;
	} while (rc == DB_OK && x.got == 500);
	if (marked)
		*marked = x.n;
	return rc;
}

int ats_job_history(struct db *db, struct arena *a, int64_t job_id,
		    int64_t limit, struct job_event_list *out)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	int rc =
	    db_query(db, a, &res,
		     "SELECT DATE_FORMAT(l.at, '%Y-%m-%d %H:%i'), "
		     "COALESCE(u.name, ''), l.action, COALESCE(l.detail, ''), "
		     "COALESCE(m.name, '') "
		     "FROM audit_log l LEFT JOIN users u ON u.id = l.user_id "
		     /* job_members.c's details begin "user <id> " */
		     "LEFT JOIN users m ON l.action LIKE 'job.member%' AND "
		     "m.id = CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(l.detail, "
		     "' ', 2), ' ', -1) AS UNSIGNED) "
		     "WHERE l.entity = 'job' AND l.entity_id = ? "
		     "ORDER BY l.id DESC LIMIT ?",
		     "ii", job_id, limit);
	if (rc != DB_OK)
		return rc;
	out->v = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		out->v[i] = (struct job_event){v[0], v[1], v[2], v[3], v[4]};
	}
	out->n = res.nrows;
	return DB_OK;
}
