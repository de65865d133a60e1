#!/usr/bin/env bash
# Stops the daemons started by ceph-rgw-up.sh DIR (by the PIDs in DIR/run) and removes DIR: SIGTERM, then
# SIGKILL after 3 s (a test runner may have left SIGTERM ignored in its children).
dir=${1:?dir}
# Alive and not a zombie (a killed daemon's new parent need not reap it at once).
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
for name in client.rgw.a osd.0 mon.a; do
  file="$dir/run/$name.pid"
  [ -f "$file" ] || continue
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 15); do alive "$pid" || break; sleep 0.2; done
  if alive "$pid"; then kill -9 "$pid"; fi
done
rm -rf "$dir"
