-- POSTs the bodies in $BODIES (one per line) in turn, each with the next Authorization header value of $AUTH
-- (one per line, `Basic base64(key:)`). With $RATE (requests/s for this wrk thread) set, requests are paced to that fixed rate across all
-- connections (an open schedule, as wrk2 does); latency is still measured from the send, so report the achieved
-- rate alongside it.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *out);
]]

local function monotonic_ms()
  local t = ffi.new("bench_timespec")
  ffi.C.clock_gettime(1, t)
  return tonumber(t.tv_sec) * 1000 + tonumber(t.tv_nsec) / 1e6
end

local bodies, auth = {}, {}
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
for line in io.lines(os.getenv("AUTH")) do auth[#auth + 1] = line end

local rate = tonumber(os.getenv("RATE") or "0")
local interval = rate > 0 and 1000 / rate or 0
local next_send = nil
local b, k = 0, 0

request = function()
  b = b % #bodies + 1
  k = k % #auth + 1
  return wrk.format("POST", "/v1/batch",
    { ["Content-Type"] = "application/json", ["Authorization"] = auth[k] }, bodies[b])
end

if rate > 0 then
  delay = function()
    local now = monotonic_ms()
    if next_send == nil or next_send < now - 1000 then next_send = now end
    next_send = next_send + interval
    local wait = next_send - now
    return wait > 0 and wait or 0
  end
end

-- One machine-readable line for bench/lib/common.sh: latency percentiles in microseconds and the error count.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d p50=%d p99=%d p999=%d max=%d errors=%d status=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
