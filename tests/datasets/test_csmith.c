/* The csmith-v0 generator: a seed names one program, so preparing it twice, in two caches,
 * gives bitcode with the same SHA-256. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

static cgym_prepared_suite *prepare(cgym_suite *suite, uint64_t first, uint64_t count) {
  char *cache = cgym_test_temp_dir("cgym-csmith-cache");
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  opts.generator_first = first;
  opts.generator_count = count;
  cgym_prepared_suite *prepared = NULL;
  CHECK_OK(cgym_suite_prepare(suite, &opts, &prepared));
  CHECK(fixture_count_temporaries(cache) == 0);
  free(cache);
  return prepared;
}

/* Two processes prepare the same seeds into one cache at once. The cache lock serializes them,
 * so both succeed and the cache holds one complete bitcode file and one build record per seed. */
static void test_shared_cache(cgym_suite *suite) {
  char *cache = cgym_test_temp_dir("cgym-csmith-shared");
  pid_t children[2];

  for (int i = 0; i < 2; i++) {
    children[i] = fork();
    if (children[i] == 0) {
      cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
      opts.cache_dir = cache;
      opts.generator_first = 20;
      opts.generator_count = 2;
      cgym_prepared_suite *prepared = NULL;
      _exit(cgym_suite_prepare(suite, &opts, &prepared) == CGYM_OK ? 0 : 1);
    }
  }
  for (int i = 0; i < 2; i++) {
    int status = -1;
    waitpid(children[i], &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }

  char *folder = cgym_test_path(cache, "bitcode");
  CHECK(fixture_count_in(folder, "csmith-v0") == 4);
  CHECK(fixture_count_temporaries(cache) == 0);
  free(folder);
  free(cache);
}

int main(void) {
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, "csmith-v0"));
  if (!suite) return cgym_check_summary();

  cgym_prepared_suite *first = prepare(suite, 7, 2);
  cgym_prepared_suite *second = prepare(suite, 7, 2);
  CHECK(first != NULL);
  CHECK(second != NULL);
  if (first && second) {
    CHECK(first->benchmark_count == 2);
    CHECK_STR_EQ(first->benchmarks[0].uri, "generator://csmith-v0/7");
    CHECK_STR_EQ(first->benchmarks[1].name, "8");
    CHECK_STR_EQ(first->benchmarks[0].bitcode_sha256, second->benchmarks[0].bitcode_sha256);
    CHECK_STR_EQ(first->benchmarks[1].bitcode_sha256, second->benchmarks[1].bitcode_sha256);
    CHECK(strcmp(first->benchmarks[0].bitcode_sha256, first->benchmarks[1].bitcode_sha256) != 0);
    CHECK(strstr(first->build_recipe, "-I/usr/include/csmith") != NULL);
  }
  cgym_prepared_suite_free(first);
  cgym_prepared_suite_free(second);

  char *cache = cgym_test_temp_dir("cgym-csmith-cache");
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  opts.generator_first = 4294967295u;
  opts.generator_count = 2;
  cgym_prepared_suite *prepared = NULL;
  CHECK_ERROR(cgym_suite_prepare(suite, &opts, &prepared), CGYM_EINVAL, "4294967296");
  fixture_show_message("csmith");
  free(cache);

  test_shared_cache(suite);
  cgym_suite_free(suite);
  return cgym_check_summary();
}
