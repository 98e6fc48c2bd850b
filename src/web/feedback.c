/*
 * feedback.c - each role's home and the feedback pages (issue 18): the
 * interviewer's Feedback due (/feedback), the hiring manager's Needs
 * review (/review), one application's feedback form
 * (/applications/{id}/feedback: always for that application and its job),
 * editing one's own feedback (POST /feedback/{id}), asking interviewers
 * for feedback (POST /applications/{id}/feedback-requests) and a job's
 * criteria (POST /jobs/{id}/criteria).
 *
 * The rules are src/ats/feedback.c's; these handlers read the fields, call
 * it, say what happened (web_notice) and redirect, or show the form again
 * with the values typed and the message.
 */
#include <string.h>

#include "ats/applications.h"
#include "ats/feedback.h"
#include "web/web.h"

#define HOME_LIMIT 200

static bool html(const struct ctx *c)
{
	return !http_wants_json(c->req);
}

/* HTTP status for a status of ats/applications.h and feedback.h. */
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

/* ------------------------------------------------------------ input */

/* The feedback form's fields for a job with criteria cr into *in (ratings
 * in the arena): the recommendation, "criterion_<id>" per criterion or
 * "rating" without criteria, the body.  An absent or bad rating is 0, for
 * ats to refuse by name after its access checks. */
int web_feedback_input(struct ctx *c, const struct criteria *cr,
		       struct feedback_input *in)
{
	size_t n = cr->n ? cr->n : 1;
	int *r = arena_calloc(c->arena, n, sizeof(*r));
	if (!r)
		return 500;
	for (size_t i = 0; i < n; i++) {
		const char *name =
		    cr->n ? arena_printf(c->arena, "criterion_%lld",
					 (long long)cr->v[i].id)
			  : "rating";
		int64_t v = 0;
		const char *s = name ? web_text(c, name, 0) : "";
		if (parse_i64(s, &v) < 0 || v < 0 || v > 5)
			v = 0;
		r[i] = (int)v;
	}
	*in = (struct feedback_input){web_text(c, "recommendation", 0), r, n,
				      web_text(c, "body", 0)};
	return c->input_status;
}

/* ------------------------------------------------------------ form */

/* Whether this request is a POST of the feedback form of application id,
 * whose values are to be shown again. */
static bool posted_for(const struct ctx *c, int64_t app_id)
{
	if (c->req->method != HTTP_POST || !c->route)
		return false;
	const char *p = c->route->r.pattern;
	if (!strcmp(p, "/applications/{id}/feedback"))
		return web_capture_id(c, 0) == app_id;
	return !strcmp(p, "/feedback/{id}");
}

/* [{value, selected}] for 1..5, value selected selected. */
static json_t *rating_options(int selected)
{
	json_t *v = json_array();
	for (int i = 1; v && i <= 5; i++)
		json_array_append_new(v, json_pack("{s:i, s:b}", "value", i,
						   "selected", i == selected));
	return v;
}

static int posted_rating(struct ctx *c, const char *name)
{
	int64_t v = 0;
	const char *s = http_param(c->req, name);
	if (!s || parse_i64(s, &v) < 0 || v < 1 || v > 5)
		return 0;
	return (int)v;
}

/* The rating of criterion name in mine (0 when not rated). */
static int rating_of(const struct feedback *mine, const char *name)
{
	for (size_t i = 0; mine && i < mine->nratings; i++)
		if (!strcmp(mine->ratings[i].criterion, name))
			return mine->ratings[i].rating;
	return 0;
}

json_t *web_feedback_form_json(struct ctx *c, const struct application *ap,
			       const char *return_to)
{
	const struct user *u = &c->session->user;
	struct feedback mine;
	bool found = false;
	struct criteria cr;
	if (ats_feedback_mine(c->db, c->arena, u, ap->id, &mine, &found) !=
	    DB_OK)
		return NULL;
	bool editing = found && mine.editable;
	if (!ap->can_give_feedback && !editing)
		return NULL;
	if (ats_job_criteria(c->db, c->arena, ap->job_id, &cr) != DB_OK)
		return NULL;
	bool again = posted_for(c, ap->id);
	const char *rec = again ? http_param(c->req, "recommendation")
		     : editing ? mine.recommendation
			       : "";
	const char *body = again ? http_param(c->req, "body")
		      : editing ? mine.body
				: "";
	json_t *cv = json_array();
	for (size_t i = 0; cv && i < cr.n; i++) {
		const char *field = arena_printf(c->arena, "criterion_%lld",
						 (long long)cr.v[i].id);
		int sel = again	    ? posted_rating(c, field ? field : "")
			  : editing ? rating_of(&mine, cr.v[i].name)
				    : 0;
		json_array_append_new(
		    cv, json_pack("{s:I, s:s, s:s, s:o}", "id",
				  (json_int_t)cr.v[i].id, "name", cr.v[i].name,
				  "field", field ? field : "", "ratings",
				  rating_options(sel)));
	}
	int overall = again ? posted_rating(c, "rating")
		      : editing ? mine.rating
				: 0;
	const char *action =
	    editing ? arena_printf(c->arena, "/feedback/%lld",
				   (long long)mine.id)
		    : arena_printf(c->arena, "/applications/%lld/feedback",
				   (long long)ap->id);
	return json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:o, s:b, s:o, s:o}",
	    "application_id", (json_int_t)ap->id, "action",
	    action ? action : "", "job_title", ap->job_title, "stage_name",
	    ap->stage_name, "candidate_name",
	    ap->candidate_name ? ap->candidate_name : "", "editing", editing,
	    "return_to", return_to ? return_to : "", "body", body ? body : "",
	    "recommendations", web_options(ats_recommendations, rec),
	    "has_criteria", cr.n > 0, "criteria", cv ? cv : json_array(),
	    "overall_ratings", rating_options(overall));
}

/* "feedback_requests" (who was asked), and for those who may ask,
 * "request_form" with the job's interviewers, into obj. */
int web_feedback_requests_context(struct ctx *c, const struct application *ap,
				  const char *return_to, json_t *obj)
{
	struct feedback_request *rq;
	size_t n;
	int rc = ats_feedback_requests(c->db, c->arena, ap->id, &rq, &n);
	if (rc != DB_OK)
		return rc;
	json_t *v = json_array();
	for (size_t i = 0; v && i < n; i++)
		json_array_append_new(
		    v, json_pack("{s:I, s:s, s:s, s:s, s:b}", "interviewer_id",
				 (json_int_t)rq[i].interviewer_id, "name",
				 rq[i].name, "requested_by", rq[i].requested_by,
				 "requested_at", rq[i].requested_at, "given",
				 rq[i].given));
	json_object_set_new(obj, "feedback_requests", v ? v : json_array());
	json_object_set_new(obj, "has_feedback_requests", json_boolean(n > 0));
	if (ap->access < ACCESS_CONTRIBUTE || strcmp(ap->status, "active"))
		return DB_OK;
	struct job_member_list m;
	rc = ats_job_members(c->db, c->arena, ap->job_id, &m);
	if (rc != DB_OK)
		return rc;
	json_t *iv = json_array();
	for (size_t i = 0; iv && i < m.n; i++)
		if (!strcmp(m.v[i].role, "interviewer"))
			json_array_append_new(
			    iv, json_pack("{s:I, s:s}", "id",
					  (json_int_t)m.v[i].user_id, "name",
					  m.v[i].name));
	json_object_set_new(
	    obj, "request_form",
	    json_pack("{s:I, s:s, s:b, s:o}", "application_id",
		      (json_int_t)ap->id, "return_to",
		      return_to ? return_to : "", "has_interviewers",
		      json_array_size(iv) > 0, "interviewers",
		      iv ? iv : json_array()));
	return DB_OK;
}

/* The feedback page of application id: the candidate, the job, the stage,
 * the viewer's form and the feedback they may read.  0 or the status. */
static int form_page(struct ctx *c, int64_t id)
{
	const struct user *u = &c->session->user;
	struct application ap;
	struct feedback *fb;
	size_t nfb;
	int rc = ats_application_get(c->db, c->arena, u, id, &ap);
	if (rc == DB_OK)
		rc = ats_application_feedback(c->db, c->arena, u, id, &fb,
					      &nfb);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	const char *rt = web_local_path(c, "return_to", NULL);
	json_t *p = c->page;
	json_object_set_new(
	    p, "application",
	    json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id",
		      (json_int_t)ap.id, "candidate_id",
		      (json_int_t)ap.candidate_id, "job_id",
		      (json_int_t)ap.job_id, "candidate_name",
		      ap.candidate_name ? ap.candidate_name : "", "job_title",
		      ap.job_title, "job_public_id", ap.job_public_id,
		      "stage_name", ap.stage_name, "status", ap.status));
	json_t *ff = web_feedback_form_json(c, &ap, rt ? rt : "/feedback");
	if (ff)
		json_object_set_new(p, "feedback_form", ff);
	json_t *fv = json_array();
	for (size_t i = 0; fv && i < nfb; i++)
		json_array_append_new(fv, web_feedback_json(&fb[i]));
	json_object_set_new(p, "feedback", fv ? fv : json_array());
	json_object_set_new(p, "has_feedback", json_boolean(nfb > 0));
	c->template = "feedback/form";
	c->title = arena_printf(c->arena, "Feedback · %s · %s",
				ap.candidate_name, ap.job_title);
	return 0;
}

int web_application_feedback_form(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int st = form_page(c, id);
	return st ? st : 200;
}

int web_feedback_update(struct ctx *c)
{
	const struct user *u = &c->session->user;
	int64_t fid = web_capture_id(c, 0), app_id;
	struct application ap;
	struct criteria cr;
	struct feedback_input in;
	struct ats_error err = {0};
	if (!fid)
		return 404;
	/* the author's only: anybody else's is not found */
	int rc = ats_feedback_application(c->db, c->arena, u, fid, &app_id);
	if (rc == DB_OK)
		rc = ats_application_get(c->db, c->arena, u, app_id, &ap);
	if (rc == DB_OK)
		rc = ats_job_criteria(c->db, c->arena, ap.job_id, &cr);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	int st = web_feedback_input(c, &cr, &in);
	if (st)
		return st;
	rc = ats_feedback_edit(c->db, c->arena, u, fid, &in,
			       c->req->remote_addr, &err);
	if (rc != DB_OK) {
		int status = status_of(rc);
		if ((status == 400 || status == 409) && err.field && html(c))
			form_page(c, app_id);
		return web_fail(c, status, err.field, err.message);
	}
	web_notice(c, arena_printf(c->arena, "Saved your feedback on %s for %s",
				   ap.candidate_name, ap.job_title));
	if (!html(c)) {
		st = form_page(c, app_id);
		return st ? st : 200;
	}
	return web_see_other(
	    c, web_local_path(c, "return_to",
			      arena_printf(c->arena, "/applications/%lld",
					   (long long)app_id)));
}

/* ------------------------------------------------------------ requests */

/* The interviewer ids of the request form: repeated form fields, or a JSON
 * number or array.  0, or 400 naming the field. */
static int request_ids(struct ctx *c, int64_t **ids, size_t *n)
{
	size_t cap = FEEDBACK_ASK_MAX + 1;
	*ids = arena_calloc(c->arena, cap, sizeof(**ids));
	*n = 0;
	if (!*ids)
		return 500;
	const char *bad = NULL;
	json_t *j = c->req->json ? json_object_get(c->req->json,
						   "interviewer_id")
				 : NULL;
	if (j) {
		size_t k;
		json_t *e;
		if (json_is_integer(j) && json_integer_value(j) > 0)
			(*ids)[(*n)++] = json_integer_value(j);
		else if (json_is_array(j)) {
			json_array_foreach(j, k, e)
			{
				if (!json_is_integer(e) ||
				    json_integer_value(e) <= 0) {
					bad = "x";
					break;
				}
				if (*n < cap)
					(*ids)[(*n)++] = json_integer_value(e);
			}
		} else
			bad = "x";
	}
	for (size_t i = 0; !bad && i < c->req->form.n; i++) {
		const struct http_param *p = &c->req->form.v[i];
		int64_t v;
		if (strcmp(p->name, "interviewer_id"))
			continue;
		if (parse_i64(p->value, &v) < 0 || v <= 0) {
			bad = p->value;
			break;
		}
		if (*n < cap)
			(*ids)[(*n)++] = v;
	}
	if (bad)
		return web_fail(c, 400, "interviewer_id",
				"Choose interviewers of this job.");
	return 0;
}

int web_application_feedback_request(struct ctx *c)
{
	const struct user *u = &c->session->user;
	int64_t id = web_capture_id(c, 0);
	struct application ap;
	struct ats_error err = {0};
	int64_t *ids;
	size_t n;
	const char *names = NULL;
	if (!id)
		return 404;
	/* seen first, so a bad form tells an outsider nothing */
	int rc = ats_application_get(c->db, c->arena, u, id, &ap);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	int st = request_ids(c, &ids, &n);
	if (st)
		return st;
	rc = ats_feedback_request(c->db, c->arena, u, id, ids, n,
				  c->req->remote_addr, &names, &err);
	if (rc != DB_OK)
		return web_fail(c, status_of(rc), err.field, err.message);
	if (!html(c)) {
		struct feedback_request *rq;
		size_t nrq;
		rc = ats_feedback_requests(c->db, c->arena, id, &rq, &nrq);
		if (rc != DB_OK)
			return web_status_from_db(rc);
		/* the dispatcher sends c->page as JSON (no page is drawn) */
		c->template = "feedback/form";
		json_object_set_new(c->page, "asked", json_string(names));
		json_object_set_new(c->page, "requests",
				    json_integer((json_int_t)nrq));
		return 201;
	}
	web_notice(c, arena_printf(c->arena, "Asked %s for feedback on %s",
				   names, ap.candidate_name));
	return web_see_other(
	    c, web_local_path(c, "return_to",
			      arena_printf(c->arena, "/applications/%lld",
					   (long long)id)));
}

/* ------------------------------------------------------------ homes */

static json_t *entries_json(struct ctx *c, const struct home_entry *v,
			    size_t n, bool feedback)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		const char *url =
		    feedback ? arena_printf(c->arena,
					    "/applications/%lld/feedback",
					    (long long)v[i].application_id)
			     : arena_printf(c->arena, "/applications/%lld",
					    (long long)v[i].application_id);
		json_array_append_new(
		    a, web_pack_row(
			   "{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:s, "
			   "s:s}",
			   "application_id", (json_int_t)v[i].application_id,
			   "candidate_id", (json_int_t)v[i].candidate_id,
			   "job_id", (json_int_t)v[i].job_id, "candidate_name",
			   v[i].candidate_name, "job_title", v[i].job_title,
			   "job_public_id", v[i].job_public_id, "stage_name",
			   v[i].stage_name, "since", v[i].since, "requested",
			   v[i].requested, "requested_by", v[i].requested_by,
			   "url", url));
	}
	return a;
}

int web_feedback_due(struct ctx *c)
{
	struct home_entry *v;
	size_t n;
	int64_t total;
	int rc = ats_feedback_due(c->db, c->arena, &c->session->user,
				  HOME_LIMIT, &v, &n, &total);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	c->template = "feedback/due";
	c->title = "Feedback due";
	json_object_set_new(c->page, "entries", entries_json(c, v, n, true));
	json_object_set_new(c->page, "total", json_integer(total));
	json_object_set_new(c->page, "has_entries", json_boolean(n > 0));
	json_object_set_new(c->page, "more", json_boolean(total > (int64_t)n));
	return 200;
}

int web_needs_review(struct ctx *c)
{
	struct home_entry *v;
	size_t n;
	int64_t total;
	int rc = ats_needs_review(c->db, c->arena, &c->session->user,
				  HOME_LIMIT, &v, &n, &total);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	c->template = "feedback/review";
	c->title = "Needs review";
	json_object_set_new(c->page, "entries", entries_json(c, v, n, false));
	json_object_set_new(c->page, "total", json_integer(total));
	json_object_set_new(c->page, "has_entries", json_boolean(n > 0));
	json_object_set_new(c->page, "more", json_boolean(total > (int64_t)n));
	return 200;
}

void web_home_menu(struct ctx *c, json_t *me)
{
	const struct user *u = &c->session->user;
	struct home_entry *v;
	size_t n;
	int64_t total = 0;
	/* a count for the roles whose home it is; nobody else pays for it */
	if (u->role == ROLE_INTERVIEWER) {
		if (ats_feedback_due(c->db, c->arena, u, 0, &v, &n, &total) ==
		    DB_OK)
			json_object_set_new(me, "feedback_due",
					    json_pack("{s:I}", "count",
						      (json_int_t)total));
	} else if (u->role == ROLE_HIRING_MANAGER) {
		if (ats_needs_review(c->db, c->arena, u, 0, &v, &n, &total) ==
		    DB_OK)
			json_object_set_new(me, "needs_review",
					    json_pack("{s:I}", "count",
						      (json_int_t)total));
	}
}

/* ------------------------------------------------------------ criteria */

int web_criteria_field(struct ctx *c, const char ***out, size_t *nout)
{
	/* one criterion a line; blank lines are nothing */
	const char *text = web_text(c, "criteria", 4000);
	*out = NULL;
	*nout = 0;
	if (c->input_status)
		return c->input_status;
	const char **names =
	    arena_calloc(c->arena, JOB_CRITERIA_MAX + 1, sizeof(*names));
	size_t n = 0;
	if (!names)
		return 500;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' ||
			       p[len - 1] == '\t'))
			len--;
		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		if (len) {
			if (n > JOB_CRITERIA_MAX)
				break;
			names[n++] = arena_strndup(c->arena, p, len);
		}
		if (!e)
			break;
		p = e + 1;
	}
	*out = names;
	*nout = n;
	return 0;
}

int web_job_criteria(struct ctx *c)
{
	const struct user *u = &c->session->user;
	int64_t job_id = web_capture_id(c, 0);
	enum access acc;
	struct ats_error err = {0};
	if (!job_id)
		return 404;
	int rc = ats_job_access(c->db, c->arena, u, job_id, &acc);
	if (rc == DB_OK && acc == ACCESS_NONE)
		rc = DB_NOT_FOUND;
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (acc < ACCESS_MANAGE)
		return web_fail(c, 403, NULL,
				"Only the job's recruiters and admins change "
				"its criteria.");
	const char **names;
	size_t n;
	int st = web_criteria_field(c, &names, &n);
	if (st)
		return st;
	rc = ats_job_criteria_set(c->db, c->arena, u->id, job_id, names, n,
				  c->req->remote_addr, &err);
	if (rc != DB_OK)
		return web_fail(c, rc == ATS_INVALID ? 400 : status_of(rc),
				err.field, err.message);
	web_notice(c, n ? "Saved the job's interview criteria"
			: "The job has no criteria now: interviewers give "
			  "one overall rating");
	if (!html(c)) {
		c->template = "feedback/form"; /* sent as JSON */
		rc = web_job_criteria_context(c, job_id, c->page);
		return rc == DB_OK ? 200 : web_status_from_db(rc);
	}
	return web_see_other(c, arena_printf(c->arena, "/jobs/%lld#criteria",
					     (long long)job_id));
}

/* "criteria" (names) and "criteria_text" (one a line, for the editor) of
 * the job into obj. */
int web_job_criteria_context(struct ctx *c, int64_t job_id, json_t *obj)
{
	struct criteria cr;
	int rc = ats_job_criteria(c->db, c->arena, job_id, &cr);
	if (rc != DB_OK)
		return rc;
	struct buf b = BUF_INIT;
	json_t *v = json_array();
	for (size_t i = 0; v && i < cr.n; i++) {
		json_array_append_new(v, json_string(cr.v[i].name));
		buf_addf(&b, "%s%s", i ? "\n" : "", cr.v[i].name);
	}
	json_object_set_new(obj, "criteria", v ? v : json_array());
	json_object_set_new(obj, "has_criteria", json_boolean(cr.n > 0));
	json_object_set_new(obj, "criteria_text",
			    json_string(buf_failed(&b) ? "" : b.data));
	buf_release(&b);
	return DB_OK;
}
