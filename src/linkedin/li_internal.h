/*
 * li_internal.h - what the files of src/linkedin/ share and nobody else
 * needs: the layout of the shared and per-thread structs, error helpers.
 */
#ifndef HIRELINK_LI_INTERNAL_H
#define HIRELINK_LI_INTERNAL_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "core/crypto.h"
#include "linkedin/linkedin.h"

#define LI_NLOCKS 8

struct li_shared {
	const struct config *cfg;
	li_observe_fn observe;
	void *observe_arg;
	CURLSH *share;
	pthread_mutex_t share_mu[LI_NLOCKS]; /* by curl_lock_data */
	/* The application token cache, guarded by tok_mu; renewing is true
	 * while one thread fetches a new one (the others wait on tok_cv). */
	pthread_mutex_t tok_mu;
	pthread_cond_t tok_cv;
	bool renewing;
	char *tok;	     /* malloc'd, NULL when none */
	char *tok_client_id; /* the credentials that minted it */
	int64_t tok_expires_ms;
	atomic_ulong renewals;
	unsigned long gen; /* renewals finished, success or not */
	int last_rc;	   /* outcome of the last renewal */
	struct li_error last_err;
	/* li_settings_load_kept's copy (store.c), guarded by set_mu: the
	 * strings malloc'd, the secret wiped when dropped */
	pthread_mutex_t set_mu;
	bool set_kept;
	int64_t set_at_us; /* time_mono_us() of the read */
	struct li_settings set;
};

/* Frees what ls->set holds (the secret wiped); set_mu held. */
void li_shared_settings_drop(struct li_shared *ls);

struct li_client {
	struct li_shared *s;
	CURL *curl;
	int64_t deadline_us; /* the current page's budget; 0 = none */
};

/* What goes on the wire for a request: the URL, the method and body, with
 * the query moved into the body when the URL is too long for LinkedIn. */
struct li_wire {
	struct buf url;
	const char *method;	  /* "POST" when tunnelled */
	const char *override;	  /* X-HTTP-Method-Override, or NULL */
	const char *content_type; /* of the body, or NULL */
	struct buf body;	  /* form, JSON, or the tunnelled query */
	char multipart[64];	  /* multipart/mixed; boundary=... */
};

/* Builds w for rq (li_wire_release() after).  LI_ERR_INTERNAL when rq
 * cannot go out: out of memory, a path too long, a form to tunnel. */
int li_wire_build(const struct li_req *rq, struct li_wire *w,
		  struct li_error *err);
void li_wire_release(struct li_wire *w);

void li_err_set(struct li_error *err, int kind, long status, const char *code,
		const char *fmt, ...) PRINTF_LIKE(5, 6);
/* Sets err to "out of memory": LI_ERR_INTERNAL, to return. */
int li_err_oom(struct li_error *err);

/* store.c */
/* The cross-process lock on the application token (GET_LOCK, at most
 * 5 s): DB_OK, DB_DEADLOCK when it timed out, or a DB error. */
int li_app_token_lock(struct db *db, struct arena *a);
void li_app_token_unlock(struct db *db, struct arena *a);
/* The stored application token of client_id (opened into the arena) and
 * its expiry (epoch ms); DB_NOT_FOUND when none, another client's, or one
 * that does not open. */
int li_app_token_load(struct db *db, struct arena *a, const struct config *cfg,
		      const char *client_id, const char **token,
		      int64_t *expires_ms);
/* Stores the application token sealed.  DB status. */
int li_app_token_save(struct db *db, struct arena *a, const struct config *cfg,
		      const char *client_id, const char *token,
		      int64_t expires_ms);
int li_connection_update_tokens(struct db *db, const struct config *cfg,
				int64_t user_id, const struct li_tokens *t);
int li_connection_checked(struct db *db, int64_t user_id,
			  const struct li_member *m);

/* activities.c: one page of a finder with the application token: GET
 * path (with its query, without start/count) from start, 100 at a time;
 * the elements (borrowed from the answer) and paging's total (-1 when
 * LinkedIn gave none).  stubs.c reads mailStubs with it too. */
int li_page_get(struct li_client *li, struct db *db, struct arena *a,
		const struct li_settings *s, const char *path,
		const char *label, int64_t start, json_t **elements,
		int64_t *total, struct li_error *err);

#endif
