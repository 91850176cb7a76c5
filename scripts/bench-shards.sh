#!/usr/bin/env bash
# Sharding benchmark (issue 12): prints figures, asserts nothing.
#   1. builds a world of BENCH_DOMAINS (default 1,000,000) at 2% adoption and starts it;
#   2. scans it with one process, then with BENCH_SHARDS (default 4) `--shard K/N` processes
#      side by side, and prints domains/s of each shard and of all together next to the
#      single process (target: no worse than 10% below);
#   3. times `stsscan merge` of the shard databases (target: < 30 s for 4 x 250k rows) and
#      checks the merged scan has a row per entry.
# BENCH_RESOLVER: "direct" (NSD itself, default, as scripts/bench.sh) or "unbound" (the
# world's Unbound, what real surveys use); BENCH_CONCURRENCY per process (default 1000, the
# default of scan); BENCH_BLOCK the world's address block (127.B.x.x, default 0); BENCH_DIR;
# BENCH_CONFIG (release, default, or debug).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
N=${BENCH_DOMAINS:-1000000}
SHARDS=${BENCH_SHARDS:-4}
W=${BENCH_DIR:-/tmp/stsscan-bench-shards}
CONCURRENCY=${BENCH_CONCURRENCY:-1000}
RESOLVER=${BENCH_RESOLVER:-direct}
CONFIG=${BENCH_CONFIG:-release}   # debug: a quick look without a release build (ratios only)
swift build -c "$CONFIG" --product stsscan >/dev/null
B=$PWD/.build/$CONFIG/stsscan
case "$RESOLVER" in
  direct) VIA=(--direct) ;;
  unbound) VIA=() ;;
  *) echo "BENCH_RESOLVER must be direct or unbound" >&2; exit 2 ;;
esac

echo "== world: $N domains, 2% adoption ($RESOLVER)"
rm -rf "$W"
$B world build "$W" --domains "$N" --adoption 0.02 --seed 99 --address-block "${BENCH_BLOCK:-0}" >/dev/null
$B world start "$W" >/dev/null
trap '$B world stop "$W" >/dev/null 2>&1 || true' EXIT

rate() {  # $1 = label, $2 = summary file, $3 = time file
  python3 - "$@" <<'PY'
import re, sys
label, summary, timing = sys.argv[1:]
stored = int(re.search(r"stored\s+(\d+)", open(summary).read()).group(1))
wall, user, sys_, rss = open(timing).read().split()
cpu = float(user) + float(sys_)
print(f"{label}: {stored} domains in {float(wall):.1f} s = {stored/float(wall):,.0f} domains/s, "
      f"CPU {cpu:.1f} s, peak RSS {int(rss)/1024:.0f} MB")
PY
}

echo "== one process"
/usr/bin/time -f "%e %U %S %M" -o "$W/time-1.txt" \
  $B world scan "$W" --db "$W/single.sqlite" --concurrency "$CONCURRENCY" --quiet "${VIA[@]}" 2> "$W/single.txt"
rate "1 process" "$W/single.txt" "$W/time-1.txt"
# A fresh start: no cache or connection state of the first scan helps the shards.
$B world stop "$W" >/dev/null
$B world start "$W" >/dev/null

echo "== $SHARDS shard processes side by side"
start=$(date +%s.%N)
pids=()
for ((k = 0; k < SHARDS; k++)); do
  /usr/bin/time -f "%e %U %S %M" -o "$W/time-shard-$k.txt" \
    $B world scan "$W" --db "$W/shard-$k.sqlite" --shard "$k/$SHARDS" --concurrency "$CONCURRENCY" --quiet "${VIA[@]}" \
    2> "$W/shard-$k.txt" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
end=$(date +%s.%N)
for ((k = 0; k < SHARDS; k++)); do rate "  shard $k/$SHARDS" "$W/shard-$k.txt" "$W/time-shard-$k.txt"; done
python3 - "$W" "$SHARDS" "$start" "$end" <<'PY'
import re, sys
w, shards, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
def stored(path): return int(re.search(r"stored\s+(\d+)", open(path).read()).group(1))
total = sum(stored(f"{w}/shard-{k}.txt") for k in range(shards))
wall = end - start
single = stored(f"{w}/single.txt") / float(open(f"{w}/time-1.txt").read().split()[0])
together = total / wall
print(f"{shards} shards together: {total} domains in {wall:.1f} s = {together:,.0f} domains/s "
      f"= {together / single * 100:.0f}% of one process ({single:,.0f} domains/s; target >= 90%)")
PY

echo "== merge"
rm -f "$W/merged.sqlite"*
shard_files=()
for ((k = 0; k < SHARDS; k++)); do shard_files+=("$W/shard-$k.sqlite"); done
/usr/bin/time -f "%e %U %S %M" -o "$W/time-merge.txt" $B merge "$W/merged.sqlite" "${shard_files[@]}" 2> "$W/merge.txt"
read -r wall user sys rss < "$W/time-merge.txt"
rows=$(sqlite3 "$W/merged.sqlite" "SELECT count(*) FROM domain_results")
echo "merge of $SHARDS shards: $rows rows in $wall s (CPU $(python3 -c "print(round($user + $sys, 1))") s, peak RSS $((rss / 1024)) MB; target < 30 s for 4 x 250k)"
[ "$rows" = "$N" ] || echo "warning: the merged scan has $rows rows for $N entries" >&2
