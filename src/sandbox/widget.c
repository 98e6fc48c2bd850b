/*
 * widget.c - LinkedIn's profile widget (Recruiter System Connect's profile
 * plugin, "HcmWidget"), as the sandbox plays it (README "The profile
 * widget"; /work/CONTRACT-15.md section 1):
 *
 *   GET  /xdoor/scripts/in.js            the loader an ATS page includes
 *                                        (static/sandbox/in.js): turns each
 *                                        <script type="IN/HcmWidget"> into
 *                                        an iframe of this origin, and
 *                                        calls the page's data-onlink /
 *                                        data-onunlink functions when the
 *                                        iframe asks
 *   GET  /rsc/extensions/profile-widget  the extension the loader names
 *                                        (built into in.js here)
 *   GET  /recruiter/widget/hcm           the iframe: the member's profile
 *                                        as the signed-in viewer may see it
 *   GET  /recruiter/widget/hcm.js        its script (static/sandbox/hcm.js)
 *   POST /recruiter/widget/hcm/inmail    Send InMail
 *   POST /recruiter/widget/hcm/save      Save to a job
 *   POST /sandbox/applications/jsSdkDomains, GET /sandbox/projects  control
 *   GET  /sandbox/widget-demo            a page embedding the widget as an
 *                                        ATS does (for the browser test and
 *                                        for people: its callbacks list
 *                                        what the widget asked)
 *
 * The iframe checks that the page embedding it is on one of the customer
 * application's validJsSdkDomains (the loader passes the page's origin;
 * the answer's frame-ancestors then lets only that origin frame it, so a
 * page that lies about its origin gets nothing shown) and posts its
 * link/unlink messages to that origin only.  What the viewer sees is the
 * seat rule of the seed: a Recruiter seat holder of the application's
 * organization gets the full profile, InMail and Save to a job; anyone
 * else (Hiring Manager seat, no seat, signed out) the basic public profile
 * - and the rest is not in the page at all.  A member who closed their
 * account shows to everyone as "This profile is not available", nothing
 * of the profile in the page, as LinkedIn shows a closed profile (the
 * widget's wording is a hirelink convention: LinkedIn's pages are silent).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox/sandbox.h"

#define ORIGIN_MAX   200
#define DOMAINS_MAX  20
#define JOBS_MAX     100
#define TOKEN_LEN    32 /* hex characters of a send token */

/* ------------------------------------------------------------ scripts */

/* Answers static/sandbox/<name> as JavaScript. */
static void script_file(struct sb_ctx *c, const char *name)
{
	const char *path = arena_printf(c->a, "%s/sandbox/%s",
					c->app->cfg->static_dir, name);
	FILE *f = path ? fopen(path, "rb") : NULL;
	char chunk[4096];
	size_t n;

	if (!f) {
		log_error("sandbox: cannot open %s", path ? path : name);
		sb_api_error(c, 404, 0, "Resource not found");
		return;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&c->res->body, chunk, n);
	fclose(f);
	c->res->status = 200;
	c->res->content_type = "text/javascript; charset=utf-8";
	http_header_add(c->res, "Cache-Control", "no-cache");
}

void sb_widget_loader(struct sb_ctx *c)
{
	script_file(c, "in.js");
}

void sb_widget_script(struct sb_ctx *c)
{
	script_file(c, "hcm.js");
}

void sb_widget_extension(struct sb_ctx *c)
{
	c->res->status = 200;
	c->res->content_type = "text/javascript; charset=utf-8";
	buf_adds(&c->res->body,
		 "/* LinkedIn sandbox: HcmWidget is built into "
		 "/xdoor/scripts/in.js. */\n");
}

/* ------------------------------------------------------------ the widget */

/* One widget as its iframe was asked for, and what it shows. */
struct widget {
	/* asked (query or form) */
	const char *api_key, *candidate, *context, *member_param, *origin,
	    *widget_id;
	/* "match" when the ATS names its member as a match it has not
	 * confirmed (hirelink's rule 1): the widget then offers Link */
	const char *member_source;
	/* found */
	int64_t org;
	int64_t member;	   /* members.id shown, 0 none */
	const char *source; /* "member" (data-member), "manual",
			       "algorithmic", or NULL */
	struct sb_member viewer;
	bool signed_in, full;
	/* the member closed their LinkedIn account: the widget shows the
	 * profile as unavailable, nothing of it (hirelink convention) */
	bool closed;
};

/* A parameter of the widget (form on a POST, else query), "" when
 * absent. */
static const char *wparam(struct sb_ctx *c, const char *name)
{
	const char *v = c->req->method == HTTP_POST ? http_form(c->req, name)
						   : http_query(c->req, name);
	return v ? v : "";
}

/* Whether origin is one of the JSON array domains, exactly. */
static bool origin_listed(const char *domains, const char *origin)
{
	json_t *list = json_loads(domains, 0, NULL), *v;
	size_t i;
	bool ok = false;
	json_array_foreach(list, i, v)
	{
		if (json_is_string(v) && !strcmp(json_string_value(v), origin))
			ok = true;
	}
	json_decref(list);
	return ok;
}

/* scheme://host[:port] with nothing after it and nothing a CSP directive
 * could be broken by. */
static bool origin_ok(const char *s)
{
	const char *host;
	if (!strncmp(s, "https://", 8))
		host = s + 8;
	else if (!strncmp(s, "http://", 7))
		host = s + 7;
	else
		return false;
	if (!*host || strlen(s) > ORIGIN_MAX)
		return false;
	for (const char *p = host; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		      *p == ':' || *p == '[' || *p == ']'))
			return false;
	return true;
}

/*
 * Reads and checks the widget's parameters into w: 1, or 0 after
 * answering (400 page for a widget asked for wrongly, 403 for a domain
 * that is not the application's, 503).
 */
static int widget_load(struct sb_ctx *c, struct widget *w)
{
	struct db_row r;
	int rc;

	memset(w, 0, sizeof(*w));
	w->api_key = wparam(c, "api_key");
	w->candidate = wparam(c, "atsCandidateId");
	w->context = wparam(c, "integrationContext");
	w->member_param = wparam(c, "member");
	w->member_source = wparam(c, "memberSource");
	w->origin = wparam(c, "origin");
	w->widget_id = wparam(c, "widgetId");
	if (!*w->api_key || strlen(w->api_key) > 64) {
		sb_error_page(c, 400,
			      "The widget needs the application's api_key.");
		return 0;
	}
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT organization_id, valid_js_sdk_domains"
			  " FROM applications WHERE client_id = ?",
			  "s", w->api_key);
	if (rc == DB_NOT_FOUND) {
		sb_error_page(c, 400, "Unknown api_key.");
		return 0;
	}
	if (rc != DB_OK) {
		sb_db_fail(c);
		return 0;
	}
	w->org = db_int(&r, 0);
	if (!origin_ok(w->origin) || !origin_listed(r.v[1], w->origin)) {
		const char *m = arena_printf(
		    c->a,
		    "%.200s is not a domain of this application's "
		    "validJsSdkDomains: LinkedIn shows its widgets only on "
		    "the domains the application declared.",
		    *w->origin ? w->origin : "The embedding page");
		sb_error_page(c, 403, m ? m : "Domain not allowed.");
		return 0;
	}
	/* only the declared origin may frame what follows */
	c->res->frame_ancestors = arena_strdup(c->a, w->origin);
	if (!*w->candidate || strlen(w->candidate) > 100 ||
	    strlen(w->widget_id) > 40) {
		sb_error_page(c, 400,
			      "The widget needs data-ats-candidate-id (1 to "
			      "100 characters).");
		return 0;
	}
	const char *org_urn = arena_printf(c->a, "urn:li:organization:%lld",
					   (long long)w->org);
	if (!org_urn || strcmp(w->context, org_urn)) {
		sb_error_page(c, 403,
			      "data-integration-context is not this "
			      "application's organization.");
		return 0;
	}
	/* the member: the one the ATS names, else LinkedIn's match */
	if (*w->member_param) {
		if ((w->member = sb_member_lookup(c, w->member_param)) < 0) {
			sb_db_fail(c);
			return 0;
		}
		w->source = !w->member ? NULL
			    : !strcmp(w->member_source, "match") ? "algorithmic"
								  : "member";
	} else {
		bool manual;
		if (sb_candidate_member(c, w->api_key, w->org, w->candidate,
					&w->member, &manual) < 0) {
			sb_db_fail(c);
			return 0;
		}
		w->source = !w->member ? NULL : manual ? "manual"
						       : "algorithmic";
	}
	if (w->member) {
		rc = db_query_row(c->db, c->a, &r,
				  "SELECT closed_at IS NOT NULL FROM members "
				  "WHERE id = ?",
				  "i", w->member);
		if (rc != DB_OK && rc != DB_NOT_FOUND) {
			sb_db_fail(c);
			return 0;
		}
		w->closed = rc == DB_OK && db_int(&r, 0) == 1;
	}
	rc = sb_member_signed_in(c, &w->viewer);
	if (rc < 0) {
		sb_db_fail(c);
		return 0;
	}
	w->signed_in = rc > 0;
	w->full = w->signed_in && w->viewer.recruiter &&
		  w->viewer.organization_id == w->org;
	return 1;
}

/* The application's LISTED jobs the viewer may see (the job ACLs), for
 * Save to a job; new, NULL on failure. */
static json_t *save_jobs(struct sb_ctx *c, const struct widget *w)
{
	const char *viewer =
	    arena_printf(c->a, "urn:li:person:%s", w->viewer.urn_id);
	struct db_result res;
	json_t *out;

	if (!viewer ||
	    db_query(c->db, c->a, &res,
		     "SELECT p.external_job_posting_id, p.title, p.location,"
		     " EXISTS (SELECT 1 FROM project_members pm"
		     "  WHERE pm.client_id = p.client_id"
		     "  AND pm.organization_id = p.organization_id"
		     "  AND pm.external_job_posting_id ="
		     "  p.external_job_posting_id AND pm.member_id = ?)"
		     " FROM job_postings p"
		     " WHERE p.client_id = ? AND p.organization_id = ?"
		     " AND p.state = 'LISTED'"
		     " AND (NOT EXISTS (SELECT 1 FROM job_posting_acl l"
		     "  WHERE l.client_id = p.client_id"
		     "  AND l.organization_id = p.organization_id"
		     "  AND l.external_job_posting_id = p.external_job_posting_id)"
		     " OR EXISTS (SELECT 1 FROM job_posting_acl l"
		     "  WHERE l.client_id = p.client_id"
		     "  AND l.organization_id = p.organization_id"
		     "  AND l.external_job_posting_id = p.external_job_posting_id"
		     "  AND l.assignee = ?))"
		     " ORDER BY p.title, p.external_job_posting_id LIMIT ?",
		     "isisi", w->member, w->api_key, w->org, viewer,
		     (int64_t)JOBS_MAX) != DB_OK)
		return NULL;
	out = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:s, s:b}", "id", v[0], "title",
				   v[1], "location", v[2], "saved",
				   v[3][0] == '1'));
	}
	return out;
}

/* This seat's InMail with the member, newest first; new, NULL. */
static json_t *inmail_history(struct sb_ctx *c, const struct widget *w)
{
	struct db_result res;
	json_t *out;

	if (db_query(c->db, c->a, &res,
		     "SELECT v.id, v.subject, v.created_at,"
		     " EXISTS (SELECT 1 FROM inmail_events e"
		     " WHERE e.conversation_id = v.id"
		     " AND e.direction = 'INBOUND')"
		     " FROM inmail_conversations v WHERE v.seat_id = ?"
		     " AND v.recipient_member_id = ?"
		     " ORDER BY v.created_at DESC, v.id DESC LIMIT 50",
		     "ii", w->viewer.seat_id, w->member) != DB_OK)
		return NULL;
	out = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		char day[11] = "";
		time_t t = (time_t)(db_int(&res.rows[i], 2) / 1000);
		struct tm tm;
		if (gmtime_r(&t, &tm))
			strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:s, s:b}", "id", v[0],
				   "subject", v[1], "date", day, "replied",
				   v[3][0] == '1'));
	}
	return out;
}

/* A fresh send token: TOKEN_LEN hex characters, arena-owned. */
static const char *send_token(struct sb_ctx *c)
{
	unsigned char raw[TOKEN_LEN / 2];
	char *out = arena_alloc(c->a, TOKEN_LEN + 1);
	if (!out || crypto_random(raw, sizeof(raw)) < 0)
		return NULL;
	hex_encode(raw, sizeof(raw), out);
	return out;
}

/* An outcome of a widget action for the page. */
struct outcome {
	int status;
	const char *message;
	const char *kind; /* "inmail" or "save" */
};

/* Renders the widget w for its viewer, with an action's outcome. */
static void widget_render(struct sb_ctx *c, struct widget *w,
			  const struct outcome *o, const char *subject,
			  const char *body)
{
	json_t *ctx, *card = NULL;
	struct db_row r;
	int status = o ? o->status : 200;

	ctx = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}",
			"apiKey", w->api_key, "atsCandidateId", w->candidate,
			"integrationContext", w->context, "memberParam",
			w->member_param, "memberSource",
			!strcmp(w->member_source, "match") ? "match" : "",
			"origin", w->origin, "widgetId",
			w->widget_id, "signedIn", w->signed_in, "full",
			w->full);
	if (!ctx) {
		sb_db_fail(c);
		return;
	}
	if (w->signed_in)
		json_object_set_new(
		    ctx, "viewer",
		    json_pack("{s:s, s:s, s:s}", "firstName",
			      w->viewer.first_name, "lastName",
			      w->viewer.last_name, "seat",
			      !w->viewer.seat_type ? "no"
			      : w->viewer.recruiter ? "Recruiter"
						    : "Hiring Manager"));
	if (w->member && w->closed) {
		/* LinkedIn shows a closed account as unavailable: no name,
		 * no profile, no InMail or Save; the ATS may still remove a
		 * link it made (Unlink) */
		int rc = db_query_row(c->db, c->a, &r,
				      "SELECT urn_id FROM members WHERE id = ?",
				      "i", w->member);
		if (rc != DB_OK) {
			json_decref(ctx);
			sb_db_fail(c);
			return;
		}
		json_object_set_new(
		    ctx, "unavailable",
		    json_pack("{s:s+, s:b}", "urn", "urn:li:person:", r.v[0],
			      "can_unlink",
			      strcmp(w->source, "algorithmic") != 0 ||
				  !strcmp(w->member_source, "match")));
	} else if (w->member) {
		int rc = db_query_row(
		    c->db, c->a, &r,
		    "SELECT urn_id, first_name, last_name, headline, location,"
		    " vanity_name, positions, education, skills FROM members"
		    " WHERE id = ?",
		    "i", w->member);
		if (rc != DB_OK) {
			json_decref(ctx);
			sb_db_fail(c);
			return;
		}
		/* the basic public profile for everyone ... */
		card = json_pack("{s:s, s:s+, s:s, s:s, s:s, s:s+}", "id",
				 r.v[0], "urn", "urn:li:person:", r.v[0],
				 "firstName", r.v[1], "lastName", r.v[2],
				 "headline", r.v[3], "profileUrl",
				 "https://www.linkedin.com/in/", r.v[5]);
		/* ... the rest for a Recruiter seat only: not in the page
		 * otherwise */
		if (card && w->full)
			json_object_update_new(
			    card, json_pack("{s:s, s:o, s:o, s:o}", "location",
					    r.v[4], "positions",
					    sb_json_column(r.v[6]), "education",
					    sb_json_column(r.v[7]), "skills",
					    sb_json_column(r.v[8])));
		json_object_set_new(ctx, "member", card);
		json_object_set_new(
		    ctx,
		    !strcmp(w->source, "algorithmic") ? "can_link"
						      : "can_unlink",
		    json_true());
		/* the ATS's own unconfirmed match (its rule 1): confirm it
		 * (Link) or reject it (Unlink) */
		if (*w->member_param && !strcmp(w->member_source, "match"))
			json_object_set_new(ctx, "can_unlink", json_true());
	}
	if (w->full && w->member && !w->closed) {
		json_t *jobs = save_jobs(c, w), *history = inmail_history(c, w);
		if (!jobs || !history) {
			json_decref(jobs);
			json_decref(history);
			json_decref(ctx);
			sb_db_fail(c);
			return;
		}
		if (json_array_size(jobs))
			json_object_set_new(ctx, "has_jobs", json_true());
		json_object_set_new(ctx, "jobs", jobs);
		json_object_set_new(ctx, "inmails", history);
		json_object_set_new(ctx, "token",
				    json_string(send_token(c)));
		json_object_set_new(ctx, "subject",
				    json_string(subject ? subject : ""));
		json_object_set_new(ctx, "body", json_string(body ? body : ""));
		json_object_set_new(ctx, "subject_max",
				    json_integer(SB_INMAIL_SUBJECT_MAX));
		json_object_set_new(ctx, "body_max",
				    json_integer(SB_INMAIL_BODY_MAX));
	}
	if (w->signed_in)
		json_object_set_new(ctx, "csrf", json_string(sb_member_csrf(c)));
	if (o)
		json_object_set_new(
		    ctx, o->kind,
		    json_pack("{s:b, s:s}", "ok", o->status < 300, "message",
			      o->message));
	c->res->status = status;
	if (tmpl_render(c->app->templates, "sandbox/widget", ctx,
			&c->res->body) < 0) {
		c->res->status = 500;
		buf_reset(&c->res->body);
		buf_adds(&c->res->body, "LinkedIn sandbox: no template");
	}
	json_decref(ctx);
}

void sb_widget_page(struct sb_ctx *c)
{
	struct widget w;
	if (widget_load(c, &w))
		widget_render(c, &w, NULL, NULL, NULL);
}

/* The checks both actions share: 1, or 0 after answering. */
static int action_ok(struct sb_ctx *c, struct widget *w, const char *kind)
{
	if (!widget_load(c, w))
		return 0;
	if (!w->signed_in || !sb_member_csrf_ok(c)) {
		struct outcome o = {403,
				    "This form has expired: reload the page "
				    "and try again.",
				    kind};
		widget_render(c, w, &o, NULL, NULL);
		return 0;
	}
	if (!w->full) {
		struct outcome o = {403,
				    !strcmp(kind, "inmail")
					? "Only Recruiter seat holders can "
					  "send InMail."
					: "Only Recruiter seat holders can save "
					  "to a job.",
				    kind};
		widget_render(c, w, &o, NULL, NULL);
		return 0;
	}
	if (!w->member) {
		struct outcome o = {400, "There is no member to act on.", kind};
		widget_render(c, w, &o, NULL, NULL);
		return 0;
	}
	if (w->closed) {
		struct outcome o = {404, "This profile is not available.", kind};
		widget_render(c, w, &o, NULL, NULL);
		return 0;
	}
	return 1;
}

void sb_widget_inmail(struct sb_ctx *c)
{
	const char *subject = http_form(c->req, "subject");
	const char *body = http_form(c->req, "body");
	const char *token = http_form(c->req, "token");
	struct sb_inmail m = {0};
	struct outcome o = {200, NULL, "inmail"};
	struct widget w;
	size_t ls, lb;

	if (!action_ok(c, &w, "inmail"))
		return;
	ls = subject ? utf8_len(subject, strlen(subject)) : 0;
	lb = body ? utf8_len(body, strlen(body)) : 0;
	if (!token || strlen(token) != TOKEN_LEN ||
	    strspn(token, "0123456789abcdef") != TOKEN_LEN)
		o = (struct outcome){400,
				     "This form has expired: reload the page "
				     "and try again.",
				     "inmail"};
	else if (!ls)
		o = (struct outcome){400, "Subject: write a subject.",
				     "inmail"};
	else if (ls > SB_INMAIL_SUBJECT_MAX)
		o = (struct outcome){
		    400,
		    arena_printf(c->a,
				 "Subject: at most %d characters (this one "
				 "has %zu).",
				 SB_INMAIL_SUBJECT_MAX, ls),
		    "inmail"};
	else if (!lb)
		o = (struct outcome){400, "Message: write a message.",
				     "inmail"};
	else if (lb > SB_INMAIL_BODY_MAX)
		o = (struct outcome){
		    400,
		    arena_printf(c->a,
				 "Message: at most 1,900 characters (this one "
				 "has %zu).",
				 lb),
		    "inmail"};
	if (o.status != 200) {
		widget_render(c, &w, &o, subject, body);
		return;
	}
	m.seat = w.viewer.seat_id;
	m.sender = w.viewer.id;
	m.recipient = w.member;
	m.subject = subject;
	m.body = body;
	m.at = time_now_ms();
	m.count_credit = true;
	m.token = token;
	if (sb_inmail_send(c->db, &m) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	switch (m.outcome) {
	case SB_INMAIL_SENT:
		o.message = "InMail sent.";
		break;
	case SB_INMAIL_DUPLICATE:
		o.message = "This InMail was sent already (once).";
		break;
	case SB_INMAIL_QUOTA:
		o = (struct outcome){
		    429,
		    arena_printf(c->a,
				 "You have used this month's %d InMail "
				 "credits.",
				 SB_INMAIL_MONTHLY),
		    "inmail"};
		widget_render(c, &w, &o, subject, body);
		return;
	}
	widget_render(c, &w, &o, NULL, NULL);
}

void sb_widget_save(struct sb_ctx *c)
{
	const char *job = http_form(c->req, "job");
	struct outcome o = {200, NULL, "save"};
	struct widget w;
	json_t *jobs, *v;
	const char *title = NULL;
	uint64_t added = 0;
	size_t i;

	if (!action_ok(c, &w, "save"))
		return;
	if (!job || !*job) {
		o = (struct outcome){400, "Choose a job to save to.", "save"};
		widget_render(c, &w, &o, NULL, NULL);
		return;
	}
	if (!(jobs = save_jobs(c, &w))) {
		sb_db_fail(c);
		return;
	}
	json_array_foreach(jobs, i, v)
	{
		if (!strcmp(json_string_value(json_object_get(v, "id")), job))
			title = arena_strdup(
			    c->a,
			    json_string_value(json_object_get(v, "title")));
	}
	json_decref(jobs);
	if (!title) {
		o = (struct outcome){404,
				     "That job is not one of this ATS's open "
				     "jobs you may see.",
				     "save"};
		widget_render(c, &w, &o, NULL, NULL);
		return;
	}
	if (db_exec(c->db, &added,
		    "INSERT IGNORE INTO project_members (client_id,"
		    " organization_id, external_job_posting_id, member_id,"
		    " saved_by_seat, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
		    "sisiii", w.api_key, w.org, job, w.member,
		    w.viewer.seat_id, time_now_ms()) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	o.message = arena_printf(c->a, added ? "Saved to %s." : "Already saved to %s.",
				 title);
	widget_render(c, &w, &o, NULL, NULL);
}

/* ------------------------------------------------------------ control */

void sb_control_js_domains(struct sb_ctx *c)
{
	json_t *j = sb_control_body(c), *list, *v;
	const char *client;
	char *text;
	size_t i;
	int rc;
	uint64_t affected = 0;

	if (!j)
		return;
	client = json_string_value(json_object_get(j, "clientId"));
	list = json_object_get(j, "validJsSdkDomains");
	if (!client || !json_is_array(list) ||
	    json_array_size(list) > DOMAINS_MAX) {
		sb_control_bad(c, "clientId and validJsSdkDomains (an array of "
				  "at most 20 origins) are required");
		return;
	}
	json_array_foreach(list, i, v)
	{
		if (!json_is_string(v) || !origin_ok(json_string_value(v))) {
			sb_control_bad(c, "validJsSdkDomains: each is "
					  "scheme://host[:port], no trailing /");
			return;
		}
	}
	text = json_dumps(list, JSON_COMPACT);
	rc = text ? db_exec(c->db, &affected,
			    "UPDATE applications SET valid_js_sdk_domains = ?"
			    " WHERE client_id = ?",
			    "ss", text, client)
		  : DB_ERROR;
	free(text);
	if (rc != DB_OK) {
		sb_db_fail(c);
		return;
	}
	if (!affected) {
		struct db_row r;
		if (db_query_row(c->db, c->a, &r,
				 "SELECT 1 FROM applications WHERE client_id = ?",
				 "s", client) == DB_NOT_FOUND) {
			sb_json(c, 404,
				json_pack("{s:i, s:s}", "status", 404,
					  "message", "no such application"));
			return;
		}
	}
	sb_json(c, 200, json_pack("{s:b}", "ok", 1));
}

void sb_control_projects(struct sb_ctx *c)
{
	const char *client = http_query(c->req, "clientId");
	struct db_result res;
	json_t *out, *project = NULL;
	const char *last = NULL;

	if (sb_control_refused(c))
		return;
	if (!client || !*client) {
		sb_control_bad(c, "clientId is required");
		return;
	}
	if (db_query(c->db, c->a, &res,
		     "SELECT pm.external_job_posting_id, COALESCE(p.title, ''),"
		     " m.urn_id, pm.saved_by_seat, pm.saved_at"
		     " FROM project_members pm"
		     " JOIN members m ON m.id = pm.member_id"
		     " LEFT JOIN job_postings p ON p.client_id = pm.client_id"
		     " AND p.organization_id = pm.organization_id"
		     " AND p.external_job_posting_id = pm.external_job_posting_id"
		     " WHERE pm.client_id = ?"
		     " ORDER BY pm.external_job_posting_id, pm.saved_at LIMIT 10000",
		     "s", client) != DB_OK) {
		sb_db_fail(c);
		return;
	}
	out = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		if (!last || strcmp(last, v[0])) {
			project = json_pack("{s:s, s:s, s:[]}",
					    "externalJobPostingId", v[0],
					    "title", v[1], "members");
			json_array_append_new(out, project);
			last = v[0];
		}
		json_array_append_new(
		    json_object_get(project, "members"),
		    json_pack("{s:s+, s:s+, s:I}", "member", "urn:li:person:",
			      v[2], "savedBy", "urn:li:seat:", v[3], "savedAt",
			      (json_int_t)db_int(&res.rows[i], 4)));
	}
	sb_json(c, 200, json_pack("{s:o}", "elements", out));
}

/* GET /sandbox/widget-demo?clientId=&atsCandidateId=&member=: the widget
 * on a page of the sandbox's own origin (which must then be one of the
 * application's validJsSdkDomains), with callbacks that list each call. */
void sb_control_widget_demo(struct sb_ctx *c)
{
	const char *client = http_query(c->req, "clientId");
	const char *cand = http_query(c->req, "atsCandidateId");
	const char *member = http_query(c->req, "member");
	struct db_row r;
	json_t *ctx;
	int rc;

	if (sb_control_refused(c))
		return;
	if (!client || !*client || strlen(client) > 64) {
		sb_control_bad(c, "clientId is required");
		return;
	}
	rc = db_query_row(c->db, c->a, &r,
			  "SELECT organization_id FROM applications"
			  " WHERE client_id = ?",
			  "s", client);
	if (rc != DB_OK) {
		if (rc == DB_NOT_FOUND)
			sb_control_bad(c, "clientId: no such application");
		else
			sb_db_fail(c);
		return;
	}
	ctx = json_pack("{s:s, s:s, s:s+, s:s, s:s}", "clientId", client,
			"atsCandidateId", cand ? cand : "demo-1",
			"integrationContext", "urn:li:organization:", r.v[0],
			"member", member ? member : "", "platform",
			c->app->cfg->linkedin_platform_base);
	if (!ctx || tmpl_render(c->app->templates, "sandbox/widget_demo", ctx,
				&c->res->body) < 0) {
		json_decref(ctx);
		sb_db_fail(c);
		return;
	}
	json_decref(ctx);
	c->res->status = 200;
}
