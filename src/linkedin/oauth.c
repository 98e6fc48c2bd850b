/*
 * oauth.c - LinkedIn's two kinds of credentials: the application token
 * (client credentials) and members' tokens (authorization code, refresh,
 * revoke).
 *
 * The application token is cached per process and in the database row
 * linkedin_app_token, and renewed LI_RENEW_BEFORE_MS before it expires.
 * Renewal is single-flight twice over: within the process one thread renews
 * while the others wait on a condition variable; across processes the
 * renewing thread holds GET_LOCK and re-reads the row before it asks
 * LinkedIn (another process may have just renewed it).
 *
 * Member tokens are only fetched here; their connection rows live in
 * store.c and their checks in members.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "linkedin/answers.h"
#include "linkedin/li_internal.h"

static void form_add(struct buf *b, const char *name, const char *value)
{
	if (b->len)
		buf_addc(b, '&');
	buf_adds(b, name);
	buf_addc(b, '=');
	buf_add_url(b, value, strlen(value));
}

static void buf_wipe_release(struct buf *b)
{
	crypto_wipe(b->data, b->len);
	buf_release(b);
}

/*
 * A token answer: {"access_token": s, "expires_in": n|"n",
 * "refresh_token"?: s, "refresh_token_expires_in"?: n|"n", "scope"?: s};
 * the strings stay the answer's (until the arena resets).  Other members
 * (id_token, token_type) are tolerated: LinkedIn adds them for some
 * products.
 */
static int parse_token_answer(const struct li_resp *r, struct li_tokens *t,
			      struct li_error *err)
{
	return li_token_read(r->json, time_now_ms(), t, err);
}

static int token_post(struct li_client *li, struct arena *a, struct buf *form,
		      struct li_resp *r, struct li_error *err)
{
	const struct config *cfg = li->s->cfg;
	if (buf_failed(form)) {
		return li_err_oom(err);
	}
	struct li_req rq = {
	    .method = "POST",
	    .base = cfg->linkedin_oauth_base,
	    .path = "/oauth/v2/accessToken",
	    .label = "/oauth/v2/accessToken",
	    .form = form->data,
	};
	return li_call(li, a, &rq, r, err);
}

/* ------------------------------------------------------------ app token */

static bool cache_fresh(const struct li_shared *sh, const char *client_id,
			const char *stale)
{
	return sh->tok && sh->tok_client_id &&
	       !strcmp(sh->tok_client_id, client_id) &&
	       sh->tok_expires_ms - LI_RENEW_BEFORE_MS > time_now_ms() &&
	       !(stale && !strcmp(stale, sh->tok));
}

/* Asks LinkedIn for a new application token. */
static int fetch_app_token(struct li_client *li, struct arena *a,
			   const struct li_settings *s, struct li_tokens *t,
			   struct li_error *err)
{
	struct buf form = BUF_INIT;
	struct li_resp r;
	form_add(&form, "grant_type", "client_credentials");
	form_add(&form, "client_id", s->client_id);
	form_add(&form, "client_secret", s->client_secret);
	int rc = token_post(li, a, &form, &r, err);
	buf_wipe_release(&form);
	if (rc == LI_OK)
		rc = parse_token_answer(&r, t, err);
	if (rc == LI_OK)
		atomic_fetch_add(&li->s->renewals, 1);
	return rc;
}

/* The cross-process part: under GET_LOCK, the row if another process
 * renewed it meanwhile, else LinkedIn (and the row is written). */
static int renew_app_token(struct li_client *li, struct db *db, struct arena *a,
			   const struct li_settings *s, const char *stale,
			   const char **token, int64_t *expires_ms,
			   struct li_error *err)
{
	const struct config *cfg = li->s->cfg;
	struct li_tokens t;
	int rc;

	if (db) {
		rc = li_app_token_lock(db, a);
		if (rc != DB_OK) {
			li_err_set(
			    err, LI_ERR_DB, 0, "",
			    "could not take the application token lock: %s",
			    rc == DB_DEADLOCK ? "timed out" : db_error(db));
			return LI_ERR_DB;
		}
		if (li_app_token_load(db, a, cfg, s->client_id, token,
				      expires_ms) == DB_OK &&
		    *expires_ms - LI_RENEW_BEFORE_MS > time_now_ms() &&
		    !(stale && !strcmp(stale, *token))) {
			li_app_token_unlock(db, a);
			return LI_OK;
		}
	}
	rc = fetch_app_token(li, a, s, &t, err);
	if (rc == LI_OK) {
		*token = t.access_token;
		*expires_ms = t.expires_at;
		if (db)
			li_app_token_save(db, a, cfg, s->client_id,
					  t.access_token, t.expires_at);
	}
	if (db)
		li_app_token_unlock(db, a);
	return rc;
}

/* Makes token (minted for client_id) the process's cached one; the cache
 * keeps the old one when memory runs out.  Called with tok_mu held. */
static void cache_store(struct li_shared *sh, const char *client_id,
			const char *token, int64_t expires_ms)
{
	char *copy = strdup(token), *cid = strdup(client_id);
	if (!copy || !cid) {
		free(copy);
		free(cid);
		return;
	}
	if (sh->tok)
		crypto_wipe(sh->tok, strlen(sh->tok));
	free(sh->tok);
	free(sh->tok_client_id);
	sh->tok = copy;
	sh->tok_client_id = cid;
	sh->tok_expires_ms = expires_ms;
}

int li_app_token(struct li_client *li, struct db *db, struct arena *a,
		 const struct li_settings *s, const char *stale,
		 const char **token, struct li_error *err)
{
	struct li_shared *sh = li->s;
	const char *tok = NULL;
	int64_t exp = 0;
	int rc;

	if (!s->client_id || !*s->client_id || !s->client_secret ||
	    !*s->client_secret) {
		li_err_set(err, LI_ERR_CONFIG, 0, "",
			   "the LinkedIn client ID and secret are not set");
		return LI_ERR_CONFIG;
	}
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	int64_t wait_ns = (int64_t)sh->cfg->linkedin_timeout_ms * 1000000;
	until.tv_sec += (time_t)(wait_ns / 1000000000);
	until.tv_nsec += (long)(wait_ns % 1000000000);
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}

	pthread_mutex_lock(&sh->tok_mu);
	for (;;) {
		if (cache_fresh(sh, s->client_id, stale)) {
			*token = arena_strdup(a, sh->tok);
			pthread_mutex_unlock(&sh->tok_mu);
			if (!*token) {
				return li_err_oom(err);
			}
			return LI_OK;
		}
		if (!sh->renewing)
			break;
		unsigned long gen = sh->gen;
		int w =
		    pthread_cond_timedwait(&sh->tok_cv, &sh->tok_mu, &until);
		if (sh->gen != gen && sh->last_rc != LI_OK) {
			/* The renewal we waited for failed: share its error
			 * rather than asking LinkedIn again at once. */
			if (err)
				*err = sh->last_err;
			rc = sh->last_rc;
			pthread_mutex_unlock(&sh->tok_mu);
			return rc;
		}
		if (w == ETIMEDOUT && sh->renewing) {
			pthread_mutex_unlock(&sh->tok_mu);
			li_err_set(
			    err, LI_ERR_TIMEOUT, 0, "",
			    "LinkedIn did not issue an application token "
			    "within %.1f s",
			    (double)sh->cfg->linkedin_timeout_ms / 1000.0);
			return LI_ERR_TIMEOUT;
		}
	}
	sh->renewing = true;
	pthread_mutex_unlock(&sh->tok_mu);

	struct li_error local = {0};
	rc = renew_app_token(li, db, a, s, stale, &tok, &exp, &local);

	pthread_mutex_lock(&sh->tok_mu);
	if (rc == LI_OK)
		cache_store(sh, s->client_id, tok, exp);
	sh->last_rc = rc;
	sh->last_err = local;
	sh->gen++;
	sh->renewing = false;
	pthread_cond_broadcast(&sh->tok_cv);
	pthread_mutex_unlock(&sh->tok_mu);
	if (err)
		*err = local;
	if (rc == LI_OK)
		*token = tok;
	return rc;
}

int li_app_call(struct li_client *li, struct db *db, struct arena *a,
		const struct li_settings *s, struct li_req *rq,
		struct li_resp *out, struct li_error *err)
{
	const char *tok = NULL;
	int rc = li_app_token(li, db, a, s, NULL, &tok, err);
	if (rc != LI_OK)
		return rc;
	rq->bearer = tok;
	rc = li_call(li, a, rq, out, err);
	if (rc == LI_ERR_HTTP && out->status == 401) {
		/* LinkedIn may revoke a token before its time: renew once,
		 * retry once. */
		rc = li_app_token(li, db, a, s, tok, &tok, err);
		if (rc != LI_OK)
			return rc;
		rq->bearer = tok;
		rc = li_call(li, a, rq, out, err);
	}
	rq->bearer = NULL;
	return rc;
}

/* ------------------------------------------------------------ member */

static int member_grant(struct li_client *li, struct arena *a,
			const struct li_settings *s, struct buf *form,
			struct li_tokens *t, struct li_error *err)
{
	struct li_resp r;
	form_add(form, "client_id", s->client_id ? s->client_id : "");
	form_add(form, "client_secret",
		 s->client_secret ? s->client_secret : "");
	int rc = token_post(li, a, form, &r, err);
	buf_wipe_release(form);
	if (rc == LI_ERR_HTTP && r.status == 400 && err)
		/* Any 400 on a code or refresh grant: that grant is unusable
		 * (LinkedIn answers invalid_grant or invalid_request). */
		err->kind = rc = LI_ERR_RECONNECT;
	if (rc == LI_OK)
		rc = parse_token_answer(&r, t, err);
	return rc;
}

int li_exchange_code(struct li_client *li, struct arena *a,
		     const struct li_settings *s, const char *code,
		     const char *redirect_uri, struct li_tokens *t,
		     struct li_error *err)
{
	struct buf form = BUF_INIT;
	form_add(&form, "grant_type", "authorization_code");
	form_add(&form, "code", code);
	form_add(&form, "redirect_uri", redirect_uri);
	int rc = member_grant(li, a, s, &form, t, err);
	if (rc == LI_OK && !t->scope)
		t->scope = LI_MEMBER_SCOPE; /* what was asked */
	return rc;
}

int li_refresh(struct li_client *li, struct arena *a,
	       const struct li_settings *s, const char *refresh_token,
	       struct li_tokens *t, struct li_error *err)
{
	struct buf form = BUF_INIT;
	form_add(&form, "grant_type", "refresh_token");
	form_add(&form, "refresh_token", refresh_token);
	return member_grant(li, a, s, &form, t, err);
}

int li_revoke(struct li_client *li, struct arena *a,
	      const struct li_settings *s, const char *token,
	      struct li_error *err)
{
	struct buf form = BUF_INIT;
	struct li_resp r;
	form_add(&form, "token", token);
	form_add(&form, "client_id", s->client_id ? s->client_id : "");
	form_add(&form, "client_secret",
		 s->client_secret ? s->client_secret : "");
	if (buf_failed(&form)) {
		buf_wipe_release(&form);
		return li_err_oom(err);
	}
	struct li_req rq = {
	    .method = "POST",
	    .base = li->s->cfg->linkedin_oauth_base,
	    .path = "/oauth/v2/revoke",
	    .label = "/oauth/v2/revoke",
	    .form = form.data,
	};
	int rc = li_call(li, a, &rq, &r, err);
	buf_wipe_release(&form);
	return rc;
}

int li_app_token_test(struct li_client *li, struct db *db, struct arena *a,
		      const struct li_settings *s, struct li_error *err)
{
	struct li_shared *sh = li->s;
	struct li_tokens t;

	if (!s->client_id || !*s->client_id || !s->client_secret ||
	    !*s->client_secret) {
		li_err_set(err, LI_ERR_CONFIG, 0, "",
			   "the LinkedIn client ID and secret are not set");
		return LI_ERR_CONFIG;
	}
	int rc = fetch_app_token(li, a, s, &t, err);
	if (rc != LI_OK)
		return rc;
	/* A token that works: keep it rather than fetch another. */
	pthread_mutex_lock(&sh->tok_mu);
	cache_store(sh, s->client_id, t.access_token, t.expires_at);
	pthread_mutex_unlock(&sh->tok_mu);
	if (db)
		li_app_token_save(db, a, sh->cfg, s->client_id, t.access_token,
				  t.expires_at);
	return LI_OK;
}
