/*
 * test_core.c - unit tests of the core layer: arena, buf, log, the fragment
 * cache, util, crypto and config.
 *
 * Crypto is checked against published known-answer vectors (RFC 4231 for
 * HMAC-SHA256, RFC 5869 for HKDF, the GCM specification's test cases for
 * AES-256-GCM) rather
 * than against itself, so a wrapper that passed the wrong length or
 * swapped key and IV would fail here.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "core/config.h"
#include "core/core.h"
#include "core/crypto.h"
#include "../suite.h"

/* Decodes a test vector; the vectors are constants, so a bad one aborts. */
static size_t unhex(const char *hex, unsigned char *out, size_t cap)
{
	size_t n = strlen(hex) / 2;

	if (n > cap || hex_decode(hex, out, n) < 0) {
		fprintf(stderr, "bad test vector %s\n", hex);
		abort();
	}
	return n;
}

/* ---------------------------------------------------------------- arena */

static void arena_allocations_are_aligned_and_distinct(void)
{
	struct arena *a = arena_new(256);
	unsigned char *p[64];
	size_t i, j;

	CU_ASSERT_FATAL(a != NULL);
	for (i = 0; i < ARRAY_LEN(p); i++) {
		p[i] = arena_alloc(a, i % 7 * 5 + 1);
		CU_ASSERT_FATAL(p[i] != NULL);
		CU_ASSERT((uintptr_t)p[i] % 16 == 0);
		memset(p[i], (int)i, i % 7 * 5 + 1);
	}
	for (i = 0; i < ARRAY_LEN(p); i++)
		for (j = 0; j < i % 7 * 5 + 1; j++)
			CU_ASSERT(p[i][j] == (unsigned char)i);
	CU_ASSERT(arena_alloc(a, 0) != NULL);
	arena_free(a);
}

static void arena_large_allocation_gets_own_block(void)
{
	struct arena *a = arena_new(256);
	char *small1, *big, *small2;

	CU_ASSERT_FATAL(a != NULL);
	small1 = arena_alloc(a, 16);
	big = arena_alloc(a, 100000);
	small2 = arena_alloc(a, 16);
	CU_ASSERT_FATAL(small1 && big && small2);
	CU_ASSERT((uintptr_t)big % 16 == 0);
	memset(big, 'x', 100000);
	/* The big block did not end the current one. */
	CU_ASSERT(small2 == small1 + 16);
	CU_ASSERT(arena_used(a) >= 100032);
	arena_reset(a);
	CU_ASSERT(arena_used(a) == 0);
	CU_ASSERT(arena_alloc(a, 16) == small1);
	arena_free(a);
}

static void arena_calloc_strdup_printf(void)
{
	struct arena *a = arena_new(0);
	unsigned char *z;
	char *s;
	size_t i;

	CU_ASSERT_FATAL(a != NULL);
	z = arena_calloc(a, 10, 10);
	CU_ASSERT_FATAL(z != NULL);
	for (i = 0; i < 100; i++)
		CU_ASSERT(z[i] == 0);
	CU_ASSERT(arena_calloc(a, SIZE_MAX / 2, 4) == NULL);
	CU_ASSERT_STRING_EQUAL(arena_strdup(a, "hello"), "hello");
	CU_ASSERT(arena_strdup(a, NULL) == NULL);
	CU_ASSERT_STRING_EQUAL(arena_strndup(a, "hello", 3), "hel");
	CU_ASSERT_STRING_EQUAL(arena_strndup(a, "hi", 10), "hi");
	CU_ASSERT_STRING_EQUAL(arena_printf(a, "%s-%d", "job", 42), "job-42");
	s = arena_printf(a, "%09000d", 7);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT(strlen(s) == 9000 && s[8999] == '7');
	arena_free(a);
}

static void arena_grow_doubles_and_keeps(void)
{
	struct arena *a = arena_new(0);
	size_t cap = 0;
	int *v = NULL, *w;

	CU_ASSERT_FATAL(a != NULL);
	for (size_t n = 0; n < 40; n++) {
		w = arena_grow(a, v, n, &cap, sizeof(*v), 4);
		CU_ASSERT_FATAL(w != NULL);
		CU_ASSERT(cap > n);
		/* a new array only when full: 4, 8, 16, 32, 64 */
		CU_ASSERT((w != v) ==
			  (n == 0 || n == 4 || n == 8 || n == 16 || n == 32));
		for (size_t i = 0; i < n; i++)
			CU_ASSERT(w[i] == (int)i);
		v = w;
		v[n] = (int)n;
	}
	CU_ASSERT(cap == 64);
	/* out of memory: NULL, and v and its room as they were */
	size_t full = 64;
	arena_fail_after(a, 0);
	CU_ASSERT(arena_grow(a, v, 64, &full, sizeof(*v), 4) == NULL);
	CU_ASSERT(full == 64);
	arena_fail_after(a, -1);
	full = SIZE_MAX / 2 + 1;
	CU_ASSERT(arena_grow(a, v, full, &full, sizeof(*v), 4) == NULL);
	arena_free(a);
}

static int cleanup_order[8];
static int cleanup_count;

static void record_cleanup(void *p)
{
	cleanup_order[cleanup_count++] = *(int *)p;
}

static void arena_reset_runs_cleanups_lifo(void)
{
	static int ids[] = {1, 2, 3};
	struct arena *a = arena_new(64);
	size_t i;

	CU_ASSERT_FATAL(a != NULL);
	cleanup_count = 0;
	for (i = 0; i < ARRAY_LEN(ids); i++) {
		CU_ASSERT(arena_on_reset(a, record_cleanup, &ids[i]) == 0);
		CU_ASSERT(arena_alloc(a, 200) != NULL); /* spill blocks */
	}
	arena_reset(a);
	CU_ASSERT(cleanup_count == 3);
	CU_ASSERT(cleanup_order[0] == 3 && cleanup_order[1] == 2 &&
		  cleanup_order[2] == 1);
	/* Cleanups run once; a second reset has none left. */
	arena_reset(a);
	CU_ASSERT(cleanup_count == 3);
	/* arena_free runs them too. */
	CU_ASSERT(arena_on_reset(a, record_cleanup, &ids[0]) == 0);
	arena_free(a);
	CU_ASSERT(cleanup_count == 4 && cleanup_order[3] == 1);
	arena_free(NULL);
}

static void arena_failure_injection(void)
{
	static int id = 9;
	struct arena *a = arena_new(0);
	struct buf b;

	CU_ASSERT_FATAL(a != NULL);
	arena_fail_after(a, 0);
	CU_ASSERT(arena_alloc(a, 8) == NULL);
	CU_ASSERT(arena_alloc(a, 8) != NULL); /* one-shot */

	arena_fail_after(a, 2);
	CU_ASSERT(arena_alloc(a, 8) != NULL);
	CU_ASSERT(arena_strdup(a, "x") != NULL);
	CU_ASSERT(arena_strdup(a, "x") == NULL);

	arena_fail_after(a, 0);
	CU_ASSERT(arena_printf(a, "%d", 1) == NULL);
	arena_fail_after(a, 0);
	CU_ASSERT(arena_calloc(a, 2, 2) == NULL);
	arena_fail_after(a, 0);
	CU_ASSERT(arena_strndup(a, "abc", 2) == NULL);

	/* A cleanup that cannot be recorded runs at once. */
	cleanup_count = 0;
	arena_fail_after(a, 0);
	CU_ASSERT(arena_on_reset(a, record_cleanup, &id) == -1);
	CU_ASSERT(cleanup_count == 1 && cleanup_order[0] == 9);

	/* Same for a buf: released at once, nothing leaks. */
	buf_init(&b, 0);
	buf_adds(&b, "some text that owns memory");
	arena_fail_after(a, 0);
	CU_ASSERT(buf_release_on_reset(&b, a) == -1);
	CU_ASSERT(b.cap == 0 && b.len == 0 && strcmp(b.data, "") == 0);

	arena_fail_after(a, -1);
	CU_ASSERT(arena_alloc(a, 8) != NULL);
	arena_free(a);
}

/* ---------------------------------------------------------------- buf */

static void buf_grows_and_stays_terminated(void)
{
	struct buf b = BUF_INIT;
	size_t i;

	CU_ASSERT(b.data != NULL && b.data[0] == '\0');
	for (i = 0; i < 10000; i++)
		buf_addc(&b, (char)('a' + i % 26));
	CU_ASSERT(!buf_failed(&b));
	CU_ASSERT(b.len == 10000 && strlen(b.data) == 10000);
	CU_ASSERT(b.data[0] == 'a' && b.data[9999] == 'a' + 9999 % 26);
	CU_ASSERT(b.cap > b.len);
	buf_reset(&b);
	CU_ASSERT(b.len == 0 && b.data[0] == '\0' && b.cap > 0);
	buf_add(&b, "ab\0cd", 5);
	CU_ASSERT(b.len == 5 && memcmp(b.data, "ab\0cd", 6) == 0);
	buf_adds(&b, NULL);
	CU_ASSERT(b.len == 5);
	buf_release(&b);
	CU_ASSERT(b.cap == 0 && b.len == 0 && b.data[0] == '\0');
	buf_release(&b);
}

static void buf_max_is_a_sticky_error(void)
{
	struct buf b;
	char *p;
	size_t len = 99;

	buf_init(&b, 10);
	buf_adds(&b, "12345678");
	CU_ASSERT(!buf_failed(&b));
	buf_adds(&b, "abc");
	CU_ASSERT(buf_failed(&b));
	CU_ASSERT(b.err == BUF_ETOOBIG);
	CU_ASSERT_STRING_EQUAL(b.data, "12345678");
	buf_addc(&b, 'x'); /* would fit, but the error is sticky */
	CU_ASSERT(b.len == 8 && b.err == BUF_ETOOBIG);
	CU_ASSERT(b.cap <= 11);
	buf_reset(&b);
	CU_ASSERT(!buf_failed(&b));
	buf_adds(&b, "0123456789");
	CU_ASSERT(!buf_failed(&b) && b.len == 10);
	buf_addf(&b, "%d", 1);
	CU_ASSERT(b.err == BUF_ETOOBIG);
	CU_ASSERT_STRING_EQUAL(b.data, "0123456789");
	p = buf_detach(&b, &len);
	CU_ASSERT(p == NULL && len == 0);
	CU_ASSERT(b.cap == 0 && !buf_failed(&b));
}

static void buf_addf_formats(void)
{
	struct buf b;

	buf_init(&b, 0);
	buf_addf(&b, "%s=%d", "threads", 8);
	buf_addf(&b, ";%c", 'x');
	CU_ASSERT_STRING_EQUAL(b.data, "threads=8;x");
	buf_addf(&b, "%05000d", 3); /* more than the capacity at hand */
	CU_ASSERT(!buf_failed(&b));
	CU_ASSERT(b.len == 11 + 5000 && b.data[b.len - 1] == '3');
	CU_ASSERT(b.data[11] == '0' && strlen(b.data) == b.len);
	buf_release(&b);

	/* Over the maximum after some growth. */
	buf_init(&b, 70);
	buf_adds(&b, "x"); /* allocates 64 bytes */
	buf_addf(&b, "%0100d", 1);
	CU_ASSERT(b.err == BUF_ETOOBIG);
	CU_ASSERT_STRING_EQUAL(b.data, "x");
	buf_release(&b);
}

static void buf_escapes_html(void)
{
	static const char in[] = "<a href=\"x\">Tom & Jerry's</a>";
	struct buf b = BUF_INIT;

	buf_add_html(&b, in, strlen(in));
	CU_ASSERT_STRING_EQUAL(b.data, "&lt;a href=&quot;x&quot;&gt;Tom "
				       "&amp; Jerry&#39;s&lt;/a&gt;");
	buf_reset(&b);
	buf_add_html(&b, "plain", 5);
	buf_add_html(&b, "&&", 1);
	CU_ASSERT_STRING_EQUAL(b.data, "plain&amp;");
	buf_release(&b);
}

static void buf_escapes_url(void)
{
	static const char in[] = "a b&c=d/\xc3\xa9~-._?#+%Z9";
	struct buf b = BUF_INIT;

	buf_add_url(&b, in, strlen(in));
	CU_ASSERT_STRING_EQUAL(b.data,
			       "a%20b%26c%3Dd%2F%C3%A9~-._%3F%23%2B%25Z9");
	buf_reset(&b);
	buf_add_url(&b, "\x00\xff", 2);
	CU_ASSERT_STRING_EQUAL(b.data, "%00%FF");
	buf_reset(&b);
	buf_add_hex(&b, (const unsigned char *)"\x00\xab\x7f", 3);
	CU_ASSERT_STRING_EQUAL(b.data, "00ab7f");
	buf_release(&b);
}

static void buf_detach_hands_over_memory(void)
{
	struct buf b;
	size_t len;
	char *p;

	buf_init(&b, 0);
	buf_adds(&b, "keep me");
	p = buf_detach(&b, &len);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT(len == 7);
	CU_ASSERT_STRING_EQUAL(p, "keep me");
	CU_ASSERT(b.len == 0 && b.cap == 0 && b.data[0] == '\0');
	free(p);

	/* An empty buf still detaches a string the caller can free. */
	p = buf_detach(&b, NULL);
	CU_ASSERT_FATAL(p != NULL);
	CU_ASSERT(p[0] == '\0');
	free(p);
}

static void buf_released_at_arena_reset(void)
{
	struct arena *a = arena_new(0);
	struct buf b;

	CU_ASSERT_FATAL(a != NULL);
	buf_init(&b, 0);
	buf_adds(&b, "curl body");
	CU_ASSERT(buf_release_on_reset(&b, a) == 0);
	CU_ASSERT(b.cap > 0);
	arena_reset(a);
	CU_ASSERT(b.cap == 0 && b.data[0] == '\0');
	arena_free(a);
}

/* ---------------------------------------------------------------- log */

/* Runs fn with fd 2 sent to a temporary file; returns what it wrote. */
static char *capture_stderr(void (*fn)(void))
{
	static char out[4096];
	FILE *tmp = tmpfile();
	int saved = dup(2);
	ssize_t n;

	if (!tmp || saved < 0)
		return NULL;
	dup2(fileno(tmp), 2);
	fn();
	dup2(saved, 2);
	close(saved);
	lseek(fileno(tmp), 0, SEEK_SET);
	n = read(fileno(tmp), out, sizeof(out) - 1);
	fclose(tmp);
	out[n > 0 ? n : 0] = '\0';
	return out;
}

static void log_some(void)
{
	log_set_level(LOG_INFO);
	log_debug("not shown");
	log_info("user %s logged in\nforged line", "ann");
	log_set_level(LOG_WARN);
	log_info("not shown either");
	log_error("cannot open %s", "x");
	log_set_level(LOG_INFO);
}

static void log_writes_one_line_per_message(void)
{
	const char *out = capture_stderr(log_some);
	const char *second;
	enum log_level l;

	CU_ASSERT_FATAL(out != NULL);
	/* 2026-11-25T20:35:17.123Z info user ann logged in\nforged line */
	CU_ASSERT(strlen(out) > 25);
	CU_ASSERT(out[4] == '-' && out[7] == '-' && out[10] == 'T' &&
		  out[13] == ':' && out[16] == ':' && out[19] == '.' &&
		  out[23] == 'Z' && out[24] == ' ');
	CU_ASSERT(strncmp(out + 25, "info user ann logged in\\nforged line\n",
			  37) == 0);
	second = strchr(out, '\n');
	CU_ASSERT_FATAL(second != NULL);
	CU_ASSERT(strncmp(second + 1 + 25, "error cannot open x\n", 20) == 0);
	CU_ASSERT(strstr(out, "not shown") == NULL);
	CU_ASSERT(strchr(second + 1, '\n')[1] == '\0');

	CU_ASSERT(log_level_parse("warn", &l) == 0 && l == LOG_WARN);
	CU_ASSERT(log_level_parse("debug", &l) == 0 && l == LOG_DEBUG);
	CU_ASSERT(log_level_parse("WARN", &l) == -1);
	CU_ASSERT(log_level_parse("", &l) == -1);
}

/* A thousand errors of one kind, as a database outage makes: at most a
 * line a second, and the next line after that second counts the ones left
 * out, so that none goes unaccounted. */
static void log_a_storm(void)
{
	for (int i = 0; i < 1000; i++)
		log_error("request %d failed: the database is down", i);
	log_warn("another kind of line is written at once");
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	/* into the next second */
	struct timespec pause = {0, 1000000000L - now.tv_nsec + 5000000L};
	nanosleep(&pause, NULL);
	log_error("request %d failed: the database is down", 1000);
}

static void log_collapses_repeats_to_a_line_a_second(void)
{
	const char *out = capture_stderr(log_a_storm);
	CU_ASSERT_FATAL(out != NULL);
	unsigned long lines = 0, reported = 0;
	for (const char *p = out; (p = strstr(p, "failed: the database")); p++) {
		lines++;
		const char *eol = strchr(p, '\n');
		const char *more = strchr(p, '[');
		if (more && eol && more < eol) {
			CU_ASSERT(strstr(more, " more like this since ") != NULL);
			reported += strtoul(more + 1, NULL, 10);
		}
	}
	CU_ASSERT(lines >= 2 && lines <= 3); /* a second boundary may fall in */
	CU_ASSERT_EQUAL(lines + reported, 1001);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "another kind of line"));
}

/* ------------------------------------------------------------ fragcache */

/* The fragment kept for key at revision, as a string ("" on a miss). */
static const char *frag(struct fragcache *fc, struct arena *a, const char *key,
			uint64_t revision, int64_t *num)
{
	size_t len = 0;
	const char *s = fragcache_get(fc, key, revision, a, &len, num);
	CU_ASSERT(!s || strlen(s) == len);
	return s ? s : "";
}

static void fragcache_serves_a_fragment_only_at_its_revision(void)
{
	struct fragcache *fc = fragcache_new(64, 100);
	struct arena *a = arena_new(1024);
	unsigned long hits, misses;
	int64_t num = -1;

	CU_ASSERT_FATAL(fc && a);
	CU_ASSERT_STRING_EQUAL(frag(fc, a, "jobs 1", 7, &num), "");
	fragcache_put(fc, "jobs 1", 7, "<tr>one</tr>", 12, 42);
	CU_ASSERT_STRING_EQUAL(frag(fc, a, "jobs 1", 7, &num), "<tr>one</tr>");
	CU_ASSERT(num == 42);
	/* Another revision (the data changed), another key (another user or
	 * page): misses, never the kept one. */
	CU_ASSERT_STRING_EQUAL(frag(fc, a, "jobs 1", 8, &num), "");
	CU_ASSERT_STRING_EQUAL(frag(fc, a, "jobs 1", 6, &num), "");
	CU_ASSERT_STRING_EQUAL(frag(fc, a, "jobs 2", 7, &num), "");
	CU_ASSERT_STRING_EQUAL(frag(fc, a, "jobs 1 ", 7, &num), "");
	/* Rendered again at the new revision: that one is served. */
	fragcache_put(fc, "jobs 1", 8, "<tr>two</tr>", 12, 43);
	CU_ASSERT_STRING_EQUAL(frag(fc, a, "jobs 1", 8, &num), "<tr>two</tr>");
	CU_ASSERT(num == 43);
	CU_ASSERT_STRING_EQUAL(frag(fc, a, "jobs 1", 7, &num), "");
	/* An empty fragment is a fragment. */
	fragcache_put(fc, "empty", 1, "", 0, 0);
	size_t len = 99;
	CU_ASSERT(fragcache_get(fc, "empty", 1, a, &len, &num) != NULL &&
		  len == 0);
	fragcache_stats(fc, &hits, &misses);
	CU_ASSERT(hits == 3 && misses == 6);
	arena_free(a);
	fragcache_free(fc);
}

static void fragcache_is_bounded(void)
{
	struct fragcache *fc = fragcache_new(8, 100);
	struct arena *a = arena_new(1024);
	char big[101], key[16];
	int64_t num;

	CU_ASSERT_FATAL(fc && a);
	memset(big, 'x', sizeof(big));
	fragcache_put(fc, "big", 1, big, 101, 0); /* over max_len: not kept */
	CU_ASSERT_STRING_EQUAL(frag(fc, a, "big", 1, &num), "");
	fragcache_put(fc, "big", 1, big, 100, 0);
	CU_ASSERT(strlen(frag(fc, a, "big", 1, &num)) == 100);
	/* 100 keys in 8 slots: each slot keeps the last key put in it, so
	 * at most 8 are kept, and each one kept is its own. */
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		fragcache_put(fc, key, 1, key, strlen(key), i);
	}
	int kept = 0;
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		const char *s = frag(fc, a, key, 1, &num);
		if (*s) {
			kept++;
			CU_ASSERT(!strcmp(s, key) && num == i);
		}
	}
	CU_ASSERT(kept >= 1 && kept <= 8);
	CU_ASSERT(fragcache_new(0, 100) == NULL); /* no cache: */
	CU_ASSERT(fragcache_get(NULL, "k1", 1, a, &(size_t){0}, &num) == NULL);
	fragcache_put(NULL, "k1", 1, "x", 1, 0);
	arena_free(a);
	fragcache_free(fc);
}

/* Threads putting and getting the same few keys: every hit is a fragment
 * that was put for that key and revision, whole (and ASan sees no race on
 * the memory a replaced fragment had). */
static struct fragcache *shared_fc;

static void *frag_worker(void *arg)
{
	struct arena *a = arena_new(4096);
	long bad = 0, id = (long)(intptr_t)arg;
	char key[16], want[64];
	int64_t num;

	for (int i = 0; i < 20000 && a; i++) {
		int k = (int)((i + id) % 5);
		uint64_t rev = (uint64_t)(i % 3);
		snprintf(key, sizeof(key), "key%d", k);
		snprintf(want, sizeof(want), "%s at %llu ............", key,
			 (unsigned long long)rev);
		if (i % 2)
			fragcache_put(shared_fc, key, rev, want, strlen(want),
				      k);
		else {
			size_t len;
			const char *s =
			    fragcache_get(shared_fc, key, rev, a, &len, &num);
			if (s && (strcmp(s, want) || num != k))
				bad++;
		}
		if (i % 100 == 0)
			arena_reset(a);
	}
	arena_free(a);
	return (void *)(intptr_t)bad;
}

static void fragcache_is_shared_by_threads(void)
{
	pthread_t t[4];
	shared_fc = fragcache_new(2, 64);
	CU_ASSERT_FATAL(shared_fc != NULL);
	for (long i = 0; i < 4; i++)
		CU_ASSERT_FATAL(pthread_create(&t[i], NULL, frag_worker,
					       (void *)(intptr_t)i) == 0);
	for (int i = 0; i < 4; i++) {
		void *bad;
		pthread_join(t[i], &bad);
		CU_ASSERT((intptr_t)bad == 0);
	}
	unsigned long hits, misses;
	fragcache_stats(shared_fc, &hits, &misses);
	CU_ASSERT(hits + misses == 4 * 10000 && hits > 0);
	fragcache_free(shared_fc);
}

/* ---------------------------------------------------------------- util */

static bool valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

static void utf8_accepts_well_formed(void)
{
	CU_ASSERT(valid(""));
	CU_ASSERT(valid("plain ascii"));
	CU_ASSERT(valid("caf\xc3\xa9"));		   /* U+00E9 */
	CU_ASSERT(valid("\xc2\x80"));			   /* U+0080 */
	CU_ASSERT(valid("\xe0\xa0\x80"));		   /* U+0800 */
	CU_ASSERT(valid("\xed\x9f\xbf"));		   /* U+D7FF */
	CU_ASSERT(valid("\xee\x80\x80"));		   /* U+E000 */
	CU_ASSERT(valid("\xef\xbf\xbf"));		   /* U+FFFF */
	CU_ASSERT(valid("\xf0\x90\x80\x80"));		   /* U+10000 */
	CU_ASSERT(valid("\xf4\x8f\xbf\xbf"));		   /* U+10FFFF */
	CU_ASSERT(valid("\xe2\x82\xac \xf0\x9f\x98\x80")); /* euro, emoji */
	CU_ASSERT(utf8_len("caf\xc3\xa9 \xf0\x9f\x98\x80", 10) == 6);
}

static void utf8_rejects_malformed(void)
{
	CU_ASSERT(!valid("\xc0\x80"));	       /* overlong NUL */
	CU_ASSERT(!valid("\xc1\xbf"));	       /* overlong */
	CU_ASSERT(!valid("\xe0\x80\xaf"));     /* overlong '/' */
	CU_ASSERT(!valid("\xe0\x9f\xbf"));     /* overlong */
	CU_ASSERT(!valid("\xf0\x8f\xbf\xbf")); /* overlong */
	CU_ASSERT(!valid("\xed\xa0\x80"));     /* U+D800 */
	CU_ASSERT(!valid("\xed\xbf\xbf"));     /* U+DFFF */
	CU_ASSERT(!valid("\xf4\x90\x80\x80")); /* U+110000 */
	CU_ASSERT(!valid("\xf5\x80\x80\x80"));
	CU_ASSERT(!valid("\xff"));
	CU_ASSERT(!valid("\x80"));	   /* stray continuation */
	CU_ASSERT(!valid("\xc3"));	   /* truncated */
	CU_ASSERT(!valid("\xe2\x82"));	   /* truncated */
	CU_ASSERT(!valid("\xf0\x9f\x98")); /* truncated */
	CU_ASSERT(!valid("\xc3("));	   /* bad continuation */
	CU_ASSERT(!valid("ok\xe2\x82"));
	CU_ASSERT(!utf8_valid("a\0b", 3)); /* NUL */
	/* Truncation by n, not by the string's end. */
	CU_ASSERT(!utf8_valid("\xc3\xa9", 1));
}

static void parse_i64_is_strict(void)
{
	int64_t v = 7;

	CU_ASSERT(parse_i64("0", &v) == 0 && v == 0);
	CU_ASSERT(parse_i64("-0", &v) == 0 && v == 0);
	CU_ASSERT(parse_i64("42", &v) == 0 && v == 42);
	CU_ASSERT(parse_i64("-17", &v) == 0 && v == -17);
	CU_ASSERT(parse_i64("9223372036854775807", &v) == 0 && v == INT64_MAX);
	CU_ASSERT(parse_i64("-9223372036854775808", &v) == 0 && v == INT64_MIN);
	v = 7;
	CU_ASSERT(parse_i64("9223372036854775808", &v) == -1);
	CU_ASSERT(parse_i64("-9223372036854775809", &v) == -1);
	CU_ASSERT(parse_i64("99999999999999999999", &v) == -1);
	CU_ASSERT(parse_i64("", &v) == -1);
	CU_ASSERT(parse_i64("-", &v) == -1);
	CU_ASSERT(parse_i64(" 1", &v) == -1);
	CU_ASSERT(parse_i64("1 ", &v) == -1);
	CU_ASSERT(parse_i64("+1", &v) == -1);
	CU_ASSERT(parse_i64("12a", &v) == -1);
	CU_ASSERT(parse_i64("0x10", &v) == -1);
	CU_ASSERT(parse_i64("--1", &v) == -1);
	CU_ASSERT(parse_i64(NULL, &v) == -1);
	CU_ASSERT(v == 7); /* untouched on error */
}

static void str_trim_and_clocks(void)
{
	char a[] = "  \t hello world \r\n", b[] = "   ", c[] = "x";
	int64_t t0 = time_mono_us(), t1;

	CU_ASSERT_STRING_EQUAL(str_trim(a), "hello world");
	CU_ASSERT(str_trim(a) == a);
	CU_ASSERT_STRING_EQUAL(str_trim(b), "");
	CU_ASSERT_STRING_EQUAL(str_trim(c), "x");
	t1 = time_mono_us();
	CU_ASSERT(t1 >= t0);
	CU_ASSERT(time_now_ms() > INT64_C(1700000000000)); /* after 2023 */
}

/* ---------------------------------------------------------------- crypto */

static void crypto_hex_round_trip(void)
{
	unsigned char out[4];
	char hex[9];

	hex_encode((const unsigned char *)"\x01\xab\xff\x00", 4, hex);
	CU_ASSERT_STRING_EQUAL(hex, "01abff00");
	CU_ASSERT(hex_decode("01ABff00", out, 4) == 0);
	CU_ASSERT(memcmp(out, "\x01\xab\xff\x00", 4) == 0);
	CU_ASSERT(hex_decode("01abff0", out, 4) == -1);	  /* short */
	CU_ASSERT(hex_decode("01abff000", out, 4) == -1); /* long */
	CU_ASSERT(hex_decode("01abfg00", out, 4) == -1);  /* not hex */
	CU_ASSERT(hex_decode("", out, 0) == 0);
}

static void crypto_random_and_sha256(void)
{
	unsigned char a[32], b[32], d[SHA256_LEN], want[SHA256_LEN];
	char hex[2 * 40 + 1];
	size_t i;

	CU_ASSERT(crypto_random(a, sizeof(a)) == 0);
	CU_ASSERT(crypto_random(b, sizeof(b)) == 0);
	CU_ASSERT(!crypto_equal(a, b, sizeof(a)));
	CU_ASSERT(crypto_equal(a, a, sizeof(a)));
	CU_ASSERT(crypto_random_hex(hex, 40) == 0);
	CU_ASSERT(strlen(hex) == 80);
	for (i = 0; i < 80; i++)
		CU_ASSERT(strchr("0123456789abcdef", hex[i]) != NULL);

	/* FIPS 180-2 example "abc" */
	crypto_sha256("abc", 3, d);
	unhex(
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    want, sizeof(want));
	CU_ASSERT(memcmp(d, want, SHA256_LEN) == 0);
}

static void hmac_case(const char *keyhex, const char *msg, const char *mac)
{
	unsigned char key[200], out[SHA256_LEN], want[SHA256_LEN];
	size_t keylen = unhex(keyhex, key, sizeof(key));

	unhex(mac, want, sizeof(want));
	CU_ASSERT(crypto_hmac_sha256(key, keylen, msg, strlen(msg), out) == 0);
	CU_ASSERT(memcmp(out, want, SHA256_LEN) == 0);
}

static void hmac_sha256_rfc4231(void)
{
	char aa[131 * 2 + 1];

	/* Test case 1 */
	hmac_case("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
		  "b0344c61d8db38535ca8afceaf0bf12b"
		  "881dc200c9833da726e9376c2e32cff7");
	/* Test case 2: key "Jefe" */
	hmac_case("4a656665", "what do ya want for nothing?",
		  "5bdcc146bf60754e6a042426089575c7"
		  "5a003f089d2739839dec58b964ec3843");
	/* Test case 6: 131-byte key, longer than the block */
	memset(aa, 'a', sizeof(aa) - 1);
	aa[sizeof(aa) - 1] = '\0';
	hmac_case(aa, "Test Using Larger Than Block-Size Key - Hash Key First",
		  "60e431591ee0b67f0d8a26aacbf5b77f"
		  "8e0bc6213728c5140546040f0ee37f54");
}

/* RFC 5869 test case 3 (no salt, no info; the first 32 bytes of its 42),
 * and labels that differ give keys that differ. */
static void hkdf_sha256_rfc5869(void)
{
	unsigned char ikm[22], out[SHA256_LEN], want[SHA256_LEN], other[32];

	memset(ikm, 0x0b, sizeof(ikm));
	unhex("8da4e775a563c18f715f802a063c5a31"
	      "b8a11f5c5ee1879ec3454e5f3c738d2d",
	      want, sizeof(want));
	CU_ASSERT(crypto_derive_key(ikm, sizeof(ikm), "", out) == 0);
	CU_ASSERT(memcmp(out, want, SHA256_LEN) == 0);
	CU_ASSERT(crypto_derive_key(ikm, sizeof(ikm), "a", out) == 0);
	CU_ASSERT(crypto_derive_key(ikm, sizeof(ikm), "b", other) == 0);
	CU_ASSERT(memcmp(out, other, SHA256_LEN) != 0);
}

/*
 * McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", test
 * cases 14 and 16 (AES-256; 16 adds additional data and a 60-byte text).
 */
static void aes_gcm_known_answers(void)
{
	unsigned char key[32], iv[12], pt[64], aad[20], want_ct[64],
	    want_tag[16], ct[64], tag[16];
	size_t ptlen, aadlen;

	/* Test case 14 */
	memset(key, 0, sizeof(key));
	memset(iv, 0, sizeof(iv));
	memset(pt, 0, 16);
	unhex("cea7403d4d606b6e074ec5d3baf39d18", want_ct, sizeof(want_ct));
	unhex("d0d1c8a799996bf0265b98b5d48ab919", want_tag, sizeof(want_tag));
	CU_ASSERT(aes_gcm_encrypt_iv(key, iv, 12, NULL, 0, pt, 16, ct, tag) ==
		  0);
	CU_ASSERT(memcmp(ct, want_ct, 16) == 0);
	CU_ASSERT(memcmp(tag, want_tag, 16) == 0);

	/* Test case 16 */
	unhex("feffe9928665731c6d6a8f9467308308"
	      "feffe9928665731c6d6a8f9467308308",
	      key, sizeof(key));
	unhex("cafebabefacedbaddecaf888", iv, sizeof(iv));
	ptlen = unhex("d9313225f88406e5a55909c5aff5269a"
		      "86a7a9531534f7da2e4c303d8a318a72"
		      "1c3c0c95956809532fcf0e2449a6b525"
		      "b16aedf5aa0de657ba637b39",
		      pt, sizeof(pt));
	aadlen =
	    unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad, sizeof(aad));
	unhex("522dc1f099567d07f47f37a32a84427d"
	      "643a8cdcbfe5c0c97598a2bd2555d1aa"
	      "8cb08e48590dbb3da7b08b1056828838"
	      "c5f61e6393ba7a0abcc9f662",
	      want_ct, sizeof(want_ct));
	unhex("76fc6ece0f4e1768cddf8853bb2d551b", want_tag, sizeof(want_tag));
	CU_ASSERT(ptlen == 60 && aadlen == 20);
	CU_ASSERT(aes_gcm_encrypt_iv(key, iv, 12, aad, aadlen, pt, ptlen, ct,
				     tag) == 0);
	CU_ASSERT(memcmp(ct, want_ct, ptlen) == 0);
	CU_ASSERT(memcmp(tag, want_tag, 16) == 0);
}

static void aes_gcm_seal_open_and_tamper(void)
{
	static const char msg[] = "linkedin access token";
	static const char aad[] = "user:42";
	enum { N = sizeof(msg) - 1 };
	unsigned char key[AES_KEY_LEN], key2[AES_KEY_LEN];
	unsigned char sealed[N + GCM_OVERHEAD], sealed2[N + GCM_OVERHEAD];
	unsigned char copy[N + GCM_OVERHEAD], out[N];

	CU_ASSERT_FATAL(crypto_random(key, sizeof(key)) == 0);
	CU_ASSERT(aes_gcm_seal(key, aad, strlen(aad), msg, N, sealed) == 0);
	CU_ASSERT(aes_gcm_open(key, aad, strlen(aad), sealed, sizeof(sealed),
			       out) == 0);
	CU_ASSERT(memcmp(out, msg, N) == 0);

	/* A fresh IV each time. */
	CU_ASSERT(aes_gcm_seal(key, aad, strlen(aad), msg, N, sealed2) == 0);
	CU_ASSERT(memcmp(sealed, sealed2, GCM_IV_LEN) != 0);

	/* A flipped ciphertext byte. */
	memcpy(copy, sealed, sizeof(copy));
	copy[GCM_IV_LEN + 3] ^= 1;
	memset(out, 'z', sizeof(out));
	CU_ASSERT(
	    aes_gcm_open(key, aad, strlen(aad), copy, sizeof(copy), out) == -1);
	CU_ASSERT(memchr(out, 'l', sizeof(out)) == NULL); /* wiped */
	/* A flipped tag byte. */
	memcpy(copy, sealed, sizeof(copy));
	copy[sizeof(copy) - 1] ^= 0x80;
	CU_ASSERT(
	    aes_gcm_open(key, aad, strlen(aad), copy, sizeof(copy), out) == -1);
	/* A flipped IV byte. */
	memcpy(copy, sealed, sizeof(copy));
	copy[0] ^= 1;
	CU_ASSERT(
	    aes_gcm_open(key, aad, strlen(aad), copy, sizeof(copy), out) == -1);
	/* Other additional data, or none. */
	CU_ASSERT(
	    aes_gcm_open(key, "user:43", 7, sealed, sizeof(sealed), out) == -1);
	CU_ASSERT(aes_gcm_open(key, NULL, 0, sealed, sizeof(sealed), out) ==
		  -1);
	/* Another key. */
	memcpy(key2, key, sizeof(key));
	key2[0] ^= 1;
	CU_ASSERT(aes_gcm_open(key2, aad, strlen(aad), sealed, sizeof(sealed),
			       out) == -1);
	/* Too short to hold IV and tag. */
	CU_ASSERT(aes_gcm_open(key, aad, strlen(aad), sealed, GCM_OVERHEAD - 1,
			       out) == -1);

	/* Empty plaintext, no aad. */
	CU_ASSERT(aes_gcm_seal(key, NULL, 0, "", 0, sealed) == 0);
	CU_ASSERT(aes_gcm_open(key, NULL, 0, sealed, GCM_OVERHEAD, out) == 0);
}

static void argon2id_hash_and_verify(void)
{
	char hash[PASSWORD_HASH_MAX], hash2[PASSWORD_HASH_MAX];

	password_set_cost(1, 256);
	CU_ASSERT_FATAL(password_hash("correct horse", hash) == 0);
	CU_ASSERT(strncmp(hash, "$argon2id$v=19$m=256,t=1,p=1$", 29) == 0);
	CU_ASSERT(password_verify(hash, "correct horse") == 1);
	CU_ASSERT(password_verify(hash, "correct horsf") == 0);
	CU_ASSERT(password_verify(hash, "") == 0);
	/* Salted: the same password hashes differently. */
	CU_ASSERT(password_hash("correct horse", hash2) == 0);
	CU_ASSERT(strcmp(hash, hash2) != 0);
	CU_ASSERT(password_verify(hash2, "correct horse") == 1);

	CU_ASSERT(password_verify("not a hash", "x") == -1);
	CU_ASSERT(password_verify("", "x") == -1);
	CU_ASSERT(password_verify("$argon2id$v=19$m=256,t=1,p=1$AAAA", "x") ==
		  -1);
	hash[5] = 'x'; /* "$argon2xd$..." */
	CU_ASSERT(password_verify(hash, "correct horse") == -1);
	CU_ASSERT(password_verify(NULL, "x") == -1);
}

/* The password slots: taken until none is free, then a take with a
 * deadline gives up at it, and a slot given back can be taken again. */
static void password_slots_give_up_at_the_deadline(void)
{
	int taken = 0;
	while (taken < 64 && password_slot_take(time_mono_us() - 1))
		taken++;
	CU_ASSERT_FATAL(taken >= 1 && taken < 64);
	int64_t t0 = time_mono_us();
	CU_ASSERT(!password_slot_take(t0 + 30000));
	int64_t waited = time_mono_us() - t0;
	CU_ASSERT(waited >= 25000);
	CU_ASSERT(!password_slot_take(time_mono_us() - 1));
	password_slot_give();
	CU_ASSERT(password_slot_take(time_mono_us() + 1000000));
	char hash[PASSWORD_HASH_MAX];
	password_set_cost(1, 256);
	/* the holder checks without waiting for itself */
	password_slot_give();
	CU_ASSERT_FATAL(password_hash("pw", hash) == 0);
	CU_ASSERT(password_slot_take(time_mono_us()));
	CU_ASSERT(password_verify_in_slot(hash, "pw") == 1);
	CU_ASSERT(password_verify_in_slot(hash, "px") == 0);
	while (taken-- > 0)
		password_slot_give();
}

/* ---------------------------------------------------------------- config */

static const char key64[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static void config_defaults_are_documented_values(void)
{
	struct config c;
	char err[256] = "";

	CU_ASSERT_FATAL(config_parse(&c, "empty.conf", "", err, sizeof(err)) ==
			0);
	CU_ASSERT_STRING_EQUAL(c.listen, "var/run/hirelink.sock");
	CU_ASSERT(c.threads == 8);
	CU_ASSERT_STRING_EQUAL(c.public_base_url, "http://127.0.0.1:8080");
	CU_ASSERT_STRING_EQUAL(c.templates_dir, "templates");
	CU_ASSERT_STRING_EQUAL(c.log_level, "info");
	CU_ASSERT(!c.secret_key_set);
	CU_ASSERT(c.max_body_bytes == 1048576);
	CU_ASSERT(c.max_upload_bytes == 10485760);
	CU_ASSERT(c.max_fields == 256 && c.max_field_bytes == 524288);
	CU_ASSERT(c.session_idle_minutes == 120);
	CU_ASSERT(c.session_absolute_hours == 12);
	CU_ASSERT(c.login_max_failures == 10 && c.login_window_seconds == 300);
	CU_ASSERT(c.login_address_max_failures == 100);
	CU_ASSERT(c.login_delay_after_failures == 10);
	CU_ASSERT(c.password_t_cost == 2 && c.password_m_cost_kib == 19456);
	CU_ASSERT_STRING_EQUAL(c.metrics_token, "");
	CU_ASSERT_STRING_EQUAL(c.db_host, "");
	CU_ASSERT(c.db_port == 3306);
	CU_ASSERT_STRING_EQUAL(c.db_user, "hirelink");
	CU_ASSERT_STRING_EQUAL(c.db_name, "hirelink");
	CU_ASSERT_STRING_EQUAL(c.linkedin_api_base, "https://api.linkedin.com");
	CU_ASSERT(c.linkedin_connect_timeout_ms == 1000);
	CU_ASSERT(c.linkedin_timeout_ms == 3000);
	CU_ASSERT_STRING_EQUAL(c.sandbox_listen, "var/run/sandbox.sock");
	CU_ASSERT_STRING_EQUAL(c.sandbox_db_name, "linkedin_sandbox");
	CU_ASSERT(c.sandbox_seed == 42 && c.sandbox_members == 5000);
	config_free(&c);
	CU_ASSERT(c.listen == NULL);
	config_free(&c); /* twice is harmless */

	/* config_defaults alone gives the same and needs no free. */
	config_defaults(&c);
	CU_ASSERT(c.threads == 8);
	CU_ASSERT_STRING_EQUAL(c.sandbox_listen, "var/run/sandbox.sock");
	config_free(&c);
}

static void config_overrides_and_comments(void)
{
	struct config c;
	char err[256] = "", text[512];

	snprintf(text, sizeof(text),
		 "# hirelink test configuration\n"
		 "\n"
		 "   threads = 4\n"
		 "\tlisten=127.0.0.1:9000  \r\n"
		 "  # indented comment\n"
		 "db_password = p#ss word\n"
		 "db_host =\n"
		 "sandbox_seed = 9000000000\n"
		 "metrics_token = 0123456789abcdef0123456789abcdef\n"
		 "log_level = debug\n"
		 "secret_key = %s",
		 key64); /* no final newline */
	CU_ASSERT_FATAL(config_parse(&c, "t.conf", text, err, sizeof(err)) ==
			0);
	CU_ASSERT(c.threads == 4);
	CU_ASSERT_STRING_EQUAL(c.listen, "127.0.0.1:9000");
	CU_ASSERT_STRING_EQUAL(c.db_password, "p#ss word");
	CU_ASSERT_STRING_EQUAL(c.db_host, "");
	CU_ASSERT(c.sandbox_seed == 9000000000L);
	CU_ASSERT_STRING_EQUAL(c.metrics_token,
			       "0123456789abcdef0123456789abcdef");
	CU_ASSERT_STRING_EQUAL(c.log_level, "debug");
	CU_ASSERT(c.secret_key_set);
	CU_ASSERT(c.secret_key[0] == 0x00 && c.secret_key[31] == 0x1f);
	/* the CSRF key is its own, derived from secret_key */
	unsigned char csrf_key[SHA256_LEN];
	CU_ASSERT(crypto_derive_key(c.secret_key, AES_KEY_LEN,
				    "hirelink sign-in form csrf",
				    csrf_key) == 0);
	CU_ASSERT(memcmp(c.csrf_key, csrf_key, SHA256_LEN) == 0);
	CU_ASSERT(memcmp(c.csrf_key, c.secret_key, SHA256_LEN) != 0);
	CU_ASSERT_STRING_EQUAL(c.db_user, "hirelink"); /* untouched default */
	config_free(&c);
	CU_ASSERT(!c.secret_key_set && c.secret_key[31] == 0);
	CU_ASSERT(c.csrf_key[0] == 0 && c.csrf_key[31] == 0);
}

/* Parses text, expects failure and an error containing each of want[]. */
static void config_fails(const char *text, const char *want1, const char *want2)
{
	struct config c;
	char err[256] = "";

	CU_ASSERT(config_parse(&c, "bad.conf", text, err, sizeof(err)) == -1);
	if (!strstr(err, want1) || (want2 && !strstr(err, want2)))
		fprintf(stderr, "\n  unexpected error: %s\n", err);
	CU_ASSERT(strstr(err, want1) != NULL);
	CU_ASSERT(!want2 || strstr(err, want2) != NULL);
	/* Left at the defaults, owning nothing. */
	CU_ASSERT(c.threads == 8);
	CU_ASSERT_STRING_EQUAL(c.listen, "var/run/hirelink.sock");
	config_free(&c);
}

static void config_errors_name_file_line_and_key(void)
{
	char text[256];

	config_fails("threads = 4\n\nfoo = 1\n",
		     "bad.conf:3: unknown key 'foo'", NULL);
	config_fails("listen = a\nthreads = 2\nlisten = b\n",
		     "bad.conf:3: duplicate key 'listen'", NULL);
	config_fails("threads = 0\n",
		     "bad.conf:1: threads: expected an integer between 1 and "
		     "256",
		     NULL);
	config_fails("threads = 257\n", "bad.conf:1: threads:", NULL);
	config_fails("threads = 4x\n", "bad.conf:1: threads:", NULL);
	config_fails("threads = \n", "bad.conf:1: threads:", NULL);
	config_fails("session_idle_minutes = 0\n",
		     "bad.conf:1: session_idle_minutes:", NULL);
	config_fails("# c\nthreads 4\n", "bad.conf:2: expected 'key = value'",
		     NULL);
	config_fails("= 4\n", "bad.conf:1: expected 'key = value'", NULL);
	/* /metrics trusts no address any more: the old key stops start-up. */
	config_fails("metrics_allow = loopback\n",
		     "bad.conf:1: unknown key 'metrics_allow'", NULL);
	config_fails("metrics_token = short\n",
		     "bad.conf:1: metrics_token: expected at least 32", NULL);
	config_fails("metrics_token = 0123456789abcdef 0123456789abcdef\n",
		     "bad.conf:1: metrics_token: expected at least 32", NULL);
	config_fails("log_level = loud\n", "bad.conf:1: log_level:", NULL);

	/* A secret key of the wrong length or not hex; never echoed. */
	config_fails("secret_key = 0011\n", "bad.conf:1: secret_key:", "64");
	snprintf(text, sizeof(text), "secret_key = %s00\n", key64);
	config_fails(text, "bad.conf:1: secret_key:", NULL);
	snprintf(text, sizeof(text), "secret_key = %.63sg\n", key64);
	config_fails(text, "bad.conf:1: secret_key:", NULL);

	/* Earlier good lines are undone: strings set before the error are
	 * freed (ASan would report a leak otherwise). */
	config_fails("listen = x\ndb_user = y\nbogus = 1\n",
		     "bad.conf:3: unknown key 'bogus'", NULL);
}

static void config_load_reads_a_file(void)
{
	char path[] = "/tmp/test_core_XXXXXX";
	char err[256] = "";
	struct config c;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs("threads = 3\nsandbox_members = 10\n", f);
	fclose(f);
	CU_ASSERT(config_load(&c, path, err, sizeof(err)) == 0);
	CU_ASSERT(c.threads == 3 && c.sandbox_members == 10);
	config_free(&c);

	f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs("threads = 3\nnope = 1\n", f);
	fclose(f);
	CU_ASSERT(config_load(&c, path, err, sizeof(err)) == -1);
	CU_ASSERT(strstr(err, ":2: unknown key 'nope'") != NULL);
	CU_ASSERT(strncmp(err, path, strlen(path)) == 0);
	unlink(path);

	CU_ASSERT(config_load(&c, "/nonexistent/hirelink.conf", err,
			      sizeof(err)) == -1);
	CU_ASSERT(strstr(err, "/nonexistent/hirelink.conf") != NULL);
	config_free(&c);
}

/* Writes text to a new temporary file of the given mode; its path into
 * path (a mkstemp template). */
static void write_mode_file(char *path, const char *text, mode_t mode)
{
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	CU_ASSERT_FATAL(fchmod(fd, mode) == 0);
	close(fd);
}

/* The AES key's file, the config itself or secret_key_file, is readable
 * by its owner only, or hirelink does not start. */
static void config_secret_key_file_mode_checked(void)
{
	char keyp[] = "/tmp/test_core_key_XXXXXX";
	char confp[] = "/tmp/test_core_conf_XXXXXX";
	char err[512] = "", text[512];
	struct config c;

	/* a key file of mode 0600: read, blanks and newline trimmed */
	snprintf(text, sizeof(text), "  %s\n", key64);
	write_mode_file(keyp, text, 0600);
	snprintf(text, sizeof(text), "secret_key_file = %s\n", keyp);
	write_mode_file(confp, text, 0644); /* holds no secret: may be 0644 */
	CU_ASSERT_FATAL(config_load(&c, confp, err, sizeof(err)) == 0);
	CU_ASSERT(c.secret_key_set);
	CU_ASSERT(c.secret_key[0] == 0x00 && c.secret_key[31] == 0x1f);
	config_free(&c);

	/* group-readable: refused, naming the file and the fix */
	CU_ASSERT_FATAL(chmod(keyp, 0640) == 0);
	CU_ASSERT(config_load(&c, confp, err, sizeof(err)) == -1);
	CU_ASSERT(strstr(err, keyp) != NULL);
	CU_ASSERT(strstr(err, "mode 0640") != NULL);
	CU_ASSERT(strstr(err, "chmod 600") != NULL);
	CU_ASSERT(!c.secret_key_set);
	config_free(&c);

	/* not hex: refused without echoing the content */
	CU_ASSERT_FATAL(chmod(keyp, 0400) == 0);
	CU_ASSERT_FATAL(truncate(keyp, 10) == 0);
	CU_ASSERT(config_load(&c, confp, err, sizeof(err)) == -1);
	CU_ASSERT(strstr(err, "64 hex digits") != NULL);
	config_free(&c);
	unlink(confp);

	/* both set: refused */
	strcpy(confp, "/tmp/test_core_conf_XXXXXX");
	snprintf(text, sizeof(text), "secret_key = %s\nsecret_key_file = %s\n",
		 key64, keyp);
	write_mode_file(confp, text, 0600);
	CU_ASSERT(config_load(&c, confp, err, sizeof(err)) == -1);
	CU_ASSERT(strstr(err, "both set") != NULL);
	config_free(&c);

	/* the key in a world-readable config file: refused */
	CU_ASSERT_FATAL(chmod(confp, 0604) == 0);
	snprintf(text, sizeof(text), "secret_key = %s\n", key64);
	CU_ASSERT_FATAL(truncate(confp, 0) == 0);
	FILE *f = fopen(confp, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs(text, f);
	fclose(f);
	CU_ASSERT(config_load(&c, confp, err, sizeof(err)) == -1);
	CU_ASSERT(strstr(err, "mode 0604") != NULL);
	config_free(&c);
	CU_ASSERT_FATAL(chmod(confp, 0600) == 0);
	CU_ASSERT(config_load(&c, confp, err, sizeof(err)) == 0);
	CU_ASSERT(c.secret_key_set);
	config_free(&c);
	unlink(confp);
	unlink(keyp);
}

static void config_doc_lists_every_key(void)
{
	struct buf b = BUF_INIT;
	char cell[64];
	size_t i;

	config_doc_markdown(&b);
	CU_ASSERT_FATAL(!buf_failed(&b));
	CU_ASSERT(strncmp(b.data, "| key | default | meaning |", 27) == 0);
	CU_ASSERT(config_nkeys >= 36);
	for (i = 0; i < config_nkeys; i++) {
		snprintf(cell, sizeof(cell), "| `%s` |", config_keys[i].name);
		CU_ASSERT(strstr(b.data, cell) != NULL);
		CU_ASSERT(config_keys[i].doc && config_keys[i].doc[0]);
	}
	CU_ASSERT(strstr(b.data, "| `threads` | `8` |") != NULL);
	CU_ASSERT(strstr(b.data, "| `secret_key` | (unset) |") != NULL);
	buf_release(&b);
}

/* ---------------------------------------------------------------- main */

static const struct test arena_tests[] = {
    TEST(arena_allocations_are_aligned_and_distinct),
    TEST(arena_large_allocation_gets_own_block),
    TEST(arena_calloc_strdup_printf),
    TEST(arena_grow_doubles_and_keeps),
    TEST(arena_reset_runs_cleanups_lifo),
    TEST(arena_failure_injection),
};
static const struct test buf_tests[] = {
    TEST(buf_grows_and_stays_terminated),
    TEST(buf_max_is_a_sticky_error),
    TEST(buf_addf_formats),
    TEST(buf_escapes_html),
    TEST(buf_escapes_url),
    TEST(buf_detach_hands_over_memory),
    TEST(buf_released_at_arena_reset),
};
static const struct test log_tests[] = {
    TEST(log_writes_one_line_per_message),
    TEST(log_collapses_repeats_to_a_line_a_second),
};
static const struct test util_tests[] = {
    TEST(utf8_accepts_well_formed),
    TEST(utf8_rejects_malformed),
    TEST(parse_i64_is_strict),
    TEST(str_trim_and_clocks),
};
static const struct test fragcache_tests[] = {
    TEST(fragcache_serves_a_fragment_only_at_its_revision),
    TEST(fragcache_is_bounded),
    TEST(fragcache_is_shared_by_threads),
};
static const struct test crypto_tests[] = {
    TEST(crypto_hex_round_trip),    TEST(crypto_random_and_sha256),
    TEST(hmac_sha256_rfc4231),	    TEST(hkdf_sha256_rfc5869),
    TEST(aes_gcm_known_answers),    TEST(aes_gcm_seal_open_and_tamper),
    TEST(argon2id_hash_and_verify),
    TEST(password_slots_give_up_at_the_deadline),
};
static const struct test config_tests[] = {
    TEST(config_defaults_are_documented_values),
    TEST(config_overrides_and_comments),
    TEST(config_errors_name_file_line_and_key),
    TEST(config_load_reads_a_file),
    TEST(config_secret_key_file_mode_checked),
    TEST(config_doc_lists_every_key),
};

int main(void)
{
	static const struct suite suites[] = {
	    SUITE("arena", NULL, NULL, arena_tests),
	    SUITE("buf", NULL, NULL, buf_tests),
	    SUITE("log", NULL, NULL, log_tests),
	    SUITE("fragcache", NULL, NULL, fragcache_tests),
	    SUITE("util", NULL, NULL, util_tests),
	    SUITE("crypto", NULL, NULL, crypto_tests),
	    SUITE("config", NULL, NULL, config_tests),
	};

	return suite_run(suites, ARRAY_LEN(suites));
}
