/*
 * `cgym import CSV...`: replays CompilerGym state CSVs (its leaderboard's result files) on
 * LLVM 19 and compares the published rewards with the LLVM 19 ones. docs/import.md describes the
 * outputs and the treatment of each kind of row.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datasets/cache.h"
#include "env/error_internal.h"
#include "harness/cli.h"
#include "harness/import.h"
#include "env/file_io.h"

#define DEFAULT_OUT "cgym-import"
#define DEFAULT_TIMEOUT_SECONDS 900
#define DEFAULT_MEMORY_LIMIT_MIB 4096
/* Bounds on options, as for `cgym run`. */
#define MAX_SOURCES 256
#define MAX_JOBS 256

enum { OPT_TIMEOUT = 1000, OPT_MEMORY, OPT_MIRROR, OPT_CACHE, OPT_OFFLINE };

static const struct option import_options[] = {
    {"out", required_argument, NULL, 'o'},
    {"key", required_argument, NULL, 'k'},
    {"jobs", required_argument, NULL, 'j'},
    {"quiet", no_argument, NULL, 'q'},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"memory-limit", required_argument, NULL, OPT_MEMORY},
    {"mirror", required_argument, NULL, OPT_MIRROR},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"offline", no_argument, NULL, OPT_OFFLINE},
    {NULL, 0, NULL, 0},
};

typedef struct import_request {
  cgym_import_options options;
  const char *paths[MAX_SOURCES];
  size_t path_count;
  int quiet;
} import_request;

static int parse_limit(const char *option, const char *text, uint64_t max, uint64_t *out) {
  if (cgym_cli_parse_u64(text, max, out) == 0) return CGYM_EXIT_OK;
  return cgym_cli_usage_error("import", "invalid value '%s' for --%s: expected an integer from 0 "
                              "to %llu", text, option, (unsigned long long)max);
}

static int parse_option(int option, import_request *request) {
  cgym_import_options *options = &request->options;
  uint64_t value = 0;
  int exit_code = CGYM_EXIT_OK;
  switch (option) {
  case 'o': options->out_dir = optarg; break;
  case 'k': options->signing_key = optarg; break;
  case 'q': request->quiet = 1; break;
  case 'j':
    if (cgym_cli_parse_u64(optarg, MAX_JOBS, &value) != 0 || value == 0)
      return cgym_cli_usage_error("import", "invalid --jobs '%s': expected 1 to %d", optarg,
                                  MAX_JOBS);
    options->limits.jobs = (unsigned)value;
    break;
  case OPT_TIMEOUT:
    exit_code = parse_limit("timeout", optarg, 7 * 24 * 3600, &value);
    options->limits.timeout_seconds = (unsigned)value;
    break;
  case OPT_MEMORY:
    exit_code = parse_limit("memory-limit", optarg, 1u << 20, &value);
    options->limits.memory_limit_bytes = value << 20;
    break;
  case OPT_MIRROR: options->prepare.mirror = optarg; break;
  case OPT_CACHE: options->prepare.cache_dir = optarg; break;
  case OPT_OFFLINE: options->prepare.offline = 1; break;
  default: return cgym_cli_usage_error("import", "invalid option");
  }
  return exit_code;
}

static int parse_import(int argc, char **argv, import_request *request) {
  int option;
  while ((option = getopt_long(argc, argv, "o:k:j:q", import_options, NULL)) != -1) {
    int exit_code = parse_option(option, request);
    if (exit_code != CGYM_EXIT_OK) return exit_code;
  }
  if (optind == argc) return cgym_cli_usage_error("import", "expected at least one CSV file");
  if (argc - optind > MAX_SOURCES)
    return cgym_cli_usage_error("import", "more than %d CSV files", MAX_SOURCES);

  int stdin_count = 0;
  for (int i = optind; i < argc; i++) {
    stdin_count += strcmp(argv[i], "-") == 0;
    request->paths[request->path_count++] = argv[i];
  }
  if (stdin_count > 1) return cgym_cli_usage_error("import", "'-' (stdin) is given more than once");
  /* The key is used only after every replay, so a missing file is caught before them. */
  const char *key = request->options.signing_key;
  if (key && access(key, R_OK) != 0)
    return cgym_cli_usage_error("import", "cannot read --key '%s': %s", key, strerror(errno));
  return CGYM_EXIT_OK;
}

/* Reads all of stdin, up to the CSV limit, into a NUL-terminated buffer. */
static int read_stdin(char **text, size_t *size) {
  size_t capacity = 1 << 16;
  *size = 0;
  *text = malloc(capacity);
  if (!*text) return cgym_error_set(CGYM_ENOMEM, "out of memory reading stdin");
  for (;;) {
    *size += fread(*text + *size, 1, capacity - *size - 1, stdin);
    if (*size < capacity - 1) break;
    if (capacity > CGYM_STATE_TEXT_MAX_BYTES)
      return cgym_error_set(CGYM_ELIMIT, "the CSV on stdin has more than the maximum of %zu "
                            "bytes", CGYM_STATE_TEXT_MAX_BYTES);
    char *grown = realloc(*text, capacity *= 2);
    if (!grown) return cgym_error_set(CGYM_ENOMEM, "out of memory reading stdin");
    *text = grown;
  }
  (*text)[*size] = '\0';
  if (ferror(stdin)) return cgym_error_set(CGYM_EIO, "reading the CSV from stdin failed");
  return CGYM_OK;
}

/* Reads one CSV, hashes its bytes and parses its rows into source. */
static int read_source(cgym_import_source *source) {
  char *text = NULL;
  size_t size = 0;
  int rc = strcmp(source->path, "-") == 0
               ? read_stdin(&text, &size)
               : cgym_file_read_all(source->path, CGYM_STATE_TEXT_MAX_BYTES, "CSV", &text, &size);
  if (rc == CGYM_OK && strlen(text) != size)
    rc = cgym_error_set(CGYM_EFORMAT, "the CSV contains a NUL byte at offset %zu; expected a "
                        "text file", strlen(text));
  if (rc == CGYM_OK) rc = cgym_sha256_hex(text, size, source->sha256);
  if (rc == CGYM_OK) rc = cgym_state_csv_read(&source->rows, &source->row_count, text);
  free(text);
  return rc;
}

/* Puts the CSV's name in front of the message of a failure to read it. */
static int name_source(const char *path, int rc) {
  char *message = strdup(cgym_error_message());
  if (!message) return rc;
  if (strstr(message, path) == NULL) rc = cgym_error_set(rc, "%s: %s", path, message);
  free(message);
  return rc;
}

static int read_sources(const import_request *request, cgym_import *import) {
  size_t rows = 0;
  import->sources = calloc(request->path_count, sizeof *import->sources);
  if (!import->sources) return cgym_cli_report("import", cgym_error_set(CGYM_ENOMEM, "out of "
                                                "memory"));
  for (size_t i = 0; i < request->path_count; i++) {
    cgym_import_source *source = &import->sources[import->source_count++];
    source->path = request->paths[i];
    int rc = read_source(source);
    if (rc != CGYM_OK) return cgym_cli_report("import", name_source(source->path, rc));
    rows += source->row_count;
  }
  if (rows == 0) {
    fprintf(stderr, "cgym: import: the CSVs hold no result rows, only headers or blank lines\n");
    return CGYM_EXIT_INTEGRITY;
  }
  return CGYM_EXIT_OK;
}

static void print_stage(void *context, const char *message) {
  const import_request *request = context;
  if (!request->quiet) fprintf(stderr, "cgym: %s\n", message);
}

/* Replays every suite that the rows name, each once, in order of first appearance. */
static int import_suites(cgym_import *import, const import_request *request) {
  for (size_t i = 0; i < import->row_count; i++) {
    const char *suite = import->rows[i].suite;
    int seen = !suite;
    for (size_t j = 0; j < i && !seen; j++)
      seen = import->rows[j].suite && strcmp(import->rows[j].suite, suite) == 0;
    if (seen) continue;
    int rc = cgym_import_suite(import, suite, &request->options);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

/* Prints one line per row that was not replayed as published, then the counts. */
static void print_summary(const cgym_import *import, const char *out_dir) {
  size_t by_status[4] = {0};
  for (size_t i = 0; i < import->row_count; i++) {
    const cgym_import_row *row = &import->rows[i];
    by_status[row->status]++;
    if (row->reason)
      fprintf(stderr, "cgym: %s row %zu (%s): %s: %s\n", row->source->path, row->number,
              row->csv->state->benchmark, cgym_import_status_name(row->status), row->reason);
    for (size_t j = 0; j < row->csv->unmapped_count; j++)
      fprintf(stderr, "cgym: %s row %zu (%s): flag %s has no LLVM 19 action and was skipped\n",
              row->source->path, row->number, row->csv->state->benchmark, row->csv->unmapped[j]);
  }
  fprintf(stderr, "cgym: imported %zu rows: %zu replayed, %zu partial, %zu not available, %zu "
          "replay failed; results in %s\n", import->row_count, by_status[CGYM_IMPORT_REPLAYED],
          by_status[CGYM_IMPORT_PARTIAL], by_status[CGYM_IMPORT_NOT_AVAILABLE],
          by_status[CGYM_IMPORT_REPLAY_FAILED], out_dir);
}

static int run_import(cgym_import *import, const import_request *request) {
  int rc = cgym_import_collect_rows(import);
  if (rc == CGYM_OK) rc = cgym_make_dirs(request->options.out_dir);
  if (rc == CGYM_OK) rc = import_suites(import, request);
  if (rc == CGYM_OK) rc = cgym_import_write_comparison(import, request->options.out_dir);
  if (rc != CGYM_OK) return cgym_cli_report("import", rc);

  char *table = NULL;
  if (!request->quiet && cgym_import_format_markdown(import, &table) == CGYM_OK)
    fputs(table, stdout);
  free(table);
  print_summary(import, request->options.out_dir);
  return CGYM_EXIT_OK;
}

int cgym_cmd_import(int argc, char **argv) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  import_request request = {
      .options = {
          .out_dir = DEFAULT_OUT,
          .prepare = (cgym_prepare_options)CGYM_PREPARE_OPTIONS_INIT,
          .limits = {DEFAULT_TIMEOUT_SECONDS, (uint64_t)DEFAULT_MEMORY_LIMIT_MIB << 20,
                     cpus > 0 ? (unsigned)cpus : 1},
          .progress = print_stage,
      },
  };
  request.options.progress_context = &request;
  int exit_code = parse_import(argc, argv, &request);
  if (exit_code != CGYM_EXIT_OK) return exit_code;

  cgym_import import = {0};
  exit_code = read_sources(&request, &import);
  if (exit_code == CGYM_EXIT_OK) exit_code = run_import(&import, &request);
  cgym_import_free(&import);
  return exit_code;
}
