-- Counts answers by status class for bench/load/run.py (wrk itself reports
-- only "non-2xx"). Included by varying.lua; used alone for fixed paths.
local threads = {}
function count_thread(thread)
  table.insert(threads, thread)
end
setup = count_thread

-- Answers by status class, printed at the end (wrk itself reports only
-- "non-2xx"): refusals (503) are the bounded queue working; other 5xx are
-- failures.
ok, refused, client_error, server_error = 0, 0, 0, 0
function response(status, headers, body)
  if status < 300 then ok = ok + 1
  elseif status == 503 then refused = refused + 1
  elseif status < 500 then client_error = client_error + 1
  else server_error = server_error + 1 end
end

function done(summary, latency, requests)
  local totals = {ok = 0, refused = 0, client_error = 0, server_error = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
  end
  io.write(string.format("statuses: 2xx %d, 503 %d, 4xx %d, other 5xx %d\n",
                         totals.ok, totals.refused, totals.client_error, totals.server_error))
end
