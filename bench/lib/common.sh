# Helpers shared by the benchmark scripts: start/stop nginx and Sluice on 127.0.0.1, run wrk, read results.
# Every wait is bounded; every process started here is stopped by its PID.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
OUT=${BENCH_OUT:-$BENCH_DIR/out}
SLUICE=${SLUICE:-$REPO_DIR/.build/release/sluice}
mkdir -p "$OUT"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# free_port: a TCP port nobody listens on.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT [SECONDS]: until something accepts on 127.0.0.1:PORT (default 60 s).
wait_port() {
    local deadline=$((SECONDS + ${2:-60}))
    until (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
        ((SECONDS < deadline)) || { log "nothing listens on port $1 after ${2:-60}s"; return 1; }
        sleep 0.1
    done
}

# stop_pid PID [SECONDS]: SIGTERM, wait (bounded), then SIGKILL.
stop_pid() {
    local pid=$1 deadline=$((SECONDS + ${2:-60}))
    kill -TERM "$pid" 2>/dev/null || return 0
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || { log "pid $pid ignored SIGTERM; killing"; kill -KILL "$pid" 2>/dev/null; break; }
        sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
}

# nginx_up PORT WORKERS DIR: starts the baseline; sets NGINX_PID.
nginx_up() {
    local port=$1 workers=$2 dir=$3
    rm -rf "$dir"; mkdir -p "$dir/tmp" "$dir/body"
    sed -e "s|@WORKERS@|$workers|g" -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" \
        "$BENCH_DIR/nginx-baseline.conf.in" >"$dir/nginx.conf"
    nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
    NGINX_PID=$!
    wait_port "$port" 20
}

# sluice_up PORT DATADIR [CONFIG]: starts `sluice serve`; sets SLUICE_PID. The data directory is kept, so
# sources created beforehand are served.
sluice_up() {
    local port=$1 data=$2 config=${3:-}
    mkdir -p "$data"
    local args=(serve --host 127.0.0.1 --port "$port" --data-dir "$data" --log-level warning)
    [[ -n "$config" ]] && args+=(--config "$config")
    "$SLUICE" "${args[@]}" >>"$data/serve.log" 2>&1 &
    SLUICE_PID=$!
    wait_port "$port" 120
    # Ready means recovery finished: /health answers 200.
    local deadline=$((SECONDS + 600))
    until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
        ((SECONDS < deadline)) || { log "sluice on $port never became ready"; return 1; }
        sleep 0.2
    done
}

# write_key DATADIR: the write key of the source named 'default' (created on first start).
write_key() {
    "$SLUICE" sources list --json --data-dir "$1" |
        python3 -c 'import json,sys; print(next(s["writeKey"] for s in json.load(sys.stdin) if s["name"]=="default"))'
}

# auth_file KEY... > FILE: one Authorization header value per key.
auth_lines() {
    local key
    for key in "$@"; do printf 'Basic %s\n' "$(printf '%s:' "$key" | base64 -w0)"; done
}

# run_wrk URL SECONDS CONNECTIONS BODIES AUTHFILE [RATE]: wrk's report on stdout (one thread; -d bounds it).
run_wrk() {
    BODIES=$4 AUTH=$5 RATE=${6:-0} timeout $(($2 + 30)) \
        wrk -t1 -c"$3" -d"$2"s --timeout 5s --latency -s "${POST_LUA:-$BENCH_DIR/lua/post.lua}" "$1"
}

# wrk_field REPORT NAME: from post.lua's BENCH line: rps (successful responses only: a 503 is not ingest),
# p50/p99/p999/max (ms, over all responses), errors (socket errors + non-2xx).
wrk_field() {
    python3 - "$1" "$2" <<'PY'
import re, sys
text, name = open(sys.argv[1]).read(), sys.argv[2]
f = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", re.search(r"^BENCH .*$", text, re.M).group(0)))
if name == "rps":
    print("%.0f" % ((f["requests"] - f["status"] - f["errors"]) / (f["duration_us"] / 1e6)))
elif name == "errors":
    print(f["errors"] + f["status"])
else:
    print("%.2f" % (f[name] / 1000))
PY
}

# peak_rss_mb PID: the process's peak resident set (VmHWM) in MB.
peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }

# median: of the numbers on stdin.
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# cpu_seconds PID: user + system CPU time of the process and its direct children (nginx workers), in seconds.
cpu_seconds() {
    local pids=("$1") child
    for child in $(pgrep -P "$1" 2>/dev/null); do pids+=("$child"); done
    local total=0 pid
    for pid in "${pids[@]}"; do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    python3 -c "import os; print('%.2f' % ($total / os.sysconf('SC_CLK_TCK')))"
}
