/*
 * test_linkedin_restli.c - the LinkedIn client's protocol pieces that need
 * no network: Rest.li 1.0 keys (entity form, batch query, matching the
 * keys a batch answer names), the batch answer's per-key outcomes, the
 * strict unpacking of remote JSON, and what goes on the wire for a request
 * (the URL of any length, query tunnelling past LinkedIn's limits).
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkedin/li_internal.h"
#include "../suite.h"

static const struct li_key_field cand_fields[2][3] = {
    {{"atsCandidateId", "c 1&x=y"},
     {"dataProvider", "ATS"},
     {"integrationContext", "urn:li:organization:7"}},
    {{"atsCandidateId", "c2"},
     {"dataProvider", "ATS"},
     {"integrationContext", "urn:li:organization:7"}},
};
static const struct li_key cands[] = {{cand_fields[0], 3}, {cand_fields[1], 3}};
static const struct li_key_field stage_fields[] = {{NULL, "S1"}, {NULL, "S 2"}};
static const struct li_key stages[] = {{&stage_fields[0], 1},
				       {&stage_fields[1], 1}};

/* b's text, then b emptied. */
static bool buf_is(struct buf *b, const char *want)
{
	bool same = !buf_failed(b) && !strcmp(b->data, want);
	if (!same)
		fprintf(stderr, "\n got: %s\nwant: %s\n", b->data, want);
	buf_reset(b);
	return same;
}

/* ------------------------------------------------------------ keys */

static void keys_in_entity_and_batch_form(void)
{
	struct buf b = BUF_INIT;

	li_key_add(&b, &cands[0]);
	CU_ASSERT(buf_is(&b, "atsCandidateId=c%201%26x%3Dy&dataProvider=ATS&"
			     "integrationContext=urn%3Ali%3Aorganization%3A7"));
	li_key_add(&b, &stages[1]);
	CU_ASSERT(buf_is(&b, "S%202"));

	buf_adds(&b, "/v2/atsCandidates?");
	li_keys_add_query(&b, cands, 2);
	CU_ASSERT(buf_is(
	    &b, "/v2/atsCandidates?"
		"ids%5B0%5D.atsCandidateId=c%201%26x%3Dy&ids%5B0%5D."
		"dataProvider=ATS&ids%5B0%5D.integrationContext=urn%3Ali%"
		"3Aorganization%3A7&ids%5B1%5D.atsCandidateId=c2&ids%5B1%5D."
		"dataProvider=ATS&ids%5B1%5D.integrationContext=urn%3Ali%"
		"3Aorganization%3A7"));
	buf_adds(&b, "/v2/atsApplications/a/stages?x=1");
	li_keys_add_query(&b, stages, 2);
	CU_ASSERT(
	    buf_is(&b, "/v2/atsApplications/a/stages?x=1&ids=S1&ids=S%202"));
	buf_release(&b);
}

static void keys_named_by_an_answer_match(void)
{
	const struct li_key *k = &cands[0];

	/* as sent; fields in another order, ':' unescaped; '+' a space;
	 * protocol 2.0 */
	CU_ASSERT(li_key_match(k, "atsCandidateId=c%201%26x%3Dy&dataProvider="
				  "ATS&integrationContext=urn%3Ali%"
				  "3Aorganization%3A7"));
	CU_ASSERT(li_key_match(k,
			       "integrationContext=urn:li:organization:7&"
			       "dataProvider=ATS&atsCandidateId=c+1%26x%3Dy"));
	CU_ASSERT(li_key_match(k, "(atsCandidateId:c%201%26x%3Dy,dataProvider:"
				  "ATS,integrationContext:urn%3Ali%"
				  "3Aorganization%3A7)"));
	CU_ASSERT(li_key_match(&stages[1], "S%202"));
	CU_ASSERT(li_key_match(&stages[1], "S+2"));

	/* another value, a field missing, one more, one twice, a bad
	 * escape */
	CU_ASSERT(!li_key_match(k, "atsCandidateId=c2&dataProvider=ATS&"
				   "integrationContext=urn:li:organization:7"));
	CU_ASSERT(!li_key_match(k, "atsCandidateId=c%201%26x%3Dy&"
				   "dataProvider=ATS"));
	CU_ASSERT(!li_key_match(&cands[1], "atsCandidateId=c2&dataProvider=ATS&"
					   "integrationContext=urn:li:"
					   "organization:7&x=1"));
	CU_ASSERT(!li_key_match(&cands[1], "atsCandidateId=c2&atsCandidateId="
					   "c2&dataProvider=ATS"));
	CU_ASSERT(!li_key_match(&stages[0], "S%1"));
	CU_ASSERT(!li_key_match(&stages[0], "S1x"));
	CU_ASSERT(!li_key_match(&stages[0], ""));
	CU_ASSERT(!li_key_match(k, ""));
}

/* ------------------------------------------------------------ batch */

static json_t *parse(const char *text)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	return j;
}

static void batch_answer_gives_each_key_its_outcome(void)
{
	static const struct li_key_field third[] = {
	    {"atsCandidateId", "c3"},
	    {"dataProvider", "ATS"},
	    {"integrationContext", "urn:li:organization:7"}};
	struct li_key keys[] = {cands[0], cands[1], {third, 3}};
	struct li_outcome out[3];
	struct li_error err = {0};
	json_t *j = parse(
	    "{\"results\": {\"integrationContext=urn:li:organization:7&"
	    "dataProvider=ATS&atsCandidateId=c%201%26x%3Dy\": {\"status\": "
	    "204}},"
	    " \"errors\": {\"atsCandidateId=c2&dataProvider=ATS&"
	    "integrationContext=urn%3Ali%3Aorganization%3A7\": {\"status\": "
	    "400, \"serviceErrorCode\": 100, \"message\": \"firstName is "
	    "required\", \"errorDetails\": {}}}}");

	CU_ASSERT_EQUAL(li_batch_read(j, "atsCandidates", keys, 3, out, &err),
			LI_OK);
	CU_ASSERT(!out[0].failed);
	CU_ASSERT_EQUAL(out[0].status, 204);
	CU_ASSERT_PTR_NOT_NULL(out[0].result);
	CU_ASSERT(out[1].failed);
	CU_ASSERT_EQUAL(out[1].status, 400);
	CU_ASSERT_EQUAL(out[1].service_code, 100);
	CU_ASSERT_STRING_EQUAL(out[1].message, "firstName is required");
	CU_ASSERT(out[2].failed);
	CU_ASSERT_EQUAL(out[2].status, 0);
	CU_ASSERT_STRING_EQUAL(out[2].message,
			       "LinkedIn's answer did not mention it");
	json_decref(j);

	/* A batch GET: entities in results, their status in statuses; a
	 * status outside 2xx fails even in results. */
	j = parse("{\"results\": {\"S1\": {\"stage\": \"New\"}, \"S%202\": "
		  "{\"status\": 500}}, \"statuses\": {\"S1\": 200}}");
	CU_ASSERT_EQUAL(li_batch_read(j, "stages", stages, 2, out, &err),
			LI_OK);
	CU_ASSERT(!out[0].failed);
	CU_ASSERT_EQUAL(out[0].status, 200);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(out[0].result, "stage")), "New");
	CU_ASSERT(out[1].failed);
	CU_ASSERT_EQUAL(out[1].status, 500);
	json_decref(j);
}

/* The message li_batch_read gives for text, "" when it accepts it. */
static const char *batch_refusal(const char *text)
{
	static struct li_error err;
	struct li_outcome out[2];
	json_t *j = json_loads(text, 0, NULL);
	memset(&err, 0, sizeof(err));
	int rc = li_batch_read(j, "stages", stages, 2, out, &err);
	json_decref(j);
	CU_ASSERT(rc == LI_OK ||
		  (rc == LI_ERR_PROTOCOL && err.kind == LI_ERR_PROTOCOL));
	return rc == LI_OK ? "" : err.message;
}

static void batch_answer_of_another_shape_is_refused(void)
{
	CU_ASSERT_STRING_EQUAL(batch_refusal("{}"), "");
	CU_ASSERT_STRING_EQUAL(batch_refusal("[]"),
			       "LinkedIn's stages answer had an unexpected "
			       "shape: it is an array, not an object");
	CU_ASSERT_STRING_EQUAL(batch_refusal("{\"results\": \"S1\"}"),
			       "LinkedIn's stages answer had an unexpected "
			       "shape: \"results\" is a string, not an object");
	CU_ASSERT_STRING_EQUAL(batch_refusal("{\"results\": {\"S1\": 204}}"),
			       "LinkedIn's stages answer had an unexpected "
			       "shape: it is an integer, not an object");
	CU_ASSERT_STRING_EQUAL(
	    batch_refusal("{\"errors\": {\"S1\": {\"message\": 7}}}"),
	    "LinkedIn's stages answer had an unexpected shape: \"message\" is "
	    "an integer, not a string");
	CU_ASSERT_STRING_EQUAL(
	    batch_refusal("{\"statuses\": {\"S1\": \"200\"}}"),
	    "LinkedIn's stages answer had an unexpected shape: a status is "
	    "not an integer");
	CU_ASSERT_STRING_EQUAL(
	    batch_refusal("{\"results\": {\"S3\": {\"status\": 204}}}"),
	    "LinkedIn's stages answer had an unexpected shape: it names a key "
	    "that was not sent (S3)");
}

/* ------------------------------------------------------------ unpack */

static void remote_json_is_unpacked_strictly(void)
{
	const char *id = NULL, *name = "unset";
	int64_t n = 0, secs = 0;
	bool flag = false;
	json_t *obj = NULL, *arr = NULL;
	const struct li_field f[] = {
	    LI_STR("id", true, &id),
	    LI_STR("name", false, &name),
	    LI_INT("n", false, &n),
	    LI_BOOL("flag", false, &flag),
	    LI_OBJECT("paging", false, &obj),
	    LI_ARRAY("elements", false, &arr),
	    LI_SECONDS("expires_in", false, &secs),
	};
	struct li_error err = {0};
	json_t *j = parse("{\"id\": \"a\", \"name\": null, \"n\": 3, \"flag\": "
			  "true, \"paging\": {}, \"elements\": [], "
			  "\"expires_in\": \"1800\", \"other\": [1]}");

	CU_ASSERT_EQUAL(li_unpack(j, "test", f, ARRAY_LEN(f), &err), LI_OK);
	CU_ASSERT_STRING_EQUAL(id, "a");
	CU_ASSERT_STRING_EQUAL(name, "unset"); /* null: absent */
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT(flag);
	CU_ASSERT(json_is_object(obj) && json_is_array(arr));
	CU_ASSERT_EQUAL(secs, 1800);
	json_decref(j);

	static const struct {
		const char *json, *why;
	} bad[] = {
	    {"{\"id\": \"a\", \"paging\": \"x\"}",
	     "\"paging\" is a string, not an object"},
	    {"{\"name\": \"b\"}", "\"id\" is missing"},
	    {"{\"id\": null}", "\"id\" is missing"},
	    {"{\"id\": \"\"}", "\"id\" is empty"},
	    {"{\"id\": 5}", "\"id\" is an integer, not a string"},
	    {"{\"id\": \"a\", \"n\": 1.5}",
	     "\"n\" is a fraction, not an integer"},
	    {"{\"id\": \"a\", \"flag\": 1}",
	     "\"flag\" is an integer, not a boolean"},
	    {"{\"id\": \"a\", \"elements\": {}}",
	     "\"elements\" is an object, not an array"},
	    {"{\"id\": \"a\", \"expires_in\": 0}",
	     "\"expires_in\" is an integer, not a number of seconds (up to "
	     "ten years)"},
	    {"{\"id\": \"a\", \"expires_in\": \"soon\"}",
	     "\"expires_in\" is a string, not a number of seconds (up to ten "
	     "years)"},
	    /* a lifetime whose milliseconds would overflow (fuzz_li_answers) */
	    {"{\"id\": \"a\", \"expires_in\": \"0007392056057518533289\"}",
	     "\"expires_in\" is a string, not a number of seconds (up to ten "
	     "years)"},
	    {"{\"id\": \"a\", \"expires_in\": 316224001}",
	     "\"expires_in\" is an integer, not a number of seconds (up to ten "
	     "years)"},
	    {"\"id\"", "it is a string, not an object"},
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char want[256];
		j = parse(bad[i].json);
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(li_unpack(j, "test", f, ARRAY_LEN(f), &err),
				LI_ERR_PROTOCOL);
		snprintf(want, sizeof(want),
			 "LinkedIn's test answer had an unexpected shape: %s",
			 bad[i].why);
		CU_ASSERT_STRING_EQUAL(err.message, want);
		json_decref(j);
	}
	CU_ASSERT_EQUAL(li_unpack(NULL, "test", f, ARRAY_LEN(f), &err),
			LI_ERR_PROTOCOL);
	CU_ASSERT_STRING_EQUAL(err.message, "LinkedIn's test answer had an "
					    "unexpected shape: it is not JSON");
}

/* ------------------------------------------------------------ the wire */

/* "/v2/atsCandidates?" and the batch query of 100 keys (over 4 KB). */
static char *hundred_keys_path(void)
{
	struct li_key_field f[100][3];
	struct li_key k[100];
	char ids[100][24];
	struct buf b = BUF_INIT;

	for (int i = 0; i < 100; i++) {
		snprintf(ids[i], sizeof(ids[i]), "cand-%d", i);
		f[i][0] = (struct li_key_field){"atsCandidateId", ids[i]};
		f[i][1] = (struct li_key_field){"dataProvider", "ATS"};
		f[i][2] = (struct li_key_field){"integrationContext",
						"urn:li:organization:7"};
		k[i] = (struct li_key){f[i], 3};
	}
	buf_adds(&b, "/v2/atsCandidates?");
	li_keys_add_query(&b, k, 100);
	return buf_detach(&b, NULL);
}

static void short_requests_go_as_they_are(void)
{
	struct li_req rq = {.method = "GET",
			    .base = "https://api.example",
			    .path = "/v2/me?projection=(id)",
			    .label = "/v2/me"};
	struct li_wire w;

	CU_ASSERT_EQUAL_FATAL(li_wire_build(&rq, &w, NULL), LI_OK);
	CU_ASSERT_STRING_EQUAL(w.url.data,
			       "https://api.example/v2/me?projection=(id)");
	CU_ASSERT_STRING_EQUAL(w.method, "GET");
	CU_ASSERT_PTR_NULL(w.override);
	CU_ASSERT_PTR_NULL(w.content_type);
	li_wire_release(&w);

	rq.method = "POST";
	rq.form = "grant_type=client_credentials";
	CU_ASSERT_EQUAL_FATAL(li_wire_build(&rq, &w, NULL), LI_OK);
	CU_ASSERT_STRING_EQUAL(w.content_type,
			       "application/x-www-form-urlencoded");
	CU_ASSERT_STRING_EQUAL(w.body.data, "grant_type=client_credentials");
	li_wire_release(&w);
}

static void long_queries_are_tunnelled(void)
{
	char *path = hundred_keys_path();
	const char *query = strchr(path, '?') + 1;
	struct li_req rq = {.method = "GET",
			    .base = "https://api.example",
			    .path = path,
			    .label = "/v2/atsCandidates"};
	struct li_wire w;
	struct buf want = BUF_INIT;

	CU_ASSERT(strlen(query) > LI_MAX_QUERY);
	CU_ASSERT_EQUAL_FATAL(li_wire_build(&rq, &w, NULL), LI_OK);
	CU_ASSERT_STRING_EQUAL(w.url.data,
			       "https://api.example/v2/atsCandidates");
	CU_ASSERT_STRING_EQUAL(w.method, "POST");
	CU_ASSERT_STRING_EQUAL(w.override, "GET");
	CU_ASSERT_STRING_EQUAL(w.content_type,
			       "application/x-www-form-urlencoded");
	CU_ASSERT_STRING_EQUAL(w.body.data, query);
	li_wire_release(&w);

	/* With a JSON body: the query, then the entities, multipart/mixed. */
	rq.method = "PUT";
	rq.json = "{\"entities\": {}}";
	CU_ASSERT_EQUAL_FATAL(li_wire_build(&rq, &w, NULL), LI_OK);
	CU_ASSERT_STRING_EQUAL(w.method, "POST");
	CU_ASSERT_STRING_EQUAL(w.override, "PUT");
	CU_ASSERT_FATAL(
	    !strncmp(w.content_type, "multipart/mixed; boundary=", 26));
	const char *bd = w.content_type + 26;
	CU_ASSERT_EQUAL(strlen(bd), 32);
	buf_addf(&want,
		 "--%s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
		 "\r\n%s\r\n--%s\r\nContent-Type: application/json\r\n\r\n"
		 "{\"entities\": {}}\r\n--%s--\r\n",
		 bd, query, bd, bd);
	CU_ASSERT_STRING_EQUAL(w.body.data, want.data);
	li_wire_release(&w);
	buf_release(&want);

	/* A URL over 8 KB with a short query is tunnelled too. */
	struct buf base = BUF_INIT;
	buf_adds(&base, "https://api.example/");
	for (int i = 0; i < 5000; i++)
		buf_addc(&base, 'x');
	rq = (struct li_req){.method = "GET",
			     .base = base.data,
			     .path = "/v2/x?",
			     .label = "/v2/x"};
	buf_adds(&want, "/v2/x?q=");
	for (int i = 0; i < 3500; i++)
		buf_addc(&want, 'q');
	rq.path = want.data;
	CU_ASSERT_EQUAL_FATAL(li_wire_build(&rq, &w, NULL), LI_OK);
	CU_ASSERT_STRING_EQUAL(w.override, "GET");
	li_wire_release(&w);
	buf_release(&want);
	buf_release(&base);
	free(path);
}

static void what_cannot_be_tunnelled_is_refused(void)
{
	char *path = hundred_keys_path();
	struct li_req rq = {.method = "POST",
			    .base = "https://api.example",
			    .path = path,
			    .label = "/v2/atsCandidates",
			    .form = "a=b"};
	struct li_error err = {0};
	struct li_wire w;
	struct buf longpath = BUF_INIT;

	CU_ASSERT_EQUAL(li_wire_build(&rq, &w, &err), LI_ERR_INTERNAL);
	CU_ASSERT_STRING_EQUAL(
	    err.message,
	    "POST /v2/atsCandidates: a form request cannot be tunnelled");
	buf_adds(&longpath, "/v2/");
	for (int i = 0; i < LI_MAX_URL; i++)
		buf_addc(&longpath, 'p');
	rq = (struct li_req){.method = "GET",
			     .base = "https://api.example",
			     .path = longpath.data,
			     .label = "/v2/p"};
	CU_ASSERT_EQUAL(li_wire_build(&rq, &w, &err), LI_ERR_INTERNAL);
	CU_ASSERT_STRING_EQUAL(
	    err.message, "the path of GET /v2/p is too long (8196 bytes)");
	buf_release(&longpath);
	free(path);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(keys_in_entity_and_batch_form),
	    TEST(keys_named_by_an_answer_match),
	    TEST(batch_answer_gives_each_key_its_outcome),
	    TEST(batch_answer_of_another_shape_is_refused),
	    TEST(remote_json_is_unpacked_strictly),
	    TEST(short_requests_go_as_they_are),
	    TEST(long_queries_are_tunnelled),
	    TEST(what_cannot_be_tunnelled_is_refused),
	};
	static const struct suite suites[] = {
	    SUITE("linkedin_restli", NULL, NULL, tests),
	};

	log_set_level(LOG_WARN);
	return suite_run(suites, ARRAY_LEN(suites));
}
