/*
 * test_notifications.c - LinkedIn's push notifications reaching hirelink
 * (POST /linkedin/notifications) through nginx, as LinkedIn sends them:
 * signed here with the sandbox application's client secret (HMAC-SHA256
 * of "hmacsha256=" and the raw body), or not, or wrongly.  What must hold:
 * LinkedIn's challenge is answered; a delivery without a good signature
 * is 401 and leaves nothing behind; a body over 64 KiB is 413; a signed
 * body that is no notification hirelink knows is 400 and kept as rejected;
 * a good one is 200 at once and stored once however often it is
 * delivered; while the integration is off, 503 and nothing stored.  And
 * the admin's events page lists them, with Retry for refused ones.
 *
 * Applying an export (the worker, the sandbox's exportedCandidates) is
 * test_exports.c's on the database.
 *
 * The integration row is global: the suite enables it with the sandbox's
 * application and puts it back to "not set up" at the end.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/crypto.h"
#include "../suite.h"
#include "itest.h"

#define PATH "/linkedin/notifications"

static const struct itest_li_app *li;
static struct itest_person admin, rec;
static struct itest_client *linkedin; /* LinkedIn's side: no cookies */

static const char *not_set_up =
    "UPDATE integration SET enabled = 0, client_id = '', "
    "client_secret_enc = NULL, organization_urn = '', contract_urn = '', "
    "ats_instance_name = '', last_error = NULL, last_error_at = NULL, "
    "last_success_at = NULL WHERE id = 1; DELETE FROM linkedin_app_token;";

static int suite_init(void)
{
	li = itest_li_app();
	linkedin = itest_client_new(itest_addr(7));
	if (!li || !linkedin ||
	    itest_person_add(&admin, "ada", "Notifications", "admin",
			     "none") ||
	    itest_person_add(&rec, "rita", "Notifications", "recruiter",
			     "recruiter"))
		return 1;
	struct itest_resp r = itest_li_enable(itest_as(&admin), NULL);
	long st = r.status;
	itest_resp_free(&r);
	return st == 303 ? 0 : 1;
}

static int suite_clean(void)
{
	itest_sql(not_set_up);
	itest_client_free(linkedin);
	itest_person_free(&admin);
	itest_person_free(&rec);
	return 0;
}

/* ------------------------------------------------------------ LinkedIn */

/* hex HMAC-SHA256(key, msg[0..n)); new. */
static char *hmac_hex(const char *key, const char *msg, size_t n)
{
	unsigned char mac[SHA256_LEN];
	char *hex = malloc(2 * SHA256_LEN + 1);
	if (!hex || crypto_hmac_sha256(key, strlen(key), msg, n, mac) < 0)
		abort();
	hex_encode(mac, SHA256_LEN, hex);
	return hex;
}

/* The X-LI-Signature header of body under secret, as LinkedIn makes it:
 * the HMAC of "hmacsha256=" followed by the body; prefixed, "hmacsha256="
 * before the hex.  New. */
static char *signature(const char *secret, const char *body, size_t len,
		       bool prefixed)
{
	char *msg = malloc(len + 12);
	if (!msg)
		abort();
	memcpy(msg, "hmacsha256=", 11);
	memcpy(msg + 11, body, len);
	char *hex = hmac_hex(secret, msg, len + 11);
	char *h = itest_fmt("X-LI-Signature: %s%s",
			    prefixed ? "hmacsha256=" : "", hex);
	free(hex);
	free(msg);
	return h;
}

/* POSTs body[0..len) with the header (NULL: none). */
static struct itest_resp deliver_raw(const char *body, size_t len,
				     const char *header)
{
	return itest_post_raw(linkedin, PATH, "application/json", body, len,
			      header);
}

/* POSTs body signed with the application's secret. */
static struct itest_resp deliver(const char *body)
{
	char *h = signature(li->client_secret, body, strlen(body), false);
	struct itest_resp r = deliver_raw(body, strlen(body), h);
	free(h);
	return r;
}

/* A notification as the sandbox sends them; new. */
static char *notification(const char *type, const char *request_id)
{
	return itest_fmt("{\"eventType\":\"%s\",\"requestId\":\"%s\","
			 "\"integrationContext\":\"%s\",\"occurredAt\":"
			 "1764720000000}",
			 type, request_id, li->organization);
}

static long long events(void)
{
	return itest_sql_int("SELECT COUNT(*) FROM inbound_events");
}

static long long events_of(const char *request_id)
{
	return itest_sql_int("SELECT COUNT(*) FROM inbound_events WHERE "
			     "request_id = '%s'",
			     request_id);
}

static long long applications(void)
{
	return itest_sql_int("SELECT COUNT(*) FROM applications");
}

/* A requestId of this run; new. */
static char *request_id(const char *what)
{
	char *u = itest_unique(what);
	char *id = itest_fmt("%s-4f1c-8a2b-%s", u, "9d3e5f7a1b2c");
	free(u);
	return id;
}

/* ------------------------------------------------------------ challenge */

static void linkedin_challenge_is_answered(void)
{
	const char *code = "2a7f0c8e-1b3d-4e5f-9a6b-7c8d9e0f1a2b";
	char *path = itest_fmt("%s?challengeCode=%s", PATH, code);
	struct itest_resp r = itest_get(linkedin, path, false);
	CHECK_STATUS(r, 200, "the challenge");
	const char *ct = itest_header(&r, "Content-Type");
	CHECK(ct && !strncmp(ct, "application/json", 16),
	      "the challenge is answered in JSON: %s", ct ? ct : "(none)");
	json_t *j = itest_json(&r);
	char *want = hmac_hex(li->client_secret, code, strlen(code));
	CHECK(!strcmp(itest_jstr(j, "challengeCode"), code),
	      "the code comes back");
	CHECK(!strcmp(itest_jstr(j, "challengeResponse"), want),
	      "the response is the code's HMAC under the client secret: %s",
	      itest_jstr(j, "challengeResponse"));
	CHECK(!strstr(r.body, li->client_secret), "the secret stays home");
	free(want);
	json_decref(j);
	itest_resp_free(&r);
	free(path);

	r = itest_get(linkedin, PATH, false);
	CHECK_STATUS(r, 400, "a challenge without a code");
	CHECK_HAS(r, "challengeCode", "the error names the field");
	itest_resp_free(&r);
}

/* ------------------------------------------------------------ refused */

static void unsigned_or_forged_deliveries_leave_nothing(void)
{
	char *rid = request_id("forged");
	char *body = notification("EXPORT_CANDIDATE_PROFILE", rid);
	long long before = events(), apps = applications();
	char *plain = hmac_hex(li->client_secret, body, strlen(body));
	struct {
		const char *what;
		char *header;
	} cases[] = {
	    {"no X-LI-Signature", NULL},
	    {"an empty one", itest_strdup("X-LI-Signature: ")},
	    {"the signature of another body",
	     signature(li->client_secret, "{}", 2, false)},
	    {"a signature with another secret",
	     signature("not-the-secret", body, strlen(body), false)},
	    {"a signature of the body without the prefix in the message",
	     itest_fmt("X-LI-Signature: %s", plain)},
	    {"no hex", itest_strdup("X-LI-Signature: hmacsha256=zz")},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct itest_resp r =
		    deliver_raw(body, strlen(body), cases[i].header);
		CHECK(r.status == 401, "%s: status %ld, want 401",
		      cases[i].what, r.status);
		itest_resp_free(&r);
		free(cases[i].header);
	}
	CHECK(events() == before, "nothing stored (%lld events, were %lld)",
	      events(), before);
	CHECK(events_of(rid) == 0, "the requestId is unknown");
	CHECK(applications() == apps, "nothing applied");
	free(plain);
	free(body);
	free(rid);
}

static void a_body_over_64_kib_is_413(void)
{
	size_t n = 65 * 1024;
	char *body = malloc(n + 1);
	CU_ASSERT_FATAL(body != NULL);
	char *rid = request_id("big");
	int head = snprintf(body, n, "{\"eventType\":\"EXPORT_CANDIDATE_"
				     "PROFILE\",\"requestId\":\"%s\",\"pad\":\"",
			    rid);
	memset(body + head, 'x', n - (size_t)head - 2);
	memcpy(body + n - 2, "\"}", 3);
	long long before = events();
	char *h = signature(li->client_secret, body, n, false);
	struct itest_resp r = deliver_raw(body, n, h);
	CHECK_STATUS(r, 413, "a signed 65 KiB delivery");
	itest_resp_free(&r);
	CHECK(events() == before && events_of(rid) == 0, "nothing stored");
	free(h);

	/* just under the limit: read, checked and kept */
	size_t m = 60 * 1024;
	memcpy(body + m - 2, "\"}", 3);
	h = signature(li->client_secret, body, m, false);
	r = deliver_raw(body, m, h);
	CHECK_STATUS(r, 200, "a signed 60 KiB delivery");
	itest_resp_free(&r);
	CHECK(events_of(rid) == 1, "the 60 KiB one is stored");
	free(h);
	free(rid);
	free(body);
}

static void a_signed_body_hirelink_does_not_know_is_rejected(void)
{
	long long apps = applications();
	/* truncated JSON: no requestId to key it by, so the body's hash */
	char *rid = request_id("truncated");
	char *full = notification("EXPORT_CANDIDATE_PROFILE", rid);
	full[strlen(full) / 2] = '\0';
	for (int i = 0; i < 2; i++) {
		struct itest_resp r = deliver(full);
		CHECK_STATUS(r, 400, "truncated JSON");
		itest_resp_free(&r);
	}
	CHECK(itest_sql_int("SELECT COUNT(*) FROM inbound_events WHERE body = "
			    "'%s' AND status = 'rejected' AND request_id LIKE "
			    "'sha256:%%'",
			    full) == 1,
	      "kept once as rejected, by the body's hash");

	/* an unknown type, a missing requestId, a JSON array */
	char *rid2 = request_id("unknown");
	char *unknown = notification("SOMETHING_ELSE", rid2);
	struct itest_resp r = deliver(unknown);
	CHECK_STATUS(r, 400, "an unknown eventType");
	CHECK_HAS(r, "SOMETHING_ELSE", "the answer says which type");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM inbound_events WHERE "
			    "request_id = '%s' AND status = 'rejected' AND "
			    "event_type = 'SOMETHING_ELSE'",
			    rid2) == 1,
	      "kept as rejected by its requestId");
	/* LinkedIn delivers it again: the same answer, one row */
	r = deliver(unknown);
	CHECK_STATUS(r, 400, "the unknown type again");
	itest_resp_free(&r);
	CHECK(events_of(rid2) == 1, "still one row");

	r = deliver("{\"eventType\":\"EXPORT_CANDIDATE_PROFILE\"}");
	CHECK_STATUS(r, 400, "no requestId");
	CHECK_HAS(r, "requestId", "the answer says what is missing");
	itest_resp_free(&r);
	r = deliver("[1,2]");
	CHECK_STATUS(r, 400, "a JSON array");
	itest_resp_free(&r);
	char *other = itest_fmt("{\"eventType\":\"EXPORT_CANDIDATE_PROFILE\","
				"\"requestId\":\"%s-o\",\"integrationContext\":"
				"\"urn:li:organization:999999999\"}",
				rid2);
	r = deliver(other);
	CHECK_STATUS(r, 400, "another organization's notification");
	itest_resp_free(&r);
	CHECK(applications() == apps, "nothing applied");
	free(other);
	free(unknown);
	free(rid2);
	free(full);
	free(rid);
}

/* ------------------------------------------------------------ received */

static void a_good_delivery_is_stored_once(void)
{
	char *rid = request_id("thrice");
	char *body = notification("EXPORT_CANDIDATE_PROFILE", rid);
	for (int i = 0; i < 3; i++) {
		/* with and without the prefix: LinkedIn sends either */
		char *h = signature(li->client_secret, body, strlen(body),
				    i == 1);
		struct itest_resp r = deliver_raw(body, strlen(body), h);
		CHECK_STATUS(r, 200, "a signed export notification");
		json_t *j = itest_json(&r);
		CHECK(!strcmp(itest_jstr(j, "status"),
			      i == 0 ? "received" : "duplicate"),
		      "delivery %d is %s", i + 1, itest_jstr(j, "status"));
		json_decref(j);
		itest_resp_free(&r);
		free(h);
	}
	CHECK(events_of(rid) == 1, "one event for three deliveries: %lld",
	      events_of(rid));
	CHECK(itest_sql_int("SELECT COUNT(*) FROM inbound_events WHERE "
			    "request_id = '%s' AND event_type = "
			    "'EXPORT_CANDIDATE_PROFILE' AND body = '%s' AND "
			    "status <> 'rejected' AND integration_context = "
			    "'%s' AND occurred_at = 1764720000000",
			    rid, body, li->organization) == 1,
	      "stored as sent, with the raw body");
	free(body);
	free(rid);
}

static void while_the_integration_is_off_deliveries_wait(void)
{
	char *rid = request_id("off");
	char *body = notification("EXPORT_CANDIDATE_PROFILE", rid);
	CU_ASSERT_EQUAL(itest_sql("UPDATE integration SET enabled = 0"), 0);
	itest_li_settings_settle();
	struct itest_resp r = deliver(body);
	CHECK_STATUS(r, 503, "a delivery while the integration is off");
	CHECK(itest_header(&r, "Retry-After") != NULL,
	      "LinkedIn is told to come back");
	itest_resp_free(&r);
	r = itest_get(linkedin, PATH "?challengeCode=abc", false);
	CHECK_STATUS(r, 503, "the challenge while it is off");
	itest_resp_free(&r);
	CHECK(events_of(rid) == 0, "nothing stored");
	/* unsigned is 401 all the same: nothing to check it with needed */
	r = deliver_raw(body, strlen(body), NULL);
	CHECK_STATUS(r, 401, "unsigned while off");
	itest_resp_free(&r);

	CU_ASSERT_EQUAL(itest_sql("UPDATE integration SET enabled = 1"), 0);
	itest_li_settings_settle();
	r = deliver(body);
	CHECK_STATUS(r, 200, "LinkedIn's retry once it is on again");
	itest_resp_free(&r);
	CHECK(events_of(rid) == 1, "stored now");
	free(body);
	free(rid);
}

/* ------------------------------------------------------------ the admin */

static void the_admin_sees_every_notification(void)
{
	char *rid = request_id("listed");
	char *body = notification("EXPORT_CANDIDATE_PROFILE", rid);
	struct itest_resp r = deliver(body);
	CHECK_STATUS(r, 200, "a notification to list");
	itest_resp_free(&r);

	r = itest_get(itest_as(&admin), "/admin/linkedin/events", false);
	CHECK_STATUS(r, 200, "the events page");
	CHECK_HAS(r, rid, "the notification is listed by its requestId");
	CHECK_HAS(r, "EXPORT_CANDIDATE_PROFILE", "with its type");
	itest_resp_free(&r);

	long st;
	json_t *j = itest_get_json(itest_as(&admin),
				   "/admin/linkedin/events?status=rejected",
				   &st);
	CHECK(st == 200 && json_is_array(json_object_get(j, "events")),
	      "the events as JSON");
	json_t *e;
	size_t i;
	bool only_rejected = json_array_size(json_object_get(j, "events")) > 0;
	json_array_foreach(json_object_get(j, "events"), i, e)
	    only_rejected &= !strcmp(itest_jstr(e, "status"), "rejected");
	CHECK(only_rejected, "?status=rejected lists rejected ones only");
	json_decref(j);

	r = itest_get(itest_as(&admin), "/admin/linkedin/events?status=bogus",
		      false);
	CHECK_STATUS(r, 400, "an unknown status");
	itest_resp_free(&r);
	r = itest_get(itest_as(&rec), "/admin/linkedin/events", false);
	CHECK_STATUS(r, 403, "a recruiter");
	itest_resp_free(&r);

	/* Retry: a refused event comes back to the worker; others 404 */
	long long id = itest_sql_int(
	    "SELECT id FROM inbound_events WHERE request_id = '%s'", rid);
	char *path = itest_fmt("/admin/linkedin/events/%lld/retry", id);
	ITEST_SQL("refuse it",
		  itest_fmt("UPDATE inbound_events SET status = 'refused', "
			    "reason = 'test' WHERE id = %lld",
			    id));
	r = itest_post(itest_as(&admin), path, false, admin.csrf, NULL);
	CHECK_STATUS(r, 303, "Retry of a refused notification");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM inbound_events WHERE id = "
			    "%lld AND status <> 'refused'",
			    id) == 1,
	      "it is waiting for the worker again");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'inbound_event.retry' AND entity_id = %lld",
			    id) == 1,
	      "audited");
	r = itest_post(itest_as(&admin), path, false, admin.csrf, NULL);
	CHECK(r.status == 404 || r.status == 303,
	      "Retry of one that is not refused any more: %ld", r.status);
	itest_resp_free(&r);
	r = itest_post(itest_as(&admin), path, false, "wrong", NULL);
	CHECK_STATUS(r, 403, "Retry without the CSRF token");
	itest_resp_free(&r);
	free(path);
	free(body);
	free(rid);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(linkedin_challenge_is_answered),
	    TEST(unsigned_or_forged_deliveries_leave_nothing),
	    TEST(a_body_over_64_kib_is_413),
	    TEST(a_signed_body_hirelink_does_not_know_is_rejected),
	    TEST(a_good_delivery_is_stored_once),
	    TEST(while_the_integration_is_off_deliveries_wait),
	    TEST(the_admin_sees_every_notification),
	};
	static const struct suite suites[] = {
	    SUITE("notifications", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
