/*
 * inats.c - what LinkedIn Recruiter's In ATS indicator shows about a
 * member, built only from what one ATS (a customer application) synced:
 * its candidates linked to the member, each with its applications (Jobs &
 * Statuses: the job, the latest status, the progression), their interview
 * feedback, and the notes.
 *
 *   sb_inats()            the JSON both readers share
 *   GET /sandbox/inats    the test control's view (loopback only)
 *   recruiter.c           the profile page's In ATS panel
 *
 * A candidate is linked to a member as the profile widget shows it
 * (candidates.c's sb_candidate_member): the member an ATS user linked
 * (manualMatchedMember), else LinkedIn's one algorithmic match.  Finding
 * the candidates of a member scans the application's candidates whose
 * email, profile URL or last name could match it, then asks
 * sb_candidate_member of each, so the panel and the widget never
 * disagree.
 */
#include <string.h>
#include <time.h>

#include "sandbox/sandbox.h"

/* Candidates one member may be linked to, at most (considered, shown). */
#define CONSIDERED_MAX 200
#define LINKED_MAX     20

int sb_member_candidates(struct sb_ctx *c, const char *client, int64_t org,
			 int64_t member_id, const char ***ids, size_t *n)
{
	struct db_result res;
	struct db_row m;
	const char **out;
	int rc;

	*n = 0;
	*ids = NULL;
	rc = db_query_row(c->db, c->a, &m,
			  "SELECT email, vanity_name, last_name FROM members"
			  " WHERE id = ?",
			  "i", member_id);
	if (rc == DB_NOT_FOUND)
		return 0;
	if (rc != DB_OK)
		return -1;
	rc = db_query(
	    c->db, c->a, &res,
	    "SELECT ats_candidate_id FROM ats_candidates"
	    " WHERE client_id = ? AND organization_id = ?"
	    " AND entity IS NOT NULL AND (manual_member_id = ?"
	    " OR (manual_member_id IS NULL AND ("
	    "  (? IS NOT NULL AND JSON_CONTAINS(JSON_EXTRACT(entity,"
	    "   '$.emailAddresses'), JSON_QUOTE(?)))"
	    "  OR JSON_UNQUOTE(JSON_EXTRACT(entity, '$.linkedInProfileUrl'))"
	    "   LIKE CONCAT('%/in/', ?, '%')"
	    "  OR SOUNDEX(JSON_UNQUOTE(JSON_EXTRACT(entity, '$.lastName')))"
	    "   = SOUNDEX(?))))"
	    " ORDER BY ats_candidate_id LIMIT ?",
	    "siissssi", client, org, member_id, m.v[0], m.v[0], m.v[1], m.v[2],
	    (int64_t)CONSIDERED_MAX);
	if (rc != DB_OK)
		return -1;
	if (!(out = arena_calloc(c->a, res.nrows + 1, sizeof(*out))))
		return -1;
	for (size_t i = 0; i < res.nrows && *n < LINKED_MAX; i++) {
		int64_t linked;
		bool manual;
		if (sb_candidate_member(c, client, org, res.rows[i].v[0],
					&linked, &manual) < 0)
			return -1;
		if (linked == member_id)
			out[(*n)++] = res.rows[i].v[0];
	}
	*ids = out;
	return 0;
}

/* "2026-12-03" of epoch ms t; "" for none. */
static json_t *date_of(int64_t t)
{
	char out[16] = "";
	if (t > 0) {
		time_t s = (time_t)(t / 1000);
		struct tm tm;
		gmtime_r(&s, &tm);
		strftime(out, sizeof(out), "%Y-%m-%d", &tm);
	}
	return json_string(out);
}

/* e's member key, or JSON null; new. */
static json_t *member_of(json_t *e, const char *key)
{
	json_t *v = json_object_get(e, key);
	return v ? json_incref(v) : json_null();
}

/* The sub-entities of kind under parent, oldest first, as the export shape
 * for that kind; new, NULL on a database failure. */
static json_t *subs(struct sb_ctx *c, const char *client, int64_t org,
		    const char *parent_kind, const char *parent,
		    const char *kind)
{
	struct db_result res;
	json_t *out;

	if (db_query(c->db, c->a, &res,
		     "SELECT entity_id, entity, updated_at FROM ats_sub_entities"
		     " WHERE client_id = ? AND organization_id = ?"
		     " AND parent_kind = ? AND parent_id = ? AND kind = ?"
		     " ORDER BY ats_created_at, id",
		     "sisss", client, org, parent_kind, parent, kind) != DB_OK)
		return NULL;
	out = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		json_t *e = json_loads(res.rows[i].v[1], 0, NULL), *o;
		int64_t at;
		if (!e)
			e = json_object();
		at = json_integer_value(json_object_get(e, "atsCreatedAt"));
		o = json_pack("{s:s, s:o, s:o}", "id", res.rows[i].v[0],
			      "atsCreatedAt", member_of(e, "atsCreatedAt"),
			      "date", date_of(at));
		if (!strcmp(kind, "stage")) {
			json_object_set(o, "stage",
					json_object_get(e, "stage"));
		} else if (!strcmp(kind, "feedback")) {
			json_object_set_new(o, "feedback",
					    member_of(e, "feedback"));
			json_object_set_new(
			    o, "evaluations",
			    json_is_array(json_object_get(e, "evaluations"))
				? member_of(e, "evaluations")
				: json_array());
			json_object_set_new(o, "interviewer",
					    member_of(e, "interviewer"));
			json_object_set_new(o, "interviewType",
					    member_of(e, "interviewType"));
		} else {
			json_object_set_new(o, "note", member_of(e, "note"));
			json_object_set_new(o, "author",
					    member_of(e, "author"));
		}
		json_object_set_new(o, "storedAt",
				    json_integer(db_int(&res.rows[i], 2)));
		json_decref(e);
		json_array_append_new(out, o);
	}
	return out;
}

/* The applications of candidate id, by atsCreatedAt; new, NULL. */
static json_t *applications(struct sb_ctx *c, const char *client, int64_t org,
			    const char *id)
{
	struct db_result res;
	json_t *out;

	if (db_query(c->db, c->a, &res,
		     "SELECT ats_job_application_id, entity, updated_at"
		     " FROM ats_applications WHERE client_id = ?"
		     " AND organization_id = ? AND ats_candidate_id = ?"
		     " ORDER BY ats_job_application_id",
		     "sis", client, org, id) != DB_OK)
		return NULL;
	out = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		const char *app = res.rows[i].v[0];
		json_t *e = json_loads(res.rows[i].v[1], 0, NULL);
		json_t *stages =
		    subs(c, client, org, "application", app, "stage");
		json_t *fb =
		    subs(c, client, org, "application", app, "feedback");
		json_t *notes =
		    subs(c, client, org, "application", app, "note");
		json_t *state, *last, *o;
		if (!e)
			e = json_object();
		if (!stages || !fb || !notes) {
			json_decref(e);
			json_decref(stages);
			json_decref(fb);
			json_decref(notes);
			json_decref(out);
			return NULL;
		}
		state = json_object_get(e, "state");
		last = json_array_get(stages, json_array_size(stages) - 1);
		o = json_pack(
		    "{s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
		    "s:o}",
		    "atsJobApplicationId", app, "atsJobPostingId",
		    member_of(e, "atsJobPostingId"), "jobTitle",
		    member_of(e, "atsJobPostingName"), "state",
		    json_is_string(state) ? json_string_value(state) : "ACTIVE",
		    "dispositionReason", member_of(e, "dispositionReason"),
		    "source", member_of(e, "source"), "atsCreatedAt",
		    member_of(e, "atsCreatedAt"), "latestStage",
		    last ? json_incref(json_object_get(last, "stage"))
			 : json_null(),
		    "stages", stages, "interviewFeedback", fb, "notes", notes,
		    "date",
		    date_of(json_integer_value(
			json_object_get(e, "atsCreatedAt"))));
		json_object_set_new(o, "storedAt",
				    json_integer(db_int(&res.rows[i], 2)));
		json_decref(e);
		json_array_append_new(out, o);
	}
	return out;
}

json_t *sb_inats(struct sb_ctx *c, const char *client, int64_t org,
		 const char **ids, size_t n)
{
	json_t *out = json_array();

	for (size_t i = 0; i < n; i++) {
		struct db_row r;
		json_t *e, *apps, *notes, *o;
		int64_t member;
		bool manual;
		const char *urn = NULL;
		int rc =
		    db_query_row(c->db, c->a, &r,
				 "SELECT entity, updated_at FROM ats_candidates"
				 " WHERE client_id = ? AND organization_id = ?"
				 " AND ats_candidate_id = ?"
				 " AND entity IS NOT NULL",
				 "sis", client, org, ids[i]);
		if (rc == DB_NOT_FOUND)
			continue;
		if (rc != DB_OK || sb_candidate_member(c, client, org, ids[i],
						       &member, &manual) < 0)
			goto fail;
		if (member) {
			struct db_row m;
			if (db_query_row(c->db, c->a, &m,
					 "SELECT urn_id FROM members"
					 " WHERE id = ?",
					 "i", member) != DB_OK)
				goto fail;
			urn = arena_printf(c->a, "urn:li:person:%s", m.v[0]);
		}
		apps = applications(c, client, org, ids[i]);
		notes = subs(c, client, org, "candidate", ids[i], "note");
		if (!apps || !notes) {
			json_decref(apps);
			json_decref(notes);
			goto fail;
		}
		e = json_loads(r.v[0], 0, NULL);
		if (!e)
			e = json_object();
		o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:s?, s:o, s:o}",
			      "atsCandidateId", ids[i], "firstName",
			      member_of(e, "firstName"), "lastName",
			      member_of(e, "lastName"), "currentCompanyName",
			      member_of(e, "currentCompanyName"),
			      "currentJobTitle",
			      member_of(e, "currentJobTitle"), "member", urn,
			      "applications", apps, "notes", notes);
		json_object_set_new(o, "storedAt", json_integer(db_int(&r, 1)));
		json_decref(e);
		json_array_append_new(out, o);
	}
	return json_pack("{s:o}", "candidates", out);
fail:
	json_decref(out);
	return NULL;
}

/* GET /sandbox/inats?clientId=&atsCandidateId= | &member= */
void sb_control_inats(struct sb_ctx *c)
{
	const char *client = http_query(c->req, "clientId");
	const char *cand = http_query(c->req, "atsCandidateId");
	const char *member = http_query(c->req, "member");
	const char **ids = &cand;
	struct db_row r;
	size_t n = 1;
	int64_t org;
	json_t *out;
	int rc;

	if (sb_control_refused(c))
		return;
	if (!client || !*client) {
		sb_control_bad(c, "clientId is required");
		return;
	}
	if (!(cand && *cand) == !(member && *member)) {
		sb_control_bad(c, "give atsCandidateId or member");
		return;
	}
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT organization_id FROM applications"
			  " WHERE client_id = ?",
			  "s", client);
	if (rc != DB_OK) {
		if (rc == DB_NOT_FOUND)
			sb_control_error(c, 404, "no such application");
		else
			sb_db_fail(c);
		return;
	}
	org = db_int(&r, 0);
	if (member && *member) {
		int64_t mid = sb_member_lookup(c, member);
		if (mid < 0) {
			sb_db_fail(c);
			return;
		}
		if (!mid) {
			sb_control_error(c, 404, "no such member");
			return;
		}
		if (sb_member_candidates(c, client, org, mid, &ids, &n) < 0) {
			sb_db_fail(c);
			return;
		}
	}
	if (!(out = sb_inats(c, client, org, ids, n))) {
		sb_db_fail(c);
		return;
	}
	sb_json(c, 200, out);
}
