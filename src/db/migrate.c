/*
 * migrate.c - brings the schema up to date from sql/NNN_name.sql files.
 *
 * schema_migrations records every applied file by its number.  A run takes
 * a named lock so two processes starting together never migrate at once,
 * lists the files, skips those recorded and applies the rest in order: each
 * file's statements, then its row in schema_migrations, in one transaction
 * (which MariaDB commits early at every DDL statement, so a file that fails
 * half-way may leave its first statements applied; it is not recorded and
 * the run stops with the file and statement named).
 *
 * Migrations run over their own connection with a long read timeout: DDL
 * on a large table, or waiting for another process's lock, outlasts the
 * request timeout the handle normally uses.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"

#define MIGRATE_READ_TIMEOUT_S 3600
#define MIGRATE_LOCK_WAIT_S    30
#define MIGRATE_MAX_FILE       (16 * 1024 * 1024)

static const char release_sql[] = "DO RELEASE_LOCK('hirelink_migrate')";

struct migration {
	int version;
	char *file; /* "002_jobs.sql", malloc'd */
};

static int by_version(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

static void free_list(struct migration *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].file);
	free(list);
}

/* Version of a name of the form NNN_name.sql (3 or more digits), or -1. */
static int parse_name(const char *name)
{
	size_t digits = strspn(name, "0123456789"), len = strlen(name);

	/* Nine digits always fit the INT column. */
	if (digits < 3 || digits > 9 || name[digits] != '_' ||
	    len < digits + 1 + 1 + 4 || strcmp(name + len - 4, ".sql") != 0)
		return -1;
	return (int)strtol(name, NULL, 10);
}

/* Lists dir's migration files sorted by version.  *out is new
 * (free_list()). */
static int list_files(struct db *db, const char *dir, struct migration **out,
		      size_t *count)
{
	struct migration *list = NULL, *grown;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d;
	int rc = DB_OK, v;

	d = opendir(dir);
	if (!d) {
		rc = db_fail(db, 0, strerror(errno), "cannot open %s", dir);
		goto out;
	}
	while ((e = readdir(d))) {
		v = parse_name(e->d_name);
		if (v < 0) {
			size_t len = strlen(e->d_name);

			if (len > 4 && strcmp(e->d_name + len - 4, ".sql") == 0)
				log_warn("ignoring %s/%s: not NNN_name.sql",
					 dir, e->d_name);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(list, cap * sizeof *list);
			if (!grown)
				goto oom;
			list = grown;
		}
		list[n].version = v;
		list[n].file = strdup(e->d_name);
		if (!list[n].file)
			goto oom;
		n++;
	}
	qsort(list, n, sizeof *list, by_version);
	for (size_t i = 1; i < n; i++) {
		if (list[i].version == list[i - 1].version) {
			rc = db_fail(db, 0, NULL,
				     "%s/%s and %s/%s have the same number",
				     dir, list[i - 1].file, dir, list[i].file);
			goto out;
		}
	}
	goto out;
oom:
	rc = db_fail(db, 0, NULL, "cannot list %s: out of memory", dir);
out:
	if (d)
		closedir(d);
	if (rc != DB_OK) {
		free_list(list, n);
		list = NULL;
		n = 0;
	}
	*out = list;
	*count = n;
	return rc;
}

static int read_file(struct db *db, const char *path, struct buf *b)
{
	char chunk[8192];
	size_t got;
	FILE *f;
	int rc = DB_OK;

	f = fopen(path, "r");
	if (!f)
		return db_fail(db, 0, strerror(errno), "cannot open %s", path);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, got);
	if (ferror(f))
		rc = db_fail(db, 0, strerror(errno), "cannot read %s", path);
	else if (buf_failed(b))
		rc = db_fail(db, 0, NULL, "cannot read %s: %s", path,
			     b->err == BUF_ETOOBIG ? "file too large"
						   : "out of memory");
	fclose(f);
	return rc;
}

/*
 * Runs one statement of a migration file.  This is the only place in
 * hirelink that runs SQL text without preparing it: migration files are
 * code shipped with the program, not data, and some DDL cannot be prepared.
 */
static int run_raw(struct db *db, const char *sql, size_t len, const char *path,
		   unsigned n)
{
	MYSQL_RES *res;
	int rc;

	if (!db->mysql) {
		db_fail(db, 0, NULL, "%s: statement %u: connection lost", path,
			n);
		return DB_GONE;
	}
	if (mysql_real_query(db->mysql, sql, len) == 0) {
		/* Rows from a stray SELECT must be read before the next
		 * statement can be sent. */
		res = mysql_store_result(db->mysql);
		if (res)
			mysql_free_result(res);
		if (res || mysql_field_count(db->mysql) == 0)
			return DB_OK;
	}
	rc = db_fail(db, mysql_errno(db->mysql), mysql_error(db->mysql),
		     "%s: statement %u", path, n);
	return rc == DB_GONE ? DB_GONE : DB_ERROR;
}

/* True when the text holds nothing but ASCII whitespace. */
static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* Splits the file into statements at a ';' that ends a line, skipping
 * blank lines and lines that are '--' comments, and runs them in order. */
static int run_statements(struct db *db, const char *text, const char *path)
{
	struct buf stmt = BUF_INIT;
	const char *line = text, *nl, *end;
	unsigned n = 0;
	int rc = DB_OK;

	for (; *line; line = *nl ? nl + 1 : nl) {
		const char *first;

		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line);
		first = line + strspn(line, " \t\r");
		if (first == nl || strncmp(first, "--", 2) == 0)
			continue;
		end = nl;
		while (end > line &&
		       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (end[-1] != ';') {
			buf_add(&stmt, line, (size_t)(nl - line));
			buf_addc(&stmt, '\n');
			continue;
		}
		buf_add(&stmt, line, (size_t)(end - 1 - line));
		if (buf_failed(&stmt))
			goto oom;
		if (!blank(stmt.data, stmt.len)) {
			rc = run_raw(db, stmt.data, stmt.len, path, ++n);
			if (rc != DB_OK)
				goto out;
		}
		buf_reset(&stmt);
	}
	if (buf_failed(&stmt))
		goto oom;
	/* A last statement without its ';' still runs. */
	if (!blank(stmt.data, stmt.len))
		rc = run_raw(db, stmt.data, stmt.len, path, ++n);
	goto out;
oom:
	rc = db_fail(db, 0, NULL, "%s: out of memory", path);
out:
	buf_release(&stmt);
	return rc;
}

/* The lock is tied to the connection: a call that reconnected behind our
 * back (a transparent retry) has lost it. */
static int check_lock(struct db *db, unsigned long lock_conn)
{
	if (db->mysql && mysql_thread_id(db->mysql) == lock_conn)
		return DB_OK;
	db_fail(db, 0, NULL,
		"cannot migrate: connection lost, and with it "
		"the migration lock");
	return DB_GONE;
}

/* Applies one file: its statements and its row, in one transaction.
 * Every failure is logged once, by the db_* call or here. */
static int apply(struct db *db, const char *dir, const struct migration *m,
		 unsigned long lock_conn)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	int rc;

	buf_init(&text, MIGRATE_MAX_FILE);
	buf_addf(&path, "%s/%s", dir, m->file);
	if (buf_failed(&path)) {
		rc = db_report(db, db_fail(db, 0, NULL,
					   "cannot apply %s: out of memory",
					   m->file));
		goto out;
	}
	rc = read_file(db, path.data, &text);
	if (rc != DB_OK) {
		db_report(db, rc);
		goto out;
	}
	rc = db_begin(db);
	if (rc == DB_OK && (rc = check_lock(db, lock_conn)) != DB_OK)
		db_report(db, rc);
	if (rc == DB_OK &&
	    (rc = run_statements(db, text.data, path.data)) != DB_OK)
		db_report(db, rc);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "INSERT INTO schema_migrations (version, name) "
			     "VALUES (?, ?)",
			     "is", (int64_t)m->version, m->file);
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc != DB_OK)
		db_rollback(db);
	else
		log_info("applied migration %s", path.data);
out:
	buf_release(&path);
	buf_release(&text);
	return rc;
}

static bool applied(const struct db_result *done, int version)
{
	for (size_t i = 0; i < done->nrows; i++)
		if (db_int(&done->rows[i], 0) == version)
			return true;
	return false;
}

int db_migrate(struct db *db, const char *sql_dir)
{
	struct migration *list = NULL;
	struct db_result done = {0};
	struct arena *a = NULL;
	struct db_row row;
	unsigned saved_timeout = db->opt.read_timeout_s;
	unsigned long lock_conn = 0;
	size_t n = 0, count = 0;
	bool locked = false;
	int rc;

	db->errnum = 0;
	db->err[0] = '\0';
	if (db->in_txn) {
		rc = db_report(db, db_fail(db, 0, NULL,
					   "cannot migrate inside a "
					   "transaction"));
		return rc;
	}
	rc = list_files(db, sql_dir, &list, &n);
	if (rc != DB_OK) {
		db_report(db, rc);
		goto out;
	}
	a = arena_new(16 * 1024);
	if (!a) {
		rc = db_report(
		    db, db_fail(db, 0, NULL, "cannot migrate: out of memory"));
		goto out;
	}

	db_disconnect(db);
	db->opt.read_timeout_s = MIGRATE_READ_TIMEOUT_S;
	rc = db_query_row(db, a, &row, "SELECT GET_LOCK('hirelink_migrate', ?)",
			  "i", (int64_t)MIGRATE_LOCK_WAIT_S);
	if (rc != DB_OK)
		goto out;
	if (!row.v[0] || strcmp(row.v[0], "1") != 0) {
		rc = db_report(db, db_fail(db, 0, NULL,
					   "cannot migrate: another process "
					   "held the migration lock for %d s",
					   MIGRATE_LOCK_WAIT_S));
		goto out;
	}
	locked = true;
	lock_conn = mysql_thread_id(db->mysql);

	rc = db_exec(db, NULL,
		     "CREATE TABLE IF NOT EXISTS schema_migrations ("
		     "version INT PRIMARY KEY, "
		     "name VARCHAR(255) NOT NULL, "
		     "applied_at DATETIME(3) NOT NULL "
		     "DEFAULT CURRENT_TIMESTAMP(3)"
		     ") ENGINE=InnoDB",
		     "");
	if (rc == DB_OK)
		rc = db_query(db, a, &done,
			      "SELECT version FROM schema_migrations", "");
	if (rc == DB_OK && (rc = check_lock(db, lock_conn)) != DB_OK)
		db_report(db, rc);
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		if (applied(&done, list[i].version))
			continue;
		rc = apply(db, sql_dir, &list[i], lock_conn);
		if (rc == DB_OK)
			count++;
	}
	if (rc == DB_OK)
		log_info("migrations: %zu applied, %zu files", count, n);
out:
	/* Fixed SQL on the locked connection; the result does not matter,
	 * and closing the connection below would release the lock anyway. */
	if (locked && db->mysql)
		mysql_real_query(db->mysql, release_sql,
				 sizeof release_sql - 1);
	db_disconnect(db);
	db->opt.read_timeout_s = saved_timeout;
	arena_free(a);
	free_list(list, n);
	return rc == DB_OK || rc == DB_GONE ? rc : DB_ERROR;
}
