/*
 * Episode states: export from an env, replay into an env, the text form, and fork, which is a
 * replay into a new env. cgym/state.h gives the text form.
 */
#include "cgym/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/targets.h"
#include "env/env_internal.h"
#include "env/error_internal.h"
#include "env/llvm_module.h"

void cgym_state_free(cgym_state *state) {
  if (!state) return;
  for (size_t i = 0; i < state->step_count; i++) {
    free(state->steps[i].action);
    free(state->steps[i].pipeline);
  }
  free(state->steps);
  free(state->benchmark);
  free(state->action_space);
  free(state);
}

static int out_of_memory(cgym_state *state) {
  cgym_state_free(state);
  return cgym_error_set(CGYM_ENOMEM, "out of memory building an episode state");
}

/* Names step `index` of the env's history: its action name, or its pipeline. */
static const char *step_name(const cgym_env *env, size_t index) {
  const cgym_step_record *record = &env->history[index];
  if (record->action == CGYM_STEP_PIPELINE) return record->pipeline;
  return cgym_action_space_get(cgym_env_step_space(env, record->kind), record->action)->name;
}

int cgym_env_state(cgym_state **out, const cgym_env *env) {
  if (!out || !env) return cgym_error_set(CGYM_EINVAL, "cgym_env_state: out and env must not be "
                                          "NULL");
  *out = NULL;
  if (!env->uri) return cgym_error_set(CGYM_ESTATE, "cgym_env_state before any benchmark was "
                                       "loaded; call cgym_env_reset first");

  cgym_state *state = calloc(1, sizeof *state);
  if (!state) return out_of_memory(NULL);
  state->benchmark = strdup(env->uri);
  state->action_space = strdup(cgym_action_space_id(env->actions));
  state->steps = calloc(env->history_count ? env->history_count : 1, sizeof state->steps[0]);
  if (!state->benchmark || !state->action_space || !state->steps) return out_of_memory(state);
  memcpy(state->sha256, env->sha256, sizeof state->sha256);

  for (size_t i = 0; i < env->history_count; i++) {
    const cgym_step_record *record = &env->history[i];
    cgym_state_step *step = &state->steps[i];
    step->kind = record->kind;
    step->target = record->target;
    char *name = strdup(step_name(env, i));
    if (record->action == CGYM_STEP_PIPELINE) step->pipeline = name;
    else step->action = name;
    state->step_count++;
    if (!step->pipeline && !step->action) return out_of_memory(state);
  }
  *out = state;
  return CGYM_OK;
}

/* Steps the env through every step of the state; the env has just restarted. */
static int replay_steps(cgym_env *env, const cgym_state *state) {
  for (size_t i = 0; i < state->step_count; i++) {
    const cgym_state_step *step = &state->steps[i];
    size_t index;
    int rc;
    if (step->action && step->kind != CGYM_STEP_MODULE) {
      rc = cgym_action_space_find(cgym_env_step_space(env, step->kind), step->action, &index);
      if (rc == CGYM_OK)
        rc = step->kind == CGYM_STEP_FUNCTION ? cgym_env_step_function(env, step->target, index, NULL)
                                              : cgym_env_step_loop(env, step->target, index, NULL);
    } else if (step->action) {
      rc = cgym_action_space_find(env->actions, step->action, &index);
      if (rc == CGYM_OK) rc = cgym_env_step(env, index, NULL);
    } else if (step->pipeline && step->kind == CGYM_STEP_MODULE) {
      rc = cgym_env_step_pipeline(env, step->pipeline, NULL);
    } else {
      rc = cgym_error_set(CGYM_EINVAL, "step %zu of the state has neither an action nor a "
                          "pipeline", i + 1);
    }
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

int cgym_env_apply_state(cgym_env *env, const cgym_state *state) {
  if (!env || !state || !state->benchmark || !state->action_space)
    return cgym_error_set(CGYM_EINVAL, "cgym_env_apply_state: env and a complete state are "
                          "required");
  if (!env->uri)
    return cgym_error_set(CGYM_ESTATE, "cannot apply a state of '%s' before reset; reset the env "
                          "to that benchmark first", state->benchmark);
  if (state->sha256[0] && strcmp(state->sha256, env->sha256) != 0)
    return cgym_error_set(CGYM_ECHECKSUM, "the state of '%s' expects benchmark bytes with SHA-256 "
                          "%s, but the env was reset to '%s' with SHA-256 %s", state->benchmark,
                          state->sha256, env->uri, env->sha256);
  if (strcmp(state->action_space, cgym_action_space_id(env->actions)) != 0)
    return cgym_error_set(CGYM_ENOTFOUND, "the state uses action space %s, but the env has %s; "
                          "create the env with that action space", state->action_space,
                          cgym_action_space_id(env->actions));

  int rc = cgym_env_restart(env);
  if (rc != CGYM_OK) return rc;
  return replay_steps(env, state);
}

/* Copies what a fork shares with its parent apart from the module and the history. */
static int copy_episode(cgym_env *copy, const cgym_env *env) {
  copy->uri = strdup(env->uri);
  copy->file_bytes = malloc(env->file_size ? env->file_size : 1);
  if (!copy->uri || !copy->file_bytes)
    return cgym_error_set(CGYM_ENOMEM, "out of memory forking an env of '%s'", env->uri);
  memcpy(copy->file_bytes, env->file_bytes, env->file_size);
  copy->file_size = env->file_size;
  memcpy(copy->sha256, env->sha256, sizeof copy->sha256);
  memcpy(copy->baselines, env->baselines, sizeof copy->baselines);
  copy->baselines_known = env->baselines_known;
  memcpy(copy->rewards, env->rewards, sizeof copy->rewards);
  copy->reward_count = env->reward_count;
  return CGYM_OK;
}

int cgym_env_fork(cgym_env **out, const cgym_env *env) {
  cgym_env *copy = NULL;
  cgym_env_options options = CGYM_ENV_OPTIONS_INIT;

  if (!out) return cgym_error_set(CGYM_EINVAL, "cgym_env_fork: out must not be NULL");
  *out = NULL;
  int rc = cgym_env_check_module(env, "cgym_env_fork");
  if (rc != CGYM_OK) return rc;

  options.actions = env->actions;
  options.pipeline_hook = env->pipeline_hook;
  options.pipeline_hook_context = env->pipeline_hook_context;
  options.verify_each_step = env->verify_steps;
  rc = cgym_env_create(&copy, &options);
  if (rc == CGYM_OK) rc = copy_episode(copy, env);
  if (rc == CGYM_OK) rc = cgym_env_restart(copy);
  if (rc == CGYM_OK) rc = cgym_env_replay(copy, env->history, env->history_count);
  if (rc != CGYM_OK) {
    cgym_env_free(copy);
    return rc;
  }

  memcpy(copy->last_rewards, env->last_rewards, sizeof copy->last_rewards);
  *out = copy;
  return CGYM_OK;
}

int cgym_env_verify(cgym_env *env, size_t *invalid_step) {
  int invalid = 0;
  int rc = cgym_env_check_module(env, "cgym_env_verify");
  if (rc != CGYM_OK) return rc;
  rc = cgym_llvm_module_verify_step(env->module, "the last step", &invalid);
  if (rc == CGYM_OK || !invalid) return rc;

  /* Replays with the verifier after every step; the replay stops at the first invalid module. */
  char verifier[512];
  snprintf(verifier, sizeof verifier, "%s", cgym_error_message());
  cgym_env *copy = NULL;
  cgym_env_options options = CGYM_ENV_OPTIONS_INIT;
  options.actions = env->actions;
  options.pipeline_hook = env->pipeline_hook;
  options.pipeline_hook_context = env->pipeline_hook_context;
  options.verify_each_step = 1;
  rc = cgym_env_create(&copy, &options);
  if (rc == CGYM_OK) rc = copy_episode(copy, env);
  if (rc == CGYM_OK) rc = cgym_env_restart(copy);
  int replay_rc = rc == CGYM_OK ? cgym_env_replay(copy, env->history, env->history_count) : rc;
  size_t found = copy ? copy->history_count : 0;
  cgym_env_free(copy);

  cgym_llvm_module_free(env->module);
  env->module = NULL;
  if (replay_rc != CGYM_OK && found < env->history_count) {
    if (invalid_step) *invalid_step = found;
    return cgym_error_set(CGYM_ELLVM, "step %zu ('%s') of the episode on '%s' leaves a module "
                          "that fails the LLVM verifier: %s", found + 1, step_name(env, found),
                          env->uri, cgym_error_message());
  }
  if (invalid_step) *invalid_step = env->history_count;
  return cgym_error_set(CGYM_ELLVM, "the module of '%s' fails the LLVM verifier, but a replay "
                        "with the verifier after every step found no invalid step: %s", env->uri,
                        verifier);
}
