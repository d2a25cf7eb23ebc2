/*
 * `cgym reproduce MANIFEST`: re-runs the plan recorded in a manifest (suite, selection, agents
 * with their parameters, seed, episode count, limits) into a new folder with a new manifest, and
 * compares the new run with the recorded one.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgym/error.h"
#include "env/error_internal.h"
#include "harness/cli.h"
#include "harness/compare.h"
#include "harness/run.h"
#include "manifests/manifest.h"

#define MAX_AGENTS 16
#define MAX_ONLY 4096

enum { OPT_MIRROR = 1000, OPT_CACHE, OPT_OFFLINE };

static const struct option reproduce_options[] = {
    {"out", required_argument, NULL, 'o'},
    {"key", required_argument, NULL, 'k'},
    {"jobs", required_argument, NULL, 'j'},
    {"export-markdown", required_argument, NULL, 'm'},
    {"mirror", required_argument, NULL, OPT_MIRROR},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"offline", no_argument, NULL, OPT_OFFLINE},
    {"quiet", no_argument, NULL, 'q'},
    {NULL, 0, NULL, 0},
};

static int64_t parameter(json_t *agents, const char *name, int64_t fallback) {
  size_t i;
  json_t *agent;
  json_array_foreach(agents, i, agent) {
    json_t *value = json_object_get(json_object_get(agent, "parameters"), name);
    if (json_is_integer(value)) return json_integer_value(value);
  }
  return fallback;
}

/* Fills the plan's suite, agents, parameters, seed, episodes, selection and limits. */
static int plan_from_predicate(json_t *predicate, cgym_run_plan *plan, const cgym_agent **agents,
                               const char **only) {
  json_t *list = json_object_get(predicate, "agents");
  json_t *selection = json_object_get(json_object_get(predicate, "suite"), "selection");
  json_t *limits = json_object_get(predicate, "limits");

  plan->suite = cgym_predicate_string(predicate, "suite.source");
  if (!plan->suite) plan->suite = cgym_predicate_string(predicate, "suite.name");
  if (!plan->suite || !json_is_array(list) || json_array_size(list) > MAX_AGENTS)
    return cgym_error_set(CGYM_EFORMAT, "the predicate has no suite or no agent list of at most "
                          "%d agents", MAX_AGENTS);
  for (size_t i = 0; i < json_array_size(list); i++) {
    const char *name = cgym_predicate_string(json_array_get(list, i), "name");
    int rc = cgym_agent_find(name ? name : "", &agents[i]);
    if (rc != CGYM_OK) return rc;
  }
  plan->agent_count = json_array_size(list);
  plan->params.episode_length = parameter(list, "episode_length", plan->params.episode_length);
  plan->params.patience = parameter(list, "patience", plan->params.patience);
  plan->params.max_steps = parameter(list, "max_steps", plan->params.max_steps);
  plan->seed = (uint64_t)json_integer_value(json_object_get(predicate, "seed"));
  plan->episodes = (uint64_t)json_integer_value(json_object_get(predicate, "episodes_per_agent"));
  if (plan->episodes == 0) plan->episodes = 1;
  plan->limits.timeout_seconds =
      (unsigned)json_integer_value(json_object_get(limits, "timeout_seconds"));
  plan->limits.memory_limit_bytes =
      (uint64_t)json_integer_value(json_object_get(limits, "memory_limit_bytes"));
  plan->prepare.generator_first =
      (uint64_t)json_integer_value(json_object_get(selection, "generator_first"));
  plan->prepare.generator_count =
      (uint64_t)json_integer_value(json_object_get(selection, "generator_count"));

  json_t *names = json_object_get(selection, "only");
  if (json_is_array(names) && json_array_size(names) < MAX_ONLY) {
    for (size_t i = 0; i < json_array_size(names); i++)
      only[i] = json_string_value(json_array_get(names, i));
    plan->prepare.only = only;
  }
  return CGYM_OK;
}

/* Counts the episodes whose final count or bitcode digest differs between the two runs. */
static size_t count_different(const cgym_compare_table *table) {
  const cgym_run_manifest *a = &table->runs[0].manifest, *b = &table->runs[1].manifest;
  size_t different = a->episode_count > b->episode_count ? a->episode_count - b->episode_count
                                                         : b->episode_count - a->episode_count;
  for (size_t i = 0; i < a->episode_count && i < b->episode_count; i++) {
    const cgym_episode_record *x = &a->episodes[i], *y = &b->episodes[i];
    int same = x->status == y->status && x->c_final == y->c_final &&
               strcmp(x->benchmark_uri, y->benchmark_uri) == 0 &&
               strcmp(x->final_sha256 ? x->final_sha256 : "", y->final_sha256 ? y->final_sha256
                                                                              : "") == 0;
    different += !same;
  }
  return different;
}

/* Loads the recorded run and the new one and prints their comparison. */
static int compare_runs(const char *recorded, const char *rerun, const char *markdown) {
  const char *paths[] = {recorded, rerun};
  const char *exports[4] = {markdown, NULL, NULL, NULL};
  cgym_compare_table table = {0};
  int rc = cgym_compare_load(&table, paths, 2);
  if (rc == CGYM_OK) rc = cgym_compare_build(&table);
  int exit_code = rc == CGYM_OK ? cgym_compare_refuse(&table, 1) : cgym_cli_report("reproduce", rc);
  if (exit_code == CGYM_EXIT_OK) exit_code = cgym_compare_print(&table, exports);
  if (exit_code == CGYM_EXIT_OK) {
    size_t different = count_different(&table);
    fprintf(stderr, "cgym: reproduce: %s: %zu of %zu episodes differ in status, final count or "
            "final bitcode sha256\n", different ? "DIFFERENT" : "identical", different,
            table.runs[0].manifest.episode_count);
    if (different) exit_code = CGYM_EXIT_VERIFY;
  }
  cgym_compare_free(&table);
  return exit_code;
}

int cgym_cmd_reproduce(int argc, char **argv) {
  static const cgym_agent *agents[MAX_AGENTS];
  static const char *only[MAX_ONLY];
  const char *markdown = NULL;
  uint64_t jobs = 0;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  cgym_run_plan plan = {
      .agents = agents,
      .params = (cgym_agent_params)CGYM_AGENT_PARAMS_DEFAULT,
      .out_dir = "cgym-reproduced",
      .prepare = (cgym_prepare_options)CGYM_PREPARE_OPTIONS_INIT,
      .limits = {0, 0, cpus > 0 ? (unsigned)cpus : 1},
  };
  int option;
  while ((option = getopt_long(argc, argv, "o:k:j:m:q", reproduce_options, NULL)) != -1) {
    switch (option) {
    case 'o': plan.out_dir = optarg; break;
    case 'k': plan.signing_key = optarg; break;
    case 'j':
      if (cgym_cli_parse_u64(optarg, 256, &jobs) != 0 || jobs == 0)
        return cgym_cli_usage_error("reproduce", "invalid --jobs '%s': expected 1 to 256", optarg);
      plan.limits.jobs = (unsigned)jobs;
      break;
    case 'm': markdown = optarg; break;
    case OPT_MIRROR: plan.prepare.mirror = optarg; break;
    case OPT_CACHE: plan.prepare.cache_dir = optarg; break;
    case OPT_OFFLINE: plan.prepare.offline = 1; break;
    case 'q': plan.quiet = 1; break;
    default: return cgym_cli_usage_error("reproduce", "invalid option");
    }
  }
  if (optind + 1 != argc) return cgym_cli_usage_error("reproduce", "expected one MANIFEST");
  if (!plan.signing_key) return cgym_cli_usage_error("reproduce", "missing --key PRIVATE_KEY");

  unsigned chosen_jobs = plan.limits.jobs;
  json_t *predicate = NULL;
  int rc = cgym_manifest_read_predicate(argv[optind], &predicate);
  if (rc == CGYM_OK) rc = plan_from_predicate(predicate, &plan, agents, only);
  plan.limits.jobs = chosen_jobs;
  plan.no_table = 1;
  if (rc == CGYM_OK) rc = cgym_run_execute(&plan);
  int exit_code = rc == CGYM_OK ? compare_runs(argv[optind], plan.out_dir, markdown)
                                : cgym_cli_report("reproduce", rc);
  json_decref(predicate);
  return exit_code;
}
