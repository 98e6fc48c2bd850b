/*
 * test_sandbox_sync_browser.c - the Recruiter profile's In ATS panel in
 * headless Chromium, on a desktop (1366 px) and a phone (375 px): the
 * three parts the seed names are there and visible, a long job title, a
 * long feedback and a note with a long unbroken link make nothing scroll
 * sideways, and the page is shot for a look (HIRELINK_TEST_LOGS).  What the
 * panel holds is synced over the sandbox's API as an ATS would
 * (test_sandbox_sync.c checks its content to the letter).
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"
#include "browse.h"

static const struct itest_li_app *li;
static char *token;	/* application 1's */
static char *member;	/* the member whose profile shows the panel */
static char *recruiter; /* a Recruiter seat holder's member id */
static char *tag;
static long long org;

/* A sync call as application 1; the status. */
static long api(const char *method, const char *path, const char *body)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s%s", itest_sandbox_url(), path);
	char *hdr = itest_fmt("Authorization: Bearer %s", token);
	struct itest_resp r = itest_request(c, method, url, true,
					    body ? "application/json" : NULL,
					    body, body ? strlen(body) : 0, hdr);
	long st = r.status;
	if (st != 200)
		itest_dump(&r);
	itest_resp_free(&r);
	free(hdr), free(url);
	itest_client_free(c);
	return st;
}

/* The candidate, linked to the member, with an application whose stages,
 * feedback and notes fill the panel. */
static int sync_data(void)
{
	const char *o = li->organization;
	char *cand = itest_fmt("%s-BC1", tag), *app = itest_fmt("%s-BA1", tag);
	char *ck = itest_fmt("atsCandidateId=%s&dataProvider=ATS&"
			     "integrationContext=%s",
			     cand, o);
	char *cq = itest_fmt("ids[0].atsCandidateId=%s&ids[0].dataProvider=ATS"
			     "&ids[0].integrationContext=%s",
			     cand, o);
	char *ak = itest_fmt("atsJobApplicationId=%s&dataProvider=ATS&"
			     "integrationContext=%s",
			     app, o);
	char *aq = itest_fmt("ids[0].atsJobApplicationId=%s&ids[0]."
			     "dataProvider=ATS&ids[0].integrationContext=%s",
			     app, o);
	char *p, *b;
	long st = 0;

	p = itest_fmt("/v2/atsCandidates?%s", cq);
	b = itest_fmt(
	    "{\"entities\": {\"%s\": {\"firstName\": \"Noor\","
	    " \"lastName\": \"Haddad\", \"emailAddresses\":"
	    " [\"%s@nowhere.example\"], \"phoneNumbers\": [],"
	    " \"addresses\": [], \"externalProfileUrl\":"
	    " \"http://ats.example/c/1\", \"atsCreatedAt\": 1700000000000,"
	    " \"atsLastModifiedAt\": 1700000000000}}}",
	    ck, cand);
	st += api("PUT", p, b) != 200;
	free(b);
	b = itest_fmt("{\"entities\": {\"%s\": {\"patch\": {\"$set\":"
		      " {\"manualMatchedMember\": \"urn:li:person:%s\"}}}}}",
		      ck, member);
	st += api("POST", p, b) != 200;
	free(b), free(p);
	p = itest_fmt("/v2/atsApplications?%s", aq);
	b = itest_fmt(
	    "{\"entities\": {\"%s\": {\"atsCandidateId\": \"%s\","
	    " \"atsCreatedAt\": 1700000000000, \"atsLastModifiedAt\":"
	    " 1700000000000, \"atsJobPostingId\": \"%s-J-00042\","
	    " \"atsJobPostingName\": \"Principal Distributed Systems Engineer,"
	    " Payments Infrastructure and Reliability\", \"source\":"
	    " \"LinkedIn\"}}}",
	    ak, cand, tag);
	st += api("PUT", p, b) != 200;
	free(b), free(p);
	p = itest_fmt("/v2/atsApplications/%s/stages?ids=S1&ids=S2&ids=S3&"
		      "ids=S4",
		      ak);
	st += api("PUT", p,
		  "{\"entities\": {\"S1\": {\"atsCreatedAt\": 1700000000000,"
		  " \"stage\": \"Prospect\"}, \"S2\": {\"atsCreatedAt\":"
		  " 1700100000000, \"stage\": \"Phone Screen\"}, \"S3\":"
		  " {\"atsCreatedAt\": 1700200000000, \"stage\": \"Onsite"
		  " Interview\"}, \"S4\": {\"atsCreatedAt\": 1700300000000,"
		  " \"stage\": \"Offer\"}}}") != 200;
	free(p);
	p = itest_fmt("/v2/atsApplications/%s/interviewFeedback?ids=F1", ak);
	st += api("PUT", p,
		  "{\"entities\": {\"F1\": {\"atsCreatedAt\": 1700200000000,"
		  " \"feedback\": \"Walked through the settlement pipeline's"
		  " failure modes in depth; proposed idempotency keys before"
		  " being asked and sketched the reconciliation job.\","
		  " \"evaluations\": [{\"attribute\": \"System design\","
		  " \"result\": \"5/5\"}, {\"attribute\": \"Communication\","
		  " \"result\": \"4/5\"}], \"interviewer\": {\"firstName\":"
		  " \"Rita\", \"lastName\": \"Book\"}}}}") != 200;
	free(p);
	p = itest_fmt("/v2/atsCandidates/%s/notes?ids=N1", ck);
	st += api("PUT", p,
		  "{\"entities\": {\"N1\": {\"atsCreatedAt\": 1700250000000,"
		  " \"note\": \"Portfolio: https://example.org/a-very-long-"
		  "unbroken-path-that-would-push-a-phone-screen-sideways-if-"
		  "nothing-wrapped-it/index.html\", \"author\": {\"firstName\":"
		  " \"Sam\", \"lastName\": \"Lee\"}}}}") != 200;
	free(p);
	free(cand), free(app), free(ck), free(cq), free(ak), free(aq);
	return st ? -1 : 0;
}

static void signed_in_profile(void)
{
	br_linkedin_as(recruiter);
	br_go(itest_fmt("%s/talent/profile/%s?ats=%s", itest_sandbox_url(),
			member, li->apps[0].client_id));
}

/* The panel's three parts, shown (not hidden, of some size). */
static const char parts[] =
    "var s = document.getElementById('in-ats'); if (!s) return 'none';"
    "var h = Array.from(s.querySelectorAll('h3')).filter(function (e) {"
    " var r = e.getBoundingClientRect(); return r.width > 0 &&"
    " r.height > 0; }).map(function (e) { return e.textContent; });"
    "return h.join('|');";

static void in_ats_panel_on_a_desktop(void)
{
	CU_ASSERT_EQUAL_FATAL(wd_viewport(br_wd, 1366, 900), 0);
	signed_in_profile();
	char *got = br_eval_string(parts);
	CHECK(got && !strcmp(got, "Jobs & Statuses|Interview Feedback|Notes"),
	      "the three parts: %s", got ? got : "");
	free(got);
	got = br_eval_string("return document.querySelector('#in-ats "
			     ".job-status').textContent;");
	CHECK(got && !strcmp(got, "Offer"), "the latest status: %s",
	      got ? got : "");
	free(got);
	CHECK(br_eval_true(
		  itest_strdup("return document.querySelectorAll('#in-ats "
			       ".progression li').length === 4;")),
	      "the progression, four stages");
	CHECK(br_overflow_px() == 0, "nothing sideways at 1366 px");
	json_decref(wd_eval(br_wd, "document.getElementById('in-ats')"
				   ".scrollIntoView(); return 1;"));
	br_shot("sandbox-in-ats-1366");
	wd_viewport(br_wd, 0, 0);
}

static void in_ats_panel_on_a_phone(void)
{
	CU_ASSERT_EQUAL_FATAL(wd_viewport(br_wd, 375, 800), 0);
	signed_in_profile();
	char *got = br_eval_string(parts);
	CHECK(got && !strcmp(got, "Jobs & Statuses|Interview Feedback|Notes"),
	      "the three parts at 375 px: %s", got ? got : "");
	free(got);
	long px = br_overflow_px();
	CHECK(px == 0, "nothing sideways at 375 px: %ld px", px);
	CHECK(br_eval_true(
		  itest_strdup("var r = document.getElementById('in-ats')"
			       ".getBoundingClientRect(); return r.right <= "
			       "document.documentElement.clientWidth + 1;")),
	      "the panel fits the screen");
	json_decref(wd_eval(br_wd, "document.getElementById('in-ats')"
				   ".scrollIntoView(); return 1;"));
	br_shot("sandbox-in-ats-375");
	wd_viewport(br_wd, 0, 0);
}

static int suite_init(void)
{
	li = itest_li_app();
	if (!li)
		return 1;
	org = atoll(strrchr(li->organization, ':') + 1);
	tag = itest_unique("bs");
	token = itest_li_app_token(0);
	recruiter = itest_strdup(li->recruiter.id);
	member =
	    itest_sandbox_sql_str("SELECT urn_id FROM members WHERE id = %d",
				  2900 + (int)(getpid() % 90));
	if (!*member || !*token)
		return 1;
	ITEST_SANDBOX_SQL(
	    "application 1 takes exports (the job box's ATS)",
	    itest_fmt("DELETE FROM ats_integration_configs WHERE client_id ="
		      " '%s'; DELETE FROM ats_integrations WHERE client_id ="
		      " '%s'; INSERT INTO ats_integrations (client_id,"
		      " organization_id, integration_type, integration_name,"
		      " enabled) VALUES ('%s', %lld, 'ONE_CLICK_EXPORT',"
		      " 'hirelink (browser)', 1); INSERT INTO"
		      " ats_integration_configs (client_id, organization_id,"
		      " integration_type, config_key, config_value) VALUES"
		      " ('%s', %lld, 'ONE_CLICK_EXPORT', 'CALLBACK_URL',"
		      " 'http://127.0.0.1:9/none'), ('%s', %lld,"
		      " 'IN_ATS_INDICATOR', 'APPLICATION_VIEWERS',"
		      " 'ALL_PRODUCT_USERS'); INSERT INTO ats_integrations"
		      " (client_id, organization_id, integration_type,"
		      " integration_name, enabled) VALUES ('%s', %lld,"
		      " 'IN_ATS_INDICATOR', 'hirelink (browser)', 1);",
		      li->apps[0].client_id, li->apps[0].client_id,
		      li->apps[0].client_id, org, li->apps[0].client_id, org,
		      li->apps[0].client_id, org, li->apps[0].client_id, org));
	if (sync_data() < 0)
		return 1;
	br_wd = wd_start();
	return br_wd ? 0 : 1;
}

static int suite_clean(void)
{
	if (li)
		ITEST_SANDBOX_SQL(
		    "application 1's integration goes",
		    itest_fmt("DELETE FROM ats_integration_configs WHERE"
			      " client_id = '%s'; DELETE FROM ats_integrations"
			      " WHERE client_id = '%s';",
			      li->apps[0].client_id, li->apps[0].client_id));
	wd_stop(br_wd);
	free(token), free(member), free(recruiter), free(tag);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(in_ats_panel_on_a_desktop),
	    TEST(in_ats_panel_on_a_phone),
	};
	static const struct suite suites[] = {
	    SUITE("sandbox_sync_browser", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
