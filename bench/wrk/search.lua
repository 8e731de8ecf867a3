-- Full-text search: GET /api/v1/complaints?q=… cycling through the queries in
-- REDRESS_BENCH_QUERIES (one percent-encoded query per line), 20 rows a page.
local token = os.getenv("REDRESS_BENCH_TOKEN")
local queries = {}
for q in string.gmatch(os.getenv("REDRESS_BENCH_QUERIES"), "[^\n]+") do
  table.insert(queries, q)
end
local i = 0
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  return wrk.format(nil, "/api/v1/complaints?limit=20&q=" .. q)
end
dofile(os.getenv("REDRESS_BENCH_REPORT"))
