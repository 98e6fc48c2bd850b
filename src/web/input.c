/*
 * input.c - a request's fields, typed and checked at the edge.
 *
 * A handler asks for each field with its type (web_text, web_id, web_bool,
 * web_enum, web_local_path ...) and gets a valid value.  A bad value is not
 * an early return in every handler: the getter gives a harmless value ("",
 * 0, false, the default) and records the refusal, the first one only, in
 * c->input_status and through web_fail() (the field's name and what it must
 * be), so the error page, or the form shown again, names the field.  The
 * handler reads its fields and checks c->input_status once, as SQLite's
 * sqlite3_str is checked once at the end.
 *
 * Where a field comes from is decided here once: the query string for GET
 * and HEAD; otherwise the form (urlencoded or multipart) or a JSON object
 * body.  The paging and search parameters of a list (web_page, web_search)
 * are the query's whatever the method, since a form that fails shows its
 * list again as the URL asked for it.
 */
#include <string.h>

#include "web/web.h"

/* Records the refusal unless one is recorded already; returns status. */
static int refuse(struct ctx *c, int status, const char *name, const char *must)
{
	if (!c->input_status) {
		c->input_status = status;
		web_fail(c, status, name, must);
	}
	return status;
}

/*
 * The value of field name as sent into *out, NULL when absent.  From a JSON
 * body a string is itself, an integer its decimal text, true and false
 * "true" and "false" when booleans, null absent; any other kind: -1 (the
 * caller refuses it with its own message).
 */
static int field(struct ctx *c, const char *name, bool booleans,
		 const char **out)
{
	const struct http_request *r = c->req;
	*out = NULL;
	if (r->method == HTTP_GET || r->method == HTTP_HEAD) {
		*out = http_query(r, name);
		return 0;
	}
	if ((*out = http_form(r, name)) || !json_is_object(r->json))
		return 0;
	json_t *j = json_object_get(r->json, name);
	if (!j || json_is_null(j))
		return 0;
	if (json_is_string(j))
		*out = json_string_value(j);
	else if (json_is_integer(j)) {
		*out = arena_printf(c->arena, "%lld",
				    (long long)json_integer_value(j));
		if (!*out)
			refuse(c, 500, NULL, NULL);
	} else if (booleans && json_is_boolean(j))
		*out = json_is_true(j) ? "true" : "false";
	else
		return -1;
	return 0;
}

/* v (NULL: "") trimmed into the arena as *out, at most max characters
 * (0: any).  0, or the status of the refusal; a value that is only too
 * long is still given, for the form shown again. */
static int checked_text(struct ctx *c, const char *name, const char *v,
			size_t max, const char **out)
{
	char *s = arena_strdup(c->arena, v ? v : "");
	*out = "";
	if (!s)
		return refuse(c, 500, NULL, NULL);
	str_trim(s);
	size_t n = strlen(s);
	if (!utf8_valid(s, n))
		return refuse(c, 400, name, "is not valid UTF-8");
	*out = s;
	if (max && utf8_len(s, n) > max)
		return refuse(c, 400, name,
			      arena_printf(c->arena,
					   "must be at most %zu characters",
					   max));
	return 0;
}

const char *web_text_or(struct ctx *c, const char *name, size_t max,
			const char *dflt)
{
	const char *v, *s;
	if (field(c, name, false, &v) < 0) {
		refuse(c, 400, name, "must be a string");
		return "";
	}
	if (!v)
		return dflt;
	checked_text(c, name, v, max, &s);
	return s;
}

const char *web_text(struct ctx *c, const char *name, size_t max)
{
	return web_text_or(c, name, max, "");
}

const char *web_password(struct ctx *c, const char *name)
{
	const char *v;
	if (field(c, name, false, &v) < 0) {
		refuse(c, 400, name, "must be a string");
		return "";
	}
	return v ? v : "";
}

int64_t web_id(struct ctx *c, const char *name, int64_t dflt, const char *must)
{
	const char *v, *s;
	int64_t id;
	if (field(c, name, false, &v) == 0 &&
	    checked_text(c, name, v, 0, &s) == 0) {
		if (!*s && dflt != WEB_REQUIRED)
			return dflt;
		if (parse_i64(s, &id) == 0 && id > 0)
			return id;
	}
	refuse(c, 400, name, must);
	return 0;
}

/* "must be a, b or c" for a table of choices; arena-owned. */
static const char *must_be_one_of(struct ctx *c,
				  const struct web_choice *choices)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "must be ");
	for (const struct web_choice *ch = choices; ch->name; ch++) {
		if (ch != choices)
			buf_adds(&b, ch[1].name ? ", " : " or ");
		buf_adds(&b, ch->name);
	}
	const char *s = buf_failed(&b) ? NULL : arena_strdup(c->arena, b.data);
	buf_release(&b);
	return s;
}

static int choice(struct ctx *c, const char *name, bool booleans,
		  const struct web_choice *choices, int dflt)
{
	const char *v, *s;
	if (field(c, name, booleans, &v) == 0 &&
	    checked_text(c, name, v, 0, &s) == 0) {
		if (!*s && dflt != WEB_REQUIRED)
			return dflt;
		for (const struct web_choice *ch = choices; ch->name; ch++)
			if (!strcmp(s, ch->name))
				return ch->value;
	}
	refuse(c, 400, name, must_be_one_of(c, choices));
	return dflt;
}

int web_enum(struct ctx *c, const char *name, const struct web_choice *choices,
	     int dflt)
{
	return choice(c, name, false, choices, dflt);
}

/* A checkbox sends its value ("1", or "on" without one) or nothing. */
bool web_bool(struct ctx *c, const char *name)
{
	static const struct web_choice values[] = {
	    {"1", true},    {"on", true},     {"true", true}, {"0", false},
	    {"off", false}, {"false", false}, {NULL, false},
	};
	return choice(c, name, true, values, false);
}

const char *web_local_path(struct ctx *c, const char *name,
			   const char *fallback)
{
	const char *v;
	if (field(c, name, false, &v) < 0 || !http_local_path_ok(v))
		return fallback;
	return v;
}

/* ------------------------------------------------------------ lists */

int web_page(struct ctx *c, int64_t *page)
{
	const char *s = http_query(c->req, "page");
	*page = 1;
	if (!s || !*s || s[strspn(s, "0123456789")])
		return 0; /* absent, signed or not a number: the first page */
	/* Past the cap (or past any number): the last page a list shows,
	 * and web_pager says why in words; a raw 400 helps nobody. */
	if (parse_i64(s, page) < 0 || *page > WEB_PAGE_MAX) {
		c->page_asked = *page > WEB_PAGE_MAX ? *page : INT64_MAX;
		*page = WEB_PAGE_MAX;
		return 0;
	}
	if (*page < 1)
		*page = 1;
	return 0;
}

int web_search(struct ctx *c, const char *name, const char **q)
{
	return checked_text(c, name, http_query(c->req, name), WEB_SEARCH_MAX,
			    q);
}

int web_list_query(struct ctx *c, int64_t *page, const char **q)
{
	int st = web_page(c, page);
	return st ? st : web_search(c, "q", q);
}

int64_t *web_ids(struct ctx *c, const char *name, size_t max, const char *must,
		 size_t *n)
{
	const struct http_request *r = c->req;
	bool get = r->method == HTTP_GET || r->method == HTTP_HEAD;
	const struct http_params *ps = get ? &r->query_params : &r->form;
	json_t *j = get || !json_is_object(r->json)
			? NULL
			: json_object_get(r->json, name);
	size_t cap = json_is_array(j) ? json_array_size(j) : ps->n;
	int64_t *v = arena_calloc(c->arena, cap ? cap : 1, sizeof(*v));
	*n = 0;
	if (!v) {
		refuse(c, 500, NULL, NULL);
		return NULL;
	}
	for (size_t i = 0; i < cap; i++) {
		const char *s = NULL;
		int64_t id = 0;
		if (json_is_array(j)) {
			json_t *e = json_array_get(j, i);
			id = json_is_integer(e) ? (int64_t)json_integer_value(e)
						: 0;
		} else if (!strcmp(ps->v[i].name, name)) {
			s = ps->v[i].value;
			if (parse_i64(s, &id) < 0)
				id = 0;
		} else {
			continue;
		}
		if (id <= 0 || *n >= max) {
			refuse(c, 400, name,
			       *n >= max && id > 0
				   ? arena_printf(c->arena,
						  "takes at most %zu values",
						  max)
				   : must);
			*n = 0;
			return v;
		}
		v[(*n)++] = id;
	}
	return v;
}
