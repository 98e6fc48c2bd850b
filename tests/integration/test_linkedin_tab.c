/*
 * test_linkedin_tab.c - the candidate's LinkedIn tab (F8, issue 15) end to
 * end: the seed's three matching rules with the sandbox's crafted members
 * (email and member id both match; email only; member id only; no match;
 * several similar names), the match query leaving nothing stored at
 * LinkedIn for a Prospect-only candidate, Link and Unlink from the list
 * and through the widget's callback routes (persisting across reloads,
 * audited, reaching the sandbox as manualMatchedMember), the 409 for a
 * member another candidate has, the tab answering at once from stored
 * data when LinkedIn is slow or down, who may do what, and the CSP naming
 * the configured LinkedIn origins and nothing broader.
 *
 * The whole stack takes part: the page queues the match query, the worker
 * asks the sandbox and stores the answer, the page shows it.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

#define TAG "LiTab"

/* A crafted member of the sandbox (GET /sandbox/members/crafted). */
struct crafted {
	char *id, *first, *last, *email;
};

enum { BOTH, EMAIL_ONLY, ID_ONLY, NONE, SIM1, SIM2, SIM3, SIM4, NCRAFTED };
static const char *const labels[NCRAFTED] = {
    "email_and_id", "email_only", "id_only",   "none",
    "similar_1",    "similar_2",  "similar_3", "similar_4"};
static struct crafted crafted[NCRAFTED];

static const struct itest_li_app *li;
static struct itest_person admin, rec, hm;
static long long job;
/* the candidates, one per rule */
static long long c_both, c_email, c_id, c_none, c_similar;

/* ------------------------------------------------------------ helpers */

static int64_t now_ms(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static json_t *sandbox_json(const char *path)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s%s", itest_sandbox_url(), path);
	struct itest_resp r = itest_get(c, url, true);
	json_t *j = r.status == 200 ? json_loadb(r.body, r.len, 0, NULL) : NULL;
	if (!j)
		itest_dump(&r);
	itest_resp_free(&r);
	free(url);
	itest_client_free(c);
	return j;
}

static char *sql_quote_free(const char *s)
{
	/* crafted names and emails have no quotes; keep them out anyway */
	return strchr(s, '\'') ? itest_strdup("") : itest_strdup(s);
}

/* A candidate made as an export or a recruiter would have made it. */
static long long candidate_add(const char *first, const char *last,
			       const char *email, const char *member)
{
	char *f = sql_quote_free(first), *l = sql_quote_free(last);
	char *e = email ? itest_fmt("'%s'", email) : itest_strdup("NULL");
	char *m = member ? itest_fmt("'%s'", member) : itest_strdup("NULL");
	char *q = itest_fmt("INSERT INTO candidates (first_name, last_name, "
			    "email, linkedin_member_id, source) VALUES ('%s', "
			    "'%s', %s, %s, '" TAG "')",
			    f, l, e, m);
	long long id = -1;
	if (itest_sql(q) == 0)
		id = itest_sql_int("SELECT MAX(id) FROM candidates WHERE "
				   "first_name = '%s' AND last_name = '%s'",
				   f, l);
	free(q);
	free(f);
	free(l);
	free(e);
	free(m);
	return id;
}

static char *tab_path(long long id)
{
	return itest_fmt("/candidates/%lld?tab=linkedin", id);
}

/* The tab's "linkedin" object as c sees it now; new. */
static json_t *tab(struct itest_client *c, long long id, long *status)
{
	char *p = tab_path(id);
	long st = 0;
	json_t *j = itest_get_json(c, p, &st);
	free(p);
	if (status)
		*status = st;
	json_t *o = json_incref(json_object_get(j, "linkedin"));
	json_decref(j);
	return o;
}

/* Opens the tab until LinkedIn's answer for the candidate as it is now is
 * stored (up to 15 s); the tab then, new, or NULL. */
static json_t *tab_settled(struct itest_client *c, long long id)
{
	for (int i = 0; i < 150; i++) {
		json_t *o = tab(c, id, NULL);
		if (o && json_is_true(json_object_get(o, "fresh")) &&
		    !json_is_true(json_object_get(o, "refreshing")))
			return o;
		json_decref(o);
		usleep(100 * 1000);
	}
	CHECK(false, "the tab of candidate %lld settled", id);
	return NULL;
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Whether the tab's list names member (and then its element in *el). */
static bool listed(json_t *o, const char *member, json_t **el)
{
	json_t *m = json_object_get(o, "matches");
	for (size_t i = 0; i < json_array_size(m); i++) {
		json_t *e = json_array_get(m, i);
		if (!strcmp(jstr(e, "member"), member)) {
			if (el)
				*el = e;
			return true;
		}
	}
	return false;
}

/* The sandbox's record of the candidate's atsCandidateId for this
 * instance's application: its manualMatchedMember (new, "" null), or
 * NULL when LinkedIn stored nothing. */
static char *sandbox_record(const char *ats_id)
{
	char *p = itest_fmt("/sandbox/atsCandidates?clientId=%s&atsCandidateId=%s",
			    li->client_id, ats_id);
	json_t *j = sandbox_json(p);
	free(p);
	json_t *els = json_object_get(j, "elements");
	char *out = NULL;
	if (json_array_size(els) > 0) {
		const char *m = json_string_value(json_object_get(
		    json_array_get(els, 0), "manualMatchedMember"));
		out = itest_strdup(m ? m : "");
	}
	json_decref(j);
	return out;
}

/* Waits up to 10 s for LinkedIn to hold want ("" = no manual match) as
 * the candidate's manualMatchedMember. */
static bool sandbox_holds(const char *ats_id, const char *want)
{
	for (int i = 0; i < 100; i++) {
		char *m = sandbox_record(ats_id);
		/* unlinked: a link-only record may be gone altogether */
		bool ok = m ? !strcmp(m, want) : !*want;
		free(m);
		if (ok)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

static long long candidate_member_is(long long id, const char *member)
{
	char *cond = member ? itest_fmt("= '%s'", member) : itest_strdup("IS NULL");
	long long n = itest_sql_int("SELECT COUNT(*) FROM candidates WHERE "
				    "id = %lld AND linkedin_member_id %s",
				    id, cond);
	free(cond);
	return n;
}

/* ------------------------------------------------------------ set-up */

static int crafted_read(void)
{
	json_t *j = sandbox_json("/sandbox/members/crafted");
	json_t *els = json_object_get(j, "elements");
	for (size_t i = 0; i < json_array_size(els); i++) {
		json_t *e = json_array_get(els, i);
		for (int k = 0; k < NCRAFTED; k++) {
			if (strcmp(jstr(e, "label"), labels[k]))
				continue;
			const char *id = json_string_value(json_object_get(e, "id"));
			const char *em = json_string_value(json_object_get(e, "email"));
			crafted[k].id = id ? itest_strdup(id) : NULL;
			crafted[k].first = itest_strdup(jstr(e, "firstName"));
			crafted[k].last = itest_strdup(jstr(e, "lastName"));
			crafted[k].email = em ? itest_strdup(em) : NULL;
		}
	}
	json_decref(j);
	for (int k = 0; k < NCRAFTED; k++)
		if (!crafted[k].first || (k != NONE && !crafted[k].id)) {
			fprintf(stderr, "crafted member %s missing\n", labels[k]);
			return -1;
		}
	return 0;
}

static int suite_init(void)
{
	li = itest_li_app();
	if (!li || crafted_read() < 0)
		return 1;
	if (itest_person_add(&admin, "ada", TAG, "admin", "none") < 0 ||
	    itest_person_add(&rec, "rita", TAG, "recruiter", "recruiter") < 0 ||
	    itest_person_add(&hm, "hank", TAG, "hiring_manager",
			     "hiring_manager") < 0 ||
	    !itest_as(&admin) || !itest_as(&rec) || !itest_as(&hm))
		return 1;
	struct itest_resp r = itest_li_enable(admin.c, NULL);
	CHECK_STATUS(r, 303, "LinkedIn set up");
	itest_resp_free(&r);

	c_both = candidate_add(crafted[BOTH].first, crafted[BOTH].last,
			       crafted[BOTH].email, crafted[BOTH].id);
	c_email = candidate_add(crafted[EMAIL_ONLY].first,
				crafted[EMAIL_ONLY].last,
				crafted[EMAIL_ONLY].email, NULL);
	c_id = candidate_add(crafted[ID_ONLY].first, crafted[ID_ONLY].last,
			     "someone.else@litab.hirelink.test",
			     crafted[ID_ONLY].id);
	c_none = candidate_add(crafted[NONE].first, crafted[NONE].last,
			       crafted[NONE].email, NULL);
	c_similar = candidate_add("John", "Abernathy", NULL, NULL);
	if (c_both <= 0 || c_email <= 0 || c_id <= 0 || c_none <= 0 ||
	    c_similar <= 0)
		return 1;

	/* a job at Prospect for the email-only candidate, with the hiring
	 * manager on it */
	char *q = itest_fmt("INSERT INTO jobs (title, description, status) "
			    "VALUES ('LinkedIn tab %d', '', 'active')",
			    (int)getpid());
	int rc = itest_sql(q);
	free(q);
	job = itest_sql_int("SELECT MAX(id) FROM jobs WHERE title = "
			    "'LinkedIn tab %d'",
			    (int)getpid());
	q = itest_fmt("INSERT INTO job_stages (job_id, name, kind, position) "
		      "VALUES (%lld, 'Prospect', 'prospect', 1)",
		      job);
	rc |= itest_sql(q);
	free(q);
	q = itest_fmt("INSERT INTO job_members (job_id, user_id, role) VALUES "
		      "(%lld, %lld, 'hiring_manager')",
		      job, hm.id);
	rc |= itest_sql(q);
	free(q);
	long long stage = itest_sql_int("SELECT id FROM job_stages WHERE "
					"job_id = %lld",
					job);
	q = itest_fmt("INSERT INTO applications (job_id, candidate_id, "
		      "stage_id) VALUES (%lld, %lld, %lld)",
		      job, c_email, stage);
	rc |= itest_sql(q);
	free(q);
	return rc ? 1 : 0;
}

static int suite_clean(void)
{
	itest_sandbox_control("{\"reset\": true}");
	itest_person_free(&admin);
	itest_person_free(&rec);
	itest_person_free(&hm);
	return 0;
}

/* ------------------------------------------------------------ rules */

static void first_view_answers_at_once_then_shows_linkedins_answer(void)
{
	int64_t t0 = now_ms();
	json_t *o = tab(rec.c, c_none, NULL);
	int64_t took = now_ms() - t0;
	CHECK(o != NULL, "the tab answers");
	CHECK(!strcmp(jstr(o, "state"), "looking"),
	      "nothing stored yet: looking (got %s)", jstr(o, "state"));
	CHECK(json_is_true(json_object_get(o, "refreshing")),
	      "a refresh is queued");
	CHECK(took < 1500, "answered in %lld ms", (long long)took);
	json_decref(o);
	o = tab_settled(rec.c, c_none);
	CHECK(o && !strcmp(jstr(o, "state"), "none") &&
		  json_integer_value(json_object_get(o, "rule")) == 3,
	      "rule 3: no match (state %s)", o ? jstr(o, "state") : "-");
	json_decref(o);
	char *p = tab_path(c_none);
	struct itest_resp r = itest_get(rec.c, p, false);
	CHECK(itest_has(&r, "No matching LinkedIn profile was found"),
	      "the page says no match was found");
	CHECK(itest_has(&r, "LinkedIn data updated"), "and how old that is");
	itest_resp_free(&r);
	free(p);
}

static void email_and_member_id_both_match_shows_the_widget(void)
{
	json_t *o = tab_settled(rec.c, c_both);
	CHECK(o && !strcmp(jstr(o, "state"), "matched") &&
		  json_integer_value(json_object_get(o, "rule")) == 1,
	      "rule 1 (state %s)", o ? jstr(o, "state") : "-");
	json_t *p = json_object_get(o, "profile");
	CHECK(!strcmp(jstr(p, "member"), crafted[BOTH].id),
	      "the profile shown is the member's");
	json_decref(o);

	char *path = tab_path(c_both);
	struct itest_resp r = itest_get(rec.c, path, false);
	char *tag = itest_fmt("data-member=\"urn:li:person:%s\"",
			      crafted[BOTH].id);
	char *loader = itest_fmt("<script src=\"%s/xdoor/scripts/in.js\">",
				 itest_sandbox_url());
	CHECK(itest_has(&r, loader), "LinkedIn's loader from the platform");
	CHECK(itest_has(&r, "api_key: ") && itest_has(&r, li->client_id),
	      "the loader names the application's client id");
	CHECK(itest_has(&r, "<script type=\"IN/HcmWidget\"") &&
		  itest_has(&r, tag),
	      "the widget tag names the member");
	CHECK(itest_has(&r, "data-onlink=\"hirelinkLiLink\"") &&
		  itest_has(&r, "data-onunlink=\"hirelinkLiUnlink\""),
	      "the callbacks are the static file's functions");
	CHECK(itest_has(&r, "<script src=\"/static/linkedin-widget.js\">"),
	      "the callbacks' file is loaded");
	/* no inline script: every tag has a src or is the widget's marker */
	size_t all = itest_count(r.body, "<script");
	size_t src = itest_count(r.body, "<script src=\"");
	size_t marker = itest_count(r.body, "<script type=\"IN/HcmWidget\"");
	CHECK(all == src + marker, "no inline script (%zu tags, %zu src, %zu "
				   "markers)",
	      all, src, marker);
	CHECK(itest_has(&r, "Open the profile in LinkedIn Recruiter") &&
		  itest_has(&r, "/talent/profile/"),
	      "without JavaScript: a link to the profile in Recruiter");
	CHECK(itest_has(&r, "action=\"/candidates/") &&
		  itest_has(&r, "/linkedin/unlink\""),
	      "Unlink is offered");
	/* the CSP names the configured origins and nothing broader */
	const char *csp = itest_header(&r, "Content-Security-Policy");
	char *script = itest_fmt("script-src 'self' %s;", itest_sandbox_url());
	char *frame = itest_fmt("frame-src %s;", itest_sandbox_url());
	CHECK(csp && strstr(csp, script), "CSP %s has %s", csp ? csp : "-",
	      script);
	CHECK(csp && strstr(csp, frame), "CSP has %s", frame);
	CHECK(csp && !strstr(csp, "*") && !strstr(csp, "unsafe-inline") &&
		  !strstr(csp, "unsafe-eval") && !strstr(csp, "https:;") &&
		  !strstr(csp, "http:;"),
	      "nothing broader in the CSP: %s", csp ? csp : "-");
	itest_resp_free(&r);
	free(script);
	free(frame);
	free(tag);
	free(loader);
	free(path);
}

static void email_only_lists_the_member_and_stores_nothing_at_linkedin(void)
{
	json_t *o = tab_settled(rec.c, c_email);
	json_t *e = NULL;
	CHECK(o && !strcmp(jstr(o, "state"), "possible") &&
		  json_integer_value(json_object_get(o, "rule")) == 2,
	      "rule 2 (state %s)", o ? jstr(o, "state") : "-");
	CHECK(listed(o, crafted[EMAIL_ONLY].id, &e), "the member is listed");
	CHECK(e && json_is_true(json_object_get(e, "email_matched")),
	      "with its email matched");
	char *name = itest_fmt("%s %s", crafted[EMAIL_ONLY].first,
			       crafted[EMAIL_ONLY].last);
	CHECK(e && !strcmp(jstr(e, "name"), name) && *jstr(e, "headline") &&
		  *jstr(e, "location"),
	      "name, headline and location shown");
	free(name);
	CHECK(json_is_true(json_object_get(o, "can_link")),
	      "a recruiter may link");
	/* LinkedIn never gives hirelink a member's email */
	char *dump = json_dumps(o, 0);
	CHECK(dump && !strstr(dump, crafted[EMAIL_ONLY].email),
	      "no member email in the tab");
	free(dump);
	/* the candidate is at Prospect on a job: nothing stored at LinkedIn */
	char *rec_ = sandbox_record(jstr(o, "ats_candidate_id"));
	CHECK(rec_ == NULL, "LinkedIn stored nothing for %s",
	      jstr(o, "ats_candidate_id"));
	free(rec_);
	char *path = tab_path(c_email);
	struct itest_resp r = itest_get(rec.c, path, false);
	CHECK(itest_has(&r, "Possible LinkedIn members") &&
		  itest_has(&r, "email matches") &&
		  itest_has(&r, "/linkedin/link\""),
	      "the page lists the member with Link");
	itest_resp_free(&r);
	free(path);
	json_decref(o);
}

static void member_id_only_lists_that_member_first(void)
{
	json_t *o = tab_settled(rec.c, c_id);
	CHECK(o && !strcmp(jstr(o, "state"), "possible"),
	      "rule 2 when only the member id matches (state %s)",
	      o ? jstr(o, "state") : "-");
	json_t *first = json_array_get(json_object_get(o, "matches"), 0);
	CHECK(!strcmp(jstr(first, "member"), crafted[ID_ONLY].id) &&
		  json_is_true(json_object_get(first, "member_matched")) &&
		  json_is_false(json_object_get(first, "email_matched")),
	      "the member of the id first, its email not matched");
	CHECK(json_is_true(json_object_get(first, "current")),
	      "marked as the candidate's member");
	json_decref(o);
}

static void several_similar_names_are_all_listed(void)
{
	json_t *o = tab_settled(rec.c, c_similar);
	CHECK(o && !strcmp(jstr(o, "state"), "possible"), "rule 2 (state %s)",
	      o ? jstr(o, "state") : "-");
	for (int k = SIM1; k <= SIM4; k++)
		CHECK(listed(o, crafted[k].id, NULL), "%s %s listed",
		      crafted[k].first, crafted[k].last);
	json_t *m = json_object_get(o, "matches");
	for (size_t i = 0; i < json_array_size(m); i++)
		CHECK(json_is_false(json_object_get(json_array_get(m, i),
						    "email_matched")),
		      "no email was matched (the candidate has none)");
	json_decref(o);
}

/* ------------------------------------------------------------ link */

static void link_from_the_list_persists_and_reaches_linkedin(void)
{
	json_t *o = tab_settled(rec.c, c_email);
	char *ats_id = itest_strdup(jstr(o, "ats_candidate_id"));
	json_decref(o);
	char *urn = itest_fmt("urn:li:person:%s", crafted[EMAIL_ONLY].id);
	char *path = itest_fmt("/candidates/%lld/linkedin/link", c_email);
	/* without a CSRF token: refused */
	struct itest_resp r =
	    itest_post(rec.c, path, false, NULL, "member", urn, NULL);
	CHECK(r.status == 403 || r.status == 400,
	      "a link without CSRF token is refused (%ld)", r.status);
	itest_resp_free(&r);
	CHECK(candidate_member_is(c_email, NULL) == 1, "nothing linked");

	r = itest_post(rec.c, path, false, rec.csrf, "member", urn, NULL);
	CHECK_STATUS(r, 303, "Link from the list");
	CHECK(strstr(itest_location(&r), "tab=linkedin") != NULL,
	      "back to the tab");
	itest_resp_free(&r);
	CHECK(candidate_member_is(c_email, crafted[EMAIL_ONLY].id) == 1,
	      "the candidate carries the member");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'candidate.linkedin_link' AND entity_id = %lld",
			    c_email) == 1,
	      "audited");
	/* across reloads, by another user too */
	for (int i = 0; i < 2; i++) {
		o = tab(i ? admin.c : rec.c, c_email, NULL);
		CHECK(!strcmp(jstr(o, "state"), "linked") &&
			  !strcmp(jstr(json_object_get(o, "profile"), "member"),
				  crafted[EMAIL_ONLY].id),
		      "reload %d: linked to the member (state %s)", i,
		      jstr(o, "state"));
		json_decref(o);
	}
	CHECK(sandbox_holds(ats_id, urn),
	      "LinkedIn holds the member as manualMatchedMember");

	/* Unlink, as the widget's callback does: JSON, the URN */
	char *unlink = itest_fmt("/candidates/%lld/linkedin/unlink", c_email);
	r = itest_post(rec.c, unlink, true, rec.csrf, "member", urn, NULL);
	CHECK_STATUS(r, 200, "Unlink through the callback route");
	json_t *j = itest_json(&r);
	CHECK(strcmp(jstr(json_object_get(j, "linkedin"), "state"),
		     "linked") != 0,
	      "the answer is the tab, not linked");
	json_decref(j);
	itest_resp_free(&r);
	CHECK(candidate_member_is(c_email, NULL) == 1, "unlinked");
	CHECK(sandbox_holds(ats_id, ""),
	      "LinkedIn's manualMatchedMember is gone");
	o = tab_settled(rec.c, c_email);
	CHECK(!strcmp(jstr(o, "state"), "possible") &&
		  listed(o, crafted[EMAIL_ONLY].id, NULL),
	      "reversible: the list with Link again");
	json_decref(o);
	/* a second unlink has nothing to undo */
	r = itest_post(rec.c, unlink, true, rec.csrf, "member", urn, NULL);
	CHECK_STATUS(r, 409, "nothing to unlink");
	itest_resp_free(&r);

	/* Link again through the callback route (JSON, the URN) */
	r = itest_post(rec.c, path, true, rec.csrf, "member", urn, NULL);
	CHECK_STATUS(r, 200, "Link through the callback route");
	itest_resp_free(&r);
	o = tab(rec.c, c_email, NULL);
	CHECK(!strcmp(jstr(o, "state"), "linked"), "linked again");
	json_decref(o);
	CHECK(sandbox_holds(ats_id, urn), "and LinkedIn has it again");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action IN "
			    "('candidate.linkedin_link', "
			    "'candidate.linkedin_unlink') AND entity_id = %lld",
			    c_email) == 3,
	      "every change audited");
	free(unlink);
	free(path);
	free(urn);
	free(ats_id);
}

static void a_member_linked_elsewhere_is_a_409_naming_that_candidate(void)
{
	char *path = itest_fmt("/candidates/%lld/linkedin/link", c_similar);
	char *urn = itest_fmt("urn:li:person:%s", crafted[BOTH].id);
	struct itest_resp r =
	    itest_post(rec.c, path, true, rec.csrf, "member", urn, NULL);
	CHECK_STATUS(r, 409, "the member belongs to another candidate");
	CHECK(itest_has(&r, crafted[BOTH].first) &&
		  itest_has(&r, crafted[BOTH].last),
	      "the answer names that candidate: %.300s", r.body);
	json_t *j = itest_json(&r);
	CHECK(json_integer_value(json_object_get(
		  json_object_get(j, "linked_to"), "id")) == c_both,
	      "and gives its id");
	json_decref(j);
	itest_resp_free(&r);
	CHECK(candidate_member_is(c_similar, NULL) == 1, "nothing changed");
	CHECK(candidate_member_is(c_both, crafted[BOTH].id) == 1,
	      "the other keeps it");
	/* the page (a form post) says it too */
	r = itest_post(rec.c, path, false, rec.csrf, "member", urn, NULL);
	CHECK(r.status == 409 && itest_has(&r, crafted[BOTH].last),
	      "the page names the candidate (%ld)", r.status);
	itest_resp_free(&r);
	/* a member that is no member id */
	r = itest_post(rec.c, path, true, rec.csrf, "member",
		       "urn:li:person:<x>", NULL);
	CHECK(r.status == 400 && itest_has(&r, "member"),
	      "a bad member is a 400 naming the field (%ld)", r.status);
	itest_resp_free(&r);
	free(path);
	free(urn);
}

static void hiring_managers_view_only(void)
{
	long st = 0;
	json_t *o = tab(hm.c, c_email, &st);
	CHECK(st == 200 && o, "a hiring manager on the job sees the tab");
	CHECK(json_is_false(json_object_get(o, "can_link")), "view only");
	json_decref(o);
	char *path = itest_fmt("/candidates/%lld/linkedin/unlink", c_email);
	struct itest_resp r =
	    itest_post(hm.c, path, true, hm.csrf, NULL);
	CHECK_STATUS(r, 403, "a hiring manager may not unlink");
	itest_resp_free(&r);
	free(path);
	CHECK(candidate_member_is(c_email, crafted[EMAIL_ONLY].id) == 1,
	      "still linked");
	/* the seed's hint for a Hiring Manager seat */
	char *p = tab_path(c_email);
	r = itest_get(hm.c, p, false);
	CHECK(itest_has(&r, "sign out of LinkedIn or LinkedIn Recruiter") &&
		  itest_has(&r, "a Hiring Manager seat"),
	      "the sign-out hint for a Hiring Manager seat");
	CHECK(!itest_has(&r, "/linkedin/unlink\""), "no Unlink offered");
	itest_resp_free(&r);
	r = itest_get(rec.c, p, false);
	CHECK(!itest_has(&r, "sign out of LinkedIn or LinkedIn Recruiter"),
	      "no hint for a Recruiter seat");
	CHECK(itest_has(&r, "Connect LinkedIn"),
	      "a user not connected is told where to connect");
	itest_resp_free(&r);
	free(p);
	/* a candidate the hiring manager does not reach */
	o = tab(hm.c, c_none, &st);
	CHECK(st == 404, "another candidate's tab is a 404 for them (%ld)", st);
	json_decref(o);
}

/* The page (HTML) as c sees it: whether it has needle. */
static bool page_has(struct itest_client *c, long long id, const char *needle)
{
	char *p = tab_path(id);
	struct itest_resp r = itest_get(c, p, false);
	CHECK(r.status == 200, "GET %s: %ld", p, r.status);
	bool has = itest_has(&r, needle);
	itest_resp_free(&r);
	free(p);
	return has;
}

/*
 * The tab's page is kept whole between views (web_body_kept) under who
 * sees it and the revisions of what it shows: a link, an unlink, the
 * viewer's connection, the match asked again and given up show at the
 * next view, and a hiring manager's kept page never becomes a
 * recruiter's (nor the other way round).  Each page is looked at twice,
 * the second one kept.
 */
static void kept_pages_change_at_once_and_per_role(void)
{
	const char *linked = "Linked to this LinkedIn member";
	const char *unlink = "/linkedin/unlink\"";
	const char *hint = "sign out of LinkedIn or LinkedIn Recruiter";
	char *urn = itest_fmt("urn:li:person:%s", crafted[EMAIL_ONLY].id);
	for (int i = 0; i < 2; i++) {
		CHECK(page_has(rec.c, c_email, linked) &&
			  page_has(rec.c, c_email, unlink),
		      "view %d: linked, with Unlink for a recruiter", i);
		CHECK(!page_has(rec.c, c_email, hint), "no sign-out hint");
		CHECK(page_has(hm.c, c_email, linked) &&
			  !page_has(hm.c, c_email, unlink),
		      "view %d: a hiring manager's, without Unlink", i);
		CHECK(page_has(hm.c, c_email, hint),
		      "the sign-out hint for a Hiring Manager seat");
	}
	/* Unlink from the page (a form) */
	char *path = itest_fmt("/candidates/%lld/linkedin/unlink", c_email);
	struct itest_resp r =
	    itest_post(rec.c, path, false, rec.csrf, "member", urn, NULL);
	CHECK_STATUS(r, 303, "Unlink");
	itest_resp_free(&r);
	CHECK(!page_has(rec.c, c_email, linked) &&
		  page_has(rec.c, c_email, "Unlinked from LinkedIn by"),
	      "unlinked at the next view");
	CHECK(!page_has(hm.c, c_email, linked),
	      "and on the hiring manager's kept page");
	free(path);
	path = itest_fmt("/candidates/%lld/linkedin/link", c_email);
	r = itest_post(rec.c, path, false, rec.csrf, "member", urn, NULL);
	CHECK_STATUS(r, 303, "Link again");
	itest_resp_free(&r);
	CHECK(page_has(rec.c, c_email, linked) &&
		  page_has(hm.c, c_email, linked),
	      "linked again at the next view, for both");

	/* the viewer's connection, as another node or the worker writes it */
	const char *connect = "You have not connected your LinkedIn account";
	CHECK(page_has(rec.c, c_email, connect), "not connected");
	ITEST_SQL("rec connected", itest_fmt(
		      "INSERT INTO linkedin_connections (user_id, member_id, "
		      "member_urn, seat_type, access_token_enc) VALUES (%lld, "
		      "'kept%lld', 'urn:li:person:kept%lld', 'recruiter', 'x')",
		      rec.id, rec.id, rec.id));
	CHECK(!page_has(rec.c, c_email, connect), "connected: no hint");
	ITEST_SQL("rec's connection gone",
		  itest_fmt("DELETE FROM linkedin_connections WHERE user_id = "
			    "%lld",
			    rec.id));
	CHECK(page_has(rec.c, c_email, connect), "the hint again");

	/* the match asked again and given up by the worker (its outbox row,
	 * under no revision: read by each view) */
	itest_stack("worker-stop");
	ITEST_SQL("the match given up", itest_fmt(
		      "INSERT INTO outbox (kind, entity_id, state, attempts, "
		      "last_error) VALUES ('candidate_match', %lld, 'dead', 5, "
		      "'Kept failure %lld') ON DUPLICATE KEY UPDATE state = "
		      "'dead', attempts = 5, last_error = VALUES(last_error)",
		      c_email, c_email));
	char *failure = itest_fmt("Kept failure %lld", c_email);
	CHECK(page_has(rec.c, c_email, failure) &&
		  page_has(rec.c, c_email, "hirelink stopped trying"),
	      "LinkedIn's failure at the next view");
	ITEST_SQL("the match row gone",
		  itest_fmt("DELETE FROM outbox WHERE kind = 'candidate_match' "
			    "AND entity_id = %lld",
			    c_email));
	CHECK(!page_has(rec.c, c_email, failure), "and gone with it");
	itest_stack("worker-start");
	free(failure);
	free(path);
	free(urn);
}

/* ------------------------------------------------------------ failure */

/* A match answer older than linkedin_match_max_age_seconds (600 on the
 * test stack) of a candidate someone looked at in the last hour is asked
 * again by the worker without anyone opening the tab; one nobody looked
 * at for two hours is left alone. */
static void stale_answers_of_candidates_looked_at_refresh_in_the_background(void)
{
	/* both were opened by the tests above */
	CHECK(itest_sql_int("SELECT COUNT(*) FROM linkedin_candidates WHERE "
			    "candidate_id IN (%lld, %lld) AND viewed_at IS NOT "
			    "NULL",
			    c_none, c_similar) == 2,
	      "opening the tab recorded that the candidates were looked at");
	/* one statement each: the worker's pass must never see c_similar
	 * stale and looked at */
	ITEST_SQL("one not looked at for long, stale",
		  itest_fmt("UPDATE linkedin_candidates SET viewed_at = "
			    "NOW(3) - INTERVAL 2 HOUR, matched_at = NOW(3) - "
			    "INTERVAL 2 HOUR WHERE candidate_id = %lld",
			    c_similar));
	ITEST_SQL("one looked at, stale",
		  itest_fmt("UPDATE linkedin_candidates SET matched_at = "
			    "NOW(3) - INTERVAL 2 HOUR WHERE candidate_id = %lld",
			    c_none));
	bool again = false;
	for (int i = 0; i < 250 && !again; i++) {
		again = itest_sql_int("SELECT COUNT(*) FROM linkedin_candidates "
				      "WHERE candidate_id = %lld AND matched_at "
				      "> NOW(3) - INTERVAL 1 MINUTE",
				      c_none) == 1;
		if (!again)
			usleep(100 * 1000);
	}
	CHECK(again, "the stale answer of a candidate looked at was asked "
		     "again in the background");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM linkedin_candidates WHERE "
			    "candidate_id = %lld AND matched_at < NOW(3) - "
			    "INTERVAL 1 HOUR",
			    c_similar) == 1 &&
		  itest_sql_int("SELECT COUNT(*) FROM outbox WHERE kind = "
				"'candidate_match' AND entity_id = %lld",
				c_similar) == 0,
	      "one nobody looked at for two hours was not");
	json_t *o = tab(rec.c, c_none, NULL);
	CHECK(o && !strcmp(jstr(o, "state"), "none") &&
		  !json_is_true(json_object_get(o, "refreshing")),
	      "the tab shows the fresh answer and asks nothing more");
	json_decref(o);
}

static void linkedin_slow_or_down_the_tab_answers_from_what_is_stored(void)
{
	json_t *o = tab_settled(rec.c, c_none);
	json_decref(o);
	char *refresh = itest_fmt("/candidates/%lld/linkedin/refresh", c_none);

	/* slow: the worker waits on LinkedIn, the page does not */
	CHECK(itest_sandbox_control("{\"fail\": {\"path_prefix\": "
				    "\"/v2/atsCandidates\", \"delay_ms\": "
				    "6000}}") == 200,
	      "LinkedIn slow");
	struct itest_resp r =
	    itest_post(rec.c, refresh, false, rec.csrf, NULL);
	CHECK_STATUS(r, 303, "Check LinkedIn again");
	itest_resp_free(&r);
	usleep(500 * 1000); /* the worker is inside the call now */
	int64_t t0 = now_ms();
	o = tab(rec.c, c_none, NULL);
	int64_t took = now_ms() - t0;
	CHECK(took < 1000, "the tab answered in %lld ms", (long long)took);
	CHECK(o && !strcmp(jstr(o, "state"), "none") &&
		  json_integer_value(json_object_get(o, "age_s")) >= 0 &&
		  json_is_true(json_object_get(o, "refreshing")),
	      "with the stored answer, its age, and the refresh under way");
	json_decref(o);

	/* too slow: the worker gives up after its budget and says so */
	bool failed = false;
	for (int i = 0; i < 150 && !failed; i++) {
		o = tab(rec.c, c_none, NULL);
		failed = json_is_true(json_object_get(o, "failed"));
		json_decref(o);
		if (!failed)
			usleep(100 * 1000);
	}
	CHECK(failed, "a LinkedIn too slow is a failure the tab shows");

	/* down: the failure is said, with the stored data and Try again */
	itest_sandbox_control("{\"reset\": true}");
	CHECK(itest_sandbox_control("{\"fail\": {\"path_prefix\": "
				    "\"/v2/atsCandidates\", \"status\": "
				    "503}}") == 200,
	      "LinkedIn down");
	r = itest_post(rec.c, refresh, false, rec.csrf, NULL);
	CHECK_STATUS(r, 303, "Try again while LinkedIn is down");
	itest_resp_free(&r);
	failed = false;
	for (int i = 0; i < 150 && !failed; i++) {
		o = tab(rec.c, c_none, NULL);
		failed = json_is_true(json_object_get(o, "failed")) &&
			 strstr(jstr(o, "error"), "503") != NULL;
		if (failed) {
			CHECK(!strcmp(jstr(o, "state"), "none"),
			      "the stored answer still shows");
			CHECK(strstr(jstr(o, "error"), "503") != NULL,
			      "LinkedIn's failure is said: %s",
			      jstr(o, "error"));
		}
		json_decref(o);
		if (!failed)
			usleep(100 * 1000);
	}
	CHECK(failed, "the tab says LinkedIn failed");
	char *p = tab_path(c_none);
	t0 = now_ms();
	r = itest_get(rec.c, p, false);
	took = now_ms() - t0;
	CHECK(r.status == 200 && took < 1000,
	      "the page answers at once (%lld ms)", (long long)took);
	CHECK(itest_has(&r, "LinkedIn did not answer") &&
		  itest_has(&r, "Try again now") &&
		  itest_has(&r, "LinkedIn data updated") &&
		  itest_has(&r, "No matching LinkedIn profile was found"),
	      "the page shows the stored state, its age and a retry");
	itest_resp_free(&r);

	/* back: Try again brings a fresh answer */
	itest_sandbox_control("{\"reset\": true}");
	r = itest_post(rec.c, refresh, false, rec.csrf, NULL);
	CHECK_STATUS(r, 303, "Try again");
	itest_resp_free(&r);
	bool ok = false;
	for (int i = 0; i < 150 && !ok; i++) {
		o = tab(rec.c, c_none, NULL);
		ok = json_is_false(json_object_get(o, "failed")) &&
		     json_is_false(json_object_get(o, "refreshing"));
		json_decref(o);
		if (!ok)
			usleep(100 * 1000);
	}
	CHECK(ok, "LinkedIn back: the failure is gone");
	free(p);
	free(refresh);
}

static void integration_off_says_so_and_where_to_fix_it(void)
{
	itest_sql("UPDATE integration SET enabled = 0 WHERE id = 1");
	itest_li_settings_settle();
	char *p = tab_path(c_both);
	struct itest_resp r = itest_get(admin.c, p, false);
	CHECK(r.status == 200 &&
		  itest_has(&r, "LinkedIn integration is not set up") &&
		  itest_has(&r, "href=\"/admin/linkedin\""),
	      "an admin is told and sent to the set-up");
	itest_resp_free(&r);
	r = itest_get(rec.c, p, false);
	CHECK(r.status == 200 &&
		  itest_has(&r, "LinkedIn integration is not set up") &&
		  itest_has(&r, "Ask an admin"),
	      "a recruiter is told whom to ask");
	itest_resp_free(&r);
	char *path = itest_fmt("/candidates/%lld/linkedin/unlink", c_both);
	r = itest_post(rec.c, path, true, rec.csrf, NULL);
	CHECK_STATUS(r, 409, "no link changes while LinkedIn is off");
	itest_resp_free(&r);
	itest_sql("UPDATE integration SET enabled = 1 WHERE id = 1");
	itest_li_settings_settle();
	free(path);
	free(p);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(first_view_answers_at_once_then_shows_linkedins_answer),
	    TEST(email_and_member_id_both_match_shows_the_widget),
	    TEST(email_only_lists_the_member_and_stores_nothing_at_linkedin),
	    TEST(member_id_only_lists_that_member_first),
	    TEST(several_similar_names_are_all_listed),
	    TEST(link_from_the_list_persists_and_reaches_linkedin),
	    TEST(a_member_linked_elsewhere_is_a_409_naming_that_candidate),
	    TEST(hiring_managers_view_only),
	    TEST(kept_pages_change_at_once_and_per_role),
	    TEST(stale_answers_of_candidates_looked_at_refresh_in_the_background),
	    TEST(linkedin_slow_or_down_the_tab_answers_from_what_is_stored),
	    TEST(integration_off_says_so_and_where_to_fix_it),
	};
	static const struct suite suites[] = {
	    SUITE("linkedin_tab", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
