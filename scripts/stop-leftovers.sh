#!/usr/bin/env bash
# Stops what earlier runs of this project's tests, demo and benchmarks left running on this
# machine (a crashed or killed test run cannot stop its own servers), by what the project
# itself recorded: `stsscan world stop` on every world directory it creates (servers by their
# pid files, checked against their command line), the engine tests' pid files, private Slurm
# clusters (scripts/private-slurm.sh stop), and the disk-full test's tmpfs mounts. Never by
# process name: another nginx/nsd/unbound/slurmd on the machine is not ours. Usage: scripts/stop-leftovers.sh [path/to/stsscan]
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/stsscan}
TMP=${TMPDIR:-/tmp}
TMP=${TMP%/}

# World directories: tests (stsscan-world-*, stsworld-tests-*), demo and benchmark.
for dir in "$TMP"/stsscan-world-* "$TMP"/stsworld-tests-* "${DEMO_DIR:-/tmp/stsscan-demo}" "${BENCH_DIR:-/tmp/stsscan-bench}"; do
  [ -f "$dir/world.json" ] && [ -d "$dir/run" ] || continue
  if [ -x "$BIN" ]; then
    "$BIN" world stop "$dir" >/dev/null 2>&1 || echo "stop-leftovers: could not stop the world in $dir" >&2
  fi
done

# Engine tests: servers write <dir>/nsd.pid, <dir>/nginx.pid; a pid is ours only while its
# command line still names that directory (pids are reused).
for pidfile in /tmp/stsscan-engine-tests/*/*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(tr -dc '0-9' < "$pidfile")
  dir=$(dirname "$pidfile")
  [ -n "$pid" ] && [ "$pid" -gt 1 ] || continue
  if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$dir"; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
done

# Private one-node Slurm clusters of SlurmEndToEndTests (stsscan-slurm-*): their jobs, then
# munged, slurmctld and slurmd by the pid files in the folder (scripts/private-slurm.sh stop).
for dir in "$TMP"/stsscan-slurm-*; do
  [ -f "$dir/slurm.conf" ] || continue
  bash scripts/private-slurm.sh stop "$dir" || echo "stop-leftovers: could not stop the Slurm in $dir" >&2
  rm -rf "$dir"
done

# The disk-full test's small tmpfs mounts (stsscan-diskfull-*), if a run died before unmounting.
awk '{ print $2 }' /proc/mounts | grep -E "^$TMP/stsscan-diskfull-" | while read -r mountpoint; do
  umount "$mountpoint" 2>/dev/null || umount -l "$mountpoint" 2>/dev/null || true
  rmdir "$mountpoint" 2>/dev/null || true
done
exit 0
