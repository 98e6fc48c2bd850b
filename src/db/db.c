/*
 * db.c - MariaDB access for one thread: lazy connect, a cache of prepared
 * statements, typed parameters, rows copied into an arena, transactions
 * (run again after a deadlock: db_transaction) and a careful reconnect.
 *
 * How the parts fit: db_exec(), db_query() and db_query_row() turn the type
 * string into MYSQL_BINDs once (struct call), then run() executes the call,
 * at most twice (see should_retry()): connect if needed, find or prepare the
 * statement, execute, copy the rows out.  Every failure goes through
 * db_fail(), which keeps the message, classifies the error number and drops
 * a dead connection together with its statements, so the next call starts
 * on a fresh connection; public functions log once on the way out with
 * db_report().
 *
 * Connector/C's own reconnect (MYSQL_OPT_RECONNECT) stays off: it would
 * silently continue a transaction's later statements on a new connection,
 * outside the transaction.  We reconnect ourselves and refuse to do so in
 * the middle of a transaction (struct db's txn_lost).
 */
#include <errmsg.h>
#include <mysqld_error.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"

/* Bytes bound per column for fetching.  Most values (ids, names, dates)
 * fit; longer ones are fetched again straight into their arena copy. */
#define DB_COLUMN_BUF 256

static pthread_once_t library_once = PTHREAD_ONCE_INIT;

/* mysql_init() initialises the library on first use, which is not
 * thread-safe; worker threads open their handles concurrently. */
static void library_init(void)
{
	if (mysql_library_init(0, NULL, NULL))
		log_error("cannot initialise the mariadb client library");
}

/* ---------------------------------------------------------------- errors */

void db_sql_excerpt(char *out, size_t n, const char *sql)
{
	size_t o = 0;
	bool space = false;

	if (n == 0)
		return;
	for (; *sql && o + 1 < n; sql++) {
		if (*sql == ' ' || *sql == '\t' || *sql == '\n' ||
		    *sql == '\r') {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < n)
			out[o++] = ' ';
		space = false;
		out[o++] = *sql;
	}
	out[o] = '\0';
	if (*sql && n > 4)
		memcpy(out + n - 4, "...", 4);
}

static int classify(unsigned errnum)
{
	switch (errnum) {
	case ER_DUP_ENTRY:
	case ER_DUP_ENTRY_WITH_KEY_NAME:
	case ER_DUP_KEY:
		return DB_DUPLICATE;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
		return DB_DEADLOCK;
	/* The client lost the server, or the server dropped us: killed,
	 * shutting down, or a network error it noticed first. */
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_IPSOCK_ERROR:
	case CR_UNKNOWN_HOST:
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_HANDSHAKE_ERR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case CR_ERR_NET_READ:
	case CR_ERR_NET_WRITE:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case ER_NORMAL_SHUTDOWN:
	case ER_SHUTDOWN_COMPLETE:
	case ER_CON_COUNT_ERROR:
	case ER_NET_READ_ERROR:
	case ER_NET_READ_INTERRUPTED:
	case ER_NET_ERROR_ON_WRITE:
	case ER_NET_WRITE_INTERRUPTED:
	case ER_NET_PACKETS_OUT_OF_ORDER:
		return DB_GONE;
	default:
		return DB_ERROR;
	}
}

int db_fail(struct db *db, unsigned errnum, const char *msg, const char *what,
	    ...)
{
	va_list ap;
	int n, status;

	va_start(ap, what);
	n = vsnprintf(db->err, sizeof db->err, what, ap);
	va_end(ap);
	if (msg && n >= 0 && (size_t)n < sizeof db->err)
		snprintf(db->err + n, sizeof db->err - (size_t)n, ": %s", msg);
	db->errnum = errnum;
	status = errnum ? classify(errnum) : DB_ERROR;
	if (status == DB_GONE)
		db_disconnect(db);
	return status;
}

int db_report(struct db *db, int status)
{
	if (status != DB_OK && status != DB_DUPLICATE && status != DB_NOT_FOUND)
		log_error("%s", db->err);
	return status;
}

static void clear_error(struct db *db)
{
	db->errnum = 0;
	db->err[0] = '\0';
}

/* Records the error of a failed call on stmt (or, when the statement has
 * none, on the connection). */
static int stmt_fail(struct db *db, MYSQL_STMT *stmt, const char *sql,
		     const char *what)
{
	char ex[80];
	unsigned e = mysql_stmt_errno(stmt);
	const char *m = mysql_stmt_error(stmt);

	if (e == 0 && db->mysql) {
		e = mysql_errno(db->mysql);
		m = mysql_error(db->mysql);
	}
	db_sql_excerpt(ex, sizeof ex, sql);
	return db_fail(db, e, m, "%s \"%s\"", what, ex);
}

/* ---------------------------------------------------------------- handle */

static char *dup_opt(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

static void free_opts(struct db_options *o)
{
	free((char *)o->host);
	free((char *)o->socket);
	free((char *)o->user);
	if (o->password)
		explicit_bzero((char *)o->password, strlen(o->password));
	free((char *)o->password);
	free((char *)o->name);
}

struct db *db_open(const struct db_options *o)
{
	struct db *db;
	bool oom = false;

	pthread_once(&library_once, library_init);
	db = calloc(1, sizeof *db);
	if (!db)
		return NULL;
	db->opt = *o;
	db->opt.host = dup_opt(o->host, &oom);
	db->opt.socket = dup_opt(o->socket, &oom);
	db->opt.user = dup_opt(o->user, &oom);
	db->opt.password = dup_opt(o->password, &oom);
	db->opt.name = dup_opt(o->name, &oom);
	if (oom) {
		free_opts(&db->opt);
		free(db);
		return NULL;
	}
	if (db->opt.connect_timeout_s == 0)
		db->opt.connect_timeout_s = 2;
	if (db->opt.read_timeout_s == 0)
		db->opt.read_timeout_s = 10;
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	db_disconnect(db);
	free_opts(&db->opt);
	free(db);
}

const char *db_error(const struct db *db)
{
	return db->err;
}

unsigned db_errno(const struct db *db)
{
	return db->errnum;
}

uint64_t db_insert_id(const struct db *db)
{
	return db->insert_id;
}

unsigned long db_prepare_count(const struct db *db)
{
	return db->prepare_count;
}

bool db_in_transaction(const struct db *db)
{
	return db->in_txn;
}

int64_t db_int(const struct db_row *row, size_t i)
{
	if (!row || !row->v[i])
		return 0;
	return strtoll(row->v[i], NULL, 10);
}

/* ------------------------------------------------------------ connection */

/* Fixed session settings, the same on every connection: strict types (no
 * silent truncation or zero dates), UTC, and READ COMMITTED so a
 * transaction sees rows committed by others after it started, which is
 * what a web request expects. */
static const char *const session_sql[] = {
    "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
    "NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO', "
    "time_zone = '+00:00'",
    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
};

static const char *server_name(const struct db *db, char *out, size_t n)
{
	if (db->opt.host && db->opt.host[0])
		snprintf(out, n, "%s:%u", db->opt.host, db->opt.port);
	else
		snprintf(out, n, "%s", db->opt.socket ? db->opt.socket : "");
	return out;
}

int db_connect(struct db *db)
{
	MYSQL *m;
	unsigned ct = db->opt.connect_timeout_s, rt = db->opt.read_timeout_s;
	my_bool off = 0, on = 1;
	const char *host = db->opt.host;
	char where[300];
	int rc = DB_OK;

	if (db->mysql)
		return DB_OK;
	m = mysql_init(NULL);
	if (!m)
		return db_fail(db, 0, NULL,
			       "cannot connect to mariadb: out of memory");
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rt);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rt);
	mysql_options(m, MYSQL_OPT_RECONNECT, &off);
	mysql_options(m, MYSQL_REPORT_DATA_TRUNCATION, &on);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (host && !host[0])
		host = NULL;
	if (!mysql_real_connect(m, host, db->opt.user, db->opt.password,
				db->opt.name, db->opt.port,
				host ? NULL : db->opt.socket, 0)) {
		/* Whatever the reason (down, refused, bad password), the
		 * caller can only answer "unavailable" and try later. */
		db_fail(db, mysql_errno(m), mysql_error(m),
			"cannot connect to mariadb at %s",
			server_name(db, where, sizeof where));
		rc = DB_GONE;
		goto out;
	}
	for (size_t i = 0; i < ARRAY_LEN(session_sql); i++) {
		if (mysql_real_query(m, session_sql[i],
				     strlen(session_sql[i]))) {
			rc = db_fail(db, mysql_errno(m), mysql_error(m),
				     "cannot set up the session (%s)",
				     session_sql[i]);
			goto out;
		}
	}
	db->mysql = m;
	m = NULL;
out:
	if (m)
		mysql_close(m);
	return rc;
}

void db_disconnect(struct db *db)
{
	if (!db->mysql)
		return;
	/* Closing the connection first detaches the statements from it, so
	 * closing them afterwards frees memory without sending anything
	 * down a socket that may be dead. */
	mysql_close(db->mysql);
	db->mysql = NULL;
	for (size_t i = 0; i < DB_STMT_CACHE_SIZE; i++) {
		struct db_stmt_slot *s = &db->stmts[i];

		if (s->stmt)
			mysql_stmt_close(s->stmt);
		free(s->sql);
		s->key = NULL;
		s->sql = NULL;
		s->stmt = NULL;
	}
	if (db->in_txn)
		db->txn_lost = true;
}

int db_ping(struct db *db)
{
	int rc;

	clear_error(db);
	if (db->mysql && mysql_ping(db->mysql)) {
		rc = db_fail(db, mysql_errno(db->mysql), mysql_error(db->mysql),
			     "cannot ping mariadb");
		if (rc != DB_GONE)
			return db_report(db, DB_GONE);
		log_warn("%s; reconnecting", db->err);
	}
	rc = db_connect(db);
	if (rc == DB_OK)
		clear_error(db);
	return db_report(db, rc == DB_OK ? DB_OK : DB_GONE);
}

/*
 * A call that failed with DB_GONE is run once more, on a new connection,
 * when all of these hold:
 *  - no transaction is open: its earlier statements died with the old
 *    connection, and running the rest outside it would commit half of it;
 *  - the connection was an old one: when a new one fails right away the
 *    server is down, and a second attempt only doubles the wait;
 *  - the statement had not been executed: a SELECT whose rows were lost
 *    half-way is cheap to redo, but an executed INSERT is not;
 *  - it failed fast: a statement that ran into the read timeout may still
 *    be running on the server, and a second copy only adds to the load.
 * The case this is for is the first statement after MariaDB restarted,
 * sent on a connection the old server closed: it never reached a server
 * able to run it.  What remains is the narrow window in which a server
 * executes and commits an autocommit statement and dies before replying;
 * no client can tell that from a statement that never ran.
 */
static bool should_retry(const struct db *db, int rc, int attempt, bool fresh,
			 bool executed, int64_t started_us)
{
	int64_t half_timeout_us = (int64_t)db->opt.read_timeout_s * 500000;

	return rc == DB_GONE && attempt == 0 && !fresh && !executed &&
	       !db->in_txn && time_mono_us() - started_us < half_timeout_us;
}

/* Runs fixed SQL without parameters or results (START TRANSACTION, COMMIT,
 * ROLLBACK), with the same retry rule as statements when may_retry. */
static int simple_query(struct db *db, const char *sql, bool may_retry)
{
	for (int attempt = 0;; attempt++) {
		bool fresh = db->mysql == NULL;
		int64_t t0 = time_mono_us();
		int rc = db_connect(db);

		if (rc != DB_OK)
			return rc;
		if (mysql_real_query(db->mysql, sql, strlen(sql)) == 0)
			return DB_OK;
		rc = db_fail(db, mysql_errno(db->mysql), mysql_error(db->mysql),
			     "cannot run %s", sql);
		if (!may_retry ||
		    !should_retry(db, rc, attempt, fresh, false, t0))
			return rc;
		log_warn("%s; reconnecting and trying again", db->err);
	}
}

/* ------------------------------------------------------------ statements */

static size_t slot_hash(const char *key)
{
	/* Fibonacci hashing: the high half of the product mixes every bit
	 * of the pointer, whose low bits are mostly alignment. */
	uint64_t h = (uint64_t)(uintptr_t)key * UINT64_C(0x9E3779B97F4A7C15);

	return (size_t)(h >> 32) & (DB_STMT_CACHE_SIZE - 1);
}

/*
 * Finds the prepared statement for sql or prepares it.  The cache is keyed
 * by the pointer, since callers pass string literals, and confirmed by the
 * text, so a buffer reused for other SQL is never mistaken for the old one.
 * *cached false: the cache is full and the caller closes *out after use.
 */
static int stmt_get(struct db *db, const char *sql, MYSQL_STMT **out,
		    bool *cached)
{
	struct db_stmt_slot *free_slot = NULL;
	size_t h = slot_hash(sql);
	MYSQL_STMT *st;
	int rc;

	*out = NULL;
	*cached = false;
	for (size_t i = 0; i < DB_STMT_CACHE_SIZE; i++) {
		struct db_stmt_slot *s =
		    &db->stmts[(h + i) & (DB_STMT_CACHE_SIZE - 1)];

		if (!s->stmt) {
			free_slot = s;
			break;
		}
		if (s->key == sql && strcmp(s->sql, sql) == 0) {
			*out = s->stmt;
			*cached = true;
			return DB_OK;
		}
	}

	st = mysql_stmt_init(db->mysql);
	if (!st)
		return db_fail(db, 0, NULL,
			       "cannot prepare statement: out of memory");
	if (mysql_stmt_prepare(st, sql, strlen(sql))) {
		rc = stmt_fail(db, st, sql, "cannot prepare statement");
		mysql_stmt_close(st);
		return rc;
	}
	db->prepare_count++;
	if (free_slot) {
		free_slot->sql = strdup(sql);
		if (free_slot->sql) {
			free_slot->key = sql;
			free_slot->stmt = st;
			*cached = true;
		}
	}
	*out = st;
	return DB_OK;
}

/* One parameter's value, where its MYSQL_BIND points. */
struct param {
	union {
		int64_t i;
		uint64_t u;
		double d;
	} num;
	unsigned long len;
	my_bool is_null;
};

/* One call of db_exec/db_query/db_query_row, kept so it can be run twice. */
struct call {
	const char *sql;
	size_t nparams;
	MYSQL_BIND *bind; /* nparams entries, pointing into val */
	struct param *val;
	struct arena *arena; /* where rows go; NULL: discard them */
	size_t max_rows;     /* 0 = all */
	bool want_names;
	bool text; /* db_query_text: sent as text, without parameters */
	struct db_result res;
	uint64_t affected;
};

/* Reads the variadic arguments described by types into c.  Must run
 * before anything can fail and retry: a va_list is read once. */
static int call_params(struct db *db, struct call *c, const char *types,
		       va_list ap)
{
	size_t n = types ? strlen(types) : 0;
	char ex[80];

	if (n == 0)
		return DB_OK;
	c->bind = calloc(n, sizeof *c->bind);
	c->val = calloc(n, sizeof *c->val);
	if (!c->bind || !c->val)
		return db_fail(db, 0, NULL,
			       "cannot bind parameters: out of memory");
	for (size_t i = 0; i < n; i++) {
		MYSQL_BIND *b = &c->bind[i];
		struct param *p = &c->val[i];
		const void *v;

		b->is_null = &p->is_null;
		b->length = &p->len;
		/* a number's own copy; a string or a blob is bound in place */
		b->buffer = &p->num;
		switch (types[i]) {
		case 'i':
			p->num.i = va_arg(ap, int64_t);
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			break;
		case 'u':
			p->num.u = va_arg(ap, uint64_t);
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->is_unsigned = 1;
			break;
		case 'd':
			p->num.d = va_arg(ap, double);
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			break;
		case 's':
			v = va_arg(ap, const char *);
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = (void *)v;
			p->len = v ? (unsigned long)strlen(v) : 0;
			p->is_null = v == NULL;
			b->buffer_length = p->len;
			break;
		case 'b':
			v = va_arg(ap, const void *);
			p->len = (unsigned long)va_arg(ap, size_t);
			b->buffer_type = MYSQL_TYPE_BLOB;
			b->buffer = (void *)v;
			p->is_null = v == NULL;
			if (!v)
				p->len = 0;
			b->buffer_length = p->len;
			break;
		default:
			db_sql_excerpt(ex, sizeof ex, c->sql);
			return db_fail(db, 0, NULL,
				       "cannot bind parameters of \"%s\": "
				       "unknown type '%c' in \"%s\"",
				       ex, types[i], types);
		}
	}
	c->nparams = n;
	return DB_OK;
}

static void call_free(struct call *c)
{
	free(c->bind);
	free(c->val);
}

/* Fetch buffers of one column: where its MYSQL_BIND points. */
struct column {
	unsigned long len;
	my_bool is_null;
	my_bool error;
	char buf[DB_COLUMN_BUF];
};

/* Copies column j of the current row into the arena, NUL-terminated. */
static int copy_column(struct db *db, MYSQL_STMT *stmt, struct call *c,
		       struct column *col, unsigned j, char **v, size_t *len)
{
	MYSQL_BIND whole;
	unsigned long got = 0;
	size_t n = col->len;
	char ex[80];
	char *p;

	*v = NULL;
	*len = 0;
	if (col->is_null)
		return DB_OK;
	p = arena_alloc(c->arena, n + 1);
	if (!p)
		goto oom;
	if (n <= DB_COLUMN_BUF) {
		memcpy(p, col->buf, n);
	} else {
		/* It was truncated: fetch it again, whole, straight into
		 * its final place. */
		memset(&whole, 0, sizeof whole);
		whole.buffer_type = MYSQL_TYPE_STRING;
		whole.buffer = p;
		whole.buffer_length = n + 1;
		whole.length = &got;
		if (mysql_stmt_fetch_column(stmt, &whole, j, 0))
			return stmt_fail(db, stmt, c->sql,
					 "cannot fetch a long value of");
	}
	p[n] = '\0';
	*v = p;
	*len = n;
	return DB_OK;
oom:
	db_sql_excerpt(ex, sizeof ex, c->sql);
	return db_fail(db, 0, NULL, "cannot copy rows of \"%s\": out of memory",
		       ex);
}

/* Copies the result set of an executed statement into c->res. */
static int fetch_rows(struct db *db, MYSQL_STMT *stmt, struct call *c)
{
	size_t ncols = mysql_stmt_field_count(stmt), nrows, i = 0;
	MYSQL_BIND *bind = NULL;
	struct column *cols = NULL;
	struct db_row *rows = NULL;
	struct arena *a = c->arena;
	char ex[80];
	int rc = DB_OK, r;

	if (mysql_stmt_store_result(stmt))
		return stmt_fail(db, stmt, c->sql, "cannot read rows of");
	if (!a)
		return DB_OK; /* db_exec: consumed, not wanted */

	if (c->want_names) {
		MYSQL_RES *meta = mysql_stmt_result_metadata(stmt);
		MYSQL_FIELD *f;

		if (!meta)
			return stmt_fail(db, stmt, c->sql,
					 "cannot read the columns of");
		f = mysql_fetch_fields(meta);
		c->res.names = arena_calloc(a, ncols, sizeof *c->res.names);
		for (size_t j = 0; c->res.names && j < ncols; j++) {
			c->res.names[j] = arena_strdup(a, f[j].name);
			if (!c->res.names[j])
				c->res.names = NULL;
		}
		mysql_free_result(meta);
		if (!c->res.names)
			goto oom;
	}

	bind = calloc(ncols, sizeof *bind);
	cols = calloc(ncols, sizeof *cols);
	if (!bind || !cols)
		goto oom;
	/* Every column as a string: MariaDB converts numbers and dates,
	 * and the caller gets one representation for all of them. */
	for (size_t j = 0; j < ncols; j++) {
		bind[j].buffer_type = MYSQL_TYPE_STRING;
		bind[j].buffer = cols[j].buf;
		bind[j].buffer_length = DB_COLUMN_BUF;
		bind[j].length = &cols[j].len;
		bind[j].is_null = &cols[j].is_null;
		bind[j].error = &cols[j].error;
	}
	if (mysql_stmt_bind_result(stmt, bind)) {
		rc = stmt_fail(db, stmt, c->sql, "cannot bind the columns of");
		goto out;
	}

	nrows = (size_t)mysql_stmt_num_rows(stmt);
	if (c->max_rows && nrows > c->max_rows)
		nrows = c->max_rows;
	if (nrows > 0) {
		rows = arena_calloc(a, nrows, sizeof *rows);
		if (!rows)
			goto oom;
	}
	for (i = 0; i < nrows; i++) {
		r = mysql_stmt_fetch(stmt);
		if (r == MYSQL_NO_DATA)
			break;
		if (r != 0 && r != MYSQL_DATA_TRUNCATED) {
			rc = stmt_fail(db, stmt, c->sql,
				       "cannot fetch a row of");
			goto out;
		}
		rows[i].v = arena_calloc(a, ncols, sizeof *rows[i].v);
		rows[i].len = arena_calloc(a, ncols, sizeof *rows[i].len);
		if (ncols > 0 && (!rows[i].v || !rows[i].len))
			goto oom;
		for (size_t j = 0; j < ncols; j++) {
			rc = copy_column(db, stmt, c, &cols[j], (unsigned)j,
					 &rows[i].v[j], &rows[i].len[j]);
			if (rc != DB_OK)
				goto out;
		}
	}
	c->res.nrows = i;
	c->res.ncols = ncols;
	c->res.rows = rows;
	goto out;
oom:
	db_sql_excerpt(ex, sizeof ex, c->sql);
	rc = db_fail(db, 0, NULL, "cannot copy rows of \"%s\": out of memory",
		     ex);
out:
	free(bind);
	free(cols);
	return rc;
}

/* One attempt at a call of db_query_text: the statement as text, its
 * rows copied into the call's arena. */
static int run_text(struct db *db, struct call *c, bool *executed)
{
	struct arena *a = c->arena;
	char ex[80];
	MYSQL_RES *r = NULL;
	MYSQL_ROW row;
	if (mysql_real_query(db->mysql, c->sql, strlen(c->sql)))
		goto fail;
	*executed = true;
	if (!(r = mysql_store_result(db->mysql)))
		goto fail;
	size_t ncols = mysql_num_fields(r), nrows = mysql_num_rows(r), n = 0;
	struct db_row *rows = arena_calloc(a, nrows ? nrows : 1, sizeof *rows);
	while (rows && n < nrows && (row = mysql_fetch_row(r))) {
		unsigned long *len = mysql_fetch_lengths(r);
		struct db_row *o = &rows[n++];
		o->v = arena_calloc(a, ncols ? ncols : 1, sizeof *o->v);
		o->len = arena_calloc(a, ncols ? ncols : 1, sizeof *o->len);
		for (size_t j = 0; o->v && o->len && j < ncols; j++) {
			o->len[j] = row[j] ? len[j] : 0;
			if (row[j] && !(o->v[j] = arena_strndup(a, row[j],
								len[j])))
				o->v = NULL;
		}
		if (!o->v || !o->len)
			rows = NULL;
	}
	mysql_free_result(r);
	if (!rows) {
		db_sql_excerpt(ex, sizeof ex, c->sql);
		return db_fail(db, 0, NULL,
			       "cannot copy rows of \"%s\": out of memory", ex);
	}
	c->res = (struct db_result){.nrows = n, .ncols = ncols, .rows = rows};
	return DB_OK;
fail:
	db_sql_excerpt(ex, sizeof ex, c->sql);
	return db_fail(db, mysql_errno(db->mysql), mysql_error(db->mysql),
		       "cannot run \"%s\"", ex);
}

/* One attempt at a call.  *executed tells run() whether the server has
 * already run the statement. */
static int run_once(struct db *db, struct call *c, bool *executed)
{
	MYSQL_STMT *stmt = NULL;
	bool cached = false;
	char ex[80];
	int rc;

	rc = db_connect(db);
	if (rc != DB_OK)
		return rc;
	if (c->text)
		return run_text(db, c, executed);
	rc = stmt_get(db, c->sql, &stmt, &cached);
	if (rc != DB_OK)
		return rc;
	if (mysql_stmt_param_count(stmt) != c->nparams) {
		/* A programming error: say so loudly, run nothing. */
		db_sql_excerpt(ex, sizeof ex, c->sql);
		rc = db_fail(db, 0, NULL,
			     "cannot run \"%s\": it has %lu '?', "
			     "the type string %zu",
			     ex, mysql_stmt_param_count(stmt), c->nparams);
		goto out;
	}
	if (c->nparams > 0 && mysql_stmt_bind_param(stmt, c->bind)) {
		rc = stmt_fail(db, stmt, c->sql, "cannot bind parameters of");
		goto out;
	}
	if (mysql_stmt_execute(stmt)) {
		rc = stmt_fail(db, stmt, c->sql, "cannot execute");
		goto out;
	}
	*executed = true;
	db->insert_id = mysql_stmt_insert_id(stmt);
	c->affected = mysql_stmt_affected_rows(stmt);
	c->res = (struct db_result){0};
	if (mysql_stmt_field_count(stmt) > 0)
		rc = fetch_rows(db, stmt, c);
out:
	if (!db->mysql) {
		/* Disconnected: the cache closed its statements already. */
		if (!cached)
			mysql_stmt_close(stmt);
		return rc;
	}
	/* Leaves a cached statement ready for its next use. */
	mysql_stmt_free_result(stmt);
	if (rc != DB_OK)
		mysql_stmt_reset(stmt);
	if (!cached)
		mysql_stmt_close(stmt);
	return rc;
}

static int run(struct db *db, struct call *c)
{
	char ex[80];
	int rc;

	if (db->txn_lost) {
		db_sql_excerpt(ex, sizeof ex, c->sql);
		db_fail(db, 0, NULL,
			"cannot run \"%s\": the connection was lost inside "
			"a transaction, roll it back first",
			ex);
		return DB_GONE;
	}
	for (int attempt = 0, runs = 1;; attempt++) {
		bool fresh = db->mysql == NULL, executed = false;
		int64_t t0 = time_mono_us();

		rc = run_once(db, c, &executed);
		/* A statement outside a transaction is one of its own, and
		 * InnoDB rolled it back whole: it runs again as
		 * db_transaction() runs a transaction, so every writer has
		 * the same retry whether it wrote one statement or many. */
		if (rc == DB_DEADLOCK && !db->in_txn && !executed &&
		    runs < DB_TXN_RUNS) {
			runs++;
			attempt--;
			log_warn("%s; running it again", db->err);
			continue;
		}
		if (!should_retry(db, rc, attempt, fresh, executed, t0))
			break;
		log_warn("%s; reconnecting and trying again", db->err);
	}
	if (rc == DB_OK)
		clear_error(db); /* of a first attempt */
	return rc;
}

/* What db_exec, db_query and db_query_row share: binds the parameters
 * that types describes in ap and runs the statement of c, whose result
 * stays in c until call_free(). */
static int call_run(struct db *db, struct call *c, const char *types,
		    va_list ap)
{
	int rc;

	clear_error(db);
	rc = call_params(db, c, types, ap);
	if (rc == DB_OK)
		rc = run(db, c);
	return rc;
}

int db_exec(struct db *db, uint64_t *affected, const char *sql,
	    const char *types, ...)
{
	struct call c = {.sql = sql};
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = call_run(db, &c, types, ap);
	va_end(ap);
	if (rc == DB_OK && affected)
		*affected = c.affected;
	call_free(&c);
	return db_report(db, rc);
}

int db_query(struct db *db, struct arena *a, struct db_result *out,
	     const char *sql, const char *types, ...)
{
	struct call c = {.sql = sql, .arena = a, .want_names = true};
	va_list ap;
	int rc;

	*out = (struct db_result){0};
	va_start(ap, types);
	rc = call_run(db, &c, types, ap);
	va_end(ap);
	if (rc == DB_OK)
		*out = c.res;
	call_free(&c);
	return db_report(db, rc);
}

int db_query_text(struct db *db, struct arena *a, struct db_result *out,
		  const char *sql)
{
	struct call c = {.sql = sql, .arena = a, .text = true};
	clear_error(db);
	int rc = run(db, &c);
	*out = rc == DB_OK ? c.res : (struct db_result){0};
	call_free(&c);
	return db_report(db, rc);
}

int db_query_row(struct db *db, struct arena *a, struct db_row *row,
		 const char *sql, const char *types, ...)
{
	struct call c = {.sql = sql, .arena = a, .max_rows = 1};
	char ex[80];
	va_list ap;
	int rc;

	*row = (struct db_row){0};
	va_start(ap, types);
	rc = call_run(db, &c, types, ap);
	va_end(ap);
	if (rc == DB_OK && c.res.nrows == 0) {
		db_sql_excerpt(ex, sizeof ex, sql);
		snprintf(db->err, sizeof db->err, "no row from \"%s\"", ex);
		rc = DB_NOT_FOUND;
	}
	if (rc == DB_OK)
		*row = c.res.rows[0];
	call_free(&c);
	return db_report(db, rc);
}

/* ---------------------------------------------------------- transactions */

int db_begin(struct db *db)
{
	int rc;

	clear_error(db);
	/* The server discarded a lost transaction already; the caller only
	 * missed its db_rollback(). */
	if (db->txn_lost)
		db->in_txn = db->txn_lost = false;
	/* START TRANSACTION would commit the open one: never do that. */
	if (db->in_txn)
		return db_report(db, db_fail(db, 0, NULL,
					     "cannot begin a transaction: "
					     "one is already open"));
	/* Not in a transaction yet, so a stale connection may be replaced. */
	rc = simple_query(db, "START TRANSACTION", true);
	if (rc == DB_OK) {
		db->in_txn = true;
		clear_error(db); /* of a first attempt */
	}
	return db_report(db, rc);
}

int db_commit(struct db *db)
{
	int rc;

	clear_error(db);
	if (!db->in_txn)
		return db_report(db, db_fail(db, 0, NULL,
					     "cannot commit: no transaction "
					     "is open"));
	if (db->txn_lost || !db->mysql) {
		db->in_txn = db->txn_lost = false;
		db_fail(db, 0, NULL,
			"cannot commit: the connection was lost inside the "
			"transaction");
		return db_report(db, DB_GONE);
	}
	rc = simple_query(db, "COMMIT", false);
	if (rc == DB_GONE) {
		/* The server may or may not have committed before it went. */
		snprintf(db->err, sizeof db->err, "%s",
			 "cannot commit, outcome unknown: connection lost");
	} else if (rc != DB_OK && db->mysql) {
		/* End the transaction whatever state the failure left. */
		mysql_real_query(db->mysql, "ROLLBACK", 8);
	}
	db->in_txn = db->txn_lost = false;
	return db_report(db, rc);
}

int db_transaction(struct db *db,
		   int (*fn)(struct db *db, struct arena *a, void *arg),
		   void *arg)
{
	struct arena *a = arena_new(4096);
	int rc = DB_DEADLOCK;
	if (!a)
		return DB_ERROR;
	for (int run = 0; rc == DB_DEADLOCK && run < DB_TXN_RUNS; run++) {
		arena_reset(a);
		rc = db_begin(db);
		if (rc == DB_OK) {
			rc = fn(db, a, arg);
			if (rc == DB_OK)
				rc = db_commit(db);
			else
				db_rollback(db);
		}
	}
	arena_free(a);
	return rc;
}

/* "<verb><name>" run inside the open transaction. */
static int savepoint_query(struct db *db, const char *verb, const char *name)
{
	char sql[96];
	size_t n = strlen(name);

	clear_error(db);
	if (!db->in_txn || db->txn_lost || !db->mysql)
		return db_report(db, db_fail(db, 0, NULL,
					     "cannot %s%s: no transaction is "
					     "open",
					     verb, name));
	if (n == 0 || n > 64 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz_") != n)
		return db_report(db, db_fail(db, 0, NULL,
					     "bad savepoint name"));
	snprintf(sql, sizeof sql, "%s%s", verb, name);
	int rc = simple_query(db, sql, false);
	if (rc == DB_GONE)
		db->txn_lost = true;
	return db_report(db, rc);
}

int db_savepoint(struct db *db, const char *name)
{
	return savepoint_query(db, "SAVEPOINT ", name);
}

int db_rollback_to_savepoint(struct db *db, const char *name)
{
	return savepoint_query(db, "ROLLBACK TO SAVEPOINT ", name);
}

/* Keeps the message of the failure that led here, unless rolling back
 * fails too: callers log db_error() after cleaning up. */
int db_rollback(struct db *db)
{
	bool lost = db->txn_lost;
	int rc;

	if (!db->in_txn)
		return DB_OK;
	db->in_txn = db->txn_lost = false;
	/* A connection that died took its transaction with it. */
	if (lost || !db->mysql)
		return DB_OK;
	rc = simple_query(db, "ROLLBACK", false);
	return db_report(db, rc);
}
