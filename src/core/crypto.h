/*
 * crypto.h - randomness, hashing, MACs, authenticated encryption, passwords.
 *
 * All from OpenSSL and libargon2.  Functions return 0 on success and -1 on
 * failure; they never abort.  Compare secrets only with crypto_equal().
 */
#ifndef HIRELINK_CRYPTO_H
#define HIRELINK_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32
#define AES_KEY_LEN 32
#define GCM_IV_LEN 12
#define GCM_TAG_LEN 16
/* seal output = iv || ciphertext || tag */
#define GCM_OVERHEAD (GCM_IV_LEN + GCM_TAG_LEN)

int crypto_random(void *out, size_t n);                 /* CSPRNG */
/* n random bytes as 2n lowercase hex chars + NUL into out (size 2n+1) */
int crypto_random_hex(char *out, size_t n);
void crypto_sha256(const void *p, size_t n, unsigned char out[SHA256_LEN]);
int crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
		       size_t msglen, unsigned char out[SHA256_LEN]);
/* A key of its own for one use of a master key: HKDF-SHA256 (RFC 5869,
 * no salt) with label as its info, so that no key serves two algorithms
 * and one use's outputs say nothing of another's key. */
int crypto_derive_key(const unsigned char *master, size_t n, const char *label,
		      unsigned char out[SHA256_LEN]);
bool crypto_equal(const void *a, const void *b, size_t n); /* constant time */
/* Overwrites a secret (key, token, password copy) in a way the compiler
 * cannot optimise away.  NULL p ok. */
void crypto_wipe(void *p, size_t n);

/* Hex: encode writes 2n chars + NUL; decode needs exactly 2*outlen hex chars. */
void hex_encode(const unsigned char *p, size_t n, char *out);
int hex_decode(const char *hex, unsigned char *out, size_t outlen);

/*
 * AES-256-GCM.  seal: out must hold n + GCM_OVERHEAD bytes; a fresh random
 * IV every call; aad may be NULL.  open: in is iv||ct||tag, out holds
 * n - GCM_OVERHEAD bytes; -1 when the tag does not verify (tampered, wrong
 * key or wrong aad).
 */
int aes_gcm_seal(const unsigned char key[AES_KEY_LEN], const void *aad,
		 size_t aadlen, const void *in, size_t n, unsigned char *out);
int aes_gcm_open(const unsigned char key[AES_KEY_LEN], const void *aad,
		 size_t aadlen, const unsigned char *in, size_t n,
		 unsigned char *out);
/* Low-level form with a given IV, for known-answer tests. ct holds n bytes. */
int aes_gcm_encrypt_iv(const unsigned char key[AES_KEY_LEN],
		       const unsigned char *iv, size_t ivlen, const void *aad,
		       size_t aadlen, const void *in, size_t n,
		       unsigned char *ct, unsigned char tag[GCM_TAG_LEN]);

/*
 * argon2id in PHC string form ("$argon2id$v=19$m=...,t=...,p=...$salt$hash").
 * Parameters: t_cost 2, m_cost 19 MiB, parallelism 1 (OWASP's baseline)
 * unless changed with password_set_cost() (tests use a cheaper cost).
 * verify returns 1 match, 0 mismatch, -1 malformed hash or error.
 */
#define PASSWORD_HASH_MAX 128
void password_set_cost(unsigned t_cost, unsigned m_cost_kib);
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
int password_verify(const char *hash, const char *password);

/*
 * The slots password_hash and password_verify wait for (one per CPU), for a
 * caller that must not wait past a deadline: a sign-in under a storm of
 * sign-ins is better answered "busy, try again in a second" at once than
 * after a queue longer than any browser or client waits.
 * password_slot_take waits for a slot until deadline_us (time_mono_us
 * time; one already past only takes a free one) and says whether it got
 * one; password_verify_in_slot is password_verify for its holder, who then
 * gives the slot back.
 */
/* How many slots (0: one per CPU, at most 64), set before the first
 * hash or check, as password_set_cost. */
void password_set_slots(unsigned n);
bool password_slot_take(int64_t deadline_us);
int password_verify_in_slot(const char *hash, const char *password);
void password_slot_give(void);

#endif
