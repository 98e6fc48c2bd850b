/*
 * test_http.c - unit tests of the http layer: the parsers, the router, the
 * response writer and the server, each named after what it guarantees.
 *
 * The parsers get the edge cases an attacker would try (bad escapes, NUL
 * and invalid UTF-8, limits exceeded by one, truncated multipart bodies,
 * binary file content that resembles a delimiter).  The server is run for
 * real in a forked child, once as plain CGI over pipes and once as FastCGI
 * over a unix socket spoken to with a small FastCGI client written here, so
 * the accept loop, the body limits and the SIGTERM shutdown are exercised
 * too; the child exits through exit() so LeakSanitizer checks it.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "core/core.h"
#include "http/http.h"
#include "../suite.h"

static struct arena *new_arena(void)
{
	struct arena *a = arena_new(4096);

	CU_ASSERT_FATAL(a != NULL);
	return a;
}

static struct http_limits limits(void)
{
	struct http_limits l;

	http_limits_default(&l);
	return l;
}

/* ------------------------------------------------------------ url decoding */

static void url_decode_plus_and_escapes(void)
{
	struct arena *a = new_arena();
	size_t n = 99;
	char *s;

	s = http_url_decode(a, "a+b%41%2f%C3%A9", 15, true, &n);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_STRING_EQUAL(s, "a bA/\xC3\xA9");
	CU_ASSERT_EQUAL(n, 7);
	s = http_url_decode(a, "a+b", 3, false, &n);
	CU_ASSERT_STRING_EQUAL(s, "a+b");
	s = http_url_decode(a, "", 0, true, &n);
	CU_ASSERT_STRING_EQUAL(s, "");
	CU_ASSERT_EQUAL(n, 0);
	/* only the n bytes given are read */
	s = http_url_decode(a, "ab%41", 2, true, &n);
	CU_ASSERT_STRING_EQUAL(s, "ab");
	arena_free(a);
}

static void url_decode_rejects_bad_escapes(void)
{
	struct arena *a = new_arena();
	size_t n;

	CU_ASSERT_PTR_NULL(http_url_decode(a, "%4", 2, true, &n));
	CU_ASSERT_PTR_NULL(http_url_decode(a, "x%", 2, true, &n));
	CU_ASSERT_PTR_NULL(http_url_decode(a, "%zz", 3, true, &n));
	CU_ASSERT_PTR_NULL(http_url_decode(a, "%4g", 3, true, &n));
	/* the decoder keeps a NUL; text checks refuse it later */
	char *s = http_url_decode(a, "a%00b", 5, true, &n);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT(memcmp(s, "a\0b", 3) == 0);
	arena_free(a);
}

/* ------------------------------------------------------------ urlencoded */

static int parse_form(struct arena *a, const char *s,
		      const struct http_limits *l, struct http_params *out,
		      struct http_error *err)
{
	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	return http_parse_urlencoded(a, s, strlen(s), l, out, err);
}

static void urlencoded_decodes_fields(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params p;
	struct http_error e;

	CU_ASSERT_EQUAL_FATAL(
	    parse_form(a, "title=Senior+C%2B%2B+dev&city=K%C3%B6ln&x=", &l, &p,
		       &e),
	    0);
	CU_ASSERT_EQUAL_FATAL(p.n, 3);
	CU_ASSERT_STRING_EQUAL(p.v[0].name, "title");
	CU_ASSERT_STRING_EQUAL(p.v[0].value, "Senior C++ dev");
	CU_ASSERT_EQUAL(p.v[0].len, 14);
	CU_ASSERT_STRING_EQUAL(p.v[1].value, "K\xC3\xB6ln");
	CU_ASSERT_STRING_EQUAL(p.v[2].name, "x");
	CU_ASSERT_STRING_EQUAL(p.v[2].value, "");
	CU_ASSERT_EQUAL(e.status, 0);
	arena_free(a);
}

static void urlencoded_skips_empty_pairs_and_keeps_bare_names(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params p;
	struct http_error e;

	CU_ASSERT_EQUAL_FATAL(parse_form(a, "&&a=1&&flag&=orphan&", &l, &p, &e),
			      0);
	CU_ASSERT_EQUAL_FATAL(p.n, 2);
	CU_ASSERT_STRING_EQUAL(p.v[0].name, "a");
	CU_ASSERT_STRING_EQUAL(p.v[0].value, "1");
	CU_ASSERT_STRING_EQUAL(p.v[1].name, "flag");
	CU_ASSERT_STRING_EQUAL(p.v[1].value, "");
	CU_ASSERT_EQUAL(parse_form(a, "", &l, &p, &e), 0);
	CU_ASSERT_EQUAL(p.n, 0);
	/* the first '=' splits; later ones belong to the value */
	CU_ASSERT_EQUAL_FATAL(parse_form(a, "k=a=b", &l, &p, &e), 0);
	CU_ASSERT_STRING_EQUAL(p.v[0].value, "a=b");
	arena_free(a);
}

static void urlencoded_many_fields_up_to_the_limit(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params p;
	struct http_error e;
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < l.max_fields; i++)
		buf_addf(&b, "%sf%zu=%zu", i ? "&" : "", i, i);
	CU_ASSERT_EQUAL_FATAL(parse_form(a, b.data, &l, &p, &e), 0);
	CU_ASSERT_EQUAL(p.n, l.max_fields);
	CU_ASSERT_STRING_EQUAL(p.v[200].name, "f200");
	CU_ASSERT_STRING_EQUAL(p.v[200].value, "200");

	buf_adds(&b, "&one=more");
	CU_ASSERT_EQUAL(parse_form(a, b.data, &l, &p, &e), -1);
	CU_ASSERT_EQUAL(e.status, 413);
	CU_ASSERT_STRING_EQUAL(e.message, "too many fields");
	buf_release(&b);
	arena_free(a);
}

static void urlencoded_too_long_value_is_413_naming_field(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params p;
	struct http_error e;

	l.max_field_len = 5;
	CU_ASSERT_EQUAL(parse_form(a, "bio=12345", &l, &p, &e), 0);
	/* the limit is on the decoded value */
	CU_ASSERT_EQUAL(parse_form(a, "bio=%31%32%33%34%35", &l, &p, &e), 0);
	CU_ASSERT_EQUAL(parse_form(a, "bio=123456", &l, &p, &e), -1);
	CU_ASSERT_EQUAL(e.status, 413);
	CU_ASSERT_STRING_EQUAL(e.field, "bio");

	l = limits();
	l.max_name_len = 4;
	CU_ASSERT_EQUAL(parse_form(a, "names=x", &l, &p, &e), -1);
	CU_ASSERT_EQUAL(e.status, 413);
	arena_free(a);
}

static void urlencoded_invalid_utf8_is_400_naming_field(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params p;
	struct http_error e;

	CU_ASSERT_EQUAL(parse_form(a, "ok=1&name=%FF%FE", &l, &p, &e), -1);
	CU_ASSERT_EQUAL(e.status, 400);
	CU_ASSERT_STRING_EQUAL(e.field, "name");
	CU_ASSERT_STRING_EQUAL(e.message, "is not valid UTF-8");
	/* overlong '/' */
	CU_ASSERT_EQUAL(parse_form(a, "p=%C0%AF", &l, &p, &e), -1);
	CU_ASSERT_EQUAL(e.status, 400);
	/* raw invalid bytes, not only escaped ones */
	CU_ASSERT_EQUAL(parse_form(a, "raw=\xE9t\xE9", &l, &p, &e), -1);
	CU_ASSERT_STRING_EQUAL(e.field, "raw");
	arena_free(a);
}

static void urlencoded_nul_and_bad_escape_are_400(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params p;
	struct http_error e;

	CU_ASSERT_EQUAL(parse_form(a, "q=a%00b", &l, &p, &e), -1);
	CU_ASSERT_EQUAL(e.status, 400);
	CU_ASSERT_STRING_EQUAL(e.field, "q");
	CU_ASSERT_EQUAL(parse_form(a, "q=%4", &l, &p, &e), -1);
	CU_ASSERT_EQUAL(e.status, 400);
	CU_ASSERT_STRING_EQUAL(e.field, "q");
	CU_ASSERT_STRING_EQUAL(e.message, "bad percent-encoding");
	CU_ASSERT_EQUAL(parse_form(a, "%zz=1", &l, &p, &e), -1);
	CU_ASSERT_EQUAL(e.status, 400);
	/* an unprintable field name is shown with '?' */
	CU_ASSERT_EQUAL(parse_form(a, "a%0Ab=%FF", &l, &p, &e), -1);
	CU_ASSERT_STRING_EQUAL(e.field, "a?b");
	arena_free(a);
}

/* ------------------------------------------------------------ cookies */

static void cookies_quoted_spaces_and_malformed_pairs(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params p = {0};
	struct http_error e = {0};
	struct http_request r;

	CU_ASSERT_EQUAL_FATAL(
	    http_parse_cookies(a,
			       "sid=abc123;theme=\"dark\";   lang = en ; "
			       "novalue; =x; sp=a b; bad\"q=1; ;ok=1",
			       &l, &p, &e),
	    0);
	CU_ASSERT_EQUAL_FATAL(p.n, 4);
	memset(&r, 0, sizeof(r));
	r.cookies = p;
	CU_ASSERT_STRING_EQUAL(http_cookie(&r, "sid"), "abc123");
	CU_ASSERT_STRING_EQUAL(http_cookie(&r, "theme"), "dark");
	CU_ASSERT_STRING_EQUAL(http_cookie(&r, "lang"), "en");
	CU_ASSERT_STRING_EQUAL(http_cookie(&r, "ok"), "1");
	CU_ASSERT_PTR_NULL(http_cookie(&r, "novalue"));
	CU_ASSERT_PTR_NULL(http_cookie(&r, "sp"));

	memset(&p, 0, sizeof(p));
	CU_ASSERT_EQUAL(http_parse_cookies(a, NULL, &l, &p, &e), 0);
	CU_ASSERT_EQUAL(http_parse_cookies(a, "", &l, &p, &e), 0);
	CU_ASSERT_EQUAL(p.n, 0);
	arena_free(a);
}

/* Cookies past the limits are skipped, never the request (a sibling
 * subdomain can set cookies for the whole domain): 51 cookies, or a name
 * over 128 characters, leave the others readable; our own __Host- ones
 * are kept past the count; over HTTPS http_cookie reads only those. */
static void cookies_past_the_limits_are_skipped(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params p = {0};
	struct http_error e = {0};
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, "first=1; ");
	for (i = 0; i < 128; i++)
		buf_addc(&b, 'n');
	buf_adds(&b, "n=long; ");
	for (i = 1; i < l.max_cookies; i++)
		buf_addf(&b, "c%zu=%zu; ", i, i);
	buf_adds(&b, "last=1; __Host-sid=ours; sid=planted");
	CU_ASSERT_EQUAL(http_parse_cookies(a, b.data, &l, &p, &e), 0);
	CU_ASSERT_EQUAL(e.status, 0);
	CU_ASSERT_EQUAL(p.n, l.max_cookies + 1);

	struct http_request r = {.cookies = p};
	CU_ASSERT_STRING_EQUAL(http_cookie(&r, "first"), "1");
	CU_ASSERT_STRING_EQUAL(http_cookie(&r, "c49"), "49");
	CU_ASSERT_PTR_NULL(http_cookie(&r, "last"));
	CU_ASSERT_PTR_NULL(http_cookie(&r, "sid")); /* past the count */
	r.https = true;
	CU_ASSERT_STRING_EQUAL(http_cookie(&r, "sid"), "ours");
	CU_ASSERT_PTR_NULL(http_cookie(&r, "first")); /* not ours over HTTPS */
	buf_release(&b);
	arena_free(a);
}

/* ------------------------------------------------------------ multipart */

#define CT_B "multipart/form-data; boundary=XyZ"

static int parse_mp(struct arena *a, const char *ct, const char *body,
		    size_t len, const struct http_limits *l,
		    struct http_params *f, struct http_files *files,
		    struct http_error *e)
{
	memset(f, 0, sizeof(*f));
	memset(files, 0, sizeof(*files));
	memset(e, 0, sizeof(*e));
	return http_parse_multipart(a, ct, body, len, l, f, files, e);
}

static void multipart_text_and_binary_file(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params f;
	struct http_files files;
	struct http_error e;
	/* file content with NULs, a lone CR, and a CRLF "--XY" that is not
	 * the delimiter */
	static const char file[] = "\x00\x01\r\n--XY\r\n\x00\xff\r";
	struct buf b = BUF_INIT;

	buf_adds(&b, "--XyZ\r\n"
		     "Content-Disposition: form-data; name=\"title\"\r\n"
		     "\r\n"
		     "C dev\r\nline two\r\n"
		     "--XyZ\r\n"
		     "content-disposition: form-data; name=\"cv\"; "
		     "filename=\"cv \xC3\xA9.bin\"\r\n"
		     "Content-Type: application/octet-stream\r\n"
		     "\r\n");
	buf_add(&b, file, sizeof(file) - 1);
	buf_adds(&b, "\r\n--XyZ\r\n"
		     "Content-Disposition: form-data; name=\"empty\"\r\n"
		     "\r\n"
		     "\r\n--XyZ--\r\nepilogue ignored");
	CU_ASSERT_EQUAL_FATAL(
	    parse_mp(a, CT_B, b.data, b.len, &l, &f, &files, &e), 0);
	CU_ASSERT_EQUAL_FATAL(f.n, 2);
	CU_ASSERT_STRING_EQUAL(f.v[0].name, "title");
	CU_ASSERT_STRING_EQUAL(f.v[0].value, "C dev\r\nline two");
	CU_ASSERT_STRING_EQUAL(f.v[1].name, "empty");
	CU_ASSERT_STRING_EQUAL(f.v[1].value, "");
	CU_ASSERT_EQUAL_FATAL(files.n, 1);
	CU_ASSERT_STRING_EQUAL(files.v[0].field, "cv");
	CU_ASSERT_STRING_EQUAL(files.v[0].filename, "cv \xC3\xA9.bin");
	CU_ASSERT_STRING_EQUAL(files.v[0].content_type,
			       "application/octet-stream");
	CU_ASSERT_EQUAL_FATAL(files.v[0].len, sizeof(file) - 1);
	CU_ASSERT(memcmp(files.v[0].data, file, sizeof(file) - 1) == 0);
	/* file data points into the body, it is not copied */
	CU_ASSERT(files.v[0].data > b.data && files.v[0].data < b.data + b.len);
	buf_release(&b);
	arena_free(a);
}

static void multipart_quoted_boundary_and_preamble(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params f;
	struct http_files files;
	struct http_error e;
	static const char body[] =
	    "preamble text\r\n"
	    "--a b=c\r\n"
	    "Content-Disposition: form-data; name=\"q\"; filename=\"\"\r\n"
	    "\r\n"
	    "\r\n"
	    "--a b=c  \r\n"
	    "Content-Disposition: form-data; name=x\r\n"
	    "\r\n"
	    "1\r\n"
	    "--a b=c--";

	CU_ASSERT_EQUAL_FATAL(parse_mp(a,
				       "Multipart/Form-Data; charset=utf-8; "
				       "BOUNDARY=\"a b=c\"",
				       body, sizeof(body) - 1, &l, &f, &files,
				       &e),
			      0);
	/* an empty file input still arrives as a file, with filename "" */
	CU_ASSERT_EQUAL_FATAL(files.n, 1);
	CU_ASSERT_STRING_EQUAL(files.v[0].filename, "");
	CU_ASSERT_STRING_EQUAL(files.v[0].content_type, "");
	CU_ASSERT_EQUAL(files.v[0].len, 0);
	CU_ASSERT_EQUAL_FATAL(f.n, 1);
	CU_ASSERT_STRING_EQUAL(f.v[0].name, "x");
	CU_ASSERT_STRING_EQUAL(f.v[0].value, "1");
	arena_free(a);
}

static void multipart_missing_boundary_is_400(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params f;
	struct http_files files;
	struct http_error e;

	CU_ASSERT_EQUAL(
	    parse_mp(a, "multipart/form-data", "x", 1, &l, &f, &files, &e), -1);
	CU_ASSERT_EQUAL(e.status, 400);
	CU_ASSERT_STRING_EQUAL(e.message, "missing multipart boundary");
	CU_ASSERT_EQUAL(parse_mp(a, "multipart/form-data; boundary=", "x", 1,
				 &l, &f, &files, &e),
			-1);
	CU_ASSERT_EQUAL(parse_mp(a, "multipart/form-data; boundary=\"abc", "x",
				 1, &l, &f, &files, &e),
			-1);
	CU_ASSERT_EQUAL(e.status, 400);
	arena_free(a);
}

static void multipart_truncated_and_malformed_are_400(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params f;
	struct http_files files;
	struct http_error e;
	static const char full[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n"
	    "\r\n"
	    "value\r\n"
	    "--XyZ--\r\n";
	static const char *bad[] = {
	    /* missing final boundary */
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "value\r\n--XyZ\r\n",
	    /* cut inside the content */
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nva",
	    /* cut inside the headers */
	    "--XyZ\r\nContent-Disposition: form-da",
	    /* no delimiter at all */
	    "just text",
	    /* bare LF line ends */
	    "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\nv\n"
	    "--XyZ--\n",
	    /* no name */
	    "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--",
	    /* no Content-Disposition */
	    "--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--",
	    /* unterminated quoted name */
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n"
	    "v\r\n--XyZ--",
	    /* delimiter followed by junk */
	    "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "v\r\n--XyZjunk\r\n",
	    "",
	};
	size_t i, cut;

	CU_ASSERT_EQUAL(
	    parse_mp(a, CT_B, full, sizeof(full) - 1, &l, &f, &files, &e), 0);
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		CU_ASSERT_EQUAL(parse_mp(a, CT_B, bad[i], strlen(bad[i]), &l,
					 &f, &files, &e),
				-1);
		CU_ASSERT_EQUAL(e.status, 400);
	}
	CU_ASSERT_STRING_EQUAL(e.message, "malformed multipart body");
	/* every prefix short of the closing "--" is refused */
	for (cut = 0; cut < sizeof(full) - 3 - 2; cut++)
		CU_ASSERT_EQUAL(
		    parse_mp(a, CT_B, full, cut, &l, &f, &files, &e), -1);
	arena_free(a);
}

static void multipart_limits_and_utf8(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_params f;
	struct http_files files;
	struct http_error e;
	static const char bad_utf8[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"bio\"\r\n\r\n"
	    "\xC3\x28\r\n--XyZ--";
	static const char three[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"b\"; "
	    "filename=\"b.txt\"\r\n\r\n2\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"c\"\r\n\r\n"
	    "3\r\n--XyZ--";

	CU_ASSERT_EQUAL(parse_mp(a, CT_B, bad_utf8, sizeof(bad_utf8) - 1, &l,
				 &f, &files, &e),
			-1);
	CU_ASSERT_EQUAL(e.status, 400);
	CU_ASSERT_STRING_EQUAL(e.field, "bio");
	CU_ASSERT_STRING_EQUAL(e.message, "is not valid UTF-8");

	CU_ASSERT_EQUAL(
	    parse_mp(a, CT_B, three, sizeof(three) - 1, &l, &f, &files, &e), 0);
	/* files count against the field limit too */
	l.max_fields = 2;
	CU_ASSERT_EQUAL(
	    parse_mp(a, CT_B, three, sizeof(three) - 1, &l, &f, &files, &e),
	    -1);
	CU_ASSERT_EQUAL(e.status, 413);
	l = limits();
	l.max_field_len = 0;
	CU_ASSERT_EQUAL(
	    parse_mp(a, CT_B, three, sizeof(three) - 1, &l, &f, &files, &e),
	    -1);
	CU_ASSERT_EQUAL(e.status, 413);
	CU_ASSERT_STRING_EQUAL(e.field, "a");
	arena_free(a);
}

/* The parts of a multipart/mixed body, as a tunnelled request carries its
 * query and its body: any headers, content types as sent, content in
 * place, at most max of them. */
static void multipart_mixed_parts(void)
{
	struct arena *a = new_arena();
	struct http_part p[3];
	struct http_error e = {0};
	size_t n = 99;
	static const char body[] =
	    "--xyz\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n"
	    "\r\n"
	    "q=a&ids=1\r\n"
	    "--xyz\r\n"
	    "Content-Disposition: inline\r\n"
	    "Content-Type: application/json\r\n"
	    "\r\n"
	    "{\"x\":\r\n1}\r\n"
	    "--xyz\r\n"
	    "\r\n"
	    "\r\n"
	    "--xyz--\r\n";
	const char *ct = "multipart/mixed; boundary=xyz";

	CU_ASSERT_EQUAL_FATAL(
	    http_parse_parts(a, ct, body, sizeof(body) - 1, p, 3, &n, &e), 0);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_STRING_EQUAL(p[0].content_type,
			       "application/x-www-form-urlencoded");
	CU_ASSERT(p[0].len == 9 && !memcmp(p[0].data, "q=a&ids=1", 9));
	CU_ASSERT_STRING_EQUAL(p[1].content_type, "application/json");
	CU_ASSERT(p[1].len == 9 && !memcmp(p[1].data, "{\"x\":\r\n1}", 9));
	CU_ASSERT(p[1].data > body && p[1].data < body + sizeof(body));
	CU_ASSERT_STRING_EQUAL(p[2].content_type, "");
	CU_ASSERT_EQUAL(p[2].len, 0);

	CU_ASSERT_EQUAL(
	    http_parse_parts(a, ct, body, sizeof(body) - 1, p, 2, &n, &e), -1);
	CU_ASSERT_EQUAL(e.status, 413);
	CU_ASSERT_STRING_EQUAL(e.message, "too many parts");
	CU_ASSERT_EQUAL(http_parse_parts(a, ct, body, 40, p, 3, &n, &e), -1);
	CU_ASSERT_EQUAL(e.status, 400);
	CU_ASSERT_STRING_EQUAL(e.message, "malformed multipart body");
	CU_ASSERT_EQUAL(http_parse_parts(a, "multipart/mixed", body,
					 sizeof(body) - 1, p, 3, &n, &e),
			-1);
	CU_ASSERT_STRING_EQUAL(e.message, "missing multipart boundary");
	arena_free(a);
}

/* ------------------------------------------------------------ JSON */

static void json_object_and_array_accepted(void)
{
	struct http_limits l = limits();
	struct http_error e = {0};
	json_t *j;
	const char *s =
	    "{\"name\": \"Ada\", \"tags\": [1, 2, {\"x\": \"[[[\"}]}";

	CU_ASSERT_EQUAL_FATAL(http_parse_json(s, strlen(s), &l, &j, &e), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "name")),
			       "Ada");
	json_decref(j);
	CU_ASSERT_EQUAL_FATAL(http_parse_json("[]", 2, &l, &j, &e), 0);
	json_decref(j);
}

static char *nested(size_t depth)
{
	char *s = malloc(2 * depth + 1);
	size_t i;

	for (i = 0; i < depth; i++) {
		s[i] = '[';
		s[depth + i] = ']';
	}
	s[2 * depth] = '\0';
	return s;
}

/* Too deep is 400 (malformed for us), not 413: it is not a size. */
static void json_depth_over_limit_is_400(void)
{
	struct http_limits l = limits();
	struct http_error e = {0};
	json_t *j;
	char *ok = nested(32), *deep = nested(33), *huge = nested(100000);

	CU_ASSERT_EQUAL(http_parse_json(ok, strlen(ok), &l, &j, &e), 0);
	json_decref(j);
	CU_ASSERT_EQUAL(http_parse_json(deep, strlen(deep), &l, &j, &e), -1);
	CU_ASSERT_EQUAL(e.status, 400);
	CU_ASSERT_PTR_NULL(j);
	CU_ASSERT_EQUAL(http_parse_json(huge, strlen(huge), &l, &j, &e), -1);
	CU_ASSERT_EQUAL(e.status, 400);
	free(ok);
	free(deep);
	free(huge);
}

static void json_garbage_scalars_and_duplicates_are_400(void)
{
	struct http_limits l = limits();
	static const char *bad[] = {
	    "",
	    "{",
	    "garbage",
	    "1",
	    "\"s\"",
	    "{\"a\":1}x",
	    "{\"a\":1,\"a\":2}",
	    "{\"a\":\"\\u0000\"}",
	    "[\"\xFF\"]",
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(bad); i++) {
		struct http_error e = {0};
		json_t *j = (json_t *)1;
		CU_ASSERT_EQUAL(
		    http_parse_json(bad[i], strlen(bad[i]), &l, &j, &e), -1);
		CU_ASSERT_EQUAL(e.status, 400);
		CU_ASSERT_PTR_NULL(j);
	}
}

/* ------------------------------------------------------------ body */

static void body_dispatches_on_content_type(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_request r;

	memset(&r, 0, sizeof(r));
	r.arena = a;
	r.content_type = "application/x-www-form-urlencoded; charset=UTF-8";
	r.body = "name=Ada&email=ada%40example.org";
	r.body_len = strlen(r.body);
	CU_ASSERT_EQUAL(http_parse_body(&r, &l), 0);
	CU_ASSERT_STRING_EQUAL(http_form(&r, "email"), "ada@example.org");

	memset(&r, 0, sizeof(r));
	r.arena = a;
	r.content_type = "application/json";
	r.body = "{\"stage\": \"offer\"}";
	r.body_len = strlen(r.body);
	CU_ASSERT_EQUAL_FATAL(http_parse_body(&r, &l), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(r.json, "stage")), "offer");

	/* unknown types keep the raw body and produce no parameters */
	memset(&r, 0, sizeof(r));
	r.arena = a;
	r.content_type = "text/plain";
	r.body = "a=1";
	r.body_len = 3;
	CU_ASSERT_EQUAL(http_parse_body(&r, &l), 0);
	CU_ASSERT_EQUAL(r.form.n, 0);
	CU_ASSERT_PTR_NULL(r.json);
	/* the json reference is released here; ASan reports a leak if not */
	arena_free(a);
}

static void body_and_query_share_the_field_limit(void)
{
	struct arena *a = new_arena();
	struct http_limits l = limits();
	struct http_request r;
	struct http_error e = {0};

	l.max_fields = 3;
	memset(&r, 0, sizeof(r));
	r.arena = a;
	CU_ASSERT_EQUAL(
	    http_parse_urlencoded(a, "q=1&p=2", 7, &l, &r.query_params, &e), 0);
	r.content_type = "application/x-www-form-urlencoded";
	r.body = "a=1&b=2";
	r.body_len = 7;
	CU_ASSERT_EQUAL(http_parse_body(&r, &l), -1);
	CU_ASSERT_EQUAL(r.error.status, 413);

	/* lookups: form first, then query */
	memset(&r, 0, sizeof(r));
	r.arena = a;
	http_parse_urlencoded(a, "id=q&only=q", 11, &l, &r.query_params, &e);
	r.content_type = "application/x-www-form-urlencoded";
	r.body = "id=f";
	r.body_len = 4;
	CU_ASSERT_EQUAL(http_parse_body(&r, &l), 0);
	CU_ASSERT_STRING_EQUAL(http_param(&r, "id"), "f");
	CU_ASSERT_STRING_EQUAL(http_param(&r, "only"), "q");
	CU_ASSERT_STRING_EQUAL(http_query(&r, "id"), "q");
	CU_ASSERT_PTR_NULL(http_param(&r, "none"));
	CU_ASSERT_PTR_NULL(http_file(&r, "none"));
	arena_free(a);
}

/* ------------------------------------------------------------ router */

struct app_route {
	struct http_route route; /* first, as http_route_find requires */
	const char *tag;
};

static const struct app_route app_routes[] = {
    {{HTTP_GET, "/"}, "home"},
    {{HTTP_GET, "/jobs"}, "jobs"},
    {{HTTP_POST, "/jobs"}, "jobs_create"},
    {{HTTP_GET, "/jobs/new"}, "jobs_new"},
    {{HTTP_GET, "/jobs/{id}"}, "job"},
    {{HTTP_POST, "/jobs/{id}/close"}, "job_close"},
    {{HTTP_GET | HTTP_POST, "/candidates/{cid}/notes/{nid}"}, "note"},
    {{HTTP_DELETE, "/jobs/{id}"}, "job_delete"},
};

static int find(enum http_method m, const char *path, struct arena *a,
		struct http_match *match, unsigned *allowed)
{
	return http_route_find(&app_routes[0].route, sizeof(app_routes[0]),
			       ARRAY_LEN(app_routes), m, path, a, match,
			       allowed);
}

static void router_literals_and_captures(void)
{
	struct arena *a = new_arena();
	struct http_match m;
	unsigned allowed;

	CU_ASSERT_EQUAL(find(HTTP_GET, "/", a, &m, &allowed), 0);
	CU_ASSERT_EQUAL(m.ncaptures, 0);
	CU_ASSERT_EQUAL(find(HTTP_GET, "/jobs", a, &m, &allowed), 1);
	CU_ASSERT_EQUAL(find(HTTP_POST, "/jobs", a, &m, &allowed), 2);
	/* table order: the literal row comes before the capture */
	CU_ASSERT_EQUAL(find(HTTP_GET, "/jobs/new", a, &m, &allowed), 3);
	CU_ASSERT_EQUAL_FATAL(find(HTTP_GET, "/jobs/42", a, &m, &allowed), 4);
	CU_ASSERT_EQUAL(m.route, 4);
	CU_ASSERT_EQUAL_FATAL(m.ncaptures, 1);
	CU_ASSERT_STRING_EQUAL(m.captures[0], "42");
	CU_ASSERT_STRING_EQUAL(app_routes[m.route].tag, "job");
	CU_ASSERT_EQUAL_FATAL(
	    find(HTTP_POST, "/candidates/7/notes/x y", a, &m, &allowed), 6);
	CU_ASSERT_EQUAL_FATAL(m.ncaptures, 2);
	CU_ASSERT_STRING_EQUAL(m.captures[0], "7");
	CU_ASSERT_STRING_EQUAL(m.captures[1], "x y");
	CU_ASSERT_EQUAL(find(HTTP_DELETE, "/jobs/9", a, &m, &allowed), 7);
	arena_free(a);
}

static void router_not_found_and_trailing_slash(void)
{
	struct arena *a = new_arena();
	struct http_match m;
	unsigned allowed = 123;
	static const char *missing[] = {
	    "/jobs/",
	    "/jobs//close",
	    "/jobs/1/close/",
	    "//",
	    "/job",
	    "/jobsx",
	    "/jobs/1/2",
	    "",
	    "/candidates/7/notes/",
	    "/candidates//notes/1",
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(missing); i++) {
		CU_ASSERT_EQUAL(find(HTTP_GET, missing[i], a, &m, &allowed),
				HTTP_ROUTE_NOT_FOUND);
		CU_ASSERT_EQUAL(allowed, 0);
	}
	arena_free(a);
}

static void router_bad_method_reports_allowed(void)
{
	struct arena *a = new_arena();
	struct http_match m;
	unsigned allowed = 0;

	CU_ASSERT_EQUAL(find(HTTP_DELETE, "/jobs", a, &m, &allowed),
			HTTP_ROUTE_BAD_METHOD);
	CU_ASSERT_EQUAL(allowed, HTTP_GET | HTTP_HEAD | HTTP_POST);
	CU_ASSERT_STRING_EQUAL(http_methods_list(a, allowed),
			       "GET, HEAD, POST");
	CU_ASSERT_EQUAL(find(HTTP_GET, "/jobs/1/close", a, &m, &allowed),
			HTTP_ROUTE_BAD_METHOD);
	CU_ASSERT_EQUAL(allowed, HTTP_POST);
	/* the union over every row whose pattern matched */
	CU_ASSERT_EQUAL(find(HTTP_PUT, "/jobs/5", a, &m, &allowed),
			HTTP_ROUTE_BAD_METHOD);
	CU_ASSERT_EQUAL(allowed, HTTP_GET | HTTP_HEAD | HTTP_DELETE);
	/* HEAD is served by GET routes */
	CU_ASSERT_EQUAL(find(HTTP_HEAD, "/jobs/5", a, &m, &allowed), 4);
	CU_ASSERT_STRING_EQUAL(m.captures[0], "5");
	CU_ASSERT_EQUAL(find(HTTP_HEAD, "/jobs/5/close", a, &m, &allowed),
			HTTP_ROUTE_BAD_METHOD);
	CU_ASSERT_EQUAL(find(HTTP_OTHER, "/", a, NULL, NULL),
			HTTP_ROUTE_BAD_METHOD);
	CU_ASSERT_EQUAL(http_method_parse("PATCH"), HTTP_PATCH);
	CU_ASSERT_EQUAL(http_method_parse("get"), HTTP_OTHER);
	arena_free(a);
}

static void a_route_method_is_named(void)
{
	CU_ASSERT_STRING_EQUAL(http_method_name(HTTP_POST), "POST");
	CU_ASSERT_STRING_EQUAL(http_method_name(HTTP_OPTIONS), "OPTIONS");
	CU_ASSERT_PTR_NULL(http_method_name(HTTP_GET | HTTP_HEAD));
	CU_ASSERT_PTR_NULL(http_method_name(HTTP_OTHER));
	CU_ASSERT_PTR_NULL(http_method_name(0));
}

/* ------------------------------------------------------------ response */

static void response_init(struct http_response *res, struct arena *a)
{
	memset(res, 0, sizeof(*res));
	res->status = 200;
	res->arena = a;
	buf_init(&res->body, 0);
}

static const char *security_headers[] = {
    "\r\nContent-Security-Policy: default-src 'self'; ",
    "frame-ancestors 'none'\r\n",
    "\r\nX-Content-Type-Options: nosniff\r\n",
    "\r\nReferrer-Policy: same-origin\r\n",
    "\r\nX-Frame-Options: DENY\r\n",
};

static void serialize_adds_security_headers_on_every_status(void)
{
	static const int statuses[] = {200, 204, 302, 304, 400, 403, 404,
				       405, 413, 500, 503, 0,	42};
	struct arena *a = new_arena();
	struct http_security sec = {NULL};
	size_t i, k;

	for (i = 0; i < ARRAY_LEN(statuses); i++) {
		struct http_response res;
		struct buf out = BUF_INIT;
		response_init(&res, a);
		res.status = statuses[i];
		buf_adds(&res.body, "<p>hi</p>");
		http_response_serialize(&res, &sec, false, &out);
		CU_ASSERT(strncmp(out.data, "Status: ", 8) == 0);
		for (k = 0; k < ARRAY_LEN(security_headers); k++)
			CU_ASSERT_PTR_NOT_NULL(
			    strstr(out.data, security_headers[k]));
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(out.data, "\r\nCache-Control: no-store\r\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "\r\n\r\n"));
		buf_release(&out);
		buf_release(&res.body);
	}
	arena_free(a);
}

static void serialize_writes_status_length_and_body(void)
{
	struct arena *a = new_arena();
	struct http_response res;
	struct buf out = BUF_INIT;
	const char *end;

	response_init(&res, a);
	res.status = 404;
	res.content_type = "text/plain; charset=utf-8";
	buf_adds(&res.body, "not here");
	CU_ASSERT_EQUAL(http_header_add(&res, "X-Request-Id", "abc"), 0);
	CU_ASSERT_EQUAL(http_header_add(&res, "Cache-Control", "max-age=60"),
			0);
	http_response_serialize(&res, NULL, false, &out);
	CU_ASSERT(strncmp(out.data, "Status: 404 Not Found\r\n", 23) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    out.data, "\r\nContent-Type: text/plain; charset=utf-8\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "\r\nContent-Length: 8\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "\r\nX-Request-Id: abc\r\n"));
	/* the handler's Cache-Control replaces the default */
	CU_ASSERT_PTR_NULL(strstr(out.data, "no-store"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out.data, "\r\nCache-Control: max-age=60\r\n"));
	end = strstr(out.data, "\r\n\r\n");
	CU_ASSERT_FATAL(end != NULL);
	CU_ASSERT_STRING_EQUAL(end + 4, "not here");
	buf_release(&out);

	/* HEAD: same headers, same Content-Length, no body */
	http_response_serialize(&res, NULL, true, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "\r\nContent-Length: 8\r\n"));
	CU_ASSERT(out.len >= 4 &&
		  strcmp(out.data + out.len - 4, "\r\n\r\n") == 0);
	CU_ASSERT_PTR_NULL(strstr(out.data, "not here"));
	buf_release(&out);
	buf_release(&res.body);
	arena_free(a);
}

static void serialize_csp_with_extra_origins(void)
{
	struct http_security none = {NULL};
	struct http_security sandbox = {"http://127.0.0.1:8081", NULL};
	struct http_security linkedin = {"https://platform.linkedin.com",
					 "https://www.linkedin.com"};
	struct http_security evil = {"x; script-src *", "y; frame-src *"};
	struct buf b = BUF_INIT;

	http_csp(&none, NULL, &b);
	CU_ASSERT_STRING_EQUAL(b.data,
			       "default-src 'self'; script-src 'self'; "
			       "frame-src 'none'; style-src 'self'; "
			       "img-src 'self' data:; object-src 'none'; "
			       "base-uri 'none'; form-action 'self'; "
			       "frame-ancestors 'none'");
	buf_reset(&b);
	http_csp(&sandbox, NULL, &b);
	CU_ASSERT_STRING_EQUAL(
	    b.data, "default-src 'self'; "
		    "script-src 'self' http://127.0.0.1:8081; "
		    "frame-src http://127.0.0.1:8081; style-src 'self'; "
		    "img-src 'self' data:; object-src 'none'; "
		    "base-uri 'none'; "
		    "form-action 'self' http://127.0.0.1:8081; "
		    "frame-ancestors 'none'");
	/* scripts from the platform, frames from the widget's origin only */
	buf_reset(&b);
	http_csp(&linkedin, NULL, &b);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    b.data, "script-src 'self' https://platform.linkedin.com; "
		    "frame-src https://www.linkedin.com; "));
	/* a value that would add a directive is ignored */
	buf_reset(&b);
	http_csp(&evil, NULL, &b);
	CU_ASSERT_PTR_NULL(strstr(b.data, "script-src *"));
	CU_ASSERT_PTR_NULL(strstr(b.data, "frame-src *"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "frame-src 'none'"));
	buf_release(&b);
}

/* A response may name the origins that may frame it; every other keeps
 * frame-ancestors 'none' and X-Frame-Options: DENY. */
static void serialize_frame_ancestors_from_the_response(void)
{
	struct arena *a = new_arena();
	struct http_security sec = {NULL};
	struct http_response res;
	struct buf out = BUF_INIT;

	response_init(&res, a);
	res.frame_ancestors = "http://127.0.0.1:8080";
	http_response_serialize(&res, &sec, false, &out);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out.data, "; frame-ancestors http://127.0.0.1:8080\r\n"));
	CU_ASSERT_PTR_NULL(strstr(out.data, "frame-ancestors 'none'"));
	CU_ASSERT_PTR_NULL(strstr(out.data, "X-Frame-Options"));
	buf_release(&out);

	/* a value that would add a directive frames nothing */
	res.frame_ancestors = "x; script-src *";
	http_response_serialize(&res, &sec, false, &out);
	CU_ASSERT_PTR_NULL(strstr(out.data, "script-src *"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out.data, "; frame-ancestors 'none'\r\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out.data, "\r\nX-Frame-Options: DENY\r\n"));
	buf_release(&out);
	buf_release(&res.body);
	arena_free(a);
}

static void header_injection_is_refused(void)
{
	struct arena *a = new_arena();
	struct http_response res;
	struct buf out = BUF_INIT;
	size_t i;

	response_init(&res, a);
	CU_ASSERT_EQUAL(http_header_add(&res, "X-A", "a\r\nSet-Cookie: x=1"),
			-1);
	CU_ASSERT_EQUAL(http_header_add(&res, "X-A", "a\nb"), -1);
	CU_ASSERT_EQUAL(http_header_add(&res, "X-A", "a\rb"), -1);
	CU_ASSERT_EQUAL(http_header_add(&res, "X-A: b\r\nX-B", "c"), -1);
	CU_ASSERT_EQUAL(http_header_add(&res, "", "c"), -1);
	CU_ASSERT_EQUAL(http_header_add(&res, "Content-Length", "1"), -1);
	CU_ASSERT_EQUAL(http_header_add(&res, "Status", "200"), -1);
	CU_ASSERT_EQUAL(http_header_add(&res, "X-Tab", "a\tb"), 0);
	CU_ASSERT_EQUAL(res.nheaders, 1);
	/* Content-Type through a header sets the content type */
	CU_ASSERT_EQUAL(http_header_add(&res, "content-type", "text/csv"), 0);
	CU_ASSERT_STRING_EQUAL(res.content_type, "text/csv");
	CU_ASSERT_EQUAL(res.nheaders, 1);
	/* headers written straight into the array are checked as well */
	res.headers[res.nheaders].name = "X-Direct";
	res.headers[res.nheaders].value = "v\r\nInjected: 1";
	res.nheaders++;
	res.content_type = "text/html\r\nInjected: 2";
	http_response_serialize(&res, NULL, false, &out);
	CU_ASSERT_PTR_NULL(strstr(out.data, "Injected"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out.data, "Content-Type: text/html; charset=utf-8\r\n"));
	buf_release(&out);

	/* the header array is bounded */
	response_init(&res, a);
	for (i = 0; i < HTTP_MAX_HEADERS; i++)
		CU_ASSERT_EQUAL(http_header_add(&res, "X-N", "1"), 0);
	CU_ASSERT_EQUAL(http_header_add(&res, "X-N", "1"), -1);
	arena_free(a);
}

static void cookies_and_redirects_are_written(void)
{
	struct arena *a = new_arena();
	struct http_response res;

	response_init(&res, a);
	CU_ASSERT_EQUAL(http_set_cookie(&res, "sid", "abc", -1, false), 0);
	CU_ASSERT_STRING_EQUAL(res.headers[0].name, "Set-Cookie");
	CU_ASSERT_STRING_EQUAL(res.headers[0].value,
			       "sid=abc; Path=/; HttpOnly; SameSite=Lax");
	CU_ASSERT_EQUAL(http_set_cookie(&res, "sid", "abc", 3600, true), 0);
	/* over HTTPS with the __Host- prefix, which binds it to this host */
	CU_ASSERT_STRING_EQUAL(res.headers[1].value,
			       "__Host-sid=abc; Path=/; Max-Age=3600; HttpOnly; "
			       "SameSite=Lax; Secure");
	CU_ASSERT_EQUAL(http_set_cookie(&res, "sid", "", 0, false), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(res.headers[2].value, "Max-Age=0"));
	CU_ASSERT_EQUAL(http_set_cookie(&res, "sid", "a;b", -1, false), -1);
	CU_ASSERT_EQUAL(http_set_cookie(&res, "sid", "a\r\nb", -1, false), -1);
	CU_ASSERT_EQUAL(http_set_cookie(&res, "s=d", "a", -1, false), -1);

	response_init(&res, a);
	http_redirect(&res, 303, "/jobs?q=\"<x>\"");
	CU_ASSERT_EQUAL(res.status, 303);
	CU_ASSERT_STRING_EQUAL(res.headers[0].name, "Location");
	CU_ASSERT_STRING_EQUAL(res.headers[0].value, "/jobs?q=\"<x>\"");
	CU_ASSERT_PTR_NOT_NULL(strstr(res.body.data, "&lt;x&gt;"));
	CU_ASSERT_PTR_NULL(strstr(res.body.data, "<x>"));
	buf_release(&res.body);

	response_init(&res, a);
	http_redirect(&res, 302, "/ok\r\nSet-Cookie: evil=1");
	CU_ASSERT_EQUAL(res.status, 302);
	CU_ASSERT_STRING_EQUAL(res.headers[0].value, "/");
	CU_ASSERT_EQUAL(res.nheaders, 1);
	buf_release(&res.body);

	CU_ASSERT_STRING_EQUAL(http_status_text(413), "Content Too Large");
	CU_ASSERT_STRING_EQUAL(http_status_text(303), "See Other");
	CU_ASSERT_STRING_EQUAL(http_status_text(799), "Unknown");
	arena_free(a);
}

static void a_redirect_target_must_be_a_local_path(void)
{
	static const char *const good[] = {
	    "/",
	    "/jobs",
	    "/jobs/3?tab=notes",
	    "/jobs?q=a%20b",
	    "/candidates/7#notes",
	    "/caf\xc3\xa9/%C3%A9",
	    "/a//b",
	    "/a/\\b",
	    "/%41",
	};
	static const char *const bad[] = {
	    "//evil.example",
	    "//evil.example/jobs",
	    "/\\evil.example",
	    "/%2fevil.example",
	    "/%2F%2Fevil.example",
	    "/%5cevil.example",
	    "https://evil.example/",
	    "javascript:alert(1)",
	    "jobs",
	    "",
	    " /jobs",
	    "/jobs\r\nSet-Cookie: evil=1",
	    "/jobs\nx",
	    "/\t/evil.example",
	    "/jobs\x7f",
	    "/jobs%0d%0aSet-Cookie:%20evil=1",
	    "/jobs%0D%0A",
	    "/jobs%09",
	    "/jobs%00",
	    "/jobs%7F",
	};
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		CU_ASSERT(http_local_path_ok(good[i]));
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		CU_ASSERT(!http_local_path_ok(bad[i]));
	CU_ASSERT(!http_local_path_ok(NULL));

	/* bounded: HTTP_LOCAL_PATH_MAX bytes yes, one more no */
	char path[HTTP_LOCAL_PATH_MAX + 2];
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[HTTP_LOCAL_PATH_MAX] = '\0';
	CU_ASSERT(http_local_path_ok(path));
	path[HTTP_LOCAL_PATH_MAX] = 'a';
	path[HTTP_LOCAL_PATH_MAX + 1] = '\0';
	CU_ASSERT(!http_local_path_ok(path));
	/* a '%' at the very end is no escape, and no read past the end */
	CU_ASSERT(http_local_path_ok("/100%"));
	CU_ASSERT(http_local_path_ok("/x%0"));
}

/* ------------------------------------------------------------ request */

struct kv {
	const char *k, *v;
};

static const char *fake_env(void *ctx, const char *name)
{
	const struct kv *kv;

	for (kv = ctx; kv->k; kv++)
		if (strcmp(kv->k, name) == 0)
			return kv->v;
	return NULL;
}

static void request_init_decodes_path_and_query(void)
{
	struct arena *a = new_arena();
	struct http_request r;
	struct kv env[] = {
	    {"REQUEST_METHOD", "POST"},
	    {"REQUEST_URI", "/jobs/caf%C3%A9%20bar+x?q=a+b&n=%31"},
	    {"QUERY_STRING", "q=a+b&n=%31"},
	    {"CONTENT_TYPE", "application/x-www-form-urlencoded"},
	    {"HTTP_ACCEPT", "text/html"},
	    {"HTTP_USER_AGENT", "test/1.0"},
	    {"REMOTE_ADDR", "127.0.0.1"},
	    {"HTTP_HOST", "localhost:8080"},
	    {"HTTP_X_CSRF_TOKEN", "tok"},
	    {"HTTP_X_HTTP_METHOD_OVERRIDE", "PUT"},
	    {"HTTPS", "on"},
	    {"HTTP_COOKIE", "sid=s1; __Host-theme=dark"},
	    {NULL, NULL},
	};

	CU_ASSERT_EQUAL_FATAL(http_request_init(&r, a, fake_env, env), 0);
	CU_ASSERT_EQUAL(r.method, HTTP_POST);
	CU_ASSERT_STRING_EQUAL(r.method_name, "POST");
	/* '+' is a plus in a path, a space only in a query */
	CU_ASSERT_STRING_EQUAL(r.path, "/jobs/caf\xC3\xA9 bar+x");
	CU_ASSERT_STRING_EQUAL(r.raw_path, "/jobs/caf%C3%A9%20bar+x");
	CU_ASSERT_STRING_EQUAL(r.query, "q=a+b&n=%31");
	CU_ASSERT_STRING_EQUAL(http_query(&r, "q"), "a b");
	CU_ASSERT_STRING_EQUAL(http_query(&r, "n"), "1");
	CU_ASSERT_STRING_EQUAL(r.content_type,
			       "application/x-www-form-urlencoded");
	CU_ASSERT_STRING_EQUAL(r.remote_addr, "127.0.0.1");
	CU_ASSERT_STRING_EQUAL(r.host, "localhost:8080");
	CU_ASSERT_STRING_EQUAL(r.csrf_header, "tok");
	CU_ASSERT_STRING_EQUAL(r.method_override, "PUT");
	CU_ASSERT_STRING_EQUAL(r.user_agent, "test/1.0");
	CU_ASSERT(r.https);
	/* over HTTPS only the __Host- cookies are ours */
	CU_ASSERT_STRING_EQUAL(http_cookie(&r, "theme"), "dark");
	CU_ASSERT_PTR_NULL(http_cookie(&r, "sid"));
	CU_ASSERT_STRING_EQUAL(r.body, "");
	CU_ASSERT_EQUAL(r.error.status, 0);
	CU_ASSERT(r.started_us > 0);
	arena_free(a);
}

/* nginx's $msec, off by secs from now (negative: the past). */
static const char *msec_from_now(char *out, size_t n, double secs)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	double t = (double)now.tv_sec + now.tv_nsec / 1e9 + secs;
	snprintf(out, n, "%.3f", t);
	return out;
}

/* REQUEST_START (nginx's $msec when it received the request) becomes how
 * long the request queued; anything but a time of the last hour is 0. */
static void request_init_reads_how_long_nginx_held_it(void)
{
	struct arena *a = new_arena();
	struct http_request r;
	char ago[32], future[32], long_ago[32];
	msec_from_now(ago, sizeof(ago), -2.5);
	msec_from_now(future, sizeof(future), 60);
	msec_from_now(long_ago, sizeof(long_ago), -7200);
	const struct {
		const char *start;
		int64_t min_us, max_us;
	} cases[] = {
	    {ago, 2400000, 3500000},
	    {NULL, 0, 0},
	    {"", 0, 0},
	    {"yesterday", 0, 0},
	    {"1764733800", 0, 0}, /* no milliseconds: not nginx's */
	    {"1764.733.800", 0, 0},
	    {"99999999999999999999.000", 0, 0},
	    {"1764733800.1234", 0, 0},
	    {future, 0, 0},
	    {long_ago, 0, 0},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct kv env[] = {
		    {"REQUEST_START", cases[i].start},
		    {NULL, NULL},
		};
		struct kv *e = cases[i].start ? env : env + 1;
		CU_ASSERT_EQUAL_FATAL(http_request_init(&r, a, fake_env, e), 0);
		if (r.queued_us < cases[i].min_us ||
		    r.queued_us > cases[i].max_us)
			fprintf(stderr, "REQUEST_START %s: queued %lld us\n",
				cases[i].start ? cases[i].start : "(none)",
				(long long)r.queued_us);
		CU_ASSERT(r.queued_us >= cases[i].min_us &&
			  r.queued_us <= cases[i].max_us);
	}
	arena_free(a);
}

static void request_init_defaults_and_query_from_uri(void)
{
	struct arena *a = new_arena();
	struct http_request r;
	struct kv env[] = {
	    {"REQUEST_METHOD", "HEAD"},
	    {"REQUEST_URI", "/search?term=x%20y"},
	    {NULL, NULL},
	};
	struct kv empty[] = {{NULL, NULL}};
	struct kv doc[] = {
	    {"REQUEST_METHOD", "BREW"},
	    {"DOCUMENT_URI", "/already decoded %41"},
	    {NULL, NULL},
	};

	CU_ASSERT_EQUAL_FATAL(http_request_init(&r, a, fake_env, env), 0);
	CU_ASSERT_EQUAL(r.method, HTTP_HEAD);
	CU_ASSERT_STRING_EQUAL(r.path, "/search");
	CU_ASSERT_STRING_EQUAL(http_query(&r, "term"), "x y");
	CU_ASSERT_STRING_EQUAL(r.accept, "");
	CU_ASSERT_FALSE(r.https);

	CU_ASSERT_EQUAL_FATAL(http_request_init(&r, a, fake_env, empty), 0);
	CU_ASSERT_EQUAL(r.method, HTTP_GET);
	CU_ASSERT_STRING_EQUAL(r.path, "/");
	CU_ASSERT_STRING_EQUAL(r.query, "");
	CU_ASSERT_STRING_EQUAL(r.csrf_header, "");
	CU_ASSERT_STRING_EQUAL(r.method_override, "");

	/* DOCUMENT_URI is already decoded and is not decoded twice */
	CU_ASSERT_EQUAL_FATAL(http_request_init(&r, a, fake_env, doc), 0);
	CU_ASSERT_EQUAL(r.method, HTTP_OTHER);
	CU_ASSERT_STRING_EQUAL(r.method_name, "BREW");
	CU_ASSERT_STRING_EQUAL(r.path, "/already decoded %41");
	arena_free(a);
}

static void request_init_bad_path_or_query_is_400(void)
{
	static const char *bad_uris[] = {
	    "/a%00b", "/a%zz", "/a%4", "/%FF", "relative", "/%C0%AF",
	};
	struct arena *a = new_arena();
	struct http_request r;
	size_t i;

	for (i = 0; i < ARRAY_LEN(bad_uris); i++) {
		struct kv env[] = {{"REQUEST_URI", bad_uris[i]}, {NULL, NULL}};
		CU_ASSERT_EQUAL(http_request_init(&r, a, fake_env, env), -1);
		CU_ASSERT_EQUAL(r.error.status, 400);
		/* the request stays usable for the error page */
		CU_ASSERT_STRING_EQUAL(r.path, "/");
		CU_ASSERT_PTR_NOT_NULL(r.query);
	}
	struct kv env[] = {
	    {"REQUEST_URI", "/x"}, {"QUERY_STRING", "a=%FF"}, {NULL, NULL}};
	CU_ASSERT_EQUAL(http_request_init(&r, a, fake_env, env), -1);
	CU_ASSERT_EQUAL(r.error.status, 400);
	CU_ASSERT_STRING_EQUAL(r.error.field, "a");
	CU_ASSERT_STRING_EQUAL(r.path, "/x");
	arena_free(a);
}

static void request_headers_are_all_kept_and_found_by_name(void)
{
	struct arena *a = new_arena();
	struct http_request r;
	char *envp[] = {
	    "REQUEST_METHOD=POST",
	    "HTTP_X_LI_SIGNATURE=hmacsha256=00ff",
	    "HTTP_ACCEPT=application/json",
	    "CONTENT_TYPE=application/json",
	    "CONTENT_LENGTH=12",
	    "PATH=/usr/bin",
	    "HTTP_X_EMPTY=",
	    "HTTP_=nameless",
	    "NOEQUALSIGN",
	    NULL,
	};
	struct kv env[] = {{"REQUEST_URI", "/x"}, {NULL, NULL}};

	CU_ASSERT_EQUAL_FATAL(http_request_init(&r, a, fake_env, env), 0);
	/* none until they are read */
	CU_ASSERT_PTR_NULL(http_header(&r, "Accept"));
	CU_ASSERT_EQUAL_FATAL(http_request_headers(&r, envp, NULL), 0);
	CU_ASSERT_EQUAL(r.nheaders, 5);
	CU_ASSERT_STRING_EQUAL(http_header(&r, "X-LI-Signature"),
			       "hmacsha256=00ff");
	CU_ASSERT_STRING_EQUAL(http_header(&r, "x-li-signature"),
			       "hmacsha256=00ff");
	CU_ASSERT_STRING_EQUAL(http_header(&r, "X_LI_SIGNATURE"),
			       "hmacsha256=00ff");
	CU_ASSERT_STRING_EQUAL(http_header(&r, "content-type"),
			       "application/json");
	CU_ASSERT_STRING_EQUAL(http_header(&r, "Content-Length"), "12");
	CU_ASSERT_STRING_EQUAL(http_header(&r, "Accept"), "application/json");
	CU_ASSERT_STRING_EQUAL(http_header(&r, "X-Empty"), "");
	/* CGI variables that are no headers, and prefixes, are not found */
	CU_ASSERT_PTR_NULL(http_header(&r, "Path"));
	CU_ASSERT_PTR_NULL(http_header(&r, "Request-Method"));
	CU_ASSERT_PTR_NULL(http_header(&r, "X-LI"));
	CU_ASSERT_PTR_NULL(http_header(&r, "X-LI-Signature2"));
	CU_ASSERT_PTR_NULL(http_header(&r, ""));
	CU_ASSERT_STRING_EQUAL(r.headers[0].name, "x-li-signature");
	arena_free(a);
}

static void too_many_request_headers_is_431(void)
{
	struct arena *a = new_arena();
	struct http_request r;
	struct http_limits l;
	char *three[] = {"HTTP_A=1", "HTTP_B=2", "HTTP_C=3", NULL};
	char *four[] = {"HTTP_A=1", "HTTP_B=2", "HTTP_C=3", "HTTP_D=4", NULL};
	struct kv env[] = {{"REQUEST_URI", "/x"}, {NULL, NULL}};

	http_limits_default(&l);
	CU_ASSERT_EQUAL(l.max_headers, 64);
	l.max_headers = 3;
	CU_ASSERT_EQUAL_FATAL(http_request_init(&r, a, fake_env, env), 0);
	CU_ASSERT_EQUAL(http_request_headers(&r, three, &l), 0);
	CU_ASSERT_EQUAL(r.nheaders, 3);
	CU_ASSERT_STRING_EQUAL(http_header(&r, "c"), "3");
	CU_ASSERT_EQUAL_FATAL(http_request_init(&r, a, fake_env, env), 0);
	CU_ASSERT_EQUAL(http_request_headers(&r, four, &l), -1);
	CU_ASSERT_EQUAL(r.error.status, 431);
	CU_ASSERT_STRING_EQUAL(http_status_text(431),
			       "Request Header Fields Too Large");
	arena_free(a);
}

static void wants_json_follows_accept(void)
{
	static const struct {
		const char *accept;
		bool json;
	} cases[] = {
	    {"application/json", true},
	    {"application/json, text/html", true},
	    {"text/html, application/json", false},
	    {"text/html;q=0.5, application/json", true},
	    {"application/json;q=0.5, text/html", false},
	    {"text/html,application/xhtml+xml,*/*;q=0.8", false},
	    {"*/*", false},
	    {"application/json;q=0", false},
	    {"APPLICATION/JSON", true},
	    {"", false},
	};
	struct http_request r;
	size_t i;

	memset(&r, 0, sizeof(r));
	CU_ASSERT_FALSE(http_wants_json(&r));
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		r.accept = cases[i].accept;
		if (http_wants_json(&r) != cases[i].json)
			fprintf(stderr, "\nAccept %s\n", cases[i].accept);
		CU_ASSERT_EQUAL(http_wants_json(&r), cases[i].json);
	}
}

/* ------------------------------------------------------------ server */

static int finished;

static void *test_thread_init(void *app, int index)
{
	return app;
}

static void *failing_thread_init(void *app, int index)
{
	return index == 1 ? NULL : app;
}

static void test_thread_done(void *ctx)
{
}

static void echo_handler(void *ctx, struct http_request *req,
			 struct http_response *res)
{
	const struct http_file *f = http_file(req, "cv");

	res->content_type = "text/plain; charset=utf-8";
	buf_addf(&res->body,
		 "%s %s error=%d:%s name=%s file=%zu id=%zu raw=%d body=%zu "
		 "json=%d sig=%s",
		 req->method_name, req->path, req->error.status,
		 req->error.message, http_param(req, "name") ?: "-",
		 f ? f->len : 0, strlen(req->request_id), req->body_raw,
		 req->body_len, req->json != NULL,
		 http_header(req, "X-LI-Signature") ?: "-");
}

/* /machine takes 10 bytes at most, raw; /greedy asks for more than the
 * limits allow, and does not get it. */
static void test_body_rule(void *ctx, struct http_request *req,
			   struct http_body_rule *rule)
{
	if (!strcmp(req->path, "/machine")) {
		rule->max_body = 10;
		rule->raw = true;
	} else if (!strcmp(req->path, "/greedy")) {
		rule->max_body = 1u << 30;
	}
}

static void count_finish(void *ctx, const struct http_request *req,
			 const struct http_response *res, int64_t duration_us)
{
	finished++;
}

static struct http_limits server_limits;

/* The next test server's queue_max_ms (0: never sheds) and group. */
static int test_queue_max_ms;
static const char *test_listen_group;

static struct http_server test_server(const char *listen_path)
{
	struct http_server srv;

	memset(&srv, 0, sizeof(srv));
	srv.queue_max_ms = test_queue_max_ms;
	srv.listen_group = test_listen_group;
	http_limits_default(&server_limits);
	server_limits.max_body = 1000;
	srv.listen = listen_path;
	srv.threads = 3;
	srv.limits = &server_limits;
	srv.app = &finished;
	srv.thread_init = test_thread_init;
	srv.thread_done = test_thread_done;
	srv.handler = echo_handler;
	srv.body_rule = test_body_rule;
	srv.on_finish = count_finish;
	return srv;
}

static size_t read_all(int fd, char *out, size_t cap)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < cap && (r = read(fd, out + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	return n;
}

/* Runs http_serve as plain CGI in a child with env and body on stdin. */
static int run_cgi(const struct kv *env, const char *body, char *out,
		   size_t cap)
{
	int in[2], outp[2], status = 0;
	pid_t pid;

	CU_ASSERT_FATAL(pipe(in) == 0 && pipe(outp) == 0);
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		struct http_server srv = test_server(NULL);
		const struct kv *kv;
		dup2(in[0], 0);
		dup2(outp[1], 1);
		close(in[1]);
		close(outp[0]);
		for (kv = env; kv->k; kv++)
			setenv(kv->k, kv->v, 1);
		exit(http_serve(&srv) == 0 ? 0 : 1);
	}
	close(in[0]);
	close(outp[1]);
	if (write(in[1], body, strlen(body)) < 0)
		CU_FAIL("cannot write body");
	close(in[1]);
	read_all(outp[0], out, cap);
	close(outp[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void server_cgi_serves_one_request(void)
{
	char out[8192];
	struct kv env[] = {
	    {"REQUEST_METHOD", "POST"},
	    {"REQUEST_URI", "/jobs/1/notes"},
	    {"CONTENT_TYPE", "application/x-www-form-urlencoded"},
	    {"CONTENT_LENGTH", "13"},
	    {NULL, NULL},
	};
	struct kv big[] = {
	    {"REQUEST_METHOD", "POST"},
	    {"REQUEST_URI", "/"},
	    {"CONTENT_TYPE", "application/x-www-form-urlencoded"},
	    {"CONTENT_LENGTH", "1001"},
	    {NULL, NULL},
	};
	struct kv head[] = {
	    {"REQUEST_METHOD", "HEAD"},
	    {"REQUEST_URI", "/x"},
	    {NULL, NULL},
	};

	CU_ASSERT_EQUAL(run_cgi(env, "name=Ada+L&x=", out, sizeof(out)), 0);
	CU_ASSERT(strncmp(out, "Status: 200 OK\r\n", 16) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "X-Frame-Options: DENY\r\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "\r\n\r\nPOST /jobs/1/notes error=0: name=Ada L file=0 "
			"id=16"));

	CU_ASSERT_EQUAL(run_cgi(big, "", out, sizeof(out)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "error=413:request body too large"));

	CU_ASSERT_EQUAL(run_cgi(head, "", out, sizeof(out)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Content-Length: "));
	CU_ASSERT(strlen(out) >= 4 &&
		  strcmp(out + strlen(out) - 4, "\r\n\r\n") == 0);
}

static void a_route_may_keep_a_small_body_raw(void)
{
	char out[8192];
	struct kv machine[] = {
	    {"REQUEST_METHOD", "POST"},
	    {"REQUEST_URI", "/machine"},
	    {"CONTENT_TYPE", "application/json"},
	    {"CONTENT_LENGTH", "6"},
	    {"HTTP_X_LI_SIGNATURE", "abc123"},
	    {NULL, NULL},
	};
	struct kv machine_big[] = {
	    {"REQUEST_METHOD", "POST"},
	    {"REQUEST_URI", "/machine"},
	    {"CONTENT_TYPE", "application/json"},
	    {"CONTENT_LENGTH", "11"},
	    {NULL, NULL},
	};
	struct kv other[] = {
	    {"REQUEST_METHOD", "POST"},
	    {"REQUEST_URI", "/other"},
	    {"CONTENT_TYPE", "application/json"},
	    {"CONTENT_LENGTH", "11"},
	    {NULL, NULL},
	};
	struct kv greedy[] = {
	    {"REQUEST_METHOD", "POST"},
	    {"REQUEST_URI", "/greedy"},
	    {"CONTENT_TYPE", "application/x-www-form-urlencoded"},
	    {"CONTENT_LENGTH", "1001"},
	    {NULL, NULL},
	};

	/* malformed JSON is no error: nothing parsed it */
	CU_ASSERT_EQUAL(run_cgi(machine, "{\"a\":1", out, sizeof(out)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    out, "POST /machine error=0: name=- file=0 id=16 raw=1 body=6 "
		 "json=0 sig=abc123"));
	CU_ASSERT_EQUAL(run_cgi(machine_big, "{\"a\":12345}", out, sizeof(out)),
			0);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    out, "error=413:request body too large (at most 10 bytes)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "body=0"));
	/* the same body elsewhere is read and parsed */
	CU_ASSERT_EQUAL(run_cgi(other, "{\"a\":12345}", out, sizeof(out)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "error=0: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "raw=0 body=11 json=1 sig=-"));
	/* a rule lowers the limit, never raises it */
	CU_ASSERT_EQUAL(run_cgi(greedy, "", out, sizeof(out)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    out, "error=413:request body too large (at most 1000 bytes)"));
}

/* A minimal FastCGI client: one request per connection. */
static void fcgi_record(struct buf *b, int type, const char *p, size_t n)
{
	unsigned char h[8] = {1,
			      (unsigned char)type,
			      0,
			      1,
			      (unsigned char)(n >> 8),
			      (unsigned char)n,
			      0,
			      0};

	buf_add(b, h, 8);
	buf_add(b, p, n);
}

static void fcgi_len(struct buf *b, size_t n)
{
	if (n < 128) {
		buf_addc(b, (char)n);
	} else {
		buf_addc(b, (char)(0x80 | (n >> 24)));
		buf_addc(b, (char)(n >> 16));
		buf_addc(b, (char)(n >> 8));
		buf_addc(b, (char)n);
	}
}

static int fcgi_connect(const char *path)
{
	struct sockaddr_un sa;
	int i, fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	for (i = 0; i < 500; i++) {
		struct timespec t = {0, 10 * 1000 * 1000};
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd >= 0 &&
		    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		if (fd >= 0)
			close(fd);
		nanosleep(&t, NULL);
	}
	return -1;
}

static int read_all_exact(int fd, void *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)p + got, n - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* The bytes of one request: BEGIN_REQUEST, PARAMS, STDIN. */
static void fcgi_build(const struct kv *env, const char *body, size_t body_len,
		       struct buf *req)
{
	static const char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0};
	struct buf params = BUF_INIT;
	const struct kv *kv;
	size_t off;

	fcgi_record(req, 1, begin, 8);
	for (kv = env; kv->k; kv++) {
		fcgi_len(&params, strlen(kv->k));
		fcgi_len(&params, strlen(kv->v));
		buf_adds(&params, kv->k);
		buf_adds(&params, kv->v);
	}
	fcgi_record(req, 4, params.data, params.len);
	fcgi_record(req, 4, "", 0);
	for (off = 0; off < body_len; off += 60000) {
		size_t n = body_len - off < 60000 ? body_len - off : 60000;
		fcgi_record(req, 5, body + off, n);
	}
	fcgi_record(req, 5, "", 0);
	buf_release(&params);
}

/* Collects the STDOUT stream up to END_REQUEST into out. */
static void fcgi_response(int fd, struct buf *out)
{
	unsigned char h[8];
	static char content[65536 + 256];

	buf_reset(out);
	for (;;) {
		size_t clen;
		if (read_all_exact(fd, h, 8) < 0)
			break;
		clen = (size_t)h[4] << 8 | h[5];
		if (read_all_exact(fd, content, clen + h[6]) < 0)
			break;
		if (h[1] == 6)
			buf_add(out, content, clen);
		if (h[1] == 3)
			break;
	}
}

static void fcgi_request(const char *path, const struct kv *env,
			 const char *body, size_t body_len, struct buf *out)
{
	struct buf req = BUF_INIT;
	int fd = fcgi_connect(path);

	CU_ASSERT_FATAL(fd >= 0);
	fcgi_build(env, body, body_len, &req);
	CU_ASSERT_FATAL(write(fd, req.data, req.len) == (ssize_t)req.len);
	fcgi_response(fd, out);
	close(fd);
	buf_release(&req);
}

static pid_t start_fastcgi(const char *path, void *(*thread_init)(void *, int))
{
	pid_t pid;

	unlink(path);
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		struct http_server srv = test_server(path);
		srv.thread_init = thread_init;
		/* a hung server fails the test instead of hanging it */
		alarm(30);
		exit(http_serve(&srv) == 0 ? 0 : 1);
	}
	return pid;
}

static int wait_exit(pid_t pid)
{
	int status = 0;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		fprintf(stderr, "\nserver died of signal %d\n",
			WTERMSIG(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void server_fastcgi_serves_requests(void)
{
	char path[64];
	struct buf out = BUF_INIT, body = BUF_INIT;
	struct kv get[] = {
	    {"REQUEST_METHOD", "GET"},
	    {"REQUEST_URI", "/jobs?name=a%20b"},
	    {"QUERY_STRING", "name=a%20b"},
	    {NULL, NULL},
	};
	char cl[32];
	struct kv post[] = {
	    {"REQUEST_METHOD", "POST"},
	    {"REQUEST_URI", "/upload"},
	    {"CONTENT_TYPE", "multipart/form-data; boundary=B"},
	    {"CONTENT_LENGTH", cl},
	    {NULL, NULL},
	};
	struct kv big[] = {
	    {"REQUEST_METHOD", "POST"},
	    {"REQUEST_URI", "/big"},
	    {"CONTENT_TYPE", "application/x-www-form-urlencoded"},
	    {"CONTENT_LENGTH", "70000"},
	    {NULL, NULL},
	};
	static char zeros[70000];
	pid_t pid;
	int i;

	snprintf(path, sizeof(path), "/tmp/hirelink-test-http-%d.sock",
		 (int)getpid());
	pid = start_fastcgi(path, test_thread_init);

	fcgi_request(path, get, "", 0, &out);
	CU_ASSERT(strncmp(out.data, "Status: 200 OK\r\n", 16) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "\r\n\r\nGET /jobs error=0: "
						"name=a b file=0 id=16"));

	/* a multipart upload larger than max_body: uploads have their own
	 * limit */
	buf_adds(&body, "--B\r\nContent-Disposition: form-data; name=\"cv\"; "
			"filename=\"a.bin\"\r\n\r\n");
	buf_add(&body, zeros, 5000);
	buf_adds(&body, "\r\n--B--\r\n");
	snprintf(cl, sizeof(cl), "%zu", body.len);
	fcgi_request(path, post, body.data, body.len, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "POST /upload error=0: name=- "
						"file=5000"));

	/* too large: 413 without parsing, and the response still arrives */
	fcgi_request(path, big, zeros, sizeof(zeros), &out);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out.data, "error=413:request body too large"));

	for (i = 0; i < 30; i++) {
		fcgi_request(path, get, "", 0, &out);
		CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "GET /jobs error=0"));
	}

	CU_ASSERT_EQUAL(kill(pid, SIGTERM), 0);
	CU_ASSERT_EQUAL(wait_exit(pid), 0);
	unlink(path);
	buf_release(&out);
	buf_release(&body);
}

/* A request the web server held longer than queue_max_ms (by its
 * REQUEST_START) is answered 503 with Retry-After and not handled; one
 * held less, or sent without a REQUEST_START, is served.  The socket is
 * mode 0660, given to listen_group. */
static void server_fastcgi_sheds_requests_held_too_long(void)
{
	char path[64], old[32], fresh[32];
	struct buf out = BUF_INIT;
	struct kv get[] = {
	    {"REQUEST_METHOD", "GET"},
	    {"REQUEST_URI", "/jobs"},
	    {"REQUEST_START", msec_from_now(old, sizeof(old), -3)},
	    {NULL, NULL},
	};

	snprintf(path, sizeof(path), "/tmp/hirelink-test-shed-%d.sock",
		 (int)getpid());
	struct group *own = getgrgid(getgid());
	CU_ASSERT_FATAL(own != NULL);
	test_queue_max_ms = 1000;
	test_listen_group = own->gr_name;
	pid_t pid = start_fastcgi(path, test_thread_init);
	test_queue_max_ms = 0;
	test_listen_group = NULL;

	fcgi_request(path, get, "", 0, &out);
	/* the socket is the web server's group's, no one else's */
	struct stat sb;
	CU_ASSERT_FATAL(stat(path, &sb) == 0);
	CU_ASSERT_EQUAL(sb.st_mode & 0777, 0660);
	CU_ASSERT_EQUAL(sb.st_gid, getgid());
	CU_ASSERT(strncmp(out.data, "Status: 503", 11) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "\r\nRetry-After: 1\r\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "very busy"));
	CU_ASSERT_PTR_NULL(strstr(out.data, "GET /jobs error="));

	get[2].v = msec_from_now(fresh, sizeof(fresh), -0.2);
	fcgi_request(path, get, "", 0, &out);
	CU_ASSERT(strncmp(out.data, "Status: 200 OK\r\n", 16) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "GET /jobs error=0"));

	get[2].k = NULL; /* no REQUEST_START: nothing to shed by */
	fcgi_request(path, get, "", 0, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "GET /jobs error=0"));

	CU_ASSERT_EQUAL(kill(pid, SIGTERM), 0);
	CU_ASSERT_EQUAL(wait_exit(pid), 0);
	unlink(path);
	buf_release(&out);
}

/*
 * One request is held open mid-body while others are served (so they run
 * on other threads), then SIGTERM arrives: the held request still gets its
 * answer and the server exits 0.
 */
static void server_fastcgi_finishes_requests_on_sigterm(void)
{
	char path[64];
	struct buf out = BUF_INIT, held = BUF_INIT;
	struct kv get[] = {
	    {"REQUEST_METHOD", "GET"},
	    {"REQUEST_URI", "/other"},
	    {NULL, NULL},
	};
	struct kv post[] = {
	    {"REQUEST_METHOD", "POST"},
	    {"REQUEST_URI", "/held"},
	    {"CONTENT_TYPE", "application/x-www-form-urlencoded"},
	    {"CONTENT_LENGTH", "8"},
	    {NULL, NULL},
	};
	struct timespec t = {0, 200 * 1000 * 1000};
	size_t first;
	pid_t pid;
	int fd;

	snprintf(path, sizeof(path), "/tmp/hirelink-test-http-%d.sock",
		 (int)getpid());
	pid = start_fastcgi(path, test_thread_init);
	fcgi_build(post, "name=Ada", 8, &held);
	/* everything but the last STDIN records */
	first = held.len - 8 - 8;
	fd = fcgi_connect(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, held.data, first) == (ssize_t)first);

	fcgi_request(path, get, "", 0, &out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "GET /other error=0"));

	CU_ASSERT_EQUAL(kill(pid, SIGTERM), 0);
	nanosleep(&t, NULL);
	CU_ASSERT_FATAL(write(fd, held.data + first, held.len - first) ==
			(ssize_t)(held.len - first));
	fcgi_response(fd, &out);
	close(fd);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out.data, "POST /held error=0: name=Ada"));
	CU_ASSERT_EQUAL(wait_exit(pid), 0);
	unlink(path);
	buf_release(&out);
	buf_release(&held);
}

static void server_stops_when_a_thread_cannot_start(void)
{
	char path[64];
	pid_t pid;

	snprintf(path, sizeof(path), "/tmp/hirelink-test-http-%d.sock",
		 (int)getpid());
	pid = start_fastcgi(path, failing_thread_init);
	CU_ASSERT_EQUAL(wait_exit(pid), 1);
	unlink(path);
}

/* ------------------------------------------------------------ main */

static const struct test parse_tests[] = {
    TEST(url_decode_plus_and_escapes),
    TEST(url_decode_rejects_bad_escapes),
    TEST(urlencoded_decodes_fields),
    TEST(urlencoded_skips_empty_pairs_and_keeps_bare_names),
    TEST(urlencoded_many_fields_up_to_the_limit),
    TEST(urlencoded_too_long_value_is_413_naming_field),
    TEST(urlencoded_invalid_utf8_is_400_naming_field),
    TEST(urlencoded_nul_and_bad_escape_are_400),
    TEST(cookies_quoted_spaces_and_malformed_pairs),
    TEST(cookies_past_the_limits_are_skipped),
    TEST(multipart_text_and_binary_file),
    TEST(multipart_quoted_boundary_and_preamble),
    TEST(multipart_missing_boundary_is_400),
    TEST(multipart_truncated_and_malformed_are_400),
    TEST(multipart_limits_and_utf8),
    TEST(multipart_mixed_parts),
    TEST(json_object_and_array_accepted),
    TEST(json_depth_over_limit_is_400),
    TEST(json_garbage_scalars_and_duplicates_are_400),
    TEST(body_dispatches_on_content_type),
    TEST(body_and_query_share_the_field_limit),
};
static const struct test router_tests[] = {
    TEST(router_literals_and_captures),
    TEST(router_not_found_and_trailing_slash),
    TEST(router_bad_method_reports_allowed),
    TEST(a_route_method_is_named),
};
static const struct test response_tests[] = {
    TEST(serialize_adds_security_headers_on_every_status),
    TEST(serialize_writes_status_length_and_body),
    TEST(serialize_csp_with_extra_origins),
    TEST(serialize_frame_ancestors_from_the_response),
    TEST(header_injection_is_refused),
    TEST(cookies_and_redirects_are_written),
    TEST(a_redirect_target_must_be_a_local_path),
};
/* ------------------------------------------------------------ jsonmem */

static void json_values_made_in_a_request_come_from_its_arena(void)
{
	struct arena *a = arena_new(4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	size_t before = arena_used(a);

	http_json_arena(a);
	json_t *v = json_pack("{s:s, s:[i, i]}", "name", "Ada", "ids", 1, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT(arena_used(a) > before);
	const char *name = json_string_value(json_object_get(v, "name"));
	CU_ASSERT_STRING_EQUAL(name, "Ada");
	json_decref(v);
#if defined(__SANITIZE_ADDRESS__)
	/* a use after the last reference is still caught */
	CU_ASSERT(__asan_address_is_poisoned(name));
#endif
	http_json_arena(NULL);

	/* after the reset the same memory serves the next request */
	arena_reset(a);
	http_json_arena(a);
	json_t *w = json_pack("{s:s}", "name", "Grace");
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(w, "name")),
			       "Grace");
	json_decref(w);
	http_json_arena(NULL);
	arena_free(a);
}

static void a_json_value_made_outside_a_request_goes_back_to_malloc(void)
{
	json_t *v = json_string("made at start-up");
	struct arena *a = arena_new(4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);

	/* released during a request: free(), else LeakSanitizer reports it */
	http_json_arena(a);
	size_t used = arena_used(a);
	json_decref(v);
	CU_ASSERT_EQUAL(arena_used(a), used);
	http_json_arena(NULL);
	arena_free(a);
}

static void an_arena_out_of_memory_is_jansson_out_of_memory(void)
{
	struct arena *a = arena_new(4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	http_json_arena(a);
	arena_fail_after(a, 0);
	CU_ASSERT_PTR_NULL(json_string("no room"));
	json_t *v = json_string("room again");
	CU_ASSERT_PTR_NOT_NULL(v);
	json_decref(v);
	http_json_arena(NULL);
	arena_free(a);
}

static void a_json_body_lands_in_a_buffer(void)
{
	struct buf b = BUF_INIT;
	json_t *v = json_pack("{s:s}", "note", "caf\u00e9 <b>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(buf_add_json(&b, v, JSON_COMPACT | JSON_ENSURE_ASCII),
			0);
	CU_ASSERT_STRING_EQUAL(b.data, "{\"note\":\"caf\\u00E9 <b>\"}");
	json_decref(v);
	buf_release(&b);
}

static const struct test server_tests[] = {
    TEST(request_init_decodes_path_and_query),
    TEST(request_init_reads_how_long_nginx_held_it),
    TEST(request_init_defaults_and_query_from_uri),
    TEST(request_init_bad_path_or_query_is_400),
    TEST(request_headers_are_all_kept_and_found_by_name),
    TEST(too_many_request_headers_is_431),
    TEST(wants_json_follows_accept),
    TEST(server_cgi_serves_one_request),
    TEST(a_route_may_keep_a_small_body_raw),
    TEST(server_fastcgi_serves_requests),
    TEST(server_fastcgi_sheds_requests_held_too_long),
    TEST(server_fastcgi_finishes_requests_on_sigterm),
    TEST(server_stops_when_a_thread_cannot_start),
};

static const struct test jsonmem_tests[] = {
    TEST(json_values_made_in_a_request_come_from_its_arena),
    TEST(a_json_value_made_outside_a_request_goes_back_to_malloc),
    TEST(an_arena_out_of_memory_is_jansson_out_of_memory),
    TEST(a_json_body_lands_in_a_buffer),
};

int main(void)
{
	static const struct suite suites[] = {
	    SUITE("http_parse", NULL, NULL, parse_tests),
	    SUITE("http_router", NULL, NULL, router_tests),
	    SUITE("http_response", NULL, NULL, response_tests),
	    SUITE("http_server", NULL, NULL, server_tests),
	    SUITE("http_jsonmem", NULL, NULL, jsonmem_tests),
	};

	/* as hirelink.fcgi does, before its first jansson value */
	http_json_memory_install();
	return suite_run(suites, ARRAY_LEN(suites));
}
