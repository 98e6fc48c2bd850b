-- In ATS (issue 16, F12): what LinkedIn Recruiter's "In ATS" panel shows
-- of a candidate, sent by the worker's "candidate" sender
-- (src/linkedin/sync.c) once the candidate has moved past Prospect.

-- LinkedIn's Actor (a note's author, an interviewer) is a first and a last
-- name.  Users had one name: the first word is the first name and the
-- rest the last name ("Ludwig van Beethoven" -> "Ludwig", "van
-- Beethoven"); a one-word name has no last name.  ats_user_create splits a
-- new user's name the same way.
ALTER TABLE users
	ADD COLUMN first_name VARCHAR(200) NOT NULL DEFAULT '' AFTER name,
	ADD COLUMN last_name VARCHAR(200) NOT NULL DEFAULT '' AFTER first_name;
UPDATE users SET
	first_name = SUBSTRING_INDEX(TRIM(name), ' ', 1),
	last_name = TRIM(SUBSTRING(TRIM(name),
		CHAR_LENGTH(SUBSTRING_INDEX(TRIM(name), ' ', 1)) + 2));

-- What LinkedIn holds of each candidate hirelink synced: ids only, never a
-- name, an email or a text, so that deletions (a note made private or
-- deleted, a deleted candidate's tombstone) can be sent after hirelink's
-- own rows are gone, and what never changes (a stage entry, feedback) is
-- sent once.  No foreign keys: a row outlives its entity until LinkedIn
-- has been told.
--   kind       candidate (entity candidates.id), application
--              (applications.id), stage (application_events.id, under
--              parent application), feedback (interview_feedback.id, under
--              parent application), note (notes.id)
--   version    what was sent of a changing entity: a note's updated_at in
--              epoch ms (0 for the others)
CREATE TABLE linkedin_sync (
	candidate_id BIGINT UNSIGNED NOT NULL,
	kind ENUM('candidate','application','stage','feedback','note') NOT NULL,
	entity_id BIGINT UNSIGNED NOT NULL,
	parent_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
	version BIGINT NOT NULL DEFAULT 0,
	sent_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	PRIMARY KEY (candidate_id, kind, entity_id),
	KEY linkedin_sync_kind (kind, sent_at)
) ENGINE=InnoDB;

-- The last failure of each outbox kind (ats_outbox_fail), kept after the
-- row that failed was sent or retried, for the sync health of
-- /admin/linkedin and /metrics.
CREATE TABLE outbox_kind_errors (
	kind VARCHAR(32) NOT NULL PRIMARY KEY,
	last_error VARCHAR(500) NOT NULL,
	entity_id BIGINT UNSIGNED NOT NULL,
	at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
