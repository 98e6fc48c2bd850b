/*
 * stubs.c - InMail stub profiles (Recruiter System Connect, "Retrieve
 * InMail Stub Profiles"): a member who replies to a Recruiter seat's InMail
 * and agrees to share contact details leaves a stub profile (first and
 * last name, the email address only if they chose to share it), which the
 * ATS reads per contract, seat and time window.
 *
 *   sb_stub_on_reply()     the reply's consent makes (or updates) the stub,
 *                          in the reply's transaction, and pushes an
 *                          INMAIL_STUB_CREATED notification to every
 *                          application of the organization
 *   GET /v2/mailStubs?q=contract&contract=&owners=&createdDateStart=
 *                    &createdDateEnd=&start=&count=
 *   GET /sandbox/mailStubs  test control
 *
 * One stub per seat and member (hirelink convention): a later consenting
 * reply to the same seat that changes its email (shared or withdrawn)
 * updates it and dates it anew (created), so that an ATS polling by
 * creation windows sees the change; it is pushed again then, and only
 * then.  The push and
 * the follow-up answer (GET /v2/atsIntegrations?q=request, jobs.c, reading
 * ats_integration_requests) are hirelink conventions: LinkedIn's pages say
 * only that stubs may be polled.  A member who closed their account
 * (closed.c) is no longer answered.
 */
#include <stdlib.h>
#include <string.h>

#include "sandbox/sandbox.h"

#define HOSTED_QUERY_MAX 20000 /* LinkedIn's limit on start + count */

/* One stub as the API answers it; row: id, seat_id, urn_id, first_name,
 * last_name, email, created_at, contract_id.  New. */
static json_t *stub_json(struct db_row *row)
{
	char **v = row->v;
	json_t *o = json_pack(
	    "{s:s, s:s+, s:s+, s:s+, s:s, s:s, s:I}", "id", v[0], "contract",
	    "urn:li:contract:", v[7], "owner", "urn:li:seat:", v[1], "member",
	    "urn:li:person:", v[2], "firstName", v[3], "lastName", v[4],
	    "created", (json_int_t)db_int(row, 6));
	if (o && v[5])
		json_object_set_new(o, "emailAddress", json_string(v[5]));
	return o;
}

/* Tells every application of org that stub id changed: a request kept for
 * ?q=request and a notification each.  0, or -1. */
static int stub_notify(struct sb_ctx *c, int64_t org, int64_t contract,
		       int64_t seat, int64_t stub, int64_t created)
{
	struct db_result apps;
	if (db_query(c->db, c->a, &apps,
		     "SELECT client_id FROM applications"
		     " WHERE organization_id = ? ORDER BY client_id",
		     "i", org) != DB_OK)
		return -1;
	for (size_t i = 0; i < apps.nrows; i++) {
		const char *client = apps.rows[i].v[0];
		char rid[SB_REQUEST_ID_SIZE], *text;
		json_t *el;
		int rc;

		if (sb_request_id(rid) < 0)
			return -1;
		el = json_pack(
		    "[{s:s, s:s, s:s, s:I, s:s}]", "eventType", SB_EVENT_STUB,
		    "owner",
		    arena_printf(c->a, "urn:li:seat:%lld", (long long)seat),
		    "contract",
		    arena_printf(c->a, "urn:li:contract:%lld",
				 (long long)contract),
		    "created", (json_int_t)created, "mailStub",
		    arena_printf(c->a, "%lld", (long long)stub));
		text = el ? json_dumps(el, JSON_COMPACT) : NULL;
		json_decref(el);
		rc = text ? db_exec(c->db, NULL,
				    "INSERT INTO ats_integration_requests"
				    " (request_id, client_id, organization_id,"
				    " elements, created_at)"
				    " VALUES (?, ?, ?, ?, ?)",
				    "ssisi", rid, client, org, text,
				    time_now_ms())
			  : DB_ERROR;
		free(text);
		if (rc != DB_OK ||
		    sb_notify(c, client, org, SB_EVENT_STUB, rid) < 0)
			return -1;
	}
	return 0;
}

int sb_stub_on_reply(struct sb_ctx *c, int64_t conversation, bool share_email,
		     int64_t at, int64_t *stub_id)
{
	struct db_row r, s;
	const char *email;
	int64_t seat, member, contract, org;
	bool changed = false;
	int rc;

	*stub_id = 0;
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT v.seat_id, v.recipient_member_id,"
			  " s.contract_id, k.organization_id, m.first_name,"
			  " m.last_name, m.email"
			  " FROM inmail_conversations v"
			  " JOIN seats s ON s.id = v.seat_id"
			  " JOIN contracts k ON k.id = s.contract_id"
			  " JOIN members m ON m.id = v.recipient_member_id"
			  " WHERE v.id = ?",
			  "i", conversation);
	if (rc == DB_NOT_FOUND)
		return 0;
	if (rc != DB_OK)
		return -1;
	seat = db_int(&r, 0);
	member = db_int(&r, 1);
	contract = db_int(&r, 2);
	org = db_int(&r, 3);
	email = share_email ? r.v[6] : NULL;
	rc = db_query_row(c->db, c->a, &s,
			  "SELECT id, email FROM mail_stubs"
			  " WHERE seat_id = ? AND member_id = ? FOR UPDATE",
			  "ii", seat, member);
	if (rc == DB_NOT_FOUND) {
		if (db_exec(c->db, NULL,
			    "INSERT INTO mail_stubs (contract_id, seat_id,"
			    " member_id, first_name, last_name, email,"
			    " created_at, updated_at)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			    "iiisssii", contract, seat, member, r.v[4], r.v[5],
			    email, at, at) != DB_OK)
			return -1;
		*stub_id = (int64_t)db_insert_id(c->db);
		changed = true;
	} else if (rc == DB_OK) {
		*stub_id = db_int(&s, 0);
		if ((email == NULL) != (s.v[1] == NULL) ||
		    (email && strcmp(email, s.v[1]))) {
			if (db_exec(c->db, NULL,
				    "UPDATE mail_stubs SET email = ?,"
				    " created_at = ?, updated_at = ?"
				    " WHERE id = ?",
				    "siii", email, at, at, *stub_id) != DB_OK)
				return -1;
			changed = true;
		}
	} else {
		return -1;
	}
	return changed ? stub_notify(c, org, contract, seat, *stub_id, at) : 0;
}

/* A time parameter (epoch ms): def when absent; -1 after answering. */
static int ms_param(struct sb_ctx *c, const char *name, int64_t def,
		    int64_t *out)
{
	const char *v = http_query(c->req, name);
	*out = def;
	if (!v)
		return 0;
	if (parse_i64(v, out) < 0 || *out < 0) {
		sb_bad_param(c, name);
		return -1;
	}
	return 0;
}

void sb_mail_stubs(struct sb_ctx *c)
{
	const char *q = http_query(c->req, "q");
	const char *contract_urn = http_query(c->req, "contract");
	const char *owners;
	struct sb_caller who;
	int64_t contract, lo, hi, start, count;
	struct db_result res;
	struct db_row r;
	json_t *elements;
	int rc;

	if (sb_caller_of(c, "mailStubs.FINDER-contract.NO_VERSION", &who) < 0)
		return;
	if (!q || strcmp(q, "contract")) {
		sb_bad_param(c, "q");
		return;
	}
	if ((contract = sb_contract_param(contract_urn)) < 0) {
		sb_bad_param(c, "contract");
		return;
	}
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT 1 FROM contracts WHERE id = ?"
			  " AND organization_id = ?",
			  "ii", contract, who.org);
	if (rc != DB_OK) {
		if (rc == DB_NOT_FOUND) {
			const char *m = arena_printf(
			    c->a, "Not enough permissions to access %.100s",
			    contract_urn);
			sb_api_error(c, 403, 100,
				     m ? m : "Not enough permissions");
		} else {
			sb_db_fail(c);
		}
		return;
	}
	if (sb_owners_param(c, who.org, &owners) < 0 ||
	    ms_param(c, "createdDateStart", 0, &lo) < 0 ||
	    ms_param(c, "createdDateEnd", INT64_MAX, &hi) < 0 ||
	    sb_paging(c, false, &start, &count) < 0)
		return;
	if (start + count > HOSTED_QUERY_MAX) {
		sb_api_error(c, 400, 0,
			     "The limit for hosted query search is 20000: "
			     "narrow the query (owners, createdDateStart, "
			     "createdDateEnd)");
		return;
	}
	if (db_query_row(c->db, c->a, &r,
			 "SELECT COUNT(*) FROM mail_stubs s"
			 " JOIN members m ON m.id = s.member_id"
			 " WHERE s.contract_id = ? AND m.closed_at IS NULL"
			 " AND (? IS NULL OR FIND_IN_SET(s.seat_id, ?))"
			 " AND s.created_at >= ? AND s.created_at < ?",
			 "issii", contract, owners, owners, lo, hi) != DB_OK ||
	    db_query(c->db, c->a, &res,
		     "SELECT s.id, s.seat_id, m.urn_id, s.first_name,"
		     " s.last_name, s.email, s.created_at, s.contract_id"
		     " FROM mail_stubs s JOIN members m ON m.id = s.member_id"
		     " WHERE s.contract_id = ? AND m.closed_at IS NULL"
		     " AND (? IS NULL OR FIND_IN_SET(s.seat_id, ?))"
		     " AND s.created_at >= ? AND s.created_at < ?"
		     " ORDER BY s.created_at, s.id LIMIT ? OFFSET ?",
		     "issiiii", contract, owners, owners, lo, hi, count,
		     start) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	elements = json_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_array_append_new(elements, stub_json(&res.rows[i]));
	sb_json(c, 200,
		json_pack("{s:o, s:o}", "elements", elements, "paging",
			  sb_paging_json(c, "/v2/mailStubs", start, count,
					 db_int(&r, 0), res.nrows)));
}

/* GET /sandbox/mailStubs?clientId= : every stub of the application's
 * organization's contracts (all without clientId), closed members' too
 * (with "closed": true). */
void sb_control_mail_stubs(struct sb_ctx *c)
{
	const char *client = http_query(c->req, "clientId");
	struct db_result res;
	json_t *out;

	if (sb_control_refused(c))
		return;
	if (client && !*client)
		client = NULL;
	if (db_query(c->db, c->a, &res,
		     "SELECT s.id, s.seat_id, m.urn_id, s.first_name,"
		     " s.last_name, s.email, s.created_at, s.contract_id,"
		     " m.closed_at IS NOT NULL"
		     " FROM mail_stubs s JOIN members m ON m.id = s.member_id"
		     " JOIN contracts k ON k.id = s.contract_id"
		     " WHERE ? IS NULL OR k.organization_id ="
		     " (SELECT organization_id FROM applications"
		     "  WHERE client_id = ?)"
		     " ORDER BY s.created_at, s.id LIMIT 10000",
		     "ss", client, client) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	out = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		json_t *o = stub_json(&res.rows[i]);
		json_object_set_new(o, "closed",
				    json_boolean(db_int(&res.rows[i], 8)));
		json_array_append_new(out, o);
	}
	sb_json(c, 200, json_pack("{s:o}", "elements", out));
}
