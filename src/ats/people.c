/*
 * people.c - the organisation's people (F6): list, create, role and seat,
 * deactivate / activate, password change.
 *
 * Two rules hold here whoever calls: the organisation keeps at least one
 * active admin (a role change or deactivation that would remove the last one
 * is refused), and a deactivated user is signed out at once (their sessions
 * are deleted in the transaction that deactivates them; ats_session_load
 * also refuses inactive users, so a race cannot revive one).
 */
#include <string.h>

#include "ats/people.h"
#include "ats/check.h"
#include "core/crypto.h"

/* Every transaction here changes a person, so cached sessions are
 * forgotten once it has ended (whether it committed or not). */
static int txn_end(struct db *db, int rc)
{
	rc = ats_txn_end(db, rc);
	ats_sessions_changed();
	return rc;
}

int ats_people_list(struct db *db, struct arena *a, const char *q,
		    int64_t offset, int64_t limit, struct person_list *out)
{
	struct db_result res;
	struct db_row cnt;
	memset(out, 0, sizeof(*out));
	const char *like = ats_like_contains(a, q ? q : "");
	if (!like || offset < 0 || limit < 1)
		return DB_ERROR;
	/* Users are thousands at most: a scan of them for a name or email
	 * containing q is cheap, and finds "Smith" in "John Smith". */
	int rc = db_query(
	    db, a, &res,
	    "SELECT " ATS_USER_COLUMNS ", DATE_FORMAT(u.created_at, "
	    "'%Y-%m-%d'), "
	    "COALESCE((SELECT DATE_FORMAT(MAX(s.last_seen_at), "
	    "'%Y-%m-%d %H:%i') FROM sessions s WHERE s.user_id = u.id), ''), "
	    "COUNT(*) OVER () FROM users u WHERE u.name LIKE ? OR u.email "
	    "LIKE ? ORDER BY u.active DESC, u.name, u.id LIMIT ? OFFSET ?",
	    "ssii", like, like, limit, offset);
	if (rc != DB_OK)
		return rc;
	out->v = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		ats_user_from_row(&out->v[i].user, &res.rows[i]);
		out->v[i].created_at = res.rows[i].v[6];
		out->v[i].last_seen = res.rows[i].v[7];
	}
	out->n = res.nrows;
	if (res.nrows) {
		out->total = db_int(&res.rows[0], 8);
		return DB_OK;
	}
	/* past the last page: the total on its own */
	rc = db_query_row(db, a, &cnt,
			  "SELECT COUNT(*) FROM users u WHERE u.name LIKE ? "
			  "OR u.email LIKE ?",
			  "ss", like, like);
	out->total = rc == DB_OK ? db_int(&cnt, 0) : 0;
	return rc;
}

int ats_person_get(struct db *db, struct arena *a, int64_t id, struct user *out)
{
	struct db_row r;
	memset(out, 0, sizeof(*out));
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT " ATS_USER_COLUMNS " FROM users u WHERE u.id = ?", "i", id);
	if (rc == DB_OK)
		ats_user_from_row(out, &r);
	return rc;
}

int ats_admins_list(struct db *db, struct arena *a, struct user **out,
		    size_t *n)
{
	struct db_result res;
	*out = NULL;
	*n = 0;
	int rc = db_query(db, a, &res,
			  "SELECT " ATS_USER_COLUMNS
			  " FROM users u WHERE u.role = 'admin' AND "
			  "u.active = 1 ORDER BY u.name, u.id LIMIT 20",
			  "");
	if (rc != DB_OK)
		return rc;
	*out = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(**out));
	if (!*out)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++)
		ats_user_from_row(&(*out)[i], &res.rows[i]);
	*n = res.nrows;
	return DB_OK;
}

int ats_person_create(struct db *db, int64_t actor_id, const char *email,
		      const char *name, const char *role, const char *seat,
		      const char *password, const char *remote_addr,
		      int64_t *id, struct ats_error *err)
{
	int64_t uid = 0;
	int rc = db_begin(db);
	if (rc != DB_OK)
		return rc;
	rc = ats_user_create(db, email, name, role, seat, password, &uid, err);
	if (rc == DB_DUPLICATE)
		ats_fail(err, rc, "email", "is already taken by another user");
	if (rc == DB_OK)
		rc = ats_audit(db, actor_id, "user.create", "user", uid, email,
			       remote_addr);
	rc = txn_end(db, rc);
	if (rc == DB_OK && id)
		*id = uid;
	return rc;
}

/* In a transaction: the user row locked, and the number of other active
 * admins (locking them too, so two admins demoting each other at once
 * cannot both succeed). */
static int lock_user(struct db *db, struct arena *a, int64_t id, struct user *u,
		     int64_t *other_admins)
{
	struct db_row r;
	struct db_result res;
	int rc = db_query_row(db, a, &r,
			      "SELECT " ATS_USER_COLUMNS
			      " FROM users u WHERE u.id = ? FOR UPDATE",
			      "i", id);
	if (rc != DB_OK)
		return rc;
	ats_user_from_row(u, &r);
	rc =
	    db_query(db, a, &res,
		     "SELECT id FROM users WHERE role = 'admin' AND active = 1 "
		     "AND id <> ? FOR UPDATE",
		     "i", id);
	if (rc == DB_OK)
		*other_admins = (int64_t)res.nrows;
	return rc;
}

int ats_person_update(struct db *db, struct arena *a, int64_t actor_id,
		      int64_t id, const char *role, const char *seat,
		      const char *remote_addr, struct ats_error *err)
{
	struct user u;
	int64_t others = 0;
	if (role_from_name(role) == ROLE_NONE)
		return ats_fail(err, ATS_INVALID, "role",
				"must be admin, recruiter, hiring_manager or "
				"interviewer");
	if (!seat_valid(seat))
		return ats_fail(err, ATS_INVALID, "seat",
				"must be recruiter, hiring_manager or none");
	int rc = db_begin(db);
	if (rc != DB_OK)
		return rc;
	rc = lock_user(db, a, id, &u, &others);
	if (rc == DB_OK && u.role == ROLE_ADMIN && u.active &&
	    role_from_name(role) != ROLE_ADMIN && others == 0)
		rc =
		    ats_fail(err, ATS_INVALID, "role",
			     "this is the last active admin: make someone else "
			     "an admin first");
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE users SET role = ?, seat = ? WHERE id = ?",
			     "ssi", role, seat, id);
	if (rc == DB_OK)
		rc = ats_audit(db, actor_id, "user.update", "user", id,
			       arena_printf(a, "role %s->%s, seat %s->%s",
					    role_name(u.role), role, u.seat,
					    seat),
			       remote_addr);
	return txn_end(db, rc);
}

int ats_person_set_active(struct db *db, struct arena *a, int64_t actor_id,
			  int64_t id, bool active, const char *remote_addr,
			  struct ats_error *err)
{
	struct user u;
	int64_t others = 0;
	if (!active && actor_id == id)
		return ats_fail(err, ATS_INVALID, "user",
				"you cannot deactivate your own account; ask "
				"another admin");
	int rc = db_begin(db);
	if (rc != DB_OK)
		return rc;
	rc = lock_user(db, a, id, &u, &others);
	if (rc == DB_OK && !active && u.role == ROLE_ADMIN && others == 0)
		rc = ats_fail(err, ATS_INVALID, "user",
			      "this is the last active admin");
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE users SET active = ? WHERE id = ?", "ii",
			     (int64_t)active, id);
	/* Signed out at once: the sessions go in the same transaction. */
	if (rc == DB_OK && !active)
		rc = ats_sessions_delete_for_user(db, id);
	if (rc == DB_OK)
		rc = ats_audit(db, actor_id,
			       active ? "user.activate" : "user.deactivate",
			       "user", id, u.email, remote_addr);
	return txn_end(db, rc);
}

int ats_password_change(struct db *db, struct arena *a, int64_t user_id,
			const char *current, const char *new_password,
			const char *keep_token, const char *remote_addr,
			struct ats_error *err)
{
	struct db_row r;
	unsigned char raw[32], keep[SHA256_LEN];
	char hash[PASSWORD_HASH_MAX];

	if (!current || !*current || strlen(current) > PASSWORD_MAX)
		return ats_fail(err, ATS_INVALID, "current_password",
				"enter your current password");
	if (!new_password || strlen(new_password) < PASSWORD_MIN ||
	    strlen(new_password) > PASSWORD_MAX)
		return ats_fail(err, ATS_INVALID, "new_password",
				"must be 8 to 1024 characters");
	memset(keep, 0, sizeof(keep));
	if (keep_token && strlen(keep_token) == 64 &&
	    hex_decode(keep_token, raw, sizeof(raw)) == 0)
		crypto_sha256(raw, sizeof(raw), keep);

	int rc = db_query_row(db, a, &r,
			      "SELECT password_hash FROM users WHERE id = ? "
			      "AND active = 1",
			      "i", user_id);
	if (rc != DB_OK)
		return rc;
	int ok = password_verify(r.v[0], current);
	if (ok < 0)
		return DB_ERROR;
	if (ok == 0)
		return ats_fail(err, ATS_INVALID, "current_password",
				"is not your current password");
	if (password_hash(new_password, hash) < 0)
		return DB_ERROR;

	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	rc =
	    db_exec(db, NULL, "UPDATE users SET password_hash = ? WHERE id = ?",
		    "si", hash, user_id);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "DELETE FROM sessions WHERE user_id = ? AND "
			     "token_hash <> ?",
			     "ib", user_id, keep, sizeof(keep));
	if (rc == DB_OK)
		rc = ats_audit(db, user_id, "user.password", "user", user_id,
			       NULL, remote_addr);
	crypto_wipe(hash, sizeof(hash));
	return txn_end(db, rc);
}
