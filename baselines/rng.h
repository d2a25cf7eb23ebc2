#ifndef CGYM_BASELINES_RNG_H
#define CGYM_BASELINES_RNG_H

/*
 * The only random generator in cgym: xoshiro256** seeded through SplitMix64 from the SHA-256 of
 * the run seed and the episode's identity, so every episode's choices are fixed by
 * (seed, suite, benchmark, agent, episode index) and independent of scheduling order.
 */

#include <stdint.h>

typedef struct cgym_rng {
  uint64_t state[4];
} cgym_rng;

/* Seeds from the first 8 bytes, read as a little-endian integer, of SHA-256("cgym-rng-v1\0"
 * seed_le64 "\0" suite "\0" benchmark "\0" agent "\0" episode_le64), through cgym_rng_seed.
 * NULL strings hash as "". */
void cgym_rng_seed_episode(cgym_rng *rng, uint64_t seed, const char *suite, const char *benchmark,
                           const char *agent, uint64_t episode);

/* Fills the four state words with successive SplitMix64 outputs starting from seed. */
void cgym_rng_seed(cgym_rng *rng, uint64_t seed);

uint64_t cgym_rng_next(cgym_rng *rng);

/* Uniform integer in [0, bound) without modulo bias; bound must be > 0. */
uint64_t cgym_rng_below(cgym_rng *rng, uint64_t bound);

#endif
