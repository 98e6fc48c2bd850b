/*
 * tmpl.h - hirelink's template engine: a Mustache subset, compiled once at
 * start-up, rendered many times over jansson values, escaping by default.
 *
 * Syntax:
 *   {{name}} {{a.b.c}} {{.}}   value, HTML-escaped (strings, numbers, true;
 *                              null/false/missing render nothing)
 *   {{& name}}                 value written raw: the one unescaped form,
 *                              easy to grep for ("{{&")
 *   {{#name}}...{{/name}}      section: for each element of an array; once
 *                              with the value pushed on the context stack for
 *                              an object; once for any other truthy value
 *   {{^name}}...{{/name}}      inverted: when missing, null, false, 0, "" or []
 *   {{> partial/name}}         another template, resolved at load time
 *   {{! comment }}
 * Name lookup walks the context stack from the innermost frame outwards.
 * Templates are named by their path under the templates directory without
 * ".html" ("jobs/list", "layout").
 *
 * Errors (unclosed tag, mismatched section, unknown partial, partial cycle)
 * are reported as "file:line: message" and fail start-up.
 */
#ifndef HIRELINK_TMPL_H
#define HIRELINK_TMPL_H

#include <jansson.h>
#include <stddef.h>

#include "core/core.h"

struct tmpl_set;

/* Limits, all checked at load time so that a loaded set always renders. */
#define TMPL_MAX_SOURCE	       (1024 * 1024) /* bytes per template source */
#define TMPL_MAX_DEPTH	       64 /* context frames: ctx plus nested sections */
#define TMPL_MAX_PARTIAL_DEPTH 32 /* partials inside partials */

/* Loads and compiles every *.html under dir (recursively).  new:
 * tmpl_set_free(); NULL with "file:line: message" in err. */
struct tmpl_set *tmpl_set_load(const char *dir, char *err, size_t errlen);
/* Compiles templates from memory: names[i] -> sources[i]; for tests. */
struct tmpl_set *tmpl_set_from_strings(const char *const *names,
				       const char *const *sources, size_t n,
				       char *err, size_t errlen);
void tmpl_set_free(struct tmpl_set *set);
int tmpl_exists(const struct tmpl_set *set, const char *name);

/* Renders template name with ctx (borrowed) appended to out.  0 ok, -1 if
 * the template does not exist.  Thread-safe (the set is read-only). */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx,
		struct buf *out);

/* Renders page into a buffer, stores it in ctx as "content" (so the layout
 * writes it with {{& content}}), then renders layout into out. */
int tmpl_render_page(const struct tmpl_set *set, const char *layout,
		     const char *page, json_t *ctx, struct buf *out);

#endif
