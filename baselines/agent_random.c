/*
 * The random agent: uniformly random actions until `patience` steps in a row bring no new lowest
 * count, or `episode_length` steps. Its result is the prefix of steps that reached the lowest
 * count. The env is then put back into the state after that prefix by replaying it from a fresh
 * parse, which is what a later replay of the record does too.
 */
#include "baselines/agent_internal.h"
#include "env/error_internal.h"

static int check_params(const cgym_agent_params *params) {
  if (params->episode_length < 0)
    return cgym_error_set(CGYM_EINVAL, "random agent: episode_length must be >= 0, got %lld",
                          (long long)params->episode_length);
  if (params->patience < 1)
    return cgym_error_set(CGYM_EINVAL, "random agent: patience must be >= 1, got %lld",
                          (long long)params->patience);
  return CGYM_OK;
}

int cgym_agent_run_random(cgym_env *env, const cgym_agent_params *params, cgym_rng *rng,
                          cgym_episode_log *log) {
  uint64_t size = cgym_action_space_size(cgym_env_action_space(env));
  int64_t best = 0, count = 0, since_best = 0;
  size_t best_length = 0;

  int rc = check_params(params);
  if (rc == CGYM_OK) rc = cgym_agent_begin(env, log, "random");
  if (rc == CGYM_OK) rc = cgym_env_instruction_count(env, &best);
  if (rc != CGYM_OK) return rc;

  for (int64_t step = 0; step < params->episode_length; step++) {
    size_t action = (size_t)cgym_rng_below(rng, size);
    rc = cgym_agent_step(env, action, log, &count);
    if (rc != CGYM_OK) return rc;

    if (count < best) {
      best = count;
      best_length = log->length;
      since_best = 0;
    } else if (++since_best >= params->patience) {
      break;
    }
  }

  if (best_length == log->length) return CGYM_OK;
  cgym_episode_log_truncate(log, best_length);
  return cgym_agent_replay(env, log);
}
