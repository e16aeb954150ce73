-- wrk script for bench/run.sh: cycles through the pre-signed deliveries of the file named after
-- `--` (one per line: request id TAB timestamp TAB signature TAB body), each formatted once in
-- init so that wrk spends its core on sending, not on Lua. A second argument paces the run: each
-- connection waits that many milliseconds before its next request (wrk has no rate option).
local requests = {}
local next_index = 0

function init(args)
  for line in io.lines(args[1]) do
    local id, ts, sig, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["x-zm-request-id"] = id,
      ["x-zm-request-timestamp"] = ts,
      ["x-zm-signature"] = sig,
    }, body)
  end
  local pause = tonumber(args[2])
  if pause then
    -- wrk asks for delay() only when the script defines it, so the unpaced runs pay nothing.
    delay = function() return pause end
  end
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

-- One machine-readable line; latencies in microseconds.
function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d seconds=%.3f non2xx=%d socket_errors=%d p50=%d p99=%d\n",
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
