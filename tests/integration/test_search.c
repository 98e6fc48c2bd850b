/*
 * test_search.c - the candidate search that finds people (issue 18),
 * end to end through nginx: words of the headline, current title and
 * company, location and of the notes the viewer may read (never another
 * user's private note), each filter (job, stage of that job, source,
 * pool, dates added), the sorts, exact totals with a pager of real page
 * numbers, hiring managers kept to their jobs, and each bad input refused
 * naming its field.
 *
 * Words are made unique to the run ("kotlin<pid>"), so the program can run
 * again on the same stack and finds only its own candidates.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

static struct itest_person rita;  /* recruiter: creates the records */
static struct itest_person rolf;  /* another recruiter */
static struct itest_person hanna; /* hiring manager on job_id */
static char *run_id;
static long job_id, other_job_id, pool_id;
/* on job_id (at its second stage), from a referral, in the pool, added
 * 2020-05-05; its headline and a public note hold words of the run */
static long ada_id;
/* on no job, source "agency", added 2021-07-01 */
static long bob_id;
/* on other_job_id, added now */
static long cy_id;
/* the days ada and bob were added, the day before ada's, after bob's */
static char *day[4];

/* "word<pid>", new */
static char *w(const char *word) { return itest_fmt("%s%s", word, run_id); }

static json_t *get_json(struct itest_client *c, const char *path,
			long *status)
{
	return itest_get_json(c, path, status);
}

static long id_after(const struct itest_resp *r, const char *prefix)
{
	const char *loc = itest_location(r);
	size_t n = strlen(prefix);
	return strncmp(loc, prefix, n) ? 0 : strtol(loc + n, NULL, 10);
}

/* A candidate made through the form, with its headline, current title,
 * company, location and source; its id. */
static long candidate(struct itest_client *c, const char *csrf,
		      const char *first, const char *last,
		      const char *headline, const char *title,
		      const char *company, const char *location,
		      const char *source)
{
	struct itest_resp r = itest_post(
	    c, "/candidates", false, csrf, "first_name", first, "last_name",
	    last, "headline", headline, "current_title", title,
	    "current_company", company, "location", location, "source",
	    source, (char *)NULL);
	long id = r.status == 303 ? id_after(&r, "/candidates/") : 0;
	itest_resp_free(&r);
	return id;
}

static long post_created(struct itest_client *c, const char *path,
			 const char *prefix, const char *csrf, const char *k1,
			 const char *v1, const char *k2, const char *v2)
{
	struct itest_resp r = k2 ? itest_post(c, path, false, csrf, k1, v1, k2,
					      v2, (char *)NULL)
				 : itest_post(c, path, false, csrf, k1, v1,
					      (char *)NULL);
	long id = !prefix ? r.status
		  : r.status == 303 ? id_after(&r, prefix)
				    : 0;
	itest_resp_free(&r);
	return id;
}

static void note(struct itest_client *c, const char *csrf, long cand,
		 const char *body, bool pub)
{
	char *path = itest_fmt("/candidates/%ld/notes", cand);
	struct itest_resp r =
	    pub ? itest_post(c, path, false, csrf, "body", body, "public", "1",
			     (char *)NULL)
		: itest_post(c, path, false, csrf, "body", body, (char *)NULL);
	CHECK_STATUS(r, 303, path);
	itest_resp_free(&r);
	free(path);
}

static int suite_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id ||
	    itest_person_add(&rita, "rita", "Search", "recruiter", "none") <
		0 ||
	    itest_person_add(&rolf, "rolf", "Search", "recruiter", "none") <
		0 ||
	    itest_person_add(&hanna, "hanna", "Search", "hiring_manager",
			     "none") < 0)
		return -1;
	struct itest_client *c = itest_as(&rita);
	const char *csrf = rita.csrf;
	char *t1 = w("Searchjob"), *t2 = w("Otherjob"), *pn = w("Pool");
	job_id = post_created(c, "/jobs", "/jobs/", csrf, "title", t1, NULL,
			      NULL);
	other_job_id = post_created(c, "/jobs", "/jobs/", csrf, "title", t2,
				    NULL, NULL);
	pool_id = post_created(c, "/pools", "/pools/", csrf, "name", pn, NULL,
			       NULL);
	char *members = itest_fmt("/jobs/%ld/members", job_id);
	struct itest_resp r =
	    itest_post(c, members, false, csrf, "action", "add", "email",
		       hanna.email, "role", "hiring_manager", (char *)NULL);
	long hm = r.status;
	itest_resp_free(&r);

	char *ada = w("Ada"), *bob = w("Bob"), *cy = w("Cy");
	char *h1 = itest_fmt("Senior kotlin%s engineer", run_id);
	char *co1 = w("Acme"), *loc1 = itest_fmt("Porto%s, Portugal", run_id);
	char *h2 = itest_fmt("Kotlin%s and Go developer", run_id);
	char *co2 = w("Globex"), *loc2 = w("Lisbon");
	char *h3 = itest_fmt("Designer, ex kotlin%s", run_id);
	ada_id = candidate(c, csrf, ada, "Alpha", h1, "Staff engineer", co1,
			   loc1, "Referral");
	bob_id = candidate(c, csrf, bob, "Beta", h2, "Developer", co2, loc2,
			   "Agency");
	cy_id = candidate(c, csrf, cy, "Gamma", h3, "Designer", "", loc2,
			  "Website");
	char *cid = itest_fmt("%ld", ada_id), *jid = itest_fmt("%ld", job_id);
	long a1 = post_created(c, "/applications", NULL, csrf, "candidate_id",
			       cid, "job_id", jid);
	free(cid);
	free(jid);
	cid = itest_fmt("%ld", cy_id);
	jid = itest_fmt("%ld", other_job_id);
	long a2 = post_created(c, "/applications", NULL, csrf, "candidate_id",
			       cid, "job_id", jid);
	free(cid);
	free(jid);
	long long stage2 = itest_sql_int("SELECT id FROM job_stages WHERE "
					 "job_id = %ld AND position = 2",
					 job_id);
	ITEST_SQL("ada at the second stage",
		  itest_fmt("UPDATE applications SET stage_id = %lld WHERE "
			    "candidate_id = %ld",
			    stage2, ada_id));
	ITEST_SQL("ada in the pool",
		  itest_fmt("INSERT INTO pool_members (pool_id, candidate_id) "
			    "VALUES (%ld, %ld)",
			    pool_id, ada_id));
	/* days of this run's own, so that another run's candidates on the
	 * same stack are not on them */
	long k = strtol(run_id, NULL, 10) % 9000;
	for (int i = 0; i < 4; i++)
		day[i] = itest_sql_str("SELECT DATE('1990-01-01') + INTERVAL "
				       "%ld DAY",
				       k + (long[]){0, 400, -1, 401}[i]);
	ITEST_SQL("the dates added",
		  itest_fmt("UPDATE candidates SET created_at = CASE id WHEN "
			    "%ld THEN '%s 10:00' WHEN %ld THEN '%s 23:59:59' "
			    "END WHERE id IN (%ld, %ld)",
			    ada_id, day[0], bob_id, day[1], ada_id, bob_id));
	free(h1);
	free(co1);
	free(loc1);
	free(h2);
	free(co2);
	free(loc2);
	free(h3);
	free(ada);
	free(bob);
	free(cy);
	free(members);
	free(t1);
	free(t2);
	free(pn);
	if (job_id <= 0 || other_job_id <= 0 || pool_id <= 0 || hm != 303 ||
	    ada_id <= 0 || bob_id <= 0 || cy_id <= 0 || a1 != 303 ||
	    a2 != 303) {
		fprintf(stderr,
			"cannot set up: job %ld %ld pool %ld hm %ld "
			"candidates %ld %ld %ld applications %ld %ld\n",
			job_id, other_job_id, pool_id, hm, ada_id, bob_id,
			cy_id, a1, a2);
		return -1;
	}
	return 0;
}

static int suite_clean(void)
{
	itest_person_free(&rita);
	itest_person_free(&rolf);
	itest_person_free(&hanna);
	for (int i = 0; i < 4; i++)
		free(day[i]);
	free(run_id);
	return 0;
}

/* The ids c finds at /candidates?<query> (%-escaped by the caller) into
 * "id,id,...," in order, with the total first: "3:12,14,15,"; new. */
static char *found(struct itest_client *c, const char *query)
{
	char *path = itest_fmt("/candidates?%s", query);
	long status = 0;
	json_t *j = get_json(c, path, &status);
	struct buf b = BUF_INIT;
	buf_addf(&b, "%lld:",
		 (long long)json_integer_value(json_object_get(j, "total")));
	json_t *v;
	size_t i;
	json_array_foreach(json_object_get(j, "candidates"), i, v)
	    buf_addf(&b, "%lld,",
		     (long long)json_integer_value(json_object_get(v, "id")));
	CHECK(status == 200, "%s answered %ld", path, status);
	json_decref(j);
	free(path);
	return buf_detach(&b, NULL);
}

static void finds(struct itest_client *c, const char *who, char *query,
		  char *want)
{
	char *got = found(c, query);
	CHECK(got && !strcmp(got, want), "%s: ?%s found %s, want %s", who,
	      query, got ? got : "(nothing)", want);
	free(got);
	free(query);
	free(want);
}

/* The words of the headline, the current title and company and the
 * location find people; every word must be there; a word's start is
 * enough; a short word or a stopword does not empty the result. */
static void words_of_headline_company_and_location_find_people(void)
{
	struct itest_client *c = itest_as(&rita);
	finds(c, "one word in three headlines",
	      itest_fmt("q=kotlin%s&sort=name", run_id),
	      itest_fmt("3:%ld,%ld,%ld,", ada_id, bob_id, cy_id));
	finds(c, "a company and a place",
	      itest_fmt("q=acme%s+porto%s", run_id, run_id),
	      itest_fmt("1:%ld,", ada_id));
	finds(c, "two words, one missing",
	      itest_fmt("q=acme%s+lisbon%s", run_id, run_id),
	      itest_strdup("0:"));
	char *start = w("globex");
	start[strlen(start) - 1] = 0;
	finds(c, "a word's start", itest_fmt("q=%s", start),
	      itest_fmt("1:%ld,", bob_id));
	free(start);
	finds(c, "the current title, with a short word and a stopword",
	      itest_fmt("q=the+staff+engineer+at+kotlin%s", run_id),
	      itest_fmt("1:%ld,", ada_id));
	finds(c, "operators typed are words",
	      itest_fmt("q=%%2Bkotlin%s*+-globex%s", run_id, run_id),
	      itest_fmt("1:%ld,", bob_id));
	/* the name prefix search is still there */
	finds(c, "a first-name prefix", itest_fmt("q=Ada%s", run_id),
	      itest_fmt("1:%ld,", ada_id));
}

/* Words of notes find a candidate for those who may read the note: a
 * public one for everyone who sees the candidate, a private one for its
 * author alone. */
static void notes_find_people_only_for_those_who_may_read_them(void)
{
	struct itest_client *c = itest_as(&rita);
	char *pub = itest_fmt("Loves hiking%s in the Alps", run_id);
	char *priv = itest_fmt("Salary wish secretword%s", run_id);
	note(c, rita.csrf, ada_id, pub, true);
	note(c, rita.csrf, bob_id, priv, false);
	finds(c, "the author, a public note", itest_fmt("q=hiking%s", run_id),
	      itest_fmt("1:%ld,", ada_id));
	finds(c, "the author, her private note",
	      itest_fmt("q=secretword%s", run_id), itest_fmt("1:%ld,", bob_id));
	struct itest_client *o = itest_as(&rolf);
	finds(o, "another recruiter, a public note",
	      itest_fmt("q=hiking%s", run_id), itest_fmt("1:%ld,", ada_id));
	finds(o, "another recruiter, someone's private note",
	      itest_fmt("q=secretword%s", run_id), itest_strdup("0:"));
	/* rolf's own private note on the same candidate is his to find */
	char *own = itest_fmt("Rolf thinks secretword%s too", run_id);
	note(o, rolf.csrf, bob_id, own, false);
	finds(o, "another recruiter, his own private note",
	      itest_fmt("q=secretword%s", run_id), itest_fmt("1:%ld,", bob_id));
	/* a hiring manager on the job finds its candidate by a public note,
	 * and nobody else's even by a public one */
	note(c, rita.csrf, cy_id, pub, true);
	finds(itest_as(&hanna), "a hiring manager",
	      itest_fmt("q=hiking%s", run_id), itest_fmt("1:%ld,", ada_id));
	finds(itest_as(&hanna), "a hiring manager, words of others",
	      itest_fmt("q=kotlin%s", run_id), itest_fmt("1:%ld,", ada_id));
	free(own);
	free(pub);
	free(priv);
}

/* Each filter alone and two together, with and without words. */
static void each_filter_narrows_the_results(void)
{
	struct itest_client *c = itest_as(&rita);
	long stage2 = (long)itest_sql_int(
	    "SELECT id FROM job_stages WHERE job_id = %ld AND position = 2",
	    job_id);
	long stage3 = (long)itest_sql_int(
	    "SELECT id FROM job_stages WHERE job_id = %ld AND position = 3",
	    job_id);
	finds(c, "job", itest_fmt("job=%ld", job_id),
	      itest_fmt("1:%ld,", ada_id));
	finds(c, "job and words",
	      itest_fmt("q=kotlin%s&job=%ld", run_id, other_job_id),
	      itest_fmt("1:%ld,", cy_id));
	finds(c, "stage of the job",
	      itest_fmt("job=%ld&stage=%ld", job_id, stage2),
	      itest_fmt("1:%ld,", ada_id));
	finds(c, "another stage of the job",
	      itest_fmt("job=%ld&stage=%ld", job_id, stage3),
	      itest_strdup("0:"));
	finds(c, "source", itest_fmt("q=kotlin%s&source=agency", run_id),
	      itest_fmt("1:%ld,", bob_id));
	finds(c, "pool", itest_fmt("pool=%ld", pool_id),
	      itest_fmt("1:%ld,", ada_id));
	finds(c, "pool and words that miss",
	      itest_fmt("pool=%ld&q=globex%s", pool_id, run_id),
	      itest_strdup("0:"));
	finds(c, "added from (inclusive) and to (inclusive)",
	      itest_fmt("q=kotlin%s&added_from=%s&added_to=%s&sort=name",
			run_id, day[0], day[1]),
	      itest_fmt("2:%ld,%ld,", ada_id, bob_id));
	finds(c, "added to the day before",
	      itest_fmt("q=kotlin%s&added_to=%s", run_id, day[2]),
	      itest_strdup("0:"));
	finds(c, "added from the day after",
	      itest_fmt("q=kotlin%s&added_from=%s", run_id, day[3]),
	      itest_fmt("1:%ld,", cy_id));
	finds(c, "source and dates without words",
	      itest_fmt("source=Referral&added_from=%s&added_to=%s", day[0],
			day[0]),
	      itest_fmt("1:%ld,", ada_id));
	finds(c, "dates without words, newest first",
	      itest_fmt("added_from=%s&added_to=%s&sort=newest", day[0],
			day[1]),
	      itest_fmt("2:%ld,%ld,", bob_id, ada_id));
	/* the page offers the chosen job's stages */
	char *path = itest_fmt("/candidates?job=%ld", job_id);
	struct itest_resp r = itest_get(c, path, false);
	CHECK_STATUS(r, 200, path);
	char *opt = itest_fmt("<option value=\"%ld\"", stage2);
	CHECK_HAS(r, opt, "the stage filter lists the job's stages");
	CHECK_HAS(r, "name=\"added_from\"", "the date filter");
	itest_resp_free(&r);
	free(opt);
	free(path);
	/* a plain search links to the filters; the link opens them */
	path = itest_fmt("/candidates?q=kotlin%s", run_id);
	r = itest_get(c, path, false);
	char *link = itest_fmt("href=\"/candidates?filters=1&amp;q=kotlin%s\"",
			       run_id);
	CHECK_HAS(r, link, "a link to the filters");
	CHECK_LACKS(r, "name=\"added_from\"", "no filter fields yet");
	itest_resp_free(&r);
	free(path);
	path = itest_fmt("/candidates?filters=1&q=kotlin%s", run_id);
	r = itest_get(c, path, false);
	CHECK_HAS(r, "name=\"added_from\"", "the filters, opened");
	CHECK_HAS(r, "<option value=\"Referral\">", "the sources in use");
	itest_resp_free(&r);
	free(link);
	free(path);
}

/* How many times needle is in r's body. */
static int times_in(const struct itest_resp *r, const char *needle)
{
	int n = 0;
	for (const char *p = r->body; p && (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* The filters and the bulk bar offer the pools and jobs as they are now:
 * a pool made, renamed or deleted, and a job made, show on the next page,
 * though the lists are kept from page to page (web/offers.c). */
static void the_filters_and_bulk_bar_offer_pools_and_jobs_as_they_are(void)
{
	struct itest_client *c = itest_as(&rita);
	char *path = itest_fmt("/candidates?filters=1&q=kotlin%s", run_id);
	char *pn = w("Offered"), *renamed = w("Renamed"), *jt = w("Offeredjob");
	struct itest_resp r;
	for (int i = 0; i < 2; i++) { /* read, then kept */
		r = itest_get(c, path, false);
		CHECK_STATUS(r, 200, path);
		CHECK(times_in(&r, "id=\"bulk-pool\"") == 1,
		      "the bulk bar offers pools");
		CHECK_LACKS(r, pn, "no such pool yet");
		itest_resp_free(&r);
	}
	long pid = post_created(c, "/pools", "/pools/", rita.csrf, "name", pn,
				NULL, NULL);
	CHECK(pid > 0, "the pool is made");
	char *opt = itest_fmt("<option value=\"%ld\">%s</option>", pid, pn);
	r = itest_get(c, path, false);
	CHECK(times_in(&r, opt) == 2,
	      "the new pool in the pool filter and the bulk bar");
	itest_resp_free(&r);

	char *pool_path = itest_fmt("/pools/%ld", pid);
	CHECK(post_created(c, pool_path, NULL, rita.csrf, "name", renamed,
			   NULL, NULL) == 303,
	      "the pool is renamed");
	char *opt2 = itest_fmt("<option value=\"%ld\">%s</option>", pid,
			       renamed);
	r = itest_get(c, path, false);
	CHECK(times_in(&r, opt2) == 2, "the new name in both lists");
	CHECK_LACKS(r, opt, "the old name in neither");
	itest_resp_free(&r);

	char *del = itest_fmt("/pools/%ld/delete", pid);
	CHECK(post_created(c, del, NULL, rita.csrf, "confirm", "1", NULL,
			   NULL) == 303,
	      "the pool is deleted");
	r = itest_get(c, path, false);
	CHECK_LACKS(r, opt2, "a deleted pool in neither list");
	itest_resp_free(&r);

	long jid = post_created(c, "/jobs", "/jobs/", rita.csrf, "title", jt,
				NULL, NULL);
	CHECK(jid > 0, "the job is made");
	char *jopt = itest_fmt("<option value=\"%ld\"", jid);
	r = itest_get(c, path, false);
	CHECK(times_in(&r, jopt) >= 1 && times_in(&r, jt) >= 1,
	      "the new job in the job filter");
	itest_resp_free(&r);
	free(jopt);
	free(del);
	free(opt2);
	free(pool_path);
	free(opt);
	free(pn);
	free(renamed);
	free(jt);
	free(path);
}

/* Relevance puts name matches before word matches; newest and name sort
 * as they say. */
static void results_sort_by_relevance_newest_or_name(void)
{
	struct itest_client *c = itest_as(&rita);
	finds(c, "newest first", itest_fmt("q=kotlin%s&sort=newest", run_id),
	      itest_fmt("3:%ld,%ld,%ld,", cy_id, bob_id, ada_id));
	finds(c, "by name (Alpha, Beta, Gamma)",
	      itest_fmt("q=kotlin%s&sort=name", run_id),
	      itest_fmt("3:%ld,%ld,%ld,", ada_id, bob_id, cy_id));
	/* "Cy<pid>" is cy's first name and a word of nobody's headline:
	 * give ada's company that word, and cy, the name match, comes first */
	ITEST_SQL("a company named like cy",
		  itest_fmt("UPDATE candidates SET current_company = 'Cy%s "
			    "Labs' WHERE id = %ld",
			    run_id, ada_id));
	finds(c, "relevance: the name before the company",
	      itest_fmt("q=Cy%s", run_id),
	      itest_fmt("2:%ld,%ld,", cy_id, ada_id));
}

/* 120 candidates sharing a word: the total is exact (no "+"), pages of
 * 50 with numbered links, the current one marked, the last page has 20. */
static void totals_are_exact_and_the_pager_numbers_pages(void)
{
	struct itest_client *c = itest_as(&rita);
	ITEST_SQL("120 candidates",
		  itest_fmt("INSERT INTO candidates (first_name, last_name, "
			    "headline) SELECT CONCAT('Many', seq), 'Zed', "
			    "'Rust%s expert' FROM seq_1_to_120",
			    run_id));
	char *path = itest_fmt("/candidates?q=rust%s&page=2", run_id);
	long status = 0;
	json_t *j = get_json(c, path, &status);
	CHECK(status == 200 &&
		  json_integer_value(json_object_get(j, "total")) == 120 &&
		  json_is_false(json_object_get(j, "total_more")) &&
		  json_array_size(json_object_get(j, "candidates")) == 50 &&
		  json_integer_value(json_object_get(j, "pages")) == 3,
	      "120 found, page 2 of 3 with 50: %ld", status);
	CHECK(!strcmp(json_string_value(json_object_get(j, "total_text"))
			  ? json_string_value(json_object_get(j, "total_text"))
			  : "",
		      "120"),
	      "the total says 120");
	json_decref(j);
	free(path);
	path = itest_fmt("/candidates?q=rust%s&page=2", run_id);
	struct itest_resp r = itest_get(c, path, false);
	CHECK_STATUS(r, 200, path);
	CHECK_HAS(r, "<span class=\"count\" id=\"total\">120 found</span>",
		  "the count");
	char *p1 = itest_fmt("<a href=\"/candidates?page=1&amp;q=rust%s\" "
			     "class=\"page\">1</a>",
			     run_id);
	char *p2 = itest_fmt("<a href=\"/candidates?page=2&amp;q=rust%s\" "
			     "class=\"page current\" aria-current=\"page\">2</a>",
			     run_id);
	char *p3 = itest_fmt("<a href=\"/candidates?page=3&amp;q=rust%s\" "
			     "class=\"page\">3</a>",
			     run_id);
	CHECK_HAS(r, p1, "page 1 linked");
	CHECK_HAS(r, p2, "page 2 current");
	CHECK_HAS(r, p3, "page 3 linked");
	itest_resp_free(&r);
	free(path);
	path = itest_fmt("/candidates?q=rust%s&page=3&sort=name", run_id);
	j = get_json(c, path, &status);
	CHECK(status == 200 &&
		  json_array_size(json_object_get(j, "candidates")) == 20 &&
		  json_integer_value(json_object_get(j, "total")) == 120,
	      "the last page has 20");
	json_decref(j);
	free(path);
	/* past the end: a browser is sent to the last page, told why */
	path = itest_fmt("/candidates?q=rust%s&page=9&source=", run_id);
	r = itest_get(c, path, false);
	CHECK_STATUS(r, 303, path);
	CHECK(strstr(itest_location(&r), "page=3") != NULL,
	      "to the last page: %s", itest_location(&r));
	char *last = itest_strdup(itest_location(&r));
	itest_resp_free(&r);
	r = itest_get(c, last, false);
	CHECK_HAS(r, "There is no page 9: this list has 3 pages",
		  "the last page says why");
	itest_resp_free(&r);
	free(last);
	free(path);
	free(p1);
	free(p2);
	free(p3);
}

/* A hiring manager finds only the candidates of their jobs, with words
 * and with filters; a job they are not on is refused. */
static void hiring_managers_search_only_their_jobs(void)
{
	struct itest_client *h = itest_as(&hanna);
	finds(h, "all of hers", itest_strdup("q="), itest_fmt("1:%ld,", ada_id));
	finds(h, "source filter", itest_strdup("source=Agency"),
	      itest_strdup("0:"));
	finds(h, "her job", itest_fmt("job=%ld", job_id),
	      itest_fmt("1:%ld,", ada_id));
	char *path = itest_fmt("/candidates?job=%ld", other_job_id);
	struct itest_resp r = itest_get(h, path, true);
	CHECK_STATUS(r, 400, "a job she is not on");
	CHECK_HAS(r, "\"field\":\"job\"", "names the job");
	itest_resp_free(&r);
	free(path);
}

/* Every bad input is a 400 that names the field and says what it must
 * be. */
static void bad_filters_are_refused_naming_the_field(void)
{
	struct itest_client *c = itest_as(&rita);
	char *long_source = calloc(1, 102);
	memset(long_source, 's', 101);
	struct {
		char *query;
		const char *field, *says;
	} bad[] = {
	    {itest_strdup("added_from=2026-02-30"), "added_from", "YYYY-MM-DD"},
	    {itest_strdup("added_to=31.12.2026"), "added_to", "YYYY-MM-DD"},
	    {itest_strdup("added_from=2026-03-02&added_to=2026-03-01"),
	     "added_to", "on or after"},
	    {itest_fmt("stage=%ld", job_id), "stage", "needs a job"},
	    {itest_fmt("job=%ld&stage=%lld", job_id,
		       itest_sql_int("SELECT id FROM job_stages WHERE job_id "
				     "= %ld LIMIT 1",
				     other_job_id)),
	     "stage", "a stage of the chosen job"},
	    {itest_strdup("job=abc"), "job", "id of a job"},
	    {itest_strdup("job=999999999"), "job", "a job you can see"},
	    {itest_strdup("pool=999999999"), "pool", "talent pool"},
	    {itest_strdup("sort=best"), "sort", "relevance, newest or name"},
	    {itest_fmt("source=%s", long_source), "source", "at most 100"},
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *path = itest_fmt("/candidates?%s", bad[i].query);
		struct itest_resp r = itest_get(c, path, true);
		char *field = itest_fmt("\"field\":\"%s\"", bad[i].field);
		CHECK(r.status == 400 && strstr(r.body, field) &&
			  strstr(r.body, bad[i].says),
		      "%s: %ld %.300s", path, r.status, r.body);
		itest_resp_free(&r);
		free(field);
		free(path);
		free(bad[i].query);
	}
	/* the pool filter is the recruiters' */
	char *path = itest_fmt("/candidates?pool=%ld", pool_id);
	struct itest_resp r = itest_get(itest_as(&hanna), path, true);
	CHECK(r.status == 400 && strstr(r.body, "\"field\":\"pool\""),
	      "a hiring manager's pool filter: %ld", r.status);
	itest_resp_free(&r);
	free(path);
	free(long_source);
}

/* Until the worker's fold thread has indexed every changed candidate
 * (search_dirty empty), 20 s at most; whether it did. */
static bool folded(void)
{
	for (int i = 0; i < 200; i++) {
		if (itest_sql_int("SELECT COUNT(*) FROM search_dirty") == 0)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

/* The word index (sql/330) finds each word in a field or in a note the
 * viewer may read, not all in one place as FULLTEXT would: so these
 * searches are the index's.  A change is found at once (the search reads
 * changed candidates themselves), and again once the worker folded it
 * into the index; another user's private note never finds anyone. */
static void the_word_index_finds_changes_at_once_and_after_the_fold(void)
{
	struct itest_client *c = itest_as(&rita), *o = itest_as(&rolf);
	char *h = itest_fmt("Quartz%s analyst", run_id);
	long dee = candidate(c, rita.csrf, "Dee", "Delta", h, "", "", "",
			     "Fair");
	char *pub = itest_fmt("Zircon%s fan", run_id);
	char *priv = itest_fmt("Garnet%s only for rita", run_id);
	note(c, rita.csrf, dee, pub, true);
	note(c, rita.csrf, dee, priv, false);
	for (int round = 0; round < 2; round++) {
		const char *when = round ? "after the fold" : "at once";
		if (round)
			CHECK(folded(), "the worker folds the changes");
		finds(c, when, itest_fmt("q=quartz%s+zircon%s", run_id, run_id),
		      itest_fmt("1:%ld,", dee));
		finds(c, when, itest_fmt("q=garnet%s+quartz%s", run_id, run_id),
		      itest_fmt("1:%ld,", dee));
		finds(o, when, itest_fmt("q=zircon%s+quartz%s", run_id, run_id),
		      itest_fmt("1:%ld,", dee));
		finds(o, when, itest_fmt("q=garnet%s+quartz%s", run_id, run_id),
		      itest_strdup("0:"));
		finds(c, when,
		      itest_fmt("q=quartz%s&source=fair&added_from=%s", run_id,
				day[3]),
		      itest_fmt("1:%ld,", dee));
		finds(c, when,
		      itest_fmt("q=quartz%s&source=Fair&added_to=%s", run_id,
				day[3]),
		      itest_strdup("0:"));
		finds(c, when, itest_fmt("q=kotlin%s&source=agency", run_id),
		      itest_fmt("1:%ld,", bob_id));
		/* relevance: no name matches, so the newest added first */
		finds(c, when,
		      itest_fmt("q=kotlin%s&added_from=%s&added_to=%s", run_id,
				day[0], day[1]),
		      itest_fmt("2:%ld,%ld,", bob_id, ada_id));
	}
	CHECK(itest_sql_int("SELECT COUNT(*) FROM search_postings WHERE owner "
			    "= 0 AND term = 'zircon%s'",
			    run_id) == 1,
	      "the public note's word is in the index");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM search_postings WHERE owner "
			    "= %lld AND term = 'garnet%s'",
			    rita.id, run_id) == 1,
	      "the private note's word is rita's alone");

	/* a word changed: the new one finds dee, the old one nobody, at once
	 * and after the fold; so does a note deleted */
	ITEST_SQL("a new headline",
		  itest_fmt("UPDATE candidates SET headline = 'Onyx%s lead' "
			    "WHERE id = %ld",
			    run_id, dee));
	ITEST_SQL("the public note deleted",
		  itest_fmt("DELETE FROM notes WHERE candidate_id = %ld AND "
			    "visibility = 'public'",
			    dee));
	for (int round = 0; round < 2; round++) {
		const char *when = round ? "changed, after the fold"
					 : "changed, at once";
		if (round)
			CHECK(folded(), "the worker folds the changes");
		finds(c, when, itest_fmt("q=onyx%s", run_id),
		      itest_fmt("1:%ld,", dee));
		finds(c, when, itest_fmt("q=quartz%s", run_id),
		      itest_strdup("0:"));
		finds(c, when, itest_fmt("q=zircon%s", run_id),
		      itest_strdup("0:"));
	}
	CHECK(itest_sql_int("SELECT COUNT(*) FROM search_postings WHERE term "
			    "IN ('quartz%s', 'zircon%s')",
			    run_id, run_id) == 0,
	      "the old words left the index");
	/* deleted, found by nothing */
	ITEST_SQL("dee deleted",
		  itest_fmt("DELETE FROM candidates WHERE id = %ld", dee));
	finds(c, "deleted", itest_fmt("q=onyx%s", run_id), itest_strdup("0:"));
	CHECK(folded(), "the worker folds the deletion");
	finds(c, "deleted, after the fold", itest_fmt("q=onyx%s", run_id),
	      itest_strdup("0:"));
	CHECK(itest_sql_int("SELECT COUNT(*) FROM search_docs WHERE "
			    "candidate_id = %ld",
			    dee) == 0,
	      "nothing of dee is left in the index");
	free(h);
	free(pub);
	free(priv);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(words_of_headline_company_and_location_find_people),
	    TEST(notes_find_people_only_for_those_who_may_read_them),
	    TEST(each_filter_narrows_the_results),
	    TEST(the_filters_and_bulk_bar_offer_pools_and_jobs_as_they_are),
	    TEST(results_sort_by_relevance_newest_or_name),
	    TEST(totals_are_exact_and_the_pager_numbers_pages),
	    TEST(hiring_managers_search_only_their_jobs),
	    TEST(bad_filters_are_refused_naming_the_field),
	    TEST(the_word_index_finds_changes_at_once_and_after_the_fold),
	};
	static const struct suite suites[] = {
	    SUITE("search", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
