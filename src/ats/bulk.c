/*
 * bulk.c - bulk actions (bulk.h): a bulk job, its items, and the one path
 * that does an item, whether the creator's request runs it (up to
 * BULK_INLINE_MAX items) or the worker does (more).
 *
 * Why it is built so:
 *  - Each item calls the single action's function (applications.c,
 *    pools.c), which runs its own transaction with its event and audit
 *    row and checks the actor's access as for one record.  The bulk job
 *    adds no shortcut: a bulk move of 1,500 is 1,500 moves.
 *  - An item's outcome is recorded after its action committed, in a
 *    second short transaction (the action's function opens its own and
 *    cannot share it).  Between the two a crash can leave a change done
 *    and its item pending; the item comes back (the lease, below) and is
 *    recognised: an item tried before whose action now fails because the
 *    change is there already (the application at the stage, rejected, the
 *    candidate on the job by this user since the bulk job began) counts
 *    as done.
 *  - Items are claimed as the outbox's rows are (outbox.c): SELECT ...
 *    FOR UPDATE SKIP LOCKED over due pending items, their next_attempt_at
 *    moved to the end of a lease and committed, so no lock is held while
 *    they run and two claimers never run one item.  A job run in its
 *    creator's request has its items inserted leased already (to the
 *    request, for INLINE_LEASE_S): the worker leaves them alone, unless
 *    the request died, and then takes them up when the lease ends.
 *  - The selection becomes items in the job's own transaction: "all in
 *    this stage" is the stage as it was when the user confirmed, and a
 *    move refuses an application changed since (its version is kept on
 *    the item), as a move from a stale page does.
 */
#include <stdlib.h>
#include <string.h>

#include "ats/applications.h"
#include "ats/bulk.h"
#include "ats/candidates.h"
#include "ats/check.h"
#include "ats/jobs.h"
#include "ats/pools.h"

/* How long a request holds the items it runs itself (1,000 items take a
 * few seconds; a request that died leaves them to the worker after). */
#define INLINE_LEASE_S 600
/* How long a waiting job's items are held (until its confirmation makes
 * them due; an unconfirmed job's are never due): ten years. */
#define HOLD_S (10LL * 366 * 86400)
/* Ids a statement inserts at once (a JSON array of ~10 bytes an id). */
#define INSERT_CHUNK 5000
/* Candidates read a page while resolving a search's results. */
#define SEARCH_PAGE 500

static const char *const action_names[] = {"move", "reject", "pool_add",
					   "job_add"};
static const char *const source_names[] = {"stage", "search", "pool"};

const char *ats_bulk_action_name(enum bulk_action a)
{
	return a <= BULK_JOB_ADD ? action_names[a] : "";
}

static int word_index(const char *const *words, size_t n, const char *w)
{
	for (size_t i = 0; w && i < n; i++)
		if (!strcmp(words[i], w))
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------ creating */

static int cmp_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* ids[0..n) sorted, without repeats or non-positive ids, into the arena;
 * *m their number. */
static int64_t *unique_ids(struct arena *a, const int64_t *ids, size_t n,
			   size_t *m)
{
	int64_t *v = arena_calloc(a, n ? n : 1, sizeof(*v));
	*m = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (ids[i] > 0)
			v[(*m)++] = ids[i];
	qsort(v, *m, sizeof(*v), cmp_id);
	size_t k = 0;
	for (size_t i = 0; i < *m; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	*m = k;
	return v;
}

struct create {
	const struct user *actor;
	const struct bulk_spec *spec;
	const struct bulk_selection *sel;
	const int64_t *ids; /* the explicit or searched ids, unique */
	size_t n;
	const char *label, *remote_addr;
	const char *to_kind; /* move: the target stage's kind */
	struct ats_error *err;
	struct arena *ea; /* the caller's, for err's messages */
	bool awaiting;	  /* created waiting for its confirmation */
	int64_t lease_s;  /* how long the items are held at first */
	int64_t id, total;
};

/* Inserts ids[0..n) as items of job id (held for the request), those that
 * are records of the kind the action takes (and, from a stage, on the
 * job); *added how many. */
static int insert_ids(struct db *db, const struct create *x, uint64_t *added)
{
	*added = 0;
	for (size_t off = 0; off < x->n; off += INSERT_CHUNK) {
		size_t end = off + INSERT_CHUNK < x->n ? off + INSERT_CHUNK : x->n;
		struct buf b = BUF_INIT;
		buf_adds(&b, "[");
		for (size_t i = off; i < end; i++)
			buf_addf(&b, "%s%lld", i > off ? "," : "",
				 (long long)x->ids[i]);
		buf_adds(&b, "]");
		if (buf_failed(&b)) {
			buf_release(&b);
			return DB_ERROR;
		}
		uint64_t n = 0;
		int rc;
		if (x->spec->source == BULK_FROM_STAGE)
			rc = db_exec(
			    db, &n,
			    "INSERT INTO bulk_items (bulk_job_id, entity_id, "
			    "version, attempts, next_attempt_at) SELECT ?, "
			    "ap.id, ap.version, 1, NOW(3) + INTERVAL ? SECOND "
			    "FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT "
			    "UNSIGNED PATH '$')) x JOIN applications ap ON "
			    "ap.id = x.id WHERE ap.job_id = ?",
			    "iisi", x->id, x->lease_s, b.data,
			    x->spec->source_id);
		else
			rc = db_exec(
			    db, &n,
			    "INSERT INTO bulk_items (bulk_job_id, entity_id, "
			    "attempts, next_attempt_at) SELECT ?, c.id, 1, "
			    "NOW(3) + INTERVAL ? SECOND FROM JSON_TABLE(?, "
			    "'$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) x "
			    "JOIN candidates c ON c.id = x.id",
			    "iis", x->id, x->lease_s, b.data);
		buf_release(&b);
		if (rc != DB_OK)
			return rc;
		*added += n;
	}
	return DB_OK;
}

/* Every record of the source (stage, pool) as items; *added how many, at
 * most BULK_MAX + 1 (one more says "too many"). */
static int insert_all(struct db *db, const struct create *x, uint64_t *added)
{
	if (x->spec->source == BULK_FROM_STAGE)
		return db_exec(
		    db, added,
		    "INSERT INTO bulk_items (bulk_job_id, entity_id, version, "
		    "attempts, next_attempt_at) SELECT ?, id, version, 1, "
		    "NOW(3) + INTERVAL ? SECOND FROM applications WHERE "
		    "job_id = ? AND stage_id = ? AND status = 'active' ORDER "
		    "BY id LIMIT ?",
		    "iiiii", x->id, x->lease_s, x->spec->source_id,
		    x->sel->all_stage_id, (int64_t)BULK_MAX + 1);
	return db_exec(db, added,
		       "INSERT INTO bulk_items (bulk_job_id, entity_id, "
		       "attempts, next_attempt_at) SELECT ?, candidate_id, 1, "
		       "NOW(3) + INTERVAL ? SECOND FROM pool_members WHERE "
		       "pool_id = ? ORDER BY candidate_id LIMIT ?",
		       "iiii", x->id, x->lease_s, x->spec->source_id,
		       (int64_t)BULK_MAX + 1);
}

static int create_txn(struct db *db, struct arena *a, void *arg)
{
	struct create *x = arg;
	const struct bulk_spec *s = x->spec;
	int rc = db_exec(
	    db, NULL,
	    "INSERT INTO bulk_jobs (user_id, action, source_kind, source_id, "
	    "target_id, reason, note, label, return_to, remote_addr, "
	    "awaiting_confirm) VALUES (?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, "
	    "?, ?)",
	    "issiisssssi", x->actor->id, action_names[s->action],
	    source_names[s->source], s->source_id, s->target_id, s->reason,
	    s->note, x->label, s->return_to ? s->return_to : "",
	    x->remote_addr, (int64_t)x->awaiting);
	if (rc != DB_OK)
		return rc;
	x->id = (int64_t)db_insert_id(db);
	uint64_t added = 0;
	bool all = x->sel->all && s->source != BULK_FROM_SEARCH;
	rc = all ? insert_all(db, x, &added) : insert_ids(db, x, &added);
	if (rc != DB_OK)
		return rc;
	if (added == 0)
		return ats_fail(x->err, ATS_INVALID, "ids",
				"Select at least one candidate.");
	if (added > BULK_MAX)
		return ats_fail(x->err, ATS_INVALID, "ids",
				"A bulk action takes at most 100,000 "
				"candidates; narrow the selection.");
	if (!all && added < x->n && s->source == BULK_FROM_STAGE)
		return ats_fail(x->err, ATS_INVALID, "ids",
				"Some of the applications chosen are not on "
				"this job; reload the page and choose again.");
	x->total = (int64_t)added;
	bool background = added > BULK_INLINE_MAX;
	/* a background job's items are the worker's, due now (a waiting
	 * one's when it is confirmed) */
	if (background && !x->awaiting)
		rc = db_exec(db, NULL,
			     "UPDATE bulk_items SET attempts = 0, "
			     "next_attempt_at = NOW(3) WHERE bulk_job_id = ?",
			     "i", x->id);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE bulk_jobs SET total = ?, background = ? "
			     "WHERE id = ?",
			     "iii", x->total, (int64_t)background, x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor->id, "bulk.create", "bulk_job",
			       x->id,
			       arena_printf(a, "%s %s: %lld", action_names[s->action],
					    x->label, (long long)x->total),
			       x->remote_addr);
	return rc;
}

/* The target in words, checked: *label "Screen", "Engineers", "Backend
 * (J-00042)", or the rejection reason's label. */
static int check_target(struct db *db, struct arena *a,
			const struct user *actor, const struct bulk_spec *s,
			const char **label, const char **to_kind,
			struct ats_error *err)
{
	enum access acc = ACCESS_NONE;
	int rc;
	if (s->source == BULK_FROM_STAGE) {
		rc = ats_job_access(db, a, actor, s->source_id, &acc);
		if (rc == DB_OK && acc == ACCESS_NONE)
			rc = DB_NOT_FOUND;
		if (rc != DB_OK)
			return ats_fail(err, rc, "job_id", "There is no such job.");
		if (s->action == BULK_MOVE && acc < ACCESS_CONTRIBUTE)
			return ats_fail(err, ATS_FORBIDDEN, NULL,
					"Only the job's recruiters and hiring "
					"managers move candidates.");
		if (s->action == BULK_REJECT && acc < ACCESS_MANAGE)
			return ats_fail(err, ATS_FORBIDDEN, NULL,
					"Only the job's recruiters reject "
					"candidates.");
	} else if (s->action == BULK_MOVE || s->action == BULK_REJECT) {
		return ats_fail(err, ATS_INVALID, "action",
				"Move and reject are made from a job's stage.");
	}
	switch (s->action) {
	case BULK_MOVE: {
		struct stage st;
		rc = ats_stage_get(db, a, s->source_id, s->target_id, &st);
		if (rc == DB_NOT_FOUND)
			return ats_fail(err, ATS_INVALID, "stage_id",
					"Choose a stage of this job.");
		*label = st.name;
		*to_kind = st.kind;
		return rc;
	}
	case BULK_REJECT:
		*label = ats_word_label(ats_rejection_reasons, s->reason);
		if (!*label)
			return ats_fail(err, ATS_INVALID, "reason",
					"Choose a reason for the rejection.");
		if (!ats_text_valid(s->note, 0, APP_NOTE_MAX))
			return ats_fail(err, ATS_INVALID, "note",
					"The note must be at most 2,000 "
					"characters of text.");
		return DB_OK;
	case BULK_POOL_ADD: {
		struct pool p;
		rc = ats_pool_get(db, a, s->target_id, &p);
		if (rc == DB_NOT_FOUND)
			return ats_fail(err, ATS_INVALID, "pool_id",
					"Choose a talent pool.");
		if (rc == DB_OK && p.system)
			return ats_fail(err, ATS_INVALID, "pool_id",
					"People are not added to the LinkedIn "
					"pool by hand; choose another pool.");
		*label = p.name;
		return rc;
	}
	case BULK_JOB_ADD: {
		struct job j;
		rc = ats_job_get_as(db, a, actor, s->target_id, &j, &acc);
		if (rc == DB_NOT_FOUND || (rc == DB_OK && acc == ACCESS_NONE))
			return ats_fail(err, ATS_INVALID, "job_id",
					"Choose a job.");
		if (rc != DB_OK)
			return rc;
		if (acc < ACCESS_MANAGE)
			return ats_fail(err, ATS_FORBIDDEN, "job_id",
					"Only the job's recruiters add "
					"candidates to it.");
		if (!ats_job_takes_applications(&j))
			return ats_fail(err, ATS_INVALID, "job_id",
					"This job is closed; reopen it to add "
					"candidates.");
		*label = arena_printf(a, "%s (%s)", j.title, j.public_id);
		return *label ? DB_OK : DB_ERROR;
	}
	}
	return ats_fail(err, ATS_INVALID, "action", "Choose an action.");
}

/* Whether f asks for every candidate (no words, no filter). */
static bool search_is_all(const struct candidate_query *f)
{
	return !f || ((!f->q || !*f->q) && !f->job_id && !f->stage_id &&
		      !f->pool_id && (!f->source || !*f->source) &&
		      (!f->added_from || !*f->added_from) &&
		      (!f->added_to || !*f->added_to));
}

/* The candidates the search f finds for the actor, as the list shows them
 * (the same words, filters and narrowing: ats_candidates_find), up to
 * BULK_MAX + 1 (one more says "too many"). */
static int search_ids(struct db *db, struct arena *a, const struct user *actor,
		      const struct candidate_query *f, int64_t **ids,
		      size_t *n)
{
	size_t cap = 0;
	*ids = NULL;
	*n = 0;
	if (search_is_all(f) &&
	    (actor->role == ROLE_ADMIN || actor->role == ROLE_RECRUITER)) {
		/* every candidate (admins and recruiters see them all): one
		 * index read, not 200 pages of the search */
		struct db_result res;
		int rc = db_query(db, a, &res,
				  "SELECT id FROM candidates ORDER BY id LIMIT ?",
				  "i", (int64_t)BULK_MAX + 1);
		if (rc != DB_OK)
			return rc;
		*ids = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(**ids));
		if (!*ids)
			return DB_ERROR;
		for (size_t i = 0; i < res.nrows; i++)
			(*ids)[(*n)++] = db_int(&res.rows[i], 0);
		return DB_OK;
	}
	for (int64_t off = 0; *n <= BULK_MAX; off += SEARCH_PAGE) {
		struct candidate_list l;
		struct arena *pa = arena_new(64 * 1024);
		if (!pa)
			return DB_ERROR;
		struct candidate_query none = {0};
		int rc = ats_candidates_find(db, pa, actor, f ? f : &none, off,
					     SEARCH_PAGE, &l);
		if (rc == DB_OK && *n + l.n > cap) {
			size_t ncap = cap ? 2 * cap : 1024;
			while (ncap < *n + l.n)
				ncap *= 2;
			int64_t *v = arena_calloc(a, ncap, sizeof(*v));
			if (!v)
				rc = DB_ERROR;
			else {
				if (*n)
					memcpy(v, *ids, *n * sizeof(*v));
				*ids = v;
				cap = ncap;
			}
		}
		for (size_t i = 0; rc == DB_OK && i < l.n; i++)
			(*ids)[(*n)++] = l.v[i].id;
		size_t got = rc == DB_OK ? l.n : 0;
		arena_free(pa);
		if (rc != DB_OK)
			return rc;
		if (got < SEARCH_PAGE)
			break;
	}
	return DB_OK;
}

int ats_bulk_create(struct db *db, struct arena *a, const struct user *actor,
		    const struct bulk_spec *spec,
		    const struct bulk_selection *sel, const char *remote_addr,
		    int64_t *id, int64_t *total, struct ats_error *err)
{
	struct create x = {.actor = actor,
			   .spec = spec,
			   .sel = sel,
			   .remote_addr = remote_addr,
			   .err = err,
			   .ea = a};
	*id = 0;
	*total = 0;
	if ((unsigned)spec->action > BULK_JOB_ADD ||
	    (unsigned)spec->source > BULK_FROM_POOL)
		return ats_fail(err, ATS_INVALID, "action", "Choose an action.");
	int rc = check_target(db, a, actor, spec, &x.label, &x.to_kind, err);
	if (rc != DB_OK)
		return rc;
	x.awaiting = ats_bulk_needs_confirm(spec, sel->all, x.to_kind);
	x.lease_s = x.awaiting ? HOLD_S : INLINE_LEASE_S;
	if (sel->all && spec->source == BULK_FROM_SEARCH) {
		int64_t *found;
		size_t nf;
		rc = search_ids(db, a, actor, sel->all_search, &found, &nf);
		if (rc != DB_OK)
			return rc;
		x.ids = unique_ids(a, found, nf, &x.n);
	} else if (!sel->all) {
		if (sel->n > BULK_MAX)
			return ats_fail(err, ATS_INVALID, "ids",
					"A bulk action takes at most 100,000 "
					"candidates; narrow the selection.");
		x.ids = unique_ids(a, sel->ids, sel->n, &x.n);
	} else if (spec->source == BULK_FROM_STAGE) {
		struct stage st;
		rc = ats_stage_get(db, a, spec->source_id, sel->all_stage_id,
				   &st);
		if (rc == DB_NOT_FOUND)
			return ats_fail(err, ATS_INVALID, "stage",
					"Choose a stage of this job.");
		if (rc != DB_OK)
			return rc;
	}
	if (!x.ids && !sel->all)
		return DB_ERROR;
	if (x.n > BULK_MAX)
		return ats_fail(err, ATS_INVALID, "ids",
				"A bulk action takes at most 100,000 "
				"candidates; narrow the selection.");
	rc = db_transaction(db, create_txn, &x);
	if (rc == DB_OK) {
		*id = x.id;
		*total = x.total;
	}
	return rc;
}

bool ats_bulk_needs_confirm(const struct bulk_spec *spec, bool all,
			    const char *to_kind)
{
	return spec->action == BULK_REJECT ||
	       (spec->action == BULK_MOVE && to_kind &&
		!strcmp(to_kind, "hired")) ||
	       (all && spec->source == BULK_FROM_SEARCH);
}

struct confirm {
	const struct user *actor;
	int64_t id;
	const char *remote_addr;
	struct ats_error *err;
};

static int confirm_txn(struct db *db, struct arena *a, void *arg)
{
	struct confirm *x = arg;
	struct db_row row;
	int rc = db_query_row(
	    db, a, &row,
	    "SELECT background, created_at < NOW(3) - INTERVAL ? SECOND, "
	    "total FROM bulk_jobs WHERE id = ? AND user_id = ? AND "
	    "awaiting_confirm = 1 FOR UPDATE",
	    "iii", (int64_t)BULK_CONFIRM_S, x->id, x->actor->id);
	if (rc != DB_OK)
		return rc;
	bool background = db_int(&row, 0) != 0;
	if (db_int(&row, 1))
		return ats_fail(x->err, ATS_INVALID, "confirm",
				"This confirmation waited over an hour: the "
				"candidates chosen may have changed since. "
				"Choose them again.");
	rc = db_exec(db, NULL,
		     "UPDATE bulk_jobs SET awaiting_confirm = 0 WHERE id = ?",
		     "i", x->id);
	/* the worker's now, or held for the request that runs them */
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE bulk_items SET attempts = ?, "
			     "next_attempt_at = NOW(3) + INTERVAL ? SECOND "
			     "WHERE bulk_job_id = ?",
			     "iii", (int64_t)!background,
			     (int64_t)(background ? 0 : INLINE_LEASE_S), x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor->id, "bulk.confirm", "bulk_job",
			       x->id, row.v[2], x->remote_addr);
	return rc;
}

int ats_bulk_confirm(struct db *db, const struct user *actor, int64_t id,
		     const char *remote_addr, struct ats_error *err)
{
	struct confirm x = {actor, id, remote_addr, err};
	return db_transaction(db, confirm_txn, &x);
}

/* ------------------------------------------------------------ running */

/* A job as its items need it: the spec, the actor (as they are now). */
struct runner {
	int64_t job_id;
	struct bulk_spec spec;
	struct user actor;
	bool actor_active;
	const char *label, *remote_addr, *created_at;
	int64_t target_stage; /* move */
};

static int runner_load(struct db *db, struct arena *a, int64_t job_id,
		       struct runner *r)
{
	struct db_row row;
	int rc = db_query_row(
	    db, a, &row,
	    "SELECT b.action, b.source_kind, COALESCE(b.source_id, 0), "
	    "b.target_id, b.reason, b.note, b.label, b.remote_addr, "
	    "DATE_FORMAT(b.created_at, '%Y-%m-%d %H:%i:%s.%f'), "
	    ATS_USER_COLUMNS " FROM bulk_jobs b JOIN users u ON u.id = "
	    "b.user_id WHERE b.id = ?",
	    "i", job_id);
	if (rc != DB_OK)
		return rc;
	*r = (struct runner){.job_id = job_id};
	r->spec.action = (enum bulk_action)word_index(action_names, 4, row.v[0]);
	r->spec.source = (enum bulk_source)word_index(source_names, 3, row.v[1]);
	r->spec.source_id = db_int(&row, 2);
	r->spec.target_id = db_int(&row, 3);
	r->spec.reason = row.v[4];
	r->spec.note = row.v[5] ? row.v[5] : "";
	r->label = row.v[6];
	r->remote_addr = row.v[7];
	r->created_at = row.v[8];
	struct db_row ur = {row.v + 9, row.len + 9};
	ats_user_from_row(&r->actor, &ur);
	r->actor_active = r->actor.active;
	return DB_OK;
}

/* After a failure of an item tried before (attempts > 1): whether the
 * change is there already, made by that earlier try. */
static bool done_before(struct db *db, struct arena *a, const struct runner *r,
			int64_t entity_id)
{
	struct db_row row;
	switch (r->spec.action) {
	case BULK_MOVE:
		return db_query_row(db, a, &row,
				    "SELECT 1 FROM applications WHERE id = ? "
				    "AND stage_id = ? AND status = 'active'",
				    "ii", entity_id, r->spec.target_id) == DB_OK;
	case BULK_REJECT:
		return db_query_row(db, a, &row,
				    "SELECT 1 FROM applications WHERE id = ? "
				    "AND status = 'rejected'",
				    "i", entity_id) == DB_OK;
	case BULK_JOB_ADD:
		return db_query_row(
			   db, a, &row,
			   "SELECT 1 FROM applications WHERE job_id = ? AND "
			   "candidate_id = ? AND created_by = ? AND created_at "
			   ">= ?",
			   "iiis", r->spec.target_id, entity_id, r->actor.id,
			   r->created_at) == DB_OK;
	case BULK_POOL_ADD:
		return false; /* adding again is no failure */
	}
	return false;
}

/* What went wrong with one record, in words. */
static const char *failure_text(struct arena *a, const struct runner *r, int rc,
				const struct ats_error *e)
{
	if (r->spec.action == BULK_MOVE && rc == ATS_INVALID && e->field &&
	    !strcmp(e->field, "stage_id"))
		return arena_printf(a, "Already at %s.", r->label);
	if (e->message && *e->message) {
		if (e->message[0] >= 'a' && e->message[0] <= 'z')
			return arena_printf(a, "The %s %s.",
					    e->field ? e->field : "record",
					    e->message);
		return e->message;
	}
	switch (rc) {
	case DB_NOT_FOUND:
		return "Not found: deleted, or no longer yours to see.";
	case ATS_FORBIDDEN:
		return "You may not do this to this record.";
	case DB_GONE:
	case DB_DEADLOCK:
		return "The database was busy; try this one again.";
	default:
		return "Failed for a reason of the system's; try this one "
		       "again.";
	}
}

/* Does one item: 0 done, else the failure's text in *why. */
static int run_item(struct db *db, struct arena *a, const struct runner *r,
		    int64_t entity_id, int64_t version, int attempts,
		    const char **why)
{
	struct ats_error e = {0};
	int rc;
	int64_t app_id = 0;
	*why = NULL;
	if (!r->actor_active) {
		*why = "The user who started this bulk action can no longer "
		       "sign in.";
		return -1;
	}
	switch (r->spec.action) {
	case BULK_MOVE:
		rc = ats_application_move(db, a, &r->actor, entity_id,
					  r->spec.target_id, version,
					  r->remote_addr, &e);
		break;
	case BULK_REJECT:
		rc = ats_application_reject(db, a, &r->actor, entity_id,
					    r->spec.reason, r->spec.note,
					    version, r->remote_addr, &e);
		break;
	case BULK_POOL_ADD:
		rc = ats_pool_member_set(db, a, r->actor.id, r->spec.target_id,
					 entity_id, true, r->remote_addr, NULL,
					 &e);
		break;
	case BULK_JOB_ADD:
		rc = ats_application_create(db, a, &r->actor, entity_id,
					    r->spec.target_id, 0,
					    r->remote_addr, &app_id, &e);
		break;
	default:
		rc = ATS_INVALID;
	}
	if (rc == DB_OK)
		return 0;
	if (attempts > 1 && done_before(db, a, r, entity_id))
		return 0;
	*why = failure_text(a, r, rc, &e);
	return -1;
}

struct outcome {
	int64_t item_id, job_id;
	const char *error; /* NULL: done */
};

static int outcome_txn(struct db *db, struct arena *a, void *arg)
{
	const struct outcome *o = arg;
	uint64_t changed = 0;
	int rc = db_exec(db, &changed,
			 "UPDATE bulk_items SET state = ?, error = LEFT(?, "
			 "500) WHERE id = ? AND state = 'pending'",
			 "ssi", o->error ? "failed" : "done", o->error,
			 o->item_id);
	/* assignments run left to right: finished_at sees the new counts */
	if (rc == DB_OK && changed)
		rc = db_exec(db, NULL,
			     "UPDATE bulk_jobs SET done = done + ?, failed = "
			     "failed + ?, finished_at = IF(done + failed >= "
			     "total, NOW(3), NULL) WHERE id = ?",
			     "iii", (int64_t)(o->error == NULL),
			     (int64_t)(o->error != NULL), o->job_id);
	return rc;
}

struct item {
	int64_t id, job_id, entity_id, version;
	int attempts;
};

/* Runs items[0..n) (of one or more jobs, in job order) and records each
 * outcome. */
static int run_items(struct db *db, const struct item *items, size_t n)
{
	struct arena *ja = arena_new(4096), *ia = arena_new(16 * 1024);
	struct runner r = {0};
	int rc = ja && ia ? DB_OK : DB_ERROR;
	bool loaded = false;
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		const struct item *it = &items[i];
		if (!loaded || r.job_id != it->job_id) {
			arena_reset(ja);
			rc = runner_load(db, ja, it->job_id, &r);
			if (rc == DB_NOT_FOUND) {
				rc = DB_OK; /* the job went (its user did) */
				continue;
			}
			if (rc != DB_OK)
				break;
			loaded = true;
		}
		arena_reset(ia);
		const char *why;
		run_item(db, ia, &r, it->entity_id, it->version, it->attempts,
			 &why);
		struct outcome o = {it->id, it->job_id, why};
		rc = db_transaction(db, outcome_txn, &o);
		if (rc != DB_OK)
			log_error("bulk job %lld: cannot record item %lld (it "
				  "comes back after its lease): %s",
				  (long long)it->job_id, (long long)it->id,
				  db_error(db));
	}
	if (ja)
		arena_free(ja);
	if (ia)
		arena_free(ia);
	return rc;
}

static struct item *items_from(struct arena *a, const struct db_result *res)
{
	struct item *v = arena_calloc(a, res->nrows ? res->nrows : 1, sizeof(*v));
	for (size_t i = 0; v && i < res->nrows; i++) {
		const struct db_row *row = &res->rows[i];
		v[i] = (struct item){db_int(row, 0), db_int(row, 1),
				     db_int(row, 2), db_int(row, 3),
				     (int)db_int(row, 4)};
	}
	return v;
}

int ats_bulk_run_inline(struct db *db, int64_t id)
{
	struct arena *a = arena_new(64 * 1024);
	struct db_result res;
	if (!a)
		return DB_ERROR;
	int rc = db_query(db, a, &res,
			  "SELECT i.id, i.bulk_job_id, i.entity_id, i.version, "
			  "i.attempts FROM bulk_items i JOIN bulk_jobs b ON "
			  "b.id = i.bulk_job_id WHERE i.bulk_job_id = ? AND "
			  "i.state = 'pending' AND b.awaiting_confirm = 0 "
			  "ORDER BY i.id LIMIT ?",
			  "ii", id, (int64_t)BULK_INLINE_MAX);
	struct item *items = rc == DB_OK ? items_from(a, &res) : NULL;
	if (rc == DB_OK && !items)
		rc = DB_ERROR;
	if (rc == DB_OK)
		rc = run_items(db, items, res.nrows);
	arena_free(a);
	return rc;
}

struct claim {
	size_t max;
	int lease_s;
	struct arena *a; /* the caller's: the items outlive the run */
	struct item *items;
	size_t n;
};

static int claim_txn(struct db *db, struct arena *ta, void *arg)
{
	struct claim *x = arg;
	struct db_result res;
	x->n = 0;
	/* the outbox's claim (outbox.c): items another claimer holds are
	 * passed over, never waited for */
	int rc = db_query(db, ta, &res,
			  "SELECT id, bulk_job_id, entity_id, version, "
			  "attempts + 1 FROM bulk_items WHERE state = "
			  "'pending' AND next_attempt_at <= NOW(3) ORDER BY "
			  "next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED",
			  "i", (int64_t)x->max);
	if (rc != DB_OK || res.nrows == 0)
		return rc;
	struct buf ids = BUF_INIT;
	buf_adds(&ids, "[");
	for (size_t i = 0; i < res.nrows; i++)
		buf_addf(&ids, "%s%s", i ? "," : "", res.rows[i].v[0]);
	buf_adds(&ids, "]");
	rc = buf_failed(&ids)
		 ? DB_ERROR
		 : db_exec(db, NULL,
			   "UPDATE JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT "
			   "UNSIGNED PATH '$')) x STRAIGHT_JOIN bulk_items b "
			   "FORCE INDEX (PRIMARY) ON b.id = x.id SET "
			   "b.attempts = b.attempts + 1, b.next_attempt_at = "
			   "NOW(3) + INTERVAL ? SECOND",
			   "si", ids.data, (int64_t)x->lease_s);
	buf_release(&ids);
	if (rc != DB_OK)
		return rc;
	x->items = items_from(x->a, &res);
	if (!x->items)
		return DB_ERROR;
	x->n = res.nrows;
	return DB_OK;
}

static int cmp_item(const void *p, const void *q)
{
	const struct item *x = p, *y = q;
	if (x->job_id != y->job_id)
		return (x->job_id > y->job_id) - (x->job_id < y->job_id);
	return (x->id > y->id) - (x->id < y->id);
}

int ats_bulk_work(struct db *db, size_t max, int lease_s, size_t *handled)
{
	struct arena *a = arena_new(64 * 1024);
	*handled = 0;
	if (!a)
		return DB_ERROR;
	struct claim x = {.max = max ? max : 1, .lease_s = lease_s, .a = a};
	int rc = db_transaction(db, claim_txn, &x);
	if (rc == DB_OK && x.n) {
		qsort(x.items, x.n, sizeof(*x.items), cmp_item);
		*handled = x.n;
		rc = run_items(db, x.items, x.n);
	}
	arena_free(a);
	return rc;
}

/* ------------------------------------------------------------ reading */

int ats_bulk_get(struct db *db, struct arena *a, const struct user *viewer,
		 int64_t id, struct bulk_job *out)
{
	struct db_row row;
	int rc = db_query_row(
	    db, a, &row,
	    "SELECT id, user_id, action, source_kind, COALESCE(source_id, 0), "
	    "target_id, label, return_to, total, done, failed, background, "
	    "finished_at IS NOT NULL, DATE_FORMAT(created_at, '%Y-%m-%d "
	    "%H:%i'), awaiting_confirm, created_at < NOW(3) - INTERVAL ? "
	    "SECOND, IF(action = 'move', (SELECT kind FROM job_stages WHERE "
	    "id = target_id), '') FROM bulk_jobs WHERE id = ? AND (user_id "
	    "= ? OR ? = 'admin')",
	    "iiis", (int64_t)BULK_CONFIRM_S, id, viewer->id,
	    role_name(viewer->role));
	if (rc != DB_OK)
		return rc;
	*out = (struct bulk_job){
	    .id = db_int(&row, 0),
	    .user_id = db_int(&row, 1),
	    .action = (enum bulk_action)word_index(action_names, 4, row.v[2]),
	    .source = (enum bulk_source)word_index(source_names, 3, row.v[3]),
	    .source_id = db_int(&row, 4),
	    .target_id = db_int(&row, 5),
	    .label = row.v[6],
	    .return_to = row.v[7],
	    .total = db_int(&row, 8),
	    .done = db_int(&row, 9),
	    .failed = db_int(&row, 10),
	    .background = db_int(&row, 11) != 0,
	    .finished = db_int(&row, 12) != 0,
	    .created_at = row.v[13],
	    .awaiting = db_int(&row, 14) != 0,
	    .expired = db_int(&row, 15) != 0,
	    .to_kind = row.v[16] ? row.v[16] : "",
	};
	if (!out->failed)
		return DB_OK;
	/* the record's candidate: of the application, or the candidate */
	struct db_result res;
	bool apps = out->action == BULK_MOVE || out->action == BULK_REJECT;
	rc = db_query(
	    db, a, &res,
	    apps ? "SELECT i.entity_id, COALESCE(c.id, 0), "
		   "COALESCE(TRIM(CONCAT(c.first_name, ' ', c.last_name)), ''), "
		   "COALESCE(i.error, '') FROM bulk_items i LEFT JOIN "
		   "applications ap ON ap.id = i.entity_id LEFT JOIN candidates "
		   "c ON c.id = ap.candidate_id WHERE i.bulk_job_id = ? AND "
		   "i.state = 'failed' ORDER BY i.id LIMIT ?"
		 : "SELECT i.entity_id, COALESCE(c.id, 0), "
		   "COALESCE(TRIM(CONCAT(c.first_name, ' ', c.last_name)), ''), "
		   "COALESCE(i.error, '') FROM bulk_items i LEFT JOIN candidates "
		   "c ON c.id = i.entity_id WHERE i.bulk_job_id = ? AND i.state "
		   "= 'failed' ORDER BY i.id LIMIT ?",
	    "ii", id, (int64_t)BULK_FAILURES_SHOWN);
	if (rc != DB_OK)
		return rc;
	out->failures = arena_calloc(a, res.nrows ? res.nrows : 1,
				     sizeof(*out->failures));
	if (!out->failures)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		const struct db_row *r = &res.rows[i];
		out->failures[out->nfailures++] = (struct bulk_failure){
		    db_int(r, 0), db_int(r, 1), r->v[2], r->v[3]};
	}
	return DB_OK;
}

int ats_bulk_targets(struct db *db, struct arena *a,
		     const struct user *viewer, struct bulk_targets *out)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	/* the jobs (k = 0) newest first, then the pools (k = 1) by name */
	int rc = db_query(
	    db, a, &res,
	    "(SELECT 0 AS k, j.id, CONCAT(j.title, ' (J-', LPAD(j.id, 5, "
	    "'0'), IF(j.status = 'draft', ', draft', ''), ')') AS name, '' "
	    "AS o FROM job_members m JOIN jobs j ON j.id = m.job_id WHERE "
	    "m.user_id = ? AND m.role = 'recruiter' AND j.status <> 'closed' "
	    "ORDER BY j.id DESC LIMIT ?) UNION ALL (SELECT 1, id, name, name "
	    "FROM talent_pools WHERE kind = 'user' ORDER BY name, id LIMIT ?) "
	    "ORDER BY k, o, IF(k = 0, id, 0) DESC, id",
	    "iii", viewer->id, (int64_t)BULK_JOBS_OFFERED,
	    (int64_t)BULK_POOLS_OFFERED);
	if (rc != DB_OK)
		return rc;
	out->jobs = arena_calloc(a, res.nrows ? res.nrows : 1,
				 sizeof(*out->jobs));
	if (!out->jobs)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		const struct db_row *r = &res.rows[i];
		out->jobs[i] = (struct bulk_target){db_int(r, 1), r->v[2]};
		if (db_int(r, 0) == 0)
			out->njobs++;
		else
			out->npools++;
	}
	out->pools = out->jobs + out->njobs;
	return DB_OK;
}
