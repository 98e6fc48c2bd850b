#!/usr/bin/env bash
# Installs the Debian packages hirelink needs to build, test and run, when
# any is missing (`install-deps.sh check` adds the browser for the tests).  Uses sudo when not root.  Safe to run again.
set -euo pipefail

pkgs=(gcc make pkg-config libc6-dev libssl-dev libfcgi-dev libcurl4-openssl-dev
      libjansson-dev libmariadb-dev mariadb-server mariadb-client
      libcunit1-dev libargon2-dev nginx-light curl ca-certificates wrk)

# `make check` also drives a real browser, and fuzzes with clang's libFuzzer.
[[ ${1:-} == check ]] && pkgs+=(chromium chromium-driver clang libclang-rt-14-dev)

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
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
