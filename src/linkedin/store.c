/*
 * store.c - what hirelink keeps about LinkedIn in MariaDB: the integration
 * settings (one row), the application token (one row, shared by every
 * process), members' connections, the states of their sign-ins.  Every
 * secret is sealed with AES-256-GCM under secret_key before it reaches the
 * database, with an aad that names its place (so a sealed value cannot be
 * moved to another row or column and still open).
 */
#include <string.h>

#include "ats/outbox.h"
#include "linkedin/li_internal.h"

#define SECRET_AAD     "integration.client_secret"
#define APP_TOKEN_AAD  "linkedin_app_token"
#define APP_TOKEN_LOCK "hirelink_li_app_token"

/* Seals s; *out arena-owned (len in *outlen).  -1 on failure. */
static int li_seal(struct arena *a, const struct config *cfg, const char *aad,
		   const char *s, unsigned char **out, size_t *outlen)
{
	size_t n = strlen(s);
	unsigned char *p = arena_alloc(a, n + GCM_OVERHEAD);
	if (!p || aes_gcm_seal(cfg->secret_key, aad, strlen(aad), s, n, p) < 0)
		return -1;
	*out = p;
	*outlen = n + GCM_OVERHEAD;
	return 0;
}

/* Opens a sealed value into an arena string; NULL when it does not open. */
static char *li_open(struct arena *a, const struct config *cfg, const char *aad,
		     const char *blob, size_t len)
{
	if (!blob || len < GCM_OVERHEAD)
		return NULL;
	char *p = arena_alloc(a, len - GCM_OVERHEAD + 1);
	if (!p || aes_gcm_open(cfg->secret_key, aad, strlen(aad),
			       (const unsigned char *)blob, len,
			       (unsigned char *)p) < 0)
		return NULL;
	p[len - GCM_OVERHEAD] = '\0';
	return p;
}

bool li_urn_valid(const char *urn, const char *prefix)
{
	size_t n = strlen(prefix);
	if (!urn || strncmp(urn, prefix, n) || !urn[n] || strlen(urn + n) > 19)
		return false;
	for (const char *p = urn + n; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* ------------------------------------------------------------ settings */

int li_settings_load(struct db *db, struct arena *a, const struct config *cfg,
		     struct li_settings *s)
{
	struct db_row r;
	memset(s, 0, sizeof(*s));
	s->client_id = s->organization_urn = s->contract_urn =
	    s->ats_instance_name = s->instance_id = "";
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT enabled, client_id, client_secret_enc, organization_urn, "
	    "contract_urn, ats_instance_name, "
	    "DATE_FORMAT(last_success_at, '%Y-%m-%d %H:%i:%s UTC'), "
	    "last_error, "
	    "DATE_FORMAT(last_error_at, '%Y-%m-%d %H:%i:%s UTC'), "
	    "instance_id FROM integration WHERE id = 1",
	    "");
	if (rc == DB_NOT_FOUND)
		return DB_OK;
	if (rc != DB_OK)
		return rc;
	s->enabled = db_int(&r, 0) != 0;
	s->client_id = r.v[1];
	if (r.v[2]) {
		s->client_secret =
		    li_open(a, cfg, SECRET_AAD, r.v[2], r.len[2]);
		if (!s->client_secret)
			log_warn("linkedin client secret does not decrypt "
				 "(secret_key "
				 "changed?): treated as not set");
	}
	s->organization_urn = r.v[3];
	s->contract_urn = r.v[4];
	s->ats_instance_name = r.v[5];
	s->last_success_at = r.v[6];
	s->last_error = r.v[7];
	s->last_error_at = r.v[8];
	s->instance_id = r.v[9] ? r.v[9] : "";
	return DB_OK;
}

int li_settings_instance(struct db *db, struct arena *a,
			 const struct li_settings *s, const char **id)
{
	if (s->instance_id && strlen(s->instance_id) == 8) {
		*id = s->instance_id;
		return DB_OK;
	}
	return li_instance_id(db, a, id);
}

/* from's strings copied by dup (strdup or the arena's), the last_* fields
 * left NULL: false when out of memory. */
static bool settings_copy(struct li_settings *to, const struct li_settings *from,
			  struct arena *a)
{
	const char *const *f[] = {&from->client_id, &from->client_secret,
				  &from->organization_urn, &from->contract_urn,
				  &from->ats_instance_name, &from->instance_id};
	const char **t[] = {&to->client_id, &to->client_secret,
			    &to->organization_urn, &to->contract_urn,
			    &to->ats_instance_name, &to->instance_id};
	*to = (struct li_settings){.enabled = from->enabled};
	bool ok = true;
	for (size_t i = 0; i < ARRAY_LEN(f); i++) {
		if (!*f[i])
			continue; /* the secret, when not set */
		*t[i] = a ? arena_strdup(a, *f[i]) : strdup(*f[i]);
		ok = ok && *t[i];
	}
	return ok;
}

int li_settings_load_kept(struct li_shared *ls, struct db *db,
			  struct arena *a, const struct config *cfg,
			  struct li_settings *s)
{
	int64_t now = time_mono_us();
	if (!ls)
		return li_settings_load(db, a, cfg, s);
	pthread_mutex_lock(&ls->set_mu);
	if (ls->set_kept &&
	    now - ls->set_at_us < (int64_t)LI_SETTINGS_KEEP_MS * 1000) {
		bool ok = settings_copy(s, &ls->set, a);
		pthread_mutex_unlock(&ls->set_mu);
		return ok ? DB_OK : DB_ERROR;
	}
	pthread_mutex_unlock(&ls->set_mu);
	int rc = li_settings_load(db, a, cfg, s);
	if (rc != DB_OK)
		return rc;
	pthread_mutex_lock(&ls->set_mu);
	li_shared_settings_drop(ls);
	if (settings_copy(&ls->set, s, NULL)) {
		ls->set_kept = true;
		ls->set_at_us = now;
	} else {
		li_shared_settings_drop(ls);
	}
	pthread_mutex_unlock(&ls->set_mu);
	return DB_OK;
}

bool li_settings_ready(const struct li_settings *s)
{
	return s->enabled && s->client_id && *s->client_id &&
	       s->client_secret && *s->client_secret;
}

int li_settings_save(struct db *db, const struct config *cfg, bool enabled,
		     const char *client_id, const char *secret,
		     const char *organization_urn, const char *contract_urn,
		     const char *ats_instance_name)
{
	struct arena *a = arena_new(1024);
	unsigned char *blob = NULL;
	size_t bloblen = 0;
	int rc;

	if (!a)
		return DB_ERROR;
	if (secret && *secret &&
	    li_seal(a, cfg, SECRET_AAD, secret, &blob, &bloblen) < 0) {
		arena_free(a);
		return DB_ERROR;
	}
	if (blob)
		rc = db_exec(
		    db, NULL,
		    "INSERT INTO integration (id, enabled, client_id, "
		    "client_secret_enc, organization_urn, contract_urn, "
		    "ats_instance_name) VALUES (1, ?, ?, ?, ?, ?, ?) "
		    "ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), "
		    "client_id = VALUES(client_id), client_secret_enc = "
		    "VALUES(client_secret_enc), organization_urn = "
		    "VALUES(organization_urn), contract_urn = "
		    "VALUES(contract_urn), ats_instance_name = "
		    "VALUES(ats_instance_name)",
		    "isbsss", (int64_t)enabled, client_id, blob, bloblen,
		    organization_urn, contract_urn, ats_instance_name);
	else
		rc = db_exec(
		    db, NULL,
		    "INSERT INTO integration (id, enabled, client_id, "
		    "organization_urn, contract_urn, ats_instance_name) "
		    "VALUES (1, ?, ?, ?, ?, ?) "
		    "ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), "
		    "client_id = VALUES(client_id), organization_urn = "
		    "VALUES(organization_urn), contract_urn = "
		    "VALUES(contract_urn), ats_instance_name = "
		    "VALUES(ats_instance_name)",
		    "issss", (int64_t)enabled, client_id, organization_urn,
		    contract_urn, ats_instance_name);
	crypto_wipe(blob, bloblen);
	arena_free(a);
	return rc;
}

void li_record_success(struct db *db)
{
	if (db)
		db_exec(db, NULL,
			"UPDATE integration SET last_success_at = NOW(3) WHERE "
			"id = 1",
			"");
}

void li_record_error(struct db *db, const char *message)
{
	if (db)
		db_exec(db, NULL,
			"UPDATE integration SET last_error = LEFT(?, 500), "
			"last_error_at = NOW(3) WHERE id = 1",
			"s", message);
}

/* ------------------------------------------------------------ instance */

/* A fresh instance id: 8 lowercase alphanumerics. */
static int instance_id_new(char out[9])
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char raw[8];
	if (crypto_random(raw, sizeof(raw)) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(raw); i++)
		out[i] = set[raw[i] % (sizeof(set) - 1)];
	out[8] = '\0';
	return 0;
}

int li_instance_id(struct db *db, struct arena *a, const char **id)
{
	struct db_row r;
	char fresh[9];
	int rc = db_query_row(
	    db, a, &r, "SELECT instance_id FROM integration WHERE id = 1", "");
	if (rc == DB_OK && strlen(r.v[0]) == 8) {
		*id = r.v[0];
		return DB_OK;
	}
	if (rc != DB_OK && rc != DB_NOT_FOUND)
		return rc;
	/* Made once: the first writer wins, everyone reads what it wrote. */
	if (instance_id_new(fresh) < 0)
		return DB_ERROR;
	rc = db_exec(db, NULL,
		     "INSERT INTO integration (id, instance_id) VALUES (1, ?) "
		     "ON DUPLICATE KEY UPDATE instance_id = IF(instance_id = "
		     "'', VALUES(instance_id), instance_id)",
		     "s", fresh);
	if (rc == DB_OK)
		rc = db_query_row(
		    db, a, &r,
		    "SELECT instance_id FROM integration WHERE id = 1", "");
	if (rc == DB_OK)
		*id = r.v[0];
	return rc;
}

/* ------------------------------------------------------------ integrations */

/* The admin's request, in the transaction that marks it for the worker. */
static int request_txn(struct db *db, struct arena *a, void *arg)
{
	const char *target = arg;
	(void)a;
	int rc = db_exec(db, NULL,
			 "UPDATE integration SET linkedin_target = ?, "
			 "linkedin_target_at = NOW(3) WHERE id = 1",
			 "s", target);
	return rc == DB_OK ? ats_outbox_mark(db, ATS_OUTBOX_INTEGRATION, 1)
			   : rc;
}

int li_integrations_request(struct db *db, bool enable)
{
	return db_transaction(db, request_txn,
			      (void *)(enable ? "enabled" : "disabled"));
}

int li_integrations_status(struct db *db, struct arena *a,
			   struct li_integrations_view *v)
{
	struct db_result res;
	struct db_row r;
	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < LI_INTEGRATION_TYPES; i++)
		v->states[i] = (struct li_integration_state){
		    li_integration_types[i], "NOT_CHECKED", "", NULL, NULL};
	int rc = db_query(db, a, &res,
			  "SELECT integration_type, status, integration_name, "
			  "callback_url, DATE_FORMAT(checked_at, "
			  "'%Y-%m-%d %H:%i:%s UTC') FROM linkedin_integrations",
			  "");
	for (size_t k = 0; rc == DB_OK && k < res.nrows; k++)
		for (size_t i = 0; i < LI_INTEGRATION_TYPES; i++)
			if (!strcmp(res.rows[k].v[0], li_integration_types[i]))
				v->states[i] = (struct li_integration_state){
				    li_integration_types[i], res.rows[k].v[1],
				    res.rows[k].v[2], res.rows[k].v[3],
				    res.rows[k].v[4]};
	if (rc == DB_OK)
		rc = db_query_row(db, a, &r,
				  "SELECT linkedin_target, DATE_FORMAT("
				  "linkedin_target_at, '%Y-%m-%d %H:%i:%s "
				  "UTC'), (SELECT state FROM outbox WHERE kind "
				  "= ? AND entity_id = 1), (SELECT last_error "
				  "FROM outbox WHERE kind = ? AND entity_id = "
				  "1) FROM integration WHERE id = 1",
				  "ss", ATS_OUTBOX_INTEGRATION,
				  ATS_OUTBOX_INTEGRATION);
	if (rc == DB_NOT_FOUND)
		return DB_OK;
	if (rc != DB_OK)
		return rc;
	v->target = r.v[0];
	v->target_at = r.v[1];
	v->pending = r.v[2] && !strcmp(r.v[2], "pending");
	v->dead = r.v[2] && !strcmp(r.v[2], "dead");
	v->last_error = r.v[3];
	return DB_OK;
}

int li_job_sync_status(struct db *db, struct arena *a, int64_t job_id,
		       struct li_job_sync *out)
{
	struct db_row r;
	memset(out, 0, sizeof(*out));
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT lp.state, lp.availability, DATE_FORMAT(lp.synced_at, "
	    "'%Y-%m-%d %H:%i:%s UTC'), o.state, o.last_error FROM (SELECT 1) "
	    "x LEFT JOIN linkedin_job_postings lp ON lp.job_id = ? LEFT JOIN "
	    "outbox o ON o.kind = ? AND o.entity_id = ?",
	    "isi", job_id, ATS_OUTBOX_JOB, job_id);
	if (rc != DB_OK)
		return rc;
	out->state = r.v[0];
	out->availability = r.v[1];
	out->synced_at = r.v[2];
	out->pending = r.v[3] && !strcmp(r.v[3], "pending");
	out->dead = r.v[3] && !strcmp(r.v[3], "dead");
	out->error = r.v[3] ? r.v[4] : NULL;
	return DB_OK;
}

int li_jobs_mark_for_member(struct db *db, int64_t user_id)
{
	struct arena *a = arena_new(4096);
	struct db_result res;
	if (!a)
		return DB_ERROR;
	int rc = db_query(db, a, &res,
			  "SELECT job_id FROM job_members WHERE user_id = ? "
			  "AND role IN ('recruiter', 'hiring_manager')",
			  "i", user_id);
	for (size_t i = 0; rc == DB_OK && i < res.nrows; i++)
		rc = ats_outbox_mark(db, ATS_OUTBOX_JOB,
				     (uint64_t)db_int(&res.rows[i], 0));
	arena_free(a);
	return rc;
}

/* ------------------------------------------------------------ app token */

int li_app_token_lock(struct db *db, struct arena *a)
{
	struct db_row row;
	int rc = db_query_row(db, a, &row, "SELECT GET_LOCK(?, 5)", "s",
			      APP_TOKEN_LOCK);
	if (rc != DB_OK)
		return rc;
	return row.v[0] && !strcmp(row.v[0], "1") ? DB_OK : DB_DEADLOCK;
}

void li_app_token_unlock(struct db *db, struct arena *a)
{
	struct db_row row;
	db_query_row(db, a, &row, "SELECT RELEASE_LOCK(?)", "s",
		     APP_TOKEN_LOCK);
}

int li_app_token_load(struct db *db, struct arena *a, const struct config *cfg,
		      const char *client_id, const char **token,
		      int64_t *expires_ms)
{
	struct db_row row;
	int rc = db_query_row(db, a, &row,
			      "SELECT client_id, token_enc, expires_at FROM "
			      "linkedin_app_token WHERE id = 1",
			      "");
	if (rc != DB_OK)
		return rc;
	if (!row.v[0] || strcmp(row.v[0], client_id))
		return DB_NOT_FOUND;
	*token = li_open(a, cfg, APP_TOKEN_AAD, row.v[1], row.len[1]);
	*expires_ms = db_int(&row, 2);
	return *token ? DB_OK : DB_NOT_FOUND;
}

int li_app_token_save(struct db *db, struct arena *a, const struct config *cfg,
		      const char *client_id, const char *token,
		      int64_t expires_ms)
{
	unsigned char *blob;
	size_t len;
	if (li_seal(a, cfg, APP_TOKEN_AAD, token, &blob, &len) < 0)
		return DB_ERROR;
	return db_exec(db, NULL,
		       "INSERT INTO linkedin_app_token (id, client_id, "
		       "token_enc, expires_at) VALUES (1, ?, ?, ?) ON "
		       "DUPLICATE KEY UPDATE client_id = VALUES(client_id), "
		       "token_enc = VALUES(token_enc), expires_at = "
		       "VALUES(expires_at)",
		       "sbi", client_id, blob, len, expires_ms);
}

/* ------------------------------------------------------------ connections */

static const char *user_aad(struct arena *a, int64_t user_id, const char *what)
{
	return arena_printf(a, "linkedin_connections.%s:%lld", what,
			    (long long)user_id);
}

/* A user's tokens sealed for their row (the refresh token NULL when there
 * is none), each bound to its column and the user by its AAD. */
struct sealed {
	unsigned char *access, *refresh;
	size_t access_len, refresh_len;
};

static int seal_tokens(struct arena *a, const struct config *cfg,
		       int64_t user_id, const struct li_tokens *t,
		       struct sealed *k)
{
	const char *aad_a = user_aad(a, user_id, "access");
	const char *aad_r = user_aad(a, user_id, "refresh");
	if (!aad_a || !aad_r ||
	    li_seal(a, cfg, aad_a, t->access_token, &k->access,
		    &k->access_len) < 0)
		return -1;
	if (t->refresh_token && li_seal(a, cfg, aad_r, t->refresh_token,
					&k->refresh, &k->refresh_len) < 0)
		return -1;
	return 0;
}

static void sealed_wipe(struct sealed *k)
{
	crypto_wipe(k->access, k->access_len);
	crypto_wipe(k->refresh, k->refresh_len);
}

int li_connection_load(struct db *db, struct arena *a, const struct config *cfg,
		       int64_t user_id, struct li_connection *c)
{
	struct db_row r;
	memset(c, 0, sizeof(*c));
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT member_id, member_urn, first_name, last_name, seat_type, "
	    "seat_urn, access_token_enc, refresh_token_enc, expires_at, "
	    "refresh_expires_at, scopes, needs_reconnect, "
	    "DATE_FORMAT(connected_at, '%Y-%m-%d %H:%i UTC'), "
	    "DATE_FORMAT(checked_at, '%Y-%m-%d %H:%i:%s UTC') "
	    "FROM linkedin_connections WHERE user_id = ?",
	    "i", user_id);
	if (rc != DB_OK)
		return rc;
	c->user_id = user_id;
	c->member.id = r.v[0];
	c->member.urn = r.v[1];
	c->member.first_name = r.v[2];
	c->member.last_name = r.v[3];
	c->member.seat_type = r.v[4];
	c->member.seat_urn = r.v[5];
	const char *aad_a = user_aad(a, user_id, "access");
	const char *aad_r = user_aad(a, user_id, "refresh");
	if (!aad_a || !aad_r)
		return DB_ERROR;
	c->tokens.access_token = li_open(a, cfg, aad_a, r.v[6], r.len[6]);
	c->tokens.refresh_token = li_open(a, cfg, aad_r, r.v[7], r.len[7]);
	c->tokens.expires_at = db_int(&r, 8);
	c->tokens.refresh_expires_at = db_int(&r, 9);
	c->tokens.scope = r.v[10];
	c->needs_reconnect = db_int(&r, 11) != 0 || !c->tokens.access_token;
	c->connected_at = r.v[12];
	c->checked_at = r.v[13];
	return DB_OK;
}

/* A statement writing user_id's row with t's tokens sealed in k (m: the
 * member, for the statements that write one). */
typedef int (*sealed_write)(struct db *db, int64_t user_id,
			    const struct li_member *m,
			    const struct li_tokens *t, const struct sealed *k);

/* Seals t's tokens for user_id, runs write with them and wipes them: every
 * write of a member's tokens goes through here. */
static int write_sealed(struct db *db, const struct config *cfg,
			int64_t user_id, const struct li_member *m,
			const struct li_tokens *t, sealed_write write)
{
	struct arena *a = arena_new(2048);
	struct sealed k = {0};
	int rc = DB_ERROR;

	if (!a)
		return DB_ERROR;
	if (seal_tokens(a, cfg, user_id, t, &k) == 0)
		rc = write(db, user_id, m, t, &k);
	sealed_wipe(&k);
	arena_free(a);
	return rc;
}

/* The user's connection row, made or replaced: connected now, no reconnect
 * needed. */
static int insert_connection(struct db *db, int64_t user_id,
			     const struct li_member *m,
			     const struct li_tokens *t, const struct sealed *k)
{
	return db_exec(
	    db, NULL,
	    "INSERT INTO linkedin_connections (user_id, member_id, "
	    "member_urn, first_name, last_name, seat_type, seat_urn, "
	    "access_token_enc, refresh_token_enc, expires_at, "
	    "refresh_expires_at, scopes, needs_reconnect, connected_at, "
	    "checked_at) VALUES (?, ?, ?, LEFT(?, 200), LEFT(?, 200), ?, ?, "
	    "?, ?, ?, ?, LEFT(?, 500), 0, NOW(3), NOW(3)) "
	    "ON DUPLICATE KEY UPDATE member_id = VALUES(member_id), "
	    "member_urn = VALUES(member_urn), first_name = "
	    "VALUES(first_name), last_name = VALUES(last_name), seat_type = "
	    "VALUES(seat_type), seat_urn = VALUES(seat_urn), "
	    "access_token_enc = VALUES(access_token_enc), "
	    "refresh_token_enc = VALUES(refresh_token_enc), expires_at = "
	    "VALUES(expires_at), refresh_expires_at = "
	    "VALUES(refresh_expires_at), scopes = VALUES(scopes), "
	    "needs_reconnect = 0, connected_at = NOW(3), checked_at = NOW(3)",
	    "issssssbbiis", user_id, m->id, m->urn,
	    m->first_name ? m->first_name : "",
	    m->last_name ? m->last_name : "",
	    m->seat_type ? m->seat_type : "none", m->seat_urn, k->access,
	    k->access_len, k->refresh, k->refresh_len, t->expires_at,
	    t->refresh_expires_at, t->scope ? t->scope : "");
}

int li_connection_store(struct db *db, const struct config *cfg,
			int64_t user_id, const struct li_member *m,
			const struct li_tokens *t)
{
	return write_sealed(db, cfg, user_id, m, t, insert_connection);
}

/* The user's tokens in their connection row, renewed. */
static int update_tokens(struct db *db, int64_t user_id,
			 const struct li_member *m, const struct li_tokens *t,
			 const struct sealed *k)
{
	return db_exec(
	    db, NULL,
	    "UPDATE linkedin_connections SET access_token_enc = ?, "
	    "refresh_token_enc = COALESCE(?, refresh_token_enc), "
	    "expires_at = ?, refresh_expires_at = IF(? > 0, ?, "
	    "refresh_expires_at), needs_reconnect = 0 WHERE user_id = ?",
	    "bbiiii", k->access, k->access_len, k->refresh, k->refresh_len,
	    t->expires_at, t->refresh_expires_at, t->refresh_expires_at,
	    user_id);
}

/* New tokens after a refresh (the refresh token is kept when LinkedIn sent
 * none). */
int li_connection_update_tokens(struct db *db, const struct config *cfg,
				int64_t user_id, const struct li_tokens *t)
{
	return write_sealed(db, cfg, user_id, NULL, t, update_tokens);
}

int li_connection_checked(struct db *db, int64_t user_id,
			  const struct li_member *m)
{
	return db_exec(
	    db, NULL,
	    "UPDATE linkedin_connections SET first_name = LEFT(?, 200), "
	    "last_name = LEFT(?, 200), checked_at = NOW(3) "
	    "WHERE user_id = ?",
	    "ssi", m->first_name ? m->first_name : "",
	    m->last_name ? m->last_name : "", user_id);
}

int li_connection_mark_reconnect(struct db *db, int64_t user_id)
{
	return db_exec(db, NULL,
		       "UPDATE linkedin_connections SET needs_reconnect = 1, "
		       "checked_at = NOW(3) WHERE user_id = ?",
		       "i", user_id);
}

int li_connection_delete(struct db *db, int64_t user_id)
{
	return db_exec(db, NULL,
		       "DELETE FROM linkedin_connections WHERE user_id = ?",
		       "i", user_id);
}

/* ------------------------------------------------------------ oauth states */

/* The SHA-256 of a state and of the session token it is bound to: neither
 * is kept as it was sent. */
static void state_hashes(const char *state, const char *session_token,
			 unsigned char stateh[SHA256_LEN],
			 unsigned char sessionh[SHA256_LEN])
{
	crypto_sha256(state, strlen(state), stateh);
	crypto_sha256(session_token, strlen(session_token), sessionh);
}

int li_oauth_state_store(struct db *db, const char *state,
			 const char *session_token, int64_t user_id)
{
	unsigned char stateh[SHA256_LEN], sessionh[SHA256_LEN];

	state_hashes(state, session_token, stateh, sessionh);
	db_exec(db, NULL,
		"DELETE FROM oauth_states WHERE created_at < NOW(3) - INTERVAL "
		"1 DAY",
		"");
	return db_exec(db, NULL,
		       "INSERT INTO oauth_states (state_hash, session_hash, "
		       "user_id) VALUES (?, ?, ?)",
		       "bbi", stateh, sizeof(stateh), sessionh,
		       sizeof(sessionh), user_id);
}

int li_oauth_state_claim(struct db *db, struct arena *a, const char *state,
			 const char *session_token, int64_t user_id)
{
	unsigned char stateh[SHA256_LEN], sessionh[SHA256_LEN];
	struct db_row r;
	uint64_t n = 0;

	state_hashes(state, session_token, stateh, sessionh);
	int rc = db_query_row(
	    db, a, &r,
	    "SELECT session_hash, user_id, created_at > NOW(3) - INTERVAL "
	    "10 MINUTE FROM oauth_states WHERE state_hash = ?",
	    "b", stateh, sizeof(stateh));
	if (rc != DB_OK)
		return rc;
	if (!r.v[0] || r.len[0] != SHA256_LEN ||
	    !crypto_equal(r.v[0], sessionh, SHA256_LEN) ||
	    db_int(&r, 1) != user_id || db_int(&r, 2) != 1)
		return DB_NOT_FOUND;
	rc = db_exec(db, &n,
		     "UPDATE oauth_states SET used = 1 WHERE state_hash = ? "
		     "AND used = 0",
		     "b", stateh, sizeof(stateh));
	if (rc != DB_OK)
		return rc;
	return n == 1 ? DB_OK : DB_NOT_FOUND;
}
