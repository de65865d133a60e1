#!/usr/bin/env bash
# Fuzzes the Tracking API request scanner and the enricher with libFuzzer for SECONDS (default 600).
#
#   bench/fuzz/run.sh [SECONDS]
#
# Builds the SegmentFuzz target with -sanitize=fuzzer (plus address sanitizer) into .build-fuzz, copies the
# committed seed corpus to a scratch corpus directory (new inputs land there, not in git), and runs. A crash or a
# broken invariant stops the run and leaves the reproducer in bench/fuzz/artifacts/; replay one with
#   .build-fuzz/release/SegmentFuzz bench/fuzz/artifacts/crash-...
set -euo pipefail
seconds="${1:-600}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift build --scratch-path .build-fuzz -c release --product SegmentFuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
work="$root/.build-fuzz/corpus"
mkdir -p "$work" "$root/bench/fuzz/artifacts"
cp -n bench/fuzz/corpus/* "$work/"
exec .build-fuzz/release/SegmentFuzz "$work" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$root/bench/fuzz/artifacts/"
