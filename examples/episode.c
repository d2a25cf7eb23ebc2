/*
 * One episode through the public API: reset to a module, select two reward spaces, step three
 * passes, read observations, fork, and print the episode state.
 *
 *   episode MODULE.bc
 *
 * Exit status 0 on success, 2 for a usage error, 1 when a cgym call fails.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "cgym/observation.h"
#include "cgym/reward.h"
#include "cgym/state.h"

static int fail(const char *call) {
  fprintf(stderr, "episode: %s failed: %s\n", call, cgym_error_message());
  return 1;
}

static int print_observations(cgym_env *env) {
  static const char *const names[] = {"IrInstructionCount", "IrInstructionCountOz",
                                      "ObjectTextSizeBytes", "ObjectTextSizeOz"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    cgym_observation value;
    if (cgym_env_observe(&value, env, names[i]) != CGYM_OK) return fail(names[i]);
    printf("%s: %lld\n", names[i], (long long)value.int64_value);
    cgym_observation_clear(&value);
  }
  return 0;
}

int main(int argc, char **argv) {
  static const char *const rewards[] = {"IrInstructionCountOz", "ObjectTextSizeOz"};
  static const char *const passes[] = {"sroa", "instcombine", "simplifycfg"};
  cgym_env *env = NULL, *fork = NULL;
  cgym_state *state = NULL;
  char *text = NULL;
  int status = 1;

  if (argc != 2) {
    fprintf(stderr, "usage: episode MODULE.bc\n");
    return 2;
  }
  if (cgym_env_create(&env, NULL) != CGYM_OK) return fail("cgym_env_create");
  if (cgym_env_reset(env, argv[1], argv[1]) != CGYM_OK) { status = fail("cgym_env_reset"); goto done; }
  if (cgym_env_select_rewards(env, rewards, 2) != CGYM_OK) { status = fail("select"); goto done; }

  for (size_t i = 0; i < 3; i++) {
    size_t action;
    double values[2];
    if (cgym_action_space_find(cgym_env_action_space(env), passes[i], &action) != CGYM_OK ||
        cgym_env_step(env, action, NULL) != CGYM_OK ||
        cgym_env_last_rewards(values, 2, env) != CGYM_OK) {
      status = fail(passes[i]);
      goto done;
    }
    printf("%s: IrInstructionCountOz %+.4f, ObjectTextSizeOz %+.4f\n", passes[i], values[0],
           values[1]);
  }
  if (print_observations(env) != 0) goto done;

  /* The fork continues exactly as the env would. */
  if (cgym_env_fork(&fork, env) != CGYM_OK) { status = fail("cgym_env_fork"); goto done; }
  if (cgym_env_state(&state, fork) != CGYM_OK || cgym_state_format(&text, state) != CGYM_OK) {
    status = fail("cgym_env_state");
    goto done;
  }
  fputs(text, stdout);
  status = 0;

done:
  free(text);
  cgym_state_free(state);
  cgym_env_free(fork);
  cgym_env_free(env);
  return status;
}
