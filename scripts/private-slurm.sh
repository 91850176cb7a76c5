#!/usr/bin/env bash
# A private one-node Slurm for tests and trials of deploy/slurm: munged, slurmctld and slurmd
# with key, socket, state, spool, logs and pid files in DIR, talking over 127.0.0.1 on ports
# of their own; the machine's own Slurm and munge (if any) are neither used nor touched.
# Debian 12: apt packages slurm-wlm munge (scripts/deps.sh). Run as root.
#   scripts/private-slurm.sh start DIR   # prints SLURM_CONF=DIR/slurm.conf once the node is idle
#   SLURM_CONF=DIR/slurm.conf sbatch ...  # every Slurm command finds the cluster through SLURM_CONF
#   scripts/private-slurm.sh stop DIR    # cancels its jobs, stops the daemons by their pid files
# Stopped by pid, never by process name (another slurmd or munged on the machine is not ours):
# the pid files in DIR (checked against the command line, which names DIR), then any process
# left that works in DIR (slurmstepd) or whose environment carries STSSCAN_PRIVATE_SLURM=DIR
# (callers put it in the environment of the jobs they submit).
set -euo pipefail
usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
mkdir -p "$2" 2>/dev/null || [ "$action" = stop ] || { echo "cannot create $2" >&2; exit 1; }
dir=$(cd "$2" 2>/dev/null && pwd) || { [ "$action" = stop ] && exit 0; echo "no directory $2" >&2; exit 1; }
conf="$dir/slurm.conf"
export SLURM_CONF="$conf" STSSCAN_PRIVATE_SLURM="$dir"

# The pid in FILE, if that process still runs and its command line names DIR (pids are reused).
ours() {
  local pid
  [ -f "$1" ] || return 1
  pid=$(tr -dc '0-9' < "$1")
  [ -n "$pid" ] && [ "$pid" -gt 1 ] || return 1
  { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$dir" || return 1
  echo "$pid"
}

# Processes left of this cluster: those whose environment carries our marker (job steps;
# callers submit with it) or whose working directory is in DIR (slurmstepd: its environment is
# emptied, it works in slurmd's log folder), except this script and its callers.
marked() {
  local environ pid cwd ancestors=" " p=$BASHPID
  while [ -n "$p" ] && [ "$p" -gt 1 ]; do
    ancestors+="$p "
    p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
  done
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}; pid=${pid%/environ}
    [[ "$ancestors" == *" $pid "* ]] && continue
    cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null || true)
    if [ "$cwd" = "$dir" ] || [[ "$cwd" == "$dir/"* ]]; then echo "$pid"; continue; fi
    { tr '\0' '\n' < "$environ"; } 2>/dev/null | grep -qxF "STSSCAN_PRIVATE_SLURM=$dir" && echo "$pid"
  done
  return 0
}

stop() {
  local pid pids waited
  if [ -f "$conf" ] && ours "$dir/slurmctld.pid" >/dev/null; then
    # Its jobs first, while the controller can still end them cleanly.
    mapfile -t jobs < <(squeue -h -o %A 2>/dev/null || true)
    [ ${#jobs[@]} -eq 0 ] || scancel "${jobs[@]}" 2>/dev/null || true
    for ((waited = 0; waited < 20; waited++)); do
      [ -z "$(squeue -h -t RUNNING,COMPLETING -o %A 2>/dev/null || true)" ] && break
      sleep 1
    done
  fi
  pids=()
  for name in slurmd slurmctld munged; do
    pid=$(ours "$dir/$name.pid") && { kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); }
  done
  for ((waited = 0; waited < 50; waited++)); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}" $(marked); do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$dir"/*.pid
}

start() {
  local host ctld_port slurmd_port node_line addr bind
  [ "$(id -u)" -eq 0 ] || { echo "run as root (SlurmUser=root)" >&2; exit 1; }
  for tool in munged slurmctld slurmd sbatch; do
    command -v "$tool" >/dev/null || { echo "$tool missing: apt-get install slurm-wlm munge (or scripts/deps.sh)" >&2; exit 1; }
  done
  stop  # a cluster an earlier run left in DIR
  rm -rf "$dir/state" "$dir/spool" "$dir/tmp" "$dir/log" "$dir/munge"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/tmp" "$dir/log"
  chmod 700 "$dir/munge"
  # munged checks that nobody else can write where its key and socket are.
  chmod go-w "$dir"
  head -c 1024 /dev/urandom > "$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
  # The daemons must not inherit the caller's descriptors: Foundation's Process (the tests)
  # learns that this script ended when its end of a socket pair closes, which a daemon
  # holding a copy would prevent forever. Their output goes to their own log folder.
  for fd in "/proc/$$/fd/"*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] && [ -e "/proc/$$/fd/$fd" ]; then eval "exec $fd>&-"; fi
  done
  daemon() { "$@" </dev/null >>"$dir/log/daemons.out" 2>&1; }
  # --force: munged refuses to run as root otherwise; the key and socket are root's alone.
  daemon munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"

  # Two free ports in an unusual range below the ephemeral ports (a connection's source port
  # there made slurmd's bind fail), one pair per cluster (another private Slurm may hold one).
  port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
  ctld_port=""
  for ((p = 26817 + RANDOM % 500 * 2; p < 28000; p += 2)); do
    port_free "$p" && port_free $((p + 1)) && { ctld_port=$p; slurmd_port=$((p + 1)); break; }
  done
  [ -n "$ctld_port" ] || { echo "no free port pair in 26817-28000" >&2; exit 1; }
  host=$(hostname -s)
  # The node as slurmd sees it (CPUs, sockets, cores, memory), so the configuration matches
  # whatever machine runs this.
  node_line=$(slurmd -C | head -n 1)
  # The daemons bind to what the host name resolves to (NoInAddrAny; NodeAddr and the address
  # in SlurmctldHost do not decide it, tried): loopback where it resolves there (Debian's
  # /etc/hosts), else every address, said here.
  addr=$(getent hosts "$host" | awk '{ print $1; exit }' || true)
  bind="CommunicationParameters=NoCtldInAddrAny,NoInAddrAny"
  case "$addr" in
    127.*) ;;
    *) echo "note: $host resolves to ${addr:-nothing}, not to loopback: slurmctld and slurmd listen on every address" >&2
       addr=127.0.0.1; bind="" ;;
  esac
  cat > "$conf" <<EOF
# private-slurm.sh: a one-node cluster in $dir
ClusterName=stsscan-private
SlurmctldHost=$host($addr)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
TmpFS=$dir/tmp
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
$bind
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=512
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
MailProg=/bin/true
ReturnToService=2
KillWait=2
MinJobAge=600
SchedulerParameters=sched_interval=2
$node_line NodeAddr=$addr State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  daemon slurmctld -f "$conf"
  daemon slurmd -f "$conf"
  for ((waited = 0; waited < 60; waited++)); do
    state=$(sinfo -h -N -o %t 2>/dev/null | head -n 1 || true)
    [ "$state" = "idle" ] && { echo "SLURM_CONF=$conf"; return 0; }
    sleep 0.5
  done
  echo "the private Slurm in $dir did not become idle within 30 s (node: ${state:-none}); logs in $dir/log" >&2
  tail -n 20 "$dir"/log/*.log >&2 || true
  stop
  exit 1
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
