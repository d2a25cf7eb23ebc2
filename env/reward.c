/*
 * Reward spaces: the formulas are in cgym/reward.h. Each selected space reads one of two costs;
 * a cost is tracked (its value after the previous step kept) only while a selected space reads
 * it, so an unselected ObjectTextSize reward never lowers the module to an object file.
 *
 * At the start of an episode the module is a fresh parse of the benchmark's bytes, so the
 * previous cost of the first step is the O0 baseline, which the process-wide cache usually has.
 */
#include "cgym/reward.h"

#include <string.h>

#include "env/env_internal.h"
#include "env/error_internal.h"
#include "env/llvm_module.h"
#include "env/spaces_internal.h"

/* cost_tracked values: no selected space reads the cost; previous_cost holds it; or the episode
 * just started and the previous cost is the O0 baseline, measured when the first step needs it. */
enum { UNTRACKED = 0, TRACKED = 1, AT_START = 2 };

/* Reward ids come in groups of four per cost: raw, Norm, O3, Oz. */
static cgym_cost cost_of(size_t reward) { return (cgym_cost)(reward / 4); }

int cgym_env_cost(cgym_env *env, cgym_cost cost, int64_t *value) {
  if (cost == CGYM_COST_IR) {
    if (!env->count_valid) {
      env->count = cgym_llvm_module_instruction_count(env->module);
      env->count_valid = 1;
    }
    *value = env->count;
    return CGYM_OK;
  }
  if (!env->text_size_valid) {
    int rc = cgym_llvm_module_text_size(env->module, &env->text_size);
    if (rc != CGYM_OK) return rc;
    env->text_size_valid = 1;
  }
  *value = env->text_size;
  return CGYM_OK;
}

int cgym_env_rewards_start(cgym_env *env) {
  memset(env->cost_tracked, 0, sizeof env->cost_tracked);
  memset(env->last_rewards, 0, sizeof env->last_rewards);
  for (size_t i = 0; i < env->reward_count; i++) env->cost_tracked[cost_of(env->rewards[i])] = AT_START;
  return CGYM_OK;
}

/* Stores the cost before the step that just ran. */
static int previous_cost(cgym_env *env, cgym_cost cost, int64_t *value) {
  if (env->cost_tracked[cost] == AT_START)
    return cgym_env_baseline(env, cost, CGYM_LEVEL_O0, value);
  *value = env->previous_cost[cost];
  return CGYM_OK;
}

/* The divisor of a reward: 1, max(C0, 1) or max(C0 - C_baseline, 1). */
static int scale_of(cgym_env *env, size_t reward, double *scale) {
  cgym_cost cost = cost_of(reward);
  int64_t c0 = 0, baseline = 0, divisor = 1;

  if (reward % 4 == 0) {
    *scale = 1;
    return CGYM_OK;
  }
  int rc = cgym_env_baseline(env, cost, CGYM_LEVEL_O0, &c0);
  if (rc != CGYM_OK) return rc;
  if (reward % 4 == 1) {
    divisor = c0;
  } else {
    rc = cgym_env_baseline(env, cost, reward % 4 == 2 ? CGYM_LEVEL_O3 : CGYM_LEVEL_OZ, &baseline);
    if (rc != CGYM_OK) return rc;
    divisor = c0 - baseline;
  }
  *scale = divisor < 1 ? 1.0 : (double)divisor;
  return CGYM_OK;
}

int cgym_env_rewards_update(cgym_env *env, double *reward) {
  int64_t before[CGYM_COST_COUNT] = {0}, after[CGYM_COST_COUNT] = {0};
  double values[CGYM_REWARD_SELECTION_MAX];

  for (int cost = 0; cost < CGYM_COST_COUNT; cost++) {
    if (env->cost_tracked[cost] == UNTRACKED) continue;
    int rc = previous_cost(env, (cgym_cost)cost, &before[cost]);
    if (rc == CGYM_OK) rc = cgym_env_cost(env, (cgym_cost)cost, &after[cost]);
    if (rc != CGYM_OK) return rc;
  }
  for (size_t i = 0; i < env->reward_count; i++) {
    double scale;
    int rc = scale_of(env, env->rewards[i], &scale);
    if (rc != CGYM_OK) return rc;
    cgym_cost cost = cost_of(env->rewards[i]);
    values[i] = (double)(before[cost] - after[cost]) / scale;
  }

  for (int cost = 0; cost < CGYM_COST_COUNT; cost++) {
    if (env->cost_tracked[cost] == UNTRACKED) continue;
    env->previous_cost[cost] = after[cost];
    env->cost_tracked[cost] = TRACKED;
  }
  memcpy(env->last_rewards, values, env->reward_count * sizeof values[0]);
  if (reward) *reward = env->reward_count > 0 ? values[0] : 0.0;
  return CGYM_OK;
}

/* Resolves names to reward ids, rejecting unknown and repeated names. */
static int resolve(const char *const *names, size_t count, size_t *ids) {
  for (size_t i = 0; i < count; i++) {
    int rc = cgym_reward_space_index(&ids[i], names[i]);
    if (rc != CGYM_OK) return rc;
    for (size_t j = 0; j < i; j++)
      if (ids[j] == ids[i])
        return cgym_error_set(CGYM_EINVAL, "reward space '%s' is selected twice; name each "
                              "space once", names[i]);
  }
  return CGYM_OK;
}

/* Starts tracking a cost that a new selection reads: from the current module mid-episode. */
static int track(cgym_env *env, cgym_cost cost, int *tracked, int64_t *values) {
  if (env->cost_tracked[cost] != UNTRACKED) {
    tracked[cost] = env->cost_tracked[cost];
    values[cost] = env->previous_cost[cost];
    return CGYM_OK;
  }
  if (!env->module || env->history_count == 0) {
    tracked[cost] = AT_START;
    return CGYM_OK;
  }
  tracked[cost] = TRACKED;
  return cgym_env_cost(env, cost, &values[cost]);
}

int cgym_env_select_rewards(cgym_env *env, const char *const *names, size_t count) {
  size_t ids[CGYM_REWARD_SELECTION_MAX];
  int tracked[CGYM_COST_COUNT] = {0};
  int64_t values[CGYM_COST_COUNT] = {0};

  if (!env || (!names && count > 0))
    return cgym_error_set(CGYM_EINVAL, "cgym_env_select_rewards: env and names must not be NULL");
  if (count > CGYM_REWARD_SELECTION_MAX)
    return cgym_error_set(CGYM_EINVAL, "expected 0 to %d reward spaces, got %zu",
                          CGYM_REWARD_SELECTION_MAX, count);

  int rc = resolve(names, count, ids);
  for (size_t i = 0; i < count && rc == CGYM_OK; i++)
    rc = track(env, cost_of(ids[i]), tracked, values);
  if (rc != CGYM_OK) return rc;

  memcpy(env->rewards, ids, count * sizeof ids[0]);
  env->reward_count = count;
  memcpy(env->cost_tracked, tracked, sizeof tracked);
  memcpy(env->previous_cost, values, sizeof values);
  memset(env->last_rewards, 0, sizeof env->last_rewards);
  return CGYM_OK;
}

int cgym_env_reward_count(size_t *count, const cgym_env *env) {
  if (!count || !env)
    return cgym_error_set(CGYM_EINVAL, "cgym_env_reward_count: count and env must not be NULL");
  *count = env->reward_count;
  return CGYM_OK;
}

int cgym_env_last_rewards(double *out, size_t count, const cgym_env *env) {
  if (!out || !env)
    return cgym_error_set(CGYM_EINVAL, "cgym_env_last_rewards: out and env must not be NULL");
  if (count != env->reward_count)
    return cgym_error_set(CGYM_EINVAL, "expected count %zu, the number of selected reward "
                          "spaces, got %zu", env->reward_count, count);
  memcpy(out, env->last_rewards, count * sizeof out[0]);
  return CGYM_OK;
}
