/* Benchmark arguments resolved to a URI and a bitcode file: files, generator URIs, a user folder
 * from which a seed picks one benchmark (the same one for the same seed), and the errors. */
#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "cgym/suites.h"
#include "fixtures.h"
#include "support/check.h"

static cgym_prepare_options options_for(const char *cache) {
  cgym_prepare_options options = CGYM_PREPARE_OPTIONS_INIT;
  options.cache_dir = cache;
  options.offline = 1;
  return options;
}

static char *resolve_uri(const char *benchmark, uint64_t seed, const cgym_prepare_options *opts) {
  char *uri = NULL, *path = NULL;
  CHECK_OK(cgym_benchmark_resolve(benchmark, seed, opts, &uri, &path));
  FILE *file = path ? fopen(path, "rb") : NULL;
  CHECK(file != NULL);
  if (file) fclose(file);
  free(path);
  return uri ? uri : strdup("");
}

int main(void) {
  char *cache = cgym_test_temp_dir("cgym-resolve-cache");
  char *folder = cgym_test_temp_dir("cgym-resolve-folder");
  cgym_prepare_options options = options_for(cache);

  char *uri = resolve_uri("generator://csmith-v0/7", 0, &options);
  CHECK_STR_EQ(uri, "generator://csmith-v0/7");
  free(uri);
  uri = resolve_uri("csmith-v0/7", 0, &options);
  CHECK_STR_EQ(uri, "generator://csmith-v0/7");
  free(uri);
  uri = resolve_uri("generator://csmith-v0", 9, &options); /* the seed names the program */
  CHECK_STR_EQ(uri, "generator://csmith-v0/9");
  free(uri);

  /* A folder of three programs: each seed picks one, always the same, and the seeds 0 to 15
   * reach more than one. */
  char *a = fixture_write_file(folder, "a.c", "int main(void) { return 0; }\n");
  char *b = fixture_write_file(folder, "b.c", "int f(int x) { return x * 2; }\n");
  char *c = fixture_write_file(folder, "c.c", "int g(int x) { return x + 1; }\n");
  char *first = resolve_uri(folder, 3, &options);
  char *again = resolve_uri(folder, 3, &options);
  CHECK_STR_EQ(again, first);
  CHECK(strncmp(first, "file://", 7) == 0);
  int differs = 0;
  for (uint64_t seed = 0; seed < 16; seed++) {
    char *other = resolve_uri(folder, seed, &options);
    differs |= strcmp(other, first) != 0;
    free(other);
  }
  CHECK(differs);
  free(first);
  free(again);

  /* A C file of a folder is built as the folder suite builds it, under the same URI, so a state
   * recorded on a folder benchmark resets anywhere. */
  char source_uri[4200];
  snprintf(source_uri, sizeof source_uri, "file://%s", b);
  uri = resolve_uri(source_uri, 0, &options);
  CHECK_STR_EQ(uri, source_uri);
  free(uri);
  uri = resolve_uri(b, 0, &options);
  CHECK_STR_EQ(uri, source_uri);
  free(uri);

  /* A file path becomes a file:// URI; a reset through it works. */
  char *module = fixture_write_file(folder, "m.ll", "define i32 @f() {\n  ret i32 1\n}\n");
  uri = resolve_uri(module, 0, &options);
  CHECK(strncmp(uri, "file:///", 8) == 0);
  CHECK(strstr(uri, "m.ll") != NULL);
  free(uri);
  cgym_env *env = NULL;
  CHECK_OK(cgym_env_create_backend(&env, "llvm", NULL));
  CHECK_OK(cgym_env_reset_benchmark(env, module, 0, &options));
  uri = resolve_uri(module, 0, &options);
  CHECK_STR_EQ(cgym_env_benchmark_uri(env), uri);
  free(uri);
  /* A failed reset keeps the episode. */
  CHECK_ERROR(cgym_env_reset_benchmark(env, "./missing.bc", 0, &options), CGYM_ENOTFOUND,
              "'./missing.bc' does not exist");
  CHECK(cgym_env_benchmark_uri(env) != NULL);
  cgym_env_free(env);

  char *u = NULL, *p = NULL;
  CHECK_ERROR(cgym_env_create_backend(&env, "gcc", NULL), CGYM_ENOTFOUND, "backends are: llvm");
  CHECK_ERROR(cgym_benchmark_resolve("", 0, &options, &u, &p), CGYM_EINVAL, "empty string");
  CHECK_ERROR(cgym_benchmark_resolve("ftp://host/x", 0, &options, &u, &p), CGYM_EINVAL,
              "unknown URI scheme");
  CHECK_ERROR(cgym_benchmark_resolve("benchmark://csmith-v0/1", 0, &options, &u, &p),
              CGYM_EINVAL, "use generator://csmith-v0/1");
  CHECK_ERROR(cgym_benchmark_resolve("generator://csmith-v0/x", 0, &options, &u, &p),
              CGYM_EINVAL, "expected a seed");
  CHECK_ERROR(cgym_benchmark_resolve("benchmark://defualt/bzip2", 0, &options, &u, &p),
              CGYM_ENOTFOUND, "default");
  CHECK(u == NULL);
  CHECK(p == NULL);

  free(a);
  free(b);
  free(c);
  free(module);
  free(cache);
  free(folder);
  return cgym_check_summary();
}
