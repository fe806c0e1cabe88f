-- wrk scenario: GET /api/customers/{id} with a random id in 1..N.
--
--   TOKEN=clt_... N=100000 wrk -t1 -c64 -d15s --latency -s bench/get_customer.lua http://127.0.0.1:PORT
--   (or pass N as a script argument: ... http://127.0.0.1:PORT -- 100000)
--
-- Ids are drawn uniformly, so with a large N most reads miss any hot cache.
-- Load bench/common.lua from the directory this script lives in.
local common = dofile(((debug.getinfo(1, "S").source):match("^@(.*/)") or "") .. "common.lua")

setup = common.setup
done = common.done_for("get_customer")

local n, pre, post

function init(args)
  common.seed()
  common.check_token()
  n = common.int_param(args, 1, "N", 10000)
  pre, post = common.template("GET", "/api/customers/{ID}", "{ID}",
    common.headers({ ["Accept"] = "application/json" }))
end

function request()
  return pre .. math.random(n) .. post
end
