/*
 * test_files_browser.c - a recruiter's files in a real browser (headless
 * Chromium): a resume chosen on the new-candidate form lands on the new
 * candidate's page with the notice, and the Attachments tab shows the PDF
 * in its frame (loaded under the page's own policy, which admits a frame
 * of hirelink's own origin) at a desktop's 1366 px and a phone's 375 px,
 * without the page scrolling sideways.  Screenshots land in the test log
 * folder for a human to look at.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/itest.h"
#include "../suite.h"
#include "browse.h"

static char *email;
static const char *password = "files-browser-1";
static char pdf_path[256];

/* A one-page PDF that says "Resume of Jane". */
static const char pdf_bytes[] =
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] "
    "/Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length 44 >>\nstream\n"
    "BT /F1 24 Tf 20 100 Td (Resume of Jane) Tj ET\nendstream\nendobj\n"
    "trailer\n<< /Root 1 0 R >>\n%%EOF\n";

static long long candidate; /* made through the form, with its resume */

static void a_resume_chosen_on_the_new_candidate_form_is_attached(void)
{
	wd_viewport(br_wd, 1366, 900);
	CU_ASSERT_TRUE_FATAL(br_signin_as(email, password));
	br_go(br_url("/candidates/new"));
	br_type("input[name=first_name]", "Jane");
	br_type("input[name=last_name]", "Browser");
	/* a file input takes the file's path as typed keys */
	br_type("input[name=resume]", pdf_path);
	br_click("form[action='/candidates'] button[type=submit]");
	for (int i = 0; i < 50 && !candidate; i++) {
		char *u = wd_url(br_wd);
		const char *p = u ? strstr(u, "/candidates/") : NULL;
		if (p && strcmp(p, "/candidates/new"))
			sscanf(p, "/candidates/%lld", &candidate);
		free(u);
		if (!candidate)
			usleep(100 * 1000);
	}
	CU_ASSERT_FATAL(candidate > 0);
	json_t *n = wd_eval(br_wd, "var e = document.getElementById('notice');"
				   "return e ? e.textContent : '';");
	CU_ASSERT_PTR_NOT_NULL(json_is_string(n)
				   ? strstr(json_string_value(n),
					    "with jane-resume.pdf")
				   : NULL);
	json_decref(n);
	br_shot("files-created-1366");
}

/* The frame of the PDF: there, as wide as its card allows and tall, its
 * document of hirelink's origin (the page's policy admitted the frame). */
static void the_pdf_frame_is_shown(const char *name, long max_width)
{
	char path[128];
	snprintf(path, sizeof(path), "/candidates/%lld?tab=attachments",
		 candidate);
	br_go(br_url(path));
	long w = br_eval_long(
	    "var f = document.querySelector('iframe.pdf-preview');"
	    "return f ? Math.round(f.getBoundingClientRect().width) : -1;");
	long h = br_eval_long(
	    "var f = document.querySelector('iframe.pdf-preview');"
	    "return f ? Math.round(f.getBoundingClientRect().height) : -1;");
	CU_ASSERT(w > 250 && w <= max_width);
	CU_ASSERT(h >= 300);
	json_t *src = wd_eval(
	    br_wd, "var f = document.querySelector('iframe.pdf-preview');"
		   "return f ? f.getAttribute('src') : '';");
	CU_ASSERT_PTR_NOT_NULL(json_is_string(src)
				   ? strstr(json_string_value(src), "/preview")
				   : NULL);
	json_decref(src);
	/* what the frame got is the PDF, inline, fetched as the frame did */
	json_t *ct = wd_eval(
	    br_wd, "var f = document.querySelector('iframe.pdf-preview');"
		   "var x = new XMLHttpRequest(); x.open('GET', f.src, false);"
		   "x.send(); return x.status + ' ' + x.getResponseHeader("
		   "'Content-Type') + ' ' + x.getResponseHeader("
		   "'Content-Disposition');");
	CU_ASSERT_PTR_NOT_NULL(
	    json_is_string(ct)
		? strstr(json_string_value(ct), "200 application/pdf inline")
		: NULL);
	json_decref(ct);
	/* nothing makes the page scroll sideways */
	CU_ASSERT_EQUAL(br_overflow_px(), 0);
	br_shot(name);
}

static void the_pdf_frame_shows_on_a_desktop(void)
{
	CU_ASSERT_FATAL(candidate > 0);
	CU_ASSERT_EQUAL_FATAL(wd_viewport(br_wd, 1366, 900), 0);
	the_pdf_frame_is_shown("files-preview-1366", 1366);
}

static void the_pdf_frame_shows_on_a_phone(void)
{
	CU_ASSERT_FATAL(candidate > 0);
	CU_ASSERT_EQUAL_FATAL(wd_viewport(br_wd, 375, 800), 0);
	the_pdf_frame_is_shown("files-preview-375", 375);
	wd_viewport(br_wd, 0, 0);
}

static int suite_init(void)
{
	char *u = itest_unique("files");
	if (asprintf(&email, "%s@test.hirelink", u) < 0)
		email = NULL;
	free(u);
	if (!email)
		return 1;
	if (itest_useradd(email, "Files Recruiter", "recruiter", "none",
			  password) != 0)
		return 1;
	const char *dir = getenv("HIRELINK_TEST_LOGS");
	snprintf(pdf_path, sizeof(pdf_path), "%s/jane-resume.pdf",
		 dir ? dir : "/tmp");
	FILE *f = fopen(pdf_path, "wb");
	if (!f || fwrite(pdf_bytes, 1, sizeof(pdf_bytes) - 1, f) !=
		      sizeof(pdf_bytes) - 1) {
		if (f)
			fclose(f);
		return 1;
	}
	fclose(f);
	br_wd = wd_start();
	return br_wd ? 0 : 1;
}

static int suite_clean(void)
{
	wd_stop(br_wd);
	free(email);
	return 0;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(a_resume_chosen_on_the_new_candidate_form_is_attached),
	    TEST(the_pdf_frame_shows_on_a_desktop),
	    TEST(the_pdf_frame_shows_on_a_phone),
	};
	static const struct suite suites[] = {
	    SUITE("files_browser", suite_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
