/*
 * test_sandbox_restli2.c - the sandbox's atsCandidates take Rest.li 2.0
 * keys as LinkedIn does (shared/linkedin-api.md: "The sandbox accepts the
 * 2.0 form ids=List((...)) too"): ids=List((atsCandidateId:..,
 * dataProvider:ATS,integrationContext:urn%3Ali%3Aorganization%3AN)) in the
 * query and "(atsCandidateId:..,...)" as the body's entity keys, on every
 * method: PUT (batch_update), GET (batch get), POST (batch_partial_update:
 * manualMatchedMember) and DELETE, over HTTP with an application token.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

static const struct itest_li_app *li;
static char *token;
static char *em_id, *em_first, *em_last, *em_email; /* email_only */
static char *sim_id;				   /* similar_1 */
static char *cid;				   /* the candidate's id */
static char *key;  /* its 2.0 key, "(atsCandidateId:...)" */
static char *key2; /* a candidate LinkedIn never got */

/* The organization URN with its ':' encoded, as a 2.0 key value is. */
static char *org_encoded(void)
{
	struct buf b = BUF_INIT;
	char *out = NULL;
	for (const char *p = li->organization; *p; p++)
		if (*p == ':')
			buf_adds(&b, "%3A");
		else
			buf_addc(&b, *p);
	if (!buf_failed(&b))
		out = itest_strdup(b.data);
	buf_release(&b);
	return out;
}

static json_t *call(const char *method, const char *path, const char *body,
		    long want)
{
	struct itest_resp r = itest_li_api(method, path, token, body);
	CHECK(r.status == want, "%s %s: %ld (want %ld) %s", method, path,
	      r.status, want, r.body ? r.body : "");
	json_t *j = r.status == want && r.len ? itest_json(&r) : NULL;
	itest_resp_free(&r);
	return j;
}

static json_t *result(json_t *j, const char *part, const char *k)
{
	return json_object_get(json_object_get(j, part), k);
}

/* LinkedIn's stored manualMatchedMember of the candidate (new; "" none,
 * NULL no record). */
static char *stored_manual(void)
{
	struct itest_client *c = itest_client_new(NULL);
	char *u = itest_fmt("%s/sandbox/atsCandidates?clientId=%s"
			    "&atsCandidateId=%s",
			    itest_sandbox_url(), li->client_id, cid);
	struct itest_resp r = itest_get(c, u, true);
	json_t *j = r.status == 200 ? itest_json(&r) : NULL;
	json_t *e = json_array_get(json_object_get(j, "elements"), 0);
	const char *m =
	    json_string_value(json_object_get(e, "manualMatchedMember"));
	char *out = e ? itest_strdup(m ? m : "") : NULL;
	json_decref(j);
	itest_resp_free(&r);
	free(u);
	itest_client_free(c);
	return out;
}

static void put_get_post_delete_take_restli_2_keys(void)
{
	char *path = itest_fmt("/v2/atsCandidates?ids=List(%s)", key);
	char *body = itest_fmt(
	    "{\"entities\": {\"%s\": {\"firstName\": \"%s\", \"lastName\": "
	    "\"%s\", \"emailAddresses\": [\"%s\"], \"phoneNumbers\": [], "
	    "\"addresses\": [], \"externalProfileUrl\": "
	    "\"https://ats.example/c/1\", \"atsCreatedAt\": 1, "
	    "\"atsLastModifiedAt\": 2}}}",
	    key, em_first, em_last, em_email);
	json_t *j = call("PUT", path, body, 200);
	CHECK(itest_jint(result(j, "results", key), "status") == 204,
	      "PUT: 204 under the 2.0 key");
	json_decref(j);
	free(body);

	/* GET, two keys: the stored one and one never sent */
	char *both = itest_fmt("/v2/atsCandidates?ids=List(%s,%s)&fields="
			       "matchedMembers,manualMatchedMember",
			       key, key2);
	j = call("GET", both, NULL, 200);
	json_t *mm = json_object_get(result(j, "results", key),
				     "matchedMembers");
	char *urn = itest_fmt("urn:li:person:%s", em_id);
	CHECK(json_array_size(mm) == 1 &&
		  !strcmp(json_string_value(json_array_get(mm, 0)), urn),
	      "GET: LinkedIn's match by the email");
	CHECK(itest_jint(result(j, "errors", key2), "status") == 404,
	      "and a 404 for the key never sent");
	json_decref(j);
	free(urn);

	/* POST: link, then unlink */
	urn = itest_fmt("urn:li:person:%s", sim_id);
	body = itest_fmt("{\"entities\": {\"%s\": {\"patch\": {\"$set\": "
			 "{\"manualMatchedMember\": \"%s\"}}}}}",
			 key, urn);
	j = call("POST", path, body, 200);
	CHECK(itest_jint(result(j, "results", key), "status") == 204,
	      "POST $set: 204");
	json_decref(j);
	free(body);
	char *m = stored_manual();
	CHECK(m && !strcmp(m, urn), "LinkedIn holds the manualMatchedMember: %s",
	      m ? m : "-");
	free(m);
	j = call("GET", both, NULL, 200);
	CHECK(!strcmp(itest_jstr(result(j, "results", key),
				 "manualMatchedMember"),
		      urn),
	      "GET shows it");
	json_decref(j);
	body = itest_fmt("{\"entities\": {\"%s\": {\"patch\": {\"$delete\": "
			 "[\"manualMatchedMember\"]}}}}",
			 key);
	j = call("POST", path, body, 200);
	json_decref(j);
	free(body);
	m = stored_manual();
	CHECK(m && !*m, "$delete unlinked");
	free(m);

	/* DELETE: gone */
	j = call("DELETE", path, NULL, 200);
	CHECK(itest_jint(result(j, "results", key), "status") == 204,
	      "DELETE: 204");
	json_decref(j);
	m = stored_manual();
	CHECK(!m, "LinkedIn keeps nothing of it");
	free(m);
	free(urn);
	free(both);
	free(path);
}

static void a_malformed_list_is_a_400_naming_ids(void)
{
	const char *bad[] = {
	    "/v2/atsCandidates?ids=List((atsCandidateId:x,dataProvider:ATS)",
	    "/v2/atsCandidates?ids=List(atsCandidateId:x)",
	    "/v2/atsCandidates?ids=List()",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct itest_resp r = itest_li_api("GET", bad[i], token, NULL);
		CHECK(r.status == 400 && itest_has(&r, "ids"),
		      "%s: 400 naming ids (%ld)", bad[i], r.status);
		itest_resp_free(&r);
	}
}

static int suite_init(void)
{
	li = itest_li_app();
	if (!li)
		return 1;
	token = itest_li_app_token(0);
	struct itest_client *c = itest_client_new(NULL);
	char *u = itest_fmt("%s/sandbox/members/crafted", itest_sandbox_url());
	struct itest_resp r = itest_get(c, u, true);
	json_t *j = itest_json(&r);
	json_t *els = json_object_get(j, "elements");
	for (size_t i = 0; i < json_array_size(els); i++) {
		json_t *e = json_array_get(els, i);
		const char *label = itest_jstr(e, "label");
		if (!strcmp(label, "email_only")) {
			em_id = itest_strdup(itest_jstr(e, "id"));
			em_first = itest_strdup(itest_jstr(e, "firstName"));
			em_last = itest_strdup(itest_jstr(e, "lastName"));
			em_email = itest_strdup(itest_jstr(e, "email"));
		} else if (!strcmp(label, "similar_1")) {
			sim_id = itest_strdup(itest_jstr(e, "id"));
		}
	}
	json_decref(j);
	itest_resp_free(&r);
	free(u);
	itest_client_free(c);
	char *org = org_encoded();
	cid = itest_fmt("R2-%d", (int)getpid());
	key = itest_fmt("(atsCandidateId:%s,dataProvider:ATS,"
			"integrationContext:%s)",
			cid, org);
	key2 = itest_fmt("(atsCandidateId:R2-never-%d,dataProvider:ATS,"
			 "integrationContext:%s)",
			 (int)getpid(), org);
	free(org);
	return token && *token && em_id && em_email && sim_id ? 0 : 1;
}

static int suite_clean(void)
{
	free(token), free(em_id), free(em_first), free(em_last);
	free(em_email), free(sim_id), free(cid), free(key), free(key2);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(put_get_post_delete_take_restli_2_keys),
	    TEST(a_malformed_list_is_a_400_naming_ids),
	};
	static const struct suite suites[] = {
	    SUITE("sandbox_restli2", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
