/*
 * sync_hold.c - In ATS rows kept while the integration is off, released a
 * chunk at a time once it is on again (sync.h; worker.c's periodic
 * "in ats hold").
 *
 * While the integration is off the worker claims no In ATS row
 * (worker.c's hold_while_off): every change made meanwhile stays in the
 * outbox, exact, deletions included.  Left due, that backlog would go
 * first when the integration is enabled again (claims take the oldest due
 * first) and every change users make then would wait behind it, for an
 * hour with a large backlog.  So, while off, the candidate rows are parked
 * (next_attempt_at = PARKED, far in the future: never due, and an idle
 * worker's pass finds nothing to claim), a chunk a run; once on, they are
 * released CHUNK at a time, oldest first, whenever fewer than LOW_WATER
 * candidate rows are due: the backlog drains at the sender's own pace
 * (LinkedIn's throttle), and a fresh change goes out at once.  A writer's
 * mark of a parked row makes it due now (ats_outbox_mark), so a candidate
 * changed again after the enable never waits for the backlog.
 */
#include "ats/outbox.h"
#include "linkedin/li_internal.h"
#include "linkedin/sync.h"

#define PARKED	  "2100-01-01 00:00:00"
#define PARK_MAX  1000 /* rows parked a statement */
#define CHUNK	  100  /* rows released a run */
#define LOW_WATER 100  /* due candidate rows, at most, before a release */

int li_sync_hold_schedule(struct li_worker *w)
{
	struct li_settings s;
	struct db_row r;
	uint64_t n = 0;
	int rc = li_settings_load(w->db, w->arena, w->cfg, &s);
	if (rc != DB_OK)
		return rc;
	bool off = !w->li || !li_settings_ready(&s) || !*s.organization_urn;
	if (off) {
		/* a few statements a run at most: the rest at the next */
		for (int i = 0; i < 10; i++) {
			rc = db_exec(w->db, &n,
				     "UPDATE outbox SET next_attempt_at = '" PARKED
				     "' WHERE state = 'pending' AND kind = ? AND "
				     "next_attempt_at < '" PARKED "' AND "
				     "(leased_until IS NULL OR leased_until <= "
				     "NOW(3)) LIMIT ?",
				     "si", ATS_OUTBOX_CANDIDATE,
				     (int64_t)PARK_MAX);
			if (rc != DB_OK || n < PARK_MAX)
				break;
		}
		if (rc == DB_OK && n)
			log_info("linkedin: In ATS off: changes kept for when "
				 "it is on again");
		return rc;
	}
	rc = db_query_row(w->db, w->arena, &r,
			  "SELECT (SELECT COUNT(*) FROM outbox WHERE state = "
			  "'pending' AND kind = ? AND next_attempt_at <= "
			  "NOW(3)), EXISTS (SELECT 1 FROM outbox WHERE state = "
			  "'pending' AND kind = ? AND next_attempt_at >= '" PARKED
			  "')",
			  "ss", ATS_OUTBOX_CANDIDATE, ATS_OUTBOX_CANDIDATE);
	if (rc != DB_OK || !db_int(&r, 1) || db_int(&r, 0) >= LOW_WATER)
		return rc;
	rc = db_exec(w->db, &n,
		     "UPDATE outbox SET next_attempt_at = NOW(3) WHERE state = "
		     "'pending' AND kind = ? AND next_attempt_at >= '" PARKED
		     "' ORDER BY next_attempt_at, id LIMIT ?",
		     "si", ATS_OUTBOX_CANDIDATE, (int64_t)CHUNK);
	if (rc == DB_OK && n)
		log_info("linkedin: In ATS on again: %llu changes kept while "
			 "off released",
			 (unsigned long long)n);
	return rc;
}
