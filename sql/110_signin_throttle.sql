-- Sign-in throttling counted per (account, address) pair, per account and
-- per address (src/ats/signin.c has the rules), in place of one row per
-- failure counted per account and per address (001_foundation.sql), which
-- let ten failures lock an account out everywhere and an office out
-- together.
--
-- One row per pair ('pair': email and address), per account ('account':
-- email, address '') and per address ('address': email '', address), each
-- counting the sign-ins that failed (failures) and those let through whose
-- password is being checked (checking) since the row's window began; the
-- window ends at window_end and the next sign-in after it starts a new one.
-- last_try and prev_try are a pair's last two sign-ins let through, which
-- its delay is measured from.  The email is compared as users.email is
-- (utf8mb4_unicode_ci), so an account's case variants count together.  A
-- sign-in locks its three rows in primary-key order (pair, account,
-- address: the ENUM's order), always the same.
CREATE TABLE signin_counts (
	scope ENUM('pair','account','address') NOT NULL,
	email VARCHAR(254) NOT NULL,
	remote_addr VARCHAR(64) NOT NULL,
	failures INT UNSIGNED NOT NULL DEFAULT 0,
	checking INT UNSIGNED NOT NULL DEFAULT 0,
	window_end DATETIME(3) NOT NULL,
	last_try DATETIME(3) NULL,
	prev_try DATETIME(3) NULL,
	PRIMARY KEY (scope, email, remote_addr),
	KEY signin_counts_window (window_end)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DROP TABLE login_failures;
