-- Candidate search that finds people (issue 18): words of the headline,
-- the current title and company and the location, and words of the notes,
-- found through InnoDB FULLTEXT indexes (MATCH ... AGAINST in BOOLEAN MODE,
-- src/ats/search.c) next to the name, email and phone prefix search of
-- sql/070.  Tokens are words of at least innodb_ft_min_token_size (3)
-- characters, InnoDB's default stopwords left out; search.c drops the words
-- the index cannot hold from the query rather than let them match nothing.
--
-- The filters of the candidates list: the date a candidate was added
-- (candidates_created), and the source (candidates_source).  A job, stage
-- or pool filter reads applications_job_stage / pool_members by their keys.
--
-- Cost: the first FULLTEXT index of a table adds InnoDB's hidden
-- FTS_DOC_ID column, so the table is rebuilt (ALGORITHM=INPLACE with a
-- shared lock: reads go on, writes wait).  On the demo data (300
-- candidates, ~1,000 notes) well under a second.  Measured on 100,000
-- candidates and 300,000 notes on the shared 2-core machine (load 12-17):
-- 6 s for candidates_words, 16 s for notes_words; at a million candidates
-- and three million notes expect a few minutes each: run it off-hours
-- (tests/bench/README.md, "Candidate search: words and filters").
ALTER TABLE candidates
	ADD FULLTEXT INDEX candidates_words (headline, current_title, current_company, location);
ALTER TABLE candidates
	ADD INDEX candidates_created (created_at, id),
	ADD INDEX candidates_source (source, created_at),
	ALGORITHM = INPLACE, LOCK = NONE;
ALTER TABLE notes
	ADD FULLTEXT INDEX notes_words (body);
