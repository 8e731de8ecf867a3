-- Mixed staff traffic for the soak test (tests/soak/soak.py), one request per call:
--   30 % register a complaint (POST /api/v1/complaints, an Idempotency-Key each),
--   35 % the queue (GET /api/v1/complaints, 50 rows, due first),
--   20 % open a complaint registered earlier in this run (GET /api/v1/complaints/{id}),
--   10 % add an internal note to one of them (POST /api/v1/complaints/{id}/messages),
--    5 % the dashboard (GET /api/v1/reports/dashboard) when REDRESS_SOAK_DASHBOARD=1,
--        else more queue pages (the dashboard is computed from every complaint on each
--        request until maintained aggregates land: its cost grows with the data the
--        soak itself adds; docs/security-testing.md).
-- A complaint is only opened or noted once this thread has seen it registered, so every
-- request is one that must succeed: any answer outside 2xx is an error of the server.
-- Pacing: REDRESS_SOAK_DELAY_MS milliseconds between a response and the next request
-- of a connection (wrk's delay()), set by soak.py to hold a target rate.
-- Env: REDRESS_BENCH_TOKEN (bearer token of an agent), REDRESS_BENCH_REPORT (report.lua).
local token = os.getenv("REDRESS_BENCH_TOKEN")
local pause = tonumber(os.getenv("REDRESS_SOAK_DELAY_MS") or "0")
local run = os.getenv("REDRESS_SOAK_RUN") or "run"  -- unique per wrk run (soak.py)
local with_dashboard = os.getenv("REDRESS_SOAK_DASHBOARD") == "1"
-- Each thread appends the ids of the complaints it saw registered (201) to a file here,
-- so soak.py can check that every acknowledged complaint exists.
local ids_dir = os.getenv("REDRESS_SOAK_IDS_DIR")
local ids_file = nil
local counter = 0
local thread_tag = nil  -- run and thread number, set in init()
local known = {}  -- ids of complaints this thread registered (the last 256)
local known_count = 0

dofile(os.getenv("REDRESS_BENCH_REPORT"))
local count_status = response
local report_setup, report_done = setup, done
local all_threads = {}
created = 0  -- registrations answered 201 by this thread (a global: done() reads it)

setup = function(thread)
  report_setup(thread)
  table.insert(all_threads, thread)
  thread:set("thread_number", #all_threads)
end

-- wrk's threads start with the same random sequence: without their own tag and seed
-- they would send the same Idempotency-Keys (and get replays, not new complaints).
local report_init = init
init = function(args)
  report_init(args)
  thread_tag = run .. "-" .. thread_number
  local seed = 0
  for i = 1, #thread_tag do seed = (seed * 31 + thread_tag:byte(i)) % 2147483647 end
  math.randomseed(seed)
  if ids_dir then ids_file = assert(io.open(ids_dir .. "/ids-" .. thread_tag .. ".txt", "a")) end
end

done = function(summary, latency, requests)
  report_done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(all_threads) do total = total + t:get("created") end
  io.write(string.format('SOAK {"created":%d}\n', total))
end

local function headers(extra)
  local h = {["Authorization"] = "Bearer " .. token}
  for k, v in pairs(extra or {}) do h[k] = v end
  return h
end

local function register()
  counter = counter + 1
  local tag = thread_tag .. "-" .. counter
  local body = '{"channel":"phone","customer":{"name":"Soak ' .. tag ..
    '","email":"s' .. tag .. '@example.com","language":"en"},' ..
    '"subject":"Damaged delivery ' .. tag .. '",' ..
    '"description":"Order ORD-' .. tag ..
    ' came with a cracked screen; the courier left it in the rain.",' ..
    '"demands":"A replacement.","object":{"type":"order","ref":"ORD-' .. tag .. '"}}'
  return wrk.format("POST", "/api/v1/complaints",
                    headers({["Content-Type"] = "application/json",
                             ["Idempotency-Key"] = "soak-" .. tag}), body)
end

local function some_known()
  return known[math.random(1, math.min(known_count, 256))]
end

request = function()
  local roll = math.random(1, 100)
  if roll <= 30 or known_count == 0 then return register() end
  if roll <= 65 or (roll > 95 and not with_dashboard) then
    return wrk.format("GET", "/api/v1/complaints?limit=50&sort=due", headers())
  end
  if roll <= 85 then
    return wrk.format("GET", "/api/v1/complaints/" .. some_known(), headers())
  end
  if roll <= 95 then
    counter = counter + 1
    return wrk.format("POST", "/api/v1/complaints/" .. some_known() .. "/messages",
                      headers({["Content-Type"] = "application/json"}),
                      '{"kind":"note","text":"Soak note ' .. thread_tag .. "-" .. counter .. '"}')
  end
  return wrk.format("GET", "/api/v1/reports/dashboard", headers())
end

-- The value of the top-level "id" of a JSON object (nested objects such as the customer
-- have ids of their own; strings are skipped whole, escapes included).
local function top_level_id(body)
  local depth, i, n = 0, 1, #body
  while i <= n do
    local c = body:sub(i, i)
    if c == '"' then
      local j = i + 1
      while j <= n do
        local d = body:sub(j, j)
        if d == "\\" then j = j + 2
        elseif d == '"' then break
        else j = j + 1 end
      end
      if depth == 1 and body:sub(i, j) == '"id"' then
        return body:match("^%s*:%s*(%d+)", j + 1)
      end
      i = j + 1
    else
      if c == "{" or c == "[" then depth = depth + 1
      elseif c == "}" or c == "]" then depth = depth - 1 end
      i = i + 1
    end
  end
  return nil
end

response = function(status, hdrs, body)
  count_status(status, hdrs, body)
  if status == 201 and body and not hdrs["Idempotent-Replayed"] then
    -- a registered complaint answers with its view, which carries the tracking code;
    -- a note answers with the message (no tracking code)
    local id = body:find('"tracking_code"', 1, true) and top_level_id(body)
    if id then
      created = created + 1
      if ids_file then
        ids_file:write(id, "\n")
        ids_file:flush()  -- wrk ends without closing Lua states: nothing may stay buffered
      end
      known[(known_count % 256) + 1] = id
      known_count = known_count + 1
    end
  end
end

delay = function()
  return pause
end
