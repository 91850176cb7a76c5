#!/usr/bin/env bash
# Runs test suites under AddressSanitizer and ThreadSanitizer, each in its own build
# directory (.build-asan, .build-tsan: the whole package and its dependencies are rebuilt
# instrumented, several minutes the first time), serially like scripts/test.sh.
#
#   scripts/sanitize.sh [address|thread|both] [SUITE...]   default: both, STSEngineTests
#
# A sanitizer report fails the run (halt_on_error): the report names the racing or faulty
# accesses with their stacks. The engine suite needs NSD and nginx (scripts/deps.sh).
# Measured 2026-11-30 (2 shared cores, heavily loaded): address, STSEngineTests: 261 s with
# the build; thread, STSEngineTests + STSScannerTests: 473 s with the build; both clean.
# The thread run compiles with -DSTSSCAN_PTHREAD_MUTEX: Sources/STSEngine/ThreadSanitizerMutex.swift
# says why (TSan cannot see Synchronization.Mutex on Linux).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

which="${1:-both}"
shift || true
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(STSEngineTests)
filter=$(IFS='|'; echo "${suites[*]}")

case "$which" in
  address) sanitizers=(address) ;;
  thread)  sanitizers=(thread) ;;
  both)    sanitizers=(address thread) ;;
  *) echo "usage: scripts/sanitize.sh [address|thread|both] [SUITE...]" >&2; exit 2 ;;
esac

# Every report is an error; leak checking stays off (the Swift runtime and the test
# harness keep allocations alive until exit, which LeakSanitizer would list).
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=0:${ASAN_OPTIONS:-}"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:${TSAN_OPTIONS:-}"

for sanitizer in "${sanitizers[@]}"; do
  [ "$sanitizer" = thread ] && scratch=.build-tsan || scratch=.build-asan
  echo "== $sanitizer sanitizer: $filter ($scratch)" >&2
  start=$(date +%s)
  flags=()
  # TSan cannot see Synchronization.Mutex's lock on Linux: swap in the pthread-based
  # stand-in of Sources/STSEngine/ThreadSanitizerMutex.swift (see there).
  [ "$sanitizer" = thread ] && flags=(-Xswiftc -DSTSSCAN_PTHREAD_MUTEX)
  swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" "${flags[@]}"
  swift test --skip-build --no-parallel --sanitize="$sanitizer" --scratch-path "$scratch" "${flags[@]}" --filter "$filter"
  echo "== $sanitizer sanitizer: clean ($(( $(date +%s) - start )) s)" >&2
done
