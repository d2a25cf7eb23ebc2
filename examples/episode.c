/*
 * One episode through the public API. It creates an env of the "llvm" backend, resets it to a
 * benchmark and selects two reward spaces. It steps three passes, runs gvn on the largest
 * function, unrolls the first loop by 2, reads observations, forks, and prints the state.
 *
 *   episode BENCHMARK       (a module file, or a URI such as generator://csmith-v0/1, which is
 *                            fetched into the cache)
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
#include "cgym/suites.h"
#include "cgym/targets.h"

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

/* gvn on the function with the most instructions, then the first loop unrolled by 2. */
static int finer_steps(cgym_env *env) {
  cgym_function_info *functions = NULL;
  cgym_loop_info *loops = NULL;
  size_t function_count = 0, loop_count = 0, largest = 0, action = 0;

  if (cgym_env_functions(env, &functions, &function_count) != CGYM_OK) return fail("functions");
  for (size_t i = 1; i < function_count; i++)
    if (functions[i].instructions > functions[largest].instructions) largest = i;
  int rc = function_count == 0 ? CGYM_OK
           : cgym_action_space_find(cgym_action_space_function_passes(), "gvn", &action);
  if (rc == CGYM_OK && function_count > 0) {
    rc = cgym_env_step_function(env, largest, action, NULL);
    if (rc == CGYM_OK) printf("gvn on function %zu (%s)\n", largest, functions[largest].name);
  }
  cgym_function_list_free(functions, function_count);
  if (rc != CGYM_OK) return fail("cgym_env_step_function");

  if (cgym_env_loops(env, &loops, &loop_count) != CGYM_OK) return fail("loops");
  if (loop_count > 0) {
    printf("loop 0: depth %lld, %lld blocks, trip count hint %lld\n", (long long)loops[0].depth,
           (long long)loops[0].blocks, (long long)loops[0].trip_count_hint);
    rc = cgym_action_space_find(cgym_action_space_loop_unroll(), "unroll-2", &action);
    if (rc == CGYM_OK) rc = cgym_env_step_loop(env, 0, action, NULL);
  }
  free(loops);
  return rc == CGYM_OK ? 0 : fail("cgym_env_step_loop");
}

int main(int argc, char **argv) {
  static const char *const rewards[] = {"IrInstructionCountOz", "ObjectTextSizeOz"};
  static const char *const passes[] = {"sroa", "instcombine", "simplifycfg"};
  cgym_env *env = NULL, *fork = NULL;
  cgym_state *state = NULL;
  char *text = NULL;
  int status = 1;

  if (argc != 2) {
    fprintf(stderr, "usage: episode BENCHMARK\n");
    return 2;
  }
  if (cgym_env_create_backend(&env, "llvm", NULL) != CGYM_OK) return fail("cgym_env_create");
  if (cgym_env_reset_benchmark(env, argv[1], 0, NULL) != CGYM_OK) {
    status = fail("cgym_env_reset_benchmark");
    goto done;
  }
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
  if (finer_steps(env) != 0 || print_observations(env) != 0) goto done;

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
