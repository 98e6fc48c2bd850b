-- The LinkedIn sandbox, part 4: one-click exports from the Recruiter
-- profile page, and the push notifications it sends to the customers'
-- callback URLs (src/sandbox/notifications.c), with every try.
-- See src/sandbox/README.md.
CREATE TABLE exports (
	request_id CHAR(36) NOT NULL PRIMARY KEY,
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	exporter_member_id BIGINT UNSIGNED NOT NULL,
	seat_id BIGINT UNSIGNED NOT NULL,
	candidate_member_id BIGINT UNSIGNED NOT NULL,
	external_job_posting_id VARCHAR(100) NOT NULL,
	created_at BIGINT NOT NULL,
	-- 300 exports per Recruiter seat per month are counted here
	KEY exports_seat (seat_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE deliveries (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	request_id CHAR(36) NOT NULL,
	event_type VARCHAR(64) NOT NULL,
	client_id VARCHAR(64) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	callback_url VARCHAR(2000) NOT NULL,
	-- the exact bytes sent (and signed), the same on every try
	body TEXT NOT NULL,
	-- tries since it was queued (or redelivered); 7 = the first + 6 retries
	attempts INT NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	-- the last try's HTTP status, 0 when it got no answer
	last_status INT NULL,
	last_error VARCHAR(300) NULL,
	state ENUM('pending','delivered','failed') NOT NULL DEFAULT 'pending',
	-- not sent while held (POST /sandbox/notifications/hold)
	held TINYINT(1) NOT NULL DEFAULT 0,
	-- bumped by a redelivery, so a try already under way cannot
	-- overwrite its outcome
	generation INT UNSIGNED NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	delivered_at BIGINT NULL,
	UNIQUE KEY deliveries_request (request_id),
	KEY deliveries_due (state, held, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE delivery_attempts (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	delivery_id BIGINT UNSIGNED NOT NULL,
	at BIGINT NOT NULL,
	-- the HTTP status the callback answered, 0 for none
	status INT NOT NULL,
	error VARCHAR(300) NULL,
	duration_ms INT NOT NULL,
	KEY attempts_delivery (delivery_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
