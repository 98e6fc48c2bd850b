/*
 * closed.h - closed profiles (issue 16, data protection): LinkedIn
 * requires an ATS to check at least every 30 days which of the members it
 * holds data of closed their LinkedIn account, and to erase what it holds
 * from LinkedIn about them.  LinkedIn's endpoint is not public: hirelink
 * and the sandbox agree on GET /v2/closedCandidateProfiles (CONTRACT-16
 * §4, a hirelink convention).
 *
 * The worker runs the check ("li_closed_check", entity 1) every
 * linkedin_closed_check_days, or at once when an admin asks
 * (/admin/linkedin/closed); it stores the members LinkedIn lists
 * (li_closed_profiles) with the candidate each concerns.  The erase is an
 * admin's (ats_candidate_erase_linkedin, src/ats/erase.h).
 */
#ifndef HIRELINK_LI_CLOSED_H
#define HIRELINK_LI_CLOSED_H

#include <stdbool.h>
#include <stdint.h>

#include "linkedin/linkedin.h"
#include "linkedin/worker.h"

#define LI_OUTBOX_CLOSED_CHECK "li_closed_check" /* entity: 1 */
#define LI_CLOSED_ENTITY 1

/* The sender (worker.c's table). */
void li_send_closed_checks(struct li_worker *w, struct li_outbox_item *items,
			   size_t n);
/* The worker loop's periodic task: marks the check when the last one
 * ended more than linkedin_closed_check_days ago.  DB status. */
int li_closed_schedule(struct li_worker *w);
/* An admin's Check now.  DB status. */
int li_closed_ask(struct db *db);

/* The check's state and the members found, for /admin/linkedin/closed. */
struct li_closed_row {
	int64_t id;
	const char *member_id;
	const char *closed_at; /* "YYYY-MM-DD HH:MM" (UTC) */
	int64_t candidate_id;  /* 0: no candidate of ours any more */
	const char *candidate_name;
	bool linkedin_data; /* the candidate still holds LinkedIn data */
	const char *erased_at; /* "" when not erased */
	const char *erased_by;
};

struct li_closed_state {
	const char *checked_at; /* "" never */
	const char *error;	/* "" none */
	bool pending;		/* a check waits for the worker */
	struct li_closed_row *v;
	size_t n;
	int64_t total;	  /* members found, over every page */
	int64_t to_erase; /* of them, candidates still holding LinkedIn data */
};

/* Arena-owned; the members found, those not erased first and then newest
 * first, limit of them from offset (a page), and the totals. */
int li_closed_state(struct db *db, struct arena *a, int64_t offset,
		    int64_t limit, struct li_closed_state *out);

#endif
