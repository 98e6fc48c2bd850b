/*
 * jobs.h - jobs, their members and pipelines, applications.
 */
#ifndef HIRELINK_JOBS_H
#define HIRELINK_JOBS_H

#include "ats/ats.h"

struct job {
	int64_t id;
	const char *public_id;    /* "J-00042" */
	const char *title;
	const char *location;
	const char *status;
	const char *updated_at;
};

struct job_list {
	struct job *v;
	size_t n;
	int64_t total;
};

/* status NULL or "" = all; q matches title prefix/words or a job ID. */
int ats_jobs_list(struct db *db, struct arena *a, const char *status,
		  const char *q, int64_t offset, int64_t limit,
		  struct job_list *out);
int ats_job_create(struct db *db, int64_t user_id, const char *title,
		   const char *location, const char *description,
		   const char *status, int64_t *id, struct ats_error *err);
/* "J-00042" from 42 into the arena */
const char *ats_job_public_id(struct arena *a, int64_t id);

#endif
