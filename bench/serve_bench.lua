-- wrk script for serve_bench.py: one GET of BENCH_PATH (path and urlencoded query) with
-- BENCH_ACCEPT and BENCH_HEADERS (more request headers, "Name: value" lines, e.g.
-- "Cache-Control: no-cache"), and at the end one machine-readable line of counts and latencies
-- (microseconds).
wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["Accept"] = os.getenv("BENCH_ACCEPT")
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d"
      .. " p50_us=%d p90_us=%d p99_us=%d mean_us=%.1f max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
