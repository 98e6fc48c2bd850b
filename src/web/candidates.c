/*
 * candidates.c - the candidate pages (F2, F3): the list (search, paginate,
 * the new-candidate form), creating and editing a record, the candidate
 * page with its tabs (overview, applications, notes, feedback,
 * attachments, LinkedIn, recruiting activities), notes, and attachments
 * (upload and download).
 *
 * Who may do what is access.h's: a candidate the user may not reach is a
 * 404 (its existence does not leak); one they may read but not change is a
 * 403 for the change.  Private notes are filtered by the domain (notes.c)
 * in SQL, so nothing here can show one to anyone but its author.  Every
 * page is also JSON; UI-only context (form values, URLs, option lists) is
 * added for HTML only.  A POST answers a browser with 303 to the candidate
 * page and a JSON client with the data (201 for something new).  Refused
 * input re-renders the page it came from with the values kept.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ats/applications.h"
#include "ats/candidate_links.h"
#include "ats/candidates.h"
#include "ats/jobs.h"
#include "ats/pools.h"
#include "linkedin/activities.h"
#include "web/web.h"

#define CANDIDATES_PER_PAGE 50
#define NOTES_PER_PAGE	    50
#define JOB_OPTIONS	    100 /* jobs offered by "Add to job" at once */

/* ------------------------------------------------------------ input */

static bool html(const struct ctx *c)
{
	return !http_wants_json(c->req);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The candidate fields of the request (ats_candidate_fields; their
 * limits are ats's to check, with its messages); one left out is NULL, or
 * keeps its value in the record cur when given. */
static void candidate_input_read(struct ctx *c, const struct candidate *cur,
				 struct candidate_input *in)
{
	for (const struct candidate_field *f = ats_candidate_fields; f->name;
	     f++) {
		const char **v = ats_candidate_input_field(in, f);
		*v = web_text_or(c, f->name, 0, NULL);
		if (!*v && cur)
			*v = ats_candidate_field(cur, f);
	}
}

static const char *input_type(enum candidate_field_kind kind)
{
	switch (kind) {
	case CANDIDATE_FIELD_EMAIL:
		return "email";
	case CANDIDATE_FIELD_PHONE:
		return "tel";
	case CANDIDATE_FIELD_LINKEDIN_URL:
		return "url";
	case CANDIDATE_FIELD_LINE:
		break;
	}
	return "text";
}

/* The "fields" of templates/candidates/fields, with the values of in, or
 * of the record k when in is NULL, or empty when both are. */
static json_t *fields_json(struct candidate_input *in,
			   const struct candidate *k)
{
	json_t *a = json_array();
	for (const struct candidate_field *f = ats_candidate_fields;
	     a && f->name; f++) {
		const char *v = in  ? *ats_candidate_input_field(in, f)
				: k ? ats_candidate_field(k, f)
				    : "";
		json_array_append_new(
		    a, json_pack("{s:s, s:s, s:s, s:I, s:b, s:s, s:s}", "name",
				 f->name, "label", f->label, "type",
				 input_type(f->kind), "max", (json_int_t)f->max,
				 "required", f->required, "hint",
				 or_empty(f->hint), "value", or_empty(v)));
	}
	return a;
}

/* ------------------------------------------------------------ JSON */

static const char *candidate_url(struct ctx *c, int64_t id, const char *tab)
{
	/* opened from a job: its tabs keep the job (job_context) */
	json_int_t job = json_integer_value(json_object_get(
	    json_object_get(c->page, "job_context"), "job_id"));
	if (!tab && job)
		return arena_printf(c->arena, "/candidates/%lld?job=%lld",
				    (long long)id, (long long)job);
	if (!tab)
		return arena_printf(c->arena, "/candidates/%lld",
				    (long long)id);
	if (job)
		return arena_printf(c->arena, "/candidates/%lld?tab=%s&job=%lld",
				    (long long)id, tab, (long long)job);
	return arena_printf(c->arena, "/candidates/%lld?tab=%s", (long long)id,
			    tab);
}

/* The record: id, name, the fields of ats_candidate_fields,
 * linkedin_member_id and created_at. */
static json_t *candidate_json(struct ctx *c, const struct candidate *k)
{
	json_t *o = web_pack_row(
	    "{s:I, s:s, s:s, s:s}", "id", (json_int_t)k->id, "name",
	    ats_candidate_name(c->arena, k), "linkedin_member_id",
	    k->linkedin_member_id, "created_at", k->created_at);
	for (const struct candidate_field *f = ats_candidate_fields;
	     o && f->name; f++)
		if (json_object_set_new_nocheck(
			o, f->name,
			json_string_nocheck(ats_candidate_field(k, f))) < 0) {
			json_decref(o);
			o = NULL;
		}
	return o;
}

static json_t *note_json(struct ctx *c, const struct note *n)
{
	json_t *o = json_pack(
	    "{s:I, s:I, s:s, s:s, s:s, s:b, s:s, s:s}", "id", (json_int_t)n->id,
	    "candidate_id", (json_int_t)n->candidate_id, "author_name",
	    n->author_name, "body", n->body, "visibility",
	    n->is_public ? "public" : "private", "mine", n->mine, "created_at",
	    n->created_at, "updated_at", n->updated_at);
	if (o && html(c)) {
		json_object_set_new(o, "is_public", json_boolean(n->is_public));
		json_object_set_new(
		    o, "edited",
		    json_boolean(strcmp(n->created_at, n->updated_at) != 0));
	}
	return o;
}

static json_t *attachment_json(const struct attachment *t)
{
	return json_pack(
	    "{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)t->id,
	    "candidate_id", (json_int_t)t->candidate_id, "filename",
	    t->filename, "content_type", t->content_type, "size",
	    (json_int_t)t->size, "uploaded_by", t->uploaded_by_name,
	    "created_at", t->created_at, "sha256", t->sha256);
}

/* "12 KB" */
static const char *size_label(struct arena *a, int64_t n)
{
	if (n < 1024)
		return arena_printf(a, "%lld bytes", (long long)n);
	if (n < 1024 * 1024)
		return arena_printf(a, "%lld KB",
				    (long long)((n + 1023) / 1024));
	return arena_printf(a, "%.1f MB", (double)n / (1024.0 * 1024.0));
}

/* ------------------------------------------------------------ answers */

/* The readers of what a change answers a JSON client with, as it is now:
 * each puts its key into c->page, or returns the failure. */
static int candidate_now(struct ctx *c, int64_t id)
{
	struct candidate k;
	int rc = ats_candidate_get(c->db, c->arena, id, &k);
	if (rc == DB_OK)
		json_object_set_new(c->page, "candidate",
				    candidate_json(c, &k));
	return rc;
}

static int note_now(struct ctx *c, int64_t id)
{
	struct note n;
	int rc = ats_note_get_own(c->db, c->arena, &c->session->user, id, &n);
	if (rc == DB_OK)
		json_object_set_new(c->page, "note", note_json(c, &n));
	return rc;
}

static int attachment_now(struct ctx *c, int64_t id)
{
	struct attachment t;
	int rc = ats_attachment_get(c->db, c->arena, id, &t);
	if (rc == DB_OK)
		json_object_set_new(c->page, "attachment", attachment_json(&t));
	return rc;
}

static int note_deleted(struct ctx *c, int64_t id)
{
	json_object_set_new(c->page, "deleted",
			    json_pack("{s:I}", "id", (json_int_t)id));
	return DB_OK;
}

/* After a change: a browser goes to the candidate's tab (NULL: the
 * overview), a JSON client gets, alone, what now() reads of thing id. */
static int changed(struct ctx *c, int64_t candidate_id, const char *tab,
		   int status, int (*now)(struct ctx *c, int64_t id),
		   int64_t id)
{
	if (html(c))
		return web_see_other(c, candidate_url(c, candidate_id, tab));
	json_object_clear(c->page);
	int rc = now(c, id);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	c->template = "candidates/show";
	return status;
}

/* ------------------------------------------------------------ list */

static bool can_create(const struct ctx *c)
{
	return c->session->user.role == ROLE_ADMIN ||
	       c->session->user.role == ROLE_RECRUITER;
}

static const struct web_choice sorts[] = {
    {"relevance", CANDIDATE_SORT_RELEVANCE},
    {"newest", CANDIDATE_SORT_NEWEST},
    {"name", CANDIDATE_SORT_NAME},
    {NULL, 0}};
/* The form's choices: "" is the default (best match with q, else by
 * name), so that a form read without q and sent with one sorts by best
 * match. */
static const struct ats_word sort_words[] = {
    {"", "Best match"},
    {"newest", "Newest first"},
    {"name", "Name"},
    {NULL, NULL}};

#define FILTER_JOBS	100 /* jobs offered by the job filter */

/* A date filter: "" or a day YYYY-MM-DD. */
static const char *date_field(struct ctx *c, const char *name)
{
	const char *s = web_text(c, name, 10);
	if (*s && !ats_date_valid(s) && !c->input_status) {
		c->input_status = 400;
		web_fail(c, 400, name,
			 "must be a date written YYYY-MM-DD, such as 2026-03-31");
	}
	return s;
}

/*
 * The list's filters read and checked: the job one the viewer may see,
 * the stage one of that job's, the pool (admins and recruiters: pools are
 * theirs) one that exists, the dates days in order.  0, or the status of
 * the refusal (the error page names the field).
 */
static int list_filters(struct ctx *c, struct candidate_query *f,
			const char **sort_name)
{
	const struct user *u = &c->session->user;
	f->job_id = web_id(c, "job", 0, "must be the id of a job");
	f->stage_id = web_id(c, "stage", 0, "must be the id of a stage");
	f->pool_id = web_id(c, "pool", 0, "must be the id of a talent pool");
	f->source = web_text(c, "source", CANDIDATE_SOURCE_MAX);
	f->added_from = date_field(c, "added_from");
	f->added_to = date_field(c, "added_to");
	int dflt = *f->q ? CANDIDATE_SORT_RELEVANCE : CANDIDATE_SORT_NAME;
	f->sort = (enum candidate_sort)web_enum(c, "sort", sorts, dflt);
	*sort_name = sorts[f->sort].name;
	if (c->input_status)
		return c->input_status;
	if (*f->added_from && *f->added_to &&
	    strcmp(f->added_from, f->added_to) > 0)
		return web_fail(c, 400, "added_to",
				"must be on or after the date in added_from");
	if (f->stage_id && !f->job_id)
		return web_fail(c, 400, "stage",
				"needs a job: choose the job whose stage it is");
	if (f->job_id) {
		struct job j;
		enum access acc;
		int rc = ats_job_get_as(c->db, c->arena, u, f->job_id, &j, &acc);
		if (rc == DB_NOT_FOUND || (rc == DB_OK && acc == ACCESS_NONE))
			return web_fail(c, 400, "job",
					"must be a job you can see");
		if (rc != DB_OK)
			return web_status_from_db(rc);
		json_object_set_new(c->page, "job_title", json_string(j.title));
	}
	if (f->stage_id) {
		struct stage s;
		int rc = ats_stage_get(c->db, c->arena, f->job_id, f->stage_id,
				       &s);
		if (rc == DB_NOT_FOUND)
			return web_fail(c, 400, "stage",
					"must be a stage of the chosen job");
		if (rc != DB_OK)
			return web_status_from_db(rc);
	}
	if (f->pool_id) {
		struct pool p;
		if (!can_create(c))
			return web_fail(c, 400, "pool",
					"is for admins and recruiters: talent "
					"pools are theirs");
		int rc = ats_pool_get(c->db, c->arena, f->pool_id, &p);
		if (rc == DB_NOT_FOUND)
			return web_fail(c, 400, "pool",
					"must be a talent pool that exists");
		if (rc != DB_OK)
			return web_status_from_db(rc);
	}
	return 0;
}

int web_candidate_query(struct ctx *c, struct candidate_query *f,
			const char **sort_name)
{
	return list_filters(c, f, sort_name);
}

static const char *id_text(struct ctx *c, int64_t id)
{
	return id ? arena_printf(c->arena, "%lld", (long long)id) : "";
}

const char **web_candidate_query_params(struct ctx *c,
					const struct candidate_query *f,
					const char *sort)
{
	const char *pairs[] = {"q",	     f->q ? f->q : "",
			       "job",	     id_text(c, f->job_id),
			       "stage",	     id_text(c, f->stage_id),
			       "source",     f->source ? f->source : "",
			       "pool",	     id_text(c, f->pool_id),
			       "added_from", f->added_from ? f->added_from : "",
			       "added_to",   f->added_to ? f->added_to : "",
			       "sort",	     sort,
			       NULL};
	size_t n = sizeof pairs / sizeof *pairs;
	const char **p = arena_alloc(c->arena, sizeof pairs);
	for (size_t i = 0; p && i < n; i++) {
		if (i % 2 && !pairs[i])
			return NULL; /* an id's text: out of memory */
		p[i] = pairs[i];
	}
	return p;
}

/* The sort the form shows chosen: "" (the default) unless ?sort= named
 * one. */
static const char *sort_shown(struct ctx *c, const char *sort_name)
{
	const char *v = http_query(c->req, "sort");
	return v && *v ? sort_name : "";
}

/* The filters' jobs ('j': the viewer's newest FILTER_JOBS, by title) and,
 * for those who may use them, pools ('p'), as web_offers loads them. */
static int load_filter_offers(struct ctx *c, struct web_offer **v,
			       size_t *n)
{
	struct job_list jobs;
	struct pool *pools = NULL;
	size_t np = 0;
	int rc = ats_jobs_list(c->db, c->arena, &c->session->user, "", "", 0,
			       FILTER_JOBS, &jobs);
	if (rc == DB_OK && can_create(c))
		rc = ats_pool_names(c->db, c->arena, &pools, &np);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!(*v = arena_calloc(c->arena, jobs.n + np + 1, sizeof(**v))))
		return 500;
	for (size_t i = 0; i < jobs.n; i++)
		(*v)[(*n)++] = (struct web_offer){'j', jobs.v[i].id,
						   jobs.v[i].title};
	for (size_t i = 0; i < np; i++)
		(*v)[(*n)++] = (struct web_offer){'p', pools[i].id,
						   pools[i].name};
	return 0;
}

/* The filters' choices for the form: the viewer's newest jobs (and the
 * chosen one), the chosen job's stages, the sources in use, the pools. */
static int filter_options(struct ctx *c, const struct candidate_query *f,
			  const char *sort_name)
{
	const struct user *u = &c->session->user;
	struct web_offer *of;
	size_t nof;
	int rc = web_offers(c,
			     arena_printf(c->arena, "filter offers %lld %s",
					  (long long)u->id, role_name(u->role)),
			     load_filter_offers, &of, &nof);
	if (rc)
		return rc;
	json_t *jv = json_array(), *pv = json_array();
	bool chosen = false;
	for (size_t i = 0; jv && pv && i < nof; i++) {
		bool sel = of[i].id == (of[i].kind == 'j' ? f->job_id
							  : f->pool_id);
		chosen |= sel && of[i].kind == 'j';
		if (of[i].kind == 'j')
			json_array_append_new(
			    jv, json_pack("{s:I, s:s, s:s, s:b}", "id",
					  (json_int_t)of[i].id, "public_id",
					  ats_job_public_id(c->arena, of[i].id),
					  "title", of[i].text, "selected", sel));
		else
			json_array_append_new(
			    pv, json_pack("{s:I, s:s, s:b}", "id",
					  (json_int_t)of[i].id, "name",
					  of[i].text, "selected", sel));
	}
	if (f->job_id && !chosen)
		json_array_insert_new(
		    jv, 0,
		    json_pack("{s:I, s:s, s:s, s:b}", "id",
			      (json_int_t)f->job_id, "public_id",
			      ats_job_public_id(c->arena, f->job_id), "title",
			      json_string_value(
				  json_object_get(c->page, "job_title")),
			      "selected", true));
	json_object_set_new(c->page, "job_options", jv);
	if (f->job_id) {
		struct stage_list st;
		rc = ats_job_stages(c->db, c->arena, f->job_id, &st);
		if (rc != DB_OK)
			return web_status_from_db(rc);
		json_t *sv = json_array();
		for (size_t i = 0; sv && i < st.n; i++)
			json_array_append_new(
			    sv, json_pack("{s:I, s:s, s:b}", "id",
					  (json_int_t)st.v[i].id, "name",
					  st.v[i].name, "selected",
					  st.v[i].id == f->stage_id));
		json_object_set_new(c->page, "stage_options", sv);
		json_object_set_new(c->page, "has_stages",
				    json_boolean(st.n > 0));
	}
	const char **src;
	size_t n;
	rc = ats_candidate_sources(c->db, c->arena, &src, &n);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *ov = json_array();
	for (size_t i = 0; ov && i < n; i++)
		json_array_append_new(ov, json_string(src[i]));
	json_object_set_new(c->page, "source_options", ov);
	if (can_create(c)) {
		json_object_set_new(c->page, "pool_options", pv);
		json_object_set_new(c->page, "can_pool", json_true());
	} else
		json_decref(pv);
	json_object_set_new(c->page, "sort_options",
			    web_options(sort_words, sort_shown(c, sort_name)));
	return 0;
}

int web_candidates_list(struct ctx *c)
{
	const char *q, *sort_name;
	int64_t page;
	struct candidate_list list;
	struct candidate_query f = {0};

	int st = web_list_query(c, &page, &q);
	if (st)
		return st;
	/* after a delete (data_protection.c): say it is done */
	json_object_set_new(
	    c->page, "deleted",
	    json_boolean(web_id(c, "deleted", 0, "must be a candidate id") > 0));
	if (c->input_status)
		return c->input_status;
	f.q = q;
	st = list_filters(c, &f, &sort_name);
	if (st)
		return st;
	/* A first-name prefix seen matching over the cap in this minute
	 * ("Mar": 40,000 at a million) is not counted to the cap again on
	 * every view: app->frags keeps the fact, a minute at most. */
	struct fragcache *fc = c->w->app->frags;
	uint64_t minute = (uint64_t)time(NULL) / 60;
	const char *cap_key =
	    fc && *q && f.sort == CANDIDATE_SORT_RELEVANCE && !f.job_id &&
		    !f.pool_id && !*f.source && !*f.added_from && !*f.added_to
		? arena_printf(c->arena, "search over cap %s", q)
		: NULL;
	size_t cap_len;
	int64_t cap_num;
	f.first_name_over_cap =
	    cap_key && fragcache_get(fc, cap_key, minute, c->arena, &cap_len,
				     &cap_num);
	int rc = ats_candidates_find(c->db, c->arena, &c->session->user, &f,
				     (page - 1) * CANDIDATES_PER_PAGE,
				     CANDIDATES_PER_PAGE, &list);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (cap_key && list.first_name_over_cap && !f.first_name_over_cap)
		fragcache_put(fc, cap_key, minute, "1", 1, 1);

	json_t *arr = json_array();
	for (size_t i = 0; arr && i < list.n; i++) {
		json_t *o = candidate_json(c, &list.v[i]);
		if (o && html(c))
			json_object_set_new(
			    o, "url",
			    json_string(candidate_url(c, list.v[i].id, NULL)));
		json_array_append_new(arr, o);
	}
	json_object_set_new(c->page, "candidates", arr);
	/* exact up to CANDIDATE_SEARCH_CAP; past it total is the cap and
	 * total_more is set: "over 10,000" */
	json_object_set_new(c->page, "total", json_integer(list.total));
	json_object_set_new(c->page, "total_more",
			    json_boolean(list.total_more));
	json_object_set_new(
	    c->page, "total_text",
	    json_string(web_count_text(c->arena, list.total, list.total_more)));
	json_object_set_new(c->page, "per_page",
			    json_integer(CANDIDATES_PER_PAGE));
	json_object_set_new(c->page, "q", json_string(q));
	bool sorted = f.sort != (*q ? CANDIDATE_SORT_RELEVANCE
				    : CANDIDATE_SORT_NAME);
	const char **params =
	    web_candidate_query_params(c, &f, sorted ? sort_name : "");
	if (!params)
		return 500;
	/* the search as the bulk bar sends it again: "all N results" are
	 * these results (bulk.c) */
	json_t *sp = json_array();
	for (size_t i = 0; sp && params[i]; i += 2)
		if (params[i + 1] && *params[i + 1])
			json_array_append_new(
			    sp, json_pack("{s:s, s:s}", "name", params[i],
					  "value", params[i + 1]));
	json_object_set_new(c->page, "search_params", sp ? sp : json_array());
	json_object_set_new(c->page, "source", json_string(f.source));
	json_object_set_new(c->page, "added_from", json_string(f.added_from));
	json_object_set_new(c->page, "added_to", json_string(f.added_to));
	json_object_set_new(c->page, "sort", json_string(sort_name));
	web_pager(c, &(struct pager){"/candidates", params, page, list.total,
				     CANDIDATES_PER_PAGE, list.total_more,
				     list.n == 0});
	c->template = "candidates/list";
	c->title = "Candidates";
	if (!html(c))
		return 200;

	bool filters = f.job_id || f.pool_id || *f.source || *f.added_from ||
		       *f.added_to;
	/* The filters' choices cost statements of their own (the jobs, the
	 * sources, the pools): a plain search, the commonest page, shows a
	 * "Filters" link to them instead, and reads none. */
	bool open = filters || web_bool(c, "filters");
	if (c->input_status)
		return c->input_status;
	if (open) {
		st = filter_options(c, &f, sort_name);
		if (st)
			return st;
	} else {
		struct buf b = BUF_INIT;
		buf_adds(&b, "/candidates?filters=1");
		if (*q) {
			buf_adds(&b, "&q=");
			buf_add_url(&b, q, strlen(q));
		}
		if (sorted) {
			buf_adds(&b, "&sort=");
			buf_adds(&b, sort_name);
		}
		json_object_set_new(c->page, "filters_url",
				    json_string(buf_failed(&b) ? "/candidates?filters=1"
							       : b.data));
		buf_release(&b);
		json_object_set_new(c->page, "sort_options",
				    web_options(sort_words,
						sort_shown(c, sort_name)));
	}
	json_object_set_new(c->page, "filters_open", json_boolean(open));
	json_object_set_new(c->page, "has_candidates",
			    json_boolean(list.n > 0));
	json_object_set_new(c->page, "filtered", json_boolean(*q || filters));
	json_object_set_new(c->page, "has_filters", json_boolean(filters));
	json_object_set_new(c->page, "can_create", json_boolean(can_create(c)));
	json_object_set_new(c->page, "fields", fields_json(NULL, NULL));
	/* the bulk bar over the results (bulk.c) */
	st = list.n ? web_bulk_context(c, 0) : 0;
	return st ? st : 200;
}

/* ------------------------------------------------------------ new */

static void new_form(struct ctx *c, struct candidate_input *in)
{
	c->template = "candidates/form";
	c->title = "New candidate";
	json_object_set_new(c->page, "fields", fields_json(in, NULL));
}

int web_candidate_new(struct ctx *c)
{
	new_form(c, NULL);
	return 200;
}

/* A 409 for an email that belongs to candidate existing_id: the message,
 * and the record to open instead ("existing" beside "error" in JSON). */
static int duplicate(struct ctx *c, int64_t existing_id, const char *message)
{
	struct candidate k;
	if (existing_id &&
	    ats_candidate_get(c->db, c->arena, existing_id, &k) == DB_OK) {
		json_t *ex =
		    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)k.id, "name",
			      or_empty(ats_candidate_name(c->arena, &k)), "url",
			      or_empty(candidate_url(c, k.id, NULL)));
		json_object_set_new(c->page, "error_extra",
				    json_pack("{s:o}", "existing", ex));
	}
	return web_fail(c, 409, "email", message);
}

/* The form's resume: a file chosen, or NULL.  A file input left empty
 * sends a part with no name and no bytes: no file. */
static const struct http_file *resume_file(struct ctx *c)
{
	const struct http_file *f = http_file(c->req, "resume");
	if (!f || (!f->len && (!f->filename || !*f->filename)))
		return NULL;
	return f;
}

int web_candidate_create(struct ctx *c)
{
	struct candidate_input in = {0};
	struct ats_error err = {0};
	int64_t id = 0, existing = 0, att = 0;

	candidate_input_read(c, NULL, &in);
	new_form(c, &in);
	if (c->input_status)
		return c->input_status;
	/* With a resume, the candidate and the file in one go: a refused
	 * file creates nothing, and the form comes back with its values
	 * and the error on the file field. */
	const struct http_file *f = resume_file(c);
	int rc = f ? ats_candidate_create_with_file(
			 c->db, c->arena, c->cfg->data_dir,
			 c->session->user.id, &in, f->filename, f->data, f->len,
			 c->req->remote_addr, &id, &att, &existing, &err)
		   : ats_candidate_create(c->db, c->session->user.id, &in,
					  c->req->remote_addr, &id, &existing,
					  &err);
	if (rc == ATS_INVALID && err.field && !strcmp(err.field, "file"))
		err.field = "resume";
	if (rc == ATS_INVALID)
		return web_fail(c, 400, err.field, err.message);
	if (rc == DB_DUPLICATE)
		return duplicate(c, existing,
				 "A candidate with this email exists already: "
				 "open that record instead of creating a "
				 "second one.");
	if (rc != DB_OK)
		return web_status_from_db(rc);
	const char *name = ats_candidate_name(c->arena, &(struct candidate){
	    .first_name = in.first_name, .last_name = in.last_name});
	web_notice(c, f ? arena_printf(c->arena, "Added %s with %s.", name,
				      ats_attachment_filename(c->arena,
							      f->filename))
			: arena_printf(c->arena, "Added %s.", name));
	return changed(c, id, NULL, 201, candidate_now, id);
}

/* ------------------------------------------------------------ the page */

static const struct {
	const char *key, *label;
} tabs[] = {
    {"overview", "Overview"},
    {"applications", "Applications"},
    {"notes", "Notes"},
    {"feedback", "Interview feedback"},
    {"attachments", "Attachments"},
    {"linkedin", "LinkedIn"},
    {"activities", "Recruiting activities"},
};

/* The candidate, the viewer's access and the tab counts (one query);
 * 0 when they may see it, else the status to answer (404 for one they may
 * not know of). */
static int candidate_view_at(struct ctx *c, int64_t id, bool with_pools,
			     const uint64_t *revision, struct candidate *k,
			     struct candidate_view *v)
{
	memset(v, 0, sizeof(*v));
	if (!id)
		return 404;
	int rc = ats_candidate_view_at(c->db, c->arena, c->w->app->frags,
				       &c->session->user, id, with_pools,
				       revision, k, v);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return v->access == ACCESS_NONE ? 404 : 0;
}

static int candidate_view(struct ctx *c, int64_t id, bool with_pools,
			  struct candidate *k, struct candidate_view *v)
{
	return candidate_view_at(c, id, with_pools, NULL, k, v);
}

/* Candidate id and the viewer's access to it, as candidate_view. */
static int candidate_load(struct ctx *c, int64_t id, struct candidate *k,
			  enum access *acc)
{
	struct candidate_view v;
	int st = candidate_view(c, id, false, k, &v);
	*acc = v.access;
	return st;
}

/* A change to a candidate's record, notes or files: the candidate, the
 * viewer's access, and what ats said of a refused change. */
struct change {
	struct candidate k;
	enum access acc;
	struct ats_error err;
};

/* Starts a change to the candidate of capture 0 that needs access `need`:
 * as candidate_load, and 403 with refusal for a viewer who may not make
 * it. */
static int change_start(struct ctx *c, enum access need, const char *refusal,
			struct change *x)
{
	*x = (struct change){0};
	int st = candidate_load(c, web_capture_id(c, 0), &x->k, &x->acc);
	if (!st && x->acc < need)
		st = web_fail(c, 403, NULL, refusal);
	return st;
}

/* What a refused form sends back into the page. */
struct kept {
	struct candidate_input *edit;	    /* overview: the edit form */
	const char *note_body;		    /* notes: the new-note form */
	bool note_public;
	int64_t edit_note_id; /* notes: the note whose edit failed */
	const char *edit_note_body;
};

static int tab_overview(struct ctx *c, const struct candidate *k,
			enum access acc, const struct kept *kept,
			const struct candidate_view *view)
{
	const struct candidate_pool *pools = view->pools;
	size_t npools = 0;
	if (acc >= ACCESS_MANAGE) {
		npools = view->npools;
		json_t *pv = json_array();
		for (size_t i = 0; pv && i < npools; i++)
			json_array_append_new(
			    pv, json_pack("{s:I, s:s, s:b}", "id",
					  (json_int_t)pools[i].id, "name",
					  pools[i].name, "system",
					  pools[i].system));
		json_object_set_new(c->page, "pools", pv);
	}
	if (!html(c) || acc < ACCESS_MANAGE)
		return 0;
	json_object_set_new(c->page, "has_pools", json_boolean(npools > 0));
	json_object_set_new(c->page, "fields",
			    fields_json(kept ? kept->edit : NULL, k));
	json_object_set_new(c->page, "edit_open",
			    json_boolean(kept && kept->edit));
	/* The version shown: after a conflict, saving again is knowing. */
	json_object_set_new(c->page, "edit_version",
			    json_integer((json_int_t)k->version));
	return 0;
}

static int tab_applications(struct ctx *c, const struct candidate *k,
			    enum access acc, const char *tab)
{
	int rc = web_candidate_applications_context(
	    c, k->id, candidate_url(c, k->id, tab), c->page);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!html(c) || acc < ACCESS_MANAGE || strcmp(tab, "applications"))
		return 0;
	/* "Add to a job": the open jobs the viewer may add to, then the
	 * drafts (marked), newest first, or those whose title or job ID
	 * matches job_q, so that any job can be found among thousands.  No
	 * job is chosen for the user: the first option is a blank "Choose a
	 * job", and the select is required (a missing choice is refused with
	 * a sentence by POST /applications).  Only admins and recruiters get
	 * here (ACCESS_MANAGE on the candidate), and the jobs they may see
	 * are exactly the jobs they manage (access.h). */
	const char *jq;
	int st = web_search(c, "job_q", &jq);
	if (st)
		return st;
	json_object_set_new(c->page, "job_q", json_string(jq));
	/* not the jobs the candidate is on already */
	json_t *on = json_object_get(c->page, "applications");
	static const struct {
		const char *status, *key;
	} groups[] = {{"active", "job_options_open"},
		      {"draft", "job_options_draft"}};
	size_t n = 0;
	bool more = false;
	for (size_t g = 0; g < ARRAY_LEN(groups); g++) {
		struct job_list jobs;
		json_t *jv = json_array();
		json_object_set_new(c->page, groups[g].key, jv);
		if ((int64_t)n >= JOB_OPTIONS) {
			more = true;
			continue;
		}
		rc = ats_jobs_list(c->db, c->arena, &c->session->user,
				   groups[g].status, jq, 0,
				   JOB_OPTIONS - (int64_t)n, &jobs);
		if (rc != DB_OK)
			return web_status_from_db(rc);
		more = more || jobs.total > (int64_t)jobs.n;
		for (size_t i = 0; jv && i < jobs.n; i++) {
			bool already = false;
			for (size_t j = 0; j < json_array_size(on); j++)
				if (json_integer_value(json_object_get(
					json_array_get(on, j), "job_id")) ==
				    jobs.v[i].id)
					already = true;
			if (already)
				continue;
			json_array_append_new(
			    jv, json_pack("{s:I, s:s, s:s, s:b}", "id",
					  (json_int_t)jobs.v[i].id,
					  "public_id", jobs.v[i].public_id,
					  "title", jobs.v[i].title, "draft",
					  g == 1));
			n++;
		}
		json_object_set_new(c->page,
				    g ? "has_job_options_draft"
				      : "has_job_options_open",
				    json_boolean(json_array_size(jv) > 0));
	}
	json_object_set_new(c->page, "job_options_more", json_boolean(more));
	json_object_set_new(c->page, "job_options_max",
			    json_integer(JOB_OPTIONS));
	json_object_set_new(c->page, "has_job_options", json_boolean(n > 0));
	return 0;
}

static int tab_notes(struct ctx *c, const struct candidate *k, enum access acc,
		     const struct kept *kept)
{
	struct note_list notes;
	int64_t page;
	int st = web_page(c, &page);
	if (st)
		return st;
	int rc = ats_candidate_notes(c->db, c->arena, &c->session->user, k->id,
				     (page - 1) * NOTES_PER_PAGE,
				     NOTES_PER_PAGE, &notes);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	const char *const params[] = {"tab", "notes", NULL};
	web_pager(c, &(struct pager){candidate_url(c, k->id, NULL), params,
				     page, notes.total, NOTES_PER_PAGE, false,
				     notes.n == 0});
	json_t *nv = json_array();
	for (size_t i = 0; nv && i < notes.n; i++) {
		json_t *o = note_json(c, &notes.v[i]);
		if (o && html(c) && notes.v[i].mine) {
			bool failed =
			    kept && kept->edit_note_id == notes.v[i].id;
			json_object_set_new(
			    o, "form_body",
			    json_string(failed ? or_empty(kept->edit_note_body)
					       : notes.v[i].body));
			json_object_set_new(o, "edit_open",
					    json_boolean(failed));
		}
		json_array_append_new(nv, o);
	}
	json_object_set_new(c->page, "notes", nv);
	if (!html(c))
		return 0;
	json_object_set_new(c->page, "has_notes", json_boolean(notes.n > 0));
	json_object_set_new(
	    c->page, "note_form",
	    json_pack("{s:s, s:b}", "body",
		      kept && kept->note_body ? kept->note_body : "", "public",
		      kept && kept->note_public));
	(void)acc;
	return 0;
}

#define CANDIDATE_EVENTS 50 /* the attachments tab's history */

static bool is_pdf(const struct attachment *t)
{
	return !strcmp(t->content_type, "application/pdf");
}

/* The candidate's events (candidate_events) in words, newest first. */
static int events_context(struct ctx *c, const struct candidate *k)
{
	struct candidate_event_list ev;
	int rc = ats_candidate_events(c->db, c->arena, k->id, CANDIDATE_EVENTS,
				      &ev);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *v = json_array();
	for (size_t i = 0; v && i < ev.n; i++)
		json_array_append_new(
		    v, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
				 (json_int_t)ev.v[i].id, "kind", ev.v[i].kind,
				 "sentence",
				 web_candidate_event_sentence(
				     c->arena, ev.v[i].kind, ev.v[i].detail),
				 "detail", ev.v[i].detail, "user_name",
				 ev.v[i].user_name, "at", ev.v[i].at));
	json_object_set_new(c->page, "events", v);
	json_object_set_new(c->page, "has_events", json_boolean(ev.n > 0));
	return 0;
}

/*
 * The Attachments tab: the files, newest first, each downloadable; a PDF
 * also previewed in a frame (the newest PDF, or ?preview=<id>), served by
 * /attachments/{id}/preview with a policy of its own; Delete for those
 * who manage the candidate (a confirmation step); the history of files.
 */
static int tab_attachments(struct ctx *c, const struct candidate *k,
			   enum access acc)
{
	struct attachment_list atts;
	int64_t want = html(c) ? web_id(c, "preview", 0,
					"must be the id of an attachment")
			       : 0;
	if (c->input_status)
		return c->input_status;
	int rc = ats_candidate_attachments(c->db, c->arena, k->id, &atts);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	const struct attachment *shown = NULL;
	for (size_t i = 0; want && i < atts.n; i++)
		if (is_pdf(&atts.v[i]) && atts.v[i].id == want)
			shown = &atts.v[i];
	for (size_t i = 0; !shown && i < atts.n; i++)
		if (is_pdf(&atts.v[i]))
			shown = &atts.v[i];
	json_t *av = json_array();
	for (size_t i = 0; av && i < atts.n; i++) {
		const struct attachment *t = &atts.v[i];
		json_t *o = attachment_json(t);
		if (o && html(c)) {
			json_object_set_new(
			    o, "url",
			    json_string(arena_printf(c->arena,
						     "/attachments/%lld",
						     (long long)t->id)));
			json_object_set_new(o, "size_label",
					    json_string(or_empty(size_label(
						c->arena, t->size))));
			json_object_set_new(o, "is_pdf",
					    json_boolean(is_pdf(t)));
			json_object_set_new(o, "previewed",
					    json_boolean(t == shown));
			json_object_set_new(
			    o, "preview_page",
			    json_string(arena_printf(
				c->arena,
				"/candidates/%lld?tab=attachments&preview=%lld"
				"#preview",
				(long long)k->id, (long long)t->id)));
			json_object_set_new(o, "can_delete",
					    json_boolean(acc >= ACCESS_MANAGE));
		}
		json_array_append_new(av, o);
	}
	json_object_set_new(c->page, "attachments", av);
	if (!html(c))
		return 0;
	json_object_set_new(c->page, "has_attachments",
			    json_boolean(atts.n > 0));
	if (shown) {
		json_object_set_new(
		    c->page, "preview",
		    json_pack("{s:s, s:s, s:s}", "url",
			      arena_printf(c->arena, "/attachments/%lld/preview",
					   (long long)shown->id),
			      "download",
			      arena_printf(c->arena, "/attachments/%lld",
					   (long long)shown->id),
			      "filename", shown->filename));
		/* the page frames its own origin, the preview alone */
		c->res->frame_self = true;
	}
	return events_context(c, k);
}

/*
 * Fills c->page with the candidate page at tab: the candidate, the tabs
 * (notes and attachments counted as the viewer may see them: view, or
 * read again when NULL), what the viewer may do, and the tab's own data.
 * Returns 0 or the status.  Only the tab's own data is read: the overview
 * of a recruiter costs one query (ats_candidate_view) and the pools.
 */
static int candidate_page(struct ctx *c, const struct candidate *k,
			  enum access acc, const char *tab,
			  const struct kept *kept,
			  const struct candidate_view *view,
			  const struct web_tab_pre *pre)
{
	struct candidate_view again;
	struct candidate cur;
	size_t ti = ARRAY_LEN(tabs);

	for (size_t i = 0; i < ARRAY_LEN(tabs); i++)
		if (!strcmp(tab, tabs[i].key))
			ti = i;
	if (ti == ARRAY_LEN(tabs))
		return web_fail(c, 404, "tab",
				"The candidate page has no such tab.");
	c->template = "candidates/show";
	c->title = ats_candidate_name(c->arena, k);
	if (!view) {
		int rc = ats_candidate_view(
		    c->db, c->arena, c->w->app->frags, &c->session->user, k->id,
		    !strcmp(tab, "overview"), &cur, &again);
		if (rc != DB_OK)
			return web_status_from_db(rc);
		view = &again;
	}
	int64_t nnotes = view->note_count, natts = view->attachment_count;

	json_object_set_new(c->page, "candidate", candidate_json(c, k));
	json_object_set_new(c->page, "tab", json_string(tab));
	json_object_set_new(c->page, "note_count", json_integer(nnotes));
	json_object_set_new(c->page, "attachment_count", json_integer(natts));
	json_object_set_new(c->page, "can_edit",
			    json_boolean(acc >= ACCESS_MANAGE));
	json_object_set_new(c->page, "can_write_notes",
			    json_boolean(acc >= ACCESS_CONTRIBUTE));
	json_object_set_new(c->page, "can_upload",
			    json_boolean(acc >= ACCESS_MANAGE));
	/* deleting for good is an admin's (data_protection.c) */
	json_object_set_new(
	    c->page, "can_delete",
	    json_boolean(c->session->user.role == ROLE_ADMIN));
	if (html(c)) {
		json_t *tv = json_array();
		for (size_t i = 0; tv && i < ARRAY_LEN(tabs); i++) {
			json_t *t = json_pack(
			    "{s:s, s:s, s:s, s:b}", "key", tabs[i].key, "label",
			    tabs[i].label, "url",
			    or_empty(candidate_url(c, k->id, tabs[i].key)),
			    "selected", i == ti);
			bool notes = !strcmp(tabs[i].key, "notes");
			if (notes || !strcmp(tabs[i].key, "attachments")) {
				json_object_set_new(t, "has_count",
						    json_true());
				json_object_set_new(
				    t, "count",
				    json_integer(notes ? nnotes : natts));
			}
			json_array_append_new(tv, t);
		}
		json_object_set_new(c->page, "tabs", tv);
		char *flag = arena_printf(c->arena, "tab_%s", tab);
		if (flag)
			json_object_set_new(c->page, flag, json_true());
		json_object_set_new(
		    c->page, "url",
		    json_string(or_empty(candidate_url(c, k->id, NULL))));
		/* links from one tab to another (the url may hold ?job=) */
		json_object_set_new(
		    c->page, "applications_url",
		    json_string(
			or_empty(candidate_url(c, k->id, "applications"))));
		json_object_set_new(
		    c->page, "linkedin_url",
		    json_string(or_empty(candidate_url(c, k->id, "linkedin"))));
	}

	if (!strcmp(tab, "overview"))
		return tab_overview(c, k, acc, kept, view);
	if (!strcmp(tab, "applications") || !strcmp(tab, "feedback"))
		return tab_applications(c, k, acc, tab);
	if (!strcmp(tab, "notes"))
		return tab_notes(c, k, acc, kept);
	if (!strcmp(tab, "attachments"))
		return tab_attachments(c, k, acc);
	if (!strcmp(tab, "linkedin"))
		return web_candidate_linkedin_tab(c, k, acc, pre);
	/* the tabs[] above end here */
	return web_candidate_activities_tab(c, k, acc, pre);
}

/* A tab's revisions as ats_li_tab_tag and li_activities_tab_tag read
 * them (web.h, struct web_tab_tag). */
typedef int tab_tag_read(struct db *db, struct arena *a, int64_t candidate_id,
			 int64_t viewer_id, uint64_t *revision,
			 const char **tag, int64_t *now);

/* The revisions of candidate id's tab, by read, into t: 0 or the status
 * (t->ok false when there is no candidate: the head says so). */
static int tab_tag(struct ctx *c, int64_t id, tab_tag_read *read,
		   struct web_tab_tag *t)
{
	*t = (struct web_tab_tag){0};
	int rc = read(c->db, c->arena, id, c->session->user.id, &t->revision,
		      &t->tag, &t->now);
	if (rc == DB_NOT_FOUND)
		return 0;
	if (rc != DB_OK)
		return web_status_from_db(rc);
	t->ok = true;
	return 0;
}

int web_candidate_show(struct ctx *c)
{
	struct candidate k;
	struct candidate_view v;
	const char *tab = web_text(c, "tab", 0);
	if (!*tab)
		tab = "overview";
	/* the overview names the pools: read with the candidate */
	/* opened from a job's stage view: the way back to it (stage18) */
	int64_t job_id = web_id(c, "job", 0, "must be the id of a job");
	int64_t id = web_capture_id(c, 0);
	/* the LinkedIn tabs' revisions first, the candidate's with them,
	 * which the head is kept under: one round trip of primary-key
	 * reads, and the tab's body kept at them (web.h) costs no more.
	 * Opened from a job, the page says so: not kept. */
	bool li = id && !strcmp(tab, "linkedin");
	bool acts = id && !strcmp(tab, "activities");
	struct web_tab_pre pre = {0};
	struct web_tab_tag tag = {0};
	int st = 0;
	if ((li || acts) && html(c) && !job_id && c->session)
		st = tab_tag(c, id, li ? ats_li_tab_tag : li_activities_tab_tag,
			     &tag);
	if (st)
		return st;
	if (tag.ok)
		pre.revision = &tag.revision;
	else if (li) /* the tab's state, with the candidate's revision */
		st = web_candidate_linkedin_read(c, id, &pre);
	else if (acts)
		st = web_candidate_activities_read(c, id, &pre);
	if (st)
		return st;
	st = candidate_view_at(c, id, !strcmp(tab, "overview"), pre.revision,
			       &k, &v);
	if (st || (st = c->input_status))
		return st;
	if (tag.ok) {
		if (li ? web_candidate_linkedin_kept(c, &k, v.access, &tag)
		       : web_candidate_activities_kept(c, &k, v.access, &tag)) {
			c->template = "candidates/show";
			c->title = ats_candidate_name(c->arena, &k);
			return 200;
		}
		/* not kept: the tab's state now, after its revisions */
		st = li ? web_candidate_linkedin_read(c, id, &pre)
			: web_candidate_activities_read(c, id, &pre);
		if (st)
			return st;
		pre.tag = &tag;
	}
	if (job_id && html(c)) {
		int rc = web_candidate_job_context(c, k.id, job_id);
		if (rc != DB_OK)
			return web_status_from_db(rc);
	}
	st = candidate_page(c, &k, v.access, tab, NULL, &v, &pre);
	return st ? st : 200;
}

/* A change ats refused as invalid (x->err): the page at tab again with the
 * values kept and the error, or the JSON error. */
static int refused(struct ctx *c, const struct change *x, const char *tab,
		   const struct kept *kept)
{
	int st = candidate_page(c, &x->k, x->acc, tab, kept, NULL, NULL);
	if (st)
		return st;
	return web_fail(c, 400, x->err.field, x->err.message);
}

/* ------------------------------------------------------------ edit */

/* An edit refused because the candidate changed since the form was read
 * (409): the page again with the values sent in the form and the version
 * now, and "conflict" [{field, label, yours, current}] for each field
 * where they differ from what is saved now. */
static int conflict(struct ctx *c, struct change *x,
		    struct candidate_input *in)
{
	struct candidate now;
	if (ats_candidate_get(c->db, c->arena, x->k.id, &now) == DB_OK)
		x->k = now;
	struct kept kept = {.edit = in};
	int st = candidate_page(c, &x->k, x->acc, "overview", &kept, NULL, NULL);
	if (st)
		return st;
	json_t *v = json_array();
	for (const struct candidate_field *f = ats_candidate_fields;
	     v && f->name; f++) {
		const char *yours = or_empty(*ats_candidate_input_field(in, f));
		const char *current = or_empty(ats_candidate_field(&x->k, f));
		if (strcmp(yours, current))
			json_array_append_new(
			    v, json_pack("{s:s, s:s, s:s, s:s}", "field",
					 f->name, "label", f->label, "yours",
					 yours, "current", current));
	}
	json_object_set_new(c->page, "has_conflict", json_true());
	json_object_set_new(c->page, "conflict", v ? v : json_array());
	return web_fail(c, 409, x->err.field, x->err.message);
}

int web_candidate_update(struct ctx *c)
{
	struct change x;
	struct candidate_input in = {0};

	int st = change_start(
	    c, ACCESS_MANAGE,
	    "Only recruiters and admins may edit a candidate.", &x);
	if (st)
		return st;
	/* A field left out of the body keeps its value. */
	candidate_input_read(c, &x.k, &in);
	/* The version the form was read at; none: overwrite (a client's). */
	in.version = web_id(c, "version", 0,
			    "must be the version of the candidate the form "
			    "was read at");
	if (c->input_status)
		return c->input_status;
	struct kept kept = {.edit = &in};
	int64_t existing = 0;
	int rc = ats_candidate_update(c->db, c->session->user.id, x.k.id, &in,
				      c->req->remote_addr, &existing, &x.err);
	if (rc == ATS_INVALID)
		return refused(c, &x, "overview", &kept);
	if (rc == ATS_CONFLICT)
		return conflict(c, &x, &in);
	if (rc == DB_DUPLICATE) {
		st = candidate_page(c, &x.k, x.acc, "overview", &kept, NULL, NULL);
		if (st)
			return st;
		return duplicate(c, existing,
				 "Another candidate has this email: open that "
				 "record instead.");
	}
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return changed(c, x.k.id, NULL, 200, candidate_now, x.k.id);
}

/* ------------------------------------------------------------ notes */

/* The fields of the note forms, new and edit. */
struct note_form {
	const char *body;
	bool pub;
};

/* Reads the note form: 0, or the status of the field refused. */
static int note_form_read(struct ctx *c, struct note_form *f)
{
	f->body = web_text(c, "body", 0);
	f->pub = web_bool(c, "public");
	return c->input_status;
}

int web_candidate_note_create(struct ctx *c)
{
	struct change x;
	struct note_form f;
	int64_t id = 0;

	int st = change_start(c, ACCESS_CONTRIBUTE,
			      "Your access to this candidate is read-only: you "
			      "cannot write notes.",
			      &x);
	if (!st)
		st = note_form_read(c, &f);
	if (st)
		return st;
	int rc = ats_note_create(c->db, c->session->user.id, x.k.id, f.body,
				 f.pub, c->req->remote_addr, &id, &x.err);
	if (rc == ATS_INVALID)
		return refused(
		    c, &x, "notes",
		    &(struct kept){.note_body = f.body, .note_public = f.pub});
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return changed(c, x.k.id, "notes", 201, note_now, id);
}

/* Starts a change to the viewer's own note of capture 0: the note, and its
 * candidate, which the viewer must still reach; 0 or the status (404 for
 * anybody but the author). */
static int own_note_change(struct ctx *c, struct note *n, struct change *x)
{
	int64_t id = web_capture_id(c, 0);
	*x = (struct change){0};
	if (!id)
		return 404;
	int rc = ats_note_get_own(c->db, c->arena, &c->session->user, id, n);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return candidate_load(c, n->candidate_id, &x->k, &x->acc);
}

int web_note_update(struct ctx *c)
{
	struct note n;
	struct change x;
	struct note_form f;

	int st = own_note_change(c, &n, &x);
	if (!st)
		st = note_form_read(c, &f);
	if (st)
		return st;
	int rc = ats_note_update(c->db, &c->session->user, n.id, f.body, f.pub,
				 c->req->remote_addr, &x.err);
	if (rc == ATS_INVALID)
		return refused(c, &x, "notes",
			       &(struct kept){.edit_note_id = n.id,
					      .edit_note_body = f.body});
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return changed(c, x.k.id, "notes", 200, note_now, n.id);
}

int web_note_delete(struct ctx *c)
{
	struct note n;
	struct change x;

	int st = own_note_change(c, &n, &x);
	if (st)
		return st;
	int rc = ats_note_delete(c->db, &c->session->user, n.id,
				 c->req->remote_addr);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	web_notice(c, "Deleted your note");
	return changed(c, x.k.id, "notes", 200, note_deleted, n.id);
}

/* GET /notes/{id}/delete: the confirmation step of Delete note (stage18),
 * for its author; the form POSTs /notes/{id}/delete. */
int web_note_delete_form(struct ctx *c)
{
	struct note n;
	struct change x;
	int st = own_note_change(c, &n, &x);
	if (st)
		return st;
	const char *back =
	    arena_printf(c->arena, "/candidates/%lld?tab=notes#note-%lld",
			 (long long)x.k.id, (long long)n.id);
	struct web_confirm_step step = {
	    .heading = "Delete your note?",
	    .text = arena_printf(c->arena,
				 "Your note on %s goes for good (the audit "
				 "log keeps that it was deleted).",
				 ats_candidate_name(c->arena, &x.k)),
	    .action =
		arena_printf(c->arena, "/notes/%lld/delete", (long long)n.id),
	    .button = "Delete the note",
	    .danger = true,
	    .cancel_url = back,
	    .nav = "candidates"};
	return web_confirm(c, &step, NULL);
}

/* ------------------------------------------------------------ attachments */

int web_candidate_attachment_create(struct ctx *c)
{
	struct change x;
	int64_t id = 0;

	/* Files are the recruiters' (access.h): hiring managers read them. */
	int st = change_start(
	    c, ACCESS_MANAGE,
	    "Only recruiters and admins may upload files to a candidate.", &x);
	if (st)
		return st;
	const struct http_file *f = http_file(c->req, "file");
	int rc;
	if (!f) {
		rc = ATS_INVALID;
		x.err.field = "file";
		x.err.message = "is missing: choose a PDF, DOCX or TXT file "
				"to upload";
	} else {
		rc = ats_attachment_create(c->db, c->arena, c->cfg->data_dir,
					   c->session->user.id, x.k.id,
					   f->filename, f->data, f->len,
					   c->req->remote_addr, &id, &x.err);
	}
	if (rc == ATS_INVALID)
		return refused(c, &x, "attachments", NULL);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	web_notice(c, arena_printf(c->arena, "Uploaded %s to %s.",
				   ats_attachment_filename(c->arena,
							   f->filename),
				   ats_candidate_name(c->arena, &x.k)));
	return changed(c, x.k.id, "attachments", 201, attachment_now, id);
}

/* Content-Disposition: how ("attachment" or "inline") with an ASCII
 * fallback name (quotes, backslashes and anything outside printable ASCII
 * as '_') and the real name as RFC 5987 UTF-8. */
static const char *disposition(struct ctx *c, const char *how,
			       const char *name)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, how);
	buf_adds(&b, "; filename=\"");
	for (const char *p = name; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		buf_addc(&b, (ch < 0x20 || ch >= 0x7f || ch == '"' ||
			      ch == '\\' || ch == '%' || ch == ';')
				 ? '_'
				 : (char)ch);
	}
	buf_adds(&b, "\"; filename*=UTF-8''");
	buf_add_url(&b, name, strlen(name));
	const char *s = buf_failed(&b) ? NULL : arena_strdup(c->arena, b.data);
	buf_release(&b);
	return s;
}

/*
 * A PDF shown in the candidate page's frame.  Only a file stored as a PDF
 * whose bytes start with "%PDF-" (checked again: the file is read now),
 * served inline as application/pdf with nosniff, and with a policy of its
 * own: nothing loads from it, no form leaves it, and only hirelink's own
 * pages may frame it.  Every other file is download-only
 * (Content-Disposition: attachment, /attachments/{id}).
 *
 * Why no CSP "sandbox" and no <iframe sandbox>: Chromium shows a PDF with
 * its viewer, which it treats as a plugin, and it refuses plugins in any
 * sandboxed frame ("This page has been blocked by Chrome"; whatwg/html
 * issue 3958, Chromium issue 41131921), whatever tokens the sandbox
 * allows.  The bytes can only ever be a PDF here (checked on upload and
 * now, nosniff), and the viewer runs in its own process without access
 * to hirelink's page.
 */
#define PREVIEW_CSP                                                            \
	"default-src 'none'; style-src 'unsafe-inline'; object-src 'self'; "   \
	"base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

/* The attachment of capture 0 as the response's body, for a viewer who
 * may see its candidate: a download, or (preview) a PDF inline with
 * PREVIEW_CSP.  The status. */
static int attachment_send(struct ctx *c, bool preview)
{
	struct attachment t;
	struct candidate k;
	enum access acc;
	const char *data;
	size_t len;

	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int rc = ats_attachment_get(c->db, c->arena, id, &t);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	int st = candidate_load(c, t.candidate_id, &k, &acc);
	if (st)
		return st;
	if (preview && !is_pdf(&t))
		return web_fail(c, 404, NULL,
				"Only PDF files are shown here: download this "
				"one instead.");
	rc = ats_attachment_read(c->arena, c->cfg->data_dir, &t, &data, &len);
	if (rc != DB_OK)
		return rc == DB_NOT_FOUND
			   ? web_fail(c, 404, NULL,
				      "The file of this attachment is missing.")
			   : 500;
	if (preview && (len < 5 || memcmp(data, "%PDF-", 5)))
		return web_fail(c, 404, NULL,
				"This file is not a PDF document: download it "
				"instead.");
	const char *cd =
	    disposition(c, preview ? "inline" : "attachment", t.filename);
	if (!cd)
		return 500;
	if (preview) {
		c->res->content_type = "application/pdf";
		c->res->csp = PREVIEW_CSP;
	} else {
		c->res->content_type = t.content_type;
	}
	http_header_add(c->res, "Content-Disposition", cd);
	http_header_add(c->res, "Cache-Control", "private, no-store");
	buf_add(&c->res->body, data, len);
	if (buf_failed(&c->res->body)) {
		buf_reset(&c->res->body);
		return 500;
	}
	/* An empty body would fall through to the layout: never stored. */
	return 200;
}

int web_attachment_download(struct ctx *c)
{
	return attachment_send(c, false);
}

int web_attachment_preview(struct ctx *c)
{
	return attachment_send(c, true);
}

/* The attachment of capture 0, and its candidate, which the viewer must
 * manage: 0 or the status (404 for one they may not see). */
static int attachment_change(struct ctx *c, struct attachment *t,
			     struct change *x)
{
	int64_t id = web_capture_id(c, 0);
	*x = (struct change){0};
	if (!id)
		return 404;
	int rc = ats_attachment_get(c->db, c->arena, id, t);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	int st = candidate_load(c, t->candidate_id, &x->k, &x->acc);
	if (!st && x->acc < ACCESS_MANAGE)
		st = web_fail(c, 403, NULL,
			      "Only recruiters and admins may delete a "
			      "candidate's files.");
	return st;
}

/* GET /attachments/{id}/delete: the confirmation step (works without
 * JavaScript). */
int web_attachment_delete_form(struct ctx *c)
{
	struct attachment t;
	struct change x;
	int st = attachment_change(c, &t, &x);
	if (st)
		return st;
	json_object_set_new(c->page, "attachment", attachment_json(&t));
	json_object_set_new(
	    c->page, "candidate",
	    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)x.k.id, "name",
		      or_empty(ats_candidate_name(c->arena, &x.k)), "url",
		      or_empty(candidate_url(c, x.k.id, "attachments"))));
	json_object_set_new(c->page, "size_label",
			    json_string(or_empty(size_label(c->arena, t.size))));
	c->template = "candidates/attachment_delete";
	c->title = arena_printf(c->arena, "Delete %s", t.filename);
	return 200;
}

/* POST /attachments/{id}/delete: the row, its trail (audit, candidate
 * event), then the file; back to the Attachments tab with a notice. */
int web_attachment_delete(struct ctx *c)
{
	struct attachment t, gone;
	struct change x;
	int st = attachment_change(c, &t, &x);
	if (st)
		return st;
	int rc = ats_attachment_delete(c->db, c->arena, c->cfg->data_dir,
				       c->session->user.id, t.id,
				       c->req->remote_addr, &gone, NULL);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	web_notice(c, arena_printf(c->arena, "Deleted %s from %s.",
				   gone.filename,
				   ats_candidate_name(c->arena, &x.k)));
	if (html(c))
		return web_see_other(c,
				     candidate_url(c, x.k.id, "attachments"));
	json_object_clear(c->page);
	json_object_set_new(c->page, "deleted",
			    json_pack("{s:I}", "id", (json_int_t)gone.id));
	c->template = "candidates/show";
	return 200;
}
