/*
 * Episode records: the status names used in results.json and results.md, and the functions that
 * release a record's strings.
 */
#include "results/results.h"

#include <stdlib.h>
#include <string.h>

#include "results/results_internal.h"

static const char *const status_names[] = {
  [CGYM_EPISODE_OK] = "ok",
  [CGYM_EPISODE_CRASHED] = "crashed",
  [CGYM_EPISODE_FAILED] = "failed",
  [CGYM_EPISODE_TIMED_OUT] = "timed_out",
  [CGYM_EPISODE_OUT_OF_MEMORY] = "out_of_memory",
};

#define STATUS_COUNT (sizeof status_names / sizeof status_names[0])

const char *cgym_episode_status_name(cgym_episode_status status) {
  if ((unsigned)status >= STATUS_COUNT) return "unknown";
  return status_names[status];
}

int cgym_episode_status_parse(const char *name, cgym_episode_status *status) {
  for (size_t i = 0; i < STATUS_COUNT; i++) {
    if (strcmp(name, status_names[i]) == 0) {
      *status = (cgym_episode_status)i;
      return 1;
    }
  }
  return 0;
}

void cgym_episode_record_clear(cgym_episode_record *record) {
  if (!record) return;

  free(record->benchmark_uri);
  free(record->benchmark_sha256);
  free(record->agent);
  free(record->failed_pipeline);
  free(record->message);
  free(record->final_sha256);
  for (size_t i = 0; i < record->action_count; i++) {
    if (record->actions) free(record->actions[i]);
    if (record->pipelines) free(record->pipelines[i]);
  }
  free(record->actions);
  free(record->pipelines);
  memset(record, 0, sizeof *record);
}

void cgym_results_free(cgym_episode_record *records, size_t count) {
  if (!records) return;

  for (size_t i = 0; i < count; i++) cgym_episode_record_clear(&records[i]);
  free(records);
}
