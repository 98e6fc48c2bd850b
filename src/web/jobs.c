/*
 * jobs.c - the jobs pages (F1): the list (filter, search, paginate), the
 * new-job form, the job page (a tab per stage listing its candidates, the
 * members, the pipeline and member editors) and the POSTs that change a
 * job, its members and its stages.
 *
 * Who may do what is access.h's: a job the user may not see is a 404 (so
 * its existence does not leak), a job they may see but not manage is a 403
 * for every change.  Every page is also JSON (the dispatcher sends c->page);
 * UI-only context (form values, option lists, URLs) is added for HTML only
 * so the JSON stays the data.  A POST answers a browser with 303 to the job
 * page and a JSON client with 200 (201 for a new job) and the job page's
 * data.
 */
#include <string.h>
#include <time.h>

#include "ats/applications.h"
#include "ats/feedback.h"
#include "linkedin/linkedin.h"
#include "web/web.h"

#define JOBS_PER_PAGE 50
#define STAGE_PAGE    50
#define JOB_HISTORY   20

/* ------------------------------------------------------------ input */

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static bool html(const struct ctx *c)
{
	return !http_wants_json(c->req);
}

static bool can_create_jobs(const struct ctx *c)
{
	return c->session->user.role == ROLE_ADMIN ||
	       c->session->user.role == ROLE_RECRUITER;
}

/* ------------------------------------------------------------ list */

/*
 * The list's rows, pager and empty-list text (templates/jobs/rows.html) are
 * what a recruiter comes back to all day, and they change only when a job
 * or a membership does.  So a page without a search, as HTML, is kept in
 * the fragment cache under who sees it (user and role: access.h) and how
 * (status, page), and served again while the jobs' revision is unchanged
 * (src/core/fragcache.c, sql/090_revisions.sql): a primary-key read
 * instead of the list's statement, which costs MariaDB five times as much,
 * and no rows to build and render (make bench).  The header's total is
 * kept with the rows; the forms around them (the CSRF token) are rendered
 * for each request.  A search is never kept: its text is the user's.
 */

/* One page of the jobs c's user sees into c->page ("jobs", "total", the
 * pager), and its total into *total: 0, or the status of the error. */
static int jobs_load(struct ctx *c, const char *status, const char *q,
		     int64_t page, int64_t *total)
{
	struct job_list jobs;
	int rc =
	    ats_jobs_list(c->db, c->arena, &c->session->user, status, q,
			  (page - 1) * JOBS_PER_PAGE, JOBS_PER_PAGE, &jobs);
	if (rc != DB_OK)
		return web_status_from_db(rc);

	struct job_overview *ov =
	    arena_calloc(c->arena, jobs.n ? jobs.n : 1, sizeof(*ov));
	if (!ov)
		return 500;
	rc = ats_jobs_overview(c->db, c->arena, &c->session->user, jobs.v,
			       jobs.n, ov);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *list = json_array();
	for (size_t i = 0; i < jobs.n; i++) {
		struct job *j = &jobs.v[i];
		/* the candidates per stage as the job page counts them
		 * (active, and hired at the Hired stage), the recruiters,
		 * days open (issue 18) */
		json_t *sv = json_array();
		for (size_t k = 0; sv && k < ov[i].nstages; k++)
			json_array_append_new(
			    sv, web_pack_row("{s:s, s:I}", "name",
					     ov[i].stages[k].name, "count",
					     (json_int_t)ov[i].stages[k].count));
		bool open = !strcmp(j->status, "active");
		json_t *row = web_pack_row(
		    "{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:b}", "id",
		    (json_int_t)j->id, "public_id", j->public_id, "title",
		    j->title, "location", j->location, "status", j->status,
		    "updated_at", j->updated_at, "stages",
		    sv ? sv : json_array(), "recruiters", ov[i].recruiters,
		    "is_open", open);
		if (row && open && ov[i].days_open >= 0) {
			json_object_set_new(row, "days_open",
					    json_integer(ov[i].days_open));
			json_object_set_new(row, "has_days", json_true());
		}
		json_array_append_new(list, row);
	}
	json_object_set_new(c->page, "jobs", list);
	json_object_set_new(c->page, "total", json_integer(jobs.total));
	json_object_set_new(c->page, "per_page", json_integer(JOBS_PER_PAGE));
	const char *const params[] = {"status", *status ? status : "all", "q",
				      q, NULL};
	web_pager(c, &(struct pager){"/jobs", params, page, jobs.total,
				     JOBS_PER_PAGE, false, jobs.n == 0});
	*total = jobs.total;
	return 0;
}

/* The list's rows as HTML into *rows (arena-owned), kept or rendered, and
 * its total: 0, or the status of the error. */
static int jobs_rows(struct ctx *c, const char *status, const char *q,
		     int64_t page, const char **rows, size_t *len,
		     int64_t *total)
{
	struct fragcache *fc = c->w->app->frags;
	const struct user *u = &c->session->user;
	const char *key = NULL;
	uint64_t revision = 0;
	int rc;

	*rows = NULL;
	/* an interviewer's counts move with the feedback asked of them,
	 * which the revision does not follow: their few jobs are read */
	if (fc && !*q && u->role != ROLE_INTERVIEWER) {
		/* The revision first: see fragcache.c. */
		rc = ats_jobs_revision(c->db, c->arena, &revision);
		if (rc != DB_OK)
			return web_status_from_db(rc);
		/* the day too: the rows say how many days each job is open */
		key = arena_printf(c->arena, "jobs %lld %s %s %lld %lld",
				   (long long)u->id, role_name(u->role), status,
				   (long long)page,
				   (long long)(time(NULL) / 86400));
		if (!key)
			return 500;
		*rows = fragcache_get(fc, key, revision, c->arena, len, total);
		if (*rows)
			return 0;
	}
	int st = jobs_load(c, status, q, page, total);
	if (st)
		return st;
	json_object_set_new(
	    c->page, "has_jobs",
	    json_boolean(json_array_size(json_object_get(c->page, "jobs"))));
	json_object_set_new(c->page, "filtered", json_boolean(true));
	json_object_set_new(c->page, "status_label",
			    json_string(*status ? status : "all"));

	struct buf b = BUF_INIT;
	if (tmpl_render(c->w->app->tmpl, "jobs/rows", c->page, &b) == 0 &&
	    !buf_failed(&b)) {
		if (key)
			fragcache_put(fc, key, revision, b.data, b.len, *total);
		*rows = arena_strndup(c->arena, b.data, b.len);
		*len = b.len;
	}
	buf_release(&b);
	return *rows ? 0 : 500;
}

int web_jobs_list(struct ctx *c)
{
	/* active jobs unless asked otherwise (issue 18): "all" for every
	 * status */
	const char *status = web_text_or(c, "status", 0, "active");
	const char *q;
	int64_t page, total;

	if (!*status)
		status = "active";
	if (!strcmp(status, "all"))
		status = "";
	else if (!ats_job_status_valid(status))
		return web_fail(c, 400, "status",
				"must be active, draft, closed or all");
	int st = web_list_query(c, &page, &q);
	if (st || (st = c->input_status))
		return st;

	c->template = "jobs/list";
	c->title = "Jobs";
	json_object_set_new(c->page, "q", json_string(q));
	json_object_set_new(c->page, "status",
			    json_string(*status ? status : "all"));
	if (!html(c)) {
		st = jobs_load(c, status, q, page, &total);
		return st ? st : 200;
	}

	const char *rows = NULL;
	size_t len = 0;
	st = jobs_rows(c, status, q, page, &rows, &len, &total);
	if (st)
		return st;
	/* Escaped when rendered (templates/jobs/rows.html); jobs/list puts
	 * it in with {{& rows}}. */
	json_object_set_new(c->page, "rows", json_stringn_nocheck(rows, len));
	json_object_set_new(c->page, "total", json_integer(total));
	json_object_set_new(c->page, "can_create",
			    json_boolean(can_create_jobs(c)));
	json_t *filters = web_options(ats_job_statuses, status);
	json_array_append_new(filters,
			      json_pack("{s:s, s:s, s:b}", "value", "all",
					"label", "All", "selected", !*status));
	json_object_set_new(c->page, "filters", filters);
	return 200;
}

/* ------------------------------------------------------------ new job */

/* Who LinkedIn shows a job to is the admins' choice (F14). */
static bool can_choose_availability(const struct ctx *c)
{
	return c->session->user.role == ROLE_ADMIN;
}

static const struct web_choice availabilities[] = {
    {"private", 0}, {"public", 1}, {NULL, 0}};

/* The availability the form sent: NULL when it sent none (keep what the
 * job has), or the refusal of an admin-only choice (in c->input_status,
 * 403). */
static const char *form_availability(struct ctx *c, const char *current)
{
	enum { ABSENT = 2 };
	int v = web_enum(c, "availability", availabilities, ABSENT);
	if (v == ABSENT)
		return NULL;
	const char *want = availabilities[v].name;
	if (!can_choose_availability(c) && strcmp(want, current)) {
		if (!c->input_status) {
			c->input_status = 403;
			web_fail(c, 403, "availability",
				 "only an admin chooses who LinkedIn shows a "
				 "job to");
		}
		return NULL;
	}
	return want;
}

/* The job form's availability field: who LinkedIn shows the job to, an
 * admin's choice (others see it). */
static void form_extras(struct ctx *c, json_t *form, const char *availability)
{
	json_object_set_new(form, "availability", json_string(availability));
	json_object_set_new(
	    form, "availability_label",
	    json_string(ats_word_label(ats_job_availabilities, availability)));
	json_object_set_new(form, "can_choose_availability",
			    json_boolean(can_choose_availability(c)));
	json_object_set_new(form, "availability_options",
			    web_options(ats_job_availabilities, availability));
}

/* What LinkedIn's Sync Jobs cannot take of a job (location, description):
 * "linkedin_issues" [{field, message}] and "has_linkedin_issues" in obj.
 * The job saves anyway; the sync reports it too. */
static void linkedin_issues(struct ctx *c, json_t *obj, const char *location,
			    const char *description)
{
	struct li_location loc;
	const char *why;
	json_t *v = json_array();
	if (!li_location_map(c->arena, location, &loc, &why)) {
		json_array_append_new(v, json_pack("{s:s, s:s}", "field",
						   "location", "message", why));
		/* again under the edit form's Location field */
		json_object_set_new(obj, "location_issue", json_string(why));
	}
	if (!description || !*description)
		json_array_append_new(
		    v,
		    json_pack("{s:s, s:s}", "field", "description", "message",
			      "LinkedIn needs a description of the job"));
	json_object_set_new(obj, "has_linkedin_issues",
			    json_boolean(json_array_size(v) > 0));
	json_object_set_new(obj, "linkedin_issues", v);
}

/* "linkedin_sync": the job at LinkedIn, for its managers: the state
 * LinkedIn accepted last, and a sync under way or given up with
 * LinkedIn's reason (the admins' outbox retries it).  Nothing when the
 * database cannot say: the page is about the job. */
static void linkedin_sync(struct ctx *c, const struct job *job)
{
	struct li_job_sync s;
	if (li_job_sync_status(c->db, c->arena, job->id, &s) != DB_OK)
		return;
	json_object_set_new(c->page, "linkedin_sync",
			    json_pack("{s:s?, s:b, s:s?, s:s?, s:b, s:b, s:s?, "
				      "s:b}",
				      "state", s.state, "listed",
				      s.state && !strcmp(s.state, "LISTED"),
				      "availability",
				      s.availability, "synced_at", s.synced_at,
				      "pending", s.pending, "dead", s.dead,
				      "error", s.dead ? s.error : NULL, "known",
				      s.state || s.pending || s.dead));
}

/* The new-job form with the values given (NULL = empty). */
static void job_form(struct ctx *c, const char *title, const char *location,
		     const char *description, const char *availability,
		     const char *criteria)
{
	c->template = "jobs/form";
	c->title = "New job";
	json_t *form = json_pack("{s:s, s:s, s:s, s:s}", "title",
				 or_empty(title), "location", or_empty(location),
				 "description", or_empty(description),
				 "criteria", or_empty(criteria));
	form_extras(c, form, availability ? availability : "private");
	json_object_set_new(c->page, "form", form);
}

int web_job_new(struct ctx *c)
{
	job_form(c, NULL, NULL, NULL, NULL, NULL);
	return 200;
}

/* ------------------------------------------------------------ job page */

/* The job and the user's access to it; 0 when they may see it, else the
 * status to answer (404 for a job they may not know of). */
static int job_load(struct ctx *c, struct job *job, enum access *acc)
{
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int rc = ats_job_get_as(c->db, c->arena, &c->session->user, id, job,
				acc);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return *acc == ACCESS_NONE ? 404 : 0;
}

/* What the edit form shows: the job's values, or those just submitted. */
struct job_form_values {
	const char *title, *location, *description, *availability;
};

/* After a refused edit because the job changed since its form was read
 * (409): "conflict" [{field, label, yours, current}] for each field where
 * the form's value is not the job's now, and "has_conflict". */
static void conflict_list(struct ctx *c, const struct job *now,
			  const struct job_form_values *f)
{
	const char *fields[][4] = {
	    {"title", "Title", f->title, now->title},
	    {"location", "Location", f->location, now->location},
	    {"description", "Description", f->description, now->description},
	    {"availability", "Shown on LinkedIn to",
	     ats_word_label(ats_job_availabilities,
			    f->availability ? f->availability
					    : now->availability),
	     ats_word_label(ats_job_availabilities, now->availability)},
	};
	json_t *v = json_array();
	for (size_t i = 0; v && i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *yours = or_empty(fields[i][2]);
		const char *current = or_empty(fields[i][3]);
		if (strcmp(yours, current))
			json_array_append_new(
			    v, json_pack("{s:s, s:s, s:s, s:s}", "field",
					 fields[i][0], "label", fields[i][1],
					 "yours", yours, "current", current));
	}
	json_object_set_new(c->page, "has_conflict", json_true());
	json_object_set_new(c->page, "conflict", v ? v : json_array());
}

/* The job and what the viewer may do with it: "job", "can_manage". */
static void job_head(struct ctx *c, const struct job *job, bool manage)
{
	json_t *j = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "id",
	    (json_int_t)job->id, "public_id", job->public_id, "title",
	    job->title, "location", job->location, "description",
	    job->description, "status", job->status, "created_at",
	    job->created_at, "updated_at", job->updated_at, "availability",
	    job->availability ? job->availability : "private", "listed_at",
	    job->listed_at);
	/* The public page (companyApplyUrl), which drafts do not have. */
	if (j && strcmp(job->status, "draft"))
		json_object_set_new(
		    j, "careers_url",
		    json_string(arena_printf(c->arena, "%s/careers/%s",
					     c->cfg->public_base_url,
					     job->public_id)));
	json_object_set_new(c->page, "job", j);
	json_object_set_new(c->page, "can_manage", json_boolean(manage));
	if (manage)
		linkedin_issues(c, c->page, job->location, job->description);
	if (manage)
		linkedin_sync(c, job);
}

/* The stage the page shows into *sel: by id, or the first of a kind, or
 * (sel_q NULL or "") the first; NULL for an empty pipeline.  0, or 404 for
 * a stage the pipeline does not have. */
static int stage_pick(struct ctx *c, const struct stage_list *stages,
		      const char *sel_q, const struct stage **sel)
{
	*sel = stages->n ? &stages->v[0] : NULL;
	if (!sel_q || !*sel_q)
		return 0;
	int64_t sid = 0;
	if (parse_i64(sel_q, &sid) < 0)
		sid = 0;
	*sel = NULL;
	for (size_t i = 0; i < stages->n && !*sel; i++)
		if (sid ? stages->v[i].id == sid
			: !strcmp(stages->v[i].kind, sel_q))
			*sel = &stages->v[i];
	if (!*sel)
		return web_fail(c, 404, "stage",
				"This job's pipeline has no such stage.");
	return 0;
}

/* "stages": a tab per stage with its active applications counted. */
static void stage_tabs(struct ctx *c, const struct job *job,
		       const struct stage_list *stages, const struct stage *sel)
{
	json_t *tabs = json_array();
	for (size_t i = 0; i < stages->n; i++) {
		const struct stage *s = &stages->v[i];
		json_t *t = json_pack(
		    "{s:I, s:s, s:s, s:i, s:I, s:I, s:I}", "id",
		    (json_int_t)s->id, "name", s->name, "kind", s->kind,
		    "position", s->position, "active_count",
		    (json_int_t)s->active_count, "hired_count",
		    (json_int_t)s->hired_count, "count",
		    (json_int_t)(s->active_count + s->hired_count));
		if (html(c)) {
			json_object_set_new(t, "selected",
					    json_boolean(s == sel));
			json_object_set_new(t, "first", json_boolean(i == 0));
			json_object_set_new(t, "last",
					    json_boolean(i + 1 == stages->n));
			json_object_set_new(
			    t, "url",
			    json_string(arena_printf(
				c->arena, "/jobs/%lld?stage=%lld",
				(long long)job->id, (long long)s->id)));
		}
		json_array_append_new(tabs, t);
	}
	json_object_set_new(c->page, "stages", tabs);
}

/* A stage's count (the tab badge and the heading say the same): the
 * candidates in it, its active applications and those hired there
 * (sql/170_stage_hired_count.sql); the heading adds how many more ended
 * there, rejected or withdrawn. */
static int64_t stage_count(const struct stage *s)
{
	return s->active_count + s->hired_count;
}

/* What a stage tab's rows offer (HTML, a viewer who may move): "row_ui"
 * {can_move, can_manage, move_options [{id, name}] (the next stage
 * first, then the others in pipeline order), reasons, hire_here (the
 * stage is the last before Hired, or the last), return_to}. */
static void row_actions(struct ctx *c, const struct job *job,
			const struct stage_list *stages,
			const struct stage *sel, enum access acc)
{
	size_t k = (size_t)(sel - stages->v);
	json_t *opts = json_array();
	if (k + 1 < stages->n)
		json_array_append_new(
		    opts, json_pack("{s:I, s:s, s:b}", "id",
				    (json_int_t)stages->v[k + 1].id, "name",
				    stages->v[k + 1].name, "next", 1));
	for (size_t i = 0; i < stages->n; i++)
		if (i != k && i != k + 1)
			json_array_append_new(
			    opts, json_pack("{s:I, s:s, s:b}", "id",
					    (json_int_t)stages->v[i].id, "name",
					    stages->v[i].name, "next", 0));
	bool last = k + 1 == stages->n;
	bool before_hired =
	    k + 1 < stages->n && !strcmp(stages->v[k + 1].kind, "hired");
	bool at_hired = !strcmp(sel->kind, "hired");
	const char *rt = arena_printf(c->arena, "/jobs/%lld?stage=%lld",
				      (long long)job->id, (long long)sel->id);
	json_object_set_new(
	    c->page, "row_ui",
	    json_pack("{s:b, s:b, s:o, s:b, s:o, s:b, s:s}", "can_move",
		      acc >= ACCESS_CONTRIBUTE && stages->n > 1, "can_manage",
		      acc >= ACCESS_MANAGE, "move_options", opts, "has_moves",
		      json_array_size(opts) > 0, "reasons",
		      web_options(ats_rejection_reasons, NULL), "hire_here",
		      acc >= ACCESS_MANAGE && (last || before_hired || at_hired),
		      "return_to", or_empty(rt)));
}

/* "stage" and "applications": the selected stage's applications, page
 * page of them, with the pager, and (HTML) what each row offers.  0 or
 * the status to answer. */
static int stage_rows(struct ctx *c, const struct job *job,
		      const struct stage_list *stages, const struct stage *sel,
		      enum access acc, int64_t page)
{
	struct stage_entry_list apps;
	if (!sel) {
		json_object_set_new(c->page, "stage", json_null());
		json_object_set_new(c->page, "applications", json_array());
		return 0;
	}
	/* an interviewer sees only some applications (access.h) */
	const struct user *u = &c->session->user;
	int rc = u->role == ROLE_INTERVIEWER
		     ? ats_stage_applications_seen(c->db, c->arena, u, job->id,
						   sel->id,
						   (page - 1) * STAGE_PAGE,
						   STAGE_PAGE, &apps)
		     : ats_stage_applications(
			   c->db, c->arena, job->id, sel->id,
			   sel->active_count, sel->total_count,
			   (page - 1) * STAGE_PAGE, STAGE_PAGE, &apps);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	bool rows_act = html(c) && acc >= ACCESS_CONTRIBUTE;
	json_t *list = json_array();
	for (size_t i = 0; i < apps.n; i++) {
		struct stage_entry *e = &apps.v[i];
		json_t *row = web_pack_row(
		    "{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I}",
		    "application_id", (json_int_t)e->application_id,
		    "candidate_id", (json_int_t)e->candidate_id, "name",
		    e->name, "email", e->email, "since", e->since, "status",
		    e->status, "source", e->source, "version",
		    (json_int_t)e->version);
		if (row && rows_act) {
			bool active = !strcmp(e->status, "active");
			json_object_set_new(row, "is_active",
					    json_boolean(active));
			json_object_set_new(
			    row, "can_reopen",
			    json_boolean(acc >= ACCESS_MANAGE &&
					 (!strcmp(e->status, "rejected") ||
					  !strcmp(e->status, "withdrawn"))));
		}
		json_array_append_new(list, row);
	}
	int64_t count = stage_count(sel);
	json_object_set_new(
	    c->page, "stage",
	    json_pack("{s:I, s:s, s:s, s:i, s:I, s:I, s:I, s:I, s:I}", "id",
		      (json_int_t)sel->id, "name", sel->name, "kind", sel->kind,
		      "position", sel->position, "active_count",
		      (json_int_t)sel->active_count, "hired_count",
		      (json_int_t)sel->hired_count, "count", (json_int_t)count,
		      "ended_count", (json_int_t)(apps.total - count), "total",
		      (json_int_t)apps.total));
	json_object_set_new(c->page, "applications", list);
	char *stage_id = arena_printf(c->arena, "%lld", (long long)sel->id);
	char *path = arena_printf(c->arena, "/jobs/%lld", (long long)job->id);
	const char *const params[] = {"stage", stage_id, NULL};
	web_pager(c, &(struct pager){path, params, page, apps.total, STAGE_PAGE,
				     false, apps.n == 0});
	if (html(c))
		json_object_set_new(c->page, "has_applications",
				    json_boolean(apps.n > 0));
	if (rows_act)
		row_actions(c, job, stages, sel, acc);
	return 0;
}

/* "members", each with a role select for a manager.  0 or the status. */
static int member_list(struct ctx *c, const struct job *job, bool manage)
{
	struct job_member_list members;
	int rc = ats_job_members(c->db, c->arena, job->id, &members);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *ml = json_array();
	for (size_t i = 0; i < members.n; i++) {
		struct job_member *m = &members.v[i];
		json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "user_id",
				      (json_int_t)m->user_id, "name", m->name,
				      "email", m->email, "role", m->role);
		if (html(c)) {
			json_object_set_new(o, "role_label",
					    json_string(ats_word_label(
						ats_member_roles, m->role)));
			if (manage)
				json_object_set_new(
				    o, "role_options",
				    web_options(ats_member_roles, m->role));
		}
		json_array_append_new(ml, o);
	}
	json_object_set_new(c->page, "members", ml);
	if (html(c))
		json_object_set_new(c->page, "has_members",
				    json_boolean(members.n > 0));
	return 0;
}

/* "history": the job's newest audit rows, for its managers.  0 or the
 * status. */
static int history_list(struct ctx *c, const struct job *job)
{
	struct job_event_list hist;
	int rc = ats_job_history(c->db, c->arena, job->id, JOB_HISTORY, &hist);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *hl = json_array();
	for (size_t i = 0; i < hist.n; i++)
		json_array_append_new(
		    hl, json_pack("{s:s, s:s, s:s, s:s, s:s}", "at",
				  hist.v[i].at, "who",
				  *hist.v[i].who ? hist.v[i].who : "hirelink",
				  "action", hist.v[i].action, "detail",
				  hist.v[i].detail, "sentence",
				  web_audit_sentence(c->arena, hist.v[i].action,
						     hist.v[i].detail,
						     hist.v[i].member)));
	json_object_set_new(c->page, "history", hl);
	if (html(c))
		json_object_set_new(c->page, "has_history",
				    json_boolean(hist.n > 0));
	return 0;
}

/* The form that adds a member (HTML, managers): the roles, and the people
 * to choose from when asked for (?members=choose), else the link that
 * asks.  0 or the status. */
static int member_editor(struct ctx *c, const struct job *job,
			 const struct stage *sel)
{
	/* Read only when asked for: on every stage tab it was a scan and
	 * sort of all users and, in a large organisation, most of the page's
	 * bytes.  The email field adds anyone without it. */
	const char *mq = http_query(c->req, "members");
	if (mq && !strcmp(mq, "choose")) {
		struct job_member_list users;
		int rc =
		    ats_job_assignable_users(c->db, c->arena, job->id, &users);
		if (rc != DB_OK)
			return web_status_from_db(rc);
		json_t *ul = json_array();
		for (size_t i = 0; i < users.n; i++)
			json_array_append_new(
			    ul, json_pack("{s:I, s:s, s:s}", "id",
					  (json_int_t)users.v[i].user_id,
					  "name", users.v[i].name, "email",
					  users.v[i].email));
		json_object_set_new(c->page, "assignable_users", ul);
		json_object_set_new(c->page, "choosing", json_true());
	} else {
		const char *stage_q =
		    sel ? arena_printf(c->arena, "stage=%lld&",
				       (long long)sel->id)
			: "";
		json_object_set_new(
		    c->page, "choose_url",
		    json_string(arena_printf(
			c->arena, "/jobs/%lld?%smembers=choose#members",
			(long long)job->id, or_empty(stage_q))));
	}
	json_object_set_new(c->page, "role_options",
			    web_options(ats_member_roles, "interviewer"));
	return 0;
}

/* The managers' other forms (HTML): a new stage's kinds, the edit form
 * with the job's values or those just refused (form), and the status
 * buttons. */
static void manage_forms(struct ctx *c, const struct job *job,
			 const struct job_form_values *form)
{
	json_object_set_new(
	    c->page, "kind_options",
	    web_options(ats_stage_kinds, ATS_STAGE_KIND_DEFAULT));
	const char *location = form ? or_empty(form->location) : job->location;
	const char *description =
	    form ? or_empty(form->description) : job->description;
	/* The version of the job as shown now: after a conflict, saving the
	 * form again means "mine over theirs", knowingly. */
	json_t *f = json_pack("{s:s, s:s, s:s, s:I}", "title",
			      form ? or_empty(form->title) : job->title,
			      "location", location, "description", description,
			      "version", (json_int_t)job->version);
	form_extras(c, f,
		    form && form->availability ? form->availability
					       : job->availability);
	json_object_set_new(c->page, "form", f);
	json_object_set_new(c->page, "edit_open", json_boolean(form != NULL));
	json_object_set_new(c->page, "is_draft",
			    json_boolean(!strcmp(job->status, "draft")));
	json_object_set_new(c->page, "is_active",
			    json_boolean(!strcmp(job->status, "active")));
	json_object_set_new(c->page, "is_closed",
			    json_boolean(!strcmp(job->status, "closed")));
}

/*
 * Fills c->page with the job page: the job, the stage tabs, the selected
 * stage's applications (page page), the members, and for managers the
 * job's history and the editors.  stage_sel is NULL (first stage), a
 * stage id or a kind.  Returns 0 or the status to answer.
 */
static int job_page(struct ctx *c, const struct job *job, enum access acc,
		    const char *stage_sel, int64_t page,
		    const struct job_form_values *form)
{
	struct stage_list stages;
	const struct stage *sel;
	bool manage = acc >= ACCESS_MANAGE;

	c->template = "jobs/show";
	c->title = job->title;
	/* an interviewer's counts are of what they may see (access.h) */
	int rc = ats_job_stages_seen(c->db, c->arena, &c->session->user,
				     job->id, &stages);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	job_head(c, job, manage);
	int st = stage_pick(c, &stages, stage_sel, &sel);
	if (st)
		return st;
	stage_tabs(c, job, &stages, sel);
	st = stage_rows(c, job, &stages, sel, acc, page);
	/* the bulk bar (bulk.c) for those who move candidates */
	if (!st && sel && html(c) && acc >= ACCESS_CONTRIBUTE)
		st = web_bulk_stage_context(c, &stages, sel, acc);
	if (!st)
		st = member_list(c, job, manage);
	if (st || !manage)
		return st;
	st = history_list(c, job);
	if (st || !html(c))
		return st;
	st = member_editor(c, job, sel);
	if (!st)
		manage_forms(c, job, form);
	if (!st && web_job_criteria_context(c, job->id, c->page) != DB_OK)
		st = 500;
	return st;
}

int web_job_show(struct ctx *c)
{
	struct job job;
	enum access acc;
	int64_t page;
	int st = job_load(c, &job, &acc);
	if (!st)
		st = web_page(c, &page);
	if (st)
		return st;
	st = job_page(c, &job, acc, web_text(c, "stage", 0), page, NULL);
	return st ? st : 200;
}

/* After a change: a browser goes back to the job page (to anchor), a JSON
 * client gets the job page's data. */
static int changed(struct ctx *c, int64_t job_id, const char *anchor,
		   int json_status)
{
	struct job job;
	enum access acc;
	int rc =
	    ats_job_access(c->db, c->arena, &c->session->user, job_id, &acc);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	/* A recruiter who removed themselves may not see the job any more. */
	if (acc == ACCESS_NONE) {
		if (html(c))
			return web_see_other(c, "/jobs");
		json_object_set_new(c->page, "job", json_null());
		return json_status;
	}
	if (html(c))
		return web_see_other(c,
				     arena_printf(c->arena, "/jobs/%lld%s",
						  (long long)job_id, anchor));
	rc = ats_job_get(c->db, c->arena, job_id, &job);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	int st = job_page(c, &job, acc, NULL, 1, NULL);
	return st ? st : json_status;
}

/* ------------------------------------------------------------ changes */

/* A change to a job the user manages: the job as it was read, the user's
 * access, the values of the edit form (for an edit) and what ats said of a
 * refused change. */
struct change {
	struct job job;
	enum access acc;
	const struct job_form_values *form;
	struct ats_error err;
};

/* Starts a change to the job of capture 0: as job_load, and the user must
 * manage the job (403 otherwise). */
static int change_start(struct ctx *c, struct change *x)
{
	*x = (struct change){0};
	int st = job_load(c, &x->job, &x->acc);
	if (!st && x->acc < ACCESS_MANAGE)
		st = web_fail(c, 403, NULL,
			      "Only the job's recruiters and admins may "
			      "change it.");
	return st;
}

/* A refused change: the job page again with the error (and, for an edit,
 * the values submitted), or the JSON error. */
static int refused(struct ctx *c, const struct change *x, int status,
		   const char *field, const char *message)
{
	/* Re-read: the job may have changed in the meantime. */
	const struct job *job = &x->job;
	struct job fresh;
	if (ats_job_get(c->db, c->arena, job->id, &fresh) == DB_OK)
		job = &fresh;
	int st = job_page(c, job, x->acc, NULL, 1, x->form);
	if (st)
		return st;
	if (status == 409 && x->form)
		conflict_list(c, job, x->form);
	return web_fail(c, status, field, message);
}

/* A field refused by a getter (input.c): as refused(). */
static int refused_input(struct ctx *c, const struct change *x)
{
	return refused(c, x, c->input_status, c->error_field, c->error_message);
}

/* The answer to a change ats answered rc: the page again with its message
 * for bad input, the job page (at anchor) when it is done, saying what was
 * done (said, may be NULL; web_notice) unless the caller said it already
 * with an Undo. */
static int change_done(struct ctx *c, const struct change *x, int rc,
		       const char *anchor, const char *said)
{
	if (rc == ATS_INVALID)
		return refused(c, x, 400, x->err.field, x->err.message);
	if (rc == ATS_CONFLICT)
		return refused(c, x, 409, x->err.field, x->err.message);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (said && !c->notice)
		web_notice(c, said);
	return changed(c, x->job.id, anchor, 200);
}

int web_job_create(struct ctx *c)
{
	const char *title = web_text(c, "title", 0);
	const char *location = web_text(c, "location", 0);
	const char *description = web_text(c, "description", 0);
	const char *status = web_text(c, "status", 0);
	const char *availability = form_availability(c, "private");
	/* the interviewers' criteria, one a line, in the job's own
	 * transaction (feedback.h) */
	const char *criteria_text = web_text(c, "criteria", 4000);
	const char **criteria;
	size_t ncriteria;
	struct ats_error err = {0};
	int64_t id = 0;

	if (!*status)
		status = "draft";
	job_form(c, title, location, description, availability,
		 criteria_text);
	int st = web_criteria_field(c, &criteria, &ncriteria);
	if (st || c->input_status)
		return st ? st : c->input_status;
	int rc = ats_job_create_with_criteria(
	    c->db, c->arena, c->session->user.id, title, location, description,
	    status, availability, criteria, ncriteria, c->req->remote_addr,
	    &id, &err);
	if (rc == ATS_INVALID)
		return web_fail(c, 400, err.field, err.message);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_object_clear(c->page);
	web_notice(c, arena_printf(c->arena, "Created the job \"%s\"", title));
	return changed(c, id, "", 201);
}

int web_job_update(struct ctx *c)
{
	struct change x;
	int st = change_start(c, &x);
	if (st)
		return st;
	/* A field left out of a JSON or form body keeps its value. */
	struct job_form_values f = {
	    web_text(c, "title", 0),
	    web_text_or(c, "location", 0, x.job.location),
	    web_text_or(c, "description", 0, x.job.description),
	    form_availability(c, x.job.availability)};
	/* The version the form was read at (the page's form always sends
	 * it); a client that sends none overwrites whatever is there. */
	int64_t version = web_id(c, "version", 0,
				 "must be the version of the job the form "
				 "was read at");
	if (c->input_status)
		return c->input_status;
	x.form = &f;
	int rc = ats_job_update(c->db, c->session->user.id, x.job.id, f.title,
				f.location, f.description, f.availability,
				version, c->req->remote_addr, &x.err);
	return change_done(c, &x, rc, "",
			   arena_printf(c->arena, "Saved the job \"%s\"",
					f.title));
}

static int set_status(struct ctx *c, const char *status)
{
	struct change x;
	int st = change_start(c, &x);
	if (st)
		return st;
	int rc = ats_job_set_status(c->db, c->session->user.id, x.job.id,
				    status, c->req->remote_addr, &x.err);
	const char *said;
	if (!strcmp(status, "closed")) {
		said = arena_printf(c->arena, "Closed the job \"%s\"",
				    x.job.title);
		/* an active job closed by mistake opens again at once */
		if (rc == DB_OK && !strcmp(x.job.status, "active"))
			web_notice_undo(c, said,
					arena_printf(c->arena,
						     "/jobs/%lld/activate",
						     (long long)x.job.id),
					NULL);
	} else {
		said = arena_printf(c->arena, "%s the job \"%s\"",
				    strcmp(x.job.status, "closed")
					? "Activated"
					: "Reopened",
				    x.job.title);
	}
	return change_done(c, &x, rc, "", said);
}

int web_job_activate(struct ctx *c)
{
	return set_status(c, "active");
}

int web_job_close(struct ctx *c)
{
	return set_status(c, "closed");
}

/* The active user with this email into *user_id (0 when none). */
static int member_by_email(struct ctx *c, const char *email, int64_t *user_id)
{
	struct user u;
	const char *hash;
	*user_id = 0;
	if (!*email || strlen(email) > 254)
		return DB_NOT_FOUND;
	int rc = ats_user_by_email(c->db, c->arena, email, &u, &hash);
	if (rc == DB_OK)
		*user_id = u.active ? u.id : 0;
	return rc;
}

/* Member user_id of the job into *m (zeroed when they are none). */
static void member_find(struct ctx *c, int64_t job_id, int64_t user_id,
			struct job_member *m)
{
	struct job_member_list ml;
	memset(m, 0, sizeof(*m));
	if (ats_job_members(c->db, c->arena, job_id, &ml) != DB_OK)
		return;
	for (size_t i = 0; i < ml.n; i++)
		if (ml.v[i].user_id == user_id)
			*m = ml.v[i];
}

int web_job_members(struct ctx *c)
{
	static const struct web_choice actions[] = {
	    {"add", true}, {"remove", false}, {NULL, 0}};
	struct change x;
	int st = change_start(c, &x);
	if (st)
		return st;
	bool add = web_enum(c, "action", actions, WEB_REQUIRED);
	int64_t user_id =
	    web_id(c, "user_id", 0, "choose an active user (user_id or email)");
	const char *email = web_text(c, "email", 0);
	const char *role = web_text(c, "role", 0);
	if (c->input_status)
		return refused_input(c, &x);
	int rc = user_id ? DB_OK : member_by_email(c, email, &user_id);
	if (rc != DB_OK && rc != DB_NOT_FOUND)
		return web_status_from_db(rc);
	if (!user_id)
		return refused(c, &x, 400, "user_id",
			       "choose an active user (user_id or email)");
	/* who it is, for what the page says after (the member as they were
	 * before a removal, for its Undo) */
	struct job_member before = {0};
	if (!add)
		member_find(c, x.job.id, user_id, &before);
	if (add) {
		rc = ats_job_member_set(c->db, c->session->user.id, x.job.id,
					user_id, role,
					c->session->user.role == ROLE_RECRUITER,
					c->req->remote_addr, &x.err);
	} else {
		rc = ats_job_member_remove(c->db, c->session->user.id, x.job.id,
					   user_id, c->req->remote_addr);
		if (rc == DB_NOT_FOUND)
			return refused(c, &x, 404, "user_id",
				       "is not a member of this job");
	}
	if (rc != DB_OK)
		return change_done(c, &x, rc, "#members", NULL);
	if (add) {
		struct job_member now = {0};
		member_find(c, x.job.id, user_id, &now);
		web_notice(c, arena_printf(
				  c->arena, "%s is a member of the job as %s",
				  now.name ? now.name : "The user",
				  or_empty(ats_word_label(ats_member_roles,
							  now.role))));
	} else {
		web_notice_undo(
		    c,
		    arena_printf(c->arena, "Removed %s from the job",
				 before.name ? before.name : "the member"),
		    arena_printf(c->arena, "/jobs/%lld/members",
				 (long long)x.job.id),
		    "action", "add", "user_id",
		    arena_printf(c->arena, "%lld", (long long)user_id), "role",
		    before.role ? before.role : "interviewer", NULL);
	}
	return change_done(c, &x, rc, "#members", NULL);
}

int web_job_stages(struct ctx *c)
{
	enum { ADD, RENAME, MOVE, DELETE };
	static const struct web_choice actions[] = {
	    {"add", ADD},	{"rename", RENAME}, {"move", MOVE},
	    {"delete", DELETE}, {NULL, 0},
	};
	enum { TO_POSITION, UP, DOWN };
	static const struct web_choice directions[] = {
	    {"up", UP}, {"down", DOWN}, {NULL, 0}};
	struct change x;
	int st = change_start(c, &x);
	if (st)
		return st;
	int action = web_enum(c, "action", actions, WEB_REQUIRED);
	int64_t stage_id =
	    web_id(c, "stage_id", 0, "is not a stage of this job");
	const char *name = web_text(c, "name", 0);
	const char *kind = web_text(c, "kind", 0);
	int dir = web_enum(c, "direction", directions, TO_POSITION);
	int64_t pos =
	    web_id(c, "position", 0, "must be a position from 1 to 1000");
	if (c->input_status)
		return refused_input(c, &x);
	struct stage s;
	int rc;

	if (action == ADD) {
		rc = ats_stage_add(c->db, c->session->user.id, x.job.id, name,
				   kind, c->req->remote_addr, NULL, &x.err);
		return change_done(
		    c, &x, rc, "#pipeline",
		    arena_printf(c->arena, "Added the stage \"%s\"", name));
	}
	rc = stage_id ? ats_stage_get(c->db, c->arena, x.job.id, stage_id, &s)
		      : DB_NOT_FOUND;
	if (rc == DB_NOT_FOUND)
		return refused(c, &x, 404, "stage_id",
			       "is not a stage of this job");
	if (rc != DB_OK)
		return web_status_from_db(rc);

	const char *said = NULL;
	if (action == RENAME) {
		said = arena_printf(c->arena,
				    "Renamed the stage \"%s\" to \"%s\"",
				    s.name, name);
		rc = ats_stage_rename(c->db, c->session->user.id, x.job.id,
				      stage_id, name, c->req->remote_addr,
				      &x.err);
	} else if (action == MOVE) {
		int64_t to = dir == UP	   ? s.position - 1
			     : dir == DOWN ? s.position + 1
					   : pos;
		if (dir == TO_POSITION && (to < 1 || to > 1000))
			return refused(
			    c, &x, 400, "direction",
			    "must be up or down, or give a position");
		if (to < 1) /* the first stays first */
			to = 1;
		rc = ats_stage_move(c->db, c->session->user.id, x.job.id,
				    stage_id, (int)to, c->req->remote_addr);
		said = arena_printf(c->arena, "Moved the stage \"%s\" %s",
				    s.name,
				    dir == UP     ? "up"
				    : dir == DOWN ? "down"
						  : "");
	} else {
		said = arena_printf(c->arena, "Deleted the stage \"%s\"",
				    s.name);
		rc = ats_stage_delete(c->db, c->session->user.id, x.job.id,
				      stage_id, c->req->remote_addr);
		if (rc == ATS_STAGE_IN_USE)
			return refused(
			    c, &x, 409, "stage_id",
			    arena_printf(c->arena,
					 "The stage \"%s\" cannot be deleted: "
					 "applications are at it or have "
					 "passed through it. Rename it "
					 "instead.",
					 s.name));
	}
	return change_done(c, &x, rc, "#pipeline", said);
}

/*
 * GET /jobs/{id}/stages/{stage}/delete: the confirmation step of the
 * pipeline editor's Delete (templates/confirm/page.html); its form POSTs
 * /jobs/{id}/stages with action=delete.  A stage that cannot be deleted
 * says so here already.
 */
int web_job_stage_delete_form(struct ctx *c)
{
	struct change x;
	struct stage s;
	int st = change_start(c, &x);
	if (st)
		return st;
	int64_t stage_id = web_capture_id(c, 1);
	int rc = stage_id ? ats_stage_get(c->db, c->arena, x.job.id, stage_id,
					  &s)
			  : DB_NOT_FOUND;
	if (rc != DB_OK)
		return web_status_from_db(rc);
	const char *back =
	    arena_printf(c->arena, "/jobs/%lld#pipeline", (long long)x.job.id);
	struct web_confirm_step step = {
	    .heading = arena_printf(c->arena, "Delete the stage \"%s\"?",
				    s.name),
	    .text = arena_printf(
		c->arena,
		"The stage \"%s\" leaves the pipeline of \"%s\" for good "
		"and the stages after it move up. A stage that any "
		"application is at or has passed through cannot be deleted "
		"(rename it instead).",
		s.name, x.job.title),
	    .action = arena_printf(c->arena, "/jobs/%lld/stages",
				   (long long)x.job.id),
	    .button = "Delete the stage",
	    .danger = true,
	    .cancel_url = back,
	    .nav = "jobs"};
	return web_confirm(c, &step, "action", "delete", "stage_id",
			   arena_printf(c->arena, "%lld", (long long)s.id),
			   NULL);
}
