#!/usr/bin/env bash
# Queued by submit.sh after the shard tasks ended, however they ended (--dependency=afterany):
# when every shard holds a finished scan, merge the N shard databases into one scan
# ($STSSCAN_OUT/survey.sqlite) and write its JSON lines ($STSSCAN_OUT/survey.jsonl); when
# some do not (a task failed, was cancelled, its node was lost), name them and fail: running
# submit.sh again queues what is missing and a new merge.
#SBATCH --job-name=stsscan-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --output=stsscan-merge-%j.log
#SBATCH --open-mode=append
set -euo pipefail
: "${STSSCAN_OUT:?the directory holding the shard databases}"
: "${STSSCAN_SHARDS:=8}"

n="$STSSCAN_SHARDS"; shards=(); unfinished=()
out="$STSSCAN_OUT/survey.sqlite"
# ANSWER of one query on DB, or "unreadable" (no SQLite database, not stsscan's, damaged).
query() { stsscan sql --db "$1" --csv "$2" 2>/dev/null | tr -d '\r' | tail -n 1 || echo unreadable; }
# A read-only query leaves an empty -wal and a -shm behind; with nothing in the -wal they hold nothing.
tidy() { if [ ! -s "$1-wal" ]; then rm -f "$1-wal" "$1-shm"; fi; }

# Already merged is what the file holds, not that it exists: its newest scan is a finished
# merge of exactly the N shards. An empty or damaged file (a copy that failed) is merged again.
merged=no
if [ -s "$out" ]; then
  merged=$(query "$out" "SELECT CASE WHEN s.finished_at IS NOT NULL
      AND (SELECT count(*) FROM scan_parts p WHERE p.scan_id = s.id) = $n
      AND (SELECT count(*) FROM scan_parts p WHERE p.scan_id = s.id AND p.shard LIKE '%/$n') = $n
    THEN 'yes' ELSE 'no' END FROM scans s ORDER BY s.id DESC LIMIT 1")
  tidy "$out"
fi
if [ "$merged" != "yes" ]; then
  for ((k = 0; k < n; k++)); do
    db="$STSSCAN_OUT/shard-$k-of-$n.sqlite"
    shards+=("$db")
    state=missing
    [ -e "$db" ] && state=$(query "$db" "SELECT CASE WHEN EXISTS (SELECT 1 FROM scans WHERE finished_at IS NOT NULL)
      THEN 'done' ELSE 'unfinished' END") && tidy "$db"
    [ "$state" = "done" ] || unfinished+=("$k ($state)")
  done
  if [ ${#unfinished[@]} -gt 0 ]; then
    echo "not merged: shards not finished: ${unfinished[*]} of $n. Run deploy/slurm/submit.sh again with the" \
      "same settings: it queues these shards (they resume) and a new merge." >&2
    exit 1
  fi
  [ -e "$out" ] && echo "$out holds no merge of the $n shards (merged=$merged): merging again, replacing it" >&2
  # Built aside, then renamed: a merge stopped halfway never looks like a survey.
  rm -f "$out.part" "$out.part-wal" "$out.part-shm" "$out.part-journal"
  stsscan merge "$out.part" "${shards[@]}"
  mv "$out.part" "$out"
  rm -f "$out.part.lock" "$out.part-wal" "$out.part-shm"
  for db in "${shards[@]}"; do tidy "$db"; done
else
  echo "$out already holds the merge of the $n shards"
fi
stsscan export --db "$out" --format jsonl --out "$STSSCAN_OUT/survey.jsonl"
tidy "$out"
