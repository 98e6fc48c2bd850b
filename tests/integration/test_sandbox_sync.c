/*
 * test_sandbox_sync.c - LinkedIn's side of issue 16 as the sandbox plays it
 * (src/sandbox/README.md "In ATS", "Talent pool", "Closed profiles";
 * /work/CONTRACT-16.md):
 *
 *   - the sync endpoints: atsApplications, their stages, interview
 *     feedback and notes, candidate notes, each stored and deleted (a
 *     deleted application or candidate takes what hangs off it);
 *     LinkedIn's required fields refused key by key with its message;
 *     batches of at most 100; the records-a-minute throttle (429 and
 *     Retry-After); the tunnelled form;
 *   - what LinkedIn stored: every sync request in /sandbox/payloads, the
 *     In ATS JSON (/sandbox/inats) and the Recruiter profile's In ATS
 *     panel for the instance chosen;
 *   - the talent pool: a consenting InMail reply makes a stub profile (the
 *     email only when shared), pushed to the ATS, read with mailStubs;
 *   - closed profiles: a closed member is listed for the ATS that synced,
 *     linked or stubbed them.
 *
 * Everything goes over HTTP to the sandbox of the test stack, as an ATS
 * with application 1's token; both seeded applications take exports to a
 * listener of this program, as test_sandbox_export.c sets them up.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

/* ------------------------------------------------------------ fixture */

static const struct itest_li_app *li;
static char *org_urn; /* urn:li:organization:N */
static long long org;
static char *tag;	 /* this run's prefix for ids */
static char *token;	 /* application 1's */
static char *recruiter;	 /* a Recruiter seat holder's member id */
static char *rseat;	 /* its seat, urn:li:seat:N */
static char *recruiter2; /* another, for owners */
static char *rseat2;
static char *prospects[6]; /* members without a seat, with an email */
static char *ats1, *ats2;  /* the two ATSs' integration names */
static struct itest_listener *callback;

static char *sandbox(const char *path)
{
	return itest_fmt("%s%s", itest_sandbox_url(), path);
}

static struct itest_resp api(const char *method, const char *path,
			     const char *json_body)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = sandbox(path);
	char *hdr = itest_fmt("Authorization: Bearer %s", token);
	struct itest_resp r = itest_request(
	    c, method, url, true, json_body ? "application/json" : NULL,
	    json_body, json_body ? strlen(json_body) : 0, hdr);
	free(hdr), free(url);
	itest_client_free(c);
	return r;
}

static json_t *api_json(const char *method, const char *path,
			const char *json_body, long want)
{
	struct itest_resp r = api(method, path, json_body);
	CHECK(r.status == want, "%s %s: %ld, want %ld", method, path, r.status,
	      want);
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

/* Keys: a candidate's and an application's, in the query (ids[i].…) and
 * as an entity key (a body's, or a path segment); new. */
static char *cq(int i, const char *id)
{
	return itest_fmt("ids[%d].atsCandidateId=%s&ids[%d].dataProvider=ATS&"
			 "ids[%d].integrationContext=%s",
			 i, id, i, i, org_urn);
}
static char *ce(const char *id)
{
	return itest_fmt("atsCandidateId=%s&dataProvider=ATS&"
			 "integrationContext=%s",
			 id, org_urn);
}
static char *aq(int i, const char *id)
{
	return itest_fmt("ids[%d].atsJobApplicationId=%s&ids[%d].dataProvider="
			 "ATS&ids[%d].integrationContext=%s",
			 i, id, i, i, org_urn);
}
static char *ae(const char *id)
{
	return itest_fmt("atsJobApplicationId=%s&dataProvider=ATS&"
			 "integrationContext=%s",
			 id, org_urn);
}

/* This run's id for name; new. */
static char *rid(const char *name)
{
	return itest_fmt("%s-%s", tag, name);
}

/* The status of key in a batch answer j: results' 204, or errors'. */
static long long key_status(json_t *j, const char *key)
{
	json_t *r = json_object_get(json_object_get(j, "results"), key);
	json_t *e = json_object_get(json_object_get(j, "errors"), key);
	return r ? itest_jint(r, "status") : e ? itest_jint(e, "status") : -1;
}

static const char *key_message(json_t *j, const char *key)
{
	return itest_jstr(json_object_get(json_object_get(j, "errors"), key),
			  "message");
}

static void put_candidate(const char *id, const char *first, const char *last)
{
	char *k = cq(0, id), *ek = ce(id);
	char *body = itest_fmt(
	    "{\"entities\": {\"%s\": {\"firstName\": \"%s\", \"lastName\":"
	    " \"%s\", \"emailAddresses\": [\"%s@nowhere.example\"],"
	    " \"phoneNumbers\": [], \"addresses\": [], \"externalProfileUrl\":"
	    " \"http://ats.example/candidates/1\", \"currentCompanyName\":"
	    " \"Acme\", \"currentJobTitle\": \"Welder\", \"atsCreatedAt\":"
	    " 1700000000000, \"atsLastModifiedAt\": 1700000000000}}}",
	    ek, first, last, id);
	char *path = itest_fmt("/v2/atsCandidates?%s", k);
	json_t *j = api_json("PUT", path, body, 200);
	CHECK(key_status(j, ek) == 204, "PUT candidate %s", id);
	json_decref(j);
	free(path), free(body), free(k), free(ek);
}

/* An application entity; extra: a JSON object whose members replace or
 * add to the usual ones ("" for none); new. */
static char *app_entity(const char *cand, const char *job_name,
			const char *extra)
{
	char *base = itest_fmt(
	    "{\"atsCandidateId\": \"%s\", \"atsCreatedAt\": 1700000000000,"
	    " \"atsLastModifiedAt\": 1700000100000, \"atsJobPostingId\":"
	    " \"%s-J1\", \"atsJobPostingName\": \"%s\", \"candidateEmail\":"
	    " \"%s@nowhere.example\", \"firstName\": \"Ada\", \"lastName\":"
	    " \"Quill\", \"source\": \"Referral\", \"dispositionReason\": "
	    "null}",
	    cand, tag, job_name, cand);
	json_t *b = json_loads(base, 0, NULL);
	json_t *x = *extra ? json_loads(extra, 0, NULL) : json_object();
	CHECK(b && x, "entity JSON: %s %s", base, extra);
	json_object_update(b, x);
	char *out = json_dumps(b, JSON_COMPACT);
	json_decref(b), json_decref(x);
	free(base);
	return out;
}

/* PUT one application; the answer (new). */
static json_t *put_application(const char *id, const char *entity, long want)
{
	char *k = aq(0, id), *ek = ae(id);
	char *body = itest_fmt("{\"entities\": {\"%s\": %s}}", ek, entity);
	char *path = itest_fmt("/v2/atsApplications?%s", k);
	json_t *j = api_json("PUT", path, body, want);
	free(path), free(body), free(k), free(ek);
	return j;
}

/* PUT (or DELETE: body NULL) of sub-resource sub ("stages", ...) of parent
 * kind ("atsApplications" / "atsCandidates") and entity key pkey, for ids
 * (a query "ids=a&ids=b"); the answer (new). */
static json_t *sub_call(const char *method, const char *kind, const char *pkey,
			const char *sub, const char *ids, const char *body,
			long want)
{
	char *path = itest_fmt("/v2/%s/%s/%s?%s", kind, pkey, sub, ids);
	json_t *j = api_json(method, path, body, want);
	free(path);
	return j;
}

/* What /sandbox/inats says of candidate id (new; its first candidate). */
static json_t *inats(const char *id)
{
	char *p = itest_fmt("/sandbox/inats?clientId=%s&atsCandidateId=%s",
			    li->apps[0].client_id, id);
	json_t *j = control_get(p);
	json_t *c =
	    json_incref(json_array_get(json_object_get(j, "candidates"), 0));
	json_decref(j);
	free(p);
	return c;
}

static long long last_payload_id(void)
{
	return itest_sandbox_sql_int(
	    "SELECT COALESCE(MAX(id), 0) FROM sync_payloads");
}

/* Both ATSs take exports, their callbacks on the listener. */
static void enable_export(void)
{
	const char *url = itest_listener_url(callback);
	ITEST_SANDBOX_SQL(
	    "the ATSs enable ONE_CLICK_EXPORT",
	    itest_fmt("DELETE FROM ats_integration_configs WHERE client_id"
		      " IN ('%s', '%s');"
		      " DELETE FROM ats_integrations WHERE client_id IN"
		      " ('%s', '%s');"
		      " INSERT INTO ats_integrations (client_id,"
		      " organization_id, integration_type, integration_name,"
		      " enabled) VALUES ('%s', %lld, 'ONE_CLICK_EXPORT', '%s',"
		      " 1), ('%s', %lld, 'ONE_CLICK_EXPORT', '%s', 1);"
		      " INSERT INTO ats_integrations (client_id,"
		      " organization_id, integration_type, integration_name,"
		      " enabled) SELECT client_id, organization_id,"
		      " 'IN_ATS_INDICATOR', integration_name, 1 FROM"
		      " ats_integrations WHERE client_id IN ('%s', '%s');"
		      " INSERT INTO ats_integration_configs (client_id,"
		      " organization_id, integration_type, config_key,"
		      " config_value) SELECT client_id, organization_id,"
		      " 'IN_ATS_INDICATOR', 'APPLICATION_VIEWERS',"
		      " 'ALL_PRODUCT_USERS' FROM ats_integrations WHERE"
		      " integration_type = 'IN_ATS_INDICATOR' AND client_id IN"
		      " ('%s', '%s');"
		      " INSERT INTO ats_integration_configs (client_id,"
		      " organization_id, integration_type, config_key,"
		      " config_value) VALUES ('%s', %lld, 'ONE_CLICK_EXPORT',"
		      " 'CALLBACK_URL', '%s/one'), ('%s', %lld,"
		      " 'ONE_CLICK_EXPORT', 'CALLBACK_URL', '%s/two');",
		      li->apps[0].client_id, li->apps[1].client_id,
		      li->apps[0].client_id, li->apps[1].client_id,
		      li->apps[0].client_id, org, ats1, li->apps[1].client_id,
		      org, ats2, li->apps[0].client_id, li->apps[1].client_id,
		      li->apps[0].client_id, li->apps[1].client_id,
		      li->apps[0].client_id, org, url, li->apps[1].client_id,
		      org, url));
}

static int suite_init(void)
{
	struct itest_client *c;
	char *url;
	long status;
	json_t *j;

	li = itest_li_app();
	if (!li)
		return -1;
	org_urn = itest_strdup(li->organization);
	org = atoll(strrchr(li->organization, ':') + 1);
	tag = itest_unique("y");
	ats1 = itest_unique("Sync one ");
	ats2 = itest_unique("Sync two ");
	token = itest_li_app_token(0);
	c = itest_client_new(NULL);
	url = sandbox("/sandbox/credentials");
	j = itest_get_json(c, url, &status);
	json_t *rec = json_object_get(j, "recruiters");
	recruiter = itest_strdup(itest_jstr(json_array_get(rec, 6), "id"));
	rseat = itest_strdup(itest_jstr(json_array_get(rec, 6), "seat"));
	recruiter2 = itest_strdup(itest_jstr(json_array_get(rec, 7), "id"));
	rseat2 = itest_strdup(itest_jstr(json_array_get(rec, 7), "seat"));
	json_decref(j);
	free(url);
	itest_client_free(c);
	/* members of their own for this run: none of the other tests' */
	/* 1000..2799 by pid: test_sandbox_export takes 100.., the widget's
	 * test 3000.. */
	int first = 1000 + (int)(getpid() % 300) * 6;
	for (int i = 0; i < 6; i++) {
		prospects[i] = itest_sandbox_sql_str(
		    "SELECT urn_id FROM members WHERE id >= %d AND email IS"
		    " NOT NULL AND seat = 'none' ORDER BY id LIMIT %d, 1",
		    first, i);
		if (!*prospects[i])
			return -1;
		ITEST_SANDBOX_SQL("the member is open",
				  itest_fmt("UPDATE members SET closed_at ="
					    " NULL WHERE urn_id = '%s'",
					    prospects[i]));
	}
	callback = itest_listener_start(NULL, 0);
	if (!callback || !*token || !*recruiter)
		return -1;
	itest_sandbox_sql("DELETE FROM sandbox_meta WHERE k ="
			  " 'deliveries_held'");
	enable_export();
	return 0;
}

static int suite_clean(void)
{
	if (callback)
		ITEST_SANDBOX_SQL(
		    "deliveries to this run's listener end",
		    itest_fmt("UPDATE deliveries SET state = 'failed',"
			      " generation = generation + 1 WHERE state ="
			      " 'pending' AND callback_url LIKE '%s/%%'",
			      itest_listener_url(callback)));
	if (li) {
		ITEST_SANDBOX_SQL(
		    "the ATSs' integrations and limits go",
		    itest_fmt("DELETE FROM ats_integration_configs WHERE"
			      " client_id IN ('%s', '%s');"
			      " DELETE FROM ats_integrations WHERE client_id"
			      " IN ('%s', '%s');"
			      " DELETE FROM sync_throttle_limits;",
			      li->apps[0].client_id, li->apps[1].client_id,
			      li->apps[0].client_id, li->apps[1].client_id));
		for (int i = 0; i < 6; i++)
			if (prospects[i] && *prospects[i])
				ITEST_SANDBOX_SQL(
				    "the members are open again",
				    itest_fmt("UPDATE members SET closed_at ="
					      " NULL WHERE urn_id = '%s'",
					      prospects[i]));
	}
	itest_listener_stop(callback);
	for (int i = 0; i < 6; i++)
		free(prospects[i]);
	free(org_urn), free(tag), free(token), free(recruiter), free(rseat);
	free(recruiter2), free(rseat2), free(ats1), free(ats2);
	return 0;
}

/* ------------------------------------------------------------ sync */

static void application_with_stages_feedback_and_notes_is_stored(void)
{
	char *cand = rid("C1"), *app = rid("A1"), *pkey = ae(app),
	     *ckey = ce(cand);
	put_candidate(cand, "Ada", "Quill");
	char *e = app_entity(cand, "Welding Lead", "");
	json_t *j = put_application(app, e, 200);
	char *ek = ae(app);
	CHECK(key_status(j, ek) == 204, "application stored: %lld",
	      key_status(j, ek));
	json_decref(j);

	j = sub_call("PUT", "atsApplications", pkey, "stages", "ids=S2&ids=S1",
		     "{\"entities\": {\"S1\": {\"atsCreatedAt\": 1700000000000,"
		     " \"stage\": \"Screen\"}, \"S2\": {\"atsCreatedAt\":"
		     " 1700000200000, \"stage\": \"Interview\"}}}",
		     200);
	CHECK(key_status(j, "S1") == 204 && key_status(j, "S2") == 204,
	      "stages stored");
	json_decref(j);
	j = sub_call("PUT", "atsApplications", pkey, "interviewFeedback",
		     "ids=F1",
		     "{\"entities\": {\"F1\": {\"atsCreatedAt\": 1700000300000,"
		     " \"feedback\": \"Strong welds\", \"evaluations\":"
		     " [{\"attribute\": \"Craft\", \"result\": \"4/5\"}],"
		     " \"interviewer\": {\"firstName\": \"Rita\", \"lastName\":"
		     " \"Book\"}}}}",
		     200);
	CHECK(key_status(j, "F1") == 204, "feedback stored");
	json_decref(j);
	j = sub_call("PUT", "atsApplications", pkey, "notes", "ids=N1",
		     "{\"entities\": {\"N1\": {\"atsCreatedAt\": 1700000400000,"
		     " \"note\": \"Asked about shifts\", \"author\":"
		     " {\"firstName\": \"Sam\", \"lastName\": \"Lee\"}}}}",
		     200);
	CHECK(key_status(j, "N1") == 204, "application note stored");
	json_decref(j);
	j = sub_call("PUT", "atsCandidates", ckey, "notes", "ids=N2",
		     "{\"entities\": {\"N2\": {\"atsCreatedAt\": 1700000500000,"
		     " \"note\": \"Open to relocation\"}}}",
		     200);
	CHECK(key_status(j, "N2") == 204, "candidate note stored");
	json_decref(j);

	json_t *c = inats(cand);
	json_t *a = json_array_get(json_object_get(c, "applications"), 0);
	CHECK(!strcmp(itest_jstr(c, "currentCompanyName"), "Acme"),
	      "the candidate's fields");
	long long now = (long long)time(NULL) * 1000;
	CHECK(itest_jint(a, "storedAt") > now - 60000 &&
		  itest_jint(a, "storedAt") <= now + 1000 &&
		  itest_jint(json_array_get(json_object_get(a, "stages"), 0),
			     "storedAt") > now - 60000,
	      "when LinkedIn stored them (for the In ATS delay)");
	CHECK(!strcmp(itest_jstr(a, "jobTitle"), "Welding Lead"), "job");
	CHECK(!strcmp(itest_jstr(a, "state"), "ACTIVE"), "state by default");
	CHECK(!strcmp(itest_jstr(a, "latestStage"), "Interview"),
	      "the latest stage is the latest atsCreatedAt: %s",
	      itest_jstr(a, "latestStage"));
	json_t *st = json_object_get(a, "stages");
	CHECK(json_array_size(st) == 2 &&
		  !strcmp(itest_jstr(json_array_get(st, 0), "stage"), "Screen"),
	      "progression oldest first");
	json_t *fb = json_array_get(json_object_get(a, "interviewFeedback"), 0);
	CHECK(!strcmp(itest_jstr(fb, "feedback"), "Strong welds") &&
		  !strcmp(itest_jstr(json_object_get(fb, "interviewer"),
				     "lastName"),
			  "Book"),
	      "feedback with its interviewer");
	CHECK(!strcmp(itest_jstr(json_array_get(json_object_get(a, "notes"), 0),
				 "note"),
		      "Asked about shifts"),
	      "application note");
	CHECK(!strcmp(itest_jstr(json_array_get(json_object_get(c, "notes"), 0),
				 "note"),
		      "Open to relocation"),
	      "candidate note");
	json_decref(c);

	/* a note made private is deleted; a PUT replaces the whole entity */
	j = sub_call("DELETE", "atsApplications", pkey, "notes", "ids=N1", NULL,
		     200);
	CHECK(key_status(j, "N1") == 204, "note deleted");
	json_decref(j);
	free(e);
	e = app_entity(cand, "Welding Lead",
		       "{\"state\": \"REJECTED\", \"dispositionReason\":"
		       " \"Chose another offer\"}");
	json_decref(put_application(app, e, 200));
	c = inats(cand);
	a = json_array_get(json_object_get(c, "applications"), 0);
	CHECK(json_array_size(json_object_get(a, "notes")) == 0,
	      "the private note is gone");
	CHECK(!strcmp(itest_jstr(a, "state"), "REJECTED") &&
		  !strcmp(itest_jstr(a, "dispositionReason"),
			  "Chose another offer"),
	      "rejection with its reason");
	json_decref(c);

	/* deleting the application takes its stages and feedback */
	char *k = aq(0, app), *path = itest_fmt("/v2/atsApplications?%s", k);
	j = api_json("DELETE", path, NULL, 200);
	CHECK(key_status(j, ek) == 204, "application deleted");
	json_decref(j);
	CHECK(itest_sandbox_sql_int(
		  "SELECT COUNT(*) FROM ats_sub_entities WHERE parent_id ="
		  " '%s'",
		  app) == 0,
	      "its stages and feedback went with it");
	c = inats(cand);
	CHECK(json_array_size(json_object_get(c, "applications")) == 0,
	      "no job in the panel");
	json_decref(c);

	/* deleting the candidate takes its notes and applications */
	json_decref(put_application(app, e, 200));
	char *kc = cq(0, cand), *pc = itest_fmt("/v2/atsCandidates?%s", kc);
	json_decref(api_json("DELETE", pc, NULL, 200));
	CHECK(itest_sandbox_sql_int("SELECT COUNT(*) FROM ats_applications"
				    " WHERE ats_job_application_id = '%s'",
				    app) == 0,
	      "the candidate's application is gone");
	CHECK(itest_sandbox_sql_int(
		  "SELECT COUNT(*) FROM ats_sub_entities WHERE parent_id ="
		  " '%s'",
		  cand) == 0,
	      "the candidate's notes are gone");
	free(kc), free(pc), free(k), free(path);
	free(e), free(ek), free(cand), free(app), free(pkey), free(ckey);
}

static void required_fields_are_refused_with_linkedins_message(void)
{
	static const struct {
		const char *drop, *field;
		long status;
	} apps[] = {
	    {"atsJobPostingName",
	     "ERROR :: /atsJobPostingName :: field is "
	     "required but not found and has no default "
	     "value",
	     422},
	    {"atsCreatedAt", "ERROR :: /atsCreatedAt :: field is required",
	     422},
	    {"atsJobPostingId",
	     "ERROR :: /atsJobPostingId :: field is "
	     "required",
	     422},
	};
	char *cand = rid("C2");
	put_candidate(cand, "Bo", "Ray");
	for (size_t i = 0; i < ARRAY_LEN(apps); i++) {
		char *id = itest_fmt("%s-R%zu", tag, i), *ek = ae(id);
		char *e = app_entity(cand, "Riveter", "");
		json_t *ej = json_loads(e, 0, NULL);
		json_object_del(ej, apps[i].drop);
		char *text = json_dumps(ej, JSON_COMPACT);
		json_t *j = put_application(id, text, 200);
		CHECK(key_status(j, ek) == apps[i].status, "%s: %lld",
		      apps[i].drop, key_status(j, ek));
		CHECK(strstr(key_message(j, ek), apps[i].field) != NULL,
		      "%s: \"%s\"", apps[i].drop, key_message(j, ek));
		json_decref(j), json_decref(ej);
		free(text), free(e), free(ek), free(id);
	}
	/* one bad key does not stop the good one beside it */
	char *good = rid("G1"), *bad = rid("B1");
	char *kg = aq(0, good), *kb = aq(1, bad), *eg = ae(good), *eb = ae(bad);
	char *e1 = app_entity(cand, "Riveter", "");
	char *e2 = app_entity(cand, "Riveter",
			      "{\"candidateEmail\": \"not-an-email\"}");
	char *body = itest_fmt("{\"entities\": {\"%s\": %s, \"%s\": %s}}", eg,
			       e1, eb, e2);
	char *path = itest_fmt("/v2/atsApplications?%s&%s", kg, kb);
	json_t *j = api_json("PUT", path, body, 200);
	CHECK(key_status(j, eg) == 204, "the good key stored");
	CHECK(key_status(j, eb) == 400 &&
		  strstr(key_message(j, eb), "/candidateEmail") != NULL,
	      "the bad email refused: %s", key_message(j, eb));
	json_decref(j);
	CHECK(itest_sandbox_sql_int("SELECT COUNT(*) FROM ats_applications"
				    " WHERE ats_job_application_id = '%s'",
				    bad) == 0,
	      "nothing stored for the bad key");

	char *pkey = ae(good);
	static const struct {
		const char *sub, *entity, *message;
		long status;
	} subs[] = {
	    {"stages", "{\"stage\": \"Screen\"}",
	     "/atsCreatedAt :: field is "
	     "required",
	     422},
	    {"stages", "{\"atsCreatedAt\": 1, \"stage\": \"Not Available\"}",
	     "/stage :: must not be", 400},
	    {"stages", "{\"atsCreatedAt\": 1}", "/stage :: field is required",
	     422},
	    {"interviewFeedback",
	     "{\"interviewer\": {\"firstName\": \"Rita\"}}",
	     "/interviewer/lastName :: field is required", 422},
	    {"interviewFeedback", "{\"evaluations\": [{\"result\": \"4\"}]}",
	     "/evaluations/0/attribute :: field is required", 422},
	    {"interviewFeedback", "{\"interviewType\": \"LUNCH\"}",
	     "/interviewType :: must be PHONE_SCREEN or ONSITE", 400},
	    {"notes", "{\"author\": {\"lastName\": \"Lee\"}}",
	     "/author/firstName :: field is required", 422},
	};
	for (size_t i = 0; i < ARRAY_LEN(subs); i++) {
		char *b =
		    itest_fmt("{\"entities\": {\"X1\": %s}}", subs[i].entity);
		j = sub_call("PUT", "atsApplications", pkey, subs[i].sub,
			     "ids=X1", b, 200);
		CHECK(key_status(j, "X1") == subs[i].status &&
			  strstr(key_message(j, "X1"), subs[i].message),
		      "%s %s: %lld %s", subs[i].sub, subs[i].entity,
		      key_status(j, "X1"), key_message(j, "X1"));
		json_decref(j);
		free(b);
	}
	/* a parent LinkedIn does not hold */
	char *ghost = ae("no-such-application");
	j = sub_call("PUT", "atsApplications", ghost, "stages", "ids=S1",
		     "{\"entities\": {\"S1\": {\"atsCreatedAt\": 1, \"stage\":"
		     " \"Screen\"}}}",
		     200);
	CHECK(key_status(j, "S1") == 404, "a stage of an unknown application");
	json_decref(j);
	free(ghost), free(pkey), free(body), free(path), free(e1), free(e2);
	free(kg), free(kb), free(eg), free(eb), free(good), free(bad);
	free(cand);
}

static void batches_hold_at_most_100_keys_and_may_be_tunnelled(void)
{
	char *cand = rid("C3"), *e = app_entity(cand, "Fitter", "");
	struct buf q = BUF_INIT, body = BUF_INIT;
	put_candidate(cand, "Cy", "Moss");
	/* 100 applications in one tunnelled PUT: the keys do not fit a URL */
	buf_adds(&body, "{\"entities\": {");
	for (int i = 0; i < 100; i++) {
		char *id = itest_fmt("%s-M%d", tag, i), *k = aq(i, id),
		     *ek = ae(id);
		buf_addf(&q, "%s%s", i ? "&" : "", k);
		buf_addf(&body, "%s\"%s\": %s", i ? ", " : "", ek, e);
		free(id), free(k), free(ek);
	}
	buf_adds(&body, "}}");
	/* the token among the tunnelled query's fields */
	char *mp = itest_fmt("--xyz\r\nContent-Type: "
			     "application/x-www-form-urlencoded\r\n\r\n%s"
			     "&oauth2_access_token=%s\r\n"
			     "--xyz\r\nContent-Type: application/json\r\n\r\n%s"
			     "\r\n--xyz--\r\n",
			     q.data, token, body.data);
	char *url = sandbox("/v2/atsApplications"),
	     *hdr = itest_strdup("X-HTTP-Method-Override: PUT");
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = itest_post_raw(
	    c, url, "multipart/mixed; boundary=xyz", mp, strlen(mp), hdr);
	CHECK_STATUS(r, 200, "100 applications tunnelled");
	json_t *j = itest_json(&r);
	CHECK(json_object_size(json_object_get(j, "results")) == 100,
	      "100 stored: %zu",
	      json_object_size(json_object_get(j, "results")));
	json_decref(j);
	itest_resp_free(&r);
	/* the 101st is one too many */
	char *id = itest_fmt("%s-M100", tag), *k = aq(100, id);
	buf_addf(&q, "&%s", k);
	char *form = itest_fmt("%s&oauth2_access_token=%s", q.data, token);
	r = itest_post_raw(c, url, "application/x-www-form-urlencoded", form,
			   strlen(form), "X-HTTP-Method-Override: DELETE");
	CHECK_STATUS(r, 400, "101 keys");
	CHECK_HAS(r, "at most 100", "says why");
	itest_resp_free(&r);
	CHECK(itest_sandbox_sql_int("SELECT COUNT(*) FROM ats_applications"
				    " WHERE ats_job_application_id LIKE"
				    " '%s-M%%'",
				    tag) == 100,
	      "nothing deleted by the refused batch");
	/* simple ids: 101 stages */
	struct buf ids = BUF_INIT;
	for (int i = 0; i <= 100; i++)
		buf_addf(&ids, "%sids=S%d", i ? "&" : "", i);
	char *pkey = itest_fmt("%s-M0", tag), *pk = ae(pkey);
	j = sub_call("DELETE", "atsApplications", pk, "stages", ids.data, NULL,
		     400);
	json_decref(j);
	itest_client_free(c);
	buf_release(&ids), buf_release(&q), buf_release(&body);
	free(pkey), free(pk), free(form), free(id), free(k), free(url);
	free(hdr), free(mp), free(e), free(cand);
}

static void the_throttle_answers_429_with_retry_after(void)
{
	char *cand = rid("C4"), *app = rid("A4"),
	     *e = app_entity(cand, "Fitter", "");
	put_candidate(cand, "Di", "Vo");
	json_decref(put_application(app, e, 200));
	char *pkey = ae(app);
	char *limit = itest_fmt("{\"clientId\": \"%s\", \"recordsPerMinute\":"
				" 3}",
				li->apps[0].client_id);
	json_decref(control_json("/sandbox/sync/throttle", limit, 200));
	/* a new minute may start between the calls: then the second is
	 * let through; try once more */
	long statuses[2] = {0, 0};
	struct itest_resp r = {0};
	for (int attempt = 0; attempt < 2 && statuses[1] != 429; attempt++) {
		char *body =
		    "{\"entities\": {\"S1\": {\"atsCreatedAt\": 1,"
		    " \"stage\": \"Screen\"}, \"S2\": {\"atsCreatedAt\":"
		    " 2, \"stage\": \"Offer\"}}}";
		char *path = itest_fmt("/v2/atsApplications/%s/stages?ids=S1&"
				       "ids=S2",
				       pkey);
		json_decref(control_json("/sandbox/sync/throttle", limit, 200));
		itest_resp_free(&r);
		r = api("PUT", path, body);
		statuses[0] = r.status;
		itest_resp_free(&r);
		r = api("PUT", path, body);
		statuses[1] = r.status;
		free(path);
	}
	CHECK(statuses[0] == 200, "within the limit: %ld", statuses[0]);
	CHECK(statuses[1] == 429, "past it: %ld", statuses[1]);
	const char *ra = itest_header(&r, "Retry-After");
	CHECK(ra && atoi(ra) >= 1 && atoi(ra) <= 60, "Retry-After %s",
	      ra ? ra : "(none)");
	CHECK_HAS(r, "Resource level throttle limit", "LinkedIn's words");
	itest_resp_free(&r);
	/* another resource has a limit of its own */
	json_decref(put_application(app, e, 200));
	free(limit);
	limit = itest_fmt("{\"clientId\": \"%s\"}", li->apps[0].client_id);
	json_decref(control_json("/sandbox/sync/throttle", limit, 200));
	free(limit), free(pkey), free(e), free(app), free(cand);
}

static void every_sync_request_is_stored_as_received(void)
{
	long long after = last_payload_id();
	char *cand = rid("C5"), *app = rid("A5");
	char *e = app_entity(cand, "Payload Tester", "");
	put_candidate(cand, "Eve", "Paige");
	json_decref(put_application(app, e, 200));
	char *k = aq(0, app), *path = itest_fmt("/v2/atsApplications?%s", k);
	json_decref(api_json("DELETE", path, NULL, 200));
	char *p = itest_fmt("/sandbox/payloads?clientId=%s&after=%lld",
			    li->apps[0].client_id, after);
	json_t *j = control_get(p), *el;
	size_t i, puts = 0, deletes = 0, cands = 0;
	json_array_foreach(json_object_get(j, "elements"), i, el)
	{
		const char *res = itest_jstr(el, "resource");
		if (!strstr(itest_jstr(el, "query"), tag))
			continue;
		if (!strcmp(res, "atsCandidates"))
			cands++;
		if (strcmp(res, "atsApplications"))
			continue;
		if (!strcmp(itest_jstr(el, "method"), "PUT")) {
			puts++;
			CHECK(strstr(itest_jstr(el, "body"), "Payload Tester"),
			      "the body as sent");
			CHECK(itest_jint(el, "status") == 200 &&
				  itest_jint(el, "records") == 1,
			      "status and records");
			CHECK(!strcmp(itest_jstr(el, "path"),
				      "/v2/atsApplications"),
			      "the path");
		} else if (!strcmp(itest_jstr(el, "method"), "DELETE")) {
			deletes++;
		}
	}
	CHECK(cands == 1 && puts == 1 && deletes == 1,
	      "one candidate PUT, one application PUT and one DELETE: %zu "
	      "%zu %zu",
	      cands, puts, deletes);
	json_decref(j);
	free(p);
	p = itest_fmt("/sandbox/payloads?clientId=%s&after=%lld&resource="
		      "atsCandidates",
		      li->apps[0].client_id, after);
	j = control_get(p);
	json_array_foreach(json_object_get(j, "elements"), i, el)
	    CHECK(!strcmp(itest_jstr(el, "resource"), "atsCandidates"),
		  "filtered by resource");
	json_decref(j);
	free(p), free(k), free(path), free(e), free(cand), free(app);
}

/* ------------------------------------------------------------ In ATS */

/* GET the Recruiter profile of member as recruiter, ATS client. */
static struct itest_resp profile(const char *member, const char *client)
{
	struct itest_client *c = itest_client_new(NULL);
	long st = itest_li_signin(c, recruiter, "/");
	CHECK(st == 303, "signed in: %ld", st);
	char *path = itest_fmt("/talent/profile/%s?ats=%s", member, client);
	char *url = sandbox(path);
	struct itest_resp r = itest_get(c, url, false);
	free(url), free(path);
	itest_client_free(c);
	return r;
}

static void in_ats_panel_shows_what_the_chosen_ats_synced(void)
{
	const char *member = prospects[0];
	char *cand = rid("C6"), *app = rid("A6"), *pkey = ae(app);
	char *e = app_entity(cand, "Panel Welder", "");
	put_candidate(cand, "Ivo", "Panel");
	/* the ATS user linked the candidate to the member */
	char *k = cq(0, cand), *ek = ce(cand);
	char *path = itest_fmt("/v2/atsCandidates?%s", k);
	char *body = itest_fmt("{\"entities\": {\"%s\": {\"patch\": {\"$set\":"
			       " {\"manualMatchedMember\":"
			       " \"urn:li:person:%s\"}}}}}",
			       ek, member);
	json_decref(api_json("POST", path, body, 200));
	json_decref(put_application(app, e, 200));
	json_decref(
	    sub_call("PUT", "atsApplications", pkey, "stages", "ids=S1&ids=S2",
		     "{\"entities\": {\"S1\": {\"atsCreatedAt\": 1700000000000,"
		     " \"stage\": \"Phone Screen\"}, \"S2\": {\"atsCreatedAt\":"
		     " 1700086400000, \"stage\": \"Onsite <Interview>\"}}}",
		     200));
	json_decref(sub_call(
	    "PUT", "atsApplications", pkey, "interviewFeedback", "ids=F1",
	    "{\"entities\": {\"F1\": {\"atsCreatedAt\": 1700000300000,"
	    " \"feedback\": \"Neat & tidy beads\", \"evaluations\":"
	    " [{\"attribute\": \"Craft\", \"result\": \"5/5\"}],"
	    " \"interviewer\": {\"firstName\": \"Rita\", \"lastName\":"
	    " \"Book\"}}}}",
	    200));
	char *ckey = ce(cand);
	json_decref(sub_call("PUT", "atsCandidates", ckey, "notes", "ids=N1",
			     "{\"entities\": {\"N1\": {\"atsCreatedAt\":"
			     " 1700000500000, \"note\": \"Prefers nights\","
			     " \"author\": {\"firstName\": \"Sam\","
			     " \"lastName\": \"Lee\"}}}}",
			     200));

	/* the JSON view, by member */
	char *p = itest_fmt("/sandbox/inats?clientId=%s&member=%s",
			    li->apps[0].client_id, member);
	json_t *j = control_get(p);
	json_t *cands = json_object_get(j, "candidates");
	CHECK(
	    json_array_size(cands) == 1 &&
		!strcmp(itest_jstr(json_array_get(cands, 0), "atsCandidateId"),
			cand),
	    "the member's one candidate");
	json_decref(j);
	free(p);

	struct itest_resp r = profile(member, li->apps[0].client_id);
	CHECK_STATUS(r, 200, "the profile");
	char *panel = itest_between(r.body, "id=\"in-ats\"", "</section>");
	/* itest_between decodes the HTML's entities */
	CHECK(panel && strstr(panel, "Jobs & Statuses") &&
		  strstr(panel, "Interview Feedback") && strstr(panel, "Notes"),
	      "the three parts: %s", panel ? panel : r.body);
	CHECK(panel && strstr(panel, "Panel Welder"), "the job");
	CHECK(panel && strstr(panel, "Onsite <Interview>") &&
		  itest_has(&r, "Onsite &lt;Interview&gt;"),
	      "the latest status, escaped");
	CHECK(panel && strstr(panel, "Phone Screen") &&
		  strstr(panel, "2023-11-14"),
	      "the progression with dates");
	CHECK(panel && strstr(panel, "Rita Book") &&
		  strstr(panel, "Neat & tidy beads") &&
		  strstr(panel, "Craft: 5/5"),
	      "the feedback");
	CHECK(panel && strstr(panel, "Prefers nights") &&
		  strstr(panel, "Sam Lee"),
	      "the note and its author");
	free(panel);
	itest_resp_free(&r);

	/* the other instance synced nothing about this member */
	r = profile(member, li->apps[1].client_id);
	CHECK_STATUS(r, 200, "the profile, other ATS");
	panel = itest_between(r.body, "id=\"in-ats\"", "</section>");
	CHECK(panel && strstr(panel, "Not in") &&
		  !strstr(panel, "Panel Welder"),
	      "nothing of the first ATS");
	free(panel);
	itest_resp_free(&r);

	/* LinkedIn's visibility rules: a job in an ACL shows to its
	 * assignees only; without APPLICATION_VIEWERS a job in no ACL shows
	 * to nobody; without IN_ATS_INDICATOR nothing shows */
	char *job = itest_fmt("%s-J1", tag);
	ITEST_SANDBOX_SQL("the job is in an ACL without the viewer",
			  itest_fmt("INSERT INTO job_posting_acl (client_id,"
				    " organization_id, external_job_posting_id,"
				    " assignee) VALUES ('%s', %lld, '%s', '')",
				    li->apps[0].client_id, org, job));
	r = profile(member, li->apps[0].client_id);
	panel = itest_between(r.body, "id=\"in-ats\"", "</section>");
	CHECK(panel && !strstr(panel, "Panel Welder") &&
		  strstr(panel, "Prefers nights"),
	      "the job hidden, the candidate's note still there");
	free(panel);
	itest_resp_free(&r);
	ITEST_SANDBOX_SQL(
	    "the viewer is assigned",
	    itest_fmt("INSERT INTO job_posting_acl (client_id,"
		      " organization_id, external_job_posting_id, assignee)"
		      " VALUES ('%s', %lld, '%s', 'urn:li:person:%s')",
		      li->apps[0].client_id, org, job, recruiter));
	r = profile(member, li->apps[0].client_id);
	CHECK(itest_has(&r, "Panel Welder"), "an assignee sees it");
	itest_resp_free(&r);
	ITEST_SANDBOX_SQL(
	    "no ACL, no APPLICATION_VIEWERS",
	    itest_fmt("DELETE FROM job_posting_acl WHERE"
		      " external_job_posting_id = '%s'; DELETE FROM"
		      " ats_integration_configs WHERE client_id = '%s' AND"
		      " config_key = 'APPLICATION_VIEWERS'",
		      job, li->apps[0].client_id));
	r = profile(member, li->apps[0].client_id);
	CHECK(!itest_has(&r, "Panel Welder"),
	      "hidden by default without APPLICATION_VIEWERS");
	itest_resp_free(&r);
	ITEST_SANDBOX_SQL(
	    "IN_ATS_INDICATOR disabled",
	    itest_fmt("UPDATE ats_integrations SET enabled = 0 WHERE"
		      " client_id = '%s' AND integration_type ="
		      " 'IN_ATS_INDICATOR'",
		      li->apps[0].client_id));
	r = profile(member, li->apps[0].client_id);
	CHECK(itest_has(&r, "does not share In ATS data") &&
		  !itest_has(&r, "Prefers nights"),
	      "nothing without IN_ATS_INDICATOR");
	itest_resp_free(&r);
	enable_export();
	free(job);

	/* the member is linked no more: the panel empties */
	free(body);
	body = itest_fmt("{\"entities\": {\"%s\": {\"patch\": {\"$delete\":"
			 " [\"manualMatchedMember\"]}}}}",
			 ek);
	json_decref(api_json("POST", path, body, 200));
	r = profile(member, li->apps[0].client_id);
	panel = itest_between(r.body, "id=\"in-ats\"", "</section>");
	CHECK(panel && !strstr(panel, "Panel Welder"), "unlinked: not shown");
	free(panel);
	itest_resp_free(&r);
	free(ckey), free(body), free(path), free(k), free(ek), free(e);
	free(pkey), free(cand), free(app);
}

/* ------------------------------------------------------------ stubs */

/* An InMail from recruiter (member id) to member; its conversation URN. */
static char *inmail(const char *from, const char *to)
{
	char *b = itest_fmt("{\"from\": \"%s\", \"to\": \"%s\", \"subject\":"
			    " \"A role\", \"body\": \"Interested?\"}",
			    from, to);
	json_t *j = control_json("/sandbox/inmails", b, 201);
	char *conv = itest_strdup(itest_jstr(j, "conversation"));
	json_decref(j);
	free(b);
	return conv;
}

static json_t *reply(const char *conv, const char *share)
{
	char *b = itest_fmt("{\"conversation\": \"%s\", \"body\": \"Yes\"%s}",
			    conv, share);
	json_t *j = control_json("/sandbox/inmails/reply", b, 201);
	free(b);
	return j;
}

/* mailStubs of the contract for owners (a query part), new. */
static json_t *stubs(const char *more, long want)
{
	char *p = itest_fmt("/v2/mailStubs?q=contract&contract=%s%s",
			    li->contract, more);
	json_t *j = api_json("GET", p, NULL, want);
	free(p);
	return j;
}

/* The stub of member in j's elements (borrowed), NULL. */
static json_t *stub_of(json_t *j, const char *member)
{
	char *urn = itest_fmt("urn:li:person:%s", member);
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

static void a_consenting_reply_makes_a_stub_with_the_email_only_if_shared(void)
{
	long long t0 = (long long)time(NULL) * 1000;
	size_t heard = itest_listener_wait(callback, 0, 0);
	char *c1 = inmail(recruiter, prospects[1]);
	char *c2 = inmail(recruiter, prospects[2]);
	char *c3 = inmail(recruiter2, prospects[3]);

	json_t *j = reply(c1, "");
	CHECK(json_is_null(json_object_get(j, "mailStub")),
	      "a reply without consent makes no stub");
	json_decref(j);
	j = reply(c1, ", \"shareContact\": true");
	const char *stub1 = itest_jstr(j, "mailStub");
	CHECK(*stub1, "consent: a stub");
	char *s1 = itest_strdup(stub1);
	json_decref(j);
	json_decref(
	    reply(c2, ", \"shareContact\": true, \"shareEmail\": true"));
	json_decref(
	    reply(c3, ", \"shareContact\": true, \"shareEmail\": true"));

	char *owners =
	    itest_fmt("&owners=%s&createdDateStart=%lld", rseat, t0 - 1000);
	j = stubs(owners, 200);
	json_t *a = stub_of(j, prospects[1]), *b = stub_of(j, prospects[2]);
	CHECK(a && !json_object_get(a, "emailAddress") &&
		  *itest_jstr(a, "firstName") && *itest_jstr(a, "lastName"),
	      "names without the email");
	CHECK(a && !strcmp(itest_jstr(a, "owner"), rseat) &&
		  !strcmp(itest_jstr(a, "contract"), li->contract),
	      "owned by the seat");
	char *email = itest_sandbox_sql_str(
	    "SELECT email FROM members WHERE urn_id = '%s'", prospects[2]);
	CHECK(b && json_is_string(json_object_get(b, "emailAddress")) &&
		  !strcmp(itest_jstr(b, "emailAddress"), email),
	      "the shared email, as a string");
	CHECK(!stub_of(j, prospects[3]), "another seat's is not asked for");
	json_decref(j);

	/* the same member consents again, now with the email: one stub */
	j = reply(c1, ", \"shareContact\": true, \"shareEmail\": true");
	CHECK(!strcmp(itest_jstr(j, "mailStub"), s1), "the same stub");
	json_decref(j);
	j = stubs(owners, 200);
	a = stub_of(j, prospects[1]);
	CHECK(a && json_is_string(json_object_get(a, "emailAddress")),
	      "the email is there now");
	size_t n = 0, i;
	json_t *e;
	char *u1 = itest_fmt("urn:li:person:%s", prospects[1]);
	json_array_foreach(json_object_get(j, "elements"), i, e) n +=
	    !strcmp(itest_jstr(e, "member"), u1);
	free(u1);
	CHECK(n == 1, "one stub a seat and member: %zu", n);
	json_decref(j);

	/* each new or changed stub is pushed to both ATSs */
	CHECK(itest_listener_wait(callback, heard + 8, 5000) >= heard + 8,
	      "four changes, two ATSs: %zu heard",
	      itest_listener_wait(callback, 0, 0) - heard);
	struct itest_heard h;
	const char *rq = NULL;
	json_t *note = NULL;
	for (size_t k = heard; itest_listener_heard(callback, k, &h); k++) {
		json_t *x = json_loads(h.body, 0, NULL);
		if (!strcmp(itest_jstr(x, "eventType"),
			    "INMAIL_STUB_CREATED") &&
		    !strcmp(h.path, "/one") && !note) {
			note = x;
			rq = itest_jstr(x, "requestId");
			CHECK(h.signature && strlen(h.signature) == 64,
			      "signed");
		} else {
			json_decref(x);
		}
	}
	CHECK(rq != NULL, "an INMAIL_STUB_CREATED notification");
	if (rq) {
		char *p =
		    itest_fmt("/v2/atsIntegrations?q=request&requestId=%s", rq);
		json_t *w = api_json("GET", p, NULL, 200);
		json_t *el = json_array_get(json_object_get(w, "elements"), 0);
		CHECK(!strcmp(itest_jstr(el, "eventType"),
			      "INMAIL_STUB_CREATED") &&
			  !strcmp(itest_jstr(el, "owner"), rseat),
		      "the follow-up names the seat");
		json_decref(w);
		free(p);
	}
	json_decref(note);

	/* LinkedIn's parameters */
	json_decref(api_json("GET", "/v2/mailStubs?q=contract", NULL, 400));
	json_decref(api_json(
	    "GET", "/v2/mailStubs?q=contract&contract=urn:li:contract:1", NULL,
	    403));
	char *window = itest_fmt("&owners=%s&owners=%s&createdDateStart=%lld"
				 "&count=1",
				 rseat, rseat2, t0 - 1000);
	j = stubs(window, 200);
	CHECK(json_array_size(json_object_get(j, "elements")) == 1 &&
		  itest_jint(json_object_get(j, "paging"), "total") >= 3,
	      "paged: one of at least three");
	json_decref(j);
	free(window);
	window = itest_fmt("&owners=%s&createdDateEnd=%lld", rseat, t0 - 1000);
	j = stubs(window, 200);
	CHECK(!stub_of(j, prospects[1]),
	      "createdDateEnd is exclusive of later");
	json_decref(j);
	json_decref(stubs("&start=19990&count=20", 400));
	free(window), free(email), free(owners), free(s1);
	free(c1), free(c2), free(c3);
}

static void the_member_consents_on_the_reply_page(void)
{
	char *conv = inmail(recruiter, prospects[4]);
	if (!strchr(conv, ':')) {
		free(conv);
		return;
	}
	const char *id = strrchr(conv, ':') + 1;
	struct itest_client *c = itest_client_new(NULL);
	char *page = itest_fmt("/messaging/thread/%s", id);
	CHECK(itest_li_signin(c, prospects[4], page) == 303, "signed in");
	char *url = sandbox(page);
	struct itest_resp r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, "the thread");
	CHECK_HAS(r, "name=\"shareContact\"", "asks to share contact details");
	CHECK_HAS(r, "name=\"shareEmail\"", "and the email");
	char *csrf = itest_field(&r, "csrf");
	itest_resp_free(&r);
	char *rp = itest_fmt("%s/reply", page), *post = sandbox(rp);
	free(rp);
	r = itest_post(c, post, false, csrf, "body", "Happy to talk",
		       "shareContact", "1", NULL);
	CHECK_STATUS(r, 303, "replied");
	itest_resp_free(&r);
	char *q = itest_fmt("&owners=%s", rseat);
	json_t *j = stubs(q, 200), *s = stub_of(j, prospects[4]);
	CHECK(s && !json_object_get(s, "emailAddress"),
	      "a stub without the email");
	json_decref(j);
	itest_client_free(c);
	free(q), free(post), free(csrf), free(url), free(page), free(conv);
}

/* ------------------------------------------------------------ closed */

static void closed_members_are_listed_for_the_ats_that_knows_them(void)
{
	long long t0 = (long long)time(NULL) * 1000;
	char *cand = rid("C7");
	put_candidate(cand, "Olu", "Closed");
	char *k = cq(0, cand), *ek = ce(cand);
	char *path = itest_fmt("/v2/atsCandidates?%s", k);
	char *body = itest_fmt("{\"entities\": {\"%s\": {\"patch\": {\"$set\":"
			       " {\"manualMatchedMember\":"
			       " \"urn:li:person:%s\"}}}}}",
			       ek, prospects[5]);
	json_decref(api_json("POST", path, body, 200));
	/* prospects[2] is known by a stub only (the test above) */
	for (int i = 0; i < 2; i++) {
		char *b =
		    itest_fmt("{\"member\": \"%s\"}", prospects[i ? 2 : 5]);
		json_decref(control_json("/sandbox/members/close", b, 200));
		free(b);
	}
	char *p = itest_fmt("/v2/closedCandidateProfiles?q=integrationContext&"
			    "integrationContext=%s&closedSince=%lld",
			    org_urn, t0 - 1000);
	json_t *j = api_json("GET", p, NULL, 200), *e;
	size_t i;
	bool linked = false, stubbed = false;
	char *u5 = itest_fmt("urn:li:person:%s", prospects[5]);
	char *u2 = itest_fmt("urn:li:person:%s", prospects[2]);
	json_array_foreach(json_object_get(j, "elements"), i, e)
	{
		const char *m = itest_jstr(e, "member");
		if (!strcmp(m, u5))
			linked =
			    !strcmp(itest_jstr(e, "atsCandidateId"), cand) &&
			    itest_jint(e, "closedAt") >= t0 - 1000;
		if (!strcmp(m, u2))
			stubbed =
			    json_is_null(json_object_get(e, "atsCandidateId"));
	}
	CHECK(linked, "the linked candidate, with its atsCandidateId");
	CHECK(stubbed, "the stub-only member, atsCandidateId null");
	json_decref(j);
	free(p);
	p = itest_fmt("/v2/closedCandidateProfiles?q=integrationContext&"
		      "integrationContext=%s&closedSince=%lld",
		      org_urn, t0 + 3600000);
	j = api_json("GET", p, NULL, 200);
	CHECK(json_array_size(json_object_get(j, "elements")) == 0,
	      "closedSince leaves out earlier closures");
	json_decref(j);
	/* LinkedIn no longer hands out the closed member's stub */
	char *q = itest_fmt("&owners=%s", rseat);
	j = stubs(q, 200);
	CHECK(!stub_of(j, prospects[2]), "no stub of a closed account");
	json_decref(j);
	struct itest_resp r = profile(prospects[5], li->apps[0].client_id);
	CHECK_STATUS(r, 404, "a closed account has no Recruiter profile");
	itest_resp_free(&r);
	/* nor is it anyone's match any more */
	char *email = itest_sandbox_sql_str(
	    "SELECT email FROM members WHERE urn_id = '%s'", prospects[2]);
	char *mq = itest_fmt("/v2/atsCandidates?q=memberMatches&"
			     "integrationContext=%s&emailAddresses=%s",
			     org_urn, email);
	j = api_json("GET", mq, NULL, 200);
	json_array_foreach(json_object_get(j, "elements"), i, e)
	    CHECK(strcmp(itest_jstr(e, "member"), u2),
		  "a closed member is offered to no one");
	json_decref(j);
	free(mq), free(email);
	json_decref(api_json("GET",
			     "/v2/closedCandidateProfiles?q=integrationContext&"
			     "integrationContext=urn:li:organization:1",
			     NULL, 403));
	free(q), free(u5), free(u2), free(p), free(body), free(path);
	free(k), free(ek), free(cand);
}

static void control_calls_name_the_bad_field(void)
{
	static const struct {
		const char *path, *json, *field;
	} cases[] = {
	    {"/sandbox/sync/throttle", "{}", "clientId"},
	    {"/sandbox/sync/throttle",
	     "{\"clientId\": \"x\", \"recordsPerMinute\": -1}",
	     "recordsPerMinute"},
	    {"/sandbox/members/close", "{}", "member"},
	    {"/sandbox/inmails/reply",
	     "{\"conversation\": \"urn:li:conversation:1\", \"body\": \"b\","
	     " \"shareContact\": \"yes\"}",
	     "shareContact"},
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

int main(void)
{
	static const struct test tests[] = {
	    TEST(application_with_stages_feedback_and_notes_is_stored),
	    TEST(required_fields_are_refused_with_linkedins_message),
	    TEST(batches_hold_at_most_100_keys_and_may_be_tunnelled),
	    TEST(the_throttle_answers_429_with_retry_after),
	    TEST(every_sync_request_is_stored_as_received),
	    TEST(in_ats_panel_shows_what_the_chosen_ats_synced),
	    TEST(a_consenting_reply_makes_a_stub_with_the_email_only_if_shared),
	    TEST(the_member_consents_on_the_reply_page),
	    TEST(closed_members_are_listed_for_the_ats_that_knows_them),
	    TEST(control_calls_name_the_bad_field),
	};
	static const struct suite suites[] = {
	    SUITE("sandbox_sync", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
