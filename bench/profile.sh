#!/usr/bin/env bash
# Profiles a running release server under the ingest load of part 1: starts Sluice (fsync on unless CONFIG says
# otherwise), runs wrk for DURATION seconds and `perf record` for the middle of it, then prints the top symbols
# (self time) and the split by thread (from /proc without perf, and from perf's samples) and by library. Prints
# the run's CPU µs per request too.
#   DURATION (16, at least 12)  CONFIG (a Sluice config file, optional)  PERF_OUT ($OUT/perf.data)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
DURATION=${DURATION:-16}
((DURATION >= 12)) || { echo "DURATION must be at least 12 seconds (5 s of /proc, then perf)" >&2; exit 2; }
PERF_OUT=${PERF_OUT:-$OUT/perf.data}
[[ -s "$OUT/bodies.ndjson" ]] || python3 "$BENCH_DIR/make_bodies.py" bodies "$OUT/bodies.ndjson" 512 >&2
port=$(free_port); data=$OUT/profile-$port
rm -rf "$data"
sluice_up "$port" "$data" "${CONFIG:-}"
trap 'stop_pid "$SLUICE_PID" 60; rm -rf "$data"' EXIT
auth_lines "$(write_key "$data")" >"$OUT/sluice.auth"
cpu0=$(cpu_seconds "$SLUICE_PID")
run_wrk "http://127.0.0.1:$port/v1/batch" "$DURATION" 16 "$OUT/bodies.ndjson" "$OUT/sluice.auth" >"$OUT/wrk-profile.txt" &
wrk_pid=$!
# Per-thread CPU from /proc over 5 s without perf attached, then perf over the rest but the last 2 s.
sleep 2
python3 "$BENCH_DIR/lib/thread_cpu.py" snapshot "$SLUICE_PID" >"$OUT/threads-before.json"
sleep 5
python3 "$BENCH_DIR/lib/thread_cpu.py" snapshot "$SLUICE_PID" >"$OUT/threads-after.json"
perf record -q -F 999 -g -o "$PERF_OUT" -p "$SLUICE_PID" -- sleep $((DURATION - 9)) 2>/dev/null
wait "$wrk_pid"
cpu1=$(cpu_seconds "$SLUICE_PID")
requests=$(grep -o 'BENCH requests=[0-9]*' "$OUT/wrk-profile.txt" | cut -d= -f2)
printf 'requests/s %s  p99 %s ms  CPU µs/request %.0f\n' "$(wrk_field "$OUT/wrk-profile.txt" rps)" \
    "$(wrk_field "$OUT/wrk-profile.txt" p99)" "$(python3 -c "print(($cpu1 - $cpu0) * 1e6 / $requests)")"
echo "== CPU by thread (/proc, 5 s before perf attaches; µs/request against the whole run's requests/s)"
python3 "$BENCH_DIR/lib/thread_cpu.py" report "$OUT/threads-before.json" "$OUT/threads-after.json" 5 \
    "$(wrk_field "$OUT/wrk-profile.txt" rps)"
echo "== by thread (perf samples)"; perf report -i "$PERF_OUT" --no-children --sort comm --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -8
echo "== by library"; perf report -i "$PERF_OUT" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -10
echo "== top symbols"; perf report -i "$PERF_OUT" --no-children --sort sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -${TOP:-45}
