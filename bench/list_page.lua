-- wrk scenario: the first page of the customer list.
-- Alternates GET /api/customers?limit=50 (default sort -created_at) and
-- GET /api/customers?limit=50&sort=name.
--
--   TOKEN=clt_... wrk -t1 -c64 -d15s --latency -s bench/list_page.lua http://127.0.0.1:PORT
-- Load bench/common.lua from the directory this script lives in.
local common = dofile(((debug.getinfo(1, "S").source):match("^@(.*/)") or "") .. "common.lua")

setup = common.setup
done = common.done_for("list_page")

local requests = {}
local i = 0

function init(args)
  common.seed()
  common.check_token()
  local h = { ["Accept"] = "application/json" }
  requests[1] = wrk.format("GET", "/api/customers?limit=50", common.headers(h))
  requests[2] = wrk.format("GET", "/api/customers?limit=50&sort=name", common.headers(h))
  i = math.random(2) - 1 -- threads start on different variants
end

function request()
  i = i % 2 + 1
  return requests[i]
end
