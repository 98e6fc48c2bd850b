/*
 * test_activities_throttle.c - LinkedIn's throttles of the Recruiter
 * prospect interactions (issue 15): the sandbox keeps conversationEvents'
 * 12 records per member per minute and the finders' 100,000 calls a day
 * per application, each with a 429 and a Retry-After, and hirelink's
 * activities poller backs off on the 429 (the outbox row waits for
 * LinkedIn's Retry-After) and keeps its cursors, so that nothing is lost
 * once LinkedIn answers again.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

static const struct itest_li_app *li;
static struct itest_person ada;
/* two Recruiter seat holders no other test uses, and a member without a
 * seat */
static char *h1_id, *h1_seat, *h2_id, *h2_seat, *h3_id, *h3_seat, *prospect;
static char *token; /* the application's */

static int64_t now_ms(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* The n-th Recruiter seat holder of /sandbox/credentials: 0 or -1. */
static int holder_get(size_t n, char **id, char **seat)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s/sandbox/credentials", itest_sandbox_url());
	struct itest_resp r = itest_get(c, url, true);
	json_t *j = itest_json(&r);
	json_t *e = json_array_get(json_object_get(j, "recruiters"), n);
	int rc = -1;
	if (e && *itest_jstr(e, "id") && *itest_jstr(e, "seat")) {
		*id = itest_strdup(itest_jstr(e, "id"));
		*seat = itest_strdup(itest_jstr(e, "seat"));
		rc = 0;
	}
	json_decref(j);
	itest_resp_free(&r);
	free(url);
	itest_client_free(c);
	return rc;
}

/* n InMails from holder id to the prospect, now. */
static void inmails(const char *id, int n)
{
	for (int i = 0; i < n; i++) {
		char *body = itest_fmt("{\"from\":\"%s\",\"to\":\"%s\","
				       "\"subject\":\"Throttle %d\",\"body\":"
				       "\"Hello %d\"}",
				       id, prospect, i, i);
		struct itest_resp r = itest_sandbox_post("/sandbox/inmails", body);
		CHECK(r.status == 201, "InMail %d sent: %ld", i, r.status);
		itest_resp_free(&r);
		free(body);
	}
}

/* GET conversationEvents for seat over the last 12 hours. */
static struct itest_resp events(const char *seat)
{
	int64_t now = now_ms();
	char *path = itest_fmt("/v2/conversationEvents?q=criteria&viewer=%s&"
			       "timeRange.start=%lld&timeRange.end=%lld&"
			       "count=100",
			       seat, (long long)(now - 12 * 3600 * 1000LL + 1000),
			       (long long)(now + 1000));
	struct itest_resp r = itest_li_api("GET", path, token, NULL);
	free(path);
	return r;
}

/* Waits, if needed, for a minute to begin at least 15 s before its end,
 * so that two calls fall in one minute. */
static void early_in_a_minute(void)
{
	int64_t into = now_ms() % 60000;
	if (into > 45000)
		usleep((useconds_t)(60000 - into + 200) * 1000);
}

static void throttled(const struct itest_resp *r, long max_s, const char *what)
{
	const char *ra = itest_header(r, "Retry-After");
	long s = ra ? atol(ra) : 0;
	CHECK(r->status == 429, "%s: 429 (got %ld)", what, r->status);
	CHECK(s >= 1 && s <= max_s, "%s: Retry-After %s (1 to %ld s)", what,
	      ra ? ra : "none", max_s);
	CHECK(itest_has(r, "throttle limit"), "%s: LinkedIn's words", what);
}

/* ------------------------------------------------------------ sandbox */

static void conversation_events_keep_12_records_a_member_a_minute(void)
{
	inmails(h1_id, 13);
	early_in_a_minute();
	struct itest_resp r = events(h1_seat);
	CHECK_STATUS(r, 200, "the first call answers");
	json_t *j = itest_json(&r);
	CHECK(json_array_size(json_object_get(j, "elements")) == 13,
	      "with the 13 InMails");
	json_decref(j);
	itest_resp_free(&r);
	r = events(h1_seat);
	throttled(&r, 60, "13 records this minute: the next call");
	itest_resp_free(&r);
	r = events(h2_seat);
	CHECK_STATUS(r, 200, "another seat's calls are its own");
	itest_resp_free(&r);
}

static void the_finders_keep_100000_calls_a_day_an_application(void)
{
	long long day = now_ms() / 86400000;
	ITEST_SANDBOX_SQL(
	    "the day's calls used up",
	    itest_fmt("INSERT INTO api_throttles (scope, bucket, used) VALUES "
		      "('app-day:%s', %lld, 100000) ON DUPLICATE KEY UPDATE "
		      "used = 100000",
		      li->client_id, day));
	struct itest_resp r = events(h2_seat);
	throttled(&r, 86400, "conversationEvents past 100,000 calls a day");
	itest_resp_free(&r);
	char *path = itest_fmt("/v2/prospectNotes?q=criteria&contract=%s",
			       li->contract);
	r = itest_li_api("GET", path, token, NULL);
	throttled(&r, 86400, "prospectNotes past 100,000 calls a day");
	itest_resp_free(&r);
	free(path);
	ITEST_SANDBOX_SQL("a new day",
			  itest_fmt("DELETE FROM api_throttles WHERE scope = "
				    "'app-day:%s'",
				    li->client_id));
	r = itest_li_api("GET", path = itest_fmt("/v2/prospectNotes?q=criteria"
						 "&contract=%s",
						 li->contract),
			 token, NULL);
	CHECK_STATUS(r, 200, "answered again");
	itest_resp_free(&r);
	free(path);
}

/* ------------------------------------------------------------ hirelink */

static long long stored_of(const char *seat)
{
	return itest_sql_int("SELECT COUNT(*) FROM li_inmail_activity WHERE "
			     "seat_urn = '%s' AND prospect_member_id = '%s'",
			     seat, prospect);
}

static long long stored(void)
{
	return stored_of(h2_seat);
}

/* hirelink's id of seat, once the worker read the contract's seats. */
static long long seat_known(const char *seat)
{
	for (int i = 0; i < 80 && itest_sql_int("SELECT COUNT(*) FROM li_seats "
						"WHERE seat_urn = '%s'",
						seat) < 1;
	     i++)
		usleep(250 * 1000);
	return itest_sql_int("SELECT id FROM li_seats WHERE seat_urn = '%s'",
			     seat);
}

/*
 * A window of 130 InMail events is more than one page of 100, and
 * LinkedIn answers 12 records a member a minute: the first page is read,
 * the second refused until the next minute.  The retry goes on from the
 * 101st event; read again from the window's start, the first page would
 * use up the minute again and the second be refused for ever.
 */
static void a_window_past_one_page_goes_on_where_the_throttle_stopped(void)
{
	long long seat = seat_known(h3_seat);
	CHECK(seat > 0, "hirelink knows the seat");
	if (seat <= 0)
		return;
	/* the seat's first poll (when hirelink learnt of it) is over, so
	 * that no poll reads the InMails while they are being sent */
	bool idle = false;
	for (int i = 0; i < 80 && !idle; i++) {
		idle = itest_sql_int("SELECT COUNT(*) FROM li_seats s WHERE "
				     "s.id = %lld AND s.polled_at IS NOT NULL "
				     "AND NOT EXISTS (SELECT 1 FROM outbox o "
				     "WHERE o.kind = 'li_seat_poll' AND "
				     "o.entity_id = s.id)",
				     seat) == 1;
		if (!idle)
			usleep(250 * 1000);
	}
	CHECK(idle, "the seat's first poll is over");
	inmails(h3_id, 130);
	/* both pages asked in one minute, none of it used yet */
	early_in_a_minute();
	ITEST_SANDBOX_SQL("a fresh minute for the seat",
			  itest_fmt("DELETE FROM api_throttles WHERE scope = "
				    "'seat-minute:%s'",
				    h3_seat + strlen("urn:li:seat:")));
	ITEST_SQL("the seat's poll falls due",
		  itest_fmt("UPDATE li_seats SET next_poll_at = NOW(3) WHERE "
			    "id = %lld",
			    seat));
	bool waiting = false;
	for (int i = 0; i < 80 && !waiting; i++) {
		waiting = stored_of(h3_seat) == 100 &&
			  itest_sql_int(
			      "SELECT COUNT(*) FROM outbox WHERE kind = "
			      "'li_seat_poll' AND entity_id = %lld AND state = "
			      "'pending' AND last_error LIKE '%%429%%'",
			      seat) == 1;
		if (!waiting)
			usleep(250 * 1000);
	}
	CHECK(waiting, "the first page read (%lld events), the second refused",
	      stored_of(h3_seat));
	/* the next minute, without waiting for it */
	early_in_a_minute();
	ITEST_SANDBOX_SQL("a new minute",
			  itest_strdup("DELETE FROM api_throttles"));
	ITEST_SQL("retried now",
		  itest_fmt("UPDATE outbox SET next_attempt_at = NOW(3) WHERE "
			    "kind = 'li_seat_poll' AND entity_id = %lld",
			    seat));
	for (int i = 0; i < 80 && stored_of(h3_seat) < 130; i++)
		usleep(250 * 1000);
	CHECK(stored_of(h3_seat) == 130, "all 130 events read: %lld",
	      stored_of(h3_seat));
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_seats WHERE id = %lld AND "
			    "events_window_ms IS NULL",
			    seat) == 1,
	      "no window left under way");
}

static void the_poller_backs_off_on_429_and_keeps_its_cursor(void)
{
	/* hirelink knows h2's seat (the worker read the contract's seats) */
	for (int i = 0; i < 80 && itest_sql_int("SELECT COUNT(*) FROM li_seats "
						"WHERE seat_urn = '%s'",
						h2_seat) < 1;
	     i++)
		usleep(250 * 1000);
	long long seat = itest_sql_int("SELECT id FROM li_seats WHERE "
				       "seat_urn = '%s'",
				       h2_seat);
	CHECK(seat > 0, "hirelink knows the seat");
	if (seat <= 0)
		return;
	inmails(h2_id, 2);
	long long day = now_ms() / 86400000;
	ITEST_SANDBOX_SQL(
	    "the day's calls used up",
	    itest_fmt("INSERT INTO api_throttles (scope, bucket, used) VALUES "
		      "('app-day:%s', %lld, 100000) ON DUPLICATE KEY UPDATE "
		      "used = 100000",
		      li->client_id, day));
	/* wait for any poll of the seat under way, then note the cursor */
	for (int i = 0; i < 40 && itest_sql_int("SELECT COUNT(*) FROM outbox "
						"WHERE kind = 'li_seat_poll' AND "
						"entity_id = %lld AND "
						"state = 'pending' AND "
						"next_attempt_at <= NOW(3)",
						seat) > 0;
	     i++)
		usleep(250 * 1000);
	long long cursor = itest_sql_int("SELECT events_cursor_ms FROM li_seats "
					 "WHERE id = %lld",
					 seat);
	ITEST_SQL("the seat's poll falls due",
		  itest_fmt("UPDATE li_seats SET next_poll_at = NOW(3) WHERE "
			    "id = %lld",
			    seat));
	bool waiting = false;
	for (int i = 0; i < 60 && !waiting; i++) {
		waiting = itest_sql_int(
			      "SELECT COUNT(*) FROM outbox WHERE kind = "
			      "'li_seat_poll' AND entity_id = %lld AND state = "
			      "'pending' AND attempts >= 1 AND last_error LIKE "
			      "'%%429%%' AND (next_attempt_at > NOW(3) + "
			      "INTERVAL 10 MINUTE OR (next_attempt_at > NOW(3) "
			      "AND TIME_TO_SEC(TIME(next_attempt_at + INTERVAL "
			      "1 MINUTE)) <= 120))",
			      seat) == 1;
		if (!waiting)
			usleep(250 * 1000);
	}
	/* (within ten minutes of midnight, the wait is those minutes: due
	 * within a minute of midnight, later than now) */
	CHECK(waiting, "the poll waits for LinkedIn's Retry-After (hours, "
		       "to midnight UTC), not its own short backoff");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_seats WHERE id = %lld AND "
			    "events_cursor_ms <=> %lld",
			    seat, cursor) == 1,
	      "the cursor did not move");
	CHECK(stored() == 0, "nothing read meanwhile");

	/* LinkedIn answers again (a new day): an admin's retry */
	ITEST_SANDBOX_SQL("a new day",
			  itest_fmt("DELETE FROM api_throttles WHERE scope = "
				    "'app-day:%s'",
				    li->client_id));
	ITEST_SQL("retried now",
		  itest_fmt("UPDATE outbox SET next_attempt_at = NOW(3) WHERE "
			    "kind = 'li_seat_poll' AND entity_id = %lld",
			    seat));
	for (int i = 0; i < 80 && stored() < 2; i++)
		usleep(250 * 1000);
	CHECK(stored() == 2, "both InMails read from the kept cursor: %lld",
	      stored());
}

/* ------------------------------------------------------------ set-up */

static int suite_init(void)
{
	li = itest_li_app();
	if (!li || itest_person_add(&ada, "ada", "Throttle", "admin", "none") ||
	    !itest_as(&ada))
		return 1;
	/* seat holders no other test uses */
	if (holder_get(17, &h1_id, &h1_seat) ||
	    holder_get(18, &h2_id, &h2_seat) ||
	    holder_get(19, &h3_id, &h3_seat))
		return 1;
	struct itest_resp r = itest_li_enable(itest_as(&ada), NULL);
	long st = r.status;
	itest_resp_free(&r);
	if (st != 303)
		return 1;
	prospect = itest_sandbox_sql_str(
	    "SELECT urn_id FROM members WHERE seat = 'none' AND id > 200 "
	    "ORDER BY id LIMIT 1 OFFSET %d",
	    4000 + (int)getpid() % 500);
	token = itest_li_app_token(0);
	return prospect && *prospect && token && *token ? 0 : 1;
}

static int suite_clean(void)
{
	itest_sandbox_sql("DELETE FROM api_throttles");
	/* LinkedIn set up but off, as the programs after this one expect */
	char *csrf = itest_csrf_of(itest_as(&ada), "/admin/linkedin");
	struct itest_resp r = itest_post(
	    itest_as(&ada), "/admin/linkedin", false, csrf, "client_id",
	    li->client_id, "organization_urn", li->organization,
	    "contract_urn", li->contract, "ats_instance_name", "hirelink test",
	    NULL);
	itest_resp_free(&r);
	free(csrf);
	itest_person_free(&ada);
	free(h1_id), free(h1_seat), free(h2_id), free(h2_seat);
	free(h3_id), free(h3_seat);
	free(prospect), free(token);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(conversation_events_keep_12_records_a_member_a_minute),
	    TEST(the_finders_keep_100000_calls_a_day_an_application),
	    TEST(the_poller_backs_off_on_429_and_keeps_its_cursor),
	    TEST(a_window_past_one_page_goes_on_where_the_throttle_stopped),
	};
	static const struct suite suites[] = {
	    SUITE("activities_throttle", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
