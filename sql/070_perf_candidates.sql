-- Candidate search at scale (issue 5): the first-name branch of a search
-- reads its page straight from an index in (first_name, last_name, id)
-- order, as the last-name branch does from candidates_last_first, so a
-- prefix that matches tens of thousands of candidates still reads only
-- the rows of the page (see ats_candidates_search and tests/bench/README.md).
-- The new index begins with first_name, so it also serves every lookup the
-- old one-column index did.
ALTER TABLE candidates
	ADD INDEX candidates_first_last (first_name, last_name),
	DROP INDEX candidates_first,
	ALGORITHM = INPLACE, LOCK = NONE;
