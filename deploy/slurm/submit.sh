#!/usr/bin/env bash
# Queues the shard array, then the merge after it; and the recovery, run the same way:
#   STSSCAN_LIST=/shared/top-1m.csv STSSCAN_OUT=/shared/survey STSSCAN_EHLO_NAME=scanner.example.org \
#     STSSCAN_SHARDS=8 deploy/slurm/submit.sh
# Run again with the same settings after a task failed or was cancelled (the merge then ends
# naming the unfinished shards): it queues only the shards that are neither finished nor
# still queued (they resume), and a new merge after them; a merge of an earlier submission
# still waiting is cancelled. Prints "array JOBID" (or "array none") and "merge JOBID", and
# appends them to $STSSCAN_OUT/slurm-jobs, which is how a rerun knows its earlier jobs.
# The environment (STSSCAN_*) is passed to both jobs (sbatch's default --export=ALL).
# Settings: STSSCAN_EXCLUSIVE=1|0 whole nodes for the shard tasks (default 1 when each task
# starts its own Unbound, 0 when STSSCAN_RESOLVER names one); STSSCAN_SBATCH_ARGS more sbatch
# options for both jobs (e.g. "--partition=long --account=survey --chdir=/shared/logs").
# STSSCAN_SBATCH_ARGS holds several options: split into words on purpose.
# shellcheck disable=SC2086
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${STSSCAN_OUT:?the directory for the shard databases (shared by every node)}"
n="${STSSCAN_SHARDS:=8}"
export STSSCAN_SHARDS
: "${STSSCAN_RESOLVER:=}" "${STSSCAN_SBATCH_ARGS:=}"
if [ -z "${STSSCAN_EXCLUSIVE:-}" ]; then
  STSSCAN_EXCLUSIVE=0; [ -z "$STSSCAN_RESOLVER" ] && STSSCAN_EXCLUSIVE=1
fi
exclusive=""; [ "$STSSCAN_EXCLUSIVE" = 1 ] && exclusive="--exclusive"
mkdir -p "$STSSCAN_OUT"
record="$STSSCAN_OUT/slurm-jobs"

# Earlier submissions of this survey, and which of their jobs are still queued or running.
ids=" "
[ -f "$record" ] && ids+=$(awk '$1 == "array" || $1 == "merge" { printf "%s ", $2 }' "$record")
queued=$(squeue -h -r -o '%F %K %i %T' | awk -v ids="$ids" 'index(ids, " " $1 " ")')
inflight=" "; waitfor=()
while read -r job task id state; do
  [ -n "${job:-}" ] || continue
  if [ "$task" = "N/A" ]; then  # an earlier merge
    if [ "$state" = PENDING ]; then
      scancel "$id"; echo "cancelled merge $id of an earlier submission (a new one follows)" >&2
    else
      echo "merge $id of an earlier submission is $state: wait for it; run this again if it fails" >&2
      exit 1
    fi
  else
    inflight+="$task "
    [[ " ${waitfor[*]} " == *" $job "* ]] || waitfor+=("$job")
  fi
done <<< "$queued"

# Shards to queue: neither finished (when stsscan is at hand here to tell) nor in flight.
todo=()
for ((k = 0; k < n; k++)); do
  [[ "$inflight" == *" $k "* ]] && continue
  db="$STSSCAN_OUT/shard-$k-of-$n.sqlite"
  if [ -e "$db" ] && command -v stsscan >/dev/null; then
    done=$(stsscan sql --db "$db" --csv "SELECT EXISTS (SELECT 1 FROM scans WHERE finished_at IS NOT NULL)" \
      2>/dev/null | tr -d '\r' | tail -n 1 || true)
    if [ ! -s "$db-wal" ]; then rm -f "$db-wal" "$db-shm"; fi  # left by the read-only check, empty
    [ "$done" = 1 ] && continue
  fi
  todo+=("$k")
done

if [ ${#todo[@]} -gt 0 ]; then
  list=$(IFS=,; echo "${todo[*]}")
  array=$(sbatch --parsable --array="$list" $exclusive $STSSCAN_SBATCH_ARGS "$here/scan-array.sh")
  array=${array%%;*}
  echo "array $array" >> "$record"
  echo "array $array (shards $list of $n)"
  waitfor+=("$array")
else
  echo "array none (every shard finished or queued)"
fi
dependency=""
[ ${#waitfor[@]} -gt 0 ] && dependency="--dependency=afterany:$(IFS=:; echo "${waitfor[*]}")"
merge=$(sbatch --parsable $dependency $STSSCAN_SBATCH_ARGS "$here/merge.sh")
merge=${merge%%;*}
echo "merge $merge" >> "$record"
echo "merge $merge (after ${waitfor[*]:-nothing}; reports unfinished shards, if any, in its log)"
