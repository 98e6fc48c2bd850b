/*
 * talent_pool.c - an InMail stub profile made a candidate of the system
 * LinkedIn pool (talent_pool.h).
 *
 * Idempotence: the stub's row (li_mail_stubs, unique on LinkedIn's id) is
 * inserted FIRST in the transaction.  A second worker applying the same
 * stub at the same time waits on that unique key until the first commits
 * and then gets a duplicate: it rolls back and reports the stub as seen.
 * So the same stub twice, whatever the timing, makes one candidate and
 * one membership; a stub whose candidate was deleted or erased keeps its
 * row (erased, without its fields) and is never applied again.
 */
#include <string.h>

#include "ats/candidate_links.h"
#include "ats/candidates.h"
#include "ats/check.h"
#include "ats/outbox.h"
#include "ats/pools.h"
#include "ats/talent_pool.h"

struct stub_txn {
	const struct ats_stub *s;
	/* out, afresh on each run */
	enum ats_stub_outcome outcome;
	int64_t candidate_id;
};

static bool stub_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > ATS_STUB_ID_MAX)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

/* Records the stub as unusable, with why. */
static int unusable(struct db *db, struct stub_txn *x, const char *why)
{
	x->outcome = ATS_STUB_UNUSABLE;
	return db_exec(db, NULL,
		       "UPDATE li_mail_stubs SET reason = ? WHERE stub_id = ?",
		       "ss", why, x->s->stub_id);
}

/*
 * The member withdrew the email they had shared (the stub read again has
 * none): the stub's row forgets it and, when the candidate got it from
 * the stub (email_applied) and it is still that address (not edited
 * since), so does the candidate: audited, and LinkedIn's In ATS told
 * through the outbox.  An address the candidate had of its own, or one a
 * user typed since, stays.
 */
static int withdrawn(struct db *db, struct arena *a, struct stub_txn *x)
{
	struct db_row row;
	int rc = db_query_row(db, a, &row,
			      "SELECT COALESCE(candidate_id, 0), email, "
			      "email_applied FROM li_mail_stubs WHERE stub_id "
			      "= ? AND erased = 0 AND email IS NOT NULL FOR "
			      "UPDATE",
			      "s", x->s->stub_id);
	if (rc == DB_NOT_FOUND)
		return DB_OK;
	if (rc != DB_OK)
		return rc;
	int64_t id = db_int(&row, 0);
	const char *had = row.v[1];
	bool applied = db_int(&row, 2) == 1;
	rc = db_exec(db, NULL,
		     "UPDATE li_mail_stubs SET email = NULL, email_applied = 0 "
		     "WHERE stub_id = ?",
		     "s", x->s->stub_id);
	if (rc != DB_OK || !id || !applied)
		return rc;
	uint64_t changed = 0;
	rc = db_exec(db, &changed,
		     "UPDATE candidates SET email = NULL WHERE id = ? AND email "
		     "= LOWER(?)",
		     "is", id, had);
	if (rc == DB_OK && changed)
		rc = ats_outbox_mark(db, ATS_OUTBOX_CANDIDATE, (uint64_t)id);
	if (rc == DB_OK)
		rc = ats_audit(
		    db, 0, "pool.linkedin_stub", "candidate", id,
		    arena_printf(a,
				 changed ? "stub %s: email withdrawn by the "
					   "member, removed from the candidate"
					 : "stub %s: email withdrawn by the "
					   "member, the candidate's (edited "
					   "since) kept",
				 x->s->stub_id),
		    "");
	if (rc == DB_OK && changed) {
		x->outcome = ATS_STUB_MATCHED;
		x->candidate_id = id;
	}
	return rc;
}

/*
 * A stub applied before, read again.  LinkedIn keeps one stub per seat and
 * member and updates it when the member replies again: an email shared
 * only now reaches the stub's row and, when the candidate has none and no
 * other candidate holds it, the candidate (audited, and LinkedIn's In ATS
 * told through the outbox); an email withdrawn leaves both (withdrawn()).
 * Anything else about it changes nothing.
 */
static int shared_later(struct db *db, struct arena *a, struct stub_txn *x,
			const char *email)
{
	struct db_row row;
	if (!*email)
		return withdrawn(db, a, x);
	int rc = db_query_row(db, a, &row,
			      "SELECT COALESCE(candidate_id, 0) FROM "
			      "li_mail_stubs WHERE stub_id = ? AND erased = 0 "
			      "AND email IS NULL FOR UPDATE",
			      "s", x->s->stub_id);
	if (rc == DB_NOT_FOUND)
		return DB_OK;
	if (rc != DB_OK)
		return rc;
	int64_t id = db_int(&row, 0);
	rc = db_exec(db, NULL,
		     "UPDATE li_mail_stubs SET email = ? WHERE stub_id = ?",
		     "ss", email, x->s->stub_id);
	if (rc != DB_OK || !id || !ats_candidate_email_valid(email))
		return rc;
	rc = db_query_row(db, a, &row,
			  "SELECT 1 FROM candidates WHERE email = ? LIMIT 1",
			  "s", email);
	if (rc != DB_NOT_FOUND)
		return rc; /* another candidate's, or an error */
	uint64_t changed = 0;
	rc = db_exec(db, &changed,
		     "UPDATE candidates SET email = LOWER(?) WHERE id = ? AND "
		     "email IS NULL",
		     "si", email, id);
	if (rc == DB_OK && changed)
		rc = db_exec(db, NULL,
			     "UPDATE li_mail_stubs SET email_applied = 1 WHERE "
			     "stub_id = ?",
			     "s", x->s->stub_id);
	if (rc == DB_OK && changed)
		rc = ats_outbox_mark(db, ATS_OUTBOX_CANDIDATE, (uint64_t)id);
	if (rc == DB_OK && changed)
		rc = ats_audit(db, 0, "pool.linkedin_stub", "candidate", id,
			       arena_printf(a, "stub %s: email shared",
					    x->s->stub_id),
			       "");
	if (rc == DB_OK && changed) {
		x->outcome = ATS_STUB_MATCHED;
		x->candidate_id = id;
	}
	return rc;
}

static int stub_txn(struct db *db, struct arena *a, void *arg)
{
	struct stub_txn *x = arg;
	const struct ats_stub *s = x->s;
	struct db_row row;
	x->outcome = ATS_STUB_SEEN;
	x->candidate_id = 0;

	const char *first = ats_line_cut(a, s->first_name, CANDIDATE_NAME_MAX);
	const char *last = ats_line_cut(a, s->last_name, CANDIDATE_NAME_MAX);
	const char *email = ats_line_cut(a, s->email, CANDIDATE_EMAIL_MAX);
	const char *seat = ats_line_cut(a, s->seat_urn, 150);
	const char *member =
	    ats_li_member_id_valid(s->member_id) ? s->member_id : "";
	if (!first || !last || !email || !seat)
		return DB_ERROR;

	/* the stub's row first: the lock a racing twin waits on */
	int rc = db_exec(db, NULL,
			 "INSERT INTO li_mail_stubs (stub_id, seat_urn, "
			 "member_id, first_name, last_name, email, created_ms) "
			 "VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), ?)",
			 "ssssssi", s->stub_id, seat, member, first, last,
			 email, s->created_ms);
	if (rc == DB_DUPLICATE)
		return shared_later(db, a, x, email); /* seen */
	if (rc != DB_OK)
		return rc;
	if (!*member)
		return unusable(db, x, "the stub names no LinkedIn member");
	if (!*first)
		return unusable(db, x, "the stub has no first name");

	/* the candidate: by member, else by email, else new */
	const char *matched = "member";
	int64_t id = 0;
	rc = db_query_row(db, a, &row,
			  "SELECT id FROM candidates WHERE linkedin_member_id "
			  "= ? FOR UPDATE",
			  "s", member);
	if (rc == DB_OK)
		id = db_int(&row, 0);
	if (rc == DB_NOT_FOUND && *email) {
		matched = "email";
		rc = db_query_row(db, a, &row,
				  "SELECT id, linkedin_member_id IS NULL FROM "
				  "candidates WHERE email = ? FOR UPDATE",
				  "s", email);
		if (rc == DB_OK) {
			id = db_int(&row, 0);
			if (db_int(&row, 1) == 1)
				rc = ats_candidate_link_member_in(
				    db, 0, id, member, "");
		}
	}
	if (rc == DB_NOT_FOUND) {
		matched = "created";
		struct candidate_input in = {
		    .first_name = first,
		    .last_name = last,
		    .email = email,
		    .source = ATS_STUB_SOURCE,
		    .linkedin_member_id = member,
		};
		struct ats_error err = {0};
		int64_t existing = 0;
		rc = ats_candidate_create_in(db, a, 0, &in, "", &id, &existing,
					     &err);
		if (rc == ATS_INVALID && err.field &&
		    !strcmp(err.field, "email")) {
			/* an address hirelink does not take: without it */
			in.email = "";
			rc = ats_candidate_create_in(db, a, 0, &in, "", &id,
						     &existing, &err);
		}
		if (rc == ATS_INVALID)
			return unusable(
			    db, x,
			    arena_printf(a, "the stub's %s %s",
					 err.field ? err.field : "data",
					 err.message ? err.message
						     : "is not valid"));
	}
	if (rc != DB_OK)
		return rc;

	rc = ats_pool_linkedin_add(db, id);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE pool_members pm JOIN talent_pools p ON "
			     "p.id = pm.pool_id SET pm.source = ? WHERE p.kind "
			     "= 'linkedin' AND pm.candidate_id = ? AND "
			     "pm.source = ''",
			     "si", ATS_STUB_SOURCE, id);
	/* the email the candidate got from the stub, if any (a candidate
	 * created with it): removed if the member withdraws it */
	bool applied = false;
	if (rc == DB_OK && !strcmp(matched, "created") && *email) {
		rc = db_query_row(db, a, &row,
				  "SELECT email = LOWER(?) FROM candidates "
				  "WHERE id = ?",
				  "si", email, id);
		applied = rc == DB_OK && db_int(&row, 0) == 1;
	}
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE li_mail_stubs SET candidate_id = ?, "
			     "matched = ?, email_applied = ? WHERE stub_id = ?",
			     "isis", id, matched, (int64_t)applied, s->stub_id);
	if (rc == DB_OK)
		rc = ats_audit(db, 0, "pool.linkedin_stub", "candidate", id,
			       arena_printf(a, "stub %s of %s (%s)", s->stub_id,
					    seat, matched),
			       "");
	if (rc == DB_OK) {
		x->outcome = strcmp(matched, "created") ? ATS_STUB_MATCHED
							: ATS_STUB_CREATED;
		x->candidate_id = id;
	}
	return rc;
}

int ats_stub_apply(struct db *db, struct arena *a, const struct ats_stub *s,
		   enum ats_stub_outcome *outcome, int64_t *candidate_id)
{
	(void)a;
	struct stub_txn x = {s, ATS_STUB_SEEN, 0};
	*outcome = ATS_STUB_SEEN;
	if (candidate_id)
		*candidate_id = 0;
	if (!stub_id_ok(s->stub_id)) {
		*outcome = ATS_STUB_UNUSABLE;
		return DB_OK; /* nothing to record it by */
	}
	int rc = db_transaction(db, stub_txn, &x);
	/* another stub of the same member made its candidate meanwhile (the
	 * member's or the email's unique key): this run now matches it */
	if (rc == DB_DUPLICATE)
		rc = db_transaction(db, stub_txn, &x);
	if (rc != DB_OK)
		return rc;
	*outcome = x.outcome;
	if (candidate_id)
		*candidate_id = x.candidate_id;
	return DB_OK;
}
