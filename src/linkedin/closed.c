/*
 * closed.c - the closed-profiles check (closed.h): the members LinkedIn
 * says closed their account, stored with the candidate each concerns.
 *
 * A member is ours by either key LinkedIn gives: the atsCandidateId
 * hirelink synced ("<instance>-C-<id>", of this instance only), else the
 * member id a candidate is linked to.  Each check asks for members closed
 * since a day before the last complete check began (closedSince; 0 the
 * first time), so a check that failed halfway or a member LinkedIn listed
 * late is not missed; rows are kept by member, so twice is once.
 */
#include <stdlib.h>
#include <string.h>

#include "ats/candidate_links.h"
#include "ats/outbox.h"
#include "linkedin/candidates.h"
#include "linkedin/closed.h"
#include "linkedin/li_internal.h"

#define PAGES_MAX 1000
#define SINCE_OVERLAP_MS (24LL * 60 * 60 * 1000)

/* The candidate of ats_id (one of this instance's atsCandidateIds), else
 * of member; 0 when none. */
static int64_t candidate_of(struct li_worker *w, const char *instance,
			    const char *ats_id, const char *member)
{
	struct db_row row;
	size_t n = strlen(instance);
	if (ats_id && !strncmp(ats_id, instance, n) &&
	    !strncmp(ats_id + n, "-C-", 3)) {
		char *end;
		long long id = strtoll(ats_id + n + 3, &end, 10);
		if (id > 0 && !*end &&
		    db_query_row(w->db, w->arena, &row,
				 "SELECT id FROM candidates WHERE id = ?", "i",
				 (int64_t)id) == DB_OK)
			return id;
	}
	if (*member && db_query_row(w->db, w->arena, &row,
				    "SELECT id FROM candidates WHERE "
				    "linkedin_member_id = ?",
				    "s", member) == DB_OK)
		return db_int(&row, 0);
	return 0;
}

static int check_run(struct li_worker *w, const struct li_settings *s,
		     int64_t since, size_t *found, struct li_error *err)
{
	const char *instance;
	if (li_instance_id(w->db, w->arena, &instance) != DB_OK) {
		li_err_set(err, LI_ERR_DB, 0, "", "database: %s",
			   db_error(w->db));
		return LI_ERR_DB;
	}
	struct buf path = BUF_INIT;
	buf_adds(&path, "/v2/closedCandidateProfiles?q=integrationContext&"
			"integrationContext=");
	buf_add_url(&path, s->organization_urn, strlen(s->organization_urn));
	buf_addf(&path, "&closedSince=%lld", (long long)since);
	const char *query = buf_failed(&path)
				? NULL
				: arena_strdup(w->arena, path.data);
	buf_release(&path);
	if (!query)
		return li_err_oom(err);
	int64_t start = 0;
	for (int page = 0; page < PAGES_MAX; page++) {
		json_t *elements, *el;
		int64_t total;
		size_t i;
		int rc = li_page_get(w->li, w->db, w->arena, s, query,
				     "/v2/closedCandidateProfiles", start,
				     &elements, &total, err);
		if (rc != LI_OK)
			return rc;
		json_array_foreach(elements, i, el)
		{
			const char *ats_id = NULL, *member = NULL;
			int64_t closed = 0;
			const struct li_field f[] = {
			    LI_STR("atsCandidateId", false, &ats_id),
			    LI_STR("member", true, &member),
			    LI_INT("closedAt", false, &closed),
			};
			rc = li_unpack(el, "closedCandidateProfiles", f,
				       ARRAY_LEN(f), err);
			if (rc != LI_OK)
				return rc;
			const char *mid = li_member_id_of(member);
			if (!ats_li_member_id_valid(mid))
				continue; /* nothing of ours is keyed so */
			int64_t cand = candidate_of(w, instance, ats_id, mid);
			if (db_exec(w->db, NULL,
				    "INSERT INTO li_closed_profiles (member_id, "
				    "ats_candidate_id, closed_ms, candidate_id) "
				    "VALUES (?, ?, ?, NULLIF(?, 0)) ON DUPLICATE "
				    "KEY UPDATE ats_candidate_id = "
				    "COALESCE(VALUES(ats_candidate_id), "
				    "ats_candidate_id), closed_ms = "
				    "VALUES(closed_ms), candidate_id = "
				    "COALESCE(VALUES(candidate_id), "
				    "candidate_id)",
				    "ssii", mid, ats_id, closed, cand) != DB_OK) {
				li_err_set(err, LI_ERR_DB, 0, "",
					   "cannot store a closed profile: %s",
					   db_error(w->db));
				return LI_ERR_DB;
			}
			(*found)++;
		}
		start += (int64_t)json_array_size(elements);
		if (!json_array_size(elements) || (total >= 0 && start >= total))
			return LI_OK;
	}
	return LI_OK;
}

void li_send_closed_checks(struct li_worker *w, struct li_outbox_item *items,
			   size_t n)
{
	struct li_settings s;
	struct li_error err = {0};
	struct db_row row;
	if (li_settings_load(w->db, w->arena, w->cfg, &s) != DB_OK ||
	    db_query_row(w->db, w->arena, &row,
			 "SELECT since_ms FROM li_closed_check WHERE id = 1",
			 "") != DB_OK) {
		for (size_t i = 0; i < n; i++)
			snprintf(items[i].error, sizeof(items[i].error),
				 "cannot read the LinkedIn settings");
		return;
	}
	int rc = LI_OK;
	size_t found = 0;
	int64_t began = time_now_ms();
	if (li_settings_ready(&s) && *s.organization_urn && w->li)
		rc = check_run(w, &s, db_int(&row, 0), &found, &err);
	else
		li_err_set(&err, LI_ERR_CONFIG, 0, "",
			   "the LinkedIn integration is not set up"),
		    rc = LI_ERR_CONFIG;
	if (rc == LI_OK) {
		db_exec(w->db, NULL,
			"UPDATE li_closed_check SET checked_at = NOW(3), "
			"since_ms = ?, last_error = NULL, last_error_at = NULL "
			"WHERE id = 1",
			"i", began - SINCE_OVERLAP_MS);
		log_info("closed profiles: %zu members listed", found);
	} else {
		log_warn("closed profiles: %s", li_error_text(&err));
		db_exec(w->db, NULL,
			"UPDATE li_closed_check SET last_error = ?, "
			"last_error_at = NOW(3) WHERE id = 1",
			"s", li_error_text(&err));
	}
	for (size_t i = 0; i < n; i++) {
		if (rc == LI_OK || !li_error_transient(&err) ||
		    rc == LI_ERR_CONFIG) {
			/* the scheduler asks again at the next interval; a
			 * dead row would stop that */
			items[i].result = LI_ITEM_DONE;
			continue;
		}
		items[i].result = LI_ITEM_RETRY;
		items[i].retry_after_ms = (long)err.retry_after_ms;
		snprintf(items[i].error, sizeof(items[i].error), "%s",
			 li_error_text(&err));
	}
}

int li_closed_schedule(struct li_worker *w)
{
	struct li_settings s;
	struct db_row row;
	arena_reset(w->arena);
	int rc = li_settings_load(w->db, w->arena, w->cfg, &s);
	if (rc != DB_OK || !li_settings_ready(&s) || !*s.organization_urn)
		return rc;
	rc = db_query_row(
	    w->db, w->arena, &row,
	    "SELECT 1 FROM li_closed_check c WHERE c.id = 1 AND "
	    "(c.checked_at IS NULL OR c.checked_at < NOW(3) - INTERVAL ? DAY) "
	    "AND (c.last_error_at IS NULL OR c.last_error_at < NOW(3) - "
	    "INTERVAL 1 HOUR) AND NOT EXISTS (SELECT 1 FROM outbox o WHERE "
	    "o.kind = ? AND o.entity_id = ?)",
	    "isi", (int64_t)w->cfg->linkedin_closed_check_days,
	    LI_OUTBOX_CLOSED_CHECK, (int64_t)LI_CLOSED_ENTITY);
	if (rc == DB_OK)
		rc = ats_outbox_mark(w->db, LI_OUTBOX_CLOSED_CHECK,
				     LI_CLOSED_ENTITY);
	return rc == DB_NOT_FOUND ? DB_OK : rc;
}

static int ask_txn(struct db *db, struct arena *a, void *arg)
{
	(void)a;
	(void)arg;
	int rc = db_exec(db, NULL,
			 "UPDATE li_closed_check SET asked_at = NOW(3) WHERE "
			 "id = 1",
			 "");
	return rc == DB_OK ? ats_outbox_mark(db, LI_OUTBOX_CLOSED_CHECK,
					     LI_CLOSED_ENTITY)
			   : rc;
}

int li_closed_ask(struct db *db)
{
	return db_transaction(db, ask_txn, NULL);
}

/* Whether candidate c (joined, maybe NULL) still holds LinkedIn data. */
#define HOLDS_LINKEDIN_DATA                                                    \
	"(c.id IS NOT NULL AND (c.linkedin_member_id IS NOT NULL OR "          \
	"c.linkedin_url <> '' OR c.headline <> '' OR c.current_title <> '' "   \
	"OR c.current_company <> '' OR EXISTS (SELECT 1 FROM li_mail_stubs "   \
	"m WHERE m.candidate_id = c.id AND m.erased = 0)))"

int li_closed_state(struct db *db, struct arena *a, int64_t offset,
		    int64_t limit, struct li_closed_state *out)
{
	struct db_row row;
	struct db_result res;
	*out = (struct li_closed_state){"", "", false, NULL, 0, 0, 0};
	int rc = db_query_row(
	    db, a, &row,
	    "SELECT COALESCE(DATE_FORMAT(c.checked_at, '%Y-%m-%d %H:%i'), ''), "
	    "COALESCE(c.last_error, ''), EXISTS (SELECT 1 FROM outbox o WHERE "
	    "o.kind = ? AND o.entity_id = ? AND o.state <> 'dead') FROM "
	    "li_closed_check c WHERE c.id = 1",
	    "si", LI_OUTBOX_CLOSED_CHECK, (int64_t)LI_CLOSED_ENTITY);
	if (rc != DB_OK)
		return rc;
	out->checked_at = row.v[0];
	out->error = row.v[1];
	out->pending = db_int(&row, 2) == 1;
	rc = db_query_row(db, a, &row,
			  "SELECT COUNT(*), COALESCE(SUM(" HOLDS_LINKEDIN_DATA
			  "), 0) FROM li_closed_profiles p LEFT JOIN "
			  "candidates c ON c.id = p.candidate_id",
			  "");
	if (rc != DB_OK)
		return rc;
	out->total = db_int(&row, 0);
	out->to_erase = db_int(&row, 1);
	rc = db_query(
	    db, a, &res,
	    "SELECT p.id, p.member_id, DATE_FORMAT(FROM_UNIXTIME(p.closed_ms "
	    "/ 1000), '%Y-%m-%d %H:%i'), COALESCE(p.candidate_id, 0), "
	    "COALESCE(CONCAT_WS(' ', c.first_name, NULLIF(c.last_name, '')), "
	    "''), " HOLDS_LINKEDIN_DATA ", "
	    "COALESCE(DATE_FORMAT(p.erased_at, '%Y-%m-%d %H:%i'), ''), "
	    "COALESCE(u.name, '') FROM li_closed_profiles p LEFT JOIN "
	    "candidates c ON c.id = p.candidate_id LEFT JOIN users u ON u.id "
	    "= p.erased_by ORDER BY p.erased_at IS NOT NULL, p.id DESC LIMIT "
	    "?, ?",
	    "ii", offset, limit);
	if (rc != DB_OK)
		return rc;
	out->v = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		const struct db_row *r = &res.rows[i];
		out->v[out->n++] = (struct li_closed_row){
		    db_int(r, 0), r->v[1], r->v[2] ? r->v[2] : "",
		    db_int(r, 3), r->v[4], db_int(r, 5) == 1, r->v[6], r->v[7]};
	}
	return DB_OK;
}
