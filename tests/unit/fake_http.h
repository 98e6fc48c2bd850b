/*
 * fake_http.h - a fake HTTP server for the unit tests of src/linkedin: a
 * minimal HTTP/1.1 server on a free loopback port, in a thread of the test
 * process, that reads each request whole (its head, then its body by
 * Content-Length) and lets the test's handler answer it, one connection a
 * request.  test_linkedin.c (the client's wire) and test_linkedin_jobs.c
 * (the integration and job calls) each script it their own way.
 */
#ifndef HIRELINK_TEST_FAKE_HTTP_H
#define HIRELINK_TEST_FAKE_HTTP_H

#include <stddef.h>

/* Answers one request: req is its head and body, NUL-terminated, body
 * points at the body inside it (after the blank line).  Called by the
 * server's thread, one request at a time. */
typedef void (*fake_http_fn)(int fd, const char *req, const char *body);

/* Starts the server: base (n bytes) gets "http://127.0.0.1:<port>".  The
 * port, or -1 when it cannot listen. */
int fake_http_start(fake_http_fn serve, char *base, size_t n);

/* Writes an answer of status with a JSON body[0..len) and extra header
 * lines ("Name: v\r\n", or NULL). */
void fake_http_reply(int fd, int status, const char *extra, const char *body,
		     size_t len);

#endif
