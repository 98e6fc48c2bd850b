/*
 * test_search_browser.c - the candidate search in headless Chromium, as a
 * recruiter and a hiring manager use it: a word typed in the search box
 * finds people by their headline, the total and the numbered pager show,
 * the Filters link opens the filters, a source chosen narrows the list;
 * at 1366 and at 375 px wide the search form fits its width.  A
 * screenshot of each (search-*.png in the test log folder).
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../suite.h"
#include "browse.h"

static struct itest_person rec, hm;
static char *word; /* "Elixir<pid>", in 60 headlines */
static long job_id;

static int suite_init(void)
{
	char *pid = itest_unique("");
	word = itest_fmt("Elixir%s", pid);
	free(pid);
	if (itest_person_add(&rec, "rec", "Searchb", "recruiter", "none") < 0 ||
	    itest_person_add(&hm, "hm", "Searchb", "hiring_manager", "none") <
		0)
		return 1;
	struct itest_client *c = itest_as(&rec);
	char *title = itest_fmt("Search job %s", word);
	struct itest_resp r = itest_post(c, "/jobs", false, rec.csrf, "title",
					 title, (char *)NULL);
	const char *loc = itest_location(&r);
	job_id = strncmp(loc, "/jobs/", 6) ? 0 : strtol(loc + 6, NULL, 10);
	itest_resp_free(&r);
	free(title);
	if (job_id <= 0)
		return 1;
	char *members = itest_fmt("/jobs/%ld/members", job_id);
	r = itest_post(c, members, false, rec.csrf, "action", "add", "email",
		       hm.email, "role", "hiring_manager", (char *)NULL);
	long st = r.status;
	itest_resp_free(&r);
	free(members);
	/* 60 people with the word in their headline, a third referrals; the
	 * first 5 on the job */
	ITEST_SQL("60 candidates",
		  itest_fmt("INSERT INTO candidates (first_name, last_name, "
			    "headline, location, source) SELECT CONCAT('Bea', "
			    "seq), 'Search', CONCAT('Senior %s developer'), "
			    "'Porto', IF(seq %% 3 = 0, 'Referral', 'Website') "
			    "FROM seq_1_to_60",
			    word));
	long long stage = itest_sql_int("SELECT id FROM job_stages WHERE "
					"job_id = %ld ORDER BY position LIMIT 1",
					job_id);
	ITEST_SQL("5 on the job",
		  itest_fmt("INSERT INTO applications (job_id, candidate_id, "
			    "stage_id) SELECT %ld, c.id, %lld FROM candidates "
			    "c WHERE c.headline = 'Senior %s developer' ORDER "
			    "BY c.id LIMIT 5",
			    job_id, stage, word));
	br_wd = wd_start();
	return br_wd && st == 303 ? 0 : 1;
}

static int suite_clean(void)
{
	wd_stop(br_wd);
	itest_person_free(&rec);
	itest_person_free(&hm);
	free(word);
	return 0;
}

/* The search form fits its width (nothing in it runs off the side). */
static bool form_fits(void)
{
	return br_eval_true(itest_strdup(
	    "var f = document.querySelector('form.candidate-search');"
	    "return !!f && f.scrollWidth <= f.clientWidth + 1 && "
	    "f.getBoundingClientRect().right <= window.innerWidth + 1;"));
}

static void shots(const char *name)
{
	char *wide = itest_fmt("search-%s-1366", name);
	char *narrow = itest_fmt("search-%s-375", name);
	CHECK(wd_window_size(br_wd, 1366, 900) == 0, "1366 px");
	CHECK(form_fits(), "%s: the form fits at 1366 px", name);
	br_shot(wide);
	CHECK(wd_viewport(br_wd, 375, 800) == 0, "375 px");
	CHECK(form_fits(), "%s: the form fits at 375 px", name);
	br_shot(narrow);
	wd_viewport(br_wd, 0, 0);
	free(wide);
	free(narrow);
}

static void a_recruiter_searches_by_a_word_and_filters_by_source(void)
{
	CHECK(br_signin(&rec), "signed in");
	br_go(br_url("/candidates"));
	CHECK(br_type("input[name=q]", word), "typed the word");
	CHECK(br_submit("form.candidate-search button[type=submit]"),
	      "searched");
	CHECK(br_page_has("60 found"), "60 found");
	CHECK(br_eval_true(itest_strdup(
		  "return document.querySelector('select[name=sort]').value "
		  "=== '';")),
	      "a typed search is sorted by best match");
	CHECK(br_present("nav.pager a.page.current"), "the current page");
	CHECK(br_present("nav.pager a.page[href*='page=2']"), "page 2");
	shots("recruiter");
	CHECK(br_submit("a.filters-toggle"), "opened the filters");
	CHECK(br_present("input[name=added_from]"), "the date filters");
	CHECK(br_type("form.candidate-search input[name=source]", "Referral"),
	      "typed a source");
	CHECK(br_submit("form.candidate-search button[type=submit]"),
	      "filtered");
	CHECK(br_page_has("20 found"), "20 referrals");
	CHECK(!br_present("nav.pager a.page"), "one page: no numbers");
	shots("recruiter-filters");
}

static void a_hiring_manager_finds_only_the_candidates_of_their_job(void)
{
	CHECK(br_signin(&hm), "signed in");
	char *path = itest_fmt("/candidates?filters=1&q=%s", word);
	br_go(br_url(path));
	CHECK(br_page_has("5 found"), "the 5 on the job");
	CHECK(!br_present("select[name=pool]"), "no pool filter");
	shots("hiring-manager");
	free(path);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(a_recruiter_searches_by_a_word_and_filters_by_source),
	    TEST(a_hiring_manager_finds_only_the_candidates_of_their_job),
	};
	static const struct suite suites[] = {
	    SUITE("search_browser", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
