/*
 * test_docs.c - the documentation keeps up with the code: every
 * configuration key is in README.md's table, and every route is in its
 * table of pages.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "web/web.h"
#include "../suite.h"

static char *readme;

static void every_config_key_is_documented(void)
{
	for (size_t i = 0; i < config_nkeys; i++) {
		char want[128];
		snprintf(want, sizeof(want), "| `%s` |", config_keys[i].name);
		if (!strstr(readme, want))
			fprintf(stderr, "README.md does not document %s\n",
				config_keys[i].name);
		CU_ASSERT_PTR_NOT_NULL(strstr(readme, want));
	}
}

static void every_route_is_documented(void)
{
	for (int i = 0; i < WEB_NROUTES; i++) {
		char label[WEB_ROUTE_LABEL_MAX], want[WEB_ROUTE_LABEL_MAX + 2];
		/* "POST /jobs/{id}/close" appears as `POST /jobs/{id}/close` */
		snprintf(want, sizeof(want), "`%s`", web_route_label(i, label));
		if (!strstr(readme, want))
			fprintf(stderr, "README.md does not list %s\n", label);
		CU_ASSERT_PTR_NOT_NULL(strstr(readme, want));
	}
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(every_config_key_is_documented),
	    TEST(every_route_is_documented),
	};
	static const struct suite suites[] = {
	    SUITE("docs", NULL, NULL, tests),
	};

	FILE *f = fopen("README.md", "rb");
	if (!f) {
		perror("README.md");
		return 1;
	}
	readme = calloc(1, 1 << 20);
	size_t n = readme ? fread(readme, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (!readme)
		return 2;
	readme[n] = '\0';
	int rc = suite_run(suites, ARRAY_LEN(suites));
	free(readme);
	return rc;
}
