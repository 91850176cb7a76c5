#!/usr/bin/env bash
# Headless-Chromium screenshots of an exported report (report.html) and of its notebook
# executed for real (jupyter nbconvert --execute), so a person can look at every chart:
#   scripts/screenshots.sh [EXPORT_DIR]     # default notebooks-export
# Writes EXPORT_DIR/screenshots/report-html.png and notebook-executed.png (whole pages,
# trailing blank space trimmed); when the export has them, also diff-html.png (diff.html),
# series-html.png and series-notebook-executed.png (series/series.html, series/series.ipynb). Needs chromium (apt-get install chromium) and the venv
# of scripts/notebook-venv.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
EXPORT=${1:-notebooks-export}
VENV=${STSSCAN_NOTEBOOK_VENV:-.build/nbvenv}
command -v chromium >/dev/null || { echo "chromium is missing: apt-get install chromium" >&2; exit 1; }
bash scripts/notebook-venv.sh "$VENV" >/dev/null
WORK=$(mktemp -d /tmp/stsscan-shots.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$EXPORT/screenshots"

"$VENV/bin/jupyter" nbconvert --execute --to html --output-dir "$WORK" --output notebook-executed \
  "$EXPORT/report.ipynb" 2>"$WORK/nbconvert.log" || { cat "$WORK/nbconvert.log" >&2; exit 1; }

shoot() {  # shoot PAGE PNG: a 1100-pixel-wide window tall enough for the page, then trimmed
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1100,40000 --screenshot="$2" "file://$(realpath "$1")" >/dev/null 2>&1
  "$VENV/bin/python" - "$2" <<'PY'
import sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
gray = image.convert("L")
width, height = image.size
bottom = height
while bottom > 1 and min(gray.getpixel((x, bottom - 1)) for x in range(0, width, 4)) >= 250:
    bottom -= 1
# A 64-colour palette keeps text and charts crisp at a fraction of the file size.
image.crop((0, 0, width, min(height, bottom + 24))).quantize(colors=64).save(sys.argv[1], optimize=True)
print(f"{sys.argv[1]}: {width}x{min(height, bottom + 24)}")
PY
}
shoot "$EXPORT/report.html" "$EXPORT/screenshots/report-html.png"
shoot "$WORK/notebook-executed.html" "$EXPORT/screenshots/notebook-executed.png"
if [ -f "$EXPORT/diff.html" ]; then shoot "$EXPORT/diff.html" "$EXPORT/screenshots/diff-html.png"; fi
if [ -f "$EXPORT/series/series.html" ]; then
  shoot "$EXPORT/series/series.html" "$EXPORT/screenshots/series-html.png"
  "$VENV/bin/jupyter" nbconvert --execute --to html --output-dir "$WORK" --output series-executed \
    "$EXPORT/series/series.ipynb" 2>"$WORK/nbconvert.log" || { cat "$WORK/nbconvert.log" >&2; exit 1; }
  shoot "$WORK/series-executed.html" "$EXPORT/screenshots/series-notebook-executed.png"
fi
