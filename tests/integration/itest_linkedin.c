/*
 * itest_linkedin.c - the integration tests' side of the LinkedIn sandbox
 * (part of itest; see itest.h): its application and seat holders, its
 * failure-injection control, its consent page answered as a member, and
 * hirelink's own steps that lead there (an admin enabling the integration,
 * a user connecting).
 *
 * Every request goes through an itest client, so a user's browser that
 * goes to LinkedIn and back is one client with one cookie jar, as in life.
 */
#include "itest.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linkedin/linkedin.h"

/* ------------------------------------------------------------ the app */

static void seat_set(struct itest_li_seat *s, const char *id, const char *first,
		     const char *last)
{
	s->id = itest_strdup(id);
	s->first = itest_strdup(first);
	s->name = itest_fmt("%s %s", first, last);
}

/* Fills app from the credentials' JSON; 0, or -1 when its shape is not
 * the expected one. */
static int app_from_json(struct itest_li_app *app, json_t *j)
{
	const char *id, *secret, *org, *contract, *rid, *rfirst, *rlast, *mid,
	    *mfirst, *mlast;
	json_error_t e;
	if (json_unpack_ex(j, &e, 0,
			   "{s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s}],"
			   " s:[{s:s, s:s, s:s}]}",
			   "client_id", &id, "client_secret", &secret,
			   "organization", &org, "contract", &contract,
			   "recruiters", "id", &rid, "firstName", &rfirst,
			   "lastName", &rlast, "hiringManagers", "id", &mid,
			   "firstName", &mfirst, "lastName", &mlast) < 0) {
		fprintf(stderr, "itest: /sandbox/credentials: %s\n", e.text);
		return -1;
	}
	app->client_id = itest_strdup(id);
	app->client_secret = itest_strdup(secret);
	json_t *apps = json_object_get(j, "applications");
	for (size_t i = 0; i < sizeof(app->apps) / sizeof(app->apps[0]); i++) {
		const char *aid, *asecret;
		if (json_unpack_ex(json_array_get(apps, i), &e, 0,
				   "{s:s, s:s}", "client_id", &aid,
				   "client_secret", &asecret) < 0) {
			fprintf(stderr,
				"itest: /sandbox/credentials application "
				"%zu: %s\n",
				i + 1, e.text);
			return -1;
		}
		app->apps[i].client_id = itest_strdup(aid);
		app->apps[i].client_secret = itest_strdup(asecret);
	}
	app->organization = itest_strdup(org);
	app->contract = itest_strdup(contract);
	seat_set(&app->recruiter, rid, rfirst, rlast);
	seat_set(&app->manager, mid, mfirst, mlast);
	return 0;
}

const struct itest_li_app *itest_li_app(void)
{
	static struct itest_li_app app;
	if (app.client_id)
		return &app;
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s/sandbox/credentials", itest_sandbox_url());
	struct itest_resp r = itest_get(c, url, true);
	json_t *j = json_loadb(r.body, r.len, 0, NULL);
	if (r.status != 200 || !j) {
		fprintf(stderr, "itest: cannot read %s\n", url);
		itest_dump(&r);
	}
	int rc = j ? app_from_json(&app, j) : -1;
	json_decref(j);
	itest_resp_free(&r);
	free(url);
	itest_client_free(c);
	return rc == 0 ? &app : NULL;
}

/* ------------------------------------------------------------ the sandbox */

struct itest_resp itest_sandbox_post(const char *path, const char *json)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s%s", itest_sandbox_url(), path);
	struct itest_resp r = itest_post_raw(c, url, "application/json", json,
					     strlen(json), NULL);
	free(url);
	itest_client_free(c);
	return r;
}

long itest_sandbox_control(const char *json)
{
	struct itest_resp r = itest_sandbox_post("/sandbox/control", json);
	if (r.status != 200)
		fprintf(stderr, "itest: sandbox control %s: %ld %s\n", json,
			r.status, r.body);
	long status = r.status;
	itest_resp_free(&r);
	return status;
}

char *itest_li_app_token(int app)
{
	const struct itest_li_app *a = itest_li_app();
	if (!a || app < 0 || app > 1)
		return itest_strdup("");
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s/oauth/v2/accessToken", itest_sandbox_url());
	char *body = itest_form("grant_type", "client_credentials", "client_id",
				a->apps[app].client_id, "client_secret",
				a->apps[app].client_secret, NULL);
	struct itest_resp r = itest_post_form(c, url, body);
	json_t *j = itest_json(&r);
	char *t = itest_strdup(itest_jstr(j, "access_token"));
	if (!*t)
		itest_dump(&r);
	json_decref(j);
	itest_resp_free(&r);
	free(body);
	free(url);
	itest_client_free(c);
	return t;
}

struct itest_resp itest_li_api(const char *method, const char *path,
			       const char *token, const char *json)
{
	struct itest_client *c = itest_client_new(NULL);
	char *url = itest_fmt("%s%s", itest_sandbox_url(), path);
	char *hdr = itest_fmt("Authorization: Bearer %s", token);
	struct itest_resp r =
	    itest_request(c, method, url, true, json ? "application/json" : NULL,
			  json, json ? strlen(json) : 0, hdr);
	free(hdr);
	free(url);
	itest_client_free(c);
	return r;
}

json_t *itest_li_switch_integration(int app, const char *type,
				    const char *status, long *st)
{
	const struct itest_li_app *a = itest_li_app();
	json_t *body = json_pack("{s:s, s:s}", "clientId",
				 a ? a->apps[app].client_id : "", "status",
				 status);
	if (type)
		json_object_set_new(body, "integrationType", json_string(type));
	char *text = json_dumps(body, JSON_COMPACT);
	struct itest_resp r = itest_sandbox_post("/sandbox/integrations", text);
	json_t *j = itest_json(&r);
	*st = r.status;
	if (r.status >= 500)
		itest_dump(&r);
	itest_resp_free(&r);
	free(text);
	json_decref(body);
	return j;
}

struct itest_resp itest_li_export_post(const char *exporter,
				       const char *member, const char *job,
				       const char *client_id)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "exporter", exporter,
			      "member", member, "externalJobPostingId", job,
			      "clientId", client_id);
	char *body = json_dumps(j, JSON_COMPACT);
	struct itest_resp r = itest_sandbox_post("/sandbox/exports", body);
	free(body);
	json_decref(j);
	return r;
}

char *itest_li_export(const char *exporter, const char *member,
		      const char *job, const char *client_id)
{
	struct itest_resp r =
	    itest_li_export_post(exporter, member, job, client_id);
	CHECK_STATUS(r, 201, "the export (POST /sandbox/exports)");
	json_t *j = itest_json(&r);
	char *id = itest_strdup(itest_jstr(j, "requestId"));
	json_decref(j);
	itest_resp_free(&r);
	return id;
}

struct itest_resp itest_li_consent(struct itest_client *c, const char *url,
				   const char *member, const char *action)
{
	struct itest_resp page = itest_get(c, url, false);
	CHECK_STATUS(page, 200, "the sandbox's consent page");
	CHECK_HAS(page, "LinkedIn sandbox", "the sandbox's consent page");
	char *option = itest_fmt("<option value=\"%s\">", member);
	CHECK_HAS(page, option, "the consent page offers the member");
	char *client_id = itest_field(&page, "client_id");
	char *redirect_uri = itest_field(&page, "redirect_uri");
	char *state = itest_field(&page, "state");
	char *scope = itest_field(&page, "scope");
	char *consent = itest_field(&page, "consent");
	char *to = itest_fmt("%s/oauth/v2/authorization", itest_sandbox_url());
	struct itest_resp r = itest_post(
	    c, to, false, NULL, "client_id", client_id, "redirect_uri",
	    redirect_uri, "state", state, "scope", scope, "consent", consent,
	    "member", member, "action", action, NULL);
	free(to);
	free(consent);
	free(scope);
	free(state);
	free(redirect_uri);
	free(client_id);
	free(option);
	itest_resp_free(&page);
	return r;
}

long itest_li_signin(struct itest_client *c, const char *member,
		     const char *next)
{
	/* member= offers any member, seat or none (a prospect reading an
	 * InMail) */
	char *q = itest_form("member", member, "next", next ? next : "/", NULL);
	char *url = itest_fmt("%s/login?%s", itest_sandbox_url(), q);
	struct itest_resp page = itest_get(c, url, false);
	CHECK_STATUS(page, 200, "the sandbox's sign-in page");
	char *option = itest_fmt("<option value=\"%s\">", member);
	CHECK_HAS(page, option, "the sign-in page offers the member");
	char *signin = itest_field(&page, "signin");
	char *to = itest_fmt("%s/login", itest_sandbox_url());
	struct itest_resp r =
	    itest_post(c, to, false, NULL, "member", member, "next",
		       next ? next : "/", "signin", signin, NULL);
	long status = r.status;
	if (status != 303)
		itest_dump(&r);
	itest_resp_free(&r);
	itest_resp_free(&page);
	free(to);
	free(signin);
	free(option);
	free(url);
	free(q);
	return status;
}

/* ------------------------------------------------------------ hirelink */

struct itest_resp itest_li_enable(struct itest_client *c, const char *secret)
{
	const struct itest_li_app *li = itest_li_app();
	if (!li)
		return (struct itest_resp){.body = itest_strdup(""),
					   .headers = itest_strdup("")};
	int n = itest_instance(0);
	const struct itest_li_client *app = &li->apps[n - 1];
	char *csrf = itest_csrf_of(c, "/admin/linkedin");
	struct itest_resp r = itest_post(
	    c, "/admin/linkedin", false, csrf, "enabled", "1", "client_id",
	    app->client_id, "client_secret",
	    secret ? secret : app->client_secret, "organization_urn",
	    li->organization, "contract_urn", li->contract, "ats_instance_name",
	    n == 2 ? "hirelink test 2" : "hirelink test", NULL);
	free(csrf);
	return r;
}

int itest_li_enable_instance2(struct itest_person *admin, const char *who,
			      const char *tag)
{
	int was = itest_instance(2), rc = -1;
	if (itest_person_add(admin, who, tag, "admin", "none") == 0 &&
	    itest_as(admin)) {
		struct itest_resp r = itest_li_enable(admin->c, NULL);
		CHECK_STATUS(r, 303, "instance 2: the admin enables LinkedIn");
		rc = r.status == 303 ? 0 : -1;
		itest_resp_free(&r);
	}
	CHECK(rc == 0, "instance 2 has LinkedIn enabled");
	itest_instance(was);
	return rc;
}

char *itest_li_instance(struct itest_client *c)
{
	long st;
	json_t *j = itest_get_json(c, "/admin/linkedin", &st);
	char *id = itest_strdup(
	    itest_jstr(json_object_get(j, "at_linkedin"), "instance_id"));
	json_decref(j);
	return id;
}

void itest_li_leave_off(struct itest_client *c)
{
	const struct itest_li_app *li = itest_li_app();
	if (!li)
		return;
	char *csrf = itest_csrf_of(c, "/admin/linkedin");
	struct itest_resp r =
	    itest_post(c, "/admin/linkedin", false, csrf, "client_id",
		       li->client_id, "organization_urn", li->organization,
		       "ats_instance_name", "hirelink test", NULL);
	itest_resp_free(&r);
	free(csrf);
}

char *itest_outbox_row(const char *kind, long long id)
{
	return itest_sql_str("SELECT CONCAT(state, '|', attempts, '|', "
			     "COALESCE(last_error, '')) FROM outbox WHERE kind "
			     "= '%s' AND entity_id = %lld",
			     kind, id);
}

char *itest_await_outbox(const char *kind, long long id, const char *prefix,
			 int ms)
{
	long long t0 = itest_now_ms();
	for (;;) {
		char *row = itest_outbox_row(kind, id);
		bool ok =
		    *prefix ? !strncmp(row, prefix, strlen(prefix)) : !*row;
		if (ok)
			return row;
		if (itest_now_ms() - t0 > ms) {
			CHECK(false,
			      "outbox row of %s %lld: \"%s\", want "
			      "\"%s...\" (waited %d ms)",
			      kind, id, row, prefix, ms);
			return row;
		}
		free(row);
		itest_pause_ms(50);
	}
}

/* Connect on hirelink: the authorization URL it sends the browser to,
 * checked; new, NULL when there is none. */
static char *connect_start(struct itest_client *c)
{
	const struct itest_li_app *li = itest_li_app();
	/* the application of the instance c is on */
	const struct itest_li_client *app =
	    li ? &li->apps[itest_instance(0) - 1] : NULL;
	struct itest_resp r = itest_get(c, "/settings/linkedin/connect", false);
	CHECK_STATUS(r, 302, "connect redirects to LinkedIn");
	const char *loc = itest_header(&r, "Location");
	CHECK(loc && strstr(loc, "/oauth/v2/authorization?response_type=code"),
	      "connect goes to the authorization page: %s",
	      loc ? loc : "(none)");
	CHECK(loc && strstr(loc, "state=") && strstr(loc, "redirect_uri=") &&
		  app && strstr(loc, app->client_id),
	      "authorization URL carries client_id, redirect_uri and state");
	CHECK(!app || !strstr(r.headers, app->client_secret),
	      "the client secret stays out of the redirect");
	char *url = loc ? itest_strdup(loc) : NULL;
	itest_resp_free(&r);
	return url;
}

char *itest_li_connect(struct itest_client *c, const char *member,
		       const char *action)
{
	char *url = connect_start(c);
	if (!url)
		return NULL;
	struct itest_resp r = itest_li_consent(c, url, member, action);
	CHECK(r.status == 302, "consent form answers 302: %ld %.300s", r.status,
	      r.body);
	const char *back = itest_location(&r);
	char *cb =
	    r.status == 302 && strstr(back, "/settings/linkedin/callback?")
		? itest_strdup(back)
		: NULL;
	itest_resp_free(&r);
	free(url);
	return cb;
}

void itest_li_settings_settle(void)
{
	usleep((LI_SETTINGS_KEEP_MS + 100) * 1000);
}
