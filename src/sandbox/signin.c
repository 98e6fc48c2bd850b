/*
 * signin.c - who is signed in to the sandbox's LinkedIn pages (the
 * Recruiter profile page, and the profile widget after it): a member
 * chosen on a sign-in page, as LinkedIn's own sign-in would establish, and
 * the CSRF token of that member's forms.
 *
 *   GET  /login    the sign-in page: a <select> of the seat holders, like
 *                  the consent page's (?next= a local path to go back to;
 *                  ?member= offers that member too: a prospect without a
 *                  seat signs in to read an InMail)
 *   POST /login    signs the member in: the cookie, then 303 to next
 *   POST /logout   signs out (with the member's CSRF token)
 *
 * No table: the cookie li_at (LinkedIn's name for its session cookie) is
 * "<member id>.<issued at, epoch s>.<hex HMAC(member key, member id "."
 * issued at)>", HttpOnly, SameSite=Lax, Secure behind TLS, valid a day;
 * the member key comes from hirelink's secret_key (so a restart keeps
 * members signed in) or is random per process.  The CSRF token of a
 * signed-in member's forms is an HMAC of the cookie under another key, so
 * it changes with each sign-in and a page elsewhere cannot know it.  The
 * sign-in form itself carries a signed issue time instead (as the consent
 * form does), valid 30 minutes.
 *
 * The sandbox's cookie and hirelink's share a host (127.0.0.1) but not a
 * name, and neither reads the other's.
 */
#include <stdlib.h>
#include <string.h>

#include "sandbox/sandbox.h"

#define COOKIE	     "li_at"
#define SESSION_TTL  86400 /* seconds */
#define SIGNIN_TTL   1800  /* the sign-in form, seconds */
#define MAX_MEMBER   32

/* ------------------------------------------------------------ keys */

void sb_member_keys(struct sb_app *app)
{
	static const char *const labels[] = {"linkedin-sandbox member session",
					     "linkedin-sandbox member csrf",
					     "linkedin-sandbox sign-in form"};
	unsigned char *keys[] = {app->member_key, app->csrf_key,
				 app->signin_key};

	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (!app->cfg->secret_key_set ||
		    crypto_derive_key(app->cfg->secret_key, AES_KEY_LEN,
				      labels[i], keys[i]) < 0)
			if (crypto_random(keys[i], SHA256_LEN) < 0)
				crypto_sha256(labels[i], strlen(labels[i]),
					      keys[i]);
}

/* hex HMAC(key, msg) into out (SB_SIGNATURE_SIZE). */
static void mac_hex(const unsigned char *key, const char *msg, char *out)
{
	unsigned char mac[SHA256_LEN];
	if (crypto_hmac_sha256(key, SHA256_LEN, msg, strlen(msg), mac) < 0)
		memset(mac, 0, sizeof(mac));
	hex_encode(mac, sizeof(mac), out);
}

/* ------------------------------------------------------------ the session */

/* The member id of a valid cookie value, arena-owned; NULL otherwise. */
static const char *cookie_member(struct sb_ctx *c, const char *value)
{
	const char *dot1, *dot2;
	char *signed_part, mac[SB_SIGNATURE_SIZE];
	int64_t issued, now = time_now_ms() / 1000;

	if (!value || strlen(value) > 200 || !(dot1 = strchr(value, '.')) ||
	    !(dot2 = strchr(dot1 + 1, '.')) || dot1 == value ||
	    dot1 - value > MAX_MEMBER)
		return NULL;
	signed_part = arena_strndup(c->a, value, (size_t)(dot2 - value));
	if (!signed_part)
		return NULL;
	mac_hex(c->app->member_key, signed_part, mac);
	if (strlen(dot2 + 1) != SB_SIGNATURE_SIZE - 1 ||
	    !crypto_equal(mac, dot2 + 1, SB_SIGNATURE_SIZE - 1))
		return NULL;
	if (parse_i64(signed_part + (dot1 - value) + 1, &issued) < 0 ||
	    issued > now + 60 || now - issued > SESSION_TTL)
		return NULL;
	return arena_strndup(c->a, value, (size_t)(dot1 - value));
}

int sb_member_signed_in(struct sb_ctx *c, struct sb_member *m)
{
	const char *id = cookie_member(c, http_cookie(c->req, COOKIE));
	struct db_row r;
	int rc;

	memset(m, 0, sizeof(*m));
	if (!id)
		return 0;
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT m.id, m.urn_id, m.first_name, m.last_name,"
			  " s.id, s.seat_type, c.organization_id FROM members m"
			  " LEFT JOIN seats s ON s.member_id = m.id"
			  " AND s.active = 1"
			  " LEFT JOIN contracts c ON c.id = s.contract_id"
			  " WHERE m.urn_id = ?",
			  "s", id);
	if (rc == DB_NOT_FOUND)
		return 0; /* a member the seed no longer has */
	if (rc != DB_OK)
		return -1;
	m->id = db_int(&r, 0);
	m->urn_id = r.v[1];
	m->first_name = r.v[2];
	m->last_name = r.v[3];
	m->seat_id = r.v[4] ? db_int(&r, 4) : 0;
	m->seat_type = r.v[5];
	m->organization_id = r.v[6] ? db_int(&r, 6) : 0;
	m->recruiter = r.v[5] && !strcmp(r.v[5], "RECRUITER");
	return 1;
}

const char *sb_member_csrf(struct sb_ctx *c)
{
	const char *cookie = http_cookie(c->req, COOKIE);
	char *out = arena_alloc(c->a, SB_SIGNATURE_SIZE);
	if (!out || !cookie)
		return NULL;
	mac_hex(c->app->csrf_key, cookie, out);
	return out;
}

bool sb_member_csrf_ok(struct sb_ctx *c)
{
	const char *want = sb_member_csrf(c);
	const char *got = http_form(c->req, "csrf");
	return want && got && strlen(got) == SB_SIGNATURE_SIZE - 1 &&
	       crypto_equal(want, got, SB_SIGNATURE_SIZE - 1);
}

/* ------------------------------------------------------------ pages */

/* The sign-in form's token for next: "<issued>.<hex HMAC(issued|next)>". */
static const char *signin_token(struct sb_ctx *c, int64_t issued,
				const char *next)
{
	char mac[SB_SIGNATURE_SIZE];
	const char *msg = arena_printf(c->a, "%lld|%s", (long long)issued,
				       next);
	if (!msg)
		return NULL;
	mac_hex(c->app->signin_key, msg, mac);
	return arena_printf(c->a, "%lld.%s", (long long)issued, mac);
}

static bool signin_token_ok(struct sb_ctx *c, const char *token,
			    const char *next)
{
	int64_t issued, now = time_now_ms() / 1000;
	const char *dot = token ? strchr(token, '.') : NULL;
	char *num;
	const char *want;

	if (!dot || dot - token > 20)
		return false;
	num = arena_strndup(c->a, token, (size_t)(dot - token));
	if (!num || parse_i64(num, &issued) < 0 || issued > now + 60 ||
	    now - issued > SIGNIN_TTL)
		return false;
	want = signin_token(c, issued, next);
	return want && strlen(want) == strlen(token) &&
	       crypto_equal(want, token, strlen(token));
}

/* The page to go back to: a local path, else the sandbox's home. */
static const char *next_of(const char *next)
{
	return next && http_local_path_ok(next) ? next : "/";
}

void sb_signin_page(struct sb_ctx *c)
{
	const char *next = next_of(http_query(c->req, "next"));
	struct sb_member me;
	json_t *holders, *ctx;
	int in = sb_member_signed_in(c, &me);

	if (in < 0 || !(holders = sb_seat_holders(c))) {
		sb_db_fail(c);
		return;
	}
	/* a member without a seat (a prospect reading an InMail) is offered
	 * when the link names them */
	const char *asked = http_query(c->req, "member");
	if (asked && *asked && strlen(asked) <= MAX_MEMBER) {
		struct db_row r;
		int rc = db_query_row(c->db, c->a, &r,
				      "SELECT urn_id, first_name, last_name"
				      " FROM members WHERE urn_id = ?",
				      "s", asked);
		if (rc == DB_OK)
			json_array_insert_new(
			    holders, 0,
			    json_pack("{s:s, s:s, s:s, s:s}", "id", r.v[0],
				      "firstName", r.v[1], "lastName", r.v[2],
				      "seatLabel", "no"));
		else if (rc != DB_NOT_FOUND) {
			json_decref(holders);
			sb_db_fail(c);
			return;
		}
	}
	ctx = json_pack("{s:o, s:s, s:s}", "holders", holders, "next", next,
			"signin", signin_token(c, time_now_ms() / 1000, next));
	if (ctx && in > 0) {
		/* not "me": the layout reads that as hirelink's signed-in
		 * user and would draw hirelink's navigation */
		json_object_set_new(ctx, "member",
				    json_pack("{s:s, s:s}", "firstName",
					      me.first_name, "lastName",
					      me.last_name));
		json_object_set_new(ctx, "csrf",
				    json_string(sb_member_csrf(c)));
	}
	sb_page(c, 200, "sandbox/signin", ctx);
}

void sb_signin(struct sb_ctx *c)
{
	const char *member = http_form(c->req, "member");
	const char *next = next_of(http_form(c->req, "next"));
	const char *cookie, *signed_part;
	char mac[SB_SIGNATURE_SIZE];
	struct db_row r;
	int rc;

	if (!signin_token_ok(c, http_form(c->req, "signin"), next)) {
		sb_error_page(c, 400,
			      "This sign-in form has expired. Go back, reload "
			      "the page and sign in again.");
		return;
	}
	if (!member || !*member || strlen(member) > MAX_MEMBER) {
		sb_error_page(c, 400, "Choose a member to sign in as.");
		return;
	}
	/* any member: LinkedIn's sign-in is everyone's (Recruiter's pages
	 * then ask for a seat) */
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT urn_id FROM members WHERE urn_id = ?", "s",
			  member);
	if (rc == DB_NOT_FOUND) {
		sb_error_page(c, 400, "There is no such LinkedIn member.");
		return;
	}
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	signed_part = arena_printf(c->a, "%s.%lld", r.v[0],
				   (long long)(time_now_ms() / 1000));
	if (!signed_part) {
		sb_db_fail(c);
		return;
	}
	mac_hex(c->app->member_key, signed_part, mac);
	cookie = arena_printf(c->a, "%s.%s", signed_part, mac);
	if (!cookie) {
		sb_db_fail(c);
		return;
	}
	http_set_cookie(c->res, COOKIE, cookie, SESSION_TTL, c->req->https);
	http_redirect(c->res, 303, next);
}

void sb_signout(struct sb_ctx *c)
{
	if (!sb_member_csrf_ok(c)) {
		sb_error_page(c, 403,
			      "This form has expired. Go back, reload the "
			      "page and try again.");
		return;
	}
	http_set_cookie(c->res, COOKIE, "", 0, c->req->https);
	http_redirect(c->res, 303, "/login");
}
