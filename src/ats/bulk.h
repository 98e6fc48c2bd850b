/*
 * bulk.h - bulk actions (issue 18): one user's action over many records,
 * kept as a bulk job and its items (sql/180_bulk_jobs.sql).
 *
 * The actions are those of the single records, done by the same functions
 * one record at a time, each in a transaction of its own, so every record
 * gets its own event and audit row exactly as if done by hand, and a
 * failure on one leaves the others done (the failure is kept on its item,
 * with its reason in words, for the list at the end):
 *   move      applications of a job to one of its stages (ats_application_move)
 *   reject    applications, with a reason and a note (ats_application_reject)
 *   pool_add  candidates to a user pool (ats_pool_member_set)
 *   job_add   candidates to a job (ats_application_create)
 *
 * The selection (some rows, or "all N in this stage / these results") is
 * resolved into items when the job is created, so "all" is the set as it
 * was when the user confirmed.  At most BULK_MAX items a job.  A job of up
 * to BULK_INLINE_MAX items is run by its creator's request
 * (ats_bulk_run_inline); a larger one is left to the worker
 * (ats_bulk_work), which claims items as it claims the outbox (SELECT ...
 * FOR UPDATE SKIP LOCKED and a lease), so a worker stopped or killed
 * mid-way leaves nothing lost: leased items come back when the lease ends,
 * and an item found done already (its change committed, its outcome not
 * yet recorded) counts as done, not as a failure.
 *
 * Results are arena-owned.  Functions return DB_OK, a negative db_status,
 * or ATS_INVALID with err naming the field.
 */
#ifndef HIRELINK_BULK_H
#define HIRELINK_BULK_H

#include "ats/ats.h"

#define BULK_INLINE_MAX 1000	/* items run in the request */
#define BULK_MAX	100000	/* items of one bulk job */
#define BULK_FAILURES_SHOWN 1000 /* failures a progress page lists */

enum bulk_action { BULK_MOVE, BULK_REJECT, BULK_POOL_ADD, BULK_JOB_ADD };
/* Where the selection was made: a job's stage tab (items are applications
 * of source_id), search results, a pool (source_id). */
enum bulk_source { BULK_FROM_STAGE, BULK_FROM_SEARCH, BULK_FROM_POOL };

/* "move", "reject", "pool_add", "job_add" (the database's words). */
const char *ats_bulk_action_name(enum bulk_action a);

/* What the user asked for. */
struct bulk_spec {
	enum bulk_action action;
	enum bulk_source source;
	int64_t source_id; /* the job (STAGE) or the pool (POOL); 0 SEARCH */
	int64_t target_id; /* the stage (move), pool (pool_add), job (job_add) */
	const char *reason, *note; /* reject; NULL otherwise */
	const char *return_to;	   /* a local path, "" none */
};

/* The records chosen: ids (applications for STAGE, else candidates), or
 * all of the source: the stage all_stage_id's active applications (STAGE),
 * the pool's members (POOL), or the candidates the search all_search finds
 * for the actor (SEARCH: its words and filters as the candidates list
 * checked them, the actor's narrowing applied as the list applies it;
 * NULL = every candidate the actor sees). */
struct candidate_query;
struct bulk_selection {
	const int64_t *ids;
	size_t n;
	bool all;
	int64_t all_stage_id;
	const struct candidate_query *all_search;
};

/*
 * Checks the action (the target exists and fits: a stage of the job, a
 * user pool, a job that takes candidates; a rejection's reason), resolves
 * the selection into items and creates the bulk job, in one transaction.
 * A job that must be confirmed first (ats_bulk_needs_confirm) is created
 * waiting: nothing runs it until ats_bulk_confirm.
 * Access to each record is checked when it is done, as for one record.
 * ATS_INVALID ("ids") when nothing is selected or more than BULK_MAX, or
 * a chosen application is not on the job; ("stage_id", "pool_id",
 * "job_id", "reason") for a bad target.  *id the new job's, *total its
 * items.  Audited "bulk.create".
 */
int ats_bulk_create(struct db *db, struct arena *a, const struct user *actor,
		    const struct bulk_spec *spec,
		    const struct bulk_selection *sel, const char *remote_addr,
		    int64_t *id, int64_t *total, struct ats_error *err);

/* Whether a bulk action asks for confirmation before it runs (issue 18:
 * what cannot be taken back in one step): a reject, a move to a stage of
 * kind hired (it hires; to_kind is the target stage's kind), and "all" of
 * a search's results (the page may only say "over 10,000"). */
bool ats_bulk_needs_confirm(const struct bulk_spec *spec, bool all,
			    const char *to_kind);
/* How long a waiting bulk job may be confirmed (seconds). */
#define BULK_CONFIRM_S 3600
/* Confirms bulk job id, the actor's own and waiting: its items become
 * due, the worker's for a background job, else held for the request that
 * runs them now (ats_bulk_run_inline).  DB_NOT_FOUND when the actor has no
 * such waiting job (confirmed already, or another's); ATS_INVALID
 * ("confirm") when it waited longer than BULK_CONFIRM_S.  Audited
 * "bulk.confirm". */
int ats_bulk_confirm(struct db *db, const struct user *actor, int64_t id,
		     const char *remote_addr, struct ats_error *err);

/* Runs every pending item of job id in this call (a job of at most
 * BULK_INLINE_MAX items, just created by ats_bulk_create). */
int ats_bulk_run_inline(struct db *db, int64_t id);

/* The worker's turn: claims up to max due items of any job (leased for
 * lease_s seconds), does them and records each outcome.  *handled the
 * items claimed (0: nothing was due). */
int ats_bulk_work(struct db *db, size_t max, int lease_s, size_t *handled);

struct bulk_failure {
	int64_t entity_id;
	int64_t candidate_id; /* 0 when the record is gone */
	const char *name;     /* the candidate's, "" when gone */
	const char *error;
};

struct bulk_job {
	int64_t id, user_id;
	enum bulk_action action;
	enum bulk_source source;
	int64_t source_id, target_id;
	const char *label; /* the target in words: "Screen", "Engineers" */
	const char *return_to;
	int64_t total, done, failed;
	bool background, finished;
	/* waiting for its creator's confirmation (ats_bulk_confirm);
	 * expired: for longer than BULK_CONFIRM_S */
	bool awaiting, expired;
	const char *to_kind; /* move: the target stage's kind, else "" */
	const char *created_at; /* "YYYY-MM-DD HH:MM" */
	struct bulk_failure *failures; /* at most BULK_FAILURES_SHOWN */
	size_t nfailures;
};

/* Bulk job id with its first failures, for its creator or an admin;
 * DB_NOT_FOUND for anyone else. */
int ats_bulk_get(struct db *db, struct arena *a, const struct user *viewer,
		 int64_t id, struct bulk_job *out);

/* What the bulk bar offers, read in one statement: the viewer's own jobs
 * (where they are a recruiter member) that are not closed, newest first,
 * at most BULK_JOBS_OFFERED (any other job is named by its ID); the user
 * pools by name, at most BULK_POOLS_OFFERED.  Cheap: every list page
 * asks. */
#define BULK_JOBS_OFFERED  50
#define BULK_POOLS_OFFERED 200
struct bulk_target {
	int64_t id;
	const char *name; /* "Backend engineer (J-00042)", "Engineers" */
};
struct bulk_targets {
	struct bulk_target *jobs, *pools;
	size_t njobs, npools;
};
int ats_bulk_targets(struct db *db, struct arena *a,
		     const struct user *viewer, struct bulk_targets *out);

#endif
