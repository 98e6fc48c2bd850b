/*
 * app.c - the dispatcher: from a parsed request to a rendered response.
 *
 * Order of checks, the same for every route: route -> session (only for a
 * route that reads one) -> parse errors -> 404, 405 -> sign-in (303 or 401)
 * -> role (403) -> CSRF on every POST (403) -> handler -> template or JSON
 * -> central error page.  Handlers never see a request they may not serve,
 * and never write an error page themselves.
 */
#include <stdarg.h>
#include <string.h>

#include "core/crypto.h"
#include "web/web.h"

static void decref(void *p) { json_decref(p); }

int web_status_from_db(int rc)
{
	switch (rc) {
	case DB_OK:
		return 200;
	case DB_GONE:
	/* Still colliding after db_transaction's runs: nothing was written,
	 * and the same request a moment later goes through. */
	case DB_DEADLOCK:
		return 503;
	case DB_NOT_FOUND:
		return 404;
	case DB_DUPLICATE:
		return 409;
	case ATS_INVALID:
		return 400;
	default:
		return 500;
	}
}

int web_fail(struct ctx *c, int status, const char *field, const char *msg)
{
	c->error_field = field;
	c->error_message = msg;
	return status;
}

/* jansson's check is a function call per byte of every key and string: a
 * tenth of hirelink's CPU on a 50-row list (make bench, perf). */
json_t *web_pack_row(const char *fmt, ...)
{
	va_list ap;
	json_t *o = json_object();
	bool ok = o && *fmt == '{';
	const char *f = fmt + 1;

	va_start(ap, fmt);
	for (; ok && *f && *f != '}'; f++) {
		if (*f == ' ' || *f == ',')
			continue;
		if (f[0] != 's' || f[1] != ':' || !f[2]) {
			ok = false;
			break;
		}
		const char *key = va_arg(ap, const char *);
		const char *str;
		json_t *v = NULL;
		switch (f[2]) {
		case 's':
			str = va_arg(ap, const char *);
			v = json_string_nocheck(str ? str : "");
			break;
		case 'I':
			v = json_integer(va_arg(ap, json_int_t));
			break;
		case 'i':
			v = json_integer(va_arg(ap, int));
			break;
		case 'b':
			v = json_boolean(va_arg(ap, int));
			break;
		case 'o':
			v = va_arg(ap, json_t *);
			break;
		default:
			ok = false;
			break;
		}
		ok = ok && key && v &&
		     json_object_set_new_nocheck(o, key, v) == 0;
		f += 2;
	}
	va_end(ap);
	if (!ok || *f != '}') {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *web_options(const struct ats_word *words, const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; a && words[i].value; i++)
		json_array_append_new(
		    a,
		    json_pack("{s:s, s:s, s:b}", "value", words[i].value,
			      "label", words[i].label, "selected",
			      selected && !strcmp(selected, words[i].value)));
	return a;
}

int web_see_other(struct ctx *c, const char *location)
{
	http_redirect(c->res, 303, location);
	return 303;
}

int64_t web_capture_id(const struct ctx *c, size_t i)
{
	int64_t id;
	if (!c->match || i >= c->match->ncaptures ||
	    parse_i64(c->match->captures[i], &id) < 0 || id <= 0)
		return 0;
	return id;
}

/* ------------------------------------------------------------ lists */

const char *web_page_url(struct ctx *c, const struct pager *p, int64_t page)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "%s?page=%lld", p->path, (long long)page);
	for (const char *const *kv = p->params; kv && kv[0]; kv += 2) {
		if (!kv[1] || !*kv[1])
			continue;
		buf_addf(&b, "&%s=", kv[0]);
		buf_add_url(&b, kv[1], strlen(kv[1]));
	}
	const char *s = buf_failed(&b) ? NULL : arena_strdup(c->arena, b.data);
	buf_release(&b);
	return s ? s : p->path;
}

void web_pager(struct ctx *c, const struct pager *p)
{
	json_t *o = c->page;
	int64_t pages = (p->total + p->per_page - 1) / p->per_page;
	json_object_set_new(o, "page", json_integer(p->page));
	json_object_set_new(o, "pages", json_integer(pages));
	json_object_set_new(o, "paged", json_boolean(pages > 1 || p->more));
	if (p->page > 1 && (p->page <= pages || p->more))
		json_object_set_new(
		    o, "prev_url",
		    json_string(web_page_url(c, p, p->page - 1)));
	bool next = p->page < pages || (p->more && !p->empty);
	if (next && p->page >= WEB_PAGE_MAX)
		json_object_set_new(o, "page_cap", json_integer(WEB_PAGE_MAX));
	else if (next)
		json_object_set_new(
		    o, "next_url",
		    json_string(web_page_url(c, p, p->page + 1)));
	/* the page numbers: 1 2 ... around the current one ... the last two */
	int64_t last = pages < WEB_PAGE_MAX ? pages : WEB_PAGE_MAX;
	if (last > 1 || p->more) {
		json_t *nums = json_array();
		int64_t prev = 0;
		for (int64_t n = 1; nums && n <= last; n++) {
			bool shown = n <= 2 || n > last - 2 ||
				     (n >= p->page - 2 && n <= p->page + 2);
			if (!shown)
				continue;
			if (n > prev + 1)
				json_array_append_new(
				    nums, json_pack("{s:b}", "gap", true));
			json_array_append_new(
			    nums, json_pack("{s:I, s:s, s:b}", "n",
					    (json_int_t)n, "url",
					    web_page_url(c, p, n), "current",
					    n == p->page));
			prev = n;
		}
		if (nums && p->more && last < WEB_PAGE_MAX)
			json_array_append_new(nums,
					      json_pack("{s:b}", "gap", true));
		json_object_set_new(o, "numbers", nums);
	}
	/* past the last page: say so, and link back to one that has rows */
	if (p->empty && pages > 0) {
		const char *last_url = web_page_url(c, p, last);
		json_object_set_new(o, "past_end", json_true());
		json_object_set_new(o, "one_page", json_boolean(pages == 1));
		json_object_set_new(o, "first_url",
				    json_string(web_page_url(c, p, 1)));
		json_object_set_new(o, "last_url", json_string(last_url));
		/* a browser is shown the last page itself (web_handle) */
		if (p->page > last && c->req->method == HTTP_GET &&
		    !http_wants_json(c->req)) {
			c->past_end_url = last_url;
			int64_t asked = c->page_asked ? c->page_asked : p->page;
			web_notice(
			    c, pages == 1
				   ? arena_printf(c->arena,
						  "There is no page %lld: this "
						  "list has one page.",
						  (long long)asked)
				   : arena_printf(c->arena,
						  "There is no page %lld: this "
						  "list has %lld pages. Here is "
						  "the last.",
						  (long long)asked,
						  (long long)last));
		}
	} else if (c->page_asked) {
		/* ?page=999 on a list of more than 200 pages: its page 200 */
		web_notice(c, arena_printf(c->arena,
					   "There is no page %lld here: lists "
					   "stop at page %d. Search or filter "
					   "to find the rest.",
					   (long long)c->page_asked,
					   WEB_PAGE_MAX));
	}
}

int web_mac(const struct ctx *c, const char *use, const char *a,
	    const char *b, size_t blen, unsigned char out[SHA256_LEN])
{
	struct buf msg = BUF_INIT;
	buf_adds(&msg, use);
	buf_addc(&msg, ':');
	buf_adds(&msg, a);
	if (b) {
		buf_addc(&msg, ':');
		buf_add(&msg, b, blen);
	}
	int rc = buf_failed(&msg)
			 ? -1
			 : crypto_hmac_sha256(c->cfg->csrf_key,
					      sizeof(c->cfg->csrf_key),
					      msg.data, msg.len, out);
	buf_release(&msg);
	return rc;
}

/* A GET past a list's last page (web_pager): a browser goes to the last
 * page, and the notice web_pager said tells why; a JSON client keeps its
 * empty page with "past_end".  Returns the status to answer. */
static int past_end(struct ctx *c, int status)
{
	if (status != 200 || !c->past_end_url)
		return status;
	return web_see_other(c, c->past_end_url);
}

const char *web_count_text(struct arena *a, int64_t total, bool over)
{
	char digits[24], grouped[40];
	int n = snprintf(digits, sizeof digits, "%lld",
			 (long long)(total < 0 ? 0 : total));
	size_t o = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			grouped[o++] = ',';
		grouped[o++] = digits[i];
	}
	grouped[o] = 0;
	return over ? arena_printf(a, "over %s", grouped)
		    : arena_strdup(a, grouped);
}

/*
 * Before sign-in there is no session to bind a CSRF token to, so the login
 * form uses a signed double-submit: a random pre-session cookie, and a token
 * that is HMAC(csrf_key, cookie), under a key derived from secret_key for
 * this use alone.  A cross-site form can neither read the cookie nor forge
 * the HMAC.
 */
const char *web_anon_csrf(struct ctx *c)
{
	const char *pre = http_cookie(c->req, PRESESSION_COOKIE);
	char fresh[65];
	unsigned char mac[SHA256_LEN];
	char *hex;

	if (!pre || strlen(pre) != 64) {
		if (c->req->method != HTTP_GET && c->req->method != HTTP_HEAD)
			return NULL;
		if (crypto_random_hex(fresh, 32) < 0)
			return NULL;
		http_set_cookie(c->res, PRESESSION_COOKIE, fresh, -1,
				c->req->https);
		pre = fresh;
	}
	if (web_mac(c, "anon-csrf", pre, NULL, 0, mac) < 0 ||
	    !(hex = arena_alloc(c->arena, 2 * SHA256_LEN + 1)))
		return NULL;
	hex_encode(mac, SHA256_LEN, hex);
	return hex;
}

static bool csrf_ok(struct ctx *c)
{
	const char *sent = http_form(c->req, "csrf");
	if (!sent || !*sent)
		sent = c->req->csrf_header;
	const char *want = c->session ? c->session->csrf : web_anon_csrf(c);
	if (!sent || !want || strlen(sent) != strlen(want))
		return false;
	return crypto_equal(sent, want, strlen(want));
}

static const char *error_title(int status)
{
	switch (status) {
	case 400:
		return "That request was not valid";
	case 401:
		return "Please sign in";
	case 403:
		return "You do not have access to this page";
	case 404:
		return "Page not found";
	case 405:
		return "Method not allowed";
	case 409:
		return "That conflicts with the current state";
	case 413:
		return "That was too large";
	case 429:
		return "Too many attempts";
	case 503:
		return "hirelink is temporarily unavailable";
	default:
		return status >= 500 ? "Something went wrong" : http_status_text(status);
	}
}

static const char *error_default_message(int status)
{
	switch (status) {
	case 403:
		return "Your role does not allow this, or the form had expired. "
		       "Reload the page and try again.";
	case 404:
		return "There is nothing at this address.";
	case 413:
		return "The request was larger than hirelink accepts.";
	case 503:
		return "The database cannot be reached or is busy right now. "
		       "Please try again in a moment.";
	default:
		return status >= 500 ? "The error has been logged." : "";
	}
}

/* F15: LinkedIn no longer supports Internet Explorer 11, so its users see
 * a notice on every page until they dismiss it (linkedin_connect.c). */
static bool ie11_notice(const struct ctx *c)
{
	const char *ua = c->req->user_agent;
	if (!ua || !strstr(ua, "Trident/7.0") || !strstr(ua, "rv:11"))
		return false;
	const char *ok = http_cookie(c->req, IE11_COOKIE);
	return !(ok && !strcmp(ok, "1"));
}

/* Common context for every HTML page: who is signed in, the CSRF token for
 * forms, the active navigation entry. */
static void add_layout_context(struct ctx *c)
{
	json_t *p = c->page;
	json_object_set_new(p, "title", json_string(c->title ? c->title : "hirelink"));
	if (ie11_notice(c))
		json_object_set_new(p, "ie11_notice",
				    json_pack("{s:s}", "next", c->req->raw_path));
	if (c->session) {
		struct user *u = &c->session->user;
		json_object_set_new(
			p, "me",
			json_pack("{s:I, s:s, s:s, s:s, s:b}", "id",
				  (json_int_t)u->id,
				  "name", u->name, "email", u->email, "role",
				  role_name(u->role), "is_admin",
				  u->role == ROLE_ADMIN));
		/* talent pools are for admins and recruiters (routes.c) */
		json_object_set_new(json_object_get(p, "me"), "can_pools",
				    json_boolean(u->role & (ROLE_ADMIN |
							    ROLE_RECRUITER)));
		json_object_set_new(p, "csrf", json_string(c->session->csrf));
		web_home_menu(c, json_object_get(p, "me"));
	} else {
		const char *t = web_anon_csrf(c);
		json_object_set_new(p, "csrf", t ? json_string(t) : json_null());
	}
	/* the menu entry: the handler's "nav", else the template's family */
	const char *nav_of = json_string_value(json_object_get(p, "nav"));
	if (nav_of) {
		char *nav = arena_printf(c->arena, "nav_%s", nav_of);
		if (nav)
			json_object_set_new(p, nav, json_true());
	} else if (c->template) {
		const char *slash = strchr(c->template, '/');
		if (slash) {
			char *nav = arena_printf(c->arena, "nav_%.*s",
						 (int)(slash - c->template),
						 c->template);
			if (nav)
				json_object_set_new(p, nav, json_true());
		}
	}
}

/* A machine caller gets JSON whatever it accepts. */
static bool wants_json(const struct ctx *c)
{
	return (c->route && (c->route->flags & ROUTE_MACHINE)) ||
	       http_wants_json(c->req);
}

static void render_json(struct ctx *c, json_t *v)
{
	c->res->content_type = "application/json";
	if (buf_add_json(&c->res->body, v, JSON_COMPACT | JSON_ENSURE_ASCII) <
	    0) {
		buf_reset(&c->res->body);
		c->res->status = 500;
		buf_adds(&c->res->body, "{\"error\":{\"status\":500}}");
	}
}

static bool response_has_header(const struct http_response *res,
				const char *name)
{
	for (size_t i = 0; i < res->nheaders; i++)
		if (!strcasecmp(res->headers[i].name, name))
			return true;
	return false;
}

static void render_error(struct ctx *c, int status)
{
	const char *msg = c->error_message && *c->error_message
				  ? c->error_message
				  : error_default_message(status);
	c->res->status = status;
	if (status == 503 && !response_has_header(c->res, "Retry-After"))
		http_header_add(c->res, "Retry-After", "5");
	if (status >= 500)
		log_error("request %s %s failed with %d (request id %s)",
			  c->req->method_name, c->req->path, status,
			  c->req->request_id);
	/* A form that failed validation is shown again with its values. */
	/* A page names a field by its label, never its key (words.c); the
	 * key stays for JSON clients and for error_on. */
	const char *label =
	    c->error_field && !wants_json(c)
		? web_field_label(c->arena, c->error_field)
		: c->error_field;
	if (status < 500 && c->template && c->error_field &&
	    !wants_json(c)) {
		json_object_set_new(c->page, "error",
				    json_pack("{s:s, s:s, s:s}", "field",
					      label, "key", c->error_field,
					      "message", msg));
		json_object_set_new(c->page, "error_field", json_true());
		/* {{#error_on.<field>}} marks the field itself */
		json_object_set_new(c->page, "error_on",
				    json_pack("{s:b}", c->error_field, 1));
		return;
	}
	json_t *e = json_pack("{s:i, s:s, s:s, s:s, s:s}", "status", status,
			      "title", error_title(status), "message", msg,
			      "field", label ? label : "",
			      "request_id", c->req->request_id);
	if (wants_json(c)) {
		json_t *wrap = json_pack("{s:o}", "error", e);
		/* Members a handler put in "error_extra" go beside "error"
		 * (a 409 for a duplicate names the record that exists). */
		json_t *extra = json_object_get(c->page, "error_extra");
		if (wrap && json_is_object(extra))
			json_object_update_missing(wrap, extra);
		render_json(c, wrap);
		json_decref(wrap);
		c->template = NULL;
		return;
	}
	json_object_clear(c->page);
	json_object_set_new(c->page, "error", e);
	c->template = "errors/error";
	c->title = error_title(status);
}

/* ------------------------------------------------------------ bodies kept */

/* A kept body (web.h): a 4-byte count n, n 4-byte offsets into the text
 * where the session's CSRF token was, then the text without it. */

void web_body_keep(struct ctx *c, const char *key, uint64_t revision,
		   int64_t until)
{
	c->keep_key = key;
	c->keep_revision = revision;
	c->keep_until = until;
}

bool web_body_kept(struct ctx *c, const char *key, uint64_t revision,
		   int64_t now)
{
	struct fragcache *fc = c->w->app->frags;
	size_t len;
	int64_t until;
	uint32_t n;
	if (!fc || !key || !c->session || !*c->session->csrf)
		return false;
	const char *p =
	    fragcache_get(fc, key, revision, c->arena, &len, &until);
	if (!p || now >= until || len < sizeof(n))
		return false;
	memcpy(&n, p, sizeof(n));
	if (n > (len - sizeof(n)) / sizeof(n))
		return false;
	size_t head = sizeof(n) * (1 + (size_t)n);
	const char *text = p + head;
	size_t tlen = len - head, from = 0, at = 0;
	const char *tok = c->session->csrf;
	size_t toklen = strlen(tok);
	char *out = arena_alloc(c->arena, tlen + (size_t)n * toklen + 1);
	if (!out)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t off;
		memcpy(&off, p + sizeof(n) * (1 + (size_t)i), sizeof(off));
		if (off < from || off > tlen)
			return false;
		memcpy(out + at, text + from, off - from);
		at += off - from;
		memcpy(out + at, tok, toklen);
		at += toklen;
		from = off;
	}
	memcpy(out + at, text + from, tlen - from);
	at += tlen - from;
	out[at] = '\0';
	c->body = out;
	c->body_len = at;
	return true;
}

/* Keeps body (web_body_keep's key) with the session's token cut out. */
static void body_store(struct ctx *c, const char *body, size_t len)
{
	struct fragcache *fc = c->w->app->frags;
	const char *tok = c->session ? c->session->csrf : NULL;
	size_t toklen = tok ? strlen(tok) : 0;
	if (!fc || !toklen || len > UINT32_MAX)
		return;
	uint32_t n = 0;
	for (const char *q = body;
	     (q = memmem(q, len - (size_t)(q - body), tok, toklen));
	     q += toklen)
		n++;
	struct buf b = BUF_INIT;
	buf_add(&b, &n, sizeof(n));
	uint32_t i = 0;
	for (const char *q = body;
	     (q = memmem(q, len - (size_t)(q - body), tok, toklen));
	     q += toklen, i++) {
		uint32_t off = (uint32_t)((size_t)(q - body) - i * toklen);
		buf_add(&b, &off, sizeof(off));
	}
	const char *from = body;
	for (const char *q = body;
	     (q = memmem(q, len - (size_t)(q - body), tok, toklen));
	     q += toklen) {
		buf_add(&b, from, (size_t)(q - from));
		from = q + toklen;
	}
	buf_add(&b, from, len - (size_t)(from - body));
	if (!buf_failed(&b))
		fragcache_put(fc, c->keep_key, c->keep_revision, b.data, b.len,
			      c->keep_until);
	buf_release(&b);
}

/* The page with its body made already (c->body) or rendered and kept
 * (c->keep_key): 0, or -1 when it could not be rendered. */
static int render_kept(struct ctx *c)
{
	const struct tmpl_set *set = c->w->app->tmpl;
	struct buf b = BUF_INIT;
	const char *body = c->body;
	size_t len = c->body_len;
	int rc = -1;
	if (!body) {
		if (tmpl_render(set, c->template, c->page, &b) < 0 ||
		    buf_failed(&b))
			goto out;
		if (c->res->status == 200)
			body_store(c, b.data, b.len);
		body = b.data;
		len = b.len;
	}
	/* valid UTF-8 as tmpl_render_page's content (tmpl.c) */
	json_t *content = json_stringn_nocheck(body, len);
	if (!content || json_object_set_new(c->page, "content", content) < 0)
		goto out;
	rc = tmpl_render(set, "layout", c->page, &c->res->body);
out:
	buf_release(&b);
	return rc;
}

static void render(struct ctx *c, int status)
{
	/* A raw handler that wrote a body answers with it, whatever the
	 * status (/healthz says what is down in its own words). */
	if (c->route && (c->route->flags & ROUTE_NO_LAYOUT) &&
	    c->res->body.len) {
		c->res->status = status;
		return;
	}
	if (status >= 400)
		render_error(c, status);
	else
		c->res->status = status;
	if (status >= 300 && status < 400) {
		web_notice_keep(c);
		return;
	}
	if (!c->template)
		return; /* JSON error already written */
	if (wants_json(c)) {
		render_json(c, c->page);
		return;
	}
	add_layout_context(c);
	if (status < 300)
		web_notice_show(c);
	buf_reset(&c->res->body);
	/* a kept body only for the page it was kept for: an error page
	 * (render_error) is rendered */
	bool kept = status == 200 && (c->body || c->keep_key);
	if ((kept ? render_kept(c)
		  : tmpl_render_page(c->w->app->tmpl, "layout", c->template,
				     c->page, &c->res->body)) < 0) {
		log_error("cannot render template %s", c->template);
		c->res->status = 500;
		buf_reset(&c->res->body);
		buf_addf(&c->res->body,
			 "<!doctype html><title>Error</title><p>Something went "
			 "wrong (request id %s).",
			 c->req->request_id);
	}
}

/* ------------------------------------------------------------ dispatch */

/* c for one request, its page context made; -1 (answered 500) when out of
 * memory. */
static int ctx_init(struct ctx *c, struct worker *w, struct http_request *req,
		    struct http_response *res)
{
	*c = (struct ctx){
		.w = w,
		.cfg = w->app->cfg,
		.db = w->db,
		.arena = req->arena,
		.req = req,
		.res = res,
	};
	c->page = json_object();
	if (!c->page || arena_on_reset(req->arena, decref, c->page) < 0) {
		res->status = 500;
		return -1;
	}
	http_header_add(res, "Vary", "Accept, Cookie");
	return 0;
}

static void route_request(struct http_request *req, struct web_routing *rt)
{
	rt->allowed = 0;
	rt->found = http_route_find(&web_routes[0].r, sizeof(web_routes[0]),
				    WEB_NROUTES, req->method, req->path,
				    req->arena, &rt->m, &rt->allowed);
}

void web_body_rule(void *thread_ctx, struct http_request *req,
		   struct http_body_rule *rule)
{
	struct web_routing *rt = arena_calloc(req->arena, 1, sizeof(*rt));
	if (!rt)
		return; /* web_handle routes it again */
	route_request(req, rt);
	req->app_data = rt;
	if (rt->found >= 0 && (web_routes[rt->found].flags & ROUTE_MACHINE)) {
		if (rule->max_body > WEB_MACHINE_MAX_BODY)
			rule->max_body = WEB_MACHINE_MAX_BODY;
		rule->raw = true;
	}
}

/* The request's route into c->route and c->match: its index, or
 * HTTP_ROUTE_NOT_FOUND, or HTTP_ROUTE_BAD_METHOD with *allowed the methods
 * the path takes. */
static int find_route(struct ctx *c, struct web_routing *own, unsigned *allowed)
{
	struct web_routing *rt = c->req->app_data;
	if (!rt) {
		rt = own;
		route_request(c->req, rt);
	}
	*allowed = rt->allowed;
	if (rt->found >= 0) {
		c->route = &web_routes[rt->found];
		c->match = &rt->m;
	}
	return rt->found;
}

int web_session(struct ctx *c)
{
	const char *token = http_cookie(c->req, SESSION_COOKIE);
	if (!token)
		return 0;
	struct session *s = arena_calloc(c->arena, 1, sizeof(*s));
	int rc = s ? ats_session_load(c->db, c->arena, token,
				      c->cfg->session_idle_minutes,
				      c->cfg->session_cache_seconds, s)
		   : DB_ERROR;
	if (rc == DB_NOT_FOUND)
		return 0;
	if (rc != DB_OK)
		return web_status_from_db(rc);
	c->session = s;
	c->req->user_label = s->user.email;
	return 0;
}

/*
 * The session, read only for a route that wants it: a 404 or 405 reads
 * none, nor do /healthz and /metrics (ROUTE_NO_SESSION), so a cookie sent
 * there costs no query.  Their error pages are rendered signed-out: an
 * unknown URL shows a visitor's navigation even to a signed-in user.  0,
 * or the status when the database failed.
 */
static int read_session(struct ctx *c)
{
	if (!c->route ||
	    (c->route->flags & (ROUTE_NO_SESSION | ROUTE_MACHINE)))
		return 0;
	int status = web_session(c);
	if (status)
		metrics_db_error(c->w->app->metrics);
	return status;
}

/* 0 when the request reached its route, which counts it from here on (a
 * 401 or 403 too); else the status that answers it: the request's parse
 * error (400, 413 ...), 404, or 405 with Allow. */
static int routed(struct ctx *c, int found, unsigned allowed)
{
	const struct http_error *e = &c->req->error;
	if (e->status)
		return web_fail(c, e->status, e->field[0] ? e->field : NULL,
				e->message);
	if (found == HTTP_ROUTE_NOT_FOUND)
		return 404;
	if (found == HTTP_ROUTE_BAD_METHOD) {
		http_header_add(c->res, "Allow",
				http_methods_list(c->arena, allowed));
		return 405;
	}
	c->req->route = found;
	return 0;
}

/* A visitor on a route for the signed-in: a page sends them to sign in and
 * come back; anything else is 401. */
static int sign_in_first(struct ctx *c)
{
	const struct http_request *req = c->req;
	if (req->method != HTTP_GET || http_wants_json(req))
		return web_fail(c, 401, NULL, "Please sign in first.");
	struct buf loc = BUF_INIT;
	buf_adds(&loc, "/login?next=");
	buf_add_url(&loc, req->raw_path, strlen(req->raw_path));
	if (*req->query) {
		buf_add_url(&loc, "?", 1);
		buf_add_url(&loc, req->query, strlen(req->query));
	}
	int status = web_see_other(c, buf_failed(&loc) ? "/login" : loc.data);
	buf_release(&loc);
	return status;
}

/* 0 when the route admits the request: public or signed in with one of its
 * roles (else sign in first, or 403), and every POST with the CSRF token
 * (else 403) but a machine caller's, which its handler authenticates. */
static int admit(struct ctx *c)
{
	const struct web_route *route = c->route;
	if (route->flags & ROUTE_MACHINE)
		return 0;
	if (!(route->flags & ROUTE_PUBLIC)) {
		if (!c->session)
			return sign_in_first(c);
		if (!(route->roles & c->session->user.role))
			return 403;
	}
	if (c->req->method != HTTP_GET && c->req->method != HTTP_HEAD &&
	    !csrf_ok(c))
		return web_fail(c, 403, "csrf",
				"The form had expired or did not come from "
				"hirelink (missing or wrong CSRF token). "
				"Reload the page and try again.");
	return 0;
}

static int run(struct ctx *c)
{
	int status = c->route->handler(c);
	if (status == 503 || status == 500)
		metrics_db_error(c->w->app->metrics);
	return status;
}

/* A handler that returned with a transaction open must not leave it to the
 * next request of this thread. */
static void end_transaction(struct ctx *c)
{
	if (db_in_transaction(c->db)) {
		log_warn("%s %s left a transaction open; rolled back",
			 c->req->method_name, c->req->path);
		db_rollback(c->db);
	}
}

void web_handle(void *thread_ctx, struct http_request *req,
		struct http_response *res)
{
	struct ctx c;
	struct web_routing own;
	unsigned allowed = 0;

	if (ctx_init(&c, thread_ctx, req, res) < 0)
		return;
	int found = find_route(&c, &own, &allowed);
	int status = read_session(&c);
	if (!status)
		status = routed(&c, found, allowed);
	if (!status)
		status = admit(&c);
	if (!status)
		status = past_end(&c, run(&c));
	render(&c, status);
	end_transaction(&c);
}

void web_on_finish(void *thread_ctx, const struct http_request *req,
		   const struct http_response *res, int64_t duration_us)
{
	struct worker *w = thread_ctx;
	metrics_observe(w->app->metrics, req->route, res->status, duration_us);
	log_info("%s %s %d %.1fms user=%s id=%s", req->method_name, req->path,
		 res->status, (double)duration_us / 1000.0,
		 req->user_label ? req->user_label : "-", req->request_id);
}
