/*
 * test_activities.c - the candidate's Recruiting activities tab (F9,
 * /candidates/{id}?tab=activities) end to end: InMail and Recruiter notes
 * made at the sandbox's LinkedIn (its control API) reach hirelink through
 * the worker (seats, conversationEvents, prospectNotes), and the tab shows
 * them with hirelink's rejections, newest first.  What must hold:
 *   - the order, and who sees what: a private Recruiter note only by the
 *     user holding its author's seat, public ones by everyone who may see
 *     the candidate; "also engaging" names the other seats;
 *   - no InMail content (the sandbox marks it SBX-INMAIL-CONTENT) in any
 *     page, JSON, table or log of hirelink;
 *   - LinkedIn down or slow: the tab answers at once with what is stored,
 *     its age, and a Retry;
 *   - a worker that was stopped for 31 h catches up in windows of at most
 *     12 h (the sandbox refuses longer ones) and reads every page;
 *   - a seat changed or taken away at LinkedIn reaches hirelink without a
 *     reconnect;
 *   - not connected / no seat / LinkedIn off: the message and its link.
 *
 * The integration row is global: the suite enables it with the sandbox's
 * application (and its contract) and leaves it set up but off.  Seats the
 * suite changes at the sandbox are put back.
 */
#include <CUnit/Basic.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

#define MARK "SBX-INMAIL-CONTENT"

static const struct itest_li_app *li;
static char *run;
static struct itest_person ada, rita, rob, nora, hank, cara, sid;

/* A seat holder of the sandbox's contract: member id and seat URN. */
struct holder {
	char *id, *seat;
};
static struct holder seat_a, seat_b, seat_c, seat_d;
static char *prospect, *prospect2; /* member ids without seats */
static long long cand, cand2, job, app;

/* ------------------------------------------------------------ helpers */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	usleep((useconds_t)ms * 1000);
}

/* The n-th Recruiter seat holder of /sandbox/credentials. */
static int holder_get(size_t n, struct holder *h)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s/sandbox/credentials", itest_sandbox_url());
	struct itest_resp r = itest_get(c, url, true);
	json_t *j = itest_json(&r);
	json_t *e = json_array_get(json_object_get(j, "recruiters"), n);
	int rc = -1;
	if (e && *itest_jstr(e, "id") && *itest_jstr(e, "seat")) {
		h->id = itest_strdup(itest_jstr(e, "id"));
		h->seat = itest_strdup(itest_jstr(e, "seat"));
		rc = 0;
	}
	json_decref(j);
	itest_resp_free(&r);
	free(url);
	itest_client_free(c);
	return rc;
}

/* POSTs json to the sandbox's url (a /sandbox/... path); the answer
 * parsed (new), NULL with a failed check unless it is 201 or 200. */
static json_t *sandbox_post(const char *path, const char *json)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s%s", itest_sandbox_url(), path);
	struct itest_resp r = itest_post_raw(c, url, "application/json", json,
					     strlen(json), NULL);
	json_t *j = NULL;
	CHECK(r.status == 201 || r.status == 200, "sandbox %s %s: %ld %s",
	      path, json, r.status, r.body);
	if (r.status == 201 || r.status == 200)
		j = itest_json(&r);
	itest_resp_free(&r);
	free(url);
	itest_client_free(c);
	return j;
}

/* An InMail from seat holder h to member, at (0: now), subject and body
 * carrying the content marker; its conversation URN, new. */
static char *inmail(const struct holder *h, const char *member, int64_t at)
{
	char *at_json = at ? itest_fmt(",\"at\":%lld", (long long)at)
			   : itest_strdup("");
	char *body = itest_fmt(
	    "{\"from\":\"%s\",\"to\":\"%s\",\"subject\":\"Hello " MARK
	    " subject %s\",\"body\":\"Dear prospect, " MARK " body %s\"%s}",
	    h->id, member, run, run, at_json);
	json_t *j = sandbox_post("/sandbox/inmails", body);
	char *conv = itest_strdup(itest_jstr(j, "conversation"));
	json_decref(j);
	free(body);
	free(at_json);
	return conv;
}

static void reply(const char *conv, int64_t at)
{
	char *at_json = at ? itest_fmt(",\"at\":%lld", (long long)at)
			   : itest_strdup("");
	char *body = itest_fmt("{\"conversation\":\"%s\",\"body\":\"Thanks, "
			       MARK " reply %s\"%s}",
			       conv, run, at_json);
	json_decref(sandbox_post("/sandbox/inmails/reply", body));
	free(body);
	free(at_json);
}

/* A Recruiter note by h on member; its id. */
static long long note(const struct holder *h, const char *member,
		      const char *text, const char *visibility, int64_t at)
{
	char *at_json = at ? itest_fmt(",\"at\":%lld", (long long)at)
			   : itest_strdup("");
	char *body = itest_fmt("{\"owner\":\"%s\",\"member\":\"%s\",\"note\":"
			       "\"%s\",\"visibility\":\"%s\"%s}",
			       h->id, member, text, visibility, at_json);
	json_t *j = sandbox_post("/sandbox/prospectNotes", body);
	long long id = itest_jint(j, "id");
	json_decref(j);
	free(body);
	free(at_json);
	return id;
}

/* p connects LinkedIn as seat holder h. */
static int connect_as(struct itest_person *p, const struct holder *h)
{
	char *back = itest_li_connect(itest_as(p), h->id, "allow");
	if (!back)
		return -1;
	struct itest_resp r = itest_get(itest_as(p), back, false);
	long st = r.status;
	itest_resp_free(&r);
	free(back);
	return st == 303 ? 0 : -1;
}

static char *tab_path(long long candidate)
{
	return itest_fmt("/candidates/%lld?tab=activities", candidate);
}

/* The tab as p sees it, JSON; new (an empty object when not JSON). */
static json_t *tab_json(struct itest_person *p, long long candidate)
{
	long st;
	char *path = tab_path(candidate);
	json_t *j = itest_get_json(itest_as(p), path, &st);
	CHECK(st == 200, "GET %s as %s: %ld", path, p->name, st);
	free(path);
	return j ? j : json_object();
}

static json_t *acts(json_t *page)
{
	return json_object_get(page, "activities");
}

/* How many entries of the tab are of kind with text (note) or who
 * containing needle (NULL: any). */
static size_t count_items(json_t *page, const char *kind, const char *needle)
{
	json_t *items = json_object_get(acts(page), "items"), *e;
	size_t i, n = 0;
	json_array_foreach(items, i, e)
	{
		if (strcmp(itest_jstr(e, "kind"), kind))
			continue;
		if (!needle || strstr(itest_jstr(e, "note"), needle) ||
		    strstr(itest_jstr(e, "who"), needle))
			n++;
	}
	return n;
}

/* Waits up to ms for p's tab of candidate to show at least n entries of
 * kind; the last page seen (new). */
static json_t *wait_items(struct itest_person *p, long long candidate,
			  const char *kind, size_t n, int ms)
{
	json_t *j = NULL;
	for (int waited = 0;; waited += 250) {
		json_decref(j);
		j = tab_json(p, candidate);
		if (count_items(j, kind, NULL) >= n || waited >= ms)
			return j;
		sleep_ms(250);
	}
}

static long long member_rows(const char *table, const char *member)
{
	return itest_sql_int("SELECT COUNT(*) FROM %s WHERE "
			     "prospect_member_id = '%s'",
			     table, member);
}

/* ------------------------------------------------------------ fixture */

static int suite_init(void)
{
	run = itest_unique("act");
	li = itest_li_app();
	if (!li || !run || itest_person_add(&ada, "ada", "Activities", "admin",
					    "none") ||
	    itest_person_add(&rita, "rita", "Activities", "recruiter",
			     "recruiter") ||
	    itest_person_add(&rob, "rob", "Activities", "recruiter",
			     "recruiter") ||
	    itest_person_add(&nora, "nora", "Activities", "recruiter",
			     "none") ||
	    itest_person_add(&hank, "hank", "Activities", "hiring_manager",
			     "none") ||
	    itest_person_add(&cara, "cara", "Activities", "recruiter",
			     "recruiter") ||
	    itest_person_add(&sid, "sid", "Activities", "recruiter",
			     "recruiter"))
		return 1;
	/* seat holders few other tests use (the first is everyone's) */
	if (holder_get(11, &seat_a) || holder_get(12, &seat_b) ||
	    holder_get(13, &seat_c) || holder_get(14, &seat_d))
		return 1;
	struct itest_resp r = itest_li_enable(itest_as(&ada), NULL);
	long st = r.status;
	itest_resp_free(&r);
	if (st != 303)
		return 1;
	if (connect_as(&rita, &seat_a) || connect_as(&rob, &seat_b) ||
	    connect_as(&cara, &seat_c) || connect_as(&sid, &seat_d))
		return 1;
	/* two members without a seat, by this run's pid, linked to nobody */
	int pid = (int)getpid();
	prospect = itest_sandbox_sql_str(
	    "SELECT urn_id FROM members WHERE seat = 'none' AND id > 200 "
	    "ORDER BY id LIMIT 1 OFFSET %d",
	    pid % 2000);
	prospect2 = itest_sandbox_sql_str(
	    "SELECT urn_id FROM members WHERE seat = 'none' AND id > 200 "
	    "ORDER BY id LIMIT 1 OFFSET %d",
	    2000 + pid % 2000);
	if (!*prospect || !*prospect2)
		return 1;
	ITEST_SQL("free the members", itest_fmt(
		      "UPDATE candidates SET linkedin_member_id = NULL WHERE "
		      "linkedin_member_id IN ('%s', '%s')",
		      prospect, prospect2));
	/* the candidates, tied to the members (as an export or a link
	 * does), and a job hank manages with cand's application */
	ITEST_SQL("candidates", itest_fmt(
		      "INSERT INTO candidates (first_name, last_name, email, "
		      "linkedin_member_id) VALUES ('Pia', 'Prospect%s', "
		      "'pia.%s@act.itest.hirelink.test', '%s'), ('Quinn', "
		      "'Prospect%s', 'quinn.%s@act.itest.hirelink.test', "
		      "'%s')",
		      run, run, prospect, run, run, prospect2));
	cand = itest_sql_int("SELECT id FROM candidates WHERE email = "
			     "'pia.%s@act.itest.hirelink.test'",
			     run);
	cand2 = itest_sql_int("SELECT id FROM candidates WHERE email = "
			      "'quinn.%s@act.itest.hirelink.test'",
			      run);
	ITEST_SQL("job", itest_fmt("INSERT INTO jobs (title, description, "
				   "status) VALUES ('Activities %s', 'x', "
				   "'active')",
				   run));
	job = itest_sql_int("SELECT id FROM jobs WHERE title = 'Activities %s'",
			    run);
	ITEST_SQL("stages",
		  itest_fmt("INSERT INTO job_stages (job_id, name, kind, "
			    "position) VALUES (%lld, 'Prospect', 'prospect', "
			    "1), (%lld, 'Screen', 'screen', 2)",
			    job, job));
	ITEST_SQL("members", itest_fmt("INSERT INTO job_members (job_id, "
				       "user_id, role) VALUES (%lld, %lld, "
				       "'recruiter'), (%lld, %lld, "
				       "'hiring_manager')",
				       job, rita.id, job, hank.id));
	return cand > 0 && cand2 > 0 && job > 0 ? 0 : 1;
}

static int suite_clean(void)
{
	itest_sandbox_control("{\"reset\": true}");
	/* seat_d back as the sandbox seeded it */
	char *back = itest_fmt(
	    "UPDATE seats SET seat_type = 'RECRUITER', active = 1 WHERE "
	    "member_id = (SELECT id FROM members WHERE urn_id = '%s')",
	    seat_d.id);
	itest_sandbox_sql(back);
	free(back);
	itest_stack("worker-start");
	/* LinkedIn set up but off, as the programs after this one expect */
	char *csrf = itest_csrf_of(itest_as(&ada), "/admin/linkedin");
	struct itest_resp r = itest_post(
	    itest_as(&ada), "/admin/linkedin", false, csrf, "client_id",
	    li->client_id, "organization_urn", li->organization,
	    "contract_urn", li->contract, "ats_instance_name", "hirelink test",
	    NULL);
	itest_resp_free(&r);
	free(csrf);
	struct itest_person *all[] = {&ada, &rita, &rob, &nora,
				      &hank, &cara, &sid};
	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		itest_person_free(all[i]);
	struct holder *hs[] = {&seat_a, &seat_b, &seat_c, &seat_d};
	for (size_t i = 0; i < ARRAY_LEN(hs); i++) {
		free(hs[i]->id);
		free(hs[i]->seat);
	}
	free(prospect);
	free(prospect2);
	free(run);
	return 0;
}

/* ------------------------------------------------------------ tests */

static json_t *first_page; /* rita's tab once everything arrived */

static void activities_are_newest_first_with_who_sees_what(void)
{
	/* at LinkedIn, in this order (now: LinkedIn stores them as they
	 * happen): rita InMails the prospect, who replies; rob InMails
	 * too; rita writes a public and a private note, rob a private one */
	char *conv = inmail(&seat_a, prospect, 0);
	sleep_ms(30);
	reply(conv, 0);
	sleep_ms(30);
	free(inmail(&seat_b, prospect, 0));
	sleep_ms(30);
	char *pub = itest_fmt("Public note %s", run);
	char *priv = itest_fmt("Rita private %s", run);
	char *robs = itest_fmt("Rob private %s", run);
	note(&seat_a, prospect, pub, "PUBLIC", 0);
	sleep_ms(30);
	note(&seat_a, prospect, priv, "PRIVATE", 0);
	sleep_ms(30);
	note(&seat_b, prospect, robs, "PRIVATE", 0);
	sleep_ms(30);
	/* and in hirelink, the newest: rita rejects the application */
	char cand_s[32], job_s[32];
	snprintf(cand_s, sizeof(cand_s), "%lld", cand);
	snprintf(job_s, sizeof(job_s), "%lld", job);
	struct itest_resp r =
	    itest_post(itest_as(&rita), "/applications", true, rita.csrf,
		       "candidate_id", cand_s, "job_id", job_s, NULL);
	CHECK_STATUS(r, 201, "application");
	json_t *aj = itest_json(&r);
	app = itest_jint(aj, "id");
	json_decref(aj);
	itest_resp_free(&r);
	char *reject = itest_fmt("/applications/%lld/reject", app);
	r = itest_post(itest_as(&rita), reject, true, rita.csrf, "reason",
		       "not_qualified", "note", "Not this time", NULL);
	free(reject);
	CHECK(r.status == 200 || r.status == 303, "reject: %ld", r.status);
	itest_resp_free(&r);

	/* opening the tab asks for the viewer's seat; the worker brings
	 * it (rob's InMail comes with rob's seat) */
	json_decref(tab_json(&rob, cand));
	json_t *j = wait_items(&rita, cand, "inmail", 3, 20000);
	json_t *a = acts(j);
	CHECK(!strcmp(itest_jstr(a, "state"), "seat"), "rita has a seat: %s",
	      itest_jstr(a, "state"));
	CHECK(count_items(j, "inmail", NULL) == 3, "3 InMail events, %zu",
	      count_items(j, "inmail", NULL));
	for (int i = 0; i < 80 && count_items(j, "note", NULL) < 2; i++) {
		sleep_ms(250);
		json_decref(j);
		j = tab_json(&rita, cand);
	}
	a = acts(j);
	CHECK(count_items(j, "note", pub) == 1, "rita sees the public note");
	CHECK(count_items(j, "note", priv) == 1, "rita sees her private note");
	CHECK(count_items(j, "note", robs) == 0,
	      "rita does not see rob's private note");
	CHECK(count_items(j, "rejection", NULL) == 1, "the rejection");

	/* newest first: rejection, rita's private, public, rob's InMail,
	 * the reply, rita's InMail (replied) */
	json_t *items = json_object_get(a, "items"), *e;
	size_t i;
	long long prev = -1;
	json_array_foreach(items, i, e)
	{
		long long at = itest_jint(e, "at_ms");
		CHECK(prev < 0 || at <= prev, "entry %zu (%s) at %lld after %lld",
		      i, itest_jstr(e, "kind"), at, prev);
		prev = at;
	}
	static const char *const want[] = {"rejection", "note", "note",
					   "inmail", "inmail", "inmail"};
	CHECK(json_array_size(items) == ARRAY_LEN(want), "%zu entries",
	      json_array_size(items));
	for (i = 0; i < ARRAY_LEN(want) && i < json_array_size(items); i++)
		CHECK(!strcmp(itest_jstr(json_array_get(items, i), "kind"),
			      want[i]),
		      "entry %zu is %s, want %s", i,
		      itest_jstr(json_array_get(items, i), "kind"), want[i]);
	if (json_array_size(items) == ARRAY_LEN(want)) {
		json_t *first = json_array_get(items, 0);
		char *title = itest_fmt("Activities %s", run);
		CHECK(!strcmp(itest_jstr(first, "job_title"), title),
		      "the rejection names the job");
		free(title);
		CHECK(!strcmp(itest_jstr(first, "reason"), "not_qualified"),
		      "and the reason");
		CHECK(strstr(itest_jstr(json_array_get(items, 1), "note"),
			     priv) != NULL,
		      "the private note is newer than the public one");
		json_t *reply_e = json_array_get(items, 4);
		json_t *sent = json_array_get(items, 5);
		CHECK(!strcmp(itest_jstr(reply_e, "direction"), "INBOUND"),
		      "the reply is INBOUND");
		CHECK(!strcmp(itest_jstr(sent, "direction"), "OUTBOUND") &&
			  json_is_true(json_object_get(sent, "replied")),
		      "rita's InMail is marked replied");
		CHECK(json_is_true(json_object_get(sent, "mine")),
		      "and hers");
		CHECK(!strcmp(itest_jstr(sent, "user_name"), rita.name),
		      "who: the hirelink user holding the seat (%s)",
		      itest_jstr(sent, "user_name"));
		json_t *robs_mail = json_array_get(items, 3);
		CHECK(json_is_false(json_object_get(robs_mail, "replied")),
		      "rob's InMail is not replied");
	}
	/* rob engages too */
	json_t *others = json_object_get(a, "others");
	CHECK(json_array_size(others) >= 1 &&
		  !strcmp(itest_jstr(json_array_get(others, 0), "user_name"),
			  rob.name),
	      "rob is also engaging with this prospect");
	CHECK(*itest_jstr(a, "updated") != '\0', "updated N minutes ago");
	first_page = j;

	/* rob: his private note, not rita's */
	json_t *rj = NULL;
	for (int k = 0; k < 80; k++) {
		json_decref(rj);
		rj = tab_json(&rob, cand);
		if (count_items(rj, "note", robs))
			break;
		sleep_ms(250);
	}
	CHECK(count_items(rj, "note", robs) == 1, "rob sees his private note");
	CHECK(count_items(rj, "note", priv) == 0,
	      "rob does not see rita's private note");
	CHECK(count_items(rj, "note", pub) == 1, "rob sees the public note");
	json_decref(rj);

	/* nora (not connected) and hank (hiring manager of the job): the
	 * public note, InMail, the rejection; no private note; nora is
	 * told to connect */
	json_t *nj = tab_json(&nora, cand);
	CHECK(!strcmp(itest_jstr(acts(nj), "state"), "not_connected"),
	      "nora: not connected");
	CHECK(!strcmp(itest_jstr(acts(nj), "fix_url"), "/settings/linkedin"),
	      "with the link to connect");
	CHECK(count_items(nj, "note", NULL) == 1 &&
		  count_items(nj, "note", pub) == 1,
	      "nora sees the public note only");
	CHECK(count_items(nj, "inmail", NULL) == 3, "and the InMail");
	json_decref(nj);
	json_t *hj = tab_json(&hank, cand);
	CHECK(count_items(hj, "note", NULL) == 1, "hank: the public note");
	CHECK(count_items(hj, "rejection", NULL) == 1,
	      "hank: the rejection on his job");
	json_decref(hj);

	/* the page: the same, server-rendered */
	char *path = tab_path(cand);
	r = itest_get(itest_as(&rita), path, false);
	CHECK_STATUS(r, 200, "the tab as HTML");
	CHECK_HAS(r, priv, "rita's private note on her page");
	CHECK_HAS(r, "updated ", "its age");
	CHECK_HAS(r, "Also engaging with this prospect", "the others");
	CHECK_HAS(r, "replied", "replied or not");
	CHECK_LACKS(r, robs, "rob's private note");
	itest_resp_free(&r);
	free(path);
	free(conv);
	free(pub);
	free(priv);
	free(robs);
}

/* Whether file path contains MARK. */
static bool file_has_mark(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[16384];
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, MARK) != NULL;
	if (f)
		fclose(f);
	return found;
}

static void no_inmail_content_in_pages_json_tables_or_logs(void)
{
	/* LinkedIn does have it */
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s/sandbox/inmails?member=%s",
			      itest_sandbox_url(), prospect);
	struct itest_resp r = itest_get(c, url, true);
	CHECK_HAS(r, MARK, "the sandbox's InMail carries the marker");
	itest_resp_free(&r);
	free(url);
	itest_client_free(c);

	/* pages and JSON, for each viewer */
	struct itest_person *who[] = {&rita, &rob, &nora, &hank, &ada};
	for (size_t i = 0; i < ARRAY_LEN(who); i++) {
		char *path = tab_path(cand);
		for (int json = 0; json < 2; json++) {
			r = itest_get(itest_as(who[i]), path, json);
			CHECK(r.status == 200, "%s: %ld", path, r.status);
			CHECK(!itest_has(&r, MARK),
			      "InMail content on %s (%s) for %s", path,
			      json ? "JSON" : "HTML", who[i]->name);
			itest_resp_free(&r);
		}
		free(path);
		path = itest_fmt("/candidates/%lld", cand);
		r = itest_get(itest_as(who[i]), path, false);
		CHECK(!itest_has(&r, MARK), "InMail content on %s", path);
		itest_resp_free(&r);
		free(path);
	}
	r = itest_get(itest_as(&ada), "/admin/linkedin/outbox", false);
	CHECK_LACKS(r, MARK, "the outbox page");
	itest_resp_free(&r);

	/* tables: every text column of the activity tables, and every
	 * table of hirelink's database through a dump */
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_inmail_activity WHERE "
			    "prospect_member_id = '%s'",
			    prospect) >= 3,
	      "the InMail activity is stored");
	CHECK(itest_sql_int(
		  "SELECT COUNT(*) FROM li_inmail_activity WHERE "
		  "CONCAT_WS('|', seat_urn, event_id, conversation_urn, "
		  "prospect_member_id, direction) LIKE '%%" MARK "%%'") == 0,
	      "no content in li_inmail_activity");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_recruiter_notes WHERE "
			    "CONCAT_WS('|', note_id, owner_seat_urn, "
			    "prospect_member_id, note) LIKE '%%" MARK
			    "%%'") == 0,
	      "no content in li_recruiter_notes");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM li_seats WHERE "
			    "CONCAT_WS('|', seat_urn, member_urn, first_name, "
			    "last_name, COALESCE(last_error, '')) LIKE '%%" MARK
			    "%%'") == 0,
	      "no content in li_seats");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM outbox WHERE last_error "
			    "LIKE '%%" MARK "%%'") == 0,
	      "no content in the outbox's errors");
	const char *sock = itest_env("HIRELINK_TEST_DB_SOCKET");
	const char *user = itest_env("HIRELINK_TEST_DB_USER");
	char *cmd = itest_fmt("mariadb-dump --socket='%s' --user='%s' "
			      "--skip-extended-insert hirelink 2>/dev/null | "
			      "grep -c '" MARK "'",
			      sock, user);
	FILE *p = popen(cmd, "r");
	char out[64] = "";
	if (p) {
		if (!fgets(out, sizeof(out), p))
			out[0] = '\0';
		pclose(p);
	}
	CHECK(p && atoi(out) == 0 && out[0] == '0',
	      "a dump of hirelink's database holds no InMail content (%s)",
	      out);
	free(cmd);

	/* logs: every log of the stack but the sandbox's own */
	const char *conf = itest_env("HIRELINK_CONFIG");
	const char *slash = strrchr(conf, '/');
	char *dir = itest_fmt("%.*s/log", slash ? (int)(slash - conf) : 1,
			      slash ? conf : ".");
	DIR *d = opendir(dir);
	size_t files = 0;
	CHECK(d != NULL, "the logs are in %s", dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.' || strstr(e->d_name, "sandbox"))
			continue;
		char *path = itest_fmt("%s/%s", dir, e->d_name);
		files++;
		CHECK(!file_has_mark(path), "InMail content in %s", path);
		free(path);
	}
	if (d)
		closedir(d);
	CHECK(files > 0, "logs read");
	free(dir);
}

static void linkedin_down_or_slow_the_tab_answers_at_once(void)
{
	json_t *before = tab_json(&rita, cand);
	size_t stored = json_array_size(
	    json_object_get(acts(before), "items"));
	CHECK(stored >= 6, "stored entries: %zu", stored);
	json_decref(before);

	/* LinkedIn down: every conversationEvents call fails */
	CHECK(itest_sandbox_control(
		  "{\"fail\": {\"path_prefix\": \"/v2/conversationEvents\", "
		  "\"status\": 500}}") == 200,
	      "fail rule");
	char *refresh = itest_fmt("/candidates/%lld/activities/refresh", cand);
	struct itest_resp r =
	    itest_post(itest_as(&rita), refresh, false, rita.csrf, NULL);
	CHECK_STATUS(r, 303, "Retry");
	char *tab = tab_path(cand);
	CHECK(!strcmp(itest_location(&r), tab), "back to the tab: %s",
	      itest_location(&r));
	free(tab);
	itest_resp_free(&r);
	bool failing = false;
	json_t *j = NULL;
	for (int i = 0; i < 80 && !failing; i++) {
		sleep_ms(250);
		json_decref(j);
		j = tab_json(&rita, cand);
		failing = json_is_true(json_object_get(acts(j), "failing"));
	}
	CHECK(failing, "the tab says the last refresh failed");
	CHECK(json_array_size(json_object_get(acts(j), "items")) == stored,
	      "with the stored entries");
	CHECK(*itest_jstr(acts(j), "error") != '\0', "and why");
	json_decref(j);
	char *path = tab_path(cand);
	r = itest_get(itest_as(&rita), path, false);
	CHECK_HAS(r, "activities/refresh", "a Retry form");
	CHECK_HAS(r, "updated ", "the stored data's age");
	itest_resp_free(&r);

	/* LinkedIn slow (each call 5 s, beyond the 3 s budget): the page
	 * does not wait */
	itest_sandbox_control("{\"reset\": true}");
	CHECK(itest_sandbox_control(
		  "{\"fail\": {\"path_prefix\": \"/v2/\", \"delay_ms\": "
		  "5000}}") == 200,
	      "delay rule");
	r = itest_post(itest_as(&rita), refresh, false, rita.csrf, NULL);
	itest_resp_free(&r);
	for (int i = 0; i < 5; i++) {
		int64_t t0 = now_ms();
		r = itest_get(itest_as(&rita), path, true);
		int64_t took = now_ms() - t0;
		CHECK_STATUS(r, 200, "the tab while LinkedIn is slow");
		CHECK(took < 1500, "answered in %lld ms", (long long)took);
		json_t *sj = itest_json(&r);
		CHECK(json_array_size(json_object_get(acts(sj), "items")) ==
			  stored,
		      "the stored entries");
		json_decref(sj);
		itest_resp_free(&r);
		sleep_ms(500);
	}
	/* LinkedIn back: Retry brings the tab up to date */
	itest_sandbox_control("{\"reset\": true}");
	sleep_ms(5500); /* calls under way finish */
	r = itest_post(itest_as(&rita), refresh, false, rita.csrf, NULL);
	itest_resp_free(&r);
	failing = true;
	for (int i = 0; i < 120 && failing; i++) {
		sleep_ms(250);
		j = tab_json(&rita, cand);
		failing = json_is_true(json_object_get(acts(j), "failing"));
		json_decref(j);
	}
	CHECK(!failing, "LinkedIn back: the tab is up to date again");
	free(path);
	free(refresh);
}

static void a_stopped_worker_catches_up_in_12_hour_windows_and_pages(void)
{
	/* the worker is down for 31 h: cara's seat's cursors are that old;
	 * meanwhile at LinkedIn InMail over 30 h and 110 notes in one
	 * window (more than a page of 100) */
	for (int i = 0; i < 80 &&
			itest_sql_int("SELECT COUNT(*) FROM li_seats WHERE "
				      "seat_urn = '%s'",
				      seat_c.seat) < 1;
	     i++)
		sleep_ms(250);
	CHECK(itest_stack("worker-stop") == 0, "worker stopped");
	int64_t now = now_ms(), h = 3600 * 1000LL;
	ITEST_SQL("cursors 31 h old",
		  itest_fmt("UPDATE li_seats SET events_cursor_ms = %lld, "
			    "notes_cursor_ms = %lld WHERE seat_urn = '%s'",
			    (long long)(now - 31 * h),
			    (long long)(now - 31 * h), seat_c.seat));
	const int64_t ats[] = {now - 30 * h, now - 25 * h, now - 19 * h,
			       now - 13 * h, now - 7 * h,  now - 1 * h};
	for (size_t i = 0; i < ARRAY_LEN(ats); i++)
		free(inmail(&seat_c, prospect2, ats[i]));
	for (int i = 0; i < 110; i++) {
		char *t = itest_fmt("Cara note %d %s", i, run);
		note(&seat_c, prospect2, t, i % 2 ? "PUBLIC" : "PRIVATE",
		     now - 17 * h + i * 30000);
		free(t);
	}
	CHECK(member_rows("li_inmail_activity", prospect2) == 0,
	      "nothing read while the worker is down");
	/* the worker's log from here on */
	const char *conf = itest_env("HIRELINK_CONFIG");
	const char *slash = strrchr(conf, '/');
	char *log = itest_fmt("%.*s/log/worker.log",
			      slash ? (int)(slash - conf) : 1,
			      slash ? conf : ".");
	long from = 0;
	FILE *f = fopen(log, "r");
	if (f && fseek(f, 0, SEEK_END) == 0)
		from = ftell(f);
	if (f)
		fclose(f);
	CHECK(itest_stack("worker-start") == 0, "worker started");
	json_decref(tab_json(&cara, cand2)); /* asks for cara's seat */
	for (int i = 0; i < 160 &&
			(member_rows("li_inmail_activity", prospect2) < 6 ||
			 member_rows("li_recruiter_notes", prospect2) < 110);
	     i++)
		sleep_ms(250);
	CHECK(member_rows("li_inmail_activity", prospect2) == 6,
	      "every InMail over 30 h: %lld",
	      member_rows("li_inmail_activity", prospect2));
	CHECK(member_rows("li_recruiter_notes", prospect2) == 110,
	      "every note of the 110 in one window (two pages): %lld",
	      member_rows("li_recruiter_notes", prospect2));
	json_t *j = tab_json(&cara, cand2);
	CHECK(json_array_size(json_object_get(acts(j), "items")) == 50 &&
		  json_is_true(json_object_get(acts(j), "more")),
	      "50 a page, more to come");
	json_decref(j);
	long st;
	char *last = itest_fmt("/candidates/%lld?tab=activities&page=3", cand2);
	j = itest_get_json(itest_as(&cara), last, &st);
	CHECK(json_array_size(json_object_get(acts(j), "items")) == 16 &&
		  json_is_false(json_object_get(acts(j), "more")),
	      "116 in all: 16 on page 3");
	json_decref(j);
	free(last);
	/* the worker said how: at least 3 windows of each kind, and more
	 * pages than windows */
	f = fopen(log, "r");
	if (f && from > 0)
		fseek(f, from, SEEK_SET);
	char line[2048];
	int best_windows = 0, best_pages = 0; /* the claim that read most */
	char *needle = itest_fmt("activities: seat %s: ", seat_c.seat);
	while (f && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, needle);
		int w = 0, pg = 0;
		if (p && sscanf(p + strlen(needle), "%d windows, %d pages", &w,
				&pg) == 2 &&
		    w > best_windows) {
			best_windows = w;
			best_pages = pg;
		}
	}
	if (f)
		fclose(f);
	CHECK(best_windows >= 6, "31 h read in >= 3 windows of each kind: %d",
	      best_windows);
	CHECK(best_pages > best_windows, "more pages (%d) than windows (%d)",
	      best_pages, best_windows);
	/* and LinkedIn refuses a longer window, so none was asked for */
	free(needle);
	free(log);
}

static void a_seat_change_at_linkedin_reaches_hirelink(void)
{
	CHECK(itest_sql_int("SELECT seat_type = 'recruiter' FROM "
			    "linkedin_connections WHERE user_id = %lld",
			    sid.id) == 1,
	      "sid connected with a Recruiter seat");
	char *refresh = itest_fmt("/candidates/%lld/activities/refresh", cand);
	/* at LinkedIn, sid's seat becomes a Hiring Manager seat */
	ITEST_SANDBOX_SQL("seat type", itest_fmt(
			      "UPDATE seats SET seat_type = 'HIRING_MANAGER' "
			      "WHERE member_id = (SELECT id FROM members "
			      "WHERE urn_id = '%s')",
			      seat_d.id));
	struct itest_resp r =
	    itest_post(itest_as(&sid), refresh, false, sid.csrf, NULL);
	CHECK_STATUS(r, 303, "sid's Retry");
	itest_resp_free(&r);
	long long hm = 0;
	for (int i = 0; i < 80 && hm != 1; i++) {
		sleep_ms(250);
		hm = itest_sql_int("SELECT seat_type = 'hiring_manager' FROM "
				   "linkedin_connections WHERE user_id = %lld",
				   sid.id);
	}
	CHECK(hm == 1, "hirelink knows sid's seat is a Hiring Manager seat");
	r = itest_get(itest_as(&sid), "/settings/user?tab=connections", false);
	if (r.status == 200)
		CHECK(itest_has(&r, "Hiring Manager") ||
			  itest_has(&r, "hiring_manager"),
		      "the Connections tab shows it");
	itest_resp_free(&r);

	/* then taken away: the tab says so and links to the fix */
	ITEST_SANDBOX_SQL("seat gone", itest_fmt(
			      "UPDATE seats SET active = 0 WHERE member_id = "
			      "(SELECT id FROM members WHERE urn_id = '%s')",
			      seat_d.id));
	r = itest_post(itest_as(&sid), refresh, false, sid.csrf, NULL);
	itest_resp_free(&r);
	long long none = 0;
	for (int i = 0; i < 80 && none != 1; i++) {
		sleep_ms(250);
		none = itest_sql_int("SELECT seat_type = 'none' AND seat_urn "
				     "IS NULL FROM linkedin_connections WHERE "
				     "user_id = %lld",
				     sid.id);
	}
	CHECK(none == 1, "hirelink knows sid has no seat now");
	json_t *j = tab_json(&sid, cand);
	CHECK(!strcmp(itest_jstr(acts(j), "state"), "no_seat"),
	      "the tab: no seat (%s)", itest_jstr(acts(j), "state"));
	CHECK(!strcmp(itest_jstr(acts(j), "fix_url"), "/settings/linkedin"),
	      "with the link to check the connection");
	json_decref(j);
	r = itest_post(itest_as(&sid), refresh, true, sid.csrf, NULL);
	CHECK_STATUS(r, 409, "nothing to refresh without a seat");
	itest_resp_free(&r);
	/* given back: seen when sid opens the tab (no seat: the seats are
	 * read again) */
	ITEST_SANDBOX_SQL("seat back", itest_fmt(
			      "UPDATE seats SET seat_type = 'RECRUITER', "
			      "active = 1 WHERE member_id = (SELECT id FROM "
			      "members WHERE urn_id = '%s')",
			      seat_d.id));
	ITEST_SQL("no wait for the gap", itest_strdup(
		      "UPDATE li_activity_sync SET seats_asked_at = NULL"));
	json_decref(tab_json(&sid, cand));
	long long rec = 0;
	for (int i = 0; i < 80 && rec != 1; i++) {
		sleep_ms(250);
		rec = itest_sql_int("SELECT seat_type = 'recruiter' FROM "
				    "linkedin_connections WHERE user_id = %lld",
				    sid.id);
	}
	CHECK(rec == 1, "the seat given back reaches hirelink");
	free(refresh);
}

/* The tab's page as p sees it, HTML: whether it contains text. */
static bool page_has(struct itest_person *p, long long candidate,
		    const char *text)
{
	char *path = tab_path(candidate);
	struct itest_resp r = itest_get(itest_as(p), path, false);
	CHECK(r.status == 200, "GET %s as %s: %ld", path, p->name, r.status);
	bool has = r.body && strstr(r.body, text) != NULL;
	itest_resp_free(&r);
	free(path);
	return has;
}

/*
 * A list is kept under who sees it (candidate_activities.c): a private
 * Recruiter note kept for its author's seat is never served to another
 * seat - another user's, nor the same user's once she holds another seat
 * (connected again as another member).  Run after the first test, whose
 * notes it reads: rita's private one, rob's private one.
 */
static void a_kept_private_note_never_reaches_another_seat(void)
{
	char *priv = itest_fmt("Rita private %s", run);
	char *robs = itest_fmt("Rob private %s", run);
	CHECK(page_has(&rita, cand, priv), "rita's private note on her page");
	CHECK(page_has(&rita, cand, priv), "and on the kept one");
	CHECK(!page_has(&rob, cand, priv),
	      "rob (another seat) never gets rita's kept private note");
	CHECK(page_has(&rob, cand, robs), "rob gets his own");
	CHECK(!page_has(&rob, cand, priv), "nor from his kept list");
	ITEST_SQL("rita on seat b", itest_fmt(
		      "UPDATE linkedin_connections SET seat_urn = '%s' WHERE "
		      "user_id = %lld",
		      seat_b.seat, rita.id));
	CHECK(!page_has(&rita, cand, priv),
	      "rita on another seat: not her old seat's private note");
	CHECK(page_has(&rita, cand, robs),
	      "but the private notes of the seat she holds now");
	ITEST_SQL("rita on seat a again", itest_fmt(
		      "UPDATE linkedin_connections SET seat_urn = '%s' WHERE "
		      "user_id = %lld",
		      seat_a.seat, rita.id));
	CHECK(page_has(&rita, cand, priv), "her seat again: her note");
	CHECK(!page_has(&rita, cand, robs), "and not rob's");
	/* The whole page is kept (web_body_kept), once for all of rita's
	 * sessions: a second session gets it with its own CSRF token in
	 * every form, never the first session's. */
	struct itest_client *again = itest_signed_in(&rita);
	char *path = tab_path(cand);
	struct itest_resp r1 = itest_get(itest_as(&rita), path, false);
	struct itest_resp r2 = itest_get(again, path, false);
	char *t1 = itest_csrf(&r1), *t2 = itest_csrf(&r2);
	CHECK(r2.status == 200 && t1 && t2 && strcmp(t1, t2) != 0,
	      "two sessions, two tokens (%ld)", r2.status);
	CHECK(r2.body && strstr(r2.body, priv), "the kept page, her note");
	CHECK(t1 && r2.body && !strstr(r2.body, t1),
	      "the second session's page holds no token of the first");
	CHECK(t1 && t2 && r1.body && r2.body &&
		  itest_count(r1.body, t1) >= 2 &&
		  itest_count(r1.body, t1) == itest_count(r2.body, t2),
	      "each session's token in each of its forms");
	free(t1);
	free(t2);
	itest_resp_free(&r1);
	itest_resp_free(&r2);
	itest_client_free(again);
	free(path);
	free(priv);
	free(robs);
}

/*
 * A kept page never lies about its age, and opening the tab still asks
 * for a refresh of the viewer's seat when one is due, but not a write a
 * view: the page is kept only until its "updated N minutes ago" would
 * change or the next refresh is due (candidate_activities.c), with
 * nothing changed in the database in between.  The worker is stopped so
 * that nothing but the clock moves.
 */
static void a_kept_tab_tells_its_age_and_asks_refreshes_when_due(void)
{
	itest_stack("worker-stop");
	/* rita's seat read 55 s ago, a refresh asked 24 s ago: due at 30 */
	ITEST_SQL("seat read 55 s ago", itest_fmt(
		      "UPDATE li_seats SET polled_at = NOW(3) - INTERVAL 55 "
		      "SECOND, refresh_asked_at = NOW(3) - INTERVAL 24 SECOND, "
		      "last_error = NULL, last_error_at = NULL WHERE seat_urn "
		      "= '%s'",
		      seat_a.seat));
	long long rev = itest_sql_int("SELECT n FROM revisions WHERE name = "
				      "'li_viewer %lld'",
				      rita.id);
	char *asked = itest_sql_str("SELECT refresh_asked_at FROM li_seats "
				    "WHERE seat_urn = '%s'",
				    seat_a.seat);
	for (int i = 0; i < 3; i++)
		CHECK(page_has(&rita, cand, "updated less than a minute ago"),
		      "view %d: less than a minute", i);
	CHECK(itest_sql_int("SELECT n FROM revisions WHERE name = "
			    "'li_viewer %lld'",
			    rita.id) == rev,
	      "three views wrote nothing of rita's");
	char *asked2 = itest_sql_str("SELECT refresh_asked_at FROM li_seats "
				     "WHERE seat_urn = '%s'",
				     seat_a.seat);
	CHECK(!strcmp(asked, asked2),
	      "no refresh asked again before it is due");
	itest_pause_ms(7000);
	CHECK(page_has(&rita, cand, "updated 1 minute ago"),
	      "7 s later the page says 1 minute: only the clock moved");
	CHECK(itest_sql_int("SELECT refresh_asked_at > NOW(3) - INTERVAL 5 "
			    "SECOND FROM li_seats WHERE seat_urn = '%s'",
			    seat_a.seat) == 1,
	      "and that view asked for the refresh due");
	free(asked);
	free(asked2);
	itest_stack("worker-start");
}

/*
 * The list of the page is kept between views (under revisions, sql/139):
 * each change to what it shows is there at the next view, whoever made
 * it - here straight in the tables, as the worker or another node would.
 */
static void the_kept_list_shows_each_change_at_the_next_view(void)
{
	char *note = itest_fmt("Kept note %s", run);
	char *edited = itest_fmt("Edited note %s", run);
	char *title = itest_fmt("Kept job %s", run);
	char *renamed = itest_fmt("Rita Renamed%s", run);
	CHECK(!page_has(&rita, cand2, note), "no note yet");
	CHECK(!page_has(&rita, cand2, note), "no note yet, kept");

	ITEST_SQL("a public note", itest_fmt(
		      "INSERT INTO li_recruiter_notes (note_id, contract_urn, "
		      "owner_seat_urn, prospect_member_id, visibility, note, "
		      "created_ms, last_modified_ms) VALUES ('kept-%s', "
		      "'urn:li:contract:1', '%s', '%s', 'PUBLIC', '%s', %lld, "
		      "%lld)",
		      run, seat_b.seat, prospect2, note, (long long)now_ms(),
		      (long long)now_ms()));
	CHECK(page_has(&rita, cand2, note), "the new note");
	ITEST_SQL("the note edited", itest_fmt(
		      "UPDATE li_recruiter_notes SET note = '%s' WHERE note_id "
		      "= 'kept-%s'",
		      edited, run));
	CHECK(page_has(&rita, cand2, edited), "the edited note");
	CHECK(!page_has(&rita, cand2, note), "not the old text");
	ITEST_SQL("the note gone", itest_fmt(
		      "DELETE FROM li_recruiter_notes WHERE note_id = 'kept-%s'",
		      run));
	CHECK(!page_has(&rita, cand2, edited), "the note is gone");

	/* a rejection (an application's event), then its job renamed and
	 * the user who rejected renamed */
	ITEST_SQL("a job", itest_fmt("INSERT INTO jobs (title, description, "
				     "status) VALUES ('%s', 'x', 'active')",
				     title));
	long long kj = itest_sql_int("SELECT id FROM jobs WHERE title = '%s'",
				     title);
	ITEST_SQL("its stage", itest_fmt("INSERT INTO job_stages (job_id, "
					 "name, kind, position) VALUES "
					 "(%lld, 'Prospect', 'prospect', 1)",
					 kj));
	ITEST_SQL("rita on it", itest_fmt("INSERT INTO job_members (job_id, "
					  "user_id, role) VALUES (%lld, %lld, "
					  "'recruiter')",
					  kj, rita.id));
	long long ks = itest_sql_int("SELECT id FROM job_stages WHERE job_id = "
				     "%lld",
				     kj);
	ITEST_SQL("an application", itest_fmt(
		      "INSERT INTO applications (job_id, candidate_id, "
		      "stage_id, status) VALUES (%lld, %lld, %lld, 'rejected')",
		      kj, cand2, ks));
	CHECK(!page_has(&rita, cand2, title), "no rejection yet");
	ITEST_SQL("its rejection", itest_fmt(
		      "INSERT INTO application_events (application_id, user_id, "
		      "kind, detail) SELECT id, %lld, 'rejected', 'Kept' FROM "
		      "applications WHERE job_id = %lld",
		      rita.id, kj));
	CHECK(page_has(&rita, cand2, title), "the rejection");
	ITEST_SQL("the job renamed", itest_fmt(
		      "UPDATE jobs SET title = CONCAT(title, ' (renamed)') WHERE "
		      "id = %lld",
		      kj));
	char *title2 = itest_fmt("%s (renamed)", title);
	CHECK(page_has(&rita, cand2, title2), "the job's new title");
	char *old = itest_sql_str("SELECT name FROM users WHERE id = %lld",
				  rita.id);
	ITEST_SQL("rita renamed", itest_fmt("UPDATE users SET name = '%s' "
					    "WHERE id = %lld",
					    renamed, rita.id));
	CHECK(page_has(&rita, cand2, renamed), "who rejected, renamed");
	ITEST_SQL("rita's name back",
		  itest_fmt("UPDATE users SET name = '%s' WHERE id = %lld",
			    old, rita.id));
	ITEST_SQL("its application gone",
		  itest_fmt("DELETE FROM applications WHERE job_id = %lld", kj));
	ITEST_SQL("the job gone", itest_fmt("DELETE FROM jobs WHERE id = %lld",
					    kj));
	free(old);
	free(title2);
	free(note);
	free(edited);
	free(title);
	free(renamed);
}

static void integration_off_says_so_and_links_to_the_set_up(void)
{
	char *csrf = itest_csrf_of(itest_as(&ada), "/admin/linkedin");
	/* enabling needs the contract now */
	struct itest_resp r = itest_post(
	    itest_as(&ada), "/admin/linkedin", true, csrf, "enabled", "1",
	    "client_id", li->client_id, "organization_urn", li->organization,
	    "ats_instance_name", "hirelink test", NULL);
	CHECK_STATUS(r, 400, "enable without a contract");
	CHECK_HAS(r, "\"field\":\"contract_urn\"", "names the contract");
	itest_resp_free(&r);
	r = itest_post(itest_as(&ada), "/admin/linkedin", false, csrf,
		       "client_id", li->client_id, "organization_urn",
		       li->organization, "contract_urn", li->contract,
		       "ats_instance_name", "hirelink test", NULL);
	CHECK_STATUS(r, 303, "LinkedIn off");
	itest_resp_free(&r);
	free(csrf);
	json_t *j = tab_json(&ada, cand);
	CHECK(!strcmp(itest_jstr(acts(j), "state"), "off"), "off: %s",
	      itest_jstr(acts(j), "state"));
	CHECK(!strcmp(itest_jstr(acts(j), "fix_url"), "/admin/linkedin"),
	      "the admin gets the link to set it up");
	CHECK(count_items(j, "rejection", NULL) == 1,
	      "hirelink's own rejections still show");
	json_decref(j);
	char *path = tab_path(cand);
	r = itest_get(itest_as(&nora), path, false);
	CHECK_STATUS(r, 200, "the tab, LinkedIn off");
	CHECK_HAS(r, "Ask an admin", "others are told whom to ask");
	CHECK_LACKS(r, "Rita private", "no private note without a seat");
	itest_resp_free(&r);
	free(path);
	json_decref(first_page);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(activities_are_newest_first_with_who_sees_what),
	    TEST(a_kept_private_note_never_reaches_another_seat),
	    TEST(a_kept_tab_tells_its_age_and_asks_refreshes_when_due),
	    TEST(no_inmail_content_in_pages_json_tables_or_logs),
	    TEST(linkedin_down_or_slow_the_tab_answers_at_once),
	    TEST(a_stopped_worker_catches_up_in_12_hour_windows_and_pages),
	    TEST(a_seat_change_at_linkedin_reaches_hirelink),
	    TEST(the_kept_list_shows_each_change_at_the_next_view),
	    TEST(integration_off_says_so_and_links_to_the_set_up),
	};
	static const struct suite suites[] = {
	    SUITE("activities", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
