-- Where the worker stopped inside a seat's InMail window (issue 15):
-- LinkedIn answers conversationEvents 12 records a member a minute, so a
-- window of more than one page is refused past its first page until the
-- next minute.  The offset reached in the window that starts at
-- events_window_ms is kept with each page stored; the retry goes on from
-- there instead of reading the window again from its start (which the
-- same throttle would stop at the same page, for ever).  NULL: no window
-- under way.  The events of a window come oldest first and never change,
-- so an offset stays good while the window grows at its end.
ALTER TABLE li_seats
	ADD COLUMN events_window_ms BIGINT NULL,
	ADD COLUMN events_window_offset INT UNSIGNED NOT NULL DEFAULT 0;
