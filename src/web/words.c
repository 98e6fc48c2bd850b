/*
 * words.c - the codes of the code and the database, in the words people
 * read: a form field's label ("stage_id" -> "Stage"), an audit action as a
 * sentence ("stage.delete" -> "deleted the stage “Screen”"), an
 * application event's kind ("withdrawn" -> "Withdrawn"), a rejection
 * reason ("position_filled" -> "Position filled").
 *
 * One table per kind of code, here and nowhere else: a page never shows a
 * field key or an audit code (issue 18; tests/integration/test_words.c
 * walks the demo's pages as each role and looks for them).  A code missing
 * from a table is still said in words (underscores and dots made spaces,
 * "_id" dropped, the first letter a capital), never shown raw.
 */
#include <stdio.h>
#include <string.h>

#include "ats/applications.h"
#include "ats/candidates.h"
#include "web/web.h"

/* Form fields whose label is not the key in words.  The candidate's
 * fields have their labels in ats_candidate_fields. */
static const struct ats_word field_labels[] = {
    {"stage_id", "Stage"},
    {"job_id", "Job"},
    {"candidate_id", "Candidate"},
    {"application_id", "Application"},
    {"user_id", "Person"},
    {"user", "Person"},
    {"member", "Member"},
    {"pool", "Talent pool"},
    {"q", "Search"},
    {"job_q", "Find a job"},
    {"page", "Page"},
    {"tab", "Tab"},
    {"csrf", "Form"},
    {"file", "File"},
    {"body", "Note"},
    {"public", "Public"},
    {"version", "Version"},
    {"reason", "Reason"},
    {"note", "Note"},
    {"rating", "Rating"},
    {"recommendation", "Recommendation"},
    {"seat", "LinkedIn seat"},
    {"role", "Role"},
    {"kind", "Kind"},
    {"direction", "Direction"},
    {"position", "Position"},
    {"current_password", "Current password"},
    {"new_password", "New password"},
    {"confirm_password", "Confirm password"},
    {"confirm", "Confirmation"},
    {"client_id", "Client ID"},
    {"client_secret", "Client secret"},
    {"organization_urn", "Organization URN"},
    {"contract_urn", "Contract URN"},
    {"ats_instance_name", "ATS instance name"},
    {"enabled", "Enabled"},
    {"availability", "Availability"},
    {"ids", "Rows chosen"},
    {"to_stage_id", "Stage to move to"},
    {"job_ref", "Job"},
    {"interviewer_id", "Interviewers"},
    {"event_id", "Change to undo"},
    {"criteria", "Interview criteria"},
    {NULL, NULL},
};

/* code in words, arena-owned: "_id" at the end dropped, '_' and '.'
 * made spaces, the first letter a capital. */
static const char *humanize(struct arena *a, const char *code)
{
	size_t n = strlen(code);
	if (n > 3 && !strcmp(code + n - 3, "_id"))
		n -= 3;
	char *s = arena_alloc(a, n + 1);
	if (!s)
		return "";
	for (size_t i = 0; i < n; i++)
		s[i] = code[i] == '_' || code[i] == '.' ? ' ' : code[i];
	s[n] = 0;
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] = (char)(s[0] - 32);
	return s;
}

const char *web_field_label(struct arena *a, const char *field)
{
	if (!field || !*field)
		return "";
	const char *l = ats_word_label(field_labels, field);
	if (l)
		return l;
	for (const struct candidate_field *f = ats_candidate_fields; f->name;
	     f++)
		if (!strcmp(f->name, field))
			return f->label;
	return humanize(a, field);
}

/* The kinds of application_events (applications.c) as a history reads
 * them. */
static const struct ats_word event_kinds[] = {
    {"created", "Added"},      {"moved", "Moved"},
    {"rejected", "Rejected"},  {"hired", "Hired"},
    {"withdrawn", "Withdrawn"}, {"reopened", "Reopened"},
    {"feedback_requested", "Feedback requested"},
    {NULL, NULL},
};

const char *web_event_label(struct arena *a, const char *kind)
{
	const char *l = ats_word_label(event_kinds, kind ? kind : "");
	return l ? l : humanize(a, kind ? kind : "");
}

const char *web_reason_label(struct arena *a, const char *reason)
{
	if (!reason || !*reason)
		return "";
	const char *l = ats_word_label(ats_rejection_reasons, reason);
	return l ? l : humanize(a, reason);
}

/*
 * An application event's detail as stored ("position_filled: went
 * elsewhere" for a rejection, a source for "created") with a leading
 * rejection-reason code put in words.
 */
const char *web_event_detail(struct arena *a, const char *detail)
{
	if (!detail || !*detail)
		return "";
	for (const struct ats_word *w = ats_rejection_reasons; w->value; w++) {
		size_t n = strlen(w->value);
		if (!strncmp(detail, w->value, n) &&
		    (!detail[n] || detail[n] == ':'))
			return arena_printf(a, "%s%s", w->label, detail + n);
	}
	return detail;
}

/* The words of the job roles and stage kinds that job history details
 * name. */
static const char *job_word(struct arena *a, const char *code)
{
	const char *l = ats_word_label(ats_member_roles, code);
	if (!l)
		l = ats_word_label(ats_stage_kinds, code);
	if (!l)
		l = ats_word_label(ats_job_statuses, code);
	return l ? l : humanize(a, code);
}

/*
 * An audit row (action, detail as ats wrote it: stages.c, job_members.c,
 * jobs.c...) as a sentence after the actor's name.  who is the member's
 * name when the detail names a user ("" when unknown).
 */
const char *web_audit_sentence(struct arena *a, const char *action,
			       const char *detail, const char *who)
{
	char w1[101], w2[101];
	long long id;
	int pos = 0;
	const char *d = detail ? detail : "";
	const char *member = who && *who ? who : "someone";

	if (!action)
		action = "";
	if (!strcmp(action, "job.create"))
		return "created the job";
	if (!strcmp(action, "job.update"))
		return *d ? arena_printf(a, "edited the job (%s)", d)
			  : "edited the job";
	if (!strcmp(action, "job.activate"))
		return "opened the job";
	if (!strcmp(action, "job.close"))
		return "closed the job";
	if (!strcmp(action, "job.draft"))
		return "made the job a draft again";
	if (!strcmp(action, "job.member_add")) {
		if (sscanf(d, "user %lld %100s", &id, w1) == 2)
			return arena_printf(a, "added %s as %s", member,
					    job_word(a, w1));
		return "added a member";
	}
	if (!strcmp(action, "job.member_role")) {
		if (sscanf(d, "user %lld %100[^-]->%100s", &id, w1, w2) == 3)
			return arena_printf(a, "made %s %s (was %s)", member,
					    job_word(a, w2), job_word(a, w1));
		return "changed a member's role";
	}
	if (!strcmp(action, "job.member_remove"))
		return arena_printf(a, "removed %s from the job", member);
	if (!strcmp(action, "stage.add")) {
		if (sscanf(d, "stage %lld %100s %n", &id, w1, &pos) >= 2 &&
		    pos > 0) {
			const char *name = d + pos;
			if (*name == ':')
				name++;
			while (*name == ' ')
				name++;
			size_t n = strlen(w1);
			if (n && w1[n - 1] == ':')
				w1[n - 1] = 0;
			return arena_printf(a, "added the stage “%s” (%s)",
					    name, job_word(a, w1));
		}
		return "added a stage";
	}
	if (!strcmp(action, "stage.rename")) {
		const char *colon = strchr(d, ':');
		const char *arrow = strstr(d, " -> ");
		if (colon && arrow && arrow > colon)
			return arena_printf(a, "renamed the stage “%.*s” to “%s”",
					    (int)(arrow - colon - 2), colon + 2,
					    arrow + 4);
		return "renamed a stage";
	}
	if (!strcmp(action, "stage.move")) {
		int from, to;
		if (sscanf(d, "stage %lld: %d -> %d", &id, &from, &to) == 3)
			return arena_printf(a,
					    "moved a stage from position %d "
					    "to %d",
					    from, to);
		return "moved a stage";
	}
	if (!strcmp(action, "stage.delete")) {
		const char *colon = strchr(d, ':');
		if (colon && colon[1] == ' ')
			return arena_printf(a, "deleted the stage “%s”",
					    colon + 2);
		return "deleted a stage";
	}
	/* anything else: its words, and the detail as written */
	const char *words = humanize(a, action);
	char *lower = arena_strdup(a, words);
	if (lower && lower[0] >= 'A' && lower[0] <= 'Z')
		lower[0] = (char)(lower[0] + 32);
	return *d ? arena_printf(a, "%s: %s", lower ? lower : words, d)
		  : (lower ? lower : words);
}

/* A candidate event (candidate_events) as a sentence after its author. */
const char *web_candidate_event_sentence(struct arena *a, const char *kind,
					 const char *detail)
{
	const char *d = detail ? detail : "";
	if (!strcmp(kind, "attachment_added"))
		return arena_printf(a, "added the file %s", d);
	if (!strcmp(kind, "attachment_deleted"))
		return arena_printf(a, "deleted the file %s", d);
	const char *words = humanize(a, kind);
	return *d ? arena_printf(a, "%s: %s", words, d) : words;
}
