-- A GET of REDRESS_BENCH_PATH with the bench token (queue listing, dashboard…).
local token = os.getenv("REDRESS_BENCH_TOKEN")
wrk.method = "GET"
wrk.path = os.getenv("REDRESS_BENCH_PATH")
wrk.headers["Authorization"] = "Bearer " .. token
dofile(os.getenv("REDRESS_BENCH_REPORT"))
