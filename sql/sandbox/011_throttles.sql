-- LinkedIn's throttles of the Recruiter prospect interactions APIs
-- (src/sandbox/activities.c): what each scope used in one bucket.
--   scope  'app-day:<client_id>'      calls of conversationEvents and
--                                     prospectNotes, bucket = UTC day number
--          'seat-minute:<seat id>'    conversationEvents records returned to
--                                     a viewer seat, bucket = minute number
-- Rows of past buckets are removed as new buckets start.
CREATE TABLE api_throttles (
	scope VARCHAR(120) NOT NULL,
	bucket BIGINT NOT NULL,
	used BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (scope, bucket)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
