#!/usr/bin/env bash
# Runs every test: unit tests per module, then end-to-end tests that drive the built
# `stsscan` binary (lint, and scans against a simulated internet started on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
swift build
swift test "$@"
