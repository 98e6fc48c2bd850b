/*
 * check.c - see check.h.
 */
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

bool ats_line_valid(const char *s, size_t min, size_t max)
{
	return text_ok(s ? s : "", min, max, "");
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
