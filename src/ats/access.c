/*
 * access.c - per-object permission checks; the table is in access.h.
 */
#include <string.h>

#include "ats/access.h"
#include "ats/candidates.h"

enum access ats_job_access_of(const struct user *u, const char *member_role,
			      int64_t member_count)
{
	bool unassigned = member_count == 0;
	switch (u->role) {
	case ROLE_ADMIN:
		return ACCESS_MANAGE;
	case ROLE_RECRUITER:
		return member_role || unassigned ? ACCESS_MANAGE : ACCESS_NONE;
	case ROLE_HIRING_MANAGER:
		return member_role ? ACCESS_CONTRIBUTE : ACCESS_NONE;
	case ROLE_INTERVIEWER:
		return member_role && !strcmp(member_role, "interviewer")
			   ? ACCESS_READ
			   : ACCESS_NONE;
	default:
		return ACCESS_NONE;
	}
}

int ats_job_access(struct db *db, struct arena *a, const struct user *u,
		   int64_t job_id, enum access *out)
{
	struct db_row r;
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT " ATS_JOB_ACCESS_COLUMNS("j") " FROM jobs j WHERE j.id = ?",
	    "ii", (int64_t)u->id, job_id);
	if (rc != DB_OK)
		return rc;
	*out = ats_job_access_of(u, r.v[0], db_int(&r, 1));
	return DB_OK;
}

enum access ats_candidate_access_of(const struct user *u, int64_t reach)
{
	if (reach <= 0)
		return ACCESS_NONE;
	if (u->role == ROLE_ADMIN || u->role == ROLE_RECRUITER)
		return ACCESS_MANAGE;
	return u->role == ROLE_HIRING_MANAGER ? ACCESS_CONTRIBUTE : ACCESS_READ;
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
			  "SELECT " ATS_CANDIDATE_REACH_SQL(
			      "c") " FROM candidates c WHERE c.id = ?",
			  ATS_CANDIDATE_REACH_TYPES "i",
			  ATS_CANDIDATE_REACH_ARGS(u), candidate_id);
	if (rc != DB_OK)
		return rc;
	*out = ats_candidate_access_of(u, db_int(&r, 0));
	return DB_OK;
}

int ats_app_seen(struct db *db, struct arena *a, const struct user *u,
		 int64_t application_id, bool *seen)
{
	struct db_row r;
	*seen = true;
	if (u->role != ROLE_INTERVIEWER)
		return DB_OK;
	int rc = db_query_row(db, a, &r,
			      "SELECT " ATS_APP_INTERVIEWER_SQL(
				  "ap", "?") " FROM applications ap WHERE ap.id "
					     "= ?",
			      "iii", (int64_t)u->id, (int64_t)u->id,
			      application_id);
	if (rc == DB_OK)
		*seen = db_int(&r, 0) != 0;
	return rc;
}

void ats_candidate_redact(const struct user *u, struct candidate *k)
{
	if (u->role == ROLE_INTERVIEWER)
		k->phone = "";
}
