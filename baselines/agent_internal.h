#ifndef CGYM_BASELINES_AGENT_INTERNAL_H
#define CGYM_BASELINES_AGENT_INTERNAL_H

/* What the agent files share: their run functions and the replay that undoes discarded steps. */

#include "baselines/agent.h"
#include "cgym/error.h"

int cgym_agent_run_oz(cgym_env *env, const cgym_agent_params *params, cgym_rng *rng,
                      cgym_episode_log *log);
int cgym_agent_run_random(cgym_env *env, const cgym_agent_params *params, cgym_rng *rng,
                          cgym_episode_log *log);
int cgym_agent_run_greedy(cgym_env *env, const cgym_agent_params *params, cgym_rng *rng,
                          cgym_episode_log *log);

/* Checks that the log is empty and restarts the env, so the agent starts from the benchmark as
 * loaded. Errors: CGYM_EINVAL for a log with entries, and those of cgym_env_restart. */
int cgym_agent_begin(cgym_env *env, const cgym_episode_log *log, const char *agent);

/* Restarts the env and steps every pipeline in the log, checking that each step gives the count
 * the log recorded, so the env ends in the log's final state. Errors: those of the env, and
 * CGYM_ELLVM when a count differs. */
int cgym_agent_replay(cgym_env *env, const cgym_episode_log *log);

/* Steps one action and appends it to the log with the count after it. */
int cgym_agent_step(cgym_env *env, size_t action, cgym_episode_log *log, int64_t *count);

#endif
