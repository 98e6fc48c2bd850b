/*
 * test_browser.c - what a recruiter sees in a real browser (headless
 * Chromium through chromedriver) on the real stack: signing in through the
 * form, the page styled by its stylesheet under hirelink's CSP, signing out.
 * Screenshots land in the test log folder for a human to look at.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"
#include "webdriver.h"

static struct wd *wd;
static char *email;
static const char *password = "browser-pass-1";

static char *url(const char *path)
{
	char *u = NULL;
	if (asprintf(&u, "%s%s", itest_base_url(), path) < 0)
		return NULL;
	return u;
}

static void go(const char *path)
{
	char *u = url(path);
	CU_ASSERT_EQUAL_FATAL(wd_go(wd, u), 0);
	free(u);
}

static void type_into(const char *css, const char *text)
{
	char *e = wd_find(wd, css);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(wd_type(wd, e, text), 0);
	free(e);
}

static void click(const char *css)
{
	char *e = wd_find(wd, css);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(wd_click(wd, e), 0);
	free(e);
}

static char *eval_string(const char *script)
{
	json_t *v = wd_eval(wd, script);
	char *s = json_is_string(v) ? strdup(json_string_value(v)) : NULL;
	json_decref(v);
	return s;
}

static void shot(const char *name)
{
	char path[512];
	const char *dir = getenv("HIRELINK_TEST_LOGS");
	snprintf(path, sizeof(path), "%s/%s.png", dir ? dir : "/tmp", name);
	wd_screenshot(wd, path);
}

static void wrong_password_shows_the_message_in_the_form(void)
{
	go("/login");
	type_into("input[name=email]", email);
	type_into("input[name=password]", "not-the-password");
	click("form[action='/login'] button[type=submit]");
	/* the click starts a navigation; wait for the answer to render */
	char *msg = NULL;
	for (int i = 0; i < 50; i++) {
		free(msg);
		msg = eval_string("var e = document.querySelector('.error');"
				  "return e ? e.textContent : '';");
		if (msg && *msg)
			break;
		usleep(100 * 1000);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "do not match"));
	free(msg);
	char *u = wd_url(wd);
	CU_ASSERT_PTR_NOT_NULL(u && strstr(u, "/login"));
	free(u);
	shot("browser-wrong-password");
}

static void sign_in_through_the_form_shows_the_jobs_page(void)
{
	go("/jobs");
	/* signed out: sent to the sign-in form, which brings us back */
	CU_ASSERT_TRUE(wd_wait_url(wd, "/login?next=", 3000));
	type_into("input[name=email]", email);
	type_into("input[name=password]", password);
	click("form[action='/login'] button[type=submit]");
	CU_ASSERT_TRUE_FATAL(wd_wait_url(wd, "/jobs", 5000));
	char *title = wd_title(wd);
	CU_ASSERT_STRING_EQUAL(title ? title : "", "Jobs · hirelink");
	free(title);
	char *nav = eval_string("return Array.from(document.querySelectorAll("
				"'nav.sidenav a')).map(a => a.textContent).join('|');");
	CU_ASSERT_STRING_EQUAL(nav ? nav : "", "Jobs|Talent pools|Candidates");
	free(nav);
	char *who = eval_string("return document.querySelector('.who').textContent;");
	CU_ASSERT_STRING_EQUAL(who ? who : "", "Browser Recruiter");
	free(who);
	/* The stylesheet loaded under the CSP: the top bar has its height. */
	char *h = eval_string("return getComputedStyle(document.querySelector("
			      "'.topbar')).height;");
	CU_ASSERT_STRING_EQUAL(h ? h : "", "52px");
	free(h);
	shot("browser-jobs");
}

static void sign_out_button_ends_the_session(void)
{
	click("form[action='/logout'] button");
	CU_ASSERT_TRUE(wd_wait_url(wd, "/login", 5000));
	go("/jobs");
	CU_ASSERT_TRUE(wd_wait_url(wd, "/login?next=", 3000));
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
	wd = wd_start();
	return wd ? 0 : 1;
}

static int suite_clean(void)
{
	wd_stop(wd);
	free(email);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(wrong_password_shows_the_message_in_the_form),
	    TEST(sign_in_through_the_form_shows_the_jobs_page),
	    TEST(sign_out_button_ends_the_session),
	};
	static const struct suite suites[] = {
	    SUITE("browser", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
