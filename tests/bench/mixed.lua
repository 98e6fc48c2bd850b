-- wrk script for the soak: each request takes the next page of BENCH_PATHS
-- (space-separated) and the next bench session, so that a long run goes
-- through every handler.
local cookies, paths = {}, {}
local i, j = 0, 0

function init(args)
	for line in io.lines(os.getenv("BENCH_COOKIES")) do
		cookies[#cookies + 1] = line
	end
	for p in string.gmatch(os.getenv("BENCH_PATHS"), "[^ ]+") do
		paths[#paths + 1] = p
	end
	i = math.random(#cookies)
	j = math.random(#paths)
end

function request()
	i = i % #cookies + 1
	j = j % #paths + 1
	return wrk.format("GET", paths[j], { ["Cookie"] = cookies[i], ["Accept"] = "text/html" })
end
