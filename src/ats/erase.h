/*
 * erase.h - the data-protection duties (issue 16): deleting a candidate
 * for good (an admin's, with a reason), and erasing what hirelink holds
 * from LinkedIn about a candidate whose member closed their LinkedIn
 * account (LinkedIn's closed-profiles duty; src/linkedin/closed.c finds
 * them).
 *
 * Functions return DB_OK or a negative db_status (DB_NOT_FOUND, ...), or
 * ATS_INVALID with the field and a message fit for the user in err (may
 * be NULL).  Each runs its own transaction (db_transaction).
 */
#ifndef HIRELINK_ATS_ERASE_H
#define HIRELINK_ATS_ERASE_H

#include <stdbool.h>
#include <stdint.h>

#include "ats/ats.h"

#define CANDIDATE_DELETE_REASON_MAX 500 /* characters */

/* What a delete did, for the page and the tests. */
struct ats_delete_result {
	int64_t applications; /* tombstones written */
	int64_t files_removed; /* attachment files unlinked from data_dir */
};

/*
 * Deletes candidate id for good, in one transaction: an anonymised
 * tombstone (candidate_tombstones, and application_tombstones for each
 * application: job, stage reached, status, rejection reason key; no name,
 * email, phone or text) for job statistics; then the applications (with
 * their history and feedback), notes, attachments, pool memberships,
 * LinkedIn match answers, stub profile fields and the member's Recruiting
 * activities; the job stages' counters recounted; the audit details that
 * could name the candidate (the create's name, an attachment's file name)
 * cleared; the In ATS tombstone marked (ATS_OUTBOX_CANDIDATE, deleted at
 * LinkedIn by the worker); audited "candidate.delete" with the reason
 * (the candidate's names, email and phone cut out of it), never the name.
 * After the commit, the attachment files no other attachment shares are
 * unlinked from data_dir.
 *
 * reason: required, one line of 1-CANDIDATE_DELETE_REASON_MAX characters
 * (ATS_INVALID "reason").  DB_NOT_FOUND when there is no such candidate.
 * res may be NULL.
 */
int ats_candidate_delete(struct db *db, struct arena *a, int64_t actor_id,
			 int64_t id, const char *reason, const char *data_dir,
			 const char *remote_addr, struct ats_delete_result *res,
			 struct ats_error *err);

/*
 * Erases candidate id's LinkedIn-derived data in one transaction: its
 * member id (the link), the profile fields LinkedIn filled (LinkedIn URL,
 * headline, current title and company), its LinkedIn match answers, its
 * stub profiles' fields, and the member's Recruiting activities (InMail
 * activity, Recruiter notes).  The closed-profile rows of the candidate or
 * member are marked erased; LinkedIn is told (the link's removal and the
 * candidate's new state through the outbox).  Audited
 * "candidate.linkedin_erase".  DB_NOT_FOUND when there is no such
 * candidate.  The candidate's own record (names, email, applications)
 * stays.
 */
int ats_candidate_erase_linkedin(struct db *db, int64_t actor_id, int64_t id,
				 const char *remote_addr);

#endif
