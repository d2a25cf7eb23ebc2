#ifndef CGYM_BASELINES_AGENT_H
#define CGYM_BASELINES_AGENT_H

/*
 * Baseline agents behind one interface. An agent drives an env that the caller has already reset
 * and appends what it did to an episode log. Agents know nothing of scheduling: the harness runs
 * each episode in its own process.
 *
 * Every agent starts with cgym_env_restart, so it begins from the benchmark as loaded whatever
 * was stepped before, and it needs an empty log (CGYM_EINVAL otherwise). When it returns CGYM_OK
 * the env is in the state after the last log entry, and replaying the log's pipelines from a
 * fresh parse gives the logged counts:
 *   oz      one step of "default<Oz>", logged under that name; the count equals C_Oz.
 *   random  up to episode_length uniformly random actions (cgym_rng_below), stopping after
 *           `patience` steps in a row without a new lowest count. The log keeps the prefix that
 *           reached the lowest count, which is empty when no step went below C0. A replay from a
 *           fresh parse then puts the env into that prefix's state.
 *   greedy  up to max_steps steps, each the action with the lowest probed count (lowest index
 *           among equals); stops when no probe lowers the count, or when the real step does not
 *           lower it, in which case that step is undone by a replay and left out of the log.
 */

#include <stddef.h>
#include <stdint.h>

#include "baselines/rng.h"
#include "cgym/env.h"

/* Agent parameters; every field is recorded in results and manifests. */
typedef struct cgym_agent_params {
  int64_t episode_length; /* random: maximum steps per episode, >= 0 */
  int64_t patience;       /* random: stop after this many steps without a new best count, >= 1 */
  int64_t max_steps;      /* greedy: maximum steps, >= 0 */
} cgym_agent_params;

#define CGYM_AGENT_PARAMS_DEFAULT {50, 20, 60}

/* What an agent did. actions[i] is the name of the i-th action in the final action list (static
 * strings from the action space, or "default<Oz>"), pipelines[i] its exact pipeline string,
 * counts[i] the instruction count after it. The final state is the one after the last entry. */
typedef struct cgym_episode_log {
  const char **actions;
  const char **pipelines;
  int64_t *counts;
  size_t length;
  size_t capacity;
  int64_t steps_taken; /* every step run, including those an agent later discarded (replays of
                          the log are not counted) */
} cgym_episode_log;

typedef int (*cgym_agent_run_fn)(cgym_env *env, const cgym_agent_params *params, cgym_rng *rng,
                                 cgym_episode_log *log);

typedef struct cgym_agent {
  const char *name;        /* "oz", "random", "greedy" */
  const char *description; /* one line for `cgym agents` */
  int uses_rng;            /* nonzero when the result depends on the seed */
  cgym_agent_run_fn run;
} cgym_agent;

/* Looks an agent up by name; CGYM_ENOTFOUND with the list of known agents otherwise. */
int cgym_agent_find(const char *name, const cgym_agent **agent);

/* Returns the table of agents and its length. */
const cgym_agent *cgym_agents(size_t *count);

/* Appends one entry to the log; the strings must outlive the log (static or action-space). */
int cgym_episode_log_append(cgym_episode_log *log, const char *action, const char *pipeline,
                            int64_t count);

/* Drops entries after the first `length`. */
void cgym_episode_log_truncate(cgym_episode_log *log, size_t length);

void cgym_episode_log_free(cgym_episode_log *log);

#endif
