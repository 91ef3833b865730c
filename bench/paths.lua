-- wrk script: GET a path picked at random from a file, one path per line.
--   wrk -s bench/paths.lua URL -- PATHS_FILE
-- The marketplace suite writes one file of searches (/api/extensions?q=<word>) and one of browse
-- pages (the first page by downloads and the next ones through their cursors).
local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + math.random(1000000))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
