/*
 * candidates.h - atsCandidates for the candidate's LinkedIn tab (F8):
 * the match query that stores nothing at LinkedIn (CONTRACT-15 §2.1,
 * hirelink convention) and manualMatchedMember, and the worker's senders
 * that run them from the outbox (src/ats/candidate_links.h says what is
 * kept).  Sync Candidates itself (the PUT of a candidate past Prospect)
 * is another issue's.
 */
#ifndef HIRELINK_LI_CANDIDATES_H
#define HIRELINK_LI_CANDIDATES_H

#include "ats/candidates.h"
#include "linkedin/linkedin.h"
#include "linkedin/worker.h"

/* A candidate's atsCandidateId: "<instance id>-C-<id>" (CONTRACT-14 §3),
 * arena-owned. */
const char *li_ats_candidate_id(struct arena *a, const char *instance_id,
				int64_t candidate_id);

/*
 * The match query's parameters for candidate k in organization org
 * (integrationContext, then whatever k has of first and last name, email,
 * phone, LinkedIn URL, current company and title, and its member as
 * member=urn:li:person:ID), without paging; arena-owned, NULL when out of
 * memory.  "" when k has nothing LinkedIn could match on (a first name
 * alone): then the answer is rule 3 without asking.
 */
const char *li_match_params(struct arena *a, const char *org,
			    const struct candidate *k);
/* The key a stored answer is kept under: SHA-256 (64 hex digits) of
 * params; arena-owned.  A candidate whose key changed has a stale
 * answer. */
const char *li_match_key(struct arena *a, const char *params);

/* One possible member, as the match query answers it (strings borrowed
 * from the answer). */
struct li_match {
	const char *member_id; /* the ID of urn:li:person:ID */
	const char *first_name, *last_name, *headline, *location;
	const char *public_profile_url; /* "" when none */
	bool email_matched, member_matched;
	json_t *matched_on; /* array of strings, borrowed; may be NULL */
};

struct li_matches {
	struct li_match *v; /* arena-owned */
	size_t n;
	int64_t total;
};

/*
 * GET /v2/atsCandidates?q=memberMatches&<params>&start=0&count=10 with
 * the application token: the members k may be, strongest first.  Nothing
 * is stored at LinkedIn.  LI_OK, or the error (LI_ERR_PROTOCOL for an
 * answer of another shape).
 */
int li_member_matches(struct li_client *li, struct db *db, struct arena *a,
		      const struct li_settings *s, const char *params,
		      struct li_matches *out, struct li_error *err);

/* The matching rules of the seed (F8): 1 when the element of the
 * candidate's member (member_id, "" none) matched the email too; 2 when
 * there are possible members; 3 when none. */
int li_match_rule(const struct li_matches *m, const char *member_id);

/* A periodic task of the worker loop (every 10 s): marks for the match
 * query (ATS_OUTBOX_CANDIDATE_MATCH) the candidates whose LinkedIn tab
 * was opened in the last hour (ats_li_viewed) and whose answer is older
 * than linkedin_match_max_age_seconds, at most a sixth of
 * linkedin_match_refresh_per_minute a pass, the most recently viewed
 * first; none waiting in the outbox already or given up on (dead).  Only
 * when the integration is on.  DB_OK, or the database's failure. */
int li_match_refresh_schedule(struct li_worker *w);

/* Worker senders (worker.c's table). */
/* ATS_OUTBOX_CANDIDATE_MATCH: asks the match query for each candidate and
 * stores the answer (ats_li_match_store); one call each. */
void li_send_candidate_matches(struct li_worker *w,
			       struct li_outbox_item *items, size_t n);
/* ATS_OUTBOX_CANDIDATE_LINK: the member each candidate's user linked, as
 * manualMatchedMember ($set), or its removal ($delete) after an unlink;
 * up to 100 in one batch_partial_update. */
void li_send_candidate_links(struct li_worker *w, struct li_outbox_item *items,
			     size_t n);

#endif
