-- Durable intake: each request registers a new complaint through the staff API
-- (POST /api/v1/complaints) with a body of its own. The bearer token comes from
-- the environment (REDRESS_BENCH_TOKEN), set by bench/run.
local token = os.getenv("REDRESS_BENCH_TOKEN")
local counter = 0
local thread_tag = tostring(math.random(1, 1e9))

wrk.method = "POST"
wrk.path = "/api/v1/complaints"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

request = function()
  counter = counter + 1
  local tag = thread_tag .. "-" .. counter
  local body = '{"channel":"phone","customer":{"name":"Customer ' .. tag ..
    '","email":"c' .. tag .. '@example.com","language":"en"},' ..
    '"subject":"Late parcel ' .. tag .. '",' ..
    '"description":"My order ORD-' .. tag ..
    ' arrived nine days late and the box was crushed. Nobody answered my calls.",' ..
    '"demands":"Refund of the shipping fee.","object":{"type":"order","ref":"ORD-' .. tag .. '"}}'
  return wrk.format(nil, nil, nil, body)
end

dofile(os.getenv("REDRESS_BENCH_REPORT"))
