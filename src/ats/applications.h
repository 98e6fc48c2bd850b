/*
 * applications.h - a candidate on a job (F2) and interview feedback (F4).
 *
 * An application is a candidate at one stage of one job's pipeline, with a
 * status: active, or ended by a rejection, a withdrawal or a hire.  Only
 * active applications move.  Every change bumps applications.version and
 * writes an application_events row and an audit_log row in ONE transaction;
 * a move made from a stale page (the version the user saw is no longer
 * current) is refused with ATS_CONFLICT and changes nothing.
 *
 * Unlike jobs.h, the functions here check access themselves (access.h), for
 * the acting user:
 *   create, reject, hire, withdraw   ACCESS_MANAGE on the job
 *   move                             ACCESS_CONTRIBUTE (hiring manager on it)
 *   feedback                         a member of the job (interviewer,
 *                                    hiring manager, recruiter)
 * They return DB_NOT_FOUND when the user may not even see the job or the
 * application (the web layer answers 404, so existence does not leak),
 * ATS_FORBIDDEN when they may see it but not do this, ATS_INVALID for bad
 * input and ATS_CONFLICT for a duplicate, a stale version or an ended
 * application; err (may be NULL) then names the field and says why, in text
 * fit for the user (arena-owned).
 *
 * Results are arena-owned (valid until the arena is freed).
 */
#ifndef HIRELINK_APPLICATIONS_H
#define HIRELINK_APPLICATIONS_H

#include "ats/access.h"
#include "ats/ats.h"

struct stage; /* ats/jobs.h */

enum {
	ATS_FORBIDDEN = -120, /* visible, but not allowed (403) */
	ATS_CONFLICT = -121,  /* duplicate, stale version, ended (409) */
};

#define APP_NOTE_MAX	  2000	/* characters of a rejection note */
#define FEEDBACK_BODY_MAX 20000 /* characters of feedback text */

/* One entry of an application's history.  from_stage / to_stage / user_name
 * are "" when unknown (stage deleted, user gone, not a move). */
struct app_event {
	int64_t id;
	const char *kind; /* created moved rejected hired withdrawn reopened */
	const char *from_stage;
	const char *to_stage;
	const char *user_name;
	const char *detail; /* "" or e.g. "not_qualified: note" */
	const char *at;	    /* "YYYY-MM-DD HH:MM" (UTC) */
};

struct application {
	int64_t id, job_id, candidate_id, stage_id;
	const char *job_title;
	const char *job_public_id; /* "J-00042" */
	const char *stage_name;
	const char *status;	      /* active rejected withdrawn hired */
	const char *rejection_reason; /* NULL unless rejected */
	const char *created_at;	      /* "YYYY-MM-DD HH:MM" */
	const char *updated_at;
	int64_t version;	  /* send back with a move */
	struct app_event *events; /* oldest first */
	size_t nevents;
	/* beyond the basics, for the action forms */
	const char *rejection_note; /* "" unless rejected with a note */
	const char *candidate_name; /* "First Last" */
	enum access access;	    /* the viewer's access to the job */
	bool can_give_feedback;	    /* viewer is a member of the job and has
				     * not submitted feedback on it yet */
	/* The job's pipeline for the move form, when the list it came from
	 * read it (ats_candidate_applications, active ones); else NULL. */
	struct stage *stages;
	size_t nstages;
};

/* The rejection reasons: not_qualified "Not qualified", position_filled,
 * candidate_declined, no_response, other (struct ats_word: ats.h). */
extern const struct ats_word ats_rejection_reasons[];
/* An interviewer's recommendation: strong_no, no, yes, strong_yes. */
extern const struct ats_word ats_recommendations[];

/* One application (no events).  DB_NOT_FOUND when it does not exist or the
 * viewer may not see its job; access filled. */
int ats_application_get(struct db *db, struct arena *a,
			const struct user *viewer, int64_t id,
			struct application *out);

/* The candidate's application on the job, as ats_application_get.
 * DB_NOT_FOUND when there is none or the viewer may not see the job. */
int ats_application_of(struct db *db, struct arena *a,
		       const struct user *viewer, int64_t job_id,
		       int64_t candidate_id, struct application *out);

/* Adds the candidate to the job at stage_id, or at the job's first stage
 * when stage_id is 0.  ATS_INVALID ("stage_id") when the stage is not one
 * of this job's or the job has no stages, ("candidate_id") when there is no
 * such candidate; ATS_CONFLICT ("job_id") when the candidate is already on
 * the job (*id then names the existing application).  Event "created",
 * audit "application.create". */
int ats_application_create(struct db *db, struct arena *a,
			   const struct user *actor, int64_t candidate_id,
			   int64_t job_id, int64_t stage_id,
			   const char *remote_addr, int64_t *id,
			   struct ats_error *err);

/* The same without the access check, for callers that decided already
 * (LinkedIn export: a recruiter or hiring manager; demo data); actor_id 0 =
 * the system.  DB_NOT_FOUND ("job_id") when the job does not exist. */
int ats_application_add(struct db *db, struct arena *a, int64_t actor_id,
			int64_t candidate_id, int64_t job_id, int64_t stage_id,
			const char *remote_addr, int64_t *id,
			struct ats_error *err);

/* Adds the candidate to the job at stage_id (one of the job's, checked by
 * the caller) inside the caller's transaction, for a writer whose
 * application must commit with its other rows (a LinkedIn export).  The
 * caller has locked the job row, shared at least, and then the stage row
 * for update (a LinkedIn export locks both in one statement): the first
 * locks of the one lock order (applications.c).  source (<= 100 characters, "" none) is kept on the
 * application and is the "created" event's detail.
 * The candidate is marked in the outbox (In ATS) unless !mark: for a
 * caller that adds to a Prospect stage and marks the candidate itself
 * after the commit when LinkedIn sees them (a LinkedIn export).
 * ATS_CONFLICT with *id the existing application when the candidate is on
 * the job already (nothing written).  Audit "application.create". */
int ats_application_add_in(struct db *db, struct arena *a, int64_t actor_id,
			   int64_t candidate_id, int64_t job_id,
			   int64_t stage_id, const char *source,
			   const char *remote_addr, bool mark, int64_t *id);

/* Moves an active application to stage_id of the same job, if its version
 * is still `version`.  ATS_CONFLICT ("version") when someone changed it
 * meanwhile (the message names the stage it is at now) or ("status") when
 * it has ended; ATS_INVALID ("stage_id") for a stage of another job or the
 * stage it is already at.  Event "moved", audit "application.move". */
int ats_application_move(struct db *db, struct arena *a,
			 const struct user *actor, int64_t id, int64_t stage_id,
			 int64_t version, const char *remote_addr,
			 struct ats_error *err);

/* Ends an active application as rejected with a reason from
 * ats_rejection_reasons and a note (<= APP_NOTE_MAX characters, may be "").
 * version 0 = do not check.  Event "rejected", audit "application.reject". */
int ats_application_reject(struct db *db, struct arena *a,
			   const struct user *actor, int64_t id,
			   const char *reason, const char *note,
			   int64_t version, const char *remote_addr,
			   struct ats_error *err);
/* Ends an active application as hired, at the job's hired-kind stage when
 * it has one.  Event "hired", audit "application.hire". */
int ats_application_hire(struct db *db, struct arena *a,
			 const struct user *actor, int64_t id, int64_t version,
			 const char *remote_addr, struct ats_error *err);
/* Ends an active application as withdrawn.  Event "withdrawn", audit
 * "application.withdraw". */
int ats_application_withdraw(struct db *db, struct arena *a,
			     const struct user *actor, int64_t id,
			     int64_t version, const char *remote_addr,
			     struct ats_error *err);

/* Moving to a stage of kind "hired" (ats_application_move) is a hire
 * there: the application ends as hired (event "hired", audit
 * "application.hire"), and only a manager of the job may (ATS_FORBIDDEN,
 * "stage_id", for a hiring manager).
 *
 * Reopens a rejected or withdrawn application: active again at its stage,
 * the rejection reason and note cleared.  ACCESS_MANAGE.  ATS_CONFLICT
 * ("status") when it is active or hired.  version 0 = do not check.  Event
 * "reopened", audit "application.reopen". */
int ats_application_reopen(struct db *db, struct arena *a,
			   const struct user *actor, int64_t id,
			   int64_t version, const char *remote_addr,
			   struct ats_error *err);
/* Undoes the change recorded as event event_id, which must be the
 * application's latest event and the actor's own: a move goes back to the
 * stage it came from (event "moved"), a rejection or withdrawal reopens,
 * a hire reopens at the stage it was hired from (event "reopened").  Audit
 * "application.undo", detail "undo of <kind>".  ATS_CONFLICT ("event_id")
 * when anything happened since, ATS_FORBIDDEN when another user made it
 * (or the actor may not make the reverse change), ATS_INVALID for an event
 * that is not undone ("created", "reopened"). */
int ats_application_undo(struct db *db, struct arena *a,
			 const struct user *actor, int64_t id,
			 int64_t event_id, const char *remote_addr,
			 struct ats_error *err);
/* The application's latest event: its id, who made it (0: the system) and
 * its kind (arena-owned); for the Undo a page offers after a change. */
int ats_application_last_event(struct db *db, struct arena *a, int64_t id,
			       int64_t *event_id, int64_t *user_id,
			       const char **kind);

/* Every application of the candidate on a job the viewer may see, newest
 * first, each with its full history (oldest event first).  An empty list
 * when there are none. */
int ats_candidate_applications(struct db *db, struct arena *a,
			       const struct user *viewer, int64_t candidate_id,
			       struct application **out, size_t *n);

/* ------------------------------------------------------------ feedback */

/* One rating of a feedback: the criterion's name as rated (feedback.h). */
struct feedback_rating {
	const char *criterion;
	int rating; /* 1..5 */
};

struct feedback {
	int64_t id, application_id;
	const char *job_title;
	const char *interviewer_name;
	const char *recommendation; /* one of ats_recommendations */
	const char *body;
	const char *created_at; /* "YYYY-MM-DD HH:MM" */
	int rating;		/* 1..5 */
	/* beyond the basics */
	int64_t job_id, interviewer_id;
	bool mine; /* written by the viewer */
	/* structured (feedback.h): filled by ats_feedback_details */
	int64_t stage_id;		 /* 0 when given before stages were kept */
	struct feedback_rating *ratings; /* per criterion; none: overall only */
	size_t nratings;
	bool editable; /* mine, its application active and still at stage_id */
};

/* Giving and editing feedback: feedback.h. */

/* The feedback on the candidate's applications that the viewer may read,
 * newest first: admins and the job's recruiters and hiring managers read
 * all of it; an interviewer on the job reads only their own until they have
 * submitted feedback for that application, then everyone's. */
int ats_candidate_feedback(struct db *db, struct arena *a,
			   const struct user *viewer, int64_t candidate_id,
			   struct feedback **out, size_t *n);
/* The same for one application (DB_NOT_FOUND when not visible). */
int ats_application_feedback(struct db *db, struct arena *a,
			     const struct user *viewer, int64_t application_id,
			     struct feedback **out, size_t *n);

#endif
