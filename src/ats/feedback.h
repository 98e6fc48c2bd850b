/*
 * feedback.h - structured interview feedback, feedback asked of named
 * interviewers, and what each role's home lists (issue 18).
 *
 * A job has criteria (a short ordered list, job_criteria) that its
 * interviewers rate 1-5 beside a recommendation (strong no ... strong
 * yes) and a text.  A job without criteria asks for one overall rating.
 * interview_feedback.rating is the overall rating: the mean of the
 * criteria's ratings, rounded (what feedback held before criteria, and
 * what LinkedIn's In ATS panel gets).  A feedback is given at the stage
 * the application is at; its author may edit it while the application is
 * still at that stage and active; at a later stage they may give another.
 *
 * A recruiter or hiring manager asks interviewers of the job for feedback
 * on an application (feedback_requests): an event in its history, an
 * audit row, and an entry on each interviewer's Feedback due page, which
 * also lists the active applications at the Interview stage of the jobs
 * they interview on, as long as they have not given feedback (since the
 * request, or at that stage).  A hiring manager's Needs review lists the
 * active applications of the jobs they are hiring manager of that are
 * past Prospect and before the Interview, Offer or Hired stages, without
 * feedback of theirs since they arrived in their stage.
 *
 * Access is checked here for the acting user (access.h): DB_NOT_FOUND when
 * they may not see the application, ATS_FORBIDDEN (applications.h) when
 * they may see it but not do this, ATS_INVALID / ATS_CONFLICT with err.
 * Results are arena-owned.
 */
#ifndef HIRELINK_FEEDBACK_H
#define HIRELINK_FEEDBACK_H

#include "ats/applications.h"
#include "ats/ats.h"
#include "ats/jobs.h"

#define JOB_CRITERIA_MAX   10  /* criteria a job may have */
#define CRITERION_NAME_MAX 100 /* characters */
#define FEEDBACK_ASK_MAX   20  /* interviewers asked at once */

struct criterion {
	int64_t id;
	const char *name;
	int position; /* 1..n */
};

struct criteria {
	struct criterion *v;
	size_t n;
};

/* The job's criteria in order (none: an empty list). */
int ats_job_criteria(struct db *db, struct arena *a, int64_t job_id,
		     struct criteria *out);
/* Replaces the job's criteria with names[0..n) in that order (each a line
 * of 1-CRITERION_NAME_MAX characters, at most JOB_CRITERIA_MAX, no name
 * twice: ATS_INVALID "criteria" otherwise).  The caller checked that the
 * actor manages the job.  Feedback already given keeps the names it was
 * rated on.  Audited "job.criteria".  DB_NOT_FOUND without such a job. */
int ats_job_criteria_set(struct db *db, struct arena *a, int64_t actor_id,
			 int64_t job_id, const char *const *names, size_t n,
			 const char *remote_addr, struct ats_error *err);
/* The check of ats_job_criteria_set alone: DB_OK, or ATS_INVALID
 * "criteria" with the reason (err's message in a). */
int ats_criteria_check(struct arena *a, const char *const *names, size_t n,
		       struct ats_error *err);
/* The criteria rows of a job and their audit row inside the caller's
 * transaction (a job just created: ats_job_create_with_criteria), names
 * checked by ats_criteria_check; nothing for n 0. */
int ats_job_criteria_write_in(struct db *db, int64_t actor_id, int64_t job_id,
			      const char *const *names, size_t n,
			      const char *remote_addr);

/* What a feedback says: the recommendation (ats_recommendations), one
 * rating 1-5 per criterion of the job in its order (ratings[i] for
 * criteria.v[i]), or with no criteria one overall rating, and the text
 * (1-FEEDBACK_BODY_MAX characters, trimmed). */
struct feedback_input {
	const char *recommendation;
	const int *ratings;
	size_t nratings;
	const char *body;
};

/* The actor's feedback on the application at its current stage, which
 * must be active.  A member of the job gives feedback (an interviewer who
 * may see the application: access.h); ATS_CONFLICT ("application_id") when
 * they gave feedback at this stage already (edit it instead).  ATS_INVALID
 * names the field: "recommendation", "rating" (the overall one) or
 * "criterion_<id>", "body".  Audit "feedback.create". */
int ats_feedback_give(struct db *db, struct arena *a, const struct user *actor,
		      int64_t application_id, const struct feedback_input *in,
		      const char *remote_addr, int64_t *id,
		      struct ats_error *err);
/* Edits the actor's own feedback (DB_NOT_FOUND for anyone else's): only
 * while its application is active and at the stage it was given at
 * (ATS_CONFLICT "application_id" after it moved on).  The ratings are the
 * job's criteria now.  Audit "feedback.update". */
int ats_feedback_edit(struct db *db, struct arena *a, const struct user *actor,
		      int64_t feedback_id, const struct feedback_input *in,
		      const char *remote_addr, struct ats_error *err);
/* The application a feedback is on, for its author (DB_NOT_FOUND for
 * anyone else). */
int ats_feedback_application(struct db *db, struct arena *a,
			     const struct user *author, int64_t feedback_id,
			     int64_t *application_id);
/* The viewer's feedback at the application's current stage, ratings
 * filled: *found false when there is none. */
int ats_feedback_mine(struct db *db, struct arena *a, const struct user *viewer,
		      int64_t application_id, struct feedback *out,
		      bool *found);
/* Fills the ratings (and editable) of feedback v[0..n). */
int ats_feedback_details(struct db *db, struct arena *a, struct feedback *v,
			 size_t n);

/* One person asked for feedback on an application. */
struct feedback_request {
	int64_t interviewer_id;
	const char *name;
	const char *requested_by; /* "" when unknown */
	const char *requested_at; /* "YYYY-MM-DD HH:MM" */
	bool given;		  /* they gave feedback since */
};

/* Asks interviewers ids[0..n) (members of the job as interviewers, active
 * users; ATS_INVALID "interviewer_id" otherwise, or for none, or more than
 * FEEDBACK_ASK_MAX) for feedback on an active application; the actor
 * needs ACCESS_CONTRIBUTE on its job (recruiters, hiring managers,
 * admins).  One event "feedback_requested" naming them, one audit row
 * "feedback.request"; asking someone again moves their request's date.
 * *names (may be NULL): "Ivy Lee and Sam Roe", arena-owned. */
int ats_feedback_request(struct db *db, struct arena *a,
			 const struct user *actor, int64_t application_id,
			 const int64_t *ids, size_t n, const char *remote_addr,
			 const char **names, struct ats_error *err);
/* Who was asked for feedback on the application, newest request first. */
int ats_feedback_requests(struct db *db, struct arena *a,
			  int64_t application_id, struct feedback_request **out,
			  size_t *n);

/* An application on a role's home page. */
struct home_entry {
	int64_t application_id, candidate_id, job_id;
	const char *candidate_name;
	const char *job_title;
	const char *job_public_id;
	const char *stage_name;
	const char *since;	  /* asked at, or at the stage since */
	bool requested;		  /* Feedback due: asked for it */
	const char *requested_by; /* "" when not asked */
};

/* The interviewer's Feedback due, oldest first, at most limit, and *total
 * (all of them). */
int ats_feedback_due(struct db *db, struct arena *a, const struct user *u,
		     int64_t limit, struct home_entry **out, size_t *n,
		     int64_t *total);
/* The hiring manager's Needs review, oldest first, at most limit, and
 * *total. */
int ats_needs_review(struct db *db, struct arena *a, const struct user *u,
		     int64_t limit, struct home_entry **out, size_t *n,
		     int64_t *total);

/* A stage tab of the job page for an interviewer: the stage's
 * applications they may see (access.h), active first, page by page,
 * out->total counting them. */
int ats_stage_applications_seen(struct db *db, struct arena *a,
				const struct user *u, int64_t job_id,
				int64_t stage_id, int64_t offset, int64_t limit,
				struct stage_entry_list *out);

#endif
