/*
 * auth.c - sign in and sign out.
 *
 * Sign-in is throttled per account and per address (login_failures), the
 * session token is rotated on every sign-in, and a wrong email costs the
 * same argon2 verification as a wrong password so that timing does not
 * tell which accounts exist.
 */
#include <string.h>

#include "core/crypto.h"
#include "web/web.h"

/* A valid argon2id hash of a random password: verifying against it takes as
 * long as a real verification. */
static const char dummy_hash[] =
	"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
	"Xx0rsnJ7mIpfPhBNvGJxBqg2lRcSeVhxbXv6VWzyXwQ";

static int login_page(struct ctx *c, const char *email, const char *next)
{
	c->template = "auth/login";
	c->title = "Sign in";
	json_object_set_new(c->page, "email", json_string(email));
	json_object_set_new(c->page, "next", json_string(next));
	return 200;
}

int web_login_form(struct ctx *c)
{
	if (c->session)
		return web_see_other(c, "/jobs");
	return login_page(c, "", web_local_path(c, "next", "/jobs"));
}

int web_login(struct ctx *c)
{
	const char *email = web_text(c, "email", 0);
	const char *password = web_password(c, "password");
	const char *next = web_local_path(c, "next", "/jobs");
	const char *addr = c->req->remote_addr;
	int64_t by_email = 0, by_addr = 0;
	struct user u;
	const char *hash = NULL;
	int rc;

	login_page(c, email, next);
	if (c->input_status)
		return c->input_status;
	if (!*email || strlen(email) > 254)
		return web_fail(c, 400, "email", "Enter your email address.");
	if (!*password || strlen(password) > 1024)
		return web_fail(c, 400, "password", "Enter your password.");

	rc = ats_login_failures(c->db, c->arena, email, addr,
				c->cfg->login_window_seconds, &by_email, &by_addr);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (by_email >= c->cfg->login_max_failures ||
	    by_addr >= c->cfg->login_max_failures) {
		char *secs = arena_printf(c->arena, "%d",
					  c->cfg->login_window_seconds);
		if (secs)
			http_header_add(c->res, "Retry-After", secs);
		return web_fail(c, 429, "email",
				"Too many failed sign-ins. Wait a few minutes "
				"and try again.");
	}

	rc = ats_user_by_email(c->db, c->arena, email, &u, &hash);
	if (rc != DB_OK && rc != DB_NOT_FOUND)
		return web_status_from_db(rc);
	bool found = rc == DB_OK;
	int ok = password_verify(found ? hash : dummy_hash, password);
	if (!found || ok != 1 || !u.active) {
		rc = ats_login_failure_record(c->db, email, addr);
		if (rc != DB_OK)
			return web_status_from_db(rc);
		return web_fail(c, 401, "password",
				"That email and password do not match.");
	}

	/* Rotate: whatever session this browser had ends here. */
	const char *old = http_cookie(c->req, SESSION_COOKIE);
	if (old && (rc = ats_session_delete(c->db, old)) != DB_OK)
		return web_status_from_db(rc);
	char token[SESSION_TOKEN_HEX + 1], csrf[65];
	rc = ats_session_create(c->db, u.id, c->cfg->session_absolute_hours, addr,
				c->req->user_agent, token, csrf);
	if (rc == DB_OK)
		rc = ats_audit(c->db, u.id, "login", "user", u.id, NULL, addr);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	http_set_cookie(c->res, SESSION_COOKIE, token, -1, c->req->https);
	c->req->user_label = arena_strdup(c->arena, u.email);
	return web_see_other(c, next);
}

int web_logout(struct ctx *c)
{
	int rc = ats_session_delete(c->db, http_cookie(c->req, SESSION_COOKIE));
	if (rc != DB_OK)
		return web_status_from_db(rc);
	http_set_cookie(c->res, SESSION_COOKIE, "", 0, c->req->https);
	return web_see_other(c, "/login");
}
