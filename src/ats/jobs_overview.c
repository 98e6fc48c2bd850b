/*
 * jobs_overview.c - what the jobs list shows of each job beside its own
 * columns (issue 18): the candidates per stage as the job page counts them
 * (active there, and hired there: the Hired stage counts its hires), read
 * from the stage rows' counters (sql/080_perf_stages.sql, sql/170, never a
 * count of applications) and, for an interviewer, narrowed to what they
 * may see (ats_stages_narrow), the recruiters, and the days since the job
 * was first activated.
 *
 * Three statements for a page of at most ATS_OVERVIEW_MAX jobs (and for an
 * interviewer a fourth, ats_stages_seen: their few requests), each with
 * one fixed list of ATS_OVERVIEW_MAX placeholders (unused ones 0), so each
 * is prepared once per connection whatever the page holds.  The list runs
 * them only when it renders a page; a kept page (web/jobs.c) runs none.
 */
#include <string.h>

#include "ats/jobs.h"

#define P5 "?, ?, ?, ?, ?, "
#define IN50 "(" P5 P5 P5 P5 P5 P5 P5 P5 P5 "?, ?, ?, ?, ?)"
#define T50 "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii"
#define A10(x, o)                                                              \
	x[o], x[o + 1], x[o + 2], x[o + 3], x[o + 4], x[o + 5], x[o + 6],      \
	    x[o + 7], x[o + 8], x[o + 9]
#define A50(x) A10(x, 0), A10(x, 10), A10(x, 20), A10(x, 30), A10(x, 40)

_Static_assert(ATS_OVERVIEW_MAX == 50, "IN50 binds 50 ids");

static struct job_overview *of(struct job_overview *out, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (out[i].job_id == id)
			return &out[i];
	return NULL;
}

int ats_jobs_overview(struct db *db, struct arena *a, const struct user *viewer,
		      const struct job *jobs, size_t n,
		      struct job_overview *out)
{
	struct stage_seen *seen = NULL;
	size_t nseen = 0;
	int64_t ids[ATS_OVERVIEW_MAX] = {0};
	struct db_result st, rec, days;
	if (n > ATS_OVERVIEW_MAX)
		n = ATS_OVERVIEW_MAX;
	for (size_t i = 0; i < n; i++) {
		ids[i] = jobs[i].id;
		out[i] = (struct job_overview){.job_id = jobs[i].id,
					       .recruiters = "",
					       .days_open = -1};
	}
	if (!n)
		return DB_OK;
	int rc = db_query(db, a, &st,
			  "SELECT job_id, name, active_count, hired_count, id, "
			  "kind, position FROM job_stages WHERE job_id IN " IN50
			  " ORDER BY job_id, position",
			  T50, A50(ids));
	if (rc == DB_OK)
		rc = ats_stages_seen(db, a, viewer, &seen, &nseen);
	if (rc == DB_OK)
		rc = db_query(db, a, &rec,
			      "SELECT jm.job_id, u.name FROM job_members jm "
			      "JOIN users u ON u.id = jm.user_id WHERE "
			      "jm.role = 'recruiter' AND jm.job_id IN " IN50
			      " ORDER BY jm.job_id, u.name",
			      T50, A50(ids));
	if (rc == DB_OK)
		rc = db_query(db, a, &days,
			      "SELECT id, DATEDIFF(UTC_DATE(), listed_at) FROM "
			      "jobs WHERE listed_at IS NOT NULL AND id IN " IN50,
			      T50, A50(ids));
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		for (size_t r = 0; r < st.nrows; r++)
			k += db_int(&st.rows[r], 0) == out[i].job_id;
		out[i].stages = arena_calloc(a, k ? k : 1,
					     sizeof(*out[i].stages));
		if (!out[i].stages)
			return DB_ERROR;
	}
	/* each job's stages in pipeline order (the rows are), narrowed for
	 * an interviewer, then counted as the job page counts them */
	struct stage *sv = arena_calloc(a, st.nrows ? st.nrows : 1, sizeof(*sv));
	if (!sv)
		return DB_ERROR;
	for (size_t r = 0; r < st.nrows; r++)
		sv[r] = (struct stage){.id = db_int(&st.rows[r], 4),
				       .name = st.rows[r].v[1],
				       .kind = st.rows[r].v[5],
				       .position = (int)db_int(&st.rows[r], 6),
				       .active_count = db_int(&st.rows[r], 2),
				       .hired_count = db_int(&st.rows[r], 3),
				       .total_count = -1};
	for (size_t r = 0, end; r < st.nrows; r = end) {
		int64_t job = db_int(&st.rows[r], 0);
		for (end = r; end < st.nrows && db_int(&st.rows[end], 0) == job;
		     end++)
			;
		ats_stages_narrow(viewer, sv + r, end - r, seen, nseen);
		struct job_overview *o = of(out, n, job);
		for (size_t k = r; o && k < end; k++)
			o->stages[o->nstages++] = (struct job_stage_count){
			    sv[k].name, sv[k].active_count + sv[k].hired_count};
	}
	for (size_t r = 0; r < rec.nrows; r++) {
		struct job_overview *o = of(out, n, db_int(&rec.rows[r], 0));
		if (!o)
			continue;
		o->recruiters = *o->recruiters
				    ? arena_printf(a, "%s, %s", o->recruiters,
						   rec.rows[r].v[1])
				    : rec.rows[r].v[1];
		if (!o->recruiters)
			return DB_ERROR;
	}
	for (size_t r = 0; r < days.nrows; r++) {
		struct job_overview *o = of(out, n, db_int(&days.rows[r], 0));
		if (o)
			o->days_open = db_int(&days.rows[r], 1);
	}
	return DB_OK;
}
