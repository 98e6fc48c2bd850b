/*
 * sync.c - what an ATS syncs for LinkedIn Recruiter's In ATS indicator
 * (Middleware Platform: Sync Applications, Sync Application Stages, Sync
 * Application Interview Feedback, Sync Candidate Notes; README "In ATS"):
 *
 *   PUT|DELETE /v2/atsApplications?ids[i]...             batch_update / delete
 *   PUT|DELETE /v2/atsApplications/{key}/stages?ids=...
 *   PUT|DELETE /v2/atsApplications/{key}/interviewFeedback?ids=...
 *   PUT|DELETE /v2/atsApplications/{key}/notes?ids=...
 *   PUT|DELETE /v2/atsCandidates/{key}/notes?ids=...
 *   PUT|DELETE /v2/atsCandidates  (candidates.c's, wrapped here)
 *   GET  /sandbox/payloads, POST /sandbox/sync/throttle   test control
 *
 * Every sync call goes through sync_call(): the calling application, then
 * LinkedIn's daily limit of 100,000 requests a UTC day per application and
 * resource (past it: 429 with Retry-After to midnight UTC), then its
 * throttle of 10,000 records a minute per application and resource (a
 * request past it is refused whole with 429 and Retry-After),
 * then the endpoint, then a copy of the request as received and the status
 * answered in sync_payloads, which tests read to prove what left hirelink.
 *
 * Each key is answered on its own, as LinkedIn's batch answers are: a
 * missing required field is a 422 in "errors", a bad value a 400, in
 * LinkedIn's words (restli.c's sb_missing / sb_invalid); the others are
 * stored.  An entity is replaced whole on every PUT ("omitting a field
 * will set it to null").  Deleting an application deletes its stages,
 * feedback and notes (LinkedIn's rule); deleting a candidate deletes its
 * notes and its applications (hirelink convention, sb_sync_candidate_erase).
 * Sub-resources of an application or candidate the sandbox does not hold
 * are a 404 per key (hirelink convention).
 */
#include <stdlib.h>
#include <string.h>

#include "sandbox/sandbox.h"

#define TEXT_MAX      200   /* names, job titles, stages, sources */
#define LONG_TEXT_MAX 20000 /* a note, a feedback's text */
#define EVAL_MAX      50    /* evaluations in one feedback */
#define THROTTLE_RPM  10000 /* LinkedIn's records a minute */
#define THROTTLE_RPD  100000 /* LinkedIn's requests a UTC day */
#define PAYLOADS_MAX  1000  /* one page of GET /sandbox/payloads */

/* The resources LinkedIn throttles one by one, named as the payload store
 * and its readers name them. */
enum sync_resource {
	R_CANDIDATES,
	R_APPLICATIONS,
	R_STAGES,
	R_FEEDBACK,
	R_CANDIDATE_NOTES,
	R_APPLICATION_NOTES,
};

static const char *const resource_names[] = {
    [R_CANDIDATES] = "atsCandidates",
    [R_APPLICATIONS] = "atsApplications",
    [R_STAGES] = "stages",
    [R_FEEDBACK] = "interviewFeedback",
    [R_CANDIDATE_NOTES] = "candidateNotes",
    [R_APPLICATION_NOTES] = "applicationNotes",
};

/* ------------------------------------------------------------ throttle */

/* The records of this request: its keys (ids[i].f counted by i, or ids=). */
static int64_t records_of(struct sb_ctx *c)
{
	const struct http_params *q = &c->req->query_params;
	int64_t simple = 0, top = 0;
	for (size_t i = 0; i < q->n; i++) {
		const char *name = q->v[i].name;
		if (!strcmp(name, "ids"))
			simple++;
		else if (!strncmp(name, "ids[", 4)) {
			long long idx = strtoll(name + 4, NULL, 10);
			if (idx >= 0 && idx + 1 > top)
				top = idx + 1;
		}
	}
	return simple + top;
}

/* Counts n records of resource for client in this minute: 0 within the
 * limit, 1 past it (*retry the seconds to the next minute), -1 on a
 * database failure. */
static int throttle(struct sb_ctx *c, const char *client, const char *res,
		    int64_t n, int64_t *retry)
{
	int64_t now = time_now_ms(), minute = now / 60000, limit = THROTTLE_RPM;
	uint64_t changed = 0;
	struct db_row r;
	int rc;

	rc = db_query_row(c->db, c->a, &r,
			  "SELECT records_per_minute FROM sync_throttle_limits"
			  " WHERE client_id = ?",
			  "s", client);
	if (rc == DB_OK)
		limit = db_int(&r, 0);
	else if (rc != DB_NOT_FOUND)
		return -1;
	if (db_exec(c->db, NULL,
		    "DELETE FROM sync_throttle WHERE client_id = ?"
		    " AND resource = ? AND minute < ?",
		    "ssi", client, res, minute) != DB_OK ||
	    db_exec(c->db, NULL,
		    "INSERT IGNORE INTO sync_throttle (client_id, resource,"
		    " minute, records) VALUES (?, ?, ?, 0)",
		    "ssi", client, res, minute) != DB_OK ||
	    db_exec(c->db, &changed,
		    "UPDATE sync_throttle SET records = records + ?"
		    " WHERE client_id = ? AND resource = ? AND minute = ?"
		    " AND records + ? <= ?",
		    "issiii", n, client, res, minute, n, limit) != DB_OK)
		return -1;
	*retry = 60 - (now / 1000) % 60;
	return changed ? 0 : 1;
}

/* Counts one request of resource for client in this UTC day: 0 within
 * the daily limit, 1 past it (not counted; *retry the seconds to midnight
 * UTC), -1 on a database failure. */
static int day_limit(struct sb_ctx *c, const char *client, const char *res,
		     int64_t *retry)
{
	const int64_t day_ms = 86400000;
	int64_t now = time_now_ms(), day = now / day_ms, limit = THROTTLE_RPD;
	const char *scope = arena_printf(c->a, "sync-day:%s:%s", client, res);
	uint64_t changed = 0;
	struct db_row r;
	int rc;

	if (!scope)
		return -1;
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT requests_per_day FROM sync_throttle_limits"
			  " WHERE client_id = ?",
			  "s", client);
	if (rc == DB_OK && db_int(&r, 0) > 0)
		limit = db_int(&r, 0);
	else if (rc != DB_OK && rc != DB_NOT_FOUND)
		return -1;
	if (db_exec(c->db, NULL,
		    "DELETE FROM api_throttles WHERE scope = ? AND bucket < ?",
		    "si", scope, day) != DB_OK ||
	    db_exec(c->db, NULL,
		    "INSERT IGNORE INTO api_throttles (scope, bucket, used)"
		    " VALUES (?, ?, 0)",
		    "si", scope, day) != DB_OK ||
	    db_exec(c->db, &changed,
		    "UPDATE api_throttles SET used = used + 1 WHERE scope = ?"
		    " AND bucket = ? AND used < ?",
		    "sii", scope, day, limit) != DB_OK)
		return -1;
	*retry = ((day + 1) * day_ms - now + 999) / 1000;
	return changed ? 0 : 1;
}

/* ------------------------------------------------------------ payloads */

/* The request's query as decoded name=value pairs joined by '&'. */
static const char *query_text(struct sb_ctx *c)
{
	const struct http_params *q = &c->req->query_params;
	struct buf b = BUF_INIT;
	const char *s;
	for (size_t i = 0; i < q->n; i++)
		buf_addf(&b, "%s%s=%s", i ? "&" : "", q->v[i].name,
			 q->v[i].value);
	s = buf_failed(&b) ? "" : arena_strdup(c->a, b.data);
	buf_release(&b);
	return s ? s : "";
}

static void payload_store(struct sb_ctx *c, const char *client,
			  enum sync_resource res, int64_t records)
{
	if (db_exec(c->db, NULL,
		    "INSERT INTO sync_payloads (client_id, method, resource,"
		    " path, query, body, status, records, at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "ssssssiii", client, c->req->method_name,
		    resource_names[res], c->req->path, query_text(c),
		    c->req->body ? c->req->body : "", (int64_t)c->res->status,
		    records, time_now_ms()) != DB_OK)
		log_error("cannot store a sync payload: %s", db_error(c->db));
}

/* One sync call: the caller, the throttle, the endpoint (one of the two
 * handlers), the payload stored. */
static void sync_call(struct sb_ctx *c, enum sync_resource res,
		      const char *resource, void (*plain)(struct sb_ctx *),
		      void (*handler)(struct sb_ctx *,
				      const struct sb_caller *))
{
	struct sb_caller who;
	int64_t n = records_of(c), retry = 1;
	int t = 0;

	if (sb_caller_of(c, resource, &who) < 0)
		return;
	int d = day_limit(c, who.client_id, resource_names[res], &retry);
	if (d < 0 ||
	    (!d && n <= SB_BATCH_MAX &&
	     (t = throttle(c, who.client_id, resource_names[res], n, &retry)) <
		 0)) {
		sb_db_fail(c);
		return;
	}
	if (d) {
		char s[24];
		snprintf(s, sizeof(s), "%lld", (long long)retry);
		sb_api_error(c, 429, 0,
			     "Resource level throttle APPLICATION DAY limit for "
			     "calls to this resource is reached.");
		http_header_add(c->res, "Retry-After", s);
	} else if (t) {
		char s[24];
		snprintf(s, sizeof(s), "%lld", (long long)retry);
		sb_api_error(c, 429, 0,
			     "Resource level throttle limit for calls to this "
			     "resource is reached.");
		http_header_add(c->res, "Retry-After", s);
	} else if (plain) {
		plain(c);
	} else {
		handler(c, &who);
	}
	payload_store(c, who.client_id, res, n);
}

/* ------------------------------------------------------------ checks */

/* An epoch-ms member: required, or optional; greater than min - 1. */
static const char *check_ms(struct sb_ctx *c, json_t *e, const char *field,
			    bool required, int64_t min, const char *must,
			    int *status)
{
	json_t *v = json_object_get(e, field);
	if (!v || json_is_null(v))
		return required ? sb_missing(c, field, status) : NULL;
	if (!json_is_integer(v) || json_integer_value(v) < min)
		return sb_invalid(c, field, must, status);
	return NULL;
}

/* A present string member must not be empty (LinkedIn's "minimum length
 * 1" on optional fields). */
static const char *check_nonempty(struct sb_ctx *c, json_t *e,
				  const char *field, int *status)
{
	const char *why = sb_check_str(c, e, field, false, TEXT_MAX, status);
	const char *s = json_string_value(json_object_get(e, field));
	if (why)
		return why;
	if (s && !*s)
		return sb_invalid(c, field, "must be at least 1 character",
				  status);
	return NULL;
}

/* An Actor {firstName, lastName} (both required in it) at field, when
 * present. */
static const char *check_actor(struct sb_ctx *c, json_t *e, const char *field,
			       int *status)
{
	json_t *v = json_object_get(e, field);
	const char *why;
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_object(v))
		return sb_invalid(
		    c, field, "must be {\"firstName\", \"lastName\"}", status);
	if ((why = sb_check_str(c, v, "firstName", true, TEXT_MAX, status)) ||
	    (why = sb_check_str(c, v, "lastName", true, TEXT_MAX, status))) {
		/* name the field by its path, as LinkedIn does */
		const char *inner = strstr(why, ":: /");
		const char *m = inner ? arena_printf(c->a, "ERROR :: /%s%s",
						     field, inner + 3)
				      : NULL;
		return m ? m : why;
	}
	return NULL;
}

static const char *application_check(struct sb_ctx *c, json_t *e, int *status)
{
	static const char *const states[] = {"ACTIVE", "REJECTED", "WITHDRAWN",
					     "HIRED"};
	const char *why, *s;
	json_t *created;

	if (!json_is_object(e))
		return sb_invalid(c, "", "the entity must be an object",
				  status);
	if ((why =
		 check_ms(c, e, "atsCreatedAt", true, 1,
			  "must be epoch milliseconds greater than 0", status)))
		return why;
	created = json_object_get(e, "atsCreatedAt");
	if ((why = check_ms(c, e, "atsLastModifiedAt", true,
			    json_integer_value(created),
			    "must be epoch milliseconds, not before "
			    "atsCreatedAt",
			    status)) ||
	    (why = sb_check_str(c, e, "atsJobPostingId", true, SB_ID_MAX,
				status)) ||
	    (why = sb_check_str(c, e, "atsJobPostingName", true, TEXT_MAX,
				status)) ||
	    (why = sb_check_str(c, e, "atsCandidateId", false, SB_ID_MAX,
				status)) ||
	    (why = sb_check_str(c, e, "candidateEmail", false, 254, status)) ||
	    (why = check_nonempty(c, e, "firstName", status)) ||
	    (why = check_nonempty(c, e, "lastName", status)) ||
	    (why = sb_check_str(c, e, "source", false, TEXT_MAX, status)) ||
	    (why = sb_check_str(c, e, "dispositionReason", false, TEXT_MAX,
				status)) ||
	    (why = sb_check_str(c, e, "state", false, 16, status)))
		return why;
	s = json_string_value(json_object_get(e, "candidateEmail"));
	if (s && *s && !sb_email_ok(s))
		return sb_invalid(c, "candidateEmail",
				  "must be an email address (X@X.X)", status);
	s = json_string_value(json_object_get(e, "state"));
	if (s) {
		size_t i;
		for (i = 0; i < ARRAY_LEN(states) && strcmp(s, states[i]); i++)
			;
		if (i == ARRAY_LEN(states))
			return sb_invalid(c, "state",
					  "must be ACTIVE, REJECTED, WITHDRAWN "
					  "or HIRED",
					  status);
	}
	return NULL;
}

static const char *stage_check(struct sb_ctx *c, json_t *e, int *status)
{
	const char *why;
	if (!json_is_object(e))
		return sb_invalid(c, "", "the entity must be an object",
				  status);
	if ((why = check_ms(c, e, "atsCreatedAt", true, 1,
			    "must be epoch milliseconds greater than 0",
			    status)) ||
	    (why = sb_check_str(c, e, "stage", true, TEXT_MAX, status)))
		return why;
	if (!strcmp(json_string_value(json_object_get(e, "stage")),
		    "Not Available"))
		return sb_invalid(c, "stage", "must not be \"Not Available\"",
				  status);
	return NULL;
}

static const char *feedback_check(struct sb_ctx *c, json_t *e, int *status)
{
	const char *why, *type;
	json_t *ev, *x;
	size_t i;

	if (!json_is_object(e))
		return sb_invalid(c, "", "the entity must be an object",
				  status);
	if ((why = check_ms(c, e, "atsCreatedAt", false, 1,
			    "must be epoch milliseconds greater than 0",
			    status)) ||
	    (why = sb_check_str(c, e, "feedback", false, LONG_TEXT_MAX,
				status)) ||
	    (why = check_actor(c, e, "interviewer", status)) ||
	    (why = sb_check_str(c, e, "interviewType", false, 16, status)))
		return why;
	type = json_string_value(json_object_get(e, "interviewType"));
	if (type && strcmp(type, "PHONE_SCREEN") && strcmp(type, "ONSITE"))
		return sb_invalid(c, "interviewType",
				  "must be PHONE_SCREEN or ONSITE", status);
	ev = json_object_get(e, "evaluations");
	if (!ev || json_is_null(ev))
		return NULL;
	if (!json_is_array(ev) || json_array_size(ev) > EVAL_MAX)
		return sb_invalid(c, "evaluations",
				  "must be an array of at most 50 evaluations",
				  status);
	json_array_foreach(ev, i, x)
	{
		const char *path = arena_printf(c->a, "evaluations/%zu", i);
		if (!json_is_object(x))
			return sb_invalid(c, path ? path : "evaluations",
					  "must be {\"attribute\", "
					  "\"result\"}",
					  status);
		if ((why = sb_check_str(c, x, "attribute", true, TEXT_MAX,
					status)) ||
		    (why = sb_check_str(c, x, "result", false, TEXT_MAX,
					status))) {
			const char *inner = strstr(why, ":: /");
			const char *m =
			    inner && path ? arena_printf(c->a, "ERROR :: /%s%s",
							 path, inner + 3)
					  : NULL;
			return m ? m : why;
		}
	}
	return NULL;
}

static const char *note_check(struct sb_ctx *c, json_t *e, int *status)
{
	const char *why;
	if (!json_is_object(e))
		return sb_invalid(c, "", "the entity must be an object",
				  status);
	if ((why = check_ms(c, e, "atsCreatedAt", false, 1,
			    "must be epoch milliseconds greater than 0",
			    status)) ||
	    (why = sb_check_str(c, e, "note", false, LONG_TEXT_MAX, status)) ||
	    (why = check_actor(c, e, "author", status)))
		return why;
	return NULL;
}

/* ------------------------------------------------------------ cascades */

/* Deletes the sub-entities of parent (of kind "application" or
 * "candidate").  DB status. */
static int sub_entities_delete(struct db *db, const char *client, int64_t org,
			       const char *parent_kind, const char *parent)
{
	return db_exec(db, NULL,
		       "DELETE FROM ats_sub_entities WHERE client_id = ?"
		       " AND organization_id = ? AND parent_kind = ?"
		       " AND parent_id = ?",
		       "siss", client, org, parent_kind, parent);
}

static int application_delete(struct db *db, const char *client, int64_t org,
			      const char *id)
{
	int rc = sub_entities_delete(db, client, org, "application", id);
	return rc != DB_OK ? rc
			   : db_exec(db, NULL,
				     "DELETE FROM ats_applications"
				     " WHERE client_id = ?"
				     " AND organization_id = ?"
				     " AND ats_job_application_id = ?",
				     "sis", client, org, id);
}

int sb_sync_candidate_erase(struct sb_ctx *c, const char *client, int64_t org,
			    const char *ats_candidate_id)
{
	struct db_result res;
	int rc = db_query(c->db, c->a, &res,
			  "SELECT ats_job_application_id FROM ats_applications"
			  " WHERE client_id = ? AND organization_id = ?"
			  " AND ats_candidate_id = ?",
			  "sis", client, org, ats_candidate_id);
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++)
		rc = application_delete(c->db, client, org, res.rows[i].v[0]);
	if (rc == DB_OK)
		rc = sub_entities_delete(c->db, client, org, "candidate",
					 ats_candidate_id);
	return rc == DB_OK ? 0 : -1;
}

/* ------------------------------------------------------------ atsApplications
 */

static void applications_put(struct sb_ctx *c, const struct sb_caller *who)
{
	struct sb_rkey *keys;
	struct sb_batch b;
	json_t **ent;
	size_t n;

	if (sb_query_keys(c, &keys, &n) < 0)
		return;
	if (!(ent = arena_calloc(c->a, n, sizeof(*ent)))) {
		sb_db_fail(c);
		return;
	}
	if (sb_body_entities(c, keys, n, ent) < 0)
		return;
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		const char *id, *why;
		int status, rc;
		char *text;

		if ((why = sb_ats_key_refusal(c, who, &keys[i],
					      "atsJobApplicationId", &id,
					      &status)) ||
		    (why = application_check(c, ent[i], &status))) {
			sb_batch_error(&b, keys[i].text, status, why);
			continue;
		}
		text = json_dumps(ent[i], JSON_COMPACT);
		rc = text ? db_exec(
				c->db, NULL,
				"INSERT INTO ats_applications (client_id,"
				" organization_id, ats_job_application_id,"
				" ats_candidate_id, entity, updated_at)"
				" VALUES (?, ?, ?, ?, ?, ?)"
				" ON DUPLICATE KEY UPDATE"
				" ats_candidate_id = VALUES(ats_candidate_id),"
				" entity = VALUES(entity),"
				" updated_at = VALUES(updated_at)",
				"sisssi", who->client_id, who->org, id,
				json_string_value(
				    json_object_get(ent[i], "atsCandidateId")),
				text, time_now_ms())
			  : DB_ERROR;
		free(text);
		if (rc != DB_OK) {
			sb_batch_fail(c, &b);
			return;
		}
		sb_batch_ok(&b, keys[i].text, NULL, 204);
	}
	sb_batch_answer(c, &b);
}

/* batch_delete: 204 per key, held or not; the application's stages,
 * feedback and notes go with it (LinkedIn's rule). */
static void applications_delete(struct sb_ctx *c, const struct sb_caller *who)
{
	struct sb_rkey *keys;
	struct sb_batch b;
	size_t n;

	if (sb_query_keys(c, &keys, &n) < 0)
		return;
	sb_batch_init(&b);
	if (db_begin(c->db) != DB_OK) {
		sb_batch_fail(c, &b);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *id, *why;
		int status;
		if ((why = sb_ats_key_refusal(c, who, &keys[i],
					      "atsJobApplicationId", &id,
					      &status))) {
			sb_batch_error(&b, keys[i].text, status, why);
			continue;
		}
		if (application_delete(c->db, who->client_id, who->org, id) !=
		    DB_OK) {
			db_rollback(c->db);
			sb_batch_fail(c, &b);
			return;
		}
		sb_batch_ok(&b, keys[i].text, NULL, 204);
	}
	if (db_commit(c->db) != DB_OK) {
		db_rollback(c->db);
		sb_batch_fail(c, &b);
		return;
	}
	sb_batch_answer(c, &b);
}

/* ------------------------------------------------------------ sub-resources */

/* One kind of sub-resource: its parent, its kind in ats_sub_entities and
 * the check of its entity. */
struct sub_kind {
	const char *parent_kind; /* "application" or "candidate" */
	const char *kind;	 /* "stage", "feedback", "note" */
	const char *(*check)(struct sb_ctx *, json_t *, int *);
};

static const struct sub_kind stage_kind = {"application", "stage", stage_check};
static const struct sub_kind feedback_kind = {"application", "feedback",
					      feedback_check};
static const struct sub_kind app_note_kind = {"application", "note",
					      note_check};
static const struct sub_kind cand_note_kind = {"candidate", "note", note_check};

/* The parent named by the path's {key}: its id into *parent, and whether
 * the sandbox holds it (*held); -1 after answering. */
static int sub_parent(struct sb_ctx *c, const struct sb_caller *who,
		      const struct sub_kind *k, const char **parent, bool *held)
{
	bool app = !strcmp(k->parent_kind, "application");
	struct sb_rkey pk;
	struct db_row r;
	const char *why;
	int status, rc;

	if (sb_key_parse(c->a, c->match.captures[0], &pk) < 0) {
		sb_bad_param(c, app ? "atsJobApplicationId key"
				    : "atsCandidateId key");
		return -1;
	}
	if ((why = sb_ats_key_refusal(
		 c, who, &pk, app ? "atsJobApplicationId" : "atsCandidateId",
		 parent, &status))) {
		sb_api_error(c, status, status == 403 ? 100 : 0, why);
		return -1;
	}
	rc = app ? db_query_row(c->db, c->a, &r,
				"SELECT 1 FROM ats_applications"
				" WHERE client_id = ? AND organization_id = ?"
				" AND ats_job_application_id = ?",
				"sis", who->client_id, who->org, *parent)
		 : db_query_row(c->db, c->a, &r,
				"SELECT 1 FROM ats_candidates"
				" WHERE client_id = ? AND organization_id = ?"
				" AND ats_candidate_id = ?"
				" AND entity IS NOT NULL",
				"sis", who->client_id, who->org, *parent);
	if (rc != DB_OK && rc != DB_NOT_FOUND) {
		sb_db_fail(c);
		return -1;
	}
	*held = rc == DB_OK;
	return 0;
}

static void sub_put(struct sb_ctx *c, const struct sb_caller *who,
		    const struct sub_kind *k)
{
	const char *parent, **ids;
	struct sb_batch b;
	json_t **ent;
	bool held;
	size_t n;

	if (sub_parent(c, who, k, &parent, &held) < 0 ||
	    sb_query_ids(c, &ids, &n) < 0)
		return;
	if (!(ent = arena_calloc(c->a, n, sizeof(*ent)))) {
		sb_db_fail(c);
		return;
	}
	if (sb_body_simple_entities(c, ids, n, ent) < 0)
		return;
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		const char *why;
		int status, rc;
		char *text;

		if (!held) {
			sb_batch_error(&b, ids[i], 404,
				       !strcmp(k->parent_kind, "application")
					   ? "Application not found"
					   : "Candidate not found");
			continue;
		}
		if (!*ids[i] || strlen(ids[i]) > SB_ID_MAX) {
			sb_batch_error(&b, ids[i], 400,
				       "ids must be 1 to 100 characters");
			continue;
		}
		if ((why = k->check(c, ent[i], &status))) {
			sb_batch_error(&b, ids[i], status, why);
			continue;
		}
		text = json_dumps(ent[i], JSON_COMPACT);
		rc =
		    text
			? db_exec(c->db, NULL,
				  "INSERT INTO ats_sub_entities (client_id,"
				  " organization_id, parent_kind, parent_id,"
				  " kind, entity_id, entity, ats_created_at,"
				  " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
				  " ?, ?) ON DUPLICATE KEY UPDATE"
				  " entity = VALUES(entity),"
				  " ats_created_at = VALUES(ats_created_at),"
				  " updated_at = VALUES(updated_at)",
				  "sisssssii", who->client_id, who->org,
				  k->parent_kind, parent, k->kind, ids[i], text,
				  (int64_t)json_integer_value(
				      json_object_get(ent[i], "atsCreatedAt")),
				  time_now_ms())
			: DB_ERROR;
		free(text);
		if (rc != DB_OK) {
			sb_batch_fail(c, &b);
			return;
		}
		sb_batch_ok(&b, ids[i], NULL, 204);
	}
	sb_batch_answer(c, &b);
}

/* DELETE ...?ids=: 204 per id, held or not (a note made private is
 * deleted whether or not it was ever sent). */
static void sub_delete(struct sb_ctx *c, const struct sb_caller *who,
		       const struct sub_kind *k)
{
	const char *parent, **ids;
	struct sb_batch b;
	bool held;
	size_t n;

	if (sub_parent(c, who, k, &parent, &held) < 0 ||
	    sb_query_ids(c, &ids, &n) < 0)
		return;
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (db_exec(c->db, NULL,
			    "DELETE FROM ats_sub_entities WHERE client_id = ?"
			    " AND organization_id = ? AND parent_kind = ?"
			    " AND parent_id = ? AND kind = ?"
			    " AND entity_id = ?",
			    "sissss", who->client_id, who->org, k->parent_kind,
			    parent, k->kind, ids[i]) != DB_OK) {
			sb_batch_fail(c, &b);
			return;
		}
		sb_batch_ok(&b, ids[i], NULL, 204);
	}
	sb_batch_answer(c, &b);
}

static void stages_put(struct sb_ctx *c, const struct sb_caller *w)
{
	sub_put(c, w, &stage_kind);
}
static void stages_delete(struct sb_ctx *c, const struct sb_caller *w)
{
	sub_delete(c, w, &stage_kind);
}
static void feedback_put(struct sb_ctx *c, const struct sb_caller *w)
{
	sub_put(c, w, &feedback_kind);
}
static void feedback_delete(struct sb_ctx *c, const struct sb_caller *w)
{
	sub_delete(c, w, &feedback_kind);
}
static void app_notes_put(struct sb_ctx *c, const struct sb_caller *w)
{
	sub_put(c, w, &app_note_kind);
}
static void app_notes_delete(struct sb_ctx *c, const struct sb_caller *w)
{
	sub_delete(c, w, &app_note_kind);
}
static void cand_notes_put(struct sb_ctx *c, const struct sb_caller *w)
{
	sub_put(c, w, &cand_note_kind);
}
static void cand_notes_delete(struct sb_ctx *c, const struct sb_caller *w)
{
	sub_delete(c, w, &cand_note_kind);
}

/* ------------------------------------------------------------ routes */

void sb_sync_candidates_put(struct sb_ctx *c)
{
	sync_call(c, R_CANDIDATES, "atsCandidates.BATCH_UPDATE.NO_VERSION",
		  sb_candidates_put, NULL);
}

void sb_sync_candidates_delete(struct sb_ctx *c)
{
	sync_call(c, R_CANDIDATES, "atsCandidates.BATCH_DELETE.NO_VERSION",
		  sb_candidates_delete, NULL);
}

void sb_applications_put(struct sb_ctx *c)
{
	sync_call(c, R_APPLICATIONS, "atsApplications.BATCH_UPDATE.NO_VERSION",
		  NULL, applications_put);
}

void sb_applications_delete(struct sb_ctx *c)
{
	sync_call(c, R_APPLICATIONS, "atsApplications.BATCH_DELETE.NO_VERSION",
		  NULL, applications_delete);
}

void sb_stages_put(struct sb_ctx *c)
{
	sync_call(c, R_STAGES, "atsApplicationStages.BATCH_UPDATE.NO_VERSION",
		  NULL, stages_put);
}

void sb_stages_delete(struct sb_ctx *c)
{
	sync_call(c, R_STAGES, "atsApplicationStages.BATCH_DELETE.NO_VERSION",
		  NULL, stages_delete);
}

void sb_feedback_put(struct sb_ctx *c)
{
	sync_call(c, R_FEEDBACK,
		  "atsApplicationInterviewFeedback.BATCH_UPDATE.NO_VERSION",
		  NULL, feedback_put);
}

void sb_feedback_delete(struct sb_ctx *c)
{
	sync_call(c, R_FEEDBACK,
		  "atsApplicationInterviewFeedback.BATCH_DELETE.NO_VERSION",
		  NULL, feedback_delete);
}

void sb_application_notes_put(struct sb_ctx *c)
{
	sync_call(c, R_APPLICATION_NOTES,
		  "atsApplicationNotes.BATCH_UPDATE.NO_VERSION", NULL,
		  app_notes_put);
}

void sb_application_notes_delete(struct sb_ctx *c)
{
	sync_call(c, R_APPLICATION_NOTES,
		  "atsApplicationNotes.BATCH_DELETE.NO_VERSION", NULL,
		  app_notes_delete);
}

void sb_candidate_notes_put(struct sb_ctx *c)
{
	sync_call(c, R_CANDIDATE_NOTES,
		  "atsCandidateNotes.BATCH_UPDATE.NO_VERSION", NULL,
		  cand_notes_put);
}

void sb_candidate_notes_delete(struct sb_ctx *c)
{
	sync_call(c, R_CANDIDATE_NOTES,
		  "atsCandidateNotes.BATCH_DELETE.NO_VERSION", NULL,
		  cand_notes_delete);
}

/* ------------------------------------------------------------ control */

/* GET /sandbox/payloads?clientId=&after=&resource=&limit= */
void sb_control_payloads(struct sb_ctx *c)
{
	const char *client = http_query(c->req, "clientId");
	const char *res = http_query(c->req, "resource");
	const char *after_s = http_query(c->req, "after");
	const char *limit_s = http_query(c->req, "limit");
	int64_t after = 0, limit = 100;
	struct db_result r;
	json_t *out;

	if (sb_control_refused(c))
		return;
	if ((after_s && (parse_i64(after_s, &after) < 0 || after < 0)) ||
	    (limit_s && (parse_i64(limit_s, &limit) < 0 || limit < 1 ||
			 limit > PAYLOADS_MAX))) {
		sb_control_bad(c, after_s && parse_i64(after_s, &after) < 0
				      ? "after must be a payload id"
				      : "limit must be 1 to 1000");
		return;
	}
	if (client && !*client)
		client = NULL;
	if (res && !*res)
		res = NULL;
	if (db_query(c->db, c->a, &r,
		     "SELECT id, client_id, method, resource, path, query,"
		     " body, status, records, at FROM sync_payloads"
		     " WHERE id > ? AND (? IS NULL OR client_id = ?)"
		     " AND (? IS NULL OR resource = ?)"
		     " ORDER BY id LIMIT ?",
		     "issssi", after, client, client, res, res,
		     limit) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	out = json_array();
	for (size_t i = 0; i < r.nrows; i++) {
		char **v = r.rows[i].v;
		json_array_append_new(
		    out,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, "
			      "s:I}",
			      "id", (json_int_t)db_int(&r.rows[i], 0),
			      "clientId", v[1], "method", v[2], "resource",
			      v[3], "path", v[4], "query", v[5], "body", v[6],
			      "status", (json_int_t)db_int(&r.rows[i], 7),
			      "records", (json_int_t)db_int(&r.rows[i], 8),
			      "at", (json_int_t)db_int(&r.rows[i], 9)));
	}
	sb_json(c, 200, json_pack("{s:o}", "elements", out));
}

/* POST /sandbox/sync/throttle {"clientId", "recordsPerMinute",
 * "requestsPerDay"}: either absent or 0 is LinkedIn's own. */
void sb_control_sync_throttle(struct sb_ctx *c)
{
	json_t *j = sb_control_body(c), *v, *d;
	const char *client;
	int64_t rpm = 0, rpd = 0;
	int rc;

	if (!j)
		return;
	client = json_string_value(json_object_get(j, "clientId"));
	v = json_object_get(j, "recordsPerMinute");
	if (!client || !*client || strlen(client) > 64) {
		sb_control_bad(c,
			       "clientId must be an application's client_id");
		return;
	}
	if (v && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 1000000) {
			sb_control_bad(c, "recordsPerMinute must be 0 to "
					  "1000000");
			return;
		}
		rpm = json_integer_value(v);
	}
	d = json_object_get(j, "requestsPerDay");
	if (d && !json_is_null(d)) {
		if (!json_is_integer(d) || json_integer_value(d) < 0 ||
		    json_integer_value(d) > 1000000) {
			sb_control_bad(c, "requestsPerDay must be 0 to "
					  "1000000");
			return;
		}
		rpd = json_integer_value(d);
	}
	const char *scopes = arena_printf(c->a, "sync-day:%s:%%", client);
	rc = rpm || rpd ? db_exec(c->db, NULL,
				  "INSERT INTO sync_throttle_limits (client_id,"
				  " records_per_minute, requests_per_day)"
				  " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE"
				  " records_per_minute ="
				  " VALUES(records_per_minute),"
				  " requests_per_day = VALUES(requests_per_day)",
				  "sii", client, rpm ? rpm : THROTTLE_RPM, rpd)
			: db_exec(c->db, NULL,
				  "DELETE FROM sync_throttle_limits WHERE"
				  " client_id = ?",
				  "s", client);
	if (rc == DB_OK)
		rc = db_exec(c->db, NULL,
			     "DELETE FROM sync_throttle WHERE client_id = ?",
			     "s", client);
	/* the day's count starts over with the new limit */
	if (rc == DB_OK)
		rc = scopes ? db_exec(c->db, NULL,
				      "DELETE FROM api_throttles WHERE scope"
				      " LIKE ?",
				      "s", scopes)
			    : DB_ERROR;
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	sb_json(c, 200,
		json_pack("{s:b, s:I, s:I}", "ok", 1, "recordsPerMinute",
			  (json_int_t)(rpm ? rpm : THROTTLE_RPM),
			  "requestsPerDay",
			  (json_int_t)(rpd ? rpd : THROTTLE_RPD)));
}
