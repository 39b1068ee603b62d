#!/usr/bin/env bash
# Proves the CI host that .ci/host-setup.sh prepared works the way the tests expect, using only
# OpenSSH's client (passwords and passphrases go through the askpass helper, never argv) and
# redis-cli: every login path, every sudo arrangement, the per-user kubectl worlds, the root-only
# kubectl refusal, TCP forwarding on one sshd and its absence on the other, the Redis servers
# and the root-only logs. Reads nothing but /etc/vmsdbg-ci/env, so it also checks that file.
#
# Usage: bash .ci/self-check.sh [--without-sim]   (as root; host-setup.sh runs it at its end)
# --without-sim skips the checks that need the kubectl stand-in and the Redis servers.
set -euo pipefail

ENV_FILE=/etc/vmsdbg-ci/env
[[ -r $ENV_FILE ]] || {
    echo "self-check: $ENV_FILE missing (run .ci/host-setup.sh as root)" >&2
    exit 1
}
# shellcheck source=/dev/null
source "$ENV_FILE"

WITH_SIM=yes
[[ ${1:-} == --without-sim ]] && WITH_SIM=no

REFUSAL="The connection to the server localhost:8080 was refused - did you specify the right \
host or port?"
HOST=$VMSDBG_CI_SSH_HOST
# LogLevel ERROR keeps ssh quiet on success; INFO shows why a channel open failed.
SSH_LOGLEVEL=ERROR
SSH=(ssh -F /dev/null -o UserKnownHostsFile="$VMSDBG_CI_KNOWN_HOSTS"
    -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o ConnectTimeout=10
    -o IdentitiesOnly=yes -o IdentityAgent=none)
FAILED=0

# --- ssh wrappers --------------------------------------------------------------------------

# ssh_key PORT KEY USER [-W HOST:PORT | COMMAND...]: unencrypted key, no prompts at all.
ssh_key() {
    local port=$1 key=$2 user=$3
    shift 3
    timeout 30 "${SSH[@]}" -o LogLevel="$SSH_LOGLEVEL" -o BatchMode=yes \
        -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
        -i "$key" -p "$port" "$user@$HOST" "$@"
}

# ssh_password PORT USER PASSWORD COMMAND...: password/keyboard-interactive login only.
ssh_password() {
    local port=$1 user=$2 secret=$3
    shift 3
    VMSDBG_CI_ASKPASS_SECRET=$secret SSH_ASKPASS=$VMSDBG_CI_ASKPASS SSH_ASKPASS_REQUIRE=force \
        timeout 30 "${SSH[@]}" -o LogLevel="$SSH_LOGLEVEL" -o PubkeyAuthentication=no \
        -o NumberOfPasswordPrompts=1 -o PreferredAuthentications=keyboard-interactive,password \
        -p "$port" "$user@$HOST" "$@"
}

# ssh_passphrase PORT KEY PASSPHRASE USER COMMAND...: encrypted key, passphrase via askpass.
ssh_passphrase() {
    local port=$1 key=$2 secret=$3 user=$4
    shift 4
    VMSDBG_CI_ASKPASS_SECRET=$secret SSH_ASKPASS=$VMSDBG_CI_ASKPASS SSH_ASKPASS_REQUIRE=force \
        timeout 30 "${SSH[@]}" -o LogLevel="$SSH_LOGLEVEL" -o PasswordAuthentication=no \
        -o KbdInteractiveAuthentication=no -i "$key" -p "$port" "$user@$HOST" "$@"
}

# --- check runner --------------------------------------------------------------------------

# check DESCRIPTION FUNCTION: runs every check even after a failure, to report them all.
# Check functions print the evidence of a failure on stdout and return non-zero; that
# evidence goes to the CI log with every password and passphrase masked.
check() {
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then
        printf 'self-check: ok    %s\n' "$what"
    else
        out=$(mask_secrets "$out")
        printf 'self-check: FAIL  %s\n    | %s\n' "$what" "${out//$'\n'/$'\n'    | }"
        FAILED=$((FAILED + 1))
    fi
}

mask_secrets() {
    local text=$1 name
    for name in $(compgen -v VMSDBG_CI_); do
        [[ $name == *PASSWORD* || $name == *PASSPHRASE* ]] || continue
        [[ -n ${!name} ]] && text=${text//"${!name}"/<secret>}
    done
    printf '%s' "$text"
}

# expect_in TEXT NEEDLE: TEXT contains NEEDLE, else show TEXT.
expect_in() {
    [[ $1 == *"$2"* ]] && return 0
    printf 'expected to find: %s\nin output:\n%s\n' "$2" "$1"
    return 1
}

# Sorted namespaces of a `kubectl get svc -A -o json` document on stdin, space-separated.
namespaces() {
    python3 -c 'import json, sys
items = json.load(sys.stdin)["items"]
print(" ".join(sorted({i["metadata"]["namespace"] for i in items})))'
}

# Namespaces the stand-in serves from WORLD, run locally as root.
world_namespaces() {
    VMSDBG_WORLD=$1 "$VMSDBG_CI_KUBECTL" get svc -A -o json | namespaces
}

# expect_failure NEEDLE COMMAND...: COMMAND (stdin passed through) fails and says NEEDLE on
# stdout or stderr.
expect_failure() {
    local needle=$1 out
    shift
    if out=$("$@" 2>&1); then
        printf 'succeeded but should have failed:\n%s\n' "$out"
        return 1
    fi
    expect_in "$out" "$needle"
}

# --- checks --------------------------------------------------------------------------------

key_login_nopasswd_sudo() {
    local out
    out=$(ssh_key "$VMSDBG_CI_SSH_PORT" "$VMSDBG_CI_VMSKEY_KEY" vmskey sudo -n id -u) ||
        return 1
    [[ $out == 0 ]] || { echo "sudo -n id -u printed: $out"; return 1; }
}

key_user_has_no_password_login() {
    expect_failure "Permission denied (publickey)" \
        ssh_password "$VMSDBG_CI_SSH_PORT" vmskey wrong-password true
}

kubectl_as_root_sees_own_world() {
    local out got want default
    out=$(ssh_key "$VMSDBG_CI_SSH_PORT" "$VMSDBG_CI_VMSKEY_KEY" vmskey \
        sudo -n kubectl get ns) || return 1
    expect_in "$(head -n 1 <<<"$out")" NAME || return 1

    got=$(ssh_key "$VMSDBG_CI_SSH_PORT" "$VMSDBG_CI_VMSKEY_KEY" vmskey \
        sudo -n kubectl get svc -A -o json | namespaces) || return 1
    want=$(world_namespaces "$VMSDBG_CI_VMSKEY_WORLD")
    default=$(world_namespaces "$VMSDBG_CI_WORLD_DEFAULT")
    [[ $got == "$want" ]] || { echo "vmskey sees [$got], its world has [$want]"; return 1; }
    [[ $got != "$default" ]] || { echo "vmskey's world equals the default world"; return 1; }
}

kubectl_without_root_refuses() {
    expect_failure "$REFUSAL" \
        ssh_key "$VMSDBG_CI_SSH_PORT" "$VMSDBG_CI_VMSKEY_KEY" vmskey kubectl get ns
}

password_login_and_sudo_password() {
    local out
    out=$(printf '%s\n' "$VMSDBG_CI_VMSADMIN_SUDO_PASSWORD" |
        ssh_password "$VMSDBG_CI_SSH_PORT" vmsadmin "$VMSDBG_CI_VMSADMIN_PASSWORD" \
            sudo -S -p "''" id -u) || return 1
    # The first sudo of a new user may print the lecture first; the uid is the last line.
    [[ $(tail -n 1 <<<"$out") == 0 ]] || { echo "sudo id -u printed: $out"; return 1; }

    expect_failure "a password is required" \
        ssh_password "$VMSDBG_CI_SSH_PORT" vmsadmin "$VMSDBG_CI_VMSADMIN_PASSWORD" \
        sudo -n true </dev/null
}

password_user_sees_default_world() {
    local got want
    got=$(printf '%s\n' "$VMSDBG_CI_VMSADMIN_SUDO_PASSWORD" |
        ssh_password "$VMSDBG_CI_SSH_PORT" vmsadmin "$VMSDBG_CI_VMSADMIN_PASSWORD" \
            sudo -S -p "''" kubectl get svc -A -o json | namespaces) || return 1
    want=$(world_namespaces "$VMSDBG_CI_VMSADMIN_WORLD")
    [[ $got == "$want" ]] || { echo "vmsadmin sees [$got], its world has [$want]"; return 1; }
}

wrong_password_refused() {
    expect_failure "Permission denied" \
        ssh_password "$VMSDBG_CI_SSH_PORT" vmsadmin "not-$VMSDBG_CI_VMSADMIN_PASSWORD" true
}

wrong_sudo_password_refused() {
    printf 'not-%s\n' "$VMSDBG_CI_VMSADMIN_SUDO_PASSWORD" |
        expect_failure "incorrect password attempt" \
            ssh_password "$VMSDBG_CI_SSH_PORT" vmsadmin "$VMSDBG_CI_VMSADMIN_PASSWORD" \
            sudo -S -p "''" true
}

requiretty_refuses_without_tty() {
    printf '%s\n' "$VMSDBG_CI_VMSTTY_SUDO_PASSWORD" |
        expect_failure "sorry, you must have a tty to run sudo" \
            ssh_password "$VMSDBG_CI_SSH_PORT" vmstty "$VMSDBG_CI_VMSTTY_PASSWORD" \
            sudo -S -p "''" true
}

# With a PTY (ssh -tt) the same sudo works; the password is typed ahead into the terminal
# (echoed, as typing ahead is, until sudo turns echo off; check() masks it).
requiretty_works_with_tty() {
    local out
    out=$(printf '%s\n' "$VMSDBG_CI_VMSTTY_SUDO_PASSWORD" |
        ssh_password "$VMSDBG_CI_SSH_PORT" vmstty "$VMSDBG_CI_VMSTTY_PASSWORD" -tt \
            "sudo -p 'PW:' sh -c 'echo elevated-\$(id -u)'" 2>&1) || { echo "$out"; return 1; }
    expect_in "$out" "elevated-0"
}

nosudo_user_is_not_in_sudoers() {
    printf '%s\n' "$VMSDBG_CI_VMSNOSUDO_PASSWORD" |
        expect_failure "vmsnosudo is not in the sudoers file" \
            ssh_password "$VMSDBG_CI_SSH_PORT" vmsnosudo "$VMSDBG_CI_VMSNOSUDO_PASSWORD" \
            sudo -S -p "''" true
}

ops_password_login_refused() {
    expect_failure "Permission denied (publickey)" \
        ssh_password "$VMSDBG_CI_SSH_PORT" vmsops "$VMSDBG_CI_VMSOPS_SUDO_PASSWORD" true
}

ops_encrypted_key_and_sudo_password() {
    local out what=(sudo -S -p "''" id -u)
    [[ $WITH_SIM == yes ]] && what=(sudo -S -p "''" kubectl get svc -A -o json)
    out=$(printf '%s\n' "$VMSDBG_CI_VMSOPS_SUDO_PASSWORD" |
        ssh_passphrase "$VMSDBG_CI_SSH_PORT" "$VMSDBG_CI_VMSOPS_KEY" \
            "$VMSDBG_CI_VMSOPS_KEY_PASSPHRASE" vmsops "${what[@]}") || return 1
    if [[ $WITH_SIM == no ]]; then
        [[ $(tail -n 1 <<<"$out") == 0 ]] || { echo "sudo id -u printed: $out"; return 1; }
        return 0
    fi
    local got want
    got=$(namespaces <<<"$out")
    want=$(world_namespaces "$VMSDBG_CI_VMSOPS_WORLD")
    [[ $got == "$want" ]] || { echo "vmsops sees [$got], its world has [$want]"; return 1; }
}

encrypted_key_needs_passphrase() {
    expect_failure "Permission denied (publickey)" \
        ssh_passphrase "$VMSDBG_CI_SSH_PORT" "$VMSDBG_CI_VMSOPS_KEY" wrong vmsops true
}

# The no-forwarding sshd refuses a direct-tcpip channel even to a port that is listening.
forwarding_refused() {
    SSH_LOGLEVEL=INFO expect_failure "administratively prohibited" \
        ssh_key "$VMSDBG_CI_SSH_PORT_NOFWD" "$VMSDBG_CI_VMSKEY_KEY" vmskey \
        -W "$HOST:$VMSDBG_CI_SSH_PORT" </dev/null
}

logs_are_root_only() {
    local out want
    expect_failure "Permission denied" \
        ssh_key "$VMSDBG_CI_SSH_PORT" "$VMSDBG_CI_VMSKEY_KEY" vmskey \
        ls "$VMSDBG_CI_LOG_ROOT" || return 1

    want=$(find "$VMSDBG_CI_LOG_ROOT" -type f | sort)
    out=$(ssh_key "$VMSDBG_CI_SSH_PORT" "$VMSDBG_CI_VMSKEY_KEY" vmskey \
        "sudo -n find '$VMSDBG_CI_LOG_ROOT' -type f | sort") || return 1
    [[ -n $want && $out == "$want" ]] || { echo "elevated find printed: $out"; return 1; }
}

redis_answers_locally() {
    local ip out
    [[ -n $VMSDBG_CI_REDIS_IPS ]] || { echo "VMSDBG_CI_REDIS_IPS is empty"; return 1; }
    for ip in ${VMSDBG_CI_REDIS_IPS//,/ }; do
        out=$(redis-cli -h "$ip" -p "$VMSDBG_CI_REDIS_PORT" ping 2>&1)
        [[ $out == PONG ]] || { echo "$ip: $out"; return 1; }
    done
}

# Native path: a direct-tcpip channel (ssh -W) through the forwarding sshd reaches Redis.
redis_through_forwarding() {
    local ip out
    for ip in ${VMSDBG_CI_REDIS_IPS//,/ }; do
        out=$(printf 'PING\r\nQUIT\r\n' | ssh_key "$VMSDBG_CI_SSH_PORT" \
            "$VMSDBG_CI_VMSKEY_KEY" vmskey -W "$ip:$VMSDBG_CI_REDIS_PORT") || return 1
        expect_in "$out" "+PONG" || return 1
    done
}

# Fallback path: the second sshd refuses the channel, redis-cli on the host still answers.
redis_fallback_without_forwarding() {
    local ip=${VMSDBG_CI_REDIS_IPS%%,*} out
    printf 'PING\r\nQUIT\r\n' | SSH_LOGLEVEL=INFO expect_failure "administratively prohibited" \
        ssh_key "$VMSDBG_CI_SSH_PORT_NOFWD" "$VMSDBG_CI_VMSKEY_KEY" vmskey \
        -W "$ip:$VMSDBG_CI_REDIS_PORT" || return 1
    out=$(ssh_key "$VMSDBG_CI_SSH_PORT_NOFWD" "$VMSDBG_CI_VMSKEY_KEY" vmskey \
        redis-cli --no-raw -h "$ip" -p "$VMSDBG_CI_REDIS_PORT" ping) || return 1
    [[ $out == PONG ]] || { echo "redis-cli printed: $out"; return 1; }
}

main() {
    check "vmskey: key login, NOPASSWD sudo" key_login_nopasswd_sudo
    check "vmskey: no password login" key_user_has_no_password_login
    check "vmsadmin: password login, sudo -S with password, sudo -n refused" \
        password_login_and_sudo_password
    check "vmsadmin: wrong SSH password refused" wrong_password_refused
    check "vmsadmin: wrong sudo password refused" wrong_sudo_password_refused
    check "vmstty: sudo without a tty refused (requiretty)" requiretty_refuses_without_tty
    check "vmstty: sudo on a PTY works" requiretty_works_with_tty
    check "vmsnosudo: password login, not in sudoers" nosudo_user_is_not_in_sudoers
    check "vmsops: SSH password login refused" ops_password_login_refused
    check "vmsops: encrypted key + passphrase, sudo with its own password" \
        ops_encrypted_key_and_sudo_password
    check "vmsops: encrypted key refused with a wrong passphrase" encrypted_key_needs_passphrase
    check "port $VMSDBG_CI_SSH_PORT_NOFWD: TCP forwarding refused" \
        forwarding_refused
    check "logs: root only, complete when elevated" logs_are_root_only
    if [[ $WITH_SIM == yes ]]; then
        check "kubectl as root: vmskey sees its own world" kubectl_as_root_sees_own_world
        check "kubectl unelevated: localhost:8080 refusal" kubectl_without_root_refuses
        check "kubectl as root: vmsadmin sees the default world" password_user_sees_default_world
        check "redis: every tenant IP answers PING" redis_answers_locally
        check "redis: reachable through ssh -W on port $VMSDBG_CI_SSH_PORT" \
            redis_through_forwarding
        check "redis: port $VMSDBG_CI_SSH_PORT_NOFWD refuses -W, redis-cli fallback works" \
            redis_fallback_without_forwarding
    else
        echo "self-check: skipped kubectl and redis checks (no vmsdbg-sim)"
    fi

    if [[ $FAILED -gt 0 ]]; then
        echo "self-check: $FAILED check(s) failed" >&2
        exit 1
    fi
    echo "self-check: all passed"
}

main "$@"
