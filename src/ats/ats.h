/*
 * ats.h - the domain's common ground: roles, people, sessions, sign-in
 * throttling, audit.  Each page family has its own header beside this one
 * (jobs.h, candidates.h, pools.h, access.h).  Plain functions over
 * the database that know nothing of HTTP or HTML; the web layer and the
 * admin verbs call them, tests call them directly.
 *
 * Results are arena-owned.  Functions return DB_OK or a negative db_status
 * (DB_NOT_FOUND, DB_DUPLICATE, DB_GONE...), or ATS_INVALID for bad input,
 * with the offending field and message in struct ats_error when given.
 */
#ifndef HIRELINK_ATS_H
#define HIRELINK_ATS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/core.h"
#include "db/db.h"

enum { ATS_INVALID = -100 };

/* A word of the domain as the code and the database spell it, and as
 * people read it: {"hiring_manager", "Hiring manager"}.  The lists of
 * them (roles and seats here; job statuses, member roles and stage kinds
 * in jobs.h; rejection reasons and recommendations in applications.h) are
 * in the order forms offer them and end with {NULL, NULL}. */
struct ats_word {
	const char *value;
	const char *label;
};

/* value's label in words (static string); NULL when value (may be NULL)
 * is not one of them. */
const char *ats_word_label(const struct ats_word *words, const char *value);

struct ats_error {
	const char *field;
	const char *message;
};

enum role {
	ROLE_NONE = 0,
	ROLE_ADMIN = 1 << 0,
	ROLE_RECRUITER = 1 << 1,
	ROLE_HIRING_MANAGER = 1 << 2,
	ROLE_INTERVIEWER = 1 << 3,
};
#define ROLE_ANY_USER (ROLE_ADMIN | ROLE_RECRUITER | ROLE_HIRING_MANAGER | ROLE_INTERVIEWER)

/* The roles in the order of enum role's bits: admin, recruiter,
 * hiring_manager, interviewer. */
extern const struct ats_word ats_roles[];
/* The LinkedIn Recruiter seats a user may hold: recruiter,
 * hiring_manager, none. */
extern const struct ats_word ats_seats[];

enum role role_from_name(const char *s);   /* ROLE_NONE if unknown */
const char *role_name(enum role r);        /* static string */
bool seat_valid(const char *s);		   /* one of ats_seats */

struct user {
	int64_t id;
	const char *email;
	const char *name;
	enum role role;
	const char *seat;
	bool active;
};

/* ------------------------------------------------------------ users */

/* Validates and inserts; password is hashed here (argon2id).  The name's
 * first word is also kept as the user's first name, the rest as the last
 * name (sql/140: LinkedIn takes a note's author so).  DB_DUPLICATE when
 * the email exists. */
int ats_user_create(struct db *db, const char *email, const char *name,
		    const char *role, const char *seat, const char *password,
		    int64_t *id, struct ats_error *err);
int ats_user_by_email(struct db *db, struct arena *a, const char *email,
		      struct user *u, const char **password_hash);
int ats_user_set_password(struct db *db, int64_t id, const char *password);
int ats_user_count(struct db *db, struct arena *a, int64_t *n);

/* ------------------------------------------------------------ sessions */

#define SESSION_TOKEN_HEX 64

struct session {
	struct user user;
	char csrf[65];
};

/* Creates a session; token gets 64 hex chars (the cookie value; only its
 * hash is stored). */
int ats_session_create(struct db *db, int64_t user_id, int absolute_hours,
		       const char *remote_addr, const char *user_agent,
		       char token[SESSION_TOKEN_HEX + 1], char csrf[65]);
/* Loads a live session (not expired, not idle longer than idle_minutes,
 * user active) and touches last_seen_at at most once a minute.
 * DB_NOT_FOUND when there is none.  A session checked less than
 * cache_seconds ago (0: never) is answered from this process's memory; see
 * users.c for what keeps that exact. */
int ats_session_load(struct db *db, struct arena *a, const char *token,
		     int idle_minutes, int cache_seconds, struct session *s);
int ats_session_delete(struct db *db, const char *token);
int ats_sessions_delete_for_user(struct db *db, int64_t user_id);
/* Forget every cached session: call after any change to users or
 * sessions (after its commit; the functions here do it themselves). */
void ats_sessions_changed(void);

/* ------------------------------------------------------------ sign-in throttling */

/* The limits of signin.c's rules (the login_* settings). */
struct signin_limits {
	int window_s;	 /* login_window_seconds */
	int pair_max;	 /* login_max_failures */
	int address_max; /* login_address_max_failures */
	int delay_after; /* login_delay_after_failures */
};

/* Counts a sign-in as email from remote_addr before its password is
 * checked.  *wait_s 0: it may go ahead, and its outcome must follow with
 * ats_signin_end.  Otherwise a rule refuses it, nothing is counted, and
 * *wait_s is how many seconds until the same sign-in could pass. */
int ats_signin_begin(struct db *db, const char *email, const char *remote_addr,
		     const struct signin_limits *l, int *wait_s);
/* The outcome of a sign-in ats_signin_begin let through: ok, the password
 * was right (and the account active). */
int ats_signin_end(struct db *db, const char *email, const char *remote_addr,
		   bool ok);
/* A sign-in ats_signin_begin let through whose password was not checked
 * after all (hirelink was too busy): it counts as no try. */
int ats_signin_abandon(struct db *db, const char *email,
		       const char *remote_addr);

/* ------------------------------------------------------------ audit */

int ats_audit(struct db *db, int64_t user_id, const char *action,
	      const char *entity, int64_t entity_id, const char *detail,
	      const char *remote_addr);

#endif
