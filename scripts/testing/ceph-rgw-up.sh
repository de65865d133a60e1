#!/usr/bin/env bash
# Throwaway one-node Ceph for tests: one monitor, one OSD keeping its data in memory (memstore), radosgw on
# 127.0.0.1, no cephx. Debian 12 packages: radosgw ceph-mon ceph-osd ceph-common (16.x "pacific").
#
#   scripts/testing/ceph-rgw-up.sh DIR RGW_PORT MON_PORT
#
# Env: RGW_API_NAME (zonegroup api_name, so GetBucketLocation answers e.g. us-east-1 instead of "default").
# Creates the S3 users rgwtest/rgwsecret (uid seg) and copyuser/copysecret (uid s3-copy). The daemons fork into
# the background; their PIDs are in DIR/run/*.pid. Stop with scripts/testing/ceph-rgw-down.sh DIR.
set -euo pipefail
trap 'echo "ceph-rgw-up.sh: line $LINENO failed: $BASH_COMMAND" >&2' ERR
# The daemons fork into the background and would inherit every descriptor this script got. Foundation's
# Process learns that its child exited when a socket it passed down is closed, so close everything but
# stdin/stdout/stderr first, or the caller would wait for the daemons instead of this script.
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
done
dir=${1:?dir}; rgw_port=${2:?rgw port}; mon_port=${3:?mon port}
rm -rf "$dir"
mkdir -p "$dir/mon" "$dir/osd" "$dir/run" "$dir/log" "$dir/rgw"
fsid=$(python3 -c 'import uuid; print(uuid.uuid4())')
conf="$dir/ceph.conf"
cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$mon_port
public network = 127.0.0.0/8
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
ms bind ipv4 = true
ms bind ipv6 = false
run dir = $dir/run
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
pid file = $dir/run/\$name.pid
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
osd crush chooseleaf type = 0
[mon.a]
mon data = $dir/mon
[osd.0]
osd data = $dir/osd
osd objectstore = memstore
memstore device bytes = 2147483648
osd max object name len = 460
osd max object namespace len = 64
# With auth off a fresh OSD can send its start-up CRUSH commands before it knows the fsid; the monitor then
# refuses them and the OSD exits. The OSD is placed in the CRUSH map by this script instead.
osd crush update on start = false
osd class update on start = false
[client.rgw.a]
# Without tcp_nodelay every answer with a body waits ~40 ms (Nagle + delayed ACK).
rgw frontends = beast endpoint=127.0.0.1:$rgw_port tcp_nodelay=1
rgw data = $dir/rgw
rgw crypt require ssl = false
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = testkey-1=YmluCmJvb3N0CmJvb3N0LWJ1aWxkCmNlcGguY29uZgo= testkey-2=aWIKTWFrZWZpbGUKbWFuCm91dApzcmMKVGVzdGluZwo=
CONF
ceph_cmd() { ceph -c "$conf" --connect-timeout 5 "$@"; }
wait_for() { # tries, delay, command...
  local tries=$1 delay=$2; shift 2
  for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep "$delay"; done
  return 1
}
# An explicit v1 address: for ports other than 6789 monmaptool would otherwise pick the v2 protocol.
monmaptool --create --addv a "[v1:127.0.0.1:$mon_port]" --fsid "$fsid" "$dir/monmap" >/dev/null
ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" >/dev/null
ceph-mon -c "$conf" -i a
wait_for 10 0.5 ceph_cmd mon stat || { echo "monitor did not start" >&2; exit 1; }
sleep 2
osd_uuid=$(python3 -c 'import uuid; print(uuid.uuid4())')
osd_id=$(ceph_cmd osd new "$osd_uuid")
ceph_cmd osd crush add "osd.$osd_id" 1.0 root=default host=localhost >/dev/null 2>&1 || true
ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >"$dir/log/osd-mkfs.log" 2>&1
osd_up() { ceph_cmd osd stat 2>/dev/null | grep -q "1 up"; }
for attempt in 1 2 3 4; do
  ceph-osd -c "$conf" -i "$osd_id" || true
  wait_for 30 1 osd_up && break
  echo "OSD not up after attempt $attempt; restarting it" >&2
  kill "$(cat "$dir/run/osd.$osd_id.pid" 2>/dev/null)" 2>/dev/null || true
  sleep 1
done
osd_up || { echo "OSD did not come up; see $dir/log" >&2; exit 1; }
# radosgw creates its pools on first use, slowly; make them now.
for pool in .rgw.root default.rgw.control default.rgw.meta default.rgw.log default.rgw.buckets.index \
            default.rgw.buckets.data default.rgw.buckets.non-ec; do
  ceph_cmd osd pool create "$pool" 8 8 >>"$dir/log/pools.log" 2>&1 || true
  ceph_cmd osd pool application enable "$pool" rgw >>"$dir/log/pools.log" 2>&1 || true
done
rgw_up() { curl -fsS "http://127.0.0.1:$rgw_port/" >/dev/null; }
radosgw -c "$conf" -n client.rgw.a
wait_for 90 1 rgw_up || { echo "radosgw did not start" >&2; exit 1; }
radosgw-admin -c "$conf" user create --uid seg --display-name seg --access-key rgwtest --secret rgwsecret >/dev/null
radosgw-admin -c "$conf" user create --uid s3-copy --display-name s3-copy --access-key copyuser \
  --secret copysecret >/dev/null
if [ -n "${RGW_API_NAME:-}" ]; then
  radosgw-admin -c "$conf" zonegroup get 2>/dev/null \
    | python3 -c "import json,sys; z=json.load(sys.stdin); z['api_name']=sys.argv[1]; print(json.dumps(z))" \
      "$RGW_API_NAME" >"$dir/zonegroup.json"
  radosgw-admin -c "$conf" zonegroup set --infile "$dir/zonegroup.json" >/dev/null 2>&1
  pid=$(cat "$dir/run/client.rgw.a.pid")
  # SIGKILL: radosgw keeps nothing worth a clean shutdown here, and a test runner may have left SIGTERM
  # ignored (ignored signals stay ignored across exec). A killed daemon may linger as a zombie, so wait for
  # its port to close rather than for its PID.
  kill -9 "$pid"
  wait_for 50 0.2 bash -c "! curl -fsS http://127.0.0.1:$rgw_port/"
  radosgw -c "$conf" -n client.rgw.a
  wait_for 60 0.5 rgw_up || { echo "radosgw did not restart" >&2; exit 1; }
fi
echo "radosgw ready on http://127.0.0.1:$rgw_port"
