-- wrk scenario: POST /api/customers with a fresh customer every request.
-- Emails are unique per request (random per-thread prefix + thread id +
-- per-thread counter), so the uniqueness rule never turns requests into 409s,
-- even when the scenario is run twice against the same database.
--
--   TOKEN=clt_... wrk -t1 -c64 -d15s --latency -s bench/create.lua http://127.0.0.1:PORT
-- Load bench/common.lua from the directory this script lives in.
local common = dofile(((debug.getinfo(1, "S").source):match("^@(.*/)") or "") .. "common.lua")

setup = common.setup
done = common.done_for("create")

local first = { "Ada", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro",
  "Ines", "Jonas", "Kemi", "Luis", "Maya", "Nils", "Olga", "Priya" }
local last = { "Andersson", "Baker", "Costa", "Dubois", "Evans", "Fischer", "Garcia",
  "Hansen", "Ivanova", "Jensen", "Kowalski", "Lopez", "Moreau", "Novak", "Okafor" }

local prefix
local counter = 0

function init(args)
  common.seed()
  common.check_token()
  prefix = common.random_tag(8) .. "t" .. tostring(thread_id or 0)
end

function request()
  counter = counter + 1
  local fn = first[math.random(#first)]
  local ln = last[math.random(#last)]
  local body = string.format(
    '{"name":%s,"first_name":%s,"last_name":%s,' ..
    '"email":"bench.%s.%d@example.com","phone":"+1 555 %03d %04d"}',
    common.json_string(fn .. " " .. ln), common.json_string(fn), common.json_string(ln),
    prefix, counter, math.random(0, 999), math.random(0, 9999))
  return wrk.format("POST", "/api/customers",
    common.headers({ ["Content-Type"] = "application/json", ["Accept"] = "application/json" }),
    body)
end
