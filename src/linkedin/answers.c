/*
 * answers.c - the readers of LinkedIn's answers (answers.h): each takes
 * the JSON LinkedIn sent, checks its shape with li_unpack (client.c) and
 * the values hirelink keeps (lengths, URNs, words), and fills a struct.
 * Kept apart from the calls so that nothing but the JSON reaches them,
 * which is what the fuzz harness gives them.
 */
#include <string.h>

#include "linkedin/answers.h"
#include "linkedin/candidates.h"
#include "linkedin/li_internal.h"

/* ------------------------------------------------------------ OAuth */

int li_token_read(json_t *answer, int64_t now_ms, struct li_tokens *t,
		  struct li_error *err)
{
	int64_t secs = 0, rsecs = 0;
	const struct li_field f[] = {
	    LI_STR("access_token", true, &t->access_token),
	    LI_SECONDS("expires_in", true, &secs),
	    LI_STR("refresh_token", false, &t->refresh_token),
	    LI_SECONDS("refresh_token_expires_in", false, &rsecs),
	    LI_STR("scope", false, &t->scope),
	};

	memset(t, 0, sizeof(*t));
	int rc = li_unpack(answer, "token", f, ARRAY_LEN(f), err);
	if (rc != LI_OK)
		return rc;
	t->expires_at = now_ms + secs * 1000;
	t->refresh_expires_at = rsecs ? now_ms + rsecs * 1000 : 0;
	return LI_OK;
}

/* ------------------------------------------------------------ members */

const char *li_member_id_of(const char *urn)
{
	static const char prefix[] = "urn:li:person:";
	if (!urn || strncmp(urn, prefix, sizeof(prefix) - 1))
		return "";
	return urn + sizeof(prefix) - 1;
}

int li_member_read(struct arena *a, json_t *answer,
		   const struct li_member_answer *shape, struct li_member *m,
		   struct li_error *err)
{
	const char *id = NULL, *first = "", *last = "";
	const struct li_field f[] = {
	    LI_STR(shape->id, true, &id),
	    LI_STR(shape->first, false, &first),
	    LI_STR(shape->last, false, &last),
	};
	int rc = li_unpack(answer, shape->label, f, ARRAY_LEN(f), err);
	if (rc != LI_OK)
		return rc;
	if (strlen(id) > 64) {
		li_err_set(err, LI_ERR_PROTOCOL, 0, "",
			   "LinkedIn's %s answer had an unexpected shape: an "
			   "id of %zu characters",
			   shape->label, strlen(id));
		return LI_ERR_PROTOCOL;
	}
	memset(m, 0, sizeof(*m));
	m->id = id;
	m->urn = arena_printf(a, "urn:li:person:%s", id);
	m->first_name = first;
	m->last_name = last;
	m->seat_type = "none";
	return m->urn ? LI_OK : li_err_oom(err);
}

/* ------------------------------------------------------------ seats */

/* A seat's type from its roles (RECRUITER_SEAT, HIRING_MANAGER_SEAT) or
 * its seatType (RECRUITER, HIRING_MANAGER). */
static const char *seat_type_of(json_t *roles, const char *type)
{
	json_t *v;
	size_t i;
	json_array_foreach(roles, i, v)
	{
		const char *s = json_string_value(v);
		if (s && !strcmp(s, "RECRUITER_SEAT"))
			return "recruiter";
		if (s && !strcmp(s, "HIRING_MANAGER_SEAT"))
			return "hiring_manager";
	}
	if (type && !strcmp(type, "RECRUITER"))
		return "recruiter";
	if (type && !strcmp(type, "HIRING_MANAGER"))
		return "hiring_manager";
	return "none";
}

int li_seat_read(struct arena *a, json_t *el, struct li_seat *out,
		 struct li_error *err)
{
	json_t *roles = NULL;
	const char *type = NULL;
	int64_t id = 0;
	*out = (struct li_seat){.first = "", .last = ""};
	const struct li_field f[] = {
	    LI_STR("member", true, &out->member),
	    LI_STR("seat", false, &out->seat),
	    LI_INT("id", false, &id),
	    LI_STR("firstName", false, &out->first),
	    LI_STR("lastName", false, &out->last),
	    LI_ARRAY("seatRoles", false, &roles),
	    LI_STR("seatType", false, &type),
	};
	int rc = li_unpack(el, "seats element", f, ARRAY_LEN(f), err);
	if (rc != LI_OK)
		return rc;
	if (!out->seat && id)
		out->seat = arena_printf(a, "urn:li:seat:%lld", (long long)id);
	if (!out->seat) {
		li_err_set(err, LI_ERR_PROTOCOL, 0, "",
			   "LinkedIn's seats element answer had an unexpected "
			   "shape: no seat and no id");
		return LI_ERR_PROTOCOL;
	}
	out->type = seat_type_of(roles, type);
	return LI_OK;
}

/* ------------------------------------------------------------ matches */

/* One element of the answer into *m: LI_OK, or why it is skipped. */
static int match_read(json_t *e, bool (*member_ok)(const char *),
		      struct li_match *m, struct li_error *err)
{
	const char *urn = NULL;
	*m = (struct li_match){.first_name = "",
			       .last_name = "",
			       .headline = "",
			       .location = "",
			       .public_profile_url = ""};
	const struct li_field f[] = {
	    LI_STR("member", true, &urn),
	    LI_STR("firstName", false, &m->first_name),
	    LI_STR("lastName", false, &m->last_name),
	    LI_STR("headline", false, &m->headline),
	    LI_STR("location", false, &m->location),
	    LI_STR("publicProfileUrl", false, &m->public_profile_url),
	    LI_BOOL("emailMatched", false, &m->email_matched),
	    LI_BOOL("memberMatched", false, &m->member_matched),
	    LI_ARRAY("matchedOn", false, &m->matched_on),
	};
	int rc = li_unpack(e, "atsCandidates memberMatches element", f,
			   ARRAY_LEN(f), err);
	if (rc != LI_OK)
		return rc;
	m->member_id = li_member_id_of(urn);
	if (member_ok(m->member_id))
		return LI_OK;
	li_err_set(err, LI_ERR_PROTOCOL, 0, "", "no member id");
	return LI_ERR_PROTOCOL;
}

int li_matches_read(struct arena *a, json_t *answer,
		    bool (*member_ok)(const char *member_id),
		    struct li_matches *out, struct li_error *err)
{
	json_t *elements = NULL, *paging = NULL;
	*out = (struct li_matches){0};
	const struct li_field top[] = {
	    LI_ARRAY("elements", true, &elements),
	    LI_OBJECT("paging", false, &paging),
	};
	int rc = li_unpack(answer, "atsCandidates memberMatches", top,
			   ARRAY_LEN(top), err);
	if (rc != LI_OK)
		return rc;
	size_t n = json_array_size(elements);
	out->v = arena_calloc(a, n ? n : 1, sizeof(*out->v));
	if (!out->v)
		return li_err_oom(err);
	for (size_t i = 0; i < n; i++) {
		struct li_error skip = {0};
		if (match_read(json_array_get(elements, i), member_ok,
			       &out->v[out->n], &skip) == LI_OK)
			out->n++;
		else
			log_warn("linkedin: a memberMatches element was "
				 "skipped: %s",
				 skip.message[0] ? skip.message
						 : "no member id");
	}
	out->total = (int64_t)out->n;
	if (paging) {
		int64_t total = 0;
		const struct li_field pf[] = {LI_INT("total", false, &total)};
		if (li_unpack(paging, "atsCandidates memberMatches paging", pf,
			      1, err) == LI_OK &&
		    total > out->total)
			out->total = total;
	}
	return LI_OK;
}

/* ------------------------------------------------------------ activities */

/* An element's "id": a string (at most 100 bytes kept) or a number;
 * arena-owned, NULL when neither. */
static const char *id_text(struct arena *a, json_t *v)
{
	if (json_is_string(v) && *json_string_value(v))
		return arena_strndup(a, json_string_value(v), 100);
	if (json_is_integer(v))
		return arena_printf(a, "%lld", (long long)json_integer_value(v));
	return NULL;
}

int li_event_read(struct arena *a, json_t *el, struct li_event *out,
		  struct li_error *err)
{
	const char *prospect = NULL, *dir = NULL;
	*out = (struct li_event){0};
	/* eventContent (the mail's subject and body) is not read */
	const struct li_field f[] = {
	    LI_STR("conversation", true, &out->conversation),
	    LI_STR("prospect", true, &prospect),
	    LI_STR("direction", true, &dir),
	    LI_INT("created", true, &out->created),
	};
	int rc = li_unpack(el, "conversationEvents element", f, ARRAY_LEN(f),
			   err);
	if (rc != LI_OK)
		return rc;
	out->id = id_text(a, json_object_get(el, "id"));
	out->member = li_member_id_of(prospect);
	out->inbound = !strcmp(dir, "INBOUND");
	if (!out->id || !*out->member ||
	    (!out->inbound && strcmp(dir, "OUTBOUND")) ||
	    strlen(out->conversation) > 150 || strlen(out->member) > 64) {
		li_err_set(err, LI_ERR_PROTOCOL, 0, "",
			   "LinkedIn's conversationEvents element answer had "
			   "an unexpected shape: id, prospect or direction");
		return LI_ERR_PROTOCOL;
	}
	return LI_OK;
}

int li_note_read(struct arena *a, json_t *el, struct li_note *out,
		 struct li_error *err)
{
	const char *prospect = NULL, *vis = NULL;
	*out = (struct li_note){.note = "", .active = true};
	const struct li_field f[] = {
	    LI_STR("owner", true, &out->owner),
	    LI_STR("prospect", true, &prospect),
	    LI_STR("note", false, &out->note),
	    LI_STR("visibility", true, &vis),
	    LI_BOOL("active", false, &out->active),
	    LI_INT("created", false, &out->created),
	    LI_INT("lastModified", true, &out->modified),
	};
	int rc = li_unpack(el, "prospectNotes element", f, ARRAY_LEN(f), err);
	if (rc != LI_OK)
		return rc;
	out->id = id_text(a, json_object_get(el, "id"));
	out->member = li_member_id_of(prospect);
	out->is_public = !strcmp(vis, "PUBLIC");
	if (!out->id || !*out->member || strlen(out->owner) > 150 ||
	    strlen(out->member) > 64 ||
	    (!out->is_public && strcmp(vis, "PRIVATE"))) {
		li_err_set(err, LI_ERR_PROTOCOL, 0, "",
			   "LinkedIn's prospectNotes element answer had an "
			   "unexpected shape: id, owner, prospect or "
			   "visibility");
		return LI_ERR_PROTOCOL;
	}
	return LI_OK;
}

/* ------------------------------------------------------------ requests */

/* LI_OK when context is organization_urn. */
static int context_ours(const char *organization_urn, const char *what,
			const char *context, struct li_error *err)
{
	if (context && !strcmp(context, organization_urn))
		return LI_OK;
	li_err_set(err, LI_ERR_PROTOCOL, 0, "",
		   "LinkedIn's %s answer is for %s, not for this hirelink's "
		   "organization %s",
		   what, context ? context : "(none)",
		   *organization_urn ? organization_urn : "(not set)");
	return LI_ERR_PROTOCOL;
}

int li_exported_read(json_t *el, const char *organization_urn,
		     struct li_exported *out, struct li_error *err)
{
	static const char what[] = "exportedCandidates";
	json_t *exporter = NULL, *cand = NULL;
	memset(out, 0, sizeof(*out));
	out->external_job_posting_id = out->integration_context = "";
	struct li_exported_person *e = &out->exporter, *c = &out->candidate;
	e->member = e->seat = e->first_name = e->last_name = e->email = "";
	c->member = c->first_name = c->last_name = c->headline = "";
	c->current_company = c->current_title = c->location = "";
	c->public_profile_url = c->email = "";

	const struct li_field f[] = {
	    LI_STR("integrationContext", true, &out->integration_context),
	    LI_STR("externalJobPostingId", true,
		   &out->external_job_posting_id),
	    LI_INT("exportedAt", false, &out->exported_at),
	    LI_OBJECT("exporter", true, &exporter),
	    LI_OBJECT("candidate", true, &cand),
	};
	int rc = li_unpack(el, what, f, ARRAY_LEN(f), err);
	if (rc == LI_OK)
		rc = context_ours(organization_urn, what,
				  out->integration_context, err);
	const struct li_field ef[] = {
	    LI_STR("member", true, &e->member),
	    LI_STR("seat", false, &e->seat),
	    LI_STR("firstName", false, &e->first_name),
	    LI_STR("lastName", false, &e->last_name),
	    LI_STR("emailAddress", false, &e->email),
	};
	const struct li_field cf[] = {
	    LI_STR("member", true, &c->member),
	    LI_STR("firstName", false, &c->first_name),
	    LI_STR("lastName", false, &c->last_name),
	    LI_STR("headline", false, &c->headline),
	    LI_STR("currentCompanyName", false, &c->current_company),
	    LI_STR("currentJobTitle", false, &c->current_title),
	    LI_STR("location", false, &c->location),
	    LI_STR("publicProfileUrl", false, &c->public_profile_url),
	    LI_STR("emailAddress", false, &c->email),
	};
	if (rc == LI_OK)
		rc = li_unpack(exporter, "exportedCandidates exporter", ef,
			       ARRAY_LEN(ef), err);
	if (rc == LI_OK)
		rc = li_unpack(cand, "exportedCandidates candidate", cf,
			       ARRAY_LEN(cf), err);
	return rc;
}

int li_integration_event_read(json_t *el, const char *organization_urn,
			      const char **type, const char **status,
			      struct li_error *err)
{
	static const char what[] = "atsIntegrations";
	const char *context = NULL;
	*type = *status = "";
	const struct li_field f[] = {
	    LI_STR("integrationContext", true, &context),
	    LI_STR("integrationType", false, type),
	    LI_STR("status", false, status),
	};
	int rc = li_unpack(el, what, f, ARRAY_LEN(f), err);
	return rc == LI_OK ? context_ours(organization_urn, what, context, err)
			   : rc;
}

/* ------------------------------------------------------------ jobs */

int li_job_postings_created_read(json_t *answer, struct li_job_posting *p,
				 size_t n, struct li_error *err)
{
	json_t *el = NULL;
	const struct li_field f[] = {LI_ARRAY("elements", true, &el)};
	int rc = li_unpack(answer, "simpleJobPostings", f, 1, err);
	if (rc == LI_OK && json_array_size(el) != n) {
		li_err_set(err, LI_ERR_PROTOCOL, 0, "",
			   "LinkedIn's simpleJobPostings answer had an "
			   "unexpected shape: %zu elements for %zu postings",
			   json_array_size(el), n);
		return LI_ERR_PROTOCOL;
	}
	for (size_t i = 0; rc == LI_OK && i < n; i++) {
		int64_t status = 0;
		json_t *e = NULL;
		const char *id = NULL;
		const struct li_field g[] = {
		    LI_INT("status", true, &status),
		    LI_STR("id", false, &id),
		    LI_OBJECT("error", false, &e),
		};
		struct li_outcome *o = &p[i].outcome;
		*o = (struct li_outcome){.message = ""};
		p[i].task_id = NULL;
		rc = li_unpack(json_array_get(el, i), "simpleJobPostings", g,
			       ARRAY_LEN(g), err);
		if (rc != LI_OK)
			break;
		o->status = (long)status;
		if (status >= 200 && status < 300 && id) {
			p[i].task_id = id;
			continue;
		}
		o->failed = true;
		const struct li_field h[] = {
		    LI_STR("message", false, &o->message)};
		int64_t code = 0;
		const struct li_field k[] = {
		    LI_INT("serviceErrorCode", false, &code)};
		if (e) {
			rc = li_unpack(e, "simpleJobPostings", h, 1, err);
			if (rc == LI_OK)
				rc = li_unpack(e, "simpleJobPostings", k, 1,
					       err);
			o->service_code = (long)code;
		}
		if (!*o->message)
			o->message = "LinkedIn refused the job posting";
	}
	return rc;
}
