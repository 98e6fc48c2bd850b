-- The jobs list counts a stage as the job page does: its active
-- applications and those hired there (sql/170's hired_count), so the kept
-- list (src/web/jobs.c, sql/191's revisions) must move when hired_count
-- does too: an erased or undone hire changes hired_count alone.
DROP TRIGGER job_stages_revision_change;

CREATE TRIGGER job_stages_revision_change AFTER UPDATE ON job_stages FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = CONCAT('job_stages_', NEW.job_id % 16) AND (OLD.active_count <> NEW.active_count OR OLD.hired_count <> NEW.hired_count OR OLD.name <> NEW.name OR OLD.position <> NEW.position OR OLD.kind <> NEW.kind);
