-- wrk script: a form POST, the body and the cookie from the environment
-- (POST /login with argon2id included; the LinkedIn connection test).
-- Answers 503 with a Retry-After are hirelink saying "busy, come back"
-- (a sign-in storm, login_queue_ms): counted apart, printed as
-- "busy503 N" for scripts/bench.sh, which does not count them as errors.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_POST_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_POST_COOKIE")

local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	busy = 0
end

function response(status, headers, body)
	if status == 503 and headers["Retry-After"] then
		busy = busy + 1
	end
end

function done(summary, latency, requests)
	local n = 0
	for _, t in ipairs(threads) do
		n = n + t:get("busy")
	end
	io.write(string.format("busy503 %d\n", n))
end
