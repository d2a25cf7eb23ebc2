/*
 * The generator against values from an independent Python implementation of SplitMix64,
 * xoshiro256** and the documented episode seed derivation.
 */
#include <stdint.h>

#include "baselines/rng.h"
#include "support/check.h"

static void test_known_values(void) {
  cgym_rng rng;
  cgym_rng_seed(&rng, 42);
  CHECK(cgym_rng_next(&rng) == 0x15780b2e0c2ec716ULL);
  CHECK(cgym_rng_next(&rng) == 0x6104d9866d113a7eULL);
  CHECK(cgym_rng_next(&rng) == 0xae17533239e499a1ULL);
}

static void test_episode_seed(void) {
  cgym_rng rng, expected;
  cgym_rng_seed_episode(&rng, 7, "csmith-v0", "generator://csmith-v0/1", "random", 3);
  cgym_rng_seed(&expected, 0xf433f268e1c694e6ULL);
  for (int i = 0; i < 4; i++) CHECK(rng.state[i] == expected.state[i]);
  CHECK(cgym_rng_next(&rng) == 0x535bf77f30e7632eULL);
  CHECK(cgym_rng_next(&rng) == 0xc664d019da310121ULL);

  /* Each part of the identity changes the stream. */
  cgym_rng other;
  cgym_rng_seed_episode(&other, 7, "csmith-v0", "generator://csmith-v0/1", "random", 4);
  CHECK(other.state[0] != expected.state[0]);
  cgym_rng_seed_episode(&other, 7, "csmith-v0", "generator://csmith-v0/1", "greedy", 3);
  CHECK(other.state[0] != expected.state[0]);
  cgym_rng_seed_episode(&other, 8, "csmith-v0", "generator://csmith-v0/1", "random", 3);
  CHECK(other.state[0] != expected.state[0]);
}

static void test_below(void) {
  cgym_rng rng;
  int seen[7] = {0};
  cgym_rng_seed(&rng, 1);
  for (int i = 0; i < 7000; i++) {
    uint64_t value = cgym_rng_below(&rng, 7);
    CHECK(value < 7);
    if (value < 7) seen[value]++;
  }
  /* Each of 7 values expected 1000 times; 800 is more than 6 standard deviations below. */
  for (int i = 0; i < 7; i++) CHECK(seen[i] > 800);
  CHECK(cgym_rng_below(&rng, 1) == 0);
}

int main(void) {
  test_known_values();
  test_episode_seed();
  test_below();
  return cgym_check_summary();
}
