/*
 * test_roles_browser.c - each role's home in a real browser (headless
 * Chromium through chromedriver), at 1366 and 375 px: the interviewer
 * signs in to Feedback due, opens the entry, gives structured feedback
 * through the form and lands back on Feedback due with the message; the
 * hiring manager signs in to Needs review; the recruiter's jobs list shows
 * the active candidates per stage.  Nothing scrolls sideways at 375 px.
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

static char *tag;
static char *iv_email, *hm_email, *rec_email;
static const char *password = "roles-browser-1";
static long long job, app_iv, app_hm;

/* Signs in through the form as email; waits for the home it lands on. */
static void sign_in(const char *email, const char *home)
{
	br_signin_as(email, password);
	CU_ASSERT_TRUE_FATAL(wd_wait_url(br_wd, home, 5000));
}

static void sign_out(void)
{
	br_click("form[action='/logout'] button");
	CU_ASSERT_TRUE(wd_wait_url(br_wd, "/login", 5000));
}

static void an_interviewer_gives_feedback_from_feedback_due(void)
{
	sign_in(iv_email, "/feedback");
	char *h1 =
	    br_eval_string("return document.querySelector('h1').textContent;");
	CU_ASSERT_STRING_EQUAL(h1 ? h1 : "", "Feedback due");
	free(h1);
	br_both_widths("roles-feedback-due");
	char *sel = itest_fmt("a.button[href='/applications/%lld/feedback']",
			      app_iv);
	br_click(sel);
	free(sel);
	char *want = itest_fmt("/applications/%lld/feedback", app_iv);
	CU_ASSERT_TRUE_FATAL(wd_wait_url(br_wd, want, 5000));
	free(want);
	br_both_widths("roles-feedback-form");
	/* the structured form: a recommendation, a rating per criterion */
	json_t *ok = wd_eval(
	    br_wd, "var f = document.querySelector('form.feedback-form');"
		   "f.querySelector('select[name=recommendation]').value = "
		   "'strong_yes';"
		   "var s = f.querySelectorAll('select[name^=criterion_]');"
		   "for (var i = 0; i < s.length; i++) s[i].value = '4';"
		   "f.querySelector('textarea[name=body]').value = 'Clear "
		   "thinker';"
		   "return s.length;");
	CU_ASSERT_EQUAL(json_integer_value(ok), 2);
	json_decref(ok);
	br_submit("form.feedback-form button[type=submit]");
	CU_ASSERT_TRUE(wd_wait_url(br_wd, "/feedback", 5000));
	char *notice = br_wait_for("#notice", 5000);
	CU_ASSERT_PTR_NOT_NULL(notice);
	free(notice);
	notice = br_text_of("#notice");
	CU_ASSERT_PTR_NOT_NULL(strstr(notice, "Your feedback on"));
	free(notice);
	br_shot("roles-feedback-saved");
	CU_ASSERT_EQUAL(itest_sql_int("SELECT COUNT(*) FROM feedback_ratings r "
				      "JOIN interview_feedback f ON f.id = "
				      "r.feedback_id WHERE f.application_id = "
				      "%lld",
				      app_iv),
			2);
	sign_out();
}

static void a_hiring_manager_lands_on_needs_review(void)
{
	sign_in(hm_email, "/review");
	char *sel = itest_fmt("a[href='/applications/%lld']", app_hm);
	char *e = wd_find(br_wd, sel);
	CU_ASSERT_PTR_NOT_NULL(e);
	free(e);
	free(sel);
	br_both_widths("roles-needs-review");
	sign_out();
}

static void the_recruiters_jobs_list_counts_by_stage(void)
{
	sign_in(rec_email, "/jobs");
	char *script = itest_fmt(
	    "var a = document.querySelector(\"a[href='/jobs/%lld']\");"
	    "return a ? a.closest('tr').querySelector('.stage-counts')"
	    ".textContent : '';",
	    job);
	char *counts = br_eval_string(script);
	free(script);
	CU_ASSERT_PTR_NOT_NULL(counts ? strstr(counts, "Screen: 1") : NULL);
	CU_ASSERT_PTR_NOT_NULL(counts ? strstr(counts, "Interview: 1") : NULL);
	free(counts);
	br_both_widths("roles-jobs-list");
	sign_out();
}

static long long person(const char *who, const char *role, char **email)
{
	*email = itest_fmt("%s.%s@roles.browser.test", who, tag);
	if (itest_useradd(*email, who, role, "none", password))
		return -1;
	return itest_sql_int("SELECT id FROM users WHERE email = '%s'", *email);
}

static int suite_init(void)
{
	tag = itest_unique("rb");
	long long iv = person("Ivy", "interviewer", &iv_email);
	long long hm = person("Hal", "hiring_manager", &hm_email);
	long long rec = person("Rae", "recruiter", &rec_email);
	if (iv <= 0 || hm <= 0 || rec <= 0)
		return 1;
	ITEST_SQL("job", itest_fmt("INSERT INTO jobs (title, description, "
				   "status, listed_at) VALUES ('Roles browser "
				   "%s', '', 'active', UTC_TIMESTAMP())",
				   tag));
	job = itest_sql_int("SELECT id FROM jobs WHERE title = 'Roles browser "
			    "%s'",
			    tag);
	ITEST_SQL("stages",
		  itest_fmt("INSERT INTO job_stages (job_id, name, kind, "
			    "position) VALUES (%lld, 'Prospect', 'prospect', "
			    "1), (%lld, 'Screen', 'screen', 2), (%lld, "
			    "'Interview', 'interview', 3)",
			    job, job, job));
	ITEST_SQL("criteria",
		  itest_fmt("INSERT INTO job_criteria (job_id, name, position) "
			    "VALUES (%lld, 'Problem solving', 1), (%lld, "
			    "'Communication', 2)",
			    job, job));
	ITEST_SQL("members",
		  itest_fmt("INSERT INTO job_members (job_id, user_id, role) "
			    "VALUES (%lld, %lld, 'interviewer'), (%lld, %lld, "
			    "'hiring_manager'), (%lld, %lld, 'recruiter')",
			    job, iv, job, hm, job, rec));
	ITEST_SQL("candidates",
		  itest_fmt("INSERT INTO candidates (first_name, last_name, "
			    "email) VALUES ('Nora', 'Quist %s', "
			    "'nora.%s@roles.browser.test'), ('Omar', 'Sadeh "
			    "%s', 'omar.%s@roles.browser.test')",
			    tag, tag, tag, tag));
	/* Nora at Interview, Omar at Screen */
	long long nora = itest_sql_int("SELECT id FROM candidates WHERE email "
				       "= 'nora.%s@roles.browser.test'",
				       tag);
	long long omar = itest_sql_int("SELECT id FROM candidates WHERE email "
				       "= 'omar.%s@roles.browser.test'",
				       tag);
	long long at_iv = itest_sql_int("SELECT id FROM job_stages WHERE "
					"job_id = %lld AND kind = "
					"'interview'",
					job);
	long long at_sc = itest_sql_int("SELECT id FROM job_stages WHERE "
					"job_id = %lld AND kind = 'screen'",
					job);
	ITEST_SQL("applications",
		  itest_fmt("INSERT INTO applications (job_id, candidate_id, "
			    "stage_id) VALUES (%lld, %lld, %lld), (%lld, "
			    "%lld, %lld)",
			    job, nora, at_iv, job, omar, at_sc));
	app_iv = itest_sql_int("SELECT a.id FROM applications a JOIN "
			       "candidates c ON c.id = a.candidate_id WHERE "
			       "a.job_id = %lld AND c.first_name = 'Nora'",
			       job);
	app_hm = itest_sql_int("SELECT a.id FROM applications a JOIN "
			       "candidates c ON c.id = a.candidate_id WHERE "
			       "a.job_id = %lld AND c.first_name = 'Omar'",
			       job);
	if (app_iv <= 0 || app_hm <= 0)
		return 1;
	br_wd = wd_start();
	return br_wd ? 0 : 1;
}

static int suite_clean(void)
{
	wd_stop(br_wd);
	free(iv_email);
	free(hm_email);
	free(rec_email);
	free(tag);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(an_interviewer_gives_feedback_from_feedback_due),
	    TEST(a_hiring_manager_lands_on_needs_review),
	    TEST(the_recruiters_jobs_list_counts_by_stage),
	};
	static const struct suite suites[] = {
	    SUITE("roles in a browser", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
