/*
 * attachments.c - files kept on a candidate (resumes): PDF, DOCX or TXT.
 *
 * The type of an upload is decided by its bytes, not by what the browser
 * claimed: a PDF starts with "%PDF-", a DOCX is a ZIP whose central
 * directory names "[Content_Types].xml" and entries under "word/", a TXT is
 * UTF-8 without NUL bytes; and the filename's extension must say the same,
 * so a file never changes its meaning between upload and download.
 *
 * Bytes are stored by content, <data_dir>/<first 2 hex>/<sha256 hex>:
 * written to a temporary file in the same directory and renamed into place,
 * so a reader never sees half a file, and the same content uploaded twice
 * (or for two candidates) is kept once.  The attachments table holds what
 * the user sees: name, type, size, who and when.  The file is written
 * before its row: when the row cannot be written the file stays behind,
 * which is harmless (nothing points at it; the next upload of the same
 * bytes reuses it), while the other order could leave a row without a file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ats/candidates.h"
#include "ats/check.h"
#include "core/crypto.h"

#define CT_PDF "application/pdf"
#define CT_DOCX                                                                \
	"application/"                                                         \
	"vnd.openxmlformats-officedocument.wordprocessingml.document"
#define CT_TXT "text/plain; charset=utf-8"

/* ------------------------------------------------------------ checks */

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * A ZIP with the entries of a Word document.  Reads the end-of-central-
 * directory record (searched backwards over the comment, at most 64 KiB)
 * and walks the central directory, every offset checked against len.
 */
static bool docx_valid(const unsigned char *p, size_t len)
{
	if (len < 22 || memcmp(p, "PK\3\4", 4))
		return false;
	size_t eocd = 0;
	bool found = false;
	size_t lowest = len > 22 + 65535 ? len - 22 - 65535 : 0;
	for (size_t i = len - 22 + 1; i-- > lowest;) {
		if (!memcmp(p + i, "PK\5\6", 4)) {
			eocd = i;
			found = true;
			break;
		}
	}
	if (!found)
		return false;
	size_t entries = le16(p + eocd + 10);
	size_t cd_size = le32(p + eocd + 12);
	size_t cd_off = le32(p + eocd + 16);
	if (cd_off > eocd || cd_size > eocd - cd_off)
		return false;
	bool types = false, word = false;
	size_t off = cd_off, end = cd_off + cd_size;
	for (size_t e = 0; e < entries; e++) {
		if (end - off < 46 || memcmp(p + off, "PK\1\2", 4))
			return false;
		size_t nlen = le16(p + off + 28);
		size_t xlen = le16(p + off + 30);
		size_t clen = le16(p + off + 32);
		if (nlen + xlen + clen > end - off - 46)
			return false;
		const char *name = (const char *)p + off + 46;
		if (nlen == 19 && !memcmp(name, "[Content_Types].xml", 19))
			types = true;
		if (nlen > 5 && !memcmp(name, "word/", 5))
			word = true;
		off += 46 + nlen + xlen + clen;
	}
	return types && word;
}

/* The extension after the last '.', lowercased into ext (""); ext holds
 * 8 bytes. */
static void extension(const char *filename, char ext[8])
{
	const char *dot = strrchr(filename, '.');
	ext[0] = 0;
	if (!dot || strlen(dot + 1) >= 8)
		return;
	size_t i = 0;
	for (const char *s = dot + 1; *s; s++)
		ext[i++] = (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
	ext[i] = 0;
}

int ats_attachment_check(const char *filename, const void *data, size_t len,
			 const char **content_type, struct ats_error *err)
{
	const unsigned char *p = data;
	char ext[8];

	if (!len)
		return ats_invalid(err, "file",
				   "is empty: choose a PDF, DOCX or TXT "
				   "file to upload");
	if (len > ATTACHMENT_MAX_BYTES)
		return ats_invalid(err, "file", "is larger than 10 MiB");
	/* What the bytes are, whatever the name says. */
	const char *kind = NULL;
	if (len >= 5 && !memcmp(p, "%PDF-", 5))
		kind = "pdf";
	else if (len >= 4 && !memcmp(p, "PK\3\4", 4))
		kind = docx_valid(p, len) ? "docx" : NULL;
	else if (utf8_valid(data, len))
		kind = "txt";
	extension(filename ? filename : "", ext);
	if (strcmp(ext, "pdf") && strcmp(ext, "docx") && strcmp(ext, "txt"))
		return ats_invalid(err, "file",
				   "must be a PDF, DOCX or TXT file (named "
				   ".pdf, .docx or .txt)");
	if (!kind || strcmp(kind, ext)) {
		if (!strcmp(ext, "pdf"))
			return ats_invalid(err, "file",
					   "is named .pdf but is not a PDF "
					   "document");
		if (!strcmp(ext, "docx"))
			return ats_invalid(err, "file",
					   "is named .docx but is not a Word "
					   "(DOCX) document");
		return ats_invalid(err, "file",
				   "is named .txt but is not plain UTF-8 "
				   "text (it is binary, not UTF-8, or a PDF "
				   "or DOCX document)");
	}
	*content_type = !strcmp(kind, "pdf")	? CT_PDF
			: !strcmp(kind, "docx") ? CT_DOCX
						: CT_TXT;
	return DB_OK;
}

const char *ats_attachment_filename(struct arena *a, const char *filename)
{
	const char *s = filename ? filename : "";
	const char *slash = strrchr(s, '/'), *bslash = strrchr(s, '\\');
	if (slash)
		s = slash + 1;
	if (bslash && bslash + 1 > s)
		s = bslash + 1;
	size_t n = strlen(s);
	char *out = arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	bool utf8 = utf8_valid(s, n);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f || ch == '"' ||
		    (!utf8 && ch >= 0x80))
			out[k++] = '_';
		else
			out[k++] = (char)ch;
	}
	out[k] = 0;
	/* "résumé<U+202E>fdp.exe" would show as "résuméexe.pdf" */
	if (utf8)
		ats_line_disarm(out, '_');
	k = strlen(out);
	/* Cut at ATTACHMENT_NAME_MAX bytes, never inside a character. */
	if (k > ATTACHMENT_NAME_MAX) {
		k = ATTACHMENT_NAME_MAX;
		while (k > 0 && ((unsigned char)out[k] & 0xc0) == 0x80)
			k--;
	}
	out[k] = 0;
	while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '.'))
		out[--k] = 0;
	return k ? out : "file";
}

/* ------------------------------------------------------------ storage */

/* mkdir that accepts an existing directory. */
static int ensure_dir(const char *path)
{
	if (mkdir(path, 0750) == 0 || errno == EEXIST)
		return 0;
	log_error("cannot create directory %s: %s", path, strerror(errno));
	return -1;
}

/* Writes data to <dir>/<hex> unless it is there already. */
static int store(struct arena *a, const char *data_dir, const char *hex,
		 const void *data, size_t len)
{
	const char *dir = arena_printf(a, "%s/%.2s", data_dir, hex);
	const char *path = arena_printf(a, "%s/%.2s/%s", data_dir, hex, hex);
	char rnd[17];
	if (!dir || !path || crypto_random_hex(rnd, 8) < 0)
		return -1;
	const char *tmp = arena_printf(a, "%s/.tmp-%s", dir, rnd);
	if (!tmp || ensure_dir(data_dir) < 0 || ensure_dir(dir) < 0)
		return -1;

	/* The same content, kept once; made recent, so that the sweep of
	 * orphans (ats_uploads_sweep) leaves it to the row about to name it.
	 * Gone meanwhile: written again. */
	struct stat st;
	if (stat(path, &st) == 0 && (size_t)st.st_size == len &&
	    utimensat(AT_FDCWD, path, NULL, 0) == 0)
		return 0;

	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		log_error("cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_error("cannot write %s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		log_error("cannot write %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		log_error("cannot rename %s to %s: %s", tmp, path,
			  strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

#define ATTACHMENT_COLUMNS                                                     \
	"t.id, t.candidate_id, t.sha256, t.filename, t.content_type, t.size, " \
	"COALESCE(u.name, ''), DATE_FORMAT(t.created_at, '%Y-%m-%d %H:%i')"
static void attachment_from_row(const struct db_row *r, struct attachment *t);
static bool is_hex(const char *s, size_t n);
static int named(struct db *db, struct arena *a, const char *hex);

/* An attachment's row, for its transaction (db_transaction: run again
 * after a deadlock, so every run writes id afresh). */
struct attachment_write {
	int64_t actor_id, candidate_id;
	const char *hex, *name, *content_type;
	int64_t size;
	const char *remote_addr;
	int64_t id; /* the new row's */
};

static int attachment_insert(struct db *db, struct arena *a, void *arg)
{
	struct attachment_write *x = arg;
	int rc = db_exec(db, NULL,
			 "INSERT INTO attachments (candidate_id, sha256, "
			 "filename, content_type, size, uploaded_by) "
			 "VALUES (?, ?, ?, ?, ?, NULLIF(?, 0))",
			 "isssii", x->candidate_id, x->hex, x->name,
			 x->content_type, x->size, x->actor_id);
	if (rc == DB_OK) {
		x->id = (int64_t)db_insert_id(db);
		rc = ats_audit(db, x->actor_id, "attachment.create",
			       "candidate", x->candidate_id, x->name,
			       x->remote_addr);
	}
	if (rc == DB_OK)
		rc = ats_candidate_event(db, x->candidate_id, x->actor_id,
					 "attachment_added", x->name);
	return rc;
}

int ats_candidate_event(struct db *db, int64_t candidate_id, int64_t user_id,
			const char *kind, const char *detail)
{
	return db_exec(db, NULL,
		       "INSERT INTO candidate_events (candidate_id, user_id, "
		       "kind, detail) VALUES (?, NULLIF(?, 0), ?, ?)",
		       "iiss", candidate_id, user_id, kind,
		       detail ? detail : "");
}

int ats_candidate_events(struct db *db, struct arena *a, int64_t candidate_id,
			 int64_t limit, struct candidate_event_list *out)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	int rc = db_query(db, a, &res,
			  "SELECT e.id, e.kind, e.detail, COALESCE(u.name, ''), "
			  "DATE_FORMAT(e.at, '%Y-%m-%d %H:%i') FROM "
			  "candidate_events e LEFT JOIN users u ON u.id = "
			  "e.user_id WHERE e.candidate_id = ? ORDER BY e.id "
			  "DESC LIMIT ?",
			  "ii", candidate_id, limit);
	if (rc != DB_OK)
		return rc;
	out->v = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++) {
		char **v = res.rows[i].v;
		out->v[i] = (struct candidate_event){
		    db_int(&res.rows[i], 0), v[1] ? v[1] : "",
		    v[2] ? v[2] : "", v[3] ? v[3] : "", v[4] ? v[4] : ""};
	}
	out->n = res.nrows;
	return DB_OK;
}

/* An attachment deleted, for its transaction. */
struct attachment_delete {
	int64_t actor_id, id;
	const char *remote_addr;
	struct arena *a; /* the caller's: what was deleted outlives the run */
	struct attachment *gone;
};

static int attachment_remove(struct db *db, struct arena *a, void *arg)
{
	struct attachment_delete *x = arg;
	struct db_row r;
	int rc = db_query_row(db, x->a, &r,
			      "SELECT " ATTACHMENT_COLUMNS
			      " FROM attachments t LEFT JOIN users u ON u.id = "
			      "t.uploaded_by WHERE t.id = ? FOR UPDATE",
			      "i", x->id);
	if (rc != DB_OK)
		return rc;
	attachment_from_row(&r, x->gone);
	rc = db_exec(db, NULL, "DELETE FROM attachments WHERE id = ?", "i",
		     x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "attachment.delete",
			       "candidate", x->gone->candidate_id,
			       x->gone->filename, x->remote_addr);
	if (rc == DB_OK)
		rc = ats_candidate_event(db, x->gone->candidate_id,
					 x->actor_id, "attachment_deleted",
					 x->gone->filename);
	return rc;
}

int ats_attachment_delete(struct db *db, struct arena *a, const char *data_dir,
			  int64_t actor_id, int64_t id, const char *remote_addr,
			  struct attachment *gone, bool *file_removed)
{
	struct attachment_delete x = {.actor_id = actor_id,
				      .id = id,
				      .remote_addr = remote_addr,
				      .a = a,
				      .gone = gone};
	if (file_removed)
		*file_removed = false;
	int rc = db_transaction(db, attachment_remove, &x);
	if (rc != DB_OK)
		return rc;
	/* After the commit, the file, unless another attachment (the same
	 * bytes uploaded twice) still names it.  An upload of the same bytes
	 * under way stores them again after its own commit (upload_keep). */
	const char *hex = gone->sha256;
	if (strlen(hex) != 2 * SHA256_LEN || !is_hex(hex, 2 * SHA256_LEN))
		return DB_OK;
	if (named(db, a, hex) != DB_NOT_FOUND)
		return DB_OK;
	const char *path = arena_printf(a, "%s/%.2s/%s", data_dir, hex, hex);
	if (path && unlink(path) == 0) {
		if (file_removed)
			*file_removed = true;
	} else if (path && errno != ENOENT)
		log_warn("cannot remove attachment file %s: %s", path,
			 strerror(errno));
	return DB_OK;
}

/* The file of an upload checked and stored: its name, type and hash
 * (hex, 65 bytes).  DB_OK, ATS_INVALID (err), DB_ERROR. */
static int upload_prepare(struct arena *a, const char *data_dir,
			  const char *filename, const void *data, size_t len,
			  const char **name, const char **ct, char *hex,
			  struct ats_error *err)
{
	unsigned char digest[SHA256_LEN];
	*name = ats_attachment_filename(a, filename);
	if (!*name)
		return DB_ERROR;
	int rc = ats_attachment_check(*name, data, len, ct, err);
	if (rc != DB_OK)
		return rc;
	crypto_sha256(data, len, digest);
	hex_encode(digest, SHA256_LEN, hex);
	return store(a, data_dir, hex, data, len) < 0 ? DB_ERROR : DB_OK;
}

/* After the commit of a row naming file hex: a sweep that found the file
 * without a row just before the commit may have taken it away, and the
 * row must have its file. */
static void upload_keep(struct arena *a, const char *data_dir, const char *hex,
			const void *data, size_t len, int64_t id)
{
	struct stat st;
	const char *path = arena_printf(a, "%s/%.2s/%s", data_dir, hex, hex);
	if ((!path || stat(path, &st) < 0) &&
	    store(a, data_dir, hex, data, len) < 0)
		log_error("attachment %lld: cannot store its file again",
			  (long long)id);
}

/* A new candidate and its first attachment, for their one transaction. */
struct candidate_upload {
	struct arena *a; /* the caller's: err's messages outlive the run */
	const struct candidate_input *in;
	int64_t *existing_id;
	struct ats_error *err;
	struct attachment_write att; /* candidate_id: the new one's */
};

static int candidate_upload_insert(struct db *db, struct arena *a, void *arg)
{
	struct candidate_upload *x = arg;
	int rc = ats_candidate_create_in(db, x->a, x->att.actor_id, x->in,
					 x->att.remote_addr,
					 &x->att.candidate_id, x->existing_id,
					 x->err);
	return rc == DB_OK ? attachment_insert(db, a, &x->att) : rc;
}

int ats_candidate_create_with_file(struct db *db, struct arena *a,
				   const char *data_dir, int64_t actor_id,
				   const struct candidate_input *in,
				   const char *filename, const void *data,
				   size_t len, const char *remote_addr,
				   int64_t *id, int64_t *attachment_id,
				   int64_t *existing_id, struct ats_error *err)
{
	const char *name, *ct;
	char hex[2 * SHA256_LEN + 1];
	if (existing_id)
		*existing_id = 0;
	/* The file first: a refused file creates nothing. */
	int rc = upload_prepare(a, data_dir, filename, data, len, &name, &ct,
				hex, err);
	if (rc != DB_OK)
		return rc;
	struct candidate_upload x = {
	    .a = a,
	    .in = in,
	    .existing_id = existing_id,
	    .err = err,
	    .att = {.actor_id = actor_id,
		    .hex = hex,
		    .name = name,
		    .content_type = ct,
		    .size = (int64_t)len,
		    .remote_addr = remote_addr}};
	rc = db_transaction(db, candidate_upload_insert, &x);
	if (rc != DB_OK)
		return rc;
	upload_keep(a, data_dir, hex, data, len, x.att.id);
	if (id)
		*id = x.att.candidate_id;
	if (attachment_id)
		*attachment_id = x.att.id;
	return DB_OK;
}

int ats_attachment_create(struct db *db, struct arena *a, const char *data_dir,
			  int64_t actor_id, int64_t candidate_id,
			  const char *filename, const void *data, size_t len,
			  const char *remote_addr, int64_t *id,
			  struct ats_error *err)
{
	const char *ct;
	const char *name = ats_attachment_filename(a, filename);
	if (!name)
		return DB_ERROR;
	int rc = ats_attachment_check(name, data, len, &ct, err);
	if (rc != DB_OK)
		return rc;

	unsigned char digest[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	crypto_sha256(data, len, digest);
	hex_encode(digest, SHA256_LEN, hex);

	/* The candidate first: no file for a candidate that is not there. */
	struct db_row r;
	rc = db_query_row(db, a, &r, "SELECT 1 FROM candidates WHERE id = ?",
			  "i", candidate_id);
	if (rc != DB_OK)
		return rc;
	if (store(a, data_dir, hex, data, len) < 0)
		return DB_ERROR;

	struct attachment_write x = {.actor_id = actor_id,
				     .candidate_id = candidate_id,
				     .hex = hex,
				     .name = name,
				     .content_type = ct,
				     .size = (int64_t)len,
				     .remote_addr = remote_addr};
	rc = db_transaction(db, attachment_insert, &x);
	/* A sweep that found the file without a row just before ours
	 * committed may have taken it away: the row must have its file. */
	struct stat st;
	const char *path = arena_printf(a, "%s/%.2s/%s", data_dir, hex, hex);
	if (rc == DB_OK && (!path || stat(path, &st) < 0) &&
	    store(a, data_dir, hex, data, len) < 0)
		log_error("attachment %lld: cannot store its file again",
			  (long long)x.id);
	if (rc == DB_OK && id)
		*id = x.id;
	return rc;
}

/* ------------------------------------------------------------ sweep */

/*
 * What kill -9 (or a crash, or a full disk) leaves in data_dir: a
 * ".tmp-*" file store() had not renamed yet, and a stored file whose row
 * was never written (store() writes the file first, see the top) or whose
 * rows went with their candidate.  Neither is ever read; the sweep takes
 * them away, each only when older than its grace, so that an upload under
 * way (its temporary, or its file before its row commits) is never
 * touched.  An orphan is moved aside (".sweep-<name>") before the last
 * check of its rows: an upload that reuses the file in that moment finds
 * it gone after its commit and writes it again (ats_attachment_create), or
 * the sweep, seeing the new row, puts it back.
 */
#define SWEEP_TEMP_GRACE_S   600  /* an upload writes its file in seconds */
#define SWEEP_ORPHAN_GRACE_S 3600 /* and its row right after */

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0';
}

/* DB_OK when some attachment names sha256 hex, DB_NOT_FOUND when none. */
static int named(struct db *db, struct arena *a, const char *hex)
{
	struct db_row r;
	return db_query_row(db, a, &r,
			    "SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1",
			    "s", hex);
}

static void sweep_dir(struct db *db, struct arena *a, const char *dir,
		      const char *prefix, bool orphans, time_t now,
		      struct ats_sweep *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		bool temp = !strncmp(n, ".tmp-", 5);
		bool stored = orphans && strlen(n) == 64 && is_hex(n, 64) &&
			      !strncmp(n, prefix, 2);
		if (!temp && !stored)
			continue;
		const char *path = arena_printf(a, "%s/%s", dir, n);
		struct stat st;
		if (!path || lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (temp) {
			if (now - st.st_mtime >= SWEEP_TEMP_GRACE_S &&
			    unlink(path) == 0)
				out->temporaries++;
			continue;
		}
		if (now - st.st_mtime < SWEEP_ORPHAN_GRACE_S ||
		    named(db, a, n) != DB_NOT_FOUND)
			continue;
		const char *aside = arena_printf(a, "%s/.sweep-%s", dir, n);
		if (!aside || rename(path, aside) < 0)
			continue;
		int rc = named(db, a, n);
		if (rc == DB_NOT_FOUND && unlink(aside) == 0)
			out->orphans++;
		else if (rename(aside, path) < 0)
			log_error("cannot put back %s: %s", path,
				  strerror(errno));
	}
	closedir(d);
}

int ats_uploads_sweep(struct db *db, const char *data_dir, bool orphans,
		      struct ats_sweep *out)
{
	*out = (struct ats_sweep){0};
	DIR *d = opendir(data_dir);
	if (!d)
		return errno == ENOENT ? DB_OK : DB_ERROR;
	struct arena *a = arena_new(16384);
	if (!a) {
		closedir(d);
		return DB_ERROR;
	}
	time_t now = time(NULL);
	struct dirent *e;
	while ((e = readdir(d))) {
		/* the <first 2 hex> directories store() makes */
		if (strlen(e->d_name) != 2 || !is_hex(e->d_name, 2))
			continue;
		const char *dir = arena_printf(a, "%s/%s", data_dir, e->d_name);
		if (dir)
			sweep_dir(db, a, dir, e->d_name, orphans, now, out);
		arena_reset(a);
	}
	closedir(d);
	arena_free(a);
	int rc = DB_OK;
	if (out->temporaries || out->orphans)
		rc = db_exec(db, NULL,
			     "INSERT INTO upload_sweeps (kind, n) VALUES "
			     "('temporary', ?), ('orphan', ?) ON DUPLICATE KEY "
			     "UPDATE n = n + VALUES(n)",
			     "ii", out->temporaries, out->orphans);
	if (out->temporaries || out->orphans)
		log_info("uploads sweep: %lld temporaries and %lld files "
			 "without an attachment removed",
			 (long long)out->temporaries, (long long)out->orphans);
	return rc;
}

int ats_uploads_swept(struct db *db, struct arena *a, int64_t *temporaries,
		      int64_t *orphans)
{
	struct db_result res;
	*temporaries = *orphans = 0;
	int rc = db_query(db, a, &res, "SELECT kind, n FROM upload_sweeps",
			  "");
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++)
		*(strcmp(res.rows[i].v[0], "orphan") ? temporaries : orphans) =
		    db_int(&res.rows[i], 1);
	return rc;
}

static void attachment_from_row(const struct db_row *r, struct attachment *t)
{
	t->id = db_int(r, 0);
	t->candidate_id = db_int(r, 1);
	t->sha256 = r->v[2] ? r->v[2] : "";
	t->filename = r->v[3] ? r->v[3] : "file";
	t->content_type = r->v[4] ? r->v[4] : "application/octet-stream";
	t->size = db_int(r, 5);
	t->uploaded_by_name = r->v[6] ? r->v[6] : "";
	t->created_at = r->v[7] ? r->v[7] : "";
}

int ats_candidate_attachments(struct db *db, struct arena *a,
			      int64_t candidate_id, struct attachment_list *out)
{
	struct db_result res;
	memset(out, 0, sizeof(*out));
	int rc = db_query(db, a, &res,
			  "SELECT " ATTACHMENT_COLUMNS
			  " FROM attachments t LEFT JOIN users u ON u.id = "
			  "t.uploaded_by WHERE t.candidate_id = ? ORDER BY "
			  "t.id DESC",
			  "i", candidate_id);
	if (rc != DB_OK)
		return rc;
	out->v = arena_calloc(a, res.nrows ? res.nrows : 1, sizeof(*out->v));
	if (!out->v)
		return DB_ERROR;
	for (size_t i = 0; i < res.nrows; i++)
		attachment_from_row(&res.rows[i], &out->v[i]);
	out->n = res.nrows;
	return DB_OK;
}

int ats_attachment_get(struct db *db, struct arena *a, int64_t id,
		       struct attachment *out)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT " ATTACHMENT_COLUMNS
			      " FROM attachments t LEFT JOIN users u ON u.id = "
			      "t.uploaded_by WHERE t.id = ?",
			      "i", id);
	if (rc == DB_OK)
		attachment_from_row(&r, out);
	return rc;
}

int ats_attachment_read(struct arena *a, const char *data_dir,
			const struct attachment *att, const char **data,
			size_t *len)
{
	/* The name comes from our own table, but it is a path: only hex. */
	if (strlen(att->sha256) != 2 * SHA256_LEN ||
	    strspn(att->sha256, "0123456789abcdef") != 2 * SHA256_LEN)
		return DB_ERROR;
	const char *path =
	    arena_printf(a, "%s/%.2s/%s", data_dir, att->sha256, att->sha256);
	if (!path)
		return DB_ERROR;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_error("cannot open attachment %s: %s", path,
			  strerror(errno));
		return errno == ENOENT ? DB_NOT_FOUND : DB_ERROR;
	}
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int rc = DB_ERROR;
	if (fstat(fd, &st) < 0 || st.st_size < 0 ||
	    st.st_size > 4 * (off_t)ATTACHMENT_MAX_BYTES)
		goto out;
	n = (size_t)st.st_size;
	buf = arena_alloc(a, n + 1);
	if (!buf)
		goto out;
	for (size_t got = 0; got < n;) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			log_error("cannot read attachment %s: %s", path,
				  r < 0 ? strerror(errno) : "short file");
			goto out;
		}
		got += (size_t)r;
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
	rc = DB_OK;
out:
	close(fd);
	return rc;
}
