/*
 * worker.h - `hirelink.fcgi worker`: drains the outbox (src/ats/outbox.h)
 * to LinkedIn.  For each kind of entity a sender in li_senders[]
 * (worker.c) sends a batch of claimed rows and says, per row, what
 * happened; the worker records it (done: the row goes; retry: backoff or
 * Retry-After; failed: dead at once) and polls for new rows every
 * worker_poll_ms when idle.  Several workers may run at once: the claim
 * hands each row to one of them.
 */
#ifndef HIRELINK_WORKER_H
#define HIRELINK_WORKER_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ats/outbox.h"
#include "core/config.h"
#include "db/db.h"

struct li_client;

/* What became of one item, set by its sender. */
enum li_item_result {
	LI_ITEM_DONE = 0, /* LinkedIn has it: the row goes */
	LI_ITEM_RETRY,	  /* a 429, a 5xx, a timeout: again after a while */
	LI_ITEM_FAILED,	  /* a permanent error (a 4xx other than 429): dead */
	/* not a failure: the row is due again after retry_after_ms, its
	 * attempts unchanged (a sender that paces itself, as the backfill) */
	LI_ITEM_LATER,
};

struct li_outbox_item {
	uint64_t outbox_id, entity_id;
	bool tombstone; /* the entity is gone: delete it at LinkedIn */
	int attempts;	/* failed attempts before this one */
	unsigned generation;
	/* set by the sender, one per item (the worker starts each at
	 * LI_ITEM_RETRY, retry_after_ms 0 and error ""): */
	enum li_item_result result;
	long retry_after_ms; /* 0 = the worker's backoff */
	char error[300];     /* shown to admins */
};

/* One worker: what a sender may use while it sends. */
struct li_worker {
	const struct config *cfg;
	struct db *db;
	struct li_client *li; /* NULL when LinkedIn is not set up here */
	struct arena *arena;  /* reset before each batch */
	/* what this worker did (log lines, tests) */
	uint64_t sent, retried, dead, superseded;
};

struct li_sender {
	const char *kind; /* ATS_OUTBOX_* */
	size_t batch_max; /* 1 to 100 rows a call */
	/* Sends items[0..n) and sets each one's result.  NULL: no sender
	 * yet; the kind's rows stay pending. */
	void (*send)(struct li_worker *w, struct li_outbox_item *items,
		     size_t n);
	/* The kind's rows wait, pending and unclaimed, while the integration
	 * is off here (li_settings_ready, an organization, a LinkedIn
	 * client): enabling it again sends what changed meanwhile.  false:
	 * the sender decides (most drop what cannot be sent). */
	bool hold_while_off;
	/* At most this many threads of a worker process send the kind at
	 * once, counted in *sending; 0 (sending NULL): as many as claim it. */
	unsigned at_once;
	atomic_uint *sending;
};

/* The senders, each in its LinkedIn API family's file. */
/* job_sync.c: the senders of job postings with their ACLs ("job") and of
 * the integration's enabling ("integration"). */
void li_send_jobs(struct li_worker *w, struct li_outbox_item *items, size_t n);
void li_send_integration(struct li_worker *w, struct li_outbox_item *items,
			 size_t n);
/* notifications.c: applies stored push notifications (ATS_OUTBOX_INBOUND_EVENT:
 * an inbound_events id), one by one with li_inbound_event_apply. */
void li_inbound_events_send(struct li_worker *w, struct li_outbox_item *items,
			    size_t n);

/* The senders `hirelink.fcgi worker` runs, one per kind. */
extern const struct li_sender li_senders[];
extern const size_t li_nsenders;

/*
 * One pass: for each sender with a send function, claims a batch of its
 * kind (leased for worker_lease_seconds), calls send and records each
 * item's result (worker_max_attempts).  Returns the number of rows handled
 * (> 0: there may be more, call again), 0 when nothing was due, or a
 * negative db_status when the database failed (rows claimed and not
 * recorded come back after their lease).
 */
int li_worker_run_once(struct li_worker *w, const struct li_sender *senders,
		       size_t n);

/*
 * Runs passes until SIGTERM or SIGINT, waiting worker_poll_ms between
 * passes that found nothing.  The caller blocks those signals in every
 * thread first (li_worker_block_signals) so that one arriving mid-batch
 * is seen once the batch is recorded, never in the middle of it.  0 after
 * a clean stop.
 */
void li_worker_block_signals(sigset_t *set);
int li_worker_loop(struct li_worker *w, const struct li_sender *senders,
		   size_t n, const sigset_t *stop);

/*
 * li_worker_loop with nw threads, ws[i] being thread i's (its own
 * database connection, LinkedIn client and arena): ws[0] runs on the
 * caller's thread, polls and waits for the stop signal; the others wake
 * when it finds rows and send batches until a pass of theirs finds none.
 * Returns once every thread has recorded its batch under way.  The
 * signals are blocked before (li_worker_block_signals), so every thread
 * inherits the mask.
 */
int li_worker_run(struct li_worker *ws, size_t nw,
		  const struct li_sender *senders, size_t n,
		  const sigset_t *stop);

#endif
