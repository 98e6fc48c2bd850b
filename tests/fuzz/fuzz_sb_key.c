/*
 * fuzz_sb_key.c - libFuzzer harness for the sandbox's Rest.li entity key
 * parser (sb_key_parse in src/sandbox/restli.c): the "a=v&b=w" keys of a
 * batch body's "entities" and of a path segment, which hirelink (or
 * anyone) sends the sandbox.
 *
 * The input is a key as sent.  Whatever it is, the parser refuses it or
 * gives at most SB_KEY_FIELDS named fields, each name non-empty; and a
 * key it accepts, written back in the key's syntax (key_text, the form
 * the sandbox names keys by in its answers), parses to the same key.
 * restli.c is included whole for its static key_text and key_equal; what
 * its other functions call from the rest of the sandbox is stubbed below
 * (aborting: the key parser calls none of it).  Should restli.c call
 * something new, add its stub here.  Run by `make check`, from
 * tests/fuzz/seeds/fuzz_sb_key/.
 */
#include "../../src/sandbox/restli.c"

#define NEVER(decl)                                                            \
	decl                                                                   \
	{                                                                      \
		abort();                                                       \
	}
NEVER(void sb_api_error(struct sb_ctx *c, int status, int code,
			const char *message))
NEVER(void sb_control_error(struct sb_ctx *c, int status, const char *message))
NEVER(bool sb_control_refused(struct sb_ctx *c))
NEVER(void sb_json(struct sb_ctx *c, int status, json_t *json))
NEVER(void sb_db_fail(struct sb_ctx *c))
NEVER(int sb_app_caller(struct sb_ctx *c, const char *resource,
			const char **client_id, int64_t *organization_id))
NEVER(int db_query_row(struct db *db, struct arena *a, struct db_row *row,
		       const char *sql, const char *types, ...))
NEVER(int64_t db_int(const struct db_row *row, size_t i))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(4096);
	char *s = a ? arena_strndup(a, (const char *)data, size) : NULL;
	if (!s)
		abort();
	struct sb_rkey k, again;
	if (sb_key_parse(a, s, &k) == 0) {
		if (k.n == 0 || k.n > SB_KEY_FIELDS)
			abort();
		for (size_t i = 0; i < k.n; i++)
			if (!k.name[i] || !*k.name[i] || !k.value[i])
				abort();
		/* a name that appears twice keeps its last value; written
		 * back once, it must read the same */
		const char *text = key_text(a, &k);
		if (strchr(text, '\0') != text + strlen(text))
			abort();
		/* names are written as they came: one with '&' or '=' in it
		 * cannot come back (the parser never makes one) */
		if (sb_key_parse(a, text, &again) != 0 ||
		    !key_equal(&k, &again))
			abort();
	}
	arena_free(a);
	return 0;
}
