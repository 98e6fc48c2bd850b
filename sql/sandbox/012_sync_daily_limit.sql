-- LinkedIn's daily limit on the sync endpoints (100,000 requests a UTC day
-- per application, each resource its own: src/sandbox/sync.c), counted in
-- api_throttles under scope 'sync-day:<client_id>:<resource>' (bucket =
-- UTC day number).  A test lowers it with POST /sandbox/sync/throttle
-- {"requestsPerDay": N}; 0 = LinkedIn's 100,000.
ALTER TABLE sync_throttle_limits
	ADD COLUMN requests_per_day INT NOT NULL DEFAULT 0;
