#!/usr/bin/env bash
# make install / make uninstall (the Makefile passes the folders):
#
#   BINDIR     hirelink.fcgi, linkedin-sandbox.fcgi
#   DATADIR    templates/, static/ (each file also under a content-hashed
#              name that the installed templates use), sql/, nginx/ (the
#              production site and its snippets), systemd/ (the units,
#              also in UNITDIR), README.md
#   CONFDIR    hirelink.conf.example (never a hirelink.conf: an admin's
#              config and secret key are theirs, and uninstall leaves them)
#   UNITDIR    hirelink.socket, hirelink.service, hirelink-worker.service
#   LIBDIR     sysusers.d/hirelink.conf, tmpfiles.d/hirelink.conf
#
# Every path an installed file names is one of those (or STATEDIR and
# RUNDIR, made at run time by systemd), never the source tree; DESTDIR is a
# staging root prefixed to where files are written, not to what they say.
set -euo pipefail

what=${1:-install}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${BINDIR:?}" "${DATADIR:?}" "${CONFDIR:?}" "${UNITDIR:?}" "${LIBDIR:?}"
: "${STATEDIR:?}" "${RUNDIR:?}"
D=${DESTDIR:-}
units=(hirelink.socket hirelink.service hirelink-worker.service)

if [[ $what == uninstall ]]; then
	rm -f "$D$BINDIR/hirelink.fcgi" "$D$BINDIR/linkedin-sandbox.fcgi"
	rm -rf "$D$DATADIR"
	rm -f "$D$CONFDIR/hirelink.conf.example"
	rmdir "$D$CONFDIR" 2>/dev/null || true
	for u in "${units[@]}"; do rm -f "$D$UNITDIR/$u"; done
	rm -f "$D$LIBDIR/sysusers.d/hirelink.conf" "$D$LIBDIR/tmpfiles.d/hirelink.conf"
	echo "uninstalled (left alone: $CONFDIR/hirelink.conf, the secret key, $STATEDIR)"
	exit 0
fi
[[ $what == install ]] || { echo "usage: $0 install|uninstall" >&2; exit 2; }

# The folders' names in the files that name them.
fill() { # template destination mode
	sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@DATADIR@|$DATADIR|g" \
		-e "s|@CONFDIR@|$CONFDIR|g" -e "s|@STATEDIR@|$STATEDIR|g" \
		-e "s|@RUNDIR@|$RUNDIR|g" -e "s|@LIBDIR@|$LIBDIR|g" \
		-e "s|/usr/local/share/hirelink|$DATADIR|g" "$1" >"$2.tmp"
	chmod "$3" "$2.tmp"
	mv -f "$2.tmp" "$2"
}

install -d -m 755 "$D$BINDIR" "$D$DATADIR" "$D$DATADIR/nginx" \
	"$D$DATADIR/systemd" "$D$CONFDIR" "$D$UNITDIR" \
	"$D$LIBDIR/sysusers.d" "$D$LIBDIR/tmpfiles.d"
install -m 755 cgi-bin/hirelink.fcgi cgi-bin/linkedin-sandbox.fcgi "$D$BINDIR/"

# A fresh copy of the data folders: a file removed from the tree goes.
rm -rf "$D$DATADIR/templates" "$D$DATADIR/static" "$D$DATADIR/sql"
for dir in templates static sql; do
	(cd "$dir" && find . -type d) | while read -r d; do
		install -d -m 755 "$D$DATADIR/$dir/$d"
	done
	(cd "$dir" && find . -type f) | while read -r f; do
		install -m 644 "$dir/$f" "$D$DATADIR/$dir/$f"
	done
done
install -m 644 README.md "$D$DATADIR/README.md"

# Content-hashed static names: hirelink.css is also hirelink.<12 hex of
# its SHA-256>.css, and the installed templates ask for that one, which
# nginx lets browsers keep for a year (nginx/hirelink.conf): a new
# release's file has a new name, so nobody runs yesterday's script.
hashed=()
while read -r f; do
	rel=${f#./}
	h=$(sha256sum "static/$rel" | cut -c1-12)
	base=${rel%.*} ext=${rel##*.}
	install -m 644 "static/$rel" "$D$DATADIR/static/$base.$h.$ext"
	hashed+=(-e "s|/static/$rel\"|/static/$base.$h.$ext\"|g")
done < <(cd static && find . -type f \( -name '*.css' -o -name '*.js' -o -name '*.png' -o -name '*.svg' -o -name '*.ico' -o -name '*.woff2' \))
if [[ ${#hashed[@]} -gt 0 ]]; then
	find "$D$DATADIR/templates" -type f -name '*.html' -exec sed -i "${hashed[@]}" {} +
fi

for f in hirelink.conf hirelink-log.conf hirelink-headers.conf hirelink-fastcgi.conf; do
	fill "nginx/$f" "$D$DATADIR/nginx/$f" 644
done
for u in "${units[@]}"; do
	fill "scripts/systemd/$u" "$D$DATADIR/systemd/$u" 644
	install -m 644 "$D$DATADIR/systemd/$u" "$D$UNITDIR/$u"
done
fill scripts/systemd/hirelink.sysusers "$D$LIBDIR/sysusers.d/hirelink.conf" 644
fill scripts/systemd/hirelink.tmpfiles "$D$LIBDIR/tmpfiles.d/hirelink.conf" 644
fill scripts/hirelink.conf.example "$D$CONFDIR/hirelink.conf.example" 644

# Nothing installed may name the source tree (a path that would break
# once it is moved or removed); binaries too (their debug information
# names the tree relative to itself: the Makefile's -ffile-prefix-map).
case $DATADIR/ in
"$root"/*) ;; # installed inside the tree: every path names it
*)
	found=$(grep -rlF "$root" "$D$BINDIR/hirelink.fcgi" "$D$BINDIR/linkedin-sandbox.fcgi" \
		"$D$DATADIR" "$D$CONFDIR" "$D$UNITDIR/hirelink.service" \
		"$D$LIBDIR/sysusers.d/hirelink.conf" "$D$LIBDIR/tmpfiles.d/hirelink.conf" || true)
	if [[ -n $found ]]; then
		echo "install: these installed files name the source tree $root:" >&2
		echo "$found" >&2
		exit 1
	fi ;;
esac
echo "installed into ${D:-/}: $BINDIR, $DATADIR, $CONFDIR/hirelink.conf.example, $UNITDIR"
