#ifndef CGYM_HARNESS_PREDICATE_H
#define CGYM_HARNESS_PREDICATE_H

/*
 * The run predicate inside a manifest and its reader. Schema version 2 carries every episode;
 * schema version 1 (the first release) carried only the plan, and its episodes are read from the
 * results.json subject next to the manifest. The format is described in docs/manifest-format.md.
 */

#include <jansson.h>
#include <stddef.h>

#include "harness/run.h"
#include "results/results.h"

#define CGYM_PREDICATE_SCHEMA_VERSION 2

/* Returns the agents of the plan as a JSON array of {name, parameters, uses_seed}. */
json_t *cgym_run_agents_json(const cgym_run_plan *plan);

/* Builds the predicate of a finished run into *out (a new reference). Errors: CGYM_EINVAL for a
 * record results.json cannot hold, CGYM_ENOMEM. */
int cgym_run_predicate(const cgym_run_plan *plan, const cgym_suite *suite,
                       const cgym_prepared_suite *prepared, const cgym_episode_record *records,
                       size_t count, const char *started_at, const char *finished_at,
                       json_t **out);

/* A predicate with its episodes, whatever its schema version. */
typedef struct cgym_run_manifest {
  int schema_version;              /* 0 when built from an unsigned results.json */
  json_t *predicate;               /* owned reference */
  cgym_episode_record *episodes;   /* in run order, wall times filled in */
  size_t episode_count;
} cgym_run_manifest;

/*
 * Reads the episodes of predicate (borrowed; a new reference is kept in out). For schema version
 * 1 they come from results.json in the folder of manifest_path; callers verify the manifest
 * first, so that file's digest is the signed one. Errors: CGYM_EFORMAT for an unknown schema
 * version or a malformed predicate, the errors of cgym_results_read_json.
 */
int cgym_run_manifest_load(const char *manifest_path, json_t *predicate, cgym_run_manifest *out);

/*
 * Reads a run made without a signing key from its results.json. The episodes keep their wall
 * times, and the predicate holds only what results.json records of the run, in the predicate's
 * layout: schema_version 0, seed, llvm.version, action_space.id and sha256, suite.name, version,
 * definition_digest.sha256, suite.benchmarks (each URI with the bitcode digest of its episodes)
 * and agents. Errors: those of cgym_results_read_run, CGYM_ENOMEM.
 */
int cgym_run_manifest_from_results(const char *results_path, cgym_run_manifest *out);

void cgym_run_manifest_clear(cgym_run_manifest *manifest);

/* Returns the string at a dotted path of the predicate ("suite.definition_digest.sha256"), or
 * NULL when it is missing or not a string. */
const char *cgym_predicate_string(json_t *predicate, const char *path);

#endif
