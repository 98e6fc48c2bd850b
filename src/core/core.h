/*
 * core.h - the base layer every other layer stands on.
 *
 * Arena (per-request memory, freed in one call), struct buf (the one growable
 * string type, with a sticky error), logging, the fragment cache, small
 * utilities.  Crypto lives in crypto.h, configuration in config.h.
 *
 * Ownership vocabulary used in every header of hirelink:
 *   new         - the caller frees it (with the named function)
 *   borrowed    - valid until the owner named in the comment changes it
 *   arena-owned - valid until the arena it came from is reset or freed
 */
#ifndef HIRELINK_CORE_H
#define HIRELINK_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Memory AddressSanitizer should treat as freed, or as usable again. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define MEM_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define MEM_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define MEM_POISON(p, n) ((void)(p), (void)(n))
#define MEM_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* ---------------------------------------------------------------- arena */

/*
 * A bump allocator made of chained blocks.  Everything a request allocates
 * comes from its arena and is released by one arena_reset() at the end of
 * the request.  Non-memory resources (json_t references, MYSQL_RES, curl
 * lists) are handed to arena_on_reset() so they are released at that moment.
 *
 * Allocation failure returns NULL (never aborts).  For tests,
 * arena_fail_after(a, n) makes the (n+1)-th allocation from now fail (only
 * that one; later ones succeed again).  Every allocating call counts once:
 * arena_alloc/calloc/strdup/strndup/printf and the record arena_on_reset()
 * keeps.
 */
struct arena;

struct arena *arena_new(size_t block_size);   /* new: arena_free(); NULL on OOM */
void arena_free(struct arena *a);              /* runs cleanups, frees all; NULL ok */
void arena_reset(struct arena *a);             /* runs cleanups, keeps first block */
void *arena_alloc(struct arena *a, size_t n);  /* arena-owned, 16-byte aligned */
void *arena_calloc(struct arena *a, size_t nmemb, size_t size); /* zeroed; overflow -> NULL */
char *arena_strdup(struct arena *a, const char *s);            /* NULL s -> NULL */
char *arena_strndup(struct arena *a, const char *s, size_t n); /* always NUL-terminated */
char *arena_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Room for one more element in the arena array v of n elements of size
 * bytes, with room for *cap: v itself while n < *cap, else a copy in a new
 * array of twice the room (first for an empty one; the old one is left
 * behind, costing at most what the final one does), *cap updated.  NULL on
 * OOM, v and *cap unchanged. */
void *arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t size,
		 size_t first);
/* Registers fn(ptr) to run at the next reset/free (LIFO order).  -1 on OOM,
 * in which case fn(ptr) is run at once so nothing leaks. */
int arena_on_reset(struct arena *a, void (*fn)(void *), void *ptr);
size_t arena_used(const struct arena *a);      /* bytes handed out since reset */
void arena_fail_after(struct arena *a, long n); /* test hook; n < 0 disables */

/* ---------------------------------------------------------------- buf */

/*
 * struct buf: a growable byte string, always NUL-terminated, data never NULL
 * (an empty buf points at a static ""), like git's strbuf.  Appends never
 * fail loudly: on OOM or when the optional maximum size is exceeded the buf
 * records a sticky error and ignores further appends; the caller checks
 * buf_failed() once at the end (SQLite's sqlite3_str).  Memory is malloc'd:
 * release with buf_release(), or keep it with buf_detach() (new).
 */
struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;   /* 0 = unlimited */
	int err;      /* 0, BUF_ENOMEM or BUF_ETOOBIG */
};

enum { BUF_ENOMEM = 1, BUF_ETOOBIG = 2 };

#define BUF_INIT { (char *)"", 0, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);     /* max 0 = unlimited */
void buf_release(struct buf *b);              /* back to empty, frees memory */
char *buf_detach(struct buf *b, size_t *len); /* new (free()); NULL if failed */
void buf_reset(struct buf *b);                /* len 0, keeps memory, clears err */
static inline bool buf_failed(const struct buf *b) { return b->err != 0; }
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);  /* NULL s appends nothing */
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
/* Escapers: append s escaped for the context. */
void buf_add_html(struct buf *b, const char *s, size_t n); /* & < > " ' */
void buf_add_url(struct buf *b, const char *s, size_t n);  /* RFC 3986 unreserved kept */
void buf_add_hex(struct buf *b, const unsigned char *p, size_t n); /* lowercase */
/* Appends v serialised by jansson with json_dumps flags; -1 if jansson
 * fails (the buffer's own failure shows in buf_failed). */
struct json_t;
int buf_add_json(struct buf *b, const struct json_t *v, size_t flags);
/* Registers buf_release(b) with the arena. -1 on OOM (b released at once). */
int buf_release_on_reset(struct buf *b, struct arena *a);

/* ---------------------------------------------------------------- log */

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* One line each to stderr: "2026-11-25T20:35:17.123Z level message".
 * Thread-safe (one write(2) per line).  Messages are lowercase, what failed
 * first, no full stop. */
void log_set_level(enum log_level l);
/* "debug", "info", "warn" or "error" into *out; -1 for any other word. */
int log_level_parse(const char *word, enum log_level *out);
void log_msg(enum log_level l, const char *fmt, ...) PRINTF_LIKE(2, 3);
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* ---------------------------------------------------------------- fragcache */

/* Fragments of pages (HTML, a row) kept while their data's revision (a number
 * MariaDB's triggers bump with every change to it) is unchanged; shared by
 * every thread (fragcache.c explains why a hit is never stale). */
struct fragcache;
/* new: fragcache_free(); at most nslots fragments of max_len bytes each.
 * NULL when nslots is 0 (no cache: every get misses) or on OOM. */
struct fragcache *fragcache_new(size_t nslots, size_t max_len);
void fragcache_free(struct fragcache *fc); /* NULL ok */
/* The fragment kept for key at revision, arena-owned and NUL-terminated,
 * its length in *len and the number kept with it in *num; NULL on a miss. */
const char *fragcache_get(struct fragcache *fc, const char *key,
			  uint64_t revision, struct arena *a, size_t *len,
			  int64_t *num);
/* Keeps a copy of data[0..len) and num for key, rendered from data read
 * after revision was.  Longer than max_len: not kept. */
void fragcache_put(struct fragcache *fc, const char *key, uint64_t revision,
		   const char *data, size_t len, int64_t num);
void fragcache_stats(struct fragcache *fc, unsigned long *hits,
		     unsigned long *misses);

/* ---------------------------------------------------------------- util */

int64_t time_now_ms(void);     /* wall clock, UTC epoch ms */
int64_t time_mono_us(void);    /* monotonic, microseconds */
/* true when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, no NUL) */
bool utf8_valid(const char *s, size_t n);
/* number of code points in valid UTF-8 */
size_t utf8_len(const char *s, size_t n);
/* Parses a decimal int64 that must fill the whole string; -1 on error. */
int parse_i64(const char *s, int64_t *out);
/* The value of hex digit c (0-9, a-f, A-F), -1 for any other character. */
int hex_value(char c);
/* Trims ASCII whitespace in place; returns s. */
char *str_trim(char *s);

#endif
