# tests/bench/linkedin.sh - make bench's LinkedIn rows (issue 14), sourced
# by scripts/bench.sh once the integration is saved in /admin/linkedin
# (enabled, the sandbox's first application, ATS instance name "bench").
# Uses bench.sh's sql, base, var, me, li[], admin_cookie and admin_csrf;
# adds to li_rows[] lines
# "what|count|seconds|per second|p50|p99|stored->applied p50 / p99|errors|cpu".
#
#  1. Job sync: an admin's Enable (POST /admin/linkedin/integrations) makes
#     the worker enable the integrations at LinkedIn (the bench stack's
#     sandbox) and mark every job but the drafts in the outbox; the time is
#     from the Enable to the outbox drained (no job row pending, every job
#     at LinkedIn or dead).  Each run syncs from scratch: LinkedIn's copy of
#     this application's jobs and hirelink's record of it are emptied first.
#  2. One-click exports end to end: N exports stored in the sandbox's
#     database as its Export button stores them (a Recruiter seat holder
#     exporting a member to a job of this instance), but not delivered by
#     the sandbox: wrk posts their notifications, signed here with the
#     application's secret as LinkedIn signs them, each once, at 32
#     connections through nginx to /linkedin/notifications, while the
#     worker reads each export from the sandbox (exportedCandidates) and
#     applies it.  exports/s = N / (first notification stored -> last
#     application written), both read from hirelink's inbound_events.

sbsql() { mariadb --no-defaults -S "$var/mysql.sock" -u "$me" linkedin_sandbox "$@"; }
now_ms() { date +%s%3N; }
li_rows=()

# pids -> "a b c ..." of their CPU ticks
li_ticks() {
	local p out=""
	for p in "$@"; do out+="$(cpu_ticks "$p") "; done
	echo "$out"
}
li_pids() { # hirelink, worker, sandbox, nginx's workers (as one), MariaDB
	echo "$(cat "$var/hirelink.pid") $(cat "$var/worker.pid") $(cat "$var/sandbox.pid") nginx $(cat "$var/mariadb.pid")"
}
li_cpu_snapshot() {
	local p out=""
	for p in $(li_pids); do
		if [[ $p == nginx ]]; then
			out+="$(cpu_ticks $(pgrep -P "$(cat "$var/nginx.pid")")) "
		else
			out+="$(cpu_ticks "$p") "
		fi
	done
	echo "$out"
}
li_cpu_per() { # before after n -> "a / b / c / d / e" us per item
	awk -v b="$1" -v a="$2" -v n="$3" -v clk="$clk" 'BEGIN {
		split(b, x, " "); split(a, y, " "); s = ""
		for (i = 1; i <= 5; i++)
			s = s (i > 1 ? " / " : "") (n > 0 ? sprintf("%.0f", (y[i] - x[i]) * 1e6 / clk / n) : "-")
		print s }'
}

li_job_sync() {
	local client=${li[client_id]}
	local what="LinkedIn job sync: every job but the drafts, Enable to outbox drained"
	sbsql -e "DELETE FROM job_posting_acl WHERE client_id = '$client';
		DELETE FROM ats_entity_acls WHERE client_id = '$client';
		DELETE FROM ats_entity_acl_assignees WHERE client_id = '$client';
		DELETE FROM simple_job_posting_tasks WHERE client_id = '$client';
		DELETE FROM job_postings WHERE client_id = '$client'"
	sql -e "DELETE FROM linkedin_acl_assignees; DELETE FROM linkedin_job_acls;
		DELETE FROM linkedin_job_postings; DELETE FROM outbox WHERE kind = 'job'"
	# The Enable below would start In ATS's first full sync of the bench's
	# million candidates (sync_backfill.c), which would run under this row
	# and the exports: it counts as done here, and is not measured yet.
	sql -e "INSERT INTO linkedin_backfill (id, state, since, started_at,
			resumed_at, finished_at) VALUES (1, 'done', NOW(3), NOW(3),
			NOW(3), NOW(3)) ON DUPLICATE KEY UPDATE state = 'done';
		DELETE FROM outbox WHERE kind IN ('candidate', 'in_ats_backfill')"
	local expect; expect=$(sql -N -e "SELECT COUNT(*) FROM jobs WHERE status <> 'draft'")
	local before after t0 t1 st
	before=$(li_cpu_snapshot)
	t0=$(now_ms)
	st=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $admin_cookie" \
		--data-urlencode "csrf=$admin_csrf" --data action=enable \
		"$base/admin/linkedin/integrations")
	if [[ $st != 303 ]]; then
		echo "$what: Enable answered $st" >&2
		li_rows+=("$what|$expect|-|-|-|-|-|Enable answered $st|-")
		return
	fi
	# done: the integration's row gone, no job row pending, and every job
	# at LinkedIn (hirelink's record) or dead
	local state="" last_progress=$t0 last_n=-1 synced=0 pending=0 dead=0 integ=1
	while :; do
		read -r integ pending dead synced < <(sql -N -e "SELECT
			(SELECT COUNT(*) FROM outbox WHERE kind = 'integration' AND state = 'pending'),
			(SELECT COUNT(*) FROM outbox WHERE kind = 'job' AND state = 'pending'),
			(SELECT COUNT(*) FROM outbox WHERE kind = 'job' AND state = 'dead'),
			(SELECT COUNT(*) FROM linkedin_job_postings)")
		if [[ $integ == 0 && $pending == 0 && $((synced + dead)) -ge $expect ]]; then
			break
		fi
		if [[ $synced != "$last_n" ]]; then
			last_n=$synced last_progress=$(now_ms)
		elif (($(now_ms) - last_progress > 120000)); then
			state="stalled at $synced of $expect"
			break
		fi
		sleep 0.2
	done
	t1=$(now_ms)
	after=$(li_cpu_snapshot)
	# the last posting's own time, not the poll's
	local last; last=$(sql -N -e "SELECT ROUND(UNIX_TIMESTAMP(MAX(synced_at)) * 1000) FROM linkedin_job_postings")
	[[ -n $last && $last != NULL && $last -le $t1 ]] && t1=$last
	local at_li; at_li=$(sbsql -N -e "SELECT COUNT(*) FROM job_postings WHERE client_id = '$client'")
	local secs; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1000}')
	local rate; rate=$(awk -v n="$at_li" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", n * 1000 / (b - a)}')
	local errors=$dead
	[[ -n $state ]] && errors="$dead dead; $state"
	[[ $at_li -lt $expect && -z $state ]] && errors="$dead dead; $at_li of $expect at LinkedIn"
	echo "job sync: $at_li of $expect jobs at LinkedIn in $secs s ($rate rows/s), $dead dead" >&2
	li_rows+=("$what|$at_li of $expect|$secs|$rate rows/s|-|-|-|$errors|$(li_cpu_per "$before" "$after" "$at_li")")
}

# The indexes an export reads and writes, in InnoDB's buffer pool, as on
# a server that has been running: right after a data load the pool holds
# what the load wrote last, and the first flood read ~700 pages a second
# from disk (its callback p99 29.5-62.9 ms in three such runs, 14.8-18.6
# ms on kept data).  Each index read whole before the first run, not
# measured.
li_warm() {
	local t i
	for t in "candidates candidates_member candidates_email PRIMARY" \
		"applications applications_job_candidate applications_job_stage applications_job_stage_status applications_stage_fk applications_candidate PRIMARY" \
		"application_events application_events_app" "jobs PRIMARY" "job_stages PRIMARY job_stages_job"; do
		set -- $t
		local table=$1
		shift
		for i in "$@"; do
			sql -N -e "SELECT COUNT(*) FROM $table FORCE INDEX (\`$i\`)" >/dev/null
		done
	done
}

li_exports() { # n rate what: rate 0 = as fast as 32 connections go
	local n=$1 pace=$2 what=$3
	local client=${li[client_id]} secret=${li[client_secret]} org=${li[organization]##*:}
	local ex_id ex_urn ex_email ex_seat
	read -r ex_id ex_urn ex_email ex_seat < <(sbsql -N -e "SELECT m.id, m.urn_id, m.email, s.id
		FROM members m JOIN seats s ON s.member_id = m.id AND s.active = 1
		AND s.seat_type = 'RECRUITER' WHERE m.email IS NOT NULL ORDER BY m.id LIMIT 1")
	# the exporter is a hirelink recruiter by the seat's email (exports.c's
	# exporter_user), who may add candidates to the unassigned jobs
	echo "$bench_password" | HIRELINK_CONFIG=$var/hirelink.conf cgi-bin/hirelink.fcgi useradd \
		--email "$ex_email" --name "Bench Exporter" --role recruiter --seat recruiter >/dev/null 2>&1 || true
	local instance; instance=$(sql -N -e "SELECT instance_id FROM integration WHERE id = 1")
	local stamp; stamp=$(now_ms)
	local from; from=$(sql -N -e "SELECT COUNT(*) FROM applications WHERE source = 'LinkedIn Recruiter export'")
	# N (member, job) pairs, none on the job already: the sandbox's members
	# in turn, each to active unassigned jobs with a Prospect stage (every
	# round of the members on other jobs); each run starts past the pairs
	# of the runs before
	sbsql -e "
		SET @nm = (SELECT COUNT(*) FROM members);
		SET @nj = (SELECT COUNT(*) FROM hirelink.jobs j WHERE j.status = 'active' AND j.member_count = 0
			AND EXISTS (SELECT 1 FROM hirelink.job_stages s WHERE s.job_id = j.id AND s.kind = 'prospect'));
		CREATE TEMPORARY TABLE bench_m (n INT PRIMARY KEY, id BIGINT UNSIGNED, urn_id VARCHAR(32))
			SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS n, id, urn_id FROM members;
		CREATE TEMPORARY TABLE bench_j (n INT PRIMARY KEY, id BIGINT UNSIGNED)
			SELECT ROW_NUMBER() OVER (ORDER BY j.id) - 1 AS n, j.id FROM hirelink.jobs j
			WHERE j.status = 'active' AND j.member_count = 0
			AND EXISTS (SELECT 1 FROM hirelink.job_stages s WHERE s.job_id = j.id AND s.kind = 'prospect');
		INSERT INTO exports (request_id, client_id, organization_id, exporter_member_id, seat_id,
			candidate_member_id, external_job_posting_id, created_at)
		SELECT UUID(), '$client', $org, $ex_id, $ex_seat, m.id,
			CONCAT('$instance', '-J-', LPAD(j.id, 5, '0')), $stamp
		FROM seq_${from}_to_$((from + 3 * n)) k
		JOIN bench_m m ON m.n = k.seq % @nm
		JOIN bench_j j ON j.n = (k.seq DIV @nm + k.seq * 7) % @nj
		WHERE NOT EXISTS (SELECT 1 FROM hirelink.candidates c JOIN hirelink.applications a
			ON a.candidate_id = c.id WHERE c.linkedin_member_id = m.urn_id AND a.job_id = j.id)
		LIMIT $n"
	local made; made=$(sbsql -N -e "SELECT COUNT(*) FROM exports WHERE client_id = '$client' AND created_at = $stamp")
	if [[ $made -lt $n ]]; then
		echo "$what: only $made exports could be made" >&2
		li_rows+=("$what|$made of $n|-|-|-|-|-|only $made exports made|-")
		return
	fi
	local file=$var/notifications.txt
	if [[ -z ${li_warmed:-} ]]; then
		local w0; w0=$(now_ms)
		li_warm
		li_warmed=1
		echo "$what: the export path's indexes read first, in $(($(now_ms) - w0)) ms" >&2
	fi
	sbsql -N -e "SELECT CONCAT('{\"eventType\":\"EXPORT_CANDIDATE_PROFILE\",\"requestId\":\"', request_id,
		'\",\"integrationContext\":\"urn:li:organization:', organization_id, '\",\"occurredAt\":', created_at, '}')
		FROM exports WHERE client_id = '$client' AND created_at = $stamp" |
		SECRET=$secret perl -MDigest::SHA=hmac_sha256_hex -ne \
			'chomp; print hmac_sha256_hex("hmacsha256=" . $_, $ENV{SECRET}), "\t$_\n"' >"$file"
	local before_id; before_id=$(sql -N -e "SELECT COALESCE(MAX(id), 0) FROM inbound_events")
	local ev="FROM inbound_events WHERE id > $before_id AND occurred_at = $stamp"
	local before after o
	o=$(mktemp)
	declare -F innodb_state >/dev/null &&
		echo "$what: InnoDB at the start: $(innodb_state) (dirty pages, history length)" >&2
	before=$(li_cpu_snapshot)
	BENCH_NOTIFICATIONS=$file wrk -t2 -c32 -d600s --latency -s tests/bench/notify.lua \
		"$base/linkedin/notifications" -- 2 "$pace" 32 >"$o" 2>&1 &
	local wrk_pid=$! received=0 done_n=0 last_n=-1 last_progress; last_progress=$(now_ms)
	local state=""
	# every notification answered: wrk stops by itself (notify.lua: each
	# thread once hirelink stored all of its own).  While it runs, nothing
	# else is asked of the stack but a look for progress every 10 s (a
	# stall of 60 s ends the run): a query every half second, a mariadb
	# client started each time, took 4-6% of the two cores from the
	# callbacks the flood's p99 is made of.  The times measured are the
	# rows' own, not the polls'.
	local top waited=0
	while kill -0 "$wrk_pid" 2>/dev/null; do
		sleep 0.5
		waited=$((waited + 1))
		((waited % 20 == 0)) || continue
		top=$(sql -N -e "SELECT COALESCE(MAX(id), 0) FROM inbound_events")
		# all in, but a thread of wrk still waiting for one (an answer
		# that was not "received"): counted, and ended, here
		if ((top - before_id >= made)) &&
			(($(sql -N -e "SELECT COUNT(*) $ev") >= made)); then
			break
		fi
		if [[ $top != "$last_n" ]]; then
			last_n=$top last_progress=$(now_ms)
		elif (($(now_ms) - last_progress > 60000)); then
			state="the callback stalled at $((top - before_id)) of $made"
			break
		fi
	done
	kill -INT "$wrk_pid" 2>/dev/null || true
	wait "$wrk_pid" || true
	received=$(sql -N -e "SELECT COUNT(*) $ev")
	last_n=-1 last_progress=$(now_ms)
	while [[ -z $state ]]; do
		done_n=$(sql -N -e "SELECT COUNT(*) $ev AND status <> 'received'")
		[[ $done_n -ge $received ]] && break
		if [[ $done_n != "$last_n" ]]; then
			last_n=$done_n last_progress=$(now_ms)
		elif (($(now_ms) - last_progress > 60000)); then
			state="the worker stalled at $done_n of $received"
			break
		fi
		sleep 0.5
	done
	after=$(li_cpu_snapshot)
	local applied span recv_span lag50 lag99
	read -r applied span recv_span < <(sql -N -e "SELECT COUNT(a.id),
		TIMESTAMPDIFF(MICROSECOND, MIN(e.received_at), MAX(e.updated_at)),
		TIMESTAMPDIFF(MICROSECOND, MIN(e.received_at), MAX(e.received_at))
		FROM inbound_events e LEFT JOIN applications a ON a.id = e.application_id
		AND a.source = 'LinkedIn Recruiter export'
		AND a.stage_id = (SELECT s.id FROM job_stages s WHERE s.job_id = a.job_id AND s.kind = 'prospect')
		WHERE e.id > $before_id AND e.occurred_at = $stamp")
	# each export's own wait: stored -> applied
	lag() { # percentile -> ms
		sql -N -e "SELECT ROUND(TIMESTAMPDIFF(MICROSECOND, received_at, updated_at) / 1000)
			$ev ORDER BY TIMESTAMPDIFF(MICROSECOND, received_at, updated_at)
			LIMIT 1 OFFSET $(( (received * $1 + 99) / 100 - 1 ))"
	}
	lag50=$(lag 50) lag99=$(lag 99)
	local p50 p99 werr
	p50=$(awk '$1=="50%" {print $2}' "$o")
	p99=$(awk '$1=="99%" {print $2}' "$o")
	werr=$(awk '/Non-2xx or 3xx responses:/ {n+=$NF} /Socket errors/ {gsub(",", ""); n+=$4+$6+$8+$10} END {print n+0}' "$o")
	local secs rate recv_rate
	secs=$(awk -v s="$span" 'BEGIN {printf "%.1f", s / 1e6}')
	rate=$(awk -v n="$applied" -v s="$span" 'BEGIN {printf "%.0f", (s > 0 ? n * 1e6 / s : 0)}')
	recv_rate=$(awk -v n="$received" -v s="$recv_span" 'BEGIN {printf "%.0f", (s > 0 ? n * 1e6 / s : 0)}')
	local errors=$((werr + made - applied))
	[[ -n $state ]] && errors="$errors; $state"
	echo "exports ($what): $applied of $made applied on Prospect in $secs s ($rate/s); notifications stored at $recv_rate/s; callback p50 $p50 p99 $p99; stored -> applied p50 $lag50 ms p99 $lag99 ms; $werr failed requests" >&2
	li_rows+=("$what|$applied of $made|$secs|$rate exports/s|$p50|$p99|$lag50 / $lag99 ms|$errors|$(li_cpu_per "$before" "$after" "$applied")")
	li_rows+=("... its notifications, stored by the callback (first to last)|$received|$(awk -v s="$recv_span" 'BEGIN {printf "%.1f", s / 1e6}')|$recv_rate notifications/s|$p50|$p99|-|$werr|-")
	cp "$o" "$var/log/bench-notify-wrk-$pace.txt"
	rm -f "$o"
}

# ---------------------------------------------------------------- In ATS
# (issue 16) Run after li_job_sync (the integration enabled at LinkedIn).
#  3. In ATS delay under page load: while wrk runs every page in turn
#     (mixed.lua, 32 connections), an admin writes a public note on each of
#     BENCH_IN_ATS_CHANGES (default 200) candidates past Prospect, LinkedIn
#     having them already (synced first, not timed); the delay of each is
#     from the note's commit in hirelink (notes.created_at) to LinkedIn's
#     storing it (the sandbox's ats_sub_entities.updated_at, storedAt of
#     /sandbox/inats), both on this machine's clock; p50 and p99.
#  4. The first full sync (sync_backfill.c) at bench scale: LinkedIn's and
#     hirelink's records of In ATS emptied, an admin's Start, then
#     BENCH_IN_ATS_SECONDS (default 180; 0: until done) of it: records/s
#     as LinkedIn stored them (the sandbox's sync_payloads, 2xx) and
#     candidates/s; the time to drain is measured when it finishes within
#     the window, else projected from the candidates' rate (marked
#     "projected").  The sync is then paused and its queue emptied, so that
#     nothing of it runs under the rows after.  Bounded by LinkedIn's
#     10,000 records a minute (the worker keeps under it).

li_db=${li_db:-hirelink}
li_sbdb=${li_sbdb:-linkedin_sandbox}
li_wait_outbox() { # kind timeout_s -> 0 when no row of kind is pending
	local kind=$1 limit=$2 t0; t0=$(now_ms)
	while [[ $(sql -N -e "SELECT COUNT(*) FROM outbox WHERE kind = '$kind' AND state = 'pending'") != 0 ]]; do
		(($(now_ms) - t0 > limit * 1000)) && return 1
		sleep 0.2
	done
}

li_in_ats_delay() {
	local n=${BENCH_IN_ATS_CHANGES:-200} client=${li[client_id]}
	local what="In ATS delay: a public note, hirelink's commit -> stored at LinkedIn, under page load (every page in turn, 32 connections)"
	local ids; ids=$(sql -N -e "SELECT GROUP_CONCAT(id) FROM (SELECT DISTINCT a.candidate_id AS id
		FROM applications a JOIN job_stages s ON s.id = a.stage_id
		WHERE s.kind NOT IN ('prospect') ORDER BY a.candidate_id LIMIT $n) t")
	if [[ -z $ids || $ids == NULL ]]; then
		li_rows+=("$what|0|-|-|-|-|-|no candidate past Prospect|-")
		return
	fi
	# LinkedIn has them first: what is timed is a change, not a first send
	sql -e "INSERT INTO outbox (kind, entity_id) SELECT 'candidate', id FROM candidates
		WHERE id IN ($ids) ON DUPLICATE KEY UPDATE generation = generation + 1,
		state = 'pending', attempts = 0, next_attempt_at = NOW(3)"
	if ! li_wait_outbox candidate 600; then
		li_rows+=("$what|0|-|-|-|-|-|the first send did not drain in 600 s|-")
		return
	fi
	local before_note; before_note=$(sql -N -e "SELECT COALESCE(MAX(id), 0) FROM notes")
	local o; o=$(mktemp)
	wrk -t2 -c32 -d600s --latency -s tests/bench/mixed.lua "$base/" >"$o" 2>&1 &
	local wrk_pid=$! before after t0 t1
	sleep 2
	before=$(li_cpu_snapshot)
	t0=$(now_ms)
	local id posted=0 failed=0 st
	for id in ${ids//,/ }; do
		st=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $admin_cookie" \
			--data-urlencode "csrf=$admin_csrf" --data public=1 \
			--data-urlencode "body=Bench In ATS note $t0" "$base/candidates/$id/notes")
		if [[ $st == 303 ]]; then posted=$((posted + 1)); else failed=$((failed + 1)); fi
		sleep 0.05
	done
	# every note at LinkedIn (or 120 s)
	local stored=0 ev="FROM $li_db.notes n JOIN $li_sbdb.ats_sub_entities s
		ON s.client_id = '$client' AND s.parent_kind = 'candidate' AND s.kind = 'note'
		AND s.entity_id = CONCAT('N', n.id) WHERE n.id > $before_note AND n.visibility = 'public'"
	local t2; t2=$(now_ms)
	while :; do
		stored=$(sql -N -e "SELECT COUNT(*) $ev")
		[[ $stored -ge $posted ]] && break
		(($(now_ms) - t2 > 120000)) && break
		sleep 0.2
	done
	t1=$(now_ms)
	after=$(li_cpu_snapshot)
	kill -INT "$wrk_pid" 2>/dev/null || true
	wait "$wrk_pid" || true
	local werr; werr=$(awk '/Non-2xx or 3xx responses:/ {n+=$NF} /Socket errors/ {gsub(",", ""); n+=$4+$6+$8+$10} END {print n+0}' "$o")
	local pages; pages=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$o")
	cp "$o" "$var/log/bench-in-ats-wrk.txt"
	rm -f "$o"
	d() { # percentile -> ms
		[[ $stored -gt 0 ]] || { echo -; return; }
		sql -N -e "SELECT ROUND(s.updated_at - UNIX_TIMESTAMP(n.created_at) * 1000) AS d $ev
			ORDER BY d LIMIT 1 OFFSET $(( (stored * $1 + 99) / 100 - 1 ))"
	}
	local p50 p99; p50=$(d 50) p99=$(d 99)
	local secs; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1000}')
	local errors=$((failed + posted - stored))
	echo "In ATS delay: $stored of $posted notes at LinkedIn, delay p50 $p50 ms p99 $p99 ms, pages under it at $pages req/s ($werr page errors)" >&2
	li_rows+=("$what|$stored of $posted|$secs|pages: $pages req/s|-|-|$p50 / $p99 ms|$errors|$(li_cpu_per "$before" "$after" "$stored")")
}

li_in_ats_full_sync() {
	local client=${li[client_id]} window=${BENCH_IN_ATS_SECONDS:-180}
	local what="In ATS first full sync: candidates past Prospect with 2 years of activity, Start to drained"
	# from scratch: LinkedIn's copy of this application's In ATS and
	# hirelink's record of it emptied
	sbsql -e "DELETE FROM ats_sub_entities WHERE client_id = '$client';
		DELETE FROM ats_applications WHERE client_id = '$client';
		DELETE FROM ats_candidates WHERE client_id = '$client'" 2>/dev/null || true
	sql -e "DELETE FROM linkedin_sync; DELETE FROM outbox WHERE kind IN ('candidate', 'in_ats_backfill', 'job_names')"
	local before_p; before_p=$(sbsql -N -e "SELECT COALESCE(MAX(id), 0) FROM sync_payloads")
	local before after t0 t1 st
	before=$(li_cpu_snapshot)
	t0=$(now_ms)
	# a 503 is hirelink still busy with the page load before (its answer
	# says to come back): asked again, as the admin would
	local tries
	for tries in $(seq 1 60); do
		st=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $admin_cookie" \
			--data-urlencode "csrf=$admin_csrf" --data action=start "$base/admin/linkedin/backfill")
		[[ $st == 503 ]] || break
		sleep 1
	done
	if [[ $st != 303 ]]; then
		li_rows+=("$what|-|-|-|-|-|-|Start answered $st|-")
		return
	fi
	local state total done_n finished=0
	while :; do
		read -r state total done_n < <(sql -N -e "SELECT b.state, b.total,
			(SELECT COUNT(*) FROM linkedin_sync WHERE kind = 'candidate')
			FROM linkedin_backfill b WHERE b.id = 1")
		if [[ $state == done ]] && li_wait_outbox candidate 0; then
			finished=1
			break
		fi
		((window > 0 && $(now_ms) - t0 > window * 1000)) && break
		sleep 1
	done
	t1=$(now_ms)
	after=$(li_cpu_snapshot)
	if [[ $finished == 0 ]]; then
		curl -sS -o /dev/null -H "Cookie: $admin_cookie" --data-urlencode "csrf=$admin_csrf" \
			--data action=pause "$base/admin/linkedin/backfill"
		sql -e "DELETE FROM outbox WHERE kind IN ('candidate', 'in_ats_backfill')"
	fi
	local records errors_p
	read -r records errors_p < <(sbsql -N -e "SELECT COALESCE(SUM(IF(status < 300, records, 0)), 0),
		COALESCE(SUM(status >= 300), 0) FROM sync_payloads WHERE client_id = '$client' AND id > $before_p")
	local dead; dead=$(sql -N -e "SELECT COUNT(*) FROM outbox WHERE kind = 'candidate' AND state = 'dead'")
	local secs rate crate drain
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1000}')
	rate=$(awk -v n="$records" -v s="$secs" 'BEGIN {printf "%.0f", (s > 0 ? n / s : 0)}')
	crate=$(awk -v n="$done_n" -v s="$secs" 'BEGIN {printf "%.1f", (s > 0 ? n / s : 0)}')
	if [[ $finished == 1 ]]; then
		drain="$secs s"
	else
		drain=$(awk -v t="$total" -v n="$done_n" -v r="$crate" -v s="$secs" 'BEGIN {
			if (r > 0) printf "%.0f s projected (%.1f h)", s + (t - n) / r, (s + (t - n) / r) / 3600; else print "-" }')
	fi
	echo "In ATS full sync: $done_n of $total candidates in $secs s ($crate candidates/s, $rate records/s at LinkedIn); time to drain $drain; $errors_p requests refused, $dead dead" >&2
	li_rows+=("$what|$done_n of $total candidates, $records records|$secs|$rate records/s ($crate candidates/s)|-|-|drain: $drain|$dead|$(li_cpu_per "$before" "$after" "$records")")
}
