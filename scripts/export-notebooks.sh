#!/usr/bin/env bash
# Regenerates notebooks-export/: the report of a scan of the bundled demo world, as a
# Jupyter notebook, a self-contained HTML page and Markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEMO_DIR=${DEMO_DIR:-/tmp/stsscan-demo}
bash scripts/demo.sh >/dev/null
.build/release/stsscan report --db "$DEMO_DIR/scan.sqlite" --export notebooks-export \
  --notebook-db "$DEMO_DIR/scan.sqlite"
ls -l notebooks-export
