/*
 * parse.c - the bounded parsers for what a request carries: percent-decoding,
 * application/x-www-form-urlencoded, the Cookie header, multipart/form-data
 * (and the parts of any other multipart body) and JSON bodies, plus the
 * lookups handlers use afterwards.
 *
 * Everything here reads untrusted bytes, so every parser works on (pointer,
 * length) slices, never relies on a NUL terminator in its input, checks each
 * count and size against struct http_limits before it allocates, and reports
 * failure as a value in struct http_error (400 malformed, 413 over a limit,
 * 500 only when the arena is out of memory).  Nothing is logged here: the
 * error reaches the user through the central error page, and the fuzz
 * harnesses in tests/fuzz/ call these functions directly.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"

void http_limits_default(struct http_limits *l)
{
	l->max_body = 1024 * 1024;
	l->max_upload = 10 * 1024 * 1024;
	l->max_fields = 256;
	l->max_field_len = 128 * 1024;
	l->max_name_len = 128;
	l->max_cookies = 50;
	l->max_json_depth = 32;
	l->max_headers = 64;
}

/*
 * The field name comes from the client and ends up in logs and on the error
 * page, possibly truncated in the middle of a UTF-8 sequence; keeping only
 * printable ASCII makes it safe everywhere at the cost of '?' for the rare
 * non-ASCII field name.
 */
static int fail(struct http_error *err, int status, const char *field,
		size_t field_len, const char *msg)
{
	size_t n = field_len, i;

	if (!field)
		n = 0;
	if (n > sizeof(err->field) - 1)
		n = sizeof(err->field) - 1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)field[i];
		err->field[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	err->field[n] = '\0';
	err->status = status;
	snprintf(err->message, sizeof(err->message), "%s", msg);
	return -1;
}

static int fail_oom(struct http_error *err)
{
	return fail(err, 500, NULL, 0, "out of memory");
}

/* The arrays grow by doubling inside the arena (arena_grow). */
static int params_add(struct arena *a, struct http_params *p, const char *name,
		      const char *value, size_t len)
{
	struct http_param *v =
	    arena_grow(a, p->v, p->n, &p->cap, sizeof(*v), 16);
	if (!v)
		return -1;
	p->v = v;
	p->v[p->n++] = (struct http_param){name, value, len};
	return 0;
}

static int files_add(struct arena *a, struct http_files *f,
		     const struct http_file *file)
{
	struct http_file *v = arena_grow(a, f->v, f->n, &f->cap, sizeof(*v), 4);
	if (!v)
		return -1;
	f->v = v;
	f->v[f->n++] = *file;
	return 0;
}

/* ------------------------------------------------------------ decoding */

/* dst must hold n + 1 bytes; decoding never grows the text. */
static int decode_into(char *dst, const char *s, size_t n, bool plus_space,
		       size_t *outlen)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			int hi, lo;
			if (n - i < 3)
				return -1;
			hi = hex_value(s[i + 1]);
			lo = hex_value(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			dst[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_space) {
			dst[o++] = ' ';
		} else {
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
	*outlen = o;
	return 0;
}

char *http_url_decode(struct arena *a, const char *s, size_t n, bool plus_space,
		      size_t *outlen)
{
	char *dst;
	size_t len = 0;

	if (n == SIZE_MAX)
		return NULL;
	dst = arena_alloc(a, n + 1);
	if (!dst)
		return NULL;
	if (decode_into(dst, s ? s : "", n, plus_space, &len) < 0)
		return NULL;
	if (outlen)
		*outlen = len;
	return dst;
}

/* ------------------------------------------------------------ urlencoded */

static int urlencoded_pair(struct arena *a, const char *pair, size_t n,
			   const struct http_limits *l, struct http_params *out,
			   struct http_error *err)
{
	const char *eq = memchr(pair, '=', n);
	size_t rawname_len = eq ? (size_t)(eq - pair) : n;
	const char *rawval = eq ? eq + 1 : "";
	size_t rawval_len = eq ? n - rawname_len - 1 : 0;
	char *name, *value;
	size_t name_len, value_len;

	name = arena_alloc(a, rawname_len + 1);
	if (!name)
		return fail_oom(err);
	if (decode_into(name, pair, rawname_len, true, &name_len) < 0)
		return fail(err, 400, pair, rawname_len,
			    "bad percent-encoding");
	/* "=x" carries nothing a handler could ask for by name */
	if (name_len == 0)
		return 0;
	if (out->n >= l->max_fields)
		return fail(err, 413, NULL, 0, "too many fields");
	if (name_len > l->max_name_len)
		return fail(err, 413, name, name_len, "field name is too long");
	if (!utf8_valid(name, name_len))
		return fail(err, 400, name, name_len,
			    "field name is not valid UTF-8");

	/* Decoding never grows text, so the raw length bounds the value. */
	if (rawval_len / 3 > l->max_field_len)
		return fail(err, 413, name, name_len, "is too long");
	value = arena_alloc(a, rawval_len + 1);
	if (!value)
		return fail_oom(err);
	if (decode_into(value, rawval, rawval_len, true, &value_len) < 0)
		return fail(err, 400, name, name_len, "bad percent-encoding");
	if (value_len > l->max_field_len)
		return fail(err, 413, name, name_len, "is too long");
	if (!utf8_valid(value, value_len))
		return fail(err, 400, name, name_len, "is not valid UTF-8");
	if (params_add(a, out, name, value, value_len) < 0)
		return fail_oom(err);
	return 0;
}

int http_parse_urlencoded(struct arena *a, const char *s, size_t len,
			  const struct http_limits *l, struct http_params *out,
			  struct http_error *err)
{
	size_t i = 0;

	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - s) : len;
		if (end > i &&
		    urlencoded_pair(a, s + i, end - i, l, out, err) < 0)
			return -1;
		i = end + 1;
	}
	return 0;
}

/* ------------------------------------------------------------ cookies */

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 7230 tchar: what a cookie name or a header name may be made of. */
static bool is_tchar(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return false;
	return !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* RFC 6265 cookie-octet, but with ',' allowed: other software on the same
 * host sets such cookies and rejecting them would only hide ours. */
static bool is_cookie_octet(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != ';' && c != '\\';
}

static void trim_slice(const char **p, size_t *n)
{
	while (*n && is_space(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && is_space((*p)[*n - 1]))
		(*n)--;
}

int http_parse_cookies(struct arena *a, const char *header,
		       const struct http_limits *l, struct http_params *out,
		       struct http_error *err)
{
	const char *p = header;

	while (p && *p) {
		const char *semi = strchr(p, ';');
		size_t n = semi ? (size_t)(semi - p) : strlen(p);
		const char *pair = p, *eq, *name, *val;
		size_t name_len, val_len, i;
		bool ok = true;
		char *name_copy, *val_copy;

		p = semi ? semi + 1 : NULL;
		trim_slice(&pair, &n);
		eq = memchr(pair, '=', n);
		if (!eq)
			continue;
		name = pair;
		name_len = (size_t)(eq - pair);
		val = eq + 1;
		val_len = n - name_len - 1;
		trim_slice(&name, &name_len);
		trim_slice(&val, &val_len);
		if (val_len >= 2 && val[0] == '"' && val[val_len - 1] == '"') {
			val++;
			val_len -= 2;
		}
		if (name_len == 0)
			continue;
		for (i = 0; ok && i < name_len; i++)
			ok = is_tchar((unsigned char)name[i]);
		for (i = 0; ok && i < val_len; i++)
			ok = is_cookie_octet((unsigned char)val[i]);
		/* Past the limits a cookie is ignored, never the request: a
		 * sibling subdomain can set cookies for the whole domain, and
		 * must not be able to lock everyone out with them.  Ours
		 * (__Host-, set only by this host) are kept past the count,
		 * up to as many again. */
		bool ours = name_len > strlen(HTTP_HOST_PREFIX) &&
			    !strncmp(name, HTTP_HOST_PREFIX,
				     strlen(HTTP_HOST_PREFIX));
		size_t most = (ours ? 2 : 1) * l->max_cookies;
		if (!ok || name_len > l->max_name_len ||
		    val_len > l->max_field_len || out->n >= most)
			continue;
		name_copy = arena_strndup(a, name, name_len);
		val_copy = arena_strndup(a, val, val_len);
		if (!name_copy || !val_copy ||
		    params_add(a, out, name_copy, val_copy, val_len) < 0)
			return fail_oom(err);
	}
	return 0;
}

/* ------------------------------------------------------------ multipart */

/* Case-insensitive comparison of a slice with a NUL-terminated word. */
static bool slice_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/*
 * Walks "type; key=value; key="quoted value"" parameter lists, as found in
 * Content-Type and Content-Disposition.  Sets key and val to the next
 * parameter and advances *p; returns 0 at the end, 1 for a parameter, -1
 * when a quoted value is not closed.  Backslashes are not escapes: browsers
 * percent-encode '"', CR and LF in names and filenames (HTML's multipart
 * encoding) and send a backslash as itself.
 */
static int next_param(const char **p, const char *end, const char **key,
		      size_t *key_len, const char **val, size_t *val_len)
{
	const char *s = *p, *k;

	while (s < end && (is_space(*s) || *s == ';'))
		s++;
	if (s >= end)
		return 0;
	k = s;
	while (s < end && *s != '=' && *s != ';')
		s++;
	*key = k;
	*key_len = (size_t)(s - k);
	trim_slice(key, key_len);
	*val = "";
	*val_len = 0;
	if (s < end && *s == '=') {
		s++;
		while (s < end && is_space(*s))
			s++;
		if (s < end && *s == '"') {
			const char *q =
			    memchr(s + 1, '"', (size_t)(end - s - 1));
			if (!q)
				return -1;
			*val = s + 1;
			*val_len = (size_t)(q - s - 1);
			s = q + 1;
		} else {
			const char *v = s;
			while (s < end && *s != ';')
				s++;
			*val = v;
			*val_len = (size_t)(s - v);
			trim_slice(val, val_len);
		}
	}
	*p = s;
	return 1;
}

/* The boundary from Content-Type; RFC 2046 allows 1 to 70 characters. */
static int multipart_boundary(const char *ct, const char **b, size_t *blen)
{
	const char *semi = strchr(ct, ';');
	const char *p, *end = ct + strlen(ct), *key, *val;
	size_t key_len, val_len, i;
	int rc;

	if (!semi)
		return -1;
	p = semi + 1;
	while ((rc = next_param(&p, end, &key, &key_len, &val, &val_len)) > 0) {
		if (!slice_is(key, key_len, "boundary"))
			continue;
		if (val_len == 0 || val_len > 70 || val[val_len - 1] == ' ')
			return -1;
		for (i = 0; i < val_len; i++)
			if ((unsigned char)val[i] < 0x20 ||
			    (unsigned char)val[i] >= 0x7f)
				return -1;
		*b = val;
		*blen = val_len;
		return 0;
	}
	return -1;
}

/* One part of a multipart body, as framed: slices of the body. */
struct part {
	const char *disposition; /* Content-Disposition, NULL: none */
	size_t disposition_len;
	const char *ctype; /* Content-Type, NULL: none */
	size_t ctype_len;
	const char *data; /* the content */
	size_t len;
};

/* What a form-data part's Content-Disposition names. */
struct form_part {
	const char *name; /* NULL: none */
	size_t name_len;
	const char *filename; /* NULL: a text field */
	size_t filename_len;
};

static int part_disposition(const char *v, size_t n, struct form_part *fp)
{
	const char *p = v, *end = v + n, *semi, *key, *val;
	size_t key_len, val_len, type_len;
	int rc;

	semi = memchr(v, ';', n);
	type_len = semi ? (size_t)(semi - v) : n;
	trim_slice(&v, &type_len);
	if (!slice_is(v, type_len, "form-data"))
		return -1;
	p = semi ? semi : end;
	while ((rc = next_param(&p, end, &key, &key_len, &val, &val_len)) > 0) {
		if (slice_is(key, key_len, "name") && !fp->name) {
			fp->name = val;
			fp->name_len = val_len;
		} else if (slice_is(key, key_len, "filename") &&
			   !fp->filename) {
			fp->filename = val;
			fp->filename_len = val_len;
		}
	}
	return rc;
}

/* Reads the part's header lines starting at *pos, up to the empty line. */
static int part_headers(const char *body, size_t len, size_t *pos,
			struct part *pt)
{
	size_t p = *pos;
	int nheaders = 0;

	for (;;) {
		const char *line = body + p, *eol, *colon, *val;
		size_t ll, name_len, val_len, i;

		eol = memmem(line, len - p, "\r\n", 2);
		if (!eol)
			return -1;
		ll = (size_t)(eol - line);
		p += ll + 2;
		if (ll == 0)
			break;
		/* browsers send two or three; more is not a form */
		if (++nheaders > 16)
			return -1;
		colon = memchr(line, ':', ll);
		if (!colon)
			return -1;
		name_len = (size_t)(colon - line);
		val = colon + 1;
		val_len = ll - name_len - 1;
		trim_slice(&val, &val_len);
		for (i = 0; i < val_len; i++)
			if (val[i] == '\0')
				return -1;
		if (slice_is(line, name_len, "Content-Disposition")) {
			if (pt->disposition)
				return -1;
			pt->disposition = val;
			pt->disposition_len = val_len;
		} else if (slice_is(line, name_len, "Content-Type")) {
			pt->ctype = val;
			pt->ctype_len = val_len;
		}
	}
	*pos = p;
	return 0;
}

static int malformed(struct http_error *err)
{
	return fail(err, 400, NULL, 0, "malformed multipart body");
}

/* Where the parts of a multipart/form-data body go. */
struct form_sink {
	struct arena *a;
	const struct http_limits *l;
	struct http_params *fields;
	struct http_files *files;
};

static int form_part_store(void *ctx, const struct part *pt,
			   struct http_error *err)
{
	struct form_sink *s = ctx;
	struct arena *a = s->a;
	const struct http_limits *l = s->l;
	struct form_part fp = {0};
	char *name;

	if (!pt->disposition ||
	    part_disposition(pt->disposition, pt->disposition_len, &fp) < 0 ||
	    !fp.name || fp.name_len == 0)
		return malformed(err);
	if (s->fields->n + s->files->n >= l->max_fields)
		return fail(err, 413, NULL, 0, "too many fields");
	if (fp.name_len > l->max_name_len)
		return fail(err, 413, fp.name, fp.name_len,
			    "field name is too long");
	if (!utf8_valid(fp.name, fp.name_len))
		return fail(err, 400, fp.name, fp.name_len,
			    "field name is not valid UTF-8");
	name = arena_strndup(a, fp.name, fp.name_len);
	if (!name)
		return fail_oom(err);

	if (fp.filename) {
		struct http_file f;
		if (!utf8_valid(fp.filename, fp.filename_len) ||
		    !utf8_valid(pt->ctype ? pt->ctype : "", pt->ctype_len))
			return fail(err, 400, name, fp.name_len,
				    "file name is not valid UTF-8");
		f.field = name;
		f.filename = arena_strndup(a, fp.filename, fp.filename_len);
		f.content_type =
		    arena_strndup(a, pt->ctype ? pt->ctype : "", pt->ctype_len);
		f.data = pt->data;
		f.len = pt->len;
		if (!f.filename || !f.content_type ||
		    files_add(a, s->files, &f) < 0)
			return fail_oom(err);
	} else {
		char *value;
		if (pt->len > l->max_field_len)
			return fail(err, 413, name, fp.name_len, "is too long");
		if (!utf8_valid(pt->data, pt->len))
			return fail(err, 400, name, fp.name_len,
				    "is not valid UTF-8");
		value = arena_strndup(a, pt->data, pt->len);
		if (!value ||
		    params_add(a, s->fields, name, value, pt->len) < 0)
			return fail_oom(err);
	}
	return 0;
}

/* Where the parts of a body of any other multipart type go. */
struct parts_sink {
	struct arena *a;
	struct http_part *out;
	size_t max, *n;
};

static int any_part_store(void *ctx, const struct part *pt,
			  struct http_error *err)
{
	struct parts_sink *s = ctx;
	struct http_part *p;

	if (*s->n >= s->max)
		return fail(err, 413, NULL, 0, "too many parts");
	if (!utf8_valid(pt->ctype ? pt->ctype : "", pt->ctype_len))
		return malformed(err);
	p = &s->out[*s->n];
	p->content_type =
	    arena_strndup(s->a, pt->ctype ? pt->ctype : "", pt->ctype_len);
	if (!p->content_type)
		return fail_oom(err);
	p->data = pt->data;
	p->len = pt->len;
	(*s->n)++;
	return 0;
}

/*
 * RFC 7578 / RFC 2046: [preamble CRLF] "--" boundary, then for each part
 * padding CRLF, header lines, CRLF, content, CRLF "--" boundary, and after
 * the last part "--".  The delimiter is searched as CRLF "--" boundary so
 * that file content, which may hold anything but that sequence, is kept
 * byte for byte.  Line ends must be CRLF: accepting bare LF would make the
 * end of a binary file ambiguous.  Each part goes to store, in order.
 */
static int multipart_walk(struct arena *a, const char *content_type,
			  const char *body, size_t len,
			  int (*store)(void *ctx, const struct part *pt,
				       struct http_error *err),
			  void *ctx, struct http_error *err)
{
	const char *boundary, *hit;
	size_t blen, dlen, p;
	char *delim;

	if (!content_type ||
	    multipart_boundary(content_type, &boundary, &blen) < 0)
		return fail(err, 400, NULL, 0, "missing multipart boundary");
	if (!body)
		body = "";
	/* delim = CRLF "--" boundary; the first one may lack the CRLF */
	dlen = blen + 4;
	delim = arena_alloc(a, dlen + 1);
	if (!delim)
		return fail_oom(err);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen);
	delim[dlen] = '\0';

	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
		p = dlen - 2;
	} else {
		hit = memmem(body, len, delim, dlen);
		if (!hit)
			return malformed(err);
		p = (size_t)(hit - body) + dlen;
	}

	for (;;) {
		struct part pt = {0};
		size_t start;

		if (len - p >= 2 && body[p] == '-' && body[p + 1] == '-')
			return 0;
		while (p < len && is_space(body[p]))
			p++;
		if (len - p < 2 || body[p] != '\r' || body[p + 1] != '\n')
			return malformed(err);
		p += 2;
		if (part_headers(body, len, &p, &pt) < 0)
			return malformed(err);
		start = p;
		hit = memmem(body + p, len - p, delim, dlen);
		if (!hit)
			return malformed(err);
		p = (size_t)(hit - body);
		pt.data = body + start;
		pt.len = p - start;
		if (store(ctx, &pt, err) < 0)
			return -1;
		p += dlen;
	}
}

int http_parse_multipart(struct arena *a, const char *content_type,
			 const char *body, size_t len,
			 const struct http_limits *l,
			 struct http_params *fields, struct http_files *files,
			 struct http_error *err)
{
	struct form_sink s = {a, l, fields, files};

	return multipart_walk(a, content_type, body, len, form_part_store, &s,
			      err);
}

int http_parse_parts(struct arena *a, const char *content_type,
		     const char *body, size_t len, struct http_part *out,
		     size_t max, size_t *n, struct http_error *err)
{
	struct parts_sink s = {a, out, max, n};

	*n = 0;
	return multipart_walk(a, content_type, body, len, any_part_store, &s,
			      err);
}

/* ------------------------------------------------------------ JSON */

/*
 * The nesting depth is measured on the raw bytes before jansson sees them,
 * so a deeply nested document is refused without being parsed at all.  For
 * a malformed document the count may be off, but jansson refuses it anyway.
 */
static bool json_too_deep(const char *s, size_t n, size_t max)
{
	size_t i, depth = 0;
	bool in_str = false, esc = false;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				return true;
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return false;
}

int http_parse_json(const char *body, size_t len, const struct http_limits *l,
		    json_t **out, struct http_error *err)
{
	json_error_t je;
	json_t *j;

	*out = NULL;
	if (!body)
		body = "";
	if (json_too_deep(body, len, l->max_json_depth))
		return fail(err, 400, NULL, 0,
			    "JSON body is nested too deeply");
	/* Duplicate keys are refused: two readers of the same document must
	 * never see different values. */
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return fail(err, 400, NULL, 0, "malformed JSON body");
	*out = j;
	return 0;
}

/* ------------------------------------------------------------ the body */

bool http_content_type_is(const char *content_type, const char *media)
{
	const char *s = content_type ? content_type : "";
	size_t n = strcspn(s, ";");

	trim_slice(&s, &n);
	return slice_is(s, n, media);
}

static void json_release(void *p)
{
	json_decref(p);
}

int http_parse_body(struct http_request *r, const struct http_limits *l)
{
	struct http_limits lim = *l;
	const char *ct = r->content_type;

	if (r->error.status)
		return -1;
	/* query and form fields share one budget */
	lim.max_fields = l->max_fields > r->query_params.n
			     ? l->max_fields - r->query_params.n
			     : 0;
	if (http_content_type_is(ct, "application/x-www-form-urlencoded"))
		return http_parse_urlencoded(r->arena, r->body, r->body_len,
					     &lim, &r->form, &r->error);
	if (http_content_type_is(ct, "multipart/form-data"))
		return http_parse_multipart(r->arena, ct, r->body, r->body_len,
					    &lim, &r->form, &r->files,
					    &r->error);
	if (http_content_type_is(ct, "application/json")) {
		json_t *j;
		if (http_parse_json(r->body, r->body_len, &lim, &j, &r->error) <
		    0)
			return -1;
		/* on failure arena_on_reset has already released j */
		if (arena_on_reset(r->arena, json_release, j) < 0)
			return fail_oom(&r->error);
		r->json = j;
	}
	return 0;
}

/* ------------------------------------------------------------ lookups */

static const char *params_find(const struct http_params *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].value;
	return NULL;
}

const char *http_query(const struct http_request *r, const char *name)
{
	return params_find(&r->query_params, name);
}

const char *http_form(const struct http_request *r, const char *name)
{
	return params_find(&r->form, name);
}

const char *http_param(const struct http_request *r, const char *name)
{
	const char *v = params_find(&r->form, name);

	return v ? v : params_find(&r->query_params, name);
}

const char *http_cookie(const struct http_request *r, const char *name)
{
	if (!r->https)
		return params_find(&r->cookies, name);
	/* only the one http_set_cookie set: a cookie without the prefix may
	 * come from a sibling subdomain */
	char prefixed[160];
	int n = snprintf(prefixed, sizeof(prefixed), "%s%s", HTTP_HOST_PREFIX,
			 name);
	if (n < 0 || (size_t)n >= sizeof(prefixed))
		return NULL;
	return params_find(&r->cookies, prefixed);
}

/* Header names as http_request_headers() keeps them: any case, '-' and
 * '_' alike. */
static bool header_name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x == '_')
			x = '-';
		if (y == '_')
			y = '-';
		if (tolower(x) != tolower(y))
			return false;
	}
	return *a == *b;
}

const char *http_header(const struct http_request *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (header_name_eq(r->headers[i].name, name))
			return r->headers[i].value;
	return NULL;
}

const struct http_file *http_file(const struct http_request *r,
				  const char *field)
{
	size_t i;

	for (i = 0; i < r->files.n; i++)
		if (strcmp(r->files.v[i].field, field) == 0)
			return &r->files.v[i];
	return NULL;
}

/* An Accept q-value: "0", "0.x" up to three decimals, or "1", in
 * thousandths.  Anything else counts as 0. */
static int parse_q(const char *d, const char *end)
{
	int q = 0, scale = 100;

	if (*d == '1')
		return 1000;
	if (end - d < 2 || d[0] != '0' || d[1] != '.')
		return 0;
	for (d += 2; d < end && *d >= '0' && *d <= '9' && scale; d++) {
		q += (*d - '0') * scale;
		scale /= 10;
	}
	return q;
}

/*
 * The quality of the first media range in Accept that names type exactly,
 * -1 when none does, and its position in *pos.  Wildcards are ignored: a
 * browser's "* / *" must not make it look like an API client.
 */
static int accept_quality(const char *accept, const char *type, int *pos)
{
	const char *p = accept;
	int index = 0;

	while (*p) {
		size_t n = strcspn(p, ",");
		const char *item = p, *end = p + n, *semi;
		size_t mlen;

		p += n;
		if (*p == ',')
			p++;
		semi = memchr(item, ';', n);
		mlen = semi ? (size_t)(semi - item) : n;
		trim_slice(&item, &mlen);
		if (slice_is(item, mlen, type)) {
			int q = 1000;
			const char *qs = semi;
			while (qs && qs < end) {
				const char *v = qs + 1;
				while (v < end && is_space(*v))
					v++;
				if (end - v >= 3 &&
				    (v[0] == 'q' || v[0] == 'Q') && v[1] == '=')
					q = parse_q(v + 2, end);
				qs = memchr(v, ';', (size_t)(end - v));
			}
			*pos = index;
			return q;
		}
		index++;
	}
	return -1;
}

bool http_wants_json(const struct http_request *r)
{
	int jpos = 0, hpos = 0, jq, hq;

	if (!r->accept)
		return false;
	jq = accept_quality(r->accept, "application/json", &jpos);
	if (jq <= 0)
		return false;
	hq = accept_quality(r->accept, "text/html", &hpos);
	return hq < 0 || jq > hq || (jq == hq && jpos < hpos);
}
