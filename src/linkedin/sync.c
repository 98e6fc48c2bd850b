/*
 * sync.c - In ATS (issue 16, F12): the worker's sender of candidates
 * (outbox kind "candidate", worker.c's table).  Every writer of
 * src/ats/ marks the candidate it changed (a candidate, an application's
 * move or end, feedback, a note, a link); this file decides, when the row
 * is sent, what LinkedIn gets, from the current state:
 *
 *   - nothing while the candidate has not moved past Prospect in any job
 *     and LinkedIn has nothing of them (the seed: "Candidate and
 *     application data won't be synced with LinkedIn Recruiter if the
 *     candidate hasn't moved past the Prospect stage");
 *   - else, in this order, so that LinkedIn never gets a child before its
 *     parent: the candidate (atsCandidates, every field), every one of
 *     their applications (atsApplications, every field), each
 *     application's stage entries and interview feedback LinkedIn does
 *     not have yet (feedback never changes once written; a stage entry
 *     goes again when its stage was renamed since), then the candidate's
 *     public notes new or edited since sent, and the deletion of those
 *     made private or deleted.  Private notes never leave hirelink: the
 *     note query reads public ones only;
 *   - a tombstone (a deleted candidate), or a candidate that is gone,
 *     deletes the candidate at LinkedIn, which deletes their applications,
 *     stages, feedback and notes with it (CONTRACT-16 §1).
 *
 * What LinkedIn holds is kept by id in linkedin_sync (sql/140), never a
 * name, email or text: a candidate known there stays synced (a move back
 * to Prospect does not hide them), deletions can be sent after the rows
 * are gone, and immutable entries go once.  A job or stage renamed
 * (LinkedIn's applications carry the job's name, their stage entries the
 * stage's) marks one "job_names" row, which sync_names.c expands into the
 * candidates LinkedIn holds applications of in that job.
 *
 * Batches: the candidates of a batch go in one atsCandidates call, their
 * applications in atsApplications calls of at most LI_BATCH_MAX; each
 * sub-resource call is per parent (LinkedIn's API), at most LI_BATCH_MAX
 * ids.  A candidate's rows go in order because one outbox row stands for
 * the candidate and the claim gives it to one worker at a time.
 *
 * Throttle: LinkedIn takes 10,000 records a minute on these endpoints
 * (429 beyond).  The worker keeps under it by itself: records are counted
 * per process in a minute's window, and a call that would pass the limit
 * is not made; the batch stops and its unfinished candidates come back
 * when the window ends (LI_ITEM_LATER: no failure counted).  Several
 * processes share LinkedIn's limit without knowing of each other: a 429
 * is then honoured with its Retry-After (LI_ITEM_RETRY), and no sync call
 * of the process is made until it has passed (the rows of later batches
 * wait, LI_ITEM_LATER): LinkedIn's 100,000 requests a day answer 429 with
 * a Retry-After to midnight UTC, and a queue of thousands then costs one
 * refused call a process, not one a batch.
 *
 * Results: DONE when all of it is at LinkedIn; FAILED (dead, with
 * LinkedIn's message) for a record LinkedIn refuses with a 4xx other than
 * 429, such as a required field missing; RETRY with LinkedIn's
 * Retry-After for a 429, a 5xx or no answer.  A call that fails so stops
 * the batch (the rest would fail the same way, and the lease must not run
 * out on timeouts): its unfinished candidates are retried, and what went
 * through is kept, so the retry sends only what is left.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "ats/applications.h"
#include "linkedin/candidates.h"
#include "linkedin/li_internal.h"
#include "linkedin/sync.h"

const char *li_ats_application_id(struct arena *a, const char *instance_id,
				  int64_t application_id)
{
	return arena_printf(a, "%s-A%lld", instance_id,
			    (long long)application_id);
}

/* ------------------------------------------------------------ state */

struct sync_cand {
	struct li_outbox_item *item;
	int64_t id;
	enum { C_SKIP, C_PUT, C_DELETE } what;
	bool ok;   /* nothing failed for it so far */
	bool done; /* every step it needed went through */
	struct li_key_field f[3];
	struct li_key key;
	const char *path; /* "/v2/atsCandidates/<key>" */
	json_t *entity;	  /* C_PUT: new reference */
	/* what its applications repeat */
	const char *email, *first, *last, *source;
};

struct sync_app {
	struct sync_cand *c;
	int64_t id;
	struct li_key_field f[3];
	struct li_key key;
	json_t *entity;
	bool ok;
};

struct run {
	struct li_worker *w;
	const struct li_settings *s;
	const char *instance;
	/* a call failed in a way the rest would too: no more calls */
	bool halted;
	struct li_error halt;
	/* halted by our own throttle: come back after throttle_ms */
	bool throttled;
	long throttle_ms;
};

/* ------------------------------------------------------------ throttle */

static pthread_mutex_t throttle_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t throttle_window_us; /* start of the current minute */
static int64_t throttle_records;   /* sent in it */
/* LinkedIn answered 429 (its minute's throttle, or its 100,000 requests a
 * day): no sync call until then, from any thread of this process */
static int64_t throttle_blocked_us;

/* No call before ms from now (LinkedIn's Retry-After). */
static void throttle_block(long ms)
{
	int64_t until = time_mono_us() + (int64_t)ms * 1000;
	pthread_mutex_lock(&throttle_mu);
	if (until > throttle_blocked_us)
		throttle_blocked_us = until;
	pthread_mutex_unlock(&throttle_mu);
}

/* Takes n records from this minute's budget: 0, or the milliseconds until
 * the window ends when they do not fit, or until LinkedIn's Retry-After
 * has passed. */
static long throttle_take(size_t n)
{
	long wait = 0;
	int64_t now = time_mono_us();
	pthread_mutex_lock(&throttle_mu);
	if (throttle_blocked_us > now) {
		wait = (long)((throttle_blocked_us - now) / 1000) + 1;
		pthread_mutex_unlock(&throttle_mu);
		return wait;
	}
	if (!throttle_window_us || now - throttle_window_us >= 60000000) {
		throttle_window_us = now;
		throttle_records = 0;
	}
	if (throttle_records + (int64_t)n > LI_SYNC_RECORDS_PER_MINUTE)
		wait = (long)((throttle_window_us + 60000000 - now) / 1000) + 1;
	else
		throttle_records += (int64_t)n;
	pthread_mutex_unlock(&throttle_mu);
	return wait;
}

/* ------------------------------------------------------------ results */

static bool permanent(long status)
{
	return status >= 400 && status < 500 && status != 429;
}

/* c failed: the first failure is its reason. */
static void cand_fail(struct sync_cand *c, enum li_item_result r,
		      long retry_after_ms, const char *why)
{
	struct li_outbox_item *it = c->item;
	if (!c->ok)
		return;
	c->ok = false;
	it->result = r;
	it->retry_after_ms = retry_after_ms;
	snprintf(it->error, sizeof(it->error), "%s", why ? why : "");
}

static void cand_db_failed(struct run *x, struct sync_cand *c)
{
	char why[300];
	snprintf(why, sizeof(why), "the database failed: %s", db_error(x->w->db));
	cand_fail(c, LI_ITEM_RETRY, 0, why);
}

/* A whole call for cs[0..n) failed with err: a 4xx other than 429 (or an
 * answer of the wrong shape) is theirs alone, dead; anything else stops
 * the batch. */
static void call_failed(struct run *x, struct sync_cand **cs, size_t n,
			const struct li_error *err)
{
	if (x->throttled) {
		/* not made: the candidates wait for the next window */
		x->halted = true;
		x->halt = *err;
		return;
	}
	bool dead = (err->kind == LI_ERR_HTTP && permanent(err->status)) ||
		    err->kind == LI_ERR_PROTOCOL;
	if (!dead && !x->halted) {
		x->halted = true;
		x->halt = *err;
	}
	for (size_t i = 0; i < n; i++)
		cand_fail(cs[i], dead ? LI_ITEM_FAILED : LI_ITEM_RETRY,
			  err->retry_after_ms, li_error_text(err));
}

/* One entity of a call for c was refused (o). */
static void entity_failed(struct sync_cand *c, const struct li_outcome *o,
			  const char *what)
{
	char why[300];
	snprintf(why, sizeof(why), "LinkedIn refused %s (%ld): %s", what,
		 o->status, *o->message ? o->message : "no reason given");
	cand_fail(c, permanent(o->status) ? LI_ITEM_FAILED : LI_ITEM_RETRY, 0,
		  why);
}

/* ------------------------------------------------------------ the wire */

static void key3(struct li_key_field f[3], struct li_key *k, const char *name,
		 const char *id, const char *org)
{
	f[0] = (struct li_key_field){name, id};
	f[1] = (struct li_key_field){"dataProvider", "ATS"};
	f[2] = (struct li_key_field){"integrationContext", org};
	*k = (struct li_key){f, 3};
}

/* A key in entity form, arena-owned. */
static const char *key_text(struct arena *a, const struct li_key *k)
{
	struct buf b = BUF_INIT;
	li_key_add(&b, k);
	const char *t = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
	buf_release(&b);
	return t;
}

/*
 * One batch call: PUT (batch_update) of ents[i] under keys[i] (borrowed),
 * or DELETE (batch_delete, ents NULL) of keys[0..n), on prefix (a
 * collection, or a parent's sub-resource), each key's outcome in out[i].
 * LI_OK when LinkedIn answered per key.
 */
static int batch_write(struct run *x, const char *method, const char *prefix,
		       const char *label, const struct li_key *keys,
		       json_t *const *ents, size_t n, struct li_outcome *out,
		       struct li_error *err)
{
	struct li_worker *w = x->w;
	struct buf path = BUF_INIT, body = BUF_INIT;
	struct li_resp r;
	int rc = LI_OK;

	long wait = throttle_take(n);
	if (wait) {
		x->throttled = true;
		x->throttle_ms = wait;
		li_err_set(err, LI_ERR_THROTTLED, 0, "",
			   "LinkedIn's limits (%d records a minute, 100,000 "
			   "requests a day, or its Retry-After): the rest "
			   "waits %ld ms",
			   LI_SYNC_RECORDS_PER_MINUTE, wait);
		return LI_ERR_THROTTLED;
	}
	buf_adds(&path, prefix);
	buf_addc(&path, '?');
	li_keys_add_query(&path, keys, n);
	if (ents) {
		json_t *e = json_object();
		for (size_t i = 0; e && i < n; i++) {
			struct buf k = BUF_INIT;
			li_key_add(&k, &keys[i]);
			if (buf_failed(&k) || json_object_set(e, k.data, ents[i]))
				rc = LI_ERR_INTERNAL;
			buf_release(&k);
		}
		json_t *doc = e ? json_pack("{s:o}", "entities", e) : NULL;
		if (!doc || buf_add_json(&body, doc, JSON_COMPACT) < 0)
			rc = LI_ERR_INTERNAL;
		json_decref(doc);
	}
	if (rc != LI_OK || buf_failed(&path) || buf_failed(&body)) {
		buf_release(&path);
		buf_release(&body);
		return li_err_oom(err);
	}
	struct li_req rq = {
	    .method = method,
	    .base = w->cfg->linkedin_api_base,
	    .path = path.data,
	    .label = label,
	    .json = ents ? body.data : NULL,
	    .restli_method = ents ? LI_BATCH_UPDATE : LI_BATCH_DELETE,
	};
	li_client_set_deadline(w->li, 0);
	rc = li_app_call(w->li, w->db, w->arena, x->s, &rq, &r, err);
	/* a 429 holds every sync call of this process until its Retry-After
	 * (a minute, or midnight UTC for the daily limit): the rows waiting
	 * come back then, and LinkedIn gets one refused call, not one a
	 * batch */
	if ((rc == LI_ERR_HTTP || rc == LI_ERR_THROTTLED) && err->status == 429)
		throttle_block(err->retry_after_ms > 0 ? err->retry_after_ms
						       : 60000);
	if (rc == LI_OK)
		rc = li_batch_read(r.json, label, keys, n, out, err);
	buf_release(&path);
	buf_release(&body);
	return rc;
}

/* ------------------------------------------------------------ kept */

static int kept_put(struct db *db, int64_t candidate_id, const char *kind,
		    int64_t entity_id, int64_t parent_id, int64_t version)
{
	return db_exec(db, NULL,
		       "INSERT INTO linkedin_sync (candidate_id, kind, "
		       "entity_id, parent_id, version) VALUES (?, ?, ?, ?, ?) "
		       "ON DUPLICATE KEY UPDATE version = VALUES(version), "
		       "sent_at = NOW(3)",
		       "isiii", candidate_id, kind, entity_id, parent_id,
		       version);
}

static int kept_drop(struct db *db, int64_t candidate_id, const char *kind,
		     int64_t entity_id)
{
	return db_exec(db, NULL,
		       "DELETE FROM linkedin_sync WHERE candidate_id = ? AND "
		       "kind = ? AND entity_id = ?",
		       "isi", candidate_id, kind, entity_id);
}

/* ------------------------------------------------------------ loading */

/* A user's first and last name as LinkedIn's Actor takes them: the
 * columns of sql/140, or the name split the same way for a row made
 * without them. */
#define ACTOR_FIRST(u)                                                         \
	"IF(" u ".first_name <> '', " u ".first_name, "                        \
	"SUBSTRING_INDEX(TRIM(" u ".name), ' ', 1))"
#define ACTOR_LAST(u)                                                          \
	"IF(" u ".first_name <> '', " u ".last_name, TRIM(SUBSTRING(TRIM(" u   \
	".name), CHAR_LENGTH(SUBSTRING_INDEX(TRIM(" u ".name), ' ', 1)) + "    \
	"2)))"
#define MS(col) "CAST(UNIX_TIMESTAMP(" col ") * 1000 AS SIGNED)"

/* {"firstName", "lastName"}, new; NULL when the user has no two names
 * (LinkedIn's Actor needs both: the author is then left out). */
static json_t *actor(const char *first, const char *last)
{
	if (!first || !*first || !last || !*last)
		return NULL;
	return json_pack("{s:s, s:s}", "firstName", first, "lastName", last);
}

static void set_str(json_t *o, const char *name, const char *v)
{
	if (v && *v)
		json_object_set_new(o, name, json_string(v));
}

static const char *trimmed(struct arena *a, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

/* The candidate's location as LinkedIn's addresses: "City, ST" (two
 * letters: a state or region code) -> city, geographicArea,
 * geographicAreaType STATE; "City, Country" -> city, country; a single
 * word -> city; none -> [].  New. */
static json_t *addresses(struct arena *a, const char *loc)
{
	json_t *list = json_array();
	if (!list || !loc || !*loc)
		return list;
	const char *comma = strrchr(loc, ',');
	const char *city =
	    trimmed(a, loc, comma ? (size_t)(comma - loc) : strlen(loc));
	const char *area = comma ? trimmed(a, comma + 1, strlen(comma + 1)) : "";
	json_t *o = json_object();
	if (!city || !area || !o) {
		json_decref(o);
		return list;
	}
	set_str(o, "city", city);
	if (strlen(area) == 2 && isupper((unsigned char)area[0]) &&
	    isupper((unsigned char)area[1])) {
		set_str(o, "geographicArea", area);
		set_str(o, "geographicAreaType", "STATE");
	} else {
		set_str(o, "country", area);
	}
	json_array_append_new(list, o);
	return list;
}

#define CAND_ROW                                                               \
	"SELECT c.first_name, c.last_name, COALESCE(c.email, ''), c.phone, "   \
	"c.location, c.linkedin_url, c.current_company, c.current_title, "     \
	MS("c.created_at") ", " MS("GREATEST(c.updated_at, c.created_at)")     \
	", c.source, " LI_SYNC_KNOWN_SQL ", " LI_SYNC_PAST_PROSPECT_SQL        \
	" FROM candidates c WHERE c.id = ?"

/* Reads the item's candidate and decides what goes out.  DB status. */
static int cand_load(struct run *x, struct sync_cand *c)
{
	struct li_worker *w = x->w;
	struct arena *a = w->arena;
	struct db_row r;
	const char *ats_id = li_ats_candidate_id(a, x->instance, c->id);
	if (!ats_id)
		return DB_ERROR;
	key3(c->f, &c->key, "atsCandidateId", ats_id, x->s->organization_urn);
	const char *kt = key_text(a, &c->key);
	c->path = kt ? arena_printf(a, "/v2/atsCandidates/%s", kt) : NULL;
	if (!c->path)
		return DB_ERROR;

	int rc = c->item->tombstone ? DB_NOT_FOUND
				    : db_query_row(w->db, a, &r, CAND_ROW, "i",
						   c->id);
	if (rc == DB_NOT_FOUND) {
		/* gone: LinkedIn forgets them too, if it ever knew them */
		rc = db_query_row(w->db, a, &r,
				  "SELECT 1 FROM linkedin_sync WHERE "
				  "candidate_id = ? AND kind = 'candidate'",
				  "i", c->id);
		if (rc == DB_OK) {
			c->what = C_DELETE;
			return DB_OK;
		}
		if (rc != DB_NOT_FOUND)
			return rc;
		c->done = true;
		return db_exec(w->db, NULL,
			       "DELETE FROM linkedin_sync WHERE candidate_id "
			       "= ?",
			       "i", c->id);
	}
	if (rc != DB_OK)
		return rc;
	if (!db_int(&r, 11) && !db_int(&r, 12)) {
		/* Prospect only, and LinkedIn has nothing of them */
		c->done = true;
		return DB_OK;
	}
	c->what = C_PUT;
	c->first = r.v[0];
	c->last = r.v[1];
	c->email = r.v[2];
	c->source = r.v[10];
	json_t *e = json_object();
	if (!e)
		return DB_ERROR;
	c->entity = e;
	set_str(e, "firstName", r.v[0]);
	set_str(e, "lastName", r.v[1]);
	/* required unless a member is attached: LinkedIn says so when it is
	 * missing (the row is dead until someone adds one) */
	if (*r.v[2])
		json_object_set_new(e, "emailAddresses",
				    json_pack("[s]", r.v[2]));
	json_object_set_new(e, "phoneNumbers",
			    *r.v[3] ? json_pack("[{s:s}]", "number", r.v[3])
				    : json_array());
	json_object_set_new(e, "addresses", addresses(a, r.v[4]));
	const char *url = arena_printf(a, "%s/candidates/%lld",
				       w->cfg->public_base_url,
				       (long long)c->id);
	if (!url)
		return DB_ERROR;
	set_str(e, "externalProfileUrl", url);
	set_str(e, "linkedInProfileUrl", r.v[5]);
	set_str(e, "currentCompanyName", r.v[6]);
	set_str(e, "currentJobTitle", r.v[7]);
	json_object_set_new(e, "atsCreatedAt", json_integer(db_int(&r, 8)));
	json_object_set_new(e, "atsLastModifiedAt",
			    json_integer(db_int(&r, 9)));
	return DB_OK;
}

int li_sync_mark_sent(struct db *db, struct arena *a, const int64_t *ids,
		      size_t n)
{
	struct buf b = BUF_INIT;
	struct db_result res;
	if (n == 0)
		return DB_OK;
	buf_adds(&b, "[");
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_adds(&b, "]");
	/* a plain read (a snapshot after the commit), no locks taken */
	int rc = buf_failed(&b)
		     ? DB_ERROR
		     : db_query(db, a, &res,
				"SELECT DISTINCT c.id FROM JSON_TABLE(?, "
				"'$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) "
				"x STRAIGHT_JOIN candidates c ON c.id = x.id "
				"WHERE " LI_SYNC_KNOWN_SQL
				" OR " LI_SYNC_PAST_PROSPECT_SQL,
				"s", b.data);
	buf_release(&b);
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++)
		rc = ats_outbox_mark_candidate(db, db_int(&res.rows[i], 0));
	return rc;
}

/* ------------------------------------------------------------ steps */

/* Candidates to delete: one DELETE a hundred. */
static void cands_delete(struct run *x, struct sync_cand *v, size_t n)
{
	struct arena *a = x->w->arena;
	struct li_key *keys = arena_calloc(a, LI_BATCH_MAX, sizeof(*keys));
	struct sync_cand **cs = arena_calloc(a, LI_BATCH_MAX, sizeof(*cs));
	struct li_outcome *out = arena_calloc(a, LI_BATCH_MAX, sizeof(*out));
	size_t i = 0;
	while (i < n && keys && cs && out && !x->halted) {
		size_t m = 0;
		for (; i < n && m < LI_BATCH_MAX; i++)
			if (v[i].what == C_DELETE && v[i].ok) {
				keys[m] = v[i].key;
				cs[m++] = &v[i];
			}
		if (!m)
			break;
		struct li_error err = {0};
		int rc = batch_write(x, "DELETE", "/v2/atsCandidates",
				     "/v2/atsCandidates", keys, NULL, m, out,
				     &err);
		if (rc != LI_OK) {
			call_failed(x, cs, m, &err);
			continue;
		}
		for (size_t k = 0; k < m; k++) {
			if (out[k].failed && out[k].status != 404) {
				entity_failed(cs[k], &out[k],
					      "the candidate's deletion");
				continue;
			}
			if (db_exec(x->w->db, NULL,
				    "DELETE FROM linkedin_sync WHERE "
				    "candidate_id = ?",
				    "i", cs[k]->id) != DB_OK)
				cand_db_failed(x, cs[k]);
			else
				cs[k]->done = true;
		}
	}
}

/* One entity of a collection's PUT: its key and body, the candidate it
 * belongs to (skipped once that failed), its id kept in linkedin_sync,
 * and (NULL: none) what to set false when LinkedIn refuses it. */
struct put_item {
	struct li_key key;
	json_t *entity;
	struct sync_cand *c;
	int64_t id;
	bool *ok;
};

/* PUTs the entities of it[0..n) to collection coll, a hundred a call;
 * each one LinkedIn took kept as kind, each refusal named as what. */
static void put_all(struct run *x, const char *coll, const char *what,
		    const char *kind, struct put_item *it, size_t n)
{
	struct arena *a = x->w->arena;
	struct li_key *keys = arena_calloc(a, LI_BATCH_MAX, sizeof(*keys));
	json_t **ents = arena_calloc(a, LI_BATCH_MAX, sizeof(*ents));
	struct put_item **ps = arena_calloc(a, LI_BATCH_MAX, sizeof(*ps));
	struct sync_cand **cs = arena_calloc(a, LI_BATCH_MAX, sizeof(*cs));
	struct li_outcome *out = arena_calloc(a, LI_BATCH_MAX, sizeof(*out));
	size_t i = 0;
	while (i < n && keys && ents && ps && cs && out && !x->halted) {
		size_t m = 0;
		for (; i < n && m < LI_BATCH_MAX; i++)
			if (it[i].c->ok && it[i].entity) {
				keys[m] = it[i].key;
				ents[m] = it[i].entity;
				cs[m] = it[i].c;
				ps[m++] = &it[i];
			}
		if (!m)
			break;
		struct li_error err = {0};
		int rc =
		    batch_write(x, "PUT", coll, coll, keys, ents, m, out, &err);
		if (rc != LI_OK) {
			call_failed(x, cs, m, &err);
			continue;
		}
		for (size_t k = 0; k < m; k++) {
			if (out[k].failed) {
				if (ps[k]->ok)
					*ps[k]->ok = false;
				entity_failed(cs[k], &out[k], what);
			} else if (kept_put(x->w->db, cs[k]->id, kind,
					    ps[k]->id, 0, 0) != DB_OK)
				cand_db_failed(x, cs[k]);
		}
	}
}

/* Candidates to send: one PUT a hundred. */
static void cands_put(struct run *x, struct sync_cand *v, size_t n)
{
	struct put_item *it = arena_calloc(x->w->arena, n ? n : 1, sizeof(*it));
	size_t m = 0;
	for (size_t i = 0; it && i < n; i++)
		if (v[i].what == C_PUT)
			it[m++] = (struct put_item){v[i].key, v[i].entity,
						    &v[i], v[i].id, NULL};
	if (!it)
		for (size_t i = 0; i < n; i++)
			if (v[i].what == C_PUT && v[i].ok)
				cand_db_failed(x, &v[i]);
	if (it)
		put_all(x, "/v2/atsCandidates", "the candidate", "candidate",
			it, m);
}

#define APP_ROWS                                                               \
	"SELECT ap.id, ap.job_id, j.title, ap.status, "                        \
	"COALESCE(ap.rejection_reason, ''), ap.source, " MS("ap.created_at")   \
	", " MS("GREATEST(ap.updated_at, ap.created_at)")                      \
	" FROM applications ap JOIN jobs j ON j.id = ap.job_id WHERE "         \
	"ap.candidate_id = ? ORDER BY ap.id"

/* The applications of the candidates sent, into *apps.  DB status per
 * candidate (failed ones are marked). */
static void apps_load(struct run *x, struct sync_cand *v, size_t n,
		      struct sync_app **apps, size_t *napps)
{
	struct arena *a = x->w->arena;
	size_t cap = 0;
	*apps = NULL;
	*napps = 0;
	for (size_t i = 0; i < n; i++) {
		struct sync_cand *c = &v[i];
		struct db_result res;
		if (c->what != C_PUT || !c->ok)
			continue;
		if (db_query(x->w->db, a, &res, APP_ROWS, "i", c->id) != DB_OK) {
			cand_db_failed(x, c);
			continue;
		}
		if (*napps + res.nrows > cap) {
			size_t ncap = (*napps + res.nrows) * 2 + 8;
			struct sync_app *nv = arena_calloc(a, ncap, sizeof(*nv));
			if (!nv) {
				cand_db_failed(x, c);
				continue;
			}
			if (*napps)
				memcpy(nv, *apps, *napps * sizeof(*nv));
			*apps = nv;
			cap = ncap;
		}
		for (size_t k = 0; k < res.nrows; k++) {
			const struct db_row *r = &res.rows[k];
			struct sync_app *p = &(*apps)[(*napps)++];
			const char *status = r->v[3];
			p->c = c;
			p->id = db_int(r, 0);
			p->ok = true;
			const char *id =
			    li_ats_application_id(a, x->instance, p->id);
			const char *job =
			    li_job_posting_id(a, x->instance, db_int(r, 1));
			json_t *e = json_object();
			p->entity = e;
			if (!id || !job || !e) {
				cand_db_failed(x, c);
				continue;
			}
			key3(p->f, &p->key, "atsJobApplicationId", id,
			     x->s->organization_urn);
			set_str(e, "atsCandidateId", c->f[0].value);
			json_object_set_new(e, "atsCreatedAt",
					    json_integer(db_int(r, 6)));
			json_object_set_new(e, "atsLastModifiedAt",
					    json_integer(db_int(r, 7)));
			set_str(e, "atsJobPostingId", job);
			set_str(e, "atsJobPostingName", r->v[2]);
			set_str(e, "candidateEmail", c->email);
			set_str(e, "firstName", c->first);
			set_str(e, "lastName", c->last);
			set_str(e, "source", *r->v[5] ? r->v[5] : c->source);
			const char *why = NULL;
			if (!strcmp(status, "rejected"))
				why = ats_word_label(ats_rejection_reasons,
						     r->v[4]);
			if (!strcmp(status, "rejected") && !why)
				why = "Rejected";
			if (!strcmp(status, "withdrawn"))
				why = "Withdrawn by the candidate";
			json_object_set_new(e, "dispositionReason",
					    why ? json_string(why)
						: json_null());
			const char *state = !strcmp(status, "rejected")
						? "REJECTED"
					    : !strcmp(status, "withdrawn")
						? "WITHDRAWN"
					    : !strcmp(status, "hired") ? "HIRED"
								       : "ACTIVE";
			set_str(e, "state", state);
		}
	}
}

/* Applications: PUTs of a hundred. */
static void apps_put(struct run *x, struct sync_app *apps, size_t n)
{
	struct put_item *it = arena_calloc(x->w->arena, n ? n : 1, sizeof(*it));
	for (size_t i = 0; it && i < n; i++)
		it[i] = (struct put_item){apps[i].key, apps[i].entity,
					  apps[i].c, apps[i].id, &apps[i].ok};
	if (!it)
		for (size_t i = 0; i < n; i++)
			if (apps[i].c->ok)
				cand_db_failed(x, apps[i].c);
	if (it)
		put_all(x, "/v2/atsApplications", "an application",
			"application", it, n);
}

/* One entity of a sub-resource: its simple key, what to PUT (NULL: to
 * DELETE), and what linkedin_sync keeps of it. */
struct sub {
	const char *id;
	json_t *entity;
	int64_t entity_id, version;
};

/*
 * PUTs (v[i].entity) or DELETEs v[0..n) of parent's sub-resource res
 * (parent_path "/v2/atsApplications/<key>"), a hundred a call, for
 * candidate c; kept as kind under parent_id.  false when something failed
 * (c is marked, the batch maybe halted).
 */
static bool sub_write(struct run *x, struct sync_cand *c,
		      const char *parent_path, const char *res,
		      const char *label, bool put, struct sub *v, size_t n,
		      const char *kind, int64_t parent_id)
{
	struct arena *a = x->w->arena;
	const char *prefix = arena_printf(a, "%s/%s", parent_path, res);
	struct li_key_field *f = arena_calloc(a, LI_BATCH_MAX, sizeof(*f));
	struct li_key *keys = arena_calloc(a, LI_BATCH_MAX, sizeof(*keys));
	json_t **ents = arena_calloc(a, LI_BATCH_MAX, sizeof(*ents));
	struct li_outcome *out = arena_calloc(a, LI_BATCH_MAX, sizeof(*out));
	if (!prefix || !f || !keys || !ents || !out) {
		cand_db_failed(x, c);
		return false;
	}
	for (size_t i = 0; i < n && c->ok && !x->halted;) {
		size_t m = 0;
		for (; i < n && m < LI_BATCH_MAX; i++, m++) {
			f[m] = (struct li_key_field){NULL, v[i].id};
			keys[m] = (struct li_key){&f[m], 1};
			ents[m] = v[i].entity;
		}
		struct li_error err = {0};
		int rc = batch_write(x, put ? "PUT" : "DELETE", prefix, label,
				     keys, put ? ents : NULL, m, out, &err);
		if (rc != LI_OK) {
			call_failed(x, &c, 1, &err);
			break;
		}
		for (size_t k = 0; k < m; k++) {
			struct sub *s = &v[i - m + k];
			if (out[k].failed && (put || out[k].status != 404)) {
				entity_failed(c, &out[k], label);
				continue;
			}
			rc = put ? kept_put(x->w->db, c->id, kind, s->entity_id,
					    parent_id, s->version)
				 : kept_drop(x->w->db, c->id, kind,
					     s->entity_id);
			if (rc != DB_OK)
				cand_db_failed(x, c);
		}
	}
	return c->ok && !x->halted;
}

/* What a history entry says of the application: the stage it went to, or
 * how it ended (sql/230 computes the same for the rows sent before). */
#define STAGE_NAME                                                             \
	"CASE WHEN e.kind = 'rejected' THEN 'Rejected' WHEN e.kind = "         \
	"'withdrawn' THEN 'Withdrawn' WHEN COALESCE(s.name, '') <> '' THEN "   \
	"s.name WHEN e.kind = 'hired' THEN 'Hired' ELSE 'Stage removed' END"

/* The entries LinkedIn does not have, or has under another name (a stage
 * renamed since: the kept version is CRC32 of the name sent). */
#define STAGE_ROWS                                                             \
	"SELECT e.id, " STAGE_NAME ", CRC32(" STAGE_NAME "), " MS("e.at")      \
	" FROM application_events e LEFT JOIN job_stages s ON s.id = "         \
	"e.to_stage_id WHERE e.application_id = ? AND e.kind <> "              \
	"'feedback_requested' AND NOT EXISTS (SELECT 1 FROM linkedin_sync ls " \
	"WHERE ls.candidate_id = ? AND ls.kind = 'stage' AND ls.entity_id = "  \
	"e.id AND ls.version = CRC32(" STAGE_NAME ")) ORDER BY e.id"

#define FEEDBACK_ROWS                                                          \
	"SELECT f.id, f.rating, f.recommendation, f.body, " MS("f.created_at") \
	", " ACTOR_FIRST("u") ", " ACTOR_LAST("u")                             \
	" FROM interview_feedback f LEFT JOIN users u ON u.id = "              \
	"f.interviewer_id WHERE f.application_id = ? AND NOT EXISTS (SELECT "  \
	"1 FROM linkedin_sync ls WHERE ls.candidate_id = ? AND ls.kind = "     \
	"'feedback' AND ls.entity_id = f.id) ORDER BY f.id"

/* A stage entry of STAGE_ROWS as LinkedIn takes it. */
static json_t *stage_entity(struct arena *a, const struct db_row *r)
{
	return json_pack("{s:I, s:s}", "atsCreatedAt", (json_int_t)db_int(r, 3),
			 "stage", r->v[1]);
}

/* Feedback of FEEDBACK_ROWS as LinkedIn takes it. */
static json_t *feedback_entity(struct arena *a, const struct db_row *r)
{
	const char *rec = ats_word_label(ats_recommendations, r->v[2]);
	json_t *e = json_pack(
	    "{s:I, s:s, s:[{s:s, s:s}, {s:s, s:s}]}", "atsCreatedAt",
	    (json_int_t)db_int(r, 4), "feedback", r->v[3], "evaluations",
	    "attribute", "Rating", "result", arena_printf(a, "%s/5", r->v[1]),
	    "attribute", "Recommendation", "result", rec ? rec : r->v[2]);
	json_t *who = actor(r->v[5], r->v[6]);
	if (e && who)
		json_object_set_new(e, "interviewer", who);
	else
		json_decref(who);
	return e;
}

#define NOTE_ROWS                                                              \
	"SELECT n.id, n.body, " MS("n.created_at") ", " MS("n.updated_at")     \
	", " ACTOR_FIRST("u") ", " ACTOR_LAST("u")                             \
	" FROM notes n LEFT JOIN users u ON u.id = n.author_id LEFT JOIN "     \
	"linkedin_sync ls ON ls.candidate_id = n.candidate_id AND ls.kind = "  \
	"'note' AND ls.entity_id = n.id WHERE n.candidate_id = ? AND "         \
	"n.visibility = 'public' AND (ls.version IS NULL OR ls.version <> "    \
	MS("n.updated_at") ") ORDER BY n.id"

/* The notes LinkedIn has that are no longer public notes of the
 * candidate: made private, or deleted. */
#define NOTE_GONE_ROWS                                                         \
	"SELECT ls.entity_id FROM linkedin_sync ls LEFT JOIN notes n ON n.id " \
	"= ls.entity_id AND n.candidate_id = ls.candidate_id AND "             \
	"n.visibility = 'public' WHERE ls.candidate_id = ? AND ls.kind = "     \
	"'note' AND n.id IS NULL ORDER BY ls.entity_id"

/* A note of NOTE_ROWS as LinkedIn takes it. */
static json_t *note_entity(struct arena *a, const struct db_row *r)
{
	json_t *e = json_pack("{s:I, s:s}", "atsCreatedAt",
			      (json_int_t)db_int(r, 2), "note", r->v[1]);
	json_t *who = actor(r->v[4], r->v[5]);
	if (e && who)
		json_object_set_new(e, "author", who);
	else
		json_decref(who);
	return e;
}

/* A kind of sub-resource entity LinkedIn gets: the rows to send (their
 * first column the entity's id; parameters "ii": the application's and
 * the candidate's ids, "i": the candidate's), each row's entity (NULL:
 * DELETEs), the column of the version kept (-1: none), the letter before
 * the id, the sub-resource and the kind linkedin_sync keeps it as. */
struct sub_kind {
	const char *sql, *types;
	json_t *(*entity)(struct arena *a, const struct db_row *r);
	int version_col;
	char letter;
	const char *res, *label, *kind;
};

enum { SUB_STAGES, SUB_FEEDBACK, SUB_NOTES, SUB_NOTES_GONE };
static const struct sub_kind sub_kinds[] = {
    [SUB_STAGES] = {.sql = STAGE_ROWS,
		    .types = "ii",
		    .entity = stage_entity,
		    .version_col = 2,
		    .letter = 'S',
		    .res = "stages",
		    .label = "/v2/atsApplications/stages",
		    .kind = "stage"},
    [SUB_FEEDBACK] = {.sql = FEEDBACK_ROWS,
		      .types = "ii",
		      .entity = feedback_entity,
		      .version_col = -1,
		      .letter = 'F',
		      .res = "interviewFeedback",
		      .label = "/v2/atsApplications/interviewFeedback",
		      .kind = "feedback"},
    [SUB_NOTES] = {.sql = NOTE_ROWS,
		   .types = "i",
		   .entity = note_entity,
		   .version_col = 3,
		   .letter = 'N',
		   .res = "notes",
		   .label = "/v2/atsCandidates/notes",
		   .kind = "note"},
    [SUB_NOTES_GONE] = {.sql = NOTE_GONE_ROWS,
			.types = "i",
			.entity = NULL,
			.version_col = -1,
			.letter = 'N',
			.res = "notes",
			.label = "/v2/atsCandidates/notes",
			.kind = "note"},
};

/* Sends candidate c's entities of kind k under parent_path (parent_id:
 * the application's id, 0 for the candidate's own) that LinkedIn has not
 * got: true when done (nothing, or all sent). */
static bool sub_send(struct run *x, struct sync_cand *c,
		     const char *parent_path, int64_t parent_id,
		     const struct sub_kind *k)
{
	struct arena *a = x->w->arena;
	struct db_result res;
	if (db_query(x->w->db, a, &res, k->sql, k->types,
		     parent_id ? parent_id : c->id, c->id) != DB_OK) {
		cand_db_failed(x, c);
		return false;
	}
	if (!res.nrows)
		return true;
	struct sub *v = arena_calloc(a, res.nrows, sizeof(*v));
	if (!v) {
		cand_db_failed(x, c);
		return false;
	}
	for (size_t i = 0; i < res.nrows; i++) {
		const struct db_row *r = &res.rows[i];
		v[i].entity_id = db_int(r, 0);
		v[i].version =
		    k->version_col >= 0 ? db_int(r, k->version_col) : 0;
		v[i].id = arena_printf(a, "%c%lld", k->letter,
				       (long long)v[i].entity_id);
		v[i].entity = k->entity ? k->entity(a, r) : NULL;
	}
	bool ok =
	    sub_write(x, c, parent_path, k->res, k->label, k->entity != NULL, v,
		      res.nrows, k->kind, parent_id);
	for (size_t i = 0; i < res.nrows; i++)
		json_decref(v[i].entity);
	return ok;
}

/* The stage entries and the feedback of application p that LinkedIn has
 * not got yet. */
static void app_children(struct run *x, struct sync_app *p)
{
	struct sync_cand *c = p->c;
	struct arena *a = x->w->arena;
	const char *kt = key_text(a, &p->key);
	const char *path =
	    kt ? arena_printf(a, "/v2/atsApplications/%s", kt) : NULL;
	if (!path) {
		cand_db_failed(x, c);
		return;
	}
	if (sub_send(x, c, path, p->id, &sub_kinds[SUB_STAGES]))
		sub_send(x, c, path, p->id, &sub_kinds[SUB_FEEDBACK]);
}

/* The candidate's public notes new or edited since sent, then the
 * deletion of those no longer public. */
static void cand_notes(struct run *x, struct sync_cand *c)
{
	if (sub_send(x, c, c->path, 0, &sub_kinds[SUB_NOTES]))
		sub_send(x, c, c->path, 0, &sub_kinds[SUB_NOTES_GONE]);
}

/* ------------------------------------------------------------ sender */

void li_send_candidates_sync(struct li_worker *w, struct li_outbox_item *items,
			     size_t n)
{
	struct li_settings s;
	struct run x = {.w = w, .s = &s};
	struct sync_cand *v = NULL;
	struct sync_app *apps = NULL;
	size_t napps = 0;

	for (size_t i = 0; i < n; i++) {
		items[i].result = LI_ITEM_DONE;
		items[i].error[0] = 0;
	}
	int rc = li_settings_load(w->db, w->arena, w->cfg, &s);
	if (rc == DB_OK &&
	    (!w->li || !li_settings_ready(&s) || !*s.organization_urn)) {
		/* turned off since the worker's pass began (worker.c does not
		 * claim these rows while off): kept for when it is on */
		for (size_t i = 0; i < n; i++) {
			items[i].result = LI_ITEM_LATER;
			items[i].retry_after_ms = 1000;
		}
		return;
	}
	if (rc == DB_OK)
		rc = li_instance_id(w->db, w->arena, &x.instance);
	v = rc == DB_OK ? arena_calloc(w->arena, n, sizeof(*v)) : NULL;
	if (!v) {
		char why[300];
		snprintf(why, sizeof(why), "the database failed: %s",
			 db_error(w->db));
		for (size_t i = 0; i < n; i++) {
			items[i].result = LI_ITEM_RETRY;
			snprintf(items[i].error, sizeof(items[i].error), "%s",
				 why);
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		v[i].item = &items[i];
		v[i].id = (int64_t)items[i].entity_id;
		v[i].ok = true;
		if (cand_load(&x, &v[i]) != DB_OK)
			cand_db_failed(&x, &v[i]);
	}

	cands_delete(&x, v, n);
	cands_put(&x, v, n);
	apps_load(&x, v, n, &apps, &napps);
	apps_put(&x, apps, napps);
	for (size_t i = 0; i < napps && !x.halted; i++)
		if (apps[i].ok && apps[i].c->ok)
			app_children(&x, &apps[i]);
	for (size_t i = 0; i < n && !x.halted; i++) {
		if (v[i].what != C_PUT || !v[i].ok)
			continue;
		cand_notes(&x, &v[i]);
		if (v[i].ok && !x.halted)
			v[i].done = true;
	}

	/* what the halt left unsent goes again later: after our own
	 * throttle's window without counting a failure, else as a retry */
	for (size_t i = 0; i < n; i++) {
		if (v[i].ok && !v[i].done && x.throttled) {
			v[i].ok = false;
			items[i].result = LI_ITEM_LATER;
			items[i].retry_after_ms = x.throttle_ms;
		} else if (v[i].ok && !v[i].done)
			cand_fail(&v[i], LI_ITEM_RETRY,
				  x.halted ? x.halt.retry_after_ms : 0,
				  x.halted ? li_error_text(&x.halt)
					   : "not sent: an earlier step failed");
		json_decref(v[i].entity);
	}
	for (size_t i = 0; i < napps; i++)
		json_decref(apps[i].entity);
}
