/*
 * The environment: one benchmark module, changed by one pipeline per step.
 *
 * reset reads the module file once and keeps its bytes, so restart can start the episode over
 * from exactly the bytes that C0 and C_Oz were measured on, even if the file changes later. Each
 * step runs on the env's own module; only probes work on a copy. A new episode is built
 * completely before it replaces the old one, so a failed reset leaves the env as it was.
 *
 * The env records every step since the last reset or restart, which is what states, replay and
 * fork are made of (state.c). Observations (observation.c), baselines (baseline.c) and rewards
 * (reward.c) are computed from the module only when asked for.
 */
#include "cgym/env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/baseline_internal.h"
#include "env/env_internal.h"
#include "env/error_internal.h"
#include "env/llvm_module.h"
#include "env/module_file.h"
#include "env/sha256_internal.h"
#include "env/spaces_internal.h"

int cgym_env_create(cgym_env **out, const cgym_env_options *opts) {
  if (!out) return cgym_error_set(CGYM_EINVAL, "cgym_env_create: out must not be NULL");
  *out = NULL;
  if (opts && (opts->version < 1 || opts->version > CGYM_ENV_OPTIONS_VERSION))
    return cgym_error_set(CGYM_EINVAL, "expected cgym_env_options version 1 to %d, got %d; "
                          "initialize options with CGYM_ENV_OPTIONS_INIT",
                          CGYM_ENV_OPTIONS_VERSION, opts->version);

  cgym_env *env = calloc(1, sizeof *env);
  if (!env) return cgym_error_set(CGYM_ENOMEM, "out of memory creating an env");

  env->actions = opts && opts->actions ? opts->actions : cgym_action_space_passes();
  env->rewards[0] = CGYM_REWARD_IR_OZ;
  env->reward_count = 1;
  env->verify_steps = 0;
  if (opts) {
    env->pipeline_hook = opts->pipeline_hook;
    env->pipeline_hook_context = opts->pipeline_hook_context;
    if (opts->version == 1) env->verify_steps = 1;
    else if (opts->version == 2) env->verify_steps = !opts->skip_step_verification;
    else env->verify_steps = opts->verify_each_step != 0;
  }
  *out = env;
  return CGYM_OK;
}

int cgym_env_create_backend(cgym_env **out, const char *backend, const cgym_env_options *opts) {
  if (!out) return cgym_error_set(CGYM_EINVAL, "cgym_env_create_backend: out must not be NULL");
  *out = NULL;
  if (!backend || strcmp(backend, "llvm") != 0)
    return cgym_error_set(CGYM_ENOTFOUND, "unknown backend '%s'; the backends are: llvm",
                          backend ? backend : "(null)");
  return cgym_env_create(out, opts);
}

void cgym_env_free(cgym_env *env) {
  if (!env) return;
  cgym_llvm_module_free(env->probe_base);
  cgym_llvm_module_free(env->module);
  cgym_env_history_clear(env);
  free(env->history);
  free(env->file_bytes);
  free(env->uri);
  free(env);
}

void cgym_env_announce(const cgym_env *env, const char *pipeline) {
  if (env->pipeline_hook) env->pipeline_hook(env->pipeline_hook_context, pipeline);
}

void cgym_env_history_clear(cgym_env *env) {
  for (size_t i = 0; i < env->history_count; i++) free(env->history[i].pipeline);
  env->history_count = 0;
}

/* Replaces the module and starts a new step history and reward tracking on it. */
static int start_episode(cgym_env *env, cgym_llvm_module *module) {
  cgym_llvm_module_free(env->probe_base);
  env->probe_base = NULL;
  cgym_llvm_module_free(env->module);
  env->module = module;
  env->count_valid = 0;
  env->text_size_valid = 0;
  cgym_env_history_clear(env);
  return cgym_env_rewards_start(env);
}

/* Finds C_Oz of the bytes in the process-wide cache, or measures it on a fresh parse. */
static int find_oz(const cgym_env *env, const unsigned char *bytes, size_t size,
                   const char *label, const char sha256[65], int64_t *c_oz) {
  if (cgym_baseline_lookup(sha256, CGYM_COST_IR, CGYM_LEVEL_OZ, c_oz)) return CGYM_OK;
  int rc = cgym_baseline_measure(env, bytes, size, label, CGYM_COST_IR, CGYM_LEVEL_OZ, c_oz);
  if (rc == CGYM_OK) cgym_baseline_store(sha256, CGYM_COST_IR, CGYM_LEVEL_OZ, *c_oz);
  return rc;
}

int cgym_env_reset(cgym_env *env, const char *uri, const char *path) {
  unsigned char *bytes = NULL;
  size_t size = 0;
  cgym_llvm_module *module = NULL;
  char *uri_copy = NULL;
  int64_t c_oz = 0;
  char sha256[65];

  if (!env || !uri || !path)
    return cgym_error_set(CGYM_EINVAL, "cgym_env_reset: env, uri and path must not be NULL");

  int rc = cgym_module_file_read(path, CGYM_ENV_MODULE_MAX_BYTES, &bytes, &size);
  if (rc != CGYM_OK) goto done;
  rc = cgym_llvm_module_parse(&module, bytes, size, path);
  if (rc != CGYM_OK) goto done;
  rc = cgym_sha256_hex(bytes, size, sha256);
  if (rc != CGYM_OK) goto done;
  rc = find_oz(env, bytes, size, path, sha256, &c_oz);
  if (rc != CGYM_OK) goto done;
  uri_copy = strdup(uri);
  if (!uri_copy) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory storing the URI '%s'", uri);
    goto done;
  }

  free(env->file_bytes);
  free(env->uri);
  env->file_bytes = bytes;
  env->file_size = size;
  env->uri = uri_copy;
  memcpy(env->sha256, sha256, sizeof env->sha256);
  env->baselines_known = 0;
  env->baselines[CGYM_COST_IR][CGYM_LEVEL_O0] = cgym_llvm_module_instruction_count(module);
  env->baselines[CGYM_COST_IR][CGYM_LEVEL_OZ] = c_oz;
  env->baselines_known = 1u << CGYM_LEVEL_O0 | 1u << CGYM_LEVEL_OZ;
  return start_episode(env, module);

done:
  cgym_llvm_module_free(module);
  free(bytes);
  return rc;
}

int cgym_env_restart(cgym_env *env) {
  cgym_llvm_module *module = NULL;

  if (!env) return cgym_error_set(CGYM_EINVAL, "cgym_env_restart: env must not be NULL");
  if (!env->uri)
    return cgym_error_set(CGYM_ESTATE, "cannot restart an env that has no benchmark; call "
                          "cgym_env_reset first");

  int rc = cgym_llvm_module_parse(&module, env->file_bytes, env->file_size, env->uri);
  if (rc != CGYM_OK) return rc;
  return start_episode(env, module);
}

int cgym_env_check_module(const cgym_env *env, const char *call) {
  if (!env) return cgym_error_set(CGYM_EINVAL, "%s: env must not be NULL", call);
  if (!env->uri)
    return cgym_error_set(CGYM_ESTATE, "%s before any benchmark was loaded; call cgym_env_reset "
                          "first", call);
  if (!env->module)
    return cgym_error_set(CGYM_ESTATE, "%s after a step left an invalid module in '%s'; call "
                          "cgym_env_reset or cgym_env_restart", call, env->uri);
  return CGYM_OK;
}

/* Appends a step to the history; pipeline is copied, or NULL for an action. */
static int record_step(cgym_env *env, cgym_step_kind kind, size_t target, size_t action,
                       const char *pipeline) {
  if (env->history_count == env->history_capacity) {
    size_t capacity = env->history_capacity ? 2 * env->history_capacity : 64;
    cgym_step_record *grown = realloc(env->history, capacity * sizeof *grown);
    if (!grown) return cgym_error_set(CGYM_ENOMEM, "out of memory recording step %zu",
                                      env->history_count + 1);
    env->history = grown;
    env->history_capacity = capacity;
  }

  char *copy = NULL;
  if (pipeline && !(copy = strdup(pipeline)))
    return cgym_error_set(CGYM_ENOMEM, "out of memory recording the pipeline '%s'", pipeline);
  env->history[env->history_count++] = (cgym_step_record){action, copy, kind, target};
  return CGYM_OK;
}

const cgym_action_space *cgym_env_step_space(const cgym_env *env, cgym_step_kind kind) {
  if (kind == CGYM_STEP_FUNCTION) return cgym_action_space_function_passes();
  if (kind == CGYM_STEP_LOOP) return cgym_action_space_loop_unroll();
  return env->actions;
}

int cgym_env_replay(cgym_env *env, const cgym_step_record *records, size_t count) {
  int rc = CGYM_OK;
  for (size_t i = 0; i < count && rc == CGYM_OK; i++) {
    const cgym_step_record *record = &records[i];
    const char *pipeline =
        record->action == CGYM_STEP_PIPELINE
            ? record->pipeline
            : cgym_action_space_get(cgym_env_step_space(env, record->kind), record->action)->pipeline;
    rc = cgym_env_run_step(env, record->kind, record->target, record->action, pipeline, NULL);
  }
  return rc;
}

/*
 * Takes back the last step after its reward could not be computed, because LLVM could not emit
 * the object file that an ObjectTextSize reward measures. It restarts the episode and replays the
 * steps before it, which gives exactly the module those steps gave. Returns `code` with the first
 * failure's message and a note that the step was undone, or, if the replay fails too, leaves no
 * module, so later calls ask for a reset.
 */
static int undo_last_step(cgym_env *env, int code) {
  char message[512];
  snprintf(message, sizeof message, "%s", cgym_error_message());
  cgym_step_record *records = env->history;
  size_t count = env->history_count - 1;
  free(records[count].pipeline);
  env->history = NULL;
  env->history_count = env->history_capacity = 0;

  int rc = cgym_env_restart(env);
  if (rc == CGYM_OK) rc = cgym_env_replay(env, records, count);
  for (size_t i = 0; i < count; i++) free(records[i].pipeline);
  free(records);
  if (rc == CGYM_OK)
    return cgym_error_set(code, "%s; the step was undone, the env holds the module before it",
                          message);
  cgym_llvm_module_free(env->module);
  env->module = NULL;
  return cgym_error_set(code, "%s; undoing the step failed too, so the env needs a reset or "
                        "restart", message);
}

/* Runs the step's pipeline on the whole module, one function or one loop. */
static int run_pipeline(cgym_env *env, cgym_step_kind kind, size_t target, size_t action,
                        const char *pipeline, int *invalid) {
  switch (kind) {
  case CGYM_STEP_FUNCTION:
    return cgym_llvm_module_run_on_function(env->module, pipeline, target, env->verify_steps,
                                            invalid);
  case CGYM_STEP_LOOP:
    return cgym_llvm_module_unroll_loop(env->module, pipeline, target,
                                        cgym_loop_unroll_factor(action), env->verify_steps,
                                        invalid);
  default: return cgym_llvm_module_run(env->module, pipeline, env->verify_steps, invalid);
  }
}

int cgym_env_run_step(cgym_env *env, cgym_step_kind kind, size_t target, size_t action,
                      const char *pipeline, double *reward) {
  int invalid;

  int rc = record_step(env, kind, target, action, action == CGYM_STEP_PIPELINE ? pipeline : NULL);
  if (rc != CGYM_OK) return rc;

  cgym_llvm_module_free(env->probe_base);
  env->probe_base = NULL;
  cgym_env_announce(env, pipeline);
  rc = run_pipeline(env, kind, target, action, pipeline, &invalid);
  if (rc != CGYM_OK) {
    free(env->history[--env->history_count].pipeline);
    if (invalid) {
      cgym_llvm_module_free(env->module);
      env->module = NULL;
    }
    return rc;
  }

  env->count_valid = 0;
  env->text_size_valid = 0;
  rc = cgym_env_rewards_update(env, reward);
  if (rc != CGYM_OK) return undo_last_step(env, rc);
  return CGYM_OK;
}

int cgym_env_step(cgym_env *env, size_t action, double *reward) {
  int rc = cgym_env_check_module(env, "cgym_env_step");
  if (rc != CGYM_OK) return rc;

  const cgym_action *chosen = cgym_action_space_get(env->actions, action);
  if (!chosen)
    return cgym_error_set(CGYM_EINVAL, "action %zu is out of range: %s has actions 0 to %zu",
                          action, cgym_action_space_id(env->actions),
                          cgym_action_space_size(env->actions) - 1);
  return cgym_env_run_step(env, CGYM_STEP_MODULE, 0, action, chosen->pipeline, reward);
}

int cgym_env_step_many(cgym_env *env, const size_t *actions, size_t count, size_t *done,
                       double *reward) {
  double total = 0;

  if (done) *done = 0;
  if (!actions && count > 0)
    return cgym_error_set(CGYM_EINVAL, "cgym_env_step_many: actions must not be NULL");
  for (size_t i = 0; i < count; i++) {
    double step_reward = 0;
    int rc = cgym_env_step(env, actions[i], &step_reward);
    if (rc != CGYM_OK) return rc;
    total += step_reward;
    if (done) *done = i + 1;
    if (reward) *reward = total;
  }
  if (count == 0) return cgym_env_check_module(env, "cgym_env_step_many");
  return CGYM_OK;
}

int cgym_env_step_pipeline(cgym_env *env, const char *pipeline, double *reward) {
  int rc = cgym_env_check_module(env, "cgym_env_step_pipeline");
  if (rc != CGYM_OK) return rc;
  if (!pipeline || !*pipeline)
    return cgym_error_set(CGYM_EINVAL, "expected a pass pipeline, got an empty string");
  return cgym_env_run_step(env, CGYM_STEP_MODULE, 0, CGYM_STEP_PIPELINE, pipeline, reward);
}

/*
 * Probes must not run in the env's own LLVMContext: passes register names there (metadata kinds,
 * for example), and the bitcode writer emits the context's tables, so a probe would change the
 * bitcode of every later step and break replay. The probes of one state therefore clone a copy
 * parsed from the module's bitcode into a context of its own.
 */
static int ensure_probe_base(cgym_env *env) {
  if (env->probe_base) return CGYM_OK;
  unsigned char *bitcode = NULL;
  size_t size = 0;
  int rc = cgym_llvm_module_bitcode(env->module, &bitcode, &size);
  if (rc == CGYM_OK) rc = cgym_llvm_module_parse(&env->probe_base, bitcode, size, "probe copy");
  free(bitcode);
  return rc;
}

int cgym_env_probe(cgym_env *env, size_t action, int64_t *count) {
  cgym_llvm_module *copy = NULL;
  int invalid;

  int rc = cgym_env_check_module(env, "cgym_env_probe");
  if (rc != CGYM_OK) return rc;
  const cgym_action *chosen = cgym_action_space_get(env->actions, action);
  if (!chosen)
    return cgym_error_set(CGYM_EINVAL, "action %zu is out of range: %s has actions 0 to %zu",
                          action, cgym_action_space_id(env->actions),
                          cgym_action_space_size(env->actions) - 1);

  rc = ensure_probe_base(env);
  if (rc == CGYM_OK) rc = cgym_llvm_module_clone(&copy, env->probe_base);
  if (rc != CGYM_OK) return rc;
  cgym_env_announce(env, chosen->pipeline);
  rc = cgym_llvm_module_run(copy, chosen->pipeline, env->verify_steps, &invalid);
  if (rc == CGYM_OK) *count = cgym_llvm_module_instruction_count(copy);
  cgym_llvm_module_free(copy);
  return rc;
}

int cgym_env_write_bitcode(const cgym_env *env, const char *path) {
  unsigned char *bitcode = NULL;
  size_t size = 0;

  int rc = cgym_env_check_module(env, "cgym_env_write_bitcode");
  if (rc != CGYM_OK) return rc;
  if (!path) return cgym_error_set(CGYM_EINVAL, "cgym_env_write_bitcode: path must not be NULL");

  rc = cgym_llvm_module_bitcode(env->module, &bitcode, &size);
  if (rc != CGYM_OK) return rc;
  rc = cgym_module_file_write(path, bitcode, size);
  free(bitcode);
  return rc;
}

const char *cgym_env_benchmark_uri(const cgym_env *env) { return env ? env->uri : NULL; }

int cgym_env_instruction_count(const cgym_env *env, int64_t *count) {
  int rc = cgym_env_check_module(env, "cgym_env_instruction_count");
  if (rc != CGYM_OK) return rc;
  /* The count is measured once per module state and kept; envs are heap objects, never const
   * definitions, so storing it through this pointer is defined. */
  return cgym_env_cost((cgym_env *)env, CGYM_COST_IR, count);
}

int cgym_env_bitcode_sha256(const cgym_env *env, char out[65]) {
  int rc = cgym_env_check_module(env, "cgym_env_bitcode_sha256");
  if (rc != CGYM_OK) return rc;
  return cgym_llvm_module_sha256(env->module, out);
}

int cgym_env_baselines(const cgym_env *env, int64_t *c0, int64_t *c_oz) {
  if (!env) return cgym_error_set(CGYM_EINVAL, "cgym_env_baselines: env must not be NULL");
  if (!env->uri)
    return cgym_error_set(CGYM_ESTATE, "cgym_env_baselines before any benchmark was loaded; "
                          "call cgym_env_reset first");
  if (c0) *c0 = env->baselines[CGYM_COST_IR][CGYM_LEVEL_O0];
  if (c_oz) *c_oz = env->baselines[CGYM_COST_IR][CGYM_LEVEL_OZ];
  return CGYM_OK;
}

const cgym_action_space *cgym_env_action_space(const cgym_env *env) {
  return env ? env->actions : NULL;
}

const char *cgym_env_benchmark_sha256(const cgym_env *env) {
  return env && env->uri ? env->sha256 : NULL;
}
