-- What a stage's count means (issue 18): the candidates "in" the stage,
-- that is its active applications plus those hired there.  A hire ends an
-- application at the job's Hired stage (status 'hired'), and a Hired tab
-- that counted active ones only said 0 while two people were hired; the
-- tab badge and the stage heading now both show active_count +
-- hired_count (src/web/jobs.c), and the heading adds how many more ended
-- there (rejected or withdrawn: total_count minus that).
--
-- job_stages.hired_count is kept like active_count (sql/080_perf_stages.sql)
-- by the same three triggers, recreated here to keep it too; a recount
-- (src/ats/erase.c) sets all three.
ALTER TABLE job_stages ADD COLUMN hired_count INT NOT NULL DEFAULT 0;

UPDATE job_stages s SET hired_count = (SELECT COUNT(*) FROM applications a WHERE a.stage_id = s.id AND a.status = 'hired');

DROP TRIGGER applications_stage_count_add;

DROP TRIGGER applications_stage_count_change;

DROP TRIGGER applications_stage_count_remove;

CREATE TRIGGER applications_stage_count_add AFTER INSERT ON applications FOR EACH ROW UPDATE job_stages SET total_count = total_count + 1, active_count = active_count + (NEW.status = 'active'), hired_count = hired_count + (NEW.status = 'hired') WHERE id = NEW.stage_id;

CREATE TRIGGER applications_stage_count_change AFTER UPDATE ON applications FOR EACH ROW UPDATE job_stages SET total_count = total_count + (id = NEW.stage_id) - (id = OLD.stage_id), active_count = active_count + (id = NEW.stage_id AND NEW.status = 'active') - (id = OLD.stage_id AND OLD.status = 'active'), hired_count = hired_count + (id = NEW.stage_id AND NEW.status = 'hired') - (id = OLD.stage_id AND OLD.status = 'hired') WHERE id IN (OLD.stage_id, NEW.stage_id) AND (OLD.stage_id <> NEW.stage_id OR OLD.status <> NEW.status);

CREATE TRIGGER applications_stage_count_remove AFTER DELETE ON applications FOR EACH ROW UPDATE job_stages SET total_count = total_count - 1, active_count = active_count - (OLD.status = 'active'), hired_count = hired_count - (OLD.status = 'hired') WHERE id = OLD.stage_id;
