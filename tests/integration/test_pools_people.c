/*
 * test_pools_people.c - end-to-end tests of talent pools (F5), the people
 * an admin manages (F6), user settings and the demo organisation, through
 * nginx.
 *
 * Each test is named after what a recruiter, an admin or a user does or
 * sees.  The program makes its own users and candidates, with names unique
 * to the run, so it can run again on the same stack.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

/* ------------------------------------------------------------ fixture */

static char *run_id;
static struct itest_person adele; /* admin */
static struct itest_person rex;	  /* recruiter */
static struct itest_person iris;  /* interviewer */

static int suite_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id)
		return -1;
	if (itest_person_add(&adele, "adele", "People", "admin", "none") < 0 ||
	    itest_person_add(&rex, "rex", "People", "recruiter", "recruiter") <
		0 ||
	    itest_person_add(&iris, "iris", "People", "interviewer", "none") <
		0) {
		fprintf(stderr, "cannot create the test users\n");
		return -1;
	}
	return 0;
}

static int suite_clean(void)
{
	itest_person_free(&adele);
	itest_person_free(&rex);
	itest_person_free(&iris);
	free(run_id);
	return 0;
}

/* Creates a pool as c; returns its id (0 on failure). */
static long long create_pool(struct itest_client *c, const char *name)
{
	char *t = itest_csrf_of(c, "/pools");
	struct itest_resp r =
	    itest_post(c, "/pools", false, t, "name", name, NULL);
	CHECK_STATUS(r, 303, "POST /pools");
	long long id = 0;
	const char *loc = itest_location(&r);
	if (!strncmp(loc, "/pools/", 7))
		id = strtoll(loc + 7, NULL, 10);
	CHECK(id > 0, "create pool: Location \"%s\"", loc);
	itest_resp_free(&r);
	free(t);
	return id;
}

/* Inserts n candidates named "<first> <last-prefix><i>"; their ids, in
 * insertion order, into ids.  Returns n or -1. */
static long make_candidates(const char *tag, long n, long long *ids)
{
	struct buf q = BUF_INIT;
	buf_adds(&q, "INSERT INTO candidates (first_name, last_name, email, "
		     "headline) VALUES ");
	for (long i = 0; i < n; i++)
		buf_addf(
		    &q,
		    "%s('Cand%ld', '%s%s', '%s.%ld.%s@itest.hirelink.test', "
		    "'Tester')",
		    i ? ", " : "", i, tag, run_id, tag, i, run_id);
	int rc = buf_failed(&q) ? -1 : itest_sql(q.data);
	buf_release(&q);
	if (rc != 0)
		return -1;
	return itest_sql_ints(
	    ids, (size_t)n,
	    "SELECT id FROM candidates WHERE last_name = '%s%s' "
	    "ORDER BY id",
	    tag, run_id);
}

static char *path_f(const char *fmt, ...) PRINTF_LIKE(1, 2);
static char *path_f(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b, NULL);
}

/* ------------------------------------------------------------ pools */

static void recruiter_creates_a_pool_and_sees_it_listed(void)
{
	struct itest_client *c = itest_signed_in(&rex);
	char *name = path_f("Shortlist %s", run_id);
	long long id = create_pool(c, name);

	struct itest_resp r = itest_get(c, "/pools", false);
	CHECK_STATUS(r, 200, "GET /pools");
	CHECK_HAS(r, name, "the list names the new pool");
	char *link = path_f("href=\"/pools/%lld\"", id);
	CHECK_HAS(r, link, "the list links to the pool");
	CHECK_HAS(r, ">LinkedIn</a> <span class=\"status system\"",
		  "the LinkedIn pool is marked as the system's");
	itest_resp_free(&r);

	char *p = path_f("/pools/%lld", id);
	r = itest_get(c, p, false);
	CHECK_STATUS(r, 200, "GET /pools/{id}");
	CHECK_HAS(r, name, "the pool page names the pool");
	CHECK_HAS(r, "No candidates in this pool yet", "a new pool is empty");
	itest_resp_free(&r);
	free(p);
	free(link);
	free(name);
	itest_client_free(c);
}

/* What a POST did is said once, on the page its redirect lands on, to the
 * session that did it and to no other; a notice no handler signed is not
 * shown. */
static void a_notice_after_a_post_shows_once_and_only_to_its_session(void)
{
	struct itest_client *c = itest_signed_in(&rex);
	char *name = path_f("Notice <b>%s</b>", run_id);
	char *said = path_f("Created the pool Notice &lt;b&gt;%s&lt;/b&gt;.",
			    run_id);
	long long id = create_pool(c, name);
	char *cookie = itest_cookie(c, "hl_notice");
	CHECK(cookie && *cookie, "the POST's redirect keeps the notice");

	char *p = path_f("/pools/%lld", id);
	struct itest_resp r = itest_get(c, p, false);
	CHECK_STATUS(r, 200, "GET the pool after creating it");
	CHECK_HAS(r, "class=\"notice success\"", "the notice shows");
	CHECK_HAS(r, said, "it says what happened, escaped");
	itest_resp_free(&r);
	r = itest_get(c, p, false);
	CHECK_LACKS(r, "notice success", "a reload does not show it again");
	itest_resp_free(&r);

	/* another user's session: the cookie is not theirs */
	struct itest_client *o = itest_signed_in(&adele);
	itest_set_cookie(o, "hl_notice", cookie);
	r = itest_get(o, "/pools", false);
	CHECK_STATUS(r, 200, "GET /pools as another user");
	CHECK_LACKS(r, "notice success", "another session's notice is not shown");
	itest_resp_free(&r);

	/* a forged one: the payload changed under the same MAC */
	char *forged = itest_strdup(cookie);
	forged[1] = forged[1] == '0' ? '1' : '0';
	itest_set_cookie(c, "hl_notice", forged);
	r = itest_get(c, "/pools", false);
	CHECK_LACKS(r, "notice success", "a changed notice is not shown");
	itest_resp_free(&r);

	free(forged);
	itest_client_free(o);
	free(p);
	free(cookie);
	free(said);
	free(name);
	itest_client_free(c);
}

static void duplicate_pool_name_is_409_with_a_clear_message(void)
{
	struct itest_client *c = itest_signed_in(&rex);
	char *name = path_f("Twice %s", run_id);
	create_pool(c, name);
	char *t = itest_csrf_of(c, "/pools");
	struct itest_resp r =
	    itest_post(c, "/pools", false, t, "name", name, NULL);
	CHECK_STATUS(r, 409, "the same name again");
	CHECK_HAS(r, "already exists", "the page says why");
	itest_resp_free(&r);

	r = itest_post(c, "/pools", false, t, "name", "   ", NULL);
	CHECK_STATUS(r, 400, "a blank name");
	CHECK_HAS(r, "<strong>Name</strong>", "the page names the field");
	itest_resp_free(&r);
	free(t);
	free(name);
	itest_client_free(c);
}

static void recruiter_adds_and_removes_members(void)
{
	struct itest_client *c = itest_signed_in(&rex);
	long long ids[2];
	char *name = path_f("Members %s", run_id);
	long long pool = create_pool(c, name);
	CHECK(make_candidates("Addrm", 2, ids) == 2, "two candidates made");
	char *p = path_f("/pools/%lld", pool);
	char *mp = path_f("/pools/%lld/members", pool);
	char *cid = path_f("%lld", ids[0]);
	char *link = path_f("href=\"/candidates/%lld\"", ids[0]);
	char *t = itest_csrf_of(c, p);

	/* finding the candidate by name offers them with a checkbox and an
	 * Add button of their own */
	char *find = path_f("/pools/%lld?q=Addrm%s", pool, run_id);
	char *offer = path_f(
	    "type=\"checkbox\" name=\"candidate_id\" value=\"%lld\"", ids[0]);
	struct itest_resp f = itest_get(c, find, false);
	CHECK_STATUS(f, 200, "search for candidates to add");
	CHECK_HAS(f, offer, "the search offers the candidate");
	itest_resp_free(&f);
	/* as the candidate search finds: "first last" and the email's start */
	char *by[] = {path_f("/pools/%lld?q=Cand0%%20Addrm%s", pool, run_id),
		      path_f("/pools/%lld?q=addrm.0.%s%%40", pool, run_id)};
	for (size_t i = 0; i < 2; i++) {
		f = itest_get(c, by[i], false);
		CHECK_HAS(f, offer, by[i]);
		itest_resp_free(&f);
		free(by[i]);
	}
	/* spaces around the name, as pasted, find the same */
	char *padded =
	    path_f("/pools/%lld?q=%%20%%20Addrm%s%%20", pool, run_id);
	f = itest_get(c, padded, false);
	CHECK_HAS(f, offer, "a search with spaces around the name");
	itest_resp_free(&f);
	free(padded);

	for (int i = 0; i < 2; i++) {
		struct itest_resp r =
		    itest_post(c, mp, false, t, "action", "add", "candidate_id",
			       cid, NULL);
		CHECK_STATUS(r, 303,
			     i ? "adding again is harmless" : "add a member");
		itest_resp_free(&r);
	}
	struct itest_resp r = itest_get(c, p, false);
	CHECK_HAS(r, link, "the member links to the candidate page");
	CHECK(itest_count(r.body, link) == 1,
	      "the member is listed once, not %zu times",
	      itest_count(r.body, link));
	CHECK_HAS(r, "1 members", "the count says 1");
	itest_resp_free(&r);
	f = itest_get(c, find, false);
	CHECK_LACKS(f, offer, "a member is no longer offered");
	itest_resp_free(&f);
	free(offer);
	free(find);

	CHECK(itest_sql_int("SELECT COUNT(*) FROM pool_members WHERE pool_id = "
			    "%lld",
			    pool) == 1,
	      "one membership row");

	r = itest_post(c, mp, false, t, "action", "remove", "candidate_id", cid,
		       NULL);
	CHECK_STATUS(r, 303, "remove the member");
	itest_resp_free(&r);
	r = itest_get(c, p, false);
	CHECK_LACKS(r, link, "the removed member is gone");
	itest_resp_free(&r);

	r = itest_post(c, mp, false, t, "action", "add", "candidate_id",
		       "999999999", NULL);
	CHECK_STATUS(r, 400, "an unknown candidate");
	CHECK_HAS(r, "<strong>Candidate</strong>",
		  "the page names the field by its label");
	itest_resp_free(&r);
	r = itest_post(c, mp, false, t, "action", "steal", "candidate_id", cid,
		       NULL);
	CHECK_STATUS(r, 400, "an unknown action");
	itest_resp_free(&r);
	free(t);
	free(link);
	free(cid);
	free(mp);
	free(p);
	free(name);
	itest_client_free(c);
}

static void pool_of_60_shows_50_then_10_newest_first(void)
{
	struct itest_client *c = itest_signed_in(&rex);
	long long ids[60];
	char *name = path_f("Sixty %s", run_id);
	long long pool = create_pool(c, name);
	CHECK(make_candidates("Sixty", 60, ids) == 60, "sixty candidates made");
	char *mp = path_f("/pools/%lld/members", pool);
	char *p = path_f("/pools/%lld", pool);
	char *t = itest_csrf_of(c, p);
	for (int i = 0; i < 60; i++) {
		char cid[32];
		snprintf(cid, sizeof cid, "%lld", ids[i]);
		struct itest_resp r =
		    itest_post(c, mp, false, t, "action", "add", "candidate_id",
			       cid, NULL);
		if (r.status != 303)
			CHECK_STATUS(r, 303, "add one of sixty");
		itest_resp_free(&r);
	}

	struct itest_resp r = itest_get(c, p, false);
	CHECK_STATUS(r, 200, "page 1");
	CHECK(itest_count(r.body, "href=\"/candidates/") == 50,
	      "page 1 lists %zu members, want 50",
	      itest_count(r.body, "href=\"/candidates/"));
	char *newest = path_f("href=\"/candidates/%lld\"", ids[59]);
	char *oldest = path_f("href=\"/candidates/%lld\"", ids[0]);
	char *next = path_f("href=\"/pools/%lld?page=2\"", pool);
	CHECK_HAS(r, newest, "the last added is on page 1");
	CHECK_LACKS(r, oldest, "the first added is not on page 1");
	CHECK_HAS(r, next, "page 1 links to page 2");
	/* newest first: the last added comes before the one added before */
	char *second = path_f("href=\"/candidates/%lld\"", ids[58]);
	const char *a = strstr(r.body, newest), *b = strstr(r.body, second);
	CHECK(a && b && a < b, "newest first");
	itest_resp_free(&r);

	char *p2 = path_f("/pools/%lld?page=2", pool);
	r = itest_get(c, p2, false);
	CHECK(itest_count(r.body, "href=\"/candidates/") == 10,
	      "page 2 lists %zu members, want 10",
	      itest_count(r.body, "href=\"/candidates/"));
	CHECK_HAS(r, oldest, "the first added is on page 2");
	itest_resp_free(&r);

	long st = 0;
	char *p3 = path_f("/pools/%lld?page=3", pool);
	json_t *j = itest_get_json(c, p3, &st);
	CHECK(st == 200, "page past the end: status %ld", st);
	CHECK(j && json_array_size(json_object_get(j, "members")) == 0,
	      "page 3 is empty");
	CHECK(j && json_integer_value(json_object_get(j, "total")) == 60,
	      "the total is still 60");
	json_decref(j);
	r = itest_get(c, p3, false);
	CHECK_STATUS(r, 303, "page 3 as HTML: the last page instead");
	CHECK(strstr(itest_location(&r), "page=2") != NULL, "page 2: %s",
	      itest_location(&r));
	itest_resp_free(&r);

	r = itest_get(c, "/pools", false);
	char *row = path_f("/pools/%lld\">", pool);
	char *after = row ? strstr(r.body, row) : NULL;
	char *cnt = after ? strstr(after, "member-count\">") : NULL;
	CHECK(cnt && !strncmp(cnt + 14, "60<", 3),
	      "the list counts 60 members");
	itest_resp_free(&r);
	free(row);
	free(p3);
	free(p2);
	free(second);
	free(next);
	free(oldest);
	free(newest);
	free(t);
	free(p);
	free(mp);
	free(name);
	itest_client_free(c);
}

static void linkedin_pool_cannot_be_renamed_or_deleted(void)
{
	struct itest_client *c = itest_signed_in(&rex);
	long long id = itest_sql_int("SELECT id FROM talent_pools WHERE kind = "
				     "'linkedin'");
	CHECK(id > 0, "the LinkedIn pool exists");
	char *p = path_f("/pools/%lld", id);
	char *dp = path_f("/pools/%lld/delete", id);
	char *t = itest_csrf_of(c, p);

	struct itest_resp r =
	    itest_post(c, p, false, t, "name", "Mine now", NULL);
	CHECK_STATUS(r, 409, "rename the LinkedIn pool");
	CHECK_HAS(r, "The LinkedIn pool is managed by the system",
		  "the page says why");
	itest_resp_free(&r);
	r = itest_post(c, dp, false, t, NULL);
	CHECK_STATUS(r, 409, "delete the LinkedIn pool");
	CHECK_HAS(r, "The LinkedIn pool is managed by the system",
		  "the page says why");
	itest_resp_free(&r);

	long long cand[1];
	CHECK(make_candidates("Lipool", 1, cand) == 1, "a candidate made");
	char *mp = path_f("/pools/%lld/members", id);
	char *cs = path_f("%lld", cand[0]);
	r = itest_post(c, mp, false, t, "action", "add", "candidate_id", cs,
		       NULL);
	CHECK_STATUS(r, 409, "add a member to the LinkedIn pool by hand");
	CHECK_HAS(r, "The LinkedIn pool is managed by the system",
		  "the page says why");
	itest_resp_free(&r);
	free(cs);
	free(mp);

	r = itest_get(c, p, false);
	CHECK_STATUS(r, 200, "the LinkedIn pool is still there");
	CHECK_HAS(r, "<h1>LinkedIn</h1>", "still called LinkedIn");
	CHECK_LACKS(r, "Rename</button>", "no rename form is offered");
	itest_resp_free(&r);
	free(t);
	free(dp);
	free(p);
	itest_client_free(c);
}

static void recruiter_renames_and_deletes_a_pool(void)
{
	struct itest_client *c = itest_signed_in(&rex);
	char *name = path_f("Old name %s", run_id);
	char *renamed = path_f("New name %s", run_id);
	long long id = create_pool(c, name);
	char *p = path_f("/pools/%lld", id);
	char *dp = path_f("/pools/%lld/delete", id);
	char *t = itest_csrf_of(c, p);

	struct itest_resp r = itest_post(c, p, false, t, "name", renamed, NULL);
	CHECK_STATUS(r, 303, "rename");
	itest_resp_free(&r);
	r = itest_get(c, p, false);
	CHECK_HAS(r, renamed, "the new name shows");
	itest_resp_free(&r);
	r = itest_post(c, dp, false, t, NULL);
	CHECK_STATUS(r, 303, "delete");
	CHECK(!strcmp(itest_location(&r), "/pools"), "back to the list");
	itest_resp_free(&r);
	r = itest_get(c, p, false);
	CHECK_STATUS(r, 404, "the deleted pool is gone");
	itest_resp_free(&r);
	CHECK(itest_sql_int(
		  "SELECT COUNT(*) FROM audit_log WHERE entity = 'pool' "
		  "AND entity_id = %lld AND action IN ('pool.create', "
		  "'pool.rename', 'pool.delete')",
		  id) == 3,
	      "create, rename and delete are audited");
	free(t);
	free(dp);
	free(p);
	free(renamed);
	free(name);
	itest_client_free(c);
}

static void interviewer_gets_403_on_pools(void)
{
	struct itest_client *c = itest_signed_in(&iris);
	struct itest_resp r = itest_get(c, "/jobs", false);
	CHECK_LACKS(r, "href=\"/pools\"", "no Talent pools link to follow");
	itest_resp_free(&r);
	r = itest_get(c, "/pools", false);
	CHECK_STATUS(r, 403, "GET /pools as an interviewer");
	itest_resp_free(&r);
	char *t = itest_csrf_of(c, "/jobs");
	r = itest_post(c, "/pools", false, t, "name", "Nope", NULL);
	CHECK_STATUS(r, 403, "POST /pools as an interviewer");
	itest_resp_free(&r);
	free(t);
	itest_client_free(c);
}

static void pool_name_with_markup_is_escaped(void)
{
	struct itest_client *c = itest_signed_in(&rex);
	char *name = path_f("<script>alert('%s')</script>", run_id);
	long long id = create_pool(c, name);
	struct itest_resp r = itest_get(c, "/pools", false);
	CHECK_LACKS(r, "<script>alert(", "no raw script in the list");
	CHECK_HAS(r, "&lt;script&gt;alert(", "the name is shown escaped");
	itest_resp_free(&r);
	char *p = path_f("/pools/%lld", id);
	r = itest_get(c, p, false);
	CHECK_LACKS(r, "<script>alert(", "no raw script on the pool page");
	CHECK_HAS(r, "&lt;script&gt;alert(", "escaped on the pool page");
	itest_resp_free(&r);
	free(p);
	free(name);
	itest_client_free(c);
}

/* The candidate page's overview names the pools the candidate is in, by
 * name, whatever the names hold (read with the candidate in one query). */
static void candidate_overview_names_its_pools(void)
{
	struct itest_client *c = itest_signed_in(&rex);
	long long ids[1];
	char *n1 = path_f("Zz pool, a:b <i>%s</i>", run_id);
	char *n2 = path_f("Aa pool %s", run_id);
	long long p1 = create_pool(c, n1), p2 = create_pool(c, n2);
	CHECK(make_candidates("Ovpools", 1, ids) == 1, "a candidate made");
	char *path = path_f("/candidates/%lld", ids[0]);
	long st = 0;
	json_t *j = itest_get_json(c, path, &st);
	CHECK(st == 200 && json_array_size(json_object_get(j, "pools")) == 0,
	      "in no pool yet");
	json_decref(j);
	long long pools[] = {p1, p2};
	for (size_t i = 0; i < 2; i++) {
		char *mp = path_f("/pools/%lld/members", pools[i]);
		char *pp = path_f("/pools/%lld", pools[i]);
		char *cid = path_f("%lld", ids[0]);
		char *t = itest_csrf_of(c, pp);
		struct itest_resp r =
		    itest_post(c, mp, false, t, "action", "add", "candidate_id",
			       cid, NULL);
		CHECK_STATUS(r, 303, "add to a pool");
		itest_resp_free(&r);
		free(t);
		free(cid);
		free(pp);
		free(mp);
	}
	j = itest_get_json(c, path, &st);
	json_t *pv = json_object_get(j, "pools");
	CHECK(st == 200 && json_array_size(pv) == 2, "in 2 pools");
	if (json_array_size(pv) == 2) {
		json_t *a = json_array_get(pv, 0), *b = json_array_get(pv, 1);
		CHECK(json_integer_value(json_object_get(a, "id")) == p2 &&
			  !strcmp(json_string_value(json_object_get(a, "name"))
				      ?: "",
				  n2),
		      "the first by name is \"%s\"", n2);
		CHECK(json_integer_value(json_object_get(b, "id")) == p1 &&
			  !strcmp(json_string_value(json_object_get(b, "name"))
				      ?: "",
				  n1),
		      "the second keeps its name verbatim: \"%s\"", n1);
		CHECK(json_is_false(json_object_get(a, "system")),
		      "a user pool is not the system's");
	}
	json_decref(j);
	struct itest_resp r = itest_get(c, path, false);
	CHECK_HAS(r, "Zz pool, a:b &lt;i&gt;", "the HTML names it escaped");
	itest_resp_free(&r);
	free(path);
	free(n2);
	free(n1);
	itest_client_free(c);
}

/* ------------------------------------------------------------ people */

/* "/admin/users?q=<s escaped>"; new */
static char *people_url(const char *q)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "/admin/users?q=");
	buf_add_url(&b, q, strlen(q));
	char *s = buf_detach(&b, NULL);
	return s ? s : itest_strdup("/admin/users");
}

/* The id of the user with that email, from the admin's list as JSON. */
static long long user_id(struct itest_client *admin, const char *email)
{
	long st = 0;
	long long id = 0;
	char *url = people_url(email);
	json_t *j = itest_get_json(admin, url, &st);
	free(url);
	json_t *u;
	size_t i;
	json_array_foreach(json_object_get(j, "users"), i, u)
	{
		const char *e = json_string_value(json_object_get(u, "email"));
		if (e && !strcmp(e, email))
			id = json_integer_value(json_object_get(u, "id"));
	}
	json_decref(j);
	CHECK(id > 0, "%s is in the admin's list (status %ld)", email, st);
	return id;
}

/* The admin creates a user; returns 0 or -1. */
static int admin_creates(struct itest_client *admin, const char *email,
			 const char *name, const char *role, const char *seat,
			 const char *password)
{
	char *t = itest_csrf_of(admin, "/admin/users");
	struct itest_resp r = itest_post(
	    admin, "/admin/users", false, t, "email", email, "name", name,
	    "role", role, "seat", seat, "password", password, NULL);
	CHECK_STATUS(r, 303, "POST /admin/users");
	int rc = r.status == 303 ? 0 : -1;
	itest_resp_free(&r);
	free(t);
	return rc;
}

static void admin_creates_a_user_who_can_sign_in(void)
{
	struct itest_client *admin = itest_signed_in(&adele);
	char *email = path_f("newbie.%s@itest.hirelink.test", run_id);
	char *name = path_f("Newbie People%s", run_id);
	admin_creates(admin, email, name, "recruiter", "recruiter",
		      "first password 1");
	char *found = people_url(email);
	struct itest_resp r = itest_get(admin, found, false);
	CHECK_STATUS(r, 200, "GET /admin/users?q=");
	CHECK_HAS(r, "href=\"/admin/users\" class=\"active\"",
		  "the admin's navigation has People, current");
	CHECK_HAS(r, email, "the list shows the new user");
	itest_resp_free(&r);
	free(found);

	struct itest_client *c = itest_client_new(NULL);
	CHECK(itest_login(c, email, "first password 1") == 303,
	      "the new user signs in");
	itest_client_free(c);

	char *t = itest_csrf_of(admin, "/admin/users");
	r = itest_post(admin, "/admin/users", false, t, "email", email, "name",
		       name, "role", "recruiter", "seat", "none", "password",
		       "another password", NULL);
	CHECK_STATUS(r, 409, "the same email again");
	itest_resp_free(&r);
	char *email2 = path_f("short.%s@itest.hirelink.test", run_id);
	r = itest_post(admin, "/admin/users", false, t, "email", email2, "name",
		       name, "role", "recruiter", "seat", "none", "password",
		       "short", NULL);
	CHECK_STATUS(r, 400, "a 5-character password");
	CHECK_HAS(r, "<strong>Password</strong>", "the page names the field");
	CHECK_HAS(r, email2, "the form keeps the email typed");
	itest_resp_free(&r);
	CHECK(itest_sql_int(
		  "SELECT COUNT(*) FROM audit_log a JOIN users u ON "
		  "u.id = a.entity_id WHERE a.action = 'user.create' AND "
		  "u.email = '%s'",
		  email) == 1,
	      "the creation is audited");
	free(email2);
	free(t);
	free(name);
	free(email);
	itest_client_free(admin);
}

static void admin_changes_role_and_seat(void)
{
	struct itest_client *admin = itest_signed_in(&adele);
	char *email = path_f("changer.%s@itest.hirelink.test", run_id);
	admin_creates(admin, email, "Changer", "recruiter", "none",
		      "changer password");
	long long id = user_id(admin, email);
	struct itest_client *c = itest_signed_in_as(email, "changer password");
	struct itest_resp r = itest_get(c, "/pools", false);
	CHECK_STATUS(r, 200, "a recruiter sees pools");
	itest_resp_free(&r);

	char *p = path_f("/admin/users/%lld", id);
	char *t = itest_csrf_of(admin, "/admin/users");
	r = itest_post(admin, p, false, t, "role", "interviewer", "seat",
		       "hiring_manager", NULL);
	CHECK_STATUS(r, 303, "change role and seat");
	itest_resp_free(&r);

	long st = 0;
	char *url = people_url(email);
	json_t *j = itest_get_json(admin, url, &st);
	free(url);
	json_t *u;
	size_t i;
	bool seen = false;
	json_array_foreach(json_object_get(j, "users"), i, u)
	{
		if (json_integer_value(json_object_get(u, "id")) != id)
			continue;
		seen = true;
		CHECK(!strcmp(json_string_value(json_object_get(u, "role")),
			      "interviewer"),
		      "the role is now interviewer");
		CHECK(!strcmp(json_string_value(json_object_get(u, "seat")),
			      "hiring_manager"),
		      "the seat is now hiring_manager");
	}
	CHECK(seen, "the user is listed");
	json_decref(j);

	r = itest_get(c, "/pools", false);
	CHECK_STATUS(r, 403, "as an interviewer now, no pools");
	itest_resp_free(&r);
	r = itest_get(c, "/settings/user", false);
	CHECK_HAS(r, "<dd>Hiring manager</dd>",
		  "the profile shows the new seat, in words");
	itest_resp_free(&r);

	r = itest_post(admin, p, false, t, "role", "chief", "seat", "none",
		       NULL);
	CHECK_STATUS(r, 400, "an unknown role");
	itest_resp_free(&r);
	free(t);
	free(p);
	free(email);
	itest_client_free(c);
	itest_client_free(admin);
}

static void deactivation_ends_the_session_at_once(void)
{
	struct itest_client *admin = itest_signed_in(&adele);
	char *email = path_f("leaver.%s@itest.hirelink.test", run_id);
	admin_creates(admin, email, "Leaver", "recruiter", "none",
		      "leaver password");
	long long id = user_id(admin, email);
	struct itest_client *c = itest_signed_in_as(email, "leaver password");
	struct itest_resp r = itest_get(c, "/jobs", false);
	CHECK_STATUS(r, 200, "signed in before");
	itest_resp_free(&r);

	char *p = path_f("/admin/users/%lld/deactivate", id);
	char *ap = path_f("/admin/users/%lld/activate", id);
	char *t = itest_csrf_of(admin, "/admin/users");
	r = itest_post(admin, p, false, t, NULL);
	CHECK_STATUS(r, 303, "deactivate");
	itest_resp_free(&r);

	CHECK(
	    itest_sql_int("SELECT COUNT(*) FROM sessions WHERE user_id = %lld",
			  id) == 0,
	    "their sessions are gone");
	r = itest_get(c, "/jobs", false);
	CHECK_TO_LOGIN(r, "the next request of the deactivated user");
	itest_resp_free(&r);
	struct itest_client *c2 = itest_client_new(NULL);
	CHECK(itest_login(c2, email, "leaver password") == 401,
	      "a deactivated user cannot sign in");
	itest_client_free(c2);
	char *found = people_url(email);
	r = itest_get(admin, found, false);
	CHECK_HAS(r, "deactivated", "the list shows it");
	itest_resp_free(&r);
	free(found);

	r = itest_post(admin, ap, false, t, NULL);
	CHECK_STATUS(r, 303, "activate again");
	itest_resp_free(&r);
	c2 = itest_client_new(NULL);
	CHECK(itest_login(c2, email, "leaver password") == 303,
	      "reactivated, they sign in again");
	itest_client_free(c2);
	CHECK(itest_sql_int(
		  "SELECT COUNT(*) FROM audit_log WHERE entity = 'user' "
		  "AND entity_id = %lld AND action IN ('user.deactivate', "
		  "'user.activate')",
		  id) == 2,
	      "both are audited");
	free(t);
	free(ap);
	free(p);
	free(email);
	itest_client_free(c);
	itest_client_free(admin);
}

static void admin_cannot_deactivate_themselves(void)
{
	struct itest_client *admin = itest_signed_in(&adele);
	long long id = user_id(admin, adele.email);
	char *p = path_f("/admin/users/%lld/deactivate", id);
	char *t = itest_csrf_of(admin, "/admin/users");
	struct itest_resp r = itest_post(admin, p, false, t, NULL);
	CHECK_STATUS(r, 400, "deactivate yourself");
	CHECK_HAS(r, "cannot deactivate your own account", "the page says why");
	itest_resp_free(&r);
	r = itest_get(admin, "/admin/users", false);
	CHECK_STATUS(r, 200, "still signed in");
	itest_resp_free(&r);
	free(t);
	free(p);
	itest_client_free(admin);
}

/*
 * The people page is searched and paged like every list: 60 people named
 * alike are 50 + 10, found by name or by part of the email, and a change
 * made on page 2 brings the admin back to page 2 of that search, at the
 * row.
 */
static void people_are_searched_and_paged(void)
{
	struct itest_client *admin = itest_signed_in(&adele);
	char *tag = path_f("Pagey%s", run_id);
	char *ins = path_f(
	    "INSERT INTO users (email, name, password_hash, role) SELECT "
	    "CONCAT('pagey.', LPAD(seq, 2, '0'), '.%s@itest.hirelink.test'), "
	    "CONCAT('%s ', LPAD(seq, 2, '0')), '-', 'interviewer' FROM "
	    "seq_1_to_60",
	    run_id, tag);
	CHECK(itest_sql(ins) == 0, "60 people");
	free(ins);

	char *url = people_url(tag);
	long st = 0;
	json_t *j = itest_get_json(admin, url, &st);
	CHECK(st == 200 &&
		  json_integer_value(json_object_get(j, "total")) == 60,
	      "60 found (status %ld)", st);
	CHECK(json_array_size(json_object_get(j, "users")) == 50,
	      "50 on the first page");
	json_decref(j);
	struct itest_resp r = itest_get(admin, url, false);
	char *next = path_f("href=\"/admin/users?page=2&amp;q=%s\"", tag);
	CHECK_HAS(r, next, "page 1 links to page 2 of the same search");
	CHECK_HAS(r, "60 found", "the count");
	itest_resp_free(&r);

	char *p2 = path_f("/admin/users?q=%s&page=2", tag);
	j = itest_get_json(admin, p2, &st);
	json_t *users = json_object_get(j, "users");
	CHECK(json_array_size(users) == 10, "10 on the second page");
	long long id =
	    json_integer_value(json_object_get(json_array_get(users, 9), "id"));
	const char *last = json_string_value(
	    json_object_get(json_array_get(users, 9), "name"));
	char *want = path_f("%s 60", tag);
	CHECK(last && !strcmp(last, want), "by name: the last is %s",
	      last ? last : "(none)");
	json_decref(j);

	char *t = itest_csrf_of(admin, p2);
	char *up = path_f("/admin/users/%lld", id);
	char *page_s = path_f("2");
	r = itest_post(admin, up, false, t, "role", "hiring_manager", "seat",
		       "none", "q", tag, "page", page_s, NULL);
	CHECK_STATUS(r, 303, "a change on page 2");
	char *back = path_f("/admin/users?page=2&q=%s#user-%lld", tag, id);
	const char *loc = itest_location(&r);
	CHECK(loc && !strcmp(loc, back), "back to page 2 at the row: %s",
	      loc ? loc : "(none)");
	itest_resp_free(&r);

	char *by_mail = people_url("pagey.07.");
	j = itest_get_json(admin, by_mail, &st);
	CHECK(json_integer_value(json_object_get(j, "total")) >= 1 &&
		  json_array_size(json_object_get(j, "users")) >= 1,
	      "part of an email finds");
	json_decref(j);

	char *none = people_url("no such person anywhere");
	r = itest_get(admin, none, false);
	CHECK_HAS(r, "Nobody&rsquo;s name or email contains",
		  "a search that finds nobody says so");
	itest_resp_free(&r);
	r = itest_get(admin, "/admin/users?page=201", false);
	CHECK_STATUS(r, 303, "past page 200: to the last page, no 400");
	itest_resp_free(&r);

	free(none);
	free(by_mail);
	free(back);
	free(page_s);
	free(up);
	free(t);
	free(want);
	free(p2);
	free(next);
	free(url);
	free(tag);
	itest_client_free(admin);
}

static void non_admin_gets_403_on_admin_users(void)
{
	struct itest_client *c = itest_signed_in(&rex);
	struct itest_resp r = itest_get(c, "/jobs", false);
	CHECK_LACKS(r, "href=\"/admin/users\"", "no People link to follow");
	CHECK_HAS(r, "href=\"/pools\"", "a recruiter has Talent pools");
	itest_resp_free(&r);
	r = itest_get(c, "/admin/users", false);
	CHECK_STATUS(r, 403, "GET /admin/users as a recruiter");
	itest_resp_free(&r);
	char *t = itest_csrf_of(c, "/jobs");
	r = itest_post(c, "/admin/users", false, t, "email", "x@y.test", "name",
		       "X", "role", "admin", "seat", "none", "password",
		       "12345678", NULL);
	CHECK_STATUS(r, 403, "POST /admin/users as a recruiter");
	itest_resp_free(&r);
	free(t);
	itest_client_free(c);
}

/* ------------------------------------------------------------ settings */

static void password_change_checks_and_ends_other_sessions(void)
{
	char *email = path_f("pwchange.%s@itest.hirelink.test", run_id);
	CHECK(itest_useradd(email, "Pat Password", "hiring_manager", "none",
			    "old password 1") == 0,
	      "user made");
	struct itest_client *a = itest_signed_in_as(email, "old password 1");
	struct itest_client *b = itest_signed_in_as(email, "old password 1");
	char *t = itest_csrf_of(a, "/settings/user?tab=password");

	struct itest_resp r = itest_post(
	    a, "/settings/user/password", false, t, "current_password",
	    "wrong one", "new_password", "new password 2", "confirm_password",
	    "new password 2", NULL);
	CHECK_STATUS(r, 400, "a wrong current password");
	CHECK_HAS(r, "<strong>Current password</strong>",
		  "the page names the field");
	itest_resp_free(&r);
	r = itest_post(a, "/settings/user/password", false, t,
		       "current_password", "old password 1", "new_password",
		       "new password 2", "confirm_password", "new password 3",
		       NULL);
	CHECK_STATUS(r, 400, "a confirmation that differs");
	CHECK_HAS(r, "<strong>Confirm password</strong>",
		  "the page names the field");
	itest_resp_free(&r);
	r = itest_post(a, "/settings/user/password", false, t,
		       "current_password", "old password 1", "new_password",
		       "short", "confirm_password", "short", NULL);
	CHECK_STATUS(r, 400, "a short new password");
	itest_resp_free(&r);

	r = itest_post(a, "/settings/user/password", false, t,
		       "current_password", "old password 1", "new_password",
		       "new password 2", "confirm_password", "new password 2",
		       NULL);
	CHECK_STATUS(r, 303, "the change");
	itest_resp_free(&r);
	r = itest_get(a, "/settings/user?tab=password&changed=1", false);
	CHECK_STATUS(r, 200, "this session continues");
	CHECK_HAS(r, "Your password has been changed", "and says so");
	itest_resp_free(&r);
	r = itest_get(b, "/jobs", false);
	CHECK_TO_LOGIN(r, "the other session has ended");
	itest_resp_free(&r);

	struct itest_client *c = itest_client_new(NULL);
	CHECK(itest_login(c, email, "old password 1") == 401,
	      "the old password no longer works");
	CHECK(itest_login(c, email, "new password 2") == 303,
	      "the new one does");
	itest_client_free(c);
	free(t);
	free(email);
	itest_client_free(a);
	itest_client_free(b);
}

static void settings_show_profile_and_connections_notice(void)
{
	struct itest_client *c = itest_signed_in(&iris);
	struct itest_resp r = itest_get(c, "/settings/user", false);
	CHECK_STATUS(r, 200, "GET /settings/user");
	CHECK_HAS(r, iris.name, "the profile shows the name");
	CHECK_HAS(r, iris.email, "and the email");
	itest_resp_free(&r);

	r = itest_get(c, "/settings/user?tab=connections", false);
	CHECK_STATUS(r, 200, "the Connections tab");
	CHECK_HAS(r, "LinkedIn integration is not set up. Ask an admin:",
		  "the notice");
	CHECK_HAS(r, adele.name, "it names an admin");
	CHECK_LACKS(r, rex.name, "it does not name a recruiter");
	itest_resp_free(&r);

	r = itest_get(c, "/settings/user?tab=nonsense", false);
	CHECK_STATUS(r, 400, "an unknown tab");
	itest_resp_free(&r);
	itest_client_free(c);
}

/* ------------------------------------------------------------ demo */

static int seed_demo(void)
{
	struct buf cmd = BUF_INIT;
	buf_addf(&cmd, "'%s' seed-demo >/dev/null", itest_env("HIRELINK_BIN"));
	int rc = buf_failed(&cmd) ? -1 : system(cmd.data);
	buf_release(&cmd);
	return rc;
}

static long long demo_count(const char *table, const char *by)
{
	return itest_sql_int("SELECT COUNT(*) FROM %s t JOIN users u ON u.id = "
			     "t.created_by WHERE u.email = '%s'",
			     table, by);
}

static void seed_demo_twice_adds_nothing_the_second_time(void)
{
	static const char recruiter[] = "recruiter@demo.hirelink.test";
	static const char admin[] = "admin@demo.hirelink.test";
	CHECK(seed_demo() == 0, "seed-demo runs");
	CHECK(demo_count("candidates", recruiter) == 300, "300 candidates");
	CHECK(demo_count("jobs", admin) == 12, "12 jobs");
	long long apps =
	    itest_sql_int("SELECT COUNT(*) FROM applications a JOIN "
			  "jobs j ON j.id = a.job_id JOIN users u ON "
			  "u.id = j.created_by WHERE u.email = '%s'",
			  admin);
	long long stages =
	    itest_sql_int("SELECT COUNT(*) FROM job_stages s JOIN "
			  "jobs j ON j.id = s.job_id JOIN users u ON "
			  "u.id = j.created_by WHERE u.email = '%s'",
			  admin);
	CHECK(apps > 100, "applications (%lld)", apps);
	CHECK(stages == 60, "five stages a job (%lld)", stages);

	CHECK(seed_demo() == 0, "seed-demo runs again");
	CHECK(demo_count("candidates", recruiter) == 300,
	      "still 300 candidates");
	CHECK(demo_count("jobs", admin) == 12, "still 12 jobs");
	CHECK(
	    itest_sql_int("SELECT COUNT(*) FROM applications a JOIN jobs j ON "
			  "j.id = a.job_id JOIN users u ON u.id = j.created_by "
			  "WHERE u.email = '%s'",
			  admin) == apps,
	    "the same applications");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM users WHERE email LIKE "
			    "'%%@demo.hirelink.test'") == 4,
	      "four demo users");

	/* every stage of an active demo job has someone at it */
	CHECK(itest_sql_int(
		  "SELECT COUNT(*) FROM job_stages s JOIN jobs j ON j.id "
		  "= s.job_id JOIN users u ON u.id = j.created_by WHERE "
		  "u.email = '%s' AND j.status = 'active' AND NOT EXISTS "
		  "(SELECT 1 FROM applications a WHERE a.stage_id = s.id)",
		  admin) == 0,
	      "applications at every stage");

	struct itest_client *c = itest_signed_in_as(
	    "recruiter@demo.hirelink.test", "demo-recruiter-1");
	struct itest_resp r = itest_get(c, "/pools", false);
	CHECK_STATUS(r, 200, "the demo recruiter sees pools");
	CHECK_HAS(r, "Backend engineers", "a demo pool");
	itest_resp_free(&r);
	itest_client_free(c);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(recruiter_creates_a_pool_and_sees_it_listed),
	    TEST(duplicate_pool_name_is_409_with_a_clear_message),
	    TEST(recruiter_adds_and_removes_members),
	    TEST(pool_of_60_shows_50_then_10_newest_first),
	    TEST(candidate_overview_names_its_pools),
	    TEST(linkedin_pool_cannot_be_renamed_or_deleted),
	    TEST(recruiter_renames_and_deletes_a_pool),
	    TEST(interviewer_gets_403_on_pools),
	    TEST(pool_name_with_markup_is_escaped),
	    TEST(admin_creates_a_user_who_can_sign_in),
	    TEST(admin_changes_role_and_seat),
	    TEST(deactivation_ends_the_session_at_once),
	    TEST(admin_cannot_deactivate_themselves),
	    TEST(a_notice_after_a_post_shows_once_and_only_to_its_session),
	    TEST(people_are_searched_and_paged),
	    TEST(non_admin_gets_403_on_admin_users),
	    TEST(password_change_checks_and_ends_other_sessions),
	    TEST(settings_show_profile_and_connections_notice),
	    TEST(seed_demo_twice_adds_nothing_the_second_time),
	};
	static const struct suite suites[] = {
	    SUITE("pools_people", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
