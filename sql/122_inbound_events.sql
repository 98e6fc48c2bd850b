-- LinkedIn's push notifications (issue 14, F11): every one that passed the
-- signature check, by LinkedIn's requestId, and what became of it.  The
-- callback (src/web/linkedin_notifications.c) stores it and marks the
-- outbox in one transaction; the worker's "inbound_event" sender
-- (src/linkedin/notifications.c) fetches what it refers to and applies it
-- (src/ats/exports.c) in one transaction with the event's result.
--
-- status:
--   received  stored; the worker has yet to apply it
--   applied   done: the candidate is on the job (or the integration's state
--             was read again)
--   refused   a rule said no (reason says which); an admin may retry it
--   rejected  the body was not a notification hirelink knows (malformed
--             JSON, no requestId, an unknown eventType): answered 400 and
--             kept for the admin; request_id is then the body's
--             "sha256:<hex>" when it named none
--   failed    LinkedIn's side failed for good (reason says how); an admin
--             may retry it
-- The ids of the exporter's user, the job, the candidate and the
-- application are filled in as they become known.
CREATE TABLE inbound_events (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	request_id VARCHAR(100) NOT NULL,
	event_type VARCHAR(64) NOT NULL DEFAULT '',
	integration_context VARCHAR(100) NOT NULL DEFAULT '',
	occurred_at BIGINT NULL,
	body MEDIUMBLOB NOT NULL,
	received_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	status ENUM('received','applied','refused','rejected','failed') NOT NULL DEFAULT 'received',
	reason VARCHAR(500) NOT NULL DEFAULT '',
	attempts INT UNSIGNED NOT NULL DEFAULT 0,
	-- who exported, as LinkedIn named them ("First Last <email>", the
	-- member URN), and the hirelink user they map to
	exporter VARCHAR(500) NOT NULL DEFAULT '',
	exporter_member VARCHAR(150) NOT NULL DEFAULT '',
	exporter_user_id BIGINT UNSIGNED NULL,
	external_job_posting_id VARCHAR(100) NOT NULL DEFAULT '',
	job_id BIGINT UNSIGNED NULL,
	candidate_id BIGINT UNSIGNED NULL,
	application_id BIGINT UNSIGNED NULL,
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	UNIQUE KEY inbound_events_request (request_id),
	KEY inbound_events_status (status, id),
	CONSTRAINT inbound_events_user_fk FOREIGN KEY (exporter_user_id) REFERENCES users (id) ON DELETE SET NULL,
	CONSTRAINT inbound_events_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE SET NULL,
	CONSTRAINT inbound_events_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates (id) ON DELETE SET NULL,
	CONSTRAINT inbound_events_application_fk FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What a LinkedIn export brings that candidates had no place for.
ALTER TABLE candidates
	ADD COLUMN current_title VARCHAR(200) NOT NULL DEFAULT '',
	ADD COLUMN current_company VARCHAR(200) NOT NULL DEFAULT '';

-- Where an application came from ("LinkedIn Recruiter export"; '' when a
-- user added the candidate in hirelink).
ALTER TABLE applications
	ADD COLUMN source VARCHAR(100) NOT NULL DEFAULT '';
