#!/usr/bin/env bash
# Turns this machine into the "real VMS host" the #[ignore] integration tests run against:
# the kubectl stand-in (crates/sim) installed as root-only `kubectl`, test users with every
# sudo arrangement the product must handle, two OpenSSH sshds of our own on loopback, root-only
# VMS logs and one real redis-server per tenant Redis ClusterIP. Everything the tests need to
# know (ports, passwords, key paths, fingerprints) goes to /etc/vmsdbg-ci/env.
#
# Run as root: `bash .ci/host-setup.sh` (`.ci/run` does). Safe to run again and again: users
# and host keys are kept, passwords and client keys are new on every run, the daemons are
# stopped by pid file and started afresh, the log tree is rewritten. It never edits the
# system's own sshd configuration. docs/ci-host.md describes the result.
set -euo pipefail

CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$CI_DIR")
. "$CI_DIR/find-cargo.sh"

STATE=/etc/vmsdbg-ci            # secrets, keys, worlds, sshd configs (root only)
RUN_DIR=/run/vmsdbg-ci          # redis pid files and working dirs
DAEMON_LOGS=/var/log/vmsdbg-ci  # sshd and redis logs, for debugging failed runs
LOG_ROOT=/var/log/versa/vms     # the VMS application logs the product reads
BIN_DIR=/usr/local/bin

SSH_HOST=127.0.0.1
SSH_PORT=2222
SSH_PORT_NOFWD=2223
REDIS_PORT=6379

# Which kubectl world each user sees: the stand-in reads worlds/$SUDO_USER.json, else
# worlds/default.json (the built-in world). vmskey and vmsops get worlds of their own, so two
# sessions to two users on this host see different tenants; their Redis IPs do not overlap
# (built-in 127.10.0.x, variant 1 127.10.1.x, generated 127.10.2.x).
declare -A USER_WORLD=([vmskey]="generate --tenants 3 --seed 2" [vmsops]="builtin --variant 1")
PASSWORD_USERS=(vmsadmin vmstty vmsnosudo)
ALL_USERS=(vmsadmin vmsops vmstty vmskey vmsnosudo)

SIM_MISSING=""
SIM_SOURCE=crates/sim/src/bin/vmsdbg-sim.rs

say() { printf 'host-setup: [%3ss] %s\n' "$SECONDS" "$*"; }
die() {
    printf 'host-setup: error: %s\n' "$*" >&2
    exit 1
}

# --- helpers -------------------------------------------------------------------------------

# A fresh random secret of 24 letters and digits: no quoting is ever needed for it in the env
# file or a shell, and it is long and unusual enough to grep for in `ps` output and files.
random_secret() {
    python3 -c 'import secrets, string
alphabet = string.ascii_letters + string.digits
print("".join(secrets.choice(alphabet) for _ in range(24)))'
}

# Stops the daemon whose pid is in PIDFILE if, and only if, that pid is still a COMM process
# (a stale pid file must not make us kill an unrelated process that reused the number).
stop_by_pidfile() {
    local pidfile=$1 comm=$2 pid
    [[ -f $pidfile ]] || return 0
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]] && [[ "$(ps -o comm= -p "$pid" 2>/dev/null)" == "$comm" ]]; then
        stop_pid "$pid"
    fi
    rm -f "$pidfile"
}

# TERM, wait up to 5 s, then KILL.
stop_pid() {
    local pid=$1
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do
        running "$pid" || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

# Whether PID is a live process. A daemon's parent is init, and a container's init may be
# slow to reap: a zombie has exited and counts as stopped.
running() {
    local stat
    stat=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ $stat != Z* ]]
}

# Pids of processes listening on ADDR:PORT (TCP), from `ss`.
listeners() {
    ss -Hltnp "src $1 and sport = :$2" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 |
        sort -u || true
}

# Waits (bounded) until an SSH server answers with its banner on 127.0.0.1:PORT.
wait_for_ssh() {
    local port=$1 banner
    for _ in $(seq 50); do
        banner=$(timeout 2 bash -c "exec 3<>/dev/tcp/$SSH_HOST/$port && head -c 8 <&3" \
            2>/dev/null || true)
        [[ $banner == "SSH-2.0-" ]] && return 0
        sleep 0.2
    done
    die "sshd on $SSH_HOST:$port did not answer within 10 s (see $DAEMON_LOGS/sshd-$port.log)"
}

# Waits (bounded) until redis-server on IP answers PING.
wait_for_redis() {
    local ip=$1
    for _ in $(seq 50); do
        [[ "$(redis-cli -h "$ip" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]] && return 0
        sleep 0.2
    done
    tail -n 5 "$DAEMON_LOGS/redis-$ip.log" >&2 2>/dev/null || true
    die "redis-server on $ip:$REDIS_PORT did not answer PING within 10 s"
}

# Writes stdin to PATH with MODE, atomically.
write_file() {
    local path=$1 mode=$2 tmp
    tmp=$(mktemp "$path.XXXXXX")
    cat >"$tmp"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$path"
}

# --- steps ---------------------------------------------------------------------------------

check_prerequisites() {
    [[ $(id -u) -eq 0 ]] || die "run as root (it creates users, sudoers entries and daemons)"
    bash "$CI_DIR/packages.sh"
    local tool
    for tool in cargo python3 ssh ssh-keygen /usr/sbin/sshd sudo visudo redis-server \
        redis-cli ss gzip; do
        command -v "$tool" >/dev/null || die "$tool not found (bash .ci/packages.sh installs it)"
    done
}

prepare_dirs() {
    umask 077
    mkdir -p "$STATE/keys" "$STATE/worlds" "$RUN_DIR" "$DAEMON_LOGS"
    chown -R root:root "$STATE"
    chmod 0700 "$STATE" "$STATE/keys" "$STATE/worlds" "$RUN_DIR" "$DAEMON_LOGS"
    install -m 0700 "$CI_DIR/askpass" "$STATE/askpass"
}

# Builds crates/sim's binary (dev profile: it shares the test build's dependencies,
# which saves CI a release build of them) and installs it with `kubectl` pointing at it.
install_sim() {
    if [[ ! -f $REPO/$SIM_SOURCE ]]; then
        SIM_MISSING="crates/sim: vmsdbg-sim binary missing ($SIM_SOURCE does not exist)"
        say "error: $SIM_MISSING; continuing with the parts that do not need it"
        return 0
    fi

    say "building the kubectl stand-in (cargo build -p vmsdbg-sim)"
    local built
    built=$(cd "$REPO" && cargo build -p vmsdbg-sim --bin vmsdbg-sim \
        --message-format=json-render-diagnostics | python3 -c '
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "vmsdbg-sim" \
            and msg.get("executable"):
        print(msg["executable"])')
    [[ -n $built && -x $built ]] || die "crates/sim: cargo built no vmsdbg-sim executable"

    install -m 0755 "$built" "$BIN_DIR/vmsdbg-sim.new"
    mv -f "$BIN_DIR/vmsdbg-sim.new" "$BIN_DIR/vmsdbg-sim"
    if [[ -e $BIN_DIR/kubectl && ! -L $BIN_DIR/kubectl ]]; then
        die "$BIN_DIR/kubectl is a real file; refusing to replace it with the stand-in"
    fi
    ln -sfn vmsdbg-sim "$BIN_DIR/kubectl"
    say "installed $BIN_DIR/vmsdbg-sim and $BIN_DIR/kubectl -> vmsdbg-sim"
}

# default.json is the built-in world; vmskey and vmsops get the worlds in USER_WORLD.
write_worlds() {
    [[ -z $SIM_MISSING ]] || { say "skipped worlds: needs vmsdbg-sim"; return 0; }
    local user
    "$BIN_DIR/vmsdbg-sim" world builtin | write_file "$STATE/worlds/default.json" 0600
    for user in "${!USER_WORLD[@]}"; do
        # shellcheck disable=SC2086 # the subcommand and its options are meant to split
        "$BIN_DIR/vmsdbg-sim" world ${USER_WORLD[$user]} |
            write_file "$STATE/worlds/$user.json" 0600
    done
    for user in "${ALL_USERS[@]}"; do
        [[ -n ${USER_WORLD[$user]:-} ]] || rm -f "$STATE/worlds/$user.json"
    done
    say "worlds: default.json (built-in); $(for u in "${!USER_WORLD[@]}"; do
        printf '%s.json (%s) ' "$u" "${USER_WORLD[$u]}"; done)"
}

# The world file the stand-in reads for USER when run through sudo.
world_of() {
    if [[ -f $STATE/worlds/$1.json ]]; then
        echo "$STATE/worlds/$1.json"
    else
        echo "$STATE/worlds/default.json"
    fi
}

ensure_user() {
    local user=$1 comment=$2
    if ! id -u "$user" >/dev/null 2>&1; then
        useradd --create-home --shell /bin/bash --comment "$comment" "$user"
    elif [[ $(getent passwd "$user" | cut -d: -f7) != /bin/bash ]]; then
        usermod --shell /bin/bash "$user"
    fi
    local home
    home=$(getent passwd "$user" | cut -d: -f6)
    mkdir -p "$home"
    chown "$user:" "$home"
    chmod 0750 "$home"
}

# Sets the account password from a variable's value via chpasswd's stdin (never argv).
set_password() {
    printf '%s:%s\n' "$1" "$2" | chpasswd
}

create_users() {
    ensure_user vmsadmin "vmsdbg CI - password, sudo with password"
    ensure_user vmsops "vmsdbg CI - SSH key only, sudo with its own password"
    ensure_user vmstty "vmsdbg CI - password, sudo requires a tty"
    ensure_user vmskey "vmsdbg CI - SSH key only, NOPASSWD sudo"
    ensure_user vmsnosudo "vmsdbg CI - password, no sudo"

    PW_VMSADMIN=$(random_secret)
    PW_VMSOPS_SUDO=$(random_secret)
    PW_VMSTTY=$(random_secret)
    PW_VMSNOSUDO=$(random_secret)
    set_password vmsadmin "$PW_VMSADMIN"
    set_password vmsops "$PW_VMSOPS_SUDO"
    set_password vmstty "$PW_VMSTTY"
    set_password vmsnosudo "$PW_VMSNOSUDO"
    # vmskey has no password at all: key login only, and sudo never asks.
    usermod -p '*' vmskey

    write_sudoers
    say "users: ${ALL_USERS[*]} (passwords regenerated)"
}

write_sudoers() {
    local tmp
    tmp=$(mktemp)
    cat >"$tmp" <<'EOF'
# Written by vmsdbg's .ci/host-setup.sh on every run; test users only.
#
# No credential caching for the password users: sudo's default 15-minute cache would let
# `sudo -n true` succeed after one elevated command on the same connection, and the tests
# need every probe to see the same answer.
Defaults:vmsadmin,vmsops,vmstty,vmsnosudo timestamp_timeout=0
vmsadmin ALL=(ALL) ALL
vmsops ALL=(ALL) ALL
Defaults:vmstty requiretty
vmstty ALL=(ALL) ALL
vmskey ALL=(ALL) NOPASSWD: ALL
# vmsnosudo: deliberately no entry.
EOF
    visudo -cqf "$tmp" || die "generated sudoers entry does not parse"
    chmod 0440 "$tmp"
    mv -f "$tmp" /etc/sudoers.d/vmsdbg-ci
}

# Writes USER's ~/.ssh/authorized_keys from the given public key files (none: removed).
authorize_keys() {
    local user=$1
    shift
    local home
    home=$(getent passwd "$user" | cut -d: -f6)
    if [[ $# -eq 0 ]]; then
        rm -f "$home/.ssh/authorized_keys"
        return 0
    fi
    install -d -m 0700 -o "$user" -g "$(id -gn "$user")" "$home/.ssh"
    cat "$@" | write_file "$home/.ssh/authorized_keys" 0600
    chown "$user:" "$home/.ssh/authorized_keys"
}

# Two ed25519 client keys, new on every run: one plain, one encrypted with a random
# passphrase given to ssh-keygen through the askpass helper (not argv).
make_client_keys() {
    KEY_PLAIN=$STATE/keys/id_ed25519_plain
    KEY_ENC=$STATE/keys/id_ed25519_encrypted
    KEY_ENC_PASSPHRASE=$(random_secret)
    rm -f "$KEY_PLAIN" "$KEY_PLAIN.pub" "$KEY_ENC" "$KEY_ENC.pub"

    ssh-keygen -q -t ed25519 -N '' -C vmsdbg-ci-plain -f "$KEY_PLAIN"
    ssh-keygen -q -t ed25519 -N '' -C vmsdbg-ci-encrypted -f "$KEY_ENC"
    VMSDBG_CI_ASKPASS_SECRET=$KEY_ENC_PASSPHRASE SSH_ASKPASS=$STATE/askpass \
        SSH_ASKPASS_REQUIRE=force ssh-keygen -q -p -f "$KEY_ENC" </dev/null >/dev/null
    if ssh-keygen -y -P '' -f "$KEY_ENC" >/dev/null 2>&1; then
        die "could not encrypt $KEY_ENC"
    fi
    chmod 0600 "$KEY_PLAIN" "$KEY_PLAIN.pub" "$KEY_ENC" "$KEY_ENC.pub"

    authorize_keys vmskey "$KEY_PLAIN.pub"
    authorize_keys vmsops "$KEY_ENC.pub" "$KEY_PLAIN.pub"
    local user
    for user in "${PASSWORD_USERS[@]}"; do
        authorize_keys "$user"
    done
    say "client keys: $KEY_PLAIN (vmskey, vmsops), $KEY_ENC (vmsops, passphrase)"
}

# Host keys are made once and kept, so fingerprints stay stable across runs.
make_host_keys() {
    local type
    for type in ed25519 rsa; do
        local key=$STATE/ssh_host_${type}_key
        if [[ ! -f $key || ! -f $key.pub ]]; then
            rm -f "$key" "$key.pub"
            ssh-keygen -q -t "$type" -N '' -C "vmsdbg-ci-host-$type" -f "$key"
        fi
        chmod 0600 "$key" "$key.pub"
    done
    HOSTKEY_ED25519_SHA256=$(ssh-keygen -l -E sha256 -f "$STATE/ssh_host_ed25519_key.pub" |
        cut -d' ' -f2)
    HOSTKEY_RSA_SHA256=$(ssh-keygen -l -E sha256 -f "$STATE/ssh_host_rsa_key.pub" |
        cut -d' ' -f2)

    {
        for port in "$SSH_PORT" "$SSH_PORT_NOFWD"; do
            for type in ed25519 rsa; do
                printf '[%s]:%s %s\n' "$SSH_HOST" "$port" \
                    "$(cut -d' ' -f1,2 "$STATE/ssh_host_${type}_key.pub")"
            done
        done
    } | write_file "$STATE/known_hosts" 0600
}

# sshd_config for one of our two servers; FORWARDING is yes or no.
sshd_config() {
    local port=$1 forwarding=$2 pidfile=$3
    cat <<EOF
# Written by vmsdbg's .ci/host-setup.sh on every run: the test sshd on $SSH_HOST:$port.
# Not the system sshd: started as \`/usr/sbin/sshd -f <this file>\`.
ListenAddress $SSH_HOST
Port $port
HostKey $STATE/ssh_host_ed25519_key
HostKey $STATE/ssh_host_rsa_key
PidFile $pidfile

UsePAM yes
PasswordAuthentication yes
KbdInteractiveAuthentication yes
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PermitRootLogin no
PermitEmptyPasswords no
MaxAuthTries 10
LoginGraceTime 30
UseDNS no

AllowTcpForwarding $forwarding
MaxSessions 10
# Tests open many connections at once; OpenSSH's default (10:30:100) drops some of them.
MaxStartups 200:30:400

PrintMotd no
PrintLastLog no
Subsystem sftp /usr/lib/openssh/sftp-server
AllowUsers ${ALL_USERS[*]}

# Key-only users: no password or keyboard-interactive login, even though vmsops has an
# account password (its sudo password).
Match User vmsops,vmskey
    PasswordAuthentication no
    KbdInteractiveAuthentication no
    AuthenticationMethods publickey
EOF
}

# (Re)starts one sshd: stop the previous instance, validate the config, start, wait.
start_sshd() {
    local port=$1 forwarding=$2 pidfile=$3 config=$4 pid
    sshd_config "$port" "$forwarding" "$pidfile" | write_file "$config" 0600
    /usr/sbin/sshd -t -f "$config" || die "sshd rejects $config"

    stop_by_pidfile "$pidfile" sshd
    # A previous run's listener whose pid file is gone: ours only if started with our config.
    for pid in $(listeners "$SSH_HOST" "$port"); do
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-f $config "; then
            stop_pid "$pid"
        fi
    done
    if [[ -n "$(listeners "$SSH_HOST" "$port")" ]]; then
        die "$SSH_HOST:$port is taken by another process; free it and run again"
    fi

    : >"$DAEMON_LOGS/sshd-$port.log"
    /usr/sbin/sshd -f "$config" -E "$DAEMON_LOGS/sshd-$port.log"
    wait_for_ssh "$port"
    say "sshd on $SSH_HOST:$port (AllowTcpForwarding $forwarding, pid $(cat "$pidfile"))"
}

start_sshds() {
    mkdir -p /run/sshd
    chmod 0755 /run/sshd
    start_sshd "$SSH_PORT" yes /run/vmsdbg-ci-sshd.pid "$STATE/sshd_config"
    start_sshd "$SSH_PORT_NOFWD" no /run/vmsdbg-ci-sshd-nofwd.pid "$STATE/sshd_config_nofwd"
}

# The base set of root-only VMS logs: make-logs.py's generated files plus, once the sim is
# there, the default world's own log files, so the simulated VMS and this host agree on them.
# The tree is rewritten from scratch on every run so files tests added last time do not
# linger; logs.base lists what is there before any test runs.
make_logs() {
    local world=()
    [[ -f $STATE/worlds/default.json && -z $SIM_MISSING ]] && world=("$STATE/worlds/default.json")
    rm -rf "$LOG_ROOT"
    mkdir -p "$(dirname "$LOG_ROOT")"
    python3 "$CI_DIR/make-logs.py" "$LOG_ROOT" "${world[@]}"
    chown -R root:root "$LOG_ROOT"
    find "$LOG_ROOT" -type f | LC_ALL=C sort | write_file "$STATE/logs.base" 0600
    say "logs: $(wc -l <"$STATE/logs.base") files under $LOG_ROOT (root only)"
}

# One redis-server per tenant Redis ClusterIP on loopback, over all the worlds we wrote.
# The IPs come from the stand-in's own `kubectl get svc -A -o json`, so they are exactly
# what the product will see.
start_redis() {
    local pidfile ip
    for pidfile in "$RUN_DIR"/redis-*.pid; do
        [[ -e $pidfile ]] && stop_by_pidfile "$pidfile" redis-server
    done
    REDIS_IPS=()
    [[ -z $SIM_MISSING ]] || { say "skipped redis: needs the world from vmsdbg-sim"; return 0; }

    local world
    mapfile -t REDIS_IPS < <(
        for world in "$STATE"/worlds/*.json; do
            VMSDBG_WORLD=$world "$BIN_DIR/kubectl" get svc -A -o json |
                python3 "$CI_DIR/redis-ips.py"
        done | sort -u -t. -k1,1n -k2,2n -k3,3n -k4,4n
    )
    [[ ${#REDIS_IPS[@]} -gt 0 ]] || die "no tenant Redis service on a 127.x ClusterIP in the worlds"

    for ip in "${REDIS_IPS[@]}"; do
        mkdir -p "$RUN_DIR/redis-$ip"
        : >"$DAEMON_LOGS/redis-$ip.log"
        redis-server --bind "$ip" --port "$REDIS_PORT" --save '' --appendonly no \
            --daemonize yes --pidfile "$RUN_DIR/redis-$ip.pid" \
            --logfile "$DAEMON_LOGS/redis-$ip.log" --dir "$RUN_DIR/redis-$ip"
    done
    for ip in "${REDIS_IPS[@]}"; do
        wait_for_redis "$ip"
    done
    say "redis-server on ${REDIS_IPS[*]} (port $REDIS_PORT, empty, no persistence)"
}

# /etc/vmsdbg-ci/env: KEY=value lines; values never need quoting. docs/ci-host.md lists them.
write_env() {
    local ips
    ips=$(IFS=,; echo "${REDIS_IPS[*]}")
    {
        echo "# vmsdbg CI host, written by .ci/host-setup.sh at $(date -u +%FT%TZ). Secrets."
        echo "VMSDBG_CI_SSH_HOST=$SSH_HOST"
        echo "VMSDBG_CI_SSH_PORT=$SSH_PORT"
        echo "VMSDBG_CI_SSH_PORT_NOFWD=$SSH_PORT_NOFWD"
        echo "VMSDBG_CI_KNOWN_HOSTS=$STATE/known_hosts"
        echo "VMSDBG_CI_HOSTKEY_ED25519_SHA256=$HOSTKEY_ED25519_SHA256"
        echo "VMSDBG_CI_HOSTKEY_RSA_SHA256=$HOSTKEY_RSA_SHA256"
        echo "VMSDBG_CI_HOSTKEY_ED25519_PUB=$STATE/ssh_host_ed25519_key.pub"
        echo "VMSDBG_CI_HOSTKEY_RSA_PUB=$STATE/ssh_host_rsa_key.pub"
        echo "VMSDBG_CI_ASKPASS=$STATE/askpass"
        echo "VMSDBG_CI_KEY_PLAIN=$KEY_PLAIN"
        echo "VMSDBG_CI_KEY_ENCRYPTED=$KEY_ENC"
        echo "VMSDBG_CI_KEY_ENCRYPTED_PASSPHRASE=$KEY_ENC_PASSPHRASE"
        echo "VMSDBG_CI_VMSADMIN_PASSWORD=$PW_VMSADMIN"
        echo "VMSDBG_CI_VMSADMIN_SUDO_PASSWORD=$PW_VMSADMIN"
        echo "VMSDBG_CI_VMSADMIN_WORLD=$(world_of vmsadmin)"
        echo "VMSDBG_CI_VMSOPS_KEY=$KEY_ENC"
        echo "VMSDBG_CI_VMSOPS_KEY_PASSPHRASE=$KEY_ENC_PASSPHRASE"
        echo "VMSDBG_CI_VMSOPS_SUDO_PASSWORD=$PW_VMSOPS_SUDO"
        echo "VMSDBG_CI_VMSOPS_WORLD=$(world_of vmsops)"
        echo "VMSDBG_CI_VMSTTY_PASSWORD=$PW_VMSTTY"
        echo "VMSDBG_CI_VMSTTY_SUDO_PASSWORD=$PW_VMSTTY"
        echo "VMSDBG_CI_VMSTTY_WORLD=$(world_of vmstty)"
        echo "VMSDBG_CI_VMSKEY_KEY=$KEY_PLAIN"
        echo "VMSDBG_CI_VMSKEY_WORLD=$(world_of vmskey)"
        echo "VMSDBG_CI_VMSNOSUDO_PASSWORD=$PW_VMSNOSUDO"
        echo "VMSDBG_CI_WORLD_DEFAULT=$STATE/worlds/default.json"
        echo "VMSDBG_CI_KUBECTL=$BIN_DIR/kubectl"
        echo "VMSDBG_CI_REDIS_IPS=$ips"
        echo "VMSDBG_CI_REDIS_PORT=$REDIS_PORT"
        echo "VMSDBG_CI_LOG_ROOT=$LOG_ROOT"
        echo "VMSDBG_CI_LOG_BASE_LIST=$STATE/logs.base"
    } | write_file "$STATE/env" 0600
    say "wrote $STATE/env"
}

main() {
    cd "$REPO"
    check_prerequisites
    prepare_dirs
    install_sim
    write_worlds
    create_users
    make_client_keys
    make_host_keys
    start_sshds
    make_logs
    start_redis
    write_env
    bash "$CI_DIR/self-check.sh" ${SIM_MISSING:+--without-sim}
    if [[ -n $SIM_MISSING ]]; then
        die "$SIM_MISSING; everything else is set up"
    fi
    say "done"
}

main "$@"
