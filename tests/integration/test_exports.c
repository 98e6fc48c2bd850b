/*
 * test_exports.c - a LinkedIn Recruiter export applied to the database
 * (src/ats/exports.c, ats_export_apply) on the test stack's own database,
 * migrated as hirelink runs it: every rule of inbound.h, one by one, with
 * what a recruiter then finds (the candidate, the application on the
 * Prospect stage, the event's result and reason).  The HTTP side (the
 * signed callback) is test_notifications.c's.
 *
 * The events are inserted here as rows, not through the callback: nothing
 * marks them in the outbox, so no worker of the stack takes them.
 *
 * Needs HIRELINK_TEST_DB_SOCKET and HIRELINK_TEST_DB_USER (scripts/check.sh
 * sets them); the database is `hirelink`.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "ats/applications.h"
#include "ats/inbound.h"
#include "ats/jobs.h"
#include "core/core.h"
#include "db/db.h"
#include "linkedin/sync.h"
#include "../suite.h"

static struct db *db;
static struct arena *a;
static char tag[32]; /* this run's */

/* The fixture's people and jobs. */
static int64_t admin, rec, rec2, hm, iv, gone;
static int64_t j_open, j_other, j_unassigned, j_no_prospect, j_closed,
    j_draft;

#define Q(...) q_int(__VA_ARGS__)

/* The first column of sql's first row with one or two parameters
 * (types "", "i", "s" or "ii"); -1 when it fails or finds nothing. */
static int64_t q_int(const char *sql, const char *types, ...)
{
	struct db_row r;
	va_list ap;
	va_start(ap, types);
	int rc;
	if (!strcmp(types, ""))
		rc = db_query_row(db, a, &r, sql, "");
	else if (!strcmp(types, "i"))
		rc = db_query_row(db, a, &r, sql, "i", va_arg(ap, int64_t));
	else if (!strcmp(types, "s"))
		rc = db_query_row(db, a, &r, sql, "s", va_arg(ap, const char *));
	else if (!strcmp(types, "ii")) {
		int64_t x = va_arg(ap, int64_t), y = va_arg(ap, int64_t);
		rc = db_query_row(db, a, &r, sql, "ii", x, y);
	} else
		rc = DB_ERROR;
	va_end(ap);
	return rc == DB_OK ? db_int(&r, 0) : -1;
}

static const char *q_str(const char *sql, int64_t id)
{
	struct db_row r;
	if (db_query_row(db, a, &r, sql, "i", id) != DB_OK)
		return "(none)";
	return r.v[0] ? r.v[0] : "(null)";
}

static int64_t user_add(const char *who, const char *role, bool active)
{
	char email[128];
	snprintf(email, sizeof(email), "%s.%s@exports.hirelink.test", who, tag);
	char *name = arena_printf(a, "%s %s", who, tag);
	if (db_exec(db, NULL,
		    "INSERT INTO users (email, name, password_hash, role, "
		    "active) VALUES (?, ?, 'x', ?, ?)",
		    "sssi", email, name, role, (int64_t)active) != DB_OK)
		return -1;
	return (int64_t)db_insert_id(db);
}

/* A job with the stages named by kinds ("prospect,screen"; "" none). */
static int64_t job_add(const char *status, const char *kinds)
{
	char *title = arena_printf(a, "Export job %s %s", status, tag);
	if (db_exec(db, NULL,
		    "INSERT INTO jobs (title, description, status) VALUES (?, "
		    "'', ?)",
		    "ss", title, status) != DB_OK)
		return -1;
	int64_t id = (int64_t)db_insert_id(db);
	char *list = arena_strdup(a, kinds), *save = NULL;
	int pos = 1;
	for (char *k = strtok_r(list, ",", &save); k;
	     k = strtok_r(NULL, ",", &save), pos++)
		if (db_exec(db, NULL,
			    "INSERT INTO job_stages (job_id, name, kind, "
			    "position) VALUES (?, ?, ?, ?)",
			    "issi", id, k, k, (int64_t)pos) != DB_OK)
			return -1;
	return id;
}

static int member_add(int64_t job, int64_t user, const char *role)
{
	return db_exec(db, NULL,
		       "INSERT INTO job_members (job_id, user_id, role) VALUES "
		       "(?, ?, ?)",
		       "iis", job, user, role);
}

/* The exporter's member URN for a fixture user. */
static const char *urn_of(const char *who)
{
	return arena_printf(a, "urn:li:person:%s%s", who, tag);
}

static int connect_member(int64_t user, const char *who)
{
	return db_exec(db, NULL,
		       "INSERT INTO linkedin_connections (user_id, member_id, "
		       "member_urn, seat_type) VALUES (?, ?, ?, 'recruiter')",
		       "iss", user, urn_of(who) + strlen("urn:li:person:"),
		       urn_of(who));
}

static int suite_init(void)
{
	struct db_options o = {
	    .socket = getenv("HIRELINK_TEST_DB_SOCKET"),
	    .user = getenv("HIRELINK_TEST_DB_USER"),
	    .name = "hirelink",
	};
	snprintf(tag, sizeof(tag), "x%ld", (long)getpid());
	db = db_open(&o);
	a = arena_new(64 * 1024);
	if (!db || !a)
		return 1;
	admin = user_add("admin", "admin", true);
	rec = user_add("rita", "recruiter", true);
	rec2 = user_add("rolf", "recruiter", true);
	hm = user_add("hank", "hiring_manager", true);
	iv = user_add("ivy", "interviewer", true);
	gone = user_add("gus", "recruiter", false);
	j_open = job_add("active", "prospect,screen,interview");
	j_other = job_add("active", "screen,prospect");
	j_unassigned = job_add("active", "prospect");
	j_no_prospect = job_add("active", "screen,interview");
	j_closed = job_add("closed", "prospect");
	j_draft = job_add("draft", "prospect");
	if (admin < 0 || rec < 0 || rec2 < 0 || hm < 0 || iv < 0 || gone < 0 ||
	    j_open < 0 || j_other < 0 || j_unassigned < 0 ||
	    j_no_prospect < 0 || j_closed < 0 || j_draft < 0)
		return 1;
	int64_t member_jobs[] = {j_open, j_other, j_no_prospect, j_closed,
				 j_draft};
	for (size_t i = 0; i < ARRAY_LEN(member_jobs); i++)
		if (member_add(member_jobs[i], rec, "recruiter") ||
		    member_add(member_jobs[i], hm, "hiring_manager") ||
		    member_add(member_jobs[i], iv, "interviewer"))
			return 1;
	if (connect_member(rec, "rita") || connect_member(hm, "hank") ||
	    connect_member(iv, "ivy") || connect_member(gone, "gus"))
		return 1;
	return 0;
}

static int suite_clean(void)
{
	db_close(db);
	arena_free(a);
	return 0;
}

/* A received event, as the callback stores it (no outbox mark). */
static int64_t event_add(void)
{
	static int n;
	char *rid = arena_printf(a, "exports-%s-%d", tag, ++n);
	if (db_exec(db, NULL,
		    "INSERT INTO inbound_events (request_id, event_type, body) "
		    "VALUES (?, 'EXPORT_CANDIDATE_PROFILE', '{}')",
		    "s", rid) != DB_OK)
		return -1;
	return (int64_t)db_insert_id(db);
}

/* An export by exporter (a fixture name: its member URN, and email
 * <who>.<tag>@exports...) of member (a name of this run) to job. */
static struct ats_export export_of(const char *exporter, const char *member,
				   int64_t job)
{
	struct ats_export x = {
	    .job_posting_id = arena_printf(a, "abcd1234-J-%05lld",
					   (long long)job),
	    .job_id = job,
	    .exporter = {urn_of(exporter), "Exp", exporter,
			 arena_printf(a, "%s.%s@elsewhere.test", exporter,
				      tag)},
	    .candidate = {arena_printf(a, "%s%s", member, tag), "Mia",
			  arena_printf(a, "%s %s", member, tag),
			  "Builds things", "Staff engineer", "Acme",
			  "Lisbon, Portugal",
			  arena_printf(a, "https://www.linkedin.com/in/%s-%s",
				       member, tag),
			  ""},
	};
	return x;
}

static struct ats_export_result apply(const struct ats_export *x,
				      int64_t *event)
{
	struct ats_export_result res;
	*event = event_add();
	CU_ASSERT_FATAL(*event > 0);
	CU_ASSERT_EQUAL(ats_export_apply(db, a, *event, x, &res), DB_OK);
	return res;
}

static int64_t candidates_of_member(const char *member)
{
	return Q("SELECT COUNT(*) FROM candidates WHERE linkedin_member_id = ?",
		 "s", arena_printf(a, "%s%s", member, tag));
}

/* ------------------------------------------------------------ applied */

static void new_member_lands_on_the_prospect_stage(void)
{
	int64_t ev;
	struct ats_export x = export_of("rita", "newbie", j_open);
	x.candidate.email = arena_printf(a, "Newbie.%s@Mail.test", tag);
	struct ats_export_result r = apply(&x, &ev);

	CU_ASSERT_STRING_EQUAL(r.status, "applied");
	CU_ASSERT_STRING_EQUAL(r.reason, "");
	CU_ASSERT(r.candidate_created);
	CU_ASSERT_EQUAL(r.user_id, rec);
	CU_ASSERT(r.candidate_id > 0 && r.application_id > 0);
	/* the candidate, with what LinkedIn gave */
	struct db_row c;
	CU_ASSERT_EQUAL_FATAL(
	    db_query_row(db, a, &c,
			 "SELECT first_name, last_name, headline, "
			 "current_title, current_company, location, "
			 "linkedin_url, email, linkedin_member_id, source, "
			 "created_by FROM candidates WHERE id = ?",
			 "i", r.candidate_id),
	    DB_OK);
	CU_ASSERT_STRING_EQUAL(c.v[0], "Mia");
	CU_ASSERT_STRING_EQUAL(c.v[2], "Builds things");
	CU_ASSERT_STRING_EQUAL(c.v[3], "Staff engineer");
	CU_ASSERT_STRING_EQUAL(c.v[4], "Acme");
	CU_ASSERT_STRING_EQUAL(c.v[5], "Lisbon, Portugal");
	CU_ASSERT_STRING_EQUAL(c.v[6], x.candidate.profile_url);
	CU_ASSERT(c.v[7] && !strcmp(c.v[7], arena_printf(a,
							"newbie.%s@mail.test",
							tag)));
	CU_ASSERT_STRING_EQUAL(c.v[8], x.candidate.member_id);
	CU_ASSERT_STRING_EQUAL(c.v[9], INBOUND_EXPORT_SOURCE);
	CU_ASSERT_EQUAL(db_int(&c, 10), rec);
	/* the application: at the job's Prospect stage, by the exporter */
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT s.kind FROM applications ap JOIN job_stages s ON "
		  "s.id = ap.stage_id WHERE ap.id = ?",
		  r.application_id),
	    "prospect");
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT source FROM applications WHERE id = ?",
		  r.application_id),
	    INBOUND_EXPORT_SOURCE);
	CU_ASSERT_EQUAL(Q("SELECT created_by FROM applications WHERE id = ?",
			  "i", r.application_id),
			rec);
	CU_ASSERT_EQUAL(Q("SELECT COUNT(*) FROM application_events WHERE "
			  "application_id = ? AND kind = 'created' AND "
			  "user_id = ?",
			  "ii", r.application_id, rec),
			1);
	CU_ASSERT_EQUAL(Q("SELECT COUNT(*) FROM audit_log WHERE action = "
			  "'application.create' AND entity_id = ? AND "
			  "user_id = ?",
			  "ii", r.application_id, rec),
			1);
	/* the event says so */
	struct inbound_event e;
	CU_ASSERT_EQUAL_FATAL(ats_inbound_get(db, a, ev, &e), DB_OK);
	CU_ASSERT_STRING_EQUAL(e.status, "applied");
	CU_ASSERT_EQUAL(e.exporter_user_id, rec);
	CU_ASSERT_EQUAL(e.job_id, j_open);
	CU_ASSERT_EQUAL(e.candidate_id, r.candidate_id);
	CU_ASSERT_EQUAL(e.application_id, r.application_id);
	CU_ASSERT_STRING_EQUAL(e.exporter_member, urn_of("rita"));
	CU_ASSERT(strstr(e.exporter, "Exp rita") != NULL);
	CU_ASSERT_STRING_EQUAL(e.external_job_posting_id, x.job_posting_id);
}

static void one_member_to_two_jobs_is_one_candidate_two_applications(void)
{
	int64_t e1, e2;
	struct ats_export x1 = export_of("rita", "twojobs", j_open);
	struct ats_export x2 = export_of("hank", "twojobs", j_other);
	struct ats_export_result r1 = apply(&x1, &e1);
	struct ats_export_result r2 = apply(&x2, &e2);
	CU_ASSERT_STRING_EQUAL(r1.status, "applied");
	CU_ASSERT_STRING_EQUAL(r2.status, "applied");
	CU_ASSERT(r1.candidate_created && !r2.candidate_created);
	CU_ASSERT_EQUAL(r1.candidate_id, r2.candidate_id);
	CU_ASSERT(r1.application_id != r2.application_id);
	CU_ASSERT_EQUAL(candidates_of_member("twojobs"), 1);
	CU_ASSERT_EQUAL(Q("SELECT COUNT(*) FROM applications WHERE "
			  "candidate_id = ?",
			  "i", r1.candidate_id),
			2);
	/* j_other's pipeline starts with Screen: the export still lands
	 * on its Prospect stage */
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT s.kind FROM applications ap JOIN job_stages s ON "
		  "s.id = ap.stage_id WHERE ap.id = ?",
		  r2.application_id),
	    "prospect");
	CU_ASSERT_EQUAL(r2.user_id, hm);
}

/* In ATS (sync.c) sends nobody on Prospect alone: a member the export
 * creates leaves the worker nothing to read, and reaches LinkedIn once
 * moved past Prospect, as every candidate does. */
static void a_new_member_waits_for_in_ats_until_past_prospect(void)
{
	int64_t ev;
	struct ats_export x = export_of("rita", "prospectonly", j_open);
	struct ats_export_result r = apply(&x, &ev);
	CU_ASSERT_STRING_EQUAL(r.status, "applied");
	CU_ASSERT_FATAL(r.candidate_created);
	const char *marked = "SELECT COUNT(*) FROM outbox WHERE kind = "
			     "'candidate' AND entity_id = ?";
	CU_ASSERT_EQUAL(Q(marked, "i", r.candidate_id), 0);
	/* the worker's mark after the commit passes them over too */
	CU_ASSERT_EQUAL(li_sync_mark_sent(db, a, &r.candidate_id, 1), DB_OK);
	CU_ASSERT_EQUAL(Q(marked, "i", r.candidate_id), 0);

	struct user u = {.id = admin,
			 .email = "",
			 .name = "Admin",
			 .role = ROLE_ADMIN,
			 .seat = "",
			 .active = true};
	struct ats_error err = {0};
	int64_t screen = Q("SELECT id FROM job_stages WHERE job_id = ? AND "
			   "kind = 'screen'",
			   "i", j_open);
	int64_t version = Q("SELECT version FROM applications WHERE id = ?",
			    "i", r.application_id);
	CU_ASSERT_EQUAL_FATAL(ats_application_move(db, a, &u, r.application_id,
						   screen, version, "", &err),
			      DB_OK);
	/* marked (or, if the stack's worker was quick, at LinkedIn); an
	 * export of them now is marked after its commit */
	int64_t e2;
	struct ats_export x2 = export_of("hank", "prospectonly", j_other);
	CU_ASSERT_STRING_EQUAL(apply(&x2, &e2).status, "applied");
	CU_ASSERT_EQUAL(li_sync_mark_sent(db, a, &r.candidate_id, 1), DB_OK);
	CU_ASSERT_EQUAL(Q("SELECT (SELECT COUNT(*) FROM outbox WHERE kind = "
			  "'candidate' AND entity_id = ?) + (SELECT COUNT(*) "
			  "FROM linkedin_sync WHERE candidate_id = ? AND "
			  "kind = 'candidate')",
			  "ii", r.candidate_id, r.candidate_id) > 0,
			true);
}

static void a_candidate_with_the_email_is_reused_and_linked(void)
{
	char *email = arena_printf(a, "known.%s@mail.test", tag);
	CU_ASSERT_EQUAL_FATAL(
	    db_exec(db, NULL,
		    "INSERT INTO candidates (first_name, last_name, email) "
		    "VALUES ('Known', ?, ?)",
		    "ss", tag, email),
	    DB_OK);
	int64_t known = (int64_t)db_insert_id(db), ev;
	struct ats_export x = export_of("rita", "known", j_open);
	x.candidate.email = arena_printf(a, "KNOWN.%s@mail.test", tag);
	struct ats_export_result r = apply(&x, &ev);
	CU_ASSERT_STRING_EQUAL(r.status, "applied");
	CU_ASSERT(!r.candidate_created);
	CU_ASSERT_EQUAL(r.candidate_id, known);
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT linkedin_member_id FROM candidates WHERE id = ?",
		  known),
	    x.candidate.member_id);
	/* the record's own fields are the recruiters', not overwritten */
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT first_name FROM candidates WHERE id = ?", known),
	    "Known");
	CU_ASSERT_EQUAL(candidates_of_member("known"), 1);
	CU_ASSERT_EQUAL(Q("SELECT COUNT(*) FROM audit_log WHERE action = "
			  "'candidate.link_member' AND entity_id = ?",
			  "i", known),
			1);
}

static void the_exporter_is_found_by_email_without_a_connect_link(void)
{
	int64_t ev;
	/* the admin has no Connect link: their seat's email is theirs */
	struct ats_export x = export_of("nolink", "byemail", j_open);
	x.exporter.email = arena_printf(a, "ADMIN.%s@exports.hirelink.test",
					tag);
	struct ats_export_result r = apply(&x, &ev);
	CU_ASSERT_STRING_EQUAL(r.status, "applied");
	CU_ASSERT_EQUAL(r.user_id, admin);
}

static void an_unassigned_job_takes_any_recruiters_export(void)
{
	int64_t ev;
	struct ats_export x = export_of("rolf", "unassigned", j_unassigned);
	x.exporter.email = arena_printf(a, "rolf.%s@exports.hirelink.test",
					tag);
	struct ats_export_result r = apply(&x, &ev);
	CU_ASSERT_STRING_EQUAL(r.status, "applied");
	CU_ASSERT_EQUAL(r.user_id, rec2);
}

static void the_same_export_is_applied_once(void)
{
	int64_t ev;
	struct ats_export x = export_of("rita", "twice", j_open);
	struct ats_export_result r = apply(&x, &ev), again;
	CU_ASSERT_STRING_EQUAL(r.status, "applied");
	/* the worker died after the commit and its row came back */
	CU_ASSERT_EQUAL(ats_export_apply(db, a, ev, &x, &again), DB_OK);
	CU_ASSERT_PTR_NULL(again.status);
	CU_ASSERT_EQUAL(Q("SELECT COUNT(*) FROM applications WHERE "
			  "candidate_id = ?",
			  "i", r.candidate_id),
			1);
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT status FROM inbound_events WHERE id = ?", ev),
	    "applied");

	/* another export of the member to the job: no second application,
	 * the one there is named */
	int64_t ev2;
	struct ats_export_result r2 = apply(&x, &ev2);
	CU_ASSERT_STRING_EQUAL(r2.status, "refused");
	CU_ASSERT_EQUAL(r2.application_id, r.application_id);
	CU_ASSERT(strstr(r2.reason, "already") != NULL);
	CU_ASSERT(strstr(r2.reason,
			 arena_printf(a, "application %lld",
				      (long long)r.application_id)) != NULL);
	CU_ASSERT_EQUAL(Q("SELECT application_id FROM inbound_events WHERE "
			  "id = ?",
			  "i", ev2),
			r.application_id);
	CU_ASSERT_EQUAL(Q("SELECT COUNT(*) FROM applications WHERE "
			  "candidate_id = ?",
			  "i", r.candidate_id),
			1);
}

static void linkedin_text_is_made_to_fit(void)
{
	int64_t ev;
	struct ats_export x = export_of("rita", "longtext", j_open);
	char *longh = arena_alloc(a, 301);
	memset(longh, 'h', 300);
	longh[300] = '\0';
	x.candidate.headline = longh;
	x.candidate.current_title = "Line one\nline two";
	/* neither kept as such: the candidate is made without them */
	x.candidate.profile_url = "http://example.com/not-linkedin";
	x.candidate.email = "not an email";
	struct ats_export_result r = apply(&x, &ev);
	CU_ASSERT_STRING_EQUAL(r.status, "applied");
	CU_ASSERT_EQUAL(Q("SELECT CHAR_LENGTH(headline) FROM candidates WHERE "
			  "id = ?",
			  "i", r.candidate_id),
			200);
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT current_title FROM candidates WHERE id = ?",
		  r.candidate_id),
	    "Line one line two");
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT linkedin_url FROM candidates WHERE id = ?",
		  r.candidate_id),
	    "");
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT COALESCE(email, '') FROM candidates WHERE id = ?",
		  r.candidate_id),
	    "");
}

/* ------------------------------------------------------------ refused */

/* An export that must be refused with a reason containing want: nothing
 * but the event is written. */
static void refused(struct ats_export *x, const char *member,
		    const char *want)
{
	int64_t ev;
	int64_t apps = Q("SELECT COUNT(*) FROM applications", "");
	struct ats_export_result r = apply(x, &ev);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.status);
	CU_ASSERT_STRING_EQUAL(r.status, "refused");
	if (!strstr(r.reason, want))
		fprintf(stderr, "\nreason \"%s\" lacks \"%s\"\n", r.reason,
			want);
	CU_ASSERT(strstr(r.reason, want) != NULL);
	CU_ASSERT_EQUAL(r.application_id, 0);
	CU_ASSERT_EQUAL(candidates_of_member(member), 0);
	CU_ASSERT_EQUAL(Q("SELECT COUNT(*) FROM applications", ""), apps);
	struct inbound_event e;
	CU_ASSERT_EQUAL_FATAL(ats_inbound_get(db, a, ev, &e), DB_OK);
	CU_ASSERT_STRING_EQUAL(e.status, "refused");
	CU_ASSERT_STRING_EQUAL(e.reason, r.reason);
	CU_ASSERT_EQUAL(e.candidate_id, 0);
}

static void an_unknown_exporter_is_refused(void)
{
	struct ats_export x = export_of("stranger", "fromstranger", j_open);
	refused(&x, "fromstranger", "is not a hirelink user");
}

static void a_deactivated_exporter_is_refused(void)
{
	struct ats_export x = export_of("gus", "fromgus", j_unassigned);
	refused(&x, "fromgus", "is deactivated");
}

static void an_interviewer_is_refused(void)
{
	struct ats_export x = export_of("ivy", "fromivy", j_open);
	refused(&x, "fromivy", "is an interviewer");
}

static void a_recruiter_not_on_the_job_is_refused(void)
{
	struct ats_export x = export_of("rolf", "fromrolf", j_open);
	x.exporter.email = arena_printf(a, "rolf.%s@exports.hirelink.test",
					tag);
	refused(&x, "fromrolf", "not on job");
}

static void a_hiring_manager_not_on_the_job_is_refused(void)
{
	struct ats_export x = export_of("hank", "fromhank", j_unassigned);
	refused(&x, "fromhank", "not the hiring manager");
}

static void a_job_without_prospect_stage_is_refused(void)
{
	struct ats_export x = export_of("rita", "noprospect", j_no_prospect);
	refused(&x, "noprospect", "has no Prospect stage");
}

static void a_closed_or_draft_job_is_refused(void)
{
	struct ats_export x = export_of("rita", "closedjob", j_closed);
	refused(&x, "closedjob", "is closed, not active");
	x = export_of("rita", "draftjob", j_draft);
	refused(&x, "draftjob", "is a draft, not active");
}

static void a_job_that_is_not_ours_is_refused(void)
{
	struct ats_export x = export_of("rita", "notours", 0);
	x.job_posting_id = "someoneelse-42";
	refused(&x, "notours", "is not one of this hirelink's jobs");
	x = export_of("rita", "nojob", 999999999);
	refused(&x, "nojob", "does not exist");
}

static void an_admin_retry_brings_a_refused_event_back(void)
{
	int64_t ev;
	struct ats_export x = export_of("rita", "retried", j_no_prospect);
	struct ats_export_result r = apply(&x, &ev);
	CU_ASSERT_STRING_EQUAL(r.status, "refused");
	CU_ASSERT_EQUAL(ats_inbound_retry(db, admin, ev, "127.0.0.1"), DB_OK);
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT status FROM inbound_events WHERE id = ?", ev),
	    "received");
	/* the admin gave the job its Prospect stage meanwhile */
	CU_ASSERT_EQUAL(db_exec(db, NULL,
				"INSERT INTO job_stages (job_id, name, kind, "
				"position) VALUES (?, 'Prospect', 'prospect', "
				"0)",
				"i", j_no_prospect),
			DB_OK);
	CU_ASSERT_EQUAL(ats_export_apply(db, a, ev, &x, &r), DB_OK);
	CU_ASSERT_STRING_EQUAL(r.status, "applied");
	/* only a failed or refused one comes back */
	CU_ASSERT_EQUAL(ats_inbound_retry(db, admin, ev, "127.0.0.1"),
			DB_NOT_FOUND);
	CU_ASSERT_EQUAL(ats_inbound_retry(db, admin, 999999999, "127.0.0.1"),
			DB_NOT_FOUND);
}

/* ------------------------------------------------------------ batches */

/* A worker's batch in one transaction (ats_export_apply_many): each export
 * gets its own result, and one that cannot be applied (it has its result
 * already, or its event is gone) has its own writes undone, not the
 * others'. */
static void a_batch_applies_each_export_on_its_own(void)
{
	enum { N = 6 };
	int64_t ev[N];
	struct ats_export x[N] = {
	    export_of("rita", "batchnew", j_open),
	    export_of("hank", "batchnew", j_other),
	    export_of("rita", "batchref", j_closed),
	    export_of("rolf", "batchdone", j_unassigned),
	    export_of("rita", "batchgone", j_open),
	    export_of("rita", "batchnone", j_open),
	};
	x[3].exporter.email =
	    arena_printf(a, "rolf.%s@exports.hirelink.test", tag);
	for (int i = 0; i < N - 1; i++) {
		ev[i] = event_add();
		CU_ASSERT_FATAL(ev[i] > 0);
	}
	ev[N - 1] = 999999999; /* no such event */
	/* event 3 was applied before (the worker died after the commit and
	 * its row came back); event 4 was refused meanwhile */
	struct ats_export_result first;
	CU_ASSERT_EQUAL_FATAL(ats_export_apply(db, a, ev[3], &x[3], &first),
			      DB_OK);
	CU_ASSERT_STRING_EQUAL(first.status, "applied");
	CU_ASSERT_EQUAL_FATAL(db_exec(db, NULL,
				      "UPDATE inbound_events SET status = "
				      "'refused' WHERE id = ?",
				      "i", ev[4]),
			      DB_OK);

	struct ats_export_result r[N];
	int rcs[N];
	CU_ASSERT_EQUAL_FATAL(ats_export_apply_many(db, a, N, ev, x, r, rcs),
			      DB_OK);
	/* the same member to two jobs in one batch: one candidate, two
	 * applications (whichever the batch applied first created it) */
	CU_ASSERT_EQUAL(rcs[0], DB_OK);
	CU_ASSERT_EQUAL(rcs[1], DB_OK);
	CU_ASSERT_STRING_EQUAL(r[0].status, "applied");
	CU_ASSERT_STRING_EQUAL(r[1].status, "applied");
	CU_ASSERT(r[0].candidate_created != r[1].candidate_created);
	CU_ASSERT_EQUAL(r[0].candidate_id, r[1].candidate_id);
	CU_ASSERT_EQUAL(candidates_of_member("batchnew"), 1);
	CU_ASSERT_EQUAL(Q("SELECT COUNT(*) FROM applications WHERE "
			  "candidate_id = ?",
			  "i", r[0].candidate_id),
			2);
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT status FROM inbound_events WHERE id = ?", ev[1]),
	    "applied");
	/* a refusal is a result of its own */
	CU_ASSERT_EQUAL(rcs[2], DB_OK);
	CU_ASSERT_STRING_EQUAL(r[2].status, "refused");
	CU_ASSERT(strstr(r[2].reason, "not active") != NULL);
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT status FROM inbound_events WHERE id = ?", ev[2]),
	    "refused");
	/* applied before: left alone, no second application */
	CU_ASSERT_EQUAL(rcs[3], DB_NOT_FOUND);
	CU_ASSERT_EQUAL(Q("SELECT COUNT(*) FROM applications WHERE "
			  "candidate_id = ?",
			  "i", first.candidate_id),
			1);
	CU_ASSERT_EQUAL(Q("SELECT application_id FROM inbound_events WHERE "
			  "id = ?",
			  "i", ev[3]),
			first.application_id);
	/* refused meanwhile, or no event at all: what their applies wrote
	 * (a new candidate each) is undone */
	CU_ASSERT_EQUAL(rcs[4], DB_NOT_FOUND);
	CU_ASSERT_EQUAL(rcs[5], DB_NOT_FOUND);
	CU_ASSERT_EQUAL(candidates_of_member("batchgone"), 0);
	CU_ASSERT_EQUAL(candidates_of_member("batchnone"), 0);
	CU_ASSERT_STRING_EQUAL(
	    q_str("SELECT status FROM inbound_events WHERE id = ?", ev[4]),
	    "refused");
	CU_ASSERT_EQUAL(Q("SELECT COUNT(*) FROM inbound_events WHERE id = ? "
			  "AND application_id IS NULL",
			  "i", ev[4]),
			1);
}

/* The jobs list is kept under the jobs' revision (ats_jobs_revision),
 * which a stage's counts move: a batch moves it once, with its commit
 * (sql/340), and leaves the triggers' bumps on for what its connection
 * writes next. */
static uint64_t jobs_revision(void)
{
	uint64_t n = 0;
	CU_ASSERT_EQUAL(ats_jobs_revision(db, a, &n), DB_OK);
	return n;
}

static void a_batch_moves_the_jobs_revision_once(void)
{
	int64_t ev[2] = {event_add(), event_add()};
	struct ats_export x[2] = {
	    export_of("rita", "revone", j_open),
	    export_of("rita", "revtwo", j_unassigned),
	};
	struct ats_export_result r[2];
	int rcs[2];
	CU_ASSERT_FATAL(ev[0] > 0 && ev[1] > 0);
	uint64_t before = jobs_revision();
	CU_ASSERT_EQUAL_FATAL(ats_export_apply_many(db, a, 2, ev, x, r, rcs),
			      DB_OK);
	CU_ASSERT_STRING_EQUAL(r[0].status, "applied");
	CU_ASSERT_STRING_EQUAL(r[1].status, "applied");
	uint64_t after = jobs_revision();
	CU_ASSERT_EQUAL(after, before + 1);
	/* a batch that applies nothing moves nothing */
	int64_t done[1] = {ev[0]};
	CU_ASSERT_EQUAL(ats_export_apply_many(db, a, 1, done, x, r, rcs),
			DB_OK);
	CU_ASSERT_EQUAL(rcs[0], DB_NOT_FOUND);
	CU_ASSERT_EQUAL(jobs_revision(), after);
	/* the same connection's next stage change bumps by its trigger */
	CU_ASSERT_EQUAL(db_exec(db, NULL,
				"UPDATE job_stages SET name = CONCAT(name, "
				"'.') WHERE job_id = ? AND kind = 'prospect'",
				"i", j_open),
			DB_OK);
	CU_ASSERT_EQUAL(jobs_revision(), after + 1);
	CU_ASSERT_EQUAL(db_exec(db, NULL,
				"UPDATE job_stages SET name = TRIM(TRAILING "
				"'.' FROM name) WHERE job_id = ? AND kind = "
				"'prospect'",
				"i", j_open),
			DB_OK);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(new_member_lands_on_the_prospect_stage),
	    TEST(one_member_to_two_jobs_is_one_candidate_two_applications),
	    TEST(a_new_member_waits_for_in_ats_until_past_prospect),
	    TEST(a_candidate_with_the_email_is_reused_and_linked),
	    TEST(the_exporter_is_found_by_email_without_a_connect_link),
	    TEST(an_unassigned_job_takes_any_recruiters_export),
	    TEST(the_same_export_is_applied_once),
	    TEST(linkedin_text_is_made_to_fit),
	    TEST(an_unknown_exporter_is_refused),
	    TEST(a_deactivated_exporter_is_refused),
	    TEST(an_interviewer_is_refused),
	    TEST(a_recruiter_not_on_the_job_is_refused),
	    TEST(a_hiring_manager_not_on_the_job_is_refused),
	    TEST(a_job_without_prospect_stage_is_refused),
	    TEST(a_closed_or_draft_job_is_refused),
	    TEST(a_job_that_is_not_ours_is_refused),
	    TEST(an_admin_retry_brings_a_refused_event_back),
	    TEST(a_batch_applies_each_export_on_its_own),
	    TEST(a_batch_moves_the_jobs_revision_once),
	};
	static const struct suite suites[] = {
	    SUITE("exports", suite_init, suite_clean, tests),
	};
	if (!getenv("HIRELINK_TEST_DB_SOCKET")) {
		fprintf(stderr, "test_exports: set HIRELINK_TEST_DB_SOCKET\n");
		return 2;
	}
	return suite_run(suites, ARRAY_LEN(suites));
}
