/*
 * test_permissions.c - the permission table, cell by cell: every route of
 * web/routes.c, for a signed-out visitor and for each role, answers as the
 * table in src/ats/access.h says.  A route added without a row here fails
 * the test, so the table cannot fall behind the code.
 *
 * The fixture: job J with members R (recruiter), HM (hiring manager) and IV
 * (interviewer); candidate C with application A on J; a public note N by R;
 * an attachment X on C; pool P; user U to edit.  R2 is a recruiter who is
 * not on J (J has members, so it is not "unassigned" for R2).
 *
 * A is at J's Prospect stage: the interviewer on J may not see it, nor C
 * through it (access.h's narrowing; test_roles checks the other side).
 *
 * Expectations per cell, roles in the order anon, admin, R, R2, HM, IV:
 *   A  allowed: the handler ran (any status but 401/403/404, and for GET not
 *      a redirect to sign-in); empty forms get their 400 here
 *   D  denied: 403
 *   H  hidden: 404 (the object exists, the user may not know it)
 *   L  sign in first: GET -> 303 to /login, POST -> 401
 *   U  401: a machine caller's route (ROUTE_MACHINE, LinkedIn's push
 *      notifications) reads no session and asks no CSRF token, so a role
 *      changes nothing; the test's empty POST carries no X-LI-Signature,
 *      and an unsigned delivery is 401.  Also /metrics to a visitor
 *      without its bearer token (it never sends people to sign in)
 * Destructive routes aim at an id that does not exist (Z): allowed roles get
 * 404 there, refused ones 403 from the route's roles.
 *
 * The pages that are also JSON for scripts (json_matrix) are asked again
 * with Accept: application/json: the same roles, every answer JSON, and a
 * signed-out visitor gets 401 there ('L') instead of the sign-in page.
 */
#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../suite.h"
#include "itest.h"
#include "web/web.h"

enum { ANON, ADMIN, REC, REC2, HM, IV, NROLES };
static const char *const role_label[NROLES] = {"anonymous", "admin", "recruiter on J",
					       "recruiter not on J", "hiring manager on J",
					       "interviewer on J"};

static const struct {
	const char *label; /* the route's method and pattern in routes.c */
	const char *path;  /* with {J} {A} {C} {N} {X} {P} {U} {Z} */
	const char *expect;
} matrix[] = {
	{"GET /", "/", "LAAAAA"},
	{"GET /login", "/login", "AAAAAA"},
	{"POST /login", "/login", "AAAAAA"},
	{"GET /jobs", "/jobs", "LAAAAA"},
	{"POST /jobs", "/jobs", "LAAADD"},
	{"GET /jobs/new", "/jobs/new", "LAAADD"},
	{"GET /jobs/{id}", "/jobs/{J}", "LAAHAA"},
	{"POST /jobs/{id}", "/jobs/{J}", "LAAHDD"},
	{"POST /jobs/{id}/close", "/jobs/{J}/close", "LAAHDD"},
	{"POST /jobs/{id}/activate", "/jobs/{J}/activate", "LAAHDD"},
	{"POST /jobs/{id}/members", "/jobs/{J}/members", "LAAHDD"},
	{"POST /jobs/{id}/stages", "/jobs/{J}/stages", "LAAHDD"},
	/* bulk actions (bulk.c): the roles of the single action */
	{"POST /jobs/{id}/bulk/move", "/jobs/{J}/bulk/move", "LAAHAD"},
	{"POST /jobs/{id}/bulk/reject", "/jobs/{J}/bulk/reject", "LAAHDD"},
	{"POST /jobs/{id}/bulk/pool", "/jobs/{J}/bulk/pool", "LAAHDD"},
	{"POST /jobs/{id}/bulk/job", "/jobs/{J}/bulk/job", "LAAHDD"},
	{"GET /careers/{id}", "/careers/J-{J}", "AAAAAA"},
	{"GET /jobs/{id}/stages/{stage}/delete", "/jobs/{J}/stages/{Z}/delete", "LHHHDD"},
	{"POST /jobs/{id}/criteria", "/jobs/{J}/criteria", "LAAHDD"},
	{"POST /applications", "/applications", "LAAADD"},
	{"GET /applications/{id}", "/applications/{A}", "LAAHAH"},
	{"POST /applications/{id}/move", "/applications/{A}/move", "LAAHAD"},
	{"POST /applications/{id}/reject", "/applications/{A}/reject", "LAAHDD"},
	{"POST /applications/{id}/hire", "/applications/{Z}/hire", "LHHHDD"},
	{"POST /applications/{id}/withdraw", "/applications/{Z}/withdraw", "LHHHDD"},
	{"POST /applications/{id}/feedback", "/applications/{A}/feedback", "LDAHAH"},
	/* each role's home and the feedback pages (issue 18); A is at
	 * Prospect, which the interviewer on J may not see (access.h) */
	{"GET /applications/{id}/feedback", "/applications/{A}/feedback", "LAAHAH"},
	{"POST /applications/{id}/feedback-requests", "/applications/{A}/feedback-requests", "LAAHAD"},
	{"POST /feedback/{id}", "/feedback/{Z}", "LHHHHH"},
	{"GET /feedback", "/feedback", "LAAAAA"},
	{"GET /review", "/review", "LAAAAD"},
	/* stage18: A is active, so Reopen is a 409 and Undo without an
	 * event_id a 400 for those admitted */
	{"POST /applications/{id}/reopen", "/applications/{A}/reopen", "LAAHDD"},
	{"POST /applications/{id}/undo", "/applications/{A}/undo", "LAAHAD"},
	{"GET /applications/{id}/confirm", "/applications/{A}/confirm?action=hire", "LAAHDD"},
	{"GET /candidates", "/candidates", "LAAAAA"},
	{"POST /candidates", "/candidates", "LAAADD"},
	{"GET /candidates/new", "/candidates/new", "LAAADD"},
	{"GET /candidates/{id}", "/candidates/{C}", "LAAAAH"},
	{"GET /candidates/{id}", "/candidates/{C}?tab=activities", "LAAAAH"},
	{"POST /candidates/{id}", "/candidates/{C}", "LAAADD"},
	{"POST /candidates/{id}/notes", "/candidates/{C}/notes", "LAAAAD"},
	{"POST /notes/{id}", "/notes/{N}", "LHAHHD"},
	{"POST /candidates/{id}/attachments", "/candidates/{C}/attachments", "LAAADD"},
	{"POST /candidates/{id}/activities/refresh", "/candidates/{C}/activities/refresh", "LAAAAH"},
	{"GET /attachments/{id}", "/attachments/{X}", "LAAAAH"},
	{"GET /attachments/{id}/preview", "/attachments/{X}/preview", "LAAAAH"},
	{"GET /attachments/{id}/delete", "/attachments/{X}/delete", "LAAADD"},
	{"POST /attachments/{id}/delete", "/attachments/{Z}/delete", "LHHHDD"},
	{"POST /candidates/{id}/linkedin/link", "/candidates/{C}/linkedin/link", "LAAADD"},
	{"POST /candidates/{id}/linkedin/unlink", "/candidates/{C}/linkedin/unlink", "LAAADD"},
	{"POST /candidates/{id}/linkedin/refresh", "/candidates/{C}/linkedin/refresh", "LAAAAH"},
	{"GET /candidates/{id}/delete", "/candidates/{C}/delete", "LADDDD"},
	{"POST /candidates/{id}/delete", "/candidates/{Z}/delete", "LHDDDD"},
	{"POST /candidates/bulk/pool", "/candidates/bulk/pool", "LAAADD"},
	{"POST /candidates/bulk/job", "/candidates/bulk/job", "LAAADD"},
	{"GET /pools", "/pools", "LAAADD"},
	{"POST /pools", "/pools", "LAAADD"},
	{"GET /pools/{id}", "/pools/{P}", "LAAADD"},
	{"POST /pools/{id}", "/pools/{P}", "LAAADD"},
	{"GET /pools/{id}/delete", "/pools/{P}/delete", "LAAADD"},
	{"POST /pools/{id}/delete", "/pools/{Z}/delete", "LHHHDD"},
	{"POST /pools/{id}/members", "/pools/{P}/members", "LAAADD"},
	{"POST /pools/{id}/fetch", "/pools/{P}/fetch", "LAAADD"},
	{"POST /pools/{id}/bulk/pool", "/pools/{P}/bulk/pool", "LAAADD"},
	{"POST /pools/{id}/bulk/job", "/pools/{P}/bulk/job", "LAAADD"},
	/* a bulk job is its creator's (and admins'): Z is no one's */
	{"GET /bulk/{id}", "/bulk/{Z}", "LHHHHD"},
	{"POST /bulk/{id}/confirm", "/bulk/{Z}/confirm", "LHHHHD"},
	{"GET /admin/users", "/admin/users", "LADDDD"},
	{"POST /admin/users", "/admin/users", "LADDDD"},
	{"POST /admin/users/{id}", "/admin/users/{U}", "LADDDD"},
	{"POST /admin/users/{id}/deactivate", "/admin/users/{Z}/deactivate", "LHDDDD"},
	{"POST /admin/users/{id}/activate", "/admin/users/{Z}/activate", "LHDDDD"},
	{"GET /settings/user", "/settings/user", "LAAAAA"},
	{"POST /settings/user/password", "/settings/user/password", "LAAAAA"},
	{"GET /admin/linkedin", "/admin/linkedin", "LADDDD"},
	{"POST /admin/linkedin", "/admin/linkedin", "LADDDD"},
	{"POST /admin/linkedin/test", "/admin/linkedin/test", "LADDDD"},
	{"POST /admin/linkedin/integrations", "/admin/linkedin/integrations", "LADDDD"},
	{"GET /admin/linkedin/outbox", "/admin/linkedin/outbox", "LADDDD"},
	{"POST /admin/linkedin/outbox/{id}/retry", "/admin/linkedin/outbox/{Z}/retry", "LHDDDD"},
	{"GET /settings/linkedin", "/settings/linkedin", "LAAAAA"},
	{"GET /settings/linkedin/connect", "/settings/linkedin/connect", "LAAAAA"},
	{"GET /settings/linkedin/callback", "/settings/linkedin/callback", "LAAAAA"},
	{"POST /settings/linkedin/disconnect", "/settings/linkedin/disconnect", "LAAAAA"},
	{"POST /settings/linkedin/check", "/settings/linkedin/check", "LAAAAA"},
	{"GET /linkedin/notifications", "/linkedin/notifications", "AAAAAA"},
	{"POST /linkedin/notifications", "/linkedin/notifications", "UUUUUU"},
	{"GET /admin/linkedin/events", "/admin/linkedin/events", "LADDDD"},
	{"POST /admin/linkedin/events/{id}/retry", "/admin/linkedin/events/{Z}/retry", "LHDDDD"},
	{"POST /admin/linkedin/backfill", "/admin/linkedin/backfill", "LADDDD"},
	{"GET /admin/linkedin/closed", "/admin/linkedin/closed", "LADDDD"},
	{"POST /admin/linkedin/closed/check", "/admin/linkedin/closed/check", "LADDDD"},
	{"POST /admin/linkedin/closed/{id}/erase", "/admin/linkedin/closed/{Z}/erase", "LHDDDD"},
	{"POST /browser-notice/dismiss", "/browser-notice/dismiss", "AAAAAA"},
	{"GET /healthz", "/healthz", "AAAAAA"},
	{"GET /metrics", "/metrics", "UADDDD"},
	{"GET /notes/{id}/delete", "/notes/{N}/delete", "LHAHHD"},
	/* last: the author deletes N, then everyone signs out */
	{"POST /notes/{id}/delete", "/notes/{N}/delete", "LHAHHD"},
	{"POST /logout", "/logout", "LAAAAA"},
};

/* The JSON faces of issue 14's pages (each also a row of matrix). */
static const struct {
	const char *label, *path, *expect;
} json_matrix[] = {
	{"GET /admin/linkedin", "/admin/linkedin", "LADDDD"},
	{"GET /admin/linkedin/outbox", "/admin/linkedin/outbox", "LADDDD"},
	{"GET /admin/linkedin/events", "/admin/linkedin/events", "LADDDD"},
	{"GET /admin/linkedin/events", "/admin/linkedin/events?status=failed",
	 "LADDDD"},
	{"GET /admin/linkedin/closed", "/admin/linkedin/closed", "LADDDD"},
	{"GET /careers/{id}", "/careers/J-{J}", "AAAAAA"},
};

static struct itest_client *client[NROLES];
static char ids[8][32]; /* J A C N X P U Z */
static const char id_names[] = "JACNXPUZ";

static int sql_exec(const char *fmt, ...)
{
	char q[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	return itest_sql(q);
}

static char *email_for(const char *who)
{
	char *u = itest_unique(who), *e = NULL;
	if (asprintf(&e, "%s@perm.hirelink.test", u) < 0)
		e = NULL;
	free(u);
	return e;
}

static long user_id(const char *email)
{
	return itest_sql_int("SELECT id FROM users WHERE email = '%s'", email);
}

static int suite_init(void)
{
	static const char *const roles[NROLES] = {NULL, "admin", "recruiter", "recruiter",
						  "hiring_manager", "interviewer"};
	static const char *const pw = "perm-password-1";
	long uid[NROLES] = {0};
	char *tag = itest_unique("perm");

	for (int r = 0; r < NROLES; r++) {
		client[r] = itest_client_new(NULL);
		if (r == ANON)
			continue;
		char *e = email_for(r == REC2 ? "rtwo" : roles[r]);
		if (!e || itest_useradd(e, role_label[r], roles[r], "none", pw) != 0 ||
		    itest_login(client[r], e, pw) != 303)
			return 1;
		uid[r] = user_id(e);
		free(e);
	}
	char *ue = email_for("target");
	if (itest_useradd(ue, "Target User", "interviewer", "none", pw) != 0)
		return 1;
	long u = user_id(ue);
	free(ue);

	if (sql_exec("INSERT INTO jobs (title, description, status) VALUES "
		     "('Job %s', '', 'active')", tag))
		return 1;
	long j =
	    itest_sql_int("SELECT id FROM jobs WHERE title = 'Job %s'", tag);
	if (sql_exec("INSERT INTO job_stages (job_id, name, kind, position) VALUES "
		     "(%ld, 'Prospect', 'prospect', 1), (%ld, 'Screen', 'screen', 2)",
		     j, j) ||
	    sql_exec("INSERT INTO job_members (job_id, user_id, role) VALUES "
		     "(%ld, %ld, 'recruiter'), (%ld, %ld, 'hiring_manager'), "
		     "(%ld, %ld, 'interviewer')",
		     j, uid[REC], j, uid[HM], j, uid[IV]) ||
	    sql_exec("INSERT INTO candidates (first_name, last_name, email) VALUES "
		     "('Perm', '%s', '%s@cand.hirelink.test')", tag, tag))
		return 1;
	long c = itest_sql_int(
	    "SELECT id FROM candidates WHERE last_name = '%s'", tag);
	long st =
	    itest_sql_int("SELECT id FROM job_stages WHERE job_id = %ld AND "
			  "position = 1",
			  j);
	if (sql_exec("INSERT INTO applications (job_id, candidate_id, stage_id) "
		     "VALUES (%ld, %ld, %ld)", j, c, st) ||
	    sql_exec("INSERT INTO notes (candidate_id, author_id, body, visibility) "
		     "VALUES (%ld, %ld, 'perm note', 'public')", c, uid[REC]) ||
	    sql_exec("INSERT INTO talent_pools (name) VALUES ('Pool %s')", tag))
		return 1;
	long a = itest_sql_int(
	    "SELECT id FROM applications WHERE candidate_id = %ld", c);
	long n =
	    itest_sql_int("SELECT id FROM notes WHERE candidate_id = %ld", c);
	long p = itest_sql_int(
	    "SELECT id FROM talent_pools WHERE name = 'Pool %s'", tag);

	/* the attachment goes through the real upload: a PDF, so that its
	 * preview is served */
	struct itest_resp page = itest_get(client[REC], "/settings/user", false);
	char *csrf = itest_csrf(&page);
	itest_resp_free(&page);
	const char *bd = "permBoundary42";
	char body[1024], ct[128], path[64];
	int len = snprintf(body, sizeof(body),
			   "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
			   "--%s\r\nContent-Disposition: form-data; name=\"file\"; "
			   "filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
			   "%%PDF-1.4 A short CV.\r\n--%s--\r\n",
			   bd, csrf ? csrf : "", bd, bd);
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", bd);
	snprintf(path, sizeof(path), "/candidates/%ld/attachments", c);
	struct itest_resp up = itest_post_raw(client[REC], path, ct, body, (size_t)len, NULL);
	itest_resp_free(&up);
	free(csrf);
	long x = itest_sql_int(
	    "SELECT id FROM attachments WHERE candidate_id = %ld", c);

	long v[8] = {j, a, c, n, x, p, u, 999999999};
	for (int i = 0; i < 8; i++) {
		if (v[i] <= 0) {
			fprintf(stderr, "fixture %c missing\n", id_names[i]);
			return 1;
		}
		snprintf(ids[i], sizeof(ids[i]), "%ld", v[i]);
	}
	free(tag);
	return 0;
}

static int suite_clean(void)
{
	for (int r = 0; r < NROLES; r++)
		itest_client_free(client[r]);
	return 0;
}

static char *expand(const char *tmpl)
{
	static char out[256];
	size_t o = 0;
	for (const char *s = tmpl; *s && o < sizeof(out) - 32; s++) {
		const char *k;
		if (s[0] == '{' && s[1] && s[2] == '}' && (k = strchr(id_names, s[1]))) {
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s", ids[k - id_names]);
			s += 2;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
	return out;
}

static bool cell_holds(char want, bool get, const struct itest_resp *r)
{
	const char *loc = itest_location(r);
	bool to_login = r->status == 303 && !strncmp(loc, "/login", 6);
	switch (want) {
	case 'A':
		return r->status >= 200 && r->status != 401 && r->status != 403 &&
		       r->status != 404 && !(get && to_login);
	case 'D':
		return r->status == 403;
	case 'H':
		return r->status == 404;
	case 'L':
		return get ? to_login : r->status == 401;
	case 'U':
		return r->status == 401;
	}
	return false;
}

static void every_route_has_a_row(void)
{
	for (int i = 0; i < WEB_NROUTES; i++) {
		char label[WEB_ROUTE_LABEL_MAX];
		bool found = false;
		web_route_label(i, label);
		for (size_t m = 0; m < sizeof(matrix) / sizeof(matrix[0]); m++)
			found |= !strcmp(matrix[m].label, label);
		if (!found)
			fprintf(stderr, "no permission row for %s\n", label);
		CU_ASSERT(found);
	}
}

static void every_cell_answers_as_the_table_says(void)
{
	for (size_t m = 0; m < sizeof(matrix) / sizeof(matrix[0]); m++) {
		bool get = !strncmp(matrix[m].label, "GET ", 4);
		for (int r = 0; r < NROLES; r++) {
			char *path = expand(matrix[m].path);
			struct itest_resp resp;
			if (get) {
				resp = itest_get(client[r], path, false);
			} else {
				/* a valid CSRF token, an otherwise empty form */
				struct itest_resp page = itest_get(
					client[r], r == ANON ? "/login" : "/settings/user", false);
				char *csrf = itest_csrf(&page);
				itest_resp_free(&page);
				char *form = itest_form("csrf", csrf ? csrf : "", NULL);
				resp = itest_post_form(client[r], path, form);
				free(form);
				free(csrf);
			}
			bool ok = cell_holds(matrix[m].expect[r], get, &resp);
			if (!ok)
				fprintf(stderr, "%s as %s: expected %c, got %ld %s\n",
					matrix[m].label, role_label[r], matrix[m].expect[r],
					resp.status, itest_location(&resp));
			CU_ASSERT(ok);
			itest_resp_free(&resp);
		}
	}
}

static void every_json_cell_answers_as_the_table_says(void)
{
	for (size_t m = 0; m < sizeof(json_matrix) / sizeof(json_matrix[0]);
	     m++) {
		bool in_matrix = false;
		for (size_t k = 0; k < sizeof(matrix) / sizeof(matrix[0]); k++)
			in_matrix |= !strcmp(matrix[k].label,
					     json_matrix[m].label) &&
				     !strcmp(matrix[k].expect,
					     json_matrix[m].expect);
		if (!in_matrix)
			fprintf(stderr, "JSON row %s is not the matrix's\n",
				json_matrix[m].label);
		CU_ASSERT(in_matrix);
		for (int r = 0; r < NROLES; r++) {
			char *path = expand(json_matrix[m].path);
			struct itest_resp resp = itest_get(client[r], path, true);
			const char *ct = itest_header(&resp, "Content-Type");
			/* a signed-out script is told 401, not sent to sign in */
			bool ok = cell_holds(json_matrix[m].expect[r], false,
					     &resp) &&
				  ct && !strncmp(ct, "application/json", 16);
			if (!ok)
				fprintf(stderr,
					"%s (JSON) as %s: expected %c, got %ld "
					"%s\n",
					path, role_label[r],
					json_matrix[m].expect[r], resp.status,
					ct ? ct : "(no type)");
			CU_ASSERT(ok);
			itest_resp_free(&resp);
		}
	}
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(every_route_has_a_row),
	    /* before the matrix, whose last row signs everyone out */
	    TEST(every_json_cell_answers_as_the_table_says),
	    TEST(every_cell_answers_as_the_table_says),
	};
	static const struct suite suites[] = {
	    SUITE("permissions", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
