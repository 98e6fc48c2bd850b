/*
 * access.h - who may do what: the permission table of hirelink in one place.
 *
 *   admin           everything
 *   recruiter       all candidates and pools; jobs they are a member of, or
 *                   that have no members yet ("unassigned"): full control
 *   hiring_manager  jobs they are a member of: read, move stages, write notes
 *                   and feedback; the candidates of those jobs
 *   interviewer     jobs they are an interviewer on: the applications there
 *                   (read) and their own feedback; those candidates
 *
 * The router admits a route by global role (web/routes.c); these functions
 * decide per object, and the list queries of the domain apply the same rules
 * in SQL (ats_job_visible_sql).  Handlers answer 404, not 403, for an object
 * the user may not even see, so its existence does not leak.
 */
#ifndef HIRELINK_ACCESS_H
#define HIRELINK_ACCESS_H

#include "ats/ats.h"

enum access {
	ACCESS_NONE = 0,     /* may not know it exists */
	ACCESS_READ = 1,     /* see it */
	ACCESS_CONTRIBUTE = 2, /* notes, feedback, stage moves (hiring manager) */
	ACCESS_MANAGE = 3,   /* everything (recruiter on the job, admin) */
};

/* The user's access to a job.  DB_OK with *out set, DB_NOT_FOUND when the
 * job does not exist, or a db error. */
int ats_job_access(struct db *db, struct arena *a, const struct user *u,
		   int64_t job_id, enum access *out);
/* The user's access to a candidate: admins and recruiters manage every
 * candidate; others reach a candidate through a job they may see
 * (CONTRIBUTE for hiring managers, READ for interviewers). */
int ats_candidate_access(struct db *db, struct arena *a, const struct user *u,
			 int64_t candidate_id, enum access *out);

/*
 * The SQL condition "job j is visible to the user" for list queries, with
 * three '?' placeholders bound by ATS_JOB_VISIBLE_TYPES / _ARGS:
 *   db_query(db, a, &res, "SELECT ... FROM jobs j WHERE "
 *            ATS_JOB_VISIBLE_SQL("j") " AND j.status = ?",
 *            ATS_JOB_VISIBLE_TYPES "s", ATS_JOB_VISIBLE_ARGS(u), status);
 */
#define ATS_JOB_VISIBLE_SQL(j)                                                 \
	"(? = 'admin' OR EXISTS (SELECT 1 FROM job_members jm WHERE "          \
	"jm.job_id = " j ".id AND jm.user_id = ?) OR (? = 'recruiter' AND NOT " \
	"EXISTS (SELECT 1 FROM job_members jm2 WHERE jm2.job_id = " j ".id)))"
#define ATS_JOB_VISIBLE_TYPES "sis"
#define ATS_JOB_VISIBLE_ARGS(u)                                                \
	role_name((u)->role), (int64_t)(u)->id, role_name((u)->role)

#endif
