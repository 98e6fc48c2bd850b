/*
 * db.h - MariaDB access: one connection per thread, prepared statements
 * cached per connection, transactions, reconnect, migrations.
 *
 * Every statement is a prepared statement with bound parameters, but for
 * db_query_text's: a constant without parameters, sent as text where
 * MariaDB plans the prepared form worse; there is no function here that
 * takes SQL built from data.  Parameters are described by
 * a type string, one letter per '?':
 *   'i' int64_t      'u' uint64_t     'd' double
 *   's' const char * (NULL binds SQL NULL)
 *   'b' const void *, size_t   (blob: two arguments; NULL binds SQL NULL)
 * Results are copied into the caller's arena as NUL-terminated strings (NULL
 * for SQL NULL) so rows outlive the statement.
 *
 * Errors: functions return DB_OK (0) or a negative enum value and leave a
 * message in db_error(db).  DB_GONE means the server is unreachable: the
 * connection is dropped, the caller answers 503, and the next call
 * reconnects.
 */
#ifndef HIRELINK_DB_H
#define HIRELINK_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

enum db_status {
	DB_OK = 0,
	DB_ERROR = -1,       /* anything else; logged */
	DB_DUPLICATE = -2,   /* unique key violation (ER_DUP_ENTRY) */
	DB_GONE = -3,        /* server unreachable / connection lost */
	DB_DEADLOCK = -4,    /* deadlock or lock wait timeout: retry the txn */
	DB_NOT_FOUND = -5,   /* db_query_row found no row */
};

struct db_options {
	const char *host;    /* NULL or "" with socket set = unix socket */
	unsigned port;
	const char *socket;
	const char *user;
	const char *password;
	const char *name;
	unsigned connect_timeout_s;  /* default 2 */
	unsigned read_timeout_s;     /* default 10 */
};

struct db;

struct db_row {
	char **v;            /* ncols values, NULL = SQL NULL */
	size_t *len;
};

struct db_result {
	size_t nrows, ncols;
	struct db_row *rows;
	const char **names;  /* column names */
};

/* new: db_close().  Does not connect yet (connects lazily, so a thread can
 * start while MariaDB is down).  Options are copied. */
struct db *db_open(const struct db_options *o);
void db_close(struct db *db);
/* Connects now if not connected.  DB_OK or DB_GONE. */
int db_ping(struct db *db);
const char *db_error(const struct db *db);   /* borrowed, last message */
/* MariaDB error number of the last failed call (e.g. 1451, a row still
 * referenced by a foreign key), 0 when it succeeded or failed on our side. */
unsigned db_errno(const struct db *db);

/* Runs a statement returning no rows.  *affected (may be NULL) gets the
 * affected row count. */
int db_exec(struct db *db, uint64_t *affected, const char *sql,
	    const char *types, ...);
/* Runs a query; all rows copied into arena a. */
int db_query(struct db *db, struct arena *a, struct db_result *out,
	     const char *sql, const char *types, ...);
/* Runs a statement written whole in the source (no parameters, no text
 * from outside) as text, not prepared: for the few that MariaDB plans
 * worse prepared (search.c's sources in use).  Rows as db_query's,
 * without column names. */
int db_query_text(struct db *db, struct arena *a, struct db_result *out,
		  const char *sql);
/* First row only into *row (arena-owned); DB_NOT_FOUND when none. */
int db_query_row(struct db *db, struct arena *a, struct db_row *row,
		 const char *sql, const char *types, ...);
uint64_t db_insert_id(const struct db *db);

/* Value helpers over a row: int64 of column i (0 for NULL) */
int64_t db_int(const struct db_row *row, size_t i);

int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);   /* safe to call after an error */
bool db_in_transaction(const struct db *db);
/* Inside a transaction: SAVEPOINT name, and ROLLBACK TO SAVEPOINT name,
 * which undoes what the transaction wrote since (its locks stay) and
 * keeps it open; name is an identifier of letters and '_'.  Neither
 * undoes a deadlock or a lock wait timed out: InnoDB or db_transaction
 * rolls the whole transaction back then (DB_DEADLOCK). */
int db_savepoint(struct db *db, const char *name);
int db_rollback_to_savepoint(struct db *db, const char *name);

/*
 * Runs fn(db, a, arg) as one transaction: commits when it returns DB_OK,
 * else rolls back, and returns its status (or the commit's failure); a is
 * a scratch arena for the run's rows, emptied after it.  InnoDB
 * ends a deadlock by rolling one of the transactions back whole, and a
 * lock wait that timed out is rolled back here: either way (DB_DEADLOCK)
 * nothing of the run is left, so it runs again, up to DB_TXN_RUNS times in
 * all, as the user asked for the change and not for the collision.  So fn
 * must touch nothing but the database, or only what it may do again, and
 * write its results afresh on each run, outside a.
 *
 * This is the one retry path for writers: every write of src/ats/ of more
 * than one statement runs through it, and a statement run outside a
 * transaction (db_exec and the others), which is a transaction of its
 * own, is run again the same way, up to DB_TXN_RUNS times.  Inside a
 * transaction a statement is never run again alone.
 */
#define DB_TXN_RUNS 3
int db_transaction(struct db *db,
		   int (*fn)(struct db *db, struct arena *a, void *arg),
		   void *arg);

/*
 * Applies every sql/NNN_name.sql not yet recorded in schema_migrations, in
 * order, each in its own transaction where MariaDB allows (DDL commits
 * implicitly: a failed migration is reported with file and statement and
 * stops; it is not recorded).  Statements are separated by ';' at the end of
 * a line.  Logs each applied file.  DB_OK or an error.
 */
int db_migrate(struct db *db, const char *sql_dir);

/* Test hook: number of statements prepared on this connection so far. */
unsigned long db_prepare_count(const struct db *db);

#endif
