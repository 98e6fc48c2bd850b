#!/usr/bin/env bash
# Installs the Debian packages hirelink needs to build, test and run, when
# any is missing (`install-deps.sh check` adds the browser for the tests).  Uses sudo when not root.  Safe to run again.
set -euo pipefail

pkgs=(gcc make pkg-config libc6-dev libssl-dev libfcgi-dev libcurl4-openssl-dev
      libjansson-dev libmariadb-dev mariadb-server mariadb-client
      libcunit1-dev libargon2-dev nginx-light curl ca-certificates wrk)

# `make check` also drives a real browser, and fuzzes with clang's libFuzzer.
[[ ${1:-} == check ]] && pkgs+=(chromium chromium-driver clang libclang-rt-14-dev)
# ... and checks its pages with axe-core, which comes from npm (below).
[[ ${1:-} == check ]] && ! command -v npm >/dev/null && pkgs+=(npm)

# axe-core for the browser tests (tests/browser/test_ui.c), from the npm
# registry into tests/browser/node_modules (not committed), when missing.
axe_version=4.14.1
axe() {
	[[ ${1:-} == check ]] || return 0
	local dir; dir=$(cd "$(dirname "$0")/.." && pwd)/tests/browser
	local have
	have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' \
		"$dir/node_modules/axe-core/package.json" 2>/dev/null | head -1 || true)
	[[ -f $dir/node_modules/axe-core/axe.min.js && $have == "$axe_version" ]] && return 0
	echo "installing: axe-core@$axe_version (npm)"
	npm install --prefix "$dir" --no-save --no-package-lock --no-audit \
		--no-fund --loglevel=error "axe-core@$axe_version" >/dev/null
}

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ $status == "install ok installed" ]] || missing+=("$p")
done
# nginx (full) is as good as nginx-light.
if [[ " ${missing[*]} " == *" nginx-light "* ]] && command -v nginx >/dev/null; then
	missing=("${missing[@]/nginx-light}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [[ ${#missing[@]} -eq 0 ]]; then
	axe "${1:-}"
	exit 0
fi

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
axe "${1:-}"
