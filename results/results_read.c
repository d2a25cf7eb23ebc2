/*
 * Reading results.json back, with validation.
 *
 * Every value is checked against the format that cgym_results_write_json produces (see
 * docs/results-format.md). The first problem stops the read with CGYM_EFORMAT and a message that
 * names the file, the JSON path of the value (for example $.episodes[2].counts.c_oz), what was
 * expected and what was found. Unknown keys are rejected, so a misspelt key cannot pass unseen.
 */
#include "results/results.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"
#include "env/file_io.h"
#include "results/results_internal.h"

/* Where the reader is: the file name and the JSON path of the object being read. */
typedef struct reader {
  const char *file;
  char path[128];
  int without_wall_seconds; /* episodes of a manifest predicate carry no wall_seconds */
} reader;

static const char *type_name(const json_t *value) {
  if (!value) return "nothing (the key is missing)";
  switch (json_typeof(value)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: return "an integer";
  case JSON_REAL: return "a real number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  case JSON_NULL: return "null";
  }
  return "an unknown JSON type";
}

static int format_error(const reader *at, const char *key, const char *expected,
                        const json_t *value) {
  return cgym_error_set(CGYM_EFORMAT, "%s: %s%s%s: expected %s, got %s", at->file, at->path,
                        key ? "." : "", key ? key : "", expected, type_name(value));
}

/* Rejects keys of object that are not in the NULL-terminated list allowed. */
static int check_keys(const reader *at, json_t *object, const char *const *allowed) {
  const char *key;
  json_t *value;

  json_object_foreach(object, key, value) {
    size_t i = 0;
    while (allowed[i] && strcmp(allowed[i], key) != 0) i++;
    if (!allowed[i])
      return cgym_error_set(CGYM_EFORMAT, "%s: %s%s%s: unknown key in results.json schema "
                            "version 1", at->file, at->path, ".", key);
  }
  return CGYM_OK;
}

static int read_object(const reader *at, json_t *parent, const char *key, json_t **out) {
  *out = json_object_get(parent, key);
  if (!json_is_object(*out)) return format_error(at, key, "an object", *out);
  return CGYM_OK;
}

/* Copies a string member; with nullable set, null gives NULL. */
static int read_string(const reader *at, json_t *object, const char *key, int nullable,
                       char **out) {
  json_t *value = json_object_get(object, key);

  *out = NULL;
  if (nullable && json_is_null(value)) return CGYM_OK;
  if (!json_is_string(value))
    return format_error(at, key, nullable ? "a string or null" : "a string", value);

  *out = strdup(json_string_value(value));
  if (!*out) return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", at->file);
  return CGYM_OK;
}

/* Reads an integer member within [minimum, maximum]; with nullable set, null gives -1. */
static int read_integer(const reader *at, json_t *object, const char *key, int64_t minimum,
                        int64_t maximum, int nullable, int64_t *out) {
  json_t *value = json_object_get(object, key);

  if (nullable && json_is_null(value)) {
    *out = -1;
    return CGYM_OK;
  }
  if (!json_is_integer(value) || json_integer_value(value) < minimum ||
      json_integer_value(value) > maximum) {
    char expected[96];
    snprintf(expected, sizeof expected, "an integer from %lld to %lld%s", (long long)minimum,
             (long long)maximum, nullable ? " or null" : "");
    return format_error(at, key, expected, value);
  }
  *out = json_integer_value(value);
  return CGYM_OK;
}

static int read_string_member(const reader *at, json_t *object, const char *key) {
  json_t *value = json_object_get(object, key);

  if (!json_is_string(value) && !json_is_null(value))
    return format_error(at, key, "a string or null", value);
  return CGYM_OK;
}

/* Validates the run object; its values are not returned by cgym_results_read_json. */
static int check_run(reader *at, json_t *run) {
  static const char *const strings[] = {"cgym_version", "llvm_version", "action_space_id",
                                        "action_space_hash", "suite_name", "suite_version",
                                        "suite_sha256", NULL};
  static const char *const keys[] = {"cgym_version", "llvm_version", "action_space_id",
                                     "action_space_hash", "suite_name", "suite_version",
                                     "suite_sha256", "seed", "agents", NULL};
  int64_t seed;
  int rc;

  snprintf(at->path, sizeof at->path, "$.run");
  rc = check_keys(at, run, keys);
  for (size_t i = 0; rc == CGYM_OK && strings[i]; i++) rc = read_string_member(at, run, strings[i]);
  if (rc == CGYM_OK) rc = read_integer(at, run, "seed", 0, INT64_MAX, 0, &seed);
  if (rc == CGYM_OK && !json_is_array(json_object_get(run, "agents")))
    rc = format_error(at, "agents", "an array", json_object_get(run, "agents"));
  return rc;
}

static int read_actions(reader *at, size_t index, json_t *actions, cgym_episode_record *record) {
  static const char *const keys[] = {"name", "pipeline", NULL};
  size_t count = json_array_size(actions);

  if (count == 0) return CGYM_OK;
  record->actions = calloc(count, sizeof *record->actions);
  record->pipelines = calloc(count, sizeof *record->pipelines);
  if (!record->actions || !record->pipelines)
    return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", at->file);
  record->action_count = count;

  for (size_t i = 0; i < count; i++) {
    json_t *action = json_array_get(actions, i);
    snprintf(at->path, sizeof at->path, "$.episodes[%zu].actions[%zu]", index, i);
    if (!json_is_object(action)) return format_error(at, NULL, "an object", action);

    int rc = check_keys(at, action, keys);
    if (rc == CGYM_OK) rc = read_string(at, action, "name", 0, &record->actions[i]);
    if (rc == CGYM_OK) rc = read_string(at, action, "pipeline", 0, &record->pipelines[i]);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

static int read_counts(reader *at, size_t index, json_t *episode, cgym_episode_record *record) {
  static const char *const keys[] = {"c0", "c_oz", "c_o3", "c_final", NULL};
  json_t *counts;

  int rc = read_object(at, episode, "counts", &counts);
  if (rc != CGYM_OK) return rc;

  snprintf(at->path, sizeof at->path, "$.episodes[%zu].counts", index);
  rc = check_keys(at, counts, keys);
  if (rc == CGYM_OK) rc = read_integer(at, counts, "c0", 0, INT64_MAX, 1, &record->c0);
  if (rc == CGYM_OK) rc = read_integer(at, counts, "c_oz", 0, INT64_MAX, 1, &record->c_oz);
  if (rc == CGYM_OK) rc = read_integer(at, counts, "c_final", 0, INT64_MAX, 1, &record->c_final);
  /* c_o3 was added after the first release of the format: a file without it reads as unknown. */
  record->c_o3 = -1;
  if (rc == CGYM_OK && json_object_get(counts, "c_o3"))
    rc = read_integer(at, counts, "c_o3", 0, INT64_MAX, 1, &record->c_o3);
  return rc;
}

static int read_benchmark(reader *at, size_t index, json_t *episode,
                          cgym_episode_record *record) {
  static const char *const keys[] = {"uri", "sha256", NULL};
  json_t *benchmark;

  int rc = read_object(at, episode, "benchmark", &benchmark);
  if (rc != CGYM_OK) return rc;

  snprintf(at->path, sizeof at->path, "$.episodes[%zu].benchmark", index);
  rc = check_keys(at, benchmark, keys);
  if (rc == CGYM_OK) rc = read_string(at, benchmark, "uri", 0, &record->benchmark_uri);
  if (rc == CGYM_OK) rc = read_string(at, benchmark, "sha256", 1, &record->benchmark_sha256);
  return rc;
}

static int read_status(const reader *at, json_t *episode, cgym_episode_record *record) {
  json_t *value = json_object_get(episode, "status");

  if (json_is_string(value) && cgym_episode_status_parse(json_string_value(value),
                                                         &record->status))
    return CGYM_OK;
  return format_error(at, "status", "one of \"ok\", \"crashed\", \"failed\", \"timed_out\", "
                      "\"out_of_memory\"", value);
}

/* Reads the scalar members of an episode (everything but benchmark, counts and actions). */
static int read_scalars(reader *at, json_t *episode, cgym_episode_record *record) {
  int64_t episode_index = 0, seed = 0, exit_code = 0, signal = 0;
  json_t *wall = json_object_get(episode, "wall_seconds");

  int rc = read_string(at, episode, "agent", 0, &record->agent);
  if (rc == CGYM_OK) rc = read_integer(at, episode, "episode", 0, INT64_MAX, 0, &episode_index);
  if (rc == CGYM_OK) rc = read_integer(at, episode, "seed", 0, INT64_MAX, 0, &seed);
  if (rc == CGYM_OK) rc = read_status(at, episode, record);
  if (rc == CGYM_OK) rc = read_integer(at, episode, "exit_code", INT_MIN, INT_MAX, 0, &exit_code);
  if (rc == CGYM_OK) rc = read_integer(at, episode, "signal", 0, INT_MAX, 0, &signal);
  if (rc == CGYM_OK) rc = read_string(at, episode, "failed_pipeline", 1, &record->failed_pipeline);
  if (rc == CGYM_OK) rc = read_string(at, episode, "message", 1, &record->message);
  if (rc == CGYM_OK) rc = read_string(at, episode, "final_sha256", 1, &record->final_sha256);
  if (rc == CGYM_OK)
    rc = read_integer(at, episode, "steps_taken", INT64_MIN, INT64_MAX, 0, &record->steps_taken);
  if (rc == CGYM_OK && at->without_wall_seconds && wall)
    rc = format_error(at, "wall_seconds", "no value (wall times sit in the environment object)",
                      wall);
  if (rc == CGYM_OK && !at->without_wall_seconds && !json_is_number(wall))
    rc = format_error(at, "wall_seconds", "a number", wall);
  if (rc != CGYM_OK) return rc;

  record->episode = (uint64_t)episode_index;
  record->seed = (uint64_t)seed;
  record->exit_code = (int)exit_code;
  record->signal = (int)signal;
  record->wall_seconds = wall ? json_number_value(wall) : 0.0;
  return CGYM_OK;
}

static int read_episode(reader *at, size_t index, json_t *episode, cgym_episode_record *record) {
  static const char *const keys[] = {"benchmark", "agent", "episode", "seed", "status",
                                     "exit_code", "signal", "failed_pipeline", "message",
                                     "counts", "final_sha256", "actions", "steps_taken",
                                     "wall_seconds", NULL};

  snprintf(at->path, sizeof at->path, "$.episodes[%zu]", index);
  if (!json_is_object(episode)) return format_error(at, NULL, "an object", episode);

  int rc = check_keys(at, episode, keys);
  if (rc == CGYM_OK) rc = read_scalars(at, episode, record);
  if (rc == CGYM_OK) rc = read_benchmark(at, index, episode, record);
  if (rc == CGYM_OK) rc = read_counts(at, index, episode, record);
  if (rc != CGYM_OK) return rc;

  json_t *actions = json_object_get(episode, "actions");
  snprintf(at->path, sizeof at->path, "$.episodes[%zu]", index);
  if (!json_is_array(actions)) return format_error(at, "actions", "an array", actions);
  return read_actions(at, index, actions, record);
}

static int read_episode_list(reader *at, json_t *episodes, cgym_episode_record **records,
                             size_t *count) {
  size_t total = json_array_size(episodes);
  cgym_episode_record *list = calloc(total ? total : 1, sizeof *list);
  if (!list) return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", at->file);

  for (size_t i = 0; i < total; i++) {
    int rc = read_episode(at, i, json_array_get(episodes, i), &list[i]);
    if (rc != CGYM_OK) {
      cgym_results_free(list, i + 1);
      return rc;
    }
  }
  *records = list;
  *count = total;
  return CGYM_OK;
}

int cgym_results_read_episodes(const char *label, json_t *episodes, int with_wall_seconds,
                               cgym_episode_record **records, size_t *count) {
  reader at = {.file = label, .path = "$.episodes", .without_wall_seconds = !with_wall_seconds};

  *records = NULL;
  *count = 0;
  if (!json_is_array(episodes)) return format_error(&at, NULL, "an array", episodes);
  return read_episode_list(&at, episodes, records, count);
}

static int read_document(reader *at, json_t *document, json_t **run_out,
                         cgym_episode_record **records, size_t *count) {
  static const char *const keys[] = {"schema_version", "run", "episodes", NULL};
  json_t *run, *episodes = json_object_get(document, "episodes");
  int64_t version;

  snprintf(at->path, sizeof at->path, "$");
  if (!json_is_object(document)) return format_error(at, NULL, "an object", document);
  int rc = check_keys(at, document, keys);
  if (rc == CGYM_OK) rc = read_integer(at, document, "schema_version", 1, 1, 0, &version);
  if (rc == CGYM_OK) rc = read_object(at, document, "run", &run);
  if (rc == CGYM_OK) rc = check_run(at, run);
  snprintf(at->path, sizeof at->path, "$");
  if (rc == CGYM_OK && !json_is_array(episodes))
    rc = format_error(at, "episodes", "an array", episodes);
  if (rc != CGYM_OK) return rc;

  rc = read_episode_list(at, episodes, records, count);
  if (rc == CGYM_OK && run_out) *run_out = json_incref(run);
  return rc;
}

int cgym_results_read_json(const char *path, cgym_episode_record **records, size_t *count) {
  return cgym_results_read_run(path, NULL, records, count);
}

int cgym_results_read_run(const char *path, json_t **run, cgym_episode_record **records,
                          size_t *count) {
  reader at = {.file = path, .path = "$"};
  json_error_t error;
  char *text = NULL;
  size_t size;

  if (!path || !records || !count)
    return cgym_error_set(CGYM_EINVAL, "reading results.json needs a path, a records and a "
                          "count output");
  if (run) *run = NULL;
  *records = NULL;
  *count = 0;

  int rc = cgym_file_read_all(path, CGYM_RESULTS_JSON_MAX, "results file", &text, &size);
  if (rc != CGYM_OK) return rc;

  json_t *document = json_loadb(text, size, JSON_REJECT_DUPLICATES, &error);
  free(text);
  if (!document)
    return cgym_error_set(CGYM_EFORMAT, "%s is not valid JSON: %s at line %d column %d", path,
                          error.text, error.line, error.column);

  rc = read_document(&at, document, run, records, count);
  json_decref(document);
  return rc;
}
