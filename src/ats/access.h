/*
 * access.h - who may do what: the permission table of hirelink in one place.
 *
 *   admin           everything
 *   recruiter       all candidates and pools; jobs they are a member of, or
 *                   that have no members yet ("unassigned"): full control
 *   hiring_manager  jobs they are a member of: read, move stages, write notes
 *                   and feedback; the candidates of those jobs
 *   interviewer     jobs they are an interviewer on: the applications there
 *                   at or after the job's Interview stage, or where their
 *                   feedback was asked for (or given), read, without the
 *                   candidate's phone; their own feedback; those candidates
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
/* What ats_job_access reads, as two columns over job j (one '?': the user
 * id), for queries that decide the access to several jobs at once; turned
 * into the access by ats_job_access_of(u, column 1, column 2). */
#define ATS_JOB_ACCESS_COLUMNS(j)                                              \
	"(SELECT role FROM job_members WHERE job_id = " j ".id AND user_id = " \
	"?), " j ".member_count"
enum access ats_job_access_of(const struct user *u, const char *member_role,
			      int64_t member_count);
/* The user's access to a candidate: admins and recruiters manage every
 * candidate; others reach a candidate through a job they may see
 * (CONTRIBUTE for hiring managers, READ for interviewers). */
int ats_candidate_access(struct db *db, struct arena *a, const struct user *u,
			 int64_t candidate_id, enum access *out);

/*
 * The interviewer's narrowing (issue 18): an interviewer on a job sees an
 * application of it only when it is at or after the job's first stage of
 * kind interview, offer or hired (a job with none of them: never), or
 * when their feedback was asked for (feedback_requests) or given.  As one
 * SQL condition over application ap for the user whose id is the SQL
 * expression who ("jm.user_id" where the query joins the user's
 * membership, so it binds nothing; "?" to bind the id).  Every query that
 * lists applications or candidates for an interviewer applies it, and
 * ats_app_seen() applies it to one application.
 */
#define ATS_APP_INTERVIEWER_SQL(ap, who)                                       \
	"((SELECT st.position FROM job_stages st WHERE st.id = " ap            \
	".stage_id) >= (SELECT COALESCE(MIN(s2.position), 2147483647) FROM "   \
	"job_stages s2 WHERE s2.job_id = " ap ".job_id AND s2.kind IN "         \
	"('interview', 'offer', 'hired')) OR EXISTS (SELECT 1 FROM "            \
	"feedback_requests fr WHERE fr.application_id = " ap ".id AND "        \
	"fr.interviewer_id = " who ") OR EXISTS (SELECT 1 FROM "                \
	"interview_feedback fo WHERE fo.application_id = " ap ".id AND "       \
	"fo.interviewer_id = " who "))"

/* Whether the viewer, who may see application_id's job (ats_job_access),
 * may see the application itself: always but for an interviewer, who is
 * narrowed as above.  DB_OK with *seen, or a db error. */
int ats_app_seen(struct db *db, struct arena *a, const struct user *u,
		 int64_t application_id, bool *seen);

/*
 * ats_candidate_access as one SQL expression over candidate c, for queries
 * that read the candidate and the viewer's access at once (the candidate
 * page): 1 or more when the user reaches the candidate, 0 when not; three
 * '?' bound by ATS_CANDIDATE_REACH_TYPES / _ARGS.  ats_candidate_access_of
 * turns its value into the access.  An interviewer reaches a candidate
 * through an application they may see (ATS_APP_INTERVIEWER_SQL).
 */
#define ATS_CANDIDATE_REACH_SQL(c)                                             \
	"(CASE WHEN ? IN ('admin', 'recruiter') THEN 1 ELSE (SELECT COUNT(*) " \
	"FROM applications ap JOIN job_members jm ON jm.job_id = ap.job_id "   \
	"WHERE ap.candidate_id = " c ".id AND jm.user_id = ? AND (? <> "       \
	"'interviewer' OR (jm.role = 'interviewer' AND "                       \
	ATS_APP_INTERVIEWER_SQL("ap", "jm.user_id") "))) END)"
#define ATS_CANDIDATE_REACH_TYPES "sis"
#define ATS_CANDIDATE_REACH_ARGS(u)                                            \
	role_name((u)->role), (int64_t)(u)->id, role_name((u)->role)
/* The ids of the candidates a hiring manager or an interviewer reaches
 * (the same rule), as a subquery for "c.id IN ..."; two '?': the user's
 * id (BIGINT) and role name (string), "is". */
#define ATS_MEMBER_CANDIDATES_SQL                                              \
	"(SELECT ap.candidate_id FROM applications ap JOIN job_members jm ON " \
	"jm.job_id = ap.job_id WHERE jm.user_id = ? AND (? <> 'interviewer' "  \
	"OR (jm.role = 'interviewer' AND "                                     \
	ATS_APP_INTERVIEWER_SQL("ap", "jm.user_id") ")))"
enum access ats_candidate_access_of(const struct user *u, int64_t reach);
/* What the viewer may not read of a candidate they reach, blanked in k
 * (struct candidate, candidates.h): an interviewer never reads the phone
 * number.  Every function of the domain that reads candidates for a
 * viewer calls it. */
struct candidate;
void ats_candidate_redact(const struct user *u, struct candidate *k);

/*
 * The SQL condition "job j is visible to the user" for list queries
 * ("unassigned" is jobs.member_count = 0, which triggers keep equal to the
 * number of job_members rows: sql/060_perf_jobs.sql): exactly the jobs
 * ats_job_access_of gives more than ACCESS_NONE (an interviewer sees the
 * jobs they are an interviewer on, not those they hold another member
 * role on), with four '?' placeholders bound by ATS_JOB_VISIBLE_TYPES /
 * _ARGS:
 *   db_query(db, a, &res, "SELECT ... FROM jobs j WHERE "
 *            ATS_JOB_VISIBLE_SQL("j") " AND j.status = ?",
 *            ATS_JOB_VISIBLE_TYPES "s", ATS_JOB_VISIBLE_ARGS(u), status);
 */
#define ATS_JOB_VISIBLE_SQL(j)                                                 \
	"(? = 'admin' OR EXISTS (SELECT 1 FROM job_members jm WHERE "          \
	"jm.job_id = " j ".id AND jm.user_id = ? AND (? <> 'interviewer' OR "  \
	"jm.role = 'interviewer')) OR (? = 'recruiter' AND " j                 \
	".member_count = 0))"
#define ATS_JOB_VISIBLE_TYPES "siss"
#define ATS_JOB_VISIBLE_ARGS(u)                                                \
	role_name((u)->role), (int64_t)(u)->id, role_name((u)->role),          \
	    role_name((u)->role)

#endif
