#ifndef CGYM_HARNESS_COMPARE_H
#define CGYM_HARNESS_COMPARE_H

/*
 * Side-by-side comparison of runs: one row per benchmark and agent with, for every run, C_Oz /
 * C_final (several episodes combined by their geometric mean), the mean episode reward
 * (C0 - C_final) / max(C0 - C_Oz, 1), the mean percent of instructions removed and the mean wall
 * time, then the spread (max - min) of C_Oz / C_final across the runs, for example runs with
 * different seeds. A last row per agent holds the geometric means over the benchmarks.
 */

#include <stddef.h>

#include "harness/predicate.h"

/* A run to compare: its manifest predicate and episodes. */
typedef struct cgym_compare_run {
  char *label;        /* "A", "B", ... */
  char *path;         /* manifest path, or results.json of an unsigned run */
  int is_signed;      /* read from a manifest (its signatures are not checked here); 0 for a run
                         made without a key, read from results.json */
  cgym_run_manifest manifest;
} cgym_compare_run;

typedef struct cgym_compare_cell {
  double ratio, reward, removed_percent, wall_seconds; /* NaN when no episode finished */
} cgym_compare_cell;

typedef struct cgym_compare_row {
  char *benchmark;    /* URI, or "geomean" for an agent's summary row */
  char *agent;
  cgym_compare_cell *cells; /* one per run */
  double spread;      /* max - min of the ratios across runs; NaN with fewer than two */
} cgym_compare_row;

typedef struct cgym_compare_table {
  cgym_compare_run *runs;
  size_t run_count;
  cgym_compare_row *rows;
  size_t row_count;
  char **incomparable; /* one line per field that differs between runs */
  size_t incomparable_count;
} cgym_compare_table;

/* Loads each run: a manifest path, a run folder (its manifest, or its results.json when the run
 * was made without a key) or a results.json path. Manifests are read without verifying their
 * signatures. Errors: CGYM_ENOTFOUND for a path that does not exist or a folder with neither
 * file, and those of reading the manifests and results files. */
int cgym_compare_load(cgym_compare_table *table, const char *const *paths, size_t count);

/* Adds a run whose manifest is already loaded; the table takes the manifest. */
int cgym_compare_add(cgym_compare_table *table, const char *path, int is_signed,
                     cgym_run_manifest *manifest);

/* Fills the incomparable lines and the rows. */
int cgym_compare_build(cgym_compare_table *table);

void cgym_compare_free(cgym_compare_table *table);

typedef enum cgym_compare_format {
  CGYM_COMPARE_TERMINAL,
  CGYM_COMPARE_MARKDOWN,
  CGYM_COMPARE_CSV,
  CGYM_COMPARE_JSON,
  CGYM_COMPARE_LATEX,
} cgym_compare_format;

/* Renders the table into a malloc'ed string. Errors: CGYM_ENOMEM. */
int cgym_compare_render(const cgym_compare_table *table, cgym_compare_format format, char **out);

#endif
