/*
 * candidates.c - atsCandidates for the LinkedIn tab (candidates.h): the
 * match query, manualMatchedMember, and the worker's two senders.
 *
 * The match query is hirelink's convention (CONTRACT-15 §2.1): LinkedIn
 * publishes no search, and Sync Candidates may not send a Prospect-only
 * candidate (the seed), so asking "who may this be" must leave nothing
 * stored at LinkedIn.  Its answer never carries a member's email, only
 * whether one of the candidate's matched.  The answer is kept
 * (ats_li_match_store) under the key of what was asked, so the tab knows a
 * stale answer from a fresh one without calling LinkedIn.
 *
 * Results per item: DONE; RETRY for what may pass (no answer, 5xx, 429,
 * the database); FAILED (dead, with LinkedIn's message) for a 4xx other
 * than 429.
 */
#include <stdio.h>
#include <string.h>

#include "ats/candidate_links.h"
#include "core/crypto.h"
#include "linkedin/answers.h"
#include "linkedin/candidates.h"
#include "linkedin/li_internal.h"

#define MATCH_COUNT 10 /* members one answer lists */

const char *li_ats_candidate_id(struct arena *a, const char *instance_id,
				int64_t candidate_id)
{
	return arena_printf(a, "%s-C-%lld", instance_id,
			    (long long)candidate_id);
}

/* ------------------------------------------------------------ the query */

static void param(struct buf *b, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	buf_addf(b, "&%s=", name);
	buf_add_url(b, value, strlen(value));
}

const char *li_match_params(struct arena *a, const char *org,
			    const struct candidate *k)
{
	bool names = *k->first_name && *k->last_name;
	bool member = ats_li_member_id_valid(k->linkedin_member_id);
	if (!names && !*k->email && !*k->phone && !*k->linkedin_url &&
	    !member)
		return "";
	struct buf b = BUF_INIT;
	buf_adds(&b, "q=memberMatches");
	param(&b, "integrationContext", org);
	param(&b, "firstName", k->first_name);
	param(&b, "lastName", k->last_name);
	param(&b, "emailAddresses", k->email);
	param(&b, "phoneNumbers", k->phone);
	param(&b, "linkedInProfileUrl", k->linkedin_url);
	param(&b, "currentCompanyName", k->current_company);
	param(&b, "currentJobTitle", k->current_title);
	if (member)
		buf_addf(&b, "&member=urn%%3Ali%%3Aperson%%3A%s",
			 k->linkedin_member_id);
	const char *p = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
	buf_release(&b);
	return p;
}

const char *li_match_key(struct arena *a, const char *params)
{
	unsigned char h[SHA256_LEN];
	char *out = arena_alloc(a, 2 * SHA256_LEN + 1);
	if (!out)
		return NULL;
	crypto_sha256(params, strlen(params), h);
	hex_encode(h, SHA256_LEN, out);
	return out;
}

int li_member_matches(struct li_client *li, struct db *db, struct arena *a,
		      const struct li_settings *s, const char *params,
		      struct li_matches *out, struct li_error *err)
{
	struct li_resp r;
	*out = (struct li_matches){0};
	const char *path =
	    arena_printf(a, "/v2/atsCandidates?%s&start=0&count=%d", params,
			 MATCH_COUNT);
	if (!path)
		return li_err_oom(err);
	struct li_req rq = {
	    .method = "GET",
	    .base = li->s->cfg->linkedin_api_base,
	    .path = path,
	    .label = "/v2/atsCandidates?q=memberMatches",
	};
	int rc = li_app_call(li, db, a, s, &rq, &r, err);
	if (rc != LI_OK)
		return rc;
	return li_matches_read(a, r.json, ats_li_member_id_valid, out, err);
}

int li_match_rule(const struct li_matches *m, const char *member_id)
{
	for (size_t i = 0; member_id && *member_id && i < m->n; i++)
		if (m->v[i].member_matched && m->v[i].email_matched &&
		    !strcmp(m->v[i].member_id, member_id))
			return 1;
	return m->n ? 2 : 3;
}

/* The answer as hirelink keeps it (linkedin_candidates.match_elements):
 * JSON text, arena-owned. */
static const char *matches_json(struct arena *a, const struct li_matches *m)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < m->n; i++) {
		const struct li_match *e = &m->v[i];
		json_t *on = json_array();
		for (size_t j = 0; on && j < json_array_size(e->matched_on);
		     j++) {
			json_t *v = json_array_get(e->matched_on, j);
			if (json_is_string(v))
				json_array_append(on, v);
		}
		json_t *o = json_pack(
		    "{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:o*}", "member",
		    e->member_id, "firstName", e->first_name, "lastName",
		    e->last_name, "headline", e->headline, "location",
		    e->location, "publicProfileUrl", e->public_profile_url,
		    "emailMatched", e->email_matched, "memberMatched",
		    e->member_matched, "matchedOn", on);
		if (!o || json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	struct buf b = BUF_INIT;
	const char *s = NULL;
	if (arr && buf_add_json(&b, arr, JSON_COMPACT) == 0 && !buf_failed(&b))
		s = arena_strdup(a, b.data);
	buf_release(&b);
	json_decref(arr);
	return s;
}

/* ------------------------------------------------------------ results */

static void item_set(struct li_outbox_item *it, enum li_item_result r,
		     long retry_after_ms, const char *why)
{
	it->result = r;
	it->retry_after_ms = retry_after_ms;
	snprintf(it->error, sizeof(it->error), "%s", why ? why : "");
}

static bool permanent(long status)
{
	return status >= 400 && status < 500 && status != 429;
}

static void item_failed(struct li_outbox_item *it, const struct li_error *err)
{
	bool dead = (err->kind == LI_ERR_HTTP && permanent(err->status)) ||
		    err->kind == LI_ERR_PROTOCOL;
	item_set(it, dead ? LI_ITEM_FAILED : LI_ITEM_RETRY, err->retry_after_ms,
		 li_error_text(err));
}

static void item_db_failed(struct li_outbox_item *it, struct db *db)
{
	char why[300];
	snprintf(why, sizeof(why), "the database failed: %s", db_error(db));
	item_set(it, LI_ITEM_RETRY, 0, why);
}

/* The settings, when LinkedIn can be asked: DB_OK; DB_NOT_FOUND when the
 * integration is off here (each item done: a link or a look made again
 * later marks it again, and the tab says LinkedIn is off); else the
 * database's failure, each item to retry. */
static int sender_start(struct li_worker *w, struct li_outbox_item *items,
			size_t n, struct li_settings *s)
{
	int rc = li_settings_load(w->db, w->arena, w->cfg, s);
	if (rc != DB_OK) {
		for (size_t i = 0; i < n; i++)
			item_db_failed(&items[i], w->db);
		return rc;
	}
	if (!w->li || !li_settings_ready(s) || !*s->organization_urn) {
		for (size_t i = 0; i < n; i++)
			item_set(&items[i], LI_ITEM_DONE, 0, "");
		return DB_NOT_FOUND;
	}
	return DB_OK;
}

/* ------------------------------------------------------------ matches */

static void match_one(struct li_worker *w, const struct li_settings *s,
		      struct li_outbox_item *it)
{
	struct candidate k;
	struct li_matches m = {0};
	struct li_error err = {0};
	int64_t id = (int64_t)it->entity_id;

	int rc = ats_candidate_get(w->db, w->arena, id, &k);
	if (rc == DB_NOT_FOUND) {
		item_set(it, LI_ITEM_DONE, 0, "");
		return;
	}
	const char *params =
	    rc == DB_OK ? li_match_params(w->arena, s->organization_urn, &k)
			: NULL;
	const char *key = params ? li_match_key(w->arena, params) : NULL;
	if (!key) {
		item_db_failed(it, w->db);
		return;
	}
	if (*params) {
		li_client_set_deadline(w->li, 0);
		rc = li_member_matches(w->li, w->db, w->arena, s, params, &m,
				       &err);
		if (rc != LI_OK) {
			item_failed(it, &err);
			return;
		}
	}
	int rule = li_match_rule(&m, k.linkedin_member_id);
	const char *elements = matches_json(w->arena, &m);
	if (!elements ||
	    ats_li_match_store(w->db, id, key, rule,
			       rule == 1 ? k.linkedin_member_id : NULL,
			       elements, m.total) != DB_OK) {
		item_db_failed(it, w->db);
		return;
	}
	item_set(it, LI_ITEM_DONE, 0, "");
}

void li_send_candidate_matches(struct li_worker *w,
			       struct li_outbox_item *items, size_t n)
{
	struct li_settings s;
	if (sender_start(w, items, n, &s) != DB_OK)
		return;
	for (size_t i = 0; i < n; i++)
		match_one(w, &s, &items[i]);
}

/* ------------------------------------------------------------ refresh */

/* How long after its tab was last opened a candidate's answer is kept
 * fresh in the background. */
#define WATCH_S (60 * 60)

int li_match_refresh_schedule(struct li_worker *w)
{
	struct li_settings s;
	struct db_result res;
	int per_pass = w->cfg->linkedin_match_refresh_per_minute / 6;
	if (w->cfg->linkedin_match_refresh_per_minute <= 0)
		return DB_OK;
	if (per_pass < 1)
		per_pass = 1;
	arena_reset(w->arena);
	int rc = li_settings_load(w->db, w->arena, w->cfg, &s);
	if (rc != DB_OK || !li_settings_ready(&s) || !*s.organization_urn)
		return rc;
	/* the match query costs one atsCandidates call a candidate: a few a
	 * pass keep the background far inside LinkedIn's daily limit, and
	 * a 429 backs the outbox row off by LinkedIn's Retry-After */
	rc = db_query(
	    w->db, w->arena, &res,
	    "SELECT lc.candidate_id FROM linkedin_candidates lc WHERE "
	    "lc.viewed_at > NOW(3) - INTERVAL ? SECOND AND (lc.matched_at IS "
	    "NULL OR lc.matched_at < NOW(3) - INTERVAL ? SECOND) AND NOT "
	    "EXISTS (SELECT 1 FROM outbox o WHERE o.kind = ? AND o.entity_id "
	    "= lc.candidate_id) ORDER BY lc.viewed_at DESC LIMIT ?",
	    "iisi", (int64_t)WATCH_S,
	    (int64_t)w->cfg->linkedin_match_max_age_seconds,
	    ATS_OUTBOX_CANDIDATE_MATCH, (int64_t)per_pass);
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++)
		rc = ats_li_match_request(w->db, db_int(&res.rows[i], 0));
	return rc;
}

/* ------------------------------------------------------------ links */

struct link_item {
	struct li_outbox_item *item;
	const char *member; /* to $set, NULL to $delete */
	struct li_key_field f[3];
	struct li_key key;
};

static json_t *link_patch(const struct link_item *l)
{
	if (l->member)
		return json_pack("{s:{s:{s:s}}}", "patch", "$set",
				 "manualMatchedMember",
				 l->member ? l->member : "");
	return json_pack("{s:{s:[s]}}", "patch", "$delete",
			 "manualMatchedMember");
}

void li_send_candidate_links(struct li_worker *w, struct li_outbox_item *items,
			     size_t n)
{
	struct li_settings s;
	struct li_error err = {0};
	const char *instance;
	struct li_resp r;

	if (sender_start(w, items, n, &s) != DB_OK)
		return;
	struct link_item *v = arena_calloc(w->arena, n, sizeof(*v));
	struct li_key *keys = arena_calloc(w->arena, n, sizeof(*keys));
	struct li_outcome *out = arena_calloc(w->arena, n, sizeof(*out));
	if (!v || !keys || !out ||
	    li_instance_id(w->db, w->arena, &instance) != DB_OK) {
		for (size_t i = 0; i < n; i++)
			item_db_failed(&items[i], w->db);
		return;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		struct db_row row;
		int64_t id = (int64_t)items[i].entity_id;
		int rc = db_query_row(
		    w->db, w->arena, &row,
		    "SELECT IF(lc.link_manual, c.linkedin_member_id, NULL), "
		    "lc.sent_member FROM candidates c JOIN "
		    "linkedin_candidates lc ON lc.candidate_id = c.id WHERE "
		    "c.id = ?",
		    "i", id);
		if (rc == DB_NOT_FOUND) {
			/* the candidate is gone: LinkedIn's record goes with
			 * the candidate's own deletion (the sync issue) */
			item_set(&items[i], LI_ITEM_DONE, 0, "");
			continue;
		}
		if (rc != DB_OK) {
			item_db_failed(&items[i], w->db);
			continue;
		}
		const char *want = row.v[0], *sent = row.v[1];
		/* LinkedIn has it already, or never had what is undone */
		if ((!want && !sent) || (want && sent && !strcmp(want, sent))) {
			item_set(&items[i], LI_ITEM_DONE, 0, "");
			continue;
		}
		struct link_item *l = &v[m];
		l->item = &items[i];
		l->member =
		    want ? arena_printf(w->arena, "urn:li:person:%s", want)
			 : NULL;
		l->f[0] = (struct li_key_field){
		    "atsCandidateId", li_ats_candidate_id(w->arena, instance, id)};
		l->f[1] = (struct li_key_field){"dataProvider", "ATS"};
		l->f[2] =
		    (struct li_key_field){"integrationContext", s.organization_urn};
		l->key = (struct li_key){l->f, 3};
		if ((want && !l->member) || !l->f[0].value) {
			item_db_failed(&items[i], w->db);
			continue;
		}
		keys[m++] = l->key;
	}
	if (!m)
		return;

	/* one batch_partial_update for all of them */
	json_t *e = json_object();
	for (size_t i = 0; e && i < m; i++) {
		struct buf k = BUF_INIT;
		li_key_add(&k, &keys[i]);
		json_t *p = link_patch(&v[i]);
		if (buf_failed(&k) || !p || json_object_set_new(e, k.data, p)) {
			json_decref(e);
			e = NULL;
		}
		buf_release(&k);
	}
	struct buf path = BUF_INIT, body = BUF_INIT;
	buf_adds(&path, "/v2/atsCandidates?");
	li_keys_add_query(&path, keys, m);
	json_t *doc = e ? json_pack("{s:o}", "entities", e) : NULL;
	int rc = LI_ERR_INTERNAL;
	if (doc && buf_add_json(&body, doc, JSON_COMPACT) == 0 &&
	    !buf_failed(&body) && !buf_failed(&path)) {
		struct li_req rq = {
		    .method = "POST",
		    .base = w->cfg->linkedin_api_base,
		    .path = path.data,
		    .label = "/v2/atsCandidates",
		    .json = body.data,
		    .restli_method = LI_BATCH_PARTIAL_UPDATE,
		};
		li_client_set_deadline(w->li, 0);
		rc = li_app_call(w->li, w->db, w->arena, &s, &rq, &r, &err);
		if (rc == LI_OK)
			rc = li_batch_read(r.json, "atsCandidates", keys, m,
					   out, &err);
	} else {
		li_err_oom(&err);
	}
	json_decref(doc);
	buf_release(&path);
	buf_release(&body);

	for (size_t i = 0; i < m; i++) {
		struct link_item *l = &v[i];
		int64_t id = (int64_t)l->item->entity_id;
		if (rc != LI_OK) {
			item_failed(l->item, &err);
			continue;
		}
		/* a $delete of what LinkedIn does not have is done */
		bool gone = !l->member && out[i].failed && out[i].status == 404;
		if (out[i].failed && !gone) {
			char why[300];
			snprintf(why, sizeof(why),
				 "LinkedIn refused the link (%ld): %s",
				 out[i].status,
				 *out[i].message ? out[i].message
						 : "no reason given");
			item_set(l->item,
				 permanent(out[i].status) ? LI_ITEM_FAILED
							  : LI_ITEM_RETRY,
				 0, why);
			continue;
		}
		const char *sent = l->member ? li_member_id_of(l->member) : NULL;
		if (ats_li_link_sent(w->db, id, sent) != DB_OK)
			item_db_failed(l->item, w->db);
		else
			item_set(l->item, LI_ITEM_DONE, 0, "");
	}
}
