-- The candidate's LinkedIn tab (issue 15, F8): which LinkedIn member a
-- candidate is, as users decided it and as LinkedIn's match query last
-- answered, so that the tab renders from here at once and never waits for
-- LinkedIn.  One row per candidate that has been looked at or linked.
--
-- The link itself is candidates.linkedin_member_id (unique: one candidate
-- per member; an export sets it too).  link_manual says a user chose that
-- member (Link), so the tab shows it whatever the matching rules say;
-- link_by/link_at say who last linked or unlinked, and when.
-- sent_member is what LinkedIn holds as the candidate's manualMatchedMember
-- (NULL: nothing), written by the worker's "candidate_link" sender after
-- LinkedIn took it.
--
-- The match (the worker's "candidate_match" sender, GET
-- /v2/atsCandidates?q=memberMatches, which stores nothing at LinkedIn):
--   match_key      SHA-256 (hex) of what it asked with (names, email, phone,
--                  URL, title, company, member): a candidate whose data
--                  changed since has a stale answer
--   match_rule     1: the member of linkedin_member_id with a matching email;
--                  2: possible members (match_elements); 3: none
--   match_member   rule 1's member id
--   match_elements the answer's elements as hirelink keeps them (JSON array
--                  of {member, firstName, lastName, headline, location,
--                  publicProfileUrl, emailMatched, memberMatched, matchedOn};
--                  LinkedIn never gives a member's email, so none is here)
--   matched_at     when LinkedIn answered
CREATE TABLE linkedin_candidates (
	candidate_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	link_manual TINYINT(1) NOT NULL DEFAULT 0,
	link_by BIGINT UNSIGNED NULL,
	link_at DATETIME(3) NULL,
	sent_member VARCHAR(64) NULL,
	sent_at DATETIME(3) NULL,
	match_key CHAR(64) NULL,
	match_rule TINYINT NULL,
	match_member VARCHAR(64) NULL,
	match_elements MEDIUMTEXT NULL,
	match_total INT NOT NULL DEFAULT 0,
	matched_at DATETIME(3) NULL,
	CONSTRAINT linkedin_candidates_candidate_fk FOREIGN KEY (candidate_id)
		REFERENCES candidates (id) ON DELETE CASCADE,
	CONSTRAINT linkedin_candidates_by_fk FOREIGN KEY (link_by)
		REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
