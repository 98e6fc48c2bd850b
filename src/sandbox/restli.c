/*
 * restli.c - what issue 15's endpoints share: Rest.li 1.0 batch keys
 * (ids[i].field=value in the query, "a=v&b=w" as the body's entity keys)
 * and their Rest.li 2.0 forms, which LinkedIn accepts too
 * (ids=List((a:v,b:w),(...)) in the query, "(a:v,b:w)" as an entity key:
 * values percent-encoded, the grouping not), and batch answers ({"results","statuses","errors"}), the calling
 * application, members named by URN or id, and the control API's body.
 *
 * jobs.c's endpoints (issue 14's) use them too.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox/sandbox.h"

/* ------------------------------------------------------------ keys */

const char *sb_key_get(const struct sb_rkey *k, const char *name)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->name[i] && !strcmp(k->name[i], name))
			return k->value[i];
	return NULL;
}

int sb_key_set(struct sb_rkey *k, const char *name, const char *value)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->name[i] && !strcmp(k->name[i], name)) {
			k->value[i] = value;
			return 0;
		}
	if (k->n == SB_KEY_FIELDS)
		return -1;
	k->name[k->n] = name;
	k->value[k->n++] = value;
	return 0;
}

static bool key_equal(const struct sb_rkey *a, const struct sb_rkey *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const char *v = sb_key_get(b, a->name[i]);
		if (!v || strcmp(v, a->value[i]))
			return false;
	}
	return true;
}

/* "a=v&b=w", the values percent-encoded where the key's syntax needs it. */
static const char *key_text(struct arena *a, const struct sb_rkey *k)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < k->n; i++) {
		if (i)
			buf_addc(&b, '&');
		buf_addf(&b, "%s=", k->name[i]);
		for (const unsigned char *p =
			 (const unsigned char *)k->value[i];
		     *p; p++) {
			if (*p <= ' ' || *p >= 0x7f || strchr("&=%+", *p))
				buf_addf(&b, "%%%02X", *p);
			else
				buf_addc(&b, (char)*p);
		}
	}
	const char *s = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
	buf_release(&b);
	return s ? s : "";
}

/* A Rest.li 2.0 key s[0..len), "(a:v,b:w)" with its values
 * percent-encoded, into k (its text that of s): 0, or -1 when it is not
 * one. */
static int key_parse2(struct arena *a, const char *s, size_t len,
		      struct sb_rkey *k)
{
	memset(k, 0, sizeof(*k));
	if (len < 2 || s[0] != '(' || s[len - 1] != ')')
		return -1;
	k->text = arena_strndup(a, s, len);
	const char *p = s + 1, *end = s + len - 1;
	while (p < end) {
		size_t fl = strcspn(p, ",)");
		if (p + fl > end)
			fl = (size_t)(end - p);
		const char *colon = memchr(p, ':', fl);
		size_t vl;
		/* a field name is a Rest.li identifier */
		if (!colon || colon == p ||
		    strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx"
			      "yz0123456789_") != (size_t)(colon - p))
			return -1;
		char *name = arena_strndup(a, p, (size_t)(colon - p));
		char *value = http_url_decode(
		    a, colon + 1, fl - (size_t)(colon - p) - 1, false, &vl);
		if (!name || !value || sb_key_get(k, name) ||
		    sb_key_set(k, name, value) < 0)
			return -1;
		p += fl;
		if (p < end && *p == ',')
			p++;
		else if (p < end)
			return -1;
	}
	return k->n && k->text ? 0 : -1;
}

int sb_key_parse(struct arena *a, const char *s, struct sb_rkey *k)
{
	if (*s == '(')
		return key_parse2(a, s, strlen(s), k);
	memset(k, 0, sizeof(*k));
	k->text = s;
	while (*s) {
		size_t len = strcspn(s, "&");
		const char *eq = memchr(s, '=', len);
		size_t vl;
		if (!eq || eq == s)
			return -1;
		char *name = arena_strndup(a, s, (size_t)(eq - s));
		char *value = http_url_decode(
		    a, eq + 1, len - (size_t)(eq - s) - 1, true, &vl);
		if (!name || !value || sb_key_set(k, name, value) < 0)
			return -1;
		s += len;
		if (*s == '&')
			s++;
	}
	return k->n ? 0 : -1;
}

void sb_bad_param(struct sb_ctx *c, const char *what)
{
	const char *m = arena_printf(c->a,
				     "Invalid param. Please see errorDetails "
				     "for more information. (%s)",
				     what);
	sb_api_error(c, 400, 100, m ? m : "Invalid param");
}

/* The raw value of the query's ids=List(...) (Rest.li 2.0), NULL when
 * the query has none. */
static const char *list_param(const char *query)
{
	for (const char *p = query; p && *p;) {
		if (!strncmp(p, "ids=List(", 9))
			return p + 4;
		p = strchr(p, '&');
		if (p)
			p++;
	}
	return NULL;
}

/* ids=List((...),(...)) into k[0..*n): 0, or -1 after answering 400. */
static int query_keys2(struct sb_ctx *c, const char *list, struct sb_rkey *k,
		       size_t *n)
{
	size_t len = strcspn(list, "&");
	const char *p = list + 5, *end = list + len - 1; /* after "List(" */
	*n = 0;
	if (len < 7 || *end != ')') {
		sb_bad_param(c, "ids");
		return -1;
	}
	while (p < end) {
		const char *close = memchr(p, ')', (size_t)(end - p));
		if (*p != '(' || !close) {
			sb_bad_param(c, "ids");
			return -1;
		}
		if (*n == SB_BATCH_MAX) {
			sb_api_error(c, 400, 100,
				     "A batch names at most 100 entities");
			return -1;
		}
		if (key_parse2(c->a, p, (size_t)(close - p) + 1, &k[*n]) < 0) {
			sb_bad_param(c, "ids");
			return -1;
		}
		(*n)++;
		p = close + 1;
		if (p < end && *p++ != ',') {
			sb_bad_param(c, "ids");
			return -1;
		}
	}
	if (!*n) {
		sb_bad_param(c, "ids");
		return -1;
	}
	return 0;
}

int sb_query_keys(struct sb_ctx *c, struct sb_rkey **keys, size_t *n)
{
	const struct http_params *q = &c->req->query_params;
	struct sb_rkey *k = arena_calloc(c->a, SB_BATCH_MAX, sizeof(*k));
	size_t top = 0;

	*n = 0;
	if (!k) {
		sb_db_fail(c);
		return -1;
	}
	const char *list = list_param(c->req->query);
	if (list) {
		if (query_keys2(c, list, k, n) < 0)
			return -1;
		*keys = k;
		return 0;
	}
	for (size_t i = 0; i < q->n; i++) {
		const char *name = q->v[i].name;
		char *end;
		if (strncmp(name, "ids[", 4))
			continue;
		unsigned long idx = strtoul(name + 4, &end, 10);
		if (end == name + 4 || strncmp(end, "].", 2) || !end[2]) {
			sb_bad_param(c, name);
			return -1;
		}
		if (idx >= SB_BATCH_MAX) {
			sb_api_error(c, 400, 100,
				     "A batch names at most 100 entities");
			return -1;
		}
		if (sb_key_get(&k[idx], end + 2) ||
		    sb_key_set(&k[idx], end + 2, q->v[i].value) < 0) {
			sb_bad_param(c, name);
			return -1;
		}
		if (idx + 1 > top)
			top = idx + 1;
	}
	for (size_t i = 0; i < top; i++)
		if (!k[i].n) {
			sb_bad_param(c, "ids");
			return -1;
		}
	if (!top) {
		sb_bad_param(c, "ids");
		return -1;
	}
	for (size_t i = 0; i < top; i++)
		k[i].text = key_text(c->a, &k[i]);
	*keys = k;
	*n = top;
	return 0;
}

int sb_body_entities(struct sb_ctx *c, struct sb_rkey *keys, size_t n,
		     json_t **ent)
{
	json_t *e = json_object_get(c->req->json, "entities"), *v;
	const char *name;
	if (!json_is_object(e)) {
		sb_api_error(c, 400, 100,
			     "The body is {\"entities\": {key: entity}}");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		ent[i] = NULL;
	json_object_foreach(e, name, v)
	{
		struct sb_rkey k;
		size_t i;
		if (sb_key_parse(c->a, name, &k) < 0) {
			sb_bad_param(c, "entities");
			return -1;
		}
		for (i = 0; i < n && !key_equal(&k, &keys[i]); i++)
			;
		if (i < n && !ent[i])
			keys[i].text = name;
		if (i == n || ent[i]) {
			const char *m = arena_printf(
			    c->a,
			    "The entity key %.200s is not one of the query's "
			    "ids",
			    name);
			sb_api_error(c, 400, 100, m ? m : "Unknown key");
			return -1;
		}
		ent[i] = v;
	}
	for (size_t i = 0; i < n; i++)
		if (!ent[i]) {
			const char *m = arena_printf(
			    c->a, "The body has no entity for ids[%zu]", i);
			sb_api_error(c, 400, 100, m ? m : "Missing entity");
			return -1;
		}
	return 0;
}

/* ------------------------------------------------------------ batch answers */

void sb_batch_init(struct sb_batch *b)
{
	b->results = json_object();
	b->statuses = json_object();
	b->errors = json_object();
}

void sb_batch_ok(struct sb_batch *b, const char *key, json_t *entity,
		 int status)
{
	json_object_set_new(b->results, key,
			    entity ? entity
				   : json_pack("{s:i}", "status", status));
	if (entity)
		json_object_set_new(b->statuses, key, json_integer(status));
}

void sb_batch_error(struct sb_batch *b, const char *key, int status,
		    const char *message)
{
	json_object_set_new(b->errors, key,
			    json_pack("{s:i, s:i, s:s}", "status", status,
				      "serviceErrorCode",
				      status == 403 ? 100 : 0, "message",
				      message));
}

void sb_batch_answer(struct sb_ctx *c, struct sb_batch *b)
{
	sb_json(c, 200,
		json_pack("{s:o, s:o, s:o}", "results", b->results, "statuses",
			  b->statuses, "errors", b->errors));
}

/* ------------------------------------------------------------ callers */

int sb_caller_of(struct sb_ctx *c, const char *resource, struct sb_caller *who)
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

int64_t sb_member_lookup(struct sb_ctx *c, const char *member)
{
	static const char pre[] = "urn:li:person:";
	struct db_row r;
	int rc;

	if (!member)
		return 0;
	if (!strncmp(member, pre, sizeof(pre) - 1))
		member += sizeof(pre) - 1;
	if (!*member || strlen(member) > 32)
		return 0;
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT id FROM members WHERE urn_id = ?", "s",
			  member);
	if (rc == DB_NOT_FOUND)
		return 0;
	return rc == DB_OK ? db_int(&r, 0) : -1;
}

/* ------------------------------------------------------------ control */

void sb_control_bad(struct sb_ctx *c, const char *message)
{
	sb_control_error(c, 400, message);
}

json_t *sb_control_body(struct sb_ctx *c)
{
	if (sb_control_refused(c))
		return NULL;
	if (!json_is_object(c->req->json)) {
		sb_control_bad(c, "the body must be a JSON object");
		return NULL;
	}
	return c->req->json;
}

void sb_month(int64_t t, char out[8])
{
	time_t s = (time_t)(t / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	strftime(out, 8, "%Y-%m", &tm);
}

json_t *sb_json_column(const char *text)
{
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;
	return v ? v : json_array();
}

/* ------------------------------------------------------------ simple keys */

int sb_query_ids(struct sb_ctx *c, const char ***ids, size_t *n)
{
	const struct http_params *q = &c->req->query_params;
	const char **v = arena_calloc(c->a, SB_BATCH_MAX, sizeof(*v));
	*n = 0;
	if (!v) {
		sb_db_fail(c);
		return -1;
	}
	for (size_t i = 0; i < q->n; i++) {
		if (strcmp(q->v[i].name, "ids"))
			continue;
		size_t j;
		/* a repeated id names the same entity (Rest.li's batch ids
		 * are a set) */
		for (j = 0; j < *n && strcmp(v[j], q->v[i].value); j++)
			;
		if (j < *n)
			continue;
		if (*n == SB_BATCH_MAX) {
			sb_api_error(c, 400, 100,
				     "A batch names at most 100 entities");
			return -1;
		}
		v[(*n)++] = q->v[i].value;
	}
	if (!*n) {
		sb_bad_param(c, "ids");
		return -1;
	}
	*ids = v;
	return 0;
}

int sb_body_simple_entities(struct sb_ctx *c, const char **ids, size_t n,
			    json_t **ent)
{
	json_t *e = json_object_get(c->req->json, "entities"), *v;
	const char *name;
	if (!json_is_object(e)) {
		sb_api_error(c, 400, 100,
			     "The body is {\"entities\": {key: entity}}");
		return -1;
	}
	json_object_foreach(e, name, v)
	{
		size_t i;
		for (i = 0; i < n && strcmp(ids[i], name); i++)
			;
		if (i == n) {
			const char *m = arena_printf(
			    c->a,
			    "The entity key %.200s is not one of the query's "
			    "ids",
			    name);
			sb_api_error(c, 400, 100, m ? m : "Unknown key");
			return -1;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!(ent[i] = json_object_get(e, ids[i]))) {
			const char *m = arena_printf(
			    c->a, "The body has no entity for ids=%.200s",
			    ids[i]);
			sb_api_error(c, 400, 100, m ? m : "Missing entity");
			return -1;
		}
	return 0;
}

const char *sb_ats_key_refusal(struct sb_ctx *c, const struct sb_caller *who,
			       const struct sb_rkey *k, const char *id_field,
			       const char **id, int *status)
{
	const char *dp = sb_key_get(k, "dataProvider");
	const char *ctx = sb_key_get(k, "integrationContext");
	*id = sb_key_get(k, id_field);
	*status = 400;
	if (!*id || !**id || strlen(*id) > SB_ID_MAX) {
		const char *m = arena_printf(
		    c->a, "%s must be 1 to 100 characters", id_field);
		return m ? m : "a key's id must be 1 to 100 characters";
	}
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

void sb_batch_fail(struct sb_ctx *c, struct sb_batch *b)
{
	json_decref(b->results);
	json_decref(b->statuses);
	json_decref(b->errors);
	sb_db_fail(c);
}

/* ------------------------------------------------------------ fields */

const char *sb_missing(struct sb_ctx *c, const char *field, int *status)
{
	*status = 422;
	const char *m = arena_printf(c->a,
				     "ERROR :: /%s :: field is required but "
				     "not found and has no default value",
				     field);
	return m ? m : "a required field is missing";
}

const char *sb_invalid(struct sb_ctx *c, const char *field, const char *must,
		       int *status)
{
	*status = 400;
	const char *m = arena_printf(c->a, "ERROR :: /%s :: %s", field, must);
	return m ? m : "a field is invalid";
}

const char *sb_check_str(struct sb_ctx *c, json_t *e, const char *field,
			 bool required, size_t max, int *status)
{
	json_t *v = json_object_get(e, field);
	if (!v || json_is_null(v))
		return required ? sb_missing(c, field, status) : NULL;
	if (!json_is_string(v))
		return sb_invalid(c, field, "must be a string", status);
	const char *s = json_string_value(v);
	if (required && !*s)
		return sb_missing(c, field, status);
	if (utf8_len(s, strlen(s)) > max) {
		const char *m =
		    arena_printf(c->a, "must be at most %zu characters", max);
		return sb_invalid(c, field, m ? m : "is too long", status);
	}
	return NULL;
}

bool sb_email_ok(const char *s)
{
	const char *at = strchr(s, '@'), *dot;
	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254)
		return false;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1];
}
