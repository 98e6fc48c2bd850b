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
 *   control.c  failure injection and /sandbox/control, /sandbox/credentials
 *   jobs.c     atsIntegrations and their configurations, simpleJobPostings
 *              and their tasks, job ACLs, /sandbox/jobs
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

/* What the seed derives (seed.c); the same for every stack with one seed. */
struct sb_ids {
	int64_t organization_id;
	int64_t contract_id;
	int64_t first_seat_id;
	char client_id[15];	/* 14 lowercase alphanumerics */
	char client_secret[17]; /* 16 alphanumerics */
};

/* Process-wide, read-only after start-up. */
struct sb_app {
	struct config *cfg;
	struct http_limits limits; /* the server's, for a tunnelled body */
	struct tmpl_set *templates;
	struct sb_ids ids;
	unsigned char consent_key[SHA256_LEN]; /* HMAC key of consent forms */
	char *redirect_uri; /* {public_base_url}/settings/linkedin/callback */
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
/* 503 for a database failure, JSON or HTML by path. */
void sb_db_fail(struct sb_ctx *c);

/* ------------------------------------------------------------ main.c */

/* SHA-256 of a token string, for lookups. */
void sb_token_hash(const char *token, unsigned char out[SHA256_LEN]);
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
void sb_me(struct sb_ctx *c);
void sb_userinfo(struct sb_ctx *c);
void sb_seats(struct sb_ctx *c);
void sb_seats_v2(struct sb_ctx *c);

/* ------------------------------------------------------------ jobs.c */

/* The integrations (atsIntegrations: enable, batch GET, q=request) and
 * their configurations; Sync Jobs (simpleJobPostings, their tasks); job
 * ACLs (atsEntityAcls, atsEntityAclAssignees); GET /sandbox/jobs. */
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

/* ------------------------------------------------------------ control.c */

/*
 * Applies the failure rules to this request: may sleep, and returns true
 * when it has answered the request itself (an injected failure).
 */
bool sb_inject_failure(struct sb_ctx *c);
void sb_control_post(struct sb_ctx *c);
void sb_control_get(struct sb_ctx *c);
void sb_credentials(struct sb_ctx *c);
/* The seat holders (recruiters first) as a JSON array of
 * {id, firstName, lastName, seat, seatType}; new, NULL on failure. */
json_t *sb_seat_holders(struct sb_ctx *c);

#endif
