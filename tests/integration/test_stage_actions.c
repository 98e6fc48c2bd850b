/*
 * test_stage_actions.c - working from the job page (issue 18), end to end
 * through nginx: what a recruiter does on a stage tab's rows, what the
 * page after says, its Undo, reopening, the confirmation steps that work
 * without JavaScript, a reload that resends nothing, the candidate page
 * opened from a job, and what a stage counts (active + hired, the tab and
 * the heading alike).
 *
 * The program makes its own users, job and candidates, unique to the run.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

static char *run_id;
static struct itest_person rec; /* recruiter on the job */
static struct itest_person hm;	/* hiring manager on the job */
static long long job;
static char *job_title;
/* Prospect, Screen, Interview, Offer, Hired */
static long long stage[5];
static const char *const kinds[5] = {"prospect", "screen", "interview",
				     "offer", "hired"};
static const char *const names[5] = {"Prospect", "Screen", "Interview",
				     "Offer", "Hired"};

/* Strings made inline (paths, SQL) are kept here and freed a while later
 * (at the end at the latest), so the tests leak nothing. */
static char *kept[64];
static unsigned nkept;

static const char *K(char *s)
{
	free(kept[nkept % 64]);
	kept[nkept++ % 64] = s;
	return s ? s : "";
}
#define F(...) K(itest_fmt(__VA_ARGS__))

static const char *num(long long v)
{
	static char bufs[8][32];
	static int next;
	char *s = bufs[next++ % 8];
	snprintf(s, 32, "%lld", v);
	return s;
}

static int suite_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id)
		return -1;
	if (itest_person_add(&rec, "rec", "Stage", "recruiter", "none") ||
	    itest_person_add(&hm, "hm", "Stage", "hiring_manager", "none") ||
	    !itest_as(&rec) || !itest_as(&hm))
		return -1;
	job_title = itest_fmt("Stage Desk %s", run_id);
	if (itest_sql(F("INSERT INTO jobs (title, description, status) "
				"VALUES ('%s', '', 'active')",
				job_title)))
		return -1;
	job = itest_sql_int("SELECT id FROM jobs WHERE title = '%s'",
			    job_title);
	for (int i = 0; i < 5; i++) {
		if (itest_sql(F(
			"INSERT INTO job_stages (job_id, name, kind, position) "
			"VALUES (%lld, '%s', '%s', %d)",
			job, names[i], kinds[i], i + 1)))
			return -1;
		stage[i] = itest_sql_int("SELECT id FROM job_stages WHERE "
					 "job_id = %lld AND kind = '%s'",
					 job, kinds[i]);
	}
	if (itest_sql(F("INSERT INTO job_members (job_id, user_id, "
				"role) VALUES (%lld, %lld, 'recruiter'), "
				"(%lld, %lld, 'hiring_manager')",
				job, rec.id, job, hm.id)))
		return -1;
	return 0;
}

static int suite_clean(void)
{
	itest_person_free(&rec);
	itest_person_free(&hm);
	for (size_t i = 0; i < 64; i++)
		free(kept[i]);
	free(job_title);
	free(run_id);
	return 0;
}

/* A new candidate with an application on the job at stage index at;
 * the application's id. */
static long long applicant(const char *first, int at)
{
	if (itest_sql(F(
		"INSERT INTO candidates (first_name, last_name, email) VALUES "
		"('%s', 'Desk%s', '%s.%s@cand.stage.hirelink.test')",
		first, run_id, first, run_id)))
		return -1;
	long long cand = itest_sql_int(
	    "SELECT id FROM candidates WHERE email = "
	    "'%s.%s@cand.stage.hirelink.test'",
	    first, run_id);
	if (itest_sql(F("INSERT INTO applications (job_id, "
				"candidate_id, stage_id) VALUES (%lld, %lld, "
				"%lld)",
				job, cand, stage[at])))
		return -1;
	return itest_sql_int("SELECT id FROM applications WHERE candidate_id "
			     "= %lld",
			     cand);
}

static long long version_of(long long app)
{
	return itest_sql_int("SELECT version FROM applications WHERE id = %lld",
			     app);
}

static long long events_of(long long app)
{
	return itest_sql_int("SELECT COUNT(*) FROM application_events WHERE "
			     "application_id = %lld",
			     app);
}

static const char *tab_of(int at)
{
	return F("/jobs/%lld?stage=%lld", job, stage[at]);
}

/* The Undo form's event_id on a page; new ("" when none). */
static char *undo_event(const struct itest_resp *r)
{
	char *form = itest_between(r->body, "class=\"notice success\"", "</div>");
	char *ev = form ? itest_between(form, "name=\"event_id\" value=\"", "\"")
			: NULL;
	free(form);
	return ev ? ev : strdup("");
}

/* A stage-tab row's form posted as the browser would, as p; the page the
 * 303 lands on, fetched with the same client (the notice's cookie). */
static struct itest_resp land(struct itest_person *p, struct itest_resp *r)
{
	char *to = itest_strdup(itest_location(r));
	char *hash = strchr(to, '#');
	if (hash)
		*hash = 0; /* a browser keeps the fragment to itself */
	struct itest_resp page = itest_get(p->c, to, false);
	free(to);
	return page;
}

/* ------------------------------------------------------------ tests */

static void a_row_moves_to_the_next_stage_and_undo_brings_it_back(void)
{
	long long app = applicant("Noah", 0);
	long long cand = itest_sql_int(
	    "SELECT candidate_id FROM applications WHERE id = %lld", app);
	const char *tab = tab_of(0);
	struct itest_resp r = itest_get(rec.c, tab, false);
	CHECK_STATUS(r, 200, "the Prospect tab");
	/* the row: its id, the candidate link with the job, Move to with the
	 * next stage first */
	char *row = itest_fmt("id=\"app-%lld\"", app);
	CHECK_HAS(r, row, "the row's id");
	char *link = itest_fmt("href=\"/candidates/%lld?job=%lld\"", cand, job);
	CHECK_HAS(r, link, "the candidate link keeps the job");
	char *first = itest_fmt("<option value=\"%lld\">Screen</option><option "
				"value=\"%lld\">Interview</option>",
				stage[1], stage[2]);
	CHECK_HAS(r, first, "Move to offers the next stage first");
	itest_resp_free(&r);

	char *rt = itest_fmt("%s#stage", tab);
	r = itest_post(rec.c, F("/applications/%lld/move", app), false,
		       rec.csrf, "stage_id", num(stage[1]), "version",
		       num(version_of(app)), "return_to", rt, NULL);
	CHECK_STATUS(r, 303, "the row's Move");
	CHECK(!strcmp(itest_location(&r), rt), "back to %s, not %s", rt,
	      itest_location(&r));
	struct itest_resp page = land(&rec, &r);
	itest_resp_free(&r);
	char *said = itest_fmt("Moved Noah Desk%s to Screen", run_id);
	CHECK_HAS(page, said, "the notice says what was done");
	char *ev = undo_event(&page);
	CHECK(*ev, "the notice offers Undo");
	itest_resp_free(&page);

	/* a reload of the landing page says nothing more, changes nothing */
	long long v = version_of(app), n = events_of(app);
	r = itest_get(rec.c, tab, false);
	CHECK_LACKS(r, said, "a reload shows the notice no more");
	itest_resp_free(&r);
	CHECK(version_of(app) == v && events_of(app) == n,
	      "a reload changed the application");

	/* Undo */
	r = itest_post(rec.c, F("/applications/%lld/undo", app), false,
		       rec.csrf, "event_id", ev, "return_to", rt, NULL);
	CHECK_STATUS(r, 303, "Undo");
	page = land(&rec, &r);
	itest_resp_free(&r);
	CHECK_HAS(page, "Undone:", "the page says it was undone");
	itest_resp_free(&page);
	CHECK(itest_sql_int("SELECT stage_id FROM applications WHERE id = %lld",
			    app) == stage[0],
	      "Undo moved it back to Prospect");
	CHECK(version_of(app) == v + 1, "Undo is a change of its own");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events WHERE "
			    "application_id = %lld AND kind = 'moved' AND "
			    "from_stage_id = %lld AND to_stage_id = %lld AND "
			    "detail = 'undo of moved'",
			    app, stage[1], stage[0]) == 1,
	      "Undo is recorded as its own event");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'application.undo' AND entity_id = %lld",
			    app) == 1,
	      "Undo is audited");
	free(ev);
	free(said);
	free(rt);
	free(first);
	free(link);
	free(row);
}

static void undo_is_refused_after_a_later_change_or_by_another(void)
{
	long long app = applicant("Mia", 0);
	struct itest_resp r = itest_post(
	    rec.c, F("/applications/%lld/move", app), false, rec.csrf,
	    "stage_id", num(stage[1]), "version", num(version_of(app)), NULL);
	CHECK_STATUS(r, 303, "first move");
	itest_resp_free(&r);
	long long first = itest_sql_int("SELECT MAX(id) FROM "
					"application_events WHERE "
					"application_id = %lld",
					app);
	/* the hiring manager may not undo the recruiter's move */
	r = itest_post(hm.c, F("/applications/%lld/undo", app), false,
		       hm.csrf, "event_id", num(first), NULL);
	CHECK_STATUS(r, 403, "undo of another's change");
	CHECK_HAS(r, "Only the person who made a change", "and why");
	itest_resp_free(&r);
	r = itest_post(rec.c, F("/applications/%lld/move", app), false,
		       rec.csrf, "stage_id", num(stage[2]), "version",
		       num(version_of(app)), NULL);
	CHECK_STATUS(r, 303, "second move");
	itest_resp_free(&r);
	long long v = version_of(app), n = events_of(app);
	r = itest_post(rec.c, F("/applications/%lld/undo", app), false,
		       rec.csrf, "event_id", num(first), NULL);
	CHECK_STATUS(r, 409, "undo of a change something followed");
	CHECK_HAS(r, "Something else happened to this application since",
		  "the refusal says why");
	itest_resp_free(&r);
	CHECK(version_of(app) == v && events_of(app) == n &&
		  itest_sql_int("SELECT stage_id FROM applications WHERE id = "
				"%lld",
				app) == stage[2],
	      "a refused undo changed nothing");
}

static void reject_offers_undo_and_reopen_is_an_event(void)
{
	long long app = applicant("Liam", 1);
	char *rt = itest_fmt("%s#app-%lld", tab_of(1), app);
	struct itest_resp r = itest_post(
	    rec.c, F("/applications/%lld/reject", app), false,
	    rec.csrf, "reason", "not_qualified", "version",
	    num(version_of(app)), "return_to", rt, NULL);
	CHECK_STATUS(r, 303, "the row's Reject");
	struct itest_resp page = land(&rec, &r);
	itest_resp_free(&r);
	CHECK_HAS(page, "(Not qualified)", "the notice names the reason");
	char *ev = undo_event(&page);
	CHECK(*ev, "Reject offers Undo");
	/* the rejected row stays on the tab with Reopen */
	char *reopen = itest_fmt("/applications/%lld/reopen", app);
	CHECK_HAS(page, reopen, "the ended row offers Reopen");
	itest_resp_free(&page);
	r = itest_post(rec.c, F("/applications/%lld/undo", app), false,
		       rec.csrf, "event_id", ev, NULL);
	CHECK_STATUS(r, 303, "Undo of a rejection");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications WHERE id = %lld "
			    "AND status = 'active' AND rejection_reason IS "
			    "NULL",
			    app) == 1,
	      "Undo reopened it");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events WHERE "
			    "application_id = %lld AND kind = 'reopened'",
			    app) == 1,
	      "as a 'reopened' event");

	/* withdrawn, then Reopen (the route) */
	r = itest_post(rec.c, F("/applications/%lld/withdraw", app),
		       false, rec.csrf, NULL);
	CHECK_STATUS(r, 303, "withdraw");
	itest_resp_free(&r);
	r = itest_post(hm.c, reopen, false, hm.csrf, NULL);
	CHECK_STATUS(r, 403, "a hiring manager does not reopen");
	itest_resp_free(&r);
	r = itest_post(rec.c, reopen, false, rec.csrf, "return_to", rt, NULL);
	CHECK_STATUS(r, 303, "Reopen");
	page = land(&rec, &r);
	itest_resp_free(&r);
	CHECK_HAS(page, "Reopened Liam", "the page says it was reopened");
	itest_resp_free(&page);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events WHERE "
			    "application_id = %lld AND kind = 'reopened'",
			    app) == 2,
	      "Reopen writes an event");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'application.reopen' AND entity_id = %lld",
			    app) == 1,
	      "and an audit row");
	r = itest_post(rec.c, reopen, false, rec.csrf, NULL);
	CHECK_STATUS(r, 409, "an active application is not reopened");
	itest_resp_free(&r);
	free(reopen);
	free(ev);
	free(rt);
}

static void moving_to_hired_hires_and_the_hired_tab_counts_them(void)
{
	long long a1 = applicant("Olivia", 3), a2 = applicant("Emma", 3);
	/* a hiring manager may move, but a move to Hired is a hire */
	struct itest_resp r = itest_post(
	    hm.c, F("/applications/%lld/move", a1), false, hm.csrf,
	    "stage_id", num(stage[4]), "version", num(version_of(a1)), NULL);
	CHECK_STATUS(r, 403, "a hiring manager moving to Hired");
	CHECK_HAS(r, "hires them", "the refusal says why");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT stage_id FROM applications WHERE id = %lld",
			    a1) == stage[3],
	      "the refused move changed nothing");

	r = itest_post(rec.c, F("/applications/%lld/move", a1), false,
		       rec.csrf, "stage_id", num(stage[4]), "version",
		       num(version_of(a1)), "return_to", tab_of(3), NULL);
	CHECK_STATUS(r, 303, "a recruiter moving to Hired");
	struct itest_resp page = land(&rec, &r);
	itest_resp_free(&r);
	char *said = itest_fmt("Hired Olivia Desk%s for %s", run_id, job_title);
	CHECK_HAS(page, said, "the notice says hired");
	itest_resp_free(&page);
	free(said);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications WHERE id = %lld "
			    "AND status = 'hired' AND stage_id = %lld",
			    a1, stage[4]) == 1,
	      "moved to Hired means hired, at Hired");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events WHERE "
			    "application_id = %lld AND kind = 'hired'",
			    a1) == 1,
	      "a 'hired' event");

	/* the other through the row's Hire: its confirmation step, followed
	 * as a browser without JavaScript does (the page's form) */
	char *rt = itest_fmt("/jobs/%lld?stage=%lld#stage", job, stage[3]);
	r = itest_get(rec.c,
		      F("/applications/%lld/confirm?action=hire&"
				"return_to=%%2Fjobs%%2F%lld%%3Fstage%%3D%lld%%"
				"23stage",
				a2, job, stage[3]),
		      false);
	CHECK_STATUS(r, 200, "Hire's confirmation step");
	char *action = itest_fmt("action=\"/applications/%lld/hire\"", a2);
	CHECK_HAS(r, action, "its form posts the hire");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications WHERE id = %lld "
			    "AND status = 'active'",
			    a2) == 1,
	      "the step itself changes nothing");
	char *ver = itest_field(&r, "version"), *back = itest_field(&r, "return_to");
	CHECK(!strcmp(back, rt), "the step keeps return_to: %s", back);
	itest_resp_free(&r);
	r = itest_post(rec.c, F("/applications/%lld/hire", a2), false,
		       rec.csrf, "version", ver, "return_to", back, NULL);
	CHECK_STATUS(r, 303, "the confirmed hire");
	CHECK(!strcmp(itest_location(&r), rt), "back to the stage");
	itest_resp_free(&r);
	free(ver);
	free(back);
	free(action);
	free(rt);

	/* the Hired tab: 2, on the tab and in the heading */
	r = itest_get(rec.c, tab_of(4), false);
	CHECK_STATUS(r, 200, "the Hired tab");
	CHECK_HAS(r, "Hired <span class=\"tab-count\">2</span>",
		  "the Hired tab's badge counts the hired");
	CHECK_HAS(r, "2 candidate(s), 2 hired", "and so does its heading");
	itest_resp_free(&r);
	long status = 0;
	json_t *v = itest_get_json(rec.c, tab_of(4), &status);
	json_t *st = json_object_get(v, "stage");
	CHECK(itest_jint(st, "count") == 2 && itest_jint(st, "hired_count") == 2,
	      "JSON: count %lld, hired_count %lld", itest_jint(st, "count"),
	      itest_jint(st, "hired_count"));
	json_decref(v);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM job_stages s WHERE s.job_id "
			    "= %lld AND s.hired_count <> (SELECT COUNT(*) FROM "
			    "applications a WHERE a.stage_id = s.id AND "
			    "a.status = 'hired')",
			    job) == 0,
	      "the stored hired counts equal the rows");
}

static void confirmation_steps_post_what_they_say(void)
{
	/* a stage nobody is at: Delete goes through its step */
	if (itest_sql(F("INSERT INTO job_stages (job_id, name, kind, "
				"position) VALUES (%lld, 'Spare %s', 'other', "
				"6)",
				job, run_id)))
		CHECK(false, "cannot add a stage");
	long long spare = itest_sql_int("SELECT id FROM job_stages WHERE "
					"job_id = %lld AND position = 6",
					job);
	struct itest_resp r = itest_get(rec.c, F("/jobs/%lld", job),
					 false);
	char *link = itest_fmt("href=\"/jobs/%lld/stages/%lld/delete\"", job,
			       spare);
	CHECK_HAS(r, link, "the pipeline's Delete is a link to its step");
	itest_resp_free(&r);
	r = itest_get(rec.c, F("/jobs/%lld/stages/%lld/delete", job,
				       spare),
		      false);
	CHECK_STATUS(r, 200, "the stage delete's step");
	CHECK_HAS(r, "Delete the stage", "it says what will happen");
	char *action = itest_field(&r, "action"), *sid = itest_field(&r, "stage_id");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM job_stages WHERE id = %lld",
			    spare) == 1,
	      "the step deleted nothing");
	r = itest_post(rec.c, F("/jobs/%lld/stages", job), false,
		       rec.csrf, "action", action, "stage_id", sid, NULL);
	CHECK_STATUS(r, 303, "the confirmed delete");
	struct itest_resp page = land(&rec, &r);
	itest_resp_free(&r);
	char *said = itest_fmt("Deleted the stage &quot;Spare %s&quot;", run_id);
	CHECK_HAS(page, said, "the job page says so");
	itest_resp_free(&page);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM job_stages WHERE id = %lld",
			    spare) == 0,
	      "the stage is gone");
	free(said);
	free(action);
	free(sid);
	free(link);

	/* a pool: its step, then its form */
	if (itest_sql(F("INSERT INTO talent_pools (name, kind) VALUES "
				"('Desk pool %s', 'user')",
				run_id)))
		CHECK(false, "cannot add a pool");
	long long pool = itest_sql_int("SELECT id FROM talent_pools WHERE name "
				       "= 'Desk pool %s'",
				       run_id);
	r = itest_get(rec.c, F("/pools/%lld/delete", pool), false);
	CHECK_STATUS(r, 200, "the pool delete's step");
	char *paction = itest_fmt("action=\"/pools/%lld/delete\"", pool);
	CHECK_HAS(r, paction, "its form posts the delete");
	itest_resp_free(&r);
	r = itest_post(rec.c, F("/pools/%lld/delete", pool), false,
		       rec.csrf, NULL);
	CHECK_STATUS(r, 303, "the confirmed pool delete");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM talent_pools WHERE id = %lld",
			    pool) == 0,
	      "the pool is gone");
	free(paction);
}

static void the_candidate_page_from_a_job_leads_back_to_its_stage(void)
{
	long long app = applicant("Ava", 2);
	long long cand = itest_sql_int(
	    "SELECT candidate_id FROM applications WHERE id = %lld", app);
	struct itest_resp r = itest_get(
	    rec.c, F("/candidates/%lld?job=%lld", cand, job), false);
	CHECK_STATUS(r, 200, "the candidate page from the job");
	char *back = itest_fmt("href=\"/jobs/%lld?stage=%lld#app-%lld\"", job,
			       stage[2], app);
	CHECK_HAS(r, back, "the way back to the job's stage, at the row");
	char *words = itest_fmt("Back to %s &middot; Interview", job_title);
	CHECK_HAS(r, words, "named by the job and the stage");
	CHECK_HAS(r, "<a href=\"/jobs\" class=\"active\"",
		  "the menu stays on Jobs");
	char *tab = itest_fmt("/candidates/%lld?tab=notes&amp;job=%lld", cand,
			      job);
	CHECK_HAS(r, tab, "the tabs keep the job");
	itest_resp_free(&r);
	/* a link from one tab to another keeps the job too, and is one
	 * address (not "?job=N?tab=...") */
	r = itest_get(rec.c,
		      F("/candidates/%lld?job=%lld&tab=applications", cand, job),
		      false);
	CHECK_STATUS(r, 200, "the applications tab from the job");
	char *bad = itest_fmt("?job=%lld?", job);
	CHECK_LACKS(r, bad, "a link with two query strings");
	char *apps = itest_fmt("/candidates/%lld?tab=applications&amp;job=%lld",
			       cand, job);
	CHECK_HAS(r, apps, "the return address keeps the job");
	itest_resp_free(&r);
	free(apps);
	free(bad);
	r = itest_get(rec.c, F("/candidates/%lld", cand), false);
	CHECK_LACKS(r, "Back to ", "without the job, no way back");
	CHECK_HAS(r, "<a href=\"/candidates\" class=\"active\"",
		  "and the menu on Candidates");
	itest_resp_free(&r);
	free(tab);
	free(words);
	free(back);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(a_row_moves_to_the_next_stage_and_undo_brings_it_back),
	    TEST(undo_is_refused_after_a_later_change_or_by_another),
	    TEST(reject_offers_undo_and_reopen_is_an_event),
	    TEST(moving_to_hired_hires_and_the_hired_tab_counts_them),
	    TEST(confirmation_steps_post_what_they_say),
	    TEST(the_candidate_page_from_a_job_leads_back_to_its_stage),
	};
	static const struct suite suites[] = {
	    SUITE("stage_actions", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
