/*
 * data_protection.c - the data-protection pages (issue 16), admins only:
 *
 *   GET  /candidates/{id}/delete   what deleting the candidate removes, a
 *                                  reason and a confirmation box: a plain
 *                                  form, so it works without JavaScript
 *   POST /candidates/{id}/delete   the delete (src/ats/erase.h)
 *   GET  /admin/linkedin/closed    the closed-profiles check and the
 *                                  candidates concerned, each with Erase
 *   POST /admin/linkedin/closed/check        Check now
 *   POST /admin/linkedin/closed/{id}/erase   erase candidate {id}'s
 *                                  LinkedIn-derived data (confirmed)
 */
#include <string.h>

#include "ats/candidates.h"
#include "ats/erase.h"
#include "linkedin/closed.h"
#include "web/web.h"

/* Rows a page of the closed-profiles list shows (web_pager). */
#define CLOSED_PER_PAGE 50

/* The delete page's context for candidate k. */
static int delete_context(struct ctx *c, const struct candidate *k,
			  const char *reason)
{
	struct db_row row;
	int rc = db_query_row(
	    c->db, c->arena, &row,
	    "SELECT (SELECT COUNT(*) FROM applications WHERE candidate_id = "
	    "?), (SELECT COUNT(*) FROM notes WHERE candidate_id = ?), (SELECT "
	    "COUNT(*) FROM attachments WHERE candidate_id = ?), (SELECT "
	    "COUNT(*) FROM pool_members WHERE candidate_id = ?)",
	    "iiii", k->id, k->id, k->id, k->id);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_object_set_new(
	    c->page, "candidate",
	    web_pack_row("{s:I, s:s, s:I, s:I, s:I, s:I}", "id",
			 (json_int_t)k->id, "name",
			 ats_candidate_name(c->arena, k), "applications",
			 (json_int_t)db_int(&row, 0), "notes",
			 (json_int_t)db_int(&row, 1), "attachments",
			 (json_int_t)db_int(&row, 2), "pools",
			 (json_int_t)db_int(&row, 3)));
	json_object_set_new(c->page, "reason", json_string(reason));
	c->template = "candidates/delete";
	c->title = "Delete candidate";
	return 0;
}

int web_candidate_delete_form(struct ctx *c)
{
	struct candidate k;
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int rc = ats_candidate_get(c->db, c->arena, id, &k);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	int st = delete_context(c, &k, "");
	return st ? st : 200;
}

int web_candidate_delete(struct ctx *c)
{
	struct candidate k;
	struct ats_error err = {0};
	struct ats_delete_result res;
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	const char *reason = web_text(c, "reason", CANDIDATE_DELETE_REASON_MAX);
	bool confirm = web_bool(c, "confirm");
	int rc = ats_candidate_get(c->db, c->arena, id, &k);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (c->input_status) {
		int st = delete_context(c, &k, reason);
		return st ? st : c->input_status;
	}
	if (!confirm) {
		int st = delete_context(c, &k, reason);
		return st ? st
			  : web_fail(c, 400, "confirm",
				     "tick the box to confirm that the "
				     "candidate is deleted for good");
	}
	rc = ats_candidate_delete(c->db, c->arena, c->session->user.id, id,
				  reason, c->cfg->data_dir, c->req->remote_addr,
				  &res, &err);
	if (rc == ATS_INVALID) {
		int st = delete_context(c, &k, reason);
		return st ? st : web_fail(c, 400, err.field, err.message);
	}
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_object_set_new(c->page, "deleted", json_integer(id));
	json_object_set_new(c->page, "applications",
			    json_integer(res.applications));
	return web_see_other(
	    c, arena_printf(c->arena, "/candidates?deleted=%lld", (long long)id));
}

/* ------------------------------------------------------------ closed */

int web_linkedin_closed(struct ctx *c)
{
	struct li_closed_state st;
	int64_t page;
	const char *done = web_text(c, "done", 10);
	int pst = web_page(c, &page);
	if (pst)
		return pst;
	int rc = li_closed_state(c->db, c->arena, (page - 1) * CLOSED_PER_PAGE,
				 CLOSED_PER_PAGE, &st);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *rows = json_array();
	for (size_t i = 0; i < st.n; i++) {
		const struct li_closed_row *r = &st.v[i];
		bool erasable = r->candidate_id && r->linkedin_data;
		json_array_append_new(
		    rows,
		    web_pack_row("{s:I, s:s, s:s, s:I, s:s, s:b, s:s, s:s, "
				 "s:b}",
				 "id", (json_int_t)r->id, "member_id",
				 r->member_id, "closed_at", r->closed_at,
				 "candidate_id", (json_int_t)r->candidate_id,
				 "candidate_name", r->candidate_name,
				 "erasable", erasable, "erased_at",
				 r->erased_at, "erased_by", r->erased_by,
				 "has_candidate", r->candidate_id > 0));
	}
	json_object_set_new(
	    c->page, "closed",
	    json_pack("{s:s, s:s, s:b, s:o, s:b, s:I}", "checked_at",
		      st.checked_at, "error", st.error, "pending", st.pending,
		      "rows", rows, "has_rows", st.n > 0, "to_erase",
		      (json_int_t)st.to_erase));
	json_object_set_new(c->page, "total", json_integer(st.total));
	const char *const params[] = {NULL};
	web_pager(c, &(struct pager){"/admin/linkedin/closed", params, page,
				     st.total, CLOSED_PER_PAGE, false,
				     st.n == 0});
	json_object_set_new(c->page, "asked", json_boolean(!strcmp(done, "check")));
	json_object_set_new(c->page, "erased",
			    json_boolean(!strcmp(done, "erased")));
	c->template = "linkedin/closed";
	c->title = "Closed LinkedIn profiles";
	return 200;
}

int web_linkedin_closed_check(struct ctx *c)
{
	int rc = li_closed_ask(c->db);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return web_see_other(c, "/admin/linkedin/closed?done=check");
}

int web_linkedin_closed_erase(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	bool confirm = web_bool(c, "confirm");
	if (c->input_status)
		return c->input_status;
	struct db_row row;
	/* only a candidate the check listed */
	int rc = db_query_row(c->db, c->arena, &row,
			      "SELECT 1 FROM li_closed_profiles WHERE "
			      "candidate_id = ? LIMIT 1",
			      "i", id);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!confirm)
		return web_fail(c, 400, "confirm",
				"tick the box to confirm the erase of this "
				"candidate's LinkedIn data");
	rc = ats_candidate_erase_linkedin(c->db, c->session->user.id, id,
					  c->req->remote_addr);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return web_see_other(c, "/admin/linkedin/closed?done=erased");
}
