/*
 * control.c - what tests and demos ask of the sandbox, never LinkedIn:
 *
 *   POST /sandbox/control      failure rules, reset, token expiry, revoking
 *                              a member's authorizations
 *   GET  /sandbox/control      the current failure rules
 *   GET  /sandbox/credentials  the seeded application and seat holders
 *
 * All of it answers loopback clients only (403 otherwise).  Failure rules
 * live in the sandbox database (fail_rules), so they hold across the
 * sandbox's threads; sb_inject_failure() applies them to every other
 * request before it is dispatched.  A rule's count is taken down with a
 * conditional UPDATE, so concurrent requests never use one count twice.
 *
 * Most of the time there is no rule at all, and a look at every request
 * was a statement of its own on every LinkedIn call hirelink makes (one
 * of three in each export's read, issue 14's speed).  A look that finds
 * no live rule is remembered for RULES_NONE_MS: rules are written through
 * this handler, in this process (the stack runs one sandbox), which
 * forgets the memo at once; a process that did not write it (a second
 * sandbox on the same database, a CGI run) sees a new rule within that
 * time.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "sandbox/sandbox.h"

/* ------------------------------------------------------------ injection */

/* The message of an injected failure's body: LinkedIn's words for a 429,
 * the status's reason phrase for the others. */
static const char *failure_message(int status)
{
	if (status == 429)
		return "Resource level throttle limit for calls to this "
		       "resource is reached.";
	return http_status_text(status);
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) < 0)
		;
}

/* The words of enum sb_fault, in its order (fail_rules.fault). */
static const char *const fault_names[] = {NULL, "reset", "truncate",
					  "invalid_json"};

static enum sb_fault fault_of(const char *name)
{
	for (size_t i = 1; name && i < ARRAY_LEN(fault_names); i++)
		if (!strcmp(name, fault_names[i]))
			return (enum sb_fault)i;
	return SB_FAULT_NONE;
}

void sb_apply_fault(struct sb_ctx *c, enum sb_fault fault)
{
	size_t half = c->res->body.len / 2;
	switch (fault) {
	case SB_FAULT_NONE:
		break;
	case SB_FAULT_RESET:
		/* nginx's internal location that closes the connection
		 * without a byte (return 444: nginx/local.conf.in); the
		 * answer is dropped */
		buf_reset(&c->res->body);
		c->res->status = 200;
		http_header_add(c->res, "X-Accel-Redirect", "/_sandbox_fault/drop");
		break;
	case SB_FAULT_TRUNCATE:
		c->res->body_cut = c->res->body.len - half;
		break;
	case SB_FAULT_INVALID_JSON:
		/* a complete answer (its length right) of half a document */
		c->res->body.len = half;
		if (c->res->body.data)
			c->res->body.data[half] = '\0';
		break;
	}
}

/* Until when (time_mono_us) no live rule is known to exist (0: look),
 * and the count of rules written, so that a look which began before a
 * rule was written does not set the memo after it. */
#define RULES_NONE_MS 1000
static pthread_mutex_t rules_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t rules_none_until_us;
static uint64_t rules_written;

/* A rule written: the next request looks again. */
static void rules_changed(void)
{
	pthread_mutex_lock(&rules_mu);
	rules_written++;
	rules_none_until_us = 0;
	pthread_mutex_unlock(&rules_mu);
}

/* Whether a look is needed; *written: the count to give rules_none. */
static bool rules_may_exist(uint64_t *written)
{
	pthread_mutex_lock(&rules_mu);
	bool look = time_mono_us() >= rules_none_until_us;
	*written = rules_written;
	pthread_mutex_unlock(&rules_mu);
	return look;
}

/* A look begun at looked_us found no live rule. */
static void rules_none(int64_t looked_us, uint64_t written)
{
	pthread_mutex_lock(&rules_mu);
	if (rules_written == written)
		rules_none_until_us = looked_us + RULES_NONE_MS * 1000;
	pthread_mutex_unlock(&rules_mu);
}

bool sb_inject_failure(struct sb_ctx *c, enum sb_fault *fault)
{
	const char *path = c->req->path;
	struct db_row r;
	int tries, rc;

	if (!strncmp(path, "/sandbox/", 9) || !strcmp(path, "/healthz") ||
	    !strncmp(path, "/static/", 8))
		return false;
	uint64_t written;
	if (!rules_may_exist(&written))
		return false;
	for (tries = 0; tries < 5; tries++) {
		uint64_t affected = 0;
		int64_t looked_us = time_mono_us();
		/* the first live rule for the path, else whether any rule
		 * lives at all (hit 0) */
		rc = db_query_row(c->db, c->a, &r,
				  "SELECT id, status, delay_ms, retry_after,"
				  " remaining, fault, LEFT(?,"
				  " CHAR_LENGTH(path_prefix)) = path_prefix"
				  " COLLATE utf8mb4_bin AS hit FROM fail_rules"
				  " WHERE remaining IS NULL OR remaining > 0"
				  " ORDER BY hit DESC, id LIMIT 1",
				  "s", path);
		if (rc == DB_NOT_FOUND) {
			rules_none(looked_us, written);
			return false;
		}
		if (rc != DB_OK) {
			/* the real handler will report the database */
			return false;
		}
		if (!db_int(&r, 6))
			return false;
		if (!r.v[4])
			break;
		rc = db_exec(c->db, &affected,
			     "UPDATE fail_rules SET remaining = remaining - 1"
			     " WHERE id = ? AND remaining > 0",
			     "i", db_int(&r, 0));
		if (rc != DB_OK)
			return false;
		if (affected)
			break;
	}
	if (tries == 5)
		return false;
	if (db_int(&r, 2) > 0)
		sleep_ms(db_int(&r, 2));
	*fault = fault_of(r.v[5]);
	if (!r.v[1] || *fault)
		return false;
	{
		int status = (int)db_int(&r, 1);
		const char *msg = failure_message(status);
		if (!strncmp(path, "/oauth/", 7))
			sb_oauth_error(c, status,
				       status == 429 || status == 503
					   ? "temporarily_unavailable"
				       : status >= 500 ? "server_error"
						       : "invalid_request",
				       msg);
		else
			sb_api_error(c, status, 0, msg);
		if (status == 429 || status == 503) {
			const char *ra = arena_printf(c->a, "%lld",
						      (long long)db_int(&r, 3));
			if (ra)
				http_header_add(c->res, "Retry-After", ra);
		}
	}
	return true;
}

/* ------------------------------------------------------------ control */

static bool refuse(struct sb_ctx *c)
{
	return sb_control_refused(c);
}

static void bad(struct sb_ctx *c, const char *message)
{
	sb_control_error(c, 400, message);
}

/* An integer member of o in [min, max], def when absent; -1 on error. */
static int int_member(json_t *o, const char *key, int64_t min, int64_t max,
		      int64_t def, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		*out = def;
		return 0;
	}
	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	return *out >= min && *out <= max ? 0 : -1;
}

static void control_fail(struct sb_ctx *c, json_t *f)
{
	json_t *jp = json_object_get(f, "path_prefix");
	const char *prefix = json_string_value(jp);
	int64_t status, delay, count, retry_after;
	size_t i, n;

	if (!json_is_object(f)) {
		bad(c, "fail must be an object");
		return;
	}
	if (!prefix || prefix[0] != '/' || (n = strlen(prefix)) > 255) {
		bad(c, "fail.path_prefix must be a path starting with /");
		return;
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)prefix[i] <= ' ' ||
		    (unsigned char)prefix[i] >= 0x7f) {
			bad(c, "fail.path_prefix must be printable ASCII");
			return;
		}
	if (int_member(f, "status", 400, 599, 0, &status) < 0 ||
	    (json_object_get(f, "status") && status == 0)) {
		bad(c, "fail.status must be an HTTP status 400-599");
		return;
	}
	if (int_member(f, "delay_ms", 0, 30000, 0, &delay) < 0) {
		bad(c, "fail.delay_ms must be 0-30000");
		return;
	}
	if (int_member(f, "count", 0, 1000000, 0, &count) < 0) {
		bad(c, "fail.count must be 0 or more");
		return;
	}
	if (int_member(f, "retry_after", 0, 3600, 1, &retry_after) < 0) {
		bad(c, "fail.retry_after must be 0-3600");
		return;
	}
	json_t *jf = json_object_get(f, "fault");
	const char *fault = json_string_value(jf);
	if (jf && !json_is_null(jf) && (!fault_of(fault) || status)) {
		bad(c, "fail.fault must be reset, truncate or invalid_json, "
		       "without a status");
		return;
	}
	if (!status && !delay && !fault_of(fault)) {
		bad(c, "fail needs a status, a fault or a delay_ms");
		return;
	}
	if (db_exec(c->db, NULL,
		    "INSERT INTO fail_rules (path_prefix, status, delay_ms,"
		    " retry_after, remaining, fault) VALUES (?, NULLIF(?, 0),"
		    " ?, ?, NULLIF(?, 0), ?)",
		    "siiiis", prefix, status, delay, retry_after, count,
		    fault_of(fault) ? fault : NULL) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	rules_changed();
	sb_json(c, 200,
		json_pack("{s:b, s:I}", "ok", 1, "id",
			  (json_int_t)db_insert_id(c->db)));
}

/* The numeric id of a member given by its URN id ("k3Xw9aPq2Z" or
 * "urn:li:person:k3Xw9aPq2Z") in the request's member `field`; 0 when
 * there is none, the request then answered (400 naming field, or the
 * database failure). */
static int64_t member_by_urn(struct sb_ctx *c, const char *urn,
			     const char *field)
{
	struct db_row r;
	int rc;

	if (!strncmp(urn, "urn:li:person:", 14))
		urn += 14;
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT id FROM members WHERE urn_id = ?", "s", urn);
	if (rc == DB_OK)
		return db_int(&r, 0);
	if (rc == DB_NOT_FOUND)
		bad(c, arena_printf(c->a, "%s is not a member", field));
	else
		sb_db_fail(c);
	return 0;
}

static void control_expire(struct sb_ctx *c, json_t *e)
{
	const char *kind = json_string_value(json_object_get(e, "kind"));
	const char *member = json_string_value(json_object_get(e, "member"));
	int64_t now = time_now_ms(), member_id = 0;
	uint64_t affected = 0;
	int rc;

	if (!kind ||
	    (strcmp(kind, "member_access") && strcmp(kind, "member_refresh") &&
	     strcmp(kind, "app_access") && strcmp(kind, "code"))) {
		bad(c, "expire_tokens.kind must be member_access, "
		       "member_refresh, app_access or code");
		return;
	}
	if (member &&
	    !(member_id = member_by_urn(c, member, "expire_tokens.member")))
		return;
	if (!strcmp(kind, "code"))
		rc = db_exec(
		    c->db, &affected,
		    "UPDATE oauth_codes SET expires_at = ?"
		    " WHERE expires_at > ? AND (? = 0 OR member_id = ?)",
		    "iiii", now - 1000, now, member_id, member_id);
	else
		rc = db_exec(c->db, &affected,
			     "UPDATE oauth_tokens SET expires_at = ?"
			     " WHERE kind = ? AND expires_at > ?"
			     " AND (? = 0 OR member_id = ?)",
			     "isiii", now - 1000, kind, now, member_id,
			     member_id);
	sb_tokens_changed();
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	sb_json(
	    c, 200,
	    json_pack("{s:b, s:I}", "ok", 1, "expired", (json_int_t)affected));
}

static void control_revoke_member(struct sb_ctx *c, const char *member)
{
	int64_t member_id = member_by_urn(c, member, "revoke_member");
	uint64_t grants = 0;

	if (!member_id)
		return;
	if (db_exec(c->db, &grants,
		    "UPDATE oauth_grants SET revoked = 1"
		    " WHERE member_id = ? AND revoked = 0",
		    "i", member_id) != DB_OK ||
	    db_exec(c->db, NULL,
		    "UPDATE oauth_tokens SET revoked = 1 WHERE member_id = ?",
		    "i", member_id) != DB_OK) {
		sb_tokens_changed();
		sb_db_fail(c);
		return;
	}
	sb_tokens_changed();
	sb_json(
	    c, 200,
	    json_pack("{s:b, s:I}", "ok", 1, "revoked", (json_int_t)grants));
}

void sb_control_post(struct sb_ctx *c)
{
	json_t *j = c->req->json, *v;

	if (refuse(c))
		return;
	if (!json_is_object(j)) {
		bad(c, "the body must be a JSON object");
		return;
	}
	if ((v = json_object_get(j, "fail"))) {
		control_fail(c, v);
	} else if ((v = json_object_get(j, "reset"))) {
		if (!json_is_true(v)) {
			bad(c, "reset must be true");
			return;
		}
		if (db_exec(c->db, NULL, "DELETE FROM fail_rules", "") !=
		    DB_OK) {
			sb_db_fail(c);
			return;
		}
		sb_json(c, 200, json_pack("{s:b}", "ok", 1));
	} else if ((v = json_object_get(j, "expire_tokens"))) {
		if (!json_is_object(v)) {
			bad(c, "expire_tokens must be an object");
			return;
		}
		control_expire(c, v);
	} else if ((v = json_object_get(j, "revoke_member"))) {
		if (!json_is_string(v)) {
			bad(c, "revoke_member must be a member id");
			return;
		}
		control_revoke_member(c, json_string_value(v));
	} else {
		bad(c, "unknown action: use fail, reset, expire_tokens or "
		       "revoke_member");
	}
}

void sb_control_get(struct sb_ctx *c)
{
	struct db_result res;
	json_t *rules;
	size_t i;

	if (refuse(c))
		return;
	if (db_query(c->db, c->a, &res,
		     "SELECT id, path_prefix, status, delay_ms, retry_after,"
		     " remaining, fault FROM fail_rules ORDER BY id",
		     "") != DB_OK) {
		sb_db_fail(c);
		return;
	}
	rules = json_array();
	for (i = 0; i < res.nrows; i++) {
		struct db_row *r = &res.rows[i];
		json_array_append_new(
		    rules,
		    json_pack(
			"{s:I, s:s, s:o, s:I, s:I, s:o, s:s?}", "id",
			(json_int_t)db_int(r, 0), "path_prefix", r->v[1],
			"status",
			r->v[2] ? json_integer(db_int(r, 2)) : json_null(),
			"delay_ms", (json_int_t)db_int(r, 3), "retry_after",
			(json_int_t)db_int(r, 4), "remaining",
			r->v[5] ? json_integer(db_int(r, 5)) : json_null(),
			"fault", r->v[6]));
	}
	sb_json(c, 200, json_pack("{s:o}", "rules", rules));
}

/* ------------------------------------------------------------ credentials */

json_t *sb_applications_json(const struct sb_app *app)
{
	json_t *out = json_array();
	for (int i = 0; i < SB_APPS; i++)
		json_array_append_new(
		    out, json_pack("{s:i, s:s, s:s}", "number", i + 1,
				   "client_id", app->ids.apps[i].client_id,
				   "client_secret",
				   app->ids.apps[i].client_secret));
	return out;
}

json_t *sb_seat_holders(struct sb_ctx *c)
{
	struct db_result res;
	json_t *out;
	size_t i;

	if (db_query(c->db, c->a, &res,
		     "SELECT m.urn_id, m.first_name, m.last_name, s.id,"
		     " s.seat_type, m.headline FROM seats s"
		     " JOIN members m ON m.id = s.member_id"
		     " WHERE s.contract_id = ? ORDER BY s.id",
		     "i", c->app->ids.contract_id) != DB_OK)
		return NULL;
	out = json_array();
	for (i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		bool rec = !strcmp(v[4], "RECRUITER");
		json_array_append_new(
		    out,
		    json_pack("{s:s, s:s, s:s, s:s+, s:s, s:s, s:s, s:b}", "id",
			      v[0], "firstName", v[1], "lastName", v[2], "seat",
			      "urn:li:seat:", v[3], "seatType", v[4],
			      "seatLabel", rec ? "Recruiter" : "Hiring Manager",
			      "headline", v[5], "recruiter", rec));
	}
	return out;
}

void sb_credentials(struct sb_ctx *c)
{
	json_t *holders, *rec, *hm;
	size_t i;

	if (refuse(c))
		return;
	holders = sb_seat_holders(c);
	if (!holders) {
		sb_db_fail(c);
		return;
	}
	rec = json_array();
	hm = json_array();
	for (i = 0; i < json_array_size(holders); i++) {
		json_t *h = json_array_get(holders, i);
		json_array_append(
		    json_is_true(json_object_get(h, "recruiter")) ? rec : hm,
		    h);
	}
	json_decref(holders);
	sb_json(c, 200,
		json_pack("{s:s, s:s, s:o, s:s+, s:s+, s:[s], s:o, s:o}",
			  "client_id", c->app->ids.apps[0].client_id,
			  "client_secret", c->app->ids.apps[0].client_secret,
			  "applications", sb_applications_json(c->app),
			  "organization",
			  "urn:li:organization:",
			  arena_printf(c->a, "%lld",
				       (long long)c->app->ids.organization_id),
			  "contract", "urn:li:contract:",
			  arena_printf(c->a, "%lld",
				       (long long)c->app->ids.contract_id),
			  "redirect_uris", c->app->redirect_uri, "recruiters",
			  rec, "hiringManagers", hm));
}

/* ------------------------------------------------------------ exports */

/* A string member of the JSON body, at most max bytes; NULL after
 * answering 400 naming it when absent, empty or too long. */
static const char *json_field(struct sb_ctx *c, json_t *j, const char *key,
			      size_t max)
{
	const char *v = json_string_value(json_object_get(j, key));
	if (!v || !*v || strlen(v) > max) {
		bad(c, arena_printf(c->a, "%s must be a string of 1 to %zu "
					  "characters",
				    key, max));
		return NULL;
	}
	return v;
}

/* POST /sandbox/exports: the Export button's export, for tests. */
void sb_control_export(struct sb_ctx *c)
{
	struct sb_export e = {0};
	json_t *j = c->req->json;

	if (refuse(c))
		return;
	if (!json_is_object(j)) {
		bad(c, "the body must be a JSON object");
		return;
	}
	if (!(e.exporter = json_field(c, j, "exporter", 64)) ||
	    !(e.member = json_field(c, j, "member", 64)) ||
	    !(e.job = json_field(c, j, "externalJobPostingId", 100)) ||
	    !(e.client_id = json_field(c, j, "clientId", 64)))
		return;
	sb_export(c, &e);
	if (e.status != 201) {
		sb_api_error(c, e.status, e.code, e.message);
		if (e.retry_after) {
			const char *ra = arena_printf(c->a, "%lld",
						      (long long)e.retry_after);
			if (ra)
				http_header_add(c->res, "Retry-After", ra);
		}
		return;
	}
	sb_json(c, 201, json_pack("{s:s}", "requestId", e.request_id));
}

/* ------------------------------------------------------------ notifications */

/* A delivery as JSON (its row: id, request_id, event_type, client_id,
 * callback_url, body, attempts, state, held, last_status, last_error,
 * created_at, delivered_at, next_attempt_at); tries added when with_tries.
 * New, NULL on failure. */
static json_t *delivery_json(struct sb_ctx *c, struct db_row *d,
			     bool with_tries)
{
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:b, s:o, s:o, s:I, s:o, "
	    "s:I}",
	    "requestId", d->v[1], "eventType", d->v[2], "clientId", d->v[3],
	    "callbackUrl", d->v[4], "body", d->v[5], "attempts",
	    (json_int_t)db_int(d, 6), "state", d->v[7], "held",
	    (int)db_int(d, 8), "lastStatus",
	    d->v[9] ? json_integer(db_int(d, 9)) : json_null(), "lastError",
	    d->v[10] ? json_string(d->v[10]) : json_null(), "createdAt",
	    (json_int_t)db_int(d, 11), "deliveredAt",
	    d->v[12] ? json_integer(db_int(d, 12)) : json_null(),
	    "nextAttemptAt", (json_int_t)db_int(d, 13));
	struct db_result res;
	json_t *tries;

	if (!o || !with_tries)
		return o;
	if (db_query(c->db, c->a, &res,
		     "SELECT at, status, error, duration_ms"
		     " FROM delivery_attempts WHERE delivery_id = ?"
		     " ORDER BY id",
		     "i", db_int(d, 0)) != DB_OK) {
		json_decref(o);
		return NULL;
	}
	tries = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		struct db_row *t = &res.rows[i];
		json_array_append_new(
		    tries,
		    json_pack("{s:I, s:I, s:o, s:I}", "at",
			      (json_int_t)db_int(t, 0), "status",
			      (json_int_t)db_int(t, 1), "error",
			      t->v[2] ? json_string(t->v[2]) : json_null(),
			      "durationMs", (json_int_t)db_int(t, 3)));
	}
	json_object_set_new(o, "tries", tries);
	return o;
}

#define DELIVERY_COLUMNS                                                       \
	"SELECT id, request_id, event_type, client_id, callback_url, body,"   \
	" attempts, state, held, last_status, last_error, created_at,"        \
	" delivered_at, next_attempt_at FROM deliveries"

/* GET /sandbox/notifications?requestId= : one delivery with its tries;
 * without requestId the latest 100 (?clientId= narrows them). */
void sb_notifications_get(struct sb_ctx *c)
{
	const char *request_id = http_query(c->req, "requestId");
	const char *client_id = http_query(c->req, "clientId");
	struct db_result res;
	struct db_row r;
	json_t *list;
	int rc;

	if (refuse(c))
		return;
	if (request_id) {
		rc = db_query_row(c->db, c->a, &r,
				  DELIVERY_COLUMNS " WHERE request_id = ?", "s",
				  request_id);
		if (rc == DB_NOT_FOUND) {
			sb_json(c, 404,
				json_pack("{s:i, s:s}", "status", 404,
					  "message",
					  "no notification has this requestId"));
			return;
		}
		json_t *o = rc == DB_OK ? delivery_json(c, &r, true) : NULL;
		if (!o) {
			sb_db_fail(c);
			return;
		}
		sb_json(c, 200, o);
		return;
	}
	if (db_query(c->db, c->a, &res,
		     DELIVERY_COLUMNS " WHERE ? IS NULL OR client_id = ?"
				      " ORDER BY id DESC LIMIT 100",
		     "ss", client_id, client_id) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	list = json_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_array_append_new(list,
				      delivery_json(c, &res.rows[i], false));
	sb_json(c, 200, json_pack("{s:o}", "elements", list));
}

/* POST /sandbox/notifications/redeliver {"requestId"}: sends the
 * notification again, as LinkedIn may, with its tries counted afresh. */
void sb_notifications_redeliver(struct sb_ctx *c)
{
	json_t *j = c->req->json;
	const char *request_id;
	uint64_t n = 0;

	if (refuse(c))
		return;
	if (!json_is_object(j)) {
		bad(c, "the body must be a JSON object");
		return;
	}
	if (!(request_id = json_field(c, j, "requestId", 64)))
		return;
	if (db_exec(c->db, &n,
		    "UPDATE deliveries SET state = 'pending', attempts = 0,"
		    " next_attempt_at = ?, generation = generation + 1,"
		    " delivered_at = NULL WHERE request_id = ?",
		    "is", time_now_ms(), request_id) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	if (!n) {
		sb_json(c, 404,
			json_pack("{s:i, s:s}", "status", 404, "message",
				  "no notification has this requestId"));
		return;
	}
	sb_deliveries_wake(c->app);
	sb_json(c, 200, json_pack("{s:b}", "ok", 1));
}

/* POST /sandbox/notifications/hold {"hold": true|false}: while held, no
 * notification is sent (new ones wait too); released, what waits is due
 * at once. */
void sb_notifications_hold(struct sb_ctx *c)
{
	json_t *v = json_object_get(c->req->json, "hold");
	bool hold;
	int rc;

	if (refuse(c))
		return;
	if (!json_is_boolean(v)) {
		bad(c, "hold must be true or false");
		return;
	}
	hold = json_is_true(v);
	rc = db_exec(c->db, NULL,
		     "INSERT INTO sandbox_meta (k, v) VALUES"
		     " ('deliveries_held', ?) ON DUPLICATE KEY UPDATE"
		     " v = VALUES(v)",
		     "s", hold ? "1" : "0");
	if (rc == DB_OK)
		rc = hold ? db_exec(c->db, NULL,
				    "UPDATE deliveries SET held = 1"
				    " WHERE state = 'pending'",
				    "")
			  : db_exec(c->db, NULL,
				    "UPDATE deliveries SET held = 0,"
				    " next_attempt_at = LEAST(next_attempt_at,"
				    " ?) WHERE held = 1",
				    "i", time_now_ms());
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	if (!hold)
		sb_deliveries_wake(c->app);
	sb_json(c, 200, json_pack("{s:b, s:b}", "ok", 1, "held", hold));
}

/*
 * POST /sandbox/notifications/forged {"clientId", "signature", "body"}:
 * POSTs a notification to the application's CALLBACK_URL now, signed
 * badly ("bad": a signature of another body), not at all ("none"), with
 * another secret ("wrong_secret"), or rightly ("valid", for a body that is
 * wrong in another way); body is the raw body to send (default: a new
 * EXPORT_CANDIDATE_PROFILE notification whose export does not exist).
 * Nothing is queued or retried.  Answers {"status": what the callback
 * answered (0: nothing), "error"}.
 */
void sb_notifications_forged(struct sb_ctx *c)
{
	json_t *j = c->req->json;
	const char *client_id, *kind, *body, *url;
	const struct sb_client *app;
	char request_id[SB_REQUEST_ID_SIZE], sig[SB_SIGNATURE_SIZE];
	char err[SB_SEND_ERROR_SIZE];
	const char *signature = sig;
	size_t len;
	long status;
	int rc;

	if (refuse(c))
		return;
	if (!json_is_object(j)) {
		bad(c, "the body must be a JSON object");
		return;
	}
	if (!(client_id = json_field(c, j, "clientId", 64)) ||
	    !(kind = json_field(c, j, "signature", 20)))
		return;
	if (!(app = sb_client_find(&c->app->ids, client_id))) {
		bad(c, "clientId is not a seeded application");
		return;
	}
	rc = sb_callback_url(c->db, c->a, client_id, c->app->ids.organization_id,
			     &url);
	if (rc == DB_NOT_FOUND) {
		bad(c, "the application has no CALLBACK_URL");
		return;
	}
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	if (json_object_get(j, "body")) {
		if (!json_is_string(json_object_get(j, "body"))) {
			bad(c, "body must be a string");
			return;
		}
		body = json_string_value(json_object_get(j, "body"));
		len = json_string_length(json_object_get(j, "body"));
	} else {
		if (sb_request_id(request_id) < 0 ||
		    !(body = sb_notification_body(
			  c->a, SB_EVENT_EXPORT, request_id,
			  c->app->ids.organization_id, time_now_ms()))) {
			sb_db_fail(c);
			return;
		}
		len = strlen(body);
	}
	if (!strcmp(kind, "valid")) {
		sb_signature(app->client_secret, body, len, sig);
	} else if (!strcmp(kind, "bad")) {
		/* the right key over other bytes: well-formed, and wrong */
		sb_signature(app->client_secret, "forged", 6, sig);
	} else if (!strcmp(kind, "wrong_secret")) {
		const struct sb_client *other =
		    &c->app->ids.apps[app == &c->app->ids.apps[0] ? 1 : 0];
		sb_signature(other->client_secret, body, len, sig);
	} else if (!strcmp(kind, "none")) {
		signature = NULL;
	} else {
		bad(c, "signature must be valid, bad, none or wrong_secret");
		return;
	}
	sb_send_now(c->app, url, body, len, signature, &status, err);
	sb_json(c, 200,
		json_pack("{s:i, s:o}", "status", (int)status, "error",
			  err[0] ? json_string(err) : json_null()));
}

/* ------------------------------------------------------------ members */

/* A string member of o of at most max characters (min 1 when required);
 * "" when absent.  NULL when it is not one. */
static const char *text_member(json_t *o, const char *key, size_t max,
			       bool required)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return required ? NULL : "";
	const char *s = json_string_value(v);
	if (!s)
		return NULL;
	size_t n = utf8_len(s, strlen(s));
	return (required && !n) || n > max || strlen(s) != json_string_length(v)
		   ? NULL
		   : s;
}

/*
 * POST /sandbox/members {"firstName", "lastName", "headline"?,
 * "location"?, "email"?}: a member as LinkedIn may have one, whatever the
 * names hold (markup, quotes, bidi controls, the longest LinkedIn keeps:
 * 100 characters a name, 255 the headline), without a seat, for the tests
 * that export such a member and look at every page of hirelink that shows
 * it; labelled crafted "control", so it is not counted among the seed's
 * generated members.  201 {"id": "<member id>"}.
 */
void sb_control_member_create(struct sb_ctx *c)
{
	json_t *j = sb_control_body(c);
	if (!j)
		return;
	const char *first = text_member(j, "firstName", 100, true);
	const char *last = text_member(j, "lastName", 100, true);
	const char *headline = text_member(j, "headline", 255, false);
	const char *location = text_member(j, "location", 100, false);
	const char *email = text_member(j, "email", 254, false);
	if (!first || !last || !headline || !location || !email) {
		bad(c, "firstName and lastName (1-100 characters), headline "
		       "(at most 255), location (at most 100) and email must "
		       "be strings without NUL");
		return;
	}
	/* a member id as the seed makes them: 10 letters and digits */
	static const char alnum[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[10];
	char id[11];
	if (crypto_random(rnd, sizeof(rnd)) < 0) {
		sb_db_fail(c);
		return;
	}
	for (size_t i = 0; i < sizeof(rnd); i++)
		id[i] = alnum[rnd[i] % (sizeof(alnum) - 1)];
	id[10] = '\0';
	if (db_exec(c->db, NULL,
		    "INSERT INTO members (id, urn_id, first_name, last_name,"
		    " headline, location, email, seat, crafted) SELECT"
		    " COALESCE(MAX(id), 0) + 1, ?, ?, ?, ?, ?, NULLIF(?, ''),"
		    " 'none', 'control' FROM members",
		    "ssssss", id, first, last, headline, location,
		    email) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	sb_json(c, 201, json_pack("{s:s}", "id", id));
}
