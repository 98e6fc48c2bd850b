-- Bulk actions (src/ats/bulk.c): a user's one action over many records
-- (move or reject applications of a job, add candidates to a pool or to a
-- job), kept as a job and its items.  The selection is resolved into
-- items when the user confirms ("all 1,500 in Applied" is the set as it
-- was then), and each item is done by the same function as the single
-- action, in a transaction of its own, so each record gets its own event
-- and audit row and a failure on one leaves the others done.
--
-- Up to 1,000 items run in the request; more are left 'pending' for the
-- worker (hirelink.fcgi worker), which claims them as it claims the
-- outbox: SELECT ... FOR UPDATE SKIP LOCKED, then a lease (next_attempt_at
-- moved to its end, attempts + 1), so a worker killed mid-batch leaves its
-- items to come back when the lease ends.  done and failed count the
-- items finished, for the progress page.
CREATE TABLE bulk_jobs (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT UNSIGNED NOT NULL,
	action ENUM('move','reject','pool_add','job_add') NOT NULL,
	-- the page it was started from: the job of a stage tab, the pool, or
	-- none (search results)
	source_kind ENUM('stage','search','pool') NOT NULL,
	source_id BIGINT UNSIGNED NULL,
	-- move: the stage; pool_add: the pool; job_add: the job
	target_id BIGINT UNSIGNED NOT NULL,
	reason VARCHAR(40) NULL,
	note TEXT NULL,
	-- what the user read when they chose it ("Move to Screen")
	label VARCHAR(300) NOT NULL,
	return_to VARCHAR(500) NOT NULL DEFAULT '',
	remote_addr VARCHAR(64) NULL,
	total INT UNSIGNED NOT NULL DEFAULT 0,
	done INT UNSIGNED NOT NULL DEFAULT 0,
	failed INT UNSIGNED NOT NULL DEFAULT 0,
	background TINYINT(1) NOT NULL DEFAULT 0,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	finished_at DATETIME(3) NULL,
	KEY bulk_jobs_user (user_id, id),
	CONSTRAINT bulk_jobs_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE bulk_items (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	bulk_job_id BIGINT UNSIGNED NOT NULL,
	-- an application (move, reject) or a candidate (pool_add, job_add)
	entity_id BIGINT UNSIGNED NOT NULL,
	-- the application's version when the user confirmed (move, reject):
	-- a record changed since is not acted on blindly
	version BIGINT NOT NULL DEFAULT 0,
	state ENUM('pending','done','failed') NOT NULL DEFAULT 'pending',
	attempts INT NOT NULL DEFAULT 0,
	next_attempt_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	error VARCHAR(500) NULL,
	UNIQUE KEY bulk_items_entity (bulk_job_id, entity_id),
	-- the claim: due pending items, oldest first
	KEY bulk_items_due (state, next_attempt_at, id),
	KEY bulk_items_job_state (bulk_job_id, state, id),
	CONSTRAINT bulk_items_job_fk FOREIGN KEY (bulk_job_id) REFERENCES bulk_jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
