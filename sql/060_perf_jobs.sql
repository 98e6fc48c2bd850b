-- Performance of the jobs list and the job page at scale (issue 5).
--
-- jobs.member_count: the number of job_members rows of the job, so that
-- "unassigned" (visible to every recruiter, access.h) is an indexed
-- equality (member_count = 0) instead of a NOT EXISTS probe per job, and
-- the jobs list and its count read an index range.  It is kept by the two
-- triggers below, which run inside the statement (so inside the
-- transaction) that adds or removes a member, whichever code path does it
-- (ats_job_member_set/_remove, the demo seed, tests' direct SQL); the row
-- lock they take on jobs serialises concurrent member changes of one job.
-- jobs_members serves "unassigned, newest first" (status in it, so a
-- status condition is checked in the index), jobs_members_status the same
-- for one status.  updated_at = updated_at keeps a member change from
-- touching the job's "updated" date, as before.  Foreign-key cascades do
-- not fire triggers: deleting a job takes its members with it (nothing to
-- keep), and users are never deleted (they are deactivated); code that ever
-- deletes users must recount member_count and job_counts (the UPDATEs
-- below).
ALTER TABLE jobs
	ADD COLUMN member_count INT NOT NULL DEFAULT 0,
	ADD KEY jobs_members (member_count, id, status),
	ADD KEY jobs_members_status (member_count, status, id);

UPDATE jobs j SET member_count = (SELECT COUNT(*) FROM job_members jm WHERE jm.job_id = j.id), updated_at = updated_at;

CREATE TRIGGER job_members_count_add AFTER INSERT ON job_members FOR EACH ROW UPDATE jobs SET member_count = member_count + 1, updated_at = updated_at WHERE id = NEW.job_id;

CREATE TRIGGER job_members_count_remove AFTER DELETE ON job_members FOR EACH ROW UPDATE jobs SET member_count = member_count - 1, updated_at = updated_at WHERE id = OLD.job_id;

-- job_counts: how many jobs there are per status, unassigned or not, so the
-- list's total is exact without counting 10,000+ index entries per request
-- (a covering-index COUNT costs ~0.3 us a row): an admin's total is the sum
-- of the rows, a recruiter's is the unassigned rows plus their own member
-- jobs.  Kept by the triggers on jobs below (insert, delete, and an update
-- that changes the status or the unassigned-ness, which the member triggers
-- above cause), inside the writing statement's transaction.  Its status
-- ENUM is jobs.status's: a new job status needs its two rows here.
CREATE TABLE job_counts (
	status ENUM('draft','active','closed') NOT NULL,
	unassigned TINYINT(1) NOT NULL,
	n INT NOT NULL DEFAULT 0,
	PRIMARY KEY (status, unassigned)
) ENGINE=InnoDB;

INSERT INTO job_counts (status, unassigned) VALUES ('draft', 0), ('draft', 1), ('active', 0), ('active', 1), ('closed', 0), ('closed', 1);

UPDATE job_counts c SET n = (SELECT COUNT(*) FROM jobs j WHERE j.status = c.status AND (j.member_count = 0) = c.unassigned);

CREATE TRIGGER jobs_count_add AFTER INSERT ON jobs FOR EACH ROW UPDATE job_counts SET n = n + 1 WHERE status = NEW.status AND unassigned = (NEW.member_count = 0);

CREATE TRIGGER jobs_count_change AFTER UPDATE ON jobs FOR EACH ROW UPDATE job_counts SET n = n + IF(status = NEW.status AND unassigned = (NEW.member_count = 0), 1, -1) WHERE (OLD.status <> NEW.status OR (OLD.member_count = 0) <> (NEW.member_count = 0)) AND ((status = OLD.status AND unassigned = (OLD.member_count = 0)) OR (status = NEW.status AND unassigned = (NEW.member_count = 0)));

CREATE TRIGGER jobs_count_remove AFTER DELETE ON jobs FOR EACH ROW UPDATE job_counts SET n = n - 1 WHERE status = OLD.status AND unassigned = (OLD.member_count = 0);

-- A stage tab: its applications, active first then the others, each in id
-- order, read as two ranges of this index (status = 'active' / <> 'active',
-- the primary key id implicitly last); and the job's per-stage counts
-- (active and all) as one GROUP BY scanning it, without touching rows.
ALTER TABLE applications ADD KEY applications_job_stage_status (job_id, stage_id, status);
