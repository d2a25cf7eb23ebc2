/*
 * Fork on real modules, with random prefixes and suffixes of actions. A fork made after the
 * prefix and its parent end the suffix with the same bitcode. That bitcode equals a fresh replay
 * of the whole list, and the fork outlives its parent.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "support/check.h"
#include "test_modules.h"

#define TRIALS 6
#define MAX_PART 30

static uint64_t next_random(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* scalarizer crashes LLVM 19.1.7 on llvm-stress's vector code, so stress modules never draw it. */
static size_t draw_action(uint64_t *state, int is_stress) {
  const cgym_action_space *space = cgym_action_space_passes();
  for (;;) {
    size_t action = (size_t)(next_random(state) % cgym_action_space_size(space));
    if (!is_stress || strcmp(cgym_action_space_get(space, action)->name, "scalarizer") != 0)
      return action;
  }
}

static void test_fork(const char *module, uint64_t seed, int is_stress) {
  uint64_t state = seed;

  for (int trial = 0; trial < TRIALS; trial++) {
    size_t actions[2 * MAX_PART];
    size_t prefix = (size_t)(next_random(&state) % (MAX_PART + 1));
    size_t suffix = (size_t)(next_random(&state) % (MAX_PART + 1));
    for (size_t i = 0; i < prefix + suffix; i++) actions[i] = draw_action(&state, is_stress);

    cgym_env *parent = NULL, *child = NULL, *fresh = NULL;
    char parent_sha[65] = "", child_sha[65] = "", fresh_sha[65] = "";
    CHECK_OK(cgym_env_create(&parent, NULL));
    CHECK_OK(cgym_env_reset(parent, "m", module));
    CHECK_OK(cgym_env_step_many(parent, actions, prefix, NULL, NULL));
    CHECK_OK(cgym_env_fork(&child, parent));
    if (!child) continue;

    CHECK_OK(cgym_env_step_many(parent, actions + prefix, suffix, NULL, NULL));
    CHECK_OK(cgym_env_bitcode_sha256(parent, parent_sha));
    cgym_env_free(parent);
    CHECK_OK(cgym_env_step_many(child, actions + prefix, suffix, NULL, NULL));
    CHECK_OK(cgym_env_bitcode_sha256(child, child_sha));
    cgym_env_free(child);

    CHECK_OK(cgym_env_create(&fresh, NULL));
    CHECK_OK(cgym_env_reset(fresh, "m", module));
    CHECK_OK(cgym_env_step_many(fresh, actions, prefix + suffix, NULL, NULL));
    CHECK_OK(cgym_env_bitcode_sha256(fresh, fresh_sha));
    cgym_env_free(fresh);

    CHECK_STR_EQ(child_sha, parent_sha);
    CHECK_STR_EQ(fresh_sha, parent_sha);
  }
}

static void test_fork_errors(void) {
  cgym_env *env = NULL, *child = NULL;
  CHECK_OK(cgym_env_create(&env, NULL));
  CHECK_ERROR(cgym_env_fork(&child, env), CGYM_ESTATE, "cgym_env_reset first");
  CHECK(child == NULL);
  CHECK_ERROR(cgym_env_fork(NULL, env), CGYM_EINVAL, "out must not be NULL");
  cgym_env_free(env);
}

int main(void) {
  char *dir = cgym_test_temp_dir("cgym-test-fork");
  char *csmith_a = cgym_test_csmith_module(dir, 3);
  char *csmith_b = cgym_test_csmith_module(dir, 7);
  char *stress = cgym_test_stress_module(dir, 5, 200, 1);

  test_fork(csmith_a, 11, 0);
  test_fork(csmith_b, 12, 0);
  test_fork(stress, 13, 1);
  test_fork_errors();

  char command[1200];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  cgym_test_run(command);
  free(csmith_a);
  free(csmith_b);
  free(stress);
  free(dir);
  return cgym_check_summary();
}
