-- wrk script: the same JSON POST on every request.
--   wrk -s bench/post.lua URL -- BODY [-H 'Authorization: ...' before the URL]
-- The sweep signs in (POST /api/auth/login) and checks out (POST /api/payments/checkout) with it.
local req

function init(args)
  wrk.headers["Content-Type"] = "application/json"
  req = wrk.format("POST", nil, nil, args[1])
end

function request()
  return req
end
