-- In ATS (issue 16): a job or stage renamed reaches LinkedIn.
--
-- LinkedIn's applications carry the job's name (atsJobPostingName) and
-- their stage entries the stage's name.  A rename marks ONE outbox row
-- ("job_names", entity jobs.id) in the rename's transaction; the worker
-- expands it into the candidates LinkedIn holds applications of in that
-- job, a chunk at a time (src/linkedin/sync_names.c), so a job with 100,000
-- applications never makes one huge transaction.
--
-- A stage entry is sent again when its name changed since it was sent:
-- linkedin_sync.version of a 'stage' row is now CRC32 of the name sent
-- (sync.c's STAGE_NAME).  The rows sent before get the CRC32 of the name
-- they were sent with (the same expression), so nothing is sent again by
-- this migration alone.
UPDATE linkedin_sync ls
	JOIN application_events e ON e.id = ls.entity_id
	LEFT JOIN job_stages s ON s.id = e.to_stage_id
SET ls.version = CRC32(CASE
		WHEN e.kind = 'rejected' THEN 'Rejected'
		WHEN e.kind = 'withdrawn' THEN 'Withdrawn'
		WHEN COALESCE(s.name, '') <> '' THEN s.name
		WHEN e.kind = 'hired' THEN 'Hired'
		ELSE 'Stage removed' END)
WHERE ls.kind = 'stage';

-- The expansion of a "job_names" row: the candidates up to cursor_id have
-- been marked for the outbox row's generation (a rename during the
-- expansion bumps it, and the expansion starts over).
CREATE TABLE linkedin_names_cursor (
	job_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	generation INT UNSIGNED NOT NULL,
	cursor_id BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB;
