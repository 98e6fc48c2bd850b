/*
 * db_internal.h - what db.c shares with migrate.c and nobody else: the
 * layout of struct db and the helpers that connect, record an error and
 * report it.  Code outside src/db/ includes db.h only.
 */
#ifndef HIRELINK_DB_INTERNAL_H
#define HIRELINK_DB_INTERNAL_H

#include <mysql.h>

#include "db/db.h"

/* Slots in the statement cache; a power of two (the hash masks with it).
 * A process runs a few dozen distinct statements, so this never fills in
 * practice; when it does, statements are prepared and closed per call. */
#define DB_STMT_CACHE_SIZE 256

struct db_stmt_slot {
	const char *key;  /* the caller's SQL pointer: the cheap first check */
	char *sql;	  /* our copy of the text: the exact second check */
	MYSQL_STMT *stmt; /* NULL = free slot */
};

struct db {
	MYSQL *mysql;	       /* NULL = not connected */
	struct db_options opt; /* strings owned, see db_open() */
	bool in_txn;	       /* between db_begin() and commit/rollback */
	/* The connection died inside a transaction: the server has discarded
	 * it, so every statement fails until the caller rolls back, instead
	 * of running outside the transaction on a fresh connection. */
	bool txn_lost;
	unsigned errnum; /* MariaDB error number of the last failure, or 0 */
	char err[512];	 /* last message, "" when none */
	uint64_t insert_id;
	unsigned long prepare_count;
	struct db_stmt_slot stmts[DB_STMT_CACHE_SIZE];
};

/* Connects if not connected.  DB_OK, DB_GONE (cannot connect) or DB_ERROR
 * (out of memory, or the session settings were refused). */
int db_connect(struct db *db);

/* Closes the connection and every cached statement.  Marks an open
 * transaction as lost.  Safe when not connected. */
void db_disconnect(struct db *db);

/* Records a failure: the message becomes "<what>: <msg>" (or just <what>
 * when msg is NULL) and the MariaDB error number is classified into the
 * returned status.  DB_GONE also disconnects, so the next call reconnects.
 * Logs nothing: see db_report(). */
int db_fail(struct db *db, unsigned errnum, const char *msg, const char *what,
	    ...) PRINTF_LIKE(4, 5);

/* Logs the recorded message when status is a real error (not DB_OK,
 * DB_DUPLICATE or DB_NOT_FOUND, which are normal outcomes); returns
 * status, so public functions end with "return db_report(db, rc);". */
int db_report(struct db *db, int status);

/* Copies up to n-1 characters of sql into out, whitespace runs collapsed
 * to one space, "..." when cut: a statement fit for a one-line log. */
void db_sql_excerpt(char *out, size_t n, const char *sql);

#endif
