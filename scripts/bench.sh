#!/usr/bin/env bash
# make bench: wrk against the real stack (profile "bench"), next to two
# baselines measured in the same run: (S) nginx serving a static file and
# (H) a hello-world FastCGI responder behind the same nginx.
# Writes tests/bench/results.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
var=$root/var/bench
out=$root/tests/bench/results.md
dur=${BENCH_DURATION:-10s}

scripts/stack.sh start bench
build/release/tests/bench/hello "$var/hello.sock" 8 >>"$var/log/hello.log" 2>&1 &
echo $! >"$var/hello.pid"
disown
for _ in $(seq 1 50); do [[ -S $var/hello.sock ]] && break; sleep 0.1; done
trap 'scripts/stack.sh stop bench' EXIT

base=http://127.0.0.1:28080
# (S): a static HTML file the size of a typical page.
mkdir -p "$root/var/bench-static"
curl -fsS -o /dev/null "$base/healthz"
head -c 12000 /dev/zero | tr '\0' 'x' >"$root/static/.bench-page.html"
trap 'rm -f "$root/static/.bench-page.html"; scripts/stack.sh stop bench' EXIT

# name url -> "rps p50 p99 errors"
measure() {
	curl -fsS -o /dev/null "$2" # warm-up and sanity
	wrk -t2 -c32 -d2s "$2" >/dev/null
	local o; o=$(wrk -t2 -c32 -d"$dur" --latency "$2")
	local rps p50 p99 err
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$o")
	p50=$(awk '$1=="50%" {print $2}' <<<"$o")
	p99=$(awk '$1=="99%" {print $2}' <<<"$o")
	err=$(awk '/Non-2xx|Socket errors/ {e=1} END {print e?"yes":"no"}' <<<"$o")
	echo "$1|$rps|$p50|$p99|$err"
}

rows=()
rows+=("$(measure "static file (S)" "$base/static/.bench-page.html")")
rows+=("$(measure "hello FastCGI (H)" "$base/bench/hello")")
rows+=("$(measure "GET /healthz" "$base/healthz")")
S=$(cut -d'|' -f2 <<<"${rows[0]}")
H=$(cut -d'|' -f2 <<<"${rows[1]}")
{
	echo "# make bench"
	echo
	echo "Date: $(date -u +%Y-%m-%dT%H:%MZ). Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')."
	echo "wrk -t2 -c32 -d$dur after a warm-up, nginx and the programs on loopback."
	echo
	echo "| what | requests/s | p50 | p99 | errors | vs H | vs S |"
	echo "|---|---|---|---|---|---|---|"
	for r in "${rows[@]}"; do
		IFS='|' read -r name rps p50 p99 err <<<"$r"
		echo "| $name | $rps | $p50 | $p99 | $err | $(awk -v a="$rps" -v b="$H" 'BEGIN{printf "%.2f", a/b}') | $(awk -v a="$rps" -v b="$S" 'BEGIN{printf "%.2f", a/b}') |"
	done
} >"$out"
cat "$out"
grep -q '| yes |' "$out" && { echo "bench: some requests failed" >&2; exit 1; }
exit 0
