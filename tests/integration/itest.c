/*
 * itest.c - the integration tests' client and stack helpers; see itest.h.
 *
 * One CURL easy handle per client keeps one keep-alive connection and its
 * own cookie jar, like one browser.  Every request sets all the options a
 * previous request may have changed, so requests do not leak into each
 * other.  Response text is collected in struct buf with a cap, so a
 * runaway response fails the test instead of the machine.
 */
#include "itest.h"

#include <CUnit/CUnit.h>
#include <ctype.h>
#include <curl/curl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"

#define MAX_BODY    (64u << 20)
#define MAX_HEADERS (1u << 20)

struct itest_client {
	CURL *curl;
	char source[64];
	char errbuf[CURL_ERROR_SIZE];
};

/* ------------------------------------------------------------ the program */

int itest_run(const struct suite *suites, size_t n)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = suite_run(suites, n);
	curl_global_cleanup();
	return rc;
}

/* ------------------------------------------------------------ environment */

const char *itest_env(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v) {
		fprintf(stderr,
			"itest: %s is not set (run through scripts/check.sh)\n",
			name);
		return "";
	}
	return v;
}

/* The URL in the environment variable name, without a trailing slash,
 * into base (read once). */
static const char *env_url(const char *name, char *base, size_t size)
{
	if (!base[0]) {
		const char *u = itest_env(name);
		size_t n = strlen(u);
		while (n && u[n - 1] == '/')
			n--;
		snprintf(base, size, "%.*s", (int)n, u);
	}
	return base;
}

static int instance = 1;

int itest_instance(int n)
{
	int was = instance;
	if (n)
		instance = n == 2 ? 2 : 1;
	return was;
}

const char *itest_base_url(void)
{
	static char base[512], base2[512];
	if (instance == 2)
		return env_url("HIRELINK_TEST_URL2", base2, sizeof(base2));
	return env_url("HIRELINK_TEST_URL", base, sizeof(base));
}

const char *itest_sandbox_url(void)
{
	static char base[512];
	return env_url("HIRELINK_TEST_SANDBOX_URL", base, sizeof(base));
}

/* The host of the base URL, for cookies put into the jar by hand. */
static const char *base_host(void)
{
	static char host[256];
	if (!host[0]) {
		const char *p = strstr(itest_base_url(), "://");
		p = p ? p + 3 : itest_base_url();
		size_t n = strcspn(p, ":/");
		snprintf(host, sizeof(host), "%.*s", (int)n, p);
	}
	return host;
}

const char *itest_addr(int host)
{
	static char addrs[256][20];
	if (host < 1 || host > 254)
		host = 1;
	if (!addrs[host][0]) {
		unsigned pid = (unsigned)getpid();
		snprintf(addrs[host], sizeof(addrs[host]), "127.%u.%u.%d",
			 1 + (pid / 250) % 250, pid % 250, host);
	}
	return addrs[host];
}

char *itest_unique(const char *prefix)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "%s%ld", prefix, (long)getpid());
	return buf_detach(&b, NULL);
}

long long itest_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void itest_pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);
	if (!d) {
		fprintf(stderr, "itest: out of memory\n");
		abort();
	}
	return d;
}

char *itest_strdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* ------------------------------------------------------------ client */

struct itest_client *itest_client_new(const char *source_addr)
{
	struct itest_client *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->curl = curl_easy_init();
	if (!c->curl) {
		free(c);
		return NULL;
	}
	snprintf(c->source, sizeof(c->source), "host!%s",
		 source_addr ? source_addr : itest_addr(1));
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(c->curl, CURLOPT_INTERFACE, c->source);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
	/* argon2 under ASan takes well under a second; a hang should fail
	 * the test, not stall the run */
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(c->curl, CURLOPT_USERAGENT, "hirelink-itest/1");
	/* an installed copy behind nginx over TLS (scripts/install-test.sh):
	 * its self-signed certificate */
	const char *ca = getenv("HIRELINK_TEST_CA");
	if (ca && *ca)
		curl_easy_setopt(c->curl, CURLOPT_CAINFO, ca);
	return c;
}

void itest_client_free(struct itest_client *c)
{
	if (c) {
		curl_easy_cleanup(c->curl);
		free(c);
	}
}

char *itest_cookie(struct itest_client *c, const char *name)
{
	struct curl_slist *list = NULL;
	char *found = NULL;

	if (curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list) != CURLE_OK)
		return NULL;
	/* Netscape format: domain, subdomains, path, secure, expiry, name,
	 * value - tab-separated. */
	for (struct curl_slist *l = list; l && !found; l = l->next) {
		const char *f = l->data;
		for (int i = 0; i < 5 && f; i++) {
			f = strchr(f, '\t');
			if (f)
				f++;
		}
		if (!f)
			continue;
		size_t n = strcspn(f, "\t");
		if (n == strlen(name) && !strncmp(f, name, n) && f[n] == '\t')
			found = strdup(f + n + 1);
	}
	curl_slist_free_all(list);
	return found;
}

int itest_set_cookie(struct itest_client *c, const char *name,
		     const char *value)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "%s\tFALSE\t/\tFALSE\t0\t%s\t%s", base_host(), name,
		 value);
	int rc =
	    !buf_failed(&b) && curl_easy_setopt(c->curl, CURLOPT_COOKIELIST,
						b.data) == CURLE_OK
		? 0
		: -1;
	buf_release(&b);
	return rc;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	buf_add(ud, p, size * n);
	return buf_failed(ud) ? 0 : size * n;
}

/* Keeps only the last header block: a "100 Continue" comes before the
 * real one. */
static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct buf *h = ud;
	if (size * n >= 5 && !strncmp(p, "HTTP/", 5))
		buf_reset(h);
	buf_add(h, p, size * n);
	return buf_failed(h) ? 0 : size * n;
}

static void parse_headers(struct itest_resp *r)
{
	size_t cap = itest_count(r->headers, "\n") + 1;
	r->hv = calloc(cap, sizeof(*r->hv));
	if (!r->hv)
		return;
	const char *line = r->headers;
	while (*line) {
		size_t n = strcspn(line, "\r\n");
		const char *colon = memchr(line, ':', n);
		if (colon && strncmp(line, "HTTP/", 5) && r->nh < cap) {
			const char *v = colon + 1;
			while (v < line + n && (*v == ' ' || *v == '\t'))
				v++;
			size_t vn = (size_t)(line + n - v);
			while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
				vn--;
			r->hv[r->nh].name =
			    xstrndup(line, (size_t)(colon - line));
			r->hv[r->nh].value = xstrndup(v, vn);
			r->nh++;
		}
		line += n;
		while (*line == '\r' || *line == '\n')
			line++;
	}
}

struct itest_resp itest_request(struct itest_client *c, const char *method,
				const char *path, bool json,
				const char *content_type, const char *body,
				size_t len, const char *extra_header)
{
	struct itest_resp r = {0};
	struct buf bb, hb, url = BUF_INIT, ct = BUF_INIT;
	struct curl_slist *hdr = NULL;
	CURL *k = c->curl;

	buf_init(&bb, MAX_BODY);
	buf_init(&hb, MAX_HEADERS);
	buf_addf(&url, "%s%s", *path == '/' ? itest_base_url() : "", path);
	hdr = curl_slist_append(hdr, json ? "Accept: application/json"
					  : "Accept: text/html,application/"
					    "xhtml+xml,*/*;q=0.8");
	/* Send the body at once rather than wait for "100 Continue". */
	hdr = curl_slist_append(hdr, "Expect:");
	if (content_type) {
		buf_addf(&ct, "Content-Type: %s", content_type);
		hdr = curl_slist_append(hdr, ct.data);
	}
	if (extra_header)
		hdr = curl_slist_append(hdr, extra_header);

	curl_easy_setopt(k, CURLOPT_URL, url.data);
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, &bb);
	curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(k, CURLOPT_HEADERDATA, &hb);
	curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(k, CURLOPT_NOBODY, 0L);
	if (body) {
		curl_easy_setopt(k, CURLOPT_POST, 1L);
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)len);
	} else {
		curl_easy_setopt(k, CURLOPT_HTTPGET, 1L);
	}
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(k, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") && strcmp(method, "POST"))
		curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, method);
	else if (!strcmp(method, "POST") && !body) {
		curl_easy_setopt(k, CURLOPT_POST, 1L);
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	}

	c->errbuf[0] = '\0';
	CURLcode rc = buf_failed(&url) || buf_failed(&ct) || !hdr
			  ? CURLE_OUT_OF_MEMORY
			  : curl_easy_perform(k);
	if (rc == CURLE_OK)
		curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &r.status);
	else
		fprintf(stderr, "itest: %s %s from %s: %s\n", method, url.data,
			c->source + 5,
			c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(k, CURLOPT_POSTFIELDS, NULL);
	curl_slist_free_all(hdr);
	buf_release(&url);
	buf_release(&ct);

	r.body = buf_detach(&bb, &r.len);
	r.headers = buf_detach(&hb, NULL);
	if (!r.body) {
		r.body = xstrndup("", 0);
		r.len = 0;
	}
	if (!r.headers)
		r.headers = xstrndup("", 0);
	parse_headers(&r);
	return r;
}

struct itest_resp itest_get(struct itest_client *c, const char *path, bool json)
{
	return itest_request(c, "GET", path, json, NULL, NULL, 0, NULL);
}

/* Appends name=value, urlencoded, to a form body. */
static void form_add(struct buf *b, const char *name, const char *value)
{
	if (b->len)
		buf_addc(b, '&');
	buf_add_url(b, name, strlen(name));
	buf_addc(b, '=');
	if (value)
		buf_add_url(b, value, strlen(value));
}

/* Appends the pairs name, value, ..., NULL of ap to a form body. */
static void form_add_pairs(struct buf *b, va_list ap)
{
	for (const char *n; (n = va_arg(ap, const char *));)
		form_add(b, n, va_arg(ap, const char *));
}

/* The body b holds, detached; aborts when memory ran out. */
static char *form_detach(struct buf *b)
{
	char *s = buf_detach(b, NULL);
	if (!s) {
		fprintf(stderr, "itest: out of memory\n");
		abort();
	}
	return s;
}

struct itest_resp itest_post(struct itest_client *c, const char *path,
			     bool json, const char *csrf, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (csrf)
		form_add(&b, "csrf", csrf);
	va_start(ap, csrf);
	form_add_pairs(&b, ap);
	va_end(ap);
	char *body = form_detach(&b);
	struct itest_resp r = itest_request(c, "POST", path, json,
					    "application/x-www-form-urlencoded",
					    body, strlen(body), NULL);
	free(body);
	return r;
}

struct itest_resp itest_post_form(struct itest_client *c, const char *path,
				  const char *body)
{
	return itest_request(c, "POST", path, false,
			     "application/x-www-form-urlencoded", body,
			     strlen(body), NULL);
}

struct itest_resp itest_post_raw(struct itest_client *c, const char *path,
				 const char *content_type, const char *body,
				 size_t len, const char *extra_header)
{
	return itest_request(c, "POST", path, false, content_type, body, len,
			     extra_header);
}

void itest_resp_free(struct itest_resp *r)
{
	for (size_t i = 0; i < r->nh; i++) {
		free(r->hv[i].name);
		free(r->hv[i].value);
	}
	free(r->hv);
	free(r->body);
	free(r->headers);
	memset(r, 0, sizeof(*r));
}

const char *itest_header_nth(const struct itest_resp *r, const char *name,
			     size_t n)
{
	for (size_t i = 0; i < r->nh; i++)
		if (!strcasecmp(r->hv[i].name, name) && n-- == 0)
			return r->hv[i].value;
	return NULL;
}

const char *itest_header(const struct itest_resp *r, const char *name)
{
	return itest_header_nth(r, name, 0);
}

const char *itest_location(const struct itest_resp *r)
{
	const char *l = itest_header(r, "Location");
	if (!l)
		return "";
	const char *p = strstr(l, "://");
	if (p && p < l + strcspn(l, "/?#")) {
		p += 3;
		p += strcspn(p, "/");
		return p;
	}
	return l;
}

bool itest_has(const struct itest_resp *r, const char *needle)
{
	return r->body && strstr(r->body, needle) != NULL;
}

void itest_sql_step(const char *what, char *stmt, const char *file, int line)
{
	itest_check(itest_sql(stmt) == 0, file, line, "SQL for %s failed: %s",
		    what, stmt);
	free(stmt);
}

long itest_metric(const char *text, const char *series)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "\n%s ", series);
	const char *p = strstr(text, b.data);
	long v = -1;
	if (p)
		v = strtol(p + b.len, NULL, 10);
	buf_release(&b);
	return v;
}

char *itest_metrics_token(void)
{
	const char *path = itest_env(instance == 2 ? "HIRELINK_CONFIG2"
						   : "HIRELINK_CONFIG");
	FILE *f = fopen(path, "r");
	char line[512], *token = NULL;
	while (f && !token && fgets(line, sizeof(line), f)) {
		char v[300];
		if (sscanf(line, " metrics_token = %299s", v) == 1)
			token = itest_strdup(v);
	}
	if (f)
		fclose(f);
	if (!token)
		fprintf(stderr, "no metrics_token in %s\n", path);
	return token ? token : itest_strdup("");
}

struct itest_resp itest_metrics(struct itest_client *c)
{
	char *token = itest_metrics_token();
	char *h = itest_fmt("Authorization: Bearer %s", token);
	struct itest_resp r =
	    itest_request(c, "GET", "/metrics", false, NULL, NULL, 0, h);
	free(h);
	free(token);
	return r;
}

long itest_kept_served(void)
{
	struct itest_client *c = itest_client_new(NULL);
	struct itest_resp r = itest_metrics(c);
	long n = itest_metric(r.body,
			      "hirelink_fragment_cache_total{result=\"hit\"}");
	itest_resp_free(&r);
	itest_client_free(c);
	return n;
}

size_t itest_count(const char *s, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	if (!s || !k)
		return 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + k, needle))
		n++;
	return n;
}

bool itest_contains_ci(const char *s, const char *needle)
{
	size_t k = strlen(needle);
	for (; s && *s; s++)
		if (!strncasecmp(s, needle, k))
			return true;
	return s && !k;
}

/* ------------------------------------------------------------ JSON */

json_t *itest_json(const struct itest_resp *r)
{
	return json_loadb(r->body, r->len, 0, NULL);
}

json_t *itest_get_json(struct itest_client *c, const char *path, long *status)
{
	struct itest_resp r = itest_get(c, path, true);
	json_t *v = itest_json(&r);
	*status = r.status;
	if (!v)
		itest_dump(&r);
	itest_resp_free(&r);
	return v;
}

const char *itest_jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

long long itest_jint(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* ------------------------------------------------------------ pages */

/* The entities an escaping template writes, back to characters. */
static void html_unescape(char *s)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'},   {"&lt;", '<'},   {"&gt;", '>'},
		    {"&quot;", '"'},  {"&#34;", '"'},  {"&#39;", '\''},
		    {"&#x27;", '\''}, {"&#x2F;", '/'}, {"&#x2f;", '/'},
		    {"&#47;", '/'},   {"&#x3D;", '='}, {"&#x3d;", '='},
		    {"&#96;", '`'},   {"&#x60;", '`'}};
	char *w = s;
	for (const char *p = s; *p;) {
		size_t i;
		for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
			size_t n = strlen(ents[i].ent);
			if (!strncmp(p, ents[i].ent, n)) {
				*w++ = ents[i].c;
				p += n;
				break;
			}
		}
		if (i == sizeof(ents) / sizeof(ents[0]))
			*w++ = *p++;
	}
	*w = '\0';
}

char *itest_between(const char *s, const char *before, const char *after)
{
	const char *b = s ? strstr(s, before) : NULL;
	if (!b)
		return NULL;
	b += strlen(before);
	const char *e = strstr(b, after);
	if (!e)
		return NULL;
	char *v = xstrndup(b, (size_t)(e - b));
	html_unescape(v);
	return v;
}

char *itest_csrf(const struct itest_resp *r)
{
	char *t = itest_between(r->body, "<meta name=\"csrf-token\" content=\"",
				"\"");
	if (t && !*t) {
		free(t);
		t = NULL;
	}
	return t;
}

char *itest_csrf_of(struct itest_client *c, const char *path)
{
	struct itest_resp r = itest_get(c, path, false);
	char *t = itest_csrf(&r);
	CHECK(t != NULL, "GET %s (status %ld) has no csrf-token meta", path,
	      r.status);
	itest_resp_free(&r);
	return t ? t : itest_strdup("");
}

char *itest_field(const struct itest_resp *r, const char *name)
{
	char *before = itest_fmt("name=\"%s\" value=\"", name);
	char *v = itest_between(r->body, before, "\"");
	free(before);
	return v ? v : itest_strdup("");
}

char *itest_form(const char *name, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, name);
	form_add(&b, name, va_arg(ap, const char *));
	form_add_pairs(&b, ap);
	va_end(ap);
	return form_detach(&b);
}

char *itest_vform(const char *csrf, va_list ap)
{
	struct buf b = BUF_INIT;
	if (csrf)
		form_add(&b, "csrf", csrf);
	form_add_pairs(&b, ap);
	return form_detach(&b);
}

struct itest_resp itest_login_resp(struct itest_client *c, const char *email,
				   const char *password, const char *next)
{
	struct itest_resp page = itest_get(c, "/login", false);
	if (page.status == 303) {
		/* Signed in already: any page of ours carries the token. */
		char *to = itest_strdup(itest_location(&page));
		itest_resp_free(&page);
		page = itest_get(c, to, false);
		free(to);
	}
	char *csrf = itest_csrf(&page);
	if (!csrf)
		fprintf(
		    stderr,
		    "itest: no csrf token on the sign-in page (status %ld)\n",
		    page.status);
	itest_resp_free(&page);
	char *body =
	    next ? itest_form("email", email, "password", password, "next",
			      next, "csrf", csrf ? csrf : "", NULL)
		 : itest_form("email", email, "password", password, "csrf",
			      csrf ? csrf : "", NULL);
	struct itest_resp r = itest_post_form(c, "/login", body);
	free(body);
	free(csrf);
	return r;
}

long itest_login(struct itest_client *c, const char *email,
		 const char *password)
{
	struct itest_resp r = itest_login_resp(c, email, password, NULL);
	long status = r.status;
	if (status != 303)
		fprintf(stderr, "itest: sign-in as %s answered %ld\n", email,
			status);
	itest_resp_free(&r);
	return status;
}

/* ------------------------------------------------------------ the stack */

/* Runs argv (no shell) with input on its stdin.  Its standard output goes
 * into out, or where ours goes when out is NULL.  Returns the exit status,
 * -1 when it could not run. */
static int run_io(char *const argv[], const char *input, struct buf *out)
{
	int in[2], from[2] = {-1, -1};
	if (pipe(in) < 0)
		return -1;
	if (out && pipe(from) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(in[0]);
		close(in[1]);
		if (out) {
			close(from[0]);
			close(from[1]);
		}
		return -1;
	}
	if (pid == 0) {
		dup2(in[0], 0);
		close(in[0]);
		close(in[1]);
		if (out) {
			dup2(from[1], 1);
			close(from[0]);
			close(from[1]);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "itest: cannot run %s\n", argv[0]);
		_exit(127);
	}
	close(in[0]);
	if (out)
		close(from[1]);
	/* Feed and drain together: a large answer cannot block the input. */
	size_t n = input ? strlen(input) : 0, off = 0;
	int to = in[1];
	if (off == n) {
		close(to);
		to = -1;
	}
	while (to >= 0 || (out && from[0] >= 0)) {
		struct pollfd pf[2] = {{to, POLLOUT, 0},
				       {out ? from[0] : -1, POLLIN, 0}};
		if (poll(pf, 2, -1) < 0)
			continue;
		if (pf[0].revents) {
			ssize_t w = write(to, input + off, n - off);
			if (w > 0)
				off += (size_t)w;
			if (w <= 0 || off == n) {
				close(to);
				to = -1;
			}
		}
		if (pf[1].revents) {
			char chunk[4096];
			ssize_t r = read(from[0], chunk, sizeof(chunk));
			if (r > 0)
				buf_add(out, chunk, (size_t)r);
			else {
				close(from[0]);
				from[0] = -1;
			}
		}
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		;
	int rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (rc != 0)
		fprintf(stderr, "itest: %s %s exited with %d\n", argv[0],
			argv[1] ? argv[1] : "", rc);
	return rc;
}

static int run(char *const argv[], const char *input)
{
	return run_io(argv, input, NULL);
}

int itest_stack(const char *verb)
{
	char *argv[] = {(char *)itest_env("HIRELINK_STACK"), (char *)verb,
			(char *)"test", NULL};
	return run(argv, NULL);
}

int itest_useradd(const char *email, const char *name, const char *role,
		  const char *seat, const char *password)
{
	/* the instance's config, through env(1) */
	char *config = itest_fmt("HIRELINK_CONFIG=%s",
				 itest_env(instance == 2 ? "HIRELINK_CONFIG2"
							 : "HIRELINK_CONFIG"));
	char *argv[] = {(char *)"env",
			config,
			(char *)itest_env("HIRELINK_BIN"),
			(char *)"useradd",
			(char *)"--email",
			(char *)email,
			(char *)"--name",
			(char *)name,
			(char *)"--role",
			(char *)role,
			(char *)"--seat",
			(char *)seat,
			NULL};
	struct buf in = BUF_INIT;
	buf_addf(&in, "%s\n", password);
	int rc = buf_failed(&in) ? -1 : run(argv, in.data);
	buf_release(&in);
	free(config);
	return rc;
}

/* The mariadb client on database, fed sql; its tab-separated rows into
 * out when out is not NULL. */
static int mariadb_on(const char *database, const char *sql, struct buf *out)
{
	char *argv[] = {
	    (char *)"mariadb",	(char *)"--no-defaults",
	    (char *)"-N",	(char *)"-B",
	    (char *)"-S",	(char *)itest_env("HIRELINK_TEST_DB_SOCKET"),
	    (char *)"-u",	(char *)itest_env("HIRELINK_TEST_DB_USER"),
	    (char *)database, NULL};
	return run_io(argv, sql, out);
}

/* The same on the app's database. */
static int mariadb(const char *sql, struct buf *out)
{
	const char *first = getenv("HIRELINK_TEST_DB_APP");
	return mariadb_on(instance == 2	       ? "hirelink2"
			  : first && *first ? first
					    : "hirelink",
			  sql, out);
}

#define SANDBOX_DB "linkedin_sandbox"

static long first_ints(const struct buf *rows, long long *out, size_t max);

int itest_sandbox_sql(const char *sql)
{
	return mariadb_on(SANDBOX_DB, sql, NULL);
}

void itest_sandbox_sql_step(const char *what, char *stmt, const char *file,
			    int line)
{
	int rc = itest_sandbox_sql(stmt);
	itest_check(rc == 0, file, line, "%s: the sandbox's SQL failed (%d)",
		    what, rc);
	free(stmt);
}

char *itest_sandbox_sql_str(const char *fmt, ...)
{
	struct buf q = BUF_INIT, rows = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&q, fmt, ap);
	va_end(ap);
	int rc = buf_failed(&q) ? -1 : mariadb_on(SANDBOX_DB, q.data, &rows);
	char *v = rc == 0 && !buf_failed(&rows) && rows.len
		      ? xstrndup(rows.data, strcspn(rows.data, "\t\n"))
		      : itest_strdup("");
	buf_release(&q);
	buf_release(&rows);
	return v;
}

long long itest_sandbox_sql_int(const char *fmt, ...)
{
	struct buf q = BUF_INIT, rows = BUF_INIT;
	long long v = -1;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&q, fmt, ap);
	va_end(ap);
	int rc = buf_failed(&q) ? -1 : mariadb_on(SANDBOX_DB, q.data, &rows);
	long n = rc == 0 && !buf_failed(&rows) ? first_ints(&rows, &v, 1) : 0;
	buf_release(&q);
	buf_release(&rows);
	return n == 1 ? v : -1;
}

int itest_sql(const char *sql)
{
	return mariadb(sql, NULL);
}

/* The rows of the query fmt into rows: 0, or -1 when it failed. */
static int vquery(struct buf *rows, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static int vquery(struct buf *rows, const char *fmt, va_list ap)
{
	struct buf q = BUF_INIT;
	buf_vaddf(&q, fmt, ap);
	int rc =
	    buf_failed(&q) || mariadb(q.data, rows) != 0 || buf_failed(rows)
		? -1
		: 0;
	buf_release(&q);
	return rc;
}

/* The first column of up to max rows as integers: how many rows. */
static long first_ints(const struct buf *rows, long long *out, size_t max)
{
	long n = 0;
	for (const char *line = rows->data; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if ((size_t)n < max)
			out[n++] = strtoll(line, NULL, 10);
	return n;
}

long itest_sql_ints(long long *out, size_t max, const char *fmt, ...)
{
	struct buf rows = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int rc = vquery(&rows, fmt, ap);
	va_end(ap);
	long n = rc < 0 ? -1 : first_ints(&rows, out, max);
	buf_release(&rows);
	return n;
}

long long itest_sql_int(const char *fmt, ...)
{
	struct buf rows = BUF_INIT;
	long long v = -1;
	va_list ap;
	va_start(ap, fmt);
	int rc = vquery(&rows, fmt, ap);
	va_end(ap);
	long n = rc < 0 ? -1 : first_ints(&rows, &v, 1);
	buf_release(&rows);
	return n == 1 ? v : -1;
}

char *itest_sql_str(const char *fmt, ...)
{
	struct buf rows = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int rc = vquery(&rows, fmt, ap);
	va_end(ap);
	char *v = rc == 0 && rows.len
		      ? xstrndup(rows.data, strcspn(rows.data, "\t\n"))
		      : itest_strdup("");
	buf_release(&rows);
	return v;
}

/* ------------------------------------------------------------ people */

int itest_person_add(struct itest_person *p, const char *who, const char *tag,
		     const char *role, const char *seat)
{
	long pid = (long)getpid();
	char *domain = itest_strdup(tag);
	for (char *d = domain; *d; d++)
		*d = (char)tolower((unsigned char)*d);
	memset(p, 0, sizeof(*p));
	p->email = itest_fmt("%s.%ld@%s.itest.hirelink.test", who, pid, domain);
	p->name = itest_fmt("%c%s %s%ld", toupper((unsigned char)who[0]),
			    who + 1, tag, pid);
	p->password = itest_fmt("correct horse %s %ld", who, pid);
	free(domain);
	if (itest_useradd(p->email, p->name, role, seat, p->password) == 0)
		p->id = itest_sql_int("SELECT id FROM users WHERE email = '%s'",
				      p->email);
	if (p->id <= 0) {
		fprintf(stderr, "itest: cannot add %s\n", p->email);
		return -1;
	}
	return 0;
}

struct itest_client *itest_signed_in_as(const char *email, const char *password)
{
	struct itest_client *c = itest_client_new(NULL);
	long st = c ? itest_login(c, email, password) : 0;
	CHECK(st == 303, "sign in as %s: status %ld, want 303", email, st);
	return c;
}

struct itest_client *itest_signed_in(const struct itest_person *p)
{
	return itest_signed_in_as(p->email, p->password);
}

struct itest_client *itest_as(struct itest_person *p)
{
	if (p->c)
		return p->c;
	p->c = itest_signed_in(p);
	p->csrf = itest_csrf_of(p->c, "/jobs");
	return p->c;
}

void itest_person_free(struct itest_person *p)
{
	itest_client_free(p->c);
	free(p->email);
	free(p->name);
	free(p->password);
	free(p->csrf);
	memset(p, 0, sizeof(*p));
}

/* ------------------------------------------------------------ checks */

void itest_check(bool ok, const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const char *base = strrchr(file, '/');
	if (!ok)
		fprintf(stderr, "%s:%d: %s\n", base ? base + 1 : file, line, msg);
	if (CU_get_current_test())
		CU_assertImplementation(ok, (unsigned)line, msg, file, "",
					CU_FALSE);
}

void itest_dump(const struct itest_resp *r)
{
	fprintf(stderr,
		"--- status %ld, headers:\n%s--- body (%zu bytes):\n%.2000s\n---\n",
		r->status, r->headers, r->len, r->body);
}

char *itest_fmt(const char *f, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, f);
	int n = vasprintf(&s, f, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return s;
}
