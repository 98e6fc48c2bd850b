/*
 * test_sandbox_widget_browser.c - the sandbox's profile widget in headless
 * Chromium: the loader (/xdoor/scripts/in.js) turns the placeholder on a
 * page into the widget's iframe, the iframe's Unlink reaches the page's
 * data-onunlink function with the member's URN, a message forged by the
 * page itself reaches no callback, a signed-in Recruiter gets the full
 * profile inside the frame, and a page on a domain the application did not
 * declare gets no widget.  The page is the sandbox's widget demo
 * (/sandbox/widget-demo), whose origin the test declares for the
 * application for the time of the test.  hirelink's own page is
 * app-side (issue 15).
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"
#include "browse.h"

static const struct itest_li_app *li;
static char *member_id; /* the crafted member "email_and_id" */
static char *recruiter;	/* a Recruiter seat holder's member id */

/* Evaluates script every 100 ms for up to ms until it returns a string
 * containing want; the last value (new), "" when none. */
static char *wait_for(const char *script, const char *want, int ms)
{
	char *v = NULL;
	for (int i = 0; i < ms / 100; i++) {
		free(v);
		v = br_eval_string(script);
		if (v && strstr(v, want))
			return v;
		usleep(100 * 1000);
	}
	return v ? v : strdup("");
}

/* Declares the domains of application 1: the first instance's, and the
 * sandbox's own when with_sandbox. */
static void declare(bool with_sandbox)
{
	struct itest_client *c = itest_client_new(NULL);
	char *json = itest_fmt("{\"clientId\": \"%s\", \"validJsSdkDomains\":"
			       " [\"%s\"%s%s%s]}",
			       li->client_id, itest_base_url(),
			       with_sandbox ? ", \"" : "",
			       with_sandbox ? itest_sandbox_url() : "",
			       with_sandbox ? "\"" : "");
	char *url = itest_fmt("%s/sandbox/applications/jsSdkDomains",
			      itest_sandbox_url());
	struct itest_resp r = itest_post_raw(c, url, "application/json", json,
					     strlen(json), NULL);
	CHECK_STATUS(r, 200, "the application's validJsSdkDomains");
	itest_resp_free(&r);
	free(url);
	free(json);
	itest_client_free(c);
}

static void demo(void)
{
	char *u = itest_fmt("%s/sandbox/widget-demo?clientId=%s&"
			    "atsCandidateId=browser-1&member=urn:li:person:%s",
			    itest_sandbox_url(), li->client_id, member_id);
	CU_ASSERT_EQUAL_FATAL(wd_go(br_wd, u), 0);
	free(u);
}

/* What the widget's frame shows: ".li-widget" classes and the name. */
static const char frame_state[] =
    "var f = document.querySelector('iframe.IN-widget');"
    "if (!f) return 'no iframe';"
    "var d; try { d = f.contentDocument; } catch (e) { return 'blocked'; }"
    "if (!d) return 'blocked';"
    "var s = d.querySelector('section.li-widget');"
    "var n = d.querySelector('.li-name');"
    "return s ? s.className + ' | ' + (n ? n.textContent : '') : 'empty';";

static const char calls[] =
    "return Array.from(document.querySelectorAll('#calls li'))"
    ".map(function (l) { return l.textContent; }).join(',');";

static void loader_turns_the_placeholder_into_the_widget(void)
{
	declare(true);
	demo();
	char *state = wait_for(frame_state, "li-widget-basic", 5000);
	CHECK(strstr(state, "li-widget-basic") && strstr(state, "Marisol"),
	      "signed out: the basic profile in the iframe: %s", state);
	free(state);
	char *src = br_eval_string("return document.querySelector("
				   "'iframe.IN-widget').src;");
	CHECK(src && strstr(src, "/recruiter/widget/hcm?") &&
		  strstr(src, "origin=") && strstr(src, li->client_id),
	      "the iframe is the widget page, with the page's origin: %s",
	      src ? src : "");
	free(src);
	char *left =
	    br_eval_string("return String(document.querySelectorAll("
			   "'script[type=\"IN/HcmWidget\"]').length);");
	CHECK(left && !strcmp(left, "0"), "the placeholder is replaced");
	free(left);
	br_shot("sandbox-widget-basic");
}

static void unlink_in_the_widget_calls_the_pages_function(void)
{
	json_decref(wd_eval(br_wd,
			    "document.querySelector('iframe.IN-widget')"
			    ".contentDocument.querySelector("
			    "'button[data-li-action=\"unlink\"]').click();"
			    "return 1;"));
	char *want = itest_fmt("unlink urn:li:person:%s", member_id);
	char *got = wait_for(calls, want, 3000);
	CHECK(!strcmp(got, want), "data-onunlink got the member: %s", got);
	free(got);
	/* the page itself posts a message like the widget's: no call */
	json_decref(wd_eval(br_wd, "window.postMessage({type: 'IN/HcmWidget',"
				   " widgetId: 'li-hcm-1', action: 'link',"
				   " member: 'urn:li:person:forged'}, '*');"
				   "return 1;"));
	usleep(500 * 1000);
	got = br_eval_string(calls);
	CHECK(got && !strcmp(got, want),
	      "a message not from the widget's iframe calls nothing: %s",
	      got ? got : "");
	free(got);
	free(want);
}

static void a_signed_in_recruiter_gets_the_full_profile(void)
{
	char *u = itest_fmt("%s/login?next=/", itest_sandbox_url());
	CU_ASSERT_EQUAL_FATAL(wd_go(br_wd, u), 0);
	free(u);
	char *script = itest_fmt(
	    "var s = document.querySelector('select[name=member]');"
	    "s.value = '%s'; s.form.submit(); return 1;",
	    recruiter);
	json_decref(wd_eval(br_wd, script));
	free(script);
	usleep(500 * 1000);
	demo();
	char *state = wait_for(frame_state, "li-widget-full", 5000);
	CHECK(strstr(state, "li-widget-full"),
	      "a Recruiter seat: the full profile: %s", state);
	free(state);
	char *form =
	    br_eval_string("var d = document.querySelector('iframe.IN-widget')"
			   ".contentDocument; return d.querySelector("
			   "'form.li-send-inmail') ? 'inmail' : 'none';");
	CHECK(form && !strcmp(form, "inmail"), "Send InMail is offered");
	free(form);
	br_shot("sandbox-widget-full");
}

static void an_undeclared_domain_gets_no_widget(void)
{
	declare(false);
	demo();
	usleep(1500 * 1000);
	char *state = br_eval_string(frame_state);
	CHECK(state && !strstr(state, "li-widget"),
	      "the sandbox's page is not a declared domain now: %s",
	      state ? state : "");
	free(state);
}

static int suite_init(void)
{
	li = itest_li_app();
	if (!li)
		return 1;
	member_id = itest_sandbox_sql_str(
	    "SELECT urn_id FROM members WHERE crafted = 'email_and_id'");
	recruiter = itest_strdup(li->recruiter.id);
	if (!*member_id)
		return 1;
	br_wd = wd_start();
	return br_wd ? 0 : 1;
}

static int suite_clean(void)
{
	if (li)
		declare(false);
	wd_stop(br_wd);
	free(member_id);
	free(recruiter);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(loader_turns_the_placeholder_into_the_widget),
	    TEST(unlink_in_the_widget_calls_the_pages_function),
	    TEST(a_signed_in_recruiter_gets_the_full_profile),
	    TEST(an_undeclared_domain_gets_no_widget),
	};
	static const struct suite suites[] = {
	    SUITE("sandbox_widget_browser", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
