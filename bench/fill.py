#!/usr/bin/env python3
"""Deterministic benchmark data for bench/setup.sh, written to stdout.

  fill.py redis-keys N     RESP commands for `redis-cli --pipe`: N keys (strings and
                           hashes whose values are JSON, as on a VMS)
  fill.py redis-hash KEY   RESP commands that (re)create one hash of about 1 MB:
                           1,024 fields, each a ~1 KB JSON document
  fill.py log BYTES        an application log of exactly BYTES bytes; one line in 20 is an
                           ERROR line and one in 50 mentions "error" in lower case
"""

import json
import sys


def resp(*words):
    """One Redis command in RESP, the form `redis-cli --pipe` reads."""
    parts = [b"*%d\r\n" % len(words)]
    for word in words:
        data = word if isinstance(word, bytes) else str(word).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def redis_keys(count):
    out = sys.stdout.buffer
    out.write(resp("FLUSHDB"))
    for i in range(count):
        doc = json.dumps({"id": i, "tenant": "acme", "state": "active", "seq": i * 7 % 1000})
        if i % 3 == 0:
            out.write(resp("HSET", f"user:{i:05d}:profile", "profile", doc, "v", 1))
        else:
            out.write(resp("SET", f"session:{i:05d}", doc))


def redis_hash(key):
    out = sys.stdout.buffer
    out.write(resp("DEL", key))
    pad = "x" * 900
    for i in range(1024):
        doc = {"device": f"dev-{i:04d}", "site": f"site-{i % 37}", "status": "up", "note": pad}
        out.write(resp("HSET", key, f"device:{i:04d}", json.dumps(doc)))


def log(size):
    out = sys.stdout.buffer
    apps = ["api", "worker", "scheduler", "gateway"]
    written = 0
    i = 0
    while written < size:
        chunk = []
        for _ in range(10000):
            secs = i % 86400
            stamp = f"2025-01-{1 + i // 86400 % 28:02d}T{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}Z"
            app = apps[i % len(apps)]
            if i % 20 == 0:
                text = f"{stamp} ERROR {app}: request {i} failed: upstream timeout after 30000 ms"
            elif i % 50 == 7:
                text = f"{stamp} WARN {app}: retrying request {i} after error from peer"
            else:
                text = f"{stamp} INFO {app}: request {i} handled in {i % 997} ms status=200"
            chunk.append(text)
            i += 1
        data = ("\n".join(chunk) + "\n").encode()
        if written + len(data) > size:
            data = data[: size - written]
            data = data[:-1] + b"\n"
        out.write(data)
        written += len(data)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    mode, arg = argv[1], argv[2]
    if mode == "redis-keys":
        redis_keys(int(arg))
    elif mode == "redis-hash":
        redis_hash(arg)
    elif mode == "log":
        log(int(arg))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
