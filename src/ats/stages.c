/*
 * stages.c - the pipelines of jobs (F1): a job's stages in order with
 * their counts, adding, renaming, moving and deleting a stage, and the
 * applications listed on a stage tab of the job page.
 *
 * A job's stages carry positions 1..n without gaps.  Every pipeline edit
 * first locks the job row (ats_job_lock), so two editors of one pipeline
 * are serialised and the renumbering of one never interleaves with
 * another's; editors of different jobs do not wait.
 */
#include <string.h>

#include "ats/check.h"
#include "ats/jobs.h"
#include "ats/outbox.h"

#define JOB_STAGES_MAX 30

const struct ats_word ats_stage_kinds[] = {
    {"prospect", "Prospect"},
    {"screen", "Screen"},
    {"interview", "Interview"},
    {"offer", "Offer"},
    {"hired", "Hired"},
    {"other", "Other"},
    {NULL, NULL},
};

bool ats_stage_kind_valid(const char *s)
{
	return ats_word_label(ats_stage_kinds, s) != NULL;
}

/* The columns of stage s that stage_from_row reads. */
#define STAGE_COLUMNS                                                          \
	"s.id, s.name, s.kind, s.position, s.active_count, s.hired_count"

static void stage_from_row(struct stage *s, const struct db_row *r)
{
	s->id = db_int(r, 0);
	s->name = r->v[1];
	s->kind = r->v[2];
	s->position = (int)db_int(r, 3);
	s->active_count = db_int(r, 4);
	s->hired_count = db_int(r, 5);
	s->total_count = -1;
}

/* out from rows of STAGE_COLUMNS and total_count and, when job_ids is not
 * NULL, job_id as an eighth column into it. */
static int stages_from(struct arena *a, const struct db_result *res,
		       struct stage_list *out, int64_t **job_ids)
{
	size_t n = res->nrows ? res->nrows : 1;
	out->v = arena_calloc(a, n, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	if (job_ids && !(*job_ids = arena_calloc(a, n, sizeof(**job_ids))))
		return DB_ERROR;
	for (size_t i = 0; i < res->nrows; i++) {
		stage_from_row(&out->v[i], &res->rows[i]);
		out->v[i].total_count = db_int(&res->rows[i], 6);
		if (job_ids)
			(*job_ids)[i] = db_int(&res->rows[i], 7);
	}
	out->n = res->nrows;
	return DB_OK;
}

int ats_job_stages(struct db *db, struct arena *a, int64_t job_id,
		   struct stage_list *out)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	/* The counts are kept in the stage rows (sql/080_perf_stages.sql). */
	int rc = db_query(db, a, &res,
			  "SELECT " STAGE_COLUMNS ", s.total_count FROM "
			  "job_stages s WHERE s.job_id = ? ORDER BY "
			  "s.position, s.id",
			  "i", job_id);
	return rc == DB_OK ? stages_from(a, &res, out, NULL) : rc;
}

int ats_stages_seen(struct db *db, struct arena *a, const struct user *u,
		    struct stage_seen **out, size_t *n)
{
	struct db_result res;
	*out = NULL;
	*n = 0;
	if (u->role != ROLE_INTERVIEWER)
		return DB_OK;
	/* ATS_APP_INTERVIEWER_SQL's second and third ways in: asked for
	 * feedback, or gave it */
	int rc = db_query(
	    db, a, &res,
	    "SELECT ap.stage_id, SUM(ap.status = 'active'), SUM(ap.status = "
	    "'hired') FROM applications ap WHERE ap.id IN (SELECT "
	    "fr.application_id FROM feedback_requests fr WHERE "
	    "fr.interviewer_id = ? UNION SELECT fo.application_id FROM "
	    "interview_feedback fo WHERE fo.interviewer_id = ?) AND ap.status "
	    "IN ('active', 'hired') GROUP BY ap.stage_id",
	    "ii", u->id, u->id);
	if (rc != DB_OK)
		return rc;
	*out = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(**out));
	if (!*out)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++)
		(*out)[(*n)++] = (struct stage_seen){db_int(&res.rows[i], 0),
						     db_int(&res.rows[i], 1),
						     db_int(&res.rows[i], 2)};
	return DB_OK;
}

void ats_stages_narrow(const struct user *u, struct stage *v, size_t n,
		       const struct stage_seen *seen, size_t nseen)
{
	if (u->role != ROLE_INTERVIEWER)
		return;
	/* the first stage of kind interview, offer or hired (by position:
	 * v is in pipeline order); none: the interviewer sees no stage */
	int from = -1;
	for (size_t i = 0; i < n && from < 0; i++)
		if (!strcmp(v[i].kind, "interview") ||
		    !strcmp(v[i].kind, "offer") || !strcmp(v[i].kind, "hired"))
			from = v[i].position;
	for (size_t i = 0; i < n; i++) {
		if (from >= 0 && v[i].position >= from)
			continue;
		v[i].active_count = v[i].hired_count = 0;
		v[i].total_count = -1;
		for (size_t k = 0; k < nseen; k++)
			if (seen[k].stage_id == v[i].id) {
				v[i].active_count = seen[k].active;
				v[i].hired_count = seen[k].hired;
			}
	}
}

int ats_job_stages_seen(struct db *db, struct arena *a, const struct user *u,
			int64_t job_id, struct stage_list *out)
{
	struct stage_seen *seen;
	size_t nseen;
	int rc = ats_job_stages(db, a, job_id, out);
	if (rc == DB_OK)
		rc = ats_stages_seen(db, a, u, &seen, &nseen);
	if (rc == DB_OK)
		ats_stages_narrow(u, out->v, out->n, seen, nseen);
	return rc;
}

int ats_candidate_pipelines(struct db *db, struct arena *a,
			    int64_t candidate_id, struct stage_list *out,
			    int64_t **job_ids)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	*job_ids = NULL;
	int rc =
	    db_query(db, a, &res,
		     "SELECT " STAGE_COLUMNS ", s.total_count, s.job_id "
		     "FROM job_stages s WHERE s.job_id IN (SELECT job_id FROM "
		     "applications WHERE candidate_id = ? AND status = "
		     "'active') ORDER BY s.job_id, s.position, s.id",
		     "i", candidate_id);
	return rc == DB_OK ? stages_from(a, &res, out, job_ids) : rc;
}

int ats_stage_get(struct db *db, struct arena *a, int64_t job_id,
		  int64_t stage_id, struct stage *out)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT " STAGE_COLUMNS " FROM job_stages s "
			      "WHERE s.id = ? AND s.job_id = ?",
			      "ii", stage_id, job_id);
	if (rc == DB_OK)
		stage_from_row(out, &r);
	return rc;
}

int ats_stage_by_kind(struct db *db, struct arena *a, int64_t job_id,
		      const char *kind, struct stage *out)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT " STAGE_COLUMNS " FROM job_stages s "
			      "WHERE s.job_id = ? AND s.kind = ? "
			      "ORDER BY s.position, s.id LIMIT 1",
			      "is", job_id, kind ? kind : "");
	if (rc == DB_OK)
		stage_from_row(out, &r);
	return rc;
}

/* A change to a job's pipeline, for its transaction. */
struct stage_change {
	int64_t actor_id, job_id;
	int64_t stage_id; /* stage_add sets it */
	const char *name, *kind;
	int position; /* stage_move */
	const char *remote_addr;
	struct ats_error *err;
};

/* Every change to a pipeline starts here: the job locked, and marked for
 * LinkedIn in the same transaction (a job that gains or loses its Prospect
 * stage is LISTED or CLOSED there); a change that fails then rolls the
 * mark back with it. */
static int job_lock_mark(struct db *db, struct arena *a, int64_t job_id)
{
	int rc = ats_job_lock(db, a, job_id);
	return rc == DB_OK
		   ? ats_outbox_mark(db, ATS_OUTBOX_JOB, (uint64_t)job_id)
		   : rc;
}

static int stage_add(struct db *db, struct arena *a, void *arg)
{
	struct stage_change *x = arg;
	struct db_row r;
	int rc = job_lock_mark(db, a, x->job_id);
	if (rc == DB_OK)
		rc = db_query_row(
		    db, a, &r,
		    "SELECT COUNT(*) FROM job_stages WHERE job_id = ?", "i",
		    x->job_id);
	int64_t n = rc == DB_OK ? db_int(&r, 0) : 0;
	if (rc == DB_OK && n >= JOB_STAGES_MAX)
		rc = ats_invalid(x->err, "name",
				 "a pipeline has at most 30 stages");
	if (rc == DB_OK)
		rc = db_exec(
		    db, NULL,
		    "INSERT INTO job_stages (job_id, name, kind, position) "
		    "VALUES (?, ?, ?, ?)",
		    "issi", x->job_id, x->name, x->kind, n + 1);
	x->stage_id = (int64_t)db_insert_id(db);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "stage.add", "job", x->job_id,
			       arena_printf(a, "stage %lld %s: %s",
					    (long long)x->stage_id, x->kind,
					    x->name),
			       x->remote_addr);
	return rc;
}

int ats_stage_add(struct db *db, int64_t actor_id, int64_t job_id,
		  const char *name, const char *kind, const char *remote_addr,
		  int64_t *id, struct ats_error *err)
{
	struct stage_change x = {.actor_id = actor_id,
				 .job_id = job_id,
				 .name = name,
				 .kind = kind && *kind ? kind
						       : ATS_STAGE_KIND_DEFAULT,
				 .remote_addr = remote_addr,
				 .err = err};
	if (ats_line_check(err, "name", name, 1, STAGE_NAME_MAX,
			   "must be 1 to 100 characters on one line"))
		return ATS_INVALID;
	if (!ats_stage_kind_valid(x.kind))
		return ats_invalid(
		    err, "kind",
		    "must be prospect, screen, interview, offer, "
		    "hired or other");
	int rc = db_transaction(db, stage_add, &x);
	if (rc == DB_OK && id)
		*id = x.stage_id;
	return rc;
}

static int stage_rename(struct db *db, struct arena *a, void *arg)
{
	const struct stage_change *x = arg;
	struct stage s;
	int rc = job_lock_mark(db, a, x->job_id);
	if (rc == DB_OK)
		rc = ats_stage_get(db, a, x->job_id, x->stage_id, &s);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE job_stages SET name = ? WHERE id = ?",
			     "si", x->name, x->stage_id);
	/* LinkedIn's stage entries carry the stage's name: renamed, the
	 * candidates on the job go again (one row here, expanded by the
	 * worker) */
	if (rc == DB_OK && strcmp(s.name, x->name))
		rc = ats_outbox_mark(db, ATS_OUTBOX_JOB_NAMES,
				     (uint64_t)x->job_id);
	if (rc == DB_OK)
		rc = ats_audit(
		    db, x->actor_id, "stage.rename", "job", x->job_id,
		    arena_printf(a, "stage %lld: %s -> %s",
				 (long long)x->stage_id, s.name, x->name),
		    x->remote_addr);
	return rc;
}

int ats_stage_rename(struct db *db, int64_t actor_id, int64_t job_id,
		     int64_t stage_id, const char *name,
		     const char *remote_addr, struct ats_error *err)
{
	struct stage_change x = {.actor_id = actor_id,
				 .job_id = job_id,
				 .stage_id = stage_id,
				 .name = name,
				 .remote_addr = remote_addr,
				 .err = err};
	if (ats_line_check(err, "name", name, 1, STAGE_NAME_MAX,
			   "must be 1 to 100 characters on one line"))
		return ATS_INVALID;
	return db_transaction(db, stage_rename, &x);
}

/*
 * Locks the job's stage rows one by one in id order, after the job row:
 * the order in which a write to an application locks its stages
 * (applications.c, lock_stages).  A pipeline edit that renumbers stages
 * writes them in their new order, or in the order of positions; a move of
 * an application between two of them, locking them in id order, could
 * then hold the stage the edit wanted next while the edit held the other.
 * With the job row locked no stage comes or goes meanwhile.
 */
static int stages_lock(struct db *db, struct arena *a, int64_t job_id)
{
	struct db_result res;
	struct db_row r;
	int rc = db_query(db, a, &res,
			  "SELECT id FROM job_stages WHERE job_id = ? ORDER BY "
			  "id",
			  "i", job_id);
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++)
		rc = db_query_row(db, a, &r,
				  "SELECT id FROM job_stages WHERE id = ? FOR "
				  "UPDATE",
				  "i", db_int(&res.rows[i], 0));
	return rc;
}

/* Writes positions 1..n in the order of ids[], touching only rows whose
 * position changes. */
static int stages_renumber(struct db *db, const struct db_result *res,
			   const int64_t *ids, size_t n)
{
	int rc = DB_OK;
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		int64_t old = -1;
		for (size_t k = 0; k < res->nrows; k++)
			if (db_int(&res->rows[k], 0) == ids[i])
				old = db_int(&res->rows[k], 1);
		if (old != (int64_t)i + 1)
			rc = db_exec(
			    db, NULL,
			    "UPDATE job_stages SET position = ? WHERE id = ?",
			    "ii", (int64_t)i + 1, ids[i]);
	}
	return rc;
}

static int stage_move(struct db *db, struct arena *a, void *arg)
{
	const struct stage_change *x = arg;
	struct db_result res;
	int rc = job_lock_mark(db, a, x->job_id);
	if (rc == DB_OK)
		rc = stages_lock(db, a, x->job_id);
	if (rc == DB_OK)
		rc = db_query(
		    db, a, &res,
		    "SELECT id, position FROM job_stages WHERE job_id = ? "
		    "ORDER BY position, id",
		    "i", x->job_id);
	size_t n = rc == DB_OK ? res.nrows : 0, from = n;
	for (size_t i = 0; i < n; i++)
		if (db_int(&res.rows[i], 0) == x->stage_id)
			from = i;
	if (rc == DB_OK && from == n)
		rc = DB_NOT_FOUND;
	int64_t *ids = n ? arena_calloc(a, n, sizeof(*ids)) : NULL;
	if (rc == DB_OK && !ids)
		rc = DB_ERROR;
	if (rc == DB_OK) {
		size_t to = x->position < 1	      ? 0
			    : (size_t)x->position > n ? n - 1
						      : (size_t)x->position - 1;
		/* The order without the stage, then the stage at index to. */
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (i == from)
				continue;
			if (k == to)
				ids[k++] = x->stage_id;
			ids[k++] = db_int(&res.rows[i], 0);
		}
		if (k < n)
			ids[k] = x->stage_id;
		rc = stages_renumber(db, &res, ids, n);
		if (rc == DB_OK)
			rc = ats_audit(db, x->actor_id, "stage.move", "job",
				       x->job_id,
				       arena_printf(a, "stage %lld: %zu -> %zu",
						    (long long)x->stage_id,
						    from + 1, to + 1),
				       x->remote_addr);
	}
	return rc;
}

int ats_stage_move(struct db *db, int64_t actor_id, int64_t job_id,
		   int64_t stage_id, int position, const char *remote_addr)
{
	struct stage_change x = {.actor_id = actor_id,
				 .job_id = job_id,
				 .stage_id = stage_id,
				 .position = position,
				 .remote_addr = remote_addr};
	return db_transaction(db, stage_move, &x);
}

static int stage_delete(struct db *db, struct arena *a, void *arg)
{
	const struct stage_change *x = arg;
	struct db_row r;
	struct stage s;
	int rc = job_lock_mark(db, a, x->job_id);
	if (rc == DB_OK)
		rc = stages_lock(db, a, x->job_id);
	if (rc == DB_OK)
		rc = ats_stage_get(db, a, x->job_id, x->stage_id, &s);
	/* An application at the stage, or one whose history passed through
	 * it, keeps it: deleting it would leave history pointing nowhere. */
	if (rc == DB_OK)
		rc = db_query_row(
		    db, a, &r,
		    "SELECT EXISTS (SELECT 1 FROM applications WHERE "
		    "stage_id = ?) OR EXISTS (SELECT 1 FROM "
		    "application_events WHERE from_stage_id = ? OR "
		    "to_stage_id = ?)",
		    "iii", x->stage_id, x->stage_id, x->stage_id);
	if (rc == DB_OK && db_int(&r, 0))
		rc = ATS_STAGE_IN_USE;
	if (rc == DB_OK) {
		rc = db_exec(db, NULL, "DELETE FROM job_stages WHERE id = ?",
			     "i", x->stage_id);
		/* An application created at the stage since our check. */
		if (rc != DB_OK && db_errno(db) == 1451)
			rc = ATS_STAGE_IN_USE;
	}
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE job_stages SET position = position - 1 "
			     "WHERE job_id = ? AND position > ?",
			     "ii", x->job_id, (int64_t)s.position);
	if (rc == DB_OK)
		rc =
		    ats_audit(db, x->actor_id, "stage.delete", "job", x->job_id,
			      arena_printf(a, "stage %lld: %s",
					   (long long)x->stage_id, s.name),
			      x->remote_addr);
	return rc;
}

int ats_stage_delete(struct db *db, int64_t actor_id, int64_t job_id,
		     int64_t stage_id, const char *remote_addr)
{
	struct stage_change x = {.actor_id = actor_id,
				 .job_id = job_id,
				 .stage_id = stage_id,
				 .remote_addr = remote_addr};
	return db_transaction(db, stage_delete, &x);
}

/* The columns of a stage tab's row, for the three statements below. */
#define STAGE_ROW                                                              \
	"SELECT ap.id, ap.candidate_id, TRIM(CONCAT(c.first_name, ' ', "       \
	"c.last_name)), COALESCE(c.email, ''), DATE_FORMAT(COALESCE("          \
	"ap.stage_since, ap.created_at), '%Y-%m-%d %H:%i'), ap.status, "      \
	"ap.source, ap.version "
#define STAGE_CLOSED "status IN ('rejected', 'withdrawn', 'hired')"

/* A page among the active applications only, or among the closed ones
 * only: one range of applications_job_stage_status. */
static const char stage_active_sql[] =
    STAGE_ROW "FROM applications ap JOIN candidates c ON c.id = "
	      "ap.candidate_id WHERE ap.job_id = ? AND ap.stage_id = ? AND "
	      "ap.status = 'active' ORDER BY ap.id LIMIT ? OFFSET ?";
static const char stage_closed_sql[] =
    STAGE_ROW "FROM applications ap JOIN candidates c ON c.id = "
	      "ap.candidate_id WHERE ap.job_id = ? AND ap.stage_id = ? AND "
	      "ap." STAGE_CLOSED " ORDER BY ap.id LIMIT ? OFFSET ?";
/* The one page where the active ones end and the closed ones begin: the
 * page's ids from both ranges (each cut at the page's end), and only then
 * the candidates and the "since" of those few rows.  Twice the cost of
 * either statement above (make bench), so used only there. */
static const char stage_both_sql[] =
    STAGE_ROW "FROM ((SELECT id, 0 AS grp FROM applications WHERE job_id = ? "
	      "AND stage_id = ? AND status = 'active' ORDER BY id LIMIT ?) "
	      "UNION ALL (SELECT id, 1 AS grp FROM applications WHERE job_id = "
	      "? AND stage_id = ? AND " STAGE_CLOSED " ORDER BY id LIMIT ?) "
	      "ORDER BY grp, id LIMIT ? OFFSET ?) p "
	      "JOIN applications ap ON ap.id = p.id "
	      "JOIN candidates c ON c.id = ap.candidate_id "
	      "ORDER BY p.grp, p.id";

int ats_stage_applications(struct db *db, struct arena *a, int64_t job_id,
			   int64_t stage_id, int64_t known_active,
			   int64_t known_total, int64_t offset, int64_t limit,
			   struct stage_entry_list *out)
{
	struct db_result res;
	struct db_row cnt;
	int64_t active;
	int rc;
	memset(out, 0, sizeof(*out));
	if (offset < 0 || limit < 0)
		return DB_ERROR;
	if (known_active >= 0 && known_total >= 0) {
		active = known_active;
		out->total = known_total;
	} else {
		rc = db_query_row(db, a, &cnt,
				  "SELECT active_count, total_count FROM "
				  "job_stages WHERE job_id = ? AND id = ?",
				  "ii", job_id, stage_id);
		if (rc != DB_OK)
			return rc;
		active = db_int(&cnt, 0);
		out->total = db_int(&cnt, 1);
	}
	out->v =
	    arena_calloc(a, limit > 0 ? (size_t)limit : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	if (offset >= out->total)
		return DB_OK;
	/* Active ones first, then every other status of 002_ats.sql's ENUM,
	 * each group in id order. */
	int64_t upto = offset + limit;
	if (upto <= active)
		rc = db_query(db, a, &res, stage_active_sql, "iiii", job_id,
			      stage_id, limit, offset);
	else if (offset >= active)
		rc = db_query(db, a, &res, stage_closed_sql, "iiii", job_id,
			      stage_id, limit, offset - active);
	else
		rc = db_query(db, a, &res, stage_both_sql, "iiiiiiii", job_id,
			      stage_id, upto, job_id, stage_id, upto, limit,
			      offset);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows && i < (size_t)limit; i++) {
		struct db_row *r = &res.rows[i];
		out->v[i] =
		    (struct stage_entry){db_int(r, 0), db_int(r, 1), r->v[2],
					 r->v[3],      r->v[4],	     r->v[5],
					 r->v[6],      db_int(r, 7)};
		out->n++;
	}
	return DB_OK;
}
