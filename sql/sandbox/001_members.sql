-- The LinkedIn sandbox's own database: LinkedIn members and the one
-- organization whose Recruiter and Hiring Manager seats they hold.
CREATE TABLE members (
	id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	urn_id VARCHAR(32) NOT NULL,
	first_name VARCHAR(100) NOT NULL,
	last_name VARCHAR(100) NOT NULL,
	headline VARCHAR(255) NOT NULL DEFAULT '',
	location VARCHAR(100) NOT NULL DEFAULT '',
	email VARCHAR(254) NULL,
	seat ENUM('recruiter','hiring_manager','none') NOT NULL DEFAULT 'none',
	UNIQUE KEY members_urn (urn_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
