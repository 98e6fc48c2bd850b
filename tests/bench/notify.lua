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
-- the requests follow a schedule of their own, as independent exports
-- make them (exponential gaps, mean threads / R a thread), whatever the
-- answers take: a connection whose request is due sends it when its last
-- answer is in, at once if that came late.  (Until session 29 each
-- connection waited a gap after its answer, so the answers' own time
-- slowed the arrivals: 5,000 "at 500/s" came at 493-498/s.)
function setup(thread)
	thread:set("id", counter)
	counter = counter + 1
end

local mine = {}
local sent, stored = 0, 0

function init(args)
	local nthreads = tonumber(args[1]) or 1
	local rate = tonumber(args[2]) or 0
	-- (wrk looks for delay() after thread 0's init: defined only when
	-- paced, a flood has no timer between requests)
	if rate > 0 then
		local mean_ms = nthreads * 1000 / rate
		local ffi = require("ffi")
		ffi.cdef [[
			typedef struct { long sec; long nsec; } bench_timespec;
			int clock_gettime(int clock, bench_timespec *t);
		]]
		local t = ffi.new("bench_timespec")
		local function now_ms()
			ffi.C.clock_gettime(1, t) -- CLOCK_MONOTONIC
			return tonumber(t.sec) * 1000 + tonumber(t.nsec) / 1e6
		end
		local due = nil
		delay = function()
			local now = now_ms()
			due = (due or now) - math.log(1 - math.random()) * mean_ms
			return math.max(0, due - now)
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
