/*
 * test_web.c - unit tests of the web layer's helpers that need no stack:
 * web_pack_row(), the row builder of the list pages, and the route table.
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
	}
	char label[WEB_ROUTE_LABEL_MAX];
	CU_ASSERT_STRING_EQUAL(web_route_label(R_JOB_SHOW, label),
			       "GET /jobs/{id}");
	CU_ASSERT_STRING_EQUAL(web_route_label(R_NOTE_DELETE, label),
			       "POST /notes/{id}/delete");
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(a_row_holds_every_kind_of_value),
	    TEST(a_bad_format_is_null),
	};
	static const struct test route_tests[] = {
	    TEST(every_route_id_has_its_route),
	};
	static const struct suite suites[] = {
	    SUITE("web_pack_row", NULL, NULL, tests),
	    SUITE("web_routes", NULL, NULL, route_tests),
	};
	return suite_run(suites, ARRAY_LEN(suites));
}
