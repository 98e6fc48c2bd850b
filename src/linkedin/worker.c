/*
 * worker.c - the outbox's worker (`hirelink.fcgi worker`): claims rows of
 * each kind in batches, hands them to the kind's sender and records what
 * the sender says about each one (outbox.h explains the claim, the lease
 * and the generation that keep a row from being sent twice or lost).
 *
 * The sender table below is the one place a kind of entity gets its way to
 * LinkedIn: a kind whose send is NULL is not claimed at all, so its rows
 * wait, pending, for the sender to be written.  A sender reads each
 * entity's current state (LinkedIn wants every field on every update),
 * sends the batch in one call where LinkedIn's API allows, and sets every
 * item's result; it never sleeps holding rows (a 429 or a 5xx is
 * LI_ITEM_RETRY with LinkedIn's Retry-After, and the row comes back when
 * that has passed).
 *
 * A kind marked hold_while_off (In ATS) is not claimed while the
 * integration is off here: its rows wait, and what changed while it was
 * off goes when it is enabled again (the rows are kept rather than a full
 * sync run, because they are exact: a note made private or a candidate
 * deleted while off is a deletion no later full sync would find); the
 * periodic "in ats hold" (sync_hold.c) parks them while off and releases
 * them a chunk at a time when on again, so that fresh changes go first.
 *
 * The loop runs in the process's first thread.  SIGTERM and SIGINT are
 * blocked and waited for (sigtimedwait) between passes, in place of the
 * idle sleep: a stop request lets the batch under way be recorded, then
 * ends the loop.  A SIGKILL mid-batch loses nothing: the rows come back
 * after the lease.
 *
 * With worker_threads > 1 (li_worker_run), the other threads, each with
 * its own database connection and LinkedIn client, sleep until the first
 * thread's pass finds rows, then claim and send batches of their own
 * (the claim hands each row to one thread, as it does to one of several
 * workers) until a pass finds none.  Only the first thread polls, so an
 * idle worker asks the database no more than a single thread would; a
 * stop request lets every thread's batch under way be recorded.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ats/bulk.h"
#include "ats/candidates.h"
#include "linkedin/candidates.h"
#include "linkedin/activities.h"
#include "linkedin/sync.h"
#include "linkedin/closed.h"
#include "linkedin/stubs.h"
#include "linkedin/worker.h"

/* Export notifications applied at once by one worker process.  Each
 * apply is a transaction of a dozen statements (the candidate, the
 * application, the stage counts, the event), nearly all of it MariaDB's
 * CPU, which niceness does not reach: with every thread applying, a flood
 * of exports took the two cores from LinkedIn's callback, whose p99 went
 * over 20 ms.  Two at once still apply about 1,000 exports a second
 * (tests/bench/README.md). */
static atomic_uint inbound_sending;

/* One row per kind of ATS_OUTBOX_*: its batch size and its sender. */
const struct li_sender li_senders[] = {
    /* job postings and their ACLs (simpleJobPostings, atsEntityAcls) */
    {.kind = ATS_OUTBOX_JOB, .batch_max = 100, .send = li_send_jobs},
    /* the integrations enabled or disabled at LinkedIn (atsIntegrations) */
    {.kind = ATS_OUTBOX_INTEGRATION,
     .batch_max = 10,
     .send = li_send_integration},
    /* push notifications received, to apply (exportedCandidates ...):
     * one LinkedIn call each, 3 s at worst, so a batch stays well inside
     * its lease */
    {.kind = ATS_OUTBOX_INBOUND_EVENT,
     .batch_max = 16,
     .send = li_inbound_events_send,
     .at_once = 2,
     .sending = &inbound_sending},
    /* the LinkedIn tab (candidates.c): links as manualMatchedMember, one
     * atsCandidates batch; the match query, one call each (3 s at worst) */
    {.kind = ATS_OUTBOX_CANDIDATE_LINK,
     .batch_max = 100,
     .send = li_send_candidate_links},
    {.kind = ATS_OUTBOX_CANDIDATE_MATCH,
     .batch_max = 16,
     .send = li_send_candidate_matches},
    /* Recruiting activities (activities.c): the contract's seats, then
     * each seat's InMail history and Recruiter notes (up to 16 windows
     * of 12 h a seat, each a few calls: few seats a batch keep it well
     * inside the lease) */
    {.kind = LI_OUTBOX_SEATS, .batch_max = 1, .send = li_send_seats},
    {.kind = LI_OUTBOX_SEAT_POLL, .batch_max = 4, .send = li_send_seat_polls},
    /* In ATS (sync.c): candidates past Prospect with their applications,
     * stages, feedback and public notes; a few calls a candidate, each
     * within 3 s, so LI_SYNC_BATCH of them stay inside the lease */
    {.kind = ATS_OUTBOX_CANDIDATE,
     .batch_max = LI_SYNC_BATCH,
     .send = li_send_candidates_sync,
     .hold_while_off = true},
    /* a job or stage renamed (sync_names.c): marks the candidates on the
     * job in chunks while the queue above is short */
    {.kind = ATS_OUTBOX_JOB_NAMES,
     .batch_max = 16,
     .send = li_send_job_names,
     .hold_while_off = true},
    /* the first full sync (sync_backfill.c): marks candidates in chunks
     * while the queue above is short */
    {.kind = LI_OUTBOX_BACKFILL, .batch_max = 1, .send = li_send_backfill},
    /* the LinkedIn talent pool (stubs.c): each seat's InMail stub
     * profiles; closed profiles (closed.c): one check, every page */
    {.kind = LI_OUTBOX_STUB_POLL, .batch_max = 4, .send = li_send_stub_polls},
    {.kind = LI_OUTBOX_CLOSED_CHECK,
     .batch_max = 1,
     .send = li_send_closed_checks},
};
const size_t li_nsenders = ARRAY_LEN(li_senders);

#define LI_BATCH_MAX 100

struct record {
	struct li_worker *w;
	const struct li_sender *s;
	struct li_outbox_item *items;
	enum ats_outbox_outcome *outcomes;
	size_t n;
};

/* Records every item's result in one transaction (run again whole after a
 * deadlock: each step sets absolute values, so a second run is the
 * same). */
static int record_txn(struct db *db, struct arena *a, void *arg)
{
	struct record *x = arg;
	int rc = DB_OK;
	/* the rows sent, completed together (one statement as a rule) */
	struct ats_outbox_row *done = arena_calloc(a, x->n, sizeof(*done));
	enum ats_outbox_outcome *done_out =
	    arena_calloc(a, x->n, sizeof(*done_out));
	size_t ndone = 0;
	if (!done || !done_out)
		return DB_ERROR;
	for (size_t i = 0; rc == DB_OK && i < x->n; i++) {
		const struct li_outbox_item *it = &x->items[i];
		const struct ats_outbox_row row = {
		    .id = it->outbox_id,
		    .entity_id = it->entity_id,
		    .tombstone = it->tombstone,
		    .attempts = it->attempts,
		    .generation = it->generation,
		};
		if (it->result == LI_ITEM_DONE)
			done[ndone++] = row;
		else if (it->result == LI_ITEM_LATER)
			rc = ats_outbox_later(db, &row, it->retry_after_ms,
					      &x->outcomes[i]);
		else
			rc = ats_outbox_fail(
			    db, &row, x->w->cfg->worker_max_attempts,
			    it->retry_after_ms, it->result == LI_ITEM_FAILED,
			    it->error, &x->outcomes[i], NULL);
	}
	if (rc == DB_OK)
		rc = ats_outbox_complete_many(db, a, done, ndone, done_out);
	for (size_t i = 0, k = 0; rc == DB_OK && i < x->n; i++)
		if (x->items[i].result == LI_ITEM_DONE)
			x->outcomes[i] = done_out[k++];
	return rc;
}

static void count(struct li_worker *w, const struct li_sender *s,
		  const struct li_outbox_item *items,
		  const enum ats_outbox_outcome *outcomes, size_t n,
		  int64_t started_us)
{
	uint64_t sent = 0, retried = 0, dead = 0, superseded = 0;
	for (size_t i = 0; i < n; i++) {
		switch (outcomes[i]) {
		case ATS_OUTBOX_SENT:
			sent++;
			break;
		case ATS_OUTBOX_RESCHEDULED:
			if (items[i].result == LI_ITEM_LATER)
				break; /* paced, not failed */
			retried++;
			log_info("outbox %s %llu: will try again: %s", s->kind,
				 (unsigned long long)items[i].entity_id,
				 items[i].error);
			break;
		case ATS_OUTBOX_DEAD:
			dead++;
			log_warn("outbox %s %llu: dead after %d attempts: %s",
				 s->kind,
				 (unsigned long long)items[i].entity_id,
				 items[i].attempts + 1, items[i].error);
			break;
		case ATS_OUTBOX_SUPERSEDED:
		case ATS_OUTBOX_GONE:
			superseded++;
			break;
		}
	}
	w->sent += sent;
	w->retried += retried;
	w->dead += dead;
	w->superseded += superseded;
	log_info("outbox %s: %zu claimed, %llu sent, %llu to retry, %llu "
		 "dead, %llu changed meanwhile (%lld ms)",
		 s->kind, n, (unsigned long long)sent,
		 (unsigned long long)retried, (unsigned long long)dead,
		 (unsigned long long)superseded,
		 (long long)((time_mono_us() - started_us) / 1000));
}

/* One batch of s's kind: claim, send, record.  Rows handled, or a
 * negative db_status. */
static int run_sender(struct li_worker *w, const struct li_sender *s)
{
	struct ats_outbox_row *rows;
	size_t n, max = s->batch_max;
	if (max < 1)
		max = 1;
	if (max > LI_BATCH_MAX)
		max = LI_BATCH_MAX;
	arena_reset(w->arena);
	int64_t t0 = time_mono_us();
	int rc = ats_outbox_claim(w->db, w->arena, s->kind, max,
				  w->cfg->worker_lease_seconds, &rows, &n);
	if (rc != DB_OK || n == 0)
		return rc;
	struct li_outbox_item *items =
	    arena_calloc(w->arena, n, sizeof(*items));
	enum ats_outbox_outcome *outcomes =
	    arena_calloc(w->arena, n, sizeof(*outcomes));
	if (!items || !outcomes)
		return DB_ERROR; /* the rows come back after the lease */
	for (size_t i = 0; i < n; i++) {
		items[i] = (struct li_outbox_item){
		    .outbox_id = rows[i].id,
		    .entity_id = rows[i].entity_id,
		    .tombstone = rows[i].tombstone,
		    .attempts = rows[i].attempts,
		    .generation = rows[i].generation,
		    .result = LI_ITEM_RETRY,
		};
	}
	s->send(w, items, n);
	for (size_t i = 0; i < n; i++) {
		items[i].error[sizeof(items[i].error) - 1] = '\0';
		if (items[i].result != LI_ITEM_DONE && !items[i].error[0])
			snprintf(items[i].error, sizeof(items[i].error),
				 "not sent (the %s sender gave no reason)",
				 s->kind);
	}
	struct record x = {w, s, items, outcomes, n};
	rc = db_transaction(w->db, record_txn, &x);
	if (rc != DB_OK) {
		log_error("outbox %s: cannot record the results of %zu rows "
			  "(they come back after the lease): %s",
			  s->kind, n, db_error(w->db));
		return rc;
	}
	count(w, s, items, outcomes, n, t0);
	return (int)n;
}

int li_worker_run_once(struct li_worker *w, const struct li_sender *senders,
		       size_t n)
{
	int handled = 0;
	/* which kinds have a row due, in one statement: a pass claims only
	 * those (an idle pass is one statement, not a claim a kind) */
	const char **kinds = n ? calloc(n, sizeof(*kinds)) : NULL;
	bool *due = n ? calloc(n, sizeof(*due)) : NULL;
	if (n && (!kinds || !due)) {
		free(kinds);
		free(due);
		return DB_ERROR;
	}
	for (size_t i = 0; i < n; i++)
		kinds[i] = senders[i].send ? senders[i].kind : NULL;
	arena_reset(w->arena);
	int drc = n ? ats_outbox_due(w->db, w->arena, kinds, n, due) : DB_OK;
	free(kinds);
	if (drc != DB_OK) {
		free(due);
		return drc;
	}
	/* the kinds held while the integration is off (In ATS: what changes
	 * meanwhile goes when it is on again) are not claimed then */
	bool held = false, off = false;
	for (size_t i = 0; i < n; i++)
		held |= due[i] && senders[i].send && senders[i].hold_while_off;
	if (held) {
		struct li_settings s;
		int src = li_settings_load(w->db, w->arena, w->cfg, &s);
		if (src != DB_OK) {
			free(due);
			return src;
		}
		off = !w->li || !li_settings_ready(&s) || !*s.organization_urn;
	}
	for (size_t i = 0; i < n; i++) {
		if (!senders[i].send || !due[i] ||
		    (off && senders[i].hold_while_off))
			continue;
		atomic_uint *sending = senders[i].sending;
		if (sending && atomic_fetch_add(sending, 1) >=
				   senders[i].at_once) {
			atomic_fetch_sub(sending, 1);
			continue;
		}
		int rc = run_sender(w, &senders[i]);
		if (sending)
			atomic_fetch_sub(sending, 1);
		if (rc < 0) {
			free(due);
			return rc;
		}
		handled += rc;
	}
	free(due);
	return handled;
}

void li_worker_block_signals(sigset_t *set)
{
	/* A shell starts a background job with SIGINT ignored, and an
	 * ignored signal is dropped, never pending: waited for instead. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	pthread_sigmask(SIG_BLOCK, set, NULL);
}

/* Waits up to ms for a stop signal: its number, or 0. */
static int wait_stop(const sigset_t *stop, long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	for (;;) {
		int sig = sigtimedwait(stop, NULL, &ts);
		if (sig > 0)
			return sig;
		if (errno != EINTR)
			return 0;
	}
}

/* What interrupted uploads left in data_dir (attachments.c). */
static int sweep_uploads(struct li_worker *w)
{
	struct ats_sweep swept;
	return ats_uploads_sweep(w->db, w->cfg->data_dir, true, &swept);
}

/* Periodic tasks of the loop, each run at the first turn and then at most
 * every every_ms (0: every upload_sweep_minutes); a failure is logged and
 * tried again at the next turn. */
static const struct {
	const char *name;
	int64_t every_ms;
	int (*run)(struct li_worker *w);
} periodic[] = {
    /* seats and seat polls falling due (activities.c) */
    {"activities", 1000, li_activities_schedule},
    {"uploads sweep", 0, sweep_uploads},
    /* stale match answers of candidates being looked at (candidates.c) */
    {"match refresh", 10000, li_match_refresh_schedule},
    /* seats whose stubs are due (stubs.c), the closed-profiles check */
    {"stubs", 1000, li_stubs_schedule},
    {"closed profiles", 60000, li_closed_schedule},
    /* In ATS rows kept while off, released when on again (sync_hold.c) */
    {"in ats hold", 1000, li_sync_hold_schedule},
};

static void run_periodic(struct li_worker *w, int64_t *last_us)
{
	int64_t now = time_mono_us();
	for (size_t i = 0; i < ARRAY_LEN(periodic); i++) {
		int64_t every_ms =
		    periodic[i].every_ms
			? periodic[i].every_ms
			: (int64_t)w->cfg->upload_sweep_minutes * 60000;
		if (last_us[i] && now - last_us[i] < every_ms * 1000)
			continue;
		last_us[i] = now;
		int rc = periodic[i].run(w);
		if (rc != DB_OK)
			log_warn("worker: periodic %s failed: %s",
				 periodic[i].name, db_error(w->db));
	}
}

/* Bulk jobs' items (src/ats/bulk.h), a batch a turn of the first
 * thread, after the outbox's: the items done (> 0: call again), or a
 * negative db_status. */
#define BULK_BATCH 100
static int run_bulk(struct li_worker *w)
{
	size_t handled = 0;
	int rc = ats_bulk_work(w->db, BULK_BATCH, w->cfg->worker_lease_seconds,
			       &handled);
	return rc != DB_OK ? rc : (int)handled;
}

/* The threads of one worker process (li_worker_run): the first polls
 * and wakes the others when it finds rows. */
struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned long work; /* bumped whenever the first thread found rows */
	atomic_bool stopping;
	const struct li_sender *senders;
	size_t n;
};

struct helper {
	struct pool *p;
	struct li_worker *w;
};

static void pool_wake(struct pool *p, bool stopping)
{
	pthread_mutex_lock(&p->mu);
	p->work++;
	if (stopping)
		atomic_store(&p->stopping, true);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* A helper thread: sleeps until the first thread finds rows, then claims
 * and sends batches of its own until a pass finds none.  A stop request
 * lets the batch under way be recorded. */
static void *helper_main(void *arg)
{
	struct helper *h = arg;
	struct pool *p = h->p;
	unsigned long seen = 0;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!atomic_load(&p->stopping) && p->work == seen)
			pthread_cond_wait(&p->cv, &p->mu);
		seen = p->work;
		pthread_mutex_unlock(&p->mu);
		while (!atomic_load(&p->stopping) &&
		       li_worker_run_once(h->w, p->senders, p->n) > 0)
			;
		if (atomic_load(&p->stopping))
			return NULL;
	}
}

static int loop(struct li_worker *w, struct pool *p,
		const struct li_sender *senders, size_t n,
		const sigset_t *stop)
{
	bool failing = false;
	int sig = 0;
	int64_t last_us[ARRAY_LEN(periodic)] = {0};
	/* the bulk items' last look that found none: while the outbox keeps
	 * the loop busy, an empty bulk queue is looked at once a poll
	 * interval, not each pass (a claim transaction of 3 statements,
	 * ~0.3 an export in the export flood of make bench) */
	int64_t bulk_idle_us = 0;
	while (!(sig = wait_stop(stop, 0))) {
		run_periodic(w, last_us);
		int rc = li_worker_run_once(w, senders, n);
		int brc = 0;
		int64_t now = time_mono_us();
		if (rc <= 0 || !bulk_idle_us ||
		    now - bulk_idle_us >= (int64_t)w->cfg->worker_poll_ms * 1000) {
			brc = run_bulk(w);
			bulk_idle_us = brc == 0 ? now : 0;
		}
		if (brc != 0 && rc >= 0)
			rc = brc < 0 ? brc : rc + brc;
		if (rc > 0) {
			failing = false;
			if (p)
				pool_wake(p, false);
			continue;
		}
		if (rc < 0 && !failing)
			log_error("worker: the database failed (trying again "
				  "every %d ms): %s",
				  w->cfg->worker_poll_ms, db_error(w->db));
		else if (rc == 0 && failing)
			log_info("worker: the database is back");
		failing = rc < 0;
		sig = wait_stop(stop, w->cfg->worker_poll_ms);
		if (sig)
			break;
	}
	return sig;
}

static void log_stop(int sig, const struct li_worker *ws, size_t nw)
{
	uint64_t sent = 0, retried = 0, dead = 0, superseded = 0;
	for (size_t i = 0; i < nw; i++) {
		sent += ws[i].sent;
		retried += ws[i].retried;
		dead += ws[i].dead;
		superseded += ws[i].superseded;
	}
	log_info("worker stopping (%s): %llu sent, %llu retried, %llu dead, "
		 "%llu changed while sending",
		 strsignal(sig), (unsigned long long)sent,
		 (unsigned long long)retried, (unsigned long long)dead,
		 (unsigned long long)superseded);
}

int li_worker_loop(struct li_worker *w, const struct li_sender *senders,
		   size_t n, const sigset_t *stop)
{
	log_stop(loop(w, NULL, senders, n, stop), w, 1);
	return 0;
}

int li_worker_run(struct li_worker *ws, size_t nw,
		  const struct li_sender *senders, size_t n,
		  const sigset_t *stop)
{
	if (nw <= 1)
		return li_worker_loop(ws, senders, n, stop);
	struct pool p = {.senders = senders, .n = n};
	struct helper *hs = calloc(nw, sizeof(*hs));
	pthread_t *ts = calloc(nw, sizeof(*ts));
	size_t started = 0;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	atomic_init(&p.stopping, false);
	for (size_t i = 1; hs && ts && i < nw; i++) {
		hs[i] = (struct helper){&p, &ws[i]};
		if (pthread_create(&ts[i], NULL, helper_main, &hs[i]) != 0) {
			log_warn("worker: %zu threads of %zu started",
				 started + 1, nw);
			break;
		}
		started = i;
	}
	int sig = loop(&ws[0], &p, senders, n, stop);
	pool_wake(&p, true);
	for (size_t i = 1; i <= started; i++)
		pthread_join(ts[i], NULL);
	log_stop(sig, ws, started + 1);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	free(hs);
	free(ts);
	return 0;
}
