/*
 * notifications.c - the push notifications the sandbox sends, as LinkedIn's
 * Push Notification Platform does: a small signed JSON POST to the
 * customer application's CALLBACK_URL (its ONE_CLICK_EXPORT configuration)
 * for each export and each integration status change, retried until the
 * callback answers 2xx.
 *
 *   sb_notify() / sb_delivery_queue()  queue one (a row of `deliveries`),
 *                                      in the caller's transaction
 *   the delivery runner                a thread of the sandbox process that
 *                                      sends what is due, records each try
 *                                      (`delivery_attempts`) and reschedules
 *   sb_send_now()                      one POST at once (the control API's
 *                                      forged notifications)
 *
 * Why a queue in MariaDB and a thread, not a POST from the Export button's
 * request: LinkedIn answers the recruiter at once and delivers afterwards,
 * whether or not the customer's server is up; a delivery outlives a
 * hirelink that is down (or a sandbox restart) and is sent when it is
 * back.  One try is SB_DELIVERY_TRIES - 1 retries from giving up, waiting
 * sandbox_delivery_backoff_ms after the first failure, doubling each time
 * up to sandbox_delivery_backoff_max_ms (LinkedIn: "up to 6 times"; its
 * intervals are not public, hirelink convention).  A try fails on any
 * answer but 2xx, or none within sandbox_delivery_timeout_ms.
 *
 * Claiming is safe with several runners (SELECT ... FOR UPDATE SKIP
 * LOCKED, then a lease: next_attempt_at moved past the try's timeout,
 * committed before sending), though the sandbox runs one.  A redelivery
 * bumps the row's generation, and a try's outcome is written only while
 * the generation is the one it claimed, so a redelivery is never lost to a
 * try already under way.  The tries of one batch go out together (curl
 * multi), so a slow callback costs a batch one timeout, not one each.
 *
 * The body (hirelink convention; LinkedIn's is not public):
 *   {"eventType":"EXPORT_CANDIDATE_PROFILE","requestId":"<uuid v4>",
 *    "integrationContext":"urn:li:organization:N","occurredAt":<epoch ms>}
 * signed in X-LI-Signature: lowercase hex of HMAC-SHA256(key = the
 * application's client secret, message = "hmacsha256=" + the raw body).
 */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox/sandbox.h"

/* Deliveries sent together, at most. */
#define BATCH 32
/* How long an idle runner sleeps before it looks again; an export made by
 * this process wakes it at once. */
#define IDLE_MS 250
/* The claim's lease beyond the try's timeout. */
#define LEASE_EXTRA_MS 10000
/* A callback's answer read, at most (it is only logged). */
#define MAX_ANSWER 4096

/* ------------------------------------------------------------ ids, bodies */

int sb_request_id(char out[SB_REQUEST_ID_SIZE])
{
	unsigned char r[16];
	char hex[33];

	if (crypto_random(r, sizeof(r)) < 0)
		return -1;
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40); /* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	hex_encode(r, sizeof(r), hex);
	snprintf(out, SB_REQUEST_ID_SIZE, "%.8s-%.4s-%.4s-%.4s-%.12s", hex,
		 hex + 8, hex + 12, hex + 16, hex + 20);
	return 0;
}

void sb_signature(const char *secret, const char *body, size_t len,
		  char out[SB_SIGNATURE_SIZE])
{
	static const char prefix[] = "hmacsha256=";
	unsigned char mac[SHA256_LEN];
	struct buf msg = BUF_INIT;

	buf_add(&msg, prefix, sizeof(prefix) - 1);
	buf_add(&msg, body, len);
	if (buf_failed(&msg) ||
	    crypto_hmac_sha256(secret, strlen(secret), msg.data, msg.len,
			       mac) < 0)
		memset(mac, 0, sizeof(mac)); /* never a valid signature */
	hex_encode(mac, sizeof(mac), out);
	buf_release(&msg);
}

char *sb_notification_body(struct arena *a, const char *event_type,
			   const char *request_id, int64_t organization_id,
			   int64_t occurred_at)
{
	json_t *j = json_pack("{s:s, s:s, s:s+, s:I}", "eventType", event_type,
			      "requestId", request_id, "integrationContext",
			      "urn:li:organization:",
			      arena_printf(a, "%lld", (long long)organization_id),
			      "occurredAt", (json_int_t)occurred_at);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	char *out = text ? arena_strdup(a, text) : NULL;

	free(text);
	json_decref(j);
	return out;
}

/* ------------------------------------------------------------ queueing */

int sb_callback_url(struct db *db, struct arena *a, const char *client_id,
		    int64_t organization_id, const char **url)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT config_value FROM ats_integration_configs"
			      " WHERE client_id = ? AND organization_id = ?"
			      " AND integration_type = 'ONE_CLICK_EXPORT'"
			      " AND config_key = 'CALLBACK_URL'"
			      " AND config_value <> ''",
			      "si", client_id, organization_id);
	*url = rc == DB_OK ? r.v[0] : NULL;
	return rc;
}

int sb_delivery_queue(struct db *db, struct arena *a, const char *client_id,
		      int64_t organization_id, const char *callback_url,
		      const char *event_type, const char *request_id)
{
	int64_t now = time_now_ms();
	char *body = sb_notification_body(a, event_type, request_id,
					  organization_id, now);

	if (!body)
		return DB_ERROR;
	/* Queued while deliveries are held: held too. */
	return db_exec(db, NULL,
		       "INSERT INTO deliveries (request_id, event_type,"
		       " client_id, organization_id, callback_url, body,"
		       " next_attempt_at, held, created_at)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT v = '1'"
		       " FROM sandbox_meta WHERE k = 'deliveries_held'), 0), ?)",
		       "sssissii", request_id, event_type, client_id,
		       organization_id, callback_url, body, now, now);
}

int sb_notify(struct sb_ctx *c, const char *client_id,
	      int64_t organization_id, const char *event_type,
	      const char *request_id)
{
	const char *url;
	int rc = sb_callback_url(c->db, c->a, client_id, organization_id, &url);
	if (rc == DB_NOT_FOUND)
		return 1;
	if (rc != DB_OK || sb_delivery_queue(c->db, c->a, client_id,
					     organization_id, url, event_type,
					     request_id) != DB_OK)
		return -1;
	sb_deliveries_wake(c->app);
	return 0;
}

/* ------------------------------------------------------------ one POST */

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	if (b->len < MAX_ANSWER)
		buf_add(b, p, size * n > MAX_ANSWER ? MAX_ANSWER : size * n);
	return size * n;
}

/* Sets up h to POST body to url, signed with signature (NULL: no header);
 * *headers is the list to free after the transfer.  -1 when curl refuses
 * an option. */
static int post_setup(CURL *h, const struct config *cfg, const char *url,
		      const char *body, size_t len, const char *signature,
		      struct buf *answer, struct curl_slist **headers)
{
	struct curl_slist *hd = NULL, *next;
	char sig[16 + SB_SIGNATURE_SIZE];
	long timeout = cfg->sandbox_delivery_timeout_ms;

	hd = curl_slist_append(hd, "Content-Type: application/json");
	if (hd && signature) {
		snprintf(sig, sizeof(sig), "X-LI-Signature: %s", signature);
		next = curl_slist_append(hd, sig);
		if (!next)
			curl_slist_free_all(hd);
		hd = next;
	}
	/* no "Expect: 100-continue" round trip */
	if (hd) {
		next = curl_slist_append(hd, "Expect:");
		if (!next)
			curl_slist_free_all(hd);
		hd = next;
	}
	*headers = hd;
	if (!hd)
		return -1;
	if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") !=
		CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_POST, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
			     (curl_off_t)len) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_USERAGENT,
			     "LinkedIn-Sandbox-Push/1.0") != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			     timeout < 1000 ? timeout : 1000L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, answer) != CURLE_OK)
		return -1;
	return 0;
}

int sb_send_now(const struct sb_app *app, const char *url, const char *body,
		size_t len, const char *signature, long *status,
		char err[SB_SEND_ERROR_SIZE])
{
	CURL *h = curl_easy_init();
	struct curl_slist *headers = NULL;
	struct buf answer = BUF_INIT;
	CURLcode cc = CURLE_FAILED_INIT;

	*status = 0;
	err[0] = '\0';
	if (h && post_setup(h, app->cfg, url, body, len, signature, &answer,
			    &headers) == 0)
		cc = curl_easy_perform(h);
	if (cc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	else
		snprintf(err, SB_SEND_ERROR_SIZE, "%s", curl_easy_strerror(cc));
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	buf_release(&answer);
	return cc == CURLE_OK ? 0 : -1;
}

/* ------------------------------------------------------------ the runner */

struct sb_runner {
	struct sb_app *app;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, woken;
	struct db *db;
	struct arena *a;
	CURLM *multi;
};

/* One claimed delivery, and its try. */
struct try {
	uint64_t id;
	unsigned generation;
	int attempts; /* before this try */
	const char *request_id, *url, *body;
	char signature[SB_SIGNATURE_SIZE];
	CURL *h;
	struct curl_slist *headers;
	struct buf answer;
	long status; /* 0: no answer */
	char error[SB_SEND_ERROR_SIZE];
	int64_t started_ms;
};

struct claim {
	struct sb_runner *run;
	struct try *tries;
	size_t n;
};

/* In one transaction: the due deliveries, leased (their next attempt
 * moved past this try), copied into the runner's arena. */
static int claim_due(struct db *db, struct arena *scratch, void *arg)
{
	struct claim *cl = arg;
	struct sb_runner *run = cl->run;
	int64_t now = time_now_ms();
	int64_t lease = now + run->app->cfg->sandbox_delivery_timeout_ms +
			LEASE_EXTRA_MS;
	struct db_result res;
	int rc;

	cl->n = 0;
	rc = db_query(db, scratch, &res,
		      "SELECT id, generation, attempts, request_id,"
		      " callback_url, body, client_id FROM deliveries"
		      " WHERE state = 'pending' AND held = 0"
		      " AND next_attempt_at <= ?"
		      " ORDER BY next_attempt_at, id LIMIT ?"
		      " FOR UPDATE SKIP LOCKED",
		      "ii", now, (int64_t)BATCH);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		const struct sb_client *app =
		    sb_client_find(&run->app->ids, v[6]);
		struct try *t = &cl->tries[cl->n];

		rc = db_exec(db, NULL,
			     "UPDATE deliveries SET next_attempt_at = ?"
			     " WHERE id = ?",
			     "iu", lease, (uint64_t)db_int(&res.rows[i], 0));
		if (rc != DB_OK)
			return rc;
		memset(t, 0, sizeof(*t));
		t->id = (uint64_t)db_int(&res.rows[i], 0);
		t->generation = (unsigned)db_int(&res.rows[i], 1);
		t->attempts = (int)db_int(&res.rows[i], 2);
		t->request_id = arena_strdup(run->a, v[3]);
		t->url = arena_strdup(run->a, v[4]);
		t->body = arena_strdup(run->a, v[5]);
		if (!t->request_id || !t->url || !t->body)
			return DB_ERROR;
		/* An application the seed no longer has: sent unsigned, the
		 * callback refuses it, and it fails in the end as LinkedIn's
		 * would for a deleted application. */
		if (app)
			sb_signature(app->client_secret, t->body,
				     strlen(t->body), t->signature);
		t->answer = (struct buf)BUF_INIT;
		cl->n++;
	}
	return DB_OK;
}

/* The wait before try number attempts + 1, after attempts failed ones. */
static int64_t backoff_ms(const struct config *cfg, int attempts)
{
	int64_t d = cfg->sandbox_delivery_backoff_ms;
	for (int i = 1; i < attempts && d < cfg->sandbox_delivery_backoff_max_ms;
	     i++)
		d *= 2;
	return d < cfg->sandbox_delivery_backoff_max_ms
		   ? d
		   : cfg->sandbox_delivery_backoff_max_ms;
}

/* Records t's outcome: the try, and the delivery's new state unless a
 * redelivery changed its generation meanwhile. */
static void record(struct sb_runner *run, struct try *t)
{
	const struct config *cfg = run->app->cfg;
	int64_t now = time_now_ms();
	bool ok = t->status >= 200 && t->status < 300;
	int attempts = t->attempts + 1;
	const char *state = ok				    ? "delivered"
			    : attempts >= SB_DELIVERY_TRIES ? "failed"
							    : "pending";
	const char *error = ok		   ? NULL
			    : t->error[0] ? t->error
					  : arena_printf(run->a,
							 "the callback answered %ld",
							 t->status);
	int64_t next = ok ? now : now + backoff_ms(cfg, attempts);

	if (db_exec(run->db, NULL,
		    "INSERT INTO delivery_attempts (delivery_id, at, status,"
		    " error, duration_ms) VALUES (?, ?, ?, ?, ?)",
		    "uiisi", t->id, t->started_ms, (int64_t)t->status, error,
		    now - t->started_ms) != DB_OK ||
	    db_exec(run->db, NULL,
		    "UPDATE deliveries SET attempts = ?, last_status = ?,"
		    " last_error = ?, state = ?, next_attempt_at = ?,"
		    " delivered_at = IF(? = 'delivered', ?, delivered_at)"
		    " WHERE id = ? AND generation = ?",
		    "iissisiuu", (int64_t)attempts, (int64_t)t->status, error,
		    state, next, state, now, t->id,
		    (uint64_t)t->generation) != DB_OK)
		log_error("cannot record the delivery of %s: %s",
			  t->request_id, db_error(run->db));
	if (ok)
		log_info("delivered %s to %s (try %d)", t->request_id, t->url,
			 attempts);
	else
		log_warn("delivery of %s to %s failed (try %d of %d): %s",
			 t->request_id, t->url, attempts, SB_DELIVERY_TRIES,
			 error ? error : "");
}

/* Sends the claimed tries together and records each.  */
static void send_batch(struct sb_runner *run, struct try *tries, size_t n)
{
	int running = 0;
	CURLMsg *msg;
	int left;

	for (size_t i = 0; i < n; i++) {
		struct try *t = &tries[i];
		t->started_ms = time_now_ms();
		t->h = curl_easy_init();
		if (!t->h ||
		    post_setup(t->h, run->app->cfg, t->url, t->body,
			       strlen(t->body),
			       t->signature[0] ? t->signature : NULL,
			       &t->answer, &t->headers) < 0 ||
		    curl_easy_setopt(t->h, CURLOPT_PRIVATE, t) != CURLE_OK ||
		    curl_multi_add_handle(run->multi, t->h) != CURLM_OK) {
			snprintf(t->error, sizeof(t->error),
				 "cannot set up the request");
			curl_easy_cleanup(t->h);
			t->h = NULL;
		}
	}
	do {
		if (curl_multi_perform(run->multi, &running) != CURLM_OK)
			break;
		if (running)
			curl_multi_poll(run->multi, NULL, 0, 100, NULL);
	} while (running);
	while ((msg = curl_multi_info_read(run->multi, &left))) {
		struct try *t = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
				  (char **)&t);
		if (!t)
			continue;
		if (msg->data.result == CURLE_OK)
			curl_easy_getinfo(t->h, CURLINFO_RESPONSE_CODE,
					  &t->status);
		else
			snprintf(t->error, sizeof(t->error), "%s",
				 curl_easy_strerror(msg->data.result));
	}
	for (size_t i = 0; i < n; i++) {
		struct try *t = &tries[i];
		if (t->h) {
			curl_multi_remove_handle(run->multi, t->h);
			curl_easy_cleanup(t->h);
		}
		curl_slist_free_all(t->headers);
		buf_release(&t->answer);
		if (!t->status && !t->error[0])
			snprintf(t->error, sizeof(t->error), "no answer");
		record(run, t);
	}
}

/* One round: claims and sends what is due.  The number sent. */
static size_t round_once(struct sb_runner *run)
{
	struct try tries[BATCH];
	struct claim cl = {.run = run, .tries = tries};
	int rc;

	arena_reset(run->a);
	rc = db_transaction(run->db, claim_due, &cl);
	if (rc != DB_OK) {
		log_error("cannot claim deliveries: %s", db_error(run->db));
		return 0;
	}
	if (cl.n)
		send_batch(run, tries, cl.n);
	return cl.n;
}

static void *runner_main(void *arg)
{
	struct sb_runner *run = arg;

	for (;;) {
		size_t sent;
		pthread_mutex_lock(&run->mu);
		bool stop = run->stop;
		run->woken = false;
		pthread_mutex_unlock(&run->mu);
		if (stop)
			break;
		sent = round_once(run);
		if (sent)
			continue;
		pthread_mutex_lock(&run->mu);
		if (!run->stop && !run->woken) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += IDLE_MS * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&run->cv, &run->mu, &until);
		}
		pthread_mutex_unlock(&run->mu);
	}
	return NULL;
}

int sb_deliveries_start(struct sb_app *app)
{
	struct sb_runner *run = calloc(1, sizeof(*run));
	const struct config *cfg = app->cfg;
	struct db_options o = {
	    .host = cfg->db_host,
	    .port = (unsigned)cfg->db_port,
	    .socket = cfg->db_socket,
	    .user = cfg->db_user,
	    .password = cfg->db_password,
	    .name = cfg->sandbox_db_name,
	};
	sigset_t stop_set, old;
	int err;

	if (!run)
		return -1;
	run->app = app;
	run->db = db_open(&o);
	run->a = arena_new(16384);
	run->multi = curl_multi_init();
	if (!run->db || !run->a || !run->multi) {
		db_close(run->db);
		arena_free(run->a);
		curl_multi_cleanup(run->multi);
		free(run);
		return -1;
	}
	pthread_mutex_init(&run->mu, NULL);
	pthread_cond_init(&run->cv, NULL);
	/* The server waits for SIGTERM in its main thread: this thread must
	 * not take the signal (its default action would end the process). */
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_set, &old);
	err = pthread_create(&run->tid, NULL, runner_main, run);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		log_error("cannot start the delivery runner: %s", strerror(err));
		pthread_cond_destroy(&run->cv);
		pthread_mutex_destroy(&run->mu);
		db_close(run->db);
		arena_free(run->a);
		curl_multi_cleanup(run->multi);
		free(run);
		return -1;
	}
	app->runner = run;
	return 0;
}

void sb_deliveries_wake(struct sb_app *app)
{
	struct sb_runner *run = app ? app->runner : NULL;
	if (!run)
		return;
	pthread_mutex_lock(&run->mu);
	run->woken = true;
	pthread_cond_signal(&run->cv);
	pthread_mutex_unlock(&run->mu);
}

void sb_deliveries_stop(struct sb_app *app)
{
	struct sb_runner *run = app->runner;
	if (!run)
		return;
	pthread_mutex_lock(&run->mu);
	run->stop = true;
	pthread_cond_signal(&run->cv);
	pthread_mutex_unlock(&run->mu);
	pthread_join(run->tid, NULL);
	pthread_cond_destroy(&run->cv);
	pthread_mutex_destroy(&run->mu);
	curl_multi_cleanup(run->multi);
	arena_free(run->a);
	db_close(run->db);
	free(run);
	app->runner = NULL;
}
