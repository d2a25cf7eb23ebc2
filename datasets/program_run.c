/*
 * Running a benchmark's program: the check that an optimized module still does what the
 * original did. The bitcode is compiled to an executable, the run spec's inputs are copied into
 * a fresh folder, and the program runs there with a fixed environment and a wall-clock limit.
 * Its exit status, stdout and output files are then compared with the digests in the spec.
 *
 *   temporary folder WORK/.tmp-XXXXXX
 *     program   the executable (clang -O0 BITCODE -lLIB...)
 *     run/      the program's working folder, holding the inputs
 *
 * The inputs are copied while the cache lock is held (program_input.c), and the lock is released before
 * the program starts, so a slow program never blocks another process's prepare. The temporary
 * folder is removed on every path out.
 *
 * NOTE: the program runs as the calling user without a sandbox: a benchmark that writes outside
 * its folder can do so. The suite's definition is trusted as much as its sources.
 */
#define _GNU_SOURCE /* realpath */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgym/suites.h"
#include "datasets/build.h"
#include "datasets/cache.h"
#include "datasets/process.h"
#include "datasets/program_run.h"
#include "env/error_internal.h"
#include "env/sha256_internal.h"

/* A generous limit: clang -O0 turns the largest default module into an executable in seconds. */
#define NATIVE_BUILD_TIMEOUT_SECONDS 300
#define DETAIL_MAX 512

static const char *const status_names[] = {
    [CGYM_PROGRAM_OK] = "ok",
    [CGYM_PROGRAM_WRONG_OUTPUT] = "wrong_output",
    [CGYM_PROGRAM_WRONG_EXIT_STATUS] = "wrong_exit_status",
    [CGYM_PROGRAM_TIMED_OUT] = "timed_out",
    [CGYM_PROGRAM_CRASHED] = "crashed",
    [CGYM_PROGRAM_BUILD_FAILED] = "build_failed",
};

const char *cgym_program_status_name(cgym_program_status status) {
  if ((size_t)status >= sizeof status_names / sizeof status_names[0]) return "unknown";
  return status_names[status];
}

void cgym_program_result_clear(cgym_program_result *result) {
  if (!result) return;
  free(result->benchmark);
  free(result->bitcode_path);
  free(result->bitcode_sha256);
  free(result->stream);
  free(result->expected_sha256);
  free(result->actual_sha256);
  free(result->detail);
  memset(result, 0, sizeof *result);
}

int cgym_suite_benchmark_has_run(const cgym_suite *suite, size_t index) {
  if (!suite || suite->is_generator || suite->is_manifest || suite->is_folder) return 0;
  return index < suite->benchmark_count && suite->benchmarks[index].run != NULL;
}

static double now_seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static int set_detail(cgym_program_result *result, const char *text) {
  char line[DETAIL_MAX];
  cgym_first_line(text, line, sizeof line);
  if (!*line) return CGYM_OK;
  result->detail = strdup(line);
  return result->detail ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory");
}

/* ---- the bitcode ------------------------------------------------------------------------ */

/* Finds the bitcode to compile: the caller's file, or the module that prepare builds. A
 * benchmark that the suite excludes ends as BUILD_FAILED with the exclusion's reason. */
static int locate_bitcode(cgym_suite *suite, const cgym_suite_benchmark *benchmark,
                          const cgym_program_options *opts, cgym_program_result *result) {
  if (opts->bitcode) {
    struct stat info;
    if (stat(opts->bitcode, &info) != 0 || access(opts->bitcode, R_OK) != 0)
      return cgym_error_set(CGYM_ENOTFOUND, "bitcode file %s cannot be read: %s", opts->bitcode,
                            strerror(errno));
    if (!S_ISREG(info.st_mode))
      return cgym_error_set(CGYM_EINVAL, "bitcode path %s is not a regular file: give a .bc or "
                            ".ll module", opts->bitcode);
    /* The compiler runs in the run's temporary folder, so a relative path would not reach it. */
    result->bitcode_path = realpath(opts->bitcode, NULL);
    return result->bitcode_path ? CGYM_OK : cgym_error_set(CGYM_EIO, "cannot resolve %s: %s",
                                                           opts->bitcode, strerror(errno));
  }

  static const cgym_prepare_options defaults = CGYM_PREPARE_OPTIONS_INIT;
  cgym_prepare_options prepare = opts->prepare ? *opts->prepare : defaults;
  const char *only[] = {benchmark->name, NULL};
  cgym_prepared_suite *prepared = NULL;
  prepare.only = only;
  int rc = cgym_suite_prepare(suite, &prepare, &prepared);
  if (rc != CGYM_OK) return rc;

  if (prepared->benchmark_count == 1) {
    result->bitcode_path = strdup(prepared->benchmarks[0].bitcode_path);
    if (!result->bitcode_path) rc = cgym_error_set(CGYM_ENOMEM, "out of memory");
  } else if (prepared->excluded_count == 1) {
    result->status = CGYM_PROGRAM_BUILD_FAILED;
    rc = set_detail(result, prepared->excluded[0].reason);
  }
  cgym_prepared_suite_free(prepared);
  return rc;
}

/* Compiles the bitcode to folder/program. A failure is the program's BUILD_FAILED status with
 * clang's first error line, not an error of the call. */
static int compile_program(const cgym_run_spec *spec, const char *folder, const char *executable,
                           cgym_program_result *result) {
  cgym_build_tools tools;
  size_t argc = 0;
  char **argv = NULL;
  char **lib_flags = calloc(spec->libs.count + 1, sizeof *lib_flags);

  int rc = lib_flags ? cgym_build_tools_find(&tools)
                     : cgym_error_set(CGYM_ENOMEM, "out of memory compiling a program");
  if (rc != CGYM_OK) {
    free(lib_flags);
    return rc;
  }
  argv = calloc(spec->libs.count + 8, sizeof *argv);
  for (size_t i = 0; i < spec->libs.count && rc == CGYM_OK; i++) {
    lib_flags[i] = cgym_format("-l%s", spec->libs.items[i]);
    if (!lib_flags[i]) rc = cgym_error_set(CGYM_ENOMEM, "out of memory compiling a program");
  }
  if (rc == CGYM_OK && argv) {
    argv[argc++] = tools.clang;
    argv[argc++] = "-O0";
    argv[argc++] = "-w";
    argv[argc++] = result->bitcode_path;
    argv[argc++] = "-o";
    argv[argc++] = (char *)executable;
    for (size_t i = 0; i < spec->libs.count; i++)
      argv[argc++] = lib_flags[i];
    rc = cgym_build_run_tool(result->benchmark, argv, folder, NATIVE_BUILD_TIMEOUT_SECONDS);
    if (rc == CGYM_EBUILD) {
      result->status = CGYM_PROGRAM_BUILD_FAILED;
      rc = set_detail(result, cgym_error_message());
    }
  } else if (rc == CGYM_OK) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory compiling a program");
  }

  for (size_t i = 0; i < spec->libs.count; i++)
    free(lib_flags[i]);
  free(lib_flags);
  free(argv);
  cgym_build_tools_clear(&tools);
  return rc;
}

/* ---- the run ---------------------------------------------------------------------------- */

/* Records a wrong output: which stream or file, and both digests and sizes. actual_sha256 is
 * NULL for a file that is missing or too large to hash. */
static int report_wrong_output(cgym_program_result *result, const char *stream,
                               const cgym_run_digest *expected, const char *actual_sha256,
                               uint64_t actual_size) {
  result->status = CGYM_PROGRAM_WRONG_OUTPUT;
  result->stream = strdup(stream);
  result->expected_sha256 = strdup(expected->sha256);
  result->expected_size = expected->size;
  result->actual_size = actual_size;
  if (actual_sha256) result->actual_sha256 = strdup(actual_sha256);
  if (!result->stream || !result->expected_sha256 || (actual_sha256 && !result->actual_sha256))
    return cgym_error_set(CGYM_ENOMEM, "out of memory recording a wrong output");
  return CGYM_OK;
}

static int compare_stdout(const cgym_run_spec *spec, const cgym_process_result *process,
                          cgym_program_result *result) {
  char digest[CGYM_SHA256_HEX_SIZE];
  const cgym_run_digest *expected = &spec->stdout_digest;

  if (process->stdout_total > CGYM_RUN_MAX_OUTPUT_BYTES)
    return report_wrong_output(result, "stdout", expected, NULL, process->stdout_total);
  int rc = cgym_sha256_hex(process->stdout_data ? process->stdout_data : "", process->stdout_size,
                           digest);
  if (rc != CGYM_OK) return rc;
  if (strcmp(digest, expected->sha256) == 0 && process->stdout_size == expected->size)
    return CGYM_OK;
  return report_wrong_output(result, "stdout", expected, digest, process->stdout_size);
}

static int compare_output_file(const char *run_dir, const cgym_run_digest *expected,
                               cgym_program_result *result) {
  char digest[CGYM_SHA256_HEX_SIZE];
  struct stat info;
  char *path = cgym_format("%s/%s", run_dir, expected->path);
  if (!path) return cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", expected->path);

  int rc = CGYM_OK;
  if (lstat(path, &info) != 0 || !S_ISREG(info.st_mode))
    rc = report_wrong_output(result, expected->path, expected, NULL, 0);
  else if ((uint64_t)info.st_size > CGYM_RUN_MAX_OUTPUT_BYTES)
    rc = report_wrong_output(result, expected->path, expected, NULL, (uint64_t)info.st_size);
  else if ((rc = cgym_sha256_file(path, digest)) == CGYM_OK &&
           (strcmp(digest, expected->sha256) != 0 || (uint64_t)info.st_size != expected->size))
    rc = report_wrong_output(result, expected->path, expected, digest, (uint64_t)info.st_size);
  free(path);
  return rc;
}

/* Classifies the finished process; the first difference found decides the status. */
static int judge(const cgym_run_spec *spec, const char *run_dir, const cgym_process_result *process,
                 cgym_program_result *result) {
  result->exit_status = process->exit_code;
  result->signal = process->signal;
  int rc = set_detail(result, process->stderr_text);
  if (rc != CGYM_OK) return rc;

  if (process->timed_out)
    result->status = CGYM_PROGRAM_TIMED_OUT;
  else if (process->signal)
    result->status = CGYM_PROGRAM_CRASHED;
  else if ((uint64_t)process->exit_code != spec->exit_status)
    result->status = CGYM_PROGRAM_WRONG_EXIT_STATUS;
  if (result->status != CGYM_PROGRAM_OK) return CGYM_OK;

  rc = compare_stdout(spec, process, result);
  for (size_t i = 0; i < spec->output_count && rc == CGYM_OK; i++) {
    if (result->status != CGYM_PROGRAM_OK) break;
    rc = compare_output_file(run_dir, &spec->outputs[i], result);
  }
  return rc;
}

static int execute(const cgym_run_spec *spec, const char *executable, const char *run_dir,
                   cgym_program_result *result) {
  cgym_program_command command;
  cgym_process_result process;

  int rc = cgym_program_command_make(spec, result->benchmark, run_dir, &command);
  if (rc != CGYM_OK) return rc;
  cgym_process_options options = {0};
  options.program = executable;
  options.envp = command.envp;
  options.cwd = run_dir;
  options.stdin_path = command.stdin_path;
  options.stdout_max = CGYM_RUN_MAX_OUTPUT_BYTES;
  options.timeout_seconds = (int)spec->timeout_seconds;

  double start = now_seconds();
  rc = cgym_process_run_with(command.argv, &options, &process);
  result->seconds = now_seconds() - start;
  cgym_program_command_clear(&command);
  if (rc != CGYM_OK) return rc;
  rc = judge(spec, run_dir, &process, result);
  cgym_process_result_clear(&process);
  return rc;
}

/* ---- entry point ------------------------------------------------------------------------ */

static int find_benchmark(const cgym_suite *suite, const char *name,
                          const cgym_suite_benchmark **out) {
  for (size_t i = 0; i < suite->benchmark_count; i++) {
    if (strcmp(suite->benchmarks[i].name, name) != 0) continue;
    if (!cgym_suite_benchmark_has_run(suite, i))
      return cgym_error_set(CGYM_ENOTFOUND,
                            "benchmark %s of suite %s has no run spec; add a "
                            "\"run\" object to its definition (docs/suite-format.md)",
                            name, suite->name);
    *out = &suite->benchmarks[i];
    return CGYM_OK;
  }
  return cgym_error_set(CGYM_ENOTFOUND,
                        "benchmark \"%s\" not found in suite %s; its benchmarks "
                        "are listed in %s",
                        name, suite->name, suite->origin);
}

static int start_result(const cgym_suite_benchmark *benchmark, cgym_program_result *result) {
  memset(result, 0, sizeof *result);
  result->status = CGYM_PROGRAM_OK;
  result->exit_status = -1;
  result->expected_exit_status = (int)benchmark->run->exit_status;
  result->timeout_seconds = (int)benchmark->run->timeout_seconds;
  result->benchmark = strdup(benchmark->name);
  return result->benchmark ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory");
}

static int run_in(cgym_suite *suite, const cgym_suite_benchmark *benchmark,
                  const cgym_program_options *opts, const char *temp, cgym_program_result *out) {
  char digest[CGYM_SHA256_HEX_SIZE];
  char *executable = cgym_format("%s/program", temp);
  char *run_dir = cgym_format("%s/run", temp);
  int rc = executable && run_dir ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory");

  if (rc == CGYM_OK) rc = locate_bitcode(suite, benchmark, opts, out);
  if (rc == CGYM_OK && out->bitcode_path && cgym_sha256_file(out->bitcode_path, digest) == CGYM_OK)
    out->bitcode_sha256 = strdup(digest);
  if (rc == CGYM_OK && out->status == CGYM_PROGRAM_OK) rc = cgym_make_dirs(run_dir);
  if (rc == CGYM_OK && out->status == CGYM_PROGRAM_OK)
    rc = cgym_program_inputs_place(suite, benchmark, opts->prepare, run_dir);
  if (rc == CGYM_OK && out->status == CGYM_PROGRAM_OK)
    rc = compile_program(benchmark->run, temp, executable, out);
  if (rc == CGYM_OK && out->status == CGYM_PROGRAM_OK)
    rc = execute(benchmark->run, executable, run_dir, out);
  free(executable);
  free(run_dir);
  return rc;
}

int cgym_suite_run_program(cgym_suite *suite, const char *benchmark_name,
                           const cgym_program_options *opts, cgym_program_result *out) {
  static const cgym_program_options defaults = CGYM_PROGRAM_OPTIONS_INIT;
  const cgym_suite_benchmark *benchmark = NULL;
  char *temp = NULL;

  if (!suite || !benchmark_name || !out)
    return cgym_error_set(CGYM_EINVAL, "cgym_suite_run_program needs a suite, a benchmark name "
                                       "and a result");
  memset(out, 0, sizeof *out);
  if (!opts) opts = &defaults;
  if (opts->version != CGYM_PROGRAM_OPTIONS_VERSION)
    return cgym_error_set(CGYM_EINVAL,
                          "cgym_program_options.version is %d, expected %d; "
                          "initialize with CGYM_PROGRAM_OPTIONS_INIT",
                          opts->version, CGYM_PROGRAM_OPTIONS_VERSION);
  int rc = find_benchmark(suite, benchmark_name, &benchmark);
  if (rc == CGYM_OK) rc = start_result(benchmark, out);
  if (rc == CGYM_OK) rc = cgym_program_work_dir(opts->work_dir, &temp);
  if (rc == CGYM_OK) rc = run_in(suite, benchmark, opts, temp, out);

  if (temp) cgym_remove_tree(temp);
  free(temp);
  if (rc != CGYM_OK) cgym_program_result_clear(out);
  return rc;
}
