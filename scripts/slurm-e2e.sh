#!/usr/bin/env bash
# End-to-end test of `bystander slurm-script` on a real (single-node) Slurm cluster.
#
#   scripts/slurm-e2e.sh BYSTANDER_BINARY
#
# It installs slurm-wlm and munge with apt-get if they are missing, starts a private
# munged, slurmctld and slurmd (own configuration, state, sockets and ports in a temporary
# directory; nothing under /etc/slurm is read or written), submits the sweep
# Tests/Fixtures/slurm/sweep.yaml as a 3-shard array job plus the dependent merge job
# exactly as `bystander slurm-script` generates it, waits for the merge job (sbatch
# --wait, through SBATCH_WAIT=1), and checks that runs.csv, summary.csv and comparison.csv
# are byte-identical to a sweep of the same config run locally.
#
# Exit status: 0 on PASS, or when the machine cannot run the test (it then prints
# "SKIPPED: slurm end-to-end test: <reason>"); non-zero on FAIL.
# The daemons it started are always stopped and the temporary directory removed
# (set SLURM_E2E_KEEP=1 to keep the directory, with its logs, for debugging).
set -euo pipefail

SHARDS=3
START_TIMEOUT=60      # seconds for munged / slurmctld / slurmd to come up
JOB_TIMEOUT=${SLURM_E2E_JOB_TIMEOUT:-240}   # seconds for the array job and the merge job together
FILES=(runs.csv summary.csv comparison.csv)

skip() { echo "SKIPPED: slurm end-to-end test: $*"; exit 0; }
fail() { echo "FAIL: slurm end-to-end: $*" >&2; exit 1; }
log()  { echo "slurm-e2e: $*"; }

[ $# -eq 1 ] || { echo "usage: $0 BYSTANDER_BINARY" >&2; exit 2; }
[ -x "$1" ] || { echo "error: $1 is not an executable" >&2; exit 2; }
BYSTANDER=$(realpath "$1")
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONFIG="$REPO/Tests/Fixtures/slurm/sweep.yaml"
[ -f "$CONFIG" ] || { echo "error: missing $CONFIG" >&2; exit 2; }

# ---------------------------------------------------------------------------------------
# 1. Can this machine run it? Root (munged runs as the munge user, slurmd as root) and,
#    when Slurm or munge is missing, apt-get.
# ---------------------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || skip "needs root (to start munged, slurmctld and slurmd)"

have_all() {
    local c
    for c in munged munge slurmctld slurmd sbatch sinfo scontrol scancel squeue; do
        command -v "$c" >/dev/null 2>&1 || return 1
    done
}

if ! have_all; then
    command -v apt-get >/dev/null 2>&1 || skip "Slurm/munge are not installed and there is no apt-get"
    log "installing slurm-wlm and munge with apt-get (quietly)"
    # Keep the packages' maintainer scripts from starting system-wide munge/slurm services
    # (the standard Debian policy-rc.d mechanism), unless the machine already has a policy.
    policy_added=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        policy_added=1
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT   # even if the installation is interrupted
    fi
    install_ok=1
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        slurm-wlm munge; } >/tmp/slurm-e2e-apt.log 2>&1 || install_ok=""
    if [ -n "$policy_added" ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
    if [ -z "$install_ok" ] || ! have_all; then
        tail -n 5 /tmp/slurm-e2e-apt.log >&2 || true
        skip "could not install slurm-wlm and munge with apt-get (log: /tmp/slurm-e2e-apt.log)"
    fi
    rm -f /tmp/slurm-e2e-apt.log
fi
id munge >/dev/null 2>&1 || skip "the munge package did not create a munge user"

# ---------------------------------------------------------------------------------------
# 2. A private temporary directory, and cleanup on every exit.
# ---------------------------------------------------------------------------------------
TMP=$(mktemp -d /tmp/bystander-slurm-e2e.XXXXXX)
chmod 755 "$TMP"   # the munge user must be able to reach $TMP/munge
PIDS=()            # daemons we started, in start order

cleanup() {
    local status=$? pid i
    set +e
    # Cancel any job still known to our controller, so no slurmstepd outlives slurmd.
    if [ -n "${SLURM_CONF:-}" ] && [ ${#PIDS[@]} -ge 2 ] && kill -0 "${PIDS[1]}" 2>/dev/null; then
        if [ -n "$(squeue -h -o %i 2>/dev/null)" ]; then
            scancel --full $(squeue -h -o %i 2>/dev/null) 2>/dev/null
            for i in $(seq 1 20); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.5; done
        fi
    fi
    # Stop the daemons in reverse start order: TERM, then KILL after 10 s.
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        pid=${PIDS[i]}
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ "${SLURM_E2E_KEEP:-0}" = 1 ]; then
        echo "slurm-e2e: kept $TMP"
    else
        rm -rf "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Print the tail of the daemon and job logs (on failure).
show_logs() {
    local f
    for f in "$TMP"/log/*.log "$TMP"/merged.shards/logs/*.out; do
        [ -f "$f" ] || continue
        echo "----- ${f#"$TMP"/} (last 25 lines) -----" >&2
        tail -n 25 "$f" >&2
    done
}

# A TCP port nobody on this machine listens on, from a high range.
free_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    fail "found no free TCP port"
}

# Wait up to $1 seconds for the command "${@:2}" to succeed.
wait_for() {
    local limit=$1; shift
    local deadline=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.5
    done
}

# ---------------------------------------------------------------------------------------
# 3. munge: the system key (created if missing), a private munged on its own socket.
# ---------------------------------------------------------------------------------------
KEY=/etc/munge/munge.key
if [ ! -s "$KEY" ]; then
    log "creating $KEY"
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null 2>&1; then
        mungekey --create --keyfile="$KEY" --force
    else
        dd if=/dev/urandom of="$KEY" bs=1024 count=1 status=none
    fi
    chown munge:munge "$KEY"
    chmod 0400 "$KEY"
fi
# munge's default socket directory (the packages expect it); our munged uses a private
# socket in $TMP, so it never clashes with a system munged.
mkdir -p /run/munge && chown munge:munge /run/munge && chmod 0755 /run/munge

MUNGE_DIR="$TMP/munge"
MUNGE_SOCKET="$MUNGE_DIR/munge.socket"
mkdir -p "$MUNGE_DIR" "$TMP/log" "$TMP/state" "$TMP/spool" "$TMP/run"
chown munge:munge "$MUNGE_DIR"
chmod 0755 "$MUNGE_DIR"

log "starting munged ($(munged --version 2>&1 | head -n 1))"
setpriv --reuid=munge --regid=munge --init-groups \
    munged --foreground --key-file="$KEY" --socket="$MUNGE_SOCKET" \
    --pid-file="$MUNGE_DIR/munged.pid" --seed-file="$MUNGE_DIR/munged.seed" \
    --log-file="$MUNGE_DIR/munged.log" >"$TMP/log/munged.out" 2>&1 &
PIDS+=($!)
munge_ok() { munge -n --socket="$MUNGE_SOCKET" | unmunge --socket="$MUNGE_SOCKET"; }
if ! wait_for "$START_TIMEOUT" munge_ok; then
    cat "$TMP/log/munged.out" "$MUNGE_DIR/munged.log" >&2 2>/dev/null || true
    fail "munged did not start"
fi

# ---------------------------------------------------------------------------------------
# 4. Slurm: a one-node cluster (this machine) with its own slurm.conf.
# ---------------------------------------------------------------------------------------
HOST=$(hostname -s 2>/dev/null || uname -n | cut -d. -f1)
CPUS=$(nproc)
MEM_MB=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
REAL_MEMORY=$((MEM_MB / 2 < 4096 ? MEM_MB / 2 : 4096))   # enough for --mem=500M shards
[ "$REAL_MEMORY" -ge 1024 ] || skip "needs at least 2 GB of memory (has ${MEM_MB} MB)"
CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)
while [ "$SLURMD_PORT" = "$CTLD_PORT" ]; do SLURMD_PORT=$(free_port); done

export SLURM_CONF="$TMP/slurm.conf"
cat > "$SLURM_CONF" <<EOF
# Written by scripts/slurm-e2e.sh: a private one-node cluster, removed after the test.
ClusterName=bystander-e2e
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool/slurmd-%n
SlurmctldPidFile=$TMP/run/slurmctld.pid
SlurmdPidFile=$TMP/run/slurmd.pid
SlurmctldLogFile=$TMP/log/slurmctld.log
SlurmdLogFile=$TMP/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmdParameters=config_overrides
MpiDefault=none
ReturnToService=2
MinJobAge=300
MailProg=/bin/true
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$REAL_MEMORY State=UNKNOWN
PartitionName=e2e Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

log "starting slurmctld and slurmd ($(sinfo --version 2>/dev/null || echo "slurm ?"), ports $CTLD_PORT/$SLURMD_PORT, node $HOST: $CPUS CPUs, ${REAL_MEMORY} MB)"
slurmctld -D -i -f "$SLURM_CONF" >"$TMP/log/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" -N "$HOST" >"$TMP/log/slurmd.out" 2>&1 &
PIDS+=($!)

node_idle() { [ "$(sinfo -h -N -n "$HOST" -o %T 2>/dev/null)" = idle ]; }
if ! wait_for "$START_TIMEOUT" node_idle; then
    sinfo -N -l >&2 || true
    cat "$TMP/log/slurmctld.out" "$TMP/log/slurmd.out" >&2 2>/dev/null || true
    show_logs
    fail "node $HOST did not become idle within ${START_TIMEOUT}s"
fi
log "node $HOST is idle"

# ---------------------------------------------------------------------------------------
# 5. Submit the sweep exactly as `bystander slurm-script` generates it, and wait for the
#    merge job (SBATCH_WAIT=1: the generated script submits the merge job with --wait).
# ---------------------------------------------------------------------------------------
cd "$TMP"
"$BYSTANDER" slurm-script "$CONFIG" --shards "$SHARDS" --output "$TMP/merged" \
    --cpus 1 --time 00:10:00 --memory 500M > "$TMP/submit.sh"
log "submitting $SHARDS shards and the merge job; waiting for the merge job"
submit_status=0
SBATCH_WAIT=1 timeout "$JOB_TIMEOUT" bash "$TMP/submit.sh" || submit_status=$?
if [ "$submit_status" -ne 0 ]; then
    squeue -t all -o '%.12i %.28j %.10T %r' >&2 || true
    show_logs
    if [ "$submit_status" -eq 124 ]; then fail "the jobs did not finish within ${JOB_TIMEOUT}s"; fi
    fail "the submission script or a job failed (exit status $submit_status)"
fi

# ---------------------------------------------------------------------------------------
# 6. The same sweep on this machine; the merged files must be byte-identical.
# ---------------------------------------------------------------------------------------
log "running the same sweep locally"
"$BYSTANDER" sweep "$CONFIG" --output "$TMP/local" --quiet --jobs 2 >/dev/null

different=()
for f in "${FILES[@]}"; do
    [ -f "$TMP/merged/$f" ] || { show_logs; fail "the merge job wrote no $f"; }
    cmp -s "$TMP/local/$f" "$TMP/merged/$f" || different+=("$f")
done
if [ ${#different[@]} -gt 0 ]; then
    for f in "${different[@]}"; do
        echo "----- diff local/$f merged/$f -----" >&2
        diff "$TMP/local/$f" "$TMP/merged/$f" | head -n 40 >&2 || true
    done
    fail "${different[*]} differ from a local sweep"
fi
echo "PASS: slurm end-to-end: $SHARDS shards merged, byte-identical to a local sweep"
