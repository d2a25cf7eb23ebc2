/*
 * The environment: one benchmark module, changed by one pipeline per step.
 *
 * reset reads the module file once and keeps its bytes, so restart can start the episode over
 * from exactly the bytes that C0 and C_Oz were measured on, even if the file changes later. Each
 * step runs on the env's own module; only probes work on a copy. A new episode is built
 * completely before it replaces the old one, so a failed reset leaves the env as it was.
 */
#include "cgym/env.h"

#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"
#include "env/llvm_module.h"
#include "env/module_file.h"

/* The pipeline that defines C_Oz, the same string the -Oz baseline agent steps. */
static const char oz_pipeline[] = "default<Oz>";

struct cgym_env {
  const cgym_action_space *actions;
  cgym_pipeline_hook pipeline_hook;
  void *pipeline_hook_context;

  /* The episode, all unset before the first successful reset. */
  char *uri;
  unsigned char *file_bytes; /* the module file as reset read it */
  size_t file_size;
  cgym_llvm_module *module; /* NULL before reset and after a step that broke the module */
  int64_t c0, c_oz, count;
};

int cgym_env_create(cgym_env **out, const cgym_env_options *opts) {
  if (!out) return cgym_error_set(CGYM_EINVAL, "cgym_env_create: out must not be NULL");
  *out = NULL;
  if (opts && opts->version != CGYM_ENV_OPTIONS_VERSION)
    return cgym_error_set(CGYM_EINVAL, "expected cgym_env_options version %d, got %d; "
                          "initialize options with CGYM_ENV_OPTIONS_INIT",
                          CGYM_ENV_OPTIONS_VERSION, opts->version);

  cgym_env *env = calloc(1, sizeof *env);
  if (!env) return cgym_error_set(CGYM_ENOMEM, "out of memory creating an env");

  env->actions = opts && opts->actions ? opts->actions : cgym_action_space_passes();
  if (opts) {
    env->pipeline_hook = opts->pipeline_hook;
    env->pipeline_hook_context = opts->pipeline_hook_context;
  }
  *out = env;
  return CGYM_OK;
}

void cgym_env_free(cgym_env *env) {
  if (!env) return;
  cgym_llvm_module_free(env->module);
  free(env->file_bytes);
  free(env->uri);
  free(env);
}

static void announce(const cgym_env *env, const char *pipeline) {
  if (env->pipeline_hook) env->pipeline_hook(env->pipeline_hook_context, pipeline);
}

/* Measures C_Oz on its own parse of the bytes, not on a clone of the episode's module, so the -Oz
 * agent, which steps default<Oz> on a fresh parse, lands exactly on C_Oz. */
static int measure_oz(const cgym_env *env, const unsigned char *bytes, size_t size,
                      const char *label, int64_t *c_oz) {
  cgym_llvm_module *module = NULL;
  int invalid;

  int rc = cgym_llvm_module_parse(&module, bytes, size, label);
  if (rc != CGYM_OK) return rc;

  announce(env, oz_pipeline);
  rc = cgym_llvm_module_run(module, oz_pipeline, &invalid);
  if (rc == CGYM_OK) *c_oz = cgym_llvm_module_instruction_count(module);
  cgym_llvm_module_free(module);
  return rc;
}

int cgym_env_reset(cgym_env *env, const char *uri, const char *path) {
  unsigned char *bytes = NULL;
  size_t size = 0;
  cgym_llvm_module *module = NULL;
  char *uri_copy = NULL;
  int64_t c_oz = 0;

  if (!env || !uri || !path)
    return cgym_error_set(CGYM_EINVAL, "cgym_env_reset: env, uri and path must not be NULL");

  int rc = cgym_module_file_read(path, CGYM_ENV_MODULE_MAX_BYTES, &bytes, &size);
  if (rc != CGYM_OK) goto done;
  rc = cgym_llvm_module_parse(&module, bytes, size, path);
  if (rc != CGYM_OK) goto done;
  rc = measure_oz(env, bytes, size, path, &c_oz);
  if (rc != CGYM_OK) goto done;
  uri_copy = strdup(uri);
  if (!uri_copy) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory storing the URI '%s'", uri);
    goto done;
  }

  cgym_llvm_module_free(env->module);
  free(env->file_bytes);
  free(env->uri);
  env->module = module;
  env->file_bytes = bytes;
  env->file_size = size;
  env->uri = uri_copy;
  env->c0 = cgym_llvm_module_instruction_count(module);
  env->c_oz = c_oz;
  env->count = env->c0;
  return CGYM_OK;

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

  cgym_llvm_module_free(env->module);
  env->module = module;
  env->count = cgym_llvm_module_instruction_count(module);
  return CGYM_OK;
}

/* Returns CGYM_OK when the env has a module that steps and observations can use. */
static int check_module(const cgym_env *env, const char *call) {
  if (!env) return cgym_error_set(CGYM_EINVAL, "%s: env must not be NULL", call);
  if (!env->uri)
    return cgym_error_set(CGYM_ESTATE, "%s before any benchmark was loaded; call cgym_env_reset "
                          "first", call);
  if (!env->module)
    return cgym_error_set(CGYM_ESTATE, "%s after a step left an invalid module in '%s'; call "
                          "cgym_env_reset or cgym_env_restart", call, env->uri);
  return CGYM_OK;
}

static double reward_of(const cgym_env *env, int64_t before, int64_t after) {
  int64_t scale = env->c0 - env->c_oz;
  if (scale < 1) scale = 1;
  return (double)(before - after) / (double)scale;
}

static int run_on_module(cgym_env *env, const char *pipeline, double *reward) {
  int invalid;

  announce(env, pipeline);
  int rc = cgym_llvm_module_run(env->module, pipeline, &invalid);
  if (rc != CGYM_OK) {
    if (invalid) {
      cgym_llvm_module_free(env->module);
      env->module = NULL;
    }
    return rc;
  }

  int64_t before = env->count;
  env->count = cgym_llvm_module_instruction_count(env->module);
  if (reward) *reward = reward_of(env, before, env->count);
  return CGYM_OK;
}

int cgym_env_step(cgym_env *env, size_t action, double *reward) {
  int rc = check_module(env, "cgym_env_step");
  if (rc != CGYM_OK) return rc;

  const cgym_action *chosen = cgym_action_space_get(env->actions, action);
  if (!chosen)
    return cgym_error_set(CGYM_EINVAL, "action %zu is out of range: %s has actions 0 to %zu",
                          action, cgym_action_space_id(env->actions),
                          cgym_action_space_size(env->actions) - 1);
  return run_on_module(env, chosen->pipeline, reward);
}

int cgym_env_step_pipeline(cgym_env *env, const char *pipeline, double *reward) {
  int rc = check_module(env, "cgym_env_step_pipeline");
  if (rc != CGYM_OK) return rc;
  if (!pipeline || !*pipeline)
    return cgym_error_set(CGYM_EINVAL, "expected a pass pipeline, got an empty string");
  return run_on_module(env, pipeline, reward);
}

int cgym_env_probe(cgym_env *env, size_t action, int64_t *count) {
  cgym_llvm_module *copy = NULL;
  int invalid;

  int rc = check_module(env, "cgym_env_probe");
  if (rc != CGYM_OK) return rc;
  const cgym_action *chosen = cgym_action_space_get(env->actions, action);
  if (!chosen)
    return cgym_error_set(CGYM_EINVAL, "action %zu is out of range: %s has actions 0 to %zu",
                          action, cgym_action_space_id(env->actions),
                          cgym_action_space_size(env->actions) - 1);

  rc = cgym_llvm_module_clone(&copy, env->module);
  if (rc != CGYM_OK) return rc;
  announce(env, chosen->pipeline);
  rc = cgym_llvm_module_run(copy, chosen->pipeline, &invalid);
  if (rc == CGYM_OK) *count = cgym_llvm_module_instruction_count(copy);
  cgym_llvm_module_free(copy);
  return rc;
}

int cgym_env_write_bitcode(const cgym_env *env, const char *path) {
  unsigned char *bitcode = NULL;
  size_t size = 0;

  int rc = check_module(env, "cgym_env_write_bitcode");
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
  int rc = check_module(env, "cgym_env_instruction_count");
  if (rc != CGYM_OK) return rc;
  *count = env->count;
  return CGYM_OK;
}

int cgym_env_bitcode_sha256(const cgym_env *env, char out[65]) {
  int rc = check_module(env, "cgym_env_bitcode_sha256");
  if (rc != CGYM_OK) return rc;
  return cgym_llvm_module_sha256(env->module, out);
}

int cgym_env_baselines(const cgym_env *env, int64_t *c0, int64_t *c_oz) {
  if (!env) return cgym_error_set(CGYM_EINVAL, "cgym_env_baselines: env must not be NULL");
  if (!env->uri)
    return cgym_error_set(CGYM_ESTATE, "cgym_env_baselines before any benchmark was loaded; "
                          "call cgym_env_reset first");
  if (c0) *c0 = env->c0;
  if (c_oz) *c_oz = env->c_oz;
  return CGYM_OK;
}

const cgym_action_space *cgym_env_action_space(const cgym_env *env) {
  return env ? env->actions : NULL;
}
