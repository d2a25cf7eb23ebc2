/*
 * `cgym suites run SUITE`: builds each selected benchmark's bitcode into an executable, runs it
 * on the inputs of its run spec and compares exit status, stdout and output files with the
 * expected digests. One line per benchmark on stdout (a table row, or with --format json one
 * JSON object per line); exit code 3 when any program misbehaved.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "harness/cli.h"

/* A suite has at most this many benchmarks (CGYM_SUITE_MAX_BENCHMARKS). */
#define MAX_SELECTED 4096

typedef struct run_command {
  int json;
  const char *bitcode;
  const char *selected[MAX_SELECTED + 1]; /* NULL-terminated; empty: every benchmark with a run
                                             spec */
  size_t selected_count;
  cgym_prepare_options prepare;
  cgym_program_options program;
} run_command;

enum {
  OPTION_FORMAT = 'f',
  OPTION_MIRROR = 'm',
  OPTION_CACHE = 'c',
  OPTION_OFFLINE = 'o',
  OPTION_BENCHMARK = 'b',
  OPTION_BITCODE = 'i',
  OPTION_WORK_DIR = 'w',
};

static const struct option long_options[] = {
    {"format", required_argument, NULL, OPTION_FORMAT},
    {"mirror", required_argument, NULL, OPTION_MIRROR},
    {"cache", required_argument, NULL, OPTION_CACHE},
    {"offline", no_argument, NULL, OPTION_OFFLINE},
    {"benchmark", required_argument, NULL, OPTION_BENCHMARK},
    {"bitcode", required_argument, NULL, OPTION_BITCODE},
    {"work-dir", required_argument, NULL, OPTION_WORK_DIR},
    {NULL, 0, NULL, 0},
};

static int parse_run_options(int argc, char **argv, run_command *out) {
  const cgym_prepare_options prepare = CGYM_PREPARE_OPTIONS_INIT;
  const cgym_program_options program = CGYM_PROGRAM_OPTIONS_INIT;
  memset(out, 0, sizeof *out);
  out->prepare = prepare;
  out->prepare.progress = cgym_cli_print_stage;
  out->program = program;
  optind = 1;

  int option;
  while ((option = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
    switch (option) {
    case OPTION_FORMAT:
      if (cgym_cli_parse_format("suites", optarg, &out->json)) return CGYM_EXIT_USAGE;
      break;
    case OPTION_MIRROR: out->prepare.mirror = optarg; break;
    case OPTION_CACHE: out->prepare.cache_dir = optarg; break;
    case OPTION_OFFLINE: out->prepare.offline = 1; break;
    case OPTION_BITCODE: out->bitcode = optarg; break;
    case OPTION_WORK_DIR: out->program.work_dir = optarg; break;
    case OPTION_BENCHMARK:
      if (out->selected_count == MAX_SELECTED)
        return cgym_cli_usage_error("suites", "--benchmark given more than %d times", MAX_SELECTED);
      out->selected[out->selected_count++] = optarg;
      break;
    default: return cgym_cli_usage_error("suites", "invalid option for 'suites run'");
    }
  }
  if (optind + 1 != argc) return cgym_cli_usage_error("suites", "expected one SUITE argument");
  if (out->bitcode && out->selected_count != 1)
    return cgym_cli_usage_error("suites", "--bitcode FILE needs exactly one --benchmark NAME, "
                                          "the benchmark whose run spec checks it");
  return 0;
}

/* Selects every benchmark with a run spec when no --benchmark was given. */
static int select_all(const cgym_suite *suite, run_command *command) {
  for (size_t i = 0; i < cgym_suite_benchmark_count(suite); i++) {
    if (cgym_suite_benchmark_has_run(suite, i))
      command->selected[command->selected_count++] = cgym_suite_benchmark_name(suite, i);
  }
  if (command->selected_count > 0) return 0;
  fprintf(stderr,
          "cgym: suite %s (%s) has no benchmark with a run spec; only the benchmarks of a "
          "source suite can have one, as a \"run\" object (docs/suite-format.md)\n",
          cgym_suite_name(suite), cgym_suite_kind(suite));
  return CGYM_EXIT_USAGE;
}

/* ---- output ----------------------------------------------------------------------------- */

static json_t *result_json(const cgym_program_result *r) {
  json_t *object =
      json_pack("{s:s, s:s, s:s?, s:s?, s:i, s:i, s:f}", "benchmark", r->benchmark, "status",
                cgym_program_status_name(r->status), "bitcode", r->bitcode_path, "bitcode_sha256",
                r->bitcode_sha256, "exit_status", r->exit_status, "expected_exit_status",
                r->expected_exit_status, "seconds", r->seconds);
  if (!object) return NULL;
  if (r->status == CGYM_PROGRAM_WRONG_OUTPUT)
    json_object_update_new(
        object, json_pack("{s:s, s:s, s:s?, s:I, s:I}", "stream", r->stream, "expected_sha256",
                          r->expected_sha256, "actual_sha256", r->actual_sha256, "expected_size",
                          (json_int_t)r->expected_size, "actual_size", (json_int_t)r->actual_size));
  if (r->status == CGYM_PROGRAM_CRASHED)
    json_object_set_new(object, "signal", json_integer(r->signal));
  if (r->status == CGYM_PROGRAM_TIMED_OUT)
    json_object_set_new(object, "timeout_seconds", json_integer(r->timeout_seconds));
  if (r->detail) json_object_set_new(object, "detail", json_string(r->detail));
  return object;
}

/* The table row's last column: what differed, in the words of the status. */
static void print_difference(const cgym_program_result *r) {
  switch (r->status) {
  case CGYM_PROGRAM_OK: break;
  case CGYM_PROGRAM_WRONG_OUTPUT:
    printf("  %s: expected SHA-256 %s (%llu bytes), got %s (%llu bytes)", r->stream,
           r->expected_sha256, (unsigned long long)r->expected_size,
           r->actual_sha256 ? r->actual_sha256 : "none", (unsigned long long)r->actual_size);
    break;
  case CGYM_PROGRAM_WRONG_EXIT_STATUS:
    printf("  expected exit status %d, got %d", r->expected_exit_status, r->exit_status);
    break;
  case CGYM_PROGRAM_TIMED_OUT: printf("  killed after %d s", r->timeout_seconds); break;
  case CGYM_PROGRAM_CRASHED: printf("  killed by signal %d", r->signal); break;
  case CGYM_PROGRAM_BUILD_FAILED: break;
  }
  if (r->status != CGYM_PROGRAM_OK && r->detail) printf("  (%s)", r->detail);
}

static void print_result(const run_command *command, const cgym_program_result *r) {
  if (command->json) {
    json_t *object = result_json(r);
    if (object) json_dumpf(object, stdout, JSON_COMPACT);
    json_decref(object);
  } else {
    printf("%-18s %-17s %8.2f s", r->benchmark, cgym_program_status_name(r->status), r->seconds);
    print_difference(r);
  }
  putchar('\n');
  fflush(stdout);
}

/* ---- command ---------------------------------------------------------------------------- */

/* Runs every selected benchmark. A benchmark that cannot run (missing input, unreadable
 * bitcode) is reported on stderr and the others still run; its error decides the exit code. */
static int run_selected(cgym_suite *suite, run_command *command) {
  size_t matched = 0, misbehaved = 0;
  int error_exit = 0;

  command->program.bitcode = command->bitcode;
  command->program.prepare = &command->prepare;
  for (size_t i = 0; i < command->selected_count; i++) {
    cgym_program_result result;
    int rc = cgym_suite_run_program(suite, command->selected[i], &command->program, &result);
    if (rc != CGYM_OK) {
      int code = cgym_cli_report(command->selected[i], rc);
      if (!error_exit) error_exit = code;
      continue;
    }
    print_result(command, &result);
    if (result.status == CGYM_PROGRAM_OK)
      matched++;
    else
      misbehaved++;
    cgym_program_result_clear(&result);
  }
  fprintf(stderr, "cgym: %zu of %zu programs match their run spec\n", matched,
          command->selected_count);
  if (error_exit) return error_exit;
  return misbehaved ? CGYM_EXIT_VERIFY : CGYM_EXIT_OK;
}

/* Builds the selected modules in one prepare first, so the builds run in parallel and their
 * progress shows, unless --bitcode names the module. */
static int prepare_selected(cgym_suite *suite, run_command *command) {
  if (command->bitcode) return CGYM_EXIT_OK;
  cgym_prepared_suite *prepared = NULL;
  cgym_prepare_options prepare = command->prepare;
  prepare.only = command->selected;
  int rc = cgym_suite_prepare(suite, &prepare, &prepared);
  cgym_prepared_suite_free(prepared);
  return rc == CGYM_OK ? CGYM_EXIT_OK : cgym_cli_report(cgym_suite_name(suite), rc);
}

int cgym_cmd_suites_run(int argc, char **argv) {
  run_command *command = calloc(1, sizeof *command);
  cgym_suite *suite = NULL;
  if (!command) {
    fprintf(stderr, "cgym: out of memory\n");
    return CGYM_EXIT_FAILURE;
  }

  int exit_code = parse_run_options(argc, argv, command);
  const char *name = exit_code ? NULL : argv[optind];
  if (!exit_code) {
    int rc = cgym_suite_open(&suite, name);
    if (rc != CGYM_OK) exit_code = cgym_cli_report(name, rc);
  }
  if (!exit_code && command->selected_count == 0) exit_code = select_all(suite, command);
  if (!exit_code) exit_code = prepare_selected(suite, command);
  if (!exit_code) exit_code = run_selected(suite, command);

  cgym_suite_free(suite);
  free(command);
  return exit_code;
}
