/*
 * cgym_suite_run_program on a small real program, built by clang-19 from an archive that a
 * mirror folder serves. The cases: a run whose outputs match, a wrong stdout (both digests
 * reported), a wrong exit status and a missing output file. Then a program that outlives its
 * timeout (killed with its process group, temporary folder removed), a segmentation fault, the
 * fixed environment, another module given as bitcode, and the errors of a run that cannot start.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

/* The program: its first argument chooses what it does. */
static const char program_source[] =
    "#include <stdio.h>\n"
    "#include <stdlib.h>\n"
    "#include <string.h>\n"
    "#include <unistd.h>\n"
    "#include <ctype.h>\n"
    "int main(int argc, char **argv) {\n"
    "  const char *mode = argc > 1 ? argv[1] : \"\";\n"
    "  if (strcmp(mode, \"upper\") == 0) {\n"
    "    int c;\n"
    "    while ((c = getchar()) != EOF) putchar(toupper(c));\n"
    "    FILE *in = fopen(argv[2], \"r\");\n"
    "    FILE *out = fopen(\"out/copy.txt\", \"w\");\n"
    "    if (!in || !out) return 2;\n"
    "    while ((c = fgetc(in)) != EOF) fputc(c, out);\n"
    "    fclose(in);\n"
    "    return fclose(out) == 0 ? 0 : 3;\n"
    "  }\n"
    "  if (strcmp(mode, \"sleep\") == 0) {\n"
    "    FILE *pid = fopen(argv[2], \"w\");\n"
    "    fprintf(pid, \"%d\\n\", (int)getpid());\n"
    "    fclose(pid);\n"
    "    for (;;) pause();\n"
    "  }\n"
    "  if (strcmp(mode, \"segv\") == 0) {\n"
    "    volatile int *nowhere = NULL;\n"
    "    *nowhere = 1;\n"
    "  }\n"
    "  if (strcmp(mode, \"env\") == 0) {\n"
    "    const char *names[] = {\"PATH\", \"LC_ALL\", \"TZ\", \"HOME\", \"EXTRA\"};\n"
    "    for (int i = 0; i < 5; i++) {\n"
    "      const char *value = getenv(names[i]);\n"
    "      printf(\"%s=%s\\n\", names[i], value ? value : \"(unset)\");\n"
    "    }\n"
    "    return 0;\n"
    "  }\n"
    "  return 7;\n"
    "}\n";

static const fixture_entry program_entries[] = {
    {"prog/", 'd', NULL, NULL},      {"prog/main.c", 'f', program_source, NULL},
    {"prog/data/", 'd', NULL, NULL}, {"prog/data/words.txt", 'f', "alpha\nbeta\n", NULL},
    {NULL, 0, NULL, NULL},
};

static char *temp_dir;
static char *mirror_dir;
static char *cache_dir;
static char *work_dir;
static const char *work_dir_option; /* as given to the runner: work_dir or a relative path */
static char archive_sha256[65];

static void sha256_text(const char *text, char out[65]) {
  CHECK_OK(cgym_sha256_hex(text, strlen(text), out));
}

/* A benchmark of the program with the given run object. */
static void append_benchmark(char *text, size_t size, const char *name, const char *run) {
  size_t used = strlen(text);
  snprintf(text + used, size - used,
           "%s{\"name\": \"%s\", \"archive\": \"prog\", \"root\": "
           "\"prog\", \"sources\": [\"main.c\"], \"license\": \"MIT\", \"run\": %s}",
           text[used - 1] == '[' ? "" : ", ", name, run);
}

static char *write_suite(void) {
  char upper[65], empty[65], copy[65], env[65], pid_path[1024];
  char run[2048];
  static char text[16384];

  sha256_text("HELLO, WORLD\n", upper);
  sha256_text("", empty);
  sha256_text("alpha\nbeta\n", copy);
  const char *env_text = "PATH=/usr/bin:/bin\nLC_ALL=C\nTZ=UTC\nHOME=(unset)\nEXTRA=yes\n";
  sha256_text(env_text, env);
  snprintf(pid_path, sizeof pid_path, "%s/sleeper.pid", temp_dir);

  snprintf(text, sizeof text,
           "{\"schema\": \"cgym-suite/v1\", \"name\": \"programs\", "
           "\"archives\": [{\"id\": \"prog\", \"file\": \"prog.tar.gz\", \"sha256\": \"%s\"}], "
           "\"benchmarks\": [",
           archive_sha256);
  /* The program writes into out/, which the run folder must hold before it starts. */
  const char *upper_with_folder =
      "{\"args\": [\"upper\", \"{input:in/words.txt}\"], \"inputs\": ["
      "{\"path\": \"in/words.txt\", \"from\": \"prog/data/words.txt\"}, "
      "{\"path\": \"greeting.txt\", \"text\": \"Hello, world\\n\"}, "
      "{\"path\": \"out/.keep\", \"text\": \"\"}], \"stdin\": "
      "\"greeting.txt\", \"stdout\": {\"sha256\": \"%s\", \"size\": 13}, "
      "\"outputs\": [{\"path\": \"out/copy.txt\", \"sha256\": \"%s\", "
      "\"size\": 11}], \"timeout_seconds\": 20}";
  snprintf(run, sizeof run, upper_with_folder, upper, copy);
  append_benchmark(text, sizeof text, "upper", run);
  snprintf(run, sizeof run, upper_with_folder, empty, copy);
  append_benchmark(text, sizeof text, "wrong-stdout", run);
  snprintf(run, sizeof run,
           "{\"args\": [\"upper\", \"{input:in/words.txt}\"], \"inputs\": ["
           "{\"path\": \"in/words.txt\", \"from\": \"prog/data/words.txt\"}, {\"path\": "
           "\"out/.keep\", \"text\": \"\"}], \"stdout\": {\"sha256\": \"%s\", \"size\": 0}, "
           "\"outputs\": [{\"path\": \"out/missing.txt\", \"sha256\": \"%s\", \"size\": 0}]}",
           empty, empty);
  append_benchmark(text, sizeof text, "missing-output", run);
  snprintf(run, sizeof run,
           "{\"args\": [\"sleep\", \"%s\"], \"stdout\": {\"sha256\": \"%s\", "
           "\"size\": 0}, \"timeout_seconds\": 1}",
           pid_path, empty);
  append_benchmark(text, sizeof text, "sleep", run);
  snprintf(run, sizeof run,
           "{\"args\": [\"segv\"], \"stdout\": {\"sha256\": \"%s\", \"size\": "
           "0}}",
           empty);
  append_benchmark(text, sizeof text, "segv", run);
  snprintf(run, sizeof run,
           "{\"args\": [\"other\"], \"stdout\": {\"sha256\": \"%s\", \"size\": "
           "0}}",
           empty);
  append_benchmark(text, sizeof text, "exit", run);
  snprintf(run, sizeof run,
           "{\"args\": [\"env\"], \"stdout\": {\"sha256\": \"%s\", \"size\": "
           "%zu}, \"env\": {\"EXTRA\": \"yes\"}}",
           env, strlen(env_text));
  append_benchmark(text, sizeof text, "env", run);
  snprintf(run, sizeof run,
           "{\"args\": [], \"inputs\": [{\"path\": \"x\", \"from\": "
           "\"prog/data/absent.txt\"}], \"stdout\": {\"sha256\": \"%s\", \"size\": 0}}",
           empty);
  append_benchmark(text, sizeof text, "absent-input", run);
  size_t used = strlen(text);
  snprintf(text + used, sizeof text - used,
           ", {\"name\": \"no-run\", \"archive\": \"prog\", "
           "\"root\": \"prog\", \"sources\": [\"main.c\"], \"license\": \"MIT\"}]}");
  return fixture_write_file(temp_dir, "programs.json", text);
}

/* Runs one benchmark with the shared cache, mirror and work folder. */
static int run(cgym_suite *suite, const char *name, const char *bitcode,
               cgym_program_result *result) {
  cgym_prepare_options prepare = CGYM_PREPARE_OPTIONS_INIT;
  cgym_program_options options = CGYM_PROGRAM_OPTIONS_INIT;
  prepare.cache_dir = cache_dir;
  prepare.mirror = mirror_dir;
  prepare.offline = 1;
  options.prepare = &prepare;
  options.work_dir = work_dir_option;
  options.bitcode = bitcode;
  int rc = cgym_suite_run_program(suite, name, &options, result);
  if (rc != CGYM_OK) fixture_show_message(name);
  return rc;
}

static void test_matching_run(cgym_suite *suite) {
  cgym_program_result result;
  CHECK_OK(run(suite, "upper", NULL, &result));
  CHECK(result.status == CGYM_PROGRAM_OK);
  CHECK_STR_EQ(cgym_program_status_name(result.status), "ok");
  CHECK(result.exit_status == 0);
  CHECK(result.bitcode_sha256 != NULL);
  if (result.bitcode_sha256) CHECK(strlen(result.bitcode_sha256) == 64);
  CHECK(result.stream == NULL);
  CHECK(cgym_test_count_entries(work_dir) == 0);
  cgym_program_result_clear(&result);
}

static void test_wrong_stdout(cgym_suite *suite) {
  char expected[65], actual[65];
  cgym_program_result result;
  sha256_text("", expected);
  sha256_text("HELLO, WORLD\n", actual);

  CHECK_OK(run(suite, "wrong-stdout", NULL, &result));
  CHECK(result.status == CGYM_PROGRAM_WRONG_OUTPUT);
  CHECK_STR_EQ(cgym_program_status_name(result.status), "wrong_output");
  CHECK_STR_EQ(result.stream, "stdout");
  CHECK_STR_EQ(result.expected_sha256, expected);
  CHECK_STR_EQ(result.actual_sha256, actual);
  CHECK(result.expected_size == 13);
  CHECK(result.actual_size == 13);
  CHECK(cgym_test_count_entries(work_dir) == 0);
  cgym_program_result_clear(&result);
}

static void test_missing_output_file(cgym_suite *suite) {
  cgym_program_result result;
  CHECK_OK(run(suite, "missing-output", NULL, &result));
  CHECK(result.status == CGYM_PROGRAM_WRONG_OUTPUT);
  CHECK_STR_EQ(result.stream, "out/missing.txt");
  CHECK(result.actual_sha256 == NULL);
  cgym_program_result_clear(&result);
}

/* The sleeper writes its pid, then waits forever: after the run returns, that process must be
 * gone and the temporary folder removed. */
static void test_timeout_kills(cgym_suite *suite) {
  cgym_program_result result;
  char pid_path[1024];
  snprintf(pid_path, sizeof pid_path, "%s/sleeper.pid", temp_dir);

  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  CHECK_OK(run(suite, "sleep", NULL, &result));
  clock_gettime(CLOCK_MONOTONIC, &end);
  double seconds =
      (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;

  CHECK(result.status == CGYM_PROGRAM_TIMED_OUT);
  CHECK_STR_EQ(cgym_program_status_name(result.status), "timed_out");
  CHECK(result.timeout_seconds == 1);
  CHECK(result.exit_status == -1);
  CHECK(result.seconds >= 1.0);
  CHECK(seconds < 30.0);
  CHECK(cgym_test_count_entries(work_dir) == 0);

  FILE *file = fopen(pid_path, "r");
  int pid = 0;
  CHECK(file != NULL);
  if (file) {
    CHECK(fscanf(file, "%d", &pid) == 1);
    fclose(file);
  }
  CHECK(pid > 0);
  if (pid > 0) {
    errno = 0;
    CHECK(kill(pid, 0) == -1);
    CHECK(errno == ESRCH);
  }
  cgym_program_result_clear(&result);
}

static void test_segfault(cgym_suite *suite) {
  cgym_program_result result;
  CHECK_OK(run(suite, "segv", NULL, &result));
  CHECK(result.status == CGYM_PROGRAM_CRASHED);
  CHECK_STR_EQ(cgym_program_status_name(result.status), "crashed");
  CHECK(result.signal == SIGSEGV);
  CHECK(result.exit_status == -1);
  CHECK(cgym_test_count_entries(work_dir) == 0);
  cgym_program_result_clear(&result);
}

static void test_wrong_exit_status(cgym_suite *suite) {
  cgym_program_result result;
  CHECK_OK(run(suite, "exit", NULL, &result));
  CHECK(result.status == CGYM_PROGRAM_WRONG_EXIT_STATUS);
  CHECK(result.exit_status == 7);
  CHECK(result.expected_exit_status == 0);
  cgym_program_result_clear(&result);
}

static void test_fixed_environment(cgym_suite *suite) {
  cgym_program_result result;
  setenv("HOME", "/somewhere", 1);
  setenv("EXTRA", "inherited", 1);
  CHECK_OK(run(suite, "env", NULL, &result));
  CHECK(result.status == CGYM_PROGRAM_OK);
  if (result.status != CGYM_PROGRAM_OK)
    printf("env: %s %s\n", cgym_program_status_name(result.status),
           result.actual_sha256 ? result.actual_sha256 : "");
  cgym_program_result_clear(&result);
}

/* Another module checked against the run spec: the "upper" spec with the bitcode of "segv",
 * which is the same program, then with a missing file. */
static void test_given_bitcode(cgym_suite *suite) {
  cgym_prepare_options prepare = CGYM_PREPARE_OPTIONS_INIT;
  cgym_prepared_suite *prepared = NULL;
  const char *only[] = {"segv", NULL};
  prepare.cache_dir = cache_dir;
  prepare.mirror = mirror_dir;
  prepare.offline = 1;
  prepare.only = only;
  CHECK_OK(cgym_suite_prepare(suite, &prepare, &prepared));
  if (!prepared || prepared->benchmark_count != 1) {
    cgym_prepared_suite_free(prepared);
    return;
  }

  cgym_program_result result;
  CHECK_OK(run(suite, "upper", prepared->benchmarks[0].bitcode_path, &result));
  CHECK(result.status == CGYM_PROGRAM_OK);
  CHECK_STR_EQ(result.bitcode_path, prepared->benchmarks[0].bitcode_path);
  cgym_program_result_clear(&result);

  char *missing = cgym_test_path(temp_dir, "missing.bc");
  CHECK_ERROR(run(suite, "upper", missing, &result), CGYM_ENOTFOUND, "missing.bc");
  free(missing);
  CHECK_ERROR(run(suite, "upper", temp_dir, &result), CGYM_EINVAL, "not a regular file");

  /* A path relative to the caller's folder still reaches the compiler, which runs elsewhere. */
  char previous[4096], command[8400];
  CHECK(getcwd(previous, sizeof previous) != NULL);
  snprintf(command, sizeof command, "cp '%s' '%s/given.bc'", prepared->benchmarks[0].bitcode_path,
           temp_dir);
  CHECK(system(command) == 0);
  CHECK(chdir(temp_dir) == 0);
  CHECK_OK(run(suite, "upper", "given.bc", &result));
  CHECK(result.status == CGYM_PROGRAM_OK);
  cgym_program_result_clear(&result);
  CHECK(chdir(previous) == 0);
  cgym_prepared_suite_free(prepared);
}

/* A relative work folder: the executable is started after the change into the run folder, so
 * the runner must resolve the folder first. */
static void test_relative_work_dir(cgym_suite *suite) {
  cgym_program_result result;
  CHECK(chdir(temp_dir) == 0);
  work_dir_option = "work";
  CHECK_OK(run(suite, "upper", NULL, &result));
  CHECK(result.status == CGYM_PROGRAM_OK);
  CHECK(cgym_test_count_entries(work_dir) == 0);
  cgym_program_result_clear(&result);
  work_dir_option = work_dir;
}

static void test_run_errors(cgym_suite *suite) {
  cgym_program_result result;
  CHECK_ERROR(run(suite, "absent-input", NULL, &result), CGYM_ENOTFOUND, "prog/data/absent.txt");
  CHECK(cgym_test_count_entries(work_dir) == 0);
  CHECK_ERROR(run(suite, "no-run", NULL, &result), CGYM_ENOTFOUND, "has no run spec");
  CHECK_ERROR(run(suite, "nothing", NULL, &result), CGYM_ENOTFOUND, "not found in suite");

  cgym_program_options options = CGYM_PROGRAM_OPTIONS_INIT;
  options.version = 99;
  CHECK_ERROR(cgym_suite_run_program(suite, "upper", &options, &result), CGYM_EINVAL,
              "CGYM_PROGRAM_OPTIONS_INIT");
}

int main(void) {
  temp_dir = cgym_test_temp_dir("cgym-program-run");
  mirror_dir = cgym_test_path(temp_dir, "mirror");
  cache_dir = cgym_test_path(temp_dir, "cache");
  work_dir = cgym_test_path(temp_dir, "work");
  work_dir_option = work_dir;
  CHECK(mkdir(mirror_dir, 0755) == 0);
  CHECK(mkdir(work_dir, 0755) == 0);
  char *archive = cgym_test_path(mirror_dir, "prog.tar.gz");
  fixture_write_archive(archive, program_entries);
  CHECK_OK(cgym_sha256_file(archive, archive_sha256));

  char *definition = write_suite();
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, definition));
  if (suite) {
    test_matching_run(suite);
    test_wrong_stdout(suite);
    test_missing_output_file(suite);
    test_timeout_kills(suite);
    test_segfault(suite);
    test_wrong_exit_status(suite);
    test_fixed_environment(suite);
    test_given_bitcode(suite);
    test_relative_work_dir(suite);
    test_run_errors(suite);
  }
  CHECK(fixture_count_temporaries(cache_dir) == 0);

  cgym_suite_free(suite);
  free(definition);
  free(archive);
  free(work_dir);
  free(cache_dir);
  free(mirror_dir);
  return cgym_check_summary();
}
