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

/* ------------------------------------------------------------ sandbox */

static const struct itest_li_app *li;
static char *token; /* the seeded application's */
static struct itest_client *sbc;

static int sandbox_init(void)
{
	if (!run_id)
		run_id = itest_unique("");
	li = itest_li_app();
	sbc = itest_client_new(NULL);
	if (!li || !sbc)
		return -1;
	char *url = itest_fmt("%s/oauth/v2/accessToken", itest_sandbox_url());
	char *body =
	    itest_form("grant_type", "client_credentials", "client_id",
		       li->client_id, "client_secret", li->client_secret, NULL);
	struct itest_resp r = itest_post_form(sbc, url, body);
	json_t *j = itest_json(&r);
	token = itest_strdup(itest_jstr(j, "access_token"));
	json_decref(j);
	itest_resp_free(&r);
	free(body);
	free(url);
	return *token ? 0 : -1;
}

static int sandbox_clean(void)
{
	itest_client_free(sbc);
	free(token);
	return 0;
}

/* method path (on the sandbox) with the application token and a JSON body
 * (NULL: none); the answer as JSON (new) and its status. */
static json_t *sb_call(const char *method, const char *path, const char *json,
		       long *status)
{
	char *url = itest_fmt("%s%s", itest_sandbox_url(), path);
	char *hdr = itest_fmt("Authorization: Bearer %s", token);
	struct itest_resp r =
	    itest_request(sbc, method, url, true, json ? "application/json" : NULL,
			  json, json ? strlen(json) : 0, hdr);
	*status = r.status;
	json_t *j = itest_json(&r);
	if (!j)
		itest_dump(&r);
	itest_resp_free(&r);
	free(hdr);
	free(url);
	return j;
}

/* The organization's number, from its URN. */
static const char *org_id(void)
{
	return li->organization + strlen("urn:li:organization:");
}

/* A batch answer's member for key: what[key] (borrowed). */
static json_t *answer_for(json_t *a, const char *what, const char *key)
{
	return json_object_get(json_object_get(a, what), key);
}

/* The atsIntegrations key of type, in entity form. */
static char *integration_key(const char *type, const char *org)
{
	return itest_fmt("integrationContext=urn:li:organization:%s&"
			 "integrationType=%s&tenantType=RECRUITER&"
			 "dataProvider=ATS",
			 org, type);
}

static char *integration_query(const char *type, const char *org)
{
	return itest_fmt("ids%%5B0%%5D.integrationContext=urn%%3Ali%%3A"
			 "organization%%3A%s&ids%%5B0%%5D.integrationType=%s&"
			 "ids%%5B0%%5D.tenantType=RECRUITER&ids%%5B0%%5D."
			 "dataProvider=ATS",
			 org, type);
}

static void integrations_are_enabled_read_back_and_disabled(void)
{
	char *key = integration_key("PROFILE_PLUGIN", org_id());
	char *q = integration_query("PROFILE_PLUGIN", org_id());
	char *path = itest_fmt("/v2/atsIntegrations?%s", q);
	char *name = itest_fmt("Sandbox ATS %s", run_id);
	char *body = itest_fmt("{\"entities\":{\"%s\":{\"patch\":{\"$set\":"
			       "{\"integrationName\":\"%s\"}}}}}",
			       key, name);
	long st;
	json_t *a = sb_call("POST", path, body, &st);
	CHECK(st == 200, "enable: %ld", st);
	CHECK(itest_jint(answer_for(a, "results", key), "status") == 204,
	      "enable: the key's status");
	json_decref(a);

	a = sb_call("GET", path, NULL, &st);
	json_t *e = answer_for(a, "results", key);
	CHECK(st == 200 && !strcmp(itest_jstr(e, "status"), "ENABLED") &&
		  !strcmp(itest_jstr(e, "integrationName"), name),
	      "read back: %ld %s %s", st, itest_jstr(e, "status"),
	      itest_jstr(e, "integrationName"));
	json_decref(a);

	free(body);
	body = itest_fmt("{\"entities\":{\"%s\":{\"patch\":{\"$set\":"
			 "{\"status\":\"DISABLED\"}}}}}",
			 key);
	a = sb_call("POST", path, body, &st);
	json_decref(a);
	a = sb_call("GET", path, NULL, &st);
	e = answer_for(a, "results", key);
	CHECK(!strcmp(itest_jstr(e, "status"), "DISABLED") &&
		  !strcmp(itest_jstr(e, "integrationName"), name),
	      "disabled: %s %s", itest_jstr(e, "status"),
	      itest_jstr(e, "integrationName"));
	json_decref(a);
	/* the change is what a notification would refer to */
	char *req = itest_sql_str(
	    "SELECT request_id FROM linkedin_sandbox.ats_integration_requests "
	    "WHERE client_id = '%s' ORDER BY created_at DESC LIMIT 1",
	    li->client_id);
	char *rq = itest_fmt("/v2/atsIntegrations?q=request&requestId=%s", req);
	a = sb_call("GET", rq, NULL, &st);
	CHECK(st == 200 && json_array_size(json_object_get(a, "elements")) >= 1,
	      "q=request: %ld", st);
	json_decref(a);
	a = sb_call("GET",
		    "/v2/atsIntegrations?q=request&requestId="
		    "00000000-0000-4000-8000-000000000000",
		    NULL, &st);
	CHECK(st == 404, "an unknown requestId: %ld", st);
	json_decref(a);

	/* another organization's, a wrong tenant: refused per key */
	char *okey = integration_key("ONE_CLICK_EXPORT", "1");
	char *oq = integration_query("ONE_CLICK_EXPORT", "1");
	char *op = itest_fmt("/v2/atsIntegrations?%s", oq);
	char *ob = itest_fmt("{\"entities\":{\"%s\":{\"patch\":{\"$set\":"
			     "{\"integrationName\":\"x\"}}}}}",
			     okey);
	a = sb_call("POST", op, ob, &st);
	CHECK(st == 200 &&
		  itest_jint(answer_for(a, "errors", okey), "status") == 403,
	      "another organization: %ld %lld", st,
	      itest_jint(answer_for(a, "errors", okey), "status"));
	json_decref(a);

	free(ob);
	free(op);
	free(oq);
	free(okey);
	free(rq);
	free(req);
	free(body);
	free(name);
	free(path);
	free(q);
	free(key);
}

static void callback_url_is_set_read_and_deleted(void)
{
	char *key = integration_key("ONE_CLICK_EXPORT", org_id());
	char *q = integration_query("ONE_CLICK_EXPORT", org_id());
	char *path = itest_fmt("/v2/atsIntegrations?%s", q);
	char *body = itest_fmt("{\"entities\":{\"%s\":{\"patch\":{\"$set\":"
			       "{\"integrationName\":\"Sandbox %s\"}}}}}",
			       key, run_id);
	long st;
	json_decref(sb_call("POST", path, body, &st));
	char *seg = itest_fmt("/v2/atsIntegrations/integrationContext=urn%%3Ali"
			      "%%3Aorganization%%3A%s&integrationType="
			      "ONE_CLICK_EXPORT&tenantType=RECRUITER&"
			      "dataProvider=ATS/configurations",
			      org_id());
	char *put = itest_fmt("%s?ids=CALLBACK_URL&ids=JOB_POSTING_VIEWERS", seg);
	json_t *a = sb_call(
	    "PUT", put,
	    "{\"entities\":{\"CALLBACK_URL\":{\"configurationValue\":"
	    "{\"string\":\"https://ats.example.com/li\"}},"
	    "\"JOB_POSTING_VIEWERS\":{\"configurationValue\":{\"string\":"
	    "\"ALL_PRODUCT_USERS\"}}}}",
	    &st);
	CHECK(st == 200 && itest_jint(answer_for(a, "results", "CALLBACK_URL"),
				      "status") == 204,
	      "set: %ld", st);
	json_decref(a);
	a = sb_call("GET", put, NULL, &st);
	CHECK(!strcmp(itest_jstr(json_object_get(
				     answer_for(a, "results", "CALLBACK_URL"),
				     "configurationValue"),
				 "string"),
		      "https://ats.example.com/li"),
	      "read back");
	json_decref(a);
	/* a viewers value LinkedIn does not have */
	char *bad = itest_fmt("%s?ids=JOB_POSTING_VIEWERS", seg);
	a = sb_call("PUT", bad,
		    "{\"entities\":{\"JOB_POSTING_VIEWERS\":{"
		    "\"configurationValue\":{\"string\":\"SOME\"}}}}",
		    &st);
	CHECK(itest_jint(answer_for(a, "errors", "JOB_POSTING_VIEWERS"),
			 "status") == 400,
	      "JOB_POSTING_VIEWERS SOME is refused");
	json_decref(a);
	a = sb_call("DELETE", put, NULL, &st);
	CHECK(st == 200, "delete: %ld", st);
	json_decref(a);
	a = sb_call("GET", put, NULL, &st);
	CHECK(itest_jint(answer_for(a, "errors", "CALLBACK_URL"), "status") ==
		  404,
	      "deleted");
	json_decref(a);
	free(bad);
	free(put);
	free(seg);
	free(body);
	free(path);
	free(q);
	free(key);
}

/* A job posting element with one field replaced (field NULL: none) or
 * left out (value NULL); new. */
static char *posting(const char *id, const char *field, const char *value)
{
	static const char *const names[] = {
	    "integrationContext", "externalJobPostingId", "title",
	    "description",	  "location",		  "state",
	    "companyApplyUrl",	  "availability",	  NULL};
	const char *values[] = {li->organization,
				id,
				"Sandbox Engineer",
				"Build the sandbox.",
				"Berlin, Germany",
				"LISTED",
				"https://ats.example.com/careers/J-1",
				"PUBLIC"};
	char *s = itest_strdup("{\"listedAt\":1700000000000");
	for (size_t i = 0; names[i]; i++) {
		const char *v = values[i];
		if (field && !strcmp(field, names[i]))
			v = value;
		if (!v)
			continue;
		char *t = itest_fmt("%s,\"%s\":\"%s\"", s, names[i], v);
		free(s);
		s = t;
	}
	char *t = itest_fmt("%s}", s);
	free(s);
	return t;
}

/* POSTs the elements (a JSON array's inside) as one batch_create; the
 * answer's elements (new), status in *st. */
static json_t *post_jobs(const char *elements, long *st)
{
	char *body = itest_fmt("{\"elements\":[%s]}", elements);
	json_t *a = sb_call("POST", "/v2/simpleJobPostings", body, st);
	free(body);
	json_t *el = json_incref(json_object_get(a, "elements"));
	json_decref(a);
	return el;
}

/* LinkedIn's copy of job ext (new, NULL when it has none). */
static json_t *sandbox_job(const char *ext)
{
	char *url = itest_fmt("%s/sandbox/jobs?clientId=%s&"
			      "externalJobPostingId=%s",
			      itest_sandbox_url(), li->client_id, ext);
	long st;
	json_t *j = itest_get_json(sbc, url, &st);
	json_t *e = json_incref(json_array_get(json_object_get(j, "elements"), 0));
	json_decref(j);
	free(url);
	return e;
}

static void job_postings_are_checked_for_linkedins_required_fields(void)
{
	char *id = itest_fmt("sb%s-J-00001", run_id);
	char *ok = posting(id, NULL, NULL);
	long st;
	json_t *el = post_jobs(ok, &st);
	json_t *e = json_array_get(el, 0);
	CHECK(st == 200 && itest_jint(e, "status") == 201 &&
		  !strncmp(itest_jstr(e, "id"), "urn:li:simpleJobPostingTask:",
			   28),
	      "a good posting: %ld %lld %s", st, itest_jint(e, "status"),
	      itest_jstr(e, "id"));
	char *tasks = itest_fmt("/v2/simpleJobPostingTasks?ids=%s",
				itest_jstr(e, "id"));
	json_t *t = sb_call("GET", tasks, NULL, &st);
	CHECK(!strcmp(itest_jstr(answer_for(t, "results", itest_jstr(e, "id")),
				 "status"),
		      "SUCCEEDED"),
	      "its task succeeded");
	json_decref(t);
	json_decref(el);
	json_t *copy = sandbox_job(id);
	CHECK(copy && !strcmp(itest_jstr(copy, "state"), "LISTED") &&
		  !strcmp(itest_jstr(copy, "location"), "Berlin, Germany"),
	      "LinkedIn's copy");
	json_decref(copy);

	/* each bad element gets its own error; the good one beside it goes */
	static const struct {
		const char *field, *value;
		long status;
		const char *message;
	} bad[] = {
	    {"title", NULL, 422, "ERROR :: /title :: field is required"},
	    {"description", NULL, 422, "ERROR :: /description :: field is"},
	    {"companyApplyUrl", NULL, 422, "/companyApplyUrl :: field is"},
	    {"location", NULL, 422, "/location :: field is required"},
	    {"location", "Berlin", 400, "\"CITY,STATE\" or \"CITY,COUNTRY\""},
	    {"state", "OPEN", 400, "must be LISTED or CLOSED"},
	    {"availability", "ALL", 400, "must be PUBLIC or"},
	    {"integrationContext", "urn:li:organization:1", 403,
	     "Not enough permissions"},
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *bid = itest_fmt("sb%s-J-1%04zu", run_id, i);
		char *b = posting(bid, bad[i].field, bad[i].value);
		char *both = itest_fmt("%s,%s", b, ok);
		el = post_jobs(both, &st);
		e = json_array_get(el, 0);
		const char *msg =
		    itest_jstr(json_object_get(e, "error"), "message");
		CHECK(st == 200 && itest_jint(e, "status") == bad[i].status &&
			  strstr(msg, bad[i].message),
		      "%s=%s: %lld \"%s\"", bad[i].field,
		      bad[i].value ? bad[i].value : "(none)",
		      itest_jint(e, "status"), msg);
		CHECK(itest_jint(json_array_get(el, 1), "status") == 201,
		      "the good element beside it");
		json_t *none = sandbox_job(bid);
		CHECK(!none, "a refused posting is not stored");
		json_decref(none);
		json_decref(el);
		free(both);
		free(b);
		free(bid);
	}

	/* twice in one batch */
	char *twice = itest_fmt("%s,%s", ok, ok);
	el = post_jobs(twice, &st);
	CHECK(itest_jint(json_array_get(el, 1), "status") == 400,
	      "the same id twice in a batch");
	json_decref(el);

	/* an update: every field again, upserted */
	char *upd = posting(id, "title", "Senior Sandbox Engineer");
	el = post_jobs(upd, &st);
	json_decref(el);
	copy = sandbox_job(id);
	CHECK(!strcmp(itest_jstr(copy, "title"), "Senior Sandbox Engineer"),
	      "updated: %s", itest_jstr(copy, "title"));
	json_decref(copy);

	/* a listed PUBLIC job does not turn private; closed first, it does */
	char *priv = posting(id, "availability", "PRIVATE_TO_ATS_INTEGRATION");
	el = post_jobs(priv, &st);
	CHECK(itest_jint(json_array_get(el, 0), "status") == 400,
	      "PUBLIC to private while listed");
	json_decref(el);
	char *closed = posting(id, "state", "CLOSED");
	json_decref(post_jobs(closed, &st));
	el = post_jobs(priv, &st);
	CHECK(itest_jint(json_array_get(el, 0), "status") == 201,
	      "private after closing");
	json_decref(el);

	/* more than 100 */
	char *many = itest_strdup(ok);
	for (int i = 0; i < 100; i++) {
		char *m = itest_fmt("%s,%s", many, ok);
		free(many);
		many = m;
	}
	el = post_jobs(many, &st);
	CHECK(st == 400, "101 postings: %ld", st);
	json_decref(el);

	t = sb_call("GET",
		    "/v2/simpleJobPostingTasks?ids=urn:li:simpleJobPostingTask:"
		    "999999999",
		    NULL, &st);
	CHECK(itest_jint(answer_for(t, "errors",
				    "urn:li:simpleJobPostingTask:999999999"),
			 "status") == 404,
	      "an unknown task");
	json_decref(t);

	free(many);
	free(closed);
	free(priv);
	free(upd);
	free(twice);
	free(tasks);
	free(ok);
	free(id);
}

static void acls_decide_who_sees_a_job(void)
{
	char *id = itest_fmt("sb%s-J-00002", run_id);
	char *ok = posting(id, NULL, NULL);
	long st;
	json_decref(post_jobs(ok, &st));
	char *acl = itest_fmt("sb%s-U-1", run_id);
	char *akey = itest_fmt("atsEntityAclId=%s&dataProvider=ATS&"
			       "integrationContext=%s&atsEntityId=%s&"
			       "atsEntityType=JOB_POSTING",
			       acl, li->organization, id);
	char *aq = itest_fmt("/v2/atsEntityAcls?ids%%5B0%%5D.atsEntityAclId=%s&"
			     "ids%%5B0%%5D.dataProvider=ATS&ids%%5B0%%5D."
			     "integrationContext=urn%%3Ali%%3Aorganization%%3A"
			     "%s&ids%%5B0%%5D.atsEntityId=%s&ids%%5B0%%5D."
			     "atsEntityType=JOB_POSTING",
			     acl, org_id(), id);
	char *ab = itest_fmt("{\"entities\":{\"%s\":{}}}", akey);
	json_t *a = sb_call("PUT", aq, ab, &st);
	CHECK(st == 200 && itest_jint(answer_for(a, "results", akey),
				      "status") == 204,
	      "ACL put: %ld", st);
	json_decref(a);
	/* an ACL without assignees hides the job from everyone */
	json_t *copy = sandbox_job(id);
	CHECK(json_array_size(json_object_get(copy, "aclIds")) == 1 &&
		  json_array_size(json_object_get(copy, "assignees")) == 0,
	      "one ACL, nobody assigned");
	json_decref(copy);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM linkedin_sandbox."
			    "job_posting_acl WHERE external_job_posting_id = "
			    "'%s' AND assignee = ''",
			    id) == 1,
	      "the job is marked as having an ACL");

	const char *person = "urn:li:person:abcdef1234";
	char *skey = itest_fmt("atsEntityAclId=%s&integrationContext=%s&"
			       "dataProvider=ATS&assignee=%s&"
			       "atsEntityType=JOB_POSTING",
			       acl, li->organization, person);
	char *sq = itest_fmt(
	    "/v2/atsEntityAclAssignees?ids%%5B0%%5D.atsEntityAclId=%s&"
	    "ids%%5B0%%5D.integrationContext=urn%%3Ali%%3Aorganization%%3A%s&"
	    "ids%%5B0%%5D.dataProvider=ATS&ids%%5B0%%5D.assignee=urn%%3Ali%%3A"
	    "person%%3Aabcdef1234&ids%%5B0%%5D.atsEntityType=JOB_POSTING",
	    acl, org_id());
	char *sbody = itest_fmt("{\"entities\":{\"%s\":{}}}", skey);
	a = sb_call("PUT", sq, sbody, &st);
	CHECK(st == 200 && itest_jint(answer_for(a, "results", skey),
				      "status") == 204,
	      "assignee put: %ld", st);
	json_decref(a);
	copy = sandbox_job(id);
	CHECK(json_array_size(json_object_get(copy, "assignees")) == 1 &&
		  !strcmp(json_string_value(json_array_get(
			      json_object_get(copy, "assignees"), 0)),
			  person),
	      "the member may see it");
	json_decref(copy);

	char *find = itest_fmt("/v2/atsEntityAcls?q=criteria&atsEntityId=%s&"
			       "atsEntityType=JOB_POSTING&dataProvider=ATS&"
			       "integrationContext=urn%%3Ali%%3Aorganization"
			       "%%3A%s",
			       id, org_id());
	a = sb_call("GET", find, NULL, &st);
	CHECK(st == 200 && !strcmp(itest_jstr(json_array_get(
					      json_object_get(a, "elements"),
					      0),
					  "atsEntityAclId"),
				   acl),
	      "the job's ACLs: %ld", st);
	json_decref(a);

	a = sb_call("DELETE", sq, NULL, &st);
	json_decref(a);
	a = sb_call("DELETE", aq, NULL, &st);
	json_decref(a);
	copy = sandbox_job(id);
	CHECK(json_array_size(json_object_get(copy, "aclIds")) == 0 &&
		  json_array_size(json_object_get(copy, "assignees")) == 0,
	      "no ACL left: visible to all again");
	json_decref(copy);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM linkedin_sandbox."
			    "job_posting_acl WHERE external_job_posting_id = "
			    "'%s'",
			    id) == 0,
	      "no ACL rows left");

	free(find);
	free(sbody);
	free(sq);
	free(skey);
	free(ab);
	free(aq);
	free(akey);
	free(acl);
	free(ok);
	free(id);
}

int main(void)
{
	static const struct test form_tests[] = {
	    TEST(an_admin_chooses_who_linkedin_shows_a_job_to),
	    TEST(the_job_page_says_what_linkedin_needs),
	    TEST(the_first_activation_is_the_listing_date),
	    TEST(the_public_page_of_a_job_needs_no_sign_in),
	};
	static const struct test sandbox_tests[] = {
	    TEST(integrations_are_enabled_read_back_and_disabled),
	    TEST(callback_url_is_set_read_and_deleted),
	    TEST(job_postings_are_checked_for_linkedins_required_fields),
	    TEST(acls_decide_who_sees_a_job),
	};
	static const struct suite suites[] = {
	    SUITE("job_form", form_init, form_clean, form_tests),
	    SUITE("sandbox_jobs", sandbox_init, sandbox_clean, sandbox_tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
