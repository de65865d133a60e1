#!/usr/bin/env bash
# Copy as leased work (issue 15), against 127.0.0.1 only:
#  1. catalog statements per closed batch: one node, BATCHES batches closed by `sluice flush`;
#  2. catalog statements per copied file and copy throughput: FILES staged files copied by 1, then 3 nodes
#     (a fresh database and staging prefix each) from one moto server to one destination bucket.
# Statements are counted by pg_stat_statements (calls per normalized statement). Throughput is files over the span
# between the first and the last delivery row (node start-up excluded). Not a timed test: numbers go to
# bench/FINDINGS.md by hand.
#
# Usage: bench/copy_leases.sh [FILES=1000] [BATCHES=20]      SLUICE=path/to/sluice (default .build/debug/sluice)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILES=${1:-1000}
BATCHES=${2:-20}
SLUICE=${SLUICE:-$ROOT/.build/debug/sluice}
OUT=$ROOT/bench/out/copy-leases
rm -rf "$OUT"; mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

PIDS=()
PGPORT=$(free_port)
PGD=/tmp/sluice-bench-pg-$PGPORT
BIN=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  as_pg "$BIN/pg_ctl" -D "$PGD/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGD"
}
trap cleanup EXIT

# PostgreSQL 15 with pg_stat_statements (durability off, as the test rig's).
mkdir -p "$PGD"; echo postgres > "$PGD/pw"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PGD"
as_pg "$BIN/initdb" -D "$PGD/data" -U postgres --pwfile="$PGD/pw" --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >"$OUT/initdb.log"
as_pg "$BIN/pg_ctl" -D "$PGD/data" -l "$PGD/server.log" -w -t 30 -o "-p $PGPORT -c listen_addresses=127.0.0.1 \
  -k $PGD -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
  -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top" start >/dev/null
export PGPASSWORD=postgres
sql() { psql -X -q -t -A -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$1" -c "$2"; }

# moto's S3 server.
MPORT=$(free_port)
moto_server -H 127.0.0.1 -p "$MPORT" >"$OUT/moto.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$MPORT/moto-api/data.json" >/dev/null 2>&1 && break; sleep 0.1; done
MOTO=http://127.0.0.1:$MPORT
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 DEST_SECRET=testing
python3 - "$MOTO" <<'EOF'
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
for name in ("stage", "dest"):
    s3.create_bucket(Bucket=name)
EOF
STAGING=(--staging-endpoint "$MOTO" --staging-region us-east-1)
echo '{"copy": {"continuous": true, "intervalSeconds": 1, "leaseSeconds": 20}}' > "$OUT/sluice.json"

# Starts node $2 of round $1 on a fresh data directory; prints its port.
start_node() {
  local port; port=$(free_port)
  "$SLUICE" serve --host 127.0.0.1 --port "$port" --node-id "$2" --data-dir "$OUT/$1-$2" --config "$OUT/sluice.json" \
    "${STAGING[@]}" >"$OUT/$1-$2.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "$port"
}

stop_nodes() {
  for pid in "${PIDS[@]:1}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:1}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=("${PIDS[0]}")
}

# Prints the statements since the last reset: calls, calls per unit, statement (first 110 characters).
statements() {
  sql "$1" "SELECT calls, round(calls::numeric / $2, 3), left(regexp_replace(query, '\s+', ' ', 'g'), 110)
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$1')
            AND query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC" | column -t -s '|'
}

round_setup() {  # round name: a database and the source
  local db=$1
  sql postgres "CREATE DATABASE $db" >/dev/null
  sql "$db" "CREATE EXTENSION pg_stat_statements" >/dev/null
  export SLUICE_CATALOG="postgres://postgres:postgres@127.0.0.1:$PGPORT/$db?sslmode=disable"
  export SLUICE_STAGING="s3://stage/$db"
  "$SLUICE" sources create default --id qwertyuiop --data-dir "$OUT/$db-cli" --json > "$OUT/$db-source.json"
}

add_destination() {  # added once every node runs: the next run (within 1 s) makes the whole backlog due at once
  local db=$1
  "$SLUICE" destinations add default "dest/$db" --endpoint "$MOTO" --region us-east-1 --access-key-id testing \
    --secret-env DEST_SECRET --data-dir "$OUT/$db-cli" "${STAGING[@]}" >/dev/null
}

echo "== 1. statements per closed batch ($BATCHES batches, one node)"
round_setup batches
KEY=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["writeKey"])' "$OUT/batches-source.json")
add_destination batches
PORT=$(start_node batches a)
sql batches "SELECT pg_stat_statements_reset()" >/dev/null
for n in $(seq 1 "$BATCHES"); do
  curl -fsS -u "$KEY:" -H 'Content-Type: application/json' \
    -d "{\"event\":\"e\",\"userId\":\"u\",\"messageId\":\"m-$n\"}" "http://127.0.0.1:$PORT/v1/track" >/dev/null
  "$SLUICE" flush --url "http://127.0.0.1:$PORT" --data-dir "$OUT/batches-a" >/dev/null
done
statements batches "$BATCHES" | tee "$OUT/statements-per-batch.txt"
stop_nodes

for NODES in 1 3; do
  db=copy$NODES
  echo "== 2. $FILES staged files copied by $NODES node(s)"
  round_setup "$db"
  python3 - "$MOTO" "$db" "$FILES" <<'EOF'
import gzip, sys, uuid, boto3
from concurrent.futures import ThreadPoolExecutor
endpoint, db, files = sys.argv[1], sys.argv[2], int(sys.argv[3])
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
body = gzip.compress(b'{"event":"e","messageId":"m","type":"track","userId":"u"}\n' * 20)
def put(n):
    key = f"{db}/segment-logs/qwertyuiop/1700006400000/{1700000000000 + n}.aabbccddeeff.dev.{uuid.uuid4()}.gz"
    s3.put_object(Bucket="stage", Key=key, Body=body, ServerSideEncryption="AES256")
with ThreadPoolExecutor(16) as pool:
    list(pool.map(put, range(files)))
EOF
  sql "$db" "SELECT pg_stat_statements_reset()" >/dev/null
  for k in $(seq 1 "$NODES"); do start_node "$db" "n$k" >/dev/null; done
  add_destination "$db"
  for _ in $(seq 1 3000); do
    [ "$(sql "$db" 'SELECT count(*) FROM deliveries')" -ge "$FILES" ] && break
    sleep 0.2
  done
  sql "$db" "SELECT count(*) || ' files in ' || round((max(delivered_at) - min(delivered_at)) / 1000.0, 2) || ' s: '
             || round(count(*) * 1000.0 / greatest(1, max(delivered_at) - min(delivered_at)), 1) || ' files/s'
             FROM deliveries" | tee "$OUT/throughput-$NODES.txt"
  sql "$db" "SELECT 'work rows left: ' || count(*) FROM copy_work"
  statements "$db" "$FILES" | tee "$OUT/statements-per-file-$NODES.txt"
  stop_nodes
done
