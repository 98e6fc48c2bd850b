/*
 * main.c - hirelink.fcgi: the FastCGI responder and the admin verbs.
 *
 *   hirelink.fcgi                  serve (FastCGI on `listen`; plain CGI when
 *                                  started by a CGI server)
 *   hirelink.fcgi migrate          apply sql/NNN_*.sql not applied yet
 *   hirelink.fcgi useradd --email E --name N --role R [--seat S]
 *                                  password read from stdin
 *   hirelink.fcgi worker           drain the outbox to LinkedIn until
 *                                  SIGTERM/SIGINT (src/linkedin/worker.h)
 *   hirelink.fcgi seed-demo        demo organisation (idempotent)
 *   hirelink.fcgi demo-logins      print the demo logins
 *   hirelink.fcgi check-config     load the config, the templates and
 *                                  linkedin_ca_file, report
 *   hirelink.fcgi config-doc       the configuration keys as a Markdown table
 *
 * The configuration file is $HIRELINK_CONFIG (default ./hirelink.conf).
 */
#include <curl/curl.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ats/ats.h"
#include "ats/candidates.h"
#include "ats/demo.h"
#include "ats/search_index.h"
#include "core/config.h"
#include "core/crypto.h"
#include "db/db.h"
#include "http/http.h"
#include "linkedin/linkedin.h"
#include "linkedin/worker.h"
#include "tmpl/tmpl.h"
#include "web/web.h"

static struct config cfg;

static int load_config(void)
{
	const char *path = getenv("HIRELINK_CONFIG");
	char err[512];

	if (!path || !*path)
		path = "hirelink.conf";
	if (config_load(&cfg, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "hirelink: %s\n", err);
		return -1;
	}
	if (!cfg.secret_key_set) {
		fprintf(stderr, "hirelink: %s: secret_key (or secret_key_file) "
				"is required (64 hex characters; e.g. "
				"`openssl rand -hex 32`)\n",
			path);
		return -1;
	}
	enum log_level level;
	if (log_level_parse(cfg.log_level, &level) == 0)
		log_set_level(level);
	password_set_cost((unsigned)cfg.password_t_cost,
			  (unsigned)cfg.password_m_cost_kib);
	password_set_slots((unsigned)cfg.password_slots);
	return 0;
}

static struct db *open_db(void)
{
	struct db_options o = {
		.host = cfg.db_host,
		.port = (unsigned)cfg.db_port,
		.socket = cfg.db_socket,
		.user = cfg.db_user,
		.password = cfg.db_password,
		.name = cfg.db_name,
	};
	return db_open(&o);
}

/* ------------------------------------------------------------ serve */

static void *thread_init(void *appp, int index)
{
	struct worker *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->app = appp;
	w->index = index;
	w->db = open_db();
	w->li = w->app->li ? li_client_new(w->app->li) : NULL;
	if (!w->db || !w->li) {
		db_close(w->db);
		li_client_free(w->li);
		free(w);
		return NULL;
	}
	return w;
}

static void thread_done(void *p)
{
	struct worker *w = p;
	if (w) {
		db_close(w->db);
		li_client_free(w->li);
		free(w);
	}
}

/* The origin of url ("https://platform.linkedin.com/x" ->
 * "https://platform.linkedin.com") into out: the CSP names origins, and
 * the platform's base URL may carry a path. */
static const char *origin_of(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://");
	size_t len = p ? (size_t)(p + 3 - url) + strcspn(p + 3, "/?#")
		       : strlen(url);
	snprintf(out, n, "%.*s", (int)len, url);
	return out;
}

static int serve(void)
{
	char platform_origin[512];
	struct app app = {.cfg = &cfg};
	char err[512];
	int rc = 1;

	/* Large allocations (argon2id's 19 MiB, a big request's arena blocks)
	 * always come from mmap and go back to the system when freed.  Left
	 * alone, glibc raises this threshold after the first such free and
	 * then keeps every later one in a thread's heap, so the resident size
	 * would follow the largest burst of sign-ins ever seen.  Freed
	 * memory at the top of a thread's heap is kept up to 4 MiB: trimmed
	 * at glibc's default 128 KiB, every search that freed its 125 KiB
	 * word sets (search_index.c) gave the pages back with madvise, and
	 * the next one faulted them in again. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 4 << 20);
	app.tmpl = tmpl_set_load(cfg.templates_dir, err, sizeof(err));
	if (!app.tmpl) {
		fprintf(stderr, "hirelink: %s\n", err);
		return 1;
	}
	for (size_t i = 0; i < web_ntemplates; i++) {
		if (!tmpl_exists(app.tmpl, web_templates[i])) {
			fprintf(stderr, "hirelink: %s/%s.html: template missing\n",
				cfg.templates_dir, web_templates[i]);
			goto out;
		}
	}
	search_index_configure(cfg.search_word_index != 0,
			       cfg.search_cache_entries);
	app.metrics = metrics_new(WEB_NROUTES);
	if (!app.metrics)
		goto out;
	if (cfg.fragment_cache_entries > 0) {
		app.frags = fragcache_new((size_t)cfg.fragment_cache_entries,
					  WEB_FRAGMENT_MAX);
		if (!app.frags)
			goto out;
	}
	http_limits_default(&app.limits);
	app.limits.max_body = (size_t)cfg.max_body_bytes;
	app.limits.max_upload = (size_t)cfg.max_upload_bytes;
	app.limits.max_fields = (size_t)cfg.max_fields;
	app.limits.max_field_len = (size_t)cfg.max_field_bytes;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	app.li = li_shared_new(&cfg, metrics_linkedin, app.metrics);
	if (!app.li) {
		curl_global_cleanup();
		goto out;
	}

	/* What uploads killed mid-way left (the worker sweeps their files
	 * without rows too, on a schedule): not for a CGI server's one
	 * request. */
	if (!getenv("GATEWAY_INTERFACE")) {
		struct db *sdb = open_db();
		struct ats_sweep swept;
		if (!sdb ||
		    ats_uploads_sweep(sdb, cfg.data_dir, false, &swept) != DB_OK)
			log_warn("uploads sweep at start: %s",
				 sdb ? db_error(sdb) : "out of memory");
		db_close(sdb);
	}

	struct http_server srv = {
		/* Under a CGI server (fcgiwrap, thttpd...) answer one request
		 * from the environment; otherwise listen ourselves. */
		.listen = getenv("GATEWAY_INTERFACE") ? NULL : cfg.listen,
		.threads = cfg.threads,
		.backlog = cfg.listen_backlog,
		.listen_group = cfg.listen_group,
		.queue_max_ms = cfg.queue_max_ms,
		.limits = &app.limits,
		/* scripts from LinkedIn's platform (the widget's loader),
		 * frames from the widget's origin, nothing broader */
		.security = {.csp_extra_origins = origin_of(
				 cfg.linkedin_platform_base, platform_origin,
				 sizeof(platform_origin)),
			     .csp_frame_origins = cfg.linkedin_widget_origin},
		.app = &app,
		.thread_init = thread_init,
		.thread_done = thread_done,
		.handler = web_handle,
		.body_rule = web_body_rule,
		.on_finish = web_on_finish,
	};
	rc = http_serve(&srv) == 0 ? 0 : 1;
	li_shared_free(app.li);
	curl_global_cleanup();
out:
	fragcache_free(app.frags);
	metrics_free(app.metrics);
	tmpl_set_free(app.tmpl);
	return rc;
}

/* ------------------------------------------------------------ verbs */

/* The word index built (always, or when it never was), timed. */
static int search_index_build_verb(bool always)
{
	struct db *db = open_db();
	int64_t n = 0, t0 = time_mono_us();
	int rc = !db		? DB_ERROR
		 : always	? search_index_build(db, &n)
				: search_index_ensure(db, &n);
	if (rc != DB_OK)
		fprintf(stderr, "hirelink: search index build failed: %s\n",
			db ? db_error(db) : "out of memory");
	else if (n >= 0)
		printf("search index built: %lld candidates in %.1f s\n",
		       (long long)n, (double)(time_mono_us() - t0) / 1e6);
	db_close(db);
	return rc == DB_OK ? 0 : 1;
}

static int migrate(void)
{
	struct db *db = open_db();
	int rc = db ? db_migrate(db, cfg.sql_dir) : DB_ERROR;
	if (rc != DB_OK)
		fprintf(stderr, "hirelink: migrate failed: %s\n",
			db ? db_error(db) : "out of memory");
	db_close(db);
	/* the search's word index, built once (sql/330) */
	return rc == DB_OK ? search_index_build_verb(false) : 1;
}

/* The search's fold (search_index_fold): the changed candidates indexed
 * in batches of up to SEARCH_FOLD_BATCH, each term's block written once a
 * batch, in a thread of its own with its own connection, beside the
 * outbox's threads and never in their loop.  It waits a moment when the
 * batch was not full, so that a stream of changes makes few large folds. */
#define SEARCH_FOLD_BATCH 2000
struct search_fold {
	pthread_t thread;
	atomic_bool stop;
};

static void *search_fold_run(void *arg)
{
	struct search_fold *f = arg;
	struct db *db = open_db();
	while (db && !atomic_load(&f->stop)) {
		size_t n = 0;
		if (search_index_fold(db, SEARCH_FOLD_BATCH, &n) != DB_OK)
			log_warn("search fold: %s", db_error(db));
		if (n < SEARCH_FOLD_BATCH)
			usleep(n ? 250000 : 500000);
	}
	db_close(db);
	return NULL;
}

/* The outbox's worker: one per host is plenty, more are harmless.  It
 * runs worker_threads threads, each with its own database connection and
 * LinkedIn client (li_worker_run). */
static int worker(void)
{
	sigset_t stop;
	int rc = 1;
	size_t nw = cfg.worker_threads > 0 ? (size_t)cfg.worker_threads : 1;

	/* Before any thread exists (curl's resolver), so all inherit them:
	 * the signal mask, and the niceness (per thread on Linux) that puts
	 * page requests first when the CPU is short. */
	li_worker_block_signals(&stop);
	if (cfg.worker_nice > 0 &&
	    setpriority(PRIO_PROCESS, 0, cfg.worker_nice) < 0)
		log_warn("worker: cannot set its niceness to %d: %s",
			 cfg.worker_nice, strerror(errno));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct li_shared *ls = li_shared_new(&cfg, NULL, NULL);
	struct li_worker *ws = calloc(nw, sizeof(*ws));
	bool ok = ls && ws;
	for (size_t i = 0; ok && i < nw; i++) {
		ws[i] = (struct li_worker){
		    .cfg = &cfg,
		    .db = open_db(),
		    .li = li_client_new(ls),
		    .arena = arena_new(64 * 1024),
		};
		ok = ws[i].db && ws[i].li && ws[i].arena;
	}
	if (!ok) {
		fprintf(stderr, "hirelink: worker: cannot start (out of "
				"memory, the database or curl failed)\n");
		goto out;
	}
	log_info("worker started (pid %ld): %zu threads, polls every %d ms, "
		 "leases %d s, gives up after %d attempts",
		 (long)getpid(), nw, cfg.worker_poll_ms,
		 cfg.worker_lease_seconds, cfg.worker_max_attempts);
	for (size_t i = 0; i < li_nsenders; i++)
		log_info("worker: %s: %s", li_senders[i].kind,
			 li_senders[i].send ? "sent"
					    : "no sender yet: rows wait");
	struct search_fold fold = {.stop = false};
	bool folding = pthread_create(&fold.thread, NULL, search_fold_run,
				      &fold) == 0;
	if (!folding)
		log_warn("worker: no search fold thread: searches read the "
			 "changed candidates themselves until one runs");
	rc = li_worker_run(ws, nw, li_senders, li_nsenders, &stop) == 0 ? 0
									  : 1;
	atomic_store(&fold.stop, true);
	if (folding)
		pthread_join(fold.thread, NULL);
out:
	for (size_t i = 0; ws && i < nw; i++) {
		arena_free(ws[i].arena);
		db_close(ws[i].db);
		li_client_free(ws[i].li);
	}
	free(ws);
	li_shared_free(ls);
	curl_global_cleanup();
	return rc;
}

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 2; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static int useradd(int argc, char **argv)
{
	const char *email = opt(argc, argv, "--email");
	const char *name = opt(argc, argv, "--name");
	const char *role = opt(argc, argv, "--role");
	const char *seat = opt(argc, argv, "--seat");
	char password[1100];
	struct ats_error e = {0};
	int64_t id = 0;

	if (!email || !name || !role) {
		fprintf(stderr, "usage: hirelink.fcgi useradd --email E --name N "
				"--role admin|recruiter|hiring_manager|interviewer "
				"[--seat recruiter|hiring_manager|none] < password\n");
		return 2;
	}
	if (!fgets(password, sizeof(password), stdin)) {
		fprintf(stderr, "hirelink: useradd: no password on stdin\n");
		return 2;
	}
	password[strcspn(password, "\r\n")] = '\0';
	struct db *db = open_db();
	int rc = db ? ats_user_create(db, email, name, role, seat ? seat : "none",
				      password, &id, &e)
		    : DB_ERROR;
	explicit_bzero(password, sizeof(password));
	if (rc == DB_OK)
		printf("user %lld %s (%s) created\n", (long long)id, email, role);
	else if (e.field)
		fprintf(stderr, "hirelink: useradd: %s %s\n", e.field, e.message);
	else
		fprintf(stderr, "hirelink: useradd: %s\n", db ? db_error(db) : "");
	db_close(db);
	return rc == DB_OK ? 0 : 1;
}

static int seed_demo(void)
{
	struct db *db = open_db();
	bool added = false;
	int64_t t0 = time_mono_us();
	int rc = db ? ats_demo_seed(db, &added) : DB_ERROR;
	if (rc != DB_OK)
		fprintf(stderr, "hirelink: seed-demo failed: %s\n",
			db ? db_error(db) : "out of memory");
	else if (added)
		printf("demo organisation ready (%.1f s)\n",
		       (double)(time_mono_us() - t0) / 1e6);
	else
		printf("demo organisation ready (it was there already)\n");
	db_close(db);
	return rc == DB_OK ? 0 : 1;
}

static int demo_logins(void)
{
	size_t n;
	const struct demo_user *u = ats_demo_users(&n);
	for (size_t i = 0; i < n; i++)
		printf("%-16s %-32s %s\n", u[i].role, u[i].email, u[i].password);
	return 0;
}

static int check_config(void)
{
	char err[512];
	struct tmpl_set *t = tmpl_set_load(cfg.templates_dir, err, sizeof(err));
	if (!t) {
		fprintf(stderr, "hirelink: %s\n", err);
		return 1;
	}
	tmpl_set_free(t);
	/* LinkedIn's certificates: a CA file that libcurl cannot use would
	 * only show at the first call, as every call failing */
	if (li_ca_file_check(cfg.linkedin_ca_file, err, sizeof(err)) < 0) {
		fprintf(stderr, "hirelink: %s\n", err);
		return 1;
	}
	printf("configuration and templates are fine\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : NULL;
	int rc;

	http_json_memory_install();
	config_defaults(&cfg);
	if (verb && !strcmp(verb, "config-doc")) {
		struct buf b = BUF_INIT;
		config_doc_markdown(&b);
		fputs(b.data, stdout);
		buf_release(&b);
		return 0;
	}
	if (verb && !strcmp(verb, "demo-logins"))
		return demo_logins();
	if (load_config() < 0)
		return 1;
	if (!verb)
		rc = serve();
	else if (!strcmp(verb, "migrate"))
		rc = migrate();
	else if (!strcmp(verb, "useradd"))
		rc = useradd(argc, argv);
	else if (!strcmp(verb, "worker"))
		rc = worker();
	else if (!strcmp(verb, "search-index-build"))
		rc = search_index_build_verb(true);
	else if (!strcmp(verb, "seed-demo"))
		rc = seed_demo();
	else if (!strcmp(verb, "check-config"))
		rc = check_config();
	else {
		fprintf(stderr, "hirelink: unknown verb '%s' (migrate, useradd, "
				"worker, search-index-build, seed-demo, demo-logins, check-config, config-doc)\n",
			verb);
		rc = 2;
	}
	config_free(&cfg);
	return rc;
}
