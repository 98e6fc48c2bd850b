/*
 * settings.c - User settings (the gear, top right): the profile tab, the
 * password tab and its form, and the Connections tab (F7), which until the
 * LinkedIn integration is set up names the admins to ask.
 *
 * The Connections block is its own partial (templates/settings/
 * connections.html) fed by the context key "admins" ([{name, email}]), so
 * the LinkedIn work can replace it without touching this page.
 */
#include <string.h>

#include "ats/people.h"
#include "web/web.h"

/* ?tab=, a tab's value is its index */
static const struct web_choice tabs[] = {
    {"profile", 0}, {"password", 1}, {"connections", 2}, {NULL, 0}};
static const char *const tab_labels[] = {"Profile", "Password", "Connections"};

int web_admins_context(struct ctx *c)
{
	struct user *admins;
	size_t n;
	int rc = ats_admins_list(c->db, c->arena, &admins, &n);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *al = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(al, json_pack("{s:s, s:s, s:s}", "name",
						    admins[i].name, "email",
						    admins[i].email, "sep",
						    i ? ", " : ""));
	json_object_set_new(c->page, "admins", al);
	json_object_set_new(c->page, "has_admins", json_boolean(n > 0));
	return 0;
}

static int settings_context(struct ctx *c, const char *tab)
{
	struct user *me = &c->session->user;
	int st = web_admins_context(c);
	if (st)
		return st;

	json_t *tl = json_array();
	for (size_t i = 0; tabs[i].name; i++)
		json_array_append_new(
		    tl, json_pack("{s:s, s:s, s:b}", "id", tabs[i].name,
				  "label", tab_labels[i], "active",
				  !strcmp(tab, tabs[i].name)));
	json_object_set_new(c->page, "tabs", tl);
	json_object_set_new(c->page, "tab", json_string(tab));
	json_object_set_new(c->page, arena_printf(c->arena, "tab_%s", tab),
			    json_true());
	json_object_set_new(c->page, "profile",
			    json_pack("{s:s, s:s, s:s, s:s}", "name", me->name,
				      "email", me->email, "role",
				      role_name(me->role), "seat", me->seat));
	/* in words: "Hiring manager", not hiring_manager */
	const char *rl = ats_word_label(ats_roles, role_name(me->role));
	const char *sl = ats_word_label(ats_seats, me->seat);
	json_t *prof = json_object_get(c->page, "profile");
	json_object_set_new(prof, "role_label",
			    json_string(rl ? rl : role_name(me->role)));
	json_object_set_new(prof, "seat_label",
			    json_string(sl ? sl : me->seat ? me->seat : ""));
	c->template = "settings/user";
	c->title = "User settings";
	if (!strcmp(tab, "connections"))
		return web_linkedin_connections_context(c);
	return 200;
}

int web_settings_user(struct ctx *c)
{
	int tab = web_enum(c, "tab", tabs, 0);
	bool changed = web_bool(c, "changed");
	if (c->input_status)
		return c->input_status;
	int st = settings_context(c, tabs[tab].name);
	if (st == 200 && changed)
		json_object_set_new(c->page, "password_changed", json_true());
	return st;
}

int web_settings_password(struct ctx *c)
{
	struct ats_error e = {0};
	const char *current = web_password(c, "current_password");
	const char *next = web_password(c, "new_password");
	const char *confirm = web_password(c, "confirm_password");
	int st = settings_context(c, "password");
	if (st != 200)
		return st;
	if (c->input_status)
		return c->input_status;
	if (!*current)
		return web_fail(c, 400, "current_password",
				"enter your current password");
	if (strlen(next) < PASSWORD_MIN || strlen(next) > PASSWORD_MAX)
		return web_fail(c, 400, "new_password",
				"must be 8 to 1024 characters");
	if (strcmp(next, confirm))
		return web_fail(c, 400, "confirm_password",
				"does not match the new password");
	int rc = ats_password_change(
	    c->db, c->arena, c->session->user.id, current, next,
	    http_cookie(c->req, SESSION_COOKIE), c->req->remote_addr, &e);
	if (rc == ATS_INVALID)
		return web_fail(c, 400, e.field, e.message);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return web_see_other(c, "/settings/user?tab=password&changed=1");
}
