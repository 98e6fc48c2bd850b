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
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"
#include "webdriver.h"

#define TAG "Story"

static struct wd *wd;
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

static char *url(const char *path)
{
	return itest_fmt("%s%s", itest_base_url(), path);
}

static char *sandbox(const char *path)
{
	return itest_fmt("%s%s", itest_sandbox_url(), path);
}

static void go(char *u /* freed */)
{
	CHECK(wd_go(wd, u) == 0, "the browser opens %s", u);
	free(u);
}

/* s as a JavaScript string literal; new. */
static char *js_str(const char *s)
{
	json_t *v = json_string(s);
	char *out = json_dumps(v, JSON_ENCODE_ANY);
	json_decref(v);
	return out ? out : itest_strdup("''");
}

static bool eval_true(char *script /* freed */)
{
	json_t *v = wd_eval(wd, script);
	bool ok = json_is_true(v);
	json_decref(v);
	free(script);
	return ok;
}

static char *eval_string(const char *script)
{
	json_t *v = wd_eval(wd, script);
	char *s = itest_strdup(json_is_string(v) ? json_string_value(v) : "");
	json_decref(v);
	return s;
}

/* The visible text of the page (or the frame the browser is in); new. */
static char *page_text(void)
{
	return eval_string("return document.body ? document.body.innerText "
			   ": '';");
}

static bool page_has(const char *needle)
{
	char *t = page_text();
	bool ok = strstr(t, needle) != NULL;
	free(t);
	return ok;
}

/* Waits up to ms for an element matching css: its id (new), or NULL. */
static char *wait_for(const char *css, int ms)
{
	for (int t = 0; t <= ms; t += 100) {
		char *e = wd_find(wd, css);
		if (e)
			return e;
		usleep(100 * 1000);
	}
	return NULL;
}

static bool present(const char *css)
{
	char *e = wd_find(wd, css);
	free(e);
	return e != NULL;
}

/* Clicks the element matching css, as a user does: false when none. */
static bool click(const char *css)
{
	char *e = wait_for(css, 3000);
	bool ok = e && wd_click(wd, e) == 0;
	CHECK(ok, "click %s", css);
	free(e);
	return ok;
}

/* Clicks the element matching css and waits for the next page to load
 * (the old document gone, the new one complete): false when it did not. */
static bool submit(const char *css)
{
	eval_true(itest_strdup("window.__story_old = true; return true;"));
	if (!click(css))
		return false;
	for (int t = 0; t < 150; t++) {
		json_t *v = wd_eval(wd, "return window.__story_old === undefined "
					"&& document.readyState === 'complete';");
		bool fresh = json_is_true(v);
		json_decref(v);
		if (fresh)
			return true;
		usleep(100 * 1000);
	}
	CHECK(false, "a new page after clicking %s", css);
	return false;
}

/* Types text into the (emptied) field matching css. */
static bool type(const char *css, const char *text)
{
	char *e = wait_for(css, 3000);
	char *q = js_str(css);
	bool ok = e &&
		  eval_true(itest_fmt("var e = document.querySelector(%s); "
				      "e.value = ''; return true;",
				      q)) &&
		  wd_type(wd, e, text) == 0;
	CHECK(ok, "type into %s", css);
	free(q);
	free(e);
	return ok;
}

/* Chooses the option whose value (or, failing that, text) is choice in
 * the select matching css. */
static bool choose(const char *css, const char *choice)
{
	char *q = js_str(css), *v = js_str(choice);
	bool ok = eval_true(itest_fmt(
	    "var s = document.querySelector(%s); if (!s) return false;"
	    "for (var o of s.options) if (o.value === %s || "
	    "o.text.trim() === %s) { s.value = o.value; return true; }"
	    "return false;",
	    q, v, v));
	CHECK(ok, "choose %s in %s", choice, css);
	free(q);
	free(v);
	return ok;
}

static void tick(const char *css)
{
	char *q = js_str(css);
	CHECK(eval_true(itest_fmt("var e = document.querySelector(%s);"
				  "if (!e) return false; e.checked = true;"
				  "return true;",
				  q)),
	      "tick %s", css);
	free(q);
}

/* Waits up to ms for the current URL to hold part (after a click). */
static bool landed(const char *part, int ms)
{
	bool ok = wd_wait_url(wd, part, ms);
	if (!ok) {
		char *u = wd_url(wd);
		CHECK(ok, "the browser reached %s (it is at %s)", part,
		      u ? u : "?");
		free(u);
	}
	return ok;
}

static void shot(const char *name)
{
	char path[512];
	const char *dir = getenv("HIRELINK_TEST_LOGS");
	snprintf(path, sizeof(path), "%s/story-%s.png", dir ? dir : "/tmp",
		 name);
	wd_screenshot(wd, path);
}

/* Reloads the page until its text holds needle, up to ms: found? */
static bool reload_until(const char *page, const char *needle, int ms)
{
	for (int t = 0; t <= ms; t += 500) {
		go(itest_strdup(page));
		if (page_has(needle))
			return true;
		usleep(500 * 1000);
	}
	return false;
}

/* Signs the browser in to hirelink as p through the sign-in form (signing
 * out whoever was in first). */
static bool hirelink_signin(const struct itest_person *p)
{
	go(url("/login"));
	if (present("form[action='/logout'] button"))
		submit("form[action='/logout'] button");
	type("form[action='/login'] input[name=email]", p->email);
	type("form[action='/login'] input[name=password]", p->password);
	submit("form[action='/login'] button[type=submit]");
	bool ok = landed("/jobs", 5000);
	CHECK(ok, "signed in to hirelink as %s", p->email);
	return ok;
}

/* Signs the browser in to LinkedIn (the sandbox) as member, or out when
 * member is NULL. */
static void linkedin_as(const char *member)
{
	/* LinkedIn's sign-in page offers Sign out to whoever is in */
	go(sandbox("/login?next=/"));
	if (present("form[action='/logout'] button"))
		submit("form[action='/logout'] button");
	if (!member)
		return;
	/* ?member= offers a member without a seat too */
	go(itest_fmt("%s/login?next=/&member=%s", itest_sandbox_url(), member));
	choose("form[action='/login'] select[name=member]", member);
	submit("form[action='/login'] button[type=submit]");
	for (int t = 0; t < 50; t++) {
		char *u = wd_url(wd);
		bool done = u && !strstr(u, "/login");
		free(u);
		if (done)
			break;
		usleep(100 * 1000);
	}
}

/* ------------------------------------------------------------ the story */

static void step1_the_admin_sets_up_linkedin(void)
{
	story_ok = false;
	if (!hirelink_signin(&admin))
		return;
	submit("nav.sidenav a[href='/admin/linkedin']");
	if (!landed("/admin/linkedin", 5000))
		return;
	const char *f = "form[action='/admin/linkedin']";
	char css[200];
	tick("form[action='/admin/linkedin'] input[name=enabled]");
	const char *fields[][2] = {
	    {"client_id", li->client_id},
	    {"client_secret", li->client_secret},
	    {"organization_urn", li->organization},
	    {"contract_urn", li->contract},
	    {"ats_instance_name", "hirelink test"},
	};
	for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
		snprintf(css, sizeof(css), "%s input[name=%s]", f, fields[i][0]);
		type(css, fields[i][1]);
	}
	submit("form[action='/admin/linkedin'] button[type=submit]");
	CHECK(landed("/admin/linkedin", 5000) &&
		  page_has("The LinkedIn settings have been saved"),
	      "the admin is told the settings are saved");
	submit("form[action='/admin/linkedin/test'] button");
	char *ok = wait_for("p.test-ok", 10000);
	CHECK(ok != NULL, "Test connection succeeds against LinkedIn");
	free(ok);
	submit("form[action='/admin/linkedin/integrations'] "
	       "button[value=enable]");
	char *admin_page = url("/admin/linkedin");
	bool enabled = reload_until(admin_page, "Enabled", 15000);
	free(admin_page);
	char *state = eval_string(
	    "var e = document.querySelector('tr.integration-ONE_CLICK_EXPORT "
	    ".status'); return e ? e.textContent.trim() : '';");
	CHECK(enabled && !strcmp(state, "Enabled"),
	      "LinkedIn reports one-click export enabled: \"%s\"", state);
	free(state);
	shot("1-admin-linkedin");
	story_ok = ok && enabled;
}

static void step2_the_recruiter_connects_linkedin(void)
{
	if (!story_ok)
		return;
	story_ok = false;
	if (!hirelink_signin(&rec))
		return;
	linkedin_as(NULL);
	go(url("/jobs"));
	submit("a.gear");
	if (!landed("/settings/user", 5000))
		return;
	submit("nav.tabs a[href*='tab=connections']");
	landed("tab=connections", 5000);
	shot("2a-connections");
	submit("a.linkedin-connect");
	/* LinkedIn's consent page: sign in as the recruiter's seat, Allow */
	char *consent = wait_for("form[action='/oauth/v2/authorization']", 8000);
	CHECK(consent != NULL, "LinkedIn's consent page opens");
	if (!consent)
		return;
	free(consent);
	choose("form[action='/oauth/v2/authorization'] select[name=member]",
	       holder_id);
	shot("2b-consent");
	submit("form[action='/oauth/v2/authorization'] button[value=allow]");
	bool back = landed("/settings/user", 10000);
	bool named = back && page_has(holder_name);
	CHECK(named, "back on Connections, connected as %s", holder_name);
	shot("2c-connected");
	story_ok = named;
}

static void step3_the_recruiter_opens_a_job(void)
{
	if (!story_ok)
		return;
	story_ok = false;
	go(url("/jobs"));
	click("details.new-job summary");
	type("form[action='/jobs'] input[name=title]", job_title);
	type("form[action='/jobs'] input[name=location]", "Leeds, England");
	type("form[action='/jobs'] textarea[name=description]",
	     "Builds the pipelines our recruiters live in.");
	submit("form[action='/jobs'] button[type=submit]");
	for (int t = 0; t < 50 && job_id <= 0; t++) {
		job_id = itest_sql_int("SELECT id FROM jobs WHERE title = '%s'",
				       job_title);
		usleep(100 * 1000);
	}
	CHECK(job_id > 0, "the job is made");
	if (job_id <= 0)
		return;
	char *path = itest_fmt("/jobs/%lld", job_id);
	landed(path, 5000);
	const struct {
		const struct itest_person *p;
		const char *role;
	} members[] = {{&hm, "hiring_manager"}, {&iv, "interviewer"}};
	for (size_t i = 0; i < ARRAY_LEN(members); i++) {
		type("form.add-member input[name=email]", members[i].p->email);
		choose("form.add-member select[name=role]", members[i].role);
		submit("form.add-member button[type=submit]");
		landed(path, 5000);
		CHECK(page_has(members[i].p->name), "%s is on the job",
		      members[i].p->name);
	}
	submit("form[action$='/activate'] button");
	landed(path, 5000);
	long long active = itest_sql_int(
	    "SELECT COUNT(*) FROM jobs WHERE id = %lld AND status = 'active'",
	    job_id);
	CHECK(active == 1, "the job is active");
	shot("3-job");
	free(path);
	story_ok = active == 1;
}

/* The job box's id of the job whose title it lists ("" when none): new. */
static char *listed_job_id(void)
{
	char *t = js_str(job_title);
	char *js = itest_fmt(
	    "for (var li of document.querySelectorAll('form.export ul.jobs "
	    "li')) if (li.textContent.indexOf(%s) >= 0) return "
	    "li.querySelector('input[name=job]').value; return '';",
	    t);
	char *id = eval_string(js);
	free(js);
	free(t);
	return id;
}

static void step4_export_from_recruiter(void)
{
	if (!story_ok)
		return;
	story_ok = false;
	linkedin_as(holder_id);
	char *profile = itest_fmt("/talent/profile/%s", member_id);
	go(sandbox(profile));
	CHECK(page_has(member_last), "the member's profile in Recruiter");
	/* Change ATS: this organization has two hirelink instances */
	char *change = wait_for("details.change-ats summary", 3000);
	CHECK(change != NULL, "Recruiter offers Change ATS");
	if (change) {
		wd_click(wd, change);
		char css[200];
		snprintf(css, sizeof(css), "details.change-ats a[data-ats='%s']",
			 li->client_id);
		submit(css);
		landed("ats=", 5000);
	}
	free(change);
	/* by title: the job reaches LinkedIn within seconds of activation */
	bool found = false;
	for (int t = 0; t < 30 && !found; t++) {
		type("form.job-search input[name=q]", job_title);
		submit("form.job-search button[type=submit]");
		landed("q=", 5000);
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
	shot("4a-found-by-title");
	/* by job id */
	type("form.job-search input[name=q]", job_ext_id);
	submit("form.job-search button[type=submit]");
	landed("q=", 5000);
	char *again = listed_job_id();
	CHECK(!strcmp(again, job_ext_id), "the job is found by its id %s",
	      job_ext_id);
	free(again);
	char css[300];
	snprintf(css, sizeof(css), "form.export input[name=job][value='%s']",
		 job_ext_id);
	click(css);
	submit("form.export button[value=export]");
	char *done = wait_for("p.export-result.notice", 8000);
	CHECK(done != NULL, "Recruiter says the export went");
	shot("4b-exported");
	story_ok = done != NULL;
	free(done);
	free(profile);
}

static void step5_prospect_and_the_linkedin_tab(void)
{
	if (!story_ok)
		return;
	story_ok = false;
	if (!hirelink_signin(&rec))
		return;
	char *prospect = itest_fmt("%s/jobs/%lld?stage=prospect",
				   itest_base_url(), job_id);
	bool there = reload_until(prospect, member_last, 20000);
	CHECK(there, "%s %s is on the job's Prospect tab", member_first,
	      member_last);
	shot("5a-prospect");
	free(prospect);
	cand_id = itest_sql_int("SELECT id FROM candidates WHERE "
				"linkedin_member_id = '%s'",
				member_id);
	if (!there || cand_id <= 0)
		return;

	/* the recruiter, signed in to LinkedIn with a Recruiter seat */
	linkedin_as(holder_id);
	char *tab = itest_fmt("/candidates/%lld?tab=linkedin", cand_id);
	go(url(tab));
	char *frame = wait_for("iframe.IN-widget", 10000);
	CHECK(frame != NULL, "LinkedIn's widget is on the LinkedIn tab");
	bool full = false;
	if (frame && wd_frame(wd, frame) == 0) {
		char *e = wait_for("section.li-widget-full", 8000);
		full = e && page_has(member_last);
		free(e);
		wd_frame(wd, NULL);
	}
	CHECK(full, "the Recruiter seat sees the full profile");
	eval_true(itest_strdup("var e = document.querySelector("
			       "'iframe.IN-widget'); if (e) "
			       "e.scrollIntoView(); return true;"));
	shot("5b-linkedin-tab-recruiter");
	free(frame);

	/* the hiring manager, signed out of LinkedIn as the seed says */
	linkedin_as(NULL);
	bool basic = false;
	if (hirelink_signin(&hm)) {
		go(url(tab));
		CHECK(page_has("sign out of LinkedIn"),
		      "the hiring manager is told to sign out of LinkedIn");
		frame = wait_for("iframe.IN-widget", 10000);
		if (frame && wd_frame(wd, frame) == 0) {
			char *e = wait_for("section.li-widget-basic", 8000);
			basic = e && page_has(member_last) &&
				!present("section.li-widget-full");
			free(e);
			wd_frame(wd, NULL);
		}
		free(frame);
	}
	CHECK(basic, "the hiring manager sees the basic profile only");
	shot("5c-linkedin-tab-manager");
	free(tab);
	story_ok = full && basic;
}

static void step6_inmail_reply_and_the_talent_pool(void)
{
	if (!story_ok)
		return;
	story_ok = false;
	if (!hirelink_signin(&rec))
		return;
	linkedin_as(holder_id);
	char *tab = itest_fmt("/candidates/%lld?tab=linkedin", cand_id);
	go(url(tab));
	free(tab);
	char *frame = wait_for("iframe.IN-widget", 10000);
	bool sent = false;
	if (frame && wd_frame(wd, frame) == 0) {
		type("form.li-send-inmail input[name=subject]", inmail_subject);
		type("form.li-send-inmail textarea[name=body]",
		     "Would you talk to us about our pipelines team?");
		submit("form.li-send-inmail button[type=submit]");
		for (int t = 0; t < 50 && !sent; t++) {
			sent = page_has(inmail_subject);
			if (!sent)
				usleep(100 * 1000);
		}
		shot("6a-inmail-sent");
		wd_frame(wd, NULL);
	}
	free(frame);
	CHECK(sent, "the InMail is sent from the widget and listed there");
	if (!sent)
		return;

	/* the member reads it on LinkedIn and replies, sharing contact */
	linkedin_as(member_id);
	go(sandbox("/messaging/"));
	char *s = js_str(inmail_subject);
	bool opened = eval_true(itest_fmt(
	    "for (var a of document.querySelectorAll('a.conversation')) if "
	    "(a.textContent.indexOf(%s) >= 0) { a.click(); return true; } "
	    "return false;",
	    s));
	free(s);
	CHECK(opened, "the member finds the InMail");
	if (!opened)
		return;
	landed("/messaging/thread/", 5000);
	type("form.reply textarea[name=body]", "Happy to talk. Here is my email.");
	tick("form.reply input[name=shareContact]");
	tick("form.reply input[name=shareEmail]");
	submit("form.reply button[type=submit]");
	shot("6b-member-replies");

	/* hirelink: the stub lands in the LinkedIn talent pool */
	long long pool = itest_sql_int("SELECT id FROM talent_pools WHERE "
				       "kind = 'linkedin'");
	bool pooled = false;
	if (hirelink_signin(&rec) && pool > 0) {
		char *p = itest_fmt("%s/pools/%lld", itest_base_url(), pool);
		pooled = reload_until(p, member_last, 30000);
		free(p);
	}
	CHECK(pooled, "the member is in the LinkedIn talent pool");
	shot("6c-talent-pool");
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
	if (app <= 0 || !hirelink_signin(&rec))
		return;
	char *path = itest_fmt("/applications/%lld", app);
	go(url(path));
	char move[200];
	snprintf(move, sizeof(move), "form[action='/applications/%lld/move']",
		 app);
	char sel[240], btn[240];
	snprintf(sel, sizeof(sel), "%s select[name=stage_id]", move);
	snprintf(btn, sizeof(btn), "%s button[type=submit]", move);
	choose(sel, "Screen");
	submit(btn);
	usleep(500 * 1000);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications a JOIN "
			    "job_stages s ON s.id = a.stage_id WHERE a.id = "
			    "%lld AND s.name = 'Screen'",
			    app) == 1,
	      "moved to Screen");

	/* interview feedback: every rating and recommendation the form asks
	 * for, and its text */
	go(url(path));
	CHECK(eval_true(itest_strdup(
		  "var f = document.querySelector('form.feedback-form');"
		  "if (!f) return false;"
		  "for (var s of f.querySelectorAll('select')) "
		  "s.value = s.options[s.options.length - 1].value;"
		  "for (var r of f.querySelectorAll('input[type=radio]')) "
		  "r.checked = true; return true;")),
	      "the feedback form is there");
	type("form.feedback-form textarea[name=body]",
	     "Clear thinker; knows queues well.");
	submit("form.feedback-form button[type=submit]");
	usleep(500 * 1000);

	/* a public note and a private one */
	char *cpath = itest_fmt("/candidates/%lld?tab=notes", cand_id);
	const char *notes[][2] = {{"Public story note: strong on Kafka.", "1"},
				  {"Private story note: salary too high?",
				   NULL}};
	for (size_t i = 0; i < ARRAY_LEN(notes); i++) {
		go(url(cpath));
		type("form.note-form textarea[name=body]", notes[i][0]);
		if (notes[i][1])
			tick("form.note-form input[name=public]");
		submit("form.note-form button[type=submit]");
		landed("tab=notes", 5000);
		CHECK(page_has(notes[i][0]), "the note is on the page");
	}
	shot("7a-candidate");

	/* LinkedIn's In ATS panel, as the recruiter seat sees it */
	linkedin_as(holder_id);
	char *profile = itest_fmt("%s/talent/profile/%s?ats=%s",
				  itest_sandbox_url(), member_id,
				  li->client_id);
	bool shown = reload_until(profile, "strong on Kafka", 20000) &&
		     reload_until(profile, "knows queues well", 10000);
	char *panel = eval_string(
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
	eval_true(itest_strdup("var e = document.getElementById('in-ats');"
			       "if (e) e.scrollIntoView(); return true;"));
	shot("7b-in-ats");
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
	char *u = sandbox("/sandbox/credentials");
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
	wd = wd_start();
	return wd ? 0 : 1;
}

static int suite_clean(void)
{
	/* the stack as the other tests expect it: nothing enabled at
	 * LinkedIn */
	at_linkedin(2, &admin2, "disable");
	at_linkedin(1, &admin, "disable");
	wd_stop(wd);
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
