/*
 * closed.c - members who closed their LinkedIn account, as an ATS must
 * learn of them (Recruiter System Connect release notes: query "Retrieving
 * Closed Candidate Profiles" at least once every 30 days).  LinkedIn's
 * endpoint is not in its public pages, so its path and shape here are a
 * hirelink convention (README "Closed profiles"):
 *
 *   GET  /v2/closedCandidateProfiles?q=integrationContext
 *        &integrationContext=urn:li:organization:N&closedSince=ms
 *        &start=&count=
 *        each member closed at or after closedSince that the calling
 *        application synced or linked: one element per candidate it is
 *        linked to (manualMatchedMember or LinkedIn's one match), and one
 *        with atsCandidateId null for a member the organization knows only
 *        by a stub profile
 *   POST /sandbox/members/close {"member", "at"?}   test control
 *
 * Closing keeps the member's row (the ids stay unique and tests can name
 * it); what LinkedIn no longer hands out is filtered where it is answered
 * (mailStubs).
 */
#include <string.h>

#include "sandbox/sandbox.h"

#define CLOSED_MAX 1000 /* closed members one query considers */

void sb_closed_profiles(struct sb_ctx *c)
{
	const char *q = http_query(c->req, "q");
	const char *ctx = http_query(c->req, "integrationContext");
	const char *since_s = http_query(c->req, "closedSince");
	struct sb_caller who;
	struct db_result res;
	int64_t since = 0, start, count;
	json_t *all, *page;

	if (sb_caller_of(c,
			 "closedCandidateProfiles.FINDER-integrationContext"
			 ".NO_VERSION",
			 &who) < 0)
		return;
	if (!q || strcmp(q, "integrationContext")) {
		sb_bad_param(c, "q");
		return;
	}
	if (!ctx || strncmp(ctx, "urn:li:organization:", 20)) {
		sb_bad_param(c, "integrationContext");
		return;
	}
	if (strcmp(ctx, who.org_urn)) {
		const char *m = arena_printf(
		    c->a, "Not enough permissions to access %.100s", ctx);
		sb_api_error(c, 403, 100, m ? m : "Not enough permissions");
		return;
	}
	if (since_s && (parse_i64(since_s, &since) < 0 || since < 0)) {
		sb_bad_param(c, "closedSince");
		return;
	}
	if (sb_paging(c, false, &start, &count) < 0)
		return;
	if (db_query(c->db, c->a, &res,
		     "SELECT id, urn_id, closed_at FROM members"
		     " WHERE closed_at IS NOT NULL AND closed_at >= ?"
		     " ORDER BY closed_at, id LIMIT ?",
		     "ii", since, (int64_t)CLOSED_MAX) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	all = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		int64_t mid = db_int(&res.rows[i], 0);
		json_int_t at = (json_int_t)db_int(&res.rows[i], 2);
		const char *urn =
		    arena_printf(c->a, "urn:li:person:%s", res.rows[i].v[1]);
		const char **ids;
		struct db_row r;
		size_t n;
		int rc;

		if (!urn || sb_member_candidates(c, who.client_id, who.org, mid,
						 &ids, &n) < 0)
			goto fail;
		for (size_t k = 0; k < n; k++)
			json_array_append_new(
			    all,
			    json_pack("{s:s, s:s, s:I}", "atsCandidateId",
				      ids[k], "member", urn, "closedAt", at));
		if (n)
			continue;
		rc = db_query_row(c->db, c->a, &r,
				  "SELECT 1 FROM mail_stubs s"
				  " JOIN contracts k ON k.id = s.contract_id"
				  " WHERE s.member_id = ?"
				  " AND k.organization_id = ? LIMIT 1",
				  "ii", mid, who.org);
		if (rc != DB_OK && rc != DB_NOT_FOUND)
			goto fail;
		if (rc == DB_OK)
			json_array_append_new(
			    all, json_pack("{s:n, s:s, s:I}", "atsCandidateId",
					   "member", urn, "closedAt", at));
	}
	page = json_array();
	for (size_t i = (size_t)start;
	     i < json_array_size(all) && json_array_size(page) < (size_t)count;
	     i++)
		json_array_append(page, json_array_get(all, i));
	sb_json(
	    c, 200,
	    json_pack("{s:o, s:o}", "elements", page, "paging",
		      sb_paging_json(c, "/v2/closedCandidateProfiles", start,
				     count, (int64_t)json_array_size(all),
				     json_array_size(page))));
	json_decref(all);
	return;
fail:
	json_decref(all);
	sb_db_fail(c);
}

/* POST /sandbox/members/close {"member": "<id or URN>", "at": ms?} */
void sb_control_members_close(struct sb_ctx *c)
{
	json_t *j = sb_control_body(c), *at_v;
	const char *member;
	int64_t mid, at = time_now_ms();
	struct db_row r;

	if (!j)
		return;
	member = json_string_value(json_object_get(j, "member"));
	at_v = json_object_get(j, "at");
	if (at_v && !json_is_null(at_v)) {
		if (!json_is_integer(at_v) || json_integer_value(at_v) <= 0) {
			sb_control_bad(c, "at must be epoch milliseconds");
			return;
		}
		at = json_integer_value(at_v);
	}
	if (!member || !*member) {
		sb_control_bad(c, "member must be a member id or URN");
		return;
	}
	if ((mid = sb_member_lookup(c, member)) <= 0) {
		if (mid < 0)
			sb_db_fail(c);
		else
			sb_control_error(c, 404, "no such member");
		return;
	}
	if (db_exec(c->db, NULL,
		    "UPDATE members SET closed_at = COALESCE(closed_at, ?)"
		    " WHERE id = ?",
		    "ii", at, mid) != DB_OK ||
	    db_query_row(c->db, c->a, &r,
			 "SELECT closed_at FROM members WHERE id = ?", "i",
			 mid) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	sb_json(c, 200,
		json_pack("{s:b, s:I}", "ok", 1, "closedAt",
			  (json_int_t)db_int(&r, 0)));
}
