#!/usr/bin/env python3
"""Writes the base set of VMS application logs the real-host tests read.

Usage: make-logs.py LOG_ROOT [WORLD_JSON]

Creates LOG_ROOT/vms-admin.log and LOG_ROOT/apps/<app>/ with current logs, rotated `.log.N`
files and compressed `.gz` ones (which `logs scan` must skip). The content is deterministic
(fixed seed, fixed dates) so tests can count lines, errors and hours; modification times
follow the last timestamp in each file, so rotated files are older.

With WORLD_JSON (a world of crates/sim, see docs/world-format.md), the world's own `logs`
are then written too, byte for byte with their mtimes, replacing a generated file of the same
path: so the files the simulated VMS serves for that world also exist on this host.

Directories are 0700 and files 0600, as on a VMS host where only root reads these logs. Tests
add their own edge-case files (long lines, invalid UTF-8, CRLF, odd names) next to these.
"""

import base64

import datetime
import gzip
import json
import os
import random
import sys

BASE = datetime.datetime(2025, 1, 15, 6, 0, 0, tzinfo=datetime.timezone.utc)
TENANTS = ["acme", "globex", "initech", "umbrella", "stark"]

INFO = [
    "request completed tenant={t} path=/api/v1/tenants/{t}/devices status=200 duration_ms={n}",
    "cache refreshed tenant={t} keys={n}",
    "configmap {t}-config reloaded revision={n}",
    "health check ok upstream=redis-{t} latency_ms={n}",
    "session opened user=admin@{t} client=10.40.{n}.7",
]
DEBUG = ["polling queue depth={n}", "gc pause_ms={n}", "heartbeat sent seq={n}"]
WARN = [
    "slow query tenant={t} duration_ms={n}",
    "retrying after error: upstream timeout tenant={t} attempt={n}",
    "certificate for {t} expires in {n} days",
]
ERROR = [
    "failed to sync tenant={t}: connection refused (redis-{t}:6379)",
    "request failed tenant={t} path=/api/v1/tenants/{t}/policies status=500",
    "could not parse config for {t}: unexpected token at offset {n}",
    "lost connection to message-server, reconnecting in {n}s",
]


def pick_line(rng, level):
    """One message of the given level with a tenant and a number filled in."""
    pool = {"INFO": INFO, "DEBUG": DEBUG, "WARN": WARN, "ERROR": ERROR}[level]
    text = rng.choice(pool)
    return text.format(t=rng.choice(TENANTS), n=rng.randint(1, 999))


def pick_level(rng):
    return rng.choices(["INFO", "DEBUG", "WARN", "ERROR"], weights=[70, 15, 9, 6])[0]


def app_lines(app, seed, start, hours, count):
    """Lines in the `ISO-TIME LEVEL [app] message` format the VMS services write."""
    rng = random.Random(seed)
    step = hours * 3600 / count
    lines = []
    for i in range(count):
        ts = start + datetime.timedelta(seconds=i * step + rng.random() * step)
        level = pick_level(rng)
        stamp = ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"
        lines.append(f"{stamp} {level:<5} [{app}] {pick_line(rng, level)}")
    return lines, ts


def admin_lines(seed, start, hours, count):
    """Lines in the `[YYYY-MM-DD HH:MM:SS,mmm] LEVEL vms-admin: message` admin format."""
    rng = random.Random(seed)
    step = hours * 3600 / count
    lines = []
    for i in range(count):
        ts = start + datetime.timedelta(seconds=i * step + rng.random() * step)
        level = pick_level(rng)
        stamp = ts.strftime("%Y-%m-%d %H:%M:%S,") + f"{ts.microsecond // 1000:03d}"
        lines.append(f"[{stamp}] {level} vms-admin: {pick_line(rng, level)}")
    return lines, ts


def write(path, lines, mtime, compress=False):
    """Writes lines (LF-terminated) with mode 0600 and sets the modification time."""
    data = "".join(line + "\n" for line in lines).encode()
    if compress:
        data = gzip.compress(data, mtime=0)
    write_bytes(path, data, mtime)


def write_bytes(path, data, mtime):
    """Writes data with mode 0600 and sets the modification time."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(path, 0o600)
    stamp = mtime.timestamp()
    os.utime(path, (stamp, stamp))


def make_dir(path):
    os.makedirs(path, mode=0o700, exist_ok=True)
    os.chmod(path, 0o700)


# app -> rotations, newest first: (suffix, hours covered, line count, gzip?)
APPS = {
    "vms-api": [("", 6, 600, False), (".1", 6, 500, False), (".2", 6, 400, False),
                (".3.gz", 6, 300, True)],
    "tenant-manager": [("", 5, 300, False), (".1", 5, 250, False), (".2.gz", 5, 200, True)],
    "redis-sync": [("", 4, 200, False), (".1", 4, 150, False)],
    "notification": [("", 3, 80, False), (".1.gz", 3, 60, True)],
}


def parse_time(text):
    """An RFC 3339 timestamp (`2025-03-01T09:30:00Z`) as an aware datetime."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def write_world_logs(root, world_path):
    """Writes the world's `logs` entries, which must all lie under root."""
    with open(world_path, encoding="utf-8") as f:
        logs = json.load(f).get("logs") or []
    prefix = root.rstrip("/") + "/"
    for entry in logs:
        path = entry["path"]
        if not path.startswith(prefix) or "/../" in path:
            sys.exit(f"make-logs.py: world log {path!r} is not under {root}")
        if "text" in entry:
            data = entry["text"].encode()
        else:
            data = base64.b64decode(entry["base64"])
        rel = os.path.relpath(os.path.dirname(path), root)
        current = root
        for part in [] if rel == "." else rel.split(os.sep):
            current = os.path.join(current, part)
            make_dir(current)
        write_bytes(path, data, parse_time(entry["mtime"]))
    return len(logs)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: make-logs.py LOG_ROOT [WORLD_JSON]")
    root = sys.argv[1]
    make_dir(root)
    make_dir(os.path.join(root, "apps"))

    for app_index, (app, rotations) in enumerate(sorted(APPS.items())):
        app_dir = os.path.join(root, "apps", app)
        make_dir(app_dir)
        end = BASE
        for rot_index, (suffix, hours, count, compress) in enumerate(rotations):
            start = end - datetime.timedelta(hours=hours)
            seed = app_index * 100 + rot_index
            lines, last = app_lines(app, seed, start, hours, count)
            write(os.path.join(app_dir, f"{app}.log{suffix}"), lines, last, compress)
            end = start

    lines, last = admin_lines(7, BASE - datetime.timedelta(hours=8), 8, 400)
    write(os.path.join(root, "vms-admin.log"), lines, last)

    if len(sys.argv) == 3:
        count = write_world_logs(root, sys.argv[2])
        print(f"make-logs.py: {count} files from {sys.argv[2]}")


if __name__ == "__main__":
    main()
