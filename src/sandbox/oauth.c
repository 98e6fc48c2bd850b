/*
 * oauth.c - LinkedIn's OAuth 2.0 endpoints, as the sandbox plays them:
 *
 *   GET  /oauth/v2/authorization    validate, then the consent page
 *   POST /oauth/v2/authorization    Allow / Cancel from that page -> 302
 *   POST /oauth/v2/accessToken      authorization_code, refresh_token,
 *                                   client_credentials grants
 *   POST /oauth/v2/revoke           revoke a token (and its grant)
 *   POST /oauth/v2/introspectToken  what a token is and whether it lives
 *
 * Codes and tokens are random ("AQ" + base64url), stored as SHA-256 only,
 * with their expiry in epoch milliseconds.  A member's authorization is a
 * grant: its refresh token and every access token minted from it hang off
 * the grant, so revoking any of them (or the member removing the app)
 * revokes them all.
 *
 * The consent form carries its own CSRF protection: a hidden field
 * "consent" = "<issued at, epoch s>.<hex HMAC(consent_key, issued at |
 * client_id | redirect_uri | state | scope)>", valid for 30 minutes, so a
 * page elsewhere can neither forge the POST nor alter what it grants.  (No
 * cookie: the sandbox has no sign-in session to bind it to, and clients
 * that drive the form without a cookie jar must still work.)
 */
#include <string.h>

#include "sandbox/sandbox.h"

static const char *const known_scopes[] = {
    "r_liteprofile", "r_emailaddress", "r_basicprofile",
    "openid",	     "profile",	       "email",
};

/* ------------------------------------------------------------ helpers */

/* A form field, trimmed of nothing: NULL when absent or longer than max. */
static const char *field(struct sb_ctx *c, const char *name, size_t max,
			 bool *too_long)
{
	const char *v = http_form(c->req, name);
	if (v && strlen(v) > max) {
		*too_long = true;
		return NULL;
	}
	return v && *v ? v : NULL;
}

/* 400 invalid_request for a missing parameter, in LinkedIn's words. */
static void missing(struct sb_ctx *c, const char *name)
{
	const char *d = arena_printf(c->a,
				     "A required parameter \"%s\" is "
				     "missing",
				     name);
	sb_oauth_error(c, 400, "invalid_request",
		       d ? d : "A required parameter is missing");
}

/*
 * Checks client_id and client_secret against the registered application.
 * 0 when they match; otherwise answers (401 invalid_client or 503) and
 * returns -1.
 */
static int client_auth(struct sb_ctx *c, const char *client_id,
		       const char *client_secret)
{
	unsigned char h[SHA256_LEN];
	struct db_row r;
	int rc = db_query_row(c->db, c->a, &r,
			      "SELECT secret_hash FROM applications"
			      " WHERE client_id = ?",
			      "s", client_id);
	if (rc == DB_NOT_FOUND) {
		sb_oauth_error(c, 401, "invalid_client",
			       "Client authentication failed");
		return -1;
	}
	if (rc != DB_OK) {
		sb_db_fail(c);
		return -1;
	}
	sb_token_hash(client_secret, h);
	if (r.len[0] != SHA256_LEN || !crypto_equal(r.v[0], h, SHA256_LEN)) {
		sb_oauth_error(c, 401, "invalid_client",
			       "Client authentication failed");
		return -1;
	}
	return 0;
}

/* "http://127.0.0.1:<port>/settings/linkedin/callback" (or localhost):
 * any loopback port is tolerated for tests (hirelink convention). */
static bool loopback_callback(const char *uri)
{
	static const char tail[] = "/settings/linkedin/callback";
	const char *p;

	if (!strncmp(uri, "http://127.0.0.1:", 17))
		p = uri + 17;
	else if (!strncmp(uri, "http://localhost:", 17))
		p = uri + 17;
	else
		return false;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return !strcmp(p, tail);
}

/*
 * Looks up the application and checks that redirect_uri is registered for
 * it.  1 when both are good, 0 when not (with *why set), -1 on a database
 * failure.
 */
static int app_redirect_ok(struct sb_ctx *c, const char *client_id,
			   const char *redirect_uri, const char **why)
{
	struct db_row r;
	int rc;

	if (!client_id) {
		*why = "The request has no client_id.";
		return 0;
	}
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT redirect_uri FROM applications"
			  " WHERE client_id = ?",
			  "s", client_id);
	if (rc == DB_NOT_FOUND) {
		*why = "The application (client_id) is not known.";
		return 0;
	}
	if (rc != DB_OK)
		return -1;
	if (!redirect_uri) {
		*why = "The request has no redirect_uri.";
		return 0;
	}
	if (strcmp(r.v[0], redirect_uri) != 0 &&
	    !loopback_callback(redirect_uri)) {
		*why = "The redirect_uri does not match the application's "
		       "registered redirect URLs.";
		return 0;
	}
	return 1;
}

/*
 * Normalises a scope list ("r_liteprofile r_emailaddress", also with commas)
 * into LinkedIn's comma-separated form.  NULL when a scope is unknown, with
 * *bad set to it (arena-owned).  Empty -> "r_liteprofile".
 */
static const char *scope_normalise(struct arena *a, const char *in,
				   const char **bad)
{
	struct buf out = BUF_INIT;
	const char *p = in ? in : "";
	bool seen[ARRAY_LEN(known_scopes)] = {false};
	char *res;

	while (*p) {
		size_t n, i, found = ARRAY_LEN(known_scopes);
		while (*p == ' ' || *p == ',' || *p == '+')
			p++;
		n = strcspn(p, " ,+");
		if (!n)
			break;
		for (i = 0; i < ARRAY_LEN(known_scopes); i++)
			if (strlen(known_scopes[i]) == n &&
			    !strncmp(known_scopes[i], p, n))
				found = i;
		if (found == ARRAY_LEN(known_scopes)) {
			*bad = arena_strndup(a, p, n > 64 ? 64 : n);
			buf_release(&out);
			return NULL;
		}
		if (!seen[found]) {
			seen[found] = true;
			if (out.len)
				buf_addc(&out, ',');
			buf_add(&out, p, n);
		}
		p += n;
	}
	if (!out.len)
		buf_adds(&out, "r_liteprofile");
	res = buf_failed(&out) ? NULL : arena_strdup(a, out.data);
	buf_release(&out);
	return res;
}

/* 302 to uri with the query pairs (name, value, ..., NULL) appended; a NULL
 * value leaves its pair out. */
static void redirect_with(struct sb_ctx *c, const char *uri, ...)
{
	struct buf b = BUF_INIT;
	char sep = strchr(uri, '?') ? '&' : '?';
	const char *name;
	va_list ap;

	buf_adds(&b, uri);
	va_start(ap, uri);
	while ((name = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);
		if (!value)
			continue;
		buf_addc(&b, sep);
		sep = '&';
		buf_adds(&b, name);
		buf_addc(&b, '=');
		buf_add_url(&b, value, strlen(value));
	}
	va_end(ap);
	if (buf_failed(&b))
		sb_error_page(c, 500, "Out of memory.");
	else
		http_redirect(c->res, 302, b.data);
	buf_release(&b);
}

/* The consent token for the form fields, issued at `at` (epoch s):
 * "<at>.<64 hex>"; arena-owned, NULL on OOM. */
static char *consent_token(struct sb_ctx *c, int64_t at, const char *client_id,
			   const char *redirect_uri, const char *state,
			   const char *scope)
{
	struct buf m = BUF_INIT;
	unsigned char mac[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];

	buf_addf(&m, "%lld\n%s\n%s\n%s\n%s", (long long)at, client_id,
		 redirect_uri, state ? state : "", scope ? scope : "");
	crypto_hmac_sha256(c->app->consent_key, sizeof(c->app->consent_key),
			   m.data, m.len, mac);
	buf_release(&m);
	hex_encode(mac, SHA256_LEN, hex);
	return arena_printf(c->a, "%lld.%s", (long long)at, hex);
}

/* Whether token is a live consent token for these fields. */
static bool consent_ok(struct sb_ctx *c, const char *token,
		       const char *client_id, const char *redirect_uri,
		       const char *state, const char *scope)
{
	const char *dot = strchr(token, '.');
	char num[24];
	int64_t at, now = time_now_ms() / 1000;
	char *want;

	if (!dot || dot == token || (size_t)(dot - token) >= sizeof(num))
		return false;
	memcpy(num, token, (size_t)(dot - token));
	num[dot - token] = '\0';
	if (parse_i64(num, &at) < 0 || at > now + 60 || now - at > SB_CODE_TTL)
		return false;
	want = consent_token(c, at, client_id, redirect_uri, state, scope);
	return want && strlen(want) == strlen(token) &&
	       crypto_equal(want, token, strlen(want));
}

/* ------------------------------------------------------------ authorize */

void sb_authorization_get(struct sb_ctx *c)
{
	const char *client_id = http_query(c->req, "client_id");
	const char *redirect_uri = http_query(c->req, "redirect_uri");
	const char *state = http_query(c->req, "state");
	const char *response_type = http_query(c->req, "response_type");
	const char *scope_in = http_query(c->req, "scope");
	const char *why = NULL, *bad = NULL, *scope;
	char *consent;
	json_t *ctx, *holders, *scopes;
	int ok;

	if ((redirect_uri && strlen(redirect_uri) > 1000) ||
	    (state && strlen(state) > 512) ||
	    (scope_in && strlen(scope_in) > 255)) {
		sb_error_page(c, 400,
			      "A parameter of the request is too long.");
		return;
	}
	ok = app_redirect_ok(c, client_id, redirect_uri, &why);
	if (ok < 0) {
		sb_db_fail(c);
		return;
	}
	if (!ok) {
		/* Never redirect to an unverified URI: show the error here. */
		sb_error_page(c, 400, why);
		return;
	}
	if (!response_type || strcmp(response_type, "code") != 0) {
		redirect_with(c, redirect_uri, "error",
			      "unsupported_response_type", "error_description",
			      "The response_type must be code", "state", state,
			      NULL);
		return;
	}
	scope = scope_normalise(c->a, scope_in, &bad);
	if (!scope) {
		const char *d = arena_printf(c->a,
					     "Scope \"%s\" is not authorized "
					     "for your application",
					     bad ? bad : "");
		redirect_with(c, redirect_uri, "error",
			      "unauthorized_scope_error", "error_description",
			      d ? d : "Scope is not authorized", "state", state,
			      NULL);
		return;
	}
	consent = consent_token(c, time_now_ms() / 1000, client_id,
				redirect_uri, state, scope);
	if (!consent) {
		sb_error_page(c, 500, "Out of memory.");
		return;
	}
	holders = sb_seat_holders(c);
	if (!holders) {
		sb_db_fail(c);
		return;
	}
	scopes = json_array();
	for (const char *p = scope; *p;) {
		size_t n = strcspn(p, ",");
		json_array_append_new(scopes, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	ctx = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:o, s:o}", "client_id",
			client_id, "redirect_uri", redirect_uri, "state", state,
			"scope", scope, "consent", consent, "holders", holders,
			"scopes", scopes);
	sb_page(c, 200, "sandbox/consent", ctx);
}

void sb_authorization_post(struct sb_ctx *c)
{
	bool too_long = false;
	const char *client_id = field(c, "client_id", 64, &too_long);
	const char *redirect_uri = field(c, "redirect_uri", 1000, &too_long);
	const char *state = field(c, "state", 512, &too_long);
	const char *scope = field(c, "scope", 255, &too_long);
	const char *consent = field(c, "consent", 100, &too_long);
	const char *member = field(c, "member", 32, &too_long);
	const char *action = field(c, "action", 16, &too_long);
	const char *why = NULL;
	char *code;
	unsigned char h[SHA256_LEN];
	struct db_row r;
	int64_t now = time_now_ms();
	int ok, rc;

	if (too_long) {
		sb_error_page(c, 400, "A field of the form is too long.");
		return;
	}
	if (!client_id || !redirect_uri || !scope || !consent ||
	    !consent_ok(c, consent, client_id, redirect_uri, state, scope)) {
		sb_error_page(c, 400,
			      "This consent form has expired. Go back to the "
			      "application and connect again.");
		return;
	}
	ok = app_redirect_ok(c, client_id, redirect_uri, &why);
	if (ok <= 0) {
		if (ok < 0)
			sb_db_fail(c);
		else
			sb_error_page(c, 400, why);
		return;
	}
	if (!action || strcmp(action, "allow") != 0) {
		redirect_with(c, redirect_uri, "error",
			      "user_cancelled_authorize", "error_description",
			      "The user cancelled the authorization", "state",
			      state, NULL);
		return;
	}
	if (!member) {
		sb_error_page(c, 400, "Choose the member to sign in as.");
		return;
	}
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT id FROM members WHERE urn_id = ?", "s",
			  member);
	if (rc == DB_NOT_FOUND) {
		sb_error_page(c, 400, "That member does not exist.");
		return;
	}
	if (rc != DB_OK || !(code = sb_token_new(c->a, 48))) {
		sb_db_fail(c);
		return;
	}
	sb_token_hash(code, h);
	rc = db_exec(c->db, NULL,
		     "INSERT INTO oauth_codes (code_hash, client_id, member_id,"
		     " redirect_uri, scope, created_at, expires_at)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?)",
		     "bsissii", h, (size_t)SHA256_LEN, client_id, db_int(&r, 0),
		     redirect_uri, scope, now,
		     now + (int64_t)SB_CODE_TTL * 1000);
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	redirect_with(c, redirect_uri, "code", code, "state", state, NULL);
}

/* ------------------------------------------------------------ tokens */

/* Inserts a token row.  DB status. */
static int token_insert(struct sb_ctx *c, const char *token, const char *kind,
			const char *client_id, int64_t member_id,
			int64_t grant_id, const char *scope, int64_t expires_at)
{
	unsigned char h[SHA256_LEN];
	sb_token_hash(token, h);
	return db_exec(c->db, NULL,
		       "INSERT INTO oauth_tokens (token_hash, kind, client_id,"
		       " member_id, grant_id, scope, created_at, expires_at)"
		       " VALUES (?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?)",
		       "bssiisii", h, (size_t)SHA256_LEN, kind, client_id,
		       member_id, grant_id, scope, time_now_ms(), expires_at);
}

static const char bad_code[] =
    "Unable to retrieve access token: appid/redirect uri/code verifier does "
    "not match authorization code. Or authorization code expired.";

static void grant_code(struct sb_ctx *c, const char *client_id)
{
	bool too_long = false;
	const char *code = field(c, "code", 512, &too_long);
	const char *redirect_uri = field(c, "redirect_uri", 1000, &too_long);
	unsigned char h[SHA256_LEN];
	int64_t now = time_now_ms(), grant_id, member_id;
	char *access, *refresh;
	struct db_row r;
	uint64_t affected = 0;
	int rc;

	if (too_long) {
		sb_oauth_error(c, 400, "invalid_request",
			       "A parameter of the request is too long");
		return;
	}
	if (!code) {
		missing(c, "code");
		return;
	}
	if (!redirect_uri) {
		missing(c, "redirect_uri");
		return;
	}
	sb_token_hash(code, h);
	/* Single use, atomically: whoever marks it used owns it. */
	rc = db_exec(c->db, &affected,
		     "UPDATE oauth_codes SET used_at = ?"
		     " WHERE code_hash = ? AND used_at IS NULL",
		     "ib", now, h, (size_t)SHA256_LEN);
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT client_id, member_id, redirect_uri, scope,"
			  " expires_at, grant_id FROM oauth_codes"
			  " WHERE code_hash = ?",
			  "b", h, (size_t)SHA256_LEN);
	if (rc == DB_NOT_FOUND) {
		sb_oauth_error(c, 400, "invalid_grant",
			       "Unable to retrieve access token: authorization "
			       "code not found");
		return;
	}
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	if (!affected) {
		/* A replayed code: revoke what it was exchanged for
		 * (RFC 6749 4.1.2). */
		if (r.v[5])
			db_exec(c->db, NULL,
				"UPDATE oauth_grants SET revoked = 1"
				" WHERE id = ?",
				"i", db_int(&r, 5));
		sb_tokens_changed();
		sb_oauth_error(c, 400, "invalid_grant",
			       "Unable to retrieve access token: authorization "
			       "code already used");
		return;
	}
	if (strcmp(r.v[0], client_id) != 0 || strcmp(r.v[2], redirect_uri) ||
	    db_int(&r, 4) <= now) {
		sb_oauth_error(c, 400, "invalid_grant", bad_code);
		return;
	}
	member_id = db_int(&r, 1);
	access = sb_token_new(c->a, 54);
	refresh = sb_token_new(c->a, 54);
	if (!access || !refresh || db_begin(c->db) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	rc = db_exec(c->db, NULL,
		     "INSERT INTO oauth_grants (client_id, member_id, scope,"
		     " created_at) VALUES (?, ?, ?, ?)",
		     "sisi", client_id, member_id, r.v[3], now);
	grant_id = (int64_t)db_insert_id(c->db);
	if (rc == DB_OK)
		rc = token_insert(c, refresh, "member_refresh", client_id,
				  member_id, grant_id, r.v[3],
				  now + (int64_t)SB_REFRESH_TTL * 1000);
	if (rc == DB_OK)
		rc = token_insert(c, access, "member_access", client_id,
				  member_id, grant_id, r.v[3],
				  now + (int64_t)SB_MEMBER_TTL * 1000);
	if (rc == DB_OK)
		rc = db_exec(c->db, NULL,
			     "UPDATE oauth_codes SET grant_id = ?"
			     " WHERE code_hash = ?",
			     "ib", grant_id, h, (size_t)SHA256_LEN);
	if (rc == DB_OK)
		rc = db_commit(c->db);
	if (rc != DB_OK) {
		db_rollback(c->db);
		sb_db_fail(c);
		return;
	}
	sb_json(c, 200,
		json_pack("{s:s, s:i, s:s, s:i, s:s}", "access_token", access,
			  "expires_in", SB_MEMBER_TTL, "refresh_token", refresh,
			  "refresh_token_expires_in", SB_REFRESH_TTL, "scope",
			  r.v[3]));
}

static void grant_refresh(struct sb_ctx *c, const char *client_id)
{
	bool too_long = false;
	const char *refresh = field(c, "refresh_token", 512, &too_long);
	unsigned char h[SHA256_LEN];
	int64_t now = time_now_ms(), expires_at;
	struct db_row r;
	char *access;
	int rc;

	if (!refresh) {
		missing(c, "refresh_token");
		return;
	}
	sb_token_hash(refresh, h);
	rc = db_query_row(
	    c->db, c->a, &r,
	    "SELECT t.client_id, t.member_id, t.grant_id,"
	    " t.expires_at, t.revoked, g.revoked, g.scope"
	    " FROM oauth_tokens t JOIN oauth_grants g"
	    " ON g.id = t.grant_id"
	    " WHERE t.token_hash = ? AND t.kind = 'member_refresh'",
	    "b", h, (size_t)SHA256_LEN);
	if (rc == DB_NOT_FOUND || (rc == DB_OK && strcmp(r.v[0], client_id))) {
		sb_oauth_error(c, 400, "invalid_grant",
			       "The provided refresh token is invalid");
		return;
	}
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	if (db_int(&r, 4) || db_int(&r, 5)) {
		sb_oauth_error(c, 400, "invalid_grant",
			       "The provided refresh token has been revoked");
		return;
	}
	expires_at = db_int(&r, 3);
	if (expires_at <= now) {
		sb_oauth_error(c, 400, "invalid_grant",
			       "The provided refresh token has expired");
		return;
	}
	access = sb_token_new(c->a, 54);
	if (!access) {
		sb_db_fail(c);
		return;
	}
	/* The new access token never outlives the refresh token. */
	{
		int64_t ttl = (int64_t)SB_MEMBER_TTL * 1000;
		int64_t until = now + ttl < expires_at ? now + ttl : expires_at;
		rc = token_insert(c, access, "member_access", client_id,
				  db_int(&r, 1), db_int(&r, 2), r.v[6], until);
		if (rc != DB_OK) {
			sb_db_fail(c);
			return;
		}
		sb_json(c, 200,
			json_pack("{s:s, s:I, s:s, s:I, s:s}", "access_token",
				  access, "expires_in",
				  (json_int_t)((until - now) / 1000),
				  "refresh_token", refresh,
				  "refresh_token_expires_in",
				  (json_int_t)((expires_at - now) / 1000),
				  "scope", r.v[6]));
	}
}

static void grant_client(struct sb_ctx *c, const char *client_id)
{
	char *access = sb_token_new(c->a, 54);
	if (!access ||
	    token_insert(c, access, "app_access", client_id, 0, 0, "",
			 time_now_ms() + (int64_t)SB_APP_TTL * 1000) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	sb_json(c, 200,
		json_pack("{s:s, s:i}", "access_token", access, "expires_in",
			  SB_APP_TTL));
}

void sb_access_token(struct sb_ctx *c)
{
	bool too_long = false;
	const char *grant = field(c, "grant_type", 64, &too_long);
	const char *client_id = field(c, "client_id", 64, &too_long);
	const char *client_secret = field(c, "client_secret", 128, &too_long);

	if (too_long) {
		sb_oauth_error(c, 400, "invalid_request",
			       "A parameter of the request is too long");
		return;
	}
	if (!http_content_type_is(c->req->content_type,
				  "application/x-www-form-urlencoded")) {
		sb_oauth_error(c, 400, "invalid_request",
			       "The Content-Type must be "
			       "application/x-www-form-urlencoded");
		return;
	}
	if (!grant) {
		missing(c, "grant_type");
		return;
	}
	if (strcmp(grant, "authorization_code") &&
	    strcmp(grant, "refresh_token") &&
	    strcmp(grant, "client_credentials")) {
		sb_oauth_error(c, 400, "unsupported_grant_type",
			       "The grant type is not supported");
		return;
	}
	if (!client_id) {
		missing(c, "client_id");
		return;
	}
	if (!client_secret) {
		missing(c, "client_secret");
		return;
	}
	if (client_auth(c, client_id, client_secret) < 0)
		return;
	if (!strcmp(grant, "authorization_code"))
		grant_code(c, client_id);
	else if (!strcmp(grant, "refresh_token"))
		grant_refresh(c, client_id);
	else
		grant_client(c, client_id);
}

/* Checks the three fields revoke and introspectToken share.  The token, or
 * NULL after answering. */
static const char *token_request(struct sb_ctx *c, const char **client_id)
{
	bool too_long = false;
	const char *token = field(c, "token", 512, &too_long);
	const char *secret = field(c, "client_secret", 128, &too_long);

	*client_id = field(c, "client_id", 64, &too_long);
	if (too_long) {
		sb_oauth_error(c, 400, "invalid_request",
			       "A parameter of the request is too long");
		return NULL;
	}
	if (!*client_id) {
		missing(c, "client_id");
		return NULL;
	}
	if (!secret) {
		missing(c, "client_secret");
		return NULL;
	}
	if (!token) {
		missing(c, "token");
		return NULL;
	}
	if (client_auth(c, *client_id, secret) < 0)
		return NULL;
	return token;
}

void sb_revoke(struct sb_ctx *c)
{
	const char *client_id = NULL;
	const char *token = token_request(c, &client_id);
	unsigned char h[SHA256_LEN];
	struct db_row r;
	int rc;

	if (!token)
		return;
	sb_token_hash(token, h);
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT grant_id, client_id FROM oauth_tokens"
			  " WHERE token_hash = ?",
			  "b", h, (size_t)SHA256_LEN);
	if (rc == DB_OK && !strcmp(r.v[1], client_id)) {
		if (r.v[0]) {
			rc = db_exec(c->db, NULL,
				     "UPDATE oauth_grants SET revoked = 1"
				     " WHERE id = ?",
				     "i", db_int(&r, 0));
			if (rc == DB_OK)
				rc = db_exec(c->db, NULL,
					     "UPDATE oauth_tokens SET revoked"
					     " = 1 WHERE grant_id = ?",
					     "i", db_int(&r, 0));
		} else {
			rc = db_exec(c->db, NULL,
				     "UPDATE oauth_tokens SET revoked = 1"
				     " WHERE token_hash = ?",
				     "b", h, (size_t)SHA256_LEN);
		}
	} else if (rc == DB_NOT_FOUND || rc == DB_OK) {
		rc = DB_OK; /* unknown tokens are "revoked" too (RFC 7009) */
	}
	sb_tokens_changed();
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	c->res->status = 200;
	c->res->content_type = "application/json";
	http_header_add(c->res, "Cache-Control", "no-store");
}

void sb_introspect(struct sb_ctx *c)
{
	const char *client_id = NULL;
	const char *token = token_request(c, &client_id);
	unsigned char h[SHA256_LEN];
	struct db_row r;
	int64_t now = time_now_ms();
	const char *status;
	int rc;

	if (!token)
		return;
	sb_token_hash(token, h);
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT t.kind, t.client_id, t.created_at,"
			  " t.expires_at, t.revoked, COALESCE(g.revoked, 0),"
			  " t.scope, COALESCE(g.created_at, t.created_at)"
			  " FROM oauth_tokens t LEFT JOIN oauth_grants g"
			  " ON g.id = t.grant_id WHERE t.token_hash = ?",
			  "b", h, (size_t)SHA256_LEN);
	if (rc == DB_NOT_FOUND || (rc == DB_OK && strcmp(r.v[1], client_id))) {
		sb_json(
		    c, 200,
		    json_pack("{s:b, s:s}", "active", 0, "status", "invalid"));
		return;
	}
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	status = db_int(&r, 4) || db_int(&r, 5) ? "revoked"
		 : db_int(&r, 3) <= now		? "expired"
						: "active";
	sb_json(c, 200,
		json_pack("{s:b, s:s, s:I, s:I, s:s, s:I, s:s, s:s}", "active",
			  !strcmp(status, "active"), "client_id", r.v[1],
			  "authorized_at", (json_int_t)(db_int(&r, 7) / 1000),
			  "created_at", (json_int_t)(db_int(&r, 2) / 1000),
			  "status", status, "expires_at",
			  (json_int_t)(db_int(&r, 3) / 1000), "scope", r.v[6],
			  "auth_type",
			  !strcmp(r.v[0], "app_access") ? "2L" : "3L"));
}
