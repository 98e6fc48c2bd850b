-- A revision per candidate, as revisions (090_revisions.sql) keeps one for
-- all jobs: a number bumped inside the statement, so inside the
-- transaction, of any change to what the head of the candidate page shows
-- an admin or a recruiter (src/ats/candidates.c, ats_candidate_view): the
-- candidate's row, the counts of their notes (by visibility and author,
-- for the viewer's private ones) and attachments, and the pools they are
-- in, by name.  A view reads it first (a primary-key read) and serves the
-- head kept at that revision, or reads the head and keeps it.
--
-- A table of its own rather than a column of candidates: a bump leaves the
-- candidate's row (its updated_at, its own triggers) as the user left it,
-- and a note or an upload locks a small row of its own, not the row a
-- recruiter may be editing.  Every candidate has its row from the start
-- (the trigger on candidates, and the backfill below), so a bump is a
-- plain update, never an insert racing another.  Foreign-key cascades
-- fire no trigger: a pool's members go with it, so deleting a pool bumps
-- its members before they go; deleting a candidate deletes the row, and a
-- view of a candidate without one reads the head again.
CREATE TABLE candidate_revisions (
	candidate_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	n BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

INSERT INTO candidate_revisions (candidate_id, n) SELECT id, 1 FROM candidates;

CREATE TRIGGER candidates_revision_add AFTER INSERT ON candidates FOR EACH ROW INSERT INTO candidate_revisions (candidate_id, n) VALUES (NEW.id, 1);

CREATE TRIGGER candidates_revision_change AFTER UPDATE ON candidates FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id IN (OLD.id, NEW.id);

CREATE TRIGGER candidates_revision_remove AFTER DELETE ON candidates FOR EACH ROW DELETE FROM candidate_revisions WHERE candidate_id = OLD.id;

CREATE TRIGGER notes_revision_add AFTER INSERT ON notes FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id = NEW.candidate_id;

CREATE TRIGGER notes_revision_change AFTER UPDATE ON notes FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id IN (OLD.candidate_id, NEW.candidate_id);

CREATE TRIGGER notes_revision_remove AFTER DELETE ON notes FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id = OLD.candidate_id;

CREATE TRIGGER attachments_revision_add AFTER INSERT ON attachments FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id = NEW.candidate_id;

CREATE TRIGGER attachments_revision_change AFTER UPDATE ON attachments FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id IN (OLD.candidate_id, NEW.candidate_id);

CREATE TRIGGER attachments_revision_remove AFTER DELETE ON attachments FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id = OLD.candidate_id;

CREATE TRIGGER pool_members_revision_add AFTER INSERT ON pool_members FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id = NEW.candidate_id;

CREATE TRIGGER pool_members_revision_change AFTER UPDATE ON pool_members FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id IN (OLD.candidate_id, NEW.candidate_id);

CREATE TRIGGER pool_members_revision_remove AFTER DELETE ON pool_members FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id = OLD.candidate_id;

CREATE TRIGGER talent_pools_revision_change AFTER UPDATE ON talent_pools FOR EACH ROW UPDATE candidate_revisions r JOIN pool_members pm ON pm.candidate_id = r.candidate_id SET r.n = r.n + 1 WHERE pm.pool_id = NEW.id;

CREATE TRIGGER talent_pools_revision_remove BEFORE DELETE ON talent_pools FOR EACH ROW UPDATE candidate_revisions r JOIN pool_members pm ON pm.candidate_id = r.candidate_id SET r.n = r.n + 1 WHERE pm.pool_id = OLD.id;
