/*
 * test_outbox.c - the outbox and its worker on the test stack's MariaDB:
 * marks, claims under concurrency, leases, completions that a newer mark
 * overtook, backoff, Retry-After, dead rows and the admin's retry
 * (src/ats/outbox.h); the worker's pass with senders registered here
 * (src/linkedin/worker.h); the stack's own worker process, stopped, killed
 * and started again through scripts/stack.sh.
 *
 * The rows here are of kinds made for this run ("it<pid><letter>"), which
 * no sender of the real worker claims, so the stack's worker leaves them
 * alone; they are deleted at the end.
 */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ats/outbox.h"
#include "core/config.h"
#include "db/db.h"
#include "linkedin/worker.h"
#include "itest.h"
#include "../suite.h"

static struct db *ddb;	  /* the worker's / claimer's connection */
static struct db *writer; /* a writer's, in its own transactions */
static struct arena *da;
static char run_kind[20];

static struct db *connect_db(void)
{
	struct db_options o = {0};
	o.socket = itest_env("HIRELINK_TEST_DB_SOCKET");
	o.user = itest_env("HIRELINK_TEST_DB_USER");
	o.name = "hirelink";
	struct db *db = db_open(&o);
	if (db && db_ping(db) != DB_OK) {
		db_close(db);
		db = NULL;
	}
	return db;
}

/* This run's kind number i: "it<pid><letter>"; static, one at a time
 * per letter. */
static const char *kind(char letter)
{
	static char k[26][32];
	char *out = k[(letter - 'a') % 26];
	snprintf(out, sizeof(k[0]), "%s%c", run_kind, letter);
	return out;
}

static int domain_init(void)
{
	snprintf(run_kind, sizeof(run_kind), "it%ld", (long)getpid());
	ddb = connect_db();
	writer = connect_db();
	da = arena_new(64 * 1024);
	return ddb && writer && da ? 0 : -1;
}

static int domain_clean(void)
{
	char like[32];
	snprintf(like, sizeof(like), "%s%%", run_kind);
	int rc =
	    ddb ? db_exec(ddb, NULL, "DELETE FROM outbox WHERE kind LIKE ?",
			  "s", like)
		: DB_OK;
	db_close(ddb);
	db_close(writer);
	arena_free(da);
	return rc == DB_OK ? 0 : -1;
}

/* A row as the table holds it. */
struct seen {
	bool exists;
	uint64_t id;
	int tombstone, attempts;
	unsigned generation;
	char state[16];
	long long due_in_ms; /* next_attempt_at - now */
	bool leased;
	char last_error[512];
};

static struct seen row_of(const char *k, uint64_t entity)
{
	struct seen s = {0};
	struct db_row r;
	arena_reset(da);
	int rc = db_query_row(
	    ddb, da, &r,
	    "SELECT id, tombstone, attempts, generation, state, "
	    "TIMESTAMPDIFF(MICROSECOND, NOW(3), next_attempt_at) DIV 1000, "
	    "leased_until > NOW(3), IFNULL(last_error, '') FROM outbox WHERE "
	    "kind = ? AND entity_id = ?",
	    "su", k, entity);
	if (rc != DB_OK)
		return s;
	s.exists = true;
	s.id = (uint64_t)db_int(&r, 0);
	s.tombstone = (int)db_int(&r, 1);
	s.attempts = (int)db_int(&r, 2);
	s.generation = (unsigned)db_int(&r, 3);
	snprintf(s.state, sizeof(s.state), "%s", r.v[4]);
	s.due_in_ms = db_int(&r, 5);
	s.leased = db_int(&r, 6) == 1;
	snprintf(s.last_error, sizeof(s.last_error), "%s", r.v[7]);
	return s;
}

static void mark(const char *k, uint64_t entity)
{
	CHECK(ats_outbox_mark(ddb, k, entity) == DB_OK, "mark %s %llu: %s", k,
	      (unsigned long long)entity, db_error(ddb));
}

/* Claims from kind k (lease_s), the rows copied into out (max). */
static size_t claim(struct db *db, struct arena *a, const char *k, size_t max,
		    int lease_s, struct ats_outbox_row *out)
{
	struct ats_outbox_row *rows;
	size_t n = 0;
	int rc = ats_outbox_claim(db, a, k, max, lease_s, &rows, &n);
	CHECK(rc == DB_OK, "claim %s: %d %s", k, rc, db_error(db));
	if (rc == DB_OK && n && out)
		memcpy(out, rows, n * sizeof(*rows));
	return rc == DB_OK ? n : 0;
}

/* Makes every row of kind k due now (time passing, for the tests). */
static void make_due_now(const char *k)
{
	CHECK(db_exec(ddb, NULL,
		      "UPDATE outbox SET next_attempt_at = NOW(3), "
		      "leased_until = NULL WHERE kind = ?",
		      "s", k) == DB_OK,
	      "make %s due", k);
}

/* ------------------------------------------------------------ marks */

static void a_mark_makes_one_pending_row_per_entity(void)
{
	const char *k = kind('a');
	mark(k, 7);
	struct seen s = row_of(k, 7);
	CHECK(s.exists && !strcmp(s.state, "pending") && s.generation == 1 &&
		  s.attempts == 0 && !s.tombstone && s.due_in_ms <= 0,
	      "first mark: exists %d state %s gen %u due in %lld ms", s.exists,
	      s.state, s.generation, s.due_in_ms);
	mark(k, 7);
	CHECK(ats_outbox_mark_deleted(ddb, k, 7) == DB_OK, "mark deleted");
	s = row_of(k, 7);
	CHECK(s.generation == 3 && s.tombstone == 1,
	      "after three marks: gen %u tombstone %d", s.generation,
	      s.tombstone);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind = '%s'",
			    k) == 1,
	      "one row for the entity");
	mark(k, 7);
	s = row_of(k, 7);
	CHECK(s.tombstone == 0, "a mark after a deletion: tombstone %d",
	      s.tombstone);
}

/* A mark is part of its writer's transaction: rolled back with it, and
 * held back from claimers (never waited for) until it commits. */
static void a_mark_commits_or_rolls_back_with_its_writer(void)
{
	const char *k = kind('b');
	mark(k, 1);
	CU_ASSERT_FATAL(db_begin(writer) == DB_OK);
	CU_ASSERT(ats_outbox_mark(writer, k, 2) == DB_OK);
	CU_ASSERT(db_rollback(writer) == DB_OK);
	CHECK(!row_of(k, 2).exists, "a rolled back mark left a row");

	CU_ASSERT_FATAL(db_begin(writer) == DB_OK);
	CU_ASSERT(ats_outbox_mark(writer, k, 3) == DB_OK);
	CU_ASSERT(ats_outbox_mark(writer, k, 1) == DB_OK);
	struct ats_outbox_row rows[4];
	int64_t t0 = time_mono_us();
	size_t n = claim(ddb, da, k, 4, 60, rows);
	int64_t took_ms = (time_mono_us() - t0) / 1000;
	CHECK(n == 0, "claimed %zu rows an open transaction holds", n);
	CHECK(took_ms < 1000, "the claim waited %lld ms for the writer",
	      (long long)took_ms);
	CU_ASSERT(db_commit(writer) == DB_OK);
	n = claim(ddb, da, k, 4, 60, rows);
	CHECK(n == 2, "after the commit: %zu rows claimed, want 2", n);
}

/* ------------------------------------------------------------ claims */

static void a_claimed_row_is_leased_then_deleted_when_sent(void)
{
	const char *k = kind('c');
	mark(k, 1);
	mark(k, 2);
	struct ats_outbox_row rows[4];
	size_t n = claim(ddb, da, k, 1, 60, rows);
	CU_ASSERT_FATAL(n == 1);
	CHECK(rows[0].entity_id == 1 && rows[0].generation == 1 &&
		  rows[0].attempts == 0,
	      "the oldest first: entity %llu gen %u",
	      (unsigned long long)rows[0].entity_id, rows[0].generation);
	struct seen s = row_of(k, 1);
	CHECK(s.leased && s.due_in_ms > 55000 && s.due_in_ms <= 60000,
	      "leased %d, due in %lld ms (lease 60 s)", s.leased, s.due_in_ms);
	struct ats_outbox_row again[4];
	n = claim(ddb, da, k, 4, 60, again);
	CHECK(n == 1 && again[0].entity_id == 2,
	      "a second claim got %zu rows (entity %llu), want only 2", n,
	      n ? (unsigned long long)again[0].entity_id : 0ULL);
	enum ats_outbox_outcome o = -1;
	CU_ASSERT(ats_outbox_complete(ddb, &rows[0], &o) == DB_OK);
	CHECK(o == ATS_OUTBOX_SENT, "outcome %d", o);
	CHECK(!row_of(k, 1).exists, "a sent row is still there");
	CU_ASSERT(ats_outbox_complete(ddb, &rows[0], &o) == DB_OK);
	CHECK(o == ATS_OUTBOX_GONE, "completing twice: outcome %d", o);
}

/* A change while its entity is being sent: the send may have read the old
 * state, so the row stays, and goes out again only once that send is
 * over. */
static void a_mark_during_a_send_keeps_the_row_pending(void)
{
	const char *k = kind('d');
	mark(k, 5);
	struct ats_outbox_row rows[2];
	CU_ASSERT_FATAL(claim(ddb, da, k, 2, 60, rows) == 1);
	CU_ASSERT(ats_outbox_mark(writer, k, 5) == DB_OK);
	struct seen s = row_of(k, 5);
	CHECK(s.generation == 2 && s.due_in_ms > 55000,
	      "marked during the send: gen %u, due in %lld ms (the lease's "
	      "end)",
	      s.generation, s.due_in_ms);
	CHECK(claim(ddb, da, k, 2, 60, NULL) == 0,
	      "claimed while the first send is under way");
	enum ats_outbox_outcome o = -1;
	CU_ASSERT(ats_outbox_complete(ddb, &rows[0], &o) == DB_OK);
	CHECK(o == ATS_OUTBOX_SUPERSEDED, "outcome %d", o);
	s = row_of(k, 5);
	CHECK(s.exists && !strcmp(s.state, "pending") && s.due_in_ms <= 0 &&
		  !s.leased,
	      "after the send: exists %d state %s due in %lld ms", s.exists,
	      s.state, s.due_in_ms);
	CU_ASSERT_FATAL(claim(ddb, da, k, 2, 60, rows) == 1);
	CHECK(rows[0].generation == 2, "claimed again: gen %u",
	      rows[0].generation);
	CU_ASSERT(ats_outbox_complete(ddb, &rows[0], &o) == DB_OK);
	CHECK(o == ATS_OUTBOX_SENT && !row_of(k, 5).exists,
	      "the newer generation sent: outcome %d", o);
}

/* A claimer that dies (SIGKILL, a crash) never completes: its rows come
 * back when the lease ends, as they were. */
static void a_killed_claimers_rows_come_back_after_the_lease(void)
{
	const char *k = kind('e');
	mark(k, 1);
	struct db *dying = connect_db();
	struct arena *a = arena_new(4096);
	CU_ASSERT_FATAL(dying && a);
	struct ats_outbox_row rows[2];
	CU_ASSERT_FATAL(claim(dying, a, k, 2, 1, rows) == 1);
	db_close(dying);
	arena_free(a);
	CHECK(claim(ddb, da, k, 2, 60, NULL) == 0,
	      "claimed during the dead claimer's lease");
	usleep(1300 * 1000);
	CU_ASSERT_FATAL(claim(ddb, da, k, 2, 60, rows) == 1);
	CHECK(rows[0].entity_id == 1 && rows[0].generation == 1 &&
		  rows[0].attempts == 0,
	      "came back as it was: gen %u attempts %d", rows[0].generation,
	      rows[0].attempts);
}

#define RACE_ROWS    300
#define RACE_THREADS 4

struct racer {
	const char *kind;
	uint64_t got[RACE_ROWS];
	size_t n;
	int failures;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct db *db = connect_db();
	struct arena *a = arena_new(16 * 1024);
	if (!db || !a) {
		r->failures++;
		goto out;
	}
	for (;;) {
		struct ats_outbox_row *rows;
		size_t n = 0;
		arena_reset(a);
		if (ats_outbox_claim(db, a, r->kind, 7, 60, &rows, &n) !=
		    DB_OK) {
			r->failures++;
			break;
		}
		if (n == 0)
			break;
		for (size_t i = 0; i < n && r->n < RACE_ROWS; i++)
			r->got[r->n++] = rows[i].entity_id;
	}
out:
	db_close(db);
	arena_free(a);
	return NULL;
}

static void two_claimers_never_get_the_same_row(void)
{
	const char *k = kind('f');
	CU_ASSERT_FATAL(db_begin(ddb) == DB_OK);
	for (uint64_t e = 1; e <= RACE_ROWS; e++)
		CU_ASSERT(ats_outbox_mark(ddb, k, e) == DB_OK);
	CU_ASSERT_FATAL(db_commit(ddb) == DB_OK);

	static struct racer r[RACE_THREADS];
	pthread_t t[RACE_THREADS];
	for (int i = 0; i < RACE_THREADS; i++) {
		r[i] = (struct racer){.kind = k};
		CU_ASSERT_FATAL(pthread_create(&t[i], NULL, race, &r[i]) == 0);
	}
	for (int i = 0; i < RACE_THREADS; i++)
		pthread_join(t[i], NULL);
	static int times[RACE_ROWS + 1];
	memset(times, 0, sizeof(times));
	size_t total = 0, busy = 0;
	for (int i = 0; i < RACE_THREADS; i++) {
		CHECK(r[i].failures == 0, "claimer %d failed", i);
		total += r[i].n;
		busy += r[i].n > 0;
		for (size_t j = 0; j < r[i].n; j++)
			if (r[i].got[j] >= 1 && r[i].got[j] <= RACE_ROWS)
				times[r[i].got[j]]++;
	}
	int twice = 0, never = 0;
	for (int e = 1; e <= RACE_ROWS; e++) {
		twice += times[e] > 1;
		never += times[e] == 0;
	}
	CHECK(twice == 0 && never == 0 && total == RACE_ROWS,
	      "%d claimers: %zu rows claimed, %d twice, %d never", RACE_THREADS,
	      total, twice, never);
	printf("  claimers that got rows: %zu of %d\n", busy, RACE_THREADS);
}

/* ------------------------------------------------------------ failures */

static void failures_back_off_then_the_row_dies(void)
{
	const char *k = kind('g');
	mark(k, 1);
	struct ats_outbox_row row;
	enum ats_outbox_outcome o = -1;
	int64_t delay = 0;
	for (int attempt = 1; attempt <= 2; attempt++) {
		CU_ASSERT_FATAL(claim(ddb, da, k, 1, 60, &row) == 1);
		CHECK(row.attempts == attempt - 1, "attempts before: %d",
		      row.attempts);
		CU_ASSERT(ats_outbox_fail(ddb, &row, 3, 0, false,
					  "LinkedIn answered 503", &o,
					  &delay) == DB_OK);
		int64_t full = ATS_OUTBOX_BACKOFF_BASE_MS << (attempt - 1);
		CHECK(o == ATS_OUTBOX_RESCHEDULED && delay >= full / 2 &&
			  delay <= full,
		      "attempt %d: outcome %d, delay %lld ms (want %lld to "
		      "%lld)",
		      attempt, o, (long long)delay, (long long)full / 2,
		      (long long)full);
		struct seen s = row_of(k, 1);
		CHECK(s.attempts == attempt && !strcmp(s.state, "pending") &&
			  !s.leased && s.due_in_ms > delay - 2000 &&
			  s.due_in_ms <= delay &&
			  !strcmp(s.last_error, "LinkedIn answered 503"),
		      "after attempt %d: attempts %d state %s due in %lld ms "
		      "(delay %lld) error \"%s\"",
		      attempt, s.attempts, s.state, s.due_in_ms,
		      (long long)delay, s.last_error);
		CHECK(claim(ddb, da, k, 1, 60, NULL) == 0,
		      "claimed during its backoff");
		make_due_now(k);
	}
	CU_ASSERT_FATAL(claim(ddb, da, k, 1, 60, &row) == 1);
	CU_ASSERT(ats_outbox_fail(ddb, &row, 3, 0, false, "timed out", &o,
				  NULL) == DB_OK);
	CHECK(o == ATS_OUTBOX_DEAD, "the third failure of 3: outcome %d", o);
	struct seen s = row_of(k, 1);
	CHECK(!strcmp(s.state, "dead") && s.attempts == 3 &&
		  !strcmp(s.last_error, "timed out"),
	      "dead: state %s attempts %d error \"%s\"", s.state, s.attempts,
	      s.last_error);
	make_due_now(k);
	CHECK(claim(ddb, da, k, 1, 60, NULL) == 0, "a dead row was claimed");
}

static void retry_after_is_honoured(void)
{
	const char *k = kind('h');
	mark(k, 1);
	struct ats_outbox_row row;
	enum ats_outbox_outcome o = -1;
	int64_t delay = 0;
	CU_ASSERT_FATAL(claim(ddb, da, k, 1, 60, &row) == 1);
	CU_ASSERT(ats_outbox_fail(ddb, &row, 8, 45000, false,
				  "LinkedIn answered 429", &o,
				  &delay) == DB_OK);
	struct seen s = row_of(k, 1);
	CHECK(o == ATS_OUTBOX_RESCHEDULED && delay == 45000 &&
		  s.due_in_ms > 43000 && s.due_in_ms <= 45000,
	      "Retry-After 45 s: outcome %d delay %lld due in %lld ms", o,
	      (long long)delay, s.due_in_ms);
}

static void a_permanent_failure_is_dead_at_once(void)
{
	const char *k = kind('i');
	mark(k, 1);
	struct ats_outbox_row row;
	enum ats_outbox_outcome o = -1;
	CU_ASSERT_FATAL(claim(ddb, da, k, 1, 60, &row) == 1);
	CU_ASSERT(ats_outbox_fail(ddb, &row, 8, 0, true,
				  "LinkedIn answered 400: title is required",
				  &o, NULL) == DB_OK);
	struct seen s = row_of(k, 1);
	CHECK(o == ATS_OUTBOX_DEAD && !strcmp(s.state, "dead") &&
		  s.attempts == 1,
	      "a 400: outcome %d state %s attempts %d", o, s.state, s.attempts);
}

/* The failure concerned a state older than the row's newest change: not
 * counted against it, and the newer state goes out at once. */
static void a_failure_overtaken_by_a_mark_is_not_counted(void)
{
	const char *k = kind('j');
	mark(k, 1);
	struct ats_outbox_row row;
	enum ats_outbox_outcome o = -1;
	CU_ASSERT_FATAL(claim(ddb, da, k, 1, 60, &row) == 1);
	CU_ASSERT(ats_outbox_mark(writer, k, 1) == DB_OK);
	CU_ASSERT(ats_outbox_fail(ddb, &row, 1, 0, true, "gone wrong", &o,
				  NULL) == DB_OK);
	struct seen s = row_of(k, 1);
	CHECK(o == ATS_OUTBOX_SUPERSEDED && !strcmp(s.state, "pending") &&
		  s.attempts == 0 && s.due_in_ms <= 0,
	      "outcome %d state %s attempts %d due in %lld ms", o, s.state,
	      s.attempts, s.due_in_ms);
}

static void an_admin_retry_brings_a_dead_row_back(void)
{
	const char *k = kind('k');
	mark(k, 1);
	struct ats_outbox_row row;
	CU_ASSERT_FATAL(claim(ddb, da, k, 1, 60, &row) == 1);
	CU_ASSERT(ats_outbox_fail(ddb, &row, 8, 0, true, "bad location", NULL,
				  NULL) == DB_OK);
	uint64_t id = row_of(k, 1).id;
	CU_ASSERT(ats_outbox_retry(ddb, id) == DB_OK);
	struct seen s = row_of(k, 1);
	CHECK(!strcmp(s.state, "pending") && s.attempts == 0 &&
		  s.due_in_ms <= 0 && !strcmp(s.last_error, "bad location"),
	      "retried: state %s attempts %d due in %lld error \"%s\"", s.state,
	      s.attempts, s.due_in_ms, s.last_error);
	CHECK(ats_outbox_retry(ddb, id) == DB_NOT_FOUND,
	      "a retry of a pending row");
	CHECK(ats_outbox_retry(ddb, 0) == DB_NOT_FOUND, "a retry of no row");
	/* a mark revives a dead row too */
	CU_ASSERT_FATAL(claim(ddb, da, k, 1, 60, &row) == 1);
	CU_ASSERT(ats_outbox_fail(ddb, &row, 8, 0, true, "again", NULL, NULL) ==
		  DB_OK);
	mark(k, 1);
	s = row_of(k, 1);
	CHECK(!strcmp(s.state, "pending") && s.attempts == 0,
	      "marked after dying: state %s attempts %d", s.state, s.attempts);
}

static void the_status_counts_by_kind_and_lists_dead_rows(void)
{
	const char *k = kind('l');
	mark(k, 1);
	mark(k, 2);
	mark(k, 3);
	struct ats_outbox_row row;
	CU_ASSERT_FATAL(claim(ddb, da, k, 1, 60, &row) == 1);
	CU_ASSERT(ats_outbox_fail(ddb, &row, 8, 0, true, "refused <b>", NULL,
				  NULL) == DB_OK);
	struct ats_outbox_status st;
	arena_reset(da);
	CU_ASSERT_FATAL(ats_outbox_status(ddb, da, 1000, &st) == DB_OK);
	const struct ats_outbox_kind_stats *ks = NULL;
	for (size_t i = 0; i < st.nkinds; i++)
		if (!strcmp(st.kinds[i].kind, k))
			ks = &st.kinds[i];
	CU_ASSERT_FATAL(ks != NULL);
	CHECK(ks->pending == 2 && ks->due == 2 && ks->dead == 1 &&
		  ks->oldest_pending_s >= 0 && st.pending >= 2 && st.dead >= 1,
	      "pending %lld due %lld dead %lld oldest %lld s",
	      (long long)ks->pending, (long long)ks->due, (long long)ks->dead,
	      (long long)ks->oldest_pending_s);
	bool listed = false;
	for (size_t i = 0; i < st.ndead_rows; i++)
		if (!strcmp(st.dead_rows[i].kind, k))
			listed =
			    st.dead_rows[i].entity_id == 1 &&
			    st.dead_rows[i].attempts == 1 &&
			    !strcmp(st.dead_rows[i].last_error, "refused <b>");
	CHECK(listed, "the dead row is listed with its error");
}

static void an_error_is_kept_short_and_valid(void)
{
	const char *k = kind('m');
	mark(k, 1);
	struct ats_outbox_row row;
	char long_error[1200];
	/* 600 'é' (two bytes each) and a stray byte */
	size_t o = 0;
	long_error[o++] = '\xff';
	while (o + 2 < sizeof(long_error)) {
		long_error[o++] = '\xc3';
		long_error[o++] = '\xa9';
	}
	long_error[o] = '\0';
	CU_ASSERT_FATAL(claim(ddb, da, k, 1, 60, &row) == 1);
	CU_ASSERT(ats_outbox_fail(ddb, &row, 8, 0, false, long_error, NULL,
				  NULL) == DB_OK);
	long long n = itest_sql_int("SELECT CHAR_LENGTH(last_error) FROM "
				    "outbox WHERE kind = '%s'",
				    k);
	CHECK(n == ATS_OUTBOX_ERROR_MAX, "last_error of %lld characters", n);
	CHECK(row_of(k, 1).last_error[0] == '?', "the stray byte: \"%.8s\"",
	      row_of(k, 1).last_error);
}

/* ------------------------------------------------------------ admin page */

static struct itest_person ada; /* the admin */

static int admin_init(void)
{
	if (itest_person_add(&ada, "ada", "Outbox", "admin", "none") < 0)
		return -1;
	return itest_as(&ada) ? 0 : -1;
}

static int admin_clean(void)
{
	itest_person_free(&ada);
	return 0;
}

/* Kind z's entity 1 dead with an error that needs escaping; its row id. */
static uint64_t dead_row(const char *k)
{
	struct ats_outbox_row row;
	mark(k, 1);
	if (claim(ddb, da, k, 1, 60, &row) != 1)
		return 0;
	CU_ASSERT(ats_outbox_fail(ddb, &row, 8, 0, true,
				  "LinkedIn answered 400: <b>location</b>",
				  NULL, NULL) == DB_OK);
	return row_of(k, 1).id;
}

static void dead_rows_are_listed_and_retry_brings_them_back(void)
{
	const char *k = kind('z');
	uint64_t id = dead_row(k);
	CU_ASSERT_FATAL(id > 0);
	mark(kind('v'), 1);
	mark(kind('v'), 2);

	struct itest_resp r = itest_get(ada.c, "/admin/linkedin/outbox", false);
	CHECK_STATUS(r, 200, "the outbox page");
	char *row_id = itest_fmt("id=\"outbox-%llu\"", (unsigned long long)id);
	char *action = itest_fmt("/admin/linkedin/outbox/%llu/retry",
				 (unsigned long long)id);
	CHECK_HAS(r, row_id, "the dead row");
	CHECK_HAS(r, action, "its Retry form");
	CHECK_HAS(r, "LinkedIn answered 400: &lt;b&gt;location&lt;/b&gt;",
		  "its error, escaped");
	CHECK_LACKS(r, "<b>location</b>", "the error unescaped");
	CHECK_HAS(r, "id=\"kind-job\"", "the job kind, rows or not");
	itest_resp_free(&r);

	long st;
	json_t *j = itest_get_json(ada.c, "/admin/linkedin/outbox", &st);
	json_t *o = json_object_get(j, "outbox");
	bool listed = false, counted = false;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(o, "dead_rows"), i, v) listed |=
	    (uint64_t)itest_jint(v, "id") == id &&
	    !strcmp(itest_jstr(v, "kind"), k) &&
	    itest_jint(v, "attempts") == 1 &&
	    !strcmp(itest_jstr(v, "last_error"),
		    "LinkedIn answered 400: <b>location</b>");
	json_array_foreach(json_object_get(o, "kinds"), i, v) counted |=
	    !strcmp(itest_jstr(v, "kind"), kind('v')) &&
	    itest_jint(v, "pending") == 2 && itest_jint(v, "due") == 2 &&
	    json_is_false(json_object_get(v, "sender"));
	CHECK(st == 200 && listed && counted && itest_jint(o, "dead") >= 1 &&
		  itest_jint(o, "pending") >= 2,
	      "JSON: status %ld, dead row listed %d, pending kind counted %d",
	      st, listed, counted);
	json_decref(j);

	/* the same counts for monitoring */
	struct itest_client *local = itest_client_new(NULL);
	r = itest_metrics(local);
	char *pending =
	    itest_fmt("hirelink_outbox_pending{kind=\"%s\"}", kind('v'));
	char *dead = itest_fmt("hirelink_outbox_dead{kind=\"%s\"}", k);
	CHECK(itest_metric(r.body, pending) == 2 &&
		  itest_metric(r.body, dead) == 1,
	      "/metrics: %s %ld, %s %ld", pending,
	      itest_metric(r.body, pending), dead, itest_metric(r.body, dead));
	itest_resp_free(&r);
	itest_client_free(local);
	free(pending);
	free(dead);

	r = itest_post(ada.c, action, false, NULL, NULL);
	CHECK_STATUS(r, 403, "Retry without the CSRF token");
	itest_resp_free(&r);
	CHECK(!strcmp(row_of(k, 1).state, "dead"), "retried without CSRF");

	r = itest_post(ada.c, action, false, ada.csrf, NULL);
	CHECK_STATUS(r, 303, "Retry");
	char *back = itest_fmt("/admin/linkedin/outbox?retried=%llu",
			       (unsigned long long)id);
	CHECK(!strcmp(itest_location(&r), back), "Retry went to %s",
	      itest_location(&r));
	itest_resp_free(&r);
	struct seen s = row_of(k, 1);
	CHECK(!strcmp(s.state, "pending") && s.attempts == 0 &&
		  s.due_in_ms <= 0,
	      "after Retry: state %s attempts %d due in %lld ms", s.state,
	      s.attempts, s.due_in_ms);
	r = itest_get(ada.c, back, false);
	CHECK_HAS(r, "will be sent again", "the notice");
	CHECK_LACKS(r, row_id, "the retried row among the dead");
	itest_resp_free(&r);

	r = itest_post(ada.c, action, false, ada.csrf, NULL);
	CHECK_STATUS(r, 404, "Retry of a row that is not dead");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'linkedin.outbox_retry' AND entity_id = %llu",
			    (unsigned long long)id) == 1,
	      "the retry is audited once");
	free(row_id);
	free(action);
	free(back);
}

static void the_linkedin_page_links_to_the_outbox(void)
{
	struct itest_resp r = itest_get(ada.c, "/admin/linkedin", false);
	CHECK_STATUS(r, 200, "/admin/linkedin");
	CHECK_HAS(r, "href=\"/admin/linkedin/outbox\"", "the link");
	itest_resp_free(&r);
}

/* ------------------------------------------------------------ worker */

static struct config wcfg;
static size_t sends, largest_batch;
static struct db *during_send; /* marks an entity while it is sent */

/* A LinkedIn stand-in: what happens to entity e is e % 10. */
static void fake_send(struct li_worker *w, struct li_outbox_item *items,
		      size_t n)
{
	sends++;
	if (n > largest_batch)
		largest_batch = n;
	for (size_t i = 0; i < n; i++) {
		struct li_outbox_item *it = &items[i];
		switch (it->entity_id % 10) {
		case 0:
			it->result = LI_ITEM_DONE;
			break;
		case 1:
			it->result = LI_ITEM_RETRY;
			it->retry_after_ms = 45000;
			snprintf(it->error, sizeof(it->error),
				 "LinkedIn answered 429");
			break;
		case 2:
			it->result = LI_ITEM_FAILED;
			snprintf(it->error, sizeof(it->error),
				 "LinkedIn answered 400: location");
			break;
		case 3:
			break; /* no result given */
		case 4:	       /* the entity changes while LinkedIn takes it */
			ats_outbox_mark(during_send, kind('w'), it->entity_id);
			it->result = LI_ITEM_DONE;
			break;
		}
	}
}

static int worker_init(void)
{
	config_defaults(&wcfg);
	during_send = connect_db();
	return during_send ? 0 : -1;
}

static int worker_clean(void)
{
	db_close(during_send);
	return domain_clean();
}

static struct li_worker worker_of(struct arena *a)
{
	return (struct li_worker){.cfg = &wcfg, .db = ddb, .arena = a};
}

static void the_worker_records_what_the_sender_says(void)
{
	const char *k = kind('w');
	struct li_sender senders[] = {
	    {.kind = k, .batch_max = 100, .send = fake_send}};
	for (uint64_t e = 10; e <= 14; e++)
		mark(k, e);
	struct arena *a = arena_new(16 * 1024);
	struct li_worker w = worker_of(a);
	int handled = li_worker_run_once(&w, senders, 1);
	CHECK(handled == 5, "handled %d rows, want 5", handled);
	CHECK(!row_of(k, 10).exists, "a row sent is still there");
	struct seen s = row_of(k, 11);
	CHECK(!strcmp(s.state, "pending") && s.attempts == 1 &&
		  s.due_in_ms > 43000 && s.due_in_ms <= 45000 &&
		  !strcmp(s.last_error, "LinkedIn answered 429"),
	      "429: state %s attempts %d due in %lld error \"%s\"", s.state,
	      s.attempts, s.due_in_ms, s.last_error);
	s = row_of(k, 12);
	CHECK(!strcmp(s.state, "dead") && s.attempts == 1 &&
		  !strcmp(s.last_error, "LinkedIn answered 400: location"),
	      "400: state %s attempts %d error \"%s\"", s.state, s.attempts,
	      s.last_error);
	s = row_of(k, 13);
	CHECK(!strcmp(s.state, "pending") && s.attempts == 1 &&
		  strstr(s.last_error, "gave no reason"),
	      "no result: state %s attempts %d error \"%s\"", s.state,
	      s.attempts, s.last_error);
	s = row_of(k, 14);
	CHECK(s.exists && !strcmp(s.state, "pending") && s.generation == 2 &&
		  s.due_in_ms <= 0,
	      "changed while sent: exists %d gen %u due in %lld ms", s.exists,
	      s.generation, s.due_in_ms);
	CHECK(w.sent == 1 && w.retried == 2 && w.dead == 1 && w.superseded == 1,
	      "counters: sent %llu retried %llu dead %llu superseded %llu",
	      (unsigned long long)w.sent, (unsigned long long)w.retried,
	      (unsigned long long)w.dead, (unsigned long long)w.superseded);
	/* the changed one goes out again on the next pass */
	CU_ASSERT(ats_outbox_mark(ddb, k, 20) == DB_OK);
	handled = li_worker_run_once(&w, senders, 1);
	CHECK(handled == 2 && !row_of(k, 20).exists,
	      "second pass handled %d (want the changed row and the new one)",
	      handled);
	arena_free(a);
}

/* A kind sent by at most at_once threads of a process (export
 * notifications: two): while that many send it, a pass leaves its rows to
 * them, and takes them once one is done. */
static void a_kind_is_sent_by_at_most_its_threads_at_once(void)
{
	const char *k = kind('n');
	atomic_uint sending = 1; /* another thread is sending */
	struct li_sender senders[] = {{.kind = k,
				       .batch_max = 10,
				       .send = fake_send,
				       .at_once = 1,
				       .sending = &sending}};
	mark(k, 30);
	struct arena *a = arena_new(16 * 1024);
	struct li_worker w = worker_of(a);
	int handled = li_worker_run_once(&w, senders, 1);
	CHECK(handled == 0 && row_of(k, 30).exists && sending == 1,
	      "one thread sending already: handled %d, count %u", handled,
	      (unsigned)sending);
	sending = 0; /* it is done */
	handled = li_worker_run_once(&w, senders, 1);
	CHECK(handled == 1 && !row_of(k, 30).exists && sending == 0,
	      "none sending: handled %d, count %u", handled, (unsigned)sending);
	arena_free(a);
}

static void batches_are_at_most_the_senders_size(void)
{
	const char *k = kind('x');
	struct li_sender senders[] = {{.kind = k, .batch_max = 10, .send = fake_send}};
	CU_ASSERT_FATAL(db_begin(ddb) == DB_OK);
	for (uint64_t e = 1; e <= 25; e++)
		CU_ASSERT(ats_outbox_mark(ddb, k, e * 10) == DB_OK);
	CU_ASSERT_FATAL(db_commit(ddb) == DB_OK);
	struct arena *a = arena_new(16 * 1024);
	struct li_worker w = worker_of(a);
	sends = largest_batch = 0;
	int passes = 0, handled;
	while ((handled = li_worker_run_once(&w, senders, 1)) > 0)
		passes++;
	CHECK(handled == 0 && passes == 3 && sends == 3 &&
		  largest_batch == 10 && w.sent == 25,
	      "%d passes, %zu sends, largest %zu, %llu sent (want 3, 3, 10, "
	      "25; last pass %d)",
	      passes, sends, largest_batch, (unsigned long long)w.sent,
	      handled);
	arena_free(a);
}

static void a_kind_without_a_sender_waits(void)
{
	const char *k = kind('y');
	struct li_sender senders[] = {{.kind = k, .batch_max = 10, .send = NULL}};
	mark(k, 10);
	struct arena *a = arena_new(16 * 1024);
	struct li_worker w = worker_of(a);
	CHECK(li_worker_run_once(&w, senders, 1) == 0, "a pass without sender");
	struct seen s = row_of(k, 10);
	CHECK(s.exists && !s.leased && s.due_in_ms <= 0 && s.attempts == 0,
	      "untouched: leased %d due in %lld attempts %d", s.leased,
	      s.due_in_ms, s.attempts);
	CHECK(itest_sql_int("SELECT last_attempt_at IS NULL FROM outbox WHERE "
			    "kind = '%s'",
			    k) == 1,
	      "never attempted");
	arena_free(a);
	/* the real table leaves the kinds of jobsync and callback waiting
	 * until they register their senders, and has a row for each kind */
	const char *kinds[] = {ATS_OUTBOX_JOB, ATS_OUTBOX_INTEGRATION,
			       ATS_OUTBOX_INBOUND_EVENT};
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
		bool found = false;
		for (size_t j = 0; j < li_nsenders; j++)
			found |= !strcmp(li_senders[j].kind, kinds[i]) &&
				 li_senders[j].batch_max >= 1 &&
				 li_senders[j].batch_max <= 100;
		CHECK(found, "li_senders has no row for %s", kinds[i]);
	}
}

/* ------------------------------------------------------------ the stack */

/* var/<profile>/ of the test stack: where its config is; new. */
static char *var_dir(void)
{
	char *dir = itest_strdup(itest_env("HIRELINK_CONFIG"));
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return dir;
}

/* The worker's pid from var/worker.pid; 0 when there is none. */
static long worker_pid(void)
{
	char *dir = var_dir();
	char *path = itest_fmt("%s/worker.pid", dir);
	FILE *f = fopen(path, "r");
	long pid = 0;
	if (f) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	free(path);
	free(dir);
	return pid;
}

static bool alive(long pid)
{
	return pid > 0 && kill((pid_t)pid, 0) == 0;
}

/* How many lines of the worker's log contain needle. */
static size_t log_lines(const char *needle)
{
	char *dir = var_dir();
	char *path = itest_fmt("%s/log/worker.log", dir);
	FILE *f = fopen(path, "r");
	char line[1024];
	size_t n = 0;
	while (f && fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	if (f)
		fclose(f);
	free(path);
	free(dir);
	return n;
}

static void the_stack_runs_a_worker(void)
{
	long pid = worker_pid();
	CHECK(alive(pid), "no worker running (pid file: %ld)", pid);
	char *started = itest_fmt("worker started (pid %ld)", pid);
	CHECK(log_lines(started) == 1, "the log lacks \"%s\"", started);
	free(started);
}

static void the_worker_stops_and_starts_again(void)
{
	long pid = worker_pid();
	size_t stops = log_lines("worker stopping (Terminated)");
	CU_ASSERT_FATAL(alive(pid));
	CHECK(itest_stack("worker-stop") == 0, "stack.sh worker-stop failed");
	CHECK(!alive(pid) && worker_pid() == 0,
	      "after worker-stop: %ld alive %d, pid file %ld", pid, alive(pid),
	      worker_pid());
	CHECK(log_lines("worker stopping (Terminated)") == stops + 1,
	      "the worker did not stop cleanly (no log line)");
	CHECK(itest_stack("worker-start") == 0, "stack.sh worker-start failed");
	long again = worker_pid();
	CHECK(alive(again) && again != pid, "after worker-start: %ld alive %d",
	      again, alive(again));
	CHECK(itest_stack("worker-start") == 0 && worker_pid() == again,
	      "starting it twice started another");
}

static void a_killed_worker_starts_again(void)
{
	long pid = worker_pid();
	size_t stops = log_lines("worker stopping");
	CU_ASSERT_FATAL(alive(pid));
	CHECK(itest_stack("worker-kill") == 0, "stack.sh worker-kill failed");
	CHECK(!alive(pid) && worker_pid() == 0, "after worker-kill: alive %d",
	      alive(pid));
	CHECK(log_lines("worker stopping") == stops,
	      "a SIGKILL let the worker finish");
	CHECK(itest_stack("worker-start") == 0, "stack.sh worker-start failed");
	CHECK(alive(worker_pid()), "no worker after worker-start");
}

/* ------------------------------------------------------------ job writes */

/*
 * Every write of the ATS whose data LinkedIn sees marks the job, once, in
 * its own transaction.  The stack's worker is stopped meanwhile, so that a
 * sender sending the job (the jobsync part) cannot empty the row between
 * a write and the look at it: each write must bump the generation by one.
 */
static struct itest_person rita, hank, olga;

static int writes_init(void)
{
	if (itest_stack("worker-stop") != 0)
		return -1;
	if (itest_person_add(&rita, "rita", "Outbox", "recruiter", "none") <
		0 ||
	    itest_person_add(&hank, "hank", "Outbox", "hiring_manager",
			     "none") < 0 ||
	    itest_person_add(&olga, "olga", "Outbox", "recruiter", "none") < 0)
		return -1;
	return itest_as(&rita) ? 0 : -1;
}

static int writes_clean(void)
{
	itest_person_free(&rita);
	itest_person_free(&hank);
	itest_person_free(&olga);
	return itest_stack("worker-start") == 0 ? 0 : -1;
}

/* The job's outbox rows: how many, and the generation of the one. */
static long long job_rows(long long job)
{
	return itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind = 'job' "
			     "AND entity_id = %lld AND state = 'pending'",
			     job);
}

static long long job_generation(long long job)
{
	return itest_sql_int("SELECT generation FROM outbox WHERE kind = "
			     "'job' AND entity_id = %lld",
			     job);
}

/* POSTs the form (name, value, ..., NULL) to path as rita; the status. */
static long post_as_rita(const char *path, ...) __attribute__((sentinel));
static long post_as_rita(const char *path, ...)
{
	va_list ap;
	const char *f[12] = {0};
	size_t n = 0;
	va_start(ap, path);
	while (n + 1 < ARRAY_LEN(f) && (f[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	struct itest_resp r =
	    itest_post(rita.c, path, false, rita.csrf, f[0], f[1], f[2], f[3],
		       f[4], f[5], f[6], f[7], f[8], f[9], NULL);
	long st = r.status;
	itest_resp_free(&r);
	return st;
}

static long long new_job(const char *title)
{
	struct itest_resp r =
	    itest_post(rita.c, "/jobs", false, rita.csrf, "title", title, NULL);
	long long id = 0;
	CHECK_STATUS(r, 303, "POST /jobs");
	if (sscanf(itest_location(&r), "/jobs/%lld", &id) != 1)
		id = 0;
	itest_resp_free(&r);
	return id;
}

static long long stage_of(long long job, const char *kind)
{
	return itest_sql_int("SELECT MIN(id) FROM job_stages WHERE job_id = "
			     "%lld AND kind = '%s'",
			     job, kind);
}

/* One write, and what it must leave: one pending row, generation gen. */
#define WRITE(want_status, gen, what, path, ...)                               \
	do {                                                                   \
		long st_ = post_as_rita(path, __VA_ARGS__, NULL);              \
		CHECK(st_ == (want_status), "%s: status %ld", (what), st_);    \
		CHECK(job_rows(job) == 1 && job_generation(job) == (gen),      \
		      "%s: %lld pending rows, generation %lld (want 1, %d)",   \
		      (what), job_rows(job), job_generation(job), (gen));      \
	} while (0)

static void every_job_write_marks_the_job_once(void)
{
	char *title = itest_unique("Outbox job ");
	long long job = new_job(title);
	CU_ASSERT_FATAL(job > 0);
	CHECK(job_rows(job) == 1 && job_generation(job) == 1,
	      "a new draft: %lld rows, generation %lld", job_rows(job),
	      job_generation(job));
	char *path = itest_fmt("/jobs/%lld", job);
	char *act = itest_fmt("/jobs/%lld/activate", job);
	char *close = itest_fmt("/jobs/%lld/close", job);
	char *stages = itest_fmt("/jobs/%lld/stages", job);
	char *members = itest_fmt("/jobs/%lld/members", job);

	WRITE(303, 2, "edit", path, "title", "Edited", "location", "Berlin");
	WRITE(303, 3, "activate", act, "x", "");
	WRITE(303, 3, "activate again (no change)", act, "x", "");
	WRITE(303, 4, "close", close, "x", "");
	WRITE(303, 5, "add a stage", stages, "action", "add", "name", "Phone",
	      "kind", "screen");
	char *stage = itest_fmt("%lld", itest_sql_int("SELECT MAX(id) FROM "
						      "job_stages WHERE job_id "
						      "= %lld",
						      job));
	WRITE(303, 6, "rename a stage", stages, "action", "rename", "stage_id",
	      stage, "name", "Phone screen");
	WRITE(303, 7, "move a stage", stages, "action", "move", "stage_id",
	      stage, "position", "1");
	WRITE(303, 8, "delete a stage", stages, "action", "delete", "stage_id",
	      stage);
	WRITE(303, 9, "add a member", members, "action", "add", "email",
	      hank.email, "role", "hiring_manager");
	WRITE(303, 10, "change a member's role", members, "action", "add",
	      "email", hank.email, "role", "interviewer");
	WRITE(303, 10, "the same role again (no change)", members, "action",
	      "add", "email", hank.email, "role", "interviewer");
	WRITE(303, 11, "remove a member", members, "action", "remove", "email",
	      hank.email);
	free(title);
	free(path);
	free(act);
	free(close);
	free(stages);
	free(members);
	free(stage);
}

/* A write that fails rolls its mark back with everything else. */
static void a_failing_job_write_leaves_no_mark(void)
{
	char *title = itest_unique("Outbox refused ");
	long long job = new_job(title);
	CU_ASSERT_FATAL(job > 0);
	/* as if the worker had sent it */
	ITEST_SQL("forget the row",
		  itest_fmt("DELETE FROM outbox WHERE kind = 'job' AND "
			    "entity_id = %lld",
			    job));
	long long prospect = stage_of(job, "prospect");
	ITEST_SQL("an application at Prospect",
		  itest_fmt("INSERT INTO candidates (first_name, last_name) "
			    "VALUES ('Outbox', 'Cand');\n"
			    "INSERT INTO applications (job_id, candidate_id, "
			    "stage_id, status) VALUES (%lld, LAST_INSERT_ID(), "
			    "%lld, 'active')",
			    job, prospect));
	char *stages = itest_fmt("/jobs/%lld/stages", job);
	char *members = itest_fmt("/jobs/%lld/members", job);
	char *stage = itest_fmt("%lld", prospect);
	long st =
	    post_as_rita(stages, "action", "delete", "stage_id", stage, NULL);
	CHECK(st == 409, "deleting a stage in use: %ld", st);
	st = post_as_rita(stages, "action", "rename", "stage_id", "999999999",
			  "name", "Nope", NULL);
	CHECK(st == 404, "renaming another job's stage: %ld", st);
	st = post_as_rita(members, "action", "remove", "email", hank.email,
			  NULL);
	CHECK(st == 404 || st == 400, "removing a non-member: %ld", st);
	ITEST_SQL(
	    "olga leaves",
	    itest_fmt("UPDATE users SET active = 0 WHERE id = %lld", olga.id));
	st = post_as_rita(members, "action", "add", "email", olga.email, "role",
			  "recruiter", NULL);
	CHECK(st == 400, "adding an inactive user: %ld", st);
	CHECK(job_rows(job) == 0 &&
		  itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind = "
				"'job' AND entity_id = %lld",
				job) == 0,
	      "failed writes left an outbox row");
	/* a job without stages cannot be activated */
	ITEST_SQL("no pipeline",
		  itest_fmt("DELETE FROM applications WHERE job_id = %lld;\n"
			    "DELETE FROM job_stages WHERE job_id = %lld",
			    job, job));
	char *act = itest_fmt("/jobs/%lld/activate", job);
	st = post_as_rita(act, "x", "", NULL);
	CHECK(st == 400, "activating a job without stages: %ld", st);
	CHECK(job_rows(job) == 0, "a refused activation left an outbox row");
	free(title);
	free(stages);
	free(members);
	free(stage);
	free(act);
}

int main(void)
{
	static const struct test outbox_tests[] = {
	    TEST(a_mark_makes_one_pending_row_per_entity),
	    TEST(a_mark_commits_or_rolls_back_with_its_writer),
	    TEST(a_claimed_row_is_leased_then_deleted_when_sent),
	    TEST(a_mark_during_a_send_keeps_the_row_pending),
	    TEST(a_killed_claimers_rows_come_back_after_the_lease),
	    TEST(two_claimers_never_get_the_same_row),
	    TEST(failures_back_off_then_the_row_dies),
	    TEST(retry_after_is_honoured),
	    TEST(a_permanent_failure_is_dead_at_once),
	    TEST(a_failure_overtaken_by_a_mark_is_not_counted),
	    TEST(an_admin_retry_brings_a_dead_row_back),
	    TEST(the_status_counts_by_kind_and_lists_dead_rows),
	    TEST(an_error_is_kept_short_and_valid),
	};
	static const struct test worker_tests[] = {
	    TEST(the_worker_records_what_the_sender_says),
	    TEST(batches_are_at_most_the_senders_size),
	    TEST(a_kind_is_sent_by_at_most_its_threads_at_once),
	    TEST(a_kind_without_a_sender_waits),
	};
	static const struct test stack_tests[] = {
	    TEST(the_stack_runs_a_worker),
	    TEST(the_worker_stops_and_starts_again),
	    TEST(a_killed_worker_starts_again),
	};
	static const struct test write_tests[] = {
	    TEST(every_job_write_marks_the_job_once),
	    TEST(a_failing_job_write_leaves_no_mark),
	};
	static const struct test admin_tests[] = {
	    TEST(dead_rows_are_listed_and_retry_brings_them_back),
	    TEST(the_linkedin_page_links_to_the_outbox),
	};
	static const struct suite suites[] = {
	    SUITE("stack", NULL, NULL, stack_tests),
	    SUITE("outbox", domain_init, NULL, outbox_tests),
	    SUITE("admin page", admin_init, admin_clean, admin_tests),
	    SUITE("worker", worker_init, worker_clean, worker_tests),
	    SUITE("job writes", writes_init, writes_clean, write_tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
