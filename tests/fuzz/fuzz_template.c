/*
 * fuzz_template.c - libFuzzer harness for the template engine (src/tmpl/).
 *
 * Built and run for a few seconds by `make check` (scripts/check.sh), and
 * for as long as wanted by hand:
 *   make fuzz && build/fuzz/fuzz_template -max_total_time=600
 *
 * The input is split at its first NUL byte:
 *   - before it: a template source, which must either compile or be
 *     refused with a message; when it compiles it must render over a
 *     context of every kind of value without failing.
 *   - after it: a string value (when it is valid UTF-8), rendered by a
 *     fixed template in element text and in both kinds of attribute: the
 *     output must be the template's own bytes with the value escaped, so
 *     no <, >, " or ' of the value survives and every & of it starts one
 *     of the five entities.  That is "escape by default" (DESIGN.md).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/tmpl.h"

static json_t *context(const char *value, size_t n)
{
	json_t *ctx =
	    json_pack("{s:s, s:i, s:b, s:n, s:[s, s], s:{s:s}}", "name", "Ann",
		      "count", 3, "yes", 1, "none", "items", "a<b", "c", "job",
		      "title", "Data & \"AI\"");
	json_t *v = value ? json_stringn(value, n) : NULL;
	if (ctx && v)
		json_object_set_new(ctx, "v", v);
	return ctx;
}

static void compile_and_render(const char *src)
{
	static const char *const names[] = {"page"};
	const char *sources[] = {src};
	char err[256];
	struct tmpl_set *set =
	    tmpl_set_from_strings(names, sources, 1, err, sizeof(err));
	if (!set) {
		if (!err[0])
			abort(); /* refused without saying why */
		return;
	}
	json_t *ctx = context(NULL, 0);
	struct buf out = BUF_INIT;
	if (ctx && tmpl_render(set, "page", ctx, &out) != 0)
		abort(); /* a compiled template must render */
	buf_release(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

static bool entity_at(const char *s, size_t left)
{
	static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;",
					   "&#39;"};
	for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
		size_t n = strlen(ents[i]);
		if (left >= n && !memcmp(s, ents[i], n))
			return true;
	}
	return false;
}

static void value_is_escaped(const char *value, size_t n)
{
	static const char *const names[] = {"page"};
	static const char *const sources[] = {
	    "<p>{{v}}</p><a title=\"{{v}}\" "
	    "data-x='{{v}}'>{{#v}}{{.}}{{/v}}</a>"};
	char err[256];
	struct tmpl_set *set =
	    tmpl_set_from_strings(names, sources, 1, err, sizeof(err));
	json_t *ctx = context(value, n);
	if (!set || !ctx)
		abort();
	if (json_object_get(ctx, "v")) { /* else not valid UTF-8 */
		struct buf out = BUF_INIT;
		if (tmpl_render(set, "page", ctx, &out) != 0 ||
		    buf_failed(&out))
			abort();
		/* the template's own markup, with the value's places cut out */
		const char *frame[] = {"<p>", "</p><a title=\"", "\" data-x='",
				       "'>", "</a>"};
		const char *p = out.data, *end = out.data + out.len;
		for (size_t i = 0; i < 5; i++) {
			size_t fl = strlen(frame[i]);
			if ((size_t)(end - p) < fl || memcmp(p, frame[i], fl))
				abort();
			p += fl;
			if (i == 4)
				break;
			/* the value, escaped: no < > " ' of its own, so it
			 * ends where the next piece of markup starts */
			while (p < end && !memchr("<>\"'", *p, 4)) {
				if (*p == '&' &&
				    !entity_at(p, (size_t)(end - p)))
					abort();
				p++;
			}
		}
		if (p != end)
			abort();
		buf_release(&out);
	}
	json_decref(ctx);
	tmpl_set_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, 0, size);
	size_t src_len = nul ? (size_t)(nul - (const char *)data) : size;
	char *src = malloc(src_len + 1);
	if (!src)
		return 0;
	memcpy(src, data, src_len);
	src[src_len] = '\0';
	compile_and_render(src);
	free(src);
	if (nul)
		value_is_escaped(nul + 1, size - src_len - 1);
	return 0;
}
