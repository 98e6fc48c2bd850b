/*
 * linkedin_notifications.c - LinkedIn's push notifications (F11, F14):
 *
 *   GET  /linkedin/notifications?challengeCode=   LinkedIn's endpoint
 *        validation: the code and its HMAC under the client secret
 *   POST /linkedin/notifications                  a delivery
 *   GET  /admin/linkedin/events                   what became of each one
 *   POST /admin/linkedin/events/{id}/retry        an admin tries again
 *
 * The two /linkedin/notifications routes are ROUTE_MACHINE: no session, no
 * CSRF, the body (64 KiB at most) kept raw.  A delivery is checked in this
 * order, and nothing is parsed or stored before its signature passed:
 *   1. no X-LI-Signature                          401, nothing stored
 *   2. the integration is not enabled (no secret   503 with Retry-After,
 *      to check with: LinkedIn retries its        nothing stored
 *      delivery, and it lands once an admin
 *      enables the integration again)
 *   3. a signature that is not the body's         401, nothing stored
 *   4. a requestId seen before                    the first answer again
 *      (200, or 400 for a rejected one), nothing stored or applied again
 *   5. not JSON, not an object, no requestId, an  400, stored as rejected
 *      eventType hirelink does not know, another  (keyed by the requestId,
 *      organization's integrationContext          or "sha256:<hex>" of the
 *                                                 body when it has none)
 *   6. otherwise                                  200 at once, stored as
 *      received with its outbox mark; the worker applies it
 */
#include <string.h>

#include "ats/inbound.h"
#include "core/crypto.h"
#include "linkedin/linkedin.h"
#include "web/web.h"

#define CHALLENGE_MAX 200   /* bytes of a challengeCode */
#define EVENTS_PER_PAGE 50

/* A machine caller's answer: status with the JSON object o (stolen). */
static int machine_answer(struct ctx *c, int status, json_t *o)
{
	c->res->content_type = "application/json";
	http_header_add(c->res, "Cache-Control", "no-store");
	if (!o || buf_add_json(&c->res->body, o,
			       JSON_COMPACT | JSON_ENSURE_ASCII) < 0) {
		json_decref(o);
		return 500;
	}
	json_decref(o);
	return status;
}

/* The integration's settings, when it can check a signature: 0, or the
 * status to answer (503 when it is not enabled). */
static int settings_ready(struct ctx *c, struct li_settings *s)
{
	int rc = li_settings_load_kept(c->w->app->li, c->db, c->arena, c->cfg,
				       s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!li_settings_ready(s))
		return web_fail(c, 503, NULL,
				"The LinkedIn integration is not enabled in "
				"this hirelink.");
	return 0;
}

int web_linkedin_challenge(struct ctx *c)
{
	struct li_settings s;
	const char *code = http_query(c->req, "challengeCode");
	if (!code || !*code)
		return web_fail(c, 400, "challengeCode", "is required");
	if (!li_request_id_ok(code) || strlen(code) > CHALLENGE_MAX)
		return web_fail(c, 400, "challengeCode",
				"must be 1 to 200 printable characters");
	int st = settings_ready(c, &s);
	if (st)
		return st;
	const char *answer = li_challenge_response(c->arena, s.client_secret,
						   code);
	if (!answer)
		return 500;
	return machine_answer(c, 200,
			      json_pack("{s:s, s:s}", "challengeCode", code,
					"challengeResponse", answer));
}

/* What a delivery said, read after its signature passed: the event to
 * store, rejected with its reason when it is not a notification hirelink
 * acts on, keyed by the body's hash when it names no requestId (so that
 * the same bad delivery is kept once).  0 or the status to answer. */
static int delivery_read(struct ctx *c, const struct li_settings *s,
			 struct inbound_new *ev)
{
	const struct http_request *req = c->req;
	struct li_notification n;
	if (li_notification_read(c->arena, req->body, req->body_len,
				 s->organization_urn, &n) < 0)
		return 500;
	*ev = (struct inbound_new){
	    .request_id = n.request_id,
	    .event_type = n.event_type,
	    .integration_context = n.integration_context,
	    .occurred_at = n.occurred_at,
	    .body = req->body,
	    .body_len = req->body_len,
	    .rejected = n.rejection != NULL,
	    .reason = n.rejection ? n.rejection : "",
	};
	if (!ev->request_id) {
		unsigned char h[SHA256_LEN];
		char *key = arena_alloc(c->arena, 8 + 2 * SHA256_LEN);
		if (!key)
			return 500;
		crypto_sha256(req->body, req->body_len, h);
		memcpy(key, "sha256:", 7);
		hex_encode(h, SHA256_LEN, key + 7);
		ev->request_id = key;
	}
	return 0;
}

int web_linkedin_notification(struct ctx *c)
{
	struct li_settings s;
	struct inbound_new ev;
	const char *sig = http_header(c->req, "X-LI-Signature");
	if (!sig || !*sig)
		return web_fail(c, 401, "X-LI-Signature", "is missing");
	int st = settings_ready(c, &s);
	if (st)
		return st;
	if (!li_signature_ok(s.client_secret, c->req->body, c->req->body_len,
			     sig))
		return web_fail(c, 401, "X-LI-Signature",
				"is not the signature of this body");
	st = delivery_read(c, &s, &ev);
	if (st)
		return st;

	int64_t id = 0;
	const char *status = NULL;
	int rc = ats_inbound_record(c->db, c->arena, &ev, &id, &status);
	if (rc != DB_OK && rc != DB_DUPLICATE)
		return web_status_from_db(rc);
	bool rejected = !strcmp(status, "rejected");
	if (rejected)
		return machine_answer(
		    c, 400,
		    json_pack("{s:{s:i, s:s, s:s}}", "error", "status", 400,
			      "message",
			      rc == DB_DUPLICATE ? "rejected before"
						 : ev.reason,
			      "requestId", ev.request_id));
	return machine_answer(c, 200,
			      json_pack("{s:s, s:s}", "status",
					rc == DB_DUPLICATE ? "duplicate"
							   : "received",
					"requestId", ev.request_id));
}

/* ------------------------------------------------------------ events */

/* A notification's type as an admin reads it; LinkedIn's word for one
 * hirelink does not know. */
static const char *event_type_label(const char *type)
{
	if (!type)
		return "";
	if (!strcmp(type, "EXPORT_CANDIDATE_PROFILE"))
		return "Export";
	if (!strcmp(type, "INTEGRATION_STATUS_CHANGE"))
		return "Integration changed";
	if (!strcmp(type, "INMAIL_STUB_CREATED"))
		return "InMail stub profile";
	return type;
}

static json_t *event_json(struct ctx *c, const struct inbound_event *e)
{
	json_t *o = web_pack_row(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:I, s:s, s:s, "
	    "s:I, s:s, s:I, s:s, s:I, s:s}",
	    "id", (json_int_t)e->id, "received_at", e->received_at,
	    "event_type", e->event_type, "request_id", e->request_id,
	    "status", e->status, "reason", e->reason, "attempts", e->attempts,
	    "exporter", e->exporter, "exporter_member", e->exporter_member,
	    "exporter_user_id", (json_int_t)e->exporter_user_id,
	    "exporter_user_name", e->exporter_user_name, "job_posting_id",
	    e->external_job_posting_id, "job_id", (json_int_t)e->job_id,
	    "job_title", e->job_title, "candidate_id",
	    (json_int_t)e->candidate_id, "candidate_name", e->candidate_name,
	    "application_id", (json_int_t)e->application_id, "updated_at",
	    e->updated_at);
	if (o) {
		json_object_set_new(
		    o, "event_type_label",
		    json_string(event_type_label(e->event_type)));
		json_object_set_new(
		    o, "status_label",
		    json_string(ats_word_label(ats_inbound_statuses,
					       e->status)));
		json_object_set_new(o, "can_retry",
				    json_boolean(!strcmp(e->status, "failed") ||
						 !strcmp(e->status, "refused")));
		if (e->job_id)
			json_object_set_new(
			    o, "job_public_id",
			    json_string(ats_job_public_id(c->arena, e->job_id)));
	}
	return o;
}

int web_linkedin_events(struct ctx *c)
{
	struct inbound_list list;
	int64_t page;
	const char *status = web_text(c, "status", 0);
	if (*status && !ats_word_label(ats_inbound_statuses, status))
		return web_fail(c, 400, "status",
				"must be received, applied, refused, rejected "
				"or failed");
	int st = web_page(c, &page);
	if (st || (st = c->input_status))
		return st;
	int rc = ats_inbound_list(c->db, c->arena, *status ? status : NULL,
				  (page - 1) * EVENTS_PER_PAGE, EVENTS_PER_PAGE,
				  &list);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *events = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(events, event_json(c, &list.v[i]));
	json_object_set_new(c->page, "events", events);
	json_object_set_new(c->page, "has_events", json_boolean(list.n > 0));
	json_object_set_new(c->page, "total", json_integer(list.total));
	json_object_set_new(c->page, "status", json_string(status));
	json_t *filters = web_options(ats_inbound_statuses, status);
	json_array_insert_new(filters, 0,
			      json_pack("{s:s, s:s, s:b}", "value", "", "label",
					"All", "selected", !*status));
	json_object_set_new(c->page, "filters", filters);
	const char *const params[] = {"status", status, NULL};
	web_pager(c, &(struct pager){"/admin/linkedin/events", params, page,
				     list.total, EVENTS_PER_PAGE, false,
				     list.n == 0});
	if (web_bool(c, "retried"))
		json_object_set_new(c->page, "retried", json_true());
	c->template = "linkedin/events";
	c->title = "LinkedIn notifications";
	return 200;
}

int web_linkedin_event_retry(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	const char *back = web_local_path(c, "return_to",
					  "/admin/linkedin/events");
	int rc = ats_inbound_retry(c->db, c->session->user.id, id,
				   c->req->remote_addr);
	if (rc == DB_NOT_FOUND)
		return web_fail(c, 404, NULL,
				"There is no failed or refused notification "
				"with that id.");
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (http_wants_json(c->req)) {
		json_object_set_new(c->page, "retried", json_true());
		json_object_set_new(c->page, "id", json_integer(id));
		c->template = "linkedin/events";
		return 200;
	}
	return web_see_other(c, back);
}
