/*
 * test_web.c - unit tests of the web layer's helpers that need no stack:
 * web_pack_row(), the row builder of the list pages, web_options(), a
 * select made from a list of the domain's words, the route table, and the
 * typed getters of input.c over requests built here (a query, a form or a
 * JSON body).
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <string.h>

#include "web/web.h"
#include "../suite.h"

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void a_row_holds_every_kind_of_value(void)
{
	json_t *inner = json_array();
	json_t *o = web_pack_row("{s:I, s:s, s:i, s:b, s:o, s:s}", "id",
				 (json_int_t)9000000000LL, "name",
				 "Zo\u00eb \u5f20 <b>", "n", 7, "yes", 1,
				 "list", inner, "none", (const char *)NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "id")),
			9000000000LL);
	CU_ASSERT_STRING_EQUAL(str(o, "name"), "Zo\u00eb \u5f20 <b>");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "n")), 7);
	CU_ASSERT(json_is_true(json_object_get(o, "yes")));
	CU_ASSERT_PTR_EQUAL(json_object_get(o, "list"), inner);
	CU_ASSERT_STRING_EQUAL(str(o, "none"), "");
	CU_ASSERT_EQUAL(json_object_size(o), 6);
	json_decref(o);
}

static void a_bad_format_is_null(void)
{
	CU_ASSERT_PTR_NULL(web_pack_row("{s:x}", "k", 1));
	CU_ASSERT_PTR_NULL(web_pack_row("{s:s", "k", "v"));
	CU_ASSERT_PTR_NULL(web_pack_row("s:s}", "k", "v"));
	CU_ASSERT_PTR_NULL(web_pack_row("{i:s}", 1, "v"));
	json_t *empty = web_pack_row("{}");
	CU_ASSERT(json_is_object(empty) && json_object_size(empty) == 0);
	json_decref(empty);
}

static void a_select_offers_the_words_in_their_order(void)
{
	static const char *const kinds[] = {"prospect", "screen", "interview",
					    "offer",	"hired",  "other"};
	json_t *a = web_options(ats_stage_kinds, ATS_STAGE_KIND_DEFAULT);
	CU_ASSERT_FATAL(json_array_size(a) == ARRAY_LEN(kinds));
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
		json_t *o = json_array_get(a, i);
		CU_ASSERT_STRING_EQUAL(str(o, "value"), kinds[i]);
		CU_ASSERT_STRING_EQUAL(
		    str(o, "label"), ats_word_label(ats_stage_kinds, kinds[i]));
		CU_ASSERT(json_is_true(json_object_get(o, "selected")) ==
			  !strcmp(kinds[i], "other"));
	}
	json_decref(a);

	/* Nothing chosen, or a value that is none of them: none selected. */
	const char *none[] = {NULL, "", "Recruiter"};
	for (size_t n = 0; n < ARRAY_LEN(none); n++) {
		a = web_options(ats_member_roles, none[n]);
		CU_ASSERT(json_array_size(a) == 3);
		for (size_t i = 0; i < json_array_size(a); i++)
			CU_ASSERT(json_is_false(
			    json_object_get(json_array_get(a, i), "selected")));
		json_decref(a);
	}
}

static void a_word_has_a_label_and_others_none(void)
{
	CU_ASSERT_STRING_EQUAL(ats_word_label(ats_roles, "hiring_manager"),
			       "Hiring manager");
	CU_ASSERT_STRING_EQUAL(ats_word_label(ats_seats, "none"), "None");
	CU_ASSERT_PTR_NULL(ats_word_label(ats_roles, "none"));
	CU_ASSERT_PTR_NULL(ats_word_label(ats_roles, NULL));
	CU_ASSERT_PTR_NULL(ats_word_label(ats_job_statuses, "Closed"));
	/* The roles' order is enum role's. */
	for (size_t i = 0; ats_roles[i].value; i++)
		CU_ASSERT(role_from_name(ats_roles[i].value) ==
			  (enum role)(1 << i));
	CU_ASSERT(seat_valid("hiring_manager") && !seat_valid("admin"));
}

/* A route id left out of routes.c would leave a hole in the table. */
static void every_route_id_has_its_route(void)
{
	for (int i = 0; i < WEB_NROUTES; i++) {
		const struct web_route *r = &web_routes[i];
		CU_ASSERT_PTR_NOT_NULL(r->r.pattern);
		CU_ASSERT_PTR_NOT_NULL(r->handler);
		CU_ASSERT_PTR_NOT_NULL(http_method_name(r->r.methods));
		/* a POST's CSRF token is checked against the session */
		if (r->flags & ROUTE_NO_SESSION)
			CU_ASSERT_EQUAL(r->r.methods, HTTP_GET);
		/* a machine caller has no session: its route is public, and
		 * its handler authenticates it and writes its answer */
		if (r->flags & ROUTE_MACHINE)
			CU_ASSERT_EQUAL(r->flags & (ROUTE_PUBLIC | ROUTE_NO_LAYOUT),
					ROUTE_PUBLIC | ROUTE_NO_LAYOUT);
	}
	char label[WEB_ROUTE_LABEL_MAX];
	CU_ASSERT_STRING_EQUAL(web_route_label(R_JOB_SHOW, label),
			       "GET /jobs/{id}");
	CU_ASSERT_STRING_EQUAL(web_route_label(R_NOTE_DELETE, label),
			       "POST /notes/{id}/delete");
}

/* What the database answered, as a user gets it: a collision that outlived
 * db_transaction's runs, like a database that is away, is a 503 to try
 * again (with Retry-After, app.c), never a 500. */
static void a_database_status_is_an_http_one(void)
{
	CU_ASSERT_EQUAL(web_status_from_db(DB_OK), 200);
	CU_ASSERT_EQUAL(web_status_from_db(DB_GONE), 503);
	CU_ASSERT_EQUAL(web_status_from_db(DB_DEADLOCK), 503);
	CU_ASSERT_EQUAL(web_status_from_db(DB_NOT_FOUND), 404);
	CU_ASSERT_EQUAL(web_status_from_db(DB_DUPLICATE), 409);
	CU_ASSERT_EQUAL(web_status_from_db(ATS_INVALID), 400);
	CU_ASSERT_EQUAL(web_status_from_db(DB_ERROR), 500);
}

/* The route a request's path and method name, as web_body_rule finds it
 * before the body is read; its rule for the body. */
static int body_rule_of(enum http_method m, const char *path,
			struct http_body_rule *rule)
{
	struct arena *a = arena_new(4096);
	struct http_request r = {.arena = a, .method = m, .path = path};
	*rule = (struct http_body_rule){.max_body = 1 << 20};
	web_body_rule(NULL, &r, rule);
	CU_ASSERT_PTR_NOT_NULL(r.app_data);
	/* the routing is kept for web_handle, which starts from it */
	const struct web_routing *rt = r.app_data;
	int found = rt ? rt->found : -99;
	arena_free(a);
	return found;
}

static void a_machine_route_keeps_a_small_raw_body(void)
{
	struct http_body_rule rule;
	for (int i = 0; i < WEB_NROUTES; i++) {
		const struct web_route *r = &web_routes[i];
		if (!(r->flags & ROUTE_MACHINE))
			continue;
		if (r->r.methods != HTTP_POST || strchr(r->r.pattern, '{'))
			continue;
		CU_ASSERT_EQUAL(body_rule_of(HTTP_POST, r->r.pattern, &rule),
				i);
		CU_ASSERT_EQUAL(rule.max_body, WEB_MACHINE_MAX_BODY);
		CU_ASSERT(rule.raw);
	}
	CU_ASSERT_EQUAL(WEB_MACHINE_MAX_BODY, 64 * 1024);
	/* every other route keeps the server's limit and a parsed body */
	CU_ASSERT_EQUAL(body_rule_of(HTTP_POST, "/jobs", &rule), R_JOB_CREATE);
	CU_ASSERT_EQUAL(rule.max_body, 1 << 20);
	CU_ASSERT(!rule.raw);
	CU_ASSERT_EQUAL(body_rule_of(HTTP_GET, "/nowhere", &rule),
			HTTP_ROUTE_NOT_FOUND);
	CU_ASSERT(!rule.raw);
	CU_ASSERT_EQUAL(body_rule_of(HTTP_PUT, "/jobs", &rule),
			HTTP_ROUTE_BAD_METHOD);
	CU_ASSERT(!rule.raw);
}

/* ------------------------------------------------------------ input */

static struct arena *arena;
static struct http_request req;
static struct ctx ctx;

static void request_free(void)
{
	json_decref(req.json);
	arena_free(arena);
	memset(&req, 0, sizeof(req));
	arena = NULL;
}

/* A request of method m with the urlencoded query and form (NULL: none)
 * and JSON body (NULL: none), and a fresh ctx for it. */
static struct ctx *request(enum http_method m, const char *query,
			   const char *form, const char *json)
{
	struct http_limits l;
	struct http_error err = {0};

	request_free();
	http_limits_default(&l);
	arena = arena_new(4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(arena);
	req.arena = arena;
	req.method = m;
	if (query)
		CU_ASSERT_EQUAL_FATAL(
		    http_parse_urlencoded(arena, query, strlen(query), &l,
					  &req.query_params, &err),
		    0);
	if (form)
		CU_ASSERT_EQUAL_FATAL(http_parse_urlencoded(arena, form,
							    strlen(form), &l,
							    &req.form, &err),
				      0);
	if (json)
		CU_ASSERT_PTR_NOT_NULL_FATAL(req.json =
						 json_loads(json, 0, NULL));
	ctx = (struct ctx){.arena = arena, .req = &req};
	return &ctx;
}

static int input_clean(void)
{
	request_free();
	return 0;
}

/* Whether the first refusal was field with message must. */
static bool refused(const struct ctx *c, const char *field, const char *must)
{
	return c->input_status == 400 && c->error_field &&
	       !strcmp(c->error_field, field) && c->error_message &&
	       !strcmp(c->error_message, must);
}

static void text_is_trimmed_and_bounded_in_characters(void)
{
	struct ctx *c =
	    request(HTTP_POST, NULL,
		    "name=%20%20Zo%C3%AB%20&empty=&long=%C3%A9%C3%A9"
		    "%C3%A9",
		    NULL);
	CU_ASSERT_STRING_EQUAL(web_text(c, "name", 0), "Zo\u00eb");
	CU_ASSERT_STRING_EQUAL(web_text(c, "name", 3), "Zo\u00eb");
	CU_ASSERT_STRING_EQUAL(web_text(c, "absent", 0), "");
	CU_ASSERT_PTR_NULL(web_text_or(c, "absent", 0, NULL));
	CU_ASSERT_STRING_EQUAL(web_text_or(c, "empty", 0, "kept"), "");
	CU_ASSERT_STRING_EQUAL(web_text(c, "long", 3), "\u00e9\u00e9\u00e9");
	CU_ASSERT_EQUAL(c->input_status, 0);

	/* too long: refused, naming the field, and still given back for
	 * the form shown again */
	CU_ASSERT_STRING_EQUAL(web_text(c, "long", 2), "\u00e9\u00e9\u00e9");
	CU_ASSERT(refused(c, "long", "must be at most 2 characters"));
}

static void a_password_is_as_typed(void)
{
	struct ctx *c = request(HTTP_POST, NULL, "pw=%20secret%20", NULL);
	CU_ASSERT_STRING_EQUAL(web_password(c, "pw"), " secret ");
	CU_ASSERT_STRING_EQUAL(web_password(c, "absent"), "");
	CU_ASSERT_EQUAL(c->input_status, 0);
}

static void get_reads_the_query_and_post_the_body(void)
{
	struct ctx *c = request(HTTP_GET, "tab=notes", NULL, NULL);
	CU_ASSERT_STRING_EQUAL(web_text(c, "tab", 0), "notes");
	c = request(HTTP_HEAD, "tab=notes", NULL, NULL);
	CU_ASSERT_STRING_EQUAL(web_text(c, "tab", 0), "notes");
	c = request(HTTP_POST, "tab=notes", "name=x", NULL);
	CU_ASSERT_STRING_EQUAL(web_text(c, "tab", 0), "");
	CU_ASSERT_STRING_EQUAL(web_text(c, "name", 0), "x");
	/* a list's page and search are the query's whatever the method */
	const char *q;
	int64_t page;
	c = request(HTTP_POST, "page=3&q=%20ada%20", "page=9&q=x", NULL);
	CU_ASSERT_EQUAL(web_list_query(c, &page, &q), 0);
	CU_ASSERT_EQUAL(page, 3);
	CU_ASSERT_STRING_EQUAL(q, "ada");
}

static void a_json_body_gives_strings_and_integers(void)
{
	struct ctx *c =
	    request(HTTP_POST, NULL, NULL,
		    "{\"title\": \" T \", \"n\": 42, \"yes\": true, "
		    "\"none\": null, \"list\": [1]}");
	CU_ASSERT_STRING_EQUAL(web_text(c, "title", 0), "T");
	CU_ASSERT_STRING_EQUAL(web_text(c, "n", 0), "42");
	CU_ASSERT_EQUAL(web_id(c, "n", WEB_REQUIRED, "must be an id"), 42);
	CU_ASSERT_PTR_NULL(web_text_or(c, "none", 0, NULL));
	CU_ASSERT(web_bool(c, "yes"));
	CU_ASSERT_EQUAL(c->input_status, 0);

	/* a boolean is no text, an array nothing at all */
	CU_ASSERT_STRING_EQUAL(web_text(c, "yes", 0), "");
	CU_ASSERT(refused(c, "yes", "must be a string"));
	c = request(HTTP_POST, NULL, NULL, "{\"list\": [1]}");
	CU_ASSERT_EQUAL(web_id(c, "list", 0, "must be an id"), 0);
	CU_ASSERT(refused(c, "list", "must be an id"));
}

static void an_id_is_a_positive_integer(void)
{
	struct ctx *c = request(HTTP_POST, NULL,
				"a=7&b=%207%20&zero=0&neg=-3&x=7x&big="
				"9223372036854775808&empty=",
				NULL);
	CU_ASSERT_EQUAL(web_id(c, "a", WEB_REQUIRED, "m"), 7);
	CU_ASSERT_EQUAL(web_id(c, "b", WEB_REQUIRED, "m"), 7);
	CU_ASSERT_EQUAL(web_id(c, "empty", 0, "m"), 0);
	CU_ASSERT_EQUAL(web_id(c, "absent", 0, "m"), 0);
	CU_ASSERT_EQUAL(c->input_status, 0);

	static const char *const bad[] = {"zero", "neg", "x", "big"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		c->input_status = 0;
		CU_ASSERT_EQUAL(web_id(c, bad[i], 0, "must be an id"), 0);
		CU_ASSERT(refused(c, bad[i], "must be an id"));
	}
	/* missing, when required */
	c->input_status = 0;
	CU_ASSERT_EQUAL(web_id(c, "empty", WEB_REQUIRED, "is missing"), 0);
	CU_ASSERT(refused(c, "empty", "is missing"));
	c->input_status = 0;
	CU_ASSERT_EQUAL(web_id(c, "absent", WEB_REQUIRED, "is missing"), 0);
	CU_ASSERT(refused(c, "absent", "is missing"));
}

static void a_checkbox_is_true_or_false(void)
{
	static const struct {
		const char *name;
		bool want;
	} cases[] = {
	    {"one", true},    {"on", true},	 {"true", true},
	    {"zero", false},  {"off", false},	 {"false", false},
	    {"empty", false}, {"absent", false},
	};
	struct ctx *c = request(HTTP_POST, NULL,
				"one=1&on=on&true=true&zero=0&off=off&false="
				"false&empty=&maybe=maybe",
				NULL);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		CU_ASSERT_EQUAL(web_bool(c, cases[i].name), cases[i].want);
	CU_ASSERT_EQUAL(c->input_status, 0);
	CU_ASSERT(!web_bool(c, "maybe"));
	CU_ASSERT(refused(c, "maybe", "must be 1, on, true, 0, off or false"));

	c = request(HTTP_POST, NULL, NULL, "{\"t\": true, \"f\": false}");
	CU_ASSERT(web_bool(c, "t"));
	CU_ASSERT(!web_bool(c, "f"));
	CU_ASSERT_EQUAL(c->input_status, 0);
}

static void an_enum_names_one_of_its_table(void)
{
	enum { ADD = 1, REMOVE, UP, DOWN };
	static const struct web_choice actions[] = {
	    {"add", ADD}, {"remove", REMOVE}, {NULL, 0}};
	static const struct web_choice one[] = {{"up", UP}, {NULL, 0}};
	struct ctx *c =
	    request(HTTP_POST, NULL, "action=%20remove&empty=&bad=Add", NULL);
	CU_ASSERT_EQUAL(web_enum(c, "action", actions, WEB_REQUIRED), REMOVE);
	CU_ASSERT_EQUAL(web_enum(c, "empty", actions, ADD), ADD);
	CU_ASSERT_EQUAL(web_enum(c, "absent", one, DOWN), DOWN);
	CU_ASSERT_EQUAL(c->input_status, 0);

	CU_ASSERT_EQUAL(web_enum(c, "bad", actions, ADD), ADD);
	CU_ASSERT(refused(c, "bad", "must be add or remove"));
	c->input_status = 0;
	CU_ASSERT_EQUAL(web_enum(c, "absent", one, WEB_REQUIRED), WEB_REQUIRED);
	CU_ASSERT(refused(c, "absent", "must be up"));
}

static void a_local_path_or_the_fallback(void)
{
	struct ctx *c =
	    request(HTTP_POST, NULL,
		    "good=%2Fjobs%2F3%3Ftab%3Dnotes&evil=%2F%2Fevil."
		    "example&crlf=%2Fjobs%0D%0ASet-Cookie%3A%20x%3D1&"
		    "encoded=%2Fjobs%250d%250a&js=javascript%3Aalert(1)"
		    "&empty=",
		    NULL);
	CU_ASSERT_STRING_EQUAL(web_local_path(c, "good", "/"),
			       "/jobs/3?tab=notes");
	static const char *const bad[] = {"evil", "crlf",  "encoded",
					  "js",	  "empty", "absent"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		CU_ASSERT_STRING_EQUAL(web_local_path(c, bad[i], "/home"),
				       "/home");
	/* a bad target in a link is dropped, not an error */
	CU_ASSERT_EQUAL(c->input_status, 0);
}

static void the_first_refusal_is_the_one_reported(void)
{
	struct ctx *c = request(HTTP_POST, NULL, "a=x&b=y", NULL);
	CU_ASSERT_EQUAL(web_id(c, "a", 0, "first"), 0);
	CU_ASSERT_EQUAL(web_id(c, "b", 0, "second"), 0);
	CU_ASSERT(refused(c, "a", "first"));

	/* the page of a list is bounded, without an error: the last page
	 * a list shows, and the page asked for kept to say why; what is
	 * not a number is page 1 */
	int64_t page;
	c = request(HTTP_GET, "page=201", NULL, NULL);
	CU_ASSERT_EQUAL(web_page(c, &page), 0);
	CU_ASSERT_EQUAL(page, WEB_PAGE_MAX);
	CU_ASSERT_EQUAL(c->page_asked, 201);
	CU_ASSERT_EQUAL(c->input_status, 0);
	c = request(HTTP_GET, "page=99999999999999999999", NULL, NULL);
	CU_ASSERT_EQUAL(web_page(c, &page), 0);
	CU_ASSERT_EQUAL(page, WEB_PAGE_MAX);
	CU_ASSERT(c->page_asked > WEB_PAGE_MAX);
	c = request(HTTP_GET, "page=abc", NULL, NULL);
	CU_ASSERT_EQUAL(web_page(c, &page), 0);
	CU_ASSERT_EQUAL(page, 1);
	CU_ASSERT_EQUAL(c->input_status, 0);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(a_row_holds_every_kind_of_value),
	    TEST(a_bad_format_is_null),
	};
	static const struct test option_tests[] = {
	    TEST(a_select_offers_the_words_in_their_order),
	    TEST(a_word_has_a_label_and_others_none),
	};
	static const struct test route_tests[] = {
	    TEST(every_route_id_has_its_route),
	    TEST(a_machine_route_keeps_a_small_raw_body),
	    TEST(a_database_status_is_an_http_one),
	};
	static const struct test input_tests[] = {
	    TEST(text_is_trimmed_and_bounded_in_characters),
	    TEST(a_password_is_as_typed),
	    TEST(get_reads_the_query_and_post_the_body),
	    TEST(a_json_body_gives_strings_and_integers),
	    TEST(an_id_is_a_positive_integer),
	    TEST(a_checkbox_is_true_or_false),
	    TEST(an_enum_names_one_of_its_table),
	    TEST(a_local_path_or_the_fallback),
	    TEST(the_first_refusal_is_the_one_reported),
	};
	static const struct suite suites[] = {
	    SUITE("web_pack_row", NULL, NULL, tests),
	    SUITE("web_options", NULL, NULL, option_tests),
	    SUITE("web_routes", NULL, NULL, route_tests),
	    SUITE("web_input", NULL, input_clean, input_tests),
	};
	return suite_run(suites, ARRAY_LEN(suites));
}
