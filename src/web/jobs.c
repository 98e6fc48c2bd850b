/*
 * jobs.c - the jobs pages: GET /jobs (filter, search, paginate).
 */
#include <string.h>

#include "web/web.h"

#define JOBS_PER_PAGE 50

/* ?page=N, 1-based; anything else is page 1 */
static int64_t page_param(const struct ctx *c)
{
	int64_t p;
	const char *s = http_query(c->req, "page");
	if (!s || parse_i64(s, &p) < 0 || p < 1 || p > 1000000)
		return 1;
	return p;
}

/* The list URL for page p with the current filters. */
static const char *page_url(struct ctx *c, const char *status, const char *q,
			    int64_t p)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "/jobs?page=%lld", (long long)p);
	if (*status) {
		buf_adds(&b, "&status=");
		buf_add_url(&b, status, strlen(status));
	}
	if (*q) {
		buf_adds(&b, "&q=");
		buf_add_url(&b, q, strlen(q));
	}
	const char *s = buf_failed(&b) ? "/jobs" : arena_strdup(c->arena, b.data);
	buf_release(&b);
	return s;
}

int web_jobs_list(struct ctx *c)
{
	const char *status = http_query(c->req, "status");
	const char *q = http_query(c->req, "q");
	int64_t page = page_param(c);
	struct job_list jobs;

	if (!status)
		status = "";
	if (*status && strcmp(status, "draft") && strcmp(status, "active") &&
	    strcmp(status, "closed"))
		return web_fail(c, 400, "status",
				"must be draft, active or closed");
	if (!q)
		q = "";
	if (strlen(q) > 200)
		return web_fail(c, 400, "q", "must be at most 200 characters");

	int rc = ats_jobs_list(c->db, c->arena, status, q,
			       (page - 1) * JOBS_PER_PAGE, JOBS_PER_PAGE, &jobs);
	if (rc != DB_OK)
		return web_status_from_db(rc);

	json_t *list = json_array();
	for (size_t i = 0; i < jobs.n; i++) {
		struct job *j = &jobs.v[i];
		json_array_append_new(
			list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
					(json_int_t)j->id, "public_id",
					j->public_id, "title", j->title,
					"location", j->location, "status",
					j->status, "updated_at", j->updated_at));
	}
	int64_t pages = (jobs.total + JOBS_PER_PAGE - 1) / JOBS_PER_PAGE;
	json_object_set_new(c->page, "has_jobs", json_boolean(jobs.n > 0));
	json_object_set_new(c->page, "jobs", list);
	json_object_set_new(c->page, "total", json_integer(jobs.total));
	json_object_set_new(c->page, "page", json_integer(page));
	json_object_set_new(c->page, "pages", json_integer(pages));
	json_object_set_new(c->page, "q", json_string(q));
	json_object_set_new(c->page, "status", json_string(status));
	if (page > 1)
		json_object_set_new(c->page, "prev_url",
				    json_string(page_url(c, status, q, page - 1)));
	if (page < pages)
		json_object_set_new(c->page, "next_url",
				    json_string(page_url(c, status, q, page + 1)));
	static const char *const statuses[] = {"", "draft", "active", "closed"};
	json_t *filters = json_array();
	for (size_t i = 0; i < ARRAY_LEN(statuses); i++)
		json_array_append_new(
			filters,
			json_pack("{s:s, s:s, s:b}", "value", statuses[i],
				  "label", *statuses[i] ? statuses[i] : "all",
				  "selected", !strcmp(status, statuses[i])));
	json_object_set_new(c->page, "filters", filters);
	c->template = "jobs/list";
	c->title = "Jobs";
	return 200;
}
