/*
 * crypto.c - thin wrappers over OpenSSL and libargon2.
 *
 * Nothing here is home-made cryptography: the point of the file is to give
 * the rest of hirelink a handful of calls that cannot be misused (sizes
 * fixed, an IV that is always fresh, a tag that is always checked, plaintext
 * wiped when it is not) and that report failure as -1 instead of aborting.
 *
 * The argon2 cost is process-wide: it is set once from the configuration at
 * start-up, before any thread runs, and only read afterwards.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "core/core.h"
#include "core/crypto.h"

#define PASSWORD_SALT_LEN    16
#define PASSWORD_HASH_LEN    32
#define PASSWORD_PARALLELISM 1

static unsigned password_t_cost = 2;
static unsigned password_m_cost_kib = 19456;
static unsigned password_slots; /* 0: one per CPU */

int crypto_random(void *out, size_t n)
{
	unsigned char *p = out;
	int chunk;

	while (n > 0) {
		chunk = n > INT_MAX ? INT_MAX : (int)n;
		if (RAND_bytes(p, chunk) != 1)
			return -1;
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

int crypto_random_hex(char *out, size_t n)
{
	unsigned char raw[32];
	size_t chunk;

	while (n > 0) {
		chunk = n > sizeof(raw) ? sizeof(raw) : n;
		if (crypto_random(raw, chunk) < 0) {
			OPENSSL_cleanse(raw, sizeof(raw));
			return -1;
		}
		hex_encode(raw, chunk, out);
		out += 2 * chunk;
		n -= chunk;
	}
	*out = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

void crypto_sha256(const void *p, size_t n, unsigned char out[SHA256_LEN])
{
	SHA256(p, n, out);
}

int crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
		       size_t msglen, unsigned char out[SHA256_LEN])
{
	/* OpenSSL reads a NULL key as "reuse the previous one"; never that. */
	static const unsigned char no_key[1];
	unsigned int outlen = 0;

	if (keylen > INT_MAX)
		return -1;
	if (!key)
		key = no_key;
	if (!msg)
		msg = no_key;
	if (!HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, out, &outlen) ||
	    outlen != SHA256_LEN)
		return -1;
	return 0;
}

int crypto_derive_key(const unsigned char *master, size_t n, const char *label,
		      unsigned char out[SHA256_LEN])
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	size_t outlen = SHA256_LEN, llen = strlen(label);
	bool ok = ctx && n <= INT_MAX && llen <= INT_MAX &&
		  EVP_PKEY_derive_init(ctx) > 0 &&
		  EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) > 0 &&
		  EVP_PKEY_CTX_set1_hkdf_key(ctx, master, (int)n) > 0 &&
		  EVP_PKEY_CTX_add1_hkdf_info(ctx, (const unsigned char *)label,
					      (int)llen) > 0 &&
		  EVP_PKEY_derive(ctx, out, &outlen) > 0 &&
		  outlen == SHA256_LEN;
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -1;
}

bool crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

void crypto_wipe(void *p, size_t n)
{
	if (p)
		OPENSSL_cleanse(p, n);
}

void hex_encode(const unsigned char *p, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int hex_decode(const char *hex, unsigned char *out, size_t outlen)
{
	size_t i;
	int hi, lo;

	if (!hex || strnlen(hex, 2 * outlen + 1) != 2 * outlen)
		return -1;
	for (i = 0; i < outlen; i++) {
		hi = hex_value(hex[2 * i]);
		lo = hex_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* ---------------------------------------------------------------- GCM */

/*
 * One function for both directions: EVP's GCM set-up differs only in the
 * Init/Update/Final names and in where the tag goes.  Lengths above INT_MAX
 * are refused rather than split, since nothing in hirelink seals that much.
 */
static int gcm_run(int enc, const unsigned char *key, const unsigned char *iv,
		   size_t ivlen, const void *aad, size_t aadlen,
		   const unsigned char *in, size_t n, unsigned char *out,
		   unsigned char *tag)
{
	EVP_CIPHER_CTX *ctx;
	int len, rc = -1;

	if (n > INT_MAX || aadlen > INT_MAX || ivlen == 0 || ivlen > INT_MAX)
		return -1;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -1;
	if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) !=
	    1)
		goto out;
	if (ivlen != GCM_IV_LEN &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, (int)ivlen,
				NULL) != 1)
		goto out;
	if (EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, enc) != 1)
		goto out;
	if (aadlen > 0 &&
	    EVP_CipherUpdate(ctx, NULL, &len, aad, (int)aadlen) != 1)
		goto out;
	if (n > 0 && EVP_CipherUpdate(ctx, out, &len, in, (int)n) != 1)
		goto out;
	if (!enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, GCM_TAG_LEN,
					tag) != 1)
		goto out;
	/* GCM's final step outputs nothing; on decryption it checks the tag. */
	if (EVP_CipherFinal_ex(ctx, out, &len) != 1)
		goto out;
	if (enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, GCM_TAG_LEN,
				       tag) != 1)
		goto out;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

int aes_gcm_encrypt_iv(const unsigned char key[AES_KEY_LEN],
		       const unsigned char *iv, size_t ivlen, const void *aad,
		       size_t aadlen, const void *in, size_t n,
		       unsigned char *ct, unsigned char tag[GCM_TAG_LEN])
{
	return gcm_run(1, key, iv, ivlen, aad, aadlen, in, n, ct, tag);
}

int aes_gcm_seal(const unsigned char key[AES_KEY_LEN], const void *aad,
		 size_t aadlen, const void *in, size_t n, unsigned char *out)
{
	/* A random 96-bit IV per message: safe for far more than 2^32 seals
	 * under one key, which hirelink will never reach. */
	if (n > SIZE_MAX - GCM_OVERHEAD || crypto_random(out, GCM_IV_LEN) < 0)
		return -1;
	return gcm_run(1, key, out, GCM_IV_LEN, aad, aadlen, in, n,
		       out + GCM_IV_LEN, out + GCM_IV_LEN + n);
}

int aes_gcm_open(const unsigned char key[AES_KEY_LEN], const void *aad,
		 size_t aadlen, const unsigned char *in, size_t n,
		 unsigned char *out)
{
	unsigned char tag[GCM_TAG_LEN];
	size_t ctlen;

	if (n < GCM_OVERHEAD)
		return -1;
	ctlen = n - GCM_OVERHEAD;
	/* EVP wants a writable tag buffer. */
	memcpy(tag, in + GCM_IV_LEN + ctlen, GCM_TAG_LEN);
	if (gcm_run(0, key, in, GCM_IV_LEN, aad, aadlen, in + GCM_IV_LEN, ctlen,
		    out, tag) < 0) {
		/* Never hand out plaintext that failed authentication. */
		OPENSSL_cleanse(out, ctlen);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- argon2id */

/*
 * At most one argon2 computation per CPU at a time.  Each one holds m_cost
 * (19 MiB) and keeps a core busy for its whole run, so running more at once
 * than there are cores finishes none sooner and only multiplies the memory:
 * a burst of sign-ins on eight threads would hold 150 MiB.
 */
static pthread_once_t argon2_once = PTHREAD_ONCE_INIT;
static sem_t argon2_slots;

static void argon2_slots_init(void)
{
	long n = password_slots ? (long)password_slots
				: sysconf(_SC_NPROCESSORS_ONLN);
	sem_init(&argon2_slots, 0, n < 1 ? 1 : n > 64 ? 64 : (unsigned)n);
}

static void argon2_enter(void)
{
	pthread_once(&argon2_once, argon2_slots_init);
	while (sem_wait(&argon2_slots) < 0 && errno == EINTR)
		;
}

static void argon2_leave(void) { sem_post(&argon2_slots); }

bool password_slot_take(int64_t deadline_us)
{
	pthread_once(&argon2_once, argon2_slots_init);
	int64_t left_us = deadline_us - time_mono_us();
	if (left_us <= 0)
		return sem_trywait(&argon2_slots) == 0;
	/* sem_timedwait wants a CLOCK_REALTIME instant (a step of the wall
	 * clock while waiting moves the give-up time with it). */
	struct timespec at;
	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_sec += left_us / 1000000;
	at.tv_nsec += (long)(left_us % 1000000) * 1000;
	if (at.tv_nsec >= 1000000000L) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000L;
	}
	int rc;
	while ((rc = sem_timedwait(&argon2_slots, &at)) < 0 && errno == EINTR)
		;
	return rc == 0;
}

void password_slot_give(void) { argon2_leave(); }

void password_set_slots(unsigned n) { password_slots = n; }

void password_set_cost(unsigned t_cost, unsigned m_cost_kib)
{
	password_t_cost = t_cost;
	password_m_cost_kib = m_cost_kib;
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	unsigned char salt[PASSWORD_SALT_LEN];
	int rc;

	if (!password || crypto_random(salt, sizeof(salt)) < 0)
		return -1;
	argon2_enter();
	rc = argon2id_hash_encoded(password_t_cost, password_m_cost_kib,
				   PASSWORD_PARALLELISM, password,
				   strlen(password), salt, sizeof(salt),
				   PASSWORD_HASH_LEN, out, PASSWORD_HASH_MAX);
	argon2_leave();
	return rc == ARGON2_OK ? 0 : -1;
}

/*
 * The cost parameters come from the stored hash, not from the current
 * setting, so raising the cost later keeps old hashes verifiable.
 * argon2id_verify compares in constant time.
 */
int password_verify_in_slot(const char *hash, const char *password)
{
	if (!hash || !password)
		return -1;
	int rc = argon2id_verify(hash, password, strlen(password));
	if (rc == ARGON2_OK)
		return 1;
	if (rc == ARGON2_VERIFY_MISMATCH)
		return 0;
	return -1;
}

int password_verify(const char *hash, const char *password)
{
	argon2_enter();
	int rc = password_verify_in_slot(hash, password);
	argon2_leave();
	return rc;
}
