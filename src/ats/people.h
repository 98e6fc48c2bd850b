/*
 * people.h - managing the people of the organisation (F6): the admin's
 * user list, creating users, changing role and LinkedIn seat, deactivating
 * and reactivating, and a user changing their own password.
 *
 * Access is not checked here (the route table admits admins to the admin
 * pages); the rules that hold whoever calls are: an admin cannot deactivate
 * themselves, and the organisation never loses its last active admin
 * (ATS_INVALID with err set).  Deactivation ends the user's sessions in the
 * same transaction, so their next request is signed out.  Every change is
 * audited.  Results are arena-owned.
 */
#ifndef HIRELINK_PEOPLE_H
#define HIRELINK_PEOPLE_H

#include "ats/ats.h"

#define PASSWORD_MIN 8	  /* bytes */
#define PASSWORD_MAX 1024 /* bytes */

struct person {
	struct user user;
	const char *created_at; /* "YYYY-MM-DD" */
	const char
	    *last_seen; /* "YYYY-MM-DD HH:MM" of the newest session, "" */
};

struct person_list {
	struct person *v;
	size_t n;
	int64_t total; /* every match, for pagination */
};

/* The users whose name or email contains q ("" for all), active ones
 * first, by name: limit of them from offset, and how many match. */
int ats_people_list(struct db *db, struct arena *a, const char *q,
		    int64_t offset, int64_t limit, struct person_list *out);
/* DB_NOT_FOUND when there is no such user. */
int ats_person_get(struct db *db, struct arena *a, int64_t id,
		   struct user *out);
/* Active admins by name (for "ask an admin"). */
int ats_admins_list(struct db *db, struct arena *a, struct user **out,
		    size_t *n);

/* ats_user_create (validation, argon2id) plus the audit row "user.create",
 * in one transaction.  DB_DUPLICATE with err ("email") when taken. */
int ats_person_create(struct db *db, int64_t actor_id, const char *email,
		      const char *name, const char *role, const char *seat,
		      const char *password, const char *remote_addr,
		      int64_t *id, struct ats_error *err);
/* Changes the global role and the LinkedIn seat.  ATS_INVALID ("role")
 * when that would leave no active admin.  Audited "user.update" with
 * "role old->new, seat old->new". */
int ats_person_update(struct db *db, struct arena *a, int64_t actor_id,
		      int64_t id, const char *role, const char *seat,
		      const char *remote_addr, struct ats_error *err);
/* Deactivates (active false) or reactivates a user.  Deactivating deletes
 * every session of the user in the same transaction.  ATS_INVALID
 * ("user") when the actor deactivates themselves or the last active admin.
 * Audited "user.deactivate" / "user.activate". */
int ats_person_set_active(struct db *db, struct arena *a, int64_t actor_id,
			  int64_t id, bool active, const char *remote_addr,
			  struct ats_error *err);

/* The user changes their own password: current must verify (ATS_INVALID
 * "current_password" otherwise), new_password PASSWORD_MIN..MAX bytes
 * ("new_password").  Every other session of the user ends; the one whose
 * cookie token is keep_token (64 hex) continues.  Audited
 * "user.password". */
int ats_password_change(struct db *db, struct arena *a, int64_t user_id,
			const char *current, const char *new_password,
			const char *keep_token, const char *remote_addr,
			struct ats_error *err);

#endif
