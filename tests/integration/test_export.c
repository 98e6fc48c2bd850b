/*
 * test_export.c - one-click export end to end, as the seed tells it: in
 * LinkedIn Recruiter (the sandbox), on a member's profile, a recruiter finds
 * a hirelink job by title or job ID (Change ATS to pick the instance),
 * selects it and clicks Export; in hirelink the person appears on that
 * job's Prospect tab.
 *
 * The whole stack takes part: hirelink enables the integration at LinkedIn
 * and syncs its jobs (the outbox worker), the sandbox's Recruiter page and
 * its delivery thread send the signed notification, hirelink's callback
 * stores it and the worker applies it.  The test stack's second hirelink
 * instance is another customer of the same organization, for Change ATS.
 * Nothing here writes LinkedIn's side by hand: what Recruiter offers is what
 * hirelink synced.
 */
#include <CUnit/Basic.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "../suite.h"
#include "itest.h"

#define TAG "Export"

/* One hirelink instance as this test sets it up. */
struct instance {
	int n;			   /* 1 or 2 */
	struct itest_person admin; /* who enabled LinkedIn */
	struct itest_person rec;   /* a recruiter connected to LinkedIn */
	long long job;		   /* an active job with a Prospect stage */
	char *title;		   /* its title (unique to this run) */
	char *external_id;	   /* its externalJobPostingId at LinkedIn */
	const char *client_id;	   /* its application's */
};

static const struct itest_li_app *li;
static struct instance one = {.n = 1}, two = {.n = 2};
static char *candidates[8]; /* members without a seat */
/* candidates[5]: exported to ids this instance did not make */

/* ------------------------------------------------------------ helpers */

/* Polls fn(arg) every 100 ms for up to ms; whether it came true. */
static bool eventually(bool (*fn)(void *), void *arg, int ms)
{
	for (int waited = 0;; waited += 100) {
		if (fn(arg))
			return true;
		if (waited >= ms)
			return false;
		usleep(100 * 1000);
	}
}

/* The sandbox holds the instance's job as LISTED, and Recruiter shows it
 * to the recruiter: its externalJobPostingId then.  The recruiter made the
 * job, so is its member, and the job's ACL is hers: the posting is sent
 * before the ACL, and the ACL before its assignee, so until the last of
 * the three lands the job box does not offer the job to her. */
static bool job_synced(void *arg)
{
	struct instance *in = arg;
	free(in->external_id);
	in->external_id = itest_sandbox_sql_str(
	    "SELECT p.external_job_posting_id FROM job_postings p WHERE"
	    " p.client_id = '%s' AND p.title = '%s' AND p.state = 'LISTED'"
	    " AND EXISTS (SELECT 1 FROM job_posting_acl l WHERE l.client_id ="
	    " p.client_id AND l.organization_id = p.organization_id AND"
	    " l.external_job_posting_id = p.external_job_posting_id AND"
	    " l.assignee = 'urn:li:person:%s')",
	    in->client_id, in->title, li->recruiter.id);
	return *in->external_id != '\0';
}

static bool export_enabled(void *arg)
{
	struct instance *in = arg;
	return itest_sandbox_sql_int(
		   "SELECT COUNT(*) FROM ats_integrations i JOIN"
		   " ats_integration_configs k ON k.client_id = i.client_id"
		   " AND k.organization_id = i.organization_id AND"
		   " k.integration_type = i.integration_type AND k.config_key"
		   " = 'CALLBACK_URL' WHERE i.client_id = '%s' AND"
		   " i.integration_type = 'ONE_CLICK_EXPORT' AND i.enabled = 1",
		   in->client_id) == 1;
}

/* Sets instance in up: LinkedIn enabled (and so at LinkedIn), a
 * recruiter connected as the first Recruiter seat holder, an active job
 * synced. 0 or -1. */
static int instance_up(struct instance *in)
{
	int was = itest_instance(in->n);
	int rc = -1;

	in->client_id = li->apps[in->n - 1].client_id;
	in->title = itest_fmt("Export engineer %d-%ld", in->n, (long)getpid());
	if (itest_person_add(&in->admin, "ada", TAG, "admin", "none") < 0 ||
	    itest_person_add(&in->rec, "rita", TAG, "recruiter",
			     "recruiter") < 0 ||
	    !itest_as(&in->admin) || !itest_as(&in->rec))
		goto out;
	struct itest_resp r = itest_li_enable(in->admin.c, NULL);
	CHECK_STATUS(r, 303, "LinkedIn set up");
	itest_resp_free(&r);
	r = itest_post(in->admin.c, "/admin/linkedin/integrations", false,
		       in->admin.csrf, "action", "enable", NULL);
	CHECK_STATUS(r, 303, "Enable at LinkedIn");
	itest_resp_free(&r);
	if (!eventually(export_enabled, in, 10000)) {
		CHECK(false, "instance %d: export enabled at LinkedIn", in->n);
		goto out;
	}
	char *back = itest_li_connect(in->rec.c, li->recruiter.id, "allow");
	if (!back)
		goto out;
	r = itest_get(in->rec.c, back, false);
	CHECK_STATUS(r, 303, "connected to LinkedIn");
	itest_resp_free(&r);
	free(back);

	r = itest_post(in->rec.c, "/jobs", false, in->rec.csrf, "title",
		       in->title, "location", "Berlin, Germany", "description",
		       "Builds hirelink", NULL);
	CHECK_STATUS(r, 303, "a job");
	if (sscanf(itest_location(&r), "/jobs/%lld", &in->job) != 1)
		in->job = 0;
	itest_resp_free(&r);
	char *act = itest_fmt("/jobs/%lld/activate", in->job);
	r = itest_post(in->rec.c, act, false, in->rec.csrf, NULL);
	CHECK(r.status == 303, "activated: %ld", r.status);
	itest_resp_free(&r);
	free(act);
	if (!eventually(job_synced, in, 10000)) {
		CHECK(false, "instance %d: the job is LISTED at LinkedIn",
		      in->n);
		goto out;
	}
	rc = 0;
out:
	itest_instance(was);
	return rc;
}

static int suite_init(void)
{
	li = itest_li_app();
	if (!li)
		return -1;
	for (int i = 0; i < 8; i++) {
		candidates[i] = itest_sandbox_sql_str(
		    "SELECT urn_id FROM members WHERE id = %d", 200 + i);
		if (!*candidates[i])
			return -1;
	}
	itest_sandbox_sql("DELETE FROM sandbox_meta WHERE k ="
			  " 'deliveries_held'");
	return instance_up(&one) < 0 || instance_up(&two) < 0 ? -1 : 0;
}

static bool export_disabled(void *arg)
{
	struct instance *in = arg;
	return itest_sandbox_sql_int(
		   "SELECT COUNT(*) FROM ats_integrations WHERE client_id ="
		   " '%s' AND enabled = 1",
		   in->client_id) == 0;
}

/* Leaves the instance as the stack had it: the integrations disabled at
 * LinkedIn, and LinkedIn set up but off, so that later programs find
 * nothing of this one's. */
static void instance_down(struct instance *in)
{
	int was = itest_instance(in->n);
	if (in->admin.c) {
		struct itest_resp r = itest_post(
		    in->admin.c, "/admin/linkedin/integrations", false,
		    in->admin.csrf, "action", "disable", NULL);
		CHECK_STATUS(r, 303, "Disable at LinkedIn");
		itest_resp_free(&r);
		CHECK(eventually(export_disabled, in, 10000),
		      "instance %d: the integrations disabled at LinkedIn",
		      in->n);
		r = itest_post(in->admin.c, "/admin/linkedin", false,
			       in->admin.csrf, "client_id", in->client_id,
			       "organization_urn", li->organization,
			       "ats_instance_name",
			       in->n == 2 ? "hirelink test 2" : "hirelink test",
			       NULL);
		CHECK_STATUS(r, 303, "LinkedIn off");
		itest_resp_free(&r);
	}
	itest_person_free(&in->admin);
	itest_person_free(&in->rec);
	free(in->title);
	free(in->external_id);
	itest_instance(was);
}

static int suite_clean(void)
{
	instance_down(&one);
	instance_down(&two);
	for (int i = 0; i < 8; i++)
		free(candidates[i]);
	return 0;
}

/* A member's name as hirelink shows a candidate: "First Last"; new. */
static char *member_name(const char *member)
{
	char *first = itest_sandbox_sql_str(
	    "SELECT first_name FROM members WHERE urn_id = '%s'", member);
	char *last = itest_sandbox_sql_str(
	    "SELECT last_name FROM members WHERE urn_id = '%s'", member);
	char *name = itest_fmt("%s %s", first, last);
	free(first);
	free(last);
	return name;
}

/* How many applications of candidate (by name) the instance's job has on
 * its Prospect tab, as its recruiter sees it; -1 when the page fails. */
static int on_prospect_tab(struct instance *in, const char *name)
{
	int was = itest_instance(in->n);
	long st;
	char *path = itest_fmt("/jobs/%lld?stage=prospect", in->job);
	json_t *page = itest_get_json(in->rec.c, path, &st);
	int n = st == 200 ? 0 : -1;
	json_t *a;
	size_t i;
	json_array_foreach(json_object_get(page, "applications"), i, a)
	    n += !strcmp(itest_jstr(a, "name"), name);
	json_decref(page);
	free(path);
	itest_instance(was);
	return n;
}

struct landing {
	struct instance *in;
	const char *name;
};

static bool landed(void *arg)
{
	struct landing *l = arg;
	return on_prospect_tab(l->in, l->name) == 1;
}

/* The sandbox's Recruiter page of member, signed in as c, with query. */
static struct itest_resp recruiter_page(struct itest_client *c,
					const char *member, const char *query)
{
	char *url = itest_fmt("%s/talent/profile/%s?%s", itest_sandbox_url(),
			      member, query);
	struct itest_resp r = itest_get(c, url, false);
	free(url);
	return r;
}

/* In Recruiter (c signed in), on member's profile: Change ATS to in's, find
 * its job by title, select it, Export.  The answer to Export. */
static struct itest_resp export_in_recruiter(struct itest_client *c,
					     const char *member,
					     struct instance *in)
{
	char *q = itest_form("ats", in->client_id, "q", in->title, NULL);
	struct itest_resp page = recruiter_page(c, member, q);
	CHECK_STATUS(page, 200, "Recruiter's profile page");
	char *radio = itest_fmt("value=\"%s\"", in->external_id);
	CHECK_HAS(page, radio, "the job box finds the job by its title");
	char *csrf = itest_field(&page, "csrf");
	char *url = itest_fmt("%s/talent/profile/%s/export",
			      itest_sandbox_url(), member);
	struct itest_resp r =
	    itest_post(c, url, false, csrf, "ats", in->client_id, "job",
		       in->external_id, "q", in->title, NULL);
	free(url);
	free(csrf);
	free(radio);
	free(q);
	itest_resp_free(&page);
	return r;
}

/* ------------------------------------------------------------ tests */

static void export_lands_on_the_prospect_tab(void)
{
	struct itest_client *c = itest_client_new(NULL);
	CHECK(itest_li_signin(c, li->recruiter.id, NULL) == 303,
	      "signed in to Recruiter");
	char *name = member_name(candidates[0]);
	struct itest_resp r = export_in_recruiter(c, candidates[0], &one);
	CHECK_STATUS(r, 200, "Export");
	CHECK_HAS(r, "Exported to hirelink test", "Recruiter says where");
	itest_resp_free(&r);
	struct landing l = {&one, name};
	CHECK(eventually(landed, &l, 10000),
	      "%s is on the job's Prospect tab", name);
	free(name);
	itest_client_free(c);
}

static void change_ats_sends_each_export_to_the_chosen_instance_only(void)
{
	struct itest_client *c = itest_client_new(NULL);
	CHECK(itest_li_signin(c, li->recruiter.id, NULL) == 303,
	      "signed in to Recruiter");
	struct itest_resp page = recruiter_page(c, candidates[1], "");
	char *box = itest_between(page.body, "<summary>Change ATS</summary>",
				  "</details>");
	CHECK(box && strstr(box, "hirelink test</a>") &&
		  strstr(box, "hirelink test 2</a>"),
	      "Change ATS lists both instances: %s", box ? box : "(none)");
	free(box);
	itest_resp_free(&page);

	char *to_two = member_name(candidates[1]);
	char *to_one = member_name(candidates[2]);
	struct itest_resp r = export_in_recruiter(c, candidates[1], &two);
	CHECK_HAS(r, "Exported to hirelink test 2", "to the second instance");
	itest_resp_free(&r);
	r = export_in_recruiter(c, candidates[2], &one);
	CHECK_HAS(r, "Exported to hirelink test<", "to the first instance");
	itest_resp_free(&r);
	struct landing l2 = {&two, to_two}, l1 = {&one, to_one};
	CHECK(eventually(landed, &l2, 10000), "%s landed on instance 2",
	      to_two);
	CHECK(eventually(landed, &l1, 10000), "%s landed on instance 1",
	      to_one);
	CHECK(on_prospect_tab(&one, to_two) == 0,
	      "the export to instance 2 is not on instance 1");
	CHECK(on_prospect_tab(&two, to_one) == 0,
	      "the export to instance 1 is not on instance 2");
	free(to_one);
	free(to_two);
	itest_client_free(c);
}

/* The delivery's tries so far, and its state. */
static long long tries_of(const char *member, char **state)
{
	*state = itest_sandbox_sql_str(
	    "SELECT d.state FROM deliveries d JOIN exports e ON e.request_id ="
	    " d.request_id JOIN members m ON m.id = e.candidate_member_id"
	    " WHERE m.urn_id = '%s' ORDER BY d.id DESC LIMIT 1",
	    member);
	return itest_sandbox_sql_int(
	    "SELECT d.attempts FROM deliveries d JOIN exports e ON"
	    " e.request_id = d.request_id JOIN members m ON m.id ="
	    " e.candidate_member_id WHERE m.urn_id = '%s' ORDER BY d.id DESC"
	    " LIMIT 1",
	    member);
}

static void hirelink_down_while_linkedin_delivers_gets_it_when_back(void)
{
	struct itest_client *c = itest_client_new(NULL);
	CHECK(itest_li_signin(c, li->recruiter.id, NULL) == 303,
	      "signed in to Recruiter");
	char *name = member_name(candidates[3]);
	CHECK(itest_stack("app-stop") == 0, "hirelink stopped");
	struct itest_resp r = export_in_recruiter(c, candidates[3], &one);
	CHECK_HAS(r, "Exported to hirelink test", "Recruiter exports anyway");
	itest_resp_free(&r);
	/* LinkedIn tries, hirelink's nginx answers 502, LinkedIn retries */
	char *state = NULL;
	long long tries = 0;
	for (int i = 0; i < 40 && tries < 2; i++) {
		free(state);
		usleep(100 * 1000);
		tries = tries_of(candidates[3], &state);
	}
	CHECK(tries >= 2 && !strcmp(state, "pending"),
	      "tried while hirelink was down: %lld tries, %s", tries, state);
	free(state);
	CHECK(itest_stack("app-start") == 0, "hirelink back");
	struct landing l = {&one, name};
	CHECK(eventually(landed, &l, 15000),
	      "a retry landed %s once hirelink was back", name);
	tries = tries_of(candidates[3], &state);
	CHECK(!strcmp(state, "delivered"), "delivered: %s after %lld tries",
	      state, tries);
	free(state);
	free(name);
	itest_client_free(c);
}


/* The instance's id, as /admin/linkedin shows it; new. */
static char *instance_id_of(struct instance *in)
{
	int was = itest_instance(in->n);
	long st;
	json_t *j = itest_get_json(in->admin.c, "/admin/linkedin", &st);
	char *id = itest_strdup(
	    itest_jstr(json_object_get(j, "at_linkedin"), "instance_id"));
	json_decref(j);
	itest_instance(was);
	return id;
}

/* Instance in's event of request_id as its events page has it (JSON),
 * once it has a result: new, NULL when it has none within 10 s. */
static json_t *event_result(struct instance *in, const char *request_id)
{
	int was = itest_instance(in->n);
	json_t *found = NULL;
	for (int waited = 0; !found && waited <= 10000; waited += 100) {
		long st;
		json_t *j = itest_get_json(in->admin.c, "/admin/linkedin/events",
					   &st);
		json_t *e;
		size_t i;
		json_array_foreach(json_object_get(j, "events"), i, e)
		{
			if (!strcmp(itest_jstr(e, "request_id"), request_id) &&
			    strcmp(itest_jstr(e, "status"), "received"))
				found = json_incref(e);
		}
		json_decref(j);
		if (!found)
			usleep(100 * 1000);
	}
	itest_instance(was);
	return found;
}

/* Two instances set up with one LinkedIn application (a copied config):
 * LinkedIn holds both's jobs under it and sends every export to one
 * callback.  An export whose job id this instance did not make (another
 * instance's prefix, or no hirelink id at all) is refused with the
 * reason, never applied to this instance's job of the same number. */
static void an_export_to_another_instances_job_is_refused(void)
{
	char *mine = instance_id_of(&one), *theirs = instance_id_of(&two);
	CHECK(strlen(mine) == 8 && strlen(theirs) == 8 && strcmp(mine, theirs),
	      "two instance ids: %s %s", mine, theirs);
	/* the same number as instance one's job */
	char *theirs_id = itest_fmt("%s-J-%05lld", theirs, one.job);
	char *malformed = itest_fmt("%s-X-%05lld", mine, one.job);
	const struct {
		const char *ext, *why;
	} cases[] = {
	    {theirs_id, "was synced by another hirelink instance"},
	    {malformed, "is not one hirelink makes"},
	};
	char *name = member_name(candidates[5]);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *ext = cases[i].ext;
		ITEST_SANDBOX_SQL(
		    "LinkedIn holds a job by that id for instance one's "
		    "application",
		    itest_fmt("INSERT INTO job_postings (client_id,"
			      " organization_id, external_job_posting_id,"
			      " title, description, location, availability,"
			      " state, company_apply_url, listed_at) VALUES"
			      " ('%s', %s, '%s', '%s elsewhere', 'About it',"
			      " 'Berlin, Germany', 'PUBLIC', 'LISTED',"
			      " 'http://x/', 1)",
			      one.client_id, strrchr(li->organization, ':') + 1,
			      ext, one.title));
		char *id = itest_li_export(li->recruiter.id, candidates[5], ext,
					   one.client_id);
		json_t *e = event_result(&one, id);
		CHECK(e && !strcmp(itest_jstr(e, "status"), "refused") &&
			  strstr(itest_jstr(e, "reason"), cases[i].why) &&
			  strstr(itest_jstr(e, "reason"), ext) &&
			  itest_jint(e, "job_id") == 0,
		      "%s: %s \"%s\", job %lld", ext,
		      e ? itest_jstr(e, "status") : "(no result)",
		      e ? itest_jstr(e, "reason") : "",
		      e ? itest_jint(e, "job_id") : -1LL);
		json_decref(e);
		ITEST_SANDBOX_SQL(
		    "the job goes",
		    itest_fmt("DELETE FROM job_postings WHERE client_id = '%s'"
			      " AND external_job_posting_id = '%s'",
			      one.client_id, ext));
		free(id);
	}
	CHECK(on_prospect_tab(&one, name) == 0,
	      "%s is not on instance one's job of the same number", name);
	free(malformed);
	free(theirs_id);
	free(name);
	free(mine);
	free(theirs);
}


/* An export whose read failed for good (LinkedIn answered 400) leaves its
 * event failed and its outbox row dead: the outbox page's Retry of that
 * row applies it again, as the events page's Retry would. */
static void the_outbox_pages_retry_applies_a_failed_export(void)
{
	char *name = member_name(candidates[6]);
	CHECK(itest_sandbox_control(
		  "{\"fail\":{\"path_prefix\":\"/v2/exportedCandidates\","
		  "\"status\":400,\"count\":1}}") == 200,
	      "LinkedIn refuses the next export read");
	char *id = itest_li_export(li->recruiter.id, candidates[6],
				   one.external_id, one.client_id);
	json_t *e = event_result(&one, id);
	CHECK(e && !strcmp(itest_jstr(e, "status"), "failed") &&
		  strstr(itest_jstr(e, "reason"), "400"),
	      "the event failed with LinkedIn's answer: %s \"%s\"",
	      e ? itest_jstr(e, "status") : "(no result)",
	      e ? itest_jstr(e, "reason") : "");
	long long event = e ? itest_jint(e, "id") : 0;
	json_decref(e);
	CHECK(itest_sandbox_control("{\"reset\":true}") == 200, "reset");
	long long row = itest_sql_int(
	    "SELECT id FROM outbox WHERE kind = 'inbound_event' AND entity_id"
	    " = %lld AND state = 'dead'",
	    event);
	CHECK(row > 0, "its outbox row is dead: %lld", row);
	CHECK(on_prospect_tab(&one, name) == 0, "not applied yet");

	struct itest_resp page =
	    itest_get(one.admin.c, "/admin/linkedin/outbox", false);
	char *action = itest_fmt("/admin/linkedin/outbox/%lld/retry", row);
	CHECK_HAS(page, action, "the outbox page offers its Retry");
	itest_resp_free(&page);
	struct itest_resp r =
	    itest_post(one.admin.c, action, false, one.admin.csrf, NULL);
	CHECK_STATUS(r, 303, "Retry on the outbox page");
	itest_resp_free(&r);
	struct landing l = {&one, name};
	CHECK(eventually(landed, &l, 10000),
	      "%s is on the job's Prospect tab after the Retry", name);
	e = event_result(&one, id);
	CHECK(e && !strcmp(itest_jstr(e, "status"), "applied"),
	      "the event is applied: %s", e ? itest_jstr(e, "status") : "");
	json_decref(e);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action ="
			    " 'inbound_event.retry' AND entity_id = %lld",
			    event) == 1,
	      "audited as the events page's Retry");
	free(action);
	free(id);
	free(name);
}


/* The worker is killed while it applies an export (waiting for LinkedIn's
 * answer): nothing is half-written, and once its lease is over the
 * restarted worker applies the export, once. */
static void a_worker_killed_mid_apply_applies_it_once_after_restart(void)
{
	char *name = member_name(candidates[7]);
	CHECK(itest_sandbox_control(
		  "{\"fail\":{\"path_prefix\":\"/v2/exportedCandidates\","
		  "\"delay_ms\":4000,\"count\":1}}") == 200,
	      "LinkedIn is slow to answer the next export read");
	char *id = itest_li_export(li->recruiter.id, candidates[7],
				   one.external_id, one.client_id);
	long long attempts = 0;
	for (int i = 0; i < 100 && attempts < 1; i++) {
		usleep(100 * 1000);
		attempts = itest_sql_int("SELECT attempts FROM inbound_events"
					 " WHERE request_id = '%s'",
					 id);
	}
	CHECK(attempts == 1, "the worker is applying it: %lld attempts",
	      attempts);
	CHECK(itest_stack("worker-kill") == 0, "the worker killed");
	char *status = itest_sql_str(
	    "SELECT status FROM inbound_events WHERE request_id = '%s'", id);
	CHECK(!strcmp(status, "received") && on_prospect_tab(&one, name) == 0,
	      "nothing applied by the killed worker: %s", status);
	free(status);
	/* its lease is over (the test does not wait the minute) */
	ITEST_SQL("the killed worker's lease ends",
		  itest_fmt("UPDATE outbox o JOIN inbound_events e ON"
			    " o.kind = 'inbound_event' AND o.entity_id = e.id"
			    " SET o.next_attempt_at = NOW(3), o.leased_until ="
			    " NULL WHERE e.request_id = '%s'",
			    id));
	CHECK(itest_stack("worker-start") == 0, "a worker again");
	struct landing l = {&one, name};
	CHECK(eventually(landed, &l, 15000),
	      "%s is on the Prospect tab once, after the restart", name);
	usleep(500 * 1000);
	CHECK(on_prospect_tab(&one, name) == 1, "and only once");
	status = itest_sql_str(
	    "SELECT CONCAT(status, '|', attempts) FROM inbound_events WHERE"
	    " request_id = '%s'",
	    id);
	CHECK(!strcmp(status, "applied|2"), "applied at the second attempt: %s",
	      status);
	free(status);
	CHECK(itest_sandbox_control("{\"reset\":true}") == 200, "reset");
	free(id);
	free(name);
}

/* ------------------------------------------------------------ faults */

/* The inbound event of request id and its outbox row:
 * "status|state|attempts|error?" ("-" when the row is gone). */
static char *event_state(const char *id)
{
	return itest_sql_str(
	    "SELECT CONCAT(e.status, '|', COALESCE(o.state, '-'), '|',"
	    " COALESCE(o.attempts, 0), '|', IF(o.last_error IS NULL, '', "
	    "'error')) FROM inbound_events e LEFT JOIN outbox o ON o.kind ="
	    " 'inbound_event' AND o.entity_id = e.id WHERE e.request_id = "
	    "'%s'",
	    id);
}

/*
 * LinkedIn's answer to the export read breaks as fault says (issue 17):
 * hirelink's worker records the failure and keeps the outbox row pending
 * (rescheduled, not dead), applies nothing; once LinkedIn answers again
 * the export lands once, and a duplicate delivery of its notification
 * adds nothing.  No crash: hirelink answers, and the sanitizers' logs are
 * checked by the run.
 */
static void an_export_survives(const char *fault, int member_row)
{
	char *member = itest_sandbox_sql_str(
	    "SELECT urn_id FROM members WHERE id = %d", member_row);
	char *name = member_name(member);
	char *rule = itest_fmt("{\"fail\":{\"path_prefix\":"
			       "\"/v2/exportedCandidates\",\"fault\":\"%s\"}}",
			       fault);
	CHECK(itest_sandbox_control(rule) == 200, "LinkedIn's export reads: %s",
	      fault);
	char *id = itest_li_export(li->recruiter.id, member, one.external_id,
				   one.client_id);
	char *st = NULL;
	for (int i = 0; i < 100; i++) {
		free(st);
		st = event_state(id);
		if (strstr(st, "|error"))
			break;
		usleep(100 * 1000);
	}
	CHECK(!strncmp(st, "received|pending|", 17) && strstr(st, "|error"),
	      "%s: the failure recorded, the row rescheduled: %s", fault, st);
	CHECK(on_prospect_tab(&one, name) == 0, "%s: nothing applied", fault);
	struct itest_client *anon = itest_client_new(NULL);
	struct itest_resp r = itest_get(anon, "/healthz", false);
	CHECK_STATUS(r, 200, "hirelink answers after the fault");
	itest_resp_free(&r);
	itest_client_free(anon);

	CHECK(itest_sandbox_control("{\"reset\":true}") == 200, "reset");
	ITEST_SQL("the retry due now (the test does not wait the backoff)",
		  itest_fmt("UPDATE outbox o JOIN inbound_events e ON"
			    " o.kind = 'inbound_event' AND o.entity_id = e.id"
			    " SET o.next_attempt_at = NOW(3) WHERE"
			    " e.request_id = '%s'",
			    id));
	struct landing l = {&one, name};
	CHECK(eventually(landed, &l, 10000),
	      "%s: %s lands once LinkedIn answers again", fault, name);
	char *body = itest_fmt("{\"requestId\":\"%s\"}", id);
	r = itest_sandbox_post("/sandbox/notifications/redeliver", body);
	CHECK_STATUS(r, 200, "LinkedIn delivers the notification again");
	itest_resp_free(&r);
	usleep(1500 * 1000);
	CHECK(on_prospect_tab(&one, name) == 1, "%s: applied once", fault);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM inbound_events WHERE"
			    " request_id = '%s'",
			    id) == 1,
	      "%s: one event for the two deliveries", fault);
	free(st);
	st = event_state(id);
	CHECK(!strncmp(st, "applied|", 8), "%s: the event %s", fault, st);
	free(body);
	free(st);
	free(id);
	free(rule);
	free(name);
	free(member);
}

static void a_dropped_connection_is_tried_again(void)
{
	an_export_survives("reset", 220);
}

static void a_truncated_answer_is_tried_again(void)
{
	an_export_survives("truncate", 221);
}

static void an_answer_that_is_not_json_is_tried_again(void)
{
	an_export_survives("invalid_json", 222);
}

/* A member whose names and headline carry markup, quotes, a right-to-left
 * override and the longest text LinkedIn keeps, exported into hirelink:
 * inert on the Prospect tab, the candidate page and in the LinkedIn tab's
 * list of possible members (issue 17). */
static void check_inert(struct itest_resp *r, const char *where)
{
	CHECK(r->status == 200, "%s: status %ld", where, r->status);
	CHECK_LACKS(*r, "<script>alert(", where);
	CHECK_LACKS(*r, "<img src=x", where);
	CHECK_LACKS(*r, "<b>bold</b>", where);
	CHECK_LACKS(*r, "\" onmouseover=\"", where);
	CHECK_LACKS(*r, "\xe2\x80\xae", where); /* U+202E, raw */
	CHECK_HAS(*r, "&lt;script&gt;alert(1)&lt;/script&gt;", where);
}

static void a_hostile_member_is_inert_on_every_page(void)
{
	struct buf h = BUF_INIT;
	buf_adds(&h, "\\u202efdp.exe <b>bold</b> \\\" onmouseover=\\\"alert(3)");
	while (h.len < 240)
		buf_adds(&h, " long");
	char *json = itest_fmt(
	    "{\"firstName\":\"<script>alert(1)</script>\","
	    "\"lastName\":\"O'Brien \\\"<img src=x onerror=alert(2)>\","
	    "\"headline\":\"%s\",\"location\":\"<i>Berlin</i>\"}",
	    h.data);
	buf_release(&h);
	struct itest_resp r = itest_sandbox_post("/sandbox/members", json);
	CHECK_STATUS(r, 201, "POST /sandbox/members");
	json_t *j = itest_json(&r);
	char *member = itest_strdup(itest_jstr(j, "id"));
	json_decref(j);
	itest_resp_free(&r);
	free(json);

	char *id = itest_li_export(li->recruiter.id, member, one.external_id,
				   one.client_id);
	long long cand = 0;
	for (int i = 0; i < 100 && cand <= 0; i++) {
		usleep(100 * 1000);
		cand = itest_sql_int("SELECT id FROM candidates WHERE "
				     "linkedin_member_id = '%s'",
				     member);
	}
	CHECK(cand > 0, "the hostile member was exported: %lld", cand);

	int was = itest_instance(1);
	char *path = itest_fmt("/jobs/%lld?stage=prospect", one.job);
	r = itest_get(one.rec.c, path, false);
	check_inert(&r, "the Prospect tab");
	itest_resp_free(&r);
	free(path);
	path = itest_fmt("/candidates/%lld", cand);
	r = itest_get(one.rec.c, path, false);
	check_inert(&r, "the candidate page");
	itest_resp_free(&r);
	free(path);

	/* the same names typed into hirelink: LinkedIn's possible members
	 * for it list the hostile one, headline and all */
	struct itest_resp made = itest_post(
	    one.rec.c, "/candidates", false, one.rec.csrf, "first_name",
	    "<script>alert(1)</script>", "last_name",
	    "O'Brien \"<img src=x onerror=alert(2)>", NULL);
	CHECK_STATUS(made, 303, "a candidate of the same names");
	long long twin = 0;
	sscanf(itest_location(&made), "/candidates/%lld", &twin);
	itest_resp_free(&made);
	path = itest_fmt("/candidates/%lld?tab=linkedin", twin);
	bool listed = false;
	for (int i = 0; i < 100 && !listed; i++) {
		r = itest_get(one.rec.c, path, false);
		listed = itest_has(&r, member);
		if (!listed) {
			itest_resp_free(&r);
			usleep(100 * 1000);
		}
	}
	CHECK(listed, "the LinkedIn tab lists the hostile member");
	if (listed) {
		check_inert(&r, "the LinkedIn tab's possible members");
		itest_resp_free(&r);
	}
	itest_instance(was);
	free(path);
	free(id);
	free(member);
}

static void recruiter_offers_no_export_to_a_hiring_manager_seat(void)
{
	struct itest_client *c = itest_client_new(NULL);
	CHECK(itest_li_signin(c, li->manager.id, NULL) == 303,
	      "a Hiring Manager seat signs in to Recruiter");
	char *q = itest_form("ats", one.client_id, "q", one.title, NULL);
	struct itest_resp r = recruiter_page(c, candidates[4], q);
	CHECK_STATUS(r, 200, "the profile");
	CHECK_HAS(r, one.title, "the job is there");
	CHECK_LACKS(r, ">Export</button>", "but no Export");
	itest_resp_free(&r);
	free(q);
	itest_client_free(c);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(export_lands_on_the_prospect_tab),
	    TEST(change_ats_sends_each_export_to_the_chosen_instance_only),
	    TEST(hirelink_down_while_linkedin_delivers_gets_it_when_back),
	    TEST(an_export_to_another_instances_job_is_refused),
	    TEST(the_outbox_pages_retry_applies_a_failed_export),
	    TEST(a_worker_killed_mid_apply_applies_it_once_after_restart),
	    TEST(recruiter_offers_no_export_to_a_hiring_manager_seat),
	    TEST(a_dropped_connection_is_tried_again),
	    TEST(a_truncated_answer_is_tried_again),
	    TEST(an_answer_that_is_not_json_is_tried_again),
	    TEST(a_hostile_member_is_inert_on_every_page),
	};
	static const struct suite suites[] = {
	    SUITE("export", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
