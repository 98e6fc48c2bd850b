-- What happened to a candidate's record outside any application (issue
-- 18): a resume added with the record, an attachment added or deleted.
-- The candidate page shows it in words (src/web/words.c); the audit log
-- keeps the same change for the admins.  Gone with the candidate.
CREATE TABLE candidate_events (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	candidate_id BIGINT UNSIGNED NOT NULL,
	user_id BIGINT UNSIGNED NULL,
	kind VARCHAR(32) NOT NULL,
	detail VARCHAR(500) NOT NULL DEFAULT '',
	at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY candidate_events_candidate (candidate_id, id),
	CONSTRAINT candidate_events_candidate_fk FOREIGN KEY (candidate_id)
		REFERENCES candidates (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
