/*
 * test_data_protection.c - issue 16's data-protection duties end to end:
 *   - an admin deletes a candidate (a reason, a confirmation that works
 *     without JavaScript): the candidate goes with notes, feedback,
 *     attachments (the files too), applications and pool memberships; no
 *     trace of the name, email or phone is left in a dump of the database
 *     or in the attachment folder; the job's stage counters are exact
 *     again (recounted, even after they had drifted); an anonymised
 *     tombstone stays for job statistics; the In ATS tombstone is queued
 *     for LinkedIn; the audit names no one;
 *   - closed profiles: a member who shared their contact details (a
 *     stub, so a candidate of the LinkedIn pool) closes their LinkedIn
 *     account at the sandbox; the check (Check now on
 *     /admin/linkedin/closed) lists the candidate; Erase (confirmed)
 *     removes the member id, the profile fields, the stub's fields and the
 *     member's Recruiting activities, keeps the candidate, and is audited.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

static const struct itest_li_app *li;
static char *run;
static struct itest_person ada, rita;
static long long job, screen, prospect_stage;

static void sleep_ms(int ms)
{
	usleep((useconds_t)ms * 1000);
}

/* The test stack's data_dir, from its config; new. */
static char *data_dir(void)
{
	FILE *f = fopen(itest_env("HIRELINK_CONFIG"), "r");
	char line[1024], *dir = NULL;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "data_dir = ", 11))
			continue;
		line[strcspn(line, "\n")] = 0;
		dir = itest_strdup(line + 11);
	}
	if (f)
		fclose(f);
	return dir ? dir : itest_strdup("");
}

/* Runs cmd through the shell; its output, new ("" when none). */
static char *shell(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	while (p && (n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&b, chunk, n);
	if (p)
		pclose(p);
	char *out = itest_strdup(buf_failed(&b) ? "" : b.data);
	buf_release(&b);
	return out;
}

/* Every row of the app's database, as mariadb-dump writes them; new. */
static char *db_dump(void)
{
	char *cmd = itest_fmt(
	    "mariadb-dump --no-defaults -S '%s' -u '%s' --single-transaction "
	    "--skip-triggers --skip-extended-insert hirelink 2>&1",
	    itest_env("HIRELINK_TEST_DB_SOCKET"),
	    itest_env("HIRELINK_TEST_DB_USER"));
	char *out = shell(cmd);
	free(cmd);
	return out;
}

/* The files under dir holding needle (grep -rl), new ("" none). */
static char *grep_dir(const char *dir, const char *needle)
{
	char *cmd = itest_fmt("grep -rlF -- '%s' '%s' 2>/dev/null", needle,
			      dir);
	char *out = shell(cmd);
	free(cmd);
	return out;
}

/* POSTs one file as multipart field "file" on candidate id as c. */
static long upload(struct itest_client *c, long long id, const char *filename,
		   const char *text)
{
	char *csrf = itest_csrf_of(c, "/jobs");
	const char *boundary = "----hirelinkDataProtection9xQ";
	char *body = itest_fmt(
	    "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s"
	    "\r\n--%s\r\nContent-Disposition: form-data; name=\"file\"; "
	    "filename=\"%s\"\r\nContent-Type: text/plain\r\n\r\n%s\r\n--%s--"
	    "\r\n",
	    boundary, csrf, boundary, filename, text, boundary);
	char *ct = itest_fmt("multipart/form-data; boundary=%s", boundary);
	char *path = itest_fmt("/candidates/%lld/attachments", id);
	struct itest_resp r =
	    itest_request(c, "POST", path, false, ct, body, strlen(body), NULL);
	long st = r.status;
	if (st >= 400)
		itest_dump(&r);
	itest_resp_free(&r);
	free(path);
	free(ct);
	free(body);
	free(csrf);
	return st;
}

/* A sandbox member without a seat, by this run's pid, in a range other
 * tests do not use; new. */
static char *free_member(int slot)
{
	int pid = (int)getpid();
	return itest_sandbox_sql_str(
	    "SELECT urn_id FROM members WHERE seat = 'none' AND id > 200 "
	    "ORDER BY id DESC LIMIT 1 OFFSET %d",
	    (pid % 300) * 4 + slot);
}

/* ------------------------------------------------------------ set-up */

static int suite_init(void)
{
	run = itest_unique("dp");
	li = itest_li_app();
	if (!li || !run ||
	    itest_person_add(&ada, "ada", "Protection", "admin", "none") ||
	    itest_person_add(&rita, "rita", "Protection", "recruiter", "none"))
		return 1;
	ITEST_SQL("job", itest_fmt("INSERT INTO jobs (title, description, "
				   "status) VALUES ('Protection %s', 'x', "
				   "'active')",
				   run));
	job = itest_sql_int("SELECT id FROM jobs WHERE title = 'Protection %s'",
			    run);
	ITEST_SQL("stages",
		  itest_fmt("INSERT INTO job_stages (job_id, name, kind, "
			    "position) VALUES (%lld, 'Prospect', 'prospect', "
			    "1), (%lld, 'Screen', 'screen', 2)",
			    job, job));
	screen = itest_sql_int("SELECT id FROM job_stages WHERE job_id = %lld "
			       "AND kind = 'screen'",
			       job);
	prospect_stage = itest_sql_int("SELECT id FROM job_stages WHERE job_id "
				       "= %lld AND kind = 'prospect'",
				       job);
	return job > 0 && screen > 0 ? 0 : 1;
}

static int suite_clean(void)
{
	/* LinkedIn set up but off, as the programs after this one expect */
	itest_li_leave_off(itest_as(&ada));
	itest_person_free(&ada);
	itest_person_free(&rita);
	return 0;
}

/* ------------------------------------------------------------ delete */

static void admin_deletes_a_candidate_and_no_trace_is_left(void)
{
	/* a name, email and phone found nowhere else */
	char *last = itest_fmt("Tracewell%s", run);
	char *email = itest_fmt("zelda.%s@gone.itest.hirelink.test", run);
	char *digits = itest_fmt("4930%06d", (int)getpid() % 1000000);
	char *phone = itest_fmt("+49 30 %06d", (int)getpid() % 1000000);
	char *member = free_member(0);
	CHECK(*member, "a sandbox member");
	ITEST_SQL("free the member", itest_fmt(
		      "UPDATE candidates SET linkedin_member_id = NULL WHERE "
		      "linkedin_member_id = '%s'",
		      member));

	/* the candidate, through the form, as a recruiter makes one */
	struct itest_client *rc = itest_as(&rita);
	struct itest_resp r = itest_post(rc, "/candidates", false, rita.csrf,
					 "first_name", "Zelda", "last_name",
					 last, "email", email, "phone", phone,
					 "headline", "Engineer", NULL);
	CHECK_STATUS(r, 303, "candidate created");
	itest_resp_free(&r);
	long long id = itest_sql_int("SELECT id FROM candidates WHERE email = "
				     "'%s'",
				     email);
	CHECK(id > 0, "candidate %lld", id);
	ITEST_SQL("member", itest_fmt("UPDATE candidates SET "
				      "linkedin_member_id = '%s' WHERE id = "
				      "%lld",
				      member, id));
	char *path = itest_fmt("/candidates/%lld", id);

	/* notes, a file naming them, an application with feedback, a
	 * pool, LinkedIn's data about the member */
	char *notes = itest_fmt("%s/notes", path);
	char *text = itest_fmt("Met Zelda %s, reach her at %s", last, email);
	r = itest_post(rc, notes, false, rita.csrf, "body", text, NULL);
	CHECK(r.status == 200 || r.status == 303, "private note: %ld",
	      r.status);
	itest_resp_free(&r);
	r = itest_post(rc, notes, false, rita.csrf, "body", text, "public",
		       "1", NULL);
	CHECK(r.status == 200 || r.status == 303, "public note: %ld",
	      r.status);
	itest_resp_free(&r);
	char *fname = itest_fmt("cv-%s.txt", last);
	char *ftext = itest_fmt("Curriculum vitae of Zelda %s %s %s %s", last,
				email, phone, run);
	CHECK(upload(rc, id, fname, ftext) < 400, "attachment uploaded");
	ITEST_SQL("application", itest_fmt(
		      "INSERT INTO applications (job_id, candidate_id, "
		      "stage_id, source) VALUES (%lld, %lld, %lld, 'test')",
		      job, id, screen));
	long long app = itest_sql_int("SELECT id FROM applications WHERE "
				      "candidate_id = %lld",
				      id);
	ITEST_SQL("feedback", itest_fmt(
		      "INSERT INTO interview_feedback (application_id, "
		      "interviewer_id, rating, recommendation, body) VALUES "
		      "(%lld, %lld, 4, 'yes', 'Zelda %s did well')",
		      app, rita.id, last));
	ITEST_SQL("event", itest_fmt(
		      "INSERT INTO application_events (application_id, "
		      "user_id, kind, to_stage_id, detail) VALUES (%lld, "
		      "%lld, 'moved', %lld, 'Zelda %s moved')",
		      app, rita.id, screen, last));
	ITEST_SQL("pool", itest_fmt("INSERT INTO pool_members (pool_id, "
				    "candidate_id, source) SELECT id, %lld, "
				    "'LinkedIn InMail reply' FROM "
				    "talent_pools WHERE kind = 'linkedin'",
				    id));
	ITEST_SQL("stub", itest_fmt(
		      "INSERT INTO li_mail_stubs (stub_id, seat_urn, "
		      "member_id, first_name, last_name, email, "
		      "candidate_id, matched) VALUES ('dp-stub-%s', "
		      "'urn:li:seat:1', '%s', 'Zelda', '%s', '%s', %lld, "
		      "'created')",
		      run, member, last, email, id));
	ITEST_SQL("recruiter note", itest_fmt(
		      "INSERT INTO li_recruiter_notes (note_id, contract_urn, "
		      "owner_seat_urn, prospect_member_id, visibility, note, "
		      "created_ms, last_modified_ms) VALUES ('dp-note-%s', "
		      "'urn:li:contract:1', 'urn:li:seat:1', '%s', 'PUBLIC', "
		      "'Zelda %s called', 1, 1)",
		      run, member, last));
	/* the stage's counter has drifted (a cascade elsewhere): the
	 * delete recounts it */
	long long others = itest_sql_int("SELECT COUNT(*) FROM applications "
					 "WHERE stage_id = %lld AND candidate_id "
					 "<> %lld",
					 screen, id);
	ITEST_SQL("drift", itest_fmt("UPDATE job_stages SET total_count = "
				     "total_count + 5, active_count = "
				     "active_count + 5, hired_count = "
				     "hired_count + 2 WHERE id = %lld",
				     screen));
	char *dir = data_dir();
	char *found = grep_dir(dir, ftext);
	CHECK(*found, "the file is in %s before", dir);
	free(found);
	char *dump = db_dump();
	CHECK(strstr(dump, last) != NULL, "the dump has the name before");
	free(dump);

	/* the confirmation page: admins only, a plain form */
	char *del = itest_fmt("%s/delete", path);
	r = itest_get(rc, del, false);
	CHECK_STATUS(r, 403, "a recruiter may not delete");
	itest_resp_free(&r);
	struct itest_client *ac = itest_as(&ada);
	r = itest_get(ac, path, false);
	CHECK_HAS(r, del, "the candidate page links the delete for an admin");
	itest_resp_free(&r);
	r = itest_get(ac, del, false);
	CHECK_STATUS(r, 200, "the delete page");
	CHECK_HAS(r, "name=\"confirm\"", "a confirmation box");
	CHECK_HAS(r, "name=\"reason\"", "a reason field");
	CHECK_HAS(r, "method=\"post\"", "a plain form, no script needed");
	itest_resp_free(&r);

	/* refused without a confirmation or a reason: nothing happens */
	r = itest_post(ac, del, false, ada.csrf, "reason", "asked to", NULL);
	CHECK_STATUS(r, 400, "no confirmation");
	CHECK_HAS(r, "confirm", "the field is named");
	itest_resp_free(&r);
	r = itest_post(ac, del, false, ada.csrf, "reason", "", "confirm", "1",
		       NULL);
	CHECK_STATUS(r, 400, "no reason");
	CHECK_HAS(r, "reason", "the field is named");
	itest_resp_free(&r);
	r = itest_post(rc, del, false, rita.csrf, "reason", "x", "confirm",
		       "1", NULL);
	CHECK_STATUS(r, 403, "a recruiter's POST");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidates WHERE id = %lld",
			    id) == 1,
	      "still there after the refusals");

	/* the delete, the worker stopped so that the In ATS tombstone
	 * waits in the outbox for the check below */
	CHECK(itest_stack("worker-stop") == 0, "worker stopped");
	char *reason = itest_fmt("Zelda %s asked to be forgotten", last);
	r = itest_post(ac, del, false, ada.csrf, "reason", reason, "confirm",
		       "1", NULL);
	CHECK_STATUS(r, 303, "deleted");
	CHECK(strstr(itest_location(&r), "/candidates?deleted=") != NULL,
	      "to the list: %s", itest_location(&r));
	itest_resp_free(&r);
	r = itest_get(ac, path, false);
	CHECK_STATUS(r, 404, "the candidate is gone");
	itest_resp_free(&r);

	/* everything of theirs, gone */
	static const char *const tables[] = {
	    "notes", "attachments", "pool_members", "applications",
	    "linkedin_candidates"};
	for (size_t i = 0; i < ARRAY_LEN(tables); i++)
		CHECK(itest_sql_int("SELECT COUNT(*) FROM %s WHERE candidate_id "
				    "= %lld",
				    tables[i], id) == 0,
		      "no %s left", tables[i]);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM interview_feedback WHERE "
			    "application_id = %lld",
			    app) == 0,
	      "no feedback left");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_recruiter_notes WHERE "
			    "prospect_member_id = '%s'",
			    member) == 0,
	      "no Recruiter note on the member left");

	/* the tombstones: for the job's statistics, without a name */
	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidate_tombstones WHERE "
			    "id = %lld AND deleted_by = %lld",
			    id, ada.id) == 1,
	      "the candidate's tombstone");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM application_tombstones "
			    "WHERE id = %lld AND job_id = %lld AND stage_kind "
			    "= 'screen' AND status = 'active'",
			    app, job) == 1,
	      "the application's tombstone: job, stage reached, status");
	/* the counters: exact again */
	CHECK(itest_sql_int("SELECT total_count FROM job_stages WHERE id = "
			    "%lld",
			    screen) == others,
	      "Screen's total recounted to %lld", others);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM job_stages s WHERE s.job_id "
			    "= %lld AND (s.total_count <> (SELECT COUNT(*) "
			    "FROM applications a WHERE a.stage_id = s.id) OR "
			    "s.active_count <> (SELECT COUNT(*) FROM "
			    "applications a WHERE a.stage_id = s.id AND "
			    "a.status = 'active') OR s.hired_count <> (SELECT "
			    "COUNT(*) FROM applications a WHERE a.stage_id = "
			    "s.id AND a.status = 'hired'))",
			    job) == 0,
	      "every stage's counters equal its rows");
	/* LinkedIn is told: the In ATS tombstone */
	CHECK(itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind = "
			    "'candidate' AND entity_id = %lld AND tombstone = "
			    "1",
			    id) == 1,
	      "the outbox's tombstone row for the candidate");
	CHECK(itest_stack("worker-start") == 0, "worker started");
	/* the audit: who, why, never the name */
	char *detail = itest_sql_str("SELECT detail FROM audit_log WHERE "
				     "action = 'candidate.delete' AND "
				     "entity_id = %lld",
				     id);
	CHECK(strstr(detail, "forgotten") != NULL, "the reason is kept: %s",
	      detail);
	CHECK(!strstr(detail, last) && !strstr(detail, "Zelda"),
	      "the audit names no one: %s", detail);
	free(detail);

	/* no trace in the database or the files */
	dump = db_dump();
	CHECK(strlen(dump) > 10000, "a dump was made (%zu bytes)",
	      strlen(dump));
	CHECK(!strstr(dump, last), "no name in the dump");
	CHECK(!strstr(dump, email), "no email in the dump");
	CHECK(!strstr(dump, phone) && !strstr(dump, digits),
	      "no phone in the dump");
	free(dump);
	found = grep_dir(dir, last);
	CHECK(!*found, "no file names them: %s", found);
	free(found);
	found = grep_dir(dir, email);
	CHECK(!*found, "no file has the email: %s", found);
	free(found);

	free(reason);
	free(del);
	free(dir);
	free(fname);
	free(ftext);
	free(text);
	free(notes);
	free(path);
	free(member);
	free(phone);
	free(digits);
	free(email);
	free(last);
}

/* ------------------------------------------------------------ closed */

/* A Recruiter seat holder no other test sends InMail from (the 16th;
 * test_activities_throttle counts the 18th's): member id, new. */
static char *seat_holder(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s/sandbox/credentials", itest_sandbox_url());
	struct itest_resp r = itest_get(c, url, true);
	json_t *j = itest_json(&r);
	json_t *recs = json_object_get(j, "recruiters");
	char *id = itest_strdup(itest_jstr(
	    json_array_get(recs, json_array_size(recs) > 15 ? 15 : 0), "id"));
	json_decref(j);
	itest_resp_free(&r);
	free(url);
	itest_client_free(c);
	return id;
}

/* GET /admin/linkedin/closed as JSON, page after page: the row of
 * candidate id, or NULL (the root of its page in *page, new; the page's
 * path in *where when where is not NULL, to free).  Other tests' closed
 * profiles may come first: the row can be on any page. */
static json_t *closed_row(long long id, json_t **page, char **where)
{
	long st;
	char *path = itest_strdup("/admin/linkedin/closed");
	for (int n = 0; n < 200; n++) {
		*page = itest_get_json(itest_as(&ada), path, &st);
		json_t *rows =
		    json_object_get(json_object_get(*page, "closed"), "rows");
		json_t *el;
		size_t i;
		json_array_foreach(rows, i, el)
		{
			if (itest_jint(el, "candidate_id") == id) {
				if (where)
					*where = path;
				else
					free(path);
				return el;
			}
		}
		free(path);
		const char *next = itest_jstr(*page, "next_url");
		if (!*next)
			return NULL;
		path = itest_strdup(next);
		json_decref(*page);
	}
	free(path);
	*page = NULL;
	return NULL;
}

static void closed_profile_is_listed_and_its_linkedin_data_erased(void)
{
	char *member = free_member(1);
	CHECK(*member, "a sandbox member");
	ITEST_SANDBOX_SQL("reopen", itest_fmt("UPDATE members SET closed_at = "
					      "NULL WHERE urn_id = '%s'",
					      member));
	ITEST_SQL("free the member", itest_fmt(
		      "UPDATE candidates SET linkedin_member_id = NULL WHERE "
		      "linkedin_member_id = '%s'",
		      member));
	struct itest_client *ac = itest_as(&ada);
	struct itest_resp r = itest_li_enable(ac, NULL);
	CHECK_STATUS(r, 303, "LinkedIn enabled");
	itest_resp_free(&r);

	/* the member replies to an InMail sharing their contact details:
	 * LinkedIn knows them by the stub, hirelink by the candidate the
	 * stub made (test_talent_pool.c tests that part) */
	char *holder = seat_holder();
	CHECK(*holder, "a seat holder");
	char *body = itest_fmt("{\"from\":\"%s\",\"to\":\"%s\",\"subject\":"
			       "\"Hello %s\",\"body\":\"Interested?\"}",
			       holder, member, run);
	r = itest_sandbox_post("/sandbox/inmails", body);
	CHECK_STATUS(r, 201, "InMail sent");
	json_t *j = itest_json(&r);
	char *conv = itest_strdup(itest_jstr(j, "conversation"));
	json_decref(j);
	itest_resp_free(&r);
	free(body);
	body = itest_fmt("{\"conversation\":\"%s\",\"body\":\"Yes\","
			 "\"shareContact\":true}",
			 conv);
	r = itest_sandbox_post("/sandbox/inmails/reply", body);
	CHECK_STATUS(r, 201, "replied, sharing contact details");
	itest_resp_free(&r);
	free(body);
	free(conv);
	long long pool = itest_sql_int("SELECT id FROM talent_pools WHERE kind "
				       "= 'linkedin'");
	char *fetch = itest_fmt("/pools/%lld/fetch", pool);
	r = itest_post(ac, fetch, false, ada.csrf, NULL);
	CHECK_STATUS(r, 303, "Fetch now");
	itest_resp_free(&r);
	free(fetch);
	long long id = 0;
	for (int i = 0; i < 100 && id <= 0; i++) {
		sleep_ms(100);
		id = itest_sql_int("SELECT id FROM candidates WHERE "
				   "linkedin_member_id = '%s'",
				   member);
	}
	CHECK(id > 0, "the member is a candidate");
	char *last = itest_sql_str("SELECT last_name FROM candidates WHERE id = "
				   "%lld",
				   id);
	/* what else hirelink holds from LinkedIn about them */
	ITEST_SQL("profile", itest_fmt(
		      "UPDATE candidates SET headline = 'Head of Data', "
		      "current_title = 'CTO', current_company = 'Acme', "
		      "linkedin_url = 'https://www.linkedin.com/in/cp-%s' "
		      "WHERE id = %lld",
		      run, id));
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_mail_stubs WHERE "
			    "candidate_id = %lld AND erased = 0",
			    id) == 1,
	      "the stub is kept");
	ITEST_SQL("notes", itest_fmt(
		      "INSERT INTO li_recruiter_notes (note_id, contract_urn, "
		      "owner_seat_urn, prospect_member_id, visibility, note, "
		      "created_ms, last_modified_ms) VALUES ('cp-note-%s', "
		      "'urn:li:contract:1', 'urn:li:seat:1', '%s', 'PUBLIC', "
		      "'met them', 1, 1)",
		      run, member));
	ITEST_SQL("inmail", itest_fmt(
		      "INSERT INTO li_inmail_activity (seat_urn, event_id, "
		      "conversation_urn, prospect_member_id, direction, "
		      "created_ms) VALUES ('urn:li:seat:1', 'cp-ev-%s', "
		      "'urn:li:conv:1', '%s', 'OUTBOUND', 1)",
		      run, member));

	/* the member closes their account at LinkedIn */
	char *close = itest_fmt("{\"member\":\"%s\"}", member);
	r = itest_sandbox_post("/sandbox/members/close", close);
	CHECK_STATUS(r, 200, "closed at the sandbox");
	itest_resp_free(&r);

	/* Check now: the worker lists them */
	r = itest_post(ac, "/admin/linkedin/closed/check", false, ada.csrf,
		       NULL);
	CHECK_STATUS(r, 303, "check asked");
	itest_resp_free(&r);
	json_t *page = NULL, *row = NULL;
	char *where = NULL;
	for (int i = 0; i < 100; i++) {
		json_decref(page);
		free(where);
		where = NULL;
		row = closed_row(id, &page, &where);
		if (row && json_is_true(json_object_get(row, "erasable")))
			break;
		sleep_ms(100);
	}
	CHECK(row && json_is_true(json_object_get(row, "erasable")),
	      "the candidate is listed with LinkedIn data to erase");
	json_decref(page);
	r = itest_get(ac, where ? where : "/admin/linkedin/closed", false);
	free(where);
	CHECK_HAS(r, last, "the page names the candidate");
	CHECK_HAS(r, "Erase LinkedIn data", "with Erase");
	itest_resp_free(&r);

	/* Erase: confirmed, admins only */
	char *erase = itest_fmt("/admin/linkedin/closed/%lld/erase", id);
	r = itest_post(ac, erase, false, ada.csrf, NULL);
	CHECK_STATUS(r, 400, "not confirmed");
	itest_resp_free(&r);
	struct itest_client *rc = itest_as(&rita);
	r = itest_post(rc, erase, false, rita.csrf, "confirm", "1", NULL);
	CHECK_STATUS(r, 403, "a recruiter may not erase");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidates WHERE id = %lld "
			    "AND linkedin_member_id = '%s'",
			    id, member) == 1,
	      "nothing erased yet");
	r = itest_post(ac, erase, false, ada.csrf, "confirm", "1", NULL);
	CHECK_STATUS(r, 303, "erased");
	itest_resp_free(&r);

	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidates WHERE id = %lld "
			    "AND linkedin_member_id IS NULL AND linkedin_url = "
			    "'' AND headline = '' AND current_title = '' AND "
			    "current_company = '' AND last_name = '%s'",
			    id, last) == 1,
	      "the member and profile fields go, the candidate stays");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_recruiter_notes WHERE "
			    "prospect_member_id = '%s'",
			    member) == 0,
	      "Recruiter notes erased");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_inmail_activity WHERE "
			    "prospect_member_id = '%s'",
			    member) == 0,
	      "InMail activity erased");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_mail_stubs WHERE "
			    "candidate_id = %lld AND erased = 1 AND first_name "
			    "= '' AND member_id = ''",
			    id) == 1,
	      "the stub's fields erased, its id kept");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'candidate.linkedin_erase' AND entity_id = %lld "
			    "AND user_id = %lld",
			    id, ada.id) == 1,
	      "audited");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_closed_profiles WHERE "
			    "member_id = '%s' AND erased_at IS NOT NULL",
			    member) == 1,
	      "the closed profile is marked erased");
	row = closed_row(id, &page, NULL);
	CHECK(row && !json_is_true(json_object_get(row, "erasable")) &&
		  *itest_jstr(row, "erased_at"),
	      "the page says erased");
	json_decref(page);

	ITEST_SANDBOX_SQL("reopen", itest_fmt("UPDATE members SET closed_at = "
					      "NULL WHERE urn_id = '%s'",
					      member));
	free(close);
	free(erase);
	free(holder);
	free(last);
	free(member);
}

static void the_closed_profiles_page_is_paged(void)
{
	enum { N = 120 };
	for (int i = 0; i < N; i++)
		ITEST_SQL("a closed profile",
			  itest_fmt("INSERT INTO li_closed_profiles (member_id, "
				    "closed_ms) VALUES ('pg%s%03d', %lld)",
				    run, i, 1700000000000LL + i * 1000LL));
	long long total =
	    itest_sql_int("SELECT COUNT(*) FROM li_closed_profiles");
	long st;
	json_t *p1 =
	    itest_get_json(itest_as(&ada), "/admin/linkedin/closed", &st);
	CHECK(st == 200, "the first page: %ld", st);
	json_t *closed = json_object_get(p1, "closed");
	CHECK(json_array_size(json_object_get(closed, "rows")) == 50,
	      "50 rows a page, not %zu",
	      json_array_size(json_object_get(closed, "rows")));
	CHECK(itest_jint(p1, "total") == total &&
		  itest_jint(p1, "pages") == (total + 49) / 50,
	      "total %lld, pages %lld (want %lld)", itest_jint(p1, "total"),
	      itest_jint(p1, "pages"), total);
	CHECK(strstr(itest_jstr(p1, "next_url"), "page=2") != NULL,
	      "a Next link: %s", itest_jstr(p1, "next_url"));
	/* every row once over the pages, newest first */
	int seen = 0, pages = 0;
	long long prev = -1;
	bool ordered = true;
	char *path = itest_strdup("/admin/linkedin/closed");
	while (*path && pages < 100) {
		json_t *pg = itest_get_json(itest_as(&ada), path, &st);
		free(path);
		json_t *el;
		size_t i;
		json_array_foreach(
		    json_object_get(json_object_get(pg, "closed"), "rows"), i,
		    el)
		{
			if (!strncmp(itest_jstr(el, "member_id"), "pg", 2) &&
			    strstr(itest_jstr(el, "member_id"), run))
				seen++;
			if (!*itest_jstr(el, "erased_at")) {
				long long id = itest_jint(el, "id");
				ordered &= prev < 0 || id < prev;
				prev = id;
			}
		}
		path = itest_strdup(itest_jstr(pg, "next_url"));
		json_decref(pg);
		pages++;
	}
	free(path);
	CHECK(seen == N, "%d of the %d rows over %d pages", seen, N, pages);
	CHECK(ordered, "newest first across the pages");
	/* the HTML page: its pager */
	struct itest_resp r = itest_get(itest_as(&ada),
					"/admin/linkedin/closed?page=2", false);
	CHECK_STATUS(r, 200, "page 2");
	CHECK_HAS(r, "class=\"pager\"", "the pager");
	CHECK_HAS(r, "Page 2 of", "the page number");
	CHECK_HAS(r, "rel=\"prev\"", "a Previous link");
	itest_resp_free(&r);
	/* past the last page: a browser is sent to the last one (web_pager) */
	r = itest_get(itest_as(&ada), "/admin/linkedin/closed?page=201", false);
	CHECK_STATUS(r, 303, "a page past the end");
	CHECK(strstr(itest_location(&r), "page=") != NULL,
	      "to the last page: %s", itest_location(&r));
	itest_resp_free(&r);
	json_decref(p1);
	ITEST_SQL("the rows go",
		  itest_fmt("DELETE FROM li_closed_profiles WHERE member_id "
			    "LIKE 'pg%s%%'",
			    run));
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(admin_deletes_a_candidate_and_no_trace_is_left),
	    TEST(closed_profile_is_listed_and_its_linkedin_data_erased),
	    TEST(the_closed_profiles_page_is_paged),
	};
	static const struct suite suites[] = {
	    SUITE("data protection", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
