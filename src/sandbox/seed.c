/*
 * seed.c - the sandbox's deterministic world: sandbox_members LinkedIn
 * members, one organization with one Recruiter contract, 20 Recruiter and
 * 10 Hiring Manager seats on it, and the customer applications hirelink
 * instances use (SB_APPS of them: each instance is one).
 *
 * Everything comes from config's sandbox_seed through splitmix64, so every
 * stack with the same seed has the same member ids, seat ids and
 * credentials, and tests can ask for them (`credentials` verb,
 * /sandbox/credentials) instead of hard-coding them.
 *
 * Seeding is idempotent: sandbox_meta records which seed and size the data
 * came from; when they match nothing is done (but codes and tokens expired
 * for a day are pruned).  Otherwise the seeded tables
 * are emptied and refilled in one transaction, members 1000 at a time by a
 * single INSERT ... SELECT FROM JSON_TABLE(?) so that the statement stays a
 * literal prepared statement while inserting many rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/sandbox.h"

#define SEED_VERSION "v5"
#define SEED_BATCH   1000

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t pick(uint64_t *s, uint64_t n)
{
	return n ? splitmix64(s) % n : 0;
}

static const char alnum[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/* n characters of set from HMAC-SHA256(seed, label). */
static void derive_chars(long seed, const char *label, const char *set,
			 char *out, size_t n)
{
	char key[32];
	unsigned char mac[SHA256_LEN];
	size_t setlen = strlen(set), i;

	snprintf(key, sizeof(key), "sandbox-%ld", seed);
	crypto_hmac_sha256(key, strlen(key), label, strlen(label), mac);
	for (i = 0; i < n; i++)
		out[i] = set[mac[i % SHA256_LEN] % setlen];
	out[n] = '\0';
}

/* The label of application i's what: "what" for the first, "what 2"... */
static void app_label(char *out, size_t n, const char *what, int i)
{
	if (i)
		snprintf(out, n, "%s %d", what, i + 1);
	else
		snprintf(out, n, "%s", what);
}

void sb_ids_derive(const struct config *cfg, struct sb_ids *ids)
{
	uint64_t s = (uint64_t)cfg->sandbox_seed ^ 0x5eedULL;

	ids->organization_id = 1000000 + (int64_t)pick(&s, 9000000);
	ids->contract_id = 100000000 + (int64_t)pick(&s, 900000000);
	ids->first_seat_id = 10000000 + (int64_t)pick(&s, 80000000);
	/* The first application's labels are the ones the sandbox had when
	 * it had one, so its credentials did not change; the others add
	 * their number. */
	for (int i = 0; i < SB_APPS; i++) {
		struct sb_client *app = &ids->apps[i];
		char id_label[32], secret_label[32];
		app_label(id_label, sizeof(id_label), "client_id", i);
		app_label(secret_label, sizeof(secret_label), "client_secret",
			  i);
		derive_chars(cfg->sandbox_seed, id_label,
			     "abcdefghijklmnopqrstuvwxyz0123456789",
			     app->client_id, sizeof(app->client_id) - 1);
		derive_chars(cfg->sandbox_seed, secret_label, alnum,
			     app->client_secret,
			     sizeof(app->client_secret) - 1);
	}
}

const struct sb_client *sb_client_find(const struct sb_ids *ids,
				       const char *client_id)
{
	for (int i = 0; client_id && i < SB_APPS; i++)
		if (!strcmp(ids->apps[i].client_id, client_id))
			return &ids->apps[i];
	return NULL;
}

/* ------------------------------------------------------------ word lists */

static const char *const first_names[] = {
    "Ana",     "Ben",	"Chloe",   "Dmitri", "Elena",	"Farid",   "Grace",
    "Hiro",    "Ines",	"Jonas",   "Keisha", "Luca",	"Maya",	   "Noah",
    "Olga",    "Priya", "Quentin", "Rosa",   "Samuel",	"Tara",	   "Umar",
    "Vera",    "Wei",	"Ximena",  "Yusuf",  "Zoe",	"Amara",   "Bruno",
    "Carmen",  "Diego", "Emeka",   "Fatima", "Gustav",	"Hana",	   "Ivan",
    "Julia",   "Kofi",	"Leila",   "Mateo",  "Nadia",	"Oscar",   "Paula",
    "Rahul",   "Sofia", "Tomasz",  "Uma",    "Viktor",	"Wanjiru", "Yara",
    "Zeynep",  "Aidan", "Beatriz", "Chen",   "Daniela", "Erik",	   "Freya",
    "Gabriel", "Helga", "Isaac",   "Jana",
};

static const char *const last_names[] = {
    "Silva",	"Nguyen",  "Okafor",   "Müller",     "Rossi",	 "Kowalski",
    "Haddad",	"Tanaka",  "García",   "Johansson",  "Mensah",	 "Patel",
    "Dubois",	"Ivanova", "Kim",      "Novak",	     "O'Brien",	 "Petrov",
    "Rahman",	"Schmidt", "Torres",   "Usman",	     "Virtanen", "Wójcik",
    "Yilmaz",	"Zhang",   "Andersen", "Becker",     "Costa",	 "Da Silva",
    "Eriksson", "Fischer", "Gomez",    "Horvat",     "Ibrahim",	 "Jensen",
    "Kaur",	"Lopez",   "Martin",   "Nakamura",   "Olsen",	 "Park",
    "Quispe",	"Reyes",   "Santos",   "Takahashi",  "Ueda",	 "Varga",
    "Weber",	"Xu",	   "Young",    "Zimmermann", "Abebe",	 "Brown",
};

static const char *const titles[] = {
    "Software Engineer",
    "Senior Software Engineer",
    "Data Scientist",
    "Product Manager",
    "UX Designer",
    "DevOps Engineer",
    "Talent Acquisition Partner",
    "Technical Recruiter",
    "Sales Manager",
    "Account Executive",
    "Marketing Specialist",
    "Financial Analyst",
    "HR Business Partner",
    "Customer Success Manager",
    "QA Engineer",
    "Engineering Manager",
    "Backend Developer",
    "Frontend Developer",
    "Mobile Developer",
    "Project Manager",
    "Business Analyst",
    "Operations Manager",
    "Nurse",
    "Mechanical Engineer",
    "Electrical Engineer",
    "Accountant",
    "Legal Counsel",
    "Graphic Designer",
    "Content Writer",
    "Hiring Manager",
};

static const char *const companies[] = {
    "Northwind Traders",
    "Contoso",
    "Fabrikam",
    "Tailspin Toys",
    "Wide World Importers",
    "Adventure Works",
    "Litware",
    "Proseware",
    "Woodgrove Bank",
    "Alpine Ski House",
    "Blue Yonder Airlines",
    "Coho Winery",
    "Fourth Coffee",
    "Lucerne Publishing",
    "Margie's Travel",
    "Trey Research",
    "VanArsdel",
    "Relecloud",
};

static const char *const locations[] = {
    "Berlin, Germany",	 "London, United Kingdom",
    "Paris, France",	 "Madrid, Spain",
    "Lisbon, Portugal",	 "Amsterdam, Netherlands",
    "Stockholm, Sweden", "Warsaw, Poland",
    "Milan, Italy",	 "Dublin, Ireland",
    "New York, NY",	 "San Francisco, CA",
    "Austin, TX",	 "Seattle, WA",
    "Chicago, IL",	 "Toronto, Canada",
    "São Paulo, Brazil", "Bangalore, India",
    "Singapore",	 "Sydney, Australia",
    "Tokyo, Japan",	 "Nairobi, Kenya",
    "Lagos, Nigeria",	 "Zurich, Switzerland",
};

static const char *const schools[] = {
    "Technical University of Munich",
    "University of Lisbon",
    "Sorbonne University",
    "University of Toronto",
    "Stanford University",
    "University of Cape Town",
    "National University of Singapore",
    "University of Warsaw",
    "KTH Royal Institute of Technology",
    "University of São Paulo",
    "Indian Institute of Science",
    "University of Edinburgh",
};

static const char *const degrees[] = {
    "Bachelor of Science", "Master of Science", "Bachelor of Arts",
    "Master of Business Administration", "PhD"};

static const char *const fields[] = {
    "Computer Science", "Economics",   "Mechanical Engineering",
    "Psychology",	"Mathematics", "Business Administration",
    "Design",		"Nursing",     "Law",
    "Marketing",
};

static const char *const skills[] = {
    "C",	  "Python",	     "Java",
    "SQL",	  "Kubernetes",	     "AWS",
    "Recruiting", "Sourcing",	     "Negotiation",
    "Excel",	  "Figma",	     "Go",
    "Rust",	  "TypeScript",	     "React",
    "Leadership", "Public Speaking", "Agile",
    "Scrum",	  "Data Analysis",   "Machine Learning",
    "Salesforce", "Accounting",	     "Copywriting",
    "Linux",
};

#define PICK(s, list) (list)[pick((s), ARRAY_LEN(list))]

/* "Müller" -> "muller"-ish: keeps ASCII letters and digits, lowercased;
 * other bytes are dropped. */
static void slug_add(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 'A' && ch <= 'Z')
			buf_addc(b, (char)(ch - 'A' + 'a'));
		else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			buf_addc(b, (char)ch);
	}
}

/* The digits of a phone number, into out (at most n - 1 of them). */
static void phone_digits(const char *phone, char *out, size_t n)
{
	size_t o = 0;
	for (; *phone && o + 1 < n; phone++)
		if (*phone >= '0' && *phone <= '9')
			out[o++] = *phone;
	out[o] = '\0';
}

/* Member i's phone number, or "" (about half have none): from a stream of
 * its own, so that adding phones changed no other seeded value. */
static void member_phone(long seed, long i, char *out, size_t n)
{
	uint64_t ps = (uint64_t)seed ^ (0x9a0e5ULL * (uint64_t)i);
	if (pick(&ps, 2)) {
		*out = '\0';
		return;
	}
	snprintf(out, n, "+1 555 %03u %04u", (unsigned)pick(&ps, 1000),
		 (unsigned)pick(&ps, 10000));
}

/* Member i (1-based) as the JSON object JSON_TABLE reads; new. */
static json_t *member_json(uint64_t *s, long seed, long i, const char *seat)
{
	const char *first = PICK(s, first_names), *last = PICK(s, last_names);
	const char *title = PICK(s, titles), *company = PICK(s, companies);
	char urn[11];
	struct buf vanity = BUF_INIT, email = BUF_INIT;
	json_t *pos = json_array(), *edu = json_array(), *sk = json_array();
	int k, npos = 1 + (int)pick(s, 3), nsk = 3 + (int)pick(s, 6);
	int year = 2024 - (int)pick(s, 6);
	char *pos_s, *edu_s, *sk_s;
	json_t *m;

	for (k = 0; k < 10; k++)
		urn[k] = alnum[pick(s, sizeof(alnum) - 1)];
	urn[10] = '\0';
	slug_add(&vanity, first);
	buf_addc(&vanity, '-');
	slug_add(&vanity, last);
	buf_addf(&vanity, "-%04lx", (unsigned long)(pick(s, 0x10000)));

	for (k = 0; k < npos; k++) {
		const char *t = k ? PICK(s, titles) : title;
		const char *co = k ? PICK(s, companies) : company;
		int start = year - 1 - (int)pick(s, 4);
		json_t *p = json_pack("{s:s, s:s, s:{s:i, s:i}}", "title", t,
				      "companyName", co, "startDate", "year",
				      start, "month", 1 + (int)pick(s, 12));
		if (k && p)
			json_object_set_new(p, "endDate",
					    json_pack("{s:i, s:i}", "year",
						      year, "month",
						      1 + (int)pick(s, 12)));
		json_array_append_new(pos, p);
		year = start;
	}
	json_array_append_new(
	    edu, json_pack("{s:s, s:s, s:s, s:i, s:i}", "schoolName",
			   PICK(s, schools), "degreeName", PICK(s, degrees),
			   "fieldOfStudy", PICK(s, fields), "startYear",
			   year - 4, "endYear", year));
	for (k = 0; k < nsk; k++) {
		const char *skill = PICK(s, skills);
		size_t j;
		bool dup = false;
		for (j = 0; j < json_array_size(sk); j++)
			if (!strcmp(json_string_value(json_array_get(sk, j)),
				    skill))
				dup = true;
		if (!dup)
			json_array_append_new(sk, json_string(skill));
	}

	/* Seat holders always have an email (the seats API shows it); of the
	 * others about two in three. */
	if (*seat != 'n' || pick(s, 3) != 0) {
		slug_add(&email, first);
		buf_addc(&email, '.');
		slug_add(&email, last);
		buf_addf(&email, "%ld@example.%s", i,
			 i % 3 == 0   ? "org"
			 : i % 3 == 1 ? "com"
				      : "net");
	}
	pos_s = json_dumps(pos, JSON_COMPACT);
	edu_s = json_dumps(edu, JSON_COMPACT);
	sk_s = json_dumps(sk, JSON_COMPACT);
	m = json_pack("{s:I, s:s, s:s, s:s, s:s++, s:s, s:s, s:s, s:s, s:s, "
		      "s:s}",
		      "id", (json_int_t)i, "u", urn, "f", first, "l", last, "h",
		      title, " at ", company, "c", PICK(s, locations), "s",
		      seat, "v", vanity.data, "p", pos_s ? pos_s : "[]", "d",
		      edu_s ? edu_s : "[]", "k", sk_s ? sk_s : "[]");
	if (m && email.len)
		json_object_set_new(m, "e", json_string(email.data));
	if (m) {
		char phone[40], digits[40];
		member_phone(seed, i, phone, sizeof(phone));
		phone_digits(phone, digits, sizeof(digits));
		if (*phone) {
			json_object_set_new(m, "ph", json_string(phone));
			json_object_set_new(m, "pd", json_string(digits));
		}
		json_object_set_new(m, "t", json_string(title));
		json_object_set_new(m, "o", json_string(company));
	}
	free(pos_s);
	free(edu_s);
	free(sk_s);
	json_decref(pos);
	json_decref(edu);
	json_decref(sk);
	buf_release(&vanity);
	buf_release(&email);
	return m;
}

/* ------------------------------------------------------------ crafted */

/*
 * Members made for the LinkedIn tab's matching rules (issue 15), after the
 * seeded ones, with names no word list above produces: a test finds them by
 * label (GET /sandbox/members/crafted) and builds its candidate from them.
 * similar_1..4 sound alike (Jon, John, Jonathan Abernathy; Joan Abernethy).
 */
const struct sb_crafted sb_crafted_members[] = {
    {"email_and_id", "Marisol", "Quintero",
     "marisol.quintero@crafted.example.com", "+1 415 555 0101",
     "Staff Engineer", "Contoso", "Austin, TX"},
    {"email_only", "Tobias", "Wrenfield",
     "tobias.wrenfield@crafted.example.com", "+44 20 7946 0102",
     "Data Engineer", "Fabrikam", "London, United Kingdom"},
    {"id_only", "Ingrid", "Solberg-Hale",
     "ingrid.solberghale@crafted.example.com", NULL, "Product Designer",
     "Litware", "Stockholm, Sweden"},
    {"phone_only", "Ravi", "Thorncastle", NULL, "+91 80 5550 0104",
     "QA Lead", "Proseware", "Bangalore, India"},
    {"similar_1", "Jon", "Abernathy", "jon.abernathy@crafted.example.com",
     NULL, "Backend Developer", "Trey Research", "Seattle, WA"},
    {"similar_2", "John", "Abernathy", NULL, "+1 206 555 0106",
     "Sales Manager", "Relecloud", "Chicago, IL"},
    {"similar_3", "Jonathan", "Abernathy",
     "jonathan.abernathy@crafted.example.com", NULL, "Accountant",
     "Woodgrove Bank", "Toronto, Canada"},
    {"similar_4", "Joan", "Abernethy", NULL, NULL, "Nurse", "Coho Winery",
     "Dublin, Ireland"},
};
const size_t sb_ncrafted = ARRAY_LEN(sb_crafted_members);

/* A name and an address no member has (the "no match" rule). */
const struct sb_crafted sb_crafted_none = {
    "none", "Quillon", "Vexmoor", "quillon.vexmoor@nowhere.example",
    "+1 555 000 0000", "Lighthouse Keeper", "Nowhere Ltd", "Nowhere"};

void sb_crafted_id(long seed, const char *label, char out[11])
{
	char l[64];
	snprintf(l, sizeof(l), "crafted %s", label);
	derive_chars(seed, l, alnum, out, 10);
}

/* Crafted member k as member i (1-based); new. */
static json_t *crafted_json(long seed, long i, const struct sb_crafted *k)
{
	char urn[11], digits[40] = "";
	struct buf vanity = BUF_INIT;
	json_t *m;

	sb_crafted_id(seed, k->label, urn);
	slug_add(&vanity, k->first);
	buf_addc(&vanity, '-');
	slug_add(&vanity, k->last);
	buf_addf(&vanity, "-%s", urn);
	if (k->phone)
		phone_digits(k->phone, digits, sizeof(digits));
	m = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s++, s:s, s:s, s:s, s:[{s:s, s:s, "
	    "s:{s:i, s:i}}], s:[{s:s, s:s, s:s, s:i, s:i}], s:[s, s], s:s, "
	    "s:s, s:s}",
	    "id", (json_int_t)i, "u", urn, "f", k->first, "l", k->last, "h",
	    k->title, " at ", k->company, "c", k->location, "s", "none", "v",
	    vanity.data ? vanity.data : "", "p", "title", k->title,
	    "companyName", k->company, "startDate", "year", 2021, "month", 3,
	    "d", "schoolName", "University of Edinburgh", "degreeName",
	    "Master of Science", "fieldOfStudy", "Computer Science",
	    "startYear", 2014, "endYear", 2016, "k", "SQL", "Leadership", "t",
	    k->title, "o", k->company, "x", k->label);
	buf_release(&vanity);
	if (!m)
		return NULL;
	/* JSON_TABLE reads p, d and k as text */
	const char *const lists[] = {"p", "d", "k"};
	for (size_t j = 0; j < ARRAY_LEN(lists); j++) {
		char *text = json_dumps(json_object_get(m, lists[j]),
					JSON_COMPACT);
		json_object_set_new(m, lists[j], json_string(text ? text : "[]"));
		free(text);
	}
	if (k->email)
		json_object_set_new(m, "e", json_string(k->email));
	if (k->phone) {
		json_object_set_new(m, "ph", json_string(k->phone));
		json_object_set_new(m, "pd", json_string(digits));
	}
	return m;
}

static int insert_members(struct db *db, json_t *batch)
{
	char *text = json_dumps(batch, JSON_COMPACT);
	int rc;

	if (!text)
		return DB_ERROR;
	rc = db_exec(
	    db, NULL,
	    "INSERT INTO members (id, urn_id, first_name, last_name, headline,"
	    " location, email, seat, vanity_name, positions, education, skills,"
	    " phone, phone_digits, current_title, current_company, crafted)"
	    " SELECT id, u, f, l, h, c, e, s, v, p, d, k, ph, pd, t, o, x"
	    " FROM JSON_TABLE(?,"
	    " '$[*]' COLUMNS (id BIGINT PATH '$.id', u VARCHAR(32) PATH '$.u',"
	    " f VARCHAR(100) PATH '$.f', l VARCHAR(100) PATH '$.l',"
	    " h VARCHAR(255) PATH '$.h', c VARCHAR(100) PATH '$.c',"
	    " e VARCHAR(254) PATH '$.e', s VARCHAR(20) PATH '$.s',"
	    " v VARCHAR(120) PATH '$.v', p LONGTEXT PATH '$.p',"
	    " d LONGTEXT PATH '$.d', k LONGTEXT PATH '$.k',"
	    " ph VARCHAR(40) PATH '$.ph', pd VARCHAR(40) PATH '$.pd',"
	    " t VARCHAR(200) PATH '$.t', o VARCHAR(200) PATH '$.o',"
	    " x VARCHAR(32) PATH '$.x')) AS jt",
	    "s", text);
	free(text);
	return rc;
}

/* ["<scheme://host[:port] of url>"] into out: the origin a page of url
 * has; "[]" when url has none. */
static void origin_list(const char *url, char *out, size_t n)
{
	const char *host = url ? strstr(url, "://") : NULL;
	size_t len;
	json_t *list;
	char *text;

	snprintf(out, n, "[]");
	if (!host)
		return;
	len = (size_t)(host + 3 - url) + strcspn(host + 3, "/?#");
	list = json_pack("[s%]", url, len);
	text = list ? json_dumps(list, JSON_COMPACT) : NULL;
	if (text && strlen(text) < n)
		snprintf(out, n, "%s", text);
	free(text);
	json_decref(list);
}

static int fill(struct db *db, const struct config *cfg,
		const struct sb_ids *ids, const char *redirect_uri,
		const char *marker)
{
	uint64_t s = (uint64_t)cfg->sandbox_seed;
	unsigned char secret_hash[SHA256_LEN];
	long i, n = cfg->sandbox_members;
	json_t *batch = json_array();
	int rc = DB_OK;

	if (!batch)
		return DB_ERROR;
	if ((rc = db_exec(db, NULL, "DELETE FROM seats", "")) ||
	    (rc = db_exec(db, NULL, "DELETE FROM members", "")) ||
	    (rc = db_exec(db, NULL, "DELETE FROM contracts", "")) ||
	    (rc = db_exec(db, NULL, "DELETE FROM organizations", "")) ||
	    (rc = db_exec(db, NULL, "DELETE FROM applications", "")))
		goto out;
	if (n < SB_SEAT_HOLDERS)
		n = SB_SEAT_HOLDERS;
	for (i = 1; i <= n && rc == DB_OK; i++) {
		const char *seat = i <= SB_RECRUITER_SEATS ? "recruiter"
				   : i <= SB_SEAT_HOLDERS  ? "hiring_manager"
							   : "none";
		json_t *m = member_json(&s, cfg->sandbox_seed, i, seat);
		if (!m || json_array_append_new(batch, m) < 0) {
			rc = DB_ERROR;
			break;
		}
		if (json_array_size(batch) == SEED_BATCH || i == n) {
			rc = insert_members(db, batch);
			json_array_clear(batch);
		}
	}
	if (rc)
		goto out;
	for (size_t k = 0; k < sb_ncrafted; k++) {
		json_t *m = crafted_json(cfg->sandbox_seed, n + 1 + (long)k,
					 &sb_crafted_members[k]);
		if (!m || json_array_append_new(batch, m) < 0) {
			rc = DB_ERROR;
			goto out;
		}
	}
	if ((rc = insert_members(db, batch)))
		goto out;
	json_array_clear(batch);
	if ((rc = db_exec(db, NULL,
			  "INSERT INTO organizations (id, name) VALUES (?, ?)",
			  "is", ids->organization_id, "Sandbox Talent Inc.")) ||
	    (rc = db_exec(db, NULL,
			  "INSERT INTO contracts (id, organization_id, name)"
			  " VALUES (?, ?, ?)",
			  "iis", ids->contract_id, ids->organization_id,
			  "Sandbox Recruiter contract")))
		goto out;
	/* Seat ids follow member order: recruiters, then hiring managers. */
	rc = db_exec(db, NULL,
		     "INSERT INTO seats (id, contract_id, member_id, seat_type)"
		     " SELECT ? + id - 1, ?, id, IF(seat = 'recruiter',"
		     " 'RECRUITER', 'HIRING_MANAGER') FROM members"
		     " WHERE seat <> 'none'",
		     "ii", ids->first_seat_id, ids->contract_id);
	if (rc)
		goto out;
	/* Every application has hirelink's callback registered; a second
	 * instance on another loopback port is let in as any test's is. */
	for (i = 0; i < SB_APPS; i++) {
		const struct sb_client *app = &ids->apps[i];
		char name[64];
		app_label(name, sizeof(name), "hirelink", (int)i);
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
			 " (sandbox customer)");
		crypto_sha256(app->client_secret, strlen(app->client_secret),
			      secret_hash);
		/* the first instance's pages may show its widgets */
		char domains[600] = "[]";
		if (i == 0)
			origin_list(cfg->public_base_url, domains,
				    sizeof(domains));
		if ((rc = db_exec(db, NULL,
				  "INSERT INTO applications (client_id,"
				  " secret_hash, name, organization_id,"
				  " redirect_uri, valid_js_sdk_domains)"
				  " VALUES (?, ?, ?, ?, ?, ?)",
				  "sbsiss", app->client_id, secret_hash,
				  (size_t)SHA256_LEN, name,
				  ids->organization_id, redirect_uri, domains)))
			goto out;
	}
	rc = db_exec(db, NULL,
		     "INSERT INTO sandbox_meta (k, v) VALUES ('seed', ?)"
		     " ON DUPLICATE KEY UPDATE v = VALUES(v)",
		     "s", marker);
out:
	json_decref(batch);
	return rc;
}

int sb_seed(struct db *db, const struct config *cfg, const struct sb_ids *ids,
	    const char *redirect_uri)
{
	struct arena *a = arena_new(4096);
	struct db_row row;
	char marker[255];
	int rc;

	if (!a)
		return -1;
	/* Every start also drops codes and tokens dead for a day, so the
	 * tables of a long-lived demo stack stay small. */
	{
		int64_t old = time_now_ms() - 86400000LL;
		if (db_exec(db, NULL,
			    "DELETE FROM oauth_codes WHERE expires_at < ?", "i",
			    old) != DB_OK ||
		    db_exec(db, NULL,
			    "DELETE FROM oauth_tokens WHERE expires_at < ?",
			    "i", old) != DB_OK)
			log_warn("cannot prune old sandbox tokens: %s",
				 db_error(db));
	}
	/* The redirect URI is part of the marker: a new public_base_url
	 * re-registers the application. */
	snprintf(marker, sizeof(marker), "%s %ld %d %.200s", SEED_VERSION,
		 cfg->sandbox_seed, cfg->sandbox_members, redirect_uri);
	rc = db_query_row(db, a, &row,
			  "SELECT v FROM sandbox_meta WHERE k = 'seed'", "");
	if (rc == DB_OK && row.v[0] && !strcmp(row.v[0], marker)) {
		arena_free(a);
		return 0;
	}
	arena_free(a);
	if (rc != DB_OK && rc != DB_NOT_FOUND) {
		log_error("cannot read sandbox_meta: %s", db_error(db));
		return -1;
	}
	if (db_begin(db) != DB_OK) {
		log_error("cannot begin seeding: %s", db_error(db));
		return -1;
	}
	rc = fill(db, cfg, ids, redirect_uri, marker);
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc != DB_OK) {
		log_error("cannot seed the sandbox: %s", db_error(db));
		db_rollback(db);
		return -1;
	}
	log_info("sandbox seeded: %d members, seed %ld", cfg->sandbox_members,
		 cfg->sandbox_seed);
	return 0;
}
