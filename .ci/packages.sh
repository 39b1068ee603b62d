#!/usr/bin/env bash
# Installs the Debian packages the real-host tests need, and only those that are missing:
# `apt-get update` runs only when something has to be installed, so a warm machine makes no
# network calls. Called by `.ci/run` and again (a cheap no-op then) by `.ci/host-setup.sh`.
set -euo pipefail

PACKAGES=(
    openssh-server openssh-client sudo redis-server redis-tools procps tmux ca-certificates
    # host-setup.sh itself: JSON and log generation, port probes, the .gz log
    python3 iproute2 gzip
)

is_installed() {
    local status
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)
    [[ $status == "install ok installed" ]]
}

missing=()
for package in "${PACKAGES[@]}"; do
    is_installed "$package" || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "packages: all present"
    exit 0
fi

# Installing openssh-server or redis-server must not start the system's own daemons (an sshd
# on 0.0.0.0:22, a redis on 127.0.0.1:6379): the tests use their own instances. Debian's
# policy-rc.d hook says "do not start"; add one only if the machine has none, and remove it
# again afterwards.
POLICY=/usr/sbin/policy-rc.d
if [[ ! -e $POLICY ]]; then
    printf '#!/bin/sh\n# vmsdbg .ci/packages.sh: no daemon starts during install\nexit 101\n' \
        >"$POLICY"
    chmod 0755 "$POLICY"
    trap 'rm -f "$POLICY"' EXIT
fi

echo "packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
