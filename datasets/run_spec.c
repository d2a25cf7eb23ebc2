/*
 * The "run" object of a source benchmark: how to run the built program on an input and what it
 * must produce (docs/suite-format.md). Every field is checked here, when the suite is opened,
 * so the runner (run.c) never meets an input path that leaves the run folder, a placeholder that
 * names no input, or a digest that is not 64 hex digits.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/build.h"
#include "datasets/cache.h"
#include "datasets/suite_internal.h"
#include "datasets/suite_json.h"
#include "env/error_internal.h"

#define PLACEHOLDER_PREFIX "{input:"

void cgym_run_spec_free(cgym_run_spec *spec) {
  if (!spec) return;
  cgym_string_list_clear(&spec->args);
  for (size_t i = 0; i < spec->input_count; i++) {
    free(spec->inputs[i].path);
    free(spec->inputs[i].from);
    free(spec->inputs[i].text);
  }
  free(spec->inputs);
  free(spec->stdin_path);
  free(spec->stdout_digest.path);
  for (size_t i = 0; i < spec->output_count; i++)
    free(spec->outputs[i].path);
  free(spec->outputs);
  cgym_string_list_clear(&spec->libs);
  cgym_string_list_clear(&spec->env);
  free(spec);
}

/* ---- validators ------------------------------------------------------------------------- */

/* A library name as -l takes it: "m", "bz2", "stdc++". */
static const char *validate_library(const char *value) {
  static const char *expected = "a library name from [A-Za-z0-9_.+-] not starting with '-', "
                                "linked as -lNAME (\"m\" for libm)";
  if (!*value || value[0] == '-') return expected;
  for (const char *c = value; *c; c++) {
    if (!isalnum((unsigned char)*c) && !strchr("_.+-", *c)) return expected;
  }
  return NULL;
}

static const char *validate_env_name(const char *value) {
  static const char *expected = "a variable name from [A-Za-z0-9_] not starting with a digit";
  if (!isalpha((unsigned char)value[0]) && value[0] != '_') return expected;
  for (const char *c = value; *c; c++) {
    if (!isalnum((unsigned char)*c) && *c != '_') return expected;
  }
  return NULL;
}

/* Returns nonzero when a and b are the same path or one is a folder that contains the other,
 * because the run folder cannot hold both. */
static int paths_collide(const char *a, const char *b) {
  size_t length_a = strlen(a), length_b = strlen(b);
  size_t shorter = length_a < length_b ? length_a : length_b;
  if (strncmp(a, b, shorter) != 0) return 0;
  if (length_a == length_b) return 1;
  return (length_a > length_b ? a : b)[shorter] == '/';
}

/* ---- digests ---------------------------------------------------------------------------- */

/* Reads {"sha256": HEX, "size": BYTES} (and "path" when with_path) at object. */
static int parse_digest(const cgym_json_context *ctx, const json_t *object, const char *path,
                        int with_path, cgym_run_digest *out) {
  static const char *const keys[] = {"sha256", "size", NULL};
  static const char *const keys_with_path[] = {"path", "sha256", "size", NULL};
  char *sha256 = NULL;

  if (!json_is_object(object))
    return cgym_json_fail(ctx, path, "expected an object {%ssha256, size}, got %s",
                          with_path ? "path, " : "", cgym_json_kind(object));
  int rc = cgym_json_check_keys(ctx, object, path, with_path ? keys_with_path : keys);
  if (rc == CGYM_OK && with_path)
    rc = cgym_json_get_string(ctx, object, path, "path", 1, CGYM_SUITE_MAX_STRING,
                              cgym_suite_check_relative_path, &out->path);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, object, path, "sha256", 1, 64, cgym_suite_check_sha256, &sha256);
  if (rc == CGYM_OK) memcpy(out->sha256, sha256, sizeof out->sha256);
  free(sha256);
  if (rc == CGYM_OK)
    rc = cgym_json_get_uint(ctx, object, path, "size", 1, CGYM_RUN_MAX_OUTPUT_BYTES, &out->size);
  return rc;
}

/* Reads run[key], an optional array of at most max_items objects described by items (for the
 * message), into *array; a missing key leaves *array NULL. path receives the JSON path. */
static int get_object_array(const cgym_json_context *ctx, const json_t *run, const char *parent,
                            const char *key, size_t max_items, const char *items,
                            char path[CGYM_JSON_PATH_MAX], json_t **array) {
  cgym_json_join_path(path, parent, key);
  *array = json_object_get(run, key);
  if (!*array) return CGYM_OK;
  if (!json_is_array(*array))
    return cgym_json_fail(ctx, path, "expected an array of %s, got %s", items,
                          cgym_json_kind(*array));
  if (json_array_size(*array) > max_items)
    return cgym_json_fail(ctx, path, "expected at most %zu items, got %zu", max_items,
                          json_array_size(*array));
  return CGYM_OK;
}

/* Rejects item index of the list key when its path collides with an earlier item's. */
static int check_collisions(const cgym_json_context *ctx, const char *item, const char *key,
                            const char *const *paths, size_t index) {
  for (size_t j = 0; j < index; j++) {
    if (paths_collide(paths[j], paths[index]))
      return cgym_json_fail(ctx, item, "path \"%s\" collides with %s[%zu] \"%s\"", paths[index],
                            key, j, paths[j]);
  }
  return CGYM_OK;
}

static int parse_outputs(const cgym_json_context *ctx, const json_t *run, const char *parent,
                         cgym_run_spec *spec) {
  char path[CGYM_JSON_PATH_MAX];
  json_t *array;
  int rc = get_object_array(ctx, run, parent, "outputs", CGYM_RUN_MAX_OUTPUTS,
                            "{path, sha256, size}", path, &array);
  if (rc != CGYM_OK || !array) return rc;

  size_t count = json_array_size(array);
  const char **paths = calloc(count + 1, sizeof *paths);
  spec->outputs = calloc(count + 1, sizeof *spec->outputs);
  if (!paths || !spec->outputs) rc = cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", path);
  for (size_t i = 0; i < count && rc == CGYM_OK; i++) {
    char item[CGYM_JSON_PATH_MAX];
    cgym_json_index_path(item, path, i);
    spec->output_count++;
    rc = parse_digest(ctx, json_array_get(array, i), item, 1, &spec->outputs[i]);
    if (rc == CGYM_OK) paths[i] = spec->outputs[i].path;
    if (rc == CGYM_OK) rc = check_collisions(ctx, item, "outputs", paths, i);
  }
  free(paths);
  return rc;
}

/* ---- inputs ----------------------------------------------------------------------------- */

/* Reads the source of an input: "from" (with an optional "archive") or "text", never both. */
static int parse_input_source(const cgym_json_context *ctx, const json_t *object, const char *path,
                              const cgym_suite *suite, cgym_run_input *input) {
  int has_from = json_object_get(object, "from") != NULL;
  int has_text = json_object_get(object, "text") != NULL;
  char *archive_id = NULL;

  if (has_from == has_text)
    return cgym_json_fail(ctx, path,
                          "expected exactly one of \"from\" (a file of an archive) "
                          "and \"text\" (inline content), got %s",
                          has_from ? "both" : "neither");
  if (has_text) {
    if (json_object_get(object, "archive"))
      return cgym_json_fail(ctx, path, "\"archive\" goes with \"from\", not with \"text\"");
    return cgym_json_get_string(ctx, object, path, "text", 1, CGYM_RUN_MAX_TEXT_BYTES, NULL,
                                &input->text);
  }

  int rc = cgym_json_get_string(ctx, object, path, "from", 1, CGYM_SUITE_MAX_STRING,
                                cgym_suite_check_relative_path, &input->from);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, object, path, "archive", 0, CGYM_SUITE_MAX_NAME,
                              cgym_suite_check_name, &archive_id);
  if (rc == CGYM_OK && archive_id && !cgym_suite_find_archive(suite, archive_id, &input->archive)) {
    char where[CGYM_JSON_PATH_MAX];
    cgym_json_join_path(where, path, "archive");
    rc = cgym_json_fail(ctx, where, "expected the id of an entry in archives, got \"%s\"",
                        archive_id);
  }
  free(archive_id);
  return rc;
}

static int parse_input(const cgym_json_context *ctx, const json_t *object, const char *path,
                       const cgym_suite *suite, cgym_run_input *input) {
  static const char *const keys[] = {"path", "from", "archive", "text", NULL};

  if (!json_is_object(object))
    return cgym_json_fail(ctx, path, "expected an object {path, from or text}, got %s",
                          cgym_json_kind(object));
  int rc = cgym_json_check_keys(ctx, object, path, keys);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, object, path, "path", 1, CGYM_SUITE_MAX_STRING,
                              cgym_suite_check_relative_path, &input->path);
  if (rc == CGYM_OK) rc = parse_input_source(ctx, object, path, suite, input);
  return rc;
}

static int parse_inputs(const cgym_json_context *ctx, const json_t *run, const char *parent,
                        const cgym_suite *suite, size_t archive, cgym_run_spec *spec) {
  char path[CGYM_JSON_PATH_MAX];
  json_t *array;
  int rc = get_object_array(ctx, run, parent, "inputs", CGYM_RUN_MAX_INPUTS, "{path, from or text}",
                            path, &array);
  if (rc != CGYM_OK || !array) return rc;

  size_t count = json_array_size(array);
  const char **paths = calloc(count + 1, sizeof *paths);
  spec->inputs = calloc(count + 1, sizeof *spec->inputs);
  if (!paths || !spec->inputs) rc = cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", path);
  for (size_t i = 0; i < count && rc == CGYM_OK; i++) {
    char item[CGYM_JSON_PATH_MAX];
    cgym_json_index_path(item, path, i);
    spec->input_count++;
    spec->inputs[i].archive = archive;
    rc = parse_input(ctx, json_array_get(array, i), item, suite, &spec->inputs[i]);
    if (rc == CGYM_OK) paths[i] = spec->inputs[i].path;
    if (rc == CGYM_OK) rc = check_collisions(ctx, item, "inputs", paths, i);
  }
  free(paths);
  return rc;
}

static const cgym_run_input *find_input(const cgym_run_spec *spec, const char *path,
                                        size_t length) {
  for (size_t i = 0; i < spec->input_count; i++) {
    const char *candidate = spec->inputs[i].path;
    if (strlen(candidate) == length && strncmp(candidate, path, length) == 0)
      return &spec->inputs[i];
  }
  return NULL;
}

/* Checks that every "{input:PATH}" in the arguments is closed and names an input. */
static int check_placeholders(const cgym_json_context *ctx, const char *parent,
                              const cgym_run_spec *spec) {
  for (size_t i = 0; i < spec->args.count; i++) {
    char where[CGYM_JSON_PATH_MAX], list[CGYM_JSON_PATH_MAX];
    cgym_json_join_path(list, parent, "args");
    cgym_json_index_path(where, list, i);

    for (const char *at = strstr(spec->args.items[i], PLACEHOLDER_PREFIX); at;
         at = strstr(at + 1, PLACEHOLDER_PREFIX)) {
      const char *name = at + strlen(PLACEHOLDER_PREFIX);
      const char *end = strchr(name, '}');
      if (!end)
        return cgym_json_fail(ctx, where, "expected \"{input:PATH}\" closed by '}', got \"%s\"",
                              spec->args.items[i]);
      if (!find_input(spec, name, (size_t)(end - name)))
        return cgym_json_fail(ctx, where, "\"%.*s\" is not the path of an entry in inputs",
                              (int)(end - name), name);
    }
  }
  return CGYM_OK;
}

/* ---- environment ------------------------------------------------------------------------ */

static int parse_env(const cgym_json_context *ctx, const json_t *run, const char *parent,
                     cgym_run_spec *spec) {
  char path[CGYM_JSON_PATH_MAX];
  json_t *object = json_object_get(run, "env");
  const char *name;
  json_t *value;

  cgym_json_join_path(path, parent, "env");
  if (!object) return CGYM_OK;
  if (!json_is_object(object))
    return cgym_json_fail(ctx, path, "expected an object {NAME: VALUE}, got %s",
                          cgym_json_kind(object));
  if (json_object_size(object) > CGYM_RUN_MAX_ENV)
    return cgym_json_fail(ctx, path, "expected at most %d variables, got %zu", CGYM_RUN_MAX_ENV,
                          json_object_size(object));

  json_object_foreach(object, name, value) {
    char where[CGYM_JSON_PATH_MAX];
    char *text = NULL;
    cgym_json_join_path(where, path, name);
    const char *problem = validate_env_name(name);
    if (problem) return cgym_json_fail(ctx, where, "expected %s, got \"%s\"", problem, name);
    int rc = cgym_json_read_string(ctx, value, where, CGYM_SUITE_MAX_STRING, NULL, &text);
    char *entry = rc == CGYM_OK ? cgym_format("%s=%s", name, text) : NULL;
    free(text);
    if (rc != CGYM_OK) return rc;
    if (!entry) return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", where);
    rc = cgym_string_list_append(&spec->env, entry);
    free(entry);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

/* ---- the run object --------------------------------------------------------------------- */

static int parse_stdin(const cgym_json_context *ctx, const json_t *run, const char *parent,
                       cgym_run_spec *spec) {
  int rc = cgym_json_get_string(ctx, run, parent, "stdin", 0, CGYM_SUITE_MAX_STRING,
                                cgym_suite_check_relative_path, &spec->stdin_path);
  if (rc != CGYM_OK || !spec->stdin_path) return rc;
  if (find_input(spec, spec->stdin_path, strlen(spec->stdin_path))) return CGYM_OK;

  char where[CGYM_JSON_PATH_MAX];
  cgym_json_join_path(where, parent, "stdin");
  return cgym_json_fail(ctx, where, "expected the path of an entry in inputs, got \"%s\"",
                        spec->stdin_path);
}

static int parse_fields(const cgym_json_context *ctx, const json_t *run, const char *path,
                        const cgym_suite *suite, size_t archive, cgym_run_spec *spec) {
  char where[CGYM_JSON_PATH_MAX];

  int rc =
      cgym_json_get_string_list(ctx, run, path, "args", 0, CGYM_RUN_MAX_ARGS, NULL, &spec->args);
  if (rc == CGYM_OK) rc = parse_inputs(ctx, run, path, suite, archive, spec);
  if (rc == CGYM_OK) rc = check_placeholders(ctx, path, spec);
  if (rc == CGYM_OK) rc = parse_stdin(ctx, run, path, spec);
  if (rc == CGYM_OK)
    rc = cgym_json_get_uint(ctx, run, path, "exit_status", 0, 255, &spec->exit_status);
  cgym_json_join_path(where, path, "stdout");
  if (rc == CGYM_OK && !json_object_get(run, "stdout"))
    rc = cgym_json_fail(ctx, where, "missing; expected an object {sha256, size}");
  if (rc == CGYM_OK)
    rc = parse_digest(ctx, json_object_get(run, "stdout"), where, 0, &spec->stdout_digest);
  if (rc == CGYM_OK) rc = parse_outputs(ctx, run, path, spec);
  if (rc == CGYM_OK)
    rc = cgym_json_get_uint(ctx, run, path, "timeout_seconds", 0, CGYM_RUN_MAX_TIMEOUT_SECONDS,
                            &spec->timeout_seconds);
  cgym_json_join_path(where, path, "timeout_seconds");
  if (rc == CGYM_OK && spec->timeout_seconds == 0)
    rc = cgym_json_fail(ctx, where, "expected at least 1 second, got 0");
  if (rc == CGYM_OK)
    rc = cgym_json_get_string_list(ctx, run, path, "libs", 0, CGYM_RUN_MAX_LIBS, validate_library,
                                   &spec->libs);
  if (rc == CGYM_OK) rc = parse_env(ctx, run, path, spec);
  return rc;
}

int cgym_run_spec_parse(const cgym_json_context *ctx, const json_t *run, const char *path,
                        const cgym_suite *suite, size_t archive, cgym_run_spec **out) {
  static const char *const keys[] = {"args",    "inputs",          "stdin", "exit_status", "stdout",
                                     "outputs", "timeout_seconds", "libs",  "env",         NULL};

  *out = NULL;
  if (!json_is_object(run))
    return cgym_json_fail(ctx, path, "expected an object {args, inputs, stdout, ...}, got %s",
                          cgym_json_kind(run));
  int rc = cgym_json_check_keys(ctx, run, path, keys);
  if (rc != CGYM_OK) return rc;

  cgym_run_spec *spec = calloc(1, sizeof *spec);
  if (!spec) return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", path);
  spec->timeout_seconds = CGYM_RUN_DEFAULT_TIMEOUT_SECONDS;
  rc = parse_fields(ctx, run, path, suite, archive, spec);
  if (rc != CGYM_OK) {
    cgym_run_spec_free(spec);
    return rc;
  }
  *out = spec;
  return CGYM_OK;
}
