/*
 * test_applications.c - end-to-end tests of applications (F2) and interview
 * feedback (F4), through nginx: adding a candidate to a job, moving them
 * through the pipeline with who and when kept, the refusal of a move made
 * from a stale page, rejecting, hiring, withdrawing, who may do which, and
 * the rule that an interviewer reads colleagues' feedback only after giving
 * their own.
 *
 * The jobs, their pipelines and members and the candidates are made with
 * SQL (the fixture, not what is under test); everything a user does goes
 * over HTTP.  What a user cannot see (the audit log, that nothing was
 * half-written) is checked in the database afterwards.  Names are unique to
 * the run, so the program can run again on the same stack.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

/* ------------------------------------------------------------ fixture */

static char *run_id;
static struct itest_person rec; /* recruiter on job A */
static struct itest_person hm;	/* hiring manager on job A */
static struct itest_person hm2; /* hiring manager on job B only */
static struct itest_person ia;	/* interviewer on job A */
static struct itest_person ib;	/* interviewer on job A */
static struct itest_person ic;	/* interviewer on job A, never gives feedback */
static struct itest_person iout;  /* interviewer on job B only */
static struct itest_person rec_b; /* recruiter on job B only */
static struct itest_person *const everyone[] = {&rec, &hm, &hm2,  &ia,
						&ib,  &ic, &iout, &rec_b};

static long long job_a, job_b;
static char *title_a;
static long long a_stage[5],
    b_stage[5]; /* prospect screen interview offer hired */
static long long cand1, cand2, cand3, cand4;

static long long app1; /* cand1 on job A: moved, feedback, rejected */
static long long app2; /* cand2 on job A: hired */
static long long app3; /* cand3 on job A: withdrawn */

/* A job with the default pipeline; its id, stage ids into stages[]. */
static long long make_job(const char *title, long long stages[5])
{
	static const char *const names[] = {"Prospect", "Screen", "Interview",
					    "Offer", "Hired"};
	static const char *const kinds[] = {"prospect", "screen", "interview",
					    "offer", "hired"};
	struct buf b = BUF_INIT;
	buf_addf(&b,
		 "INSERT INTO jobs (title, description, status) VALUES ('%s', "
		 "'', 'active');",
		 title);
	if (itest_sql(b.data)) {
		buf_release(&b);
		return -1;
	}
	buf_release(&b);
	long long id =
	    itest_sql_int("SELECT id FROM jobs WHERE title = '%s'", title);
	for (int i = 0; id > 0 && i < 5; i++) {
		buf_addf(
		    &b,
		    "INSERT INTO job_stages (job_id, name, kind, position) "
		    "VALUES (%lld, '%s', '%s', %d);",
		    id, names[i], kinds[i], i + 1);
		if (itest_sql(b.data))
			id = -1;
		buf_reset(&b);
		stages[i] =
		    itest_sql_int("SELECT id FROM job_stages WHERE job_id = "
				  "%lld AND kind = '%s'",
				  id, kinds[i]);
	}
	buf_release(&b);
	return id;
}

static int add_member(long long job, const struct itest_person *p,
		      const char *role)
{
	struct buf b = BUF_INIT;
	buf_addf(&b,
		 "INSERT INTO job_members (job_id, user_id, role) VALUES "
		 "(%lld, %lld, '%s');",
		 job, p->id, role);
	int rc = itest_sql(b.data);
	buf_release(&b);
	return rc;
}

static long long make_candidate(const char *first)
{
	struct buf b = BUF_INIT;
	buf_addf(&b,
		 "INSERT INTO candidates (first_name, last_name, email) VALUES "
		 "('%s', 'Apps%s', '%s.%s@cand.itest.hirelink.test');",
		 first, run_id, first, run_id);
	int rc = itest_sql(b.data);
	buf_release(&b);
	if (rc)
		return -1;
	return itest_sql_int("SELECT id FROM candidates WHERE email = "
			     "'%s.%s@cand.itest.hirelink.test'",
			     first, run_id);
}

static int suite_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id)
		return -1;
	if (itest_person_add(&rec, "rec", "Apps", "recruiter", "none") ||
	    itest_person_add(&hm, "hm", "Apps", "hiring_manager", "none") ||
	    itest_person_add(&hm2, "hm2", "Apps", "hiring_manager", "none") ||
	    itest_person_add(&ia, "ia", "Apps", "interviewer", "none") ||
	    itest_person_add(&ib, "ib", "Apps", "interviewer", "none") ||
	    itest_person_add(&ic, "ic", "Apps", "interviewer", "none") ||
	    itest_person_add(&iout, "iout", "Apps", "interviewer", "none") ||
	    itest_person_add(&rec_b, "recb", "Apps", "recruiter", "none")) {
		fprintf(stderr, "cannot create the test users\n");
		return -1;
	}
	/* every request below goes through each one's own signed-in client */
	for (size_t i = 0; i < ARRAY_LEN(everyone); i++)
		if (!itest_as(everyone[i]) || !*everyone[i]->csrf)
			return -1;
	struct buf b = BUF_INIT;
	buf_addf(&b, "Platform Engineer %s", run_id);
	title_a = buf_detach(&b, NULL);
	buf_addf(&b, "Data Analyst %s", run_id);
	char *title_b = buf_detach(&b, NULL);
	job_a = make_job(title_a, a_stage);
	job_b = make_job(title_b, b_stage);
	free(title_b);
	if (job_a <= 0 || job_b <= 0 || add_member(job_a, &rec, "recruiter") ||
	    add_member(job_a, &hm, "hiring_manager") ||
	    add_member(job_a, &ia, "interviewer") ||
	    add_member(job_a, &ib, "interviewer") ||
	    add_member(job_a, &ic, "interviewer") ||
	    add_member(job_b, &hm2, "hiring_manager") ||
	    add_member(job_b, &iout, "interviewer") ||
	    add_member(job_b, &rec_b, "recruiter")) {
		fprintf(stderr, "cannot create the test jobs\n");
		return -1;
	}
	cand1 = make_candidate("Ada");
	cand2 = make_candidate("Grace");
	cand3 = make_candidate("Linus");
	cand4 = make_candidate("Barbara");
	if (cand1 <= 0 || cand2 <= 0 || cand3 <= 0 || cand4 <= 0) {
		fprintf(stderr, "cannot create the test candidates\n");
		return -1;
	}
	return 0;
}

static int suite_clean(void)
{
	for (size_t i = 0; i < ARRAY_LEN(everyone); i++)
		itest_person_free(everyone[i]);
	free(title_a);
	free(run_id);
	return 0;
}

/* ------------------------------------------------------------ requests */

static const char *num(long long v)
{
	static char bufs[8][32];
	static int next;
	char *s = bufs[next++ % 8];
	snprintf(s, 32, "%lld", v);
	return s;
}

static const char *app_path(long long id, const char *verb)
{
	static char bufs[4][96];
	static int next;
	char *s = bufs[next++ % 4];
	snprintf(s, 96, "/applications/%lld%s%s", id, verb ? "/" : "",
		 verb ? verb : "");
	return s;
}

/* The application as p sees it (GET /applications/{id} as JSON); new. */
static json_t *app_as(struct itest_person *p, long long id)
{
	struct itest_resp r = itest_get(p->c, app_path(id, NULL), true);
	CHECK_STATUS(r, 200, "GET /applications/{id}");
	json_t *j = itest_json(&r);
	itest_resp_free(&r);
	return j ? j : json_object();
}

/* ------------------------------------------------------------ adding */

static void recruiter_adds_candidate_at_the_first_stage(void)
{
	struct itest_resp r =
	    itest_post(rec.c, "/applications", true, rec.csrf, "candidate_id",
		       num(cand1), "job_id", num(job_a), NULL);
	CHECK_STATUS(r, 201, "POST /applications");
	json_t *j = itest_json(&r);
	CHECK(j != NULL, "answer is not JSON");
	app1 = itest_jint(j, "id");
	CHECK(app1 > 0, "no application id");
	CHECK(!strcmp(itest_jstr(j, "stage_name"), "Prospect"), "stage \"%s\"",
	      itest_jstr(j, "stage_name"));
	CHECK(!strcmp(itest_jstr(j, "status"), "active"), "status \"%s\"",
	      itest_jstr(j, "status"));
	CHECK(!strcmp(itest_jstr(j, "job_title"), title_a), "job_title \"%s\"",
	      itest_jstr(j, "job_title"));
	CHECK(itest_jint(j, "version") == 1, "version %lld",
	      itest_jint(j, "version"));
	json_t *ev = json_object_get(j, "events");
	CHECK(json_array_size(ev) == 1, "%zu events", json_array_size(ev));
	json_t *e0 = json_array_get(ev, 0);
	CHECK(!strcmp(itest_jstr(e0, "kind"), "created") &&
		  !strcmp(itest_jstr(e0, "user_name"), rec.name),
	      "first event %s by \"%s\"", itest_jstr(e0, "kind"),
	      itest_jstr(e0, "user_name"));
	json_decref(j);
	itest_resp_free(&r);
}

static void form_post_goes_back_to_the_candidate_or_return_to(void)
{
	/* a browser: back to the candidate's Applications tab */
	struct itest_resp r = itest_post(
	    rec.c, "/applications", false, rec.csrf, "candidate_id", num(cand2),
	    "job_id", num(job_a), "stage_id", num(a_stage[2]), NULL);
	CHECK_STATUS(r, 303, "POST /applications from a form");
	char want[96];
	snprintf(want, sizeof want, "/candidates/%lld?tab=applications", cand2);
	CHECK(!strcmp(itest_location(&r), want), "Location \"%s\", want %s",
	      itest_location(&r), want);
	itest_resp_free(&r);
	app2 = itest_sql_int(
	    "SELECT id FROM applications WHERE candidate_id = %lld "
	    "AND job_id = %lld",
	    cand2, job_a);
	CHECK(app2 > 0, "no application for the second candidate");
	CHECK(itest_sql_int("SELECT stage_id FROM applications WHERE id = %lld",
			    app2) == a_stage[2],
	      "the given stage was not used");

	/* with a local return_to: there; a foreign one is ignored */
	snprintf(want, sizeof want, "/jobs/%lld?stage=prospect", job_a);
	r = itest_post(rec.c, "/applications", false, rec.csrf, "candidate_id",
		       num(cand3), "job_id", num(job_a), "return_to", want,
		       NULL);
	CHECK_STATUS(r, 303, "POST /applications with return_to");
	CHECK(!strcmp(itest_location(&r), want), "Location \"%s\", want %s",
	      itest_location(&r), want);
	itest_resp_free(&r);
	app3 = itest_sql_int(
	    "SELECT id FROM applications WHERE candidate_id = %lld "
	    "AND job_id = %lld",
	    cand3, job_a);

	static const char *const evil[] = {"//evil.example/", "/\\evil.example",
					   "https://evil.example/",
					   "/jobs\r\nSet-Cookie: x=1"};
	for (size_t i = 0; i < ARRAY_LEN(evil); i++) {
		r = itest_post(rec.c, app_path(app3, "move"), false, rec.csrf,
			       "stage_id", num(a_stage[(i + 1) % 2]), "version",
			       num(1 + (long long)i), "return_to", evil[i],
			       NULL);
		CHECK_STATUS(r, 303, "move with a foreign return_to");
		/* the one cookie set is the notice's (what was done) */
		const char *sc = itest_header(&r, "Set-Cookie");
		CHECK(!strstr(itest_location(&r), "evil") &&
			  !strstr(itest_location(&r), "Set-Cookie") &&
			  (!sc || !strncmp(sc, "hl_notice=", 10)) &&
			  !itest_header_nth(&r, "Set-Cookie", 1),
		      "return_to %s led to Location \"%s\"", evil[i],
		      itest_location(&r));
		itest_resp_free(&r);
	}
}

static void the_same_candidate_twice_on_a_job_is_409_naming_the_job(void)
{
	struct itest_resp r =
	    itest_post(rec.c, "/applications", true, rec.csrf, "candidate_id",
		       num(cand1), "job_id", num(job_a), NULL);
	CHECK_STATUS(r, 409, "second POST /applications");
	CHECK_HAS(r, title_a, "duplicate refusal");
	itest_resp_free(&r);
	CHECK(itest_sql_int(
		  "SELECT COUNT(*) FROM applications WHERE candidate_id = "
		  "%lld",
		  cand1) == 1,
	      "a second application was stored");
}

static void a_stage_of_another_job_is_refused(void)
{
	struct itest_resp r = itest_post(
	    rec.c, "/applications", true, rec.csrf, "candidate_id", num(cand4),
	    "job_id", num(job_a), "stage_id", num(b_stage[0]), NULL);
	CHECK_STATUS(r, 400, "POST /applications with job B's stage");
	CHECK_HAS(r, "\"field\":\"stage_id\"", "stage refusal");
	itest_resp_free(&r);
	CHECK(itest_sql_int(
		  "SELECT COUNT(*) FROM applications WHERE candidate_id = "
		  "%lld",
		  cand4) == 0,
	      "an application was stored");

	r = itest_post(rec.c, app_path(app1, "move"), true, rec.csrf,
		       "stage_id", num(b_stage[1]), "version", "1", NULL);
	CHECK_STATUS(r, 400, "move to job B's stage");
	CHECK_HAS(r, "\"field\":\"stage_id\"", "move refusal");
	itest_resp_free(&r);
}

static void only_the_jobs_recruiters_add_candidates(void)
{
	/* a recruiter of another job does not even see job A */
	struct itest_resp r =
	    itest_post(rec_b.c, "/applications", true, rec_b.csrf,
		       "candidate_id", num(cand4), "job_id", num(job_a), NULL);
	CHECK_STATUS(r, 404, "recruiter of job B adds to job A");
	itest_resp_free(&r);
	/* hiring managers do not add candidates */
	r = itest_post(hm.c, "/applications", true, hm.csrf, "candidate_id",
		       num(cand4), "job_id", num(job_a), NULL);
	CHECK_STATUS(r, 403, "hiring manager adds to job A");
	itest_resp_free(&r);
}

/* ------------------------------------------------------------ moving */

static void moving_records_who_and_when(void)
{
	struct itest_resp r =
	    itest_post(rec.c, app_path(app1, "move"), true, rec.csrf,
		       "stage_id", num(a_stage[1]), "version", "1", NULL);
	CHECK_STATUS(r, 200, "move to Screen");
	json_t *j = itest_json(&r);
	CHECK(!strcmp(itest_jstr(j, "stage_name"), "Screen"), "stage \"%s\"",
	      itest_jstr(j, "stage_name"));
	CHECK(itest_jint(j, "version") == 2, "version %lld",
	      itest_jint(j, "version"));
	json_t *ev = json_object_get(j, "events");
	CHECK(json_array_size(ev) == 2, "%zu events", json_array_size(ev));
	json_t *e = json_array_get(ev, 1);
	CHECK(!strcmp(itest_jstr(e, "kind"), "moved"), "kind \"%s\"",
	      itest_jstr(e, "kind"));
	CHECK(!strcmp(itest_jstr(e, "from_stage"), "Prospect") &&
		  !strcmp(itest_jstr(e, "to_stage"), "Screen"),
	      "moved \"%s\" -> \"%s\"", itest_jstr(e, "from_stage"),
	      itest_jstr(e, "to_stage"));
	CHECK(!strcmp(itest_jstr(e, "user_name"), rec.name), "by \"%s\"",
	      itest_jstr(e, "user_name"));
	CHECK(strlen(itest_jstr(e, "at")) == 16, "at \"%s\"",
	      itest_jstr(e, "at"));
	json_decref(j);
	itest_resp_free(&r);

	/* the page shows the history */
	r = itest_get(rec.c, app_path(app1, NULL), false);
	CHECK_STATUS(r, 200, "GET /applications/{id}");
	CHECK_HAS(r, "Prospect &rarr; Screen", "history");
	CHECK_HAS(r, rec.name, "history");
	itest_resp_free(&r);

	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'application.move' AND entity = 'application' AND "
			    "entity_id = %lld AND user_id = %lld",
			    app1, rec.id) == 1,
	      "no audit_log row for the move");
}

static void a_move_from_a_stale_page_is_refused_and_changes_nothing(void)
{
	/* version 1 was current before the move to Screen */
	struct itest_resp r =
	    itest_post(rec.c, app_path(app1, "move"), true, rec.csrf,
		       "stage_id", num(a_stage[2]), "version", "1", NULL);
	CHECK_STATUS(r, 409, "stale move");
	CHECK_HAS(r,
		  "changed by someone else (now at stage Screen); reload "
		  "and try again",
		  "stale move");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT stage_id FROM applications WHERE id = %lld",
			    app1) == a_stage[1],
	      "the stale move changed the stage");
	CHECK(itest_sql_int("SELECT version FROM applications WHERE id = %lld",
			    app1) == 2,
	      "the stale move changed the version");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events WHERE "
			    "application_id = %lld",
			    app1) == 2,
	      "the stale move wrote an event");

	/* a browser sees the page again, with the message and the stage */
	r = itest_post(rec.c, app_path(app1, "move"), false, rec.csrf,
		       "stage_id", num(a_stage[2]), "version", "1", NULL);
	CHECK_STATUS(r, 409, "stale move from a form");
	CHECK_HAS(r, "now at stage Screen", "stale move page");
	CHECK_HAS(r, "name=\"version\" value=\"2\"", "stale move page");
	itest_resp_free(&r);
}

static void hiring_manager_on_the_job_moves_others_get_404(void)
{
	struct itest_resp r =
	    itest_post(hm2.c, app_path(app1, "move"), true, hm2.csrf,
		       "stage_id", num(a_stage[2]), "version", "2", NULL);
	CHECK_STATUS(r, 404, "hiring manager of another job moves");
	itest_resp_free(&r);
	r = itest_get(hm2.c, app_path(app1, NULL), true);
	CHECK_STATUS(r, 404, "hiring manager of another job looks");
	itest_resp_free(&r);

	r = itest_post(hm.c, app_path(app1, "move"), true, hm.csrf, "stage_id",
		       num(a_stage[2]), "version", "2", NULL);
	CHECK_STATUS(r, 200, "hiring manager on the job moves");
	json_t *j = itest_json(&r);
	CHECK(!strcmp(itest_jstr(j, "stage_name"), "Interview"), "stage \"%s\"",
	      itest_jstr(j, "stage_name"));
	json_decref(j);
	itest_resp_free(&r);

	/* but does not reject, and interviewers do not move */
	r = itest_post(hm.c, app_path(app1, "reject"), true, hm.csrf, "reason",
		       "other", NULL);
	CHECK_STATUS(r, 403, "hiring manager rejects");
	itest_resp_free(&r);
	r = itest_post(ia.c, app_path(app1, "move"), true, ia.csrf, "stage_id",
		       num(a_stage[3]), "version", "3", NULL);
	CHECK_STATUS(r, 403, "interviewer moves");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT version FROM applications WHERE id = %lld",
			    app1) == 3,
	      "a refused request changed the application");
}

static void a_post_without_csrf_is_403(void)
{
	struct itest_resp r =
	    itest_post(rec.c, app_path(app1, "move"), true, NULL, "stage_id",
		       num(a_stage[3]), "version", "3", NULL);
	CHECK_STATUS(r, 403, "move without CSRF");
	itest_resp_free(&r);
	r = itest_post(rec.c, "/applications", true, NULL, "candidate_id",
		       num(cand4), "job_id", num(job_a), NULL);
	CHECK_STATUS(r, 403, "add without CSRF");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT version FROM applications WHERE id = %lld",
			    app1) == 3,
	      "a request without CSRF changed the application");
}

/* ------------------------------------------------------------ feedback */

static void interviewer_gives_feedback_once_with_a_valid_rating(void)
{
	struct itest_resp r = itest_post(
	    ia.c, app_path(app1, "feedback"), true, ia.csrf, "rating", "0",
	    "recommendation", "yes", "body", "Solid", NULL);
	CHECK_STATUS(r, 400, "rating 0");
	CHECK_HAS(r, "\"field\":\"rating\"", "rating 0");
	itest_resp_free(&r);
	r = itest_post(ia.c, app_path(app1, "feedback"), true, ia.csrf,
		       "rating", "6", "recommendation", "yes", "body", "Solid",
		       NULL);
	CHECK_STATUS(r, 400, "rating 6");
	CHECK_HAS(r, "\"field\":\"rating\"", "rating 6");
	itest_resp_free(&r);
	r = itest_post(ia.c, app_path(app1, "feedback"), true, ia.csrf,
		       "rating", "4", "recommendation", "maybe", "body",
		       "Solid", NULL);
	CHECK_STATUS(r, 400, "recommendation maybe");
	CHECK_HAS(r, "\"field\":\"recommendation\"", "recommendation maybe");
	itest_resp_free(&r);

	r = itest_post(ia.c, app_path(app1, "feedback"), true, ia.csrf,
		       "rating", "4", "recommendation", "strong_yes", "body",
		       "IA says <script>alert('ia')</script> great", NULL);
	CHECK_STATUS(r, 201, "feedback");
	itest_resp_free(&r);
	r = itest_post(ia.c, app_path(app1, "feedback"), true, ia.csrf,
		       "rating", "2", "recommendation", "no", "body",
		       "changed my mind", NULL);
	CHECK_STATUS(r, 409, "second feedback");
	CHECK_HAS(r, "already submitted", "second feedback");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM interview_feedback WHERE "
			    "application_id = %lld",
			    app1) == 1,
	      "feedback rows");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'feedback.create' AND user_id = %lld",
			    ia.id) == 1,
	      "no audit_log row for the feedback");

	/* an interviewer of another job: not found */
	r = itest_post(iout.c, app_path(app1, "feedback"), true, iout.csrf,
		       "rating", "3", "recommendation", "yes", "body", "x",
		       NULL);
	CHECK_STATUS(r, 404, "interviewer of another job");
	itest_resp_free(&r);
}

static void an_interviewer_reads_others_feedback_only_after_giving_theirs(void)
{
	json_t *j = app_as(&ib, app1);
	json_t *fb = json_object_get(j, "feedback");
	CHECK(json_array_size(fb) == 0,
	      "before giving feedback, IB reads %zu entries",
	      json_array_size(fb));
	CHECK(json_object_get(j, "feedback_form") != NULL,
	      "IB is not offered the feedback form");
	json_decref(j);
	struct itest_resp r = itest_get(ib.c, app_path(app1, NULL), false);
	CHECK_LACKS(r, "IA says", "IB's page before feedback");
	CHECK_HAS(r, "action=\"/applications/", "IB's page has a form");
	itest_resp_free(&r);

	r = itest_post(ib.c, app_path(app1, "feedback"), true, ib.csrf,
		       "rating", "2", "recommendation", "no", "body",
		       "IB has doubts", NULL);
	CHECK_STATUS(r, 201, "IB's feedback");
	itest_resp_free(&r);

	j = app_as(&ib, app1);
	fb = json_object_get(j, "feedback");
	CHECK(json_array_size(fb) == 2, "after giving feedback, IB reads %zu",
	      json_array_size(fb));
	/* no second feedback at this stage: the form edits IB's own */
	json_t *ff = json_object_get(j, "feedback_form");
	CHECK(ff && json_is_true(json_object_get(ff, "editing")),
	      "IB is not offered the edit of their feedback");
	CHECK(ff && strstr(itest_jstr(ff, "action"), "/feedback/"),
	      "IB's form posts a new feedback again");
	json_decref(j);
}

static void recruiters_and_hiring_managers_read_all_feedback_escaped(void)
{
	struct itest_person *readers[] = {&rec, &hm};
	for (size_t i = 0; i < ARRAY_LEN(readers); i++) {
		json_t *j = app_as(readers[i], app1);
		CHECK(json_array_size(json_object_get(j, "feedback")) == 2,
		      "%s reads %zu entries", readers[i]->name,
		      json_array_size(json_object_get(j, "feedback")));
		json_decref(j);
	}
	struct itest_resp r = itest_get(rec.c, app_path(app1, NULL), false);
	CHECK_STATUS(r, 200, "application page");
	CHECK_HAS(r, "IA says &lt;script&gt;", "feedback text");
	CHECK_LACKS(r, "<script>alert('ia')", "feedback text");
	CHECK_HAS(r, "IB has doubts", "feedback text");
	itest_resp_free(&r);
}

/* The candidate page (another family's) renders our context and partials. */
static void the_candidate_page_shows_applications_and_readable_feedback(void)
{
	char path[96];
	snprintf(path, sizeof path, "/candidates/%lld?tab=applications", cand1);
	struct itest_resp r = itest_get(rec.c, path, true);
	CHECK_STATUS(r, 200, "candidate page, applications tab");
	json_t *j = itest_json(&r);
	json_t *apps = json_object_get(j, "applications");
	json_t *a0 = json_array_get(apps, 0);
	CHECK(json_array_size(apps) == 1 && itest_jint(a0, "id") == app1,
	      "applications tab lists %zu applications", json_array_size(apps));
	CHECK(json_array_size(json_object_get(a0, "events")) == 3,
	      "history of %zu events",
	      json_array_size(json_object_get(a0, "events")));
	json_decref(j);
	itest_resp_free(&r);
	r = itest_get(rec.c, path, false);
	char want[96];
	snprintf(want, sizeof want, "action=\"/applications/%lld/move\"", app1);
	CHECK_HAS(r, want, "candidate page actions");
	CHECK_HAS(r, "Screen &rarr; Interview", "candidate page history");
	itest_resp_free(&r);

	/* IC has given no feedback: reads none of the others' */
	snprintf(path, sizeof path, "/candidates/%lld?tab=feedback", cand1);
	r = itest_get(ic.c, path, true);
	CHECK_STATUS(r, 200, "candidate page, feedback tab, IC");
	j = itest_json(&r);
	CHECK(json_array_size(json_object_get(j, "feedback")) == 0,
	      "IC reads %zu feedback entries",
	      json_array_size(json_object_get(j, "feedback")));
	json_decref(j);
	itest_resp_free(&r);
	r = itest_get(ic.c, path, false);
	CHECK_LACKS(r, "IA says", "IC's feedback tab");
	CHECK_LACKS(r, "IB has doubts", "IC's feedback tab");
	itest_resp_free(&r);
	/* the recruiter reads both */
	r = itest_get(rec.c, path, true);
	j = itest_json(&r);
	CHECK(json_array_size(json_object_get(j, "feedback")) == 2,
	      "the recruiter reads %zu feedback entries",
	      json_array_size(json_object_get(j, "feedback")));
	json_decref(j);
	itest_resp_free(&r);
}

/* The pipelines of all the candidate's jobs come in one statement
 * (ats_candidate_pipelines): each move form must still offer its own job's
 * stages, and an ended application none. */
static void each_application_moves_within_its_own_job(void)
{
	long long sx[5], sy[5], sz[5];
	char *tx = itest_fmt("Pipe X %s", run_id),
	     *ty = itest_fmt("Pipe Y %s", run_id),
	     *tz = itest_fmt("Pipe Z %s", run_id);
	long long jx = make_job(tx, sx), jy = make_job(ty, sy),
		  jz = make_job(tz, sz);
	long long cand = make_candidate("Multi");
	CHECK(jx > 0 && jy > 0 && jz > 0 && cand > 0, "fixtures");
	char *rename = itest_fmt(
	    "UPDATE job_stages SET name = 'Tech test %s' WHERE id = %lld",
	    run_id, sy[2]);
	CHECK(itest_sql(rename) == 0, "a stage of Y renamed");
	free(rename);
	long long jobs[] = {jx, jy, jz};
	for (size_t i = 0; i < ARRAY_LEN(jobs); i++) {
		struct itest_resp r = itest_post(
		    rec.c, "/applications", true, rec.csrf, "candidate_id",
		    num(cand), "job_id", num(jobs[i]), NULL);
		CHECK_STATUS(r, 201, "POST /applications");
		itest_resp_free(&r);
	}
	char *end = itest_fmt(
	    "UPDATE applications SET status = 'rejected', rejection_reason = "
	    "'not_qualified' WHERE candidate_id = %lld AND job_id = %lld",
	    cand, jz);
	CHECK(itest_sql(end) == 0, "the application on Z ended");
	free(end);

	char path[96];
	snprintf(path, sizeof path, "/candidates/%lld?tab=applications", cand);
	struct itest_resp r = itest_get(rec.c, path, true);
	CHECK_STATUS(r, 200, path);
	json_t *j = itest_json(&r);
	json_t *apps = json_object_get(j, "applications");
	CHECK(json_array_size(apps) == 3, "%zu applications",
	      json_array_size(apps));
	size_t i;
	json_t *a;
	json_array_foreach(apps, i, a)
	{
		long long job = itest_jint(a, "job_id");
		json_t *st =
		    json_object_get(json_object_get(a, "actions"), "stages");
		if (job == jz) {
			CHECK(!json_object_get(a, "actions") ||
				  json_is_null(json_object_get(a, "actions")),
			      "the ended application offers no move");
			continue;
		}
		long long *want = job == jx ? sx : sy;
		CHECK(json_array_size(st) == 5, "job %lld: %zu stages offered",
		      job, json_array_size(st));
		for (size_t k = 0; k < 5 && k < json_array_size(st); k++) {
			json_t *o = json_array_get(st, k);
			CHECK(itest_jint(o, "id") == want[k],
			      "job %lld offers stage %lld at %zu, want %lld",
			      job, itest_jint(o, "id"), k, want[k]);
			CHECK(json_is_true(json_object_get(o, "current")) ==
				  (k == 0),
			      "job %lld: stage %zu current", job, k);
		}
		char *dump = json_dumps(st, 0);
		bool tech = dump && strstr(dump, "Tech test");
		free(dump);
		CHECK(tech == (job == jy), "job %lld: the renamed stage %s", job,
		      tech ? "offered" : "missing");
	}
	json_decref(j);
	itest_resp_free(&r);
	free(tx);
	free(ty);
	free(tz);
}

/* ------------------------------------------------------------ ending */

static void reject_needs_a_known_reason_and_keeps_the_note_escaped(void)
{
	struct itest_resp r =
	    itest_post(rec.c, app_path(app1, "reject"), true, rec.csrf,
		       "reason", "too_tall", "note", "x", NULL);
	CHECK_STATUS(r, 400, "reject with an unknown reason");
	CHECK_HAS(r, "\"field\":\"reason\"", "unknown reason");
	itest_resp_free(&r);
	char *long_note = malloc(2002);
	memset(long_note, 'n', 2001);
	long_note[2001] = 0;
	r = itest_post(rec.c, app_path(app1, "reject"), true, rec.csrf,
		       "reason", "other", "note", long_note, NULL);
	free(long_note);
	CHECK_STATUS(r, 400, "reject with a 2001-character note");
	CHECK_HAS(r, "\"field\":\"note\"", "long note");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT version FROM applications WHERE id = %lld",
			    app1) == 3,
	      "a refused rejection changed the application");

	r = itest_post(rec.c, app_path(app1, "reject"), true, rec.csrf,
		       "reason", "not_qualified", "note",
		       "Needs <b>more</b> Go", "version", "3", NULL);
	CHECK_STATUS(r, 200, "reject");
	json_t *j = itest_json(&r);
	CHECK(!strcmp(itest_jstr(j, "status"), "rejected"), "status \"%s\"",
	      itest_jstr(j, "status"));
	CHECK(!strcmp(itest_jstr(j, "rejection_reason"), "not_qualified"),
	      "reason \"%s\"", itest_jstr(j, "rejection_reason"));
	json_t *ev = json_object_get(j, "events");
	json_t *last = json_array_get(ev, json_array_size(ev) - 1);
	CHECK(!strcmp(itest_jstr(last, "kind"), "rejected"),
	      "last event \"%s\"", itest_jstr(last, "kind"));
	json_decref(j);
	itest_resp_free(&r);

	r = itest_get(rec.c, app_path(app1, NULL), false);
	CHECK_HAS(r, "Needs &lt;b&gt;more&lt;/b&gt; Go", "rejection note");
	CHECK_LACKS(r, "<b>more</b>", "rejection note");
	CHECK_HAS(r, "Not qualified", "rejection reason");
	CHECK_LACKS(r, "/move\"", "actions of a rejected application");
	itest_resp_free(&r);

	/* ended: no more moves */
	r = itest_post(rec.c, app_path(app1, "move"), true, rec.csrf,
		       "stage_id", num(a_stage[0]), "version", "4", NULL);
	CHECK_STATUS(r, 409, "move a rejected application");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'application.reject' AND entity_id = %lld",
			    app1) == 1,
	      "no audit_log row for the rejection");
}

static void hire_moves_to_the_hired_stage(void)
{
	struct itest_resp r =
	    itest_post(rec.c, app_path(app2, "hire"), true, rec.csrf, NULL);
	CHECK_STATUS(r, 200, "hire");
	json_t *j = itest_json(&r);
	CHECK(!strcmp(itest_jstr(j, "status"), "hired"), "status \"%s\"",
	      itest_jstr(j, "status"));
	CHECK(!strcmp(itest_jstr(j, "stage_name"), "Hired"), "stage \"%s\"",
	      itest_jstr(j, "stage_name"));
	json_decref(j);
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events WHERE "
			    "application_id = %lld AND kind = 'hired' AND "
			    "to_stage_id = %lld AND user_id = %lld",
			    app2, a_stage[4], rec.id) == 1,
	      "no hired event");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'application.hire' AND entity_id = %lld",
			    app2) == 1,
	      "no audit_log row for the hire");
	r = itest_post(rec.c, app_path(app2, "withdraw"), true, rec.csrf, NULL);
	CHECK_STATUS(r, 409, "withdraw a hired application");
	itest_resp_free(&r);
}

static void withdraw_ends_the_application(void)
{
	struct itest_resp r = itest_post(rec.c, app_path(app3, "withdraw"),
					 false, rec.csrf, NULL);
	CHECK_STATUS(r, 303, "withdraw from a form");
	itest_resp_free(&r);
	json_t *j = app_as(&rec, app3);
	CHECK(!strcmp(itest_jstr(j, "status"), "withdrawn"), "status \"%s\"",
	      itest_jstr(j, "status"));
	json_decref(j);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE entity = "
			    "'application' AND entity_id = %lld",
			    app3) == 6,
	      "audit rows for create, 4 moves, withdraw");
	/* every change: as many events as audit rows */
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events WHERE "
			    "application_id = %lld",
			    app3) == 6,
	      "events for create, 4 moves, withdraw");
}

static void json_clients_post_json_bodies(void)
{
	char body[160];
	snprintf(body, sizeof body,
		 "{\"candidate_id\": %lld, \"job_id\": %lld, \"stage_id\": "
		 "%lld}",
		 cand4, job_a, a_stage[1]);
	struct buf hdr = BUF_INIT;
	buf_addf(&hdr, "X-CSRF-Token: %s", rec.csrf);
	struct itest_resp r =
	    itest_request(rec.c, "POST", "/applications", true,
			  "application/json", body, strlen(body), hdr.data);
	CHECK_STATUS(r, 201, "POST /applications with a JSON body");
	json_t *j = itest_json(&r);
	CHECK(!strcmp(itest_jstr(j, "stage_name"), "Screen"), "stage \"%s\"",
	      itest_jstr(j, "stage_name"));
	long long id = itest_jint(j, "id");
	json_decref(j);
	itest_resp_free(&r);

	snprintf(body, sizeof body, "{\"stage_id\": %lld, \"version\": 1}",
		 a_stage[2]);
	r = itest_request(rec.c, "POST", app_path(id, "move"), true,
			  "application/json", body, strlen(body), hdr.data);
	CHECK_STATUS(r, 200, "move with a JSON body");
	j = itest_json(&r);
	CHECK(!strcmp(itest_jstr(j, "stage_name"), "Interview"), "stage \"%s\"",
	      itest_jstr(j, "stage_name"));
	json_decref(j);
	itest_resp_free(&r);
	buf_release(&hdr);
}

/* A change is the application row, its event and its audit row, or none of
 * them: make the audit insert fail and look for leftovers. */
static void a_failed_change_leaves_nothing_half_written(void)
{
	long long id =
	    itest_sql_int("SELECT id FROM applications WHERE candidate_id "
			  "= %lld AND job_id = %lld",
			  cand4, job_a);
	long long events =
	    itest_sql_int("SELECT COUNT(*) FROM application_events "
			  "WHERE application_id = %lld",
			  id);
	struct buf b = BUF_INIT;
	buf_addf(&b,
		 "DELIMITER //\nCREATE TRIGGER itest_apps_fail_%s BEFORE "
		 "INSERT ON audit_log "
		 "FOR EACH ROW BEGIN IF NEW.entity = 'application' AND "
		 "NEW.entity_id = %lld THEN SIGNAL SQLSTATE '45000' SET "
		 "MESSAGE_TEXT = 'itest: audit refused'; END IF; END//\n"
		 "DELIMITER ;\n",
		 run_id, id);
	CHECK(itest_sql(b.data) == 0, "cannot create the failing trigger");
	buf_reset(&b);

	struct itest_resp r =
	    itest_post(rec.c, app_path(id, "move"), true, rec.csrf, "stage_id",
		       num(a_stage[3]), "version", "2", NULL);
	CHECK_STATUS(r, 500, "move while the audit log refuses");
	itest_resp_free(&r);
	r = itest_post(rec.c, app_path(id, "reject"), true, rec.csrf, "reason",
		       "other", NULL);
	CHECK_STATUS(r, 500, "reject while the audit log refuses");
	itest_resp_free(&r);

	buf_addf(&b, "DROP TRIGGER itest_apps_fail_%s", run_id);
	CHECK(itest_sql(b.data) == 0, "cannot drop the failing trigger");
	buf_release(&b);

	CHECK(itest_sql_int("SELECT stage_id FROM applications WHERE id = %lld",
			    id) == a_stage[2],
	      "the failed move changed the stage");
	CHECK(itest_sql_int("SELECT CONCAT(version, status = 'active') FROM "
			    "applications WHERE id = %lld",
			    id) == 21,
	      "the failed changes changed version or status");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events WHERE "
			    "application_id = %lld",
			    id) == events,
	      "the failed changes left events");

	/* and it works again afterwards */
	r = itest_post(rec.c, app_path(id, "move"), true, rec.csrf, "stage_id",
		       num(a_stage[3]), "version", "2", NULL);
	CHECK_STATUS(r, 200, "move after the audit log recovered");
	itest_resp_free(&r);
}

/* The stage tabs' counts are kept by triggers (sql/080_perf_stages.sql) and
 * "since" is a column the move sets: both must agree with the rows. */
static json_t *stage_tab(long long job, long long stage)
{
	char path[96];
	snprintf(path, sizeof(path), "/jobs/%lld?stage=%lld", job, stage);
	struct itest_resp r = itest_get(rec.c, path, true);
	CHECK_STATUS(r, 200, "GET the stage tab");
	json_t *j = itest_json(&r);
	itest_resp_free(&r);
	return j ? j : json_object();
}

static const char *since_of(json_t *tab, long long app)
{
	json_t *list = json_object_get(tab, "applications"), *e;
	size_t i;
	json_array_foreach(list, i, e) if (itest_jint(e, "application_id") ==
					   app) return itest_jstr(e, "since");
	return "";
}

static void stage_tabs_count_exactly_and_say_since_when(void)
{
	long long cand = make_candidate("Sincere");
	struct itest_resp r =
	    itest_post(rec.c, "/applications", true, rec.csrf, "candidate_id",
		       num(cand), "job_id", num(job_a), NULL);
	CHECK_STATUS(r, 201, "add the candidate");
	itest_resp_free(&r);
	long long id = itest_sql_int("SELECT id FROM applications WHERE "
				     "candidate_id = %lld",
				     cand);
	CHECK(itest_sql_int("UPDATE applications SET created_at = '2020-03-04 "
			    "05:06:00' WHERE id = %lld; SELECT ROW_COUNT()",
			    id) == 1,
	      "cannot back-date the application");
	json_t *tab = stage_tab(job_a, a_stage[0]);
	CHECK(!strcmp(since_of(tab, id), "2020-03-04 05:06"),
	      "since \"%s\" at the first stage, want its creation",
	      since_of(tab, id));
	json_decref(tab);

	r = itest_post(rec.c, app_path(id, "move"), true, rec.csrf, "stage_id",
		       num(a_stage[1]), "version", "1", NULL);
	CHECK_STATUS(r, 200, "move to Screen");
	json_t *j = itest_json(&r);
	json_t *ev = json_object_get(j, "events");
	char at[32];
	snprintf(at, sizeof(at), "%s",
		 itest_jstr(json_array_get(ev, json_array_size(ev) - 1), "at"));
	json_decref(j);
	itest_resp_free(&r);
	tab = stage_tab(job_a, a_stage[1]);
	CHECK(!strcmp(since_of(tab, id), at),
	      "since \"%s\" after the move, want the move's \"%s\"",
	      since_of(tab, id), at);

	/* every tab's counts against the rows themselves */
	json_t *stages = json_object_get(tab, "stages"), *st;
	size_t i;
	CHECK(json_array_size(stages) == 5, "%zu stages",
	      json_array_size(stages));
	json_array_foreach(stages, i, st)
	{
		long long sid = itest_jint(st, "id");
		long long want =
		    itest_sql_int("SELECT COUNT(*) FROM applications "
				  "WHERE stage_id = %lld AND status = "
				  "'active'",
				  sid);
		CHECK(itest_jint(st, "active_count") == want,
		      "stage %lld shows %lld active, the rows say %lld", sid,
		      itest_jint(st, "active_count"), want);
	}
	CHECK(itest_jint(json_object_get(tab, "stage"), "total") ==
		  itest_sql_int(
		      "SELECT COUNT(*) FROM applications WHERE stage_id = "
		      "%lld",
		      a_stage[1]),
	      "the Screen tab's total is not its rows'");
	json_decref(tab);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(recruiter_adds_candidate_at_the_first_stage),
	    TEST(form_post_goes_back_to_the_candidate_or_return_to),
	    TEST(the_same_candidate_twice_on_a_job_is_409_naming_the_job),
	    TEST(a_stage_of_another_job_is_refused),
	    TEST(only_the_jobs_recruiters_add_candidates),
	    TEST(moving_records_who_and_when),
	    TEST(a_move_from_a_stale_page_is_refused_and_changes_nothing),
	    TEST(hiring_manager_on_the_job_moves_others_get_404),
	    TEST(a_post_without_csrf_is_403),
	    TEST(interviewer_gives_feedback_once_with_a_valid_rating),
	    TEST(an_interviewer_reads_others_feedback_only_after_giving_theirs),
	    TEST(recruiters_and_hiring_managers_read_all_feedback_escaped),
	    TEST(the_candidate_page_shows_applications_and_readable_feedback),
	    TEST(each_application_moves_within_its_own_job),
	    TEST(reject_needs_a_known_reason_and_keeps_the_note_escaped),
	    TEST(hire_moves_to_the_hired_stage),
	    TEST(withdraw_ends_the_application),
	    TEST(json_clients_post_json_bodies),
	    TEST(a_failed_change_leaves_nothing_half_written),
	    TEST(stage_tabs_count_exactly_and_say_since_when),
	};
	static const struct suite suites[] = {
	    SUITE("applications", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
