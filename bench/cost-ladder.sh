#!/usr/bin/env bash
# What each step of an ingest request costs, measured by stopping requests early under part 1's load:
#   body    Hummingbird reads the body and answers 200 (no decoding, nothing kept)
#   enrich  + decoding, validation and enrichment into the spool record (nothing kept)
#   spool   + the fsynced spool append (no batches, so no compression)
#   full    + batching and compression: Sluice as it ships
# with nginx (2 workers) in each round beside them, and the ceiling that CPU per request alone sets.
# The switch (SLUICE_COST_STEP) exists only in a patched copy of the current commit (bench/patches/
# cost-ladder.patch), built here into $OUT/cost-ladder-src with its own scratch folder (.build-ladder, reused between
# runs): a build that ships never has it, since all but `full` acknowledge events it drops.
#   ROUNDS (2)  DURATION seconds per run (10)  SKIP_BUILD=1 reuses the patched binary
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ROUNDS=${ROUNDS:-2}
STEPS="body enrich spool full"
src=$OUT/cost-ladder-src
if [[ -z "${SKIP_BUILD:-}" ]]; then
    rm -rf "$src" && mkdir -p "$src"
    git -C "$REPO_DIR" archive HEAD | tar -x -C "$src"
    # Not `git apply`: inside this repository's work tree it would skip the copy's files without a word.
    patch -s -p1 -d "$src" <"$BENCH_DIR/patches/cost-ladder.patch"
    grep -q SLUICE_COST_STEP "$src/Sources/SluiceServer/TrackingAPI.swift" || { log "the patch did not apply"; exit 1; }
    log "building the patched copy (release; the first build takes several minutes)"
    swift build -c release --product sluice --package-path "$src" --scratch-path "$REPO_DIR/.build-ladder" >&2
fi
[[ -s "$OUT/bodies.ndjson" ]] || python3 "$BENCH_DIR/make_bodies.py" bodies "$OUT/bodies.ndjson" 512 >&2
TSV=$OUT/cost-ladder.tsv
printf 'round\tstep\trps\tp50_ms\tp99_ms\tcpu_us_per_request\n' >"$TSV"
for round in $(seq 1 "$ROUNDS"); do
    # nginx with 2 workers in every round, so the steps can be read against the baseline measured beside them.
    log "cost ladder round $round/$ROUNDS: nginx-2w"
    SKIP_BUILD=1 ROUNDS=1 TARGETS=nginx-2w bash "$BENCH_DIR/ingest.sh" >/dev/null 2>&1
    tail -1 "$OUT/ingest.tsv" | awk -v r="$round" -F'\t' 'BEGIN {OFS="\t"} {print r, "nginx-2w", $3, $4, $5, $9}' >>"$TSV"
    for step in $STEPS; do
        log "cost ladder round $round/$ROUNDS: $step"
        SLUICE="$REPO_DIR/.build-ladder/release/sluice" SLUICE_COST_STEP=$step SKIP_BUILD=1 ROUNDS=1 \
            TARGETS=sluice-fsync bash "$BENCH_DIR/ingest.sh" >/dev/null 2>&1
        # ingest.sh's row: round target rps p50 p99 p999 errors rss cpu
        tail -1 "$OUT/ingest.tsv" | awk -v r="$round" -v s="$step" -F'\t' 'BEGIN {OFS="\t"} {print r, s, $3, $4, $5, $9}' >>"$TSV"
    done
done
python3 - "$TSV" "$STEPS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def medians(step):
    mine = [r for r in rows if r["step"] == step]
    return [statistics.median(float(r[k]) for r in mine) for k in ("rps", "p50_ms", "p99_ms", "cpu_us_per_request")]
nginx_rps, _, _, nginx_cpu = medians("nginx-2w")
print("| step | requests/s (median) | vs nginx 2w | p50 ms | p99 ms | CPU µs/request | vs nginx's CPU | added by the step |")
print("|---|---|---|---|---|---|---|---|")
print(f"| nginx 2 workers | {nginx_rps:,.0f} | 1.00x | – | – | {nginx_cpu:.0f} | 1.00x | – |")
previous = None
for step in sys.argv[2].split():
    rps, p50, p99, cpu = medians(step)
    added = "–" if previous is None else f"{cpu - previous:+.0f} µs"
    print(f"| {step} | {rps:,.0f} | {rps / nginx_rps:.2f}x | {p50:.2f} | {p99:.2f} | {cpu:.0f} | {cpu / nginx_cpu:.2f}x | {added} |")
    previous = cpu
# nginx fills both vCPUs at this load (bench/saturation.sh), so a server that needs k times its CPU per request
# can at best reach 1/k of its requests/s, however its latency is improved.
print(f"\nCeiling from CPU alone (nginx's CPU per request / Sluice's, both saturating the machine): "
      f"{nginx_cpu / medians('full')[3]:.2f}x nginx")
PY
