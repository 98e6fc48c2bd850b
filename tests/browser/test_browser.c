/*
 * test_browser.c - what a recruiter sees in a real browser (headless
 * Chromium through chromedriver) on the real stack: signing in through the
 * form, the page styled by its stylesheet under hirelink's CSP, signing out,
 * and a phone's 375 px: the public job page LinkedIn sends applicants to
 * and a signed-in job page, neither scrolling sideways.
 * Screenshots land in the test log folder for a human to look at.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"
#include "browse.h"

static char *email;
static const char *password = "browser-pass-1";

static void wrong_password_shows_the_message_in_the_form(void)
{
	br_go(br_url("/login"));
	br_type("input[name=email]", email);
	br_type("input[name=password]", "not-the-password");
	br_click("form[action='/login'] button[type=submit]");
	/* the click starts a navigation; wait for the answer to render */
	char *msg = NULL;
	for (int i = 0; i < 50; i++) {
		free(msg);
		msg = br_eval_string("var e = document.querySelector('.error');"
				     "return e ? e.textContent : '';");
		if (msg && *msg)
			break;
		usleep(100 * 1000);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "do not match"));
	free(msg);
	char *u = wd_url(br_wd);
	CU_ASSERT_PTR_NOT_NULL(u && strstr(u, "/login"));
	free(u);
	br_shot("browser-wrong-password");
}

static void sign_in_through_the_form_shows_the_jobs_page(void)
{
	br_go(br_url("/jobs"));
	/* signed out: sent to the sign-in form, which brings us back */
	CU_ASSERT_TRUE(wd_wait_url(br_wd, "/login?next=", 3000));
	br_type("input[name=email]", email);
	br_type("input[name=password]", password);
	br_click("form[action='/login'] button[type=submit]");
	CU_ASSERT_TRUE_FATAL(wd_wait_url(br_wd, "/jobs", 5000));
	char *title = wd_title(br_wd);
	CU_ASSERT_STRING_EQUAL(title ? title : "", "Jobs · hirelink");
	free(title);
	char *nav = br_eval_string(
	    "return Array.from(document.querySelectorAll("
	    "'nav.sidenav a')).map(a => a.textContent).join('|');");
	CU_ASSERT_STRING_EQUAL(nav ? nav : "", "Jobs|Talent pools|Candidates");
	free(nav);
	char *who = br_eval_string(
	    "return document.querySelector('.who').textContent;");
	CU_ASSERT_STRING_EQUAL(who ? who : "", "Browser Recruiter");
	free(who);
	/* The stylesheet loaded under the CSP: the top bar has its height. */
	char *h =
	    br_eval_string("return getComputedStyle(document.querySelector("
			   "'.topbar')).height;");
	CU_ASSERT_STRING_EQUAL(h ? h : "", "52px");
	free(h);
	br_shot("browser-jobs");
}

static void sign_out_button_ends_the_session(void)
{
	br_click("form[action='/logout'] button");
	CU_ASSERT_TRUE(wd_wait_url(br_wd, "/login", 5000));
	br_go(br_url("/jobs"));
	CU_ASSERT_TRUE(wd_wait_url(br_wd, "/login?next=", 3000));
}

/* ------------------------------------------------------------ phones */

static long long phone_job; /* an active job, made through the app */

/* The public job page LinkedIn sends applicants to, signed out, at 375 px:
 * nothing sticks out sideways (a long title, a long unbroken link in the
 * description), the title is the job's, how to apply is there. */
static void the_public_job_page_fits_a_phone(void)
{
	CU_ASSERT_FATAL(phone_job > 0);
	char *path = NULL;
	CU_ASSERT_FATAL(asprintf(&path, "/careers/J-%05lld", phone_job) > 0);
	CU_ASSERT_EQUAL_FATAL(wd_viewport(br_wd, 375, 800), 0);
	br_go(br_url(path));
	CU_ASSERT_EQUAL(br_overflow_px(), 0);
	char *h1 =
	    br_eval_string("return document.querySelector('h1').textContent;");
	CU_ASSERT_STRING_EQUAL(h1 ? h1 : "",
			       "Senior Site Reliability Engineer, Payments "
			       "Infrastructure");
	free(h1);
	char *apply = br_eval_string("var e = document.querySelector("
				     "'.how-to-apply h2'); return e ? "
				     "e.textContent : '';");
	CU_ASSERT_STRING_EQUAL(apply ? apply : "", "How to apply");
	free(apply);
	/* the job id stays on one line */
	json_t *lines =
	    wd_eval(br_wd, "var e = document.querySelector('.job-id');"
			   "return e.getClientRects().length;");
	CU_ASSERT_EQUAL(json_integer_value(lines), 1);
	json_decref(lines);
	br_shot("browser-careers-375");
	wd_viewport(br_wd, 0, 0);
	free(path);
}

/* A signed-in page at 375 px: the side navigation becomes a row above the
 * page instead of eating half the screen, and nothing scrolls sideways
 * (the job page's tables scroll in their own box). */
static void a_job_page_fits_a_phone_signed_in(void)
{
	CU_ASSERT_FATAL(phone_job > 0);
	CU_ASSERT_EQUAL_FATAL(wd_viewport(br_wd, 375, 800), 0);
	CU_ASSERT_TRUE_FATAL(br_signin_as(email, password));
	char *path = NULL;
	CU_ASSERT_FATAL(asprintf(&path, "/jobs/%lld", phone_job) > 0);
	br_go(br_url(path));
	CU_ASSERT_EQUAL(br_overflow_px(), 0);
	json_t *nav =
	    wd_eval(br_wd, "var n = document.querySelector('nav.sidenav')"
			   ".getBoundingClientRect(), m = document."
			   "querySelector('main').getBoundingClientRect();"
			   "return n.width >= 360 && n.bottom <= m.top + 1;");
	CU_ASSERT_TRUE(json_is_true(nav));
	json_decref(nav);
	br_shot("browser-job-375");
	wd_viewport(br_wd, 0, 0);
	free(path);
}

/* An active job with a long title and a long unbroken link, made as the
 * recruiter through the app's own forms; its id or 0. */
static long long make_phone_job(void)
{
	struct itest_client *c = itest_signed_in_as(email, password);
	char *csrf = c ? itest_csrf_of(c, "/jobs") : NULL;
	long long id = 0;
	if (csrf) {
		struct itest_resp r = itest_post(
		    c, "/jobs", false, csrf, "title",
		    "Senior Site Reliability Engineer, Payments Infrastructure",
		    "location", "Berlin, Germany", "description",
		    "Keep payments up.\n\nRead first: https://engineering."
		    "example.com/handbook/reliability/on-call-and-incident-"
		    "response-for-the-payments-platform-2026-edition",
		    NULL);
		if (r.status != 303 ||
		    sscanf(itest_location(&r), "/jobs/%lld", &id) != 1)
			id = 0;
		itest_resp_free(&r);
	}
	if (id) {
		char *act = NULL;
		if (asprintf(&act, "/jobs/%lld/activate", id) > 0) {
			struct itest_resp r =
			    itest_post(c, act, false, csrf, NULL);
			if (r.status != 303)
				id = 0;
			itest_resp_free(&r);
		}
		free(act);
	}
	free(csrf);
	itest_client_free(c);
	return id;
}

static int suite_init(void)
{
	char *u = itest_unique("browser");
	if (asprintf(&email, "%s@test.hirelink", u) < 0)
		email = NULL;
	free(u);
	if (!email)
		return 1;
	if (itest_useradd(email, "Browser Recruiter", "recruiter", "recruiter",
			  password) != 0)
		return 1;
	phone_job = make_phone_job();
	br_wd = wd_start();
	return br_wd ? 0 : 1;
}

static int suite_clean(void)
{
	wd_stop(br_wd);
	free(email);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(wrong_password_shows_the_message_in_the_form),
	    TEST(sign_in_through_the_form_shows_the_jobs_page),
	    TEST(sign_out_button_ends_the_session),
	    TEST(the_public_job_page_fits_a_phone),
	    TEST(a_job_page_fits_a_phone_signed_in),
	};
	static const struct suite suites[] = {
	    SUITE("browser", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
