#!/usr/bin/env python3
"""create_sources.py PORT TOKEN COUNT OUT: creates COUNT sources through the admin API (one keep-alive
connection) and writes their write keys, one per line, to OUT."""
import http.client
import json
import sys
import time

port, token, count, out = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
deadline = time.monotonic() + 900
keys = []
for i in range(count):
    if time.monotonic() > deadline:
        sys.exit(f"gave up after {i} sources (15 minutes)")
    conn.request("POST", "/admin/sources", json.dumps({"name": f"bench-{i:05d}"}),
                 {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 201:
        sys.exit(f"creating source {i}: HTTP {response.status} {body[:200]!r}")
    keys.append(json.loads(body)["writeKey"])
with open(out, "w") as f:
    f.write("\n".join(keys) + "\n")
