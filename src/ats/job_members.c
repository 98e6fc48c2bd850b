/*
 * job_members.c - the members of a job (F1): who is on it and in which
 * role (recruiter, hiring manager, interviewer), and the users who could
 * be added.
 *
 * Every change first locks the job row (ats_job_lock), so the "first
 * member ends the unassigned state" rule of ats_job_member_set sees the
 * members as they are and two editors of one job are serialised.
 */
#include <stdio.h>
#include <string.h>

#include "ats/check.h"
#include "ats/jobs.h"
#include "ats/outbox.h"

const struct ats_word ats_member_roles[] = {
    {"recruiter", "Recruiter"},
    {"hiring_manager", "Hiring manager"},
    {"interviewer", "Interviewer"},
    {NULL, NULL},
};

/* Runs sql, whose one parameter is the job, for rows of (id, name, email,
 * role) into out, arena-owned. */
static int member_list(struct db *db, struct arena *a, const char *sql,
		       int64_t job_id, struct job_member_list *out)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	int rc = db_query(db, a, &res, sql, "i", job_id);
	if (rc != DB_OK)
		return rc;
	out->v = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		struct db_row *r = &res.rows[i];
		out->v[i] = (struct job_member){db_int(r, 0), r->v[1], r->v[2],
						r->v[3]};
	}
	out->n = res.nrows;
	return DB_OK;
}

int ats_job_members(struct db *db, struct arena *a, int64_t job_id,
		    struct job_member_list *out)
{
	return member_list(db, a,
			   "SELECT u.id, u.name, u.email, jm.role FROM "
			   "job_members jm JOIN users u ON u.id = jm.user_id "
			   "WHERE jm.job_id = ? ORDER BY FIELD(jm.role, "
			   "'recruiter', 'hiring_manager', 'interviewer'), "
			   "u.name, u.id",
			   job_id, out);
}

int ats_job_assignable_users(struct db *db, struct arena *a, int64_t job_id,
			     struct job_member_list *out)
{
	return member_list(
	    db, a,
	    "SELECT u.id, u.name, u.email, u.role FROM users u "
	    "WHERE u.active = 1 AND u.id NOT IN (SELECT "
	    "jm.user_id FROM job_members jm WHERE jm.job_id = ?) "
	    "ORDER BY u.name, u.id LIMIT 500",
	    job_id, out);
}

/* A change to a job's members, for its transaction. */
struct member_change {
	int64_t actor_id, job_id, user_id;
	const char *role; /* member_set */
	bool actor_keeps_access;
	const char *remote_addr;
	struct ats_error *err;
};

/* The actor as the job's recruiter when it has no members yet (see
 * ats_job_member_set). */
static int actor_keep_access(struct db *db, struct arena *a,
			     const struct member_change *x)
{
	struct db_row r;
	int rc = db_query_row(
	    db, a, &r, "SELECT COUNT(*) FROM job_members WHERE job_id = ?", "i",
	    x->job_id);
	if (rc != DB_OK || db_int(&r, 0) > 0)
		return rc;
	rc = db_exec(db, NULL,
		     "INSERT INTO job_members (role, job_id, user_id) "
		     "VALUES ('recruiter', ?, ?)",
		     "ii", x->job_id, x->actor_id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "job.member_add", "job",
			       x->job_id,
			       arena_printf(a,
					    "user %lld recruiter (kept access "
					    "on assigning)",
					    (long long)x->actor_id),
			       x->remote_addr);
	return rc;
}

static int member_set(struct db *db, struct arena *a, void *arg)
{
	const struct member_change *x = arg;
	struct db_row r;
	const char *old = NULL;
	int rc = ats_job_lock(db, a, x->job_id);
	if (rc == DB_OK) {
		rc = db_query_row(db, a, &r,
				  "SELECT active FROM users WHERE id = ?", "i",
				  x->user_id);
		if (rc == DB_NOT_FOUND || (rc == DB_OK && !db_int(&r, 0)))
			rc = ats_invalid(x->err, "user_id",
					 "must be an active user");
	}
	if (rc == DB_OK) {
		rc = db_query_row(
		    db, a, &r,
		    "SELECT role FROM job_members WHERE job_id = ? "
		    "AND user_id = ?",
		    "ii", x->job_id, x->user_id);
		if (rc == DB_OK)
			old = r.v[0];
		else if (rc == DB_NOT_FOUND)
			rc = DB_OK;
	}
	if (rc == DB_OK && old && !strcmp(old, x->role))
		return DB_OK; /* already so */
	/* The members are the job's ACL at LinkedIn. */
	if (rc == DB_OK)
		rc = ats_outbox_mark(db, ATS_OUTBOX_JOB, (uint64_t)x->job_id);
	if (rc == DB_OK && x->actor_keeps_access && x->actor_id != x->user_id)
		rc = actor_keep_access(db, a, x);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     old ? "UPDATE job_members SET role = ? WHERE "
				   "job_id = ? AND user_id = ?"
				 : "INSERT INTO job_members (role, job_id, "
				   "user_id) VALUES (?, ?, ?)",
			     "sii", x->role, x->job_id, x->user_id);
	if (rc == DB_OK)
		rc = ats_audit(
		    db, x->actor_id, old ? "job.member_role" : "job.member_add",
		    "job", x->job_id,
		    old ? arena_printf(a, "user %lld %s->%s",
				       (long long)x->user_id, old, x->role)
			: arena_printf(a, "user %lld %s", (long long)x->user_id,
				       x->role),
		    x->remote_addr);
	return rc;
}

int ats_job_member_set(struct db *db, int64_t actor_id, int64_t job_id,
		       int64_t user_id, const char *role,
		       bool actor_keeps_access, const char *remote_addr,
		       struct ats_error *err)
{
	struct member_change x = {.actor_id = actor_id,
				  .job_id = job_id,
				  .user_id = user_id,
				  .role = role,
				  .actor_keeps_access = actor_keeps_access,
				  .remote_addr = remote_addr,
				  .err = err};
	if (!ats_word_label(ats_member_roles, role))
		return ats_invalid(
		    err, "role",
		    "must be recruiter, hiring_manager or interviewer");
	return db_transaction(db, member_set, &x);
}

static int member_remove(struct db *db, struct arena *a, void *arg)
{
	const struct member_change *x = arg;
	uint64_t n = 0;
	char detail[64];
	int rc = ats_job_lock(db, a, x->job_id);
	if (rc == DB_OK)
		rc = ats_outbox_mark(db, ATS_OUTBOX_JOB, (uint64_t)x->job_id);
	if (rc == DB_OK)
		rc = db_exec(db, &n,
			     "DELETE FROM job_members WHERE job_id = ? AND "
			     "user_id = ?",
			     "ii", x->job_id, x->user_id);
	if (rc == DB_OK && n == 0)
		rc = DB_NOT_FOUND;
	snprintf(detail, sizeof(detail), "user %lld", (long long)x->user_id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "job.member_remove", "job",
			       x->job_id, detail, x->remote_addr);
	return rc;
}

int ats_job_member_remove(struct db *db, int64_t actor_id, int64_t job_id,
			  int64_t user_id, const char *remote_addr)
{
	struct member_change x = {.actor_id = actor_id,
				  .job_id = job_id,
				  .user_id = user_id,
				  .remote_addr = remote_addr};
	return db_transaction(db, member_remove, &x);
}
