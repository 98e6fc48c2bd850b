/*
 * candidate_activities.c - the candidate's Recruiting activities tab (F9,
 * /candidates/{id}?tab=activities) and its Retry
 * (POST /candidates/{id}/activities/refresh).
 *
 * The tab never waits for LinkedIn: it shows what the worker stored
 * (src/linkedin/activities.h), newest first, with how old it is, and asks
 * the worker for a refresh of the viewer's seat (at most every
 * LI_ACTIVITY_REFRESH_GAP_S).  When LinkedIn was slow or down at the last
 * try, the stored entries stay with their age and a Retry button.  A
 * viewer the tab cannot serve fully (integration off, not connected, no
 * seat) gets the message and the link that mends it, and still sees what
 * needs no seat: public notes, InMail activity, hirelink's rejections.
 * Never InMail content: hirelink does not have it.
 *
 * The page is kept whole between views (web_body_kept, web.h): the view
 * reads the revisions of all it shows (li_activities_tab_tag) and serves
 * the body kept at them until its "updated N minutes ago" would change or
 * a refresh of the seat falls due; else it reads and renders as above.
 */
#include <string.h>
#include <time.h>

#include "ats/applications.h"
#include "ats/candidates.h"
#include "linkedin/activities.h"
#include "web/web.h"

#define ACTIVITIES_PER_PAGE 50

/* "2026-12-03 04:30 UTC", arena-owned. */
static const char *ms_text(struct arena *a, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char s[32];
	if (!gmtime_r(&t, &tm) ||
	    !strftime(s, sizeof(s), "%Y-%m-%d %H:%M UTC", &tm))
		return "";
	return arena_strdup(a, s);
}

/* "updated 3 minutes ago", from the age of the viewer's seat's data. */
static const char *updated_text(struct arena *a, int64_t age_s)
{
	if (age_s < 0)
		return "not read from LinkedIn yet";
	if (age_s < 60)
		return "updated less than a minute ago";
	if (age_s < 120)
		return "updated 1 minute ago";
	if (age_s < 2 * 3600)
		return arena_printf(a, "updated %lld minutes ago",
				    (long long)(age_s / 60));
	if (age_s < 2 * 86400)
		return arena_printf(a, "updated %lld hours ago",
				    (long long)(age_s / 3600));
	return arena_printf(a, "updated %lld days ago",
			    (long long)(age_s / 86400));
}

static const char *const state_names[] = {
    [LI_VIEWER_OFF] = "off",
    [LI_VIEWER_NOT_CONNECTED] = "not_connected",
    [LI_VIEWER_RECONNECT] = "reconnect",
    [LI_VIEWER_NO_SEAT] = "no_seat",
    [LI_VIEWER_SEAT] = "seat",
};

/* The message and the link that mends the viewer's state. */
static void state_message(struct ctx *c, const struct li_viewer *v,
			  json_t *o)
{
	const char *msg = NULL, *url = NULL, *label = NULL;
	bool admin = c->session->user.role == ROLE_ADMIN;
	switch (v->state) {
	case LI_VIEWER_OFF:
		msg = "The LinkedIn integration is off or not set up with a "
		      "Recruiter contract: Recruiter notes and InMail "
		      "activity are not read from LinkedIn";
		if (admin) {
			url = "/admin/linkedin";
			label = "Set up LinkedIn";
		} else {
			json_object_set_new(o, "ask_admins", json_true());
		}
		break;
	case LI_VIEWER_NOT_CONNECTED:
		msg = "Connect your LinkedIn account to see your private "
		      "Recruiter notes and your own InMail activity, and to "
		      "refresh them";
		url = "/settings/linkedin";
		label = "Connect LinkedIn";
		break;
	case LI_VIEWER_RECONNECT:
		msg = "LinkedIn no longer accepts your connection: connect "
		      "again to see your private Recruiter notes and refresh "
		      "them";
		url = "/settings/linkedin";
		label = "Reconnect LinkedIn";
		break;
	case LI_VIEWER_NO_SEAT:
		msg = "Your LinkedIn member holds no seat on your "
		      "organisation's Recruiter contract, so LinkedIn shows you "
		      "no Recruiter notes or InMail of your own. Ask your "
		      "LinkedIn Recruiter admin for a seat; hirelink sees it at "
		      "its next reading of the seats, or when you check your "
		      "connection";
		url = "/settings/linkedin";
		label = "Check my LinkedIn connection";
		break;
	case LI_VIEWER_SEAT:
		break;
	}
	json_object_set_new(o, "state", json_string(state_names[v->state]));
	json_object_set_new(o, "has_seat",
			    json_boolean(v->state == LI_VIEWER_SEAT));
	if (msg)
		json_object_set_new(o, "message", json_string(msg));
	if (url) {
		json_object_set_new(o, "fix_url", json_string(url));
		json_object_set_new(o, "fix_label", json_string(label));
	}
}

static json_t *activity_json(struct ctx *c, const struct li_activity *e)
{
	static const char *const kinds[] = {
	    [LI_ACT_NOTE] = "note",
	    [LI_ACT_INMAIL] = "inmail",
	    [LI_ACT_REJECTION] = "rejection",
	};
	json_t *o = web_pack_row(
	    "{s:s, s:I, s:s}", "kind", kinds[e->kind], "at_ms",
	    (json_int_t)e->at_ms, "at", ms_text(c->arena, e->at_ms));
	if (!o)
		return NULL;
	switch (e->kind) {
	case LI_ACT_NOTE:
		json_object_update_new(
		    o, web_pack_row("{s:s, s:s, s:b, s:s, s:s, s:b}", "who",
				    e->who, "user_name", e->user_name, "mine",
				    e->mine, "visibility", e->visibility,
				    "note", e->note, "private",
				    !strcmp(e->visibility, "PRIVATE")));
		break;
	case LI_ACT_INMAIL: {
		bool out = !strcmp(e->direction, "OUTBOUND");
		json_object_update_new(
		    o, web_pack_row("{s:s, s:s, s:b, s:s, s:b, s:b}", "who",
				    e->who, "user_name", e->user_name, "mine",
				    e->mine, "direction", e->direction,
				    "outbound", out, "replied", e->replied));
		break;
	}
	case LI_ACT_REJECTION:
		json_object_update_new(
		    o, web_pack_row(
			   "{s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "user_name",
			   e->user_name, "job_id",
			   (json_int_t)e->job_id, "job_title", e->job_title,
			   "job_url",
			   arena_printf(c->arena, "/jobs/%lld",
					(long long)e->job_id),
			   "reason", e->reason, "reason_label",
			   *e->reason ? ats_word_label(ats_rejection_reasons,
						       e->reason)
				      : "",
			   "detail", e->detail));
		/* in words (words.c): "Position filled: ..." */
		json_object_set_new(
		    o, "detail_words",
		    json_string(web_event_detail(c->arena, e->detail)));
		break;
	}
	char *flag = arena_printf(c->arena, "is_%s", kinds[e->kind]);
	if (flag)
		json_object_set_new(o, flag, json_true());
	return o;
}

/* The list of the tab (entries, the others engaging, the pager) into o
 * and the page: 0, or the status of the error. */
static int list_load(struct ctx *c, const struct candidate *k,
		     const char *seat, int64_t page, json_t *o)
{
	struct li_activity_page p;
	int rc = li_activities_list(c->db, c->arena, &c->session->user, k->id,
				    k->linkedin_member_id, seat,
				    (page - 1) * ACTIVITIES_PER_PAGE,
				    ACTIVITIES_PER_PAGE, &p);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_object_set_new(o, "more", json_boolean(p.more));
	json_t *items = json_array();
	for (size_t i = 0; items && i < p.n; i++)
		json_array_append_new(items, activity_json(c, &p.v[i]));
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "has_items", json_boolean(p.n > 0));
	json_t *others = json_array();
	for (size_t i = 0; others && i < p.nothers; i++) {
		const struct li_engager *g = &p.others[i];
		const char *what = arena_printf(
		    c->arena, "%s%s%s",
		    g->inmails ? arena_printf(c->arena, "%lld InMail%s",
					      (long long)g->inmails,
					      g->inmails > 1 ? "s" : "")
			       : "",
		    g->inmails && g->notes ? ", " : "",
		    g->notes ? arena_printf(c->arena, "%lld public note%s",
					    (long long)g->notes,
					    g->notes > 1 ? "s" : "")
			     : "");
		json_array_append_new(
		    others,
		    web_pack_row("{s:s, s:s, s:I, s:I, s:s, s:s}", "who",
				 g->who, "user_name", g->user_name, "inmails",
				 (json_int_t)g->inmails, "notes",
				 (json_int_t)g->notes, "what", what, "last_at",
				 ms_text(c->arena, g->last_ms)));
	}
	json_object_set_new(o, "others", others);
	json_object_set_new(o, "has_others", json_boolean(p.nothers > 0));
	const char *path =
	    arena_printf(c->arena, "/candidates/%lld", (long long)k->id);
	const char *const params[] = {"tab", "activities", NULL};
	web_pager(c, &(struct pager){path, params, page, p.total,
				     ACTIVITIES_PER_PAGE, p.more, p.n == 0});
	return 0;
}

/*
 * The list as HTML into *html (arena-owned), kept or rendered: a list is
 * kept (fragcache.c) under who sees it (the user, their role, their seat:
 * a private note is its author's seat's alone) and what it shows is at
 * (rev, read before the list), so the tab answers from it while nothing
 * it shows has changed.  0, or the status of the error.
 */
static int list_html(struct ctx *c, const struct candidate *k,
		     const char *seat, int64_t page,
		     const struct li_activities_rev *rev, json_t *o,
		     const char **html, size_t *len)
{
	struct fragcache *fc = c->w->app->frags;
	const struct user *u = &c->session->user;
	const char *key = NULL;
	int64_t unused;

	*html = NULL;
	if (fc && rev->tag)
		key = arena_printf(c->arena, "acts %lld %lld %s %s %lld %s",
				   (long long)k->id, (long long)u->id,
				   role_name(u->role), seat ? seat : "-",
				   (long long)page, rev->tag);
	if (key)
		*html = fragcache_get(fc, key, rev->revision, c->arena, len,
				      &unused);
	if (*html)
		return 0;
	int st = list_load(c, k, seat, page, o);
	if (st)
		return st;
	struct buf b = BUF_INIT;
	if (tmpl_render(c->w->app->tmpl, "candidates/activity_list", c->page,
			&b) == 0 &&
	    !buf_failed(&b)) {
		if (key)
			fragcache_put(fc, key, rev->revision, b.data, b.len, 0);
		*html = arena_strndup(c->arena, b.data, b.len);
		*len = b.len;
	}
	buf_release(&b);
	return *html ? 0 : 500;
}

/* What the tab reads ahead of the page's head (web.h). */
struct web_activities_pre {
	struct li_settings s;
	struct li_viewer v;
	struct li_activities_rev rev;
};

/* The tab's state of candidate id into *p: the settings (kept: no
 * statement but once a second), the viewer and the list's revisions (one
 * statement).  0 or the status. */
static int state_read(struct ctx *c, int64_t id, struct web_activities_pre *p)
{
	int rc = li_settings_load_kept(c->w->app->li, c->db, c->arena, c->cfg,
				       &p->s);
	if (rc == DB_OK)
		rc = li_activities_tab_read(c->db, c->arena, &p->s,
					    c->session->user.id, id, &p->v,
					    &p->rev);
	return rc == DB_OK ? 0 : web_status_from_db(rc);
}

bool web_candidate_activities_kept(struct ctx *c, const struct candidate *k,
				   enum access acc, struct web_tab_tag *t)
{
	struct li_settings s;
	int64_t page;
	const struct user *u = &c->session->user;
	/* the integration off: the page names the admins
	 * (web_admins_context), who are under no revision here */
	if (!t->ok || web_page(c, &page) ||
	    li_settings_load_kept(c->w->app->li, c->db, c->arena, c->cfg,
				  &s) != DB_OK ||
	    !li_activities_ready(&s))
		return false;
	/* who sees it (the head counts their private notes, the list
	 * holds their seat's private Recruiter notes: the seat is under
	 * the viewer's revision), the page, the integration, then the
	 * revisions */
	t->key = arena_printf(
	    c->arena, "tab activities %lld %lld %s %s %d %lld %s %s %s %s",
	    (long long)k->id, (long long)u->id, role_name(u->role),
	    u->seat ? u->seat : "-", (int)acc, (long long)page, s.client_id,
	    s.organization_urn, s.contract_urn, t->tag);
	return t->key && web_body_kept(c, t->key, t->revision, t->now);
}

/* The age in seconds at which updated_text(s) says something else. */
static int64_t updated_until(int64_t s)
{
	if (s < 60)
		return 60;
	if (s < 7200)
		return (s / 60 + 1) * 60;
	if (s < 172800)
		return (s / 3600 + 1) * 3600;
	return (s / 86400 + 1) * 86400;
}

static int64_t earlier(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

int web_candidate_activities_read(struct ctx *c, int64_t id,
				  struct web_tab_pre *pre)
{
	struct web_activities_pre *p = arena_calloc(c->arena, 1, sizeof(*p));
	if (!p)
		return 500;
	int st = state_read(c, id, p);
	if (st)
		return st;
	pre->acts = p;
	/* the list's revision is the candidate's (li_activities_rev) */
	if (p->rev.tag)
		pre->revision = &p->rev.revision;
	return 0;
}

int web_candidate_activities_tab(struct ctx *c, const struct candidate *k,
				 enum access acc, const struct web_tab_pre *pre)
{
	struct web_activities_pre own;
	const struct web_activities_pre *p = pre ? pre->acts : NULL;
	int64_t page;
	(void)acc;
	int st = web_page(c, &page);
	if (st)
		return st;
	if (!p) {
		if ((st = state_read(c, k->id, &own)))
			return st;
		p = &own;
	}
	const struct li_viewer v = p->v;
	/* a refresh of the viewer's seat, never waited for */
	bool queued = false, asked = false;
	if (v.state == LI_VIEWER_SEAT && v.refresh_due) {
		asked = true;
		if (li_activities_refresh_ask(c->db, v.seat_urn, false,
					      &queued) != DB_OK)
			log_warn("activities: cannot ask for a refresh of "
				 "%s: %s",
				 v.seat_urn, db_error(c->db));
	}
	/* connected without a seat: LinkedIn may have given one since */
	if (v.state == LI_VIEWER_NO_SEAT &&
	    li_activities_seats_ask(c->db, &queued) != DB_OK)
		log_warn("activities: cannot ask for the seats: %s",
			 db_error(c->db));
	json_t *o = json_object();
	if (!o)
		return 500;
	json_object_set_new(c->page, "activities", o);
	state_message(c, &v, o);
	json_object_set_new(o, "linked",
			    json_boolean(*k->linkedin_member_id != '\0'));
	if (v.state == LI_VIEWER_SEAT) {
		json_object_set_new(o, "age_seconds",
				    v.age_s < 0 ? json_null()
						: json_integer(v.age_s));
		json_object_set_new(o, "updated",
				    json_string(updated_text(c->arena, v.age_s)));
		json_object_set_new(o, "failing", json_boolean(v.failing));
		json_object_set_new(o, "refresh_pending",
				    json_boolean(v.refresh_pending || queued));
		if (v.failing && v.error)
			json_object_set_new(
			    o, "error",
			    json_string("LinkedIn did not answer the last "
					"refresh in time or failed; these are "
					"the activities stored before"));
	}
	if (http_wants_json(c->req))
		return list_load(c, k, v.seat_urn, page, o);
	const char *html = NULL;
	size_t len = 0;
	st = list_html(c, k, v.seat_urn, page, &p->rev, o, &html, &len);
	if (st)
		return st;
	/* escaped when rendered (templates/candidates/activity_list.html);
	 * candidates/activities puts it in with {{& list_html}} */
	json_object_set_new(o, "list_html", json_stringn_nocheck(html, len));
	/* The body kept (web_candidate_activities_kept) until it would say
	 * something else or this code would write again: "updated N
	 * minutes ago", the next refresh of the seat due, the next asking
	 * for the seats of a viewer without one.  Not when this view asked
	 * for a refresh: the tag read before does not hold it. */
	const struct web_tab_tag *tag = pre ? pre->tag : NULL;
	if (tag && tag->key && !asked) {
		int64_t now = tag->now, until = INT64_MAX;
		if (v.state == LI_VIEWER_SEAT && v.age_s >= 0)
			until = now + updated_until(v.age_s) - v.age_s;
		if (v.state == LI_VIEWER_SEAT && v.refresh_asked_age_s >= 0)
			until = earlier(until,
					now + LI_ACTIVITY_REFRESH_GAP_S + 1 -
					    v.refresh_asked_age_s);
		if (v.state == LI_VIEWER_NO_SEAT)
			until = now + LI_ACTIVITY_REFRESH_GAP_S;
		web_body_keep(c, tag->key, tag->revision, until);
	}
	if (v.state == LI_VIEWER_OFF && !http_wants_json(c->req))
		return web_admins_context(c);
	return 0;
}

int web_candidate_activities_refresh(struct ctx *c)
{
	struct candidate k;
	struct candidate_view cv;
	struct li_settings s;
	struct li_viewer v;
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int rc = ats_candidate_view(c->db, c->arena, c->w->app->frags,
				    &c->session->user, id, false, &k, &cv);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (cv.access == ACCESS_NONE)
		return 404;
	rc = li_settings_load(c->db, c->arena, c->cfg, &s);
	if (rc == DB_OK)
		rc = li_viewer_load(c->db, c->arena, &s, c->session->user.id,
				    &v);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	if (v.state != LI_VIEWER_SEAT)
		return web_fail(c, 409, NULL,
				"There is nothing to refresh: your LinkedIn "
				"connection holds no Recruiter contract seat "
				"(see the Recruiting activities tab)");
	bool queued = false;
	rc = li_activities_refresh_ask(c->db, v.seat_urn, true, &queued);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	const char *back = arena_printf(c->arena,
					"/candidates/%lld?tab=activities",
					(long long)id);
	if (!http_wants_json(c->req))
		return web_see_other(c, back);
	json_object_set_new(c->page, "refresh_queued", json_boolean(queued));
	json_object_set_new(c->page, "url", json_string(back));
	return 202;
}
