#!/usr/bin/env bash
# A sharded survey as a Slurm job array: task K of N scans part K of the list
# (`stsscan scan --shard $SLURM_ARRAY_TASK_ID/N`) through its own Unbound (`stsscan resolver
# start`), or through the resolver named in STSSCAN_RESOLVER, into
# $STSSCAN_OUT/shard-K-of-N.sqlite on a shared file system. A requeued task resumes its shard.
# Submit with deploy/slurm/submit.sh, which queues merge.sh after every task succeeded
# (docs/deploy.md). Keep --array at 0-(N-1) for N = STSSCAN_SHARDS.
#SBATCH --job-name=stsscan-shards
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=04:00:00
#SBATCH --requeue
# Own Unbound per task: every task listens on the same loopback address (merge wants the same
# --resolver in every shard), so two tasks must not share a node. Drop this line when all
# tasks use one resolver named in STSSCAN_RESOLVER.
#SBATCH --exclusive
#SBATCH --output=stsscan-shard-%a.log
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
state=new
[ -e "$db" ] && state=$(stsscan sql --db "$db" --csv "SELECT CASE WHEN EXISTS (SELECT 1 FROM scans WHERE
  finished_at IS NOT NULL) THEN 'done' WHEN EXISTS (SELECT 1 FROM scans) THEN 'resume' ELSE 'new' END" | tr -d '\r' | tail -n 1)
[ "$state" = "done" ] && exit 0
resume=""; [ "$state" = "resume" ] && resume="--resume"
resolver="$STSSCAN_RESOLVER"
if [ -z "$resolver" ]; then
  rdir="${TMPDIR:-/tmp}/stsscan-resolver-${SLURM_ARRAY_JOB_ID:-local}-$k"
  stsscan resolver start "$rdir" --listen "$STSSCAN_RESOLVER_LISTEN" $STSSCAN_RESOLVER_ARGS
  trap 'stsscan resolver stop "$rdir"' EXIT
  trap 'exit 143' TERM
  resolver="$STSSCAN_RESOLVER_LISTEN"
fi
stsscan scan "$STSSCAN_LIST" --shard "$k/$n" --db "$db" $resume --resolver "$resolver" \
  --ehlo-name "$STSSCAN_EHLO_NAME" $STSSCAN_SCAN_ARGS
