#!/usr/bin/env python3
"""Reads Sluice's batch files the way users' tools do (test tooling).

usage: read_archive.py DIR
Every *.gz under DIR is read with Python's gzip module (strictly: a repeated member name or a lone surrogate is an
error, as for DuckDB) and with DuckDB's read_json. Prints one JSON object:
{"files": [...], "rows": N, "duckdbRows": N, "duckdbMessageIds": [...], "events": [parsed lines...]}.
"""
import gzip
import json
import math
import os
import sys

root = sys.argv[1]
files = sorted(
    os.path.relpath(os.path.join(d, f), root)
    for d, _, names in os.walk(root) for f in names if f.endswith(".gz")
)
def strict_object(pairs):
    """A strict reader's object: a repeated member name is an error (DuckDB rejects the whole file)."""
    names = [name for name, _ in pairs]
    if len(names) != len(set(names)):
        raise ValueError(f"repeated member name in {names}")
    return dict(pairs)


def checked(value):
    """Fails on strings a UTF-8 reader cannot hold (lone surrogates); non-finite numbers become text for output."""
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    elif isinstance(value, dict):
        return {checked(k): checked(v) for k, v in value.items()}
    elif isinstance(value, list):
        return [checked(v) for v in value]
    return value


events = []
for rel in files:
    with gzip.open(os.path.join(root, rel), "rb") as fh:
        data = fh.read()
    if data and not data.endswith(b"\n"):
        sys.exit(f"{rel}: last line does not end with a newline")
    for line in data.split(b"\n"):
        if line:
            event = checked(json.loads(line, object_pairs_hook=strict_object))
            event["__file"] = rel
            events.append(event)

duckdb_rows = None
duckdb_ids = []
if files:
    import duckdb
    paths = [os.path.join(root, f) for f in files]
    rows = duckdb.execute(
        "SELECT messageId FROM read_json(?, format='newline_delimited', union_by_name=true, compression='gzip')",
        [paths],
    ).fetchall()
    duckdb_rows = len(rows)
    duckdb_ids = sorted(r[0] for r in rows)
print(json.dumps({"files": files, "rows": len(events), "duckdbRows": duckdb_rows, "duckdbMessageIds": duckdb_ids,
                  "events": events}))
