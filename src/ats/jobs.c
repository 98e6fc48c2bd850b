/*
 * jobs.c - jobs (F1): list, search, create, edit, status; their members;
 * their pipelines of stages.
 *
 * A job's public ID ("J-00042") is its primary key formatted, so searching
 * by ID is a primary-key lookup and needs no column of its own.
 *
 * Pipelines: a job's stages carry positions 1..n without gaps.  Every
 * pipeline edit first locks the job row (SELECT ... FOR UPDATE), so two
 * editors of one pipeline are serialised and the renumbering of one never
 * interleaves with another's; editors of different jobs do not wait.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ats/access.h"
#include "ats/jobs.h"
#include "ats/check.h"

#define JOB_STAGES_MAX 30

static const char *const stage_kinds[] = {"prospect", "screen", "interview",
					  "offer",    "hired",	"other"};

bool ats_job_status_valid(const char *s)
{
	return s && (!strcmp(s, "draft") || !strcmp(s, "active") ||
		     !strcmp(s, "closed"));
}

bool ats_stage_kind_valid(const char *s)
{
	for (size_t i = 0; s && i < ARRAY_LEN(stage_kinds); i++)
		if (!strcmp(s, stage_kinds[i]))
			return true;
	return false;
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
			    const char *description, struct ats_error *err)
{
	if (!ats_line_valid(title, 1, JOB_TITLE_MAX))
		return ats_invalid(err, "title",
				   "must be 1 to 200 characters on one line");
	if (!ats_line_valid(location, 0, JOB_LOCATION_MAX))
		return ats_invalid(
		    err, "location",
		    "must be at most 200 characters on one line");
	if (!ats_text_valid(description, 0, JOB_DESCRIPTION_MAX))
		return ats_invalid(
		    err, "description",
		    "must be at most 100,000 characters of text");
	return DB_OK;
}

/* Locks the job row for the rest of the transaction. */
static int job_lock(struct db *db, int64_t job_id)
{
	struct arena *a = arena_new(1024);
	struct db_row r;
	if (!a)
		return DB_ERROR;
	int rc = db_query_row(db, a, &r,
			      "SELECT id FROM jobs WHERE id = ? FOR UPDATE",
			      "i", job_id);
	arena_free(a);
	return rc;
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
 *   - a hiring manager or interviewer: the user's own jobs.
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
#define RECRUITER_PAGE(unassigned, mine)                                       \
	" FROM ((SELECT id FROM jobs WHERE member_count = 0" unassigned        \
	" ORDER BY id DESC LIMIT ?) UNION ALL (SELECT m.job_id " mine          \
	" ORDER BY m.job_id DESC LIMIT ?) ORDER BY id DESC LIMIT ? OFFSET ?) " \
	"v JOIN jobs j ON j.id = v.id ORDER BY j.id DESC"
#define MEMBER_PAGE(status)                                                    \
	" FROM job_members jm JOIN jobs j ON j.id = jm.job_id WHERE "          \
	"jm.user_id = ?" status " ORDER BY jm.job_id DESC LIMIT ? OFFSET ?"

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

int ats_jobs_revision(struct db *db, struct arena *a, uint64_t *out)
{
	struct db_row r;
	int rc = db_query_row(
	    db, a, &r, "SELECT n FROM revisions WHERE name = 'jobs'", "");
	if (rc == DB_OK)
		*out = (uint64_t)db_int(&r, 0);
	return rc;
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
    "WHERE ? <> 'admin' AND jm.user_id = ? AND (? IS NULL OR j2.status = ?) "
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
			      "sssssiisisssiiii", role, role, st, st, like,
			      by_id, upto, role, (int64_t)u->id, st, st, like,
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
	for (size_t i = 0; i < res.nrows && i < (size_t)limit; i++) {
		struct db_row *r = &res.rows[i];
		struct job *j = &out->v[i];
		j->id = db_int(r, 0);
		j->public_id = ats_job_public_id(a, j->id);
		j->title = r->v[1];
		j->location = r->v[2];
		j->status = r->v[3];
		j->updated_at = r->v[4];
		out->n++;
	}
	return DB_OK;
}

#define JOB_COLUMNS                                                            \
	"SELECT j.id, j.title, j.location, j.status, "                         \
	"DATE_FORMAT(j.updated_at, '%Y-%m-%d'), j.description, "               \
	"DATE_FORMAT(j.created_at, '%Y-%m-%d %H:%i'), j.created_by"

static int job_from_row(struct arena *a, const struct db_row *r,
			struct job *out)
{
	out->id = db_int(r, 0);
	out->public_id = ats_job_public_id(a, out->id);
	out->title = r->v[1];
	out->location = r->v[2];
	out->status = r->v[3];
	out->updated_at = r->v[4];
	out->description = r->v[5];
	out->created_at = r->v[6];
	out->created_by = db_int(r, 7);
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
	*acc = ats_job_access_of(u, r.v[8], db_int(&r, 9));
	return job_from_row(a, &r, out);
}

int ats_job_create(struct db *db, int64_t user_id, const char *title,
		   const char *location, const char *description,
		   const char *status, int64_t *id, struct ats_error *err)
{
	if (!location)
		location = "";
	if (!description)
		description = "";
	int rc = job_fields_check(title, location, description, err);
	if (rc != DB_OK)
		return rc;
	if (!ats_job_status_valid(status))
		return ats_invalid(err, "status",
				   "must be draft, active or closed");

	rc = db_begin(db);
	if (rc != DB_OK)
		return rc;
	rc = db_exec(db, NULL,
		     "INSERT INTO jobs (title, location, description, status, "
		     "created_by) VALUES (?, ?, ?, ?, NULLIF(?, 0))",
		     "ssssi", title, location, description, status, user_id);
	int64_t job_id = (int64_t)db_insert_id(db);
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
		    "iiiii", job_id, job_id, job_id, job_id, job_id);
	if (rc == DB_OK)
		rc = ats_audit(db, user_id, "job.create", "job", job_id, title,
			       NULL);
	rc = ats_txn_end(db, rc);
	if (rc == DB_OK && id)
		*id = job_id;
	return rc;
}

int ats_job_update(struct db *db, int64_t user_id, int64_t id,
		   const char *title, const char *location,
		   const char *description, const char *remote_addr,
		   struct ats_error *err)
{
	struct arena *a;
	struct db_row r;
	if (!location)
		location = "";
	if (!description)
		description = "";
	int rc = job_fields_check(title, location, description, err);
	if (rc != DB_OK)
		return rc;
	a = arena_new(4096);
	if (!a)
		return DB_ERROR;
	rc = db_begin(db);
	if (rc != DB_OK)
		goto out;
	rc = db_query_row(db, a, &r,
			  "SELECT title, location, description FROM jobs "
			  "WHERE id = ? FOR UPDATE",
			  "i", id);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE jobs SET title = ?, location = ?, "
			     "description = ? WHERE id = ?",
			     "sssi", title, location, description, id);
	if (rc == DB_OK) {
		/* The audit says which fields changed, not their text. */
		struct buf d = BUF_INIT;
		if (strcmp(r.v[0], title))
			buf_adds(&d, " title");
		if (strcmp(r.v[1], location))
			buf_adds(&d, " location");
		if (strcmp(r.v[2], description))
			buf_adds(&d, " description");
		rc = buf_failed(&d)
			 ? DB_ERROR
			 : ats_audit(db, user_id, "job.update", "job", id,
				     d.len ? d.data + 1 : "", remote_addr);
		buf_release(&d);
	}
	rc = ats_txn_end(db, rc);
out:
	arena_free(a);
	return rc;
}

int ats_job_set_status(struct db *db, int64_t user_id, int64_t id,
		       const char *status, const char *remote_addr,
		       struct ats_error *err)
{
	struct arena *a;
	struct db_row r;
	if (!ats_job_status_valid(status))
		return ats_invalid(err, "status",
				   "must be draft, active or closed");
	a = arena_new(1024);
	if (!a)
		return DB_ERROR;
	int rc = db_begin(db);
	if (rc != DB_OK)
		goto out;
	rc = db_query_row(db, a, &r,
			  "SELECT status, (SELECT COUNT(*) FROM job_stages s "
			  "WHERE s.job_id = j.id) FROM jobs j WHERE j.id = ? "
			  "FOR UPDATE",
			  "i", id);
	if (rc == DB_OK && !strcmp(r.v[0], status)) {
		db_rollback(db); /* nothing to change, nothing to audit */
		goto out;
	}
	/* An active job takes applications, which need a stage to be at. */
	if (rc == DB_OK && !strcmp(status, "active") && db_int(&r, 1) == 0)
		rc = ats_invalid(err, "status",
				 "the pipeline has no stages: add one first");
	if (rc == DB_OK)
		rc =
		    db_exec(db, NULL, "UPDATE jobs SET status = ? WHERE id = ?",
			    "si", status, id);
	if (rc == DB_OK) {
		const char *action = !strcmp(status, "active") ? "job.activate"
				     : !strcmp(status, "closed") ? "job.close"
								 : "job.draft";
		rc = ats_audit(db, user_id, action, "job", id,
			       arena_printf(a, "%s->%s", r.v[0], status),
			       remote_addr);
	}
	rc = ats_txn_end(db, rc);
out:
	arena_free(a);
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
		     "COALESCE(u.name, ''), l.action, COALESCE(l.detail, '') "
		     "FROM audit_log l LEFT JOIN users u ON u.id = l.user_id "
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
		out->v[i] = (struct job_event){v[0], v[1], v[2], v[3]};
	}
	out->n = res.nrows;
	return DB_OK;
}

/* ------------------------------------------------------------ members */

static bool member_role_valid(const char *s)
{
	return s && (!strcmp(s, "recruiter") || !strcmp(s, "hiring_manager") ||
		     !strcmp(s, "interviewer"));
}

/* Rows of (id, name, email, role) into out, arena-owned. */
static int member_list_from(struct arena *a, const struct db_result *res,
			    struct job_member_list *out)
{
	out->v = arena_calloc(a, res->nrows ? res->nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res->nrows; i++) {
		struct db_row *r = &res->rows[i];
		out->v[i] = (struct job_member){db_int(r, 0), r->v[1], r->v[2],
						r->v[3]};
	}
	out->n = res->nrows;
	return DB_OK;
}

int ats_job_members(struct db *db, struct arena *a, int64_t job_id,
		    struct job_member_list *out)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	int rc = db_query(
	    db, a, &res,
	    "SELECT u.id, u.name, u.email, jm.role FROM job_members jm "
	    "JOIN users u ON u.id = jm.user_id WHERE jm.job_id = ? "
	    "ORDER BY FIELD(jm.role, 'recruiter', 'hiring_manager', "
	    "'interviewer'), u.name, u.id",
	    "i", job_id);
	if (rc != DB_OK)
		return rc;
	return member_list_from(a, &res, out);
}

int ats_job_assignable_users(struct db *db, struct arena *a, int64_t job_id,
			     struct job_member_list *out)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	int rc = db_query(db, a, &res,
			  "SELECT u.id, u.name, u.email, u.role FROM users u "
			  "WHERE u.active = 1 AND u.id NOT IN (SELECT "
			  "jm.user_id FROM job_members jm WHERE jm.job_id = ?) "
			  "ORDER BY u.name, u.id LIMIT 500",
			  "i", job_id);
	if (rc != DB_OK)
		return rc;
	return member_list_from(a, &res, out);
}

int ats_job_member_set(struct db *db, int64_t actor_id, int64_t job_id,
		       int64_t user_id, const char *role,
		       bool actor_keeps_access, const char *remote_addr,
		       struct ats_error *err)
{
	struct arena *a;
	struct db_row r;
	if (!member_role_valid(role))
		return ats_invalid(
		    err, "role",
		    "must be recruiter, hiring_manager or interviewer");
	a = arena_new(1024);
	if (!a)
		return DB_ERROR;
	int rc = db_begin(db);
	if (rc != DB_OK)
		goto out;
	rc = job_lock(db, job_id);
	if (rc == DB_OK) {
		rc = db_query_row(db, a, &r,
				  "SELECT active FROM users WHERE id = ?", "i",
				  user_id);
		if (rc == DB_NOT_FOUND || (rc == DB_OK && !db_int(&r, 0)))
			rc = ats_invalid(err, "user_id",
					 "must be an active user");
	}
	const char *old = NULL;
	if (rc == DB_OK) {
		rc = db_query_row(
		    db, a, &r,
		    "SELECT role FROM job_members WHERE job_id = ? "
		    "AND user_id = ?",
		    "ii", job_id, user_id);
		if (rc == DB_OK)
			old = r.v[0];
		else if (rc == DB_NOT_FOUND)
			rc = DB_OK;
	}
	if (rc == DB_OK && old && !strcmp(old, role)) {
		db_rollback(db); /* already so */
		goto out;
	}
	if (rc == DB_OK && actor_keeps_access && actor_id != user_id) {
		rc = db_query_row(
		    db, a, &r,
		    "SELECT COUNT(*) FROM job_members WHERE job_id = ?", "i",
		    job_id);
		if (rc == DB_OK && db_int(&r, 0) == 0) {
			rc = db_exec(
			    db, NULL,
			    "INSERT INTO job_members (role, job_id, user_id) "
			    "VALUES ('recruiter', ?, ?)",
			    "ii", job_id, actor_id);
			if (rc == DB_OK)
				rc = ats_audit(
				    db, actor_id, "job.member_add", "job",
				    job_id,
				    arena_printf(a,
						 "user %lld recruiter (kept "
						 "access on assigning)",
						 (long long)actor_id),
				    remote_addr);
		}
	}
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     old ? "UPDATE job_members SET role = ? WHERE "
				   "job_id = ? AND user_id = ?"
				 : "INSERT INTO job_members (role, job_id, "
				   "user_id) VALUES (?, ?, ?)",
			     "sii", role, job_id, user_id);
	if (rc == DB_OK)
		rc = ats_audit(db, actor_id,
			       old ? "job.member_role" : "job.member_add",
			       "job", job_id,
			       old ? arena_printf(a, "user %lld %s->%s",
						  (long long)user_id, old, role)
				   : arena_printf(a, "user %lld %s",
						  (long long)user_id, role),
			       remote_addr);
	rc = ats_txn_end(db, rc);
out:
	arena_free(a);
	return rc;
}

int ats_job_member_remove(struct db *db, int64_t actor_id, int64_t job_id,
			  int64_t user_id, const char *remote_addr)
{
	uint64_t n = 0;
	char detail[64];
	int rc = db_begin(db);
	if (rc != DB_OK)
		return rc;
	rc = job_lock(db, job_id);
	if (rc == DB_OK)
		rc = db_exec(db, &n,
			     "DELETE FROM job_members WHERE job_id = ? AND "
			     "user_id = ?",
			     "ii", job_id, user_id);
	if (rc == DB_OK && n == 0)
		rc = DB_NOT_FOUND;
	snprintf(detail, sizeof(detail), "user %lld", (long long)user_id);
	if (rc == DB_OK)
		rc = ats_audit(db, actor_id, "job.member_remove", "job", job_id,
			       detail, remote_addr);
	return ats_txn_end(db, rc);
}

/* ------------------------------------------------------------ stages */

static void stage_from_row(struct stage *s, const struct db_row *r)
{
	s->id = db_int(r, 0);
	s->name = r->v[1];
	s->kind = r->v[2];
	s->position = (int)db_int(r, 3);
	s->active_count = db_int(r, 4);
	s->total_count = -1;
}

/* out from rows of (id, name, kind, position, active_count, total_count)
 * and, when job_ids is not NULL, job_id as a seventh column into it. */
static int stages_from(struct arena *a, const struct db_result *res,
		       struct stage_list *out, int64_t **job_ids)
{
	size_t n = res->nrows ? res->nrows : 1;
	out->v = arena_calloc(a, n, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	if (job_ids && !(*job_ids = arena_calloc(a, n, sizeof(**job_ids))))
		return DB_ERROR;
	for (size_t i = 0; i < res->nrows; i++) {
		stage_from_row(&out->v[i], &res->rows[i]);
		out->v[i].total_count = db_int(&res->rows[i], 5);
		if (job_ids)
			(*job_ids)[i] = db_int(&res->rows[i], 6);
	}
	out->n = res->nrows;
	return DB_OK;
}

int ats_job_stages(struct db *db, struct arena *a, int64_t job_id,
		   struct stage_list *out)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	/* The counts are kept in the stage rows (sql/080_perf_stages.sql). */
	int rc = db_query(db, a, &res,
			  "SELECT id, name, kind, position, active_count, "
			  "total_count FROM job_stages WHERE job_id = ? "
			  "ORDER BY position, id",
			  "i", job_id);
	return rc == DB_OK ? stages_from(a, &res, out, NULL) : rc;
}

int ats_candidate_pipelines(struct db *db, struct arena *a,
			    int64_t candidate_id, struct stage_list *out,
			    int64_t **job_ids)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	*job_ids = NULL;
	int rc = db_query(db, a, &res,
			  "SELECT s.id, s.name, s.kind, s.position, "
			  "s.active_count, s.total_count, s.job_id FROM "
			  "job_stages s WHERE s.job_id IN (SELECT job_id FROM "
			  "applications WHERE candidate_id = ? AND status = "
			  "'active') ORDER BY s.job_id, s.position, s.id",
			  "i", candidate_id);
	return rc == DB_OK ? stages_from(a, &res, out, job_ids) : rc;
}

int ats_stage_get(struct db *db, struct arena *a, int64_t job_id,
		  int64_t stage_id, struct stage *out)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT s.id, s.name, s.kind, s.position, "
			      "s.active_count FROM job_stages s WHERE "
			      "s.id = ? AND s.job_id = ?",
			      "ii", stage_id, job_id);
	if (rc == DB_OK)
		stage_from_row(out, &r);
	return rc;
}

int ats_stage_by_kind(struct db *db, struct arena *a, int64_t job_id,
		      const char *kind, struct stage *out)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT s.id, s.name, s.kind, s.position, "
			      "s.active_count FROM job_stages s WHERE "
			      "s.job_id = ? AND s.kind = ? "
			      "ORDER BY s.position, s.id LIMIT 1",
			      "is", job_id, kind ? kind : "");
	if (rc == DB_OK)
		stage_from_row(out, &r);
	return rc;
}

int ats_stage_add(struct db *db, int64_t actor_id, int64_t job_id,
		  const char *name, const char *kind, const char *remote_addr,
		  int64_t *id, struct ats_error *err)
{
	struct arena *a;
	struct db_row r;
	if (!kind || !*kind)
		kind = "other";
	if (!ats_line_valid(name, 1, STAGE_NAME_MAX))
		return ats_invalid(err, "name",
				   "must be 1 to 100 characters on one line");
	if (!ats_stage_kind_valid(kind))
		return ats_invalid(
		    err, "kind",
		    "must be prospect, screen, interview, offer, "
		    "hired or other");
	a = arena_new(1024);
	if (!a)
		return DB_ERROR;
	int rc = db_begin(db);
	if (rc != DB_OK)
		goto out;
	rc = job_lock(db, job_id);
	if (rc == DB_OK)
		rc = db_query_row(
		    db, a, &r,
		    "SELECT COUNT(*) FROM job_stages WHERE job_id = ?", "i",
		    job_id);
	int64_t n = rc == DB_OK ? db_int(&r, 0) : 0;
	if (rc == DB_OK && n >= JOB_STAGES_MAX)
		rc = ats_invalid(err, "name",
				 "a pipeline has at most 30 stages");
	if (rc == DB_OK)
		rc = db_exec(
		    db, NULL,
		    "INSERT INTO job_stages (job_id, name, kind, position) "
		    "VALUES (?, ?, ?, ?)",
		    "issi", job_id, name, kind, n + 1);
	int64_t stage_id = (int64_t)db_insert_id(db);
	if (rc == DB_OK)
		rc = ats_audit(db, actor_id, "stage.add", "job", job_id,
			       arena_printf(a, "stage %lld %s: %s",
					    (long long)stage_id, kind, name),
			       remote_addr);
	rc = ats_txn_end(db, rc);
	if (rc == DB_OK && id)
		*id = stage_id;
out:
	arena_free(a);
	return rc;
}

int ats_stage_rename(struct db *db, int64_t actor_id, int64_t job_id,
		     int64_t stage_id, const char *name,
		     const char *remote_addr, struct ats_error *err)
{
	struct arena *a;
	struct stage s;
	if (!ats_line_valid(name, 1, STAGE_NAME_MAX))
		return ats_invalid(err, "name",
				   "must be 1 to 100 characters on one line");
	a = arena_new(1024);
	if (!a)
		return DB_ERROR;
	int rc = db_begin(db);
	if (rc != DB_OK)
		goto out;
	rc = job_lock(db, job_id);
	if (rc == DB_OK)
		rc = ats_stage_get(db, a, job_id, stage_id, &s);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE job_stages SET name = ? WHERE id = ?",
			     "si", name, stage_id);
	if (rc == DB_OK)
		rc = ats_audit(db, actor_id, "stage.rename", "job", job_id,
			       arena_printf(a, "stage %lld: %s -> %s",
					    (long long)stage_id, s.name, name),
			       remote_addr);
	rc = ats_txn_end(db, rc);
out:
	arena_free(a);
	return rc;
}

/* Writes positions 1..n in the order of ids[], touching only rows whose
 * position changes. */
static int stages_renumber(struct db *db, const struct db_result *res,
			   const int64_t *ids, size_t n)
{
	int rc = DB_OK;
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		int64_t old = -1;
		for (size_t k = 0; k < res->nrows; k++)
			if (db_int(&res->rows[k], 0) == ids[i])
				old = db_int(&res->rows[k], 1);
		if (old != (int64_t)i + 1)
			rc = db_exec(
			    db, NULL,
			    "UPDATE job_stages SET position = ? WHERE id = ?",
			    "ii", (int64_t)i + 1, ids[i]);
	}
	return rc;
}

int ats_stage_move(struct db *db, int64_t actor_id, int64_t job_id,
		   int64_t stage_id, int position, const char *remote_addr)
{
	struct arena *a = arena_new(4096);
	struct db_result res;
	if (!a)
		return DB_ERROR;
	int rc = db_begin(db);
	if (rc != DB_OK)
		goto out;
	rc = job_lock(db, job_id);
	if (rc == DB_OK)
		rc = db_query(
		    db, a, &res,
		    "SELECT id, position FROM job_stages WHERE job_id = ? "
		    "ORDER BY position, id",
		    "i", job_id);
	size_t n = rc == DB_OK ? res.nrows : 0, from = n;
	for (size_t i = 0; i < n; i++)
		if (db_int(&res.rows[i], 0) == stage_id)
			from = i;
	if (rc == DB_OK && from == n)
		rc = DB_NOT_FOUND;
	int64_t *ids = n ? arena_calloc(a, n, sizeof(*ids)) : NULL;
	if (rc == DB_OK && !ids)
		rc = DB_ERROR;
	if (rc == DB_OK) {
		size_t to = position < 1	   ? 0
			    : (size_t)position > n ? n - 1
						   : (size_t)position - 1;
		/* The order without the stage, then the stage at index to. */
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (i == from)
				continue;
			if (k == to)
				ids[k++] = stage_id;
			ids[k++] = db_int(&res.rows[i], 0);
		}
		if (k < n)
			ids[k] = stage_id;
		rc = stages_renumber(db, &res, ids, n);
		if (rc == DB_OK)
			rc = ats_audit(
			    db, actor_id, "stage.move", "job", job_id,
			    arena_printf(a, "stage %lld: %zu -> %zu",
					 (long long)stage_id, from + 1, to + 1),
			    remote_addr);
	}
	rc = ats_txn_end(db, rc);
out:
	arena_free(a);
	return rc;
}

int ats_stage_delete(struct db *db, int64_t actor_id, int64_t job_id,
		     int64_t stage_id, const char *remote_addr)
{
	struct arena *a = arena_new(4096);
	struct db_row r;
	struct stage s;
	if (!a)
		return DB_ERROR;
	int rc = db_begin(db);
	if (rc != DB_OK)
		goto out;
	rc = job_lock(db, job_id);
	if (rc == DB_OK)
		rc = ats_stage_get(db, a, job_id, stage_id, &s);
	/* An application at the stage, or one whose history passed through
	 * it, keeps it: deleting it would leave history pointing nowhere. */
	if (rc == DB_OK)
		rc = db_query_row(
		    db, a, &r,
		    "SELECT EXISTS (SELECT 1 FROM applications WHERE "
		    "stage_id = ?) OR EXISTS (SELECT 1 FROM "
		    "application_events WHERE from_stage_id = ? OR "
		    "to_stage_id = ?)",
		    "iii", stage_id, stage_id, stage_id);
	if (rc == DB_OK && db_int(&r, 0))
		rc = ATS_STAGE_IN_USE;
	if (rc == DB_OK) {
		rc = db_exec(db, NULL, "DELETE FROM job_stages WHERE id = ?",
			     "i", stage_id);
		/* An application created at the stage since our check. */
		if (rc != DB_OK && db_errno(db) == 1451)
			rc = ATS_STAGE_IN_USE;
	}
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE job_stages SET position = position - 1 "
			     "WHERE job_id = ? AND position > ?",
			     "ii", job_id, (int64_t)s.position);
	if (rc == DB_OK)
		rc = ats_audit(db, actor_id, "stage.delete", "job", job_id,
			       arena_printf(a, "stage %lld: %s",
					    (long long)stage_id, s.name),
			       remote_addr);
	rc = ats_txn_end(db, rc);
out:
	arena_free(a);
	return rc;
}

/* The columns of a stage tab's row, for the three statements below. */
#define STAGE_ROW                                                              \
	"SELECT ap.id, ap.candidate_id, TRIM(CONCAT(c.first_name, ' ', "       \
	"c.last_name)), COALESCE(c.email, ''), DATE_FORMAT(COALESCE("          \
	"ap.stage_since, ap.created_at), '%Y-%m-%d %H:%i'), ap.status "
#define STAGE_CLOSED "status IN ('rejected', 'withdrawn', 'hired')"

/* A page among the active applications only, or among the closed ones
 * only: one range of applications_job_stage_status. */
static const char stage_active_sql[] =
    STAGE_ROW "FROM applications ap JOIN candidates c ON c.id = "
	      "ap.candidate_id WHERE ap.job_id = ? AND ap.stage_id = ? AND "
	      "ap.status = 'active' ORDER BY ap.id LIMIT ? OFFSET ?";
static const char stage_closed_sql[] =
    STAGE_ROW "FROM applications ap JOIN candidates c ON c.id = "
	      "ap.candidate_id WHERE ap.job_id = ? AND ap.stage_id = ? AND "
	      "ap." STAGE_CLOSED " ORDER BY ap.id LIMIT ? OFFSET ?";
/* The one page where the active ones end and the closed ones begin: the
 * page's ids from both ranges (each cut at the page's end), and only then
 * the candidates and the "since" of those few rows.  Twice the cost of
 * either statement above (make bench), so used only there. */
static const char stage_both_sql[] =
    STAGE_ROW "FROM ((SELECT id, 0 AS grp FROM applications WHERE job_id = ? "
	      "AND stage_id = ? AND status = 'active' ORDER BY id LIMIT ?) "
	      "UNION ALL (SELECT id, 1 AS grp FROM applications WHERE job_id = "
	      "? AND stage_id = ? AND " STAGE_CLOSED " ORDER BY id LIMIT ?) "
	      "ORDER BY grp, id LIMIT ? OFFSET ?) p "
	      "JOIN applications ap ON ap.id = p.id "
	      "JOIN candidates c ON c.id = ap.candidate_id "
	      "ORDER BY p.grp, p.id";

int ats_stage_applications(struct db *db, struct arena *a, int64_t job_id,
			   int64_t stage_id, int64_t known_active,
			   int64_t known_total, int64_t offset, int64_t limit,
			   struct stage_entry_list *out)
{
	struct db_result res;
	struct db_row cnt;
	int64_t active;
	int rc;
	memset(out, 0, sizeof(*out));
	if (offset < 0 || limit < 0)
		return DB_ERROR;
	if (known_active >= 0 && known_total >= 0) {
		active = known_active;
		out->total = known_total;
	} else {
		rc = db_query_row(db, a, &cnt,
				  "SELECT active_count, total_count FROM "
				  "job_stages WHERE job_id = ? AND id = ?",
				  "ii", job_id, stage_id);
		if (rc != DB_OK)
			return rc;
		active = db_int(&cnt, 0);
		out->total = db_int(&cnt, 1);
	}
	out->v =
	    arena_calloc(a, limit > 0 ? (size_t)limit : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	if (offset >= out->total)
		return DB_OK;
	/* Active ones first, then every other status of 002_ats.sql's ENUM,
	 * each group in id order. */
	int64_t upto = offset + limit;
	if (upto <= active)
		rc = db_query(db, a, &res, stage_active_sql, "iiii", job_id,
			      stage_id, limit, offset);
	else if (offset >= active)
		rc = db_query(db, a, &res, stage_closed_sql, "iiii", job_id,
			      stage_id, limit, offset - active);
	else
		rc = db_query(db, a, &res, stage_both_sql, "iiiiiiii", job_id,
			      stage_id, upto, job_id, stage_id, upto, limit,
			      offset);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows && i < (size_t)limit; i++) {
		struct db_row *r = &res.rows[i];
		out->v[i] =
		    (struct stage_entry){db_int(r, 0), db_int(r, 1), r->v[2],
					 r->v[3],      r->v[4],	     r->v[5]};
		out->n++;
	}
	return DB_OK;
}
