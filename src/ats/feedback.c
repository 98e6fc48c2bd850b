/*
 * feedback.c - structured interview feedback, feedback requests, and the
 * lists of each role's home (feedback.h says what and why).
 *
 * Every write is one transaction (db_transaction) with its audit row; a
 * feedback's ratings are written with it.  The rules of who may see an
 * application are access.h's: app_open() below is the one door every
 * function here goes through for an application.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ats/check.h"
#include "ats/feedback.h"
#include "ats/outbox.h"

/* ------------------------------------------------------------ helpers */

/* What feedback needs to know of an application, for the viewer. */
struct app_facts {
	int64_t job_id, stage_id;
	const char *status;
	enum access acc;
	const char *member_role; /* NULL: not a member of the job */
};

/* The application as the viewer may see it: DB_NOT_FOUND when it does not
 * exist or they may not see it (its job, or the interviewer's narrowing). */
static int app_open(struct db *db, struct arena *a, const struct user *u,
		    int64_t id, struct app_facts *f)
{
	struct db_row r;
	bool seen;
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT ap.job_id, ap.stage_id, ap.status, (SELECT role FROM "
	    "job_members WHERE job_id = ap.job_id AND user_id = ?) FROM "
	    "applications ap WHERE ap.id = ?",
	    "ii", (int64_t)u->id, id);
	if (rc != DB_OK)
		return rc;
	f->job_id = db_int(&r, 0);
	f->stage_id = db_int(&r, 1);
	f->status = r.v[2];
	f->member_role = r.v[3];
	rc = ats_job_access(db, a, u, f->job_id, &f->acc);
	if (rc == DB_OK && f->acc == ACCESS_NONE)
		return DB_NOT_FOUND;
	if (rc == DB_OK)
		rc = ats_app_seen(db, a, u, id, &seen);
	if (rc == DB_OK && !seen)
		return DB_NOT_FOUND;
	return rc;
}

/* ------------------------------------------------------------ criteria */

int ats_job_criteria(struct db *db, struct arena *a, int64_t job_id,
		     struct criteria *out)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	int rc = db_query(db, a, &res,
			  "SELECT id, name, position FROM job_criteria WHERE "
			  "job_id = ? ORDER BY position, id",
			  "i", job_id);
	if (rc != DB_OK)
		return rc;
	out->v = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++)
		out->v[i] = (struct criterion){db_int(&res.rows[i], 0),
					       res.rows[i].v[1],
					       (int)db_int(&res.rows[i], 2)};
	out->n = res.nrows;
	return DB_OK;
}

struct criteria_set {
	int64_t actor_id, job_id;
	const char *const *names;
	size_t n;
	const char *remote_addr;
};

/* The rows of the job's criteria and their audit row, in the caller's
 * transaction (the job locked or just inserted). */
static int criteria_rows(struct db *db, const struct criteria_set *x)
{
	int rc = db_exec(db, NULL, "DELETE FROM job_criteria WHERE job_id = ?",
			 "i", x->job_id);
	struct buf detail = BUF_INIT;
	for (size_t i = 0; rc == DB_OK && i < x->n; i++) {
		rc = db_exec(db, NULL,
			     "INSERT INTO job_criteria (job_id, name, position) "
			     "VALUES (?, ?, ?)",
			     "isi", x->job_id, x->names[i], (int64_t)(i + 1));
		buf_addf(&detail, "%s%s", i ? ", " : "", x->names[i]);
	}
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "job.criteria", "job", x->job_id,
			       buf_failed(&detail) ? "" : detail.data,
			       x->remote_addr);
	buf_release(&detail);
	return rc;
}

static int criteria_write(struct db *db, struct arena *a, void *arg)
{
	struct criteria_set *x = arg;
	int rc = ats_job_lock(db, a, x->job_id);
	return rc == DB_OK ? criteria_rows(db, x) : rc;
}

int ats_job_criteria_write_in(struct db *db, int64_t actor_id, int64_t job_id,
			      const char *const *names, size_t n,
			      const char *remote_addr)
{
	struct criteria_set x = {actor_id, job_id, names, n, remote_addr};
	return n ? criteria_rows(db, &x) : DB_OK;
}

int ats_criteria_check(struct arena *a, const char *const *names, size_t n,
		       struct ats_error *err)
{
	if (n > JOB_CRITERIA_MAX)
		return ats_invalid(err, "criteria",
				   "A job has at most 10 criteria.");
	for (size_t i = 0; i < n; i++) {
		if (!ats_line_valid(names[i], 1, CRITERION_NAME_MAX))
			return ats_invalid(err, "criteria",
					   "Each criterion is a name of 1 to "
					   "100 characters on one line.");
		for (size_t k = 0; k < i; k++)
			if (!strcasecmp(names[k], names[i]))
				return ats_invalid(
				    err, "criteria",
				    arena_printf(a,
						 "\"%s\" is listed twice: each "
						 "criterion once.",
						 names[i]));
	}
	return DB_OK;
}

int ats_job_criteria_set(struct db *db, struct arena *a, int64_t actor_id,
			 int64_t job_id, const char *const *names, size_t n,
			 const char *remote_addr, struct ats_error *err)
{
	int rc = ats_criteria_check(a, names, n, err);
	if (rc != DB_OK)
		return rc;
	struct criteria_set x = {actor_id, job_id, names, n, remote_addr};
	return db_transaction(db, criteria_write, &x);
}

/* ------------------------------------------------------------ feedback */

/* The input checked against the job's criteria: ATS_INVALID naming the
 * field, else DB_OK with *overall the overall rating. */
static int input_check(struct arena *a, const struct criteria *cr,
		       const struct feedback_input *in, int *overall,
		       struct ats_error *err)
{
	if (!in->recommendation ||
	    !ats_word_label(ats_recommendations, in->recommendation))
		return ats_invalid(err, "recommendation",
				   "Choose a recommendation: strong no, no, "
				   "yes or strong yes.");
	size_t want = cr->n ? cr->n : 1;
	int sum = 0;
	for (size_t i = 0; i < want; i++) {
		int v = i < in->nratings ? in->ratings[i] : 0;
		if (v < 1 || v > 5) {
			if (!cr->n)
				return ats_invalid(
				    err, "rating",
				    "Choose a rating from 1 to 5.");
			const char *field = arena_printf(
			    a, "criterion_%lld", (long long)cr->v[i].id);
			const char *m = arena_printf(
			    a, "Rate \"%s\" from 1 to 5.", cr->v[i].name);
			return ats_invalid(err, field ? field : "rating",
					   m ? m : "Rate each criterion.");
		}
		sum += v;
	}
	if (!ats_text_valid(in->body, 1, FEEDBACK_BODY_MAX))
		return ats_invalid(err, "body",
				   "Write your feedback (1 to 20,000 "
				   "characters).");
	/* the mean, rounded half up */
	*overall = (2 * sum + (int)want) / (2 * (int)want);
	return DB_OK;
}

/* A feedback's write, for its transaction. */
struct fb_write {
	int64_t actor_id, application_id, stage_id;
	int64_t id; /* edit: the feedback's; give: the new one's */
	const struct criteria *cr;
	const struct feedback_input *in;
	int overall;
	const char *remote_addr;
	bool edit;
	struct ats_error *err;
	struct arena *ea; /* err's messages */
};

static int fb_ratings(struct db *db, struct fb_write *x)
{
	int rc = db_exec(db, NULL,
			 "DELETE FROM feedback_ratings WHERE feedback_id = ?",
			 "i", x->id);
	for (size_t i = 0; rc == DB_OK && i < x->cr->n; i++)
		rc = db_exec(db, NULL,
			     "INSERT INTO feedback_ratings (feedback_id, "
			     "position, criterion, rating) VALUES (?, ?, ?, ?)",
			     "iisi", x->id, (int64_t)(i + 1), x->cr->v[i].name,
			     (int64_t)x->in->ratings[i]);
	return rc;
}

static int fb_write(struct db *db, struct arena *a, void *arg)
{
	struct fb_write *x = arg;
	uint64_t changed = 0;
	int rc;
	if (x->edit) {
		/* still where it was given, and active: checked in the
		 * statement itself, so a move committed meanwhile wins */
		rc = db_exec(db, &changed,
			     "UPDATE interview_feedback f JOIN applications ap "
			     "ON ap.id = f.application_id SET f.rating = ?, "
			     "f.recommendation = ?, f.body = ?, f.updated_at = "
			     "NOW(3) WHERE f.id = ? AND f.interviewer_id = ? "
			     "AND ap.status = 'active' AND ap.stage_id = "
			     "f.stage_id",
			     "issii", (int64_t)x->overall,
			     x->in->recommendation, x->in->body, x->id,
			     x->actor_id);
		if (rc == DB_OK && !changed)
			return ats_fail(x->err, ATS_CONFLICT, "application_id",
					"The application has moved on since "
					"you gave this feedback, so it can no "
					"longer be changed.");
	} else {
		rc = db_exec(db, NULL,
			     "INSERT INTO interview_feedback (application_id, "
			     "interviewer_id, rating, recommendation, body, "
			     "stage_id) VALUES (?, ?, ?, ?, ?, ?)",
			     "iiissi", x->application_id, x->actor_id,
			     (int64_t)x->overall, x->in->recommendation,
			     x->in->body, x->stage_id);
		if (rc == DB_OK)
			x->id = (int64_t)db_insert_id(db);
	}
	if (rc == DB_OK)
		rc = fb_ratings(db, x);
	if (rc == DB_OK)
		rc = ats_outbox_mark_application(db, x->application_id);
	if (rc == DB_OK) {
		const char *detail = arena_printf(
		    a, "application %lld: %d, %s",
		    (long long)x->application_id, x->overall,
		    x->in->recommendation);
		rc = ats_audit(db, x->actor_id,
			       x->edit ? "feedback.update" : "feedback.create",
			       "feedback", x->id, detail ? detail : "",
			       x->remote_addr);
	}
	return rc;
}

int ats_feedback_give(struct db *db, struct arena *a, const struct user *actor,
		      int64_t application_id, const struct feedback_input *in,
		      const char *remote_addr, int64_t *id,
		      struct ats_error *err)
{
	struct app_facts f;
	struct criteria cr;
	int overall;
	int rc = app_open(db, a, actor, application_id, &f);
	if (rc != DB_OK)
		return rc;
	if (!f.member_role)
		return ats_fail(err, ATS_FORBIDDEN, NULL,
				"Only the job's interviewers, hiring managers "
				"and recruiters give interview feedback.");
	if (strcmp(f.status, "active"))
		return ats_fail(err, ATS_CONFLICT, "status",
				"This application has ended; feedback is "
				"given on active applications.");
	rc = ats_job_criteria(db, a, f.job_id, &cr);
	if (rc == DB_OK)
		rc = input_check(a, &cr, in, &overall, err);
	if (rc != DB_OK)
		return rc;
	struct fb_write x = {.actor_id = actor->id,
			     .application_id = application_id,
			     .stage_id = f.stage_id,
			     .cr = &cr,
			     .in = in,
			     .overall = overall,
			     .remote_addr = remote_addr,
			     .err = err};
	rc = db_transaction(db, fb_write, &x);
	if (rc == DB_DUPLICATE)
		return ats_fail(err, ATS_CONFLICT, "application_id",
				"You have already submitted feedback at "
				"this stage; edit it instead.");
	if (rc == DB_OK && id)
		*id = x.id;
	return rc;
}

int ats_feedback_application(struct db *db, struct arena *a,
			     const struct user *author, int64_t feedback_id,
			     int64_t *application_id)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT application_id FROM interview_feedback "
			      "WHERE id = ? AND interviewer_id = ?",
			      "ii", feedback_id, (int64_t)author->id);
	if (rc == DB_OK)
		*application_id = db_int(&r, 0);
	return rc;
}

int ats_feedback_edit(struct db *db, struct arena *a, const struct user *actor,
		      int64_t feedback_id, const struct feedback_input *in,
		      const char *remote_addr, struct ats_error *err)
{
	struct app_facts f;
	struct criteria cr;
	int64_t app_id;
	int overall;
	int rc = ats_feedback_application(db, a, actor, feedback_id, &app_id);
	if (rc == DB_OK)
		rc = app_open(db, a, actor, app_id, &f);
	if (rc == DB_OK)
		rc = ats_job_criteria(db, a, f.job_id, &cr);
	if (rc == DB_OK)
		rc = input_check(a, &cr, in, &overall, err);
	if (rc != DB_OK)
		return rc;
	struct fb_write x = {.actor_id = actor->id,
			     .application_id = app_id,
			     .id = feedback_id,
			     .cr = &cr,
			     .in = in,
			     .overall = overall,
			     .remote_addr = remote_addr,
			     .edit = true,
			     .err = err};
	return db_transaction(db, fb_write, &x);
}

/* The ids of a chunk of listed feedback, bound as a fixed IN list (one
 * prepared statement whatever the count; 0 pads). */
#define CHUNK 16
#define CHUNK_IN "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define CHUNK_TYPES "iiiiiiiiiiiiiiii"
#define CHUNK_ARGS(x)                                                          \
	x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10],     \
	    x[11], x[12], x[13], x[14], x[15]

static struct feedback *by_id(struct feedback *v, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id)
			return &v[i];
	return NULL;
}

int ats_feedback_details(struct db *db, struct arena *a, struct feedback *v,
			 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		v[i].nratings = 0;
		v[i].editable = false;
		v[i].ratings = arena_calloc(a, JOB_CRITERIA_MAX,
					    sizeof(*v[i].ratings));
		if (!v[i].ratings)
			return DB_ERROR;
	}
	for (size_t at = 0; at < n; at += CHUNK) {
		int64_t x[CHUNK] = {0};
		struct db_result res, ed;
		for (size_t i = 0; i < CHUNK && at + i < n; i++)
			x[i] = v[at + i].id;
		int rc = db_query(db, a, &res,
				  "SELECT feedback_id, criterion, rating FROM "
				  "feedback_ratings WHERE feedback_id IN " CHUNK_IN
				  " ORDER BY feedback_id, position",
				  CHUNK_TYPES, CHUNK_ARGS(x));
		if (rc == DB_OK)
			rc = db_query(
			    db, a, &ed,
			    "SELECT f.id, COALESCE(f.stage_id, 0), "
			    "ap.status = 'active' AND ap.stage_id <=> "
			    "f.stage_id FROM interview_feedback f JOIN "
			    "applications ap ON ap.id = f.application_id WHERE "
			    "f.id IN " CHUNK_IN,
			    CHUNK_TYPES, CHUNK_ARGS(x));
		if (rc != DB_OK)
			return rc;
		for (size_t k = 0; k < res.nrows; k++) {
			struct db_row *r = &res.rows[k];
			struct feedback *f = by_id(v, n, db_int(r, 0));
			if (f && f->nratings < JOB_CRITERIA_MAX)
				f->ratings[f->nratings++] =
				    (struct feedback_rating){r->v[1],
							     (int)db_int(r, 2)};
		}
		for (size_t k = 0; k < ed.nrows; k++) {
			struct db_row *r = &ed.rows[k];
			struct feedback *f = by_id(v, n, db_int(r, 0));
			if (!f)
				continue;
			f->stage_id = db_int(r, 1);
			f->editable = f->mine && db_int(r, 2) != 0;
		}
	}
	return DB_OK;
}

int ats_feedback_mine(struct db *db, struct arena *a, const struct user *viewer,
		      int64_t application_id, struct feedback *out,
		      bool *found)
{
	struct db_row r;
	*found = false;
	memset(out, 0, sizeof(*out));
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT f.id, f.recommendation, f.body, f.rating, "
	    "DATE_FORMAT(f.created_at, '%Y-%m-%d %H:%i') FROM "
	    "interview_feedback f JOIN applications ap ON ap.id = "
	    "f.application_id WHERE f.application_id = ? AND "
	    "f.interviewer_id = ? AND f.stage_id = ap.stage_id",
	    "ii", application_id, (int64_t)viewer->id);
	if (rc == DB_NOT_FOUND)
		return DB_OK;
	if (rc != DB_OK)
		return rc;
	out->id = db_int(&r, 0);
	out->application_id = application_id;
	out->recommendation = r.v[1];
	out->body = r.v[2];
	out->rating = (int)db_int(&r, 3);
	out->created_at = r.v[4];
	out->interviewer_id = viewer->id;
	out->mine = true;
	*found = true;
	return ats_feedback_details(db, a, out, 1);
}

/* ------------------------------------------------------------ requests */

struct fb_request {
	int64_t actor_id, application_id, stage_id;
	const int64_t *ids;
	size_t n;
	const char *names;
	const char *remote_addr;
};

static int request_write(struct db *db, struct arena *a, void *arg)
{
	struct fb_request *x = arg;
	int rc = DB_OK;
	for (size_t i = 0; rc == DB_OK && i < x->n; i++)
		rc = db_exec(db, NULL,
			     "INSERT INTO feedback_requests (application_id, "
			     "interviewer_id, requested_by) VALUES (?, ?, ?) "
			     "ON DUPLICATE KEY UPDATE requested_by = "
			     "VALUES(requested_by), requested_at = NOW(3)",
			     "iii", x->application_id, x->ids[i], x->actor_id);
	const char *detail = arena_printf(a, "Asked %s", x->names);
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "INSERT INTO application_events (application_id, "
			     "user_id, kind, from_stage_id, to_stage_id, "
			     "detail) VALUES (?, ?, 'feedback_requested', ?, "
			     "?, ?)",
			     "iiiis", x->application_id, x->actor_id,
			     x->stage_id, x->stage_id, detail ? detail : "");
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "feedback.request",
			       "application", x->application_id,
			       detail ? detail : "", x->remote_addr);
	return rc;
}

int ats_feedback_request(struct db *db, struct arena *a,
			 const struct user *actor, int64_t application_id,
			 const int64_t *ids, size_t n, const char *remote_addr,
			 const char **names, struct ats_error *err)
{
	struct app_facts f;
	int rc = app_open(db, a, actor, application_id, &f);
	if (rc != DB_OK)
		return rc;
	if (f.acc < ACCESS_CONTRIBUTE)
		return ats_fail(err, ATS_FORBIDDEN, NULL,
				"Only the job's recruiters and hiring "
				"managers ask for feedback.");
	if (strcmp(f.status, "active"))
		return ats_fail(err, ATS_CONFLICT, "status",
				"This application has ended; feedback is "
				"asked for on active applications.");
	if (!n)
		return ats_invalid(err, "interviewer_id",
				   "Choose at least one interviewer to ask.");
	if (n > FEEDBACK_ASK_MAX)
		return ats_invalid(err, "interviewer_id",
				   "Ask at most 20 interviewers at once.");
	struct buf nb = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		struct db_row r;
		rc = db_query_row(db, a, &r,
				  "SELECT u.name FROM job_members jm JOIN users "
				  "u ON u.id = jm.user_id WHERE jm.job_id = ? "
				  "AND jm.user_id = ? AND jm.role = "
				  "'interviewer' AND u.active = 1",
				  "ii", f.job_id, ids[i]);
		if (rc == DB_NOT_FOUND) {
			buf_release(&nb);
			return ats_invalid(err, "interviewer_id",
					   "Choose interviewers of this job.");
		}
		if (rc != DB_OK) {
			buf_release(&nb);
			return rc;
		}
		for (size_t k = 0; k < i; k++)
			if (ids[k] == ids[i]) {
				buf_release(&nb);
				return ats_invalid(
				    err, "interviewer_id",
				    "An interviewer is named twice.");
			}
		buf_addf(&nb, "%s%s", !i ? "" : i + 1 == n ? " and " : ", ",
			 r.v[0]);
	}
	const char *joined =
	    buf_failed(&nb) ? NULL : arena_strdup(a, nb.data);
	buf_release(&nb);
	if (!joined)
		return DB_ERROR;
	struct fb_request x = {actor->id, application_id, f.stage_id, ids,
			       n,	  joined,	  remote_addr};
	rc = db_transaction(db, request_write, &x);
	if (rc == DB_OK && names)
		*names = joined;
	return rc;
}

int ats_feedback_requests(struct db *db, struct arena *a,
			  int64_t application_id, struct feedback_request **out,
			  size_t *n)
{
	struct db_result res;
	*out = NULL;
	*n = 0;
	int rc = db_query(
	    db, a, &res,
	    "SELECT fr.interviewer_id, COALESCE(u.name, ''), COALESCE(rb.name, "
	    "''), DATE_FORMAT(fr.requested_at, '%Y-%m-%d %H:%i'), EXISTS "
	    "(SELECT 1 FROM interview_feedback f WHERE f.application_id = "
	    "fr.application_id AND f.interviewer_id = fr.interviewer_id AND "
	    "f.updated_at >= fr.requested_at) FROM feedback_requests fr LEFT "
	    "JOIN users u ON u.id = fr.interviewer_id LEFT JOIN users rb ON "
	    "rb.id = fr.requested_by WHERE fr.application_id = ? ORDER BY "
	    "fr.requested_at DESC, u.name",
	    "i", application_id);
	if (rc != DB_OK)
		return rc;
	struct feedback_request *v =
	    arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*v));
	if (!v)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		struct db_row *r = &res.rows[i];
		v[i] = (struct feedback_request){db_int(r, 0), r->v[1], r->v[2],
						 r->v[3], db_int(r, 4) != 0};
	}
	*out = v;
	*n = res.nrows;
	return DB_OK;
}

/* ------------------------------------------------------------ homes */

#define HOME_COLUMNS                                                           \
	"SELECT ap.id, ap.candidate_id, ap.job_id, TRIM(CONCAT(c.first_name, " \
	"' ', c.last_name)), j.title, s.name, "

#define HOME_JOINS                                                             \
	" FROM job_members jm JOIN applications ap ON ap.job_id = jm.job_id " \
	"AND ap.status = 'active' JOIN job_stages s ON s.id = ap.stage_id "    \
	"JOIN jobs j ON j.id = ap.job_id JOIN candidates c ON c.id = "         \
	"ap.candidate_id "

/* Feedback due: asked and not given since, or at the Interview stage of a
 * job they interview on and not given at that stage. */
#define DUE_FROM                                                               \
	HOME_JOINS                                                             \
	"LEFT JOIN feedback_requests fr ON fr.application_id = ap.id AND "     \
	"fr.interviewer_id = jm.user_id LEFT JOIN users ru ON ru.id = "        \
	"fr.requested_by WHERE jm.user_id = ? AND jm.role = 'interviewer' "    \
	"AND ((fr.requested_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "      \
	"interview_feedback f WHERE f.application_id = ap.id AND "             \
	"f.interviewer_id = jm.user_id AND f.updated_at >= fr.requested_at)) " \
	"OR (s.kind = 'interview' AND NOT EXISTS (SELECT 1 FROM "              \
	"interview_feedback f WHERE f.application_id = ap.id AND "             \
	"f.interviewer_id = jm.user_id AND f.stage_id = ap.stage_id)))"

/* Needs review: past the last Prospect stage, before the first Interview,
 * Offer or Hired one, no feedback of theirs since it arrived there. */
#define REVIEW_FROM                                                            \
	HOME_JOINS                                                             \
	"WHERE jm.user_id = ? AND jm.role = 'hiring_manager' AND s.kind <> "   \
	"'prospect' AND s.position > (SELECT COALESCE(MAX(s3.position), 0) "   \
	"FROM job_stages s3 WHERE s3.job_id = ap.job_id AND s3.kind = "        \
	"'prospect') AND s.position < (SELECT COALESCE(MIN(s2.position), "     \
	"2147483647) FROM job_stages s2 WHERE s2.job_id = ap.job_id AND "      \
	"s2.kind IN ('interview', 'offer', 'hired')) AND NOT EXISTS (SELECT 1 " \
	"FROM interview_feedback f WHERE f.application_id = ap.id AND "        \
	"f.interviewer_id = jm.user_id AND (f.stage_id = ap.stage_id OR "      \
	"f.updated_at >= COALESCE(ap.stage_since, ap.created_at)))"

static int home_rows(struct arena *a, const struct db_result *res,
		     struct home_entry **out, size_t *n)
{
	struct home_entry *v =
	    arena_calloc(a, res->nrows ? res->nrows : 1, sizeof(*v));
	if (!v)
		return DB_ERROR;
	for (size_t i = 0; i < res->nrows; i++) {
		struct db_row *r = &res->rows[i];
		v[i] = (struct home_entry){
		    .application_id = db_int(r, 0),
		    .candidate_id = db_int(r, 1),
		    .job_id = db_int(r, 2),
		    .candidate_name = r->v[3],
		    .job_title = r->v[4],
		    .job_public_id = ats_job_public_id(a, db_int(r, 2)),
		    .stage_name = r->v[5],
		    .since = r->v[6],
		    .requested = db_int(r, 7) != 0,
		    .requested_by = r->v[8] ? r->v[8] : "",
		};
		if (!v[i].job_public_id)
			return DB_ERROR;
	}
	*out = v;
	*n = res->nrows;
	return DB_OK;
}

int ats_feedback_due(struct db *db, struct arena *a, const struct user *u,
		     int64_t limit, struct home_entry **out, size_t *n,
		     int64_t *total)
{
	struct db_result res;
	struct db_row r;
	*out = NULL;
	*n = 0;
	int rc = db_query_row(db, a, &r, "SELECT COUNT(*)" DUE_FROM, "i",
			      (int64_t)u->id);
	if (rc != DB_OK)
		return rc;
	*total = db_int(&r, 0);
	if (!*total || limit <= 0)
		return DB_OK;
	rc = db_query(db, a, &res,
		      HOME_COLUMNS
		      "DATE_FORMAT(COALESCE(fr.requested_at, ap.stage_since, "
		      "ap.created_at), '%Y-%m-%d %H:%i'), fr.requested_at IS "
		      "NOT NULL, ru.name" DUE_FROM
		      " ORDER BY COALESCE(fr.requested_at, ap.stage_since, "
		      "ap.created_at), ap.id LIMIT ?",
		      "ii", (int64_t)u->id, limit);
	return rc == DB_OK ? home_rows(a, &res, out, n) : rc;
}

int ats_needs_review(struct db *db, struct arena *a, const struct user *u,
		     int64_t limit, struct home_entry **out, size_t *n,
		     int64_t *total)
{
	struct db_result res;
	struct db_row r;
	*out = NULL;
	*n = 0;
	int rc = db_query_row(db, a, &r, "SELECT COUNT(*)" REVIEW_FROM, "i",
			      (int64_t)u->id);
	if (rc != DB_OK)
		return rc;
	*total = db_int(&r, 0);
	if (!*total || limit <= 0)
		return DB_OK;
	rc = db_query(db, a, &res,
		      HOME_COLUMNS
		      "DATE_FORMAT(COALESCE(ap.stage_since, ap.created_at), "
		      "'%Y-%m-%d %H:%i'), 0, NULL" REVIEW_FROM
		      " ORDER BY COALESCE(ap.stage_since, ap.created_at), "
		      "ap.id LIMIT ?",
		      "ii", (int64_t)u->id, limit);
	return rc == DB_OK ? home_rows(a, &res, out, n) : rc;
}

/* ------------------------------------------------------------ stage tab */

#define SEEN_FROM                                                              \
	" FROM applications ap JOIN candidates c ON c.id = ap.candidate_id "   \
	"WHERE ap.job_id = ? AND ap.stage_id = ? AND " ATS_APP_INTERVIEWER_SQL( \
	    "ap", "?")

int ats_stage_applications_seen(struct db *db, struct arena *a,
				const struct user *u, int64_t job_id,
				int64_t stage_id, int64_t offset, int64_t limit,
				struct stage_entry_list *out)
{
	struct db_result res;
	struct db_row r;
	memset(out, 0, sizeof(*out));
	int rc = db_query_row(db, a, &r, "SELECT COUNT(*)" SEEN_FROM,
			      "iiii", job_id, stage_id, (int64_t)u->id,
			      (int64_t)u->id);
	if (rc != DB_OK)
		return rc;
	out->total = db_int(&r, 0);
	out->v = arena_calloc(a, limit > 0 ? (size_t)limit : 1,
			      sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	if (offset >= out->total)
		return DB_OK;
	rc = db_query(db, a, &res,
		      "SELECT ap.id, ap.candidate_id, TRIM(CONCAT(c.first_name, "
		      "' ', c.last_name)), COALESCE(c.email, ''), "
		      "DATE_FORMAT(COALESCE(ap.stage_since, ap.created_at), "
		      "'%Y-%m-%d %H:%i'), ap.status, ap.source, ap.version" SEEN_FROM
		      " ORDER BY ap.status <> 'active', ap.id LIMIT ? OFFSET ?",
		      "iiiiii", job_id, stage_id, (int64_t)u->id,
		      (int64_t)u->id, limit, offset);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows && i < (size_t)limit; i++) {
		struct db_row *row = &res.rows[i];
		out->v[out->n++] = (struct stage_entry){
		    db_int(row, 0), db_int(row, 1), row->v[2], row->v[3],
		    row->v[4],	    row->v[5],	    row->v[6],
		    db_int(row, 7)};
	}
	return DB_OK;
}
