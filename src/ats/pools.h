/*
 * pools.h - talent pools (F5): named sets of candidates that recruiters
 * keep, and the one pool the system keeps, "LinkedIn" (kind 'linkedin',
 * F13), for members who shared their profile.
 *
 * The LinkedIn pool cannot be renamed or deleted, and people do not add or
 * remove its members by hand (the LinkedIn intake does, with
 * ats_pool_linkedin_add): those attempts return ATS_POOL_SYSTEM with a
 * message fit for the user in err, whoever calls.
 *
 * Access is not checked here: the route table admits admins and recruiters
 * (access.h: recruiters reach every candidate and pool).  Every change is
 * audited with the acting user (0 = the system).  Results are arena-owned.
 */
#ifndef HIRELINK_POOLS_H
#define HIRELINK_POOLS_H

#include "ats/ats.h"

/* The system pool refuses a rename, a delete or a hand-made membership
 * change (the web layer answers 409). */
enum { ATS_POOL_SYSTEM = -130 };

#define POOL_NAME_MAX 200 /* characters */

struct pool {
	int64_t id;
	const char *name;
	const char *kind;	/* user, linkedin */
	bool system;		/* kind linkedin */
	int64_t members;	/* member count */
	const char *created_at; /* "YYYY-MM-DD" */
	const char *created_by; /* user name, "" for the system */
};

struct pool_member {
	int64_t candidate_id;
	const char *name;     /* "First Last" */
	const char *email;    /* "" when unknown */
	const char *headline; /* "" when unknown */
	const char *added_at; /* "YYYY-MM-DD HH:MM" */
	const char *added_by; /* user name, "" for the system */
	/* where the member came from: the membership's source ("LinkedIn
	 * InMail reply"), else the candidate's; "" when none */
	const char *source;
};

struct pool_member_list {
	struct pool_member *v;
	size_t n;
	int64_t total;	 /* the members, for pagination (see total_more) */
	bool total_more; /* total is a lower bound: there are more */
};

/* Every pool with its member count: the system pool first, then by name. */
int ats_pools_list(struct db *db, struct arena *a, struct pool **out,
		   size_t *n);
/* ats_pools_list without the member counts (0): a form's choices, which
 * would otherwise count every member of every pool. */
int ats_pool_names(struct db *db, struct arena *a, struct pool **out,
		   size_t *n);
/* DB_NOT_FOUND when there is no such pool.  members is not counted (0):
 * ats_pool_members counts what a page needs. */
int ats_pool_get(struct db *db, struct arena *a, int64_t id, struct pool *out);

/* Validates the name (1-200 characters, one line, UTF-8; trim before
 * calling) and creates a user pool.  DB_DUPLICATE with err ("name") when a
 * pool of that name exists.  Audited "pool.create". */
int ats_pool_create(struct db *db, struct arena *a, int64_t actor_id,
		    const char *name, const char *remote_addr, int64_t *id,
		    struct ats_error *err);
/* DB_NOT_FOUND, ATS_INVALID, DB_DUPLICATE, or ATS_POOL_SYSTEM for the
 * LinkedIn pool.  Audited "pool.rename" with "old -> new". */
int ats_pool_rename(struct db *db, struct arena *a, int64_t actor_id,
		    int64_t id, const char *name, const char *remote_addr,
		    struct ats_error *err);
/* Deletes a user pool and its memberships (not the candidates).
 * DB_NOT_FOUND, or ATS_POOL_SYSTEM for the LinkedIn pool.  Audited
 * "pool.delete". */
int ats_pool_delete(struct db *db, struct arena *a, int64_t actor_id,
		    int64_t id, const char *remote_addr, struct ats_error *err);

/* The pool's members, newest first (by added_at, candidate_id).  total
 * counts them as far as offset + 2 * limit; beyond, total is that bound
 * and total_more is set. */
int ats_pool_members(struct db *db, struct arena *a, int64_t pool_id,
		     int64_t offset, int64_t limit,
		     struct pool_member_list *out);
/* Adds a candidate to a user pool (member) or removes them; adding one
 * already there or removing one not there changes nothing (*changed
 * false; changed may be NULL).  DB_NOT_FOUND for no such pool, ATS_INVALID
 * ("candidate_id") for no such candidate, ATS_POOL_SYSTEM for the LinkedIn
 * pool.  Audited "pool.member_add" or "pool.member_remove" when it
 * changed. */
int ats_pool_member_set(struct db *db, struct arena *a, int64_t actor_id,
			int64_t pool_id, int64_t candidate_id, bool member,
			const char *remote_addr, bool *changed,
			struct ats_error *err);
/* Candidates not in the pool who match q as the candidate search matches
 * (ats_candidates_not_in_pool), at most limit (for the pool page's "add"
 * search); added_at and added_by are "". */
int ats_pool_addable(struct db *db, struct arena *a, int64_t pool_id,
		     const char *q, int64_t limit,
		     struct pool_member_list *out);
/* For the LinkedIn intake (F13): puts the candidate into the system pool
 * (idempotent).  Runs inside the caller's transaction when one is open. */
int ats_pool_linkedin_add(struct db *db, int64_t candidate_id);

/* The pools a candidate is in (for the candidate page), by name; members
 * is not counted (0). */
int ats_candidate_pools(struct db *db, struct arena *a, int64_t candidate_id,
			struct pool **out, size_t *n);

#endif
