/*
 * results.json: one document with the run's facts and one object per episode record.
 *
 * The bytes depend only on the records: keys are added in a fixed order (jansson keeps insertion
 * order), integers are written exactly, and the only host-dependent value, wall_seconds, sits in
 * a field that a comparison can drop by name. Counts stay raw so that any metric can be
 * recomputed later; an unknown count (-1 in the record) is written as null.
 */
#include "results/results.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"
#include "env/file_io.h"
#include "env/text_internal.h"

#define JSON_INTEGER_MAX ((uint64_t)INT64_MAX)

/* Sets object[key] = value. The reference to value is taken even on failure, and a NULL value
 * (a failed allocation upstream) gives CGYM_ENOMEM. */
static int put(json_t *object, const char *key, json_t *value) {
  if (!value || json_object_set_new(object, key, value) != 0)
    return cgym_error_set(CGYM_ENOMEM, "out of memory building results.json (key %s)", key);
  return CGYM_OK;
}

/*
 * Returns a JSON string of text with every byte that is not valid UTF-8 replaced by U+FFFD.
 * Worker messages and pipeline strings come from a process that may have died mid-write, and
 * JSON strings must be valid UTF-8.
 */
static json_t *json_text(const char *text) {
  const unsigned char *cursor = (const unsigned char *)text;
  size_t length = strlen(text);
  char *clean = malloc(length * 3 + 1);
  size_t used = 0;

  if (!clean) return NULL;
  while (*cursor) {
    size_t sequence = cgym_utf8_sequence_length(cursor);
    if (sequence == 0) {
      memcpy(clean + used, "\xef\xbf\xbd", 3);
      used += 3;
      cursor++;
      continue;
    }
    memcpy(clean + used, cursor, sequence);
    used += sequence;
    cursor += sequence;
  }

  json_t *value = json_stringn(clean, used);
  free(clean);
  return value;
}

static json_t *json_text_or_null(const char *text) {
  return text ? json_text(text) : json_null();
}

static json_t *json_count(int64_t count) {
  return count == -1 ? json_null() : json_integer(count);
}

static int check_record(const cgym_episode_record *record, size_t index) {
  if (!record->benchmark_uri || !record->agent)
    return cgym_error_set(CGYM_EINVAL, "episode record %zu has no benchmark URI or agent name",
                          index);
  if ((unsigned)record->status > CGYM_EPISODE_OUT_OF_MEMORY)
    return cgym_error_set(CGYM_EINVAL, "episode record %zu has an invalid status %d", index,
                          (int)record->status);
  if (record->episode > JSON_INTEGER_MAX || record->seed > JSON_INTEGER_MAX)
    return cgym_error_set(CGYM_EINVAL, "episode record %zu: episode index or seed %llu exceeds "
                          "%lld, the largest integer results.json can hold; use a smaller seed",
                          index, (unsigned long long)(record->episode > JSON_INTEGER_MAX
                                                        ? record->episode : record->seed),
                          (long long)INT64_MAX);
  if (record->c0 < -1 || record->c_oz < -1 || record->c_o3 < -1 ||
      record->c_final < -1)
    return cgym_error_set(CGYM_EINVAL, "episode record %zu has a negative count other than -1 "
                          "(unknown)", index);
  if (record->action_count > 0 && (!record->actions || !record->pipelines))
    return cgym_error_set(CGYM_EINVAL, "episode record %zu has %zu actions but no action or "
                          "pipeline array", index, record->action_count);
  if (!isfinite(record->wall_seconds))
    return cgym_error_set(CGYM_EINVAL, "episode record %zu has a wall time that is not a finite "
                          "number", index);
  return CGYM_OK;
}

static int actions_to_json(const cgym_episode_record *record, size_t index, json_t **out) {
  json_t *actions = json_array();
  int rc = actions ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory building actions");

  for (size_t i = 0; rc == CGYM_OK && i < record->action_count; i++) {
    if (!record->actions[i] || !record->pipelines[i]) {
      rc = cgym_error_set(CGYM_EINVAL, "episode record %zu: action %zu has no name or pipeline",
                          index, i);
      break;
    }
    json_t *action = json_object();
    if (!action || json_array_append_new(actions, action) != 0) {
      rc = cgym_error_set(CGYM_ENOMEM, "out of memory building actions");
      break;
    }
    rc = put(action, "name", json_text(record->actions[i]));
    if (rc == CGYM_OK) rc = put(action, "pipeline", json_text(record->pipelines[i]));
  }

  if (rc != CGYM_OK) {
    json_decref(actions);
    return rc;
  }
  *out = actions;
  return CGYM_OK;
}

/* Adds the episode's fields to object in the documented order. */
static int fill_episode(json_t *object, const cgym_episode_record *record, size_t index,
                        int with_wall_seconds) {
  json_t *benchmark = json_object(), *counts = NULL, *actions = NULL;
  int rc = put(object, "benchmark", benchmark);

  if (rc == CGYM_OK) rc = put(benchmark, "uri", json_text(record->benchmark_uri));
  if (rc == CGYM_OK) rc = put(benchmark, "sha256", json_text_or_null(record->benchmark_sha256));
  if (rc == CGYM_OK) rc = put(object, "agent", json_text(record->agent));
  if (rc == CGYM_OK) rc = put(object, "episode", json_integer((json_int_t)record->episode));
  if (rc == CGYM_OK) rc = put(object, "seed", json_integer((json_int_t)record->seed));
  if (rc == CGYM_OK)
    rc = put(object, "status", json_string(cgym_episode_status_name(record->status)));
  if (rc == CGYM_OK) rc = put(object, "exit_code", json_integer(record->exit_code));
  if (rc == CGYM_OK) rc = put(object, "signal", json_integer(record->signal));
  if (rc == CGYM_OK) rc = put(object, "failed_pipeline", json_text_or_null(record->failed_pipeline));
  if (rc == CGYM_OK) rc = put(object, "message", json_text_or_null(record->message));
  if (rc == CGYM_OK) rc = put(object, "counts", counts = json_object());
  if (rc == CGYM_OK) rc = put(counts, "c0", json_count(record->c0));
  if (rc == CGYM_OK) rc = put(counts, "c_oz", json_count(record->c_oz));
  if (rc == CGYM_OK) rc = put(counts, "c_o3", json_count(record->c_o3));
  if (rc == CGYM_OK) rc = put(counts, "c_final", json_count(record->c_final));
  if (rc == CGYM_OK) rc = put(object, "final_sha256", json_text_or_null(record->final_sha256));
  if (rc == CGYM_OK) rc = actions_to_json(record, index, &actions);
  if (rc == CGYM_OK) rc = put(object, "actions", actions);
  if (rc == CGYM_OK) rc = put(object, "steps_taken", json_integer(record->steps_taken));
  if (rc == CGYM_OK && with_wall_seconds)
    rc = put(object, "wall_seconds", json_real(record->wall_seconds));
  return rc;
}

static int episodes_to_json(const cgym_episode_record *records, size_t count,
                            int with_wall_seconds, json_t *episodes) {
  for (size_t i = 0; i < count; i++) {
    int rc = check_record(&records[i], i);
    if (rc != CGYM_OK) return rc;

    json_t *episode = json_object();
    if (!episode || json_array_append_new(episodes, episode) != 0)
      return cgym_error_set(CGYM_ENOMEM, "out of memory building results.json");
    rc = fill_episode(episode, &records[i], i, with_wall_seconds);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

int cgym_results_episodes_json(const cgym_episode_record *records, size_t count,
                               int with_wall_seconds, json_t **out) {
  json_t *episodes = json_array();
  if (!episodes) return cgym_error_set(CGYM_ENOMEM, "out of memory building the episode list");

  int rc = episodes_to_json(records, count, with_wall_seconds, episodes);
  if (rc != CGYM_OK) {
    json_decref(episodes);
    return rc;
  }
  *out = episodes;
  return CGYM_OK;
}

/* Parses the agents' JSON, which must be an array; NULL gives an empty array. */
static int parse_agents(const char *agents_json, json_t **out) {
  json_error_t error;

  *out = agents_json ? json_loads(agents_json, JSON_REJECT_DUPLICATES, &error) : json_array();
  if (!*out && !agents_json)
    return cgym_error_set(CGYM_ENOMEM, "out of memory building results.json");
  if (!*out)
    return cgym_error_set(CGYM_EINVAL, "run info agents_json is not valid JSON: %s at line %d "
                          "column %d", error.text, error.line, error.column);
  if (!json_is_array(*out)) {
    json_decref(*out);
    *out = NULL;
    return cgym_error_set(CGYM_EINVAL, "run info agents_json must be a JSON array of {name, "
                          "parameters} objects");
  }
  return CGYM_OK;
}

static int run_to_json(const cgym_run_info *info, json_t *run) {
  json_t *agents = NULL;
  int rc;

  if (info->seed > JSON_INTEGER_MAX)
    return cgym_error_set(CGYM_EINVAL, "run seed %llu exceeds %lld, the largest integer "
                          "results.json can hold; use a smaller seed",
                          (unsigned long long)info->seed, (long long)INT64_MAX);

  rc = put(run, "cgym_version", json_text_or_null(info->cgym_version));
  if (rc == CGYM_OK) rc = put(run, "llvm_version", json_text_or_null(info->llvm_version));
  if (rc == CGYM_OK) rc = put(run, "action_space_id", json_text_or_null(info->action_space_id));
  if (rc == CGYM_OK)
    rc = put(run, "action_space_hash", json_text_or_null(info->action_space_hash));
  if (rc == CGYM_OK) rc = put(run, "suite_name", json_text_or_null(info->suite_name));
  if (rc == CGYM_OK) rc = put(run, "suite_version", json_text_or_null(info->suite_version));
  if (rc == CGYM_OK) rc = put(run, "suite_sha256", json_text_or_null(info->suite_sha256));
  if (rc == CGYM_OK) rc = put(run, "seed", json_integer((json_int_t)info->seed));
  if (rc == CGYM_OK) rc = parse_agents(info->agents_json, &agents);
  if (rc == CGYM_OK) rc = put(run, "agents", agents);
  return rc;
}

/* Builds the whole results.json document. */
static int results_to_json(const cgym_run_info *info, const cgym_episode_record *records,
                           size_t count, json_t **out) {
  json_t *document = json_object(), *run = json_object(), *episodes = json_array();
  int rc = put(document, "schema_version", json_integer(1));

  if (rc == CGYM_OK) rc = put(document, "run", run);
  else json_decref(run);
  if (rc == CGYM_OK) rc = put(document, "episodes", episodes);
  else json_decref(episodes);
  if (rc == CGYM_OK) rc = run_to_json(info, run);
  if (rc == CGYM_OK) rc = episodes_to_json(records, count, 1, episodes);

  if (rc != CGYM_OK) {
    json_decref(document);
    return rc;
  }
  *out = document;
  return CGYM_OK;
}

int cgym_results_write_json(const char *path, const cgym_run_info *info,
                            const cgym_episode_record *records, size_t count) {
  json_t *document = NULL;
  char *text = NULL;
  int rc;

  if (!path || !info || (!records && count > 0))
    return cgym_error_set(CGYM_EINVAL, "cgym_results_write_json needs a path, run info and "
                          "records");

  rc = results_to_json(info, records, count, &document);
  if (rc != CGYM_OK) goto done;

  text = json_dumps(document, JSON_INDENT(2));
  if (!text) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory serialising %s", path);
    goto done;
  }

  /* jansson ends the document without a newline; the file gets exactly one. */
  size_t length = strlen(text);
  char *with_newline = realloc(text, length + 2);
  if (!with_newline) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory serialising %s", path);
    goto done;
  }
  text = with_newline;
  text[length] = '\n';
  text[length + 1] = '\0';

  rc = cgym_file_write_atomic(path, text, length + 1, 0644, 1);

done:
  free(text);
  json_decref(document);
  return rc;
}
