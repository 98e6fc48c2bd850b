/*
 * hello.c - the baseline for `make bench`: the least a FastCGI responder
 * can do (libfcgi, one fixed answer), behind the same nginx as hirelink.
 * Same thread model as hirelink: N threads sharing one accept mutex.
 *
 *   hello SOCKET_PATH [THREADS]
 */
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int sock;
static pthread_mutex_t accept_lock = PTHREAD_MUTEX_INITIALIZER;

static void *serve(void *arg)
{
	FCGX_Request r;
	FCGX_InitRequest(&r, sock, 0);
	for (;;) {
		pthread_mutex_lock(&accept_lock);
		int rc = FCGX_Accept_r(&r);
		pthread_mutex_unlock(&accept_lock);
		if (rc < 0)
			break;
		FCGX_PutS("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n"
			  "hello, world\n",
			  r.out);
		FCGX_Finish_r(&r);
	}
	return arg;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: hello SOCKET [THREADS]\n");
		return 2;
	}
	int n = argc > 2 ? atoi(argv[2]) : 8;
	FCGX_Init();
	/* libfcgi's own SIGTERM handler only marks a shutdown for the next
	 * request, so a stopped bench would wait for its kill -9: stop now. */
	signal(SIGTERM, SIG_DFL);
	unlink(argv[1]);
	sock = FCGX_OpenSocket(argv[1], 128);
	if (sock < 0)
		return 1;
	chmod(argv[1], 0666);
	pthread_t t[64];
	if (n < 1 || n > 64)
		n = 8;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, serve, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
