/*
 * web.h - page and endpoint handlers, and what they share.
 *
 * One file per page family (auth.c, jobs.c, system.c ...).  Every handler
 * is listed once in the route table (routes.c) with the methods and roles it
 * admits; the dispatcher (app.c) checks method, session, role and CSRF before
 * the handler runs, so a handler starts from a request it may serve.
 *
 * A handler fills c->page (a JSON object) and names a template, or sets a
 * redirect, and returns an HTTP status.  The dispatcher renders the template
 * inside the layout, or sends c->page itself as JSON when the client asked
 * for application/json.  A status >= 400 becomes the central error page,
 * with c->error_field / c->error_message when the handler set them.
 */
#ifndef HIRELINK_WEB_H
#define HIRELINK_WEB_H

#include <jansson.h>
#include <stdatomic.h>

#include "ats/access.h"
#include "ats/jobs.h"
#include "core/config.h"
#include "db/db.h"
#include "http/http.h"
#include "tmpl/tmpl.h"

/* Long-lived state shared read-only by every thread (metrics are atomic). */
struct app {
	const struct config *cfg;
	struct tmpl_set *tmpl;
	struct http_limits limits;
	struct metrics *metrics;
	struct fragcache *frags;      /* kept views (core.h); NULL: none */
	struct li_shared *li;         /* LinkedIn: share handle, app token */
};

/* The longest fragment app->frags keeps (a jobs list page is ~10 KB, a
 * candidate page's head under 1 KB). */
#define WEB_FRAGMENT_MAX (32 * 1024)

/* One per thread: nothing in it is shared. */
struct worker {
	struct app *app;
	struct db *db;
	int index;
	struct li_client *li;         /* LinkedIn: this thread's curl handle */
};

/* One per request, in the request's arena. */
struct ctx {
	struct worker *w;
	const struct config *cfg;
	struct db *db;
	struct arena *arena;
	struct http_request *req;
	struct http_response *res;
	const struct web_route *route; /* NULL when none matched */
	const struct http_match *match;
	struct session *session;      /* NULL when signed out or not read */
	json_t *page;                 /* the template context; new ref */
	const char *template;         /* "jobs/list" */
	const char *title;            /* <title> */
	const char *error_field;
	const char *error_message;
	/* 0, or the status of the first field a getter refused (input.c) */
	int input_status;
	/* What web_notice() said, for the page after this request's
	 * redirect (or this page); NULL: nothing.  Arena-owned. */
	json_t *notice;
	/* ?page= asked past WEB_PAGE_MAX (web_page), 0 when not: the page
	 * given is WEB_PAGE_MAX, and the list says why. */
	int64_t page_asked;
	/* A list's last page when this GET asked past it (web_pager): the
	 * dispatcher sends a browser there, with a notice.  NULL: none. */
	const char *past_end_url;
	/* The page's body already made (web_body_kept): the layout's
	 * content as it is, arena-owned; NULL: c->template renders it. */
	const char *body;
	size_t body_len;
	/* Keep the body rendered for this 200 (web_body_keep): its key in
	 * app->frags (NULL: do not), revision and end of validity. */
	const char *keep_key;
	uint64_t keep_revision;
	int64_t keep_until;
	/* The offers' revision (web_offers), once read in this request */
	uint64_t offers_revision;
	bool offers_revision_read;
};

/*
 * Bodies kept whole (app.c): a page's body, its template's output that the
 * layout puts in as {{& content}}, kept in app->frags (fragcache.c) under
 * a key that names everything it depends on, at a revision read before
 * its data, and with `until`: the time, in seconds of the database's clock
 * (UNIX_TIMESTAMP()), from which it would say something no longer true
 * ("updated 3 minutes ago"), INT64_MAX for never.  The session's CSRF
 * token is cut out when kept and put back when served, so one body serves
 * every session of its key and never carries a token to another.
 *
 * web_body_kept: true when key at revision is kept and now < until; the
 * body is then c->body (the handler sets c->template and c->title as for
 * a rendered page).  web_body_keep: render() keeps the body it renders
 * for this request if the status is 200 and the request is signed in.
 */
bool web_body_kept(struct ctx *c, const char *key, uint64_t revision,
		   int64_t now);
void web_body_keep(struct ctx *c, const char *key, uint64_t revision,
		   int64_t until);

/*
 * What a form offers to choose from (offers.c): records of a kind (a
 * letter the caller picks: 'j' a job, 'p' a pool), an id and a text, kept
 * under key (which names who sees them) while the jobs, their members and
 * the pools are unchanged.  load() reads them on a miss, arena-owned, and
 * answers 0 or an HTTP status; so does web_offers.
 */
struct web_offer {
	char kind;
	int64_t id;
	const char *text;
};
typedef int (*web_offers_fn)(struct ctx *c, struct web_offer **v,
			      size_t *n);
int web_offers(struct ctx *c, const char *key, web_offers_fn load,
		struct web_offer **v, size_t *n);

typedef int (*web_handler_fn)(struct ctx *c);

enum route_flags {
	ROUTE_PUBLIC = 1 << 0,      /* no sign-in needed */
	ROUTE_NO_LAYOUT = 1 << 1,   /* the handler writes the body itself */
	/* The dispatcher does not read the session (GET only: a POST's CSRF
	 * token is the session's); the handler calls web_session() if it
	 * may need one. */
	ROUTE_NO_SESSION = 1 << 2,
	/* A machine caller's (LinkedIn's push notifications): PUBLIC with no
	 * session read and no CSRF token asked for, its body at most
	 * WEB_MACHINE_MAX_BODY (413 before more is read) and kept raw, never
	 * parsed (req->body, req->body_len; a signature covers those bytes),
	 * the request's headers read with http_header(), errors in JSON. */
	ROUTE_MACHINE = 1 << 3,
};

/* The largest body a ROUTE_MACHINE route reads. */
#define WEB_MACHINE_MAX_BODY (64 * 1024)

struct web_route {
	struct http_route r;        /* must stay first: the router walks it */
	web_handler_fn handler;
	unsigned roles;             /* ROLE_* admitted; ignored when PUBLIC */
	unsigned flags;
};

/* The routes, named after their handlers, in table order (routes.c).  The
 * first route whose pattern and method match wins, so a literal segment
 * comes before the capture beside it ("/jobs/new" before "/jobs/{id}"). */
enum web_route_id {
	R_HOME,
	R_LOGIN_FORM,
	R_LOGIN,
	R_LOGOUT,
	R_JOBS_LIST,
	R_JOB_CREATE,
	R_JOB_NEW,
	R_JOB_SHOW,
	R_JOB_UPDATE,
	R_JOB_ACTIVATE,
	R_JOB_CLOSE,
	R_JOB_MEMBERS,
	R_JOB_STAGES,
	R_CAREERS_JOB,
	R_JOB_STAGE_DELETE_FORM,
	R_JOB_CRITERIA,
	R_JOB_BULK_MOVE,
	R_JOB_BULK_REJECT,
	R_JOB_BULK_POOL,
	R_JOB_BULK_JOB,
	/* @jobs-routes: add jobs route ids above this line */
	R_APPLICATION_CREATE,
	R_APPLICATION_SHOW,
	R_APPLICATION_MOVE,
	R_APPLICATION_REJECT,
	R_APPLICATION_HIRE,
	R_APPLICATION_WITHDRAW,
	R_APPLICATION_FEEDBACK,
	R_APPLICATION_REOPEN,
	R_APPLICATION_UNDO,
	R_APPLICATION_CONFIRM,
	R_APPLICATION_FEEDBACK_FORM,
	R_APPLICATION_FEEDBACK_REQUEST,
	R_FEEDBACK_UPDATE,
	R_FEEDBACK_DUE,
	R_NEEDS_REVIEW,
	/* @applications-routes: add application route ids above this line */
	R_CANDIDATES_LIST,
	R_CANDIDATE_CREATE,
	R_CANDIDATE_NEW,
	R_CANDIDATE_SHOW,
	R_CANDIDATE_UPDATE,
	R_CANDIDATE_NOTE_CREATE,
	R_NOTE_UPDATE,
	R_NOTE_DELETE,
	R_CANDIDATE_ATTACHMENT_CREATE,
	R_ATTACHMENT_DOWNLOAD,
	R_CANDIDATE_LINKEDIN_LINK,
	R_CANDIDATE_LINKEDIN_UNLINK,
	R_CANDIDATE_LINKEDIN_REFRESH,
	R_CANDIDATE_ACTIVITIES_REFRESH,
	R_CANDIDATE_DELETE_FORM,
	R_CANDIDATE_DELETE,
	R_ATTACHMENT_PREVIEW,
	R_ATTACHMENT_DELETE_FORM,
	R_ATTACHMENT_DELETE,
	R_NOTE_DELETE_FORM,
	R_CANDIDATES_BULK_POOL,
	R_CANDIDATES_BULK_JOB,
	/* @candidates-routes: add candidate route ids above this line */
	R_POOLS_LIST,
	R_POOL_CREATE,
	R_POOL_SHOW,
	R_POOL_RENAME,
	R_POOL_DELETE,
	R_POOL_MEMBERS,
	R_POOL_FETCH,
	R_POOL_DELETE_FORM,
	R_POOL_BULK_POOL,
	R_POOL_BULK_JOB,
	/* @pools-routes: add pool route ids above this line */
	R_ADMIN_USERS,
	R_ADMIN_USER_CREATE,
	R_ADMIN_USER_UPDATE,
	R_ADMIN_USER_DEACTIVATE,
	R_ADMIN_USER_ACTIVATE,
	R_SETTINGS_USER,
	R_SETTINGS_PASSWORD,
	/* @people-routes: add admin/settings route ids above this line */
	R_LINKEDIN_ADMIN,
	R_LINKEDIN_ADMIN_SAVE,
	R_LINKEDIN_ADMIN_TEST,
	R_LINKEDIN_INTEGRATIONS,
	R_LINKEDIN_OUTBOX,
	R_LINKEDIN_OUTBOX_RETRY,
	R_LINKEDIN_SETTINGS,
	R_LINKEDIN_CONNECT,
	R_LINKEDIN_CALLBACK,
	R_LINKEDIN_DISCONNECT,
	R_LINKEDIN_CHECK,
	R_LINKEDIN_IE11_DISMISS,
	R_LINKEDIN_CHALLENGE,
	R_LINKEDIN_NOTIFICATION,
	R_LINKEDIN_EVENTS,
	R_LINKEDIN_EVENT_RETRY,
	R_LINKEDIN_BACKFILL,
	R_LINKEDIN_CLOSED,
	R_LINKEDIN_CLOSED_CHECK,
	R_LINKEDIN_CLOSED_ERASE,
	/* @linkedin-routes: add LinkedIn route ids above this line */
	R_BULK_SHOW,
	R_BULK_CONFIRM,
	/* @bulk-routes: add bulk action route ids above this line */
	R_HEALTHZ,
	R_METRICS,
	WEB_NROUTES
};

extern const struct web_route web_routes[WEB_NROUTES];
/* "GET /jobs/{id}": a route's method and pattern, for metrics and tests;
 * written into out and returned.  Every route has one method. */
#define WEB_ROUTE_LABEL_MAX 128
const char *web_route_label(enum web_route_id id,
			    char out[WEB_ROUTE_LABEL_MAX]);

extern const char *const web_templates[];
extern const size_t web_ntemplates;

/* app.c */
void web_handle(void *thread_ctx, struct http_request *req,
		struct http_response *res);
void web_on_finish(void *thread_ctx, const struct http_request *req,
		   const struct http_response *res, int64_t duration_us);
/* A request's route, found once, before its body is read (web_body_rule
 * keeps it in req->app_data), or by web_handle. */
struct web_routing {
	int found; /* index, or HTTP_ROUTE_NOT_FOUND, HTTP_ROUTE_BAD_METHOD */
	unsigned allowed; /* BAD_METHOD: the methods the path takes */
	struct http_match m;
};
/* http_server.body_rule: routes the request before its body is read
 * (struct web_routing, arena-owned, in req->app_data for web_handle) and
 * gives a ROUTE_MACHINE route its own limit and a raw body.  thread_ctx is
 * not used. */
void web_body_rule(void *thread_ctx, struct http_request *req,
		   struct http_body_rule *rule);
/* Maps a db/ats status to an HTTP one: DB_GONE and DB_DEADLOCK (still
 * colliding after db_transaction's runs) -> 503, DB_NOT_FOUND ->
 * 404, DB_DUPLICATE -> 409, ATS_INVALID -> 400, others -> 500. */
int web_status_from_db(int rc);
/* Sets the field and message for a 400/409 and returns status. */
int web_fail(struct ctx *c, int status, const char *field, const char *msg);
/* json_pack's "{s:T, ...}" for a row whose strings are valid UTF-8 already
 * (MariaDB's utf8mb4 columns, which strict mode keeps valid, and
 * literals), without jansson checking every byte of every key and string
 * again.  T: s (const char *, NULL as ""), I (json_int_t), i (int), b (int
 * as a boolean), o (json_t *, stolen).  New; NULL on a bad format or out
 * of memory. */
json_t *web_pack_row(const char *fmt, ...);
/* A select's options, [{value, label, selected}], from a list of words
 * (ats.h), the one equal to selected (may be NULL) selected.  New. */
json_t *web_options(const struct ats_word *words, const char *selected);
/* Lists are paged as far as WEB_PAGE_MAX pages (10,000 rows at 50 a
 * page): no request reads deeper (page 20,000 of a million candidates
 * cost MariaDB 3 s), and what lies beyond is found by searching or
 * filtering. */
#define WEB_PAGE_MAX 200
/* A list's page among its pages, for the pager (templates/pager.html). */
struct pager {
	const char *path;	   /* "/jobs" */
	const char *const *params; /* name, value, ..., NULL: kept in every
				      page's URL when the value is not "" */
	int64_t page;
	int64_t total;	  /* rows in the list (a lower bound when more) */
	int64_t per_page; /* rows on a page */
	bool more;	  /* rows lie past total */
	bool empty;	  /* this page has no rows */
};
/* path?page=N&name=value... (escaped); arena-owned. */
const char *web_page_url(struct ctx *c, const struct pager *p, int64_t page);
/* Sets the pager's "page", "pages", "paged" (more than one page),
 * "prev_url" and "next_url" (no Next past WEB_PAGE_MAX: "page_cap" says why
 * instead), "numbers" (the page links 1 2 ... p-2 .. p+2 ... n-1 n, up to
 * WEB_PAGE_MAX: [{n, url, current}] with {gap: true} where pages are left
 * out, and a last gap when total is a lower bound), and past the last page
 * "past_end", "one_page", "first_url" and "last_url".  A browser's GET
 * past the last page is sent to it (c->past_end_url: the dispatcher
 * answers 303 with a notice); a page asked past WEB_PAGE_MAX is explained
 * in a notice. */
void web_pager(struct ctx *c, const struct pager *p);
/* A count as the page says it: "0", "1,234", and when over is set (total
 * is a cap that the count passes) "over 10,000".  Arena-owned; NULL when
 * out of memory. */
const char *web_count_text(struct arena *a, int64_t total, bool over);
/* 303 See Other to location; returns 303. */
int web_see_other(struct ctx *c, const char *location);
/*
 * What happened, said on the next page the user sees ("Moved Noah
 * O'Connor to Screen"), in the notice style for success.  A POST handler
 * calls it before it redirects: the text rides in a cookie signed for this
 * session (no query; a reload shows it no more), and the page the redirect
 * lands on shows it once.  Said on a page rendered by this request, it
 * shows there.  The last call wins; nothing without a session.
 *
 * web_notice_undo adds an Undo button: a POST (with the session's CSRF
 * token) to undo_action, a local path, with the hidden fields given as
 * name, value, ..., NULL.  At most WEB_NOTICE_FIELDS of them.
 */
#define WEB_NOTICE_FIELDS 8
void web_notice(struct ctx *c, const char *text);
void web_notice_undo(struct ctx *c, const char *text, const char *undo_action,
		     ... /* name, value, ..., NULL */);
/* The dispatcher's side (app.c): on a redirect, keep the notice in its
 * cookie; on an HTML page, put the notice to show in the page as
 * "notice" ({text, undo: {action, fields: [{name, value}]}}). */
void web_notice_keep(struct ctx *c);
void web_notice_show(struct ctx *c);
/* confirm.c: a confirmation step that works without JavaScript
 * (templates/confirm/page.html): heading ("Hire Noah O'Connor?"), what
 * will happen (text), a form that POSTs to action (a local path) with the
 * button's label (danger: in the danger style) and the hidden fields given
 * as name, value, ..., NULL (at most WEB_NOTICE_FIELDS), and Cancel back
 * to cancel_url.  nav (may be NULL): the menu entry the page belongs to
 * ("jobs").  Fills c->page; returns 200 (500 out of memory). */
struct web_confirm_step {
	const char *heading, *text, *action, *button;
	bool danger;
	const char *cancel_url, *nav;
};
int web_confirm(struct ctx *c, const struct web_confirm_step *s,
		... /* name, value, ..., NULL */);
/* The layout marks the menu entry of the page's template family
 * ("jobs/show": Jobs); a handler sets c->page "nav" (a string: "jobs") for
 * a page that belongs elsewhere (a candidate opened from a job). */
/* Capture i of the matched route as a positive id; 0 when it is not one. */
int64_t web_capture_id(const struct ctx *c, size_t i);
/* HMAC-SHA256 under the sign-in CSRF key (derived from secret_key for
 * the web's own marks) of "use:a", or "use:a:" and b[0..blen) when b is
 * not NULL: the use keeps one mark from passing for another.  0 or -1. */
int web_mac(const struct ctx *c, const char *use, const char *a,
	    const char *b, size_t blen, unsigned char out[SHA256_LEN]);
/* The signed-out CSRF token: bound to the pre-session cookie by HMAC. */
const char *web_anon_csrf(struct ctx *c);
/* Reads the session of the request's cookie into c->session (NULL when
 * there is none or it has ended): 0, or the status when the database
 * failed.  The dispatcher calls it, except for ROUTE_NO_SESSION. */
int web_session(struct ctx *c);

/* input.c: a request's fields, typed and checked at the edge.
 *
 * A field is read from the query string for GET and HEAD, otherwise from
 * the form (urlencoded or multipart) or a JSON object body (a string or an
 * integer; true or false for web_bool; null is absent).  On a bad value a
 * getter gives a harmless one ("", 0, false, dflt) and records the
 * refusal: the first refused field's status (400; 500 out of memory) in
 * c->input_status, its name and message through web_fail().  A handler
 * reads its fields, then checks c->input_status once.  Strings are
 * arena-owned or borrowed from the request. */
/* Text, trimmed; "" when absent.  Refused when longer than max characters
 * (0: the parser's bound only), then still given for the form shown
 * again. */
const char *web_text(struct ctx *c, const char *name, size_t max);
/* The same, but dflt when absent: "left out" is not "". */
const char *web_text_or(struct ctx *c, const char *name, size_t max,
			const char *dflt);
/* A password as typed (spaces count); "" when absent.  Bounds are the
 * caller's. */
const char *web_password(struct ctx *c, const char *name);
/* The dflt of web_id and web_enum for a field that must be given. */
#define WEB_REQUIRED (-1)
/* A positive id; dflt (0 or WEB_REQUIRED) when absent or empty.  Refused
 * with must ("must be the id of a job") when not an id, or when missing
 * and WEB_REQUIRED; 0 then. */
int64_t web_id(struct ctx *c, const char *name, int64_t dflt, const char *must);
/* A checkbox: true for "1", "on", "true"; false for absent, "", "0",
 * "off", "false"; anything else is refused. */
bool web_bool(struct ctx *c, const char *name);
/* One name of a web_enum table (ended by {NULL, 0}) and its value. */
struct web_choice {
	const char *name;
	int value;
};
/* The value of the choice the field names; dflt when absent or empty.
 * Refused with "must be a, b or c" when it names none, or when missing and
 * dflt is WEB_REQUIRED; dflt then. */
int web_enum(struct ctx *c, const char *name, const struct web_choice *choices,
	     int dflt);
/* Every value of a repeated field (checkboxes: ids=1&ids=2, or a JSON
 * array of integers) as positive ids, at most max: arena-owned, *n of
 * them (0 when absent).  Refused with must when one is not an id, or
 * when more than max are given. */
int64_t *web_ids(struct ctx *c, const char *name, size_t max, const char *must,
		 size_t *n);
/* A path on this site to send the user to (http_local_path_ok()), or
 * fallback when absent or not one.  Never refused: a bad target in a link
 * is dropped, and what the user did still happens. */
const char *web_local_path(struct ctx *c, const char *name,
			   const char *fallback);
/* ?page=N, 1-based, into *page: always 0 (the int keeps the callers'
 * shape).  Absent, signed or not a number: page 1.  Past WEB_PAGE_MAX:
 * WEB_PAGE_MAX, with c->page_asked set, so that the list explains the
 * cap in words instead of refusing (web_pager).  Query only, whatever the
 * method (so does web_search): a form that fails shows its list again as
 * its URL asked. */
int web_page(struct ctx *c, int64_t *page);
/* A search in query parameter name, trimmed, into *q ("" when absent):
 * 0, or the status of the error (400 when longer than WEB_SEARCH_MAX
 * characters). */
#define WEB_SEARCH_MAX 200
int web_search(struct ctx *c, const char *name, const char **q);
/* A searchable list's ?page= and ?q=, as web_page and web_search read
 * them: 0, or the status of the first error. */
int web_list_query(struct ctx *c, int64_t *page, const char **q);

/* words.c: codes in the words people read (a page never shows a field
 * key or an audit code).  Results are static or arena-owned, never NULL. */
/* A form field's label: "stage_id" -> "Stage". */
const char *web_field_label(struct arena *a, const char *field);
/* An application event's kind: "withdrawn" -> "Withdrawn". */
const char *web_event_label(struct arena *a, const char *kind);
/* A rejection reason: "position_filled" -> "Position filled". */
const char *web_reason_label(struct arena *a, const char *reason);
/* An event's detail with a leading rejection-reason code in words. */
const char *web_event_detail(struct arena *a, const char *detail);
/* A candidate event ("attachment_deleted") as a sentence after its
 * author: "deleted the file resume.pdf". */
const char *web_candidate_event_sentence(struct arena *a, const char *kind,
					 const char *detail);
/* An audit row as a sentence after the actor's name ("deleted the stage
 * “Screen”"); who: the user the detail names ("" unknown). */
const char *web_audit_sentence(struct arena *a, const char *action,
			       const char *detail, const char *who);

/* auth.c */
int web_login_form(struct ctx *c);
int web_login(struct ctx *c);
int web_logout(struct ctx *c);
#define SESSION_COOKIE "hl_session"
#define PRESESSION_COOKIE "hl_pre"
/* F15: set when the user dismissed the notice for Internet Explorer 11
 * (app.c shows it, linkedin_connect.c dismisses it). */
#define IE11_COOKIE "hl_ie11_ok"

/* jobs.c: jobs, members, stages (the job page lists applications) */
int web_jobs_list(struct ctx *c);
int web_job_new(struct ctx *c);
int web_job_create(struct ctx *c);
int web_job_show(struct ctx *c);
int web_job_update(struct ctx *c);
int web_job_activate(struct ctx *c);
int web_job_close(struct ctx *c);
int web_job_members(struct ctx *c);
int web_job_stages(struct ctx *c);
/* GET /jobs/{id}/stages/{stage}/delete: the stage delete's confirmation */
int web_job_stage_delete_form(struct ctx *c);
/* careers.c: a job's public page, for applicants (LinkedIn's
 * companyApplyUrl) */
int web_careers_job(struct ctx *c);
/* @jobs-handlers: add jobs.c declarations above this line */

/* applications.c: applications, moves, rejections, feedback */
struct application;
struct feedback;
int web_application_show(struct ctx *c);
int web_application_create(struct ctx *c);
int web_application_move(struct ctx *c);
int web_application_reject(struct ctx *c);
int web_application_hire(struct ctx *c);
int web_application_withdraw(struct ctx *c);
int web_application_feedback(struct ctx *c);
/* POST /applications/{id}/reopen: a rejected or withdrawn one, active
 * again; POST /applications/{id}/undo (event_id): undoes the user's
 * latest change to it (the notice's Undo); GET
 * /applications/{id}/confirm?action=hire|withdraw: the confirmation step */
int web_application_reopen(struct ctx *c);
int web_application_undo(struct ctx *c);
int web_application_confirm(struct ctx *c);
/* The context of one application for templates/applications/ partials
 * (actions, history, feedback_form): new reference, NULL on OOM.
 * return_to (NULL = none): a local path the action forms send back to. */
json_t *web_application_json(struct ctx *c, const struct application *ap,
			     const char *return_to);
/* One feedback entry (feedback_list partial): new reference. */
json_t *web_feedback_json(const struct feedback *f);
/* The candidate page's Applications and Feedback tabs in one call: sets
 * "applications" (web_application_json each), "has_applications",
 * "feedback" (visible to the viewer), "has_feedback" in obj.  DB_OK or a
 * db status (web_status_from_db). */
int web_candidate_applications_context(struct ctx *c, int64_t candidate_id,
				       const char *return_to, json_t *obj);
/* A candidate page opened from a job (/candidates/{id}?job={jid}): sets
 * "job_context" {job_id, job_title, stage_id, stage_name, status,
 * application_id, url: back to the job's stage at the row} and "nav"
 * ("jobs": the menu stays on Jobs), when the candidate has an application
 * there the viewer may see; nothing otherwise.  DB_OK or a db status. */
int web_candidate_job_context(struct ctx *c, int64_t candidate_id,
			      int64_t job_id);
/* feedback.c: each role's home (Feedback due, Needs review), one
 * application's feedback form, editing one's feedback, asking
 * interviewers for feedback, a job's criteria */
struct criteria;
struct feedback_input;
int web_application_feedback_form(struct ctx *c);
int web_application_feedback_request(struct ctx *c);
int web_feedback_update(struct ctx *c);
int web_feedback_due(struct ctx *c);
int web_needs_review(struct ctx *c);
int web_job_criteria(struct ctx *c);
/* The form's "criteria" field (one criterion a line, blank lines
 * skipped, at most JOB_CRITERIA_MAX + 1 kept so the check can refuse too
 * many) into *names[0..*n), arena-owned: 0, or the status of a refused
 * field.  The job page's criteria form and the new-job form read it. */
int web_criteria_field(struct ctx *c, const char ***names, size_t *n);
/* The feedback form's fields for a job with criteria cr into *in: 0, or
 * the status of a refused field. */
int web_feedback_input(struct ctx *c, const struct criteria *cr,
		       struct feedback_input *in);
/* The viewer's feedback form for ap (a new feedback at its stage, or an
 * edit of theirs there), the values typed when this request posted it;
 * NULL when they may give none.  New reference. */
json_t *web_feedback_form_json(struct ctx *c, const struct application *ap,
			       const char *return_to);
/* "feedback_requests", "has_feedback_requests" and, for who may ask,
 * "request_form" of ap into obj.  DB_OK or a db status. */
int web_feedback_requests_context(struct ctx *c, const struct application *ap,
				  const char *return_to, json_t *obj);
/* "criteria", "has_criteria", "criteria_text" of the job into obj. */
int web_job_criteria_context(struct ctx *c, int64_t job_id, json_t *obj);
/* The menu's counts for "me": "feedback_due" {count} for interviewers,
 * "needs_review" {count} for hiring managers. */
void web_home_menu(struct ctx *c, json_t *me);
/* @applications-handlers: add applications.c declarations above this line */

/* candidates.c: candidates, notes, attachments */
int web_candidates_list(struct ctx *c);
int web_candidate_new(struct ctx *c);
int web_candidate_create(struct ctx *c);
int web_candidate_show(struct ctx *c);
int web_candidate_update(struct ctx *c);
int web_candidate_note_create(struct ctx *c);
int web_note_update(struct ctx *c);
int web_note_delete(struct ctx *c);
/* GET /notes/{id}/delete: the note delete's confirmation step */
int web_note_delete_form(struct ctx *c);
int web_candidate_attachment_create(struct ctx *c);
int web_attachment_download(struct ctx *c);
/* A PDF attachment inline, for the candidate page's frame; its
 * confirmation step and its deletion (with the trail). */
int web_attachment_preview(struct ctx *c);
int web_attachment_delete_form(struct ctx *c);
int web_attachment_delete(struct ctx *c);
/* The LinkedIn tab and the Recruiting activities tab read their state
 * ahead of the candidate page's head, in the statement that also reads
 * the candidate's revision, under which the head is kept
 * (ats_candidate_view_at): a view whose head is kept is one round trip.
 * Arena-owned; a member NULL: nothing read ahead (the tab reads its own
 * state, as after a refused form). */
struct ats_li_state;
struct web_activities_pre;
struct web_tab_tag;
struct web_tab_pre {
	const uint64_t *revision; /* the candidate's, NULL: not read */
	struct ats_li_state *li;
	struct web_activities_pre *acts;
	/* the revisions the body is kept at (NULL: not kept) */
	const struct web_tab_tag *tag;
};
/*
 * The LinkedIn and Recruiting activities tabs kept whole (web_body_kept):
 * the revisions of all a tab's body shows, read first in one statement of
 * primary-key reads (sql/310_tab_revisions.sql), then the body kept at
 * them, or on a miss the tab's state read and rendered as before, and
 * kept.  ok is false when there is nothing to key a body by.
 */
struct web_tab_tag {
	bool ok;
	uint64_t revision; /* the candidate's */
	const char *tag;   /* the others (the viewer's, the tab's outbox) */
	int64_t now;	   /* the database's UNIX_TIMESTAMP() then */
	const char *key;   /* set by web_candidate_*_kept */
};
/* The tab's revisions are read by candidates.c (tab_tag) with
 * ats_li_tab_tag or li_activities_tab_tag.  web_candidate_*_kept: true
 * when the body of the tab of k as the viewer sees it with access acc is
 * kept (c->body set); else t->key names the body the tab keeps once
 * rendered. */
struct candidate;
bool web_candidate_linkedin_kept(struct ctx *c, const struct candidate *k,
				 enum access acc, struct web_tab_tag *t);
bool web_candidate_activities_kept(struct ctx *c, const struct candidate *k,
				   enum access acc, struct web_tab_tag *t);
/* candidate_linkedin.c: the LinkedIn tab (F8) and its actions */
struct candidate;
/* The LinkedIn tab's state of candidate id into pre (nothing while the
 * integration is not set up).  0 or the status. */
int web_candidate_linkedin_read(struct ctx *c, int64_t id,
				struct web_tab_pre *pre);
/* Fills c->page "linkedin" for candidate k seen with access acc: the
 * matching rule's state from what is stored (pre's, or read now when pre
 * holds none), the widget, the actions the viewer may take; asks the
 * worker for LinkedIn's matches again when they are missing or stale.  0
 * or the status. */
int web_candidate_linkedin_tab(struct ctx *c, const struct candidate *k,
			       enum access acc, const struct web_tab_pre *pre);
int web_candidate_linkedin_link(struct ctx *c);
int web_candidate_linkedin_unlink(struct ctx *c);
int web_candidate_linkedin_refresh(struct ctx *c);
/* candidate_activities.c: the Recruiting activities tab (F9) of
 * candidate k, filling c->page (0 or a status) from pre's state or read
 * now, and its Retry; web_candidate_activities_read reads that state of
 * candidate id into pre (0 or a status). */
struct candidate;
int web_candidate_activities_read(struct ctx *c, int64_t id,
				  struct web_tab_pre *pre);
int web_candidate_activities_tab(struct ctx *c, const struct candidate *k,
				 enum access acc, const struct web_tab_pre *pre);
int web_candidate_activities_refresh(struct ctx *c);
/* data_protection.c: deleting a candidate for good (admins), with its
 * confirmation page */
int web_candidate_delete_form(struct ctx *c);
int web_candidate_delete(struct ctx *c);
/* The candidate search's filters (job, stage, source, pool, dates added,
 * sort) read and checked as the candidates list reads them, into f (f->q
 * set by the caller): 0, or the status of the refusal naming the field.
 * The search results' bulk actions read the search so (bulk.c). */
struct candidate_query;
int web_candidate_query(struct ctx *c, struct candidate_query *f,
			const char **sort_name);
/* The search f as the query string's name, value pairs (a NULL name ends
 * them; a value may be ""), sort the sort's name or "" for the default:
 * the list's links and the bulk bar send the search again so.  NULL when
 * out of memory. */
const char **web_candidate_query_params(struct ctx *c,
					const struct candidate_query *f,
					const char *sort);
/* @candidates-handlers: add candidates.c declarations above this line */

/* pools.c: talent pools */
int web_pools_list(struct ctx *c);
int web_pool_create(struct ctx *c);
int web_pool_show(struct ctx *c);
int web_pool_rename(struct ctx *c);
int web_pool_delete(struct ctx *c);
/* GET /pools/{id}/delete: the pool delete's confirmation step */
int web_pool_delete_form(struct ctx *c);
int web_pool_members(struct ctx *c);
/* the LinkedIn pool's Fetch now (stubs read by the worker at once) */
int web_pool_fetch(struct ctx *c);
/* @pools-handlers: add pools.c declarations above this line */

/* admin.c, settings.c: people, user settings */
int web_admin_users(struct ctx *c);
int web_admin_user_create(struct ctx *c);
int web_admin_user_update(struct ctx *c);
int web_admin_user_deactivate(struct ctx *c);
int web_admin_user_activate(struct ctx *c);
int web_settings_user(struct ctx *c);
int web_settings_password(struct ctx *c);
/* Fills "admins" [{name, email, sep}] and "has_admins": whom to ask when
 * something needs an admin.  0, or the status to answer. */
int web_admins_context(struct ctx *c);
/* @people-handlers: add admin.c / settings.c declarations above this line */

/* linkedin: admin setup, connect, callbacks (linkedin_*.c) */
/* linkedin_admin.c: F14 set-up; linkedin_connect.c: F7 Connect */
int web_linkedin_admin(struct ctx *c);
int web_linkedin_admin_save(struct ctx *c);
int web_linkedin_admin_test(struct ctx *c);
int web_linkedin_integrations(struct ctx *c);
/* POST /admin/linkedin/backfill: action=start, pause or resume the In ATS
 * full sync. */
int web_linkedin_backfill(struct ctx *c);
/* linkedin_outbox.c: what waits to reach LinkedIn, dead rows, Retry */
int web_linkedin_outbox(struct ctx *c);
/* The sync health /admin/linkedin shows (linkedin_outbox.c): pending and
 * dead rows, the oldest pending change, and per kind its counts and last
 * error; *out new.  200, or the status of the database's failure. */
int web_linkedin_sync_health(struct ctx *c, json_t **out);
int web_linkedin_outbox_retry(struct ctx *c);
int web_linkedin_connect(struct ctx *c);
int web_linkedin_callback(struct ctx *c);
int web_linkedin_disconnect(struct ctx *c);
int web_linkedin_check(struct ctx *c);
int web_linkedin_settings(struct ctx *c);
int web_linkedin_ie11_dismiss(struct ctx *c);
/* linkedin_notifications.c: LinkedIn's push notifications (F11) */
int web_linkedin_challenge(struct ctx *c);
int web_linkedin_notification(struct ctx *c);
int web_linkedin_events(struct ctx *c);
int web_linkedin_event_retry(struct ctx *c);
/* Fills c->page for the Connections tab (settings/connections): the
 * connection, or Connect, or who must set the integration up.  Status. */
int web_linkedin_connections_context(struct ctx *c);
/* data_protection.c: closed LinkedIn profiles, their check and erase */
int web_linkedin_closed(struct ctx *c);
int web_linkedin_closed_check(struct ctx *c);
int web_linkedin_closed_erase(struct ctx *c);
/* @linkedin-handlers: add LinkedIn declarations above this line */

/* bulk.c: bulk actions (src/ats/bulk.h) from a job's stage tab, the
 * candidate search and a pool, and a bulk job's progress page */
int web_job_bulk_move(struct ctx *c);
int web_job_bulk_reject(struct ctx *c);
int web_job_bulk_pool(struct ctx *c);
int web_job_bulk_job(struct ctx *c);
int web_candidates_bulk_pool(struct ctx *c);
int web_candidates_bulk_job(struct ctx *c);
int web_pool_bulk_pool(struct ctx *c);
int web_pool_bulk_job(struct ctx *c);
int web_bulk_show(struct ctx *c);
/* POST /bulk/{id}/confirm: a waiting bulk job's confirmation step's form */
int web_bulk_confirm(struct ctx *c);
/* The bulk bar's choices, for a page that shows one: "bulk" {pools:
 * [{id, name}] (user pools but skip_pool), jobs: [{id, label}] (the
 * viewer's own jobs; any other by its ID), may_pools, may_jobs, any
 * (false for those who may not add to pools and jobs)} and
 * "reject_reasons", set in c->page.  0, or the status. */
int web_bulk_context(struct ctx *c, int64_t skip_pool);
/* The same for a job's stage tab (sel, seen with access acc): "bulk"
 * also holds moves [{id, name, selected}] (the other stages, the next
 * one selected), may_move, may_reject, all (the stage's active count). */
int web_bulk_stage_context(struct ctx *c, const struct stage_list *stages,
			   const struct stage *sel, enum access acc);
/* @bulk-handlers: add bulk.c declarations above this line */

/* system.c */
/* Each role's home (issue 18), where "/" and a sign-in without a page to
 * return to lead: an interviewer's Feedback due, a hiring manager's Needs
 * review, everyone else's the jobs list.  Static string. */
const char *web_home_path(const struct user *u);
int web_home(struct ctx *c);
int web_healthz(struct ctx *c);
int web_metrics(struct ctx *c);

/* metrics.c */
struct metrics *metrics_new(size_t nroutes);
void metrics_free(struct metrics *m);
/* route -1 = no route matched */
void metrics_observe(struct metrics *m, int route, int status,
		     int64_t duration_us);
void metrics_db_error(struct metrics *m);
/* One LinkedIn call: path is a static label without ids or query
 * ("/v2/me"), status 0 for a transport failure. */
void metrics_linkedin(void *m, const char *path, long status,
		      int64_t duration_us);
void metrics_render(const struct metrics *m, struct buf *out);

#endif
