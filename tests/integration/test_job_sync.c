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
#include <time.h>

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
	return 0; /* ada and rita serve the sync suite too */
}

/* ------------------------------------------------------------ helpers */

/* Creates a job through the form as p with the fields given after the
 * title (name, value, ..., NULL); its id, 0 on failure. */
static long long create_job(struct itest_person *p, const char *title, ...)
{
	va_list ap;
	va_start(ap, title);
	char *rest = itest_vform(p->csrf, ap);
	va_end(ap);
	char *named = itest_form("title", title, NULL);
	char *form = itest_fmt("%s&%s", rest, named);
	free(rest);
	free(named);
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
	CHECK_HAS(r, "<strong>Availability</strong>",
		  "the refusal names the field by its label");
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
	    {"", "Build things.",
	     "location: LinkedIn needs the job's location"},
	    {"Lisbon, ", "Build things.",
	     "location: LinkedIn cannot place \"Lisbon,\""},
	    {"Oslo, Norway", "", "description: LinkedIn needs a description"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *title = itest_fmt("Located %zu %s", i, run_id);
		/* It saves, whatever LinkedIn thinks of it. */
		long long id =
		    create_job(&rita, title, "location", cases[i].location,
			       "description", cases[i].description, NULL);
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
	long long id =
	    create_job(&rita, title, "location", "Paris, France", NULL);
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
	/* rita, who made it, is the job's recruiter: applicants write to
	 * her */
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
	token = itest_li_app_token(0);
	return *token ? 0 : -1;
}

static int sandbox_clean(void)
{
	free(token);
	return 0; /* sbc serves the sync suite too */
}

/* method path (on the sandbox) with the application token and a JSON body
 * (NULL: none); the answer as JSON (new) and its status. */
static json_t *sb_call(const char *method, const char *path, const char *json,
		       long *status)
{
	struct itest_resp r = itest_li_api(method, path, token, json);
	*status = r.status;
	json_t *j = itest_json(&r);
	if (!j)
		itest_dump(&r);
	itest_resp_free(&r);
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
	char *put =
	    itest_fmt("%s?ids=CALLBACK_URL&ids=JOB_POSTING_VIEWERS", seg);
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
	static const char *const names[] = {"integrationContext",
					    "externalJobPostingId",
					    "title",
					    "description",
					    "location",
					    "state",
					    "companyApplyUrl",
					    "availability",
					    NULL};
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
	json_t *e =
	    json_incref(json_array_get(json_object_get(j, "elements"), 0));
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
		  !strncmp(itest_jstr(e, "id"),
			   "urn:li:simpleJobPostingTask:", 28),
	      "a good posting: %ld %lld %s", st, itest_jint(e, "status"),
	      itest_jstr(e, "id"));
	char *tasks =
	    itest_fmt("/v2/simpleJobPostingTasks?ids=%s", itest_jstr(e, "id"));
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
	CHECK(st == 200 &&
		  itest_jint(answer_for(a, "results", akey), "status") == 204,
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
	CHECK(st == 200 &&
		  itest_jint(answer_for(a, "results", skey), "status") == 204,
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
	CHECK(st == 200 &&
		  !strcmp(itest_jstr(
			      json_array_get(json_object_get(a, "elements"), 0),
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

/* ------------------------------------------------------------ the sync */

static struct itest_person sam; /* recruiter, connected to LinkedIn */
static struct itest_person hal; /* hiring manager, not connected */
static char *instance;		/* this hirelink's instance id */

/* The at_linkedin part of /admin/linkedin as JSON; new. */
static json_t *at_linkedin(void)
{
	long st;
	json_t *j = itest_get_json(itest_as(&ada), "/admin/linkedin", &st);
	json_t *a = json_incref(json_object_get(j, "at_linkedin"));
	json_decref(j);
	return a;
}

/* Whether every integration is in state want at LinkedIn, as the admin
 * page says. */
/* Every integration shows status want at LinkedIn, and hirelink is done
 * asking: the worker stores LinkedIn's state before it deletes the outbox
 * row, so a reader between the two sees the state and the row pending. */
static bool integrations_are(const char *want)
{
	json_t *a = at_linkedin(), *e;
	size_t i;
	bool all = json_array_size(json_object_get(a, "integrations")) == 3 &&
		   !json_is_true(json_object_get(a, "pending"));
	json_array_foreach(json_object_get(a, "integrations"), i, e) all =
	    all && !strcmp(itest_jstr(e, "status"), want);
	json_decref(a);
	return all;
}

static long post_admin(const char *path, const char *n, const char *v)
{
	struct itest_resp r =
	    itest_post(itest_as(&ada), path, false, ada.csrf, n, v, NULL);
	long st = r.status;
	if (st != 303)
		itest_dump(&r);
	itest_resp_free(&r);
	return st;
}

static int sync_init(void)
{
	if (!run_id)
		run_id = itest_unique("");
	li = itest_li_app();
	if (!li || (!sbc && !(sbc = itest_client_new(NULL))))
		return -1;
	if (itest_person_add(&sam, "sam", "Sync", "recruiter", "recruiter") <
		0 ||
	    itest_person_add(&hal, "hal", "Sync", "hiring_manager", "none") < 0)
		return -1;
	/* the integration set up with the sandbox's application */
	struct itest_resp r = itest_li_enable(itest_as(&ada), NULL);
	long st = r.status;
	itest_resp_free(&r);
	if (st != 303)
		return -1;
	/* sam connects LinkedIn as the sandbox's first Recruiter */
	char *cb = itest_li_connect(itest_as(&sam), li->recruiter.id, "allow");
	if (!cb)
		return -1;
	r = itest_get(itest_as(&sam), cb, false);
	free(cb);
	itest_resp_free(&r);
	instance = itest_li_instance(itest_as(&ada));
	return strlen(instance) == 8 ? 0 : -1;
}

static int sync_clean(void)
{
	itest_li_leave_off(itest_as(&ada));
	itest_person_free(&sam);
	itest_person_free(&hal);
	itest_person_free(&ada);
	itest_person_free(&rita);
	itest_client_free(sbc);
	free(instance);
	free(run_id);
	return 0;
}

/* The job's id at LinkedIn; new. */
static char *ext_id(long long job)
{
	return itest_fmt("%s-J-%05lld", instance, job);
}

/* LinkedIn's copy of job (new, NULL when it has none). */
static json_t *copy_of(long long job)
{
	char *ext = ext_id(job);
	json_t *c = sandbox_job(ext);
	free(ext);
	return c;
}

/* Waits (up to 15 s) until LinkedIn's copy of job has field = want
 * (want NULL: until LinkedIn has it at all); the copy then, new, or NULL
 * after a failed check. */
static json_t *await_copy(long long job, const char *field, const char *want)
{
	char *ext = ext_id(job);
	long long t0 = itest_now_ms();
	json_t *copy = NULL;
	for (;;) {
		copy = sandbox_job(ext);
		if (copy && (!field || !strcmp(itest_jstr(copy, field), want)))
			break;
		if (itest_now_ms() - t0 > 15000) {
			CHECK(false,
			      "LinkedIn's copy of %s: %s is \"%s\", "
			      "want \"%s\" (waited 15 s)",
			      ext, field ? field : "(any)",
			      copy ? itest_jstr(copy, field) : "(none)",
			      want ? want : "");
			json_decref(copy);
			copy = NULL;
			break;
		}
		json_decref(copy);
		itest_pause_ms(100);
	}
	free(ext);
	return copy;
}

static long long active_job(struct itest_person *p, const char *title,
			    const char *location)
{
	long long id = create_job(p, title, "location", location, "description",
				  "Sync me.", NULL);
	char *act = itest_fmt("/jobs/%lld/activate", id);
	CHECK(post(p, act, NULL, NULL, NULL, NULL) == 303, "activate");
	free(act);
	return id;
}

static void enabling_shows_each_integrations_state(void)
{
	CHECK(post_admin("/admin/linkedin/integrations", "action", "enable") ==
		  303,
	      "Enable at LinkedIn");
	long long t0 = itest_now_ms();
	while (!integrations_are("ENABLED") && itest_now_ms() - t0 < 15000)
		itest_pause_ms(100);
	CHECK(integrations_are("ENABLED"),
	      "every integration ENABLED on /admin/linkedin within 15 s");
	json_t *a = at_linkedin();
	json_t *e = json_array_get(json_object_get(a, "integrations"), 0);
	CHECK(!strcmp(itest_jstr(e, "type"), "ONE_CLICK_EXPORT") &&
		  !strcmp(itest_jstr(e, "name"), "hirelink test"),
	      "the export integration under the instance's name: %s %s",
	      itest_jstr(e, "type"), itest_jstr(e, "name"));
	char *cb = itest_fmt("%s/linkedin/notifications", itest_base_url());
	CHECK(!strcmp(itest_jstr(e, "linkedin_callback"), cb) &&
		  !strcmp(itest_jstr(a, "callback_url"), cb),
	      "LinkedIn holds the callback %s (hirelink registers %s), want "
	      "%s",
	      itest_jstr(e, "linkedin_callback"), itest_jstr(a, "callback_url"),
	      cb);
	CHECK(!strcmp(itest_jstr(a, "target"), "enabled") &&
		  !json_is_true(json_object_get(a, "pending")),
	      "asked and done");
	json_decref(a);
	/* LinkedIn's side: the viewers, for jobs without ACLs */
	CHECK(itest_sql_int("SELECT COUNT(*) FROM linkedin_sandbox."
			    "ats_integration_configs WHERE client_id = '%s' "
			    "AND config_value = 'ALL_PRODUCT_USERS'",
			    li->client_id) == 2,
	      "JOB_POSTING_VIEWERS and APPLICATION_VIEWERS");
	struct itest_resp r =
	    itest_get(itest_as(&ada), "/admin/linkedin", false);
	CHECK_HAS(r, instance, "the page shows the instance id");
	CHECK_HAS(r, "ENABLED", "the page shows the states");
	itest_resp_free(&r);

	/* Disable, and enable again */
	CHECK(post_admin("/admin/linkedin/integrations", "action", "disable") ==
		  303,
	      "Disable at LinkedIn");
	t0 = itest_now_ms();
	while (!integrations_are("DISABLED") && itest_now_ms() - t0 < 15000)
		itest_pause_ms(100);
	CHECK(integrations_are("DISABLED"), "every integration DISABLED");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM linkedin_sandbox."
			    "ats_integration_configs WHERE client_id = '%s'",
			    li->client_id) == 0,
	      "the configurations are gone");
	CHECK(post_admin("/admin/linkedin/integrations", "action", "enable") ==
		  303,
	      "Enable again");
	t0 = itest_now_ms();
	while (!integrations_are("ENABLED") && itest_now_ms() - t0 < 15000)
		itest_pause_ms(100);
	CHECK(integrations_are("ENABLED"), "enabled again");
	free(cb);
}


/* The state /admin/linkedin shows of integration type. new. */
static char *integration_status(const char *type)
{
	json_t *a = at_linkedin(), *e;
	size_t i;
	char *st = itest_strdup("");
	json_array_foreach(json_object_get(a, "integrations"), i, e)
	{
		if (!strcmp(itest_jstr(e, "type"), type)) {
			free(st);
			st = itest_strdup(itest_jstr(e, "status"));
		}
	}
	json_decref(a);
	return st;
}

/* Waits (up to 15 s) until /admin/linkedin shows integration type in
 * state want; whether it did. */
static bool await_integration(const char *type, const char *want)
{
	long long t0 = itest_now_ms();
	for (;;) {
		char *st = integration_status(type);
		bool ok = !strcmp(st, want);
		if (ok || itest_now_ms() - t0 > 15000) {
			CHECK(ok, "/admin/linkedin shows %s %s, want %s", type,
			      st, want);
			free(st);
			return ok;
		}
		free(st);
		itest_pause_ms(100);
	}
}

/* The customer's Recruiter admin switches this instance's integration
 * of type at LinkedIn (the sandbox's control call); the notification's
 * requestId, new ("" when none). */
static char *switch_at_linkedin(const char *type, const char *status)
{
	long st;
	json_t *j = itest_li_switch_integration(0, type, status, &st);
	CHECK(st == 200, "LinkedIn's admin switches an integration: %ld", st);
	CHECK(json_is_true(json_object_get(j, "notified")),
	      "LinkedIn notifies hirelink's callback");
	char *id = itest_strdup(itest_jstr(j, "requestId"));
	json_decref(j);
	return id;
}

/* LinkedIn turns an integration off (or on) on its side: its
 * INTEGRATION_STATUS_CHANGE reaches hirelink, and /admin/linkedin shows
 * LinkedIn's state without anybody in hirelink asking. */
static void linkedins_change_of_an_integration_shows_on_the_admin_page(void)
{
	CHECK(integrations_are("ENABLED"), "enabled to begin with");
	char *id = switch_at_linkedin("ONE_CLICK_EXPORT", "DISABLED");
	CHECK(await_integration("ONE_CLICK_EXPORT", "DISABLED"),
	      "export DISABLED on /admin/linkedin");
	char *other = integration_status("PROFILE_PLUGIN");
	CHECK(!strcmp(other, "ENABLED"), "the others as they were: %s", other);
	free(other);
	/* the notification is on the events page, applied */
	long st;
	json_t *j = itest_get_json(itest_as(&ada), "/admin/linkedin/events",
				   &st);
	json_t *e, *found = NULL;
	size_t i;
	json_array_foreach(json_object_get(j, "events"), i, e)
	{
		if (!strcmp(itest_jstr(e, "request_id"), id))
			found = e;
	}
	CHECK(found && !strcmp(itest_jstr(found, "event_type"),
			       "INTEGRATION_STATUS_CHANGE") &&
		  !strcmp(itest_jstr(found, "status"), "applied") &&
		  strstr(itest_jstr(found, "reason"),
			 "ONE_CLICK_EXPORT DISABLED"),
	      "the events page: %s %s \"%s\"",
	      found ? itest_jstr(found, "event_type") : "(no event)",
	      found ? itest_jstr(found, "status") : "",
	      found ? itest_jstr(found, "reason") : "");
	json_decref(j);
	struct itest_resp r =
	    itest_get(itest_as(&ada), "/admin/linkedin", false);
	CHECK_HAS(r, "DISABLED", "the page says so");
	itest_resp_free(&r);
	free(id);

	/* and on again */
	id = switch_at_linkedin("ONE_CLICK_EXPORT", "ENABLED");
	CHECK(await_integration("ONE_CLICK_EXPORT", "ENABLED"),
	      "export ENABLED again on /admin/linkedin");
	free(id);
}

static void a_job_reaches_linkedin_and_follows_its_changes(void)
{
	char *title = itest_fmt("Synced job %s", run_id);
	long long id = active_job(&rita, title, "Berlin, Germany");
	json_t *c = await_copy(id, "state", "LISTED");
	if (c) {
		char *url =
		    itest_fmt("%s/careers/J-%05lld", itest_base_url(), id);
		CHECK(
		    !strcmp(itest_jstr(c, "title"), title) &&
			!strcmp(itest_jstr(c, "description"), "Sync me.") &&
			!strcmp(itest_jstr(c, "location"), "Berlin, Germany") &&
			!strcmp(itest_jstr(c, "availability"),
				"PRIVATE_TO_ATS_INTEGRATION") &&
			!strcmp(itest_jstr(c, "companyApplyUrl"), url) &&
			itest_jint(c, "listedAt") > 1600000000000LL &&
			!strcmp(itest_jstr(c, "integrationContext"),
				li->organization),
		    "LinkedIn's copy has every field");
		/* its one member, rita who made it: her ACL alone (written
		 * after the posting) */
		char *rita_acl = itest_fmt("%s-U-%lld", instance, rita.id);
		json_t *acls = json_object_get(c, "aclIds");
		for (int i = 0; i < 150 && json_array_size(acls) == 0; i++) {
			itest_pause_ms(100);
			json_decref(c);
			c = await_copy(id, NULL, NULL);
			acls = json_object_get(c, "aclIds");
		}
		CHECK(json_array_size(acls) == 1 &&
			  !strcmp(json_string_value(json_array_get(acls, 0)),
				  rita_acl),
		      "the ACL of the job's one member, its creator");
		free(rita_acl);
		free(url);
	}
	json_decref(c);

	/* an edit */
	char *path = itest_fmt("/jobs/%lld", id);
	struct itest_resp page = itest_get(itest_as(&rita), path, false);
	/* the worker records LinkedIn's answer after the ACL is written */
	for (int i = 0; i < 100 && !itest_has(&page, "li-state\">LISTED<");
	     i++) {
		itest_resp_free(&page);
		itest_pause_ms(100);
		page = itest_get(itest_as(&rita), path, false);
	}
	CHECK_HAS(page, "<span class=\"li-state\">LISTED</span>",
		  "the job page says it is LISTED at LinkedIn");
	itest_resp_free(&page);
	char *t2 = itest_fmt("Renamed job %s", run_id);
	CHECK(post(&rita, path, "title", t2, "location", "DE 10115") == 303,
	      "edit");
	c = await_copy(id, "title", t2);
	CHECK(c && !strcmp(itest_jstr(c, "postalCode"), "10115") &&
		  !strcmp(itest_jstr(c, "countryCode"), "DE"),
	      "placed by postal code");
	json_decref(c);

	/* losing the Prospect stage closes it, gaining one lists it */
	long long prospect = itest_sql_int(
	    "SELECT id FROM job_stages WHERE job_id = %lld AND kind = "
	    "'prospect'",
	    id);
	char *stages = itest_fmt("/jobs/%lld/stages", id);
	char *sid = itest_fmt("%lld", prospect);
	CHECK(post(&rita, stages, "action", "delete", "stage_id", sid) == 303,
	      "delete the Prospect stage");
	json_decref(await_copy(id, "state", "CLOSED"));
	struct itest_resp r =
	    itest_post(itest_as(&rita), stages, false, rita.csrf, "action",
		       "add", "name", "Sourced", "kind", "prospect", NULL);
	CHECK_STATUS(r, 303, "add a Prospect stage");
	itest_resp_free(&r);
	json_decref(await_copy(id, "state", "LISTED"));

	/* a closed job is CLOSED */
	char *cls = itest_fmt("/jobs/%lld/close", id);
	CHECK(post(&rita, cls, NULL, NULL, NULL, NULL) == 303, "close");
	json_decref(await_copy(id, "state", "CLOSED"));

	/* an admin makes it public */
	char *act = itest_fmt("/jobs/%lld/activate", id);
	CHECK(post(&rita, act, NULL, NULL, NULL, NULL) == 303, "reopen");
	CHECK(post(&ada, path, "title", t2, "availability", "public") == 303,
	      "make it public");
	json_decref(await_copy(id, "availability", "PUBLIC"));
	/* and private again: LinkedIn wants it closed first, hirelink does */
	CHECK(post(&ada, path, "title", t2, "availability", "private") == 303,
	      "make it private");
	c = await_copy(id, "availability", "PRIVATE_TO_ATS_INTEGRATION");
	CHECK(c && !strcmp(itest_jstr(c, "state"), "LISTED"),
	      "private and listed again");
	json_decref(c);
	free(act);
	free(cls);
	free(sid);
	free(stages);
	free(t2);
	free(path);
	free(title);
}

static void a_draft_is_never_sent(void)
{
	char *title = itest_fmt("Draft job %s", run_id);
	long long id = create_job(&rita, title, "location", "Oslo, Norway",
				  "description", "Not yet.", NULL);
	free(itest_await_outbox("job", id, "", 15000));
	json_t *c = copy_of(id);
	CHECK(!c, "LinkedIn has no copy of a draft");
	json_decref(c);
	free(title);
}

static void a_location_linkedin_cannot_place_is_reported(void)
{
	char *title = itest_fmt("Unplaced job %s", run_id);
	long long id = active_job(&rita, title, "Berlin");
	char *row = itest_await_outbox("job", id, "dead|", 15000);
	CHECK(strstr(row, "|1|") && strstr(row, "cannot place \"Berlin\""),
	      "dead at once with the reason: %s", row);
	free(row);
	json_t *c = copy_of(id);
	CHECK(!c, "nothing reached LinkedIn");
	json_decref(c);
	/* the admin sees it, and the job page says it */
	struct itest_resp r =
	    itest_get(itest_as(&ada), "/admin/linkedin/outbox", false);
	CHECK_HAS(r, "cannot place &quot;Berlin&quot;", "the outbox page");
	itest_resp_free(&r);
	char *jp = itest_fmt("/jobs/%lld", id);
	r = itest_get(itest_as(&rita), jp, false);
	CHECK_HAS(r, "the last update failed: LinkedIn cannot place",
		  "the job page says the sync failed and why");
	itest_resp_free(&r);
	free(jp);
	/* fixed, it goes */
	char *path = itest_fmt("/jobs/%lld", id);
	CHECK(post(&rita, path, "title", title, "location",
		   "Berlin, Germany") == 303,
	      "fix the location");
	json_decref(await_copy(id, "state", "LISTED"));
	free(path);
	free(title);
}

static bool has_string(json_t *array, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(array, i,
			   v) if (!strcmp(json_string_value(v), s)) return true;
	return false;
}

static void members_are_the_jobs_acl(void)
{
	char *title = itest_fmt("Members job %s", run_id);
	long long id = active_job(&rita, title, "Paris, France");
	char *members = itest_fmt("/jobs/%lld/members", id);
	char *sam_id = itest_fmt("%lld", sam.id);
	char *hal_id = itest_fmt("%lld", hal.id);
	struct itest_resp r =
	    itest_post(itest_as(&ada), members, false, ada.csrf, "action",
		       "add", "user_id", sam_id, "role", "recruiter", NULL);
	CHECK_STATUS(r, 303, "sam on the job");
	itest_resp_free(&r);
	r = itest_post(itest_as(&ada), members, false, ada.csrf, "action",
		       "add", "user_id", hal_id, "role", "hiring_manager",
		       NULL);
	CHECK_STATUS(r, 303, "hal on the job");
	itest_resp_free(&r);
	char *sam_acl = itest_fmt("%s-U-%lld", instance, sam.id);
	char *hal_acl = itest_fmt("%s-U-%lld", instance, hal.id);
	char *person = itest_fmt("urn:li:person:%s", li->recruiter.id);
	long long t0 = itest_now_ms();
	json_t *c = NULL;
	for (;;) {
		json_decref(c);
		c = copy_of(id);
		if ((c && has_string(json_object_get(c, "aclIds"), hal_acl) &&
		     has_string(json_object_get(c, "assignees"), person)) ||
		    itest_now_ms() - t0 > 15000)
			break;
		itest_pause_ms(100);
	}
	CHECK(c && has_string(json_object_get(c, "aclIds"), sam_acl) &&
		  has_string(json_object_get(c, "aclIds"), hal_acl),
	      "an ACL for each of the job's recruiters and hiring managers");
	CHECK(c && json_array_size(json_object_get(c, "assignees")) == 1 &&
		  has_string(json_object_get(c, "assignees"), person),
	      "sam's LinkedIn member may see it; hal, not connected, cannot");
	json_decref(c);

	/* sam leaves: the ACLs of rita (the job's creator, its recruiter) and
	 * hal, neither connected: nobody assigned, hidden from all */
	r = itest_post(itest_as(&ada), members, false, ada.csrf, "action",
		       "remove", "user_id", sam_id, NULL);
	CHECK_STATUS(r, 303, "sam leaves");
	itest_resp_free(&r);
	t0 = itest_now_ms();
	for (c = NULL;;) {
		json_decref(c);
		c = copy_of(id);
		if ((c && !has_string(json_object_get(c, "aclIds"), sam_acl)) ||
		    itest_now_ms() - t0 > 15000)
			break;
		itest_pause_ms(100);
	}
	char *rita_acl = itest_fmt("%s-U-%lld", instance, rita.id);
	CHECK(c && json_array_size(json_object_get(c, "aclIds")) == 2 &&
		  has_string(json_object_get(c, "aclIds"), rita_acl) &&
		  has_string(json_object_get(c, "aclIds"), hal_acl) &&
		  json_array_size(json_object_get(c, "assignees")) == 0,
	      "rita's and hal's ACLs alone, nobody assigned");
	free(rita_acl);
	json_decref(c);
	free(person);
	free(hal_acl);
	free(sam_acl);
	free(hal_id);
	free(sam_id);
	free(members);
	free(title);
}

static void linkedins_refusal_is_dead_and_outages_are_retried(void)
{
	char *title = itest_fmt("Refused job %s", run_id);
	long long id = active_job(&rita, title, "Rome, Italy");
	json_decref(await_copy(id, "state", "LISTED"));

	/* a 400: dead at once with LinkedIn's message, no retry storm */
	CHECK(itest_sandbox_control(
		  "{\"fail\":{\"path_prefix\":\"/v2/simpleJobPostings\","
		  "\"status\":400}}") == 200,
	      "LinkedIn refuses job postings");
	char *path = itest_fmt("/jobs/%lld", id);
	char *t2 = itest_fmt("Refused again %s", run_id);
	CHECK(post(&rita, path, "title", t2, NULL, NULL) == 303, "edit");
	char *row = itest_await_outbox("job", id, "dead|", 15000);
	CHECK(strstr(row, "dead|1|") && strstr(row, "400"),
	      "dead after one attempt with LinkedIn's answer: %s", row);
	free(row);
	itest_pause_ms(1500);
	row = itest_outbox_row("job", id);
	CHECK(!strncmp(row, "dead|1|", 7), "still one attempt: %s", row);
	free(row);
	CHECK(itest_sandbox_control("{\"reset\":true}") == 200, "reset");

	/* a 503 and a 429: tried again after LinkedIn's Retry-After */
	static const char *const fails[] = {
	    "{\"fail\":{\"path_prefix\":\"/v2/simpleJobPostings\","
	    "\"status\":503,\"count\":1,\"retry_after\":1}}",
	    "{\"fail\":{\"path_prefix\":\"/v2/simpleJobPostings\","
	    "\"status\":429,\"count\":1,\"retry_after\":1}}",
	};
	for (size_t i = 0; i < ARRAY_LEN(fails); i++) {
		CHECK(itest_sandbox_control(fails[i]) == 200, "%s", fails[i]);
		char *t3 = itest_fmt("Retried %zu %s", i, run_id);
		CHECK(post(&rita, path, "title", t3, NULL, NULL) == 303,
		      "edit");
		json_t *c = await_copy(id, "title", t3);
		CHECK(c != NULL, "it lands once LinkedIn is back");
		json_decref(c);
		long st;
		char *url =
		    itest_fmt("%s/sandbox/control", itest_sandbox_url());
		json_t *rules = itest_get_json(sbc, url, &st);
		CHECK(itest_jint(
			  json_array_get(json_object_get(rules, "rules"), 0),
			  "remaining") == 0,
		      "LinkedIn did fail it once");
		json_decref(rules);
		free(url);
		CHECK(itest_sandbox_control("{\"reset\":true}") == 200,
		      "reset");
		free(t3);
	}
	free(t2);
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
	static const struct test sandbox_tests[] = {
	    TEST(integrations_are_enabled_read_back_and_disabled),
	    TEST(callback_url_is_set_read_and_deleted),
	    TEST(job_postings_are_checked_for_linkedins_required_fields),
	    TEST(acls_decide_who_sees_a_job),
	};
	static const struct test sync_tests[] = {
	    TEST(enabling_shows_each_integrations_state),
	    TEST(linkedins_change_of_an_integration_shows_on_the_admin_page),
	    TEST(a_job_reaches_linkedin_and_follows_its_changes),
	    TEST(a_draft_is_never_sent),
	    TEST(a_location_linkedin_cannot_place_is_reported),
	    TEST(members_are_the_jobs_acl),
	    TEST(linkedins_refusal_is_dead_and_outages_are_retried),
	};
	static const struct suite suites[] = {
	    SUITE("job_form", form_init, form_clean, form_tests),
	    SUITE("sandbox_jobs", sandbox_init, sandbox_clean, sandbox_tests),
	    SUITE("sync", sync_init, sync_clean, sync_tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
