#!/usr/bin/env bash
# Benchmark 4: throughput and peak RSS with 1, 100 and 10,000 active sources (fsync on). Requests cycle through
# the sources' write keys, so every source has an open batch. Sources are created through the admin API before
# the load starts. Writes $OUT/sources.tsv.
#   SOURCE_COUNTS ("1 100 10000")  SOURCE_ROUNDS (2)  DURATION (10)  WARMUP seconds before measuring (10)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
COUNTS=${SOURCE_COUNTS:-1 100 10000}; ROUNDS=${SOURCE_ROUNDS:-2}; DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}; WARMUP=${WARMUP:-10}
TSV=$OUT/sources.tsv
printf 'round\tsources\trps\tp50_ms\tp99_ms\terrors\topen_batches\tpeak_rss_mb\twarmup_errors\n' >"$TSV"
for round in $(seq 1 "$ROUNDS"); do
    for count in $COUNTS; do
        log "sources round $round/$ROUNDS: $count sources"
        port=$(free_port); data=$OUT/sluice-$port
        rm -rf "$data"
        sluice_up "$port" "$data" "${SLUICE_CONFIG:-}"
        token=$(cat "$data/admin-token")
        write_key "$data" >"$OUT/keys.txt"
        if ((count > 1)); then
            python3 "$BENCH_DIR/lib/create_sources.py" "$port" "$token" $((count - 1)) "$OUT/more-keys.txt"
            cat "$OUT/more-keys.txt" >>"$OUT/keys.txt"
        fi
        mapfile -t keys <"$OUT/keys.txt"
        auth_lines "${keys[@]}" >"$OUT/sources.auth"
        # Warm-up: every source gets its open batch (and, with many sources, its batch file) before measuring.
        run_wrk "http://127.0.0.1:$port/v1/batch" "$WARMUP" "$CONNECTIONS" "$OUT/bodies.ndjson" \
            "$OUT/sources.auth" >"$OUT/wrk-sources-warmup.txt"
        run_wrk "http://127.0.0.1:$port/v1/batch" "$DURATION" "$CONNECTIONS" "$OUT/bodies.ndjson" \
            "$OUT/sources.auth" >"$OUT/wrk-sources.txt"
        open=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/admin/status" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["openBatches"])')
        r=$OUT/wrk-sources.txt
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$count" "$(wrk_field "$r" rps)" "$(wrk_field "$r" p50)" \
            "$(wrk_field "$r" p99)" "$(wrk_field "$r" errors)" "$open" "$(peak_rss_mb "$SLUICE_PID")" \
            "$(wrk_field "$OUT/wrk-sources-warmup.txt" errors)" >>"$TSV"
        tail -1 "$TSV" >&2
        stop_pid "$SLUICE_PID" 300
        rm -rf "$data"
    done
done
