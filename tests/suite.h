/*
 * suite.h - how every test program registers and runs its CUnit suites:
 *
 *	static const struct test tests[] = {
 *	    TEST(recruiter_creates_job_with_default_pipeline),
 *	    ...
 *	};
 *	static const struct suite suites[] = {
 *	    SUITE("jobs", suite_init, suite_clean, tests),
 *	};
 *	return suite_run(suites, ARRAY_LEN(suites));
 *
 * The suites run in their order, verbosely, so scripts/check.sh can count
 * them.  The exit status: 0 when every test passed; 1 when a test failed
 * or a suite's set-up failed (its tests then never ran, which is no pass);
 * 2 when CUnit could not register or run them.
 */
#ifndef HIRELINK_TESTS_SUITE_H
#define HIRELINK_TESTS_SUITE_H

#include <CUnit/Basic.h>
#include <stddef.h>
#include <stdio.h>

struct test {
	const char *name;
	CU_TestFunc fn;
};

#ifndef ARRAY_LEN /* as core/core.h */
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define TEST(fn)                                                               \
	{                                                                      \
#fn, fn                                                        \
	}

struct suite {
	const char *name;
	CU_InitializeFunc init; /* NULL: none */
	CU_CleanupFunc clean;	/* NULL: none */
	const struct test *tests;
	size_t ntests;
};

#define SUITE(name, init, clean, tests)                                        \
	{                                                                      \
		(name), (init), (clean), (tests), ARRAY_LEN(tests)             \
	}

static inline int suite_run(const struct suite *s, size_t n)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (size_t i = 0; i < n; i++) {
		CU_pSuite cs = CU_add_suite(s[i].name, s[i].init, s[i].clean);
		for (size_t j = 0; cs && j < s[i].ntests; j++)
			if (!CU_add_test(cs, s[i].tests[j].name,
					 s[i].tests[j].fn))
				cs = NULL;
		if (!cs) {
			fprintf(stderr, "cannot register the tests of %s: %s\n",
				s[i].name, CU_get_error_msg());
			CU_cleanup_registry();
			return 2;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_ErrorCode run = CU_basic_run_tests();
	int rc = 0;
	if (CU_get_number_of_failures() || CU_get_number_of_suites_failed())
		rc = 1;
	else if (run != CUE_SUCCESS) {
		fprintf(stderr, "cannot run the tests: %s\n",
			CU_get_error_msg());
		rc = 2;
	}
	CU_cleanup_registry();
	return rc;
}

#endif
