/*
 * config.c - the configuration file, driven by one table.
 *
 * config_keys[] lists every field of struct config once, with its type, its
 * default as text, its bounds and a line of documentation.  Defaults,
 * parsing, validation, freeing and the README table all walk that table,
 * so adding a setting is one row here plus the field in config.h.  The row
 * macros pick the type from the field itself (_Generic), so a row cannot
 * claim a field is a string when it is an int.
 *
 * Defaults are applied through the same code as file values, so a bad
 * default would fail the unit test that loads an empty file.  String
 * defaults are not copied: the field points at the table's text and
 * config_free() knows not to free it.  That makes config_defaults()
 * allocation-free (it cannot fail) and lets config_parse() start from the
 * defaults itself without leaking whatever the caller set up before.
 *
 * A '#' starts a comment only at the start of a line (after blanks), so a
 * password or URL may contain '#'.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/core.h"

#define CONFIG_FILE_MAX (1024 * 1024)

/* Row makers; _Generic as explained at the top of the file. */
/* clang-format off */
#define FIELD(name) (((struct config *)0)->name)
#define STR(name, def, doc) \
	{ #name, _Generic(FIELD(name), char *: CONFIG_STRING), \
	  offsetof(struct config, name), def, 0, 0, doc }
#define NUM(name, def, min, max, doc) \
	{ #name, _Generic(FIELD(name), int: CONFIG_INT, long: CONFIG_LONG), \
	  offsetof(struct config, name), def, min, max, doc }
#define KEY(name, doc) \
	{ #name, _Generic(FIELD(name), unsigned char *: CONFIG_KEY), \
	  offsetof(struct config, name), "", 0, 0, doc }

const struct config_key config_keys[] = {
	/* hirelink.fcgi */
	STR(listen, "var/run/hirelink.sock",
	    "FastCGI socket: a unix socket path or host:port; a listening "
	    "socket handed over on stdin (systemd's hirelink.socket) is "
	    "served instead"),
	NUM(threads, "8", 1, 256,
	    "Worker threads, each with its own database connection"),
	STR(listen_group, "",
	    "Group the FastCGI unix socket is given to, mode 0660: nginx's "
	    "(www-data on Debian), of which hirelink's user must be a member; "
	    "empty: hirelink's own group, for an nginx running as hirelink's "
	    "user"),
	NUM(listen_backlog, "0", 0, 1000000,
	    "Requests the FastCGI socket holds while every thread is busy "
	    "(0: as many as the system allows, net.core.somaxconn); past it "
	    "nginx answers 502"),
	NUM(queue_max_ms, "5000", 0, 3600000,
	    "A request nginx held this long before hirelink started it "
	    "(REQUEST_START) is answered 503 with Retry-After: 1 at once, "
	    "unserved, so that overload costs time of no one still waiting "
	    "(0: never)"),
	STR(public_base_url, "http://127.0.0.1:8080",
	    "Base URL users reach hirelink at, used in links and redirects"),
	STR(templates_dir, "templates", "Directory of the page templates"),
	STR(static_dir, "static", "Directory of the static files"),
	STR(sql_dir, "sql", "Directory of the schema and migration scripts"),
	STR(data_dir, "var/data", "Directory where attachments are stored"),
	STR(log_level, "info",
	    "Lowest level logged: debug, info, warn or error"),
	KEY(secret_key,
	    "Required, here or in secret_key_file: 64 hex digits (32 bytes, "
	    "`openssl rand -hex 32`); hirelink refuses to start without it.  "
	    "It encrypts the stored "
	    "LinkedIn secret and tokens, and keys derived from it (HKDF, one "
	    "per use) sign the sign-in form.  Its file (this one, or "
	    "secret_key_file) must be readable by hirelink's user only: "
	    "hirelink refuses to start when its group or others may read it"),
	STR(secret_key_file, "",
	    "A file holding secret_key (64 hex digits), instead of the key "
	    "in this file: hirelink's user's, mode 0600 or 0400 (hirelink "
	    "refuses to start when its group or others may read or write "
	    "it); set one of secret_key and secret_key_file.  Every node of "
	    "one hirelink has the same"),
	NUM(max_body_bytes, "1048576", 1024, 1073741824,
	    "Largest request body accepted, uploads excepted"),
	NUM(max_upload_bytes, "10485760", 1024, 1073741824,
	    "Largest multipart upload accepted"),
	NUM(max_fields, "256", 1, 100000, "Most form fields in one request"),
	NUM(max_field_bytes, "524288", 16, 1073741824,
	    "Largest single form field value"),
	NUM(session_idle_minutes, "120", 1, 525600,
	    "A session ends after this long without a request"),
	NUM(session_absolute_hours, "12", 1, 8760,
	    "A session ends this long after login, active or not"),
	NUM(session_cache_seconds, "5", 0, 60,
	    "A checked session is trusted from memory this long (0: never); "
	    "a sign-out or deactivation made through another hirelink "
	    "process reaches this one within this bound"),
	NUM(fragment_cache_entries, "128", 0, 65536,
	    "Jobs lists, candidate page heads and LinkedIn tabs kept in "
	    "memory (0: none), "
	    "at most 32 KB each (4 MB in all by default); one is served again "
	    "only while MariaDB's revision of its data is unchanged, so it is "
	    "never stale"),
	NUM(search_word_index, "1", 0, 1,
	    "1: the candidate search finds words through the word index "
	    "(sql/330, the worker keeps it up to date); 0: through "
	    "MariaDB FULLTEXT alone"),
	NUM(search_cache_entries, "64", 0, 4096,
	    "Term ranges of the word index kept decoded in memory between "
	    "searches (0: none), each at most an eighth of a byte per "
	    "candidate (128 KB at 1M); one is used only while the index is "
	    "at the revision it was read at, so it is never stale"),
	NUM(login_window_seconds, "300", 1, 86400,
	    "Window over which failed sign-ins are counted, from the first; "
	    "no sign-in is refused for longer"),
	NUM(login_max_failures, "10", 1, 1000000,
	    "Failed sign-ins from one address at one account in the window, "
	    "after which that address is refused for that account"),
	NUM(login_address_max_failures, "100", 1, 1000000,
	    "Failed sign-ins from one address at any accounts in the window, "
	    "after which the address is refused; failures that the account's "
	    "right password then followed there do not count"),
	NUM(login_delay_after_failures, "10", 1, 1000000,
	    "Failed sign-ins at one account from all addresses in the window, "
	    "after which an address that failed at it too waits between tries "
	    "(1 s, doubling with each further failure, at most the window); "
	    "an address that has not failed at it never waits"),
	NUM(login_queue_ms, "1000", 0, 60000,
	    "A sign-in that has waited this long since nginx received it "
	    "(nginx's REQUEST_START parameter, else since hirelink did) "
	    "without a free password check is answered 503 with "
	    "Retry-After: 1 at once, instead of after a queue longer than "
	    "anyone waits; it counts as no try"),
	NUM(password_slots, "0", 0, 64,
	    "Password hashes and checks run at once (0: one per CPU); each "
	    "holds password_m_cost_kib of memory and a core"),
	NUM(password_t_cost, "2", 1, 100, "argon2id passes (time cost)"),
	NUM(password_m_cost_kib, "19456", 8, 4194304,
	    "argon2id memory per hash, in KiB"),
	STR(metrics_token, "",
	    "Bearer token that reads /metrics (Prometheus' "
	    "authorization credentials: Authorization: Bearer <token>), at "
	    "least 32 printable characters without spaces (openssl rand -hex "
	    "32); an admin signed in reads it too.  Empty: admins only.  No "
	    "address is trusted by itself, loopback included"),

	/* MariaDB */
	STR(db_host, "", "MariaDB host; empty uses db_socket or the default"),
	NUM(db_port, "3306", 1, 65535, "MariaDB TCP port"),
	STR(db_socket, "", "MariaDB unix socket; empty uses the default"),
	STR(db_user, "hirelink", "MariaDB user"),
	STR(db_password, "", "MariaDB password"),
	STR(db_name, "hirelink", "MariaDB database"),

	/* LinkedIn */
	STR(linkedin_oauth_base, "https://www.linkedin.com",
	    "LinkedIn OAuth base URL (point at the sandbox for tests)"),
	STR(linkedin_api_base, "https://api.linkedin.com",
	    "LinkedIn REST API base URL"),
	STR(linkedin_platform_base, "https://platform.linkedin.com",
	    "LinkedIn platform (widgets) base URL"),
	STR(linkedin_widget_origin, "https://www.linkedin.com",
	    "Origin (scheme://host[:port]) LinkedIn serves the profile "
	    "widget's iframe from: the only frame-src of hirelink's pages"),
	NUM(linkedin_connect_timeout_ms, "1000", 1, 600000,
	    "Connect timeout for LinkedIn calls, in milliseconds"),
	NUM(linkedin_timeout_ms, "3000", 1, 600000,
	    "Total timeout for one LinkedIn call, in milliseconds"),
	STR(linkedin_ca_file, "",
	    "CA bundle (PEM) that LinkedIn calls trust instead of the "
	    "system's; empty uses the system's.  Verification is never "
	    "off; check-config reads the file"),
	STR(linkedin_callback_url, "",
	    "The CALLBACK_URL hirelink registers with LinkedIn for push "
	    "notifications (one-click export); empty uses "
	    "public_base_url/linkedin/notifications"),

	/* the outbox's worker */
	NUM(worker_poll_ms, "250", 10, 60000,
	    "How often an idle worker looks for new outbox rows, in "
	    "milliseconds: a change reaches LinkedIn's queue within this"),
	NUM(worker_max_attempts, "8", 1, 1000,
	    "Failed sends of one outbox row (backoff 10 s doubling to at most "
	    "1 h, or LinkedIn's Retry-After, between them) after which it is "
	    "dead until an admin retries it"),
	NUM(worker_lease_seconds, "60", 1, 86400,
	    "How long a worker holds the rows it claimed; rows of a worker "
	    "killed while sending come back after this"),
	NUM(worker_threads, "4", 1, 64,
	    "Threads of one worker process, each with its own database "
	    "connection: they send batches side by side (callbacks applied, "
	    "jobs synced); only the first polls when idle"),
	NUM(worker_nice, "5", 0, 19,
	    "The worker's niceness (nice(1)): its threads yield the CPU to "
	    "hirelink's page requests and LinkedIn's callbacks when the "
	    "machine is busy, and take what is left; 0 runs it as the "
	    "responder runs"),
	NUM(upload_sweep_minutes, "60", 1, 10080,
	    "How often the worker removes what interrupted uploads left in "
	    "data_dir (also when it starts; hirelink.fcgi removes temporaries "
	    "when it starts): .tmp-* files older than 10 minutes, and stored "
	    "files older than an hour that no attachment names; counted in "
	    "/metrics"),
	NUM(linkedin_match_max_age_seconds, "600", 10, 604800,
	    "How old LinkedIn's answer to the candidate match query may be, in "
	    "seconds: an older one is asked again when someone opens the "
	    "candidate's LinkedIn tab, and the worker asks again in the "
	    "background for candidates whose tab was opened in the last hour"),
	NUM(linkedin_match_refresh_per_minute, "30", 0, 600,
	    "At most this many stale match answers the worker asks LinkedIn "
	    "again a minute in the background (a sixth every 10 seconds), "
	    "well inside atsCandidates' 100,000 calls a day; 0 turns the "
	    "background refresh off"),
	NUM(linkedin_activities_poll_minutes, "15", 1, 1440,
	    "How often the worker reads the Recruiter contract's seats and "
	    "each seat's InMail history and Recruiter notes from LinkedIn "
	    "(Recruiting activities), in minutes; opening a candidate's "
	    "Recruiting activities tab also asks for the viewer's seat at once"),
	NUM(linkedin_stubs_poll_minutes, "15", 1, 1440,
	    "How often the worker reads each seat's new InMail stub profiles "
	    "(mailStubs: members who replied and shared their contact "
	    "details) into the LinkedIn talent pool, in minutes; the pool "
	    "page's Fetch now and LinkedIn's push notification read them at "
	    "once"),
	NUM(linkedin_closed_check_days, "30", 1, 30,
	    "How often the worker asks LinkedIn which linked members closed "
	    "their account (closed profiles, listed on "
	    "/admin/linkedin/closed for an admin to erase their "
	    "LinkedIn-derived data), in days; LinkedIn requires at least "
	    "every 30"),

	/* linkedin-sandbox.fcgi */
	STR(sandbox_listen, "var/run/sandbox.sock",
	    "FastCGI socket of the LinkedIn sandbox"),
	STR(sandbox_db_name, "linkedin_sandbox",
	    "MariaDB database of the LinkedIn sandbox"),
	NUM(sandbox_seed, "42", 0, LONG_MAX,
	    "Random seed for the sandbox's generated members"),
	NUM(sandbox_members, "5000", 0, 10000000,
	    "Number of generated sandbox members"),
	NUM(sandbox_delivery_backoff_ms, "1000", 1, 3600000,
	    "The sandbox's wait before it sends a push notification again "
	    "after a failed try, in milliseconds; doubled after each further "
	    "failure (6 retries, as LinkedIn)"),
	NUM(sandbox_delivery_backoff_max_ms, "32000", 1, 86400000,
	    "The longest wait between two tries of a push notification, in "
	    "milliseconds"),
	NUM(sandbox_delivery_timeout_ms, "3000", 1, 600000,
	    "How long the sandbox waits for a callback's answer before the "
	    "try counts as failed, in milliseconds"),
};
/* clang-format on */

const size_t config_nkeys = ARRAY_LEN(config_keys);

/* The info that derives the sign-in form's CSRF key from secret_key. */
#define CSRF_KEY_LABEL "hirelink sign-in form csrf"

static void key_wipe(struct config *c)
{
	crypto_wipe(c->secret_key, sizeof(c->secret_key));
	crypto_wipe(c->csrf_key, sizeof(c->csrf_key));
	c->secret_key_set = false;
}

static void *field(struct config *c, const struct config_key *k)
{
	return (char *)c + k->offset;
}

static const struct config_key *key_find(const char *name)
{
	size_t i;

	for (i = 0; i < config_nkeys; i++)
		if (strcmp(config_keys[i].name, name) == 0)
			return &config_keys[i];
	return NULL;
}

/* Frees a string field unless it points at the table's default. */
static void string_drop(struct config *c, const struct config_key *k)
{
	char **p = field(c, k);

	if (*p && *p != k->def) {
		if (strcmp(k->name, "db_password") == 0 ||
		    strcmp(k->name, "metrics_token") == 0)
			crypto_wipe(*p, strlen(*p));
		free(*p);
	}
	*p = NULL;
}

/* The checks of string keys beyond their type: log_level's words (in
 * log_level_parse(), so they live in one place) and metrics_token's form.
 * 0, or -1 with the reason in msg (never the value). */
static int check_choice(const struct config_key *k, const char *val, char *msg,
			size_t msglen)
{
	enum log_level l;
	size_t i;

	if (strcmp(k->name, "log_level") == 0) {
		if (log_level_parse(val, &l) == 0)
			return 0;
		snprintf(msg, msglen, "%s: expected debug, info, warn or error",
			 k->name);
		return -1;
	}
	/* A token someone could guess, or one a header cannot carry. */
	if (strcmp(k->name, "metrics_token") == 0) {
		size_t n = strlen(val);
		bool ok = n == 0 || (n >= 32 && n <= 256);
		for (i = 0; ok && i < n; i++)
			ok = val[i] > ' ' && val[i] < 0x7f;
		if (ok)
			return 0;
		snprintf(msg, msglen,
			 "%s: expected at least 32 printable characters "
			 "without spaces, at most 256",
			 k->name);
		return -1;
	}
	return 0;
}

/*
 * Stores val into the field of k.  is_default: val is k->def and a string
 * may point at it instead of being copied.  -1 with the reason in msg
 * (without the file:line prefix).  The secret key's value never appears in
 * a message.
 */
static int set_value(struct config *c, const struct config_key *k,
		     const char *val, bool is_default, char *msg, size_t msglen)
{
	int64_t v;
	char *copy;

	switch (k->type) {
	case CONFIG_STRING:
		if (check_choice(k, val, msg, msglen) < 0)
			return -1;
		if (is_default) {
			copy = (char *)k->def;
		} else {
			copy = strdup(val);
			if (!copy) {
				snprintf(msg, msglen, "%s: out of memory",
					 k->name);
				return -1;
			}
		}
		string_drop(c, k);
		*(char **)field(c, k) = copy;
		return 0;
	case CONFIG_INT:
	case CONFIG_LONG:
		if (parse_i64(val, &v) < 0 || v < k->min || v > k->max) {
			snprintf(msg, msglen,
				 "%s: expected an integer between %ld and %ld",
				 k->name, k->min, k->max);
			return -1;
		}
		if (k->type == CONFIG_INT)
			*(int *)field(c, k) = (int)v;
		else
			*(long *)field(c, k) = (long)v;
		return 0;
	case CONFIG_KEY:
		/* The only key field is secret_key, hence secret_key_set and
		 * the keys derived from it. */
		key_wipe(c);
		if (*val == '\0')
			return 0;
		if (hex_decode(val, c->secret_key, AES_KEY_LEN) < 0) {
			key_wipe(c);
			snprintf(msg, msglen, "%s: expected %d hex digits",
				 k->name, 2 * AES_KEY_LEN);
			return -1;
		}
		if (crypto_derive_key(c->secret_key, AES_KEY_LEN,
				      CSRF_KEY_LABEL, c->csrf_key) < 0) {
			key_wipe(c);
			snprintf(msg, msglen, "%s: cannot derive keys", k->name);
			return -1;
		}
		c->secret_key_set = true;
		return 0;
	}
	snprintf(msg, msglen, "%s: unknown type", k->name);
	return -1;
}

void config_defaults(struct config *c)
{
	char msg[128];
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < config_nkeys; i++)
		if (config_keys[i].def)
			set_value(c, &config_keys[i], config_keys[i].def, true,
				  msg, sizeof(msg));
}

void config_free(struct config *c)
{
	size_t i;

	for (i = 0; i < config_nkeys; i++)
		if (config_keys[i].type == CONFIG_STRING)
			string_drop(c, &config_keys[i]);
	key_wipe(c);
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * Walks a private copy of text line by line, cutting each line in place.
 * On any error c is put back to the defaults so it owns nothing.
 */
int config_parse(struct config *c, const char *name, const char *text,
		 char *err, size_t errlen)
{
	bool seen[ARRAY_LEN(config_keys)] = {false};
	const struct config_key *k;
	char msg[256];
	char *copy, *line, *next, *eq, *key, *val;
	int lineno = 0, rc = -1;
	size_t i;

	config_defaults(c);
	copy = strdup(text ? text : "");
	if (!copy) {
		set_err(err, errlen, "%s: out of memory", name);
		return -1;
	}
	for (line = copy; line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		str_trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			set_err(err, errlen, "%s:%d: expected 'key = value'",
				name, lineno);
			goto out;
		}
		*eq = '\0';
		key = str_trim(line);
		val = str_trim(eq + 1);
		if (*key == '\0') {
			set_err(err, errlen, "%s:%d: expected 'key = value'",
				name, lineno);
			goto out;
		}
		k = key_find(key);
		if (!k) {
			set_err(err, errlen, "%s:%d: unknown key '%s'", name,
				lineno, key);
			goto out;
		}
		if (seen[k - config_keys]) {
			set_err(err, errlen, "%s:%d: duplicate key '%s'", name,
				lineno, key);
			goto out;
		}
		seen[k - config_keys] = true;
		if (set_value(c, k, val, false, msg, sizeof(msg)) < 0) {
			set_err(err, errlen, "%s:%d: %s", name, lineno, msg);
			goto out;
		}
	}
	for (i = 0; i < config_nkeys; i++) {
		if (!config_keys[i].def && !seen[i]) {
			set_err(err, errlen, "%s: missing required key '%s'",
				name, config_keys[i].name);
			goto out;
		}
	}
	rc = 0;
out:
	crypto_wipe(copy, strlen(copy));
	free(copy);
	if (rc < 0) {
		config_free(c);
		config_defaults(c);
	}
	return rc;
}

/*
 * The AES key's file, whichever holds it (the config file, or
 * secret_key_file), must not be readable by anyone but its owner: a key
 * that every local account may read encrypts nothing.  Checked on the open
 * file, so what is checked is what is read.  0, or -1 with the reason.
 */
static int check_secret_mode(int fd, const char *path, const char *what,
			     char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		set_err(err, errlen, "%s: cannot stat: %s", path,
			strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		set_err(err, errlen, "%s: %s is not a regular file", path,
			what);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		set_err(err, errlen,
			"%s: holds the secret key, but its group or others may "
			"read or write it (mode %04o): it must be readable by "
			"hirelink's user only (chmod 600 %s)",
			path, (unsigned)(st.st_mode & 07777), path);
		return -1;
	}
	return 0;
}

/* Reads secret_key from c->secret_key_file (64 hex digits, blanks and a
 * newline around them allowed).  0 or -1 with the reason in err. */
static int load_key_file(struct config *c, const char *conf_path, char *err,
			 size_t errlen)
{
	const char *path = c->secret_key_file;
	char text[256], msg[128];
	ssize_t n;
	int fd, rc = -1;

	if (c->secret_key_set) {
		set_err(err, errlen,
			"%s: secret_key and secret_key_file are both set; "
			"keep one",
			conf_path);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		set_err(err, errlen, "%s: secret_key_file %s: cannot open: %s",
			conf_path, path, strerror(errno));
		return -1;
	}
	if (check_secret_mode(fd, path, "secret_key_file", err, errlen) < 0)
		goto out;
	n = read(fd, text, sizeof(text) - 1);
	if (n < 0) {
		set_err(err, errlen, "%s: cannot read: %s", path,
			strerror(errno));
		goto out;
	}
	text[n] = '\0';
	if (set_value(c, key_find("secret_key"), str_trim(text), false, msg,
		      sizeof(msg)) < 0 ||
	    !c->secret_key_set) {
		set_err(err, errlen, "%s: expected %d hex digits", path,
			2 * AES_KEY_LEN);
		goto out;
	}
	rc = 0;
out:
	crypto_wipe(text, sizeof(text));
	close(fd);
	return rc;
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	struct buf text;
	char chunk[4096];
	size_t n;
	FILE *f;
	int rc;

	config_defaults(c);
	f = fopen(path, "r");
	if (!f) {
		/* Start-up is single-threaded, so strerror is fine here. */
		set_err(err, errlen, "%s: cannot open: %s", path,
			strerror(errno));
		return -1;
	}
	buf_init(&text, CONFIG_FILE_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&text, chunk, n);
	if (ferror(f)) {
		set_err(err, errlen, "%s: cannot read: %s", path,
			strerror(errno));
		rc = -1;
	} else if (buf_failed(&text)) {
		set_err(err, errlen, "%s: larger than %d bytes", path,
			CONFIG_FILE_MAX);
		rc = -1;
	} else if (memchr(text.data, '\0', text.len)) {
		set_err(err, errlen, "%s: contains a NUL byte", path);
		rc = -1;
	} else {
		rc = config_parse(c, path, text.data, err, errlen);
	}
	if (rc == 0 && *c->secret_key_file)
		rc = load_key_file(c, path, err, errlen);
	else if (rc == 0 && c->secret_key_set)
		rc = check_secret_mode(fileno(f), path, "the file", err,
				       errlen);
	if (rc < 0) {
		config_free(c);
		config_defaults(c);
	}
	fclose(f);
	crypto_wipe(text.data, text.len);
	buf_release(&text);
	return rc;
}

/* Markdown table cells: a '|' would end the cell. */
static void add_cell(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			buf_addc(out, '\\');
		buf_addc(out, *s);
	}
}

void config_doc_markdown(struct buf *out)
{
	const struct config_key *k;
	size_t i;

	buf_adds(out, "| key | default | meaning |\n");
	buf_adds(out, "|-----|---------|---------|\n");
	for (i = 0; i < config_nkeys; i++) {
		k = &config_keys[i];
		buf_addf(out, "| `%s` | ", k->name);
		if (!k->def) {
			buf_adds(out, "(required)");
		} else if (*k->def == '\0') {
			buf_adds(out,
				 k->type == CONFIG_KEY ? "(unset)" : "(empty)");
		} else {
			buf_addc(out, '`');
			add_cell(out, k->def);
			buf_addc(out, '`');
		}
		buf_adds(out, " | ");
		add_cell(out, k->doc);
		if (k->type == CONFIG_INT || k->type == CONFIG_LONG) {
			if (k->max == LONG_MAX || k->max == INT_MAX)
				buf_addf(out, " (at least %ld)", k->min);
			else
				buf_addf(out, " (%ld to %ld)", k->min, k->max);
		}
		buf_adds(out, " |\n");
	}
}
