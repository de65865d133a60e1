#!/usr/bin/env bash
# Compares `sluice logs sync` with `aws s3 sync` on the same day folder (>= 200 files) in one moto server,
# in one run, and prints the ratio. Usage: bench/logs_sync.sh [FILES] [EVENTS_PER_FILE] [RUNS]
# SLUICE=path/to/sluice picks the binary (default: the release build if present, else the debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${1:-240}
EVENTS=${2:-300}
RUNS=${3:-3}
SLUICE=${SLUICE:-$( [ -x .build/release/sluice ] && echo .build/release/sluice || echo .build/debug/sluice )}
OUT=$(mktemp -d /tmp/sluice-bench-logs-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
moto_server -H 127.0.0.1 -p "$PORT" >"$OUT/moto.log" 2>&1 &
MOTO=$!
trap 'kill $MOTO 2>/dev/null || true; rm -rf "$OUT"' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/moto-api/data.json" && break; sleep 0.1; done
E="http://127.0.0.1:$PORT"
DAY=1795478400000
python3 bench/logs_sync_setup.py "$E" bench-logs src1 "$DAY" "$FILES" "$EVENTS"
now() { date +%s.%N; }
aws_total=0; sluice_total=0
for run in $(seq "$RUNS"); do
  rm -rf "$OUT/aws" "$OUT/sluice"
  t0=$(now); aws --endpoint-url "$E" s3 sync "s3://bench-logs/segment-logs/src1/$DAY" "$OUT/aws" >/dev/null; t1=$(now)
  "$SLUICE" logs sync src1 --day 2026-11-24 --bucket bench-logs --endpoint "$E" --dir "$OUT/sluice" >/dev/null; t2=$(now)
  a=$(echo "$t1 - $t0" | bc -l); s=$(echo "$t2 - $t1" | bc -l)
  printf 'run %d: aws s3 sync %.2f s, sluice logs sync %.2f s, ratio %.2fx\n' "$run" "$a" "$s" "$(echo "$a / $s" | bc -l)"
  aws_total=$(echo "$aws_total + $a" | bc -l); sluice_total=$(echo "$sluice_total + $s" | bc -l)
  diff -r "$OUT/aws" "$OUT/sluice/$DAY" >/dev/null || { echo "MISMATCH between aws and sluice files"; exit 1; }
done
printf 'files: %d (%s)  binary: %s\n' "$(ls "$OUT/aws" | wc -l)" "$(du -sh "$OUT/aws" | cut -f1)" "$SLUICE"
printf 'total over %d runs: aws s3 sync %.2f s, sluice logs sync %.2f s => sluice is %.2fx faster\n' \
  "$RUNS" "$aws_total" "$sluice_total" "$(echo "$aws_total / $sluice_total" | bc -l)"
