-- wrk script: a form POST, the body and the cookie from the environment
-- (POST /login with argon2id included; the LinkedIn connection test).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_POST_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_POST_COOKIE")
