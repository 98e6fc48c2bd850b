/*
 * test_candidates.c - end-to-end tests of the candidate pages (F2, F3),
 * through nginx: creating and finding candidates, the duplicate-email
 * offer, the candidate page's tabs, editing, notes and their privacy,
 * attachments (upload, content checks, download), what hiring managers and
 * interviewers may reach, escaping, and pagination.
 *
 * Every test is named after what a user does or sees.  The program makes
 * its own users and records, with names and emails unique to the run, so
 * it can run again on the same stack.
 */
#include <CUnit/Basic.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ats/candidates.h"
#include "ats/jobs.h"
#include "core/core.h"
#include "db/db.h"
#include "../suite.h"
#include "itest.h"

/* ------------------------------------------------------------ fixture */

static struct itest_person rita;  /* recruiter: creates most things */
static struct itest_person rolf;  /* another recruiter */
static struct itest_person hanna; /* hiring manager on the job */
static struct itest_person hugo;  /* hiring manager on no job */
static struct itest_person ines;  /* interviewer on the job */
static char *run_id;

/* The job everyone but hugo is on, and a candidate on it. */
static long job_id;
static long shared_id; /* candidate on the job */

/* The JSON body of r; new (json_decref), NULL when it is not JSON. */
static json_t *json_of(const struct itest_resp *r)
{
	json_error_t e;
	json_t *j = json_loads(r->body, 0, &e);
	CHECK(j != NULL, "response is not JSON (%s): %.200s", e.text, r->body);
	return j;
}

/* The id at the end of a Location "/candidates/42...". */
static long id_from_location(const struct itest_resp *r, const char *prefix)
{
	const char *loc = itest_location(r);
	size_t n = strlen(prefix);
	if (strncmp(loc, prefix, n))
		return 0;
	return strtol(loc + n, NULL, 10);
}

/* Creates a candidate as c (a browser form); its id, 0 on failure.
 * Pairs after first_name end with NULL. */
static long create_candidate(struct itest_client *c, const char *first,
			     const char *last, const char *email,
			     const char *phone)
{
	char *csrf = itest_csrf_of(c, "/jobs");
	struct itest_resp r = itest_post(
	    c, "/candidates", false, csrf, "first_name", first, "last_name",
	    last, "email", email, "phone", phone, (char *)NULL);
	CHECK_STATUS(r, 303, "POST /candidates");
	long id = id_from_location(&r, "/candidates/");
	CHECK(id > 0, "Location \"%s\" is not a candidate page",
	      itest_location(&r));
	itest_resp_free(&r);
	free(csrf);
	return id;
}

/* GET path as JSON, the "total" member; -1 when missing. */
static long json_total(struct itest_client *c, const char *path)
{
	struct itest_resp r = itest_get(c, path, true);
	CHECK_STATUS(r, 200, path);
	json_t *j = json_of(&r);
	long t = -1;
	if (j && json_is_integer(json_object_get(j, "total")))
		t = (long)json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	itest_resp_free(&r);
	return t;
}

/* "/candidates?q=<q escaped>" new */
static char *search_url(const char *q, const char *extra)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "/candidates?q=");
	buf_add_url(&b, q, strlen(q));
	buf_adds(&b, extra ? extra : "");
	char *s = buf_detach(&b, NULL);
	return s ? s : itest_strdup("/candidates");
}

static int suite_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id)
		return -1;
	if (itest_person_add(&rita, "rita", "Cand", "recruiter", "none") < 0 ||
	    itest_person_add(&rolf, "rolf", "Cand", "recruiter", "none") < 0 ||
	    itest_person_add(&hanna, "hanna", "Cand", "hiring_manager",
			     "none") < 0 ||
	    itest_person_add(&hugo, "hugo", "Cand", "hiring_manager", "none") <
		0 ||
	    itest_person_add(&ines, "ines", "Cand", "interviewer", "none") <
		0) {
		fprintf(stderr, "cannot create the test users\n");
		return -1;
	}

	/* A job with hanna (hiring manager) and ines (interviewer) on it,
	 * and a candidate added to it at its Interview stage. */
	struct itest_client *c = itest_client_new(NULL);
	if (!c || itest_login(c, rita.email, rita.password) != 303)
		return -1;
	char *csrf = itest_csrf_of(c, "/jobs");
	char *title = itest_fmt("Candidate job %s", run_id);
	struct itest_resp r =
	    itest_post(c, "/jobs", false, csrf, "title", title, (char *)NULL);
	job_id = id_from_location(&r, "/jobs/");
	itest_resp_free(&r);
	free(title);
	if (job_id <= 0) {
		fprintf(stderr, "cannot create the test job\n");
		return -1;
	}
	char *members = itest_fmt("/jobs/%ld/members", job_id);
	r = itest_post(c, members, false, csrf, "action", "add", "email",
		       hanna.email, "role", "hiring_manager", (char *)NULL);
	long st1 = r.status;
	itest_resp_free(&r);
	r = itest_post(c, members, false, csrf, "action", "add", "email",
		       ines.email, "role", "interviewer", (char *)NULL);
	long st2 = r.status;
	itest_resp_free(&r);
	r = itest_post(c, members, false, csrf, "action", "add", "email",
		       rita.email, "role", "recruiter", (char *)NULL);
	itest_resp_free(&r);
	free(members);
	char *first = itest_fmt("Shared%s", run_id);
	char *email = itest_fmt("shared.%s@example.com", run_id);
	shared_id = create_candidate(c, first, "Onjob", email, "");
	free(first);
	free(email);
	/* at the Interview stage, where the interviewer sees it (access.h:
	 * not before, issue 18) */
	char *cid = itest_fmt("%ld", shared_id), *jid = itest_fmt("%ld", job_id);
	char *sid = itest_fmt("%lld", itest_sql_int("SELECT id FROM job_stages "
						    "WHERE job_id = %ld AND "
						    "kind = 'interview'",
						    job_id));
	r = itest_post(c, "/applications", false, csrf, "candidate_id", cid,
		       "job_id", jid, "stage_id", sid, (char *)NULL);
	free(sid);
	long st3 = r.status;
	itest_resp_free(&r);
	free(cid);
	free(jid);
	free(csrf);
	itest_client_free(c);
	if (st1 != 303 || st2 != 303 || st3 != 303 || shared_id <= 0) {
		fprintf(stderr,
			"cannot set up the job (members %ld %ld, application "
			"%ld)\n",
			st1, st2, st3);
		return -1;
	}
	return 0;
}

static int suite_clean(void)
{
	itest_person_free(&rita);
	itest_person_free(&rolf);
	itest_person_free(&hanna);
	itest_person_free(&hugo);
	itest_person_free(&ines);
	return 0;
}

/* ------------------------------------------------------------ create, find */

static void recruiter_creates_a_candidate_and_sees_the_page(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *first = itest_fmt("Grace%s", run_id);
	char *email = itest_fmt("Grace.Hopper.%s@Example.COM", run_id);
	long id = create_candidate(c, first, "Hopper", email, "+1 555 0100");
	char *path = itest_fmt("/candidates/%ld", id);
	struct itest_resp r = itest_get(c, path, false);
	CHECK_STATUS(r, 200, path);
	char *name = itest_fmt("<h1>%s Hopper</h1>", first);
	CHECK_HAS(r, name, path);
	char *lower = itest_fmt("grace.hopper.%s@example.com", run_id);
	CHECK_HAS(r, lower, "email is shown lowercased");
	CHECK_HAS(r, "+1 555 0100", path);
	itest_resp_free(&r);

	/* The list offers the form and finds the new record. */
	r = itest_get(c, "/candidates", false);
	CHECK_STATUS(r, 200, "GET /candidates");
	CHECK_HAS(r, "New candidate", "GET /candidates");
	CHECK_HAS(r, "method=\"post\" action=\"/candidates\"",
		  "GET /candidates");
	itest_resp_free(&r);
	free(lower);
	free(name);
	free(path);
	free(first);
	free(email);
	itest_client_free(c);
}

static void search_finds_by_name_email_and_phone_prefix(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *first = itest_fmt("Zelda%s", run_id);
	char *last = itest_fmt("Quill%s", run_id);
	char *email = itest_fmt("zq.%s@example.org", run_id);
	char *phone = itest_fmt("+49 (30) 77%s", run_id);
	long id = create_candidate(c, first, last, email, phone);
	CHECK(id > 0, "created");

	char *full = itest_fmt("%s %s", first, last);
	char *partial_full = itest_fmt("%s %.4s", first, last);
	char *first_pre = itest_fmt("Zelda%s", run_id);
	first_pre[strlen(first_pre) - 1] = 0;	       /* a true prefix */
	char *last_pre = itest_fmt("quill%s", run_id); /* any case */
	char *email_pre = itest_fmt("zq.%s@ex", run_id);
	char *phone_pre = itest_fmt("49 30 77%s", run_id);
	char *phone_digits = itest_fmt("493077%.2s", run_id);
	const char *hits[] = {first_pre, last_pre,  full,	 partial_full,
			      email_pre, phone_pre, phone_digits};
	for (size_t i = 0; i < ARRAY_LEN(hits); i++) {
		char *url = search_url(hits[i], NULL);
		struct itest_resp r = itest_get(c, url, true);
		CHECK_STATUS(r, 200, url);
		json_t *j = json_of(&r);
		json_t *list = json_object_get(j, "candidates");
		bool found = false;
		for (size_t k = 0; k < json_array_size(list); k++)
			if (json_integer_value(json_object_get(
				json_array_get(list, k), "id")) == id)
				found = true;
		CHECK(found, "search \"%s\" does not find the candidate",
		      hits[i]);
		json_decref(j);
		itest_resp_free(&r);
		/* The HTML list shows the candidate's name and links it. */
		r = itest_get(c, url, false);
		char *link = itest_fmt("href=\"/candidates/%ld\"", id);
		CHECK_HAS(r, link, url);
		free(link);
		itest_resp_free(&r);
		free(url);
	}

	/* Not a prefix (the middle of the name), and no match at all. */
	char *middle = itest_fmt("elda%s", run_id);
	char *none = itest_fmt("Nobody%s", run_id);
	const char *misses[] = {middle, none, "%", "_"};
	for (size_t i = 0; i < ARRAY_LEN(misses); i++) {
		char *url = search_url(misses[i], NULL);
		struct itest_resp r = itest_get(c, url, true);
		json_t *j = json_of(&r);
		json_t *list = json_object_get(j, "candidates");
		for (size_t k = 0; k < json_array_size(list); k++)
			CHECK(json_integer_value(json_object_get(
				  json_array_get(list, k), "id")) != id,
			      "search \"%s\" finds the candidate", misses[i]);
		json_decref(j);
		itest_resp_free(&r);
		free(url);
	}
	char *url = search_url(none, NULL);
	struct itest_resp r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, url);
	CHECK_HAS(r, "No candidates match", "empty search result");
	itest_resp_free(&r);
	free(url);

	free(middle);
	free(none);
	free(full);
	free(partial_full);
	free(first_pre);
	free(last_pre);
	free(email_pre);
	free(phone_pre);
	free(phone_digits);
	free(first);
	free(last);
	free(email);
	free(phone);
	itest_client_free(c);
}

static void hiring_manager_on_no_job_finds_nobody(void)
{
	struct itest_client *c = itest_signed_in(&hugo);
	char *csrf = itest_csrf_of(c, "/jobs");
	CHECK(json_total(c, "/candidates") == 0,
	      "hugo (on no job) sees candidates");
	char *q = itest_fmt("Shared%s", run_id);
	char *url = search_url(q, NULL);
	CHECK(json_total(c, url) == 0, "hugo finds the shared candidate");
	struct itest_resp r = itest_get(c, "/candidates", false);
	CHECK_STATUS(r, 200, "GET /candidates as hugo");
	CHECK_HAS(r, "No candidates yet", "empty state");
	CHECK_LACKS(r, "method=\"post\" action=\"/candidates\"",
		    "hugo gets the new form");
	itest_resp_free(&r);
	char *path = itest_fmt("/candidates/%ld", shared_id);
	r = itest_get(c, path, false);
	CHECK_STATUS(r, 404, "hugo opens a candidate of another job");
	itest_resp_free(&r);
	r = itest_post(c, "/candidates", false, csrf, "first_name", "X",
		       (char *)NULL);
	CHECK_STATUS(r, 403, "hugo creates a candidate");
	itest_resp_free(&r);
	free(path);
	free(url);
	free(q);
	free(csrf);
	itest_client_free(c);
}

static void job_members_find_the_candidates_of_their_job(void)
{
	const struct itest_person *who[] = {&hanna, &ines};
	char *q = itest_fmt("Shared%s", run_id);
	char *url = search_url(q, NULL);
	char *path = itest_fmt("/candidates/%ld?tab=applications", shared_id);
	char *title = itest_fmt("Candidate job %s", run_id);
	for (size_t i = 0; i < ARRAY_LEN(who); i++) {
		struct itest_client *c = itest_signed_in(who[i]);
		CHECK(json_total(c, url) == 1,
		      "%s does not find the shared "
		      "candidate",
		      who[i]->name);
		/* but nobody else's */
		CHECK(json_total(c, "/candidates") == 1,
		      "%s sees more than the candidates of the job",
		      who[i]->name);
		struct itest_resp r = itest_get(c, path, false);
		CHECK_STATUS(r, 200, path);
		CHECK_HAS(r, title, "applications tab names the job");
		CHECK_HAS(r, "<strong>Interview</strong>", "applications tab names the stage");
		itest_resp_free(&r);
		itest_client_free(c);
	}
	free(title);
	free(path);
	free(url);
	free(q);
}

static void duplicate_email_offers_the_existing_record(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *csrf = itest_csrf_of(c, "/jobs");
	char *email = itest_fmt("twin.%s@example.com", run_id);
	char *first = itest_fmt("Twin%s", run_id);
	long id = create_candidate(c, first, "One", email, "");

	char *upper = itest_fmt("TWIN.%s@Example.com", run_id);
	struct itest_resp r =
	    itest_post(c, "/candidates", false, csrf, "first_name", "Other",
		       "last_name", "Person", "email", upper, (char *)NULL);
	CHECK_STATUS(r, 409, "second candidate with the same email");
	char *link =
	    itest_fmt("<a href=\"/candidates/%ld\">Open %s One</a>", id, first);
	CHECK_HAS(r, link, "409 page offers the existing record");
	CHECK_HAS(r, "value=\"Other\"", "the form keeps what was typed");
	itest_resp_free(&r);

	r = itest_post(c, "/candidates", true, csrf, "first_name", "Other",
		       "email", upper, (char *)NULL);
	CHECK_STATUS(r, 409, "JSON: second candidate with the same email");
	json_t *j = json_of(&r);
	json_t *ex = json_object_get(j, "existing");
	CHECK(json_integer_value(json_object_get(ex, "id")) == id,
	      "JSON 409 names the existing candidate: %s", r.body);
	CHECK(json_is_object(json_object_get(j, "error")), "JSON 409 error");
	json_decref(j);
	itest_resp_free(&r);

	/* One record, whatever the case of the search. */
	char *url = search_url(email, NULL);
	CHECK(json_total(c, url) == 1, "one candidate with the email");
	free(url);
	url = search_url(upper, NULL);
	CHECK(json_total(c, url) == 1, "the email in capitals finds it too");
	free(url);

	free(link);
	free(upper);
	free(first);
	free(email);
	free(csrf);
	itest_client_free(c);
}

/* ------------------------------------------------------------ the page */

static void candidate_page_has_every_tab(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	static const struct {
		const char *tab, *text;
	} tabs[] = {
	    {"overview", "<dt>Email</dt>"},
	    {"applications", "Candidate job"},
	    {"notes", "New note"},
	    {"feedback", "No interview feedback you can read yet"},
	    {"attachments", "type=\"file\" name=\"file\""},
	    {"linkedin", "LinkedIn integration is not set up. <span "
			 "class=\"ask-admins\">Ask an admin to set it up: "},
	    {"activities", "The LinkedIn integration is off or not set up "
			   "with a Recruiter contract: Recruiter notes and "
			   "InMail activity are not read from LinkedIn. <span "
			   "class=\"ask-admins\">Ask an admin"},
	};
	for (size_t i = 0; i < ARRAY_LEN(tabs); i++) {
		char *path =
		    itest_fmt("/candidates/%ld?tab=%s", shared_id, tabs[i].tab);
		struct itest_resp r = itest_get(c, path, false);
		CHECK_STATUS(r, 200, path);
		CHECK_HAS(r, tabs[i].text, path);
		CHECK_HAS(r, ">Recruiting activities<", path);
		CHECK_HAS(r, ">LinkedIn<", path);
		char *cur = itest_fmt("?tab=%s\" class=\"tab active\"", tabs[i].tab);
		CHECK_HAS(r, cur, "the tab is marked current");
		free(cur);
		itest_resp_free(&r);
		free(path);
	}
	char *path = itest_fmt("/candidates/%ld?tab=nonsense", shared_id);
	struct itest_resp r = itest_get(c, path, false);
	CHECK_STATUS(r, 404, path);
	itest_resp_free(&r);
	free(path);
	r = itest_get(c, "/candidates/999999999", false);
	CHECK_STATUS(r, 404, "a candidate that does not exist");
	itest_resp_free(&r);
	r = itest_get(c, "/candidates/abc", false);
	CHECK_STATUS(r, 404, "/candidates/abc");
	itest_resp_free(&r);
	itest_client_free(c);
}

static void recruiter_edits_a_candidate(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *csrf = itest_csrf_of(c, "/jobs");
	char *first = itest_fmt("Edith%s", run_id);
	long id = create_candidate(c, first, "Before", "", "");
	char *path = itest_fmt("/candidates/%ld", id);
	struct itest_resp r = itest_post(
	    c, path, false, csrf, "first_name", first, "last_name", "After",
	    "headline", "Staff engineer", "location", "Lisbon", "linkedin_url",
	    "https://www.linkedin.com/in/edith-after", "source", "referral",
	    (char *)NULL);
	CHECK_STATUS(r, 303, "POST /candidates/{id}");
	itest_resp_free(&r);
	r = itest_get(c, path, false);
	CHECK_HAS(r, "After</h1>", "new last name");
	CHECK_HAS(r, "Staff engineer", "new headline");
	CHECK_HAS(r, "Lisbon", "new location");
	CHECK_HAS(r, "https://www.linkedin.com/in/edith-after", "LinkedIn URL");
	CHECK_HAS(r, "referral", "source");
	itest_resp_free(&r);

	/* A bad LinkedIn URL is refused, naming the field, values kept. */
	r = itest_post(c, path, false, csrf, "first_name", first, "headline",
		       "Kept title", "linkedin_url",
		       "https://evil.example/in/x", (char *)NULL);
	CHECK_STATUS(r, 400, "bad linkedin_url");
	CHECK_HAS(r, "<strong>LinkedIn profile URL</strong>", "names the field");
	CHECK_HAS(r, "value=\"Kept title\"", "keeps the values");
	itest_resp_free(&r);

	/* Another candidate's email: 409 offering that record. */
	char *shared_email = itest_fmt("shared.%s@example.com", run_id);
	r = itest_post(c, path, false, csrf, "first_name", first, "email",
		       shared_email, (char *)NULL);
	CHECK_STATUS(r, 409, "edit to another candidate's email");
	char *open_link =
	    itest_fmt("<a href=\"/candidates/%ld\">Open Shared%s Onjob</a>",
		shared_id, run_id);
	CHECK_HAS(r, open_link, "offers the record with that email");
	itest_resp_free(&r);
	r = itest_get(c, path, true);
	CHECK_LACKS(r, shared_email, "the email was not taken");
	itest_resp_free(&r);
	free(open_link);
	free(shared_email);

	/* The Applications tab offers the jobs the candidate is not on. */
	char *apps = itest_fmt("/candidates/%ld?tab=applications", id);
	char *option = itest_fmt("<option value=\"%ld\">J-", job_id);
	char *found = itest_fmt("%s&job_q=Candidate+job+%s", apps, run_id);
	r = itest_get(c, found, false);
	CHECK_HAS(r, "Add to job", apps);
	CHECK_HAS(r, option, "the job is offered");
	itest_resp_free(&r);
	char *cid = itest_fmt("%ld", id), *jid = itest_fmt("%ld", job_id);
	r = itest_post(c, "/applications", false, csrf, "candidate_id", cid,
		       "job_id", jid, "return_to", apps, (char *)NULL);
	CHECK_STATUS(r, 303, "add the candidate to the job");
	itest_resp_free(&r);
	r = itest_get(c, found, false);
	CHECK_HAS(r, "Candidate job", "the application is listed");
	CHECK_LACKS(r, option, "the job is no longer offered");
	itest_resp_free(&r);
	free(found);
	free(cid);
	free(jid);
	free(option);
	free(apps);

	/* Hiring managers may not edit (the router says 403). */
	struct itest_client *h = itest_signed_in(&hanna);
	char *h_csrf = itest_csrf_of(h, "/jobs");
	char *spath = itest_fmt("/candidates/%ld", shared_id);
	r = itest_post(h, spath, false, h_csrf, "first_name", "Hacked",
		       (char *)NULL);
	CHECK_STATUS(r, 403, "hiring manager edits a candidate");
	itest_resp_free(&r);
	r = itest_get(h, spath, false);
	CHECK_LACKS(r, "Hacked", "the record is unchanged");
	CHECK_LACKS(r, "<summary>Edit</summary>", "no edit form for hanna");
	itest_resp_free(&r);
	free(h_csrf);
	itest_client_free(h);
	free(spath);
	free(path);
	free(first);
	free(csrf);
	itest_client_free(c);
}

/* ------------------------------------------------------------ notes */

/* Creates a note as c on candidate id; its id (from the JSON answer). */
static long add_note(struct itest_client *c, long id, const char *body,
		     bool pub)
{
	char *path = itest_fmt("/candidates/%ld/notes", id);
	char *csrf = itest_csrf_of(c, "/jobs");
	struct itest_resp r =
	    pub ? itest_post(c, path, true, csrf, "body", body, "public", "1",
			     (char *)NULL)
		: itest_post(c, path, true, csrf, "body", body, (char *)NULL);
	CHECK_STATUS(r, 201, path);
	json_t *j = json_of(&r);
	long nid = (long)json_integer_value(
	    json_object_get(json_object_get(j, "note"), "id"));
	CHECK(nid > 0, "the new note's id: %s", r.body);
	json_decref(j);
	itest_resp_free(&r);
	free(csrf);
	free(path);
	return nid;
}

static long note_count(struct itest_client *c, long id)
{
	char *path = itest_fmt("/candidates/%ld?tab=notes", id);
	struct itest_resp r = itest_get(c, path, true);
	json_t *j = json_of(&r);
	long n = (long)json_integer_value(json_object_get(j, "note_count"));
	json_decref(j);
	itest_resp_free(&r);
	free(path);
	return n;
}

/* What the head of candidate id's page tells c (as JSON): "<first name>
 * notes=N attachments=N pools=<name>;<name>;"; new. */
static char *head(struct itest_client *c, long id)
{
	char *path = itest_fmt("/candidates/%ld", id);
	struct itest_resp r = itest_get(c, path, true);
	json_t *j = json_of(&r);
	struct buf b = BUF_INIT;
	const char *first = json_string_value(
	    json_object_get(json_object_get(j, "candidate"), "first_name"));
	buf_addf(
	    &b,
	    "%s notes=%lld attachments=%lld pools=", first ? first : "(none)",
	    (long long)json_integer_value(json_object_get(j, "note_count")),
	    (long long)json_integer_value(
		json_object_get(j, "attachment_count")));
	json_t *p;
	size_t i;
	json_array_foreach(json_object_get(j, "pools"), i, p)
	    buf_addf(&b, "%s;", json_string_value(json_object_get(p, "name")));
	json_decref(j);
	itest_resp_free(&r);
	free(path);
	return buf_detach(&b, NULL);
}

static void sees_head(struct itest_client *c, const char *who, long id,
		      char *want)
{
	char *got = head(c, id);
	CHECK(got && !strcmp(got, want), "%s sees \"%s\", want \"%s\"", who,
	      got ? got : "(nothing)", want);
	free(got);
	free(want);
}

/* A note by author on candidate id, written by SQL. */
static void sql_note(long id, const struct itest_person *author,
		     const char *body, const char *visibility)
{
	ITEST_SQL("a note",
		  itest_fmt("INSERT INTO notes (candidate_id, author_id, "
			    "body, visibility) VALUES (%ld, %lld, '%s', "
			    "'%s')",
			    id, author->id, body, visibility));
}

/* The head of a candidate's page (name, tab counts, pools) is kept between
 * a recruiter's views, and yet a change made anywhere (here by SQL, as
 * another hirelink process or an admin by hand would) shows on the next
 * view: a rename, notes public and private, an attachment, a pool joined,
 * renamed and deleted.  Kept per viewer: another's private note never
 * counts on this recruiter's page.  And a kept page is the page. */
static void the_kept_candidate_head_shows_every_change_at_once(void)
{
	struct itest_client *rc = itest_signed_in(&rita);
	struct itest_client *oc = itest_signed_in(&rolf);
	char *first = itest_fmt("Kepthead%s", run_id);
	char *renamed = itest_fmt("Renamed%s", run_id);
	char *pool = itest_fmt("Keptpool%s", run_id);
	long id = create_candidate(rc, first, "Person", "", "");
	char *page = itest_fmt("/candidates/%ld", id);

	/* the first view shows the create's notice ("Added ..."), once */
	struct itest_resp fresh = itest_get(rc, page, false);
	CHECK_HAS(fresh, "id=\"notice\"", "the create says so once");
	itest_resp_free(&fresh);
	fresh = itest_get(rc, page, false);
	long before = itest_kept_served();
	struct itest_resp kept = itest_get(rc, page, false);
	CHECK(itest_kept_served() > before,
	      "the second view was read again, not kept");
	CHECK(fresh.status == 200 && kept.status == 200 &&
		  fresh.len == kept.len &&
		  !memcmp(fresh.body, kept.body, fresh.len),
	      "the kept page differs from the page read afresh");
	itest_resp_free(&fresh);
	itest_resp_free(&kept);
	sees_head(rc, "rita", id,
		  itest_fmt("%s notes=0 attachments=0 pools=", first));

	ITEST_SQL("a rename",
		  itest_fmt("UPDATE candidates SET first_name = '%s' "
			    "WHERE id = %ld",
			    renamed, id));
	sees_head(rc, "rita", id,
		  itest_fmt("%s notes=0 attachments=0 pools=", renamed));
	sql_note(id, &rolf, "mine", "private");
	sees_head(oc, "rolf", id,
		  itest_fmt("%s notes=1 attachments=0 pools=", renamed));
	sees_head(rc, "rita", id,
		  itest_fmt("%s notes=0 attachments=0 pools=", renamed));
	sql_note(id, &rolf, "ours", "public");
	sees_head(rc, "rita", id,
		  itest_fmt("%s notes=1 attachments=0 pools=", renamed));
	sees_head(oc, "rolf", id,
		  itest_fmt("%s notes=2 attachments=0 pools=", renamed));
	ITEST_SQL(
	    "an attachment",
	    itest_fmt("INSERT INTO attachments (candidate_id, sha256, "
		      "filename, content_type, size) VALUES (%ld, REPEAT('0', "
		      "64), 'cv.txt', 'text/plain', 1)",
		      id));
	sees_head(rc, "rita", id,
		  itest_fmt("%s notes=1 attachments=1 pools=", renamed));
	ITEST_SQL("a pool joined",
		  itest_fmt("INSERT INTO talent_pools (name) VALUES ('%s');\n"
			    "INSERT INTO pool_members (pool_id, candidate_id) "
			    "VALUES (LAST_INSERT_ID(), %ld)",
			    pool, id));
	sees_head(
	    rc, "rita", id,
	    itest_fmt("%s notes=1 attachments=1 pools=%s;", renamed, pool));
	ITEST_SQL("a pool renamed", itest_fmt("UPDATE talent_pools SET name = "
					      "'%s x' WHERE name = '%s'",
					      pool, pool));
	sees_head(
	    rc, "rita", id,
	    itest_fmt("%s notes=1 attachments=1 pools=%s x;", renamed, pool));
	ITEST_SQL(
	    "a pool deleted",
	    itest_fmt("DELETE FROM talent_pools WHERE name = '%s x'", pool));
	ITEST_SQL(
	    "a note deleted",
	    itest_fmt("DELETE FROM notes WHERE candidate_id = %ld AND body = "
		      "'ours'",
		      id));
	sees_head(rc, "rita", id,
		  itest_fmt("%s notes=0 attachments=1 pools=", renamed));
	free(page);
	free(pool);
	free(renamed);
	free(first);
	itest_client_free(oc);
	itest_client_free(rc);
}

static void private_note_is_seen_by_its_author_only(void)
{
	struct itest_client *rc = itest_signed_in(&rita);
	struct itest_client *oc = itest_signed_in(&rolf);
	struct itest_client *hc = itest_signed_in(&hanna);
	char *first = itest_fmt("Noted%s", run_id);
	long id = create_candidate(rc, first, "Person", "", "");
	char *secret = itest_fmt("secret-note-%s", run_id);
	long before = note_count(oc, id);
	add_note(rc, id, secret, false);

	char *path = itest_fmt("/candidates/%ld?tab=notes", id);
	struct itest_resp r = itest_get(rc, path, false);
	CHECK_HAS(r, secret, "the author sees the private note");
	CHECK_HAS(r, "private: only you", "marked private");
	itest_resp_free(&r);
	CHECK(note_count(rc, id) == before + 1, "the author counts it");

	r = itest_get(oc, path, false);
	CHECK_STATUS(r, 200, "another recruiter opens the notes");
	CHECK_LACKS(r, secret, "another recruiter's HTML");
	char *count = itest_fmt("Notes <span class=\"tab-count\">%ld<", before);
	CHECK_HAS(r, count, "another recruiter's tab counts no private note");
	free(count);
	itest_resp_free(&r);
	r = itest_get(oc, path, true);
	CHECK_LACKS(r, secret, "another recruiter's JSON");
	itest_resp_free(&r);
	for (const char *const *t =
		 (const char *const[]){"overview", "applications", "feedback",
				       NULL};
	     *t; t++) {
		char *p = itest_fmt("/candidates/%ld?tab=%s", id, *t);
		r = itest_get(oc, p, true);
		CHECK_LACKS(r, secret, p);
		itest_resp_free(&r);
		free(p);
	}
	CHECK(note_count(oc, id) == before, "another recruiter counts it");

	/* A public note is visible to the others. */
	char *open = itest_fmt("public-note-%s <b>", run_id);
	add_note(rc, id, open, true);
	r = itest_get(oc, path, false);
	char *esc = itest_fmt("public-note-%s &lt;b&gt;", run_id);
	CHECK_HAS(r, esc, "another recruiter sees the public note");
	CHECK_LACKS(r, secret, "still not the private one");
	itest_resp_free(&r);
	CHECK(note_count(oc, id) == before + 1,
	      "another recruiter counts only the public note");

	/* On the shared candidate: the hiring manager and the interviewer
	 * read the public note and never the private one. */
	char *spriv = itest_fmt("shared-secret-%s", run_id);
	char *spub = itest_fmt("shared-public-%s", run_id);
	add_note(rc, shared_id, spriv, false);
	add_note(rc, shared_id, spub, true);
	char *spath = itest_fmt("/candidates/%ld?tab=notes", shared_id);
	struct itest_client *ic = itest_signed_in(&ines);
	struct itest_client *readers[] = {hc, ic};
	for (size_t i = 0; i < ARRAY_LEN(readers); i++) {
		r = itest_get(readers[i], spath, false);
		CHECK_STATUS(r, 200, spath);
		CHECK_HAS(r, spub, "public note on the shared candidate");
		CHECK_LACKS(r, spriv, "private note on the shared candidate");
		itest_resp_free(&r);
		r = itest_get(readers[i], spath, true);
		CHECK_LACKS(r, spriv, "private note in JSON");
		itest_resp_free(&r);
	}
	/* The hiring manager writes notes; hers are private to her too. */
	char *hnote = itest_fmt("hanna-private-%s", run_id);
	add_note(hc, shared_id, hnote, false);
	r = itest_get(rc, spath, false);
	CHECK_LACKS(r, hnote, "the recruiter sees the manager's private note");
	itest_resp_free(&r);
	r = itest_get(hc, spath, false);
	CHECK_HAS(r, hnote, "the manager sees her own private note");
	itest_resp_free(&r);

	itest_client_free(ic);
	free(hnote);
	free(spath);
	free(spriv);
	free(spub);
	free(esc);
	free(open);
	free(path);
	free(secret);
	free(first);
	itest_client_free(rc);
	itest_client_free(oc);
	itest_client_free(hc);
}

/*
 * The notes tab shows 50 notes a page, newest first: 55 notes are 50 + 5,
 * Next keeps the tab, a page past the last says so, and another user's
 * private note is neither shown nor counted.
 */
static void notes_tab_pages_fifty_at_a_time(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *email = itest_fmt("notes.%s@cand.hirelink.test", run_id);
	long id = create_candidate(c, "Noted", "Often", email, "");
	char *ins = itest_fmt(
	    "INSERT INTO notes (candidate_id, author_id, body, visibility) "
	    "SELECT %ld, u.id, CONCAT('Paged note ', LPAD(seq, 2, '0')), "
	    "'public' FROM seq_1_to_55 JOIN users u ON u.email = '%s';\n"
	    "INSERT INTO notes (candidate_id, author_id, body, visibility) "
	    "SELECT %ld, id, 'Rolf private note', 'private' FROM users WHERE "
	    "email = '%s'",
	    id, rita.email, id, rolf.email);
	CHECK(itest_sql(ins) == 0, "55 notes and another's private one");

	char *p1 = itest_fmt("/candidates/%ld?tab=notes", id);
	struct itest_resp r = itest_get(c, p1, false);
	CHECK_STATUS(r, 200, p1);
	/* each of rita's notes shows its body, and again in its edit form */
	const char *shown = "<div class=\"note-body\">Paged note ";
	CHECK(itest_count(r.body, shown) == 50, "50 on page 1, not %zu",
	      itest_count(r.body, shown));
	CHECK_HAS(r, "Paged note 55", "newest first");
	CHECK_LACKS(r, "Paged note 05", "the oldest are on page 2");
	CHECK_LACKS(r, "Rolf private note", "another's private note");
	char *next =
	    itest_fmt("href=\"/candidates/%ld?page=2&amp;tab=notes\"", id);
	CHECK_HAS(r, next, "Next keeps the tab");
	CHECK_HAS(r, "Page 1 of 2", "two pages: the private note not counted");
	itest_resp_free(&r);

	char *p2 = itest_fmt("/candidates/%ld?tab=notes&page=2", id);
	r = itest_get(c, p2, false);
	CHECK(itest_count(r.body, shown) == 5, "5 on page 2, not %zu",
	      itest_count(r.body, shown));
	CHECK_HAS(r, "Paged note 01", "the oldest last");
	itest_resp_free(&r);

	/* past the last page: the last page, and why */
	char *p3 = itest_fmt("/candidates/%ld?tab=notes&page=3", id);
	r = itest_get(c, p3, false);
	CHECK_STATUS(r, 303, p3);
	CHECK(strstr(itest_location(&r), "page=2") != NULL,
	      "to page 2, the last");
	char *to = itest_strdup(itest_location(&r));
	itest_resp_free(&r);
	r = itest_get(c, to, false);
	CHECK_HAS(r, "There is no page 3: this list has 2 pages.",
		  "the last page says why");
	itest_resp_free(&r);
	free(to);

	free(p3);
	free(p2);
	free(next);
	free(p1);
	free(ins);
	free(email);
	itest_client_free(c);
}

static void only_the_author_edits_or_deletes_a_note(void)
{
	struct itest_client *rc = itest_signed_in(&rita);
	char *rc_csrf = itest_csrf_of(rc, "/jobs");
	struct itest_client *oc = itest_signed_in(&rolf);
	char *oc_csrf = itest_csrf_of(oc, "/jobs");
	char *body = itest_fmt("editable-%s", run_id);
	long nid = add_note(rc, shared_id, body, true);
	char *edit = itest_fmt("/notes/%ld", nid);
	char *del = itest_fmt("/notes/%ld/delete", nid);

	struct itest_resp r = itest_post(oc, edit, false, oc_csrf, "body",
					 "taken over", (char *)NULL);
	CHECK_STATUS(r, 404, "another user edits the note");
	itest_resp_free(&r);
	r = itest_post(oc, del, false, oc_csrf, (char *)NULL);
	CHECK_STATUS(r, 404, "another user deletes the note");
	itest_resp_free(&r);

	char *path = itest_fmt("/candidates/%ld?tab=notes", shared_id);
	r = itest_get(oc, path, false);
	CHECK_HAS(r, body, "the note is untouched");
	CHECK_LACKS(r, "taken over", "the note is untouched");
	char *form = itest_fmt("action=\"/notes/%ld\"", nid);
	CHECK_LACKS(r, form, "no edit form for someone else's note");
	itest_resp_free(&r);

	char *edited = itest_fmt("edited-%s", run_id);
	r = itest_post(rc, edit, false, rc_csrf, "body", edited, (char *)NULL);
	CHECK_STATUS(r, 303, "the author edits the note");
	itest_resp_free(&r);
	r = itest_get(oc, path, false);
	CHECK_LACKS(r, edited, "made private by the edit (no public=1)");
	itest_resp_free(&r);
	r = itest_get(rc, path, false);
	CHECK_HAS(r, edited, "the author sees the edit");
	itest_resp_free(&r);

	r = itest_post(rc, edit, false, rc_csrf, "body", "", (char *)NULL);
	CHECK_STATUS(r, 400, "an empty note");
	CHECK_HAS(r, "<strong>Note</strong>", "names the field");
	itest_resp_free(&r);

	r = itest_post(rc, del, false, rc_csrf, (char *)NULL);
	CHECK_STATUS(r, 303, "the author deletes the note");
	itest_resp_free(&r);
	r = itest_get(rc, path, false);
	CHECK_LACKS(r, edited, "the note is gone");
	itest_resp_free(&r);
	r = itest_post(rc, del, false, rc_csrf, (char *)NULL);
	CHECK_STATUS(r, 404, "deleting it again");
	itest_resp_free(&r);

	free(edited);
	free(form);
	free(path);
	free(edit);
	free(del);
	free(body);
	free(rc_csrf);
	itest_client_free(rc);
	free(oc_csrf);
	itest_client_free(oc);
}

static void interviewer_cannot_write_notes(void)
{
	struct itest_client *c = itest_signed_in(&ines);
	char *csrf = itest_csrf_of(c, "/jobs");
	char *path = itest_fmt("/candidates/%ld/notes", shared_id);
	char *body = itest_fmt("interviewer-note-%s", run_id);
	struct itest_resp r =
	    itest_post(c, path, false, csrf, "body", body, (char *)NULL);
	CHECK(r.status == 403 || r.status == 404,
	      "interviewer writes a note: status %ld", r.status);
	itest_resp_free(&r);
	char *page = itest_fmt("/candidates/%ld?tab=notes", shared_id);
	r = itest_get(c, page, false);
	CHECK_LACKS(r, "New note", "no note form for the interviewer");
	CHECK_LACKS(r, body, "no note was written");
	itest_resp_free(&r);
	free(page);
	free(body);
	free(path);
	free(csrf);
	itest_client_free(c);
}

/* ------------------------------------------------------------ escaping */

static void markup_and_sql_in_fields_come_back_verbatim_and_escaped(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *csrf = itest_csrf_of(c, "/jobs");
	const char *evil = "<script>alert(1)</script>' OR '1'='1\"; --";
	const char *evil_esc = "&lt;script&gt;alert(1)&lt;/script&gt;";
	char *first = itest_fmt("Evil%s %s", run_id, evil);
	char *email = itest_fmt("o'neil&x.%s@example.com", run_id);
	struct itest_resp r = itest_post(
	    c, "/candidates", false, csrf, "first_name", first, "last_name",
	    evil, "email", email, "phone", "+1 555 <b>1</b>", "headline", evil,
	    "location", evil, "source", evil, (char *)NULL);
	CHECK_STATUS(r, 303, "create with markup in every field");
	long id = id_from_location(&r, "/candidates/");
	itest_resp_free(&r);

	char *path = itest_fmt("/candidates/%ld", id);
	r = itest_get(c, path, false);
	CHECK_STATUS(r, 200, path);
	CHECK_LACKS(r, "<script>alert", "raw markup in the page");
	CHECK_LACKS(r, "<b>1</b>", "raw markup in the page");
	CHECK_HAS(r, evil_esc, "escaped markup");
	CHECK(itest_count(r.body, evil_esc) >= 5,
	      "every field is shown escaped (%zu)",
	      itest_count(r.body, evil_esc));
	CHECK_HAS(r, "o&#39;neil&amp;x.", "escaped email");
	itest_resp_free(&r);

	r = itest_get(c, path, true);
	json_t *j = json_of(&r);
	json_t *k = json_object_get(j, "candidate");
	static const char *const fields[] = {"last_name", "headline",
					     "location", "source"};
	for (size_t i = 0; i < ARRAY_LEN(fields); i++)
		CHECK(!strcmp(json_string_value(json_object_get(k, fields[i]))
				  ?: "",
			      evil),
		      "%s comes back verbatim in JSON", fields[i]);
	CHECK(!strcmp(json_string_value(json_object_get(k, "first_name")) ?: "",
		      first),
	      "first_name verbatim");
	CHECK(!strcmp(json_string_value(json_object_get(k, "email")) ?: "",
		      email),
	      "email verbatim");
	json_decref(j);
	itest_resp_free(&r);

	/* and in the list, and as a note */
	char *q = itest_fmt("Evil%s", run_id);
	char *url = search_url(q, NULL);
	r = itest_get(c, url, false);
	CHECK_HAS(r, evil_esc, "escaped in the list");
	CHECK_LACKS(r, "<script>alert", "raw markup in the list");
	itest_resp_free(&r);
	CHECK(json_total(c, url) == 1, "SQL in a name does not widen a search");
	char *npath = itest_fmt("/candidates/%ld/notes", id);
	r = itest_post(c, npath, false, csrf, "body", evil, (char *)NULL);
	CHECK_STATUS(r, 303, "note with markup");
	itest_resp_free(&r);
	char *tab = itest_fmt("/candidates/%ld?tab=notes", id);
	r = itest_get(c, tab, false);
	CHECK_HAS(r, evil_esc, "escaped note");
	CHECK_LACKS(r, "<script>alert", "raw markup in the notes");
	itest_resp_free(&r);
	/* a search with SQL in it is just text */
	char *sq = search_url("' OR 1=1 -- ", NULL);
	CHECK(json_total(c, sq) == 0, "SQL as a search finds nothing");
	free(sq);
	free(tab);
	free(npath);
	free(url);
	free(q);
	free(path);
	free(first);
	free(email);
	free(csrf);
	itest_client_free(c);
}

/* A string of n copies of ch; new. */
static char *repeat(char ch, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memset(s, ch, n);
	s[n] = 0;
	return s;
}

/* A right-to-left override, a line separator or a value of nothing but
 * invisible characters is refused in a one-line field, the field named and
 * the reason given; nothing is created. */
static void a_field_that_disguises_text_is_refused(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *csrf = itest_csrf_of(c, "/jobs");
	char *keep = itest_fmt("Disguise%s", run_id);
	static const struct {
		const char *field, *value, *reason, *label;
	} bad[] = {
	    {"last_name", "Doe \xe2\x80\xae" "fdp.exe", "direction controls",
	     "Last name"},
	    {"headline", "line\xe2\x80\xa8" "break", "line separators",
	     "Headline"},
	    {"current_company", "\xe2\x80\x8b\xe2\x80\x8b",
	     "a visible character", "Current company"},
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct itest_resp r =
		    itest_post(c, "/candidates", false, csrf, "first_name",
			       keep, bad[i].field, bad[i].value, (char *)NULL);
		CHECK_STATUS(r, 400, bad[i].field);
		/* by its label, never its key */
		char *strong = itest_fmt("<strong>%s</strong>", bad[i].label);
		CHECK_HAS(r, strong, "the error names the field");
		CHECK_HAS(r, bad[i].reason, "the error says why");
		free(strong);
		itest_resp_free(&r);
	}
	char *url = search_url(keep, NULL);
	CHECK(json_total(c, url) == 0, "a refused form created a candidate");
	free(url);
	free(keep);
	free(csrf);
	itest_client_free(c);
}

static void too_long_fields_are_refused_naming_the_field(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *csrf = itest_csrf_of(c, "/jobs");
	char *n201 = repeat('n', 201), *n51 = repeat('5', 51),
	     *n101 = repeat('s', 101), *n480 = repeat('u', 480);
	char *u = itest_fmt("https://www.linkedin.com/in/%s", n480);
	free(n480);
	static const char *const names[] = {
	    "first_name", "last_name", "phone", "headline",
	    "location",	  "source",    "email", "linkedin_url"};
	static const char *const labels[] = {
	    "First name", "Last name", "Phone", "Headline",
	    "Location",	  "Source",    "Email", "LinkedIn profile URL"};
	const char *values[] = {n201, n201,	      n51, n201, n201,
				n101, "not-an-email", u};
	char *keep = itest_fmt("Keep%s", run_id);
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		/* first_name is required: give a good one unless testing it */
		const char *first =
		    strcmp(names[i], "first_name") ? keep : n201;
		struct itest_resp r =
		    strcmp(names[i], "first_name")
			? itest_post(c, "/candidates", false, csrf,
				     "first_name", first, "headline",
				     strcmp(names[i], "headline")
					 ? "kept headline"
					 : values[i],
				     names[i], values[i], (char *)NULL)
			: itest_post(c, "/candidates", false, csrf,
				     "first_name", first, "headline",
				     "kept headline", (char *)NULL);
		CHECK_STATUS(r, 400, names[i]);
		char *strong = itest_fmt("<strong>%s</strong>", labels[i]);
		CHECK_HAS(r, strong, "the error names the field");
		if (strcmp(names[i], "headline"))
			CHECK_HAS(r, "value=\"kept headline\"",
				  "the other values are kept");
		char *kept = itest_fmt("value=\"%.40s", values[i]);
		CHECK_HAS(r, kept, "the refused value is kept");
		free(kept);
		free(strong);
		itest_resp_free(&r);

		r = strcmp(names[i], "first_name")
			? itest_post(c, "/candidates", true, csrf, "first_name",
				     first, names[i], values[i], (char *)NULL)
			: itest_post(c, "/candidates", true, csrf, "first_name",
				     first, (char *)NULL);
		CHECK_STATUS(r, 400, names[i]);
		json_t *j = json_of(&r);
		const char *field = json_string_value(
		    json_object_get(json_object_get(j, "error"), "field"));
		CHECK(field && !strcmp(field, names[i]),
		      "JSON error names %s, not %s", names[i],
		      field ? field : "(none)");
		json_decref(j);
		itest_resp_free(&r);
	}
	/* Missing first name */
	struct itest_resp r = itest_post(c, "/candidates", false, csrf,
					 "last_name", "Only", (char *)NULL);
	CHECK_STATUS(r, 400, "no first name");
	CHECK_HAS(r, "<strong>First name</strong>", "names first_name");
	itest_resp_free(&r);
	/* Nothing was created by any of it. */
	char *url = search_url(keep, NULL);
	CHECK(json_total(c, url) == 0, "a refused form created a candidate");
	/* The limits themselves are fine. */
	char *n200 = repeat('m', 200), *n50 = repeat('6', 50),
	     *n100 = repeat('t', 100);
	r = itest_post(c, "/candidates", false, csrf, "first_name", keep,
		       "last_name", n200, "phone", n50, "headline", n200,
		       "location", n200, "source", n100, (char *)NULL);
	CHECK_STATUS(r, 303, "fields at their limits");
	itest_resp_free(&r);
	/* A long note */
	char *n20001 = repeat('x', 20001);
	char *npath = itest_fmt("/candidates/%ld/notes", shared_id);
	r = itest_post(c, npath, false, csrf, "body", n20001, (char *)NULL);
	CHECK_STATUS(r, 400, "a note of 20,001 characters");
	CHECK_HAS(r, "<strong>Note</strong>", "names body");
	CHECK_HAS(r, "xxxxxxxxxxxxxxxxxxxx</textarea>", "keeps the note text");
	itest_resp_free(&r);
	free(npath);
	free(n20001);
	free(n200);
	free(n50);
	free(n100);
	free(url);
	free(keep);
	free(n201);
	free(n51);
	free(n101);
	free(u);
	free(csrf);
	itest_client_free(c);
}

/* ------------------------------------------------------------ uploads */

/* POSTs one file as multipart field "file"; json: ask for JSON. */
static struct itest_resp upload(struct itest_client *c, long id,
				const char *filename, const char *ctype,
				const void *data, size_t len, bool json)
{
	char *csrf = itest_csrf_of(c, "/jobs");
	const char *boundary = "----hirelinkTestBoundary7MA4YWxkTrZu0gW";
	struct buf b = BUF_INIT;
	buf_addf(&b,
		 "--%s\r\nContent-Disposition: form-data; "
		 "name=\"csrf\"\r\n\r\n%s\r\n",
		 boundary, csrf);
	buf_addf(&b,
		 "--%s\r\nContent-Disposition: form-data; name=\"file\"; "
		 "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n",
		 boundary, filename, ctype);
	buf_add(&b, data, len);
	buf_addf(&b, "\r\n--%s--\r\n", boundary);
	char *ct = itest_fmt("multipart/form-data; boundary=%s", boundary);
	char *path = itest_fmt("/candidates/%ld/attachments", id);
	struct itest_resp r =
	    buf_failed(&b)
		? (struct itest_resp){0}
		: itest_request(c, "POST", path, json, ct, b.data, b.len, NULL);
	buf_release(&b);
	free(path);
	free(ct);
	free(csrf);
	return r;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

static void put16(struct buf *b, unsigned v)
{
	buf_addc(b, (char)(v & 0xff));
	buf_addc(b, (char)((v >> 8) & 0xff));
}

static void put32(struct buf *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b, v >> 16);
}

/* A minimal DOCX: a stored (uncompressed) ZIP with [Content_Types].xml
 * and word/document.xml. */
static void minimal_docx(struct buf *b)
{
	static const char *const names[] = {"[Content_Types].xml",
					    "word/document.xml"};
	static const char *const bodies[] = {
	    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas."
	    "openxmlformats.org/package/2006/content-types\"/>",
	    "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas."
	    "openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p>"
	    "<w:r><w:t>Resume</w:t></w:r></w:p></w:body></w:document>"};
	uint32_t offs[2], crcs[2];
	for (int i = 0; i < 2; i++) {
		size_t nl = strlen(names[i]), bl = strlen(bodies[i]);
		offs[i] = (uint32_t)b->len;
		crcs[i] = crc32_of((const unsigned char *)bodies[i], bl);
		put32(b, 0x04034b50);
		put16(b, 20);
		put16(b, 0);
		put16(b, 0); /* stored */
		put16(b, 0);
		put16(b, 0x21);
		put32(b, crcs[i]);
		put32(b, (uint32_t)bl);
		put32(b, (uint32_t)bl);
		put16(b, (unsigned)nl);
		put16(b, 0);
		buf_add(b, names[i], nl);
		buf_add(b, bodies[i], bl);
	}
	uint32_t cd = (uint32_t)b->len;
	for (int i = 0; i < 2; i++) {
		size_t nl = strlen(names[i]), bl = strlen(bodies[i]);
		put32(b, 0x02014b50);
		put16(b, 20);
		put16(b, 20);
		put16(b, 0);
		put16(b, 0);
		put16(b, 0);
		put16(b, 0x21);
		put32(b, crcs[i]);
		put32(b, (uint32_t)bl);
		put32(b, (uint32_t)bl);
		put16(b, (unsigned)nl);
		put16(b, 0);
		put16(b, 0);
		put16(b, 0);
		put16(b, 0);
		put32(b, 0);
		put32(b, offs[i]);
		buf_add(b, names[i], nl);
	}
	uint32_t cd_size = (uint32_t)b->len - cd;
	put32(b, 0x06054b50);
	put16(b, 0);
	put16(b, 0);
	put16(b, 2);
	put16(b, 2);
	put32(b, cd_size);
	put32(b, cd);
	put16(b, 0);
}

/*
 * A file larger than a FastCGI record can carry (65535 bytes), whose size
 * is not a multiple of 8 (so the last record is padded), must reach the
 * browser through nginx byte for byte, and HEAD must bring its head alone
 * with the same length.
 */
static void large_download_spans_many_fastcgi_records(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	size_t len = 3 * 65528 + 4321;
	char *pdf = malloc(len);
	CHECK(pdf != NULL, "memory for the file");
	if (!pdf)
		return;
	uint32_t x = 2463534242u; /* xorshift: bytes of every value */
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		pdf[i] = (char)(x >> 24);
	}
	memcpy(pdf, "%PDF-1.7\n", 9);
	memcpy(pdf + len - 6, "%%EOF\n", 6);
	struct itest_resp r = upload(c, shared_id, "large report.pdf",
				     "application/pdf", pdf, len, true);
	CHECK_STATUS(r, 201, "upload a 200 KB PDF");
	json_t *j = json_of(&r);
	long aid = (long)json_integer_value(
	    json_object_get(json_object_get(j, "attachment"), "id"));
	json_decref(j);
	itest_resp_free(&r);

	char *path = itest_fmt("/attachments/%ld", aid);
	r = itest_get(c, path, false);
	CHECK_STATUS(r, 200, path);
	CHECK(r.len == len && !memcmp(r.body, pdf, len),
	      "download is byte-identical (%zu bytes, want %zu)", r.len, len);
	itest_resp_free(&r);

	r = itest_request(c, "HEAD", path, false, NULL, NULL, 0, NULL);
	CHECK_STATUS(r, 200, "HEAD of the attachment");
	const char *cl = itest_header(&r, "Content-Length");
	CHECK(cl && strtoul(cl, NULL, 10) == len, "HEAD's Content-Length: %s",
	      cl ? cl : "(none)");
	CHECK(r.len == 0, "HEAD brings no body (%zu bytes)", r.len);
	itest_resp_free(&r);

	/* the connection is still good for the next request */
	r = itest_get(c, "/candidates", false);
	CHECK_STATUS(r, 200, "a page after the download");
	itest_resp_free(&r);
	free(path);
	free(pdf);
	itest_client_free(c);
}

static void pdf_upload_downloads_byte_for_byte(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	/* binary bytes, a NUL and CR LF inside, as real PDFs have */
	static const char pdf[] =
	    "%PDF-1.7\n%\xe2\xe3\xcf\xd3\r\n1 0 obj\n<<>>\n"
	    "stream\n\x00\x01\x02\xff\xfe\r\n--x--\r\n"
	    "endstream\nendobj\n%%EOF\n";
	size_t len = sizeof(pdf) - 1;
	struct itest_resp r =
	    upload(c, shared_id, "C:\\docs\\Résumé fin;al.pdf",
		   "application/octet-stream", pdf, len, true);
	CHECK_STATUS(r, 201, "upload a PDF");
	json_t *j = json_of(&r);
	json_t *att = json_object_get(j, "attachment");
	long aid = (long)json_integer_value(json_object_get(att, "id"));
	CHECK(aid > 0, "the attachment's id: %s", r.body);
	CHECK(!strcmp(json_string_value(json_object_get(att, "content_type"))
			  ?: "",
		      "application/pdf"),
	      "stored as application/pdf");
	CHECK(json_integer_value(json_object_get(att, "size")) == (long)len,
	      "size");
	json_decref(j);
	itest_resp_free(&r);

	char *path = itest_fmt("/attachments/%ld", aid);
	r = itest_get(c, path, false);
	CHECK_STATUS(r, 200, path);
	CHECK(r.len == len && !memcmp(r.body, pdf, len),
	      "download is byte-identical (%zu bytes, want %zu)", r.len, len);
	const char *cd = itest_header(&r, "Content-Disposition");
	CHECK(cd && !strncmp(cd, "attachment; filename=\"", 22),
	      "Content-Disposition: %s", cd ? cd : "(none)");
	CHECK(cd && strstr(cd, "filename*=UTF-8''R%C3%A9sum%C3%A9"),
	      "UTF-8 filename*: %s", cd ? cd : "(none)");
	CHECK(cd && strstr(cd, "filename=\"R__sum__ fin_al.pdf\""),
	      "an ASCII name without the path: %s", cd ? cd : "(none)");
	CHECK(cd && strstr(cd, "''R%C3%A9sum%C3%A9%20fin%3Bal.pdf"),
	      "the full name, percent-encoded: %s", cd ? cd : "(none)");
	const char *ct = itest_header(&r, "Content-Type");
	CHECK(ct && !strncmp(ct, "application/pdf", 15), "Content-Type: %s",
	      ct ? ct : "(none)");
	const char *nosniff = itest_header(&r, "X-Content-Type-Options");
	CHECK(nosniff && !strcmp(nosniff, "nosniff"), "nosniff");
	itest_resp_free(&r);

	/* listed on the tab */
	char *tab = itest_fmt("/candidates/%ld?tab=attachments", shared_id);
	r = itest_get(c, tab, false);
	char *link = itest_fmt("href=\"/attachments/%ld\"", aid);
	CHECK_HAS(r, link, "the attachments tab links the file");
	CHECK_HAS(r, "sum", "the attachments tab names the file");
	itest_resp_free(&r);

	/* the same content again is fine (stored once) */
	r = upload(c, shared_id, "copy.pdf", "application/pdf", pdf, len,
		   false);
	CHECK_STATUS(r, 303, "upload the same PDF again");
	itest_resp_free(&r);

	/* who may download: the job's interviewer yes, hugo no */
	struct itest_client *ic = itest_signed_in(&ines);
	r = itest_get(ic, path, false);
	CHECK_STATUS(r, 200, "the interviewer downloads");
	itest_resp_free(&r);
	r = upload(ic, shared_id, "i.pdf", "application/pdf", pdf, len, false);
	CHECK(r.status == 403 || r.status == 404,
	      "interviewer uploads: status %ld", r.status);
	itest_resp_free(&r);
	itest_client_free(ic);
	struct itest_client *hc = itest_signed_in(&hugo);
	r = itest_get(hc, path, false);
	CHECK_STATUS(r, 404, "a hiring manager of no job downloads");
	CHECK(r.len != len || memcmp(r.body, pdf, len), "and gets no bytes");
	itest_resp_free(&r);
	itest_client_free(hc);
	r = itest_get(c, "/attachments/999999999", false);
	CHECK_STATUS(r, 404, "an attachment that does not exist");
	itest_resp_free(&r);

	free(link);
	free(tab);
	free(path);
	itest_client_free(c);
}

static void disguised_and_bad_files_are_refused(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	static const char exe[] = "MZ\x90\x00\x03\x00\x00\x00\x04\x00This "
				  "program cannot be run in DOS mode";
	static const char htm[] = "<html><script>alert(1)</script></html>";
	static const char bad_utf8[] = "caf\xc3 ol\xff\xfe text";
	static const char nul_txt[] = "a\0b";
	static const char pdf[] = "%PDF-1.4\nx\n%%EOF\n";
	static const struct {
		const char *name;
		const char *data;
		size_t len;
		const char *what;
	} bad[] = {
	    {"cv.pdf", exe, sizeof(exe) - 1, "an EXE named .pdf"},
	    {"cv.pdf", htm, sizeof(htm) - 1, "HTML named .pdf"},
	    {"cv.txt", bad_utf8, sizeof(bad_utf8) - 1, "invalid UTF-8 .txt"},
	    {"cv.txt", nul_txt, 3, "a .txt with a NUL byte"},
	    {"cv.docx", pdf, sizeof(pdf) - 1, "a PDF named .docx"},
	    {"cv.exe", exe, sizeof(exe) - 1, "an .exe"},
	    {"cv.html", htm, sizeof(htm) - 1, "an .html"},
	    {"cv.txt", pdf, sizeof(pdf) - 1, "a PDF named .txt"},
	    {"cv", pdf, sizeof(pdf) - 1, "no extension"},
	    {"cv.pdf", "", 0, "an empty file"},
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct itest_resp r =
		    upload(c, shared_id, bad[i].name, "application/pdf",
			   bad[i].data, bad[i].len, true);
		CHECK_STATUS(r, 400, bad[i].what);
		json_t *j = json_of(&r);
		const char *field = json_string_value(
		    json_object_get(json_object_get(j, "error"), "field"));
		CHECK(field && !strcmp(field, "file"),
		      "%s: the error names \"file\", not %s", bad[i].what,
		      field ? field : "(none)");
		json_decref(j);
		itest_resp_free(&r);
	}
	/* HTML: the page again with the message */
	struct itest_resp r = upload(c, shared_id, "cv.pdf", "application/pdf",
				     htm, sizeof(htm) - 1, false);
	CHECK_STATUS(r, 400, "HTML named .pdf, browser");
	CHECK_HAS(r, "<strong>File</strong>", "names the field");
	CHECK_HAS(r, "not a PDF", "says why");
	itest_resp_free(&r);

	/* None of them was stored. */
	char *tab = itest_fmt("/candidates/%ld?tab=attachments", shared_id);
	r = itest_get(c, tab, true);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		if (!strcmp(bad[i].name, "cv.pdf"))
			continue;
		char *stored = itest_fmt("\"filename\":\"%s\"", bad[i].name);
		CHECK(!strstr(r.body, stored), "%s was stored", bad[i].name);
		free(stored);
	}
	itest_resp_free(&r);
	free(tab);
	itest_client_free(c);
}

static void eleven_mib_upload_is_too_large(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	size_t len = 11u * 1024 * 1024;
	char *big = malloc(len);
	if (!big)
		abort();
	memset(big, 'a', len);
	memcpy(big, "%PDF-1.4\n", 9);
	struct itest_resp r =
	    upload(c, shared_id, "big.pdf", "application/pdf", big, len, false);
	CHECK_STATUS(r, 413, "an 11 MiB upload");
	itest_resp_free(&r);
	free(big);
	itest_client_free(c);
}

/* The stack's data_dir (HIRELINK_CONFIG's data_dir line); new. */
static char *data_dir(void)
{
	FILE *f = fopen(itest_env("HIRELINK_CONFIG"), "r");
	char line[1024], *dir = NULL;
	while (f && !dir && fgets(line, sizeof(line), f)) {
		char v[900];
		if (sscanf(line, " data_dir = %899s", v) == 1)
			dir = itest_strdup(v);
	}
	if (f)
		fclose(f);
	return dir ? dir : itest_strdup("");
}

/* Writes text to path, its time hours_ago hours back. */
static void put_file(const char *path, const char *text, int hours_ago)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL, "cannot write %s", path);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
	struct timespec t[2];
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= hours_ago * 3600L;
	t[1] = t[0];
	CHECK(utimensat(AT_FDCWD, path, t, 0) == 0, "cannot date %s", path);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static long swept(const char *kind)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = itest_metrics(c);
	char *series =
	    itest_fmt("hirelink_uploads_swept_total{kind=\"%s\"}", kind);
	long n = itest_metric(r.body, series);
	free(series);
	itest_resp_free(&r);
	itest_client_free(c);
	return n;
}

/* What kill -9 during uploads leaves in data_dir, a temporary not renamed
 * yet and a stored file whose row never came, is swept: temporaries when
 * hirelink starts, orphans by the worker (at its start and every
 * upload_sweep_minutes); what a row names, and what is recent (an upload
 * under way), stays; /metrics counts them (issue 17). */
static void what_a_killed_upload_left_is_swept(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	static const char txt[] = "Swept? Never: an attachment names me.\n";
	struct itest_resp r = upload(c, shared_id, "kept.txt", "text/plain",
				     txt, sizeof(txt) - 1, true);
	CHECK_STATUS(r, 201, "the upload that stays");
	json_t *j = json_of(&r);
	long tid = (long)json_integer_value(
	    json_object_get(json_object_get(j, "attachment"), "id"));
	json_decref(j);
	itest_resp_free(&r);
	char *sha = itest_sql_str("SELECT sha256 FROM attachments WHERE id = %ld",
				  tid);
	char *dir = data_dir();
	char *sub = itest_fmt("%s/%.2s", dir, sha);
	char *kept = itest_fmt("%s/%s", sub, sha);
	CHECK(exists(kept), "the stored file %s", kept);
	/* made old, as if stored long ago: a row names it, so it stays */
	put_file(kept, txt, 48);
	char *tmp_old = itest_fmt("%s/.tmp-%s0ld", sub, run_id);
	char *tmp_new = itest_fmt("%s/.tmp-%snew", sub, run_id);
	char orphan_name[65];
	snprintf(orphan_name, sizeof(orphan_name), "%.2s%062d", sha, 17);
	char *orphan = itest_fmt("%s/%s", sub, orphan_name);
	char *orphan_new = itest_fmt("%s/%.2s%062d", sub, sha, 18);
	put_file(tmp_old, "half a resume", 24);
	put_file(tmp_new, "an upload under way", 0);
	put_file(orphan, "a file whose row never came", 24);
	put_file(orphan_new, "a file whose row is coming", 0);
	long t0 = swept("temporary"), o0 = swept("orphan");
	CHECK(t0 >= 0 && o0 >= 0, "/metrics counts sweeps: %ld %ld", t0, o0);

	CHECK(itest_stack("restart-app") == 0, "stack.sh restart-app failed");
	CHECK(!exists(tmp_old), "an old temporary survived the start");
	CHECK(exists(tmp_new), "a recent temporary (an upload under way) went");
	CHECK(exists(orphan), "hirelink's start sweeps temporaries only");
	CHECK(swept("temporary") == t0 + 1, "temporaries swept: %ld, was %ld",
	      swept("temporary"), t0);

	CHECK(itest_stack("worker-stop") == 0, "stack.sh worker-stop failed");
	CHECK(itest_stack("worker-start") == 0, "stack.sh worker-start failed");
	for (int i = 0; i < 100 && exists(orphan); i++)
		usleep(50000);
	CHECK(!exists(orphan), "the worker left an orphan older than an hour");
	CHECK(exists(orphan_new), "a recent file without its row yet went");
	CHECK(exists(kept), "the sweep took a file an attachment names");
	CHECK(swept("orphan") == o0 + 1, "orphans swept: %ld, was %ld",
	      swept("orphan"), o0);
	char *path = itest_fmt("/attachments/%ld", tid);
	r = itest_get(c, path, false);
	CHECK(r.status == 200 && r.len == sizeof(txt) - 1 &&
		  !memcmp(r.body, txt, r.len),
	      "the attachment downloads after the sweeps: %ld", r.status);
	itest_resp_free(&r);
	unlink(tmp_new);
	unlink(orphan_new);

	free(path);
	free(orphan_new);
	free(orphan);
	free(tmp_new);
	free(tmp_old);
	free(kept);
	free(sub);
	free(dir);
	free(sha);
	itest_client_free(c);
}

static void txt_and_docx_are_accepted(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	static const char txt[] = "Ada Lovelace — résumé\nAnalytical Engine\n";
	struct itest_resp r = upload(c, shared_id, "cv.TXT", "text/plain", txt,
				     sizeof(txt) - 1, true);
	CHECK_STATUS(r, 201, "a UTF-8 .TXT");
	json_t *j = json_of(&r);
	const char *ct = json_string_value(
	    json_object_get(json_object_get(j, "attachment"), "content_type"));
	CHECK(ct && !strncmp(ct, "text/plain", 10), "text/plain: %s",
	      ct ? ct : "(none)");
	long tid = (long)json_integer_value(
	    json_object_get(json_object_get(j, "attachment"), "id"));
	json_decref(j);
	itest_resp_free(&r);
	char *path = itest_fmt("/attachments/%ld", tid);
	r = itest_get(c, path, false);
	CHECK(r.len == sizeof(txt) - 1 && !memcmp(r.body, txt, r.len),
	      "the text comes back as it was");
	itest_resp_free(&r);
	free(path);

	struct buf d = BUF_INIT;
	minimal_docx(&d);
	r = upload(c, shared_id, "cv.docx", "application/octet-stream", d.data,
		   d.len, true);
	CHECK_STATUS(r, 201, "a minimal DOCX");
	j = json_of(&r);
	ct = json_string_value(
	    json_object_get(json_object_get(j, "attachment"), "content_type"));
	CHECK(ct && strstr(ct, "wordprocessingml"), "DOCX type: %s",
	      ct ? ct : "(none)");
	json_decref(j);
	itest_resp_free(&r);
	/* a ZIP without the Word parts is not a DOCX */
	struct buf z = BUF_INIT;
	buf_add(&z, d.data, d.len);
	char *w = memmem(z.data, z.len, "word/", 5);
	while (w) {
		memcpy(w, "wxrd/", 5);
		w = memmem(w, z.len - (size_t)(w - z.data), "word/", 5);
	}
	r = upload(c, shared_id, "cv.docx", "application/octet-stream", z.data,
		   z.len, true);
	CHECK_STATUS(r, 400, "a ZIP that is not a Word document");
	itest_resp_free(&r);
	buf_release(&z);
	buf_release(&d);
	itest_client_free(c);
}

/* "Add to job" offers the newest jobs; any other is found by title or job
 * ID, however many jobs there are. */
static void add_to_job_finds_any_job(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *csrf = itest_csrf_of(c, "/jobs");
	char *title = itest_fmt("Needle %s", run_id);
	struct itest_resp r =
	    itest_post(c, "/jobs", false, csrf, "title", title, (char *)NULL);
	long needle = id_from_location(&r, "/jobs/");
	itest_resp_free(&r);
	CHECK(needle > 0, "the job was created");
	/* 101 newer jobs push it out of the newest 100 */
	char *more = itest_fmt("INSERT INTO jobs (title, description, status) "
			       "SELECT CONCAT('Hay %s ', seq), '', "
			       "'active' FROM seq_1_to_101",
			       run_id);
	CHECK(itest_sql(more) == 0, "101 more jobs");
	free(more);
	long id = create_candidate(c, "Seeker", run_id, "", "");

	char *option = itest_fmt("<option value=\"%ld\">", needle);
	char *apps = itest_fmt("/candidates/%ld?tab=applications", id);
	r = itest_get(c, apps, false);
	CHECK_STATUS(r, 200, apps);
	/* a blank first choice, then the jobs: none is chosen for the user */
	CHECK(itest_count(r.body, "<option value=") == 101,
	      "%zu options, want a blank one and the newest 100 jobs",
	      itest_count(r.body, "<option value="));
	CHECK_HAS(r, "<option value=\"\" selected>Choose a job&hellip;</option>",
		  "the first option is a blank Choose a job, selected");
	CHECK_HAS(r, "<optgroup label=\"Open jobs\">", "open jobs first");
	CHECK_LACKS(r, option, "an older job is not among them");
	CHECK_HAS(r, "find a job by title or job ID to see others",
		  "says how to find the others");
	itest_resp_free(&r);

	const char *finds[] = {"Needle+", "J-"};
	for (size_t i = 0; i < ARRAY_LEN(finds); i++) {
		char *url = i == 0
				? itest_fmt("%s&job_q=Needle+%s", apps, run_id)
				: itest_fmt("%s&job_q=J-%05ld", apps, needle);
		r = itest_get(c, url, false);
		CHECK_STATUS(r, 200, url);
		CHECK_HAS(r, option, finds[i]);
		CHECK(itest_count(r.body, "<option value=") == 2,
		      "%s finds one job (beside the blank choice)", url);
		/* made by POST /jobs, Needle is a draft, and says so */
		CHECK_HAS(r, "(draft)</option>", "a draft is marked");
		itest_resp_free(&r);
		free(url);
	}
	char *none = itest_fmt("%s&job_q=Nothing+like+%s", apps, run_id);
	r = itest_get(c, none, false);
	CHECK_STATUS(r, 200, none);
	CHECK_HAS(r, "No open job matches", "says nothing matched");
	CHECK_LACKS(r, "<select name=\"job_id\"", "offers no job");
	itest_resp_free(&r);
	free(none);

	struct buf b = BUF_INIT;
	buf_adds(&b, apps);
	buf_adds(&b, "&job_q=");
	for (int i = 0; i < 201; i++)
		buf_addc(&b, 'x');
	r = itest_get(c, b.data, false);
	CHECK_STATUS(r, 400, "a 201-character job search");
	CHECK_HAS(r, "at most 200 characters", "says why");
	itest_resp_free(&r);
	buf_release(&b);

	free(apps);
	free(option);
	free(title);
	free(csrf);
	itest_client_free(c);
}

/* ------------------------------------------------------------ pagination */

static void candidates_list_paginates_by_fifty(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *csrf = itest_csrf_of(c, "/jobs");
	char *prefix = itest_fmt("Pag%s", run_id);
	for (int i = 0; i < 51; i++) {
		char *first = itest_fmt("%s%02d", prefix, i);
		struct itest_resp r =
		    itest_post(c, "/candidates", true, csrf, "first_name",
			       first, "last_name", "Paged", (char *)NULL);
		CHECK_STATUS(r, 201, "JSON create");
		itest_resp_free(&r);
		free(first);
	}
	char *url = search_url(prefix, NULL);
	struct itest_resp r = itest_get(c, url, true);
	json_t *j = json_of(&r);
	CHECK(json_integer_value(json_object_get(j, "total")) == 51,
	      "51 found");
	CHECK(json_array_size(json_object_get(j, "candidates")) == 50,
	      "50 on page 1");
	CHECK(json_integer_value(json_object_get(j, "pages")) == 2, "2 pages");
	json_decref(j);
	itest_resp_free(&r);

	r = itest_get(c, url, false);
	CHECK_HAS(r, "rel=\"next\"", "page 1 links to the next");
	CHECK_LACKS(r, "rel=\"prev\"", "page 1 has no previous");
	CHECK_HAS(r, "Page 1 of 2", "page 1");
	itest_resp_free(&r);
	free(url);

	url = search_url(prefix, "&page=2");
	r = itest_get(c, url, true);
	j = json_of(&r);
	json_t *list = json_object_get(j, "candidates");
	CHECK(json_array_size(list) == 1, "1 on page 2");
	/* ordered by last then first name: the last one is #50 */
	char *last = itest_fmt("%s50", prefix);
	CHECK(!strcmp(json_string_value(json_object_get(json_array_get(list, 0),
							"first_name"))
			  ?: "",
		      last),
	      "page 2 holds the 51st");
	free(last);
	json_decref(j);
	itest_resp_free(&r);
	r = itest_get(c, url, false);
	CHECK_HAS(r, "rel=\"prev\"", "page 2 links back");
	CHECK_LACKS(r, "rel=\"next\"", "page 2 is the last");
	itest_resp_free(&r);
	free(url);

	url = search_url(prefix, "&page=3");
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 303, "past the end: the last page");
	CHECK(strstr(itest_location(&r), "page=2") != NULL,
	      "page 2 is the last");
	itest_resp_free(&r);
	free(url);
	/* a JSON client keeps its empty page, and is told */
	url = search_url(prefix, "&page=3");
	r = itest_get(c, url, true);
	CHECK_STATUS(r, 200, "past the end, JSON");
	CHECK_HAS(r, "\"past_end\":true", "says so");
	itest_resp_free(&r);
	free(url);

	static const char *const odd[] = {"&page=0", "&page=-1", "&page=abc",
					  "&page="};
	for (size_t i = 0; i < ARRAY_LEN(odd); i++) {
		url = search_url(prefix, odd[i]);
		r = itest_get(c, url, true);
		CHECK_STATUS(r, 200, url);
		j = json_of(&r);
		CHECK(json_integer_value(json_object_get(j, "page")) == 1,
		      "%s is page 1", odd[i]);
		CHECK(json_array_size(json_object_get(j, "candidates")) == 50,
		      "%s lists page 1", odd[i]);
		json_decref(j);
		itest_resp_free(&r);
		free(url);
	}
	free(prefix);
	free(csrf);
	itest_client_free(c);
}

/*
 * Lists are paged as far as page 200 (10,000 rows): page 20,000 of a
 * million candidates cost MariaDB 3 s a request.  Page 200 of a longer
 * list says why it offers no "Next"; a page past it is refused, saying
 * what to do instead.
 */
static void lists_stop_at_page_200(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *prefix = itest_fmt("Cap%s", run_id);
	char *ins = itest_fmt(
	    "INSERT INTO candidates (first_name, last_name, email) SELECT "
	    "CONCAT('%s', LPAD(seq, 5, '0')), 'Capped', CONCAT('cap', seq, "
	    "'.%s@itest.hirelink.test') FROM seq_1_to_10001",
	    prefix, run_id);
	CHECK(itest_sql(ins) == 0, "10,001 candidates");

	char *url = search_url(prefix, "&page=200");
	struct itest_resp r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, url);
	CHECK_HAS(r, "Page 200 of", "the last page a list shows");
	CHECK_HAS(r, "Lists stop at page 200: search or filter",
		  "says why there is no Next");
	CHECK_LACKS(r, "rel=\"next\"", "offers no Next");
	itest_resp_free(&r);
	free(url);

	url = search_url(prefix, "&page=199");
	r = itest_get(c, url, false);
	CHECK_HAS(r, "rel=\"next\"", "page 199 offers Next");
	CHECK_LACKS(r, "Lists stop at page", "and no such hint");
	itest_resp_free(&r);
	free(url);

	static const char *const far[] = {"&page=201", "&page=20000",
					  "&page=99999999999999999999"};
	for (size_t i = 0; i < ARRAY_LEN(far); i++) {
		url = search_url(prefix, far[i]);
		r = itest_get(c, url, false);
		/* not a raw 400: the last page a list shows, and why */
		CHECK_STATUS(r, 200, url);
		CHECK_HAS(r, "Page 200 of", "shows page 200");
		CHECK_HAS(r, "lists stop at page 200. Search or filter to "
			  "find the rest.", "says the limit in words");
		CHECK_LACKS(r, "Error 400", "no error page");
		itest_resp_free(&r);
		free(url);
	}
	/* a list shorter than that: its last page */
	r = itest_get(c, "/jobs?page=201", false);
	CHECK_STATUS(r, 303, "the jobs list past its end");
	CHECK(strstr(itest_location(&r), "/jobs?page=") != NULL,
	      "sent to the jobs list's last page");
	itest_resp_free(&r);

	char *del = itest_fmt("DELETE FROM candidates WHERE last_name = "
			      "'Capped' AND first_name LIKE '%s%%'",
			      prefix);
	CHECK(itest_sql(del) == 0, "the 10,001 candidates removed");
	free(del);
	free(ins);
	free(prefix);
	itest_client_free(c);
}

/*
 * The search lists first-name matches (by first name), then last-name
 * matches (by last name), each candidate once: the order its indexes
 * deliver, so a prefix matching tens of thousands reads only a page.
 */
static void search_lists_first_name_matches_before_last_name_ones(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	char *p = itest_fmt("Ord%s", run_id);
	char *f_b = itest_fmt("%sb", p), *l_a = itest_fmt("%sa", p), *both = itest_fmt("%sc", p);
	long by_first = create_candidate(c, f_b, "Zed", "", "");
	long by_last = create_candidate(c, "Aaron", l_a, "", "");
	long by_both = create_candidate(c, both, both, "", "");
	char *url = search_url(p, NULL);
	struct itest_resp r = itest_get(c, url, true);
	json_t *j = json_of(&r);
	json_t *list = json_object_get(j, "candidates");
	long want[] = {by_first, by_both, by_last};
	CHECK(json_array_size(list) == 3 &&
		  json_integer_value(json_object_get(j, "total")) == 3,
	      "3 matches, each once: %s", r.body);
	for (size_t i = 0; i < 3 && i < json_array_size(list); i++)
		CHECK(json_integer_value(json_object_get(
			  json_array_get(list, i), "id")) == want[i],
		      "match %zu is candidate %ld: %s", i, want[i], r.body);
	CHECK(json_is_false(json_object_get(j, "total_more")),
	      "a total of 3 is exact");
	json_decref(j);
	itest_resp_free(&r);
	free(url);
	free(both);
	free(l_a);
	free(f_b);
	free(p);
	itest_client_free(c);
}

static void signed_out_visitors_are_sent_to_sign_in(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *path = itest_fmt("/candidates/%ld", shared_id);
	const char *paths[] = {"/candidates", path, "/attachments/1"};
	for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
		struct itest_resp r = itest_get(c, paths[i], false);
		CHECK_STATUS(r, 303, paths[i]);
		CHECK(!strncmp(itest_location(&r), "/login", 6),
		      "%s goes to %s", paths[i], itest_location(&r));
		itest_resp_free(&r);
	}
	free(path);
	itest_client_free(c);
}

/* Two recruiters edit one candidate from forms read at the same version:
 * the second save is refused (409) with both values shown, nothing of the
 * first lost; the 409 page's form, saved again, is a knowing overwrite
 * (issue 17). */
static void a_stale_candidate_form_is_refused_with_both_values(void)
{
	struct itest_client *c = itest_signed_in(&rita);
	struct itest_client *c2 = itest_signed_in(&rolf);
	char *csrf = itest_csrf_of(c, "/jobs");
	char *csrf2 = itest_csrf_of(c2, "/jobs");
	char *first = itest_fmt("Vera%s", run_id);
	long id = create_candidate(c, first, "Original", "", "");
	char *path = itest_fmt("/candidates/%ld", id);
	struct itest_resp r = itest_get(c, path, false);
	char *v1 = itest_field(&r, "version");
	itest_resp_free(&r);
	CHECK(*v1, "the edit form carries no version");

	r = itest_post(c2, path, false, csrf2, "version", v1, "first_name",
		       first, "last_name", "Rolfs", (char *)NULL);
	CHECK_STATUS(r, 303, "rolf's save");
	itest_resp_free(&r);
	r = itest_post(c, path, false, csrf, "version", v1, "first_name",
		       first, "last_name", "Ritas", (char *)NULL);
	CHECK_STATUS(r, 409, "rita's save from the stale form");
	char *row = itest_between(r.body, "<tr class=\"conflict-last_name\">",
				  "</tr>");
	CHECK(row && strstr(row, "Ritas") && strstr(row, "Rolfs"),
	      "the last name row shows both values: \"%s\"",
	      row ? row : "(none)");
	free(row);
	CHECK_HAS(r, "value=\"Ritas\"", "the form keeps rita's value");
	char *v2 = itest_field(&r, "version");
	itest_resp_free(&r);
	r = itest_get(c, path, false);
	CHECK_HAS(r, "Rolfs</h1>", "rolf's change stays");
	itest_resp_free(&r);

	r = itest_post(c, path, false, csrf, "version", v2, "first_name",
		       first, "last_name", "Ritas", (char *)NULL);
	CHECK_STATUS(r, 303, "rita saves again, knowingly");
	itest_resp_free(&r);
	r = itest_get(c, path, false);
	CHECK_HAS(r, "Ritas</h1>", "rita's change after the knowing save");
	itest_resp_free(&r);

	free(v2);
	free(v1);
	free(path);
	free(first);
	free(csrf2);
	free(csrf);
	itest_client_free(c2);
	itest_client_free(c);
}

/* ------------------------------------------------------------ domain */

/*
 * The domain functions called directly on the stack's database, as the
 * LinkedIn intake and the talent pools call them: one record per email and
 * per LinkedIn member ID, and the search's scope.
 */
static struct db *ddb;
static struct arena *da;

static int domain_init(void)
{
	struct db_options o = {0};
	o.socket = itest_env("HIRELINK_TEST_DB_SOCKET");
	o.user = itest_env("HIRELINK_TEST_DB_USER");
	o.name = "hirelink";
	ddb = db_open(&o);
	da = arena_new(64 * 1024);
	return ddb && da && db_ping(ddb) == DB_OK ? 0 : -1;
}

static int domain_clean(void)
{
	db_close(ddb);
	arena_free(da);
	return 0;
}

static void linkedin_member_and_email_are_never_duplicated(void)
{
	struct ats_error err = {0};
	int64_t id = 0, other = 0, existing = 0;
	char *member = itest_fmt("mem-%s_A", run_id);
	char *email = itest_fmt("member.%s@example.net", run_id);
	struct candidate_input in = {.first_name = "Lin",
				     .last_name = "Kedin",
				     .email = email,
				     .linkedin_member_id = member};
	int rc = ats_candidate_create(ddb, 0, &in, NULL, &id, &existing, &err);
	CHECK(rc == DB_OK && id > 0, "create with a member ID: %d", rc);

	/* the same member with another email: the record that exists */
	char *email2 = itest_fmt("member2.%s@example.net", run_id);
	struct candidate_input again = in;
	again.email = email2;
	rc =
	    ats_candidate_create(ddb, 0, &again, NULL, &other, &existing, &err);
	CHECK(rc == DB_DUPLICATE && existing == id,
	      "same member: rc %d existing %lld, want %lld", rc,
	      (long long)existing, (long long)id);
	/* the same email, no member */
	struct candidate_input by_mail = {.first_name = "X", .email = email};
	rc = ats_candidate_create(ddb, 0, &by_mail, NULL, &other, &existing,
				  &err);
	CHECK(rc == DB_DUPLICATE && existing == id, "same email: rc %d", rc);
	/* a bad member ID */
	struct candidate_input bad = {.first_name = "X",
				      .linkedin_member_id = "a b'c"};
	rc = ats_candidate_create(ddb, 0, &bad, NULL, &other, &existing, &err);
	CHECK(rc == ATS_INVALID && err.field &&
		  !strcmp(err.field, "linkedin_member_id"),
	      "bad member ID: rc %d", rc);

	struct candidate k;
	arena_reset(da);
	rc = ats_candidate_get(ddb, da, id, &k);
	CHECK(rc == DB_OK && !strcmp(k.linkedin_member_id, member) &&
		  !strcmp(k.email, email),
	      "the record keeps member and email");
	rc = ats_candidate_get(ddb, da, 999999999, &k);
	CHECK(rc == DB_NOT_FOUND, "no such candidate: %d", rc);
	free(email2);
	free(email);
	free(member);
}

static void search_applies_the_access_rules(void)
{
	struct candidate_list list;
	char *q = itest_fmt("Shared%s", run_id);
	struct user admin = {.id = 0, .role = ROLE_ADMIN};
	struct user nobody = {.id = 999999999, .role = ROLE_HIRING_MANAGER};
	struct user nobody_i = {.id = 999999999, .role = ROLE_INTERVIEWER};
	arena_reset(da);
	int rc = ats_candidates_search(ddb, da, &admin, q, 0, 50, &list);
	CHECK(rc == DB_OK && list.total == 1 && list.n == 1 &&
		  list.v[0].id == shared_id,
	      "admin finds the shared candidate (rc %d, total %lld)", rc,
	      (long long)list.total);
	rc = ats_candidates_search(ddb, da, &nobody, q, 0, 50, &list);
	CHECK(rc == DB_OK && list.total == 0 && list.n == 0,
	      "a hiring manager of no job finds nothing");
	rc = ats_candidates_search(ddb, da, &nobody_i, "", 0, 50, &list);
	CHECK(rc == DB_OK && list.total == 0, "an interviewer of no job");
	/* an offset past the end: the total, no rows */
	rc = ats_candidates_search(ddb, da, &admin, q, 5, 50, &list);
	CHECK(rc == DB_OK && list.total == 1 && list.n == 0, "past the end");
	free(q);

	/* A recruiter's search counts exactly (up to CANDIDATE_SEARCH_CAP):
	 * the 51 "Pag" of the pagination test, 5 a page, are 51 on page 1
	 * as on the last page. */
	q = itest_fmt("Pag%s", run_id);
	arena_reset(da);
	rc = ats_candidates_search(ddb, da, &admin, q, 0, 5, &list);
	CHECK(rc == DB_OK && list.n == 5 && list.total == 51 &&
		  !list.total_more,
	      "page 1 of 11: total %lld more %d", (long long)list.total,
	      list.total_more);
	/* by first name, page after page */
	for (int64_t off = 0; off <= 5; off += 5) {
		if (off)
			rc = ats_candidates_search(ddb, da, &admin, q, off, 5,
						   &list);
		for (size_t i = 0; rc == DB_OK && i < list.n; i++) {
			char *want = itest_fmt("%s%02lld", q,
					       (long long)(off + (int64_t)i));
			CHECK(!strcmp(list.v[i].first_name, want),
			      "offset %lld row %zu is %s, want %s",
			      (long long)off, i, list.v[i].first_name, want);
			free(want);
		}
		CHECK(rc == DB_OK && list.n == 5, "offset %lld: %zu rows",
		      (long long)off, list.n);
	}
	rc = ats_candidates_search(ddb, da, &admin, q, 50, 5, &list);
	CHECK(rc == DB_OK && list.n == 1 && list.total == 51 &&
		  !list.total_more,
	      "the last page: n %zu total %lld", list.n, (long long)list.total);
	rc = ats_candidates_search(ddb, da, &admin, q, 60, 5, &list);
	CHECK(rc == DB_OK && list.n == 0 && list.total == 51,
	      "past the end: total %lld", (long long)list.total);
	free(q);
}

/* A candidate made through ats_candidate_create (which derives the phone's
 * digits) and put on job at its stage by SQL (job 0: on no job); the id, 0
 * on failure. */
static int64_t scoped_candidate(const char *first, const char *last,
				const char *email, const char *phone,
				int64_t job, int64_t stage)
{
	struct candidate_input in = {.first_name = first,
				     .last_name = last,
				     .email = email,
				     .phone = phone};
	struct ats_error err = {0};
	int64_t id = 0, existing = 0;
	if (ats_candidate_create(ddb, 0, &in, NULL, &id, &existing, &err) !=
		DB_OK ||
	    (job && db_exec(ddb, NULL,
			    "INSERT INTO applications (job_id, candidate_id, "
			    "stage_id, status) VALUES (?, ?, ?, 'active')",
			    "iii", job, id, stage) != DB_OK))
		return 0;
	return id;
}

/*
 * A hiring manager's search looks only among the candidates of their jobs
 * (it is run over them, not over every match in the organisation): every
 * kind of match finds, in the order of the kinds (first name, last name,
 * "first last", email, phone), counted exactly, and a match on a job they
 * are not on stays hidden.
 */
static void hiring_manager_search_matches_every_way_within_their_jobs(void)
{
	struct ats_error err = {0};
	struct db_row r;
	struct itest_person hal = {0};
	int64_t job = 0;
	CHECK(itest_person_add(&hal, "hal", "Cand", "hiring_manager", "none") ==
		  0,
	      "a hiring manager");
	char *tag = itest_fmt("Zq%s", run_id);
	char *title = itest_fmt("Scoped search %s", run_id);
	arena_reset(da);
	int rc =
	    ats_job_create(ddb, 0, title, "", "", "active", NULL, &job, &err);
	CHECK(rc == DB_OK && job > 0, "a job");
	rc = db_query_row(ddb, da, &r,
			  "SELECT (SELECT id FROM job_stages WHERE job_id = ? "
			  "AND kind = 'prospect'), (SELECT id FROM users WHERE "
			  "email = ?)",
			  "is", job, hal.email ? hal.email : "");
	int64_t stage = rc == DB_OK ? db_int(&r, 0) : 0;
	struct user hm = {.id = rc == DB_OK ? db_int(&r, 1) : 0,
			  .role = ROLE_HIRING_MANAGER};
	CHECK(stage > 0 && hm.id > 0, "its Prospect stage and hal");
	CHECK(db_exec(ddb, NULL,
		      "INSERT INTO job_members (job_id, user_id, role) VALUES "
		      "(?, ?, 'hiring_manager')",
		      "ii", job, hm.id) == DB_OK,
	      "hal on the job");

	char *f1 = itest_fmt("%sfirst", tag), *l2 = itest_fmt("%slast", tag);
	char *e4 = itest_fmt("%s@mail.hirelink.test", tag);
	char *hidden = itest_fmt("%shidden", tag);
	char *phone = itest_fmt("+1 (555) %06ld", (long)(job % 1000000));
	int64_t by_first = scoped_candidate(f1, "Alpha", NULL, "", job, stage);
	int64_t by_last = scoped_candidate("Bea", l2, NULL, "", job, stage);
	int64_t by_email = scoped_candidate("Cy", "Mail", e4, "", job, stage);
	int64_t by_phone =
	    scoped_candidate("Di", "Phone", NULL, phone, job, stage);
	int64_t off_job = scoped_candidate(hidden, "Other", NULL, "", 0, 0);
	CHECK(by_first && by_last && by_email && by_phone && off_job,
	      "five candidates, four on the job");

	struct candidate_list list;
	arena_reset(da);
	rc = ats_candidates_search(ddb, da, &hm, tag, 0, 50, &list);
	CHECK(rc == DB_OK && list.total == 3 && list.n == 3,
	      "first name, last name and email match, on the job: total %lld "
	      "n %zu",
	      (long long)list.total, list.n);
	int64_t want[] = {by_first, by_last, by_email};
	for (size_t i = 0; rc == DB_OK && i < list.n && i < 3; i++)
		CHECK(list.v[i].id == want[i], "row %zu is %lld, want %lld", i,
		      (long long)list.v[i].id, (long long)want[i]);
	rc = ats_candidates_search(ddb, da, &hm, tag, 1, 1, &list);
	CHECK(rc == DB_OK && list.n == 1 && list.v[0].id == by_last &&
		  list.total == 3,
	      "the second of three on a page of one");

	char *first_last = itest_fmt("Bea %s", tag);
	rc = ats_candidates_search(ddb, da, &hm, first_last, 0, 50, &list);
	CHECK(rc == DB_OK && list.total == 1 && list.n == 1 &&
		  list.v[0].id == by_last,
	      "\"first last\" finds one");
	char *digits = itest_fmt("+1 555 %06ld", (long)(job % 1000000));
	rc = ats_candidates_search(ddb, da, &hm, digits, 0, 50, &list);
	bool found = false;
	for (size_t i = 0; rc == DB_OK && i < list.n; i++)
		found |= list.v[i].id == by_phone;
	CHECK(found, "the phone's digits find the candidate");
	rc = ats_candidates_search(ddb, da, &hm, hidden, 0, 50, &list);
	CHECK(rc == DB_OK && list.total == 0 && list.n == 0,
	      "a match on another job stays hidden");
	struct user admin = {.id = 0, .role = ROLE_ADMIN};
	rc = ats_candidates_search(ddb, da, &admin, hidden, 0, 50, &list);
	CHECK(rc == DB_OK && list.total == 1, "(an admin finds it)");

	free(digits);
	free(first_last);
	free(phone);
	free(hidden);
	free(e4);
	free(l2);
	free(f1);
	free(title);
	free(tag);
	itest_person_free(&hal);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(recruiter_creates_a_candidate_and_sees_the_page),
	    TEST(search_finds_by_name_email_and_phone_prefix),
	    TEST(hiring_manager_on_no_job_finds_nobody),
	    TEST(job_members_find_the_candidates_of_their_job),
	    TEST(duplicate_email_offers_the_existing_record),
	    TEST(candidate_page_has_every_tab),
	    TEST(recruiter_edits_a_candidate),
	    TEST(add_to_job_finds_any_job),
	    TEST(private_note_is_seen_by_its_author_only),
	    TEST(the_kept_candidate_head_shows_every_change_at_once),
	    TEST(notes_tab_pages_fifty_at_a_time),
	    TEST(only_the_author_edits_or_deletes_a_note),
	    TEST(interviewer_cannot_write_notes),
	    TEST(markup_and_sql_in_fields_come_back_verbatim_and_escaped),
	    TEST(too_long_fields_are_refused_naming_the_field),
	    TEST(a_field_that_disguises_text_is_refused),
	    TEST(pdf_upload_downloads_byte_for_byte),
	    TEST(large_download_spans_many_fastcgi_records),
	    TEST(disguised_and_bad_files_are_refused),
	    TEST(eleven_mib_upload_is_too_large),
	    TEST(txt_and_docx_are_accepted),
	    TEST(what_a_killed_upload_left_is_swept),
	    TEST(candidates_list_paginates_by_fifty),
	    TEST(lists_stop_at_page_200),
	    TEST(search_lists_first_name_matches_before_last_name_ones),
	    TEST(signed_out_visitors_are_sent_to_sign_in),
	    TEST(a_stale_candidate_form_is_refused_with_both_values),
	};
	static const struct test domain_tests[] = {
	    TEST(linkedin_member_and_email_are_never_duplicated),
	    TEST(search_applies_the_access_rules),
	    TEST(hiring_manager_search_matches_every_way_within_their_jobs),
	};
	static const struct suite suites[] = {
	    SUITE("candidates", suite_init, suite_clean, tests),
	    /* after the HTTP suite: it uses the users and the job made there */
	    SUITE("candidates_domain", domain_init, domain_clean, domain_tests),
	};

	int rc = itest_run(suites, ARRAY_LEN(suites));
	free(run_id);
	return rc;
}
