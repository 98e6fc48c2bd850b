-- The LinkedIn sandbox, part 5 (issue 15): members' phone numbers, the
-- domains that may show an application's widgets, what an ATS synced or
-- linked in atsCandidates, InMail between seats and members, Recruiter
-- (prospect) notes, the projects jobs are mirrored into, and InMail credits.
-- See src/sandbox/README.md and /work/CONTRACT-15.md.
ALTER TABLE members
	ADD COLUMN phone VARCHAR(40) NULL,
	-- the digits of phone, for matching (the last 9 or more)
	ADD COLUMN phone_digits VARCHAR(40) NULL,
	-- the current position's, for matching by title and company
	ADD COLUMN current_title VARCHAR(200) NOT NULL DEFAULT '',
	ADD COLUMN current_company VARCHAR(200) NOT NULL DEFAULT '',
	-- a member crafted for a matching test (GET /sandbox/members/crafted)
	ADD COLUMN crafted VARCHAR(32) NULL,
	ADD KEY members_email (email),
	ADD KEY members_last_name (last_name),
	ADD KEY members_vanity (vanity_name);

-- provisionedApplications' validJsSdkDomains: a JSON array of origins.
ALTER TABLE applications
	ADD COLUMN valid_js_sdk_domains VARCHAR(2000) NOT NULL DEFAULT '[]';

-- atsCandidates: the entity an ATS PUT (NULL for a link-only record) and
-- the member it linked (manualMatchedMember).
CREATE TABLE ats_candidates (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	ats_candidate_id VARCHAR(100) NOT NULL,
	entity MEDIUMTEXT NULL,
	manual_member_id BIGINT UNSIGNED NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (client_id, organization_id, ats_candidate_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An InMail conversation a seat opened with a member, and its messages
-- (conversationEvents): OUTBOUND from the seat, INBOUND the member's replies.
CREATE TABLE inmail_conversations (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	seat_id BIGINT UNSIGNED NOT NULL,
	sender_member_id BIGINT UNSIGNED NOT NULL,
	recipient_member_id BIGINT UNSIGNED NOT NULL,
	subject VARCHAR(200) NOT NULL,
	created_at BIGINT NOT NULL,
	KEY inmail_conversations_seat (seat_id, recipient_member_id),
	KEY inmail_conversations_recipient (recipient_member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE inmail_events (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	conversation_id BIGINT UNSIGNED NOT NULL,
	seat_id BIGINT UNSIGNED NOT NULL,
	direction ENUM('OUTBOUND','INBOUND') NOT NULL,
	body TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	KEY inmail_events_seat (seat_id, created_at, id),
	KEY inmail_events_conversation (conversation_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A widget's Send InMail form carries a token: a second submission of the
-- same form (a double click) finds it here and sends nothing.
CREATE TABLE inmail_sends (
	seat_id BIGINT UNSIGNED NOT NULL,
	token CHAR(32) NOT NULL,
	conversation_id BIGINT UNSIGNED NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (seat_id, token)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- InMail credits a seat used in a calendar month (UTC, 'YYYY-MM').
CREATE TABLE inmail_credits (
	seat_id BIGINT UNSIGNED NOT NULL,
	month CHAR(7) NOT NULL,
	used INT NOT NULL DEFAULT 0,
	PRIMARY KEY (seat_id, month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Recruiter notes about prospects (prospectNotes), by seat.
CREATE TABLE prospect_notes (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	contract_id BIGINT UNSIGNED NOT NULL,
	seat_id BIGINT UNSIGNED NOT NULL,
	member_id BIGINT UNSIGNED NOT NULL,
	note TEXT NOT NULL,
	visibility ENUM('PUBLIC','PRIVATE') NOT NULL,
	active TINYINT(1) NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	modified_at BIGINT NOT NULL,
	KEY prospect_notes_modified (contract_id, modified_at, id),
	KEY prospect_notes_seat (seat_id, modified_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Save to a job: the member saved into the project mirroring an
-- application's synced job.
CREATE TABLE project_members (
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	external_job_posting_id VARCHAR(100) NOT NULL,
	member_id BIGINT UNSIGNED NOT NULL,
	saved_by_seat BIGINT UNSIGNED NOT NULL,
	saved_at BIGINT NOT NULL,
	PRIMARY KEY (client_id, organization_id, external_job_posting_id, member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
