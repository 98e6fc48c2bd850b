/*
 * server.c - the FastCGI loop: accept, build the request, call the handler,
 * write the response, and shut down cleanly on SIGTERM/SIGINT.
 *
 * Each worker thread owns everything it touches while serving (its
 * FCGX_Request, its arena, its output buffer and the application's thread
 * context), so requests share nothing but the listening socket, whose
 * accept() is serialised by a mutex as in libfcgi's threaded example.
 *
 * Shutdown: the main thread blocks SIGTERM and SIGINT before starting the
 * workers (who inherit the mask) and waits for them with sigwait(), so no
 * async signal handler is needed.  It then sets the stop flag, tells libfcgi
 * (FCGX_ShutdownPending) and shuts the listening socket down, which makes
 * the accept() a worker is blocked in return at once; a worker that is in
 * the middle of a request finishes it first.  A worker that cannot start
 * sends SIGTERM to the main thread to stop the server the same way.
 *
 * When the program is started as plain CGI (the tests, a quick manual run)
 * it serves exactly one request from the environment and stdin.
 */
#include <ctype.h>
#include <errno.h>
#include <fcgiapp.h>
#include <grp.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/crypto.h"
#include "http/http.h"

/* ------------------------------------------------------------ request */

static const char *env_str(struct arena *a, http_env_fn env, void *ctx,
			   const char *name, bool *oom)
{
	const char *v = env(ctx, name);
	char *copy;

	if (!v || !*v)
		return "";
	copy = arena_strdup(a, v);
	if (!copy) {
		*oom = true;
		return "";
	}
	return copy;
}

static void request_fail(struct http_request *req, int status, const char *msg)
{
	if (req->error.status)
		return;
	req->error.status = status;
	req->error.field[0] = '\0';
	snprintf(req->error.message, sizeof(req->error.message), "%s", msg);
}

/*
 * The path comes from REQUEST_URI (the request line as sent, which nginx
 * does not decode), decoded here exactly once.  DOCUMENT_URI and PATH_INFO,
 * the fallbacks, are already decoded by the web server and must not be
 * decoded a second time, or "%2525" would turn into "%".
 */
static void request_path(struct http_request *req, http_env_fn env, void *ctx,
			 bool *oom)
{
	struct arena *a = req->arena;
	const char *uri = env(ctx, "REQUEST_URI");
	const char *path;
	size_t n, len;
	char *dec;

	if (uri && *uri) {
		n = strcspn(uri, "?#");
		req->raw_path = arena_strndup(a, uri, n);
		if (!req->raw_path) {
			*oom = true;
			req->raw_path = "/";
			return;
		}
		dec = http_url_decode(a, uri, n, false, &len);
		if (!dec) {
			request_fail(req, 400,
				     "bad percent-encoding in the "
				     "address");
			return;
		}
		path = dec;
	} else {
		path = env_str(a, env, ctx, "DOCUMENT_URI", oom);
		if (!*path)
			path = env_str(a, env, ctx, "PATH_INFO", oom);
		if (!*path)
			path = "/";
		req->raw_path = path;
		len = strlen(path);
	}
	if (path[0] != '/') {
		request_fail(req, 400, "the address is not a path");
		return;
	}
	/* also refuses a decoded NUL */
	if (!utf8_valid(path, len)) {
		request_fail(req, 400, "the address is not valid UTF-8");
		return;
	}
	req->path = path;
}

/* REQUEST_START, nginx's $msec ("1764733800.123": seconds and
 * milliseconds of the wall clock), as microseconds waited until now. */
static int64_t queued_since(const char *msec)
{
	int64_t ms = 0;
	int digits = 0, frac = -1;
	for (const char *p = msec; p && *p; p++) {
		if (*p == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*p < '0' || *p > '9' || ++digits > 16)
			return 0;
		ms = ms * 10 + (*p - '0');
		if (frac >= 0 && ++frac > 3)
			return 0;
	}
	if (!digits || frac < 0)
		return 0;
	for (; frac < 3; frac++)
		ms *= 10;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t waited =
	    (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000 - ms * 1000;
	return waited >= 0 && waited <= 3600LL * 1000000 ? waited : 0;
}

int http_request_init_limits(struct http_request *req, struct arena *a,
			     http_env_fn env, void *env_ctx,
			     const struct http_limits *l)
{
	struct http_limits defaults;
	const char *uri, *q, *https;
	bool oom = false;

	if (!l) {
		http_limits_default(&defaults);
		l = &defaults;
	}
	memset(req, 0, sizeof(*req));
	req->arena = a;
	req->started_us = time_mono_us();
	req->queued_us = queued_since(env(env_ctx, "REQUEST_START"));
	req->route = -1;
	/* every string is valid even when parsing fails below */
	req->method_name = "GET";
	req->path = req->raw_path = "/";
	req->query = req->content_type = req->accept = req->user_agent = "";
	req->remote_addr = req->host = req->csrf_header = "";
	req->authorization = req->method_override = "";
	req->body = "";

	req->method_name = env_str(a, env, env_ctx, "REQUEST_METHOD", &oom);
	if (!*req->method_name)
		req->method_name = "GET";
	req->method = http_method_parse(req->method_name);
	req->content_type = env_str(a, env, env_ctx, "CONTENT_TYPE", &oom);
	req->accept = env_str(a, env, env_ctx, "HTTP_ACCEPT", &oom);
	req->user_agent = env_str(a, env, env_ctx, "HTTP_USER_AGENT", &oom);
	req->remote_addr = env_str(a, env, env_ctx, "REMOTE_ADDR", &oom);
	req->host = env_str(a, env, env_ctx, "HTTP_HOST", &oom);
	req->csrf_header = env_str(a, env, env_ctx, "HTTP_X_CSRF_TOKEN", &oom);
	req->authorization =
	    env_str(a, env, env_ctx, "HTTP_AUTHORIZATION", &oom);
	req->method_override =
	    env_str(a, env, env_ctx, "HTTP_X_HTTP_METHOD_OVERRIDE", &oom);
	https = env(env_ctx, "HTTPS");
	req->https = https && strcasecmp(https, "on") == 0;

	request_path(req, env, env_ctx, &oom);

	req->query = env_str(a, env, env_ctx, "QUERY_STRING", &oom);
	uri = env(env_ctx, "REQUEST_URI");
	if (!*req->query && uri && (q = strchr(uri, '?'))) {
		req->query = arena_strndup(a, q + 1, strcspn(q + 1, "#"));
		if (!req->query) {
			oom = true;
			req->query = "";
		}
	}
	if (!req->error.status)
		http_parse_urlencoded(a, req->query, strlen(req->query), l,
				      &req->query_params, &req->error);
	if (!req->error.status)
		http_parse_cookies(a, env(env_ctx, "HTTP_COOKIE"), l,
				   &req->cookies, &req->error);
	if (oom)
		request_fail(req, 500, "out of memory");
	return req->error.status ? -1 : 0;
}

int http_request_init(struct http_request *req, struct arena *a,
		      http_env_fn env, void *env_ctx)
{
	return http_request_init_limits(req, a, env, env_ctx, NULL);
}

/* "HTTP_X_LI_SIGNATURE" -> "x-li-signature" into the arena; NULL for a
 * variable that is no header (or out of memory: *oom). */
static const char *header_name(struct arena *a, const char *var, size_t n,
			       bool *oom)
{
	static const char *const plain[] = {"CONTENT_TYPE", "CONTENT_LENGTH"};
	bool header = n > 5 && !strncmp(var, "HTTP_", 5);
	for (size_t i = 0; !header && i < ARRAY_LEN(plain); i++)
		header = strlen(plain[i]) == n && !strncmp(var, plain[i], n);
	if (!header)
		return NULL;
	if (!strncmp(var, "HTTP_", 5)) {
		var += 5;
		n -= 5;
	}
	char *name = arena_strndup(a, var, n);
	if (!name) {
		*oom = true;
		return NULL;
	}
	for (char *p = name; *p; p++)
		*p = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
	return name;
}

int http_request_headers(struct http_request *req, char *const *envp,
			 const struct http_limits *l)
{
	struct http_limits defaults;
	struct http_header *v;
	size_t n = 0;
	bool oom = false;

	if (!l) {
		http_limits_default(&defaults);
		l = &defaults;
	}
	v = arena_calloc(req->arena, l->max_headers ? l->max_headers : 1,
			 sizeof(*v));
	if (!v) {
		request_fail(req, 500, "out of memory");
		return -1;
	}
	for (size_t i = 0; envp && envp[i]; i++) {
		const char *eq = strchr(envp[i], '=');
		const char *name =
		    eq ? header_name(req->arena, envp[i],
				     (size_t)(eq - envp[i]), &oom)
		       : NULL;
		if (!name)
			continue;
		if (n == l->max_headers) {
			request_fail(req, 431, "too many request headers");
			return -1;
		}
		v[n].name = name;
		v[n].value = arena_strdup(req->arena, eq + 1);
		if (!v[n].value) {
			oom = true;
			break;
		}
		n++;
	}
	req->headers = v;
	req->nheaders = n;
	if (oom) {
		request_fail(req, 500, "out of memory");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ one request */

/* Where a request comes from and goes to: FastCGI streams or stdio. */
struct io {
	FCGX_Request *fcgi; /* NULL: plain CGI */
};

static const char *io_env(void *ctx, const char *name)
{
	struct io *io = ctx;

	if (io->fcgi)
		return FCGX_GetParam(name, io->fcgi->envp);
	return getenv(name);
}

/* Every variable of the request, "NAME=value". */
static char *const *io_envp(struct io *io)
{
	extern char **environ;

	return io->fcgi ? io->fcgi->envp : environ;
}

/* Reads up to n bytes; fewer only at the end of the body. */
static size_t io_read(struct io *io, char *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		size_t chunk = n - got;
		int r;
		if (chunk > INT_MAX)
			chunk = INT_MAX;
		if (io->fcgi) {
			r = FCGX_GetStr(p + got, (int)chunk, io->fcgi->in);
		} else {
			size_t f = fread(p + got, 1, chunk, stdin);
			r = (int)f;
		}
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

/* The most a FastCGI record holds, a multiple of 8 (no padding). */
#define FCGI_RECORD_MAX 65528
/* Records a writev() at most (two iovecs each). */
#define FCGI_RECORDS_PER_WRITE 64

/*
 * The response as FCGI_STDOUT records of its own, written with writev()
 * straight to the connection: libfcgi's stream buffers 8 KB and writes
 * each full buffer, so a 20 KB page reached nginx in three writes, each a
 * wake-up and a read of nginx's (make bench: nginx's CPU per request on
 * the pages over 8 KB).  The stream is flushed first, so that the records
 * stay in order, and libfcgi closes it afterwards as before (its empty
 * record ends the output).  0, or -1 when the connection is gone.
 */
static int fcgi_write(FCGX_Request *r, const char *p, size_t n)
{
	unsigned char head[FCGI_RECORDS_PER_WRITE][8];
	struct iovec iov[2 * FCGI_RECORDS_PER_WRITE];

	if (FCGX_FFlush(r->out) < 0)
		return -1;
	while (n > 0) {
		int k = 0;
		size_t batch = 0;
		while (k < FCGI_RECORDS_PER_WRITE && batch < n) {
			size_t len = n - batch;
			if (len > FCGI_RECORD_MAX)
				len = FCGI_RECORD_MAX;
			unsigned char *h = head[k];
			h[0] = 1; /* FCGI_VERSION_1 */
			h[1] = 6; /* FCGI_STDOUT */
			h[2] = (unsigned char)((r->requestId >> 8) & 0xff);
			h[3] = (unsigned char)(r->requestId & 0xff);
			h[4] = (unsigned char)(len >> 8);
			h[5] = (unsigned char)(len & 0xff);
			h[6] = h[7] = 0;
			iov[2 * k] = (struct iovec){h, 8};
			iov[2 * k + 1] =
			    (struct iovec){(void *)(p + batch), len};
			batch += len;
			k++;
		}
		/* a blocking socket: writev returns short only when a signal
		 * came; carry on from where it stopped */
		struct iovec *v = iov;
		int nv = 2 * k;
		while (nv > 0) {
			ssize_t w = writev(r->ipcFd, v, nv);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -1;
			while (nv > 0 && (size_t)w >= v->iov_len) {
				w -= (ssize_t)v->iov_len;
				v++;
				nv--;
			}
			if (nv > 0) {
				v->iov_base = (char *)v->iov_base + w;
				v->iov_len -= (size_t)w;
			}
		}
		p += batch;
		n -= batch;
	}
	return 0;
}

static int io_write(struct io *io, const char *p, size_t n)
{
	if (!io->fcgi)
		return fwrite(p, 1, n, stdout) == n && fflush(stdout) == 0 ? 0
									   : -1;
	return fcgi_write(io->fcgi, p, n);
}

/*
 * An oversized body is read and thrown away rather than left unread: a
 * socket closed with unread data sends a reset, and nginx may then lose our
 * 413 and show a 502 instead.  nginx's client_max_body_size bounds it.
 */
static void drain(struct io *io, size_t n)
{
	char scratch[16384];

	while (n > 0) {
		size_t chunk = n < sizeof(scratch) ? n : sizeof(scratch);
		size_t got = io_read(io, scratch, chunk);
		if (got == 0)
			break;
		n -= got;
	}
}

static void read_body(struct http_request *req, size_t limit, struct io *io)
{
	const char *cl = io_env(io, "CONTENT_LENGTH");
	int64_t declared = 0;
	size_t got;
	char *body;

	if (cl && *cl && (parse_i64(cl, &declared) < 0 || declared < 0)) {
		request_fail(req, 400, "bad Content-Length");
		return;
	}
	if (declared == 0)
		return;
	if ((uint64_t)declared > limit) {
		req->error.status = 413;
		req->error.field[0] = '\0';
		snprintf(req->error.message, sizeof(req->error.message),
			 "request body too large (at most %zu bytes)", limit);
		drain(io, (size_t)declared);
		return;
	}
	body = arena_alloc(req->arena, (size_t)declared + 1);
	if (!body) {
		request_fail(req, 500, "out of memory");
		drain(io, (size_t)declared);
		return;
	}
	got = io_read(io, body, (size_t)declared);
	body[got] = '\0';
	req->body = body;
	req->body_len = got;
	if (got < (size_t)declared)
		request_fail(req, 400, "request body truncated");
}

/* Written when even the response could not be built. */
static const char fallback_500[] =
    "Status: 500 Internal Server Error\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 22\r\n"
    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Cache-Control: no-store\r\n"
    "\r\n"
    "Internal Server Error\n";

/* What a request held past http_server.queue_max_ms gets. */
static void busy_response(struct http_response *res)
{
	res->status = 503;
	res->content_type = "text/plain; charset=utf-8";
	http_header_add(res, "Retry-After", "1");
	buf_adds(&res->body, "hirelink is very busy right now. Please try "
			     "again in a moment.\n");
}

/* Reads req's body by the rule for it, and has the handler answer. */
static void handle(const struct http_server *srv, const struct http_limits *l,
		   void *ctx, struct http_request *req,
		   struct http_response *res, struct io *io)
{
	struct http_body_rule rule = {
	    .max_body = http_content_type_is(req->content_type,
					     "multipart/form-data")
			    ? l->max_upload
			    : l->max_body,
	};
	if (srv->body_rule) {
		size_t most = rule.max_body;
		srv->body_rule(ctx, req, &rule);
		if (rule.max_body > most)
			rule.max_body = most;
	}
	req->body_raw = rule.raw;
	read_body(req, rule.max_body, io);
	if (!req->error.status && !rule.raw)
		http_parse_body(req, l);
	srv->handler(ctx, req, res);

	if (buf_failed(&res->body)) {
		log_error("cannot build response for request %s: body failed",
			  req->request_id);
		res->status = 500;
		res->content_type = "text/plain; charset=utf-8";
		res->nheaders = 0;
		buf_release(&res->body);
		buf_adds(&res->body, "Internal Server Error\n");
	}
}

static void serve_one(const struct http_server *srv,
		      const struct http_limits *l, void *ctx, struct arena *a,
		      struct io *io, struct buf *out)
{
	struct http_request req;
	struct http_response res;
	bool head;

	http_json_arena(a);
	http_request_init_limits(&req, a, io_env, io, l);
	if (crypto_random_hex(req.request_id, 8) < 0) {
		/* only for correlating logs, so a weak id is acceptable */
		snprintf(req.request_id, sizeof(req.request_id), "%016llx",
			 (unsigned long long)req.started_us);
	}
	http_request_headers(&req, io_envp(io), l);
	memset(&res, 0, sizeof(res));
	res.status = 200;
	res.content_type = "text/html; charset=utf-8";
	res.arena = a;
	buf_init(&res.body, 0);
	if (srv->queue_max_ms > 0 &&
	    req.queued_us > (int64_t)srv->queue_max_ms * 1000)
		busy_response(&res);
	else
		handle(srv, l, ctx, &req, &res, io);

	head = req.method == HTTP_HEAD;
	buf_reset(out);
	http_response_serialize(&res, &srv->security, head, out);
	if (buf_failed(out)) {
		log_error("cannot serialise response for request %s",
			  req.request_id);
		res.status = 500;
		if (io_write(io, fallback_500, sizeof(fallback_500) - 1) < 0)
			log_debug("cannot write response for request %s",
				  req.request_id);
	} else if (io_write(io, out->data, out->len) < 0) {
		log_debug("cannot write response for request %s: client gone",
			  req.request_id);
	}
	if (srv->on_finish)
		srv->on_finish(ctx, &req, &res,
			       time_mono_us() - req.started_us);
	buf_release(&res.body);
	http_json_arena(NULL);
}

/* ------------------------------------------------------------ CGI */

static int serve_cgi(const struct http_server *srv, const struct http_limits *l)
{
	struct io io = {NULL};
	struct buf out = BUF_INIT;
	struct arena *a;
	void *ctx = NULL;

	if (srv->thread_init && !(ctx = srv->thread_init(srv->app, 0))) {
		log_error("cannot start: thread_init failed");
		return -1;
	}
	a = arena_new(64 * 1024);
	if (!a) {
		log_error("cannot create arena: out of memory");
		if (srv->thread_done && ctx)
			srv->thread_done(ctx);
		return -1;
	}
	serve_one(srv, l, ctx, a, &io, &out);
	buf_release(&out);
	arena_free(a);
	if (srv->thread_done && ctx)
		srv->thread_done(ctx);
	return 0;
}

/* ------------------------------------------------------------ FastCGI */

struct server_state {
	const struct http_server *srv;
	struct http_limits limits;
	int sock;
	pthread_mutex_t accept_lock;
	atomic_bool stopping;
	atomic_bool failed;
	pthread_t main_thread;
};

struct worker {
	struct server_state *st;
	int index;
	pthread_t tid;
};

static void stop_from_worker(struct server_state *st)
{
	st->failed = true;
	pthread_kill(st->main_thread, SIGTERM);
}

/* A response larger than this is not worth keeping the buffer for. */
#define OUT_KEEP_MAX (1024 * 1024)
/* A request that used more arena than this gives the memory back. */
#define BIG_REQUEST_BYTES (4u << 20)

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct server_state *st = w->st;
	const struct http_server *srv = st->srv;
	struct buf out = BUF_INIT;
	struct arena *a = NULL;
	FCGX_Request fr;
	struct io io = {&fr};
	void *ctx = NULL;
	int rc;

	if (srv->thread_init && !(ctx = srv->thread_init(srv->app, w->index))) {
		log_error("cannot start worker %d: thread_init failed",
			  w->index);
		stop_from_worker(st);
		return NULL;
	}
	a = arena_new(64 * 1024);
	if (!a || FCGX_InitRequest(&fr, st->sock, 0) != 0) {
		log_error("cannot start worker %d: out of memory", w->index);
		stop_from_worker(st);
		goto out;
	}
	while (!st->stopping) {
		/* A connection the web server kept open (FCGI_KEEP_CONN)
		 * brings its next request to this thread: waiting for it
		 * must not hold the accept lock the other threads need.
		 * nginx/ does not keep connections, since threads idling on
		 * kept connections would leave new ones unaccepted. */
		bool kept = fr.ipcFd >= 0;
		if (!kept)
			pthread_mutex_lock(&st->accept_lock);
		rc = st->stopping ? -1 : FCGX_Accept_r(&fr);
		if (!kept)
			pthread_mutex_unlock(&st->accept_lock);
		if (rc < 0) {
			struct timespec pause = {0, 100 * 1000 * 1000};
			if (st->stopping)
				break;
			/* EMFILE and the like pass; a broken socket does not */
			log_error("cannot accept fastcgi connection: %s",
				  strerror(-rc));
			if (rc == -EBADF || rc == -ENOTSOCK || rc == -EINVAL) {
				stop_from_worker(st);
				break;
			}
			nanosleep(&pause, NULL);
			continue;
		}
		serve_one(srv, &st->limits, ctx, a, &io, &out);
		/* libfcgi closes gracefully: it shuts down its side, then
		 * waits for the web server to close the other, lest data
		 * still coming make the kernel reset the connection; a poll
		 * and a round trip per request (6% of hirelink's CPU on the
		 * candidate page, make bench).  Once the request's input has
		 * been read to its end nothing more comes on a connection
		 * that is not kept, so it is closed at once. */
		if (!fr.keepConnection && FCGX_GetChar(fr.in) == EOF &&
		    FCGX_HasSeenEOF(fr.in) == EOF)
			fr.detached = 1;
		FCGX_Finish_r(&fr);
		bool big = arena_used(a) > BIG_REQUEST_BYTES;
		arena_reset(a);
		if (out.cap > OUT_KEEP_MAX)
			buf_release(&out);
		/* glibc keeps what a large request freed in this thread's
		 * malloc arena; hand it back so that the resident size stays
		 * that of an ordinary request, not of the largest one seen. */
		if (big)
			malloc_trim(0);
	}
	if (fr.ipcFd >= 0)
		FCGX_Free(&fr, 1);
out:
	buf_release(&out);
	arena_free(a);
	/* in this thread: libraries such as MariaDB's need per-thread
	 * cleanup to run in the thread that initialised them */
	if (srv->thread_done && ctx)
		srv->thread_done(ctx);
	return NULL;
}

/* A listen address without ':' is a unix socket path (libfcgi's rule). */
/* Gives a unix socket to group (NULL or "": keeps the process's), mode
 * 0660: the web server talks to it, other local users cannot (they could
 * otherwise speak FastCGI and choose their own REMOTE_ADDR).  0 or -1. */
static int restrict_socket(const char *path, const char *group)
{
	if (group && *group) {
		struct group gr, *found = NULL;
		char buf[4096];
		if (getgrnam_r(group, &gr, buf, sizeof(buf), &found) != 0 ||
		    !found) {
			log_error("listen_group %s: no such group", group);
			return -1;
		}
		if (chown(path, (uid_t)-1, found->gr_gid) < 0) {
			log_error("cannot give %s to group %s: %s", path, group,
				  strerror(errno));
			return -1;
		}
	}
	if (chmod(path, 0660) < 0) {
		log_error("cannot chmod %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_socket(const char *listen_addr, int backlog,
		       const char *group)
{
	bool is_unix = strchr(listen_addr, ':') == NULL;
	struct stat sb;
	int fd;

	/* a socket left behind by a previous run would make bind() fail;
	 * anything that is not a socket is a configuration error to report */
	if (is_unix && lstat(listen_addr, &sb) == 0 && S_ISSOCK(sb.st_mode))
		unlink(listen_addr);
	/* the kernel cuts a larger backlog down to net.core.somaxconn */
	fd = FCGX_OpenSocket(listen_addr, backlog > 0 ? backlog : INT_MAX);
	if (fd < 0) {
		log_error("cannot listen on %s: %s", listen_addr,
			  strerror(errno));
		return -1;
	}
	if (is_unix && restrict_socket(listen_addr, group) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int serve_fastcgi(const struct http_server *srv,
			 const struct http_limits *l, int sock)
{
	struct server_state st;
	struct worker *workers;
	sigset_t stop_set, old_set;
	int nthreads = srv->threads < 1 ? 1 : srv->threads;
	int started = 0, sig, i;

	memset(&st, 0, sizeof(st));
	st.srv = srv;
	st.limits = *l;
	st.sock = sock;
	pthread_mutex_init(&st.accept_lock, NULL);
	st.main_thread = pthread_self();

	workers = calloc((size_t)nthreads, sizeof(*workers));
	if (!workers) {
		log_error("cannot start workers: out of memory");
		pthread_mutex_destroy(&st.accept_lock);
		return -1;
	}
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_set, &old_set);

	for (i = 0; i < nthreads; i++) {
		int err;
		workers[i].st = &st;
		workers[i].index = i;
		err = pthread_create(&workers[i].tid, NULL, worker_main,
				     &workers[i]);
		if (err) {
			log_error("cannot start worker %d: %s", i,
				  strerror(err));
			st.failed = true;
			break;
		}
		started++;
	}
	if (!st.failed)
		while (sigwait(&stop_set, &sig) != 0)
			;
	log_info("stopping: finishing requests in progress");
	st.stopping = true;
	FCGX_ShutdownPending();
	/* wakes the worker blocked in accept() */
	shutdown(sock, SHUT_RDWR);
	for (i = 0; i < started; i++)
		pthread_join(workers[i].tid, NULL);

	/* a stop signal that arrived while stopping must not kill us later */
	{
		sigset_t pending;
		struct timespec zero = {0, 0};
		sigpending(&pending);
		while (sigismember(&pending, SIGTERM) ||
		       sigismember(&pending, SIGINT)) {
			sigtimedwait(&stop_set, NULL, &zero);
			sigpending(&pending);
		}
	}
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	pthread_mutex_destroy(&st.accept_lock);
	free(workers);
	return st.failed ? -1 : 0;
}

int http_serve(const struct http_server *srv)
{
	struct http_limits l;
	bool cgi;
	int sock = 0, rc;

	if (srv->limits)
		l = *srv->limits;
	else
		http_limits_default(&l);
	/* A client that goes away must cost a failed write, not the process.
	 * Set before FCGX_Init, which installs its own handler only over
	 * SIG_DFL. */
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0) {
		log_error("cannot initialise libfcgi");
		return -1;
	}
	/*
	 * stdin that is not a listening socket means CGI, unless a listen
	 * address is configured and no request is in the environment: then
	 * the program was merely started from a shell or a service manager.
	 * A listening socket on stdin (systemd's socket activation with
	 * StandardInput=socket, spawn-fcgi) is served whatever `listen`
	 * says: whoever made it owns it, so it is neither replaced nor
	 * removed (scripts/systemd/hirelink.socket).
	 */
	bool inherited = !FCGX_IsCGI();
	cgi = !inherited &&
	      (!srv->listen || !*srv->listen || getenv("REQUEST_METHOD"));
	if (cgi)
		return serve_cgi(srv, &l);
	if (!inherited && srv->listen && *srv->listen) {
		sock = open_socket(srv->listen, srv->backlog,
				   srv->listen_group);
		if (sock < 0)
			return -1;
	}
	log_info("serving fastcgi on %s with %d threads",
		 !inherited && srv->listen && *srv->listen
		     ? srv->listen
		     : "the socket on stdin",
		 srv->threads < 1 ? 1 : srv->threads);
	rc = serve_fastcgi(srv, &l, sock);
	if (sock > 0)
		close(sock);
	return rc;
}
