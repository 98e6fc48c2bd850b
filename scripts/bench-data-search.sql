-- Bench data loaded before the search columns were filled (sql/200,
-- issue 18): the same words bench-data.sql now writes, written in place
-- (scripts/bench.sh runs this once when candidate 1 has no current
-- company).  Minutes at a million candidates and three million notes.
SET SESSION foreign_key_checks = 0, unique_checks = 0, sql_log_bin = 0;
SET SESSION innodb_lock_wait_timeout = 600;
source scripts/bench-words.sql
UPDATE candidates SET
	headline = CONCAT(bench_level(id), ' ', bench_skill(id), ' ', bench_role(id), ' at ', bench_company(id)),
	current_title = CONCAT(bench_level(id), ' ', bench_role(id)),
	current_company = bench_company(id)
WHERE id <= 1000000;
UPDATE notes SET body = bench_note(id) WHERE id <= 3000000;
-- An UPDATE leaves every old text's FULLTEXT entries behind, marked
-- deleted, and each search reads the whole deleted list first (300,000
-- of them made a one-word search of 300,000 notes take 90 ms more):
-- rebuild both tables, which writes their FULLTEXT indexes anew.
ALTER TABLE candidates FORCE;
ALTER TABLE notes FORCE;
ANALYZE TABLE candidates, notes;
