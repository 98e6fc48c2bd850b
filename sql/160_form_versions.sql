-- A version on the rows users edit in a form (jobs, candidates), as
-- applications have one (002_ats.sql): the form carries the version it
-- was read at, and the edit's UPDATE only takes when the row is still at
-- it ("AND version = ?"), so a stale form is refused (409, both values
-- shown) instead of silently overwriting another user's change.  Only the
-- form edits bump it (src/ats/jobs.c, candidates.c): a status change, a
-- count kept by a trigger or a LinkedIn match does not touch the form's
-- fields and must not make an open form stale.
ALTER TABLE jobs ADD COLUMN version INT UNSIGNED NOT NULL DEFAULT 1;
ALTER TABLE candidates ADD COLUMN version INT UNSIGNED NOT NULL DEFAULT 1;
