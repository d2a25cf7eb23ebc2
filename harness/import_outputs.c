/*
 * The outputs of one imported suite: results.json and results.md as a run writes them, with the
 * import's episodes under the agent CGYM_IMPORT_AGENT, and a signed manifest. The manifest's
 * predicate is the run predicate of a run whose plan is the import (suite, selection, one
 * agent, seed 0), so `cgym verify --replay` re-runs each episode like any other. An "import"
 * object adds the CSVs' SHA-256 and each row's published and LLVM 19 rewards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgym/actions.h"
#include "cgym/version.h"
#include "datasets/cache.h"
#include "env/error_internal.h"
#include "harness/import_internal.h"
#include "harness/predicate.h"
#include "harness/run.h"
#include "manifests/manifest.h"

void cgym_import_timestamp(char out[32]) {
  time_t now = time(NULL);
  struct tm parts;
  gmtime_r(&now, &parts);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &parts);
}

/* The plan that the predicate records: what `cgym verify --replay` needs to prepare the same
 * benchmarks. */
static cgym_run_plan import_plan(const char *suite_name, const cgym_import_options *options,
                                 const import_suite_run *run, const cgym_agent **agents,
                                 const char *folder) {
  cgym_run_plan plan = {
      .suite = suite_name,
      .agents = agents,
      .agent_count = 1,
      .params = (cgym_agent_params)CGYM_AGENT_PARAMS_DEFAULT,
      .seed = 0,
      .episodes = run->episodes_per_benchmark,
      .out_dir = folder,
      .signing_key = options->signing_key,
      .prepare = run->prepare,
      .limits = options->limits,
      .quiet = 1,
  };
  return plan;
}

static int write_results(const cgym_run_plan *plan, const import_suite_run *run,
                         const char *folder) {
  return cgym_run_write_results(plan, run->suite, folder, run->records, run->count);
}

/* The predicate's "import" object: format, sources and this suite's rows. */
static json_t *import_json(const cgym_import *import, const char *suite_name) {
  json_t *object = cgym_import_rows_json(import, suite_name);
  if (!object) return NULL;
  json_t *head = json_pack("{s:s, s:o}", "format", "compilergym-state-csv", "sources",
                           cgym_import_sources_json(import));
  if (!head || json_object_update(head, object) != 0) {
    json_decref(head);
    json_decref(object);
    return NULL;
  }
  json_decref(object);
  return head;
}

static int write_manifest(const cgym_import *import, const char *suite_name,
                          const cgym_run_plan *plan, const import_suite_run *run) {
  char finished_at[32];
  json_t *predicate = NULL;
  char *manifest_path = cgym_format("%s/%s", plan->out_dir, CGYM_MANIFEST_FILE);
  if (!manifest_path) return cgym_error_set(CGYM_ENOMEM, "out of memory naming the manifest");

  cgym_import_timestamp(finished_at);
  int rc = cgym_run_predicate(plan, run->suite, run->prepared, run->records, run->count,
                              run->started_at, finished_at, &predicate);
  json_t *object = rc == CGYM_OK ? import_json(import, suite_name) : NULL;
  if (rc == CGYM_OK && (!object || json_object_set_new(predicate, "import", object) != 0))
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory building the import predicate");

  const char *subjects[] = {CGYM_RESULTS_JSON, CGYM_RESULTS_MARKDOWN};
  if (rc == CGYM_OK)
    rc = cgym_manifest_write(manifest_path, plan->signing_key, plan->out_dir, subjects, 2,
                             predicate);
  json_decref(predicate);
  free(manifest_path);
  return rc;
}

int cgym_import_write_suite(const cgym_import *import, const char *suite_name,
                            const cgym_import_options *options, const import_suite_run *run) {
  const cgym_agent *agents[] = {&run->agent};
  char *folder = cgym_format("%s/%s", options->out_dir, suite_name);
  if (!folder) return cgym_error_set(CGYM_ENOMEM, "out of memory naming the output folder");

  cgym_run_plan plan = import_plan(suite_name, options, run, agents, folder);
  int rc = cgym_make_dirs(folder);
  if (rc == CGYM_OK) rc = write_results(&plan, run, folder);
  if (rc == CGYM_OK && options->signing_key)
    rc = write_manifest(import, suite_name, &plan, run);
  free(folder);
  return rc;
}
