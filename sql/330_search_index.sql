-- The candidate search's word index (src/ats/search_index.c): which
-- candidates hold each word, read by the search in place of the FULLTEXT
-- search of sql/200 for admins and recruiters (the job, pool and
-- hiring-manager searches read bounded sets and keep FULLTEXT).
--
-- search_postings: for each term and each block of 65,536 candidate ids,
--   the candidates of the block holding it: offsets in the block, a sorted
--   array of 16-bit numbers under 4,096 of them, else a bitmap of 8 KiB.
--   owner 0: the words of the name, email, headline, current title and
--   company, location and public notes, and the filters as terms ('#s'
--   the source, '#y', '#m', '#d' the year, month and day added); owner U:
--   the words of user U's private notes, read only for U.
-- search_docs: each candidate's terms per owner as last indexed
--   (COMPRESSed, one a line), so a change takes out what is no longer there.
-- search_dirty: candidates changed since they were indexed, written by the
--   triggers below in the writer's transaction; the search reads these
--   candidates themselves, and the worker's search fold thread indexes
--   them (then deletes the rows) in batches, off the outbox's loop.
-- search_state: built (0 while `hirelink.fcgi search-index-build` runs or
--   before it ran: the search then uses FULLTEXT) and rev, bumped by each
--   fold and build (the responder's cache of postings is valid at one rev).
CREATE TABLE search_postings (
	owner BIGINT UNSIGNED NOT NULL,
	term VARBINARY(400) NOT NULL,
	block INT UNSIGNED NOT NULL,
	n INT UNSIGNED NOT NULL,
	ids BLOB NOT NULL,
	PRIMARY KEY (owner, term, block)
) ENGINE=InnoDB;

CREATE TABLE search_docs (
	candidate_id BIGINT UNSIGNED NOT NULL,
	owner BIGINT UNSIGNED NOT NULL,
	terms MEDIUMBLOB NOT NULL,
	PRIMARY KEY (candidate_id, owner)
) ENGINE=InnoDB;

CREATE TABLE search_dirty (
	seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	candidate_id BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

CREATE TABLE search_state (
	id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	built TINYINT NOT NULL DEFAULT 0,
	rev BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB;

INSERT INTO search_state (id, built, rev) VALUES (1, 0, 0);

CREATE TRIGGER candidates_search_add AFTER INSERT ON candidates FOR EACH ROW INSERT INTO search_dirty (candidate_id) VALUES (NEW.id);

CREATE TRIGGER candidates_search_change AFTER UPDATE ON candidates FOR EACH ROW INSERT INTO search_dirty (candidate_id) SELECT NEW.id FROM DUAL WHERE NOT (OLD.first_name <=> NEW.first_name AND OLD.last_name <=> NEW.last_name AND OLD.email <=> NEW.email AND OLD.headline <=> NEW.headline AND OLD.current_title <=> NEW.current_title AND OLD.current_company <=> NEW.current_company AND OLD.location <=> NEW.location AND OLD.source <=> NEW.source AND OLD.created_at <=> NEW.created_at);

CREATE TRIGGER candidates_search_remove AFTER DELETE ON candidates FOR EACH ROW INSERT INTO search_dirty (candidate_id) VALUES (OLD.id);

CREATE TRIGGER notes_search_add AFTER INSERT ON notes FOR EACH ROW INSERT INTO search_dirty (candidate_id) VALUES (NEW.candidate_id);

CREATE TRIGGER notes_search_change AFTER UPDATE ON notes FOR EACH ROW INSERT INTO search_dirty (candidate_id) SELECT DISTINCT c FROM (SELECT OLD.candidate_id AS c UNION SELECT NEW.candidate_id) v WHERE NOT (OLD.candidate_id <=> NEW.candidate_id AND OLD.author_id <=> NEW.author_id AND OLD.visibility <=> NEW.visibility AND OLD.body <=> NEW.body);

CREATE TRIGGER notes_search_remove AFTER DELETE ON notes FOR EACH ROW INSERT INTO search_dirty (candidate_id) VALUES (OLD.candidate_id);
