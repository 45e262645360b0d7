-- wrk script for workload_bench.py: requests in a given order, from two files (bench/workload.py).
--
-- WORKLOAD_REQUESTS: the distinct requests, one per line, tab-separated: method, path (with its
--   urlencoded query), Accept, then any more headers as "Name: value" fields.
-- WORKLOAD_ORDER: the requests to send, one per line: a line number of WORKLOAD_REQUESTS, from 0.
-- WORKLOAD_THREADS: wrk's thread count; thread i (from 1) starts at (i - 1) / threads of the order
--   and goes round it, so that the threads do not send the same requests at the same time.
--
-- Each request is formatted once (wrk.format) when the thread starts, not per request. At the end,
-- one machine-readable line of counts and latencies (microseconds), as serve_bench.lua's, and how
-- many times the threads went round the whole order (wraps).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local formatted, order, position, wraps

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  formatted = {}
  for line in io.lines(os.getenv("WORKLOAD_REQUESTS")) do
    local fields = split(line)
    local headers = { Accept = fields[3] }
    for i = 4, #fields do
      local name, value = fields[i]:match("^([^:]+):%s*(.*)$")
      if name then
        headers[name] = value
      end
    end
    table.insert(formatted, wrk.format(fields[1], fields[2], headers))
  end
  order = {}
  for line in io.lines(os.getenv("WORKLOAD_ORDER")) do
    table.insert(order, formatted[tonumber(line) + 1])
  end
  local count = tonumber(os.getenv("WORKLOAD_THREADS") or "1")
  position = math.floor((id - 1) * #order / count) -- the last one sent; the next is position + 1
  wraps = 0
end

function request()
  position = position + 1
  if position > #order then
    position = 1
    wraps = wraps + 1
    wrk.thread:set("wraps", wraps)
  end
  return order[position]
end

function done(summary, latency, requests)
  local e = summary.errors
  local wrapped = 0
  for _, thread in ipairs(threads) do
    wrapped = wrapped + (tonumber(thread:get("wraps")) or 0)
  end
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d"
      .. " p50_us=%d p90_us=%d p99_us=%d mean_us=%.1f max_us=%d wraps=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    wrapped))
end
