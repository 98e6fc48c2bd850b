/*
 * candidates.c - LinkedIn's atsCandidates (Recruiter System Connect, Sync
 * Candidates; README "The LinkedIn tab and Recruiting activities"):
 *
 *   PUT  /v2/atsCandidates?ids[i]...   batch_update: the candidate's fields,
 *                                      LinkedIn's required ones checked
 *   POST /v2/atsCandidates?ids[i]...   batch_partial_update: $set or $delete
 *                                      manualMatchedMember (a member the ATS
 *                                      user linked)
 *   DELETE /v2/atsCandidates?ids[i]... batch_delete: the candidate and its
 *                                      link are gone (erasure)
 *   GET  /v2/atsCandidates?ids[i]...   batch GET: matchedMembers (LinkedIn's
 *                                      algorithmic matches) and
 *                                      manualMatchedMember
 *   GET  /v2/atsCandidates?q=memberMatches&...  (hirelink convention) the
 *                                      members a candidate's data may be,
 *                                      for the LinkedIn tab's matching
 *                                      rules; stores nothing
 *   GET  /sandbox/members/crafted, GET /sandbox/atsCandidates  test control
 *
 * Keys are (atsCandidateId, dataProvider=ATS, integrationContext) of the
 * calling application (its token's client_id) in its organization.
 * LinkedIn's matching is private; the sandbox matches on the keys LinkedIn
 * names for its CRM widget: email address, LinkedIn profile URL, name and
 * phone number, name and title and company (a name "matches" when the last
 * names sound alike, by SOUNDEX, and the first names share their initial).
 * The member's email is never answered: LinkedIn does not hand it out.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/sandbox.h"

#define TEXT_MAX      200  /* names, titles, companies */
#define URL_MAX	      2000
#define LIST_MAX      20   /* emails, phones, addresses */
#define MATCH_MAX     200  /* members one match query considers */

/* How a member matched, strongest first (the match query's order). */
enum {
	M_MEMBER = 1 << 6, /* the member the query named */
	M_EMAIL = 1 << 5,
	M_URL = 1 << 4,
	M_PHONE = 1 << 3,
	M_TITLE = 1 << 2,
	M_NAME = 1 << 1,
	/* the algorithmic matches of atsCandidates: all but a bare name */
	M_ALGORITHMIC = M_EMAIL | M_URL | M_PHONE | M_TITLE,
};

static const struct {
	unsigned flag;
	const char *name;
} match_names[] = {
    {M_EMAIL, "EMAIL"},	  {M_URL, "PROFILE_URL"},
    {M_PHONE, "NAME_PHONE"}, {M_TITLE, "NAME_TITLE_COMPANY"},
    {M_NAME, "NAME"},
};

/* ------------------------------------------------------------ matching */

/* What a candidate says about itself, for matching. */
struct criteria {
	const char *first, *last, *title, *company, *vanity;
	const char *emails[LIST_MAX];
	size_t nemails;
	const char *phones[LIST_MAX]; /* digits only, 7 or more */
	size_t nphones;
};

struct matches {
	int64_t id[MATCH_MAX];
	unsigned flags[MATCH_MAX];
	size_t n;
};

static void match_add(struct matches *m, int64_t id, unsigned flag)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->id[i] == id) {
			m->flags[i] |= flag;
			return;
		}
	if (m->n < MATCH_MAX) {
		m->id[m->n] = id;
		m->flags[m->n++] = flag;
	}
}

/* The digits of s (arena-owned) when there are 7 or more, else NULL. */
static const char *digits_of(struct arena *a, const char *s)
{
	char *out = arena_alloc(a, strlen(s) + 1);
	size_t n = 0;
	if (!out)
		return NULL;
	for (; *s; s++)
		if (*s >= '0' && *s <= '9')
			out[n++] = *s;
	out[n] = '\0';
	return n >= 7 ? out : NULL;
}

/* The vanity name of a LinkedIn profile URL
 * (https://www.linkedin.com/in/<vanity>[/...]), arena-owned; NULL. */
static const char *vanity_of(struct arena *a, const char *url)
{
	const char *p = url ? strstr(url, "linkedin.com/in/") : NULL;
	size_t n;
	if (!p)
		return NULL;
	p += strlen("linkedin.com/in/");
	n = strcspn(p, "/?#");
	return n && n <= 120 ? arena_strndup(a, p, n) : NULL;
}

/* Adds the rows' first column to m with flag.  DB status. */
static int add_rows(struct sb_ctx *c, struct matches *m, unsigned flag,
		    int rc, struct db_result *res)
{
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res->nrows; i++)
		match_add(m, db_int(&res->rows[i], 0), flag);
	return DB_OK;
}

/* Finds the members k may be: with_name adds bare name matches; closed:
 * members who closed their account too (LinkedIn still knows whom a
 * candidate was, for closedCandidateProfiles, but shows them to no one).
 * DB status. */
static int find_matches(struct sb_ctx *c, const struct criteria *k,
			bool with_name, bool closed, struct matches *m)
{
	int64_t any = closed;
	struct db_result res;
	bool named = k->first && *k->first && k->last && *k->last;
	int rc = DB_OK;

	for (size_t i = 0; i < k->nemails && rc == DB_OK; i++)
		rc = add_rows(c, m, M_EMAIL,
			      db_query(c->db, c->a, &res,
				       "SELECT id FROM members WHERE email = ?"
				       " AND (? OR closed_at IS NULL)"
				       " ORDER BY id LIMIT 20",
				       "si", k->emails[i], any),
			      &res);
	if (rc == DB_OK && k->vanity)
		rc = add_rows(c, m, M_URL,
			      db_query(c->db, c->a, &res,
				       "SELECT id FROM members"
				       " WHERE vanity_name = ?"
				       " AND (? OR closed_at IS NULL) LIMIT 5",
				       "si", k->vanity, any),
			      &res);
	for (size_t i = 0; named && i < k->nphones && rc == DB_OK; i++)
		rc = add_rows(
		    c, m, M_PHONE,
		    db_query(c->db, c->a, &res,
			     "SELECT id FROM members"
			     " WHERE phone_digits IS NOT NULL"
			     " AND RIGHT(phone_digits, 9) = RIGHT(?, 9)"
			     " AND SOUNDEX(last_name) = SOUNDEX(?)"
			     " AND LEFT(first_name, 1) = LEFT(?, 1)"
			     " AND (? OR closed_at IS NULL)"
			     " ORDER BY id LIMIT 20",
			     "sssi", k->phones[i], k->last, k->first, any),
		    &res);
	if (rc == DB_OK && named && k->title && *k->title && k->company &&
	    *k->company)
		rc = add_rows(c, m, M_TITLE,
			      db_query(c->db, c->a, &res,
				       "SELECT id FROM members"
				       " WHERE current_title = ?"
				       " AND current_company = ?"
				       " AND SOUNDEX(last_name) = SOUNDEX(?)"
				       " AND LEFT(first_name, 1) = LEFT(?, 1)"
				       " AND (? OR closed_at IS NULL)"
				       " ORDER BY id LIMIT 20",
				       "ssssi", k->title, k->company, k->last,
				       k->first, any),
			      &res);
	if (rc == DB_OK && named && with_name)
		rc = add_rows(c, m, M_NAME,
			      db_query(c->db, c->a, &res,
				       "SELECT id FROM members"
				       " WHERE SOUNDEX(last_name) = SOUNDEX(?)"
				       " AND LEFT(first_name, 1) = LEFT(?, 1)"
				       " AND (? OR closed_at IS NULL)"
				       " ORDER BY last_name, first_name, id"
				       " LIMIT 100",
				       "ssi", k->last, k->first, any),
			      &res);
	return rc;
}

/* The criteria of a stored (or PUT) candidate entity; strings borrowed
 * from e. */
static void entity_criteria(struct sb_ctx *c, json_t *e, struct criteria *k)
{
	json_t *v;
	size_t i;

	memset(k, 0, sizeof(*k));
	k->first = json_string_value(json_object_get(e, "firstName"));
	k->last = json_string_value(json_object_get(e, "lastName"));
	k->title = json_string_value(json_object_get(e, "currentJobTitle"));
	k->company =
	    json_string_value(json_object_get(e, "currentCompanyName"));
	k->vanity = vanity_of(
	    c->a, json_string_value(json_object_get(e, "linkedInProfileUrl")));
	json_array_foreach(json_object_get(e, "emailAddresses"), i, v)
	{
		if (json_is_string(v) && k->nemails < LIST_MAX)
			k->emails[k->nemails++] = json_string_value(v);
	}
	json_array_foreach(json_object_get(e, "phoneNumbers"), i, v)
	{
		const char *num =
		    json_string_value(json_object_get(v, "number"));
		const char *d = num ? digits_of(c->a, num) : NULL;
		if (d && k->nphones < LIST_MAX)
			k->phones[k->nphones++] = d;
	}
}

/* "urn:li:person:<urn_id>" of members.id id, arena-owned; NULL. */
static const char *person_urn(struct sb_ctx *c, int64_t id)
{
	struct db_row r;
	if (db_query_row(c->db, c->a, &r,
			 "SELECT urn_id FROM members WHERE id = ?", "i",
			 id) != DB_OK)
		return NULL;
	return arena_printf(c->a, "urn:li:person:%s", r.v[0]);
}

/* ------------------------------------------------------------ keys */

/* The candidate key's refusal (and its status), or NULL with *id its
 * atsCandidateId. */
static const char *key_refusal(struct sb_ctx *c, const struct sb_caller *who,
			       const struct sb_rkey *k, const char **id,
			       int *status)
{
	return sb_ats_key_refusal(c, who, k, "atsCandidateId", id, status);
}

/* ------------------------------------------------------------ PUT */

static bool http_url_ok(const char *s)
{
	return (!strncmp(s, "https://", 8) && s[8]) ||
	       (!strncmp(s, "http://", 7) && s[7]);
}

/* Checks a PUT entity against LinkedIn's required fields (Sync Candidates,
 * "Required Fields"); linked: a manualMatchedMember is attached (then no
 * email is required). */
static const char *candidate_check(struct sb_ctx *c, json_t *e, bool linked,
				   int *status)
{
	static const char *const optional[] = {
	    "lastName",		"currentCompanyName", "currentJobTitle",
	    "middleInitial",	"prefix",	      "suffix"};
	const char *why;
	json_t *v, *x;
	size_t i;

	if (!json_is_object(e))
		return sb_invalid(c, "", "the entity must be an object", status);
	if ((why = sb_check_str(c, e, "firstName", true, TEXT_MAX, status)))
		return why;
	for (i = 0; i < ARRAY_LEN(optional); i++)
		if ((why = sb_check_str(c, e, optional[i], false, TEXT_MAX,
				     status)))
			return why;
	if ((why = sb_check_str(c, e, "externalProfileUrl", true, URL_MAX,
			     status)))
		return why;
	if (!http_url_ok(json_string_value(
		json_object_get(e, "externalProfileUrl"))))
		return sb_invalid(c, "externalProfileUrl",
			       "must be an http(s) URL", status);
	if ((why = sb_check_str(c, e, "linkedInProfileUrl", false, URL_MAX,
			     status)))
		return why;
	v = json_object_get(e, "emailAddresses");
	if (!v && !linked)
		return sb_missing(c, "emailAddresses", status);
	if (v && (!json_is_array(v) || json_array_size(v) > LIST_MAX))
		return sb_invalid(c, "emailAddresses",
			       "must be an array of at most 20 addresses",
			       status);
	json_array_foreach(v, i, x)
	{
		if (!json_is_string(x) || !sb_email_ok(json_string_value(x)))
			return sb_invalid(c, "emailAddresses",
				       "each must be an email address "
				       "(X@X.X)",
				       status);
	}
	v = json_object_get(e, "phoneNumbers");
	if (!v)
		return sb_missing(c, "phoneNumbers", status);
	if (!json_is_array(v) || json_array_size(v) > LIST_MAX)
		return sb_invalid(c, "phoneNumbers",
			       "must be an array of at most 20 numbers",
			       status);
	json_array_foreach(v, i, x)
	{
		const char *n = json_string_value(json_object_get(x, "number"));
		json_t *ext = json_object_get(x, "extension");
		if (!json_is_object(x) || !n || !*n || strlen(n) > 40 ||
		    (ext && !json_is_null(ext) && !json_is_string(ext)))
			return sb_invalid(c, "phoneNumbers",
				       "each must be {\"number\": \"…\", "
				       "\"extension\": \"…\"}",
				       status);
	}
	v = json_object_get(e, "addresses");
	if (!v)
		return sb_missing(c, "addresses", status);
	if (!json_is_array(v) || json_array_size(v) > LIST_MAX)
		return sb_invalid(c, "addresses",
			       "must be an array of at most 20 addresses",
			       status);
	json_array_foreach(v, i, x)
	{
		if (!json_is_object(x))
			return sb_invalid(c, "addresses",
				       "each must be an address object",
				       status);
	}
	json_t *created = json_object_get(e, "atsCreatedAt");
	json_t *modified = json_object_get(e, "atsLastModifiedAt");
	if (!created)
		return sb_missing(c, "atsCreatedAt", status);
	if (!json_is_integer(created) || json_integer_value(created) <= 0)
		return sb_invalid(c, "atsCreatedAt",
			       "must be epoch milliseconds greater than 0",
			       status);
	if (!modified)
		return sb_missing(c, "atsLastModifiedAt", status);
	if (!json_is_integer(modified) ||
	    json_integer_value(modified) < json_integer_value(created))
		return sb_invalid(c, "atsLastModifiedAt",
			       "must be epoch milliseconds, not before "
			       "atsCreatedAt",
			       status);
	v = json_object_get(e, "doNotContact");
	if (v && !json_is_null(v) && !json_is_boolean(v))
		return sb_invalid(c, "doNotContact", "must be a boolean", status);
	if (json_object_get(e, "manualMatchedMember"))
		return sb_invalid(c, "manualMatchedMember",
			       "is set by a partial update, not by PUT",
			       status);
	return NULL;
}

void sb_candidates_put(struct sb_ctx *c)
{
	struct sb_caller who;
	struct sb_rkey *keys;
	struct sb_batch b;
	json_t **ent;
	size_t n;

	if (sb_caller_of(c, "atsCandidates.BATCH_UPDATE.NO_VERSION", &who) <
		0 ||
	    sb_query_keys(c, &keys, &n) < 0)
		return;
	if (!(ent = arena_calloc(c->a, n, sizeof(*ent)))) {
		sb_db_fail(c);
		return;
	}
	if (sb_body_entities(c, keys, n, ent) < 0)
		return;
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		const char *id, *why;
		struct db_row r;
		int status, rc;
		char *text;

		if ((why = key_refusal(c, &who, &keys[i], &id, &status))) {
			sb_batch_error(&b, keys[i].text, status, why);
			continue;
		}
		rc = db_query_row(c->db, c->a, &r,
				  "SELECT manual_member_id FROM ats_candidates"
				  " WHERE client_id = ? AND organization_id = ?"
				  " AND ats_candidate_id = ?",
				  "sis", who.client_id, who.org, id);
		if (rc != DB_OK && rc != DB_NOT_FOUND) {
			json_decref(b.results);
			json_decref(b.statuses);
			json_decref(b.errors);
			sb_db_fail(c);
			return;
		}
		why = candidate_check(c, ent[i], rc == DB_OK && r.v[0],
				      &status);
		if (why) {
			sb_batch_error(&b, keys[i].text, status, why);
			continue;
		}
		text = json_dumps(ent[i], JSON_COMPACT);
		rc = text ? db_exec(c->db, NULL,
				    "INSERT INTO ats_candidates (client_id,"
				    " organization_id, ats_candidate_id, entity,"
				    " updated_at) VALUES (?, ?, ?, ?, ?)"
				    " ON DUPLICATE KEY UPDATE"
				    " entity = VALUES(entity),"
				    " updated_at = VALUES(updated_at)",
				    "sissi", who.client_id, who.org, id, text,
				    time_now_ms())
			  : DB_ERROR;
		free(text);
		if (rc != DB_OK) {
			json_decref(b.results);
			json_decref(b.statuses);
			json_decref(b.errors);
			sb_db_fail(c);
			return;
		}
		sb_batch_ok(&b, keys[i].text, NULL, 204);
	}
	sb_batch_answer(c, &b);
}

/* ------------------------------------------------------------ POST (patch) */

/* What a patch asks: link (*member set), unlink (*unlink), or the reason
 * it is refused. */
static const char *patch_read(json_t *ent, const char **member, bool *unlink)
{
	json_t *patch = json_object_get(ent, "patch"), *set, *del, *v;
	const char *k;
	size_t i;

	*member = NULL;
	*unlink = false;
	if (!json_is_object(patch))
		return "The entity is {\"patch\": {\"$set\": {…}}}";
	set = json_object_get(patch, "$set");
	del = json_object_get(patch, "$delete");
	if ((!set && !del) || (set && !json_is_object(set)) ||
	    (del && !json_is_array(del)))
		return "A patch has $set (an object) or $delete (an array)";
	json_object_foreach(set, k, v)
	{
		if (strcmp(k, "manualMatchedMember"))
			return "Only manualMatchedMember can be patched: PUT "
			       "the candidate to change its fields";
		if (!json_is_string(v) ||
		    strncmp(json_string_value(v), "urn:li:person:", 14) ||
		    strlen(json_string_value(v)) > 60)
			return "manualMatchedMember must be urn:li:person:{id}";
		*member = json_string_value(v);
	}
	json_array_foreach(del, i, v)
	{
		if (!json_is_string(v) ||
		    strcmp(json_string_value(v), "manualMatchedMember"))
			return "Only manualMatchedMember can be deleted";
		*unlink = true;
	}
	if (*member && *unlink)
		return "A patch cannot both $set and $delete "
		       "manualMatchedMember";
	return NULL;
}

void sb_candidates_patch(struct sb_ctx *c)
{
	struct sb_caller who;
	struct sb_rkey *keys;
	struct sb_batch b;
	json_t **ent;
	size_t n;

	if (sb_caller_of(c, "atsCandidates.BATCH_PARTIAL_UPDATE.NO_VERSION",
			 &who) < 0 ||
	    sb_query_keys(c, &keys, &n) < 0)
		return;
	if (!(ent = arena_calloc(c->a, n, sizeof(*ent)))) {
		sb_db_fail(c);
		return;
	}
	if (sb_body_entities(c, keys, n, ent) < 0)
		return;
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		const char *id, *why, *member;
		int status, rc;
		bool unlink;
		int64_t mid = 0;

		if ((why = key_refusal(c, &who, &keys[i], &id, &status))) {
			sb_batch_error(&b, keys[i].text, status, why);
			continue;
		}
		if ((why = patch_read(ent[i], &member, &unlink))) {
			sb_batch_error(&b, keys[i].text, 400, why);
			continue;
		}
		if (member && (mid = sb_member_lookup(c, member)) <= 0) {
			if (mid < 0)
				goto fail;
			sb_batch_error(&b, keys[i].text, 404,
				       "Member not found");
			continue;
		}
		if (member)
			/* a candidate not synced yet is kept as a link only
			 * (hirelink convention) */
			rc = db_exec(c->db, NULL,
				     "INSERT INTO ats_candidates (client_id,"
				     " organization_id, ats_candidate_id,"
				     " manual_member_id, updated_at)"
				     " VALUES (?, ?, ?, ?, ?)"
				     " ON DUPLICATE KEY UPDATE"
				     " manual_member_id = VALUES(manual_member_id),"
				     " updated_at = VALUES(updated_at)",
				     "sisii", who.client_id, who.org, id, mid,
				     time_now_ms());
		else
			rc = db_exec(c->db, NULL,
				     "UPDATE ats_candidates SET"
				     " manual_member_id = NULL, updated_at = ?"
				     " WHERE client_id = ? AND organization_id = ?"
				     " AND ats_candidate_id = ?",
				     "isis", time_now_ms(), who.client_id,
				     who.org, id);
		/* a link-only record unlinked holds nothing any more */
		if (rc == DB_OK && unlink)
			rc = db_exec(c->db, NULL,
				     "DELETE FROM ats_candidates"
				     " WHERE client_id = ? AND organization_id = ?"
				     " AND ats_candidate_id = ? AND entity IS NULL"
				     " AND manual_member_id IS NULL",
				     "sis", who.client_id, who.org, id);
		if (rc != DB_OK)
			goto fail;
		sb_batch_ok(&b, keys[i].text, NULL, 204);
	}
	sb_batch_answer(c, &b);
	return;
fail:
	json_decref(b.results);
	json_decref(b.statuses);
	json_decref(b.errors);
	sb_db_fail(c);
}

/* ------------------------------------------------------------ DELETE */

/* batch_delete (Middleware "Data deletion": the DELETE form of Sync
 * Candidates; tunnelled as a POST when long): each key 204, whether or not
 * LinkedIn held it (hirelink convention, as the configurations' DELETE). */
void sb_candidates_delete(struct sb_ctx *c)
{
	struct sb_caller who;
	struct sb_rkey *keys;
	struct sb_batch b;
	size_t n;

	if (sb_caller_of(c, "atsCandidates.BATCH_DELETE.NO_VERSION", &who) <
		0 ||
	    sb_query_keys(c, &keys, &n) < 0)
		return;
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		const char *id, *why;
		int status;
		if ((why = key_refusal(c, &who, &keys[i], &id, &status))) {
			sb_batch_error(&b, keys[i].text, status, why);
			continue;
		}
		/* its notes and applications go with it (sync.c) */
		if (sb_sync_candidate_erase(c, who.client_id, who.org, id) < 0 ||
		    db_exec(c->db, NULL,
			    "DELETE FROM ats_candidates WHERE client_id = ?"
			    " AND organization_id = ? AND ats_candidate_id = ?",
			    "sis", who.client_id, who.org, id) != DB_OK) {
			json_decref(b.results);
			json_decref(b.statuses);
			json_decref(b.errors);
			sb_db_fail(c);
			return;
		}
		sb_batch_ok(&b, keys[i].text, NULL, 204);
	}
	sb_batch_answer(c, &b);
}

/* ------------------------------------------------------------ GET */

/* The algorithmic matches of a stored entity (text), as person URNs into
 * *urns (new array).  DB status. */
static int algorithmic(struct sb_ctx *c, const char *entity, json_t *urns)
{
	json_t *e = entity ? json_loads(entity, 0, NULL) : NULL;
	struct criteria k;
	struct matches *m;
	int rc;

	if (!e)
		return DB_OK;
	if (!(m = arena_calloc(c->a, 1, sizeof(*m)))) {
		json_decref(e);
		return DB_ERROR;
	}
	entity_criteria(c, e, &k);
	rc = find_matches(c, &k, false, false, m);
	for (size_t i = 0; rc == DB_OK && i < m->n; i++) {
		const char *urn;
		if (!(m->flags[i] & M_ALGORITHMIC))
			continue;
		if (!(urn = person_urn(c, m->id[i]))) {
			rc = DB_ERROR;
			break;
		}
		json_array_append_new(urns, json_string(urn));
	}
	json_decref(e);
	return rc;
}

int sb_candidate_member(struct sb_ctx *c, const char *client_id, int64_t org,
			const char *ats_candidate_id, int64_t *member_id,
			bool *manual)
{
	struct db_row r;
	int rc = db_query_row(c->db, c->a, &r,
			      "SELECT entity, manual_member_id FROM ats_candidates"
			      " WHERE client_id = ? AND organization_id = ?"
			      " AND ats_candidate_id = ?",
			      "sis", client_id, org, ats_candidate_id);
	json_t *e;
	struct criteria k;
	struct matches *m;
	int64_t found = 0;
	size_t strong = 0;

	*member_id = 0;
	*manual = false;
	if (rc == DB_NOT_FOUND)
		return 0;
	if (rc != DB_OK)
		return -1;
	if (r.v[1]) {
		*member_id = db_int(&r, 1);
		*manual = true;
		return 0;
	}
	if (!r.v[0] || !(e = json_loads(r.v[0], 0, NULL)))
		return 0;
	if (!(m = arena_calloc(c->a, 1, sizeof(*m)))) {
		json_decref(e);
		return -1;
	}
	entity_criteria(c, e, &k);
	rc = find_matches(c, &k, false, true, m);
	json_decref(e);
	if (rc != DB_OK)
		return -1;
	for (size_t i = 0; i < m->n; i++)
		if (m->flags[i] & M_ALGORITHMIC) {
			strong++;
			found = m->id[i];
		}
	/* LinkedIn shows its match when there is one, not a guess among
	 * several */
	if (strong == 1)
		*member_id = found;
	return 0;
}

/* Whether the comma-separated projection fields names field (or is
 * empty). */
static bool projected(const char *fields, const char *field)
{
	size_t n = strlen(field);
	if (!fields || !*fields)
		return true;
	for (const char *p = fields; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, field, n))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

static void match_query(struct sb_ctx *c);

void sb_candidates_get(struct sb_ctx *c)
{
	const char *q = http_query(c->req, "q");
	const char *fields = http_query(c->req, "fields");
	struct sb_caller who;
	struct sb_rkey *keys;
	struct sb_batch b;
	size_t n;

	if (q) {
		match_query(c);
		return;
	}
	if (sb_caller_of(c, "atsCandidates.BATCH_GET.NO_VERSION", &who) < 0 ||
	    sb_query_keys(c, &keys, &n) < 0)
		return;
	sb_batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		const char *id, *why;
		struct db_row r;
		json_t *out, *urns;
		int status, rc;

		if ((why = key_refusal(c, &who, &keys[i], &id, &status))) {
			sb_batch_error(&b, keys[i].text, status, why);
			continue;
		}
		rc = db_query_row(c->db, c->a, &r,
				  "SELECT entity, manual_member_id"
				  " FROM ats_candidates WHERE client_id = ?"
				  " AND organization_id = ?"
				  " AND ats_candidate_id = ?",
				  "sis", who.client_id, who.org, id);
		if (rc == DB_NOT_FOUND) {
			sb_batch_error(&b, keys[i].text, 404,
				       "Candidate not found");
			continue;
		}
		if (rc != DB_OK)
			goto fail;
		out = r.v[0] ? json_loads(r.v[0], 0, NULL) : NULL;
		if (!out)
			out = json_object();
		/* the stored fields only when no projection asks otherwise */
		if (fields && *fields) {
			json_t *p = json_object();
			const char *k;
			json_t *v;
			json_object_foreach(out, k, v)
			{
				if (projected(fields, k))
					json_object_set(p, k, v);
			}
			json_decref(out);
			out = p;
		}
		urns = json_array();
		if (algorithmic(c, r.v[0], urns) != DB_OK) {
			json_decref(urns);
			json_decref(out);
			goto fail;
		}
		if (projected(fields, "matchedMembers"))
			json_object_set_new(out, "matchedMembers", urns);
		else
			json_decref(urns);
		if (r.v[1] && projected(fields, "manualMatchedMember")) {
			const char *urn = person_urn(c, db_int(&r, 1));
			if (!urn) {
				json_decref(out);
				goto fail;
			}
			json_object_set_new(out, "manualMatchedMember",
					    json_string(urn));
		}
		sb_batch_ok(&b, keys[i].text, out, 200);
	}
	sb_batch_answer(c, &b);
	return;
fail:
	json_decref(b.results);
	json_decref(b.statuses);
	json_decref(b.errors);
	sb_db_fail(c);
}

/* ------------------------------------------------------------ match query */

/* A query parameter of at most max bytes: 0 with *out (NULL when absent),
 * -1 after answering 400. */
static int param(struct sb_ctx *c, const char *name, size_t max,
		 const char **out)
{
	*out = http_query(c->req, name);
	if (*out && strlen(*out) > max) {
		sb_bad_param(c, name);
		return -1;
	}
	if (*out && !**out)
		*out = NULL;
	return 0;
}

static int cmp_strength(const void *a, const void *b, void *arg)
{
	const struct matches *m = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (m->flags[i] != m->flags[j]) {
		/* the strongest way each matched decides, then the next */
		return m->flags[i] > m->flags[j] ? -1 : 1;
	}
	return (i > j) - (i < j);
}

/*
 * GET /v2/atsCandidates?q=memberMatches (hirelink convention: LinkedIn
 * publishes no search; its profile plugin lets a user "find the correct
 * person").  The members a candidate may be, each with how it matched and
 * whether it has one of the given email addresses, never the address.
 * Writes nothing.
 */
static void match_query(struct sb_ctx *c)
{
	const char *q = http_query(c->req, "q"), *ctx, *member, *url;
	const struct http_params *qp = &c->req->query_params;
	struct sb_caller who;
	struct criteria k = {0};
	struct matches *m;
	int64_t start, count, named = 0;
	size_t *order, got = 0;
	json_t *elements;

	if (sb_caller_of(c, "atsCandidates.FINDER-memberMatches.NO_VERSION",
			 &who) < 0)
		return;
	if (strcmp(q, "memberMatches")) {
		sb_bad_param(c, "q");
		return;
	}
	if (param(c, "integrationContext", 100, &ctx) < 0 ||
	    param(c, "firstName", TEXT_MAX, &k.first) < 0 ||
	    param(c, "lastName", TEXT_MAX, &k.last) < 0 ||
	    param(c, "currentJobTitle", TEXT_MAX, &k.title) < 0 ||
	    param(c, "currentCompanyName", TEXT_MAX, &k.company) < 0 ||
	    param(c, "linkedInProfileUrl", URL_MAX, &url) < 0 ||
	    param(c, "member", 60, &member) < 0 ||
	    sb_paging(c, false, &start, &count) < 0)
		return;
	if (!ctx || strncmp(ctx, "urn:li:organization:", 20)) {
		sb_bad_param(c, "integrationContext");
		return;
	}
	if (strcmp(ctx, who.org_urn)) {
		const char *msg = arena_printf(
		    c->a, "Not enough permissions to access %.100s", ctx);
		sb_api_error(c, 403, 100, msg ? msg : "Not enough permissions");
		return;
	}
	k.vanity = vanity_of(c->a, url);
	for (size_t i = 0; i < qp->n; i++) {
		const char *v = qp->v[i].value;
		if (!strcmp(qp->v[i].name, "emailAddresses") && *v) {
			if (k.nemails == LIST_MAX || strlen(v) > 254) {
				sb_bad_param(c, "emailAddresses");
				return;
			}
			k.emails[k.nemails++] = v;
		} else if (!strcmp(qp->v[i].name, "phoneNumbers") && *v) {
			const char *d = digits_of(c->a, v);
			if (k.nphones == LIST_MAX || strlen(v) > 40) {
				sb_bad_param(c, "phoneNumbers");
				return;
			}
			if (d)
				k.phones[k.nphones++] = d;
		}
	}
	if (!(k.first && k.last) && !k.nemails && !k.nphones && !k.vanity &&
	    !member) {
		sb_api_error(c, 400, 100,
			     "Give firstName and lastName, emailAddresses, "
			     "phoneNumbers, linkedInProfileUrl or member");
		return;
	}
	if (!(m = arena_calloc(c->a, 1, sizeof(*m))) ||
	    !(order = arena_calloc(c->a, MATCH_MAX, sizeof(*order)))) {
		sb_db_fail(c);
		return;
	}
	if (member && (named = sb_member_lookup(c, member)) < 0) {
		sb_db_fail(c);
		return;
	}
	if (named > 0)
		match_add(m, named, M_MEMBER);
	if (find_matches(c, &k, true, false, m) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	for (size_t i = 0; i < m->n; i++)
		order[i] = i;
	qsort_r(order, m->n, sizeof(*order), cmp_strength, m);
	elements = json_array();
	for (size_t j = (size_t)start; j < m->n && got < (size_t)count; j++) {
		size_t i = order[j];
		struct db_row r;
		json_t *on = json_array();
		bool email_matched = false;

		if (db_query_row(c->db, c->a, &r,
				 "SELECT urn_id, first_name, last_name,"
				 " headline, location, vanity_name, email"
				 " FROM members WHERE id = ?",
				 "i", m->id[i]) != DB_OK) {
			json_decref(on);
			json_decref(elements);
			sb_db_fail(c);
			return;
		}
		for (size_t e = 0; r.v[6] && e < k.nemails; e++)
			email_matched = email_matched ||
					!strcasecmp(r.v[6], k.emails[e]);
		for (size_t f = 0; f < ARRAY_LEN(match_names); f++)
			if (m->flags[i] & match_names[f].flag)
				json_array_append_new(
				    on, json_string(match_names[f].name));
		json_array_append_new(
		    elements,
		    json_pack("{s:s+, s:s, s:s, s:s, s:s, s:s+, s:b, s:b, "
			      "s:o}",
			      "member", "urn:li:person:", r.v[0], "firstName",
			      r.v[1], "lastName", r.v[2], "headline", r.v[3],
			      "location", r.v[4], "publicProfileUrl",
			      "https://www.linkedin.com/in/", r.v[5],
			      "emailMatched", email_matched, "memberMatched",
			      (m->flags[i] & M_MEMBER) != 0, "matchedOn", on));
		got++;
	}
	sb_json(c, 200,
		json_pack("{s:o, s:o}", "elements", elements, "paging",
			  sb_paging_json(c, "/v2/atsCandidates", start, count,
					 (int64_t)m->n, got)));
}

/* ------------------------------------------------------------ control */

void sb_control_members_crafted(struct sb_ctx *c)
{
	json_t *out;

	if (sb_control_refused(c))
		return;
	out = json_array();
	for (size_t i = 0; i <= sb_ncrafted; i++) {
		const struct sb_crafted *k =
		    i < sb_ncrafted ? &sb_crafted_members[i] : &sb_crafted_none;
		json_t *e;
		if (i < sb_ncrafted) {
			struct db_row r;
			int rc = db_query_row(
			    c->db, c->a, &r,
			    "SELECT urn_id, headline, vanity_name FROM members"
			    " WHERE crafted = ?",
			    "s", k->label);
			if (rc != DB_OK) {
				json_decref(out);
				if (rc == DB_NOT_FOUND)
					sb_control_bad(
					    c, "the sandbox is not seeded with "
					       "crafted members (run seed)");
				else
					sb_db_fail(c);
				return;
			}
			e = json_pack("{s:s, s:s, s:s+}", "id", r.v[0],
				      "headline", r.v[1], "publicProfileUrl",
				      "https://www.linkedin.com/in/", r.v[2]);
		} else {
			e = json_pack("{s:n, s:s++, s:n}", "id", "headline",
				      k->title, " at ", k->company,
				      "publicProfileUrl");
		}
		json_object_update_new(
		    e, json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s, s:s, s:s}",
				 "label", k->label, "firstName", k->first,
				 "lastName", k->last, "email", k->email,
				 "phone", k->phone, "currentJobTitle",
				 k->title, "currentCompanyName", k->company,
				 "location", k->location));
		json_array_append_new(out, e);
	}
	sb_json(c, 200, json_pack("{s:o}", "elements", out));
}

void sb_control_candidates(struct sb_ctx *c)
{
	const char *client = http_query(c->req, "clientId");
	const char *id = http_query(c->req, "atsCandidateId");
	struct db_result res;
	json_t *out;

	if (sb_control_refused(c))
		return;
	if (!client || !*client) {
		sb_control_bad(c, "clientId is required");
		return;
	}
	if (db_query(c->db, c->a, &res,
		     "SELECT a.organization_id, a.ats_candidate_id, a.entity,"
		     " m.urn_id, a.updated_at FROM ats_candidates a"
		     " LEFT JOIN members m ON m.id = a.manual_member_id"
		     " WHERE a.client_id = ? AND (? IS NULL"
		     " OR a.ats_candidate_id = ?)"
		     " ORDER BY a.ats_candidate_id LIMIT 10000",
		     "sss", client, id, id) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	out = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		json_t *ent = v[2] ? json_loads(v[2], 0, NULL) : NULL;
		json_array_append_new(
		    out,
		    json_pack("{s:s, s:s+, s:s, s:o, s:o, s:I}", "clientId",
			      client, "integrationContext",
			      "urn:li:organization:", v[0], "atsCandidateId",
			      v[1], "candidate", ent ? ent : json_null(),
			      "manualMatchedMember",
			      v[3] ? json_sprintf("urn:li:person:%s", v[3])
				   : json_null(),
			      "updatedAt",
			      (json_int_t)db_int(&res.rows[i], 4)));
	}
	sb_json(c, 200, json_pack("{s:o}", "elements", out));
}
