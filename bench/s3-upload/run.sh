#!/usr/bin/env bash
# Uploads one set of files to a local moto server twice, with Sluice's S3 client (release build) and with
# `aws s3 cp --recursive`, and prints both wall times and the ratio. A comparison, not a test: run-to-run
# spread on a shared 2-core machine is large, and moto (Python) is often the bottleneck for both.
#
#   bench/s3-upload/run.sh            # 24 x 256 KiB, 12 x 2 MiB, 4 x 20 MiB (110 MiB)
#   ROUNDS=3 bench/s3-upload/run.sh   # alternate the two clients three times
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rounds=${ROUNDS:-1}
work=$(mktemp -d /tmp/sluice-s3-bench.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill "$moto" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/moto-api/data.json" >/dev/null 2>&1 && break; sleep 0.1; done

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1
endpoint="http://127.0.0.1:$port"
aws --endpoint-url "$endpoint" s3api create-bucket --bucket bench >/dev/null

mkdir -p "$work/files"
python3 - "$work/files" <<'PY'
import os, sys
directory = sys.argv[1]
plan = [(24, 256 << 10), (12, 2 << 20), (4, 20 << 20)]
index = 0
for count, size in plan:
    for _ in range(count):
        with open(os.path.join(directory, f"f{index:03d}.gz"), "wb") as f:
            f.write(os.urandom(size))
        index += 1
PY
total=$(du -sm "$work/files" | cut -f1)
count=$(ls "$work/files" | wc -l)

(cd "$root" && swift build -c release --product S3UploadBench >"$work/build.log" 2>&1) \
  || { cat "$work/build.log"; exit 1; }
bench="$(cd "$root" && swift build -c release --show-bin-path)/S3UploadBench"

now() { python3 -c 'import time; print(time.monotonic())'; }
sluice_total=0; aws_total=0
for round in $(seq "$rounds"); do
  sluice=$("$bench" "$endpoint" bench "$work/files" "sluice-$round/" 10)
  start=$(now)
  aws --endpoint-url "$endpoint" s3 cp --recursive --quiet "$work/files" "s3://bench/aws-$round/"
  aws=$(python3 -c "print(round($(now) - $start, 3))")
  echo "round $round: sluice ${sluice}s, aws s3 cp ${aws}s"
  sluice_total=$(python3 -c "print($sluice_total + $sluice)")
  aws_total=$(python3 -c "print($aws_total + $aws)")
done
uploaded=$(aws --endpoint-url "$endpoint" s3 ls --recursive s3://bench/ | wc -l)
[ "$uploaded" -eq $((2 * count * rounds)) ] || { echo "expected $((2 * count * rounds)) objects, found $uploaded" >&2; exit 1; }
echo "files: $count (${total} MiB) per client per round, $rounds round(s), server: moto"
python3 -c "print(f'sluice {$sluice_total:.3f}s  aws s3 cp {$aws_total:.3f}s  ratio aws/sluice = {$aws_total / $sluice_total:.2f}x')"
