-- The Recruiting activities tab's rejections under the candidate's own
-- revision (candidate_revisions), like its InMail activity and Recruiter
-- notes (139_activity_revisions.sql): until now each view read the newest
-- rejection's event id itself, two more tables in the statement every view
-- runs (what a statement costs MariaDB is mostly the tables it opens).  A
-- rejection written, changed or removed bumps its candidate's revision, and
-- so does an application whose reason, job or candidate changes, or that
-- goes (its events go with it by cascade, which fires no trigger).  A job
-- deleted takes its applications by cascade too: the 'jobs' revision, in
-- the tab's tag, changes then.
CREATE TRIGGER application_events_rejection_add AFTER INSERT ON application_events FOR EACH ROW UPDATE candidate_revisions r JOIN applications ap ON ap.candidate_id = r.candidate_id SET r.n = r.n + 1 WHERE ap.id = NEW.application_id AND NEW.kind = 'rejected';

CREATE TRIGGER application_events_rejection_change AFTER UPDATE ON application_events FOR EACH ROW UPDATE candidate_revisions r JOIN applications ap ON ap.candidate_id = r.candidate_id SET r.n = r.n + 1 WHERE ap.id IN (OLD.application_id, NEW.application_id) AND 'rejected' IN (OLD.kind, NEW.kind);

CREATE TRIGGER application_events_rejection_remove AFTER DELETE ON application_events FOR EACH ROW UPDATE candidate_revisions r JOIN applications ap ON ap.candidate_id = r.candidate_id SET r.n = r.n + 1 WHERE ap.id = OLD.application_id AND OLD.kind = 'rejected';

CREATE TRIGGER applications_rejection_revision_change AFTER UPDATE ON applications FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id IN (OLD.candidate_id, NEW.candidate_id) AND NOT (OLD.rejection_reason <=> NEW.rejection_reason AND OLD.job_id <=> NEW.job_id AND OLD.candidate_id <=> NEW.candidate_id);

CREATE TRIGGER applications_rejection_revision_remove AFTER DELETE ON applications FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id = OLD.candidate_id;
