#!/usr/bin/env bash
# Benchmark 5: peak RSS with a large spool backlog. Batches cannot be written (the staging directory is
# replaced by a plain file, which stops even root), so every acknowledged event stays in the spool; load runs in
# 10 s slices until the spool refuses (503, quota reached) or BACKLOG_MAX_SLICES slices passed. Then the server
# restarts with a writable staging directory and recovers the whole backlog into batches.
# Writes $OUT/memory.tsv.   BACKLOG_BYTES (5000000000)  BACKLOG_MAX_SLICES (60)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
BACKLOG_BYTES=${BACKLOG_BYTES:-5000000000}; SLICES=${BACKLOG_MAX_SLICES:-60}
port=$(free_port); data=$OUT/sluice-$port
rm -rf "$data"; mkdir -p "$data"
echo "{\"spool\": {\"maxBytes\": $BACKLOG_BYTES}}" >"$OUT/backlog.json"
sluice_up "$port" "$data" "$OUT/backlog.json"
auth_lines "$(write_key "$data")" >"$OUT/sluice.auth"
rm -rf "$data/staging/open"; : >"$data/staging/open"
accepted=0
start=$SECONDS
for slice in $(seq 1 "$SLICES"); do
    run_wrk "http://127.0.0.1:$port/v1/batch" 10 16 "$OUT/bodies.ndjson" "$OUT/sluice.auth" >"$OUT/wrk-backlog.txt"
    spooled=$(du -sb "$data/spool" | cut -f1)
    log "backlog slice $slice: spool $((spooled / 1000000)) MB, RSS $(rss_mb "$SLUICE_PID") MB, peak $(peak_rss_mb "$SLUICE_PID") MB"
    (($(wrk_field "$OUT/wrk-backlog.txt" errors) > 0)) && break
done
fill_seconds=$((SECONDS - start))
fill_peak=$(peak_rss_mb "$SLUICE_PID")
stop_pid "$SLUICE_PID" 300
spooled=$(du -sb "$data/spool" | cut -f1)
rm -f "$data/staging/open"; mkdir -p "$data/staging/open"
start=$SECONDS
sluice_up "$port" "$data" "$OUT/backlog.json"
recover_seconds=$((SECONDS - start))
token=$(cat "$data/admin-token")
curl -sf -X POST -H "Authorization: Bearer $token" --max-time 900 "http://127.0.0.1:$port/admin/flush" >/dev/null
recover_peak=$(peak_rss_mb "$SLUICE_PID")
stop_pid "$SLUICE_PID" 300
written=$(find "$data/bucket" -name '*.gz' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
printf 'phase\tspool_bytes\tseconds\tpeak_rss_mb\tnote\n' >"$OUT/memory.tsv"
printf 'fill (batches cannot be written)\t%s\t%s\t%s\tload until the spool refused\n' "$spooled" "$fill_seconds" \
    "$fill_peak" >>"$OUT/memory.tsv"
printf 'restart: recover + flush the backlog\t%s\t%s\t%s\t%s gzip bytes written\n' "$spooled" \
    "$recover_seconds" "$recover_peak" "$written" >>"$OUT/memory.tsv"
cat "$OUT/memory.tsv" >&2
[[ -n "${KEEP_DATA:-}" ]] || rm -rf "$data"
