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
void li_send_candidates_sync(struct li_worker *w, struct li_outbox_item *items,
			     size_t n);

#endif
