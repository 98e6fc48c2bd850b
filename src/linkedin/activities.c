/*
 * activities.c - Recruiting activities (F9) from LinkedIn: the seats of
 * the contract (/v2/seats), each seat's InMail history (conversationEvents)
 * and Recruiter notes (prospectNotes), read by the worker and stored for
 * the candidate's tab (activities.h says how the parts fit;
 * /work/CONTRACT-15.md §3-5 and src/sandbox/README.md the wire).
 *
 * Why windows and cursors: LinkedIn answers these two APIs for at most
 * 12 hours at a time (it recommends it; the sandbox enforces it), so a
 * seat is read window by window from its cursor to now, every page of
 * each window, and the cursor moves only once a window is stored: a worker
 * stopped for a day catches up on its next pass, a crash mid-window reads
 * that window again (rows are kept by LinkedIn's id, so twice is once).
 *
 * What must never happen here: InMail content reaching anything.  An
 * event's eventContent is not read at all (li_unpack takes named members
 * only), no answer body is logged, and no error message quotes one.
 */
#include <string.h>

#include "ats/access.h"
#include "ats/outbox.h"
#include "linkedin/activities.h"
#include "linkedin/answers.h"
#include "linkedin/li_internal.h"

/* Pages: as many elements as LinkedIn gives at once. */
#define PAGE_COUNT 100
/* A window holding more than this many pages is cut (a runaway). */
#define PAGES_MAX 100

/* ------------------------------------------------------------ the wire */

/* One page of a finder (li_internal.h). */
int li_page_get(struct li_client *li, struct db *db, struct arena *a,
		const struct li_settings *s, const char *path,
		const char *label, int64_t start, json_t **elements,
		int64_t *total, struct li_error *err)
{
	json_t *paging = NULL;
	const struct li_field f[] = {
	    LI_ARRAY("elements", true, elements),
	    LI_OBJECT("paging", false, &paging),
	};
	const struct li_field pf[] = {LI_INT("total", false, total)};
	const char *full = arena_printf(a, "%s&start=%lld&count=%d", path,
					(long long)start, PAGE_COUNT);
	if (!full)
		return li_err_oom(err);
	struct li_req rq = {
	    .method = "GET",
	    .base = li->s->cfg->linkedin_api_base,
	    .path = full,
	    .label = label,
	};
	struct li_resp r;
	*total = -1;
	int rc = li_app_call(li, db, a, s, &rq, &r, err);
	if (rc == LI_OK)
		rc = li_unpack(r.json, label, f, ARRAY_LEN(f), err);
	if (rc == LI_OK && paging)
		rc = li_unpack(paging, "paging", pf, ARRAY_LEN(pf), err);
	return rc;
}


/* s cut to at most max bytes, at a UTF-8 character boundary. */
static const char *cut_utf8(struct arena *a, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return s;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return arena_strndup(a, s, max);
}

/* ------------------------------------------------------------ seats */

struct seats_store {
	struct li_seat *v;
	size_t n;
};

/* Stores the seats LinkedIn listed: each upserted active, the others made
 * inactive, then every connection's seat from them. */
static int seats_store_txn(struct db *db, struct arena *a, void *arg)
{
	struct seats_store *x = arg;
	int rc = db_exec(db, NULL, "UPDATE li_seats SET active = 2 WHERE "
				   "active = 1", "");
	for (size_t i = 0; rc == DB_OK && i < x->n; i++) {
		const struct li_seat *e = &x->v[i];
		rc = db_exec(
		    db, NULL,
		    "INSERT INTO li_seats (seat_urn, member_urn, first_name, "
		    "last_name, seat_type, active) VALUES (?, ?, ?, ?, ?, 1) "
		    "ON DUPLICATE KEY UPDATE member_urn = VALUES(member_urn), "
		    "first_name = VALUES(first_name), last_name = "
		    "VALUES(last_name), seat_type = VALUES(seat_type), "
		    "next_poll_at = IF(active = 0, NOW(3), next_poll_at), "
		    "active = 1",
		    "sssss", e->seat, e->member, cut_utf8(a, e->first, 200),
		    cut_utf8(a, e->last, 200), e->type);
	}
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE li_seats SET active = 0 WHERE active = 2",
			     "");
	/* a seat given, changed or taken away at LinkedIn reaches the
	 * connected user without a reconnect */
	if (rc == DB_OK)
		rc = db_exec(
		    db, NULL,
		    "UPDATE linkedin_connections c LEFT JOIN li_seats s ON "
		    "s.member_urn = c.member_urn AND s.active = 1 SET "
		    "c.seat_type = COALESCE(s.seat_type, 'none'), c.seat_urn "
		    "= s.seat_urn",
		    "");
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE li_activity_sync SET seats_read_at = "
			     "NOW(3), seats_error = NULL WHERE id = 1",
			     "");
	(void)a;
	return rc;
}

/* Reads every page of the contract's active seats and stores them. */
static int seats_refresh(struct li_worker *w, const struct li_settings *s,
			 struct li_error *err)
{
	struct buf path = BUF_INIT;
	buf_adds(&path, "/v2/seats?q=seatsByAttributes&active=true&contracts=");
	buf_add_url(&path, s->contract_urn, strlen(s->contract_urn));
	const char *query = buf_failed(&path)
				? NULL
				: arena_strdup(w->arena, path.data);
	buf_release(&path);
	if (!query)
		return li_err_oom(err);
	struct seats_store x = {0};
	size_t cap = 0;
	int64_t start = 0;
	for (int page = 0; page < PAGES_MAX; page++) {
		json_t *elements, *el;
		int64_t total;
		size_t i;
		int rc = li_page_get(w->li, w->db, w->arena, s, query,
				  "/v2/seats", start, &elements, &total, err);
		if (rc != LI_OK)
			return rc;
		json_array_foreach(elements, i, el)
		{
			x.v = arena_grow(w->arena, x.v, x.n, &cap,
					 sizeof(*x.v), 32);
			if (!x.v)
				return li_err_oom(err);
			rc = li_seat_read(w->arena, el, &x.v[x.n], err);
			if (rc != LI_OK)
				return rc;
			x.n++;
		}
		start += (int64_t)json_array_size(elements);
		if (!json_array_size(elements) || (total >= 0 && start >= total))
			break;
	}
	if (db_transaction(w->db, seats_store_txn, &x) != DB_OK) {
		li_err_set(err, LI_ERR_DB, 0, "", "cannot store the seats: %s",
			   db_error(w->db));
		return LI_ERR_DB;
	}
	log_info("activities: %zu seats read from LinkedIn", x.n);
	return LI_OK;
}

/* Whether the integration can read activities: set up, with a contract. */
static bool activities_ready(const struct li_settings *s)
{
	return li_settings_ready(s) && s->contract_urn && *s->contract_urn &&
	       s->organization_urn && *s->organization_urn;
}

bool li_activities_ready(const struct li_settings *s)
{
	return activities_ready(s);
}

void li_item_failed(struct li_outbox_item *it, const struct li_error *err)
{
	it->result = li_error_transient(err) ? LI_ITEM_RETRY : LI_ITEM_FAILED;
	it->retry_after_ms = (long)err->retry_after_ms;
	snprintf(it->error, sizeof(it->error), "%s", li_error_text(err));
}

void li_send_seats(struct li_worker *w, struct li_outbox_item *items,
		   size_t n)
{
	struct li_settings s;
	struct li_error err = {0};
	if (li_settings_load(w->db, w->arena, w->cfg, &s) != DB_OK) {
		for (size_t i = 0; i < n; i++)
			snprintf(items[i].error, sizeof(items[i].error),
				 "cannot read the LinkedIn settings");
		return;
	}
	int rc = LI_OK;
	if (activities_ready(&s) && w->li)
		rc = seats_refresh(w, &s, &err);
	if (rc != LI_OK) {
		db_exec(w->db, NULL,
			"UPDATE li_activity_sync SET seats_error = ?, "
			"seats_error_at = NOW(3) WHERE id = 1",
			"s", li_error_text(&err));
		log_warn("activities: cannot read the seats: %s",
			 li_error_text(&err));
	}
	for (size_t i = 0; i < n; i++) {
		if (rc == LI_OK)
			items[i].result = LI_ITEM_DONE;
		else if (!li_error_transient(&err))
			/* the scheduler asks again at the next interval;
			 * a dead row would stop that */
			items[i].result = LI_ITEM_DONE;
		else
			li_item_failed(&items[i], &err);
	}
}

/* ------------------------------------------------------------ one seat */

struct seat_row {
	int64_t id;
	const char *seat_urn;
	int64_t events_cursor, notes_cursor;
	bool active;
	/* the InMail window a throttle stopped, and the offset reached in
	 * it (sql/138); window 0: none */
	int64_t events_window, events_offset;
};

static int seat_load(struct db *db, struct arena *a, int64_t id,
		     struct seat_row *out)
{
	struct db_row row;
	int rc = db_query_row(db, a, &row,
			      "SELECT seat_urn, events_cursor_ms, "
			      "notes_cursor_ms, active, "
			      "COALESCE(events_window_ms, 0), "
			      "events_window_offset FROM li_seats WHERE id = ?",
			      "i", id);
	if (rc != DB_OK)
		return rc;
	*out = (struct seat_row){.id = id,
				 .seat_urn = row.v[0],
				 .events_cursor = db_int(&row, 1),
				 .notes_cursor = db_int(&row, 2),
				 .active = db_int(&row, 3) == 1,
				 .events_window = db_int(&row, 4),
				 .events_offset = db_int(&row, 5)};
	return DB_OK;
}

/* One page of events, stored in one transaction. */
struct events_page {
	const char *seat;
	json_t *elements;
	struct li_error *err;
	size_t stored;
};

static int events_store_txn(struct db *db, struct arena *a, void *arg)
{
	struct events_page *x = arg;
	json_t *el;
	size_t i;
	x->stored = 0;
	json_array_foreach(x->elements, i, el)
	{
		struct li_event ev;
		if (li_event_read(a, el, &ev, x->err) != LI_OK)
			return DB_ERROR;
		const char *id = ev.id, *conv = ev.conversation;
		const char *member = ev.member;
		int64_t created = ev.created;
		bool inbound = ev.inbound;
		bool replied = false;
		if (!inbound) {
			struct db_row row;
			int rc = db_query_row(
			    db, a, &row,
			    "SELECT 1 FROM li_inmail_activity WHERE seat_urn = "
			    "? AND conversation_urn = ? AND direction = "
			    "'INBOUND' LIMIT 1",
			    "ss", x->seat, conv);
			if (rc != DB_OK && rc != DB_NOT_FOUND)
				return rc;
			replied = rc == DB_OK;
		}
		uint64_t added = 0;
		int rc = db_exec(
		    db, &added,
		    "INSERT IGNORE INTO li_inmail_activity (seat_urn, "
		    "event_id, conversation_urn, prospect_member_id, "
		    "direction, created_ms, replied) VALUES (?, ?, ?, ?, ?, "
		    "?, ?)",
		    "sssssii", x->seat, id, conv, member,
		    inbound ? "INBOUND" : "OUTBOUND", created,
		    (int64_t)replied);
		if (rc == DB_OK && inbound)
			/* the reply may come windows after the InMail */
			rc = db_exec(db, NULL,
				     "UPDATE li_inmail_activity SET replied = 1 "
				     "WHERE seat_urn = ? AND conversation_urn "
				     "= ? AND direction = 'OUTBOUND' AND "
				     "replied = 0",
				     "ss", x->seat, conv);
		if (rc != DB_OK)
			return rc;
		x->stored += added;
	}
	return DB_OK;
}

struct notes_page {
	const char *seat, *contract;
	json_t *elements;
	struct li_error *err;
	size_t stored, removed;
};

static int notes_store_txn(struct db *db, struct arena *a, void *arg)
{
	struct notes_page *x = arg;
	json_t *el;
	size_t i;
	x->stored = x->removed = 0;
	json_array_foreach(x->elements, i, el)
	{
		struct li_note nt;
		if (li_note_read(a, el, &nt, x->err) != LI_OK)
			return DB_ERROR;
		const char *id = nt.id, *owner = nt.owner, *member = nt.member;
		const char *note = nt.note, *vis = nt.is_public ? "PUBLIC"
								: "PRIVATE";
		bool active = nt.active;
		int64_t created = nt.created, modified = nt.modified;
		uint64_t n = 0;
		int rc;
		if (!active) {
			rc = db_exec(db, &n,
				     "DELETE FROM li_recruiter_notes WHERE "
				     "note_id = ?",
				     "s", id);
			x->removed += n;
		} else {
			rc = db_exec(
			    db, &n,
			    "INSERT INTO li_recruiter_notes (note_id, "
			    "contract_urn, owner_seat_urn, prospect_member_id, "
			    "visibility, note, created_ms, last_modified_ms) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY "
			    "UPDATE owner_seat_urn = IF(VALUES(last_modified_ms) "
			    ">= last_modified_ms, VALUES(owner_seat_urn), "
			    "owner_seat_urn), prospect_member_id = "
			    "IF(VALUES(last_modified_ms) >= last_modified_ms, "
			    "VALUES(prospect_member_id), prospect_member_id), "
			    "visibility = IF(VALUES(last_modified_ms) >= "
			    "last_modified_ms, VALUES(visibility), visibility), "
			    "note = IF(VALUES(last_modified_ms) >= "
			    "last_modified_ms, VALUES(note), note), "
			    "last_modified_ms = GREATEST(last_modified_ms, "
			    "VALUES(last_modified_ms))",
			    "ssssssii", id, x->contract, owner, member, vis,
			    cut_utf8(a, note, LI_NOTE_MAX),
			    created ? created : modified, modified);
			x->stored += n ? 1 : 0;
		}
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

/* What one claim of a seat did, for the log. */
struct poll_stats {
	int windows, pages;
	size_t events, notes, removed;
};

/* Reads one window [lo, hi) of the seat's InMail history, every page,
 * storing each page. */
static int events_window(struct li_worker *w, const struct li_settings *s,
			 const struct seat_row *seat, int64_t lo, int64_t hi,
			 struct poll_stats *st, struct li_error *err)
{
	struct buf path = BUF_INIT;
	buf_adds(&path, "/v2/conversationEvents?q=criteria&viewer=");
	buf_add_url(&path, seat->seat_urn, strlen(seat->seat_urn));
	buf_addf(&path, "&timeRange.start=%lld&timeRange.end=%lld",
		 (long long)lo, (long long)hi);
	const char *query = buf_failed(&path)
				? NULL
				: arena_strdup(w->arena, path.data);
	buf_release(&path);
	if (!query)
		return li_err_oom(err);
	/* on from where a throttle stopped this window, else its start */
	int64_t start = seat->events_window == lo ? seat->events_offset : 0;
	for (int page = 0; page < PAGES_MAX; page++) {
		json_t *elements;
		int64_t total;
		int rc = li_page_get(w->li, w->db, w->arena, s, query,
				  "/v2/conversationEvents", start, &elements,
				  &total, err);
		if (rc != LI_OK)
			return rc;
		st->pages++;
		struct events_page x = {seat->seat_urn, elements, err, 0};
		err->kind = LI_OK;
		rc = db_transaction(w->db, events_store_txn, &x);
		if (rc != DB_OK) {
			if (err->kind == LI_OK)
				li_err_set(err, LI_ERR_DB, 0, "",
					   "cannot store InMail activity: %s",
					   db_error(w->db));
			return err->kind;
		}
		st->events += x.stored;
		start += (int64_t)json_array_size(elements);
		if (!json_array_size(elements) || (total >= 0 && start >= total))
			return LI_OK;
		/* LinkedIn may refuse the next page (12 records a member a
		 * minute): the retry goes on from here, not from the start,
		 * which the same throttle would stop at the same page */
		if (db_exec(w->db, NULL,
			    "UPDATE li_seats SET events_window_ms = ?, "
			    "events_window_offset = ? WHERE id = ?",
			    "iii", lo, start, seat->id) != DB_OK) {
			li_err_set(err, LI_ERR_DB, 0, "",
				   "cannot store the window's offset: %s",
				   db_error(w->db));
			return LI_ERR_DB;
		}
	}
	return LI_OK;
}

/* The seat's Recruiter notes modified in (lo, hi], every page. */
static int notes_window(struct li_worker *w, const struct li_settings *s,
			const struct seat_row *seat, int64_t lo, int64_t hi,
			struct poll_stats *st, struct li_error *err)
{
	struct buf path = BUF_INIT;
	buf_adds(&path, "/v2/prospectNotes?q=criteria&contract=");
	buf_add_url(&path, s->contract_urn, strlen(s->contract_urn));
	buf_adds(&path, "&owners=");
	buf_add_url(&path, seat->seat_urn, strlen(seat->seat_urn));
	buf_addf(&path, "&cutoffDate=%lld&beforeDate=%lld", (long long)lo,
		 (long long)hi);
	const char *query = buf_failed(&path)
				? NULL
				: arena_strdup(w->arena, path.data);
	buf_release(&path);
	if (!query)
		return li_err_oom(err);
	int64_t start = 0;
	for (int page = 0; page < PAGES_MAX; page++) {
		json_t *elements;
		int64_t total;
		int rc = li_page_get(w->li, w->db, w->arena, s, query,
				  "/v2/prospectNotes", start, &elements,
				  &total, err);
		if (rc != LI_OK)
			return rc;
		st->pages++;
		struct notes_page x = {seat->seat_urn, s->contract_urn,
				       elements, err, 0, 0};
		err->kind = LI_OK;
		rc = db_transaction(w->db, notes_store_txn, &x);
		if (rc != DB_OK) {
			if (err->kind == LI_OK)
				li_err_set(err, LI_ERR_DB, 0, "",
					   "cannot store Recruiter notes: %s",
					   db_error(w->db));
			return err->kind;
		}
		st->notes += x.stored;
		st->removed += x.removed;
		start += (int64_t)json_array_size(elements);
		if (!json_array_size(elements) || (total >= 0 && start >= total))
			return LI_OK;
	}
	return LI_OK;
}

/* Where a cursor's next window starts. */
static int64_t window_start(int64_t cursor, int64_t now)
{
	if (cursor <= 0 || cursor < now - LI_ACTIVITY_BACKFILL_MS)
		return now - LI_ACTIVITY_BACKFILL_MS;
	return cursor - LI_ACTIVITY_OVERLAP_MS;
}

/* A window reader: events_window or notes_window. */
typedef int window_fn(struct li_worker *w, const struct li_settings *s,
		      const struct seat_row *seat, int64_t lo, int64_t hi,
		      struct poll_stats *st, struct li_error *err);

/* One kind of a seat's activity from its cursor towards now, at most
 * LI_ACTIVITY_WINDOWS_PER_CLAIM windows read by read, each window's end
 * stored by store_sql (the cursor, then the seat's id) once the window
 * is; *done: the cursor reached now.  resume: the start of a window a
 * throttle stopped (it moves with now while the cursor is older than the
 * backfill), 0 for none. */
static int windows(struct li_worker *w, const struct li_settings *s,
		   const struct seat_row *seat, window_fn *read,
		   int64_t cursor, int64_t resume, const char *store_sql,
		   int64_t now, bool *done, struct poll_stats *st,
		   struct li_error *err)
{
	int64_t lo = resume > 0 && resume < now ? resume
						: window_start(cursor, now);
	for (int k = 0; k < LI_ACTIVITY_WINDOWS_PER_CLAIM && lo < now; k++) {
		int64_t hi = lo + LI_ACTIVITY_WINDOW_MS;
		if (hi > now)
			hi = now;
		int rc = read(w, s, seat, lo, hi, st, err);
		if (rc != LI_OK)
			return rc;
		st->windows++;
		if (db_exec(w->db, NULL, store_sql, "ii", hi, seat->id) !=
		    DB_OK) {
			li_err_set(err, LI_ERR_DB, 0, "",
				   "cannot store the cursor: %s",
				   db_error(w->db));
			return LI_ERR_DB;
		}
		lo = hi;
	}
	*done = lo >= now;
	return LI_OK;
}

/*
 * Polls one seat from its cursors to now, at most
 * LI_ACTIVITY_WINDOWS_PER_CLAIM windows of each kind; each window's cursor
 * is stored once the window is.  *caught_up: both cursors reached now.
 */
static int seat_poll(struct li_worker *w, const struct li_settings *s,
		     struct seat_row *seat, bool *caught_up,
		     struct poll_stats *st, struct li_error *err)
{
	int64_t now = time_now_ms();
	bool events_done = false, notes_done = false;
	int rc = windows(w, s, seat, events_window, seat->events_cursor,
			 seat->events_window,
			 "UPDATE li_seats SET events_cursor_ms = ?, "
			 "events_window_ms = NULL, events_window_offset = 0 "
			 "WHERE id = ?",
			 now, &events_done, st, err);
	if (rc == LI_OK)
		rc = windows(w, s, seat, notes_window, seat->notes_cursor, 0,
			     "UPDATE li_seats SET notes_cursor_ms = ? WHERE id "
			     "= ?",
			     now, &notes_done, st, err);
	*caught_up = events_done && notes_done;
	return rc;
}

/* One claim of a seat's activities. */
static enum li_seat_polled activities_poll(struct li_worker *w,
					   const struct li_settings *s,
					   struct li_outbox_item *it,
					   const char **urn,
					   struct li_error *err)
{
	struct seat_row seat;
	struct poll_stats st = {0};
	bool caught_up = false;
	int rc = seat_load(w->db, w->arena, (int64_t)it->entity_id, &seat);
	if (rc == DB_NOT_FOUND || (rc == DB_OK && !seat.active))
		return LI_SEAT_NONE;
	if (rc != DB_OK)
		return LI_SEAT_DB_FAILED;
	*urn = seat.seat_urn;
	int64_t t0 = time_mono_us();
	if (seat_poll(w, s, &seat, &caught_up, &st, err) != LI_OK)
		return LI_SEAT_FAILED;
	if (caught_up)
		db_exec(w->db, NULL,
			"UPDATE li_seats SET polled_at = NOW(3), next_poll_at "
			"= NOW(3) + INTERVAL ? MINUTE, last_error = NULL, "
			"last_error_at = NULL WHERE id = ?",
			"ii", (int64_t)w->cfg->linkedin_activities_poll_minutes,
			seat.id);
	else
		/* behind by more than one claim: the rest at the next pass
		 * (SUPERSEDED: due at once) */
		ats_outbox_mark(w->db, LI_OUTBOX_SEAT_POLL, it->entity_id);
	log_info("activities: seat %s: %d windows, %d pages, %zu InMail "
		 "events and %zu notes new, %zu notes removed%s (%lld ms)",
		 seat.seat_urn, st.windows, st.pages, st.events, st.notes,
		 st.removed, caught_up ? "" : ", more to read",
		 (long long)((time_mono_us() - t0) / 1000));
	return LI_SEAT_POLLED;
}

static const struct li_seat_poll activities_seat_poll = {
    .name = "activities",
    .kind = LI_OUTBOX_SEAT_POLL,
    .ready = activities_ready,
    .poll = activities_poll,
    .error_sql = "UPDATE li_seats SET last_error = ?, last_error_at = NOW(3) "
		 "WHERE id = ?",
    .later_sql = "UPDATE li_seats SET next_poll_at = NOW(3) + INTERVAL ? "
		 "MINUTE WHERE id = ?",
    .due_sql = "SELECT s.id FROM li_seats s WHERE s.active = 1 AND "
	       "s.next_poll_at <= NOW(3) AND NOT EXISTS (SELECT 1 FROM outbox "
	       "o WHERE o.kind = ? AND o.entity_id = s.id) LIMIT 1000",
};

void li_send_seat_polls(struct li_worker *w, struct li_outbox_item *items,
			size_t n)
{
	li_seat_polls_send(w, items, n, &activities_seat_poll,
			   w->cfg->linkedin_activities_poll_minutes);
}

void li_seat_polls_send(struct li_worker *w, struct li_outbox_item *items,
			size_t n, const struct li_seat_poll *k, int64_t every)
{
	struct li_settings s;
	if (li_settings_load(w->db, w->arena, w->cfg, &s) != DB_OK) {
		for (size_t i = 0; i < n; i++)
			snprintf(items[i].error, sizeof(items[i].error),
				 "cannot read the LinkedIn settings");
		return;
	}
	bool ready = k->ready(&s) && w->li;
	for (size_t i = 0; i < n; i++) {
		struct li_outbox_item *it = &items[i];
		struct li_error err = {0};
		const char *urn = "";
		/* the integration off: nothing to read; the scheduler asks
		 * again once it is back */
		enum li_seat_polled r =
		    ready ? k->poll(w, &s, it, &urn, &err) : LI_SEAT_NONE;
		if (r == LI_SEAT_POLLED || r == LI_SEAT_NONE) {
			it->result = LI_ITEM_DONE;
			continue;
		}
		if (r == LI_SEAT_DB_FAILED) {
			snprintf(it->error, sizeof(it->error),
				 "cannot read the seat: %s", db_error(w->db));
			continue;
		}
		log_warn("%s: seat %s: %s", k->name, urn, li_error_text(&err));
		db_exec(w->db, NULL, k->error_sql, "si",
			cut_utf8(w->arena, li_error_text(&err), 500),
			(int64_t)it->entity_id);
		if (li_error_transient(&err)) {
			li_item_failed(it, &err);
		} else {
			/* a 4xx (a seat LinkedIn no longer knows): not again
			 * until the next interval, when the seats are read
			 * anew; a dead row would stop the polling */
			db_exec(w->db, NULL, k->later_sql, "ii", every,
				(int64_t)it->entity_id);
			it->result = LI_ITEM_DONE;
		}
	}
}

int li_seat_polls_schedule(struct li_worker *w, const struct li_seat_poll *k)
{
	struct db_result res;
	int rc = db_query(w->db, w->arena, &res, k->due_sql, "s", k->kind);
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++)
		rc = ats_outbox_mark(w->db, k->kind,
				     (uint64_t)db_int(&res.rows[i], 0));
	return rc;
}

/* ------------------------------------------------------------ schedule */

int li_activities_schedule(struct li_worker *w)
{
	struct li_settings s;
	struct db_row row;
	arena_reset(w->arena);
	int rc = li_settings_load(w->db, w->arena, w->cfg, &s);
	if (rc != DB_OK || !activities_ready(&s))
		return rc;
	int64_t every = w->cfg->linkedin_activities_poll_minutes;
	rc = db_query_row(
	    w->db, w->arena, &row,
	    "SELECT 1 FROM li_activity_sync a WHERE a.id = 1 AND "
	    "(a.seats_read_at IS NULL OR a.seats_read_at < NOW(3) - INTERVAL "
	    "? MINUTE) AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = "
	    "? AND o.entity_id = ?)",
	    "isi", every, LI_OUTBOX_SEATS, (int64_t)LI_SEATS_ENTITY);
	if (rc == DB_OK)
		rc = ats_outbox_mark(w->db, LI_OUTBOX_SEATS, LI_SEATS_ENTITY);
	if (rc != DB_OK && rc != DB_NOT_FOUND)
		return rc;
	return li_seat_polls_schedule(w, &activities_seat_poll);
}

/* ------------------------------------------------------------ the tab */

int li_activities_tab_read(struct db *db, struct arena *a,
			   const struct li_settings *s, int64_t user_id,
			   int64_t candidate_id, struct li_viewer *out,
			   struct li_activities_rev *rev)
{
	struct db_row row;
	*out = (struct li_viewer){.state = LI_VIEWER_OFF, .age_s = -1,
				  .seat_type = "none",
				  .refresh_asked_age_s = -1};
	if (rev)
		*rev = (struct li_activities_rev){0};
	/* One round trip and as few tables as may be (what a statement
	 * costs MariaDB is mostly the tables it opens): the list's
	 * revisions first (see fragcache.c: read before the list; the
	 * candidate's is bumped by its rejections too, sql/270), then the
	 * viewer's connection and seat, each NULL when absent.  A refresh
	 * is under way while one was asked for after the seat's last
	 * complete poll.  Candidate 0 has no revision row. */
	int rc = db_query_row(
	    db, a, &row,
	    "SELECT (SELECT n FROM candidate_revisions WHERE candidate_id = "
	    "?), (SELECT GROUP_CONCAT(n ORDER BY name) FROM revisions WHERE "
	    "name IN ('jobs', 'li_people')), c.user_id IS NOT NULL, "
	    "c.seat_type, c.seat_urn, c.needs_reconnect, "
	    "TIMESTAMPDIFF(SECOND, ls.polled_at, NOW(3)), ls.last_error_at IS "
	    "NOT NULL AND (ls.polled_at IS NULL OR ls.last_error_at >= "
	    "ls.polled_at), ls.last_error, ls.refresh_asked_at > "
	    "COALESCE(ls.polled_at, '1970-01-02'), ls.refresh_asked_at IS "
	    "NULL OR ls.refresh_asked_at < NOW(3) - INTERVAL ? SECOND, "
	    "TIMESTAMPDIFF(SECOND, ls.refresh_asked_at, NOW(3)) FROM "
	    "(SELECT 1) k LEFT JOIN linkedin_connections c ON c.user_id = ? "
	    "LEFT JOIN li_seats ls ON ls.seat_urn = c.seat_urn",
	    "iii", candidate_id, (int64_t)LI_ACTIVITY_REFRESH_GAP_S, user_id);
	if (rc != DB_OK)
		return rc;
	if (rev && row.v[0] && row.v[1]) {
		rev->revision = (uint64_t)db_int(&row, 0);
		rev->tag = arena_printf(a, "jp%s", row.v[1]);
		if (!rev->tag)
			return DB_ERROR;
	}
	if (!activities_ready(s))
		return DB_OK;
	if (!db_int(&row, 2)) {
		out->state = LI_VIEWER_NOT_CONNECTED;
		return DB_OK;
	}
	out->seat_type = row.v[3];
	if (db_int(&row, 5)) {
		out->state = LI_VIEWER_RECONNECT;
		return DB_OK;
	}
	if (!row.v[4] || !*row.v[4] || !strcmp(row.v[3], "none")) {
		out->state = LI_VIEWER_NO_SEAT;
		return DB_OK;
	}
	out->state = LI_VIEWER_SEAT;
	out->seat_urn = row.v[4];
	out->age_s = row.v[6] ? db_int(&row, 6) : -1;
	out->failing = db_int(&row, 7) != 0;
	out->error = row.v[8];
	out->refresh_pending = db_int(&row, 9) != 0;
	/* a seat hirelink has not read yet counts as due */
	out->refresh_due = !row.v[10] || db_int(&row, 10) != 0;
	if (row.v[11])
		out->refresh_asked_age_s = db_int(&row, 11);
	return DB_OK;
}

int li_activities_tab_tag(struct db *db, struct arena *a, int64_t candidate_id,
			  int64_t user_id, uint64_t *revision,
			  const char **tag, int64_t *now)
{
	struct db_row r;
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT UNIX_TIMESTAMP(), (SELECT n FROM candidate_revisions "
	    "WHERE candidate_id = ?), (SELECT n FROM revisions WHERE name = "
	    "'jobs'), (SELECT n FROM revisions WHERE name = 'li_people'), "
	    "(SELECT n FROM revisions WHERE name = CONCAT('li_viewer ', ?))",
	    "ii", candidate_id, user_id);
	if (rc != DB_OK)
		return rc;
	if (!r.v[1])
		return DB_NOT_FOUND;
	*now = db_int(&r, 0);
	*revision = (uint64_t)db_int(&r, 1);
	/* (scalar subqueries of one row each, constants to the optimiser:
	 * a GROUP_CONCAT made a temporary table); "-" for a row that is not
	 * there */
	*tag = arena_printf(a, "j%s p%s v%s", r.v[2] ? r.v[2] : "-",
			    r.v[3] ? r.v[3] : "-", r.v[4] ? r.v[4] : "-");
	return *tag ? DB_OK : DB_ERROR;
}

int li_viewer_load(struct db *db, struct arena *a, const struct li_settings *s,
		   int64_t user_id, struct li_viewer *out)
{
	return li_activities_tab_read(db, a, s, user_id, 0, out, NULL);
}

/* Who holds a seat: the name LinkedIn gave, and the hirelink user who
 * connected as that member. */
#define WHO_COLUMNS                                                            \
	"TRIM(CONCAT(COALESCE(ls.first_name, ''), ' ', "                       \
	"COALESCE(ls.last_name, ''))), COALESCE((SELECT u.name FROM "          \
	"linkedin_connections lc JOIN users u ON u.id = lc.user_id WHERE "     \
	"lc.member_urn = ls.member_urn LIMIT 1), '')"

/* One source of the tab, newest first: its rows, and the next one to
 * merge. */
struct source {
	struct db_result res;
	size_t next;
};

/* Reads row r of source kind into e. */
static void activity_read(enum li_activity_kind kind, const struct db_row *r,
			  const char *viewer_seat, struct li_activity *e)
{
	*e = (struct li_activity){.kind = kind, .seat_urn = "",
				  .visibility = "", .note = "", .direction = "",
				  .job_title = "", .reason = "", .detail = "",
				  .who = "", .user_name = ""};
	e->id = db_int(r, 0);
	e->at_ms = db_int(r, 1);
	switch (kind) {
	case LI_ACT_NOTE:
	case LI_ACT_INMAIL:
		/* id, at, seat, visibility | direction, note | replied,
		 * who, user */
		e->seat_urn = r->v[2] ? r->v[2] : "";
		if (kind == LI_ACT_NOTE) {
			e->visibility = r->v[3] ? r->v[3] : "";
			e->note = r->v[4] ? r->v[4] : "";
		} else {
			e->direction = r->v[3] ? r->v[3] : "";
			e->replied = db_int(r, 4) != 0;
		}
		e->who = r->v[5] && *r->v[5] ? r->v[5] : e->seat_urn;
		e->user_name = r->v[6] ? r->v[6] : "";
		e->mine = *viewer_seat && !strcmp(e->seat_urn, viewer_seat);
		break;
	case LI_ACT_REJECTION:
		/* id, at, job id, job title, reason, detail, who rejected */
		e->job_id = db_int(r, 2);
		e->job_title = r->v[3] ? r->v[3] : "";
		e->reason = r->v[4] ? r->v[4] : "";
		e->detail = r->v[5] ? r->v[5] : "";
		e->user_name = r->v[6] ? r->v[6] : "";
		break;
	}
}

/* Whether a comes before b on the tab: newer first, then by kind, then
 * the newer row. */
static bool activity_before(const struct li_activity *a,
			    const struct li_activity *b)
{
	if (a->at_ms != b->at_ms)
		return a->at_ms > b->at_ms;
	if (a->kind != b->kind)
		return a->kind < b->kind;
	return a->id > b->id;
}

int li_activities_list(struct db *db, struct arena *a, const struct user *u,
		       int64_t candidate_id, const char *member_id,
		       const char *viewer_seat, int64_t offset, int64_t limit,
		       struct li_activity_page *out)
{
	struct source src[3];
	struct db_result res;
	const char *m = member_id && *member_id ? member_id : "";
	const char *vs = viewer_seat ? viewer_seat : "";
	*out = (struct li_activity_page){0};
	memset(src, 0, sizeof(src));

	/* Three plain index reads, each cut to the rows the page can need
	 * (newest first), merged here: no derived table, no filesort, so a
	 * page costs the same however many activities a prospect has.  One
	 * row past the page says whether there is a next one.  A candidate
	 * without a member has no LinkedIn activity (m = '' matches no
	 * row: prospect_member_id is never empty). */
	int64_t need = offset + limit + 1;
	int rc = DB_OK;
	if (*m)
		rc = db_query(
		    db, a, &src[LI_ACT_NOTE].res,
		    "SELECT n.id, n.last_modified_ms, n.owner_seat_urn, "
		    "n.visibility, n.note, " WHO_COLUMNS " FROM "
		    "li_recruiter_notes n LEFT JOIN li_seats ls ON ls.seat_urn "
		    "= n.owner_seat_urn WHERE n.prospect_member_id = ? AND "
		    "(n.visibility = 'PUBLIC' OR n.owner_seat_urn = ?) ORDER BY "
		    "n.last_modified_ms DESC, n.id DESC LIMIT ?",
		    "ssi", m, vs, need);
	if (rc == DB_OK && *m)
		rc = db_query(
		    db, a, &src[LI_ACT_INMAIL].res,
		    "SELECT i.id, i.created_ms, i.seat_urn, i.direction, "
		    "i.replied, " WHO_COLUMNS " FROM li_inmail_activity i LEFT "
		    "JOIN li_seats ls ON ls.seat_urn = i.seat_urn WHERE "
		    "i.prospect_member_id = ? ORDER BY i.created_ms DESC, i.id "
		    "DESC LIMIT ?",
		    "si", m, need);
	if (rc == DB_OK)
		rc = db_query(
		    db, a, &src[LI_ACT_REJECTION].res,
		    "SELECT e.id, CAST(UNIX_TIMESTAMP(e.at) * 1000 AS SIGNED), "
		    "j.id, j.title, ap.rejection_reason, e.detail, (SELECT "
		    "u.name FROM users u WHERE u.id = e.user_id) FROM "
		    "applications ap JOIN jobs j ON j.id = ap.job_id JOIN "
		    "application_events e ON e.application_id = ap.id WHERE "
		    "ap.candidate_id = ? AND e.kind = 'rejected' AND "
		    ATS_JOB_VISIBLE_SQL("j") " ORDER BY e.at DESC, e.id DESC "
		    "LIMIT ?",
		    "i" ATS_JOB_VISIBLE_TYPES "i", candidate_id,
		    ATS_JOB_VISIBLE_ARGS(u), need);
	if (rc != DB_OK)
		return rc;

	out->v = arena_calloc(a, (size_t)limit + 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (int64_t k = 0; k < offset + limit + 1; k++) {
		struct li_activity best, cand;
		int from = -1;
		for (int s = 0; s < 3; s++) {
			if (src[s].next >= src[s].res.nrows)
				continue;
			activity_read((enum li_activity_kind)s,
				      &src[s].res.rows[src[s].next], vs, &cand);
			if (from < 0 || activity_before(&cand, &best)) {
				best = cand;
				from = s;
			}
		}
		if (from < 0)
			break;
		src[from].next++;
		if (k < offset)
			continue;
		if (k == offset + limit) {
			out->more = true;
			break;
		}
		out->v[out->n++] = best;
	}
	out->total = offset + (int64_t)out->n;

	/* the others engaging with this prospect: public notes and InMail
	 * sent by every seat but the viewer's (a private note of another
	 * seat is nobody else's business) */
	if (!*m)
		return DB_OK;
	rc = db_query(
	    db, a, &res,
	    "SELECT x.seat, SUM(x.inmails), SUM(x.notes), MAX(x.at_ms), "
	    WHO_COLUMNS " FROM (SELECT i.seat_urn AS seat, COUNT(*) AS "
	    "inmails, 0 AS notes, MAX(i.created_ms) AS at_ms FROM "
	    "li_inmail_activity i WHERE i.prospect_member_id = ? AND "
	    "i.direction = 'OUTBOUND' AND i.seat_urn <> ? GROUP BY i.seat_urn "
	    "UNION ALL SELECT n.owner_seat_urn, 0, COUNT(*), "
	    "MAX(n.last_modified_ms) FROM li_recruiter_notes n WHERE "
	    "n.prospect_member_id = ? AND n.visibility = 'PUBLIC' AND "
	    "n.owner_seat_urn <> ? GROUP BY n.owner_seat_urn) x LEFT JOIN "
	    "li_seats ls ON ls.seat_urn = x.seat GROUP BY x.seat ORDER BY "
	    "MAX(x.at_ms) DESC LIMIT 50",
	    "ssss", m, vs, m, vs);
	if (rc != DB_OK)
		return rc;
	out->others =
	    arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->others));
	if (!out->others)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		const struct db_row *r = &res.rows[i];
		struct li_engager *g = &out->others[out->nothers++];
		g->seat_urn = r->v[0];
		g->inmails = db_int(r, 1);
		g->notes = db_int(r, 2);
		g->last_ms = db_int(r, 3);
		g->who = r->v[4] && *r->v[4] ? r->v[4] : g->seat_urn;
		g->user_name = r->v[5] ? r->v[5] : "";
	}
	return DB_OK;
}

struct refresh {
	const char *seat_urn;
	bool force, asked;
};

static int refresh_txn(struct db *db, struct arena *a, void *arg)
{
	struct refresh *x = arg;
	struct db_row row;
	uint64_t n = 0;
	x->asked = false;
	int rc = db_query_row(db, a, &row,
			      "SELECT id FROM li_seats WHERE seat_urn = ? AND "
			      "active = 1",
			      "s", x->seat_urn);
	if (rc == DB_NOT_FOUND) {
		/* a seat hirelink has not read yet: the seats first (its
		 * poll is due as soon as they are stored) */
		x->asked = true;
		return ats_outbox_mark(db, LI_OUTBOX_SEATS, LI_SEATS_ENTITY);
	}
	if (rc != DB_OK)
		return rc;
	int64_t id = db_int(&row, 0);
	rc = db_exec(db, &n,
		     "UPDATE li_seats SET refresh_asked_at = NOW(3) WHERE id = "
		     "? AND (? OR refresh_asked_at IS NULL OR refresh_asked_at "
		     "< NOW(3) - INTERVAL ? SECOND)",
		     "iii", id, (int64_t)x->force,
		     (int64_t)LI_ACTIVITY_REFRESH_GAP_S);
	if (rc != DB_OK || n == 0)
		return rc;
	x->asked = true;
	/* the seats before the poll (the worker's senders run in table
	 * order): a seat changed at LinkedIn shows at once */
	rc = ats_outbox_mark(db, LI_OUTBOX_SEATS, LI_SEATS_ENTITY);
	if (rc == DB_OK)
		rc = ats_outbox_mark(db, LI_OUTBOX_SEAT_POLL, (uint64_t)id);
	return rc;
}

int li_activities_refresh_ask(struct db *db, const char *seat_urn, bool force,
			      bool *asked)
{
	struct refresh x = {seat_urn, force, false};
	*asked = false;
	if (!seat_urn || !*seat_urn)
		return DB_OK;
	int rc = db_transaction(db, refresh_txn, &x);
	*asked = rc == DB_OK && x.asked;
	return rc;
}

static int seats_ask_txn(struct db *db, struct arena *a, void *arg)
{
	bool *asked = arg;
	uint64_t n = 0;
	(void)a;
	int rc = db_exec(db, &n,
			 "UPDATE li_activity_sync SET seats_asked_at = NOW(3) "
			 "WHERE id = 1 AND (seats_asked_at IS NULL OR "
			 "seats_asked_at < NOW(3) - INTERVAL ? SECOND)",
			 "i", (int64_t)LI_ACTIVITY_REFRESH_GAP_S);
	*asked = rc == DB_OK && n > 0;
	if (*asked)
		rc = ats_outbox_mark(db, LI_OUTBOX_SEATS, LI_SEATS_ENTITY);
	return rc;
}

int li_activities_seats_ask(struct db *db, bool *asked)
{
	*asked = false;
	return db_transaction(db, seats_ask_txn, asked);
}
