/*
 * pools.c - the talent pool pages (F5): the list with a create form, one
 * pool's members (50 a page, newest first) with rename, delete and the
 * member form, and the endpoints behind those forms.
 *
 * The rules (names, the system LinkedIn pool) are in src/ats/pools.c; this
 * file reads the request, calls it and turns its answer into a page.
 */
#include <string.h>

#include "ats/candidates.h"
#include "ats/pools.h"
#include "linkedin/stubs.h"
#include "web/web.h"

#define MEMBERS_PER_PAGE 50

static json_t *pool_json(const struct pool *p)
{
	return json_pack("{s:I, s:s, s:s, s:b, s:I, s:s, s:s}", "id",
			 (json_int_t)p->id, "name", p->name, "kind", p->kind,
			 "system", p->system, "members", (json_int_t)p->members,
			 "created_at", p->created_at, "created_by",
			 p->created_by);
}

/* Fills the list page's context (also for a create form that failed). */
static int list_context(struct ctx *c, const char *name)
{
	struct pool *v;
	size_t n;
	int rc = ats_pools_list(c->db, c->arena, &v, &n);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, pool_json(&v[i]));
	json_object_set_new(c->page, "pools", list);
	json_object_set_new(c->page, "name", json_string(name ? name : ""));
	c->template = "pools/list";
	c->title = "Talent pools";
	return 200;
}

int web_pools_list(struct ctx *c)
{
	return list_context(c, "");
}

int web_pool_create(struct ctx *c)
{
	struct ats_error e = {0};
	int64_t id = 0;
	const char *name = web_text(c, "name", 0);
	int st = list_context(c, name);
	if (st != 200)
		return st;
	if (c->input_status)
		return c->input_status;
	int rc = ats_pool_create(c->db, c->arena, c->session->user.id, name,
				 c->req->remote_addr, &id, &e);
	if (rc == ATS_INVALID || rc == DB_DUPLICATE)
		return web_fail(c, rc == DB_DUPLICATE ? 409 : 400, e.field,
				e.message);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	web_notice(c, arena_printf(c->arena, "Created the pool %s.", name));
	return web_see_other(
	    c, arena_printf(c->arena, "/pools/%lld", (long long)id));
}

/* The pool page's context: the pool, a page of members, pagination. */
static int show_context(struct ctx *c, int64_t id, const char *name)
{
	struct pool p;
	struct pool_member_list ms;
	int64_t page;
	int rc = web_page(c, &page);
	if (rc)
		return rc;
	rc = ats_pool_get(c->db, c->arena, id, &p);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	rc =
	    ats_pool_members(c->db, c->arena, id, (page - 1) * MEMBERS_PER_PAGE,
			     MEMBERS_PER_PAGE, &ms);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *list = json_array();
	for (size_t i = 0; i < ms.n; i++) {
		struct pool_member *m = &ms.v[i];
		json_array_append_new(
		    list,
		    web_pack_row("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
				 "candidate_id", (json_int_t)m->candidate_id,
				 "name", m->name, "email", m->email, "headline",
				 m->headline, "added_at", m->added_at,
				 "added_by", m->added_by, "source", m->source));
	}
	p.members = ms.total;
	json_object_set_new(c->page, "pool", pool_json(&p));
	if (p.system) {
		/* the LinkedIn pool: when LinkedIn's stubs were last read */
		struct li_stubs_state f;
		rc = li_stubs_state(c->db, c->arena, &f);
		if (rc != DB_OK)
			return web_status_from_db(rc);
		json_object_set_new(
		    c->page, "fetch",
		    web_pack_row("{s:s, s:s, s:b, s:I, s:b}", "polled_at",
				 f.polled_at, "error", f.error, "pending",
				 f.pending, "seats", (json_int_t)f.seats,
				 "asked", !strcmp(web_text(c, "fetch", 10),
						  "asked")));
	}
	/* total is a lower bound (counted a few pages ahead): "100+" */
	json_object_set_new(c->page, "total_more", json_boolean(ms.total_more));
	json_object_set_new(c->page, "members", list);
	json_object_set_new(c->page, "has_members", json_boolean(ms.n > 0));
	json_object_set_new(c->page, "total", json_integer(ms.total));
	web_pager(c, &(struct pager){
			 arena_printf(c->arena, "/pools/%lld", (long long)id),
			 NULL, page, ms.total, MEMBERS_PER_PAGE, ms.total_more,
			 ms.n == 0});
	json_object_set_new(c->page, "name", json_string(name ? name : p.name));
	/* ?q= finds candidates to add (user pools only) */
	const char *q;
	int st = web_search(c, "q", &q);
	if (st)
		return st;
	if (*q && !p.system) {
		struct pool_member_list found;
		rc = ats_pool_addable(c->db, c->arena, id, q, 20, &found);
		if (rc != DB_OK)
			return web_status_from_db(rc);
		json_t *fl = json_array();
		for (size_t i = 0; i < found.n; i++)
			json_array_append_new(
			    fl, json_pack(
				    "{s:I, s:s, s:s, s:s}", "candidate_id",
				    (json_int_t)found.v[i].candidate_id, "name",
				    found.v[i].name, "email", found.v[i].email,
				    "headline", found.v[i].headline));
		json_object_set_new(c->page, "found", fl);
		json_object_set_new(c->page, "has_found",
				    json_boolean(found.n > 0));
		json_object_set_new(c->page, "searched", json_true());
	}
	json_object_set_new(c->page, "q", json_string(q));
	c->template = "pools/show";
	c->title = p.name;
	return 200;
}

int web_pool_show(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int st = show_context(c, id, NULL);
	/* the bulk bar over the members (bulk.c) */
	if (st == 200 && json_is_true(json_object_get(c->page, "has_members")) &&
	    (st = web_bulk_context(c, id)) == 0)
		st = 200;
	return st;
}

/* ATS_POOL_SYSTEM is a conflict with the pool's nature: 409 with the
 * domain's message as the whole error page. */
static int pool_fail(struct ctx *c, int rc, const struct ats_error *e)
{
	if (rc == ATS_POOL_SYSTEM) {
		c->template = NULL;
		return web_fail(c, 409, NULL, e->message);
	}
	if (rc == ATS_INVALID || rc == DB_DUPLICATE)
		return web_fail(c, rc == DB_DUPLICATE ? 409 : 400, e->field,
				e->message);
	return web_status_from_db(rc);
}

int web_pool_rename(struct ctx *c)
{
	struct ats_error e = {0};
	int64_t id = web_capture_id(c, 0);
	const char *name = web_text(c, "name", 0);
	if (!id)
		return 404;
	int st = show_context(c, id, name);
	if (st != 200)
		return st;
	if (c->input_status)
		return c->input_status;
	int rc = ats_pool_rename(c->db, c->arena, c->session->user.id, id, name,
				 c->req->remote_addr, &e);
	if (rc != DB_OK)
		return pool_fail(c, rc, &e);
	return web_see_other(
	    c, arena_printf(c->arena, "/pools/%lld", (long long)id));
}

int web_pool_delete(struct ctx *c)
{
	struct ats_error e = {0};
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	struct pool p;
	const char *name = ats_pool_get(c->db, c->arena, id, &p) == DB_OK
				   ? p.name
				   : "";
	int rc = ats_pool_delete(c->db, c->arena, c->session->user.id, id,
				 c->req->remote_addr, &e);
	if (rc != DB_OK)
		return pool_fail(c, rc, &e);
	web_notice(c, arena_printf(c->arena,
				   "Deleted the pool \"%s\"; its candidates "
				   "stay",
				   name));
	return web_see_other(c, "/pools");
}

/* GET /pools/{id}/delete: the confirmation step of Delete this pool
 * (stage18), whose form POSTs /pools/{id}/delete. */
int web_pool_delete_form(struct ctx *c)
{
	struct pool p;
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int rc = ats_pool_get(c->db, c->arena, id, &p);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (p.system)
		return web_fail(c, 409, NULL,
				"The LinkedIn pool is the system's: it cannot "
				"be deleted.");
	const char *back = arena_printf(c->arena, "/pools/%lld", (long long)id);
	struct web_confirm_step step = {
	    .heading = arena_printf(c->arena, "Delete the pool \"%s\"?",
				    p.name),
	    .text = arena_printf(c->arena,
				 "The pool \"%s\" and its list of %lld "
				 "candidate(s) go for good; the candidates "
				 "themselves stay.",
				 p.name, (long long)p.members),
	    .action = arena_printf(c->arena, "/pools/%lld/delete",
				   (long long)id),
	    .button = "Delete the pool",
	    .danger = true,
	    .cancel_url = back,
	    .nav = "pools"};
	return web_confirm(c, &step, NULL);
}

/* Candidates added or removed at once from the pool page: the add
 * search's ticked rows (WEB_NOTICE_FIELDS - 1 of them can be undone from
 * the notice). */
#define POOL_MEMBERS_AT_ONCE 50

/* The pool page again, with the add search's q when there was one. */
static const char *pool_back(struct ctx *c, int64_t id, const char *q)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "/pools/%lld", (long long)id);
	if (*q) {
		buf_adds(&b, "?q=");
		buf_add_url(&b, q, strlen(q));
		buf_adds(&b, "#add");
	}
	const char *s = buf_failed(&b) ? NULL : arena_strdup(c->arena, b.data);
	buf_release(&b);
	return s ? s : arena_printf(c->arena, "/pools/%lld", (long long)id);
}

/*
 * Adds or removes candidate_id (repeated: the add search's ticked rows),
 * or the one candidate of the row's own button (one=ID).  The add search
 * keeps its results (q) after each Add; the notice names who changed and
 * offers Undo.
 */
int web_pool_members(struct ctx *c)
{
	static const struct web_choice actions[] = {
	    {"add", true}, {"remove", false}, {NULL, 0}};
	struct ats_error e = {0};
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int st = show_context(c, id, NULL);
	if (st != 200)
		return st;
	bool add = web_enum(c, "action", actions, WEB_REQUIRED);
	size_t n = 0;
	int64_t one = web_id(c, "one", 0, "must be a candidate number");
	int64_t *ids = web_ids(c, "candidate_id", POOL_MEMBERS_AT_ONCE,
			       "must be a candidate number", &n);
	const char *q = web_text(c, "q", WEB_SEARCH_MAX);
	if (c->input_status)
		return c->input_status;
	if (one) {
		ids = &one;
		n = 1;
	}
	if (n == 0)
		return web_fail(c, 400, "candidate_id",
				"Tick at least one candidate.");
	struct pool p;
	int rc = ats_pool_get(c->db, c->arena, id, &p);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	size_t changed_n = 0;
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		bool changed = false;
		rc = ats_pool_member_set(c->db, c->arena, c->session->user.id,
					 id, ids[i], add, c->req->remote_addr,
					 &changed, &e);
		if (rc != DB_OK)
			return pool_fail(c, rc, &e);
		if (changed) {
			changed_n++;
			last = ids[i];
		}
	}
	/* the notice: who, and Undo for a few */
	const char *who = NULL;
	struct candidate k;
	if (changed_n == 1 &&
	    ats_candidate_get(c->db, c->arena, last, &k) == DB_OK)
		who = ats_candidate_name(c->arena, &k);
	if (!who)
		who = arena_printf(c->arena, "%zu candidate%s", changed_n,
				   changed_n == 1 ? "" : "s");
	const char *text =
	    changed_n == 0
		? (add ? "They are in the pool already." : "Nothing to remove.")
		: arena_printf(c->arena, "%s %s %s %s.",
			       add ? "Added" : "Removed", who,
			       add ? "to" : "from", p.name);
	if (changed_n > 0 && n < WEB_NOTICE_FIELDS) {
		/* the Undo form's fields: the other action, and each id */
		const char *f[2 * WEB_NOTICE_FIELDS] = {0};
		size_t k2 = 0;
		f[k2++] = "action";
		f[k2++] = add ? "remove" : "add";
		for (size_t i = 0; i < n; i++) {
			f[k2++] = "candidate_id";
			f[k2++] = arena_printf(c->arena, "%lld",
					       (long long)ids[i]);
		}
		const char *undo = arena_printf(c->arena, "/pools/%lld/members",
						(long long)id);
		web_notice_undo(c, text, undo, f[0], f[1], f[2], f[3], f[4],
				f[5], f[6], f[7], f[8], f[9], f[10], f[11],
				f[12], f[13], f[14], f[15], NULL);
	} else {
		web_notice(c, text);
	}
	return web_see_other(c, pool_back(c, id, q));
}

/* Fetch now (the LinkedIn pool): every seat's new InMail stubs read by
 * the worker at once (src/linkedin/stubs.h); the page says when. */
int web_pool_fetch(struct ctx *c)
{
	struct pool p;
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int rc = ats_pool_get(c->db, c->arena, id, &p);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!p.system)
		return web_fail(c, 409, "pool",
				"only the LinkedIn pool is fetched from "
				"LinkedIn");
	int64_t seats = 0;
	rc = li_stubs_ask(c->db, &seats);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_object_set_new(c->page, "asked", json_true());
	json_object_set_new(c->page, "seats", json_integer(seats));
	return web_see_other(
	    c, arena_printf(c->arena, "/pools/%lld?fetch=asked", (long long)id));
}
