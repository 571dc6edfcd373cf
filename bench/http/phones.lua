-- wrk script for bench/http: walks the phones' URL list (urls.tsv from gen-inventory.mjs: path,
-- tab, User-Agent) round-robin, every request with that phone's Yealink User-Agent.
--   URLS=/path/urls.tsv wrk ... -s phones.lua URL -- [keepalive|close]
-- `close` adds `Connection: close`, so every request opens a new connection.
-- done() prints one JSON line prefixed `RESULT ` for run.sh to collect.

local rows = {}
local thread_count = 0

local function load_rows()
  local file = assert(io.open(assert(os.getenv("URLS"), "URLS is not set"), "r"))
  local list = {}
  for line in file:lines() do
    local path, ua = line:match("^([^\t]+)\t(.+)$")
    if path then list[#list + 1] = { path = path, ua = ua } end
  end
  file:close()
  assert(#list > 0, "no URLs in " .. os.getenv("URLS"))
  return list
end

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

local requests = {}
local cursor = 1

function init(args)
  local close = args[1] == "close"
  rows = load_rows()
  -- Pre-format every request once: the Lua side then costs the same for both servers.
  for i, row in ipairs(rows) do
    local headers = { ["User-Agent"] = row.ua }
    if close then headers["Connection"] = "close" end
    requests[i] = wrk.format("GET", row.path, headers)
  end
  -- Threads start at different phones so they do not ask for the same file in lock step.
  local index = tonumber(thread_index) or 0
  cursor = (index * 7919) % #requests + 1
end

function request()
  local r = requests[cursor]
  cursor = cursor + 1
  if cursor > #requests then cursor = 1 end
  return r
end

function done(summary, latency, requests_stats)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"timeouts":%d,"non_2xx_3xx":%d,"lat_p50_us":%d,"lat_p90_us":%d,' ..
    '"lat_p99_us":%d,"lat_max_us":%d,"lat_mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout,
    e.status, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
