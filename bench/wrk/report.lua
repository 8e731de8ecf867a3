-- Shared by the wrk scripts: counts answers by status and prints one JSON line
-- (prefixed "BENCH ") that bench/run reads.
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  ok, bad = 0, 0
end

response = function(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1 end
end

done = function(summary, latency, requests)
  local ok_total, bad_total = 0, 0
  for _, t in ipairs(threads) do
    ok_total = ok_total + t:get("ok")
    bad_total = bad_total + t:get("bad")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH {"requests":%d,"ok":%d,"non_2xx":%d,"socket_errors":%d,"seconds":%.3f,' ..
    '"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f}\n',
    summary.requests, ok_total, bad_total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    seconds, ok_total / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
