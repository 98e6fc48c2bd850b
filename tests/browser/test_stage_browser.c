/*
 * test_stage_browser.c - the job page's stage view in a real browser
 * (headless Chromium through chromedriver) on the real stack, as a
 * recruiter works it (issue 18): a row moved to the next stage, rejected
 * with a reason and hired through its confirmation step, each landing on
 * the same stage tab with the message and its Undo; a reload that resends
 * nothing; and the confirmation steps with JavaScript turned off.
 * Screenshots (1366 and 375 px wide, a recruiter and a hiring manager)
 * land in the test log folder for a human to look at.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"
#include "browse.h"

static char *run_id, *rec_email, *hm_email, *admin_email, *title;
static const char *password = "stage-browser-1";
static long long job, stage[5];
static long long app_noah, app_mia, app_olivia, app_liam;

/* Strings made inline are kept and freed a while later (no leaks). */
static char *kept[64];
static unsigned nkept;
static const char *K(char *s)
{
	free(kept[nkept % 64]);
	kept[nkept++ % 64] = s;
	return s ? s : "";
}
#define F(...) K(itest_fmt(__VA_ARGS__))

/* The text of the first element matching css, waiting up to 5 s for one
 * whose text holds want (NULL: any); new, "" when none came. */
static char *text_of(const char *css, const char *want)
{
	char *t = NULL;
	for (int i = 0; i < 50; i++) {
		char *e = wd_find(br_wd, css);
		free(t);
		t = e ? wd_text(br_wd, e) : NULL;
		free(e);
		if (t && (!want || strstr(t, want)))
			return t;
		usleep(100 * 1000);
	}
	free(t);
	return strdup("");
}

static long long sql(const char *q) { return itest_sql_int("%s", q); }

static long long applicant(const char *first, int at)
{
	itest_sql(F("INSERT INTO candidates (first_name, last_name, email) "
		    "VALUES ('%s', 'Row%s', '%s.%s@cand.sb.hirelink.test')",
		    first, run_id, first, run_id));
	long long cand = sql(F("SELECT id FROM candidates WHERE email = "
			       "'%s.%s@cand.sb.hirelink.test'",
			       first, run_id));
	itest_sql(F("INSERT INTO applications (job_id, candidate_id, stage_id) "
		    "VALUES (%lld, %lld, %lld)",
		    job, cand, stage[at]));
	return sql(F("SELECT id FROM applications WHERE candidate_id = %lld",
		     cand));
}

static void sign_in(const char *email)
{
	CU_ASSERT_TRUE_FATAL(br_signin_as(email, password));
}

static void sign_out(void)
{
	br_click("form[action='/logout'] button");
	CU_ASSERT_TRUE(wd_wait_url(br_wd, "/login", 5000));
}

static const char *tab(int at)
{
	return F("/jobs/%lld?stage=%lld", job, stage[at]);
}

/* ------------------------------------------------------------ tests */

static void a_row_moves_to_the_next_stage_says_so_and_undoes(void)
{
	sign_in(rec_email);
	br_go(br_url(tab(0)));
	/* Move to: the next stage first */
	json_t *v = wd_eval(br_wd, F("return document.querySelector('#app-%lld "
				     "select[name=stage_id]').options[0].text;",
				     app_noah));
	CU_ASSERT_STRING_EQUAL(json_string_value(v) ? json_string_value(v) : "",
			       "Screen");
	json_decref(v);
	wd_window_size(br_wd, 1366, 900);
	br_shot("stage-view-recruiter-1366");
	br_click(F("#app-%lld form.row-move button", app_noah));
	char *n = text_of("#notice", "Moved");
	CU_ASSERT_PTR_NOT_NULL(strstr(n, F("Moved Noah Row%s to Screen", run_id)));
	CU_ASSERT_PTR_NOT_NULL(strstr(n, "Undo"));
	free(n);
	char *u = wd_url(br_wd);
	CU_ASSERT_PTR_NOT_NULL(u && strstr(u, F("stage=%lld#stage", stage[0])));
	free(u);
	CU_ASSERT_EQUAL(sql(F("SELECT stage_id FROM applications WHERE id = %lld",
			      app_noah)),
			stage[1]);
	br_shot("stage-view-moved");
	/* Undo, from the message */
	br_click("#notice button");
	n = text_of("#notice", "Undone");
	CU_ASSERT_PTR_NOT_NULL(strstr(n, "Undone: Noah"));
	free(n);
	CU_ASSERT_EQUAL(sql(F("SELECT stage_id FROM applications WHERE id = %lld",
			      app_noah)),
			stage[0]);
	/* the row is back on this tab */
	char *row = wd_find(br_wd, F("#app-%lld", app_noah));
	CU_ASSERT_PTR_NOT_NULL(row);
	free(row);
}

static void a_row_is_rejected_with_a_reason_and_reopened_by_undo(void)
{
	br_go(br_url(tab(0)));
	json_decref(
	    wd_eval(br_wd, F("var s = document.querySelector('#app-%lld "
			     "select[name=reason]'); s.value = "
			     "'no_response'; return 1;",
			     app_mia)));
	br_click(F("#app-%lld form.row-reject button", app_mia));
	char *n = text_of("#notice", "Rejected");
	CU_ASSERT_PTR_NOT_NULL(strstr(n, F("Rejected Mia Row%s", run_id)));
	CU_ASSERT_PTR_NOT_NULL(strstr(n, "(No response)"));
	free(n);
	CU_ASSERT_EQUAL(sql(F("SELECT COUNT(*) FROM applications WHERE id = "
			      "%lld AND status = 'rejected' AND "
			      "rejection_reason = 'no_response'",
			      app_mia)),
			1);
	/* still on the tab, as rejected, with Reopen; scrolled to its row */
	char *u = wd_url(br_wd);
	CU_ASSERT_PTR_NOT_NULL(u && strstr(u, F("#app-%lld", app_mia)));
	free(u);
	char *st = text_of(F("#app-%lld .status", app_mia), "rejected");
	CU_ASSERT_STRING_EQUAL(st, "rejected");
	free(st);
	br_click("#notice button");
	n = text_of("#notice", "Undone");
	CU_ASSERT_PTR_NOT_NULL(strstr(n, "Undone: Mia"));
	free(n);
	CU_ASSERT_EQUAL(sql(F("SELECT COUNT(*) FROM applications WHERE id = "
			      "%lld AND status = 'active'",
			      app_mia)),
			1);
}

static void hire_at_the_last_stage_is_confirmed_and_a_reload_resends_nothing(void)
{
	br_go(br_url(tab(3)));
	br_click(F("#app-%lld a.row-hire", app_olivia));
	CU_ASSERT_TRUE_FATAL(wd_wait_url(br_wd, "/confirm?action=hire", 5000));
	char *h = text_of("h1", "Hire");
	CU_ASSERT_PTR_NOT_NULL(strstr(h, F("Hire Olivia Row%s?", run_id)));
	free(h);
	br_shot("stage-hire-confirm");
	CU_ASSERT_EQUAL(sql(F("SELECT COUNT(*) FROM applications WHERE id = "
			      "%lld AND status = 'active'",
			      app_olivia)),
			1);
	br_click("#confirm-button");
	char *n = text_of("#notice", "Hired");
	CU_ASSERT_PTR_NOT_NULL(strstr(n, F("Hired Olivia Row%s for %s", run_id,
					   title)));
	free(n);
	CU_ASSERT_EQUAL(sql(F("SELECT COUNT(*) FROM applications WHERE id = "
			      "%lld AND status = 'hired' AND stage_id = %lld",
			      app_olivia, stage[4])),
			1);
	/* the Hired tab counts her */
	char *count = text_of(F("a.tab[href^='/jobs/%lld?stage=%lld'] "
				".tab-count",
				job, stage[4]),
			      "1");
	CU_ASSERT_STRING_EQUAL(count, "1");
	free(count);

	/* a reload: the landing page again, nothing sent again */
	long long events = sql(F("SELECT COUNT(*) FROM application_events "
				 "WHERE application_id = %lld",
				 app_olivia));
	long long version = sql(F("SELECT version FROM applications WHERE id "
				  "= %lld",
				  app_olivia));
	br_reload();
	char *notice = wd_find(br_wd, "#notice");
	CU_ASSERT_PTR_NULL(notice); /* said once */
	free(notice);
	CU_ASSERT_EQUAL(sql(F("SELECT COUNT(*) FROM application_events WHERE "
			      "application_id = %lld",
			      app_olivia)),
			events);
	CU_ASSERT_EQUAL(sql(F("SELECT version FROM applications WHERE id = %lld",
			      app_olivia)),
			version);
	/* a phone's width, at the rows */
	br_go(br_url(F("%s#stage", tab(3))));
	wd_viewport(br_wd, 375, 800);
	json_decref(wd_eval(br_wd, "document.getElementById('stage')."
				   "scrollIntoView(); return 1;"));
	br_shot("stage-view-recruiter-375");
	wd_viewport(br_wd, 0, 0);
	sign_out();
}

static void confirmation_steps_work_without_javascript(void)
{
	CU_ASSERT_EQUAL_FATAL(wd_javascript(br_wd, false), 0);
	sign_in(rec_email);
	br_go(br_url(tab(3)));
	br_click(F("#app-%lld a.row-hire", app_liam));
	CU_ASSERT_TRUE_FATAL(wd_wait_url(br_wd, "/confirm?action=hire", 5000));
	br_click("#confirm-button");
	CU_ASSERT_TRUE(wd_wait_url(br_wd, F("stage=%lld", stage[3]), 5000));
	char *n = text_of("#notice", "Hired");
	CU_ASSERT_PTR_NOT_NULL(strstr(n, F("Hired Liam Row%s", run_id)));
	free(n);
	CU_ASSERT_EQUAL(sql(F("SELECT COUNT(*) FROM applications WHERE id = "
			      "%lld AND status = 'hired'",
			      app_liam)),
			1);
	/* the pipeline editor's Delete: its step, then its form */
	itest_sql(F("INSERT INTO job_stages (job_id, name, kind, position) "
		    "VALUES (%lld, 'Spare', 'other', 6)",
		    job));
	long long spare = sql(F("SELECT id FROM job_stages WHERE job_id = %lld "
				"AND position = 6",
				job));
	br_go(br_url(F("/jobs/%lld", job)));
	br_click(F("a[href='/jobs/%lld/stages/%lld/delete']", job, spare));
	CU_ASSERT_TRUE_FATAL(wd_wait_url(br_wd, "/delete", 5000));
	br_shot("stage-delete-confirm-nojs");
	br_click("#confirm-button");
	n = text_of("#notice", "Deleted");
	CU_ASSERT_PTR_NOT_NULL(strstr(n, "Deleted the stage \"Spare\""));
	free(n);
	CU_ASSERT_EQUAL(sql(F("SELECT COUNT(*) FROM job_stages WHERE id = %lld",
			      spare)),
			0);
	sign_out();
	CU_ASSERT_EQUAL(wd_javascript(br_wd, true), 0);
}

static void a_hiring_manager_sees_move_but_not_reject_or_hire(void)
{
	sign_in(hm_email);
	br_go(br_url(tab(0)));
	char *move = wd_find(br_wd, F("#app-%lld form.row-move", app_noah));
	char *reject = wd_find(br_wd, F("#app-%lld form.row-reject", app_noah));
	CU_ASSERT_PTR_NOT_NULL(move);
	CU_ASSERT_PTR_NULL(reject);
	free(move);
	free(reject);
	wd_window_size(br_wd, 1366, 900);
	br_shot("stage-view-hiring-manager-1366");
	wd_viewport(br_wd, 375, 800);
	br_shot("stage-view-hiring-manager-375");
	wd_viewport(br_wd, 0, 0);
	sign_out();
}

static void an_admin_sees_every_row_action(void)
{
	sign_in(admin_email);
	br_go(br_url(F("%s#stage", tab(0))));
	char *move = wd_find(br_wd, F("#app-%lld form.row-move", app_noah));
	char *reject = wd_find(br_wd, F("#app-%lld form.row-reject", app_noah));
	CU_ASSERT_PTR_NOT_NULL(move);
	CU_ASSERT_PTR_NOT_NULL(reject);
	free(move);
	free(reject);
	wd_window_size(br_wd, 1366, 900);
	br_shot("stage-view-admin-1366");
	wd_viewport(br_wd, 375, 800);
	json_decref(wd_eval(br_wd, "document.getElementById('stage')."
				   "scrollIntoView(); return 1;"));
	br_shot("stage-view-admin-375");
	/* nothing scrolls sideways but inside the table's own box */
	json_t *w =
	    wd_eval(br_wd, "return document.documentElement.scrollWidth;");
	CU_ASSERT_TRUE(json_integer_value(w) <= 375);
	json_decref(w);
	wd_viewport(br_wd, 0, 0);
	sign_out();
}

static int suite_init(void)
{
	run_id = itest_unique("");
	rec_email = itest_fmt("rec.%s@sb.hirelink.test", run_id);
	hm_email = itest_fmt("hm.%s@sb.hirelink.test", run_id);
	admin_email = itest_fmt("admin.%s@sb.hirelink.test", run_id);
	title = itest_fmt("Row Desk %s", run_id);
	if (itest_useradd(rec_email, "Rita Rows", "recruiter", "none",
			  password) ||
	    itest_useradd(hm_email, "Hank Rows", "hiring_manager", "none",
			  password) ||
	    itest_useradd(admin_email, "Ada Rows", "admin", "none", password))
		return 1;
	static const char *const kinds[5] = {"prospect", "screen", "interview",
					     "offer", "hired"};
	static const char *const names[5] = {"Prospect", "Screen", "Interview",
					     "Offer", "Hired"};
	itest_sql(F("INSERT INTO jobs (title, description, status) VALUES "
		    "('%s', '', 'active')",
		    title));
	job = sql(F("SELECT id FROM jobs WHERE title = '%s'", title));
	for (int i = 0; i < 5; i++) {
		itest_sql(F("INSERT INTO job_stages (job_id, name, kind, "
			    "position) VALUES (%lld, '%s', '%s', %d)",
			    job, names[i], kinds[i], i + 1));
		stage[i] = sql(F("SELECT id FROM job_stages WHERE job_id = "
				 "%lld AND kind = '%s'",
				 job, kinds[i]));
	}
	itest_sql(F("INSERT INTO job_members (job_id, user_id, role) SELECT "
		    "%lld, id, IF(role = 'recruiter', 'recruiter', "
		    "'hiring_manager') FROM users WHERE email IN ('%s', '%s')",
		    job, rec_email, hm_email));
	app_noah = applicant("Noah", 0);
	app_mia = applicant("Mia", 0);
	app_olivia = applicant("Olivia", 3);
	app_liam = applicant("Liam", 3);
	if (job <= 0 || app_liam <= 0)
		return 1;
	br_wd = wd_start();
	return br_wd ? 0 : 1;
}

static int suite_clean(void)
{
	wd_stop(br_wd);
	free(run_id);
	free(rec_email);
	free(hm_email);
	free(admin_email);
	free(title);
	for (size_t i = 0; i < 64; i++)
		free(kept[i]);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(a_row_moves_to_the_next_stage_says_so_and_undoes),
	    TEST(a_row_is_rejected_with_a_reason_and_reopened_by_undo),
	    TEST(hire_at_the_last_stage_is_confirmed_and_a_reload_resends_nothing),
	    TEST(confirmation_steps_work_without_javascript),
	    TEST(a_hiring_manager_sees_move_but_not_reject_or_hire),
	    TEST(an_admin_sees_every_row_action),
	};
	static const struct suite suites[] = {
	    SUITE("stage_browser", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
