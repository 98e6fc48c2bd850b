/*
 * notice.c - "Moved Noah O'Connor to Screen · Undo": what a POST did, said
 * on the page its redirect lands on.
 *
 * The notice rides in one cookie, hex(JSON) "." hex(MAC), the MAC an HMAC
 * under the sign-in CSRF key of the session's CSRF token and the payload:
 * no query stores it, another session's notice does not show here, and a
 * notice no handler wrote (nor an Undo it did not offer) never shows.  The
 * page that shows it deletes the cookie, so a reload shows it no more.
 */
#include <stdarg.h>
#include <string.h>

#include "core/crypto.h"
#include "web/web.h"

#define NOTICE_COOKIE "hl_notice"
/* The longest text and payload kept: a notice is a sentence. */
#define NOTICE_TEXT_MAX 300
#define NOTICE_PAYLOAD_MAX 1500
#define NOTICE_MAC_LEN 16

static void decref(void *p) { json_decref(p); }

/* ap: the Undo's fields when action is given. */
static void set_notice(struct ctx *c, const char *text, const char *action,
		       va_list *ap)
{
	if (!c->session || !text)
		return;
	json_t *n = json_pack("{s:s%}", "text", text,
			      strnlen(text, NOTICE_TEXT_MAX));
	if (!n || arena_on_reset(c->arena, decref, n) < 0) {
		json_decref(n);
		return;
	}
	if (action && http_local_path_ok(action)) {
		json_t *fields = json_array();
		const char *name;
		for (int i = 0; fields && i < WEB_NOTICE_FIELDS &&
				(name = va_arg(*ap, const char *));
		     i++) {
			const char *value = va_arg(*ap, const char *);
			json_array_append_new(
				fields, json_pack("{s:s, s:s}", "name", name,
						  "value", value ? value : ""));
		}
		json_object_set_new(n, "undo",
				    json_pack("{s:s, s:o}", "action", action,
					      "fields", fields ? fields
							       : json_array()));
	}
	c->notice = n;
}

void web_notice(struct ctx *c, const char *text)
{
	set_notice(c, text, NULL, NULL);
}

void web_notice_undo(struct ctx *c, const char *text, const char *undo_action,
		     ...)
{
	va_list ap;
	va_start(ap, undo_action);
	set_notice(c, text, undo_action, &ap);
	va_end(ap);
}

/* hex MAC of the payload for this session into out: 0, or -1. */
static int notice_mac(const struct ctx *c, const char *payload, size_t len,
		      char out[2 * NOTICE_MAC_LEN + 1])
{
	unsigned char mac[SHA256_LEN];
	int rc = web_mac(c, "notice", c->session->csrf, payload, len, mac);
	if (rc == 0)
		hex_encode(mac, NOTICE_MAC_LEN, out);
	return rc;
}

/* The dispatcher, on a redirect: the notice into the cookie. */
void web_notice_keep(struct ctx *c)
{
	if (!c->notice || !c->session)
		return;
	/* jansson's memory is the request's arena (http/jsonmem.c): a
	 * json_dumps() string is not free()'s; a buf is ours. */
	struct buf b = BUF_INIT;
	const char *json = buf_add_json(&b, c->notice, JSON_COMPACT) < 0 ||
				   buf_failed(&b)
			       ? NULL
			       : b.data;
	size_t len = json ? b.len : 0;
	char *hex = len && len <= NOTICE_PAYLOAD_MAX
			    ? arena_alloc(c->arena,
					  2 * len + 2 + 2 * NOTICE_MAC_LEN)
			    : NULL;
	if (hex) {
		hex_encode((const unsigned char *)json, len, hex);
		hex[2 * len] = '.';
		if (notice_mac(c, hex, 2 * len, hex + 2 * len + 1) == 0)
			http_set_cookie(c->res, NOTICE_COOKIE, hex, -1,
					c->req->https);
	}
	buf_release(&b);
}

/* The notice the cookie carries, checked; NULL when none or not ours. */
static json_t *notice_from_cookie(struct ctx *c)
{
	const char *v = http_cookie(c->req, NOTICE_COOKIE);
	if (!v || !*v)
		return NULL;
	http_set_cookie(c->res, NOTICE_COOKIE, "", 0, c->req->https);
	const char *dot = strchr(v, '.');
	size_t hexlen = dot ? (size_t)(dot - v) : 0;
	char want[2 * NOTICE_MAC_LEN + 1];
	if (!hexlen || hexlen % 2 || hexlen > 2 * NOTICE_PAYLOAD_MAX ||
	    strlen(dot + 1) != 2 * NOTICE_MAC_LEN ||
	    notice_mac(c, v, hexlen, want) < 0 ||
	    !crypto_equal(want, dot + 1, 2 * NOTICE_MAC_LEN))
		return NULL;
	unsigned char *json = arena_alloc(c->arena, hexlen / 2);
	char *hex = arena_strndup(c->arena, v, hexlen);
	if (!json || !hex || hex_decode(hex, json, hexlen / 2) < 0)
		return NULL;
	json_t *n = json_loadb((const char *)json, hexlen / 2, 0, NULL);
	if (n && arena_on_reset(c->arena, decref, n) < 0) {
		json_decref(n);
		return NULL;
	}
	return n;
}

/* The dispatcher, on an HTML page: the notice to show, as "notice". */
void web_notice_show(struct ctx *c)
{
	if (!c->session)
		return;
	json_t *n = c->notice ? c->notice : notice_from_cookie(c);
	if (n && json_is_string(json_object_get(n, "text")))
		json_object_set(c->page, "notice", n);
}
