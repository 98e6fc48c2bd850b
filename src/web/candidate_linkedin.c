/*
 * candidate_linkedin.c - the candidate's LinkedIn tab (F8,
 * /candidates/{id}?tab=linkedin) and its actions: Link, Unlink and "look
 * again" (POST /candidates/{id}/linkedin/link, /unlink, /refresh).
 *
 * The tab never waits for LinkedIn: it renders what is stored
 * (src/ats/candidate_links.h) and, when that is missing or stale, asks the
 * worker to run LinkedIn's match query again (an outbox mark); the page
 * says how old its data is, and when LinkedIn failed, why, with a button
 * to try again.  The matching rules are the seed's:
 *   1. the candidate's email and LinkedIn member id both match LinkedIn's
 *      member -> that member's profile widget, with Unlink;
 *   2. either does not match, or there is no member id yet -> the possible
 *      members (name, headline, location, whether the email matched), each
 *      with Link;
 *   3. none -> "No matching LinkedIn profile was found".
 * A member a user linked is shown like rule 1 whatever the rules say:
 * that is what linking is for (and Unlink undoes it).
 *
 * The widget is LinkedIn's (CONTRACT-15 §1): two script tags from the
 * platform, the member when hirelink knows it, and the callbacks in
 * static/linkedin-widget.js, which POST to the routes here with the
 * session's CSRF token.  Without JavaScript the tab still shows the match
 * state and a link to the profile in Recruiter.
 *
 * Admins and recruiters link and unlink; hiring managers and interviewers
 * who reach the candidate view the tab only (routes.c admits the roles,
 * the candidate's access is checked here).
 *
 * The page is kept whole between views (web_body_kept, web.h): the view
 * reads the revisions of all it shows (ats_li_tab_tag: the candidate's,
 * the viewer's, the two outbox rows) and serves the body kept at them
 * until its age would read otherwise or the tab would write again (the
 * match asked anew, "looked at"); else it reads and renders as above.
 */
#include <string.h>

#include "ats/candidate_links.h"
#include "ats/candidates.h"
/* ats_line_cut: LinkedIn's text made a line, as the export's intake does */
#include "ats/check.h"
#include "linkedin/candidates.h"
#include "linkedin/linkedin.h"
#include "web/web.h"

static bool html(const struct ctx *c)
{
	return !http_wants_json(c->req);
}

static const char *tab_url(struct ctx *c, int64_t id)
{
	return arena_printf(c->arena, "/candidates/%lld?tab=linkedin",
			    (long long)id);
}

/* "just now", "5 minutes ago", "3 hours ago", "2 days ago" */
static const char *age_label(struct arena *a, int64_t s)
{
	if (s < 60)
		return "just now";
	if (s < 3600)
		return s < 120 ? "1 minute ago"
			       : arena_printf(a, "%lld minutes ago",
					      (long long)(s / 60));
	if (s < 86400)
		return s < 7200 ? "1 hour ago"
				: arena_printf(a, "%lld hours ago",
					       (long long)(s / 3600));
	return s < 172800 ? "1 day ago"
			  : arena_printf(a, "%lld days ago",
					 (long long)(s / 86400));
}

/* The profile in LinkedIn Recruiter, for the page without JavaScript. */
static const char *recruiter_url(struct ctx *c, const char *member_id)
{
	return arena_printf(c->arena, "%s/talent/profile/%s",
			    c->cfg->linkedin_widget_origin, member_id);
}

static const char *matched_on_words(struct arena *a, json_t *on)
{
	static const struct {
		const char *key, *words;
	} names[] = {
	    {"EMAIL", "email"},
	    {"PROFILE_URL", "profile URL"},
	    {"NAME_PHONE", "name and phone"},
	    {"NAME_TITLE_COMPANY", "name, title and company"},
	    {"NAME", "a similar name"},
	};
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < json_array_size(on); i++) {
		const char *k = json_string_value(json_array_get(on, i));
		for (size_t j = 0; k && j < ARRAY_LEN(names); j++)
			if (!strcmp(k, names[j].key))
				buf_addf(&b, "%s%s", b.len ? ", " : "",
					 names[j].words);
	}
	const char *s = buf_failed(&b) ? "" : arena_strdup(a, b.data);
	buf_release(&b);
	return s ? s : "";
}

/* A line of LinkedIn's text as the list shows it: control characters,
 * line separators and direction overrides (a headline that reads
 * backwards) made spaces, cut to max characters; "" for none. */
static const char *li_line(struct ctx *c, json_t *e, const char *key,
			   size_t max)
{
	const char *s = ats_line_cut(c->arena,
				     json_string_value(json_object_get(e, key)),
				     max);
	return s ? s : "";
}

/* The stored elements as the list shows them; new. */
static json_t *matches_context(struct ctx *c, const char *elements,
			       const char *member_id)
{
	json_t *out = json_array();
	json_t *in = elements ? json_loads(elements, 0, NULL) : NULL;
	for (size_t i = 0; out && i < json_array_size(in); i++) {
		json_t *e = json_array_get(in, i);
		const char *m = json_string_value(json_object_get(e, "member"));
		if (!m || !ats_li_member_id_valid(m))
			continue;
		const char *first =
		    li_line(c, e, "firstName", CANDIDATE_NAME_MAX);
		const char *last = li_line(c, e, "lastName", CANDIDATE_NAME_MAX);
		const char *name = arena_printf(c->arena, "%s%s%s", first,
						*first && *last ? " " : "",
						last);
		json_array_append_new(
		    out,
		    web_pack_row(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s, "
			"s:b}",
			"member", m, "urn",
			arena_printf(c->arena, "urn:li:person:%s", m), "name",
			name,
			"headline",
			li_line(c, e, "headline", CANDIDATE_HEADLINE_MAX),
			"location",
			li_line(c, e, "location", CANDIDATE_LOCATION_MAX),
			"public_profile_url",
			json_string_value(
			    json_object_get(e, "publicProfileUrl")),
			"email_matched",
			json_is_true(json_object_get(e, "emailMatched")),
			"member_matched",
			json_is_true(json_object_get(e, "memberMatched")),
			"matched_on",
			matched_on_words(c->arena,
					 json_object_get(e, "matchedOn")),
			"recruiter_url", recruiter_url(c, m), "current",
			member_id && !strcmp(m, member_id)));
	}
	json_decref(in);
	return out;
}

/* The viewer's LinkedIn seat: the one LinkedIn reported when they
 * connected (st, read with the tab's state), else their hirelink
 * profile's. */
static const char *viewer_seat(struct ctx *c, const struct ats_li_state *st)
{
	if (st->viewer_connected && *st->viewer_seat_type)
		return st->viewer_seat_type;
	return c->session->user.seat ? c->session->user.seat : "none";
}

/* The integration as the tab needs it (kept settings: no statement but
 * once a second): 0 or the status; *ready whether it is set up. */
static int tab_settings(struct ctx *c, struct li_settings *s, bool *ready)
{
	int rc = li_settings_load_kept(c->w->app->li, c->db, c->arena, c->cfg,
				       s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	*ready = li_settings_ready(s) && *s->organization_urn;
	return 0;
}

bool web_candidate_linkedin_kept(struct ctx *c, const struct candidate *k,
				 enum access acc, struct web_tab_tag *t)
{
	struct li_settings s;
	bool ready;
	const struct user *u = &c->session->user;
	/* not set up: the page names the admins (web_admins_context), who
	 * are under no revision here */
	if (!t->ok || tab_settings(c, &s, &ready) || !ready || !s.instance_id ||
	    strlen(s.instance_id) != 8)
		return false;
	/* who sees it (the head counts their private notes; the seat of
	 * their profile when not connected), what they may do, the
	 * integration, then the revisions */
	t->key = arena_printf(
	    c->arena, "tab linkedin %lld %lld %s %s %d %s %s %s %s",
	    (long long)k->id, (long long)u->id, role_name(u->role),
	    u->seat ? u->seat : "-", (int)acc, s.client_id,
	    s.organization_urn, s.instance_id, t->tag);
	return t->key && web_body_kept(c, t->key, t->revision, t->now);
}

static int64_t earlier(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* The age in seconds at which age_label(s) says something else. */
static int64_t age_label_until(int64_t s)
{
	if (s < 60)
		return 60;
	if (s < 3600)
		return (s / 60 + 1) * 60;
	if (s < 86400)
		return (s / 3600 + 1) * 3600;
	return (s / 86400 + 1) * 86400;
}

int web_candidate_linkedin_read(struct ctx *c, int64_t id,
				struct web_tab_pre *pre)
{
	struct li_settings s;
	bool ready;
	int st = tab_settings(c, &s, &ready);
	if (st || !ready)
		return st;
	struct ats_li_state *state = arena_calloc(c->arena, 1, sizeof(*state));
	if (!state)
		return 500;
	int rc = ats_li_state(c->db, c->arena, id, c->session->user.id, state);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	pre->li = state;
	if (state->has_revision)
		pre->revision = &state->revision;
	return 0;
}

int web_candidate_linkedin_tab(struct ctx *c, const struct candidate *k,
			       enum access acc, const struct web_tab_pre *pre)
{
	struct li_settings s;
	struct ats_li_state st;
	const char *instance;
	bool ready;

	int rc, status = tab_settings(c, &s, &ready);
	if (status)
		return status;
	if (!ready) {
		json_object_set_new(
		    c->page, "linkedin",
		    json_pack("{s:b, s:s, s:b}", "configured", false,
			      "message", "LinkedIn integration is not set up",
			      "is_admin",
			      c->session->user.role == ROLE_ADMIN));
		return web_admins_context(c);
	}
	rc = li_settings_instance(c->db, c->arena, &s, &instance);
	if (rc == DB_OK && pre && pre->li)
		st = *pre->li;
	else if (rc == DB_OK)
		rc = ats_li_state(c->db, c->arena, k->id, c->session->user.id,
				  &st);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	const char *params = li_match_params(c->arena, s.organization_urn, k);
	const char *key = params ? li_match_key(c->arena, params) : NULL;
	if (!key)
		return 500;

	const char *member = *k->linkedin_member_id ? k->linkedin_member_id
						    : NULL;
	bool stored = st.match_key != NULL;
	bool fresh = stored && !strcmp(st.match_key, key);
	/* what the tab shows */
	const char *state;
	const char *shown = NULL; /* the widget's member */
	int rule = 0;
	if (member && st.link_manual) {
		state = "linked";
		shown = member;
	} else if (fresh && st.match_rule == 1 && member && st.match_member &&
		   !strcmp(st.match_member, member)) {
		state = "matched";
		shown = member;
		rule = 1;
	} else if (stored && st.match_rule != 3) {
		state = "possible";
		rule = 2;
	} else if (stored) {
		state = "none";
		rule = 3;
	} else {
		state = "looking";
	}

	/* Ask LinkedIn again when what is stored is missing, for other data
	 * or old; never twice at once, and not after it gave up (the page
	 * offers "Try again"). */
	bool refreshing = st.match_queued, asked = false;
	int64_t max_age = c->cfg->linkedin_match_max_age_seconds;
	if ((!fresh || st.match_age_s > max_age) && !st.match_queued &&
	    !st.match_dead) {
		rc = ats_li_match_request(c->db, k->id);
		if (rc != DB_OK)
			return web_status_from_db(rc);
		refreshing = asked = true;
	}

	/* looked at: the worker keeps the answer fresh (once a minute) */
	bool viewed = st.viewed_age_s < 0 || st.viewed_age_s > 60;
	if (viewed && (rc = ats_li_viewed(c->db, k->id)) != DB_OK)
		return web_status_from_db(rc);

	/* The body kept (web_candidate_linkedin_kept) until it would say
	 * something else or this code would write again: the age shown,
	 * the match grown old (asked again then), the next "looked at".
	 * Not when this view asked for the match: the tag read before
	 * does not hold the outbox row it made. */
	const struct web_tab_tag *tag = pre ? pre->tag : NULL;
	if (tag && tag->key && !asked) {
		int64_t now = tag->now, until = INT64_MAX;
		if (st.match_age_s >= 0) {
			until = now + age_label_until(st.match_age_s) -
				st.match_age_s;
			if (fresh && !refreshing && !st.match_dead)
				until = earlier(until, now + max_age + 1 -
							   st.match_age_s);
		}
		until = earlier(until,
				now + 61 - (viewed ? 0 : st.viewed_age_s));
		web_body_keep(c, tag->key, tag->revision, until);
	}

	bool connected = st.viewer_connected;
	const char *seat = viewer_seat(c, &st);
	bool can_link = acc >= ACCESS_MANAGE;
	const char *ats_id = li_ats_candidate_id(c->arena, instance, k->id);
	json_t *o = web_pack_row(
	    "{s:b, s:s, s:i, s:s, s:b, s:b, s:I, s:b, s:b, s:s, s:b, s:s, "
	    "s:s, s:b}",
	    "configured", true, "state", state, "rule", rule, "member",
	    member ? member : "", "manual", st.link_manual && member, "fresh",
	    fresh, "age_s", (json_int_t)st.match_age_s, "refreshing",
	    refreshing, "failed", st.match_error != NULL || st.match_dead,
	    "error", st.match_error ? st.match_error : "", "dead",
	    st.match_dead, "seat", seat, "ats_candidate_id", ats_id,
	    "can_link", can_link);
	if (!o)
		return 500;
	json_object_set_new(o, "matches",
			    matches_context(c, st.match_elements, member));
	json_object_set_new(o, "total", json_integer(st.match_total));
	json_object_set_new(o, "link_pending", json_boolean(st.link_queued));
	json_object_set_new(o, "link_failed", json_boolean(st.link_dead));
	if (st.link_error && st.link_dead)
		json_object_set_new(o, "link_error",
				    json_string(st.link_error));
	if (st.link_by)
		json_object_set_new(
		    o, "link_change",
		    web_pack_row("{s:s, s:s, s:b}", "by", st.link_by, "at",
				 st.link_at, "linked", member != NULL));
	if (shown)
		json_object_set_new(
		    o, "profile",
		    web_pack_row("{s:s, s:s, s:s}", "member", shown, "urn",
				 arena_printf(c->arena, "urn:li:person:%s",
					      shown),
				 "recruiter_url", recruiter_url(c, shown)));
	json_object_set_new(c->page, "linkedin", o);
	if (!html(c))
		return 0;

	/* the page's own words and the widget's tags */
	json_object_set_new(o, "tab_url", json_string(tab_url(c, k->id)));
	json_object_set_new(o, "action_url",
			    json_string(arena_printf(c->arena,
						     "/candidates/%lld/linkedin",
						     (long long)k->id)));
	char *flag = arena_printf(c->arena, "state_%s", state);
	if (flag)
		json_object_set_new(o, flag, json_true());
	json_object_set_new(o, "has_matches",
			    json_boolean(json_array_size(json_object_get(
					     o, "matches")) > 0));
	json_object_set_new(
	    o, "more",
	    json_boolean(st.match_total >
			 (int64_t)json_array_size(json_object_get(o, "matches"))));
	if (st.match_age_s >= 0)
		json_object_set_new(
		    o, "age",
		    json_string(age_label(c->arena, st.match_age_s)));
	json_object_set_new(o, "stale", json_boolean(stored && !fresh));
	json_object_set_new(o, "has_email", json_boolean(*k->email));
	json_object_set_new(o, "connected", json_boolean(connected));
	json_object_set_new(o, "recruiter_seat",
			    json_boolean(!strcmp(seat, "recruiter")));
	json_object_set_new(
	    o, "seat_label",
	    json_string(!strcmp(seat, "hiring_manager") ? "a Hiring Manager seat"
			: !strcmp(seat, "recruiter")	     ? "a Recruiter seat"
							     : "no seat"));
	if (shown)
		json_object_set_new(
		    o, "widget",
		    web_pack_row("{s:s, s:s, s:s, s:s, s:s}", "platform",
				 c->cfg->linkedin_platform_base, "api_key",
				 s.client_id, "ats_candidate_id", ats_id,
				 "integration_context", s.organization_urn,
				 "member",
				 arena_printf(c->arena, "urn:li:person:%s",
					      shown)));
	return 0;
}

/* ------------------------------------------------------------ actions */

/* The candidate of capture 0 for a change of its LinkedIn member: 0, or
 * 404 (not reachable), 403 (read only), 409 (LinkedIn is off). */
static int action_start(struct ctx *c, enum access need, struct candidate *k)
{
	enum access acc;
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int rc = ats_candidate_access(c->db, c->arena, &c->session->user, id,
				      &acc);
	if (rc == DB_OK && acc == ACCESS_NONE)
		return 404;
	if (rc == DB_OK)
		rc = ats_candidate_get(c->db, c->arena, id, k);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (acc < need)
		return web_fail(c, 403, NULL,
				"Only recruiters and admins may link or "
				"unlink a candidate's LinkedIn profile.");
	struct li_settings s;
	rc = li_settings_load(c->db, c->arena, c->cfg, &s);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (!li_settings_ready(&s) || !*s.organization_urn)
		return web_fail(c, 409, NULL,
				"LinkedIn integration is not set up.");
	return 0;
}

/* The member field into *member: "urn:li:person:ID" (the widget's
 * callbacks) or "ID" (the list's forms); NULL when absent and not
 * required.  0, or the status of the refusal (400 naming the field). */
static int member_field(struct ctx *c, bool required, const char **member)
{
	*member = NULL;
	const char *v = web_text(c, "member", 100);
	if (c->input_status)
		return c->input_status;
	if (!*v)
		return required ? web_fail(c, 400, "member",
					   "is missing: name the LinkedIn "
					   "member (urn:li:person:ID)")
				: 0;
	if (!strncmp(v, "urn:li:person:", 14))
		v += 14;
	if (!ats_li_member_id_valid(v))
		return web_fail(c, 400, "member",
				"must be a LinkedIn member (urn:li:person:ID)");
	*member = v;
	return 0;
}

/* After a change: the browser back to the tab, a JSON client the tab's
 * state. */
static int done(struct ctx *c, const struct candidate *k0)
{
	if (html(c))
		return web_see_other(c, tab_url(c, k0->id));
	struct candidate k;
	enum access acc;
	int rc = ats_candidate_get(c->db, c->arena, k0->id, &k);
	if (rc == DB_OK)
		rc = ats_candidate_access(c->db, c->arena, &c->session->user,
					  k.id, &acc);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_object_clear(c->page);
	int st = web_candidate_linkedin_tab(c, &k, acc, NULL);
	if (st)
		return st;
	c->template = "candidates/show";
	return 200;
}

int web_candidate_linkedin_link(struct ctx *c)
{
	struct candidate k;
	int st = action_start(c, ACCESS_MANAGE, &k);
	if (st)
		return st;
	const char *member;
	if ((st = member_field(c, true, &member)))
		return st;
	int64_t holder = 0;
	int rc = ats_li_link(c->db, c->session->user.id, k.id, member,
			     c->req->remote_addr, &holder);
	if (rc == DB_DUPLICATE) {
		struct candidate h;
		const char *name = "another candidate";
		if (holder &&
		    ats_candidate_get(c->db, c->arena, holder, &h) == DB_OK) {
			name = arena_printf(c->arena, "%s (candidate %lld)",
					    ats_candidate_name(c->arena, &h),
					    (long long)h.id);
			json_object_set_new(
			    c->page, "error_extra",
			    json_pack("{s:{s:I, s:s, s:s}}", "linked_to", "id",
				      (json_int_t)h.id, "name",
				      ats_candidate_name(c->arena, &h), "url",
				      tab_url(c, h.id)));
		}
		return web_fail(
		    c, 409, "member",
		    arena_printf(c->arena,
				 "This LinkedIn member is linked to %s "
				 "already: unlink it there first.",
				 name ? name : "another candidate"));
	}
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return done(c, &k);
}

int web_candidate_linkedin_unlink(struct ctx *c)
{
	struct candidate k;
	int st = action_start(c, ACCESS_MANAGE, &k);
	if (st)
		return st;
	const char *member;
	if ((st = member_field(c, false, &member)))
		return st;
	int rc = ats_li_unlink(c->db, c->session->user.id, k.id, member,
			       c->req->remote_addr);
	if (rc == DB_NOT_FOUND)
		return web_fail(c, 409, NULL,
				"This candidate is not linked to a LinkedIn "
				"member.");
	if (rc == DB_DUPLICATE)
		return web_fail(c, 409, "member",
				"This candidate is linked to another LinkedIn "
				"member now: reload the page.");
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return done(c, &k);
}

int web_candidate_linkedin_refresh(struct ctx *c)
{
	struct candidate k;
	int st = action_start(c, ACCESS_READ, &k);
	if (st)
		return st;
	int rc = ats_li_match_request(c->db, k.id);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return done(c, &k);
}
