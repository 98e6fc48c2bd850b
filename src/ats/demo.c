/*
 * demo.c - the demo organisation (hirelink.fcgi seed-demo, `make run`).
 *
 * Everything but the four users is written in ONE transaction with a
 * handful of multi-row INSERTs: the rows are built here as a JSON array and
 * expanded by MariaDB's JSON_TABLE, so each statement stays a literal
 * prepared statement with one parameter however many rows it inserts (the
 * whole demo takes a fraction of a second).  Ids the next step needs (jobs,
 * stages, candidates, applications) are read back by their natural keys.
 *
 * A splitmix64 generator with a fixed seed picks names, stages and notes,
 * so every laptop gets the same organisation; only the timestamps are
 * relative to now.  The demo is there when the demo admin has created jobs
 * (or the "demo.seed" audit row exists): seeding again adds nothing.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ats/demo.h"

#define DEMO_SEED	20261125u
#define DEMO_CANDIDATES 300
#define DEMO_STAGES	5
#define MINUTES_A_DAY	(24 * 60)

static const struct demo_user demo_users[] = {
    {"admin@demo.hirelink.test", "Ada Admin", "admin", "none", "demo-admin-1"},
    {"recruiter@demo.hirelink.test", "Rita Recruiter", "recruiter", "recruiter",
     "demo-recruiter-1"},
    {"manager@demo.hirelink.test", "Hank Manager", "hiring_manager",
     "hiring_manager", "demo-manager-1"},
    {"interviewer@demo.hirelink.test", "Ivan Interviewer", "interviewer",
     "none", "demo-interviewer-1"},
};
enum { U_ADMIN, U_RECRUITER, U_MANAGER, U_INTERVIEWER, U_COUNT };

const struct demo_user *ats_demo_users(size_t *n)
{
	*n = ARRAY_LEN(demo_users);
	return demo_users;
}

static const struct {
	const char *title, *location, *status;
	/* the demo manager / interviewer are members of the job */
	bool manager, interviewer;
} demo_jobs[] = {
    {"Senior Backend Engineer (C)", "Berlin, Germany", "active", true, true},
    {"Site Reliability Engineer", "Remote, Germany", "active", true, true},
    {"Product Designer", "Amsterdam, Netherlands", "active", true, false},
    {"Technical Recruiter", "London, United Kingdom", "active", false, true},
    {"Data Engineer", "Dublin, Ireland", "draft", true, false},
    {"Engineering Manager", "Berlin, Germany", "draft", true, false},
    {"Security Engineer", "Remote, Netherlands", "active", true, true},
    {"Frontend Engineer", "Lisbon, Portugal", "closed", true, true},
    {"QA Engineer", "Warsaw, Poland", "closed", false, false},
    {"Developer Advocate", "Remote, Spain", "active", false, true},
    {"Database Administrator (MariaDB)", "Paris, France", "active", true,
     true},
    {"Sales Engineer", "Madrid, Spain", "draft", false, false},
};
#define DEMO_JOBS ARRAY_LEN(demo_jobs)

/* The default pipeline, as ats_job_create makes it. */
static const struct {
	const char *name, *kind;
} demo_stages[DEMO_STAGES] = {
    {"Prospect", "prospect"}, {"Screen", "screen"}, {"Interview", "interview"},
    {"Offer", "offer"},	      {"Hired", "hired"},
};

static const char *const first_names[] = {
    "Aisha",	 "Alejandro", "Amara",	 "Anders", "Ana",    "Anika",  "Arjun",
    "Beatriz",	 "Ben",	      "Camille", "Chen",   "Chiara", "Daniel", "Dario",
    "Elena",	 "Emeka",     "Emma",	 "Fatima", "Felix",  "Freya",  "Giulia",
    "Hannah",	 "Hiroshi",   "Ines",	 "Ivana",  "Jakub",  "James",  "Jana",
    "Javier",	 "Julia",     "Kai",	 "Kofi",   "Lars",   "Laura",  "Leila",
    "Liam",	 "Lucas",     "Maja",	 "Marco",  "María",  "Mateo",  "Mei",
    "Mohammed",	 "Nadia",     "Niamh",	 "Noah",   "Olga",   "Oskar",  "Priya",
    "Rafael",	 "Rosa",      "Samir",	 "Sara",   "Sean",   "Sofia",  "Tomasz",
    "Valentina", "Wei",	      "Yusuf",	 "Zoë",
};

static const char *const last_names[] = {
    "Adeyemi",	"Andersen", "Becker",	 "Bianchi",  "Brennan",	 "Chen",
    "Costa",	"Dubois",   "Duarte",	 "Eriksson", "Fischer",	 "García",
    "Hansen",	"Hoffmann", "Ivanova",	 "Jansen",   "Kaur",	 "Kowalski",
    "Larsen",	"Lefèvre",  "Lindqvist", "Martin",   "Meyer",	 "Moreau",
    "Müller",	"Murphy",   "Nakamura",	 "Nowak",    "O'Connor", "Okafor",
    "Patel",	"Pereira",  "Petrov",	 "Rossi",    "Russo",	 "Santos",
    "Schmidt",	"Silva",    "Singh",	 "Smith",    "Sousa",	 "Tanaka",
    "Van Dijk", "Visser",   "Wagner",	 "Walsh",    "Weber",	 "Wiśniewski",
    "Wójcik",	"Yilmaz",   "Zhang",	 "Ziegler",
};

static const struct {
	const char *city, *country_code, *area;
} places[] = {
    {"Berlin", "49", "30"},	{"Munich", "49", "89"},
    {"Amsterdam", "31", "20"},	{"London", "44", "20"},
    {"Dublin", "353", "1"},	{"Paris", "33", "1"},
    {"Madrid", "34", "91"},	{"Lisbon", "351", "21"},
    {"Warsaw", "48", "22"},	{"Stockholm", "46", "8"},
    {"Copenhagen", "45", "33"}, {"Milan", "39", "02"},
};

/* Headline roles; pools pick candidates by the role's family. */
enum family { F_BACKEND, F_OPS, F_DESIGN, F_DATA, F_OTHER };
static const struct {
	const char *role;
	enum family family;
} roles[] = {
    {"Senior Backend Engineer", F_BACKEND},
    {"Backend Developer (Go, C)", F_BACKEND},
    {"Software Engineer", F_BACKEND},
    {"Site Reliability Engineer", F_OPS},
    {"DevOps Engineer", F_OPS},
    {"Security Engineer", F_OPS},
    {"Product Designer", F_DESIGN},
    {"UX Researcher", F_DESIGN},
    {"Senior UI Designer", F_DESIGN},
    {"Data Engineer", F_DATA},
    {"Database Administrator", F_DATA},
    {"Analytics Engineer", F_DATA},
    {"Frontend Engineer", F_OTHER},
    {"QA Engineer", F_OTHER},
    {"Engineering Manager", F_OTHER},
    {"Technical Recruiter", F_OTHER},
    {"Developer Advocate", F_OTHER},
    {"Sales Engineer", F_OTHER},
};

static const char *const companies[] = {
    "Northwind", "Contoso",    "Globex",	"Initech",    "Umbrella Labs",
    "Hooli",	 "Stark Data", "Wayne Systems", "Acme Cloud", "Soylent",
    "Vandelay",	 "Tyrell",     "Cyberdyne",	"Aperture",   "Massive Dynamic",
};

static const char *const sources[] = {"LinkedIn", "Referral", "Careers site",
				      "Agency",	  "Sourced",  "LinkedIn"};

static const char *const domains[] = {"example.com", "example.org",
				      "example.net", "mail.example.com"};

static const char *const public_notes[] = {
    "Strong systems background; happy to relocate.",
    "Spoke at a meetup about incident reviews - good communicator.",
    "Notice period is three months.",
    "Salary expectation within the band.",
    "Referred by a current team member.",
    "Prefers hybrid, two days in the office.",
    "Portfolio is excellent, especially the onboarding redesign.",
    "Available for interviews on Tuesdays and Thursdays.",
};

static const char *const private_notes[] = {
    "Follow up after their holiday (back on the 12th).",
    "Might be a better fit for the platform team - ask Hank.",
    "Check references before the offer stage.",
    "Competing offer from another company; move quickly.",
    "Reminder: send the take-home exercise.",
};

static const char *const feedback_bodies[] = {
    "Clear thinking on the design exercise; asked good questions about "
    "failure modes.",
    "Solid fundamentals, a bit slow on the debugging task but got there.",
    "Great culture add; explained past projects with real ownership.",
    "Struggled with the concurrency questions; would need mentoring.",
    "Excellent: the strongest candidate I have seen for this role.",
    "Good communication, limited depth in the core stack.",
};

static const char *const recommendations[] = {"strong_no", "no", "yes",
					      "strong_yes"};

static const char *const reasons[] = {"not_qualified", "position_filled",
				      "candidate_declined", "no_response",
				      "other"};

/* ------------------------------------------------------------ random */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* 0..n-1 */
static size_t rng_below(struct rng *r, size_t n)
{
	return n ? (size_t)(rng_next(r) % n) : 0;
}

#define PICK(r, arr) ((arr)[rng_below((r), ARRAY_LEN(arr))])

/* ------------------------------------------------------------ helpers */

struct seed {
	struct db *db;
	struct arena *a;
	struct rng rng;
	int64_t users[U_COUNT];
	int64_t job_ids[DEMO_JOBS];
	int64_t stage_ids[DEMO_JOBS][DEMO_STAGES];
	int64_t cand_ids[DEMO_CANDIDATES];
	const char *cand_emails[DEMO_CANDIDATES];
	enum family cand_family[DEMO_CANDIDATES];
	/* application per (job, candidate), 0 = none */
	int64_t app_ids[DEMO_JOBS][DEMO_CANDIDATES];
	int8_t app_stage[DEMO_JOBS][DEMO_CANDIDATES];
	char app_status[DEMO_JOBS][DEMO_CANDIDATES]; /* a r w h */
};

/* Runs sql, a literal statement whose one parameter is the JSON array
 * rows (stolen), that JSON_TABLE expands into rows. */
static int exec_rows(struct seed *s, json_t *rows, const char *sql)
{
	if (!rows)
		return DB_ERROR;
	if (!json_array_size(rows)) {
		json_decref(rows);
		return DB_OK;
	}
	struct buf text = BUF_INIT;
	int rc = DB_ERROR;
	if (buf_add_json(&text, rows, JSON_COMPACT) == 0 && !buf_failed(&text))
		rc = db_exec(s->db, NULL, sql, "s", text.data);
	json_decref(rows);
	buf_release(&text);
	return rc;
}

static void append(json_t *rows, json_t *row)
{
	json_array_append_new(rows, row);
}

/* ------------------------------------------------------------ steps */

static int seed_users(struct seed *s)
{
	for (size_t i = 0; i < U_COUNT; i++) {
		struct user u;
		int rc = ats_user_create(s->db, demo_users[i].email,
					 demo_users[i].name, demo_users[i].role,
					 demo_users[i].seat,
					 demo_users[i].password, NULL, NULL);
		if (rc != DB_OK && rc != DB_DUPLICATE)
			return rc;
		rc = ats_user_by_email(s->db, s->a, demo_users[i].email, &u,
				       NULL);
		if (rc != DB_OK)
			return rc;
		s->users[i] = u.id;
	}
	return DB_OK;
}

static int already_seeded(struct seed *s, bool *yes)
{
	struct db_row r;
	int rc = db_query_row(
	    s->db, s->a, &r,
	    "SELECT EXISTS (SELECT 1 FROM jobs WHERE created_by = ?) OR "
	    "EXISTS (SELECT 1 FROM audit_log WHERE action = 'demo.seed')",
	    "i", s->users[U_ADMIN]);
	if (rc == DB_OK)
		*yes = db_int(&r, 0) != 0;
	return rc;
}

static int seed_jobs(struct seed *s)
{
	struct db_result res;
	json_t *rows = json_array();
	for (size_t i = 0; i < DEMO_JOBS; i++)
		append(
		    rows,
		    json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "t",
			      demo_jobs[i].title, "loc", demo_jobs[i].location,
			      "d",
			      "A demo job of the hirelink demo organisation. "
			      "We build recruiting software in C; you would "
			      "join a small team that owns its services "
			      "end to end.",
			      "st", demo_jobs[i].status, "ago",
			      (json_int_t)((60 - (int)i * 4) * MINUTES_A_DAY),
			      "u", (json_int_t)s->users[U_ADMIN]));
	int rc = exec_rows(
	    s, rows,
	    "INSERT INTO jobs (title, location, description, status, "
	    "created_by, created_at, listed_at) SELECT jt.t, jt.loc, jt.d, "
	    "jt.st, jt.u, NOW(3) - INTERVAL jt.ago MINUTE, IF(jt.st = "
	    "'draft', NULL, NOW(3) - INTERVAL jt.ago MINUTE) FROM "
	    "JSON_TABLE(?, '$[*]' "
	    "COLUMNS (t VARCHAR(200) PATH '$.t', loc VARCHAR(200) PATH "
	    "'$.loc', d TEXT PATH '$.d', st VARCHAR(10) PATH '$.st', ago "
	    "INT PATH '$.ago', u BIGINT PATH '$.u')) AS jt");
	if (rc != DB_OK)
		return rc;
	rc = db_query(s->db, s->a, &res,
		      "SELECT id, title FROM jobs WHERE created_by = ?", "i",
		      s->users[U_ADMIN]);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++)
		for (size_t j = 0; j < DEMO_JOBS; j++)
			if (!strcmp(res.rows[i].v[1], demo_jobs[j].title))
				s->job_ids[j] = db_int(&res.rows[i], 0);
	for (size_t j = 0; j < DEMO_JOBS; j++)
		if (!s->job_ids[j])
			return DB_ERROR;
	return DB_OK;
}

static int seed_stages(struct seed *s)
{
	struct db_result res;
	json_t *rows = json_array();
	for (size_t k = 0; k < DEMO_STAGES; k++)
		append(rows, json_pack("{s:s, s:s, s:i, s:I}", "n",
				       demo_stages[k].name, "k",
				       demo_stages[k].kind, "p", (int)k + 1,
				       "u", (json_int_t)s->users[U_ADMIN]));
	/* Only jobs without a pipeline: should job creation ever make the
	 * stages itself, they are not doubled. */
	int rc = exec_rows(
	    s, rows,
	    "INSERT INTO job_stages (job_id, name, kind, position) "
	    "SELECT j.id, st.n, st.k, st.p FROM jobs j CROSS JOIN "
	    "JSON_TABLE(?, '$[*]' COLUMNS (n VARCHAR(100) PATH '$.n', k "
	    "VARCHAR(20) PATH '$.k', p INT PATH '$.p', u BIGINT PATH '$.u')) "
	    "AS st WHERE j.created_by = st.u AND NOT EXISTS (SELECT 1 FROM "
	    "job_stages x "
	    "WHERE x.job_id = j.id) ORDER BY j.id, st.p");
	if (rc != DB_OK)
		return rc;
	rc = db_query(s->db, s->a, &res,
		      "SELECT s.id, s.job_id, s.kind FROM job_stages s JOIN "
		      "jobs j ON j.id = s.job_id WHERE j.created_by = ? "
		      "ORDER BY s.job_id, s.position",
		      "i", s->users[U_ADMIN]);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++)
		for (size_t j = 0; j < DEMO_JOBS; j++)
			if (db_int(&res.rows[i], 1) == s->job_ids[j])
				for (size_t k = 0; k < DEMO_STAGES; k++)
					if (!strcmp(res.rows[i].v[2],
						    demo_stages[k].kind) &&
					    !s->stage_ids[j][k])
						s->stage_ids[j][k] =
						    db_int(&res.rows[i], 0);
	for (size_t j = 0; j < DEMO_JOBS; j++)
		for (size_t k = 0; k < DEMO_STAGES; k++)
			if (!s->stage_ids[j][k])
				return DB_ERROR;
	return DB_OK;
}

static int seed_members(struct seed *s)
{
	json_t *rows = json_array();
	for (size_t j = 0; j < DEMO_JOBS; j++) {
		append(rows, json_pack("{s:I, s:I, s:s}", "j",
				       (json_int_t)s->job_ids[j], "u",
				       (json_int_t)s->users[U_RECRUITER], "r",
				       "recruiter"));
		if (demo_jobs[j].manager)
			append(rows, json_pack("{s:I, s:I, s:s}", "j",
					       (json_int_t)s->job_ids[j], "u",
					       (json_int_t)s->users[U_MANAGER],
					       "r", "hiring_manager"));
		if (demo_jobs[j].interviewer)
			append(rows,
			       json_pack("{s:I, s:I, s:s}", "j",
					 (json_int_t)s->job_ids[j], "u",
					 (json_int_t)s->users[U_INTERVIEWER],
					 "r", "interviewer"));
	}
	return exec_rows(s, rows,
			 "INSERT INTO job_members (job_id, user_id, role) "
			 "SELECT jt.j, jt.u, jt.r FROM JSON_TABLE(?, '$[*]' "
			 "COLUMNS (j BIGINT PATH '$.j', u BIGINT PATH '$.u', "
			 "r VARCHAR(20) PATH '$.r')) AS jt");
}

/* "maria.garcia" from "María", "García": lowercase ASCII letters only */
static void email_local(struct buf *b, const char *first, const char *last)
{
	const char *parts[2] = {first, last};
	for (int p = 0; p < 2; p++) {
		if (p)
			buf_addc(b, '.');
		for (const unsigned char *c = (const unsigned char *)parts[p];
		     *c; c++) {
			if (*c >= 'A' && *c <= 'Z')
				buf_addc(b, (char)(*c - 'A' + 'a'));
			else if (*c >= 'a' && *c <= 'z')
				buf_addc(b, (char)*c);
			else if (*c == 0xc3 && c[1]) {
				/* Latin-1 letters: á à ä â -> a and so on */
				static const char map[] =
				    "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
				unsigned ch = c[1] & 0x1f;
				buf_addc(b, map[ch]);
				c++;
			} else if (*c >= 0x80) {
				/* other accents (ś, ó...): skip the rest */
				while (c[1] && (c[1] & 0xc0) == 0x80)
					c++;
				buf_addc(b, *c == 0xc5 ? 's' : 'o');
			}
		}
	}
}

static int seed_candidates(struct seed *s)
{
	struct db_result res;
	json_t *rows = json_array();
	for (size_t i = 0; i < DEMO_CANDIDATES; i++) {
		const char *first = PICK(&s->rng, first_names);
		const char *last = PICK(&s->rng, last_names);
		size_t role = rng_below(&s->rng, ARRAY_LEN(roles));
		size_t place = rng_below(&s->rng, ARRAY_LEN(places));
		struct buf email = BUF_INIT, phone = BUF_INIT,
			   digits = BUF_INIT, head = BUF_INIT;
		email_local(&email, first, last);
		/* the same name twice gets a number, as mail providers do */
		for (size_t k = 0; k < i; k++)
			if (!strncmp(s->cand_emails[k], email.data,
				     email.len) &&
			    s->cand_emails[k][email.len] == '@') {
				buf_addf(&email, "%zu", i);
				break;
			}
		buf_addf(&email, "@%s", PICK(&s->rng, domains));
		unsigned line = 1000 + (unsigned)rng_below(&s->rng, 9000);
		buf_addf(&phone, "+%s %s 555 %u", places[place].country_code,
			 places[place].area, line);
		buf_addf(&digits, "%s%s555%u", places[place].country_code,
			 places[place].area, line);
		buf_addf(&head, "%s at %s", roles[role].role,
			 PICK(&s->rng, companies));
		s->cand_emails[i] = arena_strdup(s->a, email.data);
		s->cand_family[i] = roles[role].family;
		append(rows,
		       json_pack(
			   "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}",
			   "f", first, "l", last, "e", email.data, "p",
			   phone.data, "pd", digits.data, "h", head.data, "loc",
			   places[place].city, "src", PICK(&s->rng, sources),
			   "ago",
			   (json_int_t)(90 * MINUTES_A_DAY - (int)i * 300), "u",
			   (json_int_t)s->users[U_RECRUITER]));
		bool bad = buf_failed(&email) || buf_failed(&phone) ||
			   buf_failed(&digits) || buf_failed(&head) ||
			   !s->cand_emails[i];
		buf_release(&email);
		buf_release(&phone);
		buf_release(&digits);
		buf_release(&head);
		if (bad) {
			json_decref(rows);
			return DB_ERROR;
		}
	}
	int rc = exec_rows(
	    s, rows,
	    "INSERT INTO candidates (first_name, last_name, email, phone, "
	    "phone_digits, headline, location, source, created_by, "
	    "created_at) SELECT jt.f, jt.l, jt.e, jt.p, jt.pd, jt.h, "
	    "jt.loc, jt.src, jt.u, NOW(3) - INTERVAL jt.ago MINUTE FROM "
	    "JSON_TABLE(?, '$[*]' COLUMNS (f VARCHAR(200) PATH '$.f', l "
	    "VARCHAR(200) PATH '$.l', e VARCHAR(254) PATH '$.e', p "
	    "VARCHAR(50) PATH '$.p', pd VARCHAR(50) PATH '$.pd', h "
	    "VARCHAR(200) PATH '$.h', loc VARCHAR(200) PATH '$.loc', src "
	    "VARCHAR(100) PATH '$.src', ago INT PATH '$.ago', u BIGINT PATH "
	    "'$.u')) AS jt");
	if (rc != DB_OK)
		return rc;
	rc = db_query(s->db, s->a, &res,
		      "SELECT id, email FROM candidates WHERE created_by = ?",
		      "i", s->users[U_RECRUITER]);
	if (rc != DB_OK)
		return rc;
	for (size_t r = 0; r < res.nrows; r++)
		for (size_t i = 0; i < DEMO_CANDIDATES; i++)
			if (res.rows[r].v[1] &&
			    !strcmp(res.rows[r].v[1], s->cand_emails[i]))
				s->cand_ids[i] = db_int(&res.rows[r], 0);
	for (size_t i = 0; i < DEMO_CANDIDATES; i++)
		if (!s->cand_ids[i])
			return DB_ERROR;
	return DB_OK;
}

/*
 * Applications: on every active and closed job, about one candidate in
 * six; the first five of each job cover the five stages, so every tab of
 * the demo has someone on it.  Closed jobs hired one and turned the rest
 * down.  Each application's history walks the pipeline from Prospect to
 * where it is, a few days a step.
 */
static int seed_applications(struct seed *s)
{
	struct db_result res;
	json_t *apps = json_array(), *events = json_array();
	for (size_t j = 0; j < DEMO_JOBS; j++) {
		if (!strcmp(demo_jobs[j].status, "draft"))
			continue;
		bool closed = !strcmp(demo_jobs[j].status, "closed");
		int placed = 0;
		for (size_t i = 0; i < DEMO_CANDIDATES; i++) {
			if (rng_below(&s->rng, 6))
				continue;
			int stage;
			if (placed < DEMO_STAGES)
				stage = placed;
			else {
				static const int weights[] = {0, 0, 0, 1, 1,
							      1, 2, 2, 3};
				stage = weights[rng_below(&s->rng, 9)];
			}
			char st = 'a';
			if (stage == DEMO_STAGES - 1)
				st = 'h';
			else if (closed)
				st = 'r';
			else if (placed >= DEMO_STAGES) {
				size_t roll = rng_below(&s->rng, 20);
				st = roll < 3 ? 'r' : roll < 4 ? 'w' : 'a';
			}
			placed++;
			s->app_stage[j][i] = (int8_t)stage;
			s->app_status[j][i] = st;
		}
	}
	/* Rows for the applications, then their events. */
	for (size_t j = 0; j < DEMO_JOBS; j++)
		for (size_t i = 0; i < DEMO_CANDIDATES; i++) {
			char st = s->app_status[j][i];
			if (!st)
				continue;
			int stage = s->app_stage[j][i];
			const char *reason =
			    st == 'r' ? (!strcmp(demo_jobs[j].status, "closed")
					     ? "position_filled"
					     : PICK(&s->rng, reasons))
				      : "";
			int64_t ago = (int64_t)(10 + rng_below(&s->rng, 40)) *
				      MINUTES_A_DAY;
			int nev = 1 + stage + (st != 'a');
			append(
			    apps,
			    json_pack(
				"{s:I, s:I, s:I, s:s, s:s, s:s, s:i, "
				"s:I, s:I, s:I}",
				"j", (json_int_t)s->job_ids[j], "c",
				(json_int_t)s->cand_ids[i], "s",
				(json_int_t)s->stage_ids[j][stage], "st",
				st == 'a'   ? "active"
				: st == 'r' ? "rejected"
				: st == 'w' ? "withdrawn"
					    : "hired",
				"rr", reason, "rn",
				st == 'r' ? "Thanks for your time." : "", "v",
				nev, "ago", (json_int_t)ago, "upd",
				(json_int_t)(ago - (nev - 1) * ago / (nev + 1)),
				"u", (json_int_t)s->users[U_RECRUITER]));
		}
	int rc = exec_rows(
	    s, apps,
	    "INSERT INTO applications (job_id, candidate_id, stage_id, "
	    "status, rejection_reason, rejection_note, version, "
	    "created_by, created_at, updated_at) SELECT jt.j, jt.c, jt.s, "
	    "jt.st, NULLIF(jt.rr, ''), NULLIF(jt.rn, ''), jt.v, jt.u, "
	    "NOW(3) - INTERVAL jt.ago MINUTE, NOW(3) - INTERVAL jt.upd "
	    "MINUTE FROM JSON_TABLE(?, '$[*]' COLUMNS (j BIGINT PATH "
	    "'$.j', c BIGINT PATH '$.c', s BIGINT PATH '$.s', st "
	    "VARCHAR(10) PATH '$.st', rr VARCHAR(64) PATH '$.rr', rn "
	    "VARCHAR(100) PATH '$.rn', v INT PATH '$.v', ago INT PATH "
	    "'$.ago', upd INT PATH '$.upd', u BIGINT PATH '$.u')) AS jt");
	if (rc != DB_OK) {
		json_decref(events);
		return rc;
	}
	rc = db_query(
	    s->db, s->a, &res,
	    "SELECT a.id, a.job_id, a.candidate_id, a.rejection_reason, "
	    "TIMESTAMPDIFF(MINUTE, a.created_at, NOW(3)) FROM "
	    "applications a JOIN jobs j ON j.id = a.job_id WHERE "
	    "j.created_by = ?",
	    "i", s->users[U_ADMIN]);
	if (rc != DB_OK) {
		json_decref(events);
		return rc;
	}
	for (size_t r = 0; r < res.nrows; r++) {
		int64_t jid = db_int(&res.rows[r], 1),
			cid = db_int(&res.rows[r], 2);
		size_t j = 0, i = 0;
		while (j < DEMO_JOBS && s->job_ids[j] != jid)
			j++;
		while (i < DEMO_CANDIDATES && s->cand_ids[i] != cid)
			i++;
		if (j == DEMO_JOBS || i == DEMO_CANDIDATES)
			continue;
		int64_t app = db_int(&res.rows[r], 0);
		int64_t ago = db_int(&res.rows[r], 4);
		s->app_ids[j][i] = app;
		char st = s->app_status[j][i];
		int stage = s->app_stage[j][i];
		int nev = 1 + stage + (st != 'a');
		int64_t step = ago / (nev + 1);
		/* who moves it: the recruiter, the manager for later stages */
		int64_t mover = s->users[U_RECRUITER];
		append(events,
		       json_pack("{s:I, s:I, s:s, s:I, s:I, s:s, s:I}", "a",
				 (json_int_t)app, "u", (json_int_t)mover, "k",
				 "created", "f", (json_int_t)0, "t",
				 (json_int_t)s->stage_ids[j][0], "d", "", "ago",
				 (json_int_t)ago));
		int k = 1;
		int last_move = st == 'h' ? stage - 1 : stage;
		for (int p = 1; p <= last_move; p++, k++)
			append(events,
			       json_pack(
				   "{s:I, s:I, s:s, s:I, s:I, s:s, s:I}", "a",
				   (json_int_t)app, "u",
				   (json_int_t)(p >= 3 && demo_jobs[j].manager
						    ? s->users[U_MANAGER]
						    : mover),
				   "k", "moved", "f",
				   (json_int_t)s->stage_ids[j][p - 1], "t",
				   (json_int_t)s->stage_ids[j][p], "d", "",
				   "ago", (json_int_t)(ago - k * step)));
		if (st != 'a') {
			const char *kind = st == 'r'   ? "rejected"
					   : st == 'w' ? "withdrawn"
						       : "hired";
			const char *detail =
			    st == 'r' ? arena_printf(s->a,
						     "%s: Thanks for "
						     "your time.",
						     res.rows[r].v[3])
				      : "";
			append(
			    events,
			    json_pack("{s:I, s:I, s:s, s:I, s:I, s:s, s:I}",
				      "a", (json_int_t)app, "u",
				      (json_int_t)mover, "k", kind, "f",
				      (json_int_t)
					  s->stage_ids[j][st == 'h' ? stage - 1
								    : stage],
				      "t", (json_int_t)s->stage_ids[j][stage],
				      "d", detail ? detail : "", "ago",
				      (json_int_t)(ago - k * step)));
		}
	}
	rc = exec_rows(
	    s, events,
	    "INSERT INTO application_events (application_id, user_id, "
	    "kind, from_stage_id, to_stage_id, detail, at) SELECT jt.a, "
	    "jt.u, jt.k, NULLIF(jt.f, 0), NULLIF(jt.t, 0), jt.d, NOW(3) - "
	    "INTERVAL jt.ago MINUTE FROM JSON_TABLE(?, '$[*]' COLUMNS (a "
	    "BIGINT PATH '$.a', u BIGINT PATH '$.u', k VARCHAR(20) PATH "
	    "'$.k', f BIGINT PATH '$.f', t BIGINT PATH '$.t', d "
	    "VARCHAR(1000) PATH '$.d', ago INT PATH '$.ago')) AS jt");
	/* The history is back-dated, so "in this stage since" is too. */
	if (rc == DB_OK)
		rc = db_exec(s->db, NULL,
			     "UPDATE applications a JOIN jobs j ON j.id = "
			     "a.job_id SET a.stage_since = (SELECT MAX(e.at) "
			     "FROM application_events e WHERE e.application_id "
			     "= a.id AND e.to_stage_id = a.stage_id), "
			     "a.updated_at = a.updated_at WHERE j.created_by = ?",
			     "i", s->users[U_ADMIN]);
	return rc;
}

/* Notes: public and private, by the recruiter, the manager and the admin;
 * feedback: the interviewer on applications that reached an interview on
 * the jobs they interview for. */
static int seed_notes_feedback(struct seed *s)
{
	json_t *notes = json_array(), *fb = json_array();
	static const int authors[] = {U_RECRUITER, U_RECRUITER, U_MANAGER,
				      U_ADMIN};
	for (size_t i = 0; i < DEMO_CANDIDATES; i += 2) {
		int n = 1 + (int)rng_below(&s->rng, 2);
		for (int k = 0; k < n; k++) {
			bool pub = rng_below(&s->rng, 3) != 0;
			append(notes,
			       json_pack(
				   "{s:I, s:I, s:s, s:s, s:I}", "c",
				   (json_int_t)s->cand_ids[i], "u",
				   (json_int_t)s->users[PICK(&s->rng, authors)],
				   "b",
				   pub ? PICK(&s->rng, public_notes)
				       : PICK(&s->rng, private_notes),
				   "v", pub ? "public" : "private", "ago",
				   (json_int_t)(5 * MINUTES_A_DAY -
						(int)i * 10 - k)));
		}
	}
	for (size_t j = 0; j < DEMO_JOBS; j++) {
		if (!demo_jobs[j].interviewer)
			continue;
		for (size_t i = 0; i < DEMO_CANDIDATES; i++) {
			if (!s->app_ids[j][i] || s->app_stage[j][i] < 2)
				continue;
			int rating = 1 + (int)rng_below(&s->rng, 5);
			append(fb,
			       json_pack(
				   "{s:I, s:I, s:i, s:s, s:s, s:I}", "a",
				   (json_int_t)s->app_ids[j][i], "u",
				   (json_int_t)s->users[U_INTERVIEWER], "r",
				   rating, "rec",
				   recommendations[(rating - 1) * 4 / 5], "b",
				   PICK(&s->rng, feedback_bodies), "ago",
				   (json_int_t)(3 * MINUTES_A_DAY + (int)i)));
		}
	}
	int rc = exec_rows(
	    s, notes,
	    "INSERT INTO notes (candidate_id, author_id, body, visibility, "
	    "created_at) SELECT jt.c, jt.u, jt.b, jt.v, NOW(3) - INTERVAL "
	    "jt.ago MINUTE FROM JSON_TABLE(?, '$[*]' COLUMNS (c BIGINT "
	    "PATH '$.c', u BIGINT PATH '$.u', b TEXT PATH '$.b', v "
	    "VARCHAR(10) PATH '$.v', ago INT PATH '$.ago')) AS jt");
	if (rc != DB_OK) {
		json_decref(fb);
		return rc;
	}
	return exec_rows(
	    s, fb,
	    "INSERT INTO interview_feedback (application_id, "
	    "interviewer_id, rating, recommendation, body, created_at) "
	    "SELECT jt.a, jt.u, jt.r, jt.rec, jt.b, NOW(3) - INTERVAL "
	    "jt.ago MINUTE FROM JSON_TABLE(?, '$[*]' COLUMNS (a BIGINT "
	    "PATH '$.a', u BIGINT PATH '$.u', r INT PATH '$.r', rec "
	    "VARCHAR(20) PATH '$.rec', b TEXT PATH '$.b', ago INT PATH "
	    "'$.ago')) AS jt");
}

static const struct {
	const char *name;
	enum family family;
} demo_pools[] = {
    {"Backend engineers", F_BACKEND},
    {"Infrastructure and security", F_OPS},
    {"Design talent", F_DESIGN},
};

static int seed_pools(struct seed *s)
{
	json_t *members = json_array();
	int rc = DB_OK;
	for (size_t p = 0; rc == DB_OK && p < ARRAY_LEN(demo_pools); p++) {
		struct db_row r;
		rc = db_exec(s->db, NULL,
			     "INSERT IGNORE INTO talent_pools (name, kind, "
			     "created_by) VALUES (?, 'user', ?)",
			     "si", demo_pools[p].name, s->users[U_RECRUITER]);
		if (rc == DB_OK)
			rc = db_query_row(s->db, s->a, &r,
					  "SELECT id FROM talent_pools WHERE "
					  "name = ?",
					  "s", demo_pools[p].name);
		for (size_t i = 0; rc == DB_OK && i < DEMO_CANDIDATES; i++)
			if (s->cand_family[i] == demo_pools[p].family &&
			    rng_below(&s->rng, 3))
				append(
				    members,
				    json_pack("{s:I, s:I, s:I, s:I}", "p",
					      (json_int_t)db_int(&r, 0), "c",
					      (json_int_t)s->cand_ids[i], "u",
					      (json_int_t)s->users[U_RECRUITER],
					      "ago",
					      (json_int_t)(20 * MINUTES_A_DAY -
							   (int)i * 7)));
	}
	/* A dozen members who shared their profile from LinkedIn (F13). */
	for (size_t i = 5; rc == DB_OK && i < DEMO_CANDIDATES; i += 25)
		append(members,
		       json_pack("{s:I, s:I, s:I, s:I}", "p", (json_int_t)0,
				 "c", (json_int_t)s->cand_ids[i], "u",
				 (json_int_t)0, "ago",
				 (json_int_t)(MINUTES_A_DAY + (int)i)));
	if (rc != DB_OK) {
		json_decref(members);
		return rc;
	}
	/* pool 0 in a row is the LinkedIn pool */
	return exec_rows(
	    s, members,
	    "INSERT IGNORE INTO pool_members (pool_id, candidate_id, "
	    "added_by, added_at) SELECT IF(jt.p = 0, (SELECT id FROM "
	    "talent_pools WHERE kind = 'linkedin' LIMIT 1), jt.p), jt.c, "
	    "NULLIF(jt.u, 0), NOW(3) - INTERVAL jt.ago MINUTE FROM "
	    "JSON_TABLE(?, '$[*]' COLUMNS (p BIGINT PATH '$.p', c BIGINT "
	    "PATH '$.c', u BIGINT PATH '$.u', ago INT PATH '$.ago')) AS jt");
}

/* The organisation's seed after its users, for its transaction
 * (db_transaction: run again after a deadlock, so each run starts from
 * the same random state and no application of an earlier run). */
struct seed_run {
	struct seed *s;
	struct rng rng; /* as it was before the first run */
};

static int seed_txn(struct db *db, struct arena *a, void *arg)
{
	struct seed_run *run = arg;
	struct seed *s = run->s;
	s->rng = run->rng;
	memset(s->app_ids, 0, sizeof(s->app_ids));
	memset(s->app_stage, 0, sizeof(s->app_stage));
	memset(s->app_status, 0, sizeof(s->app_status));
	int rc = seed_jobs(s);
	if (rc == DB_OK)
		rc = seed_stages(s);
	if (rc == DB_OK)
		rc = seed_members(s);
	if (rc == DB_OK)
		rc = seed_candidates(s);
	if (rc == DB_OK)
		rc = seed_applications(s);
	if (rc == DB_OK)
		rc = seed_notes_feedback(s);
	if (rc == DB_OK)
		rc = seed_pools(s);
	if (rc == DB_OK)
		rc = ats_audit(db, s->users[U_ADMIN], "demo.seed", "", 0,
			       "the demo organisation", NULL);
	return rc;
}

int ats_demo_seed(struct db *db, bool *added)
{
	struct seed *s = calloc(1, sizeof(*s));
	bool done = false;
	int rc;

	if (added)
		*added = false;
	if (!s)
		return DB_ERROR;
	s->db = db;
	s->a = arena_new(64 * 1024);
	s->rng.s = DEMO_SEED;
	rc = s->a ? seed_users(s) : DB_ERROR;
	if (rc == DB_OK)
		rc = already_seeded(s, &done);
	if (rc == DB_OK && !done) {
		struct seed_run run = {s, s->rng};
		rc = db_transaction(db, seed_txn, &run);
		if (rc == DB_OK && added)
			*added = true;
	}
	if (rc != DB_OK)
		log_error("cannot seed the demo organisation: %s",
			  db_error(db));
	arena_free(s->a);
	free(s);
	return rc;
}
