#!/usr/bin/env bash
# What part 1's load leaves of the machine, and whether more concurrency would use it: nginx (2 workers) and
# Sluice (fsync on) at each of CONNECTIONS_LIST connections, alternating ROUNDS times. Per run: requests/s, p50/p99,
# and the CPU split over the middle of the run (from /proc: the server and wrk in % of one core, the machine's idle
# and iowait in % of all cores). With FSYNC_TRACE=1, one more Sluice run at 16 connections times the spool writer's
# fdatasyncs with `perf trace` (calls, average and longest, requests per group commit).
#   CONNECTIONS_LIST ("16 32 64")  ROUNDS (2)  DURATION (12, at least 10)  FSYNC_TRACE (0)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
CONNECTIONS_LIST=${CONNECTIONS_LIST:-16 32 64}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-12}
((DURATION >= 10)) || { echo "DURATION must be at least 10 seconds (3 s warm-up, 3 s margin)" >&2; exit 2; }
[[ -s "$OUT/bodies.ndjson" ]] || python3 "$BENCH_DIR/make_bodies.py" bodies "$OUT/bodies.ndjson" 512 >&2
TSV=$OUT/saturation.tsv
printf 'round\ttarget\tconnections\trps\tp50_ms\tp99_ms\tserver_pct\twrk_pct\tidle_pct\tiowait_pct\n' >"$TSV"

# window SERVER_PID: sleeps over the middle of the wrk run and prints "server% wrk% idle% iowait%", over the time
# really elapsed between the two readings. The window closes 3 s before wrk's end; reading /proc takes a while on a
# loaded machine, and if wrk has already exited its share is "nan" (not a negative figure from a vanished process).
window() {
    local server=$1 wrk_pid span=$((DURATION - 6))
    sleep 3
    wrk_pid=$(pgrep -n -x wrk)
    local stat0 server0 wrk0 stat1 server1 wrk1 t0 t1
    t0=$(date +%s.%N) stat0=$(head -1 /proc/stat) server0=$(cpu_seconds "$server") wrk0=$(cpu_seconds "$wrk_pid")
    sleep "$span"
    t1=$(date +%s.%N) stat1=$(head -1 /proc/stat) server1=$(cpu_seconds "$server")
    if kill -0 "$wrk_pid" 2>/dev/null; then wrk1=$(cpu_seconds "$wrk_pid"); else wrk1=nan; fi
    python3 - "$stat0" "$stat1" "$server0" "$server1" "$wrk0" "$wrk1" "$t0" "$t1" <<'PY'
import sys
before, after = ([int(v) for v in line.split()[1:9]] for line in sys.argv[1:3])
delta = [b - a for a, b in zip(before, after)]
total = sum(delta)  # user nice system idle iowait irq softirq steal
server0, server1, wrk0, wrk1, t0, t1 = map(float, sys.argv[3:9])
span = t1 - t0
print("%.0f %.0f %.1f %.1f" % (100 * (server1 - server0) / span, 100 * (wrk1 - wrk0) / span,
                               100 * delta[3] / total, 100 * delta[4] / total))
PY
}

measure() {  # round target connections
    local port data pid split
    port=$(free_port)
    if [[ $2 == nginx-2w ]]; then
        nginx_up "$port" 2 "$OUT/nginx-$port"
        pid=$NGINX_PID
        auth_lines "nginx-key" >"$OUT/saturation.auth"
    else
        data=$OUT/sluice-$port
        rm -rf "$data"
        sluice_up "$port" "$data"
        pid=$SLUICE_PID
        auth_lines "$(write_key "$data")" >"$OUT/saturation.auth"
    fi
    run_wrk "http://127.0.0.1:$port/v1/batch" "$DURATION" "$3" "$OUT/bodies.ndjson" "$OUT/saturation.auth" \
        >"$OUT/wrk-saturation.txt" &
    local wrk_job=$!
    split=$(window "$pid")
    wait "$wrk_job"
    stop_pid "$pid" 120
    rm -rf "$OUT/nginx-$port" "$OUT/sluice-$port"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(wrk_field "$OUT/wrk-saturation.txt" rps)" \
        "$(wrk_field "$OUT/wrk-saturation.txt" p50)" "$(wrk_field "$OUT/wrk-saturation.txt" p99)" \
        "$(tr ' ' '\t' <<<"$split")" >>"$TSV"
}

for round in $(seq 1 "$ROUNDS"); do
    for connections in $CONNECTIONS_LIST; do
        for target in nginx-2w sluice-fsync; do
            log "saturation round $round/$ROUNDS: $target, $connections connections"
            measure "$round" "$target" "$connections"
        done
    done
done

python3 - "$TSV" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("| target | connections | requests/s | p50 ms | p99 ms | server, % of a core | wrk, % of a core "
      "| machine idle % | iowait % |")
print("|---|---|---|---|---|---|---|---|---|")
keys = sorted({(r["target"], int(r["connections"])) for r in rows})
for target, connections in keys:
    group = [r for r in rows if r["target"] == target and int(r["connections"]) == connections]
    def med(name):  # "nan" (wrk gone before the window closed) is left out
        values = [float(r[name]) for r in group if r[name] != "nan"]
        return statistics.median(values) if values else float("nan")
    print(f"| {target} | {connections} | {med('rps'):,.0f} | {med('p50_ms'):.2f} | {med('p99_ms'):.2f} "
          f"| {med('server_pct'):.0f} | {med('wrk_pct'):.0f} | {med('idle_pct'):.1f} | {med('iowait_pct'):.1f} |")
print(f"\nMedians of {len({r['round'] for r in rows})} round(s); the machine's idle and iowait are shares of all "
      "its cores over the middle of each run.")
PY

if [[ "${FSYNC_TRACE:-0}" == 1 ]]; then
    command -v perf >/dev/null || { log "FSYNC_TRACE needs perf"; exit 1; }
    port=$(free_port) data=$OUT/sluice-$port
    rm -rf "$data"
    sluice_up "$port" "$data"
    trap 'stop_pid "$SLUICE_PID" 60; rm -rf "$data"' EXIT
    auth_lines "$(write_key "$data")" >"$OUT/sluice.auth"
    run_wrk "http://127.0.0.1:$port/v1/batch" "$DURATION" 16 "$OUT/bodies.ndjson" "$OUT/sluice.auth" \
        >"$OUT/wrk-saturation.txt" &
    wrk_job=$!
    sleep 3
    writer=$(grep -l '^spool-writer$' /proc/"$SLUICE_PID"/task/*/comm | head -1 | cut -d/ -f5)
    span=$((DURATION - 5))
    timeout -s INT "$span" perf trace -e fdatasync -s -t "$writer" -o "$OUT/fsync-trace.txt" || true
    wait "$wrk_job"
    python3 - "$OUT/fsync-trace.txt" "$(wrk_field "$OUT/wrk-saturation.txt" rps)" "$span" <<'PY'
import re, sys
text, rps, span = open(sys.argv[1]).read(), float(sys.argv[2]), float(sys.argv[3])
m = re.search(r"fdatasync\s+(\d+)\s+\d+\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", text)
if not m:
    sys.exit("no fdatasync line in perf trace's summary (see %s)" % sys.argv[1])
calls, total_ms, _, avg_ms, max_ms = int(m[1]), float(m[2]), m[3], float(m[4]), float(m[5])
print(f"\nspool writer under 16 connections ({rps:,.0f} requests/s, perf trace attached): {calls} fdatasyncs in "
      f"{span:.0f} s, ~{rps * span / calls:.1f} requests per group commit; fdatasync average {avg_ms * 1000:.0f} µs, "
      f"longest {max_ms:.1f} ms; the writer spent {100 * total_ms / 1000 / span:.0f} % of the time in fdatasync.")
PY
fi
