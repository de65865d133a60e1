#!/usr/bin/env python3
"""report.py OUT_DIR REPO_DIR: turns the benchmarks' TSV files into bench/RESULTS.md (markdown on stdout)."""
import csv
import datetime
import math
import os
import platform
import statistics
import subprocess
import sys

out, repo = sys.argv[1], sys.argv[2]


def rows(name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def med(values):
    values = [float(v) for v in values if v not in ("", None)]
    return statistics.median(values) if values else float("nan")


def spread(values):
    values = [float(v) for v in values if v not in ("", None)]
    if len(values) < 2:
        return ""
    return f"{min(values):,.0f}–{max(values):,.0f}"


def sh(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, cwd=repo, timeout=10).stdout.strip()
    except Exception:
        return "?"


cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
# RESULTS.md itself is being rewritten while this runs: it does not make the tree dirty.
commit = sh("git", "rev-parse", "--short", "HEAD") + (" (dirty)" if sh("git", "status", "--porcelain", "--", "Sources", "Package.swift", "bench", ":!bench/RESULTS.md") else "")
print("# Benchmark results\n")
print(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}")
print(f"- commit: {commit} (branch {sh('git', 'rev-parse', '--abbrev-ref', 'HEAD')})")
print(f"- machine: {os.cpu_count()} vCPU ({cpu}), {mem:,} MiB RAM, {platform.system()} {platform.release()}, "
      f"load average at the end {os.getloadavg()[0]:.1f} (the machine is shared: expect ±10–35 % run to run)")
print(f"- {sh('swift', '--version').splitlines()[0] if sh('swift', '--version') else 'swift ?'}; "
      f"{sh('nginx', '-v') or subprocess.run(['nginx', '-v'], capture_output=True, text=True).stderr.strip()}")
print("- produced by `bench/run.sh`; raw rows in `bench/out/*.tsv` (not committed)\n")

body_bytes = events_per_body = None
bodies = os.path.join(out, "bodies.ndjson")
if os.path.exists(bodies):
    import json
    lines = open(bodies).read().splitlines()
    body_bytes = statistics.mean(len(l) for l in lines)
    events_per_body = statistics.mean(len(json.loads(l)["batch"]) for l in lines)

ingest = rows("ingest.tsv")
if ingest:
    rounds = len({r["round"] for r in ingest})
    print(f"## 1. Ingest (wrk, 1 thread, 16 connections, 512 varied bodies of {body_bytes:,.0f} B / "
          f"{events_per_body:.1f} events; {rounds} alternating rounds, medians)\n")
    print("| target | requests/s | (range) | events/s | MB/s | p50 ms | p99 ms | errors | peak RSS MB | server CPU µs/request | vs nginx 2w |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    base = med(r["rps"] for r in ingest if r["target"] == "nginx-2w")
    labels = {"nginx-1w": "nginx, 1 worker, gzip log", "nginx-2w": "nginx, 2 workers, gzip log",
              "sluice-fsync": "**Sluice, fsync before ack**", "sluice-nofsync": "Sluice, fsync off (not durable)",
              "sluice-noprealloc": "Sluice, fsync on, spool not preallocated"}
    for target in ["nginx-1w", "nginx-2w", "sluice-fsync", "sluice-noprealloc", "sluice-nofsync"]:
        rs = [r for r in ingest if r["target"] == target]
        if not rs:
            continue
        rps = med(r["rps"] for r in rs)
        print(f"| {labels[target]} | {rps:,.0f} | {spread(r['rps'] for r in rs)} | {rps * events_per_body:,.0f} | "
              f"{rps * body_bytes / 1e6:.0f} | {med(r['p50_ms'] for r in rs):.2f} | {med(r['p99_ms'] for r in rs):.2f} | "
              f"{sum(int(r['errors']) for r in rs)} | {med(r['peak_rss_mb'] for r in rs) if rs[0]['peak_rss_mb'] else '–'} | "
              f"{med(r.get('cpu_us_per_request') for r in rs):.0f} | {rps / base:.2f}x |")
    print()

latency = rows("latency.tsv")
if latency:
    print("## 2. Latency at 50 % of Sluice's peak (fsync on, paced open schedule, 16 connections, medians)\n")
    print("| target rate | achieved req/s | p50 ms | p99 ms | p99.9 ms | max ms | errors | rounds |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {med(r['target_rps'] for r in latency):,.0f} | {med(r['achieved_rps'] for r in latency):,.0f} | "
          f"{med(r['p50_ms'] for r in latency):.2f} | {med(r['p99_ms'] for r in latency):.2f} | "
          f"{med(r['p999_ms'] for r in latency):.2f} | {med(r['max_ms'] for r in latency):.2f} | "
          f"{sum(int(r['errors']) for r in latency)} | {len(latency)} |")
    print("\np99 per round: " + ", ".join(f"{float(r['p99_ms']):.2f}" for r in latency) + " ms\n")

compression = rows("compression.tsv")
if compression:
    size = open(os.path.join(out, "compression-input-bytes")).read().strip()
    print(f"## 3. Compression of Sluice's own enriched NDJSON ({int(size) / 1e6:,.0f} MB, one core each)\n")
    print("| tool | input MB/s | output bytes | ratio | size vs gzip -6 |")
    print("|---|---|---|---|---|")
    for r in compression:
        print(f"| {r['tool']} | {r['mb_per_s'] or '–'} | {int(r['output_bytes']):,} | {r['ratio']} | {r['size_vs_gzip6']}x |")
    print()

sources = rows("sources.tsv")
if sources:
    print("## 4. Scale in sources (fsync on, requests spread over every source's key, after a warm-up run; medians,"
          " peak RSS is the maximum and includes the warm-up)\n")
    print("| sources | requests/s | vs 1 source | p50 ms | p99 ms | errors | open batches | peak RSS MB | warm-up errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    one = med(r["rps"] for r in sources if r["sources"] == "1")
    for count in sorted({r["sources"] for r in sources}, key=int):
        rs = [r for r in sources if r["sources"] == count]
        rps = med(r["rps"] for r in rs)
        print(f"| {int(count):,} | {rps:,.0f} | {rps / one:.2f}x | {med(r['p50_ms'] for r in rs):.2f} | "
              f"{med(r['p99_ms'] for r in rs):.2f} | {sum(int(r['errors']) for r in rs)} | "
              f"{med(r['open_batches'] for r in rs):,.0f} | {max(float(r['peak_rss_mb']) for r in rs):.0f} | "
              f"{sum(int(r.get('warmup_errors') or 0) for r in rs)} |")
    print()

memory = rows("memory.tsv")
if memory:
    print("## 5. Memory with a spool backlog (batches cannot be written while it fills)\n")
    print("| phase | spool GB | seconds | MB/s | peak RSS MB | note |")
    print("|---|---|---|---|---|---|")
    for r in memory:
        rate = int(r['spool_bytes']) / 1e6 / max(float(r['seconds']), 1)
        print(f"| {r['phase']} | {int(r['spool_bytes']) / 1e9:.2f} | {r['seconds']} | {rate:.0f} | {r['peak_rss_mb']} | {r['note']} |")
    print()

# The targets, judged from the rows above (a part that did not run has no row here).
def verdict(ok):
    return "yes" if ok else "**no**"


targets = []
if ingest:
    nginx = med(r["rps"] for r in ingest if r["target"] == "nginx-2w")
    sluice = med(r["rps"] for r in ingest if r["target"] == "sluice-fsync")
    if not (math.isnan(nginx) or math.isnan(sluice)):
        targets.append(("ingest ≥ 1.0x nginx 2 workers, fsync on",
                        f"{sluice:,.0f} vs {nginx:,.0f} requests/s = **{sluice / nginx:.2f}x**", sluice >= nginx))
if latency:
    p99 = med(r["p99_ms"] for r in latency)
    targets.append(("p99 ≤ 10 ms at 50 % of peak", f"p99 **{p99:.2f} ms**", p99 <= 10))
live = [r for r in compression if r["tool"].startswith("sluice batch files")]
if live:
    ratio = float(live[0]["size_vs_gzip6"])
    targets.append(("batch output ≤ 1.05x gzip -6", f"**{ratio:.3f}x** (live batch files)", ratio <= 1.05))
if sources:
    one = med(r["rps"] for r in sources if r["sources"] == "1")
    many = [r for r in sources if r["sources"] == "10000"]
    if many:
        rss = max(float(r["peak_rss_mb"]) for r in many)
        scale = med(r["rps"] for r in many) / one
        targets.append(("peak RSS ≤ 256 MB at 10,000 sources", f"**{rss:.0f} MB**", rss <= 256))
        targets.append(("10,000 sources ≥ 0.8x one source", f"**{scale:.2f}x**", scale >= 0.8))
if memory:
    rss = max(float(r["peak_rss_mb"]) for r in memory)
    targets.append(("peak RSS ≤ 256 MB with a multi-GB backlog", f"**{rss:.0f} MB** (filling and recovering)",
                    rss <= 256))
if targets:
    print("## Targets (issue #6) against this run\n")
    print("| target | measured | met? |")
    print("|---|---|---|")
    for name, measured, ok in targets:
        print(f"| {name} | {measured} | {verdict(ok)} |")
    print()
print("Experiments, profiles and the analysis of what limits ingest: `bench/FINDINGS.md` (written by hand, dated).")
