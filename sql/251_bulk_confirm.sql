-- Bulk actions that cannot be taken back in one step ask first (issue 18:
-- "Hire, Reject and every delete ask for confirmation, working without
-- JavaScript"): a bulk reject, a bulk move to a Hired stage (it hires) and
-- "all N results" of a candidate search (whose count the page may give as
-- "over 10,000") are created waiting, their selection resolved and
-- counted, and /bulk/{id} asks "Reject 3 candidates?" with the exact
-- number.  Their items are held (next_attempt_at far ahead, so the worker
-- leaves them) until POST /bulk/{id}/confirm makes them due; a job left
-- unconfirmed is never run, and cannot be confirmed after an hour.
ALTER TABLE bulk_jobs ADD COLUMN awaiting_confirm TINYINT(1) NOT NULL DEFAULT 0;
