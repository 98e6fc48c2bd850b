/*
 * metrics.c - Prometheus counters: requests by route and status, a latency
 * histogram, database errors.  Lock-free: relaxed atomic adds from every
 * thread; /metrics reads a snapshot that is good enough for monitoring.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "web/web.h"

/* Status classes kept per route: the exact code for every one hirelink
 * answers (201 and 204 from the JSON routes, 302 and 304 on the way), so
 * that "other" means a surprise. */
static const int tracked_status[] = {200, 201, 204, 302, 303, 304,
				     400, 401, 403, 404, 405, 409,
				     413, 422, 429, 500, 502, 503};
#define NSTATUS (ARRAY_LEN(tracked_status) + 1) /* + "other" */

/* Upper bounds of the latency buckets, in seconds. */
static const double bucket_le[] = {0.001, 0.0025, 0.005, 0.01, 0.025,
				   0.05,  0.1,    0.25,  0.5,  1,
				   2.5,   5};
#define NBUCKETS (ARRAY_LEN(bucket_le) + 1) /* + "+Inf" */

/* LinkedIn calls: the statuses counted exactly; slot 0 = transport error. */
static const int li_status[] = {0,   200, 201, 204, 400, 401, 403,
				404, 429, 500, 502, 503, 504};
#define LI_NSTATUS (ARRAY_LEN(li_status) + 1) /* + "other" */
#define LI_NPATHS 32

struct metrics {
	size_t nroutes;                 /* + 1 row for "no route" */
	atomic_ulong *requests;         /* [(nroutes + 1) * NSTATUS] */
	atomic_ulong buckets[NBUCKETS];
	atomic_ulong latency_us_sum;
	atomic_ulong count;
	atomic_ulong db_errors;
	/* LinkedIn calls by path label (a handful of static strings,
	 * registered on first use under li_mu) and status. */
	pthread_mutex_t li_mu;
	_Atomic(const char *) li_path[LI_NPATHS];
	atomic_ulong li_requests[LI_NPATHS][LI_NSTATUS];
	atomic_ulong li_latency_us_sum;
	atomic_ulong li_count;
};

struct metrics *metrics_new(size_t nroutes)
{
	struct metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->nroutes = nroutes;
	pthread_mutex_init(&m->li_mu, NULL);
	m->requests = calloc((nroutes + 1) * NSTATUS, sizeof(*m->requests));
	if (!m->requests) {
		free(m);
		return NULL;
	}
	return m;
}

void metrics_free(struct metrics *m)
{
	if (m) {
		free(m->requests);
		pthread_mutex_destroy(&m->li_mu);
		free(m);
	}
}

/* The slot of status among the n tracked: its index, or n ("other"). */
static size_t status_slot(const int *tracked, size_t n, long status)
{
	for (size_t i = 0; i < n; i++)
		if (tracked[i] == status)
			return i;
	return n;
}

void metrics_observe(struct metrics *m, int route, int status,
		     int64_t duration_us)
{
	size_t row = route < 0 || (size_t)route >= m->nroutes ? m->nroutes
							       : (size_t)route;
	size_t slot =
	    status_slot(tracked_status, ARRAY_LEN(tracked_status), status);
	atomic_fetch_add_explicit(&m->requests[row * NSTATUS + slot], 1,
				  memory_order_relaxed);
	double s = (double)duration_us / 1e6;
	size_t b = 0;
	while (b < ARRAY_LEN(bucket_le) && s > bucket_le[b])
		b++;
	atomic_fetch_add_explicit(&m->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->latency_us_sum,
				  duration_us > 0 ? (unsigned long)duration_us : 0,
				  memory_order_relaxed);
	atomic_fetch_add_explicit(&m->count, 1, memory_order_relaxed);
}

void metrics_db_error(struct metrics *m)
{
	atomic_fetch_add_explicit(&m->db_errors, 1, memory_order_relaxed);
}

void metrics_linkedin(void *mp, const char *path, long status,
		      int64_t duration_us)
{
	struct metrics *m = mp;
	size_t p;
	if (!m || !path)
		return;
	for (p = 0; p < LI_NPATHS; p++) {
		const char *have = atomic_load(&m->li_path[p]);
		if (have && !strcmp(have, path))
			break;
		if (!have) {
			pthread_mutex_lock(&m->li_mu);
			for (p = 0; p < LI_NPATHS; p++) {
				have = atomic_load(&m->li_path[p]);
				if (!have)
					atomic_store(&m->li_path[p], path);
				if (!have || !strcmp(have, path))
					break;
			}
			pthread_mutex_unlock(&m->li_mu);
			break;
		}
	}
	if (p == LI_NPATHS)
		return; /* more labels than slots: a bug, not worth a crash */
	size_t s = status_slot(li_status, ARRAY_LEN(li_status), status);
	atomic_fetch_add_explicit(&m->li_requests[p][s], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->li_latency_us_sum,
				  duration_us > 0 ? (unsigned long)duration_us : 0,
				  memory_order_relaxed);
	atomic_fetch_add_explicit(&m->li_count, 1, memory_order_relaxed);
}

/* A counter's lines for one value of its label (key="label"): one for each
 * status seen, counts[i] being the count of tracked[i] and counts[n] that
 * of any other ("other"). */
static void status_lines(struct buf *out, const char *metric, const char *key,
			 const char *label, const atomic_ulong *counts,
			 const int *tracked, size_t n)
{
	for (size_t s = 0; s <= n; s++) {
		unsigned long c =
		    atomic_load_explicit(&counts[s], memory_order_relaxed);
		if (!c)
			continue;
		buf_addf(out, "%s{%s=\"%s\",status=\"", metric, key, label);
		if (s < n)
			buf_addf(out, "%d", tracked[s]);
		else
			buf_adds(out, "other");
		buf_addf(out, "\"} %lu\n", c);
	}
}

static void render_linkedin(const struct metrics *m, struct buf *out)
{
	buf_adds(out, "# HELP hirelink_linkedin_requests_total Calls to LinkedIn "
		      "by path and status (0 = no answer).\n# TYPE "
		      "hirelink_linkedin_requests_total counter\n");
	for (size_t p = 0; p < LI_NPATHS; p++) {
		const char *path = atomic_load(&((struct metrics *)m)->li_path[p]);
		if (!path)
			break;
		status_lines(out, "hirelink_linkedin_requests_total", "path",
			     path, m->li_requests[p], li_status,
			     ARRAY_LEN(li_status));
	}
	buf_addf(out,
		 "# HELP hirelink_linkedin_request_duration_seconds Time spent "
		 "in calls to LinkedIn.\n# TYPE "
		 "hirelink_linkedin_request_duration_seconds summary\n"
		 "hirelink_linkedin_request_duration_seconds_sum %.6f\n"
		 "hirelink_linkedin_request_duration_seconds_count %lu\n",
		 (double)atomic_load_explicit(&m->li_latency_us_sum,
					      memory_order_relaxed) / 1e6,
		 atomic_load_explicit(&m->li_count, memory_order_relaxed));
}

void metrics_render(const struct metrics *m, struct buf *out)
{
	buf_adds(out, "# HELP hirelink_requests_total HTTP requests by route "
		      "and status.\n# TYPE hirelink_requests_total counter\n");
	for (size_t r = 0; r <= m->nroutes; r++) {
		char buf[WEB_ROUTE_LABEL_MAX];
		const char *label =
		    r < m->nroutes ? web_route_label(r, buf) : "none";
		status_lines(out, "hirelink_requests_total", "route", label,
			     &m->requests[r * NSTATUS], tracked_status,
			     ARRAY_LEN(tracked_status));
	}
	buf_adds(out, "# HELP hirelink_request_duration_seconds Time to "
		      "answer a request.\n# TYPE "
		      "hirelink_request_duration_seconds histogram\n");
	unsigned long cum = 0;
	for (size_t b = 0; b < NBUCKETS; b++) {
		cum += atomic_load_explicit(&m->buckets[b], memory_order_relaxed);
		if (b < ARRAY_LEN(bucket_le))
			buf_addf(out,
				 "hirelink_request_duration_seconds_bucket{le=\"%g\"} "
				 "%lu\n",
				 bucket_le[b], cum);
		else
			buf_addf(out,
				 "hirelink_request_duration_seconds_bucket{le=\"+Inf\"} "
				 "%lu\n",
				 cum);
	}
	buf_addf(out, "hirelink_request_duration_seconds_sum %.6f\n",
		 (double)atomic_load_explicit(&m->latency_us_sum,
					      memory_order_relaxed) / 1e6);
	buf_addf(out, "hirelink_request_duration_seconds_count %lu\n",
		 atomic_load_explicit(&m->count, memory_order_relaxed));
	buf_addf(out,
		 "# HELP hirelink_db_errors_total Requests that failed on the "
		 "database.\n# TYPE hirelink_db_errors_total counter\n"
		 "hirelink_db_errors_total %lu\n",
		 atomic_load_explicit(&m->db_errors, memory_order_relaxed));
	render_linkedin(m, out);
}
