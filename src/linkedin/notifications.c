/*
 * notifications.c - LinkedIn's push notifications (F11, F14) in the
 * worker: the follow-up read of what a stored notification refers to and
 * its application:
 *
 *   EXPORT_CANDIDATE_PROFILE   GET /v2/exportedCandidates?q=request&
 *                              requestId=... (the candidate, the job, the
 *                              exporter), then ats_export_apply
 *   INTEGRATION_STATUS_CHANGE  GET /v2/atsIntegrations?q=request&
 *                              requestId=..., then the integrations' state
 *                              read again for /admin/linkedin
 *                              (li_integrations_refresh)
 *
 * The shape of both answers is a hirelink convention where LinkedIn's
 * pages are silent (src/sandbox/README.md says so).  What a delivery's
 * body and signature are is notification_body.c's.
 */
#include <stdio.h>
#include <string.h>

#include "ats/inbound.h"
#include "linkedin/answers.h"
#include "linkedin/li_internal.h"
#include "linkedin/stubs.h"
#include "linkedin/sync.h"
#include "linkedin/worker.h"

/* ------------------------------------------------------------ reads */

/* GET {api}<path>?q=request&requestId=<id> with the application token:
 * the elements of its answer into *elements (borrowed from the answer,
 * at least one, each an object).  A 404 is LinkedIn saying it knows no
 * such request (for this application). */
static int by_request(struct li_client *li, struct db *db, struct arena *a,
		      const struct li_settings *s, const char *path,
		      const char *what, const char *request_id,
		      json_t **elements, struct li_error *err)
{
	struct buf p = BUF_INIT;
	struct li_resp r;
	const struct li_field f[] = {LI_ARRAY("elements", true, elements)};
	json_t *el;
	size_t i;

	buf_adds(&p, path);
	buf_adds(&p, "?q=request&requestId=");
	buf_add_url(&p, request_id, strlen(request_id));
	if (buf_failed(&p)) {
		buf_release(&p);
		return li_err_oom(err);
	}
	struct li_req rq = {
	    .method = "GET",
	    .base = li->s->cfg->linkedin_api_base,
	    .path = p.data,
	    .label = path,
	};
	int rc = li_app_call(li, db, a, s, &rq, &r, err);
	buf_release(&p);
	if (rc == LI_OK)
		rc = li_unpack(r.json, what, f, ARRAY_LEN(f), err);
	if (rc != LI_OK)
		return rc;
	bool objects = json_array_size(*elements) > 0;
	json_array_foreach(*elements, i, el)
	{
		if (!json_is_object(el))
			objects = false;
	}
	if (!objects) {
		li_err_set(err, LI_ERR_PROTOCOL, r.status, "",
			   "LinkedIn's %s answer had an unexpected shape: no "
			   "element for request %s",
			   what, request_id);
		return LI_ERR_PROTOCOL;
	}
	return LI_OK;
}


int li_exported_candidate(struct li_client *li, struct db *db, struct arena *a,
			  const struct li_settings *s, const char *request_id,
			  struct li_exported *out, struct li_error *err)
{
	static const char what[] = "exportedCandidates";
	json_t *elements = NULL;
	memset(out, 0, sizeof(*out));
	int rc = by_request(li, db, a, s, "/v2/exportedCandidates", what,
			    request_id, &elements, err);
	if (rc == LI_OK)
		return li_exported_read(json_array_get(elements, 0),
					s->organization_urn, out, err);
	/* its strings "" for a caller that shows what it has */
	struct li_error ignored;
	li_exported_read(NULL, "", out, &ignored);
	return rc;
}


/* ------------------------------------------------------------ applying */

bool li_error_transient(const struct li_error *err)
{
	switch (err->kind) {
	case LI_ERR_CONNECT:
	case LI_ERR_TIMEOUT:
	case LI_ERR_THROTTLED:
	case LI_ERR_DB:
	case LI_ERR_INTERNAL:
	case LI_ERR_CONFIG: /* the admin may set the integration up again */
		return true;
	case LI_ERR_HTTP:
		return err->status == 429 || err->status >= 500;
	case LI_ERR_PROTOCOL:
		/* no JSON at all: a transfer gone wrong (a proxy's page, an
		 * answer cut short), not LinkedIn's answer of another shape */
		return !strcmp(err->code, LI_NOT_JSON);
	default:
		return false;
	}
}

/* What applying a batch of events needs, read once for the batch. */
struct apply_ctx {
	struct li_settings s;
	const char *instance;	       /* li_instance_id */
	struct ats_exporter_memo memo; /* the last exporter found */
};

/* Reads x for a batch: DB status. */
static int apply_ctx_load(struct db *db, struct arena *a,
			  const struct config *cfg, struct apply_ctx *x)
{
	x->memo = (struct ats_exporter_memo){0};
	int rc = li_settings_load(db, a, cfg, &x->s);
	if (rc == DB_OK)
		rc = li_settings_instance(db, a, &x->s, &x->instance);
	return rc;
}

/* The export of event ev read from LinkedIn into *x (strings in a). */
static int export_read(struct li_client *li, struct db *db, struct arena *a,
		       struct apply_ctx *ctx, const struct inbound_event *ev,
		       struct ats_export *x, struct li_error *err)
{
	const struct li_settings *s = &ctx->s;
	struct li_exported e;
	int rc = li_exported_candidate(li, db, a, s, ev->request_id, &e, err);
	if (rc != LI_OK)
		return rc;
	/* The job: only an id this instance made names one of its jobs
	 * (another instance's J-00042 is not this one's J-00042). */
	uint64_t job_id;
	const char *job_refusal = li_job_posting_id_resolve(
	    a, e.external_job_posting_id, ctx->instance, &job_id);
	*x = (struct ats_export){
	    .job_posting_id = e.external_job_posting_id,
	    .job_id = (int64_t)job_id,
	    .job_refusal = job_refusal,
	    .exporter = {e.exporter.member, e.exporter.first_name,
			 e.exporter.last_name, e.exporter.email},
	    .candidate = {li_member_id_of(e.candidate.member),
			  e.candidate.first_name, e.candidate.last_name,
			  e.candidate.headline, e.candidate.current_title,
			  e.candidate.current_company, e.candidate.location,
			  e.candidate.public_profile_url, e.candidate.email},
	    .memo = &ctx->memo,
	};
	return LI_OK;
}

/* What the apply of the export of request_id did (db_rc, res; a failure
 * of its own in a batch says what in res->reason). */
static int export_done(struct db *db, const char *request_id, int db_rc,
		       const struct ats_export_result *res,
		       struct li_error *err)
{
	if (db_rc == DB_NOT_FOUND)
		return LI_OK; /* the event went, or has its result: done */
	if (db_rc != DB_OK) {
		li_err_set(err, LI_ERR_DB, 0, "",
			   "could not apply the export: %s",
			   res->reason && *res->reason ? res->reason
						       : db_error(db));
		return LI_ERR_DB;
	}
	if (res->status)
		log_info("linkedin export %s %s%s%s", request_id, res->status,
			 *res->reason ? ": " : "", res->reason);
	return LI_OK;
}

/* Whether an export's result status is "applied" (its candidate on the
 * job). */
static bool applied(const char *status)
{
	return status && !strcmp(status, "applied");
}

/* After the commit of exports, their candidates ids[0..n) marked for In
 * ATS when LinkedIn sees them (li_sync_mark_sent; ats_export_apply does
 * not mark them).  A failure is transient: the events' rows come back,
 * and the mark is made for events found applied too. */
static int exports_marked(struct db *db, struct arena *a, const int64_t *ids,
			  size_t n, struct li_error *err)
{
	if (li_sync_mark_sent(db, a, ids, n) == DB_OK)
		return LI_OK;
	li_err_set(err, LI_ERR_DB, 0, "",
		   "could not mark the exported candidates for In ATS: %s",
		   db_error(db));
	return LI_ERR_DB;
}

/* The export of event ev, read from LinkedIn and applied. */
static int apply_export(struct li_client *li, struct db *db, struct arena *a,
			struct apply_ctx *ctx,
			const struct inbound_event *ev, struct li_error *err)
{
	struct ats_export x;
	int rc = export_read(li, db, a, ctx, ev, &x, err);
	if (rc != LI_OK)
		return rc;
	struct ats_export_result res;
	rc = export_done(db, ev->request_id,
			 ats_export_apply(db, a, ev->id, &x, &res), &res, err);
	if (rc == LI_OK && applied(res.status))
		rc = exports_marked(db, a, &res.candidate_id, 1, err);
	return rc;
}

/*
 * An integration's state changed at LinkedIn (hirelink's Enable or
 * Disable, or the customer's Recruiter admin): what the notification
 * refers to (each integration of this application as it was after the
 * change; summed up on the event), then every integration's state read
 * again (li_integrations_refresh), so that /admin/linkedin shows LinkedIn's
 * state now, whatever the notification said.
 */
static int apply_integration_change(struct li_client *li, struct db *db,
				    struct arena *a,
				    const struct li_settings *s,
				    const struct inbound_event *ev,
				    const char **summary, struct li_error *err)
{
	static const char what[] = "atsIntegrations";
	json_t *elements = NULL, *el;
	size_t i;
	struct buf sum = BUF_INIT;
	int rc = by_request(li, db, a, s, "/v2/atsIntegrations", what,
			    ev->request_id, &elements, err);
	json_array_foreach(elements, i, el)
	{
		const char *type = "", *status = "";
		if (rc == LI_OK)
			rc = li_integration_event_read(el, s->organization_urn,
						       &type, &status, err);
		if (rc != LI_OK)
			break;
		buf_addf(&sum, "%s%s %s", i ? ", " : "",
			   *type ? type : "an integration",
			   *status ? status : "changed");
	}
	if (rc == LI_OK)
		rc = li_integrations_refresh(li, db, err);
	if (rc == LI_OK) {
		buf_adds(&sum, " at LinkedIn");
		*summary = buf_failed(&sum) ? NULL : arena_strdup(a, sum.data);
	}
	buf_release(&sum);
	return rc;
}

/*
 * A member replied to an InMail and shared their contact details: what
 * the notification refers to (atsIntegrations?q=request: the seat that
 * owns the new stub), then that seat's stubs read at once by the worker
 * (stubs.c; the event is applied once the read is asked for).
 */
static int apply_stub_created(struct li_client *li, struct db *db,
			      struct arena *a, const struct li_settings *s,
			      const struct inbound_event *ev,
			      const char **summary, struct li_error *err)
{
	static const char what[] = "atsIntegrations";
	json_t *elements = NULL;
	const char *owner = NULL, *type = "";
	int rc = by_request(li, db, a, s, "/v2/atsIntegrations", what,
			    ev->request_id, &elements, err);
	const struct li_field f[] = {
	    LI_STR("owner", true, &owner),
	    LI_STR("eventType", false, &type),
	};
	if (rc == LI_OK)
		rc = li_unpack(json_array_get(elements, 0), what, f,
			       ARRAY_LEN(f), err);
	if (rc == LI_OK && strncmp(owner, "urn:li:seat:", 12)) {
		li_err_set(err, LI_ERR_PROTOCOL, 0, "",
			   "LinkedIn's %s answer names no seat as the stub's "
			   "owner",
			   what);
		rc = LI_ERR_PROTOCOL;
	}
	if (rc == LI_OK && li_stubs_seat_ask(db, owner) != DB_OK) {
		li_err_set(err, LI_ERR_DB, 0, "", "database: %s", db_error(db));
		rc = LI_ERR_DB;
	}
	if (rc == LI_OK)
		*summary = arena_printf(a, "the InMail stubs of %s are being "
					   "fetched",
					owner);
	return rc;
}

/* LinkedIn's side failed for good (rc, err): the admin sees why on the
 * event, and may try again (ats_inbound_retry).  rc. */
static int event_failed(struct db *db, const struct inbound_event *ev, int rc,
			const struct li_error *err)
{
	if (rc != LI_OK && !li_error_transient(err))
		ats_inbound_finish(db, ev->id, "failed", li_error_text(err));
	return rc;
}

/* Applies event ev (received, just tried) with what x read. */
static int event_apply(struct li_client *li, struct db *db, struct arena *a,
		       struct apply_ctx *x,
		       const struct inbound_event *ev, struct li_error *err)
{
	const struct li_settings *s = &x->s;
	int rc;
	if (!li_settings_ready(s)) {
		li_err_set(err, LI_ERR_CONFIG, 0, "",
			   "the LinkedIn integration is not enabled");
		return LI_ERR_CONFIG;
	}
	if (!strcmp(ev->event_type, INBOUND_EXPORT)) {
		rc = apply_export(li, db, a, x, ev, err);
	} else if (!strcmp(ev->event_type, INBOUND_INTEGRATION) ||
		   !strcmp(ev->event_type, INBOUND_STUB)) {
		const char *summary = NULL;
		rc = !strcmp(ev->event_type, INBOUND_STUB)
			 ? apply_stub_created(li, db, a, s, ev, &summary, err)
			 : apply_integration_change(li, db, a, s, ev, &summary,
						    err);
		if (rc == LI_OK &&
		    ats_inbound_finish(db, ev->id, "applied",
				       summary ? summary : "") != DB_OK) {
			li_err_set(err, LI_ERR_DB, 0, "", "database: %s",
				   db_error(db));
			rc = LI_ERR_DB;
		}
	} else {
		li_err_set(err, LI_ERR_PROTOCOL, 0, "",
			   "hirelink does not act on %s notifications",
			   ev->event_type);
		rc = LI_ERR_PROTOCOL;
	}
	return event_failed(db, ev, rc, err);
}

int li_inbound_event_apply(struct li_client *li, struct db *db,
			   struct arena *a, const struct config *cfg,
			   int64_t event_id, struct li_error *err)
{
	struct inbound_event ev;
	struct apply_ctx x;
	const char *status = NULL;
	int rc = ats_inbound_attempt(db, a, event_id, NULL, &status);
	if (rc == DB_NOT_FOUND)
		return LI_OK;
	bool done = rc == DB_OK && strcmp(status, "received");
	if (rc == DB_OK)
		rc = ats_inbound_get(db, a, event_id, &ev);
	/* it has its result already: an export's candidate may still be
	 * to mark (a worker died between the commit and the mark) */
	if (rc == DB_OK && done)
		return !strcmp(ev.event_type, INBOUND_EXPORT) &&
			       applied(ev.status) && ev.candidate_id > 0
			   ? exports_marked(db, a, &ev.candidate_id, 1, err)
			   : LI_OK;
	if (rc == DB_NOT_FOUND)
		return LI_OK;
	if (rc == DB_OK)
		rc = apply_ctx_load(db, a, cfg, &x);
	if (rc != DB_OK) {
		li_err_set(err, LI_ERR_DB, 0, "", "database: %s", db_error(db));
		return LI_ERR_DB;
	}
	return event_apply(li, db, a, &x, &ev, err);
}

/* ------------------------------------------------------------ the sender */

/* The item's result after its event's application ended with rc, err. */
static void item_result(struct li_worker *w, struct li_outbox_item *it, int rc,
			const struct li_error *err)
{
	if (rc == LI_OK) {
		it->result = LI_ITEM_DONE;
		return;
	}
	snprintf(it->error, sizeof(it->error), "%s", li_error_text(err));
	if (!li_error_transient(err)) {
		/* the event says failed already (event_apply): the row is
		 * dead at once, no retry storm */
		it->result = LI_ITEM_FAILED;
		return;
	}
	it->result = LI_ITEM_RETRY;
	/* the outbox gives up after worker_max_attempts: the event must not
	 * wait for ever, so it fails with the row */
	if (it->attempts + 1 >= w->cfg->worker_max_attempts) {
		char *why = arena_printf(w->arena, "gave up after %d attempts: %s",
					 it->attempts + 1, it->error);
		ats_inbound_finish(w->db, (int64_t)it->entity_id, "failed",
				   why ? why : it->error);
	}
}

/* The exports of a batch, read from LinkedIn one by one and then
 * applied together (ats_export_apply_many). */
struct export_batch {
	size_t n;
	int64_t *ids;
	struct ats_export *xs;
	struct li_outbox_item **items;
	const char **request_ids;
	/* the candidates of the exports applied, now or before, and which
	 * of the sender's items are exports */
	int64_t *marks;
	size_t nmarks;
	bool *exported;
};

static void exports_apply(struct li_worker *w, struct export_batch *b)
{
	if (b->n == 0)
		return;
	struct ats_export_result *outs =
	    arena_calloc(w->arena, b->n, sizeof(*outs));
	int *rcs = arena_calloc(w->arena, b->n, sizeof(*rcs));
	if (outs && rcs)
		ats_export_apply_many(w->db, w->arena, b->n, b->ids, b->xs,
				      outs, rcs);
	for (size_t k = 0; k < b->n; k++) {
		struct li_error e = {0};
		int rc = outs && rcs ? export_done(w->db, b->request_ids[k],
						   rcs[k], &outs[k], &e)
				     : li_err_oom(&e);
		item_result(w, b->items[k], rc, &e);
		if (rc == LI_OK && applied(outs[k].status))
			b->marks[b->nmarks++] = outs[k].candidate_id;
	}
}

/* The batch's exported candidates marked after the commit (exports_marked):
 * when that fails, its exports are tried again. */
static void exports_mark(struct li_worker *w, struct export_batch *b,
			 struct li_outbox_item *items, size_t n)
{
	struct li_error e = {0};
	if (b->nmarks == 0 ||
	    exports_marked(w->db, w->arena, b->marks, b->nmarks, &e) == LI_OK)
		return;
	for (size_t i = 0; i < n; i++)
		if (items[i].result == LI_ITEM_DONE && b->exported[i])
			item_result(w, &items[i], LI_ERR_DB, &e);
}

/*
 * A batch: the settings and the instance id read once, every event's
 * attempt counted and its request id read in two statements for all
 * (ats_inbound_attempt_many); then each export is read from LinkedIn (a
 * call each), and all are applied in one transaction, each after a
 * savepoint of its own (ats_export_apply_many: one export's failure does
 * not undo the others); other events are applied in turn.
 */
void li_inbound_events_send(struct li_worker *w, struct li_outbox_item *items,
			    size_t n)
{
	struct apply_ctx x;
	struct li_error err = {0};
	int64_t *ids = arena_calloc(w->arena, n ? n : 1, sizeof(*ids));
	struct inbound_event *evs =
	    arena_calloc(w->arena, n ? n : 1, sizeof(*evs));
	struct export_batch b = {
	    .ids = arena_calloc(w->arena, n ? n : 1, sizeof(*b.ids)),
	    .xs = arena_calloc(w->arena, n ? n : 1, sizeof(*b.xs)),
	    .items = arena_calloc(w->arena, n ? n : 1, sizeof(*b.items)),
	    .request_ids =
		arena_calloc(w->arena, n ? n : 1, sizeof(*b.request_ids)),
	    .marks = arena_calloc(w->arena, n ? n : 1, sizeof(*b.marks)),
	    .exported = arena_calloc(w->arena, n ? n : 1, sizeof(*b.exported)),
	};
	size_t nids = 0, nevs = 0;

	for (size_t i = 0; i < n; i++) {
		items[i].retry_after_ms = 0;
		/* an event is never deleted: a tombstone has nothing to apply */
		if (items[i].tombstone)
			items[i].result = LI_ITEM_DONE;
		else if (ids)
			ids[nids++] = (int64_t)items[i].entity_id;
	}
	if (nids == 0)
		return;
	int rc = ids && evs && b.ids && b.xs && b.items && b.request_ids &&
			 b.marks && b.exported
		     ? DB_OK
		     : DB_ERROR;
	if (!w->li) {
		li_err_set(&err, LI_ERR_CONFIG, 0, "",
			   "this worker has no LinkedIn client");
		rc = LI_ERR_CONFIG;
	} else {
		if (rc == DB_OK)
			rc = apply_ctx_load(w->db, w->arena, w->cfg, &x);
		if (rc == DB_OK)
			rc = ats_inbound_attempt_many(w->db, w->arena, ids, nids,
						      evs, &nevs);
		if (rc != DB_OK) {
			li_err_set(&err, LI_ERR_DB, 0, "", "database: %s",
				   db_error(w->db));
			rc = LI_ERR_DB;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct li_outbox_item *it = &items[i];
		if (it->tombstone)
			continue;
		if (rc != LI_OK) {
			item_result(w, it, rc, &err);
			continue;
		}
		const struct inbound_event *ev = NULL;
		for (size_t k = 0; k < nevs && !ev; k++)
			if (evs[k].id == (int64_t)it->entity_id)
				ev = &evs[k];
		/* gone, or it has its result already (an export's candidate
		 * still marked: exports_mark) */
		if (!ev || strcmp(ev->status, "received")) {
			it->result = LI_ITEM_DONE;
			if (ev && !strcmp(ev->event_type, INBOUND_EXPORT) &&
			    applied(ev->status) && ev->candidate_id > 0) {
				b.exported[i] = true;
				b.marks[b.nmarks++] = ev->candidate_id;
			}
			continue;
		}
		struct li_error e = {0};
		if (strcmp(ev->event_type, INBOUND_EXPORT) ||
		    !li_settings_ready(&x.s)) {
			item_result(w, it,
				    event_apply(w->li, w->db, w->arena, &x, ev,
						&e),
				    &e);
			continue;
		}
		int xrc = export_read(w->li, w->db, w->arena, &x, ev,
				      &b.xs[b.n], &e);
		if (xrc != LI_OK) {
			item_result(w, it, event_failed(w->db, ev, xrc, &e),
				    &e);
			continue;
		}
		b.ids[b.n] = ev->id;
		b.items[b.n] = it;
		b.request_ids[b.n] = ev->request_id;
		b.n++;
		b.exported[i] = true;
	}
	exports_apply(w, &b);
	exports_mark(w, &b, items, n);
}
