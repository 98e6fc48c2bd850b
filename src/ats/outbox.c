/*
 * outbox.c - the outbox (sql/120_outbox.sql): marks written by the ATS's
 * writers in their own transactions, claims, completions and failures
 * recorded by the worker, the admin's retry and view.
 *
 * Why a row is never sent twice, nor lost:
 *  - A claim locks due rows with FOR UPDATE SKIP LOCKED, moves their
 *    next_attempt_at (and leased_until) to the end of a lease and commits.
 *    Another claimer skips them while they are locked and does not find
 *    them due afterwards, so two workers never send one row at once; no
 *    lock is held while a row is sent; a worker killed mid-send leaves
 *    its rows to come back, due, when the lease ends.
 *  - A writer's mark, in the writer's transaction, holds the row's lock
 *    until it commits: a claimer passes the row over until then, so it is
 *    never sent before the change it stands for is visible.
 *  - Every mark bumps the generation.  A completion deletes the row only
 *    when the generation is the one claimed; otherwise a change came in
 *    during the send (whose state the send may predate) and the row is
 *    made due at once.  A mark during a lease does not make the row due
 *    itself (it keeps the lease's end): the send under way finishes first
 *    and then makes it due, so two sends of one entity never overlap and
 *    an older state can never arrive at LinkedIn after a newer one.
 */
#include <string.h>

#include "ats/inbound.h"
#include "ats/outbox.h"
#include "core/crypto.h"

/* ------------------------------------------------------------ marks */

/* Makes the row pending and due, unless it is under a lease (see the top
 * of the file). */
static int mark(struct db *db, const char *kind, uint64_t entity_id,
		int tombstone)
{
	return db_exec(
	    db, NULL,
	    "INSERT INTO outbox (kind, entity_id, tombstone) VALUES (?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE generation = generation + 1, "
	    "tombstone = VALUES(tombstone), state = 'pending', attempts = 0, "
	    "next_attempt_at = IF(leased_until > NOW(3), leased_until, "
	    "NOW(3))",
	    "sui", kind, entity_id, (int64_t)tombstone);
}

int ats_outbox_mark(struct db *db, const char *kind, uint64_t entity_id)
{
	return mark(db, kind, entity_id, 0);
}

int ats_outbox_mark_deleted(struct db *db, const char *kind, uint64_t entity_id)
{
	return mark(db, kind, entity_id, 1);
}

int ats_outbox_mark_candidate(struct db *db, int64_t candidate_id)
{
	return mark(db, ATS_OUTBOX_CANDIDATE, (uint64_t)candidate_id, 0);
}

int ats_outbox_mark_application(struct db *db, int64_t application_id)
{
	uint64_t n = 0;
	/* one statement: the application's candidate, marked as mark()
	 * does */
	int rc = db_exec(
	    db, &n,
	    "INSERT INTO outbox (kind, entity_id, tombstone) SELECT ?, "
	    "candidate_id, 0 FROM applications WHERE id = ? ON DUPLICATE KEY "
	    "UPDATE generation = generation + 1, tombstone = 0, state = "
	    "'pending', attempts = 0, next_attempt_at = IF(leased_until > "
	    "NOW(3), leased_until, NOW(3))",
	    "si", ATS_OUTBOX_CANDIDATE, application_id);
	return rc == DB_OK && !n ? DB_NOT_FOUND : rc;
}

/* ------------------------------------------------------------ claims */

struct claim {
	const char *kind;
	size_t max;
	int lease_s;
	struct ats_outbox_row *rows; /* in the caller's arena */
	size_t n;
};

static int claim_txn(struct db *db, struct arena *a, void *arg)
{
	struct claim *x = arg;
	struct db_result res;
	/* Rows a writer's open transaction or another claimer holds are
	 * skipped, not waited for. */
	int rc = db_query(db, a, &res,
			  "SELECT id, entity_id, tombstone, attempts, "
			  "generation FROM outbox WHERE state = 'pending' AND "
			  "kind = ? AND next_attempt_at <= NOW(3) ORDER BY "
			  "next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED",
			  "si", x->kind, (int64_t)x->max);
	x->n = 0;
	if (rc != DB_OK || res.nrows == 0)
		return rc;
	struct buf ids = BUF_INIT;
	buf_adds(&ids, "[");
	for (size_t i = 0; i < res.nrows; i++) {
		const struct db_row *r = &res.rows[i];
		struct ats_outbox_row *o = &x->rows[x->n++];
		o->id = (uint64_t)db_int(r, 0);
		o->entity_id = (uint64_t)db_int(r, 1);
		o->tombstone = db_int(r, 2) != 0;
		o->attempts = (int)db_int(r, 3);
		o->generation = (unsigned)db_int(r, 4);
		buf_addf(&ids, "%s%llu", i ? "," : "",
			 (unsigned long long)o->id);
	}
	buf_adds(&ids, "]");
	/* The lease, for the batch in one statement: the ids as a JSON
	 * array, each row by its primary key. */
	rc = buf_failed(&ids)
		 ? DB_ERROR
		 : db_exec(db, NULL,
			   "UPDATE JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT "
			   "UNSIGNED PATH '$')) x STRAIGHT_JOIN outbox o FORCE "
			   "INDEX (PRIMARY) ON o.id = x.id SET o.leased_until "
			   "= NOW(3) + INTERVAL ? SECOND, o.next_attempt_at = "
			   "NOW(3) + INTERVAL ? SECOND, o.last_attempt_at = "
			   "NOW(3)",
			   "sii", ids.data, (int64_t)x->lease_s,
			   (int64_t)x->lease_s);
	buf_release(&ids);
	return rc;
}

int ats_outbox_due(struct db *db, struct arena *a, const char *const *kinds,
		   size_t n, bool *due)
{
	struct db_result res;
	for (size_t i = 0; i < n; i++)
		due[i] = false;
	/*
	 * Each (state, kind)'s earliest row, read by a loose scan of the
	 * index (state, kind, next_attempt_at): one entry a group, however
	 * many rows wait.  A probe a kind (a subquery on state = 'pending'
	 * AND kind = ?) was planned, once thousands of rows were pending, as
	 * a range on state alone: every pending row read at each pass (4 ms
	 * a pass, a third of an export's MariaDB time in the export flood).
	 * The groups are at most two a kind; the dead ones are left here.
	 * It goes as text: prepared, on the worker's connection (which reads
	 * other ranges between passes), MariaDB 10.11 read the whole index
	 * instead (~4,800 entries a pass, 1 ms, in the export flood), as it
	 * does search.c's sources in use.
	 */
	int rc = db_query_text(db, a, &res,
			       "SELECT state, kind, MIN(next_attempt_at) <= "
			       "NOW(3) FROM outbox GROUP BY state, kind");
	if (rc != DB_OK)
		return rc;
	for (size_t r = 0; r < res.nrows; r++) {
		const struct db_row *row = &res.rows[r];
		if (strcmp(row->v[0], "pending") || !db_int(row, 2))
			continue;
		for (size_t i = 0; i < n; i++)
			if (kinds[i] && !strcmp(row->v[1], kinds[i]))
				due[i] = true;
	}
	return DB_OK;
}

int ats_outbox_claim(struct db *db, struct arena *a, const char *kind,
		     size_t max, int lease_s, struct ats_outbox_row **rows,
		     size_t *n)
{
	struct claim x = {.kind = kind, .max = max, .lease_s = lease_s};
	*rows = NULL;
	*n = 0;
	if (max == 0 || max > 1000 || lease_s < 1)
		return DB_ERROR;
	x.rows = arena_calloc(a, max, sizeof(*x.rows));
	if (!x.rows)
		return DB_ERROR;
	int rc = db_transaction(db, claim_txn, &x);
	if (rc == DB_OK) {
		*rows = x.rows;
		*n = x.n;
	}
	return rc;
}

/* ------------------------------------------------------------ outcomes */

/* A failed send that a newer mark overtook, or a completed one: due at
 * once, lease over. */
static int make_due(struct db *db, const struct ats_outbox_row *row,
		    const char *error, enum ats_outbox_outcome *outcome)
{
	uint64_t affected = 0;
	int rc = db_exec(db, &affected,
			 "UPDATE outbox SET next_attempt_at = NOW(3), "
			 "leased_until = NULL, last_error = IFNULL(?, "
			 "last_error) WHERE id = ? AND state = 'pending'",
			 "su", error, row->id);
	if (rc == DB_OK && outcome)
		*outcome = affected ? ATS_OUTBOX_SUPERSEDED : ATS_OUTBOX_GONE;
	return rc;
}

int ats_outbox_complete(struct db *db, const struct ats_outbox_row *row,
			enum ats_outbox_outcome *outcome)
{
	uint64_t affected = 0;
	int rc = db_exec(db, &affected,
			 "DELETE FROM outbox WHERE id = ? AND generation = ?",
			 "uu", row->id, (uint64_t)row->generation);
	if (rc != DB_OK || affected) {
		if (rc == DB_OK && outcome)
			*outcome = ATS_OUTBOX_SENT;
		return rc;
	}
	return make_due(db, row, NULL, outcome);
}

int ats_outbox_complete_many(struct db *db, struct arena *a,
			     const struct ats_outbox_row *rows, size_t n,
			     enum ats_outbox_outcome *outcomes)
{
	struct buf ids = BUF_INIT;
	uint64_t affected = 0;
	struct db_result res;
	if (n == 0)
		return DB_OK;
	/* [[id, generation], ...] */
	buf_adds(&ids, "[");
	for (size_t i = 0; i < n; i++)
		buf_addf(&ids, "%s[%llu,%u]", i ? "," : "",
			 (unsigned long long)rows[i].id, rows[i].generation);
	buf_adds(&ids, "]");
	int rc = buf_failed(&ids)
		     ? DB_ERROR
		     : db_exec(db, &affected,
			       "DELETE o FROM JSON_TABLE(?, '$[*]' COLUMNS (id "
			       "BIGINT UNSIGNED PATH '$[0]', g INT UNSIGNED "
			       "PATH '$[1]')) x STRAIGHT_JOIN outbox o FORCE "
			       "INDEX (PRIMARY) ON o.id = x.id AND o.generation "
			       "= x.g",
			       "s", ids.data);
	if (rc == DB_OK && affected < n)
		rc = db_query(db, a, &res,
			      "SELECT o.id FROM JSON_TABLE(?, '$[*]' COLUMNS "
			      "(id BIGINT UNSIGNED PATH '$[0]')) x STRAIGHT_JOIN "
			      "outbox o FORCE INDEX (PRIMARY) ON o.id = x.id",
			      "s", ids.data);
	buf_release(&ids);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		bool left = false;
		for (size_t k = 0; affected < n && k < res.nrows && !left; k++)
			left = (uint64_t)db_int(&res.rows[k], 0) == rows[i].id;
		outcomes[i] = ATS_OUTBOX_SENT;
		/* changed while it was sent: due at once for the change */
		if (left && (rc = make_due(db, &rows[i], NULL, &outcomes[i])) !=
				DB_OK)
			return rc;
	}
	return DB_OK;
}

int64_t ats_outbox_backoff_ms(int attempts, int64_t retry_after_ms,
			      uint32_t jitter)
{
	if (retry_after_ms > 0)
		return retry_after_ms < ATS_OUTBOX_RETRY_AFTER_MAX_MS
			   ? retry_after_ms
			   : ATS_OUTBOX_RETRY_AFTER_MAX_MS;
	int64_t d = ATS_OUTBOX_BACKOFF_BASE_MS;
	for (int i = 1; i < attempts && d < ATS_OUTBOX_BACKOFF_MAX_MS; i++)
		d *= 2;
	if (d > ATS_OUTBOX_BACKOFF_MAX_MS)
		d = ATS_OUTBOX_BACKOFF_MAX_MS;
	/* Between half and all of it: rows that failed together (LinkedIn
	 * was down) do not all come back in the same instant. */
	return d / 2 + (int64_t)(jitter % (uint32_t)(d / 2 + 1));
}

/* error as last_error can hold it: at most ATS_OUTBOX_ERROR_MAX
 * characters of valid UTF-8 (other bytes become '?'); arena-owned, NULL
 * for NULL or on OOM. */
static const char *error_text(struct arena *a, const char *error)
{
	if (!error)
		return NULL;
	size_t len = strlen(error);
	char *out = arena_alloc(a, len + 1);
	if (!out)
		return NULL;
	size_t o = 0, chars = 0;
	for (size_t i = 0; i < len && chars < ATS_OUTBOX_ERROR_MAX; chars++) {
		size_t n = 1;
		unsigned char c = (unsigned char)error[i];
		if (c >= 0xf0)
			n = 4;
		else if (c >= 0xe0)
			n = 3;
		else if (c >= 0xc0)
			n = 2;
		if (i + n <= len && utf8_valid(error + i, n)) {
			memcpy(out + o, error + i, n);
			o += n;
			i += n;
		} else {
			out[o++] = '?';
			i++;
		}
	}
	out[o] = '\0';
	return out;
}

int ats_outbox_fail(struct db *db, const struct ats_outbox_row *row,
		    int max_attempts, int64_t retry_after_ms, bool permanent,
		    const char *error, enum ats_outbox_outcome *outcome,
		    int64_t *delay_ms)
{
	struct arena *a = arena_new(1024);
	if (!a)
		return DB_ERROR;
	const char *text = error_text(a, error ? error : "");
	int attempts = row->attempts + 1;
	bool dead = permanent || attempts >= max_attempts;
	uint32_t jitter = 0;
	if (crypto_random(&jitter, sizeof(jitter)) < 0)
		jitter = (uint32_t)time_mono_us();
	int64_t delay =
	    dead ? 0 : ats_outbox_backoff_ms(attempts, retry_after_ms, jitter);
	uint64_t affected = 0;
	int rc = text ? DB_OK : DB_ERROR;
	/* The attempt counted and the row rescheduled, or dead, as long as
	 * it is still the generation that failed. */
	if (rc == DB_OK)
		rc = db_exec(db, &affected,
			     "UPDATE outbox SET attempts = ?, state = ?, "
			     "next_attempt_at = NOW(3) + INTERVAL ? "
			     "MICROSECOND, leased_until = NULL, last_error = ? "
			     "WHERE id = ? AND generation = ?",
			     "isisuu", (int64_t)attempts,
			     dead ? "dead" : "pending", delay * 1000, text,
			     row->id, (uint64_t)row->generation);
	/* the kind's last error, kept for the sync health after the row is
	 * gone (sql/140) */
	if (rc == DB_OK && affected)
		rc = db_exec(db, NULL,
			     "INSERT INTO outbox_kind_errors (kind, "
			     "last_error, entity_id) SELECT kind, ?, "
			     "entity_id FROM outbox WHERE id = ? ON DUPLICATE "
			     "KEY UPDATE last_error = VALUES(last_error), "
			     "entity_id = VALUES(entity_id), at = NOW(3)",
			     "su", text, row->id);
	if (rc == DB_OK && affected) {
		if (outcome)
			*outcome =
			    dead ? ATS_OUTBOX_DEAD : ATS_OUTBOX_RESCHEDULED;
		if (delay_ms)
			*delay_ms = delay;
	} else if (rc == DB_OK) {
		rc = make_due(db, row, text, outcome);
		if (delay_ms)
			*delay_ms = 0;
	}
	arena_free(a);
	return rc;
}

int ats_outbox_later(struct db *db, const struct ats_outbox_row *row,
		     int64_t delay_ms, enum ats_outbox_outcome *outcome)
{
	uint64_t affected = 0;
	int rc = db_exec(db, &affected,
			 "UPDATE outbox SET next_attempt_at = NOW(3) + "
			 "INTERVAL ? MICROSECOND, leased_until = NULL WHERE id "
			 "= ? AND generation = ?",
			 "iuu", (delay_ms > 0 ? delay_ms : 0) * 1000, row->id,
			 (uint64_t)row->generation);
	if (rc == DB_OK && affected) {
		if (outcome)
			*outcome = ATS_OUTBOX_RESCHEDULED;
		return rc;
	}
	return rc == DB_OK ? make_due(db, row, NULL, outcome) : rc;
}

int ats_outbox_retry(struct db *db, uint64_t id)
{
	uint64_t affected = 0;
	int rc = db_exec(db, &affected,
			 "UPDATE outbox SET state = 'pending', attempts = 0, "
			 "next_attempt_at = NOW(3), leased_until = NULL WHERE "
			 "id = ? AND state = 'dead'",
			 "u", id);
	if (rc == DB_OK && !affected)
		rc = DB_NOT_FOUND;
	return rc;
}

struct admin_retry {
	int64_t actor_id;
	uint64_t id;
	const char *remote_addr;
};

static int admin_retry_txn(struct db *db, struct arena *a, void *arg)
{
	struct admin_retry *x = arg;
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT kind, entity_id FROM outbox WHERE id = ? "
			      "AND state = 'dead' FOR UPDATE",
			      "u", x->id);
	if (rc != DB_OK)
		return rc;
	/* A callback's row died with its event (failed): the event is tried
	 * again as the events page's Retry does it, which also makes this
	 * row pending.  An event with no failure to undo (still received)
	 * only needs its row back. */
	rc = DB_NOT_FOUND;
	if (!strcmp(r.v[0], ATS_OUTBOX_INBOUND_EVENT))
		rc = ats_inbound_retry_in(db, x->actor_id, db_int(&r, 1),
					  x->remote_addr);
	if (rc == DB_NOT_FOUND)
		rc = ats_outbox_retry(db, x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "linkedin.outbox_retry",
			       "outbox", (int64_t)x->id, NULL, x->remote_addr);
	return rc;
}

int ats_outbox_admin_retry(struct db *db, int64_t actor_id, uint64_t id,
			   const char *remote_addr)
{
	struct admin_retry x = {actor_id, id, remote_addr};
	return db_transaction(db, admin_retry_txn, &x);
}

/* ------------------------------------------------------------ admin view */

/* Each kind's last error into out->kinds, adding the kinds that have one
 * and no rows. */
static int kind_errors(struct db *db, struct arena *a,
		       struct ats_outbox_status *out)
{
	struct db_result res;
	int rc = db_query(db, a, &res,
			  "SELECT kind, last_error, DATE_FORMAT(at, "
			  "'%Y-%m-%d %H:%i:%s'), TIMESTAMPDIFF(SECOND, at, "
			  "NOW(3)) FROM outbox_kind_errors ORDER BY kind",
			  "");
	if (rc != DB_OK || !res.nrows)
		return rc;
	struct ats_outbox_kind_stats *k =
	    arena_calloc(a, out->nkinds + res.nrows, sizeof(*k));
	if (!k)
		return DB_ERROR;
	if (out->nkinds)
		memcpy(k, out->kinds, out->nkinds * sizeof(*k));
	out->kinds = k;
	for (size_t i = 0; i < res.nrows; i++) {
		const struct db_row *r = &res.rows[i];
		struct ats_outbox_kind_stats *s = NULL;
		for (size_t j = 0; j < out->nkinds && !s; j++)
			if (!strcmp(out->kinds[j].kind, r->v[0]))
				s = &out->kinds[j];
		if (!s) {
			s = &out->kinds[out->nkinds++];
			s->kind = r->v[0];
			s->oldest_pending_s = -1;
		}
		s->last_error = r->v[1];
		s->last_error_at = r->v[2];
		s->last_error_age_s = db_int(r, 3);
	}
	return DB_OK;
}

int ats_outbox_status(struct db *db, struct arena *a, size_t max_dead,
		      struct ats_outbox_status *out)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	out->oldest_pending_s = -1;
	int rc = db_query(
	    db, a, &res,
	    "SELECT kind, SUM(state = 'pending'), SUM(state = 'pending' AND "
	    "next_attempt_at <= NOW(3)), SUM(state = 'dead'), "
	    "IFNULL(TIMESTAMPDIFF(SECOND, MIN(IF(state = 'pending', "
	    "created_at, NULL)), NOW(3)), -1) FROM outbox GROUP BY kind "
	    "ORDER BY kind",
	    "");
	if (rc != DB_OK)
		return rc;
	out->kinds =
	    arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->kinds));
	if (!out->kinds)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		const struct db_row *r = &res.rows[i];
		struct ats_outbox_kind_stats *k = &out->kinds[i];
		k->kind = r->v[0];
		k->pending = db_int(r, 1);
		k->due = db_int(r, 2);
		k->dead = db_int(r, 3);
		k->oldest_pending_s = db_int(r, 4);
		out->pending += k->pending;
		out->dead += k->dead;
		if (k->oldest_pending_s > out->oldest_pending_s)
			out->oldest_pending_s = k->oldest_pending_s;
	}
	out->nkinds = res.nrows;
	for (size_t i = 0; i < out->nkinds; i++)
		out->kinds[i].last_error_age_s = -1;
	rc = kind_errors(db, a, out);
	if (rc != DB_OK || max_dead == 0)
		return rc;
	rc = db_query(db, a, &res,
		      "SELECT id, kind, entity_id, attempts, "
		      "IFNULL(last_error, ''), DATE_FORMAT(updated_at, "
		      "'%Y-%m-%d %H:%i:%s') FROM outbox WHERE state = 'dead' "
		      "ORDER BY updated_at DESC, id DESC LIMIT ?",
		      "i", (int64_t)max_dead);
	if (rc != DB_OK)
		return rc;
	out->dead_rows =
	    arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->dead_rows));
	if (!out->dead_rows)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		const struct db_row *r = &res.rows[i];
		struct ats_outbox_dead *d = &out->dead_rows[i];
		d->id = (uint64_t)db_int(r, 0);
		d->kind = r->v[1];
		d->entity_id = (uint64_t)db_int(r, 2);
		d->attempts = (int)db_int(r, 3);
		d->last_error = r->v[4];
		d->updated_at = r->v[5];
	}
	out->ndead_rows = res.nrows;
	return DB_OK;
}
