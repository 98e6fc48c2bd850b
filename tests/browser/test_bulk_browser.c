/*
 * test_bulk_browser.c - bulk actions in a real browser (headless Chromium
 * through chromedriver) on the real stack, as a recruiter does them: three
 * rows ticked on a stage tab and moved with the bulk bar (the notice on
 * the tab, an event each), and "all 1,500 in Applied" moved by the
 * worker, its progress page reloading itself (no script) until it says
 * 1500 / 1500, each application with its own event; "all 3 in Applied"
 * rejected with JavaScript off through its confirmation step, which says
 * how many and fits a phone.  Screenshots at 1366 and 375 px land in the
 * test log folder.
 */
#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"
#include "browse.h"

static char *email, *tag;
static const char *password = "bulk-browser-1";

/* printf into a string freed when the suite ends. */
static char *kept[256];
static size_t nkept;
__attribute__((format(printf, 1, 2))) static char *F(const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	if (nkept < sizeof(kept) / sizeof(kept[0]))
		kept[nkept++] = s;
	return s;
}

#define SQL(what, ...)                                                         \
	itest_sql_step((what), itest_fmt(__VA_ARGS__), __FILE__, __LINE__)

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A screenshot with the bulk bar (or the notice) in view. */
static void shot(const char *name)
{
	json_decref(wd_eval(br_wd, "var e = document.getElementById('bulk') || "
				   "document.getElementById('notice');"
				   "if (e) e.scrollIntoView(); return 1;"));
	br_shot(name);
}

/* An active job with stages Applied, Screen, Interview (st[3]) and n
 * candidates in Applied; its id. */
static long long make_job(const char *name, long n, long long st[3])
{
	SQL("job", "INSERT INTO jobs (title, description, status) VALUES "
		   "('%s %s', '', 'active')",
	    name, tag);
	long long j = itest_sql_int("SELECT id FROM jobs WHERE title = '%s %s'",
				    name, tag);
	SQL("stages",
	    "INSERT INTO job_stages (job_id, name, kind, position) VALUES "
	    "(%lld, 'Applied', 'prospect', 1), (%lld, 'Screen', 'screen', 2), "
	    "(%lld, 'Interview', 'interview', 3)",
	    j, j, j);
	itest_sql_ints(st, 3,
		       "SELECT id FROM job_stages WHERE job_id = %lld ORDER BY "
		       "position",
		       j);
	SQL("candidates",
	    "INSERT INTO candidates (first_name, last_name, email) SELECT "
	    "CONCAT('%s%s-', LPAD(seq, 4, '0')), 'Browser', CONCAT('%s%s-', "
	    "seq, '@bulkb.itest') FROM seq_1_to_%ld",
	    name, tag, name, tag, n);
	SQL("applications",
	    "INSERT INTO applications (job_id, candidate_id, stage_id) SELECT "
	    "%lld, id, %lld FROM candidates WHERE first_name LIKE '%s%s-%%' "
	    "ORDER BY id",
	    j, st[0], name, tag);
	return j;
}

static void sign_in(void)
{
	CU_ASSERT_TRUE_FATAL(br_signin_as(email, password));
}

/* Ticks three rows of Applied and moves them with the bulk bar. */
static void three_ticked_rows_move_with_the_bulk_bar(void)
{
	long long st[3], app[3];
	sign_in();
	long long j = make_job("Three", 5, st);
	CHECK(itest_sql_ints(app, 3,
			     "SELECT id FROM applications WHERE job_id = %lld "
			     "ORDER BY id LIMIT 3",
			     j) == 3,
	      "three applications");
	br_go(br_url(F("/jobs/%lld?stage=%lld", j, st[0])));
	shot("bulk-stage-tab-1366");
	for (int i = 0; i < 3; i++)
		br_click(F("input[name=ids][value='%lld']", app[i]));
	/* the next stage is the one chosen */
	char *sel = br_text_of("select[name=to_stage_id] option:checked");
	CHECK(!strcmp(sel, "Screen"), "move to: %s", sel);
	free(sel);
	br_click("#bulk-move");
	char *notice = NULL;
	for (int i = 0; i < 50; i++) {
		free(notice);
		notice = br_text_of("#notice");
		if (*notice)
			break;
		usleep(100 * 1000);
	}
	CHECK(strstr(notice, "Moved 3 candidates to Screen") != NULL,
	      "the notice: %s", notice);
	free(notice);
	char *u = wd_url(br_wd);
	CHECK(u && strstr(u, F("/jobs/%lld?stage=%lld", j, st[0])),
	      "back on the tab: %s", u ? u : "");
	free(u);
	shot("bulk-moved-1366");
	for (int i = 0; i < 3; i++)
		CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events "
				    "WHERE application_id = %lld AND kind = "
				    "'moved' AND to_stage_id = %lld",
				    app[i], st[1]) == 1,
		      "application %d: one move event", i);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications WHERE job_id "
			    "= %lld AND stage_id = %lld",
			    j, st[1]) == 3,
	      "three at Screen, two left");
	/* a phone: the bar wraps, the page does not scroll sideways */
	CU_ASSERT_EQUAL_FATAL(wd_viewport(br_wd, 375, 800), 0);
	br_go(br_url(F("/jobs/%lld?stage=%lld", j, st[0])));
	shot("bulk-stage-tab-375");
	long px = br_overflow_px();
	wd_viewport(br_wd, 0, 0);
	CHECK(px <= 0, "the stage tab scrolls %ld px sideways at 375 px", px);
}

/* "All 1,500 in Applied" moved: the progress page reloads itself until
 * 1500 / 1500, and each application has its own event. */
static void all_1500_move_in_the_background_with_progress(void)
{
	enum { N = 1500 };
	long long st[3];
	long long j = make_job("Many", N, st);
	br_go(br_url(F("/jobs/%lld?stage=%lld", j, st[0])));
	char *all = br_text_of(".bulk-which label");
	CHECK(strstr(all, "all 1500 active in Applied") != NULL,
	      "the bar offers all: %s", all);
	free(all);
	br_click("#bulk-all");
	br_click("#bulk-move");
	CHECK(wd_wait_url(br_wd, "/bulk/", 10000), "to the progress page");
	char *notice = br_text_of("#notice");
	CHECK(strstr(notice, "Moving 1500 candidates to Screen in the "
			     "background") != NULL,
	      "the notice: %s", notice);
	free(notice);
	shot("bulk-progress-1366");
	/* the page reloads itself (meta refresh): watch it, do not reload */
	char *done = NULL;
	long long t0 = now_ms();
	bool seen_partial = false;
	for (;;) {
		free(done);
		done = br_text_of("#bulk-processed");
		char *total = br_text_of("#bulk-total");
		CHECK(!*total || !strcmp(total, "1500"), "total %s", total);
		free(total);
		if (*done && strcmp(done, "0") && strcmp(done, "1500"))
			seen_partial = true;
		if (!strcmp(done, "1500") || now_ms() - t0 > 240000)
			break;
		usleep(500 * 1000);
	}
	CHECK(!strcmp(done, "1500"), "the page reached %s / 1500", done);
	CHECK(seen_partial, "the page showed the progress on its way");
	free(done);
	char *fin = br_text_of("#bulk-finished");
	CHECK(strstr(fin, "1500 done") != NULL, "finished: %s", fin);
	free(fin);
	shot("bulk-progress-done-1366");
	/* a phone */
	char *u = wd_url(br_wd);
	CU_ASSERT_EQUAL_FATAL(wd_viewport(br_wd, 375, 800), 0);
	if (u)
		wd_go(br_wd, u);
	shot("bulk-progress-done-375");
	long px = br_overflow_px();
	wd_viewport(br_wd, 0, 0);
	free(u);
	CHECK(px <= 0, "the progress page scrolls %ld px sideways at 375 px",
	      px);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events e JOIN "
			    "applications a ON a.id = e.application_id WHERE "
			    "a.job_id = %lld AND e.kind = 'moved' AND "
			    "e.to_stage_id = %lld",
			    j, st[1]) == N,
	      "one move event each");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM (SELECT application_id FROM "
			    "application_events e JOIN applications a ON a.id "
			    "= e.application_id WHERE a.job_id = %lld AND "
			    "e.kind = 'moved' GROUP BY application_id HAVING "
			    "COUNT(*) <> 1) x",
			    j) == 0,
	      "none twice");
}

/* "All 3 in Applied" rejected without JavaScript: the bar's Reject leads
 * to a confirmation step that names the count, nothing is rejected until
 * its button is pressed, then each is, with its own event, and the tab
 * says so.  The step at 1366 and 375 px. */
static void a_bulk_reject_asks_first_without_javascript(void)
{
	long long st[3];
	long long j = make_job("Refuse", 3, st);
	CU_ASSERT_EQUAL(wd_javascript(br_wd, false), 0);
	br_go(br_url(F("/jobs/%lld?stage=%lld", j, st[0])));
	br_tick("#bulk-all");
	CHECK(br_choose("select[name=reason]", "not_qualified"), "a reason");
	CHECK(br_submit("#bulk-reject"), "Reject");
	CHECK(br_landed("/bulk/", 5000), "to the confirmation step");
	CHECK(br_page_has("Reject 3 candidates?"), "the step says how many");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications WHERE job_id = "
			    "%lld AND status = 'rejected'",
			    j) == 0,
	      "rejected before the confirmation");
	br_shot("bulk-reject-confirm-1366");
	char *u = wd_url(br_wd);
	CU_ASSERT_EQUAL(wd_viewport(br_wd, 375, 800), 0);
	if (u)
		wd_go(br_wd, u);
	free(u);
	br_shot("bulk-reject-confirm-375");
	long px = br_overflow_px();
	CHECK(px <= 0, "the step scrolls %ld px sideways at 375 px", px);
	wd_viewport(br_wd, 0, 0);
	CHECK(br_submit("#confirm-button"), "Reject 3 candidates");
	CHECK(br_landed(F("/jobs/%lld?stage=%lld", j, st[0]), 5000),
	      "back on the tab");
	CHECK(br_page_has("Rejected 3 candidates"), "the notice");
	br_shot("bulk-rejected-1366");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events e JOIN "
			    "applications a ON a.id = e.application_id WHERE "
			    "a.job_id = %lld AND e.kind = 'rejected' AND "
			    "a.status = 'rejected' AND a.rejection_reason = "
			    "'not_qualified'",
			    j) == 3,
	      "three rejected, an event each");
	CU_ASSERT_EQUAL(wd_javascript(br_wd, true), 0);
}

static int suite_init(void)
{
	tag = itest_unique("W");
	email = itest_fmt("%s@bulkb.hirelink.test", tag);
	if (itest_useradd(email, "Bulk Browser", "recruiter", "none",
			  password) != 0)
		return 1;
	br_wd = wd_start();
	return br_wd ? 0 : 1;
}

static int suite_clean(void)
{
	wd_stop(br_wd);
	free(email);
	free(tag);
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(three_ticked_rows_move_with_the_bulk_bar),
	    TEST(a_bulk_reject_asks_first_without_javascript),
	    TEST(all_1500_move_in_the_background_with_progress),
	};
	static const struct suite suites[] = {
	    SUITE("bulk_browser", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
