/*
 * outbox.h - what must reach LinkedIn (sql/120_outbox.sql): one row per
 * entity, marked by the writers of src/ats/ inside the transaction of the
 * change itself, claimed and completed by the worker
 * (src/linkedin/worker.c), which reads the entity's current state when it
 * sends.  outbox.c explains the lease and the generation.
 *
 * Functions return DB_OK or a negative db_status.  None of them starts a
 * transaction of its own except ats_outbox_claim and
 * ats_outbox_admin_retry: the marks belong to the
 * writer's transaction, completions and failures to whatever the worker
 * wraps them in (they are also correct alone, in autocommit).
 */
#ifndef HIRELINK_OUTBOX_H
#define HIRELINK_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "ats/ats.h"

/* The kinds of entity (outbox.kind, at most ATS_OUTBOX_KIND_MAX bytes). */
#define ATS_OUTBOX_JOB		 "job" /* job posting + its ACL (entity: jobs.id) */
/* apply a callback (a stored one is marked by sql/123's trigger) */
#define ATS_OUTBOX_INBOUND_EVENT "inbound_event"
#define ATS_OUTBOX_INTEGRATION	 "integration" /* enable/disable at LinkedIn */
/* issue 15, the LinkedIn tab (src/ats/candidate_links.h; entity:
 * candidates.id): the member a user linked, as manualMatchedMember; and
 * LinkedIn's match query, asked again */
#define ATS_OUTBOX_CANDIDATE_LINK  "candidate_link"
#define ATS_OUTBOX_CANDIDATE_MATCH "candidate_match"
/* issue 16, In ATS sync (entity: candidates.id): the candidate with their
 * applications, stage history, feedback and public notes, once they moved
 * past Prospect; a tombstone deletes all of it at LinkedIn */
#define ATS_OUTBOX_CANDIDATE "candidate"
/* issue 16: a job or one of its stages renamed (entity: jobs.id), marked
 * once by the rename; the worker marks ATS_OUTBOX_CANDIDATE for each
 * candidate LinkedIn holds an application of in that job, a chunk at a
 * time (src/linkedin/sync_names.c) */
#define ATS_OUTBOX_JOB_NAMES "job_names"
#define ATS_OUTBOX_KIND_MAX	 32

/* The longest last_error kept (characters; longer ones are cut). */
#define ATS_OUTBOX_ERROR_MAX 500

/* Backoff after a failure without Retry-After: ATS_OUTBOX_BACKOFF_BASE_MS
 * doubled with each attempt, at most ATS_OUTBOX_BACKOFF_MAX_MS, each time
 * between half and all of that (jitter).  A Retry-After is honoured up to
 * ATS_OUTBOX_RETRY_AFTER_MAX_MS. */
#define ATS_OUTBOX_BACKOFF_BASE_MS    10000
#define ATS_OUTBOX_BACKOFF_MAX_MS     (60 * 60 * 1000)
#define ATS_OUTBOX_RETRY_AFTER_MAX_MS (24 * 60 * 60 * 1000)

/*
 * Marks (kind, entity_id) as changed: inserts its row, or makes the one
 * there pending again with attempts 0 and its generation bumped (a dead
 * row comes back to life; last_error is kept).  The row is due now unless
 * a worker holds it under lease: then when that lease ends, or as soon as
 * the worker finds the generation changed.  Call it inside the writer's
 * transaction, before it commits, so the mark and the change commit or roll
 * back together.  ats_outbox_mark_deleted: the same for an entity that is
 * gone (a tombstone: the worker deletes it at LinkedIn).
 */
int ats_outbox_mark(struct db *db, const char *kind, uint64_t entity_id);
int ats_outbox_mark_deleted(struct db *db, const char *kind,
			    uint64_t entity_id);

/* The In ATS sync (issue 16): marks candidate_id (ATS_OUTBOX_CANDIDATE),
 * or the candidate of application_id, in the writer's transaction.  Every
 * change to a candidate, their applications, feedback, notes and link is
 * marked; the sender decides what LinkedIn gets (nothing while the
 * candidate has not moved past Prospect).  DB_NOT_FOUND when there is no
 * such application. */
int ats_outbox_mark_candidate(struct db *db, int64_t candidate_id);
int ats_outbox_mark_application(struct db *db, int64_t application_id);

/* A claimed row, as the worker sends it. */
struct ats_outbox_row {
	uint64_t id, entity_id;
	bool tombstone;
	int attempts; /* failed attempts before this one */
	unsigned generation;
};

/*
 * Claims up to max (1 to 1000) due pending rows of kind, oldest due first,
 * in a short transaction of its own: the rows are locked with SELECT ...
 * FOR UPDATE SKIP LOCKED (rows another claimer or an open writer's
 * transaction holds are passed over, never waited for), leased for
 * lease_s seconds (not due again until then) and committed, so no lock is
 * held while they are sent and no other claimer gets them during the
 * lease.  *rows (arena-owned) and *n get them; *n 0 when none is due.
 */
int ats_outbox_claim(struct db *db, struct arena *a, const char *kind,
		     size_t max, int lease_s, struct ats_outbox_row **rows,
		     size_t *n);

/* What became of a claimed row when its outcome was recorded. */
enum ats_outbox_outcome {
	ATS_OUTBOX_SENT,	/* deleted: LinkedIn has this generation */
	ATS_OUTBOX_SUPERSEDED,	/* marked again meanwhile: due now */
	ATS_OUTBOX_RESCHEDULED, /* failed: due again after the backoff */
	ATS_OUTBOX_DEAD,	/* failed for good or too often: dead */
	ATS_OUTBOX_GONE,	/* the row was not there any more */
};

/* The row was sent: deleted when its generation is still row->generation,
 * else due now (SUPERSEDED) so the newer change goes out.  *outcome may be
 * NULL. */
int ats_outbox_complete(struct db *db, const struct ats_outbox_row *row,
			enum ats_outbox_outcome *outcome);

/* Whether each of kinds[0..n) has a row due now: due[i].  One statement
 * (an index entry a kind that has rows), so that a pass of the worker
 * claims only the kinds that have work.  Kinds are ATS_OUTBOX_*
 * identifiers; one no row has is never due. */
int ats_outbox_due(struct db *db, struct arena *a, const char *const *kinds,
		   size_t n, bool *due);

/* ats_outbox_complete for rows[0..n) at once, outcomes[i] each: one
 * DELETE for all, and only when some changed meanwhile a read of those
 * left and one statement each of them. */
int ats_outbox_complete_many(struct db *db, struct arena *a,
			     const struct ats_outbox_row *rows, size_t n,
			     enum ats_outbox_outcome *outcomes);

/*
 * The row's send failed with error (for admins; cut to
 * ATS_OUTBOX_ERROR_MAX).  Its attempts grow by one; it is due again after
 * retry_after_ms (LinkedIn's Retry-After; 0: the backoff of
 * ats_outbox_backoff_ms), or dead when permanent (a 4xx other than 429:
 * trying again would fail the same way) or when this was attempt
 * max_attempts.  When the row was marked again meanwhile, the failure
 * concerned an older state: it is due now and the attempt is not counted
 * (SUPERSEDED).  *outcome and *delay_ms (the delay chosen) may be NULL.
 */
int ats_outbox_fail(struct db *db, const struct ats_outbox_row *row,
		    int max_attempts, int64_t retry_after_ms, bool permanent,
		    const char *error, enum ats_outbox_outcome *outcome,
		    int64_t *delay_ms);

/* The row is due again in delay_ms, not having failed (attempts and
 * last_error unchanged): RESCHEDULED; SUPERSEDED (due now) when it was
 * marked again meanwhile. */
int ats_outbox_later(struct db *db, const struct ats_outbox_row *row,
		     int64_t delay_ms, enum ats_outbox_outcome *outcome);

/* The delay before the next try after failed attempt number attempts
 * (1, 2, ...): retry_after_ms when > 0 (at most
 * ATS_OUTBOX_RETRY_AFTER_MAX_MS), else the jittered exponential backoff;
 * jitter is a random number (any; the backoff takes what it needs). */
int64_t ats_outbox_backoff_ms(int attempts, int64_t retry_after_ms,
			      uint32_t jitter);

/* An admin's Retry of a dead row: pending, attempts 0, due now.
 * DB_NOT_FOUND when id is not a dead row. */
int ats_outbox_retry(struct db *db, uint64_t id);
/* The Retry of /admin/linkedin/outbox, for a row of any kind, in a
 * transaction of its own: a callback's row ("inbound_event") does what the
 * events page's Retry does (ats_inbound_retry: its failed or refused event
 * is applied again); any other row is made pending (ats_outbox_retry).
 * Audited "linkedin.outbox_retry" by actor_id.  DB_NOT_FOUND when id is not
 * a dead row. */
int ats_outbox_admin_retry(struct db *db, int64_t actor_id, uint64_t id,
			   const char *remote_addr);

/* ------------------------------------------------------------ admin view */

struct ats_outbox_kind_stats {
	const char *kind;
	int64_t pending;
	int64_t due; /* pending and due now (waiting for a worker) */
	int64_t dead;
	/* seconds since the oldest pending change was made, -1 none */
	int64_t oldest_pending_s;
	/* the kind's last failure (outbox_kind_errors), kept after its row
	 * was sent: NULL when none */
	const char *last_error;
	const char *last_error_at; /* "YYYY-MM-DD HH:MM:SS" (UTC) */
	int64_t last_error_age_s;  /* seconds ago, -1 none */
};

struct ats_outbox_dead {
	uint64_t id, entity_id;
	const char *kind;
	int attempts;
	const char *last_error; /* "" when none */
	const char *updated_at; /* "YYYY-MM-DD HH:MM:SS" (UTC) */
};

struct ats_outbox_status {
	struct ats_outbox_kind_stats *kinds; /* by kind */
	size_t nkinds;
	int64_t pending, dead;		   /* over all kinds */
	int64_t oldest_pending_s;	   /* -1 when nothing is pending */
	struct ats_outbox_dead *dead_rows; /* newest first, at most max_dead */
	size_t ndead_rows;
};

/* Counts by kind (with each kind's last error: a kind that has one and no
 * rows is listed too) and the newest max_dead dead rows; arena-owned. */
int ats_outbox_status(struct db *db, struct arena *a, size_t max_dead,
		      struct ats_outbox_status *out);

#endif
