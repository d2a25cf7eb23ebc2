/*
 * The manifest predicate of a run, schema version 2: everything needed to re-run the run and to
 * judge it. It names the tools (cgym version and commit, LLVM version and default target
 * triple), the action space by id and hash, the suite with every checksum and the benchmark
 * selection, the agents with their parameters and seed, and every episode with its benchmark
 * digest, raw counts, action list with pipeline strings, status and final bitcode digest.
 *
 * Wall times, timestamps, the host and the job count go into the "environment" object only, so
 * two equal runs give predicates that are equal once "environment" is dropped.
 */
#include "harness/predicate.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cgym/actions.h"
#include "cgym/env.h"
#include "cgym/observation.h"
#include "cgym/version.h"
#include "env/error_internal.h"

/* Parameters that change an agent's behaviour; oz has none. */
static json_t *agent_parameters_json(const cgym_agent *agent, const cgym_agent_params *params) {
  if (strcmp(agent->name, "random") == 0) {
    return json_pack("{s:I, s:I}", "episode_length", (json_int_t)params->episode_length,
                     "patience", (json_int_t)params->patience);
  }
  if (strcmp(agent->name, "greedy") == 0) {
    return json_pack("{s:I}", "max_steps", (json_int_t)params->max_steps);
  }
  return json_object();
}

json_t *cgym_run_agents_json(const cgym_run_plan *plan) {
  json_t *agents = json_array();
  for (size_t i = 0; i < plan->agent_count; i++) {
    const cgym_agent *agent = plan->agents[i];
    json_array_append_new(agents, json_pack("{s:s, s:o, s:b}", "name", agent->name, "parameters",
                                            agent_parameters_json(agent, &plan->params),
                                            "uses_seed", agent->uses_rng));
  }
  return agents;
}

/* The benchmark selection: the `only` list and the generator seed range, as given to prepare. */
static json_t *selection_json(const cgym_run_plan *plan) {
  json_t *only = json_null();
  if (plan->prepare.only) {
    only = json_array();
    for (const char *const *name = plan->prepare.only; *name; name++)
      json_array_append_new(only, json_string(*name));
  }
  return json_pack("{s:o, s:I, s:I}", "only", only, "generator_first",
                   (json_int_t)plan->prepare.generator_first, "generator_count",
                   (json_int_t)plan->prepare.generator_count);
}

static json_t *suite_json(const cgym_run_plan *plan, const cgym_suite *suite,
                          const cgym_prepared_suite *prepared) {
  json_t *archives = json_array();
  for (size_t i = 0; i < prepared->archive_count; i++) {
    json_array_append_new(archives, json_pack("{s:s, s:{s:s}}", "file", prepared->archives[i].file,
                                              "digest", "sha256", prepared->archives[i].sha256));
  }
  json_t *benchmarks = json_array();
  for (size_t i = 0; i < prepared->benchmark_count; i++) {
    json_array_append_new(benchmarks,
                          json_pack("{s:s, s:{s:s}}", "uri", prepared->benchmarks[i].uri, "digest",
                                    "sha256", prepared->benchmarks[i].bitcode_sha256));
  }
  json_t *excluded = json_array();
  for (size_t i = 0; i < prepared->excluded_count; i++) {
    const cgym_excluded_benchmark *benchmark = &prepared->excluded[i];
    json_array_append_new(excluded, json_pack("{s:s, s:s}", "uri", benchmark->uri, "reason",
                                              benchmark->reason ? benchmark->reason : ""));
  }
  return json_pack("{s:s, s:s, s:s, s:{s:s}, s:s, s:o, s:o, s:o, s:o}", "name",
                   cgym_suite_name(suite), "source", plan->suite, "version",
                   cgym_suite_version(suite), "definition_digest", "sha256",
                   cgym_suite_definition_sha256(suite), "build_recipe",
                   prepared->build_recipe ? prepared->build_recipe : "", "selection",
                   selection_json(plan), "archives", archives, "benchmarks", benchmarks,
                   "excluded", excluded);
}

/* The LLVM that produced the counts. Passes run with no target machine and object code targets
 * a fixed triple and CPU, so the host's own triple belongs to the "environment" object. */
static json_t *llvm_json(void) {
  char library_version[32];
  cgym_llvm_library_version(library_version);
  return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s}", "version", CGYM_LLVM_VERSION,
                   "library_version", library_version, "build_mode", CGYM_LLVM_BUILD_MODE,
                   "assertions", CGYM_LLVM_ASSERTIONS, "object_target_triple",
                   CGYM_OBJECT_TRIPLE, "object_target_cpu", CGYM_OBJECT_CPU);
}

static json_t *host_json(void) {
  struct utsname host;
  if (uname(&host) != 0) return json_object();
  char *triple = cgym_llvm_host_triple();
  json_t *description = json_pack("{s:s, s:s, s:s, s:I, s:s}", "system", host.sysname, "release",
                                  host.release, "machine", host.machine, "online_cpus",
                                  (json_int_t)sysconf(_SC_NPROCESSORS_ONLN), "llvm_default_triple",
                                  triple ? triple : "unknown");
  free(triple);
  return description;
}

/* Wall times, timestamps and host details: the only values allowed to differ between two equal
 * runs. episode_wall_seconds[i] belongs to episodes[i]. */
static json_t *environment_json(const cgym_run_plan *plan, const cgym_episode_record *records,
                                size_t count, const char *started_at, const char *finished_at) {
  json_t *walls = json_array();
  for (size_t i = 0; i < count; i++) json_array_append_new(walls, json_real(records[i].wall_seconds));
  return json_pack("{s:s, s:s, s:o, s:I, s:o}", "started_at", started_at, "finished_at",
                   finished_at, "host", host_json(), "jobs", (json_int_t)plan->limits.jobs,
                   "episode_wall_seconds", walls);
}

int cgym_run_predicate(const cgym_run_plan *plan, const cgym_suite *suite,
                       const cgym_prepared_suite *prepared, const cgym_episode_record *records,
                       size_t count, const char *started_at, const char *finished_at,
                       json_t **out) {
  const cgym_action_space *space = cgym_run_action_space(plan);
  json_t *episodes = NULL;

  int rc = cgym_results_episodes_json(records, count, 0, &episodes);
  if (rc != CGYM_OK) return rc;

  json_t *predicate = json_pack(
      "{s:i, s:{s:s, s:s}, s:o, s:{s:s, s:s, s:I}, s:o, s:o, s:I, s:I, s:{s:I, s:I}, s:o, s:o}",
      "schema_version", CGYM_PREDICATE_SCHEMA_VERSION, "cgym", "version", CGYM_VERSION, "commit",
      CGYM_GIT_COMMIT, "llvm", llvm_json(), "action_space", "id", cgym_action_space_id(space),
      "sha256", cgym_action_space_hash(space), "size", (json_int_t)cgym_action_space_size(space),
      "suite", suite_json(plan, suite, prepared), "agents", cgym_run_agents_json(plan), "seed",
      (json_int_t)plan->seed, "episodes_per_agent", (json_int_t)plan->episodes, "limits",
      "timeout_seconds", (json_int_t)plan->limits.timeout_seconds, "memory_limit_bytes",
      (json_int_t)plan->limits.memory_limit_bytes, "episodes", episodes, "environment",
      environment_json(plan, records, count, started_at, finished_at));
  if (!predicate) return cgym_error_set(CGYM_ENOMEM, "out of memory building the predicate");
  *out = predicate;
  return CGYM_OK;
}
