/*
 * compile.c - turns template sources into the node arrays of internal.h,
 * once, at start-up: reading the templates directory, parsing each source,
 * resolving partials, and proving that every template renders within the
 * limits of tmpl.h (no partial cycle, bounded nesting), so that rendering
 * never has to report a problem with the templates themselves.
 *
 * Every failure is written to the caller's err buffer as "path:line:
 * message" ("path: message" when no line applies) and the half-built set is
 * freed: start-up gets a complete set or nothing.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tmpl/tmpl.h"
#include "tmpl/internal.h"

/* stat() follows symbolic links, so a link to a parent directory would
 * recurse forever without a bound. */
#define MAX_DIR_DEPTH 16

/* ---------------------------------------------------------------- errors */

static int fail(char *err, size_t errlen, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
static int fail_at(char *err, size_t errlen, const struct tmpl *t,
		   unsigned line, const char *fmt, ...) PRINTF_LIKE(5, 6);

/* Writes the message to err (when there is room for one); always -1. */
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Like fail() with the "path:line: " prefix of t. */
static int fail_at(char *err, size_t errlen, const struct tmpl *t,
		   unsigned line, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (!err || errlen == 0)
		return -1;
	k = snprintf(err, errlen, "%s:%u: ", t->path, line);
	if (k < 0 || (size_t)k >= errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

/* Appends to a message already in err, truncating like snprintf. */
static void append(char *err, size_t errlen, const char *s)
{
	size_t used, n;

	if (!err || errlen == 0)
		return;
	used = strlen(err);
	n = strlen(s);
	if (n > errlen - 1 - used)
		n = errlen - 1 - used;
	memcpy(err + used, s, n);
	err[used + n] = '\0';
}

/* ---------------------------------------------------------------- names */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Keys are written by our own handlers, so a strict alphabet costs nothing
 * and turns typos such as "{{job title}}" into load-time errors. */
static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* "." or segments of name characters joined by single dots. */
static bool valid_name(const char *s, size_t n)
{
	bool seg_empty = true;

	if (n == 1 && s[0] == '.')
		return true;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (seg_empty)
				return false;
			seg_empty = true;
		} else if (is_name_char(s[i])) {
			seg_empty = false;
		} else {
			return false;
		}
	}
	return !seg_empty;
}

/* Template names come from file paths: "jobs/list", "emails/offer.v2". */
static bool valid_partial_name(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_name_char(s[i]) && s[i] != '/' && s[i] != '.')
			return false;
	return n > 0;
}

/* Splits n->text (already valid) into n->segs.  -1 on OOM. */
static int split_name(struct node *n)
{
	size_t nsegs = 1, k = 0;
	char *bytes;

	if (n->len == 1 && n->text[0] == '.')
		return 0;
	for (size_t i = 0; i < n->len; i++)
		nsegs += n->text[i] == '.';
	n->segs = malloc(nsegs * sizeof(char *) + n->len + 1);
	if (!n->segs)
		return -1;
	bytes = (char *)(n->segs + nsegs);
	memcpy(bytes, n->text, n->len);
	bytes[n->len] = '\0';
	n->segs[k++] = bytes;
	for (size_t i = 0; i < n->len; i++) {
		if (bytes[i] == '.') {
			bytes[i] = '\0';
			n->segs[k++] = bytes + i + 1;
		}
	}
	n->nsegs = nsegs;
	return 0;
}

/* ---------------------------------------------------------------- parser */

struct parser {
	struct tmpl *t;
	size_t *open; /* node indices of the sections not yet closed */
	size_t nopen;
	size_t capopen;
	char *err;
	size_t errlen;
};

/* Appends a node; NULL on OOM.  The pointer is valid until the next call. */
static struct node *add_node(struct tmpl *t, enum node_kind kind, unsigned line,
			     const char *text, size_t len)
{
	struct node *n;

	if (t->nnodes == t->cap) {
		/* Nodes never outnumber the bytes of a source (at most
		 * TMPL_MAX_SOURCE), so doubling cannot overflow. */
		size_t cap = t->cap ? t->cap * 2 : 16;

		n = realloc(t->nodes, cap * sizeof(*n));
		if (!n)
			return NULL;
		t->nodes = n;
		t->cap = cap;
	}
	n = &t->nodes[t->nnodes++];
	*n =
	    (struct node){.kind = kind, .line = line, .text = text, .len = len};
	return n;
}

static int oom(struct parser *p)
{
	return fail(p->err, p->errlen, "%s: out of memory", p->t->path);
}

static int close_section(struct parser *p, const char *s, size_t n,
			 unsigned line)
{
	struct tmpl *t = p->t;
	size_t open_idx, end_idx;
	const struct node *o;

	if (p->nopen == 0)
		return fail_at(p->err, p->errlen, t, line,
			       "stray {{/%.*s}} closes no section", (int)n, s);
	open_idx = p->open[p->nopen - 1];
	o = &t->nodes[open_idx];
	if (o->len != n || memcmp(o->text, s, n) != 0)
		return fail_at(p->err, p->errlen, t, line,
			       "{{/%.*s}} closes section \"%.*s\" opened on "
			       "line %u",
			       (int)n, s, (int)o->len, o->text, o->line);
	p->nopen--;
	end_idx = t->nnodes;
	if (!add_node(t, NODE_END, line, s, n))
		return oom(p);
	t->nodes[end_idx].target = open_idx;
	t->nodes[open_idx].target = end_idx;
	return 0;
}

/* Parses one tag; s[0..n) is what stands between "{{" and "}}". */
static int parse_tag(struct parser *p, const char *s, size_t n, unsigned line)
{
	struct tmpl *t = p->t;
	enum node_kind kind;
	struct node *node;
	bool ok;

	while (n > 0 && is_space(s[0]))
		s++, n--;
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == 0)
		return fail_at(p->err, p->errlen, t, line, "empty tag name");
	switch (s[0]) {
	case '!':
		return 0;
	case '#':
		kind = NODE_SECTION;
		break;
	case '^':
		kind = NODE_INVERTED;
		break;
	case '/':
		kind = NODE_END;
		break;
	case '&':
		kind = NODE_RAW;
		break;
	case '>':
		kind = NODE_PARTIAL;
		break;
	default:
		if (!is_name_char(s[0]) && s[0] != '.') {
			if (isprint((unsigned char)s[0]))
				return fail_at(p->err, p->errlen, t, line,
					       "unknown tag sigil '%c'", s[0]);
			return fail_at(p->err, p->errlen, t, line,
				       "unknown tag sigil 0x%02x",
				       (unsigned char)s[0]);
		}
		kind = NODE_VAR;
	}
	if (kind != NODE_VAR) {
		s++, n--;
		while (n > 0 && is_space(s[0]))
			s++, n--;
		if (n == 0)
			return fail_at(p->err, p->errlen, t, line,
				       "empty tag name");
	}
	ok = kind == NODE_PARTIAL ? valid_partial_name(s, n) : valid_name(s, n);
	if (!ok)
		return fail_at(p->err, p->errlen, t, line,
			       "invalid name \"%.*s\"", (int)n, s);
	if (kind == NODE_END)
		return close_section(p, s, n, line);

	node = add_node(t, kind, line, s, n);
	if (!node || (kind != NODE_PARTIAL && split_name(node) < 0))
		return oom(p);
	if (kind == NODE_SECTION || kind == NODE_INVERTED) {
		if (p->nopen == p->capopen) {
			size_t cap = p->capopen ? p->capopen * 2 : 8;
			size_t *o = realloc(p->open, cap * sizeof(*o));

			if (!o)
				return oom(p);
			p->open = o;
			p->capopen = cap;
		}
		p->open[p->nopen++] = t->nnodes - 1;
	}
	return 0;
}

static unsigned count_lines(const char *s, const char *end)
{
	unsigned n = 0;

	for (; s < end; s++)
		n += *s == '\n';
	return n;
}

/* Compiles t->src into t->nodes. */
static int parse(struct tmpl *t, char *err, size_t errlen)
{
	struct parser p = {.t = t, .err = err, .errlen = errlen};
	const char *s = t->src, *end = t->src + t->len;
	unsigned line = 1;
	int rc = -1;

	while (s < end) {
		const char *open = memmem(s, (size_t)(end - s), "{{", 2);
		const char *stop = open ? open : end;
		const char *close;

		if (stop > s &&
		    !add_node(t, NODE_TEXT, line, s, (size_t)(stop - s))) {
			oom(&p);
			goto out;
		}
		line += count_lines(s, stop);
		if (!open)
			break;
		close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2);
		if (!close) {
			fail_at(err, errlen, t, line, "unclosed tag \"{{\"");
			goto out;
		}
		if (parse_tag(&p, open + 2, (size_t)(close - open - 2), line) <
		    0)
			goto out;
		line += count_lines(open + 2, close);
		s = close + 2;
	}
	if (p.nopen > 0) {
		/* The innermost: an outer one missing its close would have
		 * been reported as a mismatch at the inner's close instead. */
		const struct node *o = &t->nodes[p.open[p.nopen - 1]];

		fail_at(err, errlen, t, o->line,
			"section \"%.*s\" is not closed before the end of file",
			(int)o->len, o->text);
		goto out;
	}
	rc = 0;
out:
	free(p.open);
	return rc;
}

/* ---------------------------------------------------------------- set */

static int cmp_tmpl(const void *a, const void *b)
{
	return strcmp(((const struct tmpl *)a)->name,
		      ((const struct tmpl *)b)->name);
}

/* strcmp() order between s[0..n) and the string b. */
static int cmp_name(const char *s, size_t n, const char *b)
{
	size_t blen = strlen(b);
	int r = memcmp(s, b, n < blen ? n : blen);

	if (r != 0)
		return r;
	return (n > blen) - (n < blen);
}

size_t tmpl_index(const struct tmpl_set *set, const char *name, size_t len)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = cmp_name(name, len, set->t[mid].name);

		if (r == 0)
			return mid;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return set->n;
}

/* Adds and parses one template.  Takes name, path and src (all malloc'd,
 * any may be NULL after a failed allocation): they belong to the set from
 * here on, or are freed here. */
static int set_add(struct tmpl_set *set, char *name, char *path, char *src,
		   size_t len, char *err, size_t errlen)
{
	struct tmpl *t;

	if (name && path && src && set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 32;

		t = realloc(set->t, cap * sizeof(*t));
		if (t) {
			set->t = t;
			set->cap = cap;
		}
	}
	if (!name || !path || !src || set->n == set->cap) {
		free(name);
		free(path);
		free(src);
		return fail(err, errlen, "out of memory loading templates");
	}
	t = &set->t[set->n++];
	*t = (struct tmpl){.name = name, .path = path, .src = src, .len = len};
	/* tmpl_render_page() stores the page in a JSON string, which must be
	 * UTF-8: better to refuse the template now than every request. */
	if (!utf8_valid(src, len))
		return fail(err, errlen, "%s: not valid UTF-8 text", path);
	return parse(t, err, errlen);
}

/*
 * The check walks the partial graph depth first from every template.
 * Besides finding cycles it computes, bottom up, how many context frames
 * and how many nested partials one render of each template needs, so that
 * the fixed-size stack of tmpl.c provably suffices.
 */
enum { UNSEEN, VISITING, DONE };

struct check {
	struct tmpl_set *set;
	size_t chain[TMPL_MAX_PARTIAL_DEPTH + 1]; /* the templates VISITING */
	size_t nchain;
	char *err;
	size_t errlen;
};

static int cycle_error(struct check *c, const struct tmpl *t,
		       const struct node *n)
{
	size_t from = 0;

	while (c->chain[from] != n->target)
		from++;
	fail_at(c->err, c->errlen, t, n->line, "partial cycle: ");
	for (size_t i = from; i < c->nchain; i++) {
		append(c->err, c->errlen, c->set->t[c->chain[i]].name);
		append(c->err, c->errlen, " -> ");
	}
	append(c->err, c->errlen, c->set->t[n->target].name);
	return -1;
}

static int check_tmpl(struct check *c, size_t ti)
{
	struct tmpl *t = &c->set->t[ti];
	unsigned depth = 0, frames = 0, partials = 0;

	t->state = VISITING;
	c->chain[c->nchain++] = ti;
	for (size_t i = 0; i < t->nnodes; i++) {
		const struct node *n = &t->nodes[i];
		struct tmpl *p;
		unsigned need;

		switch (n->kind) {
		case NODE_SECTION:
			need = ++depth;
			break;
		case NODE_END:
			if (t->nodes[n->target].kind == NODE_SECTION)
				depth--;
			continue;
		case NODE_PARTIAL:
			p = &c->set->t[n->target];
			if (p->state == VISITING)
				return cycle_error(c, t, n);
			if (c->nchain > TMPL_MAX_PARTIAL_DEPTH)
				return fail_at(c->err, c->errlen, t, n->line,
					       "partials nested deeper than %d",
					       TMPL_MAX_PARTIAL_DEPTH);
			if (p->state == UNSEEN && check_tmpl(c, n->target) < 0)
				return -1;
			if (p->partials + 1 > TMPL_MAX_PARTIAL_DEPTH)
				return fail_at(c->err, c->errlen, t, n->line,
					       "partials nested deeper than %d",
					       TMPL_MAX_PARTIAL_DEPTH);
			if (p->partials + 1 > partials)
				partials = p->partials + 1;
			need = depth + p->frames;
			break;
		default:
			continue;
		}
		/* One frame more than the sections push: ctx itself. */
		if (need + 1 > TMPL_MAX_DEPTH)
			return fail_at(c->err, c->errlen, t, n->line,
				       "sections nested deeper than %d",
				       TMPL_MAX_DEPTH - 1);
		if (need > frames)
			frames = need;
	}
	t->frames = frames;
	t->partials = partials;
	t->state = DONE;
	c->nchain--;
	return 0;
}

/* Sorts the set, resolves partials and checks the limits. */
static int set_finish(struct tmpl_set *set, char *err, size_t errlen)
{
	struct check c = {.set = set, .err = err, .errlen = errlen};

	/* qsort() takes no NULL array, even an empty one. */
	if (set->n > 1)
		qsort(set->t, set->n, sizeof(*set->t), cmp_tmpl);
	for (size_t i = 1; i < set->n; i++)
		if (strcmp(set->t[i - 1].name, set->t[i].name) == 0)
			return fail(err, errlen,
				    "%s: duplicate template \"%s\"",
				    set->t[i].path, set->t[i].name);
	for (size_t i = 0; i < set->n; i++) {
		struct tmpl *t = &set->t[i];

		for (size_t k = 0; k < t->nnodes; k++) {
			struct node *n = &t->nodes[k];

			if (n->kind != NODE_PARTIAL)
				continue;
			n->target = tmpl_index(set, n->text, n->len);
			if (n->target == set->n)
				return fail_at(err, errlen, t, n->line,
					       "unknown partial \"%.*s\"",
					       (int)n->len, n->text);
		}
	}
	for (size_t i = 0; i < set->n; i++)
		if (set->t[i].state == UNSEEN && check_tmpl(&c, i) < 0)
			return -1;
	return 0;
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++) {
		struct tmpl *t = &set->t[i];

		for (size_t k = 0; k < t->nnodes; k++)
			free(t->nodes[k].segs);
		free(t->nodes);
		free(t->name);
		free(t->path);
		free(t->src);
	}
	free(set->t);
	free(set);
}

struct tmpl_set *tmpl_set_from_strings(const char *const *names,
				       const char *const *sources, size_t n,
				       char *err, size_t errlen)
{
	struct tmpl_set *set = calloc(1, sizeof(*set));

	if (!set) {
		fail(err, errlen, "out of memory loading templates");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *src;

		if (!names[i] || !sources[i]) {
			fail(err, errlen, "template %zu: no name or source", i);
			goto fail;
		}
		len = strnlen(sources[i], TMPL_MAX_SOURCE + 1);
		if (len > TMPL_MAX_SOURCE) {
			fail(err, errlen, "%s: larger than %d bytes", names[i],
			     TMPL_MAX_SOURCE);
			goto fail;
		}
		src = malloc(len + 1);
		if (src)
			memcpy(src, sources[i], len + 1);
		if (set_add(set, strdup(names[i]), strdup(names[i]), src, len,
			    err, errlen) < 0)
			goto fail;
	}
	if (set_finish(set, err, errlen) < 0)
		goto fail;
	return set;
fail:
	tmpl_set_free(set);
	return NULL;
}

/* ---------------------------------------------------------------- files */

/* new: a "/" b; NULL on OOM. */
static char *path_join(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = malloc(na + 1 + nb + 1);

	if (!s)
		return NULL;
	memcpy(s, a, na);
	s[na] = '/';
	memcpy(s + na + 1, b, nb + 1);
	return s;
}

/* Reads a whole file of at most TMPL_MAX_SOURCE bytes.  *out is new. */
static int read_file(const char *path, char **out, size_t *outlen, char *err,
		     size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0;
	int rc = -1;

	if (!f)
		return fail(err, errlen, "%s: cannot open: %s", path,
			    strerror(errno));
	/* Reading one byte past the limit is how a too-large file shows. */
	while (!feof(f) && !ferror(f) && len <= TMPL_MAX_SOURCE) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 8192;
			char *d;

			if (ncap > TMPL_MAX_SOURCE + 1)
				ncap = TMPL_MAX_SOURCE + 1;
			d = realloc(data, ncap + 1);
			if (!d) {
				fail(err, errlen, "%s: out of memory", path);
				goto out;
			}
			data = d;
			cap = ncap;
		}
		len += fread(data + len, 1, cap - len, f);
	}
	if (ferror(f)) {
		fail(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	if (len > TMPL_MAX_SOURCE) {
		fail(err, errlen, "%s: larger than %d bytes", path,
		     TMPL_MAX_SOURCE);
		goto out;
	}
	if (!data && !(data = malloc(1))) {
		fail(err, errlen, "%s: out of memory", path);
		goto out;
	}
	data[len] = '\0';
	*out = data;
	*outlen = len;
	data = NULL;
	rc = 0;
out:
	free(data);
	fclose(f);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_template_file(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".html") == 0;
}

static int load_file(struct tmpl_set *set, const char *path, const char *rel,
		     char *err, size_t errlen)
{
	char *src = NULL;
	size_t len = 0;

	if (read_file(path, &src, &len, err, errlen) < 0)
		return -1;
	return set_add(set, strndup(rel, strlen(rel) - 5), strdup(path), src,
		       len, err, errlen);
}

/* Loads every template under root/rel ("" for root itself), in name order
 * so that the first error reported does not depend on the file system. */
static int load_dir(struct tmpl_set *set, const char *root, const char *rel,
		    int depth, char *err, size_t errlen)
{
	char *dir = rel[0] ? path_join(root, rel) : strdup(root);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d = NULL;
	int rc = -1;

	if (!dir) {
		fail(err, errlen, "out of memory loading templates");
		goto out;
	}
	d = opendir(dir);
	if (!d) {
		fail(err, errlen, "%s: cannot open directory: %s", dir,
		     strerror(errno));
		goto out;
	}
	for (errno = 0; (e = readdir(d)); errno = 0) {
		/* Hidden files: ".", "..", editor swap files. */
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **nn = realloc(names, ncap * sizeof(*nn));

			if (!nn)
				break;
			names = nn;
			cap = ncap;
		}
		if (!(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	if (e || errno) {
		fail(err, errlen, "%s: cannot read directory: %s", dir,
		     e ? "out of memory" : strerror(errno));
		goto out;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *crel =
		    rel[0] ? path_join(rel, names[i]) : strdup(names[i]);
		char *path = crel ? path_join(root, crel) : NULL;
		struct stat st;
		int r = 0;

		if (!path)
			r = fail(err, errlen,
				 "out of memory loading templates");
		else if (stat(path, &st) < 0)
			r = fail(err, errlen, "%s: cannot stat: %s", path,
				 strerror(errno));
		else if (S_ISDIR(st.st_mode) && depth + 1 > MAX_DIR_DEPTH)
			r = fail(err, errlen,
				 "%s: directories nested deeper than %d", path,
				 MAX_DIR_DEPTH);
		else if (S_ISDIR(st.st_mode))
			r = load_dir(set, root, crel, depth + 1, err, errlen);
		else if (S_ISREG(st.st_mode) && is_template_file(names[i]))
			r = load_file(set, path, crel, err, errlen);
		free(crel);
		free(path);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (d)
		closedir(d);
	free(dir);
	return rc;
}

struct tmpl_set *tmpl_set_load(const char *dir, char *err, size_t errlen)
{
	struct tmpl_set *set = calloc(1, sizeof(*set));

	if (!set) {
		fail(err, errlen, "out of memory loading templates");
		return NULL;
	}
	if (load_dir(set, dir, "", 0, err, errlen) < 0 ||
	    set_finish(set, err, errlen) < 0) {
		tmpl_set_free(set);
		return NULL;
	}
	return set;
}
