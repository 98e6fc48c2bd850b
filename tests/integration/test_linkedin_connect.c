/*
 * test_linkedin_connect.c - F14 set-up, F7 Connect and F15 end to end:
 * browser -> nginx -> hirelink -> the LinkedIn sandbox (its consent page
 * driven through its form) -> back to hirelink.
 *
 * What a user sees: the admin's settings page that never shows the secret,
 * "Test connection" with LinkedIn's exact error, Connect (OpenID Connect, the
 * member read from /v2/userinfo) landing on the Connections tab with the
 * member, URN and seat type, clear messages for a cancelled sign-in, a
 * tampered, replayed or foreign state, a slow or unreachable LinkedIn (and
 * nothing stored: the database is checked), an expired member token refreshed
 * transparently, a revoked one asking to reconnect; tokens sealed in MariaDB;
 * the Internet Explorer 11 notice.
 *
 * The integration row is global: the suite puts it back to "not set up" at
 * the end so later programs see the state they expect.
 */
#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

#define PASSWORD "linkedin-test-1"
#define IE11_UA                                                                \
	"User-Agent: Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; "       \
	"rv:11.0) "                                                            \
	"like Gecko"
#define CHROME_UA                                                              \
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "      \
	"(KHTML, "                                                             \
	"like Gecko) Chrome/120.0 Safari/537.36"

static const struct itest_li_app *li; /* the sandbox's application */
static char *admin_email, *rec_email;
static struct itest_client *admin, *rec;
static int secret_leaks;
static char *seen_code; /* the code of the Connect callback, new */

/* Every hirelink page fetched goes through here: the secret must never be
 * in one. */
static struct itest_resp seen(struct itest_resp r)
{
	if (li && strstr(r.body, li->client_secret))
		secret_leaks++;
	if (li && strstr(r.headers, li->client_secret))
		secret_leaks++;
	return r;
}

static struct itest_resp get(struct itest_client *c, const char *path)
{
	return seen(itest_get(c, path, false));
}

/* ------------------------------------------------------------ outside */

static long long sql_count_user(const char *id)
{
	return itest_sql_int("SELECT COUNT(*) FROM linkedin_connections WHERE "
			     "user_id = %s",
			     id);
}

static char *user_id_of(const char *email)
{
	return itest_sql_str("SELECT id FROM users WHERE email = '%s'", email);
}

static long connections_of(const char *email)
{
	char *id = user_id_of(email);
	long n = sql_count_user(id);
	free(id);
	return n;
}

static struct itest_client *new_user(const char *prefix, char **email_out)
{
	char *email = itest_unique(prefix);
	size_t n = strlen(email) + 32;
	char *full = malloc(n);
	snprintf(full, n, "%s@li.hirelink.test", email);
	free(email);
	CHECK(itest_useradd(full, "Linda Linked", "recruiter", "recruiter",
			    PASSWORD) == 0,
	      "useradd %s", full);
	struct itest_client *c = itest_client_new(NULL);
	CHECK(itest_login(c, full, PASSWORD) == 303, "login %s", full);
	if (email_out)
		*email_out = full;
	else
		free(full);
	return c;
}

/* ------------------------------------------------------------ suite */

static int suite_init(void)
{
	char *a = itest_unique("li-admin"), *r = itest_unique("li-rec");
	size_t n = 64 + strlen(a) + strlen(r);
	admin_email = malloc(n);
	rec_email = malloc(n);
	snprintf(admin_email, n, "%s@li.hirelink.test", a);
	snprintf(rec_email, n, "%s@li.hirelink.test", r);
	free(a);
	free(r);
	li = itest_li_app();
	if (!li)
		return 1;
	/* A clean start: not set up. */
	itest_sql(
	    "UPDATE integration SET enabled = 0, client_id = '', "
	    "client_secret_enc = NULL, organization_urn = '', contract_urn = "
	    "'', ats_instance_name = '', last_error = NULL WHERE id = 1; "
	    "DELETE FROM linkedin_app_token;");
	if (itest_useradd(admin_email, "Ada LinkedIn-Admin", "admin", "none",
			  PASSWORD) ||
	    itest_useradd(rec_email, "Rita Linked", "recruiter", "recruiter",
			  PASSWORD))
		return 1;
	admin = itest_client_new(NULL);
	rec = itest_client_new(NULL);
	if (itest_login(admin, admin_email, PASSWORD) != 303 ||
	    itest_login(rec, rec_email, PASSWORD) != 303)
		return 1;
	return 0;
}

static int suite_clean(void)
{
	itest_sandbox_control("{\"reset\": true}");
	itest_sql(
	    "UPDATE integration SET enabled = 0, client_id = '', "
	    "client_secret_enc = NULL, organization_urn = '', contract_urn = "
	    "'', ats_instance_name = '', last_error = NULL, last_error_at = "
	    "NULL, last_success_at = NULL WHERE id = 1; "
	    "DELETE FROM linkedin_app_token; DELETE FROM "
	    "linkedin_connections;");
	itest_client_free(admin);
	itest_client_free(rec);
	free(admin_email);
	free(rec_email);
	return 0;
}

/* ------------------------------------------------------------ tests */

static void connections_tab_names_the_admins_until_set_up(void)
{
	struct itest_resp r = get(rec, "/settings/user?tab=connections");
	CHECK_STATUS(r, 200, "connections tab");
	CHECK_HAS(r, "LinkedIn integration is not set up", "not set up notice");
	CHECK_HAS(r, "Ada LinkedIn-Admin", "names the admin");
	CHECK_LACKS(r, "/settings/linkedin/connect", "no Connect button yet");
	itest_resp_free(&r);
	r = get(rec, "/settings/linkedin/connect");
	CHECK_STATUS(r, 303, "connect before set-up");
	CHECK(strstr(itest_location(&r), "tab=connections") != NULL,
	      "back to the tab: %s", itest_location(&r));
	itest_resp_free(&r);
}

static void only_admins_reach_the_linkedin_settings(void)
{
	struct itest_resp r = get(rec, "/admin/linkedin");
	CHECK_STATUS(r, 403, "recruiter on /admin/linkedin");
	itest_resp_free(&r);
}

static void admin_saves_settings_and_secret_is_never_shown(void)
{
	struct itest_resp r = get(admin, "/admin/linkedin");
	CHECK_STATUS(r, 200, "admin page");
	CHECK_HAS(r, "not set", "secret not set yet");
	CHECK_HAS(r, "/linkedin/notifications", "callback URL shown");
	char *csrf = itest_csrf(&r);
	itest_resp_free(&r);

	r = seen(itest_post(admin, "/admin/linkedin", false, csrf, "enabled",
			    "1", "client_id", "x", "organization_urn",
			    "urn:li:organization:abc", "ats_instance_name", "t",
			    NULL));
	CHECK_STATUS(r, 400, "bad organization URN");
	CHECK_HAS(r, "urn:li:organization:12345", "names the expected form");
	itest_resp_free(&r);
	free(csrf);

	r = seen(itest_li_enable(admin, NULL));
	CHECK_STATUS(r, 303, "save");
	itest_resp_free(&r);
	r = get(admin, "/admin/linkedin");
	CHECK_HAS(r, "Client secret (set", "secret set");
	CHECK_HAS(r, li->client_id, "client id shown");
	CHECK_HAS(r, li->organization, "organization shown");
	CHECK_LACKS(r, li->client_secret, "secret never rendered back");
	itest_resp_free(&r);

	/* Saving again without a secret keeps it. */
	r = seen(itest_li_enable(admin, ""));
	CHECK_STATUS(r, 303, "save without secret");
	itest_resp_free(&r);
	r = get(admin, "/admin/linkedin");
	CHECK_HAS(r, "Client secret (set", "secret kept");
	itest_resp_free(&r);

	/* Sealed in the database. */
	char *hex = itest_sql_str(
	    "SELECT HEX(client_secret_enc) FROM integration WHERE id = 1");
	char plainhex[200];
	for (size_t i = 0; li->client_secret[i] && i < 90; i++)
		snprintf(plainhex + 2 * i, 3, "%02X",
			 (unsigned char)li->client_secret[i]);
	CHECK(strlen(hex) > 2 * 28, "secret stored sealed (%zu hex chars)",
	      strlen(hex));
	CHECK(!strstr(hex, plainhex), "secret not in plaintext in MariaDB");
	free(hex);
}

/* "Test connection" as the admin client a: the page it answers with. */
static struct itest_resp press_test_connection(struct itest_client *a)
{
	char *csrf = itest_csrf_of(a, "/admin/linkedin");
	struct itest_resp r =
	    seen(itest_post(a, "/admin/linkedin/test", false, csrf, NULL));
	free(csrf);
	return r;
}

static void test_connection_reports_success_and_exact_error(void)
{
	struct itest_resp r = press_test_connection(admin);
	CHECK_STATUS(r, 200, "test connection");
	CHECK_HAS(r, "Test connection: LinkedIn issued an application token",
		  "ok");
	itest_resp_free(&r);

	r = seen(itest_li_enable(admin, "wrong-secret-123"));
	CHECK_STATUS(r, 303, "save wrong secret");
	itest_resp_free(&r);
	r = press_test_connection(admin);
	CHECK_HAS(
	    r, "Test connection failed: LinkedIn answered 401 invalid_client",
	    "exact error");
	CHECK_LACKS(r, "wrong-secret-123", "the wrong secret is not echoed");
	itest_resp_free(&r);
	r = get(admin, "/admin/linkedin");
	CHECK_HAS(r, "LinkedIn answered 401 invalid_client",
		  "status panel: last error");
	itest_resp_free(&r);

	r = seen(itest_li_enable(admin, NULL));
	CHECK_STATUS(r, 303, "restore the secret");
	itest_resp_free(&r);
	r = press_test_connection(admin);
	CHECK_HAS(r, "Test connection: LinkedIn issued", "ok again");
	itest_resp_free(&r);
}

/* The test stack's second hirelink instance is another customer of the
 * same LinkedIn organization: its admin saves the second application, and
 * LinkedIn issues it a token of its own, while the first instance keeps
 * the first application. */
static void second_instance_connects_with_the_second_application(void)
{
	struct itest_person admin2;
	if (itest_li_enable_instance2(&admin2, "ada", "Connect") < 0) {
		itest_person_free(&admin2);
		return;
	}
	itest_instance(2);
	struct itest_resp r = press_test_connection(admin2.c);
	CHECK_HAS(r, "Test connection: LinkedIn issued an application token",
		  "instance 2 gets a token");
	itest_resp_free(&r);
	r = get(admin2.c, "/admin/linkedin");
	CHECK_HAS(r, li->apps[1].client_id, "instance 2 shows application 2");
	CHECK_HAS(r, "127.0.0.1", "instance 2 shows its callback URL");
	CHECK(strstr(r.body, itest_base_url()) != NULL,
	      "the callback URL is under instance 2's own base URL %s",
	      itest_base_url());
	itest_resp_free(&r);
	char *id2 = itest_sql_str("SELECT client_id FROM integration");
	itest_instance(1);
	char *id1 = itest_sql_str("SELECT client_id FROM integration");
	CHECK(!strcmp(id2, li->apps[1].client_id) &&
		  !strcmp(id1, li->apps[0].client_id),
	      "each instance keeps its own application: %s and %s", id1, id2);
	CHECK(strcmp(li->apps[0].client_id, li->apps[1].client_id) != 0,
	      "the two applications differ");
	free(id1);
	free(id2);
	itest_person_free(&admin2);
}

static void connect_shows_member_urn_and_seat(void)
{
	const struct itest_li_seat *m = &li->recruiter;
	struct itest_resp r = get(rec, "/settings/user?tab=connections");
	CHECK_HAS(r, "/settings/linkedin/connect", "Connect offered");
	itest_resp_free(&r);

	char *cb = itest_li_connect(rec, m->id, "allow");
	CHECK(cb != NULL, "LinkedIn sends the browser back with a code");
	if (cb) {
		const char *code = strstr(cb, "code=");
		if (code) {
			seen_code = itest_strdup(code + 5);
			seen_code[strcspn(seen_code, "&")] = '\0';
		}
		/* the page after it, as a browser asks for it */
		char *referer = itest_fmt("Referer: %s%s", itest_base_url(), cb);
		struct itest_resp next = itest_request(
		    rec, "GET", "/jobs", false, NULL, NULL, 0, referer);
		itest_resp_free(&next);
		free(referer);
		r = get(rec, cb);
		CHECK_STATUS(r, 303, "callback");
		CHECK(strstr(itest_location(&r), "li=connected") != NULL,
		      "callback lands on connected: %s", itest_location(&r));
		itest_resp_free(&r);
	}
	r = get(rec, "/settings/user?tab=connections&li=connected");
	CHECK_HAS(r, "Connected as", "connected");
	CHECK_HAS(r, m->name, "member's name");
	char urn[128];
	snprintf(urn, sizeof(urn), "urn:li:person:%s", m->id);
	CHECK_HAS(r, urn, "member URN");
	CHECK_HAS(r, "Recruiter", "seat type");
	CHECK_HAS(r, "Disconnect", "Disconnect offered");
	itest_resp_free(&r);
	CHECK(connections_of(rec_email) == 1, "one connection stored");

	/* Signed in with OpenID Connect, the member read from /v2/userinfo. */
	char *uid = user_id_of(rec_email);
	char *scopes = itest_sql_str(
	    "SELECT scopes FROM linkedin_connections WHERE user_id = %s", uid);
	CHECK(!strcmp(scopes, "openid,profile"), "scopes granted: %s", scopes);
	struct itest_client *local = itest_client_new("127.0.0.1");
	r = itest_metrics(local);
	CHECK(r.status != 200 ||
		  itest_metric(r.body, "hirelink_linkedin_requests_total{path="
				       "\"/v2/userinfo\",status=\"200\"}") >= 1,
	      "the member was read from /v2/userinfo");
	itest_resp_free(&r);
	itest_client_free(local);
	free(scopes);
	free(uid);
	free(cb);
}

/* The admin gives the user another seat on the People page; 303. */
static void admin_sets_seat(const char *email, const char *seat)
{
	char *uid = user_id_of(email);
	char *path = itest_fmt("/admin/users/%s", uid);
	char *csrf = itest_csrf_of(admin, "/admin/users");
	struct itest_resp r = seen(itest_post(admin, path, false, csrf, "role",
					      "recruiter", "seat", seat, NULL));
	CHECK_STATUS(r, 303, "admin changes the seat");
	itest_resp_free(&r);
	free(csrf);
	free(path);
	free(uid);
}

/* The Connections tab says so when the LinkedIn member connected holds
 * another seat than the one hirelink's admin gave the user (users.seat),
 * and stops saying so once they agree again. */
static void connections_warn_when_the_seat_differs_from_the_admins(void)
{
	/* connected as the contract's Recruiter seat, given Recruiter */
	struct itest_resp r = get(rec, "/settings/user?tab=connections");
	CHECK_HAS(r, "Connected as", "connected");
	CHECK(!itest_has(&r, "seat-mismatch"), "no warning when they agree");
	itest_resp_free(&r);

	admin_sets_seat(rec_email, "hiring_manager");
	/* the session keeps its user for up to session_cache_seconds */
	bool warned = false;
	for (int i = 0; i < 70 && !warned; i++) {
		r = get(rec, "/settings/user?tab=connections");
		warned = itest_has(&r, "seat-mismatch");
		if (!warned) {
			itest_resp_free(&r);
			usleep(100 * 1000);
		}
	}
	CHECK(warned, "the tab warns once the seats differ");
	CHECK_HAS(r, "not the one hirelink expects", "warning sentence");
	CHECK_HAS(r, "<strong class=\"linkedin-seat\">Recruiter</strong>",
		  "LinkedIn's seat named");
	CHECK_HAS(r, "<strong class=\"assigned-seat\">Hiring manager</strong>",
		  "the admin's seat named");
	itest_resp_free(&r);

	admin_sets_seat(rec_email, "recruiter");
	bool gone = false;
	for (int i = 0; i < 70 && !gone; i++) {
		r = get(rec, "/settings/user?tab=connections");
		gone = r.status == 200 && !itest_has(&r, "seat-mismatch");
		itest_resp_free(&r);
		if (!gone)
			usleep(100 * 1000);
	}
	CHECK(gone, "no warning once the admin gives the LinkedIn seat");
}

/* Any run of 16 token-like characters in the sealed bytes would be a
 * plaintext token: random ciphertext practically never has one. */
static bool looks_sealed(const char *hex)
{
	size_t run = 0, n = strlen(hex);
	if (n < 2 * 40)
		return false;
	for (size_t i = 0; i + 1 < n; i += 2) {
		unsigned v;
		sscanf(hex + i, "%2x", &v);
		bool tokenish = (v >= '0' && v <= '9') ||
				(v >= 'A' && v <= 'Z') ||
				(v >= 'a' && v <= 'z') || v == '-' ||
				v == '_' || v == '.' || v == '~';
		run = tokenish ? run + 1 : 0;
		if (run >= 16)
			return false;
	}
	return true;
}

static void member_tokens_are_sealed_in_mariadb(void)
{
	char *id = user_id_of(rec_email);
	char *a = itest_sql_str(
	    "SELECT HEX(access_token_enc) FROM linkedin_connections "
	    "WHERE user_id = %s",
	    id);
	char *r = itest_sql_str(
	    "SELECT HEX(refresh_token_enc) FROM linkedin_connections "
	    "WHERE user_id = %s",
	    id);
	char *app = itest_sql_str(
	    "SELECT HEX(token_enc) FROM linkedin_app_token WHERE id = 1");
	CHECK(looks_sealed(a), "access token sealed: %.80s", a);
	CHECK(looks_sealed(r), "refresh token sealed: %.80s", r);
	CHECK(looks_sealed(app), "application token sealed: %.80s", app);
	free(a);
	free(r);
	free(app);
	free(id);
}

static void expired_member_token_is_refreshed_transparently(void)
{
	char *id = user_id_of(rec_email);
	char *member = itest_sql_str(
	    "SELECT member_id FROM linkedin_connections WHERE user_id = %s",
	    id);
	char *before = itest_sql_str("SELECT HEX(access_token_enc) FROM "
				     "linkedin_connections WHERE user_id = %s",
				     id);
	char json[256];
	snprintf(json, sizeof(json),
		 "{\"expire_tokens\": {\"kind\": \"member_access\", "
		 "\"member\": \"%s\"}}",
		 member);
	CHECK(itest_sandbox_control(json) == 200, "sandbox expires the token");
	char *csrf = itest_csrf_of(rec, "/settings/user?tab=connections");
	struct itest_resp r = seen(
	    itest_post(rec, "/settings/linkedin/check", false, csrf, NULL));
	free(csrf);
	CHECK_STATUS(r, 303, "check connection");
	CHECK(strstr(itest_location(&r), "li=checked") != NULL,
	      "still connected after refresh: %s", itest_location(&r));
	itest_resp_free(&r);
	r = get(rec, "/settings/user?tab=connections&li=checked");
	CHECK_HAS(r, "Your LinkedIn connection works", "check message");
	CHECK_HAS(r, "Connected as", "still connected");
	CHECK_LACKS(r, "Reconnect LinkedIn", "no reconnect asked");
	itest_resp_free(&r);
	char *after = itest_sql_str("SELECT HEX(access_token_enc) FROM "
				    "linkedin_connections WHERE user_id = %s",
				    id);
	CHECK(strcmp(before, after) != 0, "a new access token was stored");
	free(before);
	free(after);
	free(member);
	free(id);
}

static void revoked_connection_asks_to_reconnect_then_disconnects(void)
{
	char *mail = NULL;
	struct itest_client *c = new_user("li-rev", &mail);
	char *cb = itest_li_connect(c, li->recruiter.id, "allow");
	struct itest_resp r;
	if (cb) {
		r = get(c, cb);
		itest_resp_free(&r);
	}
	CHECK(connections_of(mail) == 1, "connected");
	char json[256];
	snprintf(json, sizeof(json), "{\"revoke_member\": \"%s\"}",
		 li->recruiter.id);
	CHECK(itest_sandbox_control(json) == 200, "member revokes at LinkedIn");
	char *csrf = itest_csrf_of(c, "/settings/user?tab=connections");
	r = seen(itest_post(c, "/settings/linkedin/check", false, csrf, NULL));
	CHECK(strstr(itest_location(&r), "li=reconnect") != NULL,
	      "check says reconnect: %s", itest_location(&r));
	itest_resp_free(&r);
	r = get(c, "/settings/user?tab=connections");
	CHECK_STATUS(r, 200, "tab after revoke");
	CHECK_HAS(r, "Reconnect LinkedIn",
		  "Reconnect LinkedIn, not an error page");
	itest_resp_free(&r);
	r = seen(
	    itest_post(c, "/settings/linkedin/disconnect", false, csrf, NULL));
	CHECK_STATUS(r, 303, "disconnect");
	itest_resp_free(&r);
	CHECK(connections_of(mail) == 0, "tokens forgotten");
	r = get(c, "/settings/user?tab=connections");
	CHECK_HAS(r, "/settings/linkedin/connect", "Connect offered again");
	itest_resp_free(&r);
	free(csrf);
	free(cb);
	free(mail);
	itest_client_free(c);
}

static void cancel_at_linkedin_stores_nothing(void)
{
	char *mail = NULL;
	struct itest_client *c = new_user("li-cancel", &mail);
	char *cb = itest_li_connect(c, li->recruiter.id, "cancel");
	CHECK(cb && strstr(cb, "error=user_cancelled"),
	      "LinkedIn reports the cancel");
	if (cb) {
		struct itest_resp r = get(c, cb);
		CHECK(strstr(itest_location(&r), "li=cancelled") != NULL,
		      "cancelled: %s", itest_location(&r));
		itest_resp_free(&r);
		r = get(c, "/settings/user?tab=connections&li=cancelled");
		CHECK_HAS(r, "You cancelled the LinkedIn sign-in",
			  "clear message");
		itest_resp_free(&r);
	}
	CHECK(connections_of(mail) == 0, "nothing stored");
	free(cb);
	free(mail);
	itest_client_free(c);
}

/* Replaces the state's first character. */
static char *tamper(const char *cb)
{
	char *t = itest_strdup(cb);
	char *s = strstr(t, "state=");
	if (s)
		s[6] = s[6] == 'a' ? 'b' : 'a';
	return t;
}

static void tampered_replayed_and_foreign_states_are_refused(void)
{
	char *mail = NULL, *mail2 = NULL;
	struct itest_client *c = new_user("li-state", &mail);
	struct itest_client *other = new_user("li-other", &mail2);
	char *cb = itest_li_connect(c, li->recruiter.id, "allow");
	struct itest_resp r;

	if (cb) {
		char *bad = tamper(cb);
		r = get(c, bad);
		CHECK(strstr(itest_location(&r), "li=state") != NULL,
		      "tampered state refused: %s", itest_location(&r));
		itest_resp_free(&r);
		r = get(c, "/settings/user?tab=connections&li=state");
		CHECK_HAS(r, "could not be matched to this session",
			  "clear message");
		itest_resp_free(&r);
		CHECK(connections_of(mail) == 0,
		      "nothing stored after tampering");
		free(bad);

		/* The same code and state, but in another user's session. */
		r = get(other, cb);
		CHECK(strstr(itest_location(&r), "li=state") != NULL,
		      "foreign state refused: %s", itest_location(&r));
		itest_resp_free(&r);
		CHECK(connections_of(mail2) == 0,
		      "nothing stored for the other user");

		/* The real one still works once... */
		r = get(c, cb);
		CHECK(strstr(itest_location(&r), "li=connected") != NULL,
		      "genuine state accepted: %s", itest_location(&r));
		itest_resp_free(&r);
		CHECK(connections_of(mail) == 1, "connected");
		/* ...and only once. */
		char *before =
		    itest_sql_str("SELECT HEX(access_token_enc) FROM "
				  "linkedin_connections WHERE user_id = "
				  "(SELECT id FROM users WHERE email = '%s')",
				  mail);
		r = get(c, cb);
		CHECK(strstr(itest_location(&r), "li=state") != NULL,
		      "replayed state refused: %s", itest_location(&r));
		itest_resp_free(&r);
		char *after =
		    itest_sql_str("SELECT HEX(access_token_enc) FROM "
				  "linkedin_connections WHERE user_id = "
				  "(SELECT id FROM users WHERE email = '%s')",
				  mail);
		CHECK(!strcmp(before, after), "replay changed nothing");
		free(before);
		free(after);
	}
	free(cb);
	free(mail);
	free(mail2);
	itest_client_free(c);
	itest_client_free(other);
}

static void slow_linkedin_gives_a_timeout_message_within_budget(void)
{
	char *mail = NULL;
	struct itest_client *c = new_user("li-slow", &mail);
	char *cb = itest_li_connect(c, li->recruiter.id, "allow");
	CHECK(itest_sandbox_control(
		  "{\"fail\": {\"path_prefix\": \"/oauth/v2/accessToken\", "
		  "\"delay_ms\": 5000, \"count\": 1}}") == 200,
	      "sandbox made slow");
	if (cb) {
		int64_t t0 = time_mono_us();
		struct itest_resp r = get(c, cb);
		int64_t ms = (time_mono_us() - t0) / 1000;
		CHECK(ms < 4500, "answered in %lld ms", (long long)ms);
		CHECK(strstr(itest_location(&r), "li=timeout") != NULL,
		      "timeout: %s", itest_location(&r));
		itest_resp_free(&r);
		r = get(c, "/settings/user?tab=connections&li=timeout");
		CHECK_HAS(r, "LinkedIn did not answer in time",
			  "clear message");
		itest_resp_free(&r);
	}
	CHECK(connections_of(mail) == 0, "nothing stored");
	itest_sandbox_control("{\"reset\": true}");
	sleep(3); /* let the sandbox finish the delayed request */
	free(cb);
	free(mail);
	itest_client_free(c);
}

/* Two slow calls in a row still end within one budget for the page. */
static void two_slow_calls_share_one_budget(void)
{
	char *mail = NULL;
	struct itest_client *c = new_user("li-slow2", &mail);
	char *cb = itest_li_connect(c, li->recruiter.id, "allow");
	CHECK(itest_sandbox_control(
		  "{\"fail\": {\"path_prefix\": \"/oauth/v2/"
		  "accessToken\", \"delay_ms\": 2000, \"count\": 1}}") == 200 &&
		  itest_sandbox_control(
		      "{\"fail\": {\"path_prefix\": \"/v2/userinfo\", "
		      "\"delay_ms\": 2000, \"count\": 1}}") == 200,
	      "sandbox made slow twice");
	if (cb) {
		int64_t t0 = time_mono_us();
		struct itest_resp r = get(c, cb);
		int64_t ms = (time_mono_us() - t0) / 1000;
		CHECK(ms < 4000, "answered in %lld ms", (long long)ms);
		CHECK(strstr(itest_location(&r), "li=timeout") != NULL,
		      "timeout: %s", itest_location(&r));
		itest_resp_free(&r);
	}
	CHECK(connections_of(mail) == 0, "nothing stored");
	itest_sandbox_control("{\"reset\": true}");
	sleep(2);
	free(cb);
	free(mail);
	itest_client_free(c);
}

/* Rewrites the LinkedIn base URLs of the stack's config and restarts
 * hirelink; NULL puts the original back. */
static char *saved_config;

static int point_linkedin_at(const char *base)
{
	const char *path = itest_env("HIRELINK_CONFIG");
	if (!saved_config) {
		FILE *f = fopen(path, "r");
		if (!f)
			return -1;
		struct buf b = BUF_INIT;
		char line[1024];
		while (fgets(line, sizeof(line), f))
			buf_adds(&b, line);
		fclose(f);
		saved_config = buf_detach(&b, NULL);
	}
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	char *copy = itest_strdup(saved_config), *save = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (base && (!strncmp(l, "linkedin_oauth_base", 19) ||
			     !strncmp(l, "linkedin_api_base", 17)))
			fprintf(f, "%.*s= %s\n", (int)(strchr(l, '=') - l), l,
				base);
		else
			fprintf(f, "%s\n", l);
	}
	free(copy);
	fclose(f);
	return itest_stack("restart-app");
}

static void unreachable_linkedin_says_connection_refused_fast(void)
{
	CHECK(point_linkedin_at("http://127.0.0.1:9") == 0,
	      "hirelink restarted");
	struct itest_client *a = itest_client_new(NULL);
	CHECK(itest_login(a, admin_email, PASSWORD) == 303,
	      "admin signs in again");
	int64_t t0 = time_mono_us();
	struct itest_resp r = press_test_connection(a);
	int64_t ms = (time_mono_us() - t0) / 1000;
	CHECK_HAS(
	    r,
	    "could not connect to http://127.0.0.1:9/oauth/v2/accessToken: "
	    "Connection refused",
	    "exact error");
	CHECK(ms < 2500, "answered in %lld ms", (long long)ms);
	itest_resp_free(&r);

	/* A user's Connect comes back with a clear message. */
	char *mail = NULL;
	struct itest_client *c = new_user("li-down", &mail);
	r = get(c, "/settings/linkedin/connect");
	const char *loc = itest_header(&r, "Location");
	char *state = loc ? itest_between(loc, "state=", "&") : NULL;
	itest_resp_free(&r);
	if (state) {
		char path[512];
		snprintf(path, sizeof(path),
			 "/settings/linkedin/callback?code=abc&state=%s",
			 state);
		r = get(c, path);
		CHECK(strstr(itest_location(&r), "li=unreachable") != NULL,
		      "unreachable: %s", itest_location(&r));
		itest_resp_free(&r);
		r = get(c, "/settings/user?tab=connections&li=unreachable");
		CHECK_HAS(r, "could not reach LinkedIn", "clear message");
		itest_resp_free(&r);
	}
	CHECK(connections_of(mail) == 0, "nothing stored");
	free(state);
	free(mail);
	itest_client_free(c);
	itest_client_free(a);
	CHECK(point_linkedin_at(NULL) == 0,
	      "hirelink restarted with the sandbox");
	free(saved_config);
	saved_config = NULL;
	/* Sessions survive a restart: the suite's clients go on. */
}

/* After the restart of the previous test the process cache is empty: a
 * Connect needs the application token (seats API) and must take it from
 * MariaDB, not ask LinkedIn again.  The metrics say how often hirelink
 * asked LinkedIn for a token: once, for the code. */
static void app_token_is_reused_from_mariadb_after_a_restart(void)
{
	char *mail = NULL;
	struct itest_client *c = new_user("li-restart", &mail);
	char *cb = itest_li_connect(c, li->recruiter.id, "allow");
	if (cb) {
		struct itest_resp r = get(c, cb);
		CHECK(strstr(itest_location(&r), "li=connected") != NULL,
		      "connected after restart: %s", itest_location(&r));
		itest_resp_free(&r);
	}
	struct itest_client *local = itest_client_new("127.0.0.1");
	struct itest_resp m = itest_metrics(local);
	if (m.status == 200) {
		CHECK_HAS(m,
			  "hirelink_linkedin_requests_total{path=\"/oauth/v2/"
			  "accessToken\",status=\"200\"} 1\n",
			  "one token request: the code exchange");
		CHECK_HAS(m,
			  "hirelink_linkedin_requests_total{path=\"/v2/seats\","
			  "status=\"200\"} 1\n",
			  "the seats call used the stored application token");
	}
	itest_resp_free(&m);
	itest_client_free(local);
	free(cb);
	free(mail);
	itest_client_free(c);
}

static void secret_is_in_no_page_and_no_log(void)
{
	CHECK(secret_leaks == 0, "the client secret appeared in %d responses",
	      secret_leaks);
	const char *conf = itest_env("HIRELINK_CONFIG");
	char log[1024];
	const char *slash = strrchr(conf, '/');
	snprintf(log, sizeof(log), "%.*s/log/hirelink.log",
		 slash ? (int)(slash - conf) : 1, slash ? conf : ".");
	FILE *f = fopen(log, "r");
	CHECK(f != NULL, "log %s readable", log);
	if (f) {
		char line[8192];
		bool found = false, calls = false;
		while (fgets(line, sizeof(line), f)) {
			if (strstr(line, li->client_secret) ||
			    strstr(line, "wrong-secret-123"))
				found = true;
			if (strstr(line, "linkedin POST /oauth/v2/accessToken"))
				calls = true;
		}
		fclose(f);
		CHECK(!found, "the client secret is not in %s", log);
		CHECK(calls, "LinkedIn calls are logged (method and path)");
	}
}

/* The callback's one-time code, in the query of its URL and of the next
 * page's Referer, is in no access log line: nginx logs the path only. */
static void the_callbacks_code_is_in_no_access_log(void)
{
	CU_ASSERT_FATAL(seen_code != NULL && strlen(seen_code) >= 8);
	const char *conf = itest_env("HIRELINK_CONFIG");
	const char *slash = strrchr(conf, '/');
	char *log = itest_fmt("%.*s/log/nginx-access.log",
			      slash ? (int)(slash - conf) : 1,
			      slash ? conf : ".");
	FILE *f = fopen(log, "r");
	CHECK(f != NULL, "log %s readable", log);
	if (f) {
		char line[8192];
		int leaks = 0, callbacks = 0, referers = 0;
		while (fgets(line, sizeof(line), f)) {
			leaks += strstr(line, seen_code) != NULL;
			callbacks +=
			    strstr(line, "GET /settings/linkedin/callback?-") !=
			    NULL;
			referers += strstr(line, "/settings/linkedin/callback?-\" \"") !=
				    NULL;
		}
		fclose(f);
		CHECK(leaks == 0, "the code is in %d lines of %s", leaks, log);
		CHECK(callbacks >= 1, "the callback is logged, its path only");
		CHECK(referers >= 1, "the next page's Referer is logged, its "
				     "path only");
	}
	free(log);
}

static void metrics_count_linkedin_calls(void)
{
	struct itest_client *local = itest_client_new("127.0.0.1");
	struct itest_resp r = itest_metrics(local);
	if (r.status == 200)
		CHECK_HAS(r,
			  "hirelink_linkedin_requests_total{path=\"/oauth/v2/"
			  "accessToken\",status=\"200\"}",
			  "LinkedIn calls counted");
	else
		CHECK(r.status == 403, "metrics: %ld", r.status);
	itest_resp_free(&r);
	itest_client_free(local);
}

static void internet_explorer_11_gets_the_notice(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = seen(
	    itest_request(c, "GET", "/login", false, NULL, NULL, 0, IE11_UA));
	CHECK_STATUS(r, 200, "login page in IE11");
	CHECK_HAS(r, "LinkedIn no longer supports Internet Explorer 11",
		  "notice");
	CHECK_HAS(r, "may prompt you to upgrade", "upgrade hint");
	char *csrf = itest_csrf(&r);
	itest_resp_free(&r);

	r = itest_request(c, "GET", "/login", false, NULL, NULL, 0, CHROME_UA);
	CHECK_LACKS(r, "no longer supports Internet Explorer",
		    "no notice for Chrome");
	itest_resp_free(&r);

	char *form =
	    itest_form("csrf", csrf ? csrf : "", "next", "/login", NULL);
	r = itest_request(c, "POST", "/browser-notice/dismiss", false,
			  "application/x-www-form-urlencoded", form,
			  strlen(form), IE11_UA);
	CHECK_STATUS(r, 303, "dismiss");
	CHECK(!strcmp(itest_location(&r), "/login"), "back: %s",
	      itest_location(&r));
	itest_resp_free(&r);
	r = itest_request(c, "GET", "/login", false, NULL, NULL, 0, IE11_UA);
	CHECK_LACKS(r, "no longer supports Internet Explorer", "dismissed");
	itest_resp_free(&r);
	free(form);
	free(csrf);
	itest_client_free(c);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(connections_tab_names_the_admins_until_set_up),
	    TEST(only_admins_reach_the_linkedin_settings),
	    TEST(admin_saves_settings_and_secret_is_never_shown),
	    TEST(test_connection_reports_success_and_exact_error),
	    TEST(second_instance_connects_with_the_second_application),
	    TEST(connect_shows_member_urn_and_seat),
	    TEST(connections_warn_when_the_seat_differs_from_the_admins),
	    TEST(the_callbacks_code_is_in_no_access_log),
	    TEST(member_tokens_are_sealed_in_mariadb),
	    TEST(expired_member_token_is_refreshed_transparently),
	    TEST(revoked_connection_asks_to_reconnect_then_disconnects),
	    TEST(cancel_at_linkedin_stores_nothing),
	    TEST(tampered_replayed_and_foreign_states_are_refused),
	    TEST(slow_linkedin_gives_a_timeout_message_within_budget),
	    TEST(two_slow_calls_share_one_budget),
	    TEST(metrics_count_linkedin_calls),
	    TEST(unreachable_linkedin_says_connection_refused_fast),
	    TEST(app_token_is_reused_from_mariadb_after_a_restart),
	    TEST(internet_explorer_11_gets_the_notice),
	    TEST(secret_is_in_no_page_and_no_log),
	};
	static const struct suite suites[] = {
	    SUITE("linkedin_connect", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
