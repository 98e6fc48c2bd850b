-- A stored notification's outbox mark, made by the INSERT that stores it
-- (issue 14's speed): the callback's write is one statement, atomic on its
-- own, instead of a transaction of an INSERT and ats_outbox_mark().  The
-- event's id is new, so its outbox row cannot exist yet: a plain INSERT is
-- the whole of the mark.  A rejected event is kept for the admin and never
-- applied: no mark.  'inbound_event' is ATS_OUTBOX_INBOUND_EVENT
-- (src/ats/outbox.h); an admin's retry marks again with ats_outbox_mark().
CREATE TRIGGER inbound_events_outbox_mark AFTER INSERT ON inbound_events FOR EACH ROW INSERT INTO outbox (kind, entity_id) SELECT 'inbound_event', NEW.id FROM DUAL WHERE NEW.status = 'received';
