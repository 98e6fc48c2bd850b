/*
 * candidates.c - candidate records (F2): validation, create, update, get,
 * and the candidate page's head.  The search behind the candidates list is
 * search.c's.
 *
 * Emails are stored lowercased and are unique (the table's unique key is
 * case-insensitive as well), so "one person, one record" holds however the
 * address was typed: a create with a known email writes nothing and names
 * the record that exists, for the page to offer.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "ats/applications.h"
#include "ats/candidates.h"
#include "ats/check.h"
#include "ats/outbox.h"

/* ------------------------------------------------------------ validation */

/* The characters RFC 5322 allows unquoted in the local part. */
static bool email_local_char(unsigned char ch)
{
	return isalnum(ch) || (ch && strchr("!#$%&'*+/=?^_`{|}~.-", ch));
}

/* A plain address: local@domain, ASCII, the local part of atext and dots,
 * a domain of labels (letters, digits, hyphens) with at least one dot. */
bool ats_candidate_email_valid(const char *s)
{
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (!at || at == s || n > CANDIDATE_EMAIL_MAX || strchr(at + 1, '@'))
		return false;
	if (s[0] == '.' || at[-1] == '.')
		return false;
	for (const char *p = s; p < at; p++)
		if (!email_local_char((unsigned char)*p) ||
		    (p[0] == '.' && p[1] == '.'))
			return false;
	const char *d = at + 1;
	size_t label = 0;
	bool dot = false;
	if (!*d)
		return false;
	for (const char *p = d; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '.') {
			if (!label || p[-1] == '-')
				return false;
			label = 0;
			dot = true;
		} else if (isalnum(ch) || ch == '-') {
			if (!label && ch == '-')
				return false;
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return dot && label > 0 && d[strlen(d) - 1] != '-';
}

/* "" or https://www.linkedin.com/in/<profile>[/] with the profile of
 * letters, digits, '-', '_' and percent escapes. */
static bool linkedin_url_valid(const char *s)
{
	static const char prefix[] = "https://www.linkedin.com/in/";
	if (!*s)
		return true;
	if (strlen(s) > CANDIDATE_URL_MAX ||
	    strncmp(s, prefix, sizeof(prefix) - 1))
		return false;
	const char *p = s + sizeof(prefix) - 1;
	size_t n = 0;
	for (; *p && *p != '/'; p++, n++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '%') {
			if (!isxdigit((unsigned char)p[1]) ||
			    !isxdigit((unsigned char)p[2]))
				return false;
			p += 2;
		} else if (!isalnum(ch) && ch != '-' && ch != '_') {
			return false;
		}
	}
	return n > 0 && (!*p || !strcmp(p, "/"));
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* A row of ats_candidate_fields for member m of both structs, which is
 * also the field's name. */
#define FIELD(m, label_, kind_, required_, max_, hint_, invalid_)              \
	{                                                                      \
		.name = #m, .label = label_, .kind = kind_,                    \
		.required = required_, .max = max_, .hint = hint_,             \
		.invalid = invalid_,                                           \
		.input = offsetof(struct candidate_input, m),                  \
		.record = offsetof(struct candidate, m)                        \
	}
/* A one-line field of at most max characters. */
#define LINE(field, label, required, max, hint)                                \
	FIELD(field, label, CANDIDATE_FIELD_LINE, required, max, hint,         \
	      LINE_MESSAGE(max))
#define LINE_MESSAGE(max)                                                      \
	"must be at most " DIGITS(max) " characters on one line"
#define DIGITS(n) #n

const struct candidate_field ats_candidate_fields[] = {
    LINE(first_name, "First name", true, CANDIDATE_NAME_MAX, NULL),
    LINE(last_name, "Last name", false, CANDIDATE_NAME_MAX, NULL),
    FIELD(email, "Email", CANDIDATE_FIELD_EMAIL, false, CANDIDATE_EMAIL_MAX,
	  NULL,
	  "must be an email address like name@example.com (at most 254 "
	  "characters)"),
    FIELD(phone, "Phone", CANDIDATE_FIELD_PHONE, false, CANDIDATE_PHONE_MAX,
	  NULL, LINE_MESSAGE(CANDIDATE_PHONE_MAX)),
    LINE(headline, "Headline", false, CANDIDATE_HEADLINE_MAX, NULL),
    LINE(location, "Location", false, CANDIDATE_LOCATION_MAX, NULL),
    LINE(current_title, "Current title", false, CANDIDATE_CURRENT_MAX, NULL),
    LINE(current_company, "Current company", false, CANDIDATE_CURRENT_MAX,
	 NULL),
    FIELD(linkedin_url, "LinkedIn profile URL", CANDIDATE_FIELD_LINKEDIN_URL,
	  false, CANDIDATE_URL_MAX, "https://www.linkedin.com/in/...",
	  "must be empty or a profile address like "
	  "https://www.linkedin.com/in/jane-doe"),
    LINE(source, "Source", false, CANDIDATE_SOURCE_MAX,
	 "referral, career site, LinkedIn..."),
    {NULL},
};

const char **ats_candidate_input_field(struct candidate_input *in,
				       const struct candidate_field *f)
{
	return (const char **)((char *)in + f->input);
}

const char *ats_candidate_field(const struct candidate *c,
				const struct candidate_field *f)
{
	return *(const char *const *)((const char *)c + f->record);
}

static bool field_valid(const struct candidate_field *f, const char *v)
{
	switch (f->kind) {
	case CANDIDATE_FIELD_EMAIL:
		return !*v || ats_candidate_email_valid(v);
	case CANDIDATE_FIELD_LINKEDIN_URL:
		return linkedin_url_valid(v);
	case CANDIDATE_FIELD_LINE:
	case CANDIDATE_FIELD_PHONE:
		break;
	}
	return ats_line_valid(v, f->required, f->max);
}

/* Validates in (NULL fields as "") into norm, with the email lowercased
 * (in the arena) and the digits of the phone in digits. */
static int input_check(struct arena *a, const struct candidate_input *in,
		       struct candidate_input *norm, char **digits,
		       struct ats_error *err)
{
	*norm = *in;
	for (const struct candidate_field *f = ats_candidate_fields; f->name;
	     f++) {
		const char **v = ats_candidate_input_field(norm, f);
		*v = or_empty(*v);
		if (f->required && !**v)
			return ats_invalid(err, f->name, "is required");
		const char *problem = ats_line_problem(*v);
		if (problem)
			return ats_invalid(err, f->name, problem);
		if (!field_valid(f, *v))
			return ats_invalid(err, f->name, f->invalid);
	}
	norm->linkedin_member_id = or_empty(in->linkedin_member_id);
	size_t mlen = strlen(norm->linkedin_member_id);
	if (mlen > 64 ||
	    strspn(norm->linkedin_member_id,
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789-_") != mlen)
		return ats_invalid(
		    err, "linkedin_member_id",
		    "must be a LinkedIn member ID (letters, digits, "
		    "'-' and '_', at most 64)");

	char *email = arena_strdup(a, norm->email);
	char *d = arena_alloc(a, strlen(norm->phone) + 1);
	if (!email || !d)
		return DB_ERROR;
	for (char *p = email; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	norm->email = email;
	size_t k = 0;
	for (const char *p = norm->phone; *p; p++)
		if (*p >= '0' && *p <= '9')
			d[k++] = *p;
	d[k] = 0;
	if (*norm->phone && !k)
		return ats_invalid(err, "phone", "must contain digits");
	*digits = d;
	return DB_OK;
}

/* ------------------------------------------------------------ reading */

void ats_candidate_from_row(const struct db_row *r, size_t off,
			    struct candidate *c)
{
	char **v = r->v + off;
	c->id = 0;
	parse_i64(v[0], &c->id);
	c->first_name = or_empty(v[1]);
	c->last_name = or_empty(v[2]);
	c->email = or_empty(v[3]);
	c->phone = or_empty(v[4]);
	c->headline = or_empty(v[5]);
	c->location = or_empty(v[6]);
	c->linkedin_member_id = or_empty(v[7]);
	c->linkedin_url = or_empty(v[8]);
	c->source = or_empty(v[9]);
	c->created_at = or_empty(v[10]);
	c->current_title = or_empty(v[11]);
	c->current_company = or_empty(v[12]);
	c->version = 0;
	parse_i64(v[13], &c->version);
}

const char *ats_candidate_name(struct arena *a, const struct candidate *c)
{
	if (!c->last_name || !*c->last_name)
		return c->first_name;
	return arena_printf(a, "%s %s", c->first_name, c->last_name);
}

int ats_candidate_get(struct db *db, struct arena *a, int64_t id,
		      struct candidate *out)
{
	struct db_row r;
	int rc = db_query_row(db, a, &r,
			      "SELECT " ATS_CANDIDATE_COLUMNS
			      " FROM candidates c WHERE c.id = ?",
			      "i", id);
	if (rc == DB_OK)
		ats_candidate_from_row(&r, 0, out);
	return rc;
}

/* The page's counts (index ranges of the candidate: notes_candidate,
 * attachments_candidate) and, when ? = 1, the pools the candidate is in by
 * name as "id US system US name" joined by RS: pool names hold no control
 * characters (pools.c), so none can break the list.  The names go into the
 * list as they are: HEX() made them longer than MariaDB keeps in memory,
 * and every view then cost a temporary table on disk (four files created
 * and deleted a request, make bench). */
#define VIEW_COUNTS                                                            \
	", (SELECT COUNT(*) FROM notes n WHERE n.candidate_id = c.id AND "     \
	"(n.visibility = 'public' OR n.author_id = ?)), (SELECT COUNT(*) "     \
	"FROM attachments t WHERE t.candidate_id = c.id), IF(? = 1, (SELECT "  \
	"GROUP_CONCAT(p.id, 0x1f, p.kind = 'linkedin', 0x1f, p.name ORDER BY " \
	"p.name, p.id SEPARATOR 0x1e) FROM pool_members pm JOIN "              \
	"talent_pools p ON p.id = pm.pool_id WHERE pm.candidate_id = c.id), "  \
	"NULL) FROM candidates c WHERE c.id = ?"

/* The pools of VIEW_COUNTS into the arena. */
static int view_pools(struct arena *a, const char *s, struct candidate_view *v)
{
	size_t n = 1;
	if (!s || !*s)
		return DB_OK;
	for (const char *p = s; *p; p++)
		n += *p == 0x1e;
	v->pools = arena_calloc(a, n, sizeof(*v->pools));
	char *list = arena_strdup(a, s), *save = NULL;
	if (!v->pools || !list)
		return DB_ERROR;
	for (char *it = strtok_r(list, "\x1e", &save); it;
	     it = strtok_r(NULL, "\x1e", &save)) {
		char *c1 = strchr(it, 0x1f), *c2 = c1 ? strchr(c1 + 1, 0x1f) : NULL;
		struct candidate_pool *p = &v->pools[v->npools];
		if (!c2)
			return DB_ERROR;
		*c1 = *c2 = 0;
		if (parse_i64(it, &p->id) < 0)
			return DB_ERROR;
		p->system = !strcmp(c1 + 1, "1");
		p->name = c2 + 1;
		v->npools++;
	}
	return DB_OK;
}

/*
 * The head of the candidate page (VIEW_COUNTS' row) for an admin or a
 * recruiter, who reach every candidate so that nothing in it depends on
 * jobs, is kept between views in the fragment cache (src/core/fragcache.c)
 * as the statement's row: under the viewer (the notes count includes their
 * private notes), their role, the candidate and whether the pools are in
 * it, tagged with the candidate's revision (sql/100_candidate_revisions.sql),
 * read first.  A primary-key read instead of four tables' statement.  A
 * hiring manager or an interviewer reaches a candidate through jobs and
 * applications: their head is read every time.
 */
#define VIEW_NCOLS (ATS_CANDIDATE_NCOLS + 4)

/* The row as bytes: each column a 4-byte length (UINT32_MAX: NULL) and
 * its bytes. */
static void row_pack(const struct db_row *r, struct buf *b)
{
	for (size_t i = 0; i < VIEW_NCOLS; i++) {
		uint32_t n = r->v[i] ? (uint32_t)r->len[i] : UINT32_MAX;
		buf_add(b, &n, sizeof(n));
		if (r->v[i])
			buf_add(b, r->v[i], r->len[i]);
	}
}

static bool row_unpack(struct arena *a, const char *p, size_t len,
		       struct db_row *r)
{
	const char *end = p + len;
	r->v = arena_calloc(a, VIEW_NCOLS, sizeof(*r->v));
	r->len = arena_calloc(a, VIEW_NCOLS, sizeof(*r->len));
	if (!r->v || !r->len)
		return false;
	for (size_t i = 0; i < VIEW_NCOLS; i++) {
		uint32_t n;
		if ((size_t)(end - p) < sizeof(n))
			return false;
		memcpy(&n, p, sizeof(n));
		p += sizeof(n);
		if (n == UINT32_MAX)
			continue;
		if ((size_t)(end - p) < n)
			return false;
		r->v[i] = arena_strndup(a, p, n);
		r->len[i] = n;
		p += n;
		if (!r->v[i])
			return false;
	}
	return p == end;
}

/* VIEW_COUNTS' row for an admin or a recruiter: kept, or read and kept. */
static int view_row_managed(struct db *db, struct arena *a,
			    struct fragcache *kept, const struct user *viewer,
			    int64_t id, bool with_pools, const uint64_t *known,
			    struct db_row *r)
{
	struct db_row rev;
	const char *key = NULL;
	uint64_t revision = 0;
	bool tagged = false;
	int rc;

	if (kept && known) {
		revision = *known;
		tagged = true;
	} else if (kept) {
		/* The revision first: see fragcache.c.  No row: the
		 * candidate is gone, and the statement says so. */
		rc = db_query_row(db, a, &rev,
				  "SELECT n FROM candidate_revisions WHERE "
				  "candidate_id = ?",
				  "i", id);
		if (rc == DB_OK) {
			revision = (uint64_t)db_int(&rev, 0);
			tagged = true;
		} else if (rc != DB_NOT_FOUND)
			return rc;
	}
	if (tagged)
		key = arena_printf(a, "candidate %lld %s %lld %d",
				   (long long)viewer->id, role_name(viewer->role),
				   (long long)id, with_pools);
	if (key) {
		size_t len;
		int64_t unused;
		const char *p =
		    fragcache_get(kept, key, revision, a, &len, &unused);
		if (p && row_unpack(a, p, len, r))
			return DB_OK;
	}
	rc = db_query_row(db, a, r,
			  "SELECT " ATS_CANDIDATE_COLUMNS ", 1" VIEW_COUNTS,
			  "iii", (int64_t)viewer->id, (int64_t)with_pools, id);
	if (rc == DB_OK && key) {
		struct buf b = BUF_INIT;
		row_pack(r, &b);
		if (!buf_failed(&b))
			fragcache_put(kept, key, revision, b.data, b.len, 0);
		buf_release(&b);
	}
	return rc;
}

int ats_candidate_view(struct db *db, struct arena *a, struct fragcache *kept,
		       const struct user *viewer, int64_t id, bool with_pools,
		       struct candidate *out, struct candidate_view *view)
{
	return ats_candidate_view_at(db, a, kept, viewer, id, with_pools, NULL,
				     out, view);
}

int ats_candidate_view_at(struct db *db, struct arena *a,
			  struct fragcache *kept, const struct user *viewer,
			  int64_t id, bool with_pools, const uint64_t *revision,
			  struct candidate *out, struct candidate_view *view)
{
	struct db_row r;
	int64_t wp = with_pools;
	int rc;
	memset(view, 0, sizeof(*view));
	/* One round trip for the page's header, its counts and pools; the
	 * reach subquery is only in the
	 * statement of hiring managers and interviewers (admins and
	 * recruiters reach every candidate), which spares the others its
	 * optimisation too. */
	if (viewer->role == ROLE_ADMIN || viewer->role == ROLE_RECRUITER)
		rc = view_row_managed(db, a, kept, viewer, id, with_pools,
				      revision, &r);
	else
		rc = db_query_row(db, a, &r,
				  "SELECT " ATS_CANDIDATE_COLUMNS
				  ", " ATS_CANDIDATE_REACH_SQL("c") VIEW_COUNTS,
				  ATS_CANDIDATE_REACH_TYPES "iii",
				  ATS_CANDIDATE_REACH_ARGS(viewer),
				  (int64_t)viewer->id, wp, id);
	if (rc != DB_OK)
		return rc;
	ats_candidate_from_row(&r, 0, out);
	ats_candidate_redact(viewer, out);
	const size_t k = ATS_CANDIDATE_NCOLS;
	view->access = ats_candidate_access_of(viewer, db_int(&r, k));
	view->note_count = db_int(&r, k + 1);
	view->attachment_count = db_int(&r, k + 2);
	return view_pools(a, r.v[k + 3], view);
}

int ats_candidate_by_email(struct db *db, struct arena *a, const char *email,
			   struct candidate *out)
{
	struct db_row r;
	if (!email || !*email)
		return DB_NOT_FOUND;
	int rc = db_query_row(db, a, &r,
			      "SELECT " ATS_CANDIDATE_COLUMNS
			      " FROM candidates c WHERE c.email = LOWER(?)",
			      "s", email);
	if (rc == DB_OK)
		ats_candidate_from_row(&r, 0, out);
	return rc;
}

/* The id of the candidate linked to LinkedIn member id `member`, or else
 * of the one holding email (other than self, the candidate being edited),
 * 0 when none; "" looks nothing up. */
static int holder(struct db *db, struct arena *a, const char *member,
		  const char *email, int64_t self, int64_t *owner)
{
	struct db_row r;
	int rc = DB_NOT_FOUND;
	*owner = 0;
	if (*member)
		rc = db_query_row(db, a, &r,
				  "SELECT id FROM candidates WHERE "
				  "linkedin_member_id = ?",
				  "s", member);
	if (rc == DB_NOT_FOUND && *email)
		rc = db_query_row(db, a, &r,
				  "SELECT id FROM candidates WHERE email = ? "
				  "AND id <> ?",
				  "si", email, self);
	if (rc == DB_OK)
		*owner = db_int(&r, 0);
	return rc == DB_NOT_FOUND ? DB_OK : rc;
}

/* The DB_DUPLICATE of an email that candidate owner holds: *existing_id
 * (may be NULL) names the owner, err says message. */
static int taken(int64_t owner, int64_t *existing_id, struct ats_error *err,
		 const char *message)
{
	if (existing_id)
		*existing_id = owner;
	return ats_fail(err, DB_DUPLICATE, "email", message);
}

/* ------------------------------------------------------------ writing */

/* Inserts the checked candidate v (audited "candidate.create") in the
 * caller's transaction, marked in the outbox unless the caller marks it
 * (!mark); *id gets it. */
static int insert_marked(struct db *db, struct arena *a, int64_t actor_id,
			 const struct candidate_input *v, const char *digits,
			 const char *remote_addr, bool mark, int64_t *id)
{
	int rc = db_exec(
	    db, NULL,
	    "INSERT INTO candidates (first_name, last_name, email, phone, "
	    "phone_digits, headline, location, linkedin_url, source, "
	    "current_title, current_company, linkedin_member_id, created_by) "
	    "VALUES (?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, "
	    "''), NULLIF(?, 0))",
	    "ssssssssssssi", v->first_name, v->last_name, v->email, v->phone,
	    digits, v->headline, v->location, v->linkedin_url, v->source,
	    v->current_title, v->current_company, v->linkedin_member_id,
	    actor_id);
	if (rc != DB_OK)
		return rc;
	*id = (int64_t)db_insert_id(db);
	rc = mark ? ats_outbox_mark_candidate(db, *id) : DB_OK;
	if (rc != DB_OK)
		return rc;
	return ats_audit(db, actor_id, "candidate.create", "candidate", *id,
			 arena_printf(a, "%s %s", v->first_name, v->last_name),
			 remote_addr);
}

static int insert(struct db *db, struct arena *a, int64_t actor_id,
		  const struct candidate_input *v, const char *digits,
		  const char *remote_addr, int64_t *id)
{
	return insert_marked(db, a, actor_id, v, digits, remote_addr, true,
			     id);
}

int ats_candidate_create_in(struct db *db, struct arena *a, int64_t actor_id,
			    const struct candidate_input *in,
			    const char *remote_addr, int64_t *id,
			    int64_t *existing_id, struct ats_error *err)
{
	struct candidate_input v;
	char *digits;
	int64_t owner = 0;
	if (existing_id)
		*existing_id = 0;
	int rc = input_check(a, in, &v, &digits, err);
	if (rc == DB_OK)
		rc = holder(db, a, v.linkedin_member_id, v.email, 0, &owner);
	if (rc == DB_OK && owner)
		return taken(owner, existing_id, err,
			     "belongs to a candidate already");
	if (rc == DB_OK)
		rc = insert(db, a, actor_id, &v, digits, remote_addr, id);
	return rc;
}

int ats_candidate_insert_in(struct db *db, struct arena *a, int64_t actor_id,
			    const struct candidate_input *in,
			    const char *remote_addr, int64_t *id,
			    struct ats_error *err)
{
	struct candidate_input v;
	char *digits;
	int rc = input_check(a, in, &v, &digits, err);
	if (rc == DB_OK)
		rc = insert_marked(db, a, actor_id, &v, digits, remote_addr,
				   false, id);
	return rc;
}

int ats_candidate_link_member_in(struct db *db, int64_t actor_id, int64_t id,
				 const char *member_id, const char *remote_addr)
{
	uint64_t changed = 0;
	int rc = db_exec(db, &changed,
			 "UPDATE candidates SET linkedin_member_id = ? WHERE "
			 "id = ? AND linkedin_member_id IS NULL",
			 "si", member_id, id);
	if (rc != DB_OK)
		return rc;
	if (!changed)
		return DB_NOT_FOUND;
	rc = ats_outbox_mark_candidate(db, id);
	if (rc != DB_OK)
		return rc;
	return ats_audit(db, actor_id, "candidate.link_member", "candidate",
			 id, member_id, remote_addr);
}

/* A candidate written, for its transaction (db_transaction: run again
 * after a deadlock, so every run writes id afresh). */
struct candidate_write {
	int64_t actor_id, id; /* id: the candidate changed */
	const struct candidate_input *v; /* checked */
	const char *digits, *remote_addr;
	int64_t *existing_id; /* change: the email's holder, when taken */
	struct ats_error *err;
	int64_t id_new; /* create: the new candidate's */
};

static int candidate_insert(struct db *db, struct arena *a, void *arg)
{
	struct candidate_write *x = arg;
	return insert(db, a, x->actor_id, x->v, x->digits, x->remote_addr,
		      &x->id_new);
}

/* Changes candidate x->id to x->v, unless another candidate holds its
 * email. */
static int candidate_change(struct db *db, struct arena *a, void *arg)
{
	struct candidate_write *x = arg;
	const struct candidate_input *v = x->v;
	struct db_row r;
	int64_t owner = 0;
	int rc = db_query_row(db, a, &r,
			      "SELECT version FROM candidates WHERE id = ? FOR "
			      "UPDATE",
			      "i", x->id);
	/* A form read before someone else's save: theirs stays. */
	if (rc == DB_OK && v->version && db_int(&r, 0) != v->version)
		return ats_fail(x->err, ATS_CONFLICT, "version",
				"This candidate was changed by someone else "
				"since you opened the form; compare, then "
				"save again");
	if (rc == DB_OK)
		rc = holder(db, a, "", v->email, x->id, &owner);
	if (rc == DB_OK && owner)
		rc = taken(owner, x->existing_id, x->err,
			   "belongs to another candidate");
	if (rc == DB_OK)
		rc = db_exec(db, NULL,
			     "UPDATE candidates SET first_name = ?, last_name "
			     "= ?, email = NULLIF(?, ''), phone = ?, "
			     "phone_digits = ?, headline = ?, location = ?, "
			     "linkedin_url = ?, source = ?, current_title = ?, "
			     "current_company = ?, version = version + 1 "
			     "WHERE id = ?",
			     "sssssssssssi", v->first_name, v->last_name,
			     v->email, v->phone, x->digits, v->headline,
			     v->location, v->linkedin_url, v->source,
			     v->current_title, v->current_company, x->id);
	if (rc == DB_OK)
		rc = ats_outbox_mark_candidate(db, x->id);
	if (rc == DB_OK)
		rc = ats_audit(db, x->actor_id, "candidate.update",
			       "candidate", x->id, "", x->remote_addr);
	return rc;
}

int ats_candidate_create(struct db *db, int64_t actor_id,
			 const struct candidate_input *in,
			 const char *remote_addr, int64_t *id,
			 int64_t *existing_id, struct ats_error *err)
{
	struct candidate_input v;
	char *digits;
	int64_t owner = 0, new_id = 0;
	struct arena *a = arena_new(4096);
	if (!a)
		return DB_ERROR;
	if (existing_id)
		*existing_id = 0;
	int rc = input_check(a, in, &v, &digits, err);
	if (rc == DB_OK)
		rc = holder(db, a, v.linkedin_member_id, v.email, 0, &owner);
	if (rc == DB_OK && owner)
		rc = taken(owner, existing_id, err,
			   "belongs to a candidate already");
	if (rc != DB_OK)
		goto out;

	struct candidate_write x = {.actor_id = actor_id,
				    .v = &v,
				    .digits = digits,
				    .remote_addr = remote_addr};
	rc = db_transaction(db, candidate_insert, &x);
	new_id = x.id_new;
	/* Two creates of one email at the same moment: the unique key
	 * decides, and the loser is offered the winner's record. */
	if (rc == DB_DUPLICATE) {
		holder(db, a, v.linkedin_member_id, v.email, 0, &owner);
		rc = taken(owner, existing_id, err,
			   "belongs to a candidate already");
	}
	if (rc == DB_OK && id)
		*id = new_id;
out:
	arena_free(a);
	return rc;
}

int ats_candidate_update(struct db *db, int64_t actor_id, int64_t id,
			 const struct candidate_input *in,
			 const char *remote_addr, int64_t *existing_id,
			 struct ats_error *err)
{
	struct candidate_input v;
	char *digits;
	struct arena *a = arena_new(4096);
	if (!a)
		return DB_ERROR;
	if (existing_id)
		*existing_id = 0;
	int rc = input_check(a, in, &v, &digits, err);
	if (rc != DB_OK)
		goto out;
	struct candidate_write x = {.actor_id = actor_id,
				    .id = id,
				    .v = &v,
				    .digits = digits,
				    .remote_addr = remote_addr,
				    .existing_id = existing_id,
				    .err = err};
	rc = db_transaction(db, candidate_change, &x);
	if (rc == DB_DUPLICATE && (!err || !err->field))
		ats_fail(err, rc, "email", "belongs to another candidate");
out:
	arena_free(a);
	return rc;
}
