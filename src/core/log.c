/*
 * log.c - one line per event on stderr, which nginx/systemd/the test runner
 * collect.
 *
 * Each line is "2026-11-25T20:35:17.123Z level message", built on the stack
 * and handed to a single write(2), so lines from worker threads never
 * interleave (stderr is unbuffered but stdio would still split a line into
 * several writes).  The line is built without malloc so logging still works
 * when memory has run out, which is exactly when it is needed; an overlong
 * message is cut and marked with "...".
 *
 * Control characters in the message are escaped: messages quote user input
 * (paths, e-mail addresses, upstream errors) and a raw newline would let a
 * request forge a log line.
 *
 * Warnings and errors of one kind (one format string) are written at most
 * once a second: while MariaDB is down every request would otherwise log
 * two lines.  The next one written after that second says how many like it
 * were left out ("[N more like this since ...]").
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"

#define LOG_MSG_MAX 2048
/* timestamp + level + every message byte escaped as \xHH + marker + \n */
#define LOG_LINE_MAX (64 + 4 * LOG_MSG_MAX + 8 + 64) /* + "[N more like this...]" */

/* Set once at start-up; atomic only so a late change is not a data race. */
static atomic_int log_min = LOG_INFO;

static const char *const level_words[] = {
    [LOG_DEBUG] = "debug",
    [LOG_INFO] = "info",
    [LOG_WARN] = "warn",
    [LOG_ERROR] = "error",
};

void log_set_level(enum log_level l)
{
	atomic_store_explicit(&log_min, (int)l, memory_order_relaxed);
}

int log_level_parse(const char *word, enum log_level *out)
{
	size_t i;

	if (!word)
		return -1;
	for (i = 0; i < ARRAY_LEN(level_words); i++) {
		if (strcmp(level_words[i], word) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/* Appends c to line at *len, escaping controls; line has room (see max). */
static void put_escaped(char *line, size_t *len, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = *len;

	if (c == '\n') {
		line[n++] = '\\';
		line[n++] = 'n';
	} else if (c == '\r') {
		line[n++] = '\\';
		line[n++] = 'r';
	} else if (c == '\t' || (c >= 0x20 && c != 0x7f)) {
		line[n++] = (char)c;
	} else {
		line[n++] = '\\';
		line[n++] = 'x';
		line[n++] = hex[c >> 4];
		line[n++] = hex[c & 15];
	}
	*len = n;
}

/* The kinds of warning and error lines lately written: a small table by
 * format string, each with the second it was last written in and how many
 * were left out since. */
#define KINDS 32
static struct kind {
	const char *fmt;
	time_t second;
	unsigned long left_out;
	time_t left_since;
} kinds[KINDS];
static pthread_mutex_t kinds_mu = PTHREAD_MUTEX_INITIALIZER;

/* Whether a line of fmt may be written at now; if so, how many like it
 * were left out before it (and since when) into *left_out, *since. */
static bool kind_may_write(const char *fmt, time_t now,
			   unsigned long *left_out, time_t *since)
{
	size_t slot = ((uintptr_t)fmt >> 4) % KINDS;
	bool ok;

	pthread_mutex_lock(&kinds_mu);
	struct kind *k = &kinds[slot];
	if (k->fmt != fmt) {
		/* another kind in the slot: this one starts afresh */
		*k = (struct kind){.fmt = fmt, .second = now};
		ok = true;
		*left_out = 0;
	} else if (k->second != now) {
		ok = true;
		*left_out = k->left_out;
		*since = k->left_since;
		k->second = now;
		k->left_out = 0;
	} else {
		ok = false;
		if (k->left_out++ == 0)
			k->left_since = now;
	}
	pthread_mutex_unlock(&kinds_mu);
	return ok;
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	char msg[LOG_MSG_MAX];
	char line[LOG_LINE_MAX];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t len, i, mlen;
	int n;
	bool cut;
	ssize_t w;

	if ((int)l < atomic_load_explicit(&log_min, memory_order_relaxed))
		return;
	if ((unsigned)l >= ARRAY_LEN(level_words))
		l = LOG_ERROR;
	clock_gettime(CLOCK_REALTIME, &ts);
	unsigned long left_out = 0;
	time_t since = 0;
	if (l >= LOG_WARN && !kind_may_write(fmt, ts.tv_sec, &left_out, &since))
		return;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0) {
		msg[0] = '\0';
		n = 0;
	}
	cut = (size_t)n >= sizeof(msg);
	mlen = cut ? sizeof(msg) - 1 : (size_t)n;
	/* A trailing newline from the caller would be escaped; drop it. */
	while (mlen > 0 && msg[mlen - 1] == '\n')
		mlen--;

	gmtime_r(&ts.tv_sec, &tm);
	len = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line + len, sizeof(line) - len, ".%03ldZ %s ",
		     ts.tv_nsec / 1000000L, level_words[l]);
	if (n > 0)
		len += (size_t)n;

	for (i = 0; i < mlen; i++)
		put_escaped(line, &len, (unsigned char)msg[i]);
	if (cut) {
		memcpy(line + len, "...", 3);
		len += 3;
	}
	if (left_out) {
		struct tm st;
		char at[16];
		gmtime_r(&since, &st);
		strftime(at, sizeof(at), "%H:%M:%SZ", &st);
		n = snprintf(line + len, sizeof(line) - len - 1,
			     " [%lu more like this since %s]", left_out, at);
		if (n > 0 && (size_t)n < sizeof(line) - len - 1)
			len += (size_t)n;
	}
	line[len++] = '\n';

	do
		w = write(STDERR_FILENO, line, len);
	while (w < 0 && errno == EINTR);
}
