/*
 * linkedin_connect.c - F7 Connect: a user links their LinkedIn member
 * (authorization code flow), sees it on the Connections tab, checks it,
 * disconnects; and F15, dismissing the notice for browsers LinkedIn no
 * longer supports (app.c shows it).
 *
 * The flow: GET /settings/linkedin/connect stores the SHA-256 of a random
 * `state` bound to the session and redirects to LinkedIn's authorization
 * page; LinkedIn sends the browser back to /settings/linkedin/callback with
 * `code` and `state` (or `error`); the state is claimed once (an UPDATE
 * that only one request can win), the code exchanged, the member read
 * (/v2/userinfo) and their seat looked up (seats API, application token), then
 * the connection is stored with its tokens sealed.  Every outcome lands on
 * the Connections tab with a message chosen from a fixed list (?li=...):
 * nothing from the query string is reflected but a sanitised error code.
 */
#include <stdio.h>
#include <string.h>

#include "ats/ats.h"
#include "core/crypto.h"
#include "linkedin/linkedin.h"
#include "web/web.h"

#define TAB "/settings/user?tab=connections"

static const char *redirect_uri(struct ctx *c)
{
	return arena_printf(c->arena, "%s/settings/linkedin/callback",
			    c->cfg->public_base_url);
}

/* The session cookie: what a state is bound to.  NULL when none. */
static const char *session_token(struct ctx *c)
{
	const char *tok = http_cookie(c->req, SESSION_COOKIE);
	return tok && *tok ? tok : NULL;
}

/* The outcome of a LinkedIn call as a ?li= code. */
static const char *outcome_code(const struct li_error *err)
{
	switch (err->kind) {
	case LI_ERR_TIMEOUT:
		return "timeout";
	case LI_ERR_CONNECT:
		return "unreachable";
	case LI_ERR_CONFIG:
		return "not_set_up";
	case LI_ERR_RECONNECT:
		return "refused";
	default:
		return "failed";
	}
}

static void li_err_set_db(struct li_error *err)
{
	err->kind = LI_ERR_DB;
	snprintf(err->message, sizeof(err->message),
		 "the LinkedIn connection could not be stored");
}

static void budget_end(void *li)
{
	li_client_set_deadline(li, 0);
}

/* The page's LinkedIn calls share one budget (linkedin_timeout_ms), which
 * ends with the request. */
static void budget(struct ctx *c)
{
	li_client_set_deadline(c->w->li,
			       time_mono_us() +
				   (int64_t)c->cfg->linkedin_timeout_ms * 1000);
	arena_on_reset(c->arena, budget_end, c->w->li);
}

static int to_tab(struct ctx *c, const char *code)
{
	const char *loc = arena_printf(c->arena, TAB "&li=%s", code);
	return web_see_other(c, loc ? loc : TAB);
}

/* ------------------------------------------------------------ connect */

int web_linkedin_connect(struct ctx *c)
{
	struct li_settings s;
	const char *token = session_token(c);
	char state[65];

	int rc = li_settings_load(c->db, c->arena, c->cfg, &s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!li_settings_ready(&s))
		return to_tab(c, "not_set_up");
	if (!token || crypto_random_hex(state, 32) < 0)
		return 500;
	rc = li_oauth_state_store(c->db, state, token, c->session->user.id);
	if (rc != DB_OK)
		return web_status_from_db(rc);

	struct buf url = BUF_INIT;
	const char *ru = redirect_uri(c);
	buf_adds(&url, c->cfg->linkedin_oauth_base);
	buf_adds(&url, "/oauth/v2/authorization?response_type=code&client_id=");
	buf_add_url(&url, s.client_id, strlen(s.client_id));
	buf_adds(&url, "&redirect_uri=");
	buf_add_url(&url, ru, ru ? strlen(ru) : 0);
	buf_adds(&url, "&state=");
	buf_adds(&url, state);
	buf_adds(&url, "&scope=");
	buf_add_url(&url, LI_MEMBER_SCOPE, strlen(LI_MEMBER_SCOPE));
	if (buf_failed(&url) || !ru) {
		buf_release(&url);
		return 500;
	}
	http_redirect(c->res, 302, url.data);
	buf_release(&url);
	return 302;
}

/* Claims the state once.  0 when it is this session's, fresh and unused. */
static int claim_state(struct ctx *c, const char *state)
{
	const char *token = session_token(c);
	if (!state || strlen(state) != 64 || !token)
		return -1;
	int rc = li_oauth_state_claim(c->db, c->arena, state, token,
				      c->session->user.id);
	return rc == DB_OK ? 0 : -1;
}

/* An OAuth error code as LinkedIn sent it, if it is a plain word. */
static const char *safe_code(struct ctx *c, const char *e)
{
	size_t n = strlen(e);
	if (!n || n > 64)
		return "unknown";
	for (size_t i = 0; i < n; i++)
		if (!((e[i] >= 'a' && e[i] <= 'z') || e[i] == '_' ||
		      (e[i] >= '0' && e[i] <= '9')))
			return "unknown";
	return arena_strdup(c->arena, e);
}

int web_linkedin_callback(struct ctx *c)
{
	struct li_settings s;
	struct li_tokens t;
	struct li_member m;
	struct li_error err = {0};
	const char *state = web_text(c, "state", 0);
	const char *code = web_text(c, "code", 0);
	const char *error = web_text(c, "error", 0);

	if (c->input_status)
		return c->input_status;
	if (claim_state(c, state) < 0) {
		log_warn("linkedin callback with an unknown, used, expired or "
			 "foreign state (user %lld)",
			 (long long)c->session->user.id);
		return to_tab(c, "state");
	}
	if (*error) {
		if (!strncmp(error, "user_cancelled", 14))
			return to_tab(c, "cancelled");
		const char *loc =
		    arena_printf(c->arena, TAB "&li=denied&li_error=%s",
				 safe_code(c, error));
		return web_see_other(c, loc ? loc : TAB);
	}
	if (!*code || strlen(code) > 2000)
		return to_tab(c, "failed");
	int rc = li_settings_load(c->db, c->arena, c->cfg, &s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!li_settings_ready(&s))
		return to_tab(c, "not_set_up");

	budget(c);
	rc = li_exchange_code(c->w->li, c->arena, &s, code, redirect_uri(c), &t,
			      &err);
	bool granted = rc == LI_OK;
	if (rc == LI_OK)
		rc = li_member_get(c->w->li, c->arena, &t, &m, &err);
	if (rc == LI_OK)
		rc = li_seat_lookup(c->w->li, c->db, c->arena, &s, &m, &err);
	if (rc == LI_OK &&
	    (rc = li_connection_store(c->db, c->cfg, c->session->user.id, &m,
				      &t)) != DB_OK)
		li_err_set_db(&err);
	/* The member sees the user's jobs in Recruiter (their ACLs); a
	 * failure here leaves the connection made and the jobs as they
	 * were, to follow with their next change. */
	if (rc == LI_OK &&
	    li_jobs_mark_for_member(c->db, c->session->user.id) != DB_OK)
		log_warn("linkedin connect of user %lld: their jobs are not "
			 "marked for LinkedIn: %s",
			 (long long)c->session->user.id, db_error(c->db));
	if (rc != LI_OK) {
		log_warn("linkedin connect of user %lld failed: %s",
			 (long long)c->session->user.id, li_error_text(&err));
		li_record_error(c->db, li_error_text(&err));
		if (granted) {
			/* Nothing is kept, so nothing may stay granted: a
			 * short extra budget to tell LinkedIn. */
			struct li_error ignored = {0};
			li_client_set_deadline(c->w->li,
					       time_mono_us() + 1000000);
			li_revoke(c->w->li, c->arena, &s,
				  t.refresh_token ? t.refresh_token
						  : t.access_token,
				  &ignored);
		}
		return to_tab(c, outcome_code(&err));
	}
	li_record_success(c->db);
	ats_audit(c->db, c->session->user.id, "linkedin.connect", "user",
		  c->session->user.id, m.urn, c->req->remote_addr);
	return to_tab(c, "connected");
}

/* The integration's settings and the user's connection to LinkedIn: 0, or
 * the answer: the tab saying not_set_up (when ready is asked for and the
 * settings are not) or none (when the user has no connection), or the
 * database's failure. */
static int connection_load(struct ctx *c, bool ready, const char *none,
			   struct li_settings *s, struct li_connection *conn)
{
	int rc = li_settings_load(c->db, c->arena, c->cfg, s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (ready && !li_settings_ready(s))
		return to_tab(c, "not_set_up");
	rc = li_connection_load(c->db, c->arena, c->cfg, c->session->user.id,
				conn);
	if (rc == DB_NOT_FOUND)
		return to_tab(c, none);
	return rc == DB_OK ? 0 : web_status_from_db(rc);
}

int web_linkedin_disconnect(struct ctx *c)
{
	struct li_settings s;
	struct li_connection conn;
	struct li_error err = {0};
	bool told = true;

	int st = connection_load(c, false, "disconnected", &s, &conn);
	if (st)
		return st;
	/* Revoking either token revokes the grant; the refresh token
	 * outlives the access token, so prefer it. */
	const char *tok = conn.tokens.refresh_token ? conn.tokens.refresh_token
						    : conn.tokens.access_token;
	if (tok && s.client_id && *s.client_id && s.client_secret) {
		budget(c);
		if (li_revoke(c->w->li, c->arena, &s, tok, &err) != LI_OK) {
			told = false;
			log_warn("linkedin revoke for user %lld failed: %s",
				 (long long)c->session->user.id,
				 li_error_text(&err));
		}
	} else
		told = false;
	int rc = li_connection_delete(c->db, c->session->user.id);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	/* The member no longer sees the user's jobs in Recruiter. */
	if (li_jobs_mark_for_member(c->db, c->session->user.id) != DB_OK)
		log_warn("linkedin disconnect of user %lld: their jobs are not "
			 "marked for LinkedIn: %s",
			 (long long)c->session->user.id, db_error(c->db));
	ats_audit(c->db, c->session->user.id, "linkedin.disconnect", "user",
		  c->session->user.id, conn.member.urn, c->req->remote_addr);
	return to_tab(c, told ? "disconnected" : "disconnected_local");
}

int web_linkedin_check(struct ctx *c)
{
	struct li_settings s;
	struct li_connection conn;
	struct li_error err = {0};

	int st = connection_load(c, true, "not_connected", &s, &conn);
	if (st)
		return st;
	budget(c);
	int rc = li_connection_check(c->w->li, c->db, c->arena, c->cfg, &s,
				     &conn, &err);
	if (rc == LI_OK)
		return to_tab(c, "checked");
	if (rc == LI_ERR_RECONNECT)
		return to_tab(c, "reconnect");
	return to_tab(c, outcome_code(&err));
}

int web_linkedin_settings(struct ctx *c)
{
	return web_see_other(c, TAB);
}

/* ------------------------------------------------------------ the tab */

static const struct {
	const char *code;
	bool ok;
	const char *text;
} messages[] = {
    {"connected", true, "Connected to LinkedIn."},
    {"checked", true, "Your LinkedIn connection works."},
    {"disconnected", true,
     "Disconnected from LinkedIn: hirelink has forgotten your LinkedIn "
     "tokens and LinkedIn has revoked them."},
    {"disconnected_local", true,
     "Disconnected: hirelink has forgotten your LinkedIn tokens, but "
     "LinkedIn could not be told. You can also remove hirelink under "
     "Settings & Privacy on LinkedIn."},
    {"cancelled", false,
     "You cancelled the LinkedIn sign-in. Nothing was saved; click Connect "
     "to try again."},
    {"denied", false,
     "LinkedIn did not authorize the connection. Nothing was saved."},
    {"state", false,
     "That LinkedIn sign-in could not be matched to this session (it was "
     "already used, had expired, or was started in another session). "
     "Nothing was saved; click Connect to start again."},
    {"timeout", false,
     "LinkedIn did not answer in time. Nothing was saved; please try again "
     "in a moment."},
    {"unreachable", false,
     "hirelink could not reach LinkedIn (the connection was refused or "
     "failed). Nothing was saved; please try again later or tell an admin."},
    {"refused", false,
     "LinkedIn refused the sign-in (the authorization had expired or was "
     "already used). Nothing was saved; click Connect to try again."},
    {"failed", false,
     "LinkedIn answered with an error. Nothing was saved; an admin can see "
     "the details on the LinkedIn integration page."},
    {"reconnect", false,
     "LinkedIn no longer accepts this connection: please reconnect."},
    {"not_connected", false, "You are not connected to LinkedIn."},
    {"not_set_up", false, "The LinkedIn integration is not set up yet."},
};

int web_linkedin_connections_context(struct ctx *c)
{
	struct li_settings s;
	struct li_connection conn;
	json_t *li = json_object();
	int rc;

	if (!li)
		return 500;
	json_object_set_new(c->page, "linkedin", li);
	rc = li_settings_load(c->db, c->arena, c->cfg, &s);
	if (rc != DB_OK)
		return web_status_from_db(rc);

	const char *code = web_text(c, "li", 0);
	for (size_t i = 0; i < ARRAY_LEN(messages); i++)
		if (!strcmp(code, messages[i].code)) {
			json_object_set_new(
			    li, messages[i].ok ? "flash_ok" : "flash_error",
			    json_string(messages[i].text));
			const char *e = web_text(c, "li_error", 0);
			if (!strcmp(code, "denied") && *e)
				json_object_set_new(
				    li, "flash_code",
				    json_string(safe_code(c, e)));
		}
	if (!li_settings_ready(&s)) {
		json_object_set_new(li, "not_set_up", json_true());
		return 200;
	}
	json_object_set_new(li, "ready", json_true());
	rc = li_connection_load(c->db, c->arena, c->cfg, c->session->user.id,
				&conn);
	if (rc == DB_NOT_FOUND)
		return 200;
	if (rc != DB_OK)
		return web_status_from_db(rc);
	/* An expired access token is refreshed here, transparently. */
	if (!conn.needs_reconnect && conn.tokens.expires_at <= time_now_ms()) {
		struct li_error err = {0};
		budget(c);
		li_connection_check(c->w->li, c->db, c->arena, c->cfg, &s,
				    &conn, &err);
	}
	const char *seat = conn.member.seat_type;
	json_object_set_new(
	    li, "connection",
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s?, s:s?}", "name",
		      arena_printf(c->arena, "%s%s%s", conn.member.first_name,
				   *conn.member.first_name ? " " : "",
				   conn.member.last_name),
		      "urn", conn.member.urn, "seat",
		      !strcmp(seat, "recruiter")	? "Recruiter"
		      : !strcmp(seat, "hiring_manager") ? "Hiring Manager"
							: "No Recruiter seat",
		      "seat_type", seat, "member_id", conn.member.id,
		      "needs_reconnect", conn.needs_reconnect, "connected_at",
		      conn.connected_at, "checked_at", conn.checked_at));
	/* The seat LinkedIn lists for the member connected (li_seat_lookup,
	 * kept in linkedin_connections.seat_type) against the one hirelink's
	 * admin gave the user (users.seat, People page): what the LinkedIn
	 * tab shows follows the first, the admin's plan the second. */
	const char *assigned = c->session->user.seat;
	if (!conn.needs_reconnect && assigned && *seat &&
	    strcmp(seat, assigned) != 0) {
		const char *theirs = !strcmp(seat, "none")
					 ? "no seat"
					 : ats_word_label(ats_seats, seat);
		const char *ours = !strcmp(assigned, "none")
				       ? "no seat"
				       : ats_word_label(ats_seats, assigned);
		json_object_set_new(
		    li, "seat_mismatch",
		    json_pack("{s:s, s:s, s:s, s:s}", "linkedin_label",
			      theirs ? theirs : seat, "assigned_label",
			      ours ? ours : assigned, "linkedin_seat", seat,
			      "assigned_seat", assigned));
	}
	return 200;
}

/* ------------------------------------------------------------ F15 */

/* The notice itself is app.c's, on every page. */
int web_linkedin_ie11_dismiss(struct ctx *c)
{
	http_set_cookie(c->res, IE11_COOKIE, "1", 365L * 24 * 3600,
			c->req->https);
	return web_see_other(c, web_local_path(c, "next", "/"));
}
