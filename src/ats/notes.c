/*
 * notes.c - notes on candidates (F3).
 *
 * A note is private to its author unless made public.  The rule lives in
 * the SQL of every function here - "visibility = 'public' OR author_id =
 * viewer" - so no caller can list, count or open someone else's private
 * note by forgetting a check.  Edits and deletes are the author's alone; a
 * note of someone else is DB_NOT_FOUND, exactly as a note that does not
 * exist, so a private note's existence does not leak either.  Bodies are
 * never copied into the audit log.
 */
#include <string.h>

#include "ats/candidates.h"
#include "ats/check.h"
#include "ats/outbox.h"

/* 1..NOTE_BODY_MAX characters of text: valid UTF-8, no control
 * characters other than tab and line breaks. */
static int body_check(const char *body, struct ats_error *err)
{
	size_t n = body ? strlen(body) : 0;
	if (!n)
		return ats_invalid(err, "body", "is required");
	if (!utf8_valid(body, n))
		return ats_invalid(err, "body", "is not valid UTF-8");
	if (utf8_len(body, n) > NOTE_BODY_MAX)
		return ats_invalid(err, "body",
				   "must be at most 20,000 characters");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)body[i];
		if ((ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') ||
		    ch == 0x7f)
			return ats_invalid(
			    err, "body", "must not contain control characters");
	}
	return DB_OK;
}

#define NOTE_COLUMNS                                                           \
	"n.id, n.candidate_id, n.author_id, COALESCE(u.name, ''), n.body, "    \
	"n.visibility = 'public', DATE_FORMAT(n.created_at, '%Y-%m-%d "        \
	"%H:%i'), DATE_FORMAT(n.updated_at, '%Y-%m-%d %H:%i')"

static void note_from_row(const struct db_row *r, int64_t viewer_id,
			  struct note *n)
{
	n->id = db_int(r, 0);
	n->candidate_id = db_int(r, 1);
	n->author_id = db_int(r, 2);
	n->author_name = r->v[3] ? r->v[3] : "";
	n->body = r->v[4] ? r->v[4] : "";
	n->is_public = db_int(r, 5) != 0;
	n->mine = n->author_id == viewer_id;
	n->created_at = r->v[6] ? r->v[6] : "";
	n->updated_at = r->v[7] ? r->v[7] : "";
}

int ats_candidate_notes(struct db *db, struct arena *a,
			const struct user *viewer, int64_t candidate_id,
			int64_t offset, int64_t limit, struct note_list *out)
{
	struct db_result res;
	struct db_row cnt;
	memset(out, 0, sizeof(*out));
	if (offset < 0 || limit < 1)
		return DB_ERROR;
	int rc =
	    db_query(db, a, &res,
		     "SELECT " NOTE_COLUMNS
		     ", COUNT(*) OVER () FROM notes n LEFT JOIN users u "
		     "ON u.id = n.author_id WHERE n.candidate_id = ? AND "
		     "(n.visibility = 'public' OR n.author_id = ?) "
		     "ORDER BY n.id DESC LIMIT ? OFFSET ?",
		     "iiii", candidate_id, (int64_t)viewer->id, limit, offset);
	if (rc != DB_OK)
		return rc;
	out->v = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++)
		note_from_row(&res.rows[i], viewer->id, &out->v[i]);
	out->n = res.nrows;
	if (res.nrows) {
		out->total = db_int(&res.rows[0], 8);
		return DB_OK;
	}
	/* past the last page: the total on its own */
	rc = db_query_row(db, a, &cnt,
			  "SELECT COUNT(*) FROM notes WHERE candidate_id = ? "
			  "AND (visibility = 'public' OR author_id = ?)",
			  "ii", candidate_id, (int64_t)viewer->id);
	out->total = rc == DB_OK ? db_int(&cnt, 0) : 0;
	return rc;
}

int ats_note_get_own(struct db *db, struct arena *a, const struct user *viewer,
		     int64_t note_id, struct note *out)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT " NOTE_COLUMNS
			      " FROM notes n LEFT JOIN users u ON u.id = "
			      "n.author_id WHERE n.id = ? AND n.author_id = ?",
			      "ii", note_id, (int64_t)viewer->id);
	if (rc == DB_OK)
		note_from_row(&r, viewer->id, out);
	return rc;
}

/* A note written, for its transaction (db_transaction: run again after a
 * deadlock, so every run writes id afresh). */
struct note_write {
	const struct user *viewer; /* update, delete */
	int64_t author_id, candidate_id, note_id;
	const char *body;
	bool is_public;
	bool was_public; /* update, delete: before the change */
	const char *remote_addr;
	int64_t id; /* create: the new note's */
};

/* LinkedIn holds a candidate's public notes only (In ATS): a change that
 * leaves a note private before and after sends nothing. */
static int note_mark(struct db *db, const struct note_write *x)
{
	return x->is_public || x->was_public
		       ? ats_outbox_mark_candidate(db, x->candidate_id)
		       : DB_OK;
}

static int note_create(struct db *db, struct arena *a, void *arg)
{
	struct note_write *x = arg;
	uint64_t affected = 0;
	int rc = db_exec(db, &affected,
			 "INSERT INTO notes (candidate_id, author_id, body, "
			 "visibility) SELECT id, ?, ?, ? FROM candidates "
			 "WHERE id = ?",
			 "issi", x->author_id, x->body,
			 x->is_public ? "public" : "private", x->candidate_id);
	if (rc == DB_OK) {
		x->id = (int64_t)db_insert_id(db);
		if (!affected)
			rc = DB_NOT_FOUND; /* no such candidate */
	}
	if (rc == DB_OK)
		rc = note_mark(db, x);
	if (rc == DB_OK)
		rc = ats_audit(db, x->author_id, "note.create", "candidate",
			       x->candidate_id,
			       x->is_public ? "public note" : "private note",
			       x->remote_addr);
	return rc;
}

int ats_note_create(struct db *db, int64_t author_id, int64_t candidate_id,
		    const char *body, bool is_public, const char *remote_addr,
		    int64_t *id, struct ats_error *err)
{
	struct note_write x = {.author_id = author_id,
			       .candidate_id = candidate_id,
			       .body = body,
			       .is_public = is_public,
			       .remote_addr = remote_addr};
	int rc = body_check(body, err);
	if (rc == DB_OK)
		rc = db_transaction(db, note_create, &x);
	if (rc == DB_OK && id)
		*id = x.id;
	return rc;
}

/* Locks the viewer's own note; its candidate into x->candidate_id, and
 * whether it is public into x->was_public. */
static int own_note_lock(struct db *db, struct arena *a, struct note_write *x)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT candidate_id, visibility = 'public' FROM "
			      "notes WHERE id = ? AND author_id = ? FOR UPDATE",
			      "ii", x->note_id, (int64_t)x->viewer->id);
	if (rc == DB_OK) {
		x->candidate_id = db_int(&r, 0);
		x->was_public = db_int(&r, 1) != 0;
	}
	return rc;
}

static int note_update(struct db *db, struct arena *a, void *arg)
{
	struct note_write *x = arg;
	int rc = own_note_lock(db, a, x);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE notes SET body = ?, visibility = ? WHERE "
			     "id = ? AND author_id = ?",
			     "ssii", x->body,
			     x->is_public ? "public" : "private", x->note_id,
			     (int64_t)x->viewer->id);
	if (rc == DB_OK)
		rc = note_mark(db, x);
	if (rc == DB_OK)
		rc = ats_audit(db, x->viewer->id, "note.update", "candidate",
			       x->candidate_id,
			       x->is_public ? "public note" : "private note",
			       x->remote_addr);
	return rc;
}

int ats_note_update(struct db *db, const struct user *viewer, int64_t note_id,
		    const char *body, bool is_public, const char *remote_addr,
		    struct ats_error *err)
{
	struct note_write x = {.viewer = viewer,
			       .note_id = note_id,
			       .body = body,
			       .is_public = is_public,
			       .remote_addr = remote_addr};
	int rc = body_check(body, err);
	return rc == DB_OK ? db_transaction(db, note_update, &x) : rc;
}

static int note_delete(struct db *db, struct arena *a, void *arg)
{
	struct note_write *x = arg;
	int rc = own_note_lock(db, a, x);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "DELETE FROM notes WHERE id = ? AND author_id = ?",
			     "ii", x->note_id, (int64_t)x->viewer->id);
	if (rc == DB_OK)
		rc = note_mark(db, x); /* is_public false: sent if it was */
	if (rc == DB_OK)
		rc = ats_audit(db, x->viewer->id, "note.delete", "candidate",
			       x->candidate_id, "", x->remote_addr);
	return rc;
}

int ats_note_delete(struct db *db, const struct user *viewer, int64_t note_id,
		    const char *remote_addr)
{
	struct note_write x = {.viewer = viewer,
			       .note_id = note_id,
			       .remote_addr = remote_addr};
	return db_transaction(db, note_delete, &x);
}
