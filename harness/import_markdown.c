/*
 * comparison.md and comparison.json of an import: one table row per CSV row with both rewards,
 * the geometric means, and one note per row that was not replayed as published (skipped flags,
 * a benchmark that is not available, a failed replay).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/version.h"
#include "env/error_internal.h"
#include "harness/import.h"
#include "env/file_io.h"

typedef struct text_buffer {
  char *data;
  size_t length, capacity;
  int failed;
} text_buffer;

static void append(text_buffer *buffer, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void append(text_buffer *buffer, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int length = vsnprintf(NULL, 0, format, args);
  va_end(args);
  if (buffer->failed || length < 0) {
    buffer->failed = 1;
    return;
  }
  size_t needed = buffer->length + (size_t)length + 1;
  if (needed > buffer->capacity) {
    size_t capacity = needed > 2 * buffer->capacity ? needed : 2 * buffer->capacity;
    char *grown = realloc(buffer->data, capacity);
    if (!grown) {
      buffer->failed = 1;
      return;
    }
    buffer->data = grown;
    buffer->capacity = capacity;
  }
  va_start(args, format);
  vsnprintf(buffer->data + buffer->length, (size_t)length + 1, format, args);
  va_end(args);
  buffer->length += (size_t)length;
}

/* Appends a reward with four decimals, or "n/a". */
static void append_reward(text_buffer *buffer, json_t *value) {
  if (json_is_number(value)) append(buffer, " %.4f |", json_number_value(value));
  else append(buffer, " n/a |");
}

static void append_count(text_buffer *buffer, json_t *counts, const char *key) {
  json_t *value = json_object_get(counts, key);
  if (json_is_integer(value)) append(buffer, " %lld |", (long long)json_integer_value(value));
  else append(buffer, " n/a |");
}

static void append_row(text_buffer *buffer, json_t *row) {
  json_t *published = json_object_get(row, "published_reward");
  json_t *llvm = json_object_get(row, "llvm19_reward");
  json_t *counts = json_object_get(row, "counts");
  append(buffer, "| %s | %lld | %s | %s |", json_string_value(json_object_get(row, "source")),
         (long long)json_integer_value(json_object_get(row, "row")),
         json_string_value(json_object_get(row, "benchmark")),
         json_string_value(json_object_get(row, "status")));
  append_reward(buffer, published);
  append_reward(buffer, llvm);
  if (json_is_number(published) && json_is_number(llvm))
    append(buffer, " %+.4f |", json_number_value(llvm) - json_number_value(published));
  else append(buffer, " n/a |");
  append_count(buffer, counts, "c0");
  append_count(buffer, counts, "c_oz");
  append_count(buffer, counts, "c_final");
  append(buffer, "\n");
}

static void append_geomean(text_buffer *buffer, json_t *geomean, const char *key,
                           const char *label) {
  json_t *mean = json_object_get(geomean, key);
  append(buffer, "| %s | %lld |", label,
         (long long)json_integer_value(json_object_get(mean, "rows")));
  append_reward(buffer, json_object_get(mean, "published"));
  if (json_object_get(mean, "llvm19")) append_reward(buffer, json_object_get(mean, "llvm19"));
  else append(buffer, " - |");
  append(buffer, "\n");
}

/* One note per row that did not replay exactly as published. */
static void append_notes(text_buffer *buffer, json_t *rows) {
  size_t index;
  json_t *row;
  int first = 1;
  json_array_foreach(rows, index, row) {
    json_t *unmapped = json_object_get(row, "unmapped_flags");
    const char *reason = json_string_value(json_object_get(row, "reason"));
    if (!reason && json_array_size(unmapped) == 0) continue;
    if (first) append(buffer, "\nNotes:\n\n");
    first = 0;
    append(buffer, "- %s row %lld (%s): %s", json_string_value(json_object_get(row, "source")),
           (long long)json_integer_value(json_object_get(row, "row")),
           json_string_value(json_object_get(row, "benchmark")),
           json_string_value(json_object_get(row, "status")));
    if (reason) append(buffer, ": %s", reason);
    for (size_t i = 0; i < json_array_size(unmapped); i++)
      append(buffer, "%s%s", i ? " " : "; flags without an LLVM 19 action, skipped: ",
             json_string_value(json_array_get(unmapped, i)));
    append(buffer, "\n");
  }
}

static void render(text_buffer *buffer, json_t *comparison) {
  json_t *geomean = json_object_get(comparison, "geomean");
  append(buffer, "# CompilerGym results replayed on LLVM %s\n\n", CGYM_LLVM_VERSION);
  append(buffer, "Rewards are IrInstructionCountOz episode rewards, (C0 - C_final) / (C0 - C_Oz); "
                 "the LLVM 19 reward divides by max(C0 - C_Oz, 1).\n\n");
  append(buffer, "| source | row | benchmark | status | published reward | LLVM 19 reward | "
                 "difference | C0 | C_Oz | C_final |\n");
  append(buffer, "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  size_t index;
  json_t *row;
  json_array_foreach(json_object_get(comparison, "rows"), index, row) append_row(buffer, row);

  append(buffer, "\n| geometric mean, rewards clipped at 0 | rows | published | LLVM 19 |\n");
  append(buffer, "| --- | ---: | ---: | ---: |\n");
  append_geomean(buffer, geomean, "published_rows", "rows with a published reward");
  append_geomean(buffer, geomean, "replayed_exact", "replayed rows, every flag mapped");
  append_geomean(buffer, geomean, "replayed_with_partial", "replayed rows, partial included");
  append_notes(buffer, json_object_get(comparison, "rows"));
}

/* The comparison over every row, with the sources, as one JSON object. */
static json_t *comparison_json(const cgym_import *import) {
  json_t *comparison = json_pack("{s:s, s:s, s:o}", "format", "compilergym-state-csv",
                                 "llvm_version", CGYM_LLVM_VERSION, "sources",
                                 cgym_import_sources_json(import));
  json_t *rows = cgym_import_rows_json(import, NULL);
  if (comparison && rows && json_object_update(comparison, rows) == 0) {
    json_decref(rows);
    return comparison;
  }
  json_decref(comparison);
  json_decref(rows);
  return NULL;
}

int cgym_import_format_markdown(const cgym_import *import, char **out) {
  text_buffer buffer = {0};
  json_t *comparison = comparison_json(import);
  if (comparison) render(&buffer, comparison);
  json_decref(comparison);
  if (!comparison || buffer.failed) {
    free(buffer.data);
    return cgym_error_set(CGYM_ENOMEM, "out of memory rendering the comparison");
  }
  *out = buffer.data;
  return CGYM_OK;
}

static int write_text(const char *out_dir, const char *name, const char *text) {
  size_t size = strlen(out_dir) + strlen(name) + 2;
  char *path = malloc(size);
  if (!path) return cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", name);
  snprintf(path, size, "%s/%s", out_dir, name);
  int rc = cgym_file_write_atomic(path, text, strlen(text), 0644, 1);
  free(path);
  return rc;
}

int cgym_import_write_comparison(const cgym_import *import, const char *out_dir) {
  char *markdown = NULL;
  json_t *comparison = comparison_json(import);
  char *json_text = comparison ? json_dumps(comparison, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
                               : NULL;
  json_decref(comparison);
  if (!json_text) return cgym_error_set(CGYM_ENOMEM, "out of memory writing the comparison");

  size_t length = strlen(json_text);
  char *terminated = realloc(json_text, length + 2);
  int rc = terminated ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory");
  if (rc == CGYM_OK) {
    json_text = terminated;
    memcpy(json_text + length, "\n", 2);
    rc = write_text(out_dir, CGYM_IMPORT_COMPARISON_JSON, json_text);
  }
  if (rc == CGYM_OK) rc = cgym_import_format_markdown(import, &markdown);
  if (rc == CGYM_OK) rc = write_text(out_dir, CGYM_IMPORT_COMPARISON_MARKDOWN, markdown);
  free(markdown);
  free(json_text);
  return rc;
}
