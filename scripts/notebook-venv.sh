#!/usr/bin/env bash
# Creates the Python virtual environment that executes stsscan's notebooks for real
# (jupyter nbconvert --execute): the notebook test (NotebookExecutionTests) and
# scripts/screenshots.sh use it. Default location .build/nbvenv (or the first argument).
#   scripts/notebook-venv.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${1:-${STSSCAN_NOTEBOOK_VENV:-.build/nbvenv}}
if [ -x "$VENV/bin/jupyter" ] && "$VENV/bin/python" -c "import pandas, matplotlib, nbconvert, ipykernel" 2>/dev/null; then
  echo "$VENV: ready"
  exit 0
fi
command -v python3 >/dev/null || { echo "python3 is missing: apt-get install python3 python3-venv" >&2; exit 1; }
python3 -m venv "$VENV" || { echo "python3 -m venv failed: apt-get install python3-venv" >&2; exit 1; }
"$VENV/bin/pip" install --quiet --disable-pip-version-check nbconvert nbclient ipykernel pandas matplotlib
echo "$VENV: ready"
