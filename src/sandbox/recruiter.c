/*
 * recruiter.c - LinkedIn Recruiter's profile page, as much of it as the
 * one-click export needs (the seed's story: on a member's profile the
 * recruiter finds the job by title or job ID, Change ATS to pick the
 * instance, selects it and clicks Export):
 *
 *   GET  /talent/profile/{member id}?ats=&q=&job=
 *        the member's profile card, and the ATS job box: the jobs the
 *        chosen ATS synced (LISTED, and visible to the viewer: a job with
 *        ACL entries only to its assignees) whose title or job id holds q;
 *        "Change ATS" lists every ATS of the viewer's organization that
 *        enabled ONE_CLICK_EXPORT with a CALLBACK_URL, by integration
 *        name; Export for Recruiter seat holders only
 *        and the In ATS panel: Jobs & Statuses, Interview Feedback and
 *        Notes, from what the chosen ATS synced about the candidates
 *        linked to the member (inats.c)
 *   POST /talent/profile/{member id}/export  (csrf, ats, job)
 *        the export (exports.c's sb_export, the control API's code path),
 *        then the same page with "Exported to <ATS>" or LinkedIn's refusal
 *
 * The viewer is the member signed in to the sandbox (signin.c); a visitor
 * who is not is sent to the sign-in page and back.  Both seat types may
 * view profiles, as in Recruiter; a Hiring Manager seat sees the job box
 * without Export, and a POST anyway is refused by sb_export with the
 * Recruiter-seat rule.  The path is LinkedIn Recruiter's
 * (/talent/profile/...), the member id the sandbox's.
 */
#include <string.h>

#include "sandbox/sandbox.h"

/* Jobs the job box lists, at most. */
#define JOB_BOX_MAX 25
#define MAX_QUERY   200

/* s with LIKE's wildcards escaped, between % signs; arena-owned. */
static const char *like_pattern(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	char *out;

	buf_addc(&b, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *s);
	}
	buf_addc(&b, '%');
	out = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
	buf_release(&b);
	return out;
}

/* json text from the database as a value (new); an empty array when it is
 * not JSON. */
static json_t *json_column(const char *text)
{
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;
	return v ? v : json_array();
}

/* The profile card of member id (a members row): new, NULL with
 * *status 404 or 503. */
static json_t *profile_card(struct sb_ctx *c, const char *id, int *status)
{
	struct db_row r;
	int rc = db_query_row(c->db, c->a, &r,
			      "SELECT urn_id, first_name, last_name, headline,"
			      " location, vanity_name, positions, education,"
			      " skills FROM members WHERE urn_id = ?"
			      /* a closed account has no profile any more */
			      " AND closed_at IS NULL",
			      "s", id);
	if (rc != DB_OK) {
		*status = rc == DB_NOT_FOUND ? 404 : 503;
		return NULL;
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s+, s:o, s:o, s:o}",
			 "id", r.v[0], "firstName", r.v[1], "lastName", r.v[2],
			 "headline", r.v[3], "location", r.v[4], "profileUrl",
			 "https://www.linkedin.com/in/", r.v[5], "positions",
			 json_column(r.v[6]), "education", json_column(r.v[7]),
			 "skills", json_column(r.v[8]));
}

/* The ATSs of the organization that take exports, the chosen one marked
 * (ats when it is one of them, else the first): new, NULL on failure;
 * *chosen is its client_id and *name its name (arena-owned), NULL when
 * there is none. */
static json_t *instances(struct sb_ctx *c, int64_t org, const char *ats,
			 const char **chosen, const char **name)
{
	struct db_result res;
	json_t *out;
	size_t pick = 0;

	*chosen = *name = NULL;
	if (db_query(c->db, c->a, &res,
		     "SELECT i.client_id, i.integration_name"
		     " FROM ats_integrations i"
		     " JOIN ats_integration_configs k"
		     " ON k.client_id = i.client_id"
		     " AND k.organization_id = i.organization_id"
		     " AND k.integration_type = i.integration_type"
		     " AND k.config_key = 'CALLBACK_URL'"
		     " WHERE i.organization_id = ?"
		     " AND i.integration_type = 'ONE_CLICK_EXPORT'"
		     " AND i.enabled = 1 AND k.config_value <> ''"
		     " ORDER BY i.integration_name, i.client_id",
		     "i", org) != DB_OK)
		return NULL;
	for (size_t i = 0; ats && i < res.nrows; i++)
		if (!strcmp(res.rows[i].v[0], ats))
			pick = i;
	out = json_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:b}", "clientId",
				   res.rows[i].v[0], "name", res.rows[i].v[1],
				   "chosen", i == pick));
	if (res.nrows) {
		*chosen = res.rows[pick].v[0];
		*name = res.rows[pick].v[1];
	}
	return out;
}

/* The job box: the chosen ATS's LISTED jobs the viewer may see whose title
 * or id holds q, job marked selected.  New, NULL on failure. */
static json_t *job_box(struct sb_ctx *c, const struct sb_member *me,
		       const char *ats, const char *q, const char *job)
{
	const char *pattern = like_pattern(c->a, q);
	const char *viewer = arena_printf(c->a, "urn:li:person:%s", me->urn_id);
	struct db_result res;
	json_t *out;

	if (!pattern || !viewer ||
	    db_query(c->db, c->a, &res,
		     "SELECT p.external_job_posting_id, p.title, p.location"
		     " FROM job_postings p"
		     " WHERE p.client_id = ? AND p.organization_id = ?"
		     " AND p.state = 'LISTED'"
		     " AND (p.title LIKE ? OR p.external_job_posting_id LIKE ?)"
		     " AND" SB_SQL_JOB_VISIBLE_TO_VIEWER
		     " ORDER BY p.title, p.external_job_posting_id LIMIT ?",
		     "sisssi", ats, me->organization_id, pattern, pattern,
		     viewer, (int64_t)JOB_BOX_MAX) != DB_OK)
		return NULL;
	out = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:s, s:b}", "id", v[0], "title",
				   v[1], "location", v[2], "selected",
				   job && !strcmp(job, v[0])));
	}
	return out;
}

/* "First Last" of an Actor {firstName, lastName}; "" when absent. */
static const char *actor_name(struct sb_ctx *c, json_t *a)
{
	const char *f = json_string_value(json_object_get(a, "firstName"));
	const char *l = json_string_value(json_object_get(a, "lastName"));
	const char *s = arena_printf(c->a, "%s%s%s", f ? f : "",
				     f && l ? " " : "", l ? l : "");
	return s ? s : "";
}

/* The status Recruiter shows for an application: its state when it ended,
 * else its latest stage. */
static const char *status_label(json_t *app)
{
	const char *state = json_string_value(json_object_get(app, "state"));
	const char *latest =
	    json_string_value(json_object_get(app, "latestStage"));
	if (state && !strcmp(state, "REJECTED"))
		return "Rejected";
	if (state && !strcmp(state, "WITHDRAWN"))
		return "Withdrawn";
	if (state && !strcmp(state, "HIRED"))
		return "Hired";
	return latest ? latest : "Applied";
}

/* Whether the ATS client lets Recruiter show its In ATS data at all (its
 * IN_ATS_INDICATOR integration enabled: *enabled) and its application data
 * to every Recruiter user (APPLICATION_VIEWERS = ALL_PRODUCT_USERS:
 * *all_viewers).  0, or -1 on a database failure. */
static int in_ats_shared(struct sb_ctx *c, const char *client, int64_t org,
			 bool *enabled, bool *all_viewers)
{
	struct db_row r;
	int rc = db_query_row(
	    c->db, c->a, &r,
	    "SELECT i.enabled, (SELECT k.config_value"
	    "  FROM ats_integration_configs k WHERE k.client_id = i.client_id"
	    "  AND k.organization_id = i.organization_id"
	    "  AND k.integration_type = 'IN_ATS_INDICATOR'"
	    "  AND k.config_key = 'APPLICATION_VIEWERS')"
	    " FROM ats_integrations i WHERE i.client_id = ?"
	    " AND i.organization_id = ?"
	    " AND i.integration_type = 'IN_ATS_INDICATOR'",
	    "si", client, org);
	*enabled = *all_viewers = false;
	if (rc == DB_NOT_FOUND)
		return 0;
	if (rc != DB_OK)
		return -1;
	*enabled = db_int(&r, 0) == 1;
	*all_viewers = r.v[1] && !strcmp(r.v[1], "ALL_PRODUCT_USERS");
	return 0;
}

/* Whether viewer (a person URN) may see an application to job of client:
 * a job in an ACL shows to its assignees only; one in none to everyone
 * when all_viewers, else to nobody (LinkedIn: "entities lacking ACL
 * records are hidden by default").  1, 0, or -1. */
static int application_visible(struct sb_ctx *c, const char *client,
			       int64_t org, const char *job,
			       const char *viewer, bool all_viewers)
{
	struct db_row r;
	if (!job)
		return all_viewers;
	if (db_query_row(c->db, c->a, &r,
			 "SELECT COUNT(*), COALESCE(SUM(assignee = ?), 0)"
			 " FROM job_posting_acl WHERE client_id = ?"
			 " AND organization_id = ?"
			 " AND external_job_posting_id = ?",
			 "ssis", viewer, client, org, job) != DB_OK)
		return -1;
	return db_int(&r, 0) ? db_int(&r, 1) > 0 : all_viewers;
}

/*
 * The In ATS panel (Jobs & Statuses, Interview Feedback, Notes) of the
 * member captures[0] as the ATS client synced it (inats.c), flattened for
 * the template: every job of every candidate linked to the member, every
 * feedback and every note with the job it belongs to.  New, NULL on a
 * database failure.
 */
static json_t *in_ats_panel(struct sb_ctx *c, const struct sb_member *me,
			    const char *client, int64_t org)
{
	int64_t mid = sb_member_lookup(c, c->match.captures[0]);
	const char *viewer = arena_printf(c->a, "urn:li:person:%s", me->urn_id);
	const char **ids = NULL;
	size_t n = 0, i, j, k;
	bool enabled, all_viewers;
	json_t *all, *cands, *cand, *app, *x, *jobs, *fb, *notes;

	if (mid < 0 || !viewer ||
	    in_ats_shared(c, client, org, &enabled, &all_viewers) < 0)
		return NULL;
	if (!enabled)
		return json_pack("{s:b}", "disabled", 1);
	if ((mid && sb_member_candidates(c, client, org, mid, &ids, &n) < 0) ||
	    !(all = sb_inats(c, client, org, ids, n)))
		return NULL;
	jobs = json_array();
	fb = json_array();
	notes = json_array();
	cands = json_object_get(all, "candidates");
	json_array_foreach(cands, i, cand)
	{
		json_array_foreach(json_object_get(cand, "notes"), k, x)
		{
			json_array_append_new(
			    notes,
			    json_pack("{s:O, s:s, s:s, s:O}", "note",
				      json_object_get(x, "note"), "author",
				      actor_name(c, json_object_get(x, "author")),
				      "job", "", "date",
				      json_object_get(x, "date")));
		}
		json_array_foreach(json_object_get(cand, "applications"), j,
				   app)
		{
			const char *title = json_string_value(
			    json_object_get(app, "jobTitle"));
			const char *reason = json_string_value(
			    json_object_get(app, "dispositionReason"));
			int seen = application_visible(
			    c, client, org,
			    json_string_value(
				json_object_get(app, "atsJobPostingId")),
			    viewer, all_viewers);
			if (seen < 0) {
				json_decref(jobs), json_decref(fb);
				json_decref(notes), json_decref(all);
				return NULL;
			}
			if (!seen)
				continue;
			json_t *prog = json_array();
			json_array_foreach(json_object_get(app, "stages"), k, x)
			{
				json_array_append_new(
				    prog, json_pack("{s:O, s:O}", "stage",
						    json_object_get(x, "stage"),
						    "date",
						    json_object_get(x, "date")));
			}
			json_array_append_new(
			    jobs,
			    json_pack("{s:s, s:O, s:s, s:s, s:o, s:b, s:O}",
				      "title", title ? title : "", "jobId",
				      json_object_get(app, "atsJobPostingId"),
				      "status", status_label(app), "reason",
				      reason ? reason : "", "progression", prog,
				      "has_progression",
				      json_array_size(prog) > 0, "date",
				      json_object_get(app, "date")));
			json_array_foreach(
			    json_object_get(app, "interviewFeedback"), k, x)
			{
				json_array_append_new(
				    fb,
				    json_pack(
					"{s:O, s:O, s:s, s:s, s:O, s:O}",
					"feedback", json_object_get(x, "feedback"),
					"evaluations",
					json_object_get(x, "evaluations"),
					"interviewer",
					actor_name(c, json_object_get(
							  x, "interviewer")),
					"job", title ? title : "", "date",
					json_object_get(x, "date"),
					"interviewType",
					json_object_get(x, "interviewType")));
			}
			json_array_foreach(json_object_get(app, "notes"), k, x)
			{
				json_array_append_new(
				    notes,
				    json_pack("{s:O, s:s, s:s, s:O}", "note",
					      json_object_get(x, "note"),
					      "author",
					      actor_name(c, json_object_get(
								x, "author")),
					      "job", title ? title : "", "date",
					      json_object_get(x, "date")));
			}
		}
	}
	x = json_pack("{s:b, s:o, s:o, s:o, s:b, s:b, s:b}", "any",
		      json_array_size(cands) > 0, "jobs", jobs, "feedback", fb,
		      "notes", notes, "has_jobs", json_array_size(jobs) > 0,
		      "has_feedback", json_array_size(fb) > 0, "has_notes",
		      json_array_size(notes) > 0);
	json_decref(all);
	return x;
}

/* The path and query of this request, for the sign-in page's next. */
static const char *here(struct sb_ctx *c)
{
	if (c->req->method != HTTP_GET)
		return arena_printf(c->a, "/talent/profile/%s",
				    c->match.captures[0]);
	return *c->req->query ? arena_printf(c->a, "%s?%s", c->req->raw_path,
					     c->req->query)
			      : c->req->raw_path;
}

/* Sends a visitor who is not signed in to the sign-in page and back. */
static void to_signin(struct sb_ctx *c)
{
	struct buf b = BUF_INIT;
	const char *back = here(c);

	buf_adds(&b, "/login?next=");
	if (back)
		buf_add_url(&b, back, strlen(back));
	http_redirect(c->res, 303, buf_failed(&b) ? "/login" : b.data);
	buf_release(&b);
}

/*
 * Renders the profile page of member captures[0] for the signed-in me:
 * ats, q and job as the job box's choice; result, when not NULL, the
 * outcome of an export (the page's status is then its refusal's).
 */
static void profile_page(struct sb_ctx *c, const struct sb_member *me,
			 const char *ats, const char *q, const char *job,
			 const struct sb_export *result)
{
	const char *chosen, *name;
	int status = 200;
	json_t *card = profile_card(c, c->match.captures[0], &status), *ctx,
	       *list, *jobs = NULL;

	if (!card) {
		if (status == 404)
			sb_error_page(c, 404,
				      "This LinkedIn member does not exist.");
		else
			sb_db_fail(c);
		return;
	}
	list = instances(c, me->organization_id, ats, &chosen, &name);
	if (list && chosen)
		jobs = job_box(c, me, chosen, q, job);
	if (!list || (chosen && !jobs)) {
		json_decref(card);
		json_decref(list);
		sb_db_fail(c);
		return;
	}
	ctx = json_pack(
	    "{s:o, s:{s:s, s:s, s:s, s:b}, s:o, s:o, s:s, s:s}", "profile",
	    card, "viewer", "firstName", me->first_name, "lastName",
	    me->last_name, "seatLabel", me->recruiter ? "Recruiter" : "Hiring Manager",
	    "recruiter", me->recruiter, "instances", list, "jobs",
	    jobs ? jobs : json_array(), "q", q, "csrf", sb_member_csrf(c));
	if (ctx)
		json_object_set_new(
		    ctx, "title",
		    json_string(arena_printf(
			c->a, "%s %s · Recruiter · LinkedIn sandbox",
			json_string_value(json_object_get(card, "firstName")),
			json_string_value(json_object_get(card, "lastName")))));
	if (ctx && chosen)
		json_object_set_new(ctx, "ats",
				    json_pack("{s:s, s:s}", "clientId", chosen,
					      "name", name));
	if (ctx && json_array_size(list) > 1)
		json_object_set_new(ctx, "change_ats", json_true());
	if (ctx && json_array_size(jobs))
		json_object_set_new(ctx, "has_jobs", json_true());
	if (ctx && chosen) {
		json_t *panel =
		    in_ats_panel(c, me, chosen, me->organization_id);
		if (!panel) {
			json_decref(ctx);
			sb_db_fail(c);
			return;
		}
		json_object_set_new(ctx, "in_ats", panel);
	}
	if (ctx && result) {
		bool ok = result->status == 201;
		json_object_set_new(
		    ctx, "result",
		    json_pack("{s:b, s:s, s:s}", "ok", ok, "message",
			      ok ? arena_printf(c->a, "Exported to %s",
						result->ats_name)
				 : result->message,
			      "requestId", ok ? result->request_id : ""));
		status = ok ? 200 : result->status;
	}
	sb_page(c, status, "sandbox/recruiter", ctx);
}

/* The signed-in viewer with a seat into *me: 1, or 0 after answering
 * (the sign-in page, 403 without a seat, or a database failure). */
static int viewer(struct sb_ctx *c, struct sb_member *me)
{
	int in = sb_member_signed_in(c, me);
	if (in < 0) {
		sb_db_fail(c);
		return 0;
	}
	if (!in) {
		to_signin(c);
		return 0;
	}
	if (!me->seat_id) {
		sb_error_page(c, 403,
			      "LinkedIn Recruiter is for the seat holders of "
			      "your organization's contract.");
		return 0;
	}
	return 1;
}

/* A text field of at most max bytes; "" when absent. */
static const char *text(const char *v, size_t max)
{
	return v && strlen(v) <= max ? v : "";
}

void sb_recruiter_profile(struct sb_ctx *c)
{
	struct sb_member me;

	if (!viewer(c, &me))
		return;
	profile_page(c, &me, http_query(c->req, "ats"),
		     text(http_query(c->req, "q"), MAX_QUERY),
		     http_query(c->req, "job"), NULL);
}

void sb_recruiter_export(struct sb_ctx *c)
{
	struct sb_export e = {0};
	struct sb_member me;

	if (!viewer(c, &me))
		return;
	if (!sb_member_csrf_ok(c)) {
		sb_error_page(c, 403,
			      "This form has expired. Go back, reload the "
			      "page and try again.");
		return;
	}
	e.exporter = me.urn_id;
	e.member = c->match.captures[0];
	e.client_id = text(http_form(c->req, "ats"), 64);
	e.job = text(http_form(c->req, "job"), 100);
	if (!*e.client_id || !*e.job) {
		e.status = 400;
		e.message = !*e.client_id ? "Choose an ATS (Change ATS)."
					  : "Select a job to export to.";
	} else {
		sb_export(c, &e);
	}
	profile_page(c, &me, e.client_id,
		     text(http_form(c->req, "q"), MAX_QUERY), e.job, &e);
}
