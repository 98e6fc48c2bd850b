/*
 * activities.h - Recruiting activities (F9): what happened in LinkedIn
 * Recruiter between the organisation's seats and a prospect, kept in
 * hirelink (sql/135_activities.sql) so that the candidate's Recruiting
 * activities tab never waits for LinkedIn.
 *
 * The worker (worker.c) reads them:
 *   - "li_seats" (outbox kind, entity 1): the contract's seats (/v2/seats),
 *     stored in li_seats; each connected user's seat follows (a seat
 *     given, changed or taken away at LinkedIn shows in hirelink without
 *     reconnecting);
 *   - "li_seat_poll" (entity: li_seats.id): one seat's InMail history
 *     (conversationEvents) and Recruiter notes (prospectNotes, owners =
 *     that seat, so its private notes come too), window by window of at
 *     most 12 h from the seat's cursors, every page of each window;
 *   - li_activities_schedule, a periodic task of the worker loop, marks
 *     both every linkedin_activities_poll_minutes.
 * Opening the tab asks for a refresh of the viewer's seat
 * (li_activities_refresh_ask) and never waits for it.
 *
 * InMail content (eventContent: subject and body) is dropped on read: it
 * is never stored, logged or shown.
 */
#ifndef HIRELINK_LI_ACTIVITIES_H
#define HIRELINK_LI_ACTIVITIES_H

#include <stdbool.h>
#include <stdint.h>

#include "linkedin/linkedin.h"
#include "linkedin/worker.h"

/* The outbox kinds of the activities (src/ats/outbox.h's list). */
#define LI_OUTBOX_SEATS	    "li_seats"	   /* entity: LI_SEATS_ENTITY */
#define LI_OUTBOX_SEAT_POLL "li_seat_poll" /* entity: li_seats.id */
#define LI_SEATS_ENTITY	    1

/* LinkedIn's longest window for conversationEvents and prospectNotes. */
#define LI_ACTIVITY_WINDOW_MS (12LL * 60 * 60 * 1000)
/* How far back a seat never polled before is read. */
#define LI_ACTIVITY_BACKFILL_MS (3LL * 24 * 60 * 60 * 1000)
/* Each poll reads again this much before its cursor (an event LinkedIn
 * stored late); events and notes are kept by id, so twice is once. */
#define LI_ACTIVITY_OVERLAP_MS (5LL * 60 * 1000)
/* Windows one claim of a seat reads at most (each kind); a seat further
 * behind is marked again and goes on at the next pass. */
#define LI_ACTIVITY_WINDOWS_PER_CLAIM 16
/* A tab opened again within this asks for no second refresh. */
#define LI_ACTIVITY_REFRESH_GAP_S 30
/* Longest Recruiter note kept (bytes). */
#define LI_NOTE_MAX 20000

/* The senders (worker.c's table). */
void li_send_seats(struct li_worker *w, struct li_outbox_item *items,
		   size_t n);
void li_send_seat_polls(struct li_worker *w, struct li_outbox_item *items,
			size_t n);
/* The worker loop's periodic task: when the integration is set up (with
 * a contract), marks "li_seats" when the seats were last read more than
 * linkedin_activities_poll_minutes ago, and each active seat whose next
 * poll is due and not already waiting.  DB status. */
int li_activities_schedule(struct li_worker *w);

/* ------------------------------------------------------------ per seat */

/* A poll of each seat of the contract (li_seats, entity: its id) that the
 * worker loop schedules and a sender runs: the Recruiting activities
 * here, the talent pool's mail stubs (stubs.c). */
enum li_seat_polled {
	LI_SEAT_POLLED,	   /* read and stored (its next poll set): done */
	LI_SEAT_NONE,	   /* no such active seat: done */
	LI_SEAT_DB_FAILED, /* the seat could not be read: again */
	LI_SEAT_FAILED,	   /* LinkedIn's answer, in err */
};
struct li_seat_poll {
	const char *name; /* in log lines: "activities", "talent pool" */
	const char *kind; /* its outbox kind */
	bool (*ready)(const struct li_settings *s);
	/* Polls seat it->entity_id; *urn: the seat, for the log. */
	enum li_seat_polled (*poll)(struct li_worker *w,
				    const struct li_settings *s,
				    struct li_outbox_item *it, const char **urn,
				    struct li_error *err);
	/* li_seats' statements: the error (message, id); the next poll due
	 * in minutes (minutes, id); the seats due (kind), "SELECT s.id ..." */
	const char *error_sql, *later_sql, *due_sql;
};
/* The sender of k's polls (every: its interval in minutes).  A failure:
 * logged and kept on the seat; a transient one retried, any other not
 * again until the next interval (a dead row would stop the polls). */
void li_seat_polls_send(struct li_worker *w, struct li_outbox_item *items,
			size_t n, const struct li_seat_poll *k, int64_t every);
/* Marks k's poll of each active seat that is due and not already
 * waiting.  DB status. */
int li_seat_polls_schedule(struct li_worker *w, const struct li_seat_poll *k);
/* Sets what a failed call means for an outbox item. */
void li_item_failed(struct li_outbox_item *it, const struct li_error *err);

/* ------------------------------------------------------------ the tab */

/* Where the viewer stands with LinkedIn for the tab. */
enum li_viewer_state {
	LI_VIEWER_OFF = 0,	 /* integration not set up, or no contract */
	LI_VIEWER_NOT_CONNECTED, /* the user has not connected LinkedIn */
	LI_VIEWER_RECONNECT,	 /* their connection needs a reconnect */
	LI_VIEWER_NO_SEAT,	 /* connected, but holds no seat */
	LI_VIEWER_SEAT,		 /* holds seat_urn */
};

struct li_viewer {
	enum li_viewer_state state;
	const char *seat_urn;  /* LI_VIEWER_SEAT: the seat, else NULL */
	const char *seat_type; /* recruiter, hiring_manager, none */
	/* the viewer's seat's data: seconds since its last complete poll
	 * (-1 never), whether the last try failed since (LinkedIn down or
	 * slow) and why, whether a refresh waits for the worker */
	int64_t age_s;
	bool failing;
	const char *error;
	bool refresh_pending;
	/* no refresh was asked for within LI_ACTIVITY_REFRESH_GAP_S; the
	 * seconds since the last one asked (-1 never) */
	bool refresh_due;
	int64_t refresh_asked_age_s;
};

/* One entry of the tab. */
enum li_activity_kind {
	LI_ACT_NOTE,	  /* a Recruiter note */
	LI_ACT_INMAIL,	  /* an InMail sent or received */
	LI_ACT_REJECTION, /* a rejection in hirelink */
};

struct li_activity {
	enum li_activity_kind kind;
	int64_t at_ms;
	int64_t id;
	/* notes and InMail: who (the seat holder's name, and the hirelink
	 * user holding that seat, "" when none), whether it is the viewer;
	 * rejections: user_name is who rejected */
	const char *seat_urn;
	const char *who;
	const char *user_name;
	bool mine;
	/* notes */
	const char *visibility; /* PUBLIC, PRIVATE */
	const char *note;
	/* InMail */
	const char *direction; /* OUTBOUND, INBOUND */
	bool replied;
	/* rejections */
	int64_t job_id;
	const char *job_title;
	const char *reason; /* the rejection reason's key, "" none */
	const char *detail;
};

/* Someone else of the organisation engaging with the prospect. */
struct li_engager {
	const char *seat_urn;
	const char *who;
	const char *user_name; /* "" when no hirelink user holds the seat */
	int64_t inmails, notes;
	int64_t last_ms;
};

struct li_activity_page {
	struct li_activity *v;
	size_t n;
	int64_t total; /* offset + n: the entries up to this page's end */
	bool more;     /* entries lie past this page */
	struct li_engager *others;
	size_t nothers;
};

/* The viewer user_id's state (settings s) for the tab, arena-owned.  DB
 * status. */
int li_viewer_load(struct db *db, struct arena *a, const struct li_settings *s,
		   int64_t user_id, struct li_viewer *out);

/* What the tab's list of a candidate shows is at (fragcache.c): revision
 * the candidate's (candidate_revisions, bumped by its InMail activity and
 * Recruiter notes, sql/139, and its rejections, sql/270) and tag the rest
 * (the 'jobs' and 'li_people' revisions), arena-owned; tag NULL when the
 * candidate has no revision row: the list is not kept. */
struct li_activities_rev {
	uint64_t revision;
	const char *tag;
};

/*
 * The tab's state in one statement: li_viewer_load's, and (rev not NULL)
 * what the list of candidate_id is at, read before the list.  DB status.
 */
/* What the tab of candidate_id seen by user_id is at, read before its
 * state (fragcache.c): the candidate's revision, a tag of the 'jobs',
 * 'li_people' and the viewer's revisions (sql/310), the database's
 * UNIX_TIMESTAMP().  Primary-key reads only.  DB_NOT_FOUND: no candidate
 * revision; DB status. */
/* Whether s lets the tab read activities (else the viewer is
 * LI_VIEWER_OFF). */
bool li_activities_ready(const struct li_settings *s);
int li_activities_tab_tag(struct db *db, struct arena *a, int64_t candidate_id,
			  int64_t user_id, uint64_t *revision,
			  const char **tag, int64_t *now);
int li_activities_tab_read(struct db *db, struct arena *a,
			   const struct li_settings *s, int64_t user_id,
			   int64_t candidate_id, struct li_viewer *out,
			   struct li_activities_rev *rev);

/*
 * The tab's entries for the candidate (candidate_id, its LinkedIn member
 * member_id, "" when none), newest first, offset/limit: Recruiter notes
 * (public ones, and the private ones of viewer_seat), InMail activity,
 * and the rejections of the applications on jobs the viewer u may see;
 * whether more lie past the page, and the other seats engaging with the
 * member (public notes and InMail of seats other than viewer_seat).
 * Arena-owned.  DB status.
 */
int li_activities_list(struct db *db, struct arena *a, const struct user *u,
		       int64_t candidate_id, const char *member_id,
		       const char *viewer_seat, int64_t offset, int64_t limit,
		       struct li_activity_page *out);

/*
 * Asks the worker to refresh seat_urn's activities now (and to read the
 * seats again first), unless it was asked within
 * LI_ACTIVITY_REFRESH_GAP_S (force: whatever the gap, the tab's Retry).
 * Never waits for LinkedIn.  *asked: whether a refresh was queued.  DB
 * status.
 */
int li_activities_refresh_ask(struct db *db, const char *seat_urn, bool force,
			      bool *asked);

/* Asks the worker to read the contract's seats again (a viewer connected
 * without a seat opened the tab: they may have been given one), unless
 * that was asked within LI_ACTIVITY_REFRESH_GAP_S.  DB status. */
int li_activities_seats_ask(struct db *db, bool *asked);

#endif
