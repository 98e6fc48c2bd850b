/*
 * sandbox.h - the LinkedIn sandbox's internal map: the process-wide state
 * (read-only after start-up), the per-thread worker, the per-request context
 * and the handlers of each file.
 *
 *   main.c     serving, dispatch, the home page, the verbs, the token
 *              and loopback helpers
 *   routes.c   the route table: every URL and its handler
 *   tunnel.c   LinkedIn's limits on a URL, and query tunnelling
 *   reply.c    the answers every endpoint shares: JSON, LinkedIn's error
 *              bodies, pages, a database failure
 *   seed.c     deterministic members, organization, contract, seats and the
 *              customer application (and their credentials)
 *   oauth.c    /oauth/v2/authorization (consent page), accessToken, revoke,
 *              introspectToken
 *   api.c      /v2/me, /v2/userinfo, /v2/seats, /v2/seatsV2 and the
 *              bearer-token check
 *   control.c  failure injection and /sandbox/control, /sandbox/credentials,
 *              and the exports' and notifications' test control
 *   jobs.c     atsIntegrations and their configurations, simpleJobPostings
 *              and their tasks, job ACLs, /sandbox/jobs
 *   notifications.c  the push notifications: queued, signed, sent and
 *              retried by the delivery runner (a thread)
 *   signin.c   the member signed in to the sandbox's LinkedIn pages (a
 *              cookie of its own) and their CSRF tokens
 *   recruiter.c  the Recruiter profile page: profile card, the ATS job box,
 *              Change ATS, Export
 *   exports.c  one-click export (the Export button's and the control API's
 *              one code path), GET /v2/exportedCandidates
 *   restli.c   Rest.li batch keys and batch answers (issue 15's files)
 *   candidates.c  atsCandidates: sync, manualMatchedMember, matches, the
 *              match query that stores nothing
 *   activities.c  conversationEvents (InMail), prospectNotes, the member's
 *              InMail pages, their test control
 *   widget.c   the profile widget: loader, iframe page, Send InMail, Save
 *              to a job
 *   sync.c     the In ATS sync: atsApplications, their stages, feedback
 *              and notes, candidate notes; the throttle and the payload
 *              store (issue 16)
 *   inats.c    what the In ATS panel shows: an ATS's candidates linked to
 *              a member, with what it synced; GET /sandbox/inats
 *   stubs.c    InMail stub profiles: made on a consenting reply, pushed,
 *              mailStubs
 *   closed.c   members who closed their account: closedCandidateProfiles
 *
 * The wire contract is src/sandbox/README.md.
 */
#ifndef HIRELINK_SANDBOX_H
#define HIRELINK_SANDBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/core.h"
#include "core/crypto.h"
#include "db/db.h"
#include "http/http.h"
#include "tmpl/tmpl.h"

/* Token lifetimes, as LinkedIn documents them (seconds). */
#define SB_CODE_TTL	    1800     /* authorization code: 30 minutes */
#define SB_MEMBER_TTL	    5184000  /* member access token: 60 days */
#define SB_REFRESH_TTL	    31536000 /* refresh token: 365 days */
#define SB_APP_TTL	    1800     /* client credentials token: 30 min */
#define SB_RECRUITER_SEATS  20
#define SB_HIRING_MGR_SEATS 10
#define SB_SEAT_HOLDERS	    (SB_RECRUITER_SEATS + SB_HIRING_MGR_SEATS)
/* Query and form fields in one request: a batch call names up to 100
 * entities, each by a key of up to four parameters (Rest.li's ids[i].field),
 * beside its own parameters. */
#define SB_MAX_FIELDS 512

/* The customer applications the seed registers in the one organization:
 * each hirelink instance is one (the test stack runs two). */
#define SB_APPS 2

/* One customer application's credentials. */
struct sb_client {
	char client_id[15];	/* 14 lowercase alphanumerics */
	char client_secret[17]; /* 16 alphanumerics */
};

/* What the seed derives (seed.c); the same for every stack with one seed. */
struct sb_ids {
	int64_t organization_id;
	int64_t contract_id;
	int64_t first_seat_id;
	struct sb_client apps[SB_APPS]; /* the first is `credentials`' */
};

struct sb_runner;

/* Process-wide, read-only after start-up. */
struct sb_app {
	struct config *cfg;
	struct http_limits limits; /* the server's, for a tunnelled body */
	struct tmpl_set *templates;
	struct sb_ids ids;
	unsigned char consent_key[SHA256_LEN]; /* HMAC key of consent forms */
	unsigned char member_key[SHA256_LEN];  /* of the li_at cookie */
	unsigned char csrf_key[SHA256_LEN];    /* of members' CSRF tokens */
	unsigned char signin_key[SHA256_LEN];  /* of the sign-in form */
	char *redirect_uri; /* {public_base_url}/settings/linkedin/callback */
	struct sb_runner *runner; /* the delivery runner, while serving */
};

struct sb_worker {
	struct sb_app *app;
	struct db *db;
};

/* One request. */
struct sb_ctx {
	struct sb_app *app;
	struct db *db;
	struct http_request *req;
	struct http_response *res;
	struct arena *a;
	struct http_match match; /* the route's {key} segments: captures */
};

/* A row of the route table (routes.c); the router reads its first member. */
struct sb_route {
	struct http_route route;
	void (*handler)(struct sb_ctx *c);
};

extern const struct sb_route sb_routes[];
extern const size_t sb_nroutes;

/* ------------------------------------------------------------ seed.c */

/* Fills ids from cfg->sandbox_seed.  Cannot fail. */
void sb_ids_derive(const struct config *cfg, struct sb_ids *ids);
/* The seeded application whose client_id this is, borrowed from ids; NULL
 * for any other. */
const struct sb_client *sb_client_find(const struct sb_ids *ids,
				       const char *client_id);
/* A member seeded for a matching test (issue 15). */
struct sb_crafted {
	const char *label, *first, *last, *email, *phone, *title, *company,
	    *location;
};
extern const struct sb_crafted sb_crafted_members[];
extern const size_t sb_ncrafted;
/* A name, email and phone no member has. */
extern const struct sb_crafted sb_crafted_none;
/* The member id (10 characters) of the crafted member labelled label. */
void sb_crafted_id(long seed, const char *label, char out[11]);
/* Seeds the database unless it already holds this seed's data; one
 * transaction.  0 ok, -1 with a message logged. */
int sb_seed(struct db *db, const struct config *cfg, const struct sb_ids *ids,
	    const char *redirect_uri);

/* ------------------------------------------------------------ reply.c */

/* Answers a LinkedIn API error {"serviceErrorCode","message","status"}. */
void sb_api_error(struct sb_ctx *c, int status, int code, const char *message);
/* Answers an OAuth error {"error","error_description"}. */
void sb_oauth_error(struct sb_ctx *c, int status, const char *error,
		    const char *description);
/* Answers the test control API's error {"status","message"} (not
 * LinkedIn's: /sandbox/ is the sandbox's own). */
void sb_control_error(struct sb_ctx *c, int status, const char *message);
/* A control call (/sandbox/...) from anywhere but loopback: answers 403
 * and true; false for a loopback client, who may go on. */
bool sb_control_refused(struct sb_ctx *c);
/* Answers a request refused before any endpoint ran (it could not be
 * parsed, its URL is too long, its tunnel is broken): an OAuth
 * invalid_request under /oauth/, else an API error. */
void sb_request_error(struct sb_ctx *c, int status, const char *message);
/* Answers json (stolen) with status. */
void sb_json(struct sb_ctx *c, int status, json_t *json);
/* Renders templates/sandbox/<name> in the shared layout; ctx stolen. */
void sb_page(struct sb_ctx *c, int status, const char *name, json_t *ctx);
/* A 400/503 HTML error page labelled "LinkedIn sandbox". */
void sb_error_page(struct sb_ctx *c, int status, const char *message);
/* Whether the request is for one of the sandbox's pages (HTML), not
 * LinkedIn's API (JSON): /, /login, /logout, /talent/... */
bool sb_is_page(const struct sb_ctx *c);
/* 503 for a database failure, JSON or HTML by path. */
void sb_db_fail(struct sb_ctx *c);

/* ------------------------------------------------------------ main.c */

/* SHA-256 of a token string, for lookups. */
void sb_token_hash(const char *token, unsigned char out[SHA256_LEN]);
/* A token was expired or revoked (or its grant): api.c's kept
 * application token is forgotten (call after the write). */
void sb_tokens_changed(void);
/* A new random opaque token ("AQ" + base64url), arena-owned; NULL on
 * failure. */
char *sb_token_new(struct arena *a, size_t random_bytes);
/* REMOTE_ADDR is loopback (127.0.0.0/8 or ::1). */
bool sb_loopback(const struct http_request *r);
/* GET / (the sandbox's home page) and GET /healthz. */
void sb_home(struct sb_ctx *c);
void sb_healthz(struct sb_ctx *c);

/* ------------------------------------------------------------ tunnel.c */

/* LinkedIn's limits on a request's URL, in bytes (as its query tunnelling
 * guide states them). */
#define SB_MAX_URL     8192 /* scheme, host, port, path and query */
#define SB_MAX_QUERY   4096 /* the query string */
#define SB_MAX_SEGMENT 4096 /* one path segment, between slashes */

/* Answers LinkedIn's 414 and returns true when the request's URL is over
 * one of the limits. */
bool sb_url_too_long(struct sb_ctx *c);
/* A POST with X-HTTP-Method-Override becomes the request it stands for:
 * that method, the query its body carries, and the body a multipart/mixed
 * one carries beside it.  Returns false after answering LinkedIn's 400 when
 * the override or the body is not a tunnel's. */
bool sb_untunnel(struct sb_ctx *c);

/* ------------------------------------------------------------ oauth.c */

void sb_authorization_get(struct sb_ctx *c);
void sb_authorization_post(struct sb_ctx *c);
void sb_access_token(struct sb_ctx *c);
void sb_revoke(struct sb_ctx *c);
void sb_introspect(struct sb_ctx *c);

/* ------------------------------------------------------------ api.c */

/* The application behind the request's application token, for the
 * endpoints keyed by the calling application (jobs.c): 0 with
 * *client_id (arena-owned) and its *organization_id, or -1 after answering
 * LinkedIn's 401/403 (resource names the resource in a 403). */
int sb_app_caller(struct sb_ctx *c, const char *resource,
		  const char **client_id, int64_t *organization_id);
/* start and count query parameters (count default 10, at most 100); -1
 * after answering 400 (start_required: 400 without start). */
int sb_paging(struct sb_ctx *c, bool start_required, int64_t *start,
	      int64_t *count);
/* LinkedIn's {"start","count","total","links"}, with a "next" link to path
 * and the request's other query parameters when there is more; new. */
json_t *sb_paging_json(struct sb_ctx *c, const char *path, int64_t start,
		       int64_t count, int64_t total, size_t got);
/* "urn:li:contract:123" or "List(urn:li:contract:123)" -> 123; -1. */
int64_t sb_contract_param(const char *s);
void sb_me(struct sb_ctx *c);
void sb_userinfo(struct sb_ctx *c);
void sb_seats(struct sb_ctx *c);
void sb_seats_v2(struct sb_ctx *c);

/* ------------------------------------------------------------ jobs.c */

/* The integrations (atsIntegrations: enable, batch GET, q=request) and
 * their configurations; Sync Jobs (simpleJobPostings, their tasks); job
 * ACLs (atsEntityAcls, atsEntityAclAssignees); GET /sandbox/jobs and
 * POST /sandbox/integrations (an integration switched at LinkedIn's side,
 * for tests). */
void sb_integrations_patch(struct sb_ctx *c);
void sb_integrations_get(struct sb_ctx *c);
void sb_configurations_put(struct sb_ctx *c);
void sb_configurations_get(struct sb_ctx *c);
void sb_configurations_delete(struct sb_ctx *c);
void sb_job_postings_create(struct sb_ctx *c);
void sb_job_posting_tasks_get(struct sb_ctx *c);
void sb_entity_acls_put(struct sb_ctx *c);
void sb_entity_acls_get(struct sb_ctx *c);
void sb_entity_acls_delete(struct sb_ctx *c);
void sb_acl_assignees_put(struct sb_ctx *c);
void sb_acl_assignees_get(struct sb_ctx *c);
void sb_acl_assignees_delete(struct sb_ctx *c);
void sb_control_jobs(struct sb_ctx *c);
void sb_control_integrations(struct sb_ctx *c);

/* ------------------------------------------------------------ control.c */

/* A fault a rule makes of the real answer, after the handler ran. */
enum sb_fault {
	SB_FAULT_NONE = 0,
	SB_FAULT_RESET,	       /* the connection closed, no answer at all */
	SB_FAULT_TRUNCATE,     /* half the body, Content-Length the whole */
	SB_FAULT_INVALID_JSON, /* half the body, as a complete answer */
};
/*
 * Applies the failure rules to this request: may sleep, and returns true
 * when it has answered the request itself (an injected failure).  A rule
 * with a fault sets *fault instead (false): the caller runs the handler,
 * then sb_apply_fault.
 */
bool sb_inject_failure(struct sb_ctx *c, enum sb_fault *fault);
/* Makes the answer the handler wrote into the fault. */
void sb_apply_fault(struct sb_ctx *c, enum sb_fault fault);
void sb_control_post(struct sb_ctx *c);
/* POST /sandbox/members: a member with the names given (hostile ones). */
void sb_control_member_create(struct sb_ctx *c);
void sb_control_get(struct sb_ctx *c);
void sb_credentials(struct sb_ctx *c);
/* The seeded applications as [{number, client_id, client_secret}, ...];
 * new. */
json_t *sb_applications_json(const struct sb_app *app);
/* The exports' and notifications' test control (src/sandbox/README.md). */
void sb_control_export(struct sb_ctx *c);
void sb_notifications_get(struct sb_ctx *c);
void sb_notifications_redeliver(struct sb_ctx *c);
void sb_notifications_hold(struct sb_ctx *c);
void sb_notifications_forged(struct sb_ctx *c);
/* The seat holders (recruiters first) as a JSON array of
 * {id, firstName, lastName, seat, seatType}; new, NULL on failure. */
json_t *sb_seat_holders(struct sb_ctx *c);

/* ------------------------------------------------------------ notifications.c */

#define SB_REQUEST_ID_SIZE 37 /* a uuid and its NUL */
#define SB_SIGNATURE_SIZE  (2 * SHA256_LEN + 1)
#define SB_SEND_ERROR_SIZE 256
/* Tries of one notification: the first and 6 retries, as LinkedIn. */
#define SB_DELIVERY_TRIES 7
#define SB_EVENT_EXPORT	     "EXPORT_CANDIDATE_PROFILE"
#define SB_EVENT_INTEGRATION "INTEGRATION_STATUS_CHANGE"
#define SB_EVENT_STUB	     "INMAIL_STUB_CREATED" /* hirelink convention */

/* A new random requestId, a lowercase uuid v4.  0, or -1 when the system
 * has no randomness to give. */
int sb_request_id(char out[SB_REQUEST_ID_SIZE]);
/* X-LI-Signature of body[0..len) for an application with secret: lowercase
 * hex of HMAC-SHA256(secret, "hmacsha256=" + body). */
void sb_signature(const char *secret, const char *body, size_t len,
		  char out[SB_SIGNATURE_SIZE]);
/* A notification's body (hirelink convention), arena-owned; NULL on OOM. */
char *sb_notification_body(struct arena *a, const char *event_type,
			   const char *request_id, int64_t organization_id,
			   int64_t occurred_at);
/* The CALLBACK_URL client_id configured on its ONE_CLICK_EXPORT
 * integration in the organization, into *url (arena-owned): DB_OK,
 * DB_NOT_FOUND (none, *url NULL) or the database's failure. */
int sb_callback_url(struct db *db, struct arena *a, const char *client_id,
		    int64_t organization_id, const char **url);
/* Queues the notification request_id of event_type to callback_url; held
 * when deliveries are held.  Runs in the caller's transaction, if any.
 * DB_OK or the database's failure. */
int sb_delivery_queue(struct db *db, struct arena *a, const char *client_id,
		      int64_t organization_id, const char *callback_url,
		      const char *event_type, const char *request_id);
/*
 * Tells the customer application client_id that something happened in the
 * organization: queues a notification of event_type (SB_EVENT_EXPORT,
 * SB_EVENT_INTEGRATION) with request_id (one of sb_request_id's, under
 * which the caller keeps what the follow-up call answers) to the
 * application's CALLBACK_URL, and wakes the delivery runner.  Runs in the
 * caller's transaction when there is one (the runner sends it once
 * committed).  0 queued; 1 when the application has no CALLBACK_URL there
 * (nothing is queued: LinkedIn has nowhere to send it); -1 on a database
 * failure (the caller answers sb_db_fail).
 */
int sb_notify(struct sb_ctx *c, const char *client_id,
	      int64_t organization_id, const char *event_type,
	      const char *request_id);
/* POSTs body[0..len) to url now, with X-LI-Signature: signature (NULL: no
 * header), within sandbox_delivery_timeout_ms.  0 with *status the answer's
 * status, or -1 with *status 0 and the reason in err. */
int sb_send_now(const struct sb_app *app, const char *url, const char *body,
		size_t len, const char *signature, long *status,
		char err[SB_SEND_ERROR_SIZE]);
/* The delivery runner: a thread that sends what is due, started before
 * serving (0, or -1 logged) and stopped after (waits for the batch under
 * way).  sb_deliveries_wake makes it look at once (app may be NULL, or not
 * serving: then nothing). */
int sb_deliveries_start(struct sb_app *app);
void sb_deliveries_stop(struct sb_app *app);
void sb_deliveries_wake(struct sb_app *app);

/* ------------------------------------------------------------ signin.c */

/* The member signed in to the sandbox's pages. */
struct sb_member {
	int64_t id;		/* members.id */
	const char *urn_id;	/* the member id of urn:li:person:<id> */
	const char *first_name, *last_name;
	int64_t seat_id;	/* 0: no active seat */
	const char *seat_type;	/* "RECRUITER", "HIRING_MANAGER" or NULL */
	int64_t organization_id; /* the seat's contract's, 0 without */
	bool recruiter;		/* a Recruiter seat: may export */
};

/* Derives the keys of the member cookie, CSRF tokens and the sign-in form
 * from hirelink's secret_key (random for this process without one). */
void sb_member_keys(struct sb_app *app);
/* Who is signed in (the li_at cookie): 1 with *m filled (arena-owned
 * strings), 0 nobody (or a bad or expired cookie), -1 on a database
 * failure (not answered). */
int sb_member_signed_in(struct sb_ctx *c, struct sb_member *m);
/* The signed-in member's CSRF token for forms (field "csrf"), arena-owned;
 * NULL without a cookie. */
const char *sb_member_csrf(struct sb_ctx *c);
/* Whether the request's form field csrf is the member's token. */
bool sb_member_csrf_ok(struct sb_ctx *c);
void sb_signin_page(struct sb_ctx *c);
void sb_signin(struct sb_ctx *c);
void sb_signout(struct sb_ctx *c);

/* ------------------------------------------------------------ recruiter.c */

void sb_recruiter_profile(struct sb_ctx *c);
void sb_recruiter_export(struct sb_ctx *c);

/* ------------------------------------------------------------ exports.c */

/* One one-click export: what is asked, and what came of it. */
struct sb_export {
	/* in: the exporter and the candidate (member ids or person URNs),
	 * the job (externalJobPostingId) and the ATS (client_id) chosen */
	const char *exporter, *member, *job, *client_id;
	/* out */
	int status;	     /* 201, or the refusal's: 400 403 404 429 503 */
	int code;	     /* a refusal's serviceErrorCode */
	const char *message; /* a refusal's, in LinkedIn's words */
	int64_t retry_after; /* seconds, with a 429 */
	const char *ats_name; /* the chosen ATS's integration name, or NULL */
	char request_id[SB_REQUEST_ID_SIZE]; /* with a 201 */
};

/*
 * Who may see a synced job in Recruiter, as SQL for the job box and the
 * export's check (one rule, so the two never disagree): a condition on
 * job_postings p, whose one parameter is the viewer's person URN.  True
 * when the job is in no ACL (job_posting_acl has no row for it: every
 * Recruiter user sees it), or the viewer is among its assignees.
 */
#define SB_SQL_JOB_VISIBLE_TO_VIEWER                                           \
	" (NOT EXISTS (SELECT 1 FROM job_posting_acl l"                        \
	"  WHERE l.client_id = p.client_id"                                    \
	"  AND l.organization_id = p.organization_id"                          \
	"  AND l.external_job_posting_id = p.external_job_posting_id)"         \
	" OR EXISTS (SELECT 1 FROM job_posting_acl l"                          \
	"  WHERE l.client_id = p.client_id"                                    \
	"  AND l.organization_id = p.organization_id"                          \
	"  AND l.external_job_posting_id = p.external_job_posting_id"          \
	"  AND l.assignee = ?)) "

/* Exports e->member to e->job of the ATS e->client_id as e->exporter, with
 * LinkedIn's checks (exports.c's top comment), and queues the
 * notification; e's out fields say how it went (arena-owned strings). */
void sb_export(struct sb_ctx *c, struct sb_export *e);
void sb_exported_candidates(struct sb_ctx *c);

/* ------------------------------------------------------------ restli.c */

#define SB_BATCH_MAX  100
#define SB_KEY_FIELDS 6

/* A Rest.li key: named fields (a simple key has one, named NULL), and the
 * text the answer names it by. */
struct sb_rkey {
	size_t n;
	const char *name[SB_KEY_FIELDS];
	const char *value[SB_KEY_FIELDS];
	const char *text;
};

const char *sb_key_get(const struct sb_rkey *k, const char *name);
/* Sets field name of k to value (a new field unless k has it); -1 past
 * SB_KEY_FIELDS. */
int sb_key_set(struct sb_rkey *k, const char *name, const char *value);
/* An entity key as a body or a path names it ("a=v&b=w") into k, values
 * decoded; -1 when it is not one. */
int sb_key_parse(struct arena *a, const char *s, struct sb_rkey *k);
/* The complex keys of the query's ids[i].field parameters (arena-owned);
 * -1 after answering 400 for none, a gap, a repeated field or more than
 * SB_BATCH_MAX. */
int sb_query_keys(struct sb_ctx *c, struct sb_rkey **keys, size_t *n);
/* The body's "entities" matched to keys: ent[i] keys[i]'s (borrowed); -1
 * after answering 400. */
int sb_body_entities(struct sb_ctx *c, struct sb_rkey *keys, size_t n,
		     json_t **ent);
/* The simple keys of the query's ids=v parameters (arena-owned), each
 * once (a repeat is the same key); -1 after answering 400 for none or more
 * than SB_BATCH_MAX. */
int sb_query_ids(struct sb_ctx *c, const char ***ids, size_t *n);
/* The body's "entities" keyed by those simple ids: ent[i] ids[i]'s
 * (borrowed); -1 after answering 400 for a missing or unknown key. */
int sb_body_simple_entities(struct sb_ctx *c, const char **ids, size_t n,
			    json_t **ent);
/* 400 "Invalid param. ... (what)", LinkedIn's words. */
void sb_bad_param(struct sb_ctx *c, const char *what);

/* A batch answer being built: {"results", "statuses", "errors"}. */
struct sb_batch {
	json_t *results, *statuses, *errors;
};
void sb_batch_init(struct sb_batch *b);
/* entity (stolen) with status, or {"status": status} when NULL. */
void sb_batch_ok(struct sb_batch *b, const char *key, json_t *entity,
		 int status);
void sb_batch_error(struct sb_batch *b, const char *key, int status,
		    const char *message);
void sb_batch_answer(struct sb_ctx *c, struct sb_batch *b);

/* Who calls with an application token: the application and its
 * organization (and its contract). */
struct sb_caller {
	const char *client_id;
	int64_t org;
	const char *org_urn; /* urn:li:organization:<org> */
};
int sb_caller_of(struct sb_ctx *c, const char *resource,
		 struct sb_caller *who);
/* An ATS record's id: 1 to 100 characters. */
#define SB_ID_MAX 100
/* Why an ATS key (id_field, dataProvider=ATS, integrationContext) is not
 * one of who's, with its status (400, 403) in *status; NULL when it is,
 * with *id its id_field. */
const char *sb_ats_key_refusal(struct sb_ctx *c, const struct sb_caller *who,
			       const struct sb_rkey *k, const char *id_field,
			       const char **id, int *status);
/* The database failed half-way through a batch: what was answered so far
 * goes, and the call gets sb_db_fail's answer. */
void sb_batch_fail(struct sb_ctx *c, struct sb_batch *b);
/* A field's refusal in LinkedIn's words (arena-owned), its status in
 * *status: missing 422 "ERROR :: /f :: field is required but not found
 * and has no default value", invalid 400 "ERROR :: /f :: <must>". */
const char *sb_missing(struct sb_ctx *c, const char *field, int *status);
const char *sb_invalid(struct sb_ctx *c, const char *field, const char *must,
		       int *status);
/* e's string member field of at most max characters (null = absent):
 * its refusal, or NULL when it is fine. */
const char *sb_check_str(struct sb_ctx *c, json_t *e, const char *field,
			 bool required, size_t max, int *status);
/* X@X.X: something before the @, a dot in what follows it. */
bool sb_email_ok(const char *s);
/* A member given as "urn:li:person:ID" or ID: its members.id, 0 when there
 * is none, -1 on a database failure. */
int64_t sb_member_lookup(struct sb_ctx *c, const char *member);
/* The control API's JSON body, or NULL after answering 400 / 403 (not
 * loopback). */
json_t *sb_control_body(struct sb_ctx *c);
/* 400 {"status":400,"message":message} of the control API. */
void sb_control_bad(struct sb_ctx *c, const char *message);
/* The UTC month "YYYY-MM" of epoch ms t. */
void sb_month(int64_t t, char out[8]);
/* json text from the database as a value (new); [] when not JSON. */
json_t *sb_json_column(const char *text);

/* ------------------------------------------------------------ candidates.c */

void sb_candidates_put(struct sb_ctx *c);
void sb_candidates_patch(struct sb_ctx *c);
void sb_candidates_get(struct sb_ctx *c);
void sb_candidates_delete(struct sb_ctx *c);
void sb_control_members_crafted(struct sb_ctx *c);
void sb_control_candidates(struct sb_ctx *c);
/* The member LinkedIn shows for an ATS candidate: its manualMatchedMember,
 * else its one algorithmic match.  *member_id 0 when none, *manual whether
 * it was linked; -1 on a database failure. */
int sb_candidate_member(struct sb_ctx *c, const char *client_id, int64_t org,
			const char *ats_candidate_id, int64_t *member_id,
			bool *manual);

/* ------------------------------------------------------------ sync.c */

/* The In ATS sync endpoints (atsApplications and the sub-resources,
 * candidate notes; atsCandidates PUT and DELETE wrapped): each counted
 * against the records-a-minute throttle and stored as received
 * (sync_payloads). */
void sb_sync_candidates_put(struct sb_ctx *c);
void sb_sync_candidates_delete(struct sb_ctx *c);
void sb_applications_put(struct sb_ctx *c);
void sb_applications_delete(struct sb_ctx *c);
void sb_stages_put(struct sb_ctx *c);
void sb_stages_delete(struct sb_ctx *c);
void sb_feedback_put(struct sb_ctx *c);
void sb_feedback_delete(struct sb_ctx *c);
void sb_application_notes_put(struct sb_ctx *c);
void sb_application_notes_delete(struct sb_ctx *c);
void sb_candidate_notes_put(struct sb_ctx *c);
void sb_candidate_notes_delete(struct sb_ctx *c);
void sb_control_payloads(struct sb_ctx *c);
void sb_control_sync_throttle(struct sb_ctx *c);
/* Deletes what hangs off a synced candidate: its notes, its applications
 * (atsCandidateId) with their stages, feedback and notes (hirelink
 * convention: the candidate's DELETE cascades).  0, or -1 on a database
 * failure (not answered). */
int sb_sync_candidate_erase(struct sb_ctx *c, const char *client, int64_t org,
			    const char *ats_candidate_id);

/* ------------------------------------------------------------ inats.c */

/* The candidates of application client (in org) linked to member_id, as
 * the profile widget links them (sb_candidate_member): *ids arena-owned,
 * at most 20.  0, or -1 on a database failure. */
int sb_member_candidates(struct sb_ctx *c, const char *client, int64_t org,
			 int64_t member_id, const char ***ids, size_t *n);
/* What client synced about the candidates ids[0..n) (those it PUT):
 * {"candidates": [{atsCandidateId, names, applications [{job, state,
 * latestStage, stages, interviewFeedback, notes}], notes}]}; new, NULL on
 * a database failure. */
json_t *sb_inats(struct sb_ctx *c, const char *client, int64_t org,
		 const char **ids, size_t n);
void sb_control_inats(struct sb_ctx *c);

/* ------------------------------------------------------------ activities.c */

#define SB_WINDOW_MAX_MS (12LL * 3600 * 1000) /* 12 hours */
#define SB_INMAIL_SUBJECT_MAX 200
#define SB_INMAIL_BODY_MAX    1900
#define SB_INMAIL_MONTHLY     150 /* credits a seat a month */
/* Marks InMail content, so tests can look for it where it must not be. */
#define SB_CONTENT_MARK "SBX-INMAIL-CONTENT"

/* One InMail a seat sends: what is asked, and what came of it. */
struct sb_inmail {
	int64_t seat, sender, recipient; /* seats.id, members.id x2 */
	const char *subject, *body;
	int64_t at;	   /* epoch ms */
	bool count_credit; /* a widget's send uses a monthly credit */
	const char *token; /* the form's send token, or NULL */
	/* out */
	enum { SB_INMAIL_SENT, SB_INMAIL_QUOTA, SB_INMAIL_DUPLICATE } outcome;
	int64_t conversation; /* sent (or sent before, with this token) */
};
/* Sends m in a transaction of its own: DB_OK with m's outcome, or the
 * database's failure. */
int sb_inmail_send(struct db *db, struct sb_inmail *m);
void sb_conversation_events(struct sb_ctx *c);
void sb_prospect_notes(struct sb_ctx *c);
void sb_messaging_inbox(struct sb_ctx *c);
void sb_messaging_thread(struct sb_ctx *c);
void sb_messaging_reply(struct sb_ctx *c);
void sb_control_inmails_post(struct sb_ctx *c);
void sb_control_inmails_reply(struct sb_ctx *c);
void sb_control_inmails_get(struct sb_ctx *c);
void sb_control_inmail_credits(struct sb_ctx *c);
void sb_control_notes_post(struct sb_ctx *c);
void sb_control_notes_update(struct sb_ctx *c);

/* The owners parameters (repeated, or one List(...)) of seats of org, as
 * "1,2,3" for FIND_IN_SET into *set (arena-owned, NULL when none); -1
 * after answering 400 / 403. */
int sb_owners_param(struct sb_ctx *c, int64_t org, const char **set);

/* ------------------------------------------------------------ stubs.c */

/* The member who received InMail conversation replied and agreed to share
 * contact details (the email only when share_email): their stub profile
 * for the seat is made or updated, and a change is pushed to every
 * application of the organization.  In the caller's transaction.  0 with
 * *stub_id (0 when there is no such conversation), -1 on a database
 * failure. */
int sb_stub_on_reply(struct sb_ctx *c, int64_t conversation, bool share_email,
		     int64_t at, int64_t *stub_id);
void sb_mail_stubs(struct sb_ctx *c);
void sb_control_mail_stubs(struct sb_ctx *c);

/* ------------------------------------------------------------ closed.c */

/* GET /v2/closedCandidateProfiles (hirelink convention) and POST
 * /sandbox/members/close. */
void sb_closed_profiles(struct sb_ctx *c);
void sb_control_members_close(struct sb_ctx *c);

/* ------------------------------------------------------------ widget.c */

void sb_widget_loader(struct sb_ctx *c);
void sb_widget_extension(struct sb_ctx *c);
void sb_widget_script(struct sb_ctx *c);
void sb_widget_page(struct sb_ctx *c);
void sb_widget_inmail(struct sb_ctx *c);
void sb_widget_save(struct sb_ctx *c);
void sb_control_js_domains(struct sb_ctx *c);
void sb_control_projects(struct sb_ctx *c);
void sb_control_widget_demo(struct sb_ctx *c);

#endif
