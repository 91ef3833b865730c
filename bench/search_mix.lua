-- wrk script: the marketplace search mix (bench/search_mix.py writes the queries, most popular first).
--   wrk -s bench/search_mix.lua URL -- QUERIES_FILE [SEED] [ZIPF_S]
-- Each request: a query of rank r drawn with probability 1 / r^s (s = 1 by default), a sort order
-- (relevance 55 %, downloads, recent and name 15 % each) and at most one filter (none 60 %,
-- category 12 %, price 8 %, target platform 8 %, tag 6 %, publisher 6 %). Every thread seeds its
-- generator with SEED and its number, so a run draws the same sequence each time.
local queries = {}
local cumulative = {}
local threads = 0

local sorts = { { 55, "" }, { 15, "&sort=downloads" }, { 15, "&sort=recent" }, { 15, "&sort=name" } }
local categories = { "themes", "linters", "languages", "debuggers", "snippets", "other" }
local platforms = { "linux-x64", "win32-x64", "darwin-arm64", "alpine-x64" }
local tags = { "python", "rust", "docker", "git", "theme", "lint", "test", "debug", "markdown", "json" }

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local function pick(list)
  return list[math.random(#list)]
end

local function filter()
  local roll = math.random(100)
  if roll <= 60 then return "" end
  if roll <= 72 then return "&category=" .. pick(categories) end
  if roll <= 80 then return (math.random(4) == 1) and "&price=paid" or "&price=free" end
  if roll <= 88 then return "&targetPlatform=" .. pick(platforms) end
  if roll <= 94 then return "&tag=" .. pick(tags) end
  return string.format("&publisher=pub%03d", math.random(0, 399))
end

local function sort()
  local roll, seen = math.random(100), 0
  for _, entry in ipairs(sorts) do
    seen = seen + entry[1]
    if roll <= seen then return entry[2] end
  end
  return ""
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then queries[#queries + 1] = line end
  end
  local s = tonumber(args[3] or "1")
  local total = 0
  for rank = 1, #queries do
    total = total + 1 / rank ^ s
    cumulative[rank] = total
  end
  for rank = 1, #queries do
    cumulative[rank] = cumulative[rank] / total
  end
  math.randomseed(tonumber(args[2] or "12") * 1000 + (tid or 0))
end

local function rank()
  local wanted, low, high = math.random(), 1, #cumulative
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < wanted then low = middle + 1 else high = middle end
  end
  return low
end

function request()
  return wrk.format("GET", "/api/extensions?q=" .. queries[rank()] .. sort() .. filter())
end
