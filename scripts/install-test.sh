#!/usr/bin/env bash
# The installed copy, tested as an admin would run it (scripts/check.sh
# runs this while its test stack is up, after the integration tests):
#
#   make install into a temporary prefix (and a DESTDIR install, checked
#   for the source tree's path and uninstalled again); the units checked
#   with systemd-analyze verify where it exists;
#   two nodes of the installed copy: two responders (node a on a socket
#   handed over on stdin, as systemd's hirelink.socket does; node b on
#   its own `listen`) and two workers, all as an unprivileged user
#   (nobody, when this runs as root) with the source tree hidden from them
#   (a mount namespace with an empty tmpfs over it, when this runs as
#   root), on one database of the test stack's MariaDB over TCP;
#   the installed nginx/hirelink.conf in front of them (nginx as that
#   user too), over TLS with a certificate made here, its listen,
#   certificate, socket and log lines moved and nothing else;
#   "LinkedIn" over TLS as well: the installed linkedin-sandbox.fcgi (on
#   the test stack's sandbox database, configured for this hirelink's
#   address) behind a server of the same nginx with the same certificate;
#   hirelink trusts that certificate through linkedin_ca_file (verification
#   stays on), Chromium through --ignore-certificate-errors (webdriver.c,
#   only when HIRELINK_TEST_CA is set), the tests' libcurl through
#   HIRELINK_TEST_CA;
#   curl checks of what nginx does (HTTP/2, static files' names and cache
#   lifetimes, body limits, limit_req, real_ip, security headers), then
#   tests/deploy/test_two_nodes (sign-in, a session on both nodes, a kept
#   page invalidated across both, an export through the sandbox applied
#   once), the browser tests of tests/browser/test_browser.c (headless
#   Chromium: sign-in through the form, the styled page under the CSP, a
#   phone's width) against the production site, and the seed's story
#   (tests/browser/test_story.c) against it: requests from the story in
#   both nodes' logs, its export one application, what it synced sent once.
#
# Kept for the notes (in var/test-logs<off>/install/): installed-files.txt
# (make install DESTDIR=: every file), units/ (the unit files as
# installed), systemd-security.txt, axe-results.txt (test_ui's, from the
# development stack's run), the story's screenshots (story-*.png).
#
# Ports (all moved by HL_OFFSET): 18083 TLS, 18084 plain HTTP (redirects),
# 18085 and 18086 each node alone (TLS, test only), 18087 LinkedIn's
# callback in plain HTTP (the sandbox's notifications use the system's CA
# store, which does not know the certificate made here; test only), 18088
# the sandbox ("LinkedIn") over TLS.  Output: "ok"/"not ok" lines, then
# "N passed, N failed"; logs are kept in var/test-logs<off>/install/.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
off=${HL_OFFSET:-0}
build=${HL_BUILD:-build}
var=$root/var/test
[[ $off != 0 ]] && var=$root/var/test-$off
logs=$root/var/test-logs$off/install
tls=$((18083 + off)) http=$((18084 + off)) pin_a=$((18085 + off))
pin_b=$((18086 + off)) cbport=$((18087 + off)) sbtls=$((18088 + off))
sport=$((18081 + off)) dbport=$((13307 + off))
me=$(id -un)
passed=0 failed=0

ok() { echo "ok - $1"; passed=$((passed + 1)); }
bad() { echo "not ok - $1"; failed=$((failed + 1)); }
check() { # description command...
	local what=$1; shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}

tmp=$(mktemp -d /tmp/hirelink-install.XXXXXX)
chmod 755 "$tmp"
prefix=$tmp/prefix
pids=()
cleanup() {
	[[ -f $tmp/nginx/nginx.pid ]] && kill "$(cat "$tmp/nginx/nginx.pid")" 2>/dev/null
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do
		for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$logs"; mkdir -p "$logs"
	cp -r "$tmp/log/." "$logs/" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# --------------------------------------------------------------- install
make -s install PREFIX="$prefix" >"$tmp/install.log" 2>&1
check "make install PREFIX=$prefix" test -x "$prefix/bin/hirelink.fcgi"
[[ -x $prefix/bin/hirelink.fcgi ]] || { cat "$tmp/install.log"; echo "$passed passed, $failed failed"; exit 1; }
data=$prefix/share/hirelink
check "nothing installed names the source tree" \
	bash -c '! grep -rqF "$0" "$1"' "$root" "$prefix"
make -s install PREFIX=/usr/local DESTDIR="$tmp/dest" >>"$tmp/install.log" 2>&1
check "make install DESTDIR=: the files name /usr/local, not DESTDIR" \
	bash -c 'grep -q "^templates_dir = /usr/local/share/hirelink/templates" "$0/usr/local/etc/hirelink/hirelink.conf.example" &&
		grep -q "ExecStart=/usr/local/bin/hirelink.fcgi$" "$0/usr/local/lib/systemd/system/hirelink.service" &&
		! grep -rqF "$0" "$0"' "$tmp/dest"
# the installed file tree and the units, for the notes
mkdir -p "$tmp/log/units"
(cd "$tmp/dest" && find . -type f | sed 's|^\.||' | sort) >"$tmp/log/installed-files.txt"
cp "$tmp/dest/usr/local/lib/systemd/system/"* "$tmp/log/units/" 2>/dev/null
echo "# make install PREFIX=/usr/local: $(wc -l <"$tmp/log/installed-files.txt") files ($logs/installed-files.txt)"
make -s uninstall PREFIX=/usr/local DESTDIR="$tmp/dest" >>"$tmp/install.log" 2>&1
check "make uninstall leaves no file" \
	bash -c '[[ -z $(find "$0" -type f) ]]' "$tmp/dest"
# The units.  No systemd runs here as PID 1 (nor in CI): they are read,
# verified and scored offline, never started.
units=$prefix/lib/systemd/system
if command -v systemd-analyze >/dev/null; then
	(cd "$units" &&
		SYSTEMD_LOG_LEVEL=notice systemd-analyze verify hirelink.socket \
			hirelink.service hirelink-worker.service) >"$tmp/verify.log" 2>&1
	check "systemd-analyze verify: the units are clean" \
		bash -c '[[ $? -eq 0 && ! -s $0 ]] || { cat "$0"; false; }' "$tmp/verify.log"
	: >"$tmp/log/systemd-security.txt"
	for u in hirelink.service hirelink-worker.service; do
		(cd "$units" && systemd-analyze security --offline=true "$u") \
			>>"$tmp/log/systemd-security.txt" 2>&1
		score=$(grep -o 'Overall exposure level for [^:]*: [0-9.]* [A-Z]*' "$tmp/log/systemd-security.txt" | tail -1)
		check "systemd-analyze security (offline): ${score:-no score} for $u" \
			bash -c '[[ $0 =~ :\ ([0-9]+)\.[0-9]+\ (OK|SAFE)$ ]] && (( BASH_REMATCH[1] < 3 ))' "$score"
	done
else
	echo "# systemd-analyze is not installed: the units are not verified"
fi
# what the issue asks of both services, line by line
unit_has() { # unit line...
	local u=$units/$1 l; shift
	for l in "$@"; do
		grep -qxF "$l" "$u" || { echo "# $u lacks: $l"; return 1; }
	done
}
for u in hirelink.service hirelink-worker.service; do
	check "$u: hirelink user, ProtectSystem=strict, PrivateTmp, NoNewPrivileges, ProtectHome, no capabilities" \
		unit_has "$u" User=hirelink Group=hirelink ProtectSystem=strict \
		PrivateTmp=yes NoNewPrivileges=yes ProtectHome=yes CapabilityBoundingSet= \
		AmbientCapabilities=
	check "$u: the attachments are its only writable path" \
		bash -c '[[ $(grep -c "^ReadWritePaths=" "$0") -eq 1 ]] &&
			grep -qx "ReadWritePaths=/var/lib/hirelink/attachments" "$0" &&
			! grep -qE "^(ReadWriteDirectories|StateDirectory|LogsDirectory|CacheDirectory|RuntimeDirectory)=" "$0"' "$units/$u"
	check "$u: check-config runs before start, on the config it starts with" \
		unit_has "$u" "ExecStartPre=$prefix/bin/hirelink.fcgi check-config" \
		"Environment=HIRELINK_CONFIG=$prefix/etc/hirelink/hirelink.conf"
done
check "hirelink.service: socket-activated (StandardInput=socket, Requires=hirelink.socket)" \
	unit_has hirelink.service StandardInput=socket Requires=hirelink.socket

# --------------------------------------------------------------- who runs it
# An unprivileged user: when this runs as root, nobody, with the source
# tree under an empty tmpfs in a mount namespace of its own.
runas=() hide=false
mkdir -p "$tmp/log" "$tmp/run" "$tmp/nginx" "$tmp/state/attachments"
if [[ $(id -u) -eq 0 ]]; then
	runas=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	chown nobody:nogroup "$tmp/log" "$tmp/run" "$tmp/nginx" "$tmp/state/attachments"
	chmod 750 "$tmp/state/attachments"
	if unshare -m --propagation private sh -c 'mount -t tmpfs -o size=4k none "$0" && ! test -e "$0/Makefile"' "$root" 2>/dev/null; then
		hide=true
	fi
fi
# runs "$@" as that user (hidden from the tree), in the background when
# the first argument is "&": its pid into $bgpid
bgpid=
as_user() {
	local bg=false
	[[ $1 == "&" ]] && { bg=true; shift; }
	local cmd=("${runas[@]}" "$@")
	if $hide; then
		cmd=(unshare -m --propagation private sh -c \
			'mount -t tmpfs -o size=4k none "$0" && exec "$@"' "$root" "${cmd[@]}")
	fi
	if $bg; then "${cmd[@]}" & bgpid=$!; else "${cmd[@]}"; fi
}
echo "# runs as $([[ ${#runas[@]} -gt 0 ]] && echo nobody || echo "$me"), source tree hidden: $hide"

# --------------------------------------------------------------- config
# One certificate for the site and for "LinkedIn" (both 127.0.0.1)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-keyout "$tmp/tls.key" -out "$tmp/tls.pem" >/dev/null 2>&1
[[ ${#runas[@]} -gt 0 ]] && chown nobody:nogroup "$tmp/tls.key"
li=https://127.0.0.1:$sbtls
conf=$prefix/etc/hirelink/hirelink.conf conf_b=$prefix/etc/hirelink/hirelink-b.conf
key=$prefix/etc/hirelink/secret_key
sock_a=$tmp/run/hirelink-a.sock sock_b=$tmp/run/hirelink-b.sock
dbpw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
mariadb --no-defaults -S "$var/mysql.sock" -u "$me" -e "
	DROP DATABASE IF EXISTS hirelink_inst;
	CREATE DATABASE hirelink_inst CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
	CREATE USER IF NOT EXISTS 'hlinst'@'127.0.0.1';
	ALTER USER 'hlinst'@'127.0.0.1' IDENTIFIED BY '$dbpw';
	GRANT ALL ON hirelink_inst.* TO 'hlinst'@'127.0.0.1';
	GRANT ALL ON linkedin_sandbox.* TO 'hlinst'@'127.0.0.1';" ||
	bad "the installed copy's database"
(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$key")
# the example, as an admin fills it in
sed -e "s|^listen = .*|listen = $tmp/run/not-used-a.sock|" \
	-e "s|^listen_group = .*|listen_group =|" \
	-e "s|^threads = .*|threads = 3|" \
	-e "s|^public_base_url = .*|public_base_url = https://127.0.0.1:$tls|" \
	-e "s|^data_dir = .*|data_dir = $tmp/state/attachments|" \
	-e "s|^db_socket = .*|db_host = 127.0.0.1\ndb_port = $dbport\ndb_password = $dbpw|" \
	-e "s|^db_user = .*|db_user = hlinst|" -e "s|^db_name = .*|db_name = hirelink_inst|" \
	"$prefix/etc/hirelink/hirelink.conf.example" >"$conf"
cat >>"$conf" <<EOF
# "LinkedIn": the installed sandbox over TLS, its certificate made here
# (hirelink verifies it against this file); its deliveries come over
# plain HTTP
linkedin_oauth_base = $li
linkedin_api_base = $li
linkedin_platform_base = $li
linkedin_widget_origin = $li
linkedin_ca_file = $tmp/tls.pem
linkedin_callback_url = http://127.0.0.1:$cbport/linkedin/notifications
session_cache_seconds = 1
worker_threads = 2
EOF
sed "s|^listen = .*|listen = $sock_b|" "$conf" >"$conf_b"
chmod 600 "$conf" "$conf_b"
[[ ${#runas[@]} -gt 0 ]] && chown nobody:nogroup "$conf" "$conf_b" "$key"
check "the example config names the installed folders" \
	grep -q "^templates_dir = $data/templates$" "$conf"

# the key's mode is checked at start-up
chmod 640 "$key"
HIRELINK_CONFIG=$conf as_user "$prefix/bin/hirelink.fcgi" check-config >"$tmp/log/check-config.log" 2>&1
check "check-config refuses a group-readable secret_key_file, saying so" \
	grep -q "mode 0640.*chmod 600 $key" "$tmp/log/check-config.log"
chmod 600 "$key"
HIRELINK_CONFIG=$conf as_user "$prefix/bin/hirelink.fcgi" check-config >>"$tmp/log/check-config.log" 2>&1
check "check-config passes once the key is mode 600 (as the installed user)" test $? -eq 0
# and LinkedIn's CA file is read
printf 'not a certificate\n' >"$tmp/not-a-ca.pem"
sed "s|^linkedin_ca_file = .*|linkedin_ca_file = $tmp/not-a-ca.pem|" "$conf" >"$tmp/bad-ca.conf"
chmod 600 "$tmp/bad-ca.conf"
[[ ${#runas[@]} -gt 0 ]] && chown nobody:nogroup "$tmp/bad-ca.conf"
HIRELINK_CONFIG=$tmp/bad-ca.conf as_user "$prefix/bin/hirelink.fcgi" check-config >>"$tmp/log/check-config.log" 2>&1
rc=$?
check "check-config refuses a linkedin_ca_file without a certificate, naming it" \
	bash -c '[[ $0 -ne 0 ]] && grep -q "linkedin_ca_file $1: no PEM certificate" "$2"' \
	"$rc" "$tmp/not-a-ca.pem" "$tmp/log/check-config.log"
HIRELINK_CONFIG=$conf as_user "$prefix/bin/hirelink.fcgi" migrate >"$tmp/log/migrate.log" 2>&1
migrations=$(mariadb --no-defaults -S "$var/mysql.sock" -u "$me" -N -e 'SELECT COUNT(*) FROM hirelink_inst.schema_migrations' 2>/dev/null)
check "migrate applies the installed sql/ ($migrations scripts)" test "${migrations:-0}" -eq "$(ls sql/*.sql | wc -l)"

# --------------------------------------------------------------- two nodes
wait_for() { # what command...
	local what=$1; shift
	for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
	echo "# $what did not come up" >&2; return 1
}
# node a: the socket made first and handed over on stdin, as systemd's
# hirelink.socket does (StandardInput=socket)
HIRELINK_CONFIG=$conf as_user "&" perl -MSocket -MPOSIX -e '
	my $path = shift;
	unlink $path;
	socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
	bind($s, pack_sockaddr_un($path)) or die "bind $path: $!";
	chmod 0660, $path;
	listen($s, 4096) or die "listen: $!";
	POSIX::dup2(fileno($s), 0) or die "dup2: $!";
	exec @ARGV or die "exec: $!";' "$sock_a" "$prefix/bin/hirelink.fcgi" >>"$tmp/log/node-a.log" 2>&1
pids+=("$bgpid")
HIRELINK_CONFIG=$conf_b as_user "&" "$prefix/bin/hirelink.fcgi" >>"$tmp/log/node-b.log" 2>&1
pids+=("$bgpid")
HIRELINK_CONFIG=$conf as_user "&" "$prefix/bin/hirelink.fcgi" worker >>"$tmp/log/worker-a.log" 2>&1
pids+=("$bgpid")
HIRELINK_CONFIG=$conf_b as_user "&" "$prefix/bin/hirelink.fcgi" worker >>"$tmp/log/worker-b.log" 2>&1
pids+=("$bgpid")
wait_for "node a" grep -q "serving fastcgi on the socket on stdin" "$tmp/log/node-a.log"
check "node a serves the socket it was handed (socket activation)" \
	grep -q "serving fastcgi on the socket on stdin" "$tmp/log/node-a.log"
check "node a left its listen path alone" test ! -e "$tmp/run/not-used-a.sock"
wait_for "node b" test -S "$sock_b"
check "node b listens on its own socket" grep -q "serving fastcgi on $sock_b" "$tmp/log/node-b.log"
wait_for "the workers" grep -q "worker started" "$tmp/log/worker-b.log"
wait_for "the workers" grep -q "worker started" "$tmp/log/worker-a.log"
check "two workers started" bash -c 'grep -q "worker started" "$0" && grep -q "worker started" "$1"' \
	"$tmp/log/worker-a.log" "$tmp/log/worker-b.log"

# --------------------------------------------------------------- LinkedIn
# The installed sandbox as this hirelink's LinkedIn: the test stack's
# sandbox config (its seed and secret: the same applications, members and
# keys as the stack's sandbox, on the same database, reached over TCP),
# told this hirelink's address (its CSP's form-action, the consent's
# redirect) and its own.  Both sandboxes' delivery runners claim from one
# queue (FOR UPDATE SKIP LOCKED): each notification goes out once.
sbconf=$tmp/sandbox.conf
sed -e '/^\(listen\|public_base_url\|templates_dir\|static_dir\|sql_dir\|data_dir\|db_socket\|db_host\|db_port\|db_user\|db_password\|linkedin_[a-z_]*\|sandbox_listen\) *=/d' \
	"$var/hirelink.conf" >"$sbconf"
cat >>"$sbconf" <<EOF
listen = $tmp/run/not-used-sandbox-hirelink.sock
public_base_url = https://127.0.0.1:$tls
templates_dir = $data/templates
static_dir = $data/static
sql_dir = $data/sql
data_dir = $tmp/state/attachments
db_host = 127.0.0.1
db_port = $dbport
db_user = hlinst
db_password = $dbpw
linkedin_platform_base = $li
linkedin_widget_origin = $li
sandbox_listen = $tmp/run/sandbox.sock
EOF
chmod 600 "$sbconf"
[[ ${#runas[@]} -gt 0 ]] && chown nobody:nogroup "$sbconf"
HIRELINK_CONFIG=$sbconf as_user "&" "$prefix/bin/linkedin-sandbox.fcgi" >>"$tmp/log/sandbox.log" 2>&1
pids+=("$bgpid")
wait_for "the sandbox" test -S "$tmp/run/sandbox.sock"
# What a customer registers at LinkedIn for this installation: the
# OAuth redirect URL and the site's origin for the widget.
creds=$(HIRELINK_CONFIG=$sbconf as_user "$prefix/bin/linkedin-sandbox.fcgi" credentials 1)
client_id=$(sed -n 's/^client_id=//p' <<<"$creds")
redirect=$(sed -n 's/^redirect_uri=//p' <<<"$creds")
check "the sandbox's application 1 redirects to this hirelink ($redirect)" \
	test "$redirect" = "https://127.0.0.1:$tls/settings/linkedin/callback"
mariadb --no-defaults -S "$var/mysql.sock" -u "$me" linkedin_sandbox -e "
	UPDATE applications SET redirect_uri = '$redirect' WHERE client_id = '$client_id'" ||
	bad "the redirect URL registered at the sandbox"

# --------------------------------------------------------------- nginx
# The installed site with its lines moved for loopback, and nothing else.
sed -e "s|^\(\s*\)listen 443 ssl http2;|\1listen 127.0.0.1:$tls ssl http2;|" \
	-e "s|^\(\s*\)listen 80;|\1listen 127.0.0.1:$http;|" \
	-e '/listen \[::\]/d' \
	-e "s|ssl_certificate .*;|ssl_certificate $tmp/tls.pem;|" \
	-e "s|ssl_certificate_key .*;|ssl_certificate_key $tmp/tls.key;|" \
	-e "s|access_log /var/log/nginx/hirelink.access.log|access_log $tmp/log/nginx-access.log|" \
	-e "s|server unix:/run/hirelink/hirelink.sock;|server unix:$sock_a;\n\tserver unix:$sock_b;|" \
	-e "s|^\(\s*\)# trusted proxies:|&\n\1set_real_ip_from 127.0.0.2;|" \
	"$data/nginx/hirelink.conf" >"$tmp/nginx/site.conf"
diff "$data/nginx/hirelink.conf" "$tmp/nginx/site.conf" | grep '^[<>]' |
	grep -vE 'listen |ssl_certificate|access_log|server unix:|set_real_ip_from 127.0.0.2' >"$tmp/site.diff"
check "the production site runs with only its listen/certificate/log/socket lines moved" \
	bash -c '[[ ! -s $0 ]] || { cat "$0"; false; }' "$tmp/site.diff"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/log/nginx-error.log warn;
events { worker_connections 512; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	client_body_temp_path $tmp/nginx/body;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	proxy_temp_path $tmp/nginx/proxy;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	access_log off;
	include $tmp/nginx/site.conf;

	# test only: each node alone, to see a session and a kept page on both
	server {
		listen 127.0.0.1:$pin_a ssl;
		ssl_certificate $tmp/tls.pem;
		ssl_certificate_key $tmp/tls.key;
		location / {
			include $data/nginx/hirelink-fastcgi.conf;
			fastcgi_param HTTPS on;
			fastcgi_pass unix:$sock_a;
		}
	}
	server {
		listen 127.0.0.1:$pin_b ssl;
		ssl_certificate $tmp/tls.pem;
		ssl_certificate_key $tmp/tls.key;
		location / {
			include $data/nginx/hirelink-fastcgi.conf;
			fastcgi_param HTTPS on;
			fastcgi_pass unix:$sock_b;
		}
	}
	# test only: "LinkedIn", the installed sandbox, over TLS
	server {
		listen 127.0.0.1:$sbtls ssl;
		ssl_certificate $tmp/tls.pem;
		ssl_certificate_key $tmp/tls.key;
		access_log $tmp/log/sandbox-access.log;
		large_client_header_buffers 4 32k;
		location /static/ { root $data; }
		location = /_sandbox_fault/drop { internal; return 444; }
		location / {
			include /etc/nginx/fastcgi_params;
			fastcgi_param HTTPS on;
			fastcgi_pass unix:$tmp/run/sandbox.sock;
		}
	}
	# test only: LinkedIn's deliveries in plain HTTP, to both nodes
	server {
		listen 127.0.0.1:$cbport;
		location = /linkedin/notifications {
			client_max_body_size 64k;
			include $data/nginx/hirelink-fastcgi.conf;
			fastcgi_param HTTPS on;
			fastcgi_pass hirelink;
		}
	}
}
EOF
touch "$tmp/log/nginx-error.log" "$tmp/log/nginx-access.log" "$tmp/log/sandbox-access.log"
[[ ${#runas[@]} -gt 0 ]] && chown nobody:nogroup "$tmp/log/nginx-error.log" "$tmp/log/nginx-access.log" "$tmp/log/sandbox-access.log"
"${runas[@]}" nginx -q -e "$tmp/log/nginx-error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>>"$tmp/log/nginx-error.log"
base=https://127.0.0.1:$tls
cu() { curl -sS --cacert "$tmp/tls.pem" --max-time 20 "$@"; }
wait_for nginx cu -o /dev/null "$base/healthz"
check "nginx runs the production site (as $([[ ${#runas[@]} -gt 0 ]] && echo nobody || echo "$me"))" \
	cu -fo /dev/null "$base/healthz"
check "\"LinkedIn\" answers over TLS ($li)" cu -fo /dev/null "$li/sandbox/credentials"
# the site's origin, where LinkedIn's widget may be shown (validJsSdkDomains)
check "the site's origin registered for LinkedIn's widget" \
	cu -f -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"clientId\":\"$client_id\",\"validJsSdkDomains\":[\"http://127.0.0.1:$((18080 + off))\",\"https://127.0.0.1:$tls\"]}" \
	"$li/sandbox/applications/jsSdkDomains"

# --------------------------------------------------------------- nginx's part
check "HTTP/2 over TLS" bash -c '[[ $(curl -sS --cacert "$0" --http2 -o /dev/null -w "%{http_version}" "$1/login") == 2 ]]' "$tmp/tls.pem" "$base"
check "plain HTTP is redirected to https" \
	bash -c '[[ $(curl -sS -o /dev/null -w "%{http_code} %{redirect_url}" "http://127.0.0.1:$0/jobs") == "301 https://127.0.0.1/jobs" ]]' "$http"
cu -D "$tmp/login.h" -o "$tmp/login.html" "$base/login"
hdr() { grep -i "^$1:" "$2" | head -1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'; }
security_headers() { # header file
	[[ $(hdr X-Content-Type-Options "$1") == nosniff ]] &&
		[[ $(hdr Content-Security-Policy "$1") == *"frame-ancestors 'none'"* ]] &&
		[[ -n $(hdr Referrer-Policy "$1") ]] &&
		[[ $(hdr X-Frame-Options "$1") == DENY ]] &&
		[[ $(hdr Strict-Transport-Security "$1") == max-age=* ]] ||
		{ echo "# headers of $1:"; cat "$1"; false; }
}
check "a page carries the security headers and HSTS" security_headers "$tmp/login.h"
css=$(grep -o '/static/hirelink\.[0-9a-f]\{12\}\.css' "$tmp/login.html" | head -1)
check "the installed page links its stylesheet by a content-hashed name ($css)" \
	test -n "$css"
cu -D "$tmp/css.h" -o "$tmp/css" "$base${css:-/static/none}"
check "the hashed name serves the file itself" cmp -s "$tmp/css" static/hirelink.css
check "the hashed file is kept a year, immutable" \
	bash -c '[[ $(grep -i "^cache-control:" "$0") == *max-age=31536000*immutable* ]]' "$tmp/css.h"
check "a static file carries the security headers and HSTS" security_headers "$tmp/css.h"
cu -D "$tmp/plain.h" -o /dev/null "$base/static/hirelink.css"
check "the plain name is kept an hour only" \
	bash -c '[[ $(grep -i "^cache-control:" "$0") == *max-age=3600* ]]' "$tmp/plain.h"
js=$(grep -o '/static/hirelink\.[0-9a-f]\{12\}\.js' "$tmp/login.html" | head -1)
check "the installed page loads its script by a content-hashed name ($js)" \
	test -n "$js"
cu -D "$tmp/js.h" -o "$tmp/js" "$base${js:-/static/none}"
check "the hashed script is the file itself, served as JavaScript (nosniff)" \
	bash -c 'cmp -s "$0" static/hirelink.js && grep -qi "^content-type: *[a-z/-]*javascript" "$1"' "$tmp/js" "$tmp/js.h"
check "the page's CSP lets it run (script-src 'self')" \
	bash -c '[[ $(grep -i "^content-security-policy:" "$0") == *"script-src '"'self'"'"* ]]' "$tmp/login.h"

# Bodies.  nginx's own 413 page says "nginx"; hirelink's does not.
head -c $((12 * 1024 * 1024)) /dev/zero >"$tmp/12m"
head -c $((3 * 1024 * 1024)) /dev/zero >"$tmp/3m"
head -c 65537 /dev/zero | tr '\0' 'a' >"$tmp/64k1"
head -c 65536 /dev/zero | tr '\0' 'a' >"$tmp/64k"
by_nginx_413() { # url file
	cu -o "$tmp/413" -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
		--data-binary "@$2" "$1" >"$tmp/413.status"
	[[ $(cat "$tmp/413.status") == 413 ]] && grep -q '<center>nginx</center>' "$tmp/413"
}
check "an upload over 11 MiB is refused by nginx (413)" by_nginx_413 "$base/candidates/1/attachments" "$tmp/12m"
check "a 3 MiB form is refused by nginx (413)" by_nginx_413 "$base/jobs" "$tmp/3m"
# hirelink answers (its 403 for a POST without a session's CSRF token, or
# its own 413), not nginx
reaches_hirelink() { # url file
	! by_nginx_413 "$1" "$2" && [[ $(cat "$tmp/413.status") =~ ^[1-5][0-9][0-9]$ ]]
}
check "a 3 MiB upload reaches hirelink" reaches_hirelink "$base/candidates/1/attachments" "$tmp/3m"
check "LinkedIn's callback: 64 KiB + 1 byte refused by nginx (413)" by_nginx_413 "$base/linkedin/notifications" "$tmp/64k1"
check "LinkedIn's callback: 64 KiB reaches hirelink" reaches_hirelink "$base/linkedin/notifications" "$tmp/64k"

# limit_req: POST /login from one address, 40 at once on one connection
# (burst 20); GET /login is never limited.
codes=$(cu --interface 127.0.0.9 -w '%{http_code}\n' -X POST -d email=x \
	$(for _ in $(seq 1 40); do echo "-o /dev/null $base/login"; done))
n429=$(grep -c '^429$' <<<"$codes")
check "limit_req: POST /login beyond the burst gets 429 ($n429 of 40)" \
	bash -c '(( $0 >= 10 && $0 <= 25 ))' "$n429"
codes=$(cu --interface 127.0.0.9 -w '%{http_code}\n' \
	$(for _ in $(seq 1 30); do echo "-o /dev/null $base/login"; done))
check "limit_req: GET /login is not limited" bash -c '! grep -qv "^200$" <<<"$0"' "$codes"
check "limit_req: another address still signs in" \
	bash -c '[[ $(curl -sS --cacert "$0" --interface 127.0.0.10 -o /dev/null -w "%{http_code}" -X POST -d email=x "$1/login") != 429 ]]' "$tmp/tls.pem" "$base"

# limit_req on LinkedIn's callback: 300 deliveries at once (64 in
# parallel) from one address (burst 200, 50 a second): nginx answers 429
# past the burst, hirelink answers the rest itself (these are unsigned).
codes=$(cu -Z --parallel-max 64 --interface 127.0.0.11 -w '%{http_code}\n' -X POST \
	-H 'Content-Type: application/json' -d '{}' \
	$(for _ in $(seq 1 300); do echo "-o /dev/null $base/linkedin/notifications"; done))
n429=$(grep -c '^429$' <<<"$codes")
check "limit_req: LinkedIn's callback beyond its burst gets 429 ($n429 of 300)" \
	bash -c '(( $0 >= 20 && $0 <= 100 ))' "$n429"
check "limit_req: the callback from another address is answered by hirelink" \
	bash -c '[[ $(curl -sS --cacert "$0" --interface 127.0.0.12 -o /dev/null -w "%{http_code}" -X POST -H "Content-Type: application/json" -d "{}" "$1/linkedin/notifications") != 429 ]]' "$tmp/tls.pem" "$base"

# real_ip: X-Forwarded-For is believed from the listed proxy only
cu --interface 127.0.0.2 -H 'X-Forwarded-For: 203.0.113.7' -o /dev/null "$base/healthz"
cu --interface 127.0.0.1 -H 'X-Forwarded-For: 203.0.113.8' -o /dev/null "$base/healthz"
sleep 0.2
check "real_ip: a listed proxy's X-Forwarded-For is the client's address" \
	grep -q '^203\.0\.113\.7 .*GET /healthz' "$tmp/log/nginx-access.log"
check "real_ip: anyone else's X-Forwarded-For is ignored" \
	bash -c '! grep -q "^203\.0\.113\.8 " "$0" && grep -q "^127\.0\.0\.1 .*GET /healthz" "$0"' "$tmp/log/nginx-access.log"

# requests through the upstream spread over both nodes
before_a=$(grep -c 'GET /healthz 200' "$tmp/log/node-a.log")
before_b=$(grep -c 'GET /healthz 200' "$tmp/log/node-b.log")
cu $(for _ in $(seq 1 20); do echo "-o /dev/null $base/healthz"; done)
n_a=$(( $(grep -c 'GET /healthz 200' "$tmp/log/node-a.log") - before_a ))
n_b=$(( $(grep -c 'GET /healthz 200' "$tmp/log/node-b.log") - before_b ))
check "one upstream, two nodes: 20 requests spread ($n_a on a, $n_b on b)" \
	bash -c '(( $0 >= 5 && $1 >= 5 && $0 + $1 == 20 ))' "$n_a" "$n_b"

# --------------------------------------------------------------- the app
# A CUnit program against the installed copy; its counts added to ours.
run_ctest() { # binary
	local t=$1 name; name=$(basename "$1")
	env HIRELINK_TEST_URL="$base" HIRELINK_TEST_CA="$tmp/tls.pem" \
		HIRELINK_TEST_NODE_A="https://127.0.0.1:$pin_a" \
		HIRELINK_TEST_NODE_B="https://127.0.0.1:$pin_b" \
		HIRELINK_TEST_SANDBOX_URL="$li" \
		HIRELINK_TEST_URL2="http://127.0.0.1:$((18082 + off))" \
		HIRELINK_CONFIG2="$var/hirelink2.conf" \
		HIRELINK_CONFIG="$conf" HIRELINK_BIN="$prefix/bin/hirelink.fcgi" \
		HIRELINK_TEST_DB_SOCKET="$var/mysql.sock" HIRELINK_TEST_DB_USER="$me" \
		HIRELINK_TEST_DB_APP=hirelink_inst HIRELINK_TEST_LOGS="$tmp/log" \
		"$t" >"$tmp/log/$name.log" 2>&1
	local rc=$?
	grep -E 'Test:|FAILED|:[0-9]+: ' "$tmp/log/$name.log" | grep -v '\.\.\.passed$' |
		grep -v '^  Test: .*webdriver .*no such element' | head -40
	local line ran nbad
	line=$(grep -E '^ +tests +[0-9]+' "$tmp/log/$name.log" | tail -1)
	ran=$(awk '{print $3}' <<<"$line") nbad=$(awk '{print $5}' <<<"$line")
	ran=${ran:-0} nbad=${nbad:-0}
	[[ $rc -ne 0 && $nbad -eq 0 ]] && nbad=1
	passed=$((passed + ran - nbad)) failed=$((failed + nbad))
	echo "# $name: $ran tests, $nbad failed (log: $logs/$name.log)"
}
for t in "$root/$build/asan/tests/deploy/test_two_nodes" "$root/$build/asan/tests/browser/test_browser"; do
	if [[ -x $t ]]; then
		run_ctest "$t"
	else
		bad "$(basename "$t") is built ($t)"
	fi
done

# --------------------------------------------------------------- the story
# The seed's story in Chromium against the production site (both nodes),
# with "LinkedIn" over TLS; then what the two nodes did with it.
sql() { mariadb --no-defaults -S "$var/mysql.sock" -u "$me" -N -B "$@"; }
story=$root/$build/asan/tests/browser/test_story
mark_a=$(wc -l <"$tmp/log/node-a.log") mark_b=$(wc -l <"$tmp/log/node-b.log")
story_from=$(($(date +%s) * 1000))
if [[ -x $story ]]; then
	run_ctest "$story"
else
	bad "test_story is built ($story)"
fi
# the browser met LinkedIn over TLS: its consent, its Recruiter, its
# widget (the loader and the frame, in hirelink's HTTPS page)
check "the story went through \"LinkedIn\" over TLS (consent, Recruiter's export, the widget's loader and frame)" \
	bash -c 'for p in "POST /oauth/v2/authorization" "GET /talent/profile/" "GET /xdoor/scripts/in.js" "GET /recruiter/widget/hcm?"; do
		grep -qF "\"$p" "$0" || { echo "# not in $0: $p"; exit 1; }; done' "$tmp/log/sandbox-access.log"
job=$(sql hirelink_inst -e "SELECT MAX(id) FROM jobs WHERE title LIKE 'Pipelines engineer %'")
cand=$(sql hirelink_inst -e "SELECT MAX(id) FROM candidates WHERE linkedin_member_id LIKE 'st%'")
job=${job//NULL/} cand=${cand//NULL/}
# requests of the story's own job and candidate on each node
story_lines() { tail -n +"$(($2 + 1))" "$1" | grep -E ' (GET|POST) /' | grep -v ' /healthz '; }
n_a=$(story_lines "$tmp/log/node-a.log" "$mark_a" | wc -l)
n_b=$(story_lines "$tmp/log/node-b.log" "$mark_b" | wc -l)
own() { story_lines "$1" "$2" | grep -cE " (GET|POST) /(jobs/${job:-x}|candidates/${cand:-x})[/? ]"; }
o_a=$(own "$tmp/log/node-a.log" "$mark_a") o_b=$(own "$tmp/log/node-b.log" "$mark_b")
p_a=$(story_lines "$tmp/log/node-a.log" "$mark_a" | grep -c ' POST /')
p_b=$(story_lines "$tmp/log/node-b.log" "$mark_b" | grep -c ' POST /')
echo "# the story's requests: node a $n_a ($p_a POST, $o_a of its job and candidate), node b $n_b ($p_b POST, $o_b)"
check "the story's requests spread over both nodes (a $n_a, b $n_b; its job's and candidate's pages a $o_a, b $o_b)" \
	bash -c '(( $0 >= 20 && $1 >= 20 && $2 >= 3 && $3 >= 3 && $4 >= 3 && $5 >= 3 ))' \
	"$n_a" "$n_b" "$o_a" "$o_b" "$p_a" "$p_b"
check "the story's export: one application on its job (job ${job:-none}, candidate ${cand:-none})" \
	test "$(sql hirelink_inst -e "SELECT COUNT(*) FROM applications WHERE job_id = ${job:-0} AND candidate_id = ${cand:-0}")" = 1
check "no notification from LinkedIn stored twice" \
	test -z "$(sql hirelink_inst -e "SELECT request_id FROM inbound_events GROUP BY request_id HAVING COUNT(*) > 1")"
# what the story synced, as LinkedIn received it (every sync request is
# in the sandbox's sync_payloads): the feedback and the public note once
# each, the private note never; the outbox drained
synced() { # text: 2xx sync requests since the story began that carry it
	sql linkedin_sandbox -e "SELECT COUNT(*) FROM sync_payloads WHERE client_id = '$client_id'
		AND at >= $story_from AND status BETWEEN 200 AND 299 AND body LIKE '%$1%'"
}
# The story's changes, that is: not the worker's own reads of LinkedIn
# (seat and stub polls, the seat list, the closed-profile check), which
# may wait out LinkedIn's throttle for a minute after a busy story.
story_rows="SELECT COUNT(*) FROM outbox WHERE state = 'dead' OR kind NOT IN
	('li_seat_poll', 'li_stub_poll', 'li_seats', 'li_closed_check')"
for _ in $(seq 1 50); do
	[[ $(sql hirelink_inst -e "$story_rows") == 0 ]] && break
	sleep 0.2
done
f=$(synced 'knows queues well') n=$(synced 'strong on Kafka') pn=$(synced 'salary too high')
echo "# synced to LinkedIn since the story began: the feedback $f time(s), the public note $n, the private note $pn"
check "the story's feedback and public note were each sent to LinkedIn once, the private note never" \
	bash -c '[[ $0 == 1 && $1 == 1 && $2 == 0 ]]' "$f" "$n" "$pn"
# Every sub-resource request (a stage, the feedback, a note) once.  The
# whole candidate and application entities are PUT again after each change
# to the candidate (the private note's too, unchanged as LinkedIn sees
# them): counted, not checked.
since="client_id = '$client_id' AND at >= $story_from AND status BETWEEN 200 AND 299"
echo "# sync requests since the story began: $(sql linkedin_sandbox -e "SELECT CONCAT(resource, ' ', COUNT(*))
	FROM sync_payloads WHERE $since GROUP BY resource ORDER BY resource" | paste -sd, | sed 's/,/, /g')"
check "no stage, feedback or note request sent to LinkedIn twice (two workers)" \
	test -z "$(sql linkedin_sandbox -e "SELECT resource FROM sync_payloads WHERE $since
		AND resource IN ('stages', 'interviewFeedback', 'candidateNotes', 'applicationNotes')
		GROUP BY resource, method, path, query, body HAVING COUNT(*) > 1")"
check "the outbox holds nothing of the story's after it, and nothing dead" \
	test "$(sql hirelink_inst -e "$story_rows")" = 0

# test_ui's axe results (the development stack's run, before this), kept
# with these logs for the notes
if [[ -f $root/var/test-logs$off/axe-results.txt ]]; then
	cp "$root/var/test-logs$off/axe-results.txt" "$tmp/log/"
	grep -E '^axe [a-z_]+: [0-9]+ pages' "$tmp/log/axe-results.txt" | sed 's/^/# /'
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
