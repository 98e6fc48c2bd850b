-- The LinkedIn tab's match answers kept fresh for candidates people look
-- at (issue 15): viewed_at is when a user last opened the candidate's
-- LinkedIn tab (written at most once a minute a candidate, so a busy tab
-- costs nothing); the worker (src/linkedin/candidates.c,
-- li_match_refresh_schedule) asks LinkedIn's match query again, a few
-- candidates a pass, for those viewed within the last hour whose answer
-- is older than linkedin_match_max_age_seconds.
ALTER TABLE linkedin_candidates
	ADD COLUMN viewed_at DATETIME(3) NULL,
	ADD KEY linkedin_candidates_viewed (viewed_at);
