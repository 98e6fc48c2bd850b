/*
 * jobs.c - jobs: list, search, create.
 *
 * A job's public ID ("J-00042") is its primary key formatted, so searching
 * by ID is a primary-key lookup and needs no column of its own.
 */
#include <ctype.h>
#include <string.h>

#include "ats/jobs.h"

const char *ats_job_public_id(struct arena *a, int64_t id)
{
	return arena_printf(a, "J-%05lld", (long long)id);
}

/* "J-00042", "j42", "42" -> 42; 0 when q is not a job ID */
static int64_t job_id_from_query(const char *q)
{
	if ((q[0] == 'J' || q[0] == 'j')) {
		q++;
		if (*q == '-')
			q++;
	}
	int64_t id;
	if (!isdigit((unsigned char)*q) || parse_i64(q, &id) < 0 || id <= 0)
		return 0;
	return id;
}

static bool status_valid(const char *s)
{
	return !strcmp(s, "draft") || !strcmp(s, "active") || !strcmp(s, "closed");
}

int ats_jobs_list(struct db *db, struct arena *a, const char *status,
		  const char *q, int64_t offset, int64_t limit,
		  struct job_list *out)
{
	struct db_result res;
	struct db_row cnt;
	const char *st = status && *status ? status : NULL;
	const char *like = NULL;
	int64_t by_id = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (q && *q) {
		by_id = job_id_from_query(q);
		/* A substring of the title is what recruiters type.  LIKE's
		 * own metacharacters are escaped so "50%" finds "50%". */
		struct buf b = BUF_INIT;
		buf_addc(&b, '%');
		for (const char *p = q; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *p);
		}
		buf_addc(&b, '%');
		like = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
		buf_release(&b);
		if (!like)
			return DB_ERROR;
	}
	rc = db_query_row(db, a, &cnt,
			  "SELECT COUNT(*) FROM jobs WHERE (? IS NULL OR status = ?) "
			  "AND (? IS NULL OR title LIKE ? OR id = ?)",
			  "ssssi", st, st, like, like, by_id);
	if (rc != DB_OK)
		return rc;
	out->total = db_int(&cnt, 0);
	rc = db_query(db, a, &res,
		      "SELECT id, title, location, status, "
		      "DATE_FORMAT(updated_at, '%Y-%m-%d') FROM jobs "
		      "WHERE (? IS NULL OR status = ?) "
		      "AND (? IS NULL OR title LIKE ? OR id = ?) "
		      "ORDER BY id DESC LIMIT ? OFFSET ?",
		      "ssssiii", st, st, like, like,
		      by_id, limit, offset);
	if (rc != DB_OK)
		return rc;
	out->v = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		struct db_row *r = &res.rows[i];
		struct job *j = &out->v[i];
		j->id = db_int(r, 0);
		j->public_id = ats_job_public_id(a, j->id);
		j->title = r->v[1];
		j->location = r->v[2];
		j->status = r->v[3];
		j->updated_at = r->v[4];
	}
	out->n = res.nrows;
	return DB_OK;
}

int ats_job_create(struct db *db, int64_t user_id, const char *title,
		   const char *location, const char *description,
		   const char *status, int64_t *id, struct ats_error *err)
{
	size_t tl = title ? strlen(title) : 0;
	if (!tl || !utf8_valid(title, tl) || utf8_len(title, tl) > 200) {
		if (err) {
			err->field = "title";
			err->message = "must be 1 to 200 characters";
		}
		return ATS_INVALID;
	}
	if (!status || !status_valid(status)) {
		if (err) {
			err->field = "status";
			err->message = "must be draft, active or closed";
		}
		return ATS_INVALID;
	}
	int rc = db_exec(db, NULL,
			 "INSERT INTO jobs (title, location, description, status, "
			 "created_by) VALUES (?, ?, ?, ?, NULLIF(?, 0))",
			 "ssssi", title, location ? location : "",
			 description ? description : "", status, user_id);
	if (rc == DB_OK && id)
		*id = (int64_t)db_insert_id(db);
	return rc;
}
