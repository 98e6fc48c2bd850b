/*
 * test_linkedin_widget.c - the candidate's LinkedIn tab in a real browser
 * (headless Chromium through chromedriver) on the real stack: LinkedIn's
 * loader from the platform turns the widget tag into an iframe under
 * hirelink's CSP; a member with a Recruiter seat signed in to LinkedIn
 * (the sandbox) sees the full profile in it; Unlink pressed inside the
 * widget reaches hirelink through the page's callback; the callback for
 * Link does too.  Then the tab as an admin, a recruiter and a hiring
 * manager at 1366 and 375 pixels wide, each without a horizontal scroll,
 * with screenshots in the test log folder for a human to look at.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"
#include "browse.h"

#define TAG "LiWidget"

static const struct itest_li_app *li;
static struct itest_person admin, rec, hm;
static char *member; /* the crafted phone_only member's id */
static long long cand;
/* a member of the sandbox's with an email, and a candidate with its email
 * and id (as an export leaves it): rule 1, matched, not linked by a user */
static char *m2_id, *m2_first, *m2_last, *m2_email;
static long long cand2;

/* Signs the browser in to hirelink as p through the form. */
static void hirelink_signin(const struct itest_person *p)
{
	br_signin(p);
	/* each role's home: a hiring manager's is Needs review */
	CHECK(wd_wait_url(br_wd, p == &hm ? "/review" : "/jobs", 5000),
	      "signed in to hirelink as %s", p->email);
}

static void hirelink_signout(void)
{
	br_eval_true(itest_strdup(
	    "var f = document.querySelector(\"form[action='/logout']\");"
	    "if (f) f.submit(); return true;"));
	wd_wait_url(br_wd, "/login", 3000);
}

static long long linked(void)
{
	return itest_sql_int("SELECT COUNT(*) FROM candidates WHERE id = %lld "
			     "AND linkedin_member_id = '%s'",
			     cand, member);
}

static bool wait_linked(bool want, int ms)
{
	for (int t = 0; t <= ms; t += 100) {
		if ((linked() == 1) == want)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

static char *tab_url(void)
{
	char *p = itest_fmt("/candidates/%lld?tab=linkedin", cand);
	char *u = br_url(p);
	free(p);
	return u;
}

/* ------------------------------------------------------------ tests */

static void the_widget_shows_the_full_profile_to_a_recruiter_seat(void)
{
	hirelink_signin(&rec);
	/* signed in to LinkedIn (the sandbox) as the Recruiter seat holder */
	br_linkedin_as(li->recruiter.id);

	char *u = tab_url();
	br_go(u);
	char *frame = br_wait_for("iframe.IN-widget", 8000);
	CHECK(frame != NULL, "LinkedIn's loader made the widget's iframe");
	if (!frame)
		return;
	char *src = br_eval_string(
	    "return document.querySelector('iframe.IN-widget').src;");
	char *want = itest_fmt("%s/recruiter/widget/hcm?", itest_sandbox_url());
	CHECK(src && !strncmp(src, want, strlen(want)),
	      "the iframe is LinkedIn's widget page: %s", src ? src : "-");
	char *m = itest_fmt("member=urn%%3Ali%%3Aperson%%3A%s", member);
	CHECK(src && strstr(src, m), "for the linked member");
	free(m);
	free(want);
	free(src);
	CHECK(wd_frame(br_wd, frame) == 0, "into the widget");
	char *full = br_wait_for("section.li-widget-full", 5000);
	CHECK(full != NULL, "a Recruiter seat sees the full profile");
	char *name =
	    br_eval_string("var e = document.querySelector('.li-name');"
			   "return e ? e.textContent : '';");
	CHECK(name && strstr(name, "Thorncastle"), "of the member: %s",
	      name ? name : "-");
	free(name);
	free(full);
	wd_frame(br_wd, NULL);
	br_shot("linkedin-widget-recruiter-1280");
	free(frame);
}

static void unlink_inside_the_widget_reaches_hirelink(void)
{
	char *frame = br_wait_for("iframe.IN-widget", 5000);
	CHECK(frame != NULL, "the widget is there");
	if (!frame)
		return;
	CHECK(wd_frame(br_wd, frame) == 0, "into the widget");
	char *b = br_wait_for("button[data-li-action=unlink]", 5000);
	CHECK(b != NULL, "the widget offers Unlink");
	if (b)
		CHECK(wd_click(br_wd, b) == 0, "Unlink pressed in the widget");
	free(b);
	wd_frame(br_wd, NULL);
	CHECK(wait_linked(false, 8000),
	      "the widget's Unlink reached hirelink: unlinked");
	/* the page reloaded itself: no widget, the matching rules again */
	bool reloaded = false;
	for (int t = 0; t < 80 && !reloaded; t++) {
		reloaded = br_eval_true(itest_strdup(
		    "var t = document.querySelector('[data-li-state]');"
		    "return !!t && t.getAttribute('data-li-state') !== "
		    "'linked' && "
		    "!document.querySelector('iframe.IN-widget');"));
		if (!reloaded)
			usleep(100 * 1000);
	}
	CHECK(reloaded, "the tab shows the candidate unlinked");
	usleep(1500 * 1000); /* LinkedIn's possible members, once asked */
	char *u = tab_url();
	br_go(u);
	br_shot("linkedin-tab-unlinked-1280");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'candidate.linkedin_unlink' AND entity_id = %lld",
			    cand) == 1,
	      "audited");
	free(frame);
}

static void the_link_callback_reaches_hirelink(void)
{
	/* what LinkedIn's loader calls when Link is pressed in a widget */
	char *js = itest_fmt("if (typeof window.hirelinkLiLink !== "
			     "'function') return false;"
			     "window.hirelinkLiLink('urn:li:person:%s');"
			     "return true;",
			     member);
	CHECK(br_eval_true(js), "the page defines the Link callback");
	CHECK(wait_linked(true, 8000), "Link through the callback reached "
				       "hirelink");
	char *frame = br_wait_for("iframe.IN-widget", 8000);
	CHECK(frame != NULL, "the tab shows the widget again");
	free(frame);
	/* a refusal is shown, not swallowed */
	char *js2 = itest_fmt("window.hirelinkLiUnlink('urn:li:person:%s');"
			      "return true;",
			      "someoneElse1");
	br_eval_true(js2);
	bool said = false;
	for (int t = 0; t < 50 && !said; t++) {
		char *msg = br_eval_string(
		    "var e = document.querySelector('.li-callback-error');"
		    "return e && !e.hidden ? e.textContent : '';");
		said = msg && strstr(msg, "another LinkedIn member");
		free(msg);
		if (!said)
			usleep(100 * 1000);
	}
	CHECK(said, "the callback shows hirelink's 409");
	CHECK(linked() == 1, "and nothing changed");
}

/* ---- rule 1 in the widget: Link, then Unlink, both pressed inside the
 * widget's iframe; each survives a reload and reaches LinkedIn */

static char *tab2_url(void)
{
	char *p = itest_fmt("/candidates/%lld?tab=linkedin", cand2);
	char *u = br_url(p);
	free(p);
	return u;
}

/* cand2's member id is m2_id (want) or NULL (!want), linked by a user
 * (manual) or not; waits up to ms. */
static bool wait_cand2(bool want, bool manual, int ms)
{
	for (int t = 0; t <= ms; t += 100) {
		long long n = itest_sql_int(
		    "SELECT COUNT(*) FROM candidates k LEFT JOIN "
		    "linkedin_candidates lc ON lc.candidate_id = k.id WHERE "
		    "k.id = %lld AND %s AND COALESCE(lc.link_manual, 0) = %d",
		    cand2,
		    want ? "k.linkedin_member_id IS NOT NULL"
			 : "k.linkedin_member_id IS NULL",
		    manual ? 1 : 0);
		if (n == 1 && (!want || itest_sql_int(
					    "SELECT COUNT(*) FROM candidates "
					    "WHERE id = %lld AND "
					    "linkedin_member_id = '%s'",
					    cand2, m2_id) == 1))
			return true;
		usleep(100 * 1000);
	}
	return false;
}

/* LinkedIn's (the sandbox's) manualMatchedMember of ats_id: new, "" when
 * none or no record. */
static char *sandbox_manual(const char *ats_id)
{
	struct itest_client *c = itest_client_new(NULL);
	char *u = itest_fmt("%s/sandbox/atsCandidates?clientId=%s"
			    "&atsCandidateId=%s",
			    itest_sandbox_url(), li->client_id, ats_id);
	struct itest_resp r = itest_get(c, u, true);
	json_t *j = r.status == 200 ? itest_json(&r) : NULL;
	json_t *e = json_array_get(json_object_get(j, "elements"), 0);
	const char *m =
	    json_string_value(json_object_get(e, "manualMatchedMember"));
	char *out = itest_strdup(m ? m : "");
	json_decref(j);
	itest_resp_free(&r);
	free(u);
	itest_client_free(c);
	return out;
}

static bool sandbox_holds(const char *ats_id, const char *want, int ms)
{
	for (int t = 0; t <= ms; t += 200) {
		char *m = sandbox_manual(ats_id);
		bool ok = !strcmp(m, want);
		free(m);
		if (ok)
			return true;
		usleep(200 * 1000);
	}
	return false;
}

/* The tab's state once the page settled (it reloads itself while
 * LinkedIn has not answered): new, "" none. */
static char *tab_state(void)
{
	char *s =
	    br_eval_string("var t = document.querySelector('[data-li-state]');"
			   "return t ? t.getAttribute('data-li-state') : '';");
	return s ? s : itest_strdup("");
}

/* Opens cand2's tab until its state is want (up to ms): true when so. */
static bool open_tab2(const char *want, int ms)
{
	char *u = tab2_url();
	br_go(u);
	for (int t = 0; t <= ms; t += 250) {
		char *s = tab_state();
		bool ok = !strcmp(s, want);
		free(s);
		if (ok)
			return true;
		usleep(250 * 1000);
	}
	return false;
}

/* Presses the widget's button for action; the widget's iframe src in
 * *src (new) when asked. */
static bool press_in_widget(const char *action, char **src)
{
	char *frame = br_wait_for("iframe.IN-widget", 8000);
	if (!frame)
		return false;
	if (src)
		*src = br_eval_string(
		    "return document.querySelector('iframe.IN-widget').src;");
	bool ok = wd_frame(br_wd, frame) == 0;
	char *css = itest_fmt("button[data-li-action=%s]", action);
	char *b = ok ? br_wait_for(css, 5000) : NULL;
	ok = b && wd_click(br_wd, b) == 0;
	free(css);
	free(b);
	wd_frame(br_wd, NULL);
	free(frame);
	return ok;
}

static void link_then_unlink_inside_the_widget_persist_and_reach_linkedin(void)
{
	hirelink_signout();
	hirelink_signin(&rec);
	/* rule 1: the email and the member id match LinkedIn's member */
	CHECK(open_tab2("matched", 15000),
	      "the tab shows rule 1 (email and member id match)");
	char *src = NULL;
	char *frame = br_wait_for("iframe.IN-widget", 8000);
	if (frame && wd_frame(br_wd, frame) == 0) {
		char *ub = br_wait_for("button[data-li-action=unlink]", 5000);
		CHECK(ub != NULL, "rule 1's widget offers Unlink too");
		free(ub);
		wd_frame(br_wd, NULL);
	}
	free(frame);
	CHECK(press_in_widget("link", &src),
	      "the widget offers Link for the matched member, pressed");
	CHECK(src && strstr(src, "memberSource=match"),
	      "the widget was told the member is a match: %s",
	      src ? src : "-");
	char *ats_id = NULL;
	if (src) {
		const char *p = strstr(src, "atsCandidateId=");
		if (p) {
			p += strlen("atsCandidateId=");
			ats_id = itest_strdup(p);
			ats_id[strcspn(ats_id, "&")] = '\0';
		}
	}
	free(src);
	CHECK(ats_id && *ats_id, "the widget names the atsCandidateId");
	if (!ats_id)
		return;
	CHECK(wait_cand2(true, true, 8000),
	      "Link pressed in the widget reached hirelink: linked by a user");
	char *urn = itest_fmt("urn:li:person:%s", m2_id);
	CHECK(sandbox_holds(ats_id, urn, 10000),
	      "LinkedIn holds the member as manualMatchedMember");
	/* a reload: still linked, and the widget offers Unlink now */
	CHECK(open_tab2("linked", 8000), "linked after a reload");
	char *src2 = NULL;
	CHECK(press_in_widget("unlink", &src2),
	      "the linked member's widget offers Unlink, pressed");
	CHECK(src2 && !strstr(src2, "memberSource=match"),
	      "the linked member is not a mere match any more");
	free(src2);
	CHECK(wait_cand2(false, false, 8000),
	      "Unlink pressed in the widget reached hirelink: unlinked");
	CHECK(sandbox_holds(ats_id, "", 10000),
	      "LinkedIn holds no manualMatchedMember any more");
	/* a reload: still unlinked, no widget */
	char *u = tab2_url();
	br_go(u);
	usleep(500 * 1000);
	char *s = tab_state();
	CHECK(strcmp(s, "linked") && strcmp(s, "matched") &&
		  !wd_find(br_wd, "iframe.IN-widget"),
	      "unlinked after a reload (state %s)", s);
	free(s);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE entity_id = "
			    "%lld AND action IN ('candidate.linkedin_link', "
			    "'candidate.linkedin_unlink')",
			    cand2) == 2,
	      "both audited");
	free(urn);
	free(ats_id);
}

/* The tab as role p at width w: no horizontal scroll; a screenshot. */
static void look(const struct itest_person *p, const char *who, int w)
{
	CHECK(wd_window_size(br_wd, w, 900) == 0, "window %d px", w);
	char *u = tab_url();
	br_go(u);
	char *tab = br_wait_for("[data-li-state]", 5000);
	CHECK(tab != NULL, "%s sees the tab at %d px", who, w);
	free(tab);
	usleep(800 * 1000); /* the widget's iframe sizes itself */
	/* the tab's own box never scrolls sideways (the page's frame around
	 * it is the layout's: templates/layout.html, static/hirelink.css) */
	CHECK(br_eval_true(itest_strdup(
		  "var t = document.querySelector('.li-tab');"
		  "return !!t && t.scrollWidth <= t.clientWidth + 1 && "
		  "t.getBoundingClientRect().width > 0;")),
	      "%s at %d px: the tab fits its box", who, w);
	CHECK(br_eval_true(
		  itest_strdup("return document.documentElement.scrollWidth <= "
			       "window.innerWidth + 1;")),
	      "%s at %d px: the page does not scroll sideways", who, w);
	char name[64];
	snprintf(name, sizeof(name), "linkedin-tab-%s-%d", who, w);
	br_shot(name);
	(void)p;
}

static void the_tab_fits_1366_and_375_for_each_role(void)
{
	const struct {
		struct itest_person *p;
		const char *who;
	} as[] = {{&rec, "recruiter"}, {&admin, "admin"}, {&hm, "hiring-manager"}};
	for (size_t i = 0; i < ARRAY_LEN(as); i++) {
		hirelink_signout();
		hirelink_signin(as[i].p);
		look(as[i].p, as[i].who, 1366);
		look(as[i].p, as[i].who, 375);
		if (as[i].p == &hm)
			CHECK(br_eval_true(itest_strdup(
				  "return document.body.textContent."
				  "indexOf('sign out of LinkedIn') >= 0 && "
				  "!document.querySelector("
				  "\"form[action$='/linkedin/unlink']\");")),
			      "a hiring manager: the sign-out hint, no Unlink");
	}
	wd_window_size(br_wd, 1280, 900);
}

/* The Recruiting activities tab as role who at width w (the page kept
 * whole between views, web_body_kept): no horizontal scroll; a
 * screenshot, the page seen twice (the second kept). */
static void look_activities(const char *who, int w)
{
	CHECK(wd_window_size(br_wd, w, 900) == 0, "window %d px", w);
	char *p = itest_fmt("/candidates/%lld?tab=activities", cand);
	for (int i = 0; i < 2; i++) {
		br_go(br_url(p));
		char *sec = br_wait_for("section.activities", 5000);
		CHECK(sec != NULL, "%s sees the activities tab at %d px (%d)",
		      who, w, i);
		free(sec);
	}
	free(p);
	CHECK(br_eval_true(itest_strdup(
		  "var t = document.querySelector('section.activities');"
		  "return !!t && t.getBoundingClientRect().width > 0 && "
		  "document.documentElement.scrollWidth <= "
		  "window.innerWidth + 1;")),
	      "%s at %d px: the tab, no sideways scroll", who, w);
	char name[64];
	snprintf(name, sizeof(name), "activities-tab-%s-%d", who, w);
	br_shot(name);
}

static void the_activities_tab_fits_1366_and_375_for_each_role(void)
{
	const struct {
		struct itest_person *p;
		const char *who;
	} as[] = {{&rec, "recruiter"},
		  {&admin, "admin"},
		  {&hm, "hiring-manager"}};
	for (size_t i = 0; i < ARRAY_LEN(as); i++) {
		hirelink_signout();
		hirelink_signin(as[i].p);
		look_activities(as[i].who, 1366);
		look_activities(as[i].who, 375);
	}
	wd_window_size(br_wd, 1280, 900);
}

/* ------------------------------------------------------------ set-up */

static int suite_init(void)
{
	li = itest_li_app();
	if (!li)
		return 1;
	if (itest_person_add(&admin, "ada", TAG, "admin", "none") < 0 ||
	    itest_person_add(&rec, "rita", TAG, "recruiter", "recruiter") < 0 ||
	    itest_person_add(&hm, "hank", TAG, "hiring_manager",
			     "hiring_manager") < 0 ||
	    !itest_as(&admin) || !itest_as(&rec) || !itest_as(&hm))
		return 1;
	struct itest_resp r = itest_li_enable(admin.c, NULL);
	CHECK_STATUS(r, 303, "LinkedIn set up");
	itest_resp_free(&r);

	/* the crafted member with a phone and no email */
	struct itest_client *c = itest_client_new(NULL);
	char *u = itest_fmt("%s/sandbox/members/crafted", itest_sandbox_url());
	r = itest_get(c, u, true);
	json_t *j = itest_json(&r);
	json_t *els = json_object_get(j, "elements");
	for (size_t i = 0; i < json_array_size(els); i++) {
		json_t *e = json_array_get(els, i);
		if (!strcmp(itest_jstr(e, "label"), "phone_only"))
			member = itest_strdup(itest_jstr(e, "id"));
	}
	json_decref(j);
	itest_resp_free(&r);
	free(u);
	itest_client_free(c);
	if (!member || !*member)
		return 1;
	/* a member of LinkedIn's of this test's own (the crafted ones are
	 * other tests' candidates already) */
	int pid = (int)getpid();
	m2_id = itest_fmt("wq%d", pid);
	m2_first = itest_strdup("Quintessa");
	m2_last = itest_fmt("Marlowbridge%c%c", 'a' + pid % 26,
			    'a' + pid / 26 % 26);
	m2_email = itest_fmt("quintessa.%d@example.test", pid);
	char *sq = itest_fmt("INSERT INTO members (id, urn_id, first_name, "
			     "last_name, headline, location, email, "
			     "vanity_name) VALUES (%d, '%s', '%s', '%s', "
			     "'Bridge engineer', 'Leeds', '%s', '%s')",
			     900000000 + pid, m2_id, m2_first, m2_last,
			     m2_email, m2_id);
	int src = itest_sandbox_sql(sq);
	free(sq);
	if (src)
		return 1;

	/* Ravi Thorncastle, linked by the recruiter */
	char *q = itest_fmt("INSERT INTO candidates (first_name, last_name, "
			    "phone, source) VALUES ('Ravi', 'Thorncastle', "
			    "'+91 80 5550 0104', '" TAG "')");
	int rc = itest_sql(q);
	free(q);
	cand = itest_sql_int("SELECT MAX(id) FROM candidates WHERE last_name "
			     "= 'Thorncastle' AND source = '" TAG "'");
	/* the hiring manager reaches the candidate through a job */
	q = itest_fmt("INSERT INTO jobs (title, description, status) VALUES "
		      "('Widget %d', '', 'active')",
		      (int)getpid());
	rc |= itest_sql(q);
	free(q);
	long long job = itest_sql_int(
	    "SELECT MAX(id) FROM jobs WHERE title = 'Widget %d'", (int)getpid());
	q = itest_fmt("INSERT INTO job_stages (job_id, name, kind, position) "
		      "VALUES (%lld, 'Prospect', 'prospect', 1)",
		      job);
	rc |= itest_sql(q);
	free(q);
	long long stage =
	    itest_sql_int("SELECT id FROM job_stages WHERE job_id = %lld", job);
	q = itest_fmt("INSERT INTO job_members (job_id, user_id, role) VALUES "
		      "(%lld, %lld, 'hiring_manager')",
		      job, hm.id);
	rc |= itest_sql(q);
	free(q);
	q = itest_fmt("INSERT INTO applications (job_id, candidate_id, "
		      "stage_id) VALUES (%lld, %lld, %lld)",
		      job, cand, stage);
	rc |= itest_sql(q);
	free(q);
	if (rc || cand <= 0)
		return 1;
	char *path = itest_fmt("/candidates/%lld/linkedin/link", cand);
	r = itest_post(rec.c, path, false, rec.csrf, "member", member, NULL);
	CHECK_STATUS(r, 303, "the recruiter links the member");
	itest_resp_free(&r);
	free(path);
	if (linked() != 1)
		return 1;
	/* the email_and_id member's candidate, as an export leaves it */
	q = itest_fmt("INSERT INTO candidates (first_name, last_name, email, "
		      "linkedin_member_id, source) VALUES ('%s', '%s', '%s', "
		      "'%s', '" TAG "')",
		      m2_first, m2_last, m2_email, m2_id);
	rc = itest_sql(q);
	free(q);
	cand2 = itest_sql_int("SELECT id FROM candidates WHERE "
			      "linkedin_member_id = '%s'",
			      m2_id);
	if (rc || cand2 <= 0)
		return 1;
	br_wd = wd_start();
	return br_wd ? 0 : 1;
}

static int suite_clean(void)
{
	wd_stop(br_wd);
	/* LinkedIn set up but off, as the programs after this one expect */
	itest_li_leave_off(itest_as(&admin));
	itest_person_free(&admin);
	itest_person_free(&rec);
	itest_person_free(&hm);
	free(member);
	free(m2_id);
	free(m2_first);
	free(m2_last);
	free(m2_email);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(the_widget_shows_the_full_profile_to_a_recruiter_seat),
	    TEST(unlink_inside_the_widget_reaches_hirelink),
	    TEST(the_link_callback_reaches_hirelink),
	    TEST(link_then_unlink_inside_the_widget_persist_and_reach_linkedin),
	    TEST(the_tab_fits_1366_and_375_for_each_role),
	    TEST(the_activities_tab_fits_1366_and_375_for_each_role),
	};
	static const struct suite suites[] = {
	    SUITE("linkedin_widget", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
