#!/usr/bin/env bash
# Runs every test against the sanitizer build: unit tests, the libFuzzer
# harnesses for a few seconds each, then the
# integration tests on a private stack (profile "test") started and stopped
# here.  Exits non-zero on any failure, any sanitizer report in a server log,
# and prints one closing line: "N passed, N failed".
#
#   scripts/check.sh          everything
#   scripts/check.sh unit     unit tests only
#   scripts/check.sh it test_jobs [test_x ...]
#                             those integration tests only, on a fresh stack
#                             ("install": scripts/install-test.sh, the
#                             installed copy behind the production site)
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
what=${1:-all}
only=("${@:2}")
build=${HL_BUILD:-build}
off=${HL_OFFSET:-0}
passed=0 failed=0
failures=()

# CUnit prints "asserts N N N 0 n/a"; the tests line is the one to count.
# Appends "name ran failed status" for a test program's log to results.
tally() { # results name log status
	local line ran=0 bad=0
	line=$(grep -E '^ +tests +[0-9]+' "$3" | tail -1)
	if [[ -n $line ]]; then
		ran=$(awk '{print $3}' <<<"$line")
		bad=$(awk '{print $5}' <<<"$line")
	fi
	if [[ $4 -ne 0 && $bad -eq 0 ]]; then bad=1; fi
	echo "$2 $ran $bad $4" >>"$1"
}

# Adds up the lines tally wrote.
count() { # results
	local name ran bad rc
	[[ -f $1 ]] || return 0
	while read -r name ran bad rc; do
		passed=$((passed + ran - bad))
		failed=$((failed + bad))
		if [[ $rc -ne 0 ]]; then failures+=("$name"); fi
	done <"$1"
}

run_test() { # results binary [env...]
	local results=$1 bin=$2; shift 2
	local name; name=$(basename "$bin")
	local log=$root/var/test-logs$off/$name.log
	mkdir -p "$root/var/test-logs$off"
	echo "== $name"
	env "$@" "$bin" >"$log" 2>&1
	local rc=$?
	grep -E 'Suite|Test:|FAILED|passed|failed|Run Summary|tests |asserts ' "$log" | grep -vE '\.\.\.passed$' | tail -n 40
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log"; then
		echo "sanitizer report in $log:"; grep -A20 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log" | head -60
		[[ $rc -eq 0 ]] && rc=1
	fi
	tally "$results" "$name" "$log" "$rc"
}

# What the lanes below share: results, locks, each test's output.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hirelink-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1

# Lanes: the integration and browser test programs mostly wait (on the
# servers, the worker, the sandbox, Chromium), and the fuzzers each keep
# one core busy, so HL_TEST_LANES (2 unless 1) of them run at once.  Each
# test lane has its own stack: lane 0 at HL_OFFSET (ports 18080-18082,
# MariaDB 13307, state in var/test or var/test-<off>), lane 1 at
# HL_OFFSET+5 (18085-18087, MariaDB 13312, var/test-<off+5>).  Lane 0
# takes the browser tests first (Chromium), lane 1 the integration tests
# (ASan servers), each the longest first; a lane done with its own list
# helps with the other's.  Then the tests that time what they wait for
# (alone, below) run one after the other with nothing beside them.  A
# test's output is printed whole when it ends.
lanes=2
[[ ${HL_TEST_LANES:-2} == 1 ]] && lanes=1

# The index of the next item of a list to run (none left: fails).
next() { # list-name length
	local n
	{
		flock 9
		n=$(cat "$tmp/$1.next" 2>/dev/null || echo 0)
		echo $((n + 1)) >"$tmp/$1.next"
	} 9>>"$tmp/$1.lock"
	((n < $2)) && echo "$n"
}

# Prints a finished item's output whole.
show() { flock "$tmp/print.lock" cat "$1"; }

if [[ $what != it ]]; then
	for t in "$build"/asan/tests/unit/test_*; do
		[[ -x $t ]] && run_test "$tmp/unit" "$t"
	done
	count "$tmp/unit"
fi

# Fuzzing: each libFuzzer harness (tests/fuzz/) for HL_FUZZ_SECONDS, from
# the seeds in tests/fuzz/seeds/<name>/ and what earlier runs here found
# (var/fuzz/<name>/).  A crash, a leak or a failed property fails it; the
# input that did it is left in var/fuzz/.
fuzz_run() { # results binary
	local name; name=$(basename "$2")
	local log=$root/var/test-logs$off/$name.log corpus=$root/var/fuzz/$name
	mkdir -p "$corpus" "$root/var/test-logs$off"
	"$2" -max_total_time="${HL_FUZZ_SECONDS:-10}" -timeout=10 \
		-rss_limit_mb=1024 -print_final_stats=1 \
		-artifact_prefix="$root/var/fuzz/$name-" \
		"$corpus" "$root/tests/fuzz/seeds/$name" >"$log" 2>&1
	local rc=$?
	echo "$name: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') inputs, exit $rc"
	# a harness of several parsers says how many inputs each took
	grep '^reader ' "$log" | sed 's/^/    /'
	[[ $rc -eq 0 ]] || { tail -n 30 "$log"; echo "$name 1 1 $rc" >>"$1"; return; }
	echo "$name 1 0 0" >>"$1"
}
fuzz_lane() {
	local i
	while i=$(next fuzz ${#fuzzers[@]}); do
		fuzz_run "$tmp/fuzz" "${fuzzers[i]}" >"$tmp/fuzz.$i.out" 2>&1
		show "$tmp/fuzz.$i.out"
	done
}
if [[ $what == all ]]; then
	fuzzers=()
	for f in "$build"/fuzz/fuzz_*; do
		[[ -x $f && ! -d $f ]] && fuzzers+=("$f")
	done
	for ((k = 0; k < lanes; k++)); do fuzz_lane & done
	wait
	count "$tmp/fuzz"
fi

# Tests that time what they wait for (the sync's delay, sign-in delays,
# throttles, answers within a bound): run alone, on lane 0's stack once
# the lanes are done (and lane 1's stack stopped), so that another lane's
# load cannot make them late.
alone=(test_sync test_signin test_activities test_activities_throttle
	test_linkedin_connect test_linkedin_tab test_outbox)
is_alone() { printf '%s\n' "${alone[@]}" | grep -qx "$(basename "$1")"; }

# The longest tests first (as measured on CI), then the others by name,
# so that the lanes end together.
slow=(test_ui test_story test_linkedin_widget test_bulk_browser
	test_stage_browser test_search_browser
	test_sync test_signin test_linkedin_connect test_export test_activities
	test_linkedin_tab test_data_protection test_sandbox_export
	test_foundation test_jobs test_candidates test_outbox test_job_sync)
longest_first() { # binaries...
	local s t
	for s in "${slow[@]}"; do
		for t in "$@"; do [[ $(basename "$t") == "$s" ]] && echo "$t"; done
	done
	for t in "$@"; do
		printf '%s\n' "${slow[@]}" | grep -qx "$(basename "$t")" || echo "$t"
	done
}

lane_off() { echo $((off + 5 * $1)); }
lane_var() { # lane
	local o; o=$(lane_off "$1")
	if [[ $o == 0 ]]; then echo "$root/var/test"; else echo "$root/var/test-$o"; fi
}

# Starts lane k's stack afresh; its database for test_db too.
lane_start() { # lane
	local o v; o=$(lane_off "$1"); v=$(lane_var "$1")
	HL_OFFSET=$o scripts/stack.sh stop test >/dev/null 2>&1
	rm -rf "$v"
	if ! HL_OFFSET=$o scripts/stack.sh start test; then
		echo "the test stack at offset $o did not start"; tail -n 30 "$v"/log/*.log
		return 1
	fi
	mariadb --no-defaults -S "$v/mysql.sock" -u "$(id -un)" \
		-e 'CREATE DATABASE IF NOT EXISTS hirelink_dbtest' >/dev/null
}

# Stops lane k's stack; any sanitizer report in its servers' logs fails the run.
lane_stop() { # lane
	local o v log; o=$(lane_off "$1"); v=$(lane_var "$1")
	HL_OFFSET=$o scripts/stack.sh stop test
	for log in "$v"/log/hirelink.log "$v"/log/hirelink2.log "$v"/log/sandbox.log "$v"/log/worker*.log; do
		if [[ -f $log ]] && grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log"; then
			echo "sanitizer report in $log:"
			grep -A25 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log" | head -80
			failed=$((failed + 1)); failures+=("$(basename "$log")")
		fi
	done
}

# One lane: its own list first, then the other's (the lists named).
test_lane() { # lane list...
	local k=$1 o v i t name t0 list
	shift
	o=$(lane_off "$k"); v=$(lane_var "$k")
	for list in "$@"; do
		local -n items=${list}_progs
		while i=$(next "$list" ${#items[@]}); do
			t=${items[i]}; name=$(basename "$t"); t0=$SECONDS
			run_test "$tmp/tests" "$t" HL_OFFSET="$o" \
				HIRELINK_TEST_URL=http://127.0.0.1:$((18080 + o)) \
				HIRELINK_TEST_SANDBOX_URL=http://127.0.0.1:$((18081 + o)) \
				HIRELINK_TEST_URL2=http://127.0.0.1:$((18082 + o)) \
				HIRELINK_CONFIG="$v/hirelink.conf" \
				HIRELINK_CONFIG2="$v/hirelink2.conf" \
				HIRELINK_BIN="$root/$build/asan/cgi-bin/hirelink.fcgi" \
				HIRELINK_STACK="$root/scripts/stack.sh" \
				HIRELINK_TEST_DB_SOCKET="$v/mysql.sock" \
				HIRELINK_TEST_DB_USER="$(id -un)" \
				HIRELINK_TEST_DB_NAME=hirelink_dbtest \
				HIRELINK_TEST_LOGS="$root/var/test-logs$off" >"$tmp/out.$name" 2>&1
			echo "$name $((SECONDS - t0)) s, lane $k" >>"$tmp/times"
			show "$tmp/out.$name"
		done
		unset -n items
	done
}

if [[ $what == all || $what == it ]]; then
	wanted() { [[ $what == all ]] || printf '%s\n' "${only[@]}" | grep -qx "$(basename "$1")"; }
	it_progs=() browser_progs=() alone_progs=()
	for t in "$build"/asan/tests/integration/test_* "$build"/asan/tests/browser/test_*; do
		[[ -x $t ]] && wanted "$t" || continue
		# The seed's story runs in the full suite against the installed
		# copy (two nodes over TLS: install-test.sh below), not here
		# too; `it test_story` runs it here.
		[[ $what == all && $(basename "$t") == test_story ]] && continue
		if is_alone "$t"; then
			alone_progs+=("$t")
		elif [[ $t == */browser/* ]]; then
			browser_progs+=("$t")
		else
			it_progs+=("$t")
		fi
	done
	mapfile -t it_progs < <(longest_first "${it_progs[@]}")
	mapfile -t browser_progs < <(longest_first "${browser_progs[@]}")
	# no second stack for a few tests
	n=$((${#it_progs[@]} + ${#browser_progs[@]}))
	((n < 4)) && lanes=1
	for ((k = 0; k < lanes; k++)); do
		(lane_start "$k" >"$tmp/stack.$k.out" 2>&1; echo $? >"$tmp/stack.$k.rc") &
	done
	wait
	up=()
	for ((k = 0; k < lanes; k++)); do
		cat "$tmp/stack.$k.out"
		if [[ $(cat "$tmp/stack.$k.rc") == 0 ]]; then
			up+=("$k")
		else
			failed=$((failed + 1)); failures+=("stack")
		fi
	done
	SECONDS=0
	for k in "${up[@]}"; do
		if [[ $k == 0 ]]; then
			test_lane 0 browser it &
		else
			test_lane "$k" it browser &
		fi
	done
	wait
	lanes_took=$SECONDS
	# the timed tests, alone on the first stack up (lane 0's unless it
	# did not start), the others stopped
	keep=${up[0]:-}
	for k in "${up[@]}"; do [[ $k != "$keep" ]] && lane_stop "$k"; done
	[[ -n $keep ]] && test_lane "$keep" alone
	count "$tmp/tests"
	mkdir -p "$root/var/test-logs$off"
	[[ -f $tmp/times ]] && cp "$tmp/times" "$root/var/test-logs$off/times.txt"
	[[ ${#up[@]} -gt 0 ]] && echo "(the test programs took ${lanes_took} s in ${#up[@]} lanes, then $((SECONDS - lanes_took)) s alone: var/test-logs$off/times.txt)"
	# The installed copy: make install, two nodes of it behind the
	# production nginx site over TLS (scripts/install-test.sh), on lane
	# 0's MariaDB and sandbox (its ports are lane 1's: after it stopped).
	if [[ $keep == 0 ]]; then
		if [[ $what == all ]] || printf '%s\n' "${only[@]}" | grep -qx install; then
			log=$root/var/test-logs$off/install-test.log
			echo "== install-test"
			scripts/install-test.sh >"$log" 2>&1
			rc=$?
			grep -E '^not ok|^# |^[^ ]*:[0-9]+: ' "$log" | head -40
			line=$(tail -1 "$log")
			if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
				passed=$((passed + BASH_REMATCH[1]))
				failed=$((failed + BASH_REMATCH[2]))
				[[ $rc -ne 0 && ${BASH_REMATCH[2]} -eq 0 ]] && failed=$((failed + 1))
			else
				failed=$((failed + 1))
			fi
			echo "install-test: $line"
			[[ $rc -eq 0 ]] || failures+=("install-test")
		fi
	fi
	[[ -n $keep ]] && lane_stop "$keep"
fi

echo
[[ ${#failures[@]} -gt 0 ]] && echo "failing: ${failures[*]}"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && ${#failures[@]} -eq 0 ]]
