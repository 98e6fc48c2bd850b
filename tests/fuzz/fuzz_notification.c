/*
 * fuzz_notification.c - libFuzzer harness for a LinkedIn push
 * notification's delivery as the callback reads it
 * (src/linkedin/notification_body.c): the body (li_notification_read) and
 * the X-LI-Signature header (li_signature_ok).
 *
 * Built and run for a few seconds by `make check` (scripts/check.sh), from
 * tests/fuzz/seeds/fuzz_notification/; for longer:
 *   make fuzz && build/fuzz/fuzz_notification -max_total_time=600
 *
 * What must hold, whatever the input: a body is read or rejected with a
 * reason; one that is not rejected names a requestId hirelink keeps, an
 * event type it acts on and no other organization; any requestId it names
 * is one hirelink keeps.  The input's own signature verifies, with or
 * without the prefix; the same with one hex digit changed, or under
 * another secret, does not; the input taken as a header never verifies a
 * body it did not sign (nor crashes).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ats/inbound.h"
#include "core/crypto.h"
#include "linkedin/linkedin.h"

#define ORG "urn:li:organization:42"
#define SECRET "fuzz-client-secret"

static void signature_of(const uint8_t *data, size_t size, char hex[65])
{
	unsigned char mac[SHA256_LEN];
	uint8_t *msg = malloc(size + 11);
	if (!msg)
		abort();
	memcpy(msg, "hmacsha256=", 11);
	if (size)
		memcpy(msg + 11, data, size);
	if (crypto_hmac_sha256(SECRET, strlen(SECRET), msg, size + 11, mac))
		abort();
	hex_encode(mac, SHA256_LEN, hex);
	free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new(4096);
	struct li_notification n;
	if (!a)
		return 0;
	if (li_notification_read(a, (const char *)data, size, ORG, &n) == 0) {
		if (n.request_id && !li_request_id_ok(n.request_id))
			abort();
		if (!n.rejection &&
		    (!n.request_id ||
		     (strcmp(n.event_type, INBOUND_EXPORT) &&
		      strcmp(n.event_type, INBOUND_INTEGRATION) &&
		      strcmp(n.event_type, INBOUND_STUB)) ||
		     (*n.integration_context &&
		      strcmp(n.integration_context, ORG))))
			abort();
		if (n.rejection && !*n.rejection)
			abort();
	}

	char hex[65], prefixed[80];
	signature_of(data, size, hex);
	memcpy(prefixed, "hmacsha256=", 11);
	memcpy(prefixed + 11, hex, 65);
	if (!li_signature_ok(SECRET, data, size, hex) ||
	    !li_signature_ok(SECRET, data, size, prefixed) ||
	    li_signature_ok("another-secret", data, size, hex))
		abort();
	hex[size % 64] = hex[size % 64] == '0' ? '1' : '0';
	if (li_signature_ok(SECRET, data, size, hex))
		abort();

	/* the input as the header of an empty body it did not sign */
	char *header = malloc(size + 1);
	if (!header)
		abort();
	memcpy(header, data, size);
	header[size] = '\0';
	char empty_sig[65];
	signature_of(NULL, 0, empty_sig);
	bool ok = li_signature_ok(SECRET, "", 0, header);
	const char *h = strncasecmp(header, "hmacsha256=", 11) ? header
							       : header + 11;
	if (ok && strcasecmp(h, empty_sig))
		abort();
	free(header);
	arena_free(a);
	return 0;
}
