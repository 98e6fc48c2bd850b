/*
 * test_sandbox_widget.c - LinkedIn's side of the LinkedIn tab and the
 * Recruiting activities tab, as the sandbox plays it (src/sandbox/README.md,
 * "The LinkedIn tab and Recruiting activities"; /work/CONTRACT-15.md):
 *
 *   - the profile widget: the loader, the iframe's origin check against
 *     the application's validJsSdkDomains, what a Recruiter seat, a Hiring
 *     Manager seat and a signed-out viewer see (the full data absent from
 *     the last two), Link/Unlink, Send InMail (bounds, quota, a double
 *     click), Save to a job;
 *   - atsCandidates: each matching path with the crafted members,
 *     manualMatchedMember, the match query that stores nothing;
 *   - conversationEvents and prospectNotes: windows, paging, private notes
 *     only in their owner's seat query; a member reads an InMail and
 *     replies.
 *
 * Everything goes over HTTP to the sandbox of the test stack; seat holders
 * and crafted members come from its control API, never from constants.
 * Synced jobs are written into the sandbox's tables, as LinkedIn would
 * hold them after a sync (test_sandbox_export.c does the same).
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

/* ------------------------------------------------------------ fixture */

static const struct itest_li_app *li;
static char *org_urn;	     /* urn:li:organization:N */
static long long org;
static char *origin1;	     /* the first instance's origin */
static char *tag;	     /* this run's prefix for ids */
static char *recruiters[20]; /* member ids */
static char *rseats[20];     /* their seats, urn:li:seat:N */
static char *managers[10];
static char *token;	     /* an application token of application 1 */
static long long base;	     /* this run's time base, epoch ms */

/* The crafted members, by label. */
struct crafted {
	char *label, *id, *first, *last, *email, *phone, *title, *company;
};
static struct crafted crafted[9];
static size_t ncrafted;

static char *sandbox(const char *path)
{
	return itest_fmt("%s%s", itest_sandbox_url(), path);
}

static const struct crafted *member(const char *label)
{
	for (size_t i = 0; i < ncrafted; i++)
		if (!strcmp(crafted[i].label, label))
			return &crafted[i];
	CHECK(false, "no crafted member %s", label);
	return &crafted[0];
}

static char *dup_or_null(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? itest_strdup(s) : NULL;
}

static int read_fixture(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = sandbox("/sandbox/credentials");
	long status;
	json_t *j = itest_get_json(c, url, &status);
	json_t *rec = json_object_get(j, "recruiters");
	json_t *hm = json_object_get(j, "hiringManagers");
	int rc = json_array_size(rec) == 20 && json_array_size(hm) == 10 ? 0
									  : -1;
	for (size_t i = 0; rc == 0 && i < 20; i++) {
		recruiters[i] = itest_strdup(
		    itest_jstr(json_array_get(rec, i), "id"));
		rseats[i] = itest_strdup(
		    itest_jstr(json_array_get(rec, i), "seat"));
	}
	for (size_t i = 0; rc == 0 && i < 10; i++)
		managers[i] =
		    itest_strdup(itest_jstr(json_array_get(hm, i), "id"));
	json_decref(j);
	free(url);

	url = sandbox("/sandbox/members/crafted");
	j = itest_get_json(c, url, &status);
	json_t *e, *list = json_object_get(j, "elements");
	size_t i;
	json_array_foreach(list, i, e)
	{
		if (ncrafted == ARRAY_LEN(crafted))
			break;
		struct crafted *k = &crafted[ncrafted++];
		k->label = dup_or_null(e, "label");
		k->id = dup_or_null(e, "id");
		k->first = dup_or_null(e, "firstName");
		k->last = dup_or_null(e, "lastName");
		k->email = dup_or_null(e, "email");
		k->phone = dup_or_null(e, "phone");
		k->title = dup_or_null(e, "currentJobTitle");
		k->company = dup_or_null(e, "currentCompanyName");
	}
	if (ncrafted != 9)
		rc = -1;
	json_decref(j);
	free(url);
	itest_client_free(c);
	return rc;
}

static char *app_token(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *body = itest_form("grant_type", "client_credentials", "client_id",
				li->client_id, "client_secret",
				li->client_secret, NULL);
	char *url = sandbox("/oauth/v2/accessToken");
	struct itest_resp r = itest_post_form(c, url, body);
	json_t *j = itest_json(&r);
	char *t = itest_strdup(itest_jstr(j, "access_token"));
	json_decref(j);
	itest_resp_free(&r);
	free(url);
	free(body);
	itest_client_free(c);
	return t;
}

/* A synced job of application 1: "<tag>-<id>". */
static void job(const char *id, const char *title, const char *state)
{
	ITEST_SANDBOX_SQL(
	    "a synced job",
	    itest_fmt("INSERT INTO job_postings (client_id, organization_id,"
		      " external_job_posting_id, title, description, location,"
		      " availability, state, company_apply_url, listed_at)"
		      " VALUES ('%s', %lld, '%s-%s', '%s', 'About it',"
		      " 'Berlin, Germany', 'PUBLIC', '%s', 'http://x/', 1)",
		      li->apps[0].client_id, org, tag, id, title, state));
}

static int suite_init(void)
{
	li = itest_li_app();
	if (!li || read_fixture() < 0)
		return -1;
	org_urn = itest_strdup(li->organization);
	org = atoll(strrchr(li->organization, ':') + 1);
	origin1 = itest_strdup(itest_base_url());
	tag = itest_unique("w");
	token = app_token();
	/* a day of its own for this run's InMail and notes, 30+ days ago */
	base = (long long)time(NULL) * 1000 - 30LL * 86400000 -
	       (long long)(getpid() % 5000) * 3600000;
	job("J1", "Widget Engineer", "LISTED");
	job("J2", "Widget Closed", "CLOSED");
	job("J3", "Widget Secret", "LISTED");
	ITEST_SANDBOX_SQL(
	    "J3 is for recruiter 3 only",
	    itest_fmt("INSERT INTO job_posting_acl (client_id,"
		      " organization_id, external_job_posting_id, assignee)"
		      " VALUES ('%s', %lld, '%s-J3', 'urn:li:person:%s'),"
		      " ('%s', %lld, '%s-J3', '')",
		      li->apps[0].client_id, org, tag, recruiters[3],
		      li->apps[0].client_id, org, tag));
	return *token ? 0 : -1;
}

static int suite_clean(void)
{
	if (li && tag) {
		ITEST_SANDBOX_SQL(
		    "this run's jobs go",
		    itest_fmt("DELETE FROM job_posting_acl WHERE"
			      " external_job_posting_id LIKE '%s-%%';"
			      " DELETE FROM job_postings WHERE"
			      " external_job_posting_id LIKE '%s-%%';"
			      " DELETE FROM project_members WHERE"
			      " external_job_posting_id LIKE '%s-%%';",
			      tag, tag, tag));
		ITEST_SANDBOX_SQL(
		    "application 2 declares no domain again",
		    itest_fmt("UPDATE applications SET valid_js_sdk_domains ="
			      " '[]' WHERE client_id = '%s'",
			      li->apps[1].client_id));
	}
	for (size_t i = 0; i < 20; i++) {
		free(recruiters[i]);
		free(rseats[i]);
	}
	for (size_t i = 0; i < 10; i++)
		free(managers[i]);
	for (size_t i = 0; i < ncrafted; i++) {
		struct crafted *k = &crafted[i];
		free(k->label), free(k->id), free(k->first), free(k->last);
		free(k->email), free(k->phone), free(k->title);
		free(k->company);
	}
	free(org_urn);
	free(origin1);
	free(tag);
	free(token);
	return 0;
}

/* ------------------------------------------------------------ helpers */

static struct itest_resp api(const char *method, const char *path,
			     const char *json_body, const char *bearer)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = sandbox(path);
	char *hdr = itest_fmt("Authorization: Bearer %s",
			      bearer ? bearer : token);
	struct itest_resp r =
	    itest_request(c, method, url, true,
			  json_body ? "application/json" : NULL, json_body,
			  json_body ? strlen(json_body) : 0, hdr);
	free(hdr);
	free(url);
	itest_client_free(c);
	return r;
}

static json_t *api_json(const char *method, const char *path,
			const char *json_body, long want)
{
	struct itest_resp r = api(method, path, json_body, NULL);
	CHECK(r.status == want, "%s %s: %ld, want %ld", method, path,
	      r.status, want);
	if (r.status != want)
		itest_dump(&r);
	json_t *j = itest_json(&r);
	itest_resp_free(&r);
	return j;
}

static struct itest_resp control(const char *path, const char *json)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = sandbox(path);
	struct itest_resp r = itest_post_raw(c, url, "application/json", json,
					     strlen(json), NULL);
	free(url);
	itest_client_free(c);
	return r;
}

static json_t *control_json(const char *path, const char *json, long want)
{
	struct itest_resp r = control(path, json);
	CHECK(r.status == want, "%s %s: %ld, want %ld", path, json, r.status,
	      want);
	if (r.status != want)
		itest_dump(&r);
	json_t *j = itest_json(&r);
	itest_resp_free(&r);
	return j;
}

static json_t *control_get(const char *path)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = sandbox(path);
	long status;
	json_t *j = itest_get_json(c, url, &status);
	CHECK(status == 200, "GET %s: %ld", path, status);
	free(url);
	itest_client_free(c);
	return j;
}

/* The candidate key of atsCandidateId id, for the query (ids[i].…) and
 * for the body; new. */
static char *qkey(int i, const char *id)
{
	return itest_fmt("ids[%d].atsCandidateId=%s&ids[%d].dataProvider=ATS&"
			 "ids[%d].integrationContext=%s",
			 i, id, i, i, org_urn);
}

static char *ekey(const char *id)
{
	return itest_fmt("atsCandidateId=%s&dataProvider=ATS&"
			 "integrationContext=%s",
			 id, org_urn);
}

/* This run's atsCandidateId for name; new. */
static char *cand(const char *name)
{
	return itest_fmt("%s-%s", tag, name);
}

/* The widget's iframe URL; member NULL: none; new. */
static char *widget_url(const char *api_key, const char *candidate,
			const char *member_id, const char *origin)
{
	char *m = member_id ? itest_fmt("urn:li:person:%s", member_id)
			    : itest_strdup("");
	char *q = itest_form("api_key", api_key, "atsCandidateId", candidate,
			     "integrationContext", org_urn, "member", m,
			     "origin", origin, "widgetId", "li-hcm-1", NULL);
	char *url = itest_fmt("%s/recruiter/widget/hcm?%s",
			      itest_sandbox_url(), q);
	free(q);
	free(m);
	return url;
}

static struct itest_resp widget(struct itest_client *c, const char *member_id)
{
	char *w = cand("W");
	char *url = widget_url(li->client_id, w, member_id, origin1);
	struct itest_resp r = itest_get(c, url, false);
	free(url);
	free(w);
	return r;
}

/* A client signed in to the sandbox as member (a seat holder). */
static struct itest_client *signed_in(const char *id)
{
	struct itest_client *c = itest_client_new(NULL);
	CHECK(itest_li_signin(c, id, NULL) == 303, "signed in to LinkedIn");
	return c;
}

/* A widget form's POST, with the fields of the page r (csrf, token and
 * the widget's) and the extra fields given (NULL-terminated pairs). */
static struct itest_resp widget_post(struct itest_client *c,
				     const struct itest_resp *page,
				     const char *action, const char *n1,
				     const char *v1, const char *n2,
				     const char *v2)
{
	static const char *const hidden[] = {"token",  "api_key",
					     "atsCandidateId",
					     "integrationContext",
					     "member", "origin", "widgetId"};
	char *v[ARRAY_LEN(hidden)];
	char *csrf = itest_field(page, "csrf");
	for (size_t i = 0; i < ARRAY_LEN(hidden); i++)
		v[i] = itest_field(page, hidden[i]);
	char *url = itest_fmt("%s/recruiter/widget/hcm/%s", itest_sandbox_url(),
			      action);
	struct itest_resp r = itest_post(
	    c, url, false, csrf, hidden[0], v[0], hidden[1], v[1], hidden[2],
	    v[2], hidden[3], v[3], hidden[4], v[4], hidden[5], v[5], hidden[6],
	    v[6], n1, v1, n2, v2, NULL);
	for (size_t i = 0; i < ARRAY_LEN(hidden); i++)
		free(v[i]);
	free(csrf);
	free(url);
	return r;
}

/* How many InMail conversations seat has with member (the sandbox's own
 * record). */
static long long conversations(const char *seat, const char *member_id)
{
	return itest_sandbox_sql_int(
	    "SELECT COUNT(*) FROM inmail_conversations v JOIN members m"
	    " ON m.id = v.recipient_member_id WHERE v.seat_id = %s"
	    " AND m.urn_id = '%s'",
	    strrchr(seat, ':') + 1, member_id);
}

/* A member without a seat for this test (members 3000..3999 by pid). */
static char *prospect(int n)
{
	return itest_sandbox_sql_str(
	    "SELECT urn_id FROM members WHERE id = %d",
	    3000 + (int)((getpid() * 7 + n) % 1000));
}

static long signin_member(struct itest_client *c, const char *id,
			  const char *next);

/* ------------------------------------------------------------ the widget */

static void loader_is_at_linkedins_path_and_builds_iframes_of_its_origin(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = sandbox("/xdoor/scripts/in.js");
	struct itest_resp r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, "the loader");
	const char *ct = itest_header(&r, "Content-Type");
	CHECK(ct && strstr(ct, "javascript"), "served as JavaScript: %s",
	      ct ? ct : "(none)");
	CHECK_HAS(r, "IN/HcmWidget", "it turns IN/HcmWidget elements");
	CHECK_HAS(r, "/recruiter/widget/hcm?", "into the widget's iframe");
	CHECK_HAS(r, "ev.origin !== base", "it takes messages from its origin");
	CHECK_HAS(r, "ev.source !== w.frame.contentWindow",
		  "and from that widget's iframe only");
	itest_resp_free(&r);
	free(url);
	url = sandbox("/recruiter/widget/hcm.js");
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, "the iframe's script");
	CHECK_HAS(r, "postMessage(msg, origin)",
		  "posts to the checked origin, never '*'");
	CHECK(!itest_has(&r, "'*'"), "no wildcard target");
	itest_resp_free(&r);
	free(url);
	url = sandbox("/rsc/extensions/profile-widget");
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, "the extension URL LinkedIn documents");
	itest_resp_free(&r);
	free(url);
	itest_client_free(c);
}

static void widget_refuses_an_origin_the_application_did_not_declare(void)
{
	struct itest_client *c = itest_client_new(NULL);
	const struct crafted *m = member("email_and_id");
	char *w = cand("W");

	/* the first instance's origin is seeded */
	char *url = widget_url(li->client_id, w, m->id, origin1);
	struct itest_resp r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, "the declared origin");
	const char *csp = itest_header(&r, "Content-Security-Policy");
	char *want = itest_fmt("frame-ancestors %s", origin1);
	CHECK(csp && strstr(csp, want) && !strstr(csp, "frame-ancestors 'none'"),
	      "only the declared origin may frame it: %s", csp ? csp : "");
	CHECK(!itest_header(&r, "X-Frame-Options"), "no X-Frame-Options: DENY");
	itest_resp_free(&r);
	free(want);
	free(url);

	static const char *const bad[] = {"http://evil.example",
					  "http://127.0.0.1:1", "", "null"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		url = widget_url(li->client_id, w, m->id, bad[i]);
		r = itest_get(c, url, false);
		CHECK(r.status == 403, "origin %s: %ld, want 403", bad[i],
		      r.status);
		CHECK_HAS(r, "validJsSdkDomains", "says why");
		CHECK(!itest_has(&r, m->first), "and shows no member");
		csp = itest_header(&r, "Content-Security-Policy");
		CHECK(csp && strstr(csp, "frame-ancestors 'none'"),
		      "and may not be framed");
		itest_resp_free(&r);
		free(url);
	}

	/* the second application declares nothing until told */
	url = widget_url(li->apps[1].client_id, w, m->id,
			 itest_env("HIRELINK_TEST_URL2"));
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 403, "application 2 before it declares its domain");
	itest_resp_free(&r);
	char *json = itest_fmt("{\"clientId\": \"%s\", \"validJsSdkDomains\":"
			       " [\"%s\"]}",
			       li->apps[1].client_id,
			       itest_env("HIRELINK_TEST_URL2"));
	json_decref(control_json("/sandbox/applications/jsSdkDomains", json,
				 200));
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, "application 2 on its declared domain");
	itest_resp_free(&r);
	free(url);
	/* application 1's domain is not application 2's */
	url = widget_url(li->apps[1].client_id, w, m->id, origin1);
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 403, "another application's domain");
	itest_resp_free(&r);
	free(url);
	free(json);

	/* the wrong organization, an unknown key */
	char *q = itest_form("api_key", li->client_id, "atsCandidateId", w,
			     "integrationContext", "urn:li:organization:1",
			     "origin", origin1, NULL);
	url = itest_fmt("%s/recruiter/widget/hcm?%s", itest_sandbox_url(), q);
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 403, "another organization's context");
	itest_resp_free(&r);
	free(url);
	free(q);
	url = widget_url("nosuchapikey00", w, m->id, origin1);
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 400, "an unknown api_key");
	itest_resp_free(&r);
	free(url);
	free(w);
	itest_client_free(c);
}

/* Strings of the member's full profile that the basic one lacks. */
static void full_data(const char *id, char **location, char **school,
		      char **skill)
{
	*location = itest_sandbox_sql_str(
	    "SELECT location FROM members WHERE urn_id = '%s'", id);
	*school = itest_sandbox_sql_str(
	    "SELECT JSON_VALUE(education, '$[0].schoolName') FROM members"
	    " WHERE urn_id = '%s'",
	    id);
	*skill = itest_sandbox_sql_str(
	    "SELECT JSON_VALUE(skills, '$[0]') FROM members"
	    " WHERE urn_id = '%s'",
	    id);
}

static void recruiter_seat_sees_the_full_profile_inmail_and_save(void)
{
	const struct crafted *m = member("email_and_id");
	struct itest_client *c = signed_in(recruiters[1]);
	char *location, *school, *skill;
	full_data(m->id, &location, &school, &skill);

	struct itest_resp r = widget(c, m->id);
	CHECK_STATUS(r, 200, "the widget, Recruiter seat");
	CHECK_HAS(r, "li-widget-full", "the full profile");
	CHECK_HAS(r, m->first, "the name");
	CHECK_HAS(r, location, "the location");
	CHECK_HAS(r, school, "education");
	CHECK_HAS(r, skill, "skills");
	CHECK_HAS(r, "Staff Engineer, Contoso", "positions");
	CHECK_HAS(r, "InMail history", "InMail history");
	CHECK_HAS(r, "action=\"/recruiter/widget/hcm/inmail\"", "Send InMail");
	CHECK_HAS(r, "action=\"/recruiter/widget/hcm/save\"", "Save to a job");
	CHECK_HAS(r, "Widget Engineer", "a synced LISTED job to save to");
	CHECK(!itest_has(&r, "Widget Closed"), "not a CLOSED one");
	CHECK(!itest_has(&r, "Widget Secret"),
	      "not one whose ACL leaves the viewer out");
	CHECK_HAS(r, "data-li-action=\"unlink\"",
		  "the member the ATS named can be unlinked");
	char *origin_attr = itest_fmt("data-origin=\"%s\"", origin1);
	CHECK_HAS(r, origin_attr, "messages go to the declared origin");
	free(origin_attr);
	itest_resp_free(&r);

	/* the recruiter an ACL names sees that job */
	struct itest_client *c3 = signed_in(recruiters[3]);
	r = widget(c3, m->id);
	CHECK_HAS(r, "Widget Secret", "the assignee sees the secret job");
	itest_resp_free(&r);
	itest_client_free(c3);

	free(location), free(school), free(skill);
	itest_client_free(c);
}

static void hiring_manager_and_signed_out_viewer_get_the_basic_profile_only(
    void)
{
	const struct crafted *m = member("email_and_id");
	char *location, *school, *skill;
	full_data(m->id, &location, &school, &skill);
	struct itest_client *hm = signed_in(managers[0]);
	struct itest_client *out = itest_client_new(NULL);
	struct itest_client *noseat = itest_client_new(NULL);
	char *p = prospect(7);
	CHECK(signin_member(noseat, p, "/") == 303, "a member without a seat");
	struct itest_client *clients[] = {hm, out, noseat};
	static const char *const whos[] = {"Hiring Manager seat", "signed out",
					   "no seat"};

	for (size_t i = 0; i < ARRAY_LEN(clients); i++) {
		const char *who = whos[i];
		struct itest_resp r = widget(clients[i], m->id);
		CHECK(r.status == 200, "%s: %ld", who, r.status);
		CHECK(itest_has(&r, "li-widget-basic"), "%s: basic", who);
		CHECK(!itest_has(&r, "li-widget-full"), "%s: not full", who);
		CHECK(itest_has(&r, m->first) && itest_has(&r, m->last),
		      "%s: the names", who);
		CHECK(itest_has(&r, "Staff Engineer at Contoso"),
		      "%s: the headline", who);
		CHECK(itest_has(&r, "https://www.linkedin.com/in/"),
		      "%s: the public URL", who);
		/* the full data is not in the HTML at all */
		CHECK(!itest_has(&r, location), "%s: no location (%s)", who,
		      location);
		CHECK(!itest_has(&r, school), "%s: no education", who);
		CHECK(!itest_has(&r, skill), "%s: no skills", who);
		CHECK(!itest_has(&r, "Staff Engineer, Contoso"),
		      "%s: no positions", who);
		CHECK(!itest_has(&r, "InMail history") &&
			  !itest_has(&r, "hcm/inmail") &&
			  !itest_has(&r, "hcm/save") &&
			  !itest_has(&r, "Widget Engineer"),
		      "%s: no InMail, no Save to a job", who);
		if (i == 1)
			CHECK(itest_has(&r, "Sign in to LinkedIn"),
			      "signed out: asked to sign in");
		itest_resp_free(&r);
	}
	free(location), free(school), free(skill), free(p);
	itest_client_free(hm);
	itest_client_free(out);
	itest_client_free(noseat);
}

static void hiring_manager_posts_are_refused(void)
{
	const struct crafted *m = member("email_and_id");
	struct itest_client *rc = signed_in(recruiters[2]);
	struct itest_resp page = widget(rc, m->id);
	struct itest_client *hm = signed_in(managers[1]);
	/* a Hiring Manager sends the form anyway, with their own token (the
	 * sign-in page's, signed in) */
	char *login = sandbox("/login");
	struct itest_resp own = itest_get(hm, login, false);
	char *csrf = itest_field(&own, "csrf");
	CHECK(csrf && *csrf, "the Hiring Manager's token");
	itest_resp_free(&own);
	free(login);
	char *url = itest_fmt("%s/recruiter/widget/hcm/inmail",
			      itest_sandbox_url());
	char *w = cand("W");
	char *mem = itest_fmt("urn:li:person:%s", m->id);
	struct itest_resp r = itest_post(
	    hm, url, false, csrf, "token", "0123456789abcdef0123456789abcdef",
	    "api_key", li->client_id, "atsCandidateId", w,
	    "integrationContext", org_urn, "member", mem, "origin", origin1,
	    "widgetId", "li-hcm-1", "subject", "Hi", "body", "Hello", NULL);
	CHECK_STATUS(r, 403, "a Hiring Manager's InMail");
	CHECK_HAS(r, "Only Recruiter seat holders", "says who may");
	itest_resp_free(&r);
	long long hm_seat = itest_sandbox_sql_int(
	    "SELECT s.id FROM seats s JOIN members m ON m.id = s.member_id"
	    " WHERE m.urn_id = '%s'",
	    managers[1]);
	CHECK(itest_sandbox_sql_int("SELECT COUNT(*) FROM inmail_conversations"
				    " WHERE seat_id = %lld",
				    hm_seat) == 0,
	      "nothing sent");
	free(url);
	url = itest_fmt("%s/recruiter/widget/hcm/save", itest_sandbox_url());
	char *j1 = itest_fmt("%s-J1", tag);
	r = itest_post(hm, url, false, csrf, "api_key", li->client_id,
		       "atsCandidateId", w, "integrationContext", org_urn,
		       "member", mem, "origin", origin1, "widgetId",
		       "li-hcm-1", "job", j1, NULL);
	CHECK_STATUS(r, 403, "a Hiring Manager's Save to a job");
	itest_resp_free(&r);
	/* a Recruiter's form without its CSRF token */
	r = itest_post(rc, url, false, "not-the-token", "api_key",
		       li->client_id, "atsCandidateId", w,
		       "integrationContext", org_urn, "member", mem, "origin",
		       origin1, "widgetId", "li-hcm-1", "job", j1, NULL);
	CHECK_STATUS(r, 403, "a forged form");
	itest_resp_free(&r);
	CHECK(itest_sandbox_sql_int("SELECT COUNT(*) FROM project_members"
				    " WHERE external_job_posting_id = '%s'",
				    j1) == 0,
	      "nothing saved");
	free(j1);
	free(url);
	free(mem);
	free(w);
	free(csrf);
	itest_resp_free(&page);
	itest_client_free(rc);
	itest_client_free(hm);
}

static void send_inmail_checks_subject_and_body_and_sends_once(void)
{
	char *p = prospect(1);
	struct itest_client *c = signed_in(recruiters[4]);
	struct itest_resp page = widget(c, p);
	CHECK_STATUS(page, 200, "the widget");
	char long_subject[202], long_body[1902];
	memset(long_subject, 's', 201);
	long_subject[201] = '\0';
	memset(long_body, 'b', 1901);
	long_body[1901] = '\0';
	static const char ok_subject[] = "A role for you";
	static const struct {
		const char *subject, *body, *says;
	} bad[] = {
	    {"", "Hello", "Subject: write a subject"},
	    {NULL, "Hello", "Subject: at most 200 characters"},
	    {ok_subject, "", "Message: write a message"},
	    {ok_subject, NULL, "Message: at most 1,900 characters"},
	};
	long long before = conversations(rseats[4], p);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct itest_resp r = widget_post(
		    c, &page, "inmail", "subject",
		    bad[i].subject ? bad[i].subject : long_subject, "body",
		    bad[i].body ? bad[i].body : long_body);
		CHECK(r.status == 400, "bad InMail %zu: %ld", i, r.status);
		CHECK_HAS(r, bad[i].says, "names the field");
		itest_resp_free(&r);
	}
	CHECK(conversations(rseats[4], p) == before, "nothing sent");

	/* exactly the limits */
	memset(long_subject, 's', 200);
	long_subject[200] = '\0';
	memset(long_body, 'b', 1900);
	long_body[1900] = '\0';
	struct itest_resp r = widget_post(c, &page, "inmail", "subject",
					  long_subject, "body", long_body);
	CHECK_STATUS(r, 200, "200 and 1,900 characters");
	CHECK_HAS(r, "InMail sent", "sent");
	itest_resp_free(&r);
	CHECK(conversations(rseats[4], p) == before + 1, "one InMail");

	/* a double click: the same form twice */
	r = widget_post(c, &page, "inmail", "subject", long_subject, "body",
			long_body);
	CHECK_STATUS(r, 200, "the same form again");
	CHECK_HAS(r, "sent already", "says it was sent");
	itest_resp_free(&r);
	CHECK(conversations(rseats[4], p) == before + 1, "still one InMail");

	/* a new form sends a new one; its history lists both */
	struct itest_resp again = widget(c, p);
	CHECK_HAS(again, "sssss", "the history shows the subject");
	r = widget_post(c, &again, "inmail", "subject", ok_subject, "body",
			"Second");
	CHECK_STATUS(r, 200, "a second InMail from a new form");
	CHECK_HAS(r, ok_subject, "in the history");
	itest_resp_free(&r);
	CHECK(conversations(rseats[4], p) == before + 2, "two InMails");
	itest_resp_free(&again);
	itest_resp_free(&page);
	itest_client_free(c);
	free(p);
}

/* One browser's click: the same form, from a client of its own with the
 * same LinkedIn cookie. */
struct click {
	const char *cookie, *csrf, *url;
	char *fields[7];
	long status;
};

static void *click_send(void *arg)
{
	struct click *k = arg;
	struct itest_client *c = itest_client_new(NULL);
	itest_set_cookie(c, "li_at", k->cookie);
	struct itest_resp r = itest_post(
	    c, k->url, false, k->csrf, "token", k->fields[0], "api_key",
	    k->fields[1], "atsCandidateId", k->fields[2], "integrationContext",
	    k->fields[3], "member", k->fields[4], "origin", k->fields[5],
	    "widgetId", k->fields[6], "subject", "Raced", "body", "Twice",
	    NULL);
	k->status = r.status;
	itest_resp_free(&r);
	itest_client_free(c);
	return NULL;
}

static void a_double_click_racing_sends_one_inmail(void)
{
	static const char *const hidden[] = {"token",  "api_key",
					     "atsCandidateId",
					     "integrationContext",
					     "member", "origin", "widgetId"};
	char *p = prospect(6);
	struct itest_client *c = signed_in(recruiters[13]);
	struct itest_resp page = widget(c, p);
	char *cookie = itest_cookie(c, "li_at");
	char *csrf = itest_field(&page, "csrf");
	char *url = itest_fmt("%s/recruiter/widget/hcm/inmail",
			      itest_sandbox_url());
	struct click clicks[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		clicks[i] = (struct click){cookie, csrf, url, {0}, 0};
		for (size_t f = 0; f < ARRAY_LEN(hidden); f++)
			clicks[i].fields[f] = itest_field(&page, hidden[f]);
	}
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, click_send, &clicks[i]);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK(clicks[i].status == 200, "click %d: %ld", i,
		      clicks[i].status);
		for (size_t f = 0; f < ARRAY_LEN(hidden); f++)
			free(clicks[i].fields[f]);
	}
	CHECK(conversations(rseats[13], p) == 1,
	      "four clicks at once, one InMail: %lld",
	      conversations(rseats[13], p));
	free(url), free(csrf), free(cookie), free(p);
	itest_resp_free(&page);
	itest_client_free(c);
}

static void send_inmail_stops_at_the_monthly_quota(void)
{
	char *p = prospect(2);
	char *json = itest_fmt("{\"seat\": \"%s\", \"used\": 149}", rseats[5]);
	json_decref(control_json("/sandbox/inmails/credits", json, 200));
	struct itest_client *c = signed_in(recruiters[5]);
	struct itest_resp page = widget(c, p);
	struct itest_resp r = widget_post(c, &page, "inmail", "subject", "Last",
					  "body", "The 150th");
	CHECK_STATUS(r, 200, "the 150th InMail of the month");
	itest_resp_free(&r);
	itest_resp_free(&page);
	page = widget(c, p);
	r = widget_post(c, &page, "inmail", "subject", "Over", "body",
			"The 151st");
	CHECK_STATUS(r, 429, "the 151st");
	CHECK_HAS(r, "150 InMail credits", "says why");
	CHECK_HAS(r, "The 151st", "keeps what was written");
	itest_resp_free(&r);
	itest_resp_free(&page);
	CHECK(conversations(rseats[5], p) == 1, "one sent, not two");
	free(json);
	json = itest_fmt("{\"seat\": \"%s\", \"used\": 0}", rseats[5]);
	json_decref(control_json("/sandbox/inmails/credits", json, 200));
	free(json);
	itest_client_free(c);
	free(p);
}

static void save_to_a_job_puts_the_member_in_its_project(void)
{
	const struct crafted *m = member("email_only");
	struct itest_client *c = signed_in(recruiters[6]);
	struct itest_resp page = widget(c, m->id);
	char *j1 = itest_fmt("%s-J1", tag), *j2 = itest_fmt("%s-J2", tag);
	char *j3 = itest_fmt("%s-J3", tag);
	struct itest_resp r = widget_post(c, &page, "save", "job", j1, NULL,
					  NULL);
	CHECK_STATUS(r, 200, "Save to a job");
	CHECK_HAS(r, "Saved to Widget Engineer", "saved");
	CHECK_HAS(r, "Widget Engineer (saved)", "the job shows it");
	itest_resp_free(&r);
	r = widget_post(c, &page, "save", "job", j1, NULL, NULL);
	CHECK_HAS(r, "Already saved", "once");
	itest_resp_free(&r);
	const char *refused[] = {j2, j3, "nope"};
	for (size_t i = 0; i < ARRAY_LEN(refused); i++) {
		r = widget_post(c, &page, "save", "job", refused[i], NULL,
				NULL);
		CHECK(r.status == 404, "save to %s: %ld, want 404",
		      refused[i], r.status);
		itest_resp_free(&r);
	}
	char *path = itest_fmt("/sandbox/projects?clientId=%s", li->client_id);
	json_t *j = control_get(path);
	json_t *e;
	size_t i;
	int found = 0, others = 0;
	json_array_foreach(json_object_get(j, "elements"), i, e)
	{
		const char *id = itest_jstr(e, "externalJobPostingId");
		if (!strcmp(id, j1)) {
			json_t *mem = json_array_get(json_object_get(e, "members"), 0);
			char *urn = itest_fmt("urn:li:person:%s", m->id);
			found = !strcmp(itest_jstr(mem, "member"), urn) &&
				!strcmp(itest_jstr(mem, "savedBy"), rseats[6]) &&
				json_array_size(json_object_get(e, "members")) == 1;
			free(urn);
		} else if (!strcmp(id, j2) || !strcmp(id, j3))
			others++;
	}
	CHECK(found, "the project of J1 holds the member, saved by the seat");
	CHECK(!others, "no other project got it");
	json_decref(j);
	free(path);
	free(j1), free(j2), free(j3);
	itest_resp_free(&page);
	itest_client_free(c);
}

static void widget_link_buttons_follow_linkedins_match(void)
{
	const struct crafted *m = member("email_only");
	struct itest_client *c = itest_client_new(NULL);
	char *id = cand("L1");
	/* the candidate synced with the member's email: LinkedIn's match */
	char *k = qkey(0, id), *ek = ekey(id);
	char *body = itest_fmt(
	    "{\"entities\": {\"%s\": {\"firstName\": \"%s\", \"lastName\":"
	    " \"%s\", \"emailAddresses\": [\"%s\"], \"phoneNumbers\": [],"
	    " \"addresses\": [], \"externalProfileUrl\": \"%s/c/1\","
	    " \"atsCreatedAt\": 1, \"atsLastModifiedAt\": 2}}}",
	    ek, m->first, m->last, m->email, origin1);
	char *path = itest_fmt("/v2/atsCandidates?%s", k);
	json_decref(api_json("PUT", path, body, 200));
	char *url = widget_url(li->client_id, id, NULL, origin1);
	struct itest_resp r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, "LinkedIn's match");
	CHECK_HAS(r, m->first, "shows the matched member");
	CHECK_HAS(r, "data-li-action=\"link\"", "offers Link");
	CHECK(!itest_has(&r, "data-li-action=\"unlink\""), "not Unlink");
	itest_resp_free(&r);
	/* linked (manualMatchedMember): Unlink */
	char *patch = itest_fmt("{\"entities\": {\"%s\": {\"patch\": {\"$set\":"
				" {\"manualMatchedMember\": \"urn:li:person:%s\"}}}}}",
				ek, member("similar_1")->id);
	json_decref(api_json("POST", path, patch, 200));
	r = itest_get(c, url, false);
	CHECK_HAS(r, member("similar_1")->first, "shows the linked member");
	CHECK_HAS(r, "data-li-action=\"unlink\"", "offers Unlink");
	itest_resp_free(&r);
	free(url);
	/* a candidate LinkedIn knows nothing of */
	char *none = cand("L-none");
	url = widget_url(li->client_id, none, NULL, origin1);
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, "no match");
	CHECK_HAS(r, "LinkedIn found no member", "says so");
	CHECK(!itest_has(&r, "data-li-action"), "nothing to link");
	itest_resp_free(&r);
	free(url), free(none), free(patch), free(path), free(body);
	free(k), free(ek), free(id);
	itest_client_free(c);
}

/* ------------------------------------------------------------ atsCandidates */

/* PUTs candidate id with these fields (JSON text of the entity). */
static void put_candidate(const char *id, const char *entity)
{
	char *k = qkey(0, id), *ek = ekey(id);
	char *body = itest_fmt("{\"entities\": {\"%s\": %s}}", ek, entity);
	char *path = itest_fmt("/v2/atsCandidates?%s", k);
	json_t *j = api_json("PUT", path, body, 200);
	json_t *res = json_object_get(json_object_get(j, "results"), ek);
	CHECK(itest_jint(res, "status") == 204, "PUT %s: 204", id);
	if (!res)
		fprintf(stderr, "%s\n", body);
	json_decref(j);
	free(path), free(body), free(k), free(ek);
}

/* The entity of a crafted member's candidate; email/phone as given. */
static char *entity_of(const struct crafted *m, const char *email,
		       const char *phone)
{
	return itest_fmt(
	    "{\"firstName\": \"%s\", \"lastName\": \"%s\", \"emailAddresses\":"
	    " [%s%s%s], \"phoneNumbers\": [%s%s%s], \"addresses\": [],"
	    " \"externalProfileUrl\": \"%s/candidates/1\", \"atsCreatedAt\":"
	    " 1700000000000, \"atsLastModifiedAt\": 1700000000000}",
	    m->first, m->last, email ? "\"" : "", email ? email : "",
	    email ? "\"" : "", phone ? "{\"number\": \"" : "",
	    phone ? phone : "", phone ? "\"}" : "", origin1);
}

/* matchedMembers of candidate id (new array), NULL when not found. */
static json_t *matched(const char *id, char **manual)
{
	char *k = qkey(0, id), *ek = ekey(id);
	char *path = itest_fmt(
	    "/v2/atsCandidates?%s&fields=matchedMembers,manualMatchedMember",
	    k);
	json_t *j = api_json("GET", path, NULL, 200);
	json_t *res = json_object_get(json_object_get(j, "results"), ek);
	json_t *out = res ? json_incref(json_object_get(res, "matchedMembers"))
			  : NULL;
	if (manual)
		*manual = res ? itest_strdup(itest_jstr(res,
						       "manualMatchedMember"))
			      : NULL;
	json_decref(j);
	free(path), free(k), free(ek);
	return out;
}

static bool only(json_t *urns, const char *member_id)
{
	char *urn = itest_fmt("urn:li:person:%s", member_id);
	bool ok = json_array_size(urns) == 1 &&
		  !strcmp(json_string_value(json_array_get(urns, 0)), urn);
	free(urn);
	return ok;
}

static void ats_candidates_match_each_crafted_member(void)
{
	const struct crafted *both = member("email_and_id"),
			     *email = member("email_only"),
			     *phone = member("phone_only"),
			     *none = member("none"),
			     *similar = member("similar_2");
	struct {
		const char *name;
		const struct crafted *m;
		const char *email, *phone;
		const char *want; /* member id, NULL: none */
	} cases[] = {
	    {"M-both", both, both->email, NULL, both->id},
	    /* the address in another case: LinkedIn's match ignores case */
	    {"M-email", email, "TOBIAS.Wrenfield@crafted.example.com", NULL,
	     email->id},
	    /* name and phone, written differently */
	    {"M-phone", phone, NULL, "+91 (80) 5550-0104", phone->id},
	    {"M-none", none, none->email, none->phone, NULL},
	    /* a bare name is no algorithmic match */
	    {"M-similar", similar, "someone@else.example", NULL, NULL},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *id = cand(cases[i].name);
		char *e = entity_of(cases[i].m, cases[i].email, cases[i].phone);
		put_candidate(id, e);
		json_t *urns = matched(id, NULL);
		CHECK(urns, "%s: stored", cases[i].name);
		if (cases[i].want)
			CHECK(only(urns, cases[i].want),
			      "%s: matched to the member", cases[i].name);
		else
			CHECK(json_array_size(urns) == 0, "%s: no match",
			      cases[i].name);
		json_decref(urns);
		free(e), free(id);
	}
	/* by profile URL, and by name, title and company */
	char *id = cand("M-url");
	char *url = itest_sandbox_sql_str(
	    "SELECT CONCAT('https://www.linkedin.com/in/', vanity_name, '/')"
	    " FROM members WHERE urn_id = '%s'",
	    member("id_only")->id);
	char *e = itest_fmt(
	    "{\"firstName\": \"Someone\", \"emailAddresses\": [],"
	    " \"phoneNumbers\": [], \"addresses\": [], \"linkedInProfileUrl\":"
	    " \"%s\", \"externalProfileUrl\": \"%s/c\", \"atsCreatedAt\": 1,"
	    " \"atsLastModifiedAt\": 1}",
	    url, origin1);
	put_candidate(id, e);
	json_t *urns = matched(id, NULL);
	CHECK(only(urns, member("id_only")->id), "matched by profile URL");
	json_decref(urns);
	free(e), free(id), free(url);
	const struct crafted *t = member("similar_3");
	id = cand("M-title");
	e = itest_fmt("{\"firstName\": \"%s\", \"lastName\": \"%s\","
		      " \"emailAddresses\": [], \"phoneNumbers\": [],"
		      " \"addresses\": [], \"currentJobTitle\": \"%s\","
		      " \"currentCompanyName\": \"%s\", \"externalProfileUrl\":"
		      " \"%s/c\", \"atsCreatedAt\": 1, \"atsLastModifiedAt\": 1}",
		      t->first, t->last, t->title, t->company, origin1);
	put_candidate(id, e);
	urns = matched(id, NULL);
	CHECK(only(urns, t->id), "matched by name, title and company");
	json_decref(urns);
	free(e), free(id);
	/* never synced */
	id = cand("M-never");
	urns = matched(id, NULL);
	CHECK(!urns, "a candidate never synced is not found");
	json_decref(urns);
	free(id);
}

static void put_candidate_checks_linkedins_required_fields(void)
{
	static const struct {
		const char *entity, *field;
		int status;
	} cases[] = {
	    {"{\"lastName\": \"X\", \"emailAddresses\": [], \"phoneNumbers\":"
	     " [], \"addresses\": [], \"externalProfileUrl\": \"http://x/\","
	     " \"atsCreatedAt\": 1, \"atsLastModifiedAt\": 1}",
	     "/firstName", 422},
	    {"{\"firstName\": \"X\", \"phoneNumbers\": [], \"addresses\": [],"
	     " \"externalProfileUrl\": \"http://x/\", \"atsCreatedAt\": 1,"
	     " \"atsLastModifiedAt\": 1}",
	     "/emailAddresses", 422},
	    {"{\"firstName\": \"X\", \"emailAddresses\": [\"nope\"],"
	     " \"phoneNumbers\": [], \"addresses\": [], \"externalProfileUrl\":"
	     " \"http://x/\", \"atsCreatedAt\": 1, \"atsLastModifiedAt\": 1}",
	     "/emailAddresses", 400},
	    {"{\"firstName\": \"X\", \"emailAddresses\": [], \"addresses\": [],"
	     " \"externalProfileUrl\": \"http://x/\", \"atsCreatedAt\": 1,"
	     " \"atsLastModifiedAt\": 1}",
	     "/phoneNumbers", 422},
	    {"{\"firstName\": \"X\", \"emailAddresses\": [], \"phoneNumbers\":"
	     " [], \"addresses\": [], \"externalProfileUrl\": \"http://x/\","
	     " \"atsCreatedAt\": 5, \"atsLastModifiedAt\": 4}",
	     "/atsLastModifiedAt", 400},
	    {"{\"firstName\": \"X\", \"emailAddresses\": [], \"phoneNumbers\":"
	     " [], \"addresses\": [], \"atsCreatedAt\": 1,"
	     " \"atsLastModifiedAt\": 1}",
	     "/externalProfileUrl", 422},
	};
	char *id = cand("V");
	char *k = qkey(0, id), *ek = ekey(id);
	char *path = itest_fmt("/v2/atsCandidates?%s", k);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *body = itest_fmt("{\"entities\": {\"%s\": %s}}", ek,
				       cases[i].entity);
		json_t *j = api_json("PUT", path, body, 200);
		json_t *err = json_object_get(json_object_get(j, "errors"), ek);
		CHECK(itest_jint(err, "status") == cases[i].status &&
			  strstr(itest_jstr(err, "message"), cases[i].field),
		      "case %zu: %lld %s", i, itest_jint(err, "status"),
		      itest_jstr(err, "message"));
		json_decref(j);
		free(body);
	}
	char *cpath = itest_fmt(
	    "/sandbox/atsCandidates?clientId=%s&atsCandidateId=%s",
	    li->client_id, id);
	json_t *j = control_get(cpath);
	CHECK(json_array_size(json_object_get(j, "elements")) == 0,
	      "nothing stored for refused entities");
	json_decref(j);
	free(cpath);
	/* no token, another organization */
	struct itest_resp r = api("GET", path, NULL, "not-a-token");
	CHECK_STATUS(r, 401, "a bad token");
	itest_resp_free(&r);
	char *other = itest_fmt(
	    "/v2/atsCandidates?ids[0].atsCandidateId=%s&ids[0].dataProvider="
	    "ATS&ids[0].integrationContext=urn:li:organization:1",
	    id);
	j = api_json("GET", other, NULL, 200);
	CHECK(json_object_size(json_object_get(j, "errors")) == 1, "an error");
	json_t *e;
	const char *key;
	json_object_foreach(json_object_get(j, "errors"), key, e)
	    CHECK(itest_jint(e, "status") == 403, "another organization: 403");
	json_decref(j);
	free(other), free(path), free(k), free(ek), free(id);
}

static void manual_matched_member_is_stored_and_unlinked(void)
{
	const struct crafted *m = member("id_only");
	char *id = cand("MM");
	char *k = qkey(0, id), *ek = ekey(id);
	char *path = itest_fmt("/v2/atsCandidates?%s", k);
	char *set = itest_fmt("{\"entities\": {\"%s\": {\"patch\": {\"$set\":"
			      " {\"manualMatchedMember\": \"urn:li:person:%s\"}}}}}",
			      ek, m->id);
	json_t *j = api_json("POST", path, set, 200);
	CHECK(itest_jint(json_object_get(json_object_get(j, "results"), ek),
			 "status") == 204,
	      "linked");
	json_decref(j);
	char *manual;
	json_t *urns = matched(id, &manual);
	char *want = itest_fmt("urn:li:person:%s", m->id);
	CHECK(manual && !strcmp(manual, want),
	      "GET answers manualMatchedMember: %s", manual ? manual : "");
	json_decref(urns);
	free(manual);
	char *cpath = itest_fmt(
	    "/sandbox/atsCandidates?clientId=%s&atsCandidateId=%s",
	    li->client_id, id);
	j = control_get(cpath);
	json_t *e = json_array_get(json_object_get(j, "elements"), 0);
	CHECK(!strcmp(itest_jstr(e, "manualMatchedMember"), want) &&
		  json_is_null(json_object_get(e, "candidate")),
	      "stored as a link only: no candidate data");
	json_decref(j);

	/* refusals */
	static const char *const bad[] = {
	    "{\"patch\": {\"$set\": {\"manualMatchedMember\": \"urn:li:person:nobodyXX\"}}}",
	    "{\"patch\": {\"$set\": {\"manualMatchedMember\": \"someone\"}}}",
	    "{\"patch\": {\"$set\": {\"firstName\": \"X\"}}}",
	    "{\"nopatch\": 1}",
	};
	static const int want_status[] = {404, 400, 400, 400};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *b = itest_fmt("{\"entities\": {\"%s\": %s}}", ek, bad[i]);
		j = api_json("POST", path, b, 200);
		json_t *err = json_object_get(json_object_get(j, "errors"), ek);
		CHECK(itest_jint(err, "status") == want_status[i],
		      "bad patch %zu: %lld", i, itest_jint(err, "status"));
		json_decref(j);
		free(b);
	}
	j = control_get(cpath);
	e = json_array_get(json_object_get(j, "elements"), 0);
	CHECK(!strcmp(itest_jstr(e, "manualMatchedMember"), want),
	      "a refused patch changed nothing");
	json_decref(j);

	/* unlink: a link-only record then holds nothing */
	char *del = itest_fmt("{\"entities\": {\"%s\": {\"patch\": {\"$delete\":"
			      " [\"manualMatchedMember\"]}}}}",
			      ek);
	json_decref(api_json("POST", path, del, 200));
	j = control_get(cpath);
	CHECK(json_array_size(json_object_get(j, "elements")) == 0,
	      "unlinked: nothing left at LinkedIn");
	json_decref(j);
	/* a synced candidate keeps its data when unlinked */
	char *ent = entity_of(m, "ingrid@elsewhere.example", NULL);
	put_candidate(id, ent);
	free(ent);
	json_decref(api_json("POST", path, set, 200));
	json_decref(api_json("POST", path, del, 200));
	j = control_get(cpath);
	e = json_array_get(json_object_get(j, "elements"), 0);
	CHECK(e && json_is_null(json_object_get(e, "manualMatchedMember")) &&
		  json_is_object(json_object_get(e, "candidate")),
	      "a synced candidate unlinked keeps its fields");
	json_decref(j);
	free(del), free(cpath), free(want), free(set), free(path);
	free(k), free(ek), free(id);
}

static void delete_erases_the_candidate_plain_or_tunnelled(void)
{
	const struct crafted *m = member("email_only");
	char *a = cand("D1"), *b = cand("D2");
	char *ea = entity_of(m, m->email, NULL);
	put_candidate(a, ea);
	put_candidate(b, ea);
	char *ka = qkey(0, a), *eka = ekey(a);
	char *path = itest_fmt("/v2/atsCandidates?%s", ka);
	json_t *j = api_json("DELETE", path, NULL, 200);
	CHECK(itest_jint(json_object_get(json_object_get(j, "results"), eka),
			 "status") == 204,
	      "deleted");
	json_decref(j);
	json_t *urns = matched(a, NULL);
	CHECK(!urns, "gone from LinkedIn");
	json_decref(urns);
	/* LinkedIn's deletion guide tunnels it: POST, the query as the
	 * body, the token among its fields */
	char *kb = qkey(0, b);
	char *body = itest_fmt("%s&oauth2_access_token=%s", kb, token);
	struct itest_client *c = itest_client_new(NULL);
	char *url = sandbox("/v2/atsCandidates");
	struct itest_resp r = itest_post_raw(
	    c, url, "application/x-www-form-urlencoded", body, strlen(body),
	    "X-HTTP-Method-Override: DELETE");
	CHECK_STATUS(r, 200, "a tunnelled DELETE");
	itest_resp_free(&r);
	urns = matched(b, NULL);
	CHECK(!urns, "gone too");
	json_decref(urns);
	itest_client_free(c);
	free(url), free(body), free(kb), free(path), free(ka), free(eka);
	free(ea), free(a), free(b);
}

/* The match query's elements (new) for the query string q. */
static json_t *match_query(const char *q, long want)
{
	char *path = itest_fmt("/v2/atsCandidates?q=memberMatches&"
			       "integrationContext=%s&%s",
			       org_urn, q);
	json_t *j = api_json("GET", path, NULL, want);
	free(path);
	return j;
}

static json_t *element_of(json_t *j, const char *member_id)
{
	char *urn = itest_fmt("urn:li:person:%s", member_id);
	json_t *e, *found = NULL;
	size_t i;
	json_array_foreach(json_object_get(j, "elements"), i, e)
	{
		if (!strcmp(itest_jstr(e, "member"), urn))
			found = e;
	}
	free(urn);
	return found;
}

static void match_query_serves_each_rule_and_stores_nothing(void)
{
	long long before =
	    itest_sandbox_sql_int("SELECT COUNT(*) FROM ats_candidates");
	const struct crafted *both = member("email_and_id"),
			     *id_only = member("id_only"),
			     *email = member("email_only"),
			     *none = member("none");

	/* rule 1: email and member id both match */
	char *q = itest_fmt("member=urn%%3Ali%%3Aperson%%3A%s&emailAddresses=%s"
			    "&firstName=%s&lastName=%s",
			    both->id, both->email, both->first, both->last);
	json_t *j = match_query(q, 200);
	json_t *first = json_array_get(json_object_get(j, "elements"), 0);
	char *urn = itest_fmt("urn:li:person:%s", both->id);
	CHECK(!strcmp(itest_jstr(first, "member"), urn) &&
		  json_is_true(json_object_get(first, "memberMatched")) &&
		  json_is_true(json_object_get(first, "emailMatched")),
	      "both: the named member first, its email matched");
	char *text = json_dumps(j, 0);
	CHECK(text && !strstr(text, both->email) && !strstr(text, "@"),
	      "no email address in the answer");
	free(text);
	json_decref(j);
	free(urn);
	free(q);

	/* member id only: the id matches, the email does not */
	q = itest_fmt("member=urn%%3Ali%%3Aperson%%3A%s&emailAddresses="
		      "ingrid%%40elsewhere.example",
		      id_only->id);
	j = match_query(q, 200);
	first = json_array_get(json_object_get(j, "elements"), 0);
	CHECK(json_is_true(json_object_get(first, "memberMatched")) &&
		  json_is_false(json_object_get(first, "emailMatched")),
	      "member id only: listed, email not matched");
	CHECK(!strcmp(itest_jstr(first, "firstName"), id_only->first) &&
		  *itest_jstr(first, "headline") &&
		  *itest_jstr(first, "location"),
	      "name, headline and location to list");
	json_decref(j);
	free(q);

	/* email only: no member id yet */
	q = itest_fmt("emailAddresses=%s&firstName=Tobias&lastName=Wrenfield",
		      email->email);
	j = match_query(q, 200);
	json_t *e = element_of(j, email->id);
	CHECK(e && json_is_true(json_object_get(e, "emailMatched")) &&
		  json_is_false(json_object_get(e, "memberMatched")),
	      "email only: the member, email matched");
	json_decref(j);
	free(q);

	/* none */
	q = itest_fmt("emailAddresses=%s&firstName=%s&lastName=%s",
		      none->email, none->first, none->last);
	j = match_query(q, 200);
	CHECK(json_array_size(json_object_get(j, "elements")) == 0,
	      "no good match: no element");
	json_decref(j);
	free(q);

	/* several similar names */
	j = match_query("firstName=John&lastName=Abernathy", 200);
	const char *labels[] = {"similar_1", "similar_2", "similar_3",
				"similar_4"};
	for (size_t i = 0; i < ARRAY_LEN(labels); i++) {
		e = element_of(j, member(labels[i])->id);
		CHECK(e && json_is_false(json_object_get(e, "emailMatched")),
		      "%s is a possible member", labels[i]);
	}
	json_decref(j);
	j = match_query("firstName=John&lastName=Abernathy&count=2", 200);
	CHECK(json_array_size(json_object_get(j, "elements")) == 2 &&
		  itest_jint(json_object_get(j, "paging"), "total") >= 4 &&
		  json_array_size(json_object_get(json_object_get(j, "paging"),
						  "links")) == 1,
	      "paged, with a next link");
	json_decref(j);

	/* nothing asked, another organization */
	json_decref(match_query("count=5", 400));
	char *path = itest_fmt("/v2/atsCandidates?q=memberMatches&"
			       "integrationContext=urn:li:organization:1&"
			       "firstName=John&lastName=Abernathy");
	json_decref(api_json("GET", path, NULL, 403));
	free(path);

	CHECK(itest_sandbox_sql_int("SELECT COUNT(*) FROM ats_candidates") ==
		  before,
	      "the match queries stored nothing at LinkedIn");
}

/* ------------------------------------------------------------ activities */

/* Sends an InMail from recruiter i to member at (control); the
 * conversation URN, new. */
static char *inmail(int i, const char *to, const char *subject,
		    long long at)
{
	char *json = itest_fmt("{\"from\": \"%s\", \"to\": \"%s\", \"subject\":"
			       " \"%s\", \"body\": \"Body of %s\", \"at\": %lld}",
			       recruiters[i], to, subject, subject, at);
	json_t *j = control_json("/sandbox/inmails", json, 201);
	char *conv = itest_strdup(itest_jstr(j, "conversation"));
	json_decref(j);
	free(json);
	return conv;
}

static json_t *events(const char *seat, long long lo, long long hi,
		      const char *extra, long want)
{
	char *path = itest_fmt("/v2/conversationEvents?q=criteria&viewer=%s&"
			       "timeRange.start=%lld&timeRange.end=%lld%s",
			       seat, lo, hi, extra ? extra : "");
	json_t *j = api_json("GET", path, NULL, want);
	free(path);
	return j;
}

static void conversation_events_are_windowed_paged_and_carry_replies(void)
{
	char *p = prospect(3);
	const long long h = 3600000;
	char *c1 = inmail(7, p, "First", base + 1 * h);
	char *c2 = inmail(7, p, "Second", base + 2 * h);
	char *c3 = inmail(7, p, "Later", base + 13 * h);
	char *reply = itest_fmt("{\"conversation\": \"%s\", \"body\":"
				" \"Yes please\", \"at\": %lld}",
				c1, base + 3 * h);
	json_decref(control_json("/sandbox/inmails/reply", reply, 201));

	/* [base, base + 12 h): the two InMails and the reply */
	json_t *j = events(rseats[7], base, base + 12 * h, NULL, 200);
	json_t *el = json_object_get(j, "elements");
	CHECK(json_array_size(el) == 3, "three events in the window: %zu",
	      json_array_size(el));
	json_t *e0 = json_array_get(el, 0), *e2 = json_array_get(el, 2);
	char *purn = itest_fmt("urn:li:person:%s", p);
	CHECK(!strcmp(itest_jstr(e0, "direction"), "OUTBOUND") &&
		  !strcmp(itest_jstr(e0, "author"), rseats[7]) &&
		  !strcmp(itest_jstr(e0, "prospect"), purn) &&
		  !strcmp(itest_jstr(e0, "conversation"), c1) &&
		  itest_jint(e0, "created") == base + h,
	      "the first InMail: who, to whom, when");
	CHECK(!strcmp(itest_jstr(e2, "direction"), "INBOUND") &&
		  !strcmp(itest_jstr(e2, "author"), purn) &&
		  !strcmp(itest_jstr(e2, "conversation"), c1),
	      "the reply: the prospect's, in the first conversation");
	json_t *content = json_object_get(e0, "eventContent");
	CHECK(strstr(itest_jstr(content, "body"), "SBX-INMAIL-CONTENT") &&
		  strstr(itest_jstr(content, "subject"), "First"),
	      "the content comes, marked, as LinkedIn sends it");
	json_decref(j);

	/* start inclusive, end exclusive */
	j = events(rseats[7], base + 2 * h, base + 13 * h, NULL, 200);
	CHECK(json_array_size(json_object_get(j, "elements")) == 2,
	      "from the second InMail to before the third");
	json_decref(j);
	j = events(rseats[7], base + 13 * h, base + 14 * h, NULL, 200);
	CHECK(json_array_size(json_object_get(j, "elements")) == 1,
	      "the third alone");
	json_decref(j);

	/* paging */
	j = events(rseats[7], base, base + 12 * h, "&start=0&count=2", 200);
	json_t *paging = json_object_get(j, "paging");
	CHECK(json_array_size(json_object_get(j, "elements")) == 2 &&
		  itest_jint(paging, "total") == 3 &&
		  json_array_size(json_object_get(paging, "links")) == 1,
	      "a page of two of three, with a next link");
	json_decref(j);
	j = events(rseats[7], base, base + 12 * h, "&start=2&count=2", 200);
	CHECK(json_array_size(json_object_get(j, "elements")) == 1,
	      "the last page");
	json_decref(j);

	/* another seat sees none of it */
	j = events(rseats[8], base, base + 12 * h, NULL, 200);
	CHECK(json_array_size(json_object_get(j, "elements")) == 0,
	      "another seat's history is its own");
	json_decref(j);

	/* LinkedIn's 12 hours, and bad calls */
	json_decref(events(rseats[7], base, base + 12 * h + 1, NULL, 400));
	json_decref(events(rseats[7], base + h, base, NULL, 400));
	json_decref(events("urn:li:seat:1", base, base + h, NULL, 403));
	char *path = itest_fmt("/v2/conversationEvents?q=criteria&"
			       "timeRange.start=%lld&timeRange.end=%lld",
			       base, base + h);
	json_decref(api_json("GET", path, NULL, 400));
	free(path);
	path = itest_fmt("/v2/conversationEvents?q=criteria&viewer=%s",
			 rseats[7]);
	struct itest_resp r = api("GET", path, NULL, "");
	CHECK_STATUS(r, 401, "no token");
	itest_resp_free(&r);
	free(path);

	free(purn), free(reply), free(c1), free(c2), free(c3), free(p);
}

static json_t *notes(const char *owners, long long lo, long long hi,
		     long want)
{
	char *path = itest_fmt("/v2/prospectNotes?q=criteria&contract=%s%s"
			       "&cutoffDate=%lld&beforeDate=%lld",
			       li->contract, owners ? owners : "", lo, hi);
	json_t *j = api_json("GET", path, NULL, want);
	free(path);
	return j;
}

static long long note(int owner, const char *to, const char *text,
		      const char *visibility, long long at)
{
	char *json = itest_fmt("{\"owner\": \"%s\", \"member\": \"%s\","
			       " \"note\": \"%s\", \"visibility\": \"%s\","
			       " \"at\": %lld}",
			       recruiters[owner], to, text, visibility, at);
	json_t *j = control_json("/sandbox/prospectNotes", json, 201);
	long long id = itest_jint(j, "id");
	json_decref(j);
	free(json);
	return id;
}

/* Whether the notes answer j holds a note with this text. */
static bool holds(json_t *j, const char *text)
{
	json_t *e;
	size_t i;
	json_array_foreach(json_object_get(j, "elements"), i, e)
	{
		if (!strcmp(itest_jstr(e, "note"), text))
			return true;
	}
	return false;
}

static void private_notes_are_only_in_their_owners_seat_query(void)
{
	char *p = prospect(4);
	const long long h = 3600000, t = base + 100 * h;
	note(9, p, "nine public", "PUBLIC", t + h);
	long long priv = note(9, p, "nine private", "PRIVATE", t + 2 * h);
	note(10, p, "ten private", "PRIVATE", t + 3 * h);
	note(10, p, "ten later", "PUBLIC", t + 20 * h);

	char *own9 = itest_fmt("&owners=%s", rseats[9]);
	char *own10 = itest_fmt("&owners=%s", rseats[10]);
	char *both = itest_fmt("&owners=%s&owners=%s", rseats[9], rseats[10]);

	json_t *j = notes(own9, t, t + 12 * h, 200);
	CHECK(holds(j, "nine public") && holds(j, "nine private") &&
		  !holds(j, "ten private"),
	      "seat 9's query: its notes, private too, not seat 10's private");
	json_t *e = json_array_get(json_object_get(j, "elements"), 1);
	char *purn = itest_fmt("urn:li:person:%s", p);
	CHECK(!strcmp(itest_jstr(e, "owner"), rseats[9]) &&
		  !strcmp(itest_jstr(e, "prospect"), purn) &&
		  !strcmp(itest_jstr(e, "visibility"), "PRIVATE") &&
		  json_is_true(json_object_get(e, "active")) &&
		  !strcmp(itest_jstr(e, "contract"), li->contract) &&
		  itest_jint(e, "lastModified") == t + 2 * h,
	      "a note's fields");
	json_decref(j);
	j = notes(own10, t, t + 12 * h, 200);
	CHECK(holds(j, "ten private") && !holds(j, "nine private") &&
		  !holds(j, "nine public"),
	      "seat 10's query: its own only");
	json_decref(j);
	j = notes(NULL, t, t + 12 * h, 200);
	CHECK(holds(j, "nine public") && !holds(j, "nine private") &&
		  !holds(j, "ten private"),
	      "without owners: public notes only");
	json_decref(j);
	j = notes(both, t, t + 12 * h, 200);
	CHECK(holds(j, "nine private") && holds(j, "ten private"),
	      "both owners named: both owners' notes");
	json_decref(j);

	/* cutoffDate exclusive, beforeDate inclusive, by last modification */
	j = notes(own9, t + h, t + 2 * h, 200);
	CHECK(!holds(j, "nine public") && holds(j, "nine private"),
	      "(cutoff, before]");
	json_decref(j);
	j = notes(own10, t + 12 * h, t + 24 * h, 200);
	CHECK(holds(j, "ten later") && !holds(j, "ten private"),
	      "a later window");
	json_decref(j);
	/* a deleted note comes again, inactive, when it changed */
	char *upd = itest_fmt("{\"id\": %lld, \"active\": false, \"at\": %lld}",
			      priv, t + 30 * h);
	json_decref(control_json("/sandbox/prospectNotes/update", upd, 200));
	j = notes(own9, t + 25 * h, t + 31 * h, 200);
	e = json_array_get(json_object_get(j, "elements"), 0);
	CHECK(e && !strcmp(itest_jstr(e, "note"), "nine private") &&
		  json_is_false(json_object_get(e, "active")),
	      "a deleted note: active false");
	json_decref(j);

	/* paging and LinkedIn's limits */
	j = notes(both, t, t + 12 * h, 200);
	json_decref(j);
	char *paged = itest_fmt("%s&count=1", both);
	j = notes(paged, t, t + 12 * h, 200);
	CHECK(json_array_size(json_object_get(j, "elements")) == 1 &&
		  itest_jint(json_object_get(j, "paging"), "total") == 2,
	      "a page of one of two");
	json_decref(j);
	json_decref(notes(own9, t, t + 12 * h + 1, 400));
	json_decref(notes("&owners=urn:li:seat:1", t, t + h, 403));
	char *path = itest_fmt("/v2/prospectNotes?q=criteria&contract="
			       "urn:li:contract:1");
	json_decref(api_json("GET", path, NULL, 403));
	free(path);
	path = itest_fmt("/v2/prospectNotes?q=criteria");
	json_decref(api_json("GET", path, NULL, 400));
	free(path);
	free(paged), free(upd), free(purn), free(both), free(own9);
	free(own10), free(p);
}

/* Signs c in as member (any member: /login?member= offers them). */
static long signin_member(struct itest_client *c, const char *id,
			  const char *next)
{
	char *q = itest_form("member", id, "next", next, NULL);
	char *url = itest_fmt("%s/login?%s", itest_sandbox_url(), q);
	struct itest_resp page = itest_get(c, url, false);
	char *opt = itest_fmt("<option value=\"%s\">", id);
	CHECK_HAS(page, opt, "the sign-in page offers the member");
	char *signin = itest_field(&page, "signin");
	char *to = itest_fmt("%s/login", itest_sandbox_url());
	struct itest_resp r = itest_post(c, to, false, NULL, "member", id,
					 "next", next, "signin", signin, NULL);
	long status = r.status;
	itest_resp_free(&r);
	itest_resp_free(&page);
	free(to), free(signin), free(opt), free(url), free(q);
	return status;
}

static void member_reads_an_inmail_and_replies(void)
{
	char *p = prospect(5);
	long long now = (long long)time(NULL) * 1000;
	char *conv = inmail(11, p, "Reply to me", now - 60000);
	const char *num = strrchr(conv, ':') + 1;

	/* signed out: sent to sign in */
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s/messaging/thread/%s", itest_sandbox_url(),
			      num);
	struct itest_resp r = itest_get(c, url, false);
	CHECK_STATUS(r, 303, "signed out");
	CHECK(strstr(itest_location(&r), "/login?next="), "to sign in");
	itest_resp_free(&r);
	/* another member may not read it */
	CHECK(signin_member(c, recruiters[12], "/messaging/") == 303,
	      "someone else signs in");
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 404, "another member's InMail");
	itest_resp_free(&r);
	itest_client_free(c);

	c = itest_client_new(NULL);
	CHECK(signin_member(c, p, "/messaging/") == 303,
	      "the prospect (no seat) signs in");
	char *inbox = sandbox("/messaging/");
	r = itest_get(c, inbox, false);
	CHECK_STATUS(r, 200, "the inbox");
	CHECK_HAS(r, "Reply to me", "lists the InMail");
	CHECK(!itest_has(&r, "href=\"/jobs\""),
	      "a LinkedIn page: no hirelink navigation");
	itest_resp_free(&r);
	r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, "the InMail");
	CHECK_HAS(r, "Body of Reply to me", "reads it");
	char *csrf = itest_field(&r, "csrf");
	itest_resp_free(&r);
	char *to = itest_fmt("%s/messaging/thread/%s/reply",
			     itest_sandbox_url(), num);
	r = itest_post(c, to, false, "forged", "body", "Hi", NULL);
	CHECK_STATUS(r, 403, "a forged reply");
	itest_resp_free(&r);
	r = itest_post(c, to, false, csrf, "body", "", NULL);
	CHECK_STATUS(r, 400, "an empty reply");
	itest_resp_free(&r);
	r = itest_post(c, to, false, csrf, "body", "Happy to talk", NULL);
	CHECK_STATUS(r, 303, "replied");
	itest_resp_free(&r);
	r = itest_get(c, url, false);
	CHECK_HAS(r, "Happy to talk", "the reply is in the thread");
	itest_resp_free(&r);

	/* the seat's history has the reply; the widget says replied */
	json_t *j = events(rseats[11], now - 3600000, now + 3600000, NULL,
			   200);
	json_t *e;
	size_t i;
	int inbound = 0;
	json_array_foreach(json_object_get(j, "elements"), i, e)
	{
		if (!strcmp(itest_jstr(e, "conversation"), conv) &&
		    !strcmp(itest_jstr(e, "direction"), "INBOUND"))
			inbound++;
	}
	CHECK(inbound == 1, "one INBOUND event in the conversation");
	json_decref(j);
	struct itest_client *rc = signed_in(recruiters[11]);
	r = widget(rc, p);
	CHECK_HAS(r, "Reply to me", "the widget's InMail history");
	CHECK_HAS(r, "<strong>replied</strong>", "replied");
	itest_resp_free(&r);
	itest_client_free(rc);
	free(to), free(csrf), free(inbox), free(url), free(conv), free(p);
	itest_client_free(c);
}

static void control_calls_name_the_bad_field(void)
{
	static const struct {
		const char *path, *json, *field;
	} cases[] = {
	    {"/sandbox/inmails", "{\"to\": \"x\"}", "from"},
	    {"/sandbox/inmails", "{\"from\": \"x\", \"to\": \"y\"}", "subject"},
	    {"/sandbox/inmails/reply", "{}", "conversation"},
	    {"/sandbox/inmails/credits", "{}", "seat"},
	    {"/sandbox/prospectNotes", "{\"member\": \"x\"}", "owner"},
	    {"/sandbox/prospectNotes",
	     "{\"owner\": \"x\", \"member\": \"y\", \"note\": \"n\"}",
	     "visibility"},
	    {"/sandbox/prospectNotes/update", "{}", "id"},
	    {"/sandbox/applications/jsSdkDomains",
	     "{\"clientId\": \"x\", \"validJsSdkDomains\": [\"http://a/\"]}",
	     "validJsSdkDomains"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct itest_resp r = control(cases[i].path, cases[i].json);
		CHECK(r.status == 400, "%s %s: %ld", cases[i].path,
		      cases[i].json, r.status);
		CHECK_HAS(r, cases[i].field, "names the field");
		itest_resp_free(&r);
	}
}

/* ------------------------------------------------------------ main */

static void a_closed_member_shows_as_unavailable(void)
{
	char *p = prospect(13);
	CHECK(*p, "a member");
	ITEST_SANDBOX_SQL("open", itest_fmt("UPDATE members SET closed_at = "
					    "NULL WHERE urn_id = '%s'",
					    p));
	char *first = itest_sandbox_sql_str(
	    "SELECT first_name FROM members WHERE urn_id = '%s'", p);
	char *headline = itest_sandbox_sql_str(
	    "SELECT headline FROM members WHERE urn_id = '%s'", p);
	struct itest_client *rec = signed_in(recruiters[1]);
	/* the widget open in the recruiter's page before the member goes */
	struct itest_resp before = widget(rec, p);
	CHECK(itest_has(&before, "li-widget-full"), "the full profile first");
	char *body = itest_fmt("{\"member\":\"%s\"}", p);
	json_decref(control_json("/sandbox/members/close", body, 200));

	struct itest_client *out = itest_client_new(NULL);
	struct itest_client *clients[] = {rec, out};
	static const char *const whos[] = {"Recruiter seat", "signed out"};
	for (size_t i = 0; i < ARRAY_LEN(clients); i++) {
		const char *who = whos[i];
		struct itest_resp r = widget(clients[i], p);
		CHECK(r.status == 200, "%s: %ld", who, r.status);
		CHECK(itest_has(&r, "li-widget-unavailable") &&
			  itest_has(&r, "This profile is not available"),
		      "%s: unavailable", who);
		CHECK(!itest_has(&r, "li-widget-full") &&
			  !itest_has(&r, "li-widget-basic") &&
			  !itest_has(&r, "li-widget-none"),
		      "%s: no profile", who);
		CHECK(!*first || !itest_has(&r, first),
		      "%s: the closed member's name (%s) is shown", who, first);
		CHECK(!*headline || !itest_has(&r, headline),
		      "%s: the headline is shown", who);
		CHECK(!itest_has(&r, "hcm/inmail") && !itest_has(&r, "hcm/save"),
		      "%s: no InMail, no Save", who);
		CHECK(itest_has(&r, "data-li-action=\"unlink\""),
		      "%s: the ATS's link can still be removed", who);
		CHECK(!itest_has(&r, "data-li-action=\"link\""),
		      "%s: no Link", who);
		itest_resp_free(&r);
	}
	/* the form of the page opened before: refused, nothing sent */
	long long had = conversations(rseats[1], p);
	struct itest_resp r = widget_post(rec, &before, "inmail", "subject",
					  "Hello", "body", "Still there?");
	CHECK(r.status == 404 && itest_has(&r, "This profile is not available"),
	      "an InMail to a closed member: %ld", r.status);
	itest_resp_free(&r);
	CHECK(conversations(rseats[1], p) == had, "no InMail sent");
	itest_resp_free(&before);
	ITEST_SANDBOX_SQL("reopen", itest_fmt("UPDATE members SET closed_at = "
					      "NULL WHERE urn_id = '%s'",
					      p));
	itest_client_free(rec);
	itest_client_free(out);
	free(body), free(first), free(headline), free(p);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(loader_is_at_linkedins_path_and_builds_iframes_of_its_origin),
	    TEST(widget_refuses_an_origin_the_application_did_not_declare),
	    TEST(recruiter_seat_sees_the_full_profile_inmail_and_save),
	    TEST(hiring_manager_and_signed_out_viewer_get_the_basic_profile_only),
	    TEST(hiring_manager_posts_are_refused),
	    TEST(a_closed_member_shows_as_unavailable),
	    TEST(send_inmail_checks_subject_and_body_and_sends_once),
	    TEST(a_double_click_racing_sends_one_inmail),
	    TEST(send_inmail_stops_at_the_monthly_quota),
	    TEST(save_to_a_job_puts_the_member_in_its_project),
	    TEST(widget_link_buttons_follow_linkedins_match),
	    TEST(ats_candidates_match_each_crafted_member),
	    TEST(put_candidate_checks_linkedins_required_fields),
	    TEST(manual_matched_member_is_stored_and_unlinked),
	    TEST(delete_erases_the_candidate_plain_or_tunnelled),
	    TEST(match_query_serves_each_rule_and_stores_nothing),
	    TEST(conversation_events_are_windowed_paged_and_carry_replies),
	    TEST(private_notes_are_only_in_their_owners_seat_query),
	    TEST(member_reads_an_inmail_and_replies),
	    TEST(control_calls_name_the_bad_field),
	};
	static const struct suite suites[] = {
	    SUITE("sandbox_widget", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
