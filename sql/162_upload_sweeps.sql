-- What the sweeps of data_dir removed (src/ats/attachments.c,
-- ats_uploads_sweep: the responder at start, the worker on a schedule),
-- summed over every process, for /metrics (hirelink_uploads_swept_total).
-- The sweep asks, for each stored file, whether an attachment names its
-- SHA-256: the index keeps that a lookup, not a scan per file.
CREATE TABLE upload_sweeps (
	kind VARCHAR(16) NOT NULL PRIMARY KEY,
	n BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB;

ALTER TABLE attachments ADD KEY attachments_sha256 (sha256);
