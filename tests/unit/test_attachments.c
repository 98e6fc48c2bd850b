/*
 * test_attachments.c - unit tests of the upload checks in
 * src/ats/attachments.c: the type decided by content and the extension
 * agreeing with it, the ZIP walk behind the DOCX check (run over every
 * truncation and a few corruptions of a valid file, so the sanitizer build
 * catches any read out of bounds), and the filename clean-up.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "ats/candidates.h"
#include "ats/check.h"
#include "../suite.h"

/* ------------------------------------------------------------ a DOCX */

static void put16(struct buf *b, unsigned v)
{
	buf_addc(b, (char)(v & 0xff));
	buf_addc(b, (char)((v >> 8) & 0xff));
}

static void put32(struct buf *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b, v >> 16);
}

/* A stored ZIP of the given entries (CRCs left 0: not checked). */
static void zip(struct buf *b, const char *const *names, size_t n)
{
	uint32_t offs[8];
	for (size_t i = 0; i < n; i++) {
		offs[i] = (uint32_t)b->len;
		put32(b, 0x04034b50);
		put16(b, 20);
		put16(b, 0);
		put16(b, 0);
		put16(b, 0);
		put16(b, 0x21);
		put32(b, 0);
		put32(b, 1);
		put32(b, 1);
		put16(b, (unsigned)strlen(names[i]));
		put16(b, 0);
		buf_adds(b, names[i]);
		buf_addc(b, 'x');
	}
	uint32_t cd = (uint32_t)b->len;
	for (size_t i = 0; i < n; i++) {
		put32(b, 0x02014b50);
		put16(b, 20);
		put16(b, 20);
		put16(b, 0);
		put16(b, 0);
		put16(b, 0);
		put16(b, 0x21);
		put32(b, 0);
		put32(b, 1);
		put32(b, 1);
		put16(b, (unsigned)strlen(names[i]));
		put16(b, 0);
		put16(b, 0);
		put16(b, 0);
		put16(b, 0);
		put32(b, 0);
		put32(b, offs[i]);
		buf_adds(b, names[i]);
	}
	uint32_t size = (uint32_t)b->len - cd;
	put32(b, 0x06054b50);
	put16(b, 0);
	put16(b, 0);
	put16(b, (unsigned)n);
	put16(b, (unsigned)n);
	put32(b, size);
	put32(b, cd);
	put16(b, 0);
}

static const char *const docx_names[] = {"[Content_Types].xml", "_rels/.rels",
					 "word/document.xml"};

static int check(const char *name, const void *p, size_t n, const char **ct)
{
	struct ats_error err = {0};
	const char *t = NULL;
	int rc = ats_attachment_check(name, p, n, &t, &err);
	if (rc == DB_OK)
		CU_ASSERT_PTR_NOT_NULL(t);
	if (rc != DB_OK)
		CU_ASSERT_STRING_EQUAL(err.field ? err.field : "", "file");
	if (ct)
		*ct = t;
	return rc;
}

/* ------------------------------------------------------------ tests */

static void pdf_docx_and_txt_are_told_by_content(void)
{
	const char *ct;
	static const char pdf[] = "%PDF-1.7\n\x00\xff binary\n%%EOF";
	CU_ASSERT_EQUAL(check("cv.pdf", pdf, sizeof(pdf) - 1, &ct), DB_OK);
	CU_ASSERT_STRING_EQUAL(ct, "application/pdf");
	CU_ASSERT_EQUAL(check("CV.PDF", pdf, sizeof(pdf) - 1, NULL), DB_OK);

	struct buf d = BUF_INIT;
	zip(&d, docx_names, 3);
	CU_ASSERT_EQUAL(check("cv.docx", d.data, d.len, &ct), DB_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(ct, "wordprocessingml"));

	static const char txt[] = "Ada — résumé\n";
	CU_ASSERT_EQUAL(check("cv.txt", txt, sizeof(txt) - 1, &ct), DB_OK);
	CU_ASSERT_STRING_EQUAL(ct, "text/plain; charset=utf-8");

	/* the extension must agree with the content */
	CU_ASSERT_EQUAL(check("cv.txt", pdf, sizeof(pdf) - 1, NULL),
			ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv.pdf", txt, sizeof(txt) - 1, NULL),
			ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv.docx", pdf, sizeof(pdf) - 1, NULL),
			ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv.pdf", d.data, d.len, NULL), ATS_INVALID);
	/* a plain ZIP is not a text file either */
	CU_ASSERT_EQUAL(check("cv.txt", d.data, d.len, NULL), ATS_INVALID);
	buf_release(&d);
}

static void other_files_are_refused(void)
{
	static const char exe[] = "MZ\x90\x00\x03";
	static const char htm[] = "<html><body>hi</body></html>";
	static const char nul[] = "a\0b";
	static const char bad[] = "caf\xc3";
	CU_ASSERT_EQUAL(check("cv.pdf", exe, sizeof(exe) - 1, NULL),
			ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv.pdf", htm, sizeof(htm) - 1, NULL),
			ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv.html", htm, sizeof(htm) - 1, NULL),
			ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv.exe", exe, sizeof(exe) - 1, NULL),
			ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv", htm, sizeof(htm) - 1, NULL), ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv.txt", nul, 3, NULL), ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv.txt", bad, sizeof(bad) - 1, NULL),
			ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv.pdf", "", 0, NULL), ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv.pdf", "%PDF", 4, NULL), ATS_INVALID);
	CU_ASSERT_EQUAL(check("cv.pdf.exe", "%PDF-1", 6, NULL), ATS_INVALID);
	CU_ASSERT_EQUAL(check(NULL, "%PDF-1", 6, NULL), ATS_INVALID);
}

static void zips_without_word_parts_are_not_docx(void)
{
	static const char *const no_word[] = {"[Content_Types].xml",
					      "xl/workbook.xml"};
	static const char *const no_types[] = {"word/document.xml"};
	struct buf b = BUF_INIT;
	zip(&b, no_word, 2);
	CU_ASSERT_EQUAL(check("cv.docx", b.data, b.len, NULL), ATS_INVALID);
	buf_reset(&b);
	zip(&b, no_types, 1);
	CU_ASSERT_EQUAL(check("cv.docx", b.data, b.len, NULL), ATS_INVALID);
	buf_release(&b);
}

/* Every truncation and a byte flipped anywhere: never a crash (ASan would
 * say), and a truncated file is never accepted. */
static void broken_zips_are_refused_safely(void)
{
	struct buf d = BUF_INIT;
	zip(&d, docx_names, 3);
	for (size_t n = 0; n < d.len; n++) {
		char *copy = malloc(n ? n : 1);
		memcpy(copy, d.data, n);
		CU_ASSERT_EQUAL(check("cv.docx", copy, n, NULL), ATS_INVALID);
		free(copy);
	}
	char *copy = malloc(d.len);
	for (size_t i = 0; i < d.len; i++) {
		static const unsigned char vals[] = {0x00, 0xff, 0x7f};
		for (size_t v = 0; v < sizeof(vals); v++) {
			memcpy(copy, d.data, d.len);
			copy[i] = (char)vals[v];
			(void)check("cv.docx", copy, d.len, NULL);
		}
	}
	free(copy);
	buf_release(&d);
}

static void filenames_are_made_safe(void)
{
	struct arena *a = arena_new(4096);
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"cv.pdf", "cv.pdf"},
	    {"C:\\Users\\me\\cv.pdf", "cv.pdf"},
	    {"../../etc/passwd.txt", "passwd.txt"},
	    {"a\"b\".pdf", "a_b_.pdf"},
	    {"line\r\nbreak.txt", "line__break.txt"},
	    {"Résumé.pdf", "Résumé.pdf"},
	    {"bad\xff.pdf", "bad_.pdf"},
	    /* direction controls and separators that disguise a name */
	    {"r\xc3\xa9sum\xc3\xa9 \xe2\x80\xae" "fdp.exe",
	     "r\xc3\xa9sum\xc3\xa9 _fdp.exe"},
	    {"a\xe2\x80\xa8" "b\xc2\x85" "c\xe2\x81\xa6.pdf", "a_b_c_.pdf"},
	    {"\xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa.pdf",
	     "\xd7\xa2\xd7\x91\xd7\xa8\xd7\x99\xd7\xaa.pdf"}, /* Hebrew */
	    {"", "file"},
	    {"dir/", "file"},
	    {"...", "file"},
	    {NULL, "file"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = ats_attachment_filename(a, cases[i].in);
		CU_ASSERT_PTR_NOT_NULL_FATAL(got);
		if (strcmp(got, cases[i].want))
			fprintf(stderr, "filename %s -> %s, want %s\n",
				cases[i].in ? cases[i].in : "(null)", got,
				cases[i].want);
		CU_ASSERT_STRING_EQUAL(got, cases[i].want);
	}
	/* long names are cut at 255 bytes, never inside a character */
	char longname[600];
	size_t k = 0;
	while (k + 2 < 500) {
		longname[k++] = '\xc3';
		longname[k++] = '\xa9';
	}
	memcpy(longname + k, ".pdf", 5);
	const char *got = ats_attachment_filename(a, longname);
	CU_ASSERT(strlen(got) <= ATTACHMENT_NAME_MAX);
	CU_ASSERT(utf8_valid(got, strlen(got)));
	arena_free(a);
}

/* One-line fields (names, titles) refuse what breaks or disguises a line,
 * and a value of invisible characters only; other scripts pass. */
static void one_line_text_refuses_disguises(void)
{
	static const struct {
		const char *in;
		bool ok;
	} cases[] = {
	    {"Jane Doe", true},
	    {"", true}, /* the length is the caller's rule */
	    {"Zo\xc3\xab \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", true},
	    {"\xe4\xb8\xad\xe6\x96\x87", true},
	    {"Senior\nEngineer", false},
	    {"Tab\there", false},
	    {"evil \xe2\x80\xae" "fdp.exe", false}, /* U+202E */
	    {"a\xe2\x81\xa6" "b", false},	    /* U+2066 */
	    {"a\xe2\x80\xa8" "b", false},	    /* U+2028 */
	    {"a\xc2\x85" "b", false},		    /* U+0085 */
	    {"\xe2\x80\x8b\xe2\x80\x8b", false}, /* zero-width only */
	    {"\xef\xbb\xbf \xc2\xa0", false},	    /* BOM, spaces */
	    {"\xe2\x80\x8b" "x", true},
	    {"bad\xff", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *problem = ats_line_problem(cases[i].in);
		if (!problem != cases[i].ok)
			fprintf(stderr, "case %zu: %s\n", i,
				problem ? problem : "accepted");
		CU_ASSERT(!problem == cases[i].ok);
	}
	struct ats_error err = {0};
	CU_ASSERT(ats_line_check(&err, "title", "a\xe2\x80\xae" "b", 1, 200,
				 "too long") == ATS_INVALID);
	CU_ASSERT_STRING_EQUAL(err.field, "title");
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "direction"));
	CU_ASSERT(ats_line_check(&err, "title", "", 1, 200, "too short") ==
		  ATS_INVALID);
	CU_ASSERT_STRING_EQUAL(err.message, "too short");
	CU_ASSERT(ats_line_check(&err, "title", "fine", 1, 200, "x") == DB_OK);
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(pdf_docx_and_txt_are_told_by_content),
	    TEST(other_files_are_refused),
	    TEST(zips_without_word_parts_are_not_docx),
	    TEST(broken_zips_are_refused_safely),
	    TEST(filenames_are_made_safe),
	    TEST(one_line_text_refuses_disguises),
	};
	static const struct suite suites[] = {
	    SUITE("attachments", NULL, NULL, tests),
	};
	return suite_run(suites, ARRAY_LEN(suites));
}
