/*
 * test_search.c - the candidate search's pure parts: the count as a page
 * says it ("over 10,000"), the FULLTEXT query made of what a user typed,
 * the days the date filters take, and the word index's terms: the words
 * of a text, and a range of days added as the fewest ranges of day, month
 * and year terms.
 */
#include <CUnit/Basic.h>
#include <string.h>

#include "ats/candidates.h"
#include "ats/search_index.h"
#include "web/web.h"
#include "../suite.h"

static struct arena *a;

static int init(void)
{
	a = arena_new(4096);
	return a ? 0 : -1;
}

static int clean(void)
{
	arena_free(a);
	return 0;
}

static void a_count_is_grouped_in_thousands(void)
{
	CU_ASSERT_STRING_EQUAL(web_count_text(a, 0, false), "0");
	CU_ASSERT_STRING_EQUAL(web_count_text(a, 7, false), "7");
	CU_ASSERT_STRING_EQUAL(web_count_text(a, 999, false), "999");
	CU_ASSERT_STRING_EQUAL(web_count_text(a, 1000, false), "1,000");
	CU_ASSERT_STRING_EQUAL(web_count_text(a, 9999, false), "9,999");
	CU_ASSERT_STRING_EQUAL(web_count_text(a, 10000, false), "10,000");
	CU_ASSERT_STRING_EQUAL(web_count_text(a, 1234567, false),
			       "1,234,567");
}

/* What the candidates list says past CANDIDATE_SEARCH_CAP. */
static void past_the_cap_it_says_over_10000(void)
{
	CU_ASSERT_EQUAL(CANDIDATE_SEARCH_CAP, 10000);
	CU_ASSERT_STRING_EQUAL(
	    web_count_text(a, CANDIDATE_SEARCH_CAP, true), "over 10,000");
}

static void typed_words_become_required_prefixes(void)
{
	static const struct {
		const char *q, *want;
	} cases[] = {
	    {"python berlin", "+python* +berlin*"},
	    {"Senior Python", "+senior* +python*"},
	    /* operators are not words; short words and stopwords are left
	     * out, since InnoDB cannot find them */
	    {"+rust* -go \"c++\" (x) ~y <z> @3", "+rust*"},
	    {"-kotlin* +java", "+kotlin* +java*"},
	    {"the head of sales at acme", "+head* +sales* +acme*"},
	    {"O'Connor", "+connor*"},
	    {"Zoë Müller", "+zoë* +müller*"},
	    {"", ""},
	    {"a b c d e f g h i j k l m n o p", ""},
	    {"one two six ten aaa bbb ccc ddd eee fff", "+one* +two* +six* "
						       "+ten* +aaa* +bbb* "
						       "+ccc* +ddd*"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *got = ats_fulltext_query(a, cases[i].q);
		CU_ASSERT_PTR_NOT_NULL_FATAL(got);
		if (strcmp(got, cases[i].want))
			fprintf(stderr, "\"%s\" -> \"%s\", want \"%s\"\n",
				cases[i].q, got, cases[i].want);
		CU_ASSERT_STRING_EQUAL(got, cases[i].want);
	}
}

static void a_date_filter_is_a_real_day(void)
{
	CU_ASSERT(ats_date_valid("2026-03-31"));
	CU_ASSERT(ats_date_valid("2024-02-29"));
	CU_ASSERT(ats_date_valid("2000-02-29"));
	CU_ASSERT(!ats_date_valid("1900-02-28"));
	CU_ASSERT(!ats_date_valid("2100-02-29"));
	CU_ASSERT(!ats_date_valid("2026-02-29"));
	CU_ASSERT(!ats_date_valid("2026-04-31"));
	CU_ASSERT(!ats_date_valid("2026-13-01"));
	CU_ASSERT(!ats_date_valid("2026-1-01"));
	CU_ASSERT(!ats_date_valid("2026-01-01x"));
	CU_ASSERT(!ats_date_valid("31.12.2026"));
	CU_ASSERT(!ats_date_valid("+026-01-01"));
	CU_ASSERT(!ats_date_valid(""));
	CU_ASSERT(!ats_date_valid(NULL));
}

/* A text's words as the index holds them: 3 characters or more,
 * lowercased (Latin-1 letters too), each once, sorted. */
static void the_index_holds_words_lowercased_once(void)
{
	CU_ASSERT_STRING_EQUAL(
	    search_text_terms(a, "Senior Python dev at Ärzte-Berlin, python!"),
	    "berlin dev python senior \xc3\xa4rzte");
	CU_ASSERT_STRING_EQUAL(search_text_terms(a, "ada@example.com"),
			       "ada com example");
	CU_ASSERT_STRING_EQUAL(search_text_terms(a, "a b cd"), "");
	const char *w[SEARCH_WORDS_MAX];
	size_t n = search_query_words(a, "The PYTHON+Berlin with Go", w);
	CU_ASSERT_EQUAL(n, 2);
	if (n == 2) {
		CU_ASSERT_STRING_EQUAL(w[0], "python");
		CU_ASSERT_STRING_EQUAL(w[1], "berlin");
	}
}

/* The days added, from and to (inclusive), as ranges of terms: days of a
 * first and last month, whole months, whole years. */
static void a_date_range_is_few_term_ranges(void)
{
	CU_ASSERT_STRING_EQUAL(search_date_terms(a, "2020-01-01", ""),
			       "#y2020..#y9999");
	CU_ASSERT_STRING_EQUAL(search_date_terms(a, "2020-05-05", "2020-05-05"),
			       "#d2020-05-05..#d2020-05-05");
	CU_ASSERT_STRING_EQUAL(
	    search_date_terms(a, "2020-05-05", "2022-03-10"),
	    "#d2020-05-05..#d2020-05-31 #d2022-03-01..#d2022-03-10 "
	    "#m2020-06..#m2020-12 #m2022-01..#m2022-02 #y2021..#y2021");
	CU_ASSERT_STRING_EQUAL(search_date_terms(a, "2020-02-01", "2020-02-29"),
			       "#m2020-02..#m2020-02");
	CU_ASSERT_STRING_EQUAL(search_date_terms(a, "2019-02-01", "2019-02-27"),
			       "#d2019-02-01..#d2019-02-27");
	CU_ASSERT_STRING_EQUAL(search_date_terms(a, "", "2020-12-31"),
			       "#y1000..#y2020");
	CU_ASSERT_STRING_EQUAL(search_date_terms(a, "2021-12-20", "2022-01-02"),
			       "#d2021-12-20..#d2021-12-31 "
			       "#d2022-01-01..#d2022-01-02");
	CU_ASSERT_STRING_EQUAL(search_date_terms(a, "2022-01-02", "2021-12-20"),
			       "");
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(a_count_is_grouped_in_thousands),
	    TEST(past_the_cap_it_says_over_10000),
	    TEST(typed_words_become_required_prefixes),
	    TEST(a_date_filter_is_a_real_day),
	    TEST(the_index_holds_words_lowercased_once),
	    TEST(a_date_range_is_few_term_ranges),
	};
	static const struct suite suites[] = {
	    SUITE("search", init, clean, tests),
	};
	return suite_run(suites, ARRAY_LEN(suites));
}
