/*
 * candidate_links.c - the candidate's LinkedIn member (candidate_links.h):
 * Link and Unlink, each one transaction with its audit entry and its
 * outbox marks, and what the LinkedIn tab reads of it and of LinkedIn's
 * last match answer.
 *
 * Why the candidate's row is locked first: two users linking one
 * candidate to two members at once must end with one of them, each
 * audited in the order they happened; and the unique key on
 * candidates.linkedin_member_id decides between two candidates racing for
 * one member (the loser gets DB_DUPLICATE, and is told who holds it).
 */
#include <string.h>

#include "ats/candidate_links.h"
#include "ats/check.h"
#include "ats/outbox.h"

bool ats_li_member_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n < 1 || n > ATS_LI_MEMBER_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ link */

struct link_arg {
	int64_t actor_id, candidate_id;
	const char *member_id; /* link: the new one; unlink: NULL or this */
	const char *remote_addr;
	bool unlink;
	int64_t holder_id; /* out: the candidate that has the member */
};

/* The marks that follow a link or an unlink: LinkedIn learns the choice,
 * the matches are asked again (the member asked about changed), and the
 * In ATS record follows (its LinkedIn profile). */
static int link_marks(struct db *db, int64_t candidate_id)
{
	int rc = ats_outbox_mark(db, ATS_OUTBOX_CANDIDATE_LINK,
				 (uint64_t)candidate_id);
	if (rc == DB_OK)
		rc = ats_li_match_request(db, candidate_id);
	if (rc == DB_OK)
		rc = ats_outbox_mark_candidate(db, candidate_id);
	return rc;
}

static int link_txn(struct db *db, struct arena *a, void *arg)
{
	struct link_arg *x = arg;
	struct db_row r;
	x->holder_id = 0;
	int rc = db_query_row(db, a, &r,
			      "SELECT COALESCE(linkedin_member_id, '') FROM "
			      "candidates WHERE id = ? FOR UPDATE",
			      "i", x->candidate_id);
	if (rc != DB_OK)
		return rc;
	const char *was = r.v[0];

	if (x->unlink) {
		if (!*was)
			return DB_NOT_FOUND;
		if (x->member_id && strcmp(x->member_id, was))
			return DB_DUPLICATE;
		rc = db_exec(db, NULL,
			     "UPDATE candidates SET linkedin_member_id = NULL "
			     "WHERE id = ?",
			     "i", x->candidate_id);
	} else {
		rc = db_query_row(db, a, &r,
				  "SELECT id FROM candidates WHERE "
				  "linkedin_member_id = ? AND id <> ?",
				  "si", x->member_id, x->candidate_id);
		if (rc == DB_OK) {
			x->holder_id = db_int(&r, 0);
			return DB_DUPLICATE;
		}
		if (rc != DB_NOT_FOUND)
			return rc;
		rc = db_exec(db, NULL,
			     "UPDATE candidates SET linkedin_member_id = ? "
			     "WHERE id = ?",
			     "si", x->member_id, x->candidate_id);
	}
	if (rc == DB_OK)
		rc = db_exec(
		    db, NULL,
		    "INSERT INTO linkedin_candidates (candidate_id, "
		    "link_manual, link_by, link_at) VALUES (?, ?, NULLIF(?, "
		    "0), NOW(3)) ON DUPLICATE KEY UPDATE link_manual = "
		    "VALUES(link_manual), link_by = VALUES(link_by), link_at "
		    "= VALUES(link_at)",
		    "iii", x->candidate_id, (int64_t)!x->unlink, x->actor_id);
	if (rc != DB_OK)
		return rc;
	const char *detail =
	    x->unlink ? arena_printf(a, "member %s", was)
	    : *was && strcmp(was, x->member_id)
		? arena_printf(a, "member %s (was %s)", x->member_id, was)
		: arena_printf(a, "member %s", x->member_id);
	rc = ats_audit(db, x->actor_id,
		       x->unlink ? "candidate.linkedin_unlink"
				 : "candidate.linkedin_link",
		       "candidate", x->candidate_id, detail ? detail : "",
		       x->remote_addr);
	if (rc == DB_OK)
		rc = link_marks(db, x->candidate_id);
	return rc;
}

int ats_li_link(struct db *db, int64_t actor_id, int64_t candidate_id,
		const char *member_id, const char *remote_addr,
		int64_t *holder_id)
{
	struct link_arg x = {actor_id, candidate_id, member_id, remote_addr,
			     false, 0};
	int rc = db_transaction(db, link_txn, &x);
	/* another candidate took the member between the check and the
	 * update: the unique key said so; name it */
	if (rc == DB_DUPLICATE && !x.holder_id) {
		struct arena *a = arena_new(1024);
		struct db_row r;
		if (a && db_query_row(db, a, &r,
				      "SELECT id FROM candidates WHERE "
				      "linkedin_member_id = ?",
				      "s", member_id) == DB_OK)
			x.holder_id = db_int(&r, 0);
		arena_free(a);
	}
	if (holder_id)
		*holder_id = x.holder_id;
	return rc;
}

int ats_li_unlink(struct db *db, int64_t actor_id, int64_t candidate_id,
		  const char *member_id, const char *remote_addr)
{
	struct link_arg x = {actor_id, candidate_id, member_id, remote_addr,
			     true, 0};
	return db_transaction(db, link_txn, &x);
}

int ats_li_viewed(struct db *db, int64_t candidate_id)
{
	return db_exec(db, NULL,
		       "INSERT INTO linkedin_candidates (candidate_id, "
		       "viewed_at) SELECT id, NOW(3) FROM candidates WHERE id "
		       "= ? ON DUPLICATE KEY UPDATE viewed_at = NOW(3)",
		       "i", candidate_id);
}

int ats_li_match_request(struct db *db, int64_t candidate_id)
{
	return ats_outbox_mark(db, ATS_OUTBOX_CANDIDATE_MATCH,
			       (uint64_t)candidate_id);
}

/* ------------------------------------------------------------ the tab */

int ats_li_tab_tag(struct db *db, struct arena *a, int64_t candidate_id,
		   int64_t viewer_id, uint64_t *revision, const char **tag,
		   int64_t *now)
{
	struct db_row r;
	/* ats_li_state's tables but for its outbox rows are under
	 * revisions (sql/310); those two rows are read here by their
	 * unique key, what the tab shows of them (state, tried, the error) */
	/* (scalar subqueries of one row each, constants to the optimiser:
	 * a GROUP_CONCAT made a temporary table) */
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT UNIX_TIMESTAMP(), (SELECT n FROM candidate_revisions "
	    "WHERE candidate_id = ?), (SELECT n FROM revisions WHERE name = "
	    "'li_people'), (SELECT n FROM revisions WHERE name = "
	    "CONCAT('li_viewer ', ?)), (SELECT CONCAT_WS(' ', state, "
	    "attempts > 0, CRC32(last_error), LENGTH(last_error)) FROM outbox "
	    "WHERE kind = ? AND entity_id = ?), (SELECT CONCAT_WS(' ', state, "
	    "attempts > 0, CRC32(last_error), LENGTH(last_error)) FROM outbox "
	    "WHERE kind = ? AND entity_id = ?)",
	    "iisisi", candidate_id, viewer_id, ATS_OUTBOX_CANDIDATE_MATCH,
	    candidate_id, ATS_OUTBOX_CANDIDATE_LINK, candidate_id);
	if (rc != DB_OK)
		return rc;
	if (!r.v[1])
		return DB_NOT_FOUND;
	*now = db_int(&r, 0);
	*revision = (uint64_t)db_int(&r, 1);
	/* "-" for a row that is not there */
	*tag = arena_printf(a, "p%s v%s m%s l%s", r.v[2] ? r.v[2] : "-",
			    r.v[3] ? r.v[3] : "-", r.v[4] ? r.v[4] : "-",
			    r.v[5] ? r.v[5] : "-");
	return *tag ? DB_OK : DB_ERROR;
}

int ats_li_state(struct db *db, struct arena *a, int64_t candidate_id,
		 int64_t viewer_id, struct ats_li_state *out)
{
	struct db_row r;
	memset(out, 0, sizeof(*out));
	out->match_age_s = -1;
	out->viewed_age_s = -1;
	/* one row, whatever is stored: the candidate's record, its two
	 * outbox rows (by their unique key) and the viewer's connection,
	 * each NULL when absent */
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT lc.link_manual, u.name, DATE_FORMAT(lc.link_at, "
	    "'%Y-%m-%d %H:%i'), lc.sent_member, lc.match_key, lc.match_rule, "
	    "lc.match_member, lc.match_elements, lc.match_total, "
	    "TIMESTAMPDIFF(SECOND, lc.matched_at, NOW(3)), om.state, "
	    "om.attempts, om.last_error, om.next_attempt_at <= NOW(3), "
	    "GREATEST(0, TIMESTAMPDIFF(SECOND, NOW(3), om.next_attempt_at)), "
	    "ol.state, ol.last_error, TIMESTAMPDIFF(SECOND, lc.viewed_at, "
	    "NOW(3)), vc.needs_reconnect = 0 AND vc.access_token_enc IS NOT "
	    "NULL, vc.seat_type, (SELECT n FROM candidate_revisions WHERE "
	    "candidate_id = k.id) FROM (SELECT ? AS id) k LEFT JOIN "
	    "linkedin_candidates lc ON lc.candidate_id = k.id LEFT JOIN users "
	    "u ON u.id = lc.link_by LEFT JOIN outbox om ON om.kind = ? AND "
	    "om.entity_id = k.id LEFT JOIN outbox ol ON ol.kind = ? AND "
	    "ol.entity_id = k.id LEFT JOIN linkedin_connections vc ON "
	    "vc.user_id = ?",
	    "issi", candidate_id, ATS_OUTBOX_CANDIDATE_MATCH,
	    ATS_OUTBOX_CANDIDATE_LINK, viewer_id);
	if (rc != DB_OK)
		return rc;
	if (r.v[0]) {
		out->link_manual = db_int(&r, 0) != 0;
		out->link_by = r.v[1];
		out->link_at = r.v[2];
		out->sent_member = r.v[3];
		out->match_key = r.v[4];
		out->match_rule = (int)db_int(&r, 5);
		out->match_member = r.v[6];
		out->match_elements = r.v[7];
		out->match_total = db_int(&r, 8);
		if (r.v[9])
			out->match_age_s = db_int(&r, 9);
		if (r.v[17])
			out->viewed_age_s = db_int(&r, 17);
	}
	if (r.v[10]) {
		bool dead = !strcmp(r.v[10], "dead");
		const char *err = r.v[12] && *r.v[12] ? r.v[12] : NULL;
		out->match_queued = !dead;
		out->match_dead = dead;
		out->match_due = !dead && db_int(&r, 13);
		out->match_attempts = (int)db_int(&r, 11);
		out->match_error = out->match_attempts || dead ? err : NULL;
		out->match_retry_in_s = db_int(&r, 14);
	}
	if (r.v[15]) {
		bool dead = !strcmp(r.v[15], "dead");
		out->link_queued = !dead;
		out->link_dead = dead;
		out->link_error = r.v[16] && *r.v[16] ? r.v[16] : NULL;
	}
	out->viewer_connected = db_int(&r, 18) != 0;
	out->viewer_seat_type = r.v[19] ? r.v[19] : "";
	out->has_revision = r.v[20] != NULL;
	out->revision = (uint64_t)db_int(&r, 20);
	return DB_OK;
}

/* ------------------------------------------------------------ the worker */

int ats_li_match_store(struct db *db, int64_t candidate_id, const char *key,
		       int rule, const char *member_id, const char *elements,
		       int64_t total)
{
	/* a candidate deleted meanwhile: the foreign key refuses the row,
	 * and there is nothing to keep */
	int rc = db_exec(
	    db, NULL,
	    "INSERT INTO linkedin_candidates (candidate_id, match_key, "
	    "match_rule, match_member, match_elements, match_total, "
	    "matched_at) SELECT id, ?, ?, ?, ?, ?, NOW(3) FROM candidates "
	    "WHERE id = ? ON DUPLICATE KEY UPDATE match_key = "
	    "VALUES(match_key), match_rule = VALUES(match_rule), "
	    "match_member = VALUES(match_member), match_elements = "
	    "VALUES(match_elements), match_total = VALUES(match_total), "
	    "matched_at = VALUES(matched_at)",
	    "sissii", key, (int64_t)rule, member_id, elements, total,
	    candidate_id);
	return rc;
}

int ats_li_link_sent(struct db *db, int64_t candidate_id,
		     const char *member_id)
{
	return db_exec(db, NULL,
		       "UPDATE linkedin_candidates SET sent_member = ?, "
		       "sent_at = NOW(3) WHERE candidate_id = ?",
		       "si", member_id, candidate_id);
}
