#!/usr/bin/env bash
# Report timing over a synthetic scan: fills a ROWS-row database with SQL (recursive CTE,
# through the real schema), prints the time of the in-process report and of each section,
# then times the stsscan CLI on the same file in every format.
# Usage: scripts/bench-report.sh [ROWS] (default 1000000). SCRATCH=.build-x picks the build dir.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
scratch="${SCRATCH:-.build}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/bench.sqlite"

STSREPORT_BENCH_ROWS="$rows" STSREPORT_BENCH_DB="$db" \
    swift test --scratch-path "$scratch" --filter ReportBenchmarkTests 2>&1 | grep -E "STSReport|passed|failed"

swift build -c release --scratch-path "$scratch" --product stsscan >/dev/null
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/stsscan"
for format in text json html csv md ipynb; do
    start=$(date +%s%N)
    "$bin" report --db "$db" --format "$format" --out "$work/report.$format"
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    printf 'stsscan report --format %-5s %6d ms  %9d bytes\n' "$format" "$ms" "$(stat -c %s "$work/report.$format")"
done
start=$(date +%s%N)
"$bin" diff --db "$db" --from 1 --to 1 --format json --out "$work/diff.json"
end=$(date +%s%N)
printf 'stsscan diff (scan against itself) %6d ms\n' $(( (end - start) / 1000000 ))
