/*
 * test_files.c - issue 18's files and words, as a recruiter meets them:
 * a resume attached on the new-candidate form (a refused file creates
 * nothing), a file deleted after a confirmation step with its trail, a
 * PDF previewed inline with headers of its own (others download only),
 * "Add to job" choosing nothing for the user, ?page=999 on every paged
 * list, and a walk of the demo's pages as each role that finds no field
 * key and no audit code in any page.
 */
#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../suite.h"
#include "core/core.h"
#include "itest.h"

static char *run_id;
static struct itest_person rita; /* recruiter */
static struct itest_person hank; /* hiring manager on no job */

/* A one-page PDF that says "Resume of Jane". */
static const char pdf_bytes[] =
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] "
    "/Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length 44 >>\nstream\n"
    "BT /F1 24 Tf 20 100 Td (Resume of Jane) Tj ET\nendstream\nendobj\n"
    "trailer\n<< /Root 1 0 R >>\n%%EOF\n";

static long id_after(const struct itest_resp *r, const char *prefix)
{
	const char *loc = itest_location(r);
	size_t n = strlen(prefix);
	return strncmp(loc, prefix, n) ? 0 : strtol(loc + n, NULL, 10);
}

/* POSTs a multipart form to path as c: the fields name, value, ... (NULL
 * ends them), then, when file_field is not NULL, one file. */
static struct itest_resp multipart(struct itest_client *c, const char *path,
				   const char *file_field, const char *filename,
				   const char *ctype, const void *data,
				   size_t len, ...)
{
	char *csrf = itest_csrf_of(c, "/settings/user");
	const char *bd = "----files18Boundary9QxT";
	struct buf b = BUF_INIT;
	va_list ap;
	buf_addf(&b,
		 "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
		 "%s\r\n",
		 bd, csrf ? csrf : "");
	va_start(ap, len);
	for (const char *k; (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		buf_addf(&b,
			 "--%s\r\nContent-Disposition: form-data; "
			 "name=\"%s\"\r\n\r\n%s\r\n",
			 bd, k, v ? v : "");
	}
	va_end(ap);
	if (file_field) {
		buf_addf(&b,
			 "--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
			 "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n",
			 bd, file_field, filename, ctype);
		buf_add(&b, data, len);
		buf_adds(&b, "\r\n");
	}
	buf_addf(&b, "--%s--\r\n", bd);
	char *ct = itest_fmt("multipart/form-data; boundary=%s", bd);
	struct itest_resp r =
	    buf_failed(&b) ? (struct itest_resp){0}
			   : itest_request(c, "POST", path, false, ct, b.data,
					   b.len, NULL);
	buf_release(&b);
	free(ct);
	free(csrf);
	return r;
}

/* The stack's data_dir (HIRELINK_CONFIG's data_dir line); new. */
static char *data_dir(void)
{
	FILE *f = fopen(itest_env("HIRELINK_CONFIG"), "r");
	char line[1024], *dir = NULL;
	while (f && !dir && fgets(line, sizeof(line), f)) {
		char v[900];
		if (sscanf(line, " data_dir = %899s", v) == 1)
			dir = itest_strdup(v);
	}
	if (f)
		fclose(f);
	return dir ? dir : itest_strdup("");
}

static bool stored(const char *hex)
{
	char *dir = data_dir();
	char *path = itest_fmt("%s/%.2s/%s", dir, hex, hex);
	struct stat st;
	bool ok = stat(path, &st) == 0;
	free(path);
	free(dir);
	return ok;
}

static int suite_init(void)
{
	run_id = itest_unique("");
	if (!*itest_base_url() || !run_id)
		return -1;
	if (itest_person_add(&rita, "rita", "Files", "recruiter", "none") < 0 ||
	    itest_person_add(&hank, "hank", "Files", "hiring_manager",
			     "none") < 0)
		return -1;
	return 0;
}

static int suite_clean(void)
{
	itest_person_free(&rita);
	itest_person_free(&hank);
	free(run_id);
	return 0;
}

/* ------------------------------------------------------------ resume */

static void resume_on_the_new_candidate_form_makes_both_in_one_go(void)
{
	struct itest_client *c = itest_as(&rita);
	char *first = itest_fmt("Resumed%s", run_id);
	struct itest_resp r = multipart(c, "/candidates", "resume",
					"Jane CV.pdf", "application/pdf",
					pdf_bytes, sizeof(pdf_bytes) - 1,
					"first_name", first, "last_name", "Doe",
					"headline", "Engineer", (char *)NULL);
	CHECK_STATUS(r, 303, "POST /candidates with a resume");
	long id = id_after(&r, "/candidates/");
	CHECK(id > 0, "sent to the new candidate (%s)", itest_location(&r));
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM attachments WHERE "
			    "candidate_id = %ld AND filename = 'Jane CV.pdf' "
			    "AND content_type = 'application/pdf'",
			    id) == 1,
	      "the resume is the candidate's attachment");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidate_events WHERE "
			    "candidate_id = %ld AND kind = 'attachment_added'",
			    id) == 1,
	      "its event");
	char *page = itest_fmt("/candidates/%ld", id);
	r = itest_get(c, page, false);
	CHECK_HAS(r, "id=\"notice\"", "a notice follows the redirect");
	CHECK_HAS(r, "with Jane CV.pdf.", "it names the file");
	itest_resp_free(&r);
	free(page);

	/* no resume: the form as before */
	char *second = itest_fmt("Plain%s", run_id);
	r = multipart(c, "/candidates", "resume", "", "application/octet-stream",
		      "", 0, "first_name", second, (char *)NULL);
	CHECK_STATUS(r, 303, "an empty file input is no file");
	long id2 = id_after(&r, "/candidates/");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM attachments WHERE "
			    "candidate_id = %ld",
			    id2) == 0,
	      "and no attachment");
	free(second);
	free(first);
}

static void a_refused_resume_creates_nothing_and_keeps_the_form(void)
{
	struct itest_client *c = itest_as(&rita);
	char *first = itest_fmt("Refused%s", run_id);
	static const struct {
		const char *name, *ctype, *data, *why;
	} bad[] = {
	    {"cv.pdf", "application/pdf", "not a pdf at all",
	     "is named .pdf but is not a PDF"},
	    {"cv.exe", "application/octet-stream", "MZ\x90", "must be a PDF"},
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct itest_resp r = multipart(
		    c, "/candidates", "resume", bad[i].name, bad[i].ctype,
		    bad[i].data, strlen(bad[i].data), "first_name", first,
		    "headline", "Kept headline", (char *)NULL);
		CHECK_STATUS(r, 400, bad[i].name);
		CHECK_HAS(r, "<strong>Resume</strong>",
			  "the error names the field by its label");
		CHECK_HAS(r, bad[i].why, "and says why");
		CHECK_HAS(r, "aria-invalid=\"true\"", "on the file field");
		CHECK_HAS(r, "value=\"Kept headline\"", "the fields are kept");
		CHECK_LACKS(r, "<strong>file</strong>", "no field key");
		itest_resp_free(&r);
	}
	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidates WHERE "
			    "first_name = '%s'",
			    first) == 0,
	      "nothing was created");
	free(first);
}

/* ------------------------------------------------------------ delete */

static long upload(struct itest_client *c, long cand, const char *name,
		   const char *ctype, const void *data, size_t len)
{
	char *path = itest_fmt("/candidates/%ld/attachments", cand);
	struct itest_resp r =
	    multipart(c, path, "file", name, ctype, data, len, (char *)NULL);
	CHECK_STATUS(r, 303, "upload");
	itest_resp_free(&r);
	free(path);
	return (long)itest_sql_int("SELECT MAX(id) FROM attachments WHERE "
				   "candidate_id = %ld AND filename = '%s'",
				   cand, name);
}

static long new_candidate(struct itest_client *c, const char *first)
{
	struct itest_resp r = multipart(c, "/candidates", NULL, NULL, NULL,
					NULL, 0, "first_name", first,
					"last_name", "Filed", (char *)NULL);
	long id = id_after(&r, "/candidates/");
	itest_resp_free(&r);
	return id;
}

static void a_file_is_deleted_after_a_confirmation_with_its_trail(void)
{
	struct itest_client *c = itest_as(&rita);
	char *first = itest_fmt("Deleting%s", run_id);
	long cand = new_candidate(c, first);
	CHECK(cand > 0, "a candidate");
	/* bytes of their own, so that no other attachment shares the file */
	char *txt = itest_fmt("Notes for %s\n", run_id);
	long att = upload(c, cand, "notes.txt", "text/plain", txt, strlen(txt));
	CHECK(att > 0, "an attachment");
	char *hex = itest_sql_str("SELECT sha256 FROM attachments WHERE id = %ld",
				  att);
	CHECK(hex && stored(hex), "its file is stored");

	char *tab = itest_fmt("/candidates/%ld?tab=attachments", cand);
	struct itest_resp r = itest_get(c, tab, false);
	CHECK_HAS(r, "Uploaded notes.txt to", "the upload said so");
	CHECK_HAS(r, "added the file notes.txt", "and the history");
	char *link = itest_fmt("href=\"/attachments/%ld/delete\"", att);
	CHECK_HAS(r, link, "the tab offers Delete");
	itest_resp_free(&r);

	char *confirm = itest_fmt("/attachments/%ld/delete", att);
	r = itest_get(c, confirm, false);
	CHECK_STATUS(r, 200, "the confirmation step");
	CHECK_HAS(r, "Delete this file?", "asks");
	CHECK_HAS(r, "notes.txt", "names the file");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM attachments WHERE id = %ld",
			    att) == 1,
	      "asking deletes nothing");
	itest_resp_free(&r);

	/* a hiring manager may not, whatever the candidate */
	struct itest_client *h = itest_as(&hank);
	r = itest_post(h, confirm, false, hank.csrf, (char *)NULL);
	CHECK_STATUS(r, 403, "a hiring manager deleting a file");
	itest_resp_free(&r);

	r = itest_post(c, confirm, false, rita.csrf, (char *)NULL);
	CHECK_STATUS(r, 303, "POST delete");
	CHECK(strstr(itest_location(&r), "tab=attachments") != NULL,
	      "back to the Attachments tab");
	itest_resp_free(&r);
	CHECK(itest_sql_int("SELECT COUNT(*) FROM attachments WHERE id = %ld",
			    att) == 0,
	      "the row is gone");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = "
			    "'attachment.delete' AND entity = 'candidate' "
			    "AND entity_id = %ld AND detail = 'notes.txt'",
			    cand) == 1,
	      "an audit entry");
	CHECK(itest_sql_int("SELECT COUNT(*) FROM candidate_events WHERE "
			    "candidate_id = %ld AND kind = "
			    "'attachment_deleted' AND detail = 'notes.txt'",
			    cand) == 1,
	      "a candidate event");
	CHECK(hex && !stored(hex), "the file is removed from disk");

	r = itest_get(c, tab, false);
	CHECK_HAS(r, "Deleted notes.txt from", "the notice says what happened");
	CHECK_HAS(r, "deleted the file notes.txt", "the history says it");
	CHECK_LACKS(r, "attachment_deleted", "in words, not its code");
	itest_resp_free(&r);

	r = itest_post(c, confirm, false, rita.csrf, (char *)NULL);
	CHECK_STATUS(r, 404, "deleting it again");
	itest_resp_free(&r);

	/* the same bytes on two candidates: deleting one keeps the file */
	long other = new_candidate(c, first);
	long a1 = upload(c, cand, "same.txt", "text/plain", txt, strlen(txt));
	long a2 = upload(c, other, "same.txt", "text/plain", txt, strlen(txt));
	char *del = itest_fmt("/attachments/%ld/delete", a1);
	r = itest_post(c, del, false, rita.csrf, (char *)NULL);
	CHECK_STATUS(r, 303, "delete one of two");
	itest_resp_free(&r);
	CHECK(hex && stored(hex), "the other's file stays");
	char *dl = itest_fmt("/attachments/%ld", a2);
	r = itest_get(c, dl, false);
	CHECK_STATUS(r, 200, "and downloads");
	CHECK(r.len == strlen(txt), "whole");
	itest_resp_free(&r);

	free(dl);
	free(del);
	free(confirm);
	free(link);
	free(tab);
	free(hex);
	free(txt);
	free(first);
}

/* A file of several megabytes comes back byte for byte: the response
 * goes to nginx as FastCGI records of hirelink's own (at most 64 KB each,
 * src/http/server.c fcgi_write), many to a write. */
static void a_large_file_downloads_byte_for_byte(void)
{
	struct itest_client *c = itest_as(&rita);
	char *first = itest_fmt("Large%s", run_id);
	long cand = new_candidate(c, first);
	size_t n = 5 * 1024 * 1024 + 12345;
	char *data = malloc(n);
	CHECK(data != NULL, "memory");
	if (!data)
		return;
	for (size_t i = 0; i < n; i++)
		data[i] = i % 61 == 60 ? '\n'
				       : (char)('a' + (i * 7 + i / 61) % 26);
	long id = upload(c, cand, "large.txt", "text/plain", data, n);
	CHECK(id > 0, "uploaded (%ld)", id);
	char *dl = itest_fmt("/attachments/%ld", id);
	struct itest_resp r = itest_get(c, dl, false);
	CHECK_STATUS(r, 200, dl);
	CHECK(r.len == n && !memcmp(r.body, data, n),
	      "%zu bytes back, the same (%zu)", n, (size_t)r.len);
	itest_resp_free(&r);
	free(dl);
	free(data);
	free(first);
}

/* ------------------------------------------------------------ preview */

static void a_pdf_is_previewed_inline_with_a_policy_of_its_own(void)
{
	struct itest_client *c = itest_as(&rita);
	char *first = itest_fmt("Preview%s", run_id);
	long cand = new_candidate(c, first);
	long txt = upload(c, cand, "plain.txt", "text/plain", "just text", 9);
	long pdf = upload(c, cand, "cv.pdf", "application/pdf", pdf_bytes,
			  sizeof(pdf_bytes) - 1);

	char *url = itest_fmt("/attachments/%ld/preview", pdf);
	struct itest_resp r = itest_get(c, url, false);
	CHECK_STATUS(r, 200, url);
	const char *ct = itest_header(&r, "Content-Type");
	CHECK(ct && !strcmp(ct, "application/pdf"), "Content-Type %s",
	      ct ? ct : "(none)");
	const char *cd = itest_header(&r, "Content-Disposition");
	CHECK(cd && !strncmp(cd, "inline; filename=\"cv.pdf\"", 25),
	      "inline: %s", cd ? cd : "(none)");
	const char *csp = itest_header(&r, "Content-Security-Policy");
	CHECK(csp && strstr(csp, "default-src 'none'") &&
		  strstr(csp, "frame-ancestors 'self'") &&
		  strstr(csp, "form-action 'none'") && !strstr(csp, "script-src"),
	      "a policy of its own: %s", csp ? csp : "(none)");
	CHECK(itest_header_nth(&r, "Content-Security-Policy", 1) == NULL,
	      "and only it");
	const char *nosniff = itest_header(&r, "X-Content-Type-Options");
	CHECK(nosniff && !strcmp(nosniff, "nosniff"), "nosniff");
	const char *xfo = itest_header(&r, "X-Frame-Options");
	CHECK(xfo && !strcmp(xfo, "SAMEORIGIN"), "framed by hirelink: %s",
	      xfo ? xfo : "(none)");
	CHECK(r.len == sizeof(pdf_bytes) - 1 &&
		  !memcmp(r.body, pdf_bytes, r.len),
	      "the PDF's bytes");
	itest_resp_free(&r);

	/* the download stays a download */
	char *dl = itest_fmt("/attachments/%ld", pdf);
	r = itest_get(c, dl, false);
	cd = itest_header(&r, "Content-Disposition");
	CHECK(cd && !strncmp(cd, "attachment;", 11), "download: %s",
	      cd ? cd : "(none)");
	itest_resp_free(&r);

	/* a TXT is never previewed */
	char *tu = itest_fmt("/attachments/%ld/preview", txt);
	r = itest_get(c, tu, false);
	CHECK_STATUS(r, 404, "a TXT's preview");
	CHECK_HAS(r, "download this one instead", "says what to do");
	itest_resp_free(&r);
	/* a file stored as a PDF whose bytes are not one: refused too */
	ITEST_SQL("the TXT claimed to be a PDF",
		  itest_fmt("UPDATE attachments SET content_type = "
			    "'application/pdf' WHERE id = %ld",
			    txt));
	r = itest_get(c, tu, false);
	CHECK_STATUS(r, 404, "bytes that are not a PDF");
	itest_resp_free(&r);

	/* the page frames it, and may */
	char *tab = itest_fmt("/candidates/%ld?tab=attachments", cand);
	r = itest_get(c, tab, false);
	char *frame = itest_fmt("<iframe class=\"pdf-preview\" src=\"%s\"", url);
	CHECK_HAS(r, frame, "the tab shows the PDF in a frame");
	csp = itest_header(&r, "Content-Security-Policy");
	CHECK(csp && strstr(csp, "frame-src 'self'"), "frame-src 'self': %s",
	      csp ? csp : "(none)");
	CHECK(csp && strstr(csp, "frame-ancestors 'none'"),
	      "the page itself is never framed");
	itest_resp_free(&r);
	/* other pages frame nothing of hirelink's */
	r = itest_get(c, "/candidates", false);
	csp = itest_header(&r, "Content-Security-Policy");
	CHECK(csp && !strstr(csp, "frame-src 'self'"), "elsewhere: %s",
	      csp ? csp : "(none)");
	itest_resp_free(&r);

	/* someone who may not see the candidate: 404 */
	struct itest_client *h = itest_as(&hank);
	r = itest_get(h, url, false);
	CHECK_STATUS(r, 404, "a hiring manager on none of its jobs");
	itest_resp_free(&r);

	free(frame);
	free(tab);
	free(tu);
	free(dl);
	free(url);
	free(first);
}

/* ------------------------------------------------------------ add to job */

static void add_to_job_is_a_choice_and_a_missing_one_is_said(void)
{
	struct itest_client *c = itest_as(&rita);
	char *first = itest_fmt("Chooser%s", run_id);
	long cand = new_candidate(c, first);
	char *cid = itest_fmt("%ld", cand);
	struct itest_resp r = itest_post(c, "/applications", false, rita.csrf,
					 "candidate_id", cid, "job_id", "",
					 (char *)NULL);
	CHECK_STATUS(r, 400, "no job chosen");
	CHECK_HAS(r, "<strong>Job</strong>", "named by its label");
	CHECK_HAS(r, "choose the job to add the candidate to", "in a sentence");
	CHECK_LACKS(r, "job_id", "never the field's key");
	itest_resp_free(&r);
	free(cid);
	free(first);
}

/* ------------------------------------------------------------ ?page=999 */

static void page_999_shows_the_last_page_of_every_list(void)
{
	struct itest_client *c = itest_signed_in_as("admin@demo.hirelink.test",
						    "demo-admin-1");
	long cand = (long)itest_sql_int(
	    "SELECT MIN(id) FROM candidates WHERE email LIKE '%%@%%'");
	char *notes = itest_fmt("/candidates/%ld?tab=notes&page=999", cand);
	const char *lists[] = {"/jobs?page=999", "/candidates?page=999",
			       "/admin/users?page=999", notes,
			       "/admin/linkedin/events?page=999"};
	for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
		struct itest_resp r = itest_get(c, lists[i], false);
		CHECK(r.status == 303 || r.status == 200, "%s: %ld", lists[i],
		      r.status);
		if (r.status == 303) {
			char *to = itest_strdup(itest_location(&r));
			CHECK(strstr(to, "page=") && !strstr(to, "page=999"),
			      "%s: to %s", lists[i], to);
			itest_resp_free(&r);
			r = itest_get(c, to, false);
			CHECK_STATUS(r, 200, to);
			CHECK_HAS(r, "There is no page 999", "says why");
			free(to);
		}
		CHECK_LACKS(r, "Error 400", "never a raw 400 page");
		itest_resp_free(&r);
	}
	/* a JSON client keeps its empty page */
	struct itest_resp r = itest_get(c, "/jobs?page=150", true);
	CHECK_STATUS(r, 200, "JSON past the end");
	CHECK_HAS(r, "\"past_end\":true", "says so");
	itest_resp_free(&r);
	free(notes);
	itest_client_free(c);
}

/* ------------------------------------------------------------ words */

/* The text a person reads on a page: the body without its tags (and so
 * without attribute values), scripts and styles; new. */
static char *text_of(const char *html)
{
	size_t n = strlen(html);
	char *out = malloc(n + 1), *o = out;
	const char *p = html;
	while (out && *p) {
		if (!strncasecmp(p, "<script", 7) || !strncasecmp(p, "<style", 6)) {
			const char *end = strncasecmp(p, "<script", 7)
					      ? strcasestr(p, "</style>")
					      : strcasestr(p, "</script>");
			p = end ? end + 8 : p + strlen(p);
			continue;
		}
		if (*p == '<') {
			const char *gt = strchr(p, '>');
			p = gt ? gt + 1 : p + strlen(p);
			*o++ = ' ';
			continue;
		}
		*o++ = *p++;
	}
	if (out)
		*o = 0;
	return out;
}

/* The codes no page may show: audit actions, rejection reasons, event
 * kinds with an underscore, roles and recommendations as stored. */
static const char *const codes[] = {
    "stage.delete",	 "stage.add",	       "stage.rename",
    "stage.move",	 "job.create",	       "job.update",
    "job.activate",	 "job.close",	       "job.member_add",
    "job.member_role",	 "job.member_remove",  "attachment.create",
    "attachment.delete", "application.reject", "application.move",
    "candidate.create",	 "position_filled",    "not_qualified",
    "candidate_declined", "no_response",       "attachment_deleted",
    "attachment_added",	 "hiring_manager",     "strong_yes",
    "strong_no",	 "stage_id",	       "user_id",
    "job_id",		 "candidate_id",
};

/* Whether the page at path, read as c, shows a code; reports each. */
static void no_codes(struct itest_client *c, const char *who,
		     const char *path)
{
	struct itest_resp r = itest_get(c, path, false);
	if (r.status != 200) {
		itest_resp_free(&r);
		return;
	}
	char *text = text_of(r.body);
	struct buf seen = BUF_INIT;
	for (size_t i = 0; text && i < ARRAY_LEN(codes); i++)
		if (strstr(text, codes[i]))
			buf_addf(&seen, " \"%s\"", codes[i]);
	if (text && strstr(text, "_id:"))
		buf_adds(&seen, " a field key (_id:)");
	CHECK(text && !seen.len, "%s sees%s on %s", who,
	      seen.len ? seen.data : "", path);
	buf_release(&seen);
	free(text);
	itest_resp_free(&r);
}

/* Up to max distinct "prefix<digits>" links of the page at path. */
static size_t links(struct itest_client *c, const char *path,
		    const char *prefix, long *out, size_t max)
{
	struct itest_resp r = itest_get(c, path, false);
	size_t n = 0, plen = strlen(prefix);
	for (const char *p = r.body; n < max && (p = strstr(p, prefix));
	     p += plen) {
		long id = strtol(p + plen, NULL, 10);
		bool seen = id <= 0;
		for (size_t i = 0; i < n; i++)
			seen = seen || out[i] == id;
		if (!seen)
			out[n++] = id;
	}
	itest_resp_free(&r);
	return n;
}

static void the_demo_pages_show_no_codes_to_any_role(void)
{
	/* the demo, busier: a stage deleted and one renamed, a rejection
	 * for position_filled with a note, a member added (as ats writes
	 * them: the pages must say them in words) */
	long job = (long)itest_sql_int(
	    "SELECT MIN(j.id) FROM jobs j JOIN users u ON u.id = j.created_by "
	    "WHERE u.email = 'admin@demo.hirelink.test'");
	long admin = (long)itest_sql_int(
	    "SELECT id FROM users WHERE email = 'admin@demo.hirelink.test'");
	long manager = (long)itest_sql_int(
	    "SELECT id FROM users WHERE email = 'manager@demo.hirelink.test'");
	CHECK(job > 0 && admin > 0 && manager > 0, "the demo is seeded");
	ITEST_SQL("history",
		  itest_fmt("INSERT INTO audit_log (user_id, action, entity, "
			    "entity_id, detail) VALUES (%ld, 'stage.delete', "
			    "'job', %ld, 'stage 999: Old screen'), (%ld, "
			    "'stage.rename', 'job', %ld, 'stage 998: Phone -> "
			    "Call'), (%ld, 'job.member_add', 'job', %ld, "
			    "'user %ld hiring_manager'), (%ld, 'stage.add', "
			    "'job', %ld, 'stage 997 interview: Panel')",
			    admin, job, admin, job, admin, job, manager, admin,
			    job));
	ITEST_SQL("a rejection",
		  itest_fmt("INSERT INTO application_events (application_id, "
			    "user_id, kind, detail) SELECT MIN(id), %ld, "
			    "'rejected', 'position_filled: went elsewhere' "
			    "FROM applications WHERE job_id = %ld",
			    admin, job));

	static const struct {
		const char *email, *password;
	} demo[] = {
	    {"admin@demo.hirelink.test", "demo-admin-1"},
	    {"recruiter@demo.hirelink.test", "demo-recruiter-1"},
	    {"manager@demo.hirelink.test", "demo-manager-1"},
	    {"interviewer@demo.hirelink.test", "demo-interviewer-1"},
	};
	static const char *const tabs[] = {"overview", "applications", "notes",
					   "feedback", "attachments",
					   "activities"};
	for (size_t u = 0; u < ARRAY_LEN(demo); u++) {
		struct itest_client *c =
		    itest_signed_in_as(demo[u].email, demo[u].password);
		const char *who = demo[u].email;
		const char *pages[] = {"/", "/jobs", "/candidates", "/pools",
				       "/admin/users", "/settings/user",
				       "/admin/linkedin/events",
				       "/admin/linkedin/outbox"};
		for (size_t i = 0; i < ARRAY_LEN(pages); i++)
			no_codes(c, who, pages[i]);
		long ids[4];
		size_t n = links(c, "/jobs", "href=\"/jobs/", ids, 3);
		for (size_t i = 0; i < n; i++) {
			char *p = itest_fmt("/jobs/%ld", ids[i]);
			no_codes(c, who, p);
			free(p);
		}
		char *jp = itest_fmt("/jobs/%ld", job);
		no_codes(c, who, jp);
		long apps[4];
		size_t na = links(c, jp, "href=\"/applications/", apps, 2);
		for (size_t i = 0; i < na; i++) {
			char *p = itest_fmt("/applications/%ld", apps[i]);
			no_codes(c, who, p);
			free(p);
		}
		free(jp);
		n = links(c, "/candidates", "href=\"/candidates/", ids, 3);
		for (size_t i = 0; i < n; i++)
			for (size_t t = 0; t < ARRAY_LEN(tabs); t++) {
				char *p = itest_fmt("/candidates/%ld?tab=%s",
						    ids[i], tabs[t]);
				no_codes(c, who, p);
				free(p);
			}
		/* the candidate rejected above, whose history says why */
		long rejected = (long)itest_sql_int(
		    "SELECT candidate_id FROM applications WHERE id = (SELECT "
		    "MIN(id) FROM applications WHERE job_id = %ld)",
		    job);
		char *rp =
		    itest_fmt("/candidates/%ld?tab=applications", rejected);
		no_codes(c, who, rp);
		free(rp);
		/* an error page: a form's field in words */
		struct itest_resp r = itest_get(c, "/settings/user", false);
		char *csrf = itest_csrf(&r);
		itest_resp_free(&r);
		r = itest_post(c, "/applications", false, csrf, "candidate_id",
			       "x", "job_id", "", (char *)NULL);
		char *text = text_of(r.body);
		CHECK(text && !strstr(text, "candidate_id") &&
			  !strstr(text, "job_id"),
		      "%s: an error page names a field by its key", who);
		free(text);
		itest_resp_free(&r);
		free(csrf);
		itest_client_free(c);
	}

	/* the job's history, as its manager reads it */
	struct itest_client *c = itest_signed_in_as("admin@demo.hirelink.test",
						    "demo-admin-1");
	char *jp = itest_fmt("/jobs/%ld", job);
	struct itest_resp r = itest_get(c, jp, false);
	CHECK_HAS(r, "deleted the stage “Old screen”", "stage.delete in words");
	CHECK_HAS(r, "renamed the stage “Phone” to “Call”",
		  "stage.rename in words");
	CHECK_HAS(r, "added Hank Manager as Hiring manager",
		  "job.member_add in words, with the member's name");
	CHECK_HAS(r, "added the stage “Panel” (Interview)",
		  "stage.add in words");
	itest_resp_free(&r);
	free(jp);
	itest_client_free(c);
}

/* Seeds the demo (idempotent: test_pools_people seeds it too). */
static int demo_init(void)
{
	char *cmd = itest_fmt("'%s' seed-demo >/dev/null",
			      itest_env("HIRELINK_BIN"));
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? suite_init() : -1;
}

int main(void)
{
	static const struct test tests[] = {
	    TEST(resume_on_the_new_candidate_form_makes_both_in_one_go),
	    TEST(a_refused_resume_creates_nothing_and_keeps_the_form),
	    TEST(a_file_is_deleted_after_a_confirmation_with_its_trail),
	    TEST(a_pdf_is_previewed_inline_with_a_policy_of_its_own),
	    TEST(a_large_file_downloads_byte_for_byte),
	    TEST(add_to_job_is_a_choice_and_a_missing_one_is_said),
	    TEST(page_999_shows_the_last_page_of_every_list),
	    TEST(the_demo_pages_show_no_codes_to_any_role),
	};
	static const struct suite suites[] = {
	    SUITE("files", demo_init, suite_clean, tests),
	};
	return itest_run(suites, ARRAY_LEN(suites));
}
