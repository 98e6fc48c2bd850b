/*
 * test_linkedin_jobs.c - the LinkedIn client's jobs.c: the words hirelink
 * and LinkedIn share for a job (its externalJobPostingId and the parse C
 * uses, its location in LinkedIn's form), and the calls, against a fake
 * LinkedIn (fake_http.c) in a thread of this process that answers as each test scripts
 * it and keeps the last request of each path: a batch_create read element
 * by element, its tasks polled, a task that failed, the whole batch
 * refused or throttled (Retry-After handed to the caller), the three
 * integrations enabled with their configurations, ACL rows keyed as
 * LinkedIn documents them.  The sandbox's side and the database's are
 * test_job_sync.c's.
 */
#include <CUnit/Basic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/config.h"
#include "linkedin/linkedin.h"
#include "../suite.h"
#include "fake_http.h"

static char base[64];
static struct config cfg;

/* ------------------------------------------------------------ the fake */

/* What the fake answers a path starting with prefix, and the last request
 * it got there (its head and body). */
struct script {
	const char *prefix;
	int status;
	const char *extra; /* more header lines, "Name: v\r\n" */
	const char *body;
	char last[65536];
	int hits;
};

static struct script scripts[8];
static size_t nscripts;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void script(const char *prefix, int status, const char *extra,
		   const char *body)
{
	pthread_mutex_lock(&mu);
	struct script *s = &scripts[nscripts++];
	*s = (struct script){prefix, status, extra, body, "", 0};
	pthread_mutex_unlock(&mu);
}

static void scripts_reset(void)
{
	pthread_mutex_lock(&mu);
	nscripts = 0;
	pthread_mutex_unlock(&mu);
}

/* The last request to the script of prefix (its head and body). */
static const char *last(const char *prefix)
{
	for (size_t i = 0; i < nscripts; i++)
		if (!strcmp(scripts[i].prefix, prefix))
			return scripts[i].last;
	return "";
}

static int hits(const char *prefix)
{
	for (size_t i = 0; i < nscripts; i++)
		if (!strcmp(scripts[i].prefix, prefix))
			return scripts[i].hits;
	return 0;
}

/* Answers from the scripts: the first whose prefix starts the path. */
static void serve_one(int fd, const char *req, const char *body_in)
{
	(void)body_in;
	if (!strncmp(req, "POST /oauth/v2/accessToken", 26)) {
		const char *b =
		    "{\"access_token\":\"tok\",\"expires_in\":1800}";
		fake_http_reply(fd, 200, NULL, b, strlen(b));
		return;
	}
	const char *path = strchr(req, ' ');
	path = path ? path + 1 : "";
	pthread_mutex_lock(&mu);
	struct script *s = NULL;
	for (size_t i = 0; i < nscripts && !s; i++)
		if (!strncmp(path, scripts[i].prefix,
			     strlen(scripts[i].prefix)))
			s = &scripts[i];
	if (s) {
		snprintf(s->last, sizeof(s->last), "%s", req);
		s->hits++;
	}
	int status = s ? s->status : 404;
	const char *extra = s ? s->extra : NULL;
	const char *body = s ? s->body : "{}";
	pthread_mutex_unlock(&mu);
	fake_http_reply(fd, status, extra, body, strlen(body));
}

static int start_fake(void)
{
	return fake_http_start(serve_one, base, sizeof(base)) < 0 ? -1 : 0;
}

/* ------------------------------------------------------------ fixture */

struct fixture {
	struct li_shared *sh;
	struct li_client *li;
	struct arena *a;
	struct li_settings s;
};

static struct fixture open_fixture(void)
{
	struct fixture fx = {.sh = li_shared_new(&cfg, NULL, NULL)};
	fx.li = li_client_new(fx.sh);
	fx.a = arena_new(4096);
	fx.s = (struct li_settings){
	    .enabled = true,
	    .client_id = "cid",
	    .client_secret = "secret",
	    .organization_urn = "urn:li:organization:7",
	    .contract_urn = "",
	    .ats_instance_name = "Acme ATS",
	};
	scripts_reset();
	return fx;
}

static void close_fixture(struct fixture *fx)
{
	arena_free(fx->a);
	li_client_free(fx->li);
	li_shared_free(fx->sh);
}

static struct li_job_posting job(const char *id, const char *title)
{
	return (struct li_job_posting){
	    .external_id = id,
	    .title = title,
	    .description = "Build things.",
	    .location = {.location = "Berlin, Germany"},
	    .availability = "PRIVATE_TO_ATS_INTEGRATION",
	    .state = "LISTED",
	    .apply_url = "https://ats.example.com/careers/J-00001",
	    .listed_at_ms = 1700000000000,
	};
}

/* Occurrences of needle in s. */
static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* ------------------------------------------------------------ words */

static void job_posting_ids_carry_the_instance(void)
{
	struct arena *a = arena_new(1024);
	uint64_t id = 0;
	CU_ASSERT_STRING_EQUAL(li_job_posting_id(a, "k3x9q2pa", 42),
			       "k3x9q2pa-J-00042");
	CU_ASSERT_STRING_EQUAL(li_job_posting_id(a, "k3x9q2pa", 1234567),
			       "k3x9q2pa-J-1234567");
	CU_ASSERT(li_job_posting_id_parse("k3x9q2pa-J-00042", "k3x9q2pa", &id));
	CU_ASSERT_EQUAL(id, 42);
	CU_ASSERT(
	    li_job_posting_id_parse("k3x9q2pa-J-1234567", "k3x9q2pa", &id));
	CU_ASSERT_EQUAL(id, 1234567);
	/* another instance's, or not one at all */
	CU_ASSERT(
	    !li_job_posting_id_parse("zzzzzzzz-J-00042", "k3x9q2pa", &id));
	CU_ASSERT(!li_job_posting_id_parse("k3x9q2pa-J-42", "k3x9q2pa", &id));
	CU_ASSERT(
	    !li_job_posting_id_parse("k3x9q2pa-J-00042x", "k3x9q2pa", &id));
	CU_ASSERT(
	    !li_job_posting_id_parse("k3x9q2pa-C-00042", "k3x9q2pa", &id));
	CU_ASSERT(
	    !li_job_posting_id_parse("k3x9q2pa-J-00000", "k3x9q2pa", &id));
	CU_ASSERT(!li_job_posting_id_parse(NULL, "k3x9q2pa", &id));
	arena_free(a);
}

/* An export's job: only this instance's ids name one of its jobs; the
 * others say why, for the events page. */
static void an_exports_job_id_is_this_instances_or_refused(void)
{
	struct arena *a = arena_new(1024);
	uint64_t id = 99;
	CU_ASSERT_PTR_NULL(
	    li_job_posting_id_resolve(a, "k3x9q2pa-J-00042", "k3x9q2pa", &id));
	CU_ASSERT_EQUAL(id, 42);
	const char *why =
	    li_job_posting_id_resolve(a, "zzzz1234-J-00042", "k3x9q2pa", &id);
	CU_ASSERT_EQUAL(id, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "another hirelink instance"));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "zzzz1234"));
	static const char *const malformed[] = {
	    "k3x9q2pa-J-42", "k3x9q2pa-C-00042", "J-00042", "Zzzz1234-J-00042",
	    "zzzz12345-J-00042", "zzzz1234-J-00042x", "", "-J-00042"};
	for (size_t i = 0; i < ARRAY_LEN(malformed); i++) {
		id = 99;
		why = li_job_posting_id_resolve(a, malformed[i], "k3x9q2pa",
						&id);
		CU_ASSERT_EQUAL(id, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(why);
		if (!strstr(why, "is not one hirelink makes"))
			fprintf(stderr, "\n%s: %s\n", malformed[i], why);
		CU_ASSERT_PTR_NOT_NULL(strstr(why, "is not one hirelink makes"));
	}
	arena_free(a);
}

static void locations_map_to_linkedins_form(void)
{
	static const struct {
		const char *in;
		const char *location, *cc, *postal;
		const char *why; /* a part of the refusal */
	} cases[] = {
	    {"Austin, TX", "Austin, TX", NULL, NULL, NULL},
	    {"  Berlin ,Germany  ", "Berlin, Germany", NULL, NULL, NULL},
	    {"Frankfurt am Main, Hesse, Germany",
	     "Frankfurt am Main, Hesse, Germany", NULL, NULL, NULL},
	    {"Remote, Portugal", "Remote, Portugal", NULL, NULL, NULL},
	    {"DE 10115", NULL, "DE", "10115", NULL},
	    {"us-94105", NULL, "US", "94105", NULL},
	    {"gb SW1A 1AA", NULL, "GB", "SW1A 1AA", NULL},
	    {"Berlin", NULL, NULL, NULL, "cannot place \"Berlin\""},
	    {"Rome IT", NULL, NULL, NULL, "cannot place"},
	    {"Remote", NULL, NULL, NULL, "country of a remote job"},
	    {"remote", NULL, NULL, NULL, "country of a remote job"},
	    {"", NULL, NULL, NULL, "needs the job's location"},
	    {"   ", NULL, NULL, NULL, "needs the job's location"},
	    {NULL, NULL, NULL, NULL, "needs the job's location"},
	    {", Germany", NULL, NULL, NULL, "either side of the comma"},
	    {"Lisbon,", NULL, NULL, NULL, "either side of the comma"},
	    {"DE Oslo", NULL, NULL, NULL, "cannot place"},
	};
	struct arena *a = arena_new(1024);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct li_location l;
		const char *why;
		bool ok = li_location_map(a, cases[i].in, &l, &why);
		CU_ASSERT_EQUAL(ok, cases[i].why == NULL);
		if (ok != (cases[i].why == NULL))
			fprintf(stderr, "\"%s\": %s\n", cases[i].in,
				ok ? "mapped" : why);
		if (!ok) {
			CU_ASSERT_PTR_NOT_NULL(strstr(why, cases[i].why));
			continue;
		}
		if (cases[i].location) {
			CU_ASSERT_STRING_EQUAL(l.location, cases[i].location);
		} else {
			CU_ASSERT_PTR_NULL(l.location);
		}
		if (cases[i].cc) {
			CU_ASSERT_STRING_EQUAL(l.country_code, cases[i].cc);
			CU_ASSERT_STRING_EQUAL(l.postal_code, cases[i].postal);
		}
	}
	arena_free(a);
}

static void the_callback_url_is_the_public_base_urls_or_configured(void)
{
	struct arena *a = arena_new(1024);
	struct config c;
	config_defaults(&c);
	c.public_base_url = "https://ats.example.com";
	CU_ASSERT_STRING_EQUAL(
	    li_callback_url(a, &c),
	    "https://ats.example.com/linkedin/notifications");
	c.linkedin_callback_url = "https://edge.example.com/li";
	CU_ASSERT_STRING_EQUAL(li_callback_url(a, &c),
			       "https://edge.example.com/li");
	arena_free(a);
}

/* ------------------------------------------------------------ postings */

static void a_batch_is_answered_element_by_element(void)
{
	struct fixture fx = open_fixture();
	struct li_error err = {0};
	script("/v2/simpleJobPostings", 200, NULL,
	       "{\"elements\":[{\"status\":201,\"id\":"
	       "\"urn:li:simpleJobPostingTask:1\"},{\"status\":422,\"error\":"
	       "{\"status\":422,\"serviceErrorCode\":0,\"message\":\"ERROR :: "
	       "/title :: field is required but not found and has no default "
	       "value\"}},{\"status\":201,\"id\":"
	       "\"urn:li:simpleJobPostingTask:3\"}]}");
	script("/v2/simpleJobPostingTasks", 200, NULL,
	       "{\"results\":{\"urn:li:simpleJobPostingTask:1\":{\"id\":"
	       "\"urn:li:simpleJobPostingTask:1\",\"status\":\"SUCCEEDED\"},"
	       "\"urn:li:simpleJobPostingTask:3\":{\"id\":"
	       "\"urn:li:simpleJobPostingTask:3\",\"status\":\"FAILED\","
	       "\"error\":{\"message\":\"The location could not be "
	       "found\"}}},\"errors\":{}}");
	struct li_job_posting p[3] = {job("i-J-00001", "One"),
				      job("i-J-00002", "Two"),
				      job("i-J-00003", "Three")};
	p[2].location = (struct li_location){NULL, "DE", "10115"};
	CU_ASSERT_EQUAL_FATAL(
	    li_job_postings_send(fx.li, NULL, fx.a, &fx.s, p, 3, &err), LI_OK);
	CU_ASSERT(!p[0].outcome.failed);
	CU_ASSERT_STRING_EQUAL(p[0].task_id, "urn:li:simpleJobPostingTask:1");
	CU_ASSERT(p[1].outcome.failed);
	CU_ASSERT_EQUAL(p[1].outcome.status, 422);
	CU_ASSERT_PTR_NOT_NULL(strstr(p[1].outcome.message, "/title"));
	CU_ASSERT(p[2].outcome.failed);
	CU_ASSERT_EQUAL(p[2].outcome.status, 400);
	CU_ASSERT_STRING_EQUAL(p[2].outcome.message,
			       "The location could not be found");

	/* what went out: one batch_create with every field of each */
	const char *req = last("/v2/simpleJobPostings");
	CU_ASSERT_PTR_NOT_NULL(
	    strcasestr(req, "X-RestLi-Method: batch_create"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "Authorization: Bearer tok"));
	static const char *const fields[] = {
	    "\"integrationContext\":\"urn:li:organization:7\"",
	    "\"externalJobPostingId\":\"i-J-00001\"",
	    "\"title\":\"One\"",
	    "\"description\":\"Build things.\"",
	    "\"location\":\"Berlin, Germany\"",
	    "\"availability\":\"PRIVATE_TO_ATS_INTEGRATION\"",
	    "\"state\":\"LISTED\"",
	    "\"companyApplyUrl\":\"https://ats.example.com/careers/J-00001\"",
	    "\"listedAt\":1700000000000",
	    "\"countryCode\":\"DE\"",
	    "\"postalCode\":\"10115\"",
	};
	for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
		CU_ASSERT_PTR_NOT_NULL(strstr(req, fields[i]));
		if (!strstr(req, fields[i]))
			fprintf(stderr, "not sent: %s\n", fields[i]);
	}
	/* the tasks of the accepted two, read once */
	const char *tq = last("/v2/simpleJobPostingTasks");
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(tq, "ids=urn%3Ali%3AsimpleJobPostingTask%3A1"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(tq, "ids=urn%3Ali%3AsimpleJobPostingTask%3A3"));
	CU_ASSERT_EQUAL(hits("/v2/simpleJobPostingTasks"), 1);
	close_fixture(&fx);
}

static void a_task_in_progress_is_read_again(void)
{
	struct fixture fx = open_fixture();
	struct li_error err = {0};
	script("/v2/simpleJobPostings", 200, NULL,
	       "{\"elements\":[{\"status\":201,\"id\":"
	       "\"urn:li:simpleJobPostingTask:9\"}]}");
	script("/v2/simpleJobPostingTasks", 200, NULL,
	       "{\"results\":{\"urn:li:simpleJobPostingTask:9\":{\"status\":"
	       "\"IN_PROGRESS\"}}}");
	struct li_job_posting p = job("i-J-00009", "Nine");
	CU_ASSERT_EQUAL(
	    li_job_postings_send(fx.li, NULL, fx.a, &fx.s, &p, 1, &err), LI_OK);
	/* three reads, then it counts as accepted */
	CU_ASSERT_EQUAL(hits("/v2/simpleJobPostingTasks"), 3);
	CU_ASSERT(!p.outcome.failed);
	close_fixture(&fx);
}

static void a_refused_or_throttled_batch_fails_whole(void)
{
	struct fixture fx = open_fixture();
	struct li_error err = {0};
	struct li_job_posting p = job("i-J-00001", "One");
	script("/v2/simpleJobPostings", 400, NULL,
	       "{\"serviceErrorCode\":100,\"message\":\"Bad Request\","
	       "\"status\":400}");
	CU_ASSERT_EQUAL(
	    li_job_postings_send(fx.li, NULL, fx.a, &fx.s, &p, 1, &err),
	    LI_ERR_HTTP);
	CU_ASSERT_EQUAL(err.status, 400);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "Bad Request"));
	/* a POST is not sent twice */
	CU_ASSERT_EQUAL(hits("/v2/simpleJobPostings"), 1);

	scripts_reset();
	script("/v2/simpleJobPostings", 429, "Retry-After: 30\r\n",
	       "{\"serviceErrorCode\":0,\"message\":\"Resource level throttle "
	       "limit for calls to this resource is reached.\",\"status\":"
	       "429}");
	CU_ASSERT_EQUAL(
	    li_job_postings_send(fx.li, NULL, fx.a, &fx.s, &p, 1, &err),
	    LI_ERR_THROTTLED);
	CU_ASSERT_EQUAL(err.retry_after_ms, 30000);

	scripts_reset();
	script("/v2/simpleJobPostings", 503, "Retry-After: 7\r\n",
	       "{\"serviceErrorCode\":0,\"message\":\"Service Unavailable\","
	       "\"status\":503}");
	CU_ASSERT_EQUAL(
	    li_job_postings_send(fx.li, NULL, fx.a, &fx.s, &p, 1, &err),
	    LI_ERR_HTTP);
	CU_ASSERT_EQUAL(err.status, 503);
	CU_ASSERT_EQUAL(err.retry_after_ms, 7000);

	/* an answer with a wrong count of elements is not guessed at */
	scripts_reset();
	script("/v2/simpleJobPostings", 200, NULL, "{\"elements\":[]}");
	CU_ASSERT_EQUAL(
	    li_job_postings_send(fx.li, NULL, fx.a, &fx.s, &p, 1, &err),
	    LI_ERR_PROTOCOL);
	close_fixture(&fx);
}

/* ------------------------------------------------------------ integrations */

static void enabling_names_three_integrations_and_registers_the_callback(void)
{
	struct fixture fx = open_fixture();
	struct li_error err = {0};
	cfg.public_base_url = "https://ats.example.com";
	script("/v2/atsIntegrations/integrationContext=urn%3Ali%3Aorganization"
	       "%3A7&integrationType=ONE_CLICK_EXPORT",
	       200, NULL,
	       "{\"results\":{\"CALLBACK_URL\":{\"status\":204},"
	       "\"JOB_POSTING_VIEWERS\":{\"status\":204}},\"errors\":{}}");
	script("/v2/atsIntegrations/integrationContext=urn%3Ali%3Aorganization"
	       "%3A7&integrationType=IN_ATS_INDICATOR",
	       200, NULL,
	       "{\"results\":{\"APPLICATION_VIEWERS\":{\"status\":204}},"
	       "\"errors\":{}}");
	script("/v2/atsIntegrations?", 200, NULL,
	       "{\"results\":{"
	       "\"integrationContext=urn%3Ali%3Aorganization%3A7&"
	       "integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER&"
	       "dataProvider=ATS\":{\"status\":204},"
	       "\"integrationContext=urn:li:organization:7&integrationType="
	       "IN_ATS_INDICATOR&tenantType=RECRUITER&dataProvider=ATS\":"
	       "{\"status\":204},"
	       "\"dataProvider=ATS&tenantType=RECRUITER&integrationType="
	       "PROFILE_PLUGIN&integrationContext=urn:li:organization:7\":"
	       "{\"status\":204}},\"errors\":{}}");
	CU_ASSERT_EQUAL(
	    li_integrations_set(fx.li, NULL, fx.a, &fx.s, true, &err), LI_OK);
	if (err.message[0])
		fprintf(stderr, "%s\n", err.message);
	const char *req = last("/v2/atsIntegrations?");
	CU_ASSERT(!strncmp(req, "POST ", 5));
	CU_ASSERT_PTR_NOT_NULL(
	    strcasestr(req, "X-RestLi-Method: batch_partial_update"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "ids%5B2%5D.integrationType="
					   "PROFILE_PLUGIN"));
	CU_ASSERT_EQUAL(count(req, "{\"patch\":{\"$set\":"
				   "{\"integrationName\":\"Acme ATS\"}}}"),
			3);
	const char *cb = last("/v2/atsIntegrations/integrationContext=urn%3Ali"
			      "%3Aorganization%3A7&integrationType="
			      "ONE_CLICK_EXPORT");
	CU_ASSERT(!strncmp(cb, "PUT ", 4));
	CU_ASSERT_PTR_NOT_NULL(strstr(cb, "/configurations?ids=CALLBACK_URL&"
					  "ids=JOB_POSTING_VIEWERS"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(cb, "\"CALLBACK_URL\":{\"configurationValue\":{\"string\":"
		       "\"https://ats.example.com/linkedin/notifications\"}}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cb, "\"ALL_PRODUCT_USERS\""));
	const char *ai = last("/v2/atsIntegrations/integrationContext=urn%3Ali"
			      "%3Aorganization%3A7&integrationType="
			      "IN_ATS_INDICATOR");
	CU_ASSERT_PTR_NOT_NULL(strstr(ai, "ids=APPLICATION_VIEWERS"));

	/* one integration refused: the call fails with LinkedIn's words */
	scripts_reset();
	script("/v2/atsIntegrations?", 200, NULL,
	       "{\"results\":{},\"errors\":{"
	       "\"integrationContext=urn:li:organization:7&integrationType="
	       "ONE_CLICK_EXPORT&tenantType=RECRUITER&dataProvider=ATS\":"
	       "{\"status\":403,\"message\":\"Not enough permissions\"}}}");
	CU_ASSERT_EQUAL(
	    li_integrations_set(fx.li, NULL, fx.a, &fx.s, true, &err),
	    LI_ERR_HTTP);
	CU_ASSERT_EQUAL(err.status, 403);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "Not enough permissions"));

	/* not set up: nothing is sent */
	fx.s.organization_urn = "";
	CU_ASSERT_EQUAL(
	    li_integrations_set(fx.li, NULL, fx.a, &fx.s, true, &err),
	    LI_ERR_CONFIG);
	close_fixture(&fx);
}

static void acl_rows_are_keyed_as_linkedin_documents(void)
{
	struct fixture fx = open_fixture();
	struct li_error err = {0};
	script("/v2/atsEntityAclAssignees", 200, NULL,
	       "{\"results\":{\"atsEntityAclId=i-U-4&dataProvider=ATS&"
	       "integrationContext=urn:li:organization:7&assignee="
	       "urn:li:person:abc&atsEntityType=JOB_POSTING\":{\"status\":"
	       "204}},\"errors\":{}}");
	struct li_acl v = {"i-U-4", "urn:li:person:abc", {0}};
	CU_ASSERT_EQUAL(
	    li_acls_write(fx.li, NULL, fx.a, &fx.s, true, true, &v, 1, &err),
	    LI_OK);
	CU_ASSERT(!v.outcome.failed);
	const char *req = last("/v2/atsEntityAclAssignees");
	CU_ASSERT(!strncmp(req, "PUT ", 4));
	CU_ASSERT_PTR_NOT_NULL(
	    strcasestr(req, "X-RestLi-Method: batch_update"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "ids%5B0%5D.assignee=urn%3Ali%3A"
					   "person%3Aabc"));
	CU_ASSERT_PTR_NOT_NULL(strstr(req, "\":{}}}"));

	script("/v2/atsEntityAcls", 200, NULL,
	       "{\"results\":{},\"errors\":{\"atsEntityAclId=i-U-4&"
	       "dataProvider=ATS&integrationContext=urn:li:organization:7&"
	       "atsEntityId=i-J-00001&atsEntityType=JOB_POSTING\":{"
	       "\"status\":400,\"message\":\"bad\"}}}");
	struct li_acl d = {"i-U-4", "i-J-00001", {0}};
	CU_ASSERT_EQUAL(
	    li_acls_write(fx.li, NULL, fx.a, &fx.s, false, false, &d, 1, &err),
	    LI_OK);
	CU_ASSERT(d.outcome.failed);
	CU_ASSERT_EQUAL(d.outcome.status, 400);
	CU_ASSERT(!strncmp(last("/v2/atsEntityAcls"), "DELETE ", 7));
	CU_ASSERT_PTR_NOT_NULL(strcasestr(last("/v2/atsEntityAcls"),
					  "X-RestLi-Method: batch_delete"));
	close_fixture(&fx);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(job_posting_ids_carry_the_instance),
	    TEST(an_exports_job_id_is_this_instances_or_refused),
	    TEST(locations_map_to_linkedins_form),
	    TEST(the_callback_url_is_the_public_base_urls_or_configured),
	    TEST(a_batch_is_answered_element_by_element),
	    TEST(a_task_in_progress_is_read_again),
	    TEST(a_refused_or_throttled_batch_fails_whole),
	    TEST(enabling_names_three_integrations_and_registers_the_callback),
	    TEST(acl_rows_are_keyed_as_linkedin_documents),
	};
	static const struct suite suites[] = {
	    SUITE("linkedin_jobs", NULL, NULL, tests),
	};

	log_set_level(LOG_ERROR);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	config_defaults(&cfg);
	if (start_fake() < 0) {
		fprintf(stderr, "cannot start the fake LinkedIn\n");
		return 2;
	}
	cfg.linkedin_oauth_base = base;
	cfg.linkedin_api_base = base;
	int rc = suite_run(suites, ARRAY_LEN(suites));
	curl_global_cleanup();
	return rc;
}
