/*
 * access.c - per-object permission checks; the table is in access.h.
 */
#include <string.h>

#include "ats/access.h"

int ats_job_access(struct db *db, struct arena *a, const struct user *u,
		   int64_t job_id, enum access *out)
{
	struct db_row r;
	int rc = db_query_row(
		db, a, &r,
		"SELECT (SELECT role FROM job_members WHERE job_id = j.id AND "
		"user_id = ?), (SELECT COUNT(*) FROM job_members WHERE job_id = "
		"j.id) FROM jobs j WHERE j.id = ?",
		"ii", (int64_t)u->id, job_id);
	if (rc != DB_OK)
		return rc;
	const char *member_role = r.v[0];
	bool unassigned = db_int(&r, 1) == 0;

	*out = ACCESS_NONE;
	switch (u->role) {
	case ROLE_ADMIN:
		*out = ACCESS_MANAGE;
		break;
	case ROLE_RECRUITER:
		if (member_role || unassigned)
			*out = ACCESS_MANAGE;
		break;
	case ROLE_HIRING_MANAGER:
		if (member_role)
			*out = ACCESS_CONTRIBUTE;
		break;
	case ROLE_INTERVIEWER:
		if (member_role && !strcmp(member_role, "interviewer"))
			*out = ACCESS_READ;
		break;
	default:
		break;
	}
	return DB_OK;
}

int ats_candidate_access(struct db *db, struct arena *a, const struct user *u,
			 int64_t candidate_id, enum access *out)
{
	struct db_row r;
	int rc;

	*out = ACCESS_NONE;
	if (u->role == ROLE_ADMIN || u->role == ROLE_RECRUITER) {
		rc = db_query_row(db, a, &r,
				  "SELECT 1 FROM candidates WHERE id = ?", "i",
				  candidate_id);
		if (rc == DB_OK)
			*out = ACCESS_MANAGE;
		return rc;
	}
	rc = db_query_row(db, a, &r,
			  "SELECT (SELECT COUNT(*) FROM applications ap JOIN "
			  "job_members jm ON jm.job_id = ap.job_id WHERE "
			  "ap.candidate_id = c.id AND jm.user_id = ? AND "
			  "(? <> 'interviewer' OR jm.role = 'interviewer')) "
			  "FROM candidates c WHERE c.id = ?",
			  "isi", (int64_t)u->id, role_name(u->role), candidate_id);
	if (rc != DB_OK)
		return rc;
	if (db_int(&r, 0) > 0)
		*out = u->role == ROLE_HIRING_MANAGER ? ACCESS_CONTRIBUTE
						      : ACCESS_READ;
	return DB_OK;
}
