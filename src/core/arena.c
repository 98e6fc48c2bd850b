/*
 * arena.c - per-request memory: a bump allocator over chained blocks.
 *
 * A request allocates freely and never frees; one arena_reset() at the end
 * gives everything back (nginx's pools).  The first block is kept across
 * resets so a worker that serves ordinary requests never calls malloc once
 * warmed up; extra blocks made during a big request are freed at its end.
 *
 * Layout: a list of blocks, the first one always at the head.  Small
 * allocations are carved from `cur`; when it is full a new block of
 * block_size becomes `cur`.  An allocation bigger than a quarter of a block
 * gets a block of its own, linked in but never made `cur`, so it does not
 * waste the rest of the current block.
 *
 * Cleanups (non-memory resources) are records allocated from the arena
 * itself and run last-in first-out before the memory goes away, so a
 * cleanup may still read anything allocated before it was registered.
 *
 * An arena is not locked: each thread owns its own.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define ARENA_ALIGN	    16
#define ARENA_DEFAULT_BLOCK 8192
#define ARENA_MIN_BLOCK	    64

struct block {
	struct block *next;
	uintptr_t pos; /* next free byte, before alignment */
	uintptr_t end; /* one past the last usable byte */
		       /* the usable bytes follow the header */
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *ptr;
};

struct arena {
	struct block *first; /* kept across resets */
	struct block *cur;   /* small allocations come from here */
	size_t block_size;
	size_t used;
	struct cleanup *cleanups; /* newest first */
	long fail_after;	  /* < 0: no injected failure */
};

static uintptr_t align_up(uintptr_t p)
{
	return (p + (ARENA_ALIGN - 1)) & ~(uintptr_t)(ARENA_ALIGN - 1);
}

/*
 * A block with room for `size` bytes after alignment.  The slack of
 * ARENA_ALIGN - 1 bytes means the usable area need not depend on malloc's
 * own alignment.
 */
static struct block *block_new(size_t size)
{
	struct block *b;

	if (size > SIZE_MAX - sizeof(*b) - ARENA_ALIGN)
		return NULL;
	b = malloc(sizeof(*b) + size + ARENA_ALIGN - 1);
	if (!b)
		return NULL;
	b->next = NULL;
	b->pos = (uintptr_t)(b + 1);
	b->end = align_up(b->pos) + size;
	return b;
}

struct arena *arena_new(size_t block_size)
{
	struct arena *a;

	if (block_size == 0)
		block_size = ARENA_DEFAULT_BLOCK;
	if (block_size < ARENA_MIN_BLOCK)
		block_size = ARENA_MIN_BLOCK;
	a = malloc(sizeof(*a));
	if (!a)
		return NULL;
	a->first = block_new(block_size);
	if (!a->first) {
		free(a);
		return NULL;
	}
	a->cur = a->first;
	a->block_size = block_size;
	a->used = 0;
	a->cleanups = NULL;
	a->fail_after = -1;
	return a;
}

/*
 * Pops each record before calling it, so a cleanup that registers another
 * one (or allocates) still sees a consistent arena.
 */
static void run_cleanups(struct arena *a)
{
	struct cleanup *c;

	while ((c = a->cleanups) != NULL) {
		a->cleanups = c->next;
		c->fn(c->ptr);
	}
}

void arena_reset(struct arena *a)
{
	struct block *b, *next;

	if (!a)
		return;
	run_cleanups(a);
	for (b = a->first->next; b; b = next) {
		next = b->next;
		free(b);
	}
	a->first->next = NULL;
	a->first->pos = (uintptr_t)(a->first + 1);
	/* what was freed into the arena (jsonmem.c) is usable again */
	MEM_UNPOISON(a->first + 1, a->first->end - a->first->pos);
	a->cur = a->first;
	a->used = 0;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	arena_reset(a);
	free(a->first);
	free(a);
}

void arena_fail_after(struct arena *a, long n)
{
	a->fail_after = n < 0 ? -1 : n;
}

size_t arena_used(const struct arena *a)
{
	return a->used;
}

/* True when the test hook says this allocation must fail.  One-shot. */
static bool injected_failure(struct arena *a)
{
	if (a->fail_after < 0)
		return false;
	if (a->fail_after-- == 0)
		return true;
	return false;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct block *b;
	uintptr_t p;

	if (injected_failure(a))
		return NULL;
	/* Zero-byte requests still get a distinct pointer. */
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	n = align_up(n);

	p = align_up(a->cur->pos);
	if (p <= a->cur->end && a->cur->end - p >= n) {
		a->cur->pos = p + n;
		a->used += n;
		return (void *)p;
	}

	if (n > a->block_size / 4) {
		/* Its own block, linked after the first; cur stays put. */
		b = block_new(n);
		if (!b)
			return NULL;
		b->next = a->first->next;
		a->first->next = b;
	} else {
		b = block_new(a->block_size);
		if (!b)
			return NULL;
		b->next = a->first->next;
		a->first->next = b;
		a->cur = b;
	}
	p = align_up(b->pos);
	b->pos = p + n;
	a->used += n;
	return (void *)p;
}

void *arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	void *p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		return NULL;
	p = arena_alloc(a, nmemb * size);
	if (p)
		memset(p, 0, nmemb * size);
	return p;
}

void *arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t size,
		 size_t first)
{
	void *w;

	if (n < *cap)
		return v;
	/* an array that fills the address space cannot double */
	if (*cap > SIZE_MAX / 2)
		return NULL;
	size_t ncap = *cap ? *cap * 2 : first;
	w = arena_calloc(a, ncap, size);
	if (!w)
		return NULL;
	if (n)
		memcpy(w, v, n * size);
	*cap = ncap;
	return w;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	n = strnlen(s, n);
	p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int len;
	char *p;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return NULL;
	p = arena_alloc(a, (size_t)len + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return p;
}

int arena_on_reset(struct arena *a, void (*fn)(void *), void *ptr)
{
	struct cleanup *c = arena_alloc(a, sizeof(*c));

	if (!c) {
		fn(ptr);
		return -1;
	}
	c->fn = fn;
	c->ptr = ptr;
	c->next = a->cleanups;
	a->cleanups = c;
	return 0;
}
