-- wrk script: POST /api/licenses/validate with license keys from a file.
--   wrk -s bench/validate.lua URL -- KEYS_FILE [random|sweep] [OFFSET]
-- random (the default) picks a key at random for each request; sweep walks the file in order
-- from line OFFSET (thread 0 the even steps, thread 1 the odd ones with -t 2): to warm the cache
-- with every key, or to validate keys that were never validated before.
local keys = {}
local counter = 0
local mode = "random"
local threads = 0
local offset = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then keys[#keys + 1] = line end
  end
  mode = args[2] or "random"
  offset = tonumber(args[3] or "0")
  math.randomseed(os.time() + (tid or 0) * 7919)
end

function request()
  counter = counter + 1
  local key
  if mode == "sweep" then
    key = keys[(offset + (counter - 1) * 2 + (tid or 0)) % #keys + 1]
  else
    key = keys[math.random(#keys)]
  end
  local body = '{"nonce":"bench-' .. counter .. '"}'
  return wrk.format("POST", "/api/licenses/validate", {
    ["Authorization"] = "License " .. key,
    ["Content-Type"] = "application/json",
  }, body)
end
