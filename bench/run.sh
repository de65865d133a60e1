#!/usr/bin/env bash
# The benchmark suite (issue #6): installs what it needs (bench/deps-apt.txt), builds release binaries, runs
# every benchmark against 127.0.0.1 only, prints the tables and writes them to bench/RESULTS.md.
#   bench/run.sh                  everything (about 25 minutes with the 5 GB backlog)
#   bench/run.sh ingest latency   only the named parts: ingest latency compression sources memory
# Knobs (environment): ROUNDS, DURATION, CONNECTIONS, SOURCE_COUNTS, SOURCE_ROUNDS, BACKLOG_BYTES, SKIP_BUILD=1;
# SLUICE_CONFIG (latency.sh, sources.sh: a config file for sluice serve), POST_LUA (another wrk script, e.g. one
# that also logs non-200 answers).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../scripts/lib.sh"
apt_install_list "$HERE/deps-apt.txt"
source "$HERE/lib/common.sh"

parts=("$@")
((${#parts[@]})) || parts=(ingest latency compression sources memory)
wants() { [[ " ${parts[*]} " == *" $1 "* ]]; }

if [[ -z "${SKIP_BUILD:-}" ]]; then
    log "building release binaries"
    (cd "$REPO_DIR" && swift build -c release --product sluice && swift build -c release --product sluice-bench) >&2
fi
[[ -f "$OUT/bodies.ndjson" ]] || python3 "$HERE/make_bodies.py" bodies "$OUT/bodies.ndjson" 512 >&2

for part in ingest latency compression sources memory; do
    wants "$part" || continue
    log "== $part"
    "$HERE/$part.sh"
done
python3 "$HERE/lib/report.py" "$OUT" "$REPO_DIR" >"$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
