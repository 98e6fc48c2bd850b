/*
 * auth.c - sign in and sign out.
 *
 * Sign-in is throttled before the password is checked (ats_signin_begin:
 * per account and address pair, per address, and by delays per account;
 * src/ats/signin.c has the rules), the session token is rotated on every
 * sign-in, and a wrong email costs the same argon2 verification as a wrong
 * password so that timing does not tell which accounts exist.
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
		return web_see_other(c, web_home_path(&c->session->user));
	/* no next: the user's home, known once signed in */
	return login_page(c, "", web_local_path(c, "next", ""));
}

/* A sign-in a throttling rule refused: 429, and when to come back. */
static int too_many(struct ctx *c, int wait_s)
{
	char *secs = arena_printf(c->arena, "%d", wait_s);
	const char *msg = arena_printf(
	    c->arena, "Too many failed sign-ins. Try again in %d second%s.",
	    wait_s, wait_s == 1 ? "" : "s");
	if (secs)
		http_header_add(c->res, "Retry-After", secs);
	return web_fail(c, 429, "email",
			msg ? msg : "Too many failed sign-ins.");
}

/* A sign-in that found no free password check within login_queue_ms of
 * reaching nginx: asking again in a second beats a queue nobody waits out. */
static int busy(struct ctx *c)
{
	http_header_add(c->res, "Retry-After", "1");
	return web_fail(c, 503, "email",
			"Many people are signing in right now. Please try "
			"again in a moment.");
}

/* Whether password is email's, of an active account, into *ok (and the
 * account into u), for the holder of a password slot.  An unknown email
 * costs the same argon2 check. */
static int password_matches(struct ctx *c, const char *email,
			    const char *password, struct user *u, bool *ok)
{
	const char *hash = NULL;
	int rc = ats_user_by_email(c->db, c->arena, email, u, &hash);
	if (rc != DB_OK && rc != DB_NOT_FOUND)
		return rc;
	bool found = rc == DB_OK;
	int verified =
	    password_verify_in_slot(found ? hash : dummy_hash, password);
	*ok = found && verified == 1 && u->active;
	return DB_OK;
}

/* Signs u in with a new session, and sends the browser on to next. */
static int start_session(struct ctx *c, const struct user *u, const char *next)
{
	const char *addr = c->req->remote_addr;
	int rc;

	/* Rotate: whatever session this browser had ends here. */
	const char *old = http_cookie(c->req, SESSION_COOKIE);
	if (old && (rc = ats_session_delete(c->db, old)) != DB_OK)
		return web_status_from_db(rc);
	char token[SESSION_TOKEN_HEX + 1], csrf[65];
	rc = ats_session_create(c->db, u->id, c->cfg->session_absolute_hours,
				addr, c->req->user_agent, token, csrf);
	if (rc == DB_OK)
		rc =
		    ats_audit(c->db, u->id, "login", "user", u->id, NULL, addr);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	http_set_cookie(c->res, SESSION_COOKIE, token, -1, c->req->https);
	c->req->user_label = arena_strdup(c->arena, u->email);
	return web_see_other(c, next);
}

int web_login(struct ctx *c)
{
	const char *email = web_text(c, "email", 0);
	const char *password = web_password(c, "password");
	const char *next = web_local_path(c, "next", "");
	const char *addr = c->req->remote_addr;
	const struct signin_limits limits = {
	    .window_s = c->cfg->login_window_seconds,
	    .pair_max = c->cfg->login_max_failures,
	    .address_max = c->cfg->login_address_max_failures,
	    .delay_after = c->cfg->login_delay_after_failures,
	};
	struct user u;
	bool ok = false;
	int wait_s, rc;

	login_page(c, email, next);
	if (c->input_status)
		return c->input_status;
	if (!*email || strlen(email) > 254)
		return web_fail(c, 400, "email", "Enter your email address.");
	if (!*password || strlen(password) > 1024)
		return web_fail(c, 400, "password", "Enter your password.");

	/* Throttled first, so a refused sign-in never queues for a password
	 * check; one let through that then finds no check free in time is
	 * busy, and counts as no try. */
	rc = ats_signin_begin(c->db, email, addr, &limits, &wait_s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (wait_s)
		return too_many(c, wait_s);
	int64_t deadline = c->req->started_us - c->req->queued_us +
			   (int64_t)c->cfg->login_queue_ms * 1000;
	if (!password_slot_take(deadline)) {
		rc = ats_signin_abandon(c->db, email, addr);
		return rc == DB_OK ? busy(c) : web_status_from_db(rc);
	}
	rc = password_matches(c, email, password, &u, &ok);
	password_slot_give();
	if (rc == DB_OK)
		rc = ats_signin_end(c->db, email, addr, ok);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!ok)
		return web_fail(c, 401, "password",
				"That email and password do not match.");
	/* without a page to go back to, each role's home (system.c) */
	return start_session(c, &u, *next ? next : web_home_path(&u));
}

int web_logout(struct ctx *c)
{
	int rc = ats_session_delete(c->db, http_cookie(c->req, SESSION_COOKIE));
	if (rc != DB_OK)
		return web_status_from_db(rc);
	http_set_cookie(c->res, SESSION_COOKIE, "", 0, c->req->https);
	return web_see_other(c, "/login");
}
