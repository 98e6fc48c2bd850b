/*
 * linkedin_outbox.c - /admin/linkedin/outbox: what is waiting to reach
 * LinkedIn (pending rows by kind, how old the oldest change is, whether the
 * kind has a sender yet) and the dead rows, each with its last error and a
 * Retry button (src/ats/outbox.h).
 */
#include <string.h>

#include "ats/outbox.h"
#include "linkedin/worker.h"
#include "web/web.h"

/* Dead rows shown; the count above the table says how many there are. */
#define DEAD_SHOWN 200

/* "45 s", "12 min", "3 h", "2 days": how long ago, roughly. */
static const char *age_text(struct arena *a, int64_t s)
{
	if (s < 120)
		return arena_printf(a, "%lld s", (long long)s);
	if (s < 2 * 3600)
		return arena_printf(a, "%lld min", (long long)(s / 60));
	if (s < 2 * 86400)
		return arena_printf(a, "%lld h", (long long)(s / 3600));
	return arena_printf(a, "%lld days", (long long)(s / 86400));
}

static bool has_sender(const char *kind)
{
	for (size_t i = 0; i < li_nsenders; i++)
		if (!strcmp(li_senders[i].kind, kind))
			return li_senders[i].send != NULL;
	return false;
}

/* What a kind's rows carry, as an admin reads it; the kind itself for
 * one this page does not know. */
static const char *kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {{"job", "Jobs"},
		      {"integration", "Integration settings"},
		      {"inbound_event", "Notifications to apply"},
		      {"candidate", "Candidates (In ATS)"},
		      {"candidate_link", "Candidate links"},
		      {"candidate_match", "Candidate matches"}};
	for (size_t i = 0; i < ARRAY_LEN(labels); i++)
		if (!strcmp(kind, labels[i].kind))
			return labels[i].label;
	return kind;
}

/* The page of the entity a row stands for, "" when it has none. */
static const char *entity_path(struct arena *a, const char *kind, uint64_t id)
{
	if (!strcmp(kind, ATS_OUTBOX_JOB))
		return arena_printf(a, "/jobs/%llu", (unsigned long long)id);
	if (!strcmp(kind, ATS_OUTBOX_INBOUND_EVENT))
		return "/admin/linkedin/events?status=failed";
	if (!strcmp(kind, ATS_OUTBOX_CANDIDATE) ||
	    !strcmp(kind, ATS_OUTBOX_CANDIDATE_LINK) ||
	    !strcmp(kind, ATS_OUTBOX_CANDIDATE_MATCH))
		return arena_printf(a, "/candidates/%llu",
				    (unsigned long long)id);
	return "";
}

/* How the page names the entity: a job by its public id (J-00042). */
static const char *entity_label(struct arena *a, const char *kind,
				uint64_t id)
{
	if (!strcmp(kind, ATS_OUTBOX_JOB))
		return ats_job_public_id(a, (int64_t)id);
	return arena_printf(a, "%llu", (unsigned long long)id);
}

static json_t *kind_json(struct ctx *c, const char *kind,
			 const struct ats_outbox_kind_stats *k)
{
	int64_t oldest = k ? k->oldest_pending_s : -1;
	int64_t err_age = k ? k->last_error_age_s : -1;
	return web_pack_row(
	    "{s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:b, s:s, s:s, s:s}",
	    "kind", kind, "kind_label", kind_label(kind), "pending",
	    (json_int_t)(k ? k->pending : 0), "due",
	    (json_int_t)(k ? k->due : 0), "dead", (json_int_t)(k ? k->dead : 0),
	    "oldest_pending_s", (json_int_t)oldest, "oldest_pending",
	    oldest >= 0 ? age_text(c->arena, oldest) : "", "sender",
	    has_sender(kind), "last_error", k ? k->last_error : NULL,
	    "last_error_at", k ? k->last_error_at : NULL, "last_error_ago",
	    err_age >= 0 ? age_text(c->arena, err_age) : "");
}

/* Every kind the worker knows, then any other kind with rows. */
static json_t *kinds_json(struct ctx *c, const struct ats_outbox_status *st)
{
	json_t *kinds = json_array();
	for (size_t i = 0; i < li_nsenders; i++) {
		const struct ats_outbox_kind_stats *k = NULL;
		for (size_t j = 0; j < st->nkinds; j++)
			if (!strcmp(st->kinds[j].kind, li_senders[i].kind))
				k = &st->kinds[j];
		json_array_append_new(kinds,
				      kind_json(c, li_senders[i].kind, k));
	}
	for (size_t j = 0; j < st->nkinds; j++) {
		bool known = false;
		for (size_t i = 0; i < li_nsenders; i++)
			known |= !strcmp(st->kinds[j].kind, li_senders[i].kind);
		if (!known)
			json_array_append_new(
			    kinds,
			    kind_json(c, st->kinds[j].kind, &st->kinds[j]));
	}
	return kinds;
}

int web_linkedin_sync_health(struct ctx *c, json_t **out)
{
	struct ats_outbox_status st;
	int rc = ats_outbox_status(c->db, c->arena, 0, &st);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	*out = json_pack(
	    "{s:I, s:I, s:s, s:o}", "pending", (json_int_t)st.pending, "dead",
	    (json_int_t)st.dead, "oldest_pending",
	    st.oldest_pending_s >= 0 ? age_text(c->arena, st.oldest_pending_s)
				     : "",
	    "kinds", kinds_json(c, &st));
	return *out ? 200 : 500;
}

int web_linkedin_outbox(struct ctx *c)
{
	struct ats_outbox_status st;
	int64_t retried = web_id(c, "retried", 0, "must be an outbox row id");
	if (c->input_status)
		return c->input_status;
	int rc = ats_outbox_status(c->db, c->arena, DEAD_SHOWN, &st);
	if (rc != DB_OK)
		return web_status_from_db(rc);

	json_t *kinds = kinds_json(c, &st);
	json_t *dead = json_array();
	for (size_t i = 0; i < st.ndead_rows; i++) {
		const struct ats_outbox_dead *d = &st.dead_rows[i];
		json_array_append_new(
		    dead, web_pack_row(
			      "{s:I, s:s, s:s, s:I, s:s, s:s, s:i, s:s, s:s}",
			      "id", (json_int_t)d->id, "kind", d->kind,
			      "kind_label", kind_label(d->kind), "entity_id",
			      (json_int_t)d->entity_id, "entity_label",
			      entity_label(c->arena, d->kind, d->entity_id),
			      "entity_path",
			      entity_path(c->arena, d->kind, d->entity_id),
			      "attempts", d->attempts, "last_error",
			      d->last_error, "updated_at", d->updated_at));
	}
	json_object_set_new(
	    c->page, "outbox",
	    json_pack("{s:I, s:I, s:I, s:s, s:o, s:o, s:b, s:b, s:I}",
		      "pending", (json_int_t)st.pending, "dead",
		      (json_int_t)st.dead, "oldest_pending_s",
		      (json_int_t)st.oldest_pending_s, "oldest_pending",
		      st.oldest_pending_s >= 0
			  ? age_text(c->arena, st.oldest_pending_s)
			  : "",
		      "kinds", kinds, "dead_rows", dead, "has_dead",
		      st.ndead_rows > 0, "dead_more",
		      st.dead > (int64_t)st.ndead_rows, "dead_shown",
		      (json_int_t)st.ndead_rows));
	if (retried)
		json_object_set_new(c->page, "retried", json_integer(retried));
	c->template = "linkedin/outbox";
	c->title = "LinkedIn outbox";
	return 200;
}

int web_linkedin_outbox_retry(struct ctx *c)
{
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int rc = ats_outbox_admin_retry(c->db, c->session->user.id,
					 (uint64_t)id, c->req->remote_addr);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return web_see_other(
	    c, arena_printf(c->arena, "/admin/linkedin/outbox?retried=%lld",
			    (long long)id));
}
