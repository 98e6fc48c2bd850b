/*
 * test_outbox.c - the outbox's backoff (src/ats/outbox.h) and the worker's
 * settings: pure functions, no database (tests/integration/test_outbox.c
 * has the rest on MariaDB).
 */
#include <CUnit/Basic.h>
#include <stdint.h>

#include "ats/outbox.h"
#include "core/config.h"
#include "../suite.h"

/* The backoff doubles from the base, stays within [half, all] of that
 * whatever the jitter, and stops growing at the cap. */
static void backoff_doubles_with_jitter_up_to_the_cap(void)
{
	static const uint32_t jitters[] = {0,	 1,	    4999,
					   5000, 123456789, UINT32_MAX};
	for (int attempt = 1; attempt <= 40; attempt++) {
		int64_t full = ATS_OUTBOX_BACKOFF_BASE_MS;
		for (int i = 1; i < attempt && full < ATS_OUTBOX_BACKOFF_MAX_MS;
		     i++)
			full *= 2;
		if (full > ATS_OUTBOX_BACKOFF_MAX_MS)
			full = ATS_OUTBOX_BACKOFF_MAX_MS;
		for (size_t j = 0; j < ARRAY_LEN(jitters); j++) {
			int64_t d =
			    ats_outbox_backoff_ms(attempt, 0, jitters[j]);
			CU_ASSERT(d >= full / 2 && d <= full);
		}
	}
	CU_ASSERT(ats_outbox_backoff_ms(1, 0, 0) ==
		  ATS_OUTBOX_BACKOFF_BASE_MS / 2);
	CU_ASSERT(ats_outbox_backoff_ms(2, 0, 0) == ATS_OUTBOX_BACKOFF_BASE_MS);
	CU_ASSERT(ats_outbox_backoff_ms(1000, 0, 0) ==
		  ATS_OUTBOX_BACKOFF_MAX_MS / 2);
	/* attempts far past any doubling neither overflow nor go negative */
	CU_ASSERT(ats_outbox_backoff_ms(INT32_MAX, 0, UINT32_MAX) > 0);
	/* different jitters spread rows that failed together */
	CU_ASSERT(ats_outbox_backoff_ms(3, 0, 1) !=
		  ats_outbox_backoff_ms(3, 0, 7777));
}

static void retry_after_wins_and_is_bounded(void)
{
	CU_ASSERT(ats_outbox_backoff_ms(1, 45000, 99) == 45000);
	CU_ASSERT(ats_outbox_backoff_ms(7, 1, 99) == 1);
	CU_ASSERT(ats_outbox_backoff_ms(1, INT64_MAX, 0) ==
		  ATS_OUTBOX_RETRY_AFTER_MAX_MS);
}

static void worker_settings_have_their_defaults_and_bounds(void)
{
	struct config c;
	char err[256];
	CU_ASSERT_FATAL(config_parse(&c, "t", "", err, sizeof(err)) == 0);
	CU_ASSERT(c.worker_poll_ms == 250);
	CU_ASSERT(c.worker_max_attempts == 8);
	CU_ASSERT(c.worker_lease_seconds == 60);
	config_free(&c);
	CU_ASSERT(config_parse(&c, "t",
			       "worker_poll_ms = 50\nworker_max_attempts = 2\n"
			       "worker_lease_seconds = 5\n",
			       err, sizeof(err)) == 0);
	CU_ASSERT(c.worker_poll_ms == 50 && c.worker_max_attempts == 2 &&
		  c.worker_lease_seconds == 5);
	config_free(&c);
	CU_ASSERT(config_parse(&c, "t", "worker_poll_ms = 0\n", err,
			       sizeof(err)) < 0);
	CU_ASSERT(config_parse(&c, "t", "worker_max_attempts = 0\n", err,
			       sizeof(err)) < 0);
	CU_ASSERT(config_parse(&c, "t", "worker_lease_seconds = 0\n", err,
			       sizeof(err)) < 0);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(backoff_doubles_with_jitter_up_to_the_cap),
	    TEST(retry_after_wins_and_is_bounded),
	    TEST(worker_settings_have_their_defaults_and_bounds),
	};
	static const struct suite suites[] = {
	    SUITE("outbox", NULL, NULL, tests),
	};
	return suite_run(suites, ARRAY_LEN(suites));
}
