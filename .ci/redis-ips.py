#!/usr/bin/env python3
"""Prints the loopback ClusterIPs of the tenants' Redis services, one a line, sorted.

Usage: kubectl get svc -A -o json | redis-ips.py

Reads the service list the kubectl stand-in prints (the Kubernetes `v1 List` shape) and
applies the product's rule for a tenant's Redis: a service outside the system namespaces whose
name contains `redis`, that exposes port 6379 on a real ClusterIP (headless `None` skipped).
Only addresses in 127.0.0.0/8 are printed: those are the ones a local `redis-server` can bind
to stand for the ClusterIP. Exits 1 with a message when the input is not such a list.
"""

import json
import sys

SYSTEM_NAMESPACES = {"kube-system", "kube-public", "kube-node-lease", "default"}
REDIS_PORT = 6379


def redis_ip(item):
    """The service's ClusterIP if it is a tenant Redis on loopback, else None."""
    meta = item.get("metadata") or {}
    spec = item.get("spec") or {}
    if meta.get("namespace") in SYSTEM_NAMESPACES or "redis" not in meta.get("name", ""):
        return None
    ports = [p.get("port") for p in spec.get("ports") or []]
    ip = spec.get("clusterIP") or ""
    if REDIS_PORT not in ports or ip in ("", "None") or not ip.startswith("127."):
        return None
    return ip


def main():
    try:
        doc = json.load(sys.stdin)
        items = doc["items"]
    except (ValueError, KeyError, TypeError) as err:
        sys.exit(f"redis-ips.py: input is not a kubectl service list: {err}")
    ips = {ip for ip in map(redis_ip, items) if ip}
    for ip in sorted(ips, key=lambda a: tuple(int(x) for x in a.split("."))):
        print(ip)


if __name__ == "__main__":
    main()
