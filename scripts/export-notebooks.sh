#!/usr/bin/env bash
# Regenerates notebooks-export/: the report of a scan of the bundled demo world, as a
# Jupyter notebook, a self-contained HTML page and Markdown, then (when chromium and the
# notebook venv can be had) screenshots of the page and of the executed notebook.
#   STSSCAN_BIN=.build/debug/stsscan scripts/export-notebooks.sh   # reuse a built binary
set -euo pipefail
cd "$(dirname "$0")/.."
export DEMO_DIR=${DEMO_DIR:-/tmp/stsscan-demo}
bash scripts/demo.sh >/dev/null
B=${STSSCAN_BIN:-.build/release/stsscan}
"$B" report --db "$DEMO_DIR/scan.sqlite" --export notebooks-export --notebook-db "$DEMO_DIR/scan.sqlite"
if command -v chromium >/dev/null; then
  bash scripts/screenshots.sh notebooks-export
else
  echo "screenshots skipped: chromium is missing (apt-get install chromium)" >&2
fi
ls -l notebooks-export notebooks-export/screenshots 2>/dev/null || true
