/*
 * The episode log: three parallel arrays that grow together, so entry i is always complete.
 */
#include <stdlib.h>

#include "baselines/agent.h"
#include "env/error_internal.h"

static int grow(cgym_episode_log *log) {
  size_t capacity = log->capacity ? log->capacity * 2 : 16;

  const char **actions = realloc(log->actions, capacity * sizeof *actions);
  if (!actions) return CGYM_ENOMEM;
  log->actions = actions;
  const char **pipelines = realloc(log->pipelines, capacity * sizeof *pipelines);
  if (!pipelines) return CGYM_ENOMEM;
  log->pipelines = pipelines;
  int64_t *counts = realloc(log->counts, capacity * sizeof *counts);
  if (!counts) return CGYM_ENOMEM;
  log->counts = counts;

  log->capacity = capacity;
  return CGYM_OK;
}

int cgym_episode_log_append(cgym_episode_log *log, const char *action, const char *pipeline,
                            int64_t count) {
  if (log->length == log->capacity && grow(log) != CGYM_OK)
    return cgym_error_set(CGYM_ENOMEM, "out of memory growing the episode log past %zu entries",
                          log->length);

  log->actions[log->length] = action;
  log->pipelines[log->length] = pipeline;
  log->counts[log->length] = count;
  log->length++;
  return CGYM_OK;
}

void cgym_episode_log_truncate(cgym_episode_log *log, size_t length) {
  if (length < log->length) log->length = length;
}

void cgym_episode_log_free(cgym_episode_log *log) {
  if (!log) return;
  free(log->actions);
  free(log->pipelines);
  free(log->counts);
  *log = (cgym_episode_log){0};
}
