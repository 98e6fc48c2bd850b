/*
 * test_job_sync.c - jobs as LinkedIn gets them (issue 14: F11, F14),
 * end to end through nginx: what the job form asks for LinkedIn (who the
 * job is shown to, a location LinkedIn can place), the job's public page
 * that LinkedIn sends applicants to, and the sync itself (jobs reaching
 * the sandbox as LinkedIn's copy, their ACLs, LinkedIn's refusals).
 *
 * The program makes its own users and jobs, with names unique to the run,
 * so it can run again on the same stack.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

/* ------------------------------------------------------------ fixture */

static char *run_id;
static struct itest_person ada;	 /* admin */
static struct itest_person rita; /* recruiter */

static int form_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id)
		return -1;
	if (itest_person_add(&ada, "ada", "Sync", "admin", "none") < 0 ||
	    itest_person_add(&rita, "rita", "Sync", "recruiter", "none") < 0) {
		fprintf(stderr, "cannot create the test users\n");
		return -1;
	}
	return itest_as(&ada) && itest_as(&rita) ? 0 : -1;
}

static int form_clean(void)
{
	itest_person_free(&ada);
	itest_person_free(&rita);
	free(run_id);
	return 0;
}

/* ------------------------------------------------------------ helpers */

/* Creates a job through the form as p with the fields given after the
 * title (name, value, ..., NULL); its id, 0 on failure. */
static long long create_job(struct itest_person *p, const char *title, ...)
{
	char *form = itest_form("csrf", p->csrf, "title", title, NULL);
	va_list ap;
	va_start(ap, title);
	for (const char *n; (n = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		char *more = itest_form(n, v, NULL);
		char *both = itest_fmt("%s&%s", form, more);
		free(form);
		free(more);
		form = both;
	}
	va_end(ap);
	struct itest_resp r = itest_post_form(itest_as(p), "/jobs", form);
	free(form);
	CHECK_STATUS(r, 303, "POST /jobs");
	long long id = 0;
	if (sscanf(itest_location(&r), "/jobs/%lld", &id) != 1)
		id = 0;
	itest_resp_free(&r);
	return id;
}

/* The job page as p's JSON; new. */
static json_t *job_json(struct itest_person *p, long long id)
{
	char *path = itest_fmt("/jobs/%lld", id);
	long status;
	json_t *j = itest_get_json(itest_as(p), path, &status);
	CHECK(status == 200, "GET %s: %ld", path, status);
	free(path);
	return j;
}

static const char *job_field(json_t *page, const char *name)
{
	return itest_jstr(json_object_get(page, "job"), name);
}

/* POST path as p with the fields given (name, value, ..., NULL). */
static long post(struct itest_person *p, const char *path, const char *n1,
		 const char *v1, const char *n2, const char *v2)
{
	struct itest_resp r =
	    itest_post(itest_as(p), path, false, p->csrf, n1, v1, n2, v2, NULL);
	long status = r.status;
	if (status >= 400)
		itest_dump(&r);
	itest_resp_free(&r);
	return status;
}

/* ------------------------------------------------------------ the form */

static void an_admin_chooses_who_linkedin_shows_a_job_to(void)
{
	char *title = itest_fmt("Public job %s", run_id);
	long long id = create_job(&ada, title, "location", "Berlin, Germany",
				  "availability", "public", NULL);
	CHECK(id > 0, "an admin creates a public job");
	json_t *j = job_json(&ada, id);
	CHECK(!strcmp(job_field(j, "availability"), "public"),
	      "availability \"%s\", want public", job_field(j, "availability"));
	json_decref(j);

	/* A new job is private unless an admin says otherwise. */
	char *t2 = itest_fmt("Private job %s", run_id);
	long long id2 = create_job(&rita, t2, "location", "Austin, TX", NULL);
	j = job_json(&rita, id2);
	CHECK(!strcmp(job_field(j, "availability"), "private"),
	      "a new job is %s, want private", job_field(j, "availability"));
	json_decref(j);

	/* A recruiter may not change it, and nothing changes. */
	char *path = itest_fmt("/jobs/%lld", id2);
	struct itest_resp r =
	    itest_post(itest_as(&rita), path, false, rita.csrf, "title", t2,
		       "availability", "public", NULL);
	CHECK_STATUS(r, 403, "a recruiter makes a job public");
	CHECK_HAS(r, "availability", "the refusal names the field");
	itest_resp_free(&r);
	j = job_json(&rita, id2);
	CHECK(!strcmp(job_field(j, "availability"), "private"),
	      "the refused change happened: %s", job_field(j, "availability"));
	json_decref(j);

	/* The admin's form offers the choice, the recruiter's shows it. */
	r = itest_get(itest_as(&ada), path, false);
	CHECK_HAS(r, "name=\"availability\"", "the admin's form");
	itest_resp_free(&r);
	r = itest_get(itest_as(&rita), path, false);
	CHECK_LACKS(r, "name=\"availability\"", "the recruiter's form");
	CHECK_HAS(r, "Private to the LinkedIn integration",
		  "the recruiter sees the choice");
	itest_resp_free(&r);

	/* The admin makes it public; an edit that leaves it out keeps it. */
	CHECK(post(&ada, path, "title", t2, "availability", "public") == 303,
	      "the admin makes it public");
	CHECK(post(&rita, path, "title", t2, "location", "Austin, TX") == 303,
	      "the recruiter edits the title");
	j = job_json(&rita, id2);
	CHECK(!strcmp(job_field(j, "availability"), "public"),
	      "availability after the edit: %s", job_field(j, "availability"));
	json_decref(j);
	r = itest_post(itest_as(&ada), path, false, ada.csrf, "title", t2,
		       "availability", "everyone", NULL);
	CHECK_STATUS(r, 400, "an availability that is not one");
	CHECK_HAS(r, "must be private or public", "the error says the choices");
	itest_resp_free(&r);
	free(path);
	free(t2);
	free(title);
}

/* The issues the job page lists for LinkedIn, as one string. */
static char *issues(json_t *page)
{
	json_t *v = json_object_get(page, "linkedin_issues"), *e;
	size_t i;
	char *s = itest_strdup("");
	json_array_foreach(v, i, e)
	{
		char *t = itest_fmt("%s%s: %s;", s, itest_jstr(e, "field"),
				    itest_jstr(e, "message"));
		free(s);
		s = t;
	}
	return s;
}

static void the_job_page_says_what_linkedin_needs(void)
{
	static const struct {
		const char *location, *description, *want;
	} cases[] = {
	    {"Berlin, Germany", "Build things.", ""},
	    {"Austin, TX", "Build things.", ""},
	    {"Remote, Portugal", "Build things.", ""},
	    {"DE 10115", "Build things.", ""},
	    {"Berlin", "Build things.",
	     "location: LinkedIn cannot place \"Berlin\""},
	    {"Remote", "Build things.",
	     "location: LinkedIn needs the country of a remote job"},
	    {"", "Build things.", "location: LinkedIn needs the job's location"},
	    {"Lisbon, ", "Build things.",
	     "location: LinkedIn cannot place \"Lisbon,\""},
	    {"Oslo, Norway", "", "description: LinkedIn needs a description"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *title = itest_fmt("Located %zu %s", i, run_id);
		/* It saves, whatever LinkedIn thinks of it. */
		long long id = create_job(&rita, title, "location",
					  cases[i].location, "description",
					  cases[i].description, NULL);
		CHECK(id > 0, "a job at \"%s\" saves", cases[i].location);
		json_t *j = job_json(&rita, id);
		char *got = issues(j);
		if (!*cases[i].want)
			CHECK(!*got, "\"%s\": issues \"%s\", want none",
			      cases[i].location, got);
		else
			CHECK(strstr(got, cases[i].want) != NULL,
			      "\"%s\": issues \"%s\", want \"%s\"",
			      cases[i].location, got, cases[i].want);
		json_decref(j);
		free(got);
		/* The page says it too. */
		char *path = itest_fmt("/jobs/%lld", id);
		struct itest_resp r = itest_get(itest_as(&rita), path, false);
		if (*cases[i].want)
			CHECK_HAS(r, "LinkedIn cannot take this job yet",
				  "the job page");
		else
			CHECK_LACKS(r, "LinkedIn cannot take this job yet",
				    "the job page");
		itest_resp_free(&r);
		free(path);
		free(title);
	}
}

static void the_first_activation_is_the_listing_date(void)
{
	char *title = itest_fmt("Listed %s", run_id);
	long long id = create_job(&rita, title, "location", "Paris, France",
				  NULL);
	json_t *j = job_json(&rita, id);
	CHECK(!*job_field(j, "listed_at"), "a draft is listed at \"%s\"",
	      job_field(j, "listed_at"));
	json_decref(j);
	char *act = itest_fmt("/jobs/%lld/activate", id);
	char *cls = itest_fmt("/jobs/%lld/close", id);
	CHECK(post(&rita, act, NULL, NULL, NULL, NULL) == 303, "activate");
	/* back-date it, so that a later activation would show */
	ITEST_SQL("back-date the listing",
		  itest_fmt("UPDATE jobs SET listed_at = '2020-01-02 03:04' "
			    "WHERE id = %lld AND listed_at IS NOT NULL",
			    id));
	CHECK(post(&rita, cls, NULL, NULL, NULL, NULL) == 303, "close");
	CHECK(post(&rita, act, NULL, NULL, NULL, NULL) == 303, "reopen");
	j = job_json(&rita, id);
	CHECK(!strcmp(job_field(j, "listed_at"), "2020-01-02 03:04"),
	      "listed at \"%s\" after reopening, want the first activation",
	      job_field(j, "listed_at"));
	json_decref(j);
	free(act);
	free(cls);
	free(title);
}

/* ------------------------------------------------------------ careers */

static void the_public_page_of_a_job_needs_no_sign_in(void)
{
	char *title = itest_fmt("Careers <b>job</b> %s", run_id);
	long long id = create_job(&rita, title, "location", "Lisbon, Portugal",
				  "description", "Write C & SQL.", NULL);
	/* rita is the job's recruiter: applicants write to her */
	ITEST_SQL("rita on the job",
		  itest_fmt("INSERT INTO job_members (job_id, user_id, role) "
			    "VALUES (%lld, %lld, 'recruiter')",
			    id, rita.id));
	char *path = itest_fmt("/careers/J-%05lld", id);
	struct itest_client *anon = itest_client_new(NULL);

	struct itest_resp r = itest_get(anon, path, false);
	CHECK_STATUS(r, 404, "a draft's public page");
	itest_resp_free(&r);

	char *act = itest_fmt("/jobs/%lld/activate", id);
	CHECK(post(&rita, act, NULL, NULL, NULL, NULL) == 303, "activate");
	r = itest_get(anon, path, false);
	CHECK_STATUS(r, 200, "an active job's public page, signed out");
	CHECK_HAS(r, "Careers &lt;b&gt;job&lt;/b&gt;", "the title, escaped");
	CHECK_HAS(r, "Lisbon, Portugal", "the location");
	CHECK_HAS(r, "Write C &amp; SQL.", "the description");
	CHECK_HAS(r, "How to apply", "how to apply");
	CHECK_HAS(r, rita.email, "whom to write to");
	CHECK_LACKS(r, "no longer takes applications", "an open job");
	CHECK(!strstr(r.headers, "hl_session"), "no session cookie");
	itest_resp_free(&r);

	/* JSON, for machines; only the public fields */
	long status;
	json_t *j = itest_get_json(anon, path, &status);
	CHECK(status == 200 && !strcmp(job_field(j, "title"), title),
	      "JSON %ld", status);
	CHECK(!json_object_get(j, "members") && !json_object_get(j, "stages"),
	      "the public JSON has only the public fields");
	json_decref(j);

	char *cls = itest_fmt("/jobs/%lld/close", id);
	CHECK(post(&rita, cls, NULL, NULL, NULL, NULL) == 303, "close");
	r = itest_get(anon, path, false);
	CHECK_STATUS(r, 200, "a closed job's public page");
	CHECK_HAS(r, "no longer takes applications", "it says it is closed");
	CHECK_LACKS(r, "How to apply", "no way to apply");
	itest_resp_free(&r);

	/* The job page links the public one. */
	char *jp = itest_fmt("/jobs/%lld", id);
	r = itest_get(itest_as(&rita), jp, false);
	CHECK_HAS(r, path, "the job page links its public page");
	itest_resp_free(&r);

	r = itest_get(anon, "/careers/J-99999999", false);
	CHECK_STATUS(r, 404, "no such job");
	itest_resp_free(&r);
	r = itest_get(anon, "/careers/nothing", false);
	CHECK_STATUS(r, 404, "not a job id");
	itest_resp_free(&r);

	itest_client_free(anon);
	free(jp);
	free(cls);
	free(act);
	free(path);
	free(title);
}

int main(void)
{
	static const struct test form_tests[] = {
	    TEST(an_admin_chooses_who_linkedin_shows_a_job_to),
	    TEST(the_job_page_says_what_linkedin_needs),
	    TEST(the_first_activation_is_the_listing_date),
	    TEST(the_public_page_of_a_job_needs_no_sign_in),
	};
	static const struct suite suites[] = {
	    SUITE("job_form", form_init, form_clean, form_tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
