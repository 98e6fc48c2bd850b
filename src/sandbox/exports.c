/*
 * exports.c - LinkedIn Recruiter's one-click export, as the sandbox plays
 * it, and the API the customer then calls for what was exported:
 *
 *   sb_export()                     the export itself: the Export button of
 *                                   the Recruiter profile page (recruiter.c)
 *                                   and POST /sandbox/exports (control.c)
 *                                   both run it, so a test of one is a
 *                                   test of the other
 *   GET /v2/exportedCandidates?q=request&requestId=
 *                                   the exported candidate, the chosen job
 *                                   and the exporter, for the application
 *                                   the export went to (application token)
 *
 * LinkedIn's rules, checked in one transaction in this order, each refusal
 * a LinkedIn error body and nothing written:
 *   - the exporter holds an active Recruiter seat (a Hiring Manager seat
 *     may view profiles but not export): 403;
 *   - the candidate is a member: 404;
 *   - the chosen ATS (a customer application) has ONE_CLICK_EXPORT enabled
 *     in the exporter's organization, with a CALLBACK_URL: 404;
 *   - the job is one it synced there, visible to the exporter (no ACL, or
 *     the exporter among its assignees): 404; and LISTED: 400;
 *   - the seat has exported fewer than 300 candidates this calendar month
 *     (UTC): LinkedIn's documented "call volume limit for the Recruiter
 *     One-Click Export API is 300 per Recruiter seat per month" is a rate
 *     limit, and LinkedIn answers rate-limited calls with 429, so 429 with
 *     a Retry-After until the month ends (hirelink convention for the
 *     message; LinkedIn's words for this limit are not public).
 * The seat's row is locked first, so two exports of one seat at once are
 * counted one after the other and the 301st is refused however they race.
 * Then the export is stored (its requestId a new uuid v4) and its
 * EXPORT_CANDIDATE_PROFILE notification queued in the same transaction;
 * the delivery runner sends it once committed (notifications.c).
 */
#include <string.h>
#include <time.h>

#include "sandbox/sandbox.h"

/* LinkedIn's limit of exports per Recruiter seat per calendar month. */
#define MONTHLY_EXPORTS 300

/* ------------------------------------------------------------ helpers */

/* "urn:li:person:ID" or "ID" -> "ID". */
static const char *member_id_of(const char *s)
{
	return s && !strncmp(s, "urn:li:person:", 14) ? s + 14 : s;
}

/* The start of this month and of the next, UTC, in epoch ms. */
static void month_bounds(int64_t now_ms, int64_t *start, int64_t *next)
{
	time_t t = (time_t)(now_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	*start = (int64_t)timegm(&tm) * 1000;
	tm.tm_mon++; /* timegm normalises December + 1 */
	*next = (int64_t)timegm(&tm) * 1000;
}

static void refuse(struct sb_export *e, int status, int code,
		   const char *message)
{
	e->status = status;
	e->code = code;
	e->message = message;
}

/* ------------------------------------------------------------ the export */

struct export_run {
	struct sb_ctx *c;
	struct sb_export *e;
};

static int export_txn(struct db *db, struct arena *a, void *arg)
{
	struct export_run *run = arg;
	struct sb_export *e = run->e;
	struct arena *ra = run->c->a; /* for what outlives the run */
	int64_t exporter, seat, org, candidate, now = time_now_ms(), start,
							next;
	const char *url, *exporter_urn;
	struct db_row r;
	int rc;

	e->status = 0;
	e->retry_after = 0;
	e->ats_name = NULL;
	/* the exporter's seat, locked: its exports are counted below */
	rc = db_query_row(db, a, &r,
			  "SELECT m.id, m.urn_id, s.id, s.seat_type,"
			  " c.organization_id FROM members m"
			  " LEFT JOIN seats s ON s.member_id = m.id"
			  " AND s.active = 1"
			  " LEFT JOIN contracts c ON c.id = s.contract_id"
			  " WHERE m.urn_id = ?",
			  "s", member_id_of(e->exporter));
	if (rc == DB_NOT_FOUND) {
		refuse(e, 404, 0, "Exporter not found");
		return DB_OK;
	}
	if (rc != DB_OK)
		return rc;
	if (!r.v[2] || strcmp(r.v[3], "RECRUITER") != 0) {
		refuse(e, 403, 100,
		       "Not enough permissions to export: only Recruiter "
		       "seat holders can export candidates");
		return DB_OK;
	}
	exporter = db_int(&r, 0);
	exporter_urn = arena_printf(a, "urn:li:person:%s", r.v[1]);
	seat = db_int(&r, 2);
	org = db_int(&r, 4);
	if (!exporter_urn)
		return DB_ERROR;
	if ((rc = db_query_row(db, a, &r,
			       "SELECT id FROM seats WHERE id = ? FOR UPDATE",
			       "i", seat)) != DB_OK)
		return rc;

	rc = db_query_row(db, a, &r, "SELECT id FROM members WHERE urn_id = ?",
			  "s", member_id_of(e->member));
	if (rc == DB_NOT_FOUND) {
		refuse(e, 404, 0, "Member not found");
		return DB_OK;
	}
	if (rc != DB_OK)
		return rc;
	candidate = db_int(&r, 0);

	rc = db_query_row(db, a, &r,
			  "SELECT i.integration_name, k.config_value"
			  " FROM ats_integrations i"
			  " JOIN ats_integration_configs k"
			  " ON k.client_id = i.client_id"
			  " AND k.organization_id = i.organization_id"
			  " AND k.integration_type = i.integration_type"
			  " AND k.config_key = 'CALLBACK_URL'"
			  " WHERE i.client_id = ? AND i.organization_id = ?"
			  " AND i.integration_type = 'ONE_CLICK_EXPORT'"
			  " AND i.enabled = 1 AND k.config_value <> ''",
			  "si", e->client_id, org);
	if (rc == DB_NOT_FOUND) {
		refuse(e, 404, 0,
		       "One-Click Export is not enabled for this ATS");
		return DB_OK;
	}
	if (rc != DB_OK)
		return rc;
	e->ats_name = arena_strdup(ra, r.v[0]);
	url = r.v[1];

	rc = db_query_row(
	    db, a, &r,
	    "SELECT p.state FROM job_postings p"
	    " WHERE p.client_id = ? AND p.organization_id = ?"
	    " AND p.external_job_posting_id = ?"
	    " AND" SB_SQL_JOB_VISIBLE_TO_VIEWER,
	    "siss", e->client_id, org, e->job, exporter_urn);
	if (rc == DB_NOT_FOUND) {
		refuse(e, 404, 0, "Job posting not found");
		return DB_OK;
	}
	if (rc != DB_OK)
		return rc;
	if (strcmp(r.v[0], "LISTED") != 0) {
		refuse(e, 400, 0,
		       "The job posting is CLOSED: only LISTED jobs take "
		       "exports");
		return DB_OK;
	}

	month_bounds(now, &start, &next);
	if ((rc = db_query_row(db, a, &r,
			       "SELECT COUNT(*) FROM exports"
			       " WHERE seat_id = ? AND created_at >= ?",
			       "ii", seat, start)) != DB_OK)
		return rc;
	if (db_int(&r, 0) >= MONTHLY_EXPORTS) {
		refuse(e, 429, 0,
		       "Resource level throttle SEAT MONTH limit for calls to "
		       "this resource is reached.");
		e->retry_after = (next - now + 999) / 1000;
		return DB_OK;
	}

	if (sb_request_id(e->request_id) < 0)
		return DB_ERROR;
	if ((rc = db_exec(db, NULL,
			  "INSERT INTO exports (request_id, client_id,"
			  " organization_id, exporter_member_id, seat_id,"
			  " candidate_member_id, external_job_posting_id,"
			  " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			  "ssiiiisi", e->request_id, e->client_id, org,
			  exporter, seat, candidate, e->job, now)) != DB_OK)
		return rc;
	if ((rc = sb_delivery_queue(db, a, e->client_id, org, url,
				    SB_EVENT_EXPORT, e->request_id)) != DB_OK)
		return rc;
	e->status = 201;
	return DB_OK;
}

void sb_export(struct sb_ctx *c, struct sb_export *e)
{
	struct export_run run = {c, e};

	if (db_transaction(c->db, export_txn, &run) != DB_OK) {
		log_error("cannot export: %s", db_error(c->db));
		refuse(e, 503, 0, "Service Unavailable");
		return;
	}
	if (e->status == 201)
		sb_deliveries_wake(c->app);
}

/* ------------------------------------------------------------ the API */

/* The member's current position (the first of positions, without an end
 * date): title and company, arena-owned, "" when there is none. */
static void current_position(struct arena *a, const char *positions,
			     const char **title, const char **company)
{
	json_t *p = positions ? json_loads(positions, 0, NULL) : NULL;
	json_t *first = json_array_get(p, 0);

	*title = *company = "";
	if (first && !json_object_get(first, "endDate")) {
		const char *t =
		    json_string_value(json_object_get(first, "title"));
		const char *co =
		    json_string_value(json_object_get(first, "companyName"));
		*title = t ? arena_strdup(a, t) : "";
		*company = co ? arena_strdup(a, co) : "";
	}
	json_decref(p);
}

void sb_exported_candidates(struct sb_ctx *c)
{
	const char *client_id, *q = http_query(c->req, "q");
	const char *request_id = http_query(c->req, "requestId");
	const char *title, *company;
	struct db_row r;
	json_t *exporter, *candidate, *el;
	int64_t org;
	int rc;

	if (sb_app_caller(c, "exportedCandidates.FINDER-request.NO_VERSION",
			  &client_id, &org) < 0)
		return;
	if (!q || strcmp(q, "request") != 0) {
		sb_api_error(c, 400, 100,
			     "Invalid param. Please see errorDetails for more "
			     "information. (q)");
		return;
	}
	if (!request_id || !*request_id) {
		sb_api_error(c, 400, 100,
			     "Invalid param. Please see errorDetails for more "
			     "information. (requestId)");
		return;
	}
	/* Another application's export is not found: requestIds are no
	 * secret of the customer's. */
	rc = db_query_row(
	    c->db, c->a, &r,
	    "SELECT e.request_id, e.organization_id,"
	    " e.external_job_posting_id, e.created_at, e.seat_id,"
	    " x.urn_id, x.first_name, x.last_name, x.email,"
	    " m.urn_id, m.first_name, m.last_name, m.headline, m.location,"
	    " m.vanity_name, m.email, m.positions"
	    " FROM exports e JOIN members x ON x.id = e.exporter_member_id"
	    " JOIN members m ON m.id = e.candidate_member_id"
	    " WHERE e.request_id = ? AND e.client_id = ?",
	    "ss", request_id, client_id);
	if (rc == DB_NOT_FOUND) {
		sb_api_error(c, 404, 0, "Resource not found");
		return;
	}
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	current_position(c->a, r.v[16], &title, &company);
	exporter = json_pack("{s:s+, s:s+, s:s, s:s}", "member",
			     "urn:li:person:", r.v[5], "seat", "urn:li:seat:",
			     r.v[4], "firstName", r.v[6], "lastName", r.v[7]);
	if (exporter && r.v[8])
		json_object_set_new(exporter, "emailAddress",
				    json_string(r.v[8]));
	candidate = json_pack(
	    "{s:s+, s:s, s:s, s:s, s:s, s:s, s:s, s:s+}", "member",
	    "urn:li:person:", r.v[9], "firstName", r.v[10], "lastName",
	    r.v[11], "headline", r.v[12], "currentCompanyName", company,
	    "currentJobTitle", title, "location", r.v[13], "publicProfileUrl",
	    "https://www.linkedin.com/in/", r.v[14]);
	/* The email only when the member shares one (hirelink convention:
	 * the seeded members with an address share it); a string, as
	 * LinkedIn sends it since March 2024. */
	if (candidate && r.v[15])
		json_object_set_new(candidate, "emailAddress",
				    json_string(r.v[15]));
	el = json_pack("{s:s, s:s+, s:s, s:I, s:o, s:o}", "requestId", r.v[0],
		       "integrationContext", "urn:li:organization:", r.v[1],
		       "externalJobPostingId", r.v[2], "exportedAt",
		       (json_int_t)db_int(&r, 3), "exporter", exporter,
		       "candidate", candidate);
	sb_json(c, 200,
		json_pack("{s:[o], s:{s:i, s:i, s:i}}", "elements", el,
			  "paging", "start", 0, "count", 10, "total", 1));
}
