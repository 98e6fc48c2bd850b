/*
 * stubs.h - the LinkedIn talent pool (F13) from LinkedIn's side: InMail
 * stub profiles (mailStubs, CONTRACT-16 §3), read by the worker per seat
 * and applied by src/ats/talent_pool.c.
 *
 * The machinery is the Recruiting activities' (activities.h): the seats
 * of li_seats (read by "li_seats"), one outbox row per seat to read
 * ("li_stub_poll", entity li_seats.id) with the seat's own stub cursor,
 * and a periodic task that marks the seats whose next read is due
 * (linkedin_stubs_poll_minutes).  A read asked for now (the pool page's
 * Fetch now, LinkedIn's INMAIL_STUB_CREATED notification) marks the
 * rows at once.
 */
#ifndef HIRELINK_LI_STUBS_H
#define HIRELINK_LI_STUBS_H

#include <stdbool.h>

#include "linkedin/linkedin.h"
#include "linkedin/worker.h"

#define LI_OUTBOX_STUB_POLL "li_stub_poll" /* entity: li_seats.id */

/* A seat never read before is read this far back. */
#define LI_STUB_BACKFILL_MS (3LL * 24 * 60 * 60 * 1000)
/* Each read starts this much before the cursor (a stub LinkedIn stored
 * late); stubs are kept by id, so twice is once. */
#define LI_STUB_OVERLAP_MS (5LL * 60 * 1000)

/* The sender (worker.c's table): each seat's stubs from its cursor to
 * now, every page, each stub applied (ats_stub_apply). */
void li_send_stub_polls(struct li_worker *w, struct li_outbox_item *items,
			size_t n);
/* The worker loop's periodic task: marks each active seat whose stubs
 * are due and not already waiting.  DB status. */
int li_stubs_schedule(struct li_worker *w);
/* Fetch now: the contract's seats read again and every active seat's
 * stubs read at once.  *seats (may be NULL): the seats marked.  DB
 * status. */
int li_stubs_ask(struct db *db, int64_t *seats);
/* The stubs of seat_urn read at once (LinkedIn said one was made): the
 * seat is added to li_seats when hirelink has not seen it yet.  DB
 * status. */
int li_stubs_seat_ask(struct db *db, const char *seat_urn);

/* When the stubs were last read (for the pool page): the oldest
 * complete read over the active seats ("" never), the newest error ("" 
 * none), whether a read waits for the worker.  Arena-owned. */
struct li_stubs_state {
	const char *polled_at;
	const char *error;
	bool pending;
	int64_t seats;
};
int li_stubs_state(struct db *db, struct arena *a, struct li_stubs_state *out);

#endif
