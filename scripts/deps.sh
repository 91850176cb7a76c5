#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages stsscan builds and tests with, when any is missing.
# Run by scripts/demo.sh, scripts/test.sh, scripts/bench.sh and .ci/run.
set -euo pipefail

STSSCAN_APT_PACKAGES=(
  libc-ares-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev libidn2-dev pkg-config   # build (libssl: the MX probe's verify callback)
  libjemalloc-dev                                                           # build: the scanner's allocator (OpenSSL 3.0's many small allocations)
  nsd dnsdist nginx-light libnginx-mod-http-echo unbound postfix            # the simulated internet, stsscan resolver
  publicsuffix                                                              # report: MX providers by registrable domain
  dnsutils dnsperf sqlite3 curl openssl ca-certificates time python3-yaml shellcheck  # tests and benchmarks (python3-yaml, shellcheck: deploy/)
  slurm-wlm munge                                                           # deploy/slurm on a private one-node Slurm (SlurmEndToEndTests)
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
  # The server packages must not start system-wide daemons (stsscan runs its own copies on
  # loopback): Debian's maintainer scripts ask /usr/sbin/policy-rc.d, and exit status 101
  # means "action not allowed". Installed for the install only; a policy the machine already
  # had is put back afterwards, also when the install fails.
  policy=${STSSCAN_POLICY_RC_D:-/usr/sbin/policy-rc.d}  # overridable for scripts' own tests only
  saved=""
  if [ -e "$policy" ] || [ -L "$policy" ]; then
    saved=$(mktemp /tmp/stsscan-policy-rc.d.XXXXXX)
    $SUDO cp -a "$policy" "$saved"
  fi
  restore_policy() {
    if [ -n "$saved" ]; then $SUDO cp -a "$saved" "$policy"; $SUDO rm -f "$saved"; else $SUDO rm -f "$policy"; fi
  }
  trap restore_policy EXIT
  printf '#!/bin/sh\n# stsscan scripts/deps.sh: no daemon starts while packages install\nexit 101\n' \
    | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  # Postfix asks questions unless told: a local-only configuration, no listener started.
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections 2>/dev/null || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  restore_policy
  trap - EXIT
fi
command -v swift >/dev/null || { echo "swift is not on PATH: install the Swift 6 toolchain (https://swift.org/install)" >&2; exit 1; }
