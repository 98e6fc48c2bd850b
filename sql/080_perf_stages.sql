-- The job page at scale (issue 5): a stage tab with 1,000 applications.
--
-- job_stages.active_count / total_count: how many applications are in the
-- stage (active ones, and all), so the stage tabs' exact counts are the
-- job's few stage rows instead of a GROUP BY over every application of the
-- job on each view.  Kept by the three applications_stage_count triggers
-- below, which run inside the writing statement (so inside its
-- transaction), whichever code path writes (applications.c, the demo seed,
-- bench data, tests' direct SQL).  A move updates both stage rows in one
-- statement, so their row locks are taken in primary-key order and two
-- opposite moves cannot deadlock.  Foreign-key cascades do not fire
-- triggers: no application is deleted by a cascade today (candidates and
-- jobs are not deleted; a stage only when it holds none); code that ever
-- deletes candidates must recount (the first UPDATE below).
--
-- applications.stage_since: since when the application has been in its
-- stage with its status (NULL: since it was created), which a stage tab
-- shows.  It was the latest application_events row into the stage, a
-- subquery per listed row that cost more than the rest of the list.  Every
-- change of stage or status writes such an event (applications.c), and the
-- applications_stage_since trigger sets the column in the same statement;
-- a writer that knows better (the demo seed's back-dated history) sets it
-- explicitly.
ALTER TABLE job_stages
	ADD COLUMN active_count INT NOT NULL DEFAULT 0,
	ADD COLUMN total_count INT NOT NULL DEFAULT 0;

ALTER TABLE applications ADD COLUMN stage_since DATETIME(3) NULL;

UPDATE job_stages s SET active_count = (SELECT COUNT(*) FROM applications a WHERE a.stage_id = s.id AND a.status = 'active'), total_count = (SELECT COUNT(*) FROM applications a WHERE a.stage_id = s.id);

UPDATE applications a SET stage_since = (SELECT MAX(e.at) FROM application_events e WHERE e.application_id = a.id AND e.to_stage_id = a.stage_id), updated_at = updated_at;

CREATE TRIGGER applications_stage_count_add AFTER INSERT ON applications FOR EACH ROW UPDATE job_stages SET total_count = total_count + 1, active_count = active_count + (NEW.status = 'active') WHERE id = NEW.stage_id;

CREATE TRIGGER applications_stage_count_change AFTER UPDATE ON applications FOR EACH ROW UPDATE job_stages SET total_count = total_count + (id = NEW.stage_id) - (id = OLD.stage_id), active_count = active_count + (id = NEW.stage_id AND NEW.status = 'active') - (id = OLD.stage_id AND OLD.status = 'active') WHERE id IN (OLD.stage_id, NEW.stage_id) AND (OLD.stage_id <> NEW.stage_id OR OLD.status <> NEW.status);

CREATE TRIGGER applications_stage_count_remove AFTER DELETE ON applications FOR EACH ROW UPDATE job_stages SET total_count = total_count - 1, active_count = active_count - (OLD.status = 'active') WHERE id = OLD.stage_id;

CREATE TRIGGER applications_stage_since BEFORE UPDATE ON applications FOR EACH ROW SET NEW.stage_since = IF(NEW.stage_id <> OLD.stage_id OR NEW.status <> OLD.status, NOW(3), NEW.stage_since);
