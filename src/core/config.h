/*
 * config.h - the configuration file.
 *
 * Format: one "key = value" per line, '#' starts a comment, blank lines are
 * ignored, values are taken verbatim after trimming (no quotes).  The path
 * comes from $HIRELINK_CONFIG (or the -c option of the verbs).  An unknown
 * key, a duplicate key or a bad value is a start-up error that names the
 * file, the line and the key.  Every key is listed in config_keys[] with its
 * default and one line of documentation; README.md's table is generated from
 * it by `hirelink.fcgi config-doc`.
 *
 * The loaded struct config is read-only after start-up and shared by all
 * threads.
 */
#ifndef HIRELINK_CONFIG_H
#define HIRELINK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/crypto.h"

struct config {
	/* hirelink.fcgi */
	char *listen;              /* unix socket path or host:port */
	int threads;
	char *listen_group;        /* "": the process's group */
	int listen_backlog;        /* 0: the system's most */
	int queue_max_ms;          /* 0: never shed */
	char *public_base_url;     /* e.g. http://127.0.0.1:8080 */
	char *templates_dir;
	char *static_dir;
	char *sql_dir;
	char *data_dir;            /* attachments */
	char *log_level;           /* debug, info, warn, error */
	unsigned char secret_key[AES_KEY_LEN]; /* from secret_key (64 hex) */
	bool secret_key_set;
	char *secret_key_file;     /* "": secret_key is in the config file */
	/* The sign-in form's CSRF key, derived from secret_key (which is the
	 * AES key of stored LinkedIn tokens), never secret_key itself. */
	unsigned char csrf_key[SHA256_LEN];
	long max_body_bytes;
	long max_upload_bytes;
	int max_fields;
	long max_field_bytes;
	int session_idle_minutes;
	int session_absolute_hours;
	int session_cache_seconds;
	int fragment_cache_entries;
	int search_word_index;    /* 1: the word index answers searches */
	int search_cache_entries; /* decoded term ranges kept */
	int login_window_seconds;
	int login_max_failures; /* per (account, address) */
	int login_address_max_failures;
	int login_delay_after_failures; /* per account */
	int login_queue_ms;             /* a sign-in waits this long at most */
	int password_slots; /* argon2 runs at once; 0: one per CPU */
	int password_t_cost;
	int password_m_cost_kib;
	char *metrics_token; /* Bearer token reading /metrics; "" admins only */

	/* MariaDB */
	char *db_host;
	int db_port;
	char *db_socket;
	char *db_user;
	char *db_password;
	char *db_name;

	/* LinkedIn (the three base URLs switch between LinkedIn and the sandbox) */
	char *linkedin_oauth_base;
	char *linkedin_api_base;
	char *linkedin_platform_base;
	char *linkedin_widget_origin; /* the profile widget's iframe */
	int linkedin_connect_timeout_ms;
	int linkedin_timeout_ms;
	char *linkedin_ca_file;
	char *linkedin_callback_url; /* "" = public_base_url's */

	/* the outbox's worker (hirelink.fcgi worker) */
	int worker_poll_ms;
	int worker_max_attempts;
	int worker_lease_seconds;
	int worker_threads;
	int worker_nice;
	int upload_sweep_minutes;
	int linkedin_match_max_age_seconds;
	int linkedin_match_refresh_per_minute;
	int linkedin_activities_poll_minutes;
	int linkedin_stubs_poll_minutes;
	int linkedin_closed_check_days;

	/* linkedin-sandbox.fcgi */
	char *sandbox_listen;
	char *sandbox_db_name;
	long sandbox_seed;
	int sandbox_members;
	int sandbox_delivery_backoff_ms;     /* first retry's wait, doubling */
	int sandbox_delivery_backoff_max_ms; /* the longest wait */
	int sandbox_delivery_timeout_ms;     /* one try's answer */
};

enum config_type { CONFIG_STRING, CONFIG_INT, CONFIG_LONG, CONFIG_KEY };

struct config_key {
	const char *name;
	enum config_type type;
	size_t offset;           /* into struct config */
	const char *def;         /* default as text; NULL = required */
	long min, max;           /* for integers */
	const char *doc;
};

extern const struct config_key config_keys[];
extern const size_t config_nkeys;

/* Sets every key to its default.  Allocates nothing, cannot fail; string
 * defaults point into config_keys[] (config_free() knows). */
void config_defaults(struct config *c);
/*
 * Loads path over the defaults.  0 ok; -1 with "file:line: message" in err
 * (unknown key, duplicate, bad value, missing required key, unreadable file).
 * c need not be initialised: it is set to the defaults first.  On success
 * release it with config_free(); on failure it holds the defaults and owns
 * nothing.  Strings in c belong to c: do not free or modify them.
 */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
/* Parses from memory (for tests); name is used in messages.  As config_load. */
int config_parse(struct config *c, const char *name, const char *text,
		 char *err, size_t errlen);
void config_free(struct config *c);  /* frees the strings, wipes the key */

/* Appends a Markdown table (key | default | meaning) of config_keys[], for
 * README.md and `hirelink.fcgi config-doc`. */
struct buf;
void config_doc_markdown(struct buf *out);

#endif
