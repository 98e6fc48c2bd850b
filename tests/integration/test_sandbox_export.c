/*
 * test_sandbox_export.c - LinkedIn Recruiter's one-click export as the
 * sandbox plays it (src/sandbox/README.md, "One-click export"): a member
 * signs in to the sandbox's pages, opens a profile in Recruiter, finds a
 * job of the chosen ATS in the job box, changes ATS, exports; the
 * customer's callback then gets a signed push notification, retried while
 * it fails, and the customer reads the export back with its own
 * application token.  Only Recruiter seats export, 300 a month each.
 *
 * The callback is a listener in this program (itest_listen.c), so what the
 * sandbox sends is seen byte for byte and the callback can be made to
 * fail.  The ATSs' integrations and synced jobs are written straight into
 * the sandbox's tables (the contract's schema: sql/sandbox/003), as
 * LinkedIn would hold them after a customer enabled export and synced
 * jobs; hirelink's own side of the story is test_export.c.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "core/crypto.h"
#include "../suite.h"
#include "itest.h"

/* ------------------------------------------------------------ fixture */

static const struct itest_li_app *li;
static struct itest_listener *callback;
static long long org;	     /* the organization's numeric id */
static char *tag;	     /* this run's job id prefix, "t<pid>" */
static char *ats1, *ats2;    /* the two ATSs' integration names */
static char *recruiters[20]; /* member ids of the Recruiter seats */
static char *managers[10];   /* and of the Hiring Manager seats */
static char *candidates[8];  /* members without a seat */

static char *sandbox(const char *path)
{
	return itest_fmt("%s%s", itest_sandbox_url(), path);
}

/* The seat holders' member ids, from /sandbox/credentials. */
static int read_seats(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = sandbox("/sandbox/credentials");
	long status;
	json_t *j = itest_get_json(c, url, &status);
	json_t *rec = json_object_get(j, "recruiters");
	json_t *hm = json_object_get(j, "hiringManagers");
	int rc = json_array_size(rec) == 20 && json_array_size(hm) == 10 ? 0
									  : -1;
	for (size_t i = 0; rc == 0 && i < 20; i++)
		recruiters[i] = itest_strdup(
		    itest_jstr(json_array_get(rec, i), "id"));
	for (size_t i = 0; rc == 0 && i < 10; i++)
		managers[i] =
		    itest_strdup(itest_jstr(json_array_get(hm, i), "id"));
	json_decref(j);
	free(url);
	itest_client_free(c);
	return rc;
}

/* The two ATSs (the seeded applications) take exports, each at a path of
 * its own on the listener. */
static void enable_export(void)
{
	const char *url = itest_listener_url(callback);
	ITEST_SANDBOX_SQL(
	    "the ATSs enable ONE_CLICK_EXPORT",
	    itest_fmt("DELETE FROM ats_integration_configs WHERE client_id"
		      " IN ('%s', '%s');"
		      " DELETE FROM ats_integrations WHERE client_id IN"
		      " ('%s', '%s');"
		      " INSERT INTO ats_integrations (client_id,"
		      " organization_id, integration_type, integration_name,"
		      " enabled) VALUES ('%s', %lld, 'ONE_CLICK_EXPORT', '%s',"
		      " 1), ('%s', %lld, 'ONE_CLICK_EXPORT', '%s', 1);"
		      " INSERT INTO ats_integration_configs (client_id,"
		      " organization_id, integration_type, config_key,"
		      " config_value) VALUES ('%s', %lld, 'ONE_CLICK_EXPORT',"
		      " 'CALLBACK_URL', '%s/one'), ('%s', %lld,"
		      " 'ONE_CLICK_EXPORT', 'CALLBACK_URL', '%s/two');",
		      li->apps[0].client_id, li->apps[1].client_id,
		      li->apps[0].client_id, li->apps[1].client_id,
		      li->apps[0].client_id, org, ats1, li->apps[1].client_id,
		      org, ats2, li->apps[0].client_id, org, url,
		      li->apps[1].client_id, org, url));
}

/* A job posting of application app (0 or 1): job id "<tag>-<id>". */
static void job(int app, const char *id, const char *title,
		const char *state)
{
	ITEST_SANDBOX_SQL(
	    "a synced job",
	    itest_fmt("INSERT INTO job_postings (client_id, organization_id,"
		      " external_job_posting_id, title, description, location,"
		      " availability, state, company_apply_url, listed_at)"
		      " VALUES ('%s', %lld, '%s-%s', '%s', 'About it',"
		      " 'Berlin, Germany', 'PUBLIC', '%s', 'http://x/', 0)",
		      li->apps[app].client_id, org, tag, id, title, state));
}

/* An ACL entry: only the assignees see job id. */
static void acl(int app, const char *id, const char *member)
{
	ITEST_SANDBOX_SQL(
	    "a job's ACL",
	    itest_fmt("INSERT INTO job_posting_acl (client_id,"
		      " organization_id, external_job_posting_id, assignee)"
		      " VALUES ('%s', %lld, '%s-%s', 'urn:li:person:%s')",
		      li->apps[app].client_id, org, tag, id, member));
}

static int suite_init(void)
{
	li = itest_li_app();
	if (!li || read_seats() < 0)
		return -1;
	org = atoll(strrchr(li->organization, ':') + 1);
	tag = itest_unique("t");
	ats1 = itest_unique("Export one ");
	ats2 = itest_unique("Export two ");
	callback = itest_listener_start(NULL, 0);
	if (!callback)
		return -1;
	for (int i = 0; i < 8; i++) {
		candidates[i] = itest_sandbox_sql_str(
		    "SELECT urn_id FROM members WHERE id = %d", 100 + i);
		if (!*candidates[i])
			return -1;
	}
	itest_sandbox_sql("DELETE FROM sandbox_meta WHERE k ="
			  " 'deliveries_held'");
	enable_export();
	job(0, "J-00001", "Backend Engineer", "LISTED");
	job(0, "J-00002", "Closed Role", "CLOSED");
	job(0, "J-00003", "Secret Role", "LISTED");
	acl(0, "J-00003", recruiters[5]);
	job(0, "J-00004", "Assigned Role", "LISTED");
	acl(0, "J-00004", recruiters[5]);
	acl(0, "J-00004", recruiters[0]);
	job(0, "J-00005", "Frontend Engineer", "LISTED");
	job(1, "J-00001", "Staff Nurse", "LISTED");
	return 0;
}

static int suite_clean(void)
{
	/* what this run queued for its listener is given up */
	if (callback)
		ITEST_SANDBOX_SQL(
		    "deliveries to this run's listener end",
		    itest_fmt("UPDATE deliveries SET state = 'failed',"
			      " generation = generation + 1 WHERE state ="
			      " 'pending' AND callback_url LIKE '%s/%%'",
			      itest_listener_url(callback)));
	itest_sandbox_sql("DELETE FROM sandbox_meta WHERE k ="
			  " 'deliveries_held'");
	if (li)
		ITEST_SANDBOX_SQL(
		    "the ATSs' integrations go",
		    itest_fmt("DELETE FROM ats_integration_configs WHERE"
			      " client_id IN ('%s', '%s');"
			      " DELETE FROM ats_integrations WHERE client_id"
			      " IN ('%s', '%s');",
			      li->apps[0].client_id, li->apps[1].client_id,
			      li->apps[0].client_id, li->apps[1].client_id));
	itest_listener_stop(callback);
	for (size_t i = 0; i < 20; i++)
		free(recruiters[i]);
	for (size_t i = 0; i < 10; i++)
		free(managers[i]);
	for (size_t i = 0; i < 8; i++)
		free(candidates[i]);
	free(tag);
	free(ats1);
	free(ats2);
	return 0;
}

/* ------------------------------------------------------------ helpers */

/* "<tag>-<id>", new. */
static char *job_id(const char *id)
{
	return itest_fmt("%s-%s", tag, id);
}

/* A client signed in to the sandbox as member; new. */
static struct itest_client *signed_in(const char *member)
{
	struct itest_client *c = itest_client_new(NULL);
	long st = itest_li_signin(c, member, NULL);
	CHECK(st == 303, "sign in to the sandbox as %s: %ld", member, st);
	return c;
}

/* The Recruiter profile page of member as c sees it (query: "ats=...&q=..."
 * or NULL). */
static struct itest_resp profile(struct itest_client *c, const char *member,
				 const char *query)
{
	char *url = itest_fmt("%s/talent/profile/%s%s%s", itest_sandbox_url(),
			      member, query ? "?" : "", query ? query : "");
	struct itest_resp r = itest_get(c, url, false);
	free(url);
	return r;
}

/* The Export button: POST the page's export form with job and ats. */
static struct itest_resp press_export(struct itest_client *c,
				      const char *member, const char *ats,
				      const char *job)
{
	struct itest_resp page = profile(c, member, NULL);
	char *csrf = itest_field(&page, "csrf");
	char *url = itest_fmt("%s/talent/profile/%s/export",
			      itest_sandbox_url(), member);
	struct itest_resp r = itest_post(c, url, false, csrf, "ats", ats,
					 "job", job, "q", "", NULL);
	free(url);
	free(csrf);
	itest_resp_free(&page);
	return r;
}

/* The sandbox's record of notification request_id: new (json_decref). */
static json_t *notification(const char *request_id)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url =
	    itest_fmt("%s/sandbox/notifications?requestId=%s",
		      itest_sandbox_url(), request_id);
	long status;
	json_t *j = itest_get_json(c, url, &status);
	CHECK(status == 200, "GET /sandbox/notifications: %ld", status);
	free(url);
	itest_client_free(c);
	return j;
}

/* Waits up to ms for notification request_id to reach state; its record
 * then (new), or the last one seen. */
static json_t *wait_state(const char *request_id, const char *state, int ms)
{
	json_t *j = NULL;
	for (int waited = 0;; waited += 100) {
		json_decref(j);
		j = notification(request_id);
		if (!strcmp(itest_jstr(j, "state"), state) || waited >= ms)
			break;
		usleep(100 * 1000);
	}
	CHECK(!strcmp(itest_jstr(j, "state"), state),
	      "notification %s: state %s, want %s", request_id,
	      itest_jstr(j, "state"), state);
	return j;
}

/* Waits until nothing is on its way to the listener, so that a script
 * set next answers this test's notifications, not an earlier test's. */
static void quiet(void)
{
	long long pending = -1;
	for (int i = 0; i < 100 && pending != 0; i++) {
		if (i)
			usleep(100 * 1000);
		pending = itest_sandbox_sql_int(
		    "SELECT COUNT(*) FROM deliveries WHERE state = 'pending'"
		    " AND callback_url LIKE '%s/%%'",
		    itest_listener_url(callback));
	}
	CHECK(pending == 0, "earlier notifications delivered: %lld pending",
	      pending);
}

/* The signature the sandbox must send for body with application app's
 * secret; new. */
static char *signature(const char *secret, const char *body, size_t len)
{
	unsigned char mac[SHA256_LEN];
	char *msg = malloc(len + 12), *hex = malloc(2 * SHA256_LEN + 1);
	if (!msg || !hex)
		abort();
	memcpy(msg, "hmacsha256=", 11);
	memcpy(msg + 11, body, len);
	crypto_hmac_sha256(secret, strlen(secret), msg, len + 11, mac);
	hex_encode(mac, sizeof(mac), hex);
	free(msg);
	return hex;
}

/* Requests the listener has heard for request_id (in its body). */
static size_t heard_for(const char *request_id)
{
	size_t n = 0;
	struct itest_heard h;
	for (size_t i = 0; itest_listener_heard(callback, i, &h); i++)
		n += strstr(h.body, request_id) != NULL;
	return n;
}

/* The last request the listener heard for request_id into *h. */
static bool last_heard(const char *request_id, struct itest_heard *h)
{
	bool found = false;
	struct itest_heard x;
	for (size_t i = 0; itest_listener_heard(callback, i, &x); i++)
		if (strstr(x.body, request_id)) {
			*h = x;
			found = true;
		}
	return found;
}

/* GET {api}<path>?<query> with token, as an ATS reads LinkedIn. */
static struct itest_resp api_get(const char *token, const char *path,
				 const char *query)
{
	char *p = itest_fmt("%s?%s", path, query);
	struct itest_resp r = itest_li_api("GET", p, token, NULL);
	free(p);
	return r;
}

/* GET /v2/exportedCandidates?<query> with token. */
static struct itest_resp exported_candidate(const char *token,
					    const char *query)
{
	return api_get(token, "/v2/exportedCandidates", query);
}

/* ------------------------------------------------------------ sign-in */

static void signed_out_visitor_is_sent_to_sign_in_and_back(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = profile(c, candidates[0], "q=engineer");
	CHECK_STATUS(r, 303, "Recruiter without signing in");
	char *want = itest_fmt("/login?next=%%2Ftalent%%2Fprofile%%2F%s"
			       "%%3Fq%%3Dengineer",
			       candidates[0]);
	CHECK(!strcmp(itest_location(&r), want), "to %s, want %s",
	      itest_location(&r), want);
	free(want);
	itest_resp_free(&r);

	char *next = itest_fmt("/talent/profile/%s?q=engineer", candidates[0]);
	CHECK(itest_li_signin(c, recruiters[0], next) == 303,
	      "signed in from the sign-in page");
	free(next);
	r = profile(c, candidates[0], "q=engineer");
	CHECK_STATUS(r, 200, "back on the profile, signed in");
	CHECK_HAS(r, "class=\"viewer\"", "the viewer is named");
	itest_resp_free(&r);
	itest_client_free(c);
}

static void member_signs_in_with_a_cookie_of_the_sandbox_and_signs_out(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = sandbox("/login?next=/");
	struct itest_resp page = itest_get(c, url, false);
	CHECK_STATUS(page, 200, "sign-in page");
	CHECK_HAS(page, "LinkedIn sandbox", "labelled as the sandbox");
	for (int i = 0; i < 20; i += 19) {
		char *opt = itest_fmt("<option value=\"%s\">", recruiters[i]);
		CHECK_HAS(page, opt, "a Recruiter seat holder is offered");
		free(opt);
	}
	char *opt = itest_fmt("<option value=\"%s\">", managers[9]);
	CHECK_HAS(page, opt, "a Hiring Manager seat holder is offered");
	free(opt);
	char *signin = itest_field(&page, "signin");
	itest_resp_free(&page);

	char *to = sandbox("/login");
	struct itest_resp r =
	    itest_post(c, to, false, NULL, "member", recruiters[1], "next",
		       "/talent/profile/x", "signin", signin, NULL);
	CHECK_STATUS(r, 400, "a next the sign-in form was not made for");
	itest_resp_free(&r);
	r = itest_post(c, to, false, NULL, "member", recruiters[1], "next",
		       "/", "signin", signin, NULL);
	CHECK_STATUS(r, 303, "signed in");
	CHECK(!strcmp(itest_location(&r), "/"), "back to next: %s",
	      itest_location(&r));
	const char *set = itest_header(&r, "Set-Cookie");
	CHECK(set && !strncmp(set, "li_at=", 6) && strstr(set, "HttpOnly") &&
		  strstr(set, "SameSite=Lax"),
	      "an HttpOnly SameSite cookie of the sandbox: %s",
	      set ? set : "(none)");
	itest_resp_free(&r);

	struct itest_resp p = profile(c, candidates[1], NULL);
	CHECK_STATUS(p, 200, "Recruiter, signed in");
	char *who = itest_between(p.body, "class=\"viewer\">", "</strong>");
	CHECK(who && *who, "the page names the signed-in member: %s",
	      who ? who : "(none)");
	free(who);
	char *csrf = itest_field(&p, "csrf");
	itest_resp_free(&p);

	char *out = sandbox("/logout");
	r = itest_post(c, out, false, "not-the-token", NULL);
	CHECK_STATUS(r, 403, "sign out without the member's token");
	itest_resp_free(&r);
	r = itest_post(c, out, false, csrf, NULL);
	CHECK_STATUS(r, 303, "sign out");
	CHECK(!strcmp(itest_location(&r), "/login"), "to the sign-in page");
	itest_resp_free(&r);
	p = profile(c, candidates[1], NULL);
	CHECK_STATUS(p, 303, "signed out: Recruiter asks to sign in again");
	itest_resp_free(&p);

	free(out);
	free(csrf);
	free(to);
	free(signin);
	free(url);
	itest_client_free(c);
}

static void forged_sign_in_and_tampered_cookie_are_refused(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *to = sandbox("/login");
	struct itest_resp r =
	    itest_post(c, to, false, NULL, "member", recruiters[0], "next",
		       "/", "signin", "1.deadbeef", NULL);
	CHECK_STATUS(r, 400, "a sign-in form the sandbox did not make");
	CHECK(!itest_header(&r, "Set-Cookie"), "no cookie");
	itest_resp_free(&r);

	/* a signed-in member's cookie, another member's id put in it */
	CHECK(itest_li_signin(c, recruiters[2], NULL) == 303, "signed in");
	char *cookie = itest_cookie(c, "li_at");
	CHECK(cookie && !strncmp(cookie, recruiters[2], strlen(recruiters[2])),
	      "the cookie names the member");
	if (cookie) {
		char *forged = itest_fmt("%s%s", recruiters[3],
					 cookie + strlen(recruiters[2]));
		struct itest_client *x = itest_client_new(NULL);
		itest_set_cookie(x, "li_at", forged);
		struct itest_resp p = profile(x, candidates[0], NULL);
		CHECK_STATUS(p, 303, "a tampered cookie signs nobody in");
		itest_resp_free(&p);
		itest_client_free(x);
		free(forged);
	}
	free(cookie);
	free(to);
	itest_client_free(c);
}

/* ------------------------------------------------------------ job box */

static void job_box_lists_only_listed_jobs_the_viewer_may_see(void)
{
	struct itest_client *c = signed_in(recruiters[0]);
	char *q = itest_fmt("ats=%s", li->apps[0].client_id);
	struct itest_resp r = profile(c, candidates[0], q);
	CHECK_STATUS(r, 200, "the profile");
	CHECK_HAS(r, "ats-job-box", "the job box");
	CHECK_HAS(r, "Backend Engineer", "a LISTED job");
	CHECK_HAS(r, "Frontend Engineer", "another LISTED job");
	CHECK_HAS(r, "Assigned Role", "a job whose ACL names the viewer");
	CHECK_LACKS(r, "Closed Role", "a CLOSED job");
	CHECK_LACKS(r, "Secret Role", "a job whose ACL names someone else");
	CHECK_LACKS(r, "Staff Nurse", "the other ATS's job");
	itest_resp_free(&r);

	/* the other ATS: its jobs only */
	free(q);
	q = itest_fmt("ats=%s", li->apps[1].client_id);
	r = profile(c, candidates[0], q);
	CHECK_HAS(r, "Staff Nurse", "the second ATS's job");
	CHECK_LACKS(r, "Backend Engineer", "not the first ATS's");
	char *name = itest_between(r.body, "class=\"ats-name\">", "</strong>");
	CHECK(name && !strcmp(name, ats2), "the chosen ATS: %s",
	      name ? name : "(none)");
	free(name);
	itest_resp_free(&r);
	free(q);
	itest_client_free(c);

	/* the ACL's other assignee sees the secret job */
	c = signed_in(recruiters[5]);
	q = itest_fmt("ats=%s", li->apps[0].client_id);
	r = profile(c, candidates[0], q);
	CHECK_HAS(r, "Secret Role", "its assignee sees it");
	itest_resp_free(&r);
	free(q);
	itest_client_free(c);
}

static void job_box_finds_jobs_by_title_or_job_id(void)
{
	struct itest_client *c = signed_in(recruiters[0]);
	char *q = itest_fmt("ats=%s&q=backend", li->apps[0].client_id);
	struct itest_resp r = profile(c, candidates[0], q);
	CHECK_HAS(r, "Backend Engineer", "found by title, any case");
	CHECK_LACKS(r, "Frontend Engineer", "another title is not");
	itest_resp_free(&r);
	free(q);

	q = itest_fmt("ats=%s&q=J-00005", li->apps[0].client_id);
	r = profile(c, candidates[0], q);
	CHECK_HAS(r, "Frontend Engineer", "found by job id");
	CHECK_LACKS(r, "Backend Engineer", "only that job");
	itest_resp_free(&r);
	free(q);

	q = itest_fmt("ats=%s&q=%%25", li->apps[0].client_id);
	r = profile(c, candidates[0], q);
	CHECK_LACKS(r, "Engineer", "a % in the search is a character");
	CHECK_HAS(r, "No open job", "nothing matches");
	itest_resp_free(&r);
	free(q);
	itest_client_free(c);
}

static void change_ats_lists_every_instance_that_enabled_export(void)
{
	/* a third application that enabled export without a callback, and a
	 * fourth that disabled it: neither is offered */
	ITEST_SANDBOX_SQL(
	    "two more ATSs",
	    itest_fmt("INSERT INTO ats_integrations (client_id,"
		      " organization_id, integration_type, integration_name,"
		      " enabled) VALUES ('nocallback%s', %lld,"
		      " 'ONE_CLICK_EXPORT', 'No callback ATS', 1),"
		      " ('disabled%s', %lld, 'ONE_CLICK_EXPORT', 'Disabled ATS',"
		      " 0); INSERT INTO ats_integration_configs (client_id,"
		      " organization_id, integration_type, config_key,"
		      " config_value) VALUES ('disabled%s', %lld,"
		      " 'ONE_CLICK_EXPORT', 'CALLBACK_URL', 'http://x/')",
		      tag, org, tag, org, tag, org));
	struct itest_client *c = signed_in(recruiters[0]);
	struct itest_resp r = profile(c, candidates[0], NULL);
	char *box = itest_between(r.body, "<summary>Change ATS</summary>",
				  "</details>");
	CHECK(box != NULL, "Change ATS is offered");
	CHECK(box && strstr(box, ats1) && strstr(box, ats2),
	      "both instances that enabled export: %s", box ? box : "");
	char *link = itest_fmt("?ats=%s", li->apps[1].client_id);
	CHECK(box && strstr(box, link), "a link chooses the second");
	CHECK(box && !strstr(box, "No callback ATS") &&
		  !strstr(box, "Disabled ATS"),
	      "not those without a callback or disabled");
	free(link);
	free(box);
	itest_resp_free(&r);
	itest_client_free(c);
	ITEST_SANDBOX_SQL(
	    "the two go",
	    itest_fmt("DELETE FROM ats_integration_configs WHERE client_id ="
		      " 'disabled%s'; DELETE FROM ats_integrations WHERE"
		      " client_id IN ('nocallback%s', 'disabled%s')",
		      tag, tag, tag));
}

/* ------------------------------------------------------------ export */

static void hiring_manager_sees_no_export_and_a_post_is_refused(void)
{
	struct itest_client *c = signed_in(managers[0]);
	struct itest_resp r = profile(c, candidates[2], NULL);
	CHECK_STATUS(r, 200, "a Hiring Manager seat views the profile");
	CHECK_HAS(r, "Backend Engineer", "and the job box's jobs");
	CHECK_LACKS(r, ">Export</button>", "but no Export button");
	CHECK_LACKS(r, "/export\"", "and no export form");
	CHECK_HAS(r, "Only Recruiter seat holders can export", "says why");
	itest_resp_free(&r);

	long before = itest_sandbox_sql_int(
	    "SELECT COUNT(*) FROM exports WHERE candidate_member_id ="
	    " (SELECT id FROM members WHERE urn_id = '%s')",
	    candidates[2]);
	char *job = job_id("J-00001");
	r = press_export(c, candidates[2], li->apps[0].client_id, job);
	CHECK_STATUS(r, 403, "an export POST anyway");
	CHECK_HAS(r, "only Recruiter seat holders can export", "refused");
	itest_resp_free(&r);
	r = itest_li_export_post(managers[0], candidates[2], job,
			   li->apps[0].client_id);
	CHECK_STATUS(r, 403, "the control API's export checks the seat too");
	CHECK_HAS(r, "\"serviceErrorCode\":100", "LinkedIn's error body");
	itest_resp_free(&r);
	long after = itest_sandbox_sql_int(
	    "SELECT COUNT(*) FROM exports WHERE candidate_member_id ="
	    " (SELECT id FROM members WHERE urn_id = '%s')",
	    candidates[2]);
	CHECK(before == after, "nothing exported: %ld then %ld", before, after);
	free(job);
	itest_client_free(c);
}

static void export_button_notifies_the_chosen_ats_signed(void)
{
	struct itest_client *c = signed_in(recruiters[0]);
	char *job = job_id("J-00001");
	size_t heard = itest_listener_wait(callback, 0, 0);
	struct itest_resp r =
	    press_export(c, candidates[3], li->apps[0].client_id, job);
	CHECK_STATUS(r, 200, "Export");
	char *want = itest_fmt("Exported to %s", ats1);
	CHECK_HAS(r, want, "the page says where it went");
	free(want);
	char *request_id =
	    itest_between(r.body, "class=\"mono request-id\">", "</span>");
	CHECK(request_id && strlen(request_id) == 36 && request_id[14] == '4',
	      "a uuid v4 requestId: %s", request_id ? request_id : "(none)");
	itest_resp_free(&r);
	if (!request_id) {
		free(job);
		itest_client_free(c);
		return;
	}

	json_t *n = wait_state(request_id, "delivered", 5000);
	CHECK(itest_jint(n, "attempts") == 1, "delivered at the first try");
	CHECK(!strcmp(itest_jstr(n, "clientId"), li->apps[0].client_id),
	      "to the chosen ATS");
	json_decref(n);
	CHECK(itest_listener_wait(callback, heard + 1, 1000) > heard,
	      "the callback heard it");
	struct itest_heard h;
	CHECK(last_heard(request_id, &h), "the notification names the request");
	if (last_heard(request_id, &h)) {
		CHECK(!strcmp(h.path, "/one"), "at the first ATS's callback: %s",
		      h.path);
		CHECK(h.content_type &&
			  !strcmp(h.content_type, "application/json"),
		      "JSON");
		char *sig = signature(li->apps[0].client_secret, h.body, h.len);
		CHECK(h.signature && !strcmp(h.signature, sig),
		      "X-LI-Signature is HMAC-SHA256(client secret, "
		      "\"hmacsha256=\" + body): %s, want %s",
		      h.signature ? h.signature : "(none)", sig);
		free(sig);
		json_t *b = json_loadb(h.body, h.len, 0, NULL);
		CHECK(!strcmp(itest_jstr(b, "eventType"),
			      "EXPORT_CANDIDATE_PROFILE"),
		      "the event type");
		CHECK(!strcmp(itest_jstr(b, "requestId"), request_id),
		      "the requestId");
		CHECK(!strcmp(itest_jstr(b, "integrationContext"),
			      li->organization),
		      "the organization");
		CHECK(itest_jint(b, "occurredAt") > 1600000000000LL,
		      "when, in epoch ms");
		json_decref(b);
	}

	/* the page's export and the control API's are one: the same record */
	char *token = itest_li_app_token(0);
	char *q = itest_fmt("q=request&requestId=%s", request_id);
	r = exported_candidate(token, q);
	CHECK_STATUS(r, 200, "exportedCandidates");
	json_t *j = itest_json(&r);
	json_t *el = json_array_get(json_object_get(j, "elements"), 0);
	CHECK(!strcmp(itest_jstr(el, "externalJobPostingId"), job),
	      "the chosen job");
	json_t *cand = json_object_get(el, "candidate");
	char *urn = itest_fmt("urn:li:person:%s", candidates[3]);
	CHECK(!strcmp(itest_jstr(cand, "member"), urn), "the member exported");
	free(urn);
	CHECK(*itest_jstr(cand, "firstName") && *itest_jstr(cand, "lastName") &&
		  *itest_jstr(cand, "headline") &&
		  !strncmp(itest_jstr(cand, "publicProfileUrl"),
			   "https://www.linkedin.com/in/", 28),
	      "the candidate's profile");
	urn = itest_fmt("urn:li:person:%s", recruiters[0]);
	json_t *ex = json_object_get(el, "exporter");
	CHECK(!strcmp(itest_jstr(ex, "member"), urn) &&
		  !strncmp(itest_jstr(ex, "seat"), "urn:li:seat:", 12),
	      "the exporter and seat");
	free(urn);
	json_decref(j);
	itest_resp_free(&r);
	free(q);
	free(token);
	free(request_id);
	free(job);
	itest_client_free(c);
}

static void exported_candidate_is_for_the_application_it_went_to_only(void)
{
	char *job = job_id("J-00001");
	char *id = itest_li_export(recruiters[1], candidates[4], job,
			    li->apps[1].client_id);
	CHECK(*id, "exported to the second ATS");
	char *mine = itest_li_app_token(1), *other = itest_li_app_token(0);
	char *q = itest_fmt("q=request&requestId=%s", id);
	struct itest_resp r = exported_candidate(mine, q);
	CHECK_STATUS(r, 200, "the application the export went to");
	itest_resp_free(&r);
	r = exported_candidate(other, q);
	CHECK_STATUS(r, 404, "another application");
	CHECK_HAS(r, "\"serviceErrorCode\"", "LinkedIn's error body");
	itest_resp_free(&r);
	r = exported_candidate(mine, "q=request&requestId="
				     "00000000-0000-4000-8000-000000000000");
	CHECK_STATUS(r, 404, "an unknown requestId");
	itest_resp_free(&r);
	free(q);
	q = itest_fmt("requestId=%s", id);
	r = exported_candidate(mine, q);
	CHECK_STATUS(r, 400, "no q=request");
	itest_resp_free(&r);
	r = exported_candidate("not-a-token", "q=request&requestId=x");
	CHECK_STATUS(r, 401, "no token of LinkedIn's");
	itest_resp_free(&r);

	/* it went to the second ATS's callback */
	json_t *n = wait_state(id, "delivered", 5000);
	CHECK(!strcmp(itest_jstr(n, "callbackUrl") +
			  strlen(itest_listener_url(callback)),
		      "/two"),
	      "to the second ATS's callback: %s", itest_jstr(n, "callbackUrl"));
	json_decref(n);
	struct itest_heard h;
	if (last_heard(id, &h)) {
		char *sig = signature(li->apps[1].client_secret, h.body, h.len);
		CHECK(h.signature && !strcmp(h.signature, sig),
		      "signed with the second application's secret");
		free(sig);
	}
	free(q);
	free(mine);
	free(other);
	free(id);
	free(job);
}

static void export_refusals_name_linkedins_reason(void)
{
	char *listed = job_id("J-00001"), *closed = job_id("J-00002"),
	     *secret = job_id("J-00003");
	static const struct {
		int exporter; /* recruiters[] */
		const char *member;
		int job;  /* 0 listed, 1 closed, 2 secret, 3 nope */
		int app;  /* 0, 1; 2 = an application without export */
		long status;
		const char *says;
	} cases[] = {
	    {0, "NoSuchMember", 0, 0, 404, "Member not found"},
	    {0, NULL, 1, 0, 400, "CLOSED"},
	    {0, NULL, 2, 0, 404, "Job posting not found"},
	    {0, NULL, 3, 0, 404, "Job posting not found"},
	    {0, NULL, 0, 2, 404, "One-Click Export is not enabled"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *jobs[] = {listed, closed, secret, "nope-J-1"};
		struct itest_resp r = itest_li_export_post(
		    recruiters[cases[i].exporter],
		    cases[i].member ? cases[i].member : candidates[5],
		    jobs[cases[i].job],
		    cases[i].app == 2 ? "notanapplication"
				      : li->apps[cases[i].app].client_id);
		CHECK(r.status == cases[i].status,
		      "case %zu: status %ld, want %ld", i, r.status,
		      cases[i].status);
		CHECK_HAS(r, cases[i].says, "the reason");
		CHECK_HAS(r, "\"serviceErrorCode\"", "LinkedIn's error body");
		itest_resp_free(&r);
	}
	/* a job id of one ATS is not the other's */
	char *other = itest_fmt("%s-J-00005", tag);
	struct itest_resp r = itest_li_export_post(recruiters[0], candidates[5],
					     other, li->apps[1].client_id);
	CHECK_STATUS(r, 404, "the first ATS's job, exported to the second");
	itest_resp_free(&r);
	free(other);
	free(listed);
	free(closed);
	free(secret);
}

static void the_301st_export_of_a_seat_in_a_month_gets_429(void)
{
	const char *seat_holder = recruiters[7];
	long long seat = itest_sandbox_sql_int(
	    "SELECT s.id FROM seats s JOIN members m ON m.id = s.member_id"
	    " WHERE m.urn_id = '%s'",
	    seat_holder);
	long long cand = itest_sandbox_sql_int(
	    "SELECT id FROM members WHERE urn_id = '%s'", candidates[6]);
	/* 299 this month, and one last month that no longer counts */
	ITEST_SANDBOX_SQL(
	    "the seat's earlier exports",
	    itest_fmt("DELETE FROM exports WHERE seat_id = %lld;"
		      " INSERT INTO exports (request_id, client_id,"
		      " organization_id, exporter_member_id, seat_id,"
		      " candidate_member_id, external_job_posting_id,"
		      " created_at) SELECT CONCAT('limit-%s-', seq), '%s',"
		      " %lld, 0, %lld, %lld, 'x', UNIX_TIMESTAMP() * 1000 -"
		      " seq FROM seq_1_to_299;"
		      " INSERT INTO exports (request_id, client_id,"
		      " organization_id, exporter_member_id, seat_id,"
		      " candidate_member_id, external_job_posting_id,"
		      " created_at) VALUES ('limit-%s-old', '%s', %lld, 0,"
		      " %lld, %lld, 'x', UNIX_TIMESTAMP(LAST_DAY(UTC_DATE() -"
		      " INTERVAL 1 MONTH)) * 1000)",
		      seat, tag, li->apps[0].client_id, org, seat, cand, tag,
		      li->apps[0].client_id, org, seat, cand));
	char *job = job_id("J-00001");
	struct itest_resp r = itest_li_export_post(seat_holder, candidates[6], job,
					     li->apps[0].client_id);
	CHECK_STATUS(r, 201, "the 300th export this month");
	itest_resp_free(&r);
	r = itest_li_export_post(seat_holder, candidates[7], job,
			   li->apps[0].client_id);
	CHECK_STATUS(r, 429, "the 301st");
	CHECK_HAS(r, "throttle", "LinkedIn's throttle words");
	CHECK_HAS(r, "\"status\":429", "LinkedIn's error body");
	const char *ra = itest_header(&r, "Retry-After");
	CHECK(ra && atol(ra) > 0 && atol(ra) <= 31 * 86400,
	      "Retry-After until the month ends: %s", ra ? ra : "(none)");
	itest_resp_free(&r);

	/* the Export button says so too; another seat still exports */
	struct itest_client *c = signed_in(seat_holder);
	r = press_export(c, candidates[7], li->apps[0].client_id, job);
	CHECK_STATUS(r, 429, "the Export button at the limit");
	CHECK_HAS(r, "throttle", "the page gives the reason");
	itest_resp_free(&r);
	itest_client_free(c);
	r = itest_li_export_post(recruiters[8], candidates[7], job,
			   li->apps[0].client_id);
	CHECK_STATUS(r, 201, "another seat's export");
	itest_resp_free(&r);
	free(job);
}

/* ------------------------------------------------------------ deliveries */

static void deliveries_retry_after_500_until_the_callback_lands(void)
{
	static const long fail_twice[] = {500, 500, 200};
	quiet();
	itest_listener_answer(callback, fail_twice, 3);
	char *job = job_id("J-00005");
	char *id = itest_li_export(recruiters[2], candidates[0], job,
			    li->apps[0].client_id);
	json_t *n = wait_state(id, "delivered", 8000);
	CHECK(itest_jint(n, "attempts") == 3, "three tries: %lld",
	      itest_jint(n, "attempts"));
	json_t *tries = json_object_get(n, "tries");
	CHECK(json_array_size(tries) == 3, "each try recorded");
	for (size_t i = 0; i < json_array_size(tries) && i < 3; i++)
		CHECK(itest_jint(json_array_get(tries, i), "status") ==
			  fail_twice[i],
		      "try %zu answered %lld", i + 1,
		      itest_jint(json_array_get(tries, i), "status"));
	if (json_array_size(tries) == 3) {
		long long t0 = itest_jint(json_array_get(tries, 0), "at");
		long long t1 = itest_jint(json_array_get(tries, 1), "at");
		long long t2 = itest_jint(json_array_get(tries, 2), "at");
		CHECK(t1 - t0 >= 200 && t2 - t1 > t1 - t0,
		      "the waits grow: %lld then %lld ms", t1 - t0, t2 - t1);
	}
	CHECK(heard_for(id) == 3, "the callback heard it three times");
	json_decref(n);
	itest_listener_answer(callback, NULL, 0);
	free(id);
	free(job);
}

static void a_notification_is_given_up_after_7_tries(void)
{
	static const long never[] = {503};
	quiet();
	itest_listener_answer(callback, never, 1);
	char *job = job_id("J-00005");
	char *id = itest_li_export(recruiters[3], candidates[1], job,
			    li->apps[0].client_id);
	/* 250 + 500 + 1000 + 2000 * 3 ms in the test stack */
	json_t *n = wait_state(id, "failed", 15000);
	CHECK(itest_jint(n, "attempts") == 7,
	      "the first try and 6 retries: %lld", itest_jint(n, "attempts"));
	CHECK(itest_jint(n, "lastStatus") == 503, "the last answer is kept");
	json_decref(n);
	usleep(2500 * 1000);
	CHECK(heard_for(id) == 7, "no eighth try: %zu", heard_for(id));
	itest_listener_answer(callback, NULL, 0);
	free(id);
	free(job);
}

/* A callback nobody answers at (hirelink's host down) is retried as a
 * failed answer is: each try recorded with no status and curl's reason. */
static void a_callback_nobody_answers_at_is_retried(void)
{
	/* a port that was just free: nothing listens there */
	struct itest_listener *gone = itest_listener_start(NULL, 0);
	char *dead = itest_strdup(gone ? itest_listener_url(gone) : "");
	itest_listener_stop(gone);
	ITEST_SANDBOX_SQL(
	    "the first ATS's callback moves away",
	    itest_fmt("UPDATE ats_integration_configs SET config_value ="
		      " '%s/gone' WHERE client_id = '%s' AND config_key ="
		      " 'CALLBACK_URL'",
		      dead, li->apps[0].client_id));
	char *job = job_id("J-00005");
	char *id = itest_li_export(recruiters[9], candidates[5], job,
			    li->apps[0].client_id);
	json_t *n = NULL;
	for (int i = 0; i < 30; i++) {
		json_decref(n);
		n = notification(id);
		if (itest_jint(n, "attempts") >= 2)
			break;
		usleep(100 * 1000);
	}
	json_t *first = json_array_get(json_object_get(n, "tries"), 0);
	CHECK(itest_jint(n, "attempts") >= 2 &&
		  !strcmp(itest_jstr(n, "state"), "pending"),
	      "retried: %lld tries, %s", itest_jint(n, "attempts"),
	      itest_jstr(n, "state"));
	CHECK(first && itest_jint(first, "status") == 0 &&
		  *itest_jstr(first, "error"),
	      "no answer, and why: %s", itest_jstr(first, "error"));
	json_decref(n);
	enable_export();
	/* it is sent where it was queued for: let it end */
	ITEST_SANDBOX_SQL(
	    "the lost notification ends",
	    itest_fmt("UPDATE deliveries SET state = 'failed', generation"
		      " = generation + 1 WHERE request_id = '%s'",
		      id));
	free(id);
	free(job);
	free(dead);
}

static void held_deliveries_wait_until_released(void)
{
	struct itest_resp r = itest_sandbox_post("/sandbox/notifications/hold",
				      "{\"hold\": true}");
	CHECK_STATUS(r, 200, "hold");
	itest_resp_free(&r);
	char *job = job_id("J-00005");
	char *id = itest_li_export(recruiters[4], candidates[2], job,
			    li->apps[0].client_id);
	usleep(1000 * 1000);
	json_t *n = notification(id);
	CHECK(!strcmp(itest_jstr(n, "state"), "pending") &&
		  json_is_true(json_object_get(n, "held")) &&
		  itest_jint(n, "attempts") == 0,
	      "held: %s, attempts %lld", itest_jstr(n, "state"),
	      itest_jint(n, "attempts"));
	json_decref(n);
	CHECK(heard_for(id) == 0, "nothing sent while held");
	r = itest_sandbox_post("/sandbox/notifications/hold", "{\"hold\": false}");
	CHECK_STATUS(r, 200, "release");
	itest_resp_free(&r);
	n = wait_state(id, "delivered", 3000);
	CHECK(itest_jint(n, "attempts") == 1, "sent once released");
	json_decref(n);
	r = itest_sandbox_post("/sandbox/notifications/hold", "{\"hold\": 1}");
	CHECK_STATUS(r, 400, "hold takes true or false");
	itest_resp_free(&r);
	free(id);
	free(job);
}

static void redeliver_sends_the_same_notification_again(void)
{
	char *job = job_id("J-00005");
	char *id = itest_li_export(recruiters[4], candidates[3], job,
			    li->apps[0].client_id);
	json_decref(wait_state(id, "delivered", 3000));
	struct itest_heard first;
	char *first_body = NULL;
	if (last_heard(id, &first))
		first_body = itest_strdup(first.body);
	char *body = itest_fmt("{\"requestId\": \"%s\"}", id);
	struct itest_resp r = itest_sandbox_post("/sandbox/notifications/redeliver", body);
	CHECK_STATUS(r, 200, "redeliver");
	itest_resp_free(&r);
	for (int i = 0; i < 50 && heard_for(id) < 2; i++)
		usleep(100 * 1000);
	CHECK(heard_for(id) == 2, "heard twice: %zu", heard_for(id));
	struct itest_heard again;
	CHECK(last_heard(id, &again) && first_body &&
		  !strcmp(again.body, first_body),
	      "the same body, byte for byte");
	json_t *n = wait_state(id, "delivered", 3000);
	CHECK(itest_jint(n, "attempts") == 1, "its tries counted afresh");
	CHECK(json_array_size(json_object_get(n, "tries")) == 2,
	      "both tries in its history");
	json_decref(n);
	r = itest_sandbox_post("/sandbox/notifications/redeliver",
		    "{\"requestId\": \"00000000-0000-4000-8000-00000000dead\"}");
	CHECK_STATUS(r, 404, "an unknown requestId");
	itest_resp_free(&r);
	free(body);
	free(first_body);
	free(id);
	free(job);
}

static void forged_notifications_are_signed_as_asked(void)
{
	static const long answers[] = {202};
	quiet();
	itest_listener_answer(callback, answers, 1);
	const char *kinds[] = {"valid", "bad", "none", "wrong_secret"};
	for (size_t i = 0; i < 4; i++) {
		size_t before = itest_listener_wait(callback, 0, 0);
		char *json = itest_fmt("{\"clientId\": \"%s\", \"signature\":"
				       " \"%s\", \"body\": \"{\\\"x\\\": %zu}\"}",
				       li->apps[0].client_id, kinds[i], i);
		struct itest_resp r = itest_sandbox_post("/sandbox/notifications/forged",
					      json);
		CHECK_STATUS(r, 200, kinds[i]);
		CHECK_HAS(r, "\"status\":202", "what the callback answered");
		itest_resp_free(&r);
		free(json);
		struct itest_heard h;
		CHECK(itest_listener_heard(callback, before, &h),
		      "%s: the callback heard it", kinds[i]);
		if (!itest_listener_heard(callback, before, &h))
			continue;
		char *raw = itest_fmt("{\"x\": %zu}", i);
		CHECK(!strcmp(h.body, raw), "the raw body as given: %s",
		      h.body);
		char *right = signature(li->apps[0].client_secret, h.body,
					h.len);
		char *other = signature(li->apps[1].client_secret, h.body,
					h.len);
		if (i == 0)
			CHECK(h.signature && !strcmp(h.signature, right),
			      "valid: signed rightly");
		if (i == 1)
			CHECK(h.signature && strlen(h.signature) == 64 &&
				  strcmp(h.signature, right) != 0,
			      "bad: a well-formed wrong signature");
		if (i == 2)
			CHECK(!h.signature, "none: no header");
		if (i == 3)
			CHECK(h.signature && !strcmp(h.signature, other),
			      "wrong_secret: another application's secret");
		free(right);
		free(other);
		free(raw);
	}
	/* without a body: a notification of an export that never was */
	size_t before = itest_listener_wait(callback, 0, 0);
	char *json = itest_fmt("{\"clientId\": \"%s\", \"signature\": \"bad\"}",
			       li->apps[1].client_id);
	struct itest_resp r = itest_sandbox_post("/sandbox/notifications/forged", json);
	CHECK_STATUS(r, 200, "a forged notification");
	itest_resp_free(&r);
	struct itest_heard h;
	CHECK(itest_listener_heard(callback, before, &h) &&
		  strstr(h.body, "EXPORT_CANDIDATE_PROFILE") &&
		  !strcmp(h.path, "/two"),
	      "an export notification, to that application's callback");
	free(json);
	itest_listener_answer(callback, NULL, 0);
}

static void control_calls_name_the_bad_field(void)
{
	static const struct {
		const char *path, *json, *field;
	} cases[] = {
	    {"/sandbox/exports", "{\"member\": \"x\"}", "exporter"},
	    {"/sandbox/exports",
	     "{\"exporter\": \"x\", \"member\": \"y\", \"clientId\": \"z\"}",
	     "externalJobPostingId"},
	    {"/sandbox/notifications/redeliver", "{}", "requestId"},
	    {"/sandbox/notifications/forged", "{\"clientId\": \"x\"}",
	     "signature"},
	    {"/sandbox/notifications/forged",
	     "{\"clientId\": \"x\", \"signature\": \"bad\"}", "clientId"},
	    {"/sandbox/notifications/hold", "{}", "hold"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct itest_resp r = itest_sandbox_post(cases[i].path, cases[i].json);
		CHECK(r.status == 400, "%s %s: %ld", cases[i].path,
		      cases[i].json, r.status);
		CHECK_HAS(r, cases[i].field, "names the field");
		itest_resp_free(&r);
	}
	struct itest_client *c = itest_client_new(NULL);
	char *url = sandbox("/sandbox/notifications?requestId=nope");
	struct itest_resp r = itest_get(c, url, true);
	CHECK_STATUS(r, 404, "an unknown notification");
	itest_resp_free(&r);
	free(url);
	itest_client_free(c);
}


/* Waits (up to 5 s) for the listener to hear request_id; the last such
 * request into *h. */
static bool await_heard(const char *request_id, struct itest_heard *h)
{
	for (int waited = 0; waited < 5000; waited += 100) {
		if (last_heard(request_id, h))
			return true;
		usleep(100 * 1000);
	}
	return false;
}

/* An integration's state changed at LinkedIn (the customer's admin, or
 * the ATS's own atsIntegrations call) is pushed to the ATS's callback,
 * signed, and the ATS reads what it refers to with its own token. */
static void an_integrations_change_of_state_is_notified_signed(void)
{
	quiet();
	itest_listener_answer(callback, NULL, 0);
	long st;
	json_t *a = itest_li_switch_integration(0, "ONE_CLICK_EXPORT", "DISABLED", &st);
	char *id = itest_strdup(itest_jstr(a, "requestId"));
	CHECK(st == 200 && json_is_true(json_object_get(a, "changed")) &&
		  json_is_true(json_object_get(a, "notified")) &&
		  strlen(id) == 36,
	      "LinkedIn's admin disables export: %ld, requestId %s", st, id);
	json_decref(a);
	struct itest_heard h;
	CHECK(await_heard(id, &h), "the first ATS's callback heard it");
	if (last_heard(id, &h)) {
		CHECK(!strcmp(h.path, "/one"), "at its callback: %s", h.path);
		char *sig = signature(li->apps[0].client_secret, h.body, h.len);
		CHECK(h.signature && !strcmp(h.signature, sig),
		      "signed with the application's secret");
		free(sig);
		json_t *b = json_loadb(h.body, h.len, 0, NULL);
		CHECK(!strcmp(itest_jstr(b, "eventType"),
			      "INTEGRATION_STATUS_CHANGE") &&
			  !strcmp(itest_jstr(b, "integrationContext"),
				  li->organization),
		      "an INTEGRATION_STATUS_CHANGE of the organization: %s",
		      h.body);
		json_decref(b);
	}
	json_decref(wait_state(id, "delivered", 5000));

	/* what it refers to, for the application it went to only */
	char *token = itest_li_app_token(0);
	char *q = itest_fmt("q=request&requestId=%s", id);
	struct itest_resp r = api_get(token, "/v2/atsIntegrations", q);
	json_t *j = itest_json(&r);
	json_t *e = json_array_get(json_object_get(j, "elements"), 0);
	CHECK(r.status == 200 &&
		  !strcmp(itest_jstr(e, "integrationType"),
			  "ONE_CLICK_EXPORT") &&
		  !strcmp(itest_jstr(e, "status"), "DISABLED"),
	      "the ATS reads the change: %ld %s %s", r.status,
	      itest_jstr(e, "integrationType"), itest_jstr(e, "status"));
	json_decref(j);
	itest_resp_free(&r);
	char *other = itest_li_app_token(1);
	r = api_get(other, "/v2/atsIntegrations", q);
	CHECK_STATUS(r, 404, "another application's requestId");
	itest_resp_free(&r);

	/* the same state again changes nothing and tells nobody */
	a = itest_li_switch_integration(0, "ONE_CLICK_EXPORT", "DISABLED", &st);
	CHECK(st == 200 && json_is_false(json_object_get(a, "changed")) &&
		  json_is_null(json_object_get(a, "requestId")),
	      "disabled twice: nothing to tell");
	json_decref(a);

	/* the ATS's own call enables it again: it is told too */
	char *key = itest_fmt("ids%%5B0%%5D.integrationContext=urn%%3Ali%%3A"
			      "organization%%3A%lld&ids%%5B0%%5D."
			      "integrationType=ONE_CLICK_EXPORT&ids%%5B0%%5D."
			      "tenantType=RECRUITER&ids%%5B0%%5D.dataProvider"
			      "=ATS",
			      org);
	char *path = itest_fmt("/v2/atsIntegrations?%s", key);
	char *body = itest_fmt(
	    "{\"entities\":{\"integrationContext=%s&integrationType="
	    "ONE_CLICK_EXPORT&tenantType=RECRUITER&dataProvider=ATS\":"
	    "{\"patch\":{\"$set\":{\"status\":\"ENABLED\"}}}}}",
	    li->organization);
	size_t before = itest_listener_wait(callback, 0, 0);
	r = itest_li_api("POST", path, token, body);
	CHECK_STATUS(r, 200, "the ATS enables export again");
	itest_resp_free(&r);
	CHECK(itest_listener_wait(callback, before + 1, 5000) > before,
	      "a notification follows the ATS's own change");
	if (itest_listener_heard(callback, before, &h))
		CHECK(strstr(h.body, "INTEGRATION_STATUS_CHANGE") != NULL,
		      "of the change: %s", h.body);

	/* an application without a CALLBACK_URL is told nothing */
	ITEST_SANDBOX_SQL(
	    "the second ATS has no callback",
	    itest_fmt("DELETE FROM ats_integration_configs WHERE client_id ="
		      " '%s'",
		      li->apps[1].client_id));
	a = itest_li_switch_integration(1, "ONE_CLICK_EXPORT", "DISABLED", &st);
	CHECK(st == 200 && json_is_true(json_object_get(a, "changed")) &&
		  json_is_false(json_object_get(a, "notified")),
	      "no callback, no notification");
	json_decref(a);

	/* one never enabled cannot be switched; bad fields are named */
	a = itest_li_switch_integration(0, "PROFILE_PLUGIN", "DISABLED", &st);
	CHECK(st == 404, "an integration never enabled: %ld", st);
	json_decref(a);
	a = itest_li_switch_integration(0, "ONE_CLICK_EXPORT", "OFF", &st);
	CHECK(st == 400 && strstr(itest_jstr(a, "message"), "status"),
	      "a status that is not one: %ld %s", st, itest_jstr(a, "message"));
	json_decref(a);
	r = itest_sandbox_post("/sandbox/integrations",
		    "{\"clientId\": \"nobody\", \"status\": \"ENABLED\"}");
	CHECK_STATUS(r, 400, "an unknown application");
	CHECK_HAS(r, "clientId", "names the field");
	itest_resp_free(&r);

	enable_export();
	free(body);
	free(path);
	free(key);
	free(other);
	free(q);
	free(token);
	free(id);
}

/* ------------------------------------------------------------ main */

int main(void)
{
	static const struct test tests[] = {
	    TEST(signed_out_visitor_is_sent_to_sign_in_and_back),
	    TEST(member_signs_in_with_a_cookie_of_the_sandbox_and_signs_out),
	    TEST(forged_sign_in_and_tampered_cookie_are_refused),
	    TEST(job_box_lists_only_listed_jobs_the_viewer_may_see),
	    TEST(job_box_finds_jobs_by_title_or_job_id),
	    TEST(change_ats_lists_every_instance_that_enabled_export),
	    TEST(hiring_manager_sees_no_export_and_a_post_is_refused),
	    TEST(export_button_notifies_the_chosen_ats_signed),
	    TEST(exported_candidate_is_for_the_application_it_went_to_only),
	    TEST(export_refusals_name_linkedins_reason),
	    TEST(the_301st_export_of_a_seat_in_a_month_gets_429),
	    TEST(deliveries_retry_after_500_until_the_callback_lands),
	    TEST(a_notification_is_given_up_after_7_tries),
	    TEST(a_callback_nobody_answers_at_is_retried),
	    TEST(held_deliveries_wait_until_released),
	    TEST(redeliver_sends_the_same_notification_again),
	    TEST(forged_notifications_are_signed_as_asked),
	    TEST(control_calls_name_the_bad_field),
	    TEST(an_integrations_change_of_state_is_notified_signed),
	};
	static const struct suite suites[] = {
	    SUITE("sandbox_export", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
