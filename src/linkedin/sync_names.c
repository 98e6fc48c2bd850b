/*
 * sync_names.c - a job or stage renamed reaches LinkedIn's In ATS
 * (sync.h, sql/230).
 *
 * LinkedIn's applications carry the job's name (atsJobPostingName) and
 * their stage entries the stage's name, so a rename changes what LinkedIn
 * should show of every candidate on the job.  The rename's transaction
 * (ats_job_update, ats_stage_rename) marks ONE outbox row, "job_names"
 * with the job's id, whatever the job's size; this sender expands it: each
 * pass marks the candidate sender's row of up to CHUNK candidates that
 * LinkedIn holds an application of in that job (linkedin_sync), in id
 * order from linkedin_names_cursor, in a short transaction of its own.
 * The candidate sender then sends each application again (every field,
 * the new job name) and each stage entry whose name changed (sync.c keeps
 * CRC32 of the name sent).
 *
 * Like the full sync (sync_backfill.c), a pass marks only while fewer than
 * LOW_WATER candidate rows wait, so that a rename of a large job never
 * floods the queue in front of the changes users make meanwhile; between
 * passes the row is due again shortly (LI_ITEM_LATER: no failure
 * counted).  The cursor is kept with the outbox row's generation: a second
 * rename during the expansion bumps it and the expansion starts over (the
 * candidates marked twice are sent once more, never missed).  A restart
 * of the worker carries on from the cursor.
 */
#include <stdio.h>
#include <string.h>

#include "ats/outbox.h"
#include "linkedin/li_internal.h"
#include "linkedin/sync.h"

#define CHUNK	  500 /* candidates marked a pass */
#define LOW_WATER 500 /* candidate rows waiting, at most, before a pass */
#define PACE_MS	  100 /* between passes that marked something */
#define WAIT_MS	  1000 /* between passes that waited for the queue */

/* The applications in job ? that LinkedIn holds, of candidates after ?. */
#define HELD                                                                   \
	"FROM applications ap WHERE ap.job_id = ? AND ap.candidate_id > ? "    \
	"AND EXISTS (SELECT 1 FROM linkedin_sync ls WHERE ls.candidate_id = "  \
	"ap.candidate_id AND ls.kind = 'application' AND ls.entity_id = "      \
	"ap.id)"

struct pass {
	int64_t job_id;
	unsigned generation;
	int64_t marked; /* out: candidates marked by this pass */
	bool finished;	/* out: none left after it */
};

static int pass_txn(struct db *db, struct arena *a, void *arg)
{
	struct pass *x = arg;
	struct db_row r;
	int64_t cursor = 0;
	x->marked = 0;
	x->finished = false;
	int rc = db_query_row(db, a, &r,
			      "SELECT generation, cursor_id FROM "
			      "linkedin_names_cursor WHERE job_id = ? FOR "
			      "UPDATE",
			      "i", x->job_id);
	if (rc == DB_OK && (unsigned)db_int(&r, 0) == x->generation)
		cursor = db_int(&r, 1);
	else if (rc != DB_OK && rc != DB_NOT_FOUND)
		return rc;
	/* the chunk's last candidate (the unique key (job_id, candidate_id)
	 * walks it in order) */
	rc = db_query_row(db, a, &r,
			  "SELECT COUNT(*), COALESCE(MAX(candidate_id), 0) "
			  "FROM (SELECT ap.candidate_id " HELD
			  " ORDER BY ap.candidate_id LIMIT ?) t",
			  "iii", x->job_id, cursor, (int64_t)CHUNK);
	if (rc != DB_OK)
		return rc;
	int64_t n = db_int(&r, 0), last = db_int(&r, 1);
	if (n == 0) {
		x->finished = true;
		return db_exec(db, NULL,
			       "DELETE FROM linkedin_names_cursor WHERE job_id "
			       "= ?",
			       "i", x->job_id);
	}
	/* marked as ats_outbox_mark does, the chunk in one statement */
	rc = db_exec(db, NULL,
		     "INSERT INTO outbox (kind, entity_id, tombstone) SELECT "
		     "?, ap.candidate_id, 0 " HELD
		     " AND ap.candidate_id <= ? ON DUPLICATE KEY UPDATE "
		     "generation = generation + 1, tombstone = 0, state = "
		     "'pending', attempts = 0, next_attempt_at = "
		     "IF(leased_until > NOW(3), leased_until, NOW(3))",
		     "siii", ATS_OUTBOX_CANDIDATE, x->job_id, cursor, last);
	x->marked = n;
	x->finished = n < CHUNK;
	if (rc == DB_OK && x->finished)
		return db_exec(db, NULL,
			       "DELETE FROM linkedin_names_cursor WHERE job_id "
			       "= ?",
			       "i", x->job_id);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "INSERT INTO linkedin_names_cursor (job_id, "
			     "generation, cursor_id) VALUES (?, ?, ?) ON "
			     "DUPLICATE KEY UPDATE generation = "
			     "VALUES(generation), cursor_id = "
			     "VALUES(cursor_id)",
			     "iii", x->job_id, (int64_t)x->generation, last);
	return rc;
}

static void later(struct li_outbox_item *it, long ms)
{
	it->result = LI_ITEM_LATER;
	it->retry_after_ms = ms;
	it->error[0] = 0;
}

void li_send_job_names(struct li_worker *w, struct li_outbox_item *items,
		       size_t n)
{
	struct db_row r;
	for (size_t i = 0; i < n; i++) {
		items[i].result = LI_ITEM_DONE;
		items[i].error[0] = 0;
	}
	int rc = db_query_row(w->db, w->arena, &r,
			      "SELECT COUNT(*) FROM outbox WHERE kind = ? AND "
			      "state = 'pending'",
			      "s", ATS_OUTBOX_CANDIDATE);
	int64_t waiting = rc == DB_OK ? db_int(&r, 0) : 0;
	for (size_t i = 0; i < n; i++) {
		struct li_outbox_item *it = &items[i];
		if (rc != DB_OK) {
			it->result = LI_ITEM_RETRY;
			snprintf(it->error, sizeof(it->error),
				 "the database failed: %s", db_error(w->db));
			continue;
		}
		if (waiting >= LOW_WATER) {
			later(it, WAIT_MS);
			continue;
		}
		struct pass x = {.job_id = (int64_t)it->entity_id,
				 .generation = it->generation};
		if (db_transaction(w->db, pass_txn, &x) != DB_OK) {
			it->result = LI_ITEM_RETRY;
			snprintf(it->error, sizeof(it->error),
				 "the database failed: %s", db_error(w->db));
			continue;
		}
		waiting += x.marked;
		if (x.marked)
			log_info("linkedin: job %llu renamed: %lld candidates "
				 "marked to send again",
				 (unsigned long long)it->entity_id,
				 (long long)x.marked);
		if (!x.finished)
			later(it, PACE_MS);
	}
}
