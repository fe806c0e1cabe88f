-- wrk scenario: GET /api/customers/{id} of customers with about 50 orders and loyalty points (their
-- purchase history, value figures and balance in the answer), ids drawn from a file.
--
--   TOKEN=clt_... IDS=ids.txt wrk -t1 -c64 -d15s --latency -s bench/get_buyer.lua http://127.0.0.1:PORT
--   (or pass the file as a script argument: ... http://127.0.0.1:PORT -- ids.txt)
--
-- IDS holds one customer id a line; bench/run.sh writes it from the demo data (the 1,000 customers
-- whose order count is nearest 50).
-- Load bench/common.lua from the directory this script lives in.
local common = dofile(((debug.getinfo(1, "S").source):match("^@(.*/)") or "") .. "common.lua")

setup = common.setup
done = common.done_for("get_buyer")

local ids, pre, post

function init(args)
  common.seed()
  common.check_token()
  local path = (args and args[1]) or os.getenv("IDS")
  ids = {}
  local f = path and io.open(path, "r")
  if f then
    for line in f:lines() do
      if line:match("^%d+$") then ids[#ids + 1] = line end
    end
    f:close()
  end
  if #ids == 0 then
    common.warn("no customer ids (env IDS or `-- FILE`, one id a line); asking for customer 1")
    ids[1] = "1"
  end
  pre, post = common.template("GET", "/api/customers/{ID}", "{ID}",
    common.headers({ ["Accept"] = "application/json" }))
end

function request()
  return pre .. ids[math.random(#ids)] .. post
end
