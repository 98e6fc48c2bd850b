/*
 * test_foundation.c - end-to-end tests of the foundation, through nginx:
 * signing in and out, sessions, CSRF, the error pages, the security
 * headers, JSON for the same URLs, the jobs list, /healthz and /metrics,
 * and what a user sees while the database is away.
 *
 * Every test is named after what a user (or an operator) does or sees.
 * The program makes its own users, with emails unique to the run, and
 * speaks from addresses of its own (itest_addr), so it can run again on the
 * same stack.  Sign-in throttling has its own program, test_signin.c.
 */
#include <CUnit/Basic.h>
#include <curl/curl.h>
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

static struct itest_person fay; /* signs in, most tests */

static int suite_init(void)
{
	if (!*itest_base_url())
		return -1;
	if (itest_person_add(&fay, "fay", "Foundation", "recruiter",
			     "recruiter") < 0) {
		fprintf(stderr, "cannot create the test user\n");
		return -1;
	}
	return 0;
}

static int suite_clean(void)
{
	itest_person_free(&fay);
	return 0;
}

/* The text inside the first <tag ...>...</tag>, for "is it in the top bar";
 * new, "" when absent. */
static char *element(const char *html, const char *tag)
{
	struct buf open = BUF_INIT, close = BUF_INIT;
	buf_addf(&open, "<%s", tag);
	buf_addf(&close, "</%s>", tag);
	char *v = itest_between(html, open.data, close.data);
	buf_release(&open);
	buf_release(&close);
	return v ? v : itest_strdup("");
}

/* The Content-Type, "" when none; borrowed. */
static const char *content_type(const struct itest_resp *r)
{
	const char *ct = itest_header(r, "Content-Type");
	return ct ? ct : "";
}

/* The Set-Cookie for cookie name, borrowed; NULL when none. */
static const char *set_cookie_for(const struct itest_resp *r, const char *name)
{
	size_t k = strlen(name);
	const char *v;
	for (size_t i = 0; (v = itest_header_nth(r, "Set-Cookie", i)); i++)
		if (!strncmp(v, name, k) && v[k] == '=')
			return v;
	return NULL;
}

/* ------------------------------------------------------------ signing in */

static void login_with_right_password_lands_on_jobs(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r =
	    itest_login_resp(c, fay.email, fay.password, NULL);
	CHECK_STATUS(r, 303, "POST /login");
	CHECK(!strcmp(itest_location(&r), "/jobs"),
	      "Location \"%s\", want /jobs", itest_location(&r));
	itest_resp_free(&r);

	r = itest_get(c, "/jobs", false);
	CHECK_STATUS(r, 200, "GET /jobs");
	CHECK_HAS(r, "<h1>Jobs</h1>", "GET /jobs");
	char *top = element(r.body, "header");
	CHECK(strstr(top, fay.name) != NULL, "top bar does not name %s",
	      fay.name);
	CHECK(strstr(top, "href=\"/settings/user\"") != NULL,
	      "top bar has no settings link to /settings/user");
	free(top);
	char *nav = element(r.body, "nav");
	CHECK(strstr(nav, ">Jobs</a>") != NULL, "navigation lacks Jobs");
	CHECK(strstr(nav, ">Talent pools</a>") != NULL,
	      "navigation lacks Talent pools");
	CHECK(strstr(nav, ">Candidates</a>") != NULL,
	      "navigation lacks Candidates");
	CHECK(strstr(nav, "aria-current=\"page\">Jobs<") != NULL,
	      "Jobs is not the current navigation entry");
	free(nav);
	itest_resp_free(&r);
	itest_client_free(c);
}

static void login_returns_to_the_page_asked_for(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = itest_get(c, "/jobs?page=2", false);
	CHECK_TO_LOGIN(r, "GET /jobs?page=2 signed out");
	char *login_url = itest_strdup(itest_location(&r));
	itest_resp_free(&r);

	r = itest_get(c, login_url, false);
	CHECK_STATUS(r, 200, login_url);
	char *next = itest_between(r.body, "name=\"next\" value=\"", "\"");
	CHECK(next && !strcmp(next, "/jobs?page=2"),
	      "sign-in form carries next=\"%s\", want /jobs?page=2",
	      next ? next : "(none)");
	itest_resp_free(&r);

	r = itest_login_resp(c, fay.email, fay.password, next ? next : "");
	CHECK_STATUS(r, 303, "POST /login with next");
	CHECK(!strcmp(itest_location(&r), "/jobs?page=2"),
	      "Location \"%s\", want /jobs?page=2", itest_location(&r));
	itest_resp_free(&r);
	free(next);
	free(login_url);
	itest_client_free(c);
}

static void login_never_sends_you_to_another_site(void)
{
	static const char *const evil[] = {
	    "//evil.example/",		"https://evil.example/",
	    "/\\evil.example",		"javascript:alert(1)",
	    "/jobs\r\nSet-Cookie: x=1", "/jobs%0d%0aSet-Cookie:%20x=1",
	    "/\t/evil.example"};
	for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
		struct itest_client *c = itest_client_new(NULL);
		struct itest_resp r =
		    itest_login_resp(c, fay.email, fay.password, evil[i]);
		CHECK_STATUS(r, 303, "POST /login with a foreign next");
		CHECK(!strcmp(itest_location(&r), "/jobs"),
		      "next=%s led to Location \"%s\", want /jobs", evil[i],
		      itest_location(&r));
		itest_resp_free(&r);
		itest_client_free(c);
	}
}

static void login_with_wrong_password_is_refused(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r =
	    itest_login_resp(c, fay.email, "not the password", NULL);
	CHECK_STATUS(r, 401, "POST /login, wrong password");
	CHECK_HAS(r, "email and password do not match", "wrong password page");
	/* the form comes back with the email filled in */
	CHECK_HAS(r, fay.email, "wrong password page");
	CHECK_LACKS(r, "not the password", "wrong password page");
	char *cookie = itest_cookie(c, "hl_session");
	CHECK(cookie == NULL || !*cookie, "a session cookie was set: %s",
	      cookie ? cookie : "");
	free(cookie);
	itest_resp_free(&r);

	r = itest_get(c, "/jobs", false);
	CHECK_TO_LOGIN(r, "GET /jobs after a refused sign-in");
	CHECK(!strcmp(itest_location(&r), "/login?next=%2Fjobs"),
	      "Location \"%s\", want /login?next=%%2Fjobs", itest_location(&r));
	itest_resp_free(&r);
	itest_client_free(c);
}

/* The alert text on a refused sign-in page; new. */
static char *refusal(const struct itest_resp *r)
{
	char *m = itest_between(r->body, "role=\"alert\">", "<");
	return m ? m : itest_strdup("(no message)");
}

static void unknown_email_is_refused_the_same_way(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *nobody = itest_unique("nobody.");
	struct buf email = BUF_INIT;
	buf_addf(&email, "%s@itest.hirelink.test", nobody);

	struct itest_resp known =
	    itest_login_resp(c, fay.email, "not the password", NULL);
	struct itest_resp unknown =
	    itest_login_resp(c, email.data, "not the password", NULL);
	CHECK_STATUS(unknown, 401, "POST /login, unknown email");
	CHECK(unknown.status == known.status,
	      "unknown email answered %ld, wrong password %ld", unknown.status,
	      known.status);
	char *m1 = refusal(&known), *m2 = refusal(&unknown);
	bool same = !strcmp(m1, m2);
	CHECK(same, "messages differ: \"%s\" and \"%s\"", m1, same ? "" : m2);
	CHECK(strstr(m2, "do not match") != NULL, "message \"%s\"", m2);
	free(m1);
	free(m2);
	itest_resp_free(&known);
	itest_resp_free(&unknown);
	buf_release(&email);
	free(nobody);
	itest_client_free(c);
}

static void xss_in_login_email_is_escaped(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = itest_login_resp(c, "<script>alert(1)</script>@x",
					       "not the password", NULL);
	CHECK_STATUS(r, 401, "POST /login with markup in the email");
	CHECK_HAS(r, "&lt;script&gt;", "refused sign-in page");
	CHECK_LACKS(r, "<script>alert", "refused sign-in page");
	itest_resp_free(&r);
	itest_client_free(c);
}

/* ------------------------------------------------------------ CSRF */

static void post_without_csrf_is_forbidden(void)
{
	struct itest_client *c = itest_signed_in(&fay);
	struct itest_resp r = itest_post_form(c, "/logout", "");
	CHECK_STATUS(r, 403, "POST /logout without csrf");
	CHECK_HAS(r, "CSRF", "403 page");
	itest_resp_free(&r);

	r = itest_post_form(c, "/logout",
			    "csrf=00000000000000000000000000000000000000000000"
			    "00000000000000000000");
	CHECK_STATUS(r, 403, "POST /logout with a wrong csrf");
	itest_resp_free(&r);

	/* still signed in: the refused posts did nothing */
	r = itest_get(c, "/jobs", false);
	CHECK_STATUS(r, 200, "GET /jobs after refused logouts");
	itest_resp_free(&r);

	char *csrf = itest_csrf_of(c, "/jobs");
	struct buf h = BUF_INIT;
	buf_addf(&h, "X-CSRF-Token: %s", csrf);
	r = itest_post_raw(c, "/logout", "application/x-www-form-urlencoded",
			   "", 0, h.data);
	CHECK_STATUS(r, 303, "POST /logout with X-CSRF-Token");
	itest_resp_free(&r);
	buf_release(&h);
	free(csrf);
	itest_client_free(c);

	/* the sign-in form is protected too */
	c = itest_client_new(NULL);
	r = itest_get(c, "/login", false);
	CHECK_STATUS(r, 200, "GET /login");
	itest_resp_free(&r);
	char *body =
	    itest_form("email", fay.email, "password", fay.password, NULL);
	r = itest_post_form(c, "/login", body);
	CHECK_STATUS(r, 403, "POST /login without csrf");
	char *cookie = itest_cookie(c, "hl_session");
	CHECK(cookie == NULL, "POST /login without csrf set a session");
	free(cookie);
	itest_resp_free(&r);
	free(body);
	itest_client_free(c);
}

/* ------------------------------------------------------------ sessions */

/* A session ended by another process (a second hirelink behind the same
 * MariaDB; here, SQL) is over here too within session_cache_seconds: 1 in
 * the test profile (scripts/stack.sh). */
static void a_session_ended_elsewhere_ends_here_within_the_cache_bound(void)
{
	struct itest_client *c = itest_signed_in(&fay);
	char *token = itest_cookie(c, "hl_session");
	CHECK(token != NULL, "no hl_session cookie after sign-in");
	struct itest_resp r = itest_get(c, "/jobs", false);
	CHECK_STATUS(r, 200, "GET /jobs signed in");
	itest_resp_free(&r);
	char *q = itest_fmt("DELETE FROM sessions WHERE token_hash = "
			    "UNHEX(SHA2(UNHEX('%s'), 256));",
			    token ? token : "");
	CHECK(itest_sql(q) == 0, "cannot delete the session");
	struct timespec wait = {1, 300 * 1000 * 1000};
	nanosleep(&wait, NULL);
	r = itest_get(c, "/jobs", false);
	CHECK_TO_LOGIN(r, "GET /jobs once the cache bound has passed");
	itest_resp_free(&r);
	free(q);
	free(token);
	itest_client_free(c);
}

static void logout_ends_the_session(void)
{
	struct itest_client *c = itest_signed_in(&fay);
	char *old = itest_cookie(c, "hl_session");
	CHECK(old != NULL, "no hl_session cookie after sign-in");
	char *csrf = itest_csrf_of(c, "/jobs");
	struct itest_resp r = itest_post(c, "/logout", false, csrf, NULL);
	CHECK_STATUS(r, 303, "POST /logout");
	CHECK(!strcmp(itest_location(&r), "/login"),
	      "Location \"%s\", want /login", itest_location(&r));
	itest_resp_free(&r);

	r = itest_get(c, "/jobs", false);
	CHECK_TO_LOGIN(r, "GET /jobs after sign-out");
	itest_resp_free(&r);

	/* The cookie of a session that ended opens nothing, even when a
	 * browser (or a thief) keeps sending it. */
	struct itest_client *thief = itest_client_new(NULL);
	itest_set_cookie(thief, "hl_session", old ? old : "");
	r = itest_get(thief, "/jobs", false);
	CHECK_TO_LOGIN(r, "GET /jobs with the old cookie");
	itest_resp_free(&r);
	itest_client_free(thief);
	free(csrf);
	free(old);
	itest_client_free(c);
}

static void session_cookie_is_httponly_and_samesite(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r =
	    itest_login_resp(c, fay.email, fay.password, NULL);
	CHECK_STATUS(r, 303, "POST /login");
	const char *sc = set_cookie_for(&r, "hl_session");
	CHECK(sc != NULL, "sign-in set no hl_session cookie");
	if (sc) {
		CHECK(itest_contains_ci(sc, "; HttpOnly"), "not HttpOnly: %s",
		      sc);
		CHECK(itest_contains_ci(sc, "; SameSite=Lax"),
		      "not SameSite=Lax: %s", sc);
		CHECK(itest_contains_ci(sc, "; Path=/"), "not Path=/: %s", sc);
		CHECK(!itest_contains_ci(sc, "Secure;") &&
			  !itest_contains_ci(sc, "; Secure"),
		      "Secure over plain http: %s", sc);
		CHECK(strlen(sc) > 11 + 32, "short session token: %s", sc);
	}
	itest_resp_free(&r);
	itest_client_free(c);
}

/* A sibling subdomain can set cookies for the whole domain: 60 of them,
 * and one with a 200-character name, must not lock anyone out (they were
 * a 413 on every page); the session cookie still signs fay in. */
static void a_flood_of_foreign_cookies_locks_no_one_out(void)
{
	struct itest_client *c = itest_signed_in(&fay);
	for (int i = 0; i < 60; i++) {
		char name[16];
		snprintf(name, sizeof(name), "sib%d", i);
		CU_ASSERT_FATAL(itest_set_cookie(c, name, "x") == 0);
	}
	char longname[201];
	memset(longname, 'n', 200);
	longname[200] = '\0';
	CU_ASSERT_FATAL(itest_set_cookie(c, longname, "x") == 0);
	struct itest_resp r = itest_get(c, "/jobs", false);
	CHECK_STATUS(r, 200, "GET /jobs with 61 foreign cookies");
	itest_resp_free(&r);
	struct itest_client *anon = itest_client_new(NULL);
	for (int i = 0; i < 60; i++) {
		char name[16];
		snprintf(name, sizeof(name), "sib%d", i);
		itest_set_cookie(anon, name, "x");
	}
	r = itest_get(anon, "/login", false);
	CHECK_STATUS(r, 200, "GET /login with 60 foreign cookies");
	itest_resp_free(&r);
	itest_client_free(anon);
	itest_client_free(c);
}

static void session_token_rotates_on_login(void)
{
	struct itest_client *c = itest_signed_in(&fay);
	char *first = itest_cookie(c, "hl_session");
	long st = itest_login(c, fay.email, fay.password);
	CHECK(st == 303, "second sign-in: status %ld", st);
	char *second = itest_cookie(c, "hl_session");
	CHECK(first && second && strcmp(first, second),
	      "the session token did not change: %s",
	      second ? second : "(none)");

	struct itest_resp r = itest_get(c, "/jobs", false);
	CHECK_STATUS(r, 200, "GET /jobs with the new token");
	itest_resp_free(&r);

	struct itest_client *old = itest_client_new(NULL);
	itest_set_cookie(old, "hl_session", first ? first : "");
	r = itest_get(old, "/jobs", false);
	CHECK_TO_LOGIN(r, "GET /jobs with the replaced token");
	itest_resp_free(&r);
	itest_client_free(old);
	free(first);
	free(second);
	itest_client_free(c);
}

static void session_survives_app_restart(void)
{
	struct itest_client *c = itest_signed_in(&fay);
	struct itest_resp r = itest_get(c, "/jobs", false);
	CHECK_STATUS(r, 200, "GET /jobs before the restart");
	itest_resp_free(&r);

	CHECK(itest_stack("restart-app") == 0, "stack.sh restart-app failed");

	r = itest_get(c, "/jobs", false);
	CHECK_STATUS(r, 200, "GET /jobs after the restart");
	CHECK_HAS(r, fay.name, "GET /jobs after the restart");
	itest_resp_free(&r);
	itest_client_free(c);
}

/* ------------------------------------------------------------ outages */

static void database_outage_gives_503_then_recovers(void)
{
	struct itest_client *c = itest_signed_in(&fay);
	struct itest_client *anon = itest_client_new(NULL);

	CHECK(itest_stack("db-stop") == 0, "stack.sh db-stop failed");

	struct itest_resp r = itest_get(c, "/jobs", false);
	CHECK_STATUS(r, 503, "GET /jobs while the database is down");
	CHECK(itest_contains_ci(r.body, "unavailable"),
	      "the 503 page does not say unavailable");
	CHECK(itest_contains_ci(r.body, "request id"),
	      "the 503 page shows no request id");
	CHECK(itest_header(&r, "Retry-After") != NULL,
	      "503 without Retry-After");
	itest_resp_free(&r);

	r = itest_get(c, "/jobs", true);
	CHECK_STATUS(r, 503, "GET /jobs as JSON while the database is down");
	CHECK_HAS(r, "\"status\":503", "JSON 503");
	itest_resp_free(&r);

	r = itest_get(anon, "/healthz", false);
	CHECK_STATUS(r, 503, "GET /healthz while the database is down");
	itest_resp_free(&r);

	/* Signing in needs the database: it fails politely, not with 500. */
	r = itest_login_resp(anon, fay.email, fay.password, NULL);
	CHECK_STATUS(r, 503, "POST /login while the database is down");
	itest_resp_free(&r);

	CHECK(itest_stack("db-start") == 0, "stack.sh db-start failed");

	/* No restart of hirelink: every thread must find its way back, so
	 * ask more often than there are threads. */
	r = itest_get(anon, "/healthz", false);
	CHECK_STATUS(r, 200, "GET /healthz after the database came back");
	itest_resp_free(&r);
	for (int i = 0; i < 12; i++) {
		r = itest_get(c, "/jobs", false);
		CHECK_STATUS(r, 200, "GET /jobs after the database came back");
		itest_resp_free(&r);
	}
	itest_client_free(anon);
	itest_client_free(c);
}

/* Only a page that needs the session reads it: with the database away, a
 * session cookie (one no cache holds) still gets its 404, its 405, the
 * answer /healthz writes itself and /metrics from this machine, where
 * reading the session would have made each a 503. */
static void a_cookie_costs_no_query_where_no_session_is_needed(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char token[65];
	memset(token, 'f', 64);
	token[64] = '\0';
	itest_set_cookie(c, "hl_session", token);

	CHECK(itest_stack("db-stop") == 0, "stack.sh db-stop failed");

	struct itest_resp r = itest_get(c, "/jobs", false);
	CHECK_STATUS(r, 503, "GET /jobs with a cookie, the database down");
	itest_resp_free(&r);
	r = itest_get(c, "/nope", false);
	CHECK_STATUS(r, 404, "GET /nope with a cookie, the database down");
	itest_resp_free(&r);
	r = itest_request(c, "DELETE", "/jobs", false, NULL, NULL, 0, NULL);
	CHECK_STATUS(r, 405, "DELETE /jobs with a cookie, the database down");
	itest_resp_free(&r);
	r = itest_get(c, "/healthz", false);
	CHECK_STATUS(r, 503, "GET /healthz with a cookie, the database down");
	CHECK_HAS(r, "\"db\":\"unreachable\"", "GET /healthz");
	itest_resp_free(&r);
	r = itest_metrics(c);
	CHECK_STATUS(r, 200, "GET /metrics with a cookie, the database down");
	itest_resp_free(&r);

	CHECK(itest_stack("db-start") == 0, "stack.sh db-start failed");
	r = itest_get(c, "/healthz", false);
	CHECK_STATUS(r, 200, "GET /healthz after the database came back");
	itest_resp_free(&r);
	itest_client_free(c);
}

/* ------------------------------------------------------------ limits and
 * errors */

/* A 2 MiB sign-in form: a real field, far over the 1 MiB form limit. */
static char *two_mib_form(void)
{
	size_t n = 2u << 20;
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, "email=", 6);
	memset(s + 6, 'a', n - 6);
	s[n] = '\0';
	return s;
}

static void two_mib_form_is_too_large(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = itest_get(c, "/login", false);
	itest_resp_free(&r);
	char *big = two_mib_form();
	r = itest_post_form(c, "/login", big);
	CHECK_STATUS(r, 413, "POST /login with 2 MiB");
	CHECK_HAS(r, "too large", "413 page");
	CHECK(itest_contains_ci(content_type(&r), "text/html"),
	      "413 page is not HTML");
	itest_resp_free(&r);
	free(big);
	/* and the connection (or the next one) is still good */
	r = itest_get(c, "/healthz", false);
	CHECK_STATUS(r, 200, "GET /healthz after the 413");
	itest_resp_free(&r);
	itest_client_free(c);
}

static void check_security_headers(const struct itest_resp *r, const char *what,
				   bool static_file)
{
	const char *nosniff = itest_header(r, "X-Content-Type-Options");
	CHECK(nosniff && !strcasecmp(nosniff, "nosniff"),
	      "%s (%ld): X-Content-Type-Options \"%s\"", what, r->status,
	      nosniff ? nosniff : "(none)");
	if (static_file)
		return;
	const char *csp = itest_header(r, "Content-Security-Policy");
	CHECK(csp && strstr(csp, "frame-ancestors 'none'"),
	      "%s (%ld): Content-Security-Policy \"%s\"", what, r->status,
	      csp ? csp : "(none)");
	const char *ref = itest_header(r, "Referrer-Policy");
	CHECK(ref && *ref, "%s (%ld): no Referrer-Policy", what, r->status);
}

static void every_response_carries_security_headers(void)
{
	struct itest_client *anon = itest_client_new(NULL);
	struct itest_client *c = itest_signed_in(&fay);
	struct itest_resp r;

#define SEE(expr, want, what)                                                  \
	do {                                                                   \
		r = (expr);                                                    \
		CHECK_STATUS(r, want, what);                                   \
		check_security_headers(&r, what, false);                       \
		itest_resp_free(&r);                                           \
	} while (0)

	SEE(itest_get(anon, "/login", false), 200, "GET /login");
	SEE(itest_get(c, "/jobs", false), 200, "GET /jobs");
	SEE(itest_get(c, "/jobs", true), 200, "GET /jobs as JSON");
	SEE(itest_get(anon, "/", false), 303, "GET / signed out");
	SEE(itest_get(anon, "/jobs", false), 303, "GET /jobs signed out");
	SEE(itest_get(anon, "/jobs", true), 401,
	    "GET /jobs as JSON signed out");
	SEE(itest_get(anon, "/nope", false), 404, "GET /nope");
	SEE(itest_post_form(anon, "/login", "email=a%40b&password=x"), 403,
	    "POST /login without csrf");
	SEE(itest_request(anon, "DELETE", "/jobs", false, NULL, NULL, 0, NULL),
	    405, "DELETE /jobs");
	SEE(itest_post_form(anon, "/login", "email=%ZZ"), 400,
	    "POST /login with a bad escape");
	char *big = two_mib_form();
	SEE(itest_post_form(anon, "/login", big), 413,
	    "POST /login with 2 MiB");
	free(big);
	SEE(itest_get(anon, "/healthz", false), 200, "GET /healthz");
	SEE(itest_get(anon, "/metrics", false), 401,
	    "GET /metrics without its token");
	SEE(itest_metrics(anon), 200, "GET /metrics with its token");
#undef SEE

	r = itest_get(anon, "/static/hirelink.css", false);
	CHECK_STATUS(r, 200, "GET /static/hirelink.css");
	check_security_headers(&r, "GET /static/hirelink.css", true);
	itest_resp_free(&r);
	itest_client_free(c);
	itest_client_free(anon);
}

static void bad_percent_encoding_is_400_naming_the_field(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = itest_post_form(c, "/login", "email=%ZZ");
	CHECK_STATUS(r, 400, "POST /login email=%ZZ");
	/* the error page names the field by its label (nothing else on it
	 * says "Email") */
	CHECK_HAS(r, "<strong>Email</strong>", "400 page");
	itest_resp_free(&r);
	itest_client_free(c);
}

static void unknown_page_is_404_with_error_page(void)
{
	struct itest_client *anon = itest_client_new(NULL);
	struct itest_resp r = itest_get(anon, "/nope", false);
	CHECK_STATUS(r, 404, "GET /nope");
	CHECK(itest_contains_ci(content_type(&r), "text/html"),
	      "404 page is not HTML");
	CHECK_HAS(r, "Page not found", "404 page");
	CHECK(itest_contains_ci(r.body, "request id"),
	      "404 page has no request id");
	CHECK_HAS(r, "href=\"/\"", "404 page has no way back");
	itest_resp_free(&r);
	itest_client_free(anon);

	/* Signed in, a page's error page keeps the navigation. */
	struct itest_client *c = itest_signed_in(&fay);
	r = itest_get(c, "/jobs/999999999", false);
	CHECK_STATUS(r, 404, "GET /jobs/999999999 signed in");
	CHECK_HAS(r, ">Talent pools</a>", "signed-in 404 page");
	CHECK_HAS(r, fay.name, "signed-in 404 page");
	itest_resp_free(&r);
	/* An address no page answers reads no session: a visitor's 404. */
	r = itest_get(c, "/jobs/nope/nothing", false);
	CHECK_STATUS(r, 404, "GET /jobs/nope/nothing signed in");
	CHECK_LACKS(r, ">Talent pools</a>", "404 page of an unknown address");
	CHECK_LACKS(r, fay.name, "404 page of an unknown address");
	itest_resp_free(&r);
	itest_client_free(c);
}

static void wrong_method_is_405_with_allow_header(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r =
	    itest_request(c, "DELETE", "/jobs", false, NULL, NULL, 0, NULL);
	CHECK_STATUS(r, 405, "DELETE /jobs");
	const char *allow = itest_header(&r, "Allow");
	CHECK(allow && strstr(allow, "GET") && !strstr(allow, "DELETE"),
	      "DELETE /jobs: Allow \"%s\"", allow ? allow : "(none)");
	CHECK_HAS(r, "Method not allowed", "405 page");
	itest_resp_free(&r);

	r = itest_request(c, "PUT", "/login", false, NULL, NULL, 0, NULL);
	CHECK_STATUS(r, 405, "PUT /login");
	allow = itest_header(&r, "Allow");
	CHECK(allow && strstr(allow, "GET") && strstr(allow, "POST"),
	      "PUT /login: Allow \"%s\"", allow ? allow : "(none)");
	itest_resp_free(&r);
	itest_client_free(c);
}

/* ------------------------------------------------------------ JSON */

static void json_is_offered_for_the_same_url(void)
{
	struct itest_client *c = itest_signed_in(&fay);
	struct itest_resp r = itest_get(c, "/jobs", true);
	CHECK_STATUS(r, 200, "GET /jobs as JSON");
	const char *ct = itest_header(&r, "Content-Type");
	CHECK(ct && !strncmp(ct, "application/json", 16), "Content-Type \"%s\"",
	      ct ? ct : "(none)");
	json_error_t err;
	json_t *v = json_loadb(r.body, r.len, 0, &err);
	CHECK(v != NULL, "GET /jobs JSON does not parse: %s", err.text);
	CHECK(json_is_array(json_object_get(v, "jobs")), "no \"jobs\" array");
	CHECK(json_is_integer(json_object_get(v, "total")),
	      "no \"total\" number");
	/* The template's furniture is not part of the data. */
	CHECK(!json_object_get(v, "csrf"), "JSON carries the csrf token");
	json_decref(v);
	itest_resp_free(&r);

	r = itest_get(c, "/nope", true);
	CHECK_STATUS(r, 404, "GET /nope as JSON");
	ct = itest_header(&r, "Content-Type");
	CHECK(ct && !strncmp(ct, "application/json", 16), "Content-Type \"%s\"",
	      ct ? ct : "(none)");
	v = json_loadb(r.body, r.len, 0, &err);
	json_int_t status = 0;
	const char *message = NULL;
	CHECK(v && !json_unpack_ex(v, &err, 0, "{s:{s:I, s:s}}", "error",
				   "status", &status, "message", &message),
	      "JSON 404 is not {\"error\":{\"status\":..,\"message\":..}}: %s",
	      err.text);
	CHECK(status == 404, "error.status %lld", (long long)status);
	json_decref(v);
	itest_resp_free(&r);
	itest_client_free(c);

	/* A signed-out API client gets 401, not a redirect to a form. */
	struct itest_client *anon = itest_client_new(NULL);
	r = itest_get(anon, "/jobs", true);
	CHECK_STATUS(r, 401, "GET /jobs as JSON signed out");
	v = json_loadb(r.body, r.len, 0, &err);
	CHECK(v && json_integer_value(json_object_get(
		       json_object_get(v, "error"), "status")) == 401,
	      "JSON 401 has no error.status 401");
	json_decref(v);
	itest_resp_free(&r);
	itest_client_free(anon);
}

/* ------------------------------------------------------------ jobs */

/* The href of the link with rel="next" (or prev), unescaped; new or NULL. */
static char *rel_link(const char *html, const char *rel)
{
	struct buf want = BUF_INIT;
	buf_addf(&want, "rel=\"%s\"", rel);
	const char *at = strstr(html, want.data);
	buf_release(&want);
	if (!at)
		return NULL;
	const char *tag = at;
	while (tag > html && *tag != '<')
		tag--;
	struct buf t = BUF_INIT;
	buf_add(&t, tag, (size_t)(at - tag) + 1);
	char *href = itest_between(t.data, "href=\"", "\"");
	buf_release(&t);
	return href;
}

static void jobs_page_lists_jobs_and_paginates(void)
{
	char *prefix = itest_unique("Pagetest");
	struct buf sql = BUF_INIT;
	buf_adds(&sql,
		 "INSERT INTO jobs (title, location, description, status) "
		 "VALUES ");
	for (int i = 1; i <= 60; i++)
		buf_addf(&sql, "%s('%s job %02d', 'Testville', '', 'active')",
			 i > 1 ? ", " : "", prefix, i);
	buf_adds(&sql, ";\n");
	CHECK(!buf_failed(&sql) && itest_sql(sql.data) == 0,
	      "cannot insert the jobs");
	buf_release(&sql);

	struct itest_client *c = itest_signed_in(&fay);
	struct buf url = BUF_INIT, row = BUF_INIT;
	buf_addf(&url, "/jobs?q=%s", prefix);
	buf_addf(&row, ">%s job ", prefix);

	struct itest_resp r = itest_get(c, url.data, false);
	CHECK_STATUS(r, 200, url.data);
	size_t n = itest_count(r.body, row.data);
	CHECK(n == 50, "page 1 shows %zu jobs, want 50", n);
	CHECK(itest_has(&r, "job 60<") && !itest_has(&r, "job 10<"),
	      "page 1 is not the newest 50 (60 down to 11)");
	char *next = rel_link(r.body, "next");
	CHECK(next != NULL, "page 1 has no Next link");
	char *prev = rel_link(r.body, "prev");
	CHECK(prev == NULL, "page 1 has a Previous link: %s", prev ? prev : "");
	free(prev);
	itest_resp_free(&r);

	r = itest_get(c, next ? next : "/jobs?page=2", false);
	CHECK_STATUS(r, 200, next ? next : "page 2");
	n = itest_count(r.body, row.data);
	CHECK(n == 10, "page 2 shows %zu jobs, want 10", n);
	CHECK(itest_has(&r, "job 01<"), "page 2 lacks the oldest job");
	char *none = rel_link(r.body, "next");
	CHECK(none == NULL, "the last page has a Next link: %s",
	      none ? none : "");
	free(none);
	prev = rel_link(r.body, "prev");
	CHECK(prev != NULL, "page 2 has no Previous link");
	free(prev);
	itest_resp_free(&r);
	free(next);

	r = itest_get(c, url.data, true);
	json_t *v = json_loadb(r.body, r.len, 0, NULL);
	CHECK(json_integer_value(json_object_get(v, "total")) == 60,
	      "JSON total is not 60");
	CHECK(json_array_size(json_object_get(v, "jobs")) == 50,
	      "JSON page holds %zu jobs, want 50",
	      json_array_size(json_object_get(v, "jobs")));
	json_decref(v);
	itest_resp_free(&r);

	/* past the end: the last page instead, and why */
	buf_adds(&url, "&page=99");
	r = itest_get(c, url.data, false);
	CHECK_STATUS(r, 303, url.data);
	CHECK(strstr(itest_location(&r), "page=2") != NULL,
	      "page 99 of 2: to page 2, not %s", itest_location(&r));
	itest_resp_free(&r);

	r = itest_get(c, "/jobs?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", false);
	CHECK_STATUS(r, 200, "GET /jobs?q=<script>");
	CHECK_HAS(r, "&lt;script&gt;alert(1)", "search for <script>");
	CHECK_LACKS(r, "<script>alert", "search for <script>");
	itest_resp_free(&r);

	r = itest_get(c, "/jobs?status=bogus", false);
	CHECK_STATUS(r, 400, "GET /jobs?status=bogus");
	CHECK_HAS(r, "must be active, draft, closed or all",
		  "GET /jobs?status=bogus");
	itest_resp_free(&r);

	buf_release(&url);
	buf_release(&row);
	free(prefix);
	itest_client_free(c);
}

/* ------------------------------------------------------------ machines */

static void metrics_counts_requests(void)
{
	static const char series[] =
	    "hirelink_requests_total{route=\"GET /healthz\",status=\"200\"}";
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = itest_get(c, "/healthz", false);
	itest_resp_free(&r);

	r = itest_metrics(c);
	CHECK_STATUS(r, 200, "GET /metrics");
	const char *ct = itest_header(&r, "Content-Type");
	CHECK(ct && !strncmp(ct, "text/plain", 10), "Content-Type \"%s\"",
	      ct ? ct : "(none)");
	CHECK_HAS(r, "hirelink_requests_total{", "metrics");
	CHECK_HAS(r, "hirelink_request_duration_seconds_bucket{le=", "metrics");
	CHECK_HAS(r, "hirelink_db_errors_total", "metrics");
	long before = itest_metric(r.body, series);
	CHECK(before >= 1, "GET /healthz was not counted (%ld)", before);
	itest_resp_free(&r);

	r = itest_get(c, "/healthz", false);
	itest_resp_free(&r);
	r = itest_metrics(c);
	long after = itest_metric(r.body, series);
	CHECK(after == before + 1, "GET /healthz counted %ld then %ld", before,
	      after);
	itest_resp_free(&r);
	itest_client_free(c);
}

/* /metrics trusts no address: from loopback too it wants its bearer token
 * (metrics_token), or an admin's session (test_permissions).  Any local
 * user can reach nginx, so "from this machine" proved nothing (issue 17). */
static void metrics_want_the_bearer_token(void)
{
	struct itest_client *c = itest_client_new("127.0.0.1");
	struct itest_resp r = itest_get(c, "/metrics", false);
	CHECK_STATUS(r, 401, "GET /metrics from 127.0.0.1 without a token");
	const char *wa = itest_header(&r, "WWW-Authenticate");
	CHECK(wa && !strncmp(wa, "Bearer", 6), "WWW-Authenticate \"%s\"",
	      wa ? wa : "(none)");
	CHECK_LACKS(r, "hirelink_requests_total", "no token");
	itest_resp_free(&r);

	char *token = itest_metrics_token();
	CHECK(strlen(token) >= 32, "the stack's metrics_token \"%s\"", token);
	char *wrong = itest_strdup(token);
	wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
	const char *const bad[] = {"Authorization: Bearer", "Authorization: "
				   "Basic aGk6dGhlcmU=", NULL, NULL};
	char *h1 = itest_fmt("Authorization: Bearer %s", wrong);
	char *h2 = itest_fmt("Authorization: Bearer %s%s", token, token);
	const char *const all[] = {bad[0], bad[1], h1, h2};
	for (size_t i = 0; i < ARRAY_LEN(all); i++) {
		r = itest_request(c, "GET", "/metrics", false, NULL, NULL, 0,
				  all[i]);
		CHECK_STATUS(r, 401, all[i]);
		CHECK_LACKS(r, "hirelink_requests_total", all[i]);
		itest_resp_free(&r);
	}
	char *h = itest_fmt("Authorization: bearer %s", token);
	r = itest_request(c, "GET", "/metrics", false, NULL, NULL, 0, h);
	CHECK_STATUS(r, 200, "GET /metrics with the token");
	CHECK_HAS(r, "hirelink_requests_total{", "with the token");
	itest_resp_free(&r);
	free(h);
	free(h2);
	free(h1);
	free(wrong);
	free(token);
	itest_client_free(c);
}

static void healthz_ok(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = itest_get(c, "/healthz", false);
	CHECK_STATUS(r, 200, "GET /healthz");
	const char *ct = itest_header(&r, "Content-Type");
	CHECK(ct && !strncmp(ct, "application/json", 16), "Content-Type \"%s\"",
	      ct ? ct : "(none)");
	json_t *v = json_loadb(r.body, r.len, 0, NULL);
	const char *st = json_string_value(json_object_get(v, "status"));
	CHECK(st && !strcmp(st, "ok"), "status \"%s\"", st ? st : "(none)");
	json_decref(v);
	itest_resp_free(&r);
	itest_client_free(c);
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

/* Far more requests at once than hirelink has threads (4 in the test
 * stack) and than the old fixed listen backlog of 128: each waits its turn
 * in the socket's queue and is answered; none gets nginx's 502. */
static void a_crowd_far_past_the_threads_is_queued_not_refused(void)
{
	enum { CROWD = 400 };
	CURLM *m = curl_multi_init();
	CURL *e[CROWD];
	char *url = itest_fmt("%s/login", itest_base_url());
	for (int i = 0; i < CROWD; i++) {
		e[i] = curl_easy_init();
		curl_easy_setopt(e[i], CURLOPT_URL, url);
		curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(e[i], CURLOPT_TIMEOUT, 60L);
		curl_multi_add_handle(m, e[i]);
	}
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)CROWD);
	int running = 1;
	while (running) {
		curl_multi_perform(m, &running);
		if (running)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	}
	int ok = 0, refused = 0, other = 0;
	for (int i = 0; i < CROWD; i++) {
		long st = 0;
		curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &st);
		ok += st == 200;
		refused += st == 502;
		other += st != 200 && st != 502;
		curl_multi_remove_handle(m, e[i]);
		curl_easy_cleanup(e[i]);
	}
	curl_multi_cleanup(m);
	free(url);
	CHECK(ok == CROWD, "%d of %d answered 200; %d got 502, %d another "
	      "status or none", ok, CROWD, refused, other);
}

/* ------------------------------------------------------------ main */

int main(void)
{
	static const struct test tests[] = {
	    TEST(healthz_ok),
	    TEST(a_crowd_far_past_the_threads_is_queued_not_refused),
	    TEST(login_with_right_password_lands_on_jobs),
	    TEST(login_returns_to_the_page_asked_for),
	    TEST(login_never_sends_you_to_another_site),
	    TEST(login_with_wrong_password_is_refused),
	    TEST(unknown_email_is_refused_the_same_way),
	    TEST(xss_in_login_email_is_escaped),
	    TEST(post_without_csrf_is_forbidden),
	    TEST(logout_ends_the_session),
	    TEST(a_session_ended_elsewhere_ends_here_within_the_cache_bound),
	    TEST(session_cookie_is_httponly_and_samesite),
	    TEST(a_flood_of_foreign_cookies_locks_no_one_out),
	    TEST(session_token_rotates_on_login),
	    TEST(two_mib_form_is_too_large),
	    TEST(bad_percent_encoding_is_400_naming_the_field),
	    TEST(every_response_carries_security_headers),
	    TEST(unknown_page_is_404_with_error_page),
	    TEST(wrong_method_is_405_with_allow_header),
	    TEST(json_is_offered_for_the_same_url),
	    TEST(jobs_page_lists_jobs_and_paginates),
	    TEST(metrics_counts_requests),
	    TEST(metrics_want_the_bearer_token),
	    TEST(session_survives_app_restart),
	    TEST(database_outage_gives_503_then_recovers),
	    TEST(a_cookie_costs_no_query_where_no_session_is_needed),
	};
	static const struct suite suites[] = {
	    SUITE("foundation", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
