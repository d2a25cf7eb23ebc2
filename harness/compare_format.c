/*
 * Rendering a comparison as a terminal table, Markdown, CSV, JSON or a LaTeX tabular. Every
 * format has the same columns: benchmark, agent, then per run C_Oz/C_final, reward, removed %
 * and wall s, then the spread of C_Oz/C_final across runs. Missing values are "n/a" (null in
 * JSON, empty in CSV).
 */
#include "harness/compare.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"

static const char *const measure_names[] = {"C_Oz/C_final", "reward", "removed %", "wall s"};
#define MEASURE_COUNT 4

/* The value of measure m of a cell, and the digits it is printed with. */
static double measure(const cgym_compare_cell *cell, size_t m) {
  const double values[MEASURE_COUNT] = {cell->ratio, cell->reward, cell->removed_percent,
                                        cell->wall_seconds};
  return values[m];
}

static const int measure_digits[MEASURE_COUNT] = {3, 3, 1, 2};

/* A growing text buffer; on allocation failure it stays NULL. */
typedef struct text {
  char *data;
  size_t length, capacity;
  int failed;
} text;

static void append(text *out, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void append(text *out, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int needed = vsnprintf(NULL, 0, format, args);
  va_end(args);
  if (out->failed || needed < 0) return;
  if (out->length + (size_t)needed + 1 > out->capacity) {
    size_t capacity = (out->length + (size_t)needed + 1) * 2;
    char *grown = realloc(out->data, capacity);
    if (!grown) {
      out->failed = 1;
      return;
    }
    out->data = grown;
    out->capacity = capacity;
  }
  va_start(args, format);
  vsnprintf(out->data + out->length, out->capacity - out->length, format, args);
  va_end(args);
  out->length += (size_t)needed;
}

/* The table as a grid of strings: a header row, then one row per table row. */
typedef struct grid {
  char ***cells;
  size_t rows, columns;
} grid;

static char *number_text(double value, int digits) {
  char buffer[64];
  if (isnan(value)) return strdup("n/a");
  snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return strdup(buffer);
}

static char *header_text(const char *label, const char *name) {
  char buffer[64];
  snprintf(buffer, sizeof buffer, "%s %s", label, name);
  return strdup(buffer);
}

static int build_grid(const cgym_compare_table *table, grid *out) {
  out->columns = 3 + MEASURE_COUNT * table->run_count;
  out->rows = table->row_count + 1;
  out->cells = calloc(out->rows, sizeof *out->cells);
  if (!out->cells) return CGYM_ENOMEM;

  for (size_t i = 0; i < out->rows; i++) {
    char **row = out->cells[i] = calloc(out->columns, sizeof *row);
    if (!row) return CGYM_ENOMEM;
    const cgym_compare_row *source = i ? &table->rows[i - 1] : NULL;
    row[0] = strdup(source ? source->benchmark : "benchmark");
    row[1] = strdup(source ? source->agent : "agent");
    for (size_t r = 0; r < table->run_count; r++) {
      for (size_t m = 0; m < MEASURE_COUNT; m++) {
        row[2 + r * MEASURE_COUNT + m] =
            source ? number_text(measure(&source->cells[r], m), measure_digits[m])
                   : header_text(table->runs[r].label, measure_names[m]);
      }
    }
    row[out->columns - 1] = source ? number_text(source->spread, 3) : strdup("spread");
    for (size_t c = 0; c < out->columns; c++)
      if (!row[c]) return CGYM_ENOMEM;
  }
  return CGYM_OK;
}

static void free_grid(grid *cells) {
  for (size_t i = 0; cells->cells && i < cells->rows; i++) {
    for (size_t c = 0; cells->cells[i] && c < cells->columns; c++) free(cells->cells[i][c]);
    free(cells->cells[i]);
  }
  free(cells->cells);
}

/* The runs and, loudly, every field that makes them incomparable. */
static void render_preamble(const cgym_compare_table *table, text *out, const char *prefix) {
  for (size_t r = 0; r < table->run_count; r++) {
    json_t *predicate = table->runs[r].manifest.predicate;
    append(out, "%s%s = %s (seed %lld, suite %s%s)\n", prefix, table->runs[r].label,
           table->runs[r].path, (long long)json_integer_value(json_object_get(predicate, "seed")),
           cgym_predicate_string(predicate, "suite.name") ? cgym_predicate_string(predicate,
                                                                                  "suite.name")
                                                          : "unknown",
           table->runs[r].is_signed ? "" : "; UNSIGNED: run without --key, no manifest");
  }
  if (table->incomparable_count)
    append(out, "%sWARNING: THESE RUNS ARE NOT COMPARABLE:\n", prefix);
  for (size_t i = 0; i < table->incomparable_count; i++)
    append(out, "%s  %s\n", prefix, table->incomparable[i]);
  append(out, "%s\n", prefix);
}

static void render_terminal(const grid *cells, text *out) {
  size_t widths[cells->columns];
  for (size_t c = 0; c < cells->columns; c++) {
    widths[c] = 0;
    for (size_t i = 0; i < cells->rows; i++)
      if (strlen(cells->cells[i][c]) > widths[c]) widths[c] = strlen(cells->cells[i][c]);
  }
  for (size_t i = 0; i < cells->rows; i++) {
    for (size_t c = 0; c < cells->columns; c++)
      append(out, c < 2 ? "%-*s  " : "%*s  ", (int)widths[c], cells->cells[i][c]);
    out->length -= out->failed ? 0 : 2;
    append(out, "\n");
  }
}

static void render_markdown(const grid *cells, text *out) {
  for (size_t i = 0; i < cells->rows; i++) {
    for (size_t c = 0; c < cells->columns; c++) append(out, "| %s ", cells->cells[i][c]);
    append(out, "|\n");
    if (i > 0) continue;
    for (size_t c = 0; c < cells->columns; c++) append(out, c < 2 ? "| --- " : "| ---: ");
    append(out, "|\n");
  }
}

static void render_csv(const grid *cells, text *out) {
  for (size_t i = 0; i < cells->rows; i++) {
    for (size_t c = 0; c < cells->columns; c++) {
      const char *cell = cells->cells[i][c];
      if (strcmp(cell, "n/a") == 0) cell = "";
      append(out, "%s%s", c ? "," : "", cell);
    }
    append(out, "\n");
  }
}

static void latex_escape(text *out, const char *cell) {
  for (; *cell; cell++) {
    if (strchr("&%$#_{}", *cell)) append(out, "\\%c", *cell);
    else if (*cell == '/') append(out, "/\\allowbreak{}");
    else append(out, "%c", *cell);
  }
}

static void render_latex(const grid *cells, text *out) {
  append(out, "\\begin{tabular}{ll");
  for (size_t c = 2; c < cells->columns; c++) append(out, "r");
  append(out, "}\n\\hline\n");
  for (size_t i = 0; i < cells->rows; i++) {
    for (size_t c = 0; c < cells->columns; c++) {
      if (c) append(out, " & ");
      latex_escape(out, cells->cells[i][c]);
    }
    append(out, " \\\\\n%s", i == 0 || i + 1 == cells->rows ? "\\hline\n" : "");
  }
  append(out, "\\end{tabular}\n");
}

static json_t *json_number_or_null(double value) {
  return isnan(value) ? json_null() : json_real(value);
}

static int render_json(const cgym_compare_table *table, text *out) {
  json_t *runs = json_array(), *rows = json_array(), *incomparable = json_array();
  for (size_t r = 0; r < table->run_count; r++)
    json_array_append_new(runs, json_pack("{s:s, s:s, s:O, s:b}", "label", table->runs[r].label,
                                          "path", table->runs[r].path, "seed",
                                          json_object_get(table->runs[r].manifest.predicate,
                                                          "seed"), "signed",
                                          table->runs[r].is_signed));
  for (size_t i = 0; i < table->incomparable_count; i++)
    json_array_append_new(incomparable, json_string(table->incomparable[i]));
  for (size_t i = 0; i < table->row_count; i++) {
    json_t *cells = json_array();
    for (size_t r = 0; r < table->run_count; r++) {
      const cgym_compare_cell *cell = &table->rows[i].cells[r];
      json_array_append_new(cells, json_pack("{s:s, s:o, s:o, s:o, s:o}", "run",
                                             table->runs[r].label, "c_oz_over_c_final",
                                             json_number_or_null(cell->ratio), "reward",
                                             json_number_or_null(cell->reward), "removed_percent",
                                             json_number_or_null(cell->removed_percent),
                                             "wall_seconds",
                                             json_number_or_null(cell->wall_seconds)));
    }
    json_array_append_new(rows, json_pack("{s:s, s:s, s:o, s:o}", "benchmark",
                                          table->rows[i].benchmark, "agent", table->rows[i].agent,
                                          "runs", cells, "spread",
                                          json_number_or_null(table->rows[i].spread)));
  }
  json_t *document = json_pack("{s:b, s:o, s:o, s:o}", "comparable",
                               table->incomparable_count == 0, "incomparable", incomparable,
                               "runs", runs, "rows", rows);
  char *dumped = document ? json_dumps(document, JSON_INDENT(2)) : NULL;
  json_decref(document);
  if (!dumped) return CGYM_ENOMEM;
  append(out, "%s\n", dumped);
  free(dumped);
  return CGYM_OK;
}

int cgym_compare_render(const cgym_compare_table *table, cgym_compare_format format, char **out) {
  text result = {0};
  grid cells = {0};
  int rc = format == CGYM_COMPARE_JSON ? render_json(table, &result)
                                       : build_grid(table, &cells);
  if (rc == CGYM_OK && format != CGYM_COMPARE_JSON && format != CGYM_COMPARE_CSV)
    render_preamble(table, &result, format == CGYM_COMPARE_LATEX ? "% " : "");
  if (rc == CGYM_OK) {
    switch (format) {
    case CGYM_COMPARE_TERMINAL: render_terminal(&cells, &result); break;
    case CGYM_COMPARE_MARKDOWN: render_markdown(&cells, &result); break;
    case CGYM_COMPARE_CSV: render_csv(&cells, &result); break;
    case CGYM_COMPARE_LATEX: render_latex(&cells, &result); break;
    case CGYM_COMPARE_JSON: break;
    }
  }
  free_grid(&cells);
  if (rc != CGYM_OK || result.failed || !result.data) {
    free(result.data);
    return cgym_error_set(CGYM_ENOMEM, "out of memory rendering the comparison");
  }
  *out = result.data;
  return CGYM_OK;
}
