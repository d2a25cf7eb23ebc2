/* The llvm-stress-v0 generator: a seed names one module, so preparing it in two caches gives
 * bitcode with the same SHA-256, and different seeds give different bitcode. */
#include <stdlib.h>
#include <string.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

static cgym_prepared_suite *prepare(cgym_suite *suite, uint64_t first, uint64_t count) {
  char *cache = cgym_test_temp_dir("cgym-llvm-stress-cache");
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

static void test_same_seed_same_bitcode(cgym_suite *suite) {
  cgym_prepared_suite *first = prepare(suite, 7, 2);
  cgym_prepared_suite *second = prepare(suite, 7, 2);
  CHECK(first != NULL);
  CHECK(second != NULL);
  if (first && second) {
    CHECK(first->benchmark_count == 2);
    CHECK(second->benchmark_count == 2);
    CHECK_STR_EQ(first->benchmarks[0].uri, "generator://llvm-stress-v0/7");
    CHECK_STR_EQ(first->benchmarks[1].name, "8");
    CHECK_STR_EQ(first->benchmarks[0].bitcode_sha256, second->benchmarks[0].bitcode_sha256);
    CHECK_STR_EQ(first->benchmarks[1].bitcode_sha256, second->benchmarks[1].bitcode_sha256);
    CHECK(strcmp(first->benchmarks[0].bitcode_sha256, first->benchmarks[1].bitcode_sha256) != 0);
    CHECK(first->benchmarks[0].instructions_o0 > 0);
    CHECK(strstr(first->build_recipe, "--size=100") != NULL);
    CHECK(strstr(first->build_recipe, "LLVM version 19") != NULL);
  }
  cgym_prepared_suite_free(first);
  cgym_prepared_suite_free(second);
}

/* Seeds run from 0 to 2^32 - 2, as in CompilerGym. */
static void test_seed_range(cgym_suite *suite) {
  cgym_prepared_suite *last = prepare(suite, 4294967294u, 1);
  CHECK(last != NULL);
  if (last) CHECK_STR_EQ(last->benchmarks[0].uri, "generator://llvm-stress-v0/4294967294");
  cgym_prepared_suite_free(last);

  char *cache = cgym_test_temp_dir("cgym-llvm-stress-cache");
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  opts.generator_first = 4294967295u;
  opts.generator_count = 1;
  cgym_prepared_suite *prepared = NULL;
  CHECK_ERROR(cgym_suite_prepare(suite, &opts, &prepared), CGYM_EINVAL, "0 to 4294967294");
  fixture_show_message("llvm-stress");
  free(cache);
}

int main(void) {
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, "llvm-stress-v0"));
  if (!suite) return cgym_check_summary();
  CHECK_STR_EQ(cgym_suite_kind(suite), "generator");

  test_same_seed_same_bitcode(suite);
  test_seed_range(suite);
  cgym_suite_free(suite);
  return cgym_check_summary();
}
