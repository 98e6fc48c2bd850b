/*
 * signin.c - sign-in throttling: whether a password may be tried now.
 *
 * A sign-in as an account (the email as typed) from an address (the
 * client's, REMOTE_ADDR) is counted three times in signin_counts
 * (sql/110_signin_throttle.sql): for the pair, for the account and for the
 * address.  Each count runs over login_window_seconds from its first
 * sign-in.  The rules:
 *
 *  1. Pair: an address may fail login_max_failures times at one account;
 *     then it is refused for that account until the pair's window ends.
 *  2. Address: an address may fail login_address_max_failures times over
 *     all accounts, ten times a pair's limit by default, so that an office
 *     behind one NAT address, or everyone behind one proxy, keeps signing
 *     in; and a failure followed by the right password does not count
 *     (rule 5), so a day of typos does not add up.
 *  3. Account: once an account has failed login_delay_after_failures
 *     times, from any addresses, it slows down: a pair that has itself
 *     failed within its window waits, after its own last try, 1 s,
 *     doubling with each further failure of the account, at most
 *     login_window_seconds.
 *  4. A pair without a failure in its window is never made to wait by
 *     rule 3.  However many addresses guess at an account, its owner signs
 *     in at once from an address that has not (their own), and an
 *     attacker gets one guess from each fresh address before the delays.
 *     The wait runs from the pair's own last try, not from the account's:
 *     a clock shared by all addresses is one an attacker can keep running
 *     by asking first whenever it opens, holding off an owner who mistyped
 *     once, which is a lock-out aimed at them.  No rule refuses for
 *     longer than the window, and a refused sign-in counts nothing, so
 *     asking again does not push the end further.
 *  5. A success clears the pair's failures and takes them off the
 *     account's and the address's: they were the owner's own typos.
 *
 * Atomic: a sign-in is counted in one short transaction before its
 * password is checked: it adds itself to `checking` on its three rows,
 * which locks them, reads the counts it made and is rolled back, counting
 * nothing, when they break a rule; a sign-in let through is committed.  So
 * of many parallel sign-ins on one pair no more reach the password check
 * than the limit allows; they queue on the pair's row for that moment
 * only, never across the argon2 check.  The outcome then moves the sign-in
 * from `checking` to `failures`, or clears the pair.  One whose outcome
 * never comes (the process died) stays in `checking` until its window
 * ends.  Every sign-in locks its rows in primary-key order (pair, account,
 * address); a deadlock with the clean-up's delete is still possible, and a
 * transaction InnoDB rolls back for it runs again (db_transaction).
 */
#include <stdio.h>

#include "ats/ats.h"

/* What a begin_run refused returns: not DB_OK, so the transaction is rolled
 * back, nor DB_DEADLOCK, so it is not run again. */
#define REFUSED 1

/* A sign-in and what its transaction found. */
struct signin {
	const char *email;
	char addr[65]; /* the address, cut to its column's length */
	const struct signin_limits *limits;
	bool ok;      /* ats_signin_end: the password was right */
	int64_t wait; /* begin_run: milliseconds to wait */
};

/* A sign-in's three rows, in primary-key order.  Parameters: email, addr,
 * email, addr. */
#define THREE_ROWS                                                             \
	"(scope = 'pair' AND email = ? AND remote_addr = ?) OR "               \
	"(scope = 'account' AND email = ? AND remote_addr = '') OR "           \
	"(scope = 'address' AND email = '' AND remote_addr = ?)"

/* One row's counts as the sign-in counting itself sees them. */
struct count {
	int64_t failures, checking;
	int64_t window_left_ms; /* until its window ends */
	int64_t since_prev_ms;	/* since the pair's previous try; -1: none */
};

/* Adds the sign-in to `checking` on its three rows, making them or
 * starting a new window where the old one has ended.  Every right-hand
 * side reads only columns not assigned before it, so the outcome is the
 * same whether MariaDB assigns left to right (its default) or all at
 * once. */
static int count_try(struct db *db, const char *email, const char *addr,
		     int window_s)
{
	return db_exec(
	    db, NULL,
	    "INSERT INTO signin_counts "
	    "(scope, email, remote_addr, checking, window_end, last_try) "
	    "VALUES ('pair', ?, ?, 1, NOW(3) + INTERVAL ? SECOND, NOW(3)), "
	    "('account', ?, '', 1, NOW(3) + INTERVAL ? SECOND, NOW(3)), "
	    "('address', '', ?, 1, NOW(3) + INTERVAL ? SECOND, NOW(3)) "
	    "ON DUPLICATE KEY UPDATE "
	    "failures = IF(window_end < NOW(3), 0, failures), "
	    "checking = IF(window_end < NOW(3), 0, checking) + 1, "
	    "prev_try = last_try, "
	    "window_end = "
	    "IF(window_end < NOW(3), VALUES(window_end), window_end), "
	    "last_try = NOW(3)",
	    "ssisisi", email, addr, (int64_t)window_s, email, (int64_t)window_s,
	    addr, (int64_t)window_s);
}

/* The three rows' counts into pair, account, address. */
static int read_counts(struct db *db, struct arena *a, const char *email,
		       const char *addr, struct count out[3])
{
	struct db_result res;
	int rc =
	    db_query(db, a, &res,
		     "SELECT scope + 0, failures, checking, "
		     "TIMESTAMPDIFF(MICROSECOND, NOW(3), window_end) DIV 1000, "
		     "TIMESTAMPDIFF(MICROSECOND, prev_try, NOW(3)) DIV 1000 "
		     "FROM signin_counts WHERE " THREE_ROWS,
		     "ssss", email, addr, email, addr);
	if (rc != DB_OK)
		return rc;
	if (res.nrows != 3)
		return DB_ERROR;
	for (size_t i = 0; i < 3; i++) {
		const struct db_row *r = &res.rows[i];
		int64_t scope = db_int(r, 0);
		if (scope < 1 || scope > 3)
			return DB_ERROR;
		out[scope - 1] = (struct count){
		    .failures = db_int(r, 1),
		    .checking = db_int(r, 2),
		    .window_left_ms = db_int(r, 3),
		    .since_prev_ms = r->v[4] ? db_int(r, 4) : -1,
		};
	}
	return DB_OK;
}

/* Rule 3's wait after an account's failures, in milliseconds. */
static int64_t account_delay_ms(int64_t failures, const struct signin_limits *l)
{
	if (failures < l->delay_after)
		return 0;
	int64_t doublings = failures - l->delay_after;
	int64_t s = doublings < 30 ? (int64_t)1 << doublings : l->window_s;
	return 1000 * (s < l->window_s ? s : l->window_s);
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* How long the sign-in the counts include must wait, in milliseconds (at
 * least 1 when a rule refuses it); 0 when none does. */
static int64_t wait_ms(const struct count *pair, const struct count *account,
		       const struct count *address,
		       const struct signin_limits *l)
{
	int64_t wait = 0;
	if (pair->failures + pair->checking > l->pair_max)
		wait = max64(wait, max64(1, pair->window_left_ms));
	if (address->failures + address->checking > l->address_max)
		wait = max64(wait, max64(1, address->window_left_ms));
	int64_t delay =
	    pair->failures ? account_delay_ms(account->failures, l) : 0;
	if (pair->since_prev_ms >= 0 && pair->since_prev_ms < delay)
		wait = max64(wait, delay - pair->since_prev_ms);
	return wait;
}

/* ats_signin_begin's transaction: REFUSED when a rule refuses the
 * sign-in. */
static int begin_run(struct db *db, struct arena *a, void *arg)
{
	struct signin *s = arg;
	struct count n[3];
	int rc = count_try(db, s->email, s->addr, s->limits->window_s);
	if (rc == DB_OK)
		rc = read_counts(db, a, s->email, s->addr, n);
	if (rc != DB_OK)
		return rc;
	s->wait = wait_ms(&n[0], &n[1], &n[2], s->limits);
	return s->wait ? REFUSED : DB_OK;
}

static void signin_init(struct signin *s, const char *email,
			const char *remote_addr,
			const struct signin_limits *limits, bool ok)
{
	*s = (struct signin){.email = email, .limits = limits, .ok = ok};
	snprintf(s->addr, sizeof(s->addr), "%s",
		 remote_addr ? remote_addr : "");
}

int ats_signin_begin(struct db *db, const char *email, const char *remote_addr,
		     const struct signin_limits *l, int *wait_s)
{
	struct signin s;
	signin_init(&s, email, remote_addr, l, false);
	int rc = db_transaction(db, begin_run, &s);
	*wait_s = rc == REFUSED ? (int)((s.wait + 999) / 1000) : 0;
	return rc == REFUSED ? DB_OK : rc;
}

/* Rule 5: the pair's failures come off the account's and the address's
 * counts and go. */
static int forgive(struct db *db, struct arena *a, const struct signin *s)
{
	struct db_row r;
	int64_t failures = 0;
	int rc = db_query_row(db, a, &r,
			      "SELECT failures FROM signin_counts WHERE "
			      "scope = 'pair' AND email = ? AND "
			      "remote_addr = ? FOR UPDATE",
			      "ss", s->email, s->addr);
	if (rc == DB_OK)
		failures = db_int(&r, 0);
	if (rc != DB_OK && rc != DB_NOT_FOUND)
		return rc;
	return db_exec(db, NULL,
		       "UPDATE signin_counts SET failures = IF(scope = "
		       "'pair', 0, failures - LEAST(failures, ?)), "
		       "checking = checking - LEAST(checking, 1) "
		       "WHERE " THREE_ROWS,
		       "issss", failures, s->email, s->addr, s->email, s->addr);
}

/* A failure counts for the pair, the account and the address. */
static int count_failure(struct db *db, const struct signin *s)
{
	return db_exec(db, NULL,
		       "UPDATE signin_counts SET failures = failures + 1, "
		       "checking = checking - LEAST(checking, 1) "
		       "WHERE " THREE_ROWS,
		       "ssss", s->email, s->addr, s->email, s->addr);
}

/* ats_signin_abandon's transaction: out of `checking`, counted nowhere. */
static int abandon_run(struct db *db, struct arena *a, void *arg)
{
	const struct signin *s = arg;
	return db_exec(db, NULL,
		       "UPDATE signin_counts SET "
		       "checking = checking - LEAST(checking, 1) "
		       "WHERE " THREE_ROWS,
		       "ssss", s->email, s->addr, s->email, s->addr);
}

/* ats_signin_end's transaction. */
static int end_run(struct db *db, struct arena *a, void *arg)
{
	const struct signin *s = arg;
	return s->ok ? forgive(db, a, s) : count_failure(db, s);
}

/* Rows whose window has ended count nothing; keep the table small.  A
 * clean-up that loses a deadlock is left to the next one. */
static int clean_up(struct db *db)
{
	int rc = db_exec(db, NULL,
			 "DELETE FROM signin_counts WHERE window_end < NOW(3) "
			 "LIMIT 100",
			 "");
	return rc == DB_DEADLOCK ? DB_OK : rc;
}

int ats_signin_abandon(struct db *db, const char *email,
		       const char *remote_addr)
{
	struct signin s;
	signin_init(&s, email, remote_addr, NULL, false);
	return db_transaction(db, abandon_run, &s);
}

int ats_signin_end(struct db *db, const char *email, const char *remote_addr,
		   bool ok)
{
	struct signin s;
	signin_init(&s, email, remote_addr, NULL, ok);
	int rc = db_transaction(db, end_run, &s);
	return rc == DB_OK ? clean_up(db) : rc;
}
