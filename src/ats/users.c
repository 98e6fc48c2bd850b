/*
 * users.c - roles and seats (and the lookup of every list of words of
 * ats.h), people, their sessions and the audit log (sign-in throttling is
 * signin.c).
 *
 * A session token is 32 random bytes given to the browser as 64 hex chars;
 * the database keeps only SHA-256 of those bytes, so reading the sessions
 * table does not let anyone sign in.  Each session carries its own CSRF token.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "ats/ats.h"
#include "ats/check.h"
#include "core/crypto.h"

const char *ats_word_label(const struct ats_word *words, const char *value)
{
	for (size_t i = 0; value && words[i].value; i++)
		if (!strcmp(value, words[i].value))
			return words[i].label;
	return NULL;
}

const struct ats_word ats_roles[] = {
    {"admin", "Admin"},
    {"recruiter", "Recruiter"},
    {"hiring_manager", "Hiring manager"},
    {"interviewer", "Interviewer"},
    {NULL, NULL},
};

const struct ats_word ats_seats[] = {
    {"recruiter", "Recruiter"},
    {"hiring_manager", "Hiring manager"},
    {"none", "None"},
    {NULL, NULL},
};

enum role role_from_name(const char *s)
{
	for (size_t i = 0; s && ats_roles[i].value; i++)
		if (!strcmp(s, ats_roles[i].value))
			return (enum role)(1 << i);
	return ROLE_NONE;
}

const char *role_name(enum role r)
{
	for (size_t i = 0; ats_roles[i].value; i++)
		if (r == (enum role)(1 << i))
			return ats_roles[i].value;
	return "none";
}

bool seat_valid(const char *s)
{
	return ats_word_label(ats_seats, s) != NULL;
}

/* An address good enough to sign in with: one '@', something on each side,
 * no spaces or control characters. */
static bool email_plausible(const char *e)
{
	const char *at = strchr(e, '@');
	if (!at || at == e || !at[1] || strchr(at + 1, '@'))
		return false;
	for (const unsigned char *p = (const unsigned char *)e; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

int ats_user_create(struct db *db, const char *email, const char *name,
		    const char *role, const char *seat, const char *password,
		    int64_t *id, struct ats_error *err)
{
	size_t elen = email ? strlen(email) : 0, nlen = name ? strlen(name) : 0;

	if (!elen || elen > 254 || !utf8_valid(email, elen) ||
	    !email_plausible(email))
		return ats_invalid(err, "email", "must be an email address");
	static const char name_length[] =
	    "must be 1 to 200 characters on one line";
	if (nlen > 800)
		return ats_invalid(err, "name", name_length);
	if (ats_line_check(err, "name", name, 1, 200, name_length) != DB_OK)
		return ATS_INVALID;
	if (role_from_name(role) == ROLE_NONE)
		return ats_invalid(
		    err, "role",
		    "must be admin, recruiter, hiring_manager or "
		    "interviewer");
	if (!seat_valid(seat))
		return ats_invalid(err, "seat",
				   "must be recruiter, hiring_manager or none");
	if (!password || strlen(password) < 8 || strlen(password) > 1024)
		return ats_invalid(err, "password",
				   "must be 8 to 1024 characters");

	char hash[PASSWORD_HASH_MAX];
	if (password_hash(password, hash) < 0)
		return DB_ERROR;
	int rc = db_exec(db, NULL,
			 "INSERT INTO users (email, name, first_name, last_name, "
			 "password_hash, role, seat) SELECT ?, ?, "
			 "SUBSTRING_INDEX(n, ' ', 1), TRIM(SUBSTRING(n, "
			 "CHAR_LENGTH(SUBSTRING_INDEX(n, ' ', 1)) + 2)), ?, ?, "
			 "? FROM (SELECT TRIM(?) AS n) x",
			 "ssssss", email, name, hash, role, seat, name);
	if (rc == DB_DUPLICATE)
		ats_invalid(err, "email", "is already taken");
	if (rc == DB_OK && id)
		*id = (int64_t)db_insert_id(db);
	return rc;
}

void ats_user_from_row(struct user *u, const struct db_row *r)
{
	u->id = db_int(r, 0);
	u->email = r->v[1];
	u->name = r->v[2];
	u->role = role_from_name(r->v[3]);
	u->seat = r->v[4];
	u->active = db_int(r, 5) != 0;
}

int ats_user_by_email(struct db *db, struct arena *a, const char *email,
		      struct user *u, const char **password_hash)
{
	struct db_row r;
	int rc =
	    db_query_row(db, a, &r,
			 "SELECT " ATS_USER_COLUMNS
			 ", u.password_hash FROM users u WHERE u.email = ?",
			 "s", email);
	if (rc != DB_OK)
		return rc;
	ats_user_from_row(u, &r);
	if (password_hash)
		*password_hash = r.v[6];
	return DB_OK;
}

int ats_user_set_password(struct db *db, int64_t id, const char *password)
{
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(password, hash) < 0)
		return DB_ERROR;
	return db_exec(db, NULL, "UPDATE users SET password_hash = ? WHERE id = ?",
		       "si", hash, id);
}

int ats_user_count(struct db *db, struct arena *a, int64_t *n)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r, "SELECT COUNT(*) FROM users", "");
	if (rc == DB_OK)
		*n = db_int(&r, 0);
	return rc;
}

/* ------------------------------------------------------------ sessions */

/* token (64 hex) -> SHA-256 of its 32 bytes; -1 when not a token at all */
static int token_hash(const char *token, unsigned char out[SHA256_LEN])
{
	unsigned char raw[32];
	if (!token || strlen(token) != SESSION_TOKEN_HEX ||
	    hex_decode(token, raw, sizeof(raw)) < 0)
		return -1;
	crypto_sha256(raw, sizeof(raw), out);
	return 0;
}

int ats_session_create(struct db *db, int64_t user_id, int absolute_hours,
		       const char *remote_addr, const char *user_agent,
		       char token[SESSION_TOKEN_HEX + 1], char csrf[65])
{
	unsigned char raw[32], hash[SHA256_LEN];

	if (crypto_random(raw, sizeof(raw)) < 0 || crypto_random_hex(csrf, 32) < 0)
		return DB_ERROR;
	hex_encode(raw, sizeof(raw), token);
	crypto_sha256(raw, sizeof(raw), hash);
	char ua[256];
	snprintf(ua, sizeof(ua), "%s", user_agent ? user_agent : "");
	/* cut on a character boundary so the column stays valid UTF-8 */
	size_t n = strlen(ua);
	while (n && !utf8_valid(ua, n))
		ua[--n] = '\0';
	return db_exec(db, NULL,
		       "INSERT INTO sessions (token_hash, user_id, csrf_token, "
		       "expires_at, remote_addr, user_agent) VALUES (?, ?, ?, "
		       "NOW(3) + INTERVAL ? HOUR, ?, ?)",
		       "bisiss", hash, sizeof(hash), user_id, csrf,
		       (int64_t)absolute_hours, remote_addr ? remote_addr : "",
		       ua);
}

/*
 * The session cache.  Every page starts with the session check, and on a
 * busy server that statement was a third of MariaDB's work (make bench), so
 * this process remembers a checked session for a few seconds.
 *
 * What keeps it exact: any change to sessions or users made by this process
 * (sign-out, deactivation, a role or password change) bumps the generation,
 * which empties the cache at once; an entry is tagged with the generation
 * read *before* its statement, so a check racing a change is never kept.
 * What it bounds: a change made by another process (a second hirelink
 * behind the same MariaDB, SQL by hand) is seen within cache_seconds.  The
 * absolute expiry is checked on every hit; the idle expiry and the
 * once-a-minute touch go through MariaDB again at least every cache_seconds
 * (at most 60).  The cache holds copies: nothing in it points into a
 * request's arena.
 */
#define CACHE_SLOTS 1024

struct cached_session {
	pthread_mutex_t lock;
	unsigned char hash[SHA256_LEN];
	uint64_t generation;	/* 0: empty */
	int64_t checked_us;	/* time_mono_us() of the statement */
	int64_t expires_ms;	/* absolute expiry, epoch ms */
	int64_t user_id;
	enum role role;
	bool active;
	char email[255], name[801], seat[16], csrf[65];
};

static struct cached_session cache[CACHE_SLOTS];
static _Atomic uint64_t cache_generation = 1;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_init(void)
{
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		pthread_mutex_init(&cache[i].lock, NULL);
}

void ats_sessions_changed(void)
{
	atomic_fetch_add(&cache_generation, 1);
}

static struct cached_session *cache_slot(const unsigned char *hash)
{
	uint32_t h;
	memcpy(&h, hash, sizeof(h)); /* SHA-256 bytes are spread already */
	pthread_once(&cache_once, cache_init);
	return &cache[h % CACHE_SLOTS];
}

static bool cache_get(struct arena *a, const unsigned char *hash,
		      int cache_seconds, struct session *s)
{
	struct cached_session *e = cache_slot(hash);
	bool hit = false;
	pthread_mutex_lock(&e->lock);
	if (e->generation == atomic_load(&cache_generation) &&
	    !memcmp(e->hash, hash, SHA256_LEN) &&
	    time_mono_us() - e->checked_us < (int64_t)cache_seconds * 1000000 &&
	    time_now_ms() < e->expires_ms) {
		s->user = (struct user){
		    .id = e->user_id,
		    .email = arena_strdup(a, e->email),
		    .name = arena_strdup(a, e->name),
		    .role = e->role,
		    .seat = arena_strdup(a, e->seat),
		    .active = e->active,
		};
		memcpy(s->csrf, e->csrf, sizeof(s->csrf));
		hit = s->user.email && s->user.name && s->user.seat;
	}
	pthread_mutex_unlock(&e->lock);
	return hit;
}

static void cache_put(const unsigned char *hash, uint64_t generation,
		      int64_t checked_us, int64_t expires_ms,
		      const struct session *s)
{
	const struct user *u = &s->user;
	if (strlen(u->email) >= sizeof(cache[0].email) ||
	    strlen(u->name) >= sizeof(cache[0].name) ||
	    strlen(u->seat) >= sizeof(cache[0].seat))
		return;
	struct cached_session *e = cache_slot(hash);
	pthread_mutex_lock(&e->lock);
	memcpy(e->hash, hash, SHA256_LEN);
	e->generation = generation;
	e->checked_us = checked_us;
	e->expires_ms = expires_ms;
	e->user_id = u->id;
	e->role = u->role;
	e->active = u->active;
	strcpy(e->email, u->email);
	strcpy(e->name, u->name);
	strcpy(e->seat, u->seat);
	memcpy(e->csrf, s->csrf, sizeof(e->csrf));
	pthread_mutex_unlock(&e->lock);
}

int ats_session_load(struct db *db, struct arena *a, const char *token,
		     int idle_minutes, int cache_seconds, struct session *s)
{
	unsigned char hash[SHA256_LEN];
	struct db_row r;

	if (token_hash(token, hash) < 0)
		return DB_NOT_FOUND;
	if (cache_seconds > 0 && cache_get(a, hash, cache_seconds, s))
		return DB_OK;
	uint64_t generation = atomic_load(&cache_generation);
	int64_t checked_us = time_mono_us();
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT " ATS_USER_COLUMNS ", s.csrf_token, "
	    "s.last_seen_at < NOW(3) - INTERVAL 1 MINUTE, "
	    "CAST(UNIX_TIMESTAMP(s.expires_at) * 1000 AS INTEGER) "
	    "FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.token_hash = ? AND s.expires_at > NOW(3) "
	    "AND s.last_seen_at > NOW(3) - INTERVAL ? MINUTE AND u.active = 1",
	    "bi", hash, sizeof(hash), (int64_t)idle_minutes);
	if (rc != DB_OK)
		return rc;
	ats_user_from_row(&s->user, &r);
	snprintf(s->csrf, sizeof(s->csrf), "%s", r.v[6]);
	/* Touch at most once a minute: a page view should not cost a write. */
	if (db_int(&r, 7))
		rc = db_exec(db, NULL,
			     "UPDATE sessions SET last_seen_at = NOW(3) "
			     "WHERE token_hash = ?",
			     "b", hash, sizeof(hash));
	if (rc == DB_OK && cache_seconds > 0)
		cache_put(hash, generation, checked_us, db_int(&r, 8), s);
	return rc;
}

int ats_session_delete(struct db *db, const char *token)
{
	unsigned char hash[SHA256_LEN];
	if (token_hash(token, hash) < 0)
		return DB_OK;
	int rc = db_exec(db, NULL, "DELETE FROM sessions WHERE token_hash = ?",
			 "b", hash, sizeof(hash));
	ats_sessions_changed();
	return rc;
}

int ats_sessions_delete_for_user(struct db *db, int64_t user_id)
{
	int rc = db_exec(db, NULL, "DELETE FROM sessions WHERE user_id = ?",
			 "i", user_id);
	ats_sessions_changed();
	return rc;
}

/* ------------------------------------------------------------ audit */

int ats_audit(struct db *db, int64_t user_id, const char *action,
	      const char *entity, int64_t entity_id, const char *detail,
	      const char *remote_addr)
{
	return db_exec(db, NULL,
		       "INSERT INTO audit_log (user_id, action, entity, "
		       "entity_id, detail, remote_addr) VALUES (NULLIF(?, 0), "
		       "?, ?, NULLIF(?, 0), ?, ?)",
		       "ississ", user_id, action, entity ? entity : "",
		       entity_id, detail, remote_addr ? remote_addr : "");
}
