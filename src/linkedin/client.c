/*
 * client.c - the wire to LinkedIn: one curl easy handle per thread over a
 * process-wide share handle (connections, DNS cache, TLS sessions), a time
 * budget per call that covers every retry, bounded response bodies, and a
 * log line and a metric per attempt.
 *
 * Retry policy (linkedin-api.md, "Common rules"): a GET is retried once
 * when the connection was reset, once after a short backoff on 5xx; a 429 is
 * retried once after its Retry-After when that fits in the remaining
 * budget, otherwise the call fails at once with a clear message (holding a
 * web request for longer than the budget helps nobody).  Other 4xx are
 * never retried.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "linkedin/li_internal.h"

/* ------------------------------------------------------------ shared */

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access,
		       void *userp)
{
	struct li_shared *s = userp;
	(void)h;
	(void)access;
	pthread_mutex_lock(&s->share_mu[data % LI_NLOCKS]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *userp)
{
	struct li_shared *s = userp;
	(void)h;
	pthread_mutex_unlock(&s->share_mu[data % LI_NLOCKS]);
}

struct li_shared *li_shared_new(const struct config *cfg, li_observe_fn observe,
				void *observe_arg)
{
	struct li_shared *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cfg = cfg;
	s->observe = observe;
	s->observe_arg = observe_arg;
	for (size_t i = 0; i < LI_NLOCKS; i++)
		pthread_mutex_init(&s->share_mu[i], NULL);
	pthread_mutex_init(&s->tok_mu, NULL);
	pthread_cond_init(&s->tok_cv, NULL);
	s->share = curl_share_init();
	if (!s->share) {
		li_shared_free(s);
		return NULL;
	}
	curl_share_setopt(s->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(s->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(s->share, CURLSHOPT_USERDATA, s);
	curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(s->share, CURLSHOPT_SHARE,
			  CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	return s;
}

void li_shared_free(struct li_shared *s)
{
	if (!s)
		return;
	if (s->share)
		curl_share_cleanup(s->share);
	for (size_t i = 0; i < LI_NLOCKS; i++)
		pthread_mutex_destroy(&s->share_mu[i]);
	pthread_mutex_destroy(&s->tok_mu);
	pthread_cond_destroy(&s->tok_cv);
	if (s->tok)
		crypto_wipe(s->tok, strlen(s->tok));
	free(s->tok);
	free(s->tok_client_id);
	free(s);
}

unsigned long li_shared_renewals(struct li_shared *s)
{
	return atomic_load(&s->renewals);
}

void li_shared_forget_app_token(struct li_shared *s)
{
	pthread_mutex_lock(&s->tok_mu);
	if (s->tok)
		crypto_wipe(s->tok, strlen(s->tok));
	free(s->tok);
	s->tok = NULL;
	s->tok_expires_ms = 0;
	pthread_mutex_unlock(&s->tok_mu);
}

struct li_client *li_client_new(struct li_shared *s)
{
	struct li_client *li = calloc(1, sizeof(*li));
	if (!li)
		return NULL;
	li->s = s;
	li->curl = curl_easy_init();
	if (!li->curl) {
		free(li);
		return NULL;
	}
	return li;
}

void li_client_set_deadline(struct li_client *li, int64_t deadline_us)
{
	li->deadline_us = deadline_us;
}

void li_client_free(struct li_client *li)
{
	if (li) {
		curl_easy_cleanup(li->curl);
		free(li);
	}
}

/* ------------------------------------------------------------ errors */

void li_err_set(struct li_error *err, int kind, long status, const char *code,
		const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	err->kind = kind;
	err->status = status;
	snprintf(err->code, sizeof(err->code), "%s", code ? code : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

const char *li_error_text(const struct li_error *err)
{
	return err && err->message[0] ? err->message : "unknown LinkedIn error";
}

/* ------------------------------------------------------------ one call */

struct attempt {
	struct buf body;
	char retry_after[32];
	char errbuf[CURL_ERROR_SIZE];
};

static size_t on_body(char *p, size_t size, size_t n, void *userp)
{
	struct attempt *at = userp;
	buf_add(&at->body, p, size * n);
	return buf_failed(&at->body) ? 0 : size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *userp)
{
	struct attempt *at = userp;
	size_t len = size * n;
	static const char name[] = "retry-after:";
	if (len > sizeof(name) - 1 && !strncasecmp(p, name, sizeof(name) - 1)) {
		size_t i = sizeof(name) - 1, j = 0;
		while (i < len && (p[i] == ' ' || p[i] == '\t'))
			i++;
		while (i < len && p[i] != '\r' && p[i] != '\n' &&
		       j + 1 < sizeof(at->retry_after))
			at->retry_after[j++] = p[i++];
		at->retry_after[j] = '\0';
	}
	return len;
}

static void sleep_ms(int64_t ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = {(time_t)(ms / 1000),
			      (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0)
		;
}

/* The LinkedIn error body, if any, into err->code and a short text:
 * OAuth {"error","error_description"} or API {"serviceErrorCode","message"}. */
static void describe_http_error(struct li_error *err, long status,
				const char *body, size_t len)
{
	json_error_t je;
	json_t *j = json_loadb(body, len, 0, &je);
	const char *code = "", *desc = "";
	char codebuf[32] = "";
	if (j && json_is_object(j)) {
		json_t *e = json_object_get(j, "error");
		json_t *d = json_object_get(j, "error_description");
		json_t *sc = json_object_get(j, "serviceErrorCode");
		json_t *m = json_object_get(j, "message");
		if (json_is_string(e))
			code = json_string_value(e);
		else if (json_is_integer(sc)) {
			snprintf(codebuf, sizeof(codebuf), "%lld",
				 (long long)json_integer_value(sc));
			code = codebuf;
		}
		if (json_is_string(d))
			desc = json_string_value(d);
		else if (json_is_string(m))
			desc = json_string_value(m);
	}
	li_err_set(err, LI_ERR_HTTP, status, code,
		   "LinkedIn answered %ld%s%s%s%s", status, *code ? " " : "",
		   code, *desc ? ": " : "", desc);
	json_decref(j);
}

static void decref(void *p)
{
	json_decref(p);
}

int li_call(struct li_client *li, struct arena *a, const struct li_req *rq,
	    struct li_resp *out, struct li_error *err)
{
	const struct config *cfg = li->s->cfg;
	int64_t start = time_mono_us();
	int64_t deadline =
	    rq->deadline_us ? rq->deadline_us
			    : start + (int64_t)cfg->linkedin_timeout_ms * 1000;
	if (li->deadline_us && li->deadline_us < deadline)
		deadline = li->deadline_us;
	bool idempotent = !strcmp(rq->method, "GET");
	bool retried = false;
	char url[2048];
	int rc = LI_ERR_INTERNAL;

	memset(out, 0, sizeof(*out));
	if (snprintf(url, sizeof(url), "%s%s", rq->base, rq->path) >=
	    (int)sizeof(url)) {
		li_err_set(err, LI_ERR_INTERNAL, 0, "",
			   "LinkedIn URL too long");
		return LI_ERR_INTERNAL;
	}
	for (;;) {
		struct attempt at = {.retry_after = "", .errbuf = ""};
		struct curl_slist *hdrs = NULL;
		CURL *h = li->curl;
		int64_t left_ms = (deadline - time_mono_us()) / 1000;
		long status = 0;

		if (left_ms <= 0) {
			li_err_set(
			    err, LI_ERR_TIMEOUT, 0, "",
			    "LinkedIn did not answer within %.1f s (%s %s%s)",
			    (double)cfg->linkedin_timeout_ms / 1000.0,
			    rq->method, rq->base, rq->label);
			return LI_ERR_TIMEOUT;
		}
		buf_init(&at.body, LI_MAX_BODY);
		curl_easy_reset(h);
		curl_easy_setopt(h, CURLOPT_SHARE, li->s->share);
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
		if (cfg->linkedin_ca_file && *cfg->linkedin_ca_file)
			curl_easy_setopt(h, CURLOPT_CAINFO,
					 cfg->linkedin_ca_file);
		long conn_ms = cfg->linkedin_connect_timeout_ms;
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
				 conn_ms < left_ms ? conn_ms : (long)left_ms);
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)left_ms);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, &at);
		curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(h, CURLOPT_HEADERDATA, &at);
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, at.errbuf);
		curl_easy_setopt(h, CURLOPT_USERAGENT, "hirelink/1.0");
		hdrs = curl_slist_append(hdrs, "Accept: application/json");
		if (rq->bearer) {
			struct buf auth = BUF_INIT;
			buf_addf(&auth, "Authorization: Bearer %s", rq->bearer);
			if (!buf_failed(&auth))
				hdrs = curl_slist_append(hdrs, auth.data);
			crypto_wipe(auth.data, auth.len);
			buf_release(&auth);
		}
		for (size_t i = 0; rq->headers && rq->headers[i]; i++)
			hdrs = curl_slist_append(hdrs, rq->headers[i]);
		if (rq->form) {
			hdrs = curl_slist_append(
			    hdrs,
			    "Content-Type: application/x-www-form-urlencoded");
			curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->form);
		} else if (rq->json) {
			hdrs = curl_slist_append(
			    hdrs, "Content-Type: application/json");
			curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->json);
		}
		if (strcmp(rq->method, "GET") && strcmp(rq->method, "POST"))
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
		if (!strcmp(rq->method, "POST") && !rq->form && !rq->json)
			curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);

		int64_t t0 = time_mono_us();
		CURLcode cc = curl_easy_perform(h);
		int64_t dur = time_mono_us() - t0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		/* The form may carry secrets; the header list a token. */
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
		for (struct curl_slist *p = hdrs; p; p = p->next)
			crypto_wipe(p->data, strlen(p->data));
		curl_slist_free_all(hdrs);
		if (cc != CURLE_OK)
			status = 0;
		if (li->s->observe)
			li->s->observe(li->s->observe_arg, rq->label, status,
				       dur);
		log_info(
		    "linkedin %s %s %ld %.1fms%s%s", rq->method, rq->label,
		    status, (double)dur / 1000.0, cc != CURLE_OK ? " " : "",
		    cc != CURLE_OK
			? (at.errbuf[0] ? at.errbuf : curl_easy_strerror(cc))
			: "");

		if (cc != CURLE_OK) {
			bool reset = cc == CURLE_RECV_ERROR ||
				     cc == CURLE_SEND_ERROR ||
				     cc == CURLE_GOT_NOTHING;
			if (reset && idempotent && !retried) {
				retried = true;
				buf_release(&at.body);
				continue;
			}
			if (cc == CURLE_WRITE_ERROR && buf_failed(&at.body))
				li_err_set(err, LI_ERR_PROTOCOL, 0, "",
					   "LinkedIn's answer to %s %s was "
					   "larger than "
					   "%d bytes",
					   rq->method, rq->label, LI_MAX_BODY);
			else if (cc == CURLE_OPERATION_TIMEDOUT)
				li_err_set(
				    err, LI_ERR_TIMEOUT, 0, "",
				    "LinkedIn did not answer within %.1f s "
				    "(%s %s%s)",
				    (double)cfg->linkedin_timeout_ms / 1000.0,
				    rq->method, rq->base, rq->label);
			else {
				/* "Connection refused" says more than curl's
				 * "Couldn't connect to server". */
				long oserr = 0;
				curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
				li_err_set(err, LI_ERR_CONNECT, 0, "",
					   "could not connect to %s%s: %s",
					   rq->base, rq->label,
					   oserr ? strerror((int)oserr)
					   : at.errbuf[0]
					       ? at.errbuf
					       : curl_easy_strerror(cc));
			}
			buf_release(&at.body);
			return err ? err->kind : LI_ERR_CONNECT;
		}

		int64_t left_after = (deadline - time_mono_us()) / 1000;
		if (status == 429 && !retried) {
			int64_t ra = 1;
			if (at.retry_after[0] &&
			    parse_i64(at.retry_after, &ra) < 0)
				ra = 1;
			if (ra * 1000 < left_after) {
				retried = true;
				buf_release(&at.body);
				sleep_ms(ra * 1000);
				continue;
			}
			li_err_set(err, LI_ERR_THROTTLED, 429, "429",
				   "LinkedIn is throttling requests (429 on %s "
				   "%s); it "
				   "asks to wait %lld s before trying again",
				   rq->method, rq->label, (long long)ra);
			buf_release(&at.body);
			return LI_ERR_THROTTLED;
		}
		if (status >= 500 && idempotent && !retried &&
		    left_after > 400) {
			retried = true;
			buf_release(&at.body);
			sleep_ms(200);
			continue;
		}

		out->status = status;
		out->len = at.body.len;
		out->body = arena_strndup(a, at.body.data, at.body.len);
		if (!out->body) {
			buf_release(&at.body);
			li_err_set(err, LI_ERR_INTERNAL, 0, "",
				   "out of memory");
			return LI_ERR_INTERNAL;
		}
		if (at.body.len) {
			json_error_t je;
			out->json =
			    json_loadb(at.body.data, at.body.len, 0, &je);
			if (out->json &&
			    arena_on_reset(a, decref, out->json) < 0)
				out->json = NULL;
		}
		if (status >= 200 && status < 300)
			rc = LI_OK;
		else {
			describe_http_error(err ? err : &(struct li_error){0},
					    status, at.body.data, at.body.len);
			rc = LI_ERR_HTTP;
		}
		buf_release(&at.body);
		return rc;
	}
}
