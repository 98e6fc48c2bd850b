-- What the Recruiting activities tab shows, under revisions, so that its
-- list is kept between views like the head of the candidate page
-- (src/web/candidate_activities.c; fragcache.c says why a kept fragment is
-- never stale).  The tab's list of a candidate for a viewer is:
--   the prospect's InMail activity and Recruiter notes (li_inmail_activity,
--     li_recruiter_notes): each change bumps the candidate's revision
--     (candidate_revisions, 100_candidate_revisions.sql), the candidate
--     being the one linked to that member (candidates.linkedin_member_id,
--     unique; linking another member is a change of the candidate, which
--     bumps it too);
--   who holds each seat and which hirelink user connected as them
--     (li_seats, linkedin_connections, users' names): the revision
--     'li_people', one for everybody;
--   the candidate's rejections, in the jobs the viewer sees: the 'jobs'
--     revision (titles, members) and the newest rejection's event id, read
--     by the view itself (an application's events are only ever added).
-- A prospect no candidate is linked to bumps nothing (the UPDATE finds no
-- row).
CREATE TRIGGER li_inmail_revision_add AFTER INSERT ON li_inmail_activity FOR EACH ROW UPDATE candidate_revisions r JOIN candidates c ON c.id = r.candidate_id SET r.n = r.n + 1 WHERE c.linkedin_member_id = NEW.prospect_member_id;

CREATE TRIGGER li_inmail_revision_change AFTER UPDATE ON li_inmail_activity FOR EACH ROW UPDATE candidate_revisions r JOIN candidates c ON c.id = r.candidate_id SET r.n = r.n + 1 WHERE c.linkedin_member_id IN (OLD.prospect_member_id, NEW.prospect_member_id);

CREATE TRIGGER li_inmail_revision_remove AFTER DELETE ON li_inmail_activity FOR EACH ROW UPDATE candidate_revisions r JOIN candidates c ON c.id = r.candidate_id SET r.n = r.n + 1 WHERE c.linkedin_member_id = OLD.prospect_member_id;

CREATE TRIGGER li_notes_revision_add AFTER INSERT ON li_recruiter_notes FOR EACH ROW UPDATE candidate_revisions r JOIN candidates c ON c.id = r.candidate_id SET r.n = r.n + 1 WHERE c.linkedin_member_id = NEW.prospect_member_id;

CREATE TRIGGER li_notes_revision_change AFTER UPDATE ON li_recruiter_notes FOR EACH ROW UPDATE candidate_revisions r JOIN candidates c ON c.id = r.candidate_id SET r.n = r.n + 1 WHERE c.linkedin_member_id IN (OLD.prospect_member_id, NEW.prospect_member_id);

CREATE TRIGGER li_notes_revision_remove AFTER DELETE ON li_recruiter_notes FOR EACH ROW UPDATE candidate_revisions r JOIN candidates c ON c.id = r.candidate_id SET r.n = r.n + 1 WHERE c.linkedin_member_id = OLD.prospect_member_id;

INSERT INTO revisions (name, n) VALUES ('li_people', 1);

CREATE TRIGGER li_seats_people_add AFTER INSERT ON li_seats FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'li_people';

CREATE TRIGGER li_seats_people_change AFTER UPDATE ON li_seats FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'li_people' AND NOT (OLD.seat_urn <=> NEW.seat_urn AND OLD.member_urn <=> NEW.member_urn AND OLD.first_name <=> NEW.first_name AND OLD.last_name <=> NEW.last_name);

CREATE TRIGGER li_seats_people_remove AFTER DELETE ON li_seats FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'li_people';

CREATE TRIGGER li_connections_people_add AFTER INSERT ON linkedin_connections FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'li_people';

CREATE TRIGGER li_connections_people_change AFTER UPDATE ON linkedin_connections FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'li_people' AND NOT (OLD.user_id <=> NEW.user_id AND OLD.member_urn <=> NEW.member_urn);

CREATE TRIGGER li_connections_people_remove AFTER DELETE ON linkedin_connections FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'li_people';

CREATE TRIGGER users_people_change AFTER UPDATE ON users FOR EACH ROW UPDATE revisions SET n = n + 1 WHERE name = 'li_people' AND NOT (OLD.name <=> NEW.name);
