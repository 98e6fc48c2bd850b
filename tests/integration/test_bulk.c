/*
 * test_bulk.c - bulk actions (issue 18, src/ats/bulk.h) on the real stack:
 * a stage tab's rows moved and rejected with an event and an audit row
 * each, search results added to a pool and to a job, a record that fails
 * listed with its reason while the others are done, a pool's "add" search
 * kept after Add and adding several at once, and a background job of
 * 1,200 that the worker finishes after being killed half-way.
 *
 * The records are made with SQL (hundreds at once), the actions through
 * the pages' forms as a browser posts them.
 */
#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../suite.h"
#include "itest.h"

/* Runs the statement printf makes; a failure at the caller's line. */
#define SQL(what, ...)                                                         \
	itest_sql_step((what), itest_fmt(__VA_ARGS__), __FILE__, __LINE__)

/* printf into a string freed when the suite ends. */
static char *kept[512];
static size_t nkept;
__attribute__((format(printf, 1, 2))) static char *F(const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	if (nkept < sizeof(kept) / sizeof(kept[0]))
		kept[nkept++] = s;
	return s;
}

static struct itest_person rita, rex; /* recruiters; rex is another */
static struct itest_person hank;      /* a hiring manager */
static char *tag;		      /* this run's names start with it */

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* An active job with stages Applied, Screen, Interview (ids in st[3]),
 * no members (every recruiter manages it); its id. */
static long long make_job(const char *name, long long st[3])
{
	SQL("job", "INSERT INTO jobs (title, description, "
				   "status) VALUES ('%s %s', '', 'active')",
				   name, tag);
	long long j = itest_sql_int("SELECT id FROM jobs WHERE title = '%s %s'",
				    name, tag);
	SQL("stages", "INSERT INTO job_stages (job_id, name, kind, "
			    "position) VALUES (%lld, 'Applied', 'prospect', 1), "
			    "(%lld, 'Screen', 'screen', 2), (%lld, "
			    "'Interview', 'interview', 3)",
			    j, j, j);
	CHECK(itest_sql_ints(st, 3,
			     "SELECT id FROM job_stages WHERE job_id = %lld "
			     "ORDER BY position",
			     j) == 3,
	      "three stages");
	return j;
}

/* n candidates named <prefix><tag>-NNNN Bulk (first name), and when job
 * is given an application each at stage; the candidates' ids in order
 * into ids (up to max). */
static long make_people(const char *prefix, long n, long long job,
			long long stage, long long *ids, size_t max)
{
	SQL("candidates", "INSERT INTO candidates (first_name, last_name, "
			    "email) SELECT CONCAT('%s%s-', LPAD(seq, 4, '0')), "
			    "'Bulk', CONCAT('%s%s-', seq, '@bulk.itest') FROM "
			    "seq_1_to_%ld",
			    prefix, tag, prefix, tag, n);
	if (job)
		SQL("applications", "INSERT INTO applications (job_id, "
				    "candidate_id, stage_id) SELECT %lld, id, "
				    "%lld FROM candidates WHERE first_name "
				    "LIKE '%s%s-%%' ORDER BY id",
				    job, stage, prefix, tag);
	return itest_sql_ints(ids, max,
			      "SELECT id FROM candidates WHERE first_name LIKE "
			      "'%s%s-%%' ORDER BY id",
			      prefix, tag);
}

/* The application of candidate k on job j. */
static long long app_of(long long j, long long k)
{
	return itest_sql_int("SELECT id FROM applications WHERE job_id = %lld "
			     "AND candidate_id = %lld",
			     j, k);
}

/* POSTs body (urlencoded, csrf first) as p. */
static struct itest_resp post_as(struct itest_person *p, const char *path,
				 const char *rest)
{
	struct itest_client *c = itest_as(p);
	char *body = F("csrf=%s&%s", p->csrf, rest);
	struct itest_resp r = itest_post_form(c, path, body);
	return r;
}

static int suite_init(void)
{
	tag = itest_unique("B");
	if (itest_person_add(&rita, "rita", "Bulk", "recruiter", "none") ||
	    itest_person_add(&rex, "rex", "Bulk", "recruiter", "none") ||
	    itest_person_add(&hank, "hank", "Bulk", "hiring_manager", "none"))
		return 1;
	return itest_as(&rita) && itest_as(&rex) && itest_as(&hank) ? 0 : 1;
}

static int suite_clean(void)
{
	itest_person_free(&rita);
	itest_person_free(&rex);
	itest_person_free(&hank);
	free(tag);
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	return 0;
}

/* Three ticked rows of a stage tab move to Screen: three moves, each with
 * its own event and audit row, the notice on the tab they came from; the
 * rows not ticked stay. */
static void stage_tab_moves_the_ticked_rows_one_event_each(void)
{
	long long st[3], k[5], a[5];
	long long j = make_job("Move", st);
	CHECK(make_people("Mo", 5, j, st[0], k, 5) == 5, "five candidates");
	for (int i = 0; i < 5; i++)
		a[i] = app_of(j, k[i]);
	struct itest_resp page =
	    itest_get(itest_as(&rita), F("/jobs/%lld?stage=%lld", j, st[0]), false);
	CHECK_HAS(page, "id=\"bulk\"", "the stage tab has the bulk bar");
	CHECK_HAS(page, "form=\"bulk\"", "and a checkbox a row");
	itest_resp_free(&page);

	char *back = F("/jobs/%lld?stage=%lld", j, st[0]);
	char *body = F("ids=%lld&ids=%lld&ids=%lld&to_stage_id=%lld&"
			       "stage=%lld&return_to=%%2Fjobs%%2F%lld%%3Fstage%%3D%lld",
			       a[0], a[1], a[2], st[1], st[0], j, st[0]);
	struct itest_resp r =
	    post_as(&rita, F("/jobs/%lld/bulk/move", j), body);
	CHECK_STATUS(r, 303, "bulk move");
	CHECK(!strcmp(itest_location(&r), back), "back to the tab: %s",
	      itest_location(&r));
	itest_resp_free(&r);
	r = itest_get(itest_as(&rita), back, false);
	CHECK_HAS(r, "Moved 3 candidates to Screen.", "the notice");
	itest_resp_free(&r);

	for (int i = 0; i < 5; i++) {
		long long at = itest_sql_int(
		    "SELECT stage_id FROM applications WHERE id = %lld", a[i]);
		CHECK(at == (i < 3 ? st[1] : st[0]), "application %d at %lld", i,
		      at);
		long long ev = itest_sql_int(
		    "SELECT COUNT(*) FROM application_events WHERE "
		    "application_id = %lld AND kind = 'moved' AND from_stage_id "
		    "= %lld AND to_stage_id = %lld AND user_id = %lld",
		    a[i], st[0], st[1], rita.id);
		CHECK(ev == (i < 3 ? 1 : 0), "application %d: %lld move events",
		      i, ev);
		long long au = itest_sql_int(
		    "SELECT COUNT(*) FROM audit_log WHERE action = "
		    "'application.move' AND entity = 'application' AND "
		    "entity_id = %lld AND user_id = %lld",
		    a[i], rita.id);
		CHECK(au == (i < 3 ? 1 : 0), "application %d: %lld audit rows",
		      i, au);
	}
}

/* A bulk action that asks first was sent to its confirmation step: the
 * waiting job's id from r's Location, its page saying heading; nothing
 * done yet, its items held from the worker. */
static long long confirmation_asked(struct itest_resp *r, const char *heading)
{
	long long id = 0;
	CHECK_STATUS(*r, 303, "to the confirmation step");
	CHECK(sscanf(itest_location(r), "/bulk/%lld", &id) == 1,
	      "to the bulk job's page: %s", itest_location(r));
	struct itest_resp p = itest_get(itest_as(&rita), F("/bulk/%lld", id),
					false);
	CHECK_STATUS(p, 200, "the confirmation step");
	CHECK_HAS(p, heading, "says what and how many");
	CHECK_HAS(p, F("action=\"/bulk/%lld/confirm\"", id),
		  "its form posts the confirmation");
	CHECK_HAS(p, "class=\"cancel\"", "and offers Cancel");
	itest_resp_free(&p);
	CHECK(itest_sql_int("SELECT done + failed FROM bulk_jobs WHERE id = "
			    "%lld",
			    id) == 0,
	      "something was done before the confirmation");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM bulk_items WHERE "
			    "bulk_job_id = %lld AND next_attempt_at < NOW(3) + "
			    "INTERVAL 1 YEAR",
			    id) == 0,
	      "a waiting job's items are due to the worker");
	return id;
}

/* "All N in this stage" rejected with a reason and a note, after its
 * confirmation step: every active application of the stage, each its own
 * rejection. */
static void all_in_a_stage_are_rejected_with_the_reason(void)
{
	long long st[3], k[4];
	long long j = make_job("Reject", st);
	CHECK(make_people("Re", 4, j, st[1], k, 4) == 4, "four candidates");
	struct itest_resp r = post_as(
	    &rita, F("/jobs/%lld/bulk/reject", j),
	    F("all=1&stage=%lld&reason=not_qualified&note=Bulk+note&"
	      "return_to=%%2Fjobs%%2F%lld%%3Fstage%%3D%lld",
	      st[1], j, st[1]));
	long long id = confirmation_asked(&r, "Reject 4 candidates?");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications WHERE job_id = "
			    "%lld AND status = 'rejected'",
			    j) == 0,
	      "rejected before the confirmation");
	/* not another's to confirm */
	r = post_as(&rex, F("/bulk/%lld/confirm", id), "x=1");
	CHECK_STATUS(r, 404, "rex confirms rita's");
	itest_resp_free(&r);
	r = post_as(&rita, F("/bulk/%lld/confirm", id), "x=1");
	CHECK_STATUS(r, 303, "confirmed");
	CHECK(!strcmp(itest_location(&r), F("/jobs/%lld?stage=%lld", j, st[1])),
	      "back to the tab: %s", itest_location(&r));
	itest_resp_free(&r);
	r = itest_get(itest_as(&rita), F("/jobs/%lld?stage=%lld", j, st[1]),
		      false);
	CHECK_HAS(r, "Rejected 4 candidates", "the notice");
	itest_resp_free(&r);
	/* a second click changes nothing */
	r = post_as(&rita, F("/bulk/%lld/confirm", id), "x=1");
	CHECK_STATUS(r, 303, "confirmed twice");
	CHECK(!strcmp(itest_location(&r), F("/bulk/%lld", id)),
	      "the second goes to its page: %s", itest_location(&r));
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications WHERE job_id = "
			    "%lld AND status = 'rejected' AND rejection_reason "
			    "= 'not_qualified' AND rejection_note = 'Bulk note'",
			    j) == 4,
	      "four rejected with the reason");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events e JOIN "
			    "applications a ON a.id = e.application_id WHERE "
			    "a.job_id = %lld AND e.kind = 'rejected'",
			    j) == 4,
	      "four rejection events");
	/* without a reason nothing happens, and the page says what */
	r = post_as(&rita, F("/jobs/%lld/bulk/reject", j),
		    F("all=1&stage=%lld&reason=", st[0]));
	CHECK_STATUS(r, 400, "no reason");
	CHECK_HAS(r, "reason", "names the field");
	itest_resp_free(&r);
}

/* Ticked search results, then "all N results", go into a pool: one
 * membership and one audit row each. */
static void search_results_are_added_to_a_pool(void)
{
	long long k[6];
	CHECK(make_people("Po", 6, 0, 0, k, 6) == 6, "six candidates");
	SQL("pool", "INSERT INTO talent_pools (name) VALUES "
				    "('Pool %s')",
				    tag);
	long long p =
	    itest_sql_int("SELECT id FROM talent_pools WHERE name = 'Pool %s'", tag);
	char *q = F("Po%s", tag);
	struct itest_resp page = itest_get(
	    itest_as(&rita), F("/candidates?q=%s", q), false);
	CHECK_HAS(page, "action=\"/candidates/bulk/pool\"",
		  "the results have the bulk bar");
	itest_resp_free(&page);

	struct itest_resp r = post_as(
	    &rita, "/candidates/bulk/pool",
	    F("ids=%lld&ids=%lld&pool_id=%lld&q=%s", k[0], k[1], p, q));
	CHECK_STATUS(r, 303, "two to the pool");
	CHECK(!strcmp(itest_location(&r), F("/candidates?q=%s", q)),
	      "back to the results: %s", itest_location(&r));
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE pool_id "
			    "= %lld",
			    p) == 2,
	      "two members");
	r = post_as(&rita, "/candidates/bulk/pool",
		    F("all=1&pool_id=%lld&q=%s", p, q));
	long long id = confirmation_asked(&r, F("Add 6 candidates to the pool "
						"Pool %s?",
						tag));
	itest_resp_free(&r);
	r = post_as(&rita, F("/bulk/%lld/confirm", id), "x=1");
	CHECK_STATUS(r, 303, "all six");
	CHECK(!strcmp(itest_location(&r), F("/candidates?q=%s", q)),
	      "back to the results: %s", itest_location(&r));
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE pool_id "
			    "= %lld AND added_by = %lld",
			    p, rita.id) == 6,
	      "six members");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'pool.member_add' AND entity_id = %lld",
			    p) == 6,
	      "an audit row each (none twice)");
}

/* Search results added to a job: the one already on it is listed with
 * the reason on the bulk job's page, the others are added. */
static void a_failure_is_listed_and_the_others_are_done(void)
{
	long long st[3], k[3];
	long long j = make_job("Add", st);
	CHECK(make_people("Ad", 3, 0, 0, k, 3) == 3, "three candidates");
	SQL("one on the job already", "INSERT INTO applications (job_id, candidate_id, "
			    "stage_id) VALUES (%lld, %lld, %lld)",
			    j, k[1], st[1]);
	struct itest_resp r = post_as(
	    &rita, "/candidates/bulk/job",
	    F("ids=%lld&ids=%lld&ids=%lld&job_id=&job_ref=J-%05lld", k[0],
	      k[1], k[2], j));
	CHECK_STATUS(r, 303, "bulk add to job");
	const char *to = itest_location(&r);
	CHECK(!strncmp(to, "/bulk/", 6), "to the bulk job's page: %s", to);
	char *bulk = itest_strdup(to);
	itest_resp_free(&r);
	r = itest_get(itest_as(&rita), bulk, false);
	CHECK_STATUS(r, 200, "the bulk job's page");
	CHECK_HAS(r, "Added 2 candidates to the job", "the notice");
	CHECK_HAS(r, "<span id=\"bulk-processed\">3</span>", "3 processed");
	CHECK_HAS(r, "id=\"bulk-failures\"", "failures listed");
	char *name = F("Ad%s-0002 Bulk", tag);
	CHECK_HAS(r, name, "the one that failed, by name");
	CHECK_HAS(r, "is already on the job", "and why");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications WHERE job_id = "
			    "%lld",
			    j) == 3,
	      "three on the job");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events e JOIN "
			    "applications a ON a.id = e.application_id WHERE "
			    "a.job_id = %lld AND e.kind = 'created' AND "
			    "e.user_id = %lld",
			    j, rita.id) == 2,
	      "two created events, by rita");
	/* another recruiter may not know of it */
	r = itest_get(itest_as(&rex), bulk, false);
	CHECK_STATUS(r, 404, "rex and rita's bulk job");
	itest_resp_free(&r);
	free(bulk);
}

/* The pool page's "add" search stays after Add, and adds the ticked rows
 * at once; the notice offers Undo. */
static void pool_add_search_keeps_its_results_and_adds_several(void)
{
	long long k[3];
	CHECK(make_people("Pa", 3, 0, 0, k, 3) == 3, "three candidates");
	SQL("pool", "INSERT INTO talent_pools (name) VALUES "
				    "('Adds %s')",
				    tag);
	long long p =
	    itest_sql_int("SELECT id FROM talent_pools WHERE name = 'Adds %s'", tag);
	char *q = F("Pa%s", tag);
	struct itest_resp r = itest_get(
	    itest_as(&rita), F("/pools/%lld?q=%s", p, q), false);
	CHECK_HAS(r, "id=\"add-ticked\"", "several at once");
	CHECK(itest_count(r.body, "name=\"candidate_id\"") == 3,
	      "three found, a checkbox each");
	itest_resp_free(&r);
	r = post_as(&rita, F("/pools/%lld/members", p),
		    F("action=add&candidate_id=%lld&candidate_id=%lld&"
			      "q=%s",
			      k[0], k[1], q));
	CHECK_STATUS(r, 303, "add two");
	char *want = F("/pools/%lld?q=%s#add", p, q);
	CHECK(!strcmp(itest_location(&r), want), "back to the search: %s",
	      itest_location(&r));
	itest_resp_free(&r);
	r = itest_get(itest_as(&rita), F("/pools/%lld?q=%s", p, q), false);
	CHECK_HAS(r, "Added 2 candidates to Adds", "the notice");
	CHECK_HAS(r, "Undo", "with Undo");
	CHECK(itest_count(r.body, "name=\"candidate_id\"") >= 1,
	      "the one left is still found");
	itest_resp_free(&r);
	/* one by its own button */
	r = post_as(&rita, F("/pools/%lld/members", p),
		    F("action=add&one=%lld&q=%s", k[2], q));
	CHECK_STATUS(r, 303, "add the third");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE pool_id "
			    "= %lld",
			    p) == 3,
	      "three members");
}

/* The bulk job's counts: done, failed, finished (1/0), read at once (one
 * statement: read one by one, a count could be older than the end); -1
 * when gone. */
static void counts(long long id, long long out[3])
{
	out[0] = out[1] = out[2] = -1;
	char *v = itest_sql_str("SELECT CONCAT(done, ' ', failed, ' ', "
				"finished_at IS NOT NULL) FROM bulk_jobs WHERE "
				"id = %lld",
				id);
	if (sscanf(v, "%lld %lld %lld", &out[0], &out[1], &out[2]) != 3)
		out[0] = out[1] = out[2] = -1;
	free(v);
}

/* 1,200 moves go to the worker; killed half-way (SIGKILL), its leased
 * items come back and a new worker finishes: each application moved
 * once, with one event. */
static void a_background_job_survives_a_worker_kill(void)
{
	enum { N = 1200 };
	long long st[3], k[1];
	long long j = make_job("Big", st);
	CHECK(make_people("Bg", N, j, st[0], k, 1) == 1, "1,200 candidates");
	struct itest_resp r =
	    post_as(&rita, F("/jobs/%lld/bulk/move", j),
		    F("all=1&stage=%lld&to_stage_id=%lld", st[0], st[1]));
	CHECK_STATUS(r, 303, "bulk move of 1,200");
	const char *to = itest_location(&r);
	long long id = 0;
	CHECK(sscanf(to, "/bulk/%lld", &id) == 1, "to its page: %s", to);
	itest_resp_free(&r);
	r = itest_get(itest_as(&rita), F("/bulk/%lld", id), false);
	CHECK_HAS(r, "Moving 1200 candidates to Screen in the background",
		  "the notice");
	CHECK_HAS(r, "http-equiv=\"refresh\"", "the page reloads itself");
	itest_resp_free(&r);

	/* some done, then the worker dies */
	long long c[3];
	long long t0 = now_ms();
	do {
		usleep(100 * 1000);
		counts(id, c);
	} while (c[0] + c[1] < 50 && now_ms() - t0 < 60000);
	CHECK(itest_stack("worker-kill") == 0, "worker-kill");
	counts(id, c);
	CHECK(c[0] > 0 && c[0] < N, "part done when killed: %lld", c[0]);
	/* its lease ends (made to, rather than waited for) */
	SQL("end the lease", "UPDATE bulk_items SET next_attempt_at = NOW(3) "
			    "WHERE bulk_job_id = %lld AND state = 'pending'",
			    id);
	CHECK(itest_stack("worker-start") == 0, "worker-start");
	t0 = now_ms();
	do {
		usleep(200 * 1000);
		counts(id, c);
	} while (c[2] != 1 && now_ms() - t0 < 180000);
	CHECK(c[2] == 1 && c[0] == N && c[1] == 0,
	      "finished %lld: %lld done, %lld failed; total %lld, items: %lld "
	      "done, %lld pending (%lld due), %lld tried twice",
	      c[2], c[0], c[1],
	      itest_sql_int("SELECT total FROM bulk_jobs WHERE id = %lld", id),
	      itest_sql_int("SELECT COUNT(*) FROM bulk_items WHERE bulk_job_id "
			    "= %lld AND state = 'done'",
			    id),
	      itest_sql_int("SELECT COUNT(*) FROM bulk_items WHERE bulk_job_id "
			    "= %lld AND state = 'pending'",
			    id),
	      itest_sql_int("SELECT COUNT(*) FROM bulk_items WHERE bulk_job_id "
			    "= %lld AND state = 'pending' AND next_attempt_at "
			    "<= NOW(3)",
			    id),
	      itest_sql_int("SELECT COUNT(*) FROM bulk_items WHERE bulk_job_id "
			    "= %lld AND attempts > 1",
			    id));
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications WHERE job_id = "
			    "%lld AND stage_id = %lld",
			    j, st[1]) == N,
	      "all at Screen");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events e JOIN "
			    "applications a ON a.id = e.application_id WHERE "
			    "a.job_id = %lld AND e.kind = 'moved'",
			    j) == N,
	      "one move event each");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM (SELECT e.application_id "
			    "FROM application_events e JOIN applications a ON "
			    "a.id = e.application_id WHERE a.job_id = %lld AND "
			    "e.kind = 'moved' GROUP BY e.application_id HAVING "
			    "COUNT(*) > 1) x",
			    j) == 0,
	      "none moved twice");
	r = itest_get(itest_as(&rita), F("/bulk/%lld", id), false);
	CHECK_HAS(r, "<span id=\"bulk-processed\">1200</span> / <span "
		     "id=\"bulk-total\">1200</span>",
		  "1200 / 1200");
	CHECK_LACKS(r, "http-equiv=\"refresh\"", "no more reloading");
	itest_resp_free(&r);
}

/* A hiring manager on the job moves in bulk, as one by one, but may not
 * reject: the bar offers what the role may do, the route refuses the
 * rest. */
static void a_hiring_manager_moves_but_does_not_reject(void)
{
	long long st[3], k[2];
	long long j = make_job("Hm", st);
	CHECK(make_people("Hm", 2, j, st[0], k, 2) == 2, "two candidates");
	SQL("hank on the job", "INSERT INTO job_members (job_id, user_id, "
			       "role) VALUES (%lld, %lld, 'hiring_manager')",
	    j, hank.id);
	struct itest_resp r = itest_get(
	    itest_as(&hank), F("/jobs/%lld?stage=%lld", j, st[0]), false);
	CHECK_HAS(r, "id=\"bulk-move\"", "Move offered");
	CHECK_LACKS(r, "id=\"bulk-reject\"", "Reject not offered");
	CHECK_LACKS(r, "id=\"bulk-pool\"", "pools not offered");
	itest_resp_free(&r);
	r = post_as(&hank, F("/jobs/%lld/bulk/reject", j),
		    F("all=1&stage=%lld&reason=other", st[0]));
	CHECK_STATUS(r, 403, "reject refused");
	itest_resp_free(&r);
	r = post_as(&hank, F("/jobs/%lld/bulk/move", j),
		    F("all=1&stage=%lld&to_stage_id=%lld", st[0], st[2]));
	CHECK_STATUS(r, 303, "move");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_events e JOIN "
			    "applications a ON a.id = e.application_id WHERE "
			    "a.job_id = %lld AND e.kind = 'moved' AND e.user_id "
			    "= %lld",
			    j, hank.id) == 2,
	      "two moves by hank");
}

/* "All N results" are the results the page showed: the search's words
 * and its filters (job, stage, source, dates), the count said on the
 * confirmation step; a bad filter is refused naming it. */
static void all_results_are_the_filtered_results(void)
{
	long long st[3], k[6];
	long long j = make_job("Filter", st);
	CHECK(make_people("Fi", 6, 0, 0, k, 6) == 6, "six candidates");
	/* 0-2 on the job (0, 1 at Screen, 2 at Applied); 1 and 4 from a
	 * referral */
	SQL("on the job", "INSERT INTO applications (job_id, candidate_id, "
			  "stage_id) VALUES (%lld, %lld, %lld), (%lld, %lld, "
			  "%lld), (%lld, %lld, %lld)",
	    j, k[0], st[1], j, k[1], st[1], j, k[2], st[0]);
	SQL("sources", "UPDATE candidates SET source = 'Referral %s' WHERE id "
		       "IN (%lld, %lld)",
	    tag, k[1], k[4]);
	SQL("pool", "INSERT INTO talent_pools (name) VALUES ('Filtered %s')",
	    tag);
	long long p = itest_sql_int(
	    "SELECT id FROM talent_pools WHERE name = 'Filtered %s'", tag);
	char *q = F("Fi%s", tag);
	/* the bar sends the search again */
	struct itest_resp r = itest_get(
	    itest_as(&rita),
	    F("/candidates?q=%s&job=%lld&stage=%lld", q, j, st[1]), false);
	CHECK_HAS(r, F("name=\"job\" value=\"%lld\"", j),
		  "the bar keeps the job filter");
	CHECK_HAS(r, F("name=\"stage\" value=\"%lld\"", st[1]),
		  "the bar keeps the stage filter");
	CHECK_HAS(r, "all 2 results", "the bar counts the results");
	itest_resp_free(&r);
	/* job and stage: 0 and 1 */
	r = post_as(&rita, "/candidates/bulk/pool",
		    F("all=1&pool_id=%lld&q=%s&job=%lld&stage=%lld", p, q, j,
		      st[1]));
	long long id = confirmation_asked(
	    &r, F("Add 2 candidates to the pool Filtered %s?", tag));
	itest_resp_free(&r);
	r = post_as(&rita, F("/bulk/%lld/confirm", id), "x=1");
	CHECK_STATUS(r, 303, "confirmed");
	CHECK(!strcmp(itest_location(&r),
		      F("/candidates?q=%s&job=%lld&stage=%lld", q, j, st[1])),
	      "back to the same results: %s", itest_location(&r));
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE pool_id "
			    "= %lld AND candidate_id IN (%lld, %lld)",
			    p, k[0], k[1]) == 2 &&
		  itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE "
				"pool_id = %lld",
				p) == 2,
	      "the pool holds 0 and 1 alone");
	/* the source alone: 1 and 4 (1 in the pool already: done again) */
	r = post_as(&rita, "/candidates/bulk/pool",
		    F("all=1&pool_id=%lld&q=%s&source=Referral+%s", p, q, tag));
	id = confirmation_asked(&r, "Add 2 candidates");
	itest_resp_free(&r);
	r = post_as(&rita, F("/bulk/%lld/confirm", id), "x=1");
	CHECK_STATUS(r, 303, "confirmed");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE pool_id "
			    "= %lld",
			    p) == 3,
	      "the source filter added 4 alone");
	/* added after today: nobody, and nothing is created */
	r = post_as(&rita, "/candidates/bulk/pool",
		    F("all=1&pool_id=%lld&q=%s&added_from=2999-01-01", p, q));
	CHECK_STATUS(r, 400, "nobody found");
	itest_resp_free(&r);
	/* a stage without its job: refused naming the field */
	long long before = itest_sql_int("SELECT COUNT(*) FROM bulk_jobs");
	r = post_as(&rita, "/candidates/bulk/pool",
		    F("all=1&pool_id=%lld&q=%s&stage=%lld", p, q, st[1]));
	CHECK_STATUS(r, 400, "a stage without a job");
	CHECK_HAS(r, "Stage", "names the field");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM bulk_jobs") == before,
	      "a refused search created a bulk job");
	/* a waiting job cannot be confirmed after an hour */
	r = post_as(&rita, "/candidates/bulk/pool",
		    F("all=1&pool_id=%lld&q=%s", p, q));
	id = confirmation_asked(&r, "Add 6 candidates");
	itest_resp_free(&r);
	SQL("an hour later", "UPDATE bulk_jobs SET created_at = created_at - "
			     "INTERVAL 2 HOUR WHERE id = %lld",
	    id);
	r = post_as(&rita, F("/bulk/%lld/confirm", id), "x=1");
	CHECK_STATUS(r, 409, "confirmed too late");
	CHECK_HAS(r, "Choose them again", "says why");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE pool_id "
			    "= %lld",
			    p) == 3,
	      "the late confirmation added someone");
}

/* A bulk move to a Hired stage hires, so it asks first; then each is
 * hired with its own event. */
static void a_bulk_move_that_hires_asks_first(void)
{
	long long st[3], k[3];
	long long j = make_job("Hire", st);
	SQL("a Hired stage", "INSERT INTO job_stages (job_id, name, kind, "
			     "position) VALUES (%lld, 'Hired', 'hired', 4)",
	    j);
	long long hired = itest_sql_int(
	    "SELECT id FROM job_stages WHERE job_id = %lld AND kind = 'hired'",
	    j);
	CHECK(make_people("Hi", 3, j, st[2], k, 3) == 3, "three candidates");
	struct itest_resp r = post_as(
	    &rita, F("/jobs/%lld/bulk/move", j),
	    F("ids=%lld&ids=%lld&to_stage_id=%lld&stage=%lld", app_of(j, k[0]),
	      app_of(j, k[1]), hired, st[2]));
	long long id = confirmation_asked(&r, "Hire 2 candidates?");
	itest_resp_free(&r);
	r = post_as(&rita, F("/bulk/%lld/confirm", id), "x=1");
	CHECK_STATUS(r, 303, "confirmed");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications WHERE job_id = "
			    "%lld AND stage_id = %lld AND status = 'hired'",
			    j, hired) == 2,
	      "two hired at Hired");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM applications WHERE id = "
			    "%lld AND stage_id = %lld AND status = 'active'",
			    app_of(j, k[2]), st[2]) == 1,
	      "the third stays");
	/* a move elsewhere does not ask */
	r = post_as(&rita, F("/jobs/%lld/bulk/move", j),
		    F("ids=%lld&to_stage_id=%lld&stage=%lld", app_of(j, k[2]),
		      st[1], st[2]));
	CHECK_STATUS(r, 303, "a plain move");
	CHECK(strncmp(itest_location(&r), "/bulk/", 6) != 0,
	      "a plain move asked first: %s", itest_location(&r));
	itest_resp_free(&r);
}

/* A form names at most 200 rows; more is "all", and a 400 naming ids. */
static void too_many_rows_are_refused_naming_the_field(void)
{
	char *body = itest_strdup("pool_id=1");
	for (int i = 1; i <= 201; i++) {
		char *b = itest_fmt("%s&ids=%d", body, i);
		free(body);
		body = b;
	}
	struct itest_resp r = post_as(&rita, "/candidates/bulk/pool", body);
	CHECK_STATUS(r, 400, "201 rows");
	CHECK_HAS(r, "Rows chosen", "names the field by its label");
	itest_resp_free(&r);
	free(body);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(stage_tab_moves_the_ticked_rows_one_event_each),
	    TEST(all_in_a_stage_are_rejected_with_the_reason),
	    TEST(search_results_are_added_to_a_pool),
	    TEST(all_results_are_the_filtered_results),
	    TEST(a_bulk_move_that_hires_asks_first),
	    TEST(a_failure_is_listed_and_the_others_are_done),
	    TEST(pool_add_search_keeps_its_results_and_adds_several),
	    TEST(a_hiring_manager_moves_but_does_not_reject),
	    TEST(too_many_rows_are_refused_naming_the_field),
	    TEST(a_background_job_survives_a_worker_kill),
	};
	static const struct suite suites[] = {
	    SUITE("bulk", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
