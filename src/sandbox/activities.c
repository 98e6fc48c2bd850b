/*
 * activities.c - what happened between Recruiter seats and prospects, as
 * LinkedIn's Recruiter System Connect lets an ATS read it (README "The
 * LinkedIn tab and Recruiting activities"):
 *
 *   GET  /v2/conversationEvents?q=criteria&viewer=urn:li:seat:S
 *        &timeRange.start=&timeRange.end=&start=&count=
 *        InMail history of a seat: each InMail it sent and each reply
 *   GET  /v2/prospectNotes?q=criteria&contract=&owners=&beforeDate=
 *        &cutoffDate=&start=&count=
 *        Recruiter notes about prospects, by last modification
 *   GET  /messaging/, /messaging/thread/{id}, POST .../reply
 *        the member's InMail: read it and reply (not an API)
 *   /sandbox/inmails..., /sandbox/prospectNotes...  test control
 *
 * Both finders take an application token of an organization whose
 * contract the seats are on, windows of at most 12 hours (LinkedIn asks
 * for no more; the sandbox refuses more, so a client that asks for more is
 * caught), and LinkedIn's paging.  An InMail event carries its content, as
 * LinkedIn's does; the sandbox marks it (SB_CONTENT_MARK) so that tests can
 * show hirelink keeps none of it.
 */
#include <stdlib.h>
#include <string.h>

#include "sandbox/sandbox.h"

#define NOTE_MAX   2000
#define OWNERS_MAX 100

/* ------------------------------------------------------------ sending */

static int send_txn(struct db *db, struct arena *a, void *arg)
{
	struct sb_inmail *m = arg;
	char month[8];
	struct db_row r;
	int rc;

	m->conversation = 0;
	m->outcome = SB_INMAIL_SENT;
	if (m->token) {
		rc = db_query_row(db, a, &r,
				  "SELECT conversation_id FROM inmail_sends"
				  " WHERE seat_id = ? AND token = ? FOR UPDATE",
				  "is", m->seat, m->token);
		if (rc == DB_OK) {
			m->conversation = db_int(&r, 0);
			m->outcome = SB_INMAIL_DUPLICATE;
			return DB_OK;
		}
		if (rc != DB_NOT_FOUND)
			return rc;
	}
	if (m->count_credit) {
		sb_month(m->at, month);
		if ((rc = db_exec(db, NULL,
				  "INSERT INTO inmail_credits (seat_id, month,"
				  " used) VALUES (?, ?, 0)"
				  " ON DUPLICATE KEY UPDATE used = used",
				  "is", m->seat, month)) != DB_OK ||
		    (rc = db_query_row(db, a, &r,
				       "SELECT used FROM inmail_credits"
				       " WHERE seat_id = ? AND month = ?"
				       " FOR UPDATE",
				       "is", m->seat, month)) != DB_OK)
			return rc;
		if (db_int(&r, 0) >= SB_INMAIL_MONTHLY) {
			m->outcome = SB_INMAIL_QUOTA;
			return DB_OK;
		}
		if ((rc = db_exec(db, NULL,
				  "UPDATE inmail_credits SET used = used + 1"
				  " WHERE seat_id = ? AND month = ?",
				  "is", m->seat, month)) != DB_OK)
			return rc;
	}
	if ((rc = db_exec(db, NULL,
			  "INSERT INTO inmail_conversations (seat_id,"
			  " sender_member_id, recipient_member_id, subject,"
			  " created_at) VALUES (?, ?, ?, ?, ?)",
			  "iiisi", m->seat, m->sender, m->recipient, m->subject,
			  m->at)) != DB_OK)
		return rc;
	m->conversation = (int64_t)db_insert_id(db);
	if ((rc = db_exec(db, NULL,
			  "INSERT INTO inmail_events (conversation_id, seat_id,"
			  " direction, body, created_at)"
			  " VALUES (?, ?, 'OUTBOUND', ?, ?)",
			  "iisi", m->conversation, m->seat, m->body, m->at)) !=
	    DB_OK)
		return rc;
	if (m->token)
		rc = db_exec(db, NULL,
			     "INSERT INTO inmail_sends (seat_id, token,"
			     " conversation_id, created_at) VALUES (?, ?, ?, ?)",
			     "isii", m->seat, m->token, m->conversation, m->at);
	return rc;
}

int sb_inmail_send(struct db *db, struct sb_inmail *m)
{
	int rc = db_transaction(db, send_txn, m);
	/* two clicks raced past the lookup: the second insert of the token
	 * lost, so the first one sent it */
	if (rc == DB_DUPLICATE && m->token) {
		struct arena *a = arena_new(1024);
		struct db_row r;
		if (!a)
			return DB_ERROR;
		rc = db_query_row(db, a, &r,
				  "SELECT conversation_id FROM inmail_sends"
				  " WHERE seat_id = ? AND token = ?",
				  "is", m->seat, m->token);
		if (rc == DB_OK) {
			m->conversation = db_int(&r, 0);
			m->outcome = SB_INMAIL_DUPLICATE;
		}
		arena_free(a);
	}
	return rc;
}

/* ------------------------------------------------------------ finders */

/* A query parameter that is epoch milliseconds: 0 with *out (def when
 * absent), -1 after answering 400. */
static int time_param(struct sb_ctx *c, const char *name, int64_t def,
		      int64_t *out)
{
	const char *v = http_query(c->req, name);
	*out = def;
	if (!v)
		return 0;
	if (parse_i64(v, out) < 0 || *out < 0) {
		sb_bad_param(c, name);
		return -1;
	}
	return 0;
}

/* A window [lo, hi) of at most 12 hours: -1 after answering 400. */
static int window_ok(struct sb_ctx *c, int64_t lo, int64_t hi,
		     const char *what)
{
	const char *m = NULL;
	if (hi <= lo)
		m = arena_printf(c->a,
				 "Invalid param. %s: the end must come after "
				 "the start",
				 what);
	else if (hi - lo > SB_WINDOW_MAX_MS)
		m = arena_printf(c->a,
				 "Invalid param. %s spans more than 12 hours: "
				 "ask for windows of at most 12 hours",
				 what);
	if (!m)
		return 0;
	sb_api_error(c, 400, 100, m);
	return -1;
}

/* urn:li:seat:N -> N; -1. */
static int64_t seat_param(const char *s)
{
	int64_t id;
	if (!s || strncmp(s, "urn:li:seat:", 12) ||
	    parse_i64(s + 12, &id) < 0 || id <= 0)
		return -1;
	return id;
}

/* Whether seat is on a contract of organization org: 1, 0, or -1. */
static int seat_of_org(struct sb_ctx *c, int64_t seat, int64_t org)
{
	struct db_row r;
	int rc = db_query_row(c->db, c->a, &r,
			      "SELECT 1 FROM seats s JOIN contracts k"
			      " ON k.id = s.contract_id"
			      " WHERE s.id = ? AND k.organization_id = ?",
			      "ii", seat, org);
	return rc == DB_OK ? 1 : rc == DB_NOT_FOUND ? 0 : -1;
}

static void forbidden_urn(struct sb_ctx *c, const char *urn)
{
	const char *m =
	    arena_printf(c->a, "Not enough permissions to access %.100s", urn);
	sb_api_error(c, 403, 100, m ? m : "Not enough permissions");
}

/* InMail content as the API answers it: marked as content. */
static const char *marked(struct sb_ctx *c, const char *s)
{
	const char *m = arena_printf(c->a, "%s [%s]", s, SB_CONTENT_MARK);
	return m ? m : s;
}

void sb_conversation_events(struct sb_ctx *c)
{
	const char *q = http_query(c->req, "q");
	const char *viewer = http_query(c->req, "viewer");
	struct sb_caller who;
	int64_t seat, lo, hi, start, count, now = time_now_ms();
	struct db_result res;
	struct db_row r;
	json_t *elements;
	int in;

	if (sb_caller_of(c, "conversationEvents.FINDER-criteria.NO_VERSION",
			 &who) < 0)
		return;
	if (!q || strcmp(q, "criteria")) {
		sb_bad_param(c, "q");
		return;
	}
	if ((seat = seat_param(viewer)) < 0) {
		sb_bad_param(c, "viewer");
		return;
	}
	if (time_param(c, "timeRange.end", now, &hi) < 0 ||
	    time_param(c, "timeRange.start", hi - SB_WINDOW_MAX_MS, &lo) < 0 ||
	    window_ok(c, lo, hi, "timeRange") < 0 ||
	    sb_paging(c, false, &start, &count) < 0)
		return;
	if ((in = seat_of_org(c, seat, who.org)) <= 0) {
		if (in < 0)
			sb_db_fail(c);
		else
			forbidden_urn(c, viewer);
		return;
	}
	if (db_query_row(c->db, c->a, &r,
			 "SELECT COUNT(*) FROM inmail_events WHERE seat_id = ?"
			 " AND created_at >= ? AND created_at < ?",
			 "iii", seat, lo, hi) != DB_OK ||
	    db_query(c->db, c->a, &res,
		     "SELECT e.id, e.conversation_id, e.direction, e.body,"
		     " e.created_at, v.subject, m.urn_id"
		     " FROM inmail_events e"
		     " JOIN inmail_conversations v ON v.id = e.conversation_id"
		     " JOIN members m ON m.id = v.recipient_member_id"
		     " WHERE e.seat_id = ? AND e.created_at >= ?"
		     " AND e.created_at < ?"
		     " ORDER BY e.created_at, e.id LIMIT ? OFFSET ?",
		     "iiiii", seat, lo, hi, count, start) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	elements = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		bool out = !strcmp(v[2], "OUTBOUND");
		const char *prospect =
		    arena_printf(c->a, "urn:li:person:%s", v[6]);
		json_array_append_new(
		    elements,
		    json_pack("{s:s, s:s+, s:s, s:s, s:s, s:s, s:I, "
			      "s:{s:s, s:s}}",
			      "id", v[0], "conversation",
			      "urn:li:conversation:", v[1], "viewer", viewer,
			      "prospect", prospect, "author",
			      out ? viewer : prospect, "direction", v[2],
			      "created", (json_int_t)db_int(&res.rows[i], 4),
			      "eventContent", "subject", marked(c, v[5]),
			      "body", marked(c, v[3])));
	}
	sb_json(c, 200,
		json_pack("{s:o, s:o}", "elements", elements, "paging",
			  sb_paging_json(c, "/v2/conversationEvents", start,
					 count, db_int(&r, 0), res.nrows)));
}

/* The owners parameters (repeated, or one List(...)) as "1,2,3" for
 * FIND_IN_SET, into *set (arena-owned, NULL when none); -1 after
 * answering. */
int sb_owners_param(struct sb_ctx *c, int64_t org, const char **set)
{
	const struct http_params *q = &c->req->query_params;
	struct buf b = BUF_INIT;
	size_t n = 0;

	*set = NULL;
	for (size_t i = 0; i < q->n; i++) {
		const char *v = q->v[i].value;
		if (strcmp(q->v[i].name, "owners"))
			continue;
		if (!strncmp(v, "List(", 5))
			v += 5;
		while (*v) {
			size_t len = strcspn(v, ",)");
			char *one = arena_strndup(c->a, v, len);
			int64_t seat = seat_param(one);
			int in;
			if (seat < 0 || ++n > OWNERS_MAX) {
				buf_release(&b);
				sb_bad_param(c, "owners");
				return -1;
			}
			if ((in = seat_of_org(c, seat, org)) <= 0) {
				buf_release(&b);
				if (in < 0)
					sb_db_fail(c);
				else
					forbidden_urn(c, one);
				return -1;
			}
			buf_addf(&b, "%s%lld", b.len ? "," : "",
				 (long long)seat);
			v += len;
			while (*v == ',' || *v == ')' || *v == ' ')
				v++;
		}
	}
	if (b.len)
		*set = buf_failed(&b) ? NULL : arena_strdup(c->a, b.data);
	buf_release(&b);
	return 0;
}

void sb_prospect_notes(struct sb_ctx *c)
{
	const char *q = http_query(c->req, "q");
	const char *contract_urn = http_query(c->req, "contract");
	const char *owners;
	struct sb_caller who;
	int64_t contract, lo, hi, start, count, now = time_now_ms();
	struct db_result res;
	struct db_row r;
	json_t *elements;
	int rc;

	if (sb_caller_of(c, "prospectNotes.FINDER-criteria.NO_VERSION", &who) <
	    0)
		return;
	if (!q || strcmp(q, "criteria")) {
		sb_bad_param(c, "q");
		return;
	}
	if ((contract = sb_contract_param(contract_urn)) < 0) {
		sb_bad_param(c, "contract");
		return;
	}
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT 1 FROM contracts WHERE id = ?"
			  " AND organization_id = ?",
			  "ii", contract, who.org);
	if (rc != DB_OK) {
		if (rc == DB_NOT_FOUND)
			forbidden_urn(c, contract_urn);
		else
			sb_db_fail(c);
		return;
	}
	if (sb_owners_param(c, who.org, &owners) < 0 ||
	    time_param(c, "beforeDate", now, &hi) < 0 ||
	    time_param(c, "cutoffDate", hi - SB_WINDOW_MAX_MS, &lo) < 0 ||
	    window_ok(c, lo, hi, "cutoffDate to beforeDate") < 0 ||
	    sb_paging(c, false, &start, &count) < 0)
		return;
	/* a private note is its owner's: only a query naming the owner's
	 * seat gets it; without owners, every public note of the contract */
	if (db_query_row(c->db, c->a, &r,
			 "SELECT COUNT(*) FROM prospect_notes n"
			 " WHERE n.contract_id = ? AND n.modified_at > ?"
			 " AND n.modified_at <= ?"
			 " AND (IF(? IS NULL, n.visibility = 'PUBLIC',"
			 " FIND_IN_SET(n.seat_id, ?) > 0))",
			 "iiiss", contract, lo, hi, owners, owners) != DB_OK ||
	    db_query(c->db, c->a, &res,
		     "SELECT n.id, n.seat_id, m.urn_id, n.note, n.visibility,"
		     " n.active, n.created_at, n.modified_at"
		     " FROM prospect_notes n JOIN members m ON m.id = n.member_id"
		     " WHERE n.contract_id = ? AND n.modified_at > ?"
		     " AND n.modified_at <= ?"
		     " AND (IF(? IS NULL, n.visibility = 'PUBLIC',"
		     " FIND_IN_SET(n.seat_id, ?) > 0))"
		     " ORDER BY n.modified_at, n.id LIMIT ? OFFSET ?",
		     "iiissii", contract, lo, hi, owners, owners, count,
		     start) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	elements = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		json_array_append_new(
		    elements,
		    json_pack("{s:I, s:s, s:s+, s:s+, s:s, s:s, s:b, s:I, "
			      "s:I}",
			      "id", (json_int_t)db_int(&res.rows[i], 0),
			      "contract", contract_urn, "owner",
			      "urn:li:seat:", v[1], "prospect",
			      "urn:li:person:", v[2], "note", v[3],
			      "visibility", v[4], "active", v[5][0] == '1',
			      "created", (json_int_t)db_int(&res.rows[i], 6),
			      "lastModified",
			      (json_int_t)db_int(&res.rows[i], 7)));
	}
	sb_json(c, 200,
		json_pack("{s:o, s:o}", "elements", elements, "paging",
			  sb_paging_json(c, "/v2/prospectNotes", start, count,
					 db_int(&r, 0), res.nrows)));
}

/* ------------------------------------------------------------ pages */

/* The signed-in member, or 0 after sending a visitor to sign in (1, or 0
 * after answering). */
static int reader(struct sb_ctx *c, struct sb_member *me, const char *back)
{
	int in = sb_member_signed_in(c, me);
	if (in < 0) {
		sb_db_fail(c);
		return 0;
	}
	if (!in) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "/login?next=");
		buf_add_url(&b, back, strlen(back));
		http_redirect(c->res, 303,
			      buf_failed(&b) ? "/login" : b.data);
		buf_release(&b);
		return 0;
	}
	return 1;
}

void sb_messaging_inbox(struct sb_ctx *c)
{
	struct sb_member me;
	struct db_result res;
	json_t *list;

	if (!reader(c, &me, "/messaging/"))
		return;
	if (db_query(c->db, c->a, &res,
		     "SELECT v.id, v.subject, v.created_at, s.first_name,"
		     " s.last_name, EXISTS (SELECT 1 FROM inmail_events e"
		     " WHERE e.conversation_id = v.id"
		     " AND e.direction = 'INBOUND')"
		     " FROM inmail_conversations v"
		     " JOIN members s ON s.id = v.sender_member_id"
		     " WHERE v.recipient_member_id = ?"
		     " ORDER BY v.created_at DESC, v.id DESC LIMIT 100",
		     "i", me.id) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	list = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s++, s:b}", "id", v[0],
				    "subject", v[1], "from", v[3], " ", v[4],
				    "replied", v[5][0] == '1'));
	}
	sb_page(c, 200, "sandbox/messaging",
		json_pack("{s:{s:s, s:s}, s:o, s:s, s:s}", "member",
			  "firstName", me.first_name, "lastName", me.last_name,
			  "conversations", list, "csrf", sb_member_csrf(c),
			  "title", "Messaging · LinkedIn sandbox"));
}

/* The conversation captures[0] as the signed-in me sees it: its page, or
 * an error (status and message) when it is not theirs.  new. */
static json_t *thread_ctx(struct sb_ctx *c, const struct sb_member *me,
			  int *status)
{
	const char *id = c->match.captures[0];
	int64_t cid;
	struct db_row r;
	struct db_result res;
	json_t *events;
	int rc;

	*status = 404;
	if (parse_i64(id, &cid) < 0 || cid <= 0)
		return NULL;
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT v.subject, v.created_at, s.first_name,"
			  " s.last_name, v.recipient_member_id,"
			  " v.sender_member_id, p.first_name, p.last_name"
			  " FROM inmail_conversations v"
			  " JOIN members s ON s.id = v.sender_member_id"
			  " JOIN members p ON p.id = v.recipient_member_id"
			  " WHERE v.id = ?",
			  "i", cid);
	if (rc != DB_OK) {
		*status = rc == DB_NOT_FOUND ? 404 : 503;
		return NULL;
	}
	if (db_int(&r, 4) != me->id && db_int(&r, 5) != me->id)
		return NULL; /* another member's: as if there were none */
	if (db_query(c->db, c->a, &res,
		     "SELECT direction, body, created_at FROM inmail_events"
		     " WHERE conversation_id = ? ORDER BY created_at, id",
		     "i", cid) != DB_OK) {
		*status = 503;
		return NULL;
	}
	events = json_array();
	bool replied = false;
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		bool in = !strcmp(v[0], "INBOUND");
		replied = replied || in;
		json_array_append_new(
		    events,
		    json_pack("{s:s++, s:s, s:b}", "from",
			      in ? r.v[6] : r.v[2], " ", in ? r.v[7] : r.v[3],
			      "body", v[1], "reply", in));
	}
	*status = 200;
	return json_pack("{s:s, s:s, s:s++, s:o, s:b, s:b, s:s}", "id", id,
			 "subject", r.v[0], "from", r.v[2], " ", r.v[3],
			 "events", events, "replied", replied, "can_reply",
			 db_int(&r, 4) == me->id, "csrf", sb_member_csrf(c));
}

static void thread_page(struct sb_ctx *c, const struct sb_member *me,
			int status, const char *notice, const char *error)
{
	int st;
	json_t *ctx = thread_ctx(c, me, &st);
	if (!ctx) {
		if (st == 503)
			sb_db_fail(c);
		else
			sb_error_page(c, 404, "There is no such conversation.");
		return;
	}
	json_object_set_new(ctx, "title",
			    json_string("InMail · Messaging · LinkedIn sandbox"));
	if (notice)
		json_object_set_new(ctx, "notice", json_string(notice));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	sb_page(c, status, "sandbox/thread", ctx);
}

void sb_messaging_thread(struct sb_ctx *c)
{
	struct sb_member me;
	const char *back = arena_printf(c->a, "/messaging/thread/%s",
					c->match.captures[0]);
	if (!reader(c, &me, back ? back : "/messaging/"))
		return;
	thread_page(c, &me, 200, NULL, NULL);
}

struct reply_run {
	struct sb_ctx *c;
	int64_t conversation, member, at;
	const char *body;
	/* the member agreed to share contact details (and the email) with
	 * the seat: a stub profile (stubs.c) */
	bool share_contact, share_email;
	bool found;
	int64_t stub; /* out: the stub made or kept, 0 without */
};

static int reply_txn(struct db *db, struct arena *a, void *arg)
{
	struct reply_run *run = arg;
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT seat_id FROM inmail_conversations"
			      " WHERE id = ? AND (? = 0"
			      " OR recipient_member_id = ?) FOR UPDATE",
			      "iii", run->conversation, run->member,
			      run->member);
	run->found = rc == DB_OK;
	if (rc != DB_OK)
		return rc == DB_NOT_FOUND ? DB_OK : rc;
	rc = db_exec(db, NULL,
		     "INSERT INTO inmail_events (conversation_id, seat_id,"
		     " direction, body, created_at)"
		     " VALUES (?, ?, 'INBOUND', ?, ?)",
		     "iisi", run->conversation, db_int(&r, 0), run->body,
		     run->at);
	if (rc == DB_OK && run->share_contact &&
	    sb_stub_on_reply(run->c, run->conversation, run->share_email,
			     run->at, &run->stub) < 0)
		rc = DB_ERROR;
	return rc;
}

void sb_messaging_reply(struct sb_ctx *c)
{
	struct sb_member me;
	const char *body = http_form(c->req, "body");
	struct reply_run run = {0};
	const char *back = arena_printf(c->a, "/messaging/thread/%s",
					c->match.captures[0]);
	size_t len;

	if (!reader(c, &me, back ? back : "/messaging/"))
		return;
	if (!sb_member_csrf_ok(c)) {
		sb_error_page(c, 403,
			      "This form has expired. Go back, reload the "
			      "page and try again.");
		return;
	}
	if (parse_i64(c->match.captures[0], &run.conversation) < 0) {
		sb_error_page(c, 404, "There is no such conversation.");
		return;
	}
	len = body ? utf8_len(body, strlen(body)) : 0;
	if (!len || len > SB_INMAIL_BODY_MAX) {
		thread_page(c, &me, 400, NULL,
			    !len ? "Write a reply first."
				 : "A reply is at most 1,900 characters.");
		return;
	}
	run.c = c;
	run.member = me.id;
	run.body = body;
	run.at = time_now_ms();
	run.share_contact = http_form(c->req, "shareContact") != NULL;
	run.share_email = run.share_contact &&
			  http_form(c->req, "shareEmail") != NULL;
	if (db_transaction(c->db, reply_txn, &run) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	if (!run.found) {
		sb_error_page(c, 404,
			      "Only the member an InMail was sent to can "
			      "reply to it.");
		return;
	}
	http_redirect(c->res, 303, back ? back : "/messaging/");
}

/* ------------------------------------------------------------ control */

/* A string member of j of 1 to max characters: NULL after answering. */
static const char *field(struct sb_ctx *c, json_t *j, const char *key,
			 size_t max)
{
	const char *v = json_string_value(json_object_get(j, key));
	if (!v || !*v || utf8_len(v, strlen(v)) > max) {
		const char *m = arena_printf(
		    c->a, "%s must be a string of 1 to %zu characters", key,
		    max);
		sb_control_bad(c, m ? m : "bad field");
		return NULL;
	}
	return v;
}

/* j's "at" (epoch ms), now when absent: 0, or -1 after answering. */
static int at_field(struct sb_ctx *c, json_t *j, int64_t *at)
{
	json_t *v = json_object_get(j, "at");
	*at = time_now_ms();
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		sb_control_bad(c, "at must be epoch milliseconds");
		return -1;
	}
	*at = json_integer_value(v);
	return 0;
}

/* The seat of seat holder member (id or URN) on the seeded contract: its
 * id and members.id, or -1 after answering. */
static int holder_seat(struct sb_ctx *c, const char *member, int64_t *seat,
		       int64_t *member_id)
{
	struct db_row r;
	int rc;
	if ((*member_id = sb_member_lookup(c, member)) <= 0) {
		if (*member_id < 0)
			sb_db_fail(c);
		else
			sb_control_bad(c, "no such member");
		return -1;
	}
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT id FROM seats WHERE member_id = ?"
			  " AND active = 1 ORDER BY id LIMIT 1",
			  "i", *member_id);
	if (rc != DB_OK) {
		if (rc == DB_NOT_FOUND)
			sb_control_bad(c, "that member holds no seat");
		else
			sb_db_fail(c);
		return -1;
	}
	*seat = db_int(&r, 0);
	return 0;
}

void sb_control_inmails_post(struct sb_ctx *c)
{
	json_t *j = sb_control_body(c);
	struct sb_inmail m = {0};
	const char *from, *to;

	if (!j || !(from = field(c, j, "from", 64)) ||
	    !(to = field(c, j, "to", 64)) ||
	    !(m.subject = field(c, j, "subject", SB_INMAIL_SUBJECT_MAX)) ||
	    !(m.body = field(c, j, "body", SB_INMAIL_BODY_MAX)) ||
	    at_field(c, j, &m.at) < 0 ||
	    holder_seat(c, from, &m.seat, &m.sender) < 0)
		return;
	if ((m.recipient = sb_member_lookup(c, to)) <= 0) {
		if (m.recipient < 0)
			sb_db_fail(c);
		else
			sb_control_bad(c, "to: no such member");
		return;
	}
	if (sb_inmail_send(c->db, &m) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	sb_json(c, 201,
		json_pack("{s:s, s:I}", "conversation",
			  arena_printf(c->a, "urn:li:conversation:%lld",
				       (long long)m.conversation),
			  "seat", (json_int_t)m.seat));
}

void sb_control_inmails_reply(struct sb_ctx *c)
{
	json_t *j = sb_control_body(c);
	struct reply_run run = {0};
	const char *conv;

	if (!j || !(conv = field(c, j, "conversation", 64)) ||
	    !(run.body = field(c, j, "body", SB_INMAIL_BODY_MAX)) ||
	    at_field(c, j, &run.at) < 0)
		return;
	for (size_t i = 0; i < 2; i++) {
		const char *name = i ? "shareEmail" : "shareContact";
		json_t *v = json_object_get(j, name);
		if (v && !json_is_boolean(v)) {
			const char *m =
			    arena_printf(c->a, "%s must be true or false", name);
			sb_control_bad(c, m ? m : "bad field");
			return;
		}
		if (i)
			run.share_email = json_is_true(v);
		else
			run.share_contact = json_is_true(v);
	}
	if (run.share_email && !run.share_contact) {
		sb_control_bad(c, "shareEmail needs shareContact");
		return;
	}
	run.c = c;
	if (!strncmp(conv, "urn:li:conversation:", 20))
		conv += 20;
	if (parse_i64(conv, &run.conversation) < 0) {
		sb_control_bad(c, "conversation must be urn:li:conversation:N");
		return;
	}
	if (db_transaction(c->db, reply_txn, &run) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	if (!run.found) {
		sb_json(c, 404,
			json_pack("{s:i, s:s}", "status", 404, "message",
				  "no such conversation"));
		return;
	}
	sb_json(c, 201,
		json_pack("{s:b, s:o}", "ok", 1, "mailStub",
			  run.stub ? json_sprintf("%lld", (long long)run.stub)
				   : json_null()));
}

void sb_control_inmails_get(struct sb_ctx *c)
{
	const char *member = http_query(c->req, "member");
	int64_t mid;
	struct db_result res;
	json_t *out;

	if (sb_control_refused(c))
		return;
	if ((mid = sb_member_lookup(c, member)) <= 0) {
		if (mid < 0)
			sb_db_fail(c);
		else
			sb_control_bad(c, "member: no such member");
		return;
	}
	if (db_query(c->db, c->a, &res,
		     "SELECT v.id, v.seat_id, v.subject, e.direction, e.body,"
		     " e.created_at FROM inmail_conversations v"
		     " JOIN inmail_events e ON e.conversation_id = v.id"
		     " WHERE v.recipient_member_id = ? OR v.sender_member_id = ?"
		     " ORDER BY v.id, e.created_at, e.id LIMIT 10000",
		     "ii", mid, mid) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	out = json_array();
	json_t *conv = NULL;
	const char *last = "";
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		if (strcmp(v[0], last)) {
			conv = json_pack("{s:s+, s:s+, s:s, s:[], s:b}",
					 "conversation", "urn:li:conversation:",
					 v[0], "seat", "urn:li:seat:", v[1],
					 "subject", v[2], "events", "replied",
					 0);
			json_array_append_new(out, conv);
			last = v[0];
		}
		if (!strcmp(v[3], "INBOUND"))
			json_object_set_new(conv, "replied", json_true());
		json_array_append_new(
		    json_object_get(conv, "events"),
		    json_pack("{s:s, s:s, s:I}", "direction", v[3], "body",
			      v[4], "created",
			      (json_int_t)db_int(&res.rows[i], 5)));
	}
	sb_json(c, 200, json_pack("{s:o}", "elements", out));
}

void sb_control_inmail_credits(struct sb_ctx *c)
{
	json_t *j = sb_control_body(c);
	const char *seat_urn;
	int64_t seat;
	json_t *used;
	char month[8];

	if (!j || !(seat_urn = field(c, j, "seat", 64)))
		return;
	used = json_object_get(j, "used");
	if ((seat = seat_param(seat_urn)) < 0 || !json_is_integer(used) ||
	    json_integer_value(used) < 0) {
		sb_control_bad(c, "seat must be urn:li:seat:N and used a "
				  "number of credits");
		return;
	}
	sb_month(time_now_ms(), month);
	if (db_exec(c->db, NULL,
		    "INSERT INTO inmail_credits (seat_id, month, used)"
		    " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE used = VALUES(used)",
		    "isi", seat, month, (int64_t)json_integer_value(used)) !=
	    DB_OK) {
		sb_db_fail(c);
		return;
	}
	sb_json(c, 200, json_pack("{s:b}", "ok", 1));
}

static const char *visibility_field(json_t *j)
{
	const char *v = json_string_value(json_object_get(j, "visibility"));
	if (!v)
		return NULL;
	return !strcmp(v, "PUBLIC") || !strcmp(v, "PRIVATE") ? v : "";
}

void sb_control_notes_post(struct sb_ctx *c)
{
	json_t *j = sb_control_body(c);
	const char *owner, *member, *note, *vis;
	int64_t seat, owner_id, mid, at;

	if (!j || !(owner = field(c, j, "owner", 64)) ||
	    !(member = field(c, j, "member", 64)) ||
	    !(note = field(c, j, "note", NOTE_MAX)) || at_field(c, j, &at) < 0)
		return;
	vis = visibility_field(j);
	if (!vis || !*vis) {
		sb_control_bad(c, "visibility must be PUBLIC or PRIVATE");
		return;
	}
	if (holder_seat(c, owner, &seat, &owner_id) < 0)
		return;
	if ((mid = sb_member_lookup(c, member)) <= 0) {
		if (mid < 0)
			sb_db_fail(c);
		else
			sb_control_bad(c, "member: no such member");
		return;
	}
	if (db_exec(c->db, NULL,
		    "INSERT INTO prospect_notes (contract_id, seat_id,"
		    " member_id, note, visibility, created_at, modified_at)"
		    " SELECT contract_id, id, ?, ?, ?, ?, ? FROM seats"
		    " WHERE id = ?",
		    "issiii", mid, note, vis, at, at, seat) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	sb_json(c, 201,
		json_pack("{s:I, s:s+}", "id", (json_int_t)db_insert_id(c->db),
			  "owner", "urn:li:seat:",
			  arena_printf(c->a, "%lld", (long long)seat)));
}

void sb_control_notes_update(struct sb_ctx *c)
{
	json_t *j = sb_control_body(c), *id, *active;
	const char *note = NULL, *vis;
	int64_t at;
	uint64_t affected = 0;

	if (!j || at_field(c, j, &at) < 0)
		return;
	id = json_object_get(j, "id");
	active = json_object_get(j, "active");
	vis = visibility_field(j);
	if (!json_is_integer(id) || (vis && !*vis) ||
	    (active && !json_is_boolean(active))) {
		sb_control_bad(c, "id must be a note's id, visibility PUBLIC or "
				  "PRIVATE, active a boolean");
		return;
	}
	if (json_object_get(j, "note") && !(note = field(c, j, "note", NOTE_MAX)))
		return;
	if (db_exec(c->db, &affected,
		    "UPDATE prospect_notes SET note = COALESCE(?, note),"
		    " visibility = COALESCE(?, visibility),"
		    " active = IF(? < 0, active, ?), modified_at = ?"
		    " WHERE id = ?",
		    "ssiiii", note, vis, (int64_t)(active ? 1 : -1),
		    (int64_t)(active && json_is_true(active)), at,
		    (int64_t)json_integer_value(id)) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	if (!affected) {
		sb_json(c, 404,
			json_pack("{s:i, s:s}", "status", 404, "message",
				  "no such note"));
		return;
	}
	sb_json(c, 200, json_pack("{s:b}", "ok", 1));
}
