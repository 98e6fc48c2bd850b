/*
 * answers.h - LinkedIn's answers as hirelink reads them: one reader per
 * answer (or element of one) that the client takes, from the parsed JSON
 * to a struct, with every check of its shape.  No I/O and no database: the
 * family files (oauth.c, members.c, candidates.c, activities.c, jobs.c,
 * notifications.c) call LinkedIn, then read with these, and
 * tests/fuzz/fuzz_li_answers.c throws arbitrary JSON at every one of them.
 *
 * Every reader returns LI_OK, or LI_ERR_PROTOCOL (LI_ERR_INTERNAL out of
 * memory) with err saying what was wrong; on an error its out struct may
 * be half filled and must not be used.  Strings are borrowed from the
 * JSON (valid while it is) unless said to be arena-owned.
 */
#ifndef HIRELINK_LI_ANSWERS_H
#define HIRELINK_LI_ANSWERS_H

#include "linkedin/linkedin.h"

/* POST accessToken's answer: {"access_token": s, "expires_in": n|"n",
 * "refresh_token"?: s, "refresh_token_expires_in"?: n|"n", "scope"?: s};
 * expiries from now_ms (epoch ms). */
int li_token_read(json_t *answer, int64_t now_ms, struct li_tokens *t,
		  struct li_error *err);

/* Who a member is: /v2/userinfo ("sub", "given_name", "family_name") or
 * /v2/me ("id", "localizedFirstName", "localizedLastName"). */
struct li_member_answer {
	const char *label; /* "/v2/me", for messages */
	const char *id, *first, *last;
};
/* Into m (urn arena-owned; seat_type "none"); an id of 1-64 characters. */
int li_member_read(struct arena *a, json_t *answer,
		   const struct li_member_answer *shape, struct li_member *m,
		   struct li_error *err);

/* An element of the seats answer (/v2/seats): who holds which seat. */
struct li_seat {
	const char *seat;   /* urn:li:seat:N (arena-owned when made of "id") */
	const char *member; /* urn:li:person:ID */
	const char *first, *last; /* "" when none */
	const char *type;	  /* "recruiter", "hiring_manager", "none" */
};
int li_seat_read(struct arena *a, json_t *el, struct li_seat *out,
		 struct li_error *err);

/* The memberMatches answer ({"elements": [...], "paging"?: {"total"}}):
 * the elements naming a member member_ok accepts (li_member_id_of of
 * their "member"), the others skipped with a warning; out->v
 * arena-owned. */
struct li_matches;
int li_matches_read(struct arena *a, json_t *answer,
		    bool (*member_ok)(const char *member_id),
		    struct li_matches *out, struct li_error *err);

/* An element of conversationEvents: an InMail event (its eventContent,
 * the mail's subject and body, is never read). */
struct li_event {
	const char *id;		  /* arena-owned, at most 100 bytes */
	const char *conversation; /* at most 150 bytes */
	const char *member;	  /* the prospect's member ID, 1-64 bytes */
	bool inbound;		  /* INBOUND, else OUTBOUND */
	int64_t created;	  /* epoch ms */
};
int li_event_read(struct arena *a, json_t *el, struct li_event *out,
		  struct li_error *err);

/* An element of prospectNotes: a Recruiter note. */
struct li_note {
	const char *id;	    /* arena-owned, at most 100 bytes */
	const char *owner;  /* the owner's seat URN, at most 150 bytes */
	const char *member; /* the prospect's member ID, 1-64 bytes */
	const char *note;   /* "" when none */
	bool is_public;	    /* PUBLIC, else PRIVATE */
	bool active;	    /* false: deleted at LinkedIn */
	int64_t created, modified; /* epoch ms */
};
int li_note_read(struct arena *a, json_t *el, struct li_note *out,
		 struct li_error *err);

/* The element of exportedCandidates?q=request, for organization_urn only
 * (another's is LI_ERR_PROTOCOL). */
int li_exported_read(json_t *el, const char *organization_urn,
		     struct li_exported *out, struct li_error *err);

/* An element of atsIntegrations?q=request (INTEGRATION_STATUS_CHANGE),
 * for organization_urn only; type and status "" when absent. */
int li_integration_event_read(json_t *el, const char *organization_urn,
			      const char **type, const char **status,
			      struct li_error *err);

/* The answer of a simpleJobPostings batch_create: {"elements": [{"status",
 * "id"} or {"status", "error"}]}, one per posting in order, into
 * p[i].outcome and p[i].task_id. */
int li_job_postings_created_read(json_t *answer, struct li_job_posting *p,
				 size_t n, struct li_error *err);

#endif
