/*
 * Builds the real default suite from the mirror folder in $CGYM_TEST_MIRROR (filled by
 * scripts/debian-mirror.sh) and reports how long each stage took and the IR instruction count
 * of every program. Exits 77 (skipped) when the variable is unset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

/* The suite keeps each program below this many instructions, because greedy search over a larger
 * module takes too long; Lua 5.4, the largest, has about 72k. */
#define MAX_INSTRUCTIONS 80000

/* Seconds spent per stage, measured from one progress message to the next. */
typedef struct stage_clock {
  double last;
  char stage[32];
  double fetch, extract, build;
} stage_clock;

static double now_seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void close_stage(stage_clock *clock, double at) {
  double spent = at - clock->last;
  if (strcmp(clock->stage, "fetching") == 0) clock->fetch += spent;
  if (strcmp(clock->stage, "extracting") == 0) clock->extract += spent;
  if (strcmp(clock->stage, "building") == 0) clock->build += spent;
}

static void on_progress(void *context, const char *message) {
  stage_clock *clock = context;
  double at = now_seconds();
  close_stage(clock, at);
  clock->last = at;
  sscanf(message, "%31s", clock->stage);
  printf("  %s\n", message);
}

static void report_instructions(const cgym_prepared_suite *prepared) {
  cgym_env *env = NULL;
  CHECK_OK(cgym_env_create(&env, NULL));
  printf("%-12s %12s  %s\n", "benchmark", "IR instrs", "bitcode SHA-256");
  for (size_t i = 0; env && i < prepared->benchmark_count; i++) {
    const cgym_benchmark *benchmark = &prepared->benchmarks[i];
    int64_t count = -1;
    CHECK_OK(cgym_env_reset(env, benchmark->uri, benchmark->bitcode_path));
    CHECK_OK(cgym_env_instruction_count(env, &count));
    CHECK(count > 0);
    CHECK(count < MAX_INSTRUCTIONS);
    printf("%-12s %12lld  %s\n", benchmark->name, (long long)count, benchmark->bitcode_sha256);
  }
  cgym_env_free(env);
}

int main(void) {
  const char *mirror = getenv("CGYM_TEST_MIRROR");
  if (!mirror || !*mirror) {
    printf("skipped: CGYM_TEST_MIRROR is not set; run scripts/debian-mirror.sh DIR and set "
           "CGYM_TEST_MIRROR=DIR to build the default suite\n");
    return 77;
  }

  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, "default"));
  char *cache = cgym_test_temp_dir("cgym-default-cache");
  stage_clock clock = {0};
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  opts.mirror = mirror;
  opts.offline = 1;
  opts.progress = on_progress;
  opts.progress_context = &clock;

  cgym_prepared_suite *prepared = NULL;
  double start = now_seconds();
  clock.last = start;
  CHECK_OK(cgym_suite_prepare(suite, &opts, &prepared));
  double end = now_seconds();
  close_stage(&clock, end);
  if (!prepared) return cgym_check_summary();

  CHECK(prepared->benchmark_count >= 20);
  CHECK(prepared->excluded_count == 0);
  /* jbigkit's archive serves two programs; every other program has an archive of its own. */
  CHECK(prepared->archive_count + 1 == prepared->benchmark_count);
  CHECK(fixture_count_temporaries(cache) == 0);
  printf("default suite from %s, %zu benchmarks: %.2f s in total; fetching and verifying %.3f s, "
         "extracting %.3f s, building %.2f s\n", mirror, prepared->benchmark_count, end - start,
         clock.fetch, clock.extract, clock.build);
  printf("recipe: %s\n", prepared->build_recipe);
  report_instructions(prepared);

  /* A second prepare finds everything in the cache and gives the same bitcode. */
  cgym_prepared_suite *again = NULL;
  opts.progress = NULL;
  start = now_seconds();
  CHECK_OK(cgym_suite_prepare(suite, &opts, &again));
  printf("second prepare from the cache: %.2f s\n", now_seconds() - start);
  for (size_t i = 0; again && i < prepared->benchmark_count; i++)
    CHECK_STR_EQ(again->benchmarks[i].bitcode_sha256, prepared->benchmarks[i].bitcode_sha256);

  cgym_prepared_suite_free(again);
  cgym_prepared_suite_free(prepared);
  cgym_suite_free(suite);
  free(cache);
  return cgym_check_summary();
}
