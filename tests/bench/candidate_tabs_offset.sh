#!/usr/bin/env bash
# tests/bench/candidate_tabs_offset.sh - make bench's candidate tab rows
# (tests/bench/candidate_tabs.sh) and its baseline H (tests/bench/hello.c
# behind the same nginx) against a helper's own test stack (HL_OFFSET,
# required and not 0), never the bench's fixed ports: for working on
# issue 15's speed without `make bench`.
#
#   HL_OFFSET=660 tests/bench/candidate_tabs_offset.sh
#
# Runs the release binaries (make all build/release/tests/bench/hello) on
# the test profile's ports of the offset, nginx without its access log as
# the bench's, with BENCH_SCALE (default 100) times fewer candidates,
# applications and notes than scripts/bench-data.sql, loaded once.  Prints
# the rows as the bench's table has them (name | conns | req/s | p50 | p99
# | errors | CPU us per request: responder / nginx / MariaDB), each row's
# ratio to H, and the bytes of each page.  BENCH_DURATION (default 10s).
# The stack is left running (HL_OFFSET=... scripts/stack.sh stop test).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
off=${HL_OFFSET:-0}
if [[ $off == 0 ]]; then
	echo "HL_OFFSET must name your own test stack (not 0)" >&2
	exit 2
fi
scale=${BENCH_SCALE:-100}
dur=${BENCH_DURATION:-10s}
bin=${HL_BIN_DIR:-$root/cgi-bin}
export HL_OFFSET=$off HL_BIN_DIR=$bin
var=$root/var/test-$off
base=http://127.0.0.1:$((18080 + off))
sbase=http://127.0.0.1:$((18081 + off))
me=$(id -un)
scripts/stack.sh start test >/dev/null
# no access log, as on the bench's stack (stack.sh: profile bench)
if grep -q 'access_log .*nginx-access.log' "$var/nginx.conf"; then
	sed -i 's|access_log .*nginx-access.log hirelink;|access_log off;|' "$var/nginx.conf"
	nginx -q -e "$var/log/nginx-error.log" -p "$var/nginx" -c "$var/nginx.conf" -s reload
	sleep 0.5
fi
if [[ -f $var/hello.pid ]] && kill "$(cat "$var/hello.pid")" 2>/dev/null; then
	for _ in $(seq 1 50); do kill -0 "$(cat "$var/hello.pid")" 2>/dev/null || break; sleep 0.1; done
fi
rm -f "$var/hello.sock"
build/release/tests/bench/hello "$var/hello.sock" 8 >>"$var/log/hello.log" 2>&1 &
echo $! >"$var/hello.pid"
disown
for _ in $(seq 1 50); do [[ -S $var/hello.sock ]] && break; sleep 0.1; done

sql() { mariadb --no-defaults -S "$var/mysql.sock" -u "$me" hirelink "$@"; }
if [[ $(sql -N -e "SELECT COUNT(*) FROM candidates") -lt $((1000000 / scale)) ]]; then
	echo "loading bench data at 1/$scale..." >&2
	big=$((1000000 / scale))
	sed -e "s/seq_1_to_1000000/seq_1_to_$big/; s/seq_1_to_2000000/seq_1_to_$((2 * big))/" \
		-e "s/seq_1_to_3000000/seq_1_to_$((3 * big))/; s/seq_1_to_200000\b/seq_1_to_$((big / 5))/" \
		-e "s/IF(seq > 1000000/IF(seq > $big/; s/(seq - 1) % 1000000/(seq - 1) % $big/" \
		-e "s/% 999999/% $((big - 1))/; s/% 1000000$/% $big/; s/500000 + seq \* 7/$((big / 2)) + seq * 7/" \
		-e "s/seq \* 97 FROM seq_1_to_10000/seq * 97 FROM seq_1_to_$((big / 100))/" \
		scripts/bench-data.sql >"$var/bench-data-small.sql"
	sql <"$var/bench-data-small.sql" >/dev/null
fi

bench_email=bench@bench.hirelink.test
bench_admin=bench-admin@bench.hirelink.test
bench_password=bench-password-1
for u in "$bench_email recruiter --seat recruiter" "$bench_admin admin"; do
	read -r email role rest <<<"$u"
	# shellcheck disable=SC2086
	echo "$bench_password" | HIRELINK_CONFIG=$var/hirelink.conf "$bin/hirelink.fcgi" useradd \
		--email "$email" --name "Bench $role" --role "$role" $rest >/dev/null 2>&1 || true
done
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
cookies=$var/cookies.txt
: >"$cookies"
for _ in $(seq 1 64); do sign_in "$bench_email" >>"$cookies"; done
export BENCH_COOKIES=$cookies
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

metrics() { curl -fsS -H "Authorization: Bearer $(cat "$var/metrics_token")" "$base/metrics"; }
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
app_pid=$(cat "$var/hirelink.pid")
groups_ticks() {
	echo "$(cpu_ticks "$app_pid") $(cpu_ticks $(pgrep -P "$(cat "$var/nginx.pid")")) $(cpu_ticks "$(cat "$var/mariadb.pid")")"
}
# as scripts/bench.sh's
measure() {
	local name=$1 url=$2 conns=$3 script=${4:-}
	local args=(-t2 -c"$conns" -d"$dur" --latency)
	[[ -n $script ]] && args+=(-s "$script")
	wrk "${args[@]}" -d2s "$url" >/dev/null
	local before after; before=$(groups_ticks)
	local o; o=$(wrk "${args[@]}" "$url")
	after=$(groups_ticks)
	local rps p50 p99 err cpu n
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$o")
	p50=$(awk '$1=="50%" {print $2}' <<<"$o")
	p99=$(awk '$1=="99%" {print $2}' <<<"$o")
	err=$(awk '/Non-2xx or 3xx responses:/ {n+=$NF} /Socket errors/ {gsub(",", ""); n+=$4+$6+$8+$10} END {print n+0}' <<<"$o")
	n=$(awk '/requests in/ {print $1}' <<<"$o")
	cpu=$(awk -v b="$before" -v a="$after" -v n="$n" -v clk="$clk" 'BEGIN {
		split(b, x, " "); split(a, y, " "); s = ""
		for (i = 1; i <= 3; i++)
			s = s (i > 1 ? " / " : "") (n > 0 ? sprintf("%.0f", (y[i] - x[i]) * 1e6 / clk / n) : "-")
		print s }')
	echo "$name|$conns|$rps|$p50|$p99|$err|$cpu"
}
median_of_3() {
	local a b c
	a=$(measure "$1" "$2" 32 "${3:-}")
	b=$(measure "$1" "$2" 32 "${3:-}")
	c=$(measure "$1" "$2" 32 "${3:-}")
	printf '%s\n' "$a" "$b" "$c" | sort -t'|' -k3,3 -g | awk -F'|' -v OFS='|' \
		'{ e += $6 } NR == 2 { m = $0 } END { $0 = m; $6 = e; print }'
}

rows=()
app_pid=$(cat "$var/hello.pid")
rows+=("$(median_of_3 "hello FastCGI (H)" "$base/bench/hello")")
app_pid=$(cat "$var/hirelink.pid")
source tests/bench/candidate_tabs.sh
H=$(cut -d'|' -f3 <<<"${rows[0]}")
for r in "${rows[@]}"; do
	rps=$(cut -d'|' -f3 <<<"$r")
	echo "$r|$(awk -v r="$rps" -v h="$H" 'BEGIN { if (r + 0 > 0) printf "%.3f H", r / h; else print "-" }')"
done
for path in /candidates/1?tab=linkedin /candidates/1?tab=activities; do
	echo "$path: $(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $(head -1 "$cookies")" "$base$path") bytes"
done
