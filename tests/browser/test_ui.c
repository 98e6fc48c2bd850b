/*
 * test_ui.c - hirelink as people use it in a real browser (headless
 * Chromium through chromedriver, webdriver.c), on the real stack:
 *
 *   - axe-core (npm, tests/browser/node_modules/axe-core, fetched by
 *     `make check` when missing) injected into every page each role can
 *     reach (admin, recruiter, hiring manager, interviewer: the pages
 *     found by following the links from their home, the menu and a few
 *     starting points), with no serious or critical violation; the result
 *     of every page is in the log (lines "axe <role> <path>: ...") and in
 *     axe-results.txt beside it;
 *   - JavaScript off: pages render and the main forms submit;
 *   - the main flows by keyboard alone (Tab and Enter);
 *   - a phone's 375 px: no page scrolls sideways, screenshots at 375 and
 *     1366 px kept with the logs (ui-<page>-375.png, ui-<page>-1366.png);
 *   - the skip link, the danger buttons, the centred narrow cards;
 *   - the keyboard shortcuts (static/hirelink.js) and the copy buttons.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"
#include "browse.h"

#define TAG "Ui"

static struct itest_person admin, rec, hm, intv;
static long long job, cand, cand2, app, pool;
static char *job_title, *cand_last;
static char *axe_src;
static FILE *axe_log;
/* Header cells without a name (axe's minor empty-table-header) seen by the
 * walks: a column of buttons still needs one ("Actions", hidden). */
static long empty_headers;

/* Waits for the page at the end of a navigation a click or a key began:
 * the URL contains part (NULL: any) and the document has loaded. */
static bool settled(const char *part)
{
	if (part && !wd_wait_url(br_wd, part, 8000))
		return false;
	for (int i = 0; i < 80; i++) {
		char *st = br_eval_string("return document.readyState;");
		bool done = !strcmp(st, "complete");
		free(st);
		if (done)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

static bool eval_true(const char *script)
{
	return br_eval_true(itest_strdup(script));
}

static void sign_out(void)
{
	br_go(br_url("/jobs"));
	if (br_present("form[action='/logout'] button")) {
		br_click("form[action='/logout'] button");
		wd_wait_url(br_wd, "/login", 5000);
	}
}

/* Signs p in through the form; lands on the page after it. */
static void sign_in(const struct itest_person *p)
{
	br_signin(p);
	CU_ASSERT_TRUE(settled(NULL));
}

static long long id_after(struct itest_resp *r, const char *prefix)
{
	long long id = 0;
	const char *loc = itest_location(r);
	if (loc && !strncmp(loc, prefix, strlen(prefix)))
		id = strtoll(loc + strlen(prefix), NULL, 10);
	return id;
}

/* ------------------------------------------------------------ data */

/* A job with a hiring manager and an interviewer, three candidates on it
 * (one at Interview), a note, a pool: demo-like data made as the
 * recruiter through the app's forms.  0 or -1. */
static int make_data(void)
{
	struct itest_client *c = itest_as(&rec);
	if (!c)
		return -1;
	char *u = itest_unique("ui");
	job_title = itest_fmt("Platform Engineer %s", u);
	cand_last = itest_fmt("Keyboard%s", u);
	free(u);
	struct itest_resp r = itest_post(
	    c, "/jobs", false, rec.csrf, "title", job_title, "location",
	    "Lisbon, Portugal", "description",
	    "Build the platform.\n\nRead first: https://engineering.example.com"
	    "/handbook/platform/on-call-and-incident-response-2026-edition",
	    NULL);
	job = r.status == 303 ? id_after(&r, "/jobs/") : 0;
	itest_resp_free(&r);
	if (!job)
		return -1;
	char *p = itest_fmt("/jobs/%lld/activate", job);
	r = itest_post(c, p, false, rec.csrf, NULL);
	itest_resp_free(&r);
	free(p);
	p = itest_fmt("/jobs/%lld/members", job);
	r = itest_post(c, p, false, rec.csrf, "action", "add", "email", hm.email,
		       "role", "hiring_manager", NULL);
	itest_resp_free(&r);
	r = itest_post(c, p, false, rec.csrf, "action", "add", "email",
		       intv.email, "role", "interviewer", NULL);
	itest_resp_free(&r);
	free(p);

	static const char *firsts[] = {"Noah", "Amara", "Liu"};
	long long ids[3] = {0};
	for (int i = 0; i < 3; i++) {
		char *email = itest_fmt("%s.%s@example.com", firsts[i], cand_last);
		r = itest_post(c, "/candidates", false, rec.csrf, "first_name",
			       firsts[i], "last_name", cand_last, "email",
			       email, "phone", "+351 21 000 0000", NULL);
		ids[i] = r.status == 303 ? id_after(&r, "/candidates/") : 0;
		itest_resp_free(&r);
		free(email);
		if (!ids[i])
			return -1;
		char *cid = itest_fmt("%lld", ids[i]), *jid = itest_fmt("%lld", job);
		r = itest_post(c, "/applications", false, rec.csrf,
			       "candidate_id", cid, "job_id", jid, NULL);
		itest_resp_free(&r);
		free(cid);
		free(jid);
	}
	cand = ids[0];
	cand2 = ids[1];
	app = itest_sql_int("SELECT id FROM applications WHERE candidate_id = "
			    "%lld AND job_id = %lld",
			    cand, job);
	/* the third at Interview, where interviewers see it */
	long long interview = itest_sql_int(
	    "SELECT id FROM job_stages WHERE job_id = %lld AND kind = "
	    "'interview' ORDER BY position LIMIT 1",
	    job);
	char *up = itest_fmt("UPDATE applications SET stage_id = %lld WHERE "
			     "candidate_id = %lld AND job_id = %lld",
			     interview, ids[2], job);
	itest_sql(up);
	free(up);
	p = itest_fmt("/candidates/%lld/notes", cand);
	r = itest_post(c, p, false, rec.csrf, "body",
		       "Strong on distributed systems; wants to relocate.",
		       "public", "1", NULL);
	itest_resp_free(&r);
	free(p);
	char *pname = itest_fmt("Platform shortlist %s", cand_last);
	r = itest_post(c, "/pools", false, rec.csrf, "name", pname, NULL);
	pool = r.status == 303 ? id_after(&r, "/pools/") : 0;
	itest_resp_free(&r);
	free(pname);
	if (pool) {
		p = itest_fmt("/pools/%lld/members", pool);
		for (int i = 0; i < 2; i++) {
			char *cid = itest_fmt("%lld", ids[i]);
			r = itest_post(c, p, false, rec.csrf, "action", "add",
				       "candidate_id", cid, NULL);
			itest_resp_free(&r);
			free(cid);
		}
		free(p);
	}
	return app && pool ? 0 : -1;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = n > 0 ? malloc((size_t)n + 1) : NULL;
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = '\0';
	fclose(f);
	return s;
}

/* ------------------------------------------------------------ axe */

/* Runs axe-core on the page; prints one line for it and returns the
 * number of serious and critical violations (-1: axe did not run). */
static long axe_page(const char *role, const char *path)
{
	json_t *ok = wd_eval(br_wd, axe_src);
	json_decref(ok);
	json_t *v = wd_eval(
	    br_wd, "if (!window.axe) return null;"
		   "return axe.run(document, {resultTypes: ['violations']})"
		   ".then(function (r) { return r.violations.map(function (v) {"
		   "  return {id: v.id, impact: v.impact || 'minor', n: "
		   "v.nodes.length,"
		   "   where: v.nodes.slice(0, 3).map(function (x) {"
		   "     return x.target.join(' '); }).join(', ')}; }); });");
	if (!json_is_array(v)) {
		fprintf(stderr, "axe %s %s: axe did not run\n", role, path);
		json_decref(v);
		return -1;
	}
	long bad = 0;
	char other[1024] = "", worst[2048] = "";
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		const char *imp = json_string_value(json_object_get(x, "impact"));
		const char *id = json_string_value(json_object_get(x, "id"));
		long n = (long)json_integer_value(json_object_get(x, "n"));
		bool serious = imp && (!strcmp(imp, "serious") ||
				       !strcmp(imp, "critical"));
		if (id && !strcmp(id, "empty-table-header"))
			empty_headers += n;
		char *buf = serious ? worst : other;
		size_t cap = serious ? sizeof(worst) : sizeof(other);
		size_t len = strlen(buf);
		if (serious) {
			bad++;
			snprintf(buf + len, cap - len, "%s%s/%s x%ld [%s]",
				 len ? "; " : "", id, imp, n,
				 json_string_value(json_object_get(x, "where")));
		} else {
			snprintf(buf + len, cap - len, "%s%s/%s x%ld",
				 len ? ", " : "", id, imp, n);
		}
	}
	char line[4096];
	snprintf(line, sizeof(line),
		 "axe %-14s %-40s serious+critical: %ld%s%s%s; minor+moderate: "
		 "%zu%s%s\n",
		 role, path, bad, bad ? " (" : "", worst, bad ? ")" : "",
		 json_array_size(v) - (size_t)bad, *other ? " " : "", other);
	fputs(line, stdout);
	if (axe_log)
		fputs(line, axe_log);
	json_decref(v);
	return bad;
}

/* s with each run of digits as N, appended to o; past it. */
static char *numbers_as_n(char *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			*o++ = 'N';
			while (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
				i++;
		} else {
			*o++ = s[i];
		}
	}
	return o;
}

/* The page's key for "seen": the path with numbers as N, and its query.
 * A query that says where the page was opened from (job=: a candidate
 * seen from a job's stage; return_to=) makes one more page of a route,
 * whatever else it says: /candidates/N?tab=notes&job=N is
 * /candidates/N?job=N on the notes tab, which /candidates/N?tab=notes
 * shows already (the job's bar is the same on every tab). */
static char *page_key(const char *path)
{
	static const char *context[] = {"job", "return_to"};
	size_t len = strlen(path), plen = strcspn(path, "?");
	char *k = malloc(len + 32), *o = numbers_as_n(k, path, plen);
	bool ctx = false;
	for (const char *p = path + plen; *p;) {
		p++; /* past '?' or '&' */
		size_t n = strcspn(p, "&"), name = strcspn(p, "=&?");
		for (size_t i = 0; i < ARRAY_LEN(context) && !ctx; i++)
			ctx = name == strlen(context[i]) &&
			      !strncmp(p, context[i], name);
		p += n;
	}
	if (ctx)
		o += sprintf(o, " (opened from elsewhere)");
	else
		o = numbers_as_n(o, path + plen, len - plen);
	*o = '\0';
	return k;
}

static bool skipped(const char *path)
{
	static const char *no[] = {
	    "/attachments/", "/settings/linkedin/connect",
	    "/settings/linkedin/callback", "/logout", "/static/", "/healthz",
	    "/metrics", "/linkedin/notifications", "/login", "/careers/",
	    "/undo",
	};
	for (size_t i = 0; i < ARRAY_LEN(no); i++)
		if (!strncmp(path, no[i], strlen(no[i])))
			return true;
	return false;
}

#define MAX_PAGES 70

/* Walks every page p can reach from the seeds by following links, runs
 * axe on each; the serious and critical violations found in all. */
static long axe_walk(const char *role, const struct itest_person *p,
		     const char *const *seeds)
{
	char *queue[MAX_PAGES * 4];
	char *keys[MAX_PAGES * 4];
	size_t nq = 0, nk = 0, visited = 0;
	long bad = 0;

	sign_in(p);
	for (; *seeds && nq < ARRAY_LEN(queue); seeds++) {
		queue[nq++] = itest_strdup(*seeds);
		keys[nk++] = page_key(*seeds);
	}
	for (size_t i = 0; i < nq && visited < MAX_PAGES; i++) {
		br_go(br_url(queue[i]));
		settled(NULL);
		char *here = br_eval_string(
		    "return location.pathname + location.search;");
		if (here && !strncmp(here, "/login", 6)) {
			free(here);
			continue; /* not signed in any more: a bug */
		}
		visited++;
		long b = axe_page(role, queue[i]);
		CU_ASSERT_EQUAL(b, 0);
		if (b > 0)
			bad += b;
		free(here);
		/* the links on it, same origin, not yet seen */
		json_t *links = wd_eval(
		    br_wd,
		    "return Array.from(document.querySelectorAll('a[href]'))"
		    ".filter(function (a) { return a.origin === "
		    "location.origin; })"
		    ".map(function (a) { return a.pathname + a.search; });");
		size_t j;
		json_t *l;
		json_array_foreach(links, j, l)
		{
			const char *path = json_string_value(l);
			if (!path || skipped(path) || nq >= ARRAY_LEN(queue))
				continue;
			char *k = page_key(path);
			bool seen = false;
			for (size_t m = 0; m < nk && !seen; m++)
				seen = !strcmp(keys[m], k);
			if (seen) {
				free(k);
				continue;
			}
			keys[nk++] = k;
			queue[nq++] = itest_strdup(path);
		}
		json_decref(links);
	}
	printf("axe %s: %zu pages, %ld serious or critical violations\n", role,
	       visited, bad);
	if (axe_log)
		fprintf(axe_log, "axe %s: %zu pages, %ld serious or critical "
				 "violations\n",
			role, visited, bad);
	for (size_t i = 0; i < nq; i++)
		free(queue[i]);
	for (size_t i = 0; i < nk; i++)
		free(keys[i]);
	return bad;
}

/* axe does see a page's faults: an image without a text alternative and
 * a button without a name (added to a real page) are serious or worse. */
static void axe_reports_what_it_should(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(axe_src);
	sign_in(&rec);
	br_go(br_url("/jobs"));
	CU_ASSERT_EQUAL(axe_page("control", "/jobs (as served)"), 0);
	json_t *v =
	    wd_eval(br_wd, "var m = document.getElementById('main');"
			   "m.appendChild(document.createElement('img'));"
			   "m.appendChild(document.createElement('button'));"
			   "return true;");
	json_decref(v);
	CU_ASSERT_EQUAL(axe_page("control", "/jobs (+img, +button)"), 2);
}

static void axe_finds_nothing_serious_for_the_admin(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(axe_src);
	/* with the LinkedIn integration set up, as an admin runs it: its
	 * page shows every section */
	struct itest_resp r = itest_li_enable(itest_as(&admin), NULL);
	CU_ASSERT_EQUAL(r.status, 303);
	itest_resp_free(&r);
	itest_li_settings_settle();
	char *j = itest_fmt("/jobs/%lld", job), *k = itest_fmt("/candidates/%lld", cand);
	char *a = itest_fmt("/applications/%lld", app), *p = itest_fmt("/pools/%lld", pool);
	char *d = itest_fmt("/candidates/%lld/delete", cand);
	const char *seeds[] = {"/", "/jobs", "/jobs/new", j, "/candidates",
			       "/candidates/new", k, a, d, "/pools", p,
			       "/admin/users", "/settings/user",
			       "/settings/user?tab=password",
			       "/settings/user?tab=connections", "/admin/linkedin",
			       "/admin/linkedin/outbox", "/admin/linkedin/events",
			       "/admin/linkedin/closed", NULL};
	CU_ASSERT_EQUAL(axe_walk("admin", &admin, seeds), 0);
	free(j), free(k), free(a), free(p), free(d);
}

static void axe_finds_nothing_serious_for_the_recruiter(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(axe_src);
	char *j = itest_fmt("/jobs/%lld", job), *k = itest_fmt("/candidates/%lld", cand);
	char *a = itest_fmt("/applications/%lld", app), *p = itest_fmt("/pools/%lld", pool);
	const char *seeds[] = {"/", "/jobs", j, "/candidates", k, a, "/pools",
			       p, "/settings/user?tab=connections", NULL};
	CU_ASSERT_EQUAL(axe_walk("recruiter", &rec, seeds), 0);
	free(j), free(k), free(a), free(p);
}

static void axe_finds_nothing_serious_for_the_hiring_manager(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(axe_src);
	char *j = itest_fmt("/jobs/%lld", job), *k = itest_fmt("/candidates/%lld", cand);
	const char *seeds[] = {"/", "/jobs", j, "/candidates", k,
			       "/settings/user", NULL};
	CU_ASSERT_EQUAL(axe_walk("hiring_manager", &hm, seeds), 0);
	free(j), free(k);
}

static void axe_finds_nothing_serious_for_the_interviewer(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(axe_src);
	char *j = itest_fmt("/jobs/%lld", job);
	const char *seeds[] = {"/", "/jobs", j, "/candidates", "/settings/user",
			       NULL};
	CU_ASSERT_EQUAL(axe_walk("interviewer", &intv, seeds), 0);
	free(j);
	/* the four walks named every header cell (the job's members, a
	 * pool's members, Feedback due) */
	CU_ASSERT_EQUAL(empty_headers, 0);
}

static void axe_finds_nothing_serious_signed_out(void)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(axe_src);
	sign_out();
	br_go(br_url("/login"));
	CU_ASSERT_EQUAL(axe_page("signed-out", "/login"), 0);
	char *c = itest_fmt("/careers/J-%05lld", job);
	br_go(br_url(c));
	CU_ASSERT_EQUAL(axe_page("signed-out", c), 0);
	free(c);
}

/* ------------------------------------------------------------ 375 px */

struct phone_page {
	const char *name;
	char *path;
	const struct itest_person *who;
};

/* The page at 375 and 1366 px: nothing scrolls sideways at 375, the menu's
 * links are all on screen; a screenshot of each. */
static void fits(const struct phone_page *pg)
{
	CU_ASSERT_EQUAL(wd_viewport(br_wd, 375, 800), 0);
	br_go(br_url(pg->path));
	settled(NULL);
	long over = br_overflow_px();
	if (over != 0) {
		char *wide = br_eval_string(
		    "var w = document.documentElement.clientWidth,"
		    " out = [];"
		    "document.querySelectorAll('body *').forEach("
		    "function (e) { var r = e.getBoundingClientRect();"
		    " if (r.right > w + 1 && out.length < 5) out.push("
		    "e.tagName + '.' + e.className + ' ' + "
		    "Math.round(r.right)); });"
		    "return out.join('; ');");
		fprintf(stderr, "%s (%s) at 375 px: %ld px too wide: %s\n",
			pg->name, pg->path, over, wide ? wide : "");
		free(wide);
	}
	CU_ASSERT_EQUAL(over, 0);
	/* every link of the menu can be tapped: on screen, not hidden */
	CU_ASSERT_TRUE(eval_true(
	    "var w = document.documentElement.clientWidth;"
	    "var ls = document.querySelectorAll('nav.sidenav a');"
	    "return ls.length > 0 && Array.from(ls).every(function (a) {"
	    " var r = a.getBoundingClientRect();"
	    " return r.width > 0 && r.height >= 24 && r.left >= 0 && r.right <= w; });"));
	char name[128];
	snprintf(name, sizeof(name), "ui-%s-375", pg->name);
	br_shot(name);
	CU_ASSERT_EQUAL(wd_viewport(br_wd, 1366, 900), 0);
	br_go(br_url(pg->path));
	settled(NULL);
	CU_ASSERT_EQUAL(br_overflow_px(), 0);
	snprintf(name, sizeof(name), "ui-%s-1366", pg->name);
	br_shot(name);
	wd_viewport(br_wd, 0, 0);
}

static void pages_fit_a_phone_and_a_desktop(void)
{
	struct phone_page pages[] = {
	    {"jobs", itest_fmt("/jobs"), &rec},
	    {"job", itest_fmt("/jobs/%lld", job), &rec},
	    {"candidate", itest_fmt("/candidates/%lld", cand), &rec},
	    {"candidate-notes", itest_fmt("/candidates/%lld?tab=notes", cand), &rec},
	    {"application", itest_fmt("/applications/%lld", app), &rec},
	    {"pool", itest_fmt("/pools/%lld", pool), &rec},
	    {"pools", itest_fmt("/pools"), &rec},
	    {"candidates", itest_fmt("/candidates"), &rec},
	    {"settings", itest_fmt("/settings/user"), &rec},
	    {"admin-linkedin", itest_fmt("/admin/linkedin"), &admin},
	    {"admin-users", itest_fmt("/admin/users"), &admin},
	    {"job-interviewer", itest_fmt("/jobs/%lld", job), &intv},
	};
	const struct itest_person *who = NULL;
	for (size_t i = 0; i < ARRAY_LEN(pages); i++) {
		if (pages[i].who != who) {
			wd_viewport(br_wd, 0, 0);
			sign_in(pages[i].who);
			who = pages[i].who;
		}
		fits(&pages[i]);
		free(pages[i].path);
	}
}

/* The admin's menu has LinkedIn, and at 375 px it is a tap away. */
static void linkedin_is_in_the_admins_menu_on_a_phone(void)
{
	sign_in(&admin);
	CU_ASSERT_EQUAL(wd_viewport(br_wd, 375, 800), 0);
	br_go(br_url("/jobs"));
	br_click("nav.sidenav a[href='/admin/linkedin']");
	CU_ASSERT_TRUE(settled("/admin/linkedin"));
	char *h1 =
	    br_eval_string("return document.querySelector('h1').textContent;");
	CU_ASSERT_STRING_EQUAL(h1 ? h1 : "", "LinkedIn integration");
	free(h1);
	wd_viewport(br_wd, 0, 0);
}

/* ------------------------------------------------------------ looks */

/* The cards meant to be narrow are, and centred in the page; danger
 * buttons are white on red, not red on blue. */
static void narrow_cards_are_centred_and_danger_buttons_readable(void)
{
	sign_in(&rec);
	CU_ASSERT_EQUAL(wd_viewport(br_wd, 1366, 900), 0);
	br_go(br_url("/settings/user"));
	CU_ASSERT_TRUE(eval_true(
	    "var c = document.querySelector('main section.card.narrow');"
	    "if (!c) return false;"
	    "var m = document.querySelector('main'), cs = getComputedStyle(m);"
	    "var mr = m.getBoundingClientRect(), r = c.getBoundingClientRect();"
	    "var left = r.left - mr.left - parseFloat(cs.paddingLeft);"
	    "var right = mr.right - parseFloat(cs.paddingRight) - r.right;"
	    "return r.width <= 421 && Math.abs(left - right) <= 2;"));
	wd_viewport(br_wd, 0, 0);
	sign_in(&admin);
	char *d = itest_fmt("/candidates/%lld/delete", cand2);
	br_go(br_url(d));
	free(d);
	char *bg = br_eval_string(
	    "var b = document.querySelector('main button.danger');"
	    "if (!b) return '';"
	    "var s = getComputedStyle(b); return s.backgroundColor + '|' + "
	    "s.color;");
	CU_ASSERT_STRING_EQUAL(bg ? bg : "", "rgb(179, 38, 30)|rgb(255, 255, 255)");
	free(bg);
}

/* The first Tab reaches "Skip to content"; Enter takes the focus to the
 * page's main part, past the menu. */
static void skip_link_is_the_first_tab_stop(void)
{
	sign_in(&rec);
	br_go(br_url("/jobs"));
	CU_ASSERT_EQUAL(wd_keys(br_wd, WD_TAB), 0);
	char *t = br_eval_string("var a = document.activeElement;"
				 "return a.className + '|' + a.textContent;");
	CU_ASSERT_STRING_EQUAL(t ? t : "", "skip-link|Skip to content");
	free(t);
	CU_ASSERT_TRUE(eval_true("var r = document.activeElement"
				 ".getBoundingClientRect(); return r.top >= 0;"));
	CU_ASSERT_EQUAL(wd_keys(br_wd, WD_ENTER), 0);
	usleep(200 * 1000);
	char *u = wd_url(br_wd);
	CU_ASSERT_PTR_NOT_NULL(u ? strstr(u, "#main") : NULL);
	free(u);
	CU_ASSERT_TRUE(eval_true("return document.activeElement.id === 'main';"));
}

/* ------------------------------------------------------------ keyboard */

/* Presses Tab until the focused element matches css; false after max. */
static bool tab_to(const char *css, int max)
{
	char *q = itest_fmt("return document.activeElement && "
			    "document.activeElement.matches(\"%s\");",
			    css);
	bool there = false;
	for (int i = 0; i < max && !there; i++) {
		wd_keys(br_wd, WD_TAB);
		json_t *v = wd_eval(br_wd, q);
		there = json_is_true(v);
		json_decref(v);
	}
	free(q);
	return there;
}

/* Sign in, find and open the job, open a candidate, move the
 * application: Tab, typing and Enter only. */
static void main_flows_by_keyboard_alone(void)
{
	sign_out();
	br_go(br_url("/login"));
	CU_ASSERT_TRUE_FATAL(tab_to("input[name=email]", 10));
	wd_keys(br_wd, rec.email);
	CU_ASSERT_TRUE_FATAL(tab_to("input[name=password]", 3));
	wd_keys(br_wd, rec.password);
	wd_keys(br_wd, WD_ENTER);
	CU_ASSERT_TRUE_FATAL(settled(NULL));
	br_go(br_url("/jobs"));
	/* the jobs list's search box, then the job's link */
	CU_ASSERT_TRUE_FATAL(tab_to("main input[type=search]", 30));
	wd_keys(br_wd, job_title);
	wd_keys(br_wd, WD_ENTER);
	CU_ASSERT_TRUE(settled("q="));
	char *sel = itest_fmt("main a[href='/jobs/%lld']", job);
	CU_ASSERT_TRUE_FATAL(tab_to(sel, 60));
	free(sel);
	wd_keys(br_wd, WD_ENTER);
	char *jp = itest_fmt("/jobs/%lld", job);
	CU_ASSERT_TRUE_FATAL(settled(jp));
	free(jp);
	br_shot("ui-keyboard-job");
	/* a candidate of the job, from its page */
	sel = itest_fmt("main a[href^='/candidates/%lld']", cand);
	CU_ASSERT_TRUE_FATAL(tab_to(sel, 150));
	free(sel);
	wd_keys(br_wd, WD_ENTER);
	char *cp = itest_fmt("/candidates/%lld", cand);
	CU_ASSERT_TRUE_FATAL(settled(cp));
	free(cp);
	br_shot("ui-keyboard-candidate");
	/* move the application one stage on: the Move form's list, Down,
	 * then its button */
	long long before = itest_sql_int(
	    "SELECT stage_id FROM applications WHERE id = %lld", app);
	if (!br_present("form[action$='/move'] select[name=stage_id]")) {
		char *ap = itest_fmt("/applications/%lld", app);
		br_go(br_url(ap));
		free(ap);
	}
	CU_ASSERT_TRUE_FATAL(
	    tab_to("form[action$='/move'] select[name=stage_id]", 150));
	wd_keys(br_wd, WD_DOWN);
	CU_ASSERT_TRUE_FATAL(
	    tab_to("form[action$='/move'] button[type=submit], "
		   "form[action$='/move'] button:not([type])",
		   5));
	wd_keys(br_wd, WD_ENTER);
	settled(NULL);
	long long after = 0;
	for (int i = 0; i < 30; i++) {
		after = itest_sql_int(
		    "SELECT stage_id FROM applications WHERE id = %lld", app);
		if (after != before)
			break;
		usleep(100 * 1000);
	}
	CU_ASSERT_NOT_EQUAL(after, before);
	br_shot("ui-keyboard-moved");
}

/* ------------------------------------------------------------ shortcuts */

static char *active_desc(void)
{
	return br_eval_string(
	    "var a = document.activeElement;"
	    "return a.tagName + (a.type ? '/' + a.type : '');");
}

static void keyboard_shortcuts_work_and_never_while_typing(void)
{
	sign_in(&rec);
	br_go(br_url("/candidates"));
	settled(NULL);
	/* the script is there and offers the sheet */
	CU_ASSERT_TRUE(eval_true("return !!document.querySelector('.shortcuts-open');"));
	/* ? opens the sheet, Escape closes it */
	wd_keys(br_wd, "?");
	CU_ASSERT_TRUE(eval_true("var d = document.getElementById('shortcuts');"
				 "return !!d && d.open;"));
	char *txt = br_eval_string(
	    "return document.getElementById('shortcuts').innerText;");
	CU_ASSERT_PTR_NOT_NULL(txt && strstr(txt, "Go to Jobs"));
	CU_ASSERT_PTR_NOT_NULL(txt && strstr(txt, "Go to Candidates"));
	free(txt);
	br_shot("ui-shortcuts-sheet");
	wd_keys(br_wd, WD_ESCAPE);
	CU_ASSERT_TRUE(eval_true("return !document.getElementById('shortcuts').open;"));

	/* j / k move through the list's rows; Enter opens the row */
	wd_keys(br_wd, "j");
	wd_keys(br_wd, "j");
	CU_ASSERT_TRUE(eval_true(
	    "var rs = Array.from(document.querySelectorAll('main table.list tbody tr'))"
	    ".filter(function (r) { return r.querySelector('a[href]'); });"
	    "return rs.length < 2 || rs[1].classList.contains('kbd-current');"));
	wd_keys(br_wd, "k");
	char *href = br_eval_string(
	    "var r = document.querySelector('tr.kbd-current');"
	    "return r ? r.querySelector('a[href]').getAttribute('href') : '';");
	CU_ASSERT_PTR_NOT_NULL_FATAL(href);
	CU_ASSERT_TRUE(!strncmp(href, "/candidates/", 12));
	wd_keys(br_wd, WD_ENTER);
	CU_ASSERT_TRUE(settled(href));
	free(href);

	/* g j: Jobs; g c: Candidates */
	wd_keys(br_wd, "gj");
	CU_ASSERT_TRUE(settled("/jobs"));
	wd_keys(br_wd, "gc");
	CU_ASSERT_TRUE(settled("/candidates"));
	/* / focuses the search box */
	wd_keys(br_wd, "/");
	char *a = active_desc();
	CU_ASSERT_STRING_EQUAL(a ? a : "", "INPUT/search");
	free(a);
	/* typing there is typing: g j stays in the box */
	wd_keys(br_wd, "gj?");
	usleep(300 * 1000);
	char *u = wd_url(br_wd);
	CU_ASSERT_PTR_NULL(u ? strstr(u, "/jobs") : "no url");
	free(u);
	char *val = br_eval_string("return document.activeElement.value;");
	CU_ASSERT_PTR_NOT_NULL(val && strstr(val, "gj?"));
	free(val);
	CU_ASSERT_TRUE(eval_true("var d = document.getElementById('shortcuts');"
				 "return !d || !d.open;"));
	/* with a modifier held, nothing either */
	br_go(br_url("/candidates"));
	settled(NULL);
	wd_keys_with(br_wd, WD_ALT, "j");
	CU_ASSERT_TRUE(eval_true("return !document.querySelector('.kbd-current');"));
	wd_keys_with(br_wd, WD_CTRL, "/");
	a = active_desc();
	CU_ASSERT_STRING_NOT_EQUAL(a ? a : "", "INPUT/search");
	free(a);
	/* / on a page without a search box goes to the candidates' one */
	char *jp = itest_fmt("/candidates/%lld", cand);
	br_go(br_url(jp));
	free(jp);
	settled(NULL);
	wd_keys(br_wd, "/");
	CU_ASSERT_TRUE(settled("/candidates#search"));
	usleep(200 * 1000);
	a = active_desc();
	CU_ASSERT_STRING_EQUAL(a ? a : "", "INPUT/search");
	free(a);
}

/* /admin/linkedin's URLs: a Copy button each (with JavaScript), the URL
 * in a read-only input that can be selected either way. */
static void linkedin_urls_have_copy_buttons(void)
{
	sign_in(&admin);
	br_go(br_url("/admin/linkedin"));
	settled(NULL);
	CU_ASSERT_TRUE(eval_true(
	    "var b = document.querySelector('button.copy[data-copy=url-callback]');"
	    "return !!b && !b.hidden && b.getBoundingClientRect().width > 0;"));
	char *want = br_eval_string(
	    "return document.getElementById('url-callback').value;");
	CU_ASSERT_PTR_NOT_NULL(want && strstr(want, "/linkedin/notifications"));
	free(want);
	br_click("button.copy[data-copy=url-callback]");
	char *said = NULL;
	for (int i = 0; i < 20; i++) {
		free(said);
		said = br_eval_string(
		    "var s = document.querySelector('.copy-field .copied');"
		    "return s ? s.textContent : '';");
		if (said && *said)
			break;
		usleep(100 * 1000);
	}
	CU_ASSERT_PTR_NOT_NULL(said && (strstr(said, "Copied") || strstr(said, "Selected")));
	free(said);
	br_shot("ui-admin-linkedin-copy");
}

/* ------------------------------------------------------------ JS off */

/* The browser without JavaScript, br_wd while its test runs, and the
 * one with it meanwhile. */
static struct wd *nojs, *with_js;

/* The program's browser is the one with JavaScript again. */
static void javascript_on(void)
{
	if (nojs) {
		br_wd = with_js;
		wd_stop(nojs);
		nojs = NULL;
	}
}

/* Without JavaScript: no script ran (no "?" button, no Copy button), the
 * pages render, and the main forms submit: sign in, search, a new
 * candidate, a note, moving an application, a pool. */
static void every_page_works_with_javascript_off(void)
{
	nojs = wd_start_js(false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(nojs);
	with_js = br_wd;
	br_wd = nojs;
	br_go(br_url("/login"));
	br_type("input[name=email]", rec.email);
	br_type("input[name=password]", rec.password);
	br_click("form[action='/login'] button[type=submit]");
	if (!settled(NULL)) {
		CU_FAIL("signed in without JavaScript");
		goto out;
	}
	CU_ASSERT_EQUAL(br_eval_long("return document.querySelectorAll("
				     "'.shortcuts-open').length;"),
			0);
	/* every page renders: a heading, no error page */
	char *pages[] = {
	    itest_fmt("/"),
	    itest_fmt("/jobs"),
	    itest_fmt("/jobs/%lld", job),
	    itest_fmt("/candidates"),
	    itest_fmt("/candidates/new"),
	    itest_fmt("/candidates/%lld", cand2),
	    itest_fmt("/candidates/%lld?tab=notes", cand2),
	    itest_fmt("/applications/%lld", app),
	    itest_fmt("/pools"),
	    itest_fmt("/pools/%lld", pool),
	    itest_fmt("/jobs/new"),
	    itest_fmt("/settings/user"),
	    itest_fmt("/settings/user?tab=connections"),
	};
	for (size_t i = 0; i < ARRAY_LEN(pages); i++) {
		br_go(br_url(pages[i]));
		char *h = br_eval_string(
		    "var h = document.querySelector('main h1, main h2');"
		    "return (h ? h.textContent : '') + '|' + "
		    "(document.querySelector('.error-page') ? 'error' : '');");
		printf("js-off %s: %s\n", pages[i], h ? h : "(none)");
		CU_ASSERT_TRUE(h && h[0] != '|' && !strstr(h, "|error"));
		free(h);
		free(pages[i]);
	}
	/* a new candidate through the form */
	br_go(br_url("/candidates/new"));
	br_type("input[name=first_name]", "Nojs");
	br_type("input[name=last_name]", cand_last);
	char *email = itest_fmt("nojs.%s@example.com", cand_last);
	br_type("input[name=email]", email);
	free(email);
	br_click("main form[action='/candidates'] button[type=submit]");
	CU_ASSERT_TRUE(settled("/candidates/"));
	long long made = itest_sql_int(
	    "SELECT COUNT(*) FROM candidates WHERE first_name = 'Nojs' AND "
	    "last_name = '%s'",
	    cand_last);
	CU_ASSERT_EQUAL(made, 1);
	br_shot("ui-nojs-candidate");
	/* a note on it */
	char *u = wd_url(br_wd);
	char *notes = u ? itest_fmt("%s?tab=notes", strstr(u, "/candidates/")) : NULL;
	free(u);
	if (!notes) {
		CU_FAIL("the new candidate's page");
		goto out;
	}
	char *q = strchr(notes, '?');
	if (q != strrchr(notes, '?')) /* the URL had a query already */
		*strrchr(notes, '?') = '\0';
	br_go(br_url(notes));
	free(notes);
	char *body = itest_fmt("Typed with JavaScript off (%s).", cand_last);
	br_type("form.note-form textarea[name=body]", body);
	br_click("form.note-form button[type=submit]");
	settled(NULL);
	CU_ASSERT_EQUAL(itest_sql_int("SELECT COUNT(*) FROM notes WHERE body = "
				      "'%s'",
				      body),
			1);
	free(body);
	/* the search form */
	br_go(br_url("/candidates"));
	br_type("main input[type=search]", cand_last);
	br_click("main form[role=search] button[type=submit], "
		 "main form[role=search] button");
	CU_ASSERT_TRUE(settled("q="));
	CU_ASSERT_TRUE(br_eval_long("return document.querySelectorAll("
				    "'main table.list tbody tr').length;") >=
		       3);
	/* moving an application */
	char *ap = itest_fmt("/applications/%lld", app);
	br_go(br_url(ap));
	free(ap);
	long long before = itest_sql_int(
	    "SELECT stage_id FROM applications WHERE id = %lld", app);
	json_t *v = wd_eval(
	    br_wd, "var s = document.querySelector(\"form[action$='/move'] "
		   "select[name=stage_id]\");"
		   "if (!s) return false;"
		   "s.selectedIndex = (s.selectedIndex + 1) % s.options.length;"
		   "return true;");
	CU_ASSERT_TRUE(json_is_true(v));
	json_decref(v);
	br_click("form[action$='/move'] button");
	settled(NULL);
	CU_ASSERT_NOT_EQUAL(itest_sql_int("SELECT stage_id FROM applications "
					  "WHERE id = %lld",
					  app),
			    before);
	/* a pool */
	br_go(br_url("/pools"));
	char *pn = itest_fmt("Nojs pool %s", cand_last);
	br_type("main form[action='/pools'] input[name=name]", pn);
	br_click("main form[action='/pools'] button");
	CU_ASSERT_TRUE(settled("/pools/"));
	CU_ASSERT_EQUAL(itest_sql_int("SELECT COUNT(*) FROM talent_pools WHERE name = '%s'", pn),
			1);
	free(pn);
	/* the admin's copy fields: no button, the URL selectable */
	sign_in(&admin);
	br_go(br_url("/admin/linkedin"));
	CU_ASSERT_EQUAL(br_eval_long("var b = document.querySelector("
				     "'button.copy'); return b && b.hidden "
				     "? 1 : 0;"),
			1);
	CU_ASSERT_EQUAL(br_eval_long("var i = document.getElementById("
				     "'url-callback'); return i && i.readOnly "
				     "&& i.value.length > 10 ? 1 : 0;"),
			1);
	br_shot("ui-nojs-admin-linkedin");
out:
	javascript_on();
}

/* ------------------------------------------------------------ suite */

static int suite_init(void)
{
	if (itest_person_add(&admin, "ada", TAG, "admin", "none") ||
	    itest_person_add(&rec, "rita", TAG, "recruiter", "recruiter") ||
	    itest_person_add(&hm, "hans", TAG, "hiring_manager",
			     "hiring_manager") ||
	    itest_person_add(&intv, "ivy", TAG, "interviewer", "none"))
		return 1;
	if (make_data() != 0) {
		fprintf(stderr, "test_ui: the data was not made\n");
		return 1;
	}
	const char *axe = getenv("HIRELINK_AXE");
	axe_src = read_file(axe && *axe ? axe
					: "tests/browser/node_modules/axe-core/"
					  "axe.min.js");
	if (!axe_src)
		fprintf(stderr, "test_ui: axe-core is missing (npm install "
				"--prefix tests/browser axe-core; make check "
				"does it)\n");
	const char *dir = getenv("HIRELINK_TEST_LOGS");
	char *p = itest_fmt("%s/axe-results.txt", dir ? dir : "/tmp");
	axe_log = fopen(p, "w");
	free(p);
	br_wd = wd_start();
	return br_wd ? 0 : 1;
}

static int suite_clean(void)
{
	javascript_on();
	wd_stop(br_wd);
	/* LinkedIn set up but off, as the programs after this one expect */
	itest_li_leave_off(itest_as(&admin));
	if (axe_log)
		fclose(axe_log);
	free(axe_src);
	free(job_title);
	free(cand_last);
	itest_person_free(&admin);
	itest_person_free(&rec);
	itest_person_free(&hm);
	itest_person_free(&intv);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(pages_fit_a_phone_and_a_desktop),
	    TEST(linkedin_is_in_the_admins_menu_on_a_phone),
	    TEST(narrow_cards_are_centred_and_danger_buttons_readable),
	    TEST(skip_link_is_the_first_tab_stop),
	    TEST(keyboard_shortcuts_work_and_never_while_typing),
	    TEST(linkedin_urls_have_copy_buttons),
	    TEST(main_flows_by_keyboard_alone),
	    TEST(every_page_works_with_javascript_off),
	    TEST(axe_reports_what_it_should),
	    TEST(axe_finds_nothing_serious_signed_out),
	    TEST(axe_finds_nothing_serious_for_the_admin),
	    TEST(axe_finds_nothing_serious_for_the_recruiter),
	    TEST(axe_finds_nothing_serious_for_the_hiring_manager),
	    TEST(axe_finds_nothing_serious_for_the_interviewer),
	};
	static const struct suite suites[] = {
	    SUITE("ui", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
