/*
 * jobs.c - LinkedIn's side of the integration (F14) and of Sync Jobs
 * (F11), each call as LinkedIn documents it:
 *
 *   enabling      atsIntegrations (batch_partial_update: integrationName
 *                 under the ATS instance name) and their configurations
 *                 (CALLBACK_URL, JOB_POSTING_VIEWERS, APPLICATION_VIEWERS;
 *                 batch_update, DELETE); the batch GET that reads each
 *                 integration's state back (li_integrations_refresh)
 *   job postings  simpleJobPostings (batch_create of up to 100 elements,
 *                 each answered on its own) and simpleJobPostingTasks
 *                 (the asynchronous outcome of each)
 *   job ACLs      atsEntityAcls (a job and an ACL) and atsEntityAclAssignees
 *                 (an ACL and a LinkedIn member)
 *
 * and the words hirelink and LinkedIn share for a job: the id it has at
 * LinkedIn (<instance id>-J-00042, so that two instances in one
 * organization never collide) and its location in LinkedIn's form.
 *
 * What is synced when, and what hirelink keeps of it, is job_sync.c's; this
 * file only speaks to LinkedIn.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ats/jobs.h"
#include "linkedin/answers.h"
#include "linkedin/li_internal.h"

const char *const li_integration_types[LI_INTEGRATION_TYPES] = {
    "ONE_CLICK_EXPORT",
    "IN_ATS_INDICATOR",
    "PROFILE_PLUGIN",
};

/* ------------------------------------------------------------ ids */

const char *li_job_posting_id(struct arena *a, const char *instance_id,
			      int64_t job_id)
{
	return arena_printf(a, "%s-J-%05lld", instance_id, (long long)job_id);
}

bool li_job_posting_id_parse(const char *ext, const char *instance_id,
			     uint64_t *job_id)
{
	size_t n = strlen(instance_id);
	int64_t id;

	if (!ext || !n || strncmp(ext, instance_id, n) || ext[n] != '-' ||
	    strncmp(ext + n + 1, "J-", 2))
		return false;
	const char *digits = ext + n + 3;
	/* exactly what li_job_posting_id writes: at least five digits */
	if (strlen(digits) < 5 ||
	    strspn(digits, "0123456789") != strlen(digits))
		return false;
	if (parse_i64(digits, &id) < 0 || id <= 0)
		return false;
	*job_id = (uint64_t)id;
	return true;
}

/* Whether s is an instance id as store.c makes one: 8 lowercase letters
 * and digits. */
static bool instance_id_form(const char *s, size_t n)
{
	if (n != 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
			return false;
	return true;
}

const char *li_job_posting_id_resolve(struct arena *a, const char *ext,
				      const char *instance_id, uint64_t *job_id)
{
	uint64_t id;
	const char *dash = ext ? strchr(ext, '-') : NULL;
	char *other = dash ? arena_strndup(a, ext, (size_t)(dash - ext)) : NULL;
	const char *why;

	*job_id = 0;
	if (li_job_posting_id_parse(ext, instance_id, job_id))
		return NULL;
	if (other && strcmp(other, instance_id) &&
	    instance_id_form(other, strlen(other)) &&
	    li_job_posting_id_parse(ext, other, &id))
		why = arena_printf(a,
				   "the job %s was synced by another hirelink "
				   "instance (instance id %s; this one is %s), "
				   "so it is none of this hirelink's jobs",
				   ext, other, instance_id);
	else
		why = arena_printf(a,
				   "the job id %s is not one hirelink makes "
				   "(<instance id>-J-<number>, here %s-J-00042)",
				   ext ? ext : "(none)", instance_id);
	return why ? why : "the job is none of this hirelink's jobs";
}

const char *li_callback_url(struct arena *a, const struct config *cfg)
{
	if (cfg->linkedin_callback_url && *cfg->linkedin_callback_url)
		return arena_strdup(a, cfg->linkedin_callback_url);
	return arena_printf(a, "%s/linkedin/notifications",
			    cfg->public_base_url);
}

/* ------------------------------------------------------------ location */

/* s[0..n) without the blanks around it, into the arena. */
static char *trimmed(struct arena *a, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

/* "DE 10115", "us-94105": a country code, then a postal code with a
 * digit in it (so that "Rome" or "Oslo" is never read as one). */
static bool postal_form(struct arena *a, const char *s, struct li_location *out)
{
	if (!isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]) ||
	    (s[2] != ' ' && s[2] != '-'))
		return false;
	const char *p = s + 2 + strspn(s + 2, " -");
	size_t n = strlen(p);
	bool digit = false;
	if (n < 3 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isalnum((unsigned char)p[i]) && p[i] != ' ' && p[i] != '-')
			return false;
		digit = digit || isdigit((unsigned char)p[i]);
	}
	if (!digit)
		return false;
	char *cc = arena_strndup(a, s, 2);
	if (!cc)
		return false;
	cc[0] = (char)toupper((unsigned char)cc[0]);
	cc[1] = (char)toupper((unsigned char)cc[1]);
	out->country_code = cc;
	out->postal_code = arena_strdup(a, p);
	return out->postal_code != NULL;
}

#define LOCATION_FORMS                                                         \
	"write \"City, Region\" or \"City, Country\" (\"Austin, TX\", "        \
	"\"Berlin, Germany\"), \"Remote, Country\" for a remote job, or a "    \
	"country code and postal code (\"DE 10115\")"

bool li_location_map(struct arena *a, const char *text, struct li_location *out,
		     const char **why)
{
	memset(out, 0, sizeof(*out));
	char *s = trimmed(a, text ? text : "", text ? strlen(text) : 0);
	const char *comma = s ? strchr(s, ',') : NULL;

	*why = NULL;
	if (!s) {
		*why = "out of memory";
		return false;
	}
	if (!*s) {
		*why = "LinkedIn needs the job's location: " LOCATION_FORMS;
		return false;
	}
	if (comma) {
		char *city = trimmed(a, s, (size_t)(comma - s));
		char *region = trimmed(a, comma + 1, strlen(comma + 1));
		if (city && region && *city && *region) {
			out->location = arena_printf(a, "%s, %s", city, region);
			return out->location != NULL;
		}
		*why = arena_printf(a,
				    "LinkedIn cannot place \"%s\": a city and "
				    "a region or country go either side of "
				    "the comma; " LOCATION_FORMS,
				    s);
		return false;
	}
	if (postal_form(a, s, out))
		return true;
	if (!strcasecmp(s, "remote"))
		*why = "LinkedIn needs the country of a remote job: write "
		       "\"Remote, Germany\" (or the country it is in)";
	else
		*why = arena_printf(
		    a, "LinkedIn cannot place \"%s\": " LOCATION_FORMS, s);
	if (!*why)
		*why = "LinkedIn cannot place this location";
	return false;
}

/* ------------------------------------------------------------ requests */

/* An application-token call of method on path (arena-owned, any length)
 * with body json (NULL: none; stolen) and Rest.li method m. */
static int app_request(struct li_client *li, struct db *db, struct arena *a,
		       const struct li_settings *s, const char *method,
		       const char *path, const char *label, json_t *json,
		       enum li_restli_method m, struct li_resp *out,
		       struct li_error *err)
{
	struct buf text = BUF_INIT;
	if (json && buf_add_json(&text, json, JSON_COMPACT) < 0) {
		json_decref(json);
		buf_release(&text);
		return li_err_oom(err);
	}
	json_decref(json);
	struct li_req rq = {
	    .method = method,
	    .base = li->s->cfg->linkedin_api_base,
	    .path = path,
	    .label = label,
	    .json = json ? text.data : NULL,
	    .restli_method = m,
	};
	int rc =
	    path ? li_app_call(li, db, a, s, &rq, out, err) : li_err_oom(err);
	buf_release(&text);
	return rc;
}

/* "<prefix>?" + the batch parameters of keys[0..n), arena-owned. */
static const char *batch_path(struct arena *a, const char *prefix,
			      const struct li_key *keys, size_t n)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, prefix);
	buf_addc(&b, '?');
	li_keys_add_query(&b, keys, n);
	const char *p = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
	buf_release(&b);
	return p;
}

/* {"entities": {key: entity(i)}} for keys[0..n); new, NULL on OOM.
 * entity NULL: {} each. */
static json_t *entities(const struct li_key *keys, size_t n,
			json_t *(*entity)(size_t i, void *arg), void *arg)
{
	json_t *e = json_object();
	for (size_t i = 0; e && i < n; i++) {
		struct buf k = BUF_INIT;
		li_key_add(&k, &keys[i]);
		json_t *v = entity ? entity(i, arg) : json_object();
		if (buf_failed(&k) || !v ||
		    json_object_set_new(e, k.data, v) < 0) {
			json_decref(e);
			e = NULL;
		}
		buf_release(&k);
	}
	json_t *body = e ? json_pack("{s:o}", "entities", e) : NULL;
	return body;
}

/* The first failed outcome of out[0..n) as err (what names the call);
 * LI_OK when none failed. */
static int first_failure(const struct li_outcome *out, size_t n,
			 const char *what, const char *const *names,
			 struct li_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!out[i].failed)
			continue;
		li_err_set(err, LI_ERR_HTTP, out[i].status, "",
			   "LinkedIn refused %s %s (%ld): %s", what, names[i],
			   out[i].status,
			   *out[i].message ? out[i].message
					   : "no reason given");
		return LI_ERR_HTTP;
	}
	return LI_OK;
}

/* ------------------------------------------------------------ integrations */

/* The key of one integration of the organization. */
struct integration_key {
	struct li_key_field f[4];
	struct li_key key;
};

static void integration_key_make(struct integration_key *k, const char *org,
				 const char *type)
{
	k->f[0] = (struct li_key_field){"integrationContext", org};
	k->f[1] = (struct li_key_field){"integrationType", type};
	k->f[2] = (struct li_key_field){"tenantType", "RECRUITER"};
	k->f[3] = (struct li_key_field){"dataProvider", "ATS"};
	k->key = (struct li_key){k->f, 4};
}

struct patch_arg {
	const char *name; /* NULL: disable */
};

static json_t *integration_patch(size_t i, void *arg)
{
	const struct patch_arg *p = arg;
	(void)i;
	/* Enabling is LinkedIn's documented patch of the name; disabling is
	 * the sandbox's status (hirelink convention: LinkedIn documents no
	 * partner call that disables, its customer does it in Recruiter). */
	return p->name ? json_pack("{s:{s:{s:s}}}", "patch", "$set",
				   "integrationName", p->name)
		       : json_pack("{s:{s:{s:s}}}", "patch", "$set", "status",
				   "DISABLED");
}

/* The path of an integration's configurations, ?ids= each of ids. */
static const char *config_path(struct arena *a, const struct li_key *k,
			       const char *const *ids, size_t n)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "/v2/atsIntegrations/");
	li_key_add(&b, k);
	buf_adds(&b, "/configurations?");
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%sids=%s", i ? "&" : "", ids[i]);
	const char *p = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
	buf_release(&b);
	return p;
}

/* PUT (values given) or DELETE (values NULL) the configurations ids of
 * integration k. */
static int configs_write(struct li_client *li, struct db *db, struct arena *a,
			 const struct li_settings *s, const struct li_key *k,
			 const char *const *ids, const char *const *values,
			 size_t n, struct li_error *err)
{
	struct li_resp r;
	struct li_key_field f[4];
	struct li_key keys[4];
	struct li_outcome out[4];
	json_t *body = NULL;

	for (size_t i = 0; i < n; i++) {
		f[i] = (struct li_key_field){NULL, ids[i]};
		keys[i] = (struct li_key){&f[i], 1};
	}
	if (values) {
		json_t *e = json_object();
		for (size_t i = 0; e && i < n; i++)
			json_object_set_new(e, ids[i],
					    json_pack("{s:{s:s}}",
						      "configurationValue",
						      "string", values[i]));
		body = e ? json_pack("{s:o}", "entities", e) : NULL;
		if (!body)
			return li_err_oom(err);
	}
	int rc = app_request(
	    li, db, a, s, values ? "PUT" : "DELETE", config_path(a, k, ids, n),
	    "/v2/atsIntegrations/{key}/configurations", body,
	    values ? LI_BATCH_UPDATE : LI_BATCH_DELETE, &r, err);
	if (rc == LI_OK)
		rc = li_batch_read(r.json, "configurations", keys, n, out, err);
	if (rc == LI_OK)
		rc = first_failure(out, n, "the configuration", ids, err);
	return rc;
}

int li_integrations_set(struct li_client *li, struct db *db, struct arena *a,
			const struct li_settings *s, bool enable,
			struct li_error *err)
{
	struct integration_key ik[LI_INTEGRATION_TYPES];
	struct li_key keys[LI_INTEGRATION_TYPES];
	struct li_outcome out[LI_INTEGRATION_TYPES];
	struct patch_arg pa = {enable ? s->ats_instance_name : NULL};
	struct li_resp r;
	const char *org = s->organization_urn;

	if (!li_settings_ready(s) || !org || !*org) {
		li_err_set(err, LI_ERR_CONFIG, 0, "",
			   "the integration is not set up: save the client "
			   "ID, secret and organization first");
		return LI_ERR_CONFIG;
	}
	if (enable && (!s->ats_instance_name || !*s->ats_instance_name)) {
		li_err_set(err, LI_ERR_CONFIG, 0, "",
			   "the ATS instance name, which LinkedIn shows under "
			   "Change ATS, is not set");
		return LI_ERR_CONFIG;
	}
	for (size_t i = 0; i < LI_INTEGRATION_TYPES; i++) {
		integration_key_make(&ik[i], org, li_integration_types[i]);
		keys[i] = ik[i].key;
	}
	json_t *body =
	    entities(keys, LI_INTEGRATION_TYPES, integration_patch, &pa);
	if (!body)
		return li_err_oom(err);
	int rc = app_request(
	    li, db, a, s, "POST",
	    batch_path(a, "/v2/atsIntegrations", keys, LI_INTEGRATION_TYPES),
	    "/v2/atsIntegrations", body, LI_BATCH_PARTIAL_UPDATE, &r, err);
	if (rc == LI_OK)
		rc = li_batch_read(r.json, "atsIntegrations", keys,
				   LI_INTEGRATION_TYPES, out, err);
	if (rc == LI_OK)
		rc = first_failure(out, LI_INTEGRATION_TYPES, "the integration",
				   li_integration_types, err);
	if (rc != LI_OK)
		return rc;

	/* Where exports go, and who sees jobs and applications that carry
	 * no ACL: every Recruiter user (ACLs narrow it per job). */
	static const char *const export_ids[] = {"CALLBACK_URL",
						 "JOB_POSTING_VIEWERS"};
	static const char *const indicator_ids[] = {"APPLICATION_VIEWERS"};
	const char *export_values[] = {li_callback_url(a, li->s->cfg),
				       "ALL_PRODUCT_USERS"};
	static const char *const indicator_values[] = {"ALL_PRODUCT_USERS"};
	if (!export_values[0])
		return li_err_oom(err);
	rc = configs_write(li, db, a, s, &ik[0].key, export_ids,
			   enable ? export_values : NULL, 2, err);
	if (rc == LI_OK)
		rc = configs_write(li, db, a, s, &ik[1].key, indicator_ids,
				   enable ? indicator_values : NULL, 1, err);
	return rc;
}

int li_integrations_refresh(struct li_client *li, struct db *db,
			    struct li_error *err)
{
	struct arena *a = arena_new(8192);
	struct li_settings s;
	struct integration_key ik[LI_INTEGRATION_TYPES];
	struct li_key keys[LI_INTEGRATION_TYPES];
	struct li_outcome out[LI_INTEGRATION_TYPES];
	struct li_resp r;
	const char *status[LI_INTEGRATION_TYPES], *name[LI_INTEGRATION_TYPES];
	const char *callback = NULL;
	int rc;

	if (!a)
		return li_err_oom(err);
	if (li_settings_load(db, a, li->s->cfg, &s) != DB_OK) {
		li_err_set(err, LI_ERR_DB, 0, "", "the database failed");
		rc = LI_ERR_DB;
		goto out;
	}
	if (!li_settings_ready(&s) || !*s.organization_urn) {
		li_err_set(err, LI_ERR_CONFIG, 0, "",
			   "the integration is not set up");
		rc = LI_ERR_CONFIG;
		goto out;
	}
	for (size_t i = 0; i < LI_INTEGRATION_TYPES; i++) {
		integration_key_make(&ik[i], s.organization_urn,
				     li_integration_types[i]);
		keys[i] = ik[i].key;
	}
	rc = app_request(
	    li, db, a, &s, "GET",
	    batch_path(a, "/v2/atsIntegrations", keys, LI_INTEGRATION_TYPES),
	    "/v2/atsIntegrations", NULL, LI_RESTLI_NONE, &r, err);
	if (rc == LI_OK)
		rc = li_batch_read(r.json, "atsIntegrations", keys,
				   LI_INTEGRATION_TYPES, out, err);
	for (size_t i = 0; rc == LI_OK && i < LI_INTEGRATION_TYPES; i++) {
		status[i] = "NOT_ENABLED";
		name[i] = "";
		if (out[i].failed && out[i].status == 404)
			continue;
		if (out[i].failed) {
			first_failure(&out[i], 1, "the integration",
				      &li_integration_types[i], err);
			rc = LI_ERR_HTTP;
			break;
		}
		const struct li_field f[] = {
		    LI_STR("status", true, &status[i]),
		    LI_STR("integrationName", false, &name[i]),
		};
		rc = li_unpack(out[i].result, "atsIntegrations", f,
			       ARRAY_LEN(f), err);
	}
	/* The callback LinkedIn holds; none unless export is enabled. */
	if (rc == LI_OK && strcmp(status[0], "NOT_ENABLED")) {
		static const char *const ids[] = {"CALLBACK_URL"};
		struct li_key_field kf = {NULL, "CALLBACK_URL"};
		struct li_key ck = {&kf, 1};
		struct li_outcome co;
		rc = app_request(li, db, a, &s, "GET",
				 config_path(a, &ik[0].key, ids, 1),
				 "/v2/atsIntegrations/{key}/configurations",
				 NULL, LI_RESTLI_NONE, &r, err);
		if (rc == LI_OK)
			rc = li_batch_read(r.json, "configurations", &ck, 1,
					   &co, err);
		json_t *cv = NULL;
		const struct li_field f[] = {
		    LI_OBJECT("configurationValue", true, &cv)};
		const struct li_field g[] = {LI_STR("string", true, &callback)};
		if (rc == LI_OK && !co.failed &&
		    (rc = li_unpack(co.result, "configurations", f, 1, err)) ==
			LI_OK)
			rc = li_unpack(cv, "configurations", g, 1, err);
	}
	for (size_t i = 0; rc == LI_OK && i < LI_INTEGRATION_TYPES; i++)
		if (db_exec(
			db, NULL,
			"INSERT INTO linkedin_integrations (integration_type,"
			" status, integration_name, callback_url,"
			" checked_at) VALUES (?, LEFT(?, 32), LEFT(?, 200),"
			" LEFT(?, 2000), NOW(3)) ON DUPLICATE KEY UPDATE"
			" status = VALUES(status), integration_name ="
			" VALUES(integration_name), callback_url ="
			" VALUES(callback_url), checked_at = NOW(3)",
			"ssss", li_integration_types[i], status[i], name[i],
			i == 0 ? callback : NULL) != DB_OK) {
			li_err_set(err, LI_ERR_DB, 0, "",
				   "the database failed");
			rc = LI_ERR_DB;
		}
out:
	arena_free(a);
	return rc;
}

/* ------------------------------------------------------------ postings */

/* One posting as Sync Jobs takes it: every field, every time (an omitted
 * field becomes null). */
static json_t *posting_json(const struct li_settings *s,
			    const struct li_job_posting *p)
{
	json_t *e = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "integrationContext",
	    s->organization_urn, "externalJobPostingId", p->external_id,
	    "title", p->title, "description", p->description, "availability",
	    p->availability, "state", p->state, "companyApplyUrl", p->apply_url,
	    "listedAt", (json_int_t)p->listed_at_ms);
	if (e && p->location.location)
		json_object_set_new(e, "location",
				    json_string(p->location.location));
	else if (e) {
		json_object_set_new(e, "countryCode",
				    json_string(p->location.country_code));
		json_object_set_new(e, "postalCode",
				    json_string(p->location.postal_code));
	}
	return e;
}


/* Reads the tasks of the postings accepted (task_id set) until none is
 * IN_PROGRESS or the tries are spent; a FAILED one fails its posting
 * with the task's message.  One still in progress stays accepted: LinkedIn
 * says to check after five minutes, and the sandbox never leaves one. */
static int tasks_read(struct li_client *li, struct db *db, struct arena *a,
		      const struct li_settings *s, struct li_job_posting *p,
		      size_t n, struct li_error *err)
{
	for (int tries = 0; tries < 3; tries++) {
		struct li_key_field *f = arena_calloc(a, n, sizeof(*f));
		struct li_key *keys = arena_calloc(a, n, sizeof(*keys));
		struct li_outcome *out = arena_calloc(a, n, sizeof(*out));
		size_t *idx = arena_calloc(a, n, sizeof(*idx));
		size_t m = 0;
		struct li_resp r;
		if (!f || !keys || !out || !idx)
			return li_err_oom(err);
		for (size_t i = 0; i < n; i++)
			if (p[i].task_id && !p[i].outcome.failed &&
			    !p[i].task_done) {
				f[m] =
				    (struct li_key_field){NULL, p[i].task_id};
				keys[m] = (struct li_key){&f[m], 1};
				idx[m++] = i;
			}
		if (!m)
			return LI_OK;
		if (tries)
			usleep(200 * 1000);
		int rc = app_request(
		    li, db, a, s, "GET",
		    batch_path(a, "/v2/simpleJobPostingTasks", keys, m),
		    "/v2/simpleJobPostingTasks", NULL, LI_RESTLI_NONE, &r, err);
		if (rc == LI_OK)
			rc = li_batch_read(r.json, "simpleJobPostingTasks",
					   keys, m, out, err);
		if (rc != LI_OK)
			return rc;
		for (size_t j = 0; j < m; j++) {
			struct li_job_posting *q = &p[idx[j]];
			const char *st = NULL, *msg = "";
			json_t *e = NULL;
			const struct li_field g[] = {
			    LI_STR("status", true, &st),
			    LI_OBJECT("error", false, &e)};
			const struct li_field h[] = {
			    LI_STR("message", false, &msg)};
			if (out[j].failed) {
				/* a task LinkedIn cannot find: the posting
				 * was accepted; nothing more to learn */
				q->task_done = true;
				continue;
			}
			rc = li_unpack(out[j].result, "simpleJobPostingTasks",
				       g, ARRAY_LEN(g), err);
			if (rc == LI_OK && e)
				rc = li_unpack(e, "simpleJobPostingTasks", h, 1,
					       err);
			if (rc != LI_OK)
				return rc;
			if (!strcmp(st, "IN_PROGRESS"))
				continue;
			q->task_done = true;
			/* PROCESSED with an error: processed, but it failed
			 * validation */
			if (!strcmp(st, "FAILED") || e) {
				q->outcome.failed = true;
				q->outcome.status = 400;
				q->outcome.message =
				    *msg ? msg
					 : "LinkedIn's task for the job "
					   "posting failed";
			}
		}
	}
	return LI_OK;
}

int li_job_postings_send(struct li_client *li, struct db *db, struct arena *a,
			 const struct li_settings *s, struct li_job_posting *p,
			 size_t n, struct li_error *err)
{
	struct li_resp r;
	if (n == 0)
		return LI_OK;
	if (n > LI_BATCH_MAX) {
		li_err_set(err, LI_ERR_INTERNAL, 0, "",
			   "%zu job postings in one batch: at most %d", n,
			   LI_BATCH_MAX);
		return LI_ERR_INTERNAL;
	}
	json_t *el = json_array();
	for (size_t i = 0; el && i < n; i++) {
		p[i].task_done = false;
		if (json_array_append_new(el, posting_json(s, &p[i])) < 0) {
			json_decref(el);
			el = NULL;
		}
	}
	json_t *body = el ? json_pack("{s:o}", "elements", el) : NULL;
	if (!body)
		return li_err_oom(err);
	int rc = app_request(li, db, a, s, "POST", "/v2/simpleJobPostings",
			     "/v2/simpleJobPostings", body, LI_BATCH_CREATE, &r,
			     err);
	if (rc == LI_OK)
		rc = li_job_postings_created_read(r.json, p, n, err);
	if (rc == LI_OK)
		rc = tasks_read(li, db, a, s, p, n, err);
	return rc;
}

/* ------------------------------------------------------------ ACLs */

int li_acls_write(struct li_client *li, struct db *db, struct arena *a,
		  const struct li_settings *s, bool assignees, bool put,
		  struct li_acl *v, size_t n, struct li_error *err)
{
	struct li_key_field(*f)[5];
	struct li_key *keys;
	struct li_outcome *out;
	struct li_resp r;
	const char *path =
	    assignees ? "/v2/atsEntityAclAssignees" : "/v2/atsEntityAcls";

	if (n == 0)
		return LI_OK;
	if (n > LI_BATCH_MAX) {
		li_err_set(err, LI_ERR_INTERNAL, 0, "",
			   "%zu ACL rows in one batch: at most %d", n,
			   LI_BATCH_MAX);
		return LI_ERR_INTERNAL;
	}
	f = arena_calloc(a, n, sizeof(*f));
	keys = arena_calloc(a, n, sizeof(*keys));
	out = arena_calloc(a, n, sizeof(*out));
	if (!f || !keys || !out)
		return li_err_oom(err);
	for (size_t i = 0; i < n; i++) {
		f[i][0] = (struct li_key_field){"atsEntityAclId", v[i].acl_id};
		f[i][1] = (struct li_key_field){"dataProvider", "ATS"};
		f[i][2] = (struct li_key_field){"integrationContext",
						s->organization_urn};
		f[i][3] = (struct li_key_field){
		    assignees ? "assignee" : "atsEntityId", v[i].target};
		f[i][4] = (struct li_key_field){"atsEntityType", "JOB_POSTING"};
		keys[i] = (struct li_key){f[i], 5};
	}
	json_t *body = put ? entities(keys, n, NULL, NULL) : NULL;
	if (put && !body)
		return li_err_oom(err);
	int rc = app_request(li, db, a, s, put ? "PUT" : "DELETE",
			     batch_path(a, path, keys, n), path, body,
			     put ? LI_BATCH_UPDATE : LI_BATCH_DELETE, &r, err);
	if (rc == LI_OK)
		rc = li_batch_read(r.json, path + 4, keys, n, out, err);
	for (size_t i = 0; rc == LI_OK && i < n; i++)
		v[i].outcome = out[i];
	return rc;
}
