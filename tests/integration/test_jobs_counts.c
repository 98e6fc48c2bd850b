/*
 * test_jobs_counts.c - end-to-end tests of what the fast jobs list and job
 * page (sql/060_perf_jobs.sql) must keep exact, through nginx: the jobs
 * list's total and first page as a job becomes assigned, unassigned again,
 * changes status, or gets members by direct SQL (the counters are kept by
 * triggers, whoever writes); and a stage tab's order (active first, then
 * the others, each in the order they came), its pages and its counts.
 *
 * The program makes its own users and jobs, unique to the run, so it can run
 * again on the same stack.  It expects no other program to create jobs
 * while it runs (check.sh runs the programs one after another).
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

/* ------------------------------------------------------------ fixture */

static char *run_id;
static struct itest_person rita; /* recruiter: creates and assigns jobs */
static struct itest_person rob;	 /* another recruiter: sees unassigned jobs */
static struct itest_person hank; /* hiring manager, made a member */
static struct itest_person adam; /* admin: sees every job */

static int suite_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id)
		return -1;
	if (itest_person_add(&rita, "rita", "Counts", "recruiter", "none") <
		0 ||
	    itest_person_add(&rob, "rob", "Counts", "recruiter", "none") < 0 ||
	    itest_person_add(&hank, "hank", "Counts", "hiring_manager",
			     "none") < 0 ||
	    itest_person_add(&adam, "adam", "Counts", "admin", "none") < 0) {
		fprintf(stderr, "cannot create the test users\n");
		return -1;
	}
	/* rita posts forms: her client and token are at hand. */
	if (!itest_as(&rita))
		return -1;
	return 0;
}

static int suite_clean(void)
{
	struct itest_person *all[] = {&rita, &rob, &hank, &adam};
	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		itest_person_free(all[i]);
	free(run_id);
	return 0;
}

/* ------------------------------------------------------------ helpers */

/* GET path as JSON as p; the parsed body (new) or NULL when not 200. */
static json_t *get_json(struct itest_person *p, const char *path)
{
	struct itest_resp r = itest_get(itest_as(p), path, true);
	json_t *v = r.status == 200 ? json_loadb(r.body, r.len, 0, NULL) : NULL;
	CHECK(v != NULL, "GET %s as JSON: status %ld", path, r.status);
	if (!v)
		itest_dump(&r);
	itest_resp_free(&r);
	return v;
}

/* Creates a job through the form as p; its id, 0 on failure. */
static long long create_job(struct itest_person *p, const char *title)
{
	struct itest_client *c = itest_as(p);
	struct itest_resp r =
	    itest_post(c, "/jobs", false, p->csrf, "title", title, "location",
		       "", "description", "", NULL);
	CHECK_STATUS(r, 303, "POST /jobs");
	long long id = 0;
	const char *loc = itest_location(&r);
	if (!loc || sscanf(loc, "/jobs/%lld", &id) != 1)
		id = 0;
	CHECK(id > 0, "POST /jobs went to \"%s\", want /jobs/<id>",
	      loc ? loc : "");
	itest_resp_free(&r);
	return id;
}

/* What p's jobs list (JSON, /jobs?query) says: its total, and whether
 * its first page shows job id, and its pages count is right. */
struct listing {
	long long total;
	bool shows;
};

static struct listing list(struct itest_person *p, const char *query,
			   long long id)
{
	struct listing l = {-1, false};
	/* "" is every status: the list's default is active jobs (issue 18) */
	char *path = itest_fmt("/jobs?%s", *query ? query : "status=all");
	json_t *v = get_json(p, path);
	if (v) {
		json_t *j;
		size_t i;
		long long prev = 0;
		l.total = itest_jint(v, "total");
		CHECK(itest_jint(v, "pages") == (l.total + 49) / 50,
		      "%s as %s: %lld pages for %lld jobs", path, p->email,
		      itest_jint(v, "pages"), l.total);
		json_array_foreach(json_object_get(v, "jobs"), i, j)
		{
			if (itest_jint(j, "id") == id)
				l.shows = true;
			CHECK(!i || itest_jint(j, "id") < prev,
			      "%s: not newest first at %zu", path, i);
			prev = itest_jint(j, "id");
		}
		CHECK(json_array_size(json_object_get(v, "jobs")) ==
			  (size_t)(l.total < 50 ? l.total : 50),
		      "%s: %zu jobs on page 1 of %lld", path,
		      json_array_size(json_object_get(v, "jobs")), l.total);
	}
	json_decref(v);
	free(path);
	return l;
}

/* Checks p's list (query) has total want and shows job id or not. */
#define CHECK_LIST(p, query, id, want, shown)                                  \
	do {                                                                   \
		struct listing l_ = list((p), (query), (id));                  \
		CHECK(l_.total == (want) && l_.shows == (shown),               \
		      "%s: /jobs?%s total %lld (want %lld), job %s (want %s)", \
		      (p)->email, (query), l_.total, (long long)(want),        \
		      l_.shows ? "shown" : "not shown",                        \
		      (shown) ? "shown" : "not shown");                        \
	} while (0)

/* The user id of the member with that email on the job page as p sees
 * it; 0 when absent. */
static long long member_id(struct itest_person *p, long long job,
			   const char *email)
{
	char *path = itest_fmt("/jobs/%lld", job);
	json_t *v = get_json(p, path), *m;
	size_t i;
	long long id = 0;
	json_array_foreach(json_object_get(v, "members"), i, m)
	{
		if (!strcmp(itest_jstr(m, "email"), email))
			id = itest_jint(m, "user_id");
	}
	CHECK(id > 0, "%s is no member of job %lld", email, job);
	json_decref(v);
	free(path);
	return id;
}

/* ------------------------------------------------------------ tests */

static void list_total_follows_assigning_and_unassigning(void)
{
	struct listing rob0 = list(&rob, "", 0);
	struct listing rob_draft0 = list(&rob, "status=draft", 0);
	struct listing rob_active0 = list(&rob, "status=active", 0);
	struct listing hank0 = list(&hank, "", 0);
	struct listing hank_active0 = list(&hank, "status=active", 0);
	struct listing adam_draft0 = list(&adam, "status=draft", 0);
	struct listing adam0 = list(&adam, "", 0);
	struct listing rita0 = list(&rita, "", 0);

	/* A new job an admin makes is a draft nobody is assigned to: every
	 * recruiter's (a recruiter's own is theirs: test_jobs). */
	char *title = itest_fmt("Counted %s", run_id);
	long long id = create_job(&adam, title);
	CHECK_LIST(&rob, "", id, rob0.total + 1, true);
	CHECK_LIST(&rob, "status=draft", id, rob_draft0.total + 1, true);
	CHECK_LIST(&rob, "status=active", id, rob_active0.total, false);
	CHECK_LIST(&rita, "", id, rita0.total + 1, true);
	CHECK_LIST(&hank, "", id, hank0.total, false);
	CHECK_LIST(&adam, "", id, adam0.total + 1, true);
	CHECK_LIST(&adam, "status=draft", id, adam_draft0.total + 1, true);

	/* Activating it moves it between the status filters. */
	char *path = itest_fmt("/jobs/%lld/activate", id);
	struct itest_resp r = itest_post(rita.c, path, false, rita.csrf, NULL);
	CHECK_STATUS(r, 303, path);
	itest_resp_free(&r);
	free(path);
	CHECK_LIST(&rob, "status=draft", id, rob_draft0.total, false);
	CHECK_LIST(&rob, "status=active", id, rob_active0.total + 1, true);
	CHECK_LIST(&rob, "", id, rob0.total + 1, true);

	/* Assigning hank makes it rita's (kept as recruiter) and hank's,
	 * and no longer rob's. */
	char *mp = itest_fmt("/jobs/%lld/members", id);
	r = itest_post(rita.c, mp, false, rita.csrf, "action", "add", "email",
		       hank.email, "role", "hiring_manager", NULL);
	CHECK_STATUS(r, 303, "add hank");
	itest_resp_free(&r);
	CHECK_LIST(&rob, "", id, rob0.total, false);
	CHECK_LIST(&rob, "status=active", id, rob_active0.total, false);
	CHECK_LIST(&rita, "", id, rita0.total + 1, true);
	CHECK_LIST(&rita, "status=active", id,
		   list(&rita, "status=active", 0).total, true);
	CHECK_LIST(&hank, "", id, hank0.total + 1, true);
	CHECK_LIST(&hank, "status=active", id, hank_active0.total + 1, true);
	CHECK_LIST(&hank, "status=draft", id,
		   list(&hank, "status=draft", 0).total, false);
	CHECK_LIST(&adam, "", id, adam0.total + 1, true);
	CHECK_LIST(&adam, "status=draft", id, adam_draft0.total, false);

	/* Removing both members makes it unassigned again. */
	long long hank_id = member_id(&rita, id, hank.email);
	long long rita_id = member_id(&rita, id, rita.email);
	char *hid = itest_fmt("%lld", hank_id), *rid = itest_fmt("%lld", rita_id);
	r = itest_post(rita.c, mp, false, rita.csrf, "action", "remove",
		       "user_id", hid, NULL);
	CHECK_STATUS(r, 303, "remove hank");
	itest_resp_free(&r);
	CHECK_LIST(&rob, "", id, rob0.total, false);
	r = itest_post(rita.c, mp, false, rita.csrf, "action", "remove",
		       "user_id", rid, NULL);
	CHECK_STATUS(r, 303, "rita removes herself");
	itest_resp_free(&r);
	CHECK_LIST(&rob, "", id, rob0.total + 1, true);
	CHECK_LIST(&rob, "status=active", id, rob_active0.total + 1, true);
	CHECK_LIST(&hank, "", id, hank0.total, false);
	CHECK_LIST(&rita, "", id, rita0.total + 1, true);

	/* Members added with SQL (as imports and tests do) count too. */
	ITEST_SQL("hank by SQL",
		  itest_fmt("INSERT INTO job_members (job_id, user_id, "
			    "role) VALUES (%lld, %lld, 'interviewer');\n",
			    id, hank_id));
	CHECK_LIST(&rob, "", id, rob0.total, false);
	CHECK_LIST(&hank, "", id, hank0.total + 1, true);
	CHECK_LIST(&adam, "status=active", id,
		   list(&adam, "status=active", 0).total, true);
	ITEST_SQL(
	    "no hank by SQL",
	    itest_fmt("DELETE FROM job_members WHERE job_id = %lld;\n", id));
	CHECK_LIST(&rob, "", id, rob0.total + 1, true);
	CHECK_LIST(&adam, "", id, adam0.total + 1, true);

	/* Past the last page: no rows, and the same total, for every kind of
	 * list (each role's statement has its own total). */
	struct itest_person *who[] = {&rob, &hank, &adam};
	const char *filters[] = {"status=all", "status=active"};
	for (size_t i = 0; i < ARRAY_LEN(who); i++) {
		for (size_t f = 0; f < ARRAY_LEN(filters); f++) {
			long long want = list(who[i], filters[f], 0).total;
			char *far =
			    itest_fmt("/jobs?page=200&%s", filters[f]);
			json_t *v = get_json(who[i], far);
			CHECK(v && itest_jint(v, "total") == want &&
				  json_array_size(json_object_get(v, "jobs")) ==
				      0,
			      "%s as %s: total %lld, want %lld, and no rows",
			      far, who[i]->email, itest_jint(v, "total"), want);
			json_decref(v);
			free(far);
		}
	}

	free(hid);
	free(rid);
	free(mp);
	free(title);
}

/* "First Last" names of the applications on a stage tab page, in order
 * ("Ord<run>-A,...": the first names); new. */
static char *tab_names(json_t *page)
{
	struct buf b = BUF_INIT;
	json_t *a;
	size_t i;
	json_array_foreach(json_object_get(page, "applications"), i, a)
	{
		const char *n = itest_jstr(a, "name");
		const char *sp = strchr(n, ' ');
		buf_addf(&b, "%s%.*s", i ? "," : "",
			 (int)(sp ? (size_t)(sp - n) : strlen(n)), n);
	}
	char *s = buf_detach(&b, NULL);
	return s ? s : strdup("");
}

static void stage_tab_lists_active_first_and_counts_every_status(void)
{
	char *title = itest_fmt("Ordered %s", run_id);
	long long id = create_job(&rita, title);
	char *p0 = itest_fmt("/jobs/%lld?stage=prospect", id);
	json_t *v = get_json(&rita, p0);
	long long prospect = itest_jint(json_object_get(v, "stage"), "id");
	json_decref(v);
	CHECK(prospect > 0, "no Prospect stage");

	/* A, C active; B rejected, D hired, E withdrawn; then 49 active
	 * (F01..F49), in that order of creation. */
	static const struct {
		const char *name, *status;
	} first[] = {{"A", "active"},
		     {"B", "rejected"},
		     {"C", "active"},
		     {"D", "hired"},
		     {"E", "withdrawn"}};
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < ARRAY_LEN(first) + 49; i++) {
		char name[8];
		const char *status = "active";
		if (i < ARRAY_LEN(first)) {
			snprintf(name, sizeof(name), "%s", first[i].name);
			status = first[i].status;
		} else {
			snprintf(name, sizeof(name), "F%02zu",
				 i - ARRAY_LEN(first) + 1);
		}
		buf_addf(
		    &b,
		    "INSERT INTO candidates (first_name, last_name, email) "
		    "VALUES ('%s', 'Ord%s', 'ord-%s.%s@cand.hirelink.test'"
		    ");\nINSERT INTO applications (job_id, candidate_id, "
		    "stage_id, status) VALUES (%lld, LAST_INSERT_ID(), "
		    "%lld, '%s');\n",
		    name, run_id, name, run_id, id, prospect, status);
	}
	ITEST_SQL("54 applications", buf_detach(&b, NULL));

	struct buf want1 = BUF_INIT;
	buf_adds(&want1, "A,C");
	for (int i = 1; i <= 48; i++)
		buf_addf(&want1, ",F%02d", i);

	v = get_json(&rita, p0);
	json_t *st = json_object_get(v, "stage");
	CHECK(itest_jint(st, "total") == 54 &&
		  itest_jint(st, "active_count") == 51,
	      "Prospect total %lld active %lld, want 54 and 51",
	      itest_jint(st, "total"), itest_jint(st, "active_count"));
	CHECK(itest_jint(v, "pages") == 2, "%lld pages, want 2",
	      itest_jint(v, "pages"));
	json_t *tab0 = json_array_get(json_object_get(v, "stages"), 0);
	json_t *tab1 = json_array_get(json_object_get(v, "stages"), 1);
	CHECK(itest_jint(tab0, "active_count") == 51 &&
		  itest_jint(tab1, "active_count") == 0,
	      "tab counts %lld and %lld, want 51 and 0",
	      itest_jint(tab0, "active_count"),
	      itest_jint(tab1, "active_count"));
	char *got = tab_names(v);
	CHECK(!strcmp(got, want1.data), "page 1: %s\nwant %s", got, want1.data);
	free(got);
	json_decref(v);

	char *p2 = itest_fmt("/jobs/%lld?stage=%lld&page=2", id, prospect);
	v = get_json(&rita, p2);
	got = v ? tab_names(v) : strdup("");
	CHECK(!strcmp(got, "F49,B,D,E"), "page 2: %s, want F49,B,D,E", got);
	CHECK(v && itest_jint(json_object_get(v, "stage"), "total") == 54,
	      "page 2 total");
	free(got);
	json_decref(v);

	/* The HTML tab and the heading show the stage's count: its active
	 * candidates and those hired there (D), sql/170. */
	struct itest_resp r = itest_get(itest_as(&rita), p0, false);
	CHECK_STATUS(r, 200, p0);
	CHECK_HAS(r, "Prospect <span class=\"tab-count\">52</span>",
		  "the Prospect tab's count");
	CHECK_HAS(r, "52 candidate(s), 1 hired",
		  "the Prospect heading's count");
	itest_resp_free(&r);

	/* Reject F01..F48: A, C, F49 active, then B, D, E, F01..F48.  Page 1
	 * now ends among the closed ones, page 2 is closed ones only. */
	ITEST_SQL("rejecting 48",
		  itest_fmt("UPDATE applications ap JOIN candidates c "
			    "ON c.id = ap.candidate_id SET "
			    "ap.status = 'rejected' WHERE ap.job_id "
			    "= %lld AND c.first_name LIKE 'F%%' AND "
			    "c.first_name <> 'F49'",
			    id));
	struct buf want3 = BUF_INIT;
	buf_adds(&want3, "A,C,F49,B,D,E");
	for (int i = 1; i <= 44; i++)
		buf_addf(&want3, ",F%02d", i);
	v = get_json(&rita, p0);
	got = v ? tab_names(v) : strdup("");
	CHECK(!strcmp(got, want3.data), "page 1 after: %s\nwant %s", got,
	      want3.data);
	CHECK(v && itest_jint(json_object_get(v, "stage"), "active_count") == 3,
	      "3 active");
	free(got);
	json_decref(v);
	v = get_json(&rita, p2);
	got = v ? tab_names(v) : strdup("");
	CHECK(!strcmp(got, "F45,F46,F47,F48"),
	      "page 2 after: %s, want F45,F46,F47,F48", got);
	free(got);
	json_decref(v);
	buf_release(&want3);

	buf_release(&want1);
	free(p2);
	free(p0);
	free(title);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(list_total_follows_assigning_and_unassigning),
	    TEST(stage_tab_lists_active_first_and_counts_every_status),
	};
	static const struct suite suites[] = {
	    SUITE("jobs_counts", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
