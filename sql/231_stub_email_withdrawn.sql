-- The LinkedIn talent pool (issue 16): a member who withdraws the email
-- they shared (LinkedIn's stub then has none) has it removed from the
-- candidate, but only when the candidate's email came from the stub and
-- is still the one the stub gave (src/ats/talent_pool.c).
--   email_applied  the stub's email was written to its candidate (the
--                  candidate created with it, or given it when the member
--                  shared it later)
-- Stubs applied before: a candidate the stub created with its email.
ALTER TABLE li_mail_stubs
	ADD COLUMN email_applied TINYINT(1) NOT NULL DEFAULT 0 AFTER email;
UPDATE li_mail_stubs s JOIN candidates c ON c.id = s.candidate_id
SET s.email_applied = 1
WHERE s.matched = 'created' AND s.email IS NOT NULL
	AND c.email = LOWER(s.email);
