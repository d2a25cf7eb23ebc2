/*
 * Loading runs for comparison, the comparability check and the aggregation into rows.
 *
 * Runs are comparable when they share the LLVM version, the action space (id and hash) and the
 * suite (name, definition digest and the bitcode digest of every benchmark both ran). Counts of
 * runs that differ in any of these measure different things, so the table lists each differing
 * field with both values.
 */
#include "harness/compare.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "env/error_internal.h"
#include "manifests/manifest.h"

static const char *const comparable_fields[] = {
    "llvm.version", "action_space.id", "action_space.sha256", "suite.name",
    "suite.definition_digest.sha256", NULL,
};

static void add_incomparable(cgym_compare_table *table, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void add_incomparable(cgym_compare_table *table, const char *format, ...) {
  char line[1024];
  va_list args;
  va_start(args, format);
  vsnprintf(line, sizeof line, format, args);
  va_end(args);
  char **grown = realloc(table->incomparable, (table->incomparable_count + 1) * sizeof *grown);
  if (!grown) return;
  table->incomparable = grown;
  table->incomparable[table->incomparable_count] = strdup(line);
  if (table->incomparable[table->incomparable_count]) table->incomparable_count++;
}

int cgym_compare_add(cgym_compare_table *table, const char *path, int is_signed,
                     cgym_run_manifest *manifest) {
  cgym_compare_run *grown = realloc(table->runs, (table->run_count + 1) * sizeof *grown);
  if (!grown) return cgym_error_set(CGYM_ENOMEM, "out of memory comparing runs");
  table->runs = grown;

  cgym_compare_run *run = &table->runs[table->run_count];
  char label[16];
  size_t index = table->run_count;
  if (index < 26) snprintf(label, sizeof label, "%c", (int)('A' + index));
  else snprintf(label, sizeof label, "R%zu", index + 1);
  run->label = strdup(label);
  run->path = strdup(path);
  run->is_signed = is_signed;
  run->manifest = *manifest;
  memset(manifest, 0, sizeof *manifest);
  table->run_count++;
  if (!run->label || !run->path) return cgym_error_set(CGYM_ENOMEM, "out of memory");
  return CGYM_OK;
}

static char *join_path(const char *folder, const char *name) {
  size_t size = strlen(folder) + strlen(name) + 2;
  char *joined = malloc(size);
  if (joined) snprintf(joined, size, "%s/%s", folder, name);
  return joined;
}

static int is_results_file(const char *path) {
  const char *slash = strrchr(path, '/');
  return strcmp(slash ? slash + 1 : path, CGYM_RESULTS_JSON) == 0;
}

/*
 * Finds the file to read for RUN into *file: a file as given, or in a run folder its manifest,
 * or its results.json when the run was made without a key and so has no manifest. *is_signed is
 * 1 for a manifest and 0 for a results.json.
 */
static int locate_run(const char *path, char **file, int *is_signed) {
  struct stat info;

  *file = NULL;
  if (stat(path, &info) != 0)
    return cgym_error_set(CGYM_ENOTFOUND, "run %s not found: give a run folder (the --out of "
                          "cgym run) or its %s", path, CGYM_MANIFEST_FILE);
  if (!S_ISDIR(info.st_mode)) {
    *is_signed = !is_results_file(path);
    *file = strdup(path);
    return *file ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory");
  }

  char *manifest = join_path(path, CGYM_MANIFEST_FILE);
  char *results = join_path(path, CGYM_RESULTS_JSON);
  int rc = CGYM_OK;
  if (!manifest || !results) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory");
  } else if (stat(manifest, &info) == 0) {
    *is_signed = 1;
    *file = manifest;
    manifest = NULL;
  } else if (stat(results, &info) == 0) {
    *is_signed = 0;
    *file = results;
    results = NULL;
  } else {
    rc = cgym_error_set(CGYM_ENOTFOUND, "run folder %s has neither %s nor %s: give the --out "
                        "folder of a finished cgym run", path, CGYM_MANIFEST_FILE,
                        CGYM_RESULTS_JSON);
  }
  free(manifest);
  free(results);
  return rc;
}

/* Reads one run: the predicate and episodes of a manifest, or those built from results.json. */
static int load_run(const char *file, int is_signed, cgym_run_manifest *manifest) {
  json_t *predicate = NULL;

  if (!is_signed) return cgym_run_manifest_from_results(file, manifest);
  int rc = cgym_manifest_read_predicate(file, &predicate);
  if (rc == CGYM_OK) rc = cgym_run_manifest_load(file, predicate, manifest);
  json_decref(predicate);
  return rc;
}

int cgym_compare_load(cgym_compare_table *table, const char *const *paths, size_t count) {
  for (size_t i = 0; i < count; i++) {
    char *file = NULL;
    int is_signed = 0;
    cgym_run_manifest manifest = {0};

    int rc = locate_run(paths[i], &file, &is_signed);
    if (rc == CGYM_OK) rc = load_run(file, is_signed, &manifest);
    if (rc == CGYM_OK) rc = cgym_compare_add(table, file, is_signed, &manifest);
    free(file);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

/* Lists benchmarks that both runs name with different bitcode digests. */
static void check_benchmarks(cgym_compare_table *table, const cgym_compare_run *a,
                             const cgym_compare_run *b) {
  json_t *list_a = json_object_get(json_object_get(a->manifest.predicate, "suite"), "benchmarks");
  json_t *list_b = json_object_get(json_object_get(b->manifest.predicate, "suite"), "benchmarks");
  size_t i, j;
  json_t *entry_a, *entry_b;

  json_array_foreach(list_a, i, entry_a) {
    const char *uri = cgym_predicate_string(entry_a, "uri");
    const char *digest_a = cgym_predicate_string(entry_a, "digest.sha256");
    json_array_foreach(list_b, j, entry_b) {
      const char *digest_b = cgym_predicate_string(entry_b, "digest.sha256");
      if (!uri || !digest_a || !digest_b || strcmp(uri, cgym_predicate_string(entry_b, "uri") ?
                                                        cgym_predicate_string(entry_b, "uri") : ""))
        continue;
      if (strcmp(digest_a, digest_b) != 0)
        add_incomparable(table, "benchmark %s bitcode sha256 differs: %s has %s, %s has %s", uri,
                         a->label, digest_a, b->label, digest_b);
    }
  }
}

static void check_comparable(cgym_compare_table *table) {
  const cgym_compare_run *first = &table->runs[0];
  for (size_t r = 1; r < table->run_count; r++) {
    const cgym_compare_run *other = &table->runs[r];
    for (size_t f = 0; comparable_fields[f]; f++) {
      const char *a = cgym_predicate_string(first->manifest.predicate, comparable_fields[f]);
      const char *b = cgym_predicate_string(other->manifest.predicate, comparable_fields[f]);
      if (a && b && strcmp(a, b) == 0) continue;
      add_incomparable(table, "%s differs: %s has %s, %s has %s", comparable_fields[f],
                       first->label, a ? a : "nothing", other->label, b ? b : "nothing");
    }
    check_benchmarks(table, first, other);
  }
}

/* Finds the row for (benchmark, agent), appending it when new. */
static cgym_compare_row *find_row(cgym_compare_table *table, const char *benchmark,
                                  const char *agent) {
  for (size_t i = 0; i < table->row_count; i++)
    if (!strcmp(table->rows[i].benchmark, benchmark) && !strcmp(table->rows[i].agent, agent))
      return &table->rows[i];

  cgym_compare_row *grown = realloc(table->rows, (table->row_count + 1) * sizeof *grown);
  if (!grown) return NULL;
  table->rows = grown;
  cgym_compare_row *row = &table->rows[table->row_count];
  row->benchmark = strdup(benchmark);
  row->agent = strdup(agent);
  row->cells = calloc(table->run_count, sizeof *row->cells);
  row->spread = NAN;
  table->row_count++;
  if (!row->benchmark || !row->agent || !row->cells) return NULL;
  return row;
}

/* Running sums for one cell. */
typedef struct accumulator {
  double log_ratio, reward, removed, wall;
  size_t ratios, episodes;
} accumulator;

static void finish_cell(cgym_compare_cell *cell, const accumulator *sum) {
  cell->ratio = sum->ratios ? exp(sum->log_ratio / (double)sum->ratios) : NAN;
  cell->reward = sum->episodes ? sum->reward / (double)sum->episodes : NAN;
  cell->removed_percent = sum->episodes ? sum->removed / (double)sum->episodes : NAN;
  cell->wall_seconds = sum->episodes ? sum->wall / (double)sum->episodes : NAN;
}

/* Aggregates the episodes of run r that belong to row. */
static void fill_cell(cgym_compare_row *row, const cgym_compare_run *run, size_t r) {
  accumulator sum = {0};
  for (size_t i = 0; i < run->manifest.episode_count; i++) {
    const cgym_episode_record *e = &run->manifest.episodes[i];
    if (strcmp(e->benchmark_uri, row->benchmark) || strcmp(e->agent, row->agent)) continue;
    if (e->status != CGYM_EPISODE_OK || e->c0 <= 0 || e->c_oz < 0 || e->c_final < 0) continue;
    if (e->c_final > 0 && e->c_oz > 0) {
      sum.log_ratio += log((double)e->c_oz / (double)e->c_final);
      sum.ratios++;
    }
    double denominator = e->c0 - e->c_oz > 1 ? (double)(e->c0 - e->c_oz) : 1.0;
    sum.reward += (double)(e->c0 - e->c_final) / denominator;
    sum.removed += 100.0 * (double)(e->c0 - e->c_final) / (double)e->c0;
    sum.wall += e->wall_seconds;
    sum.episodes++;
  }
  finish_cell(&row->cells[r], &sum);
}

static void fill_spread(cgym_compare_row *row, size_t run_count) {
  double low = INFINITY, high = -INFINITY;
  size_t seen = 0;
  for (size_t r = 0; r < run_count; r++) {
    if (isnan(row->cells[r].ratio)) continue;
    low = fmin(low, row->cells[r].ratio);
    high = fmax(high, row->cells[r].ratio);
    seen++;
  }
  row->spread = seen >= 2 ? high - low : NAN;
}

/* Appends one "geomean" row per agent over the benchmark rows before it. */
static int add_geomeans(cgym_compare_table *table) {
  size_t benchmark_rows = table->row_count;
  for (size_t i = 0; i < benchmark_rows; i++) {
    const char *agent = table->rows[i].agent;
    int seen_before = 0;
    for (size_t j = 0; j < i; j++) seen_before |= !strcmp(table->rows[j].agent, agent);
    if (seen_before) continue;

    cgym_compare_row *row = find_row(table, "geomean", agent);
    if (!row) return cgym_error_set(CGYM_ENOMEM, "out of memory comparing runs");
    agent = row->agent;
    for (size_t r = 0; r < table->run_count; r++) {
      accumulator sum = {0};
      for (size_t b = 0; b < benchmark_rows; b++) {
        const cgym_compare_cell *cell = &table->rows[b].cells[r];
        if (strcmp(table->rows[b].agent, agent) || isnan(cell->reward)) continue;
        if (!isnan(cell->ratio) && cell->ratio > 0) {
          sum.log_ratio += log(cell->ratio);
          sum.ratios++;
        }
        sum.reward += cell->reward;
        sum.removed += cell->removed_percent;
        sum.wall += cell->wall_seconds;
        sum.episodes++;
      }
      finish_cell(&row->cells[r], &sum);
    }
    fill_spread(row, table->run_count);
  }
  return CGYM_OK;
}

int cgym_compare_build(cgym_compare_table *table) {
  if (table->run_count == 0) return cgym_error_set(CGYM_EINVAL, "no runs to compare");
  check_comparable(table);

  for (size_t r = 0; r < table->run_count; r++) {
    const cgym_run_manifest *manifest = &table->runs[r].manifest;
    for (size_t i = 0; i < manifest->episode_count; i++) {
      const cgym_episode_record *e = &manifest->episodes[i];
      if (!find_row(table, e->benchmark_uri, e->agent))
        return cgym_error_set(CGYM_ENOMEM, "out of memory comparing runs");
    }
  }
  for (size_t i = 0; i < table->row_count; i++) {
    for (size_t r = 0; r < table->run_count; r++) fill_cell(&table->rows[i], &table->runs[r], r);
    fill_spread(&table->rows[i], table->run_count);
  }
  return add_geomeans(table);
}

void cgym_compare_free(cgym_compare_table *table) {
  if (!table) return;
  for (size_t r = 0; r < table->run_count; r++) {
    free(table->runs[r].label);
    free(table->runs[r].path);
    cgym_run_manifest_clear(&table->runs[r].manifest);
  }
  for (size_t i = 0; i < table->row_count; i++) {
    free(table->rows[i].benchmark);
    free(table->rows[i].agent);
    free(table->rows[i].cells);
  }
  for (size_t i = 0; i < table->incomparable_count; i++) free(table->incomparable[i]);
  free(table->runs);
  free(table->rows);
  free(table->incomparable);
  memset(table, 0, sizeof *table);
}
