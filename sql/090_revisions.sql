-- Revisions: a number per kind of data, bumped by triggers inside the
-- statement (so inside the transaction) of any change to that data,
-- whichever code path or process makes it.  A page rendered from the data
-- can be kept and served again for as long as the number read before the
-- data is unchanged (src/core/fragcache.c): the check is one primary-key
-- read instead of the page's statement.
--
-- 'jobs': everything the jobs list shows or chooses by (src/web/jobs.c):
-- jobs, and job_members (who is a member decides which jobs a user sees).
-- A member change also updates jobs.member_count (060_perf_jobs.sql), so it
-- bumps the number twice; what matters is that it changes.  As there, a
-- foreign-key cascade fires no trigger: deleting a job bumps it through the
-- job's own row, and users are never deleted (code that ever does must
-- bump it).  The row is one hot counter, like job_counts': job changes
-- queue on its lock until they commit, which for a few changes a minute
-- costs nothing, and the lock order is always job row, job_counts,
-- revisions, so it adds no deadlock.  The numbers only grow: a restored
-- backup can bring back one a running hirelink has seen with other data,
-- so hirelink is restarted after a restore (README.md).
CREATE TABLE revisions (
	name VARCHAR(32) NOT NULL PRIMARY KEY,
	n BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

INSERT INTO revisions (name, n) VALUES ('jobs', 1);

CREATE TRIGGER jobs_revision_add AFTER INSERT ON jobs FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'jobs';

CREATE TRIGGER jobs_revision_change AFTER UPDATE ON jobs FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'jobs';

CREATE TRIGGER jobs_revision_remove AFTER DELETE ON jobs FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'jobs';

CREATE TRIGGER job_members_revision_add AFTER INSERT ON job_members FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'jobs';

CREATE TRIGGER job_members_revision_change AFTER UPDATE ON job_members FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'jobs';

CREATE TRIGGER job_members_revision_remove AFTER DELETE ON job_members FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'jobs';
