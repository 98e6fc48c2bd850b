-- Faults beyond a status and a delay (src/sandbox/control.c): a rule may
-- drop the connection without an answer (reset), send the real answer cut
-- short of its Content-Length (truncate), or send the real answer's first
-- half as a complete body, which is not JSON (invalid_json).  NULL: the
-- status / delay rule it always was.
ALTER TABLE fail_rules ADD COLUMN fault VARCHAR(16) NULL;
