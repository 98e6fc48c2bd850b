/*
 * test_concurrency.c - many people writing to one job at the same moment,
 * through nginx (issue 17, "no deadlock reaches a user as a 500").
 *
 * Two writes in one job used to meet on the same rows in opposite lock
 * modes: the foreign-key check of an application's stage takes a shared
 * lock on the job_stages row, and the stage-count trigger then wants it
 * exclusively (sql/080_perf_stages.sql), so two moves into one stage
 * deadlocked and one of them answered 500; two admins demoting each other
 * locked the two users in opposite orders.  Here 200 requests leave at
 * once (a barrier), each from its own client: moves of applications into
 * one stage (some pairs moving the same application from the same version,
 * where exactly one must win and the other get the 409 it always got),
 * "add to job", notes on the job's candidates, member edits and a few
 * moves of stages in the pipeline.  Then
 * every answer of hirelink's must be one a user expects (no 500, nor any
 * other 5xx), what was answered done must be there once and nothing else,
 * and every counter the triggers keep must equal the COUNT(*) it stands
 * for; nginx answers none of the crowd 502 (the FastCGI socket queues
 * it: listen_backlog).
 * Two admins demoting each other, round after round, must never see a 500
 * either.
 *
 * Nothing is timed: the tests assert statuses and counts.  The program
 * makes its own users, job and candidates, unique to the run.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

/* ------------------------------------------------------------ fixture */

static char *run_id;
static struct itest_person rita; /* recruiter on the job: makes every write */
static struct itest_person adam; /* admin: puts the two below back */
static struct itest_person ada, abe; /* admins who demote each other */

static int suite_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id)
		return -1;
	if (itest_person_add(&rita, "rita", "Concurrency", "recruiter",
			     "none") < 0 ||
	    itest_person_add(&adam, "adam", "Concurrency", "admin", "none") <
		0 ||
	    itest_person_add(&ada, "ada", "Concurrency", "admin", "none") < 0 ||
	    itest_person_add(&abe, "abe", "Concurrency", "admin", "none") < 0) {
		fprintf(stderr, "cannot create the test users\n");
		return -1;
	}
	return itest_as(&rita) && itest_as(&adam) ? 0 : -1;
}

static int suite_clean(void)
{
	struct itest_person *all[] = {&rita, &adam, &ada, &abe};
	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		itest_person_free(all[i]);
	free(run_id);
	return 0;
}

/* ------------------------------------------------------------ requests */

/* One request of the crowd: a POST of a form, sent when all are ready. */
struct shot {
	const char *kind; /* "move", "add", "note", "member" */
	char *path, *body;
	int pair; /* moves of one application from one version: 1.. */
	struct itest_client *c;
	pthread_barrier_t *start;
	long status;
	char *answer; /* the start of the body of a 5xx */
};

static void *shot_run(void *arg)
{
	struct shot *s = arg;
	pthread_barrier_wait(s->start);
	struct itest_resp r =
	    itest_request(s->c, "POST", s->path, true,
			  "application/x-www-form-urlencoded", s->body,
			  strlen(s->body), NULL);
	s->status = r.status;
	if (r.status >= 500 || r.status == 0)
		s->answer = itest_fmt("%.200s", r.body);
	itest_resp_free(&r);
	return NULL;
}

/* Sends shots[0..n) at once, each from a client of its own holding the
 * session cookie of p (so with p's CSRF token). */
static void fire(struct itest_person *p, struct shot *shots, size_t n)
{
	char *cookie = itest_cookie(itest_as(p), "hl_session");
	pthread_t *t = calloc(n, sizeof(*t));
	pthread_barrier_t start;
	CHECK(cookie && t, "the session cookie of %s", p->email);
	if (!cookie || !t) {
		free(cookie);
		free(t);
		return;
	}
	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (size_t i = 0; i < n; i++) {
		shots[i].c = itest_client_new(NULL);
		itest_set_cookie(shots[i].c, "hl_session", cookie);
		shots[i].start = &start;
	}
	for (size_t i = 0; i < n; i++)
		pthread_create(&t[i], NULL, shot_run, &shots[i]);
	for (size_t i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		itest_client_free(shots[i].c);
	}
	pthread_barrier_destroy(&start);
	free(t);
	free(cookie);
}

/* "?" for an integer. */
static char *num(long long v) { return itest_fmt("%lld", v); }

/* A form with p's CSRF token and the fields name, value, ... NULL. */
#define FORM(p, ...) itest_form("csrf", (p)->csrf, __VA_ARGS__, (char *)NULL)

/* ------------------------------------------------------------ checks */

/* Every counter the triggers keep equals what it counts: the job's stage
 * counts (sql/080), its member count and the jobs-per-status counts
 * (sql/060). */
static void counters_equal_counts(long long job)
{
	long long bad = itest_sql_int(
	    "SELECT COUNT(*) FROM job_stages s WHERE s.job_id = %lld AND "
	    "(s.total_count <> (SELECT COUNT(*) FROM applications a WHERE "
	    "a.stage_id = s.id) OR s.active_count <> (SELECT COUNT(*) FROM "
	    "applications a WHERE a.stage_id = s.id AND a.status = "
	    "'active'))",
	    job);
	CHECK(bad == 0, "%lld stages of the job count other than COUNT(*)",
	      bad);
	long long members = itest_sql_int(
	    "SELECT j.member_count - (SELECT COUNT(*) FROM job_members jm "
	    "WHERE jm.job_id = j.id) FROM jobs j WHERE j.id = %lld",
	    job);
	CHECK(members == 0, "member_count is off by %lld", members);
	long long jobs = itest_sql_int(
	    "SELECT COUNT(*) FROM job_counts c WHERE c.n <> (SELECT COUNT(*) "
	    "FROM jobs j WHERE j.status = c.status AND (j.member_count = 0) "
	    "= c.unassigned)");
	CHECK(jobs == 0, "%lld job_counts rows differ from COUNT(*)", jobs);
}

/* ------------------------------------------------------------ the crowd */

enum {
	MOVES = 50,   /* applications, each moved once from Prospect to Screen */
	PAIRS = 10,   /* applications moved twice at once from one version */
	ADDS = 80,    /* candidates added to the job */
	NOTES = 24,   /* notes on the job's candidates */
	MEMBERS = 20, /* member edits: adds, role changes, removals */
	PIPELINE = 6, /* stage moves: the pipeline reordered meanwhile */
	CROWD = MOVES + 2 * PAIRS + ADDS + NOTES + MEMBERS + PIPELINE,
	USERS = 10, /* users whose membership is edited */
};

static void two_hundred_writes_in_one_job_at_once_never_answer_500(void)
{
	char *title = itest_fmt("Crowd %s", run_id);
	ITEST_SQL("the job",
		  itest_fmt("INSERT INTO jobs (title, description, status, "
			    "created_by) VALUES ('%s', '', 'active', %lld)",
			    title, rita.id));
	long long job = itest_sql_int("SELECT id FROM jobs WHERE title = '%s'",
				      title);
	CHECK(job > 0, "the job was made");
	if (job <= 0)
		goto out;
	ITEST_SQL("rita on the job, and its pipeline",
		  itest_fmt("INSERT INTO job_members (job_id, user_id, role) "
			    "VALUES (%lld, %lld, 'recruiter');\n"
			    "INSERT INTO job_stages (job_id, name, kind, "
			    "position) VALUES (%lld, 'Prospect', 'prospect', "
			    "1), (%lld, 'Screen', 'screen', 2), (%lld, "
			    "'Interview', 'interview', 3)",
			    job, rita.id, job, job, job));
	long long prospect = itest_sql_int(
	    "SELECT id FROM job_stages WHERE job_id = %lld AND kind = "
	    "'prospect'",
	    job);
	long long screen = itest_sql_int(
	    "SELECT id FROM job_stages WHERE job_id = %lld AND kind = "
	    "'screen'",
	    job);
	long long interview = itest_sql_int(
	    "SELECT id FROM job_stages WHERE job_id = %lld AND kind = "
	    "'interview'",
	    job);

	/* Candidates: the first MOVES + PAIRS on the job in Prospect, the
	 * next ADDS not on it yet.  Users whose membership is edited: the
	 * first half members already (interviewers), the rest not. */
	struct buf b = BUF_INIT;
	for (int i = 0; i < MOVES + PAIRS + ADDS; i++) {
		buf_addf(&b,
			 "INSERT INTO candidates (first_name, last_name, "
			 "email) VALUES ('Crowd%03d', 'C%s', "
			 "'crowd%03d.%s@cand.hirelink.test');\n",
			 i, run_id, i, run_id);
		if (i < MOVES + PAIRS)
			buf_addf(&b,
				 "INSERT INTO applications (job_id, "
				 "candidate_id, stage_id) VALUES (%lld, "
				 "LAST_INSERT_ID(), %lld);\n",
				 job, prospect);
	}
	for (int i = 0; i < USERS; i++) {
		buf_addf(&b,
			 "INSERT INTO users (email, name, password_hash, "
			 "role) VALUES ('member%02d.%s@crowd.itest.hirelink."
			 "test', 'Member%02d %s', 'x', 'interviewer');\n",
			 i, run_id, i, run_id);
		if (i < USERS / 2)
			buf_addf(&b,
				 "INSERT INTO job_members (job_id, user_id, "
				 "role) VALUES (%lld, LAST_INSERT_ID(), "
				 "'interviewer');\n",
				 job);
	}
	ITEST_SQL("candidates, applications and users", buf_detach(&b, NULL));
	long long apps[MOVES + PAIRS], cands[MOVES + PAIRS + ADDS],
	    users[USERS];
	long napps = itest_sql_ints(apps, ARRAY_LEN(apps),
				    "SELECT id FROM applications WHERE job_id "
				    "= %lld ORDER BY id",
				    job);
	long ncands = itest_sql_ints(cands, ARRAY_LEN(cands),
				     "SELECT id FROM candidates WHERE "
				     "last_name = 'C%s' ORDER BY id",
				     run_id);
	long nusers = itest_sql_ints(users, ARRAY_LEN(users),
				     "SELECT id FROM users WHERE email LIKE "
				     "'member%%.%s@crowd.%%' ORDER BY id",
				     run_id);
	CHECK(napps == MOVES + PAIRS && ncands == MOVES + PAIRS + ADDS &&
		  nusers == USERS,
	      "fixtures: %ld applications, %ld candidates, %ld users", napps,
	      ncands, nusers);
	if (napps != MOVES + PAIRS || ncands != MOVES + PAIRS + ADDS ||
	    nusers != USERS)
		goto out;

	/* The crowd: one queue of requests per kind, then dealt out in turn,
	 * so that each kind meets every other.  Notes go on candidates
	 * being moved or added right now; member edits are role changes
	 * and then removals of users 0..4 (members already), adds of users
	 * 5..9. */
	static struct shot q[5][CROWD], s[CROWD];
	size_t nq[5] = {0}, n = 0;
	char *to = num(screen), *alt = num(interview), *job_s = num(job);
	for (int i = 0; i < MOVES + PAIRS; i++) {
		char *id = num(apps[i]);
		for (int k = 0; k < (i < MOVES ? 1 : 2); k++)
			q[0][nq[0]++] = (struct shot){
			    .kind = "move",
			    .pair = i < MOVES ? 0 : i - MOVES + 1,
			    .path = itest_fmt("/applications/%s/move", id),
			    .body = FORM(&rita, "stage_id", k ? alt : to,
					 "version", "1")};
		free(id);
	}
	for (int i = 0; i < ADDS; i++) {
		char *cid = num(cands[MOVES + PAIRS + i]);
		q[1][nq[1]++] = (struct shot){
		    .kind = "add",
		    .path = itest_strdup("/applications"),
		    .body = FORM(&rita, "candidate_id", cid, "job_id", job_s)};
		free(cid);
	}
	for (int i = 0; i < NOTES; i++) {
		char *note = itest_fmt("Crowd note %d", i);
		long long cand = i % 2 ? cands[i * 2] : cands[MOVES + PAIRS + i];
		q[2][nq[2]++] = (struct shot){
		    .kind = "note",
		    .path = itest_fmt("/candidates/%lld/notes", cand),
		    .body = FORM(&rita, "body", note)};
		free(note);
	}
	for (int i = 0; i < MEMBERS; i++) {
		int u = i % USERS;
		char *uid = num(users[u]);
		q[3][nq[3]++] = (struct shot){
		    .kind = "member",
		    .path = itest_fmt("/jobs/%lld/members", job),
		    .body = u >= USERS / 2
				? FORM(&rita, "action", "add", "user_id", uid,
				       "role", "interviewer")
			    : i < USERS
				? FORM(&rita, "action", "add", "user_id", uid,
				       "role", "hiring_manager")
				: FORM(&rita, "action", "remove", "user_id",
				       uid)};
		free(uid);
	}
	for (int i = 0; i < PIPELINE; i++) {
		char *sid = num(i % 2 ? screen : interview);
		char *pos = num(1 + i % 3);
		q[4][nq[4]++] = (struct shot){
		    .kind = "pipeline",
		    .path = itest_fmt("/jobs/%lld/stages", job),
		    .body = FORM(&rita, "action", "move", "stage_id", sid,
				 "position", pos)};
		free(sid);
		free(pos);
	}
	for (size_t i = 0; n < CROWD && i < CROWD; i++)
		for (int k = 0; k < 5; k++)
			if (i < nq[k])
				s[n++] = q[k][i];
	CHECK(n == CROWD, "the crowd: %zu requests, want %d", n, CROWD);

	fire(&rita, s, n);

	/* What each got.  A move of its own: 200.  A pair: one 200, one
	 * 409 (the application was changed by the other).  An add: 201.  A
	 * note: 201.  A member edit or a stage move: 200 or 303.  A 502 is
	 * nginx's own (the request found the FastCGI socket's queue full):
	 * counted apart, and a failure too. */
	int e500 = 0, gateway = 0, others = 0, pair_won[PAIRS + 1] = {0},
	    pair_lost[PAIRS + 1] = {0};
	long long moves_done = 0, adds_done = 0, notes_done = 0;
	for (size_t i = 0; i < n; i++) {
		long st = s[i].status;
		bool ok;
		if (st == 502) {
			gateway++;
			continue;
		}
		if (st >= 500 || st == 0) {
			if (e500++ < 5)
				fprintf(stderr, "%s %s: %ld %s\n", s[i].kind,
					s[i].path, st,
					s[i].answer ? s[i].answer : "");
			continue;
		}
		if (s[i].pair) {
			pair_won[s[i].pair] += st == 200;
			pair_lost[s[i].pair] += st == 409;
			ok = st == 200 || st == 409;
		} else if (!strcmp(s[i].kind, "move")) {
			ok = st == 200;
		} else if (!strcmp(s[i].kind, "member") ||
			   !strcmp(s[i].kind, "pipeline")) {
			ok = st == 200 || st == 303;
		} else {
			ok = st == 201;
		}
		moves_done += !strcmp(s[i].kind, "move") && st == 200;
		adds_done += !strcmp(s[i].kind, "add") && st == 201;
		notes_done += !strcmp(s[i].kind, "note") && st == 201;
		if (!ok && others++ < 5)
			fprintf(stderr, "%s %s: unexpected %ld\n", s[i].kind,
				s[i].path, st);
	}
	fprintf(stderr,
		"%d of %zu concurrent writes answered 500 (or another 5xx of "
		"hirelink's), %d a 502 of nginx's\n",
		e500, n, gateway);
	CHECK(e500 == 0, "%d of %zu concurrent writes answered 500 (or "
	      "another 5xx of hirelink's)", e500, n);
	CHECK(gateway == 0, "%d of %zu concurrent writes answered 502 by nginx",
	      gateway, n);
	CHECK(others == 0, "%d answers other than a user expects", others);
	for (int p = 1; p <= PAIRS; p++)
		CHECK(pair_won[p] + pair_lost[p] != 2 ||
			  (pair_won[p] == 1 && pair_lost[p] == 1),
		      "pair %d: %d moves won, %d got 409, want one each", p,
		      pair_won[p], pair_lost[p]);

	/* What the job holds: each write that was answered done landed
	 * once, with its event, and none other did; the counters agree
	 * with COUNT(*). */
	long long total = itest_sql_int(
	    "SELECT COUNT(*) FROM applications WHERE job_id = %lld", job);
	CHECK(total == MOVES + PAIRS + adds_done,
	      "%lld applications on the job, want %lld", total,
	      MOVES + PAIRS + adds_done);
	long long moved_events = itest_sql_int(
	    "SELECT COUNT(*) FROM application_events e JOIN applications a "
	    "ON a.id = e.application_id WHERE a.job_id = %lld AND e.kind = "
	    "'moved'",
	    job);
	CHECK(moved_events == moves_done, "%lld move events, want %lld",
	      moved_events, moves_done);
	long long notes = itest_sql_int(
	    "SELECT COUNT(*) FROM notes n JOIN candidates c ON c.id = "
	    "n.candidate_id WHERE c.last_name = 'C%s'",
	    run_id);
	CHECK(notes == notes_done, "%lld notes, want %lld", notes, notes_done);
	counters_equal_counts(job);

	for (size_t i = 0; i < n; i++) {
		free(s[i].path);
		free(s[i].body);
		free(s[i].answer);
	}
	free(to);
	free(alt);
	free(job_s);
out:
	free(title);
}

/* ------------------------------------------------------------ admins */

enum { ROUNDS = 40 };

/* adam makes p an admin again (through the page, so every cached session
 * learns it). */
static void make_admin(struct itest_person *p)
{
	char *path = itest_fmt("/admin/users/%lld", p->id);
	struct itest_resp r = itest_post(itest_as(&adam), path, false,
					 adam.csrf, "role", "admin", "seat",
					 "none", NULL);
	CHECK_STATUS(r, 303, "adam makes an admin again");
	itest_resp_free(&r);
	free(path);
}

/* One admin demoting another, as the other demotes them. */
struct demotion {
	struct itest_client *c;
	char *path, *body;
	pthread_barrier_t *start;
	long status;
};

static void *demotion_run(void *arg)
{
	struct demotion *d = arg;
	pthread_barrier_wait(d->start);
	struct itest_resp r = itest_post_form(d->c, d->path, d->body);
	d->status = r.status;
	if (r.status >= 500)
		itest_dump(&r);
	itest_resp_free(&r);
	return NULL;
}

static void two_admins_demoting_each_other_never_see_500(void)
{
	int errors = 0, others = 0, wrong = 0;
	for (int round = 0; round < ROUNDS; round++) {
		make_admin(&ada);
		make_admin(&abe);
		struct itest_person *who[2] = {&ada, &abe};
		struct demotion d[2];
		pthread_t t[2];
		pthread_barrier_t start;
		pthread_barrier_init(&start, NULL, 2);
		for (int i = 0; i < 2; i++) {
			struct itest_person *other = who[1 - i];
			d[i] = (struct demotion){
			    .c = itest_as(who[i]),
			    .path =
				itest_fmt("/admin/users/%lld", other->id),
			    .body = FORM(who[i], "role", "recruiter", "seat",
					 "none"),
			    .start = &start};
		}
		for (int i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, demotion_run, &d[i]);
		for (int i = 0; i < 2; i++) {
			pthread_join(t[i], NULL);
			/* 303: done; 403: the other was quicker, and this
			 * one is no admin any more. */
			if (d[i].status >= 500 || d[i].status == 0)
				errors++;
			else if (d[i].status != 303 && d[i].status != 403)
				others++;
		}
		/* A 303 demoted the other; at least one went through. */
		for (int i = 0; i < 2; i++) {
			char *role = itest_sql_str(
			    "SELECT role FROM users WHERE id = %lld",
			    who[1 - i]->id);
			if (d[i].status == 303 && strcmp(role, "recruiter"))
				wrong++;
			free(role);
			free(d[i].path);
			free(d[i].body);
		}
		if (d[0].status != 303 && d[1].status != 303)
			wrong++;
		pthread_barrier_destroy(&start);
	}
	fprintf(stderr, "%d of %d demotions answered 5xx\n", errors,
		2 * ROUNDS);
	CHECK(errors == 0, "%d of %d demotions answered 5xx", errors,
	      2 * ROUNDS);
	CHECK(others == 0, "%d demotions answered neither 303 nor 403", others);
	CHECK(wrong == 0, "%d rounds left an admin a 303 demoted, or none "
	      "went through", wrong);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(two_hundred_writes_in_one_job_at_once_never_answer_500),
	    TEST(two_admins_demoting_each_other_never_see_500),
	};
	static const struct suite suites[] = {
	    SUITE("concurrency", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
