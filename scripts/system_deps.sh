#!/usr/bin/env bash
# Installs the system packages some tests need, from Debian's packages, when they are absent:
# PostgreSQL (the postgres dbt target's tests start a throwaway server on 127.0.0.1) and
# Chromium (Data Docs and the HTML report are opened headless with the network blocked).
# Without root or apt-get, the tests that need them skip and say why.
set -uo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: cannot install ${need[*]} (not root or no apt-get); tests needing them will skip" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]} from Debian packages ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "system-deps: apt-get could not install ${need[*]}; tests needing them will skip" >&2
# Debian starts no cluster by itself in a container; the tests create their own on loopback.
exit 0
