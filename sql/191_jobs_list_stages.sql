-- The jobs list shows each job's active candidates per stage (issue 18),
-- from the stage rows' counters (080_perf_stages.sql), and is kept in the
-- fragment cache under the jobs' revision (090_revisions.sql).  So a change
-- to what it shows of a stage (its active count, name, place, a stage
-- added or removed) must move that revision too.  Counts change with every
-- application written, so the number is not one hot row but 16, one per
-- job_id % 16: two writers of applications queue on it only when their
-- jobs share a shard, and a move's two stages (one job) bump one row.  The
-- lock order stays stage rows, then the revision row.  ats_jobs_revision
-- reads 'jobs' and the 16 together (their sum only grows).
INSERT INTO revisions (name, n) VALUES ('job_stages_0', 1), ('job_stages_1', 1), ('job_stages_2', 1), ('job_stages_3', 1), ('job_stages_4', 1), ('job_stages_5', 1), ('job_stages_6', 1), ('job_stages_7', 1), ('job_stages_8', 1), ('job_stages_9', 1), ('job_stages_10', 1), ('job_stages_11', 1), ('job_stages_12', 1), ('job_stages_13', 1), ('job_stages_14', 1), ('job_stages_15', 1);

CREATE TRIGGER job_stages_revision_add AFTER INSERT ON job_stages FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = CONCAT('job_stages_', NEW.job_id % 16);

CREATE TRIGGER job_stages_revision_change AFTER UPDATE ON job_stages FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = CONCAT('job_stages_', NEW.job_id % 16) AND (OLD.active_count <> NEW.active_count OR OLD.name <> NEW.name OR OLD.position <> NEW.position OR OLD.kind <> NEW.kind);

CREATE TRIGGER job_stages_revision_remove AFTER DELETE ON job_stages FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = CONCAT('job_stages_', OLD.job_id % 16);
