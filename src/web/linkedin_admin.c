/*
 * linkedin_admin.c - /admin/linkedin (F14): the integration's settings,
 * the callback URL to give LinkedIn, "Test connection" and the status
 * panel.  The client secret is write-only: the page says "set" or "not
 * set" and never renders it back.
 */
#include <string.h>

#include "linkedin/linkedin.h"
#include "linkedin/sync.h"
#include "web/web.h"

#define CLIENT_ID_MAX 200
#define SECRET_MAX    200
#define INSTANCE_MAX  100

/* An integration's state as LinkedIn reports it, in words, and the
 * class of its badge: LinkedIn's words are kept for states it may add. */
static const struct {
	const char *status, *label, *badge;
} integration_states[] = {
    {"ENABLED", "Enabled", "active"},
    {"DISABLED", "Disabled", "closed"},
    {"NOT_ENABLED", "Not enabled", "closed"},
    {"NOT_CHECKED", "Not checked yet", "draft"},
};

static void integration_state_words(json_t *o, const char *status)
{
	const char *label = status, *badge = "draft";
	for (size_t i = 0; i < ARRAY_LEN(integration_states); i++)
		if (!strcmp(status, integration_states[i].status)) {
			label = integration_states[i].label;
			badge = integration_states[i].badge;
		}
	json_object_set_new(o, "status_label", json_string(label));
	json_object_set_new(o, "status_class", json_string(badge));
}

/* "at_linkedin": the integrations as LinkedIn last reported them, what
 * the admin last asked and whether the worker has done it, the callback
 * URL hirelink registers, and this instance's id and name.  200, or the
 * status of the database's failure. */
static int at_linkedin_context(struct ctx *c, const struct li_settings *s)
{
	struct li_integrations_view v;
	const char *instance;
	int rc = li_integrations_status(c->db, c->arena, &v);
	if (rc == DB_OK)
		rc = li_instance_id(c->db, c->arena, &instance);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *states = json_array();
	bool any_enabled = false;
	for (size_t i = 0; i < LI_INTEGRATION_TYPES; i++) {
		const struct li_integration_state *st = &v.states[i];
		any_enabled = any_enabled || !strcmp(st->status, "ENABLED");
		json_t *o = json_pack(
		    "{s:s, s:s, s:s, s:s?, s:s?, s:b}", "type", st->type,
		    "status", st->status, "name", st->name, "linkedin_callback",
		    st->callback_url, "checked_at", st->checked_at, "enabled",
		    !strcmp(st->status, "ENABLED"));
		if (o)
			integration_state_words(o, st->status);
		json_array_append_new(states, o);
	}
	json_object_set_new(
	    c->page, "at_linkedin",
	    json_pack("{s:o, s:s?, s:s?, s:b, s:b, s:s?, s:s, s:s, s:s, s:b, "
		      "s:b}",
		      "integrations", states, "target", v.target, "target_at",
		      v.target_at, "pending", v.pending, "dead", v.dead,
		      "last_error", v.dead ? v.last_error : NULL,
		      "callback_url", li_callback_url(c->arena, c->cfg),
		      "instance_id", instance, "instance_name",
		      s->ats_instance_name, "any_enabled", any_enabled, "ready",
		      li_settings_ready(s)));
	return 200;
}

/* "backfill": the In ATS full sync's progress (sync_backfill.c). */
static int backfill_context(struct ctx *c)
{
	struct li_backfill b;
	int rc = li_backfill_status(c->db, c->arena, &b);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!b.exists) {
		json_object_set_new(c->page, "backfill",
				    json_pack("{s:b}", "exists", 0));
		return 200;
	}
	const char *eta = "";
	if (b.eta_s >= 0 && strcmp(b.state, "done"))
		eta = b.eta_s < 120 ? arena_printf(c->arena, "%lld s",
						   (long long)b.eta_s)
		      : b.eta_s < 7200
			  ? arena_printf(c->arena, "%lld min",
					 (long long)(b.eta_s / 60))
			  : arena_printf(c->arena, "%lld h",
					 (long long)(b.eta_s / 3600));
	json_object_set_new(
	    c->page, "backfill",
	    json_pack("{s:b, s:s, s:I, s:I, s:I, s:s, s:I, s:s, s:s?, s:s?, "
		      "s:b, s:b, s:b}",
		      "exists", 1, "state", b.state, "total",
		      (json_int_t)b.total, "done", (json_int_t)b.done,
		      "marked", (json_int_t)b.marked, "rate",
		      b.rate > 0 ? arena_printf(c->arena, "%.1f", b.rate) : "",
		      "eta_s", (json_int_t)b.eta_s, "eta", eta ? eta : "",
		      "started_at", b.started_at, "finished_at",
		      b.finished_at, "running", !strcmp(b.state, "running"),
		      "paused", !strcmp(b.state, "paused"), "finished",
		      !strcmp(b.state, "done")));
	return 200;
}

/* Fills the admin page from the stored settings (or, for a form that
 * failed validation, from what was posted: keep). */
static int admin_context(struct ctx *c, const struct li_settings *s,
			 bool from_form)
{
	json_t *p = c->page;
	bool enabled = s->enabled;
	const char *client_id = s->client_id, *org = s->organization_urn,
		   *contract = s->contract_urn, *inst = s->ats_instance_name;

	if (from_form) {
		enabled = web_bool(c, "enabled");
		client_id = web_text(c, "client_id", 0);
		org = web_text(c, "organization_urn", 0);
		contract = web_text(c, "contract_urn", 0);
		inst = web_text(c, "ats_instance_name", 0);
	}
	json_object_set_new(
	    p, "linkedin",
	    json_pack("{s:b, s:s, s:b, s:s, s:s, s:s, s:s, s:b, s:s?, s:s?, "
		      "s:s?}",
		      "enabled", enabled, "client_id", client_id, "secret_set",
		      s->client_secret && *s->client_secret, "organization_urn",
		      org, "contract_urn", contract, "ats_instance_name", inst,
		      "callback_url",
		      arena_printf(c->arena, "%s/linkedin/notifications",
				   c->cfg->public_base_url),
		      "ready", li_settings_ready(s), "last_success_at",
		      s->last_success_at, "last_error", s->last_error,
		      "last_error_at", s->last_error_at));
	json_object_set_new(
	    p, "redirect_uri",
	    json_string(arena_printf(c->arena, "%s/settings/linkedin/callback",
				     c->cfg->public_base_url)));
	c->template = "linkedin/admin";
	c->title = "LinkedIn integration";
	json_t *health = NULL;
	int st = web_linkedin_sync_health(c, &health);
	if (st != 200)
		return st;
	json_object_set_new(p, "sync_health", health);
	st = backfill_context(c);
	if (st != 200)
		return st;
	return at_linkedin_context(c, s);
}

int web_linkedin_admin(struct ctx *c)
{
	struct li_settings s;
	int rc = li_settings_load(c->db, c->arena, c->cfg, &s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (web_bool(c, "saved"))
		json_object_set_new(c->page, "saved", json_true());
	if (web_bool(c, "requested"))
		json_object_set_new(c->page, "requested", json_true());
	if (web_bool(c, "refreshed"))
		json_object_set_new(c->page, "refreshed", json_true());
	if (c->input_status)
		return c->input_status;
	return admin_context(c, &s, false);
}

int web_linkedin_backfill(struct ctx *c)
{
	enum { START, PAUSE, RESUME };
	static const struct web_choice actions[] = {{"start", START},
						    {"pause", PAUSE},
						    {"resume", RESUME},
						    {NULL, 0}};
	int action = web_enum(c, "action", actions, WEB_REQUIRED);
	if (c->input_status)
		return c->input_status;
	int rc = action == START   ? li_backfill_start(c->db)
		 : action == PAUSE ? li_backfill_pause(c->db)
				   : li_backfill_resume(c->db);
	if (rc == DB_NOT_FOUND)
		return web_fail(c, 409, "action",
				action == PAUSE
				    ? "there is no full sync running to pause"
				    : "there is no paused full sync to resume");
	if (rc != DB_OK)
		return web_status_from_db(rc);
	static const char *const audit[] = {"linkedin.backfill_start",
					    "linkedin.backfill_pause",
					    "linkedin.backfill_resume"};
	ats_audit(c->db, c->session->user.id, audit[action], "integration", 1,
		  "", c->req->remote_addr);
	return web_see_other(c, "/admin/linkedin#backfill");
}

static bool printable_ascii(const char *s)
{
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

int web_linkedin_admin_save(struct ctx *c)
{
	struct li_settings s;
	int rc = li_settings_load(c->db, c->arena, c->cfg, &s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	bool enabled = web_bool(c, "enabled");
	const char *client_id = web_text(c, "client_id", 0);
	const char *secret = web_text(c, "client_secret", 0);
	const char *org = web_text(c, "organization_urn", 0);
	const char *contract = web_text(c, "contract_urn", 0);
	const char *inst = web_text(c, "ats_instance_name", INSTANCE_MAX);

	admin_context(c, &s, true);
	if (c->input_status)
		return c->input_status;
	if (strlen(client_id) > CLIENT_ID_MAX || !printable_ascii(client_id))
		return web_fail(
		    c, 400, "client_id",
		    "must be at most 200 printable characters without "
		    "spaces");
	if (strlen(secret) > SECRET_MAX || !printable_ascii(secret))
		return web_fail(
		    c, 400, "client_secret",
		    "must be at most 200 printable characters without "
		    "spaces");
	if (*org && !li_urn_valid(org, "urn:li:organization:"))
		return web_fail(c, 400, "organization_urn",
				"must look like urn:li:organization:12345");
	if (*contract && !li_urn_valid(contract, "urn:li:contract:"))
		return web_fail(c, 400, "contract_urn",
				"must look like urn:li:contract:12345");
	if (enabled) {
		if (!*client_id)
			return web_fail(
			    c, 400, "client_id",
			    "is required to enable the integration");
		if (!*secret && !(s.client_secret && *s.client_secret))
			return web_fail(
			    c, 400, "client_secret",
			    "is required to enable the integration");
		if (!*org)
			return web_fail(
			    c, 400, "organization_urn",
			    "is required to enable the integration");
		if (!*contract)
			return web_fail(
			    c, 400, "contract_urn",
			    "is required to enable the integration: hirelink "
			    "reads the contract's seats and their InMail "
			    "activity and Recruiter notes (Recruiting "
			    "activities)");
		if (!*inst)
			return web_fail(
			    c, 400, "ats_instance_name",
			    "is required to enable the integration "
			    "(LinkedIn shows it under \"Change ATS\")");
	}
	rc = li_settings_save(c->db, c->cfg, enabled, client_id, secret, org,
			      contract, inst);
	/* web_text's copy ("" when absent) */
	crypto_wipe((char *)secret, strlen(secret));
	if (rc != DB_OK)
		return web_status_from_db(rc);
	li_shared_forget_app_token(c->w->app->li);
	li_settings_forget(c->w->app->li);
	ats_audit(c->db, c->session->user.id, "linkedin.settings",
		  "integration", 1, enabled ? "enabled" : "disabled",
		  c->req->remote_addr);
	return web_see_other(c, "/admin/linkedin?saved=1");
}

int web_linkedin_admin_test(struct ctx *c)
{
	struct li_settings s;
	struct li_error err = {0};
	int rc = li_settings_load(c->db, c->arena, c->cfg, &s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	rc = li_app_token_test(c->w->li, c->db, c->arena, &s, &err);
	if (rc == LI_OK) {
		li_record_success(c->db);
		json_object_set_new(
		    c->page, "test",
		    json_pack("{s:b, s:s}", "ok", 1, "message",
			      "LinkedIn issued an application token: the "
			      "client ID and secret work."));
	} else {
		li_record_error(c->db, li_error_text(&err));
		json_object_set_new(c->page, "test",
				    json_pack("{s:b, s:s}", "ok", 0, "message",
					      li_error_text(&err)));
	}
	/* Reload for the status panel just updated. */
	rc = li_settings_load(c->db, c->arena, c->cfg, &s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return admin_context(c, &s, false);
}

/* POST /admin/linkedin/integrations: action=enable or disable asks the
 * worker to enable or disable the integrations at LinkedIn (through the
 * outbox: an outage delays it, never loses it); action=refresh reads their
 * state from LinkedIn now. */
int web_linkedin_integrations(struct ctx *c)
{
	enum { ENABLE, DISABLE, REFRESH };
	static const struct web_choice actions[] = {{"enable", ENABLE},
						    {"disable", DISABLE},
						    {"refresh", REFRESH},
						    {NULL, 0}};
	struct li_settings s;
	int action = web_enum(c, "action", actions, WEB_REQUIRED);
	int rc = li_settings_load(c->db, c->arena, c->cfg, &s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	int st = admin_context(c, &s, false);
	if (st != 200)
		return st;
	if (c->input_status)
		return c->input_status;
	if (!li_settings_ready(&s) || !*s.organization_urn)
		return web_fail(c, 400, "enabled",
				"save the integration first: enabled, with "
				"the client ID and secret and the "
				"organization URN");
	if (action == ENABLE && !*s.ats_instance_name)
		return web_fail(c, 400, "ats_instance_name",
				"is required: LinkedIn shows it under "
				"\"Change ATS\"");
	if (action == REFRESH) {
		struct li_error err = {0};
		if (li_integrations_refresh(c->w->li, c->db, &err) != LI_OK)
			return web_fail(c, 502, NULL, li_error_text(&err));
		return web_see_other(c, "/admin/linkedin?refreshed=1");
	}
	rc = li_integrations_request(c->db, action == ENABLE);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	ats_audit(c->db, c->session->user.id,
		  action == ENABLE ? "linkedin.enable" : "linkedin.disable",
		  "integration", 1, s.ats_instance_name, c->req->remote_addr);
	return web_see_other(c, "/admin/linkedin?requested=1");
}
