/*
 * job_sync.c - the worker's senders for jobs and for the integration
 * (outbox kinds "job" and "integration", worker.c's table): what LinkedIn
 * gets of hirelink's state, read when it is sent, and what hirelink keeps
 * of what LinkedIn accepted.  The calls themselves are jobs.c's.
 *
 * A job (li_send_jobs, up to 100 a batch):
 *   - a draft is never sent (a job set back to draft after it was synced
 *     is closed at LinkedIn); a job that is gone, nothing;
 *   - state LISTED while it is active and has a Prospect stage (where
 *     exports land), else CLOSED; every field, every time: title,
 *     description, location in LinkedIn's form (li_location_map), listedAt,
 *     availability, companyApplyUrl (its /careers page);
 *   - a job LinkedIn cannot take (its location, no description) fails
 *     without a call, with the job page's message; a listed PUBLIC job
 *     turned private is closed first, as LinkedIn asks;
 *   - its ACL after the posting: no members, no ACL (visible to every
 *     Recruiter user, JOB_POSTING_VIEWERS); with members, one ACL per
 *     recruiter or hiring manager on it (the user's own,
 *     <instance>-U-<user id>, assigned to their LinkedIn member when they
 *     connected), or <instance>-NOBODY when it has none such.  What
 *     LinkedIn holds is kept (linkedin_job_acls, linkedin_acl_assignees),
 *     so that a member who left or reconnected as someone else is taken
 *     back out.
 * The integration (li_send_integration): what the admin last asked
 * (integration.linkedin_target) is done at LinkedIn, the states read back;
 * enabling then marks every job for its sync (all jobs, open and closed).
 *
 * Each item's result: DONE; RETRY for what may pass (5xx, 429 with its
 * Retry-After, a timeout, the database); FAILED, dead at once with
 * LinkedIn's message, for a 4xx other than 429 or what LinkedIn cannot
 * take.
 */
#include <stdio.h>
#include <string.h>

#include "ats/jobs.h"
#include "linkedin/li_internal.h"
#include "linkedin/sync.h"
#include "linkedin/worker.h"

/* ------------------------------------------------------------ results */

static void item_set(struct li_outbox_item *it, enum li_item_result r,
		     long retry_after_ms, const char *why)
{
	/* the first failure of an item is its reason */
	if (it->result != LI_ITEM_DONE && it->error[0] &&
	    it->result != LI_ITEM_RETRY)
		return;
	it->result = r;
	it->retry_after_ms = retry_after_ms;
	snprintf(it->error, sizeof(it->error), "%s", why ? why : "");
}

/* A failure LinkedIn answered with status (0: none, a transport one). */
static bool permanent(long status)
{
	return status >= 400 && status < 500 && status != 429;
}

/* The whole call failed with err: each item by its kind. */
static void item_call_failed(struct li_outbox_item *it,
			     const struct li_error *err)
{
	bool dead = err->kind == LI_ERR_HTTP && permanent(err->status);
	item_set(it, dead ? LI_ITEM_FAILED : LI_ITEM_RETRY, err->retry_after_ms,
		 li_error_text(err));
}

/* One entity of a batch failed with o. */
static void item_outcome_failed(struct li_outbox_item *it,
				const struct li_outcome *o, const char *what)
{
	char why[300];
	snprintf(why, sizeof(why), "LinkedIn refused %s (%ld): %s", what,
		 o->status, *o->message ? o->message : "no reason given");
	item_set(it, permanent(o->status) ? LI_ITEM_FAILED : LI_ITEM_RETRY, 0,
		 why);
}

static void db_failed(struct li_outbox_item *it, struct db *db)
{
	char why[300];
	snprintf(why, sizeof(why), "the database failed: %s", db_error(db));
	item_set(it, LI_ITEM_RETRY, 0, why);
}

/* ------------------------------------------------------------ jobs */

/* A job of the batch: what hirelink has, what LinkedIn holds, what is
 * sent. */
struct sync_job {
	struct li_outbox_item *item;
	int64_t id;
	bool send;	  /* a posting goes out */
	bool close_first; /* PUBLIC and listed, to go private */
	bool synced;	  /* LinkedIn has it (linkedin_job_postings) */
	const char *was_availability;
	int64_t member_count;
	struct li_job_posting p;
	bool posted; /* LinkedIn accepted the posting */
};

#define JOB_ROW                                                                \
	"SELECT j.id, j.title, j.location, j.description, j.status, "          \
	"j.availability, CAST(UNIX_TIMESTAMP(COALESCE(j.listed_at, "           \
	"j.created_at)) * 1000 AS SIGNED), j.member_count, EXISTS(SELECT 1 "   \
	"FROM job_stages s WHERE s.job_id = j.id AND s.kind = 'prospect'), "   \
	"lp.state, lp.availability FROM jobs j LEFT JOIN "                     \
	"linkedin_job_postings lp ON lp.job_id = j.id WHERE j.id = ?"

/* Reads the item's job and decides what goes out.  DB status; the item's
 * result is set when nothing will (DONE, or FAILED for what LinkedIn
 * cannot take). */
static int job_load(struct li_worker *w, const struct li_settings *s,
		    const char *instance, struct sync_job *j)
{
	struct arena *a = w->arena;
	struct db_row r;
	const char *why;
	int rc = db_query_row(w->db, a, &r, JOB_ROW, "i", j->id);
	if (rc == DB_NOT_FOUND || (rc == DB_OK && j->item->tombstone)) {
		/* jobs are never deleted; a tombstone has nothing to send */
		item_set(j->item, LI_ITEM_DONE, 0, "");
		return DB_OK;
	}
	if (rc != DB_OK)
		return rc;
	const char *status = r.v[4];
	j->synced = r.v[9] != NULL;
	j->was_availability = r.v[10];
	j->member_count = db_int(&r, 7);
	/* A draft is nobody's business outside hirelink, unless LinkedIn
	 * already had the job: then it is closed there. */
	if (!strcmp(status, "draft") && !j->synced) {
		item_set(j->item, LI_ITEM_DONE, 0, "");
		return DB_OK;
	}
	struct li_job_posting *p = &j->p;
	p->external_id = li_job_posting_id(a, instance, j->id);
	p->title = r.v[1];
	p->description = r.v[3];
	p->availability =
	    !strcmp(r.v[5], "public") ? "PUBLIC" : "PRIVATE_TO_ATS_INTEGRATION";
	p->state =
	    !strcmp(status, "active") && db_int(&r, 8) ? "LISTED" : "CLOSED";
	p->apply_url = arena_printf(a, "%s/careers/%s", w->cfg->public_base_url,
				    ats_job_public_id(a, j->id));
	p->listed_at_ms = db_int(&r, 6);
	if (!p->external_id || !p->apply_url)
		return DB_ERROR;
	if (!li_location_map(a, r.v[2], &p->location, &why)) {
		item_set(j->item, LI_ITEM_FAILED, 0, why);
		return DB_OK;
	}
	if (!*p->description) {
		item_set(j->item, LI_ITEM_FAILED, 0,
			 "LinkedIn needs a description of the job");
		return DB_OK;
	}
	j->send = true;
	/* LinkedIn: "to update the availability from PUBLIC to
	 * PRIVATE_TO_ATS_INTEGRATION, close the existing job and re-open it
	 * with the desired availability" */
	j->close_first =
	    j->synced && !strcmp(r.v[9], "LISTED") &&
	    !strcmp(j->was_availability, "PUBLIC") &&
	    !strcmp(p->availability, "PRIVATE_TO_ATS_INTEGRATION") &&
	    !strcmp(p->state, "LISTED");
	return DB_OK;
}

/* Sends the postings of jobs v[0..n) with want (close_first: the closing
 * copies), marking failures on their items. */
static void post(struct li_worker *w, const struct li_settings *s,
		 struct sync_job *v, size_t n, bool closing)
{
	struct li_job_posting *p = arena_calloc(w->arena, n, sizeof(*p));
	size_t *idx = arena_calloc(w->arena, n, sizeof(*idx));
	struct li_error err = {0};
	size_t m = 0;
	if (!p || !idx) {
		for (size_t i = 0; i < n; i++)
			if (v[i].send)
				item_set(v[i].item, LI_ITEM_RETRY, 0,
					 "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!v[i].send || v[i].item->result == LI_ITEM_FAILED ||
		    (closing && !v[i].close_first))
			continue;
		p[m] = v[i].p;
		if (closing) {
			p[m].state = "CLOSED";
			p[m].availability = "PUBLIC";
		}
		idx[m++] = i;
	}
	if (!m)
		return;
	int rc = li_job_postings_send(w->li, w->db, w->arena, s, p, m, &err);
	for (size_t k = 0; k < m; k++) {
		struct sync_job *j = &v[idx[k]];
		if (rc != LI_OK) {
			item_call_failed(j->item, &err);
			j->send = false;
		} else if (p[k].outcome.failed) {
			item_outcome_failed(j->item, &p[k].outcome,
					    closing ? "closing the job posting "
						      "(to make it private)"
						    : "the job posting");
			j->send = false;
		} else if (!closing) {
			j->posted = true;
			j->p.task_id = p[k].task_id;
		}
	}
}

/* Records what LinkedIn accepted of job j. */
static int posting_record(struct li_worker *w, const struct sync_job *j)
{
	return db_exec(w->db, NULL,
		       "INSERT INTO linkedin_job_postings (job_id, state, "
		       "availability, task_id, synced_at) VALUES (?, ?, ?, "
		       "LEFT(?, 200), NOW(3)) ON DUPLICATE KEY UPDATE state = "
		       "VALUES(state), availability = VALUES(availability), "
		       "task_id = VALUES(task_id), synced_at = NOW(3)",
		       "isss", j->id, j->p.state, j->p.availability,
		       j->p.task_id ? j->p.task_id : "");
}

/* ------------------------------------------------------------ ACLs */

/* One change of a job ACL or an assignee, to send and then record. */
struct acl_op {
	bool assignee;		 /* atsEntityAclAssignees, else atsEntityAcls */
	bool put;		 /* else delete */
	int64_t job_id, user_id; /* user 0: the NOBODY ACL */
	struct sync_job *job;	 /* whose item answers for it */
	struct li_acl acl;
};

struct acl_plan {
	struct acl_op *v;
	size_t n, cap;
};

static struct acl_op *plan_add(struct li_worker *w, struct acl_plan *pl)
{
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? 2 * pl->cap : 64;
		struct acl_op *v = arena_calloc(w->arena, cap, sizeof(*v));
		if (!v)
			return NULL;
		if (pl->n)
			memcpy(v, pl->v, pl->n * sizeof(*v));
		pl->v = v;
		pl->cap = cap;
	}
	struct acl_op *op = &pl->v[pl->n++];
	memset(op, 0, sizeof(*op));
	return op;
}

static const char *acl_id(struct arena *a, const char *instance,
			  int64_t user_id)
{
	return user_id
		   ? arena_printf(a, "%s-U-%lld", instance, (long long)user_id)
		   : arena_printf(a, "%s-NOBODY", instance);
}

/* Whether the plan already has the assignee change of user. */
static bool planned_assignee(const struct acl_plan *pl, int64_t user_id,
			     const char *urn, bool put)
{
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].assignee && pl->v[i].user_id == user_id &&
		    pl->v[i].put == put && !strcmp(pl->v[i].acl.target, urn))
			return true;
	return false;
}

/* What job j's ACL must become, against what LinkedIn holds, as changes
 * in pl.  DB status. */
static int acl_plan_job(struct li_worker *w, const char *instance,
			struct sync_job *j, struct acl_plan *pl)
{
	struct arena *a = w->arena;
	struct db_result want, have;
	int rc = db_query(
	    w->db, a, &want,
	    "SELECT jm.user_id, lc.member_urn FROM job_members jm JOIN users "
	    "u ON u.id = jm.user_id LEFT JOIN linkedin_connections lc ON "
	    "lc.user_id = jm.user_id WHERE jm.job_id = ? AND jm.role IN "
	    "('recruiter', 'hiring_manager') AND u.active = 1 ORDER BY "
	    "jm.user_id",
	    "i", j->id);
	if (rc == DB_OK)
		rc = db_query(w->db, a, &have,
			      "SELECT user_id FROM linkedin_job_acls WHERE "
			      "job_id = ?",
			      "i", j->id);
	if (rc != DB_OK)
		return rc;
	/* the ACLs the job must be in: none without members (visible to
	 * all), else its recruiters' and hiring managers', or NOBODY */
	size_t nw = j->member_count ? (want.nrows ? want.nrows : 1) : 0;
	int64_t *users = arena_calloc(a, nw ? nw : 1, sizeof(*users));
	if (!users)
		return DB_ERROR;
	for (size_t i = 0; i < nw; i++)
		users[i] = want.nrows ? db_int(&want.rows[i], 0) : 0;

	for (size_t i = 0; i < nw; i++) {
		bool held = false;
		for (size_t k = 0; k < have.nrows && !held; k++)
			held = db_int(&have.rows[k], 0) == users[i];
		if (held)
			continue;
		struct acl_op *op = plan_add(w, pl);
		if (!op)
			return DB_ERROR;
		*op = (struct acl_op){
		    false,
		    true,
		    j->id,
		    users[i],
		    j,
		    {acl_id(a, instance, users[i]), j->p.external_id, {0}}};
	}
	for (size_t k = 0; k < have.nrows; k++) {
		int64_t u = db_int(&have.rows[k], 0);
		bool wanted = false;
		for (size_t i = 0; i < nw && !wanted; i++)
			wanted = users[i] == u;
		if (wanted)
			continue;
		struct acl_op *op = plan_add(w, pl);
		if (!op)
			return DB_ERROR;
		*op = (struct acl_op){
		    false, false,
		    j->id, u,
		    j,	   {acl_id(a, instance, u), j->p.external_id, {0}}};
	}

	/* each member's own ACL assigned to their LinkedIn member, and to
	 * nobody else */
	for (size_t i = 0; i < want.nrows && j->member_count; i++) {
		int64_t u = users[i];
		const char *urn = want.rows[i].v[1];
		struct db_result as;
		rc = db_query(w->db, a, &as,
			      "SELECT member_urn FROM linkedin_acl_assignees "
			      "WHERE user_id = ?",
			      "i", u);
		if (rc != DB_OK)
			return rc;
		bool held = false;
		for (size_t k = 0; k < as.nrows; k++) {
			if (urn && !strcmp(as.rows[k].v[0], urn)) {
				held = true;
				continue;
			}
			if (planned_assignee(pl, u, as.rows[k].v[0], false))
				continue;
			struct acl_op *op = plan_add(w, pl);
			if (!op)
				return DB_ERROR;
			*op = (struct acl_op){
			    true,
			    false,
			    j->id,
			    u,
			    j,
			    {acl_id(a, instance, u), as.rows[k].v[0], {0}}};
		}
		if (urn && !held && !planned_assignee(pl, u, urn, true)) {
			struct acl_op *op = plan_add(w, pl);
			if (!op)
				return DB_ERROR;
			*op = (struct acl_op){
			    true, true, j->id,
			    u,	  j,	{acl_id(a, instance, u), urn, {0}}};
		}
	}
	return DB_OK;
}

/* Records an ACL change LinkedIn accepted. */
static int acl_record(struct li_worker *w, const struct acl_op *op)
{
	if (op->assignee)
		return op->put ? db_exec(w->db, NULL,
					 "INSERT IGNORE INTO "
					 "linkedin_acl_assignees (user_id, "
					 "member_urn) VALUES (?, ?)",
					 "is", op->user_id, op->acl.target)
			       : db_exec(w->db, NULL,
					 "DELETE FROM linkedin_acl_assignees "
					 "WHERE user_id = ? AND member_urn = ?",
					 "is", op->user_id, op->acl.target);
	return op->put ? db_exec(w->db, NULL,
				 "INSERT IGNORE INTO linkedin_job_acls "
				 "(job_id, user_id) VALUES (?, ?)",
				 "ii", op->job_id, op->user_id)
		       : db_exec(w->db, NULL,
				 "DELETE FROM linkedin_job_acls WHERE job_id = "
				 "? AND user_id = ?",
				 "ii", op->job_id, op->user_id);
}

/* Sends the plan's changes of one kind (assignee, put), at most
 * LI_BATCH_MAX a call, recording each accepted one. */
static void acl_send(struct li_worker *w, const struct li_settings *s,
		     struct acl_plan *pl, bool assignee, bool put)
{
	struct li_acl *batch =
	    arena_calloc(w->arena, LI_BATCH_MAX, sizeof(*batch));
	struct acl_op **ops =
	    arena_calloc(w->arena, LI_BATCH_MAX, sizeof(*ops));
	size_t i = 0;
	if (!batch || !ops)
		return;
	while (i < pl->n) {
		size_t m = 0;
		for (; i < pl->n && m < LI_BATCH_MAX; i++) {
			struct acl_op *op = &pl->v[i];
			if (op->assignee != assignee || op->put != put ||
			    op->job->item->result == LI_ITEM_FAILED)
				continue;
			batch[m] = op->acl;
			ops[m++] = op;
		}
		if (!m)
			continue;
		struct li_error err = {0};
		int rc = li_acls_write(w->li, w->db, w->arena, s, assignee, put,
				       batch, m, &err);
		for (size_t k = 0; k < m; k++) {
			struct sync_job *j = ops[k]->job;
			if (rc != LI_OK)
				item_call_failed(j->item, &err);
			else if (batch[k].outcome.failed)
				item_outcome_failed(j->item, &batch[k].outcome,
						    assignee
							? "a job ACL's assignee"
							: "the job's ACL");
			else if (acl_record(w, ops[k]) != DB_OK)
				db_failed(j->item, w->db);
		}
	}
}

/* ------------------------------------------------------------ sender */

void li_send_jobs(struct li_worker *w, struct li_outbox_item *items, size_t n)
{
	struct li_settings s;
	const char *instance;
	struct sync_job *v;

	for (size_t i = 0; i < n; i++)
		item_set(&items[i], LI_ITEM_DONE, 0, "");
	int rc = li_settings_load(w->db, w->arena, w->cfg, &s);
	if (rc == DB_OK &&
	    (!w->li || !li_settings_ready(&s) || !*s.organization_urn))
		/* Nowhere to send them: enabling the integration marks every
		 * job again. */
		return;
	if (rc == DB_OK)
		rc = li_instance_id(w->db, w->arena, &instance);
	v = rc == DB_OK ? arena_calloc(w->arena, n, sizeof(*v)) : NULL;
	if (!v) {
		for (size_t i = 0; i < n; i++)
			db_failed(&items[i], w->db);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		v[i].item = &items[i];
		v[i].id = (int64_t)items[i].entity_id;
		if (job_load(w, &s, instance, &v[i]) != DB_OK)
			db_failed(&items[i], w->db);
	}
	/* Public jobs going private are closed first; then every posting in
	 * one batch. */
	post(w, &s, v, n, true);
	post(w, &s, v, n, false);
	struct acl_plan pl = {0};
	for (size_t i = 0; i < n; i++) {
		if (!v[i].posted)
			continue;
		if (posting_record(w, &v[i]) != DB_OK ||
		    acl_plan_job(w, instance, &v[i], &pl) != DB_OK)
			db_failed(v[i].item, w->db);
	}
	/* ACLs before their assignees go; assignees before ACLs come, so
	 * nobody sees a job for a moment they should not. */
	acl_send(w, &s, &pl, false, false);
	acl_send(w, &s, &pl, true, false);
	acl_send(w, &s, &pl, true, true);
	acl_send(w, &s, &pl, false, true);
}

/* ------------------------------------------------------------ integration */

void li_send_integration(struct li_worker *w, struct li_outbox_item *items,
			 size_t n)
{
	struct li_settings s;
	struct li_error err = {0};
	struct db_row r;

	for (size_t i = 0; i < n; i++)
		item_set(&items[i], LI_ITEM_DONE, 0, "");
	/* One integration row: the first item does it, for all. */
	int rc = li_settings_load(w->db, w->arena, w->cfg, &s);
	if (rc == DB_OK)
		rc = db_query_row(w->db, w->arena, &r,
				  "SELECT linkedin_target FROM integration "
				  "WHERE id = 1",
				  "");
	if (rc == DB_NOT_FOUND || (rc == DB_OK && !r.v[0]))
		return; /* nothing asked */
	if (rc != DB_OK) {
		for (size_t i = 0; i < n; i++)
			db_failed(&items[i], w->db);
		return;
	}
	bool enable = !strcmp(r.v[0], "enabled");
	if (!w->li) {
		li_err_set(&err, LI_ERR_CONFIG, 0, "",
			   "LinkedIn is not set up on this host");
		rc = LI_ERR_CONFIG;
	} else
		rc = li_integrations_set(w->li, w->db, w->arena, &s, enable,
					 &err);
	if (rc == LI_OK)
		rc = li_integrations_refresh(w->li, w->db, &err);
	if (rc == LI_OK)
		li_record_success(w->db);
	else
		li_record_error(w->db, li_error_text(&err));
	/* Set up wrongly is for the admin to mend, not to retry. */
	bool dead =
	    rc == LI_ERR_CONFIG || (rc == LI_ERR_HTTP && permanent(err.status));
	for (size_t i = 0; i < n && rc != LI_OK; i++)
		item_set(&items[i], dead ? LI_ITEM_FAILED : LI_ITEM_RETRY,
			 err.retry_after_ms, li_error_text(&err));
	if (rc != LI_OK || !enable)
		return;
	/* Enabled: every job, open and closed, goes to LinkedIn; the first
	 * time, with the candidates past Prospect (sync_backfill.c). */
	int64_t marked = 0;
	if (ats_jobs_mark_all(w->db, &marked) != DB_OK ||
	    li_backfill_start_first(w->db) != DB_OK) {
		for (size_t i = 0; i < n; i++)
			db_failed(&items[i], w->db);
		return;
	}
	log_info("linkedin: integrations enabled; %lld jobs to sync",
		 (long long)marked);
}
