/*
 * test_sync.c - In ATS (issue 16, F12), end to end: what hirelink's worker
 * sends LinkedIn of a candidate, read back from the sandbox's copy of every
 * request it got (/sandbox/payloads) and its In ATS view (/sandbox/inats),
 * CONTRACT-16 §2.
 *
 * A Prospect-only candidate leaves nothing at LinkedIn; the first move past
 * Prospect sends the candidate, their applications with the stage history,
 * feedback and public notes, never a private note; later changes follow
 * (a note made private or deleted is deleted there); LinkedIn failing for
 * a while delays changes and loses or repeats none; a record LinkedIn
 * refuses is dead with LinkedIn's message, tried once; two workers, or a
 * worker killed mid-batch, deliver each entry exactly once.
 *
 * The program makes its own users, job and candidates, named for the run,
 * and leaves LinkedIn set up but off, as test_job_sync does.
 */
#include <CUnit/Basic.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

extern char **environ;

static char *run_id;
static struct itest_person ada;	 /* admin */
static struct itest_person rita; /* recruiter on the job */
static struct itest_person ivan; /* interviewer on the job */
static const struct itest_li_app *li;
static struct itest_client *sbc; /* the sandbox's control API */
static char *instance;		 /* this hirelink's instance id */
static long long job;		 /* active, synced, default pipeline */
static long long stage[5];	 /* prospect screen interview offer hired */

/* ------------------------------------------------------------ hirelink */

static const char *num(long long v)
{
	static char bufs[8][32];
	static int next;
	char *s = bufs[next++ % 8];
	snprintf(s, 32, "%lld", v);
	return s;
}

/* POST path as p (a form, fields name, value, ..., NULL); the status. */
static long post_as(struct itest_person *p, const char *path, ...)
{
	va_list ap;
	va_start(ap, path);
	char *form = itest_vform(p->csrf, ap);
	va_end(ap);
	struct itest_resp r = itest_post_form(itest_as(p), path, form);
	free(form);
	long st = r.status;
	if (st >= 400)
		itest_dump(&r);
	itest_resp_free(&r);
	return st;
}

/* A new candidate through the form (email NULL: none); its id. */
static long long new_candidate(const char *first, const char *email)
{
	char *last = itest_fmt("Sync%s", run_id);
	char *form = itest_form("csrf", rita.csrf, "first_name", first,
				"last_name", last, "email", email ? email : "",
				"phone", "+1 555 0100", "location",
				"Austin, TX", "current_title", "Engineer",
				"current_company", "Initech", NULL);
	struct itest_resp r =
	    itest_post_form(itest_as(&rita), "/candidates", form);
	CHECK_STATUS(r, 303, "POST /candidates");
	long long id = 0;
	if (sscanf(itest_location(&r), "/candidates/%lld", &id) != 1)
		id = 0;
	itest_resp_free(&r);
	free(form);
	free(last);
	return id;
}

/* The candidate on the job at its Prospect stage; the application id. */
static long long apply_to_job(long long cand)
{
	struct itest_resp r = itest_post(
	    itest_as(&rita), "/applications", true, rita.csrf, "candidate_id",
	    num(cand), "job_id", num(job), "stage_id", num(stage[0]), NULL);
	CHECK_STATUS(r, 201, "POST /applications");
	json_t *j = itest_json(&r);
	long long id = itest_jint(j, "id");
	json_decref(j);
	itest_resp_free(&r);
	return id;
}

static long move_to(long long app, long long to)
{
	long long version = itest_sql_int(
	    "SELECT version FROM applications WHERE id = %lld", app);
	char *path = itest_fmt("/applications/%lld/move", app);
	long st = post_as(&rita, path, "stage_id", num(to), "version",
			  num(version), NULL);
	free(path);
	return st;
}

/* A note on cand by p; its id. */
static long long add_note(struct itest_person *p, long long cand,
			  const char *body, bool is_public)
{
	char *path = itest_fmt("/candidates/%lld/notes", cand);
	long st = post_as(p, path, "body", body, "public",
			  is_public ? "1" : "0", NULL);
	CHECK(st == 303, "POST %s: %ld", path, st);
	free(path);
	return itest_sql_int("SELECT MAX(id) FROM notes WHERE candidate_id = "
			     "%lld AND author_id = %lld",
			     cand, p->id);
}

/* ------------------------------------------------------------ LinkedIn */

static char *ats_id(long long cand)
{
	return itest_fmt("%s-C-%lld", instance, cand);
}

/* GET url on the sandbox as JSON; new. */
static json_t *sandbox_json(const char *path)
{
	char *url = itest_fmt("%s%s", itest_sandbox_url(), path);
	long st;
	json_t *j = itest_get_json(sbc, url, &st);
	CHECK(st == 200, "GET %s: %ld", path, st);
	free(url);
	return j;
}

/* What LinkedIn's In ATS knows of cand: the candidate's object (new), or
 * NULL when it has none. */
static json_t *inats(long long cand)
{
	char *id = ats_id(cand);
	char *path = itest_fmt("/sandbox/inats?clientId=%s&atsCandidateId=%s",
			       li->client_id, id);
	json_t *j = sandbox_json(path);
	json_t *c = json_incref(
	    json_array_get(json_object_get(j, "candidates"), 0));
	json_decref(j);
	free(path);
	free(id);
	return c;
}

/* The first application of an In ATS candidate (borrowed). */
static json_t *first_app(json_t *c)
{
	return json_array_get(json_object_get(c, "applications"), 0);
}

/* Waits (up to 15 s) until In ATS has cand with its first application at
 * latest stage want (NULL: the candidate at all); the candidate then, new,
 * or NULL after a failed check. */
static json_t *await_stage(long long cand, const char *want)
{
	long long t0 = itest_now_ms();
	for (;;) {
		json_t *c = inats(cand);
		if (c && (!want || !strcmp(itest_jstr(first_app(c),
						      "latestStage"),
					   want)))
			return c;
		if (itest_now_ms() - t0 > 15000) {
			CHECK(false, "In ATS of %lld: latest stage \"%s\", "
				     "want \"%s\" (waited 15 s)",
			      cand,
			      c ? itest_jstr(first_app(c), "latestStage")
				: "(no candidate)",
			      want ? want : "");
			json_decref(c);
			return NULL;
		}
		json_decref(c);
		itest_pause_ms(50);
	}
}

/* await_stage, then until the worker is done with cand (the notes and
 * feedback go after the stages): In ATS's candidate then, new. */
static json_t *await_synced(long long cand, const char *want)
{
	json_t *c = await_stage(cand, want);
	if (!c)
		return NULL;
	json_decref(c);
	free(itest_await_outbox("candidate", cand, "", 15000));
	return inats(cand);
}

/* Whether the In ATS candidate c has a note whose text is body. */
static bool has_note(json_t *c, const char *body)
{
	json_t *n;
	size_t i;
	json_array_foreach(json_object_get(c, "notes"), i, n) if (
	    !strcmp(itest_jstr(n, "note"), body)) return true;
	return false;
}

/* Waits (up to 15 s) until In ATS has a note body on cand, or has it no
 * more (present false). */
static bool await_note(long long cand, const char *body, bool present)
{
	long long t0 = itest_now_ms();
	for (;;) {
		json_t *c = inats(cand);
		bool has = c && has_note(c, body);
		json_decref(c);
		if (has == present)
			return true;
		if (itest_now_ms() - t0 > 15000)
			return false;
		itest_pause_ms(50);
	}
}

/* Every request the sandbox stored for this application after id after
 * (CONTRACT-16 §2), as one JSON array (new); *last gets the newest id. */
static json_t *payloads_after(long long after, long long *last)
{
	json_t *all = json_array();
	for (;;) {
		char *path = itest_fmt("/sandbox/payloads?clientId=%s&after="
				       "%lld&limit=500",
				       li->client_id, after);
		json_t *j = sandbox_json(path);
		free(path);
		json_t *e = json_object_get(j, "elements"), *p;
		size_t i;
		json_array_foreach(e, i, p)
		{
			json_array_append(all, p);
			if (itest_jint(p, "id") > after)
				after = itest_jint(p, "id");
		}
		size_t n = json_array_size(e);
		json_decref(j);
		if (n < 500)
			break;
	}
	if (last)
		*last = after;
	return all;
}

/* The newest stored request's id. */
static long long payload_mark(void)
{
	long long last = 0;
	json_decref(payloads_after(0, &last));
	return last;
}

/* The stored requests after id after, their method, resource, path, query
 * and body as one string; new. */
static char *payload_text(long long after)
{
	json_t *all = payloads_after(after, NULL), *p;
	size_t i;
	char *s = itest_strdup("");
	json_array_foreach(all, i, p)
	{
		char *t = itest_fmt("%s\n%s %s %s?%s %s [%lld]", s,
				    itest_jstr(p, "method"),
				    itest_jstr(p, "resource"),
				    itest_jstr(p, "path"),
				    itest_jstr(p, "query"),
				    itest_jstr(p, "body"),
				    itest_jint(p, "status"));
		free(s);
		s = t;
	}
	json_decref(all);
	return s;
}

/* How many stored requests after id after of resource, answered 2xx,
 * name the sub-resource id (S12, N7...) in their query. */
static int sent_count(long long after, const char *resource, const char *id)
{
	json_t *all = payloads_after(after, NULL), *p;
	size_t i;
	int n = 0;
	char *want = itest_fmt("ids=%s", id);
	json_array_foreach(all, i, p)
	{
		const char *q = itest_jstr(p, "query");
		const char *hit = strstr(q, want);
		size_t len = strlen(want);
		if (strcmp(itest_jstr(p, "resource"), resource) ||
		    strcmp(itest_jstr(p, "method"), "PUT") ||
		    itest_jint(p, "status") / 100 != 2)
			continue;
		while (hit && hit[len] && hit[len] != '&')
			hit = strstr(hit + 1, want);
		n += hit != NULL;
	}
	free(want);
	json_decref(all);
	return n;
}

/* ------------------------------------------------------------ fixture */

static int suite_init(void)
{
	run_id = itest_unique("");
	li = itest_li_app();
	sbc = itest_client_new(NULL);
	if (!*itest_base_url() || !run_id || !li || !sbc)
		return -1;
	if (itest_person_add(&ada, "ada", "Insync", "admin", "none") < 0 ||
	    itest_person_add(&rita, "rita", "Insync", "recruiter", "none") <
		0 ||
	    itest_person_add(&ivan, "ivan", "Insync", "interviewer", "none") <
		0)
		return -1;
	if (!itest_as(&ada) || !itest_as(&rita) || !itest_as(&ivan))
		return -1;
	struct itest_resp r = itest_li_enable(itest_as(&ada), NULL);
	long st = r.status;
	itest_resp_free(&r);
	if (st != 303)
		return -1;
	instance = itest_li_instance(itest_as(&ada));
	if (strlen(instance) != 8)
		return -1;

	/* the job, through the form, active (so LinkedIn has it too) */
	char *title = itest_fmt("In ATS job %s", run_id);
	char *form = itest_form("csrf", rita.csrf, "title", title, "location",
				"Austin, TX", "description", "Sync me.", NULL);
	r = itest_post_form(itest_as(&rita), "/jobs", form);
	if (r.status != 303 ||
	    sscanf(itest_location(&r), "/jobs/%lld", &job) != 1)
		job = 0;
	itest_resp_free(&r);
	free(form);
	free(title);
	if (!job)
		return -1;
	static const char *const kinds[] = {"prospect", "screen", "interview",
					    "offer", "hired"};
	for (int i = 0; i < 5; i++)
		stage[i] = itest_sql_int("SELECT id FROM job_stages WHERE "
					 "job_id = %lld AND kind = '%s' ORDER "
					 "BY position LIMIT 1",
					 job, kinds[i]);
	char *members = itest_fmt(
	    "INSERT IGNORE INTO job_members (job_id, user_id, role) VALUES "
	    "(%lld, %lld, 'recruiter'), (%lld, %lld, 'interviewer')",
	    job, rita.id, job, ivan.id);
	int rc = itest_sql(members);
	free(members);
	char *act = itest_fmt("/jobs/%lld/activate", job);
	st = post_as(&rita, act, NULL);
	free(act);
	return rc == 0 && st == 303 && stage[1] > 0 ? 0 : -1;
}

static int suite_clean(void)
{
	itest_sandbox_control("{\"reset\":true}");
	itest_li_leave_off(itest_as(&ada));
	itest_person_free(&ada);
	itest_person_free(&rita);
	itest_person_free(&ivan);
	itest_client_free(sbc);
	free(instance);
	free(run_id);
	return 0;
}

/* ------------------------------------------------------------ tests */

static long long cand_main; /* moved past Prospect by the second test */
static long long app_main;
static long long note_public, note_private;
static long long mark_main; /* the payloads before it */

static void a_prospect_only_candidate_leaves_nothing_at_linkedin(void)
{
	mark_main = payload_mark();
	char *email = itest_fmt("grace.%s@sync.itest.hirelink.test", run_id);
	cand_main = new_candidate("Grace", email);
	CHECK(cand_main > 0, "the candidate");
	app_main = apply_to_job(cand_main);
	char *pub = itest_fmt("Public note %s", run_id);
	char *priv = itest_fmt("SECRET private note %s", run_id);
	note_public = add_note(&rita, cand_main, pub, true);
	note_private = add_note(&rita, cand_main, priv, false);
	/* an interviewer sees a Prospect application once asked (issue 18) */
	char *rpath =
	    itest_fmt("/applications/%lld/feedback-requests", app_main);
	char *ivan_id = itest_fmt("%lld", ivan.id);
	struct itest_resp r = itest_post(itest_as(&rita), rpath, true,
					 rita.csrf, "interviewer_id", ivan_id,
					 NULL);
	CHECK_STATUS(r, 201, "the feedback request");
	itest_resp_free(&r);
	free(rpath);
	free(ivan_id);
	char *fpath = itest_fmt("/applications/%lld/feedback", app_main);
	r = itest_post(itest_as(&ivan), fpath, true, ivan.csrf, "rating", "4",
		       "recommendation", "yes", "body", "Knows her compilers",
		       NULL);
	CHECK_STATUS(r, 201, "feedback");
	itest_resp_free(&r);
	free(fpath);

	/* the worker has seen every change and sent nothing */
	free(itest_await_outbox("candidate", cand_main, "", 15000));
	char *id = ats_id(cand_main);
	char *text = payload_text(mark_main);
	CHECK(!strstr(text, id), "a request names %s:%s", id, text);
	CHECK(!strstr(text, email), "a request has the email");
	json_t *c = inats(cand_main);
	CHECK(c == NULL, "LinkedIn's In ATS has the candidate");
	json_decref(c);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM linkedin_sync WHERE "
			    "candidate_id = %lld",
			    cand_main) == 0,
	      "hirelink thinks LinkedIn has something");
	free(text);
	free(id);
	free(pub);
	free(priv);
	free(email);
}

static void the_move_past_prospect_sends_all_but_private_notes(void)
{
	long long t0 = itest_now_ms();
	CHECK(move_to(app_main, stage[1]) == 303, "move to Screen");
	json_t *c = await_stage(cand_main, "Screen");
	long long took = itest_now_ms() - t0;
	CHECK(took <= 2000, "In ATS showed the move after %lld ms", took);
	/* the rest follows in the same batch: read it once the worker is
	 * done */
	free(itest_await_outbox("candidate", cand_main, "", 15000));
	json_decref(c);
	c = inats(cand_main);
	if (!c)
		return;
	CHECK(!strcmp(itest_jstr(c, "firstName"), "Grace") &&
		  !strcmp(itest_jstr(c, "currentCompanyName"), "Initech") &&
		  !strcmp(itest_jstr(c, "currentJobTitle"), "Engineer"),
	      "the candidate: %s %s %s", itest_jstr(c, "firstName"),
	      itest_jstr(c, "currentCompanyName"),
	      itest_jstr(c, "currentJobTitle"));
	json_t *ap = first_app(c);
	json_t *stages = json_object_get(ap, "stages");
	CHECK(json_array_size(stages) == 2 &&
		  !strcmp(itest_jstr(json_array_get(stages, 0), "stage"),
			  "Prospect") &&
		  !strcmp(itest_jstr(json_array_get(stages, 1), "stage"),
			  "Screen"),
	      "the history: %zu entries", json_array_size(stages));
	CHECK(!strcmp(itest_jstr(ap, "state"), "ACTIVE"), "state %s",
	      itest_jstr(ap, "state"));
	json_t *fb = json_array_get(json_object_get(ap, "interviewFeedback"), 0);
	CHECK(fb && !strcmp(itest_jstr(fb, "feedback"), "Knows her compilers"),
	      "the feedback");
	json_t *who = json_object_get(fb, "interviewer");
	CHECK(!strcmp(itest_jstr(who, "firstName"), "Ivan") &&
		  !strncmp(itest_jstr(who, "lastName"), "Insync", 6),
	      "the interviewer: %s %s", itest_jstr(who, "firstName"),
	      itest_jstr(who, "lastName"));
	char *pub = itest_fmt("Public note %s", run_id);
	CHECK(has_note(c, pub), "the public note");
	json_decref(c);

	/* what left hirelink: the public note, never the private one */
	char *text = payload_text(mark_main);
	CHECK(strstr(text, pub) != NULL, "no request has the public note");
	CHECK(!strstr(text, "SECRET"), "a request has the private note:%s",
	      text);
	char *ext = itest_fmt("%s/candidates/%lld", itest_base_url(),
			      cand_main);
	CHECK(strstr(text, "\"externalProfileUrl\"") && strstr(text, "Austin"),
	      "the candidate's profile URL and address");
	free(ext);
	free(text);
	free(pub);
}

static long long outbox_generation(long long candidate_id)
{
	return itest_sql_int("SELECT COALESCE(MAX(generation), -1) FROM outbox "
			     "WHERE kind = 'candidate' AND entity_id = %lld",
			     candidate_id);
}

static void later_changes_follow_and_private_notes_are_removed(void)
{
	/* a private note, written and deleted, is nothing LinkedIn holds:
	 * the candidate is not marked for LinkedIn (the worker stopped, so
	 * that a mark would stay to be seen) */
	CHECK(itest_stack("worker-stop") == 0, "worker stopped");
	long long gen = outbox_generation(cand_main);
	char *aside = itest_fmt("SECRET aside %s", run_id);
	long long aside_id = add_note(&rita, cand_main, aside, false);
	char *apath = itest_fmt("/notes/%lld/delete", aside_id);
	CHECK(post_as(&rita, apath, NULL) == 303, "delete the private note");
	CHECK(outbox_generation(cand_main) == gen,
	      "a private note marked the candidate for LinkedIn (%lld -> %lld)",
	      gen, outbox_generation(cand_main));
	free(apath);
	free(aside);
	CHECK(itest_stack("worker-start") == 0, "worker started");

	char *pub = itest_fmt("Public note %s", run_id);
	/* made private: deleted at LinkedIn */
	char *path = itest_fmt("/notes/%lld", note_public);
	CHECK(post_as(&rita, path, "body", pub, "public", "0", NULL) == 303,
	      "make the note private");
	CHECK(await_note(cand_main, pub, false),
	      "the note made private is still at LinkedIn");
	free(path);

	/* a note made public shows; deleted, it goes */
	char *priv = itest_fmt("SECRET private note %s", run_id);
	char *now_pub = itest_fmt("Now public %s", run_id);
	path = itest_fmt("/notes/%lld", note_private);
	CHECK(post_as(&rita, path, "body", now_pub, "public", "1", NULL) ==
		  303,
	      "make the other note public");
	CHECK(await_note(cand_main, now_pub, true),
	      "the note made public is not at LinkedIn");
	free(path);
	path = itest_fmt("/notes/%lld/delete", note_private);
	CHECK(post_as(&rita, path, NULL) == 303, "delete the note");
	CHECK(await_note(cand_main, now_pub, false),
	      "the deleted note is still at LinkedIn");
	free(path);

	/* the rejection: state and reason */
	long long version = itest_sql_int(
	    "SELECT version FROM applications WHERE id = %lld", app_main);
	path = itest_fmt("/applications/%lld/reject", app_main);
	CHECK(post_as(&rita, path, "reason", "position_filled", "note", "",
		      "version", num(version), NULL) == 303,
	      "reject");
	json_t *c = await_stage(cand_main, "Rejected");
	json_t *ap = first_app(c);
	CHECK(!strcmp(itest_jstr(ap, "state"), "REJECTED") &&
		  !strcmp(itest_jstr(ap, "dispositionReason"),
			  "Position filled"),
	      "rejected: %s %s", itest_jstr(ap, "state"),
	      itest_jstr(ap, "dispositionReason"));
	json_decref(c);
	free(path);
	free(now_pub);
	free(priv);
	free(pub);
}

static void an_outage_delays_changes_and_loses_or_repeats_none(void)
{
	char *email = itest_fmt("linus.%s@sync.itest.hirelink.test", run_id);
	long long cand = new_candidate("Linus", email);
	long long app = apply_to_job(cand);
	CHECK(move_to(app, stage[1]) == 303, "move to Screen");
	json_decref(await_stage(cand, "Screen"));
	long long mark = payload_mark();

	/* LinkedIn answers 503 to every sync call until told otherwise */
	CHECK(itest_sandbox_control(
		  "{\"fail\":{\"path_prefix\":\"/v2/ats\",\"status\":503,"
		  "\"retry_after\":1}}") == 200,
	      "LinkedIn fails");
	char *n1 = itest_fmt("During the outage 1 %s", run_id);
	char *n2 = itest_fmt("During the outage 2 %s", run_id);
	add_note(&rita, cand, n1, true);
	CHECK(move_to(app, stage[2]) == 303, "move to Interview");
	add_note(&rita, cand, n2, true);
	/* the row waits, tried and failed, with LinkedIn's answer */
	long long t0 = itest_now_ms();
	char *row = itest_outbox_row("candidate", cand);
	while (
	    (strncmp(row, "pending|", 8) || !strncmp(row, "pending|0|", 10)) &&
	    itest_now_ms() - t0 < 15000) {
		free(row);
		itest_pause_ms(50);
		row = itest_outbox_row("candidate", cand);
	}
	CHECK(!strncmp(row, "pending|", 8) && strstr(row, "503"),
	      "the row during the outage: %s", row);
	free(row);
	json_t *c = inats(cand);
	CHECK(!strcmp(itest_jstr(first_app(c), "latestStage"), "Screen"),
	      "LinkedIn changed during the outage");
	json_decref(c);

	CHECK(itest_sandbox_control("{\"reset\":true}") == 200, "recovery");
	c = await_synced(cand, "Interview");
	CHECK(c && has_note(c, n1) && has_note(c, n2),
	      "the notes after the outage");
	json_t *stages = json_object_get(first_app(c), "stages");
	CHECK(json_array_size(stages) == 3, "%zu stage entries, want 3",
	      json_array_size(stages));
	json_decref(c);
	free(itest_await_outbox("candidate", cand, "", 15000));
	/* each entry went through once */
	long long ev = itest_sql_int(
	    "SELECT MAX(id) FROM application_events WHERE application_id = "
	    "%lld",
	    app);
	char *sid = itest_fmt("S%lld", ev);
	CHECK(sent_count(mark, "stages", sid) == 1,
	      "the Interview entry was taken %d times",
	      sent_count(mark, "stages", sid));
	long long nid = itest_sql_int("SELECT MAX(id) FROM notes WHERE "
				      "candidate_id = %lld",
				      cand);
	char *nk = itest_fmt("N%lld", nid);
	CHECK(sent_count(mark, "candidateNotes", nk) == 1,
	      "the note was taken %d times",
	      sent_count(mark, "candidateNotes", nk));
	free(nk);
	free(sid);
	free(n1);
	free(n2);
	free(email);
}

static void linkedins_throttle_is_honoured(void)
{
	/* LinkedIn says 429, come back in 2 s: the change lands after */
	CHECK(itest_sandbox_control(
		  "{\"fail\":{\"path_prefix\":\"/v2/atsCandidates\","
		  "\"status\":429,\"retry_after\":2,\"count\":1}}") == 200,
	      "LinkedIn throttles");
	char *body = itest_fmt("After the throttle %s", run_id);
	long long t0 = itest_now_ms();
	add_note(&rita, cand_main, body, true);
	CHECK(await_note(cand_main, body, true), "the note after the 429");
	long long took = itest_now_ms() - t0;
	CHECK(took >= 1900, "sent again after %lld ms, before Retry-After",
	      took);
	free(itest_await_outbox("candidate", cand_main, "", 15000));
	free(body);
}

static void a_refused_record_is_dead_with_linkedins_message(void)
{
	/* no email and no member: LinkedIn requires emailAddresses */
	long long cand = new_candidate("Edsger", NULL);
	long long app = apply_to_job(cand);
	CHECK(move_to(app, stage[1]) == 303, "move to Screen");
	char *row = itest_await_outbox("candidate", cand, "dead|", 15000);
	CHECK(!strncmp(row, "dead|1|", 7) && strstr(row, "emailAddresses"),
	      "dead after one attempt with LinkedIn's message: %s", row);
	free(row);
	itest_pause_ms(1500);
	row = itest_outbox_row("candidate", cand);
	CHECK(!strncmp(row, "dead|1|", 7), "tried again: %s", row);
	free(row);
	/* the admin sees it: the outbox page with its Retry, the sync
	 * health of /admin/linkedin, the metrics */
	struct itest_resp r =
	    itest_get(itest_as(&ada), "/admin/linkedin/outbox", false);
	CHECK_HAS(r, "emailAddresses", "the outbox page");
	CHECK_HAS(r, "/retry", "the outbox page's Retry");
	itest_resp_free(&r);
	long st;
	json_t *a = itest_get_json(itest_as(&ada), "/admin/linkedin", &st);
	json_t *k, *cands = NULL;
	size_t i;
	json_array_foreach(
	    json_object_get(json_object_get(a, "sync_health"), "kinds"), i, k)
	if (!strcmp(itest_jstr(k, "kind"), "candidate")) cands = k;
	CHECK(cands && itest_jint(cands, "dead") >= 1 &&
		  strstr(itest_jstr(cands, "last_error"), "emailAddresses"),
	      "the sync health of candidates: dead %lld, last error \"%s\"",
	      itest_jint(cands, "dead"), itest_jstr(cands, "last_error"));
	json_decref(a);
	r = itest_get(itest_as(&ada), "/admin/linkedin", false);
	CHECK_HAS(r, "Sync health", "the admin page");
	itest_resp_free(&r);
	struct itest_client *anon = itest_client_new(NULL);
	r = itest_metrics(anon);
	CHECK(itest_metric(r.body, "hirelink_outbox_dead{kind=\"candidate\"}") >=
		      1 &&
		  itest_metric(r.body, "hirelink_outbox_last_error_age_"
				       "seconds{kind=\"candidate\"}") >= 0,
	      "the metrics of candidates");
	itest_resp_free(&r);
	itest_client_free(anon);

	/* mended, it goes */
	char *path = itest_fmt("/candidates/%lld", cand);
	char *last = itest_fmt("Sync%s", run_id);
	char *email = itest_fmt("edsger.%s@sync.itest.hirelink.test", run_id);
	CHECK(post_as(&rita, path, "first_name", "Edsger", "last_name", last,
		      "email", email, NULL) == 303,
	      "add the email");
	json_decref(await_stage(cand, "Screen"));
	free(email);
	free(last);
	free(path);
}

/* A second worker on this stack's database, until stop_worker. */
static pid_t start_worker(void)
{
	const char *bin = itest_env("HIRELINK_BIN");
	char *const argv[] = {(char *)bin, "worker", NULL};
	char *log = itest_fmt("%s/test_sync-worker.log",
			      itest_env("HIRELINK_TEST_LOGS"));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log,
					 O_WRONLY | O_CREAT | O_APPEND, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	pid_t pid = 0;
	if (posix_spawn(&pid, bin, &fa, NULL, argv, environ) != 0)
		pid = 0;
	posix_spawn_file_actions_destroy(&fa);
	free(log);
	return pid;
}

static void stop_worker(pid_t pid)
{
	int status;
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
}

static void two_workers_send_each_entry_once(void)
{
	pid_t second = start_worker();
	CHECK(second > 0, "a second worker");
	itest_pause_ms(300);
	long long mark = payload_mark();
	enum { N = 6 };
	long long cand[N], app[N];
	for (int i = 0; i < N; i++) {
		char *first = itest_fmt("Twin%d", i);
		char *email = itest_fmt("twin%d.%s@sync.itest.hirelink.test",
					i, run_id);
		cand[i] = new_candidate(first, email);
		app[i] = apply_to_job(cand[i]);
		char *body = itest_fmt("Twin note %d %s", i, run_id);
		add_note(&rita, cand[i], body, true);
		free(body);
		free(email);
		free(first);
	}
	for (int i = 0; i < N; i++)
		CHECK(move_to(app[i], stage[1]) == 303, "move");
	for (int i = 0; i < N; i++) {
		json_decref(await_stage(cand[i], "Screen"));
		free(itest_await_outbox("candidate", cand[i], "", 15000));
	}
	stop_worker(second);
	for (int i = 0; i < N; i++) {
		long long ev[2];
		CHECK(itest_sql_ints(ev, 2,
				     "SELECT id FROM application_events WHERE "
				     "application_id = %lld ORDER BY id",
				     app[i]) == 2,
		      "two events");
		for (int k = 0; k < 2; k++) {
			char *sid = itest_fmt("S%lld", ev[k]);
			int n = sent_count(mark, "stages", sid);
			CHECK(n == 1, "%s of candidate %d taken %d times", sid,
			      i, n);
			free(sid);
		}
	}
}

static void a_worker_killed_mid_batch_delivers_once(void)
{
	char *email = itest_fmt("ken.%s@sync.itest.hirelink.test", run_id);
	long long cand = new_candidate("Ken", email);
	long long app = apply_to_job(cand);
	char *body = itest_fmt("Killed mid-batch %s", run_id);
	add_note(&rita, cand, body, true);
	long long mark = payload_mark();
	/* LinkedIn slow on applications: the worker is mid-batch there */
	CHECK(itest_sandbox_control(
		  "{\"fail\":{\"path_prefix\":\"/v2/atsApplications\","
		  "\"delay_ms\":2000,\"count\":1}}") == 200,
	      "LinkedIn slows down");
	CHECK(move_to(app, stage[1]) == 303, "move to Screen");
	/* the candidate went, its application is under way */
	long long t0 = itest_now_ms();
	char *id = ats_id(cand);
	for (;;) {
		char *text = payload_text(mark);
		bool sent = strstr(text, id) != NULL;
		free(text);
		if (sent || itest_now_ms() - t0 > 10000)
			break;
		itest_pause_ms(20);
	}
	CHECK(itest_stack("worker-kill") == 0, "worker-kill");
	char *row = itest_outbox_row("candidate", cand);
	CHECK(!strncmp(row, "pending|0|", 10), "the row after the kill: %s",
	      row);
	free(row);
	CHECK(itest_sandbox_control("{\"reset\":true}") == 200, "reset");
	/* the lease runs out (made to, rather than waited for) */
	ITEST_SQL("end the lease",
		  itest_fmt("UPDATE outbox SET next_attempt_at = NOW(3), "
			    "leased_until = NULL WHERE kind = 'candidate' AND "
			    "entity_id = %lld",
			    cand));
	CHECK(itest_stack("worker-start") == 0, "worker-start");
	json_t *c = await_synced(cand, "Screen");
	CHECK(c && has_note(c, body), "the note after the restart");
	json_decref(c);
	free(itest_await_outbox("candidate", cand, "", 15000));
	long long ev[2];
	CHECK(itest_sql_ints(ev, 2,
			     "SELECT id FROM application_events WHERE "
			     "application_id = %lld ORDER BY id",
			     app) == 2,
	      "two events");
	for (int k = 0; k < 2; k++) {
		char *sid = itest_fmt("S%lld", ev[k]);
		int n = sent_count(mark, "stages", sid);
		CHECK(n == 1, "%s taken %d times", sid, n);
		free(sid);
	}
	free(id);
	free(body);
	free(email);
}

/* The backfill's progress on /admin/linkedin (JSON): "state done/total";
 * new. */
static char *backfill_state(void)
{
	long st;
	json_t *a = itest_get_json(itest_as(&ada), "/admin/linkedin", &st);
	json_t *b = json_object_get(a, "backfill");
	char *s = itest_fmt("%s %lld/%lld", itest_jstr(b, "state"),
			    itest_jint(b, "done"), itest_jint(b, "total"));
	json_decref(a);
	return s;
}

static long backfill(const char *action)
{
	return post_as(&ada, "/admin/linkedin/backfill", "action", action,
		       NULL);
}

static void the_full_sync_sends_bulk_data_and_survives_a_restart(void)
{
	/* data written in bulk, never marked: past Prospect, with a note */
	enum { N = 3 };
	long long cand[N];
	for (int i = 0; i < N; i++) {
		ITEST_SQL("a bulk candidate",
			  itest_fmt("INSERT INTO candidates (first_name, "
				    "last_name, email) VALUES ('Bulk%d', "
				    "'Sync%s', 'bulk%d.%s@sync.itest."
				    "hirelink.test')",
				    i, run_id, i, run_id));
		cand[i] = itest_sql_int(
		    "SELECT id FROM candidates WHERE email = "
		    "'bulk%d.%s@sync.itest.hirelink.test'",
		    i, run_id);
		ITEST_SQL("its application",
			  itest_fmt("INSERT INTO applications (job_id, "
				    "candidate_id, stage_id) VALUES (%lld, "
				    "%lld, %lld)",
				    job, cand[i], stage[1]));
		long long app = itest_sql_int(
		    "SELECT id FROM applications WHERE candidate_id = %lld",
		    cand[i]);
		ITEST_SQL("its history",
			  itest_fmt("INSERT INTO application_events "
				    "(application_id, kind, to_stage_id) VALUES "
				    "(%lld, 'created', %lld), (%lld, 'moved', "
				    "%lld)",
				    app, stage[0], app, stage[1]));
		ITEST_SQL("its note",
			  itest_fmt("INSERT INTO notes (candidate_id, "
				    "author_id, body, visibility) VALUES "
				    "(%lld, %lld, 'Bulk note %d', 'public')",
				    cand[i], rita.id, i));
	}
	CHECK(itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind = "
			    "'candidate' AND entity_id IN (%lld, %lld, %lld)",
			    cand[0], cand[1], cand[2]) == 0,
	      "bulk data is marked");

	/* started, paused at once: nothing more is marked */
	CHECK(backfill("start") == 303, "start the full sync");
	CHECK(backfill("pause") == 303, "pause it");
	char *s = backfill_state();
	CHECK(!strncmp(s, "paused ", 7), "after the pause: %s", s);
	free(s);
	CHECK(backfill("pause") == 409, "pause a paused one");
	/* the worker dies and comes back; the sync goes on when resumed */
	CHECK(itest_stack("worker-kill") == 0, "worker-kill");
	ITEST_SQL("the killed worker's leases end",
		  itest_strdup("UPDATE outbox SET next_attempt_at = NOW(3), "
			       "leased_until = NULL WHERE leased_until > "
			       "NOW(3)"));
	CHECK(itest_stack("worker-start") == 0, "worker-start");
	CHECK(backfill("resume") == 303, "resume it");
	long long t0 = itest_now_ms();
	for (;;) {
		s = backfill_state();
		if (!strncmp(s, "done ", 5) || itest_now_ms() - t0 > 30000)
			break;
		free(s);
		itest_pause_ms(100);
	}
	long long done = 0, total = -1;
	sscanf(s, "done %lld/%lld", &done, &total);
	CHECK(!strncmp(s, "done ", 5) && done == total && total >= N,
	      "the full sync: %s", s);
	free(s);
	for (int i = 0; i < N; i++) {
		json_t *c = inats(cand[i]);
		char *note = itest_fmt("Bulk note %d", i);
		CHECK(c && !strcmp(itest_jstr(first_app(c), "latestStage"),
				   "Screen") &&
			  has_note(c, note),
		      "bulk candidate %d at LinkedIn", i);
		json_decref(c);
		free(note);
	}
	/* what hirelink thinks LinkedIn has is what LinkedIn has */
	char *ids = itest_sql_str(
	    "SELECT GROUP_CONCAT(candidate_id) FROM linkedin_sync WHERE kind "
	    "= 'candidate' AND candidate_id IN (%lld, %lld, %lld)",
	    cand[0], cand[1], cand[2]);
	CHECK(itest_count(ids, ",") == N - 1, "kept as sent: %s", ids);
	free(ids);
	struct itest_resp r = itest_get(itest_as(&ada), "/admin/linkedin", false);
	CHECK_HAS(r, "Full sync to LinkedIn", "the admin page");
	CHECK_HAS(r, "candidates sent", "the progress");
	itest_resp_free(&r);
}

/* The stack's LinkedIn set up and on (true) or off, as the admin does on
 * /admin/linkedin's Settings. */
static void linkedin_on(bool on)
{
	struct itest_resp r;
	if (on) {
		r = itest_li_enable(itest_as(&ada), NULL);
	} else {
		char *csrf = itest_csrf_of(itest_as(&ada), "/admin/linkedin");
		r = itest_post(itest_as(&ada), "/admin/linkedin", false, csrf,
			       "client_id", li->client_id, "organization_urn",
			       li->organization, "ats_instance_name",
			       "hirelink test", NULL);
		free(csrf);
	}
	CHECK_STATUS(r, 303, on ? "LinkedIn on" : "LinkedIn off");
	itest_resp_free(&r);
}

static void changes_made_while_off_go_when_on_again(void)
{
	char *email = itest_fmt("barbara.%s@sync.itest.hirelink.test", run_id);
	long long cand = new_candidate("Barbara", email);
	long long app = apply_to_job(cand);
	CHECK(move_to(app, stage[1]) == 303, "move to Screen");
	json_decref(await_synced(cand, "Screen"));
	char *old_note = itest_fmt("Before the pause %s", run_id);
	long long nid = add_note(&rita, cand, old_note, true);
	CHECK(await_note(cand, old_note, true), "the note before");

	linkedin_on(false);
	/* while off: a move, a note, a note deleted */
	char *body = itest_fmt("While off %s", run_id);
	CHECK(move_to(app, stage[2]) == 303, "move to Interview");
	add_note(&rita, cand, body, true);
	char *path = itest_fmt("/notes/%lld/delete", nid);
	CHECK(post_as(&rita, path, NULL) == 303, "delete the first note");
	free(path);
	itest_pause_ms(1500);
	char *row = itest_outbox_row("candidate", cand);
	CHECK(!strncmp(row, "pending|0|", 10),
	      "the row while off (kept, not tried): \"%s\"", row);
	free(row);
	/* parked (never due while off: an idle worker claims nothing) */
	long long t1 = itest_now_ms();
	while (itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind = "
			     "'candidate' AND entity_id = %lld AND "
			     "next_attempt_at >= '2100-01-01'",
			     cand) != 1 &&
	       itest_now_ms() - t1 < 5000)
		itest_pause_ms(100);
	CHECK(itest_now_ms() - t1 < 5000,
	      "the row kept while off is not parked");
	json_t *c = inats(cand);
	CHECK(c && !strcmp(itest_jstr(first_app(c), "latestStage"),
			   "Screen") &&
		  !has_note(c, body),
	      "LinkedIn changed while the integration was off");
	json_decref(c);

	/* on again: what changed meanwhile goes, by itself */
	long long t0 = itest_now_ms();
	linkedin_on(true);
	c = await_synced(cand, "Interview");
	CHECK(c && has_note(c, body) && !has_note(c, old_note),
	      "after enabling again: the new note there, the deleted one "
	      "gone");
	CHECK(itest_now_ms() - t0 < 15000, "took %lld ms", itest_now_ms() - t0);
	json_decref(c);
	free(body);
	free(old_note);
	free(email);
}

/* The job's current version, for its form. */
static const char *job_version(void)
{
	return num(itest_sql_int("SELECT version FROM jobs WHERE id = %lld",
				 job));
}

static void a_renamed_job_or_stage_reaches_in_ats(void)
{
	char *email = itest_fmt("margaret.%s@sync.itest.hirelink.test", run_id);
	long long cand = new_candidate("Margaret", email);
	long long app = apply_to_job(cand);
	CHECK(move_to(app, stage[1]) == 303, "move to Screen");
	json_decref(await_synced(cand, "Screen"));
	/* linked to a member, for LinkedIn's Recruiter profile page */
	char *member = itest_sandbox_sql_str(
	    "SELECT urn_id FROM members WHERE id >= %d AND email IS NOT NULL "
	    "AND seat = 'none' AND closed_at IS NULL ORDER BY id LIMIT 1",
	    2800 + (int)(getpid() % 30) * 6);
	CHECK(*member, "a member for the candidate");
	char *lpath = itest_fmt("/candidates/%lld/linkedin/link", cand);
	CHECK(post_as(&rita, lpath, "member", member, NULL) == 303,
	      "link the member");
	free(lpath);
	CHECK(post_as(&ada, "/admin/linkedin/integrations", "action",
		      "enable", NULL) == 303,
	      "In ATS enabled at LinkedIn");
	free(itest_await_outbox("candidate", cand, "", 15000));

	/* the worker stopped: what the renames write is one row, whatever
	 * the job's size */
	CHECK(itest_stack("worker-kill") == 0, "worker-kill");
	char *title = itest_fmt("Renamed job %s", run_id);
	char *jpath = itest_fmt("/jobs/%lld", job);
	CHECK(post_as(&rita, jpath, "title", title, "version", job_version(),
		      NULL) == 303,
	      "rename the job");
	char *spath = itest_fmt("/jobs/%lld/stages", job);
	CHECK(post_as(&rita, spath, "action", "rename", "stage_id",
		      num(stage[1]), "name", "Phone screen", NULL) == 303,
	      "rename Screen");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind = "
			    "'job_names' AND entity_id = %lld AND state = "
			    "'pending'",
			    job) == 1,
	      "one job_names row for the renames");
	char *row = itest_outbox_row("candidate", cand);
	CHECK(!*row, "the rename marked the candidate itself: %s", row);
	free(row);
	ITEST_SQL("the killed worker's leases end",
		  itest_strdup("UPDATE outbox SET next_attempt_at = NOW(3), "
			       "leased_until = NULL WHERE leased_until > "
			       "NOW(3)"));
	CHECK(itest_stack("worker-start") == 0, "worker-start");

	/* LinkedIn shows the new names */
	json_t *c = await_stage(cand, "Phone screen");
	json_t *ap = c ? first_app(c) : NULL;
	CHECK(ap && !strcmp(itest_jstr(ap, "jobTitle"), title),
	      "the job's name at LinkedIn: %s",
	      ap ? itest_jstr(ap, "jobTitle") : "(none)");
	json_t *st = json_object_get(ap, "stages");
	CHECK(json_array_size(st) == 2 &&
		  !strcmp(itest_jstr(json_array_get(st, 0), "stage"),
			  "Prospect") &&
		  !strcmp(itest_jstr(json_array_get(st, 1), "stage"),
			  "Phone screen"),
	      "the history renamed, no entry twice: %zu entries",
	      json_array_size(st));
	json_decref(c);
	free(itest_await_outbox("candidate", cand, "", 15000));
	CHECK(itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind = "
			    "'job_names'") == 0,
	      "the job_names row is done");

	/* the Recruiter profile's In ATS panel, seen by a Recruiter user
	 * the job's ACL lets see it (its recruiter is not connected to
	 * LinkedIn here: the viewer is assigned as LinkedIn's admin would) */
	char *jp = itest_fmt("%s-J-%05lld", instance, job);
	ITEST_SANDBOX_SQL(
	    "the viewer assigned to the job",
	    itest_fmt("INSERT IGNORE INTO job_posting_acl (client_id, organization_id,"
		      " external_job_posting_id, assignee) VALUES ('%s', %s,"
		      " '%s', 'urn:li:person:%s')",
		      li->client_id,
		      strrchr(li->organization, ':') + 1, jp, li->recruiter.id));
	free(jp);
	struct itest_client *rc = itest_client_new(NULL);
	CHECK(itest_li_signin(rc, li->recruiter.id, "/") == 303,
	      "signed in to LinkedIn");
	char *url = itest_fmt("%s/talent/profile/%s?ats=%s",
			      itest_sandbox_url(), member, li->client_id);
	struct itest_resp r = itest_get(rc, url, false);
	char *panel = itest_between(r.body, "id=\"in-ats\"", "</section>");
	char *saved = itest_fmt("%s/test_sync-in-ats-panel.html",
				itest_env("HIRELINK_TEST_LOGS"));
	FILE *f = fopen(saved, "w");
	if (f) {
		fputs(r.body ? r.body : "", f);
		fclose(f);
	}
	CHECK(panel && strstr(panel, title) && strstr(panel, "Phone screen"),
	      "the panel (the page is in %s)", saved);
	free(saved);
	free(panel);
	itest_resp_free(&r);
	itest_client_free(rc);
	free(url);

	/* the other names back, for the tests after */
	CHECK(post_as(&rita, spath, "action", "rename", "stage_id",
		      num(stage[1]), "name", "Screen", NULL) == 303,
	      "rename Phone screen back");
	CHECK(post_as(&ada, "/admin/linkedin/integrations", "action",
		      "disable", NULL) == 303,
	      "In ATS disabled at LinkedIn");
	/* the rename back sent before the next test counts requests */
	long long t0 = itest_now_ms();
	while (itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind IN "
			     "('job_names', 'candidate') AND state = "
			     "'pending'") > 0 &&
	       itest_now_ms() - t0 < 30000)
		itest_pause_ms(100);
	CHECK(itest_now_ms() - t0 < 30000, "the rename back still under way");
	free(spath);
	free(jpath);
	free(title);
	free(member);
	free(email);
}

/* The stored requests after id after answered status, and the id of the
 * first of them (0 none). */
static int answered(long long after, long status, long long *first)
{
	json_t *all = payloads_after(after, NULL), *p;
	size_t i;
	int n = 0;
	*first = 0;
	json_array_foreach(all, i, p)
	{
		if (itest_jint(p, "status") != status)
			continue;
		if (!n++)
			*first = itest_jint(p, "id");
	}
	json_decref(all);
	return n;
}

static void linkedins_daily_limit_stops_the_sync_without_a_storm(void)
{
	enum { N = 8 };
	long long cand[N], app[N];
	for (int i = 0; i < N; i++) {
		char *first = itest_fmt("Daily%d", i);
		char *email = itest_fmt("daily%d.%s@sync.itest.hirelink.test",
					i, run_id);
		cand[i] = new_candidate(first, email);
		app[i] = apply_to_job(cand[i]);
		free(email);
		free(first);
	}
	long long mark = payload_mark();
	/* LinkedIn's 100,000 requests a day, lowered to 3 a resource */
	char *body = itest_fmt("{\"clientId\":\"%s\",\"requestsPerDay\":3}",
			       li->client_id);
	struct itest_resp r = itest_sandbox_post("/sandbox/sync/throttle", body);
	CHECK_STATUS(r, 200, "the daily limit lowered");
	itest_resp_free(&r);
	free(body);
	for (int i = 0; i < N; i++)
		CHECK(move_to(app[i], stage[1]) == 303, "move to Screen");

	/* the limit is reached: one 429 (a few at most: one a worker
	 * thread), then nothing more is asked for */
	long long t0 = itest_now_ms(), first429 = 0;
	while (!answered(mark, 429, &first429) && itest_now_ms() - t0 < 15000)
		itest_pause_ms(100);
	CHECK(first429 > 0, "LinkedIn answered 429");
	itest_pause_ms(2500);
	long long ignored;
	int n429 = answered(mark, 429, &ignored);
	CHECK(n429 >= 1 && n429 <= 2, "%d requests refused (a storm?)", n429);
	json_t *after = payloads_after(first429, NULL);
	CHECK(json_array_size(after) <= 2,
	      "%zu requests after the first 429", json_array_size(after));
	json_decref(after);
	/* what waits, waits for LinkedIn's Retry-After (midnight UTC): not
	 * failed for good, not retried meanwhile (in the last minute of the
	 * day: due within a minute of midnight) */
	CHECK(itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind = "
			    "'candidate' AND state = 'dead' AND entity_id IN "
			    "(%lld, %lld, %lld, %lld, %lld, %lld, %lld, %lld)",
			    cand[0], cand[1], cand[2], cand[3], cand[4],
			    cand[5], cand[6], cand[7]) == 0,
	      "a row is dead");
	long long waiting = itest_sql_int(
	    "SELECT COUNT(*) FROM outbox WHERE kind = 'candidate' AND state = "
	    "'pending' AND (next_attempt_at > NOW(3) + INTERVAL 1 MINUTE OR "
	    "TIME_TO_SEC(TIME(next_attempt_at + INTERVAL 1 MINUTE)) <= 120) "
	    "AND next_attempt_at <= UTC_DATE() + INTERVAL 1 DAY + INTERVAL 2 "
	    "MINUTE AND entity_id IN (%lld, %lld, %lld, %lld, %lld, %lld, "
	    "%lld, %lld)",
	    cand[0], cand[1], cand[2], cand[3], cand[4], cand[5], cand[6],
	    cand[7]);
	CHECK(waiting >= 1, "no row waits for midnight UTC");
	char *err = itest_sql_str(
	    "SELECT COALESCE(MAX(last_error), '') FROM outbox WHERE kind = "
	    "'candidate' AND entity_id IN (%lld, %lld, %lld, %lld, %lld, "
	    "%lld, %lld, %lld)",
	    cand[0], cand[1], cand[2], cand[3], cand[4], cand[5], cand[6],
	    cand[7]);
	CHECK(strstr(err, "429") != NULL, "the row's error: %s", err);
	free(err);

	/* the next day (made to come, rather than waited for): all of it
	 * goes, each entry once */
	body = itest_fmt("{\"clientId\":\"%s\",\"requestsPerDay\":0}",
			 li->client_id);
	r = itest_sandbox_post("/sandbox/sync/throttle", body);
	CHECK_STATUS(r, 200, "the daily limit back");
	itest_resp_free(&r);
	free(body);
	CHECK(itest_stack("worker-kill") == 0, "worker-kill");
	ITEST_SQL("midnight UTC",
		  itest_strdup("UPDATE outbox SET next_attempt_at = NOW(3), "
			       "leased_until = NULL WHERE kind = 'candidate' "
			       "AND state = 'pending'"));
	CHECK(itest_stack("worker-start") == 0, "worker-start");
	for (int i = 0; i < N; i++) {
		json_decref(await_stage(cand[i], "Screen"));
		free(itest_await_outbox("candidate", cand[i], "", 15000));
		long long ev[2];
		CHECK(itest_sql_ints(ev, 2,
				     "SELECT id FROM application_events WHERE "
				     "application_id = %lld ORDER BY id",
				     app[i]) == 2,
		      "two events");
		for (int k = 0; k < 2; k++) {
			char *sid = itest_fmt("S%lld", ev[k]);
			int n = sent_count(mark, "stages", sid);
			CHECK(n == 1, "%s of candidate %d taken %d times", sid,
			      i, n);
			free(sid);
		}
	}
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(a_prospect_only_candidate_leaves_nothing_at_linkedin),
	    TEST(the_move_past_prospect_sends_all_but_private_notes),
	    TEST(later_changes_follow_and_private_notes_are_removed),
	    TEST(an_outage_delays_changes_and_loses_or_repeats_none),
	    TEST(linkedins_throttle_is_honoured),
	    TEST(a_refused_record_is_dead_with_linkedins_message),
	    TEST(two_workers_send_each_entry_once),
	    TEST(a_worker_killed_mid_batch_delivers_once),
	    TEST(the_full_sync_sends_bulk_data_and_survives_a_restart),
	    TEST(changes_made_while_off_go_when_on_again),
	    TEST(a_renamed_job_or_stage_reaches_in_ats),
	    TEST(linkedins_daily_limit_stops_the_sync_without_a_storm),
	};
	static const struct suite suites[] = {
	    SUITE("in_ats", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
