-- Deterministic bench data for `make bench`: 1,000,000 candidates, 20,000
-- jobs (5 stages each), 2,000,000 applications with stage history,
-- 3,000,000 notes, 200,000 interview feedback entries, 50 pools.
--
-- Everything is computed inside MariaDB from its sequence tables
-- (seq_1_to_N) with fixed arithmetic "hashes", so a run is the same every
-- time and no data crosses the client connection.  Special rows the bench
-- asks for:
--   job 1           1,000 applications at Prospect (on top of its share)
--   candidate 1     5 applications and 20 notes
--   pool 2          10,000 members
--   user bench@bench.hirelink.test, a recruiter (password set by bench.sh)
SET SESSION foreign_key_checks = 0, unique_checks = 0, sql_log_bin = 0;
SET SESSION innodb_lock_wait_timeout = 600;
-- the words of the search columns (headline, current title and company,
-- notes): functions bench_skill, bench_role ... of scripts/bench-words.sql
source scripts/bench-words.sql

SET @first = 'Ada,Alan,Alice,Amir,Ana,Ben,Bo,Carla,Chen,Dana,David,Elena,Emil,Eva,Farah,Felix,Grace,Hana,Hugo,Ines,Ivan,Jana,Jonas,Julia,Kai,Karin,Lars,Lea,Leo,Lina,Luca,Maja,Marco,Maria,Mia,Nico,Nina,Omar,Paula,Pedro,Rita,Rosa,Sami,Sara,Sofia,Tom,Uma,Vera,Yusuf,Zoe';
SET @last = 'Adams,Bauer,Berg,Costa,Dias,Eriksen,Fischer,Garcia,Hansen,Ito,Jansen,Kim,Kowalski,Lopez,Martin,Meyer,Moreau,Nagy,Novak,Olsen,Park,Petrov,Quinn,Rossi,Schmidt,Silva,Smith,Tanaka,Vargas,Weber,Wong,Young,Zhang,Okafor,Haddad,Murphy,Lind,Horvat,Popescu,Yilmaz,Nowak,Santos,Keller,Dubois,Sato,Khan,Ali,Brown,Clark,Evans';
SET @titles = 'Backend Engineer,Frontend Engineer,Data Engineer,Product Manager,Designer,SRE,Security Engineer,Recruiter,Sales Engineer,QA Engineer';
SET @cities = 'Berlin,London,Paris,Madrid,Lisbon,Dublin,Warsaw,Remote,Amsterdam,Vienna';
-- Jobs' locations in the form LinkedIn's Sync Jobs takes ("City, Region";
-- README, "Job locations"), so that the job sync's bench sends them all.
SET @job_cities = 'Berlin, Germany;London, United Kingdom;Paris, France;Madrid, Spain;Lisbon, Portugal;Dublin, Ireland;Warsaw, Poland;Remote, Germany;Amsterdam, Netherlands;Vienna, Austria';

INSERT INTO users (id, email, name, password_hash, role, seat)
SELECT 1000 + seq, CONCAT('staff', seq, '@bench.hirelink.test'), CONCAT('Staff ', seq),
       '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hzYWx0YmVuY2hzYQ$0000000000000000000000000000000000000000000',
       ELT(1 + seq % 3, 'recruiter', 'hiring_manager', 'interviewer'), 'none'
FROM seq_1_to_200;

INSERT INTO jobs (id, title, location, description, status, created_by, listed_at)
SELECT seq,
       CONCAT(SUBSTRING_INDEX(SUBSTRING_INDEX(@titles, ',', 1 + seq % 10), ',', -1), ' ', seq),
       SUBSTRING_INDEX(SUBSTRING_INDEX(@job_cities, ';', 1 + (seq * 7) % 10), ';', -1),
       CONCAT('Bench job ', seq, '. We are hiring.'),
       ELT(1 + seq % 5, 'active', 'active', 'active', 'draft', 'closed'), NULL,
       IF(seq % 5 = 3, NULL, NOW(3))
FROM seq_1_to_20000;

INSERT INTO job_stages (id, job_id, name, kind, position)
SELECT (j.seq - 1) * 5 + s.seq, j.seq,
       ELT(s.seq, 'Prospect', 'Screen', 'Interview', 'Offer', 'Hired'),
       ELT(s.seq, 'prospect', 'screen', 'interview', 'offer', 'hired'), s.seq
FROM seq_1_to_20000 j JOIN seq_1_to_5 s;

-- Half of the jobs have members: a recruiter, a hiring manager and an
-- interviewer from the staff (staff 1000+3k are recruiters, 1000+3k+1
-- hiring managers, 1000+3k+2 interviewers); the other half are unassigned.
INSERT INTO job_members (job_id, user_id, role)
SELECT j.seq, 1000 + 3 * (1 + j.seq % 66) + (r.seq - 1),
       ELT(r.seq, 'recruiter', 'hiring_manager', 'interviewer')
FROM seq_1_to_20000 j JOIN seq_1_to_3 r
WHERE j.seq % 2 = 0;

INSERT INTO candidates (id, first_name, last_name, email, phone, phone_digits, headline, location, source,
	current_title, current_company)
SELECT seq,
       SUBSTRING_INDEX(SUBSTRING_INDEX(@first, ',', 1 + (seq * 7919) % 50), ',', -1),
       SUBSTRING_INDEX(SUBSTRING_INDEX(@last, ',', 1 + (seq * 104729) % 50), ',', -1),
       CONCAT('c', seq, '@example.com'),
       CONCAT('+49 30 ', LPAD(seq, 7, '0')), CONCAT('4930', LPAD(seq, 7, '0')),
       CONCAT(bench_level(seq), ' ', bench_skill(seq), ' ', bench_role(seq), ' at ', bench_company(seq)),
       SUBSTRING_INDEX(SUBSTRING_INDEX(@cities, ',', 1 + (seq * 3) % 10), ',', -1),
       ELT(1 + seq % 4, 'linkedin', 'referral', 'website', 'agency'),
       CONCAT(bench_level(seq), ' ', bench_role(seq)), bench_company(seq)
FROM seq_1_to_1000000;

-- Two applications per candidate, on jobs 10,007 apart (never the same job).
INSERT INTO applications (id, job_id, candidate_id, stage_id, status, version)
SELECT seq,
       1 + ((seq * 7919) + IF(seq > 1000000, 10007, 0)) % 20000,
       1 + (seq - 1) % 1000000,
       ((((seq * 7919) + IF(seq > 1000000, 10007, 0)) % 20000)) * 5 + 1 + seq % 5,
       IF(seq % 17 = 0, 'rejected', 'active'), 1
FROM seq_1_to_2000000;

-- Job 1's Prospect tab holds 1,000 more; candidate 1 gets 3 more (5 in all).
INSERT IGNORE INTO applications (id, job_id, candidate_id, stage_id, status, version)
SELECT 2000000 + seq, 1, 500000 + seq * 7, 1, 'active', 1 FROM seq_1_to_1000;
INSERT IGNORE INTO applications (id, job_id, candidate_id, stage_id, status, version)
SELECT 2001000 + seq, 100 + seq, 1, (100 + seq - 1) * 5 + 2, 'active', 1 FROM seq_1_to_3;

-- History: every application was created at Prospect; those past it moved.
INSERT INTO application_events (application_id, user_id, kind, from_stage_id, to_stage_id)
SELECT id, 1001, 'created', NULL, (job_id - 1) * 5 + 1 FROM applications;
INSERT INTO application_events (application_id, user_id, kind, from_stage_id, to_stage_id)
SELECT id, 1002, 'moved', (job_id - 1) * 5 + 1, stage_id FROM applications
WHERE stage_id <> (job_id - 1) * 5 + 1;

INSERT INTO notes (candidate_id, author_id, body, visibility)
SELECT 2 + (seq * 31) % 999999, 1001 + seq % 200,
       bench_note(seq), IF(seq % 3 = 0, 'public', 'private')
FROM seq_1_to_3000000;
INSERT INTO notes (candidate_id, author_id, body, visibility)
SELECT 1, 1001 + seq % 3, CONCAT('Note ', seq, ' on the bench candidate.'),
       IF(seq % 2 = 0, 'public', 'private')
FROM seq_1_to_20;

INSERT INTO interview_feedback (application_id, interviewer_id, rating, recommendation, body)
SELECT seq * 10, 1002 + (seq % 66) * 3, 1 + seq % 5,
       ELT(1 + seq % 4, 'strong_no', 'no', 'yes', 'strong_yes'),
       CONCAT('Feedback ', seq, ': solid fundamentals.')
FROM seq_1_to_200000;

INSERT INTO talent_pools (id, name, kind)
SELECT 1 + seq, CONCAT('Bench pool ', seq), 'user' FROM seq_1_to_50;
INSERT INTO pool_members (pool_id, candidate_id)
SELECT 2, seq * 97 FROM seq_1_to_10000;
INSERT IGNORE INTO pool_members (pool_id, candidate_id)
SELECT 2 + p.seq, 1 + (p.seq * 7 + m.seq * 1009) % 1000000
FROM seq_1_to_49 p JOIN seq_1_to_200 m;

-- The FULLTEXT indexes (sql/200) took the rows in pieces, as InnoDB's
-- FULLTEXT cache filled and was written out: rebuilt, each word's list is
-- one piece, as on an organisation's data that OPTIMIZE TABLE keeps so.
ALTER TABLE candidates FORCE;
ALTER TABLE notes FORCE;
ANALYZE TABLE jobs, job_stages, job_members, candidates, applications,
	application_events, notes, interview_feedback, pool_members;
