/*
 * members.c - who a LinkedIn member is, with their token: GET /v2/userinfo
 * for a token granted OpenID Connect's openid scope (what Connect asks for,
 * LI_MEMBER_SCOPE), GET /v2/me for one granted the lite profile
 * (r_liteprofile, connections made before LinkedIn deprecated it); their
 * Recruiter seat (seats API, application token); and the check of a stored
 * connection (refreshing an expired member token transparently, marking the
 * connection "reconnect" when LinkedIn refuses it).
 */
#include <string.h>

#include "linkedin/answers.h"
#include "linkedin/li_internal.h"

/* Whether a token's scope list (LinkedIn separates them with commas, the
 * authorization request with spaces) has want. */
static bool scope_has(const char *scope, const char *want)
{
	size_t n = strlen(want);
	for (const char *p = scope; p && *p; p += strcspn(p, ", ")) {
		p += strspn(p, ", ");
		if (!strncmp(p, want, n) &&
		    (!p[n] || p[n] == ',' || p[n] == ' '))
			return true;
	}
	return false;
}

/* Where a member is read from, and the names of their id and names. */
struct member_source {
	const char *path, *label;
	const char *id, *first, *last;
};

/* OpenID Connect (openid profile). */
static const struct member_source userinfo = {
    "/v2/userinfo", "/v2/userinfo", "sub", "given_name", "family_name"};
/* The lite profile (r_liteprofile), asking only for what is read
 * (LinkedIn's projection syntax). */
static const struct member_source lite_profile = {
    "/v2/me?projection=(id,localizedFirstName,localizedLastName)", "/v2/me",
    "id", "localizedFirstName", "localizedLastName"};

/* GET src with the member's token into m; 401 means the member must
 * connect again. */
static int member_read(struct li_client *li, struct arena *a,
		       const struct member_source *src,
		       const char *access_token, struct li_member *m,
		       struct li_error *err)
{
	struct li_resp r;
	const struct li_member_answer shape = {src->label, src->id, src->first,
					       src->last};
	struct li_req rq = {
	    .method = "GET",
	    .base = li->s->cfg->linkedin_api_base,
	    .path = src->path,
	    .label = src->label,
	    .bearer = access_token,
	};

	int rc = li_call(li, a, &rq, &r, err);
	if (rc == LI_ERR_HTTP && r.status == 401 && err)
		err->kind = rc = LI_ERR_RECONNECT;
	if (rc == LI_OK)
		rc = li_member_read(a, r.json, &shape, m, err);
	return rc;
}

int li_member_get(struct li_client *li, struct arena *a,
		  const struct li_tokens *t, struct li_member *m,
		  struct li_error *err)
{
	return member_read(
	    li, a, scope_has(t->scope, "openid") ? &userinfo : &lite_profile,
	    t->access_token, m, err);
}

/* One element of a seats answer. */
/* One page of seats from start: the elements and the total. */
static int seats_page(struct li_client *li, struct db *db, struct arena *a,
		      const struct li_settings *s, int64_t start,
		      json_t **elements, int64_t *total, struct li_error *err)
{
	struct buf path = BUF_INIT;
	struct li_resp r;
	json_t *paging = NULL;
	const struct li_field f[] = {
	    LI_ARRAY("elements", true, elements),
	    LI_OBJECT("paging", false, &paging),
	};
	const struct li_field pf[] = {LI_INT("total", false, total)};

	buf_adds(&path, "/v2/seats?q=seatsByAttributes&active=true&contracts=");
	buf_add_url(&path, s->contract_urn, strlen(s->contract_urn));
	buf_addf(&path, "&start=%lld&count=100", (long long)start);
	if (buf_failed(&path)) {
		buf_release(&path);
		return li_err_oom(err);
	}
	struct li_req rq = {
	    .method = "GET",
	    .base = li->s->cfg->linkedin_api_base,
	    .path = path.data,
	    .label = "/v2/seats",
	};
	int rc = li_app_call(li, db, a, s, &rq, &r, err);
	buf_release(&path);
	*total = 0;
	if (rc == LI_OK)
		rc = li_unpack(r.json, "seats", f, ARRAY_LEN(f), err);
	if (rc == LI_OK && paging)
		rc = li_unpack(paging, "seats paging", pf, ARRAY_LEN(pf), err);
	return rc;
}

int li_seat_lookup(struct li_client *li, struct db *db, struct arena *a,
		   const struct li_settings *s, struct li_member *m,
		   struct li_error *err)
{
	m->seat_type = "none";
	m->seat_urn = NULL;
	if (!s->contract_urn || !*s->contract_urn)
		return LI_OK;
	for (int64_t start = 0, page = 0; page < 20; page++) {
		json_t *elements, *el;
		int64_t total;
		size_t i;
		int rc =
		    seats_page(li, db, a, s, start, &elements, &total, err);
		if (rc != LI_OK)
			return rc;
		json_array_foreach(elements, i, el)
		{
			/* answers.c's reader, as the activities' seats poll
			 * reads them (fuzzed: tests/fuzz/fuzz_li_answers.c) */
			struct li_seat st;
			rc = li_seat_read(a, el, &st, err);
			if (rc != LI_OK)
				return rc;
			if (!strcmp(st.member, m->urn)) {
				m->seat_type = st.type;
				m->seat_urn = st.seat;
				return LI_OK;
			}
		}
		start += (int64_t)json_array_size(elements);
		if (!json_array_size(elements) || start >= total)
			break;
	}
	return LI_OK;
}

/* ------------------------------------------------------------ connections */

static int refresh_connection(struct li_client *li, struct db *db,
			      struct arena *a, const struct config *cfg,
			      const struct li_settings *s,
			      struct li_connection *conn, struct li_error *err)
{
	struct li_tokens t;
	if (!conn->tokens.refresh_token ||
	    (conn->tokens.refresh_expires_at &&
	     conn->tokens.refresh_expires_at <= time_now_ms())) {
		li_err_set(err, LI_ERR_RECONNECT, 0, "",
			   "the LinkedIn connection has expired");
		return LI_ERR_RECONNECT;
	}
	int rc = li_refresh(li, a, s, conn->tokens.refresh_token, &t, err);
	if (rc != LI_OK)
		return rc;
	if (!t.refresh_token)
		t.refresh_token = conn->tokens.refresh_token;
	if (!t.scope)
		t.scope = conn->tokens.scope;
	if (li_connection_update_tokens(db, cfg, conn->user_id, &t) != DB_OK) {
		li_err_set(err, LI_ERR_DB, 0, "",
			   "could not store the new token");
		return LI_ERR_DB;
	}
	conn->tokens = t;
	log_info("linkedin member token of user %lld refreshed",
		 (long long)conn->user_id);
	return LI_OK;
}

int li_connection_check(struct li_client *li, struct db *db, struct arena *a,
			const struct config *cfg, const struct li_settings *s,
			struct li_connection *conn, struct li_error *err)
{
	struct li_member m;
	bool refreshed = false;
	int rc = LI_OK;

	if (conn->needs_reconnect) {
		li_err_set(err, LI_ERR_RECONNECT, 0, "",
			   "the LinkedIn connection must be renewed");
		return LI_ERR_RECONNECT;
	}
	if (conn->tokens.expires_at <= time_now_ms() + 60 * 1000) {
		rc = refresh_connection(li, db, a, cfg, s, conn, err);
		refreshed = rc == LI_OK;
	}
	if (rc == LI_OK) {
		rc = li_member_get(li, a, &conn->tokens, &m, err);
		if (rc == LI_ERR_RECONNECT && !refreshed) {
			rc = refresh_connection(li, db, a, cfg, s, conn, err);
			if (rc == LI_OK)
				rc = li_member_get(li, a, &conn->tokens, &m,
						   err);
		}
	}
	if (rc == LI_ERR_RECONNECT) {
		li_connection_mark_reconnect(db, conn->user_id);
		conn->needs_reconnect = true;
		return rc;
	}
	if (rc != LI_OK)
		return rc;
	if (strcmp(m.urn, conn->member.urn)) {
		/* The token now speaks for another member: do not guess. */
		li_connection_mark_reconnect(db, conn->user_id);
		conn->needs_reconnect = true;
		li_err_set(
		    err, LI_ERR_RECONNECT, 0, "",
		    "LinkedIn reports another member for this connection");
		return LI_ERR_RECONNECT;
	}
	conn->member.first_name = m.first_name;
	conn->member.last_name = m.last_name;
	li_connection_checked(db, conn->user_id, &m);
	return LI_OK;
}
