/*
 * fake_http.c - the unit tests' fake HTTP server (fake_http.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_http.h"

static int listen_fd = -1;
static fake_http_fn handler;

void fake_http_reply(int fd, int status, const char *extra, const char *body,
		     size_t len)
{
	char head[512];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n%s\r\n",
			 status, len, extra ? extra : "");
	if (write(fd, head, (size_t)n) < 0 || (len && write(fd, body, len) < 0))
		return;
}

/* Reads the request on fd (headers, then the body by Content-Length) and
 * hands it to the handler; a request cut short is dropped. */
static void serve_one(int fd)
{
	static char req[65536];
	size_t got = 0;
	char *end = NULL;
	while (got < sizeof(req) - 1) {
		ssize_t n = read(fd, req + got, sizeof(req) - 1 - got);
		if (n <= 0)
			return;
		got += (size_t)n;
		req[got] = '\0';
		if ((end = strstr(req, "\r\n\r\n"))) {
			const char *cl = strcasestr(req, "Content-Length:");
			size_t want = cl ? strtoul(cl + 15, NULL, 10) : 0;
			if (got >= (size_t)(end + 4 - req) + want)
				break;
		}
	}
	if (end)
		handler(fd, req, end + 4);
}

static void *server(void *arg)
{
	(void)arg;
	for (;;) {
		int fd = accept(listen_fd, NULL, NULL);
		if (fd < 0)
			return NULL;
		serve_one(fd);
		close(fd);
	}
}

int fake_http_start(fake_http_fn serve, char *base, size_t n)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	pthread_t t;

	handler = serve;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (listen_fd < 0 ||
	    bind(listen_fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(listen_fd, 64) < 0 ||
	    getsockname(listen_fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	snprintf(base, n, "http://127.0.0.1:%d", ntohs(a.sin_port));
	if (pthread_create(&t, NULL, server, NULL) != 0)
		return -1;
	pthread_detach(t);
	return ntohs(a.sin_port);
}
