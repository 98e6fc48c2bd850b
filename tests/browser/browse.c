/*
 * browse.c - what the browser tests share on top of webdriver.h; see
 * browse.h.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "browse.h"

struct wd *br_wd;

char *br_url(const char *path)
{
	return itest_fmt("%s%s", itest_base_url(), path);
}

char *br_sandbox(const char *path)
{
	return itest_fmt("%s%s", itest_sandbox_url(), path);
}

void br_go(char *u /* freed */)
{
	CHECK(wd_go(br_wd, u) == 0, "the browser opens %s", u);
	free(u);
}

/* s as a JavaScript string literal; new. */
char *br_js_str(const char *s)
{
	json_t *v = json_string(s);
	char *out = json_dumps(v, JSON_ENCODE_ANY);
	json_decref(v);
	return out ? out : itest_strdup("''");
}

bool br_eval_true(char *script /* freed */)
{
	json_t *v = wd_eval(br_wd, script);
	bool ok = json_is_true(v);
	json_decref(v);
	free(script);
	return ok;
}

char *br_eval_string(const char *script)
{
	json_t *v = wd_eval(br_wd, script);
	char *s = itest_strdup(json_is_string(v) ? json_string_value(v) : "");
	json_decref(v);
	return s;
}

long br_eval_long(const char *script)
{
	json_t *v = wd_eval(br_wd, script);
	long n = json_is_integer(v) ? (long)json_integer_value(v) : -1;
	json_decref(v);
	return n;
}

/* The visible text of the page (or the frame the browser is in); new. */
char *br_page_text(void)
{
	return br_eval_string("return document.body ? document.body.innerText "
			   ": '';");
}

bool br_page_has(const char *needle)
{
	char *t = br_page_text();
	bool ok = strstr(t, needle) != NULL;
	free(t);
	return ok;
}

/* Waits up to ms for an element matching css: its id (new), or NULL. */
char *br_wait_for(const char *css, int ms)
{
	for (int t = 0; t <= ms; t += 100) {
		char *e = wd_find(br_wd, css);
		if (e)
			return e;
		usleep(100 * 1000);
	}
	return NULL;
}

bool br_present(const char *css)
{
	/* in the page, not through WebDriver's find: no "no such element"
	 * on stderr when there is none */
	char *q = br_js_str(css);
	bool ok = br_eval_true(
	    itest_fmt("return !!document.querySelector(%s);", q));
	free(q);
	return ok;
}

char *br_text_of(const char *css)
{
	char *q = br_js_str(css);
	char *js = itest_fmt("var e = document.querySelector(%s);"
			     "return e ? e.textContent : '';",
			     q);
	char *s = br_eval_string(js);
	free(js);
	free(q);
	return s;
}

/* Clicks the element matching css, as a user does: false when none. */
bool br_click(const char *css)
{
	char *e = br_wait_for(css, 3000);
	/* in the middle of the window, as a person scrolls to it: not under
	 * the message that stays at the top (#notice is sticky) */
	if (e) {
		char *q = br_js_str(css);
		br_eval_true(itest_fmt("var e = document.querySelector(%s);"
				       "if (e) e.scrollIntoView({block: "
				       "'center'}); return true;",
				       q));
		free(q);
	}
	bool ok = e && wd_click(br_wd, e) == 0;
	CHECK(ok, "click %s", css);
	free(e);
	return ok;
}

/* Waits up to 15 s for the page marked window.__story_old to be gone and
 * the new one loaded: did it come? */
static bool fresh_page(void)
{
	for (int t = 0; t < 150; t++) {
		json_t *v = wd_eval(br_wd, "return window.__story_old === undefined "
					"&& document.readyState === 'complete';");
		bool fresh = json_is_true(v);
		json_decref(v);
		if (fresh)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

/* Clicks the element matching css and waits for the next page to load
 * (the old document gone, the new one complete): false when it did not. */
bool br_submit(const char *css)
{
	br_eval_true(itest_strdup("window.__story_old = true; return true;"));
	if (!br_click(css))
		return false;
	bool ok = fresh_page();
	CHECK(ok, "a new page after clicking %s", css);
	return ok;
}

bool br_reload(void)
{
	br_eval_true(itest_strdup("window.__story_old = true; "
				  "setTimeout(function () { location.reload(); "
				  "}, 0); return true;"));
	bool ok = fresh_page();
	CHECK(ok, "the page again after a reload");
	return ok;
}

/* Types text into the (emptied) field matching css. */
bool br_type(const char *css, const char *text)
{
	char *e = br_wait_for(css, 3000);
	char *q = br_js_str(css);
	bool ok = e &&
		  br_eval_true(itest_fmt("var e = document.querySelector(%s); "
				      "e.value = ''; return true;",
				      q)) &&
		  wd_type(br_wd, e, text) == 0;
	CHECK(ok, "type into %s", css);
	free(q);
	free(e);
	return ok;
}

/* Chooses the option whose value (or, failing that, text) is choice in
 * the select matching css. */
bool br_choose(const char *css, const char *choice)
{
	char *q = br_js_str(css), *v = br_js_str(choice);
	bool ok = br_eval_true(itest_fmt(
	    "var s = document.querySelector(%s); if (!s) return false;"
	    "for (var o of s.options) if (o.value === %s || "
	    "o.text.trim() === %s) { s.value = o.value; return true; }"
	    "return false;",
	    q, v, v));
	CHECK(ok, "choose %s in %s", choice, css);
	free(q);
	free(v);
	return ok;
}

void br_tick(const char *css)
{
	char *q = br_js_str(css);
	CHECK(br_eval_true(itest_fmt("var e = document.querySelector(%s);"
				  "if (!e) return false; e.checked = true;"
				  "return true;",
				  q)),
	      "tick %s", css);
	free(q);
}

/* Waits up to ms for the current URL to hold part (after a click). */
bool br_landed(const char *part, int ms)
{
	bool ok = wd_wait_url(br_wd, part, ms);
	if (!ok) {
		char *u = wd_url(br_wd);
		CHECK(ok, "the browser reached %s (it is at %s)", part,
		      u ? u : "?");
		free(u);
	}
	return ok;
}

void br_shot(const char *name)
{
	char path[512];
	const char *dir = getenv("HIRELINK_TEST_LOGS");
	snprintf(path, sizeof(path), "%s/%s.png", dir ? dir : "/tmp", name);
	wd_screenshot(br_wd, path);
}

long br_overflow_px(void)
{
	return br_eval_long("var d = document.documentElement;"
			    "return d.scrollWidth - d.clientWidth;");
}

void br_both_widths(const char *name)
{
	char n[128];
	CHECK(wd_viewport(br_wd, 1366, 900) == 0, "a 1366 px window");
	snprintf(n, sizeof(n), "%s-1366", name);
	br_shot(n);
	CHECK(wd_viewport(br_wd, 375, 800) == 0, "a 375 px window");
	long px = br_overflow_px();
	CHECK(px == 0, "%s scrolls %ld px sideways at 375", name, px);
	snprintf(n, sizeof(n), "%s-375", name);
	br_shot(n);
	wd_viewport(br_wd, 0, 0);
}

/* Reloads the page until its text holds needle, up to ms: found? */
bool br_reload_until(const char *page, const char *needle, int ms)
{
	for (int t = 0; t <= ms; t += 500) {
		br_go(itest_strdup(page));
		if (br_page_has(needle))
			return true;
		usleep(500 * 1000);
	}
	return false;
}

/* Signs the browser in to hirelink as p through the sign-in form (signing
 * out whoever was in first). */
bool br_signin(const struct itest_person *p)
{
	return br_signin_as(p->email, p->password);
}

bool br_signin_as(const char *email, const char *password)
{
	br_go(br_url("/login"));
	if (br_present("form[action='/logout'] button"))
		br_submit("form[action='/logout'] button");
	br_type("form[action='/login'] input[name=email]", email);
	br_type("form[action='/login'] input[name=password]", password);
	br_submit("form[action='/login'] button[type=submit]");
	/* each role's home (issue 18): Feedback due for an interviewer,
	 * Needs review for a hiring manager, the jobs list for the others */
	bool ok = false;
	for (int t = 0; t < 50 && !ok; t++) {
		char *u = wd_url(br_wd);
		ok = u && (strstr(u, "/jobs") || strstr(u, "/review") ||
			   strstr(u, "/feedback"));
		free(u);
		if (!ok)
			usleep(100 * 1000);
	}
	CHECK(ok, "signed in to hirelink as %s", email);
	return ok;
}

/* Signs the browser in to LinkedIn (the sandbox) as member, or out when
 * member is NULL. */
void br_linkedin_as(const char *member)
{
	/* LinkedIn's sign-in page offers Sign out to whoever is in */
	br_go(br_sandbox("/login?next=/"));
	if (br_present("form[action='/logout'] button"))
		br_submit("form[action='/logout'] button");
	if (!member)
		return;
	/* ?member= offers a member without a seat too */
	br_go(itest_fmt("%s/login?next=/&member=%s", itest_sandbox_url(), member));
	br_choose("form[action='/login'] select[name=member]", member);
	br_submit("form[action='/login'] button[type=submit]");
	for (int t = 0; t < 50; t++) {
		char *u = wd_url(br_wd);
		bool done = u && !strstr(u, "/login");
		free(u);
		if (done)
			break;
		usleep(100 * 1000);
	}
}

