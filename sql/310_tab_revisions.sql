-- The candidate's LinkedIn and Recruiting activities tabs kept whole
-- between views (src/web/candidate_tabs.c; fragcache.c says why a kept
-- fragment is never stale): a view reads the revisions below, the
-- candidate's and the viewer's, in one statement of primary-key reads, and
-- serves the body kept at them.  Beside what 100/139/270 bump already:
--
--   the candidate's LinkedIn record (linkedin_candidates: the match, who
--     linked it) bumps the candidate's revision, as its notes do; not
--     viewed_at alone, which the tab itself writes once a minute (what is
--     viewed is the worker's business, not the page's);
--   the viewer's LinkedIn state, one revision per hirelink user in
--     revisions ('li_viewer <user id>', made at its first bump): their
--     connection (connected, reconnect, seat), and their seat's reading
--     (li_seats: last poll, last error, the refresh a view asked for).
--     Not next_poll_at or the cursors alone, which no page shows.
--
-- The tab's two outbox rows (the match asked again, the link being sent)
-- are read by the view itself, by their unique key: a trigger on outbox
-- would cost every export a table more.
CREATE TRIGGER linkedin_candidates_revision_add AFTER INSERT ON linkedin_candidates FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id = NEW.candidate_id;

CREATE TRIGGER linkedin_candidates_revision_change AFTER UPDATE ON linkedin_candidates FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id IN (OLD.candidate_id, NEW.candidate_id) AND NOT (OLD.candidate_id <=> NEW.candidate_id AND OLD.link_manual <=> NEW.link_manual AND OLD.link_by <=> NEW.link_by AND OLD.link_at <=> NEW.link_at AND OLD.sent_member <=> NEW.sent_member AND OLD.sent_at <=> NEW.sent_at AND OLD.match_key <=> NEW.match_key AND OLD.match_rule <=> NEW.match_rule AND OLD.match_member <=> NEW.match_member AND OLD.match_elements <=> NEW.match_elements AND OLD.match_total <=> NEW.match_total AND OLD.matched_at <=> NEW.matched_at);

CREATE TRIGGER linkedin_candidates_revision_remove AFTER DELETE ON linkedin_candidates FOR EACH ROW UPDATE candidate_revisions SET n = n + 1 WHERE candidate_id = OLD.candidate_id;

CREATE TRIGGER li_connections_viewer_add AFTER INSERT ON linkedin_connections FOR EACH ROW INSERT INTO revisions (name, n) VALUES (CONCAT('li_viewer ', NEW.user_id), 1) ON DUPLICATE KEY UPDATE n = n + 1;

CREATE TRIGGER li_connections_viewer_change AFTER UPDATE ON linkedin_connections FOR EACH ROW INSERT INTO revisions (name, n) SELECT CONCAT('li_viewer ', u), 1 FROM (SELECT OLD.user_id AS u UNION SELECT NEW.user_id) v ON DUPLICATE KEY UPDATE n = n + 1;

CREATE TRIGGER li_connections_viewer_remove AFTER DELETE ON linkedin_connections FOR EACH ROW INSERT INTO revisions (name, n) VALUES (CONCAT('li_viewer ', OLD.user_id), 1) ON DUPLICATE KEY UPDATE n = n + 1;

CREATE TRIGGER li_seats_viewer_add AFTER INSERT ON li_seats FOR EACH ROW INSERT INTO revisions (name, n) SELECT CONCAT('li_viewer ', c.user_id), 1 FROM linkedin_connections c WHERE c.seat_urn = NEW.seat_urn ON DUPLICATE KEY UPDATE n = n + 1;

CREATE TRIGGER li_seats_viewer_change AFTER UPDATE ON li_seats FOR EACH ROW INSERT INTO revisions (name, n) SELECT CONCAT('li_viewer ', c.user_id), 1 FROM linkedin_connections c WHERE c.seat_urn IN (OLD.seat_urn, NEW.seat_urn) AND NOT (OLD.seat_urn <=> NEW.seat_urn AND OLD.seat_type <=> NEW.seat_type AND OLD.active <=> NEW.active AND OLD.polled_at <=> NEW.polled_at AND OLD.refresh_asked_at <=> NEW.refresh_asked_at AND OLD.last_error <=> NEW.last_error AND OLD.last_error_at <=> NEW.last_error_at) ON DUPLICATE KEY UPDATE n = n + 1;

CREATE TRIGGER li_seats_viewer_remove AFTER DELETE ON li_seats FOR EACH ROW INSERT INTO revisions (name, n) SELECT CONCAT('li_viewer ', c.user_id), 1 FROM linkedin_connections c WHERE c.seat_urn = OLD.seat_urn ON DUPLICATE KEY UPDATE n = n + 1;
