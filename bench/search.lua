-- wrk scenario: substring search, GET /api/customers?q=TERM&sort=name&limit=25.
-- Rotates through common terms (many matches: son, mar, ann, lee, ...) and
-- rare ones (few or none: zzq, xyl, qui, ...), so both the trigram index's
-- long posting lists and its fast misses are exercised.
--
--   TOKEN=clt_... wrk -t1 -c64 -d15s --latency -s bench/search.lua http://127.0.0.1:PORT
--   Extra terms may be given as script arguments: ... -- term1 term2
-- Load bench/common.lua from the directory this script lives in.
local common = dofile(((debug.getinfo(1, "S").source):match("^@(.*/)") or "") .. "common.lua")

setup = common.setup
done = common.done_for("search")

local terms = {
  -- common in names and emails
  "son", "mar", "ann", "lee", "john", "ali", "chr", "smit", "ber", "ell",
  -- rare or absent
  "zzq", "xyl", "qui", "vex", "qwop", "jux", "zyx", "kwz",
}

local requests = {}
local i = 0

function init(args)
  common.seed()
  common.check_token()
  for _, t in ipairs(args or {}) do
    if t:match("^[%w]+$") then terms[#terms + 1] = t end
  end
  local h = { ["Accept"] = "application/json" }
  for k, term in ipairs(terms) do
    requests[k] = wrk.format("GET", "/api/customers?q=" .. term .. "&sort=name&limit=25",
      common.headers(h))
  end
  i = math.random(#requests) - 1 -- threads start at different terms
end

function request()
  i = i % #requests + 1
  return requests[i]
end
