-- wrk script for the hello_server baseline: no request() so wrk keeps its
-- static fast path; only prints the RESULT line the other scenarios print.
--
--   wrk -t1 -c64 -d15s --latency -s bench/hello.lua http://127.0.0.1:PORT
-- Load bench/common.lua from the directory this script lives in.
local common = dofile(((debug.getinfo(1, "S").source):match("^@(.*/)") or "") .. "common.lua")

done = common.done_for("hello")
