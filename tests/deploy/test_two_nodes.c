/*
 * test_two_nodes.c - two nodes of the installed copy behind one nginx
 * upstream, one MariaDB (README: "Several nodes").  scripts/install-test.sh
 * installs hirelink, starts two responders and two workers of it as an
 * unprivileged user, puts the production nginx site in front over TLS, and
 * runs this against it; it is not one of the development stack's
 * integration tests.
 *
 * What must hold with two of everything: a session made through one node
 * works on the other (and a sign-out through one ends it on the other
 * within session_cache_seconds); a page one node keeps in memory (the jobs
 * list's fragment cache) shows a change made through the other at once;
 * and an export from LinkedIn Recruiter, delivered again as LinkedIn may
 * (to whichever node nginx picks) with two workers claiming, becomes one
 * application, applied once.
 *
 * Environment, beyond itest.h's: HIRELINK_TEST_NODE_A and _B, each node
 * alone (a server of the test's nginx that passes to that node's socket
 * only).  The base URL is the production site (both nodes).
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"

#define TAG "Nodes"

static const struct itest_li_app *li;
static struct itest_person admin;
/* the first Recruiter seat holder of the sandbox, a hirelink recruiter by
 * the seat's email (how an export finds its exporter without Connect) */
static struct itest_person rec;
static char *rec_email;

/* url on node "A" or "B" alone: new */
static char *on(const char *node, const char *path)
{
	return itest_fmt("%s%s",
			 itest_env(node[0] == 'A' ? "HIRELINK_TEST_NODE_A"
						  : "HIRELINK_TEST_NODE_B"),
			 path);
}

static struct itest_resp get_on(struct itest_client *c, const char *node,
				const char *path, bool json)
{
	char *url = on(node, path);
	struct itest_resp r = itest_get(c, url, json);
	free(url);
	return r;
}

/* Polls fn(arg) every 100 ms for up to ms; whether it came true. */
static bool eventually(bool (*fn)(void *), void *arg, int ms)
{
	for (int waited = 0;; waited += 100) {
		if (fn(arg))
			return true;
		if (waited >= ms)
			return false;
		usleep(100 * 1000);
	}
}

static int suite_init(void)
{
	li = itest_li_app();
	if (!li)
		return -1;
	rec_email = itest_sandbox_sql_str(
	    "SELECT email FROM members WHERE urn_id = '%s'", li->recruiter.id);
	if (!*rec_email)
		return -1;
	if (itest_person_add(&admin, "ada", TAG, "admin", "none") < 0 ||
	    !itest_as(&admin))
		return -1;
	memset(&rec, 0, sizeof(rec));
	rec.email = itest_strdup(rec_email);
	rec.name = itest_strdup(li->recruiter.name);
	rec.password = itest_fmt("correct horse rita %ld", (long)getpid());
	if (itest_useradd(rec.email, rec.name, "recruiter", "recruiter",
			  rec.password) != 0 ||
	    !itest_as(&rec))
		return -1;
	return 0;
}

static int suite_clean(void)
{
	itest_person_free(&admin);
	itest_person_free(&rec);
	free(rec_email);
	return 0;
}

/* ------------------------------------------------------------ sessions */

static bool signed_out_on_b(void *arg)
{
	struct itest_resp r = get_on(arg, "B", "/jobs", false);
	bool out = r.status == 303 && strstr(itest_location(&r), "/login");
	itest_resp_free(&r);
	return out;
}

static void a_session_made_on_one_node_works_on_the_other(void)
{
	/* signed in through the site: one node or the other made it */
	struct itest_client *c = itest_signed_in(&admin);
	for (const char *node = "AB"; *node; node++) {
		char n[2] = {*node, 0};
		struct itest_resp r = get_on(c, n, "/jobs", false);
		CHECK_STATUS(r, 200, n[0] == 'A' ? "/jobs on node a"
						  : "/jobs on node b");
		CHECK_HAS(r, admin.name, "the page knows who is signed in");
		itest_resp_free(&r);
	}
	/* signed out through node a: node b lets the session go within
	 * session_cache_seconds (1 s here) */
	struct itest_resp page = get_on(c, "A", "/jobs", false);
	char *csrf = itest_csrf(&page);
	itest_resp_free(&page);
	char *url = on("A", "/logout");
	struct itest_resp r = itest_post(c, url, false, csrf, NULL);
	CHECK_STATUS(r, 303, "sign out on node a");
	itest_resp_free(&r);
	CHECK(eventually(signed_out_on_b, c, 3000),
	      "node b ends the session node a signed out");
	free(url);
	free(csrf);
	itest_client_free(c);
}

/* ------------------------------------------------------------ kept pages */

/* The node's count of kept pages served, read as an admin (an admin's
 * session may read /metrics; the installed copy sets no metrics_token). */
static long kept_served(const char *node)
{
	struct itest_resp r = get_on(admin.c, node, "/metrics", false);
	long n = itest_metric(r.body,
			      "hirelink_fragment_cache_total{result=\"hit\"}");
	itest_resp_free(&r);
	return n;
}

/* The jobs list on node shows title and not gone; its page twice, so
 * that the second view may come from the node's memory. */
static void jobs_list_on(const char *node, const char *title,
			 const char *gone, const char *what)
{
	for (int i = 0; i < 2; i++) {
		struct itest_resp r = get_on(admin.c, node, "/jobs?status=all", false);
		CHECK_STATUS(r, 200, what);
		CHECK_HAS(r, title, what);
		if (gone)
			CHECK_LACKS(r, gone, what);
		itest_resp_free(&r);
	}
}

static void a_kept_page_is_invalidated_on_both_nodes(void)
{
	char *t1 = itest_fmt("Kept title one %ld", (long)getpid());
	char *t2 = itest_fmt("Kept title two %ld", (long)getpid());
	char *t3 = itest_fmt("Kept title three %ld", (long)getpid());
	char *url = on("A", "/jobs");
	struct itest_resp r = itest_post(admin.c, url, false, admin.csrf,
					 "title", t1, "location",
					 "Berlin, Germany", "description",
					 "Kept", NULL);
	CHECK_STATUS(r, 303, "a job made through node a");
	long long job = 0;
	if (sscanf(itest_location(&r), "/jobs/%lld", &job) != 1)
		job = 0;
	itest_resp_free(&r);
	free(url);

	long hits_b = kept_served("B");
	jobs_list_on("A", t1, NULL, "node a lists the job");
	jobs_list_on("B", t1, NULL, "node b lists the job");
	CHECK(kept_served("B") > hits_b,
	      "node b served the list from memory (hits %ld, then %ld)",
	      hits_b, kept_served("B"));

	/* renamed through node a: node b's kept rows are stale at once */
	char *path = itest_fmt("/jobs/%lld", job);
	url = on("A", path);
	r = itest_post(admin.c, url, false, admin.csrf, "title", t2,
		       "location", "Berlin, Germany", "description", "Kept",
		       NULL);
	CHECK_STATUS(r, 303, "renamed through node a");
	itest_resp_free(&r);
	free(url);
	jobs_list_on("B", t2, t1, "node b shows node a's change at once");

	/* and the other way round */
	url = on("B", path);
	r = itest_post(admin.c, url, false, admin.csrf, "title", t3,
		       "location", "Berlin, Germany", "description", "Kept",
		       NULL);
	CHECK_STATUS(r, 303, "renamed through node b");
	itest_resp_free(&r);
	free(url);
	jobs_list_on("A", t3, t2, "node a shows node b's change at once");
	free(path);
	free(t1);
	free(t2);
	free(t3);
}

/* ------------------------------------------------------------ exports */

struct job {
	char *title;
	char *external_id;
	long long id;
};

static bool export_enabled(void *arg)
{
	(void)arg;
	return itest_sandbox_sql_int(
		   "SELECT COUNT(*) FROM ats_integrations i JOIN"
		   " ats_integration_configs k ON k.client_id = i.client_id"
		   " AND k.organization_id = i.organization_id AND"
		   " k.integration_type = i.integration_type AND k.config_key"
		   " = 'CALLBACK_URL' WHERE i.client_id = '%s' AND"
		   " i.integration_type = 'ONE_CLICK_EXPORT' AND i.enabled = 1"
		   " AND k.config_value LIKE 'http%%/linkedin/notifications'",
		   li->apps[0].client_id) == 1;
}

static bool job_synced(void *arg)
{
	struct job *j = arg;
	free(j->external_id);
	j->external_id = itest_sandbox_sql_str(
	    "SELECT external_job_posting_id FROM job_postings WHERE client_id"
	    " = '%s' AND title = '%s' AND state = 'LISTED'",
	    li->apps[0].client_id, j->title);
	return *j->external_id != '\0';
}

/* Applications of the member's candidate on the job (by SQL: what is
 * stored, whichever node and worker wrote it). */
static long long applications_of(struct job *j, const char *member)
{
	return itest_sql_int(
	    "SELECT COUNT(*) FROM applications a JOIN candidates c ON c.id ="
	    " a.candidate_id WHERE a.job_id = %lld AND c.linkedin_member_id ="
	    " '%s'",
	    j->id, member);
}

struct landing {
	struct job *j;
	const char *member;
};

static bool landed(void *arg)
{
	struct landing *l = arg;
	return applications_of(l->j, l->member) >= 1;
}

static bool delivered_again(void *arg)
{
	const char *request_id = arg;
	return itest_sandbox_sql_int(
		   "SELECT COUNT(*) FROM deliveries WHERE request_id = '%s'"
		   " AND state = 'delivered' AND attempts >= 1 AND"
		   " last_status = 200",
		   request_id) == 1;
}

static void an_export_is_applied_once_by_two_nodes_and_two_workers(void)
{
	struct job j = {.title = itest_fmt("Two nodes engineer %ld",
					   (long)getpid())};
	struct itest_resp r = itest_li_enable(admin.c, NULL);
	CHECK_STATUS(r, 303, "LinkedIn set up");
	itest_resp_free(&r);
	r = itest_post(admin.c, "/admin/linkedin/integrations", false,
		       admin.csrf, "action", "enable", NULL);
	CHECK_STATUS(r, 303, "Enable at LinkedIn");
	itest_resp_free(&r);
	if (!eventually(export_enabled, NULL, 15000)) {
		CHECK(false, "export enabled at LinkedIn, with the callback URL");
		goto out;
	}
	r = itest_post(admin.c, "/jobs", false, admin.csrf, "title", j.title,
		       "location", "Berlin, Germany", "description",
		       "Runs on two nodes", NULL);
	CHECK_STATUS(r, 303, "a job");
	if (sscanf(itest_location(&r), "/jobs/%lld", &j.id) != 1)
		j.id = 0;
	itest_resp_free(&r);
	char *act = itest_fmt("/jobs/%lld/activate", j.id);
	r = itest_post(admin.c, act, false, admin.csrf, NULL);
	CHECK(r.status == 303, "activated: %ld", r.status);
	itest_resp_free(&r);
	free(act);
	if (!eventually(job_synced, &j, 15000)) {
		CHECK(false, "the job is LISTED at LinkedIn");
		goto out;
	}
	CHECK(itest_sandbox_sql_int("SELECT COUNT(*) FROM job_postings WHERE"
				    " external_job_posting_id = '%s'",
				    j.external_id) == 1,
	      "the job is at LinkedIn once");

	char *member = itest_sandbox_sql_str(
	    "SELECT urn_id FROM members WHERE id = %d", 240);
	char *request_id = itest_li_export(li->recruiter.id, member,
					   j.external_id,
					   li->apps[0].client_id);
	struct landing l = {&j, member};
	CHECK(eventually(landed, &l, 15000),
	      "the export landed on the job (request %s)", request_id);

	/* LinkedIn delivers it again, twice: nginx hands each to a node
	 * (round robin: both), either worker may claim */
	for (int i = 0; i < 2; i++) {
		char *body = itest_fmt("{\"requestId\":\"%s\"}", request_id);
		r = itest_sandbox_post("/sandbox/notifications/redeliver", body);
		CHECK_STATUS(r, 200, "the sandbox delivers it again");
		itest_resp_free(&r);
		free(body);
		CHECK(eventually(delivered_again, request_id, 10000),
		      "delivered again (%d)", i + 1);
	}
	sleep(1); /* a worker polls every 250 ms: time to apply twice */
	CHECK(applications_of(&j, member) == 1,
	      "one application, not %lld", applications_of(&j, member));
	CHECK(itest_sql_int("SELECT COUNT(*) FROM inbound_events WHERE"
			    " request_id = '%s'",
			    request_id) == 1,
	      "the notification is stored once");
	char *status = itest_sql_str(
	    "SELECT status FROM inbound_events WHERE request_id = '%s'",
	    request_id);
	CHECK(!strcmp(status, "applied"), "and applied: %s", status);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind ="
			    " 'inbound_event'") == 0,
	      "nothing of it left in the outbox");

	/* both nodes show it, once */
	char *path = itest_fmt("/jobs/%lld?stage=prospect", j.id);
	for (const char *node = "AB"; *node; node++) {
		char n[2] = {*node, 0};
		long st;
		char *url = on(n, path);
		json_t *page = itest_get_json(rec.c, url, &st);
		CHECK(st == 200 && json_array_size(json_object_get(
				       page, "applications")) == 1,
		      "node %s: one application on the Prospect tab (%ld)", n,
		      st);
		json_decref(page);
		free(url);
	}
	free(path);
	free(status);
	free(request_id);
	free(member);
out:
	free(j.title);
	free(j.external_id);
}

static const struct test tests[] = {
    TEST(a_session_made_on_one_node_works_on_the_other),
    TEST(a_kept_page_is_invalidated_on_both_nodes),
    TEST(an_export_is_applied_once_by_two_nodes_and_two_workers),
};

static const struct suite suites[] = {
    SUITE("two nodes of the installed copy", suite_init, suite_clean, tests),
};

int main(void)
{
	return itest_run(suites, ARRAY_LEN(suites));
}
