/*
 * jsonmem.c - jansson's memory comes from the request's arena.
 *
 * A page is a tree of jansson values, built once, rendered once and
 * dropped: hundreds of small objects for a 50-row list, and with malloc
 * each value, each object's hash table and each key was its own malloc and
 * free, 14-18% of hirelink's CPU on the list pages (make bench, perf).
 * While a thread serves a request, jansson allocates from the request's
 * arena instead; freeing is then free of cost, and arena_reset() gives the
 * memory back with the rest of the request.
 *
 * Each allocation carries a header saying where it came from, so a value
 * made outside a request (at start-up, in a thread that serves none) is
 * still freed with free(), wherever its last reference goes.  A value made
 * during a request must not outlive it, which holds anyway: the request's
 * values are released by the arena's cleanups (arena_on_reset).
 *
 * Under AddressSanitizer a value freed during its request is poisoned, so
 * a use after its last json_decref is still reported.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/core.h"
#include "http/http.h"

enum { FROM_HEAP = 0x70616568, FROM_ARENA = 0x6e657261 };

/* 16 bytes keep the value as aligned as malloc's and the arena's own. */
struct header {
	uint32_t from;
	uint32_t pad;
	uint64_t size;
};

static _Thread_local struct arena *request_arena;

static void *json_mem_alloc(size_t n)
{
	struct header *h;

	if (n > SIZE_MAX - sizeof(*h))
		return NULL;
	if (request_arena) {
		h = arena_alloc(request_arena, sizeof(*h) + n);
		if (!h)
			return NULL;
		h->from = FROM_ARENA;
	} else {
		h = malloc(sizeof(*h) + n);
		if (!h)
			return NULL;
		h->from = FROM_HEAP;
	}
	h->size = n;
	return h + 1;
}

static void json_mem_free(void *p)
{
	struct header *h;

	if (!p)
		return;
	h = (struct header *)p - 1;
	if (h->from == FROM_HEAP) {
		free(h);
	} else if (h->from == FROM_ARENA) {
		/* the arena hands out multiples of 16 bytes, and
		 * AddressSanitizer poisons whole 8-byte granules only */
		MEM_POISON(p, (h->size + 15) & ~(uint64_t)15);
	} else {
		log_error("jansson freed memory it did not allocate");
		abort();
	}
}

void http_json_memory_install(void)
{
	json_set_alloc_funcs(json_mem_alloc, json_mem_free);
}

void http_json_arena(struct arena *a)
{
	request_arena = a;
}
