-- The foundation: people, sessions, sign-in throttling, jobs, pools, audit.
-- Every table is InnoDB, utf8mb4; times are UTC (the connection's time_zone).

CREATE TABLE users (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	email VARCHAR(254) NOT NULL,
	name VARCHAR(200) NOT NULL,
	password_hash VARCHAR(128) NOT NULL,
	role ENUM('admin','recruiter','hiring_manager','interviewer') NOT NULL,
	seat ENUM('recruiter','hiring_manager','none') NOT NULL DEFAULT 'none',
	active TINYINT(1) NOT NULL DEFAULT 1,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	UNIQUE KEY users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Only the SHA-256 of the session token is stored: a copy of this table does
-- not let anyone sign in.
CREATE TABLE sessions (
	token_hash BINARY(32) NOT NULL PRIMARY KEY,
	user_id BIGINT UNSIGNED NOT NULL,
	csrf_token CHAR(64) NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	last_seen_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	expires_at DATETIME(3) NOT NULL,
	remote_addr VARCHAR(64) NOT NULL DEFAULT '',
	user_agent VARCHAR(255) NOT NULL DEFAULT '',
	KEY sessions_user (user_id),
	KEY sessions_expires (expires_at),
	CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- One row per failed sign-in, by account (email as typed) and by address.
CREATE TABLE login_failures (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	email VARCHAR(254) NOT NULL,
	remote_addr VARCHAR(64) NOT NULL,
	failed_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY login_failures_email (email, failed_at),
	KEY login_failures_addr (remote_addr, failed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE jobs (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	title VARCHAR(200) NOT NULL,
	location VARCHAR(200) NOT NULL DEFAULT '',
	description MEDIUMTEXT NOT NULL,
	status ENUM('draft','active','closed') NOT NULL DEFAULT 'draft',
	created_by BIGINT UNSIGNED NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	KEY jobs_status (status, id),
	KEY jobs_title (title),
	CONSTRAINT jobs_created_by_fk FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE talent_pools (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(200) NOT NULL,
	kind ENUM('user','linkedin') NOT NULL DEFAULT 'user',
	created_by BIGINT UNSIGNED NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	UNIQUE KEY talent_pools_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The system pool for members who shared their profile from LinkedIn (F13).
INSERT INTO talent_pools (name, kind) VALUES ('LinkedIn', 'linkedin');

CREATE TABLE audit_log (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	user_id BIGINT UNSIGNED NULL,
	action VARCHAR(64) NOT NULL,
	entity VARCHAR(32) NOT NULL DEFAULT '',
	entity_id BIGINT UNSIGNED NULL,
	detail TEXT NULL,
	remote_addr VARCHAR(64) NOT NULL DEFAULT '',
	KEY audit_log_entity (entity, entity_id),
	KEY audit_log_user (user_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
