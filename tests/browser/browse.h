/*
 * browse.h - what the browser tests share on top of webdriver.h: the one
 * browser of a test program, pages opened and forms used as a person uses
 * them (a click that waits for the next page), waits, screenshots into the
 * test log folder, and signing in to hirelink and to LinkedIn (the
 * sandbox).  A failed step is a failed CHECK naming it.
 */
#ifndef HIRELINK_BROWSE_H
#define HIRELINK_BROWSE_H

#include <stdbool.h>

#include "../integration/itest.h"
#include "webdriver.h"

/* The program's browser: br_wd = wd_start() in a suite's set-up. */
extern struct wd *br_wd;

/* hirelink's and the sandbox's URL of path; new. */
char *br_url(const char *path);
char *br_sandbox(const char *path);
/* Opens url (freed here). */
void br_go(char *url);
/* s as a JavaScript string literal; new. */
char *br_js_str(const char *s);
/* Runs script (freed here) in the page or frame: did it return true? */
bool br_eval_true(char *script);
/* What script returned, as a string ("" when not one); new. */
char *br_eval_string(const char *script);
/* What script returned, as a number (-1 when not one). */
long br_eval_long(const char *script);
/* The page's (or frame's) visible text; new.  br_page_has: holds it? */
char *br_page_text(void);
bool br_page_has(const char *needle);
/* Waits up to ms for an element matching css: its id (new), or NULL. */
char *br_wait_for(const char *css, int ms);
bool br_present(const char *css);
/* The text of the first element matching css; new, "" when none. */
char *br_text_of(const char *css);
/* Clicks the element matching css (waiting up to 3 s for it). */
bool br_click(const char *css);
/* Clicks it and waits for the next page to load: for links and submit
 * buttons. */
bool br_submit(const char *css);
/* Reloads the page and waits for it to load again. */
bool br_reload(void);
/* Types text into the emptied field matching css. */
bool br_type(const char *css, const char *text);
/* Chooses the option whose value or text is choice in the select. */
bool br_choose(const char *css, const char *choice);
/* Ticks the checkbox matching css. */
void br_tick(const char *css);
/* Waits up to ms for the URL to hold part. */
bool br_landed(const char *part, int ms);
/* A PNG of the page as <name>.png in the test log folder. */
void br_shot(const char *name);
/* How far the page reaches past the right edge of the viewport, in CSS
 * pixels: 0 when nothing makes it scroll sideways. */
long br_overflow_px(void);
/* Screenshots <name>-1366.png and <name>-375.png, and checks that nothing
 * scrolls sideways at 375 px; the window's size is then the default. */
void br_both_widths(const char *name);
/* Opens url again every half second until its text holds needle, up to
 * ms: found? */
bool br_reload_until(const char *url, const char *needle, int ms);
/* Signs in to hirelink through its form as p (whoever was in signs out
 * first): on /jobs after it? */
bool br_signin(const struct itest_person *p);
bool br_signin_as(const char *email, const char *password);
/* Signs in to LinkedIn (the sandbox) as member, or out when NULL. */
void br_linkedin_as(const char *member);

#endif
