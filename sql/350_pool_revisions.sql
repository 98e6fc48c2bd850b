-- The forms' choices of jobs and pools (the candidate search's filters,
-- the bulk bar: src/web/offers.c) are kept in the fragment cache under
-- the sum of the 'jobs' revision (090_revisions.sql: jobs and their
-- members) and this one, bumped by any change to a pool's row.  A pool's
-- members are not among the choices, so adding to a pool bumps nothing.
INSERT INTO revisions (name, n) VALUES ('pools', 1);

CREATE TRIGGER pools_revision_add AFTER INSERT ON talent_pools FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'pools';

CREATE TRIGGER pools_revision_change AFTER UPDATE ON talent_pools FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'pools';

CREATE TRIGGER pools_revision_remove AFTER DELETE ON talent_pools FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'pools';
