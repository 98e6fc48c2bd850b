/*
 * stubs.c - InMail stub profiles (mailStubs) read per seat by the worker
 * and turned into candidates of the LinkedIn pool (stubs.h says how the
 * parts fit; CONTRACT-16 §3 and src/sandbox/README.md the wire).
 *
 * Why per seat and by cursor, as the activities: LinkedIn answers
 * mailStubs per contract, optionally per owner seat, for a window of
 * creation times.  Reading each seat from its own cursor lets the pool
 * page's Fetch now, a push notification naming one seat, and the
 * periodic read share one path and one cursor; a stub read twice (the
 * overlap, a push racing the poll) is applied once (talent_pool.c).
 * The cursor moves only after every page of the window is applied, so
 * a worker dying mid-read reads the window again.
 */
#include <string.h>

#include "ats/outbox.h"
#include "ats/talent_pool.h"
#include "linkedin/activities.h"
#include "linkedin/li_internal.h"
#include "linkedin/stubs.h"

/* A read holding more than this many pages is cut (a runaway). */
#define PAGES_MAX 100

static bool stubs_ready(const struct li_settings *s)
{
	return li_settings_ready(s) && s->contract_urn && *s->contract_urn &&
	       s->organization_urn && *s->organization_urn;
}

/* What one read of a seat did, for the log. */
struct stub_stats {
	int pages;
	size_t created, matched, seen, unusable;
};

/* Applies one element of a mailStubs page. */
static int stub_apply(struct li_worker *w, const char *seat, json_t *el,
		      struct stub_stats *st, struct li_error *err)
{
	const char *id = NULL, *owner = "", *member = "", *first = "",
		   *last = "", *email = "";
	int64_t created = 0;
	json_t *idv = json_object_get(el, "id");
	char num[32];
	/* an id LinkedIn sends as a number is the same id as text */
	if (json_is_integer(idv)) {
		snprintf(num, sizeof(num), "%lld",
			 (long long)json_integer_value(idv));
		id = num;
	}
	const struct li_field f[] = {
	    LI_STR("owner", false, &owner),
	    LI_STR("member", true, &member),
	    LI_STR("firstName", false, &first),
	    LI_STR("lastName", false, &last),
	    LI_STR("emailAddress", false, &email),
	    LI_INT("created", false, &created),
	};
	const struct li_field fid[] = {LI_STR("id", true, &id)};
	int rc = li_unpack(el, "mailStubs", f, ARRAY_LEN(f), err);
	if (rc == LI_OK && !id)
		rc = li_unpack(el, "mailStubs", fid, ARRAY_LEN(fid), err);
	if (rc != LI_OK)
		return rc;
	struct ats_stub s = {
	    .stub_id = id,
	    .seat_urn = *owner ? owner : seat,
	    .member_id = li_member_id_of(member),
	    .first_name = first,
	    .last_name = last,
	    .email = email,
	    .created_ms = created,
	};
	enum ats_stub_outcome out;
	if (ats_stub_apply(w->db, w->arena, &s, &out, NULL) != DB_OK) {
		li_err_set(err, LI_ERR_DB, 0, "", "cannot keep a stub: %s",
			   db_error(w->db));
		return LI_ERR_DB;
	}
	switch (out) {
	case ATS_STUB_CREATED:
		st->created++;
		break;
	case ATS_STUB_MATCHED:
		st->matched++;
		break;
	case ATS_STUB_SEEN:
		st->seen++;
		break;
	case ATS_STUB_UNUSABLE:
		st->unusable++;
		break;
	}
	return LI_OK;
}

/* The seat's stubs created in [lo, hi), every page. */
static int seat_read(struct li_worker *w, const struct li_settings *s,
		     const char *seat, int64_t lo, int64_t hi,
		     struct stub_stats *st, struct li_error *err)
{
	struct buf path = BUF_INIT;
	buf_adds(&path, "/v2/mailStubs?q=contract&contract=");
	buf_add_url(&path, s->contract_urn, strlen(s->contract_urn));
	buf_adds(&path, "&owners=");
	buf_add_url(&path, seat, strlen(seat));
	buf_addf(&path, "&createdDateStart=%lld&createdDateEnd=%lld",
		 (long long)lo, (long long)hi);
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
				     "/v2/mailStubs", start, &elements, &total,
				     err);
		if (rc != LI_OK)
			return rc;
		st->pages++;
		json_array_foreach(elements, i, el)
		{
			rc = stub_apply(w, seat, el, st, err);
			if (rc != LI_OK)
				return rc;
		}
		start += (int64_t)json_array_size(elements);
		if (!json_array_size(elements) || (total >= 0 && start >= total))
			return LI_OK;
	}
	return LI_OK;
}

/* One claim of a seat's stubs, from its cursor (a little before it) or
 * the backfill's start to now. */
static enum li_seat_polled stubs_poll(struct li_worker *w,
				      const struct li_settings *s,
				      struct li_outbox_item *it,
				      const char **urn, struct li_error *err)
{
	struct db_row row;
	struct stub_stats st = {0};
	int rc = db_query_row(w->db, w->arena, &row,
			      "SELECT seat_urn, stubs_cursor_ms, active FROM "
			      "li_seats WHERE id = ?",
			      "i", (int64_t)it->entity_id);
	if (rc == DB_NOT_FOUND || (rc == DB_OK && db_int(&row, 2) != 1))
		return LI_SEAT_NONE;
	if (rc != DB_OK)
		return LI_SEAT_DB_FAILED;
	const char *seat = *urn = row.v[0];
	int64_t cursor = db_int(&row, 1);
	int64_t now = time_now_ms();
	int64_t lo = cursor <= 0 || cursor < now - LI_STUB_BACKFILL_MS
			 ? now - LI_STUB_BACKFILL_MS
			 : cursor - LI_STUB_OVERLAP_MS;
	int64_t t0 = time_mono_us();
	if (seat_read(w, s, seat, lo, now, &st, err) != LI_OK)
		return LI_SEAT_FAILED;
	db_exec(w->db, NULL,
		"UPDATE li_seats SET stubs_cursor_ms = ?, stubs_polled_at = "
		"NOW(3), stubs_next_poll_at = NOW(3) + INTERVAL ? MINUTE, "
		"stubs_error = NULL, stubs_error_at = NULL WHERE id = ?",
		"iii", now, (int64_t)w->cfg->linkedin_stubs_poll_minutes,
		(int64_t)it->entity_id);
	/* a read that found nothing is the common case: not worth a line a
	 * seat every interval */
	log_msg(st.created + st.matched + st.unusable ? LOG_INFO : LOG_DEBUG,
		"talent pool: seat %s: %d pages, %zu stubs made candidates, "
		"%zu matched, %zu seen, %zu unusable (%lld ms)",
		seat, st.pages, st.created, st.matched, st.seen, st.unusable,
		(long long)((time_mono_us() - t0) / 1000));
	return LI_SEAT_POLLED;
}

static const struct li_seat_poll stubs_seat_poll = {
    .name = "talent pool",
    .kind = LI_OUTBOX_STUB_POLL,
    .ready = stubs_ready,
    .poll = stubs_poll,
    .error_sql = "UPDATE li_seats SET stubs_error = ?, stubs_error_at = "
		 "NOW(3) WHERE id = ?",
    .later_sql = "UPDATE li_seats SET stubs_next_poll_at = NOW(3) + "
		 "INTERVAL ? MINUTE WHERE id = ?",
    .due_sql = "SELECT s.id FROM li_seats s WHERE s.active = 1 AND "
	       "s.stubs_next_poll_at <= NOW(3) AND NOT EXISTS (SELECT 1 FROM "
	       "outbox o WHERE o.kind = ? AND o.entity_id = s.id) LIMIT 1000",
};

void li_send_stub_polls(struct li_worker *w, struct li_outbox_item *items,
			size_t n)
{
	li_seat_polls_send(w, items, n, &stubs_seat_poll,
			   w->cfg->linkedin_stubs_poll_minutes);
}

int li_stubs_schedule(struct li_worker *w)
{
	struct li_settings s;
	arena_reset(w->arena);
	int rc = li_settings_load(w->db, w->arena, w->cfg, &s);
	if (rc != DB_OK || !stubs_ready(&s))
		return rc;
	return li_seat_polls_schedule(w, &stubs_seat_poll);
}

struct ask_txn {
	int64_t seats;
};

static int ask_txn(struct db *db, struct arena *a, void *arg)
{
	struct ask_txn *x = arg;
	struct db_result res;
	x->seats = 0;
	/* the seats first: one given at LinkedIn since is read too (it
	 * comes with its stubs due now) */
	int rc = ats_outbox_mark(db, LI_OUTBOX_SEATS, LI_SEATS_ENTITY);
	if (rc == DB_OK)
		rc = db_query(db, a, &res,
			      "SELECT id FROM li_seats WHERE active = 1 LIMIT "
			      "1000",
			      "");
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++) {
		rc = ats_outbox_mark(db, LI_OUTBOX_STUB_POLL,
				     (uint64_t)db_int(&res.rows[i], 0));
		x->seats++;
	}
	return rc;
}

int li_stubs_ask(struct db *db, int64_t *seats)
{
	struct ask_txn x = {0};
	int rc = db_transaction(db, ask_txn, &x);
	if (seats)
		*seats = x.seats;
	return rc;
}

static int seat_ask_txn(struct db *db, struct arena *a, void *arg)
{
	const char *seat = arg;
	struct db_row row;
	int rc = db_exec(db, NULL,
			 "INSERT IGNORE INTO li_seats (seat_urn, member_urn) "
			 "VALUES (?, '')",
			 "s", seat);
	if (rc == DB_OK)
		rc = db_query_row(db, a, &row,
				  "SELECT id FROM li_seats WHERE seat_urn = ?",
				  "s", seat);
	if (rc == DB_OK)
		rc = ats_outbox_mark(db, LI_OUTBOX_STUB_POLL,
				     (uint64_t)db_int(&row, 0));
	return rc;
}

int li_stubs_seat_ask(struct db *db, const char *seat_urn)
{
	return db_transaction(db, seat_ask_txn, (void *)seat_urn);
}

int li_stubs_state(struct db *db, struct arena *a, struct li_stubs_state *out)
{
	struct db_row row;
	*out = (struct li_stubs_state){"", "", false, 0};
	int rc = db_query_row(
	    db, a, &row,
	    "SELECT COUNT(*), COALESCE(DATE_FORMAT(MIN(s.stubs_polled_at), "
	    "'%Y-%m-%d %H:%i'), ''), COALESCE((SELECT s2.stubs_error FROM "
	    "li_seats s2 WHERE s2.active = 1 AND s2.stubs_error IS NOT NULL "
	    "ORDER BY s2.stubs_error_at DESC LIMIT 1), ''), EXISTS (SELECT 1 "
	    "FROM outbox o WHERE o.kind = ? AND o.state = 'pending') FROM "
	    "li_seats s WHERE s.active "
	    "= 1",
	    "s", LI_OUTBOX_STUB_POLL);
	if (rc != DB_OK)
		return rc;
	out->seats = db_int(&row, 0);
	out->polled_at = row.v[1];
	out->error = row.v[2];
	out->pending = db_int(&row, 3) == 1;
	return DB_OK;
}
