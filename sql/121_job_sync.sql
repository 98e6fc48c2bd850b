-- Job sync with LinkedIn (issue 14, F11, F14): what a job needs for
-- LinkedIn's Sync Jobs, this instance's identity, the integrations' state
-- as LinkedIn reports it, and what hirelink has synced (so that the next
-- sync can take back what is no longer true: an ACL of a member who left).

-- listed_at: when the job was first activated (LinkedIn's listedAt).
-- Jobs already active or closed were listed when they were made, as far as
-- anyone can tell now.  availability: the admin's choice, LinkedIn's
-- PUBLIC or PRIVATE_TO_ATS_INTEGRATION (private: only the integration,
-- Recruiter's job box, shows it), private unless chosen.  updated_at =
-- updated_at keeps the backfill from touching the jobs' "updated" date.
ALTER TABLE jobs
	ADD COLUMN listed_at DATETIME(3) NULL,
	ADD COLUMN availability ENUM('private','public') NOT NULL DEFAULT 'private';

UPDATE jobs SET listed_at = created_at, updated_at = updated_at WHERE status IN ('active', 'closed');

-- instance_id: this hirelink instance among those sharing one LinkedIn
-- organization (Change ATS): 8 lowercase alphanumerics, made here once and
-- never changed; every id hirelink sends LinkedIn starts with it
-- (<instance_id>-J-00042).  src/linkedin/store.c makes one at first read
-- should the row ever lack it.  linkedin_target: what the admin last asked
-- of LinkedIn's integrations (enabled or disabled; NULL never), which the
-- worker carries out ("integration" outbox rows).
ALTER TABLE integration
	ADD COLUMN instance_id CHAR(8) NOT NULL DEFAULT '',
	ADD COLUMN linkedin_target ENUM('enabled','disabled') NULL,
	ADD COLUMN linkedin_target_at DATETIME(3) NULL;

UPDATE integration SET instance_id = (SELECT GROUP_CONCAT(SUBSTRING('abcdefghijklmnopqrstuvwxyz0123456789', 1 + FLOOR(RAND() * 36), 1) SEPARATOR '') FROM seq_1_to_8) WHERE instance_id = '';

-- Each integration as LinkedIn last reported it (batch GET of
-- atsIntegrations and the CALLBACK_URL configuration), for /admin/linkedin.
CREATE TABLE linkedin_integrations (
	integration_type ENUM('ONE_CLICK_EXPORT','IN_ATS_INDICATOR','PROFILE_PLUGIN') NOT NULL PRIMARY KEY,
	status VARCHAR(32) NOT NULL,
	integration_name VARCHAR(200) NOT NULL DEFAULT '',
	callback_url VARCHAR(2000) NULL,
	checked_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What LinkedIn holds of each job: its state and availability as last
-- accepted (a PUBLIC job turned private must be closed first, LinkedIn
-- says), when, and the simpleJobPostingTask that carried it.
CREATE TABLE linkedin_job_postings (
	job_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	state ENUM('LISTED','CLOSED') NOT NULL,
	availability ENUM('PUBLIC','PRIVATE_TO_ATS_INTEGRATION') NOT NULL,
	task_id VARCHAR(200) NOT NULL DEFAULT '',
	synced_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT linkedin_job_postings_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- The job ACLs LinkedIn holds: each job's members (recruiters and hiring
-- managers connected to LinkedIn) as one ACL each, the user's own
-- (atsEntityAclId <instance_id>-U-<user id>), so that nobody is assigned
-- more than the one ACL LinkedIn's limit of ten allows many times over;
-- and each user's ACL's assignee, their LinkedIn member.
CREATE TABLE linkedin_job_acls (
	job_id BIGINT UNSIGNED NOT NULL,
	user_id BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (job_id, user_id),
	CONSTRAINT linkedin_job_acls_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE linkedin_acl_assignees (
	user_id BIGINT UNSIGNED NOT NULL,
	member_urn VARCHAR(150) NOT NULL,
	PRIMARY KEY (user_id, member_urn)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
