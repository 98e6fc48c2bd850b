-- The LinkedIn sandbox, part 6 (issue 16): what an ATS synced for the In ATS
-- panel (applications; their stages, interview feedback and notes; the
-- candidates' notes), every sync request as received (for tests), the
-- records-a-minute throttle, InMail stub profiles and closed accounts.
-- See src/sandbox/README.md and /work/CONTRACT-16.md.

-- atsApplications: the entity an ATS PUT, whole.
CREATE TABLE ats_applications (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	ats_job_application_id VARCHAR(100) NOT NULL,
	-- the entity's atsCandidateId (NULL without one), for the panel's join
	ats_candidate_id VARCHAR(100) NULL,
	entity MEDIUMTEXT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (client_id, organization_id, ats_job_application_id),
	KEY ats_applications_candidate (client_id, organization_id, ats_candidate_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The sub-resources: an application's stages, interviewFeedback and notes,
-- a candidate's notes.  id orders entries stored in one batch (ties of
-- atsCreatedAt).
CREATE TABLE ats_sub_entities (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	parent_kind ENUM('application','candidate') NOT NULL,
	parent_id VARCHAR(100) NOT NULL,
	kind ENUM('stage','feedback','note') NOT NULL,
	entity_id VARCHAR(100) NOT NULL,
	entity MEDIUMTEXT NOT NULL,
	ats_created_at BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL,
	UNIQUE KEY ats_sub_entities_key (client_id, organization_id,
		parent_kind, parent_id, kind, entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every request to a sync endpoint, as received (GET /sandbox/payloads).
CREATE TABLE sync_payloads (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	client_id VARCHAR(64) NOT NULL,
	method VARCHAR(10) NOT NULL,
	resource VARCHAR(32) NOT NULL,
	path TEXT NOT NULL,
	query MEDIUMTEXT NOT NULL,
	body MEDIUMTEXT NOT NULL,
	status INT NOT NULL,
	records INT NOT NULL,
	at BIGINT NOT NULL,
	KEY sync_payloads_client (client_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Records an application sent to a resource in one UTC minute.
CREATE TABLE sync_throttle (
	client_id VARCHAR(64) NOT NULL,
	resource VARCHAR(32) NOT NULL,
	minute BIGINT NOT NULL,
	records INT NOT NULL DEFAULT 0,
	PRIMARY KEY (client_id, resource, minute)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A test's lower limit (POST /sandbox/sync/throttle); none: 10,000.
CREATE TABLE sync_throttle_limits (
	client_id VARCHAR(64) NOT NULL PRIMARY KEY,
	records_per_minute INT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- InMail stub profiles (mailStubs): a member who replied to a seat's InMail
-- and agreed to share contact details; the email only if they shared it.
CREATE TABLE mail_stubs (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	contract_id BIGINT UNSIGNED NOT NULL,
	seat_id BIGINT UNSIGNED NOT NULL,
	member_id BIGINT UNSIGNED NOT NULL,
	first_name VARCHAR(100) NOT NULL,
	last_name VARCHAR(100) NOT NULL,
	email VARCHAR(254) NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE KEY mail_stubs_seat_member (seat_id, member_id),
	KEY mail_stubs_created (contract_id, created_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A member who closed their LinkedIn account (closedCandidateProfiles).
ALTER TABLE members
	ADD COLUMN closed_at BIGINT NULL,
	ADD KEY members_closed (closed_at);
