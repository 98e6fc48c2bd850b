/*
 * members.c - who a LinkedIn member is: GET /v2/me with their token, their
 * Recruiter seat (seats API, application token), and the check of a stored
 * connection (refreshing an expired member token transparently, marking the
 * connection "reconnect" when LinkedIn refuses it).
 */
#include <string.h>

#include "linkedin/li_internal.h"

int li_me(struct li_client *li, struct arena *a, const char *access_token,
	  struct li_member *m, struct li_error *err)
{
	struct li_resp r;
	struct li_req rq = {
	    .method = "GET",
	    .base = li->s->cfg->linkedin_api_base,
	    .path = "/v2/me",
	    .label = "/v2/me",
	    .bearer = access_token,
	};
	const char *id = NULL, *first = NULL, *last = NULL;
	json_error_t je;

	int rc = li_call(li, a, &rq, &r, err);
	if (rc == LI_ERR_HTTP && r.status == 401 && err) {
		err->kind = rc = LI_ERR_RECONNECT;
		return rc;
	}
	if (rc != LI_OK)
		return rc;
	/* The lite profile; other members (firstName, headline...) are
	 * tolerated, the ones used must have these types. */
	if (!r.json ||
	    json_unpack_ex(r.json, &je, 0, "{s:s, s?s, s?s}", "id", &id,
			   "localizedFirstName", &first, "localizedLastName",
			   &last) < 0 ||
	    !*id || strlen(id) > 64) {
		log_error("linkedin /v2/me: unexpected answer: %s",
			  r.json ? je.text : "not JSON");
		li_err_set(err, LI_ERR_PROTOCOL, r.status, "",
			   "LinkedIn's /v2/me answer had an unexpected shape");
		return LI_ERR_PROTOCOL;
	}
	memset(m, 0, sizeof(*m));
	m->id = arena_strdup(a, id);
	m->urn = arena_printf(a, "urn:li:person:%s", id);
	m->first_name = arena_strdup(a, first ? first : "");
	m->last_name = arena_strdup(a, last ? last : "");
	m->seat_type = "none";
	if (!m->id || !m->urn || !m->first_name || !m->last_name) {
		li_err_set(err, LI_ERR_INTERNAL, 0, "", "out of memory");
		return LI_ERR_INTERNAL;
	}
	return LI_OK;
}

/* A seat element's type: seatRoles ["RECRUITER_SEAT"] or seatType
 * "RECRUITER" (hirelink convention; LinkedIn keeps these names private). */
static const char *seat_type_of(json_t *el)
{
	json_t *roles = json_object_get(el, "seatRoles"), *v;
	size_t i;
	json_array_foreach(roles, i, v)
	{
		const char *s = json_string_value(v);
		if (s && !strcmp(s, "RECRUITER_SEAT"))
			return "recruiter";
		if (s && !strcmp(s, "HIRING_MANAGER_SEAT"))
			return "hiring_manager";
	}
	const char *t = json_string_value(json_object_get(el, "seatType"));
	if (t && !strcmp(t, "RECRUITER"))
		return "recruiter";
	if (t && !strcmp(t, "HIRING_MANAGER"))
		return "hiring_manager";
	return "none";
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
		struct buf path = BUF_INIT;
		struct li_resp r;
		json_t *elements = NULL, *paging = NULL, *el;
		json_error_t je;
		size_t i;

		buf_adds(
		    &path,
		    "/v2/seats?q=seatsByAttributes&active=true&contracts=");
		buf_add_url(&path, s->contract_urn, strlen(s->contract_urn));
		buf_addf(&path, "&start=%lld&count=100", (long long)start);
		if (buf_failed(&path)) {
			buf_release(&path);
			li_err_set(err, LI_ERR_INTERNAL, 0, "",
				   "out of memory");
			return LI_ERR_INTERNAL;
		}
		struct li_req rq = {
		    .method = "GET",
		    .base = li->s->cfg->linkedin_api_base,
		    .path = path.data,
		    .label = "/v2/seats",
		};
		int rc = li_app_call(li, db, a, s, &rq, &r, err);
		buf_release(&path);
		if (rc != LI_OK)
			return rc;
		if (!r.json ||
		    json_unpack_ex(r.json, &je, 0, "{s:o, s?o}", "elements",
				   &elements, "paging", &paging) < 0 ||
		    !json_is_array(elements)) {
			log_error("linkedin /v2/seats: unexpected answer: %s",
				  r.json ? je.text : "not JSON");
			li_err_set(
			    err, LI_ERR_PROTOCOL, r.status, "",
			    "LinkedIn's seats answer had an unexpected shape");
			return LI_ERR_PROTOCOL;
		}
		json_array_foreach(elements, i, el)
		{
			const char *member =
			    json_string_value(json_object_get(el, "member"));
			if (!json_is_object(el) || !member ||
			    strcmp(member, m->urn))
				continue;
			const char *seat =
			    json_string_value(json_object_get(el, "seat"));
			json_t *id = json_object_get(el, "id");
			m->seat_type = seat_type_of(el);
			if (seat)
				m->seat_urn = arena_strdup(a, seat);
			else if (json_is_integer(id))
				m->seat_urn = arena_printf(
				    a, "urn:li:seat:%lld",
				    (long long)json_integer_value(id));
			return LI_OK;
		}
		json_int_t total =
		    json_integer_value(json_object_get(paging, "total"));
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
		rc = li_me(li, a, conn->tokens.access_token, &m, err);
		if (rc == LI_ERR_RECONNECT && !refreshed) {
			rc = refresh_connection(li, db, a, cfg, s, conn, err);
			if (rc == LI_OK)
				rc = li_me(li, a, conn->tokens.access_token, &m,
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
