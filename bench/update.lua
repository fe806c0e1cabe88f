-- wrk scenario: PATCH /api/customers/{id} {"notes": "..."} on a random id in 1..N
-- (JSON Merge Patch; no If-Match, so concurrent updates of one id never 412).
--
--   TOKEN=clt_... N=100000 wrk -t1 -c64 -d15s --latency -s bench/update.lua http://127.0.0.1:PORT
--   (or pass N as a script argument: ... http://127.0.0.1:PORT -- 100000)
-- Load bench/common.lua from the directory this script lives in.
local common = dofile(((debug.getinfo(1, "S").source):match("^@(.*/)") or "") .. "common.lua")

setup = common.setup
done = common.done_for("update")

local n, tag
local counter = 0

function init(args)
  common.seed()
  common.check_token()
  n = common.int_param(args, 1, "N", 10000)
  tag = common.random_tag(6)
end

function request()
  counter = counter + 1
  local body = string.format('{"notes":"bench update %s-%d-%d"}',
    tag, thread_id or 0, counter)
  return wrk.format("PATCH", "/api/customers/" .. math.random(n),
    common.headers({ ["Content-Type"] = "application/json", ["Accept"] = "application/json" }),
    body)
end
