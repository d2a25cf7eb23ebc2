/* User suites: a folder of csmith programs, one broken C file and one LLVM IR file. Each file
 * is one benchmark file:///FOLDER/NAME; the broken file is excluded with the compiler's error. */
#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

/* Runs a command line through the shell in folder; returns its exit status. */
static int run_in(const char *folder, const char *command) {
  char *line = NULL;
  if (asprintf(&line, "cd '%s' && %s", folder, command) < 0) return -1;
  int status = system(line);
  free(line);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *write_folder(void) {
  char *folder = cgym_test_temp_dir("cgym-user-folder");
  CHECK(run_in(folder, "csmith --seed 3 -o csmith-3.c") == 0);
  CHECK(run_in(folder, "csmith --seed 4 -o csmith-4.c") == 0);
  CHECK(run_in(folder, CGYM_LLVM_BIN_DIR "/llvm-stress --seed=5 -o stress-5.ll") == 0);
  free(fixture_write_file(folder, "broken.c", "int main(void) { return undeclared; }\n"));
  free(fixture_write_file(folder, "notes.txt", "not a benchmark\n"));
  return folder;
}

static const cgym_benchmark *find(const cgym_prepared_suite *prepared, const char *name) {
  for (size_t i = 0; i < prepared->benchmark_count; i++) {
    if (strcmp(prepared->benchmarks[i].name, name) == 0) return &prepared->benchmarks[i];
  }
  return NULL;
}

static void check_prepared(const char *folder, const cgym_prepared_suite *prepared) {
  char *uri = NULL;
  CHECK(prepared->benchmark_count == 3);
  CHECK(prepared->excluded_count == 1);
  CHECK(find(prepared, "csmith-3.c") != NULL);
  CHECK(find(prepared, "csmith-4.c") != NULL);
  const cgym_benchmark *stress = find(prepared, "stress-5.ll");
  CHECK(stress != NULL);
  if (stress && asprintf(&uri, "file://%s/stress-5.ll", folder) >= 0) {
    CHECK_STR_EQ(stress->uri, uri);
    CHECK(stress->instructions_o0 > 0);
  }
  free(uri);
  if (prepared->excluded_count == 1) {
    CHECK_STR_EQ(prepared->excluded[0].name, "broken.c");
    CHECK(strstr(prepared->excluded[0].reason, "undeclared") != NULL);
  }
}

int main(void) {
  char *folder = write_folder();
  char *cache = cgym_test_temp_dir("cgym-user-cache");
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, folder));
  if (!suite) return cgym_check_summary();
  CHECK_STR_EQ(cgym_suite_kind(suite), "folder");
  CHECK(cgym_suite_benchmark_count(suite) == 4);
  CHECK(strncmp(cgym_suite_name(suite), "user-cgym-user-folder", 21) == 0);

  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  cgym_prepared_suite *prepared = NULL;
  CHECK_OK(cgym_suite_prepare(suite, &opts, &prepared));
  if (prepared) check_prepared(folder, prepared);
  cgym_prepared_suite_free(prepared);

  /* A second prepare reads the same outcome, exclusion included, from the cache. */
  prepared = NULL;
  CHECK_OK(cgym_suite_prepare(suite, &opts, &prepared));
  if (prepared) check_prepared(folder, prepared);
  cgym_prepared_suite_free(prepared);
  CHECK(fixture_count_temporaries(cache) == 0);

  /* Editing a file changes the definition digest, so a replay detects the change. */
  char digest[65];
  snprintf(digest, sizeof digest, "%s", cgym_suite_definition_sha256(suite));
  free(fixture_write_file(folder, "broken.c", "int main(void) { return 0; }\n"));
  cgym_suite *edited = NULL;
  CHECK_OK(cgym_suite_open(&edited, folder));
  if (edited) CHECK(strcmp(cgym_suite_definition_sha256(edited), digest) != 0);
  cgym_suite_free(edited);

  char *empty = cgym_test_temp_dir("cgym-user-empty");
  CHECK_ERROR(cgym_suite_open(&edited, empty), CGYM_ENOTFOUND, "no .c, .ll or .bc files");
  fixture_show_message("empty folder");

  cgym_suite_free(suite);
  free(empty);
  free(cache);
  free(folder);
  return cgym_check_summary();
}
