/*
 * applications.c - applications (F2) and interview feedback (F4).
 *
 * Every change to an application is one transaction of three writes: the
 * applications row (version + 1), an application_events row (what, from
 * which stage to which, who) and an audit_log row.  Any failure rolls the
 * three back together.  A move and the three endings are one path
 * (app_change, through db_transaction, so a deadlock runs it again).
 *
 * Concurrency is optimistic: the client sends the version it saw, and the
 * UPDATE carries "AND version = ?".  When it touches no row, someone else
 * changed the application first; we roll back and tell the user where the
 * application is now, instead of applying a move decided on stale facts.
 * Reading the row first inside the same transaction and then updating on
 * its version is safe: if the update matches that version, the row we read
 * is the row we changed (versions only grow), so the "from" stage of the
 * event is right.
 *
 * Access: each write first finds the application's job and asks access.h
 * what the actor may do there; an application on a job the actor may not
 * see is "not found".  Lists compute access once per job.
 */
#include <string.h>

#include "ats/applications.h"
#include "ats/feedback.h"
#include "ats/jobs.h"
#include "ats/check.h"
#include "ats/outbox.h"

const struct ats_word ats_rejection_reasons[] = {
    {"not_qualified", "Not qualified"},
    {"position_filled", "Position filled"},
    {"candidate_declined", "Candidate declined"},
    {"no_response", "No response"},
    {"other", "Other"},
    {NULL, NULL},
};

const struct ats_word ats_recommendations[] = {
    {"strong_no", "Strong no"},	  {"no", "No"}, {"yes", "Yes"},
    {"strong_yes", "Strong yes"}, {NULL, NULL},
};

/* ------------------------------------------------------------ helpers */

/* The first max characters of valid UTF-8 s, with "..." when cut. */
static const char *utf8_prefix(struct arena *a, const char *s, size_t max)
{
	size_t chars = 0, i = 0;
	while (s[i] && chars < max) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	if (!s[i])
		return s;
	return arena_printf(a, "%.*s...", (int)i, s);
}

/* The application's job and the actor's access to it.  DB_NOT_FOUND when
 * the application does not exist or the actor may not see its job. */
static int app_access(struct db *db, struct arena *a, const struct user *u,
		      int64_t id, int64_t *job_id, enum access *acc)
{
	struct db_row r;
	int rc = db_query_row(
	    db, a, &r, "SELECT job_id FROM applications WHERE id = ?", "i", id);
	if (rc != DB_OK)
		return rc;
	*job_id = db_int(&r, 0);
	rc = ats_job_access(db, a, u, *job_id, acc);
	if (rc == DB_OK && *acc == ACCESS_NONE)
		rc = DB_NOT_FOUND;
	bool seen = true;
	if (rc == DB_OK)
		rc = ats_app_seen(db, a, u, id, &seen);
	return rc == DB_OK && !seen ? DB_NOT_FOUND : rc;
}

/* Stage stage_id of the job into *st; ATS_INVALID ("stage_id") when the
 * job has no such stage. */
static int job_stage(struct db *db, struct arena *a, int64_t job_id,
		     int64_t stage_id, struct stage *st, struct ats_error *err)
{
	int rc = ats_stage_get(db, a, job_id, stage_id, st);
	if (rc == DB_NOT_FOUND)
		return ats_fail(err, ATS_INVALID, "stage_id",
				"is not a stage of this job");
	return rc;
}

/*
 * Locks the stage rows stage_a and stage_b (one, or the same twice), in id
 * order, before a write to an application that counts in them.  Why: the
 * write's foreign-key check takes a shared lock on its stage's job_stages
 * row, and the count trigger of the same statement (sql/080_perf_stages.sql)
 * then needs that row exclusively; two writers into one stage each held
 * the shared lock the other's exclusive one waited for - a deadlock, one
 * of them rolled back, a 500.  Taken here first, the exclusive lock makes
 * them queue instead, and it is the lock the trigger takes anyway, so
 * nothing waits that did not wait before.  In id order, as the trigger of
 * a move locks its two stages, so two opposite moves queue too.
 *
 * The one order of locks in a job: the job row, then its stage rows, then
 * applications.  A pipeline edit locks the job row and then renumbers
 * stages (stages.c); a new application's foreign-key check takes the job
 * row (shared), so a new one locks it here first (lock_job_stage), before
 * its stage.  A move's or an ending's statement does not touch the job
 * row, and takes no lock on it.
 */
static int lock_stages(struct db *db, struct arena *a, int64_t stage_a,
		       int64_t stage_b)
{
	struct db_result res;
	return db_query(db, a, &res,
			"SELECT id FROM job_stages WHERE id IN (?, ?) ORDER BY "
			"id FOR UPDATE",
			"ii", stage_a, stage_b);
}

/* For a new application: the job row (shared: others add beside it), then
 * the stage it starts in (lock_stages). */
static int lock_job_stage(struct db *db, struct arena *a, int64_t job_id,
			  int64_t stage_id)
{
	struct db_result res;
	int rc = db_query(db, a, &res,
			  "SELECT id FROM jobs WHERE id = ? LOCK IN SHARE MODE",
			  "i", job_id);
	return rc == DB_OK ? lock_stages(db, a, stage_id, stage_id) : rc;
}

/* What an application is now, read inside a write transaction. */
struct app_state {
	int64_t job_id, stage_id, version;
	const char *status;
	const char *stage_name; /* "" when the stage is gone */
};

static int app_state(struct db *db, struct arena *a, int64_t id,
		     struct app_state *st)
{
	struct db_row r;
	int rc =
	    db_query_row(db, a, &r,
			 "SELECT ap.job_id, ap.stage_id, ap.version, "
			 "ap.status, COALESCE(s.name, '') FROM "
			 "applications ap LEFT JOIN job_stages s ON s.id = "
			 "ap.stage_id WHERE ap.id = ?",
			 "i", id);
	if (rc != DB_OK)
		return rc;
	st->job_id = db_int(&r, 0);
	st->stage_id = db_int(&r, 1);
	st->version = db_int(&r, 2);
	st->status = r.v[3];
	st->stage_name = r.v[4];
	return DB_OK;
}

/* The ATS_CONFLICT for an application that is no longer what the user saw:
 * ended, or changed to another version. */
static int stale(struct arena *a, const struct app_state *st,
		 struct ats_error *err)
{
	if (strcmp(st->status, "active")) {
		const char *m = arena_printf(
		    a,
		    "This application has ended (%s); only active "
		    "applications can be changed. Reload the page to see it.",
		    st->status);
		return ats_fail(err, ATS_CONFLICT, "status",
				m ? m : "This application has ended.");
	}
	const char *m = arena_printf(
	    a,
	    "This application was changed by someone else (now at stage %s); "
	    "reload and try again",
	    *st->stage_name ? st->stage_name : "unknown");
	return ats_fail(err, ATS_CONFLICT, "version",
			m ? m
			  : "This application was changed by someone else; "
			    "reload and try again");
}

/* Re-reads the application after a failed optimistic update (outside the
 * rolled-back transaction) to say what it is now. */
static int stale_after_update(struct db *db, struct arena *a, int64_t id,
			      struct ats_error *err)
{
	struct app_state st;
	int rc = app_state(db, a, id, &st);
	if (rc != DB_OK)
		return rc;
	return stale(a, &st, err);
}

/* Writes the event and the audit row of a change to application id, and
 * marks its candidate in the outbox unless !mark. */
static int record_marked(struct db *db, struct arena *a, int64_t actor_id,
			 int64_t id, const char *kind, int64_t from_stage,
			 int64_t to_stage, const char *detail,
			 const char *action, const char *remote_addr, bool mark)
{
	int rc = db_exec(db, NULL,
			 "INSERT INTO application_events (application_id, "
			 "user_id, kind, from_stage_id, to_stage_id, detail) "
			 "VALUES (?, NULLIF(?, 0), ?, NULLIF(?, 0), NULLIF(?, "
			 "0), ?)",
			 "iisiis", id, actor_id, kind, from_stage, to_stage,
			 detail ? detail : "");
	if (rc == DB_OK && mark)
		rc = ats_outbox_mark_application(db, id);
	if (rc != DB_OK)
		return rc;
	const char *audit =
	    arena_printf(a, "%s%s%lld->%lld", detail && *detail ? detail : "",
			 detail && *detail ? "; stage " : "stage ",
			 (long long)from_stage, (long long)to_stage);
	return ats_audit(db, actor_id, action, "application", id,
			 audit ? audit : "", remote_addr);
}

static int record(struct db *db, struct arena *a, int64_t actor_id, int64_t id,
		  const char *kind, int64_t from_stage, int64_t to_stage,
		  const char *detail, const char *action,
		  const char *remote_addr)
{
	return record_marked(db, a, actor_id, id, kind, from_stage, to_stage,
			     detail, action, remote_addr, true);
}

/* ------------------------------------------------------------ reading */

#define APP_COLUMNS                                                            \
	"SELECT ap.id, ap.job_id, ap.candidate_id, ap.stage_id, j.title, "     \
	"COALESCE(s.name, ''), ap.status, ap.rejection_reason, "               \
	"DATE_FORMAT(ap.created_at, '%Y-%m-%d %H:%i'), "                       \
	"DATE_FORMAT(ap.updated_at, '%Y-%m-%d %H:%i'), ap.version, "           \
	"COALESCE(ap.rejection_note, ''), TRIM(CONCAT(c.first_name, ' ', "     \
	"c.last_name)), (SELECT COUNT(*) FROM job_members jm WHERE "           \
	"jm.job_id = ap.job_id AND jm.user_id = ?) > 0 AND ap.status = "      \
	"'active' AND NOT EXISTS (SELECT 1 FROM interview_feedback f WHERE "   \
	"f.application_id = ap.id AND f.interviewer_id = ? AND f.stage_id = "  \
	"ap.stage_id) FROM applications ap JOIN jobs j ON j.id "  \
	"= ap.job_id JOIN candidates c ON c.id = ap.candidate_id LEFT JOIN "   \
	"job_stages s ON s.id = ap.stage_id "

static void app_from_row(struct arena *a, struct application *ap,
			 const struct db_row *r)
{
	memset(ap, 0, sizeof(*ap));
	ap->id = db_int(r, 0);
	ap->job_id = db_int(r, 1);
	ap->candidate_id = db_int(r, 2);
	ap->stage_id = db_int(r, 3);
	ap->job_title = r->v[4];
	ap->job_public_id = ats_job_public_id(a, ap->job_id);
	ap->stage_name = r->v[5];
	ap->status = r->v[6];
	ap->rejection_reason = r->v[7];
	ap->created_at = r->v[8];
	ap->updated_at = r->v[9];
	ap->version = db_int(r, 10);
	ap->rejection_note = r->v[11];
	ap->candidate_name = r->v[12];
	ap->can_give_feedback = db_int(r, 13) != 0;
}

int ats_application_get(struct db *db, struct arena *a,
			const struct user *viewer, int64_t id,
			struct application *out)
{
	struct db_row r;
	enum access acc;
	int rc = db_query_row(db, a, &r, APP_COLUMNS "WHERE ap.id = ?", "iii",
			      (int64_t)viewer->id, (int64_t)viewer->id, id);
	if (rc != DB_OK)
		return rc;
	app_from_row(a, out, &r);
	rc = ats_job_access(db, a, viewer, out->job_id, &acc);
	if (rc != DB_OK)
		return rc;
	if (acc == ACCESS_NONE)
		return DB_NOT_FOUND;
	bool seen;
	rc = ats_app_seen(db, a, viewer, id, &seen);
	if (rc != DB_OK)
		return rc;
	if (!seen)
		return DB_NOT_FOUND;
	out->access = acc;
	if (!out->job_public_id)
		return DB_ERROR;
	return DB_OK;
}

int ats_application_of(struct db *db, struct arena *a,
			const struct user *viewer, int64_t job_id,
			int64_t candidate_id, struct application *out)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT id FROM applications WHERE job_id = ? "
			      "AND candidate_id = ?",
			      "ii", job_id, candidate_id);
	if (rc != DB_OK)
		return rc;
	return ats_application_get(db, a, viewer, db_int(&r, 0), out);
}

/* Fills the events of apps[0..n) (sorted by nothing in particular) from
 * one query over the candidate's applications. */
static int app_events(struct db *db, struct arena *a, int64_t candidate_id,
		      struct application *apps, size_t n)
{
	struct db_result res;
	int rc = db_query(
	    db, a, &res,
	    "SELECT e.application_id, e.id, e.kind, COALESCE(fs.name, ''), "
	    "COALESCE(ts.name, ''), COALESCE(u.name, ''), e.detail, "
	    "DATE_FORMAT(e.at, '%Y-%m-%d %H:%i') FROM application_events e "
	    "JOIN applications ap ON ap.id = e.application_id LEFT JOIN "
	    "job_stages fs ON fs.id = e.from_stage_id LEFT JOIN job_stages ts "
	    "ON ts.id = e.to_stage_id LEFT JOIN users u ON u.id = e.user_id "
	    "WHERE ap.candidate_id = ? ORDER BY e.application_id, e.id",
	    "i", candidate_id);
	if (rc != DB_OK)
		return rc;
	for (size_t k = 0; k < n; k++) {
		struct application *ap = &apps[k];
		size_t count = 0;
		for (size_t i = 0; i < res.nrows; i++)
			if (db_int(&res.rows[i], 0) == ap->id)
				count++;
		ap->events =
		    arena_calloc(a, count ? count : 1, sizeof(*ap->events));
		if (!ap->events)
			return DB_ERROR;
		for (size_t i = 0; i < res.nrows; i++) {
			struct db_row *r = &res.rows[i];
			if (db_int(r, 0) != ap->id)
				continue;
			ap->events[ap->nevents++] = (struct app_event){
			    db_int(r, 1), r->v[2], r->v[3], r->v[4],
			    r->v[5],	  r->v[6], r->v[7]};
		}
	}
	return DB_OK;
}

/* The viewer's access to each job the candidate has an application on,
 * in one query (not one ats_job_access per application). */
struct job_acc {
	int64_t job_id;
	enum access acc;
};

static int candidate_jobs_access(struct db *db, struct arena *a,
				 const struct user *viewer,
				 int64_t candidate_id, struct job_acc **out,
				 size_t *n)
{
	struct db_result res;
	int rc = db_query(db, a, &res,
			  "SELECT j.id, " ATS_JOB_ACCESS_COLUMNS(
			      "j") " FROM applications ap JOIN jobs j ON j.id "
				   "= ap.job_id WHERE ap.candidate_id = ?",
			  "ii", (int64_t)viewer->id, candidate_id);
	if (rc != DB_OK)
		return rc;
	*out = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(**out));
	if (!*out)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++)
		(*out)[i] = (struct job_acc){
		    db_int(&res.rows[i], 0),
		    ats_job_access_of(viewer, res.rows[i].v[1],
				      db_int(&res.rows[i], 2))};
	*n = res.nrows;
	return DB_OK;
}

/* ACCESS_NONE for a job not in the list. */
static enum access job_acc_find(const struct job_acc *v, size_t n,
				int64_t job_id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].job_id == job_id)
			return v[i].acc;
	return ACCESS_NONE;
}

int ats_candidate_applications(struct db *db, struct arena *a,
			       const struct user *viewer, int64_t candidate_id,
			       struct application **out, size_t *n)
{
	struct job_acc *jobs;
	size_t njobs = 0;
	struct db_result res;
	*out = NULL;
	*n = 0;
	int rc = db_query(db, a, &res,
			  APP_COLUMNS "WHERE ap.candidate_id = ? ORDER BY "
				      "ap.created_at DESC, ap.id DESC",
			  "iii", (int64_t)viewer->id, (int64_t)viewer->id,
			  candidate_id);
	if (rc == DB_OK && res.nrows)
		rc = candidate_jobs_access(db, a, viewer, candidate_id, &jobs,
					   &njobs);
	if (rc != DB_OK)
		return rc;
	struct application *v =
	    arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*v));
	if (!v)
		return DB_ERROR;
	size_t k = 0;
	for (size_t i = 0; i < res.nrows; i++) {
		app_from_row(a, &v[k], &res.rows[i]);
		if (!v[k].job_public_id)
			return DB_ERROR;
		enum access acc = job_acc_find(jobs, njobs, v[k].job_id);
		if (acc == ACCESS_NONE)
			continue;
		bool seen;
		rc = ats_app_seen(db, a, viewer, v[k].id, &seen);
		if (rc != DB_OK)
			return rc;
		if (!seen) /* the interviewer's narrowing (access.h) */
			continue;
		v[k++].access = acc;
	}
	if (k) {
		rc = app_events(db, a, candidate_id, v, k);
		if (rc != DB_OK)
			return rc;
	}
	bool active = false;
	for (size_t i = 0; i < k; i++)
		active = active || !strcmp(v[i].status, "active");
	if (active) {
		/* the move forms' stages, for every job in one statement */
		struct stage_list st;
		int64_t *job_of;
		rc = ats_candidate_pipelines(db, a, candidate_id, &st, &job_of);
		if (rc != DB_OK)
			return rc;
		for (size_t i = 0; i < k; i++) {
			if (strcmp(v[i].status, "active"))
				continue;
			size_t j = 0;
			while (j < st.n && job_of[j] != v[i].job_id)
				j++;
			v[i].stages = &st.v[j];
			while (j < st.n && job_of[j] == v[i].job_id) {
				v[i].nstages++;
				j++;
			}
		}
	}
	*out = v;
	*n = k;
	return DB_OK;
}

/* ------------------------------------------------------------ writing */

int ats_application_create(struct db *db, struct arena *a,
			   const struct user *actor, int64_t candidate_id,
			   int64_t job_id, int64_t stage_id,
			   const char *remote_addr, int64_t *id,
			   struct ats_error *err)
{
	enum access acc;

	int rc = ats_job_access(db, a, actor, job_id, &acc);
	if (rc == DB_NOT_FOUND || (rc == DB_OK && acc == ACCESS_NONE))
		return ats_fail(err, DB_NOT_FOUND, "job_id",
				"There is no such job.");
	if (rc != DB_OK)
		return rc;
	if (acc < ACCESS_MANAGE)
		return ats_fail(
		    err, ATS_FORBIDDEN, "job_id",
		    "Only the job's recruiters add candidates to it.");
	return ats_application_add(db, a, actor->id, candidate_id, job_id,
				   stage_id, remote_addr, id, err);
}

/* A new application, for its transaction (db_transaction: run again after
 * a deadlock, so every run writes id afresh). */
struct app_insert {
	int64_t actor_id, candidate_id, job_id, stage_id;
	const char *remote_addr;
	int64_t id; /* the new application's */
};

static int app_insert(struct db *db, struct arena *a, void *arg)
{
	struct app_insert *x = arg;
	int rc = lock_job_stage(db, a, x->job_id, x->stage_id);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "INSERT INTO applications (job_id, candidate_id, "
			     "stage_id, created_by) VALUES (?, ?, ?, "
			     "NULLIF(?, 0))",
			     "iiii", x->job_id, x->candidate_id, x->stage_id,
			     x->actor_id);
	if (rc == DB_OK) {
		x->id = (int64_t)db_insert_id(db);
		rc = record(db, a, x->actor_id, x->id, "created", 0,
			    x->stage_id, "", "application.create",
			    x->remote_addr);
	}
	return rc;
}

int ats_application_add(struct db *db, struct arena *a, int64_t actor_id,
			int64_t candidate_id, int64_t job_id, int64_t stage_id,
			const char *remote_addr, int64_t *id,
			struct ats_error *err)
{
	struct job job;
	struct stage st;
	struct db_row r;

	int rc = ats_job_get(db, a, job_id, &job);
	if (rc == DB_NOT_FOUND)
		return ats_fail(err, DB_NOT_FOUND, "job_id",
				"There is no such job.");
	if (rc != DB_OK)
		return rc;
	if (!ats_job_takes_applications(&job))
		return ats_fail(
		    err, ATS_INVALID, "job_id",
		    "This job is closed; reopen it to add candidates.");
	rc = db_query_row(db, a, &r,
			  "SELECT TRIM(CONCAT(first_name, ' ', last_name)) "
			  "FROM candidates WHERE id = ?",
			  "i", candidate_id);
	if (rc == DB_NOT_FOUND)
		return ats_fail(err, ATS_INVALID, "candidate_id",
				"There is no such candidate.");
	if (rc != DB_OK)
		return rc;
	const char *cand_name = r.v[0];

	if (stage_id == 0) {
		rc = db_query_row(db, a, &r,
				  "SELECT id FROM job_stages WHERE job_id = ? "
				  "ORDER BY position, id LIMIT 1",
				  "i", job_id);
		if (rc == DB_NOT_FOUND)
			return ats_fail(
			    err, ATS_INVALID, "stage_id",
			    "This job has no stages; add one to its "
			    "pipeline first.");
		if (rc != DB_OK)
			return rc;
		stage_id = db_int(&r, 0);
	}
	rc = job_stage(db, a, job_id, stage_id, &st, err);
	if (rc != DB_OK)
		return rc;

	struct app_insert x = {.actor_id = actor_id,
			       .candidate_id = candidate_id,
			       .job_id = job_id,
			       .stage_id = stage_id,
			       .remote_addr = remote_addr};
	rc = db_transaction(db, app_insert, &x);
	if (rc == DB_DUPLICATE) {
		if (db_query_row(db, a, &r,
				 "SELECT id FROM applications WHERE job_id = ? "
				 "AND candidate_id = ?",
				 "ii", job_id, candidate_id) == DB_OK)
			*id = db_int(&r, 0);
		const char *m =
		    arena_printf(a, "%s is already on the job \"%s\" (%s).",
				 *cand_name ? cand_name : "This candidate",
				 job.title, job.public_id);
		return ats_fail(err, ATS_CONFLICT, "job_id",
				m ? m
				  : "The candidate is already on this job.");
	}
	if (rc == DB_OK)
		*id = x.id;
	return rc;
}

int ats_application_add_in(struct db *db, struct arena *a, int64_t actor_id,
			   int64_t candidate_id, int64_t job_id,
			   int64_t stage_id, const char *source,
			   const char *remote_addr, bool mark, int64_t *id)
{
	struct db_row r;
	/* The caller holds the job's and the stage's locks, so the insert's
	 * foreign-key locks come after them (the lock order of every
	 * application write).  The unique key (job, candidate) says whether
	 * the candidate is on the job already: the existing application is
	 * read only then. */
	int rc = db_exec(db, NULL,
		     "INSERT INTO applications (job_id, candidate_id, "
		     "stage_id, created_by, source) VALUES (?, ?, ?, "
		     "NULLIF(?, 0), ?)",
		     "iiiis", job_id, candidate_id, stage_id, actor_id, source);
	if (rc == DB_DUPLICATE) {
		rc = db_query_row(db, a, &r,
				  "SELECT id FROM applications WHERE job_id = "
				  "? AND candidate_id = ?",
				  "ii", job_id, candidate_id);
		if (rc == DB_OK) {
			*id = db_int(&r, 0);
			return ATS_CONFLICT;
		}
		return rc == DB_NOT_FOUND ? DB_DUPLICATE : rc;
	}
	if (rc != DB_OK)
		return rc;
	*id = (int64_t)db_insert_id(db);
	return record_marked(db, a, actor_id, *id, "created", 0, stage_id,
			     source, "application.create", remote_addr, mark);
}

/* The changes an application's page makes: a move to another stage of
 * its job, and the three ways an application ends. */
enum change { MOVE, END_REJECT, END_HIRE, END_WITHDRAW };

/* A change to an application, for its transaction. */
struct app_change {
	enum change how;
	int64_t actor_id, id, job_id;
	int64_t stage_id; /* MOVE: where to */
	/* The version the user saw: a move must name it, an ending may be
	 * made with 0 (whatever version it is at). */
	int64_t version;
	const char *reason, *note; /* END_REJECT; NULL for the others */
	const char *detail;	   /* the event's: "" or the reason and note */
	const char *remote_addr;
	struct arena *a; /* the caller's: err's messages outlive the run */
	struct ats_error *err;
	bool stale; /* the UPDATE found another version than the one read */
	enum access acc; /* the actor's on the job, for check() */
};

/* The transaction of change x (db_transaction): reads the application,
 * refuses when it is not what the user saw, changes its row and records
 * the event.  ATS_CONFLICT with x->stale when someone changed it between
 * our read and our write. */
static int app_change(struct db *db, struct arena *a, void *arg)
{
	static const char *const kind[] = {"moved", "rejected", "hired",
					   "withdrawn"};
	static const char *const action[] = {
	    "application.move", "application.reject", "application.hire",
	    "application.withdraw"};
	struct app_change *x = arg;
	struct app_state st;
	struct stage hired;
	uint64_t changed = 0;

	x->stale = false;
	int rc = app_state(db, a, x->id, &st);
	if (rc != DB_OK)
		return rc;
	if (strcmp(st.status, "active") ||
	    ((x->version || x->how == MOVE) && st.version != x->version))
		return stale(x->a, &st, x->err);
	int64_t to = st.stage_id;
	if (x->how == MOVE) {
		if (x->stage_id == st.stage_id)
			return ats_fail(
			    x->err, ATS_INVALID, "stage_id",
			    "is the stage the application is at already");
		to = x->stage_id;
	} else if (x->how == END_HIRE && x->stage_id) {
		to = x->stage_id; /* a move to a Hired stage (move_check) */
	} else if (x->how == END_HIRE) {
		rc = ats_stage_by_kind(db, a, x->job_id, "hired", &hired);
		if (rc == DB_OK)
			to = hired.id;
		else if (rc != DB_NOT_FOUND)
			return rc;
	}
	rc = lock_stages(db, a, st.stage_id, to);
	if (rc != DB_OK)
		return rc;
	if (x->how == MOVE)
		rc = db_exec(db, &changed,
			     "UPDATE applications SET stage_id = ?, version = "
			     "version + 1 WHERE id = ? AND version = ? AND "
			     "status = 'active'",
			     "iii", to, x->id, st.version);
	else
		rc =
		    db_exec(db, &changed,
			    "UPDATE applications SET status = ?, stage_id = ?, "
			    "rejection_reason = ?, rejection_note = ?, version "
			    "= version + 1 WHERE id = ? AND version = ? AND "
			    "status = 'active'",
			    "sissii", kind[x->how], to, x->reason, x->note,
			    x->id, st.version);
	if (rc == DB_OK && changed == 0) {
		x->stale = true;
		return ATS_CONFLICT;
	}
	if (rc == DB_OK)
		rc =
		    record(db, a, x->actor_id, x->id, kind[x->how], st.stage_id,
			   to, x->detail, action[x->how], x->remote_addr);
	return rc;
}

/* Runs change x, for which actor needs `need` on the application's job
 * (ATS_FORBIDDEN with refusal otherwise), after check(x) (may be NULL)
 * accepted its input.  After a collision with another change, says where
 * the application is now. */
static int app_change_run(struct db *db, const struct user *actor,
			  struct app_change *x, enum access need,
			  const char *refusal,
			  int (*check)(struct db *db, struct app_change *x))
{
	enum access acc;
	int rc = app_access(db, x->a, actor, x->id, &x->job_id, &acc);
	if (rc != DB_OK)
		return rc;
	if (acc < need)
		return ats_fail(x->err, ATS_FORBIDDEN, NULL, refusal);
	x->acc = acc;
	if (check && (rc = check(db, x)) != DB_OK)
		return rc;
	rc = db_transaction(db, app_change, x);
	if (rc == ATS_CONFLICT && x->stale)
		return stale_after_update(db, x->a, x->id, x->err);
	return rc;
}

/* A move's stage is one of the job's.  A move to a Hired stage (kind
 * "hired") is a hire there: the application ends as hired, as Hire does,
 * which only the job's recruiters may do (a hiring manager is told so);
 * an active application left at Hired would count as neither. */
static int move_check(struct db *db, struct app_change *x)
{
	struct stage target;
	int rc = job_stage(db, x->a, x->job_id, x->stage_id, &target, x->err);
	if (rc != DB_OK || strcmp(target.kind, "hired"))
		return rc;
	if (x->acc < ACCESS_MANAGE)
		return ats_fail(x->err, ATS_FORBIDDEN, "stage_id",
				"Moving a candidate to a Hired stage hires "
				"them, which only the job's recruiters do: "
				"ask one of them.");
	x->how = END_HIRE;
	return DB_OK;
}

int ats_application_move(struct db *db, struct arena *a,
			 const struct user *actor, int64_t id, int64_t stage_id,
			 int64_t version, const char *remote_addr,
			 struct ats_error *err)
{
	struct app_change x = {.how = MOVE,
			       .actor_id = actor->id,
			       .id = id,
			       .stage_id = stage_id,
			       .version = version,
			       .detail = "",
			       .remote_addr = remote_addr,
			       .a = a,
			       .err = err};
	return app_change_run(db, actor, &x, ACCESS_CONTRIBUTE,
			      "Only the job's recruiters and hiring managers "
			      "move candidates.",
			      move_check);
}

/* A rejection's reason is one of ats_rejection_reasons and its note short
 * text; they make the event's detail. */
static int reject_check(struct db *db, struct app_change *x)
{
	const char *label = ats_word_label(ats_rejection_reasons, x->reason);
	if (!label)
		return ats_fail(x->err, ATS_INVALID, "reason",
				"must be one of not_qualified, "
				"position_filled, candidate_declined, "
				"no_response, other");
	if (!x->note)
		x->note = "";
	if (!ats_text_valid(x->note, 0, APP_NOTE_MAX))
		return ats_fail(x->err, ATS_INVALID, "note",
				"must be at most 2,000 characters of text");
	x->detail = *x->note ? arena_printf(x->a, "%s: %s", label,
					    utf8_prefix(x->a, x->note, 900))
			     : label;
	return x->detail ? DB_OK : DB_ERROR;
}

/* Ends the application as how says. */
static int application_end(struct db *db, struct arena *a,
			   const struct user *actor, int64_t id,
			   enum change how, const char *reason,
			   const char *note, int64_t version,
			   const char *remote_addr, struct ats_error *err)
{
	struct app_change x = {.how = how,
			       .actor_id = actor->id,
			       .id = id,
			       .version = version,
			       .reason = reason,
			       .note = note,
			       .detail = "",
			       .remote_addr = remote_addr,
			       .a = a,
			       .err = err};
	return app_change_run(db, actor, &x, ACCESS_MANAGE,
			      "Only the job's recruiters end an application.",
			      how == END_REJECT ? reject_check : NULL);
}

int ats_application_reject(struct db *db, struct arena *a,
			   const struct user *actor, int64_t id,
			   const char *reason, const char *note,
			   int64_t version, const char *remote_addr,
			   struct ats_error *err)
{
	return application_end(db, a, actor, id, END_REJECT, reason, note,
			       version, remote_addr, err);
}

int ats_application_hire(struct db *db, struct arena *a,
			 const struct user *actor, int64_t id, int64_t version,
			 const char *remote_addr, struct ats_error *err)
{
	return application_end(db, a, actor, id, END_HIRE, NULL, NULL, version,
			       remote_addr, err);
}

int ats_application_withdraw(struct db *db, struct arena *a,
			     const struct user *actor, int64_t id,
			     int64_t version, const char *remote_addr,
			     struct ats_error *err)
{
	return application_end(db, a, actor, id, END_WITHDRAW, NULL, NULL,
			       version, remote_addr, err);
}

/* ------------------------------------------------------------ reopen, undo */

/*
 * Reopening and undoing bring an application back to an earlier state, as
 * a change of its own: one more event and audit row, the version bumped,
 * the outbox marked (so In ATS sync sees it), in one transaction.  History
 * is never rewritten.
 *
 * Undo names the event it undoes, and is refused when that event is no
 * longer the application's latest (anything happened since: a move, a
 * note on its stage, another undo) or was made by someone else: the user
 * undoes what they just did, not a change they have not seen.  What each
 * undo does:
 *   moved      back to the stage it came from (event "moved", still active)
 *   rejected,  active again at its stage (event "reopened")
 *   withdrawn
 *   hired      active again at the stage it was hired from ("reopened")
 * "created" and "reopened" events are not undone (Reject or Withdraw do).
 */
struct app_restore {
	int64_t actor_id, id;
	int64_t version;  /* 0: any (reopen); undo checks the event instead */
	int64_t event_id; /* undo: the event undone; 0: a reopen */
	const char *remote_addr;
	struct arena *a;
	struct ats_error *err;
	enum access acc;
	bool stale;
	int64_t new_event; /* the event this change wrote */
};

static int app_restore(struct db *db, struct arena *a, void *arg)
{
	struct app_restore *x = arg;
	struct app_state st;
	struct db_row r;
	uint64_t changed = 0;

	x->stale = false;
	int rc = app_state(db, a, x->id, &st);
	if (rc != DB_OK)
		return rc;
	if (x->version && st.version != x->version)
		return stale(x->a, &st, x->err);
	int64_t to = st.stage_id;
	const char *kind = "reopened", *action = "application.reopen";
	const char *detail = "";
	if (!x->event_id) {
		if (strcmp(st.status, "rejected") &&
		    strcmp(st.status, "withdrawn"))
			return ats_fail(x->err, ATS_CONFLICT, "status",
					!strcmp(st.status, "active")
					    ? "This application is open "
					      "already."
					    : "A hired candidate is not "
					      "reopened; Undo the hire right "
					      "after it, or add them again.");
	} else {
		rc = db_query_row(db, a, &r,
				  "SELECT id, kind, COALESCE(user_id, 0), "
				  "COALESCE(from_stage_id, 0), "
				  "COALESCE(to_stage_id, 0) FROM "
				  "application_events WHERE application_id = "
				  "? ORDER BY id DESC LIMIT 1",
				  "i", x->id);
		if (rc != DB_OK)
			return rc;
		const char *ek = r.v[1];
		int64_t from = db_int(&r, 3), evto = db_int(&r, 4);
		if (db_int(&r, 0) != x->event_id)
			return ats_fail(x->err, ATS_CONFLICT, "event_id",
					"Something else happened to this "
					"application since, so that change "
					"cannot be undone. Move or reopen it "
					"instead.");
		if (db_int(&r, 2) != x->actor_id)
			return ats_fail(x->err, ATS_FORBIDDEN, "event_id",
					"Only the person who made a change "
					"can undo it.");
		bool ended = !strcmp(ek, "rejected") ||
			     !strcmp(ek, "withdrawn") || !strcmp(ek, "hired");
		if (!strcmp(ek, "moved")) {
			if (strcmp(st.status, "active") || !from ||
			    evto != st.stage_id)
				return ats_fail(x->err, ATS_CONFLICT,
						"event_id",
						"This move cannot be undone: "
						"the stage it came from is "
						"gone.");
			to = from;
			kind = "moved";
		} else if (ended && !strcmp(st.status, ek)) {
			if (!strcmp(ek, "hired") && from)
				to = from;
		} else {
			return ats_fail(x->err, ATS_INVALID, "event_id",
					"That change cannot be undone.");
		}
		/* a move needs what Move needs; the endings are a manager's */
		if (x->acc < (strcmp(ek, "moved") ? ACCESS_MANAGE
						   : ACCESS_CONTRIBUTE))
			return ats_fail(x->err, ATS_FORBIDDEN, NULL,
					"Only the job's recruiters reopen an "
					"application.");
		action = "application.undo";
		detail = arena_printf(a, "undo of %s", ek);
		if (!detail)
			return DB_ERROR;
	}
	rc = lock_stages(db, a, st.stage_id, to);
	if (rc == DB_OK)
		rc = db_exec(db, &changed,
			     "UPDATE applications SET status = 'active', "
			     "stage_id = ?, rejection_reason = NULL, "
			     "rejection_note = NULL, version = version + 1 "
			     "WHERE id = ? AND version = ?",
			     "iii", to, x->id, st.version);
	if (rc == DB_OK && changed == 0) {
		x->stale = true;
		return ATS_CONFLICT;
	}
	if (rc == DB_OK)
		rc = record(db, a, x->actor_id, x->id, kind, st.stage_id, to,
			    detail, action, x->remote_addr);
	if (rc == DB_OK)
		rc = db_query_row(db, a, &r,
				  "SELECT MAX(id) FROM application_events "
				  "WHERE application_id = ?",
				  "i", x->id);
	if (rc == DB_OK)
		x->new_event = db_int(&r, 0);
	return rc;
}

static int restore_run(struct db *db, const struct user *actor,
		       struct app_restore *x)
{
	int64_t job_id;
	int rc = app_access(db, x->a, actor, x->id, &job_id, &x->acc);
	if (rc != DB_OK)
		return rc;
	/* an undo of a move asks for less; app_restore checks it then */
	if (x->acc < (x->event_id ? ACCESS_CONTRIBUTE : ACCESS_MANAGE))
		return ats_fail(x->err, ATS_FORBIDDEN, NULL,
				"Only the job's recruiters reopen an "
				"application.");
	rc = db_transaction(db, app_restore, x);
	if (rc == ATS_CONFLICT && x->stale)
		return stale_after_update(db, x->a, x->id, x->err);
	return rc;
}

int ats_application_reopen(struct db *db, struct arena *a,
			   const struct user *actor, int64_t id,
			   int64_t version, const char *remote_addr,
			   struct ats_error *err)
{
	struct app_restore x = {.actor_id = actor->id,
				.id = id,
				.version = version,
				.remote_addr = remote_addr,
				.a = a,
				.err = err};
	return restore_run(db, actor, &x);
}

int ats_application_undo(struct db *db, struct arena *a,
			 const struct user *actor, int64_t id,
			 int64_t event_id, const char *remote_addr,
			 struct ats_error *err)
{
	if (event_id <= 0)
		return ats_fail(err, ATS_INVALID, "event_id",
				"must name the change to undo");
	struct app_restore x = {.actor_id = actor->id,
				.id = id,
				.event_id = event_id,
				.remote_addr = remote_addr,
				.a = a,
				.err = err};
	return restore_run(db, actor, &x);
}

int ats_application_last_event(struct db *db, struct arena *a, int64_t id,
			       int64_t *event_id, int64_t *user_id,
			       const char **kind)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT id, COALESCE(user_id, 0), kind FROM "
			      "application_events WHERE application_id = ? "
			      "ORDER BY id DESC LIMIT 1",
			      "i", id);
	if (rc != DB_OK)
		return rc;
	*event_id = db_int(&r, 0);
	*user_id = db_int(&r, 1);
	*kind = r.v[2];
	return DB_OK;
}

/* ------------------------------------------------------------ feedback */

/* The feedback on the candidate's applications (candidate_id > 0) or on
 * one application, filtered by the visibility rule. */
static int feedback_list(struct db *db, struct arena *a,
			 const struct user *viewer, int64_t candidate_id,
			 int64_t application_id, struct feedback **out,
			 size_t *n)
{
	struct db_result res;
	*out = NULL;
	*n = 0;
	int rc = db_query(
	    db, a, &res,
	    "SELECT f.id, f.application_id, j.title, COALESCE(u.name, ''), "
	    "f.recommendation, f.body, DATE_FORMAT(f.created_at, '%Y-%m-%d "
	    "%H:%i'), f.rating, ap.job_id, f.interviewer_id, EXISTS (SELECT 1 "
	    "FROM interview_feedback f2 WHERE f2.application_id = "
	    "f.application_id AND f2.interviewer_id = ?) FROM "
	    "interview_feedback f JOIN applications ap ON ap.id = "
	    "f.application_id JOIN jobs j ON j.id = ap.job_id LEFT JOIN users "
	    "u "
	    "ON u.id = f.interviewer_id WHERE (ap.candidate_id = ? OR ap.id = "
	    "?) ORDER BY f.created_at DESC, f.id DESC",
	    "iii", (int64_t)viewer->id, candidate_id, application_id);
	/* a candidate's: the access to all its jobs in one query */
	struct job_acc *jobs = NULL;
	size_t njobs = 0;
	if (rc == DB_OK && candidate_id && res.nrows)
		rc = candidate_jobs_access(db, a, viewer, candidate_id, &jobs,
					   &njobs);
	if (rc != DB_OK)
		return rc;
	struct feedback *v =
	    arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*v));
	if (!v)
		return DB_ERROR;
	size_t k = 0;
	int64_t last_job = 0;
	enum access acc = ACCESS_NONE;
	for (size_t i = 0; i < res.nrows; i++) {
		struct db_row *r = &res.rows[i];
		int64_t job_id = db_int(r, 8);
		if (jobs) {
			acc = job_acc_find(jobs, njobs, job_id);
		} else if (job_id != last_job) {
			rc = ats_job_access(db, a, viewer, job_id, &acc);
			if (rc != DB_OK)
				return rc;
			last_job = job_id;
		}
		bool mine = db_int(r, 9) == viewer->id;
		bool submitted = db_int(r, 10) != 0;
		/* Recruiters, hiring managers and admins read everything; an
		 * interviewer reads others' feedback only once they have
		 * given their own, so theirs is not coloured by it. */
		if (acc == ACCESS_NONE ||
		    (acc == ACCESS_READ && !mine && !submitted))
			continue;
		/* the interviewer's narrowing (access.h): not on an
		 * application they may not see */
		bool seen = true;
		if (viewer->role == ROLE_INTERVIEWER) {
			rc = ats_app_seen(db, a, viewer, db_int(r, 1), &seen);
			if (rc != DB_OK)
				return rc;
		}
		if (!seen)
			continue;
		v[k++] = (struct feedback){
		    .id = db_int(r, 0),
		    .application_id = db_int(r, 1),
		    .job_title = r->v[2],
		    .interviewer_name = r->v[3],
		    .recommendation = r->v[4],
		    .body = r->v[5],
		    .created_at = r->v[6],
		    .rating = (int)db_int(r, 7),
		    .job_id = job_id,
		    .interviewer_id = db_int(r, 9),
		    .mine = mine,
		};
	}
	*out = v;
	*n = k;
	return ats_feedback_details(db, a, v, k);
}

int ats_candidate_feedback(struct db *db, struct arena *a,
			   const struct user *viewer, int64_t candidate_id,
			   struct feedback **out, size_t *n)
{
	return feedback_list(db, a, viewer, candidate_id, 0, out, n);
}

int ats_application_feedback(struct db *db, struct arena *a,
			     const struct user *viewer, int64_t application_id,
			     struct feedback **out, size_t *n)
{
	int64_t job_id;
	enum access acc;
	int rc = app_access(db, a, viewer, application_id, &job_id, &acc);
	if (rc != DB_OK)
		return rc;
	return feedback_list(db, a, viewer, 0, application_id, out, n);
}
