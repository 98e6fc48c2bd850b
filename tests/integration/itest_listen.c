/*
 * itest_listen.c - a tiny HTTP server inside a test program (part of itest;
 * see itest.h), standing in for a customer's callback URL: it records
 * every request the sandbox's push notifications make (path, signature
 * header, raw body) and answers each with the next status of a script, so
 * a test sees what LinkedIn would send and makes the callback fail on
 * purpose.
 *
 * One thread accepts on 127.0.0.1 (a port the system picks), reads one
 * request per connection (headers, then Content-Length bytes), answers
 * with "Connection: close" and records it.  Enough for the sandbox's
 * notifications; it is no general server.
 */
#include "itest.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEARD   256
#define MAX_REQUEST (256 * 1024)

struct itest_listener {
	int fd;
	char url[64];
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	long script[16];
	size_t nscript, script_base; /* script[0] answers request script_base */
	struct itest_heard heard[MAX_HEARD];
	size_t nheard;
};

/* The value of header name in the header block head (NUL-terminated),
 * new; NULL when absent. */
static char *header_value(const char *head, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strstr(head, "\r\n"); p && p[2];
	     p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2;
		if (!strncasecmp(line, name, n) && line[n] == ':') {
			const char *v = line + n + 1;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			char *out = malloc(len + 1);
			if (!out)
				abort();
			memcpy(out, v, len);
			out[len] = '\0';
			return out;
		}
	}
	return NULL;
}

/* Reads one request from fd and records it; the status to answer. */
static void serve_one(struct itest_listener *l, int fd)
{
	char *req = malloc(MAX_REQUEST + 1);
	size_t len = 0, head_len = 0, want = 0;
	char *end = NULL;

	if (!req)
		abort();
	for (;;) {
		struct pollfd pf = {fd, POLLIN, 0};
		if (poll(&pf, 1, 5000) <= 0)
			break;
		ssize_t r = read(fd, req + len, MAX_REQUEST - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		req[len] = '\0';
		if (!end && (end = strstr(req, "\r\n\r\n"))) {
			head_len = (size_t)(end - req) + 4;
			end[2] = '\0'; /* the head, for header_value */
			char *cl = header_value(req, "Content-Length");
			want = head_len + (cl ? strtoul(cl, NULL, 10) : 0);
			free(cl);
			end[2] = '\r';
		}
		if (end && len >= want)
			break;
		if (len == MAX_REQUEST)
			break;
	}
	if (!end) {
		free(req);
		return;
	}
	pthread_mutex_lock(&l->mu);
	size_t k = l->nheard - l->script_base;
	long status = l->nscript ? l->script[k < l->nscript ? k : l->nscript - 1]
				 : 200;
	if (l->nheard < MAX_HEARD) {
		struct itest_heard *h = &l->heard[l->nheard];
		req[head_len - 2] = '\0';
		h->signature = header_value(req, "X-LI-Signature");
		h->content_type = header_value(req, "Content-Type");
		size_t plen = strcspn(req, " ");
		const char *path = req + plen + (req[plen] == ' ');
		h->path = malloc(strcspn(path, " ") + 1);
		if (!h->path)
			abort();
		memcpy(h->path, path, strcspn(path, " "));
		h->path[strcspn(path, " ")] = '\0';
		h->len = len > head_len ? len - head_len : 0;
		h->body = malloc(h->len + 1);
		if (!h->body)
			abort();
		memcpy(h->body, req + head_len, h->len);
		h->body[h->len] = '\0';
		h->answered = status;
		l->nheard++;
	}
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
	char answer[128];
	int n = snprintf(answer, sizeof(answer),
			 "HTTP/1.1 %ld Test\r\nContent-Length: 0\r\n"
			 "Connection: close\r\n\r\n",
			 status);
	if (write(fd, answer, (size_t)n) < 0) {
		/* the sandbox gave up on us: it records that itself */
	}
	free(req);
}

static void *listen_main(void *arg)
{
	struct itest_listener *l = arg;
	for (;;) {
		pthread_mutex_lock(&l->mu);
		bool stop = l->stop;
		pthread_mutex_unlock(&l->mu);
		if (stop)
			break;
		struct pollfd pf = {l->fd, POLLIN, 0};
		if (poll(&pf, 1, 100) <= 0)
			continue;
		int fd = accept(l->fd, NULL, NULL);
		if (fd < 0)
			continue;
		serve_one(l, fd);
		close(fd);
	}
	return NULL;
}

struct itest_listener *itest_listener_start(const long *statuses, size_t n)
{
	struct itest_listener *l = calloc(1, sizeof(*l));
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);

	if (!l)
		abort();
	l->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(l->fd, 64) < 0 ||
	    getsockname(l->fd, (struct sockaddr *)&a, &alen) < 0) {
		fprintf(stderr, "itest: cannot listen: %s\n", strerror(errno));
		if (l->fd >= 0)
			close(l->fd);
		free(l);
		return NULL;
	}
	snprintf(l->url, sizeof(l->url), "http://127.0.0.1:%u",
		 (unsigned)ntohs(a.sin_port));
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	itest_listener_answer(l, statuses, n);
	if (pthread_create(&l->tid, NULL, listen_main, l) != 0) {
		close(l->fd);
		free(l);
		return NULL;
	}
	return l;
}

const char *itest_listener_url(const struct itest_listener *l)
{
	return l->url;
}

void itest_listener_answer(struct itest_listener *l, const long *statuses,
			   size_t n)
{
	pthread_mutex_lock(&l->mu);
	if (n > sizeof(l->script) / sizeof(l->script[0]))
		n = sizeof(l->script) / sizeof(l->script[0]);
	for (size_t i = 0; i < n; i++)
		l->script[i] = statuses[i];
	l->nscript = n;
	/* the script counts from the next request on */
	l->script_base = l->nheard;
	pthread_mutex_unlock(&l->mu);
}

size_t itest_listener_wait(struct itest_listener *l, size_t n, int ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&l->mu);
	while (l->nheard < n &&
	       pthread_cond_timedwait(&l->cv, &l->mu, &until) == 0)
		;
	size_t heard = l->nheard;
	pthread_mutex_unlock(&l->mu);
	return heard;
}

bool itest_listener_heard(struct itest_listener *l, size_t i,
			  struct itest_heard *out)
{
	bool ok;
	pthread_mutex_lock(&l->mu);
	ok = i < l->nheard;
	if (ok)
		*out = l->heard[i];
	pthread_mutex_unlock(&l->mu);
	return ok;
}

void itest_listener_stop(struct itest_listener *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	l->stop = true;
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->tid, NULL);
	close(l->fd);
	for (size_t i = 0; i < l->nheard; i++) {
		free(l->heard[i].path);
		free(l->heard[i].signature);
		free(l->heard[i].content_type);
		free(l->heard[i].body);
	}
	pthread_cond_destroy(&l->cv);
	pthread_mutex_destroy(&l->mu);
	free(l);
}
