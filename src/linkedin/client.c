/*
 * client.c - the wire to LinkedIn: one curl easy handle per thread over a
 * process-wide share handle (connections, DNS cache, TLS sessions), a time
 * budget per call that covers every retry, bounded response bodies, and a
 * log line and a metric per attempt.  A call is built (li_wire_build: the
 * URL, any length, and the body), performed, classified (answer, retry or
 * fail) and retried in li_call.  A URL LinkedIn would refuse as too long
 * (414) is tunnelled: POST, X-HTTP-Method-Override with the real method,
 * the query in the body.  Every answer is read through li_unpack, which
 * checks its shape.  Rest.li's side of the protocol is here too, for every
 * API family to share: the 1.0 key syntax of entity keys and batch queries,
 * and the batch answer read into one outcome per key.
 *
 * Retry policy (linkedin-api.md, "Common rules"): a GET is retried once
 * when the connection was reset, once after a short backoff on 5xx; a 429 is
 * retried once after its Retry-After when that fits in the remaining
 * budget, otherwise the call fails at once with a clear message (holding a
 * web request for longer than the budget helps nobody).  Other 4xx are
 * never retried.
 */
#include <curl/curl.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "linkedin/li_internal.h"

/* ------------------------------------------------------------ CA file */

int li_ca_file_check(const char *path, char *err, size_t errlen)
{
	if (!path || !*path)
		return 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		/* check-config is single-threaded: strerror is fine */
		snprintf(err, errlen, "linkedin_ca_file %s: cannot open: %s",
			 path, strerror(errno));
		return -1;
	}
	int n = 0;
	X509 *x;
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
		X509_free(x);
		n++;
	}
	ERR_clear_error();
	fclose(f);
	if (n == 0) {
		snprintf(err, errlen,
			 "linkedin_ca_file %s: no PEM certificate in it "
			 "(-----BEGIN CERTIFICATE-----)",
			 path);
		return -1;
	}
	return 0;
}

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
	pthread_mutex_init(&s->set_mu, NULL);
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
	li_settings_forget(s);
	pthread_mutex_destroy(&s->set_mu);
	if (s->tok)
		crypto_wipe(s->tok, strlen(s->tok));
	free(s->tok);
	free(s->tok_client_id);
	free(s);
}

/* The settings li_settings_load_kept (store.c) keeps here. */
void li_shared_settings_drop(struct li_shared *ls)
{
	struct li_settings *k = &ls->set;
	if (k->client_secret)
		crypto_wipe((char *)k->client_secret, strlen(k->client_secret));
	free((char *)k->client_id);
	free((char *)k->client_secret);
	free((char *)k->organization_urn);
	free((char *)k->contract_urn);
	free((char *)k->ats_instance_name);
	free((char *)k->instance_id);
	*k = (struct li_settings){0};
	ls->set_kept = false;
}

void li_settings_forget(struct li_shared *ls)
{
	if (!ls)
		return;
	pthread_mutex_lock(&ls->set_mu);
	li_shared_settings_drop(ls);
	pthread_mutex_unlock(&ls->set_mu);
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
	err->retry_after_ms = 0;
	snprintf(err->code, sizeof(err->code), "%s", code ? code : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

int li_err_oom(struct li_error *err)
{
	li_err_set(err, LI_ERR_INTERNAL, 0, "", "out of memory");
	return LI_ERR_INTERNAL;
}

const char *li_error_text(const struct li_error *err)
{
	return err && err->message[0] ? err->message : "unknown LinkedIn error";
}

/* ------------------------------------------------------------ remote JSON */

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return json_string_length(v) ? "a string" : "an empty string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a fraction";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static const char *const json_wanted[] = {
    [LI_JSON_STRING] = "a string", [LI_JSON_INT] = "an integer",
    [LI_JSON_BOOL] = "a boolean",  [LI_JSON_OBJECT] = "an object",
    [LI_JSON_ARRAY] = "an array",  [LI_JSON_SECONDS] = "a number of seconds (up to ten years)",
};

/* Stores v in f's target when v has f's type; false when it has not. */
static bool json_take(const struct li_field *f, json_t *v)
{
	int64_t n;

	switch (f->type) {
	case LI_JSON_STRING:
		if (!json_is_string(v) ||
		    (f->required && !json_string_length(v)))
			return false;
		*f->to.s = json_string_value(v);
		return true;
	case LI_JSON_INT:
		if (!json_is_integer(v))
			return false;
		*f->to.i = json_integer_value(v);
		return true;
	case LI_JSON_BOOL:
		if (!json_is_boolean(v))
			return false;
		*f->to.b = json_is_true(v);
		return true;
	case LI_JSON_OBJECT:
	case LI_JSON_ARRAY:
		if (f->type == LI_JSON_OBJECT ? !json_is_object(v)
					      : !json_is_array(v))
			return false;
		*f->to.j = v;
		return true;
	case LI_JSON_SECONDS:
		/* LinkedIn sends expires_in as 1800 or "1800". */
		if (json_is_integer(v))
			n = json_integer_value(v);
		else if (!json_is_string(v) ||
			 parse_i64(json_string_value(v), &n) < 0)
			return false;
		/* at most ten years: a lifetime beyond would overflow the
		 * milliseconds it becomes, and LinkedIn's last a year */
		if (n <= 0 || n > 10LL * 366 * 86400)
			return false;
		*f->to.i = n;
		return true;
	}
	return false;
}

int li_unpack(json_t *obj, const char *what, const struct li_field *f, size_t n,
	      struct li_error *err)
{
	char why[200] = "";

	if (!obj)
		snprintf(why, sizeof(why), "it is not JSON");
	else if (!json_is_object(obj))
		snprintf(why, sizeof(why), "it is %s, not an object",
			 json_kind(obj));
	for (size_t i = 0; !why[0] && i < n; i++) {
		json_t *v = json_object_get(obj, f[i].name);
		if (!v || json_is_null(v)) {
			if (f[i].required)
				snprintf(why, sizeof(why), "\"%s\" is missing",
					 f[i].name);
		} else if (json_take(&f[i], v))
			continue;
		else if (f[i].type == LI_JSON_STRING && json_is_string(v))
			snprintf(why, sizeof(why), "\"%s\" is empty",
				 f[i].name);
		else
			snprintf(why, sizeof(why), "\"%s\" is %s, not %s",
				 f[i].name, json_kind(v),
				 json_wanted[f[i].type]);
	}
	if (!why[0])
		return LI_OK;
	log_error("linkedin %s answer of an unexpected shape: %s", what, why);
	/* code "not_json": no JSON at all (li_error_transient) */
	li_err_set(err, LI_ERR_PROTOCOL, 0, obj ? "" : LI_NOT_JSON,
		   "LinkedIn's %s answer had an unexpected shape: %s", what,
		   why);
	return LI_ERR_PROTOCOL;
}

/* ------------------------------------------------------------ Rest.li keys */

void li_key_add(struct buf *b, const struct li_key *k)
{
	for (size_t i = 0; i < k->n; i++) {
		const struct li_key_field *f = &k->fields[i];
		if (i)
			buf_addc(b, '&');
		if (f->name)
			buf_addf(b, "%s=", f->name);
		buf_add_url(b, f->value, strlen(f->value));
	}
}

void li_keys_add_query(struct buf *b, const struct li_key *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < keys[i].n; j++) {
			const struct li_key_field *f = &keys[i].fields[j];
			char last = b->len ? b->data[b->len - 1] : '?';
			if (last != '?' && last != '&')
				buf_addc(b, '&');
			/* ids[i].name, its brackets escaped */
			if (f->name)
				buf_addf(b, "ids%%5B%zu%%5D.%s=", i, f->name);
			else
				buf_adds(b, "ids=");
			buf_add_url(b, f->value, strlen(f->value));
		}
}

static int hex_digit(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Whether the n bytes at p, percent-decoded (and '+' a space when plus),
 * are the string s. */
static bool decoded_equal(const char *p, size_t n, const char *s, bool plus)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++, j++) {
		int c = (unsigned char)p[i];
		if (c == '%' && i + 2 < n && hex_digit(p[i + 1]) >= 0 &&
		    hex_digit(p[i + 2]) >= 0) {
			c = hex_digit(p[i + 1]) * 16 + hex_digit(p[i + 2]);
			i += 2;
		} else if (c == '+' && plus)
			c = ' ';
		if (!s[j] || (unsigned char)s[j] != c)
			return false;
	}
	return !s[j];
}

/* The index in k of the field "name<sep>value" at p (n bytes) whose value
 * is k's, or -1. */
static int field_index(const struct li_key *k, const char *p, size_t n,
		       char sep, bool plus)
{
	const char *v = memchr(p, sep, n);
	size_t len = v ? (size_t)(v - p) : 0;
	for (size_t i = 0; v && i < k->n; i++) {
		const char *name = k->fields[i].name;
		if (name && strlen(name) == len && !memcmp(name, p, len))
			return decoded_equal(v + 1, n - len - 1,
					     k->fields[i].value, plus)
				   ? (int)i
				   : -1;
	}
	return -1;
}

bool li_key_match(const struct li_key *k, const char *s)
{
	size_t len = strlen(s);
	char sep = '=', delim = '&';
	bool plus = true;
	uint64_t seen = 0;

	if (k->n == 1 && !k->fields[0].name)
		return decoded_equal(s, len, k->fields[0].value, true);
	if (k->n > 64)
		return false;
	if (len >= 2 && s[0] == '(' && s[len - 1] == ')') {
		/* protocol 2.0: (name:value,...) */
		s++;
		len -= 2;
		sep = ':';
		delim = ',';
		plus = false;
	}
	for (const char *p = s, *end = s + len; p <= end;) {
		const char *e = memchr(p, delim, (size_t)(end - p));
		if (!e)
			e = end;
		int i = field_index(k, p, (size_t)(e - p), sep, plus);
		if (i < 0 || seen & (UINT64_C(1) << i))
			return false;
		seen |= UINT64_C(1) << i;
		p = e + 1;
	}
	return seen == (k->n == 64 ? UINT64_MAX : (UINT64_C(1) << k->n) - 1);
}

/* ------------------------------------------------------------ batch answers */

/* The index of the key LinkedIn's answer names s, or -1 (after setting
 * err) for a key that was not sent. */
static int answer_key(const char *what, const struct li_key *keys, size_t n,
		      const char *s, struct li_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (li_key_match(&keys[i], s))
			return (int)i;
	log_error("linkedin %s answer names a key not sent: %.100s", what, s);
	li_err_set(err, LI_ERR_PROTOCOL, 0, "",
		   "LinkedIn's %s answer had an unexpected shape: it names a "
		   "key that was not sent (%.100s)",
		   what, s);
	return -1;
}

/* results[key]: the entity, or {"status": n} for a write.  An entity may
 * have a "status" of its own (a job posting task's "SUCCEEDED"): only a
 * number is the write's. */
static int result_read(const char *what, json_t *v, struct li_outcome *o,
		       struct li_error *err)
{
	int rc = li_unpack(v, what, NULL, 0, err);
	if (rc != LI_OK)
		return rc;
	o->result = v;
	json_t *status = json_object_get(v, "status");
	if (json_is_integer(status) && json_integer_value(status))
		o->status = (long)json_integer_value(status);
	return LI_OK;
}

/* errors[key]: {"status", "serviceErrorCode", "message", ...}. */
static int error_read(const char *what, json_t *v, struct li_outcome *o,
		      struct li_error *err)
{
	int64_t status = 0, code = 0;
	const struct li_field f[] = {
	    LI_INT("status", false, &status),
	    LI_INT("serviceErrorCode", false, &code),
	    LI_STR("message", false, &o->message),
	};
	int rc = li_unpack(v, what, f, ARRAY_LEN(f), err);
	if (rc != LI_OK)
		return rc;
	o->failed = true;
	o->status = (long)status;
	o->service_code = (long)code;
	return LI_OK;
}

/* statuses[key]: the entity's HTTP status (a batch GET). */
static int status_read(const char *what, json_t *v, struct li_outcome *o,
		       struct li_error *err)
{
	if (!json_is_integer(v)) {
		li_err_set(err, LI_ERR_PROTOCOL, 0, "",
			   "LinkedIn's %s answer had an unexpected shape: a "
			   "status is not an integer",
			   what);
		return LI_ERR_PROTOCOL;
	}
	o->status = (long)json_integer_value(v);
	return LI_OK;
}

int li_batch_read(json_t *answer, const char *what, const struct li_key *keys,
		  size_t n, struct li_outcome *out, struct li_error *err)
{
	static int (*const readers[])(
	    const char *, json_t *, struct li_outcome *,
	    struct li_error *) = {result_read, status_read, error_read};
	json_t *maps[3] = {NULL, NULL, NULL}, *v;
	const struct li_field f[] = {
	    LI_OBJECT("results", false, &maps[0]),
	    LI_OBJECT("statuses", false, &maps[1]),
	    LI_OBJECT("errors", false, &maps[2]),
	};
	const char *key;

	for (size_t i = 0; i < n; i++)
		out[i] = (struct li_outcome){.message = ""};
	int rc = li_unpack(answer, what, f, ARRAY_LEN(f), err);
	for (size_t m = 0; rc == LI_OK && m < ARRAY_LEN(maps); m++)
		json_object_foreach(maps[m], key, v)
		{
			int i = answer_key(what, keys, n, key, err);
			rc = i < 0 ? LI_ERR_PROTOCOL
				   : readers[m](what, v, &out[i], err);
			if (rc != LI_OK)
				break;
		}
	for (size_t i = 0; rc == LI_OK && i < n; i++) {
		struct li_outcome *o = &out[i];
		if (!o->failed && !o->result) {
			o->failed = true;
			o->message = o->status ? "LinkedIn returned nothing "
						 "for it"
					       : "LinkedIn's answer did not "
						 "mention it";
		}
		if (o->status && (o->status < 200 || o->status > 299))
			o->failed = true;
	}
	return rc;
}

/* ------------------------------------------------------------ the wire */

static const char *const restli_methods[] = {
    [LI_BATCH_CREATE] = "batch_create",
    [LI_BATCH_UPDATE] = "batch_update",
    [LI_BATCH_PARTIAL_UPDATE] = "batch_partial_update",
    [LI_BATCH_DELETE] = "batch_delete",
};

/* The query moved into a tunnelled request's body: alone as a form, or
 * before the JSON body as the first part of a multipart/mixed body (the
 * layout Rest.li's query tunnel uses). */
static int tunnel_body(const struct li_req *rq, const char *query,
		       struct li_wire *w, struct li_error *err)
{
	char boundary[33];

	if (rq->form) {
		li_err_set(err, LI_ERR_INTERNAL, 0, "",
			   "%s %s: a form request cannot be tunnelled",
			   rq->method, rq->label);
		return LI_ERR_INTERNAL;
	}
	w->method = "POST";
	w->override = rq->method;
	if (!rq->json) {
		w->content_type = "application/x-www-form-urlencoded";
		buf_adds(&w->body, query);
		return LI_OK;
	}
	if (crypto_random_hex(boundary, 16) < 0) {
		li_err_set(err, LI_ERR_INTERNAL, 0, "", "no random boundary");
		return LI_ERR_INTERNAL;
	}
	snprintf(w->multipart, sizeof(w->multipart),
		 "multipart/mixed; boundary=%s", boundary);
	w->content_type = w->multipart;
	buf_addf(&w->body,
		 "--%s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
		 "\r\n%s\r\n--%s\r\nContent-Type: application/json\r\n\r\n",
		 boundary, query, boundary);
	buf_adds(&w->body, rq->json);
	buf_addf(&w->body, "\r\n--%s--\r\n", boundary);
	return LI_OK;
}

int li_wire_build(const struct li_req *rq, struct li_wire *w,
		  struct li_error *err)
{
	const char *q = strchr(rq->path, '?');
	size_t path_len = q ? (size_t)(q - rq->path) : strlen(rq->path);
	size_t url_len = strlen(rq->base) + strlen(rq->path);
	int rc = LI_OK;

	memset(w, 0, sizeof(*w));
	buf_init(&w->url, 0);
	buf_init(&w->body, 0);
	w->method = rq->method;
	buf_adds(&w->url, rq->base);
	if (url_len <= LI_MAX_URL && (!q || strlen(q + 1) <= LI_MAX_QUERY)) {
		buf_adds(&w->url, rq->path);
		w->content_type = rq->form ? "application/x-www-form-urlencoded"
				  : rq->json ? "application/json"
					     : NULL;
		buf_adds(&w->body, rq->form ? rq->form : rq->json);
	} else if (strlen(rq->base) + path_len > LI_MAX_URL) {
		li_err_set(err, LI_ERR_INTERNAL, 0, "",
			   "the path of %s %s is too long (%zu bytes)",
			   rq->method, rq->label, path_len);
		rc = LI_ERR_INTERNAL;
	} else {
		buf_add(&w->url, rq->path, path_len);
		rc = tunnel_body(rq, q + 1, w, err);
	}
	if (rc == LI_OK && (buf_failed(&w->url) || buf_failed(&w->body))) {
		rc = li_err_oom(err);
	}
	if (rc != LI_OK)
		li_wire_release(w);
	return rc;
}

void li_wire_release(struct li_wire *w)
{
	/* A form may carry secrets. */
	crypto_wipe(w->body.data, w->body.len);
	buf_release(&w->body);
	buf_release(&w->url);
}

/* Appends the header line fmt makes to h; the copy made for it is wiped
 * (a header may carry a token). */
static struct curl_slist *add_header(struct curl_slist *h, const char *fmt, ...)
    PRINTF_LIKE(2, 3);
static struct curl_slist *add_header(struct curl_slist *h, const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&line, fmt, ap);
	va_end(ap);
	if (!buf_failed(&line))
		h = curl_slist_append(h, line.data);
	crypto_wipe(line.data, line.len);
	buf_release(&line);
	return h;
}

/* The request's headers, new (curl_slist_free_all after wiping them). */
static struct curl_slist *request_headers(const struct li_req *rq,
					  const struct li_wire *w)
{
	struct curl_slist *h =
	    curl_slist_append(NULL, "Accept: application/json");
	if (rq->bearer)
		h = add_header(h, "Authorization: Bearer %s", rq->bearer);
	if (rq->restli_method)
		h = add_header(h, "X-RestLi-Method: %s",
			       restli_methods[rq->restli_method]);
	if (w->override)
		h = add_header(h, "X-HTTP-Method-Override: %s", w->override);
	if (w->content_type)
		h = add_header(h, "Content-Type: %s", w->content_type);
	for (size_t i = 0; rq->headers && rq->headers[i]; i++)
		h = curl_slist_append(h, rq->headers[i]);
	return h;
}

/* ------------------------------------------------------------ one call */

/* One attempt: what curl and LinkedIn answered. */
struct attempt {
	struct buf body;
	char retry_after[32];
	char errbuf[CURL_ERROR_SIZE];
	CURLcode cc;
	long status; /* 0 for a transport failure */
	long oserr;  /* errno of a failed connect */
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

/* Sets the handle up for w within left_ms. */
static void setup(struct li_client *li, const struct li_wire *w,
		  struct curl_slist *hdrs, int64_t left_ms, struct attempt *at)
{
	const struct config *cfg = li->s->cfg;
	CURL *h = li->curl;
	long conn_ms = cfg->linkedin_connect_timeout_ms;

	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_SHARE, li->s->share);
	curl_easy_setopt(h, CURLOPT_URL, w->url.data);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (cfg->linkedin_ca_file && *cfg->linkedin_ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, cfg->linkedin_ca_file);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			 conn_ms < left_ms ? conn_ms : (long)left_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)left_ms);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, at);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, at);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, at->errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "hirelink/1.0");
	if (w->content_type || !strcmp(w->method, "POST")) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, w->body.data);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)w->body.len);
	}
	if (strcmp(w->method, "GET") && strcmp(w->method, "POST"))
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, w->method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
}

/* One attempt within left_ms, counted and logged (method, path without
 * query, status, duration; never a header or the body). */
static void perform(struct li_client *li, const struct li_req *rq,
		    const struct li_wire *w, int64_t left_ms,
		    struct attempt *at)
{
	struct curl_slist *hdrs = request_headers(rq, w);
	CURL *h = li->curl;

	buf_init(&at->body, LI_MAX_BODY);
	setup(li, w, hdrs, left_ms, at);
	int64_t t0 = time_mono_us();
	at->cc = curl_easy_perform(h);
	int64_t dur = time_mono_us() - t0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &at->status);
	curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &at->oserr);
	/* The body may carry secrets; the header list a token. */
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	for (struct curl_slist *p = hdrs; p; p = p->next)
		crypto_wipe(p->data, strlen(p->data));
	curl_slist_free_all(hdrs);
	if (at->cc != CURLE_OK)
		at->status = 0;
	if (li->s->observe)
		li->s->observe(li->s->observe_arg, rq->label, at->status, dur);
	log_info("linkedin %s %s %ld %.1fms%s%s", rq->method, rq->label,
		 at->status, (double)dur / 1000.0, at->cc ? " " : "",
		 !at->cc	 ? ""
		 : at->errbuf[0] ? at->errbuf
				 : curl_easy_strerror(at->cc));
}

static int timed_out(const struct li_client *li, const struct li_req *rq,
		     struct li_error *err)
{
	li_err_set(err, LI_ERR_TIMEOUT, 0, "",
		   "LinkedIn did not answer within %.1f s (%s %s%s)",
		   (double)li->s->cfg->linkedin_timeout_ms / 1000.0, rq->method,
		   rq->base, rq->label);
	return LI_ERR_TIMEOUT;
}

/* A transport failure as an error. */
static int transport_error(const struct li_client *li, const struct li_req *rq,
			   const struct attempt *at, struct li_error *err)
{
	if (at->cc == CURLE_WRITE_ERROR && buf_failed(&at->body)) {
		li_err_set(err, LI_ERR_PROTOCOL, 0, "",
			   "LinkedIn's answer to %s %s was larger than %d "
			   "bytes",
			   rq->method, rq->label, LI_MAX_BODY);
		return LI_ERR_PROTOCOL;
	}
	if (at->cc == CURLE_OPERATION_TIMEDOUT)
		return timed_out(li, rq, err);
	/* "Connection refused" says more than curl's "Couldn't connect to
	 * server". */
	li_err_set(err, LI_ERR_CONNECT, 0, "", "could not connect to %s%s: %s",
		   rq->base, rq->label,
		   at->oserr	   ? strerror((int)at->oserr)
		   : at->errbuf[0] ? at->errbuf
				   : curl_easy_strerror(at->cc));
	return LI_ERR_CONNECT;
}

enum next { TAKE_ANSWER, RETRY, FAIL };

/*
 * What an attempt calls for.  A GET is retried once when the connection was
 * reset and once after a short backoff on 5xx; a 429 once after its
 * Retry-After when that fits in the budget left (left_ms), else the call
 * fails at once: holding a web request for longer than the budget helps
 * nobody.  *wait_ms is the pause before a retry; *rc the failure.
 */
static enum next classify(const struct li_client *li, const struct li_req *rq,
			  const struct attempt *at, bool retried,
			  int64_t left_ms, int64_t *wait_ms, int *rc,
			  struct li_error *err)
{
	bool idempotent = !strcmp(rq->method, "GET");
	int64_t ra = 1;

	*wait_ms = 0;
	if (at->cc != CURLE_OK) {
		if (idempotent && !retried &&
		    (at->cc == CURLE_RECV_ERROR || at->cc == CURLE_SEND_ERROR ||
		     at->cc == CURLE_GOT_NOTHING))
			return RETRY;
		*rc = transport_error(li, rq, at, err);
		return FAIL;
	}
	if (at->status == 429 && !retried) {
		if (at->retry_after[0] && parse_i64(at->retry_after, &ra) < 0)
			ra = 1;
		*wait_ms = ra * 1000;
		if (*wait_ms < left_ms)
			return RETRY;
		li_err_set(err, LI_ERR_THROTTLED, 429, "429",
			   "LinkedIn is throttling requests (429 on %s %s); "
			   "it asks to wait %lld s before trying again",
			   rq->method, rq->label, (long long)ra);
		*rc = LI_ERR_THROTTLED;
		return FAIL;
	}
	if (at->status >= 500 && idempotent && !retried && left_ms > 400) {
		*wait_ms = 200;
		return RETRY;
	}
	return TAKE_ANSWER;
}

/* The LinkedIn error body, if any, into err->code and a short text:
 * OAuth {"error","error_description"} or API {"serviceErrorCode","message"}.
 * A body of another shape still gives the status. */
static void describe_http_error(struct li_error *err, long status, json_t *body)
{
	const char *code = "", *desc = "", *oauth_desc = "";
	int64_t service_code = -1;
	char codebuf[24] = "";
	const struct li_field f[] = {
	    LI_STR("error", false, &code),
	    LI_STR("error_description", false, &oauth_desc),
	    LI_INT("serviceErrorCode", false, &service_code),
	    LI_STR("message", false, &desc),
	};

	if (!body || li_unpack(body, "error", f, ARRAY_LEN(f), NULL) != LI_OK)
		code = desc = oauth_desc = "";
	if (!*code && service_code >= 0) {
		snprintf(codebuf, sizeof(codebuf), "%lld",
			 (long long)service_code);
		code = codebuf;
	}
	if (*oauth_desc)
		desc = oauth_desc;
	li_err_set(err, LI_ERR_HTTP, status, code,
		   "LinkedIn answered %ld%s%s%s%s", status, *code ? " " : "",
		   code, *desc ? ": " : "", desc);
}

static void decref(void *p)
{
	json_decref(p);
}

/* The attempt's answer into out (body and JSON arena-owned): LI_OK for a
 * 2xx, LI_ERR_HTTP with LinkedIn's error otherwise. */
static int take_answer(struct arena *a, struct attempt *at, struct li_resp *out,
		       struct li_error *err)
{
	json_error_t je;

	out->status = at->status;
	out->len = at->body.len;
	out->body = arena_strndup(a, at->body.data, at->body.len);
	if (!out->body) {
		return li_err_oom(err);
	}
	if (at->body.len) {
		out->json = json_loadb(at->body.data, at->body.len, 0, &je);
		if (out->json && arena_on_reset(a, decref, out->json) < 0)
			out->json = NULL;
	}
	if (at->status >= 200 && at->status < 300)
		return LI_OK;
	describe_http_error(err, at->status, out->json);
	return LI_ERR_HTTP;
}

int li_call(struct li_client *li, struct arena *a, const struct li_req *rq,
	    struct li_resp *out, struct li_error *err)
{
	int64_t deadline =
	    rq->deadline_us
		? rq->deadline_us
		: time_mono_us() +
		      (int64_t)li->s->cfg->linkedin_timeout_ms * 1000;
	struct li_wire w;
	bool retried = false;
	int rc;

	memset(out, 0, sizeof(*out));
	if (li->deadline_us && li->deadline_us < deadline)
		deadline = li->deadline_us;
	rc = li_wire_build(rq, &w, err);
	if (rc != LI_OK)
		return rc;
	for (;;) {
		struct attempt at = {.retry_after = "", .errbuf = ""};
		int64_t left_ms = (deadline - time_mono_us()) / 1000, wait_ms;

		if (left_ms <= 0) {
			rc = timed_out(li, rq, err);
			break;
		}
		perform(li, rq, &w, left_ms, &at);
		left_ms = (deadline - time_mono_us()) / 1000;
		enum next next =
		    classify(li, rq, &at, retried, left_ms, &wait_ms, &rc, err);
		if (next == TAKE_ANSWER)
			rc = take_answer(a, &at, out, err);
		/* A failure that says when to come back (429, 503) tells the
		 * caller too: the worker reschedules by it. */
		int64_t ra;
		if (next != RETRY && rc != LI_OK && err && at.retry_after[0] &&
		    parse_i64(at.retry_after, &ra) == 0 && ra > 0)
			err->retry_after_ms = ra * 1000;
		buf_release(&at.body);
		if (next != RETRY)
			break;
		retried = true;
		sleep_ms(wait_ms);
	}
	li_wire_release(&w);
	return rc;
}
