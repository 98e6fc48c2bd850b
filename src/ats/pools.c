/*
 * pools.c - talent pools (F5) and the system LinkedIn pool (F13).
 *
 * The rule that the LinkedIn pool is the system's lives here, not in the
 * handlers: every change first reads the pool's kind (locking the row, so a
 * rename cannot race a delete) and refuses to touch kind 'linkedin'.  Each
 * change and its audit row are one transaction.
 */
#include <string.h>

#include "ats/candidates.h"
#include "ats/check.h"
#include "ats/pools.h"

static const char system_pool_msg[] =
    "The LinkedIn pool is managed by the system: it holds the LinkedIn "
    "members who shared their profile with your organisation, so it "
    "cannot be renamed or deleted, and its members are not added or "
    "removed by hand.";

static int name_check(struct ats_error *err, const char *name)
{
	if (ats_line_check(err, "name", name, 1, POOL_NAME_MAX,
			   "must be 1 to 200 characters on one line"))
		return ATS_INVALID;
	return DB_OK;
}

static int duplicate(struct arena *a, struct ats_error *err, const char *name)
{
	const char *msg =
	    arena_printf(a,
			 "A talent pool called \"%s\" already exists; choose "
			 "another name.",
			 name);
	return ats_fail(err, DB_DUPLICATE, "name",
			msg ? msg
			    : "A talent pool of that name already exists.");
}

/* Reads (and, in a transaction, locks) the pool's kind and name. */
static int pool_lock(struct db *db, struct arena *a, int64_t id,
		     const char **kind, const char **name)
{
	struct db_row r;
	int rc =
	    db_query_row(db, a, &r,
			 "SELECT kind, name FROM talent_pools WHERE id = ? "
			 "FOR UPDATE",
			 "i", id);
	if (rc == DB_OK) {
		*kind = r.v[0];
		*name = r.v[1];
	}
	return rc;
}

static void pool_from_row(struct pool *p, const struct db_row *r)
{
	p->id = db_int(r, 0);
	p->name = r->v[1];
	p->kind = r->v[2];
	p->system = !strcmp(r->v[2], "linkedin");
	p->members = db_int(r, 3);
	p->created_at = r->v[4];
	p->created_by = r->v[5] ? r->v[5] : "";
}

/* Rows of (id, name, kind, members, created_at, created_by) into *out
 * and *n. */
static int pools_from(struct arena *a, const struct db_result *res,
		      struct pool **out, size_t *n)
{
	*out = arena_calloc(a, res->nrows ? res->nrows : 1, sizeof(**out));
	if (!*out)
		return DB_ERROR;
	for (size_t i = 0; i < res->nrows; i++)
		pool_from_row(&(*out)[i], &res->rows[i]);
	*n = res->nrows;
	return DB_OK;
}

/* The pools' columns, their member counts being members (SQL) */
#define POOL_COLUMNS_WITH(members)                                             \
	"p.id, p.name, p.kind, " members ", DATE_FORMAT(p.created_at, "        \
	"'%Y-%m-%d'), u.name FROM talent_pools p LEFT JOIN users u ON u.id = " \
	"p.created_by "
#define POOL_COLUMNS                                                           \
	POOL_COLUMNS_WITH("(SELECT COUNT(*) FROM pool_members m WHERE "        \
			  "m.pool_id = p.id)")

int ats_pools_list(struct db *db, struct arena *a, struct pool **out, size_t *n)
{
	struct db_result res;
	*out = NULL;
	*n = 0;
	int rc = db_query(db, a, &res,
			  "SELECT " POOL_COLUMNS
			  "ORDER BY p.kind = 'linkedin' DESC, p.name, p.id",
			  "");
	return rc == DB_OK ? pools_from(a, &res, out, n) : rc;
}

int ats_pool_names(struct db *db, struct arena *a, struct pool **out,
		   size_t *n)
{
	struct db_result res;
	*out = NULL;
	*n = 0;
	int rc = db_query(db, a, &res,
			  "SELECT " POOL_COLUMNS_WITH("0")
			  "ORDER BY p.kind = 'linkedin' DESC, p.name, p.id",
			  "");
	return rc == DB_OK ? pools_from(a, &res, out, n) : rc;
}

int ats_pool_get(struct db *db, struct arena *a, int64_t id, struct pool *out)
{
	struct db_row r;
	memset(out, 0, sizeof(*out));
	/* members is left 0: ats_pool_members counts as far as a page
	 * needs, and counting a pool of 10,000 here would cost more than
	 * the rest of its page */
	int rc = db_query_row(db, a, &r,
			      "SELECT p.id, p.name, p.kind, 0, "
			      "DATE_FORMAT(p.created_at, '%Y-%m-%d'), u.name "
			      "FROM talent_pools p LEFT JOIN users u ON u.id = "
			      "p.created_by WHERE p.id = ?",
			      "i", id);
	if (rc == DB_OK)
		pool_from_row(out, &r);
	return rc;
}

/* A change to pools, for its transaction (db_transaction: run again after
 * a deadlock, so every run writes its results afresh). */
struct pool_write {
	int64_t actor_id, id, candidate_id;
	const char *name; /* create, rename */
	bool member;	  /* member_set: in or out */
	const char *remote_addr;
	struct ats_error *err;
	uint64_t changed; /* member_set: rows changed */
};

static int pool_insert(struct db *db, struct arena *a, void *arg)
{
	struct pool_write *x = arg;
	int rc = db_exec(db, NULL,
			 "INSERT INTO talent_pools (name, kind, created_by) "
			 "VALUES (?, 'user', NULLIF(?, 0))",
			 "si", x->name, x->actor_id);
	x->id = rc == DB_OK ? (int64_t)db_insert_id(db) : 0;
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "pool.create", "pool", x->id,
			       x->name, x->remote_addr);
	return rc;
}

int ats_pool_create(struct db *db, struct arena *a, int64_t actor_id,
		    const char *name, const char *remote_addr, int64_t *id,
		    struct ats_error *err)
{
	struct pool_write x = {
	    .actor_id = actor_id, .name = name, .remote_addr = remote_addr};
	int rc = name_check(err, name);
	if (rc != DB_OK)
		return rc;
	rc = db_transaction(db, pool_insert, &x);
	if (rc == DB_DUPLICATE)
		return duplicate(a, err, name);
	if (rc == DB_OK && id)
		*id = x.id;
	return rc;
}

static int pool_rename(struct db *db, struct arena *a, void *arg)
{
	struct pool_write *x = arg;
	const char *kind = NULL, *old = NULL;
	int rc = pool_lock(db, a, x->id, &kind, &old);
	if (rc == DB_OK && !strcmp(kind, "linkedin"))
		rc = ats_fail(x->err, ATS_POOL_SYSTEM, NULL, system_pool_msg);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE talent_pools SET name = ? WHERE id = ?",
			     "si", x->name, x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "pool.rename", "pool", x->id,
			       arena_printf(a, "%s -> %s", old, x->name),
			       x->remote_addr);
	return rc;
}

int ats_pool_rename(struct db *db, struct arena *a, int64_t actor_id,
		    int64_t id, const char *name, const char *remote_addr,
		    struct ats_error *err)
{
	struct pool_write x = {.actor_id = actor_id,
			       .id = id,
			       .name = name,
			       .remote_addr = remote_addr,
			       .err = err};
	int rc = name_check(err, name);
	if (rc != DB_OK)
		return rc;
	rc = db_transaction(db, pool_rename, &x);
	if (rc == DB_DUPLICATE)
		return duplicate(a, err, name);
	return rc;
}

static int pool_delete(struct db *db, struct arena *a, void *arg)
{
	struct pool_write *x = arg;
	const char *kind = NULL, *name = NULL;
	int rc = pool_lock(db, a, x->id, &kind, &name);
	if (rc == DB_OK && !strcmp(kind, "linkedin"))
		rc = ats_fail(x->err, ATS_POOL_SYSTEM, NULL, system_pool_msg);
	/* pool_members go with it (ON DELETE CASCADE) */
	if (rc == DB_OK)
		rc = db_exec(db, NULL, "DELETE FROM talent_pools WHERE id = ?",
			     "i", x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "pool.delete", "pool", x->id,
			       name, x->remote_addr);
	return rc;
}

int ats_pool_delete(struct db *db, struct arena *a, int64_t actor_id,
		    int64_t id, const char *remote_addr, struct ats_error *err)
{
	struct pool_write x = {.actor_id = actor_id,
			       .id = id,
			       .remote_addr = remote_addr,
			       .err = err};
	return db_transaction(db, pool_delete, &x);
}

/*
 * One index range of pool_members_added (pool_id, added_at, candidate_id),
 * newest first: the first offset + 2 * limit + 1 entries, counted (the
 * window's size is the total when it is not full), of which the page's
 * rows are joined to their candidates.  A pool of 10,000 costs a page, not
 * 10,000 rows.
 */
int ats_pool_members(struct db *db, struct arena *a, int64_t pool_id,
		     int64_t offset, int64_t limit,
		     struct pool_member_list *out)
{
	struct db_result res;
	struct db_row cnt;
	memset(out, 0, sizeof(*out));
	if (offset < 0)
		offset = 0;
	out->v =
	    arena_calloc(a, limit > 0 ? (size_t)limit : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	if (limit <= 0)
		return DB_OK;
	int64_t window = ats_window(offset, limit);
	int rc = db_query(
	    db, a, &res,
	    "SELECT c.id, CONCAT_WS(' ', c.first_name, NULLIF(c.last_name, "
	    "'')), COALESCE(c.email, ''), c.headline, DATE_FORMAT(w.added_at, "
	    "'%Y-%m-%d %H:%i'), COALESCE(u.name, ''), w.total, "
	    "COALESCE(NULLIF(m.source, ''), c.source) FROM (SELECT "
	    "candidate_id, added_at, COUNT(*) OVER () AS total FROM (SELECT "
	    "candidate_id, added_at FROM pool_members WHERE pool_id = ? ORDER "
	    "BY added_at DESC, candidate_id DESC LIMIT ?) b ORDER BY added_at "
	    "DESC, candidate_id DESC LIMIT ? OFFSET ?) w JOIN pool_members m "
	    "ON m.pool_id = ? AND m.candidate_id = w.candidate_id JOIN "
	    "candidates c ON c.id = w.candidate_id LEFT JOIN users u ON u.id "
	    "= m.added_by ORDER BY w.added_at DESC, w.candidate_id DESC",
	    "iiiii", pool_id, window, limit, offset, pool_id);
	if (rc != DB_OK)
		return rc;
	if (res.nrows) {
		out->total = ats_window_total(db_int(&res.rows[0], 6), window,
					      &out->total_more);
	} else if (offset > 0) {
		/* past the end: how many there are, up to the offset */
		rc = db_query_row(db, a, &cnt,
				  "SELECT COUNT(*) FROM (SELECT 1 FROM "
				  "pool_members WHERE pool_id = ? LIMIT ?) w",
				  "ii", pool_id, offset + 1);
		if (rc != DB_OK)
			return rc;
		out->total = db_int(&cnt, 0);
	}
	for (size_t i = 0; i < res.nrows && i < (size_t)limit; i++) {
		struct db_row *r = &res.rows[i];
		struct pool_member *m = &out->v[out->n++];
		m->candidate_id = db_int(r, 0);
		m->name = r->v[1];
		m->email = r->v[2];
		m->headline = r->v[3];
		m->added_at = r->v[4];
		m->added_by = r->v[5];
		m->source = r->v[7];
	}
	return DB_OK;
}

/* In a transaction: the pool exists and is a user pool, the candidate
 * exists. */
static int membership_check(struct db *db, struct arena *a, int64_t pool_id,
			    int64_t candidate_id, struct ats_error *err)
{
	const char *kind = NULL, *name = NULL;
	struct db_row r;
	int rc = pool_lock(db, a, pool_id, &kind, &name);
	if (rc != DB_OK)
		return rc;
	if (!strcmp(kind, "linkedin"))
		return ats_fail(err, ATS_POOL_SYSTEM, NULL, system_pool_msg);
	rc = db_query_row(db, a, &r, "SELECT id FROM candidates WHERE id = ?",
			  "i", candidate_id);
	if (rc == DB_NOT_FOUND)
		return ats_fail(err, ATS_INVALID, "candidate_id",
				"there is no such candidate");
	return rc;
}

/* The change and its audit row are one transaction. */
static int pool_member_set(struct db *db, struct arena *a, void *arg)
{
	struct pool_write *x = arg;
	x->changed = 0;
	int rc = membership_check(db, a, x->id, x->candidate_id, x->err);
	if (rc == DB_OK && x->member)
		rc = db_exec(db, &x->changed,
			     "INSERT IGNORE INTO pool_members (pool_id, "
			     "candidate_id, added_by) VALUES (?, ?, "
			     "NULLIF(?, 0))",
			     "iii", x->id, x->candidate_id, x->actor_id);
	else if (rc == DB_OK)
		rc = db_exec(db, &x->changed,
			     "DELETE FROM pool_members WHERE pool_id = ? AND "
			     "candidate_id = ?",
			     "ii", x->id, x->candidate_id);
	if (rc == DB_OK && x->changed)
		rc = ats_audit(
		    db, x->actor_id,
		    x->member ? "pool.member_add" : "pool.member_remove",
		    "pool", x->id,
		    arena_printf(a, "candidate %lld",
				 (long long)x->candidate_id),
		    x->remote_addr);
	return rc;
}

int ats_pool_member_set(struct db *db, struct arena *a, int64_t actor_id,
			int64_t pool_id, int64_t candidate_id, bool member,
			const char *remote_addr, bool *changed,
			struct ats_error *err)
{
	struct pool_write x = {.actor_id = actor_id,
			       .id = pool_id,
			       .candidate_id = candidate_id,
			       .member = member,
			       .remote_addr = remote_addr,
			       .err = err};
	int rc = db_transaction(db, pool_member_set, &x);
	if (changed)
		*changed = rc == DB_OK && x.changed > 0;
	return rc;
}

int ats_pool_addable(struct db *db, struct arena *a, int64_t pool_id,
		     const char *q, int64_t limit, struct pool_member_list *out)
{
	struct candidate_list found;
	memset(out, 0, sizeof(*out));
	int rc = ats_candidates_not_in_pool(db, a, q, pool_id, limit, &found);
	if (rc != DB_OK)
		return rc;
	out->v = arena_calloc(a, found.n ? found.n : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < found.n; i++) {
		struct pool_member *m = &out->v[out->n++];
		m->candidate_id = found.v[i].id;
		m->name = ats_candidate_name(a, &found.v[i]);
		m->email = found.v[i].email;
		m->headline = found.v[i].headline;
		m->added_at = "";
		m->added_by = "";
		m->source = "";
	}
	out->total = (int64_t)out->n;
	return DB_OK;
}

int ats_pool_linkedin_add(struct db *db, int64_t candidate_id)
{
	return db_exec(
	    db, NULL,
	    "INSERT IGNORE INTO pool_members (pool_id, candidate_id) "
	    "SELECT id, ? FROM talent_pools WHERE kind = 'linkedin'",
	    "i", candidate_id);
}

int ats_candidate_pools(struct db *db, struct arena *a, int64_t candidate_id,
			struct pool **out, size_t *n)
{
	struct db_result res;
	*out = NULL;
	*n = 0;
	/* members is not counted (0): the page names the pools only, and
	 * counting a pool of 10,000 for each would cost more than the page */
	int rc = db_query(db, a, &res,
			  "SELECT p.id, p.name, p.kind, 0, "
			  "DATE_FORMAT(p.created_at, '%Y-%m-%d'), u.name "
			  "FROM pool_members pm JOIN talent_pools p ON p.id = "
			  "pm.pool_id LEFT JOIN users u ON u.id = "
			  "p.created_by WHERE pm.candidate_id = ? ORDER BY "
			  "p.name",
			  "i", candidate_id);
	return rc == DB_OK ? pools_from(a, &res, out, n) : rc;
}
