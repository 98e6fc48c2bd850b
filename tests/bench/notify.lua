-- wrk script: LinkedIn's push notifications, each posted once.
-- BENCH_NOTIFICATIONS names a file of lines "<X-LI-Signature>\t<body>",
-- signed beforehand (tests/bench/linkedin.sh).  wrk's threads share the
-- lines (thread k of n takes every n-th one from the k-th); a thread stops
-- once hirelink has answered "received" (stored for the first time) for
-- each of its own.  Until then, a connection that asks for a request after
-- the last one was sent posts that one again: a redelivery, which hirelink
-- answers 200 "duplicate" without storing or applying it again (a few per
-- connection at most, counted in wrk's requests and latencies).
local counter = 0

-- (wrk runs setup and init of each thread before it makes the next one:
-- the number of threads comes as the script's argument, wrk ... -- N R C)
-- With a rate R > 0 (notifications a second, all C connections together),
-- each connection waits before each request a random time of mean
-- connections / R (exponential: arrivals as independent exports make
-- them), so that the callback is measured at that load rather than as
-- fast as 32 connections can go.
function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
end

local mine = {}
local sent, stored = 0, 0

function init(args)
	local nthreads = tonumber(args[1]) or 1
	local rate = tonumber(args[2]) or 0
	local connections = tonumber(args[3]) or 32
	-- (wrk looks for delay() after thread 0's init: defined only when
	-- paced, a flood has no timer between requests)
	if rate > 0 then
		local mean_ms = connections * 1000 / rate
		delay = function()
			return -math.log(1 - math.random()) * mean_ms
		end
	end
	local k = 0
	for line in io.lines(os.getenv("BENCH_NOTIFICATIONS")) do
		if k % nthreads == id then
			local sig, body = line:match("^([^\t]*)\t(.*)$")
			mine[#mine + 1] = wrk.format("POST", "/linkedin/notifications",
				{ ["Content-Type"] = "application/json",
				  ["X-LI-Signature"] = sig }, body)
		end
		k = k + 1
	end
end

-- wrk calls thread 0's request() once before the run, to check what it
-- returns: that call sends nothing, so it takes no line.
local checked = false

function request()
	if id == 0 and not checked then
		checked = true
		return mine[1]
	end
	if sent < #mine then
		sent = sent + 1
	end
	return mine[sent]
end

function response(status, headers, body)
	if status == 200 and body:find('"status":"received"', 1, true) then
		stored = stored + 1
	end
	if stored >= #mine then
		wrk.thread:stop()
	end
end
