/*
 * jobs.h - jobs, their members and pipelines (F1): one section each
 * below, implemented in jobs.c, job_members.c and stages.c.
 *
 * Access is not checked here: callers decide with access.h
 * (ats_job_access) and list queries apply ATS_JOB_VISIBLE_SQL themselves.
 * Every write is one transaction (db_transaction: run again when it meets
 * a deadlock) and is audited (ats_audit) with the acting user.
 */
#ifndef HIRELINK_JOBS_H
#define HIRELINK_JOBS_H

#include "ats/access.h"
#include "ats/ats.h"

/* Returned by ats_stage_delete when applications still reference the
 * stage (the web layer answers 409). */
enum { ATS_STAGE_IN_USE = -110 };

#define JOB_TITLE_MAX	    200	   /* characters */
#define JOB_LOCATION_MAX    200	   /* characters */
#define JOB_DESCRIPTION_MAX 100000 /* characters */
#define STAGE_NAME_MAX	    100	   /* characters */

struct job {
	int64_t id;
	const char *public_id; /* "J-00042" */
	const char *title;
	const char *location;
	const char *status;	 /* one of ats_job_statuses */
	const char *updated_at;	 /* "YYYY-MM-DD" */
	const char *description; /* ats_job_get only; NULL in lists */
	const char *created_at;	 /* ats_job_get only: "YYYY-MM-DD HH:MM" */
	int64_t created_by;	 /* ats_job_get only; 0 = unknown */
	const char *availability; /* ats_job_get only: ats_job_availabilities */
	const char *listed_at;	  /* ats_job_get only: first activated,
				     "YYYY-MM-DD HH:MM"; NULL never */
	int64_t version;	  /* ats_job_get only: bumped by each
				     ats_job_update (the edit form's) */
};

struct job_list {
	struct job *v;
	size_t n;
	int64_t total; /* all matches, for pagination */
};

/* One stage of a job's pipeline. */
struct stage {
	int64_t id;
	const char *name;
	const char *kind;     /* one of ats_stage_kinds */
	int position;	      /* 1..n, dense */
	int64_t active_count; /* applications with status 'active' here */
	/* hired here (status 'hired'): a stage's count, the tab badge and
	 * the heading, is active_count + hired_count (sql/170) */
	int64_t hired_count;
	int64_t total_count;  /* all applications here (any status);
				 ats_job_stages only, -1 elsewhere */
};

struct stage_list {
	struct stage *v; /* ordered by position */
	size_t n;
};

struct job_member {
	int64_t user_id;
	const char *name;
	const char *email;
	const char *role; /* one of ats_member_roles */
};

struct job_member_list {
	struct job_member *v;
	size_t n;
};

/* An application as listed on a stage tab of the job page. */
struct stage_entry {
	int64_t application_id;
	int64_t candidate_id;
	const char *name;   /* "First Last" */
	const char *email;  /* "" when unknown */
	const char *since;  /* at this stage since, "YYYY-MM-DD HH:MM" */
	const char *status; /* active, rejected, withdrawn, hired */
	const char *source; /* "LinkedIn Recruiter export", ...; "" none */
	int64_t version;    /* the application's, for its row's actions */
};

struct stage_entry_list {
	struct stage_entry *v;
	size_t n;
	int64_t total;
};

/* ------------------------------------------------------------ jobs */

/* draft, active, closed (struct ats_word: ats.h) */
extern const struct ats_word ats_job_statuses[];
bool ats_job_status_valid(const char *s); /* one of ats_job_statuses */
/* Who LinkedIn shows the job to (the admin's choice, F14): private (only
 * the integration: Recruiter's job box), public. */
extern const struct ats_word ats_job_availabilities[];
bool ats_job_availability_valid(const char *s);
/* Whether candidates may be added to the job: not to a closed one. */
bool ats_job_takes_applications(const struct job *j);

/* "J-00042" from 42 into the arena */
const char *ats_job_public_id(struct arena *a, int64_t id);
/* "J-00042", "j-42", "J42", "42" -> 42; 0 when q is not a job ID */
int64_t ats_job_id_parse(const char *q);

/* The jobs visible to u (access.h), newest first.  status NULL or "" = all;
 * q matches a substring of the title or a job ID. */
int ats_jobs_list(struct db *db, struct arena *a, const struct user *u,
		  const char *status, const char *q, int64_t offset,
		  int64_t limit, struct job_list *out);
/* The jobs' revision: a number that changes with every committed change to
 * jobs or their members (sql/090_revisions.sql), or to what the list shows
 * of their stages (names, order, active counts: sql/191).  Read it before
 * the list it vouches for. */
int ats_jobs_revision(struct db *db, struct arena *a, uint64_t *out);
/* The choices' revision: a number that changes with every committed
 * change to jobs, their members or pools (sql/090, sql/350), though not
 * with their stages.  What a form offers to choose from (src/web/offers.c)
 * is kept under it; read it before the choices it vouches for. */
int ats_choices_revision(struct db *db, struct arena *a, uint64_t *out);
/* The stage revisions (sql/191) for a transaction that writes many
 * applications (sql/340): with ats_stage_revisions_defer(db, true) before
 * it, the triggers leave the bump to it, and ats_stage_revisions_bump (any
 * number: it picks the row, to spread writers) is its last statement
 * before the commit; ats_stage_revisions_defer(db, false) after it,
 * whatever became of it. */
int ats_stage_revisions_defer(struct db *db, bool on);
int ats_stage_revisions_bump(struct db *db, int64_t any);
/* What the jobs list shows of each job beside its own columns (issue 18):
 * its stages with their counts, its recruiters, days open.  A stage's
 * count is the job page's (its tab badge and heading): the active
 * applications there and those hired there; for an interviewer, those of
 * them the interviewer may see (ats_stages_seen). */
struct job_stage_count {
	const char *name;
	int64_t count;
};
struct job_overview {
	int64_t job_id;
	struct job_stage_count *stages; /* in pipeline order */
	size_t nstages;
	const char *recruiters; /* "Ann Lee, Bo Roe"; "" none */
	int64_t days_open;	/* since first activated; -1 never */
};
/* The overview of jobs[0..n) (at most ATS_OVERVIEW_MAX: one page of the
 * list), out[i] for jobs[i]; three statements whatever n. */
#define ATS_OVERVIEW_MAX 50
int ats_jobs_overview(struct db *db, struct arena *a, const struct user *viewer,
		      const struct job *jobs, size_t n,
		      struct job_overview *out);
/* DB_NOT_FOUND when there is no such job. */
int ats_job_get(struct db *db, struct arena *a, int64_t id, struct job *out);
/* ats_job_get and the user's access to the job in one statement. */
int ats_job_get_as(struct db *db, struct arena *a, const struct user *u,
		   int64_t id, struct job *out, enum access *acc);

/* Validates (title 1-200 chars, location <= 200, description <= 100,000,
 * UTF-8; trim before calling; availability NULL = private) and inserts the
 * job with the default pipeline Prospect, Screen, Interview, Offer, Hired
 * in one transaction (an active one listed now); audited as "job.create"
 * by user_id (0 = system).  A recruiter who creates a job is made its
 * recruiter member in the same transaction (so that nobody assigning the
 * job later locks its creator out); an admin's stays unassigned.
 * ATS_INVALID with err set. */
int ats_job_create(struct db *db, int64_t user_id, const char *title,
		   const char *location, const char *description,
		   const char *status, const char *availability, int64_t *id,
		   struct ats_error *err);
/* ats_job_create with the job's interview criteria (feedback.h):
 * names[0..n) checked as ats_job_criteria_set checks them (ATS_INVALID
 * "criteria", and no job) and written in the job's own transaction, so a
 * job never exists without the criteria its form gave.  a holds err's
 * messages; remote_addr for the criteria's audit row. */
int ats_job_create_with_criteria(struct db *db, struct arena *a,
				 int64_t user_id, const char *title,
				 const char *location, const char *description,
				 const char *status, const char *availability,
				 const char *const *criteria, size_t ncriteria,
				 const char *remote_addr, int64_t *id,
				 struct ats_error *err);
/* Same validation (availability NULL keeps it); audited "job.update".
 * version: the job's version the edit form was read at (struct job), or 0
 * for whatever it is now; a job changed since (another version) is left
 * as it is and ATS_CONFLICT (applications.h, field "version") answered.
 * Bumps the version.  DB_NOT_FOUND, ATS_INVALID, ATS_CONFLICT. */
int ats_job_update(struct db *db, int64_t user_id, int64_t id,
		   const char *title, const char *location,
		   const char *description, const char *availability,
		   int64_t version, const char *remote_addr,
		   struct ats_error *err);
/* status draft/active/closed; the first activation sets listed_at; audited
 * "job.activate" / "job.close" / "job.draft" with "old->new" as detail. */
int ats_job_set_status(struct db *db, int64_t user_id, int64_t id,
		       const char *status, const char *remote_addr,
		       struct ats_error *err);

/* Marks every job but the drafts for LinkedIn (ats_outbox_mark, 500 to a
 * transaction), *marked of them (may be NULL): the sync of all jobs, open
 * and closed, when the integration is enabled. */
int ats_jobs_mark_all(struct db *db, int64_t *marked);

/* One audit row about a job, for its history. */
struct job_event {
	const char *at;	    /* "YYYY-MM-DD HH:MM" */
	const char *who;    /* user name, "" for the system */
	const char *action; /* "job.close", "stage.add" ... */
	const char *detail;
	const char *member; /* job.member_*: the member's name, "" unknown */
};

struct job_event_list {
	struct job_event *v;
	size_t n;
};

/* The newest (at most limit) audit rows about the job, newest first. */
int ats_job_history(struct db *db, struct arena *a, int64_t job_id,
		    int64_t limit, struct job_event_list *out);

/* ------------------------------------------------------------ members */

/* A member's role on a job: recruiter, hiring_manager, interviewer. */
extern const struct ats_word ats_member_roles[];

int ats_job_members(struct db *db, struct arena *a, int64_t job_id,
		    struct job_member_list *out);
/* Adds an active user to the job, or changes the role of a member.
 * DB_NOT_FOUND when the job does not exist; ATS_INVALID (field "user_id"
 * or "role") for an unknown/inactive user or a bad role.  Audited
 * "job.member_add" / "job.member_role".
 *
 * An unassigned job is managed by every recruiter; its first member ends
 * that.  With actor_keeps_access (a recruiter acting), the actor is made a
 * recruiter member first, in the same transaction, so that assigning
 * someone else does not lock them out of the job they are editing. */
int ats_job_member_set(struct db *db, int64_t actor_id, int64_t job_id,
		       int64_t user_id, const char *role,
		       bool actor_keeps_access, const char *remote_addr,
		       struct ats_error *err);
/* Active users who are not members of the job yet (for the member
 * editor), by name, at most 500; role holds their global role. */
int ats_job_assignable_users(struct db *db, struct arena *a, int64_t job_id,
			     struct job_member_list *out);
/* DB_NOT_FOUND when the user is not a member.  Audited "job.member_remove". */
int ats_job_member_remove(struct db *db, int64_t actor_id, int64_t job_id,
			  int64_t user_id, const char *remote_addr);

/* ------------------------------------------------------------ stages */

/* prospect, screen, interview, offer, hired, other; a stage added without
 * a kind is ATS_STAGE_KIND_DEFAULT. */
extern const struct ats_word ats_stage_kinds[];
#define ATS_STAGE_KIND_DEFAULT "other"
bool ats_stage_kind_valid(const char *s); /* one of ats_stage_kinds */

/* The job's pipeline in position order, each with the number of ACTIVE
 * applications at it and of all (counters in the stage rows, kept by
 * triggers: sql/080_perf_stages.sql).  An empty list for a job with no
 * stages (or no such job). */
int ats_job_stages(struct db *db, struct arena *a, int64_t job_id,
		   struct stage_list *out);
/* The pipelines of every job the candidate has an active application on,
 * in one statement: out->v ordered by job, then position (total_count
 * filled), and (*job_ids)[i] the job of out->v[i], arena-owned. */
int ats_candidate_pipelines(struct db *db, struct arena *a,
			    int64_t candidate_id, struct stage_list *out,
			    int64_t **job_ids);
/*
 * The stage counts an interviewer may see (access.h's narrowing, issue 18):
 * at or after the job's first stage of kind interview, offer or hired every
 * application is theirs to see, so the counters stand; before it only
 * those where their feedback was asked for or given.  ats_stages_seen
 * reads those (a few rows: the interviewer's requests and feedback), and
 * ats_stages_narrow sets, in stages[0..n) of one job, active_count and
 * hired_count of each stage before the first interview-kind one to them
 * (total_count to -1: unknown).  For any other viewer nothing is read and
 * nothing changes.
 */
struct stage_seen {
	int64_t stage_id, active, hired;
};
int ats_stages_seen(struct db *db, struct arena *a, const struct user *u,
		    struct stage_seen **out, size_t *n);
void ats_stages_narrow(const struct user *u, struct stage *v, size_t n,
		       const struct stage_seen *seen, size_t nseen);
/* ats_job_stages narrowed for u: ats_stages_seen and ats_stages_narrow. */
int ats_job_stages_seen(struct db *db, struct arena *a, const struct user *u,
			int64_t job_id, struct stage_list *out);
/* One stage of the job (active_count filled).  DB_NOT_FOUND when the stage
 * does not exist or belongs to another job. */
int ats_stage_get(struct db *db, struct arena *a, int64_t job_id,
		  int64_t stage_id, struct stage *out);
/* The first stage (lowest position) of the job with that kind, e.g.
 * "prospect".  DB_NOT_FOUND when the pipeline has none. */
int ats_stage_by_kind(struct db *db, struct arena *a, int64_t job_id,
		      const char *kind, struct stage *out);

/* Appends a stage at the end.  name 1-100 chars, kind valid (NULL/"" =
 * ATS_STAGE_KIND_DEFAULT).  Audited "stage.add". */
int ats_stage_add(struct db *db, int64_t actor_id, int64_t job_id,
		  const char *name, const char *kind, const char *remote_addr,
		  int64_t *id, struct ats_error *err);
int ats_stage_rename(struct db *db, int64_t actor_id, int64_t job_id,
		     int64_t stage_id, const char *name,
		     const char *remote_addr, struct ats_error *err);
/* Moves the stage to position (clamped to 1..n); the others shift so
 * positions stay 1..n.  Audited "stage.move". */
int ats_stage_move(struct db *db, int64_t actor_id, int64_t job_id,
		   int64_t stage_id, int position, const char *remote_addr);
/* Deletes a stage no application references (any status), renumbering the
 * rest.  ATS_STAGE_IN_USE otherwise.  Audited "stage.delete". */
int ats_stage_delete(struct db *db, int64_t actor_id, int64_t job_id,
		     int64_t stage_id, const char *remote_addr);

/* The applications at one stage of a job (any status): active ones first,
 * then the others, each group in the order they were created; total counts
 * them all.  known_active and known_total are the stage's active_count and
 * total_count when the caller has them (ats_job_stages), which saves
 * reading them again; -1 to read them. */
int ats_stage_applications(struct db *db, struct arena *a, int64_t job_id,
			   int64_t stage_id, int64_t known_active,
			   int64_t known_total, int64_t offset, int64_t limit,
			   struct stage_entry_list *out);

#endif
