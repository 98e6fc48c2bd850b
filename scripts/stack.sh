#!/usr/bin/env bash
# The local stack: a private MariaDB, hirelink.fcgi, linkedin-sandbox.fcgi
# and nginx, all on loopback, all state under var/<profile>/.
#
#   scripts/stack.sh start|stop|status|demo|restart-app|db-stop|db-start [profile]
#   scripts/stack.sh worker-stop|worker-start|worker-kill [profile]
#
# start runs one outbox worker (hirelink.fcgi worker, pid in
# var/<profile>/worker.pid, log in var/<profile>/log/worker.log) after the
# migrations; stop stops it.  Tests stop it (SIGTERM: it finishes its
# batch), kill it (SIGKILL: its rows come back after the lease) and start it
# again with worker-stop, worker-kill and worker-start.
#
# Profiles keep `make run`, `make check` and `make bench` apart:
#   run    nginx 127.0.0.1:8080, sandbox 8081, MariaDB 3307, release binaries
#   test   nginx 18080, sandbox 18081, MariaDB 13307, ASan+UBSan binaries
#   bench  nginx 28080, sandbox 28081, MariaDB 23307, release binaries
# Starting twice is harmless: what runs already is left alone.
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
      bindir=$root/${HL_BUILD:-build}/asan/cgi-bin ;;
bench) port=28080 sport=28081 dbport=23307 bindir=$root/cgi-bin ;;
*) echo "unknown profile '$profile'" >&2; exit 2 ;;
esac
bindir=${HL_BIN_DIR:-$bindir}
# The bench holds millions of rows: give InnoDB room for them.
pool=256M
[[ $profile == bench ]] && pool=3G
var=$root/var/$profile
[[ $profile == test && $off != 0 ]] && var=$root/var/test-$off
me=$(id -un)
dbsock=$var/mysql.sock
conf=$var/hirelink.conf
export HIRELINK_CONFIG=$conf
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
	mkdir -p "$var/log"
	if [[ ! -d $var/mysql/mysql ]]; then
		mariadb-install-db --no-defaults --datadir="$var/mysql" --user="$me" \
			--auth-root-authentication-method=socket --skip-test-db \
			>"$var/log/mariadb-install.log" 2>&1
	fi
	if ! running "$var/mariadb.pid"; then
		mariadbd --no-defaults --datadir="$var/mysql" --socket="$dbsock" \
			--port="$dbport" --bind-address=127.0.0.1 --user="$me" \
			--pid-file="$var/mariadb.pid" --log-error="$var/log/mariadb.log" \
			--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
			--innodb-buffer-pool-size="${HL_DB_POOL:-$pool}" \
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

write_config() {
	[[ -f $var/secret_key ]] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$var/secret_key")
	[[ -f $var/db_password ]] || (umask 077; head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$var/db_password")
	sql -e "CREATE DATABASE IF NOT EXISTS hirelink CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE DATABASE IF NOT EXISTS linkedin_sandbox CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER IF NOT EXISTS 'hirelink'@'localhost' IDENTIFIED BY '$(cat "$var/db_password")';
		GRANT ALL ON hirelink.* TO 'hirelink'@'localhost';
		GRANT ALL ON linkedin_sandbox.* TO 'hirelink'@'localhost';"
	local threads=8 cost=19456 cache=5
	# tests wait out the session cache's bound: keep it short there
	[[ $profile == test ]] && threads=4 cache=1
	cat >"$conf" <<CONF
# Written by scripts/stack.sh for the '$profile' profile.
listen = $var/hirelink.sock
threads = $threads
public_base_url = http://127.0.0.1:$port
templates_dir = $root/templates
static_dir = $root/static
sql_dir = $root/sql
data_dir = $var/data
secret_key = $(cat "$var/secret_key")
password_m_cost_kib = $cost
session_cache_seconds = $cache
db_socket = $dbsock
db_user = hirelink
db_password = $(cat "$var/db_password")
db_name = hirelink
linkedin_oauth_base = http://127.0.0.1:$sport
linkedin_api_base = http://127.0.0.1:$sport
linkedin_platform_base = http://127.0.0.1:$sport
sandbox_listen = $var/sandbox.sock
sandbox_db_name = linkedin_sandbox
CONF
	chmod 600 "$conf"
}

prog_start() { # name binary socket
	local name=$1 bin=$2 sock=$3
	running "$var/$name.pid" && return 0
	[[ -x $bin ]] || { echo "$bin is not built (run make)" >&2; exit 1; }
	rm -f "$sock"
	"$bin" >>"$var/log/$name.log" 2>&1 &
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
	local user_line="" access="$var/log/nginx-access.log"
	[[ $(id -u) -eq 0 ]] && user_line="user root;"
	[[ $profile == bench ]] && access=off
	sed -e "s|@USER_LINE@|$user_line|" -e "s|@VAR@|$var|g" -e "s|@ROOT@|$root|g" \
	    -e "s|@PORT@|$port|g" -e "s|@SANDBOX_PORT@|$sport|g" -e "s|@ACCESS_LOG@|$access|g" \
	    "$root/nginx/local.conf.in" >"$var/nginx.conf"
	if running "$var/nginx.pid"; then
		nginx -q -e "$var/log/nginx-error.log" -p "$var/nginx" -c "$var/nginx.conf" -s reload
	else
		nginx -q -e "$var/log/nginx-error.log" -p "$var/nginx" -c "$var/nginx.conf"
	fi
	wait_for nginx curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz"
}

start() {
	mkdir -p "$var/log" "$var/data"
	db_start
	write_config
	"$bindir/hirelink.fcgi" migrate >>"$var/log/migrate.log" 2>&1 ||
		{ cat "$var/log/migrate.log" >&2; exit 1; }
	"$bindir/linkedin-sandbox.fcgi" migrate >>"$var/log/migrate.log" 2>&1 ||
		{ cat "$var/log/migrate.log" >&2; exit 1; }
	"$bindir/linkedin-sandbox.fcgi" seed >>"$var/log/migrate.log" 2>&1 ||
		{ cat "$var/log/migrate.log" >&2; exit 1; }
	prog_start hirelink "$bindir/hirelink.fcgi" "$var/hirelink.sock"
	worker_start worker "$conf"
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
	prog_stop hirelink
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
db-stop) db_stop ;;
db-start) db_start ;;
worker-start) worker_start worker "$conf" ;;
worker-stop) prog_stop worker ;;
worker-kill) worker_kill worker ;;
status)
	for p in mariadb hirelink worker sandbox nginx; do
		if running "$var/$p.pid"; then echo "$p: running"; else echo "$p: stopped"; fi
	done ;;
*) echo "usage: $0 start|stop|status|demo|restart-app|db-stop|db-start|worker-start|worker-stop|worker-kill [run|test|bench]" >&2; exit 2 ;;
esac
