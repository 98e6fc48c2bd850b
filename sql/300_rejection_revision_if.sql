-- sql/270's revision bump for a rejection written, made to run only for
-- one (issue 14's speed): every application event (a LinkedIn export's
-- 'created' among them) ran a two-table UPDATE whose WHERE said no, about
-- 8 us of MariaDB a row; the IF skips the statement itself.
DROP TRIGGER application_events_rejection_add;

CREATE TRIGGER application_events_rejection_add AFTER INSERT ON application_events FOR EACH ROW IF NEW.kind = 'rejected' THEN UPDATE candidate_revisions r JOIN applications ap ON ap.candidate_id = r.candidate_id SET r.n = r.n + 1 WHERE ap.id = NEW.application_id; END IF;
