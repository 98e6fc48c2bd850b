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

/* Runs fn as one transaction (db_transaction: run again after a
 * deadlock).  Every transaction here changes a person, so cached sessions
 * are forgotten once it has ended (whether it committed or not). */
static int person_txn(struct db *db,
		      int (*fn)(struct db *db, struct arena *a, void *arg),
		      void *arg)
{
	int rc = db_transaction(db, fn, arg);
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

/* A change to a person, for its transaction (run again after a deadlock,
 * so every run writes its results afresh). */
struct person_write {
	int64_t actor_id, id;
	const char *email, *name, *role, *seat, *password; /* create */
	bool active;					      /* set_active */
	const char *hash;			/* password_change: new */
	const unsigned char *keep;		/* its session's token hash */
	const char *remote_addr;
	struct ats_error *err;
};

static int person_create(struct db *db, struct arena *a, void *arg)
{
	struct person_write *x = arg;
	x->id = 0;
	int rc = ats_user_create(db, x->email, x->name, x->role, x->seat,
				 x->password, &x->id, x->err);
	if (rc == DB_DUPLICATE)
		ats_fail(x->err, rc, "email", "is already taken by another user");
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "user.create", "user", x->id,
			       x->email, x->remote_addr);
	return rc;
}

int ats_person_create(struct db *db, int64_t actor_id, const char *email,
		      const char *name, const char *role, const char *seat,
		      const char *password, const char *remote_addr,
		      int64_t *id, struct ats_error *err)
{
	struct person_write x = {.actor_id = actor_id,
				 .email = email,
				 .name = name,
				 .role = role,
				 .seat = seat,
				 .password = password,
				 .remote_addr = remote_addr,
				 .err = err};
	int rc = person_txn(db, person_create, &x);
	if (rc == DB_OK && id)
		*id = x.id;
	return rc;
}

/*
 * In a transaction: the user row locked, and the number of other active
 * admins (locking them too, so two admins demoting each other at once
 * cannot both succeed).  One statement locks them all, in id order: two
 * admins demoting each other used to lock each their target first and
 * then the other admins, so each held the row the other wanted next (a
 * deadlock, and a 500).  users has no index on role, so the scan locks
 * every user row, as the count of the others always did: changes to
 * people queue one behind the other, which for a few a day costs nothing.
 */
static int lock_user(struct db *db, struct arena *a, int64_t id, struct user *u,
		     int64_t *other_admins)
{
	struct db_result res;
	bool found = false;
	int rc = db_query(db, a, &res,
			  "SELECT " ATS_USER_COLUMNS
			  " FROM users u WHERE u.id = ? OR (u.role = 'admin' "
			  "AND u.active = 1) ORDER BY u.id FOR UPDATE",
			  "i", id);
	if (rc != DB_OK)
		return rc;
	*other_admins = 0;
	for (size_t i = 0; i < res.nrows; i++) {
		if (db_int(&res.rows[i], 0) == id) {
			ats_user_from_row(u, &res.rows[i]);
			found = true;
		} else {
			(*other_admins)++;
		}
	}
	return found ? DB_OK : DB_NOT_FOUND;
}

static int person_update(struct db *db, struct arena *a, void *arg)
{
	struct person_write *x = arg;
	struct user u;
	int64_t others = 0;
	int rc = lock_user(db, a, x->id, &u, &others);
	if (rc == DB_OK && u.role == ROLE_ADMIN && u.active &&
	    role_from_name(x->role) != ROLE_ADMIN && others == 0)
		rc =
		    ats_fail(x->err, ATS_INVALID, "role",
			     "this is the last active admin: make someone else "
			     "an admin first");
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE users SET role = ?, seat = ? WHERE id = ?",
			     "ssi", x->role, x->seat, x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "user.update", "user", x->id,
			       arena_printf(a, "role %s->%s, seat %s->%s",
					    role_name(u.role), x->role, u.seat,
					    x->seat),
			       x->remote_addr);
	return rc;
}

int ats_person_update(struct db *db, struct arena *a, int64_t actor_id,
		      int64_t id, const char *role, const char *seat,
		      const char *remote_addr, struct ats_error *err)
{
	struct person_write x = {.actor_id = actor_id,
				 .id = id,
				 .role = role,
				 .seat = seat,
				 .remote_addr = remote_addr,
				 .err = err};
	if (role_from_name(role) == ROLE_NONE)
		return ats_fail(err, ATS_INVALID, "role",
				"must be admin, recruiter, hiring_manager or "
				"interviewer");
	if (!seat_valid(seat))
		return ats_fail(err, ATS_INVALID, "seat",
				"must be recruiter, hiring_manager or none");
	return person_txn(db, person_update, &x);
}

static int person_set_active(struct db *db, struct arena *a, void *arg)
{
	struct person_write *x = arg;
	struct user u;
	int64_t others = 0;
	int rc = lock_user(db, a, x->id, &u, &others);
	if (rc == DB_OK && !x->active && u.role == ROLE_ADMIN && others == 0)
		rc = ats_fail(x->err, ATS_INVALID, "user",
			      "this is the last active admin");
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE users SET active = ? WHERE id = ?", "ii",
			     (int64_t)x->active, x->id);
	/* Signed out at once: the sessions go in the same transaction. */
	if (rc == DB_OK && !x->active)
		rc = ats_sessions_delete_for_user(db, x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id,
			       x->active ? "user.activate" : "user.deactivate",
			       "user", x->id, u.email, x->remote_addr);
	return rc;
}

int ats_person_set_active(struct db *db, struct arena *a, int64_t actor_id,
			  int64_t id, bool active, const char *remote_addr,
			  struct ats_error *err)
{
	struct person_write x = {.actor_id = actor_id,
				 .id = id,
				 .active = active,
				 .remote_addr = remote_addr,
				 .err = err};
	if (!active && actor_id == id)
		return ats_fail(err, ATS_INVALID, "user",
				"you cannot deactivate your own account; ask "
				"another admin");
	return person_txn(db, person_set_active, &x);
}

static int password_set(struct db *db, struct arena *a, void *arg)
{
	struct person_write *x = arg;
	int rc =
	    db_exec(db, NULL, "UPDATE users SET password_hash = ? WHERE id = ?",
		    "si", x->hash, x->id);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "DELETE FROM sessions WHERE user_id = ? AND "
			     "token_hash <> ?",
			     "ib", x->id, x->keep, (size_t)SHA256_LEN);
	if (rc == DB_OK)
		rc = ats_audit(db, x->id, "user.password", "user", x->id, NULL,
			       x->remote_addr);
	return rc;
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

	struct person_write x = {.id = user_id,
				 .hash = hash,
				 .keep = keep,
				 .remote_addr = remote_addr};
	rc = person_txn(db, password_set, &x);
	crypto_wipe(hash, sizeof(hash));
	return rc;
}
