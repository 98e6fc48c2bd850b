/*
 * webdriver.c - W3C WebDriver over HTTP to chromedriver; see webdriver.h.
 *
 * chromedriver is started as a child process on a free loopback port and
 * killed by wd_stop(); Chromium runs headless with a fresh profile and no
 * background networking (this machine has no internet to phone home to).
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "webdriver.h"

#define ELEMENT_KEY "element-6066-11e4-a52e-4f735466cecf"

struct wd {
	pid_t driver;
	int port;
	char session[128];
	char profile[64];
	CURL *curl;
};

struct body {
	char *p;
	size_t n;
};

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
	struct body *b = ud;
	char *q = realloc(b->p, b->n + size * n + 1);
	if (!q)
		return 0;
	memcpy(q + b->n, p, size * n);
	b->n += size * n;
	q[b->n] = '\0';
	b->p = q;
	return size * n;
}

/* One WebDriver command; returns the "value" member (new reference) or
 * NULL on a transport or WebDriver error (printed). */
static json_t *cmd(struct wd *w, const char *method, const char *path,
		   json_t *payload)
{
	char url[512];
	struct body b = {0};
	char *data = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");

	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", w->port, path);
	curl_easy_reset(w->curl);
	curl_easy_setopt(w->curl, CURLOPT_URL, url);
	curl_easy_setopt(w->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(w->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(w->curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(w->curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(w->curl, CURLOPT_TIMEOUT, 60L);
	if (!strcmp(method, "POST"))
		curl_easy_setopt(w->curl, CURLOPT_POSTFIELDS, data ? data : "{}");
	CURLcode rc = curl_easy_perform(w->curl);
	long status = 0;
	curl_easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	free(data);
	json_decref(payload);

	json_t *doc = rc == CURLE_OK && b.p ? json_loads(b.p, 0, NULL) : NULL;
	json_t *value = doc ? json_incref(json_object_get(doc, "value")) : NULL;
	if (rc != CURLE_OK || status != 200 || !value) {
		fprintf(stderr, "webdriver %s %s: %s %ld %s\n", method, path,
			curl_easy_strerror(rc), status, b.p ? b.p : "");
		json_decref(value);
		value = NULL;
	}
	json_decref(doc);
	free(b.p);
	return value;
}

static int free_port(void)
{
	/* chromedriver has no "port 0": one the system has free now (several
	 * browser tests run at once, scripts/check.sh), from the range the
	 * test stacks (18080+, 13307+) do not use when none */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int port = 0;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	if (port)
		return port;
	srand((unsigned)(time(NULL) ^ getpid()));
	return 19500 + rand() % 400;
}

struct wd *wd_start(void)
{
	return wd_start_js(true);
}

struct wd *wd_start_js(bool javascript)
{
	struct wd *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->port = free_port();
	w->curl = curl_easy_init();
	char portarg[32];
	snprintf(portarg, sizeof(portarg), "--port=%d", w->port);
	w->driver = fork();
	if (w->driver == 0) {
		execlp("chromedriver", "chromedriver", portarg, "--silent",
		       (char *)NULL);
		_exit(127);
	}
	/* wait for it to listen */
	json_t *st = NULL;
	for (int i = 0; i < 100 && !st; i++) {
		usleep(100 * 1000);
		struct body b = {0};
		char url[64];
		snprintf(url, sizeof(url), "http://127.0.0.1:%d/status", w->port);
		curl_easy_reset(w->curl);
		curl_easy_setopt(w->curl, CURLOPT_URL, url);
		curl_easy_setopt(w->curl, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(w->curl, CURLOPT_WRITEDATA, &b);
		if (curl_easy_perform(w->curl) == CURLE_OK && b.p)
			st = json_loads(b.p, 0, NULL);
		free(b.p);
	}
	json_decref(st);
	if (!st) {
		fprintf(stderr, "chromedriver did not start\n");
		wd_stop(w);
		return NULL;
	}
	snprintf(w->profile, sizeof(w->profile), "/tmp/hirelink-chromium-XXXXXX");
	if (!mkdtemp(w->profile))
		w->profile[0] = '\0';
	char datadir[96];
	snprintf(datadir, sizeof(datadir), "--user-data-dir=%s", w->profile);
	json_t *caps = json_pack(
		"{s:{s:{s:s, s:{s:s, s:[s,s,s,s,s,s,s,s,s,s]}}}}", "capabilities",
		"alwaysMatch", "browserName", "chrome", "goog:chromeOptions",
		"binary", "/usr/bin/chromium", "args", "--headless=new",
		"--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--window-size=1280,900", datadir);
	/* an installed copy over TLS with a certificate made for the test
	 * (scripts/install-test.sh), which no CA store knows */
	const char *ca = getenv("HIRELINK_TEST_CA");
	json_t *args = json_object_get(
	    json_object_get(json_object_get(json_object_get(caps,
							    "capabilities"),
					    "alwaysMatch"),
			    "goog:chromeOptions"),
	    "args");
	if (ca && *ca && args)
		json_array_append_new(args,
				      json_string("--ignore-certificate-errors"));
	/* JavaScript off, as a user's browser setting would (Chromium's
	 * content setting: page scripts never run; WebDriver's own still do) */
	if (!javascript)
		json_object_set_new(
		    json_object_get(
			json_object_get(json_object_get(caps, "capabilities"),
					"alwaysMatch"),
			"goog:chromeOptions"),
		    "prefs",
		    json_pack("{s:i}",
			      "profile.managed_default_content_settings."
			      "javascript",
			      2));
	json_t *v = cmd(w, "POST", "/session", caps);
	const char *id = json_string_value(json_object_get(v, "sessionId"));
	if (!id) {
		json_decref(v);
		wd_stop(w);
		return NULL;
	}
	snprintf(w->session, sizeof(w->session), "%s", id);
	json_decref(v);
	return w;
}

void wd_stop(struct wd *w)
{
	char path[192];
	if (!w)
		return;
	if (w->session[0]) {
		snprintf(path, sizeof(path), "/session/%s", w->session);
		json_decref(cmd(w, "DELETE", path, NULL));
	}
	if (w->driver > 0) {
		kill(w->driver, SIGTERM);
		waitpid(w->driver, NULL, 0);
	}
	if (w->profile[0]) {
		char rm[128];
		snprintf(rm, sizeof(rm), "rm -rf '%s'", w->profile);
		if (system(rm) != 0)
			fprintf(stderr, "cannot remove %s\n", w->profile);
	}
	curl_easy_cleanup(w->curl);
	free(w);
}

static json_t *scmd(struct wd *w, const char *method, const char *sub,
		    json_t *payload)
{
	char path[512];
	snprintf(path, sizeof(path), "/session/%s%s", w->session, sub);
	return cmd(w, method, path, payload);
}

int wd_go(struct wd *w, const char *url)
{
	json_t *v = scmd(w, "POST", "/url", json_pack("{s:s}", "url", url));
	int rc = v ? 0 : -1;
	json_decref(v);
	return rc;
}

char *wd_find(struct wd *w, const char *css)
{
	json_t *v = scmd(w, "POST", "/element",
			 json_pack("{s:s, s:s}", "using", "css selector", "value", css));
	const char *id = json_string_value(json_object_get(v, ELEMENT_KEY));
	char *r = id ? strdup(id) : NULL;
	json_decref(v);
	return r;
}

int wd_type(struct wd *w, const char *element, const char *text)
{
	char sub[256];
	snprintf(sub, sizeof(sub), "/element/%s/value", element);
	json_t *v = scmd(w, "POST", sub, json_pack("{s:s}", "text", text));
	int rc = v ? 0 : -1;
	json_decref(v);
	return rc;
}

int wd_click(struct wd *w, const char *element)
{
	char sub[256];
	snprintf(sub, sizeof(sub), "/element/%s/click", element);
	json_t *v = scmd(w, "POST", sub, json_object());
	int rc = v ? 0 : -1;
	json_decref(v);
	return rc;
}

int wd_frame(struct wd *w, const char *element)
{
	json_t *id = element ? json_pack("{s:s}", ELEMENT_KEY, element)
			     : json_null();
	json_t *v = scmd(w, "POST", "/frame", json_pack("{s:o}", "id", id));
	int rc = v ? 0 : -1;
	json_decref(v);
	return rc;
}

int wd_window_size(struct wd *w, int width, int height)
{
	json_t *v = scmd(w, "POST", "/window/rect",
			 json_pack("{s:i, s:i}", "width", width, "height",
				   height));
	int rc = v ? 0 : -1;
	json_decref(v);
	return rc;
}

static char *get_string(struct wd *w, const char *sub)
{
	json_t *v = scmd(w, "GET", sub, NULL);
	char *r = json_is_string(v) ? strdup(json_string_value(v)) : NULL;
	json_decref(v);
	return r;
}

char *wd_url(struct wd *w) { return get_string(w, "/url"); }
char *wd_title(struct wd *w) { return get_string(w, "/title"); }

json_t *wd_eval(struct wd *w, const char *script)
{
	return scmd(w, "POST", "/execute/sync",
		    json_pack("{s:s, s:[]}", "script", script, "args"));
}

int wd_viewport(struct wd *w, int width, int height)
{
	json_t *v =
	    width > 0
		? scmd(w, "POST", "/goog/cdp/execute",
		       json_pack("{s:s, s:{s:i, s:i, s:i, s:b}}", "cmd",
				 "Emulation.setDeviceMetricsOverride", "params",
				 "width", width, "height", height,
				 "deviceScaleFactor", 1, "mobile", width < 600))
		: scmd(w, "POST", "/goog/cdp/execute",
		       json_pack("{s:s, s:{}}", "cmd",
				 "Emulation.clearDeviceMetricsOverride",
				 "params"));
	int rc = v ? 0 : -1;
	json_decref(v);
	return rc;
}

bool wd_wait_url(struct wd *w, const char *part, int ms)
{
	for (int t = 0; t <= ms; t += 100) {
		char *u = wd_url(w);
		bool ok = u && strstr(u, part);
		free(u);
		if (ok)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

/* base64 decoding for the screenshot */
static int b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

int wd_screenshot(struct wd *w, const char *path)
{
	json_t *v = scmd(w, "GET", "/screenshot", NULL);
	const char *s = json_string_value(v);
	FILE *f = s ? fopen(path, "wb") : NULL;
	int rc = f ? 0 : -1;
	unsigned acc = 0;
	int bits = 0;
	for (; f && *s; s++) {
		int d = b64((unsigned char)*s);
		if (d < 0)
			continue;
		acc = (acc << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			fputc((int)((acc >> bits) & 0xff), f);
		}
	}
	if (f)
		fclose(f);
	json_decref(v);
	return rc;
}

static void key_event(json_t *acts, const char *type, const char *value)
{
	json_array_append_new(
	    acts, json_pack("{s:s, s:s}", "type", type, "value", value));
}

/* Each UTF-8 character of text pressed and released in turn, while
 * modifier (WD_CTRL ..., or NULL for none) is held; WebDriver's
 * private-use code points, e.g. "\xee\x80\x84" U+E004 Tab, are the
 * special keys. */
int wd_keys_with(struct wd *w, const char *modifier, const char *text)
{
	json_t *acts = json_array();
	if (modifier)
		key_event(acts, "keyDown", modifier);
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		int n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		char ch[5] = {0};
		for (int i = 0; i < n && p[i]; i++)
			ch[i] = (char)p[i];
		p += strlen(ch);
		key_event(acts, "keyDown", ch);
		key_event(acts, "keyUp", ch);
	}
	if (modifier)
		key_event(acts, "keyUp", modifier);
	json_t *v = scmd(w, "POST", "/actions",
			 json_pack("{s:[{s:s, s:s, s:o}]}", "actions", "type",
				   "key", "id", "keyboard", "actions", acts));
	int rc = v ? 0 : -1;
	json_decref(v);
	return rc;
}

int wd_keys(struct wd *w, const char *text)
{
	return wd_keys_with(w, NULL, text);
}

/* stage18: a page without JavaScript, and an element's text */
int wd_javascript(struct wd *w, bool on)
{
	json_t *v = scmd(w, "POST", "/goog/cdp/execute",
			 json_pack("{s:s, s:{s:b}}", "cmd",
				   "Emulation.setScriptExecutionDisabled",
				   "params", "value", !on));
	int rc = v ? 0 : -1;
	json_decref(v);
	return rc;
}

char *wd_text(struct wd *w, const char *element)
{
	char sub[256];
	snprintf(sub, sizeof(sub), "/element/%s/text", element);
	return get_string(w, sub);
}
