-- The outbox (src/ats/outbox.c): one row per entity (kind, entity_id) whose
-- change must reach LinkedIn, written by src/ats/ in the change's own
-- transaction and deleted by the worker (src/linkedin/worker.c) once
-- LinkedIn has it.  The worker reads the entity's current state when it
-- sends, so one row stands for every change since the last send.
--
-- generation counts the marks: a send completes (deletes the row) only
-- when no mark came in while it was under way.  next_attempt_at is when
-- the row is due: now after a mark, later after a failure (backoff), or
-- the end of the lease while a worker sends it (leased_until, so that a
-- mark during a send does not make it due before that send is over, and a
-- killed worker's rows come back when the lease ends).  A row that failed
-- worker_max_attempts times, or failed for good, is 'dead' until an admin
-- retries it.
CREATE TABLE outbox (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	kind VARCHAR(32) NOT NULL,
	entity_id BIGINT UNSIGNED NOT NULL,
	tombstone TINYINT(1) NOT NULL DEFAULT 0,
	generation INT UNSIGNED NOT NULL DEFAULT 1,
	state ENUM('pending','dead') NOT NULL DEFAULT 'pending',
	attempts INT NOT NULL DEFAULT 0,
	next_attempt_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	leased_until DATETIME(3) NULL,
	last_error VARCHAR(500) NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	last_attempt_at DATETIME(3) NULL,
	UNIQUE KEY outbox_entity (kind, entity_id),
	-- the claim: due pending rows of one kind, oldest first
	KEY outbox_due (state, kind, next_attempt_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
