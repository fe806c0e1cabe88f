-- wrk scenario: POST /api/orders, a shop pushing new paid orders of 1-3 lines for random customers
-- in 1..N. Order numbers are unique per request (random per-thread prefix + thread id + counter),
-- so every request creates an order (201), even when the scenario is run twice on one database.
--
--   TOKEN=clt_... N=100000 wrk -t1 -c64 -d15s --latency -s bench/push_order.lua http://127.0.0.1:PORT
-- Load bench/common.lua from the directory this script lives in.
local common = dofile(((debug.getinfo(1, "S").source):match("^@(.*/)") or "") .. "common.lua")

setup = common.setup
done = common.done_for("push_order")

-- sku, name, unit price (minor units)
local products = {
  { "TEE-ORG-M", "Organic cotton T-shirt", 2499 }, { "HOOD-GRY", "Grey hoodie", 5900 },
  { "MUG-CER", "Ceramic mug", 1450 }, { "BTL-STL", "Steel water bottle", 2950 },
  { "NB-A5", "A5 notebook", 990 }, { "LAMP-DSK", "Desk lamp", 8900 },
  { "COF-BNS", "Coffee beans, 1 kg", 2890 }, { "HDPH-BT", "Bluetooth headphones", 14900 },
}

local n, prefix
local counter = 0
local headers

function init(args)
  common.seed()
  common.check_token()
  n = common.int_param(args, 1, "N", 10000)
  prefix = "B" .. common.random_tag(6) .. "t" .. tostring(thread_id or 0) .. "-"
  headers = common.headers({ ["Content-Type"] = "application/json", ["Accept"] = "application/json" })
end

function request()
  counter = counter + 1
  local lines, total = {}, 0
  local first = math.random(#products)
  for i = 1, math.random(3) do
    local p = products[(first + i - 2) % #products + 1] -- distinct products
    local quantity = math.random(2)
    local tax = math.floor(quantity * p[3] * 0.0825 + 0.5)
    total = total + quantity * p[3] + tax
    lines[i] = string.format('{"sku":"%s","name":%s,"quantity":%d,"unit_price":%d,"tax":%d}',
      p[1], common.json_string(p[2]), quantity, p[3], tax)
  end
  local body = string.format(
    '{"number":"%s%d","customer_id":%d,"currency":"USD","status":"paid",' ..
    '"placed_at":"%s","lines":[%s],"total":%d}',
    prefix, counter, math.random(n), os.date("!%Y-%m-%dT%H:%M:%SZ"), table.concat(lines, ","),
    total)
  return wrk.format("POST", "/api/orders", headers, body)
end
