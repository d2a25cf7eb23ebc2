/*
 * Replay: stepping random action sequences and replaying them from a fresh parse, in a new env
 * and after cgym_env_restart, gives the same instruction counts and bitcode SHA-256.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "support/check.h"
#include "test_modules.h"

#define SEQUENCES 4
#define SEQUENCE_LENGTH 25

/* SplitMix64, so the sequences are fixed without depending on the baselines' generator. */
static uint64_t next_random(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* scalarizer crashes LLVM 19.1.7 on llvm-stress's vector code (see docs/actions.md), so stress
 * modules never draw it. */
static size_t draw_action(uint64_t *state, int is_stress) {
  const cgym_action_space *space = cgym_action_space_passes();
  for (;;) {
    size_t action = (size_t)(next_random(state) % cgym_action_space_size(space));
    if (!is_stress || strcmp(cgym_action_space_get(space, action)->name, "scalarizer") != 0)
      return action;
  }
}

static int run_sequence(cgym_env *env, const size_t *actions, int64_t *counts, char sha[65]) {
  for (size_t i = 0; i < SEQUENCE_LENGTH; i++) {
    int rc = cgym_env_step(env, actions[i], NULL);
    if (rc == CGYM_OK) rc = cgym_env_instruction_count(env, &counts[i]);
    if (rc != CGYM_OK) return rc;
  }
  return cgym_env_bitcode_sha256(env, sha);
}

static void test_replay(const char *module, uint64_t seed, int is_stress) {
  uint64_t state = seed;
  cgym_env *stepped = NULL;

  CHECK_OK(cgym_env_create(&stepped, NULL));
  CHECK_OK(cgym_env_reset(stepped, "m", module));

  for (int sequence = 0; sequence < SEQUENCES; sequence++) {
    size_t actions[SEQUENCE_LENGTH];
    int64_t counts[SEQUENCE_LENGTH], fresh_counts[SEQUENCE_LENGTH], restart_counts[SEQUENCE_LENGTH];
    char sha[65] = "", fresh_sha[65] = "", restart_sha[65] = "";
    for (size_t i = 0; i < SEQUENCE_LENGTH; i++) actions[i] = draw_action(&state, is_stress);

    CHECK_OK(cgym_env_restart(stepped));
    CHECK_OK(run_sequence(stepped, actions, counts, sha));

    cgym_env *fresh = NULL;
    CHECK_OK(cgym_env_create(&fresh, NULL));
    CHECK_OK(cgym_env_reset(fresh, "m", module));
    CHECK_OK(run_sequence(fresh, actions, fresh_counts, fresh_sha));
    cgym_env_free(fresh);

    CHECK_OK(cgym_env_restart(stepped));
    CHECK_OK(run_sequence(stepped, actions, restart_counts, restart_sha));

    CHECK_STR_EQ(fresh_sha, sha);
    CHECK_STR_EQ(restart_sha, sha);
    CHECK(memcmp(counts, fresh_counts, sizeof counts) == 0);
    CHECK(memcmp(counts, restart_counts, sizeof counts) == 0);
  }
  cgym_env_free(stepped);
}

int main(void) {
  char *dir = cgym_test_temp_dir("cgym-test-replay");
  char *csmith_a = cgym_test_csmith_module(dir, 3);
  char *csmith_b = cgym_test_csmith_module(dir, 4);
  char *stress = cgym_test_stress_module(dir, 2, 200, 1);

  test_replay(csmith_a, 1, 0);
  test_replay(csmith_b, 2, 0);
  test_replay(stress, 3, 1);

  char command[1200];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  cgym_test_run(command);
  free(csmith_a);
  free(csmith_b);
  free(stress);
  free(dir);
  return cgym_check_summary();
}
