-- The first full sync of In ATS (issue 16): when an organisation enables
-- the integration with data already in hirelink (demo and bench data are
-- written in bulk and never marked), every candidate past Prospect with
-- activity in the last two years is marked for the "candidate" sender,
-- a chunk at a time, by the worker's "in_ats_backfill" row
-- (src/linkedin/sync_backfill.c).  One row (id 1): its state survives
-- restarts, and an admin pauses and resumes it on /admin/linkedin.
--   cursor_id   every candidate with an id up to it has been considered
--   total       the candidates to send, counted at the start
--   marked      those marked so far
--   since       activity after it counts (two years before the start)
--   active_ms   time spent running before resumed_at (for the rate)
CREATE TABLE linkedin_backfill (
	id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	state ENUM('running','paused','done') NOT NULL DEFAULT 'running',
	cursor_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
	total BIGINT NOT NULL DEFAULT 0,
	marked BIGINT NOT NULL DEFAULT 0,
	since DATETIME(3) NOT NULL,
	started_at DATETIME(3) NOT NULL,
	resumed_at DATETIME(3) NOT NULL,
	active_ms BIGINT NOT NULL DEFAULT 0,
	finished_at DATETIME(3) NULL
) ENGINE=InnoDB;
