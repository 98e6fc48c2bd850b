/*
 * util.c - clocks, UTF-8 checking, strict integer parsing, hex digits,
 * trimming.
 *
 * utf8_valid() is the gate every piece of user text passes before it is
 * stored or echoed, so it follows RFC 3629 to the letter (the table in its
 * section 4): overlong forms, UTF-16 surrogates and code points above
 * U+10FFFF are rejected because other software decodes them leniently and
 * they are the classic way to smuggle '<' or '/' past a filter.  NUL is
 * rejected too: a C string would end there while the database kept going.
 *
 * parse_i64() exists because strtol accepts leading blanks, a '+', trailing
 * junk and silently saturates; a form field or a config value that is not
 * exactly a number must be refused.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

int64_t time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static bool is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/*
 * The length of the sequence that lead byte c starts (0 for none: C0, C1
 * and F5..FF never start one), and the range its second byte must be in,
 * which is what rules out overlongs (E0, F0), surrogates (ED) and code
 * points above U+10FFFF (F4).
 */
static size_t utf8_lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
	*hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

bool utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len, k;
	unsigned char lo, hi;

	while (i < n) {
		if (s[i] == 0)
			return false;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		len = utf8_lead(s[i], &lo, &hi);
		if (len == 0 || n - i < len || s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (k = 2; k < len; k++)
			if (!is_cont(s[i + k]))
				return false;
		i += len;
	}
	return true;
}

size_t utf8_len(const char *s, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (!is_cont((unsigned char)s[i]))
			count++;
	return count;
}

/*
 * Accumulates as a negative number so INT64_MIN, whose magnitude has no
 * positive int64, parses too.
 */
int parse_i64(const char *s, int64_t *out)
{
	bool neg = false;
	int64_t v = 0;
	int d;

	if (!s)
		return -1;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		d = *s - '0';
		if (v < (INT64_MIN + d) / 10)
			return -1;
		v = v * 10 - d;
	}
	if (!neg) {
		if (v == INT64_MIN)
			return -1;
		v = -v;
	}
	*out = v;
	return 0;
}

int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

char *str_trim(char *s)
{
	size_t start = 0, end;

	if (!s)
		return NULL;
	end = strlen(s);
	while (start < end && is_space(s[start]))
		start++;
	while (end > start && is_space(s[end - 1]))
		end--;
	if (start)
		memmove(s, s + start, end - start);
	s[end - start] = '\0';
	return s;
}
