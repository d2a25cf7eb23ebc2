#ifndef CGYM_HARNESS_IMPORT_INTERNAL_H
#define CGYM_HARNESS_IMPORT_INTERNAL_H

/* The replay of one suite's rows, shared by the replay and the writing of its outputs. */

#include "baselines/agent.h"
#include "harness/import.h"

typedef struct import_suite_run {
  cgym_suite *suite;
  cgym_prepared_suite *prepared;
  cgym_prepare_options prepare;  /* with the selection the manifest records */
  const char **only;             /* source suites: the selected names, borrowed from the rows */
  int generator;                 /* nonzero for a generator suite */
  cgym_agent agent;              /* CGYM_IMPORT_AGENT; never run, it names the episodes */
  cgym_episode_task *tasks;      /* count tasks; tasks[i] replays rows[i] */
  cgym_import_row **rows;
  const char ***actions;         /* per task: action names, NULL-terminated */
  const char ***pipelines;       /* per task: their pipeline strings */
  cgym_episode_record *records;  /* per task, filled by the workers */
  size_t count;
  uint64_t episodes_per_benchmark; /* maximum number of rows naming one benchmark */
  char started_at[32];           /* UTC time the replays started, ISO 8601 */
} import_suite_run;

/* Writes the current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void cgym_import_timestamp(char out[32]);

/* Writes OUT/SUITE/results.json, results.md and, with a key, manifest.dsse.json, whose
 * predicate is a run predicate (so `cgym verify --replay` replays it) with an "import" object
 * that contains the CSVs' SHA-256 and the rows' rewards. */
int cgym_import_write_suite(const cgym_import *import, const char *suite_name,
                            const cgym_import_options *options, const import_suite_run *run);

#endif
