#!/usr/bin/env bash
# The main job, offline: build the demo world (a simulated internet on loopback with ground
# truth), start its servers, scan it, print the adoption report, stop the servers.
#   scripts/demo.sh            # world of datasets/demo-world.env, in /tmp/stsscan-demo
#   DEMO_DIR=/somewhere scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
# shellcheck source=/dev/null
source datasets/demo-world.env
DEMO_DIR=${DEMO_DIR:-/tmp/stsscan-demo}

# STSSCAN_BIN: an stsscan binary already built (e.g. .build/debug/stsscan), else a release build.
if [ -n "${STSSCAN_BIN:-}" ]; then
  B=$STSSCAN_BIN
else
  swift build -c release --product stsscan
  B=.build/release/stsscan
fi
$B world build "$DEMO_DIR" --domains "$DEMO_DOMAINS" --adoption "$DEMO_ADOPTION" --seed "$DEMO_SEED" \
  --latency-ms "$DEMO_LATENCY_MS"
$B world start "$DEMO_DIR"
trap '$B world stop "$DEMO_DIR"' EXIT
rm -f "$DEMO_DIR/scan.sqlite"
$B world scan "$DEMO_DIR" --db "$DEMO_DIR/scan.sqlite"
$B report --db "$DEMO_DIR/scan.sqlite"
echo
echo "database: $DEMO_DIR/scan.sqlite   (try: $B sql --db $DEMO_DIR/scan.sqlite \"SELECT error_code, count(*) FROM results GROUP BY 1 ORDER BY 2 DESC\")"
