-- The LinkedIn sandbox, part 3: what each customer application (each
-- hirelink instance, by its client_id) told LinkedIn about its
-- integrations and jobs (src/sandbox/jobs.c, README "ATS integrations and
-- jobs").  The first four tables are the ones the export pages read
-- (issue 14's contract, section 4).

-- The integrations an application enabled in its organization: the name
-- Recruiter shows under Change ATS, enabled or not.
CREATE TABLE ats_integrations (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	integration_type ENUM('ONE_CLICK_EXPORT','IN_ATS_INDICATOR','PROFILE_PLUGIN') NOT NULL,
	integration_name VARCHAR(200) NOT NULL,
	enabled TINYINT(1) NOT NULL,
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	PRIMARY KEY (client_id, organization_id, integration_type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Their configurations: CALLBACK_URL, JOB_POSTING_VIEWERS (ONE_CLICK_EXPORT),
-- APPLICATION_VIEWERS (IN_ATS_INDICATOR).
CREATE TABLE ats_integration_configs (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	integration_type ENUM('ONE_CLICK_EXPORT','IN_ATS_INDICATOR','PROFILE_PLUGIN') NOT NULL,
	config_key VARCHAR(64) NOT NULL,
	config_value VARCHAR(2000) NOT NULL,
	PRIMARY KEY (client_id, organization_id, integration_type, config_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- LinkedIn's copy of each synced job (simpleJobPostings), upserted by
-- externalJobPostingId.  A job placed by country and postal code has no
-- location: country_code and postal_code hold it (sandbox's own columns).
CREATE TABLE job_postings (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	external_job_posting_id VARCHAR(100) NOT NULL,
	title VARCHAR(200) NOT NULL,
	description MEDIUMTEXT NOT NULL,
	location VARCHAR(200) NOT NULL DEFAULT '',
	availability ENUM('PUBLIC','PRIVATE_TO_ATS_INTEGRATION') NOT NULL,
	state ENUM('LISTED','CLOSED') NOT NULL,
	company_apply_url VARCHAR(2000) NOT NULL,
	listed_at BIGINT NOT NULL,
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	country_code CHAR(2) NULL,
	postal_code VARCHAR(20) NULL,
	PRIMARY KEY (client_id, organization_id, external_job_posting_id),
	KEY job_postings_title (client_id, organization_id, title)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who may see a job in Recruiter, flattened from the two ACL tables below
-- (kept by jobs.c in the transaction of every ACL change): one row per
-- assignee of any ACL of the job, and one with assignee '' for every job
-- that has an ACL at all, so that a job whose ACLs nobody is assigned to
-- yet is hidden from everyone rather than shown to all.
CREATE TABLE job_posting_acl (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	external_job_posting_id VARCHAR(100) NOT NULL,
	assignee VARCHAR(100) NOT NULL,
	PRIMARY KEY (client_id, organization_id, external_job_posting_id, assignee)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- atsEntityAcls: a securable entity (JOB_POSTING: its
-- externalJobPostingId) is in an ACL (the ATS's group or role id).
CREATE TABLE ats_entity_acls (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	ats_entity_type ENUM('JOB_POSTING') NOT NULL,
	ats_entity_id VARCHAR(100) NOT NULL,
	ats_entity_acl_id VARCHAR(100) NOT NULL,
	PRIMARY KEY (client_id, organization_id, ats_entity_type, ats_entity_id, ats_entity_acl_id),
	KEY ats_entity_acls_acl (client_id, organization_id, ats_entity_type, ats_entity_acl_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- atsEntityAclAssignees: a LinkedIn member (urn:li:person:ID) is assigned
-- to an ACL of an entity type.
CREATE TABLE ats_entity_acl_assignees (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	ats_entity_type ENUM('JOB_POSTING') NOT NULL,
	ats_entity_acl_id VARCHAR(100) NOT NULL,
	assignee VARCHAR(100) NOT NULL,
	PRIMARY KEY (client_id, organization_id, ats_entity_type, ats_entity_acl_id, assignee),
	KEY ats_entity_acl_assignees_member (client_id, organization_id, assignee)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- simpleJobPostingTasks: one per accepted element of a batch_create
-- (urn:li:simpleJobPostingTask:<id>); the sandbox processes a posting at
-- once, so a task is SUCCEEDED from the start.
CREATE TABLE simple_job_posting_tasks (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	external_job_posting_id VARCHAR(100) NOT NULL,
	status ENUM('IN_PROGRESS','SUCCEEDED','FAILED','PROCESSED') NOT NULL,
	error_message VARCHAR(500) NULL,
	created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What an INTEGRATION_STATUS_CHANGE notification refers to
-- (GET /v2/atsIntegrations?q=request&requestId=): the application's
-- integrations as they were after the change, as JSON elements.
CREATE TABLE ats_integration_requests (
	request_id CHAR(36) NOT NULL PRIMARY KEY,
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	elements MEDIUMTEXT NOT NULL,
	created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
