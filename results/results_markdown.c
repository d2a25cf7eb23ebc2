/*
 * results.md: the comparison table that a reader looks at first.
 *
 * One row per benchmark and one column per agent, both in first-seen order. A cell is
 * C_Oz / C_final, the instruction count after -Oz divided by the count the agent reached, so
 * higher is better and 1.000 matches -Oz. Several episodes of one agent on one benchmark are
 * combined by their geometric mean, because ratios multiply: the geometric mean of 2.0 and 0.5
 * is 1.0, as it should be. The last row is each agent's geometric mean over the benchmarks where
 * it has a value. Episodes that did not finish are listed under the table.
 *
 * A ratio is defined only for an episode that finished ok with both counts known and above zero.
 * Every other cell shows "n/a" or the episode status, never the result of a division by zero.
 * Numbers are formatted from integers, so the output does not depend on the C locale.
 */
#include "results/results.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"
#include "env/file_io.h"

/* A growing string; failed records an allocation failure so that appends can be chained. */
typedef struct text {
  char *data;
  size_t length, capacity;
  int failed;
} text;

static void text_append(text *out, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void text_append(text *out, const char *format, ...) {
  va_list args;

  if (out->failed) return;
  va_start(args, format);
  int needed = vsnprintf(NULL, 0, format, args);
  va_end(args);
  if (needed < 0) {
    out->failed = 1;
    return;
  }

  if (out->length + (size_t)needed + 1 > out->capacity) {
    size_t capacity = (out->capacity ? out->capacity * 2 : 1024) + (size_t)needed;
    char *data = realloc(out->data, capacity);
    if (!data) {
      out->failed = 1;
      return;
    }
    out->data = data;
    out->capacity = capacity;
  }

  va_start(args, format);
  vsnprintf(out->data + out->length, out->capacity - out->length, format, args);
  va_end(args);
  out->length += (size_t)needed;
}

/* Appends value for a table cell: '|' would end the cell and a newline the row. */
static void text_append_cell(text *out, const char *value) {
  for (const char *c = value; *c; c++) {
    if (*c == '|') text_append(out, "\\|");
    else if (*c == '\n' || *c == '\r') text_append(out, " ");
    else text_append(out, "%c", *c);
  }
}

/* Appends value as a Markdown code span, so '*', '<' or '_' in a pipeline or message show as
 * typed. The fence is one backtick longer than the longest backtick run inside. */
static void text_append_code(text *out, const char *value) {
  size_t longest = 0, run = 0;

  for (const char *c = value; *c; c++) {
    run = *c == '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }

  const char *pad = (value[0] == '`' || (*value && value[strlen(value) - 1] == '`')) ? " " : "";
  for (size_t i = 0; i <= longest; i++) text_append(out, "`");
  text_append(out, "%s", pad);
  for (const char *c = value; *c; c++) text_append(out, "%c", *c == '\n' || *c == '\r' ? ' ' : *c);
  text_append(out, "%s", pad);
  for (size_t i = 0; i <= longest; i++) text_append(out, "`");
}

/* Formats a ratio with 3 decimals from an integer count of thousandths, whatever the locale. */
static void format_ratio(double value, char out[32]) {
  if (!(value >= 0) || value * 1000.0 >= 9.0e18) {
    snprintf(out, 32, "n/a");
    return;
  }
  long long thousandths = llround(value * 1000.0);
  snprintf(out, 32, "%lld.%03lld", thousandths / 1000, thousandths % 1000);
}

/* Statistics of one agent on one benchmark. */
typedef struct cell {
  size_t episodes;      /* episodes recorded */
  size_t finished;      /* episodes whose status is ok */
  size_t usable;        /* episodes that finished ok with both counts above zero */
  double log_sum;       /* sum of log(C_Oz / C_final) over the usable episodes */
  const cgym_episode_record *first_unfinished; /* first episode whose status is not ok */
} cell;

/* The table's layout: distinct benchmarks and agents in first-seen order, and the cells. */
typedef struct table {
  const char **benchmarks;
  const char **agents;
  size_t benchmark_count, agent_count;
  int64_t *c0, *c_oz;   /* per benchmark, the first known value or -1 */
  cell *cells;          /* benchmark_count rows of agent_count cells */
} table;

static size_t index_of(const char **names, size_t *count, const char *name) {
  for (size_t i = 0; i < *count; i++)
    if (strcmp(names[i], name) == 0) return i;
  names[*count] = name;
  return (*count)++;
}

static void table_free(table *layout) {
  free(layout->benchmarks);
  free(layout->agents);
  free(layout->c0);
  free(layout->c_oz);
  free(layout->cells);
}

static void add_episode(table *layout, size_t row, size_t column,
                        const cgym_episode_record *record) {
  cell *target = &layout->cells[row * layout->agent_count + column];

  if (layout->c0[row] < 0 && record->c0 >= 0) layout->c0[row] = record->c0;
  if (layout->c_oz[row] < 0 && record->c_oz >= 0) layout->c_oz[row] = record->c_oz;

  target->episodes++;
  if (record->status != CGYM_EPISODE_OK) {
    if (!target->first_unfinished) target->first_unfinished = record;
    return;
  }
  target->finished++;
  if (record->c_oz > 0 && record->c_final > 0) {
    target->usable++;
    target->log_sum += log((double)record->c_oz) - log((double)record->c_final);
  }
}

/* Builds the layout in two passes: first the distinct names, then the cells. */
static int table_build(table *layout, const cgym_episode_record *records, size_t count) {
  memset(layout, 0, sizeof *layout);
  layout->benchmarks = calloc(count, sizeof *layout->benchmarks);
  layout->agents = calloc(count, sizeof *layout->agents);
  if (!layout->benchmarks || !layout->agents) return CGYM_ENOMEM;

  for (size_t i = 0; i < count; i++) {
    if (!records[i].benchmark_uri || !records[i].agent)
      return cgym_error_set(CGYM_EINVAL, "episode record %zu has no benchmark URI or agent "
                            "name", i);
    index_of(layout->benchmarks, &layout->benchmark_count, records[i].benchmark_uri);
    index_of(layout->agents, &layout->agent_count, records[i].agent);
  }

  layout->c0 = malloc(layout->benchmark_count * sizeof *layout->c0);
  layout->c_oz = malloc(layout->benchmark_count * sizeof *layout->c_oz);
  layout->cells = calloc(layout->benchmark_count * layout->agent_count, sizeof *layout->cells);
  if (!layout->c0 || !layout->c_oz || !layout->cells) return CGYM_ENOMEM;
  for (size_t row = 0; row < layout->benchmark_count; row++) layout->c0[row] = layout->c_oz[row] = -1;

  for (size_t i = 0; i < count; i++) {
    size_t row = index_of(layout->benchmarks, &layout->benchmark_count, records[i].benchmark_uri);
    size_t column = index_of(layout->agents, &layout->agent_count, records[i].agent);
    add_episode(layout, row, column, &records[i]);
  }
  return CGYM_OK;
}

static void append_count(text *out, int64_t count) {
  if (count < 0) text_append(out, " n/a |");
  else text_append(out, " %lld |", (long long)count);
}

/* Appends a cell: the geometric mean of its usable episodes, with "(k of n)" when only k of the
 * n episodes gave a ratio. Without a ratio it shows the first episode's status when none finished,
 * "n/a" when counts are unknown or zero, and "-" when the agent has no episode there. */
static void append_cell(text *out, const cell *stats) {
  char ratio[32];

  if (stats->episodes == 0) {
    text_append(out, " - |");
    return;
  }
  if (stats->finished == 0) {
    text_append(out, " %s", cgym_episode_status_name(stats->first_unfinished->status));
    if (stats->episodes > 1) text_append(out, " (0 of %zu)", stats->episodes);
    text_append(out, " |");
    return;
  }
  if (stats->usable == 0) {
    text_append(out, " n/a |");
    return;
  }

  format_ratio(exp(stats->log_sum / (double)stats->usable), ratio);
  if (stats->usable < stats->episodes)
    text_append(out, " %s (%zu of %zu) |", ratio, stats->usable, stats->episodes);
  else
    text_append(out, " %s |", ratio);
}

static void append_geomean_row(text *out, const table *layout) {
  text_append(out, "| geomean | | |");

  for (size_t column = 0; column < layout->agent_count; column++) {
    double log_sum = 0;
    size_t benchmarks = 0;
    char ratio[32];

    for (size_t row = 0; row < layout->benchmark_count; row++) {
      const cell *stats = &layout->cells[row * layout->agent_count + column];
      if (stats->usable == 0) continue;
      log_sum += stats->log_sum / (double)stats->usable;
      benchmarks++;
    }

    if (benchmarks == 0) {
      text_append(out, " n/a |");
      continue;
    }
    format_ratio(exp(log_sum / (double)benchmarks), ratio);
    if (benchmarks < layout->benchmark_count)
      text_append(out, " %s (%zu of %zu) |", ratio, benchmarks, layout->benchmark_count);
    else
      text_append(out, " %s |", ratio);
  }
  text_append(out, "\n");
}

static void append_table(text *out, const table *layout) {
  text_append(out, "| benchmark | C0 | C_Oz |");
  for (size_t column = 0; column < layout->agent_count; column++) {
    text_append(out, " ");
    text_append_cell(out, layout->agents[column]);
    text_append(out, " |");
  }
  text_append(out, "\n| --- | ---: | ---: |");
  for (size_t column = 0; column < layout->agent_count; column++) text_append(out, " ---: |");
  text_append(out, "\n");

  for (size_t row = 0; row < layout->benchmark_count; row++) {
    text_append(out, "| ");
    text_append_cell(out, layout->benchmarks[row]);
    text_append(out, " |");
    append_count(out, layout->c0[row]);
    append_count(out, layout->c_oz[row]);
    for (size_t column = 0; column < layout->agent_count; column++)
      append_cell(out, &layout->cells[row * layout->agent_count + column]);
    text_append(out, "\n");
  }
  append_geomean_row(out, layout);
}

/* One list item: benchmark, agent, status, exit code or signal, pipeline and message. */
static void append_unfinished(text *out, const cgym_episode_record *record) {
  text_append(out, "- ");
  text_append_code(out, record->benchmark_uri);
  text_append(out, ", agent ");
  text_append_code(out, record->agent);
  text_append(out, ", episode %llu: %s", (unsigned long long)record->episode,
              cgym_episode_status_name(record->status));

  if (record->exit_code != 0) text_append(out, " (exit code %d)", record->exit_code);
  else if (record->signal != 0) text_append(out, " (signal %d)", record->signal);
  if (record->failed_pipeline) {
    text_append(out, " while running ");
    text_append_code(out, record->failed_pipeline);
  }
  if (record->message) {
    text_append(out, ": ");
    text_append_code(out, record->message);
  }
  text_append(out, "\n");
}

static void append_unfinished_list(text *out, const cgym_episode_record *records, size_t count) {
  size_t unfinished = 0;

  for (size_t i = 0; i < count; i++)
    if (records[i].status != CGYM_EPISODE_OK) unfinished++;
  if (unfinished == 0) {
    text_append(out, "\nEvery episode finished.\n");
    return;
  }

  text_append(out, "\n## Episodes that did not finish\n\n");
  for (size_t i = 0; i < count; i++)
    if (records[i].status != CGYM_EPISODE_OK) append_unfinished(out, &records[i]);
}

int cgym_results_format_markdown(const cgym_episode_record *records, size_t count, char **out) {
  text result = {0};
  table layout;
  int rc;

  if (!out || (!records && count > 0))
    return cgym_error_set(CGYM_EINVAL, "cgym_results_format_markdown needs records and an output");
  *out = NULL;

  text_append(&result, "# cgym results\n\n"
              "Each agent column shows C_Oz / C_final: the instruction count after -Oz divided by "
              "the instruction count the agent reached. Higher is better; 1.000 is as good as "
              "-Oz. C0 is the instruction count before optimization. Several episodes of one "
              "agent on one benchmark are combined by their geometric mean.\n\n");
  if (count == 0) {
    text_append(&result, "No episodes were recorded.\n");
  } else {
    rc = table_build(&layout, records, count);
    if (rc == CGYM_OK) {
      append_table(&result, &layout);
      append_unfinished_list(&result, records, count);
    }
    table_free(&layout);
    if (rc == CGYM_ENOMEM) result.failed = 1;
    else if (rc != CGYM_OK) {
      free(result.data);
      return rc;
    }
  }

  if (result.failed) {
    free(result.data);
    return cgym_error_set(CGYM_ENOMEM, "out of memory formatting the results table");
  }
  *out = result.data;
  return CGYM_OK;
}

int cgym_results_write_markdown(const char *path, const cgym_episode_record *records, size_t count) {
  char *markdown = NULL;

  if (!path) return cgym_error_set(CGYM_EINVAL, "cgym_results_write_markdown needs a path");

  int rc = cgym_results_format_markdown(records, count, &markdown);
  if (rc != CGYM_OK) return rc;
  rc = cgym_file_write_atomic(path, markdown, strlen(markdown), 0644, 1);
  free(markdown);
  return rc;
}
