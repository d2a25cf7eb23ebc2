/*
 * xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64: small, fast, and defined
 * bit for bit by its published reference code, so every platform draws the same numbers.
 */
#include "baselines/rng.h"

#include <assert.h>
#include <openssl/evp.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static uint64_t rotate_left(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void cgym_rng_seed(cgym_rng *rng, uint64_t seed) {
  uint64_t state = seed;
  for (int i = 0; i < 4; i++) rng->state[i] = splitmix64(&state);
}

static void append_u64_le(EVP_MD_CTX *context, uint64_t value) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; i++) bytes[i] = (unsigned char)(value >> (8 * i));
  EVP_DigestUpdate(context, bytes, sizeof bytes);
}

/* Strings are hashed with their terminating NUL, so ("ab", "c") and ("a", "bc") differ. */
static void append_string(EVP_MD_CTX *context, const char *text) {
  if (!text) text = "";
  EVP_DigestUpdate(context, text, strlen(text) + 1);
}

void cgym_rng_seed_episode(cgym_rng *rng, uint64_t seed, const char *suite, const char *benchmark,
                           const char *agent, uint64_t episode) {
  static const char domain[] = "cgym-rng-v1"; /* hashed with its NUL */
  unsigned char digest[EVP_MAX_MD_SIZE] = {0};
  unsigned int length = 0;

  /* NOTE: libcrypto fails here only when it cannot allocate its context. The digest then stays
   * zero, so the generator is seeded with 0 rather than left unseeded. */
  EVP_MD_CTX *context = EVP_MD_CTX_new();
  if (context && EVP_DigestInit_ex(context, EVP_sha256(), NULL)) {
    EVP_DigestUpdate(context, domain, sizeof domain);
    append_u64_le(context, seed);
    EVP_DigestUpdate(context, "", 1);
    append_string(context, suite);
    append_string(context, benchmark);
    append_string(context, agent);
    append_u64_le(context, episode);
    EVP_DigestFinal_ex(context, digest, &length);
  }
  EVP_MD_CTX_free(context);

  uint64_t derived = 0;
  for (int i = 0; i < 8; i++) derived |= (uint64_t)digest[i] << (8 * i);
  cgym_rng_seed(rng, derived);
}

uint64_t cgym_rng_next(cgym_rng *rng) {
  uint64_t *s = rng->state;
  uint64_t result = rotate_left(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotate_left(s[3], 45);
  return result;
}

/* Rejects the draws below 2^64 mod bound, which would make low values more likely. */
uint64_t cgym_rng_below(cgym_rng *rng, uint64_t bound) {
  assert(bound > 0);
  if (bound == 0) return 0;

  uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    uint64_t value = cgym_rng_next(rng);
    if (value >= threshold) return value % bound;
  }
}
