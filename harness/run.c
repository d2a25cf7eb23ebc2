/*
 * The main job: prepare a suite, run every agent on every benchmark in isolated workers, write
 * the results and sign a manifest over them.
 *
 * Everything that reaches results.json comes from the workers' measurements; the run adds only
 * the plan (suite, agents, parameters, seed) and, in the manifest's "environment" object, the
 * timestamps and host description that a determinism check leaves out.
 */
#include "harness/run.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgym/actions.h"
#include "cgym/version.h"
#include "env/error_internal.h"
#include "harness/predicate.h"
#include "harness/progress.h"
#include "manifests/manifest.h"
#include "results/results.h"

static void utc_timestamp(char out[32]) {
  time_t now = time(NULL);
  struct tm parts;
  gmtime_r(&now, &parts);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &parts);
}

/* Creates a folder and its parents, like mkdir -p. */
static int make_folders(const char *path) {
  char *copy = strdup(path);
  if (!copy) return cgym_error_set(CGYM_ENOMEM, "out of memory");
  for (char *slash = copy + 1; *slash; slash++) {
    if (*slash != '/') continue;
    *slash = '\0';
    if (mkdir(copy, 0755) != 0 && errno != EEXIST) break;
    *slash = '/';
  }
  int failed = mkdir(copy, 0755) != 0 && errno != EEXIST;
  free(copy);
  if (failed) {
    return cgym_error_set(CGYM_EIO, "cannot create output folder '%s': %s; choose another --out",
                          path, strerror(errno));
  }
  return CGYM_OK;
}

static void print_stage(void *context, const char *message) {
  const cgym_run_plan *plan = context;
  if (!plan->quiet) fprintf(stderr, "cgym: %s\n", message);
}

static cgym_episode_task *plan_tasks(const cgym_run_plan *plan, const cgym_suite *suite,
                                     const cgym_prepared_suite *prepared, size_t *count) {
  *count = prepared->benchmark_count * plan->agent_count * plan->episodes;
  cgym_episode_task *tasks = calloc(*count ? *count : 1, sizeof *tasks);
  if (!tasks) return NULL;
  size_t next = 0;
  for (size_t b = 0; b < prepared->benchmark_count; b++) {
    const cgym_benchmark *benchmark = &prepared->benchmarks[b];
    for (size_t a = 0; a < plan->agent_count; a++) {
      for (uint64_t episode = 0; episode < plan->episodes; episode++) {
        tasks[next++] = (cgym_episode_task){
            .suite_name = cgym_suite_name(suite),
            .benchmark_uri = benchmark->uri,
            .benchmark_path = benchmark->bitcode_path,
            .benchmark_sha256 = benchmark->bitcode_sha256,
            .agent = plan->agents[a],
            .params = &plan->params,
            .seed = plan->seed,
            .episode = episode,
            .actions = plan->actions,
        };
      }
    }
  }
  return tasks;
}

static char *join_path(const char *dir, const char *name) {
  size_t size = strlen(dir) + strlen(name) + 2;
  char *path = malloc(size);
  if (path) snprintf(path, size, "%s/%s", dir, name);
  return path;
}

const cgym_action_space *cgym_run_action_space(const cgym_run_plan *plan) {
  return plan->actions ? plan->actions : cgym_action_space_passes();
}

int cgym_run_write_results(const cgym_run_plan *plan, const cgym_suite *suite,
                           const char *folder, const cgym_episode_record *records, size_t count) {
  const cgym_action_space *space = cgym_run_action_space(plan);
  json_t *agents = cgym_run_agents_json(plan);
  char *agents_text = json_dumps(agents, JSON_COMPACT);
  json_decref(agents);
  cgym_run_info info = {
      .cgym_version = CGYM_VERSION,
      .llvm_version = CGYM_LLVM_VERSION,
      .action_space_id = cgym_action_space_id(space),
      .action_space_hash = cgym_action_space_hash(space),
      .suite_name = cgym_suite_name(suite),
      .suite_version = cgym_suite_version(suite),
      .suite_sha256 = cgym_suite_definition_sha256(suite),
      .seed = plan->seed,
      .agents_json = agents_text,
  };
  char *json_path = join_path(folder, CGYM_RESULTS_JSON);
  char *markdown_path = join_path(folder, CGYM_RESULTS_MARKDOWN);

  int rc = CGYM_OK;
  if (!agents_text || !json_path || !markdown_path)
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory writing the results of %s", folder);
  if (rc == CGYM_OK) rc = cgym_results_write_json(json_path, &info, records, count);
  if (rc == CGYM_OK) rc = cgym_results_write_markdown(markdown_path, records, count);
  free(agents_text);
  free(json_path);
  free(markdown_path);
  return rc;
}

/* Writes results.json, results.md and, with a key, the signed manifest. */
static int write_outputs(const cgym_run_plan *plan, const cgym_suite *suite,
                         const cgym_prepared_suite *prepared, const cgym_episode_record *records,
                         size_t count, const char *started_at) {
  int rc = cgym_run_write_results(plan, suite, plan->out_dir, records, count);
  if (rc != CGYM_OK) return rc;

  char *manifest_path = join_path(plan->out_dir, CGYM_MANIFEST_FILE);
  if (!manifest_path) return cgym_error_set(CGYM_ENOMEM, "out of memory naming the manifest");
  if (!plan->signing_key) {
    /* A manifest left by an earlier run would name result files that no longer match it. */
    if (unlink(manifest_path) == 0 && !plan->quiet)
      fprintf(stderr, "cgym: removed %s of an earlier run, which these results replace\n",
              manifest_path);
    free(manifest_path);
    return CGYM_OK;
  }
  char finished_at[32];
  utc_timestamp(finished_at);
  json_t *predicate = NULL;
  rc = cgym_run_predicate(plan, suite, prepared, records, count, started_at, finished_at,
                          &predicate);
  if (rc == CGYM_OK) {
    const char *subjects[] = {CGYM_RESULTS_JSON, CGYM_RESULTS_MARKDOWN};
    rc = cgym_manifest_write(manifest_path, plan->signing_key, plan->out_dir, subjects, 2,
                             predicate);
  }
  json_decref(predicate);
  free(manifest_path);
  return rc;
}

static void print_table(const cgym_episode_record *records, size_t count) {
  char *table = NULL;
  if (cgym_results_format_markdown(records, count, &table) == CGYM_OK) {
    fputs(table, stdout);
    fflush(stdout);
  }
  free(table);
}

/* Rejects options the suite cannot honour, so they are never silently ignored. */
static int check_plan_fits_suite(const cgym_run_plan *plan, const cgym_suite *suite) {
  if (plan->prepare.generator_count > 0 && strcmp(cgym_suite_kind(suite), "generator") != 0) {
    return cgym_error_set(CGYM_EINVAL, "--generator-seeds applies to generator suites such as "
                          "csmith-v0, but suite '%s' is a %s suite; drop the option or use "
                          "--benchmarks", plan->suite, cgym_suite_kind(suite));
  }
  return CGYM_OK;
}

/* Makes the suite's action subset, when it declares one, into *subset; NULL otherwise. */
static int make_subset(const cgym_suite *suite, cgym_action_space **subset) {
  size_t count = 0;
  const char *const *names = cgym_suite_action_subset(suite, &count);
  *subset = NULL;
  if (count == 0) return CGYM_OK;
  return cgym_action_space_subset(cgym_action_space_passes(), names, count, subset);
}

int cgym_run_execute(const cgym_run_plan *requested) {
  cgym_run_plan effective = *requested;
  const cgym_run_plan *plan = &effective;
  cgym_action_space *subset = NULL;
  cgym_suite *suite = NULL;
  cgym_prepared_suite *prepared = NULL;
  cgym_episode_task *tasks = NULL;
  cgym_episode_record *records = NULL;
  size_t count = 0;
  char started_at[32];
  utc_timestamp(started_at);

  int rc = cgym_suite_open(&suite, plan->suite);
  if (rc == CGYM_OK) rc = check_plan_fits_suite(plan, suite);
  if (rc == CGYM_OK) rc = make_subset(suite, &subset);
  if (subset) effective.actions = subset;
  if (rc == CGYM_OK) rc = make_folders(plan->out_dir);
  if (rc != CGYM_OK) goto done;

  cgym_prepare_options prepare = plan->prepare;
  prepare.progress = print_stage;
  prepare.progress_context = (void *)plan;
  rc = cgym_suite_prepare(suite, &prepare, &prepared);
  if (rc != CGYM_OK) goto done;
  for (size_t i = 0; i < prepared->excluded_count; i++) {
    fprintf(stderr, "cgym: %s is excluded: %s\n", prepared->excluded[i].uri,
            prepared->excluded[i].reason ? prepared->excluded[i].reason : "no reason recorded");
  }
  if (prepared->benchmark_count == 0 && prepared->unbuilt_count > 0) {
    rc = cgym_error_set(CGYM_EINVAL, "suite '%s' builds each of its %zu benchmarks the first "
                        "time it is named; name the ones to run with --benchmarks NAME,...",
                        plan->suite, prepared->unbuilt_count);
    goto done;
  }
  if (prepared->benchmark_count == 0) {
    rc = cgym_error_set(CGYM_EINVAL, "suite '%s' has no benchmarks to run", plan->suite);
    goto done;
  }

  tasks = plan_tasks(plan, suite, prepared, &count);
  records = calloc(count ? count : 1, sizeof *records);
  if (!tasks || !records) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory for %zu episodes", count);
    goto done;
  }
  if (!plan->quiet) {
    fprintf(stderr, "cgym: running %zu episodes (%zu benchmarks x %zu agents x %llu) on %u jobs\n",
            count, prepared->benchmark_count, plan->agent_count,
            (unsigned long long)plan->episodes, plan->limits.jobs);
  }
  cgym_progress progress;
  cgym_progress_init(&progress, stderr, plan->quiet);
  rc = cgym_worker_run_all(tasks, count, &plan->limits, records, cgym_progress_episode,
                           cgym_progress_running, &progress);
  if (rc != CGYM_OK) goto done;

  rc = write_outputs(plan, suite, prepared, records, count, started_at);
  if (rc == CGYM_OK && !plan->no_table) print_table(records, count);

done:
  if (records) {
    for (size_t i = 0; i < count; i++) cgym_episode_record_clear(&records[i]);
  }
  free(records);
  free(tasks);
  cgym_prepared_suite_free(prepared);
  cgym_suite_free(suite);
  cgym_action_space_free(subset);
  return rc;
}
