/*
 * `cgym compare RUN...`: the side-by-side table of runs on the terminal and in the export
 * formats. Runs that are not comparable (another LLVM version, action space or suite checksum)
 * are rejected with each differing field named, unless --force asks for the table anyway.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/error.h"
#include "harness/cli.h"
#include "harness/compare.h"
#include "env/file_io.h"

#define EXPORT_COUNT 4

static const struct option compare_options[] = {
    {"export-markdown", required_argument, NULL, 'm'},
    {"export-csv", required_argument, NULL, 'c'},
    {"export-json", required_argument, NULL, 'J'},
    {"export-latex", required_argument, NULL, 'l'},
    {"force", no_argument, NULL, 'f'},
    {NULL, 0, NULL, 0},
};

static const cgym_compare_format export_formats[EXPORT_COUNT] = {
    CGYM_COMPARE_MARKDOWN, CGYM_COMPARE_CSV, CGYM_COMPARE_JSON, CGYM_COMPARE_LATEX};

/* Writes one rendering to path, "-" meaning stdout. */
static int export_table(const cgym_compare_table *table, cgym_compare_format format,
                        const char *path) {
  char *rendered = NULL;
  int rc = cgym_compare_render(table, format, &rendered);
  if (rc == CGYM_OK && strcmp(path, "-") == 0) fputs(rendered, stdout);
  else if (rc == CGYM_OK) rc = cgym_file_write_atomic(path, rendered, strlen(rendered), 0644, 1);
  free(rendered);
  return rc == CGYM_OK ? CGYM_EXIT_OK : cgym_cli_report("compare", rc);
}

/* Prints the table and the exports. An export to "-" replaces the terminal table on stdout. */
int cgym_compare_print(const cgym_compare_table *table, const char *const *exports) {
  int to_stdout = 0;
  for (size_t i = 0; i < EXPORT_COUNT; i++) to_stdout |= exports[i] && !strcmp(exports[i], "-");
  if (!to_stdout) {
    int exit_code = export_table(table, CGYM_COMPARE_TERMINAL, "-");
    if (exit_code != CGYM_EXIT_OK) return exit_code;
  }
  for (size_t i = 0; i < EXPORT_COUNT; i++) {
    if (!exports[i]) continue;
    int exit_code = export_table(table, export_formats[i], exports[i]);
    if (exit_code != CGYM_EXIT_OK) return exit_code;
  }
  return CGYM_EXIT_OK;
}

/* Says on stderr which fields differ; returns CGYM_EXIT_INTEGRITY unless forced. */
int cgym_compare_refuse(const cgym_compare_table *table, int force) {
  if (table->incomparable_count == 0) return CGYM_EXIT_OK;
  fprintf(stderr, "cgym: compare: the runs are NOT COMPARABLE:\n");
  for (size_t i = 0; i < table->incomparable_count; i++)
    fprintf(stderr, "cgym:   %s\n", table->incomparable[i]);
  if (force) return CGYM_EXIT_OK;
  fprintf(stderr, "cgym: compare: no table printed; pass --force to print it anyway\n");
  return CGYM_EXIT_INTEGRITY;
}

int cgym_cmd_compare(int argc, char **argv) {
  const char *exports[EXPORT_COUNT] = {NULL};
  int force = 0, option;
  while ((option = getopt_long(argc, argv, "f", compare_options, NULL)) != -1) {
    switch (option) {
    case 'm': exports[0] = optarg; break;
    case 'c': exports[1] = optarg; break;
    case 'J': exports[2] = optarg; break;
    case 'l': exports[3] = optarg; break;
    case 'f': force = 1; break;
    default: return cgym_cli_usage_error("compare", "invalid option");
    }
  }
  if (optind >= argc) return cgym_cli_usage_error("compare", "expected at least one RUN");

  cgym_compare_table table = {0};
  int rc = cgym_compare_load(&table, (const char *const *)argv + optind, (size_t)(argc - optind));
  if (rc == CGYM_OK) rc = cgym_compare_build(&table);
  int exit_code = rc == CGYM_OK ? cgym_compare_refuse(&table, force)
                                : cgym_cli_report("compare", rc);
  if (exit_code == CGYM_EXIT_OK) exit_code = cgym_compare_print(&table, exports);
  cgym_compare_free(&table);
  return exit_code;
}
