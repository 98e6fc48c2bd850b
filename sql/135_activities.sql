-- Recruiting activities (F9, issue 15): what happened in LinkedIn
-- Recruiter between the organisation's seats and a prospect, read by the
-- worker (src/linkedin/activities.c) per seat in windows of at most 12 h
-- and shown on the candidate's Recruiting activities tab.  A candidate is
-- tied to a prospect by candidates.linkedin_member_id (the member id, the
-- ID of urn:li:person:ID).
--
-- InMail content (subject, body) is NEVER stored: LinkedIn's
-- conversationEvents carry it and the worker drops it on read.

-- The Recruiter contract's seats as LinkedIn last listed them (/v2/seats),
-- with each seat's poll cursors: everything LinkedIn had before
-- events_cursor_ms (conversationEvents, on created) and notes_cursor_ms
-- (prospectNotes, on lastModified) has been read.  A seat LinkedIn no
-- longer lists is kept, inactive, so its stored activities keep a name.
CREATE TABLE li_seats (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	seat_urn VARCHAR(150) NOT NULL,
	member_urn VARCHAR(150) NOT NULL,
	first_name VARCHAR(200) NOT NULL DEFAULT '',
	last_name VARCHAR(200) NOT NULL DEFAULT '',
	seat_type ENUM('recruiter','hiring_manager','none') NOT NULL DEFAULT 'none',
	active TINYINT(1) NOT NULL DEFAULT 1,
	events_cursor_ms BIGINT NOT NULL DEFAULT 0,
	notes_cursor_ms BIGINT NOT NULL DEFAULT 0,
	-- the last poll that reached "now" (NULL: never), and when the next
	-- periodic one is due
	polled_at DATETIME(3) NULL,
	next_poll_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	-- the last refresh a viewer's opening of the tab asked for
	refresh_asked_at DATETIME(3) NULL,
	-- the last failed poll (cleared by a good one)
	last_error VARCHAR(500) NULL,
	last_error_at DATETIME(3) NULL,
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	UNIQUE KEY li_seats_urn (seat_urn),
	KEY li_seats_member (member_urn),
	KEY li_seats_due (active, next_poll_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row (id = 1): when the seats were last read, the last failure, and
-- when a viewer without a seat last asked for them again.
CREATE TABLE li_activity_sync (
	id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	seats_read_at DATETIME(3) NULL,
	seats_asked_at DATETIME(3) NULL,
	seats_error VARCHAR(500) NULL,
	seats_error_at DATETIME(3) NULL
) ENGINE=InnoDB;

INSERT INTO li_activity_sync (id) VALUES (1);

-- InMail activity: one row per conversationEvents element of a seat.
-- Who (the seat), when, the direction, whether the conversation was
-- replied to (an INBOUND event in it: set on its OUTBOUND rows), the
-- conversation and the prospect.  No subject, no body, ever.
CREATE TABLE li_inmail_activity (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	seat_urn VARCHAR(150) NOT NULL,
	event_id VARCHAR(100) NOT NULL,
	conversation_urn VARCHAR(150) NOT NULL,
	prospect_member_id VARCHAR(64) NOT NULL,
	direction ENUM('OUTBOUND','INBOUND') NOT NULL,
	created_ms BIGINT NOT NULL,
	replied TINYINT(1) NOT NULL DEFAULT 0,
	stored_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY li_inmail_event (seat_urn, event_id),
	KEY li_inmail_prospect (prospect_member_id, created_ms),
	-- "also engaging": the seats that InMailed a prospect
	KEY li_inmail_engaged (prospect_member_id, direction, seat_urn, created_ms),
	KEY li_inmail_conversation (seat_urn, conversation_urn)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Recruiter notes (prospectNotes): public ones are shown to everyone who
-- may see the candidate, private ones only to the user holding the owner
-- seat.  A note LinkedIn reports inactive (deleted) is deleted here.
CREATE TABLE li_recruiter_notes (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	note_id VARCHAR(100) NOT NULL,
	contract_urn VARCHAR(150) NOT NULL,
	owner_seat_urn VARCHAR(150) NOT NULL,
	prospect_member_id VARCHAR(64) NOT NULL,
	visibility ENUM('PUBLIC','PRIVATE') NOT NULL,
	note TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	last_modified_ms BIGINT NOT NULL,
	stored_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	UNIQUE KEY li_notes_id (note_id),
	KEY li_notes_prospect (prospect_member_id, last_modified_ms),
	KEY li_notes_engaged (prospect_member_id, visibility, owner_seat_urn, last_modified_ms),
	KEY li_notes_owner (owner_seat_urn)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
