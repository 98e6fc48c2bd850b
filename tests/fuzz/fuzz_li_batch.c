/*
 * fuzz_li_batch.c - libFuzzer harness for LinkedIn's batch answers as
 * hirelink reads them (li_batch_read, li_key_match in linkedin/client.c).
 *
 * The input is LinkedIn's answer to a batch call naming three keys: a
 * complex key, another that differs in one value, and a simple key.  The
 * answer is untrusted: whatever it holds, the reader says for each key
 * whether the entity failed, and refuses an answer of another shape or one
 * naming a key that was not sent (LI_ERR_PROTOCOL).  Built and run for a
 * few seconds by `make check`, from tests/fuzz/seeds/fuzz_li_batch/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "linkedin/linkedin.h"

static const struct li_key_field k0[] = {
    {"atsCandidateId", "c1"},
    {"dataProvider", "ATS"},
    {"integrationContext", "urn:li:organization:1"},
};
static const struct li_key_field k1[] = {
    {"atsCandidateId", "c2"},
    {"dataProvider", "ATS"},
    {"integrationContext", "urn:li:organization:1"},
};
static const struct li_key_field k2[] = {{NULL, "STAGE001"}};
static const struct li_key keys[] = {{k0, 3}, {k1, 3}, {k2, 1}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *answer = json_loadb((const char *)data, size,
				    JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	struct li_outcome out[3];
	struct li_error err = {0};
	int rc = li_batch_read(answer, "fuzz", keys, 3, out, &err);
	if (rc == LI_OK) {
		for (size_t i = 0; i < 3; i++) {
			/* an entity that is not said to have succeeded
			 * has failed, and a failure has a message */
			if (!out[i].message)
				abort();
			if (!out[i].failed &&
			    (out[i].status < 200 || out[i].status > 299) &&
			    out[i].status != 0)
				abort();
		}
	} else if (rc != LI_ERR_PROTOCOL || !err.message[0]) {
		abort();
	}
	/* each key text names its own key only */
	char text[256];
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
	memcpy(text, data, n);
	text[n] = '\0';
	if (li_key_match(&keys[0], text) && li_key_match(&keys[1], text))
		abort();
	json_decref(answer);
	return 0;
}
