/*
 * talent_pool.h - the LinkedIn talent pool's intake (F13): an InMail stub
 * profile LinkedIn made when a member replied to an InMail and agreed to
 * share their contact details (mailStubs; src/linkedin/stubs.c reads them)
 * becomes a candidate of the system LinkedIn pool.
 *
 * Functions return DB_OK or a negative db_status; results arena-owned.
 */
#ifndef HIRELINK_ATS_TALENT_POOL_H
#define HIRELINK_ATS_TALENT_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "ats/ats.h"

/* The source of a candidate the intake created, and of its membership. */
#define ATS_STUB_SOURCE "LinkedIn InMail reply"
#define ATS_STUB_ID_MAX 100 /* bytes of LinkedIn's stub id */

/* A stub as LinkedIn sent it (strings "" when absent; checked and cut to
 * the candidate's bounds here). */
struct ats_stub {
	const char *stub_id;   /* LinkedIn's id, 1-100 printable bytes */
	const char *seat_urn;  /* the owner seat, urn:li:seat:N */
	const char *member_id; /* the ID of urn:li:person:ID */
	const char *first_name, *last_name;
	const char *email; /* only when the member shared it */
	int64_t created_ms;
};

/* What the intake did with a stub. */
enum ats_stub_outcome {
	ATS_STUB_CREATED,      /* a new candidate */
	ATS_STUB_MATCHED,      /* an existing candidate, by member or email */
	ATS_STUB_SEEN,	       /* applied before (or erased): nothing done */
	ATS_STUB_UNUSABLE,     /* kept with the reason, no candidate */
};

/*
 * Applies stub s in ONE transaction: the candidate is the one linked to
 * s's member, else the one with s's email (then linked to the member when
 * it has none), else a new one (first and last name, the email only when
 * shared, the member linked; source ATS_STUB_SOURCE); it is put into the
 * system LinkedIn pool (source ATS_STUB_SOURCE) and the stub is recorded
 * (li_mail_stubs) by its id, audited "pool.linkedin_stub" (no names).  A
 * stub applied before (even by a worker racing this one) changes nothing:
 * ATS_STUB_SEEN, unless the member shared their email only since (a
 * stub LinkedIn updated): then the email reaches the stub's row and the
 * candidate when it has none (ATS_STUB_MATCHED); or unless the member
 * withdrew the email shared before (the stub has none now): then it leaves
 * the stub's row and, when the candidate got it from the stub and it was
 * not edited since, the candidate (audited; ATS_STUB_MATCHED).  A stub
 * hirelink cannot
 * keep (no usable id or first
 * name, no member) is recorded with the reason: ATS_STUB_UNUSABLE.
 * *candidate_id (may be NULL) gets the candidate, 0 when none.
 */
int ats_stub_apply(struct db *db, struct arena *a, const struct ats_stub *s,
		   enum ats_stub_outcome *outcome, int64_t *candidate_id);

#endif
