#!/usr/bin/env bash
# Scan-engine benchmark (issue 4): prints figures, asserts nothing.
#   1. builds a world of BENCH_DOMAINS (default 1,000,000) at 2% adoption and starts it;
#   2. measures the DNS servers' own capacity with dnsperf (NSD direct, and dnsdist);
#   3. scans it straight against NSD (MX STARTTLS probing on, the default, then with
#      --mx-probe none for the cost of probing); then behind dnsdist with default options (the
#      dropping proxy: dnsdist drops what it has no CPU for, as an overloaded path does), then
#      with 30 ms DNS latency through dnsdist. Next to each route: massdns asking the same three
#      questions per domain (MX d, TXT _mta-sts.d, TXT _smtp._tls.d) of the same server, in the
#      same run (MASSDNS=/path/to/massdns, or massdns on PATH; skipped, saying so, without it),
#      and the rows that ended in a DNS timeout (the world's own dropped names included: the
#      truth column says how many of those the world planned);
#   3b. (issue 11) scans it with default options through the world's Unbound at 0 and 30 ms
#      of authoritative latency, each next to dnsperf resolving the list's questions once against the same (cold)
#      Unbound, and prints stsscan's queries/s as a share of what the resolver answers; the
#      world's servers get half the CPUs and dnsperf or stsscan the other half (BENCH_PIN=0: shared);
#   4. scans a list BENCH_FACTOR (default 10) times longer (the extra entries are names the
#      world answers NXDOMAIN) to show memory stays flat.
# For each scan: domains/s, DNS queries/s, HTTPS fetches/s, CPU seconds, peak RSS.
# BENCH_PARTS picks the scans (default all): "direct proxy dnsdist unbound long"; BENCH_BLOCK the
# world's address block (127.B.x.x, default 0); BENCH_LATENCIES the Unbound part's authoritative
# latencies in ms (default "0 30"); BENCH_PIN=0 lets the Unbound part's client share the world's CPUs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
N=${BENCH_DOMAINS:-1000000}
FACTOR=${BENCH_FACTOR:-10}
W=${BENCH_DIR:-/tmp/stsscan-bench}
CONCURRENCY=${BENCH_CONCURRENCY:-2000}
PARTS=" ${BENCH_PARTS:-direct proxy dnsdist unbound long} "
part() { [[ "$PARTS" == *" $1 "* ]]; }
client=()  # a command prefix for dnsperf and stsscan (CPU pinning in the Unbound part)
swift build -c release --product stsscan >/dev/null
B=$PWD/.build/release/stsscan

echo "== world: $N domains, 2% adoption"
/usr/bin/time -f "world build: %e s wall, %U s user, %M KB peak RSS" \
  "$B" world build "$W" --domains "$N" --adoption 0.02 --seed 99 --address-block "${BENCH_BLOCK:-0}" >/dev/null
"$B" world start "$W" >/dev/null
trap '$B world stop "$W" >/dev/null 2>&1 || true' EXIT
NSD=$(python3 -c "import json;print(json.load(open('$W/world.json'))['dns']['nsd'])")
DNSDIST=$(python3 -c "import json;print(json.load(open('$W/world.json'))['dns']['dnsdist'])")

capacity() {  # $1 = ip:port
  local ip=${1%:*} port=${1##*:}
  awk -F, 'NR<=200000 {print $2" MX"; print "_mta-sts."$2" TXT"}' "$W/domains.csv" > "$W/dnsperf.txt"
  dnsperf -s "$ip" -p "$port" -d "$W/dnsperf.txt" -l 10 -c 4 -q 2000 2>/dev/null \
    | awk '/Queries per second/ {print $4}'
}
echo "dnsperf capacity: NSD $(capacity "$NSD") q/s, dnsdist $(capacity "$DNSDIST") q/s"

MASSDNS=${MASSDNS:-$(command -v massdns || true)}
# massdns's default of 10,000 lookups in flight overflows NSD's and dnsdist's socket buffers
# on loopback, and its 500 ms retry interval then dominates (5,083 domains/s straight to NSD
# against 24,790 at 1,000 in flight, measured here): it runs at its best setting here. Its
# default of 50 tries per name makes the world's dropped names a 25 s tail; it gets the 5 tries
# stsscan makes (3, then a requery round of 2).
MASSDNS_IN_FLIGHT=${MASSDNS_IN_FLIGHT:-1000}
massdns_rate() {  # $1 = label, $2 = ip:port: massdns resolving the list's three questions per domain
  if [ -z "$MASSDNS" ] || [ ! -x "$MASSDNS" ]; then
    echo "  massdns: not measured (set MASSDNS=/path/to/massdns)"; return 0
  fi
  awk -F, '{print $2}' "$W/domains.csv" > "$W/massdns-mx.txt"
  awk -F, '{print "_mta-sts."$2; print "_smtp._tls."$2}' "$W/domains.csv" > "$W/massdns-txt.txt"
  echo "$2" > "$W/massdns-resolvers.txt"
  local start end n
  n=$(wc -l < "$W/massdns-mx.txt")
  start=$(date +%s.%N)
  local common=(--root -q -c 5 -s "$MASSDNS_IN_FLIGHT" -r "$W/massdns-resolvers.txt" -o J -w /dev/null)
  "${client[@]}" "$MASSDNS" "${common[@]}" -t MX "$W/massdns-mx.txt"
  "${client[@]}" "$MASSDNS" "${common[@]}" -t TXT "$W/massdns-txt.txt"
  end=$(date +%s.%N)
  python3 -c "import sys; n, t = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2]); \
print(f'  massdns (-s {sys.argv[5]} -c 5), {sys.argv[4]}: {n:,} domains x 3 questions in {t:.1f} s = {n/t:,.0f} domains/s ({3*n/t:,.0f} queries/s)')" \
    "$n" "$start" "$end" "$1" "$MASSDNS_IN_FLIGHT" | tee -a "$W/bench-results.txt"
}
timeouts() {  # rows of the last scan with a DNS timeout finding, next to the world's planned ones
  local found planned
  found=$(sqlite3 "$W/bench.sqlite" "SELECT count(DISTINCT position) FROM findings WHERE code LIKE '%-dns-timeout'")
  planned=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "error_code") c = i; next} c && $c ~ /dns-timeout$/ {n++} END {print n + 0}' "$W/truth.csv")
  echo "  rows ending in a DNS timeout: $found (the world drops $planned on purpose)" | tee -a "$W/bench-results.txt"
  grep -E "DNS queries|DNS in flight" "$W/scan.txt" | sed 's/^ */  /'
}

scan() {  # $1 = label, $2 = concurrency, rest = world scan arguments
  local label=$1 concurrency=$2; shift 2
  rm -f "$W/bench.sqlite"*
  # Progress lines (one per 5 s: stderr is a file) give the steady rate, apart from the start and
  # the tail (a list's last domains wait for their own timeouts: 20 s fetches, 20 s DNS rounds).
  /usr/bin/time -f "%e %U %S %M" -o "$W/time.txt" \
    "${client[@]}" "$B" world scan "$W" --db "$W/bench.sqlite" --concurrency "$concurrency" "$@" 2> "$W/scan.txt"
  read -r wall user sys rss < "$W/time.txt"
  local stored queries fetches probes
  stored=$(awk '/stored/ {print $2; exit}' "$W/scan.txt")
  queries=$(awk '/DNS queries/ {print $3; exit}' "$W/scan.txt")
  fetches=$(awk '/HTTPS fetches/ {print $3; exit}' "$W/scan.txt")
  probes=$(awk '/MX probes/ {print $3; exit}' "$W/scan.txt")
  python3 - "$label" "$stored" "$queries" "$fetches" "${probes:-0}" "$wall" "$user" "$sys" "$rss" "$W/scan.txt" <<'PY' | tee -a "$W/bench-results.txt"
import re, sys
label, stored, q, f, p, wall, user, sys_, rss, log = sys.argv[1:]
stored, q, f, p, wall, cpu = int(stored), int(q), int(f), int(p), float(wall), float(user) + float(sys_)
done = [int(m.group(1)) for m in re.finditer(r"progress: (\d+)/", open(log).read())]
inside = [(i, d) for i, d in enumerate(done) if 0.1 * stored <= d <= 0.9 * stored]
steady = ""
if len(inside) >= 2:
    (i0, d0), (i1, d1) = inside[0], inside[-1]
    steady = f" (steady state 10%..90%: {(d1 - d0) / (5.0 * (i1 - i0)):,.0f})"
print(f"{label}: {stored} domains in {wall:.1f} s = {stored/wall:,.0f} domains/s{steady}, "
      f"{q/wall:,.0f} DNS queries/s, {f/wall:,.1f} HTTPS fetches/s, {p} MX probes ({p/wall:,.1f}/s), "
      f"CPU {cpu:.1f} s ({cpu/wall*100:.0f}% of one core, {cpu/stored*1e6:.0f} us/domain), peak RSS {int(rss)/1024:.0f} MB")
PY
}

echo "== scans"
rm -f "$W/bench-results.txt"
if part direct; then
  scan "straight to NSD" "$CONCURRENCY" --direct
  timeouts
  scan "straight to NSD, --mx-probe none" "$CONCURRENCY" --direct --mx-probe none
  massdns_rate "straight to NSD" "$NSD"
  python3 - "$W/bench-results.txt" <<'PY'
import re, sys
rows = [l for l in open(sys.argv[1])]
def get(line, pattern): return float(re.search(pattern, line).group(1).replace(",", ""))
on, off = rows[0], rows[2]
def rate(line):  # the steady rate where there is one: the tail is timeouts, not probing
    m = re.search(r"steady state 10%\.\.90%: ([\d,]+)", line)
    return float(m.group(1).replace(",", "")) if m else get(line, r"= ([\d,]+) domains/s")
rate_on, rate_off = rate(on), rate(off)
cpu_on, cpu_off = get(on, r"CPU ([\d.]+) s"), get(off, r"CPU ([\d.]+) s")
probes = get(on, r"(\d+) MX probes")
print(f"MX probing costs: {rate_on/rate_off*100:.0f}% of the no-probe rate; "
      f"scanner CPU per MX probe {1000*(cpu_on-cpu_off)/max(probes,1):.2f} ms")
PY
fi
if part proxy; then
  # Default options behind dnsdist: the adaptive window must find what the proxy forwards.
  scan "behind dnsdist (dropping proxy), defaults" "$CONCURRENCY" --resolver "$DNSDIST"
  timeouts
  massdns_rate "behind dnsdist" "$DNSDIST"
fi
"$B" world stop "$W" >/dev/null
if part dnsdist; then
  "$B" world start "$W" --latency-ms 30 >/dev/null
  scan "30 ms via dnsdist" 3000 --dns-timeout 2 --dns-tries 2 --dns-in-flight 1024 --resolver "$DNSDIST"
  "$B" world stop "$W" >/dev/null
fi

echo "== through the world's Unbound, default options"
UNBOUND=$(python3 -c "import json;print(json.load(open('$W/world.json'))['dns']['unbound'])")
resolver_capacity() {  # $1 = ip:port; the three questions a scan asks for every listed domain, once
  # massdns-style: the whole list resolved once on a cold cache, so the resolver's cache grows
  # as it does during the scan (a 10 s burst on an empty cache flatters the resolver).
  local ip=${1%:*} port=${1##*:}
  awk -F, '{print $2" MX"; print "_mta-sts."$2" TXT"; print "_smtp._tls."$2" TXT"}' \
    "$W/domains.csv" > "$W/dnsperf-resolver.txt"
  "${client[@]}" dnsperf -s "$ip" -p "$port" -d "$W/dnsperf-resolver.txt" -n 1 -c 4 -q 2000 2>/dev/null \
    | awk '/Queries per second/ {print $4}'
}
# On a machine with two or more CPUs the Unbound part gives the world's servers (Unbound,
# dnsdist, NSD, nginx, Postfix and all they fork) the upper half of the CPUs and the client
# (dnsperf, then stsscan) the lower half, so "what the resolver answers" is one fixed CPU
# budget in both runs. Shared (BENCH_PIN=0), the client's own CPU comes out of the resolver's:
# dnsperf spends ~13 us a query, stsscan also fetches, probes, classifies and stores.
NCPU=$(nproc)
PIN=${BENCH_PIN:-1}; [ "$NCPU" -ge 2 ] || PIN=0
CLIENT_CPUS=$(seq -s, 0 $(( NCPU / 2 - 1 ))); WORLD_CPUS=$(seq -s, $(( NCPU / 2 )) $(( NCPU - 1 )))
pin_tree() {  # $1 = pid, $2 = CPU list: the process, its threads and its descendants
  taskset -a -cp "$2" "$1" >/dev/null 2>&1 || true
  local child; for child in $(pgrep -P "$1"); do pin_tree "$child" "$2"; done
}
start_world() {  # $1 = latency in ms; then the world's servers pinned (processes forked later,
  # Postfix's smtpd, inherit the affinity of their parent)
  "$B" world start "$W" --latency-ms "$1" >/dev/null
  [ "$PIN" = 1 ] || return 0
  local f; for f in "$W"/run/*.started.pid; do pin_tree "$(cat "$f")" "$WORLD_CPUS"; done
}
if [ "$PIN" = 1 ]; then
  echo "CPUs: the world's servers on $WORLD_CPUS, dnsperf and stsscan on $CLIENT_CPUS (BENCH_PIN=0 shares them all)"
  client=(taskset -c "$CLIENT_CPUS")
else
  echo "CPUs: $NCPU shared by the world's servers, dnsperf and stsscan"
fi
unbound_cpu() {  # CPU seconds the world's Unbound has used so far
  local pid; pid=$(cat "$W/run/unbound.started.pid")
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat"
}
for latency in ${BENCH_LATENCIES:-0 30}; do
  part unbound || break
  # A fresh Unbound (cold cache) for dnsperf, and another for the scan.
  start_world "$latency"
  qps=$(resolver_capacity "$UNBOUND")
  "$B" world stop "$W" >/dev/null
  start_world "$latency"
  cpu_before=$(unbound_cpu)
  # Progress lines (one per 5 s) give the rate between 10% and 90% done, apart from the tail.
  scan "${latency} ms behind Unbound (defaults)" 1000
  cpu_after=$(unbound_cpu)
  awk '/DNS in flight/ {print "  " $0}' "$W/scan.txt"
  python3 - "$qps" "$W/scan.txt" "$W/time.txt" "$cpu_before" "$cpu_after" <<'PY'
import sys, re
qps = float(sys.argv[1] or 0)
text = open(sys.argv[2]).read()
stored = int(re.search(r"stored\s+(\d+)", text).group(1))
sent = int(re.search(r"DNS queries\s+(\d+)", text).group(1))
wall = float(open(sys.argv[3]).read().split()[0])
unbound_cpu = float(sys.argv[5]) - float(sys.argv[4])
asked = 3 * stored / wall
share = asked / qps * 100 if qps else float("nan")
print(f"  dnsperf, the list's {3 * stored:,} questions once against a cold Unbound: {qps:,.0f} queries/s")
print(f"  stsscan: 3 x {stored/wall:,.0f} domains/s = {asked:,.0f} queries/s, {share:.1f}% of it (target >= 70%); "
      f"every query sent: {sent/wall:,.0f}/s, {sent/wall/qps*100 if qps else float('nan'):.1f}%")
print(f"  Unbound during the scan: {unbound_cpu:.1f} CPU s, {unbound_cpu/wall*100:.0f}% of one core")
# Steady state: progress lines come every 5 s; the first at >= 10% and the last at <= 90% done.
done = [int(m.group(1)) for m in re.finditer(r"progress: (\d+)/", text)]
inside = [(i, d) for i, d in enumerate(done) if 0.1 * stored <= d <= 0.9 * stored]
if len(inside) >= 2:
    (i0, d0), (i1, d1) = inside[0], inside[-1]
    steady = (d1 - d0) / (5.0 * (i1 - i0))
    print(f"  steady state (10%..90% done): {steady:,.0f} domains/s, 3 x = {3 * steady / qps * 100 if qps else float('nan'):.1f}% "
          f"of dnsperf; the rest of the run is the start and the tail of the slowest domains (timeouts)")
PY
  "$B" world stop "$W" >/dev/null
done
client=()  # the long-list scan below runs as the direct ones did, on every CPU
"$B" world start "$W" >/dev/null

part long || exit 0
echo "== flat memory: a list ${FACTOR}x longer"
python3 - "$W/domains.csv" "$W/long.csv" "$FACTOR" <<'PY'
import sys
src, dst, factor = sys.argv[1], sys.argv[2], int(sys.argv[3])
domains = [line.split(",", 1)[1].strip() for line in open(src) if "," in line]
with open(dst, "w") as out:
    rank = 0
    for copy in range(factor):
        for d in domains:
            rank += 1
            out.write(f"{rank},{d if copy == 0 else f'n{copy}.{d}'}\n")
PY
scan "list x${FACTOR} straight to NSD" "$CONCURRENCY" --direct --list "$W/long.csv"
