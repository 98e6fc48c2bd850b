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

const struct ats_word ats_member_roles[] = {
    {"recruiter", "Recruiter"},
    {"hiring_manager", "Hiring manager"},
    {"interviewer", "Interviewer"},
    {NULL, NULL},
};

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
	if (!ats_word_label(ats_member_roles, role))
		return ats_invalid(
		    err, "role",
		    "must be recruiter, hiring_manager or interviewer");
	a = arena_new(1024);
	if (!a)
		return DB_ERROR;
	int rc = db_begin(db);
	if (rc != DB_OK)
		goto out;
	rc = ats_job_lock(db, job_id);
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
	rc = ats_job_lock(db, job_id);
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
