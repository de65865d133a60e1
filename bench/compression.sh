#!/usr/bin/env bash
# Benchmark 3: Sluice's batch output against gzip -6, libdeflate-gzip -6 and ISA-L igzip on the same NDJSON.
# The NDJSON is Sluice's own enriched output: a short ingest run, `sluice flush`, then the batch files are
# decompressed. Sizes compare the real batch files; speeds compare one core each (sluice-bench compresses the
# same bytes the way the batcher does: 1 MiB members, libdeflate). Writes $OUT/compression.tsv.
# KEEP_NDJSON=1 keeps the decompressed NDJSON ($OUT/sluice-output.ndjson) for other tools to read.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
port=$(free_port); data=$OUT/sluice-$port
rm -rf "$data"
sluice_up "$port" "$data"
auth_lines "$(write_key "$data")" >"$OUT/sluice.auth"
run_wrk "http://127.0.0.1:$port/v1/batch" 8 16 "$OUT/bodies.ndjson" "$OUT/sluice.auth" >/dev/null
timeout 300 "$SLUICE" flush --url "http://127.0.0.1:$port" --data-dir "$data" >/dev/null
stop_pid "$SLUICE_PID" 120
mapfile -t files < <(find "$data/bucket" -name '*.gz' | sort)
((${#files[@]})) || { log "no batch files were written"; exit 1; }
NDJSON=$OUT/sluice-output.ndjson
cat "${files[@]}" | gzip -dc >"$NDJSON"
SIZE=$(stat -c %s "$NDJSON")
SLUICE_BYTES=$(cat "${files[@]}" | wc -c)
rm -rf "$data"

TSV=$OUT/compression.tsv
printf 'tool\tseconds\tmb_per_s\toutput_bytes\tratio\tsize_vs_gzip6\n' >"$TSV"
GZIP6=$(gzip -6 -c "$NDJSON" | wc -c)
row() {  # tool seconds output_bytes
    python3 -c "import sys; t,s,o=sys.argv[1],float(sys.argv[2]),int(sys.argv[3]); n=$SIZE; g=$GZIP6
print(f'{t}\t{s:.3f}\t{n/s/1e6:.0f}\t{o}\t{n/o:.2f}\t{o/g:.3f}')" "$@" >>"$TSV"
    tail -1 "$TSV" >&2
}
# ISA-L's igzip (levels 1-3) is the fastest gzip encoder Debian ships: it shows whether a faster library than
# libdeflate could meet the size target.
hyperfine -N --warmup 1 --runs 3 --export-json "$OUT/hyperfine-gzip.json" \
    "gzip -6 -c $NDJSON" "libdeflate-gzip -6 -c $NDJSON" \
    "igzip -1 -c $NDJSON" "igzip -2 -c $NDJSON" "igzip -3 -c $NDJSON" >/dev/null 2>&1
best() { python3 -c "import json,sys; r=json.load(open('$OUT/hyperfine-gzip.json'))['results'][$1]; print(min(r['times']))"; }
row "gzip -6" "$(best 0)" "$GZIP6"
row "libdeflate-gzip -6" "$(best 1)" "$(libdeflate-gzip -6 -c "$NDJSON" | wc -c)"
for level in 1 2 3; do
    row "igzip -$level (ISA-L)" "$(best $((level + 1)))" "$(igzip -"$level" -c "$NDJSON" | wc -c)"
done
for level in 1 2 3 4 5 6; do
    line=$("$REPO_DIR/.build/release/sluice-bench" compress "$NDJSON" --level "$level" --runs 3)
    row "sluice-bench level $level (1 MiB members, 1 thread)" \
        "$(sed -E 's/.*best_seconds=([0-9.]+).*/\1/' <<<"$line")" "$(sed -E 's/.*output_bytes=([0-9]+).*/\1/' <<<"$line")"
done
python3 -c "import sys; o=$SLUICE_BYTES; print(f'sluice batch files (live run, default config)\t\t\t{o}\t{$SIZE/o:.2f}\t{o/$GZIP6:.3f}')" >>"$TSV"
tail -1 "$TSV" >&2
echo "$SIZE" >"$OUT/compression-input-bytes"
[[ -n "${KEEP_NDJSON:-}" ]] || rm -f "$NDJSON"
