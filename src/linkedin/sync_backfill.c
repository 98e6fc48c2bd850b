/*
 * sync_backfill.c - the first full sync of In ATS (sync.h, sql/141).
 *
 * LinkedIn asks for the history at onboarding: every job (open and
 * closed) and every candidate with their applications, stages, feedback
 * and notes for the last two years.  Data written in bulk (the demo, the
 * bench, an import) was never marked, so enabling the integration starts
 * this: the jobs are marked at once (they are few), the candidates past
 * Prospect with activity since `since` are counted, then the worker's
 * LI_OUTBOX_BACKFILL row marks them in chunks of CHUNK, in id order,
 * whenever fewer than LOW_WATER candidate rows wait: so the queue never
 * floods (a change a user makes meanwhile goes out within seconds still),
 * and the candidate sender's own pace (LinkedIn's throttle, its 429s)
 * paces the backfill.  Between chunks the row is due again after a short
 * wait (LI_ITEM_LATER: no failure counted).
 *
 * Everything is in linkedin_backfill and the outbox: a restart of the
 * worker carries on from cursor_id; a pause leaves the row to finish
 * (nothing more is marked) and a resume marks it again.  Progress: done is
 * what was marked less what still waits in the outbox; the rate counts
 * running time only.
 */
#include <stdio.h>
#include <string.h>

#include "ats/jobs.h"
#include "ats/outbox.h"
#include "linkedin/li_internal.h"
#include "linkedin/sync.h"

#define CHUNK	  100 /* candidates marked a pass */
#define LOW_WATER 100 /* candidate rows waiting, at most, before a pass */
#define PACE_MS	  200 /* between passes that marked something */
#define WAIT_MS	  1000 /* between passes that waited for the queue */

/* The candidates a full sync sends: past Prospect (as sync.c decides),
 * with a change to them or their applications since ?; after id ?. */
#define ELIGIBLE                                                               \
	"FROM candidates c WHERE c.id > ? AND (EXISTS(SELECT 1 FROM "          \
	"applications ap JOIN job_stages s ON s.id = ap.stage_id WHERE "       \
	"ap.candidate_id = c.id AND (s.kind <> 'prospect' OR ap.status = "     \
	"'hired')) OR EXISTS(SELECT 1 FROM applications ap JOIN "              \
	"application_events e ON e.application_id = ap.id JOIN job_stages s "  \
	"ON s.id = e.to_stage_id WHERE ap.candidate_id = c.id AND s.kind <> "  \
	"'prospect')) AND (c.updated_at >= ? OR EXISTS(SELECT 1 FROM "         \
	"applications ap WHERE ap.candidate_id = c.id AND ap.updated_at >= "   \
	"?))"

static int start_txn(struct db *db, struct arena *a, void *arg)
{
	bool *only_first = arg;
	struct db_row r;
	int rc;
	if (*only_first) {
		rc = db_query_row(db, a, &r,
				  "SELECT 1 FROM linkedin_backfill WHERE id = "
				  "1 FOR UPDATE",
				  "");
		if (rc != DB_NOT_FOUND)
			return rc == DB_OK ? DB_DUPLICATE : rc;
	}
	struct db_row cnt;
	rc = db_query_row(db, a, &r, "SELECT NOW(3) - INTERVAL 2 YEAR", "");
	if (rc == DB_OK)
		rc = db_query_row(db, a, &cnt, "SELECT COUNT(*) " ELIGIBLE,
				  "iss", (int64_t)0, r.v[0], r.v[0]);
	if (rc != DB_OK)
		return rc;
	rc = db_exec(db, NULL,
		     "INSERT INTO linkedin_backfill (id, state, cursor_id, "
		     "total, marked, since, started_at, resumed_at, "
		     "active_ms, finished_at) VALUES (1, 'running', 0, ?, 0, "
		     "?, NOW(3), NOW(3), 0, NULL) ON DUPLICATE KEY UPDATE "
		     "state = 'running', cursor_id = 0, total = VALUES(total), "
		     "marked = 0, since = VALUES(since), started_at = NOW(3), "
		     "resumed_at = NOW(3), active_ms = 0, finished_at = NULL",
		     "is", db_int(&cnt, 0), r.v[0]);
	if (rc == DB_OK)
		rc = ats_outbox_mark(db, LI_OUTBOX_BACKFILL, 1);
	return rc;
}

static int start(struct db *db, bool only_first)
{
	int rc = db_transaction(db, start_txn, &only_first);
	if (rc == DB_DUPLICATE)
		return DB_OK; /* one ran before */
	if (rc == DB_OK)
		rc = ats_jobs_mark_all(db, NULL);
	return rc;
}

int li_backfill_start(struct db *db)
{
	return start(db, false);
}

int li_backfill_start_first(struct db *db)
{
	return start(db, true);
}

int li_backfill_pause(struct db *db)
{
	uint64_t n = 0;
	int rc = db_exec(db, &n,
			 "UPDATE linkedin_backfill SET state = 'paused', "
			 "active_ms = active_ms + TIMESTAMPDIFF(MICROSECOND, "
			 "resumed_at, NOW(3)) DIV 1000 WHERE id = 1 AND state "
			 "= 'running'",
			 "");
	return rc == DB_OK && !n ? DB_NOT_FOUND : rc;
}

static int resume_txn(struct db *db, struct arena *a, void *arg)
{
	uint64_t n = 0;
	int rc = db_exec(db, &n,
			 "UPDATE linkedin_backfill SET state = 'running', "
			 "resumed_at = NOW(3) WHERE id = 1 AND state = "
			 "'paused'",
			 "");
	if (rc == DB_OK && !n)
		return DB_NOT_FOUND;
	return rc == DB_OK ? ats_outbox_mark(db, LI_OUTBOX_BACKFILL, 1) : rc;
}

int li_backfill_resume(struct db *db)
{
	return db_transaction(db, resume_txn, NULL);
}

int li_backfill_status(struct db *db, struct arena *a, struct li_backfill *b)
{
	struct db_row r;
	memset(b, 0, sizeof(*b));
	b->eta_s = -1;
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT b.state, b.total, b.marked, b.marked - (SELECT COUNT(*) "
	    "FROM outbox o WHERE o.kind = 'candidate' AND o.state = "
	    "'pending' AND o.entity_id <= b.cursor_id), b.active_ms + "
	    "IF(b.state = 'running', TIMESTAMPDIFF(MICROSECOND, b.resumed_at, "
	    "NOW(3)) DIV 1000, 0), DATE_FORMAT(b.started_at, '%Y-%m-%d "
	    "%H:%i'), DATE_FORMAT(b.finished_at, '%Y-%m-%d %H:%i') FROM "
	    "linkedin_backfill b WHERE b.id = 1",
	    "");
	if (rc == DB_NOT_FOUND)
		return DB_OK;
	if (rc != DB_OK)
		return rc;
	b->exists = true;
	b->state = r.v[0];
	b->total = db_int(&r, 1);
	b->marked = db_int(&r, 2);
	b->done = db_int(&r, 3);
	if (b->done < 0)
		b->done = 0;
	if (!strcmp(b->state, "done"))
		b->done = b->marked;
	if (b->done > b->total)
		b->total = b->done; /* more became eligible meanwhile */
	int64_t ms = db_int(&r, 4);
	if (ms > 0 && b->done > 0) {
		b->rate = (double)b->done * 1000.0 / (double)ms;
		b->eta_s = (int64_t)((double)(b->total - b->done) / b->rate);
	}
	b->started_at = r.v[5];
	b->finished_at = r.v[6];
	return DB_OK;
}

/* One pass, in its transaction: the next chunk marked, the cursor moved;
 * *marked of them (0: none left). */
struct pass {
	int64_t marked;
};

static int pass_txn(struct db *db, struct arena *a, void *arg)
{
	struct pass *x = arg;
	struct db_row r;
	struct db_result res;
	x->marked = 0;
	int rc = db_query_row(db, a, &r,
			      "SELECT state, cursor_id, since FROM "
			      "linkedin_backfill WHERE id = 1 FOR UPDATE",
			      "");
	if (rc != DB_OK)
		return rc;
	if (strcmp(r.v[0], "running"))
		return DB_OK;
	rc = db_query(db, a, &res,
		      "SELECT c.id " ELIGIBLE " ORDER BY c.id LIMIT ?", "issi",
		      db_int(&r, 1), r.v[2], r.v[2], (int64_t)CHUNK);
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++)
		rc = ats_outbox_mark_candidate(db, db_int(&res.rows[i], 0));
	if (rc != DB_OK || !res.nrows)
		return rc;
	x->marked = (int64_t)res.nrows;
	return db_exec(db, NULL,
		       "UPDATE linkedin_backfill SET cursor_id = ?, marked = "
		       "marked + ? WHERE id = 1",
		       "ii", db_int(&res.rows[res.nrows - 1], 0), x->marked);
}

static void later(struct li_outbox_item *it, long ms)
{
	it->result = LI_ITEM_LATER;
	it->retry_after_ms = ms;
	it->error[0] = 0;
}

void li_send_backfill(struct li_worker *w, struct li_outbox_item *items,
		      size_t n)
{
	struct li_settings s;
	struct db_row r;
	for (size_t i = 0; i < n; i++) {
		items[i].result = LI_ITEM_DONE;
		items[i].error[0] = 0;
	}
	/* one row (entity 1): the first item does the pass */
	int rc = li_settings_load(w->db, w->arena, w->cfg, &s);
	if (rc == DB_OK && !li_settings_ready(&s))
		return; /* off: enabling it again starts over */
	if (rc == DB_OK)
		rc = db_query_row(
		    w->db, w->arena, &r,
		    "SELECT b.state, (SELECT COUNT(*) FROM outbox o WHERE "
		    "o.kind = 'candidate' AND o.state = 'pending') FROM "
		    "linkedin_backfill b WHERE b.id = 1",
		    "");
	if (rc == DB_NOT_FOUND)
		return;
	if (rc == DB_OK && strcmp(r.v[0], "running"))
		return; /* paused or done: a resume marks the row again */
	int64_t waiting = rc == DB_OK ? db_int(&r, 1) : 0;
	struct pass x = {0};
	if (rc == DB_OK && waiting >= LOW_WATER) {
		later(&items[0], WAIT_MS);
		return;
	}
	if (rc == DB_OK)
		rc = db_transaction(w->db, pass_txn, &x);
	if (rc != DB_OK) {
		items[0].result = LI_ITEM_RETRY;
		snprintf(items[0].error, sizeof(items[0].error),
			 "the database failed: %s", db_error(w->db));
		return;
	}
	if (x.marked) {
		later(&items[0], PACE_MS);
		return;
	}
	/* all marked: done once the last of them is sent */
	if (waiting) {
		later(&items[0], WAIT_MS);
		return;
	}
	if (db_exec(w->db, NULL,
		    "UPDATE linkedin_backfill SET state = 'done', finished_at "
		    "= NOW(3), active_ms = active_ms + TIMESTAMPDIFF("
		    "MICROSECOND, resumed_at, NOW(3)) DIV 1000 WHERE id = 1 "
		    "AND state = 'running'",
		    "") != DB_OK) {
		items[0].result = LI_ITEM_RETRY;
		snprintf(items[0].error, sizeof(items[0].error),
			 "the database failed: %s", db_error(w->db));
		return;
	}
	log_info("linkedin: the In ATS full sync is done");
}
