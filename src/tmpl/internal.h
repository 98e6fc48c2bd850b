/*
 * internal.h - the compiled form of a template, shared by compile.c (which
 * builds it at start-up) and tmpl.c (which renders it).  Not for use outside
 * src/tmpl/.
 *
 * A template compiles to a flat array of nodes.  A section is a
 * NODE_SECTION or NODE_INVERTED node, its body, then a NODE_END node; the
 * opening node knows the index of its end so rendering can skip or repeat
 * the body without searching.  Partials are resolved to an index into the
 * set's template array, so rendering never looks a name up twice.
 */
#ifndef HIRELINK_TMPL_INTERNAL_H
#define HIRELINK_TMPL_INTERNAL_H

#include <stddef.h>

enum node_kind {
	NODE_TEXT,     /* text, len: literal bytes */
	NODE_VAR,      /* {{name}}: escaped */
	NODE_RAW,      /* {{& name}} */
	NODE_SECTION,  /* {{#name}}; target = index of its NODE_END */
	NODE_INVERTED, /* {{^name}}; target = index of its NODE_END */
	NODE_END,      /* {{/name}}; target = index of the opening node */
	NODE_PARTIAL,  /* {{> name}}; target = index in tmpl_set.t */
};

struct node {
	enum node_kind kind;
	unsigned line; /* 1-based, for load-time messages */
	/* NODE_TEXT: the bytes.  Others: the name as written, for matching
	 * {{/name}} and for messages.  Borrowed from tmpl.src. */
	const char *text;
	size_t len;
	/* Dotted name split into NUL-terminated segments: one malloc'd block
	 * holding the pointer array followed by the bytes.  NULL (nsegs 0) for
	 * "." and for nodes that look nothing up. */
	char **segs;
	size_t nsegs;
	size_t target;
};

struct tmpl {
	char *name; /* "jobs/list" */
	char *path; /* file path for tmpl_set_load, name otherwise; messages */
	char *src;  /* the source, NUL-terminated; text nodes point into it */
	size_t len;
	struct node *nodes;
	size_t nnodes;
	size_t cap;
	/* Filled by the load-time check, see check_partials() in compile.c. */
	int state;
	unsigned frames;   /* most context frames one render pushes */
	unsigned partials; /* longest chain of nested partials below it */
};

/* Immutable once tmpl_set_load() or tmpl_set_from_strings() returns, which
 * is what makes concurrent rendering safe. */
struct tmpl_set {
	struct tmpl *t; /* sorted by name, for bsearch */
	size_t n;
	size_t cap;
};

/* Index of the template named name[0..len) in set->t, or set->n when there
 * is none.  Binary search: set->t is sorted once loading is done. */
size_t tmpl_index(const struct tmpl_set *set, const char *name, size_t len);

#endif
