/*
 * test_linkedin_closed_browser.c - issue 16's pages as their users see them
 * in headless Chromium, at 1366 and at 375 px wide: an admin's closed
 * LinkedIn profiles page (/admin/linkedin/closed) with more members than
 * one page holds, paged, nothing scrolling sideways on a phone; and the
 * sandbox's profile widget showing a member who closed their account as
 * unavailable.  Screenshots land in the test log folder for a human to
 * look at.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"
#include "browse.h"

static char *email, *run;
static const char *password = "browser-pass-1";

static void the_closed_profiles_page_is_paged_at_both_widths(void)
{
	CU_ASSERT_TRUE_FATAL(br_signin_as(email, password));
	static const int widths[] = {1366, 375};
	for (size_t i = 0; i < ARRAY_LEN(widths); i++) {
		CU_ASSERT_EQUAL_FATAL(wd_viewport(br_wd, widths[i], 900), 0);
		br_go(br_url("/admin/linkedin/closed?page=2"));
		char *h = br_eval_string("var e = document.querySelector('h1');"
					 "return e ? e.textContent : '';");
		CU_ASSERT_STRING_EQUAL(h ? h : "", "Closed LinkedIn profiles");
		free(h);
		char *pager = br_eval_string(
		    "var e = document.querySelector('nav.pager');"
		    "return e ? e.textContent.replace(/\\s+/g, ' ') : '';");
		CU_ASSERT_PTR_NOT_NULL(pager && strstr(pager, "Page 2 of"));
		CU_ASSERT_PTR_NOT_NULL(pager && strstr(pager, "Previous"));
		free(pager);
		json_t *rows =
		    wd_eval(br_wd, "return document.querySelectorAll("
				   "'tr.closed-row').length;");
		CU_ASSERT(json_integer_value(rows) >= 1 &&
			  json_integer_value(rows) <= 50);
		json_decref(rows);
		if (widths[i] == 375)
			CU_ASSERT_EQUAL(br_overflow_px(), 0);
		char *name = itest_fmt("browser-closed-profiles-%d", widths[i]);
		br_shot(name);
		free(name);
	}
	wd_viewport(br_wd, 0, 0);
}

static void a_closed_member_in_the_widget_is_unavailable(void)
{
	const struct itest_li_app *li = itest_li_app();
	CU_ASSERT_PTR_NOT_NULL_FATAL(li);
	char *member = itest_sandbox_sql_str(
	    "SELECT urn_id FROM members WHERE id >= %d AND seat = 'none' "
	    "ORDER BY id LIMIT 1",
	    4000 + (int)(getpid() % 50) * 4);
	CU_ASSERT_FATAL(*member);
	char *body = itest_fmt("{\"member\":\"%s\"}", member);
	struct itest_resp r =
	    itest_sandbox_post("/sandbox/members/close", body);
	CU_ASSERT_EQUAL(r.status, 200);
	itest_resp_free(&r);
	char *q = itest_fmt("urn:li:person:%s", member);
	char *form = itest_form("api_key", li->client_id, "atsCandidateId",
				"browser-closed", "integrationContext",
				li->organization, "member", q, "origin",
				itest_base_url(), "widgetId", "li-hcm-1", NULL);
	char *path = itest_fmt("/recruiter/widget/hcm?%s", form);
	static const int widths[] = {1366, 375};
	for (size_t i = 0; i < ARRAY_LEN(widths); i++) {
		CU_ASSERT_EQUAL_FATAL(wd_viewport(br_wd, widths[i], 700), 0);
		br_go(br_sandbox(path));
		char *text = br_eval_string("return document.body.innerText;");
		CU_ASSERT_PTR_NOT_NULL(
		    text && strstr(text, "This profile is not available"));
		free(text);
		if (widths[i] == 375)
			CU_ASSERT_EQUAL(br_overflow_px(), 0);
		char *name =
		    itest_fmt("browser-widget-closed-member-%d", widths[i]);
		br_shot(name);
		free(name);
	}
	wd_viewport(br_wd, 0, 0);
	char *reopen = itest_fmt("UPDATE members SET closed_at = NULL WHERE "
				 "urn_id = '%s'",
				 member);
	itest_sandbox_sql(reopen);
	free(reopen);
	free(path);
	free(form);
	free(q);
	free(body);
	free(member);
}

static int suite_init(void)
{
	run = itest_unique("bclosed");
	email = itest_fmt("%s@test.hirelink", run);
	if (itest_useradd(email, "Browser Admin", "admin", "none", password) !=
	    0)
		return 1;
	/* more closed members than a page holds */
	for (int i = 0; i < 60; i++) {
		char *q =
		    itest_fmt("INSERT INTO li_closed_profiles (member_id, "
			      "closed_ms) VALUES ('%s-%02d', %lld)",
			      run, i, 1700000000000LL + i * 60000LL);
		if (itest_sql(q) != 0) {
			free(q);
			return 1;
		}
		free(q);
	}
	br_wd = wd_start();
	return br_wd ? 0 : 1;
}

static int suite_clean(void)
{
	char *q = itest_fmt("DELETE FROM li_closed_profiles WHERE member_id "
			    "LIKE '%s-%%'",
			    run);
	itest_sql(q);
	free(q);
	wd_stop(br_wd);
	free(email);
	free(run);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(the_closed_profiles_page_is_paged_at_both_widths),
	    TEST(a_closed_member_in_the_widget_is_unavailable),
	};
	static const struct suite suites[] = {
	    SUITE("linkedin closed (browser)", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
