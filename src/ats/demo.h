/*
 * demo.h - the demo organisation `make run` loads (hirelink.fcgi
 * seed-demo): four people, one per role, 12 jobs with their pipelines and
 * members, 300 candidates with applications at every stage and their
 * history, notes, interview feedback and talent pools.
 *
 * Deterministic (a fixed seed: the same names, stages and notes on every
 * laptop; only the timestamps follow the clock) and idempotent: seeding an
 * organisation that has the demo already adds nothing.
 */
#ifndef HIRELINK_DEMO_H
#define HIRELINK_DEMO_H

#include "ats/ats.h"

/* The demo's people.  The passwords are printed by `make run`: they are
 * for a laptop, never for a real deployment. */
struct demo_user {
	const char *email, *name, *role, *seat, *password;
};

/* The four demo users (static); *n gets their number. */
const struct demo_user *ats_demo_users(size_t *n);

/* Creates the demo organisation.  The users are created when missing; the
 * rest in ONE transaction, only when the demo jobs are not there yet.
 * *added (may be NULL) tells whether anything was added.  DB_OK or a db
 * error (logged). */
int ats_demo_seed(struct db *db, bool *added);

#endif
