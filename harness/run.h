#ifndef CGYM_HARNESS_RUN_H
#define CGYM_HARNESS_RUN_H

/*
 * A run: every agent on every benchmark of a suite, `episodes` times each, with one seed. The run
 * writes results.json and results.md into its output folder and, given a signing key, a signed
 * manifest (manifest.dsse.json) whose subjects are those two files.
 */

#include <stddef.h>
#include <stdint.h>

#include "baselines/agent.h"
#include "datasets/datasets.h"
#include "harness/worker.h"

#define CGYM_RESULTS_JSON "results.json"
#define CGYM_RESULTS_MARKDOWN "results.md"
#define CGYM_MANIFEST_FILE "manifest.dsse.json"

typedef struct cgym_run_plan {
  const char *suite;              /* built-in name or definition file */
  const cgym_agent **agents;
  size_t agent_count;
  cgym_agent_params params;
  uint64_t seed;
  uint64_t episodes;              /* episodes per (benchmark, agent) */
  const char *out_dir;
  const char *signing_key;        /* optional private key file */
  cgym_prepare_options prepare;
  cgym_worker_limits limits;
  int quiet;                      /* no progress output */
  int no_table;                   /* do not print the results table to stdout */
  /* The agents' action space: NULL for the pass action space. cgym_run_execute sets it to the
   * suite's subset when the suite declares "actions". */
  const cgym_action_space *actions;
} cgym_run_plan;

/* Returns the plan's action space: plan->actions, or the pass action space. */
const cgym_action_space *cgym_run_action_space(const cgym_run_plan *plan);

/* Executes the plan. Prints progress to stderr and the results table to stdout. Returns a
 * library error code; episode failures are recorded, not returned. */
int cgym_run_execute(const cgym_run_plan *plan);

/* Writes results.json and results.md for records into folder (which must exist), with the run
 * facts of plan and suite at the top of results.json. */
int cgym_run_write_results(const cgym_run_plan *plan, const cgym_suite *suite,
                           const char *folder, const cgym_episode_record *records, size_t count);

#endif
