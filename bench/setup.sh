#!/usr/bin/env bash
# Adds what the benchmark needs on top of the CI host (.ci/host-setup.sh), without touching
# anything the CI host owns, so tests and benchmarks can share one machine:
#
# - two users with key login and NOPASSWD sudo: `vmsbench` (the built-in 12-tenant world) and
#   `vmsbench500` (a generated 500-tenant world);
# - an sshd of our own on 127.0.0.1:2224 (the CI sshds only let the five CI users in). It hands
#   each user VMSDBG_WORLD (SetEnv) and sudo keeps it, so the kubectl stand-in answers from the
#   worlds in /etc/vmsdbg-bench. They must not go to /etc/vmsdbg-ci/worlds: host-setup starts
#   a redis-server for every Redis IP of every world there (500 of them for the big world);
# - two redis-servers on 127.10.9.11 (acme: 20,000 keys) and 127.10.9.12 (globex: one hash of
#   about 1 MB); vmsbench's world is the built-in one with its Redis IPs moved from
#   127.10.0.x to 127.10.9.x, so the CI's own Redis servers never see benchmark data;
# - a root-only log root /var/log/versa/vms-bench with a 200 MB application log.
#
# Run as root. Idempotent: keys, host keys, the log file and the Redis data are made once and
# kept while they are still right; sshd and the redis-servers are restarted by pid file.
# Everything a run needs is written to /etc/vmsdbg-bench/env (KEY=value lines).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")

STATE=/etc/vmsdbg-bench
RUN_DIR=/run/vmsdbg-bench
DAEMON_LOGS=/var/log/vmsdbg-bench
CI_WORLDS=/etc/vmsdbg-ci/worlds
LOG_ROOT=/var/log/versa/vms-bench
BIG_LOG=$LOG_ROOT/apps/bench/bench.log

SSH_HOST=127.0.0.1
SSH_PORT=2224
REDIS_PORT=6379
REDIS_KEYS_IP=127.10.9.11   # acme in vmsbench's world
REDIS_HASH_IP=127.10.9.12   # globex in vmsbench's world
KEY_COUNT=20000
BIG_HASH=bench:big-hash
USERS=(vmsbench vmsbench500)

say() { printf 'bench-setup: [%3ss] %s\n' "$SECONDS" "$*"; }
die() {
    printf 'bench-setup: error: %s\n' "$*" >&2
    exit 1
}

# Stops the process in PIDFILE if it is still a COMM process (never a reused pid).
stop_by_pidfile() {
    local pidfile=$1 comm=$2 pid stat
    [[ -f $pidfile ]] || return 0
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]] && [[ "$(ps -o comm= -p "$pid" 2>/dev/null)" == "$comm" ]]; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            stat=$(ps -o stat= -p "$pid" 2>/dev/null) || break
            [[ $stat == Z* ]] && break
            sleep 0.1
        done
    fi
    rm -f "$pidfile"
}

# Writes stdin to PATH with MODE, atomically.
write_file() {
    local path=$1 mode=$2 tmp
    tmp=$(mktemp "$path.XXXXXX")
    cat >"$tmp"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$path"
}

ensure_ci_host() {
    [[ $(id -u) -eq 0 ]] || die "run as root (it creates users, sudoers entries and daemons)"
    if [[ ! -f /etc/vmsdbg-ci/env ]]; then
        say "no CI host yet: running .ci/host-setup.sh"
        bash "$REPO/.ci/host-setup.sh"
    fi
    [[ -x /usr/local/bin/vmsdbg-sim ]] || die "/usr/local/bin/vmsdbg-sim missing (run .ci/host-setup.sh)"
    # GNU time reports a command's own peak RSS (the driver wraps both sides in it).
    if [[ ! -x /usr/bin/time ]]; then
        say "installing GNU time (apt)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
    fi
    umask 077
    mkdir -p "$STATE/keys" "$RUN_DIR" "$DAEMON_LOGS"
    chmod 0700 "$STATE" "$STATE/keys" "$RUN_DIR" "$DAEMON_LOGS"
}

ensure_users() {
    local user home
    for user in "${USERS[@]}"; do
        if ! id -u "$user" >/dev/null 2>&1; then
            useradd --create-home --shell /bin/bash --comment "vmsdbg benchmark" "$user"
        fi
        usermod -p '*' "$user"
        home=$(getent passwd "$user" | cut -d: -f6)
        install -d -m 0750 -o "$user" -g "$(id -gn "$user")" "$home"
    done

    local tmp
    tmp=$(mktemp)
    {
        echo "# Written by vmsdbg bench/setup.sh: benchmark users only. VMSDBG_WORLD (set by"
        echo "# the benchmark sshd) picks the kubectl stand-in's world."
        echo 'Defaults:vmsbench,vmsbench500 env_keep += "VMSDBG_WORLD"'
        echo "vmsbench,vmsbench500 ALL=(ALL) NOPASSWD: ALL"
    } >"$tmp"
    visudo -cqf "$tmp" || die "generated sudoers entry does not parse"
    chmod 0440 "$tmp"
    mv -f "$tmp" /etc/sudoers.d/vmsdbg-bench
}

# One client key for both users, made once.
ensure_keys() {
    KEY=$STATE/keys/id_ed25519
    if [[ ! -f $KEY || ! -f $KEY.pub ]]; then
        rm -f "$KEY" "$KEY.pub"
        ssh-keygen -q -t ed25519 -N '' -C vmsdbg-bench -f "$KEY"
    fi
    local user home
    for user in "${USERS[@]}"; do
        home=$(getent passwd "$user" | cut -d: -f6)
        install -d -m 0700 -o "$user" -g "$(id -gn "$user")" "$home/.ssh"
        write_file "$home/.ssh/authorized_keys" 0600 <"$KEY.pub"
        chown "$user:" "$home/.ssh/authorized_keys"
    done

    local hostkey=$STATE/ssh_host_ed25519_key
    if [[ ! -f $hostkey || ! -f $hostkey.pub ]]; then
        rm -f "$hostkey" "$hostkey.pub"
        ssh-keygen -q -t ed25519 -N '' -C vmsdbg-bench-host -f "$hostkey"
    fi
    printf '[%s]:%s %s\n' "$SSH_HOST" "$SSH_PORT" "$(cut -d' ' -f1,2 "$hostkey.pub")" |
        write_file "$STATE/known_hosts" 0600
}

# The built-in world with its Redis IPs moved to 127.10.9.x, and a 500-tenant world. Both
# without the simulator's own Redis data and log texts: on this host real redis-servers and
# files stand for them, and the stand-in would parse megabytes of them on every call.
write_worlds() {
    WORLD_12=$STATE/world-12.json
    WORLD_500=$STATE/world-500.json
    # An earlier version of this script put them among the CI worlds; take them out again.
    rm -f "$CI_WORLDS/vmsbench.json" "$CI_WORLDS/vmsbench500.json"
    /usr/local/bin/vmsdbg-sim world builtin | kube_only 127.10.0. 127.10.9. |
        write_file "$WORLD_12" 0600
    /usr/local/bin/vmsdbg-sim world generate --tenants 500 --seed 1 | kube_only - - |
        write_file "$WORLD_500" 0600
}

# Filters a world on stdin: Redis data and logs dropped, Redis IPs starting with FROM moved
# to TO ("-" for none).
kube_only() {
    python3 -c '
import json, sys
old, new = sys.argv[1:3]
world = json.load(sys.stdin)
world["redis"] = {}
world["logs"] = []
for svc in world["services"]:
    ip = svc.get("clusterIP") or ""
    if old != "-" and ip.startswith(old):
        svc["clusterIP"] = new + ip[len(old):]
json.dump(world, sys.stdout)
' "$1" "$2"
}

sshd_config() {
    cat <<EOF
# Written by vmsdbg's bench/setup.sh: the benchmark sshd, started as \`sshd -f <this file>\`.
ListenAddress $SSH_HOST
Port $SSH_PORT
HostKey $STATE/ssh_host_ed25519_key
PidFile $RUN_DIR/sshd.pid
UsePAM yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthenticationMethods publickey
AuthorizedKeysFile .ssh/authorized_keys
PermitRootLogin no
UseDNS no
AllowTcpForwarding yes
MaxSessions 10
# The fan-out case opens 50 connections at once.
MaxStartups 200:30:400
PrintMotd no
PrintLastLog no
AllowUsers ${USERS[*]}

Match User vmsbench
    SetEnv VMSDBG_WORLD=$WORLD_12
Match User vmsbench500
    SetEnv VMSDBG_WORLD=$WORLD_500
EOF
}

start_sshd() {
    local config=$STATE/sshd_config banner
    sshd_config | write_file "$config" 0600
    /usr/sbin/sshd -t -f "$config" || die "sshd rejects $config"
    stop_by_pidfile "$RUN_DIR/sshd.pid" sshd
    mkdir -p /run/sshd
    : >"$DAEMON_LOGS/sshd.log"
    /usr/sbin/sshd -f "$config" -E "$DAEMON_LOGS/sshd.log"
    for _ in $(seq 50); do
        banner=$(timeout 2 bash -c "exec 3<>/dev/tcp/$SSH_HOST/$SSH_PORT && head -c 8 <&3" \
            2>/dev/null || true)
        [[ $banner == "SSH-2.0-" ]] && return 0
        sleep 0.2
    done
    die "the benchmark sshd on $SSH_HOST:$SSH_PORT did not answer (see $DAEMON_LOGS/sshd.log)"
}

start_redis() {
    local ip
    for ip in "$REDIS_KEYS_IP" "$REDIS_HASH_IP"; do
        stop_by_pidfile "$RUN_DIR/redis-$ip.pid" redis-server
        mkdir -p "$RUN_DIR/redis-$ip"
        redis-server --bind "$ip" --port "$REDIS_PORT" --save '' --appendonly no \
            --daemonize yes --pidfile "$RUN_DIR/redis-$ip.pid" \
            --logfile "$DAEMON_LOGS/redis-$ip.log" --dir "$RUN_DIR/redis-$ip"
    done
    for ip in "$REDIS_KEYS_IP" "$REDIS_HASH_IP"; do
        for _ in $(seq 50); do
            [[ "$(redis-cli -h "$ip" ping 2>/dev/null)" == PONG ]] && continue 2
            sleep 0.2
        done
        die "redis-server on $ip did not answer PING"
    done
    python3 "$BENCH_DIR/fill.py" redis-keys "$KEY_COUNT" | redis-cli -h "$REDIS_KEYS_IP" --pipe >/dev/null
    python3 "$BENCH_DIR/fill.py" redis-hash "$BIG_HASH" | redis-cli -h "$REDIS_HASH_IP" --pipe >/dev/null
    [[ $(redis-cli -h "$REDIS_KEYS_IP" dbsize) == "$KEY_COUNT" ]] || die "redis fill: wrong key count"
    say "redis: $REDIS_KEYS_IP ($KEY_COUNT keys), $REDIS_HASH_IP ($BIG_HASH:" \
        "$(redis-cli -h "$REDIS_HASH_IP" memory usage "$BIG_HASH") bytes in memory)"
}

# The 200 MB log, made once: fill.py writes deterministic content, so a file of the right
# size is the right file.
make_logs() {
    local want=$((200 * 1024 * 1024))
    mkdir -p "$(dirname "$BIG_LOG")"
    if [[ ! -f $BIG_LOG || $(stat -c %s "$BIG_LOG") -ne $want ]]; then
        say "writing $BIG_LOG (200 MB)"
        python3 "$BENCH_DIR/fill.py" log "$want" | write_file "$BIG_LOG" 0600
    fi
    printf '2025-01-01T00:00:00Z INFO vms-admin: benchmark log root\n' |
        write_file "$LOG_ROOT/vms-admin.log" 0600
    chown -R root:root "$LOG_ROOT"
    find "$LOG_ROOT" -type d -exec chmod 0700 {} +
    say "logs: $BIG_LOG ($(grep -c error "$BIG_LOG") lines with 'error')"
}

write_env() {
    {
        echo "# vmsdbg benchmark host, written by bench/setup.sh at $(date -u +%FT%TZ)."
        echo "BENCH_SSH_HOST=$SSH_HOST"
        echo "BENCH_SSH_PORT=$SSH_PORT"
        echo "BENCH_KEY=$KEY"
        echo "BENCH_KNOWN_HOSTS=$STATE/known_hosts"
        echo "BENCH_USER=vmsbench"
        echo "BENCH_USER_500=vmsbench500"
        echo "BENCH_WORLD_12=$WORLD_12"
        echo "BENCH_WORLD_500=$WORLD_500"
        echo "BENCH_REDIS_KEYS_TENANT=acme"
        echo "BENCH_REDIS_KEYS_IP=$REDIS_KEYS_IP"
        echo "BENCH_REDIS_KEY_COUNT=$KEY_COUNT"
        echo "BENCH_REDIS_HASH_TENANT=globex"
        echo "BENCH_REDIS_HASH_IP=$REDIS_HASH_IP"
        echo "BENCH_REDIS_HASH_KEY=$BIG_HASH"
        echo "BENCH_LOG_ROOT=$LOG_ROOT"
        echo "BENCH_LOG_FILE=$BIG_LOG"
    } | write_file "$STATE/env" 0600
}

main() {
    ensure_ci_host
    ensure_users
    ensure_keys
    write_worlds
    start_sshd
    start_redis
    make_logs
    write_env
    say "done ($STATE/env)"
}

main "$@"
