/*
 * test_roles.c - each role's home (issue 18), end to end through nginx:
 * the interviewer's narrowed view (no Prospect application, no phone
 * numbers, until their feedback is asked for), Request feedback, Feedback
 * due (the right application when a candidate is on two jobs), structured
 * feedback on the job's criteria and its edit until the application moves
 * on, the hiring manager's Needs review, and the jobs list's columns and
 * default filter.
 *
 * The fixture: job A (Prospect, Screen, Interview, Offer, Hired) with
 * recruiter REC, hiring manager HM and interviewers IA and IB; job B (the
 * same pipeline) with REC and IA.  Cara is on A at Prospect (app_a) and on
 * B at Interview (app_b); Phil, who has a phone number, is on A at
 * Interview (app_p); Sam is on A at Screen (app_s).  Draft job D has REC.
 * The tests run in order, each building on the one before.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

static char *run_id;
static struct itest_person rec, hm, ia, ib;
static struct itest_person *const everyone[] = {&rec, &hm, &ia, &ib};

static long long job_a, job_b, job_d;
static long long a_stage[5], b_stage[5], d_stage[5];
static long long cara, phil, sam;
static long long app_a, app_b, app_p, app_s;
static char *title_a, *title_b, *title_d;

#define PHONE "+49 30 5550199"

static const char *num(long long v)
{
	static char bufs[8][32];
	static int next;
	char *s = bufs[next++ % 8];
	snprintf(s, 32, "%lld", v);
	return s;
}

static char *next_buf(void)
{
	static char bufs[8][192];
	static int next;
	return bufs[next++ % 8];
}

/* A path from a printf format, in one of eight rotating buffers. */
#define path_of(...)                                                           \
	({                                                                     \
		char *p_ = next_buf();                                         \
		snprintf(p_, 192, __VA_ARGS__);                                \
		p_;                                                            \
	})

static long long make_job(const char *title, const char *status,
			  long long stages[5])
{
	static const char *const names[] = {"Prospect", "Screen", "Interview",
					    "Offer", "Hired"};
	static const char *const kinds[] = {"prospect", "screen", "interview",
					    "offer", "hired"};
	ITEST_SQL("job", itest_fmt("INSERT INTO jobs (title, description, "
				   "status, listed_at) VALUES ('%s', '', "
				   "'%s', IF('%s' = 'active', UTC_TIMESTAMP() "
				   "- INTERVAL 3 DAY, NULL))",
				   title, status, status));
	long long id =
	    itest_sql_int("SELECT id FROM jobs WHERE title = '%s'", title);
	for (int i = 0; id > 0 && i < 5; i++) {
		ITEST_SQL("stage",
			  itest_fmt("INSERT INTO job_stages (job_id, name, "
				    "kind, position) VALUES (%lld, '%s', '%s', "
				    "%d)",
				    id, names[i], kinds[i], i + 1));
		stages[i] = itest_sql_int("SELECT id FROM job_stages WHERE "
					  "job_id = %lld AND kind = '%s'",
					  id, kinds[i]);
	}
	return id;
}

static void member(long long job, const struct itest_person *p,
		   const char *role)
{
	ITEST_SQL("member", itest_fmt("INSERT INTO job_members (job_id, "
				      "user_id, role) VALUES (%lld, %lld, "
				      "'%s')",
				      job, p->id, role));
}

static long long candidate(const char *first, const char *phone)
{
	ITEST_SQL("candidate",
		  itest_fmt("INSERT INTO candidates (first_name, last_name, "
			    "email, phone, phone_digits) VALUES ('%s', "
			    "'Roles%s', '%s.%s@roles.itest.hirelink.test', "
			    "'%s', '%s')",
			    first, run_id, first, run_id, phone,
			    *phone ? "49305550199" : ""));
	return itest_sql_int("SELECT id FROM candidates WHERE email = "
			     "'%s.%s@roles.itest.hirelink.test'",
			     first, run_id);
}

static long long application(long long job, long long cand, long long stage)
{
	ITEST_SQL("application",
		  itest_fmt("INSERT INTO applications (job_id, candidate_id, "
			    "stage_id) VALUES (%lld, %lld, %lld)",
			    job, cand, stage));
	return itest_sql_int("SELECT id FROM applications WHERE job_id = "
			     "%lld AND candidate_id = %lld",
			     job, cand);
}

static int suite_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id)
		return -1;
	if (itest_person_add(&rec, "rec", "Roles", "recruiter", "none") ||
	    itest_person_add(&hm, "hm", "Roles", "hiring_manager", "none") ||
	    itest_person_add(&ia, "ia", "Roles", "interviewer", "none") ||
	    itest_person_add(&ib, "ib", "Roles", "interviewer", "none"))
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(everyone); i++)
		if (!itest_as(everyone[i]) || !*everyone[i]->csrf)
			return -1;
	title_a = itest_fmt("Roles Engineer %s", run_id);
	title_b = itest_fmt("Roles Analyst %s", run_id);
	title_d = itest_fmt("Roles Draft %s", run_id);
	job_a = make_job(title_a, "active", a_stage);
	job_b = make_job(title_b, "active", b_stage);
	job_d = make_job(title_d, "draft", d_stage);
	if (job_a <= 0 || job_b <= 0 || job_d <= 0)
		return -1;
	member(job_a, &rec, "recruiter");
	member(job_a, &hm, "hiring_manager");
	member(job_a, &ia, "interviewer");
	member(job_a, &ib, "interviewer");
	member(job_b, &rec, "recruiter");
	member(job_b, &ia, "interviewer");
	member(job_d, &rec, "recruiter");
	cara = candidate("Cara", "");
	phil = candidate("Phil", PHONE);
	sam = candidate("Sam", "");
	app_a = application(job_a, cara, a_stage[0]);
	app_b = application(job_b, cara, b_stage[2]);
	app_p = application(job_a, phil, a_stage[2]);
	app_s = application(job_a, sam, a_stage[1]);
	return app_a > 0 && app_b > 0 && app_p > 0 && app_s > 0 ? 0 : -1;
}

static int suite_clean(void)
{
	for (size_t i = 0; i < ARRAY_LEN(everyone); i++)
		itest_person_free(everyone[i]);
	free(title_a);
	free(title_b);
	free(title_d);
	free(run_id);
	return 0;
}

static json_t *get_json(struct itest_person *p, const char *path, long want)
{
	long st = 0;
	json_t *j = itest_get_json(p->c, path, &st);
	CHECK(st == want, "%s: status %ld, want %ld", path, st, want);
	return j ? j : json_object();
}

/* The entry of application app in a home page's "entries"; NULL. */
static json_t *entry_of(json_t *page, long long app)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(page, "entries"), i, e)
	{
		if (itest_jint(e, "application_id") == app)
			return e;
	}
	return NULL;
}

/* ------------------------------------------------------------ narrowing */

static void an_interviewer_cannot_open_a_prospect_application_nor_read_phones(void)
{
	struct itest_resp r =
	    itest_get(ia.c, path_of("/applications/%lld", app_a), false);
	CHECK_STATUS(r, 404, "IA opens Cara's Prospect application");
	itest_resp_free(&r);
	r = itest_get(ia.c, path_of("/applications/%lld/feedback", app_a),
		      false);
	CHECK_STATUS(r, 404, "IA opens its feedback form");
	itest_resp_free(&r);
	/* the Prospect tab of job A lists nobody for IA, the Interview tab
	 * lists Phil */
	r = itest_get(ia.c, path_of("/jobs/%lld?stage=prospect", job_a), false);
	CHECK_STATUS(r, 200, "IA's Prospect tab");
	CHECK_LACKS(r, "Cara", "IA's Prospect tab");
	itest_resp_free(&r);
	r = itest_get(ia.c, path_of("/jobs/%lld?stage=interview", job_a),
		      false);
	CHECK_HAS(r, "Phil", "IA's Interview tab");
	itest_resp_free(&r);
	/* Phil at Interview: IA reads him, without his phone */
	r = itest_get(ia.c, path_of("/candidates/%lld", phil), false);
	CHECK_STATUS(r, 200, "IA opens Phil");
	CHECK_LACKS(r, PHONE, "IA's view of Phil");
	itest_resp_free(&r);
	json_t *j = get_json(&ia, path_of("/candidates/%lld", phil), 200);
	json_t *cand = json_object_get(j, "candidate");
	CHECK(!*itest_jstr(cand ? cand : j, "phone"),
	      "IA's JSON has Phil's phone");
	json_decref(j);
	/* nor in the list, nor found by it */
	char *q = itest_fmt("/candidates?q=%s", "Phil");
	r = itest_get(ia.c, q, false);
	CHECK_LACKS(r, PHONE, "IA's candidate list");
	itest_resp_free(&r);
	free(q);
	r = itest_get(ia.c, "/candidates?q=%2B49%2030%20555", false);
	CHECK_LACKS(r, "Phil", "IA's search by phone");
	itest_resp_free(&r);
	/* the recruiter reads it */
	r = itest_get(rec.c, path_of("/candidates/%lld", phil), false);
	CHECK_HAS(r, PHONE, "the recruiter's view of Phil");
	itest_resp_free(&r);
	/* Cara, only at Prospect on A and at Interview on B: IA reaches her
	 * through B; IB (not on B) not at all */
	r = itest_get(ib.c, path_of("/candidates/%lld", cara), false);
	CHECK_STATUS(r, 404, "IB opens Cara");
	itest_resp_free(&r);
}

static void feedback_requested_opens_the_application_to_the_interviewer(void)
{
	/* only interviewers of the job may be asked */
	struct itest_resp r = itest_post(
	    hm.c, path_of("/applications/%lld/feedback-requests", app_a), false,
	    hm.csrf, "interviewer_id", num(rec.id), NULL);
	CHECK_STATUS(r, 400, "asking the recruiter");
	CHECK_HAS(r, "interviewer", "asking the recruiter");
	itest_resp_free(&r);
	/* an interviewer may not ask */
	r = itest_post(ia.c,
		       path_of("/applications/%lld/feedback-requests", app_p),
		       false, ia.csrf, "interviewer_id", num(ib.id), NULL);
	CHECK_STATUS(r, 403, "an interviewer asks");
	itest_resp_free(&r);

	r = itest_post(hm.c,
		       path_of("/applications/%lld/feedback-requests", app_a),
		       false, hm.csrf, "interviewer_id", num(ia.id), NULL);
	CHECK_STATUS(r, 303, "HM asks IA");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM feedback_requests WHERE "
			    "application_id = %lld AND interviewer_id = %lld "
			    "AND requested_by = %lld",
			    app_a, ia.id, hm.id) == 1,
	      "no feedback_requests row");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events WHERE "
			    "application_id = %lld AND kind = "
			    "'feedback_requested' AND user_id = %lld",
			    app_a, hm.id) == 1,
	      "no feedback_requested event");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'feedback.request' AND entity_id = %lld",
			    app_a) == 1,
	      "no feedback.request audit row");
	/* the requester sees it listed, and what it said */
	r = itest_get(hm.c, path_of("/applications/%lld", app_a), false);
	CHECK_HAS(r, "Asked ", "the notice on the application page");
	CHECK_HAS(r, ia.name, "the request on the application page");
	CHECK_HAS(r, "waiting", "the request on the application page");
	itest_resp_free(&r);
	/* IA may open it now, and Cara */
	r = itest_get(ia.c, path_of("/applications/%lld", app_a), false);
	CHECK_STATUS(r, 200, "IA opens the requested application");
	itest_resp_free(&r);
	r = itest_get(ia.c, path_of("/jobs/%lld?stage=prospect", job_a), false);
	CHECK_HAS(r, "Cara", "IA's Prospect tab after the request");
	itest_resp_free(&r);
	/* IB was not asked: still hidden from IB */
	r = itest_get(ib.c, path_of("/applications/%lld", app_a), false);
	CHECK_STATUS(r, 404, "IB opens it");
	itest_resp_free(&r);
}

static void feedback_due_opens_the_right_application_of_each_job(void)
{
	json_t *j = get_json(&ia, "/feedback", 200);
	json_t *ea = entry_of(j, app_a), *eb = entry_of(j, app_b),
	       *ep = entry_of(j, app_p);
	CHECK(ea && eb && ep, "Feedback due lacks an entry (A %d B %d P %d)",
	      ea != NULL, eb != NULL, ep != NULL);
	CHECK(!entry_of(j, app_s), "Sam at Screen, not asked, is due");
	if (ea && eb) {
		/* Cara twice, each entry its own application and job */
		CHECK(itest_jint(ea, "job_id") == job_a, "A's entry's job");
		CHECK(itest_jint(eb, "job_id") == job_b, "B's entry's job");
		CHECK(!strcmp(itest_jstr(ea, "url"),
			      path_of("/applications/%lld/feedback", app_a)),
		      "A's entry opens %s", itest_jstr(ea, "url"));
		CHECK(!strcmp(itest_jstr(eb, "url"),
			      path_of("/applications/%lld/feedback", app_b)),
		      "B's entry opens %s", itest_jstr(eb, "url"));
		CHECK(json_is_true(json_object_get(ea, "requested")),
		      "A's entry is not marked asked");
	}
	json_decref(j);
	/* each form is for its own application and job */
	struct itest_resp r =
	    itest_get(ia.c, path_of("/applications/%lld/feedback", app_b),
		      false);
	CHECK_STATUS(r, 200, "B's feedback form");
	CHECK_HAS(r, title_b, "B's feedback form names job B");
	CHECK_HAS(r, path_of("action=\"/applications/%lld/feedback\"", app_b),
		  "B's form posts to B's application");
	CHECK_LACKS(r, path_of("/applications/%lld/feedback\"", app_a),
		    "B's form");
	itest_resp_free(&r);
	/* the interviewer's home and menu */
	r = itest_get(ia.c, "/", false);
	CHECK_STATUS(r, 303, "IA's home");
	CHECK(!strcmp(itest_location(&r), "/feedback"), "IA's home is %s",
	      itest_location(&r));
	itest_resp_free(&r);
	r = itest_get(ia.c, "/jobs", false);
	CHECK_HAS(r, "Feedback due <span class=\"badge\">3</span>",
		  "IA's menu count");
	itest_resp_free(&r);
}

/* ------------------------------------------------------------ structured */

static long long crit[2];
static long long fid;

static void structured_feedback_round_trip_and_edit_until_moved(void)
{
	struct itest_resp r = itest_post(
	    rec.c, path_of("/jobs/%lld/criteria", job_a), false, rec.csrf,
	    "criteria", "Technical skills\r\nCommunication\r\n", NULL);
	CHECK_STATUS(r, 303, "criteria");
	itest_resp_free(&r);
	CHECK(itest_sql_ints(crit, 2,
			     "SELECT id FROM job_criteria WHERE job_id = %lld "
			     "ORDER BY position",
			     job_a) == 2,
	      "job A's criteria");
	r = itest_get(rec.c, path_of("/jobs/%lld", job_a), false);
	CHECK_HAS(r, "Technical skills\nCommunication", "the job's criteria");
	itest_resp_free(&r);

	/* the form asks for each criterion */
	r = itest_get(ia.c, path_of("/applications/%lld/feedback", app_p),
		      false);
	char *f0 = itest_fmt("name=\"criterion_%lld\"", crit[0]);
	char *f1 = itest_fmt("name=\"criterion_%lld\"", crit[1]);
	CHECK_HAS(r, f0, "the form's first criterion");
	CHECK_HAS(r, f1, "the form's second criterion");
	itest_resp_free(&r);
	free(f0);
	free(f1);

	char *n0 = itest_fmt("criterion_%lld", crit[0]);
	char *n1 = itest_fmt("criterion_%lld", crit[1]);
	const char *give = path_of("/applications/%lld/feedback", app_p);
	r = itest_post(ia.c, give, true, ia.csrf, n0, "4", "recommendation",
		       "yes", "body", "Sound on systems", NULL);
	CHECK_STATUS(r, 400, "a criterion left out");
	CHECK_HAS(r, n1, "a criterion left out: the field");
	itest_resp_free(&r);
	r = itest_post(ia.c, give, false, ia.csrf, n0, "4", n1, "5",
		       "recommendation", "strong_yes", "body",
		       "Sound on systems", "return_to", "/feedback", NULL);
	CHECK_STATUS(r, 303, "IA's feedback");
	CHECK(!strcmp(itest_location(&r), "/feedback"), "back to %s",
	      itest_location(&r));
	itest_resp_free(&r);
	fid = itest_sql_int("SELECT id FROM interview_feedback WHERE "
			    "application_id = %lld AND interviewer_id = %lld",
			    app_p, ia.id);
	CHECK(fid > 0, "no feedback row");
	CHECK(itest_sql_int("SELECT rating FROM interview_feedback WHERE id = "
			    "%lld",
			    fid) == 5,
	      "overall rating (4.5 rounds to 5)");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM feedback_ratings WHERE "
			    "feedback_id = %lld",
			    fid) == 2,
	      "two ratings");
	/* done: off Feedback due, and read back with its ratings */
	json_t *j = get_json(&ia, "/feedback", 200);
	CHECK(!entry_of(j, app_p), "Phil still due after IA's feedback");
	json_decref(j);
	r = itest_get(rec.c, path_of("/applications/%lld", app_p), false);
	CHECK_HAS(r, "Technical skills: 4/5", "the ratings");
	CHECK_HAS(r, "Communication: 5/5", "the ratings");
	CHECK_HAS(r, "Strong yes", "the recommendation");
	itest_resp_free(&r);

	/* IA edits it while Phil is at Interview */
	const char *edit = path_of("/feedback/%lld", fid);
	j = get_json(&ia, path_of("/applications/%lld", app_p), 200);
	json_t *ff = json_object_get(j, "feedback_form");
	CHECK(ff && json_is_true(json_object_get(ff, "editing")) &&
		  !strcmp(itest_jstr(ff, "action"), edit),
	      "IA's form does not edit the feedback");
	json_decref(j);
	r = itest_post(ib.c, edit, false, ib.csrf, n0, "1", n1, "1",
		       "recommendation", "no", "body", "not mine", NULL);
	CHECK_STATUS(r, 404, "IB edits IA's feedback");
	itest_resp_free(&r);
	r = itest_post(ia.c, edit, false, ia.csrf, n0, "2", n1, "3",
		       "recommendation", "no", "body", "Second thoughts",
		       NULL);
	CHECK_STATUS(r, 303, "IA edits");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT rating FROM interview_feedback WHERE id = "
			    "%lld AND body = 'Second thoughts' AND "
			    "recommendation = 'no'",
			    fid) == 3,
	      "the edit (2 and 3: 3)");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'feedback.update' AND entity_id = %lld",
			    fid) == 1,
	      "no feedback.update audit row");

	/* Phil moves to Offer: the feedback is fixed */
	long long version = itest_sql_int(
	    "SELECT version FROM applications WHERE id = %lld", app_p);
	r = itest_post(rec.c, path_of("/applications/%lld/move", app_p), false,
		       rec.csrf, "stage_id", num(a_stage[3]), "version",
		       num(version), NULL);
	CHECK_STATUS(r, 303, "the move to Offer");
	itest_resp_free(&r);
	r = itest_post(ia.c, edit, true, ia.csrf, n0, "5", n1, "5",
		       "recommendation", "strong_yes", "body", "Too late",
		       NULL);
	CHECK_STATUS(r, 409, "an edit after the move");
	CHECK_HAS(r, "moved on", "an edit after the move");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM interview_feedback WHERE "
			    "id = %lld AND body = 'Second thoughts'",
			    fid) == 1,
	      "the refused edit changed the feedback");
	free(n0);
	free(n1);
}

static void feedback_given_before_criteria_stays_readable(void)
{
	/* as the migration left it: an overall rating, no ratings rows */
	ITEST_SQL("old feedback",
		  itest_fmt("INSERT INTO interview_feedback (application_id, "
			    "interviewer_id, rating, recommendation, body, "
			    "stage_id) VALUES (%lld, %lld, 2, 'no', 'Old "
			    "style feedback', %lld)",
			    app_b, ia.id, b_stage[2]));
	struct itest_resp r =
	    itest_get(rec.c, path_of("/applications/%lld", app_b), false);
	CHECK_HAS(r, "Old style feedback", "the old feedback");
	CHECK_HAS(r, "overall 2/5", "the old feedback's rating");
	itest_resp_free(&r);
}

/* ------------------------------------------------------------ review */

static void needs_review_lists_screen_candidates_until_reviewed(void)
{
	struct itest_resp r = itest_get(hm.c, "/", false);
	CHECK(!strcmp(itest_location(&r), "/review"), "HM's home is %s",
	      itest_location(&r));
	itest_resp_free(&r);
	json_t *j = get_json(&hm, "/review", 200);
	CHECK(entry_of(j, app_s) != NULL, "Sam at Screen is not listed");
	CHECK(!entry_of(j, app_a), "Cara at Prospect is listed");
	CHECK(!entry_of(j, app_p), "Phil at Offer is listed");
	json_t *e = entry_of(j, app_s);
	CHECK(e && !strcmp(itest_jstr(e, "url"),
			   path_of("/applications/%lld", app_s)),
	      "Sam's entry links elsewhere");
	json_decref(j);
	r = itest_get(hm.c, "/review", false);
	CHECK_HAS(r, "Needs review <span class=\"badge\">1</span>",
		  "HM's menu count");
	itest_resp_free(&r);

	char *n0 = itest_fmt("criterion_%lld", crit[0]);
	char *n1 = itest_fmt("criterion_%lld", crit[1]);
	r = itest_post(hm.c, path_of("/applications/%lld/feedback", app_s),
		       false, hm.csrf, n0, "3", n1, "4", "recommendation",
		       "yes", "body", "Worth an interview", NULL);
	CHECK_STATUS(r, 303, "HM's review");
	itest_resp_free(&r);
	free(n0);
	free(n1);
	j = get_json(&hm, "/review", 200);
	CHECK(!entry_of(j, app_s), "Sam still waits after HM's feedback");
	json_decref(j);
}

/* ------------------------------------------------------------ jobs list */

static void the_jobs_list_shows_stages_recruiters_and_active_jobs_first(void)
{
	struct itest_resp r = itest_get(rec.c, "/jobs", false);
	CHECK_STATUS(r, 200, "/jobs");
	CHECK_HAS(r, title_a, "the default list");
	CHECK_LACKS(r, title_d, "the default list (a draft)");
	/* job A's row: Cara at Prospect, Sam at Screen, Phil at Offer */
	char *row_a = itest_between(r.body, title_a, "</tr>");
	CHECK(row_a && strstr(row_a, rec.name), "the recruiter column: %s",
	      row_a ? row_a : "(no row)");
	CHECK(row_a && strstr(row_a, "3 d"), "days open");
	CHECK(row_a && strstr(row_a, "Prospect</span>: <b>1</b>") &&
		  strstr(row_a, "Screen</span>: <b>1</b>") &&
		  strstr(row_a, "Interview</span>: <b>0</b>") &&
		  strstr(row_a, "Offer</span>: <b>1</b>"),
	      "job A's active candidates per stage: %s",
	      row_a ? row_a : "(no row)");
	free(row_a);
	itest_resp_free(&r);
	r = itest_get(rec.c, "/jobs?status=all", false);
	CHECK_HAS(r, title_d, "status=all");
	CHECK_HAS(r, title_a, "status=all");
	itest_resp_free(&r);
	r = itest_get(rec.c, "/jobs?status=draft", false);
	CHECK_HAS(r, title_d, "status=draft");
	CHECK_LACKS(r, title_a, "status=draft");
	itest_resp_free(&r);
	json_t *j = get_json(&rec, "/jobs", 200);
	size_t i;
	json_t *row, *a = NULL;
	json_array_foreach(json_object_get(j, "jobs"), i, row)
	{
		if (itest_jint(row, "id") == job_a)
			a = row;
	}
	CHECK(a && json_array_size(json_object_get(a, "stages")) == 5,
	      "job A's stages in the JSON list");
	json_decref(j);

	/* a move shows at once in the kept list: Sam to Interview */
	long long version = itest_sql_int(
	    "SELECT version FROM applications WHERE id = %lld", app_s);
	r = itest_post(rec.c, path_of("/applications/%lld/move", app_s), false,
		       rec.csrf, "stage_id", num(a_stage[2]), "version",
		       num(version), NULL);
	CHECK_STATUS(r, 303, "Sam to Interview");
	itest_resp_free(&r);
	r = itest_get(rec.c, "/jobs", false);
	row_a = itest_between(r.body, title_a, "</tr>");
	CHECK(row_a && strstr(row_a, "Screen</span>: <b>0</b>") &&
		  strstr(row_a, "Interview</span>: <b>1</b>"),
	      "job A after the move: %s", row_a ? row_a : "(no row)");
	free(row_a);
	itest_resp_free(&r);
}

/* ------------------------------------------------------------ new job */

static void the_new_job_form_takes_its_criteria(void)
{
	struct itest_resp r = itest_get(rec.c, "/jobs/new", false);
	CHECK_HAS(r, "name=\"criteria\"", "the new-job form");
	itest_resp_free(&r);
	r = itest_get(rec.c, "/jobs", false);
	CHECK_HAS(r, "name=\"criteria\"", "the jobs list's New job form");
	itest_resp_free(&r);
	/* refused: a name twice; no job, the form again with what was typed */
	char *bad = itest_fmt("Roles Criteria Bad %s", run_id);
	r = itest_post(rec.c, "/jobs", false, rec.csrf, "title", bad,
		       "criteria", "Technical skills\nTechnical Skills", NULL);
	CHECK_STATUS(r, 400, "criteria named twice");
	CHECK_HAS(r, "Interview criteria", "the refusal names the field");
	CHECK_HAS(r, "listed twice", "the refusal says why");
	CHECK_HAS(r, "Technical skills\nTechnical Skills",
		  "the form keeps the criteria typed");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM jobs WHERE title = '%s'",
			    bad) == 0,
	      "a job was created with refused criteria");
	/* eleven are too many */
	r = itest_post(rec.c, "/jobs", false, rec.csrf, "title", bad,
		       "criteria", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk", NULL);
	CHECK_STATUS(r, 400, "eleven criteria");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM jobs WHERE title = '%s'",
			    bad) == 0,
	      "a job was created with eleven criteria");
	free(bad);
	/* taken: in order, blank lines and spaces dropped, with the job */
	char *good = itest_fmt("Roles Criteria %s", run_id);
	r = itest_post(rec.c, "/jobs", false, rec.csrf, "title", good,
		       "criteria", "  Technical skills \r\n\r\nCommunication\n",
		       NULL);
	CHECK_STATUS(r, 303, "a new job with criteria");
	itest_resp_free(&r);
	long long id =
	    itest_sql_int("SELECT id FROM jobs WHERE title = '%s'", good);
	CHECK(id > 0, "no job");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM job_criteria WHERE job_id = "
			    "%lld AND ((position = 1 AND name = 'Technical "
			    "skills') OR (position = 2 AND name = "
			    "'Communication'))",
			    id) == 2 &&
		  itest_sql_int("SELECT COUNT(*) FROM job_criteria WHERE "
				"job_id = %lld",
				id) == 2,
	      "the job's criteria are not the two typed");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'job.criteria' AND entity_id = %lld",
			    id) == 1,
	      "no job.criteria audit row");
	/* the job page's criteria editor shows them */
	r = itest_get(rec.c, path_of("/jobs/%lld", id), false);
	CHECK_HAS(r, "Technical skills\nCommunication</textarea>",
		  "the job page's criteria");
	itest_resp_free(&r);
	/* none given: none */
	char *plain = itest_fmt("Roles Plain %s", run_id);
	r = itest_post(rec.c, "/jobs", false, rec.csrf, "title", plain, NULL);
	CHECK_STATUS(r, 303, "a new job without criteria");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM job_criteria c JOIN jobs j "
			    "ON j.id = c.job_id WHERE j.title = '%s'",
			    plain) == 0,
	      "a job without criteria has some");
	free(plain);
	free(good);
}

/* ------------------------------------------------------------ counts */

/* The count of stage k of job A in a page's "stages" (the job page's tabs
 * or a jobs list row's), -1 when missing. */
static long long count_of(json_t *stages, const char *key, int k)
{
	json_t *s = json_array_get(stages, (size_t)k);
	return s ? itest_jint(s, key) : -1;
}

/* Job A's row of the jobs list as p sees it (JSON), its stages. */
static json_t *list_stages(struct itest_person *p, json_t **page)
{
	*page = get_json(p, "/jobs", 200);
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(*page, "jobs"), i, row)
	{
		if (itest_jint(row, "id") == job_a)
			return json_object_get(row, "stages");
	}
	return NULL;
}

static void counts_are_of_what_each_viewer_sees_and_hired_counts_at_hired(void)
{
	/* Phil from Offer to Hired: a move to the Hired stage hires */
	long long version = itest_sql_int(
	    "SELECT version FROM applications WHERE id = %lld", app_p);
	struct itest_resp r =
	    itest_post(rec.c, path_of("/applications/%lld/move", app_p), false,
		       rec.csrf, "stage_id", num(a_stage[4]), "version",
		       num(version), NULL);
	CHECK_STATUS(r, 303, "Phil to Hired");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT status = 'hired' FROM applications WHERE "
			    "id = %lld", app_p) == 1,
	      "Phil is not hired");
	/* now job A: Cara at Prospect (IA asked), Sam at Interview, Phil
	 * hired at Hired */
	static const struct {
		struct itest_person *p;
		long long want[5];
	} views[] = {
	    {&rec, {1, 0, 1, 0, 1}},
	    {&hm, {1, 0, 1, 0, 1}},
	    {&ia, {1, 0, 1, 0, 1}}, /* asked about Cara at Prospect */
	    {&ib, {0, 0, 1, 0, 1}}, /* never asked: no Prospect count */
	};
	for (size_t v = 0; v < ARRAY_LEN(views); v++) {
		struct itest_person *p = views[v].p;
		json_t *page, *job = get_json(p, path_of("/jobs/%lld", job_a), 200);
		json_t *ls = list_stages(p, &page);
		json_t *tabs = json_object_get(job, "stages");
		for (int k = 0; k < 5; k++) {
			long long want = views[v].want[k];
			CHECK(count_of(tabs, "count", k) == want,
			      "%s: the job page's tab %d counts %lld, want %lld",
			      p->name, k, count_of(tabs, "count", k), want);
			CHECK(count_of(ls, "count", k) == want,
			      "%s: the jobs list's stage %d counts %lld, want "
			      "%lld",
			      p->name, k, count_of(ls, "count", k), want);
		}
		json_decref(page);
		json_decref(job);
		/* the heading counts as its tab does */
		for (int k = 0; k < 5; k += 4) {
			json_t *j = get_json(p,
					     path_of("/jobs/%lld?stage=%lld",
						     job_a, a_stage[k]),
					     200);
			long long head =
			    itest_jint(json_object_get(j, "stage"), "count");
			CHECK(head == views[v].want[k],
			      "%s: stage %d's heading counts %lld, want %lld",
			      p->name, k, head, views[v].want[k]);
			json_decref(j);
		}
	}
	/* the HTML says so too: the list's Hired, IB's Prospect tab */
	r = itest_get(rec.c, "/jobs", false);
	/* the row, not the notice of the hire (which names the job) */
	char *row_a = itest_between(r.body, path_of("href=\"/jobs/%lld\"", job_a),
				    "</tr>");
	CHECK(row_a && strstr(row_a, "Hired</span>: <b>1</b>"),
	      "the recruiter's list counts Phil at Hired: %s",
	      row_a ? row_a : "(no row)");
	free(row_a);
	itest_resp_free(&r);
	r = itest_get(ib.c, "/jobs", false);
	row_a = itest_between(r.body, title_a, "</tr>");
	CHECK(row_a && strstr(row_a, "Prospect</span>: <b>0</b>"),
	      "IB's list counts no Prospect candidate: %s",
	      row_a ? row_a : "(no row)");
	free(row_a);
	itest_resp_free(&r);
	r = itest_get(ib.c, path_of("/jobs/%lld?stage=%lld", job_a, a_stage[0]),
		      false);
	CHECK_HAS(r, "Prospect <span class=\"tab-count\">0</span>",
		  "IB's Prospect tab");
	CHECK_HAS(r, "0 candidate(s)", "IB's Prospect heading");
	CHECK_LACKS(r, "Cara", "IB's Prospect tab");
	itest_resp_free(&r);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(an_interviewer_cannot_open_a_prospect_application_nor_read_phones),
	    TEST(feedback_requested_opens_the_application_to_the_interviewer),
	    TEST(feedback_due_opens_the_right_application_of_each_job),
	    TEST(structured_feedback_round_trip_and_edit_until_moved),
	    TEST(feedback_given_before_criteria_stays_readable),
	    TEST(needs_review_lists_screen_candidates_until_reviewed),
	    TEST(the_jobs_list_shows_stages_recruiters_and_active_jobs_first),
	    TEST(counts_are_of_what_each_viewer_sees_and_hired_counts_at_hired),
	    TEST(the_new_job_form_takes_its_criteria),
	};
	static const struct suite suites[] = {
	    SUITE("roles", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
