-- Shared helpers for the Clientele wrk scripts (loaded with dofile by each
-- scenario script; not a wrk script itself).
--
-- wrk runs every script in several independent Lua states: one for setup()
-- and done(), and one per wrk thread for init()/request(). Each of them loads
-- this file afresh, so nothing here is shared between threads at run time.
--
-- Environment:
--   TOKEN  API token sent as `Authorization: Bearer $TOKEN` (clientele token create)
--   N      number of customers; ids are drawn from 1..N (a script argument after
--          `--` wins over the environment)

local M = {}

M.token = os.getenv("TOKEN")

-- Headers every request carries. A fresh table each call: wrk.format() writes
-- Host and Content-Length into the table it is given.
function M.headers(extra)
  local h = {}
  if M.token and M.token ~= "" then
    h["Authorization"] = "Bearer " .. M.token
  end
  if extra then
    for k, v in pairs(extra) do h[k] = v end
  end
  return h
end

function M.warn(msg)
  io.stderr:write("wrk script: " .. msg .. "\n")
end

-- A positive integer from the script arguments (index i) or the environment.
function M.int_param(args, i, env_name, default)
  local raw = (args and args[i]) or os.getenv(env_name)
  local n = tonumber(raw)
  if n == nil or n < 1 then
    M.warn(string.format("%s not set (env %s or `-- %s`); using %d",
      env_name, env_name, env_name, default))
    return default
  end
  return math.floor(n)
end

-- setup() runs once per thread in the setup/done state: number the threads so
-- each one knows its id (used for seeding and for unique values).
local next_thread_id = 0
function M.setup(thread)
  next_thread_id = next_thread_id + 1
  thread:set("thread_id", next_thread_id)
end

-- Seed this thread's RNG differently from every other thread and run.
function M.seed()
  local seed = os.time() + (thread_id or 0) * 7919
  local f = io.open("/dev/urandom", "rb")
  if f then
    local bytes = f:read(4)
    f:close()
    if bytes and #bytes == 4 then
      local b1, b2, b3, b4 = bytes:byte(1, 4)
      seed = seed + ((b1 * 256 + b2) * 256 + b3) * 256 + b4
    end
  end
  math.randomseed(seed)
  -- The first values after seeding are poorly mixed in some Lua versions.
  for _ = 1, 8 do math.random() end
end

local alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
function M.random_tag(len)
  local t = {}
  for i = 1, len do
    local k = math.random(#alphabet)
    t[i] = alphabet:sub(k, k)
  end
  return table.concat(t)
end

-- Warn once per thread when no token is set (every request would be a 401).
function M.check_token()
  if not M.token or M.token == "" then
    M.warn("TOKEN is not set: requests go without Authorization and will be 401")
  end
end

-- A done() that prints wrk's numbers as one machine-readable line:
--   RESULT scenario=NAME requests=… duration_s=… rps=… p50_ms=… p90_ms=… p99_ms=…
--          max_ms=… errors=… socket_errors=… timeouts=…
-- errors   = responses with status >= 400 (wrk's summary.errors.status; wrk
--            counts 3xx as success). Counting them here rather than in a
--            response() hook keeps wrk on its fast path (no header/body parse
--            into Lua).
-- socket_errors = connect + read + write errors; timeouts = requests slower
--            than wrk's --timeout (they are left out of the latency figures).
function M.done_for(name)
  return function(summary, latency, requests)
    local secs = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
      "RESULT scenario=%s requests=%d duration_s=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f " ..
      "p99_ms=%.3f max_ms=%.3f errors=%d socket_errors=%d timeouts=%d\n",
      name, summary.requests, secs, summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000,
      e.status, e.connect + e.read + e.write, e.timeout))
  end
end

-- Build the request once with a placeholder and split it, so request() only
-- concatenates three strings: cheap enough that wrk stays far ahead of the server.
function M.template(method, path_with_placeholder, placeholder, headers, body)
  local req = wrk.format(method, path_with_placeholder, headers, body)
  local i, j = req:find(placeholder, 1, true)
  return req:sub(1, i - 1), req:sub(j + 1)
end

-- Standard JSON string escaping for the few values the scripts make up.
function M.json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    if c == "\n" then return "\\n" end
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

return M
