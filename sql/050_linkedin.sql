-- LinkedIn integration (F7, F14): the organisation's integration settings,
-- the cached application token, members' connections and the single-use
-- OAuth states of the Connect flow.  Every secret is sealed with
-- AES-256-GCM under the configured secret_key (iv || ciphertext || tag).

-- One row (id = 1): what the admin set up in /admin/linkedin.
CREATE TABLE integration (
	id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	enabled TINYINT(1) NOT NULL DEFAULT 0,
	client_id VARCHAR(200) NOT NULL DEFAULT '',
	client_secret_enc VARBINARY(600) NULL,
	organization_urn VARCHAR(100) NOT NULL DEFAULT '',
	contract_urn VARCHAR(100) NOT NULL DEFAULT '',
	ats_instance_name VARCHAR(100) NOT NULL DEFAULT '',
	last_success_at DATETIME(3) NULL,
	last_error VARCHAR(500) NULL,
	last_error_at DATETIME(3) NULL,
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO integration (id) VALUES (1);

-- One row (id = 1): the application token (client credentials), shared by
-- every process; client_id tells which credentials minted it.
CREATE TABLE linkedin_app_token (
	id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	client_id VARCHAR(200) NOT NULL,
	token_enc VARBINARY(4200) NOT NULL,
	expires_at BIGINT NOT NULL,
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;

-- A user's LinkedIn member (F7).  Tokens sealed with aad = the user id;
-- expires_at / refresh_expires_at are UTC epoch ms.
CREATE TABLE linkedin_connections (
	user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	member_id VARCHAR(100) NOT NULL,
	member_urn VARCHAR(150) NOT NULL,
	first_name VARCHAR(200) NOT NULL DEFAULT '',
	last_name VARCHAR(200) NOT NULL DEFAULT '',
	seat_type ENUM('recruiter','hiring_manager','none') NOT NULL DEFAULT 'none',
	seat_urn VARCHAR(150) NULL,
	access_token_enc VARBINARY(4200) NULL,
	refresh_token_enc VARBINARY(4200) NULL,
	expires_at BIGINT NOT NULL DEFAULT 0,
	refresh_expires_at BIGINT NOT NULL DEFAULT 0,
	scopes VARCHAR(500) NOT NULL DEFAULT '',
	needs_reconnect TINYINT(1) NOT NULL DEFAULT 0,
	connected_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	checked_at DATETIME(3) NULL,
	KEY linkedin_connections_member (member_urn),
	CONSTRAINT linkedin_connections_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The Connect flow's `state`: only its SHA-256 is kept, bound to the
-- session (hash of the session token) and user; single-use, 10 minutes.
CREATE TABLE oauth_states (
	state_hash BINARY(32) NOT NULL PRIMARY KEY,
	session_hash BINARY(32) NOT NULL,
	user_id BIGINT UNSIGNED NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	used TINYINT(1) NOT NULL DEFAULT 0,
	KEY oauth_states_created (created_at),
	CONSTRAINT oauth_states_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;
