#!/usr/bin/env bash
# The benchmark tests, apart from the default suite (they print figures and assert only that
# their work arrived): the store's insert rate, shard merging, report and transition queries
# over synthetic scans, and TLS fetches per second against nginx. Release build, serial.
# Sizes: STSSTORE_BENCH_ROWS, STSSTORE_MERGE_ROWS, STSREPORT_BENCH_ROWS (see each test).
set -euo pipefail
cd "$(dirname "$0")/.."
STSSCAN_BENCHMARKS=1 swift test -c release --no-parallel \
  --filter 'ThroughputTests|ShardMergeTests/mergeTiming|ReportBenchmarkTests|TransitionBenchmarkTests|FetchIntegrationTests/throughput' "$@"
