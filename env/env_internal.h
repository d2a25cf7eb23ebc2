#ifndef CGYM_ENV_ENV_INTERNAL_H
#define CGYM_ENV_ENV_INTERNAL_H

/* The env's fields, shared by the files that implement its parts: env.c (episodes and steps),
 * baseline.c, observation.c, reward.c and state.c. */

#include <stddef.h>
#include <stdint.h>

#include "cgym/env.h"
#include "cgym/reward.h"
#include "cgym/state.h"
#include "env/llvm_module.h"

/* The two costs that rewards and baselines measure. */
typedef enum cgym_cost { CGYM_COST_IR = 0, CGYM_COST_TEXT = 1, CGYM_COST_COUNT = 2 } cgym_cost;

/* The baseline levels: the benchmark as loaded, and after default<O3> and default<Oz>. */
typedef enum cgym_level {
  CGYM_LEVEL_O0 = 0, CGYM_LEVEL_O3 = 1, CGYM_LEVEL_OZ = 2, CGYM_LEVEL_COUNT = 3
} cgym_level;

/* One step of the episode: an action index, or a pipeline when action is CGYM_STEP_PIPELINE.
 * A function or loop step stores the index of an action of its own space, and its target. */
#define CGYM_STEP_PIPELINE ((size_t)-1)
typedef struct cgym_step_record {
  size_t action;
  char *pipeline; /* owned; NULL for an action */
  cgym_step_kind kind;
  size_t target;
} cgym_step_record;

struct cgym_env {
  const cgym_action_space *actions;
  cgym_pipeline_hook pipeline_hook;
  void *pipeline_hook_context;
  int verify_steps; /* nonzero: run the verifier after each step and probe */
  /* A copy of the current module in its own LLVMContext, which probes clone; NULL until the
   * first probe after a change of the module. */
  struct cgym_llvm_module *probe_base;

  /* The episode, all unset before the first successful reset. */
  char *uri;
  unsigned char *file_bytes; /* the module file as reset read it */
  size_t file_size;
  char sha256[65];           /* of file_bytes */
  cgym_llvm_module *module;  /* NULL before reset and after a step that broke the module */
  int64_t count;             /* IR instruction count of module, valid when count_valid */
  int count_valid;           /* counting walks every instruction, so it waits until needed */
  int64_t text_size;         /* .text size of module, valid when text_size_valid */
  int text_size_valid;

  /* Baselines of the benchmark, [cost][level], valid where bit cost * 3 + level is set. */
  int64_t baselines[CGYM_COST_COUNT][CGYM_LEVEL_COUNT];
  unsigned baselines_known;

  /* Steps since the last reset or restart. */
  cgym_step_record *history;
  size_t history_count, history_capacity;

  /* Selected reward spaces (cgym_reward_id values) and the cost each tracks. */
  size_t rewards[CGYM_REWARD_SELECTION_MAX];
  size_t reward_count;
  double last_rewards[CGYM_REWARD_SELECTION_MAX];
  int64_t previous_cost[CGYM_COST_COUNT]; /* valid where cost_tracked is set */
  int cost_tracked[CGYM_COST_COUNT];
};

/* Calls the pipeline hook, when there is one, before LLVM runs pipeline. */
void cgym_env_announce(const cgym_env *env, const char *pipeline);

/* Returns CGYM_OK when the env has a module that steps and observations can use; call names the
 * public function in messages. */
int cgym_env_check_module(const cgym_env *env, const char *call);

/* Stores a baseline of the current benchmark, measuring it on first use (baseline.c). */
int cgym_env_baseline(cgym_env *env, cgym_cost cost, cgym_level level, int64_t *value);

/* Stores a baseline found in the process-wide cache for the env's benchmark bytes in the env;
 * returns 1 when it was found (baseline.c). */
int cgym_env_baseline_cached(cgym_env *env, cgym_cost cost, cgym_level level);

/* Stores the cost of the current module, measuring the .text size once per module state. */
int cgym_env_cost(cgym_env *env, cgym_cost cost, int64_t *value);

/* Starts reward tracking over for a new episode: every tracked cost starts at its current value
 * and the last rewards are 0 (reward.c). */
int cgym_env_rewards_start(cgym_env *env);

/* Computes the selected rewards after a step and stores the first in *reward when not NULL. */
int cgym_env_rewards_update(cgym_env *env, double *reward);

/* Records and runs one step: an action of the env's space (or a pipeline when action is
 * CGYM_STEP_PIPELINE) on the module, or an action of the function or loop space on target.
 * The history gets room before LLVM runs, so a step that changed the module is always recorded;
 * a failed step is taken off again (env.c). */
int cgym_env_run_step(cgym_env *env, cgym_step_kind kind, size_t target, size_t action,
                      const char *pipeline, double *reward);

/* Returns the action space that steps of a kind take their actions from: the env's own space
 * for module steps, the function pass or loop unroll space for the finer steps. */
const cgym_action_space *cgym_env_step_space(const cgym_env *env, cgym_step_kind kind);

/* Runs recorded steps in order on the env, which has just restarted, recording them again; stops
 * at the first that fails and returns its error (env.c). */
int cgym_env_replay(cgym_env *env, const cgym_step_record *records, size_t count);

/* Frees the step history and empties it. */
void cgym_env_history_clear(cgym_env *env);

#endif
