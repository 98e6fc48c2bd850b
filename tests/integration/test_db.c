/*
 * test_db.c - integration tests of the database layer against a real
 * MariaDB: parameters and results of every type, errors, transactions
 * (and running one again after a lock wait timed out), the statement cache,
 * reconnecting after the server dropped us, and migrations.
 *
 * Needs HIRELINK_TEST_DB_SOCKET (unix socket of a scratch server; the
 * tests KILL their own connections and create a database), optionally
 * HIRELINK_TEST_DB_USER (root) and HIRELINK_TEST_DB_NAME (hirelink_test).
 * Tables are prefixed t_db_ and dropped at the end.  Errors the tests
 * provoke on purpose are logged too: "error" lines in the output are
 * expected.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "core/core.h"
#include "db/db.h"
#include "../suite.h"

/* The suite's handles: db is the one under test, other a second client
 * that watches what db's transactions make visible and kills its
 * connection. */
static struct db_options opts;
static struct db *db, *other;
static struct arena *a;

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

/* The number sql counts, with one string parameter unless arg is NULL. */
static int64_t count_rows(struct db *h, const char *sql, const char *arg)
{
	struct db_row r;

	if (db_query_row(h, a, &r, sql, arg ? "s" : "", arg) != DB_OK)
		return -1;
	return db_int(&r, 0);
}

static int64_t connection_id(struct db *h)
{
	struct db_row r;

	if (db_query_row(h, a, &r, "SELECT CONNECTION_ID()", "") != DB_OK)
		return -1;
	return db_int(&r, 0);
}

static int suite_init(void)
{
	static const char *const setup[] = {
	    "DROP TABLE IF EXISTS t_db_values, t_db_unique, t_db_txn",
	    "CREATE TABLE t_db_values ("
	    " id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,"
	    " i BIGINT NULL, u BIGINT UNSIGNED NULL, d DOUBLE NULL,"
	    " s VARCHAR(100) NULL, b LONGBLOB NULL, t LONGTEXT NULL"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	    "CREATE TABLE t_db_unique (email VARCHAR(100) PRIMARY KEY)"
	    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	    "CREATE TABLE t_db_txn (id INT AUTO_INCREMENT PRIMARY KEY,"
	    " v VARCHAR(20) NOT NULL) ENGINE=InnoDB",
	};

	opts.socket = getenv("HIRELINK_TEST_DB_SOCKET");
	opts.user = env_or("HIRELINK_TEST_DB_USER", "root");
	opts.name = env_or("HIRELINK_TEST_DB_NAME", "hirelink_test");
	db = db_open(&opts);
	other = db_open(&opts);
	a = arena_new(64 * 1024);
	if (!db || !other || !a)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(setup); i++) {
		if (db_exec(db, NULL, setup[i], "") != DB_OK) {
			fprintf(stderr, "cannot set up: %s\n", db_error(db));
			return -1;
		}
	}
	return 0;
}

static int suite_cleanup(void)
{
	int rc = 0;

	if (db && db_exec(db, NULL,
			  "DROP TABLE IF EXISTS t_db_values, t_db_unique, "
			  "t_db_txn",
			  "") != DB_OK)
		rc = -1;
	db_close(db);
	db_close(other);
	arena_free(a);
	return rc;
}

/* ---------------------------------------------------------- values */

static void every_parameter_type_round_trips(void)
{
	static const unsigned char blob[] = "\0\1\2nul\0inside\xff";
	const size_t big_len = 1024 * 1024;
	char *big = malloc(big_len + 1);
	struct db_result res;
	uint64_t affected = 0, id;
	struct db_row *r;

	CU_ASSERT_FATAL(big != NULL);
	for (size_t i = 0; i < big_len; i++)
		big[i] = (char)('a' + i % 26);
	big[big_len] = '\0';

	CU_ASSERT_FATAL(db_exec(db, &affected,
				"INSERT INTO t_db_values (i, u, d, s, b, t) "
				"VALUES (?, ?, ?, ?, ?, ?)",
				"iudsbs", INT64_MIN, UINT64_MAX, 3.25, "hello",
				(const void *)blob, sizeof blob - 1,
				big) == DB_OK);
	CU_ASSERT(affected == 1);
	id = db_insert_id(db);
	CU_ASSERT(id > 0);

	CU_ASSERT_FATAL(db_query(db, a, &res,
				 "SELECT i, u, d, s, b, t, id FROM t_db_values "
				 "WHERE id = ?",
				 "u", id) == DB_OK);
	CU_ASSERT_FATAL(res.nrows == 1);
	CU_ASSERT_FATAL(res.ncols == 7);
	CU_ASSERT_STRING_EQUAL(res.names[0], "i");
	CU_ASSERT_STRING_EQUAL(res.names[5], "t");
	r = &res.rows[0];
	CU_ASSERT_STRING_EQUAL(r->v[0], "-9223372036854775808");
	CU_ASSERT(db_int(r, 0) == INT64_MIN);
	CU_ASSERT_STRING_EQUAL(r->v[1], "18446744073709551615");
	CU_ASSERT_STRING_EQUAL(r->v[2], "3.25");
	CU_ASSERT_STRING_EQUAL(r->v[3], "hello");
	CU_ASSERT(r->len[3] == 5);
	/* The blob: NUL bytes kept, the length is the real one. */
	CU_ASSERT(r->len[4] == sizeof blob - 1);
	CU_ASSERT(memcmp(r->v[4], blob, sizeof blob - 1) == 0);
	CU_ASSERT(r->v[4][r->len[4]] == '\0');
	/* The long text went through the truncated-fetch path. */
	CU_ASSERT(r->len[5] == big_len);
	CU_ASSERT(memcmp(r->v[5], big, big_len) == 0);
	CU_ASSERT(r->v[5][big_len] == '\0');
	CU_ASSERT(db_int(r, 6) == (int64_t)id);
	free(big);
	arena_reset(a);
}

static void null_parameters_come_back_as_null(void)
{
	struct db_row r;

	CU_ASSERT_FATAL(db_exec(db, NULL,
				"INSERT INTO t_db_values (i, s, b) "
				"VALUES (?, ?, ?)",
				"isb", (int64_t)7, (const char *)NULL,
				(const void *)NULL, (size_t)0) == DB_OK);
	CU_ASSERT_FATAL(db_query_row(db, a, &r,
				     "SELECT i, s, b, t, d FROM t_db_values "
				     "WHERE id = ?",
				     "u", db_insert_id(db)) == DB_OK);
	CU_ASSERT_STRING_EQUAL(r.v[0], "7");
	for (size_t i = 1; i < 5; i++) {
		CU_ASSERT(r.v[i] == NULL);
		CU_ASSERT(r.len[i] == 0);
	}
	CU_ASSERT(db_int(&r, 1) == 0);
	arena_reset(a);
}

static void empty_string_and_empty_blob_are_not_null(void)
{
	struct db_row r;

	CU_ASSERT_FATAL(
	    db_exec(db, NULL, "INSERT INTO t_db_values (s, b) VALUES (?, ?)",
		    "sb", "", (const void *)"", (size_t)0) == DB_OK);
	CU_ASSERT_FATAL(
	    db_query_row(db, a, &r, "SELECT s, b FROM t_db_values WHERE id = ?",
			 "u", db_insert_id(db)) == DB_OK);
	CU_ASSERT(r.v[0] != NULL && r.v[0][0] == '\0');
	CU_ASSERT(r.v[1] != NULL && r.len[1] == 0);
	arena_reset(a);
}

static void emoji_round_trips_in_utf8mb4(void)
{
	static const char name[] = "Zo\xc3\xab \xf0\x9f\x98\x80 \xe2\x9c\x93";
	struct db_row r;

	CU_ASSERT_FATAL(db_exec(db, NULL,
				"INSERT INTO t_db_values (s) VALUES (?)", "s",
				name) == DB_OK);
	CU_ASSERT_FATAL(
	    db_query_row(db, a, &r,
			 "SELECT s, CHAR_LENGTH(s) FROM t_db_values "
			 "WHERE id = ?",
			 "u", db_insert_id(db)) == DB_OK);
	CU_ASSERT_STRING_EQUAL(r.v[0], name);
	CU_ASSERT(db_int(&r, 1) == 7); /* code points, not bytes */
	arena_reset(a);
}

static void query_returns_every_row_in_order(void)
{
	struct db_result res;

	CU_ASSERT_FATAL(db_query(db, a, &res,
				 "SELECT seq, seq * 2 AS twice "
				 "FROM seq_1_to_500 ORDER BY seq",
				 "") == DB_OK);
	CU_ASSERT_FATAL(res.nrows == 500);
	CU_ASSERT_STRING_EQUAL(res.names[1], "twice");
	CU_ASSERT(db_int(&res.rows[0], 0) == 1);
	CU_ASSERT(db_int(&res.rows[499], 1) == 1000);
	/* An empty result is not an error for db_query. */
	CU_ASSERT(db_query(db, a, &res,
			   "SELECT id FROM t_db_values WHERE id < 0",
			   "") == DB_OK);
	CU_ASSERT(res.nrows == 0 && res.ncols == 1);
	arena_reset(a);
}

/* db_query_text: the rows db_query gives, NULL as NULL, and a bad
 * statement's reason. */
static void a_text_query_gives_the_rows_a_prepared_one_does(void)
{
	struct db_result t, p;
	const char *sql = "SELECT seq, IF(seq % 2, NULL, CONCAT('n', seq)), "
			  "'' FROM seq_1_to_300 ORDER BY seq";
	CU_ASSERT_FATAL(db_query_text(db, a, &t, sql) == DB_OK);
	CU_ASSERT_FATAL(db_query(db, a, &p, sql, "") == DB_OK);
	CU_ASSERT_FATAL(t.nrows == 300 && t.ncols == 3 && p.nrows == 300);
	for (size_t i = 0; i < t.nrows; i++)
		for (size_t j = 0; j < 3; j++) {
			const char *x = t.rows[i].v[j], *y = p.rows[i].v[j];
			CU_ASSERT((!x && !y) ||
				  (x && y && !strcmp(x, y) &&
				   t.rows[i].len[j] == p.rows[i].len[j]));
		}
	CU_ASSERT(t.rows[0].v[1] == NULL);
	CU_ASSERT_STRING_EQUAL(t.rows[1].v[1], "n2");
	CU_ASSERT(t.rows[0].v[2] && !*t.rows[0].v[2]);
	CU_ASSERT(db_query_text(db, a, &t, "SELEC nonsense") == DB_ERROR);
	CU_ASSERT(strstr(db_error(db), "SQL syntax") != NULL);
	CU_ASSERT(t.nrows == 0);
	arena_reset(a);
}

static void query_row_takes_the_first_and_reports_none(void)
{
	struct db_row r;

	CU_ASSERT(db_query_row(db, a, &r,
			       "SELECT seq FROM seq_1_to_10 ORDER BY seq DESC",
			       "") == DB_OK);
	CU_ASSERT(db_int(&r, 0) == 10);
	/* The rest was consumed: the next statement runs normally. */
	CU_ASSERT(db_query_row(db, a, &r,
			       "SELECT id FROM t_db_values WHERE id = ?", "i",
			       (int64_t)-1) == DB_NOT_FOUND);
	CU_ASSERT(r.v == NULL);
	CU_ASSERT(db_query_row(db, a, &r, "SELECT 1", "") == DB_OK);
	/* db_exec() of a statement with rows reads and drops them. */
	CU_ASSERT(db_exec(db, NULL, "SELECT seq FROM seq_1_to_100", "") ==
		  DB_OK);
	CU_ASSERT(db_query_row(db, a, &r, "SELECT 2", "") == DB_OK);
	CU_ASSERT(db_int(&r, 0) == 2);
	arena_reset(a);
}

/* Every allocation of a result can fail: the call reports DB_ERROR, leaks
 * nothing, and the statement works again once memory is back. */
static void arena_exhaustion_fails_cleanly(void)
{
	static const char *sql = "SELECT seq, IF(seq = 2, REPEAT('x', 5000), "
				 "'short') FROM seq_1_to_3 ORDER BY seq";
	struct db_result res;
	int failed = 0;

	for (long n = 0; n < 40; n++) {
		arena_fail_after(a, n);
		int rc = db_query(db, a, &res, sql, "");
		CU_ASSERT(rc == DB_OK || rc == DB_ERROR);
		failed += rc == DB_ERROR;
		arena_reset(a);
	}
	arena_fail_after(a, -1);
	CU_ASSERT(failed > 0);
	CU_ASSERT_FATAL(db_query(db, a, &res, sql, "") == DB_OK);
	CU_ASSERT(res.nrows == 3);
	CU_ASSERT(res.rows[1].len[1] == 5000);
	CU_ASSERT_STRING_EQUAL(res.rows[2].v[1], "short");
	arena_reset(a);
}

/* ---------------------------------------------------------- errors */

static void duplicate_key_is_db_duplicate(void)
{
	CU_ASSERT(db_exec(db, NULL, "INSERT INTO t_db_unique VALUES (?)", "s",
			  "ann@example.com") == DB_OK);
	CU_ASSERT(db_exec(db, NULL, "INSERT INTO t_db_unique VALUES (?)", "s",
			  "ann@example.com") == DB_DUPLICATE);
	CU_ASSERT(strstr(db_error(db), "Duplicate entry") != NULL);
	CU_ASSERT(db_errno(db) == 1062);
	/* The cached statement still works after the error. */
	CU_ASSERT(db_exec(db, NULL, "INSERT INTO t_db_unique VALUES (?)", "s",
			  "bob@example.com") == DB_OK);
	CU_ASSERT(db_errno(db) == 0);
}

static void parameter_count_mismatch_is_db_error(void)
{
	struct db_row r;

	CU_ASSERT(db_query_row(db, a, &r, "SELECT ? + ?", "i", (int64_t)1) ==
		  DB_ERROR);
	CU_ASSERT(strstr(db_error(db), "it has 2 '?', the type string 1") !=
		  NULL);
	CU_ASSERT(db_query_row(db, a, &r, "SELECT ?", "ii", (int64_t)1,
			       (int64_t)2) == DB_ERROR);
	CU_ASSERT(db_query_row(db, a, &r, "SELECT ?", "x", 1) == DB_ERROR);
	CU_ASSERT(strstr(db_error(db), "unknown type 'x'") != NULL);
	CU_ASSERT(db_query_row(db, a, &r, "SELECT ? + 1", "i", (int64_t)1) ==
		  DB_OK);
	CU_ASSERT(db_int(&r, 0) == 2);
	arena_reset(a);
}

static void bad_sql_is_db_error_with_the_reason(void)
{
	CU_ASSERT(db_exec(db, NULL, "SELEC nonsense", "") == DB_ERROR);
	CU_ASSERT(strstr(db_error(db), "cannot prepare statement") != NULL);
	CU_ASSERT(strstr(db_error(db), "SQL syntax") != NULL);
	/* Strict mode: a too long value fails instead of being cut. */
	CU_ASSERT(db_exec(db, NULL, "INSERT INTO t_db_txn (v) VALUES (?)", "s",
			  "far more than twenty characters") == DB_ERROR);
	CU_ASSERT(db_ping(db) == DB_OK);
}

static void unreachable_server_is_db_gone(void)
{
	struct db_options o = opts;
	struct db *h;

	o.socket = "/nonexistent/hirelink.sock";
	h = db_open(&o);
	CU_ASSERT_FATAL(h != NULL);
	CU_ASSERT(db_ping(h) == DB_GONE);
	CU_ASSERT(db_exec(h, NULL, "SELECT 1", "") == DB_GONE);
	CU_ASSERT(strstr(db_error(h), "cannot connect") != NULL);
	CU_ASSERT(db_rollback(h) == DB_OK);
	db_close(h);
}

/* ---------------------------------------------------------- transactions */

static void commit_makes_rows_visible_rollback_discards_them(void)
{
	const char *count = "SELECT COUNT(*) FROM t_db_txn WHERE v = ?";

	CU_ASSERT_FATAL(db_begin(db) == DB_OK);
	CU_ASSERT(db_in_transaction(db));
	CU_ASSERT(db_begin(db) == DB_ERROR); /* never nested */
	CU_ASSERT(db_exec(db, NULL, "INSERT INTO t_db_txn (v) VALUES (?)", "s",
			  "kept") == DB_OK);
	CU_ASSERT(count_rows(db, count, "kept") == 1);
	CU_ASSERT(count_rows(other, count, "kept") == 0);
	CU_ASSERT(db_commit(db) == DB_OK);
	CU_ASSERT(!db_in_transaction(db));
	CU_ASSERT(count_rows(other, count, "kept") == 1);

	CU_ASSERT_FATAL(db_begin(db) == DB_OK);
	CU_ASSERT(db_exec(db, NULL, "INSERT INTO t_db_txn (v) VALUES (?)", "s",
			  "dropped") == DB_OK);
	CU_ASSERT(db_rollback(db) == DB_OK);
	CU_ASSERT(!db_in_transaction(db));
	CU_ASSERT(count_rows(db, count, "dropped") == 0);
	CU_ASSERT(count_rows(other, count, "dropped") == 0);

	CU_ASSERT(db_commit(db) == DB_ERROR); /* nothing to commit */
	CU_ASSERT(db_rollback(db) == DB_OK);  /* harmless */
	arena_reset(a);
}

/* A transaction for db_transaction: counts its runs, adds a row and takes
 * the row other holds; on run release_on it first commits other, which
 * lets the row go.  fail_with (not DB_OK): fails so at once instead. */
struct txn_run {
	int runs, release_on, fail_with;
	int64_t held;
};

static int txn_run(struct db *h, struct arena *scratch, void *arg)
{
	struct txn_run *x = arg;
	if (++x->runs == x->release_on && db_commit(other) != DB_OK)
		return DB_ERROR;
	if (x->fail_with != DB_OK)
		return x->fail_with;
	int rc =
	    db_exec(h, NULL, "INSERT INTO t_db_txn (v) VALUES ('run')", "");
	if (rc == DB_OK)
		rc = db_exec(h, NULL,
			     "UPDATE t_db_txn SET v = 'taken' WHERE id = ?",
			     "i", x->held);
	return rc;
}

/* other begins and locks the row x->held. */
static void other_holds(struct txn_run *x)
{
	struct db_row r;
	CU_ASSERT_FATAL(db_begin(other) == DB_OK);
	CU_ASSERT_FATAL(db_query_row(other, a, &r,
				     "SELECT id FROM t_db_txn WHERE id = ? FOR "
				     "UPDATE",
				     "i", x->held) == DB_OK);
}

static void transaction_waiting_out_a_lock_runs_again(void)
{
	const char *count = "SELECT COUNT(*) FROM t_db_txn WHERE v = ?";
	struct txn_run x = {.release_on = 2};

	CU_ASSERT_FATAL(db_exec(db, NULL,
				"INSERT INTO t_db_txn (v) VALUES ('held')",
				"") == DB_OK);
	x.held = (int64_t)db_insert_id(db);
	CU_ASSERT_FATAL(db_exec(db, NULL,
				"SET SESSION innodb_lock_wait_timeout = 1",
				"") == DB_OK);

	/* The lock wait of the first run times out; the second finds the row
	 * free, and only its own row is left. */
	other_holds(&x);
	CU_ASSERT(db_transaction(db, txn_run, &x) == DB_OK);
	CU_ASSERT(x.runs == 2);
	CU_ASSERT(!db_in_transaction(db));
	CU_ASSERT(count_rows(other, count, "run") == 1);
	CU_ASSERT(count_rows(other, count, "taken") == 1);

	/* Held throughout: DB_TXN_RUNS runs, then DB_DEADLOCK, nothing
	 * written. */
	x = (struct txn_run){.held = x.held};
	other_holds(&x);
	CU_ASSERT(db_transaction(db, txn_run, &x) == DB_DEADLOCK);
	CU_ASSERT(x.runs == DB_TXN_RUNS);
	CU_ASSERT(!db_in_transaction(db));
	CU_ASSERT(db_rollback(other) == DB_OK);
	CU_ASSERT(count_rows(other, count, "run") == 1);

	/* Any other failure is the answer: one run, rolled back. */
	x = (struct txn_run){.held = x.held, .fail_with = DB_NOT_FOUND};
	CU_ASSERT(db_transaction(db, txn_run, &x) == DB_NOT_FOUND);
	CU_ASSERT(x.runs == 1);
	CU_ASSERT(!db_in_transaction(db));

	CU_ASSERT(db_exec(db, NULL,
			  "SET SESSION innodb_lock_wait_timeout = DEFAULT",
			  "") == DB_OK);
	arena_reset(a);
}

/* Statements this connection has executed (prepared), by the server's
 * count: the reading itself is one. */
static long long executions(void)
{
	struct db_row r;
	if (db_query_row(db, a, &r,
			 "SELECT VARIABLE_VALUE FROM "
			 "information_schema.SESSION_STATUS WHERE "
			 "VARIABLE_NAME = 'COM_STMT_EXECUTE'",
			 "") != DB_OK)
		return -1;
	return db_int(&r, 0);
}

/* A statement outside a transaction is a transaction of its own: one that
 * waits out a lock runs again as db_transaction() would run it, up to
 * DB_TXN_RUNS times; inside a transaction it is the transaction that runs
 * again, never the statement alone. */
static void statement_waiting_out_a_lock_runs_again(void)
{
	struct txn_run x = {0};
	CU_ASSERT_FATAL(db_exec(db, NULL,
				"INSERT INTO t_db_txn (v) VALUES ('held')",
				"") == DB_OK);
	x.held = (int64_t)db_insert_id(db);
	CU_ASSERT_FATAL(db_exec(db, NULL,
				"SET SESSION innodb_lock_wait_timeout = 1",
				"") == DB_OK);
	other_holds(&x);

	long long before = executions();
	CU_ASSERT(db_exec(db, NULL,
			  "UPDATE t_db_txn SET v = 'alone' WHERE id = ?", "i",
			  x.held) == DB_DEADLOCK);
	CU_ASSERT(executions() - before == DB_TXN_RUNS + 1);

	CU_ASSERT_FATAL(db_begin(db) == DB_OK);
	before = executions();
	CU_ASSERT(db_exec(db, NULL,
			  "UPDATE t_db_txn SET v = 'alone' WHERE id = ?", "i",
			  x.held) == DB_DEADLOCK);
	CU_ASSERT(executions() - before == 1 + 1);
	CU_ASSERT(db_rollback(db) == DB_OK);

	CU_ASSERT(db_rollback(other) == DB_OK);
	CU_ASSERT(db_exec(db, NULL,
			  "SET SESSION innodb_lock_wait_timeout = DEFAULT",
			  "") == DB_OK);
	arena_reset(a);
}

/* ---------------------------------------------------------- statement cache */

static void same_sql_is_prepared_once(void)
{
	unsigned long before = db_prepare_count(db);
	struct db_row r;

	for (int i = 0; i < 3; i++) {
		CU_ASSERT(db_query_row(db, a, &r, "SELECT 41 + ?", "i",
				       (int64_t)i) == DB_OK);
		CU_ASSERT(db_int(&r, 0) == 41 + i);
	}
	CU_ASSERT(db_prepare_count(db) == before + 1);
	arena_reset(a);
}

static void reused_buffer_with_other_sql_is_not_mistaken(void)
{
	char sql[32];
	struct db_row r;

	snprintf(sql, sizeof sql, "SELECT %d", 1);
	CU_ASSERT(db_query_row(db, a, &r, sql, "") == DB_OK);
	CU_ASSERT(db_int(&r, 0) == 1);
	snprintf(sql, sizeof sql, "SELECT %d", 2);
	CU_ASSERT(db_query_row(db, a, &r, sql, "") == DB_OK);
	CU_ASSERT(db_int(&r, 0) == 2);
	arena_reset(a);
}

static void full_cache_still_runs_statements(void)
{
	enum { N = 300 };
	char *sql[N];
	struct db *h = db_open(&opts);
	struct db_row r;
	unsigned long before;

	CU_ASSERT_FATAL(h != NULL);
	for (int i = 0; i < N; i++) {
		sql[i] = malloc(32);
		CU_ASSERT_FATAL(sql[i] != NULL);
		snprintf(sql[i], 32, "SELECT %d", i);
		CU_ASSERT(db_query_row(h, a, &r, sql[i], "") == DB_OK);
		CU_ASSERT(db_int(&r, 0) == i);
	}
	/* Beyond the cache's 256 slots, statements are prepared each time. */
	before = db_prepare_count(h);
	CU_ASSERT(db_query_row(h, a, &r, sql[N - 1], "") == DB_OK);
	CU_ASSERT(db_query_row(h, a, &r, sql[N - 1], "") == DB_OK);
	CU_ASSERT(db_prepare_count(h) == before + 2);
	before = db_prepare_count(h);
	CU_ASSERT(db_query_row(h, a, &r, sql[0], "") == DB_OK);
	CU_ASSERT(db_prepare_count(h) == before);
	for (int i = 0; i < N; i++)
		free(sql[i]);
	db_close(h);
	arena_reset(a);
}

/* ---------------------------------------------------------- reconnect */

static void killed_connection_is_replaced_outside_a_transaction(void)
{
	int64_t before, after;
	unsigned long prepared;

	before = connection_id(db);
	CU_ASSERT_FATAL(before > 0);
	prepared = db_prepare_count(db);
	CU_ASSERT_FATAL(db_exec(other, NULL, "KILL ?", "i", before) == DB_OK);
	/* The cached statement dies with the connection; the call
	 * reconnects, prepares it again and succeeds. */
	after = connection_id(db);
	CU_ASSERT_STRING_EQUAL(db_error(db), "");
	CU_ASSERT(after > 0);
	CU_ASSERT(after != before);
	CU_ASSERT(db_prepare_count(db) == prepared + 1);
	CU_ASSERT(db_exec(db, NULL, "INSERT INTO t_db_txn (v) VALUES (?)", "s",
			  "after kill") == DB_OK);
	arena_reset(a);
}

static void killed_connection_inside_a_transaction_is_db_gone(void)
{
	const char *count = "SELECT COUNT(*) FROM t_db_txn WHERE v = ?";
	struct db_row r;
	int64_t id;

	CU_ASSERT_FATAL(db_begin(db) == DB_OK);
	CU_ASSERT(db_exec(db, NULL, "INSERT INTO t_db_txn (v) VALUES (?)", "s",
			  "lost") == DB_OK);
	id = connection_id(db);
	CU_ASSERT_FATAL(db_exec(other, NULL, "KILL ?", "i", id) == DB_OK);

	CU_ASSERT(db_exec(db, NULL, "INSERT INTO t_db_txn (v) VALUES (?)", "s",
			  "lost too") == DB_GONE);
	/* Never half a transaction on a new connection: everything fails
	 * until the caller rolls back. */
	CU_ASSERT(db_in_transaction(db));
	CU_ASSERT(db_query_row(db, a, &r, "SELECT 1", "") == DB_GONE);
	CU_ASSERT(strstr(db_error(db), "roll it back") != NULL);
	CU_ASSERT(db_rollback(db) == DB_OK);
	CU_ASSERT(!db_in_transaction(db));

	/* The call after that works, and nothing of the lost transaction
	 * was kept. */
	CU_ASSERT(count_rows(db, count, "lost") == 0);
	CU_ASSERT(count_rows(db, count, "lost too") == 0);
	CU_ASSERT(connection_id(db) != id);

	/* Committing a lost transaction reports it lost. */
	CU_ASSERT_FATAL(db_begin(db) == DB_OK);
	CU_ASSERT_FATAL(
	    db_exec(other, NULL, "KILL ?", "i", connection_id(db)) == DB_OK);
	CU_ASSERT(db_exec(db, NULL, "INSERT INTO t_db_txn (v) VALUES (?)", "s",
			  "lost") == DB_GONE);
	CU_ASSERT(db_commit(db) == DB_GONE);
	CU_ASSERT(!db_in_transaction(db));
	CU_ASSERT(db_ping(db) == DB_OK);
	arena_reset(a);
}

static void begin_after_a_kill_reconnects(void)
{
	int64_t id = connection_id(db);

	CU_ASSERT_FATAL(db_exec(other, NULL, "KILL ?", "i", id) == DB_OK);
	CU_ASSERT(db_begin(db) == DB_OK);
	CU_ASSERT_STRING_EQUAL(db_error(db), "");
	CU_ASSERT(db_exec(db, NULL, "INSERT INTO t_db_txn (v) VALUES (?)", "s",
			  "fresh") == DB_OK);
	CU_ASSERT(db_commit(db) == DB_OK);
	CU_ASSERT(count_rows(other, "SELECT COUNT(*) FROM t_db_txn WHERE v = ?",
			     "fresh") == 1);
	arena_reset(a);
}

static void ping_reconnects_a_killed_connection(void)
{
	int64_t id = connection_id(db);

	CU_ASSERT_FATAL(db_exec(other, NULL, "KILL ?", "i", id) == DB_OK);
	CU_ASSERT(db_ping(db) == DB_OK);
	CU_ASSERT_STRING_EQUAL(db_error(db), "");
	CU_ASSERT(connection_id(db) != id);
	arena_reset(a);
}

/* ---------------------------------------------------------- migrations */

/* A scratch database of its own: the suite's database may hold the real
 * schema_migrations of other tests. */
#define MIGRATE_DB "hirelink_test_t_db_migrate"

static char mig_dir[64];

static int write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;
	int rc;

	snprintf(path, sizeof path, "%s/%s", mig_dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	rc = fputs(text, f) < 0 ? -1 : 0;
	return fclose(f) == 0 ? rc : -1;
}

static void remove_file(const char *name)
{
	char path[128];

	snprintf(path, sizeof path, "%s/%s", mig_dir, name);
	unlink(path);
}

static void migrations_apply_once_and_stop_at_a_broken_file(void)
{
	struct db_options o = opts;
	struct db *m;
	struct db_result res;

	snprintf(mig_dir, sizeof mig_dir, "/tmp/hl-t-db-XXXXXX");
	CU_ASSERT_FATAL(mkdtemp(mig_dir) != NULL);
	CU_ASSERT_FATAL(db_exec(db, NULL, "DROP DATABASE IF EXISTS " MIGRATE_DB,
				"") == DB_OK);
	CU_ASSERT_FATAL(db_exec(db, NULL, "CREATE DATABASE " MIGRATE_DB, "") ==
			DB_OK);
	o.name = MIGRATE_DB;
	m = db_open(&o);
	CU_ASSERT_FATAL(m != NULL);

	CU_ASSERT_FATAL(
	    write_file(
		"001_first.sql",
		"-- the first migration\n"
		"CREATE TABLE t_db_mig_a (\n"
		"\tid INT PRIMARY KEY,\n"
		"\tnote VARCHAR(50) NOT NULL DEFAULT ''\n"
		") ENGINE=InnoDB;\n"
		"\n"
		"INSERT INTO t_db_mig_a (id, note) VALUES (1, 'a;b');\n") == 0);
	CU_ASSERT_FATAL(
	    write_file("002_second.sql",
		       "   -- indented comment\n"
		       "CREATE TABLE t_db_mig_b (id INT PRIMARY KEY)"
		       " ENGINE=InnoDB;\r\n"
		       "\r\n"
		       "INSERT INTO t_db_mig_b VALUES (1),\n"
		       "  (2) ;  \n") == 0);
	/* Not migrations: ignored. */
	CU_ASSERT_FATAL(write_file("01_short.sql", "SELEC broken;\n") == 0);
	CU_ASSERT_FATAL(write_file("notes.txt", "SELEC broken;\n") == 0);

	CU_ASSERT(db_migrate(m, mig_dir) == DB_OK);
	CU_ASSERT(db_query(m, a, &res,
			   "SELECT version, name FROM schema_migrations "
			   "ORDER BY version",
			   "") == DB_OK);
	CU_ASSERT_FATAL(res.nrows == 2);
	CU_ASSERT_STRING_EQUAL(res.rows[0].v[1], "001_first.sql");
	CU_ASSERT(db_int(&res.rows[1], 0) == 2);
	CU_ASSERT(count_rows(m,
			     "SELECT COUNT(*) FROM t_db_mig_a WHERE note = ?",
			     "a;b") == 1);
	CU_ASSERT(count_rows(m, "SELECT COUNT(*) FROM t_db_mig_b", NULL) == 2);

	/* Again: nothing to do (the INSERTs would fail if re-run). */
	CU_ASSERT(db_migrate(m, mig_dir) == DB_OK);
	CU_ASSERT(
	    count_rows(m, "SELECT COUNT(*) FROM schema_migrations", NULL) == 2);

	/* A broken third file: named with its statement, not recorded. */
	CU_ASSERT_FATAL(
	    write_file("003_broken.sql",
		       "CREATE TABLE t_db_mig_c (id INT) "
		       "ENGINE=InnoDB;\n"
		       "INSERT INTO t_db_mig_missing VALUES (1);\n") == 0);
	CU_ASSERT(db_migrate(m, mig_dir) == DB_ERROR);
	CU_ASSERT(strstr(db_error(m), "/003_broken.sql: statement 2: ") !=
		  NULL);
	CU_ASSERT(strstr(db_error(m), "t_db_mig_missing") != NULL);
	CU_ASSERT(count_rows(m,
			     "SELECT COUNT(*) FROM schema_migrations "
			     "WHERE version = 3",
			     NULL) == 0);
	/* Its first statement stayed: MariaDB commits DDL at once. */
	CU_ASSERT(count_rows(m, "SELECT COUNT(*) FROM t_db_mig_c", NULL) == 0);

	/* Two files with one number: refused before anything runs. */
	remove_file("003_broken.sql");
	CU_ASSERT_FATAL(write_file("002_again.sql", "SELECT 1;\n") == 0);
	CU_ASSERT(db_migrate(m, mig_dir) == DB_ERROR);
	CU_ASSERT(strstr(db_error(m), "same number") != NULL);

	/* A missing directory is an error, not "nothing to do". */
	CU_ASSERT(db_migrate(m, "/nonexistent/sql") == DB_ERROR);

	db_close(m);
	CU_ASSERT(db_exec(db, NULL, "DROP DATABASE " MIGRATE_DB, "") == DB_OK);
	remove_file("001_first.sql");
	remove_file("002_second.sql");
	remove_file("002_again.sql");
	remove_file("01_short.sql");
	remove_file("notes.txt");
	CU_ASSERT(rmdir(mig_dir) == 0);
	arena_reset(a);
}

/* ---------------------------------------------------------- main */

static const struct test tests[] = {
    TEST(every_parameter_type_round_trips),
    TEST(null_parameters_come_back_as_null),
    TEST(empty_string_and_empty_blob_are_not_null),
    TEST(emoji_round_trips_in_utf8mb4),
    TEST(query_returns_every_row_in_order),
    TEST(a_text_query_gives_the_rows_a_prepared_one_does),
    TEST(query_row_takes_the_first_and_reports_none),
    TEST(arena_exhaustion_fails_cleanly),
    TEST(duplicate_key_is_db_duplicate),
    TEST(parameter_count_mismatch_is_db_error),
    TEST(bad_sql_is_db_error_with_the_reason),
    TEST(unreachable_server_is_db_gone),
    TEST(commit_makes_rows_visible_rollback_discards_them),
    TEST(transaction_waiting_out_a_lock_runs_again),
    TEST(statement_waiting_out_a_lock_runs_again),
    TEST(same_sql_is_prepared_once),
    TEST(reused_buffer_with_other_sql_is_not_mistaken),
    TEST(full_cache_still_runs_statements),
    TEST(killed_connection_is_replaced_outside_a_transaction),
    TEST(killed_connection_inside_a_transaction_is_db_gone),
    TEST(begin_after_a_kill_reconnects),
    TEST(ping_reconnects_a_killed_connection),
    TEST(migrations_apply_once_and_stop_at_a_broken_file),
};

int main(void)
{
	static const struct suite suites[] = {
	    SUITE("db", suite_init, suite_cleanup, tests),
	};

	if (!getenv("HIRELINK_TEST_DB_SOCKET")) {
		fprintf(stderr, "test_db: set HIRELINK_TEST_DB_SOCKET to the "
				"unix socket of a scratch MariaDB\n");
		return 2;
	}
	return suite_run(suites, ARRAY_LEN(suites));
}
