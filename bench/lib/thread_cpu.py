#!/usr/bin/env python3
"""Per-thread CPU of a process, from /proc (no sampling bias, unlike perf's per-thread split).

  thread_cpu.py snapshot PID > FILE        user+system ticks of every thread, by thread id and name
  thread_cpu.py report BEFORE AFTER SECONDS REQUESTS_PER_SECOND
                                           CPU % of one core and µs per request, summed by thread name
"""
import json
import os
import sys


def snapshot(pid):
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
        except OSError:
            continue  # the thread ended meanwhile
        fields = stat[stat.rindex(")") + 2:].split()
        threads[tid] = {"name": name, "ticks": int(fields[11]) + int(fields[12])}
    return threads


def report(before, after, seconds, rps):
    tick = os.sysconf("SC_CLK_TCK")
    by_name = {}
    for tid, thread in after.items():
        used = thread["ticks"] - before.get(tid, {"ticks": 0})["ticks"]
        by_name[thread["name"]] = by_name.get(thread["name"], 0) + used / tick
    total = sum(by_name.values())
    print(f"{'thread':<18} {'% of a core':>11} {'µs/request':>10}")
    for name, cpu in sorted(by_name.items(), key=lambda item: -item[1]):
        if cpu > 0:
            print(f"{name:<18} {100 * cpu / seconds:>11.0f} {1e6 * cpu / seconds / rps:>10.1f}")
    print(f"{'all':<18} {100 * total / seconds:>11.0f} {1e6 * total / seconds / rps:>10.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        json.dump(snapshot(sys.argv[2]), sys.stdout)
    else:
        with open(sys.argv[2]) as f:
            before = json.load(f)
        with open(sys.argv[3]) as f:
            after = json.load(f)
        report(before, after, float(sys.argv[4]), float(sys.argv[5]))
