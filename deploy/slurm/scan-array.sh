#!/usr/bin/env bash
# A sharded survey as a Slurm job array: task K of N scans part K of the list
# (`stsscan scan --shard $SLURM_ARRAY_TASK_ID/N`) through its own Unbound (`stsscan resolver
# start`), or through the resolver named in STSSCAN_RESOLVER, into
# $STSSCAN_OUT/shard-K-of-N.sqlite on a shared file system. A requeued or resubmitted task
# resumes its shard; a finished shard's task ends at once.
# Submit with deploy/slurm/submit.sh, which queues merge.sh after the tasks and is also the
# recovery command (docs/deploy.md). Keep --array at 0-(N-1) for N = STSSCAN_SHARDS.
#SBATCH --job-name=stsscan-shards
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=04:00:00
#SBATCH --requeue
# Own Unbound per task: every task listens on the same loopback address (merge wants the same
# --resolver in every shard), so two tasks must not share a node: submit.sh adds --exclusive
# unless STSSCAN_RESOLVER names one resolver for all tasks (STSSCAN_EXCLUSIVE overrides).
# One log per task and submission (%A_%a), appended to when Slurm requeues the task: the log
# of a failed attempt stays.
#SBATCH --output=stsscan-shard-%A_%a.log
#SBATCH --open-mode=append
# STSSCAN_*_ARGS hold several options: split into words on purpose.
# shellcheck disable=SC2086
set -euo pipefail
: "${STSSCAN_LIST:?the domain list (a path every node can read)}"
: "${STSSCAN_OUT:?the directory for the shard databases (shared by every node)}"
: "${STSSCAN_EHLO_NAME:?a name of the scanner whose reverse DNS matches (README: Scanning port 25 responsibly)}"
: "${STSSCAN_SHARDS:=8}" "${STSSCAN_RESOLVER:=}" "${STSSCAN_RESOLVER_LISTEN:=127.0.0.153:5300}"
: "${STSSCAN_RESOLVER_ARGS:=}" "${STSSCAN_SCAN_ARGS:=}"

k="$SLURM_ARRAY_TASK_ID"; n="$STSSCAN_SHARDS"
db="$STSSCAN_OUT/shard-$k-of-$n.sqlite"
mkdir -p "$STSSCAN_OUT"
echo "stsscan shard $k/$n: job ${SLURM_JOB_ID:-?} on $(hostname) at $(date -u +%FT%TZ), restart ${SLURM_RESTART_COUNT:-0}"
state=new
[ -e "$db" ] && state=$(stsscan sql --db "$db" --csv "SELECT CASE WHEN EXISTS (SELECT 1 FROM scans WHERE
  finished_at IS NOT NULL) THEN 'done' WHEN EXISTS (SELECT 1 FROM scans) THEN 'resume' ELSE 'new' END" | tr -d '\r' | tail -n 1)
# The read-only check leaves an empty -wal and a -shm beside a finished shard (SQLite cannot
# remove them from a read-only connection); with nothing in the -wal they hold nothing.
if [ "$state" = "done" ] && [ ! -s "$db-wal" ]; then rm -f "$db-wal" "$db-shm"; fi
[ "$state" = "done" ] && { echo "shard $k/$n already finished"; exit 0; }
resume=""; [ "$state" = "resume" ] && resume="--resume"
resolver="$STSSCAN_RESOLVER"
if [ -z "$resolver" ]; then
  rdir="${TMPDIR:-/tmp}/stsscan-resolver-${SLURM_ARRAY_JOB_ID:-local}-$k"
  # Stopped and removed however the task ends (scancel sends TERM; a failed scan exits).
  trap 'stsscan resolver stop "$rdir"; rm -rf "$rdir"' EXIT
  trap 'exit 143' TERM
  stsscan resolver start "$rdir" --listen "$STSSCAN_RESOLVER_LISTEN" $STSSCAN_RESOLVER_ARGS
  resolver="$STSSCAN_RESOLVER_LISTEN"
fi
stsscan scan "$STSSCAN_LIST" --shard "$k/$n" --db "$db" $resume --resolver "$resolver" \
  --ehlo-name "$STSSCAN_EHLO_NAME" $STSSCAN_SCAN_ARGS
