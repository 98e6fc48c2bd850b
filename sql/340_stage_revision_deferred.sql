-- sql/191's stage revisions, bumped once by a writer of many applications
-- instead of once per row (issue 14's speed).  Each application a LinkedIn
-- export adds moves its stage's counts, and the trigger bumped one of the
-- 16 job_stages_<n> rows with it, held until the batch of exports
-- committed: the worker's threads queued on those rows (an INSERT's median
-- 0.12 ms, its p99 75 ms in make bench's flood).
--
-- A transaction that sets @job_stages_revision_deferred (to anything but
-- NULL) takes the bump on itself: the triggers skip it, and the writer
-- bumps one job_stages_<n> row, any one, as its last statement before the
-- commit (ats_stage_revisions_bump), so the row is locked only for the
-- commit, and the change and the bump still commit together.  One row is
-- enough: ats_jobs_revision reads the sum of them all, which any bump
-- moves.  The writer unsets the variable after its transaction whatever
-- became of it (src/ats/exports.c).  The lock order stays stage rows, then
-- the revision row.
--
-- The change trigger's condition moves into an IF, as sql/300's did: an
-- UPDATE of a stage that changes none of what the list shows runs no
-- statement.
DROP TRIGGER job_stages_revision_add;

DROP TRIGGER job_stages_revision_change;

DROP TRIGGER job_stages_revision_remove;

CREATE TRIGGER job_stages_revision_add AFTER INSERT ON job_stages FOR EACH ROW IF @job_stages_revision_deferred IS NULL THEN UPDATE revisions SET n = n + 1 WHERE name = CONCAT('job_stages_', NEW.job_id % 16); END IF;

CREATE TRIGGER job_stages_revision_change AFTER UPDATE ON job_stages FOR EACH ROW IF @job_stages_revision_deferred IS NULL AND (OLD.active_count <> NEW.active_count OR OLD.hired_count <> NEW.hired_count OR OLD.name <> NEW.name OR OLD.position <> NEW.position OR OLD.kind <> NEW.kind) THEN UPDATE revisions SET n = n + 1 WHERE name = CONCAT('job_stages_', NEW.job_id % 16); END IF;

CREATE TRIGGER job_stages_revision_remove AFTER DELETE ON job_stages FOR EACH ROW IF @job_stages_revision_deferred IS NULL THEN UPDATE revisions SET n = n + 1 WHERE name = CONCAT('job_stages_', OLD.job_id % 16); END IF;
