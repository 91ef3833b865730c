-- wrk script: POST /api/licenses/activate, a new machine on every request.
--   wrk -s bench/activate.lua URL -- KEYS_FILE OFFSET PREFIX
-- Walks the keys in order from line OFFSET (thread 0 the even steps, thread 1 the odd ones with
-- -t 2), one new fingerprint PREFIX-<thread>-<counter> per request: each key takes one machine per
-- pass over the file, so a run stays within the seat limit (3 for bench/seed_licenses.py's
-- licenses) unless it walks the file more than that many times.
local keys = {}
local counter = 0
local threads = 0
local offset = 0
local prefix = "sweep"

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then keys[#keys + 1] = line end
  end
  offset = tonumber(args[2] or "0")
  prefix = args[3] or prefix
end

function request()
  counter = counter + 1
  local key = keys[(offset + (counter - 1) * 2 + (tid or 0)) % #keys + 1]
  local body = string.format('{"fingerprint":"%s-%d-%d"}', prefix, tid or 0, counter)
  return wrk.format("POST", "/api/licenses/activate", {
    ["Authorization"] = "License " .. key,
    ["Content-Type"] = "application/json",
  }, body)
end
