#!/usr/bin/env bash
# tests/bench/li_exports_offset.sh - make bench's one-click export rows
# (tests/bench/linkedin.sh's li_exports) against a helper's own test stack
# (HL_OFFSET, required and not 0), never the bench's fixed ports: for
# working on issue 14's speed without `make bench`.
#
#   HL_OFFSET=530 tests/bench/li_exports_offset.sh [N [rate]]
#
# Runs the release binaries (make all) on the test profile's ports of the
# offset, with BENCH_SCALE (default 10) times fewer candidates,
# applications and notes than scripts/bench-data.sql (the 20,000 jobs
# kept), loaded once.  Prints li_exports's row (CPU per export, us:
# hirelink / worker / sandbox / nginx / MariaDB) and MariaDB's statement
# and commit counters per export over the run (the bench's own polling
# included: a few hundred statements in all).  BENCH_DB_STATUS=0 leaves
# the counters out.  The stack is left running (stop it with
# HL_OFFSET=... scripts/stack.sh stop test).  HL_OFFSET=bench runs it on
# make bench's own stack and full data instead (left by a make bench in
# this checkout; scripts/stack.sh stop bench after).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
off=${HL_OFFSET:-0}
if [[ $off == 0 ]]; then
	echo "HL_OFFSET must name your own test stack (not 0), or be 'bench'" >&2
	exit 2
fi
n=${1:-10000} pace=${2:-0} scale=${BENCH_SCALE:-10}
bin=${HL_BIN_DIR:-$root/cgi-bin}
me=$(id -un)
if [[ $off == bench ]]; then
	# make bench's own stack and its full data, as the last make bench of
	# this checkout left them (not while a make bench runs: one stack)
	profile=bench var=$root/var/bench base=http://127.0.0.1:28080 scale=1
	if [[ ! -d $var/mysql ]]; then
		echo "no bench data in $var: run make bench first" >&2
		exit 2
	fi
	export HL_BIN_DIR=$bin
else
	profile=test var=$root/var/test-$off base=http://127.0.0.1:$((18080 + off))
	export HL_OFFSET=$off HL_BIN_DIR=$bin
fi
scripts/stack.sh start $profile >/dev/null

sql() { mariadb --no-defaults -S "$var/mysql.sock" -u "$me" hirelink "$@"; }
if [[ $(sql -N -e "SELECT COUNT(*) FROM jobs") -lt 20000 ]]; then
	echo "loading bench data at 1/$scale (20,000 jobs)..." >&2
	big=$((1000000 / scale))
	sed -e "s/seq_1_to_1000000/seq_1_to_$big/; s/seq_1_to_2000000/seq_1_to_$((2 * big))/" \
		-e "s/seq_1_to_3000000/seq_1_to_$((3 * big))/; s/seq_1_to_200000\b/seq_1_to_$((big / 5))/" \
		-e "s/IF(seq > 1000000/IF(seq > $big/; s/(seq - 1) % 1000000/(seq - 1) % $big/" \
		-e "s/% 999999/% $((big - 1))/; s/% 1000000$/% $big/; s/500000 + seq \* 7/$((big / 2)) + seq * 7/" \
		-e "s/SELECT seq \* 10, /SELECT seq * 10, /; s/seq \* 97 FROM seq_1_to_10000/seq * 97 FROM seq_1_to_$((big / 100))/" \
		scripts/bench-data.sql >"$var/bench-data-small.sql"
	(cd "$root" && sql <"$var/bench-data-small.sql" >/dev/null)
	if [[ -f scripts/bench-data-search.sql ]] &&
		[[ -z $(sql -N -e "SELECT 1 FROM candidates WHERE id = 1 AND current_company <> ''") ]]; then
		sed -e "s/1000000/$big/g" scripts/bench-data-search.sql | sql >/dev/null
	fi
fi

clk=$(getconf CLK_TCK)
cpu_ticks() { # pid... -> their utime + stime, in clock ticks
	local t=0 p f
	for p in "$@"; do
		[[ -r /proc/$p/stat ]] || continue
		read -ra f < <(sed 's/.*) //' "/proc/$p/stat")
		t=$((t + f[11] + f[12]))
	done
	echo "$t"
}
bench_password=bench-password-1
bench_admin=bench-admin@bench.hirelink.test
echo "$bench_password" | HIRELINK_CONFIG=$var/hirelink.conf "$bin/hirelink.fcgi" useradd \
	--email "$bench_admin" --name "Bench Admin" --role admin >/dev/null 2>&1 || true
csrf_of() { grep -o 'name="csrf-token" content="[^"]*"' | sed 's/.*content="//;s/"$//'; }
sign_in() { # email -> "hl_session=..."
	local jar; jar=$(mktemp)
	local csrf; csrf=$(curl -fsS -c "$jar" "$base/login" | csrf_of)
	local pre; pre=$(awk '$6 == "hl_pre" {print $7}' "$jar")
	rm -f "$jar"
	echo "hl_session=$(curl -fsS -o /dev/null -D - -H "Cookie: hl_pre=$pre" \
		--data "email=${1/@/%40}&password=$bench_password&csrf=$csrf" "$base/login" |
		grep -i '^set-cookie: hl_session=' | sed 's/^[^=]*=//; s/;.*//' | tr -d '\r')"
}
admin_cookie=$(sign_in "$bench_admin")
admin_csrf=$(curl -fsS -H "Cookie: $admin_cookie" "$base/admin/linkedin" | csrf_of)
declare -A li
while IFS='=' read -r k v; do li[$k]=$v; done < <(HIRELINK_CONFIG=$var/hirelink.conf "$bin/linkedin-sandbox.fcgi" credentials)
curl -fsS -o /dev/null -H "Cookie: $admin_cookie" --data-urlencode "csrf=$admin_csrf" \
	--data enabled=1 --data-urlencode "client_id=${li[client_id]}" \
	--data-urlencode "client_secret=${li[client_secret]}" \
	--data-urlencode "organization_urn=${li[organization]}" \
	--data-urlencode "contract_urn=${li[contract]}" --data ats_instance_name=bench \
	"$base/admin/linkedin"

. tests/bench/linkedin.sh
# the jobs at LinkedIn once (not measured again when there already;
# BENCH_JOB_SYNC=1: every time, right before the exports, as make bench)
if [[ ${BENCH_JOB_SYNC:-0} == 1 ]] ||
	[[ $(sql -N -e "SELECT COUNT(*) FROM linkedin_job_postings") -lt 10000 ]]; then
	li_job_sync
fi
li_rows=()
status() {
	sql -N -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Com_select',
		'Com_insert', 'Com_update', 'Com_delete', 'Com_commit', 'Com_begin',
		'Com_stmt_execute', 'Com_stmt_prepare', 'Handler_commit', 'Com_savepoint',
		'Innodb_rows_read', 'Innodb_rows_inserted', 'Innodb_rows_updated',
		'Innodb_rows_deleted', 'Innodb_log_writes', 'Innodb_os_log_fsyncs')"
}
[[ ${BENCH_DB_STATUS:-1} == 1 ]] && status >"$var/status-before.txt"
li_exports "$n" "$pace" "exports ($n, rate $pace), HL_OFFSET=$off, 1/$scale data"
[[ ${BENCH_DB_STATUS:-1} == 1 ]] && status >"$var/status-after.txt"
printf '%s\n' "${li_rows[@]}"
echo "CPU per export, us: hirelink / worker / sandbox / nginx / MariaDB (first row's last column)"
if [[ ${BENCH_DB_STATUS:-1} == 1 ]]; then
	echo "MariaDB counters per export over the run:"
	join <(sort "$var/status-before.txt") <(sort "$var/status-after.txt") |
		awk -v n="$n" '{printf "  %-24s %8.2f\n", $1, ($3 - $2) / n}'
fi
