#!/usr/bin/env python3
"""Deterministic benchmark data for bench/setup.sh, written to stdout.

  fill.py redis-keys N     RESP commands for `redis-cli --pipe`: N keys (strings and
                           hashes whose values are JSON, as on a VMS)
  fill.py redis-hash KEY   RESP commands that (re)create one hash of about 1 MB:
                           1,024 fields, each a ~1 KB JSON device record
  fill.py log BYTES        an application log of exactly BYTES bytes; one line in 20 is an
                           ERROR line and one in 50 mentions "error" in lower case
"""

import base64
import hashlib
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
    """1,024 fields of ~1 KB JSON each: short fields, a nested object, a sentence of words
    and one 120-character base64 token, the mix a VMS device record has."""
    out = sys.stdout.buffer
    out.write(resp("DEL", key))
    words = "link flapped twice on uplink then recovered after carrier renegotiation".split()
    for i in range(1024):
        token = base64.b64encode(hashlib.sha512(b"%d" % i).digest() + bytes(26)).decode()
        doc = {
            "device": f"dev-{i:04d}", "site": f"site-{i % 37}", "status": "up",
            "model": "FlexVNF-2000", "firmware": f"22.1.{i % 9}", "serial": f"VN{i * 7919:010d}",
            "ip": f"10.{i // 256}.{i % 256}.1", "tags": ["edge", f"region-{i % 5}", "managed"],
            "last_seen": f"2025-01-{1 + i % 28:02d}T{i % 24:02d}:00:00Z", "token": token,
            "config": {"mtu": 1500, "vlan": 100 + i % 50, "qos": "gold", "bfd": True},
            "notes": " ".join(words[(i + k) % len(words)] for k in range(75)),
        }
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
