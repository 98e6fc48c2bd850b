/*
 * test_talent_pool.c - the LinkedIn talent pool (F13) end to end: a
 * member replies to an InMail at the sandbox's LinkedIn and agrees to
 * share their contact details; LinkedIn makes a stub profile (mailStubs);
 * hirelink's worker fetches it (the pool page's Fetch now, or at once on
 * LinkedIn's INMAIL_STUB_CREATED push) and the member is a candidate of
 * the system LinkedIn pool "as the seed says": first and last name, and
 * the email only when the member chose to share it.  What must hold:
 *   - without a shared email: names only, the member linked, in the pool,
 *     the pool page showing the source and the date; the email shared
 *     later (LinkedIn updates the stub) reaches the candidate;
 *   - with a shared email: the email too; a candidate holding that email
 *     already is matched (and linked), not doubled;
 *   - the same stub read twice: one candidate, one membership;
 *   - the push notification alone (no Fetch, no periodic read due)
 *     brings the stub in, stored in inbound_events and applied.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

static const struct itest_li_app *li;
static char *run;
static struct itest_person ada, rita;
static long long pool;	 /* the LinkedIn pool */
static char *seat_holder; /* member id of a Recruiter seat holder */
static char *seat_urn;

static void sleep_ms(int ms)
{
	usleep((useconds_t)ms * 1000);
}

/* A sandbox member without a seat and with an email (so that "not
 * shared" means something), by this run's pid, in a range other tests do
 * not use, linked to no candidate; new. */
static char *free_member(int slot)
{
	int pid = (int)getpid();
	char *m = itest_sandbox_sql_str(
	    "SELECT urn_id FROM members WHERE seat = 'none' AND id > 200 AND "
	    "email IS NOT NULL AND closed_at IS NULL ORDER BY id DESC LIMIT 1 "
	    "OFFSET %d",
	    1300 + (pid % 200) * 6 + slot);
	if (*m) {
		char *q = itest_fmt("UPDATE candidates SET linkedin_member_id = "
				    "NULL WHERE linkedin_member_id = '%s'",
				    m);
		itest_sql(q);
		free(q);
	}
	return m;
}

/* POSTs json to the sandbox's control path; the answer (new), NULL with a
 * failed check unless 200 or 201. */
static json_t *sandbox_post(const char *path, const char *json)
{
	struct itest_resp r = itest_sandbox_post(path, json);
	json_t *j = NULL;
	CHECK(r.status == 201 || r.status == 200, "sandbox %s %s: %ld %s",
	      path, json, r.status, r.body);
	if (r.status == 201 || r.status == 200)
		j = itest_json(&r);
	itest_resp_free(&r);
	return j;
}

/* seat_holder InMails member, who replies sharing contact details (and
 * the email when share_email); the stub's id, new ("" none). */
static char *reply_sharing(const char *member, bool share_email)
{
	char *body = itest_fmt("{\"from\":\"%s\",\"to\":\"%s\",\"subject\":"
			       "\"Role at Acme %s\",\"body\":\"Interested?\"}",
			       seat_holder, member, run);
	json_t *j = sandbox_post("/sandbox/inmails", body);
	char *conv = itest_strdup(itest_jstr(j, "conversation"));
	json_decref(j);
	free(body);
	body = itest_fmt("{\"conversation\":\"%s\",\"body\":\"Yes, happy to "
			 "talk\",\"shareContact\":true,\"shareEmail\":%s}",
			 conv, share_email ? "true" : "false");
	j = sandbox_post("/sandbox/inmails/reply", body);
	const char *stub = itest_jstr(j, "mailStub");
	CHECK(*stub, "the reply made a stub");
	char *out = itest_strdup(stub);
	json_decref(j);
	free(body);
	free(conv);
	return out;
}

/* The candidate linked to member, waiting up to ms for the worker; 0
 * when none. */
static long long candidate_of(const char *member, int ms)
{
	long long id = -1;
	for (int t = 0; t <= ms && id <= 0; t += 100) {
		id = itest_sql_int("SELECT id FROM candidates WHERE "
				   "linkedin_member_id = '%s'",
				   member);
		if (id <= 0)
			sleep_ms(100);
	}
	return id > 0 ? id : 0;
}

static long fetch_now(void)
{
	char *path = itest_fmt("/pools/%lld/fetch", pool);
	struct itest_client *c = itest_as(&rita);
	struct itest_resp r = itest_post(c, path, false, rita.csrf, NULL);
	long st = r.status;
	CHECK(st == 303 && strstr(itest_location(&r), "fetch=asked"),
	      "Fetch now: %ld %s", st, itest_location(&r));
	itest_resp_free(&r);
	free(path);
	return st;
}

/* Whether the outbox holds no stub read any more (the worker is done). */
static bool stub_reads_done(int ms)
{
	for (int t = 0; t <= ms; t += 100) {
		if (itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind = "
				  "'li_stub_poll' AND state = 'pending'") == 0)
			return true;
		sleep_ms(100);
	}
	return false;
}

static bool callback_registered(void)
{
	return itest_sandbox_sql_int(
		   "SELECT COUNT(*) FROM ats_integration_configs WHERE "
		   "client_id = '%s' AND config_key = 'CALLBACK_URL'",
		   li->client_id) > 0;
}

/* ------------------------------------------------------------ set-up */

static int suite_init(void)
{
	run = itest_unique("tp");
	li = itest_li_app();
	if (!li || !run ||
	    itest_person_add(&ada, "ada", "Pool", "admin", "none") ||
	    itest_person_add(&rita, "rita", "Pool", "recruiter", "none") ||
	    !itest_as(&ada) || !itest_as(&rita))
		return 1;
	/* a Recruiter seat holder few other tests use */
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s/sandbox/credentials", itest_sandbox_url());
	struct itest_resp r = itest_get(c, url, true);
	json_t *j = itest_json(&r);
	json_t *recs = json_object_get(j, "recruiters");
	json_t *e = json_array_get(recs, json_array_size(recs) > 16 ? 16 : 0);
	seat_holder = itest_strdup(itest_jstr(e, "id"));
	seat_urn = itest_strdup(itest_jstr(e, "seat"));
	json_decref(j);
	itest_resp_free(&r);
	free(url);
	itest_client_free(c);
	if (!*seat_holder || !*seat_urn)
		return 1;

	r = itest_li_enable(ada.c, NULL);
	long st = r.status;
	itest_resp_free(&r);
	if (st != 303)
		return 1;
	/* enabled at LinkedIn: the callback URL the pushes go to */
	r = itest_post(ada.c, "/admin/linkedin/integrations", false, ada.csrf,
		       "action", "enable", NULL);
	st = r.status;
	itest_resp_free(&r);
	for (int i = 0; i < 100 && !callback_registered(); i++)
		sleep_ms(100);
	pool = itest_sql_int("SELECT id FROM talent_pools WHERE kind = "
			     "'linkedin'");
	return st == 303 && callback_registered() && pool > 0 ? 0 : 1;
}

static int suite_clean(void)
{
	/* LinkedIn set up but off, as the programs after this one expect */
	itest_li_leave_off(itest_as(&ada));
	itest_person_free(&ada);
	itest_person_free(&rita);
	return 0;
}

/* ------------------------------------------------------------ tests */

/* s with each quote doubled, for an SQL string literal; new. */
static char *sql_text(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *o = out;
	for (; out && *s; s++) {
		if (*s == '\'')
			*o++ = '\'';
		*o++ = *s;
	}
	if (out)
		*o = 0;
	return out ? out : itest_strdup("");
}

/* s as the templates write it (the characters of a name that change). */
static char *html_text(const char *s)
{
	char *out = malloc(5 * strlen(s) + 1), *o = out;
	for (; out && *s; s++) {
		const char *rep = *s == '\'' ? "&#39;" : *s == '&' ? "&amp;" : NULL;
		if (rep)
			o += sprintf(o, "%s", rep);
		else
			*o++ = *s;
	}
	if (out)
		*o = 0;
	return out ? out : itest_strdup("");
}

static void stub_without_shared_email_joins_the_pool_with_names_only(void)
{
	char *member = free_member(0);
	CHECK(*member, "a member");
	char *first = itest_sandbox_sql_str(
	    "SELECT first_name FROM members WHERE urn_id = '%s'", member);
	char *last = itest_sandbox_sql_str(
	    "SELECT last_name FROM members WHERE urn_id = '%s'", member);
	char *stub = reply_sharing(member, false);
	fetch_now();
	long long id = candidate_of(member, 10000);
	CHECK(id > 0, "the member is a candidate");
	/* the sandbox's names may hold quotes (O'Brien): compared by the
	 * database against its own copy, and escaped as the page does */
	char *sf = sql_text(first), *sl = sql_text(last);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidates WHERE id = %lld "
			    "AND first_name = '%s' AND last_name = '%s' AND "
			    "email IS NULL AND source = 'LinkedIn InMail "
			    "reply'",
			    id, sf, sl) == 1,
	      "first and last name, no email: it was not shared");
	free(sf), free(sl);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE pool_id "
			    "= %lld AND candidate_id = %lld",
			    pool, id) == 1,
	      "in the LinkedIn pool");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_mail_stubs WHERE stub_id "
			    "= '%s' AND candidate_id = %lld AND matched = "
			    "'created'",
			    stub, id) == 1,
	      "the stub is kept by its id");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'pool.linkedin_stub' AND entity_id = %lld",
			    id) == 1,
	      "audited");

	/* the pool page: the member, the source and the date */
	char *path = itest_fmt("/pools/%lld", pool);
	struct itest_resp r = itest_get(itest_as(&rita), path, false);
	CHECK_STATUS(r, 200, "the LinkedIn pool");
	char *hl = html_text(last);
	CHECK_HAS(r, hl, "the member is listed");
	free(hl);
	CHECK_HAS(r, "<td class=\"source\">LinkedIn InMail reply</td>",
		  "with the source");
	time_t now = time(NULL);
	char today[16];
	strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&now));
	CHECK_HAS(r, today, "and the date");
	CHECK_HAS(r, "Fetch now", "and Fetch now");
	itest_resp_free(&r);
	long st;
	json_t *j = itest_get_json(itest_as(&rita), path, &st);
	json_t *m = json_array_get(json_object_get(j, "members"), 0);
	CHECK(m && *itest_jstr(m, "source") && *itest_jstr(m, "added_at"),
	      "JSON members carry source and added_at");
	json_decref(j);

	/* the member shares their email later (LinkedIn updates the stub):
	 * it reaches the candidate */
	char *email = itest_sandbox_sql_str(
	    "SELECT LOWER(email) FROM members WHERE urn_id = '%s'", member);
	ITEST_SQL("free the email", itest_fmt("UPDATE candidates SET email = "
					      "NULL WHERE email = '%s'",
					      email));
	char *again = reply_sharing(member, true);
	CHECK(!strcmp(again, stub), "LinkedIn updated the same stub: %s, %s",
	      again, stub);
	fetch_now();
	char *got = itest_strdup("");
	for (int i = 0; i < 100 && strcmp(got, email); i++) {
		sleep_ms(100);
		free(got);
		got = itest_sql_str("SELECT COALESCE(email, '') FROM candidates "
				    "WHERE id = %lld",
				    id);
	}
	CHECK(!strcmp(got, email), "the email shared later: %s", got);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidates WHERE "
			    "linkedin_member_id = '%s'",
			    member) == 1,
	      "still one candidate");
	free(got);
	free(again);
	free(email);
	free(path);
	free(stub);
	free(first);
	free(last);
	free(member);
}

static void stub_with_shared_email_brings_it_or_matches_by_it(void)
{
	/* a new member sharing their email: created with it */
	char *member = free_member(1);
	char *email = itest_sandbox_sql_str(
	    "SELECT LOWER(email) FROM members WHERE urn_id = '%s'", member);
	CHECK(*member && *email, "a member with an email");
	ITEST_SQL("free the email", itest_fmt("UPDATE candidates SET email = "
					      "NULL WHERE email = '%s'",
					      email));
	char *stub = reply_sharing(member, true);
	fetch_now();
	long long id = candidate_of(member, 10000);
	CHECK(id > 0, "the member is a candidate");
	char *got = itest_sql_str("SELECT email FROM candidates WHERE id = %lld",
				  id);
	CHECK(!strcmp(got, email), "the shared email is kept: %s", got);
	free(got);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE pool_id "
			    "= %lld AND candidate_id = %lld",
			    pool, id) == 1,
	      "in the LinkedIn pool");

	/* a member whose email a candidate has already: matched, linked */
	char *member2 = free_member(2);
	char *email2 = itest_sandbox_sql_str(
	    "SELECT LOWER(email) FROM members WHERE urn_id = '%s'", member2);
	ITEST_SQL("free the email", itest_fmt("UPDATE candidates SET email = "
					      "NULL WHERE email = '%s'",
					      email2));
	ITEST_SQL("the candidate", itest_fmt(
		      "INSERT INTO candidates (first_name, last_name, email) "
		      "VALUES ('Known', 'Already%s', '%s')",
		      run, email2));
	long long known = itest_sql_int("SELECT id FROM candidates WHERE email "
					"= '%s'",
					email2);
	char *stub2 = reply_sharing(member2, true);
	fetch_now();
	long long id2 = candidate_of(member2, 10000);
	CHECK(id2 == known, "matched by email: %lld, want %lld", id2, known);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidates WHERE email = "
			    "'%s'",
			    email2) == 1,
	      "no second candidate");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_mail_stubs WHERE stub_id "
			    "= '%s' AND matched = 'email'",
			    stub2) == 1,
	      "the stub says how it matched");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE pool_id "
			    "= %lld AND candidate_id = %lld",
			    pool, known) == 1,
	      "the known candidate joins the pool");
	free(stub2);
	free(email2);
	free(member2);
	free(stub);
	free(email);
	free(member);
}

static void the_same_stub_twice_makes_one_candidate(void)
{
	char *member = free_member(3);
	char *stub = reply_sharing(member, false);
	fetch_now();
	long long id = candidate_of(member, 10000);
	CHECK(id > 0, "the member is a candidate");
	CHECK(stub_reads_done(10000), "the reads are done");
	/* read the seat's stubs again from the start: every stub twice */
	ITEST_SQL("rewind", itest_fmt("UPDATE li_seats SET stubs_cursor_ms = 0 "
				      "WHERE seat_urn = '%s'",
				      seat_urn));
	long long stored = itest_sql_int("SELECT COUNT(*) FROM li_mail_stubs");
	fetch_now();
	sleep_ms(300);
	CHECK(stub_reads_done(10000), "the second read is done");
	CHECK(itest_sql_int("SELECT stubs_cursor_ms > 0 FROM li_seats WHERE "
			    "seat_urn = '%s'",
			    seat_urn) == 1,
	      "the seat was read again");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_mail_stubs") == stored,
	      "no stub stored twice");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidates WHERE "
			    "linkedin_member_id = '%s'",
			    member) == 1,
	      "one candidate");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE "
			    "candidate_id = %lld",
			    id) == 1,
	      "one membership");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'pool.linkedin_stub' AND entity_id = %lld",
			    id) == 1,
	      "applied once");
	free(stub);
	free(member);
}

static void the_push_notification_alone_brings_the_stub(void)
{
	/* no periodic read due, no Fetch now: only the push can do it */
	ITEST_SQL("not due", itest_strdup("UPDATE li_seats SET "
					  "stubs_next_poll_at = NOW(3) + "
					  "INTERVAL 1 DAY"));
	CHECK(stub_reads_done(10000), "no read waiting");
	char *member = free_member(4);
	char *stub = reply_sharing(member, false);
	long long id = candidate_of(member, 15000);
	CHECK(id > 0, "the push brought the member in");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM inbound_events WHERE "
			    "event_type = 'INMAIL_STUB_CREATED' AND status = "
			    "'applied' AND received_at > NOW(3) - INTERVAL 1 "
			    "MINUTE") >= 1,
	      "the notification was stored and applied");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE pool_id "
			    "= %lld AND candidate_id = %lld",
			    pool, id) == 1,
	      "in the LinkedIn pool");
	struct itest_resp r = itest_get(itest_as(&ada),
					"/admin/linkedin/events", false);
	CHECK_HAS(r, "InMail stub profile", "the events page names it");
	itest_resp_free(&r);
	ITEST_SQL("due again", itest_strdup("UPDATE li_seats SET "
					    "stubs_next_poll_at = NOW(3)"));
	free(stub);
	free(member);
}

/* The candidate's email ("" none) once it is want, waiting up to 10 s;
 * new. */
static char *await_email(long long id, const char *want)
{
	char *got = itest_strdup("-");
	for (int i = 0; i < 100 && strcmp(got, want); i++) {
		if (i)
			sleep_ms(100);
		free(got);
		got = itest_sql_str("SELECT COALESCE(email, '') FROM candidates "
				    "WHERE id = %lld",
				    id);
	}
	return got;
}

static void an_email_withdrawn_leaves_the_candidate_if_it_came_from_the_stub(
    void)
{
	/* the member shares their email: the candidate is created with it */
	char *member = free_member(5);
	char *email = itest_sandbox_sql_str(
	    "SELECT LOWER(email) FROM members WHERE urn_id = '%s'", member);
	CHECK(*member && *email, "a member with an email");
	ITEST_SQL("free the email", itest_fmt("UPDATE candidates SET email = "
					      "NULL WHERE email = '%s'",
					      email));
	char *stub = reply_sharing(member, true);
	fetch_now();
	long long id = candidate_of(member, 10000);
	CHECK(id > 0, "the member is a candidate");
	char *got = await_email(id, email);
	CHECK(!strcmp(got, email), "the shared email: %s", got);
	free(got);

	/* they reply again without sharing it: LinkedIn's stub has no email
	 * now, and neither has the candidate */
	char *again = reply_sharing(member, false);
	CHECK(!strcmp(again, stub), "the same stub: %s, %s", again, stub);
	json_t *stubs = NULL;
	long st;
	char *url = itest_fmt("%s/sandbox/mailStubs", itest_sandbox_url());
	struct itest_client *sbc = itest_client_new(NULL);
	stubs = itest_get_json(sbc, url, &st);
	itest_client_free(sbc);
	json_t *el;
	size_t i;
	bool has_email = true;
	json_array_foreach(json_object_get(stubs, "elements"), i, el)
	{
		if (!strcmp(itest_jstr(el, "id"), stub))
			has_email = json_object_get(el, "emailAddress") != NULL;
	}
	CHECK(!has_email, "LinkedIn's stub still has the email");
	json_decref(stubs);
	free(url);
	fetch_now();
	got = await_email(id, "");
	CHECK(!*got, "the withdrawn email is still on the candidate: %s", got);
	free(got);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'pool.linkedin_stub' AND entity_id = %lld AND "
			    "detail LIKE '%%email withdrawn%%removed%%'",
			    id) == 1,
	      "the removal is audited");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_mail_stubs WHERE stub_id "
			    "= '%s' AND email IS NULL",
			    stub) == 1,
	      "the stub's row forgot it too");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidates WHERE id = %lld "
			    "AND first_name <> ''",
			    id) == 1 &&
		  itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE "
				"pool_id = %lld AND candidate_id = %lld",
				pool, id) == 1,
	      "the candidate stays, in the pool");

	/* shared again, then edited by a user, then withdrawn: the user's
	 * address stays */
	free(reply_sharing(member, true));
	fetch_now();
	got = await_email(id, email);
	CHECK(!strcmp(got, email), "shared again: %s", got);
	free(got);
	char *mine = itest_fmt("own.%s@pool.itest.hirelink.test", run);
	ITEST_SQL("a user edits the email",
		  itest_fmt("UPDATE candidates SET email = '%s' WHERE id = "
			    "%lld",
			    mine, id));
	free(reply_sharing(member, false));
	fetch_now();
	for (int t = 0; t < 100; t++) {
		if (itest_sql_int("SELECT COUNT(*) FROM li_mail_stubs WHERE "
				  "stub_id = '%s' AND email IS NULL",
				  stub) == 1)
			break;
		sleep_ms(100);
	}
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_mail_stubs WHERE stub_id "
			    "= '%s' AND email IS NULL",
			    stub) == 1,
	      "the second withdrawal read");
	got = itest_sql_str("SELECT COALESCE(email, '') FROM candidates WHERE "
			    "id = %lld",
			    id);
	CHECK(!strcmp(got, mine), "the user's email was removed: %s", got);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'pool.linkedin_stub' AND entity_id = %lld AND "
			    "detail LIKE '%%email withdrawn%%kept%%'",
			    id) == 1,
	      "the kept address is audited");
	free(got);
	free(mine);
	free(again);
	free(stub);
	free(email);
	free(member);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(stub_without_shared_email_joins_the_pool_with_names_only),
	    TEST(stub_with_shared_email_brings_it_or_matches_by_it),
	    TEST(the_same_stub_twice_makes_one_candidate),
	    TEST(an_email_withdrawn_leaves_the_candidate_if_it_came_from_the_stub),
	    TEST(the_push_notification_alone_brings_the_stub),
	};
	static const struct suite suites[] = {
	    SUITE("talent pool", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
