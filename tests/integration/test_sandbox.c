/*
 * test_sandbox.c - the LinkedIn sandbox over HTTP, as hirelink's client
 * meets it (src/sandbox/README.md is the contract under test): application
 * tokens, the authorization code flow driven through the consent page,
 * refresh, revoke, LinkedIn's error bodies, the member as /v2/me (lite
 * profile) and /v2/userinfo (OpenID Connect) give it, the seeded seats,
 * and the control API that tests use to make "LinkedIn" fail, slow down or
 * expire tokens.
 *
 * It talks to HIRELINK_TEST_SANDBOX_URL only (itest's base URL is pointed
 * there before anything else runs).  The seeded application's credentials
 * and seat holders come from GET /sandbox/credentials, never from constants.
 * The one thing not tested is the control API's refusal of non-loopback
 * clients: every address a test can connect from is loopback.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

/* ------------------------------------------------------------ fixture */

static const struct itest_li_app *li; /* the seeded application */
static const char callback[] = "http://127.0.0.1:9/settings/linkedin/callback";

/* A string member of the body's JSON object, new ("" when absent). */
static char *json_field(const struct itest_resp *r, const char *key)
{
	json_t *j = itest_json(r);
	char *out = itest_strdup(itest_jstr(j, key));
	json_decref(j);
	return out;
}

/* An integer member of the body's JSON object (0 when absent). */
static json_int_t json_int_field(const struct itest_resp *r, const char *key)
{
	json_t *j = itest_json(r);
	json_int_t v = itest_jint(j, key);
	json_decref(j);
	return v;
}

static int suite_init(void)
{
	li = itest_li_app();
	return li ? 0 : -1;
}

/* ------------------------------------------------------------ helpers */

static struct itest_resp token_request(struct itest_client *c, const char *body)
{
	return itest_post_form(c, "/oauth/v2/accessToken", body);
}

/* The token request trading code for a member's tokens, with the
 * redirect_uri it was asked for; new. */
static char *code_grant_form(const char *code, const char *redirect_uri)
{
	return itest_form("grant_type", "authorization_code", "code",
			  code ? code : "", "redirect_uri", redirect_uri,
			  "client_id", li->client_id, "client_secret",
			  li->client_secret, NULL);
}

/* The token request renewing a member's access token; new. */
static char *refresh_grant_form(const char *refresh)
{
	return itest_form("grant_type", "refresh_token", "refresh_token",
			  refresh, "client_id", li->client_id, "client_secret",
			  li->client_secret, NULL);
}

/* An application token (new), "" on failure. */
static char *app_token(struct itest_client *c)
{
	char *body =
	    itest_form("grant_type", "client_credentials", "client_id",
		       li->client_id, "client_secret", li->client_secret, NULL);
	struct itest_resp r = token_request(c, body);
	char *t = json_field(&r, "access_token");
	free(body);
	itest_resp_free(&r);
	return t;
}

static struct itest_resp get_bearer(struct itest_client *c, const char *path,
				    const char *token)
{
	char hdr[600];
	snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", token);
	return itest_request(c, "GET", path, true, NULL, NULL, 0, hdr);
}

static void control_ok(const char *json)
{
	long status = itest_sandbox_control(json);
	CHECK(status == 200, "%s: status %ld, want 200", json, status);
}

/* Has the sandbox expire member's tokens of kind (member_access,
 * member_refresh). */
static void expire_tokens(const char *kind, const char *member)
{
	char json[200];
	snprintf(json, sizeof(json),
		 "{\"expire_tokens\": {\"kind\": \"%s\", \"member\": \"%s\"}}",
		 kind, member);
	control_ok(json);
}

/* The scopes of the lite profile sign-in (OpenID Connect's are "openid
 * profile email"). */
#define LITE_PROFILE "r_liteprofile r_emailaddress"

/* The authorization page URL for redirect_uri, state and scope; new. */
static char *authorize_url(const char *redirect_uri, const char *state,
			   const char *scope)
{
	char *q = itest_form("response_type", "code", "client_id",
			     li->client_id, "redirect_uri", redirect_uri,
			     "state", state, "scope", scope, NULL);
	size_t n = strlen(q) + 64;
	char *url = malloc(n);
	if (!url)
		abort();
	snprintf(url, n, "/oauth/v2/authorization?%s", q);
	free(q);
	return url;
}

/* The consent page for state (redirect_uri: the callback), answered as
 * member with action (allow / cancel): the answer. */
static struct itest_resp consent(struct itest_client *c, const char *member,
				 const char *action, const char *state)
{
	char *url = authorize_url(callback, state, LITE_PROFILE);
	struct itest_resp r = itest_li_consent(c, url, member, action);
	free(url);
	return r;
}

/* The value of query parameter name in a Location; new, NULL if absent.
 * Values the sandbox sends need no decoding but %20. */
static char *location_param(const struct itest_resp *r, const char *name)
{
	const char *loc = itest_header(r, "Location");
	char key[64];
	const char *p;
	if (!loc)
		return NULL;
	snprintf(key, sizeof(key), "%s=", name);
	for (p = strchr(loc, '?'); p; p = strchr(p + 1, '&'))
		if (!strncmp(p + 1, key, strlen(key))) {
			p += 1 + strlen(key);
			size_t n = strcspn(p, "&");
			char *v = malloc(n + 1);
			size_t o = 0;
			if (!v)
				abort();
			for (size_t i = 0; i < n; i++) {
				if (!strncmp(p + i, "%20", 3)) {
					v[o++] = ' ';
					i += 2;
				} else {
					v[o++] = p[i];
				}
			}
			v[o] = '\0';
			return v;
		}
	return NULL;
}

struct member_tokens {
	char *access, *refresh;
};

/* Connects member for scope through the consent page and the code grant. */
static int grant_member(struct itest_client *c, const char *member,
			const char *scope, struct member_tokens *t)
{
	char *url = authorize_url(callback, "st-1", scope);
	struct itest_resp r = itest_li_consent(c, url, member, "allow");
	char *code = location_param(&r, "code");
	itest_resp_free(&r);
	free(url);
	t->access = t->refresh = NULL;
	if (!code)
		return -1;
	char *body = code_grant_form(code, callback);
	r = token_request(c, body);
	if (r.status == 200) {
		t->access = json_field(&r, "access_token");
		t->refresh = json_field(&r, "refresh_token");
	}
	free(body);
	free(code);
	itest_resp_free(&r);
	return t->access ? 0 : -1;
}

/* Connects member with the lite profile scopes. */
static int connect_member(struct itest_client *c, const char *member,
			  struct member_tokens *t)
{
	return grant_member(c, member, LITE_PROFILE, t);
}

static void tokens_free(struct member_tokens *t)
{
	free(t->access);
	free(t->refresh);
}

/* A new client with the recruiter connected (tokens in t); NULL, the
 * failure counted, when the recruiter could not be connected. */
static struct itest_client *connected_recruiter(struct member_tokens *t)
{
	struct itest_client *c = itest_client_new(NULL);
	CHECK(connect_member(c, li->recruiter.id, t) == 0, "connected");
	if (!t->access) {
		itest_client_free(c);
		return NULL;
	}
	return c;
}

/* ------------------------------------------------------------ tests */

static void app_token_from_client_credentials(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *body =
	    itest_form("grant_type", "client_credentials", "client_id",
		       li->client_id, "client_secret", li->client_secret, NULL);
	struct itest_resp r = token_request(c, body);
	CHECK_STATUS(r, 200, "client credentials");
	char *t = json_field(&r, "access_token");
	CHECK(strlen(t) > 40, "access_token \"%s\" looks too short", t);
	CHECK(json_int_field(&r, "expires_in") == 1800,
	      "expires_in is the documented 30 minutes");
	CHECK(!itest_has(&r, "refresh_token"),
	      "an application token has no refresh token");
	free(t);
	free(body);
	itest_resp_free(&r);
	itest_client_free(c);
}

/* Two customer applications in one organization (two hirelink
 * instances): /sandbox/credentials lists both, the first as the old
 * fields name it, and each gets application tokens with its own secret
 * only. */
static void two_customer_applications_each_get_a_token(void)
{
	struct itest_client *c = itest_client_new(NULL);
	CHECK(!strcmp(li->apps[0].client_id, li->client_id) &&
		  !strcmp(li->apps[0].client_secret, li->client_secret),
	      "the first application is the one client_id names");
	CHECK(strcmp(li->apps[0].client_id, li->apps[1].client_id) != 0 &&
		  strcmp(li->apps[0].client_secret,
			 li->apps[1].client_secret) != 0,
	      "the second application has credentials of its own");
	for (int i = 0; i < 2; i++) {
		const struct itest_li_client *a = &li->apps[i];
		const struct itest_li_client *other = &li->apps[1 - i];
		char *body = itest_form("grant_type", "client_credentials",
					"client_id", a->client_id,
					"client_secret", a->client_secret,
					NULL);
		struct itest_resp r = token_request(c, body);
		CHECK_STATUS(r, 200, "an application's own secret");
		free(body);
		itest_resp_free(&r);
		body = itest_form("grant_type", "client_credentials",
				  "client_id", a->client_id, "client_secret",
				  other->client_secret, NULL);
		r = token_request(c, body);
		CHECK_STATUS(r, 401, "the other application's secret");
		free(body);
		itest_resp_free(&r);
	}
	itest_client_free(c);
}

static void wrong_secret_is_invalid_client(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *body =
	    itest_form("grant_type", "client_credentials", "client_id",
		       li->client_id, "client_secret", "not-the-secret", NULL);
	struct itest_resp r = token_request(c, body);
	CHECK_STATUS(r, 401, "wrong secret");
	char *e = json_field(&r, "error");
	CHECK(!strcmp(e, "invalid_client"), "error \"%s\"", e);
	CHECK_HAS(r, "error_description", "wrong secret");
	free(e);
	free(body);
	itest_resp_free(&r);

	body = itest_form("client_id", li->client_id, "client_secret",
			  li->client_secret, NULL);
	r = token_request(c, body);
	CHECK_STATUS(r, 400, "no grant_type");
	CHECK_HAS(r, "\"invalid_request\"", "no grant_type");
	CHECK_HAS(r, "grant_type", "the description names the parameter");
	free(body);
	itest_resp_free(&r);

	body = itest_form("grant_type", "password", "client_id", li->client_id,
			  "client_secret", li->client_secret, NULL);
	r = token_request(c, body);
	CHECK_STATUS(r, 400, "password grant");
	CHECK_HAS(r, "\"unsupported_grant_type\"", "password grant");
	free(body);
	itest_resp_free(&r);
	itest_client_free(c);
}

static void consent_then_code_then_me_is_the_chosen_member(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = consent(c, li->manager.id, "allow", "state-42");
	CHECK_STATUS(r, 302, "Allow");
	const char *loc = itest_header(&r, "Location");
	CHECK(loc && !strncmp(loc, callback, strlen(callback)),
	      "redirected to the callback: %s", loc ? loc : "(none)");
	char *code = location_param(&r, "code");
	char *state = location_param(&r, "state");
	CHECK(code && strlen(code) > 20, "a code came back");
	CHECK(state && !strcmp(state, "state-42"), "the state came back");
	itest_resp_free(&r);

	char *body = code_grant_form(code, callback);
	r = token_request(c, body);
	CHECK_STATUS(r, 200, "code exchange");
	char *access = json_field(&r, "access_token");
	char *refresh = json_field(&r, "refresh_token");
	CHECK(*access && *refresh, "access and refresh tokens");
	CHECK(json_int_field(&r, "expires_in") == 5184000,
	      "member access token lives 60 days");
	CHECK(json_int_field(&r, "refresh_token_expires_in") == 31536000,
	      "refresh token lives 365 days");
	char *scope = json_field(&r, "scope");
	CHECK(!strcmp(scope, "r_liteprofile,r_emailaddress"), "scope \"%s\"",
	      scope);
	itest_resp_free(&r);

	r = get_bearer(c, "/v2/me", access);
	CHECK_STATUS(r, 200, "/v2/me");
	char *id = json_field(&r, "id");
	char *first = json_field(&r, "localizedFirstName");
	CHECK(!strcmp(id, li->manager.id), "/v2/me id %s, want %s", id,
	      li->manager.id);
	CHECK(!strcmp(first, li->manager.first), "first name %s", first);
	itest_resp_free(&r);

	r = get_bearer(c, "/v2/me?fields=id", access);
	CHECK_STATUS(r, 200, "/v2/me?fields=id");
	json_t *j = itest_json(&r);
	CHECK(json_object_size(j) == 1, "only the id is projected: %s", r.body);
	json_decref(j);
	itest_resp_free(&r);

	/* The code is single use; replaying it also kills what it gave. */
	r = token_request(c, body);
	CHECK_STATUS(r, 400, "code reuse");
	CHECK_HAS(r, "\"invalid_grant\"", "code reuse");
	itest_resp_free(&r);
	r = get_bearer(c, "/v2/me", access);
	CHECK_STATUS(r, 401, "token of a replayed code");
	itest_resp_free(&r);

	free(body);
	free(id);
	free(first);
	free(scope);
	free(access);
	free(refresh);
	free(code);
	free(state);
	itest_resp_free(&r);
	itest_client_free(c);
}

static void code_with_other_redirect_uri_is_refused(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = consent(c, li->recruiter.id, "allow", "s");
	char *code = location_param(&r, "code");
	itest_resp_free(&r);
	CHECK(code != NULL, "a code came back");
	char *body = code_grant_form(
	    code, "http://127.0.0.1:10/settings/linkedin/callback");
	r = token_request(c, body);
	CHECK_STATUS(r, 400, "other redirect_uri at the token endpoint");
	CHECK_HAS(r, "\"invalid_grant\"", "other redirect_uri");
	free(body);
	free(code);
	itest_resp_free(&r);
	itest_client_free(c);
}

static void unregistered_redirect_uri_gets_an_error_page_not_a_redirect(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = authorize_url("https://evil.example/settings/linkedin/"
				  "callback",
				  "s", LITE_PROFILE);
	struct itest_resp r = itest_get(c, url, false);
	CHECK_STATUS(r, 400, "unregistered redirect_uri");
	CHECK(!itest_header(&r, "Location"), "no redirect");
	CHECK_HAS(r, "LinkedIn sandbox", "the error page says where it is");
	CHECK_HAS(r, "redirect_uri", "the error page names the problem");
	itest_resp_free(&r);
	free(url);

	r = itest_get(c,
		      "/oauth/v2/authorization?response_type=code&client_id="
		      "nobody&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2F"
		      "settings%2Flinkedin%2Fcallback&state=s",
		      false);
	CHECK_STATUS(r, 400, "unknown client_id");
	CHECK(!itest_header(&r, "Location"), "no redirect");
	itest_resp_free(&r);
	itest_client_free(c);
}

static void cancel_returns_user_cancelled_authorize(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = consent(c, li->recruiter.id, "cancel", "st-c");
	CHECK_STATUS(r, 302, "Cancel");
	char *err = location_param(&r, "error");
	char *desc = location_param(&r, "error_description");
	char *state = location_param(&r, "state");
	char *code = location_param(&r, "code");
	CHECK(err && !strcmp(err, "user_cancelled_authorize"), "error %s",
	      err ? err : "(none)");
	CHECK(desc && !strcmp(desc, "The user cancelled the authorization"),
	      "error_description %s", desc ? desc : "(none)");
	CHECK(state && !strcmp(state, "st-c"), "state came back");
	CHECK(!code, "no code on cancel");
	free(err);
	free(desc);
	free(state);
	free(code);
	itest_resp_free(&r);
	itest_client_free(c);
}

static void forged_consent_form_is_refused(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *body =
	    itest_form("client_id", li->client_id, "redirect_uri", callback,
		       "state", "s", "scope", "r_liteprofile", "consent",
		       "0000000000000000000000000000000000000000000000"
		       "000000000000000000",
		       "member", li->recruiter.id, "action", "allow", NULL);
	struct itest_resp r =
	    itest_post_form(c, "/oauth/v2/authorization", body);
	CHECK_STATUS(r, 400, "forged consent");
	CHECK(!itest_header(&r, "Location"), "no code handed out");
	free(body);
	itest_resp_free(&r);

	/* A real page's token does not cover a widened scope. */
	char *url = authorize_url(callback, "s2", LITE_PROFILE);
	struct itest_resp page = itest_get(c, url, false);
	char *token = itest_field(&page, "consent");
	CHECK(*token, "the page carries a consent token");
	body = itest_form(
	    "client_id", li->client_id, "redirect_uri", callback, "state", "s2",
	    "scope", "r_liteprofile,r_emailaddress,r_basicprofile", "consent",
	    token, "member", li->recruiter.id, "action", "allow", NULL);
	r = itest_post_form(c, "/oauth/v2/authorization", body);
	CHECK_STATUS(r, 400, "consent token with another scope");
	CHECK(!itest_header(&r, "Location"), "no code handed out");
	free(body);
	free(token);
	free(url);
	itest_resp_free(&page);
	itest_resp_free(&r);
	itest_client_free(c);
}

static void bad_response_type_and_scope_go_back_with_an_error(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *q =
	    itest_form("response_type", "token", "client_id", li->client_id,
		       "redirect_uri", callback, "state", "s3", NULL);
	char url[1024];
	snprintf(url, sizeof(url), "/oauth/v2/authorization?%s", q);
	struct itest_resp r = itest_get(c, url, false);
	CHECK_STATUS(r, 302, "response_type=token");
	char *err = location_param(&r, "error");
	CHECK(err && !strcmp(err, "unsupported_response_type"), "error %s",
	      err ? err : "(none)");
	free(err);
	free(q);
	itest_resp_free(&r);

	q = itest_form("response_type", "code", "client_id", li->client_id,
		       "redirect_uri", callback, "state", "s4", "scope",
		       "r_liteprofile w_member_social", NULL);
	snprintf(url, sizeof(url), "/oauth/v2/authorization?%s", q);
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 302, "a scope the application may not have");
	err = location_param(&r, "error");
	char *state = location_param(&r, "state");
	CHECK(err && !strcmp(err, "unauthorized_scope_error"), "error %s",
	      err ? err : "(none)");
	CHECK(state && !strcmp(state, "s4"), "state came back");
	free(err);
	free(state);
	free(q);
	itest_resp_free(&r);
	itest_client_free(c);
}

static void refresh_gives_a_new_access_token_after_expiry(void)
{
	struct member_tokens t;
	struct itest_client *c = connected_recruiter(&t);
	if (!c)
		return;
	expire_tokens("member_access", li->recruiter.id);
	struct itest_resp r = get_bearer(c, "/v2/me", t.access);
	CHECK_STATUS(r, 401, "expired access token");
	CHECK(json_int_field(&r, "serviceErrorCode") == 65602,
	      "expired token code: %s", r.body);
	itest_resp_free(&r);

	char *body = refresh_grant_form(t.refresh);
	r = token_request(c, body);
	CHECK_STATUS(r, 200, "refresh");
	char *access2 = json_field(&r, "access_token");
	char *refresh2 = json_field(&r, "refresh_token");
	CHECK(*access2 && strcmp(access2, t.access) != 0, "a new access token");
	CHECK(!strcmp(refresh2, t.refresh), "the same refresh token");
	json_int_t left = json_int_field(&r, "refresh_token_expires_in");
	CHECK(left > 31536000 - 120 && left <= 31536000,
	      "refresh TTL keeps counting down: %lld", (long long)left);
	itest_resp_free(&r);

	r = get_bearer(c, "/v2/me", access2);
	CHECK_STATUS(r, 200, "/v2/me with the refreshed token");
	char *id = json_field(&r, "id");
	CHECK(!strcmp(id, li->recruiter.id), "same member");
	itest_resp_free(&r);

	/* An expired refresh token cannot be used any more. */
	expire_tokens("member_refresh", li->recruiter.id);
	r = token_request(c, body);
	CHECK_STATUS(r, 400, "expired refresh token");
	CHECK_HAS(r, "\"invalid_grant\"", "expired refresh token");
	itest_resp_free(&r);

	free(id);
	free(body);
	free(access2);
	free(refresh2);
	tokens_free(&t);
	itest_client_free(c);
}

static void revoked_token_gets_401(void)
{
	struct member_tokens t;
	struct itest_client *c = connected_recruiter(&t);
	if (!c)
		return;
	char *body = itest_form("token", t.access, "client_id", li->client_id,
				"client_secret", li->client_secret, NULL);
	struct itest_resp r =
	    itest_post_form(c, "/oauth/v2/introspectToken", body);
	CHECK_STATUS(r, 200, "introspect");
	CHECK_HAS(r, "\"active\":true", "live token");
	CHECK_HAS(r, "\"auth_type\":\"3L\"", "member token");
	itest_resp_free(&r);

	r = itest_post_form(c, "/oauth/v2/revoke", body);
	CHECK_STATUS(r, 200, "revoke");
	itest_resp_free(&r);

	r = get_bearer(c, "/v2/me", t.access);
	CHECK_STATUS(r, 401, "/v2/me after revoke");
	CHECK(json_int_field(&r, "status") == 401, "LinkedIn error body");
	CHECK(json_int_field(&r, "serviceErrorCode") == 65601,
	      "revoked code: %s", r.body);
	CHECK_HAS(r, "\"message\"", "LinkedIn error body");
	itest_resp_free(&r);

	r = itest_post_form(c, "/oauth/v2/introspectToken", body);
	CHECK_HAS(r, "\"active\":false", "revoked token");
	itest_resp_free(&r);
	free(body);

	/* Revoking the access token ended the grant: no refresh either. */
	body = refresh_grant_form(t.refresh);
	r = token_request(c, body);
	CHECK_STATUS(r, 400, "refresh after revoke");
	CHECK_HAS(r, "\"invalid_grant\"", "refresh after revoke");
	itest_resp_free(&r);
	free(body);
	tokens_free(&t);

	/* The member removing the application does the same. */
	CHECK(connect_member(c, li->manager.id, &t) == 0, "connected again");
	char js[160];
	snprintf(js, sizeof(js), "{\"revoke_member\": \"%s\"}", li->manager.id);
	control_ok(js);
	r = get_bearer(c, "/v2/me", t.access ? t.access : "x");
	CHECK_STATUS(r, 401, "/v2/me after the member revoked");
	itest_resp_free(&r);

	r = get_bearer(c, "/v2/me", "AQnot-a-token");
	CHECK_STATUS(r, 401, "unknown token");
	CHECK(json_int_field(&r, "serviceErrorCode") == 65600,
	      "invalid token code: %s", r.body);
	itest_resp_free(&r);
	tokens_free(&t);
	itest_client_free(c);
}

static void tokens_only_open_their_own_kind_of_api(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *app = app_token(c);
	struct itest_resp r = get_bearer(c, "/v2/me", app);
	CHECK_STATUS(r, 403, "application token on /v2/me");
	itest_resp_free(&r);
	r = itest_get(c, "/v2/me", true);
	CHECK_STATUS(r, 401, "no token");
	CHECK_HAS(r, "Empty oauth2_access_token", "no token");
	itest_resp_free(&r);

	struct member_tokens t;
	CHECK(connect_member(c, li->recruiter.id, &t) == 0, "connected");
	char path[200];
	snprintf(path, sizeof(path),
		 "/v2/seats?q=seatsByAttributes&active=true&contracts=%s"
		 "&start=0&count=10",
		 li->contract);
	r = get_bearer(c, path, t.access ? t.access : "x");
	CHECK_STATUS(r, 403, "member token on /v2/seats");
	itest_resp_free(&r);
	tokens_free(&t);
	free(app);
	itest_client_free(c);
}

/* OpenID Connect (openid profile email): GET /v2/userinfo names the member
 * (sub is the id /v2/me gives), its claims follow the scopes, and /v2/me
 * is not for such a token; a lite profile token is the other way round. */
static void openid_token_reads_userinfo_and_not_me(void)
{
	const struct itest_li_seat *rec = &li->recruiter, *hm = &li->manager;
	struct itest_client *c = itest_client_new(NULL);
	struct member_tokens t;

	CHECK(grant_member(c, rec->id, "openid profile email", &t) == 0,
	      "an OpenID Connect token");
	struct itest_resp r = get_bearer(c, "/v2/userinfo", t.access);
	CHECK_STATUS(r, 200, "/v2/userinfo");
	json_t *j = itest_json(&r);
	CHECK(!strcmp(itest_jstr(j, "sub"), rec->id), "sub %s, want %s",
	      itest_jstr(j, "sub"), rec->id);
	CHECK(!strcmp(itest_jstr(j, "given_name"), rec->first), "given_name %s",
	      itest_jstr(j, "given_name"));
	CHECK(!strcmp(itest_jstr(j, "name"), rec->name), "name %s",
	      itest_jstr(j, "name"));
	CHECK(*itest_jstr(j, "family_name") &&
		  json_is_object(json_object_get(j, "locale")),
	      "family_name and locale: %s", r.body);
	CHECK(!json_object_get(j, "email") ==
		  !json_object_get(j, "email_verified"),
	      "email and email_verified together: %s", r.body);
	json_decref(j);
	itest_resp_free(&r);
	r = get_bearer(c, "/v2/me", t.access);
	CHECK_STATUS(r, 403, "/v2/me with openid profile");
	CHECK_HAS(r, "Not enough permissions to access: me.GET.NO_VERSION",
		  "LinkedIn's words");
	itest_resp_free(&r);
	tokens_free(&t);

	/* openid alone: the member's id and nothing else */
	CHECK(grant_member(c, hm->id, "openid", &t) == 0, "an openid token");
	r = get_bearer(c, "/v2/userinfo", t.access ? t.access : "x");
	CHECK_STATUS(r, 200, "/v2/userinfo with openid alone");
	j = itest_json(&r);
	CHECK(json_object_size(j) == 1 && !strcmp(itest_jstr(j, "sub"), hm->id),
	      "only sub: %s", r.body);
	json_decref(j);
	itest_resp_free(&r);
	tokens_free(&t);

	CHECK(connect_member(c, hm->id, &t) == 0, "lite profile token");
	r = get_bearer(c, "/v2/userinfo", t.access ? t.access : "x");
	CHECK_STATUS(r, 403, "/v2/userinfo with r_liteprofile");
	CHECK_HAS(r, "userinfo.GET.NO_VERSION", "LinkedIn's words");
	itest_resp_free(&r);
	tokens_free(&t);
	itest_client_free(c);
}

static void seats_page_through_20_recruiters_and_10_hiring_managers(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *app = app_token(c);
	int recruiters = 0, managers = 0, pages = 0;
	long start = 0;
	bool more = true, saw_recruiter = false;

	while (more && pages < 20) {
		char path[256];
		snprintf(path, sizeof(path),
			 "/v2/seats?q=seatsByAttributes&active=true&contracts="
			 "%s&start=%ld&count=7",
			 li->contract, start);
		struct itest_resp r = get_bearer(c, path, app);
		CHECK_STATUS(r, 200, "seats page");
		json_t *j = itest_json(&r);
		json_t *els = json_object_get(j, "elements");
		json_t *paging = json_object_get(j, "paging");
		size_t i;
		CHECK(json_integer_value(json_object_get(paging, "total")) ==
			  30,
		      "paging.total 30");
		for (i = 0; i < json_array_size(els); i++) {
			json_t *e = json_array_get(els, i);
			const char *type =
			    json_string_value(json_object_get(e, "seatType"));
			const char *member =
			    json_string_value(json_object_get(e, "member"));
			const char *seat =
			    json_string_value(json_object_get(e, "seat"));
			CHECK(member && !strncmp(member, "urn:li:person:", 14),
			      "member URN");
			CHECK(seat && !strncmp(seat, "urn:li:seat:", 12),
			      "seat URN");
			if (type && !strcmp(type, "RECRUITER"))
				recruiters++;
			else if (type && !strcmp(type, "HIRING_MANAGER"))
				managers++;
			if (member && !strcmp(member + 14, li->recruiter.id))
				saw_recruiter = true;
		}
		more = json_array_size(json_object_get(paging, "links")) > 0;
		start += (long)json_array_size(els);
		pages++;
		json_decref(j);
		itest_resp_free(&r);
	}
	CHECK(recruiters == 20, "%d Recruiter seats, want 20", recruiters);
	CHECK(managers == 10, "%d Hiring Manager seats, want 10", managers);
	CHECK(pages == 5, "30 seats in pages of 7: %d pages", pages);
	CHECK(saw_recruiter, "the consent page's recruiter holds a seat");

	/* seatsV2 insists on start */
	char path[256];
	snprintf(path, sizeof(path), "/v2/seatsV2?q=attributes&contracts=%s",
		 li->contract);
	struct itest_resp r = get_bearer(c, path, app);
	CHECK_STATUS(r, 400, "seatsV2 without start");
	itest_resp_free(&r);

	/* the generated members, as the home page counts them (5000
	 * seeded, and those tests made before this one on the stack) */
	long long generated = itest_sandbox_sql_int(
	    "SELECT SUM(crafted IS NULL) FROM members");
	CHECK(generated >= 5000, "%lld generated members", generated);
	r = itest_get(c, "/", false);
	CHECK_STATUS(r, 200, "home");
	CHECK_HAS(r, "LinkedIn sandbox", "home");
	char *count = itest_fmt("from %lld generated members", generated);
	CHECK_HAS(r, count, "home counts members");
	free(count);
	CHECK_HAS(r, li->client_id, "home shows the demo credentials");
	itest_resp_free(&r);
	free(app);
	itest_client_free(c);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void injected_failures_look_like_linkedin_and_run_out(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct member_tokens t;
	CHECK(connect_member(c, li->recruiter.id, &t) == 0, "connected");
	const char *tok = t.access ? t.access : "x";
	control_ok("{\"reset\": true}");

	/* 500, once */
	control_ok("{\"fail\": {\"path_prefix\": \"/v2/me\", \"status\": "
		   "500, \"count\": 1}}");
	struct itest_resp r = get_bearer(c, "/v2/me", tok);
	CHECK_STATUS(r, 500, "injected 500");
	CHECK(json_int_field(&r, "status") == 500, "LinkedIn body: %s", r.body);
	itest_resp_free(&r);
	r = get_bearer(c, "/v2/me", tok);
	CHECK_STATUS(r, 200, "after the one failure");
	itest_resp_free(&r);

	/* 429 with Retry-After */
	control_ok("{\"fail\": {\"path_prefix\": \"/v2/\", \"status\": "
		   "429, \"count\": 1, \"retry_after\": 7}}");
	r = get_bearer(c, "/v2/me", tok);
	CHECK_STATUS(r, 429, "injected 429");
	const char *ra = itest_header(&r, "Retry-After");
	CHECK(ra && !strcmp(ra, "7"), "Retry-After: %s", ra ? ra : "(none)");
	CHECK_HAS(r, "throttle limit", "LinkedIn's throttle message");
	itest_resp_free(&r);

	/* count 2 is used up after two requests */
	control_ok("{\"fail\": {\"path_prefix\": \"/oauth/v2/accessToken\","
		   " \"status\": 503, \"count\": 2}}");
	char *body =
	    itest_form("grant_type", "client_credentials", "client_id",
		       li->client_id, "client_secret", li->client_secret, NULL);
	for (int i = 0; i < 2; i++) {
		r = token_request(c, body);
		CHECK_STATUS(r, 503, "injected 503 on the token endpoint");
		CHECK_HAS(r, "\"error\"", "OAuth-style error body");
		itest_resp_free(&r);
	}
	r = token_request(c, body);
	CHECK_STATUS(r, 200, "the count ran out");
	itest_resp_free(&r);
	free(body);

	/* delay only */
	control_ok("{\"fail\": {\"path_prefix\": \"/v2/me\", \"delay_ms\":"
		   " 600, \"count\": 1}}");
	double t0 = now_s();
	r = get_bearer(c, "/v2/me", tok);
	double took = now_s() - t0;
	CHECK_STATUS(r, 200, "slow but fine");
	CHECK(took >= 0.55, "the answer took %.3f s, want >= 0.6", took);
	itest_resp_free(&r);

	/* until reset */
	control_ok("{\"fail\": {\"path_prefix\": \"/v2/me\", \"status\": "
		   "500}}");
	for (int i = 0; i < 3; i++) {
		r = get_bearer(c, "/v2/me", tok);
		CHECK_STATUS(r, 500, "failing until reset");
		itest_resp_free(&r);
	}
	r = itest_get(c, "/sandbox/control", true);
	CHECK_HAS(r, "\"path_prefix\":\"/v2/me\"", "rules are listed");
	itest_resp_free(&r);
	control_ok("{\"reset\": true}");
	r = get_bearer(c, "/v2/me", tok);
	CHECK_STATUS(r, 200, "after reset");
	itest_resp_free(&r);

	/* bad control requests */
	CHECK(itest_sandbox_control(
		  "{\"fail\": {\"path_prefix\": \"v2\", \"status\": 500}}") ==
		  400,
	      "path_prefix without /");
	CHECK(itest_sandbox_control("{\"explode\": true}") == 400,
	      "unknown action");
	tokens_free(&t);
	itest_client_free(c);
}

/* LinkedIn's 404 and 405 bodies; a 405 names the path's methods in Allow. */
static void unknown_paths_and_methods_get_linkedins_errors(void)
{
	static const char *const unknown[] = {"/v2/nothing", "/v2/me/",
					      "/v2/me/x", "/v2"};
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r;
	const char *allow;
	size_t i;

	for (i = 0; i < ARRAY_LEN(unknown); i++) {
		r = itest_get(c, unknown[i], true);
		CHECK_STATUS(r, 404, unknown[i]);
		CHECK(json_int_field(&r, "status") == 404 &&
			  json_int_field(&r, "serviceErrorCode") == 0,
		      "%s: LinkedIn's error body", unknown[i]);
		CHECK_HAS(r, "Resource not found", unknown[i]);
		itest_resp_free(&r);
	}
	r = itest_request(c, "DELETE", "/v2/me", true, NULL, NULL, 0, NULL);
	CHECK_STATUS(r, 405, "DELETE /v2/me");
	CHECK_HAS(r, "Method Not Allowed", "DELETE /v2/me");
	CHECK(json_int_field(&r, "status") == 405, "405 in the body");
	allow = itest_header(&r, "Allow");
	CHECK(allow && !strcmp(allow, "GET, HEAD"), "Allow \"%s\"",
	      allow ? allow : "(none)");
	itest_resp_free(&r);

	r = itest_get(c, "/oauth/v2/accessToken", true);
	CHECK_STATUS(r, 405, "GET /oauth/v2/accessToken");
	allow = itest_header(&r, "Allow");
	CHECK(allow && !strcmp(allow, "POST"), "Allow \"%s\"",
	      allow ? allow : "(none)");
	itest_resp_free(&r);

	/* HEAD is answered by the GET route */
	r = itest_request(c, "HEAD", "/v2/me", true, NULL, NULL, 0, NULL);
	CHECK_STATUS(r, 401, "HEAD /v2/me without a token");
	itest_resp_free(&r);
	itest_client_free(c);
}

/* A batch of 100 entities with three key parameters each (Rest.li's
 * ids[i].field form) plus the call's own: over 300 query fields.  The key
 * names are short so that the query stays under LinkedIn's 4 KB (longer
 * keys are tunnelled in a form body, whose fields count the same). */
static void a_100_entity_batch_of_keys_is_accepted(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *app = app_token(c);
	struct buf path = BUF_INIT;
	int i;

	buf_addf(&path,
		 "/v2/seats?q=seatsByAttributes&active=true&contracts=%s"
		 "&start=0&count=10",
		 li->contract);
	for (i = 0; i < 100; i++)
		buf_addf(&path, "&ids[%d].a=%d&ids[%d].b=1&ids[%d].c=1", i, i,
			 i, i);
	struct itest_resp r = get_bearer(c, path.data, app);
	CHECK_STATUS(r, 200, "seats with 305 query fields");
	CHECK_HAS(r, "\"elements\"", "seats with 305 query fields");
	itest_resp_free(&r);
	buf_release(&path);
	free(app);
	itest_client_free(c);
}

/* The home page and the consent page may not be framed: no response relaxes
 * frame-ancestors but one made to be embedded. */
static void pages_may_not_be_framed(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *consent_page = authorize_url(callback, "framed", LITE_PROFILE);
	const char *const paths[] = {"/", consent_page};
	size_t i;

	for (i = 0; i < ARRAY_LEN(paths); i++) {
		struct itest_resp r = itest_get(c, paths[i], false);
		const char *csp = itest_header(&r, "Content-Security-Policy");
		const char *xfo = itest_header(&r, "X-Frame-Options");
		CHECK_STATUS(r, 200, paths[i]);
		CHECK(csp && strstr(csp, "; frame-ancestors 'none'"),
		      "%s: CSP \"%s\"", paths[i], csp ? csp : "(none)");
		CHECK(xfo && !strcmp(xfo, "DENY"), "%s: X-Frame-Options %s",
		      paths[i], xfo ? xfo : "(none)");
		itest_resp_free(&r);
	}
	free(consent_page);
	itest_client_free(c);
}

/* ------------------------------------------------------------ long URLs */

#define FORM  "application/x-www-form-urlencoded"
#define MIXED "multipart/mixed; boundary=xyz"

/* The seats finder's query, five seats a page, with the application token
 * in it (LinkedIn's oauth2_access_token): the one header itest adds to a
 * request is then free for X-HTTP-Method-Override.  New. */
static char *seats_query(const char *token)
{
	return itest_fmt("q=seatsByAttributes&active=true&contracts=%s"
			 "&start=0&count=5&oauth2_access_token=%s",
			 li->contract, token);
}

/* A query of 100 complex keys, as a batch call on LinkedIn's ATS APIs
 * names its entities: over 10 KB.  New. */
static char *batch_query(const char *token)
{
	struct buf b = BUF_INIT;
	char *q = seats_query(token), *out;
	int i;

	buf_adds(&b, q);
	for (i = 0; i < 100; i++)
		buf_addf(&b,
			 "&ids[%d].atsCandidateId=candidate-%03d"
			 "&ids[%d].dataProvider=ATS"
			 "&ids[%d].integrationContext=urn:li:organization:1",
			 i, i, i, i);
	out = itest_strdup(b.data ? b.data : "");
	buf_release(&b);
	free(q);
	return out;
}

/* A POST standing for method: X-HTTP-Method-Override, and body (of
 * content_type) carrying the query. */
static struct itest_resp tunnel(struct itest_client *c, const char *method,
				const char *path, const char *content_type,
				const char *body)
{
	char *hdr = itest_fmt("X-HTTP-Method-Override: %s", method);
	struct itest_resp r = itest_request(c, "POST", path, true, content_type,
					    body, strlen(body), hdr);
	free(hdr);
	return r;
}

/* LinkedIn's tunnelled form of a call with a body: multipart/mixed, the
 * query in the first part, the body in the second.  New. */
static char *mixed(const char *query, const char *json)
{
	return itest_fmt("--xyz\r\nContent-Type: " FORM "\r\n\r\n%s\r\n"
			 "--xyz\r\nContent-Type: application/json\r\n\r\n"
			 "%s\r\n--xyz--\r\n",
			 query, json);
}

/* LinkedIn's query tunnelling: a POST with X-HTTP-Method-Override: GET and
 * the query as its form body, or as the first part of a multipart/mixed
 * one, is answered as the GET, byte for byte (the next page's link repeats
 * the query's fields); part of the query may stay in the URL. */
static void a_tunnelled_get_is_answered_as_the_get(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *app = app_token(c);
	char *q = seats_query(app);
	char *path = itest_fmt("/v2/seats?%s", q);
	char *body = mixed(q, "{}");
	struct itest_resp plain = itest_get(c, path, true), r;

	CHECK_STATUS(plain, 200, "the plain GET");
	CHECK_HAS(plain, "\"next\"", "the plain GET links the next page");

	r = tunnel(c, "GET", "/v2/seats", FORM, q);
	CHECK_STATUS(r, 200, "tunnelled in a form body");
	CHECK(!strcmp(r.body, plain.body), "tunnelled: %s", r.body);
	itest_resp_free(&r);

	r = tunnel(c, "GET", "/v2/seats?q=seatsByAttributes", FORM,
		   strchr(q, '&') + 1);
	CHECK_STATUS(r, 200, "half in the URL, half in the body");
	CHECK(!strcmp(r.body, plain.body), "half tunnelled: %s", r.body);
	itest_resp_free(&r);

	r = tunnel(c, "GET", "/v2/seats", MIXED, body);
	CHECK_STATUS(r, 200, "tunnelled in multipart/mixed");
	CHECK(!strcmp(r.body, plain.body), "multipart/mixed: %s", r.body);
	itest_resp_free(&r);

	itest_resp_free(&plain);
	free(body);
	free(path);
	free(q);
	free(app);
	itest_client_free(c);
}

/* The body part of a tunnelled multipart/mixed request reaches the handler
 * as the request's body: a JSON control action, made a POST again. */
static void a_tunnelled_body_reaches_the_handler(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *body = mixed("", "{\"fail\": {\"path_prefix\": \"/v2/tunnel\","
			       " \"status\": 503}}");
	struct itest_resp r =
	    tunnel(c, "POST", "/sandbox/control", MIXED, body);

	CHECK_STATUS(r, 200, "a control action tunnelled");
	itest_resp_free(&r);
	r = itest_get(c, "/sandbox/control", true);
	CHECK_HAS(r, "\"path_prefix\":\"/v2/tunnel\"", "the rule was added");
	itest_resp_free(&r);
	control_ok("{\"reset\": true}");
	free(body);
	itest_client_free(c);
}

/* A plain GET of the seats with its query padded to n bytes. */
static struct itest_resp padded_get(struct itest_client *c, const char *q,
				    size_t n)
{
	int pad = (int)(n - strlen(q) - strlen("&pad="));
	char *x = itest_fmt("%*s", pad, "");
	char *path;
	struct itest_resp r;

	memset(x, 'x', (size_t)pad);
	path = itest_fmt("/v2/seats?%s&pad=%s", q, x);
	r = itest_get(c, path, true);
	free(path);
	free(x);
	return r;
}

/* LinkedIn's limits, 8 KB for the URL, 4 KB for the query string and for a
 * path segment: past them a request gets 414 with LinkedIn's error body,
 * from the sandbox (nginx lets such URLs through to it).  The same query
 * tunnelled is answered. */
static void a_url_over_linkedins_limits_gets_414(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *app = app_token(c);
	char *q = seats_query(app), *batch = batch_query(app);
	char *path = itest_fmt("/v2/seats?%s", batch);
	char segment[4097 + 1];
	struct itest_resp r;

	r = padded_get(c, q, 4096);
	CHECK_STATUS(r, 200, "a query of 4096 bytes");
	itest_resp_free(&r);
	r = padded_get(c, q, 4097);
	CHECK_STATUS(r, 414, "a query of 4097 bytes");
	CHECK(json_int_field(&r, "status") == 414, "LinkedIn's body: %s",
	      r.body);
	itest_resp_free(&r);

	CHECK(strlen(path) > 8192, "the batch's URL is %zu bytes",
	      strlen(path));
	r = itest_get(c, path, true);
	CHECK_STATUS(r, 414, "a batch of 100 keys in the URL");
	CHECK(json_int_field(&r, "status") == 414, "LinkedIn's body: %s",
	      r.body);
	itest_resp_free(&r);
	r = tunnel(c, "GET", "/v2/seats", FORM, batch);
	CHECK_STATUS(r, 200, "the batch tunnelled");
	CHECK_HAS(r, "\"elements\"", "the batch tunnelled");
	itest_resp_free(&r);

	memset(segment, 'a', sizeof(segment) - 1);
	segment[sizeof(segment) - 1] = '\0';
	free(path);
	path = itest_fmt("/v2/%s", segment);
	r = itest_get(c, path, true);
	CHECK_STATUS(r, 414, "a path segment of 4097 bytes");
	itest_resp_free(&r);
	path[strlen(path) - 1] = '\0';
	r = itest_get(c, path, true);
	CHECK_STATUS(r, 404, "a path segment of 4096 bytes");
	itest_resp_free(&r);

	free(path);
	free(batch);
	free(q);
	free(app);
	itest_client_free(c);
}

/* An override that names no method, or comes on a GET, or with a body that
 * carries no query, gets LinkedIn's 400. */
static void a_bad_method_override_gets_400(void)
{
	static const char *const methods[] = {"FETCH", "get"};
	struct itest_client *c = itest_client_new(NULL);
	char *app = app_token(c);
	char *q = seats_query(app);
	char *path = itest_fmt("/v2/seats?%s", q);
	struct itest_resp r;
	size_t i;

	for (i = 0; i < ARRAY_LEN(methods); i++) {
		r = tunnel(c, methods[i], "/v2/seats", FORM, q);
		CHECK_STATUS(r, 400, methods[i]);
		CHECK(json_int_field(&r, "status") == 400,
		      "%s: LinkedIn's body: %s", methods[i], r.body);
		itest_resp_free(&r);
	}
	r = itest_request(c, "GET", path, true, NULL, NULL, 0,
			  "X-HTTP-Method-Override: GET");
	CHECK_STATUS(r, 400, "an override on a GET");
	itest_resp_free(&r);
	r = tunnel(c, "GET", "/v2/seats", "application/json", "{}");
	CHECK_STATUS(r, 400, "a JSON body carries no query");
	itest_resp_free(&r);
	r = tunnel(c, "GET", "/v2/seats", MIXED, "--xyz\r\n");
	CHECK_STATUS(r, 400, "a multipart/mixed body cut short");
	itest_resp_free(&r);

	free(path);
	free(q);
	free(app);
	itest_client_free(c);
}

/* ------------------------------------------------------------ main */

int main(void)
{
	static const struct test tests[] = {
	    TEST(app_token_from_client_credentials),
	    TEST(two_customer_applications_each_get_a_token),
	    TEST(wrong_secret_is_invalid_client),
	    TEST(consent_then_code_then_me_is_the_chosen_member),
	    TEST(code_with_other_redirect_uri_is_refused),
	    TEST(unregistered_redirect_uri_gets_an_error_page_not_a_redirect),
	    TEST(cancel_returns_user_cancelled_authorize),
	    TEST(forged_consent_form_is_refused),
	    TEST(bad_response_type_and_scope_go_back_with_an_error),
	    TEST(refresh_gives_a_new_access_token_after_expiry),
	    TEST(revoked_token_gets_401),
	    TEST(tokens_only_open_their_own_kind_of_api),
	    TEST(openid_token_reads_userinfo_and_not_me),
	    TEST(seats_page_through_20_recruiters_and_10_hiring_managers),
	    TEST(injected_failures_look_like_linkedin_and_run_out),
	    TEST(unknown_paths_and_methods_get_linkedins_errors),
	    TEST(a_100_entity_batch_of_keys_is_accepted),
	    TEST(pages_may_not_be_framed),
	    TEST(a_tunnelled_get_is_answered_as_the_get),
	    TEST(a_tunnelled_body_reaches_the_handler),
	    TEST(a_url_over_linkedins_limits_gets_414),
	    TEST(a_bad_method_override_gets_400),
	};
	static const struct suite suites[] = {
	    SUITE("sandbox", suite_init, NULL, tests),
	};
	const char *sandbox = getenv("HIRELINK_TEST_SANDBOX_URL");

	if (!sandbox || !*sandbox) {
		fprintf(stderr, "HIRELINK_TEST_SANDBOX_URL is not set\n");
		return 1;
	}
	/* every request of this program goes to the sandbox */
	setenv("HIRELINK_TEST_URL", sandbox, 1);
	return itest_run(suites, ARRAY_LEN(suites));
}
