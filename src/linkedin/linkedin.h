/*
 * linkedin.h - hirelink's LinkedIn client: the wire (libcurl), the
 * application token (client credentials), members' tokens (authorization
 * code), the integration settings (F14) and the calls Connect (F7) needs.
 *
 * One file per LinkedIn API family; a new call goes in its family's file
 * and uses client.c for everything on the wire:
 *   client.c         transport only: curl, the time budget, retries,
 *                    errors, query tunnelling, X-RestLi-Method, Rest.li 1.0
 *                    keys, batch answers read per key, li_unpack
 *   oauth.c          the application token (client credentials, cached) and
 *                    members' tokens (authorization code, refresh, revoke)
 *   members.c        who a member is (/v2/userinfo, /v2/me), their seat
 *                    (/v2/seats), the check of a stored connection
 *   store.c          what is kept in MariaDB: settings, the application
 *                    token's row, members' connections, sign-in states
 * and the homes the next calls will have (made when their first call is):
 *   jobs.c           enabling the integrations (atsIntegrations and their
 *                    CALLBACK_URL configuration), Sync Jobs
 *                    (simpleJobPostings and their tasks), job ACLs
 *                    (atsEntityAcls, atsEntityAclAssignees)
 *   candidates.c     Sync Candidates (atsCandidates, their matches and
 *                    manualMatchedMember), applications, stages, notes and
 *                    interview feedback (atsApplications and sub-resources),
 *                    their deletions, closed candidate profiles
 *   activities.c     what happened in Recruiter: InMail history
 *                    (conversationEvents), Recruiter notes (prospectNotes),
 *                    InMail stub profiles (mailStubs)
 *   notifications.c  push notifications to the callback URL: the signature
 *                    (X-LI-Signature), the challenge, and the follow-up
 *                    reads (exportedCandidates, atsIntegrations?q=request)
 *
 * Layout:
 *   struct li_shared   one per process, built at start-up: the curl share
 *                      handle (connections, DNS, TLS sessions), the cached
 *                      application token, the metrics hook.  Thread-safe.
 *   struct li_client   one per worker thread: its curl easy handle.
 *
 * Every call has a time budget (linkedin_timeout_ms, 3 s by default) that
 * covers retries: GET is retried once on a reset connection and once after
 * a short backoff on 5xx; 429 is retried once after Retry-After only when
 * that fits in the budget.  Each call is logged (method, path without query,
 * status, duration; never a token, code or secret) and counted.
 *
 * Errors: functions return LI_OK (0) or a negative enum li_status, with a
 * message for the admin/user in struct li_error (e.g. "LinkedIn answered
 * 401 invalid_client: Client authentication failed").
 */
#ifndef HIRELINK_LINKEDIN_H
#define HIRELINK_LINKEDIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/core.h"
#include "db/db.h"

#define LI_MAX_BODY (1024 * 1024)
/* Renew the application token this long before it expires. */
#define LI_RENEW_BEFORE_MS (5 * 60 * 1000)

enum li_status {
	LI_OK = 0,
	LI_ERR_CONNECT = -1,   /* could not connect (refused, DNS, TLS) */
	LI_ERR_TIMEOUT = -2,   /* no answer within the budget */
	LI_ERR_HTTP = -3,      /* LinkedIn answered an error status */
	LI_ERR_PROTOCOL = -4,  /* an answer of the wrong shape, too large */
	LI_ERR_CONFIG = -5,    /* the integration is off or incomplete */
	LI_ERR_DB = -6,	       /* the database failed */
	LI_ERR_THROTTLED = -7, /* 429 with a Retry-After beyond the budget */
	LI_ERR_RECONNECT = -8, /* member token revoked/invalid: reconnect */
	LI_ERR_INTERNAL = -9,  /* out of memory, crypto */
};

struct li_error {
	int kind;	   /* enum li_status */
	long status;	   /* HTTP status, 0 when none */
	int64_t retry_after_ms; /* LinkedIn's Retry-After (429, 503), 0 none */
	char code[64];	   /* "invalid_client", "65601", "" */
	char message[512]; /* for the admin / user, no secrets */
};

/* Observer for metrics: label is a static string ("/oauth/v2/accessToken"),
 * status 0 for a transport failure. */
typedef void (*li_observe_fn)(void *arg, const char *label, long status,
			      int64_t duration_us);

struct li_shared;
struct li_client;

/* new: li_shared_free().  Creates the curl share handle (the caller runs
 * curl_global_init first).  observe may be NULL.  NULL on failure. */
struct li_shared *li_shared_new(const struct config *cfg, li_observe_fn observe,
				void *observe_arg);
void li_shared_free(struct li_shared *s);
/* Test hook: application tokens fetched from LinkedIn by this process. */
unsigned long li_shared_renewals(struct li_shared *s);
/* Forgets the cached application token (after the admin changed the
 * credentials). */
void li_shared_forget_app_token(struct li_shared *s);

/* linkedin_ca_file, when set, as check-config reads it: a readable file
 * holding at least one PEM certificate (libcurl would only find out at the
 * first call to LinkedIn).  0, or -1 with why in err. */
int li_ca_file_check(const char *path, char *err, size_t errlen);

/* new: li_client_free().  One per thread.  NULL on failure. */
struct li_client *li_client_new(struct li_shared *s);
void li_client_free(struct li_client *li);
/* One budget for several calls (a page that exchanges a code, reads the
 * member and the seats answers within linkedin_timeout_ms in all): every
 * call until the next li_client_set_deadline(li, 0) ends by deadline_us
 * (time_mono_us()).  0 clears it. */
void li_client_set_deadline(struct li_client *li, int64_t deadline_us);

/* ------------------------------------------------------------ the wire */

/* LinkedIn answers 414 to a longer URL or query string: li_call tunnels
 * such a request (POST with X-HTTP-Method-Override, the query in the
 * body). */
#define LI_MAX_URL   8192
#define LI_MAX_QUERY 4096

/* The X-RestLi-Method header of a batch call. */
enum li_restli_method {
	LI_RESTLI_NONE = 0,
	LI_BATCH_CREATE,	 /* POST {"elements": [...]} */
	LI_BATCH_UPDATE,	 /* PUT {"entities": {key: every field}} */
	LI_BATCH_PARTIAL_UPDATE, /* POST {"entities": {key: {"patch"}}} */
	LI_BATCH_DELETE,	 /* DELETE on the keys */
};

struct li_req {
	const char *method; /* "GET", "POST", "PUT", "DELETE" */
	const char *base;   /* cfg->linkedin_oauth_base or _api_base */
	const char *path;   /* path and query, sent as is (any length) */
	const char *label;  /* log and metrics: the path without ids/query */
	const char *bearer; /* Authorization: Bearer, or NULL */
	const char *form;   /* urlencoded body, or NULL */
	const char *json;   /* JSON body, or NULL */
	enum li_restli_method restli_method;
	const char *const *headers; /* extra "Name: value", NULL-terminated */
	int64_t deadline_us; /* time_mono_us() deadline; 0 = now + timeout */
};

struct li_resp {
	long status;
	char *body; /* arena-owned, NUL-terminated */
	size_t len;
	json_t *json; /* parsed when the body is JSON; released at
			 arena reset; NULL otherwise */
};

/* Performs rq with retries.  LI_OK for any HTTP answer 2xx; LI_ERR_HTTP
 * for other statuses (out still filled, err says "LinkedIn answered ...");
 * transport failures as their enum. */
int li_call(struct li_client *li, struct arena *a, const struct li_req *rq,
	    struct li_resp *out, struct li_error *err);

/* ------------------------------------------------------------ remote JSON */

/*
 * Every answer from LinkedIn is read through li_unpack: a table of the
 * members a reader takes, each with its type and whether it is required.
 * Members not in the table are ignored (LinkedIn adds fields); a member of
 * another type is refused, never coerced.
 */
enum li_json_type {
	LI_JSON_STRING,	 /* const char *, borrowed from the JSON */
	LI_JSON_INT,	 /* int64_t */
	LI_JSON_BOOL,	 /* bool */
	LI_JSON_OBJECT,	 /* json_t *, borrowed */
	LI_JSON_ARRAY,	 /* json_t *, borrowed */
	LI_JSON_SECONDS, /* int64_t > 0, a number or a numeric string */
};

struct li_field {
	const char *name;
	enum li_json_type type;
	bool required; /* present and not null; a string also not empty */
	union {
		const char **s;
		int64_t *i;
		bool *b;
		json_t **j;
	} to;
};

#define LI_STR(name, req, p)                                                   \
	{                                                                      \
		(name), LI_JSON_STRING, (req),                                 \
		{                                                              \
			.s = (p)                                               \
		}                                                              \
	}
#define LI_INT(name, req, p)                                                   \
	{                                                                      \
		(name), LI_JSON_INT, (req),                                    \
		{                                                              \
			.i = (p)                                               \
		}                                                              \
	}
#define LI_BOOL(name, req, p)                                                  \
	{                                                                      \
		(name), LI_JSON_BOOL, (req),                                   \
		{                                                              \
			.b = (p)                                               \
		}                                                              \
	}
#define LI_OBJECT(name, req, p)                                                \
	{                                                                      \
		(name), LI_JSON_OBJECT, (req),                                 \
		{                                                              \
			.j = (p)                                               \
		}                                                              \
	}
#define LI_ARRAY(name, req, p)                                                 \
	{                                                                      \
		(name), LI_JSON_ARRAY, (req),                                  \
		{                                                              \
			.j = (p)                                               \
		}                                                              \
	}
#define LI_SECONDS(name, req, p)                                               \
	{                                                                      \
		(name), LI_JSON_SECONDS, (req),                                \
		{                                                              \
			.i = (p)                                               \
		}                                                              \
	}

/* err->code of li_unpack's refusal of a body that is not JSON at all. */
#define LI_NOT_JSON "not_json"

/*
 * Unpacks the JSON object obj (NULL: the body was not JSON) into the
 * targets of f[0..n); an absent or null optional member leaves its target
 * as it was.  LI_ERR_PROTOCOL when obj is not an object, a required member
 * is missing or a member has another type, with err saying which: "LinkedIn's
 * <what> answer had an unexpected shape: "id" is an object, not a string"
 * (some targets may then be set).
 */
int li_unpack(json_t *obj, const char *what, const struct li_field *f, size_t n,
	      struct li_error *err);

/* ------------------------------------------------------------ Rest.li */

/*
 * A Rest.li key: a simple key is one field without a name ("STAGE001"); a
 * complex key names its fields (atsCandidateId, dataProvider,
 * integrationContext).  The ATS endpoints take protocol 1.0 syntax, values
 * percent-encoded:
 *   entity key   atsCandidateId=c1&dataProvider=ATS&integrationContext=
 *                urn%3Ali%3Aorganization%3A1 (a path segment, an "entities"
 *                member of a batch body)
 *   batch query  ids[0].atsCandidateId=c1&ids[0].dataProvider=ATS&...
 *                (brackets escaped), or ids=S1&ids=S2 for simple keys
 */
struct li_key_field {
	const char *name; /* NULL for a simple key's one field */
	const char *value;
};

struct li_key {
	const struct li_key_field *fields;
	size_t n;
};

/* Appends the key in entity form. */
void li_key_add(struct buf *b, const struct li_key *k);
/* Appends the batch parameters of keys[0..n), after a '&' unless b ends
 * with '?' or '&'. */
void li_keys_add_query(struct buf *b, const struct li_key *keys, size_t n);
/* Whether s, a key as a batch answer names it (1.0 "a=v&b=w" in any order,
 * values percent-encoded or not, or 2.0 "(a:v,b:w)"), is k. */
bool li_key_match(const struct li_key *k, const char *s);

/* What LinkedIn said about one entity of a batch call. */
struct li_outcome {
	bool failed;
	long status;	   /* the entity's status (201, 204, 400...), 0 none */
	long service_code; /* serviceErrorCode of an error, 0 none */
	const char *message; /* why it failed, "" when LinkedIn said nothing */
	json_t *result;	     /* its "results" member, borrowed: a batch GET's
				entity or a write's {"status": n}; NULL */
};

/*
 * Reads a batch answer, {"results": {key: {...}}, "statuses": {key: n},
 * "errors": {key: {"status", "serviceErrorCode", "message"}}} (a 200 does
 * not mean every entity succeeded), into out[i] for keys[i].  An entity in
 * "errors", with a status outside 2xx, or not in "results" at all has
 * failed.  LI_ERR_PROTOCOL for an answer of another shape or one naming a
 * key that was not sent; what names the call in that message.
 */
int li_batch_read(json_t *answer, const char *what, const struct li_key *keys,
		  size_t n, struct li_outcome *out, struct li_error *err);

/* ------------------------------------------------------------ settings */

struct li_settings {
	bool enabled;
	const char *client_id;	   /* "" when unset */
	const char *client_secret; /* decrypted, arena-owned; NULL unset */
	const char *organization_urn;
	const char *contract_urn;
	const char *ats_instance_name;
	const char *last_success_at; /* NULL when never */
	const char *last_error;
	const char *last_error_at;
	const char *instance_id; /* "" until made: li_settings_instance */
};

/* Loads the one row (secret decrypted into the arena).  DB status. */
int li_settings_load(struct db *db, struct arena *a, const struct config *cfg,
		     struct li_settings *s);
/*
 * li_settings_load for the paths that run on every request (LinkedIn's
 * callback, the candidate's LinkedIn tabs): served from the process's
 * copy in ls while it is younger than LI_SETTINGS_KEEP_MS, so those paths
 * may act on settings that old (another process's save, or another
 * node's, reaches them within it); a save in this process forgets the
 * copy at once (li_settings_forget).  The last_* fields are not kept
 * (NULL).  DB status.
 */
#define LI_SETTINGS_KEEP_MS 1000
int li_settings_load_kept(struct li_shared *ls, struct db *db,
			  struct arena *a, const struct config *cfg,
			  struct li_settings *s);
void li_settings_forget(struct li_shared *ls);
/* enabled, client id and secret present */
bool li_settings_ready(const struct li_settings *s);
/* Saves the fields; secret NULL or "" keeps the stored one.  DB status. */
int li_settings_save(struct db *db, const struct config *cfg, bool enabled,
		     const char *client_id, const char *secret,
		     const char *organization_urn, const char *contract_urn,
		     const char *ats_instance_name);
/* Status panel: records a successful call, or an error message. */
void li_record_success(struct db *db);
void li_record_error(struct db *db, const char *message);
/* Validators: "urn:li:organization:<digits>", "urn:li:contract:<digits>" */
bool li_urn_valid(const char *urn, const char *prefix);

/* ------------------------------------------------------------ tokens */

/*
 * The application token, from the process cache, else the database row
 * (another process may have renewed it), else LinkedIn.  One renewal at a
 * time per process (mutex and condition variable) and across processes
 * (GET_LOCK); db may be NULL (unit tests: no cross-process step).
 * stale: a token LinkedIn just rejected with 401 (renew even if it looks
 * fresh), or NULL.  *token is arena-owned.
 */
int li_app_token(struct li_client *li, struct db *db, struct arena *a,
		 const struct li_settings *s, const char *stale,
		 const char **token, struct li_error *err);

/* Fetches a new application token now, whatever is cached (the admin's
 * "Test connection"); on success it becomes the cached one. */
int li_app_token_test(struct li_client *li, struct db *db, struct arena *a,
		      const struct li_settings *s, struct li_error *err);

/* An application-token API call: renews once and retries once on 401. */
int li_app_call(struct li_client *li, struct db *db, struct arena *a,
		const struct li_settings *s, struct li_req *rq,
		struct li_resp *out, struct li_error *err);

struct li_tokens {
	const char *access_token;
	const char *refresh_token;  /* NULL when LinkedIn sent none */
	int64_t expires_at;	    /* epoch ms */
	int64_t refresh_expires_at; /* epoch ms, 0 unknown */
	const char *scope;
};

/* POST accessToken grant_type=authorization_code.  A 400 means the code is
 * unusable (LI_ERR_RECONNECT).  t->scope is what LinkedIn granted, or
 * LI_MEMBER_SCOPE (what Connect asked for) when its answer names none. */
int li_exchange_code(struct li_client *li, struct arena *a,
		     const struct li_settings *s, const char *code,
		     const char *redirect_uri, struct li_tokens *t,
		     struct li_error *err);
/* grant_type=refresh_token; 400 -> LI_ERR_RECONNECT. */
int li_refresh(struct li_client *li, struct arena *a,
	       const struct li_settings *s, const char *refresh_token,
	       struct li_tokens *t, struct li_error *err);
/* POST revoke; LI_OK when LinkedIn accepted it. */
int li_revoke(struct li_client *li, struct arena *a,
	      const struct li_settings *s, const char *token,
	      struct li_error *err);

struct li_member {
	const char *id;
	const char *urn; /* urn:li:person:<id> */
	const char *first_name;
	const char *last_name;
	const char *seat_type; /* "recruiter", "hiring_manager", "none" */
	const char *seat_urn;  /* NULL when none */
};

/*
 * The scopes Connect asks a member for: Sign In with LinkedIn using OpenID
 * Connect, what LinkedIn gives new applications since it deprecated the
 * lite profile (r_liteprofile) on 1 August 2023.
 */
#define LI_MEMBER_SCOPE "openid profile"

/* Who the member of tokens t is: GET /v2/userinfo ("sub") when t->scope
 * grants openid, else GET /v2/me ("id"; a connection made with
 * r_liteprofile).  401 -> LI_ERR_RECONNECT. */
int li_member_get(struct li_client *li, struct arena *a,
		  const struct li_tokens *t, struct li_member *m,
		  struct li_error *err);
/* Fills m->seat_type/seat_urn from the seats API (application token);
 * without a contract URN the seat type stays "none". */
int li_seat_lookup(struct li_client *li, struct db *db, struct arena *a,
		   const struct li_settings *s, struct li_member *m,
		   struct li_error *err);

/* ------------------------------------------------------------ connections */

struct li_connection {
	int64_t user_id;
	struct li_member member;
	struct li_tokens tokens; /* decrypted, arena-owned */
	bool needs_reconnect;
	const char *connected_at;
	const char *checked_at;
};

/* DB_OK, DB_NOT_FOUND or an error; tokens decrypted (a row that does not
 * decrypt is treated as needing reconnect). */
int li_connection_load(struct db *db, struct arena *a, const struct config *cfg,
		       int64_t user_id, struct li_connection *c);
/* Inserts or replaces the user's connection (tokens sealed). */
int li_connection_store(struct db *db, const struct config *cfg,
			int64_t user_id, const struct li_member *m,
			const struct li_tokens *t);
int li_connection_mark_reconnect(struct db *db, int64_t user_id);
int li_connection_delete(struct db *db, int64_t user_id);

/*
 * Checks the connection against LinkedIn (li_member_get), refreshing an
 * expired access token first (and once more on 401).  Updates the row:
 * new tokens, names, checked_at, or needs_reconnect.  LI_ERR_RECONNECT
 * when the user must connect again.
 */
int li_connection_check(struct li_client *li, struct db *db, struct arena *a,
			const struct config *cfg, const struct li_settings *s,
			struct li_connection *conn, struct li_error *err);

/* ------------------------------------------------------------ oauth states */

/*
 * The `state` of a member's sign-in (the authorization code flow), bound
 * to the browser session that started it and to its user (oauth_states
 * keeps the SHA-256 of the state and of the session token).  A state is
 * good for ten minutes and is claimed once.
 */
/* Stores a new state, forgetting those a day old.  DB status. */
int li_oauth_state_store(struct db *db, const char *state,
			 const char *session_token, int64_t user_id);
/* DB_OK when state is this session token's and user's, fresh and unused,
 * and this call claimed it (an UPDATE only one request can win);
 * DB_NOT_FOUND when not; or a db error. */
int li_oauth_state_claim(struct db *db, struct arena *a, const char *state,
			 const char *session_token, int64_t user_id);

/* ------------------------------------------------------------ notifications */

/*
 * Push notifications (notifications.c).  A delivery's X-LI-Signature is
 * the lowercase hex HMAC-SHA256, keyed by the application's client
 * secret, of "hmacsha256=" followed by the raw body; the header may carry
 * the "hmacsha256=" prefix or not.  Compared in constant time; false for
 * a missing secret or header, or a header that is not 64 hex digits.
 */
bool li_signature_ok(const char *secret, const void *body, size_t len,
		     const char *header);
/* The answer to LinkedIn's endpoint validation: lowercase hex
 * HMAC-SHA256(key = secret, message = code); arena-owned, NULL on
 * failure. */
const char *li_challenge_response(struct arena *a, const char *secret,
				  const char *code);
/* A requestId (or challengeCode) hirelink keeps: 1 to 100 printable ASCII
 * characters without spaces (LinkedIn's are UUIDs). */
bool li_request_id_ok(const char *s);

/* A delivery's body, read (hirelink convention, linkedin-api.md:
 * {"eventType", "requestId", "integrationContext", "occurredAt"}, other
 * members tolerated).  Strings arena-owned. */
struct li_notification {
	const char *request_id;	 /* NULL when it names none fit to keep */
	const char *event_type;	 /* as sent, "" when none */
	const char *integration_context; /* as sent, "" when none */
	int64_t occurred_at;		 /* epoch ms, 0 when none */
	/* NULL: a notification hirelink acts on (EXPORT_CANDIDATE_PROFILE
	 * or INTEGRATION_STATUS_CHANGE, with a requestId, for no other
	 * organization than organization_urn); else why it is not, for the
	 * admin: not JSON, not an object, no requestId, another type,
	 * another organization. */
	const char *rejection;
};
/* Reads body[0..len) (checked by its signature first) into out: 0, or -1
 * when out of memory. */
int li_notification_read(struct arena *a, const char *body, size_t len,
			 const char *organization_urn,
			 struct li_notification *out);

/* A person of an exported candidate's answer; strings borrowed from the
 * answer ("" when LinkedIn left them out). */
struct li_exported_person {
	const char *member; /* urn:li:person:ID */
	const char *seat;   /* the exporter's urn:li:seat:N */
	const char *first_name, *last_name, *email;
	const char *headline, *current_company, *current_title, *location;
	const char *public_profile_url;
};

struct li_exported {
	const char *integration_context;
	const char *external_job_posting_id;
	int64_t exported_at; /* epoch ms, 0 unknown */
	struct li_exported_person exporter, candidate;
};

/* GET /v2/exportedCandidates?q=request&requestId=... with the application
 * token (hirelink convention for the answer's shape: src/sandbox/README.md).
 * LI_ERR_HTTP 404 when LinkedIn knows no such request for this
 * application; LI_ERR_PROTOCOL when the answer is for another
 * organization than s->organization_urn. */
int li_exported_candidate(struct li_client *li, struct db *db, struct arena *a,
			  const struct li_settings *s, const char *request_id,
			  struct li_exported *out, struct li_error *err);
/* The ID of "urn:li:person:ID"; "" for anything else.  Borrowed. */
const char *li_member_id_of(const char *urn);

/* Whether a call that failed with err may succeed later (no answer, a
 * cut one, 429, 5xx, a 2xx whose body is not JSON at all, the database,
 * the integration switched off) rather than never (a 4xx, JSON of the
 * wrong shape or for another organization). */
bool li_error_transient(const struct li_error *err);

/*
 * The worker's step for stored notification event_id (an "inbound_event"
 * outbox row): counts the attempt, reads what it refers to from LinkedIn
 * and applies it (an export: ats_export_apply, one transaction with the
 * event's result).  LI_OK when the event has its result (applied or
 * refused now, or before: it is applied once); else the error, transient
 * or not (li_error_transient).  A permanent error leaves the event failed
 * with the error's text, for the events page and its Retry.
 */
int li_inbound_event_apply(struct li_client *li, struct db *db,
			   struct arena *a, const struct config *cfg,
			   int64_t event_id, struct li_error *err);

/* "LinkedIn answered 401 ..." etc.: err->message, never empty. */
const char *li_error_text(const struct li_error *err);

/* ------------------------------------------------------------ jobs.c */

/* LinkedIn's integrations hirelink enables (F14), in the order pages show
 * them: one-click export, the In-ATS indicator, the profile plugin. */
#define LI_INTEGRATION_TYPES 3
extern const char *const li_integration_types[LI_INTEGRATION_TYPES];

/* This instance's id among those sharing a LinkedIn organization
 * (integration.instance_id: 8 lowercase alphanumerics made once, never
 * changed; store.c makes one should the row lack it), arena-owned.  DB
 * status. */
int li_instance_id(struct db *db, struct arena *a, const char **id);
/* li_instance_id without a statement when s, just loaded, has it. */
int li_settings_instance(struct db *db, struct arena *a,
			 const struct li_settings *s, const char **id);
/* A job's externalJobPostingId: "<instance_id>-J-00042", arena-owned. */
const char *li_job_posting_id(struct arena *a, const char *instance_id,
			      int64_t job_id);
/* Whether ext is one li_job_posting_id made for instance_id, and then its
 * job in *job_id. */
bool li_job_posting_id_parse(const char *ext, const char *instance_id,
			     uint64_t *job_id);
/* The job of ext, an export's externalJobPostingId, when it is one
 * li_job_posting_id made for instance_id: NULL, its job in *job_id.  Else
 * *job_id 0 and why not, for the events page (arena-owned, or static when
 * out of memory; never NULL): an id of another hirelink instance (another
 * instance id before "-J-"), or no id hirelink makes.  So no job of this
 * instance that has the same number ever takes another's export. */
const char *li_job_posting_id_resolve(struct arena *a, const char *ext,
				      const char *instance_id,
				      uint64_t *job_id);
/* The CALLBACK_URL hirelink registers (config linkedin_callback_url, else
 * public_base_url + "/linkedin/notifications"), arena-owned. */
const char *li_callback_url(struct arena *a, const struct config *cfg);

/* A job's location as Sync Jobs takes it: location "CITY,STATE" or
 * "CITY,COUNTRY", or countryCode and postalCode when it has none. */
struct li_location {
	const char *location;	  /* "Austin, TX"; NULL for a postal code */
	const char *country_code; /* "DE"; NULL with a location */
	const char *postal_code;  /* "10115"; NULL with a location */
};
/*
 * Maps a job's location as people write it (README, "Job locations"):
 * "City, Region" or "City, Country" ("Remote, Country" for a remote job)
 * to location, "CC postal" ("DE 10115") to countryCode and postalCode.
 * false with *why (for the job form and the sync's error, arena-owned or
 * static) when LinkedIn could not place it: empty, "Remote" without a
 * country, a city without a region.
 */
bool li_location_map(struct arena *a, const char *text, struct li_location *out,
		     const char **why);

/* The most records one batch call carries (LinkedIn's limit). */
#define LI_BATCH_MAX 100

/*
 * Enables the three integrations at LinkedIn under s->ats_instance_name
 * (atsIntegrations, batch_partial_update of integrationName), then
 * registers where exports go and who sees what carries no ACL:
 * CALLBACK_URL (li_callback_url) and JOB_POSTING_VIEWERS =
 * ALL_PRODUCT_USERS on ONE_CLICK_EXPORT, APPLICATION_VIEWERS =
 * ALL_PRODUCT_USERS on IN_ATS_INDICATOR.  enable false undoes it: status
 * DISABLED (hirelink convention), the configurations deleted.  The first
 * key LinkedIn refuses fails the call (LI_ERR_HTTP, its status and
 * message); LI_ERR_CONFIG when the settings are not ready.
 */
int li_integrations_set(struct li_client *li, struct db *db, struct arena *a,
			const struct li_settings *s, bool enable,
			struct li_error *err);
/*
 * Reads each integration's state from LinkedIn (atsIntegrations batch GET:
 * ENABLED, DISABLED, or NOT_ENABLED for one LinkedIn does not have) and
 * the CALLBACK_URL it holds, and stores them for /admin/linkedin
 * (linkedin_integrations).  C's applier of an INTEGRATION_STATUS_CHANGE
 * calls it too.  LI_ERR_CONFIG when the integration is not set up.
 */
int li_integrations_refresh(struct li_client *li, struct db *db,
			    struct li_error *err);

/* store.c: the admin asks for the integrations enabled (or disabled) at
 * LinkedIn: recorded (integration.linkedin_target) and marked for the
 * worker ("integration" outbox row) in one transaction, so that an outage
 * delays it and never loses it.  DB status. */
int li_integrations_request(struct db *db, bool enable);

/* One integration as LinkedIn last reported it (li_integrations_refresh). */
struct li_integration_state {
	const char *type;   /* li_integration_types[i] */
	const char *status; /* ENABLED, DISABLED, NOT_ENABLED, NOT_CHECKED */
	const char *name;   /* integrationName, "" when none */
	const char *callback_url; /* ONE_CLICK_EXPORT's CALLBACK_URL or NULL */
	const char *checked_at;	  /* NULL never */
};

/* What /admin/linkedin shows of the integrations at LinkedIn. */
struct li_integrations_view {
	struct li_integration_state states[LI_INTEGRATION_TYPES];
	const char *target;    /* "enabled", "disabled", NULL never asked */
	const char *target_at; /* when it was asked */
	bool pending;	       /* the worker has yet to carry it out */
	bool dead;	       /* it gave up: last_error says why */
	const char *last_error;
};
/* store.c: the view, arena-owned.  DB status. */
int li_integrations_status(struct db *db, struct arena *a,
			   struct li_integrations_view *v);

/* A job at LinkedIn, for its page: what LinkedIn accepted last (NULL
 * never), and the sync under way or given up (outbox). */
struct li_job_sync {
	const char *state;	  /* LISTED, CLOSED, NULL */
	const char *availability; /* PUBLIC, PRIVATE_TO_ATS_INTEGRATION */
	const char *synced_at;
	bool pending, dead;
	const char *error; /* the last failure, NULL none */
};
/* store.c: job_id's, arena-owned.  DB status. */
int li_job_sync_status(struct db *db, struct arena *a, int64_t job_id,
		       struct li_job_sync *out);

/* store.c: marks for the worker every job user_id is a recruiter or
 * hiring manager of (their LinkedIn member is those jobs' ACL assignee),
 * after they connected or disconnected LinkedIn.  DB status. */
int li_jobs_mark_for_member(struct db *db, int64_t user_id);

/* One job as Sync Jobs sends it, and what LinkedIn said of it. */
struct li_job_posting {
	const char *external_id; /* li_job_posting_id */
	const char *title, *description;
	struct li_location location;
	const char *availability; /* PUBLIC, PRIVATE_TO_ATS_INTEGRATION */
	const char *state;	  /* LISTED, CLOSED */
	const char *apply_url;	  /* companyApplyUrl */
	int64_t listed_at_ms;	  /* listedAt, epoch ms */
	/* set by li_job_postings_send: the element's outcome (failed with
	 * LinkedIn's status and message, or the task's), its task */
	struct li_outcome outcome;
	const char *task_id; /* urn:li:simpleJobPostingTask:N, or NULL */
	bool task_done;
};
/*
 * Sends p[0..n) (n <= LI_BATCH_MAX) in one simpleJobPostings batch_create,
 * reads each element's answer into p[i].outcome, then polls the accepted
 * ones' tasks (simpleJobPostingTasks, up to three reads 200 ms apart) and
 * fails those whose task FAILED.  LI_OK when LinkedIn answered per
 * element (look at each outcome); otherwise the whole batch's error
 * (err->status, err->retry_after_ms for a 429).
 */
int li_job_postings_send(struct li_client *li, struct db *db, struct arena *a,
			 const struct li_settings *s, struct li_job_posting *p,
			 size_t n, struct li_error *err);

/* One row of a job ACL: the job (its externalJobPostingId) in ACL acl_id
 * (atsEntityAcls), or the member (urn:li:person:ID) assigned to it
 * (atsEntityAclAssignees); with LinkedIn's outcome. */
struct li_acl {
	const char *acl_id;
	const char *target;
	struct li_outcome outcome;
};
/* PUTs (batch_update) or DELETEs (batch_delete) v[0..n) (n <=
 * LI_BATCH_MAX) of atsEntityAcls, or with assignees of
 * atsEntityAclAssignees; each row's outcome in v[i].outcome.  LI_OK when
 * LinkedIn answered per key. */
int li_acls_write(struct li_client *li, struct db *db, struct arena *a,
		  const struct li_settings *s, bool assignees, bool put,
		  struct li_acl *v, size_t n, struct li_error *err);

#endif
