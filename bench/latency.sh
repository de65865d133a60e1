#!/usr/bin/env bash
# Benchmark 2: acknowledgement latency at a fixed rate of half of Sluice's measured peak (fsync on).
# The rate is paced by bench/lua/post.lua (open schedule across 16 connections). Writes $OUT/latency.tsv.
#   PEAK requests/s (default: median sluice-fsync figure of $OUT/ingest.tsv)  ROUNDS (3)  DURATION (15)
#   SLUICE_CONFIG (a config file for sluice serve, e.g. to compare spool settings)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ROUNDS=${ROUNDS:-3}; DURATION=${LATENCY_DURATION:-15}; CONNECTIONS=${CONNECTIONS:-16}
if [[ -z "${PEAK:-}" ]]; then
    PEAK=$(awk -F'\t' '$2=="sluice-fsync" {print $3}' "$OUT/ingest.tsv" | median)
fi
RATE=$(python3 -c "print(int(float('$PEAK') / 2))")
TSV=$OUT/latency.tsv
printf 'round\ttarget_rps\tachieved_rps\tp50_ms\tp99_ms\tp999_ms\tmax_ms\terrors\n' >"$TSV"
for round in $(seq 1 "$ROUNDS"); do
    log "latency round $round/$ROUNDS at $RATE requests/s"
    port=$(free_port); data=$OUT/sluice-$port
    rm -rf "$data"
    sluice_up "$port" "$data" "${SLUICE_CONFIG:-}"
    auth_lines "$(write_key "$data")" >"$OUT/sluice.auth"
    run_wrk "http://127.0.0.1:$port/v1/batch" "$DURATION" "$CONNECTIONS" "$OUT/bodies.ndjson" "$OUT/sluice.auth" \
        "$RATE" >"$OUT/wrk-latency.txt"
    r=$OUT/wrk-latency.txt
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$RATE" "$(wrk_field "$r" rps)" "$(wrk_field "$r" p50)" \
        "$(wrk_field "$r" p99)" "$(wrk_field "$r" p999)" "$(wrk_field "$r" max)" "$(wrk_field "$r" errors)" >>"$TSV"
    tail -1 "$TSV" >&2
    stop_pid "$SLUICE_PID" 120
    rm -rf "$data"
done
