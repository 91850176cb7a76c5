#!/usr/bin/env bash
# After every task of scan-array.sh succeeded (submit.sh queues it with --dependency=afterok):
# merge the N shard databases into one scan ($STSSCAN_OUT/survey.sqlite) and write its JSON
# lines ($STSSCAN_OUT/survey.jsonl).
#SBATCH --job-name=stsscan-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --output=stsscan-merge.log
set -euo pipefail
: "${STSSCAN_OUT:?the directory holding the shard databases}"
: "${STSSCAN_SHARDS:=8}"

n="$STSSCAN_SHARDS"; shards=()
for ((k = 0; k < n; k++)); do shards+=("$STSSCAN_OUT/shard-$k-of-$n.sqlite"); done
out="$STSSCAN_OUT/survey.sqlite"
if [ ! -e "$out" ]; then  # a rerun never merges twice: built aside, then renamed
  rm -f "$out.part" "$out.part-wal" "$out.part-shm"
  stsscan merge "$out.part" "${shards[@]}"
  mv "$out.part" "$out"
fi
stsscan export --db "$out" --format jsonl --out "$STSSCAN_OUT/survey.jsonl"
