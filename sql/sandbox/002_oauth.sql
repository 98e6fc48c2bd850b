-- The LinkedIn sandbox, part 2: full seeded profiles, the organization,
-- its Recruiter contract and seats, the customer application, OAuth codes,
-- grants and tokens (stored as SHA-256 only), and the failure-injection
-- rules of the control API.  See src/sandbox/README.md.
ALTER TABLE members
	ADD COLUMN vanity_name VARCHAR(120) NOT NULL DEFAULT '',
	ADD COLUMN positions LONGTEXT NOT NULL DEFAULT '[]',
	ADD COLUMN education LONGTEXT NOT NULL DEFAULT '[]',
	ADD COLUMN skills LONGTEXT NOT NULL DEFAULT '[]';

CREATE TABLE sandbox_meta (
	k VARCHAR(64) NOT NULL PRIMARY KEY,
	v VARCHAR(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE organizations (
	id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	name VARCHAR(200) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE contracts (
	id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	organization_id BIGINT UNSIGNED NOT NULL,
	name VARCHAR(200) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE seats (
	id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	contract_id BIGINT UNSIGNED NOT NULL,
	member_id BIGINT UNSIGNED NOT NULL,
	seat_type ENUM('RECRUITER','HIRING_MANAGER') NOT NULL,
	active TINYINT(1) NOT NULL DEFAULT 1,
	KEY seats_contract (contract_id, id),
	UNIQUE KEY seats_member (contract_id, member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE applications (
	client_id VARCHAR(64) NOT NULL PRIMARY KEY,
	secret_hash BINARY(32) NOT NULL,
	name VARCHAR(200) NOT NULL,
	organization_id BIGINT UNSIGNED NOT NULL,
	redirect_uri VARCHAR(1000) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE oauth_grants (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	client_id VARCHAR(64) NOT NULL,
	member_id BIGINT UNSIGNED NOT NULL,
	scope VARCHAR(255) NOT NULL,
	created_at BIGINT NOT NULL,
	revoked TINYINT(1) NOT NULL DEFAULT 0,
	KEY grants_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE oauth_codes (
	code_hash BINARY(32) NOT NULL PRIMARY KEY,
	client_id VARCHAR(64) NOT NULL,
	member_id BIGINT UNSIGNED NOT NULL,
	redirect_uri VARCHAR(1000) NOT NULL,
	scope VARCHAR(255) NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT NULL,
	grant_id BIGINT UNSIGNED NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE oauth_tokens (
	token_hash BINARY(32) NOT NULL PRIMARY KEY,
	kind ENUM('member_access','member_refresh','app_access') NOT NULL,
	client_id VARCHAR(64) NOT NULL,
	member_id BIGINT UNSIGNED NULL,
	grant_id BIGINT UNSIGNED NULL,
	scope VARCHAR(255) NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	revoked TINYINT(1) NOT NULL DEFAULT 0,
	KEY tokens_grant (grant_id),
	KEY tokens_kind (kind, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE fail_rules (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	path_prefix VARCHAR(255) NOT NULL,
	status INT NULL,
	delay_ms INT NOT NULL DEFAULT 0,
	retry_after INT NOT NULL DEFAULT 1,
	remaining INT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
