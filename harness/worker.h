#ifndef CGYM_HARNESS_WORKER_H
#define CGYM_HARNESS_WORKER_H

/*
 * Isolated episodes: every episode runs in a forked worker process with a wall-clock limit and a
 * memory limit, so an LLVM crash, fatal error, hang or runaway allocation ends only that episode.
 * The supervisor records how the worker ended and which pipeline it had started last, and the run
 * goes on with the other episodes.
 */

#include <stddef.h>
#include <stdint.h>

#include "baselines/agent.h"
#include "results/results.h"

typedef struct cgym_episode_task {
  const char *suite_name;
  const char *benchmark_uri;
  const char *benchmark_path;
  const char *benchmark_sha256;
  const cgym_agent *agent;
  const cgym_agent_params *params;
  uint64_t seed;
  uint64_t episode;
  const cgym_action_space *actions; /* the agent's action space; NULL for the pass space */
  /* Replay: when replay is nonzero the worker steps these recorded actions in order instead of
   * running the agent; agent then only names the episode's agent. */
  int replay;
  const char *const *replay_actions;
  const char *const *replay_pipelines;
  size_t replay_count;
} cgym_episode_task;

typedef struct cgym_worker_limits {
  unsigned timeout_seconds;     /* wall-clock limit per episode; 0 means none */
  uint64_t memory_limit_bytes;  /* address-space limit per worker; 0 means none */
  unsigned jobs;                /* workers running at once, at least 1 */
} cgym_worker_limits;

/* Called after each episode ends, in completion order, with the number finished so far. */
typedef void (*cgym_worker_progress)(void *context, const cgym_episode_task *task,
                                     const cgym_episode_record *record, size_t finished,
                                     size_t total);

/* Called after each poll of the running workers, about every 200 ms while any run, with the
 * episode that has run longest and its wall time so far in seconds. */
typedef void (*cgym_worker_heartbeat)(void *context, const cgym_episode_task *longest,
                                      double longest_seconds, size_t running, size_t finished,
                                      size_t total);

/*
 * Runs every task and fills records[i] for tasks[i] (records must hold count entries). Episodes
 * that crash, fail or time out still get a record with their status. progress and heartbeat may
 * be NULL; both get progress_context. Returns CGYM_OK unless the supervisor itself failed (fork,
 * pipe, memory).
 */
int cgym_worker_run_all(const cgym_episode_task *tasks, size_t count,
                        const cgym_worker_limits *limits, cgym_episode_record *records,
                        cgym_worker_progress progress, cgym_worker_heartbeat heartbeat,
                        void *progress_context);

/* Returns the time in seconds on the monotonic clock that episode wall times are measured by. */
double cgym_monotonic_seconds(void);

#endif
