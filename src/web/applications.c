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
#include <stdio.h>
#include <string.h>

#include "ats/applications.h"
#include "ats/jobs.h"
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

static json_t *events_json(struct arena *a, const struct application *ap)
{
	json_t *ev = json_array();
	for (size_t i = 0; ev && i < ap->nevents; i++) {
		const struct app_event *e = &ap->events[i];
		json_t *o = json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id",
		    (json_int_t)e->id, "kind", e->kind, "from_stage",
		    e->from_stage, "to_stage", e->to_stage, "user_name",
		    e->user_name, "detail", e->detail, "at", e->at, "is_move",
		    !strcmp(e->kind, "moved"));
		/* in words (words.c): no codes on a page */
		if (o) {
			json_object_set_new(
			    o, "kind_label",
			    json_string(web_event_label(a, e->kind)));
			json_object_set_new(
			    o, "detail_words",
			    json_string(web_event_detail(a, e->detail)));
		}
		json_array_append_new(ev, o);
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
	/* Hire is confirmed first (a link to its step, no JavaScript) */
	struct buf hb = BUF_INIT;
	buf_addf(&hb, "/applications/%lld/confirm?action=hire",
		 (long long)ap->id);
	if (return_to && *return_to) {
		buf_adds(&hb, "&return_to=");
		buf_add_url(&hb, return_to, strlen(return_to));
	}
	const char *hire_url =
	    buf_failed(&hb) ? NULL : arena_strndup(c->arena, hb.data, hb.len);
	buf_release(&hb);
	return json_pack(
	    "{s:s, s:I, s:I, s:s, s:b, s:b, s:o, s:o, s:s}", "hire_url",
	    hire_url ? hire_url : "", "application_id",
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
	    "events", events_json(c->arena, ap));
	if (!o)
		return NULL;
	json_t *act = actions_json(c, ap, return_to);
	if (act)
		json_object_set_new(o, "actions", act);
	/* an ended one (not a hire) can be reopened by a manager */
	if (ap->access >= ACCESS_MANAGE && (!strcmp(ap->status, "rejected") ||
					    !strcmp(ap->status, "withdrawn")))
		json_object_set_new(
		    o, "reopen",
		    json_pack("{s:I, s:I, s:s}", "application_id",
			      (json_int_t)ap->id, "version",
			      (json_int_t)ap->version, "return_to",
			      return_to ? return_to : ""));
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

int web_candidate_job_context(struct ctx *c, int64_t candidate_id,
			      int64_t job_id)
{
	struct application ap;
	int rc = ats_application_of(c->db, c->arena, &c->session->user,
				    job_id, candidate_id, &ap);
	if (rc == DB_NOT_FOUND)
		return DB_OK;
	if (rc != DB_OK)
		return rc;
	const char *url =
	    arena_printf(c->arena, "/jobs/%lld?stage=%lld#app-%lld",
			 (long long)ap.job_id, (long long)ap.stage_id,
			 (long long)ap.id);
	json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:I, s:s}", "job_id",
			      (json_int_t)ap.job_id, "job_title", ap.job_title,
			      "stage_id", (json_int_t)ap.stage_id, "stage_name",
			      ap.stage_name, "status", ap.status,
			      "application_id", (json_int_t)ap.id, "url",
			      url ? url : "/jobs");
	if (!o)
		return DB_ERROR;
	json_object_set_new(c->page, "job_context", o);
	json_object_set_new(c->page, "nav", json_string("jobs"));
	return DB_OK;
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

/* What a change did, for the sentence the next page says. */
enum said { SAID_CREATE, SAID_MOVE, SAID_REJECT, SAID_HIRE, SAID_WITHDRAW,
	    SAID_FEEDBACK, SAID_REOPEN, SAID_UNDO };

/* The sentence for change `said` to application ap (as it is now). */
static const char *said_text(struct ctx *c, enum said said,
			     const struct application *ap)
{
	const char *who = *ap->candidate_name ? ap->candidate_name
					      : "The candidate";
	const char *reason =
	    ats_word_label(ats_rejection_reasons, ap->rejection_reason);
	switch (said) {
	case SAID_CREATE:
		return arena_printf(c->arena, "Added %s to %s at %s", who,
				    ap->job_title, ap->stage_name);
	case SAID_MOVE:
		/* a move to a Hired stage hired them */
		if (!strcmp(ap->status, "hired"))
			return arena_printf(c->arena, "Hired %s for %s (%s)",
					    who, ap->job_title, ap->stage_name);
		return arena_printf(c->arena, "Moved %s to %s", who,
				    ap->stage_name);
	case SAID_REJECT:
		return arena_printf(c->arena, "Rejected %s for %s%s%s%s", who,
				    ap->job_title, reason ? " (" : "",
				    reason ? reason : "", reason ? ")" : "");
	case SAID_HIRE:
		return arena_printf(c->arena, "Hired %s for %s", who,
				    ap->job_title);
	case SAID_WITHDRAW:
		return arena_printf(c->arena, "%s withdrew from %s", who,
				    ap->job_title);
	case SAID_FEEDBACK:
		return arena_printf(c->arena, "Your feedback on %s is saved",
				    who);
	case SAID_REOPEN:
		return arena_printf(c->arena,
				    "Reopened %s's application for %s (at %s)",
				    who, ap->job_title, ap->stage_name);
	case SAID_UNDO:
		return arena_printf(c->arena, "Undone: %s is %s at %s", who,
				    strcmp(ap->status, "active") ? ap->status
								 : "active",
				    ap->stage_name);
	}
	return NULL;
}

/* After a successful write: a browser goes back where it came from
 * (return_to, a local path that may end in a fragment, "#app-12"), or to
 * the candidate's Applications tab, and the page there says what was done
 * (web_notice), with an Undo when the change is the user's latest on it
 * and one Undo reverses (a move, a rejection, a hire, a withdrawal); a
 * JSON client gets the application. */
static int done(struct ctx *c, int64_t id, int status, enum said said)
{
	if (!http_wants_json(c->req)) {
		const char *rt = web_local_path(c, "return_to", NULL);
		struct application ap;
		int rc = ats_application_get(c->db, c->arena,
					     &c->session->user, id, &ap);
		if (rc == DB_NOT_FOUND)
			return web_see_other(c, "/jobs");
		if (rc != DB_OK)
			return web_status_from_db(rc);
		if (!rt) {
			rt = arena_printf(c->arena,
					  "/candidates/%lld?tab=applications",
					  (long long)ap.candidate_id);
			if (!rt)
				return 500;
		}
		const char *text = said_text(c, said, &ap);
		int64_t ev = 0, by = 0;
		const char *kind = "";
		bool undoable = said == SAID_MOVE || said == SAID_REJECT ||
				said == SAID_HIRE || said == SAID_WITHDRAW ||
				(said == SAID_UNDO &&
				 !strcmp(ap.status, "active"));
		if (undoable &&
		    ats_application_last_event(c->db, c->arena, id, &ev, &by,
					       &kind) == DB_OK &&
		    by == c->session->user.id &&
		    (!strcmp(kind, "moved") || !strcmp(kind, "rejected") ||
		     !strcmp(kind, "hired") || !strcmp(kind, "withdrawn"))) {
			web_notice_undo(
			    c, text,
			    arena_printf(c->arena, "/applications/%lld/undo",
					 (long long)id),
			    "event_id",
			    arena_printf(c->arena, "%lld", (long long)ev),
			    "return_to", rt, NULL);
		} else {
			web_notice(c, text);
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
	    web_id(c, "job_id", WEB_REQUIRED,
		   "was not chosen: choose the job to add the candidate to");
	int64_t stage_id = web_id(c, "stage_id", 0,
				  "must be the id of one of the job's stages");
	if (c->input_status)
		return c->input_status;
	int rc = ats_application_create(c->db, c->arena, &c->session->user,
					candidate_id, job_id, stage_id,
					c->req->remote_addr, &id, &err);
	if (rc != DB_OK)
		return web_fail(c, status_of(rc), err.field, err.message);
	return done(c, id, 201, SAID_CREATE);
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
	static const enum said said[] = {SAID_MOVE, SAID_REJECT, SAID_HIRE,
					 SAID_WITHDRAW};
	return done(c, id, 200, said[action]);
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
	return done(c, id, 201, SAID_FEEDBACK);
}

int web_application_reopen(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0);
	struct ats_error err = {0};
	int st = visible(c, id);
	if (st)
		return st;
	int64_t version = version_field(c, false);
	if (c->input_status)
		return c->input_status;
	int rc = ats_application_reopen(c->db, c->arena, &c->session->user, id,
					version, c->req->remote_addr, &err);
	if (rc != DB_OK)
		return failed(c, id, rc, &err);
	return done(c, id, 200, SAID_REOPEN);
}

int web_application_undo(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0);
	struct ats_error err = {0};
	int st = visible(c, id);
	if (st)
		return st;
	int64_t event_id = web_id(c, "event_id", WEB_REQUIRED,
				  "must name the change to undo");
	if (c->input_status)
		return c->input_status;
	int rc = ats_application_undo(c->db, c->arena, &c->session->user, id,
				      event_id, c->req->remote_addr, &err);
	if (rc != DB_OK)
		return failed(c, id, rc, &err);
	return done(c, id, 200, SAID_UNDO);
}

/*
 * GET /applications/{id}/confirm?action=hire (or withdraw): the step
 * before an ending that the row or page offers as a link, so it is
 * confirmed without JavaScript; its form POSTs the ending with the
 * version seen here and return_to.
 */
int web_application_confirm(struct ctx *c)
{
	enum { C_HIRE, C_WITHDRAW };
	static const struct web_choice actions[] = {
	    {"hire", C_HIRE}, {"withdraw", C_WITHDRAW}, {NULL, 0}};
	int64_t id = web_capture_id(c, 0);
	struct application ap;
	if (!id)
		return 404;
	int rc = ats_application_get(c->db, c->arena, &c->session->user, id,
				     &ap);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	int action = web_enum(c, "action", actions, C_HIRE);
	const char *rt = web_local_path(c, "return_to", NULL);
	if (c->input_status)
		return c->input_status;
	if (ap.access < ACCESS_MANAGE)
		return web_fail(c, 403, NULL,
				"Only the job's recruiters end an "
				"application.");
	if (strcmp(ap.status, "active"))
		return web_fail(c, 409, "status",
				arena_printf(c->arena,
					     "This application has ended (%s).",
					     ap.status));
	struct stage hired;
	bool to_hired = ats_stage_by_kind(c->db, c->arena, ap.job_id, "hired",
					  &hired) == DB_OK;
	const char *name = *ap.candidate_name ? ap.candidate_name
					      : "this candidate";
	const char *back =
	    rt ? rt
	       : arena_printf(c->arena, "/jobs/%lld?stage=%lld#app-%lld",
			      (long long)ap.job_id, (long long)ap.stage_id,
			      (long long)ap.id);
	struct web_confirm_step step = {.cancel_url = back, .nav = "jobs"};
	if (action == C_HIRE) {
		step.heading = arena_printf(c->arena, "Hire %s?", name);
		step.text = arena_printf(
		    c->arena,
		    "%s will be hired for %s%s%s: the application ends as "
		    "hired and leaves the active pipeline. You can undo it "
		    "from the message on the next page.",
		    name, ap.job_title, to_hired ? " and moved to " : "",
		    to_hired ? hired.name : "");
		step.button = arena_printf(c->arena, "Hire %s", name);
		step.action = arena_printf(c->arena, "/applications/%lld/hire",
					   (long long)id);
	} else {
		step.heading =
		    arena_printf(c->arena, "Did %s withdraw?", name);
		step.text = arena_printf(
		    c->arena,
		    "The application for %s ends as withdrawn by the "
		    "candidate. It can be reopened later.",
		    ap.job_title);
		step.button = "Record the withdrawal";
		step.action = arena_printf(
		    c->arena, "/applications/%lld/withdraw", (long long)id);
		step.danger = true;
	}
	char version[24];
	snprintf(version, sizeof(version), "%lld", (long long)ap.version);
	return web_confirm(c, &step, "version", version, "return_to", back,
			   NULL);
}
