/*
 * buf.c - struct buf, the one growable string type (git's strbuf).
 *
 * Every append goes through buf_grow(), which is the only place that
 * decides about memory: it doubles the capacity, honours the optional
 * maximum and records a sticky error instead of failing loudly, so a page
 * or a curl body can be built with dozens of appends and checked once with
 * buf_failed() (SQLite's sqlite3_str).  After an error the content written
 * so far stays valid and NUL-terminated; further appends are ignored.
 *
 * An empty buf owns no memory (cap == 0) and points at a static "", so
 * b->data is always a valid C string.
 *
 * The escapers live here rather than in the template engine because
 * handlers, the JSON writer and the LinkedIn client all need them; each
 * escapes for exactly one context (cgit's html_txt / html_url_arg).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define BUF_MIN_CAP 64

static char buf_empty[1] = "";

void buf_init(struct buf *b, size_t max)
{
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = 0;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b, b->max);
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (b->err) {
		buf_release(b);
		if (len)
			*len = 0;
		return NULL;
	}
	if (b->cap) {
		p = b->data;
	} else {
		p = malloc(1);
		if (!p) {
			if (len)
				*len = 0;
			return NULL;
		}
		p[0] = '\0';
	}
	if (len)
		*len = b->len;
	buf_init(b, b->max);
	return p;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
	b->err = 0;
}

/*
 * Makes room for n more bytes plus the NUL.  false (and the sticky error
 * set) when the buf already failed, would pass its maximum, or realloc
 * fails.
 */
static bool buf_grow(struct buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->err)
		return false;
	if (n > SIZE_MAX - 1 - b->len) {
		b->err = BUF_ENOMEM;
		return false;
	}
	if (b->max && b->len + n > b->max) {
		b->err = BUF_ETOOBIG;
		return false;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return true;

	cap = b->cap ? b->cap : BUF_MIN_CAP;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	/* Never hold more than the maximum can use. */
	if (b->max && cap > b->max + 1)
		cap = b->max + 1;

	p = realloc(b->cap ? b->data : NULL, cap);
	if (!p) {
		b->err = BUF_ENOMEM;
		return false;
	}
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return true;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0 || !buf_grow(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static int add_dumped(const char *s, size_t n, void *b)
{
	buf_add(b, s, n);
	return 0;
}

/* Straight into the buffer: json_dumps() would copy through a string that
 * only jansson's own free function may release (jsonmem.c). */
int buf_add_json(struct buf *b, const json_t *v, size_t flags)
{
	return json_dump_callback(v, add_dumped, b, flags);
}

void buf_adds(struct buf *b, const char *s)
{
	if (s)
		buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int len;

	if (b->err)
		return;
	/* First try in the room we have; most formats are short. */
	room = b->cap ? b->cap - b->len : 0;
	va_copy(ap2, ap);
	len = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap2);
	va_end(ap2);
	if (len < 0) {
		/* Only an unencodable wide character gets here. */
		if (b->cap)
			b->data[b->len] = '\0';
		b->err = BUF_ENOMEM;
		return;
	}
	if ((size_t)len < room) {
		if (b->max && b->len + (size_t)len > b->max) {
			b->data[b->len] = '\0';
			b->err = BUF_ETOOBIG;
			return;
		}
		b->len += (size_t)len;
		return;
	}
	if (room)
		b->data[b->len] = '\0'; /* undo the truncated attempt */
	if (!buf_grow(b, (size_t)len))
		return;
	va_copy(ap2, ap);
	vsnprintf(b->data + b->len, (size_t)len + 1, fmt, ap2);
	va_end(ap2);
	b->len += (size_t)len;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/*
 * Both quotes are escaped so the same function serves element text and
 * attribute values of either quoting style.
 */
void buf_add_html(struct buf *b, const char *s, size_t n)
{
	size_t i, run = 0;
	const char *rep;

	if (!s)
		return;
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		buf_add(b, s + run, i - run);
		buf_adds(b, rep);
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
}

static bool url_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

void buf_add_url(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	unsigned char c;
	char esc[3] = {'%', 0, 0};

	if (!s)
		return;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (url_unreserved(c)) {
			buf_addc(b, (char)c);
			continue;
		}
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 15];
		buf_add(b, esc, 3);
	}
}

void buf_add_hex(struct buf *b, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	char pair[2];

	if (!p)
		return;
	for (i = 0; i < n; i++) {
		pair[0] = hex[p[i] >> 4];
		pair[1] = hex[p[i] & 15];
		buf_add(b, pair, 2);
	}
}

static void buf_release_cb(void *p)
{
	buf_release(p);
}

int buf_release_on_reset(struct buf *b, struct arena *a)
{
	return arena_on_reset(a, buf_release_cb, b);
}
