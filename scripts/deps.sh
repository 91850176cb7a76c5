#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages stsscan builds and tests with, when any is missing.
# Sourced or run by scripts/demo.sh, scripts/test.sh and .ci/run.
set -euo pipefail

STSSCAN_APT_PACKAGES=(
  libc-ares-dev libcurl4-openssl-dev libsqlite3-dev libidn2-dev pkg-config   # build
  nsd dnsdist nginx-light libnginx-mod-http-echo unbound                    # the simulated internet, stsscan resolver
  dnsutils dnsperf sqlite3 curl openssl ca-certificates time                    # tests and benchmarks
)

missing=()
for pkg in "${STSSCAN_APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # The server packages must not start system-wide daemons: stsscan runs its own copies.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "swift is not on PATH: install the Swift 6 toolchain (https://swift.org/install)" >&2; exit 1; }
