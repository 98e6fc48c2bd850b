# tests/bench/candidate_tabs.sh - issue 15's make bench rows, sourced by
# scripts/bench.sh once LinkedIn is set up on the bench stack (it uses that
# script's sql, measure, median_of_3, rows, base, var, cookies, bench_email).
#
# The candidate's LinkedIn tab and Recruiting activities tab at -c32, with
# 200 activities stored for the candidate (100 InMail events, 100 Recruiter
# notes, written straight into hirelink's tables as the worker stores
# them), viewed by the bench recruiter connected to a Recruiter seat: p99
# and the ratio to H (targets: p99 <= 15 ms, >= 25% of H).  LinkedIn is not
# on the page's path: while these rows run the sandbox answers every call
# only after 5 s, and hirelink's own count of LinkedIn calls
# (hirelink_linkedin_requests_total, the web tier's) must not move.
tabs_member=benchact15
tabs_seat=$(mariadb --no-defaults -S "$var/mysql.sock" -u "$me" linkedin_sandbox -N -e \
	"SELECT CONCAT(s.id, ' ', m.urn_id) FROM seats s JOIN members m ON m.id = s.member_id
	 WHERE s.seat_type = 'RECRUITER' AND s.active = 1 ORDER BY s.id LIMIT 1")
read -r tabs_seat_id tabs_seat_member <<<"$tabs_seat"
sql <<SQL
UPDATE candidates SET linkedin_member_id = NULL WHERE linkedin_member_id = '$tabs_member';
UPDATE candidates SET linkedin_member_id = '$tabs_member' WHERE id = 1;
INSERT INTO li_seats (seat_urn, member_urn, first_name, last_name, seat_type, active,
	polled_at, next_poll_at)
	VALUES ('urn:li:seat:$tabs_seat_id', 'urn:li:person:$tabs_seat_member', 'Bench',
	'Seat', 'recruiter', 1, NOW(3), NOW(3) + INTERVAL 1 DAY)
	ON DUPLICATE KEY UPDATE polled_at = NOW(3), next_poll_at = NOW(3) + INTERVAL 1 DAY;
INSERT INTO linkedin_connections (user_id, member_id, member_urn, seat_type, seat_urn)
	SELECT id, '$tabs_seat_member', 'urn:li:person:$tabs_seat_member', 'recruiter',
	'urn:li:seat:$tabs_seat_id' FROM users WHERE email = '$bench_email'
	ON DUPLICATE KEY UPDATE member_id = VALUES(member_id), member_urn = VALUES(member_urn),
	seat_type = 'recruiter', seat_urn = VALUES(seat_urn), needs_reconnect = 0;
DELETE FROM li_inmail_activity WHERE prospect_member_id = '$tabs_member';
DELETE FROM li_recruiter_notes WHERE prospect_member_id = '$tabs_member';
INSERT INTO li_inmail_activity (seat_urn, event_id, conversation_urn, prospect_member_id,
	direction, created_ms, replied)
	SELECT 'urn:li:seat:$tabs_seat_id', CONCAT('bench-', seq), CONCAT('urn:li:conversation:b', seq DIV 2),
	'$tabs_member', IF(seq MOD 2, 'INBOUND', 'OUTBOUND'),
	UNIX_TIMESTAMP() * 1000 - seq * 600000, 1 FROM seq_1_to_100;
INSERT INTO li_recruiter_notes (note_id, contract_urn, owner_seat_urn, prospect_member_id,
	visibility, note, created_ms, last_modified_ms)
	SELECT CONCAT('bench-', seq), 'urn:li:contract:0', 'urn:li:seat:$tabs_seat_id', '$tabs_member',
	IF(seq MOD 3, 'PUBLIC', 'PRIVATE'), CONCAT('Bench note ', seq, ': called, interested, follow up next week'),
	UNIX_TIMESTAMP() * 1000 - seq * 600000 - 300000, UNIX_TIMESTAMP() * 1000 - seq * 600000 - 300000
	FROM seq_1_to_100;
SQL
li_calls() { metrics | awk '/^hirelink_linkedin_requests_total/ {n += $2} END {print n + 0}'; }
# the stack's sandbox (bench.sh: the bench stack's; a runner against
# another stack sets sbase first)
sbase=${sbase:-http://127.0.0.1:28081}
curl -fsS -o /dev/null -H 'Content-Type: application/json' \
	--data '{"fail": {"path_prefix": "/", "delay_ms": 5000}}' "$sbase/sandbox/control"
tabs_calls_before=$(li_calls)
for p in "LinkedIn tab (200 activities stored)|/candidates/1?tab=linkedin" \
	"Recruiting activities tab (200 activities stored)|/candidates/1?tab=activities"; do
	IFS='|' read -r name path <<<"$p"
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $(head -1 "$cookies")" "$base$path")
	if [[ $code != 200 ]]; then
		echo "$name: $path answered $code" >&2
		rows+=("$name ($path)|-|-|-|-|answered $code")
		continue
	fi
	rows+=("$(median_of_3 "$name" "$base$path" tests/bench/session.lua)")
done
tabs_calls=$(( $(li_calls) - tabs_calls_before ))
curl -fsS -o /dev/null -H 'Content-Type: application/json' --data '{"reset": true}' "$sbase/sandbox/control"
if [[ $tabs_calls -ne 0 ]]; then
	echo "candidate tabs: hirelink called LinkedIn $tabs_calls times on the pages' path" >&2
	rows+=("candidate tabs: LinkedIn calls on the page's path|-|-|-|-|$tabs_calls calls")
fi
