/*
 * jobs.c - LinkedIn's side of an ATS's integration and of Sync Jobs, as
 * LinkedIn's Recruiter System Connect and Middleware pages document them
 * (README "ATS integrations and jobs"):
 *
 *   /v2/atsIntegrations                     enable (batch_partial_update:
 *                                           integrationName), batch GET,
 *                                           q=request (hirelink convention)
 *   /v2/atsIntegrations/{key}/configurations  CALLBACK_URL and the *_VIEWERS
 *                                           (batch_update, GET, DELETE)
 *   /v2/simpleJobPostings                   batch_create, each element
 *                                           checked for LinkedIn's required
 *                                           fields and answered on its own
 *   /v2/simpleJobPostingTasks               the task of each posting
 *   /v2/atsEntityAcls, /v2/atsEntityAclAssignees  job ACLs
 *   GET /sandbox/jobs                       LinkedIn's copy, for tests
 *
 * Everything is the calling application's (its client_id, from the
 * application token; sb_app_caller) within its organization: two hirelink
 * instances in one organization never see each other's jobs, and an
 * integrationContext of another organization is refused.
 *
 * Rest.li 1.0 keys come in the query (ids[i].field=value, or ids=value for
 * simple keys) and, for writes, again as the keys of the body's
 * "entities" (a=v&b=w, values percent-encoded or not, in any order); an
 * answer names each key once, in "results" or "errors".  The
 * X-RestLi-Method header is not checked (hirelink's request struct does
 * not carry it): the method and the body's shape tell the calls apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/sandbox.h"

#define ID_MAX	   100 /* externalJobPostingId, ACL ids, assignees */

/* Rest.li keys and batch answers: restli.c's (sb_rkey, sb_query_keys,
 * sb_body_entities, sb_batch_*). */

/* {"status", "serviceErrorCode", "message"}: LinkedIn's error object. */
static json_t *error_obj(int status, const char *message)
{
	return json_pack("{s:i, s:i, s:s}", "status", status,
			 "serviceErrorCode", status == 403 ? 100 : 0, "message",
			 message);
}

/* ------------------------------------------------------------ the caller */

/* Who calls: the application and its organization. */
struct caller {
	const char *client_id;
	int64_t org;
	const char *org_urn; /* urn:li:organization:<org> */
};

static int caller(struct sb_ctx *c, const char *resource, struct caller *who)
{
	if (sb_app_caller(c, resource, &who->client_id, &who->org) < 0)
		return -1;
	who->org_urn =
	    arena_printf(c->a, "urn:li:organization:%lld", (long long)who->org);
	if (!who->org_urn) {
		sb_db_fail(c);
		return -1;
	}
	return 0;
}

/* Why an ATS key (dataProvider, integrationContext) is not the caller's,
 * and its status in *status; NULL when it is. */
static const char *ats_key_refusal(struct sb_ctx *c, const struct caller *who,
				   const struct sb_rkey *k, int *status)
{
	const char *dp = sb_key_get(k, "dataProvider");
	const char *ctx = sb_key_get(k, "integrationContext");
	*status = 400;
	if (!dp || strcmp(dp, "ATS"))
		return "dataProvider must be ATS";
	if (!ctx || strncmp(ctx, "urn:li:organization:", 20))
		return "integrationContext must be urn:li:organization:{id}";
	if (strcmp(ctx, who->org_urn)) {
		*status = 403;
		const char *m = arena_printf(
		    c->a, "Not enough permissions to access %.100s", ctx);
		return m ? m : "Not enough permissions";
	}
	return NULL;
}

/* ------------------------------------------------------------ integrations */

static const char *const integration_types[] = {
    "ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN", NULL};

static bool integration_type_ok(const char *t)
{
	for (size_t i = 0; t && integration_types[i]; i++)
		if (!strcmp(t, integration_types[i]))
			return true;
	return false;
}

/* Why an atsIntegrations key is not one the caller may use; NULL when it
 * is. */
static const char *integration_key_refusal(struct sb_ctx *c,
					   const struct caller *who,
					   const struct sb_rkey *k, int *status)
{
	const char *why = ats_key_refusal(c, who, k, status);
	const char *t = sb_key_get(k, "integrationType");
	const char *tenant = sb_key_get(k, "tenantType");
	if (why)
		return why;
	*status = 400;
	if (k->n != 4)
		return "an atsIntegrations key has integrationContext, "
		       "integrationType, tenantType and dataProvider";
	if (!tenant || strcmp(tenant, "RECRUITER"))
		return "tenantType must be RECRUITER";
	if (!integration_type_ok(t))
		return "integrationType must be ONE_CLICK_EXPORT, "
		       "IN_ATS_INDICATOR or PROFILE_PLUGIN (the sandbox has "
		       "no other)";
	return NULL;
}

/* One integration as LinkedIn answers it (hirelink convention for the
 * status field: LinkedIn's pages do not show the entity). */
static json_t *integration_json(const char *org_urn, const char *type,
				const char *name, bool enabled)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "integrationContext",
			 org_urn, "integrationType", type, "tenantType",
			 "RECRUITER", "dataProvider", "ATS", "integrationName",
			 name, "status", enabled ? "ENABLED" : "DISABLED");
}

/*
 * After an integration of the caller changed: records what an
 * INTEGRATION_STATUS_CHANGE notification about it refers to (the
 * application's integrations now, for ?q=request&requestId=) and returns
 * its requestId (arena-owned), or NULL when it could not.
 */
static const char *integration_request(struct sb_ctx *c,
				       const struct caller *who)
{
	struct db_result res;
	char id[SB_REQUEST_ID_SIZE];
	json_t *el = json_array();
	int rc = db_query(c->db, c->a, &res,
			  "SELECT integration_type, integration_name, enabled"
			  " FROM ats_integrations WHERE client_id = ? AND"
			  " organization_id = ? ORDER BY integration_type",
			  "si", who->client_id, who->org);
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++)
		json_array_append_new(
		    el, integration_json(who->org_urn, res.rows[i].v[0],
					 res.rows[i].v[1],
					 db_int(&res.rows[i], 2) != 0));
	struct buf text = BUF_INIT;
	if (rc != DB_OK || buf_add_json(&text, el, JSON_COMPACT) < 0 ||
	    sb_request_id(id) < 0) {
		json_decref(el);
		buf_release(&text);
		return NULL;
	}
	json_decref(el);
	rc = db_exec(c->db, NULL,
		     "INSERT INTO ats_integration_requests (request_id,"
		     " client_id, organization_id, elements, created_at)"
		     " VALUES (?, ?, ?, ?, ?)",
		     "ssisi", id, who->client_id, who->org, text.data,
		     time_now_ms());
	buf_release(&text);
	return rc == DB_OK ? arena_strdup(c->a, id) : NULL;
}

/*
 * After who's integrations changed, in the transaction that changed them:
 * what the change refers to is recorded (integration_request) and an
 * INTEGRATION_STATUS_CHANGE notification queued to the application's
 * CALLBACK_URL, signed and sent by the delivery runner once committed.  An
 * application without a CALLBACK_URL (its first enabling, before it
 * registered one) is told nothing: LinkedIn has nowhere to send it.  The
 * requestId (arena-owned) and *sent, or NULL when the database failed.
 */
static const char *integration_changed(struct sb_ctx *c,
				       const struct caller *who, bool *sent)
{
	const char *id = integration_request(c, who);
	int rc = id ? sb_notify(c, who->client_id, who->org,
				SB_EVENT_INTEGRATION, id)
		    : -1;
	*sent = rc == 0;
	return rc < 0 ? NULL : id;
}

/*
 * Sets who's integration of type, in the caller's transaction: its name
 * (NULL: kept) and its state (enable 1 or 0; -1: enabled when a name is
 * given, else kept).  *changed becomes true when the integration is new or
 * its state changed.  DB_OK; DB_NOT_FOUND, writing nothing, for an
 * integration never enabled and no name; or the database's failure.
 */
static int integration_switch(struct sb_ctx *c, const struct caller *who,
			      const char *type, const char *name, int enable,
			      bool *changed)
{
	struct db_row r;
	int rc = db_query_row(c->db, c->a, &r,
			      "SELECT integration_name, enabled FROM "
			      "ats_integrations WHERE client_id = ? "
			      "AND organization_id = ? AND "
			      "integration_type = ? FOR UPDATE",
			      "sis", who->client_id, who->org, type);
	if (rc == DB_NOT_FOUND && !name)
		return DB_NOT_FOUND;
	if (rc != DB_OK && rc != DB_NOT_FOUND)
		return rc;
	bool was = rc == DB_OK && db_int(&r, 1);
	bool now = enable >= 0 ? enable == 1 : (name ? true : was);
	int wrc = db_exec(c->db, NULL,
			  "INSERT INTO ats_integrations (client_id,"
			  " organization_id, integration_type,"
			  " integration_name, enabled) VALUES (?, ?, ?, ?, ?)"
			  " ON DUPLICATE KEY UPDATE integration_name ="
			  " VALUES(integration_name), enabled ="
			  " VALUES(enabled)",
			  "sissi", who->client_id, who->org, type,
			  name ? name : r.v[0], (int64_t)now);
	if (wrc != DB_OK)
		return wrc;
	if (rc == DB_NOT_FOUND || was != now)
		*changed = true;
	return DB_OK;
}

/* The patch of one atsIntegrations entity: {"patch": {"$set":
 * {"integrationName": "...", "status": "ENABLED"|"DISABLED"}}}.  *name
 * NULL when not set; *enable 1, 0, or -1 when not set.  The reason it is
 * not one, or NULL. */
static const char *patch_read(json_t *ent, const char **name, int *enable)
{
	json_t *set = json_object_get(json_object_get(ent, "patch"), "$set");
	json_t *n = json_object_get(set, "integrationName");
	json_t *st = json_object_get(set, "status");
	const char *k;
	json_t *v;

	*name = NULL;
	*enable = -1;
	if (!json_is_object(set))
		return "ERROR :: /patch :: an entity is {\"patch\": {\"$set\": "
		       "{...}}}";
	json_object_foreach(set, k, v)
	{
		if (strcmp(k, "integrationName") && strcmp(k, "status"))
			return "ERROR :: /patch/$set :: only integrationName "
			       "and status can be set";
	}
	if (n) {
		*name = json_string_value(n);
		if (!*name || !**name || strlen(*name) > 200)
			return "ERROR :: /integrationName :: must be a string "
			       "of 1 to 200 characters";
	}
	if (st) {
		const char *s = json_string_value(st);
		if (s && !strcmp(s, "ENABLED"))
			*enable = 1;
		else if (s && !strcmp(s, "DISABLED"))
			*enable = 0;
		else
			return "ERROR :: /status :: must be ENABLED or "
			       "DISABLED";
	}
	return NULL;
}

/*
 * POST /v2/atsIntegrations (batch_partial_update).  Setting the
 * integrationName enables the integration: the sandbox plays the
 * customer's Recruiter admin, who enables it in Admin Settings at once
 * (hirelink convention); "status": "DISABLED" turns it off and "ENABLED"
 * on again (hirelink convention: LinkedIn documents no partner call that
 * disables).  A change of state is notified to the application
 * (INTEGRATION_STATUS_CHANGE, integration_changed).
 */
void sb_integrations_patch(struct sb_ctx *c)
{
	struct caller who;
	struct sb_rkey *keys;
	size_t n;
	json_t *ent[SB_BATCH_MAX];
	struct sb_batch b;
	bool changed = false;

	if (caller(c, "atsIntegrations.BATCH_PARTIAL_UPDATE.NO_VERSION", &who) <
		0 ||
	    sb_query_keys(c, &keys, &n) < 0 || sb_body_entities(c, keys, n, ent) < 0)
		return;
	sb_batch_init(&b);
	if (db_begin(c->db) != DB_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		int status, enable;
		const char *name;
		const char *why =
		    integration_key_refusal(c, &who, &keys[i], &status);
		if (!why && (why = patch_read(ent[i], &name, &enable)))
			status = 400;
		if (why) {
			sb_batch_error(&b, keys[i].text, status, why);
			continue;
		}
		int rc = integration_switch(c, &who,
					    sb_key_get(&keys[i], "integrationType"),
					    name, enable, &changed);
		if (rc == DB_NOT_FOUND) {
			sb_batch_error(&b, keys[i].text, 422,
				    "ERROR :: /integrationName :: field is "
				    "required but not found and has no "
				    "default value");
			continue;
		}
		if (rc != DB_OK)
			goto fail;
		sb_batch_ok(&b, keys[i].text, NULL, 204);
	}
	bool sent = false;
	const char *request =
	    changed ? integration_changed(c, &who, &sent) : NULL;
	if ((changed && !request) || db_commit(c->db) != DB_OK)
		goto fail;
	if (request)
		log_info("sandbox: integration status change %s for %s%s",
			 request, who.client_id,
			 sent ? "" : " (no CALLBACK_URL: not sent)");
	if (sent)
		sb_deliveries_wake(c->app); /* committed: it may go now */
	sb_batch_answer(c, &b);
	return;
fail:
	db_rollback(c->db);
	sb_batch_fail(c, &b);
}

/* GET /v2/atsIntegrations?q=request&requestId=: what a notification
 * refers to (hirelink convention for the answer's shape). */
static void integrations_by_request(struct sb_ctx *c, const struct caller *who)
{
	const char *id = http_query(c->req, "requestId");
	struct db_row r;
	json_error_t je;
	if (!id || !*id) {
		sb_bad_param(c, "requestId");
		return;
	}
	int rc = db_query_row(c->db, c->a, &r,
			      "SELECT elements FROM ats_integration_requests"
			      " WHERE request_id = ? AND client_id = ?",
			      "ss", id, who->client_id);
	if (rc == DB_NOT_FOUND) {
		sb_api_error(c, 404, 0, "Resource not found");
		return;
	}
	json_t *el = rc == DB_OK ? json_loads(r.v[0], 0, &je) : NULL;
	if (!el) {
		sb_db_fail(c);
		return;
	}
	size_t n = json_array_size(el);
	sb_json(c, 200,
		json_pack("{s:o, s:{s:i, s:I, s:I}}", "elements", el, "paging",
			  "start", 0, "count", (json_int_t)n, "total",
			  (json_int_t)n));
}

/* GET /v2/atsIntegrations?ids[0]...: batch get; an integration never
 * enabled is a 404 in "errors". */
void sb_integrations_get(struct sb_ctx *c)
{
	struct caller who;
	struct sb_rkey *keys;
	size_t n;
	struct sb_batch b;
	const char *q = http_query(c->req, "q");

	if (caller(c, "atsIntegrations.BATCH_GET.NO_VERSION", &who) < 0)
		return;
	if (q && !strcmp(q, "request")) {
		integrations_by_request(c, &who);
		return;
	}
	if (q) {
		sb_bad_param(c, "q");
		return;
	}
	if (sb_query_keys(c, &keys, &n) < 0)
		return;
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		int status;
		const char *why =
		    integration_key_refusal(c, &who, &keys[i], &status);
		struct db_row r;
		if (why) {
			sb_batch_error(&b, keys[i].text, status, why);
			continue;
		}
		const char *type = sb_key_get(&keys[i], "integrationType");
		int rc = db_query_row(c->db, c->a, &r,
				      "SELECT integration_name, enabled FROM "
				      "ats_integrations WHERE client_id = ? "
				      "AND organization_id = ? AND "
				      "integration_type = ?",
				      "sis", who.client_id, who.org, type);
		if (rc == DB_NOT_FOUND)
			sb_batch_error(&b, keys[i].text, 404,
				    "Resource not found");
		else if (rc != DB_OK) {
			sb_batch_fail(c, &b);
			return;
		} else
			sb_batch_ok(&b, keys[i].text,
				 integration_json(who.org_urn, type, r.v[0],
						  db_int(&r, 1) != 0),
				 200);
	}
	sb_batch_answer(c, &b);
}

/* ------------------------------------------------------------ configurations
 */

/* The integration of the path's {key}: 0 with *type, or -1 after
 * answering (400 for a key that is not one, 403 for another's, 404 for
 * an integration never enabled). */
static int config_integration(struct sb_ctx *c, const struct caller *who,
			      const char **type)
{
	struct sb_rkey k;
	int status;
	const char *why;
	struct db_row r;

	if (sb_key_parse(c->a, c->match.captures[0], &k) < 0) {
		sb_api_error(c, 400, 100, "The path's key is not one");
		return -1;
	}
	if ((why = integration_key_refusal(c, who, &k, &status))) {
		sb_api_error(c, status, status == 403 ? 100 : 0, why);
		return -1;
	}
	*type = sb_key_get(&k, "integrationType");
	int rc = db_query_row(c->db, c->a, &r,
			      "SELECT 1 FROM ats_integrations WHERE client_id"
			      " = ? AND organization_id = ? AND"
			      " integration_type = ?",
			      "sis", who->client_id, who->org, *type);
	if (rc == DB_NOT_FOUND)
		sb_api_error(c, 404, 0,
			     "Resource not found: enable the integration "
			     "(atsIntegrations) first");
	else if (rc != DB_OK)
		sb_db_fail(c);
	return rc == DB_OK ? 0 : -1;
}

/* The start of a configurations call: the caller (an application token
 * with access to resource), the integration of the path's key and the
 * configuration keys of the query (?ids=K&ids=L).  0, or -1 after
 * answering. */
static int config_call(struct sb_ctx *c, const char *resource,
		       struct caller *who, const char **type,
		       const char ***ids, size_t *n)
{
	if (caller(c, resource, who) < 0 || config_integration(c, who, type) < 0)
		return -1;
	return sb_query_ids(c, ids, n);
}

/* Why config_key with value is not a configuration of type; NULL when it
 * is.  value NULL: only the key is checked. */
static const char *config_refusal(const char *type, const char *key,
				  const char *value)
{
	bool export = !strcmp(type, "ONE_CLICK_EXPORT");
	if (!strcmp(key, "CALLBACK_URL")) {
		if (!export)
			return "CALLBACK_URL is a configuration of "
			       "ONE_CLICK_EXPORT";
		/* LinkedIn wants HTTPS; the sandbox talks to loopback */
		if (value && ((strncmp(value, "https://", 8) &&
			       strncmp(value, "http://", 7)) ||
			      strlen(value) > 2000))
			return "ERROR :: /configurationValue :: CALLBACK_URL "
			       "must be an http(s) URL of at most 2000 "
			       "characters";
		return NULL;
	}
	if (!strcmp(key, "JOB_POSTING_VIEWERS") ||
	    !strcmp(key, "APPLICATION_VIEWERS")) {
		if (!strcmp(key, "JOB_POSTING_VIEWERS") != export)
			return export ? "APPLICATION_VIEWERS is a "
					"configuration of IN_ATS_INDICATOR"
				      : "JOB_POSTING_VIEWERS is a "
					"configuration of ONE_CLICK_EXPORT";
		if (!export && strcmp(type, "IN_ATS_INDICATOR"))
			return "APPLICATION_VIEWERS is a configuration of "
			       "IN_ATS_INDICATOR";
		if (value && strcmp(value, "ALL_PRODUCT_USERS"))
			return "ERROR :: /configurationValue :: the only "
			       "value is ALL_PRODUCT_USERS";
		return NULL;
	}
	return "unknown configuration: CALLBACK_URL, JOB_POSTING_VIEWERS or "
	       "APPLICATION_VIEWERS";
}

/* PUT .../configurations?ids=K (batch_update): {"entities": {K:
 * {"configurationValue": {"string": v}}}}. */
void sb_configurations_put(struct sb_ctx *c)
{
	struct caller who;
	const char *type, **ids;
	size_t n;
	struct sb_batch b;
	json_t *e = json_object_get(c->req->json, "entities");

	if (config_call(c, "atsIntegrationConfigurations.BATCH_UPDATE.NO_VERSION",
			&who, &type, &ids, &n) < 0)
		return;
	if (!json_is_object(e) || json_object_size(e) != n) {
		sb_api_error(c, 400, 100,
			     "The body is {\"entities\": {key: entity}}, one "
			     "for each of the query's ids");
		return;
	}
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		json_t *ent = json_object_get(e, ids[i]);
		const char *v = json_string_value(json_object_get(
		    json_object_get(ent, "configurationValue"), "string"));
		const char *why;
		if (!ent) {
			sb_batch_error(&b, ids[i], 400,
				    "the body has no entity for this id");
			continue;
		}
		if (!v) {
			sb_batch_error(&b, ids[i], 422,
				    "ERROR :: /configurationValue :: field is "
				    "required but not found and has no default "
				    "value");
			continue;
		}
		if ((why = config_refusal(type, ids[i], v))) {
			sb_batch_error(&b, ids[i], 400, why);
			continue;
		}
		if (db_exec(c->db, NULL,
			    "INSERT INTO ats_integration_configs (client_id,"
			    " organization_id, integration_type, config_key,"
			    " config_value) VALUES (?, ?, ?, ?, ?) ON"
			    " DUPLICATE KEY UPDATE config_value ="
			    " VALUES(config_value)",
			    "sisss", who.client_id, who.org, type, ids[i],
			    v) != DB_OK) {
			sb_batch_fail(c, &b);
			return;
		}
		sb_batch_ok(&b, ids[i], NULL, 204);
	}
	sb_batch_answer(c, &b);
}

/* GET .../configurations?ids=K: each as {"configurationValue": {"string":
 * v}}, a 404 for one not set. */
void sb_configurations_get(struct sb_ctx *c)
{
	struct caller who;
	const char *type, **ids;
	size_t n;
	struct sb_batch b;

	if (config_call(c, "atsIntegrationConfigurations.BATCH_GET.NO_VERSION",
			&who, &type, &ids, &n) < 0)
		return;
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		struct db_row r;
		int rc =
		    db_query_row(c->db, c->a, &r,
				 "SELECT config_value FROM"
				 " ats_integration_configs WHERE"
				 " client_id = ? AND organization_id = ?"
				 " AND integration_type = ? AND"
				 " config_key = ?",
				 "siss", who.client_id, who.org, type, ids[i]);
		if (rc == DB_OK)
			sb_batch_ok(&b, ids[i],
				 json_pack("{s:{s:s}}", "configurationValue",
					   "string", r.v[0]),
				 200);
		else if (rc == DB_NOT_FOUND)
			sb_batch_error(&b, ids[i], 404, "Resource not found");
		else {
			sb_batch_fail(c, &b);
			return;
		}
	}
	sb_batch_answer(c, &b);
}

/* DELETE .../configurations?ids=K: removed, or already absent (204 either
 * way, hirelink convention). */
void sb_configurations_delete(struct sb_ctx *c)
{
	struct caller who;
	const char *type, **ids;
	size_t n;
	struct sb_batch b;

	if (config_call(c, "atsIntegrationConfigurations.BATCH_DELETE.NO_VERSION",
			&who, &type, &ids, &n) < 0)
		return;
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		const char *why = config_refusal(type, ids[i], NULL);
		if (why) {
			sb_batch_error(&b, ids[i], 400, why);
			continue;
		}
		if (db_exec(c->db, NULL,
			    "DELETE FROM ats_integration_configs WHERE"
			    " client_id = ? AND organization_id = ? AND"
			    " integration_type = ? AND config_key = ?",
			    "siss", who.client_id, who.org, type,
			    ids[i]) != DB_OK) {
			sb_batch_fail(c, &b);
			return;
		}
		sb_batch_ok(&b, ids[i], NULL, 204);
	}
	sb_batch_answer(c, &b);
}

/* ------------------------------------------------------------ job postings */

/* One element of a batch_create, checked. */
struct posting {
	const char *id, *title, *description, *location, *country, *postal;
	const char *availability, *state, *apply_url;
	int64_t listed_at;
};

/* A string member: *out, or NULL when absent or null; "" and another type
 * are refused (returns the reason). */
static const char *str_member(struct sb_ctx *c, json_t *e, const char *field,
			      bool required, size_t max, const char **out,
			      int *status)
{
	json_t *v = json_object_get(e, field);
	*out = NULL;
	if (!v || json_is_null(v))
		return required ? sb_missing(c, field, status) : NULL;
	if (!json_is_string(v))
		return sb_invalid(c, field, "must be a string", status);
	*out = json_string_value(v);
	if (!**out)
		return required
			   ? sb_missing(c, field, status)
			   : sb_invalid(c, field, "must not be empty", status);
	if (max && utf8_len(*out, strlen(*out)) > max) {
		const char *m =
		    arena_printf(c->a, "must be at most %zu characters", max);
		return sb_invalid(c, field, m ? m : "is too long", status);
	}
	return NULL;
}

/* "CITY,STATE" or "CITY,COUNTRY": text on both sides of a comma. */
static bool location_ok(const char *s)
{
	const char *comma = strchr(s, ',');
	if (!comma || comma == s)
		return false;
	for (const char *p = comma + 1; *p; p++)
		if (*p != ' ')
			return true;
	return false;
}

/* Checks element e against LinkedIn's required fields (Recruiter System
 * Connect, "Required Fields": Sync Jobs) into p; the reason it is
 * refused, with its status, or NULL. */
static const char *posting_check(struct sb_ctx *c, const struct caller *who,
				 json_t *e, struct posting *p, int *status)
{
	const char *ctx, *why, *op = NULL;
	json_t *listed;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(e))
		return sb_invalid(c, "", "an element is an object", status);
	if ((why = str_member(c, e, "integrationContext", true, 0, &ctx,
			      status)) ||
	    (why = str_member(c, e, "externalJobPostingId", true, ID_MAX,
			      &p->id, status)) ||
	    (why = str_member(c, e, "title", true, 200, &p->title, status)) ||
	    (why = str_member(c, e, "description", true, 0, &p->description,
			      status)) ||
	    (why = str_member(c, e, "location", false, 200, &p->location,
			      status)) ||
	    (why = str_member(c, e, "countryCode", false, 2, &p->country,
			      status)) ||
	    (why = str_member(c, e, "postalCode", false, 20, &p->postal,
			      status)) ||
	    (why = str_member(c, e, "state", true, 0, &p->state, status)) ||
	    (why = str_member(c, e, "companyApplyUrl", true, 2000,
			      &p->apply_url, status)) ||
	    (why = str_member(c, e, "availability", false, 0, &p->availability,
			      status)) ||
	    (why = str_member(c, e, "jobPostingOperationType", false, 0, &op,
			      status)))
		return why;
	if (strncmp(ctx, "urn:li:organization:", 20))
		return sb_invalid(c, "integrationContext",
			       "must be urn:li:organization:{id}", status);
	if (strcmp(ctx, who->org_urn)) {
		*status = 403;
		const char *m = arena_printf(
		    c->a, "Not enough permissions to access %.100s", ctx);
		return m ? m : "Not enough permissions";
	}
	if (p->location && !location_ok(p->location))
		return sb_invalid(c, "location",
			       "must be in the format \"CITY,STATE\" or "
			       "\"CITY,COUNTRY\"",
			       status);
	if (!p->location && !p->country)
		return sb_missing(c, "location", status);
	if (!p->location && !p->postal)
		return sb_missing(c, "postalCode", status);
	if (p->country && strlen(p->country) != 2)
		return sb_invalid(c, "countryCode", "must be two letters", status);
	if (strcmp(p->state, "LISTED") && strcmp(p->state, "CLOSED"))
		return sb_invalid(c, "state", "must be LISTED or CLOSED", status);
	if (op && strcmp(op, "CREATE") && strcmp(op, "UPDATE") &&
	    strcmp(op, "RENEW") && strcmp(op, "CLOSE"))
		return sb_invalid(c, "jobPostingOperationType",
			       "must be CREATE, UPDATE, RENEW or CLOSE",
			       status);
	/* the state follows CLOSE (LinkedIn derives it from the operation) */
	if (op && !strcmp(op, "CLOSE"))
		p->state = "CLOSED";
	if (!p->availability)
		p->availability = "PRIVATE_TO_ATS_INTEGRATION";
	if (strcmp(p->availability, "PUBLIC") &&
	    strcmp(p->availability, "PRIVATE_TO_ATS_INTEGRATION"))
		return sb_invalid(c, "availability",
			       "must be PUBLIC or PRIVATE_TO_ATS_INTEGRATION",
			       status);
	if (strncmp(p->apply_url, "https://", 8) &&
	    strncmp(p->apply_url, "http://", 7))
		return sb_invalid(c, "companyApplyUrl", "must be an http(s) URL",
			       status);
	listed = json_object_get(e, "listedAt");
	if (!listed || json_is_null(listed))
		return sb_missing(c, "listedAt", status);
	if (!json_is_integer(listed) || json_integer_value(listed) <= 0)
		return sb_invalid(c, "listedAt",
			       "must be epoch milliseconds (UTC)", status);
	p->listed_at = json_integer_value(listed);
	return NULL;
}

/* LinkedIn's rule for a listed job: a PUBLIC one turned private must be
 * closed first, then listed again.  The reason, or NULL. */
static const char *availability_refusal(struct sb_ctx *c,
					const struct caller *who,
					const struct posting *p, int *status,
					int *rc)
{
	struct db_row r;
	*rc = db_query_row(c->db, c->a, &r,
			   "SELECT availability, state FROM job_postings WHERE"
			   " client_id = ? AND organization_id = ? AND"
			   " external_job_posting_id = ? FOR UPDATE",
			   "sis", who->client_id, who->org, p->id);
	if (*rc == DB_NOT_FOUND)
		*rc = DB_OK;
	else if (*rc == DB_OK && !strcmp(r.v[0], "PUBLIC") &&
		 !strcmp(r.v[1], "LISTED") &&
		 !strcmp(p->availability, "PRIVATE_TO_ATS_INTEGRATION") &&
		 !strcmp(p->state, "LISTED"))
		return sb_invalid(c, "availability",
			       "a listed PUBLIC job cannot become "
			       "PRIVATE_TO_ATS_INTEGRATION: close it, then "
			       "list it again",
			       status);
	return NULL;
}

/* POST /v2/simpleJobPostings (batch_create): {"elements": [...]}, at most
 * 100; answers {"elements": [{"status": 201, "id": task URN} or
 * {"status": 4xx, "error": {...}}]} in the elements' order. */
void sb_job_postings_create(struct sb_ctx *c)
{
	struct caller who;
	json_t *el = json_object_get(c->req->json, "elements"), *out;
	size_t n;

	if (caller(c, "simpleJobPostings.BATCH_CREATE.NO_VERSION", &who) < 0)
		return;
	if (!json_is_array(el) || !(n = json_array_size(el))) {
		sb_api_error(c, 400, 100,
			     "The body is {\"elements\": [job postings]}");
		return;
	}
	if (n > SB_BATCH_MAX) {
		sb_api_error(c, 400, 100,
			     "A batch_create takes at most 100 job postings");
		return;
	}
	out = json_array();
	if (db_begin(c->db) != DB_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct posting p;
		int status = 0, rc = DB_OK;
		const char *why =
		    posting_check(c, &who, json_array_get(el, i), &p, &status);
		/* "Ensure that requests do not include duplicate updates to
		 * the same externalJobPostingId" */
		for (size_t j = 0; !why && j < i; j++)
			if (!strcmp(p.id, json_string_value(json_object_get(
					      json_array_get(el, j),
					      "externalJobPostingId"))))
				why = sb_invalid(c, "externalJobPostingId",
					      "appears twice in one batch",
					      &status);
		if (!why)
			why = availability_refusal(c, &who, &p, &status, &rc);
		if (rc != DB_OK)
			goto fail;
		if (why) {
			json_array_append_new(
			    out, json_pack("{s:i, s:o}", "status", status,
					   "error", error_obj(status, why)));
			continue;
		}
		if (db_exec(c->db, NULL,
			    "INSERT INTO job_postings (client_id,"
			    " organization_id, external_job_posting_id, title,"
			    " description, location, availability, state,"
			    " company_apply_url, listed_at, country_code,"
			    " postal_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
			    " ?, ?, ?) ON DUPLICATE KEY UPDATE title ="
			    " VALUES(title), description = VALUES(description),"
			    " location = VALUES(location), availability ="
			    " VALUES(availability), state = VALUES(state),"
			    " company_apply_url = VALUES(company_apply_url),"
			    " listed_at = VALUES(listed_at), country_code ="
			    " VALUES(country_code), postal_code ="
			    " VALUES(postal_code)",
			    "sisssssssiss", who.client_id, who.org, p.id,
			    p.title, p.description,
			    p.location ? p.location : "", p.availability,
			    p.state, p.apply_url, p.listed_at,
			    p.location ? NULL : p.country,
			    p.location ? NULL : p.postal) != DB_OK ||
		    db_exec(c->db, NULL,
			    "INSERT INTO simple_job_posting_tasks (client_id,"
			    " organization_id, external_job_posting_id, status,"
			    " created_at) VALUES (?, ?, ?, 'SUCCEEDED', ?)",
			    "sisi", who.client_id, who.org, p.id,
			    time_now_ms()) != DB_OK)
			goto fail;
		json_array_append_new(
		    out,
		    json_pack(
			"{s:i, s:s}", "status", 201, "id",
			arena_printf(c->a,
				     "urn:li:simpleJobPostingTask:"
				     "%llu",
				     (unsigned long long)db_insert_id(c->db))));
	}
	if (db_commit(c->db) != DB_OK)
		goto fail;
	sb_json(c, 200, json_pack("{s:o}", "elements", out));
	return;
fail:
	db_rollback(c->db);
	json_decref(out);
	sb_db_fail(c);
}

/* GET /v2/simpleJobPostingTasks?ids=urn:li:simpleJobPostingTask:N...:
 * each task's status (IN_PROGRESS, SUCCEEDED, FAILED, PROCESSED) and the
 * job it carried; another application's task, or an unknown one, is a
 * 404 in "errors". */
void sb_job_posting_tasks_get(struct sb_ctx *c)
{
	static const char pre[] = "urn:li:simpleJobPostingTask:";
	struct caller who;
	const char **ids;
	size_t n;
	struct sb_batch b;

	if (caller(c, "simpleJobPostingTasks.BATCH_GET.NO_VERSION", &who) < 0 ||
	    sb_query_ids(c, &ids, &n) < 0)
		return;
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		int64_t id = 0;
		struct db_row r;
		int rc = DB_NOT_FOUND;
		if (!strncmp(ids[i], pre, sizeof(pre) - 1) &&
		    parse_i64(ids[i] + sizeof(pre) - 1, &id) == 0 && id > 0)
			rc = db_query_row(
			    c->db, c->a, &r,
			    "SELECT external_job_posting_id, status,"
			    " error_message FROM simple_job_posting_tasks"
			    " WHERE id = ? AND client_id = ?",
			    "is", id, who.client_id);
		if (rc == DB_NOT_FOUND) {
			sb_batch_error(&b, ids[i], 404, "Resource not found");
			continue;
		}
		if (rc != DB_OK) {
			sb_batch_fail(c, &b);
			return;
		}
		json_t *t = json_pack("{s:s, s:s, s:s}", "id", ids[i], "status",
				      r.v[1], "externalJobPostingId", r.v[0]);
		if (t && r.v[2])
			json_object_set_new(
			    t, "error", json_pack("{s:s}", "message", r.v[2]));
		sb_batch_ok(&b, ids[i], t, 200);
	}
	sb_batch_answer(c, &b);
}

/* ------------------------------------------------------------ ACLs */

/* Why a key of atsEntityAcls (want_fields: the names after the ATS
 * ones) is not the caller's; NULL when it is. */
static const char *acl_key_refusal(struct sb_ctx *c, const struct caller *who,
				   const struct sb_rkey *k, const char *other,
				   int *status)
{
	const char *why = ats_key_refusal(c, who, k, status);
	const char *type = sb_key_get(k, "atsEntityType");
	const char *acl = sb_key_get(k, "atsEntityAclId");
	const char *v = sb_key_get(k, other);
	if (why)
		return why;
	*status = 400;
	if (k->n != 5)
		return arena_printf(c->a,
				    "the key has atsEntityAclId, %s, "
				    "atsEntityType, dataProvider and "
				    "integrationContext",
				    other);
	if (!type || strcmp(type, "JOB_POSTING"))
		return "atsEntityType must be JOB_POSTING";
	if (!acl || !*acl || strlen(acl) > ID_MAX)
		return "atsEntityAclId must be 1 to 100 characters";
	if (!v || !*v || strlen(v) > ID_MAX)
		return arena_printf(c->a, "%s must be 1 to 100 characters",
				    other);
	if (!strcmp(other, "assignee") && strncmp(v, "urn:li:person:", 14))
		return "assignee must be urn:li:person:{id}";
	return NULL;
}

/* Rebuilds job_posting_acl for the caller's jobs that are in ACL acl (or,
 * acl NULL, the job job): every assignee of every ACL of the job, and ''
 * for a job with an ACL at all. */
static int acl_flatten(struct sb_ctx *c, const struct caller *who,
		       const char *acl, const char *job)
{
	static const char jobs_of[] =
	    "SELECT ats_entity_id FROM ats_entity_acls WHERE client_id = ? AND"
	    " organization_id = ? AND ats_entity_type = 'JOB_POSTING' AND"
	    " ats_entity_acl_id = ?";
	struct db_result res;
	int rc = DB_OK;
	if (acl)
		rc = db_query(c->db, c->a, &res, jobs_of, "sis", who->client_id,
			      who->org, acl);
	size_t n = acl ? res.nrows : 1;
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		const char *j = acl ? res.rows[i].v[0] : job;
		rc = db_exec(c->db, NULL,
			     "DELETE FROM job_posting_acl WHERE client_id = ?"
			     " AND organization_id = ? AND"
			     " external_job_posting_id = ?",
			     "sis", who->client_id, who->org, j);
		if (rc == DB_OK)
			rc = db_exec(
			    c->db, NULL,
			    "INSERT IGNORE INTO job_posting_acl (client_id,"
			    " organization_id, external_job_posting_id,"
			    " assignee) SELECT a.client_id, a.organization_id,"
			    " a.ats_entity_id, COALESCE(s.assignee, '') FROM"
			    " ats_entity_acls a LEFT JOIN"
			    " ats_entity_acl_assignees s ON s.client_id ="
			    " a.client_id AND s.organization_id ="
			    " a.organization_id AND s.ats_entity_type ="
			    " a.ats_entity_type AND s.ats_entity_acl_id ="
			    " a.ats_entity_acl_id WHERE a.client_id = ? AND"
			    " a.organization_id = ? AND a.ats_entity_type ="
			    " 'JOB_POSTING' AND a.ats_entity_id = ?",
			    "sis", who->client_id, who->org, j);
		if (rc == DB_OK)
			rc = db_exec(
			    c->db, NULL,
			    "INSERT IGNORE INTO job_posting_acl (client_id,"
			    " organization_id, external_job_posting_id,"
			    " assignee) SELECT client_id, organization_id,"
			    " ats_entity_id, '' FROM ats_entity_acls WHERE"
			    " client_id = ? AND organization_id = ? AND"
			    " ats_entity_type = 'JOB_POSTING' AND"
			    " ats_entity_id = ? LIMIT 1",
			    "sis", who->client_id, who->org, j);
	}
	return rc;
}

/* The two ACL resources: the key's own field and its table's SQL. */
struct acl_kind {
	const char *resource; /* for 403 messages */
	const char *other;    /* atsEntityId or assignee */
	const char *upsert, *remove;
	bool by_acl; /* a change touches every job of the ACL */
};

static const struct acl_kind entity_acls = {
    "atsEntityAcls", "atsEntityId",
    "INSERT IGNORE INTO ats_entity_acls (client_id, organization_id,"
    " ats_entity_type, ats_entity_acl_id, ats_entity_id) VALUES (?, ?, ?, ?,"
    " ?)",
    "DELETE FROM ats_entity_acls WHERE client_id = ? AND organization_id = ?"
    " AND ats_entity_type = ? AND ats_entity_acl_id = ? AND ats_entity_id ="
    " ?",
    false};

static const struct acl_kind acl_assignees = {
    "atsEntityAclAssignees", "assignee",
    "INSERT IGNORE INTO ats_entity_acl_assignees (client_id,"
    " organization_id, ats_entity_type, ats_entity_acl_id, assignee) VALUES"
    " (?, ?, ?, ?, ?)",
    "DELETE FROM ats_entity_acl_assignees WHERE client_id = ? AND"
    " organization_id = ? AND ats_entity_type = ? AND ats_entity_acl_id = ?"
    " AND assignee = ?",
    true};

/* PUT (batch_update, entities {key: {}}) or DELETE (batch_delete) of the
 * query's keys of kind k, in one transaction with job_posting_acl. */
static void acl_write(struct sb_ctx *c, const struct acl_kind *k, bool put)
{
	struct caller who;
	struct sb_rkey *keys;
	size_t n;
	json_t *ent[SB_BATCH_MAX];
	struct sb_batch b;
	const char *resource =
	    arena_printf(c->a, "%s.%s.NO_VERSION", k->resource,
			 put ? "BATCH_UPDATE" : "BATCH_DELETE");

	if (caller(c, resource ? resource : k->resource, &who) < 0 ||
	    sb_query_keys(c, &keys, &n) < 0 ||
	    (put && sb_body_entities(c, keys, n, ent) < 0))
		return;
	sb_batch_init(&b);
	if (db_begin(c->db) != DB_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		int status;
		const char *why =
		    acl_key_refusal(c, &who, &keys[i], k->other, &status);
		if (!why && put && !json_is_object(ent[i]))
			why = "an ACL entity is {}", status = 400;
		if (why) {
			sb_batch_error(&b, keys[i].text, status, why);
			continue;
		}
		const char *acl = sb_key_get(&keys[i], "atsEntityAclId");
		const char *v = sb_key_get(&keys[i], k->other);
		if (db_exec(c->db, NULL, put ? k->upsert : k->remove, "sisss",
			    who.client_id, who.org, "JOB_POSTING", acl,
			    v) != DB_OK ||
		    acl_flatten(c, &who, k->by_acl ? acl : NULL,
				k->by_acl ? NULL : v) != DB_OK)
			goto fail;
		sb_batch_ok(&b, keys[i].text, NULL, 204);
	}
	if (db_commit(c->db) != DB_OK)
		goto fail;
	sb_batch_answer(c, &b);
	return;
fail:
	db_rollback(c->db);
	sb_batch_fail(c, &b);
}

/* GET ...?q=criteria&<field>=v&dataProvider=ATS&integrationContext=..:
 * the ACL rows of one job (atsEntityAcls, by atsEntityId) or one member
 * (atsEntityAclAssignees, by assignee), paged by start and count. */
static void acl_find(struct sb_ctx *c, const struct acl_kind *k)
{
	struct caller who;
	struct sb_rkey q = {0};
	int status;
	int64_t start = 0, count = 10;
	const char *s = http_query(c->req, "start");
	const char *cnt = http_query(c->req, "count");
	const char *finder = http_query(c->req, "q");
	const char *resource =
	    arena_printf(c->a, "%s.FINDER-criteria.NO_VERSION", k->resource);

	if (caller(c, resource ? resource : k->resource, &who) < 0)
		return;
	if (!finder || strcmp(finder, "criteria")) {
		sb_bad_param(c, "q");
		return;
	}
	if ((s && (parse_i64(s, &start) < 0 || start < 0)) ||
	    (cnt && (parse_i64(cnt, &count) < 0 || count < 0))) {
		sb_bad_param(c, "start/count");
		return;
	}
	if (count > 100)
		count = 100;
	static const char *const names[] = {
	    "dataProvider", "integrationContext", "atsEntityType"};
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		const char *v = http_query(c->req, names[i]);
		if (v)
			sb_key_set(&q, names[i], v);
	}
	const char *v = http_query(c->req, k->other);
	const char *why = ats_key_refusal(c, &who, &q, &status);
	if (!why && !v)
		why = k->other, status = 400;
	if (why) {
		if (status == 403)
			sb_api_error(c, 403, 100, why);
		else
			sb_bad_param(c, why);
		return;
	}
	struct db_result res;
	int rc = db_query(
	    c->db, c->a, &res,
	    k->by_acl
		? "SELECT ats_entity_acl_id, assignee FROM"
		  " ats_entity_acl_assignees WHERE client_id = ? AND"
		  " organization_id = ? AND assignee = ? ORDER BY"
		  " ats_entity_acl_id LIMIT ? OFFSET ?"
		: "SELECT ats_entity_acl_id, ats_entity_id FROM"
		  " ats_entity_acls WHERE client_id = ? AND organization_id ="
		  " ? AND ats_entity_id = ? ORDER BY ats_entity_acl_id LIMIT ?"
		  " OFFSET ?",
	    "sisii", who.client_id, who.org, v, count, start);
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	json_t *el = json_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_array_append_new(
		    el,
		    json_pack("{s:s, s:s, s:s, s:s, s:s}", "atsEntityAclId",
			      res.rows[i].v[0], k->other, res.rows[i].v[1],
			      "atsEntityType", "JOB_POSTING", "dataProvider",
			      "ATS", "integrationContext", who.org_urn));
	sb_json(c, 200,
		json_pack("{s:o, s:{s:I, s:I, s:[]}}", "elements", el, "paging",
			  "start", (json_int_t)start, "count",
			  (json_int_t)count, "links"));
}

void sb_entity_acls_put(struct sb_ctx *c)
{
	acl_write(c, &entity_acls, true);
}
void sb_entity_acls_delete(struct sb_ctx *c)
{
	acl_write(c, &entity_acls, false);
}
void sb_entity_acls_get(struct sb_ctx *c)
{
	acl_find(c, &entity_acls);
}
void sb_acl_assignees_put(struct sb_ctx *c)
{
	acl_write(c, &acl_assignees, true);
}
void sb_acl_assignees_delete(struct sb_ctx *c)
{
	acl_write(c, &acl_assignees, false);
}
void sb_acl_assignees_get(struct sb_ctx *c)
{
	acl_find(c, &acl_assignees);
}

/* ------------------------------------------------------------ control */

/* GET /sandbox/jobs?clientId=[&externalJobPostingId=]: LinkedIn's copy of
 * an application's jobs (all applications' without clientId), each with
 * its ACL ids and the members who may see it, for tests (loopback
 * only). */
void sb_control_jobs(struct sb_ctx *c)
{
	const char *client = http_query(c->req, "clientId");
	const char *ext = http_query(c->req, "externalJobPostingId");
	struct db_result res;

	if (sb_control_refused(c))
		return;
	int rc = db_query(
	    c->db, c->a, &res,
	    "SELECT p.client_id, p.organization_id, p.external_job_posting_id,"
	    " p.title, p.description, p.location, p.availability, p.state,"
	    " p.company_apply_url, p.listed_at, p.country_code, p.postal_code,"
	    " (SELECT JSON_ARRAYAGG(a.ats_entity_acl_id) FROM ats_entity_acls"
	    " a WHERE a.client_id = p.client_id AND a.organization_id ="
	    " p.organization_id AND a.ats_entity_id ="
	    " p.external_job_posting_id),"
	    " (SELECT JSON_ARRAYAGG(x.assignee) FROM job_posting_acl x WHERE"
	    " x.client_id = p.client_id AND x.organization_id ="
	    " p.organization_id AND x.external_job_posting_id ="
	    " p.external_job_posting_id AND x.assignee <> '')"
	    " FROM job_postings p WHERE (? IS NULL OR p.client_id = ?) AND"
	    " (? IS NULL OR p.external_job_posting_id = ?)"
	    " ORDER BY p.client_id, p.external_job_posting_id LIMIT 10000",
	    "ssss", client, client, ext, ext);
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	json_t *el = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		json_t *acl = v[12] ? json_loads(v[12], 0, NULL) : NULL;
		json_t *who = v[13] ? json_loads(v[13], 0, NULL) : NULL;
		json_t *e = json_pack(
		    "{s:s, s:s+, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, "
		    "s:o}",
		    "clientId", v[0], "integrationContext",
		    "urn:li:organization:", v[1], "externalJobPostingId", v[2],
		    "title", v[3], "description", v[4], "location", v[5],
		    "availability", v[6], "state", v[7], "companyApplyUrl",
		    v[8], "listedAt", (json_int_t)db_int(&res.rows[i], 9),
		    "aclIds", acl ? acl : json_array(), "assignees",
		    who ? who : json_array());
		if (e && v[10])
			json_object_set_new(e, "countryCode",
					    json_string(v[10]));
		if (e && v[11])
			json_object_set_new(e, "postalCode",
					    json_string(v[11]));
		json_array_append_new(el, e);
	}
	sb_json(c, 200, json_pack("{s:o}", "elements", el));
}

/*
 * POST /sandbox/integrations {"clientId", "integrationType" (absent: each
 * the application has), "status": "ENABLED"|"DISABLED"}: what the
 * customer's Recruiter admin does in Admin Settings, Integrations (turn an
 * ATS integration off, or on again) and LinkedIn then tells the ATS of: a
 * change of state is notified as the atsIntegrations call's is
 * (integration_changed).  An integration the application never enabled
 * cannot be switched: 404.  Answers {"ok", "changed", "requestId" (null
 * when nothing changed), "notified" (false without a CALLBACK_URL)}.
 */
void sb_control_integrations(struct sb_ctx *c)
{
	json_t *j = c->req->json;
	json_t *t = json_object_get(j, "integrationType");
	const char *type = json_string_value(t);
	const char *status = json_string_value(json_object_get(j, "status"));
	const struct sb_client *app = sb_client_find(
	    &c->app->ids, json_string_value(json_object_get(j, "clientId")));
	struct caller who;
	bool changed = false, sent = false;
	int found = 0;

	if (sb_control_refused(c))
		return;
	if (!json_is_object(j)) {
		sb_control_error(c, 400, "the body must be a JSON object");
		return;
	}
	if (!app) {
		sb_control_error(c, 400, "clientId must be one of the seeded "
					 "applications' client_id");
		return;
	}
	if (t && !json_is_null(t) && !integration_type_ok(type)) {
		sb_control_error(c, 400, "integrationType must be "
					 "ONE_CLICK_EXPORT, IN_ATS_INDICATOR "
					 "or PROFILE_PLUGIN");
		return;
	}
	if (!status || (strcmp(status, "ENABLED") && strcmp(status, "DISABLED"))) {
		sb_control_error(c, 400, "status must be ENABLED or DISABLED");
		return;
	}
	who.client_id = app->client_id;
	who.org = c->app->ids.organization_id;
	who.org_urn =
	    arena_printf(c->a, "urn:li:organization:%lld", (long long)who.org);
	if (!who.org_urn || db_begin(c->db) != DB_OK)
		goto fail;
	for (size_t i = 0; integration_types[i]; i++) {
		if (type && strcmp(type, integration_types[i]))
			continue;
		int rc = integration_switch(c, &who, integration_types[i],
					    NULL, !strcmp(status, "ENABLED"),
					    &changed);
		if (rc == DB_OK)
			found++;
		else if (rc != DB_NOT_FOUND)
			goto fail;
	}
	if (!found) {
		db_rollback(c->db);
		sb_control_error(c, 404, "the application never enabled that "
					 "integration (atsIntegrations)");
		return;
	}
	const char *request =
	    changed ? integration_changed(c, &who, &sent) : NULL;
	if ((changed && !request) || db_commit(c->db) != DB_OK)
		goto fail;
	if (sent)
		sb_deliveries_wake(c->app);
	sb_json(c, 200,
		json_pack("{s:b, s:b, s:s?, s:b}", "ok", 1, "changed", changed,
			  "requestId", request, "notified", sent));
	return;
fail:
	db_rollback(c->db);
	sb_db_fail(c);
}
