/*
 * admin.c - the admin's people pages (F6): the user list with a create
 * form and, per user, role and LinkedIn seat, deactivate and activate.
 *
 * The rules (validation, the last admin, sessions ending on deactivation)
 * are in src/ats/people.c.
 */
#include "ats/people.h"
#include "web/web.h"

#define PEOPLE_PER_PAGE 50

/* The list page's context: a page of the people matching ?q=, and the
 * create form, which keeps what was typed. */
static int users_context(struct ctx *c)
{
	struct person_list ps;
	const char *q;
	int64_t page;
	int st = web_list_query(c, &page, &q);
	if (st)
		return st;
	int rc =
	    ats_people_list(c->db, c->arena, q, (page - 1) * PEOPLE_PER_PAGE,
			    PEOPLE_PER_PAGE, &ps);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	json_t *list = json_array();
	for (size_t i = 0; i < ps.n; i++) {
		struct user *u = &ps.v[i].user;
		json_array_append_new(
		    list,
		    json_pack(
			"{s:I, s:s, s:s, s:s, s:s?, s:s, s:s?, s:b, "
			"s:b, s:s, s:s, s:o, s:o}",
			"id", (json_int_t)u->id, "email", u->email, "name",
			u->name, "role", role_name(u->role), "role_label",
			ats_word_label(ats_roles, role_name(u->role)), "seat",
			u->seat, "seat_label",
			ats_word_label(ats_seats, u->seat), "active", u->active,
			"me", u->id == c->session->user.id, "created_at",
			ps.v[i].created_at, "last_seen", ps.v[i].last_seen,
			"roles", web_options(ats_roles, role_name(u->role)),
			"seats", web_options(ats_seats, u->seat)));
	}
	json_object_set_new(c->page, "users", list);
	json_object_set_new(c->page, "has_users", json_boolean(ps.n > 0));
	json_object_set_new(c->page, "total", json_integer(ps.total));
	json_object_set_new(c->page, "q", json_string(q));
	const char *const params[] = {"q", q, NULL};
	web_pager(c, &(struct pager){"/admin/users", params, page, ps.total,
				     PEOPLE_PER_PAGE, false, ps.n == 0});
	json_object_set_new(
	    c->page, "new",
	    json_pack(
		"{s:s, s:s, s:o, s:o}", "email", web_text(c, "email", 0),
		"name", web_text(c, "name", 0), "roles",
		web_options(ats_roles, web_text_or(c, "role", 0, "recruiter")),
		"seats",
		web_options(ats_seats, web_text_or(c, "seat", 0, "none"))));
	c->template = "admin/users";
	c->title = "People";
	return 200;
}

/* After a change to a user: back to the list as the admin saw it (the
 * forms carry its q and page), at the user's row. */
static int back_to_list(struct ctx *c, int64_t id)
{
	int64_t page = 1;
	const char *p = web_text(c, "page", 0);
	if (*p && (parse_i64(p, &page) < 0 || page < 1 || page > WEB_PAGE_MAX))
		page = 1;
	const char *const params[] = {"q", web_text(c, "q", 0), NULL};
	struct pager list = {.path = "/admin/users", .params = params};
	return web_see_other(c, arena_printf(c->arena, "%s#user-%lld",
					     web_page_url(c, &list, page),
					     (long long)id));
}

int web_admin_users(struct ctx *c)
{
	return users_context(c);
}

int web_admin_user_create(struct ctx *c)
{
	struct ats_error e = {0};
	int64_t id = 0;
	const char *email = web_text(c, "email", 0);
	const char *name = web_text(c, "name", 0);
	const char *role = web_text(c, "role", 0);
	const char *seat = web_text_or(c, "seat", 0, "none");
	const char *password = web_password(c, "password");
	int st = users_context(c);
	if (st != 200)
		return st;
	if (c->input_status)
		return c->input_status;
	int rc =
	    ats_person_create(c->db, c->session->user.id, email, name, role,
			      seat, password, c->req->remote_addr, &id, &e);
	if (rc == ATS_INVALID || rc == DB_DUPLICATE)
		return web_fail(c, rc == DB_DUPLICATE ? 409 : 400, e.field,
				e.message);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	/* the new person, found by their email, whatever page they land on */
	const char *const params[] = {"q", email, NULL};
	struct pager found = {.path = "/admin/users", .params = params};
	return web_see_other(c, arena_printf(c->arena, "%s#user-%lld",
					     web_page_url(c, &found, 1),
					     (long long)id));
}

int web_admin_user_update(struct ctx *c)
{
	struct ats_error e = {0};
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	const char *role = web_text(c, "role", 0);
	const char *seat = web_text(c, "seat", 0);
	int st = users_context(c);
	if (st != 200)
		return st;
	if (c->input_status)
		return c->input_status;
	int rc = ats_person_update(c->db, c->arena, c->session->user.id, id,
				   role, seat, c->req->remote_addr, &e);
	if (rc == ATS_INVALID)
		return web_fail(c, 400, e.field, e.message);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	return back_to_list(c, id);
}

static int set_active(struct ctx *c, bool active)
{
	struct ats_error e = {0};
	int64_t id = web_capture_id(c, 0);
	if (!id)
		return 404;
	int st = users_context(c);
	if (st != 200)
		return st;
	int rc = ats_person_set_active(c->db, c->arena, c->session->user.id, id,
				       active, c->req->remote_addr, &e);
	if (rc == ATS_INVALID)
		return web_fail(c, 400, e.field, e.message);
	if (rc != DB_OK)
		return web_status_from_db(rc);
	struct user who;
	const char *name = ats_person_get(c->db, c->arena, id, &who) == DB_OK
				   ? who.name
				   : "the user";
	if (active) {
		web_notice(c, arena_printf(c->arena,
					   "%s can sign in again", name));
	} else {
		/* a deactivation is undone at once (stage18) */
		web_notice_undo(
		    c,
		    arena_printf(c->arena,
				 "Deactivated %s: they are signed out and can "
				 "no longer sign in",
				 name),
		    arena_printf(c->arena, "/admin/users/%lld/activate",
				 (long long)id),
		    NULL);
	}
	return back_to_list(c, id);
}

int web_admin_user_deactivate(struct ctx *c)
{
	return set_active(c, false);
}
int web_admin_user_activate(struct ctx *c)
{
	return set_active(c, true);
}
