/*
 * Typed readers for the JSON of a suite definition. Each one checks the type, the size and,
 * through a validator, the value, and on failure sets CGYM_EFORMAT with a message that names
 * the definition, the JSON path of the value and what was expected. The suite parser and the
 * run spec parser share them, so every field of a definition reports errors the same way.
 */
#include "datasets/suite_json.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/suite_internal.h"
#include "env/error_internal.h"

int cgym_json_fail(const cgym_json_context *ctx, const char *path, const char *format, ...) {
  char detail[1024];
  va_list args;

  va_start(args, format);
  vsnprintf(detail, sizeof detail, format, args);
  va_end(args);
  return cgym_error_set(CGYM_EFORMAT, "suite definition %s: %s: %s", ctx->origin, path, detail);
}

const char *cgym_json_kind(const json_t *value) {
  switch (json_typeof(value)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: return "an integer";
  case JSON_REAL: return "a number";
  case JSON_TRUE:
  case JSON_FALSE: return "a boolean";
  case JSON_NULL: return "null";
  }
  return "an unknown JSON value";
}

/* JSON paths are at most four levels deep (benchmarks[3].run.inputs[0].from), far below the
 * bound; a longer one would only be cut short in a message. */
void cgym_json_join_path(char out[CGYM_JSON_PATH_MAX], const char *parent, const char *key) {
  int length;
  if (!parent || !*parent)
    length = snprintf(out, CGYM_JSON_PATH_MAX, "%s", key);
  else
    length = snprintf(out, CGYM_JSON_PATH_MAX, "%s.%s", parent, key);
  if (length < 0) out[0] = '\0';
}

void cgym_json_index_path(char out[CGYM_JSON_PATH_MAX], const char *parent, size_t index) {
  if (snprintf(out, CGYM_JSON_PATH_MAX, "%s[%zu]", parent, index) < 0) out[0] = '\0';
}

int cgym_json_check_keys(const cgym_json_context *ctx, const json_t *object, const char *path,
                         const char *const *allowed) {
  const char *key;
  json_t *value;

  json_object_foreach((json_t *)object, key, value) {
    int known = 0;
    for (const char *const *name = allowed; *name; name++) {
      if (strcmp(key, *name) == 0) known = 1;
    }
    if (!known) {
      char where[CGYM_JSON_PATH_MAX];
      cgym_json_join_path(where, path, key);
      return cgym_json_fail(ctx, where,
                            "unknown key \"%s\"; check its spelling in docs/suite-format.md", key);
    }
  }
  return CGYM_OK;
}

int cgym_json_read_string(const cgym_json_context *ctx, const json_t *value, const char *path,
                          size_t max_length, cgym_string_validator validator, char **out) {
  if (!json_is_string(value))
    return cgym_json_fail(ctx, path, "expected a string, got %s", cgym_json_kind(value));

  const char *text = json_string_value(value);
  size_t length = json_string_length(value);
  if (length != strlen(text))
    return cgym_json_fail(ctx, path, "expected a string without NUL characters");
  if (length > max_length)
    return cgym_json_fail(ctx, path, "expected at most %zu characters, got %zu", max_length,
                          length);

  const char *problem = validator ? validator(text) : NULL;
  if (problem) return cgym_json_fail(ctx, path, "expected %s, got \"%s\"", problem, text);

  *out = strdup(text);
  if (!*out) return cgym_error_set(CGYM_ENOMEM, "out of memory copying %s", path);
  return CGYM_OK;
}

int cgym_json_get_string(const cgym_json_context *ctx, const json_t *object, const char *parent,
                         const char *key, int required, size_t max_length,
                         cgym_string_validator validator, char **out) {
  char path[CGYM_JSON_PATH_MAX];
  json_t *value = json_object_get(object, key);

  cgym_json_join_path(path, parent, key);
  *out = NULL;
  if (!value) return required ? cgym_json_fail(ctx, path, "missing; expected a string") : CGYM_OK;
  return cgym_json_read_string(ctx, value, path, max_length, validator, out);
}

int cgym_json_get_string_list(const cgym_json_context *ctx, const json_t *object,
                              const char *parent, const char *key, int required, size_t max_items,
                              cgym_string_validator validator, cgym_string_list *out) {
  char path[CGYM_JSON_PATH_MAX];
  json_t *array = json_object_get(object, key);

  cgym_json_join_path(path, parent, key);
  if (!array)
    return required ? cgym_json_fail(ctx, path, "missing; expected an array of strings") : CGYM_OK;
  if (!json_is_array(array))
    return cgym_json_fail(ctx, path, "expected an array of strings, got %s", cgym_json_kind(array));
  size_t count = json_array_size(array);
  if (count > max_items)
    return cgym_json_fail(ctx, path, "expected at most %zu items, got %zu", max_items, count);
  if (required && count == 0)
    return cgym_json_fail(ctx, path, "expected at least one item, got none");
  if (count == 0) return CGYM_OK;

  out->items = calloc(count, sizeof *out->items);
  if (!out->items) return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", path);
  for (size_t i = 0; i < count; i++) {
    char item_path[CGYM_JSON_PATH_MAX];
    cgym_json_index_path(item_path, path, i);
    int rc = cgym_json_read_string(ctx, json_array_get(array, i), item_path, CGYM_SUITE_MAX_STRING,
                                   validator, &out->items[i]);
    if (rc != CGYM_OK) return rc;
    out->count++;
  }
  return CGYM_OK;
}

int cgym_json_get_uint(const cgym_json_context *ctx, const json_t *object, const char *parent,
                       const char *key, int required, uint64_t max, uint64_t *out) {
  char path[CGYM_JSON_PATH_MAX];
  json_t *value = json_object_get(object, key);

  cgym_json_join_path(path, parent, key);
  if (!value) return required ? cgym_json_fail(ctx, path, "missing; expected an integer") : CGYM_OK;
  if (!json_is_integer(value))
    return cgym_json_fail(ctx, path, "expected an integer, got %s", cgym_json_kind(value));
  json_int_t number = json_integer_value(value);
  if (number < 0 || (uint64_t)number > max)
    return cgym_json_fail(ctx, path,
                          "expected an integer from 0 to %" PRIu64 ", got %" JSON_INTEGER_FORMAT,
                          max, number);
  *out = (uint64_t)number;
  return CGYM_OK;
}

int cgym_json_get_array(const cgym_json_context *ctx, const json_t *object, const char *key,
                        size_t max_items, json_t **out) {
  json_t *array = json_object_get(object, key);

  if (!array) return cgym_json_fail(ctx, key, "missing; expected an array of objects");
  if (!json_is_array(array))
    return cgym_json_fail(ctx, key, "expected an array, got %s", cgym_json_kind(array));
  if (json_array_size(array) == 0)
    return cgym_json_fail(ctx, key, "expected at least one item, got none");
  if (json_array_size(array) > max_items)
    return cgym_json_fail(ctx, key, "expected at most %zu items, got %zu", max_items,
                          json_array_size(array));
  *out = array;
  return CGYM_OK;
}
