#!/usr/bin/env bash
# Benchmark 1: ingest throughput, Sluice against the nginx echo + gzip-log baseline, alternating in one run.
# Each round runs, in turn: nginx 1 worker, nginx 2 workers, Sluice (fsync before ack), Sluice (fsync off);
# every target gets a fresh state directory. Writes $OUT/ingest.tsv (one row per run) and prints medians.
#   ROUNDS (3)  DURATION seconds per run (10)  CONNECTIONS (16)
#   TARGETS ("nginx-1w nginx-2w sluice-fsync sluice-noprealloc sluice-nofsync"; sluice-noprealloc is fsync on
#   with spool segments not preallocated, to show what preallocation buys; sluice-2loops, not run by default, is
#   fsync on with two HTTP event loops instead of the default one on a 2-core machine; sluice-level1, not run by
#   default either, compresses batches at level 1, to show what level 5's compression costs)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10}; CONNECTIONS=${CONNECTIONS:-16}
TARGETS=${TARGETS:-nginx-1w nginx-2w sluice-fsync sluice-noprealloc sluice-nofsync}
BODIES=$OUT/bodies.ndjson
TSV=$OUT/ingest.tsv
printf 'round\ttarget\trps\tp50_ms\tp99_ms\tp999_ms\terrors\tpeak_rss_mb\tcpu_us_per_request\n' >"$TSV"

nofsync_config=$OUT/sluice-nofsync.json
echo '{"spool": {"fsync": false}}' >"$nofsync_config"
loops2_config=$OUT/sluice-2loops.json
echo '{"http": {"eventLoops": 2}}' >"$loops2_config"
level1_config=$OUT/sluice-level1.json
echo '{"batch": {"compressionLevel": 1}}' >"$level1_config"
noprealloc_config=$OUT/sluice-noprealloc.json
echo '{"spool": {"preallocate": false}}' >"$noprealloc_config"

record() {  # round target report peak_rss cpu_seconds
    local cpu_us; cpu_us=$(python3 -c "import re,sys; t=open(sys.argv[1]).read(); n=int(re.search(r'BENCH requests=(\d+)', t).group(1)); print('%.0f' % (float(sys.argv[2]) * 1e6 / n))" "$3" "$5")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$(wrk_field "$3" rps)" "$(wrk_field "$3" p50)" \
        "$(wrk_field "$3" p99)" "$(wrk_field "$3" p999)" "$(wrk_field "$3" errors)" "$4" "$cpu_us" >>"$TSV"
    tail -1 "$TSV" >&2
}

run_nginx() {  # round workers
    local port; port=$(free_port)
    nginx_up "$port" "$2" "$OUT/nginx-$port"
    auth_lines "bench-key" >"$OUT/nginx.auth"
    local cpu0; cpu0=$(cpu_seconds "$NGINX_PID")
    run_wrk "http://127.0.0.1:$port/v1/batch" "$DURATION" "$CONNECTIONS" "$BODIES" "$OUT/nginx.auth" \
        >"$OUT/wrk-ingest.txt"
    record "$1" "nginx-$2w" "$OUT/wrk-ingest.txt" "" "$(python3 -c "print($(cpu_seconds "$NGINX_PID") - $cpu0)")"
    stop_pid "$NGINX_PID" 20
    rm -rf "$OUT/nginx-$port"
}

run_sluice() {  # round label [config]
    local port data; port=$(free_port); data=$OUT/sluice-$port
    rm -rf "$data"
    sluice_up "$port" "$data" "${3:-}"
    auth_lines "$(write_key "$data")" >"$OUT/sluice.auth"
    local cpu0; cpu0=$(cpu_seconds "$SLUICE_PID")
    run_wrk "http://127.0.0.1:$port/v1/batch" "$DURATION" "$CONNECTIONS" "$BODIES" "$OUT/sluice.auth" \
        >"$OUT/wrk-ingest.txt"
    record "$1" "$2" "$OUT/wrk-ingest.txt" "$(peak_rss_mb "$SLUICE_PID")" \
        "$(python3 -c "print($(cpu_seconds "$SLUICE_PID") - $cpu0)")"
    stop_pid "$SLUICE_PID" 120
    rm -rf "$data"
}

for round in $(seq 1 "$ROUNDS"); do
    log "ingest round $round/$ROUNDS"
    for target in $TARGETS; do
        case $target in
            nginx-1w) run_nginx "$round" 1 ;;
            nginx-2w) run_nginx "$round" 2 ;;
            sluice-fsync) run_sluice "$round" sluice-fsync ;;
            sluice-nofsync) run_sluice "$round" sluice-nofsync "$nofsync_config" ;;
            sluice-noprealloc) run_sluice "$round" sluice-noprealloc "$noprealloc_config" ;;
            sluice-2loops) run_sluice "$round" sluice-2loops "$loops2_config" ;;
            sluice-level1) run_sluice "$round" sluice-level1 "$level1_config" ;;
        esac
    done
done
