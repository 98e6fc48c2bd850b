/*
 * sync.h - In ATS (issue 16, F12): the worker's sender of candidates
 * (ATS_OUTBOX_CANDIDATE) with their applications, stage history,
 * interview feedback and public notes, and their deletions (sync.c).
 */
#ifndef HIRELINK_LI_SYNC_H
#define HIRELINK_LI_SYNC_H

#include "linkedin/worker.h"

/* The ids hirelink gives LinkedIn (CONTRACT-16 §0), arena-owned:
 * atsJobApplicationId "<instance>-A<application id>", and the simple keys
 * of the sub-resources: "S<event id>" (a stage entry), "F<feedback id>",
 * "N<note id>". */
const char *li_ats_application_id(struct arena *a, const char *instance_id,
				  int64_t application_id);

/*
 * The sender (worker.c's table, up to LI_SYNC_BATCH rows): for each
 * candidate, nothing while they have not moved past Prospect in any job
 * and LinkedIn has nothing of them; otherwise the candidate (atsCandidates),
 * then every application (atsApplications), the stage entries and
 * feedback LinkedIn does not have yet (their sub-resources), then the
 * public notes new or changed since sent and the deletion of those made
 * private or deleted.  A tombstone, or a candidate that is gone, deletes
 * the candidate at LinkedIn (which deletes the rest with it).  What LinkedIn
 * holds is kept by id in linkedin_sync.
 */
#define LI_SYNC_BATCH 25

/* Whether the sender sends candidate c (SQL over `candidates c`): LinkedIn
 * holds them (linkedin_sync), or they moved past Prospect in some job
 * (an application past it or hired there, or an event that took one
 * past it: a move back does not hide them).  Else nothing goes. */
#define LI_SYNC_KNOWN_SQL                                                      \
	"EXISTS(SELECT 1 FROM linkedin_sync ls WHERE ls.candidate_id = c.id "  \
	"AND ls.kind = 'candidate')"
#define LI_SYNC_PAST_PROSPECT_SQL                                              \
	"EXISTS(SELECT 1 FROM applications ap JOIN job_stages s ON s.id = "    \
	"ap.stage_id WHERE ap.candidate_id = c.id AND (s.kind <> 'prospect' "  \
	"OR ap.status = 'hired')) OR EXISTS(SELECT 1 FROM applications ap "    \
	"JOIN application_events e ON e.application_id = ap.id JOIN "          \
	"job_stages s ON s.id = e.to_stage_id WHERE ap.candidate_id = c.id "   \
	"AND s.kind <> 'prospect')"

/*
 * After the commit of exports (notifications.c), which do not mark their
 * candidates: marks those of ids[0..n) the sender would send now.  An
 * export adds a Prospect application, which changes nothing of a
 * candidate LinkedIn does not see; one it sees gets the new application
 * so.  Read after the commit, a change that made a candidate sent has
 * either committed before (seen here: marked) or marks them itself when
 * it commits (its send then reads the export's application too).  DB
 * status; run again (the rows of the events come back) when it fails.
 */
int li_sync_mark_sent(struct db *db, struct arena *a, const int64_t *ids,
		      size_t n);
/* LinkedIn's limit on the sync endpoints (records a minute, an
 * application); each process keeps under it. */
#define LI_SYNC_RECORDS_PER_MINUTE 10000
void li_send_candidates_sync(struct li_worker *w, struct li_outbox_item *items,
			     size_t n);

/* The sender of ATS_OUTBOX_JOB_NAMES (sync_names.c, worker.c's table): a
 * job or stage renamed marks, a chunk a pass, the candidates LinkedIn
 * holds an application of in that job. */
void li_send_job_names(struct li_worker *w, struct li_outbox_item *items,
		       size_t n);

/* The worker's periodic "in ats hold" (sync_hold.c): while the
 * integration is off, parks the candidate rows (kept, never due); once it
 * is on, releases them a chunk at a time while few are due, so that what
 * changed while off goes, and users' fresh changes are not queued behind
 * it.  DB status. */
int li_sync_hold_schedule(struct li_worker *w);

/* ------------------------------------------------------------ backfill */

/*
 * The first full sync (sync_backfill.c, sql/141): every candidate past
 * Prospect with activity in the last two years (a change to the candidate
 * or one of their applications) is marked for the candidate sender, a
 * chunk at a time while the sender's queue is short, by the worker's
 * LI_OUTBOX_BACKFILL row; every job is marked at the start.  Its state is
 * kept in MariaDB: it survives restarts, and pauses and resumes.
 */
#define LI_OUTBOX_BACKFILL "in_ats_backfill" /* entity: 1 */

struct li_backfill {
	bool exists;	   /* one was ever started */
	const char *state; /* running, paused, done */
	int64_t total, marked;
	int64_t done;	     /* marked and no longer waiting to be sent */
	double rate;	     /* candidates a second while running, 0 unknown */
	int64_t eta_s;	     /* seconds left at that rate, -1 unknown */
	const char *started_at, *finished_at; /* "YYYY-MM-DD HH:MM" UTC */
};

/* Starts a full sync over (the jobs marked, the candidates counted, the
 * worker's row marked).  DB status. */
int li_backfill_start(struct db *db);
/* Starts one only when none was ever started (the integration enabled for
 * the first time).  DB status. */
int li_backfill_start_first(struct db *db);
/* Pauses a running one, resumes a paused one: DB_NOT_FOUND when it is not
 * in that state. */
int li_backfill_pause(struct db *db);
int li_backfill_resume(struct db *db);
/* Its progress, arena-owned.  DB status. */
int li_backfill_status(struct db *db, struct arena *a, struct li_backfill *b);
/* The sender of LI_OUTBOX_BACKFILL (worker.c's table). */
void li_send_backfill(struct li_worker *w, struct li_outbox_item *items,
		      size_t n);

#endif
