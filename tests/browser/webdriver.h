/*
 * webdriver.h - a small W3C WebDriver client (libcurl + jansson) that drives
 * headless Chromium through chromedriver, for the browser tests.
 */
#ifndef HIRELINK_WEBDRIVER_H
#define HIRELINK_WEBDRIVER_H

#include <jansson.h>
#include <stdbool.h>

struct wd;

/* Starts chromedriver on a loopback port and opens a headless Chromium
 * session.  NULL (with a message on stderr) when either is missing. */
struct wd *wd_start(void);
void wd_stop(struct wd *w);
/* The same with JavaScript on or off (Chromium's content setting, as a
 * user who turned it off; WebDriver's own scripts still run). */
struct wd *wd_start_js(bool javascript);

int wd_go(struct wd *w, const char *url);
/* The element matching a CSS selector; new string (free()), NULL if none. */
char *wd_find(struct wd *w, const char *css);
int wd_type(struct wd *w, const char *element, const char *text);
int wd_click(struct wd *w, const char *element);
/* Switches into the iframe element (an id from wd_find), or back to the
 * top-level page when element is NULL.  0 or -1. */
int wd_frame(struct wd *w, const char *element);
/* Resizes the browser window (CSS pixels).  0 or -1. */
int wd_window_size(struct wd *w, int width, int height);
/* Current URL / title; new strings. */
char *wd_url(struct wd *w);
char *wd_title(struct wd *w);
/* Runs script (a function body, "return ...") in the page; new reference. */
json_t *wd_eval(struct wd *w, const char *script);
/* Waits up to ms for the current URL to contain part. */
bool wd_wait_url(struct wd *w, const char *part, int ms);
/* Lays the page out as a phone or a desktop of width x height CSS
 * pixels (Chromium's device emulation; "mobile" below 600 px wide);
 * width 0 goes back to the window's size.  0 or -1. */
int wd_viewport(struct wd *w, int width, int height);
/* Writes a PNG screenshot to path. */
int wd_screenshot(struct wd *w, const char *path);
/* Presses and releases each character of text (UTF-8) on the focused
 * element, as a keyboard would; the WD_ keys below are special keys.
 * wd_keys_with holds modifier (WD_CTRL, WD_ALT) meanwhile.  0 or -1. */
#define WD_TAB "\xee\x80\x84"   /* U+E004 */
#define WD_ENTER "\xee\x80\x87" /* U+E007 */
#define WD_ESCAPE "\xee\x80\x8c" /* U+E00C */
#define WD_DOWN "\xee\x80\x95"  /* U+E015 */
#define WD_CTRL "\xee\x80\x89"  /* U+E009 */
#define WD_ALT "\xee\x80\x8a"   /* U+E00A */
int wd_keys(struct wd *w, const char *text);
int wd_keys_with(struct wd *w, const char *modifier, const char *text);

/* Turns the page's JavaScript off (false) or on again, for the pages
 * loaded after (Chromium's Emulation.setScriptExecutionDisabled): what a
 * visitor without JavaScript gets.  0 or -1. */
int wd_javascript(struct wd *w, bool on);
/* The rendered text of an element (an id from wd_find); new string, NULL
 * when it is gone.  Works with JavaScript off. */
char *wd_text(struct wd *w, const char *element);
#endif
