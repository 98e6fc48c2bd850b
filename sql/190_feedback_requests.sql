-- Each role's home (issue 18): interview feedback asked of named people,
-- structured feedback on the job's own criteria, editable until the
-- application moves on.
--
-- feedback_requests: a recruiter or hiring manager asked interviewer_id for
-- feedback on an application ("Request feedback").  It shows on the
-- interviewer's Feedback due page until they give feedback after
-- requested_at, and it lets an interviewer see an application before its
-- job's Interview stage (access.h).  Asked again, the row's requested_at
-- and requested_by move (one row per application and person).
CREATE TABLE feedback_requests (
	application_id BIGINT UNSIGNED NOT NULL,
	interviewer_id BIGINT UNSIGNED NOT NULL,
	requested_by BIGINT UNSIGNED NULL,
	requested_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	PRIMARY KEY (application_id, interviewer_id),
	KEY feedback_requests_interviewer (interviewer_id, application_id),
	CONSTRAINT feedback_requests_app_fk FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE CASCADE,
	CONSTRAINT feedback_requests_user_fk FOREIGN KEY (interviewer_id) REFERENCES users (id)
) ENGINE=InnoDB;

-- The request is in the application's history.  Appended at the end of the
-- list, which MariaDB does in place (no copy of the table).
ALTER TABLE application_events MODIFY kind ENUM('created','moved','rejected','hired','withdrawn','reopened','feedback_requested') NOT NULL;

-- The criteria a job's interviewers rate (1-5) beside their
-- recommendation, in the order the job lists them.
CREATE TABLE job_criteria (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	job_id BIGINT UNSIGNED NOT NULL,
	name VARCHAR(100) NOT NULL,
	position INT NOT NULL,
	KEY job_criteria_job (job_id, position),
	CONSTRAINT job_criteria_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One feedback's ratings, with the criterion's name as it was when rated:
-- renaming or removing a criterion later leaves given feedback as written.
CREATE TABLE feedback_ratings (
	feedback_id BIGINT UNSIGNED NOT NULL,
	position INT NOT NULL,
	criterion VARCHAR(100) NOT NULL,
	rating TINYINT UNSIGNED NOT NULL,
	PRIMARY KEY (feedback_id, position),
	CONSTRAINT feedback_ratings_feedback_fk FOREIGN KEY (feedback_id) REFERENCES interview_feedback (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- interview_feedback.rating stays the overall rating (the mean of the
-- criteria's, or the one given when the job has no criteria), which is
-- what existing feedback holds and what LinkedIn's In ATS panel gets.
-- stage_id: the stage the application was at when it was given; the
-- author may edit it while the application is still there and active.
-- Feedback given before this migration is taken as given at the stage its
-- application is at now (it was one per application, so this keeps it one,
-- and editable while the application stays there).
-- One feedback per person per application per stage (was: per
-- application), so a hiring manager who reviewed at Screen can give
-- feedback again at a later stage.
ALTER TABLE interview_feedback
	ADD COLUMN stage_id BIGINT UNSIGNED NULL,
	ADD COLUMN updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	ADD UNIQUE KEY interview_feedback_stage (application_id, interviewer_id, stage_id),
	DROP KEY interview_feedback_one;

UPDATE interview_feedback f JOIN applications ap ON ap.id = f.application_id SET f.updated_at = f.created_at, f.stage_id = ap.stage_id;
