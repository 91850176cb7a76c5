#!/usr/bin/env bash
# Runs every test: unit tests per module, then end-to-end tests that drive the built
# `stsscan` binary (lint, and scans against a simulated internet started on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
swift build
# Serially: suites in parallel share Swift's cooperative pool (one thread per core, two on
# the build machine), and the many tests that block a thread (servers starting, subprocesses,
# world builds) stalled other suites' awaits for up to 21 s, failing their timing checks
# (seen in CI). Serial: ~215 s of tests instead of ~145 s, and no such stalls.
swift test --no-parallel "$@"
