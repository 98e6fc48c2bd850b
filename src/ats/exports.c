/*
 * exports.c - a LinkedIn Recruiter export lands on a job's Prospect stage
 * (F11; inbound.h has the rules).
 *
 * Everything happens in one transaction with the event's result, which
 * starts by locking the event's row and reading its status: an event that
 * has a result already (a worker died after the commit and its row came
 * back after the lease, or two workers raced) is left alone, so an export
 * is applied exactly once.  The job and its Prospect stage are read
 * locked for update, in one statement, so that closing the job or
 * changing its pipeline (which lock it too) waits for the export or comes
 * before it; exports to one job wait for one another, as the stage's
 * counts made them do anyway.
 *
 * LinkedIn has no channel for a refusal: its reason is written on the
 * event for the admin's events page, and nothing else is written.
 */
#include <stdlib.h>
#include <string.h>

#include "ats/applications.h"
#include "ats/candidates.h"
#include "ats/check.h"
#include "ats/inbound.h"
#include "ats/jobs.h"

struct apply_run {
	int64_t event_id;
	const struct ats_export *x;
	struct arena *a; /* the caller's: the result's strings outlive runs */
	struct ats_export_result *out;
	/* what the event records, found as the run goes */
	const char *exporter; /* "First Last <email>" */
	int64_t job_id;
};

/* The result is a refusal for reason (arena-owned or static). */
static int refuse(struct apply_run *r, const char *reason)
{
	r->out->status = "refused";
	r->out->reason = reason ? reason : "refused (out of memory)";
	return DB_OK;
}

/* The exporter's name as the events page shows it. */
static const char *exporter_label(struct arena *a, const struct ats_export *x)
{
	const char *first = x->exporter.first_name, *last = x->exporter.last_name;
	const char *email = x->exporter.email, *member = x->exporter.member;
	const char *name =
	    arena_printf(a, "%s%s%s", first, *first && *last ? " " : "", last);
	if (!name)
		return NULL;
	if (*email)
		name = arena_printf(a, "%s%s<%s>", name, *name ? " " : "",
				    email);
	else if (!*name)
		name = member;
	return name ? ats_line_cut(a, name, 500) : NULL;
}

/* The active hirelink user the exporter is: the user whose Connect link is
 * to the exporter's member, else the user with the exporter's email (both
 * asked in one statement).  DB_NOT_FOUND with *inactive set when the one
 * found is deactivated. */
static int exporter_user(struct db *db, struct arena *a,
			 const struct ats_export *x, struct user *u,
			 bool *inactive)
{
	struct db_result res;
	const struct db_row *by_link = NULL, *by_email = NULL;
	*inactive = false;
	if (!*x->exporter.member && !*x->exporter.email)
		return DB_NOT_FOUND;
	int rc = db_query(db, a, &res,
			  "(SELECT " ATS_USER_COLUMNS
			  ", 1 FROM linkedin_connections lc JOIN users u ON "
			  "u.id = lc.user_id WHERE lc.member_urn = ? AND ? <> "
			  "'' ORDER BY u.active DESC, u.id LIMIT 1) UNION ALL "
			  "(SELECT " ATS_USER_COLUMNS
			  ", 2 FROM users u WHERE u.email = ? AND ? <> '')",
			  "ssss", x->exporter.member, x->exporter.member,
			  x->exporter.email, x->exporter.email);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		if (db_int(&res.rows[i], 6) == 1)
			by_link = &res.rows[i];
		else
			by_email = &res.rows[i];
	}
	if (by_link) {
		ats_user_from_row(u, by_link);
		if (u->active)
			return DB_OK;
		*inactive = true;
	}
	if (!by_email)
		return DB_NOT_FOUND;
	ats_user_from_row(u, by_email);
	*inactive = !u->active;
	return u->active ? DB_OK : DB_NOT_FOUND;
}

/* exporter_user, or what x->memo kept of the same exporter (then kept
 * there in r->a). */
static int exporter_of(struct db *db, struct arena *ta, struct apply_run *r,
		       struct user *u, bool *inactive)
{
	const struct ats_export *x = r->x;
	struct ats_exporter_memo *m = x->memo;
	if (m && m->member && !strcmp(m->member, x->exporter.member) &&
	    !strcmp(m->email, x->exporter.email)) {
		*u = m->user;
		*inactive = m->inactive;
		return m->found;
	}
	int rc = exporter_user(db, ta, x, u, inactive);
	if (!m || (rc != DB_OK && rc != DB_NOT_FOUND))
		return rc;
	struct user k = {.email = "", .name = "", .seat = ""};
	if (rc == DB_OK || *inactive) {
		k = *u;
		k.email = arena_strdup(r->a, u->email ? u->email : "");
		k.name = arena_strdup(r->a, u->name ? u->name : "");
		k.seat = arena_strdup(r->a, u->seat ? u->seat : "");
	}
	const char *member = arena_strdup(r->a, x->exporter.member);
	const char *email = arena_strdup(r->a, x->exporter.email);
	if (member && email && k.email && k.name && k.seat)
		*m = (struct ats_exporter_memo){member, email, rc, *inactive,
						k};
	return rc;
}

/* Whether user u may add candidates to the job (public id pid), whose
 * row gave u's role on it (member_role, NULL when none) and its
 * member_count: *why NULL when so, else why not (arena-owned). */
static void may_add(struct apply_run *r, const struct user *u,
		    const char *member_role, int64_t member_count,
		    const char *pid, const char **why)
{
	*why = NULL;
	switch (u->role) {
	case ROLE_ADMIN:
		return;
	case ROLE_RECRUITER:
		if (ats_job_access_of(u, member_role, member_count) <
		    ACCESS_MANAGE)
			*why = arena_printf(
			    r->a,
			    "%s is a recruiter who is not on job %s, which has "
			    "members: only its members may add candidates to it",
			    u->name, pid);
		return;
	case ROLE_HIRING_MANAGER:
		if (!member_role || !strcmp(member_role, "interviewer"))
			*why = arena_printf(
			    r->a,
			    "%s is a hiring manager who is not the hiring "
			    "manager of job %s: only its hiring managers, its "
			    "recruiters and admins may add candidates to it",
			    u->name, pid);
		return;
	default:
		*why = arena_printf(r->a,
				    "%s is an interviewer in hirelink: only "
				    "admins, recruiters and a job's hiring "
				    "managers may add candidates to a job",
				    u->name);
		return;
	}
}

/* The candidate input of the export, each field made fit for its column. */
static int candidate_input_of(struct arena *a, const struct ats_export *x,
			      struct candidate_input *in)
{
	memset(in, 0, sizeof(*in));
	in->first_name = ats_line_cut(a, x->candidate.first_name,
				      CANDIDATE_NAME_MAX);
	in->last_name =
	    ats_line_cut(a, x->candidate.last_name, CANDIDATE_NAME_MAX);
	in->email = ats_line_cut(a, x->candidate.email, CANDIDATE_EMAIL_MAX);
	in->headline =
	    ats_line_cut(a, x->candidate.headline, CANDIDATE_HEADLINE_MAX);
	in->location =
	    ats_line_cut(a, x->candidate.location, CANDIDATE_LOCATION_MAX);
	in->current_title = ats_line_cut(a, x->candidate.current_title,
					 CANDIDATE_CURRENT_MAX);
	in->current_company = ats_line_cut(a, x->candidate.current_company,
					   CANDIDATE_CURRENT_MAX);
	in->linkedin_url = ats_line_cut(a, x->candidate.profile_url,
					CANDIDATE_URL_MAX);
	in->source = INBOUND_EXPORT_SOURCE;
	in->phone = "";
	in->linkedin_member_id = x->candidate.member_id;
	return in->first_name && in->last_name && in->email && in->headline &&
		       in->location && in->current_title &&
		       in->current_company && in->linkedin_url
		   ? DB_OK
		   : DB_ERROR;
}

/*
 * Creates the exported candidate (no candidate holds its member id or
 * email: find_candidate has just looked).  LinkedIn's profile URL or
 * email may not pass hirelink's checks (a vanity URL of another form, an
 * address it does not take): the candidate is created without that field
 * rather than not at all.  A first name or member id that cannot be kept
 * is a refusal (*why).  It is not marked in the outbox, nor is its
 * application (apply); a new candidate is on no job yet, so its
 * application is never refused as a second one.
 */
static int candidate_create(struct db *db, struct arena *ta,
			    struct apply_run *r, int64_t actor,
			    struct candidate_input *in, int64_t *id,
			    const char **why)
{
	*why = NULL;
	for (int tries = 0; tries < 3; tries++) {
		struct ats_error err = {0};
		int rc = ats_candidate_insert_in(db, ta, actor, in, "", id,
						 &err);
		if (rc != ATS_INVALID)
			return rc;
		if (err.field && !strcmp(err.field, "email") && *in->email)
			in->email = "";
		else if (err.field && !strcmp(err.field, "linkedin_url") &&
			 *in->linkedin_url)
			in->linkedin_url = "";
		else {
			*why = arena_printf(
			    r->a, "the exported profile's %s %s",
			    err.field ? err.field : "data",
			    err.message ? err.message : "is not valid");
			return DB_OK;
		}
	}
	*why = "the exported profile could not be kept";
	return DB_OK;
}

/* The candidate the export is: by member, else by email (then linked to
 * the member), else new.  *why when it cannot be kept.  Both looks are
 * one statement; a candidate that appears between it and the INSERT (an
 * export of the same person committing meanwhile) makes the INSERT fail
 * with DB_DUPLICATE, and the apply runs again (apply_txn). */
static int find_candidate(struct db *db, struct arena *ta, struct apply_run *r,
			  int64_t actor, int64_t *id, const char **why)
{
	const struct ats_export *x = r->x;
	struct candidate_input in;
	struct db_result res;
	const struct db_row *by_member = NULL, *by_email = NULL;

	*why = NULL;
	if (candidate_input_of(ta, x, &in) != DB_OK)
		return DB_ERROR;
	/* (no candidate has '' as member id or email: those are NULL) */
	int rc = db_query(db, ta, &res,
			  "(SELECT id, linkedin_member_id IS NOT NULL, 1 FROM "
			  "candidates WHERE linkedin_member_id = ?) UNION ALL "
			  "(SELECT id, linkedin_member_id IS NOT NULL, 2 FROM "
			  "candidates WHERE email = LOWER(?))",
			  "ss", x->candidate.member_id, in.email);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		if (db_int(&res.rows[i], 2) == 1)
			by_member = &res.rows[i];
		else
			by_email = &res.rows[i];
	}
	if (by_member) {
		*id = db_int(by_member, 0);
		return DB_OK;
	}
	if (by_email) {
		*id = db_int(by_email, 0);
		if (db_int(by_email, 1) || !*x->candidate.member_id)
			return DB_OK;
		rc = ats_candidate_link_member_in(db, actor, *id,
						  x->candidate.member_id, "");
		return rc == DB_NOT_FOUND ? DB_OK : rc;
	}
	rc = candidate_create(db, ta, r, actor, &in, id, why);
	if (rc == DB_OK && !*why)
		r->out->candidate_created = true;
	return rc;
}

/* The rules, then the candidate and the application; the result in
 * r->out.  Errors of the database only: a rule that says no is DB_OK with
 * the refusal. */
static int apply(struct db *db, struct arena *ta, struct apply_run *r)
{
	const struct ats_export *x = r->x;
	struct ats_export_result *out = r->out;
	struct user u;
	struct db_row row;
	bool inactive;
	const char *why;

	int rc = exporter_of(db, ta, r, &u, &inactive);
	if (rc == DB_NOT_FOUND)
		return refuse(
		    r, inactive
			   ? arena_printf(r->a,
					  "%s is deactivated in hirelink",
					  r->exporter)
			   : arena_printf(
				 r->a,
				 "the exporter %s is not a hirelink user: no "
				 "user has connected that LinkedIn member "
				 "(Settings, Connections), and none has the "
				 "email %s",
				 r->exporter,
				 *x->exporter.email ? x->exporter.email
						    : "(none given)"));
	if (rc != DB_OK)
		return rc;
	out->user_id = u.id;

	if (x->job_id <= 0)
		return refuse(r, x->job_refusal
				     ? x->job_refusal
				     : arena_printf(r->a,
						    "the job %s is not one of "
						    "this hirelink's jobs",
						    x->job_posting_id));
	/* the job with the exporter's role on it (who may add candidates,
	 * access.h's rule) and its Prospect stage (the first by position,
	 * as ats_stage_by_kind finds it), both rows locked, in one
	 * statement: the job row first and the stage's then, the lock order
	 * of every application write (ats_application_add_in) */
	rc = db_query_row(
	    db, ta, &row,
	    "SELECT j.status, " ATS_JOB_ACCESS_COLUMNS(
		"j") ", COALESCE(s.id, 0) FROM jobs j LEFT JOIN job_stages s "
		     "ON s.id = (SELECT p.id FROM job_stages p WHERE p.job_id "
		     "= j.id AND p.kind = 'prospect' ORDER BY p.position, p.id "
		     "LIMIT 1) WHERE j.id = ? FOR UPDATE",
	    "ii", u.id, x->job_id);
	const char *pid = ats_job_public_id(r->a, x->job_id);
	if (!pid)
		return DB_ERROR;
	if (rc == DB_NOT_FOUND)
		return refuse(r, arena_printf(r->a, "job %s does not exist",
					      pid));
	if (rc != DB_OK)
		return rc;
	r->job_id = x->job_id;
	const char *status = arena_strdup(ta, row.v[0]);
	int64_t prospect_id = db_int(&row, 3);
	may_add(r, &u, row.v[1], db_int(&row, 2), pid, &why);
	if (why)
		return refuse(r, why);
	if (!status || strcmp(status, "active"))
		return refuse(r, arena_printf(r->a,
					      "job %s is %s, not active: it "
					      "takes no exports",
					      pid,
					      status && !strcmp(status, "draft")
						  ? "a draft"
						  : "closed"));
	if (prospect_id <= 0)
		return refuse(r, arena_printf(r->a,
					      "job %s has no Prospect stage",
					      pid));

	rc = find_candidate(db, ta, r, u.id, &out->candidate_id, &why);
	if (rc != DB_OK)
		return rc;
	if (why)
		return refuse(r, why);
	/* Not marked for In ATS here: a Prospect application changes
	 * nothing of a candidate LinkedIn does not see, and the caller marks
	 * those it sees once this commits (ats_export_apply's contract). */
	rc = ats_application_add_in(db, ta, u.id, out->candidate_id,
				    x->job_id, prospect_id,
				    INBOUND_EXPORT_SOURCE, "", false,
				    &out->application_id);
	if (rc == ATS_CONFLICT)
		return refuse(r, arena_printf(r->a,
					      "the candidate is on job %s "
					      "already (application %lld): no "
					      "second application",
					      pid,
					      (long long)out->application_id));
	if (rc != DB_OK)
		return rc;
	out->status = "applied";
	out->reason = "";
	return DB_OK;
}

/* One export's apply and its result on the event, in the caller's
 * transaction: DB_OK; DB_NOT_FOUND when the event has its result already
 * (what this run wrote is to be undone); DB_DUPLICATE when an export of
 * the same person committed its candidate meanwhile (to be undone and run
 * again: the candidate is there now); else a failure. */
static int apply_one(struct db *db, struct arena *ta, struct apply_run *r)
{
	const struct ats_export *x = r->x;

	*r->out = (struct ats_export_result){.reason = ""};
	r->job_id = 0;
	int rc = apply(db, ta, r);
	if (rc != DB_OK)
		return rc;
	const char *reason = ats_line_cut(ta, r->out->reason,
					  INBOUND_REASON_MAX);
	if (!reason)
		return DB_ERROR;
	/* The result, only on an event still received: one that has its
	 * result already (another worker applied it meanwhile, or before it
	 * died and its row came back) rolls back everything this run wrote,
	 * so an export is applied once only.  Two runs of one event at once
	 * meet on this row's lock: the second waits, then finds it done. */
	uint64_t affected = 0;
	rc = db_exec(
	    db, &affected,
	    "UPDATE inbound_events SET status = ?, reason = ?, exporter = ?, "
	    "exporter_member = ?, exporter_user_id = NULLIF(?, 0), "
	    "external_job_posting_id = ?, job_id = NULLIF(?, 0), "
	    "candidate_id = NULLIF(?, 0), application_id = NULLIF(?, 0) WHERE "
	    "id = ? AND status = 'received'",
	    "ssssisiiii", r->out->status, reason, r->exporter,
	    ats_line_cut(ta, x->exporter.member, 150), r->out->user_id,
	    ats_line_cut(ta, x->job_posting_id, 100), r->job_id,
	    r->out->candidate_id, r->out->application_id, r->event_id);
	if (rc == DB_OK && !affected)
		return DB_NOT_FOUND; /* to be rolled back: it has its result */
	return rc;
}

static int apply_txn(struct db *db, struct arena *ta, void *arg)
{
	int rc = apply_one(db, ta, arg);
	/*
	 * Two exports of one new member at once: the second's INSERT (or
	 * link) waited for the first to commit and then met the unique key.
	 * Run again, as after a deadlock: the candidate is there now.
	 */
	return rc == DB_DUPLICATE ? DB_DEADLOCK : rc;
}

int ats_export_apply(struct db *db, struct arena *a, int64_t event_id,
		     const struct ats_export *x, struct ats_export_result *out)
{
	struct apply_run r = {
	    .event_id = event_id,
	    .x = x,
	    .a = a,
	    .out = out,
	    .exporter = exporter_label(a, x),
	};
	if (!r.exporter)
		return DB_ERROR;
	int rc = db_transaction(db, apply_txn, &r);
	if (rc != DB_OK)
		*out = (struct ats_export_result){.reason = ""};
	/* rolled back because it has its result: left as it is, unless
	 * there is no such event at all */
	if (rc == DB_NOT_FOUND) {
		struct db_row row;
		rc = db_query_row(db, a, &row,
				  "SELECT 1 FROM inbound_events WHERE id = ?",
				  "i", event_id);
	}
	return rc;
}

/* ------------------------------------------------------------ batches */

struct many_run {
	size_t n;
	struct apply_run *runs; /* in the order they are applied */
	int *rcs;		/* of each run */
};

/* The batch's order: by job, so that two batches lock the jobs and
 * their stages in one order and wait for one another rather than
 * deadlock (the stage revisions are bumped once, last: many_txn). */
static int run_order(const void *pa, const void *pb)
{
	const struct apply_run *a = pa, *b = pb;
	if (a->x->job_id != b->x->job_id)
		return a->x->job_id < b->x->job_id ? -1 : 1;
	return a->event_id < b->event_id ? -1 : a->event_id > b->event_id;
}

static int many_txn(struct db *db, struct arena *ta, void *arg)
{
	struct many_run *m = arg;
	bool applied = false;
	for (size_t i = 0; i < m->n; i++) {
		struct apply_run *r = &m->runs[i];
		int rc = DB_DUPLICATE;
		for (int tries = 0; rc == DB_DUPLICATE && tries < 3; tries++) {
			rc = db_savepoint(db, "export");
			if (rc != DB_OK)
				return rc;
			rc = apply_one(db, ta, r);
			if (rc == DB_DEADLOCK || rc == DB_GONE)
				return rc; /* InnoDB ended them all */
			if (rc == DB_OK)
				break;
			/* its writes undone, the others' kept */
			const char *why = arena_strdup(r->a, db_error(db));
			int undo = db_rollback_to_savepoint(db, "export");
			if (undo != DB_OK)
				return undo;
			*r->out = (struct ats_export_result){
			    .reason = why ? why : ""};
		}
		m->rcs[i] = rc;
		applied |= rc == DB_OK && !strcmp(r->out->status, "applied");
	}
	/* The stage counts changed: the one bump of the stage revisions
	 * the triggers left to the batch (ats_export_apply_many), locked
	 * only until the commit that follows.  Any row will do; the first
	 * event's id spreads the worker's threads over them. */
	return applied ? ats_stage_revisions_bump(db, m->runs[0].event_id)
		       : DB_OK;
}

int ats_export_apply_many(struct db *db, struct arena *a, size_t n,
			  const int64_t *event_ids,
			  const struct ats_export *xs,
			  struct ats_export_result *outs, int *rcs)
{
	struct many_run m = {.n = n};
	if (n == 0)
		return DB_OK;
	m.runs = arena_calloc(a, n, sizeof(*m.runs));
	m.rcs = arena_calloc(a, n, sizeof(*m.rcs));
	if (!m.runs || !m.rcs)
		return DB_ERROR;
	for (size_t i = 0; i < n; i++) {
		m.runs[i] = (struct apply_run){
		    .event_id = event_ids[i],
		    .x = &xs[i],
		    .a = a,
		    .out = &outs[i],
		    .exporter = exporter_label(a, &xs[i]),
		};
		if (!m.runs[i].exporter)
			return DB_ERROR;
	}
	qsort(m.runs, n, sizeof(*m.runs), run_order);
	/* The stage revisions bumped once for the batch rather than by each
	 * application's trigger (sql/340), and the triggers' own bumps back
	 * for whatever this connection writes next, whatever became of the
	 * batch. */
	int rc = ats_stage_revisions_defer(db, true);
	if (rc == DB_OK)
		rc = db_transaction(db, many_txn, &m);
	int undo = ats_stage_revisions_defer(db, false);
	if (rc == DB_OK)
		rc = undo;
	for (size_t i = 0; i < n; i++) {
		size_t k = (size_t)(m.runs[i].out - outs);
		if (rc != DB_OK)
			outs[k] = (struct ats_export_result){.reason = ""};
		rcs[k] = rc != DB_OK ? rc : m.rcs[i];
	}
	return rc;
}
