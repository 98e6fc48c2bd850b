/*
 * check.c - see check.h.
 */
#include <stdint.h>
#include <string.h>

#include "ats/check.h"

int ats_fail(struct ats_error *err, int rc, const char *field,
	     const char *message)
{
	if (err) {
		err->field = field;
		err->message = message;
	}
	return rc;
}

/* s (n bytes) is valid UTF-8 of min..max characters and has no control
 * character but those in allowed. */
static bool text_ok(const char *s, size_t min, size_t max, const char *allowed)
{
	size_t n = strlen(s);
	if (!utf8_valid(s, n))
		return false;
	size_t chars = utf8_len(s, n);
	if (chars < min || chars > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x20 && !strchr(allowed, ch)) || ch == 0x7f)
			return false;
	}
	return true;
}

/* The code point at *p (valid UTF-8), *p moved past it. */
static uint32_t next_cp(const char **p)
{
	const unsigned char *u = (const unsigned char *)*p;
	uint32_t cp;
	int n;
	if (u[0] < 0x80)
		cp = u[0], n = 1;
	else if (u[0] < 0xe0)
		cp = u[0] & 0x1f, n = 2;
	else if (u[0] < 0xf0)
		cp = u[0] & 0x0f, n = 3;
	else
		cp = u[0] & 0x07, n = 4;
	for (int i = 1; i < n; i++)
		cp = cp << 6 | (u[i] & 0x3f);
	*p += n;
	return cp;
}

/* C1 controls (U+0085 among them), the line and paragraph separators and
 * the direction controls (embeddings, overrides, isolates): in one line
 * of text they break it, or reorder what is shown around them
 * ("résumé<U+202E>fdp.exe" shows as "résuméexe.pdf"). */
static bool disguising(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Spaces and characters that show nothing. */
static bool invisible(uint32_t cp)
{
	return cp == ' ' || cp == 0xa0 || cp == 0xad || cp == 0x34f ||
	       cp == 0x115f || cp == 0x1160 || cp == 0x180e ||
	       (cp >= 0x2000 && cp <= 0x200f) || cp == 0x202f ||
	       (cp >= 0x205f && cp <= 0x2064) || cp == 0x3000 ||
	       cp == 0x3164 || cp == 0xfeff || cp == 0xffa0;
}

void ats_line_disarm(char *s, char with)
{
	char *w = s;
	for (const char *p = s; *p;) {
		const char *start = p;
		if (disguising(next_cp(&p)))
			*w++ = with;
		else
			while (start < p)
				*w++ = *start++;
	}
	*w = '\0';
}

const char *ats_line_problem(const char *s)
{
	s = s ? s : "";
	if (!utf8_valid(s, strlen(s)))
		return "is not valid UTF-8";
	bool visible = !*s;
	for (const char *p = s; *p;) {
		uint32_t cp = next_cp(&p);
		if (cp < 0x20 || cp == 0x7f)
			return "must be one line, without control characters";
		if (disguising(cp))
			return "must not contain line separators or direction "
			       "controls (such as U+202E), which disguise text";
		visible = visible || !invisible(cp);
	}
	return visible ? NULL : "must contain a visible character";
}

bool ats_line_valid(const char *s, size_t min, size_t max)
{
	return text_ok(s ? s : "", min, max, "") && !ats_line_problem(s);
}

int ats_line_check(struct ats_error *err, const char *field, const char *s,
		   size_t min, size_t max, const char *length_message)
{
	const char *problem = ats_line_problem(s);
	if (problem)
		return ats_invalid(err, field, problem);
	if (!text_ok(s ? s : "", min, max, ""))
		return ats_invalid(err, field, length_message);
	return DB_OK;
}

bool ats_text_valid(const char *s, size_t min, size_t max)
{
	return text_ok(s ? s : "", min, max, "\t\r\n");
}

const char *ats_line_cut(struct arena *a, const char *s, size_t max)
{
	if (!s || !utf8_valid(s, strlen(s)))
		return "";
	char *t = arena_strdup(a, s);
	if (!t)
		return NULL;
	for (char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	ats_line_disarm(t, ' ');
	t = str_trim(t);
	/* cut after max characters: at the start of character max + 1 */
	size_t chars = 0;
	for (char *p = t; *p; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		if (chars++ == max) {
			*p = '\0';
			break;
		}
	}
	return str_trim(t);
}

int ats_txn_end(struct db *db, int rc)
{
	if (rc == DB_OK)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

const char *ats_like_contains(struct arena *a, const char *q)
{
	struct buf b = BUF_INIT;
	buf_addc(&b, '%');
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *p);
	}
	buf_addc(&b, '%');
	const char *s = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
	buf_release(&b);
	return s;
}
