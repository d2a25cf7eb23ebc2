/*
 * The greedy agent: before each step it probes every action on a copy of the current module and
 * steps the one with the lowest probed count, the lowest index among equals. It stops after
 * max_steps, when no probe lowers the count, or when the real step does not lower it. Probes run
 * on an LLVMCloneModule copy, which need not evolve exactly like the env's module, so the real
 * step can disagree with its probe. Such a step is undone by replaying the log without it.
 */
#include "baselines/agent_internal.h"
#include "env/error_internal.h"

/* Returns the action with the lowest probed count below `current` in *best, or size when none.
 * A probe that LLVM rejects or that leaves an invalid copy only rules that action out. */
static int choose(cgym_env *env, int64_t current, size_t *best) {
  size_t size = cgym_action_space_size(cgym_env_action_space(env));
  int64_t best_count = current;

  *best = size;
  for (size_t action = 0; action < size; action++) {
    int64_t count;
    int rc = cgym_env_probe(env, action, &count);
    if (rc == CGYM_ELLVM) continue;
    if (rc != CGYM_OK) return rc;
    if (count < best_count) {
      best_count = count;
      *best = action;
    }
  }
  return CGYM_OK;
}

int cgym_agent_run_greedy(cgym_env *env, const cgym_agent_params *params, cgym_rng *rng,
                          cgym_episode_log *log) {
  (void)rng;
  size_t size = cgym_action_space_size(cgym_env_action_space(env));
  int64_t current = 0, count = 0;

  if (params->max_steps < 0)
    return cgym_error_set(CGYM_EINVAL, "greedy agent: max_steps must be >= 0, got %lld",
                          (long long)params->max_steps);
  int rc = cgym_agent_begin(env, log, "greedy");
  if (rc == CGYM_OK) rc = cgym_env_instruction_count(env, &current);
  if (rc != CGYM_OK) return rc;

  for (int64_t step = 0; step < params->max_steps; step++) {
    size_t action;
    rc = choose(env, current, &action);
    if (rc != CGYM_OK) return rc;
    if (action == size) break;

    rc = cgym_agent_step(env, action, log, &count);
    if (rc != CGYM_OK) return rc;
    if (count >= current) {
      cgym_episode_log_truncate(log, log->length - 1);
      return cgym_agent_replay(env, log);
    }
    current = count;
  }
  return CGYM_OK;
}
