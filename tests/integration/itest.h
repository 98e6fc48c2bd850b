/*
 * itest.h - the integration tests' client: a small browser made of libcurl
 * that talks HTTP to the real stack (nginx -> hirelink.fcgi -> MariaDB),
 * plus helpers to drive the stack itself (restart the app, stop and start
 * the database, create users, run SQL) and the LinkedIn sandbox in it
 * (itest_linkedin.c).
 *
 * Environment (set by scripts/check.sh):
 *   HIRELINK_TEST_URL        base URL of nginx, e.g. http://127.0.0.1:18080
 *   HIRELINK_TEST_SANDBOX_URL  base URL of the LinkedIn sandbox
 *   HIRELINK_STACK           scripts/stack.sh
 *   HIRELINK_BIN             the hirelink.fcgi under test (useradd)
 *   HIRELINK_CONFIG          the test stack's config, found by HIRELINK_BIN
 *   HIRELINK_TEST_DB_SOCKET  the test MariaDB's socket
 *   HIRELINK_TEST_DB_USER    a database user with rights on `hirelink`
 *   HIRELINK_TEST_URL2, HIRELINK_CONFIG2  the test stack's second hirelink
 *                            instance (database `hirelink2`): itest_instance
 *   HIRELINK_TEST_CA         a CA file for an https base URL (optional)
 *   HIRELINK_TEST_DB_APP     the first instance's database (default
 *                            `hirelink`)
 *
 * Source addresses: all of 127.0.0.0/8 is loopback, so every client connects
 * from an address of its own choosing.  Each run of a test program uses its
 * own /24 (127.A.B.0, A.B taken from the pid), so sign-in failures recorded
 * by one run never throttle the next run on the same stack; itest_addr(n)
 * names host n of that network and a client made with NULL uses host 1.
 *
 * Ownership: functions documented as returning *new* memory want free();
 * responses are released with itest_resp_free().  Nothing here aborts: a
 * transport failure is a response with status 0, a failed command a
 * non-zero return, so a CUnit assertion reports it.
 */
#ifndef HIRELINK_ITEST_H
#define HIRELINK_ITEST_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct itest_client;
struct suite;

struct itest_header {
	char *name;
	char *value;
};

/* One response.  body and headers are never NULL (empty on failure). */
struct itest_resp {
	long status; /* 0 when the request did not complete */
	char *body;  /* NUL-terminated */
	size_t len;
	char *headers;		 /* raw header block of the final response */
	struct itest_header *hv; /* the same, parsed */
	size_t nh;
};

/* ------------------------------------------------------------ the program */

/* A test program's main: runs its suites (tests/suite.h) with libcurl set
 * up around them; the exit status. */
int itest_run(const struct suite *suites, size_t n);

/* ------------------------------------------------------------ environment */

/* getenv, or "" with a message on stderr when it is not set. */
const char *itest_env(const char *name);
/* Base URL without a trailing slash (HIRELINK_TEST_URL); the sandbox's
 * (HIRELINK_TEST_SANDBOX_URL). */
const char *itest_base_url(void);
const char *itest_sandbox_url(void);
/* The hirelink instance the helpers talk to: 1 (HIRELINK_TEST_URL, the
 * default) or 2 (HIRELINK_TEST_URL2: the test stack's second instance,
 * another customer application of the sandbox's organization).  It moves
 * itest_base_url() (so every path starting with '/'), itest_useradd's
 * config, the database itest_sql and its kin read, and the application
 * itest_li_enable saves.  Clients are not bound to one: a request goes to
 * the instance chosen when it is made.  Both instances are on 127.0.0.1,
 * where cookies do not tell ports apart, so a test keeps one client per
 * instance.  Returns the instance chosen before; n = 0 only asks. */
int itest_instance(int n);
/* "127.A.B.<host>": this run's address number host (1..254); static. */
const char *itest_addr(int host);
/* A string unique to this run: "<prefix><pid>"; new. */
char *itest_unique(const char *prefix);
/* Milliseconds since some fixed point (CLOCK_MONOTONIC). */
long long itest_now_ms(void);
/* Sleeps ms milliseconds. */
void itest_pause_ms(long ms);
/* strdup that aborts when memory runs out; new. */
char *itest_strdup(const char *s);
/* printf into a new string; aborts when memory runs out. */
char *itest_fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------------ client */

/* new: itest_client_free().  source_addr is the address to connect from,
 * NULL for itest_addr(1).  Cookies live in memory, per client. */
struct itest_client *itest_client_new(const char *source_addr);
void itest_client_free(struct itest_client *c);
/* The value of the cookie called name, new; NULL when there is none. */
char *itest_cookie(struct itest_client *c, const char *name);
/* Puts name=value into the cookie jar (as if the server had set it).
 * 0 or -1. */
int itest_set_cookie(struct itest_client *c, const char *name,
		     const char *value);

/* GET path: starting with '/', on the base URL; else a whole URL (the
 * sandbox's pages).  So for every path below.  json: send Accept:
 * application/json instead of a browser's Accept.  Redirects are never
 * followed. */
struct itest_resp itest_get(struct itest_client *c, const char *path,
			    bool json);
/* POSTs a form as a browser submits it: the fields name, value, ...
 * (ending with NULL; a NULL value is sent empty) urlencoded, after the
 * field csrf=<csrf> unless csrf is NULL.  json: Accept JSON, as a script
 * does, instead of a page. */
struct itest_resp itest_post(struct itest_client *c, const char *path,
			     bool json, const char *csrf, ...)
    __attribute__((sentinel));
/* POST an application/x-www-form-urlencoded body as it is. */
struct itest_resp itest_post_form(struct itest_client *c, const char *path,
				  const char *body);
/* POST body[0..len) with the content type given; extra_header ("Name:
 * value") is added when not NULL. */
struct itest_resp itest_post_raw(struct itest_client *c, const char *path,
				 const char *content_type, const char *body,
				 size_t len, const char *extra_header);
/* Any method; body may be NULL.  The general form of the three above. */
struct itest_resp itest_request(struct itest_client *c, const char *method,
				const char *path, bool json,
				const char *content_type, const char *body,
				size_t len, const char *extra_header);
void itest_resp_free(struct itest_resp *r);

/* The first header called name (case-insensitive), borrowed from r; NULL
 * when absent.  itest_header_nth: the n-th (0-based) of that name. */
const char *itest_header(const struct itest_resp *r, const char *name);
const char *itest_header_nth(const struct itest_resp *r, const char *name,
			     size_t n);
/* The Location header with any "scheme://host" removed, borrowed; "" when
 * there is none. */
const char *itest_location(const struct itest_resp *r);
/* Whether the body contains needle. */
bool itest_has(const struct itest_resp *r, const char *needle);
/* Occurrences of needle in s (not overlapping). */
size_t itest_count(const char *s, const char *needle);
/* The value of one line of /metrics ("name{labels} value") in text; -1 when
 * absent. */
long itest_metric(const char *text, const char *series);
/* The metrics_token of this hirelink's config (HIRELINK_CONFIG, or
 * HIRELINK_CONFIG2 for instance 2); new, "" when it has none. */
char *itest_metrics_token(void);
/* GET /metrics as Prometheus does: with "Authorization: Bearer
 * <metrics_token>". */
struct itest_resp itest_metrics(struct itest_client *c);
/* How many views this hirelink has served from its fragment cache
 * (/metrics, read with the token). */
long itest_kept_served(void);
/* Case-insensitive substring test. */
bool itest_contains_ci(const char *s, const char *needle);

/* ------------------------------------------------------------ JSON */

/* The body of r as JSON; new (json_decref), NULL when it is not JSON. */
json_t *itest_json(const struct itest_resp *r);
/* GET path as JSON: the body parsed, new (json_decref); NULL when it is
 * not JSON, the response then dumped.  *status gets the status. */
json_t *itest_get_json(struct itest_client *c, const char *path, long *status);
/* Members of the object o: a string (borrowed; "" when absent or not a
 * string) and an integer (0 when absent). */
const char *itest_jstr(json_t *o, const char *key);
long long itest_jint(json_t *o, const char *key);

/* ------------------------------------------------------------ pages */

/* The text between the first `before` and the next `after` in s, with the
 * HTML entities templates produce decoded; new, NULL when not found. */
char *itest_between(const char *s, const char *before, const char *after);
/* The CSRF token of a page (<meta name="csrf-token" content="...">); new,
 * NULL when the page has none or it is empty. */
char *itest_csrf(const struct itest_resp *r);
/* The CSRF token of c's session, read from its page path (GET): new; ""
 * and a failed check when the page has none. */
char *itest_csrf_of(struct itest_client *c, const char *path);
/* The value of a form's field called name (<... name="name" value="...">)
 * on a page; new, "" when absent. */
char *itest_field(const struct itest_resp *r, const char *name);
/* An urlencoded body from name, value pairs ending with NULL; new. */
char *itest_form(const char *name, ...) __attribute__((sentinel));
/* The same with "csrf" = csrf first (NULL: none), then the name, value
 * pairs of ap up to a NULL name: for a test's own variadic helpers. */
char *itest_vform(const char *csrf, va_list ap);

/* Signs in as a browser does: GET /login (or, when already signed in, the
 * page it redirects to) for the CSRF token, then POST /login.  Returns the
 * status of the POST: 303 on success.  next: the form's hidden field, or
 * NULL to send none.  itest_login_resp hands back the POST's response. */
long itest_login(struct itest_client *c, const char *email,
		 const char *password);
struct itest_resp itest_login_resp(struct itest_client *c, const char *email,
				   const char *password, const char *next);

/* ------------------------------------------------------------ the stack */

/* "$HIRELINK_STACK" verb test: restart-app, app-stop, app-start (the
 * second instance: restart-app2, app2-stop, app2-start), db-stop,
 * db-start.  Returns the exit status (0 = done). */
int itest_stack(const char *verb);
/* "$HIRELINK_BIN" useradd with the password on stdin; exit status. */
int itest_useradd(const char *email, const char *name, const char *role,
		  const char *seat, const char *password);
/* Runs sql through the mariadb client on the app's database `hirelink`
 * (`hirelink2` for instance 2); exit status. */
int itest_sql(const char *sql);
/* Runs stmt (new: freed here) with itest_sql; a test failure at the
 * caller's line, naming what, when it fails. */
#define ITEST_SQL(what, stmt) itest_sql_step((what), (stmt), __FILE__, __LINE__)
void itest_sql_step(const char *what, char *stmt, const char *file, int line);
/* The query's first column of up to max rows into out: the number of rows,
 * -1 when the query failed. */
long itest_sql_ints(long long *out, size_t max, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The first column of the first row as an integer; -1 when the query failed
 * or found nothing. */
long long itest_sql_int(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* The first column of the first row, new; "" when the query failed or found
 * nothing. */
char *itest_sql_str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------------ people */

/* A user made for this run with useradd.  who names them ("rita"), tag the
 * test program ("Jobs"): the email is rita.<pid>@jobs.itest.hirelink.test,
 * the name "Rita Jobs<pid>".  id is their row's; c and csrf are filled by
 * itest_as. */
struct itest_person {
	char *email, *name, *password;
	long long id;
	struct itest_client *c; /* signed in and kept: itest_as */
	char *csrf;		/* c's CSRF token */
};

/* useradd with role and seat ("none": no seat).  0, or -1 with a message. */
int itest_person_add(struct itest_person *p, const char *who, const char *tag,
		     const char *role, const char *seat);
/* p's kept client: signed in, and its CSRF token read, at the first call. */
struct itest_client *itest_as(struct itest_person *p);
/* A new client signed in as p, with a session of its own; new.  A failed
 * check when the sign-in fails.  itest_signed_in_as: the same for any
 * email and password. */
struct itest_client *itest_signed_in(const struct itest_person *p);
struct itest_client *itest_signed_in_as(const char *email,
					const char *password);
void itest_person_free(struct itest_person *p);

/* ------------------------------------------------------------ LinkedIn
 *
 * The sandbox plays LinkedIn for the stack (src/sandbox/README.md): the
 * application hirelink is registered as, the members with seats who sign
 * in through its consent page, and a control API that makes "LinkedIn"
 * fail.  A test of a LinkedIn feature enables the integration as an admin
 * (itest_li_enable), connects a user as a member (itest_li_connect, then
 * GET the path it returns), and injects failures with
 * itest_sandbox_control.  These live in itest_linkedin.c. */

/* A member holding a seat of the sandbox's contract. */
struct itest_li_seat {
	char *id;    /* the member id: urn:li:person:<id> */
	char *first; /* first name */
	char *name;  /* "first last", as hirelink shows a connected member */
};

/* One of the sandbox's customer applications. */
struct itest_li_client {
	char *client_id, *client_secret;
};

/* The sandbox's seeded application and two of its seat holders. */
struct itest_li_app {
	char *client_id, *client_secret; /* the first application's */
	/* every customer application: apps[n - 1] is instance n's */
	struct itest_li_client apps[2];
	char *organization;		/* urn:li:organization:<n> */
	char *contract;			/* urn:li:contract:<n> */
	struct itest_li_seat recruiter; /* the first Recruiter seat */
	struct itest_li_seat manager;	/* the first Hiring Manager seat */
};

/* The application and seats, read from the sandbox (GET
 * /sandbox/credentials) at the first call; static.  NULL, with a message,
 * when the sandbox cannot be read. */
const struct itest_li_app *itest_li_app(void);
/* POSTs json to the sandbox at path (its control API, /sandbox/...: see
 * src/sandbox/README.md); the response. */
struct itest_resp itest_sandbox_post(const char *path, const char *json);
/* An application token of the sandbox's application app (0 or 1: that
 * of instance app + 1), by client credentials; new, "" when refused. */
char *itest_li_app_token(int app);
/* method path (on the sandbox: its API, "/v2/...?...") as an ATS calls
 * LinkedIn: Authorization: Bearer token, and json (NULL: none) as the
 * body.  The response. */
struct itest_resp itest_li_api(const char *method, const char *path,
			       const char *token, const char *json);
/* POST /sandbox/integrations: the customer's Recruiter admin switches
 * application app's integration of type (NULL: each it has) to status
 * ("ENABLED", "DISABLED") at LinkedIn's side, and LinkedIn notifies the
 * ATS.  The answer as JSON (new; NULL when not JSON), its status in *st. */
json_t *itest_li_switch_integration(int app, const char *type,
				    const char *status, long *st);
/* One-click export through the sandbox's control API (POST
 * /sandbox/exports: the Export button's checks and notification) by
 * exporter of member (member ids) to job (an externalJobPostingId) of the
 * application client_id.  _post: the response; itest_li_export: the
 * requestId when it answered 201 (a failed check otherwise), new, "" then. */
struct itest_resp itest_li_export_post(const char *exporter,
				       const char *member, const char *job,
				       const char *client_id);
char *itest_li_export(const char *exporter, const char *member,
		      const char *job, const char *client_id);
/* POSTs json to the sandbox's control API (/sandbox/control: failures,
 * delays, expired or revoked tokens, {"reset": true} ends them all; see
 * src/sandbox/README.md).  Returns the status, 200 when done; the answer
 * goes to stderr when it is not 200. */
long itest_sandbox_control(const char *json);
/* The member's answer on the sandbox's consent page at url (an
 * authorization URL): GETs the page, checks it offers the member (an id),
 * then POSTs its form with action "allow" or "cancel".  The POST's
 * response: a 302 to the redirect_uri with a code or an error. */
struct itest_resp itest_li_consent(struct itest_client *c, const char *url,
				   const char *member, const char *action);
/* An admin (c, signed in) saves the LinkedIn settings (/admin/linkedin)
 * with the sandbox's application, enabled: on instance 2 (itest_instance)
 * the second application, as "hirelink test 2".  secret goes as the client
 * secret: NULL for the application's, "" keeps the one saved.  The POST's
 * response: a 303 when saved. */
struct itest_resp itest_li_enable(struct itest_client *c, const char *secret);
/* Waits out LI_SETTINGS_KEEP_MS after a change to the integration row made
 * outside this hirelink's admin page (a test's SQL here; another node's
 * save in production): the paths that keep the settings (LinkedIn's
 * callback, the candidate's LinkedIn tabs) act on the change after it. */
void itest_li_settings_settle(void);
/* The second hirelink instance with LinkedIn enabled, as a test needs it
 * for "Change ATS": an admin made there for this run (who, tag as for
 * itest_person_add), signed in there, saves the second application
 * (itest_li_enable on instance 2).  0, or -1 with a failed check.  The
 * admin's client belongs to instance 2: use it while itest_instance(2)
 * holds.  Leaves the instance chosen as it found it. */
int itest_li_enable_instance2(struct itest_person *admin, const char *who,
			      const char *tag);
/* A hirelink user (c, signed in) connects LinkedIn as member as far as
 * LinkedIn's answer: Connect on hirelink, then the consent page answered
 * with action ("allow" or "cancel").  Returns the path and query on
 * hirelink that LinkedIn sends the browser back to (new; NULL when it did
 * not): GET it as c to finish, a 303 to the Connections tab. */
char *itest_li_connect(struct itest_client *c, const char *member,
		       const char *action);

/* The instance id this hirelink gave itself at LinkedIn
 * (/admin/linkedin's at_linkedin.instance_id) as the admin c sees it;
 * new, "" when none. */
char *itest_li_instance(struct itest_client *c);
/* An admin (c, signed in) saves the LinkedIn settings with the sandbox's
 * application but not enabled: how a test program that turned LinkedIn on
 * leaves the stack, so that the programs after it sync nothing. */
void itest_li_leave_off(struct itest_client *c);
/* The outbox's row of kind ("candidate", "job", ...) for the entity id,
 * as "state|attempts|last_error"; "" when the worker is done with it;
 * new. */
char *itest_outbox_row(const char *kind, long long id);
/* Waits up to ms until that row starts with prefix ("": gone, all of it
 * sent); the row then, new (a failed check when it did not come). */
char *itest_await_outbox(const char *kind, long long id, const char *prefix,
			 int ms);

/* Runs sql through the mariadb client on the sandbox's database
 * (linkedin_sandbox): exit status.  ITEST_SANDBOX_SQL as ITEST_SQL. */
int itest_sandbox_sql(const char *sql);
#define ITEST_SANDBOX_SQL(what, stmt)                                          \
	itest_sandbox_sql_step((what), (stmt), __FILE__, __LINE__)
void itest_sandbox_sql_step(const char *what, char *stmt, const char *file,
			    int line);
/* The first column of the first row of a query on the sandbox's database,
 * new; "" when it failed or found nothing.  itest_sandbox_sql_int: as an
 * integer, -1 then. */
char *itest_sandbox_sql_str(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
long long itest_sandbox_sql_int(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Signs c in to the sandbox's LinkedIn pages as member (a member id,
 * with a seat or without), as a browser does: the sign-in page, then its form.  The POST's
 * status: 303 (to next, or the sandbox's home when NULL) when signed in. */
long itest_li_signin(struct itest_client *c, const char *member,
		     const char *next);

/* ------------------------------------------------------------ a callback
 *
 * A tiny HTTP server in the test program (itest_listen.c), standing in for
 * a customer's callback URL: it records each request (the sandbox's push
 * notifications) and answers with the statuses of a script. */

struct itest_listener;
/* One request it heard; strings borrowed from the listener (valid until
 * itest_listener_stop). */
struct itest_heard {
	char *path;
	char *signature;    /* X-LI-Signature, NULL when absent */
	char *content_type; /* NULL when absent */
	char *body;	    /* the raw body, NUL-terminated */
	size_t len;
	long answered; /* the status it answered */
};
/* new: itest_listener_stop().  Listens on 127.0.0.1 (a free port),
 * answering request i with statuses[i], the last one from then on (200
 * when n is 0).  NULL, with a message, when it cannot listen. */
struct itest_listener *itest_listener_start(const long *statuses, size_t n);
/* "http://127.0.0.1:<port>", borrowed. */
const char *itest_listener_url(const struct itest_listener *l);
/* A new script, for the requests from now on. */
void itest_listener_answer(struct itest_listener *l, const long *statuses,
			   size_t n);
/* Waits up to ms for n requests in all; the number heard. */
size_t itest_listener_wait(struct itest_listener *l, size_t n, int ms);
/* Request i (0-based) into *out: false when it has not come. */
bool itest_listener_heard(struct itest_listener *l, size_t i,
			  struct itest_heard *out);
void itest_listener_stop(struct itest_listener *l);

/* ------------------------------------------------------------ checks */

/* A CUnit assertion whose message says what was seen; a failure is also
 * printed as "file:line: message".  Outside a running test (a suite's
 * set-up) it only prints. */
void itest_check(bool ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Prints a response's status, headers and the start of its body. */
void itest_dump(const struct itest_resp *r);

#define CHECK(cond, ...) itest_check((cond), __FILE__, __LINE__, __VA_ARGS__)

#define CHECK_STATUS(r, want, what)                                            \
	do {                                                                   \
		CHECK((r).status == (want), "%s: status %ld, want %d", (what),  \
		      (r).status, (int)(want));                                \
		if ((r).status != (want))                                      \
			itest_dump(&(r));                                      \
	} while (0)

#define CHECK_HAS(r, needle, what)                                             \
	do {                                                                   \
		bool has_ = itest_has(&(r), (needle));                         \
		CHECK(has_, "%s: body lacks \"%s\"", (what), (needle));         \
		if (!has_)                                                     \
			itest_dump(&(r));                                      \
	} while (0)

#define CHECK_LACKS(r, needle, what)                                           \
	CHECK(!itest_has(&(r), (needle)), "%s: body has \"%s\"", (what),     \
	      (needle))

/* A redirect to the sign-in page, as a signed-out browser gets. */
#define CHECK_TO_LOGIN(r, what)                                                \
	do {                                                                   \
		CHECK_STATUS(r, 303, what);                                    \
		CHECK(!strncmp(itest_location(&(r)), "/login", 6),             \
		      "%s: Location \"%s\", want /login...", (what),           \
		      itest_location(&(r)));                                   \
	} while (0)

#endif
