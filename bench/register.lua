-- wrk script: POST /api/auth/register, a new address on every request.
--   wrk -s bench/register.lua URL -- PREFIX
-- Addresses are PREFIX-<thread>-<counter>@bench.example: give each run its own PREFIX.
local counter = 0
local threads = 0
local prefix = "sweep"

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  prefix = args[1] or prefix
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"email":"%s-%d-%d@bench.example","password":"bench-Correct-Horse-42"}', prefix, tid or 0, counter
  )
  return wrk.format("POST", "/api/auth/register", { ["Content-Type"] = "application/json" }, body)
end
