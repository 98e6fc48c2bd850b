/*
 * test_jobs.c - end-to-end tests of jobs (F1), through nginx: creating a
 * job and its default pipeline, the list (search, filter, pagination), the
 * job page and its stage tabs, editing and the status of a job with its
 * audit trail, members, the pipeline editor, who may see and change what,
 * and hostile input.
 *
 * Every test is named after what a user does or sees.  The program makes
 * its own users and jobs, with names unique to the run, so it can run
 * again on the same stack.  Rows a user cannot make through these pages
 * (candidates and applications, jobs in bulk) are inserted with SQL.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

/* ------------------------------------------------------------ fixture */

static char *run_id;
static struct itest_person rita; /* recruiter: creates and manages jobs */
static struct itest_person rob;	 /* another recruiter */
static struct itest_person hank; /* hiring manager, made a member */
static struct itest_person hugo; /* hiring manager, never a member */
static struct itest_person ivan; /* interviewer, never a member */
static struct itest_person inez; /* interviewer, made a member */
static struct itest_person olga; /* recruiter whose account is deactivated */
static struct itest_person hana; /* hiring manager: the kept jobs list */
static struct itest_person adam; /* admin: assigns jobs of others */

static int suite_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id)
		return -1;
	if (itest_person_add(&rita, "rita", "Jobs", "recruiter", "none") < 0 ||
	    itest_person_add(&rob, "rob", "Jobs", "recruiter", "none") < 0 ||
	    itest_person_add(&hank, "hank", "Jobs", "hiring_manager", "none") <
		0 ||
	    itest_person_add(&hugo, "hugo", "Jobs", "hiring_manager", "none") <
		0 ||
	    itest_person_add(&ivan, "ivan", "Jobs", "interviewer", "none") <
		0 ||
	    itest_person_add(&inez, "inez", "Jobs", "interviewer", "none") <
		0 ||
	    itest_person_add(&olga, "olga", "Jobs", "recruiter", "none") < 0 ||
	    itest_person_add(&hana, "hana", "Jobs", "hiring_manager", "none") <
		0 ||
	    itest_person_add(&adam, "adam", "Jobs", "admin", "none") < 0) {
		fprintf(stderr, "cannot create the test users\n");
		return -1;
	}
	/* rita and hank post forms: their clients and tokens are at hand. */
	if (!itest_as(&rita) || !itest_as(&hank))
		return -1;
	return 0;
}

static int suite_clean(void)
{
	struct itest_person *all[] = {&rita, &rob,  &hank, &hugo, &ivan,
				      &inez, &olga, &hana, &adam};
	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		itest_person_free(all[i]);
	free(run_id);
	return 0;
}

/* ------------------------------------------------------------ helpers */

/* The jobs list shows active jobs unless asked otherwise (issue 18); the
 * tests here list every status, as the list did before: path with
 * status=all when it is the list without a status.  Rotating buffers. */
static const char *listed(const char *path)
{
	static char bufs[8][4096];
	static int next;
	if (strncmp(path, "/jobs", 5) || (path[5] && path[5] != '?') ||
	    strstr(path, "status="))
		return path;
	char *b = bufs[next++ % 8];
	snprintf(b, sizeof(bufs[0]), "/jobs?status=all%s%s",
		 path[5] ? "&" : "", path[5] ? path + 6 : "");
	return b;
}

static struct itest_resp get(struct itest_person *p, const char *path)
{
	return itest_get(itest_as(p), listed(path), false);
}

static char *members_of(json_t *page);

/* Creates a job through the form as p; its id, 0 on failure. */
static long long create_job(struct itest_person *p, const char *title,
			    const char *location, const char *description)
{
	struct itest_client *c = itest_as(p);
	struct itest_resp r =
	    itest_post(c, "/jobs", false, p->csrf, "title", title, "location",
		       location, "description", description, NULL);
	CHECK_STATUS(r, 303, "POST /jobs");
	long long id = 0;
	const char *loc = itest_location(&r);
	if (sscanf(loc, "/jobs/%lld", &id) != 1)
		id = 0;
	CHECK(id > 0, "POST /jobs went to \"%s\", want /jobs/<id>", loc);
	itest_resp_free(&r);
	return id;
}

/* The job page's data as p sees it (new; NULL when not 200). */
static json_t *job_json(struct itest_person *p, long long id, const char *query)
{
	long st;
	char *path = itest_fmt("/jobs/%lld%s", id, query ? query : "");
	json_t *v = itest_get_json(itest_as(p), listed(path), &st);
	CHECK(st == 200, "GET %s as JSON: status %ld", path, st);
	free(path);
	if (st != 200) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* Stage i (0-based) of a job page's data, NULL when absent. */
static json_t *stage_at(json_t *page, size_t i)
{
	return json_array_get(json_object_get(page, "stages"), i);
}

/* The id of the stage called name; 0 when absent. */
static long long stage_id(json_t *page, const char *name)
{
	json_t *s;
	size_t i;
	json_array_foreach(json_object_get(page, "stages"), i,
			   s) if (!strcmp(itest_jstr(s, "name"),
					  name)) return itest_jint(s, "id");
	return 0;
}

/* "Name,Name,..." of the pipeline, positions checked dense 1..n; new. */
static char *pipeline(json_t *page)
{
	struct buf b = BUF_INIT;
	json_t *s;
	size_t i;
	json_array_foreach(json_object_get(page, "stages"), i, s)
	{
		buf_addf(&b, "%s%s", i ? "," : "", itest_jstr(s, "name"));
		CHECK(itest_jint(s, "position") == (long long)i + 1,
		      "stage %s at position %lld, want %zu",
		      itest_jstr(s, "name"), itest_jint(s, "position"), i + 1);
	}
	return buf_detach(&b, NULL);
}

/* Whether the job page's history holds action (with detail containing
 * want_detail, when given). */
static bool history_has(json_t *page, const char *action,
			const char *want_detail)
{
	json_t *e;
	size_t i;
	json_array_foreach(json_object_get(page, "history"), i, e)
	{
		if (strcmp(itest_jstr(e, "action"), action))
			continue;
		if (!want_detail ||
		    strstr(itest_jstr(e, "detail"), want_detail))
			return true;
	}
	return false;
}

/* The total of /jobs?<query> as p sees it as JSON; -1 on failure. */
static long long list_total(struct itest_person *p, const char *query)
{
	long st;
	char *path = itest_fmt("/jobs?%s", query);
	json_t *v = itest_get_json(itest_as(p), listed(path), &st);
	long long n = st == 200 ? itest_jint(v, "total") : -1;
	CHECK(st == 200, "GET %s: status %ld", path, st);
	free(path);
	json_decref(v);
	return n;
}

/* url-encodes s; new */
static char *enc(const char *s)
{
	struct buf b = BUF_INIT;
	buf_add_url(&b, s, strlen(s));
	return buf_detach(&b, NULL);
}

/* Adds a candidate and their application at stage_id of job (status
 * 'active' etc.) with SQL. */
static void add_application(long long job, long long stage, const char *first,
			    const char *status)
{
	ITEST_SQL(
	    "an application",
	    itest_fmt(
		"INSERT INTO candidates (first_name, last_name, email) VALUES "
		"('%s', 'Cand%s', '%s.%s@cand.hirelink.test');\n"
		"INSERT INTO applications (job_id, candidate_id, stage_id, "
		"status) "
		"VALUES (%lld, LAST_INSERT_ID(), %lld, '%s');\n",
		first, run_id, first, run_id, job, stage, status));
}

/* ------------------------------------------------------------ creating */

static void recruiter_creates_job_with_default_pipeline(void)
{
	char *title = itest_fmt("Backend Engineer %s", run_id);
	long long id = create_job(&rita, title, "Berlin", "Build things.");
	char *pid = itest_fmt("J-%05lld", id);
	char *path = itest_fmt("/jobs/%lld", id);

	struct itest_resp r = get(&rita, path);
	CHECK_STATUS(r, 200, path);
	CHECK_HAS(r, title, "job page");
	CHECK_HAS(r, pid, "job page");
	CHECK_HAS(r, "Berlin", "job page");
	CHECK_HAS(r, ">draft<", "job page");
	CHECK_HAS(r, "Prospect <span class=\"tab-count\">0</span>",
		  "Prospect tab with 0");
	CHECK_HAS(r, "Edit job", "the recruiter's job page");
	CHECK_HAS(r, "No candidates at this stage", "the first tab");
	itest_resp_free(&r);

	json_t *v = job_json(&rita, id, NULL);
	static const char *const names[] = {"Prospect", "Screen", "Interview",
					    "Offer", "Hired"};
	static const char *const kinds[] = {"prospect", "screen", "interview",
					    "offer", "hired"};
	json_t *stages = json_object_get(v, "stages");
	CHECK(json_array_size(stages) == 5, "%zu stages, want 5",
	      json_array_size(stages));
	for (size_t i = 0; i < 5 && i < json_array_size(stages); i++) {
		json_t *s = stage_at(v, i);
		CHECK(!strcmp(itest_jstr(s, "name"), names[i]) &&
			  !strcmp(itest_jstr(s, "kind"), kinds[i]) &&
			  itest_jint(s, "position") == (long long)i + 1 &&
			  itest_jint(s, "active_count") == 0 &&
			  json_is_integer(json_object_get(s, "id")),
		      "stage %zu is %s/%s at %lld with %lld", i,
		      itest_jstr(s, "name"), itest_jstr(s, "kind"),
		      itest_jint(s, "position"), itest_jint(s, "active_count"));
	}
	json_t *job = json_object_get(v, "job");
	CHECK(json_is_integer(json_object_get(job, "id")) &&
		  itest_jint(job, "id") == id,
	      "JSON job.id is not the integer %lld", id);
	CHECK(!strcmp(itest_jstr(job, "public_id"), pid),
	      "public_id %s, want %s", itest_jstr(job, "public_id"), pid);
	CHECK(!strcmp(itest_jstr(job, "status"), "draft"),
	      "status %s, want draft", itest_jstr(job, "status"));
	CHECK(!strcmp(itest_jstr(json_object_get(v, "stage"), "kind"),
		      "prospect"),
	      "the selected tab is not Prospect");
	/* Its creator is its recruiter, so nobody assigning it later locks
	 * them out (issue 17). */
	char *m0 = members_of(v);
	char *want0 = itest_fmt("%s:recruiter", rita.email);
	CHECK(m0 && !strcmp(m0, want0), "a new job's members \"%s\", want "
	      "\"%s\"", m0, want0);
	free(m0);
	free(want0);
	CHECK(history_has(v, "job.create", NULL), "no job.create audit row");
	json_decref(v);

	/* In the list with its job ID, for its creator; not for another
	 * recruiter, since it has a member (its creator). */
	char *q = itest_fmt("q=%s", pid);
	CHECK(list_total(&rita, q) == 1, "search %s as the creator", pid);
	CHECK(list_total(&rob, q) == 0, "search %s as another recruiter", pid);
	r = get(&rita, "/jobs");
	CHECK_HAS(r, pid, "GET /jobs");
	CHECK_HAS(r, "New job", "GET /jobs as a recruiter");
	itest_resp_free(&r);
	r = get(&hugo, "/jobs");
	CHECK_LACKS(r, "New job", "GET /jobs as a hiring manager");
	CHECK_LACKS(r, pid, "GET /jobs as a hiring manager");
	itest_resp_free(&r);

	free(q);
	free(title);
	free(pid);
	free(path);
}

static void new_job_as_json_is_201_with_the_job(void)
{
	char *title = itest_fmt("Json Job %s", run_id);
	struct itest_resp r =
	    itest_post(rita.c, "/jobs", true, rita.csrf, "title", title,
		       "location", "Remote", NULL);
	CHECK_STATUS(r, 201, "POST /jobs as JSON");
	json_t *v = json_loadb(r.body, r.len, 0, NULL);
	json_t *job = json_object_get(v, "job");
	CHECK(!strcmp(itest_jstr(job, "title"), title) &&
		  itest_jint(job, "id") > 0,
	      "POST /jobs JSON has no job");
	CHECK(json_array_size(json_object_get(v, "stages")) == 5,
	      "JSON job has %zu stages",
	      json_array_size(json_object_get(v, "stages")));
	json_decref(v);
	itest_resp_free(&r);
	free(title);
}

static void hiring_manager_cannot_create_jobs(void)
{
	char *title = itest_fmt("Not Allowed %s", run_id);
	struct itest_resp r =
	    itest_post(hank.c, "/jobs", false, hank.csrf, "title", title, NULL);
	CHECK_STATUS(r, 403, "POST /jobs as a hiring manager");
	itest_resp_free(&r);
	r = get(&hank, "/jobs/new");
	CHECK_STATUS(r, 403, "GET /jobs/new as a hiring manager");
	itest_resp_free(&r);
	char *qe = enc(title);
	char *q = itest_fmt("q=%s", qe);
	CHECK(list_total(&rita, q) == 0, "the refused job exists");
	free(q);
	free(qe);
	free(title);
}

static void too_long_title_is_400_and_keeps_the_form(void)
{
	char title[202];
	memset(title, 'a', 201);
	title[201] = 0;
	char *loc = itest_fmt("Kept Location %s", run_id);
	struct itest_resp r = itest_post(
	    rita.c, "/jobs", false, rita.csrf, "title", title, "location", loc,
	    "description", "Kept description", NULL);
	CHECK_STATUS(r, 400, "POST /jobs with a 201-character title");
	CHECK_HAS(r, "<strong>Title</strong>", "the error names the field");
	CHECK_HAS(r, "1 to 200 characters", "the error says the limit");
	char *kept = itest_fmt("value=\"%s\"", loc);
	CHECK_HAS(r, kept, "the location is kept");
	CHECK_HAS(r, title, "the title is kept");
	CHECK_HAS(r, ">Kept description</textarea>", "the description is kept");
	CHECK_HAS(r, "action=\"/jobs\"", "the form is shown again");
	itest_resp_free(&r);
	free(kept);

	/* JSON names the field too. */
	r = itest_post(rita.c, "/jobs", true, rita.csrf, "title", title, NULL);
	CHECK_STATUS(r, 400, "POST /jobs JSON with a long title");
	json_t *v = json_loadb(r.body, r.len, 0, NULL);
	CHECK(
	    !strcmp(itest_jstr(json_object_get(v, "error"), "field"), "title"),
	    "JSON error field is not title");
	json_decref(v);
	itest_resp_free(&r);

	/* 200 characters of two bytes each fit: the limit is characters. */
	struct buf b = BUF_INIT;
	for (int i = 0; i < 200; i++)
		buf_adds(&b, "\xc3\xa9");
	r = itest_post(rita.c, "/jobs", false, rita.csrf, "title", b.data,
		       NULL);
	CHECK_STATUS(r, 303, "POST /jobs with 200 two-byte characters");
	itest_resp_free(&r);
	buf_release(&b);

	r = itest_post(rita.c, "/jobs", false, rita.csrf, "title", "   ", NULL);
	CHECK_STATUS(r, 400, "POST /jobs with a blank title");
	itest_resp_free(&r);

	/* The other fields' limits, at the edge and one past it. */
	char *longloc = calloc(1, 202);
	memset(longloc, 'L', 201);
	r = itest_post(rita.c, "/jobs", false, rita.csrf, "title",
		       "Long location", "location", longloc, NULL);
	CHECK_STATUS(r, 400, "a 201-character location");
	CHECK_HAS(r, "<strong>Location</strong>", "a long location");
	itest_resp_free(&r);
	free(longloc);
	char *desc = calloc(1, 100002);
	memset(desc, 'd', 100000);
	char *t100k = itest_fmt("Long description %s", run_id);
	r = itest_post(rita.c, "/jobs", false, rita.csrf, "title", t100k,
		       "description", desc, NULL);
	CHECK_STATUS(r, 303, "a 100,000-character description");
	itest_resp_free(&r);
	desc[100000] = 'd';
	r = itest_post(rita.c, "/jobs", false, rita.csrf, "title", t100k,
		       "description", desc, NULL);
	CHECK_STATUS(r, 400, "a 100,001-character description");
	CHECK_HAS(r, "<strong>Description</strong>", "a long description");
	itest_resp_free(&r);
	free(t100k);
	free(desc);
	free(loc);
}

static void post_without_csrf_is_forbidden(void)
{
	char *title = itest_fmt("No Csrf %s", run_id);
	struct itest_resp r =
	    itest_post(rita.c, "/jobs", false, NULL, "title", title, NULL);
	CHECK_STATUS(r, 403, "POST /jobs without CSRF");
	itest_resp_free(&r);
	char *qe = enc(title);
	char *q = itest_fmt("q=%s", qe);
	CHECK(list_total(&rita, q) == 0, "a job was created without CSRF");

	long long id = create_job(&rita, title, "", "");
	char *path = itest_fmt("/jobs/%lld/close", id);
	r = itest_post(rita.c, path, false, NULL, NULL);
	CHECK_STATUS(r, 403, "POST close without CSRF");
	itest_resp_free(&r);
	json_t *v = job_json(&rita, id, NULL);
	CHECK(!strcmp(itest_jstr(json_object_get(v, "job"), "status"), "draft"),
	      "the job changed without CSRF");
	json_decref(v);
	free(path);
	free(q);
	free(qe);
	free(title);
}

static void hostile_text_comes_back_escaped_and_verbatim(void)
{
	char *title =
	    itest_fmt("<script>alert(1)</script> O'Brien \"x\" %%_ \\ %s", run_id);
	const char *loc = "Z\xc3\xbcrich <b>&amp;</b>";
	const char *desc = "Line 1\n'; DROP TABLE jobs; --\n<img src=x "
			   "onerror=alert(2)>";
	long long id = create_job(&rita, title, loc, desc);
	char *path = itest_fmt("/jobs/%lld", id);

	struct itest_resp r = get(&rita, path);
	CHECK_STATUS(r, 200, path);
	char *want = itest_fmt("&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien "
			 "&quot;x&quot; %%_ \\ %s",
			 run_id);
	CHECK_HAS(r, want, "the escaped title");
	CHECK_LACKS(r, "<script>alert(1)", "the job page");
	CHECK_LACKS(r, "<b>&amp;</b>", "the job page");
	CHECK_HAS(r, "Z\xc3\xbcrich &lt;b&gt;&amp;amp;&lt;/b&gt;",
		  "the escaped location");
	CHECK_HAS(r, "&lt;img src=x onerror=alert(2)&gt;",
		  "the escaped description");
	CHECK_LACKS(r, "<img src=x", "the job page");
	itest_resp_free(&r);

	json_t *v = job_json(&rita, id, NULL);
	json_t *job = json_object_get(v, "job");
	CHECK(!strcmp(itest_jstr(job, "title"), title), "JSON title \"%s\"",
	      itest_jstr(job, "title"));
	CHECK(!strcmp(itest_jstr(job, "location"), loc), "JSON location \"%s\"",
	      itest_jstr(job, "location"));
	CHECK(!strcmp(itest_jstr(job, "description"), desc),
	      "JSON description \"%s\"", itest_jstr(job, "description"));
	json_decref(v);

	/* The list escapes it too, and a search with LIKE's metacharacters
	 * finds it (and only it). */
	char *qe = enc(title);
	char *q = itest_fmt("q=%s", qe);
	CHECK(list_total(&rita, q) == 1, "searching for the hostile title");
	char *lp = itest_fmt("/jobs?%s", q);
	r = get(&rita, lp);
	CHECK_HAS(r, want, "the escaped title in the list");
	CHECK_LACKS(r, "<script>alert(1)", "the list");
	itest_resp_free(&r);
	char *q2 = itest_fmt("q=%s", "%25_%20%5C");
	long long n = list_total(&rita, q2);
	CHECK(n >= 1, "searching for \"%%_ \\\" finds %lld", n);

	free(q2);
	free(lp);
	free(q);
	free(qe);
	free(want);
	free(path);
	free(title);
}

/* ------------------------------------------------------------ the list */

static void search_by_title_and_by_job_id(void)
{
	char *title = itest_fmt("Searchable Quokka Wrangler %s", run_id);
	long long id = create_job(&rita, title, "Perth", "");
	char *qs[] = {itest_fmt("q=Quokka%%20Wrangler%%20%s", run_id),
		      itest_fmt("q=quokka%%20wrangler%%20%s", run_id),
		      itest_fmt("q=J-%05lld", id), itest_fmt("q=j-%05lld", id),
		      itest_fmt("q=J%lld", id)};
	for (size_t i = 0; i < ARRAY_LEN(qs); i++) {
		long st;
		char *path = itest_fmt("/jobs?%s", qs[i]);
		json_t *v = itest_get_json(itest_as(&rita), listed(path), &st);
		json_t *first = json_array_get(json_object_get(v, "jobs"), 0);
		CHECK(itest_jint(v, "total") == 1 &&
			  itest_jint(first, "id") == id,
		      "%s: total %lld, first %lld, want job %lld", path,
		      itest_jint(v, "total"), itest_jint(first, "id"), id);
		json_decref(v);
		free(path);
		free(qs[i]);
	}
	/* The bare number finds the job among titles with that number. */
	char *path = itest_fmt("/jobs?q=%lld", id);
	struct itest_resp r = get(&rita, path);
	char *pid = itest_fmt("J-%05lld", id);
	CHECK_HAS(r, pid, "search by the bare number");
	itest_resp_free(&r);
	char *none = itest_fmt("q=NoSuchJob%s", run_id);
	CHECK(list_total(&rita, none) == 0, "a search that matches nothing");
	r = get(&rita, "/jobs?q=NoSuchJobAtAll%25");
	CHECK_STATUS(r, 200, "a search that matches nothing");
	CHECK_HAS(r, "No jobs match", "a search that matches nothing");
	itest_resp_free(&r);
	free(none);

	/* The limit is 200 characters, not bytes: 200 two-byte letters
	 * search (and find nothing: no title here is Cyrillic), 201 are
	 * refused with the reason. */
	for (int n = 200; n <= 201; n++) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "/jobs?q=");
		for (int i = 0; i < n; i++)
			buf_adds(&b, "%D0%B6"); /* ж */
		r = get(&rita, b.data);
		if (n == 200) {
			CHECK_STATUS(r, 200, "a search of 200 letters ж");
			CHECK_HAS(r, "No jobs match", "searched for them");
		} else {
			CHECK_STATUS(r, 400, "a search of 201 letters ж");
			CHECK_HAS(r, "at most 200 characters", "says why");
		}
		itest_resp_free(&r);
		buf_release(&b);
	}
	free(pid);
	free(path);
	free(title);
}

static void jobs_filter_by_status(void)
{
	char *d = itest_fmt("Filter %s draft", run_id);
	char *a = itest_fmt("Filter %s active", run_id);
	char *c = itest_fmt("Filter %s closed", run_id);
	create_job(&rita, d, "", "");
	long long ia = create_job(&rita, a, "", "");
	long long ic = create_job(&rita, c, "", "");
	char *pa = itest_fmt("/jobs/%lld/activate", ia);
	char *pc = itest_fmt("/jobs/%lld/close", ic);
	struct itest_resp r = itest_post(rita.c, pa, false, rita.csrf, NULL);
	CHECK_STATUS(r, 303, pa);
	itest_resp_free(&r);
	r = itest_post(rita.c, pc, false, rita.csrf, NULL);
	CHECK_STATUS(r, 303, pc);
	itest_resp_free(&r);

	static const char *const st[] = {"draft", "active", "closed"};
	const char *want[] = {d, a, c};
	for (size_t i = 0; i < 3; i++) {
		long s;
		char *path =
		    itest_fmt("/jobs?q=Filter%%20%s&status=%s", run_id, st[i]);
		json_t *v = itest_get_json(itest_as(&rita), listed(path), &s);
		json_t *first = json_array_get(json_object_get(v, "jobs"), 0);
		CHECK(itest_jint(v, "total") == 1 &&
			  !strcmp(itest_jstr(first, "title"), want[i]),
		      "%s: total %lld, first \"%s\"", path,
		      itest_jint(v, "total"), itest_jstr(first, "title"));
		json_decref(v);
		free(path);
	}
	char *all = itest_fmt("q=Filter%%20%s", run_id);
	CHECK(list_total(&rita, all) == 3, "all statuses");
	r = get(&rita, "/jobs?status=open");
	CHECK_STATUS(r, 400, "an unknown status");
	itest_resp_free(&r);
	free(all);
	free(pa);
	free(pc);
	free(d);
	free(a);
	free(c);
}

/* Inserts n jobs titled "<prefix> NN" with SQL (unassigned: every
 * recruiter sees them). */
static void insert_jobs(const char *prefix, int from, int to)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "INSERT INTO jobs (title, location, description, status) "
		     "VALUES ");
	for (int i = from; i <= to; i++)
		buf_addf(&b, "%s('%s %02d', 'Pageville', '', 'active')",
			 i > from ? ", " : "", prefix, i);
	buf_adds(&b, ";\n");
	ITEST_SQL("jobs", buf_detach(&b, NULL));
}

static void jobs_pagination_edges(void)
{
	char *prefix = itest_fmt("Pagedge%s", run_id);
	char *list = itest_fmt("/jobs?q=%s", prefix);
	char *row = itest_fmt(">%s ", prefix);

	/* Nothing yet: the empty state, no pager. */
	struct itest_resp r = get(&rita, list);
	CHECK_STATUS(r, 200, list);
	CHECK_HAS(r, "No jobs match", "an empty result");
	CHECK_LACKS(r, "rel=\"next\"", "an empty result");
	itest_resp_free(&r);

	/* Exactly 50: one page, no Next. */
	insert_jobs(prefix, 1, 50);
	r = get(&rita, list);
	CHECK(itest_count(r.body, row) == 50, "exactly 50: %zu rows",
	      itest_count(r.body, row));
	CHECK_HAS(r, "Page 1 of 1", "exactly 50");
	CHECK_LACKS(r, "rel=\"next\"", "exactly 50");
	itest_resp_free(&r);

	/* Page past the end: the last page, saying why. */
	char *p2 = itest_fmt("%s&page=2", list);
	r = get(&rita, p2);
	CHECK_STATUS(r, 303, p2);
	CHECK(strstr(itest_location(&r), "page=1") != NULL,
	      "to the last page: %s", itest_location(&r));
	itest_resp_free(&r);

	/* 51: the last page holds one, with Previous and without Next. */
	insert_jobs(prefix, 51, 51);
	r = get(&rita, p2);
	CHECK(itest_count(r.body, row) == 1, "page 2 of 51 shows %zu",
	      itest_count(r.body, row));
	CHECK_HAS(r, "Page 2 of 2", "the last page");
	CHECK_HAS(r, "rel=\"prev\"", "the last page");
	CHECK_LACKS(r, "rel=\"next\"", "the last page");
	CHECK_HAS(r, ">Pagedge", "the last page");
	char *oldest = itest_fmt(">%s 01<", prefix);
	CHECK_HAS(r, oldest, "the oldest job is on the last page");
	itest_resp_free(&r);
	char *q = itest_fmt("q=%s&page=2", prefix);
	long st;
	char *jp = itest_fmt("/jobs?%s", q);
	json_t *v = itest_get_json(itest_as(&rita), listed(jp), &st);
	CHECK(itest_jint(v, "total") == 51 && itest_jint(v, "pages") == 2 &&
		  json_array_size(json_object_get(v, "jobs")) == 1,
	      "JSON page 2: total %lld pages %lld", itest_jint(v, "total"),
	      itest_jint(v, "pages"));
	json_decref(v);

	r = get(&rita, "/jobs?page=0");
	CHECK_STATUS(r, 200, "page=0 is page 1");
	itest_resp_free(&r);

	free(jp);
	free(q);
	free(oldest);
	free(p2);
	free(prefix);
	free(list);
	free(row);
}

/* ------------------------------------------------------------ a job */

static void edit_activate_close_are_audited(void)
{
	char *title = itest_fmt("Editable %s", run_id);
	long long id = create_job(&rita, title, "Oslo", "Old text");
	char *path = itest_fmt("/jobs/%lld", id);
	char *title2 = itest_fmt("Edited %s", run_id);

	struct itest_resp r =
	    itest_post(rita.c, path, false, rita.csrf, "title", title2,
		       "location", "Bergen", "description", "New text", NULL);
	CHECK_STATUS(r, 303, "POST /jobs/{id}");
	CHECK(!strcmp(itest_location(&r), path), "edit went to %s",
	      itest_location(&r));
	itest_resp_free(&r);
	r = get(&rita, path);
	CHECK_HAS(r, title2, "the edited title");
	CHECK_HAS(r, "Bergen", "the edited location");
	CHECK_HAS(r, "New text", "the edited description");
	itest_resp_free(&r);

	static const char *const steps[][2] = {{"/activate", "active"},
					       {"/close", "closed"},
					       {"/activate", "active"}};
	for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
		char *p = itest_fmt("%s%s", path, steps[i][0]);
		r = itest_post(rita.c, p, false, rita.csrf, NULL);
		CHECK_STATUS(r, 303, p);
		itest_resp_free(&r);
		json_t *v = job_json(&rita, id, NULL);
		CHECK(!strcmp(itest_jstr(json_object_get(v, "job"), "status"),
			      steps[i][1]),
		      "after %s the status is %s", p,
		      itest_jstr(json_object_get(v, "job"), "status"));
		json_decref(v);
		free(p);
	}
	r = get(&rita, path);
	CHECK_HAS(r, "Close job", "an active job offers Close");
	itest_resp_free(&r);

	json_t *v = job_json(&rita, id, NULL);
	CHECK(history_has(v, "job.update", "title location description"),
	      "no job.update audit row naming the fields");
	CHECK(history_has(v, "job.activate", "draft->active"),
	      "no job.activate draft->active row");
	CHECK(history_has(v, "job.close", "active->closed"),
	      "no job.close row");
	CHECK(history_has(v, "job.activate", "closed->active"),
	      "no reopening row");
	json_decref(v);
	/* And in the audit log itself, with the acting user. */
	ITEST_SQL(
	    "the audit rows",
	    itest_fmt(
		"SET @ok = IF((SELECT COUNT(*) FROM audit_log l JOIN users u "
		"ON "
		"u.id = l.user_id WHERE l.entity = 'job' AND l.entity_id = "
		"%lld AND u.email = '%s' AND l.action IN ('job.update', "
		"'job.activate', 'job.close')) = 4, 1, (SELECT 1 UNION SELECT "
		"2));\n",
		id, rita.email));

	/* JSON edit answers with the job. */
	r = itest_post(rita.c, path, true, rita.csrf, "title", title, NULL);
	CHECK_STATUS(r, 200, "POST /jobs/{id} as JSON");
	json_t *e = json_loadb(r.body, r.len, 0, NULL);
	CHECK(!strcmp(itest_jstr(json_object_get(e, "job"), "title"), title) &&
		  !strcmp(itest_jstr(json_object_get(e, "job"), "location"),
			  "Bergen"),
	      "JSON edit: title \"%s\", location kept \"%s\"",
	      itest_jstr(json_object_get(e, "job"), "title"),
	      itest_jstr(json_object_get(e, "job"), "location"));
	json_decref(e);
	itest_resp_free(&r);

	/* A bad edit shows the job page again with the values sent. */
	char big[202];
	memset(big, 'x', 201);
	big[201] = 0;
	r = itest_post(rita.c, path, false, rita.csrf, "title", big, "location",
		       "Kept Place", "description", "Kept", NULL);
	CHECK_STATUS(r, 400, "an edit with a long title");
	CHECK_HAS(r, "<strong>Title</strong>", "the error names the field");
	CHECK_HAS(r, "value=\"Kept Place\"", "the location is kept");
	CHECK_HAS(r, "<details class=\"card edit-job\" open>",
		  "the edit form is open");
	itest_resp_free(&r);

	free(title);
	free(title2);
	free(path);
}

static void nonexistent_job_is_404(void)
{
	struct itest_resp r = get(&rita, "/jobs/999999999");
	CHECK_STATUS(r, 404, "GET /jobs/999999999");
	itest_resp_free(&r);
	r = itest_post(rita.c, "/jobs/999999999/close", false, rita.csrf, NULL);
	CHECK_STATUS(r, 404, "POST /jobs/999999999/close");
	itest_resp_free(&r);
	r = get(&rita, "/jobs/0");
	CHECK_STATUS(r, 404, "GET /jobs/0");
	itest_resp_free(&r);
}

/* ------------------------------------------------------------ members */

/* The members of a job page's data as "email:role,..."; new. */
static char *members_of(json_t *page)
{
	struct buf b = BUF_INIT;
	json_t *m;
	size_t i;
	json_array_foreach(json_object_get(page, "members"), i, m)
	    buf_addf(&b, "%s%s:%s", i ? "," : "", itest_jstr(m, "email"),
		     itest_jstr(m, "role"));
	return buf_detach(&b, NULL);
}

static long long member_user_id(json_t *page, const char *email)
{
	json_t *m;
	size_t i;
	json_array_foreach(json_object_get(page, "members"), i,
			   m) if (!strcmp(itest_jstr(m, "email"),
					  email)) return itest_jint(m,
								    "user_id");
	return 0;
}

/* rita adds p to the job by email in role; checks the 303. */
static void add_member(long long job, const struct itest_person *p,
		       const char *role)
{
	char *mp = itest_fmt("/jobs/%lld/members", job);
	struct itest_resp r =
	    itest_post(rita.c, mp, false, rita.csrf, "action", "add", "email",
		       p->email, "role", role, NULL);
	CHECK_STATUS(r, 303, p->name);
	itest_resp_free(&r);
	free(mp);
}

/* The people a manager can add are listed only when asked for: the page
 * of every stage tab does not carry the whole organisation. */
static void the_list_of_people_to_add_comes_when_asked_for(void)
{
	char *title = itest_fmt("Choose %s", run_id);
	long long id = create_job(&rita, title, "", "");
	char *path = itest_fmt("/jobs/%lld", id);
	struct itest_resp r = get(&rita, path);
	CHECK_STATUS(r, 200, "the job page");
	CHECK_HAS(r, "name=\"email\"", "the email field to add someone");
	CHECK_HAS(r, "members=choose#members", "the link to the list");
	CHECK_LACKS(r, "name=\"user_id\" aria-label=\"User\"",
		    "the job page before the list is asked for");
	CHECK_LACKS(r, hank.email, "the job page before the list is asked for");
	itest_resp_free(&r);

	char *choose = itest_fmt("/jobs/%lld?members=choose", id);
	r = get(&rita, choose);
	CHECK_STATUS(r, 200, "the job page with the list");
	CHECK_HAS(r, "name=\"user_id\" aria-label=\"User\"", "the list");
	CHECK_HAS(r, hank.email, "hank is in the list of people to add");
	itest_resp_free(&r);

	/* a hiring manager on the job sees the page, not the list */
	add_member(id, &hank, "hiring_manager");
	r = get(&hank, choose);
	CHECK_STATUS(r, 200, "the job page for its hiring manager");
	CHECK_LACKS(r, "aria-label=\"User\"",
		    "the job page of a hiring manager");
	itest_resp_free(&r);
	free(choose);
	free(path);
	free(title);
}

static void members_are_added_changed_and_removed(void)
{
	char *title = itest_fmt("Members %s", run_id);
	long long id = create_job(&rita, title, "", "");
	char *mp = itest_fmt("/jobs/%lld/members", id);

	/* Assigning someone keeps the recruiter on the job. */
	struct itest_resp r =
	    itest_post(rita.c, mp, false, rita.csrf, "action", "add", "email",
		       hank.email, "role", "hiring_manager", NULL);
	CHECK_STATUS(r, 303, "add hank");
	itest_resp_free(&r);
	json_t *v = job_json(&rita, id, NULL);
	char *m = members_of(v);
	char *want =
	    itest_fmt("%s:recruiter,%s:hiring_manager", rita.email, hank.email);
	CHECK(m && !strcmp(m, want), "members \"%s\", want \"%s\"", m, want);
	long long hank_id = member_user_id(v, hank.email);
	free(m);
	free(want);
	json_decref(v);

	/* Adding again changes the role. */
	char *hid = itest_fmt("%lld", hank_id);
	r = itest_post(rita.c, mp, false, rita.csrf, "action", "add", "user_id",
		       hid, "role", "interviewer", NULL);
	CHECK_STATUS(r, 303, "change hank's role");
	itest_resp_free(&r);
	v = job_json(&rita, id, NULL);
	m = members_of(v);
	want = itest_fmt("%s:recruiter,%s:interviewer", rita.email, hank.email);
	CHECK(m && !strcmp(m, want), "members \"%s\", want \"%s\"", m, want);
	CHECK(history_has(v, "job.member_role", "hiring_manager->interviewer"),
	      "no job.member_role audit row");
	free(m);
	free(want);
	json_decref(v);

	/* Bad role, unknown user, inactive user. */
	r = itest_post(rita.c, mp, false, rita.csrf, "action", "add", "user_id",
		       hid, "role", "boss", NULL);
	CHECK_STATUS(r, 400, "a bad role");
	CHECK_HAS(r, "<strong>Role</strong>", "a bad role");
	itest_resp_free(&r);
	r = itest_post(rita.c, mp, false, rita.csrf, "action", "add", "email",
		       "nobody@nowhere.hirelink.test", "role", "interviewer",
		       NULL);
	CHECK_STATUS(r, 400, "an unknown email");
	itest_resp_free(&r);
	ITEST_SQL("deactivating olga",
		  itest_fmt("UPDATE users SET active = 0 WHERE email = '%s';\n",
			    olga.email));
	r = itest_post(rita.c, mp, false, rita.csrf, "action", "add", "email",
		       olga.email, "role", "recruiter", NULL);
	CHECK_STATUS(r, 400, "an inactive user");
	CHECK_HAS(r, "active user", "an inactive user");
	itest_resp_free(&r);

	/* Remove. */
	r = itest_post(rita.c, mp, false, rita.csrf, "action", "remove",
		       "user_id", hid, NULL);
	CHECK_STATUS(r, 303, "remove hank");
	itest_resp_free(&r);
	v = job_json(&rita, id, NULL);
	m = members_of(v);
	want = itest_fmt("%s:recruiter", rita.email);
	CHECK(m && !strcmp(m, want), "members \"%s\", want \"%s\"", m, want);
	CHECK(history_has(v, "job.member_remove", NULL),
	      "no job.member_remove audit row");
	free(m);
	free(want);
	json_decref(v);
	r = itest_post(rita.c, mp, false, rita.csrf, "action", "remove",
		       "user_id", hid, NULL);
	CHECK_STATUS(r, 404, "removing a non-member");
	itest_resp_free(&r);

	free(hid);
	free(mp);
	free(title);
}

static void who_sees_and_who_changes_a_job(void)
{
	char *title = itest_fmt("Access %s", run_id);
	long long id = create_job(&rita, title, "", "");
	char *path = itest_fmt("/jobs/%lld", id);
	char *pid = itest_fmt("J-%05lld", id);
	char *q = itest_fmt("q=%s", pid);

	/* Its creator's: no other recruiter, hiring manager or interviewer. */
	struct itest_resp r = get(&rob, path);
	CHECK_STATUS(r, 404, "another recruiter on rita's job");
	itest_resp_free(&r);
	r = get(&hank, path);
	CHECK_STATUS(r, 404, "a hiring manager on rita's job");
	itest_resp_free(&r);

	add_member(id, &hank, "hiring_manager");
	add_member(id, &inez, "interviewer");

	/* The member hiring manager sees it, without the editors, and may
	 * not change it. */
	r = get(&hank, path);
	CHECK_STATUS(r, 200, "the member hiring manager");
	CHECK_HAS(r, title, "the member hiring manager");
	CHECK_LACKS(r, "Edit job", "the member hiring manager");
	CHECK_LACKS(r, "Add stage", "the member hiring manager");
	CHECK_LACKS(r, "Add member", "the member hiring manager");
	itest_resp_free(&r);
	CHECK(list_total(&hank, q) == 1, "the job in hank's list");
	char *t2 = itest_fmt("Hijacked %s", run_id);
	r = itest_post(hank.c, path, false, hank.csrf, "title", t2, NULL);
	CHECK_STATUS(r, 403, "the member hiring manager edits");
	itest_resp_free(&r);
	char *cp = itest_fmt("%s/close", path);
	r = itest_post(hank.c, cp, false, hank.csrf, NULL);
	CHECK_STATUS(r, 403, "the member hiring manager closes");
	itest_resp_free(&r);
	char *sp = itest_fmt("%s/stages", path);
	r = itest_post(hank.c, sp, false, hank.csrf, "action", "add", "name",
		       "Mine", NULL);
	CHECK_STATUS(r, 403, "the member hiring manager adds a stage");
	itest_resp_free(&r);
	json_t *v = job_json(&rita, id, NULL);
	CHECK(!strcmp(itest_jstr(json_object_get(v, "job"), "title"), title) &&
		  !strcmp(itest_jstr(json_object_get(v, "job"), "status"),
			  "draft") &&
		  json_array_size(json_object_get(v, "stages")) == 5,
	      "the job changed after refused changes");
	json_decref(v);

	/* The member interviewer sees it. */
	r = get(&inez, path);
	CHECK_STATUS(r, 200, "the member interviewer");
	itest_resp_free(&r);

	/* Those not on it do not even learn it exists. */
	struct itest_person *outside[] = {&hugo, &ivan, &rob};
	for (size_t i = 0; i < ARRAY_LEN(outside); i++) {
		r = get(outside[i], path);
		CHECK_STATUS(r, 404, outside[i]->email);
		CHECK_LACKS(r, title, outside[i]->email);
		itest_resp_free(&r);
		long st;
		json_t *j = itest_get_json(itest_as(outside[i]), listed(path), &st);
		CHECK(st == 404, "%s as JSON: %ld", outside[i]->email, st);
		json_decref(j);
		CHECK(list_total(outside[i], q) == 0, "the job in %s's list",
		      outside[i]->email);
	}
	r = get(&hugo, "/jobs/999999999");
	CHECK_STATUS(r, 404, "a nonexistent job looks the same");
	itest_resp_free(&r);

	free(sp);
	free(cp);
	free(t2);
	free(q);
	free(pid);
	free(path);
	free(title);
}

/* The candidates "Crowd01".."Crowd51" listed on a stage tab page: their
 * links, not the jobs "Crowded ..." and "Crowdjob ..." the bulk bar's list
 * of jobs offers. */
static size_t crowd_rows(const struct itest_resp *r)
{
	static const char *const pats[] = {"\">Crowd0", "\">Crowd1", "\">Crowd2",
					   "\">Crowd3", "\">Crowd4", "\">Crowd5"};
	size_t n = 0;
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		n += itest_count(r->body, pats[i]);
	return n;
}

/* ------------------------------------------------------------ stages */

static void pipeline_stages_are_added_renamed_moved_and_deleted(void)
{
	char *title = itest_fmt("Pipeline %s", run_id);
	long long id = create_job(&rita, title, "", "");
	char *sp = itest_fmt("/jobs/%lld/stages", id);

	struct itest_resp r =
	    itest_post(rita.c, sp, false, rita.csrf, "action", "add", "name",
		       "Phone call", "kind", "screen", NULL);
	CHECK_STATUS(r, 303, "add a stage");
	itest_resp_free(&r);
	json_t *v = job_json(&rita, id, NULL);
	char *p = pipeline(v);
	CHECK(
	    p && !strcmp(p, "Prospect,Screen,Interview,Offer,Hired,Phone call"),
	    "after add: %s", p);
	free(p);
	json_t *last = stage_at(v, 5);
	CHECK(!strcmp(itest_jstr(last, "kind"), "screen"),
	      "the new stage's kind %s", itest_jstr(last, "kind"));
	char *phone = itest_fmt("%lld", stage_id(v, "Phone call"));
	char *prospect = itest_fmt("%lld", stage_id(v, "Prospect"));
	char *hired = itest_fmt("%lld", stage_id(v, "Hired"));
	json_decref(v);

	r = itest_post(rita.c, sp, false, rita.csrf, "action", "rename",
		       "stage_id", phone, "name", "Phone screen", NULL);
	CHECK_STATUS(r, 303, "rename");
	itest_resp_free(&r);
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "move",
		       "stage_id", phone, "direction", "up", NULL);
	CHECK_STATUS(r, 303, "move up");
	itest_resp_free(&r);
	v = job_json(&rita, id, NULL);
	p = pipeline(v);
	CHECK(p && !strcmp(
		       p, "Prospect,Screen,Interview,Offer,Phone screen,Hired"),
	      "after rename and up: %s", p);
	free(p);
	json_decref(v);

	r = itest_post(rita.c, sp, false, rita.csrf, "action", "move",
		       "stage_id", phone, "position", "2", NULL);
	CHECK_STATUS(r, 303, "move to position 2");
	itest_resp_free(&r);
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "move",
		       "stage_id", prospect, "direction", "up", NULL);
	CHECK_STATUS(r, 303, "move the first up");
	itest_resp_free(&r);
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "move",
		       "stage_id", hired, "direction", "down", NULL);
	CHECK_STATUS(r, 303, "move the last down");
	itest_resp_free(&r);
	v = job_json(&rita, id, NULL);
	p = pipeline(v);
	CHECK(p && !strcmp(
		       p, "Prospect,Phone screen,Screen,Interview,Offer,Hired"),
	      "after moves: %s", p);
	free(p);
	json_decref(v);

	/* Delete one in the middle, then Prospect: positions stay dense,
	 * and a pipeline without Prospect is fine. */
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "delete",
		       "stage_id", phone, NULL);
	CHECK_STATUS(r, 303, "delete");
	itest_resp_free(&r);
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "delete",
		       "stage_id", prospect, NULL);
	CHECK_STATUS(r, 303, "delete Prospect");
	itest_resp_free(&r);
	v = job_json(&rita, id, NULL);
	p = pipeline(v);
	CHECK(p && !strcmp(p, "Screen,Interview,Offer,Hired"),
	      "after deletes: %s", p);
	CHECK(
	    !strcmp(itest_jstr(json_object_get(v, "stage"), "name"), "Screen"),
	    "the first tab is now %s",
	    itest_jstr(json_object_get(v, "stage"), "name"));
	CHECK(history_has(v, "stage.add", "Phone call") &&
		  history_has(v, "stage.rename", "Phone screen") &&
		  history_has(v, "stage.move", NULL) &&
		  history_has(v, "stage.delete", "Prospect"),
	      "pipeline edits are not all in the history");
	free(p);
	json_decref(v);
	char *pp = itest_fmt("/jobs/%lld?stage=prospect", id);
	r = get(&rita, pp);
	CHECK_STATUS(r, 404, "?stage=prospect without a Prospect stage");
	itest_resp_free(&r);

	/* A JSON client sends a JSON body and the token in a header. */
	const char *body = "{\"action\": \"add\", \"name\": \"Take-home\", "
			   "\"kind\": \"interview\"}";
	char *hdr = itest_fmt("X-CSRF-Token: %s", rita.csrf);
	r = itest_request(itest_as(&rita), "POST", sp, true, "application/json",
			  body, strlen(body), hdr);
	CHECK_STATUS(r, 200, "add a stage with a JSON body");
	v = json_loadb(r.body, r.len, 0, NULL);
	p = pipeline(v);
	CHECK(p && !strcmp(p, "Screen,Interview,Offer,Hired,Take-home"),
	      "after the JSON add: %s", p);
	free(p);
	json_decref(v);
	itest_resp_free(&r);
	r = itest_request(itest_as(&rita), "POST", sp, true, "application/json",
			  body, strlen(body), NULL);
	CHECK_STATUS(r, 403, "a JSON body without the token");
	itest_resp_free(&r);
	free(hdr);

	/* Bad input. */
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "add", "name",
		       "", NULL);
	CHECK_STATUS(r, 400, "a stage without a name");
	CHECK_HAS(r, "<strong>Name</strong>", "a stage without a name");
	itest_resp_free(&r);
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "add", "name",
		       "X", "kind", "party", NULL);
	CHECK_STATUS(r, 400, "an unknown kind");
	itest_resp_free(&r);
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "delete",
		       "stage_id", phone, NULL);
	CHECK_STATUS(r, 404, "deleting a deleted stage");
	itest_resp_free(&r);
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "explode", NULL);
	CHECK_STATUS(r, 400, "an unknown action");
	itest_resp_free(&r);

	/* A stage of another job is not this job's. */
	long long other = create_job(&rita, "Other pipeline", "", "");
	json_t *ov = job_json(&rita, other, NULL);
	char *foreign = itest_fmt("%lld", stage_id(ov, "Screen"));
	json_decref(ov);
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "delete",
		       "stage_id", foreign, NULL);
	CHECK_STATUS(r, 404, "deleting another job's stage");
	itest_resp_free(&r);
	ov = job_json(&rita, other, NULL);
	CHECK(json_array_size(json_object_get(ov, "stages")) == 5,
	      "the other job lost a stage");
	json_decref(ov);

	free(foreign);
	free(pp);
	free(phone);
	free(prospect);
	free(hired);
	free(sp);
	free(title);
}

static void stage_with_applications_cannot_be_deleted(void)
{
	char *title = itest_fmt("Busy Pipeline %s", run_id);
	long long id = create_job(&rita, title, "", "");
	json_t *v = job_json(&rita, id, NULL);
	long long screen = stage_id(v, "Screen");
	long long offer = stage_id(v, "Offer");
	json_decref(v);
	char *first = itest_fmt("Ada%s", run_id);
	char *second = itest_fmt("Bob%s", run_id);
	add_application(id, screen, first, "active");
	add_application(id, screen, second, "rejected");
	char *third = itest_fmt("Cy%s", run_id);
	add_application(id, offer, third, "rejected");

	/* Counts are of active applications; the tab lists all. */
	v = job_json(&rita, id, "?stage=screen");
	json_t *s = stage_at(v, 1);
	CHECK(itest_jint(s, "active_count") == 1, "Screen counts %lld, want 1",
	      itest_jint(s, "active_count"));
	CHECK(itest_jint(stage_at(v, 3), "active_count") == 0,
	      "Offer counts a rejected application");
	json_t *apps = json_object_get(v, "applications");
	CHECK(json_array_size(apps) == 2, "Screen tab lists %zu, want 2",
	      json_array_size(apps));
	json_t *a0 = json_array_get(apps, 0);
	CHECK(!strcmp(itest_jstr(a0, "status"), "active") &&
		  json_is_integer(json_object_get(a0, "candidate_id")),
	      "the active application is not listed first");
	long long cand = itest_jint(a0, "candidate_id");
	json_decref(v);

	char *sel = itest_fmt("/jobs/%lld?stage=%lld", id, screen);
	struct itest_resp r = get(&rita, sel);
	CHECK_STATUS(r, 200, sel);
	/* the link keeps the job, for the way back (stage18) */
	char *link = itest_fmt("<a href=\"/candidates/%lld?job=%lld\">%s "
			       "Cand%s</a>",
			       cand, id, first, run_id);
	CHECK_HAS(r, link, "the candidate links to their page");
	CHECK_HAS(r, "Screen <span class=\"tab-count\">1</span>",
		  "the Screen tab count");
	CHECK_HAS(r, ">rejected<", "the rejected application's status");
	itest_resp_free(&r);

	char *sp = itest_fmt("/jobs/%lld/stages", id);
	char *sid = itest_fmt("%lld", screen);
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "delete",
		       "stage_id", sid, NULL);
	CHECK_STATUS(r, 409, "deleting a stage with applications");
	CHECK_HAS(r, "cannot be deleted", "the 409 says why");
	itest_resp_free(&r);
	r = itest_post(rita.c, sp, true, rita.csrf, "action", "delete",
		       "stage_id", sid, NULL);
	CHECK_STATUS(r, 409, "deleting it as JSON");
	itest_resp_free(&r);
	/* Only rejected applications there: still refused. */
	char *oid = itest_fmt("%lld", offer);
	r = itest_post(rita.c, sp, false, rita.csrf, "action", "delete",
		       "stage_id", oid, NULL);
	CHECK_STATUS(r, 409, "deleting a stage with a rejected application");
	itest_resp_free(&r);
	v = job_json(&rita, id, NULL);
	char *p = pipeline(v);
	CHECK(p && !strcmp(p, "Prospect,Screen,Interview,Offer,Hired"),
	      "the pipeline changed: %s", p);
	free(p);
	json_decref(v);

	free(third);
	free(oid);
	free(sid);
	free(sp);
	free(link);
	free(sel);
	free(first);
	free(second);
	free(title);
}

static void stage_tab_paginates_fifty_a_page(void)
{
	char *title = itest_fmt("Crowded %s", run_id);
	long long id = create_job(&rita, title, "", "");
	json_t *v = job_json(&rita, id, NULL);
	long long prospect = stage_id(v, "Prospect");
	json_decref(v);
	struct buf b = BUF_INIT;
	for (int i = 1; i <= 51; i++)
		buf_addf(
		    &b,
		    "INSERT INTO candidates (first_name, last_name, email) "
		    "VALUES ('Crowd%02d', 'C%s', 'crowd%02d.%s@cand."
		    "hirelink.test');\nINSERT INTO applications (job_id, "
		    "candidate_id, stage_id) VALUES (%lld, "
		    "LAST_INSERT_ID(), %lld);\n",
		    i, run_id, i, run_id, id, prospect);
	ITEST_SQL("51 applications", buf_detach(&b, NULL));

	char *p1 = itest_fmt("/jobs/%lld?stage=prospect", id);
	struct itest_resp r = get(&rita, p1);
	CHECK_STATUS(r, 200, p1);
	/* the rows' links, not the job itself in the bulk bar's list */
	CHECK(crowd_rows(&r) == 50, "page 1 lists %zu", crowd_rows(&r));
	CHECK_HAS(r, "Prospect <span class=\"tab-count\">51</span>",
		  "the exact count");
	CHECK_HAS(r, "rel=\"next\"", "page 1 of 2");
	itest_resp_free(&r);
	char *p2 = itest_fmt("/jobs/%lld?stage=%lld&page=2", id, prospect);
	r = get(&rita, p2);
	CHECK(crowd_rows(&r) == 1, "page 2 lists %zu", crowd_rows(&r));
	CHECK_HAS(r, "rel=\"prev\"", "page 2 of 2");
	CHECK_LACKS(r, "rel=\"next\"", "page 2 of 2");
	itest_resp_free(&r);
	char *p3 = itest_fmt("/jobs/%lld?stage=%lld&page=3", id, prospect);
	r = get(&rita, p3);
	CHECK_STATUS(r, 303, p3);
	CHECK(strstr(itest_location(&r), "page=2") != NULL,
	      "past the end: to the last page, %s", itest_location(&r));
	itest_resp_free(&r);

	/* An interviewer on the job reads the tab, but not the Prospect
	 * applications (access.h): only the one their feedback was asked
	 * for (issue 18). */
	add_member(id, &inez, "interviewer");
	r = get(&inez, p1);
	CHECK_STATUS(r, 200, "the interviewer's Prospect tab");
	CHECK(itest_count(r.body, "\">Crowd") == 0, "inez sees %zu",
	      itest_count(r.body, "\">Crowd"));
	itest_resp_free(&r);
	ITEST_SQL("a request", itest_fmt("INSERT INTO feedback_requests "
					 "(application_id, interviewer_id) "
					 "SELECT MIN(id), %lld FROM "
					 "applications WHERE job_id = %lld",
					 inez.id, id));
	r = get(&inez, p1);
	CHECK(itest_count(r.body, "\">Crowd") == 1, "inez sees %zu",
	      itest_count(r.body, "\">Crowd"));
	itest_resp_free(&r);

	free(p1);
	free(p2);
	free(p3);
	free(title);
}

/* One of several editors moving stages of one pipeline at once. */
struct mover {
	struct itest_client *c;
	char *csrf;
	const char *path;
	const long long *ids;
	int nids, seed, refused;
};

static void *mover_run(void *arg)
{
	struct mover *m = arg;
	static const char *const dirs[] = {"up", "down"};
	for (int i = 0; i < 8; i++) {
		char sid[32], pos[16];
		snprintf(sid, sizeof(sid), "%lld",
			 m->ids[(m->seed * 7 + i * 3) % m->nids]);
		snprintf(pos, sizeof(pos), "%d", 1 + (m->seed + i) % 5);
		struct itest_resp r =
		    i % 3 == 0
			? itest_post(m->c, m->path, false, m->csrf, "action",
				     "move", "stage_id", sid, "position", pos,
				     NULL)
			: itest_post(m->c, m->path, false, m->csrf, "action",
				     "move", "stage_id", sid, "direction",
				     dirs[(m->seed + i) % 2], NULL);
		if (r.status != 303)
			m->refused++;
		itest_resp_free(&r);
	}
	return NULL;
}

static void concurrent_moves_keep_positions_dense(void)
{
	char *title = itest_fmt("Concurrent %s", run_id);
	long long id = create_job(&rita, title, "", "");
	json_t *v = job_json(&rita, id, NULL);
	long long ids[5];
	for (size_t i = 0; i < 5; i++)
		ids[i] = itest_jint(stage_at(v, i), "id");
	json_decref(v);
	char *sp = itest_fmt("/jobs/%lld/stages", id);

	struct mover m[4];
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		m[i] = (struct mover){
		    itest_signed_in(&rita), NULL, sp, ids, 5, i, 0};
		m[i].csrf = itest_csrf_of(m[i].c, "/jobs");
	}
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, mover_run, &m[i]);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		CHECK(m[i].refused == 0, "editor %d had %d moves refused", i,
		      m[i].refused);
		itest_client_free(m[i].c);
		free(m[i].csrf);
	}
	/* Whatever the order, every stage is there once, at 1..5. */
	v = job_json(&rita, id, NULL);
	char *p = pipeline(v);
	static const char *const names[] = {"Prospect", "Screen", "Interview",
					    "Offer", "Hired"};
	for (size_t i = 0; i < 5; i++)
		CHECK(p && stage_id(v, names[i]) == ids[i],
		      "%s is missing after concurrent moves: %s", names[i], p);
	CHECK(json_array_size(json_object_get(v, "stages")) == 5,
	      "%zu stages after concurrent moves",
	      json_array_size(json_object_get(v, "stages")));
	free(p);
	json_decref(v);
	free(sp);
	free(title);
}

/* ------------------------------------------------------------ kept list */

/* hana's jobs list (HTML, the page that is kept) has each of want[] and
 * none of unwanted[], and says "<total> in all". */
static void hana_sees(const char *step, long long total,
		      const char *const *want, const char *const *unwanted)
{
	struct itest_resp r = get(&hana, "/jobs");
	CHECK_STATUS(r, 200, step);
	char *in_all = itest_fmt(">%lld in all<", total);
	CHECK(itest_has(&r, in_all), "%s: the list does not say %s", step,
	      in_all);
	for (; want && *want; want++)
		CHECK(itest_has(&r, *want), "%s: \"%s\" is missing", step,
		      *want);
	for (; unwanted && *unwanted; unwanted++)
		CHECK(!itest_has(&r, *unwanted), "%s: \"%s\" is still listed",
		      step, *unwanted);
	free(in_all);
	itest_resp_free(&r);
}

/* hana becomes a hiring manager on job, by SQL (as another process would). */
static void hana_joins(long long job)
{
	ITEST_SQL("a membership",
		  itest_fmt("INSERT INTO job_members (job_id, user_id, role) "
			    "VALUES (%lld, %lld, 'hiring_manager')",
			    job, hana.id));
}

/* The list is kept between views, and yet a change made anywhere (here by
 * SQL, as another hirelink process or an admin by hand would) shows on the
 * very next view: a rename, a membership given and taken, a status. */
static void the_kept_jobs_list_shows_every_change_at_once(void)
{
	char *one = itest_fmt("Kept %s one", run_id);
	char *two = itest_fmt("Kept %s two", run_id);
	char *renamed = itest_fmt("Kept %s renamed", run_id);
	long long j1 = create_job(&rita, one, "", "");
	long long j2 = create_job(&rita, two, "", "");
	hana_joins(j1);

	hana_sees("her one job", 1, (const char *[]){one, NULL},
		  (const char *[]){two, NULL});
	long before = itest_kept_served();
	hana_sees("the same again", 1, (const char *[]){one, NULL}, NULL);
	CHECK(itest_kept_served() > before,
	      "the second view was rendered again, not kept (%ld -> %ld)",
	      before, itest_kept_served());

	ITEST_SQL("a rename",
		  itest_fmt("UPDATE jobs SET title = '%s' WHERE id = %lld",
			    renamed, j1));
	hana_sees("after a rename", 1, (const char *[]){renamed, NULL},
		  (const char *[]){one, NULL});
	hana_joins(j2);
	hana_sees("a job given", 2, (const char *[]){renamed, two, NULL}, NULL);
	ITEST_SQL("a membership ended",
		  itest_fmt("DELETE FROM job_members WHERE job_id = %lld AND "
			    "user_id = %lld",
			    j1, hana.id));
	hana_sees("a job taken away", 1, (const char *[]){two, NULL},
		  (const char *[]){renamed, NULL});
	ITEST_SQL("a status",
		  itest_fmt("UPDATE jobs SET status = 'closed' WHERE id "
			    "= %lld",
			    j2));
	hana_sees("a job closed", 1,
		  (const char *[]){"status-closed\">closed<", NULL}, NULL);

	/* Kept per user: another hiring manager's list is his own. */
	struct itest_resp r = get(&hugo, "/jobs");
	CHECK_STATUS(r, 200, "hugo's jobs list");
	CHECK(!itest_has(&r, two), "hugo sees hana's job");
	itest_resp_free(&r);
	free(one);
	free(two);
	free(renamed);
}

/* hana's role becomes role (by SQL, as another process would), and her
 * session here knows it once session_cache_seconds (1 in the test
 * profile) has passed. */
static void hana_becomes(const char *role)
{
	ITEST_SQL("a role change",
		  itest_fmt("UPDATE users SET role = '%s' WHERE id = %lld",
			    role, hana.id));
	struct timespec wait = {1, 300 * 1000 * 1000};
	nanosleep(&wait, NULL);
}

/* A list is kept per role as well as per user: demoted from recruiter to
 * hiring manager, with no job changed in between, hana stops seeing the
 * unassigned jobs at once. */
static void a_kept_list_follows_the_role(void)
{
	char *title = itest_fmt("Unassigned %s", run_id);
	char *mine = itest_fmt("Demotion %s", run_id);
	long long job = create_job(&rita, mine, "", "");
	hana_joins(job);
	insert_jobs(title, 1, 1);
	char *listed = itest_fmt("%s 01", title);

	hana_becomes("recruiter");
	struct itest_resp r = get(&hana, "/jobs");
	CHECK(itest_has(&r, listed) && itest_has(&r, mine),
	      "as a recruiter hana does not see the unassigned job and hers");
	itest_resp_free(&r);
	hana_becomes("hiring_manager");
	r = get(&hana, "/jobs");
	CHECK(!itest_has(&r, listed),
	      "demoted, hana still sees an unassigned job");
	CHECK(itest_has(&r, mine), "demoted, hana no longer sees her job");
	itest_resp_free(&r);
	free(listed);
	free(mine);
	free(title);
}

/* A recruiter creating jobs and making hana a member of each, in a session
 * of their own, while others do the same. */
struct job_writer {
	struct itest_client *c;
	char *csrf;
	int n, seed, refused;
};

#define WRITERS	  4
#define JOBS_EACH 5

static void *job_writer_run(void *arg)
{
	struct job_writer *w = arg;
	for (int i = 0; i < JOBS_EACH; i++) {
		char *title =
		    itest_fmt("Crowdjob %s w%d n%d", run_id, w->seed, i);
		struct itest_resp r = itest_post(w->c, "/jobs", false, w->csrf,
						 "title", title, NULL);
		long long id = 0;
		if (r.status != 303 ||
		    sscanf(itest_location(&r), "/jobs/%lld", &id) != 1)
			w->refused++;
		itest_resp_free(&r);
		char *mp = itest_fmt("/jobs/%lld/members", id);
		r = itest_post(w->c, mp, false, w->csrf, "action", "add",
			       "email", hana.email, "role", "hiring_manager",
			       NULL);
		if (r.status != 303)
			w->refused++;
		itest_resp_free(&r);
		free(mp);
		free(title);
	}
	return NULL;
}

/* hana looking at her jobs list over and over while it changes. */
static atomic_bool writers_done;

static void *list_reader_run(void *arg)
{
	struct itest_client *c = arg;
	long failed = 0;
	while (!atomic_load(&writers_done)) {
		struct itest_resp r = itest_get(c, listed("/jobs"), false);
		failed += r.status != 200;
		itest_resp_free(&r);
	}
	return (void *)(intptr_t)failed;
}

/* Job changes queue on the jobs' revision row (sql/090_revisions.sql):
 * four recruiters creating jobs and adding a member at once all succeed,
 * and the kept list read all the while ends with every one of them. */
static void jobs_created_at_once_all_land_in_the_kept_list(void)
{
	long st;
	json_t *v = itest_get_json(itest_as(&hana), listed("/jobs"), &st);
	long long before = st == 200 ? itest_jint(v, "total") : -1;
	json_decref(v);
	CHECK(before >= 0, "hana's jobs as JSON: %ld", st);

	struct job_writer w[WRITERS];
	pthread_t t[WRITERS], reader;
	struct itest_client *rc = itest_signed_in(&hana);
	for (int i = 0; i < WRITERS; i++) {
		struct itest_person *who = i % 2 ? &rob : &rita;
		w[i] = (struct job_writer){itest_signed_in(who), NULL, 0, i, 0};
		w[i].csrf = itest_csrf_of(w[i].c, "/jobs");
	}
	atomic_store(&writers_done, false);
	pthread_create(&reader, NULL, list_reader_run, rc);
	for (int i = 0; i < WRITERS; i++)
		pthread_create(&t[i], NULL, job_writer_run, &w[i]);
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(t[i], NULL);
		CHECK(w[i].refused == 0, "writer %d had %d requests refused", i,
		      w[i].refused);
		itest_client_free(w[i].c);
		free(w[i].csrf);
	}
	atomic_store(&writers_done, true);
	void *failed;
	pthread_join(reader, &failed);
	CHECK((intptr_t)failed == 0, "%ld views of the list failed",
	      (long)(intptr_t)failed);
	itest_client_free(rc);

	const char *titles[WRITERS * JOBS_EACH + 1] = {0};
	char *owned[WRITERS * JOBS_EACH];
	for (int i = 0; i < WRITERS * JOBS_EACH; i++)
		titles[i] = owned[i] = itest_fmt("Crowdjob %s w%d n%d", run_id,
						 i / JOBS_EACH, i % JOBS_EACH);
	hana_sees("after the crowd", before + WRITERS * JOBS_EACH, titles,
		  NULL);
	for (int i = 0; i < WRITERS * JOBS_EACH; i++)
		free(owned[i]);
}


/* ------------------------------------------------------------ issue 17 */

/* The version the job page's edit form carries, as p reads it; new, ""
 * when the form has none. */
static char *form_version(struct itest_person *p, long long id)
{
	char *path = itest_fmt("/jobs/%lld", id);
	struct itest_resp r = get(p, path);
	CHECK_STATUS(r, 200, path);
	char *v = itest_field(&r, "version");
	itest_resp_free(&r);
	free(path);
	return v;
}

/* The job's title as p sees it now; new. */
static char *title_now(struct itest_person *p, long long id)
{
	json_t *v = job_json(p, id, NULL);
	char *t = itest_strdup(itest_jstr(json_object_get(v, "job"), "title"));
	json_decref(v);
	return t;
}

/* Two people (here two tabs of one) open a job's edit form; the second to
 * save does not silently overwrite the first: 409, both values side by
 * side, and saving the form of the 409 page again is a knowing "mine". */
static void a_stale_job_form_is_refused_with_both_values(void)
{
	char *title = itest_fmt("Stale %s", run_id);
	long long id = create_job(&rita, title, "Austin, TX", "Same words");
	char *path = itest_fmt("/jobs/%lld", id);
	char *v1 = form_version(&rita, id);
	CHECK(*v1, "the edit form carries no version");
	char *theirs = itest_fmt("Theirs %s", run_id);
	char *mine = itest_fmt("Mine %s", run_id);

	struct itest_resp r = itest_post(
	    rita.c, path, false, rita.csrf, "version", v1, "title", theirs,
	    "location", "Berlin, Germany", "description", "Same words", NULL);
	CHECK_STATUS(r, 303, "the first save");
	itest_resp_free(&r);
	r = itest_post(rita.c, path, false, rita.csrf, "version", v1, "title",
		       mine, "location", "Austin, TX", "description",
		       "Same words", NULL);
	CHECK_STATUS(r, 409, "the save from the stale form");
	CHECK_HAS(r, "changed by someone else", "the 409 page");
	char *row = itest_between(r.body, "<tr class=\"conflict-title\">",
				  "</tr>");
	CHECK(row && strstr(row, mine) && strstr(row, theirs),
	      "the title row shows both values: \"%s\"", row ? row : "(none)");
	free(row);
	row = itest_between(r.body, "<tr class=\"conflict-location\">",
			    "</tr>");
	CHECK(row && strstr(row, "Austin, TX") &&
		  strstr(row, "Berlin, Germany"),
	      "the location row shows both values: \"%s\"",
	      row ? row : "(none)");
	free(row);
	CHECK(!strstr(r.body, "conflict-description"),
	      "an unchanged field is listed as a conflict");
	/* the form keeps mine, at the version saved now */
	char *kept = itest_field(&r, "title");
	CHECK(!strcmp(kept, mine), "the form's title \"%s\", want \"%s\"",
	      kept, mine);
	char *v2 = itest_field(&r, "version");
	CHECK(*v2 && strcmp(v1, v2), "the 409 form's version \"%s\" (was %s)",
	      v2, v1);
	itest_resp_free(&r);
	char *now = title_now(&rita, id);
	CHECK(!strcmp(now, theirs), "the stale save overwrote: title \"%s\"",
	      now);
	free(now);

	/* As JSON too: 409, nothing changed. */
	r = itest_post(rita.c, path, true, rita.csrf, "version", v1, "title",
		       mine, NULL);
	CHECK_STATUS(r, 409, "a stale save as JSON");
	itest_resp_free(&r);

	r = itest_post(rita.c, path, false, rita.csrf, "version", v2, "title",
		       mine, "location", "Austin, TX", "description",
		       "Same words", NULL);
	CHECK_STATUS(r, 303, "saving again after seeing theirs");
	itest_resp_free(&r);
	now = title_now(&rita, id);
	CHECK(!strcmp(now, mine), "title \"%s\" after the knowing save", now);
	free(now);

	free(v2);
	free(kept);
	free(mine);
	free(theirs);
	free(v1);
	free(path);
	free(title);
}

/* Every job in p's list (all its pages, as JSON) answers p's GET with 200:
 * the number that do not (the list and the page disagreeing). */
static long list_page_mismatches(struct itest_person *p, long *n_listed)
{
	long bad = 0;
	*n_listed = 0;
	for (int page = 1; page <= 20; page++) {
		long st;
		char *lp = itest_fmt("/jobs?page=%d", page);
		json_t *v = itest_get_json(itest_as(p), listed(lp), &st);
		free(lp);
		json_t *jobs = json_object_get(v, "jobs");
		size_t i;
		json_t *j;
		json_array_foreach(jobs, i, j)
		{
			char *jp = itest_fmt("/jobs/%lld", itest_jint(j, "id"));
			struct itest_resp r = get(p, jp);
			if (r.status != 200)
				bad++;
			(*n_listed)++;
			itest_resp_free(&r);
			free(jp);
		}
		size_t n = json_array_size(jobs);
		json_decref(v);
		if (st != 200 || n == 0)
			break;
	}
	return bad;
}

/* An interviewer sees the jobs they interview for, in the list and on the
 * page alike: put on a job in another member role, neither shows it (the
 * list used to, and its page answered 404). */
static void an_interviewers_list_and_job_pages_agree(void)
{
	char *title = itest_fmt("Panel %s", run_id);
	long long id = create_job(&rita, title, "", "");
	char *path = itest_fmt("/jobs/%lld", id);
	char *q = itest_fmt("q=J-%05lld", id);
	add_member(id, &ivan, "hiring_manager");
	add_member(id, &inez, "interviewer");

	struct itest_resp r = get(&ivan, path);
	CHECK_STATUS(r, 404, "an interviewer made a hiring manager member");
	itest_resp_free(&r);
	CHECK(list_total(&ivan, q) == 0, "the job in ivan's search");
	r = get(&inez, path);
	CHECK_STATUS(r, 200, "the interviewer member");
	itest_resp_free(&r);
	CHECK(list_total(&inez, q) == 1, "the job in inez's search");

	struct itest_person *who[] = {&ivan, &inez, &hank, &rita};
	for (size_t i = 0; i < ARRAY_LEN(who); i++) {
		long listed;
		long bad = list_page_mismatches(who[i], &listed);
		fprintf(stderr, "%s: %ld listed, %ld answer 404\n",
			who[i]->email, listed, bad);
		CHECK(bad == 0, "%s: %ld of %ld jobs listed answer no page",
		      who[i]->email, bad, listed);
	}
	/* and the unfiltered list's total matches its rows */
	long listed;
	list_page_mismatches(&ivan, &listed);
	CHECK(list_total(&ivan, "page=1") == listed,
	      "ivan's total %lld, rows %ld", list_total(&ivan, "page=1"),
	      listed);
	free(q);
	free(path);
	free(title);
}

/* The recruiter who made a job keeps it when someone else assigns it
 * (it used to stay unassigned, so the first member made by anybody else
 * locked its creator out). */
static void the_creator_keeps_a_job_others_assign(void)
{
	char *title = itest_fmt("Kept %s", run_id);
	long long id = create_job(&rita, title, "", "");
	char *path = itest_fmt("/jobs/%lld", id);
	char *mp = itest_fmt("/jobs/%lld/members", id);
	struct itest_client *ac = itest_as(&adam);
	struct itest_resp r =
	    itest_post(ac, mp, false, adam.csrf, "action", "add",
		       "email", hank.email, "role", "hiring_manager", NULL);
	CHECK_STATUS(r, 303, "the admin assigns hank");
	itest_resp_free(&r);
	r = get(&rita, path);
	CHECK_STATUS(r, 200, "the creator after the admin assigned the job");
	CHECK_HAS(r, "Edit job", "the creator still manages the job");
	itest_resp_free(&r);
	free(mp);
	free(path);
	free(title);
}

/* ------------------------------------------------------------ main */

int main(void)
{
	static const struct test tests[] = {
	    TEST(recruiter_creates_job_with_default_pipeline),
	    TEST(new_job_as_json_is_201_with_the_job),
	    TEST(hiring_manager_cannot_create_jobs),
	    TEST(too_long_title_is_400_and_keeps_the_form),
	    TEST(post_without_csrf_is_forbidden),
	    TEST(hostile_text_comes_back_escaped_and_verbatim),
	    TEST(search_by_title_and_by_job_id),
	    TEST(jobs_filter_by_status),
	    TEST(jobs_pagination_edges),
	    TEST(edit_activate_close_are_audited),
	    TEST(nonexistent_job_is_404),
	    TEST(members_are_added_changed_and_removed),
	    TEST(the_list_of_people_to_add_comes_when_asked_for),
	    TEST(who_sees_and_who_changes_a_job),
	    TEST(the_kept_jobs_list_shows_every_change_at_once),
	    TEST(jobs_created_at_once_all_land_in_the_kept_list),
	    TEST(a_kept_list_follows_the_role),
	    TEST(pipeline_stages_are_added_renamed_moved_and_deleted),
	    TEST(stage_with_applications_cannot_be_deleted),
	    TEST(stage_tab_paginates_fifty_a_page),
	    TEST(concurrent_moves_keep_positions_dense),
	    TEST(a_stale_job_form_is_refused_with_both_values),
	    TEST(an_interviewers_list_and_job_pages_agree),
	    TEST(the_creator_keeps_a_job_others_assign),
	};
	static const struct suite suites[] = {
	    SUITE("jobs", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
