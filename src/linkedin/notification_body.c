/*
 * notification_body.c - what a push notification's delivery is, before
 * anything is stored: its signature (X-LI-Signature), LinkedIn's
 * challenge, and its body read as hirelink's convention has it
 * ({"eventType", "requestId", "integrationContext", "occurredAt"},
 * unknown members tolerated).
 *
 * Pure functions over bytes (core, jansson): no network, no database, so
 * the libFuzzer harness tests/fuzz/fuzz_notification.c runs them alone.
 */
#include <string.h>
#include <strings.h>

#include "ats/inbound.h"
#include "core/crypto.h"
#include "linkedin/linkedin.h"

#define SIGNATURE_PREFIX "hmacsha256="

bool li_signature_ok(const char *secret, const void *body, size_t len,
		     const char *header)
{
	unsigned char want[SHA256_LEN], got[SHA256_LEN];
	size_t plen = strlen(SIGNATURE_PREFIX);
	bool ok = false;

	if (!secret || !*secret || !header)
		return false;
	if (!strncasecmp(header, SIGNATURE_PREFIX, plen))
		header += plen;
	if (strlen(header) != 2 * SHA256_LEN ||
	    hex_decode(header, got, sizeof(got)) < 0)
		return false;
	/* the message is "hmacsha256=" and then the raw body */
	struct buf msg = BUF_INIT;
	buf_add(&msg, SIGNATURE_PREFIX, plen);
	buf_add(&msg, body, len);
	if (!buf_failed(&msg) &&
	    crypto_hmac_sha256(secret, strlen(secret), msg.data, msg.len,
			       want) == 0)
		ok = crypto_equal(want, got, SHA256_LEN);
	buf_release(&msg);
	crypto_wipe(want, sizeof(want));
	return ok;
}

const char *li_challenge_response(struct arena *a, const char *secret,
				  const char *code)
{
	unsigned char mac[SHA256_LEN];
	char *hex = arena_alloc(a, 2 * SHA256_LEN + 1);
	if (!hex || !secret ||
	    crypto_hmac_sha256(secret, strlen(secret), code, strlen(code),
			       mac) < 0)
		return NULL;
	hex_encode(mac, SHA256_LEN, hex);
	return hex;
}

bool li_request_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > INBOUND_REQUEST_ID_MAX)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

/* Member name of object o when it is a string: copied into the arena;
 * dflt when absent or not a string.  NULL when out of memory. */
static const char *member_str(struct arena *a, json_t *o, const char *name,
			      const char *dflt)
{
	json_t *v = json_object_get(o, name);
	if (!json_is_string(v))
		return dflt;
	return arena_strndup(a, json_string_value(v), json_string_length(v));
}

int li_notification_read(struct arena *a, const char *body, size_t len,
			 const char *organization_urn,
			 struct li_notification *out)
{
	json_error_t e;
	*out = (struct li_notification){.event_type = "",
					.integration_context = ""};
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
	if (!json_is_object(j)) {
		out->rejection =
		    j ? "not a JSON object"
		      : arena_printf(a, "not JSON: %s at character %d", e.text,
				     e.position);
		json_decref(j);
		return out->rejection ? 0 : -1;
	}
	const char *rid = member_str(a, j, "requestId", "");
	out->event_type = member_str(a, j, "eventType", "");
	out->integration_context = member_str(a, j, "integrationContext", "");
	json_t *at = json_object_get(j, "occurredAt");
	if (json_is_integer(at))
		out->occurred_at = json_integer_value(at);
	json_decref(j);
	if (!rid || !out->event_type || !out->integration_context)
		return -1;
	if (li_request_id_ok(rid))
		out->request_id = rid;
	if (!out->request_id)
		out->rejection = "no requestId (1 to 100 printable characters)";
	else if (strcmp(out->event_type, INBOUND_EXPORT) &&
		 strcmp(out->event_type, INBOUND_INTEGRATION) &&
		 strcmp(out->event_type, INBOUND_STUB))
		out->rejection = arena_printf(
		    a,
		    "eventType \"%s\" is none hirelink acts on "
		    "(" INBOUND_EXPORT ", " INBOUND_INTEGRATION
		    ", " INBOUND_STUB ")",
		    strlen(out->event_type) <= 64 ? out->event_type : "...");
	else if (*out->integration_context &&
		 strcmp(out->integration_context,
			organization_urn ? organization_urn : ""))
		out->rejection = arena_printf(
		    a, "integrationContext %s is not this hirelink's "
		       "organization",
		    strlen(out->integration_context) <= 100
			? out->integration_context
			: "...");
	else
		return 0;
	return out->rejection ? 0 : -1;
}
