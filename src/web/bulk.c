/*
 * bulk.c - bulk actions (src/ats/bulk.h) from three pages, and the page
 * that follows a bulk job:
 *
 *   POST /jobs/{id}/bulk/{move,reject,pool,job}   a stage tab's rows
 *   POST /candidates/bulk/{pool,job}              search results
 *   POST /pools/{id}/bulk/{pool,job}              a pool's members
 *   GET  /bulk/{id}                               progress and failures
 *
 * Each page has one bulk bar: a form (id "bulk") whose checkboxes sit in
 * the rows (form="bulk", so the rows' own forms stay as they are) and
 * whose buttons name their action's URL (formaction), so it works
 * without JavaScript.  The fields: ids (repeated: the rows chosen), or
 * all=1 for "all N in this stage / these results / this pool" with stage
 * or q saying which; then to_stage_id, reason and note, pool_id or job_id
 * for the action, and return_to.
 *
 * A job of up to BULK_INLINE_MAX records is done in the request: the
 * notice says so ("Moved 3 candidates to Screen") on the page the user
 * came from, or on the bulk job's page when some failed, which lists
 * them.  A larger one goes to the worker and the user to its page, which
 * reloads itself (a meta refresh, no script) until it is done.
 *
 * What cannot be taken back in one step asks first (ats_bulk_needs_confirm:
 * a reject, a move that hires, "all" of a search's results): the job is
 * created waiting, its selection resolved and counted, and the user sent
 * to its page, which is then a confirmation step (confirm.c, no script)
 * saying exactly how many ("Reject 3 candidates?"); its form POSTs
 * /bulk/{id}/confirm, and the job runs as any other from there.
 *
 * "All N results" of a search is the search the page showed: its words,
 * its filters (job, stage, source, pool, dates added) and the viewer's
 * narrowing, read and checked as the list reads them
 * (web_candidate_query), the same rows in the same order.
 */
#include <stdio.h>
#include <string.h>

#include "ats/applications.h"
#include "ats/bulk.h"
#include "ats/candidates.h"
#include "ats/jobs.h"
#include "ats/pools.h"
#include "web/web.h"

/* Rows a page may send as ids: a page of a list is 50, the rest is "all";
 * under the request's bound on fields (256), so this says why. */
#define BULK_IDS_MAX 200
/* How often an unfinished job's page reloads itself (seconds). */
#define BULK_REFRESH_S 2

/* "3 candidates", "1 candidate"; arena-owned. */
static const char *candidates_n(struct ctx *c, int64_t n)
{
	return arena_printf(c->arena, "%lld candidate%s", (long long)n,
			    n == 1 ? "" : "s");
}

/* What the job did, or does, in words: "Moved 3 candidates to Screen". */
static const char *said(struct ctx *c, const struct bulk_job *b, int64_t n,
			bool doing)
{
	static const char *const verbs[][2] = {
	    {"Moved", "Moving"},
	    {"Rejected", "Rejecting"},
	    {"Added", "Adding"},
	    {"Added", "Adding"},
	};
	static const char *const links[] = {" to ", " (", " to the pool ",
					    " to the job "};
	const char *verb = verbs[b->action][doing];
	return arena_printf(c->arena, "%s %s%s%s%s", verb, candidates_n(c, n),
			    links[b->action], b->label,
			    b->action == BULK_REJECT ? ")" : "");
}

static const char *bulk_url(struct ctx *c, int64_t id)
{
	return arena_printf(c->arena, "/bulk/%lld", (long long)id);
}

/* "1,234 candidates", "1 candidate"; arena-owned. */
static const char *count_words(struct ctx *c, int64_t n)
{
	return arena_printf(c->arena, "%s candidate%s",
			    web_count_text(c->arena, n, false), n == 1 ? "" : "s");
}

/* After a job ran, or began to: the user is sent on with what it did, to
 * return_to when all is done, else to the job's page. */
static int finish(struct ctx *c, int64_t id, const char *return_to)
{
	struct bulk_job b;
	int rc = ats_bulk_get(c->db, c->arena, &c->session->user, id, &b);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!b.finished) {
		web_notice(c, arena_printf(c->arena, "%s in the background.",
					   said(c, &b, b.total, true)));
		return web_see_other(c, bulk_url(c, id));
	}
	if (b.failed) {
		web_notice(c, arena_printf(c->arena, "%s; %lld could not be.",
					   said(c, &b, b.done, false),
					   (long long)b.failed));
		return web_see_other(c, bulk_url(c, id));
	}
	web_notice(c, arena_printf(c->arena, "%s.", said(c, &b, b.done, false)));
	return web_see_other(c, *return_to ? return_to : "/");
}

/* Runs job id of total items in this request when it is small enough (the
 * worker takes a larger one, and what this run leaves). */
static void run_small(struct ctx *c, int64_t id, int64_t total)
{
	if (total > BULK_INLINE_MAX)
		return;
	int rc = ats_bulk_run_inline(c->db, id);
	if (rc != DB_OK)
		log_error("bulk job %lld: the request's run stopped (the worker "
			  "finishes it): %s",
			  (long long)id, db_error(c->db));
}

/* Maps a refusal of ats_bulk_create to the error page. */
static int refused(struct ctx *c, int rc, const struct ats_error *e)
{
	c->template = NULL;
	if (rc == ATS_INVALID)
		return web_fail(c, 400, e->field, e->message);
	if (rc == ATS_FORBIDDEN)
		return web_fail(c, 403, NULL, e->message);
	if (rc == DB_NOT_FOUND)
		return web_fail(c, 404, NULL, e->message);
	return web_status_from_db(rc);
}

/* Reads the selection and the action's fields into spec, creates the
 * job, runs it here when it is small, and sends the user on (to its
 * confirmation step first when it asks for one).  search: the search
 * whose results "all" means (BULK_FROM_SEARCH). */
static int bulk_start(struct ctx *c, struct bulk_spec *spec,
		      const char *fallback,
		      const struct candidate_query *search)
{
	struct bulk_selection sel = {0};
	struct ats_error e = {0};
	int64_t id = 0, total = 0;

	sel.all = web_bool(c, "all");
	sel.ids = web_ids(c, "ids", BULK_IDS_MAX,
			  "must be the numbers of the rows chosen", &sel.n);
	if (spec->source == BULK_FROM_STAGE)
		sel.all_stage_id =
		    web_id(c, "stage", sel.all ? WEB_REQUIRED : 0,
			   "must be the stage whose candidates are chosen");
	if (spec->source == BULK_FROM_SEARCH)
		sel.all_search = search;
	switch (spec->action) {
	case BULK_MOVE:
		spec->target_id = web_id(c, "to_stage_id", WEB_REQUIRED,
					 "must be the stage to move them to");
		break;
	case BULK_REJECT:
		spec->reason = web_text(c, "reason", 40);
		spec->note = web_text(c, "note", 2000);
		break;
	case BULK_POOL_ADD:
		spec->target_id = web_id(c, "pool_id", WEB_REQUIRED,
					 "must be the pool to add them to");
		break;
	case BULK_JOB_ADD: {
		/* a job of one's own from the list, or any by its ID */
		const char *ref = web_text(c, "job_ref", 40);
		spec->target_id = web_id(c, "job_id", *ref ? 0 : WEB_REQUIRED,
					 "must be the job to add them to");
		if (*ref && !(spec->target_id = ats_job_id_parse(ref)) &&
		    !c->input_status) {
			c->input_status = 400;
			web_fail(c, 400, "job_ref",
				 "must be a job ID such as J-00042");
		}
		break;
	}
	}
	spec->return_to = web_local_path(c, "return_to", fallback);
	if (c->input_status)
		return c->input_status;
	if (!sel.all && sel.n == 0)
		return web_fail(c, 400, "ids",
				"Select at least one candidate (tick their "
				"rows, or \"all\").");
	int rc = ats_bulk_create(c->db, c->arena, &c->session->user, spec,
				 &sel, c->req->remote_addr, &id, &total, &e);
	if (rc != DB_OK)
		return refused(c, rc, &e);
	/* asks first: its page is the confirmation step */
	struct bulk_job b;
	rc = ats_bulk_get(c->db, c->arena, &c->session->user, id, &b);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (b.awaiting)
		return web_see_other(c, bulk_url(c, id));
	run_small(c, id, total);
	return finish(c, id, spec->return_to);
}

/* ------------------------------------------------------------ routes */

static int from_job(struct ctx *c, enum bulk_action action)
{
	int64_t job = web_capture_id(c, 0);
	enum access acc;
	if (!job)
		return 404;
	/* the job first: one the user may not see is not found, whatever
	 * the form says */
	int rc = ats_job_access(c->db, c->arena, &c->session->user, job, &acc);
	if (rc == DB_OK && acc == ACCESS_NONE)
		rc = DB_NOT_FOUND;
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if ((action == BULK_MOVE && acc < ACCESS_CONTRIBUTE) ||
	    (action == BULK_REJECT && acc < ACCESS_MANAGE))
		return web_fail(c, 403, NULL,
				action == BULK_MOVE
				    ? "Only the job's recruiters and hiring "
				      "managers move candidates."
				    : "Only the job's recruiters reject "
				      "candidates.");
	struct bulk_spec spec = {.action = action,
				 .source = BULK_FROM_STAGE,
				 .source_id = job};
	return bulk_start(c, &spec,
			  arena_printf(c->arena, "/jobs/%lld", (long long)job),
			  NULL);
}

int web_job_bulk_move(struct ctx *c) { return from_job(c, BULK_MOVE); }
int web_job_bulk_reject(struct ctx *c) { return from_job(c, BULK_REJECT); }
int web_job_bulk_pool(struct ctx *c) { return from_job(c, BULK_POOL_ADD); }
int web_job_bulk_job(struct ctx *c) { return from_job(c, BULK_JOB_ADD); }

static int from_search(struct ctx *c, enum bulk_action action)
{
	struct bulk_spec spec = {.action = action, .source = BULK_FROM_SEARCH};
	struct candidate_query f = {0};
	const char *sort_name;
	/* the search the page showed, checked as the list checks it */
	f.q = web_text(c, "q", WEB_SEARCH_MAX);
	if (c->input_status)
		return c->input_status;
	int st = web_candidate_query(c, &f, &sort_name);
	if (st)
		return st;
	/* back to the same results */
	const char **params = web_candidate_query_params(
	    c, &f, *web_text(c, "sort", 0) ? sort_name : "");
	if (!params)
		return 500;
	struct buf b = BUF_INIT;
	buf_adds(&b, "/candidates");
	char sep = '?';
	for (size_t i = 0; params[i]; i += 2) {
		if (!params[i + 1] || !*params[i + 1])
			continue;
		buf_addf(&b, "%c%s=", sep, params[i]);
		buf_add_url(&b, params[i + 1], strlen(params[i + 1]));
		sep = '&';
	}
	const char *back = buf_failed(&b) ? "/candidates"
					  : arena_strdup(c->arena, b.data);
	buf_release(&b);
	return bulk_start(c, &spec, back ? back : "/candidates", &f);
}

int web_candidates_bulk_pool(struct ctx *c)
{
	return from_search(c, BULK_POOL_ADD);
}

int web_candidates_bulk_job(struct ctx *c)
{
	return from_search(c, BULK_JOB_ADD);
}

static int from_pool(struct ctx *c, enum bulk_action action)
{
	int64_t pool = web_capture_id(c, 0);
	struct pool p;
	if (!pool)
		return 404;
	int rc = ats_pool_get(c->db, c->arena, pool, &p);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	struct bulk_spec spec = {.action = action,
				 .source = BULK_FROM_POOL,
				 .source_id = pool};
	return bulk_start(c, &spec,
			  arena_printf(c->arena, "/pools/%lld", (long long)pool),
			  NULL);
}

int web_pool_bulk_pool(struct ctx *c) { return from_pool(c, BULK_POOL_ADD); }
int web_pool_bulk_job(struct ctx *c) { return from_pool(c, BULK_JOB_ADD); }

/* ------------------------------------------------------------ pages */

/* The bulk bar's jobs ('j') and pools ('p'), as web_offers loads them. */
static int load_targets(struct ctx *c, struct web_offer **v, size_t *n)
{
	struct bulk_targets t;
	int rc = ats_bulk_targets(c->db, c->arena, &c->session->user, &t);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!(*v = arena_calloc(c->arena, t.njobs + t.npools + 1,
				sizeof(**v))))
		return 500;
	for (size_t i = 0; i < t.njobs; i++)
		(*v)[(*n)++] = (struct web_offer){'j', t.jobs[i].id,
						   t.jobs[i].name};
	for (size_t i = 0; i < t.npools; i++)
		(*v)[(*n)++] = (struct web_offer){'p', t.pools[i].id,
						   t.pools[i].name};
	return 0;
}

int web_bulk_context(struct ctx *c, int64_t skip_pool)
{
	struct web_offer *of = NULL;
	size_t n = 0;
	int st = 0;
	json_t *pl = json_array(), *jl = json_array();
	const struct user *u = &c->session->user;
	bool may = u->role == ROLE_ADMIN || u->role == ROLE_RECRUITER;
	if (may)
		st = web_offers(c,
				 arena_printf(c->arena, "bulk offers %lld",
					      (long long)u->id),
				 load_targets, &of, &n);
	for (size_t i = 0; !st && i < n; i++)
		if (of[i].kind == 'j')
			json_array_append_new(
			    jl, web_pack_row("{s:I, s:s}", "id",
					     (json_int_t)of[i].id, "label",
					     of[i].text));
		else if (of[i].id != skip_pool)
			json_array_append_new(
			    pl, web_pack_row("{s:I, s:s}", "id",
					     (json_int_t)of[i].id, "name",
					     of[i].text));
	/* any job is named by its ID beside the list of one's own */
	json_object_set_new(
	    c->page, "bulk",
	    json_pack("{s:o, s:o, s:b, s:b, s:b}", "pools", pl, "jobs", jl,
		      "may_pools", may && json_array_size(pl) > 0, "may_jobs",
		      may, "any", may));
	if (st)
		return st;
	json_object_set_new(c->page, "reject_reasons",
			    web_options(ats_rejection_reasons, NULL));
	return 0;
}

int web_bulk_stage_context(struct ctx *c, const struct stage_list *stages,
			   const struct stage *sel, enum access acc)
{
	int st = web_bulk_context(c, 0);
	if (st)
		return st;
	json_t *b = json_object_get(c->page, "bulk");
	json_t *moves = json_array();
	size_t at = 0;
	for (size_t i = 0; i < stages->n; i++)
		if (&stages->v[i] == sel)
			at = i;
	/* the next stage first chosen, as the row actions offer it */
	for (size_t i = 0; i < stages->n; i++)
		if (&stages->v[i] != sel)
			json_array_append_new(
			    moves,
			    web_pack_row("{s:I, s:s, s:b}", "id",
					 (json_int_t)stages->v[i].id, "name",
					 stages->v[i].name, "selected",
					 i == at + 1));
	json_object_set_new(b, "moves", moves);
	json_object_set_new(b, "may_move", json_boolean(stages->n > 1));
	json_object_set_new(b, "may_reject", json_boolean(acc >= ACCESS_MANAGE));
	json_object_set_new(b, "all", json_integer(sel->active_count));
	return 0;
}

/* A waiting job's page: its confirmation step, with the exact count. */
static int confirm_step(struct ctx *c, const struct bulk_job *b)
{
	const char *n = count_words(c, b->total);
	const char *later =
	    b->total > BULK_INLINE_MAX
		? " Over 1,000, it runs in the background; the next page "
		  "shows its progress."
		: "";
	static const char *const navs[] = {"jobs", "candidates", "pools"};
	struct web_confirm_step s = {
	    .action = arena_printf(c->arena, "/bulk/%lld/confirm",
				   (long long)b->id),
	    .cancel_url = *b->return_to ? b->return_to : "/",
	    .nav = navs[b->source]};
	switch (b->action) {
	case BULK_REJECT:
		s.heading = arena_printf(c->arena, "Reject %s?", n);
		s.text = arena_printf(
		    c->arena,
		    "%s will be rejected (%s), each with its own rejection in "
		    "their history and an audit entry. A rejected application "
		    "can be reopened later, one at a time.%s",
		    n, b->label, later);
		s.button = arena_printf(c->arena, "Reject %s", n);
		s.danger = true;
		break;
	case BULK_MOVE:
		s.heading = arena_printf(c->arena, "Hire %s?", n);
		s.text = arena_printf(
		    c->arena,
		    "%s will move to %s and be hired, each with its own event "
		    "in their history and an audit entry.%s",
		    n, b->label, later);
		s.button = arena_printf(c->arena, "Hire %s", n);
		break;
	case BULK_POOL_ADD:
	case BULK_JOB_ADD:
		s.heading = arena_printf(
		    c->arena, "Add %s to the %s %s?", n,
		    b->action == BULK_POOL_ADD ? "pool" : "job", b->label);
		s.text = arena_printf(
		    c->arena,
		    "All %s your search found, with its filters, will be "
		    "added, each with its own audit entry.%s",
		    n, later);
		s.button = arena_printf(c->arena, "Add %s", n);
		break;
	}
	if (!s.heading || !s.text || !s.button || !s.action)
		return 500;
	json_object_set_new(c->page, "bulk_count", json_integer(b->total));
	return web_confirm(c, &s, NULL);
}

int web_bulk_confirm(struct ctx *c)
{
	struct ats_error e = {0};
	struct bulk_job b;
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int rc = ats_bulk_confirm(c->db, &c->session->user, id,
				  c->req->remote_addr, &e);
	if (rc == ATS_INVALID)
		return web_fail(c, 409, NULL, e.message);
	if (rc == DB_NOT_FOUND) {
		/* confirmed already (a second click): its page says how it
		 * goes; anyone else's is not found */
		rc = ats_bulk_get(c->db, c->arena, &c->session->user, id, &b);
		if (rc == DB_OK && b.user_id == c->session->user.id)
			return web_see_other(c, bulk_url(c, id));
		return 404;
	}
	if (rc != DB_OK)
		return web_status_from_db(rc);
	rc = ats_bulk_get(c->db, c->arena, &c->session->user, id, &b);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	run_small(c, id, b.total);
	return finish(c, id, b.return_to);
}

int web_bulk_show(struct ctx *c)
{
	struct bulk_job b;
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int rc = ats_bulk_get(c->db, c->arena, &c->session->user, id, &b);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (b.awaiting && b.user_id == c->session->user.id) {
		if (b.expired)
			return web_fail(c, 409, NULL,
					"This bulk action waited over an hour "
					"for its confirmation: the candidates "
					"chosen may have changed since. Choose "
					"them again.");
		return confirm_step(c, &b);
	}
	json_t *fl = json_array();
	for (size_t i = 0; i < b.nfailures; i++) {
		const struct bulk_failure *f = &b.failures[i];
		json_array_append_new(
		    fl, web_pack_row("{s:I, s:I, s:s, s:s}", "entity_id",
				     (json_int_t)f->entity_id, "candidate_id",
				     (json_int_t)f->candidate_id, "name",
				     *f->name ? f->name : "(deleted)", "error",
				     f->error));
	}
	int64_t processed = b.done + b.failed;
	json_object_set_new(
	    c->page, "job",
	    json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:b, s:b, s:s, "
		      "s:s, s:I, s:b, s:b, s:i}",
		      "id", (json_int_t)b.id, "action",
		      ats_bulk_action_name(b.action), "title",
		      said(c, &b, b.total, !b.finished), "total",
		      (json_int_t)b.total, "done", (json_int_t)b.done,
		      "failed", (json_int_t)b.failed, "processed",
		      (json_int_t)processed, "finished", b.finished,
		      "background", b.background, "return_to",
		      *b.return_to ? b.return_to : "/", "created_at",
		      b.created_at, "percent",
		      (json_int_t)(b.total ? processed * 100 / b.total : 100),
		      "has_failures", b.nfailures > 0, "more_failures",
		      (int64_t)b.nfailures < b.failed, "refresh_s",
		      BULK_REFRESH_S));
	json_object_set_new(c->page, "failures", fl);
	c->template = "bulk/show";
	c->title = b.finished ? "Bulk action done" : "Bulk action running";
	return 200;
}
