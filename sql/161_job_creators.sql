-- The recruiter who creates a job is its recruiter member from then on
-- (src/ats/jobs.c): before, a job stayed unassigned (every recruiter's)
-- until someone added a member, and a recruiter who added one made only
-- themselves a member, locking the job's creator out.  Existing jobs get
-- their creator as a recruiter member when the creator is a recruiter and
-- is not a member, unless the job's history shows the creator removed by
-- hand (job.member_remove "user N"): that was someone's decision.
-- The members are a job's ACL at LinkedIn, so each job that gains one is
-- marked for the worker as ats_job_member_set marks it (outbox.c's mark).
CREATE TEMPORARY TABLE creator_joins AS
SELECT j.id AS job_id, j.created_by AS user_id FROM jobs j
JOIN users u ON u.id = j.created_by AND u.role = 'recruiter'
WHERE NOT EXISTS (SELECT 1 FROM job_members m WHERE m.job_id = j.id AND m.user_id = j.created_by)
AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.entity = 'job' AND l.entity_id = j.id AND l.action = 'job.member_remove' AND l.detail = CONCAT('user ', j.created_by));

INSERT INTO job_members (job_id, user_id, role) SELECT job_id, user_id, 'recruiter' FROM creator_joins;

INSERT INTO audit_log (user_id, action, entity, entity_id, detail) SELECT NULL, 'job.member_add', 'job', job_id, CONCAT('user ', user_id, ' recruiter (the job''s creator, migration 161)') FROM creator_joins;

INSERT INTO outbox (kind, entity_id) SELECT 'job', job_id FROM creator_joins ON DUPLICATE KEY UPDATE generation = generation + 1, state = 'pending', attempts = 0, next_attempt_at = IF(leased_until > NOW(3), leased_until, NOW(3));

DROP TEMPORARY TABLE creator_joins;
