/*
 * inbound.c - LinkedIn's push notifications as hirelink keeps them
 * (inbound.h): storing one (and marking the outbox with it), the events
 * page's list, the worker's attempts and results, an admin's retry.
 */
#include <string.h>

#include "ats/check.h"
#include "ats/inbound.h"
#include "ats/outbox.h"

const struct ats_word ats_inbound_statuses[] = {
    {"received", "Waiting"}, {"applied", "Applied"}, {"refused", "Refused"},
    {"rejected", "Rejected"}, {"failed", "Failed"}, {NULL, NULL},
};

/* ------------------------------------------------------------ storing */

/*
 * One statement, atomic on its own: the row and, when it is to be applied,
 * its outbox mark, which the INSERT's trigger makes
 * (sql/123_inbound_outbox_mark.sql), so that a stored event is never left
 * without its mark, nor a mark without it.
 */
static int record_insert(struct db *db, const struct inbound_new *ev,
			 const char *event_type, const char *context,
			 const char *reason, int64_t *id)
{
	int rc = db_exec(
	    db, NULL,
	    "INSERT INTO inbound_events (request_id, event_type, "
	    "integration_context, occurred_at, body, status, reason) VALUES "
	    "(?, ?, ?, NULLIF(?, 0), ?, ?, ?)",
	    "sssibss", ev->request_id, event_type, context, ev->occurred_at,
	    ev->body ? ev->body : "", ev->body_len,
	    ev->rejected ? "rejected" : "received", reason);
	if (rc == DB_OK)
		*id = (int64_t)db_insert_id(db);
	return rc;
}

int ats_inbound_record(struct db *db, struct arena *a,
		       const struct inbound_new *ev, int64_t *id,
		       const char **status)
{
	const char *event_type = ats_line_cut(a, ev->event_type, 64);
	const char *context = ats_line_cut(a, ev->integration_context, 100);
	const char *reason = ats_line_cut(a, ev->reason, INBOUND_REASON_MAX);
	if (!event_type || !context || !reason)
		return DB_ERROR;
	int rc = record_insert(db, ev, event_type, context, reason, id);
	if (rc == DB_OK) {
		if (status)
			*status = ev->rejected ? "rejected" : "received";
		return DB_OK;
	}
	if (rc != DB_DUPLICATE)
		return rc;
	struct db_row r;
	int found = db_query_row(db, a, &r,
				 "SELECT id, status FROM inbound_events WHERE "
				 "request_id = ?",
				 "s", ev->request_id);
	if (found != DB_OK)
		return found == DB_NOT_FOUND ? DB_ERROR : found;
	*id = db_int(&r, 0);
	if (status)
		*status = r.v[1];
	return DB_DUPLICATE;
}

/* ------------------------------------------------------------ reading */

#define EVENT_COLUMNS                                                          \
	"SELECT e.id, e.request_id, e.event_type, e.integration_context, "     \
	"e.status, e.reason, e.attempts, e.exporter, e.exporter_member, "      \
	"COALESCE(e.exporter_user_id, 0), COALESCE(u.name, ''), "              \
	"e.external_job_posting_id, COALESCE(e.job_id, 0), "                   \
	"COALESCE(j.title, ''), COALESCE(e.candidate_id, 0), "                 \
	"COALESCE(TRIM(CONCAT(c.first_name, ' ', c.last_name)), ''), "         \
	"COALESCE(e.application_id, 0), DATE_FORMAT(e.received_at, "           \
	"'%Y-%m-%d %H:%i:%s'), DATE_FORMAT(e.updated_at, "                     \
	"'%Y-%m-%d %H:%i:%s') FROM inbound_events e LEFT JOIN users u ON "     \
	"u.id = e.exporter_user_id LEFT JOIN jobs j ON j.id = e.job_id LEFT "  \
	"JOIN candidates c ON c.id = e.candidate_id "

static void event_from_row(const struct db_row *r, struct inbound_event *e)
{
	char **v = r->v;
	e->id = db_int(r, 0);
	e->request_id = v[1];
	e->event_type = v[2];
	e->integration_context = v[3];
	e->status = v[4];
	e->reason = v[5];
	e->attempts = (int)db_int(r, 6);
	e->exporter = v[7];
	e->exporter_member = v[8];
	e->exporter_user_id = db_int(r, 9);
	e->exporter_user_name = v[10];
	e->external_job_posting_id = v[11];
	e->job_id = db_int(r, 12);
	e->job_title = v[13];
	e->candidate_id = db_int(r, 14);
	e->candidate_name = v[15];
	e->application_id = db_int(r, 16);
	e->received_at = v[17];
	e->updated_at = v[18];
}

int ats_inbound_get(struct db *db, struct arena *a, int64_t id,
		    struct inbound_event *out)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r, EVENT_COLUMNS "WHERE e.id = ?", "i",
			      id);
	if (rc == DB_OK)
		event_from_row(&r, out);
	return rc;
}

int ats_inbound_list(struct db *db, struct arena *a, const char *status,
		     int64_t offset, int64_t limit, struct inbound_list *out)
{
	struct db_result res;
	struct db_row cnt;
	int rc;
	memset(out, 0, sizeof(*out));
	/* (status, id) is an index: newest first within a status */
	if (status)
		rc = db_query(db, a, &res,
			      EVENT_COLUMNS "WHERE e.status = ? ORDER BY e.id "
					    "DESC LIMIT ? OFFSET ?",
			      "sii", status, limit, offset);
	else
		rc = db_query(db, a, &res,
			      EVENT_COLUMNS "ORDER BY e.id DESC LIMIT ? OFFSET ?",
			      "ii", limit, offset);
	if (rc == DB_OK)
		rc = status ? db_query_row(db, a, &cnt,
					   "SELECT COUNT(*) FROM inbound_events "
					   "WHERE status = ?",
					   "s", status)
			    : db_query_row(db, a, &cnt,
					   "SELECT COUNT(*) FROM inbound_events",
					   "");
	if (rc != DB_OK)
		return rc;
	out->total = db_int(&cnt, 0);
	out->v = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++)
		event_from_row(&res.rows[i], &out->v[i]);
	out->n = res.nrows;
	return DB_OK;
}

/* ------------------------------------------------------------ the worker */

int ats_inbound_attempt(struct db *db, struct arena *a, int64_t id,
			int *attempts, const char **status)
{
	struct db_row r;
	/* only a received one is tried: a row that came back to a worker
	 * after its event had its result costs no attempt */
	int rc = db_exec(db, NULL,
			 "UPDATE inbound_events SET attempts = attempts + 1 "
			 "WHERE id = ? AND status = 'received'",
			 "i", id);
	if (rc == DB_OK)
		rc = db_query_row(db, a, &r,
				  "SELECT attempts, status FROM inbound_events "
				  "WHERE id = ?",
				  "i", id);
	if (rc != DB_OK)
		return rc;
	if (attempts)
		*attempts = (int)db_int(&r, 0);
	if (status)
		*status = r.v[1];
	return DB_OK;
}

/* ids as a JSON array for JSON_TABLE: a statement for any number of
 * them, with one placeholder.  NULL when out of memory. */
static const char *ids_json(struct arena *a, const int64_t *ids, size_t n)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "[");
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_adds(&b, "]");
	const char *out =
	    buf_failed(&b) ? NULL : arena_strndup(a, b.data, b.len);
	buf_release(&b);
	return out;
}

#define IDS_TABLE                                                              \
	"JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) x"

int ats_inbound_attempt_many(struct db *db, struct arena *a,
			     const int64_t *ids, size_t n,
			     struct inbound_event *out, size_t *nout)
{
	struct db_result res;
	*nout = 0;
	if (n == 0)
		return DB_OK;
	const char *json = ids_json(a, ids, n);
	if (!json)
		return DB_ERROR;
	/* the ids first, each event by its primary key (however few rows
	 * the optimizer expects of inbound_events) */
	int rc = db_exec(db, NULL,
			 "UPDATE " IDS_TABLE " STRAIGHT_JOIN inbound_events e "
			 "FORCE INDEX (PRIMARY) ON e.id = x.id SET e.attempts "
			 "= e.attempts + 1 WHERE e.status = 'received'",
			 "s", json);
	if (rc == DB_OK)
		rc = db_query(db, a, &res,
			      "SELECT e.id, e.request_id, e.event_type, "
			      "e.status, e.attempts, COALESCE(e.candidate_id, "
			      "0) FROM " IDS_TABLE
			      " STRAIGHT_JOIN inbound_events e FORCE INDEX "
			      "(PRIMARY) ON e.id = x.id",
			      "s", json);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows && i < n; i++) {
		const struct db_row *r = &res.rows[i];
		out[i] = (struct inbound_event){
		    .id = db_int(r, 0),
		    .request_id = r->v[1],
		    .event_type = r->v[2],
		    .integration_context = "",
		    .status = r->v[3],
		    .reason = "",
		    .attempts = (int)db_int(r, 4),
		    .candidate_id = db_int(r, 5),
		    .exporter = "",
		    .exporter_member = "",
		    .exporter_user_name = "",
		    .external_job_posting_id = "",
		    .job_title = "",
		    .candidate_name = "",
		    .received_at = "",
		    .updated_at = "",
		};
		(*nout)++;
	}
	return DB_OK;
}

int ats_inbound_finish(struct db *db, int64_t id, const char *status,
		       const char *reason)
{
	struct arena *a = arena_new(1024);
	const char *why = a ? ats_line_cut(a, reason, INBOUND_REASON_MAX) : NULL;
	int rc = why ? db_exec(db, NULL,
			       "UPDATE inbound_events SET status = ?, reason = "
			       "? WHERE id = ? AND status = 'received'",
			       "ssi", status, why, id)
		     : DB_ERROR;
	arena_free(a);
	return rc;
}

/* ------------------------------------------------------------ retry */

int ats_inbound_retry_in(struct db *db, int64_t actor_id, int64_t id,
			 const char *remote_addr)
{
	uint64_t changed = 0;
	int rc = db_exec(db, &changed,
			 "UPDATE inbound_events SET status = 'received' WHERE "
			 "id = ? AND status IN ('failed', 'refused')",
			 "i", id);
	if (rc == DB_OK && !changed)
		rc = DB_NOT_FOUND;
	if (rc == DB_OK)
		rc = ats_outbox_mark(db, ATS_OUTBOX_INBOUND_EVENT, (uint64_t)id);
	if (rc == DB_OK)
		rc = ats_audit(db, actor_id, "inbound_event.retry",
			       "inbound_event", id, "", remote_addr);
	return rc;
}

struct retry_run {
	int64_t actor_id, id;
	const char *remote_addr;
};

static int retry_txn(struct db *db, struct arena *a, void *arg)
{
	struct retry_run *x = arg;
	(void)a;
	return ats_inbound_retry_in(db, x->actor_id, x->id, x->remote_addr);
}

int ats_inbound_retry(struct db *db, int64_t actor_id, int64_t id,
		      const char *remote_addr)
{
	struct retry_run x = {actor_id, id, remote_addr};
	return db_transaction(db, retry_txn, &x);
}
