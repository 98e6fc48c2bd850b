/*
 * candidates.h - candidate records (F2) and their search, notes on them
 * (F3) and their attachments (resumes): candidates.c, search.c, notes.c and
 * attachments.c.
 *
 * Access is decided by the caller with access.h (ats_candidate_access),
 * except where a function takes the viewer: the candidate search applies
 * the same rule in SQL, and the note functions apply the privacy rule
 * (a private note exists only for its author: every list, count and lookup
 * here leaves other people's private notes out).
 *
 * Functions return DB_OK or a negative db_status (DB_NOT_FOUND,
 * DB_DUPLICATE, DB_GONE...), or ATS_INVALID with the offending field and a
 * message fit for the user in err (may be NULL).  Results are arena-owned.
 * Writes are audited (ats_audit) with the acting user.
 */
#ifndef HIRELINK_CANDIDATES_H
#define HIRELINK_CANDIDATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ats/access.h"
#include "ats/ats.h"

#define CANDIDATE_NAME_MAX     200   /* characters, first and last name */
#define CANDIDATE_EMAIL_MAX    254   /* bytes */
#define CANDIDATE_PHONE_MAX    50    /* characters */
#define CANDIDATE_HEADLINE_MAX 200   /* characters */
#define CANDIDATE_LOCATION_MAX 200   /* characters */
#define CANDIDATE_URL_MAX      500   /* characters */
#define CANDIDATE_SOURCE_MAX   100   /* characters */
#define CANDIDATE_CURRENT_MAX  200   /* characters, current title, company */
#define NOTE_BODY_MAX	       20000 /* characters */
#define ATTACHMENT_MAX_BYTES   (10 * 1024 * 1024)
#define ATTACHMENT_NAME_MAX    255 /* bytes of the stored filename */

struct candidate {
	int64_t id;
	const char *first_name;
	const char *last_name; /* "" when unknown */
	const char *email;     /* "" when unknown (NULL in the table) */
	const char *phone;     /* as entered, "" when unknown */
	const char *headline;
	const char *location;
	const char *linkedin_member_id; /* "" when not linked */
	const char *linkedin_url; /* "" or https://www.linkedin.com/in/... */
	const char *source;
	const char *created_at; /* "YYYY-MM-DD HH:MM" (UTC) */
	const char *current_title;   /* job title now, "" when unknown */
	const char *current_company; /* employer now, "" when unknown */
	int64_t version; /* bumped by each ats_candidate_update (the form's) */
};

/* What a create or an update takes; NULL fields count as "".  Callers
 * trim; the functions validate (UTF-8, lengths, email, LinkedIn URL). */
struct candidate_input {
	const char *first_name;	  /* required, 1-200 characters */
	const char *last_name;	  /* <= 200 */
	const char *email;	  /* optional; stored lowercased */
	const char *phone;	  /* <= 50; phone_digits derived */
	const char *headline;	  /* <= 200 */
	const char *location;	  /* <= 200 */
	const char *linkedin_url; /* "" or https://www.linkedin.com/in/... */
	const char *source;	  /* <= 100 */
	const char *current_title;   /* <= 200 */
	const char *current_company; /* <= 200 */
	/* Create only (the LinkedIn intake): "" or a member ID of letters,
	 * digits, '-' and '_' (<= 64).  Updates leave the link alone: linking
	 * and unlinking are the LinkedIn tab's (F8). */
	const char *linkedin_member_id;
	/* Update only: the candidate's version the form was read at, 0 for
	 * whatever it is now (ats_candidate_update). */
	int64_t version;
};

/* How a candidate field is checked. */
enum candidate_field_kind {
	CANDIDATE_FIELD_LINE,	      /* one line of text */
	CANDIDATE_FIELD_EMAIL,	      /* "" or an address; stored lowercased */
	CANDIDATE_FIELD_PHONE,	      /* one line with digits (phone_digits) */
	CANDIDATE_FIELD_LINKEDIN_URL, /* "" or a LinkedIn profile's address */
};

/* A field of the record that users edit: forms, JSON, the request's
 * fields and the checks of a create or an update all go by this table. */
struct candidate_field {
	const char *name; /* in forms and JSON, and its member in the structs */
	const char *label; /* "First name" */
	enum candidate_field_kind kind;
	bool required;
	size_t max;	      /* characters (the email: bytes) */
	const char *hint;     /* an example for an empty field, or NULL */
	const char *invalid;  /* what a value that fails the checks is told */
	size_t input, record; /* where it is in candidate_input, candidate */
};

/* The fields in the order forms show them, ending with a NULL name. */
extern const struct candidate_field ats_candidate_fields[];

/* Field f of in: where its value is (the value NULL when absent). */
const char **ats_candidate_input_field(struct candidate_input *in,
				       const struct candidate_field *f);
/* Field f of the record c. */
const char *ats_candidate_field(const struct candidate *c,
				const struct candidate_field *f);

struct candidate_list {
	struct candidate *v;
	size_t n;
	int64_t total;	 /* the matches, for pagination (see total_more) */
	bool total_more; /* total is a lower bound: there are more */
	/* ats_candidates_find: q's first-name prefix alone matches more than
	 * CANDIDATE_SEARCH_CAP (see candidate_query.first_name_over_cap) */
	bool first_name_over_cap;
};

/* "First Last" (or "First") into the arena. */
const char *ats_candidate_name(struct arena *a, const struct candidate *c);

/* DB_NOT_FOUND when there is no such candidate (access not checked). */
int ats_candidate_get(struct db *db, struct arena *a, int64_t id,
		      struct candidate *out);

/* A talent pool the candidate is in, as the candidate page names it. */
struct candidate_pool {
	int64_t id;
	const char *name;
	bool system; /* the LinkedIn pool */
};

/* What the candidate page shows besides the record, read with it. */
struct candidate_view {
	enum access access; /* the viewer's (ACCESS_NONE: not to be seen) */
	int64_t note_count; /* notes the viewer may read (privacy rule) */
	int64_t attachment_count;    /* attachments */
	struct candidate_pool *pools; /* with_pools: by name */
	size_t npools;
};

/* The candidate, the viewer's access to it (ats_candidate_access), the
 * counts of its tabs and, with_pools, the pools it is in (as
 * ats_candidate_pools) in one query, or for an admin or a recruiter kept
 * in kept (NULL: none) while the candidate's revision is unchanged.
 * DB_NOT_FOUND when there is no such candidate; a candidate the viewer may
 * not reach is DB_OK with access ACCESS_NONE (and *out filled: the caller
 * must not show it). */
int ats_candidate_view(struct db *db, struct arena *a, struct fragcache *kept,
		       const struct user *viewer, int64_t id, bool with_pools,
		       struct candidate *out, struct candidate_view *view);
/* The same with the candidate's revision (candidate_revisions.n) read by
 * the caller in this request, before anything the page shows
 * (fragcache.c), in a statement of its own (a tab's state): a kept head
 * then costs no statement.  revision NULL: read here. */
int ats_candidate_view_at(struct db *db, struct arena *a,
			  struct fragcache *kept, const struct user *viewer,
			  int64_t id, bool with_pools, const uint64_t *revision,
			  struct candidate *out, struct candidate_view *view);

/* Whether s is an address a candidate's email may be (the form's rule:
 * local@domain, ASCII, at most CANDIDATE_EMAIL_MAX bytes). */
bool ats_candidate_email_valid(const char *s);

/* The candidate with this email (any case), DB_NOT_FOUND when none. */
int ats_candidate_by_email(struct db *db, struct arena *a, const char *email,
			   struct candidate *out);

/* Validates and inserts; audited "candidate.create" by actor_id (0 = the
 * system).  ATS_INVALID with err set for bad input; DB_DUPLICATE when a
 * candidate with this email or this LinkedIn member ID exists, with
 * *existing_id set to it (the member ID match first) and nothing written.
 * *id gets the new candidate. */
int ats_candidate_create(struct db *db, int64_t actor_id,
			 const struct candidate_input *in,
			 const char *remote_addr, int64_t *id,
			 int64_t *existing_id, struct ats_error *err);

/* ats_candidate_create inside the caller's transaction, which it neither
 * begins nor ends, for a writer whose candidate must commit with its other
 * rows (a LinkedIn export): ATS_INVALID, DB_DUPLICATE (a holder found;
 * nothing written) or DB_OK as ats_candidate_create; a is the caller's.
 * Two such writers racing with one email or member: the second's INSERT
 * waits for the first to commit, then fails with DB_DUPLICATE. */
int ats_candidate_create_in(struct db *db, struct arena *a, int64_t actor_id,
			    const struct candidate_input *in,
			    const char *remote_addr, int64_t *id,
			    int64_t *existing_id, struct ats_error *err);

/* ats_candidate_create_in without its look for a holder, for a caller
 * that has just looked in the same transaction (a LinkedIn export): the
 * unique keys still refuse a candidate that appeared since, with
 * DB_DUPLICATE after the other writer's commit.  ATS_INVALID or DB_OK.
 * The new candidate is NOT marked in the outbox: the caller adds it to a
 * job in the same transaction (ats_application_add_in, which marks the
 * application's candidate unless the caller does it), or rolls back. */
int ats_candidate_insert_in(struct db *db, struct arena *a, int64_t actor_id,
			    const struct candidate_input *in,
			    const char *remote_addr, int64_t *id,
			    struct ats_error *err);

/* ats_candidate_create and a first attachment (a resume) in one
 * transaction: the file is checked first (ats_attachment_check: ATS_INVALID
 * with err->field "file", and nothing created), stored, then the candidate
 * and its attachment row commit together or not at all.  ATS_INVALID,
 * DB_DUPLICATE (*existing_id as ats_candidate_create), DB_ERROR when the
 * file cannot be written.  *id and *attachment_id (may be NULL) get the
 * new rows'.  a: the caller's (err's messages live in it). */
int ats_candidate_create_with_file(struct db *db, struct arena *a,
				   const char *data_dir, int64_t actor_id,
				   const struct candidate_input *in,
				   const char *filename, const void *data,
				   size_t len, const char *remote_addr,
				   int64_t *id, int64_t *attachment_id,
				   int64_t *existing_id, struct ats_error *err);

/* Links candidate id to LinkedIn member member_id (checked by the caller)
 * when it is linked to none, in the caller's transaction; audited
 * "candidate.link_member".  DB_NOT_FOUND when there is no such candidate
 * or it is linked already; DB_DUPLICATE when another candidate has the
 * member. */
int ats_candidate_link_member_in(struct db *db, int64_t actor_id, int64_t id,
				 const char *member_id, const char *remote_addr);

/* Same validation; audited "candidate.update".  DB_NOT_FOUND when there is
 * no such candidate; DB_DUPLICATE (with *existing_id) when the new email
 * belongs to another candidate; ATS_CONFLICT (applications.h, field
 * "version") when in->version is set and the candidate has another
 * version (someone saved it since the form was read): nothing changed.
 * Bumps the version. */
int ats_candidate_update(struct db *db, int64_t actor_id, int64_t id,
			 const struct candidate_input *in,
			 const char *remote_addr, int64_t *existing_id,
			 struct ats_error *err);

/*
 * The candidate search (the candidates list, F2 and issue 18).
 *
 * Who: the candidates the viewer may see (admins and recruiters: all;
 * hiring managers: candidates with an application on a job they are a
 * member of; interviewers: on a job they are an interviewer on -
 * ats_candidate_access in SQL).
 *
 * q (NULL or "" = all; case does not matter) matches, in this order of
 * relevance: a prefix of the first name (rank 1, by first name, last name,
 * id), of the last name (2, by last name, first name, id), "first last"
 * (3: the words before a space a prefix of the first name, the rest a
 * prefix of the last name), a prefix of the email (4), or, when q holds a
 * digit and nothing but digits, spaces and + - ( ) . /, a prefix of the
 * phone's digits (5); then every word of q (3 characters or more, not a
 * stopword: ats_fulltext_query) as the start of a word of the headline,
 * current title, current company or location (6, by FULLTEXT relevance),
 * or of one note the viewer may read (7: a public note, or the viewer's
 * own private one; never another user's private note).  A candidate shows
 * once, at its best rank.  '%' and '_' in q match themselves.
 *
 * Filters (0 / "" = any): a job the caller checked the viewer may see,
 * one stage of that job, the source (exactly), a talent pool, and the
 * date added from / to (both "YYYY-MM-DD", inclusive, UTC).
 */
enum candidate_sort {
	CANDIDATE_SORT_RELEVANCE, /* by rank as above; by name without q */
	CANDIDATE_SORT_NEWEST,	  /* date added, newest first */
	CANDIDATE_SORT_NAME,	  /* last name, first name */
};
struct candidate_query {
	const char *q;
	int64_t job_id, stage_id, pool_id;
	const char *source;
	const char *added_from, *added_to;
	enum candidate_sort sort;
	/* The caller saw lately (candidate_list.first_name_over_cap) that
	 * q alone, as a first-name prefix, matches more than the cap: the
	 * search then counts no further than its page needs, and says "over
	 * the cap" while the page is still full (what would cost a count of
	 * 10,001 index entries on every "Mar"). */
	bool first_name_over_cap;
};
/* Totals are exact up to CANDIDATE_SEARCH_CAP; past it total is the cap
 * and total_more is set ("over 10,000"). */
#define CANDIDATE_SEARCH_CAP 10000
/* limit 1-500 (else 50).  An offset past the end gives no rows and the
 * total. */
int ats_candidates_find(struct db *db, struct arena *a,
			const struct user *viewer,
			const struct candidate_query *f, int64_t offset,
			int64_t limit, struct candidate_list *out);
/* ats_candidates_find with q alone. */
int ats_candidates_search(struct db *db, struct arena *a,
			  const struct user *viewer, const char *q,
			  int64_t offset, int64_t limit,
			  struct candidate_list *out);
/* q's words as a FULLTEXT query in BOOLEAN MODE: each word of 3 or more
 * characters (innodb_ft_min_token_size) that is not one of InnoDB's
 * stopwords, required and as a prefix ("+word*"), at most 8 of them,
 * lowercased; "" when none (then nothing matches by words).  A word is a
 * run of letters, digits and '_' (InnoDB's tokens), so the query can hold
 * no operator a user typed.  Arena-owned; NULL when out of memory. */
const char *ats_fulltext_query(struct arena *a, const char *q);
/* s is a day "YYYY-MM-DD" from 1970 on (the date filters'). */
bool ats_date_valid(const char *s);
/* The sources candidates have, in order ("" left out), at most 50. */
int ats_candidate_sources(struct db *db, struct arena *a, const char ***out,
			  size_t *n);

/* Candidates matching q as ats_candidates_search matches for a recruiter,
 * in its order, who are not in pool pool_id: at most limit (1-500, else
 * 20), looked for among the first NOT_IN_POOL_WINDOW matches of each kind
 * (first name, last name, "first last", email, phone), so the cost is a
 * few index ranges however large the pool or the organisation (the pool
 * page's "add" search; a substring match read all the candidates, 1.3 s at
 * a million).  total is n. */
#define NOT_IN_POOL_WINDOW 500
int ats_candidates_not_in_pool(struct db *db, struct arena *a, const char *q,
			       int64_t pool_id, int64_t limit,
			       struct candidate_list *out);

/* ------------------------------------------------------------ notes */

struct note {
	int64_t id, candidate_id, author_id;
	const char *author_name;
	const char *body;
	bool is_public;		/* visibility 'public' */
	bool mine;		/* written by the viewer */
	const char *created_at; /* "YYYY-MM-DD HH:MM" */
	const char *updated_at;
};

struct note_list {
	struct note *v;
	size_t n;
	int64_t total; /* every note the viewer may read */
};

/* The notes on a candidate the viewer may read: public ones and the
 * viewer's own private ones, newest first, limit of them from offset, and
 * how many there are.  Access to the candidate is the caller's to check. */
int ats_candidate_notes(struct db *db, struct arena *a,
			const struct user *viewer, int64_t candidate_id,
			int64_t offset, int64_t limit, struct note_list *out);
/* Body 1-NOTE_BODY_MAX characters (trimmed by the caller).  Audited
 * "note.create" (the body is never put in the audit log). */
int ats_note_create(struct db *db, int64_t author_id, int64_t candidate_id,
		    const char *body, bool is_public, const char *remote_addr,
		    int64_t *id, struct ats_error *err);
/* A note as its author sees it; DB_NOT_FOUND unless the viewer wrote it. */
int ats_note_get_own(struct db *db, struct arena *a, const struct user *viewer,
		     int64_t note_id, struct note *out);
/* Author only (DB_NOT_FOUND for anybody else).  Audited "note.update". */
int ats_note_update(struct db *db, const struct user *viewer, int64_t note_id,
		    const char *body, bool is_public, const char *remote_addr,
		    struct ats_error *err);
/* Author only (DB_NOT_FOUND for anybody else).  Audited "note.delete". */
int ats_note_delete(struct db *db, const struct user *viewer, int64_t note_id,
		    const char *remote_addr);

/* ------------------------------------------------------------ attachments */

struct attachment {
	int64_t id, candidate_id;
	const char *sha256; /* 64 hex */
	const char *filename;
	const char *content_type;
	int64_t size;
	const char *uploaded_by_name; /* "" when unknown */
	const char *created_at;
};

struct attachment_list {
	struct attachment *v;
	size_t n;
};

/*
 * Checks an upload by its CONTENT: a PDF starts with "%PDF-"; a DOCX is a
 * ZIP ("PK\3\4") whose central directory holds "[Content_Types].xml" and
 * "word/" entries; a TXT is valid UTF-8 without NUL (and is neither of the
 * others).  The filename's extension (.pdf .docx .txt, any case) must name
 * the same type.  *content_type gets the type to store and serve (static
 * string).  ATS_INVALID with err (field "file") otherwise, including an
 * empty file or one larger than ATTACHMENT_MAX_BYTES.
 */
int ats_attachment_check(const char *filename, const void *data, size_t len,
			 const char **content_type, struct ats_error *err);

/* The filename made safe to keep and to send: any path before the last
 * '/' or '\\' cut off, control characters and '"' replaced by '_' (and
 * every byte >= 0x80 too when the name is not valid UTF-8), at most
 * ATTACHMENT_NAME_MAX bytes cut on a character boundary, trailing dots and
 * spaces dropped; "file" when nothing is left.  Arena-owned. */
const char *ats_attachment_filename(struct arena *a, const char *filename);

/* Checks (ats_attachment_check), stores the bytes as
 * <data_dir>/<first 2 hex>/<sha256 hex> (temp file + rename; content
 * already there is kept once) and inserts the metadata row.  Audited
 * "attachment.create".  DB_ERROR when the file cannot be written. */
int ats_attachment_create(struct db *db, struct arena *a, const char *data_dir,
			  int64_t actor_id, int64_t candidate_id,
			  const char *filename, const void *data, size_t len,
			  const char *remote_addr, int64_t *id,
			  struct ats_error *err);
/* Newest first. */
int ats_candidate_attachments(struct db *db, struct arena *a,
			      int64_t candidate_id,
			      struct attachment_list *out);
/* DB_NOT_FOUND when there is none (access to its candidate is the
 * caller's to check). */
int ats_attachment_get(struct db *db, struct arena *a, int64_t id,
		       struct attachment *out);
/* Reads the stored bytes of an attachment into the arena (*data, *len).
 * DB_NOT_FOUND when the file is missing, DB_ERROR on an I/O error. */
int ats_attachment_read(struct arena *a, const char *data_dir,
			const struct attachment *att, const char **data,
			size_t *len);

/* Deletes attachment id (the caller checked the access to its candidate):
 * its row, audited "attachment.delete" and told in the candidate's events
 * ("attachment_deleted"), in one transaction; then, after the commit, its
 * file unless another attachment names the same bytes (*file_removed,
 * may be NULL).  *gone gets what was deleted (arena-owned).
 * DB_NOT_FOUND when there is none. */
int ats_attachment_delete(struct db *db, struct arena *a, const char *data_dir,
			  int64_t actor_id, int64_t id, const char *remote_addr,
			  struct attachment *gone, bool *file_removed);

/* ------------------------------------------------------------ events */

/* What happened to a candidate outside its applications
 * (candidate_events): "attachment_added", "attachment_deleted". */
struct candidate_event {
	int64_t id;
	const char *kind, *detail;
	const char *user_name; /* "" for the system */
	const char *at;	       /* "YYYY-MM-DD HH:MM" */
};

struct candidate_event_list {
	struct candidate_event *v;
	size_t n;
};

/* Writes one in the caller's transaction. */
int ats_candidate_event(struct db *db, int64_t candidate_id, int64_t user_id,
			const char *kind, const char *detail);
/* The newest (at most limit), newest first. */
int ats_candidate_events(struct db *db, struct arena *a, int64_t candidate_id,
			 int64_t limit, struct candidate_event_list *out);

/* What a sweep of data_dir removed. */
struct ats_sweep {
	int64_t temporaries; /* ".tmp-*" files of uploads never finished */
	int64_t orphans;     /* stored files no attachment names */
};
/* Removes what interrupted uploads left in data_dir: temporaries older
 * than 10 minutes, and with orphans also stored files older than an hour
 * that no attachments row names (see attachments.c); adds the counts to
 * upload_sweeps (ats_uploads_swept, /metrics).  DB_OK (a missing data_dir
 * is nothing to sweep), or DB_ERROR / a db status. */
int ats_uploads_sweep(struct db *db, const char *data_dir, bool orphans,
		      struct ats_sweep *out);
/* The counts every sweep so far added (all processes). */
int ats_uploads_swept(struct db *db, struct arena *a, int64_t *temporaries,
		      int64_t *orphans);

#endif
