/*
 * The agent table and what every agent shares: starting from the benchmark as loaded, stepping
 * with a log entry per step, and replaying a log to go back to one of its states.
 */
#include <string.h>

#include "baselines/agent_internal.h"
#include "env/error_internal.h"

static const cgym_agent agents[] = {
    {"oz", "one step of LLVM's default<Oz> pipeline, the -Oz baseline", 0, cgym_agent_run_oz},
    {"random", "uniformly random actions; keeps the prefix that reached the lowest count", 1,
     cgym_agent_run_random},
    {"greedy", "each step takes the action whose probe gives the lowest count", 0,
     cgym_agent_run_greedy},
};

#define AGENT_COUNT (sizeof agents / sizeof agents[0])

const cgym_agent *cgym_agents(size_t *count) {
  *count = AGENT_COUNT;
  return agents;
}

int cgym_agent_find(const char *name, const cgym_agent **agent) {
  for (size_t i = 0; name && i < AGENT_COUNT; i++) {
    if (strcmp(agents[i].name, name) == 0) {
      *agent = &agents[i];
      return CGYM_OK;
    }
  }
  return cgym_error_set(CGYM_ENOTFOUND, "unknown agent '%s'; known agents: oz, random, greedy",
                        name ? name : "(null)");
}

int cgym_agent_begin(cgym_env *env, const cgym_episode_log *log, const char *agent) {
  if (log->length != 0)
    return cgym_error_set(CGYM_EINVAL, "agent '%s' needs an empty episode log, got one with %zu "
                          "entries", agent, log->length);
  return cgym_env_restart(env);
}

int cgym_agent_step(cgym_env *env, size_t action, cgym_episode_log *log, int64_t *count) {
  const cgym_action *chosen = cgym_action_space_get(cgym_env_action_space(env), action);

  int rc = cgym_env_step(env, action, NULL);
  if (rc == CGYM_OK) rc = cgym_env_instruction_count(env, count);
  if (rc == CGYM_OK) rc = cgym_episode_log_append(log, chosen->name, chosen->pipeline, *count);
  if (rc == CGYM_OK) log->steps_taken++;
  return rc;
}

int cgym_agent_replay(cgym_env *env, const cgym_episode_log *log) {
  int rc = cgym_env_restart(env);

  for (size_t i = 0; rc == CGYM_OK && i < log->length; i++) {
    int64_t count = 0;
    rc = cgym_env_step_pipeline(env, log->pipelines[i], NULL);
    if (rc == CGYM_OK) rc = cgym_env_instruction_count(env, &count);
    if (rc == CGYM_OK && count != log->counts[i])
      rc = cgym_error_set(CGYM_ELLVM, "replaying step %zu ('%s') gave %lld instructions, but the "
                          "episode recorded %lld; the pipeline is not deterministic", i + 1,
                          log->actions[i], (long long)count, (long long)log->counts[i]);
  }
  return rc;
}
