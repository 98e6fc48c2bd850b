-- The LinkedIn sandbox, part 3: the integrations each customer application
-- enabled in its organization (atsIntegrations, with their configurations
-- such as CALLBACK_URL), the job postings it synced and their ACLs.
-- The schema of CONTRACT-14.md section 4 (jobsync owns this file; export
-- reads these tables for the Recruiter job box and Change ATS).
CREATE TABLE ats_integrations (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	integration_type ENUM('ONE_CLICK_EXPORT','IN_ATS_INDICATOR','PROFILE_PLUGIN') NOT NULL,
	integration_name VARCHAR(200) NOT NULL,
	enabled TINYINT(1) NOT NULL,
	updated_at BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (client_id, organization_id, integration_type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ats_integration_configs (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	integration_type ENUM('ONE_CLICK_EXPORT','IN_ATS_INDICATOR','PROFILE_PLUGIN') NOT NULL,
	config_key VARCHAR(64) NOT NULL,
	config_value VARCHAR(2000) NOT NULL,
	PRIMARY KEY (client_id, organization_id, integration_type, config_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE job_postings (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	external_job_posting_id VARCHAR(100) NOT NULL,
	title VARCHAR(200) NOT NULL,
	description MEDIUMTEXT NOT NULL,
	location VARCHAR(200) NOT NULL DEFAULT '',
	availability ENUM('PUBLIC','PRIVATE_TO_ATS_INTEGRATION') NOT NULL DEFAULT 'PUBLIC',
	state ENUM('LISTED','CLOSED') NOT NULL,
	company_apply_url VARCHAR(2000) NOT NULL DEFAULT '',
	listed_at BIGINT NULL,
	updated_at BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (client_id, organization_id, external_job_posting_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE job_posting_acl (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	external_job_posting_id VARCHAR(100) NOT NULL,
	assignee VARCHAR(100) NOT NULL,
	PRIMARY KEY (client_id, organization_id, external_job_posting_id, assignee)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
