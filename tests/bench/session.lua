-- wrk script: each request carries one of the bench sessions, in turn, so
-- that the connections do not all share one signed-in user.
local cookies = {}
local i = 0

function init(args)
	for line in io.lines(os.getenv("BENCH_COOKIES")) do
		cookies[#cookies + 1] = line
	end
	i = math.random(#cookies)
end

function request()
	i = i % #cookies + 1
	return wrk.format(nil, nil, { ["Cookie"] = cookies[i], ["Accept"] = "text/html" })
end
