# Sourced by .ci/run, .ci/host-setup.sh and bench/run. `sudo` replaces PATH with its
# secure_path, which lacks rustup's ~/.cargo/bin, so `sudo bash .ci/run` would find no cargo:
# look where rustup puts it for root before giving up.
if ! command -v cargo >/dev/null 2>&1; then
    for dir in "${CARGO_HOME:-/nonexistent}/bin" "$HOME/.cargo/bin" /root/.cargo/bin; do
        if [[ -x $dir/cargo ]]; then
            export PATH="$dir:$PATH"
            break
        fi
    done
fi
if ! command -v cargo >/dev/null 2>&1; then
    echo "no cargo on PATH, in \$CARGO_HOME/bin or in ~/.cargo/bin: install Rust with rustup first" >&2
    exit 1
fi
