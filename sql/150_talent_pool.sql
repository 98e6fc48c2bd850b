-- The LinkedIn talent pool (F13, issue 16): InMail stub profiles
-- (LinkedIn's mailStubs), read by the worker per seat (the seats of
-- sql/135_activities.sql, outbox kind "li_stub_poll") and turned into
-- candidates of the system LinkedIn pool (src/ats/talent_pool.c,
-- src/linkedin/stubs.c).
--
-- Each seat's stub cursor: every stub LinkedIn made for the seat before
-- stubs_cursor_ms (on created) has been read; stubs_next_poll_at is when
-- the next periodic read is due (linkedin_stubs_poll_minutes).
ALTER TABLE li_seats
	ADD COLUMN stubs_cursor_ms BIGINT NOT NULL DEFAULT 0,
	ADD COLUMN stubs_polled_at DATETIME(3) NULL,
	ADD COLUMN stubs_next_poll_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	ADD COLUMN stubs_error VARCHAR(500) NULL,
	ADD COLUMN stubs_error_at DATETIME(3) NULL,
	ADD KEY li_seats_stubs_due (active, stubs_next_poll_at);

-- One row per stub applied, by LinkedIn's id, so that a stub read twice
-- (the overlap of two reads, a push and a poll) makes one candidate and
-- one membership.  What LinkedIn sent is kept while the candidate exists;
-- deleting the candidate or erasing their LinkedIn data (a closed
-- profile) empties the stub's fields and sets erased, keeping only the id
-- so that the stub is never applied again.  candidate_id NULL: the stub
-- could not make a candidate (reason says why) or was erased.
CREATE TABLE li_mail_stubs (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	stub_id VARCHAR(100) NOT NULL,
	seat_urn VARCHAR(150) NOT NULL DEFAULT '',
	member_id VARCHAR(64) NOT NULL DEFAULT '',
	first_name VARCHAR(200) NOT NULL DEFAULT '',
	last_name VARCHAR(200) NOT NULL DEFAULT '',
	email VARCHAR(254) NULL,
	created_ms BIGINT NOT NULL DEFAULT 0,
	candidate_id BIGINT UNSIGNED NULL,
	matched ENUM('created','member','email','none') NOT NULL DEFAULT 'none',
	reason VARCHAR(500) NOT NULL DEFAULT '',
	erased TINYINT(1) NOT NULL DEFAULT 0,
	stored_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY li_mail_stubs_id (stub_id),
	KEY li_mail_stubs_candidate (candidate_id),
	KEY li_mail_stubs_member (member_id),
	CONSTRAINT li_mail_stubs_candidate_fk FOREIGN KEY (candidate_id)
		REFERENCES candidates (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Where a pool member came from, for the LinkedIn pool's page ("LinkedIn
-- InMail reply"); '' for a member a user added.
ALTER TABLE pool_members
	ADD COLUMN source VARCHAR(100) NOT NULL DEFAULT '';
