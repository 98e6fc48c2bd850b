/*
 * candidate_links.h - which LinkedIn member a candidate is (F8, the
 * LinkedIn tab): the link users make and undo (Link / Unlink), and what
 * LinkedIn's match query last answered, kept in linkedin_candidates
 * (sql/130_linkedin_candidates.sql) so that the tab renders at once.
 *
 * The link is candidates.linkedin_member_id (one candidate per member; an
 * export sets it too).  A link or unlink is one transaction: the candidate,
 * its linkedin_candidates row, the audit entry and two outbox marks, one
 * that sends the choice to LinkedIn as manualMatchedMember
 * (ATS_OUTBOX_CANDIDATE_LINK) and one that asks LinkedIn's matches again
 * (ATS_OUTBOX_CANDIDATE_MATCH).  The worker's senders are
 * src/linkedin/candidates.c's; what they learn comes back through
 * ats_li_match_store and ats_li_link_sent.
 *
 * Functions return DB_OK or a negative db_status; results are
 * arena-owned.
 */
#ifndef HIRELINK_CANDIDATE_LINKS_H
#define HIRELINK_CANDIDATE_LINKS_H

#include <stdbool.h>
#include <stdint.h>

#include "ats/ats.h"

/* A LinkedIn member id as hirelink keeps it: 1 to 64 letters, digits, '-'
 * and '_' (urn:li:person:<id>). */
#define ATS_LI_MEMBER_MAX 64
bool ats_li_member_id_valid(const char *id);

/*
 * Links candidate_id to member_id (valid, checked by the caller) as
 * actor_id's choice: the member becomes the candidate's, replacing any
 * other, marked manual; audited "candidate.linkedin_link" (detail: the
 * member, and the one it replaced); LinkedIn told and asked again through
 * the outbox.  DB_NOT_FOUND when there is no such candidate; DB_DUPLICATE
 * with *holder_id when another candidate has the member (nothing
 * written).  Linking the member already linked records the choice again.
 */
int ats_li_link(struct db *db, int64_t actor_id, int64_t candidate_id,
		const char *member_id, const char *remote_addr,
		int64_t *holder_id);

/*
 * Unlinks the candidate's member (member_id NULL: whichever it is; else
 * only that one): the candidate has no member any more, and the tab falls
 * back to the matching rules; audited "candidate.linkedin_unlink" (detail:
 * the member); LinkedIn told and asked again.  DB_NOT_FOUND when there is
 * no such candidate or it has no member; DB_DUPLICATE when it is linked to
 * another member than member_id (nothing written).
 */
int ats_li_unlink(struct db *db, int64_t actor_id, int64_t candidate_id,
		  const char *member_id, const char *remote_addr);

/* Asks the worker for LinkedIn's matches of the candidate again (an
 * ATS_OUTBOX_CANDIDATE_MATCH mark; a dead one comes back to life). */
int ats_li_match_request(struct db *db, int64_t candidate_id);

/* Someone opens the candidate's LinkedIn tab: the worker keeps its match
 * answer fresh for a while (li_match_refresh_schedule).  The tab calls it
 * only when ats_li_state's viewed_age_s is -1 or over a minute. */
int ats_li_viewed(struct db *db, int64_t candidate_id);

/* What the LinkedIn tab shows, as stored. */
struct ats_li_state {
	bool link_manual;	 /* a user chose the candidate's member */
	const char *link_by;	 /* who last linked or unlinked, NULL none */
	const char *link_at;	 /* when, "YYYY-MM-DD HH:MM" (UTC), NULL */
	const char *sent_member; /* LinkedIn's manualMatchedMember, NULL */
	/* the match query's last answer; match_age_s -1 when none */
	const char *match_key; /* NULL when none */
	int match_rule;	       /* 1, 2, 3; 0 none */
	const char *match_member;
	const char *match_elements; /* JSON array text, NULL none */
	int64_t match_total;
	int64_t match_age_s;
	/* the match query waiting in the outbox */
	bool match_queued;	  /* pending */
	bool match_due;		  /* pending and due now */
	bool match_dead;	  /* given up: match_error says why */
	int match_attempts;	  /* failed tries so far */
	const char *match_error;  /* the last failure, NULL none */
	int64_t match_retry_in_s; /* seconds until the next try */
	/* seconds since someone last opened the tab (ats_li_viewed), -1
	 * never */
	int64_t viewed_age_s;
	/* the link or unlink on its way to LinkedIn */
	bool link_queued, link_dead;
	const char *link_error;
	/* the viewer's LinkedIn connection: one that needs no reconnect and
	 * holds an access token, and the seat LinkedIn reported on it (""
	 * when none) */
	bool viewer_connected;
	const char *viewer_seat_type;
	/* the candidate's revision (candidate_revisions), read with the
	 * rest: the page's head kept under it costs no statement
	 * (ats_candidate_view_at); has_revision false when it has none */
	bool has_revision;
	uint64_t revision;
};
/* The tab's state for candidate_id seen by user viewer_id, in one
 * statement; arena-owned.  DB status. */
/* What the LinkedIn tab of candidate_id seen by viewer_id is at, read
 * before its state (fragcache.c): the candidate's revision, a tag of the
 * viewer's and of the tab's two outbox rows, the database's
 * UNIX_TIMESTAMP().  Primary-key reads only.  DB_NOT_FOUND: no candidate
 * revision; DB status. */
int ats_li_tab_tag(struct db *db, struct arena *a, int64_t candidate_id,
		   int64_t viewer_id, uint64_t *revision, const char **tag,
		   int64_t *now);
int ats_li_state(struct db *db, struct arena *a, int64_t candidate_id,
		 int64_t viewer_id, struct ats_li_state *out);

/* The worker: LinkedIn's answer to the match query asked with key (rule,
 * member for rule 1, elements as JSON text, total) for the candidate. */
int ats_li_match_store(struct db *db, int64_t candidate_id, const char *key,
		       int rule, const char *member_id, const char *elements,
		       int64_t total);
/* The worker: LinkedIn holds member_id (NULL: nothing) as the candidate's
 * manualMatchedMember now. */
int ats_li_link_sent(struct db *db, int64_t candidate_id,
		     const char *member_id);

#endif
