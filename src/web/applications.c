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
#include "web/web.h"

/* ------------------------------------------------------------ input */

/* A field from the form, or from a JSON object body (strings and integers);
 * NULL when absent.  Borrowed from the request / arena-owned. */
static const char *input(struct ctx *c, const char *name)
{
	const char *v = http_form(c->req, name);
	if (v)
		return v;
	json_t *body = c->req->json;
	if (!json_is_object(body))
		return NULL;
	json_t *j = json_object_get(body, name);
	if (json_is_string(j))
		return json_string_value(j);
	if (json_is_integer(j))
		return arena_printf(c->arena, "%lld",
				    (long long)json_integer_value(j));
	return NULL;
}

/* The field trimmed into the arena; "" when absent. */
static char *input_trimmed(struct ctx *c, const char *name)
{
	const char *v = input(c, name);
	char *s = arena_strdup(c->arena, v ? v : "");
	return s ? str_trim(s) : NULL;
}

/* A positive id field: 1 on success, 0 when absent or empty (when
 * optional), -1 when malformed. */
static int input_id(struct ctx *c, const char *name, int64_t *out)
{
	char *s = input_trimmed(c, name);
	*out = 0;
	if (!s || !*s)
		return 0;
	if (parse_i64(s, out) < 0 || *out <= 0) {
		*out = 0;
		return -1;
	}
	return 1;
}

/* Only local paths: "/jobs/3" yes; "//evil.example", "/\\x", "https://..."
 * and anything with a control character (a header split) no.  NULL when
 * not acceptable. */
static const char *safe_return_to(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\' ||
	    strlen(s) > 1000)
		return NULL;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return NULL;
	return s;
}

/* ------------------------------------------------------------ context */

static const char *const recommendation_values[] = {"strong_no", "no", "yes",
						    "strong_yes"};
static const char *const recommendation_labels[] = {"Strong no", "No", "Yes",
						    "Strong yes"};

static const char *recommendation_label(const char *r)
{
	for (size_t i = 0; r && i < ARRAY_LEN(recommendation_values); i++)
		if (!strcmp(r, recommendation_values[i]))
			return recommendation_labels[i];
	return r ? r : "";
}

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
	const char *v = http_form(c->req, name);
	return v ? v : "";
}

json_t *web_feedback_json(const struct feedback *f)
{
	return json_pack(
	    "{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:b}", "id",
	    (json_int_t)f->id, "application_id", (json_int_t)f->application_id,
	    "job_id", (json_int_t)f->job_id, "job_title", f->job_title,
	    "interviewer_name", f->interviewer_name, "recommendation",
	    f->recommendation, "recommendation_label",
	    recommendation_label(f->recommendation), "body", f->body,
	    "created_at", f->created_at, "rating", f->rating, "mine", f->mine);
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
	const char *reason = kept(c, "reason", ap->id);
	json_t *rv = json_array();
	for (size_t i = 0; rv && ats_rejection_reasons[i]; i++)
		json_array_append_new(
		    rv,
		    json_pack(
			"{s:s, s:s, s:b}", "value", ats_rejection_reasons[i],
			"label",
			ats_rejection_reason_label(ats_rejection_reasons[i]),
			"selected", !strcmp(reason, ats_rejection_reasons[i])));
	return json_pack(
	    "{s:I, s:I, s:s, s:b, s:b, s:o, s:o, s:s}", "application_id",
	    (json_int_t)ap->id, "version", (json_int_t)ap->version, "return_to",
	    return_to ? return_to : "", "can_move", stages.n > 1, "can_manage",
	    ap->access >= ACCESS_MANAGE, "stages", sv ? sv : json_array(),
	    "reasons", rv ? rv : json_array(), "note", kept(c, "note", ap->id));
}

/* The "feedback_form" object of the feedback form partial; NULL when the
 * viewer may not (or no longer) give feedback on it. */
static json_t *feedback_form_json(struct ctx *c, const struct application *ap,
				  const char *return_to)
{
	if (!ap->can_give_feedback)
		return NULL;
	const char *rating = kept(c, "rating", ap->id);
	const char *rec = kept(c, "recommendation", ap->id);
	json_t *ratings = json_array();
	for (int i = 1; ratings && i <= 5; i++) {
		char v[2] = {(char)('0' + i), 0};
		json_array_append_new(ratings, json_pack("{s:i, s:b}", "value",
							 i, "selected",
							 !strcmp(rating, v)));
	}
	json_t *recs = json_array();
	for (size_t i = 0; recs && i < ARRAY_LEN(recommendation_values); i++)
		json_array_append_new(
		    recs, json_pack("{s:s, s:s, s:b}", "value",
				    recommendation_values[i], "label",
				    recommendation_labels[i], "selected",
				    !strcmp(rec, recommendation_values[i])));
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "application_id",
			 (json_int_t)ap->id, "job_title", ap->job_title,
			 "return_to", return_to ? return_to : "", "body",
			 kept(c, "body", ap->id), "ratings",
			 ratings ? ratings : json_array(), "recommendations",
			 recs ? recs : json_array());
}

json_t *web_application_json(struct ctx *c, const struct application *ap,
			     const char *return_to)
{
	const char *label = ats_rejection_reason_label(ap->rejection_reason);
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
	json_t *ff = feedback_form_json(c, ap, return_to);
	if (ff)
		json_object_set_new(o, "feedback_form", ff);
	return o;
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
	json_t *av = json_array(), *fv = json_array();
	for (size_t i = 0; av && i < napps; i++)
		json_array_append_new(
		    av, web_application_json(c, &apps[i], return_to));
	for (size_t i = 0; fv && i < nfb; i++)
		json_array_append_new(fv, web_feedback_json(&fb[i]));
	if (!av || !fv) {
		json_decref(av);
		json_decref(fv);
		return DB_ERROR;
	}
	json_object_set_new(obj, "has_applications", json_boolean(napps > 0));
	json_object_set_new(obj, "applications", av);
	json_object_set_new(obj, "has_feedback", json_boolean(nfb > 0));
	json_object_set_new(obj, "feedback", fv);
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
	const char *rt = safe_return_to(input(c, "return_to"));

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
	json_t *fv = json_array();
	for (size_t i = 0; fv && i < nfb; i++)
		json_array_append_new(fv, web_feedback_json(&fb[i]));
	if (!o || !fv) {
		json_decref(o);
		json_decref(fv);
		return DB_ERROR;
	}
	json_object_set_new(o, "feedback", fv);
	json_object_set_new(o, "has_feedback", json_boolean(nfb > 0));
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
		const char *rt = safe_return_to(input(c, "return_to"));
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
static int version_field(struct ctx *c, bool required, int64_t *v)
{
	int got = input_id(c, "version", v);
	if (got < 0 || (required && got == 0))
		return web_fail(c, 400, "version",
				"is missing: reload the page and try again");
	return 0;
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
	int64_t candidate_id, job_id, stage_id, id = 0;
	struct ats_error err = {0};

	if (input_id(c, "candidate_id", &candidate_id) <= 0)
		return web_fail(c, 400, "candidate_id",
				"must be the id of a candidate");
	if (input_id(c, "job_id", &job_id) <= 0)
		return web_fail(c, 400, "job_id", "must be the id of a job");
	if (input_id(c, "stage_id", &stage_id) < 0)
		return web_fail(c, 400, "stage_id",
				"must be the id of one of the job's stages");
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

int web_application_move(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0), stage_id, version;
	struct ats_error err = {0};
	int st;

	if ((st = visible(c, id)))
		return st;
	if (input_id(c, "stage_id", &stage_id) <= 0)
		return web_fail(c, 400, "stage_id", "choose a stage");
	if ((st = version_field(c, true, &version)))
		return st;
	int rc =
	    ats_application_move(c->db, c->arena, &c->session->user, id,
				 stage_id, version, c->req->remote_addr, &err);
	if (rc != DB_OK)
		return failed(c, id, rc, &err);
	return done(c, id, 200);
}

int web_application_reject(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0), version;
	struct ats_error err = {0};
	int st;

	if ((st = visible(c, id)))
		return st;
	if ((st = version_field(c, false, &version)))
		return st;
	const char *reason = input_trimmed(c, "reason");
	const char *note = input_trimmed(c, "note");
	if (!reason || !note)
		return 500;
	int rc = ats_application_reject(c->db, c->arena, &c->session->user, id,
					reason, note, version,
					c->req->remote_addr, &err);
	if (rc != DB_OK)
		return failed(c, id, rc, &err);
	return done(c, id, 200);
}

int web_application_hire(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0), version;
	struct ats_error err = {0};
	int st;

	if ((st = visible(c, id)))
		return st;
	if ((st = version_field(c, false, &version)))
		return st;
	int rc = ats_application_hire(c->db, c->arena, &c->session->user, id,
				      version, c->req->remote_addr, &err);
	if (rc != DB_OK)
		return failed(c, id, rc, &err);
	return done(c, id, 200);
}

int web_application_withdraw(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0), version;
	struct ats_error err = {0};
	int st;

	if ((st = visible(c, id)))
		return st;
	if ((st = version_field(c, false, &version)))
		return st;
	int rc =
	    ats_application_withdraw(c->db, c->arena, &c->session->user, id,
				     version, c->req->remote_addr, &err);
	if (rc != DB_OK)
		return failed(c, id, rc, &err);
	return done(c, id, 200);
}

int web_application_feedback(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0), rating = 0, fid;
	struct ats_error err = {0};

	if (!id)
		return 404;
	const char *rs = input_trimmed(c, "rating");
	const char *rec = input_trimmed(c, "recommendation");
	const char *body = input_trimmed(c, "body");
	if (!rs || !rec || !body)
		return 500;
	/* out of range is refused by ats_feedback_create, after the access
	 * checks, so a bad rating does not tell an outsider it exists */
	if (parse_i64(rs, &rating) < 0 || rating < 0 || rating > 100)
		rating = 0;
	int rc = ats_feedback_create(c->db, c->arena, &c->session->user, id,
				     (int)rating, rec, body,
				     c->req->remote_addr, &fid, &err);
	if (rc != DB_OK)
		return failed(c, id, rc, &err);
	return done(c, id, 201);
}
