#ifndef CGYM_DATASETS_SUITE_JSON_H
#define CGYM_DATASETS_SUITE_JSON_H

/*
 * Typed readers for the values of a suite definition (suite_json.c). Every reader returns
 * CGYM_OK or sets CGYM_EFORMAT with "suite definition ORIGIN: JSON-PATH: what was expected".
 */

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "datasets/suite_internal.h"

#define CGYM_JSON_PATH_MAX 256

typedef struct cgym_json_context {
  const char *origin; /* the definition, as error messages name it */
} cgym_json_context;

/* A validator returns NULL when value is acceptable, else what was expected. */
typedef const char *(*cgym_string_validator)(const char *value);

/* Sets CGYM_EFORMAT naming the definition and path, and returns it. */
int cgym_json_fail(const cgym_json_context *ctx, const char *path, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Returns "an object", "a string", ... for messages of the form "expected X, got Y". */
const char *cgym_json_kind(const json_t *value);

/* Writes PARENT.KEY (or KEY when parent is empty) and PARENT[INDEX] into out. */
void cgym_json_join_path(char out[CGYM_JSON_PATH_MAX], const char *parent, const char *key);
void cgym_json_index_path(char out[CGYM_JSON_PATH_MAX], const char *parent, size_t index);

/* Rejects any key of object that is not in allowed (NULL-terminated). */
int cgym_json_check_keys(const cgym_json_context *ctx, const json_t *object, const char *path,
                         const char *const *allowed);

/* Copies value, which must be a string of at most max_length bytes without NUL characters that
 * validator (optional) accepts, into *out (malloc'ed). */
int cgym_json_read_string(const cgym_json_context *ctx, const json_t *value, const char *path,
                          size_t max_length, cgym_string_validator validator, char **out);

/* Reads object[key] as a string. A missing optional key leaves *out NULL. */
int cgym_json_get_string(const cgym_json_context *ctx, const json_t *object, const char *parent,
                         const char *key, int required, size_t max_length,
                         cgym_string_validator validator, char **out);

/* Reads object[key] as an array of at most max_items strings, each of at most
 * CGYM_SUITE_MAX_STRING bytes. A required list needs at least one item. */
int cgym_json_get_string_list(const cgym_json_context *ctx, const json_t *object,
                              const char *parent, const char *key, int required, size_t max_items,
                              cgym_string_validator validator, cgym_string_list *out);

/* Reads object[key] as an integer from 0 to max. A missing optional key leaves *out alone. */
int cgym_json_get_uint(const cgym_json_context *ctx, const json_t *object, const char *parent,
                       const char *key, int required, uint64_t max, uint64_t *out);

/* Reads the top-level key as a non-empty array of at most max_items items. */
int cgym_json_get_array(const cgym_json_context *ctx, const json_t *object, const char *key,
                        size_t max_items, json_t **out);

/* Reads a benchmark's "run" object at path (run_spec.c). archive is the benchmark's archive,
 * where inputs without an "archive" key come from. */
int cgym_run_spec_parse(const cgym_json_context *ctx, const json_t *run, const char *path,
                        const cgym_suite *suite, size_t archive, cgym_run_spec **out);

#endif
