-- Data protection (issue 16).
--
-- A deleted candidate leaves an anonymised tombstone for job statistics:
-- no name, email, phone or free text, only what a count per job needs
-- (when the candidate came and went, where from; each application's job,
-- the stage it reached, its status and rejection reason key).
-- src/ats/erase.c writes them in the delete's transaction.
CREATE TABLE candidate_tombstones (
	id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	source VARCHAR(100) NOT NULL DEFAULT '',
	created_at DATETIME(3) NOT NULL,
	deleted_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	deleted_by BIGINT UNSIGNED NULL
) ENGINE=InnoDB;

CREATE TABLE application_tombstones (
	id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	candidate_id BIGINT UNSIGNED NOT NULL,
	job_id BIGINT UNSIGNED NOT NULL,
	stage_id BIGINT UNSIGNED NULL,
	stage_kind VARCHAR(32) NOT NULL DEFAULT '',
	status VARCHAR(16) NOT NULL,
	rejection_reason VARCHAR(64) NULL,
	source VARCHAR(100) NOT NULL DEFAULT '',
	created_at DATETIME(3) NOT NULL,
	ended_at DATETIME(3) NOT NULL,
	KEY application_tombstones_job (job_id, status),
	KEY application_tombstones_candidate (candidate_id)
) ENGINE=InnoDB;

-- Closed profiles: LinkedIn members who closed their account, as the
-- closed-profiles check (src/linkedin/closed.c, every
-- linkedin_closed_check_days) last listed them, with the candidate each
-- concerns (NULL: none of ours any more).  erased_at/erased_by: an admin
-- erased the candidate's LinkedIn-derived data.
CREATE TABLE li_closed_profiles (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	member_id VARCHAR(64) NOT NULL,
	ats_candidate_id VARCHAR(100) NULL,
	closed_ms BIGINT NOT NULL DEFAULT 0,
	candidate_id BIGINT UNSIGNED NULL,
	found_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	erased_at DATETIME(3) NULL,
	erased_by BIGINT UNSIGNED NULL,
	UNIQUE KEY li_closed_member (member_id),
	KEY li_closed_candidate (candidate_id),
	CONSTRAINT li_closed_candidate_fk FOREIGN KEY (candidate_id)
		REFERENCES candidates (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row (id = 1): when the check last ran to the end, from which time
-- the next one asks (closedSince), when an admin last asked for one, and
-- the last failure.
CREATE TABLE li_closed_check (
	id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	checked_at DATETIME(3) NULL,
	since_ms BIGINT NOT NULL DEFAULT 0,
	asked_at DATETIME(3) NULL,
	last_error VARCHAR(500) NULL,
	last_error_at DATETIME(3) NULL
) ENGINE=InnoDB;

INSERT INTO li_closed_check (id) VALUES (1);
