/*
 * Reading a run predicate back, across schema versions. Version 2 holds the episodes itself and
 * their wall times in "environment.episode_wall_seconds". Version 1 held only the plan, so its
 * episodes come from the results.json subject next to the manifest. A run made without a key
 * has no predicate at all, and cgym_run_manifest_from_results builds the comparable part of one
 * from its results.json.
 */
#include "harness/predicate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"

const char *cgym_predicate_string(json_t *predicate, const char *path) {
  char key[128];
  json_t *value = predicate;

  while (value && *path) {
    size_t length = strcspn(path, ".");
    if (length >= sizeof key) return NULL;
    memcpy(key, path, length);
    key[length] = '\0';
    value = json_object_get(value, key);
    path += length + (path[length] == '.');
  }
  return json_string_value(value);
}

/* Fills wall_seconds of every episode from the environment object; a missing list leaves 0. */
static int read_wall_times(const char *manifest_path, json_t *predicate,
                           cgym_run_manifest *out) {
  json_t *walls = json_object_get(json_object_get(predicate, "environment"),
                                  "episode_wall_seconds");
  if (!walls) return CGYM_OK;
  if (!json_is_array(walls) || json_array_size(walls) != out->episode_count)
    return cgym_error_set(CGYM_EFORMAT, "%s: environment.episode_wall_seconds must be an array "
                          "with one number per episode (%zu)", manifest_path, out->episode_count);
  for (size_t i = 0; i < out->episode_count; i++)
    out->episodes[i].wall_seconds = json_number_value(json_array_get(walls, i));
  return CGYM_OK;
}

/* Returns the malloc'ed path of results.json in the manifest's folder. */
static char *results_next_to(const char *manifest_path) {
  const char *slash = strrchr(manifest_path, '/');
  size_t folder = slash ? (size_t)(slash - manifest_path) + 1 : 0;
  size_t size = folder + sizeof CGYM_RESULTS_JSON;
  char *path = malloc(size);
  if (path) snprintf(path, size, "%.*s%s", (int)folder, manifest_path, CGYM_RESULTS_JSON);
  return path;
}

static int load_version_1(const char *manifest_path, cgym_run_manifest *out) {
  char *results = results_next_to(manifest_path);
  if (!results) return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", manifest_path);
  int rc = cgym_results_read_json(results, &out->episodes, &out->episode_count);
  free(results);
  return rc;
}

int cgym_run_manifest_load(const char *manifest_path, json_t *predicate, cgym_run_manifest *out) {
  memset(out, 0, sizeof *out);
  json_t *version = json_object_get(predicate, "schema_version");
  if (!json_is_integer(version))
    return cgym_error_set(CGYM_EFORMAT, "%s: the predicate has no integer schema_version",
                          manifest_path);

  json_int_t schema = json_integer_value(version);
  if (schema < 1 || schema > CGYM_PREDICATE_SCHEMA_VERSION)
    return cgym_error_set(CGYM_EFORMAT, "%s: predicate schema_version %lld is not supported: this "
                          "cgym reads versions 1 to %d; use a newer cgym", manifest_path,
                          (long long)schema, CGYM_PREDICATE_SCHEMA_VERSION);

  int rc;
  if (schema == 1) {
    rc = load_version_1(manifest_path, out);
  } else {
    rc = cgym_results_read_episodes(manifest_path, json_object_get(predicate, "episodes"), 0,
                                    &out->episodes, &out->episode_count);
    if (rc == CGYM_OK) rc = read_wall_times(manifest_path, predicate, out);
  }
  if (rc != CGYM_OK) {
    cgym_run_manifest_clear(out);
    return rc;
  }
  out->schema_version = (int)schema;
  out->predicate = json_incref(predicate);
  return CGYM_OK;
}

/* Lists each benchmark URI of the episodes once, with the bitcode digest of its first episode. */
static json_t *benchmarks_of(const cgym_episode_record *episodes, size_t count) {
  json_t *benchmarks = json_array();

  for (size_t i = 0; benchmarks && i < count; i++) {
    int seen = 0;
    for (size_t j = 0; j < i && !seen; j++)
      seen = strcmp(episodes[j].benchmark_uri, episodes[i].benchmark_uri) == 0;
    if (seen) continue;

    const char *sha256 = episodes[i].benchmark_sha256;
    json_t *entry = json_pack("{s:s, s:{s:o}}", "uri", episodes[i].benchmark_uri, "digest",
                              "sha256", sha256 ? json_string(sha256) : json_null());
    if (!entry || json_array_append_new(benchmarks, entry) != 0) {
      json_decref(benchmarks);
      return NULL;
    }
  }
  return benchmarks;
}

int cgym_run_manifest_from_results(const char *results_path, cgym_run_manifest *out) {
  json_t *run = NULL;

  memset(out, 0, sizeof *out);
  int rc = cgym_results_read_run(results_path, &run, &out->episodes, &out->episode_count);
  if (rc != CGYM_OK) return rc;

  /* The run object was validated, so every key below is present. */
  json_t *benchmarks = benchmarks_of(out->episodes, out->episode_count);
  if (benchmarks)
    out->predicate = json_pack(
        "{s:i, s:O, s:{s:O}, s:{s:O, s:O}, s:{s:O, s:O, s:{s:O}, s:o}, s:O}", "schema_version",
        0, "seed", json_object_get(run, "seed"), "llvm", "version",
        json_object_get(run, "llvm_version"), "action_space", "id",
        json_object_get(run, "action_space_id"), "sha256",
        json_object_get(run, "action_space_hash"), "suite", "name",
        json_object_get(run, "suite_name"), "version", json_object_get(run, "suite_version"),
        "definition_digest", "sha256", json_object_get(run, "suite_sha256"), "benchmarks",
        benchmarks, "agents", json_object_get(run, "agents"));
  json_decref(run);
  if (!out->predicate) {
    cgym_run_manifest_clear(out);
    return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", results_path);
  }
  return CGYM_OK;
}

void cgym_run_manifest_clear(cgym_run_manifest *manifest) {
  if (!manifest) return;
  cgym_results_free(manifest->episodes, manifest->episode_count);
  json_decref(manifest->predicate);
  memset(manifest, 0, sizeof *manifest);
}
