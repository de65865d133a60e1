#!/usr/bin/env bash
# messageId de-duplication's cost: CPU per request of `sluice serve` with de-duplication on (the default 24 h
# window) and off (`dedupeWindow: "off"`), alternating in one run, each on a fresh data directory, with every
# request's messageIds unique (bench/lua/post-unique.lua), so the on case looks up and inserts every id.
# Writes $OUT/dedupe.tsv and prints medians and the on/off ratio. The index's memory and lookup cost at 50M ids
# are measured by `sluice-bench dedupe` (see bench/FINDINGS.md).
#   ROUNDS (3)  DURATION seconds per run (10)  CONNECTIONS (16)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10}; CONNECTIONS=${CONNECTIONS:-16}
BODIES=$OUT/bodies.ndjson
[[ -f "$BODIES" ]] || python3 "$BENCH_DIR/make_bodies.py" bodies "$BODIES" 512 >&2
TSV=$OUT/dedupe.tsv
printf 'round\ttarget\trps\tcpu_us_per_request\tpeak_rss_mb\n' >"$TSV"
off_config=$OUT/sluice-dedupe-off.json
echo '{"dedupeWindow": "off"}' >"$off_config"
on_config=$OUT/sluice-dedupe-on.json
echo '{"dedupeWindow": "24h"}' >"$on_config"

run() {  # round label config
    local port data; port=$(free_port); data=$OUT/sluice-$port
    rm -rf "$data"
    sluice_up "$port" "$data" "$3"
    auth_lines "$(write_key "$data")" >"$OUT/sluice.auth"
    local cpu0; cpu0=$(cpu_seconds "$SLUICE_PID")
    POST_LUA=$BENCH_DIR/lua/post-unique.lua run_wrk "http://127.0.0.1:$port/v1/batch" "$DURATION" "$CONNECTIONS" \
        "$BODIES" "$OUT/sluice.auth" >"$OUT/wrk-dedupe.txt"
    local cpu1; cpu1=$(cpu_seconds "$SLUICE_PID")
    local requests; requests=$(python3 -c "import re,sys; print(re.search(r'BENCH requests=(\d+)', open(sys.argv[1]).read()).group(1))" "$OUT/wrk-dedupe.txt")
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$(wrk_field "$OUT/wrk-dedupe.txt" rps)" \
        "$(python3 -c "print('%.0f' % (($cpu1 - $cpu0) * 1e6 / $requests))")" "$(peak_rss_mb "$SLUICE_PID")" >>"$TSV"
    tail -1 "$TSV" >&2
    stop_pid "$SLUICE_PID" 120
    rm -rf "$data"
}

for round in $(seq 1 "$ROUNDS"); do
    log "dedupe round $round/$ROUNDS"
    run "$round" dedupe-off "$off_config"
    run "$round" dedupe-on "$on_config"
done
python3 - "$TSV" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
med = {t: statistics.median(float(r["cpu_us_per_request"]) for r in rows if r["target"] == t) for t in ("dedupe-off", "dedupe-on")}
rps = {t: statistics.median(float(r["rps"]) for r in rows if r["target"] == t) for t in ("dedupe-off", "dedupe-on")}
print(f"cpu_us_per_request off={med['dedupe-off']:.0f} on={med['dedupe-on']:.0f} ratio={med['dedupe-on'] / med['dedupe-off']:.3f}")
print(f"rps off={rps['dedupe-off']:.0f} on={rps['dedupe-on']:.0f}")
PY
