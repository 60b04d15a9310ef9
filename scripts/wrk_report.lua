-- Used by `make bench` when wrk is installed: at the end of a run, one line with the
-- figures the bench reports (latencies in milliseconds; errors are refused or failed
-- connections, timeouts and answers other than 2xx/3xx).
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format("BENCH %d %d %d %.3f %.3f\n", summary.requests, errors,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
