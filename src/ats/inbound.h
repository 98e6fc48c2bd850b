/*
 * inbound.h - LinkedIn's push notifications as hirelink keeps them
 * (sql/122_inbound_events.sql: inbound_events, one row per requestId) and
 * what is done with them: inbound.c stores, lists and retries them;
 * exports.c applies an export (EXPORT_CANDIDATE_PROFILE) to a job's
 * Prospect stage.
 *
 * The callback (src/web/linkedin_notifications.c) stores a notification
 * whose signature it checked; a received one is marked in the outbox
 * (ATS_OUTBOX_INBOUND_EVENT) in the same transaction, so the worker's
 * sender (src/linkedin/notifications.c) fetches what it refers to and
 * applies it.  An event is applied once: the apply reads its status under
 * a row lock in the transaction that writes its result, so a worker that
 * dies after the commit, or a second worker, finds it done.
 *
 * Functions return DB_OK or a negative db_status; results are
 * arena-owned.
 */
#ifndef HIRELINK_INBOUND_H
#define HIRELINK_INBOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ats/ats.h"

/* The event types hirelink acts on (LinkedIn's words). */
#define INBOUND_EXPORT "EXPORT_CANDIDATE_PROFILE"
#define INBOUND_INTEGRATION "INTEGRATION_STATUS_CHANGE"
/* A member replied to an InMail and shared their contact details: a stub
 * profile to fetch (CONTRACT-16 §3, a hirelink convention). */
#define INBOUND_STUB "INMAIL_STUB_CREATED"

#define INBOUND_REQUEST_ID_MAX 100 /* bytes */
#define INBOUND_REASON_MAX 500	   /* characters; longer ones are cut */

/* An event's status: received, applied, refused, rejected, failed
 * (sql/122_inbound_events.sql says what each means), with labels. */
extern const struct ats_word ats_inbound_statuses[];

/* The application source of a LinkedIn export, and the new candidate's. */
#define INBOUND_EXPORT_SOURCE "LinkedIn Recruiter export"

/* A notification to store. */
struct inbound_new {
	const char *request_id; /* LinkedIn's requestId, or for a body that
				   named none "sha256:<hex of the body>" */
	const char *event_type; /* as sent, "" when none */
	const char *integration_context; /* as sent, "" when none */
	int64_t occurred_at;	/* epoch ms as sent, 0 when none */
	const void *body;	/* the raw body */
	size_t body_len;
	bool rejected; /* not a notification hirelink knows */
	const char *reason; /* rejected: why ("" otherwise) */
};

/*
 * Stores ev as received (with its outbox mark, made by the same statement
 * through a trigger, so the worker applies it) or as rejected.  DB_DUPLICATE when its request_id
 * is stored already: nothing is written, and *id and *status (may be
 * NULL) name the first, whose answer a redelivery gets again.  *id gets
 * the new event's id.
 */
int ats_inbound_record(struct db *db, struct arena *a,
		       const struct inbound_new *ev, int64_t *id,
		       const char **status);

struct inbound_event {
	int64_t id;
	const char *request_id;
	const char *event_type;
	const char *integration_context;
	const char *status; /* one of ats_inbound_statuses */
	const char *reason; /* "" when none */
	int attempts;	    /* the worker's tries */
	const char *exporter; /* "First Last <email>", "" until known */
	const char *exporter_member;  /* urn:li:person:..., "" until known */
	int64_t exporter_user_id;     /* 0 until known */
	const char *exporter_user_name; /* "" until known */
	const char *external_job_posting_id; /* "" until known */
	int64_t job_id;			     /* 0 until known */
	const char *job_title;		     /* "" until known */
	int64_t candidate_id;		     /* 0 until known */
	const char *candidate_name;	     /* "" until known */
	int64_t application_id;		     /* 0 until known */
	const char *received_at; /* "YYYY-MM-DD HH:MM:SS" (UTC) */
	const char *updated_at;
};

/* DB_NOT_FOUND when there is none. */
int ats_inbound_get(struct db *db, struct arena *a, int64_t id,
		    struct inbound_event *out);

struct inbound_list {
	struct inbound_event *v;
	size_t n;
	int64_t total; /* the events of the filter, for the pager */
};

/* The events with status (NULL: all), newest first, limit of them from
 * offset. */
int ats_inbound_list(struct db *db, struct arena *a, const char *status,
		     int64_t offset, int64_t limit, struct inbound_list *out);

/* The worker is about to try event id: its attempts grow by one when it
 * is received; *attempts (may be NULL) gets them and *status (may be
 * NULL) its status now.  DB_NOT_FOUND when there is no such event. */
int ats_inbound_attempt(struct db *db, struct arena *a, int64_t id,
			int *attempts, const char **status);

/* ats_inbound_attempt for a worker's batch, in two statements: the
 * events ids[0..n) that are received have their attempts grow by one;
 * out[] (room for n) gets the id, request_id, event_type, status,
 * attempts and candidate_id of each one that exists (the others are
 * gone: nothing to apply), *nout how many, in no particular order. */
int ats_inbound_attempt_many(struct db *db, struct arena *a,
			     const int64_t *ids, size_t n,
			     struct inbound_event *out, size_t *nout);

/* Event id, still received, ends as status ("applied" or "failed") with
 * reason (cut to INBOUND_REASON_MAX): when nothing else is written with its
 * result (exports.c writes its own).  An event that is not received any
 * more is left alone (DB_OK). */
int ats_inbound_finish(struct db *db, int64_t id, const char *status,
		       const char *reason);

/* An admin's Retry: a failed or refused event is received again, its
 * reason kept until the next result, and marked in the outbox; audited
 * "inbound_event.retry".  DB_NOT_FOUND when id is no failed or refused
 * event. */
int ats_inbound_retry(struct db *db, int64_t actor_id, int64_t id,
		      const char *remote_addr);
/* The same in the caller's transaction (the outbox page's Retry of the
 * event's dead row: ats_outbox_admin_retry). */
int ats_inbound_retry_in(struct db *db, int64_t actor_id, int64_t id,
			 const char *remote_addr);

/* ------------------------------------------------------------ exports.c */

/* An exported candidate as LinkedIn's exportedCandidates answer gives it
 * (src/linkedin/notifications.c reads it); strings as LinkedIn sent them
 * ("" when absent; checked and cut to the candidate's bounds here). */
/* The exporter the last export of a batch found, kept by a caller that
 * applies several (a burst of exports mostly comes from one recruiter):
 * the next export by the same member and email skips the read.  Zeroed
 * at the batch's start; it lives as long as the arena given to
 * ats_export_apply, and holds what was true when it was read (a user
 * deactivated a moment later still exports within that batch). */
struct ats_exporter_memo {
	const char *member, *email; /* NULL: nothing kept */
	int found;		    /* DB_OK or DB_NOT_FOUND */
	bool inactive;
	struct user user;
};

struct ats_export {
	/* the job as LinkedIn named it, and the job of ours it is (0: the
	 * id names none of this instance's jobs, and job_refusal says why
	 * for the event; NULL: a reason of the apply's own) */
	const char *job_posting_id;
	int64_t job_id;
	const char *job_refusal;
	struct {
		const char *member; /* urn:li:person:ID */
		const char *first_name, *last_name, *email;
	} exporter;
	struct {
		const char *member_id; /* the ID of urn:li:person:ID */
		const char *first_name, *last_name, *headline;
		const char *current_title, *current_company, *location;
		const char *profile_url, *email; /* email: when shared */
	} candidate;
	struct ats_exporter_memo *memo; /* NULL: none kept */
};

/* What applying an export did. */
struct ats_export_result {
	const char *status; /* "applied" or "refused"; NULL when the event
			       had a result already (nothing changed) */
	const char *reason; /* refused: why, for the events page; "" else */
	int64_t user_id;    /* the exporter's hirelink user, 0 unknown */
	int64_t candidate_id, application_id; /* 0 unknown */
	bool candidate_created;
};

/*
 * Applies export x of event event_id in ONE transaction with the event's
 * result: the exporter must map to an active hirelink user (their Connect
 * link's member URN, else a user with the exporter's email) who may add
 * candidates to that job (an admin, a recruiter who manages it, or a
 * hiring manager or recruiter member of it; never an interviewer); the job
 * must exist, be active and have a Prospect stage.  Then the candidate is
 * found by LinkedIn member, else by email (and linked to the member), else
 * created (names, headline, current title and company, location, profile
 * URL, email when shared, member; source INBOUND_EXPORT_SOURCE), and
 * added to the job's Prospect stage (source INBOUND_EXPORT_SOURCE, created
 * by the exporter; audited); a candidate on the job already gets no second
 * application, and the event names the existing one.  The candidate is
 * not marked in the outbox: after the commit the caller marks the
 * candidate if LinkedIn sees them (li_sync_mark_sent: known to LinkedIn
 * or past Prospect), also for an event found applied already (a worker
 * may have died between the commit and that mark).  A rule that says no
 * leaves the event refused with its reason and writes nothing else.  An
 * event that is not received (applied before: the worker died after the
 * commit) is left as it is: out->status NULL.  DB_NOT_FOUND when there is
 * no event event_id.
 */
int ats_export_apply(struct db *db, struct arena *a, int64_t event_id,
		     const struct ats_export *x,
		     struct ats_export_result *out);

/*
 * ats_export_apply for a worker's batch, in ONE transaction: export xs[i]
 * of event event_ids[i] (distinct events), each applied as
 * ats_export_apply does it after a SAVEPOINT, and its writes alone rolled
 * back to it when it cannot be (it has its result already, or a failure
 * of its own): so one export's trouble never undoes another's, and each
 * event still gets its own result with its own writes.  They are applied
 * in the order of the locks they take, not in the given one.  rcs[i]
 * says what became of event i: DB_OK (outs[i] as ats_export_apply's
 * out: its result, or status NULL when it had one already), DB_NOT_FOUND
 * (it had its result, or is gone: nothing written) or the database's
 * failure for it alone (nothing written for it; to try again).  Returns
 * DB_OK when the transaction committed, else its failure (then every
 * rcs[i] is it and nothing is written).
 */
int ats_export_apply_many(struct db *db, struct arena *a, size_t n,
			  const int64_t *event_ids,
			  const struct ats_export *xs,
			  struct ats_export_result *outs, int *rcs);

#endif
