/*
 * applications.c - the application endpoints: add a candidate to a job,
 * move, reject, hire, withdraw, interview feedback, and the application
 * page (GET /applications/{id}).
 *
 * The rules live in src/ats/applications.c; these handlers read and bound
 * the fields, call it, and answer: a browser is sent back (303) to the
 * candidate's Applications tab or to a local `return_to` path; a JSON client
 * gets the application itself.  A form that fails (400, 409) shows the
 * application page again with the message and the values typed, with the
 * application as it is now (so a stale move shows where it went).
 *
 * web_application_json() and web_candidate_applications_context() build the
 * context of the partials in templates/applications/, for the candidate and
 * job pages of other families.
 */
#include <string.h>

#include "ats/applications.h"
#include "ats/feedback.h"
#include "web/web.h"

/* ------------------------------------------------------------ context */

/* Whether this request is a form post to one of our own endpoints, so its
 * fields may be put back into our forms. */
static bool own_post(const struct ctx *c)
{
	return c->req->method == HTTP_POST && c->route &&
	       !strncmp(c->route->r.pattern, "/applications", 13);
}

static const char *kept(struct ctx *c, const char *name, int64_t app_id)
{
	if (!own_post(c) || web_capture_id(c, 0) != app_id)
		return "";
	return web_text(c, name, 0);
}

json_t *web_feedback_json(const struct feedback *f)
{
	json_t *rv = json_array();
	for (size_t i = 0; rv && i < f->nratings; i++)
		json_array_append_new(
		    rv, json_pack("{s:s, s:i}", "criterion",
				  f->ratings[i].criterion, "rating",
				  f->ratings[i].rating));
	return json_pack(
	    "{s:I, s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:s, s:i, s:b, s:o, "
	    "s:b, s:b}",
	    "id", (json_int_t)f->id, "application_id",
	    (json_int_t)f->application_id, "job_id", (json_int_t)f->job_id,
	    "job_title", f->job_title, "interviewer_name", f->interviewer_name,
	    "recommendation", f->recommendation, "recommendation_label",
	    ats_word_label(ats_recommendations, f->recommendation), "body",
	    f->body, "created_at", f->created_at, "rating", f->rating, "mine",
	    f->mine, "ratings", rv ? rv : json_array(), "has_ratings",
	    f->nratings > 0, "editable", f->editable);
}

static json_t *events_json(const struct application *ap)
{
	json_t *ev = json_array();
	for (size_t i = 0; ev && i < ap->nevents; i++) {
		const struct app_event *e = &ap->events[i];
		json_array_append_new(
		    ev, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
				  "id", (json_int_t)e->id, "kind", e->kind,
				  "from_stage", e->from_stage, "to_stage",
				  e->to_stage, "user_name", e->user_name,
				  "detail", e->detail, "at", e->at, "is_move",
				  !strcmp(e->kind, "moved")));
	}
	return ev;
}

/* The "actions" object of the actions partial; NULL (no actions) for an
 * ended application or a viewer who may only read. */
static json_t *actions_json(struct ctx *c, const struct application *ap,
			    const char *return_to)
{
	struct stage_list stages;
	if (strcmp(ap->status, "active") || ap->access < ACCESS_CONTRIBUTE)
		return NULL;
	if (ap->stages) /* read with the list it came from */
		stages = (struct stage_list){ap->stages, ap->nstages};
	else if (ats_job_stages(c->db, c->arena, ap->job_id, &stages) != DB_OK)
		stages.n = 0;
	json_t *sv = json_array();
	for (size_t i = 0; sv && i < stages.n; i++)
		json_array_append_new(
		    sv, json_pack("{s:I, s:s, s:s, s:b}", "id",
				  (json_int_t)stages.v[i].id, "name",
				  stages.v[i].name, "kind", stages.v[i].kind,
				  "current", stages.v[i].id == ap->stage_id));
	json_t *rv =
	    web_options(ats_rejection_reasons, kept(c, "reason", ap->id));
	return json_pack(
	    "{s:I, s:I, s:s, s:b, s:b, s:o, s:o, s:s}", "application_id",
	    (json_int_t)ap->id, "version", (json_int_t)ap->version, "return_to",
	    return_to ? return_to : "", "can_move", stages.n > 1, "can_manage",
	    ap->access >= ACCESS_MANAGE, "stages", sv ? sv : json_array(),
	    "reasons", rv ? rv : json_array(), "note", kept(c, "note", ap->id));
}

json_t *web_application_json(struct ctx *c, const struct application *ap,
			     const char *return_to)
{
	const char *label =
	    ats_word_label(ats_rejection_reasons, ap->rejection_reason);
	json_t *o = json_pack(
	    "{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, "
	    "s:s, s:s, s:I, s:b, s:o}",
	    "id", (json_int_t)ap->id, "job_id", (json_int_t)ap->job_id,
	    "candidate_id", (json_int_t)ap->candidate_id, "stage_id",
	    (json_int_t)ap->stage_id, "job_title", ap->job_title,
	    "job_public_id", ap->job_public_id, "stage_name", ap->stage_name,
	    "status", ap->status, "rejection_reason", ap->rejection_reason,
	    "rejection_reason_label", label ? label : "", "rejection_note",
	    ap->rejection_note ? ap->rejection_note : "", "candidate_name",
	    ap->candidate_name ? ap->candidate_name : "", "created_at",
	    ap->created_at, "updated_at", ap->updated_at, "version",
	    (json_int_t)ap->version, "is_active", !strcmp(ap->status, "active"),
	    "events", events_json(ap));
	if (!o)
		return NULL;
	json_t *act = actions_json(c, ap, return_to);
	if (act)
		json_object_set_new(o, "actions", act);
	/* the form itself is on the application's own feedback page
	 * (feedback.c), always for this application */
	json_object_set_new(o, "can_give_feedback",
			    json_boolean(ap->can_give_feedback));
	json_object_set_new(o, "feedback_url",
			    json_string(arena_printf(
				c->arena, "/applications/%lld/feedback",
				(long long)ap->id)));
	return o;
}

/* "feedback", the list, and "has_feedback" into obj: DB_OK, or DB_ERROR
 * when out of memory. */
static int feedback_into(json_t *obj, const struct feedback *fb, size_t n)
{
	json_t *fv = json_array();
	for (size_t i = 0; fv && i < n; i++)
		json_array_append_new(fv, web_feedback_json(&fb[i]));
	if (!fv)
		return DB_ERROR;
	json_object_set_new(obj, "feedback", fv);
	json_object_set_new(obj, "has_feedback", json_boolean(n > 0));
	return DB_OK;
}

int web_candidate_applications_context(struct ctx *c, int64_t candidate_id,
				       const char *return_to, json_t *obj)
{
	struct application *apps;
	struct feedback *fb;
	size_t napps, nfb;
	const struct user *u = &c->session->user;

	int rc = ats_candidate_applications(c->db, c->arena, u, candidate_id,
					    &apps, &napps);
	if (rc == DB_OK)
		rc = ats_candidate_feedback(c->db, c->arena, u, candidate_id,
					    &fb, &nfb);
	if (rc != DB_OK)
		return rc;
	json_t *av = json_array();
	for (size_t i = 0; av && i < napps; i++)
		json_array_append_new(
		    av, web_application_json(c, &apps[i], return_to));
	if (!av)
		return DB_ERROR;
	json_object_set_new(obj, "has_applications", json_boolean(napps > 0));
	json_object_set_new(obj, "applications", av);
	return feedback_into(obj, fb, nfb);
}

/* ------------------------------------------------------------ answers */

/* HTTP status for a status of ats/applications.h. */
static int status_of(int rc)
{
	switch (rc) {
	case ATS_FORBIDDEN:
		return 403;
	case ATS_CONFLICT:
		return 409;
	default:
		return web_status_from_db(rc);
	}
}

/* Fills c->page with application id as the viewer sees it now, and its
 * feedback, for the application page and for JSON answers. */
static int fill_page(struct ctx *c, int64_t id)
{
	struct application ap;
	struct feedback *fb;
	size_t nfb;
	const struct user *u = &c->session->user;
	const char *rt = web_local_path(c, "return_to", NULL);

	int rc = ats_application_get(c->db, c->arena, u, id, &ap);
	if (rc != DB_OK)
		return rc;
	/* the page shows the history too: the candidate's events, filtered */
	struct application *all;
	size_t n;
	rc = ats_candidate_applications(c->db, c->arena, u, ap.candidate_id,
					&all, &n);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (all[i].id == id)
			ap = all[i];
	rc = ats_application_feedback(c->db, c->arena, u, id, &fb, &nfb);
	if (rc != DB_OK)
		return rc;
	json_t *o = web_application_json(c, &ap, rt);
	if (!o || feedback_into(o, fb, nfb) != DB_OK) {
		json_decref(o);
		return DB_ERROR;
	}
	json_t *ff = web_feedback_form_json(c, &ap, rt);
	if (ff)
		json_object_set_new(o, "feedback_form", ff);
	rc = web_feedback_requests_context(c, &ap, rt, o);
	if (rc != DB_OK) {
		json_decref(o);
		return rc;
	}
	json_object_update(c->page, o);
	json_decref(o);
	c->template = "applications/show";
	c->title =
	    arena_printf(c->arena, "%s · %s", ap.candidate_name, ap.job_title);
	return DB_OK;
}

/* A failed write: the message, and for a browser the application page
 * again (as it is now) with the form's values, when the failure names a
 * field. */
static int failed(struct ctx *c, int64_t id, int rc,
		  const struct ats_error *err)
{
	int status = status_of(rc);
	if (status == 400 || status == 409) {
		if (id && fill_page(c, id) != DB_OK)
			c->template = NULL;
		/* the central error page, when there is no form to show */
		if (!err->field)
			c->template = NULL;
	}
	return web_fail(c, status, err->field, err->message);
}

/* After a successful write: a browser goes back where it came from, a
 * JSON client gets the application. */
static int done(struct ctx *c, int64_t id, int status)
{
	if (!http_wants_json(c->req)) {
		const char *rt = web_local_path(c, "return_to", NULL);
		if (!rt) {
			struct application ap;
			int rc = ats_application_get(
			    c->db, c->arena, &c->session->user, id, &ap);
			if (rc == DB_NOT_FOUND)
				return web_see_other(c, "/jobs");
			if (rc != DB_OK)
				return web_status_from_db(rc);
			rt = arena_printf(c->arena,
					  "/candidates/%lld?tab=applications",
					  (long long)ap.candidate_id);
			if (!rt)
				return 500;
		}
		return web_see_other(c, rt);
	}
	int rc = fill_page(c, id);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return status;
}

/* The version field: required for a move, optional (0) for the others. */
static int64_t version_field(struct ctx *c, bool required)
{
	return web_id(c, "version", required ? WEB_REQUIRED : 0,
		      "is missing: reload the page and try again");
}

/* ------------------------------------------------------------ handlers */

int web_application_show(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int rc = fill_page(c, id);
	return rc == DB_OK ? 200 : web_status_from_db(rc);
}

int web_application_create(struct ctx *c)
{
	int64_t id = 0;
	struct ats_error err = {0};
	int64_t candidate_id = web_id(c, "candidate_id", WEB_REQUIRED,
				      "must be the id of a candidate");
	int64_t job_id =
	    web_id(c, "job_id", WEB_REQUIRED, "must be the id of a job");
	int64_t stage_id = web_id(c, "stage_id", 0,
				  "must be the id of one of the job's stages");
	if (c->input_status)
		return c->input_status;
	int rc = ats_application_create(c->db, c->arena, &c->session->user,
					candidate_id, job_id, stage_id,
					c->req->remote_addr, &id, &err);
	if (rc != DB_OK)
		return web_fail(c, status_of(rc), err.field, err.message);
	return done(c, id, 201);
}

/* 0 when the viewer may see application id, else 404 (or 503...): checked
 * before the form, so that a bad form does not tell those who may not see
 * an application that it exists. */
static int visible(struct ctx *c, int64_t id)
{
	struct application app;
	if (!id)
		return 404;
	int rc = ats_application_get(c->db, c->arena, &c->session->user, id,
				     &app);
	return rc == DB_OK ? 0 : web_status_from_db(rc);
}

/* The changes the application page's forms make to an application. */
enum action { MOVE, REJECT, HIRE, WITHDRAW };

/*
 * One change to the application of capture 0: the viewer must see it (before
 * the form is read, see visible()), then the form's fields are read (a move
 * names the stage and must send the version it saw, which the others may; a
 * rejection gives a reason and a note), and ats decides.  A browser goes
 * back, a JSON client gets the application.
 */
static int act(struct ctx *c, enum action action)
{
	const struct user *u = &c->session->user;
	const char *addr = c->req->remote_addr;
	int64_t id = web_capture_id(c, 0), stage_id = 0;
	const char *reason = NULL, *note = NULL;
	struct ats_error err = {0};
	int rc = DB_OK;

	int st = visible(c, id);
	if (st)
		return st;
	if (action == MOVE)
		stage_id =
		    web_id(c, "stage_id", WEB_REQUIRED, "choose a stage");
	int64_t version = version_field(c, action == MOVE);
	if (action == REJECT) {
		reason = web_text(c, "reason", 0);
		note = web_text(c, "note", 0);
	}
	if (c->input_status)
		return c->input_status;
	switch (action) {
	case MOVE:
		rc = ats_application_move(c->db, c->arena, u, id, stage_id,
					  version, addr, &err);
		break;
	case REJECT:
		rc = ats_application_reject(c->db, c->arena, u, id, reason,
					    note, version, addr, &err);
		break;
	case HIRE:
		rc = ats_application_hire(c->db, c->arena, u, id, version, addr,
					  &err);
		break;
	case WITHDRAW:
		rc = ats_application_withdraw(c->db, c->arena, u, id, version,
					      addr, &err);
		break;
	}
	if (rc != DB_OK)
		return failed(c, id, rc, &err);
	return done(c, id, 200);
}

int web_application_move(struct ctx *c)
{
	return act(c, MOVE);
}

int web_application_reject(struct ctx *c)
{
	return act(c, REJECT);
}

int web_application_hire(struct ctx *c)
{
	return act(c, HIRE);
}

int web_application_withdraw(struct ctx *c)
{
	return act(c, WITHDRAW);
}

int web_application_feedback(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0), fid;
	struct ats_error err = {0};
	struct application ap;
	struct criteria cr;
	struct feedback_input in;

	/* seen first, so a bad form tells an outsider nothing */
	int st = visible(c, id);
	if (st)
		return st;
	int rc = ats_application_get(c->db, c->arena, &c->session->user, id,
				     &ap);
	if (rc == DB_OK)
		rc = ats_job_criteria(c->db, c->arena, ap.job_id, &cr);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	/* a rating out of range is refused by ats, after its access checks */
	st = web_feedback_input(c, &cr, &in);
	if (st)
		return st;
	rc = ats_feedback_give(c->db, c->arena, &c->session->user, id, &in,
			       c->req->remote_addr, &fid, &err);
	if (rc != DB_OK)
		return failed(c, id, rc, &err);
	web_notice(c, arena_printf(c->arena, "Saved your feedback on %s for %s",
				   ap.candidate_name, ap.job_title));
	return done(c, id, 201);
}
