-- As post.lua, but every request's messageIds are made unique (a per-thread, per-request prefix), so that a server
-- with messageId de-duplication on stores every event, as fresh client traffic does (bench/dedupe.sh). The
-- rewrite is wrk's CPU, not the server's.
local bodies, auth = {}, {}
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
for line in io.lines(os.getenv("AUTH")) do auth[#auth + 1] = line end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local b, k, n = 0, 0, 0
request = function()
  b = b % #bodies + 1
  k = k % #auth + 1
  n = n + 1
  local prefix = '"messageId":"u' .. tostring(tid or 0) .. '-' .. tostring(n) .. '-'
  local body = bodies[b]:gsub('"messageId":"', prefix)
  return wrk.format("POST", "/v1/batch",
    { ["Content-Type"] = "application/json", ["Authorization"] = auth[k] }, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d p50=%d p99=%d p999=%d max=%d errors=%d status=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
