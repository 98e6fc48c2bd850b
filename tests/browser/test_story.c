/*
 * test_story.c - the seed's whole story in a real browser (headless
 * Chromium through chromedriver, the project's own WebDriver client), on
 * the real stack with the LinkedIn sandbox, as the product documentation
 * tells it.  One browser plays every person in turn, signing in and out of
 * hirelink and of "LinkedIn" as they would; a screenshot after each step
 * goes to the test log folder (story-<n>-<what>.png).
 *
 *   1. The admin sets up the LinkedIn integration, tests the connection
 *      and enables it at LinkedIn.
 *   2. A recruiter connects LinkedIn: the gear, User settings,
 *      Connections, Connect, consent in the sandbox, back connected.
 *   3. The recruiter creates a job, adds a hiring manager and an
 *      interviewer, activates it.
 *   4. In the sandbox's Recruiter: a member's profile, Change ATS, the job
 *      found by title and by job id, Export.
 *   5. In hirelink the member is on the job's Prospect tab; the LinkedIn
 *      tab shows the full profile to the Recruiter seat; the hiring
 *      manager, signed out of LinkedIn, sees the basic profile and the
 *      hint to sign out.
 *   6. Send InMail from the widget; the member replies sharing contact
 *      details; the stub puts them in the LinkedIn talent pool.
 *   7. Moved to Screen, feedback and a public note added: the sandbox's
 *      In ATS panel shows Jobs & Statuses, Interview Feedback and Notes,
 *      and a private note does not appear.
 *
 * The steps build on each other: a step whose start is missing stops the
 * story there (the rest would only repeat its failure).
 *
 * Where it runs: every address and database comes from itest.h's
 * environment (HIRELINK_TEST_URL, _URL2, _SANDBOX_URL, HIRELINK_TEST_CA,
 * HIRELINK_TEST_DB_APP, HIRELINK_CONFIG, _CONFIG2, HIRELINK_BIN).  `make
 * check` runs it once, from scripts/install-test.sh, against the installed
 * copy: the production nginx site over TLS in front of two responders and
 * two workers, the installed sandbox as LinkedIn over TLS, and the
 * development stack's second instance as the organization's other ATS
 * (Change ATS); that script then checks both nodes' logs and that the
 * export and the syncs happened once.  `scripts/check.sh it test_story`
 * runs it on the development stack (plain HTTP).
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

#define TAG "Story"

static const struct itest_li_app *li;
static struct itest_person admin, rec, hm, iv, admin2;
/* the recruiter's LinkedIn account: a Recruiter seat holder no other test
 * connects, and the member exported, made for this run */
static char *holder_id, *holder_name;
static char *member_id, *member_first, *member_last, *member_email;
static char *job_title, *job_ext_id, *inmail_subject;
static long long job_id, cand_id;
static bool story_ok = true; /* every step so far held */

/* ------------------------------------------------------------ helpers */

/* ------------------------------------------------------------ the story */

static void step1_the_admin_sets_up_linkedin(void)
{
	story_ok = false;
	if (!br_signin(&admin))
		return;
	br_submit("nav.sidenav a[href='/admin/linkedin']");
	if (!br_landed("/admin/linkedin", 5000))
		return;
	const char *f = "form[action='/admin/linkedin']";
	char css[200];
	br_tick("form[action='/admin/linkedin'] input[name=enabled]");
	const char *fields[][2] = {
	    {"client_id", li->client_id},
	    {"client_secret", li->client_secret},
	    {"organization_urn", li->organization},
	    {"contract_urn", li->contract},
	    {"ats_instance_name", "hirelink test"},
	};
	for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
		snprintf(css, sizeof(css), "%s input[name=%s]", f, fields[i][0]);
		br_type(css, fields[i][1]);
	}
	br_submit("form[action='/admin/linkedin'] button[type=submit]");
	CHECK(br_landed("/admin/linkedin", 5000) &&
		  br_page_has("The LinkedIn settings have been saved"),
	      "the admin is told the settings are saved");
	br_submit("form[action='/admin/linkedin/test'] button");
	char *ok = br_wait_for("p.test-ok", 10000);
	CHECK(ok != NULL, "Test connection succeeds against LinkedIn");
	free(ok);
	br_submit("form[action='/admin/linkedin/integrations'] "
	       "button[value=enable]");
	char *admin_page = br_url("/admin/linkedin");
	bool enabled = br_reload_until(admin_page, "Enabled", 15000);
	free(admin_page);
	char *state = br_eval_string(
	    "var e = document.querySelector('tr.integration-ONE_CLICK_EXPORT "
	    ".status'); return e ? e.textContent.trim() : '';");
	CHECK(enabled && !strcmp(state, "Enabled"),
	      "LinkedIn reports one-click export enabled: \"%s\"", state);
	free(state);
	br_shot("story-1-admin-linkedin");
	story_ok = ok && enabled;
}

static void step2_the_recruiter_connects_linkedin(void)
{
	if (!story_ok)
		return;
	story_ok = false;
	if (!br_signin(&rec))
		return;
	br_linkedin_as(NULL);
	br_go(br_url("/jobs"));
	br_submit("a.gear");
	if (!br_landed("/settings/user", 5000))
		return;
	br_submit("nav.tabs a[href*='tab=connections']");
	br_landed("tab=connections", 5000);
	br_shot("story-2a-connections");
	br_submit("a.linkedin-connect");
	/* LinkedIn's consent page: sign in as the recruiter's seat, Allow */
	char *consent = br_wait_for("form[action='/oauth/v2/authorization']", 8000);
	CHECK(consent != NULL, "LinkedIn's consent page opens");
	if (!consent)
		return;
	free(consent);
	br_choose("form[action='/oauth/v2/authorization'] select[name=member]",
	       holder_id);
	br_shot("story-2b-consent");
	br_submit("form[action='/oauth/v2/authorization'] button[value=allow]");
	bool back = br_landed("/settings/user", 10000);
	bool named = back && br_page_has(holder_name);
	CHECK(named, "back on Connections, connected as %s", holder_name);
	br_shot("story-2c-connected");
	story_ok = named;
}

static void step3_the_recruiter_opens_a_job(void)
{
	if (!story_ok)
		return;
	story_ok = false;
	br_go(br_url("/jobs"));
	br_click("details.new-job summary");
	br_type("form[action='/jobs'] input[name=title]", job_title);
	br_type("form[action='/jobs'] input[name=location]", "Leeds, England");
	br_type("form[action='/jobs'] textarea[name=description]",
	     "Builds the pipelines our recruiters live in.");
	br_submit("form[action='/jobs'] button[type=submit]");
	for (int t = 0; t < 50 && job_id <= 0; t++) {
		job_id = itest_sql_int("SELECT id FROM jobs WHERE title = '%s'",
				       job_title);
		usleep(100 * 1000);
	}
	CHECK(job_id > 0, "the job is made");
	if (job_id <= 0)
		return;
	char *path = itest_fmt("/jobs/%lld", job_id);
	br_landed(path, 5000);
	const struct {
		const struct itest_person *p;
		const char *role;
	} members[] = {{&hm, "hiring_manager"}, {&iv, "interviewer"}};
	for (size_t i = 0; i < ARRAY_LEN(members); i++) {
		br_type("form.add-member input[name=email]", members[i].p->email);
		br_choose("form.add-member select[name=role]", members[i].role);
		br_submit("form.add-member button[type=submit]");
		br_landed(path, 5000);
		CHECK(br_page_has(members[i].p->name), "%s is on the job",
		      members[i].p->name);
	}
	br_submit("form[action$='/activate'] button");
	br_landed(path, 5000);
	long long active = itest_sql_int(
	    "SELECT COUNT(*) FROM jobs WHERE id = %lld AND status = 'active'",
	    job_id);
	CHECK(active == 1, "the job is active");
	br_shot("story-3-job");
	free(path);
	story_ok = active == 1;
}

/* The job box's id of the job whose title it lists ("" when none): new. */
static char *listed_job_id(void)
{
	char *t = br_js_str(job_title);
	char *js = itest_fmt(
	    "for (var li of document.querySelectorAll('form.export ul.jobs "
	    "li')) if (li.textContent.indexOf(%s) >= 0) return "
	    "li.querySelector('input[name=job]').value; return '';",
	    t);
	char *id = br_eval_string(js);
	free(js);
	free(t);
	return id;
}

static void step4_export_from_recruiter(void)
{
	if (!story_ok)
		return;
	story_ok = false;
	br_linkedin_as(holder_id);
	char *profile = itest_fmt("/talent/profile/%s", member_id);
	br_go(br_sandbox(profile));
	CHECK(br_page_has(member_last), "the member's profile in Recruiter");
	/* Change ATS: this organization has two hirelink instances */
	char *change = br_wait_for("details.change-ats summary", 3000);
	CHECK(change != NULL, "Recruiter offers Change ATS");
	if (change) {
		wd_click(br_wd, change);
		char css[200];
		snprintf(css, sizeof(css), "details.change-ats a[data-ats='%s']",
			 li->client_id);
		br_submit(css);
		br_landed("ats=", 5000);
	}
	free(change);
	/* by title: the job reaches LinkedIn within seconds of activation */
	bool found = false;
	for (int t = 0; t < 30 && !found; t++) {
		br_type("form.job-search input[name=q]", job_title);
		br_submit("form.job-search button[type=submit]");
		br_landed("q=", 5000);
		free(job_ext_id);
		job_ext_id = listed_job_id();
		found = *job_ext_id != '\0';
		if (!found)
			usleep(500 * 1000);
	}
	CHECK(found, "the job is found by its title");
	if (!found) {
		free(profile);
		return;
	}
	br_shot("story-4a-found-by-title");
	/* by job id */
	br_type("form.job-search input[name=q]", job_ext_id);
	br_submit("form.job-search button[type=submit]");
	br_landed("q=", 5000);
	char *again = listed_job_id();
	CHECK(!strcmp(again, job_ext_id), "the job is found by its id %s",
	      job_ext_id);
	free(again);
	char css[300];
	snprintf(css, sizeof(css), "form.export input[name=job][value='%s']",
		 job_ext_id);
	br_click(css);
	br_submit("form.export button[value=export]");
	char *done = br_wait_for("p.export-result.notice", 8000);
	CHECK(done != NULL, "Recruiter says the export went");
	br_shot("story-4b-exported");
	story_ok = done != NULL;
	free(done);
	free(profile);
}

static void step5_prospect_and_the_linkedin_tab(void)
{
	if (!story_ok)
		return;
	story_ok = false;
	if (!br_signin(&rec))
		return;
	char *prospect = itest_fmt("%s/jobs/%lld?stage=prospect",
				   itest_base_url(), job_id);
	bool there = br_reload_until(prospect, member_last, 20000);
	CHECK(there, "%s %s is on the job's Prospect tab", member_first,
	      member_last);
	br_shot("story-5a-prospect");
	free(prospect);
	cand_id = itest_sql_int("SELECT id FROM candidates WHERE "
				"linkedin_member_id = '%s'",
				member_id);
	if (!there || cand_id <= 0)
		return;

	/* the recruiter, signed in to LinkedIn with a Recruiter seat */
	br_linkedin_as(holder_id);
	char *tab = itest_fmt("/candidates/%lld?tab=linkedin", cand_id);
	br_go(br_url(tab));
	char *frame = br_wait_for("iframe.IN-widget", 10000);
	CHECK(frame != NULL, "LinkedIn's widget is on the LinkedIn tab");
	bool full = false;
	if (frame && wd_frame(br_wd, frame) == 0) {
		char *e = br_wait_for("section.li-widget-full", 8000);
		full = e && br_page_has(member_last);
		free(e);
		wd_frame(br_wd, NULL);
	}
	CHECK(full, "the Recruiter seat sees the full profile");
	br_eval_true(itest_strdup("var e = document.querySelector("
			       "'iframe.IN-widget'); if (e) "
			       "e.scrollIntoView(); return true;"));
	br_shot("story-5b-linkedin-tab-recruiter");
	free(frame);

	/* the hiring manager, signed out of LinkedIn as the seed says */
	br_linkedin_as(NULL);
	bool basic = false;
	if (br_signin(&hm)) {
		br_go(br_url(tab));
		CHECK(br_page_has("sign out of LinkedIn"),
		      "the hiring manager is told to sign out of LinkedIn");
		frame = br_wait_for("iframe.IN-widget", 10000);
		if (frame && wd_frame(br_wd, frame) == 0) {
			char *e = br_wait_for("section.li-widget-basic", 8000);
			basic = e && br_page_has(member_last) &&
				!br_present("section.li-widget-full");
			free(e);
			wd_frame(br_wd, NULL);
		}
		free(frame);
	}
	CHECK(basic, "the hiring manager sees the basic profile only");
	br_shot("story-5c-linkedin-tab-manager");
	free(tab);
	story_ok = full && basic;
}

static void step6_inmail_reply_and_the_talent_pool(void)
{
	if (!story_ok)
		return;
	story_ok = false;
	if (!br_signin(&rec))
		return;
	br_linkedin_as(holder_id);
	char *tab = itest_fmt("/candidates/%lld?tab=linkedin", cand_id);
	br_go(br_url(tab));
	free(tab);
	char *frame = br_wait_for("iframe.IN-widget", 10000);
	bool sent = false;
	if (frame && wd_frame(br_wd, frame) == 0) {
		br_type("form.li-send-inmail input[name=subject]", inmail_subject);
		br_type("form.li-send-inmail textarea[name=body]",
		     "Would you talk to us about our pipelines team?");
		br_submit("form.li-send-inmail button[type=submit]");
		for (int t = 0; t < 50 && !sent; t++) {
			sent = br_page_has(inmail_subject);
			if (!sent)
				usleep(100 * 1000);
		}
		br_shot("story-6a-inmail-sent");
		wd_frame(br_wd, NULL);
	}
	free(frame);
	CHECK(sent, "the InMail is sent from the widget and listed there");
	if (!sent)
		return;

	/* the member reads it on LinkedIn and replies, sharing contact */
	br_linkedin_as(member_id);
	br_go(br_sandbox("/messaging/"));
	char *s = br_js_str(inmail_subject);
	bool opened = br_eval_true(itest_fmt(
	    "for (var a of document.querySelectorAll('a.conversation')) if "
	    "(a.textContent.indexOf(%s) >= 0) { a.click(); return true; } "
	    "return false;",
	    s));
	free(s);
	CHECK(opened, "the member finds the InMail");
	if (!opened)
		return;
	br_landed("/messaging/thread/", 5000);
	br_type("form.reply textarea[name=body]", "Happy to talk. Here is my email.");
	br_tick("form.reply input[name=shareContact]");
	br_tick("form.reply input[name=shareEmail]");
	br_submit("form.reply button[type=submit]");
	br_shot("story-6b-member-replies");

	/* hirelink: the stub lands in the LinkedIn talent pool */
	long long pool = itest_sql_int("SELECT id FROM talent_pools WHERE "
				       "kind = 'linkedin'");
	bool pooled = false;
	if (br_signin(&rec) && pool > 0) {
		char *p = itest_fmt("%s/pools/%lld", itest_base_url(), pool);
		pooled = br_reload_until(p, member_last, 30000);
		free(p);
	}
	CHECK(pooled, "the member is in the LinkedIn talent pool");
	br_shot("story-6c-talent-pool");
	story_ok = pooled;
}

static void step7_in_ats_shows_statuses_feedback_and_notes(void)
{
	if (!story_ok)
		return;
	long long app = itest_sql_int("SELECT id FROM applications WHERE "
				      "job_id = %lld AND candidate_id = %lld",
				      job_id, cand_id);
	CHECK(app > 0, "the candidate's application to the job");
	if (app <= 0 || !br_signin(&rec))
		return;
	char *path = itest_fmt("/applications/%lld", app);
	br_go(br_url(path));
	char move[200];
	snprintf(move, sizeof(move), "form[action='/applications/%lld/move']",
		 app);
	char sel[240], btn[240];
	snprintf(sel, sizeof(sel), "%s select[name=stage_id]", move);
	snprintf(btn, sizeof(btn), "%s button[type=submit]", move);
	br_choose(sel, "Screen");
	br_submit(btn);
	usleep(500 * 1000);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications a JOIN "
			    "job_stages s ON s.id = a.stage_id WHERE a.id = "
			    "%lld AND s.name = 'Screen'",
			    app) == 1,
	      "moved to Screen");

	/* interview feedback: every rating and recommendation the form asks
	 * for, and its text */
	br_go(br_url(path));
	CHECK(br_eval_true(itest_strdup(
		  "var f = document.querySelector('form.feedback-form');"
		  "if (!f) return false;"
		  "for (var s of f.querySelectorAll('select')) "
		  "s.value = s.options[s.options.length - 1].value;"
		  "for (var r of f.querySelectorAll('input[type=radio]')) "
		  "r.checked = true; return true;")),
	      "the feedback form is there");
	br_type("form.feedback-form textarea[name=body]",
	     "Clear thinker; knows queues well.");
	br_submit("form.feedback-form button[type=submit]");
	usleep(500 * 1000);

	/* a public note and a private one */
	char *cpath = itest_fmt("/candidates/%lld?tab=notes", cand_id);
	const char *notes[][2] = {{"Public story note: strong on Kafka.", "1"},
				  {"Private story note: salary too high?",
				   NULL}};
	for (size_t i = 0; i < ARRAY_LEN(notes); i++) {
		br_go(br_url(cpath));
		br_type("form.note-form textarea[name=body]", notes[i][0]);
		if (notes[i][1])
			br_tick("form.note-form input[name=public]");
		br_submit("form.note-form button[type=submit]");
		br_landed("tab=notes", 5000);
		CHECK(br_page_has(notes[i][0]), "the note is on the page");
	}
	br_shot("story-7a-candidate");

	/* LinkedIn's In ATS panel, as the recruiter seat sees it */
	br_linkedin_as(holder_id);
	char *profile = itest_fmt("%s/talent/profile/%s?ats=%s",
				  itest_sandbox_url(), member_id,
				  li->client_id);
	bool shown = br_reload_until(profile, "strong on Kafka", 20000) &&
		     br_reload_until(profile, "knows queues well", 10000);
	char *panel = br_eval_string(
	    "var e = document.getElementById('in-ats');"
	    "return e ? e.innerText : '';");
	CHECK(shown, "In ATS shows the feedback and the public note");
	CHECK(strstr(panel, "Jobs & Statuses") &&
		  strstr(panel, "Interview Feedback") &&
		  strstr(panel, "Notes"),
	      "In ATS has its three parts");
	CHECK(strstr(panel, job_title) && strstr(panel, "Screen"),
	      "Jobs & Statuses shows the job at Screen");
	CHECK(!strstr(panel, "salary too high"),
	      "the private note never reaches LinkedIn");
	br_eval_true(itest_strdup("var e = document.getElementById('in-ats');"
			       "if (e) e.scrollIntoView(); return true;"));
	br_shot("story-7b-in-ats");
	free(panel);
	free(profile);
	free(cpath);
	free(path);
}

/* ------------------------------------------------------------ set-up */

/* An admin of instance n enables or disables the integrations at
 * LinkedIn: 0 or -1. */
static int at_linkedin(int n, struct itest_person *p, const char *action)
{
	int was = itest_instance(n);
	int rc = -1;
	if (itest_as(p)) {
		struct itest_resp r =
		    itest_post(p->c, "/admin/linkedin/integrations", false,
			       p->csrf, "action", action, NULL);
		rc = r.status == 303 ? 0 : -1;
		CHECK(rc == 0, "instance %d: %s at LinkedIn: %ld", n, action,
		      r.status);
		itest_resp_free(&r);
	}
	itest_instance(was);
	return rc;
}

static int suite_init(void)
{
	li = itest_li_app();
	if (!li)
		return 1;
	int pid = (int)getpid();
	if (itest_person_add(&admin, "ada", TAG, "admin", "none") < 0 ||
	    itest_person_add(&rec, "rita", TAG, "recruiter", "recruiter") < 0 ||
	    itest_person_add(&hm, "hank", TAG, "hiring_manager",
			     "hiring_manager") < 0 ||
	    itest_person_add(&iv, "ivan", TAG, "interviewer", "none") < 0)
		return 1;
	/* the organization's second hirelink instance, for Change ATS */
	if (itest_li_enable_instance2(&admin2, "ada2", TAG) < 0 ||
	    at_linkedin(2, &admin2, "enable") < 0)
		return 1;

	/* a Recruiter seat holder no other test connects */
	struct itest_client *c = itest_client_new(NULL);
	char *u = br_sandbox("/sandbox/credentials");
	struct itest_resp r = itest_get(c, u, true);
	json_t *j = itest_json(&r);
	json_t *h = json_array_get(json_object_get(j, "recruiters"), 16);
	if (h) {
		holder_id = itest_strdup(itest_jstr(h, "id"));
		holder_name = itest_fmt("%s %s", itest_jstr(h, "firstName"),
					itest_jstr(h, "lastName"));
	}
	json_decref(j);
	itest_resp_free(&r);
	free(u);
	itest_client_free(c);
	if (!holder_id || !*holder_id)
		return 1;

	/* a member of LinkedIn's of this run's own */
	member_id = itest_fmt("st%d", pid);
	member_first = itest_strdup("Saoirse");
	member_last = itest_fmt("Quillfeather%c%c", 'a' + pid % 26,
				'a' + pid / 26 % 26);
	member_email = itest_fmt("saoirse.%d@example.test", pid);
	char *sq = itest_fmt("INSERT INTO members (id, urn_id, first_name, "
			     "last_name, headline, location, email, "
			     "vanity_name) VALUES (%d, '%s', '%s', '%s', "
			     "'Platform engineer', 'Leeds', '%s', '%s')",
			     910000000 + pid % 1000000, member_id,
			     member_first, member_last, member_email,
			     member_id);
	int rc = itest_sandbox_sql(sq);
	free(sq);
	if (rc)
		return 1;
	job_title = itest_fmt("Pipelines engineer %d", pid);
	inmail_subject = itest_fmt("Pipelines at hirelink %d", pid);
	br_wd = wd_start();
	return br_wd ? 0 : 1;
}

static int suite_clean(void)
{
	/* the stack as the other tests expect it: nothing enabled at
	 * LinkedIn */
	at_linkedin(2, &admin2, "disable");
	at_linkedin(1, &admin, "disable");
	wd_stop(br_wd);
	itest_person_free(&admin);
	itest_person_free(&rec);
	itest_person_free(&hm);
	itest_person_free(&iv);
	itest_person_free(&admin2);
	free(holder_id), free(holder_name);
	free(member_id), free(member_first), free(member_last);
	free(member_email), free(job_title), free(job_ext_id);
	free(inmail_subject);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(step1_the_admin_sets_up_linkedin),
	    TEST(step2_the_recruiter_connects_linkedin),
	    TEST(step3_the_recruiter_opens_a_job),
	    TEST(step4_export_from_recruiter),
	    TEST(step5_prospect_and_the_linkedin_tab),
	    TEST(step6_inmail_reply_and_the_talent_pool),
	    TEST(step7_in_ats_shows_statuses_feedback_and_notes),
	};
	static const struct suite suites[] = {
	    SUITE("story", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
