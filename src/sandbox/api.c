/*
 * api.c - the sandbox's {api} endpoints that need no ATS data: who the
 * member is (GET /v2/me for the lite profile scopes, GET /v2/userinfo for
 * OpenID Connect's; member token) and who holds seats on the customer's
 * Recruiter contract (GET /v2/seats and /v2/seatsV2, application token).
 *
 * Every call goes through bearer(): the Authorization header's token must
 * exist, be live and be of the kind the resource takes, else the request
 * gets LinkedIn's 401/403 body ({"serviceErrorCode","message","status"});
 * the member endpoints then check that the token's grant has their scope.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/sandbox.h"

enum token_kind { KIND_MEMBER, KIND_APP };

/* ------------------------------------------------------------ app token */

/*
 * The last application token found live, kept for APP_TOKEN_MEMO_MS:
 * every exportedCandidates read of an export flood (issue 14's speed) is
 * one application token's, and its look was a statement of its own.  The
 * writes that make a token dead before its time (an expiry or a
 * revocation, through this process's handlers: the stack runs one
 * sandbox) call sb_tokens_changed(), which forgets it at once; its expiry
 * is checked at every use.  A write by another process is seen within
 * that time.
 */
#define APP_TOKEN_MEMO_MS 1000

static struct {
	pthread_mutex_t mu;
	uint64_t changes; /* sb_tokens_changed() calls */
	int64_t until_us; /* 0: none kept */
	unsigned char hash[SHA256_LEN];
	int64_t expires_at;
	char client_id[128];
	int64_t organization_id;
} app_token = {.mu = PTHREAD_MUTEX_INITIALIZER};

void sb_tokens_changed(void)
{
	pthread_mutex_lock(&app_token.mu);
	app_token.changes++;
	app_token.until_us = 0;
	pthread_mutex_unlock(&app_token.mu);
}

/* The kept token's client id (arena-owned) and organization when h is
 * it, still kept and not expired; *changes for app_token_keep. */
static bool app_token_kept(struct sb_ctx *c, const unsigned char *h,
			   const char **client_id, int64_t *organization_id,
			   uint64_t *changes)
{
	bool kept;
	pthread_mutex_lock(&app_token.mu);
	*changes = app_token.changes;
	kept = time_mono_us() < app_token.until_us &&
	       !memcmp(app_token.hash, h, SHA256_LEN) &&
	       app_token.expires_at > time_now_ms();
	if (kept) {
		*client_id = arena_strdup(c->a, app_token.client_id);
		*organization_id = app_token.organization_id;
	}
	pthread_mutex_unlock(&app_token.mu);
	return kept && *client_id;
}

/* Keeps the live application token h found by a look that began at
 * looked_us, unless a token was changed since (changes). */
static void app_token_keep(const unsigned char *h, int64_t expires_at,
			   const char *client_id, int64_t organization_id,
			   int64_t looked_us, uint64_t changes)
{
	size_t n = strlen(client_id);
	if (n >= sizeof(app_token.client_id))
		return;
	pthread_mutex_lock(&app_token.mu);
	if (app_token.changes == changes) {
		memcpy(app_token.hash, h, SHA256_LEN);
		app_token.expires_at = expires_at;
		memcpy(app_token.client_id, client_id, n + 1);
		app_token.organization_id = organization_id;
		app_token.until_us = looked_us + APP_TOKEN_MEMO_MS * 1000;
	}
	pthread_mutex_unlock(&app_token.mu);
}

/* ------------------------------------------------------------ bearer */

/* 403 "Not enough permissions to access: <resource>", as LinkedIn words
 * it. */
static void forbidden(struct sb_ctx *c, const char *resource)
{
	const char *m = arena_printf(
	    c->a, "Not enough permissions to access: %s", resource);
	sb_api_error(c, 403, 100, m ? m : "Not enough permissions");
}

/*
 * Checks the bearer token for a resource that takes tokens of kind want.
 * Returns 0 with *member_id set (0 for application tokens) and *scope, when
 * not NULL, the grant's scopes (comma-separated, arena-owned); or -1 after
 * answering.
 * resource names the resource in the 403 message.  *organization_id (when
 * not NULL) gets the token's application's organization, read in the same
 * statement: -1 when the application is gone.
 */
static int bearer_of(struct sb_ctx *c, enum token_kind want,
		     const char *resource, int64_t *member_id,
		     const char **scope, const char **client_id,
		     int64_t *organization_id)
{
	const char *auth = NULL, *token;
	unsigned char h[SHA256_LEN];
	struct db_row r;
	bool is_app;
	int rc;

	/* the header, or the query form LinkedIn also accepts
	 * (oauth2_access_token) */
	auth = c->req->authorization;
	if (auth && !strncasecmp(auth, "Bearer ", 7))
		token = auth + 7;
	else
		token = http_query(c->req, "oauth2_access_token");
	while (token && *token == ' ')
		token++;
	if (!token || !*token) {
		sb_api_error(c, 401, 401, "Empty oauth2_access_token");
		return -1;
	}
	if (strlen(token) > 512) {
		sb_api_error(c, 401, 65600, "Invalid access token");
		return -1;
	}
	sb_token_hash(token, h);
	/* an application token kept (the caller asks for nothing else) */
	uint64_t changes = 0;
	bool keepable =
	    want == KIND_APP && !scope && client_id && organization_id;
	if (keepable &&
	    app_token_kept(c, h, client_id, organization_id, &changes)) {
		*member_id = 0;
		return 0;
	}
	int64_t looked_us = time_mono_us();
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT t.kind, t.member_id, t.expires_at,"
			  " t.revoked OR COALESCE(g.revoked, 0), t.scope,"
			  " t.client_id, COALESCE(a.organization_id, -1)"
			  " FROM oauth_tokens t LEFT JOIN oauth_grants g"
			  " ON g.id = t.grant_id LEFT JOIN applications a"
			  " ON a.client_id = t.client_id"
			  " WHERE t.token_hash = ?",
			  "b", h, (size_t)SHA256_LEN);
	if (rc == DB_NOT_FOUND ||
	    (rc == DB_OK && !strcmp(r.v[0], "member_refresh"))) {
		sb_api_error(c, 401, 65600, "Invalid access token");
		return -1;
	}
	if (rc != DB_OK) {
		sb_db_fail(c);
		return -1;
	}
	if (db_int(&r, 3)) {
		sb_api_error(c, 401, 65601,
			     "The token used in the request has been revoked "
			     "by the user");
		return -1;
	}
	if (db_int(&r, 2) <= time_now_ms()) {
		sb_api_error(c, 401, 65602,
			     "The token used in the request has expired");
		return -1;
	}
	is_app = !strcmp(r.v[0], "app_access");
	if (is_app != (want == KIND_APP)) {
		forbidden(c, resource);
		return -1;
	}
	*member_id = db_int(&r, 1);
	if (scope)
		*scope = r.v[4];
	if (client_id)
		*client_id = r.v[5];
	if (organization_id)
		*organization_id = db_int(&r, 6);
	if (keepable && is_app && !*member_id)
		app_token_keep(h, db_int(&r, 2), r.v[5], db_int(&r, 6),
			       looked_us, changes);
	return 0;
}

static int bearer(struct sb_ctx *c, enum token_kind want, const char *resource,
		  int64_t *member_id, const char **scope)
{
	return bearer_of(c, want, resource, member_id, scope, NULL, NULL);
}

int sb_app_caller(struct sb_ctx *c, const char *resource,
		  const char **client_id, int64_t *organization_id)
{
	int64_t member_id;
	/* the token and its application's organization in one statement */
	if (bearer_of(c, KIND_APP, resource, &member_id, NULL, client_id,
		      organization_id) < 0)
		return -1;
	if (*organization_id < 0) {
		/* the token outlived its application */
		sb_api_error(c, 401, 65600, "Invalid access token");
		return -1;
	}
	return 0;
}

/* Whether the comma-separated scope list grants want. */
static bool scope_has(const char *scope, const char *want)
{
	size_t n = strlen(want);
	for (const char *p = scope; p && *p; p += strcspn(p, ",")) {
		p += *p == ',';
		if (!strncmp(p, want, n) && (p[n] == ',' || !p[n]))
			return true;
	}
	return false;
}

/*
 * The member behind a member token whose grant has one of the scopes
 * (NULL-terminated), for resource: 0 with the row (urn_id, first_name,
 * last_name, headline, vanity_name, email) and *scope the grant's, or -1
 * after answering.
 */
static int member_of_token(struct sb_ctx *c, const char *resource,
			   const char *const *scopes, struct db_row *r,
			   const char **scope)
{
	int64_t member_id = 0;
	bool granted = false;
	int rc;

	if (bearer(c, KIND_MEMBER, resource, &member_id, scope) < 0)
		return -1;
	for (size_t i = 0; scopes[i]; i++)
		granted = granted || scope_has(*scope, scopes[i]);
	if (!granted) {
		forbidden(c, resource);
		return -1;
	}
	rc = db_query_row(c->db, c->a, r,
			  "SELECT urn_id, first_name, last_name, headline,"
			  " vanity_name, email FROM members WHERE id = ?",
			  "i", member_id);
	if (rc == DB_NOT_FOUND)
		sb_api_error(c, 404, 0, "Member not found");
	else if (rc != DB_OK)
		sb_db_fail(c);
	return rc == DB_OK ? 0 : -1;
}

/* ------------------------------------------------------------ /v2/me */

static json_t *localized(const char *s)
{
	return json_pack("{s:{s:s}, s:{s:s, s:s}}", "localized", "en_US", s,
			 "preferredLocale", "country", "US", "language", "en");
}

/* Keeps only the keys named in fields ("id,localizedFirstName" or
 * "(id,localizedFirstName)"); returns me (or a new object). */
static json_t *project(json_t *me, const char *fields)
{
	json_t *out;
	const char *p = fields;

	if (!fields || !*fields)
		return me;
	out = json_object();
	while (*p) {
		size_t n;
		char key[64];
		while (*p == '(' || *p == ')' || *p == ',' || *p == ' ')
			p++;
		n = strcspn(p, "(),: ");
		if (!n)
			break;
		if (n < sizeof(key)) {
			json_t *v;
			memcpy(key, p, n);
			key[n] = '\0';
			if ((v = json_object_get(me, key)))
				json_object_set(out, key, v);
		}
		p += n;
		/* skip a nested projection such as firstName(localized) */
		if (*p == '(' || *p == ':') {
			int depth = 0;
			for (; *p; p++) {
				if (*p == '(')
					depth++;
				else if (*p == ')' && --depth <= 0) {
					p++;
					break;
				} else if (*p == ',' && depth == 0)
					break;
			}
		}
	}
	json_decref(me);
	return out;
}

void sb_me(struct sb_ctx *c)
{
	static const char *const scopes[] = {"r_liteprofile", "r_basicprofile",
					     NULL};
	struct db_row r;
	json_t *me;
	const char *fields, *scope;

	if (member_of_token(c, "me.GET.NO_VERSION", scopes, &r, &scope) < 0)
		return;
	me = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s}", "id", r.v[0],
		       "localizedFirstName", r.v[1], "localizedLastName",
		       r.v[2], "firstName", localized(r.v[1]), "lastName",
		       localized(r.v[2]), "localizedHeadline", r.v[3],
		       "vanityName", r.v[4]);
	if (!me) {
		sb_db_fail(c);
		return;
	}
	fields = http_query(c->req, "fields");
	if (!fields)
		fields = http_query(c->req, "projection");
	sb_json(c, 200, project(me, fields));
}

/* ------------------------------------------------------------ userinfo */

/*
 * OpenID Connect's claims: sub (the member id /v2/me calls id; hirelink
 * convention, LinkedIn does not say they are equal), the profile scope's
 * names and locale, the email scope's address.  No picture: seeded members
 * have no photo.
 */
void sb_userinfo(struct sb_ctx *c)
{
	static const char *const scopes[] = {"openid", NULL};
	struct db_row r;
	const char *scope;
	json_t *u;

	if (member_of_token(c, "userinfo.GET.NO_VERSION", scopes, &r, &scope) <
	    0)
		return;
	u = json_pack("{s:s}", "sub", r.v[0]);
	if (u && scope_has(scope, "profile"))
		json_object_update_new(
		    u, json_pack("{s:s++, s:s, s:s, s:{s:s, s:s}}", "name",
				 r.v[1], " ", r.v[2], "given_name", r.v[1],
				 "family_name", r.v[2], "locale", "country",
				 "US", "language", "en"));
	if (u && r.v[5] && scope_has(scope, "email"))
		json_object_update_new(u,
				       json_pack("{s:s, s:b}", "email", r.v[5],
						 "email_verified", 1));
	if (!u) {
		sb_db_fail(c);
		return;
	}
	sb_json(c, 200, u);
}

/* ------------------------------------------------------------ seats */

/* "urn:li:contract:123" or "List(urn:li:contract:123)" -> 123; -1. */
int64_t sb_contract_param(const char *s)
{
	static const char pre[] = "urn:li:contract:";
	char num[24];
	size_t n;
	int64_t id;

	if (!s)
		return -1;
	if (!strncmp(s, "List(", 5))
		s += 5;
	if (strncmp(s, pre, sizeof(pre) - 1) != 0)
		return -1;
	s += sizeof(pre) - 1;
	n = strcspn(s, ")");
	if (n == 0 || n >= sizeof(num) || (s[n] == ')' && s[n + 1]))
		return -1;
	memcpy(num, s, n);
	num[n] = '\0';
	return parse_i64(num, &id) == 0 && id > 0 ? id : -1;
}

/* start and count query parameters; -1 after answering 400. */
int sb_paging(struct sb_ctx *c, bool start_required, int64_t *start,
	      int64_t *count)
{
	const char *s = http_query(c->req, "start");
	const char *n = http_query(c->req, "count");

	*start = 0;
	*count = 10;
	if (!s && start_required) {
		sb_api_error(c, 400, 100,
			     "Pagination parameter 'start' is required");
		return -1;
	}
	if ((s && (parse_i64(s, start) < 0 || *start < 0)) ||
	    (n && (parse_i64(n, count) < 0 || *count < 0))) {
		sb_api_error(c, 400, 100,
			     "Invalid param. Please see errorDetails for more "
			     "information.");
		return -1;
	}
	if (*count > 100)
		*count = 100;
	return 0;
}

/* {"start","count","total","links"} with a "next" link when there is
 * more; path_query is the request's path and query without start/count. */
json_t *sb_paging_json(struct sb_ctx *c, const char *path, int64_t start,
		       int64_t count, int64_t total, size_t got)
{
	json_t *links = json_array();
	if (start + (int64_t)got < total) {
		struct buf href = BUF_INIT;
		size_t i;
		buf_adds(&href, path);
		buf_addc(&href, '?');
		for (i = 0; i < c->req->query_params.n; i++) {
			const struct http_param *p = &c->req->query_params.v[i];
			if (!strcmp(p->name, "start") ||
			    !strcmp(p->name, "count"))
				continue;
			buf_add_url(&href, p->name, strlen(p->name));
			buf_addc(&href, '=');
			buf_add_url(&href, p->value, p->len);
			buf_addc(&href, '&');
		}
		buf_addf(&href, "start=%lld&count=%lld",
			 (long long)(start + count), (long long)count);
		if (!buf_failed(&href))
			json_array_append_new(
			    links,
			    json_pack("{s:s, s:s, s:s}", "rel", "next", "href",
				      href.data, "type", "application/json"));
		buf_release(&href);
	}
	return json_pack("{s:I, s:I, s:I, s:o}", "start", (json_int_t)start,
			 "count", (json_int_t)count, "total", (json_int_t)total,
			 "links", links);
}

/* Checks the token and the contract for both seat finders.  0 or -1. */
static int seats_common(struct sb_ctx *c, const char *q_want,
			const char *resource, int64_t *contract)
{
	const char *q = http_query(c->req, "q");
	int64_t member_id;

	if (bearer(c, KIND_APP, resource, &member_id, NULL) < 0)
		return -1;
	if (!q || strcmp(q, q_want) != 0) {
		sb_api_error(c, 400, 100,
			     "Invalid param. Please see errorDetails for more "
			     "information. (q)");
		return -1;
	}
	*contract = sb_contract_param(http_query(c->req, "contracts"));
	if (*contract < 0) {
		sb_api_error(c, 400, 100,
			     "Invalid param. Please see errorDetails for more "
			     "information. (contracts)");
		return -1;
	}
	if (*contract != c->app->ids.contract_id) {
		const char *m = arena_printf(c->a,
					     "Not enough permissions to access "
					     "contract urn:li:contract:%lld",
					     (long long)*contract);
		sb_api_error(c, 403, 100, m ? m : "Not enough permissions");
		return -1;
	}
	return 0;
}

/*
 * Both finders read the same rows: seat id, member URN id, names, email,
 * type, active; active_only filters.
 */
static int seats_rows(struct sb_ctx *c, int64_t contract, int64_t active_only,
		      int64_t start, int64_t count, struct db_result *res,
		      int64_t *total)
{
	struct db_row r;
	int rc = db_query_row(c->db, c->a, &r,
			      "SELECT COUNT(*) FROM seats WHERE contract_id = ?"
			      " AND (? = 0 OR active = 1)",
			      "ii", contract, active_only);
	if (rc != DB_OK)
		return rc;
	*total = db_int(&r, 0);
	return db_query(c->db, c->a, res,
			"SELECT s.id, m.urn_id, m.first_name, m.last_name,"
			" m.email, s.seat_type, s.active FROM seats s"
			" JOIN members m ON m.id = s.member_id"
			" WHERE s.contract_id = ? AND (? = 0 OR s.active = 1)"
			" ORDER BY s.id LIMIT ? OFFSET ?",
			"iiii", contract, active_only, count, start);
}

/* Answers a finder's page: elements (taken), rows start.. of total, got of
 * them here, with paging_json's links for path. */
static void answer_page(struct sb_ctx *c, const char *path, json_t *elements,
			int64_t start, int64_t count, int64_t total, size_t got)
{
	sb_json(c, 200,
		json_pack("{s:o, s:o}", "elements", elements, "paging",
			  sb_paging_json(c, path, start, count, total, got)));
}

static const char *seat_role(const char *type)
{
	return !strcmp(type, "RECRUITER") ? "RECRUITER_SEAT"
					  : "HIRING_MANAGER_SEAT";
}

void sb_seats(struct sb_ctx *c)
{
	const char *active = http_query(c->req, "active");
	int64_t contract, start, count, total;
	struct db_result res;
	json_t *elements;
	size_t i;

	if (seats_common(c, "seatsByAttributes",
			 "seats.FINDER-seatsByAttributes.NO_VERSION",
			 &contract) < 0 ||
	    sb_paging(c, false, &start, &count) < 0)
		return;
	if (seats_rows(c, contract, active && !strcmp(active, "true"), start,
		       count, &res, &total) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	elements = json_array();
	for (i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		json_t *e = json_pack(
		    "{s:I, s:s+, s:s+, s:s+, s:I, s:s, s:s, s:b, s:b, s:s, "
		    "s:[s]}",
		    "id", (json_int_t)db_int(&res.rows[i], 0), "seat",
		    "urn:li:seat:", v[0], "member", "urn:li:person:", v[1],
		    "contract", "urn:li:contract:",
		    arena_printf(c->a, "%lld", (long long)contract),
		    "contractId", (json_int_t)contract, "firstName", v[2],
		    "lastName", v[3], "active", v[6][0] == '1', "admin", 0,
		    "seatType", v[5], "seatRoles", seat_role(v[5]));
		if (e && v[4])
			json_object_set_new(e, "email", json_string(v[4]));
		json_array_append_new(elements, e);
	}
	answer_page(c, "/v2/seats", elements, start, count, total, res.nrows);
}

void sb_seats_v2(struct sb_ctx *c)
{
	const char *states = http_query(c->req, "states");
	int64_t contract, start, count, total;
	struct db_result res;
	json_t *elements;
	size_t i;

	if (seats_common(c, "attributes",
			 "seatsV2.FINDER-attributes.NO_VERSION",
			 &contract) < 0 ||
	    sb_paging(c, true, &start, &count) < 0)
		return;
	/* Every seeded seat is ACTIVE: asking for other states only finds
	 * none. */
	if (states && !strstr(states, "ACTIVE")) {
		answer_page(c, "/v2/seatsV2", json_array(), start, count, 0, 0);
		return;
	}
	if (seats_rows(c, contract, 0, start, count, &res, &total) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	elements = json_array();
	for (i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		json_array_append_new(
		    elements,
		    json_pack("{s:I, s:s+, s:s+, s:s, s:s, s:s, s:[s]}", "id",
			      (json_int_t)db_int(&res.rows[i], 0), "contract",
			      "urn:li:contract:",
			      arena_printf(c->a, "%lld", (long long)contract),
			      "member", "urn:li:person:", v[1], "firstName",
			      v[2], "lastName", v[3], "state",
			      v[6][0] == '1' ? "ACTIVE" : "INACTIVE",
			      "seatRoles", seat_role(v[5])));
	}
	answer_page(c, "/v2/seatsV2", elements, start, count, total, res.nrows);
}
