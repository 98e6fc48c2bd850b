#!/usr/bin/env bash
# The local stack: a private MariaDB, hirelink.fcgi, linkedin-sandbox.fcgi
# and nginx, all on loopback, all state under var/<profile>/.
#
#   scripts/stack.sh start|stop|status|demo|restart-app|app-stop|app-start|
#                    restart-app2|app2-stop|app2-start|db-stop|db-start [profile]
#   scripts/stack.sh worker-stop|worker-start|worker-kill [profile]
#
# start runs one outbox worker (hirelink.fcgi worker, pid in
# var/<profile>/worker.pid, log in var/<profile>/log/worker.log) after the
# migrations; stop stops it.  Tests stop it (SIGTERM: it finishes its
# batch), kill it (SIGKILL: its rows come back after the lease) and start it
# again with worker-stop, worker-kill and worker-start.  The test profile's
# second instance has its own (worker2.pid, log/worker2.log).
#
# Profiles keep `make run`, `make check` and `make bench` apart:
#   run    nginx 127.0.0.1:8080, sandbox 8081, MariaDB 3307, release binaries
#   test   nginx 18080, sandbox 18081, MariaDB 13307, ASan+UBSan binaries,
#          and a second hirelink instance on 18082 (database hirelink2,
#          var/test/hirelink2.conf): another customer of the same LinkedIn
#          organization, for "Change ATS" between two instances
#   bench  nginx 28080, sandbox 28081, MariaDB 23307, release binaries
# Starting twice is harmless: what runs already is left alone.
# app-stop / app-start stop and start hirelink alone (nginx then answers
# 502, as for a hirelink that is down); the app2 verbs do so for the second
# instance.
set -euo pipefail

cmd=${1:-status}
profile=${2:-run}
root=$(cd "$(dirname "$0")/.." && pwd)
# HL_OFFSET (a multiple of 10) moves a test stack's ports and state, so that
# several people working in one tree can each run their own; HL_BUILD names
# the build directory whose sanitizer programs the test profile runs.
off=${HL_OFFSET:-0}
case $profile in
run) port=8080 sport=8081 dbport=3307 bindir=$root/cgi-bin ;;
test) port=$((18080 + off)) sport=$((18081 + off)) dbport=$((13307 + off))
      port2=$((18082 + off)) bindir=$root/${HL_BUILD:-build}/asan/cgi-bin ;;
bench) port=28080 sport=28081 dbport=23307 bindir=$root/cgi-bin ;;
*) echo "unknown profile '$profile'" >&2; exit 2 ;;
esac
bindir=${HL_BIN_DIR:-$bindir}
# The bench holds millions of rows: give InnoDB room for them.  And it
# writes: the LinkedIn rows' job sync and 15,000 exports write ~160 MB of
# redo, so MariaDB's default 96 MB redo log filled during the flood, and
# InnoDB flushed pages to make room (its checkpoint) through the paced
# run.  A redo log of 1 GB holds the bench's writes (tests/bench/README.md,
# issue 14, session 27).
pool=256M redo=96M
[[ $profile == bench ]] && pool=3G redo=1G
var=$root/var/$profile
[[ $profile == test && $off != 0 ]] && var=$root/var/test-$off
me=$(id -un)
dbsock=$var/mysql.sock
conf=$var/hirelink.conf
conf2=$var/hirelink2.conf
export HIRELINK_CONFIG=$conf
# The second instance runs in the test profile only.
second=false
[[ $profile == test ]] && second=true
# Sanitizer builds: report to the log, which `make check` scans afterwards.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# (a process that is stopping may remove its pid file between a test and a read)
running() { local pid; pid=$(cat "$1" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; }

wait_for() { # what, command...
	local what=$1; shift
	for _ in $(seq 1 150); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "$what did not come up; see $var/log/" >&2
	return 1
}

sql() { mariadb --no-defaults -S "$dbsock" -u "$me" "$@"; }

db_start() {
	# MariaDB's temporary files in a folder of the stack's own: two stacks
	# started at once (make check's lanes) share nothing, and nothing
	# that tidies /tmp can take a file from under a running server
	mkdir -p "$var/log" "$var/tmp"
	if [[ ! -d $var/mysql/mysql ]]; then
		mariadb-install-db --no-defaults --datadir="$var/mysql" --user="$me" \
			--auth-root-authentication-method=socket --skip-test-db \
			--tmpdir="$var/tmp" >"$var/log/mariadb-install.log" 2>&1
	fi
	if ! running "$var/mariadb.pid"; then
		mariadbd --no-defaults --datadir="$var/mysql" --tmpdir="$var/tmp" --socket="$dbsock" \
			--port="$dbport" --bind-address=127.0.0.1 --user="$me" \
			--pid-file="$var/mariadb.pid" --log-error="$var/log/mariadb.log" \
			--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
			--innodb-buffer-pool-size="${HL_DB_POOL:-$pool}" \
			--innodb-log-file-size="${HL_DB_REDO:-$redo}" \
			--innodb-flush-log-at-trx-commit=2 --skip-name-resolve \
			--innodb-adaptive-hash-index=ON \
			--max-connections=500 --open-files-limit=4096 >>"$var/log/mariadb.log" 2>&1 &
		wait_for MariaDB mariadb-admin --no-defaults -S "$dbsock" -u "$me" ping
		wait_for MariaDB test -f "$var/mariadb.pid"
	fi
}

db_stop() {
	if running "$var/mariadb.pid"; then
		local pid; pid=$(cat "$var/mariadb.pid")
		kill "$pid"
		for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
}

secret_file() { # file: 32 random bytes as hex, made once
	[[ -f $1 ]] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$1")
}

write_config() {
	secret_file "$var/secret_key"
	# what Prometheus (and the tests, scripts/bench.sh) send to read /metrics
	secret_file "$var/metrics_token"
	[[ -f $var/db_password ]] || (umask 077; head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$var/db_password")
	local second_db=""
	$second && second_db="CREATE DATABASE IF NOT EXISTS hirelink2 CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		GRANT ALL ON hirelink2.* TO 'hirelink'@'localhost';"
	sql -e "CREATE DATABASE IF NOT EXISTS hirelink CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE DATABASE IF NOT EXISTS linkedin_sandbox CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER IF NOT EXISTS 'hirelink'@'localhost' IDENTIFIED BY '$(cat "$var/db_password")';
		GRANT ALL ON hirelink.* TO 'hirelink'@'localhost';
		GRANT ALL ON linkedin_sandbox.* TO 'hirelink'@'localhost';
		$second_db"
	app_config "$conf" hirelink "$port" hirelink data secret_key
	if $second; then
		secret_file "$var/secret_key2"
		app_config "$conf2" hirelink2 "$port2" hirelink2 data2 secret_key2
	fi
}

app_config() { # file name port database data-dir secret-file: one instance's config
	local file=$1 name=$2 aport=$3 db=$4 data=$5 secret=$6
	local threads=8 cost=19456 cache=5
	# tests wait out the session cache's bound: keep it short there
	[[ $profile == test ]] && threads=4 cache=1
	# the second instance serves a few requests of a few tests
	[[ $name == hirelink2 ]] && threads=2
	mkdir -p "$var/$data"
	cat >"$file" <<CONF
# Written by scripts/stack.sh for the '$profile' profile.
listen = $var/$name.sock
threads = $threads
public_base_url = http://127.0.0.1:$aport
templates_dir = $root/templates
static_dir = $root/static
sql_dir = $root/sql
data_dir = $var/$data
secret_key = $(cat "$var/$secret")
metrics_token = $(cat "$var/metrics_token")
password_m_cost_kib = $cost
session_cache_seconds = $cache
db_socket = $dbsock
db_user = hirelink
db_password = $(cat "$var/db_password")
db_name = $db
linkedin_oauth_base = http://127.0.0.1:$sport
linkedin_api_base = http://127.0.0.1:$sport
linkedin_platform_base = http://127.0.0.1:$sport
linkedin_widget_origin = http://127.0.0.1:$sport
sandbox_listen = $var/sandbox.sock
sandbox_db_name = linkedin_sandbox
CONF
	# The first instance queues every sign-in and request a test sends at
	# once (the throttling tests count each one checked, test_foundation
	# sends a crowd, on a machine that may be busy: shedding is
	# test_http's); the second checks one password at a time and queues
	# none: test_signin's storm of sign-ins meets a busy answer there.
	if [[ $profile == test && $name == hirelink ]]; then
		printf '%s\n' "login_queue_ms = 60000" "queue_max_ms = 60000" >>"$file"
	elif [[ $profile == test ]]; then
		printf '%s\n' "password_slots = 1" "login_queue_ms = 0" >>"$file"
	fi
	# tests watch the sandbox retry a push notification: seconds, not a minute
	if [[ $profile == test ]]; then
		printf '%s\n' "sandbox_delivery_backoff_ms = 250" \
			"sandbox_delivery_backoff_max_ms = 2000" >>"$file"
	fi
	chmod 600 "$file"
}

prog_start() { # name binary socket [config]
	local name=$1 bin=$2 sock=$3 config=${4:-$conf}
	running "$var/$name.pid" && return 0
	[[ -x $bin ]] || { echo "$bin is not built (run make)" >&2; exit 1; }
	rm -f "$sock"
	HIRELINK_CONFIG=$config "$bin" >>"$var/log/$name.log" 2>&1 &
	echo $! >"$var/$name.pid"
	wait_for "$name" test -S "$sock"
}

prog_stop() { # name
	if running "$var/$1.pid"; then
		local pid; pid=$(cat "$var/$1.pid")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -f "$var/$1.pid"
}

# The outbox's worker: no socket to wait for, so started means its log
# says so (it read its config and is polling).
worker_start() { # name config
	local name=$1 wconf=$2 bin=$bindir/hirelink.fcgi pid
	running "$var/$name.pid" && return 0
	[[ -x $bin ]] || { echo "$bin is not built (run make)" >&2; exit 1; }
	HIRELINK_CONFIG=$wconf "$bin" worker >>"$var/log/$name.log" 2>&1 &
	pid=$!
	echo "$pid" >"$var/$name.pid"
	wait_for "$name" grep -q "worker started (pid $pid)" "$var/log/$name.log"
}

# SIGKILL, as a crash or the OOM killer would: no batch is finished.
worker_kill() { # name
	if running "$var/$1.pid"; then
		local pid; pid=$(cat "$var/$1.pid")
		kill -9 "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -f "$var/$1.pid"
}

nginx_start() {
	mkdir -p "$var/nginx" "$var/log"
	local user_line="" access="$var/log/nginx-access.log hirelink"
	[[ $(id -u) -eq 0 ]] && user_line="user root;"
	[[ $profile == bench ]] && access=off
	local subst=(-e "s|@USER_LINE@|$user_line|" -e "s|@VAR@|$var|g" -e "s|@ROOT@|$root|g"
		-e "s|@PORT@|$port|g" -e "s|@SANDBOX_PORT@|$sport|g" -e "s|@ACCESS_LOG@|$access|g")
	# the second instance's server block, or nothing (nginx.conf includes it)
	if $second; then
		sed "${subst[@]}" -e "s|@PORT2@|$port2|g" "$root/nginx/local-second.conf.in" >"$var/nginx-second.conf"
	else
		: >"$var/nginx-second.conf"
	fi
	sed "${subst[@]}" "$root/nginx/local.conf.in" >"$var/nginx.conf"
	if running "$var/nginx.pid"; then
		nginx -q -e "$var/log/nginx-error.log" -p "$var/nginx" -c "$var/nginx.conf" -s reload
	else
		nginx -q -e "$var/log/nginx-error.log" -p "$var/nginx" -c "$var/nginx.conf"
	fi
	wait_for nginx curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz"
	if $second; then
		wait_for nginx curl -fsS -o /dev/null "http://127.0.0.1:$port2/healthz"
	fi
}

start() {
	mkdir -p "$var/log" "$var/data"
	db_start
	write_config
	# The second instance's schema is made while the first's and the
	# sandbox's are: the start of a test run waits for the slowest only.
	local migrate2=""
	if $second; then
		HIRELINK_CONFIG=$conf2 "$bindir/hirelink.fcgi" migrate >>"$var/log/migrate2.log" 2>&1 &
		migrate2=$!
	fi
	"$bindir/hirelink.fcgi" migrate >>"$var/log/migrate.log" 2>&1 ||
		{ cat "$var/log/migrate.log" >&2; exit 1; }
	"$bindir/linkedin-sandbox.fcgi" migrate >>"$var/log/migrate.log" 2>&1 ||
		{ cat "$var/log/migrate.log" >&2; exit 1; }
	"$bindir/linkedin-sandbox.fcgi" seed >>"$var/log/migrate.log" 2>&1 ||
		{ cat "$var/log/migrate.log" >&2; exit 1; }
	if [[ -n $migrate2 ]]; then
		wait "$migrate2" || { cat "$var/log/migrate2.log" >&2; exit 1; }
	fi
	prog_start hirelink "$bindir/hirelink.fcgi" "$var/hirelink.sock"
	worker_start worker "$conf"
	if $second; then
		prog_start hirelink2 "$bindir/hirelink.fcgi" "$var/hirelink2.sock" "$conf2"
		worker_start worker2 "$conf2"
	fi
	prog_start sandbox "$bindir/linkedin-sandbox.fcgi" "$var/sandbox.sock"
	nginx_start
}

stop() {
	if running "$var/nginx.pid"; then
		nginx -q -e "$var/log/nginx-error.log" -p "$var/nginx" -c "$var/nginx.conf" -s quit || true
		for _ in $(seq 1 50); do running "$var/nginx.pid" || break; sleep 0.1; done
	fi
	prog_stop hello
	prog_stop sandbox
	prog_stop worker
	prog_stop worker2
	prog_stop hirelink
	prog_stop hirelink2
	db_stop
}

demo() {
	"$bindir/hirelink.fcgi" seed-demo
	echo
	echo "hirelink is running at      http://127.0.0.1:$port/"
	echo "LinkedIn sandbox at         http://127.0.0.1:$sport/"
	echo "LinkedIn sandbox application (for Admin > LinkedIn settings):"
	"$bindir/linkedin-sandbox.fcgi" credentials | sed 's/^/  /'
	echo "Demo logins (email / password):"
	"$bindir/hirelink.fcgi" demo-logins | sed 's/^/  /'
	echo "LinkedIn: sign in as the admin, open http://127.0.0.1:$port/admin/linkedin,"
	echo "tick Enable and enter the sandbox's application (ATS instance name: any):"
	"$bindir/linkedin-sandbox.fcgi" credentials 2>/dev/null | grep -v '^redirect_uri=' | sed 's/^/  /' ||
		echo "  (run: $bindir/linkedin-sandbox.fcgi credentials)"
	echo "Stop it all with: make stop"
}

case $cmd in
start) start ;;
stop) stop ;;
demo) demo ;;
restart-app) prog_stop hirelink; prog_start hirelink "$bindir/hirelink.fcgi" "$var/hirelink.sock" ;;
app-stop) prog_stop hirelink ;;
app-start) prog_start hirelink "$bindir/hirelink.fcgi" "$var/hirelink.sock" ;;
restart-app2|app2-stop|app2-start)
	$second || { echo "the '$profile' profile has no second instance" >&2; exit 2; }
	[[ $cmd == app2-start ]] || prog_stop hirelink2
	[[ $cmd == app2-stop ]] || prog_start hirelink2 "$bindir/hirelink.fcgi" "$var/hirelink2.sock" "$conf2" ;;
db-stop) db_stop ;;
db-start) db_start ;;
worker-start) worker_start worker "$conf" ;;
worker-stop) prog_stop worker ;;
worker-kill) worker_kill worker ;;
worker2-start|worker2-stop|worker2-kill)
	$second || { echo "the '$profile' profile has no second instance" >&2; exit 2; }
	case $cmd in
	worker2-start) worker_start worker2 "$conf2" ;;
	worker2-stop) prog_stop worker2 ;;
	worker2-kill) worker_kill worker2 ;;
	esac ;;
status)
	for p in mariadb hirelink worker hirelink2 worker2 sandbox nginx; do
		[[ $p == *2 ]] && ! $second && continue
		if running "$var/$p.pid"; then echo "$p: running"; else echo "$p: stopped"; fi
	done ;;
*) echo "usage: $0 start|stop|status|demo|restart-app|app-stop|app-start|restart-app2|app2-stop|app2-start|db-stop|db-start|worker-start|worker-stop|worker-kill [run|test|bench]" >&2; exit 2 ;;
esac
