/*
 * The finer steps and the lists of functions and loops they choose from (cgym/targets.h). The
 * work on the module is in llvm_targets.c; this file checks the arguments and goes through the
 * env's step path, so finer steps are recorded, rewarded and replayed like any other.
 */
#include "cgym/targets.h"

#include <stdlib.h>

#include "env/env_internal.h"
#include "env/error_internal.h"
#include "env/llvm_module.h"

int cgym_env_functions(cgym_env *env, cgym_function_info **out, size_t *count) {
  if (!out || !count)
    return cgym_error_set(CGYM_EINVAL, "cgym_env_functions: out and count must not be NULL");
  *out = NULL;
  *count = 0;
  int rc = cgym_env_check_module(env, "cgym_env_functions");
  if (rc != CGYM_OK) return rc;
  return cgym_llvm_module_functions(env->module, out, count);
}

int cgym_env_loops(cgym_env *env, cgym_loop_info **out, size_t *count) {
  if (!out || !count)
    return cgym_error_set(CGYM_EINVAL, "cgym_env_loops: out and count must not be NULL");
  *out = NULL;
  *count = 0;
  int rc = cgym_env_check_module(env, "cgym_env_loops");
  if (rc != CGYM_OK) return rc;
  return cgym_llvm_module_loops(env->module, out, count);
}

/* Returns the action's pipeline, or sets CGYM_EINVAL naming the space's range. */
static const char *action_pipeline(const cgym_action_space *space, size_t action) {
  const cgym_action *chosen = cgym_action_space_get(space, action);
  if (chosen) return chosen->pipeline;
  cgym_error_set(CGYM_EINVAL, "action %zu is out of range: %s has actions 0 to %zu", action,
                 cgym_action_space_id(space), cgym_action_space_size(space) - 1);
  return NULL;
}

int cgym_env_step_function(cgym_env *env, size_t function, size_t action, double *reward) {
  int rc = cgym_env_check_module(env, "cgym_env_step_function");
  if (rc != CGYM_OK) return rc;
  const char *pipeline = action_pipeline(cgym_action_space_function_passes(), action);
  if (!pipeline) return CGYM_EINVAL;
  return cgym_env_run_step(env, CGYM_STEP_FUNCTION, function, action, pipeline, reward);
}

int cgym_env_step_loop(cgym_env *env, size_t loop, size_t action, double *reward) {
  int rc = cgym_env_check_module(env, "cgym_env_step_loop");
  if (rc != CGYM_OK) return rc;
  const char *pipeline = action_pipeline(cgym_action_space_loop_unroll(), action);
  if (!pipeline) return CGYM_EINVAL;
  return cgym_env_run_step(env, CGYM_STEP_LOOP, loop, action, pipeline, reward);
}
