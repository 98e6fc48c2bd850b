/*
 * careers.c - the public page of a job, GET /careers/{public job id}
 * (/careers/J-00042): what LinkedIn sends applicants to (the job's
 * companyApplyUrl in Sync Jobs, F11), so it is served to anyone, without a
 * session (ROUTE_NO_SESSION): title, location, description, and how to
 * apply; a closed job says it no longer takes applications.  A draft is
 * nobody's business outside hirelink: 404, as for a job that does not
 * exist.  Nothing else of the job (its pipeline, members, candidates)
 * leaves through here but the name and address of its recruiter, whom
 * applicants write to.
 */
#include <string.h>

#include "web/web.h"

/* The recruiter applicants write to: the job's first recruiter member. */
static int contact(struct ctx *c, int64_t job_id, json_t *page)
{
	struct job_member_list members;
	int rc = ats_job_members(c->db, c->arena, job_id, &members);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	for (size_t i = 0; i < members.n; i++)
		if (!strcmp(members.v[i].role, "recruiter")) {
			json_object_set_new(
			    page, "contact",
			    json_pack("{s:s, s:s}", "name", members.v[i].name,
				      "email", members.v[i].email));
			break;
		}
	return 0;
}

int web_careers_job(struct ctx *c)
{
	struct job job;
	const char *cap =
	    c->match && c->match->ncaptures ? c->match->captures[0] : "";
	int64_t id = ats_job_id_parse(cap);
	if (!id)
		return 404;
	int rc = ats_job_get(c->db, c->arena, id, &job);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!strcmp(job.status, "draft"))
		return 404;
	bool open = !strcmp(job.status, "active");
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s?}", "public_id",
			      job.public_id, "title", job.title, "location",
			      job.location, "description", job.description,
			      "open", open, "listed_at", job.listed_at);
	if (!j)
		return 500;
	json_object_set_new(c->page, "job", j);
	int st = contact(c, job.id, c->page);
	if (st)
		return st;
	c->template = "careers/show";
	c->title = job.title;
	return 200;
}
