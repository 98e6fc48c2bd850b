/*
 * test_signin.c - sign-in throttling end to end (src/ats/signin.c has the
 * rules): an office behind one address, an attacker at one address and at
 * many, a delay that ends, a success clearing its pair, parallel guesses,
 * an address refused after failing at many accounts, and a storm of
 * sign-ins answered busy rather than queued.
 *
 * A client speaks from an address of its own: itest_addr binds the
 * connection's source to an address of this run's /24 of loopback, so
 * nginx hands hirelink the address a test chose without trusting any
 * header.  Each test has addresses and accounts no other test uses, so
 * one's counts never reach another.  The limits are the defaults (README's
 * configuration table): login_max_failures 10, login_address_max_failures
 * 100, login_delay_after_failures 10, login_window_seconds 300.
 */
#include <CUnit/Basic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

#define PAIR_MAX    10	/* login_max_failures */
#define ADDRESS_MAX 100 /* login_address_max_failures */
#define WINDOW_S    300 /* login_window_seconds */
#define WRONG	    "not the password"

/* The hosts of itest_addr each test speaks from. */
enum {
	OFFICE = 10,	/* everyone at the office */
	ATTACKER = 20,	/* guesses at tina */
	TINA_HOME = 21, /* tina herself */
	SPRAY = 30,	/* ..39: ten addresses guessing at sam */
	SAM_HOME = 40,	/* sam himself */
	DELAYED = 50,	/* ..59: dora's ten addresses */
	ROSA = 60,	/* rosa mistyping and signing in */
	RACE = 70,	/* parallel guesses at pia */
	FLOOD = 80,	/* failing at many accounts */
	FLOOD_ELSEWHERE = 81,
	STORM = 90,	/* many sign-ins at once on the second instance */
};

#define OFFICE_STAFF 8

static struct itest_person office[OFFICE_STAFF], tina, otto, sam, dora, rosa,
    pia;
static const struct {
	struct itest_person *p;
	const char *who;
} people[] = {{&tina, "tina"}, {&otto, "otto"}, {&sam, "sam"},
	      {&dora, "dora"}, {&rosa, "rosa"}, {&pia, "pia"}};
static char *run_id; /* the pid, for unique emails */

static int suite_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(people); i++)
		if (itest_person_add(people[i].p, people[i].who, "Signin",
				     "recruiter", "none") < 0)
			return -1;
	for (int i = 0; i < OFFICE_STAFF; i++) {
		char *who = itest_fmt("staff%d", i);
		int rc = itest_person_add(&office[i], who, "Signin",
					  "interviewer", "none");
		free(who);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int suite_clean(void)
{
	for (size_t i = 0; i < ARRAY_LEN(people); i++)
		itest_person_free(people[i].p);
	for (int i = 0; i < OFFICE_STAFF; i++)
		itest_person_free(&office[i]);
	free(run_id);
	return 0;
}

/* ------------------------------------------------------------ helpers */

/* One sign-in as email from host's address; the response. */
static struct itest_resp sign_in(int host, const char *email,
				 const char *password)
{
	struct itest_client *c = itest_client_new(itest_addr(host));
	struct itest_resp r = itest_login_resp(c, email, password, NULL);
	itest_client_free(c);
	return r;
}

/* The status of one sign-in as sign_in. */
static long sign_in_status(int host, const char *email, const char *password)
{
	struct itest_resp r = sign_in(host, email, password);
	long st = r.status;
	itest_resp_free(&r);
	return st;
}

/* n sign-ins with a wrong password; how many were refused with 401 (the
 * password checked), the others printed. */
static int wrong_passwords(int host, const char *email, int n)
{
	int checked = 0;
	for (int i = 0; i < n; i++) {
		long st = sign_in_status(host, email, WRONG);
		if (st == 401)
			checked++;
		else
			fprintf(stderr, "wrong password %d as %s: status %ld\n",
				i + 1, email, st);
	}
	return checked;
}

static bool has_session_cookie(const struct itest_resp *r)
{
	const char *v;
	for (size_t i = 0; (v = itest_header_nth(r, "Set-Cookie", i)); i++)
		if (!strncmp(v, "hl_session=", 11))
			return true;
	return false;
}

/* Checks r is a refusal by the throttle and returns its Retry-After (0
 * when it is none). */
static long check_throttled(const struct itest_resp *r, const char *what)
{
	const char *ra = itest_header(r, "Retry-After");
	long wait = ra ? atol(ra) : 0;
	CHECK(r->status == 429, "%s: status %ld, want 429", what, r->status);
	CHECK(wait > 0 && wait <= WINDOW_S,
	      "%s: Retry-After \"%s\", want 1 to %d", what, ra ? ra : "(none)",
	      WINDOW_S);
	CHECK(itest_has(r, "Too many"), "%s: the page does not say why", what);
	CHECK(!has_session_cookie(r), "%s: a session was set", what);
	return r->status == 429 ? wait : 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------ parallel */

/* One of many sign-ins sent at the same moment. */
struct racer {
	struct itest_client *c;
	char *body; /* the form, its CSRF token read beforehand */
	pthread_barrier_t *start;
	struct itest_resp resp;
};

static void *racer_run(void *arg)
{
	struct racer *r = arg;
	pthread_barrier_wait(r->start);
	r->resp = itest_post_form(r->c, "/login", r->body);
	return NULL;
}

/* Sends n sign-ins from host's address at once, as emails[i % nemails]
 * with password, each from a client with its own sign-in form, to the
 * instance chosen (itest_instance); their answers into resp[0..n). */
static void sign_ins_at_once(int host, char *const *emails, size_t nemails,
			     const char *password, size_t n,
			     struct itest_resp *resp)
{
	struct racer *r = calloc(n, sizeof(*r));
	pthread_t *t = calloc(n, sizeof(*t));
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (size_t i = 0; i < n; i++) {
		r[i].c = itest_client_new(itest_addr(host));
		char *csrf = itest_csrf_of(r[i].c, "/login");
		r[i].body = itest_form("email", emails[i % nemails], "password",
				       password, "csrf", csrf, NULL);
		r[i].start = &start;
		free(csrf);
	}
	for (size_t i = 0; i < n; i++)
		pthread_create(&t[i], NULL, racer_run, &r[i]);
	for (size_t i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		resp[i] = r[i].resp;
		itest_client_free(r[i].c);
		free(r[i].body);
	}
	pthread_barrier_destroy(&start);
	free(r);
	free(t);
}

/* sign_ins_at_once with a wrong password; counts the answers 401 and 429
 * into *checked and *refused. */
static void wrong_passwords_at_once(int host, char *const *emails,
				    size_t nemails, size_t n, int *checked,
				    int *refused)
{
	struct itest_resp *resp = calloc(n, sizeof(*resp));
	sign_ins_at_once(host, emails, nemails, WRONG, n, resp);
	*checked = *refused = 0;
	for (size_t i = 0; i < n; i++) {
		*checked += resp[i].status == 401;
		*refused += resp[i].status == 429;
		if (resp[i].status != 401 && resp[i].status != 429)
			fprintf(stderr, "parallel sign-in %zu: status %ld\n", i,
				resp[i].status);
		itest_resp_free(&resp[i]);
	}
	free(resp);
}

/* ------------------------------------------------------------ tests */

/* Eight people behind one NAT address each mistype twice: sixteen
 * failures from the address, and everyone still signs in. */
static void an_office_behind_one_address_signs_in(void)
{
	for (int i = 0; i < OFFICE_STAFF; i++) {
		int checked = wrong_passwords(OFFICE, office[i].email, 2);
		CHECK(checked == 2, "%s: %d of 2 typos refused with 401",
		      office[i].email, checked);
		long st =
		    sign_in_status(OFFICE, office[i].email, office[i].password);
		CHECK(st == 303,
		      "%s signs in after %d failures at the office: "
		      "status %ld, want 303",
		      office[i].email, 2 * (i + 1), st);
	}
}

/* One address guessing at tina is refused after login_max_failures; tina
 * signs in from her own, otto from the attacker's, and no header makes the
 * attacker's connection another address. */
static void an_attacker_at_one_address_is_stopped_and_the_owner_signs_in(void)
{
	int checked = wrong_passwords(ATTACKER, tina.email, PAIR_MAX);
	CHECK(checked == PAIR_MAX, "%d of %d wrong passwords checked", checked,
	      PAIR_MAX);

	struct itest_resp r = sign_in(ATTACKER, tina.email, WRONG);
	check_throttled(&r, "a guess past the limit");
	itest_resp_free(&r);
	r = sign_in(ATTACKER, tina.email, tina.password);
	check_throttled(&r, "the right password from the attacker's address");
	itest_resp_free(&r);

	long st = sign_in_status(TINA_HOME, tina.email, tina.password);
	CHECK(st == 303, "tina from her own address: status %ld, want 303", st);
	st = sign_in_status(ATTACKER, otto.email, otto.password);
	CHECK(st == 303,
	      "otto from the attacker's address: status %ld, want "
	      "303",
	      st);

	/* hirelink counts the connection's address, never a header's */
	static const char *const headers[] = {"X-Forwarded-For", "X-Real-IP"};
	for (size_t i = 0; i < ARRAY_LEN(headers); i++) {
		struct itest_client *c = itest_client_new(itest_addr(ATTACKER));
		char *csrf = itest_csrf_of(c, "/login");
		char *body = itest_form("email", tina.email, "password",
					tina.password, "csrf", csrf, NULL);
		char *header =
		    itest_fmt("%s: %s", headers[i], itest_addr(TINA_HOME));
		r = itest_post_raw(c, "/login",
				   "application/x-www-form-urlencoded", body,
				   strlen(body), header);
		check_throttled(&r, headers[i]);
		itest_resp_free(&r);
		free(header);
		free(body);
		free(csrf);
		itest_client_free(c);
	}
}

/* Ten addresses take three guesses each at sam: past
 * login_delay_after_failures each waits longer, never past the window, and
 * sam signs in at once from an address that did not guess. */
static void many_addresses_slow_the_account_but_not_its_owner(void)
{
	int checked = 0, slowed = 0;
	long first_wait = 0, last_wait = 0;
	for (int a = 0; a < 10; a++) {
		for (int g = 0; g < 3; g++) {
			struct itest_resp r =
			    sign_in(SPRAY + a, sam.email, WRONG);
			if (r.status == 401) {
				checked++;
			} else {
				long wait = check_throttled(&r, "a guess");
				first_wait = first_wait ? first_wait : wait;
				last_wait = wait;
				slowed++;
			}
			itest_resp_free(&r);
		}
	}
	CHECK(checked >= 10 && slowed > 0,
	      "%d guesses checked and %d slowed, want at least 10 and some",
	      checked, slowed);
	CHECK(last_wait > first_wait,
	      "the waits do not grow: first %ld s, last %ld s", first_wait,
	      last_wait);

	long st = sign_in_status(SAM_HOME, sam.email, sam.password);
	CHECK(st == 303, "sam from a clean address: status %ld, want 303", st);
}

/* Ten addresses fail at dora once each; the last must then wait 1 s, and
 * once it has, its password is checked again; the next wait is 2 s, and
 * after it the right password signs dora in there. */
static void a_delay_ends_when_its_wait_is_over(void)
{
	for (int a = 0; a < 10; a++)
		CHECK(wrong_passwords(DELAYED + a, dora.email, 1) == 1,
		      "the first guess from address %d is checked", a);

	struct itest_resp r = sign_in(DELAYED + 9, dora.email, WRONG);
	long wait = check_throttled(&r, "a second guess at once");
	itest_resp_free(&r);
	CHECK(wait == 1, "the first wait is %ld s, want 1", wait);

	sleep_ms(1000 * wait + 300);
	CHECK(wrong_passwords(DELAYED + 9, dora.email, 1) == 1,
	      "after the wait the guess is checked");
	r = sign_in(DELAYED + 9, dora.email, WRONG);
	wait = check_throttled(&r, "a guess at once after that");
	itest_resp_free(&r);
	CHECK(wait == 2, "the next wait is %ld s, want 2", wait);

	sleep_ms(1000 * wait + 300);
	long st = sign_in_status(DELAYED + 9, dora.email, dora.password);
	CHECK(st == 303, "dora after the wait: status %ld, want 303", st);
}

/* Rosa mistypes six times, signs in, mistypes six times more and signs
 * in: the success cleared the first six, so she never reaches the limit. */
static void a_success_clears_its_pair(void)
{
	for (int round = 1; round <= 2; round++) {
		int checked = wrong_passwords(ROSA, rosa.email, 6);
		CHECK(checked == 6, "round %d: %d of 6 typos checked", round,
		      checked);
		long st = sign_in_status(ROSA, rosa.email, rosa.password);
		CHECK(st == 303, "round %d: rosa signs in: status %ld", round,
		      st);
	}
}

/* Thirty guesses at pia from one address at the same moment: exactly
 * login_max_failures of them reach a password check. */
static void parallel_guesses_get_no_more_checks_than_the_limit(void)
{
	int checked, refused;
	wrong_passwords_at_once(RACE, &pia.email, 1, 30, &checked, &refused);
	CHECK(checked == PAIR_MAX, "%d guesses checked, want %d", checked,
	      PAIR_MAX);
	CHECK(refused == 30 - PAIR_MAX, "%d guesses refused, want %d", refused,
	      30 - PAIR_MAX);
}

/* One address fails at 104 accounts (none of them real), in two bursts:
 * exactly login_address_max_failures are checked, and then even a right
 * password is refused there while it works from elsewhere. */
static void an_address_failing_at_many_accounts_is_refused(void)
{
	enum { BURST = 52 };
	char *emails[BURST];
	int checked = 0, refused = 0;
	for (int burst = 0; burst < 2; burst++) {
		for (int i = 0; i < BURST; i++)
			emails[i] = itest_fmt("nobody%d.%s@signin.itest."
					      "hirelink.test",
					      burst * BURST + i, run_id);
		int c, r;
		wrong_passwords_at_once(FLOOD, emails, BURST, BURST, &c, &r);
		checked += c;
		refused += r;
		for (int i = 0; i < BURST; i++)
			free(emails[i]);
	}
	CHECK(checked == ADDRESS_MAX, "%d failures checked, want %d", checked,
	      ADDRESS_MAX);
	CHECK(refused == 2 * BURST - ADDRESS_MAX, "%d refused, want %d",
	      refused, 2 * BURST - ADDRESS_MAX);

	struct itest_resp r = sign_in(FLOOD, pia.email, pia.password);
	check_throttled(&r, "the right password from that address");
	itest_resp_free(&r);
	long st = sign_in_status(FLOOD_ELSEWHERE, pia.email, pia.password);
	CHECK(st == 303, "from another address: status %ld, want 303", st);
}

/* The test stack's second instance checks one password at a time and
 * queues none (scripts/stack.sh: password_slots 1, login_queue_ms 0).  A
 * storm of sign-ins there is answered at once: each either checked (401)
 * or told to come back in a second (503, Retry-After: 1, the reason on the
 * page), never left waiting; a busy answer counts as no try, and the
 * right password works once the storm is over. */
static void a_storm_of_sign_ins_is_answered_busy_not_queued(void)
{
	enum { STORM_SIZE = 16 };
	int was = itest_instance(2);
	struct itest_person gus = {0};
	CU_ASSERT_FATAL(itest_person_add(&gus, "gus", "Signin", "recruiter",
					 "none") == 0);
	struct itest_resp resp[STORM_SIZE];
	sign_ins_at_once(STORM, &gus.email, 1, WRONG, STORM_SIZE, resp);
	int checked = 0, busy = 0;
	for (int i = 0; i < STORM_SIZE; i++) {
		checked += resp[i].status == 401;
		if (resp[i].status == 503) {
			busy++;
			const char *after = itest_header(&resp[i], "Retry-After");
			CHECK(after && !strcmp(after, "1"),
			      "busy answer %d: Retry-After %s, want 1", i,
			      after ? after : "(none)");
			CHECK(itest_has(&resp[i], "Many people are signing in"),
			      "busy answer %d does not say why", i);
		} else if (resp[i].status != 401) {
			CHECK(false, "sign-in %d of the storm: status %ld", i,
			      resp[i].status);
		}
		itest_resp_free(&resp[i]);
	}
	CHECK(checked >= 1 && busy >= 1,
	      "%d checked and %d busy: want some of each", checked, busy);
	long long failures = itest_sql_int(
	    "SELECT failures FROM signin_counts WHERE scope = 'pair' AND "
	    "email = '%s' AND remote_addr = '%s'",
	    gus.email, itest_addr(STORM));
	CHECK(failures == checked, "%lld failures counted, want %d (the busy "
	      "ones count as no try)", failures, checked);
	long long pending = itest_sql_int(
	    "SELECT checking FROM signin_counts WHERE scope = 'pair' AND "
	    "email = '%s' AND remote_addr = '%s'",
	    gus.email, itest_addr(STORM));
	CHECK(pending == 0, "%lld sign-ins still counted as being checked",
	      pending);
	long st = sign_in_status(STORM, gus.email, gus.password);
	CHECK(st == 303, "the right password after the storm: status %ld", st);
	itest_person_free(&gus);
	itest_instance(was);
}

/* ------------------------------------------------------------ main */

int main(void)
{
	static const struct test tests[] = {
	    TEST(an_office_behind_one_address_signs_in),
	    TEST(an_attacker_at_one_address_is_stopped_and_the_owner_signs_in),
	    TEST(many_addresses_slow_the_account_but_not_its_owner),
	    TEST(a_delay_ends_when_its_wait_is_over),
	    TEST(a_success_clears_its_pair),
	    TEST(parallel_guesses_get_no_more_checks_than_the_limit),
	    TEST(an_address_failing_at_many_accounts_is_refused),
	    TEST(a_storm_of_sign_ins_is_answered_busy_not_queued),
	};
	static const struct suite suites[] = {
	    SUITE("signin", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
