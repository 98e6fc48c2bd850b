/*
 * tmpl.c - rendering compiled templates (their form is in internal.h, how
 * they are built in compile.c).
 *
 * Rendering walks the node array of one template with a stack of context
 * frames (borrowed json_t pointers): a section pushes a frame and renders
 * its body once per value, a partial renders another template's nodes over
 * the same stack.  Nothing here writes to the set or to the values, so any
 * number of threads may render from one set at once.
 *
 * Values reach the output as data only: a string holding "{{x}}" is escaped
 * and written, never parsed, so user input cannot inject template syntax.
 */
#include <stdbool.h>
#include <string.h>

#include "tmpl/tmpl.h"
#include "tmpl/internal.h"

struct render {
	const struct tmpl_set *set;
	struct buf *out;
	json_t *stack[TMPL_MAX_DEPTH]; /* borrowed from the caller's ctx */
	size_t depth;
	unsigned partials; /* partials being rendered, innermost included */
};

/*
 * Mustache's rule: the first segment is looked up from the innermost frame
 * outwards, the rest only inside what it found.  So {{job.title}} inside a
 * frame that has a "job" without "title" is empty rather than falling back
 * to an outer job: the name means one object.
 */
static json_t *lookup(const struct render *r, const struct node *n)
{
	json_t *v = NULL;

	if (n->nsegs == 0)
		return r->stack[r->depth - 1];
	/* json_object_get() is NULL for frames that are not objects. */
	for (size_t i = r->depth; i-- > 0 && !v;)
		v = json_object_get(r->stack[i], n->segs[0]);
	for (size_t k = 1; v && k < n->nsegs; k++)
		v = json_object_get(v, n->segs[k]);
	return v;
}

/* An empty object is truthy, unlike an empty array: "{{#job}}" should show
 * a job whose fields are all missing rather than pretend there is none. */
static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_TRUE:
		return true;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	case JSON_FALSE:
	case JSON_NULL:
		break;
	}
	return false;
}

/* Objects and arrays have no obvious text form, so they write nothing,
 * like false and null. */
static void write_value(struct buf *out, const json_t *v, bool escape)
{
	if (!v)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (escape)
			buf_add_html(out, json_string_value(v),
				     json_string_length(v));
		else
			buf_add(out, json_string_value(v),
				json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_addf(out, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		buf_addf(out, "%g", json_real_value(v));
		break;
	case JSON_TRUE:
		buf_adds(out, "true");
		break;
	case JSON_FALSE:
	case JSON_NULL:
	case JSON_OBJECT:
	case JSON_ARRAY:
		break;
	}
}

static int render_nodes(struct render *r, const struct tmpl *t, size_t i,
			size_t end);

/* The depth and partial guards below cannot trip for a set that loaded:
 * compile.c has checked every template against the same limits. */
static int render_frame(struct render *r, json_t *frame, const struct tmpl *t,
			size_t begin, size_t end)
{
	int rc;

	if (r->depth == TMPL_MAX_DEPTH)
		return -1;
	r->stack[r->depth++] = frame;
	rc = render_nodes(r, t, begin, end);
	r->depth--;
	return rc;
}

/* Renders nodes [i, end) of t. */
static int render_nodes(struct render *r, const struct tmpl *t, size_t i,
			size_t end)
{
	for (; i < end; i++) {
		const struct node *n = &t->nodes[i];
		const struct tmpl *p;
		json_t *v, *e;
		size_t k;
		int rc;

		switch (n->kind) {
		case NODE_TEXT:
			buf_add(r->out, n->text, n->len);
			break;
		case NODE_VAR:
		case NODE_RAW:
			write_value(r->out, lookup(r, n), n->kind == NODE_VAR);
			break;
		case NODE_SECTION:
			v = lookup(r, n);
			if (json_is_array(v)) {
				json_array_foreach(v, k, e)
				{
					if (render_frame(r, e, t, i + 1,
							 n->target) < 0)
						return -1;
				}
			} else if (truthy(v)) {
				/* Pushed even when not an object, so that
				 * {{.}} writes it. */
				if (render_frame(r, v, t, i + 1, n->target) < 0)
					return -1;
			}
			i = n->target;
			break;
		case NODE_INVERTED:
			/* The body, if shown, is rendered in line with no
			 * frame to pop, so inverted sections cost no C stack
			 * however deeply they nest. */
			if (truthy(lookup(r, n)))
				i = n->target;
			break;
		case NODE_END:
			/* Only an inverted section's end is ever reached. */
			break;
		case NODE_PARTIAL:
			if (r->partials == TMPL_MAX_PARTIAL_DEPTH)
				return -1;
			p = &r->set->t[n->target];
			r->partials++;
			rc = render_nodes(r, p, 0, p->nnodes);
			r->partials--;
			if (rc < 0)
				return -1;
			break;
		}
	}
	return 0;
}

int tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return set && name && tmpl_index(set, name, strlen(name)) < set->n;
}

int tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx,
		struct buf *out)
{
	struct render r = {.set = set, .out = out, .depth = 1};
	const struct tmpl *t;
	size_t i;

	if (!set || !name ||
	    (i = tmpl_index(set, name, strlen(name))) == set->n)
		return -1;
	t = &set->t[i];
	r.stack[0] = ctx;
	return render_nodes(&r, t, 0, t->nnodes);
}

/* Also -1 when ctx is not an object or memory runs out building the page
 * (out is then untouched). */
int tmpl_render_page(const struct tmpl_set *set, const char *layout,
		     const char *page, json_t *ctx, struct buf *out)
{
	struct buf body = BUF_INIT;
	json_t *content;
	int rc = -1;

	if (!json_is_object(ctx) || !tmpl_exists(set, layout))
		return -1;
	if (tmpl_render(set, page, ctx, &body) < 0 || buf_failed(&body))
		goto out;
	/* Valid UTF-8: templates were checked at load, values are jansson's
	 * strings (checked by jansson, or from MariaDB's utf8mb4 columns,
	 * see web_pack_row), escaping and numbers add only ASCII.  So it is
	 * not checked again: jansson's check, a call per byte of the page,
	 * was 8% of hirelink's CPU on the jobs list (make bench, perf). */
	content = json_stringn_nocheck(body.data, body.len);
	if (!content || json_object_set_new(ctx, "content", content) < 0)
		goto out;
	rc = tmpl_render(set, layout, ctx, out);
out:
	buf_release(&body);
	return rc;
}
