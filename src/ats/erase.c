/*
 * erase.c - deleting a candidate for good, and erasing a candidate's
 * LinkedIn-derived data (erase.h says what each keeps and removes).
 *
 * Why the delete is written out table by table rather than left to the
 * foreign keys' cascades: MariaDB fires no trigger for a row a cascade
 * removes, and the triggers of sql/060-100 keep counters (job_stages'
 * active_count and total_count) and revisions.  So the applications are
 * deleted by a statement of their own (their triggers fire), and the
 * stages of the candidate's jobs are recounted from the rows afterwards,
 * inside the same transaction, whatever the triggers did.  What only a
 * cascade removes (notes, attachments' rows, pool memberships,
 * application history and feedback, LinkedIn match answers) keeps no
 * counter.
 *
 * "No trace": besides the candidate's own rows, text elsewhere that may
 * carry the name is cleared: the audit details of the candidate's create
 * ("First Last"), attachments (file names), applications and feedback;
 * a stub profile's fields (its id stays, so the stub is never applied
 * again); the member's Recruiter notes and InMail activity; an export's
 * reason on its inbound event.  Files go after the commit: a file is
 * unlinked only when no attachment row (another candidate's identical
 * upload) still names its content.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ats/check.h"
#include "ats/erase.h"
#include "ats/outbox.h"

/* ------------------------------------------------------------ both */

/* Runs each statement of list (its one parameter: the candidate's id)
 * while they succeed. */
static int exec_each(struct db *db, const char *const *list, size_t n,
		     int64_t id)
{
	int rc = DB_OK;
	for (size_t i = 0; rc == DB_OK && i < n; i++)
		rc = db_exec(db, NULL, list[i], "i", id);
	return rc;
}

/* The statements that clear what names the member (when there is one)
 * outside the candidate's row: its Recruiter notes and InMail activity. */
static const char *const member_rows[] = {
    "DELETE FROM li_recruiter_notes WHERE prospect_member_id = ?",
    "DELETE FROM li_inmail_activity WHERE prospect_member_id = ?",
};

/* Clears what names candidate id's LinkedIn member outside the
 * candidate's own row, for the delete and LinkedIn's erase alike: the
 * stub profiles' fields (a stub's id stays, so it is never applied
 * again; forget: it lets go of the candidate too, whose row goes), then
 * member_rows. */
static int clear_member(struct db *db, int64_t id, const char *member,
			bool forget)
{
	int rc = db_exec(db, NULL,
			 "UPDATE li_mail_stubs SET first_name = '', "
			 "last_name = '', email = NULL, member_id = '', "
			 "reason = '', erased = 1, candidate_id = IF(?, NULL, "
			 "candidate_id) WHERE candidate_id = ? OR (member_id "
			 "<> '' AND member_id = ?)",
			 "iis", (int64_t)forget, id, member);
	for (size_t i = 0; rc == DB_OK && *member && i < ARRAY_LEN(member_rows);
	     i++)
		rc = db_exec(db, NULL, member_rows[i], "s", member);
	return rc;
}

/* ------------------------------------------------------------ delete */

/* The reason as kept: each of the candidate's names, email and phone cut
 * out (an admin writing "asked by Jane Doe" leaves no name behind).
 * Arena-owned; NULL when out of memory. */
static const char *redact(struct arena *a, const char *reason,
			  const char *const *words, size_t n)
{
	char *s = arena_strdup(a, reason);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t len = words[i] ? strlen(words[i]) : 0;
		if (len < 2)
			continue;
		/* from past each replacement on: a word such as ".." that
		 * the replacement itself contains is cut once */
		char *p, *from = s;
		while ((p = strcasestr(from, words[i]))) {
			/* "[...]" is 5 bytes: shorter words are blanked in
			 * place, longer ones shifted down */
			if (len >= 5) {
				memcpy(p, "[...]", 5);
				memmove(p + 5, p + len, strlen(p + len) + 1);
				from = p + 5;
			} else {
				memset(p, '.', len);
				from = p + len;
			}
		}
	}
	return s;
}

/* Text elsewhere that may name the candidate: the audit details of the
 * candidate's, its applications' and their feedback's entries, an
 * export's reason on its inbound event. */
static const char *const delete_texts[] = {
    "UPDATE audit_log SET detail = NULL WHERE entity = 'candidate' AND "
    "entity_id = ?",
    "UPDATE audit_log l JOIN applications ap ON ap.id = l.entity_id SET "
    "l.detail = NULL WHERE l.entity = 'application' AND ap.candidate_id = ?",
    "UPDATE audit_log l JOIN interview_feedback f ON f.id = l.entity_id "
    "JOIN applications ap ON ap.id = f.application_id SET l.detail = NULL "
    "WHERE l.entity = 'feedback' AND ap.candidate_id = ?",
    "UPDATE inbound_events SET reason = '' WHERE candidate_id = ?",
};

struct delete_txn {
	struct arena *out; /* the caller's: what outlives the run */
	int64_t actor_id, id;
	const char *reason, *remote_addr;
	/* out, written afresh by each run */
	const char **hashes; /* the attachments' contents */
	size_t nhashes;
	int64_t applications;
};

static int delete_txn(struct db *db, struct arena *a, void *arg)
{
	struct delete_txn *x = arg;
	struct db_row row;
	struct db_result res;
	x->nhashes = 0;
	x->applications = 0;

	int rc = db_query_row(db, a, &row,
			      "SELECT first_name, last_name, COALESCE(email, "
			      "''), phone, COALESCE(linkedin_member_id, ''), "
			      "source, created_at FROM candidates WHERE id = ? "
			      "FOR UPDATE",
			      "i", x->id);
	if (rc != DB_OK)
		return rc;
	const char *words[] = {row.v[0], row.v[1], row.v[2], row.v[3]};
	const char *member = row.v[4];
	const char *reason = redact(a, x->reason, words, ARRAY_LEN(words));
	if (!reason)
		return DB_ERROR;

	/* the tombstones, for job statistics: ids, dates, keys; no text */
	rc = db_exec(db, NULL,
		     "INSERT INTO candidate_tombstones (id, source, created_at, "
		     "deleted_by) VALUES (?, ?, ?, NULLIF(?, 0))",
		     "issi", x->id, row.v[5], row.v[6], x->actor_id);
	uint64_t napps = 0;
	if (rc == DB_OK)
		rc = db_exec(
		    db, &napps,
		    "INSERT INTO application_tombstones (id, candidate_id, "
		    "job_id, stage_id, stage_kind, status, rejection_reason, "
		    "source, created_at, ended_at) SELECT ap.id, ap.candidate_id, "
		    "ap.job_id, ap.stage_id, COALESCE(s.kind, ''), ap.status, "
		    "ap.rejection_reason, ap.source, ap.created_at, NOW(3) FROM "
		    "applications ap LEFT JOIN job_stages s ON s.id = "
		    "ap.stage_id WHERE ap.candidate_id = ?",
		    "i", x->id);
	x->applications = (int64_t)napps;

	/* the attachments' contents, for the files after the commit */
	if (rc == DB_OK)
		rc = db_query(db, a, &res,
			      "SELECT DISTINCT sha256 FROM attachments WHERE "
			      "candidate_id = ?",
			      "i", x->id);
	if (rc == DB_OK && res.nrows) {
		/* in the caller's arena: they outlive the run */
		const char **h = arena_calloc(x->out, res.nrows, sizeof(*h));
		if (!h)
			return DB_ERROR;
		for (size_t i = 0; i < res.nrows; i++)
			if (!(h[i] = arena_strdup(x->out, res.rows[i].v[0])))
				return DB_ERROR;
		x->hashes = h;
		x->nhashes = res.nrows;
	}

	/* text elsewhere that may name the candidate */
	if (rc == DB_OK)
		rc =
		    exec_each(db, delete_texts, ARRAY_LEN(delete_texts), x->id);
	if (rc == DB_OK)
		rc = clear_member(db, x->id, member, true);

	/* the applications by a statement of their own (their counters'
	 * triggers fire), then the candidate (the rest cascades) */
	struct db_result jobs = {0};
	if (rc == DB_OK)
		rc = db_query(db, a, &jobs,
			      "SELECT DISTINCT job_id FROM applications WHERE "
			      "candidate_id = ?",
			      "i", x->id);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "DELETE FROM applications WHERE candidate_id = ?",
			     "i", x->id);
	if (rc == DB_OK)
		rc = db_exec(db, NULL, "DELETE FROM candidates WHERE id = ?",
			     "i", x->id);
	for (size_t i = 0; rc == DB_OK && i < jobs.nrows; i++)
		rc = db_exec(
		    db, NULL,
		    "UPDATE job_stages s SET active_count = (SELECT COUNT(*) "
		    "FROM applications ap WHERE ap.stage_id = s.id AND "
		    "ap.status = 'active'), hired_count = (SELECT COUNT(*) FROM "
		    "applications ap WHERE ap.stage_id = s.id AND ap.status = "
		    "'hired'), total_count = (SELECT COUNT(*) FROM "
		    "applications ap WHERE ap.stage_id = s.id) WHERE s.job_id "
		    "= ?",
		    "i", db_int(&jobs.rows[i], 0));

	/* LinkedIn deletes the candidate with all of it (In ATS) */
	if (rc == DB_OK)
		rc = ats_outbox_mark_deleted(db, ATS_OUTBOX_CANDIDATE,
					     (uint64_t)x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "candidate.delete", "candidate",
			       x->id,
			       arena_printf(a, "%lld applications; reason: %s",
					    (long long)x->applications, reason),
			       x->remote_addr);
	return rc;
}

/* Unlinks <data_dir>/<2 hex>/<hex> unless an attachment still names it.
 * Whether it was removed. */
static bool file_remove(struct db *db, struct arena *a, const char *data_dir,
			const char *hex)
{
	struct db_row row;
	int rc = db_query_row(db, a, &row,
			      "SELECT 1 FROM attachments WHERE sha256 = ? "
			      "LIMIT 1",
			      "s", hex);
	if (rc != DB_NOT_FOUND)
		return false; /* shared, or the database failed: keep it */
	const char *path = arena_printf(a, "%s/%.2s/%s", data_dir, hex, hex);
	if (!path || strlen(hex) != 64 || strchr(hex, '/'))
		return false;
	if (unlink(path) == 0)
		return true;
	if (errno != ENOENT)
		log_warn("cannot remove attachment file %s: %s", path,
			 strerror(errno));
	return false;
}

int ats_candidate_delete(struct db *db, struct arena *a, int64_t actor_id,
			 int64_t id, const char *reason, const char *data_dir,
			 const char *remote_addr, struct ats_delete_result *res,
			 struct ats_error *err)
{
	if (res)
		*res = (struct ats_delete_result){0};
	int rc = ats_line_check(err, "reason", reason, 1,
				CANDIDATE_DELETE_REASON_MAX,
				"must say why, in at most 500 characters");
	if (rc != DB_OK)
		return rc;
	struct delete_txn x = {a, actor_id, id, reason, remote_addr, NULL, 0, 0};
	rc = db_transaction(db, delete_txn, &x);
	if (rc != DB_OK)
		return rc;
	/* After the commit: a file goes once no attachment names it.  An
	 * upload of the same bytes for another candidate racing this finds
	 * the file gone only if its row committed after this check; the
	 * upload writes the file before its row, so it rewrites it. */
	int64_t removed = 0;
	for (size_t i = 0; i < x.nhashes; i++)
		removed += file_remove(db, a, data_dir, x.hashes[i]);
	if (res) {
		res->applications = x.applications;
		res->files_removed = removed;
	}
	return DB_OK;
}

/* ------------------------------------------------------------ LinkedIn */

/* The candidate's LinkedIn-derived fields: the link and what LinkedIn
 * filled; the match answers (possible members' names and headlines).
 * The member LinkedIn holds as manualMatchedMember stays named in
 * sent_member until the worker has removed it there. */
static const char *const erase_rows[] = {
    "UPDATE candidates SET linkedin_member_id = NULL, linkedin_url = '', "
    "headline = '', current_title = '', current_company = '' WHERE id = ?",
    "UPDATE linkedin_candidates SET link_manual = 0, match_key = NULL, "
    "match_rule = NULL, match_member = NULL, match_elements = NULL, "
    "match_total = 0, matched_at = NULL WHERE candidate_id = ?",
};

struct erase_txn {
	int64_t actor_id, id;
	const char *remote_addr;
};

static int erase_txn(struct db *db, struct arena *a, void *arg)
{
	struct erase_txn *x = arg;
	struct db_row row;
	int rc = db_query_row(db, a, &row,
			      "SELECT COALESCE(linkedin_member_id, '') FROM "
			      "candidates WHERE id = ? FOR UPDATE",
			      "i", x->id);
	if (rc != DB_OK)
		return rc;
	const char *member = row.v[0];
	/* the member as the closed-profiles check named it, when the link
	 * is gone already */
	if (!*member &&
	    db_query_row(db, a, &row,
			 "SELECT member_id FROM li_closed_profiles WHERE "
			 "candidate_id = ? LIMIT 1",
			 "i", x->id) == DB_OK)
		member = row.v[0];

	rc = exec_each(db, erase_rows, ARRAY_LEN(erase_rows), x->id);
	if (rc == DB_OK)
		rc = clear_member(db, x->id, member, false);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE li_closed_profiles SET erased_at = NOW(3), "
			     "erased_by = NULLIF(?, 0) WHERE candidate_id = ? OR "
			     "member_id = ?",
			     "iis", x->actor_id, x->id, member);
	/* LinkedIn: the manual match removed, the candidate sent anew */
	if (rc == DB_OK &&
	    db_query_row(db, a, &row,
			 "SELECT 1 FROM linkedin_candidates WHERE candidate_id "
			 "= ? AND sent_member IS NOT NULL",
			 "i", x->id) == DB_OK)
		rc = ats_outbox_mark(db, ATS_OUTBOX_CANDIDATE_LINK,
				     (uint64_t)x->id);
	if (rc == DB_OK)
		rc = ats_outbox_mark(db, ATS_OUTBOX_CANDIDATE, (uint64_t)x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "candidate.linkedin_erase",
			       "candidate", x->id,
			       "LinkedIn-derived data erased (closed profile)",
			       x->remote_addr);
	return rc;
}

int ats_candidate_erase_linkedin(struct db *db, int64_t actor_id, int64_t id,
				 const char *remote_addr)
{
	struct erase_txn x = {actor_id, id, remote_addr};
	return db_transaction(db, erase_txn, &x);
}
