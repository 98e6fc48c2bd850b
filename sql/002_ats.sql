-- The ATS itself (F1-F6): job members and pipelines, candidates,
-- applications and their history, notes, interview feedback, attachments,
-- pool members.

CREATE TABLE job_members (
	job_id BIGINT UNSIGNED NOT NULL,
	user_id BIGINT UNSIGNED NOT NULL,
	role ENUM('recruiter','hiring_manager','interviewer') NOT NULL,
	added_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	PRIMARY KEY (job_id, user_id),
	KEY job_members_user (user_id, job_id),
	CONSTRAINT job_members_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE,
	CONSTRAINT job_members_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- A job's pipeline, ordered by position.  kind tells what a stage means
-- (the Prospect stage is the one LinkedIn exports land in); a job may have
-- no prospect stage at all.
CREATE TABLE job_stages (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	job_id BIGINT UNSIGNED NOT NULL,
	name VARCHAR(100) NOT NULL,
	kind ENUM('prospect','screen','interview','offer','hired','other') NOT NULL DEFAULT 'other',
	position INT NOT NULL,
	KEY job_stages_job (job_id, position),
	CONSTRAINT job_stages_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE candidates (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	first_name VARCHAR(200) NOT NULL,
	last_name VARCHAR(200) NOT NULL DEFAULT '',
	email VARCHAR(254) NULL,
	phone VARCHAR(50) NOT NULL DEFAULT '',
	-- digits of phone only, for prefix search ("+49 30 1234" -> "49301234")
	phone_digits VARCHAR(50) NOT NULL DEFAULT '',
	headline VARCHAR(200) NOT NULL DEFAULT '',
	location VARCHAR(200) NOT NULL DEFAULT '',
	linkedin_member_id VARCHAR(64) NULL,
	linkedin_url VARCHAR(500) NOT NULL DEFAULT '',
	source VARCHAR(100) NOT NULL DEFAULT '',
	created_by BIGINT UNSIGNED NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	UNIQUE KEY candidates_email (email),
	UNIQUE KEY candidates_member (linkedin_member_id),
	KEY candidates_last_first (last_name, first_name),
	KEY candidates_first (first_name),
	KEY candidates_phone (phone_digits)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One application per candidate per job.  version grows with every change so
-- that a move made from a stale page is refused (409), not applied blindly.
CREATE TABLE applications (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	job_id BIGINT UNSIGNED NOT NULL,
	candidate_id BIGINT UNSIGNED NOT NULL,
	stage_id BIGINT UNSIGNED NOT NULL,
	status ENUM('active','rejected','withdrawn','hired') NOT NULL DEFAULT 'active',
	rejection_reason VARCHAR(64) NULL,
	rejection_note TEXT NULL,
	version INT UNSIGNED NOT NULL DEFAULT 1,
	created_by BIGINT UNSIGNED NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	UNIQUE KEY applications_job_candidate (job_id, candidate_id),
	KEY applications_job_stage (job_id, stage_id, id),
	KEY applications_candidate (candidate_id),
	CONSTRAINT applications_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id),
	CONSTRAINT applications_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates (id) ON DELETE CASCADE,
	CONSTRAINT applications_stage_fk FOREIGN KEY (stage_id) REFERENCES job_stages (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE application_events (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	application_id BIGINT UNSIGNED NOT NULL,
	user_id BIGINT UNSIGNED NULL,
	kind ENUM('created','moved','rejected','hired','withdrawn','reopened') NOT NULL,
	from_stage_id BIGINT UNSIGNED NULL,
	to_stage_id BIGINT UNSIGNED NULL,
	detail VARCHAR(1000) NOT NULL DEFAULT '',
	at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY application_events_app (application_id, id),
	CONSTRAINT application_events_app_fk FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Notes are private to their author unless made public.
CREATE TABLE notes (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	candidate_id BIGINT UNSIGNED NOT NULL,
	author_id BIGINT UNSIGNED NOT NULL,
	body MEDIUMTEXT NOT NULL,
	visibility ENUM('private','public') NOT NULL DEFAULT 'private',
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	KEY notes_candidate (candidate_id, id),
	KEY notes_author (author_id),
	CONSTRAINT notes_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates (id) ON DELETE CASCADE,
	CONSTRAINT notes_author_fk FOREIGN KEY (author_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE interview_feedback (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	application_id BIGINT UNSIGNED NOT NULL,
	interviewer_id BIGINT UNSIGNED NOT NULL,
	rating TINYINT UNSIGNED NOT NULL,
	recommendation ENUM('strong_no','no','yes','strong_yes') NOT NULL,
	body TEXT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY interview_feedback_one (application_id, interviewer_id),
	KEY interview_feedback_interviewer (interviewer_id),
	CONSTRAINT interview_feedback_app_fk FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE CASCADE,
	CONSTRAINT interview_feedback_user_fk FOREIGN KEY (interviewer_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Files live under data_dir by their SHA-256; this is what we know of them.
CREATE TABLE attachments (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	candidate_id BIGINT UNSIGNED NOT NULL,
	sha256 CHAR(64) NOT NULL,
	filename VARCHAR(255) NOT NULL,
	content_type VARCHAR(100) NOT NULL,
	size BIGINT UNSIGNED NOT NULL,
	uploaded_by BIGINT UNSIGNED NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY attachments_candidate (candidate_id, id),
	CONSTRAINT attachments_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE pool_members (
	pool_id BIGINT UNSIGNED NOT NULL,
	candidate_id BIGINT UNSIGNED NOT NULL,
	added_by BIGINT UNSIGNED NULL,
	added_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	PRIMARY KEY (pool_id, candidate_id),
	KEY pool_members_candidate (candidate_id),
	KEY pool_members_added (pool_id, added_at),
	CONSTRAINT pool_members_pool_fk FOREIGN KEY (pool_id) REFERENCES talent_pools (id) ON DELETE CASCADE,
	CONSTRAINT pool_members_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates (id) ON DELETE CASCADE
) ENGINE=InnoDB;
