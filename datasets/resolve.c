/*
 * From a benchmark argument (a URI, a suite name or a file path) to the URI that records name and
 * the bitcode file that the env loads, fetching the benchmark into the cache when needed.
 * cgym/suites.h lists the accepted forms.
 */
#define _GNU_SOURCE /* realpath */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "baselines/rng.h"
#include "cgym/env.h"
#include "cgym/suites.h"
#include "datasets/cache.h"
#include "env/error_internal.h"

static int is_regular_file(const char *path) {
  struct stat info;
  return stat(path, &info) == 0 && S_ISREG(info.st_mode);
}

static int is_folder(const char *path) {
  struct stat info;
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

static int ends_with(const char *text, const char *suffix) {
  size_t length = strlen(text), suffix_length = strlen(suffix);
  return length >= suffix_length && strcmp(text + length - suffix_length, suffix) == 0;
}

/* A string that can only mean a file: an absolute or ./ path, or a module file name. */
static int looks_like_path(const char *text) {
  return text[0] == '/' || strncmp(text, "./", 2) == 0 || strncmp(text, "../", 3) == 0 ||
         ends_with(text, ".bc") || ends_with(text, ".ll");
}

static int out_of_memory(void) {
  return cgym_error_set(CGYM_ENOMEM, "out of memory resolving a benchmark");
}

/* Picks the benchmark that seed chooses among count: the same seed always picks the same one. */
static size_t seeded_choice(uint64_t seed, const char *suite, size_t count) {
  cgym_rng rng;
  cgym_rng_seed_episode(&rng, seed, suite, "", "benchmark-choice", 0);
  return (size_t)cgym_rng_below(&rng, count);
}

static int parse_seed(const char *text, uint64_t *seed) {
  char *end = NULL;
  if (*text < '0' || *text > '9') return 0;
  unsigned long long value = strtoull(text, &end, 10);
  if (*end) return 0;
  *seed = value;
  return 1;
}

/* Prepares `name` of the open suite (or, with name NULL, the benchmark that seed picks) and
 * stores its URI and bitcode path. */
static int fetch(cgym_suite *suite, const char *name, uint64_t seed,
                 const cgym_prepare_options *opts, char **uri, char **path) {
  cgym_prepare_options options = CGYM_PREPARE_OPTIONS_INIT;
  cgym_prepared_suite *prepared = NULL;
  const char *only[2] = {name, NULL};
  int generator = strcmp(cgym_suite_kind(suite), "generator") == 0;
  if (opts) options = *opts;
  options.only = NULL;

  if (generator) {
    uint64_t program = seed;
    if (name && !parse_seed(name, &program))
      return cgym_error_set(CGYM_EINVAL, "expected a seed (a non-negative integer) after "
                            "generator://%s/, got '%s'", cgym_suite_name(suite), name);
    options.generator_first = program;
    options.generator_count = 1;
  } else if (name) {
    options.only = only;
  }

  int rc = cgym_suite_prepare(suite, &options, &prepared);
  if (rc != CGYM_OK) return rc;

  const cgym_benchmark *chosen = NULL;
  if (generator || !name) {
    if (prepared->benchmark_count > 0)
      chosen = &prepared->benchmarks[generator ? 0
                                               : seeded_choice(seed, cgym_suite_name(suite),
                                                               prepared->benchmark_count)];
  } else {
    for (size_t i = 0; i < prepared->benchmark_count && !chosen; i++)
      if (strcmp(prepared->benchmarks[i].name, name) == 0) chosen = &prepared->benchmarks[i];
  }

  if (!chosen) {
    for (size_t i = 0; i < prepared->excluded_count; i++) {
      const cgym_excluded_benchmark *excluded = &prepared->excluded[i];
      if (name && strcmp(excluded->name, name) != 0) continue;
      rc = cgym_error_set(CGYM_ENOTFOUND, "benchmark '%s' of suite %s does not build, so it is "
                          "excluded: %s", excluded->uri, cgym_suite_name(suite), excluded->reason);
      cgym_prepared_suite_free(prepared);
      return rc;
    }
    rc = cgym_error_set(CGYM_ENOTFOUND, "suite %s has no benchmark '%s'; `cgym suites benchmarks "
                        "%s` lists them", cgym_suite_name(suite), name ? name : "(any)",
                        cgym_suite_name(suite));
    cgym_prepared_suite_free(prepared);
    return rc;
  }
  *uri = strdup(chosen->uri);
  *path = strdup(chosen->bitcode_path);
  cgym_prepared_suite_free(prepared);
  if (!*uri || !*path) return out_of_memory();
  return CGYM_OK;
}

/* Resolves "SUITE", "SUITE/NAME", "benchmark://SUITE[/NAME]" or "generator://SUITE[/SEED]". */
static int resolve_suite_uri(const char *benchmark, uint64_t seed,
                             const cgym_prepare_options *opts, char **uri, char **path) {
  const char *rest = strstr(benchmark, "://");
  rest = rest ? rest + 3 : benchmark;
  const char *slash = strchr(rest, '/');
  char *suite_name = slash ? strndup(rest, (size_t)(slash - rest)) : strdup(rest);
  if (!suite_name) return out_of_memory();
  const char *name = slash && slash[1] ? slash + 1 : NULL;

  cgym_suite *suite = NULL;
  int rc = *suite_name ? cgym_suite_open(&suite, suite_name)
                       : cgym_error_set(CGYM_EINVAL, "expected a suite name in '%s'", benchmark);
  free(suite_name);
  if (rc != CGYM_OK) return rc;
  int generator = strcmp(cgym_suite_kind(suite), "generator") == 0;
  if (strncmp(benchmark, "generator://", 12) == 0 && !generator)
    rc = cgym_error_set(CGYM_EINVAL, "'%s' names suite %s, which is a %s suite; use "
                        "benchmark://%s", benchmark, cgym_suite_name(suite),
                        cgym_suite_kind(suite), rest);
  else if (strncmp(benchmark, "benchmark://", 12) == 0 && generator)
    rc = cgym_error_set(CGYM_EINVAL, "'%s' names generator suite %s; use generator://%s",
                        benchmark, cgym_suite_name(suite), rest);
  if (rc == CGYM_OK) rc = fetch(suite, name, seed, opts, uri, path);
  cgym_suite_free(suite);
  return rc;
}

/* A C file (a benchmark of a folder suite, whose URIs are file:///FOLDER/FILE.c) is built by the
 * folder suite of its folder, so a state recorded on such a benchmark replays anywhere. */
static int resolve_source_file(const char *file, const cgym_prepare_options *opts, char **uri,
                               char **path) {
  char *absolute = realpath(file, NULL);
  if (!absolute)
    return cgym_error_set(CGYM_ENOTFOUND, "benchmark file '%s' does not exist", file);
  char *slash = strrchr(absolute, '/');
  *slash = '\0';
  const char *folder = *absolute ? absolute : "/";
  cgym_suite *suite = NULL;
  int rc = cgym_suite_open(&suite, folder);
  if (rc == CGYM_OK) rc = fetch(suite, slash + 1, 0, opts, uri, path);
  cgym_suite_free(suite);
  free(absolute);
  return rc;
}

int cgym_benchmark_resolve(const char *benchmark, uint64_t seed,
                           const cgym_prepare_options *opts, char **uri, char **path) {
  if (!benchmark || !uri || !path)
    return cgym_error_set(CGYM_EINVAL, "cgym_benchmark_resolve: benchmark, uri and path must "
                          "not be NULL");
  *uri = NULL;
  *path = NULL;
  if (!*benchmark)
    return cgym_error_set(CGYM_EINVAL, "expected a benchmark URI, suite name or file path, got "
                          "an empty string");

  int rc;
  const char *file = strncmp(benchmark, "file://", 7) == 0 ? benchmark + 7 : benchmark;
  if (ends_with(file, ".c") && (file != benchmark || !strstr(benchmark, "://"))) {
    rc = resolve_source_file(file, opts, uri, path);
  } else if (strncmp(benchmark, "file://", 7) == 0) {
    *uri = strdup(benchmark);
    *path = strdup(benchmark + 7);
    rc = *uri && *path ? CGYM_OK : out_of_memory();
  } else if (!strstr(benchmark, "://") &&
             (is_folder(benchmark) || (ends_with(benchmark, ".json") && is_regular_file(benchmark)))) {
    cgym_suite *suite = NULL;
    rc = cgym_suite_open(&suite, benchmark);
    if (rc == CGYM_OK) rc = fetch(suite, NULL, seed, opts, uri, path);
    cgym_suite_free(suite);
  } else if (!strstr(benchmark, "://") && is_regular_file(benchmark)) {
    *path = realpath(benchmark, NULL);
    *uri = *path ? cgym_format("file://%s", *path) : NULL;
    rc = *uri ? CGYM_OK : out_of_memory();
  } else if (!strstr(benchmark, "://") && looks_like_path(benchmark)) {
    rc = cgym_error_set(CGYM_ENOTFOUND, "benchmark file '%s' does not exist or is not a regular "
                        "file", benchmark);
  } else if (strstr(benchmark, "://") && strncmp(benchmark, "benchmark://", 12) != 0 &&
             strncmp(benchmark, "generator://", 12) != 0) {
    rc = cgym_error_set(CGYM_EINVAL, "unknown URI scheme in '%s'; expected benchmark://, "
                        "generator:// or file://", benchmark);
  } else {
    rc = resolve_suite_uri(benchmark, seed, opts, uri, path);
  }
  if (rc != CGYM_OK) {
    free(*uri);
    free(*path);
    *uri = NULL;
    *path = NULL;
  }
  return rc;
}

int cgym_env_reset_benchmark(cgym_env *env, const char *benchmark, uint64_t seed,
                             const cgym_prepare_options *opts) {
  char *uri = NULL, *path = NULL;
  if (!env) return cgym_error_set(CGYM_EINVAL, "cgym_env_reset_benchmark: env must not be NULL");
  int rc = cgym_benchmark_resolve(benchmark, seed, opts, &uri, &path);
  if (rc == CGYM_OK) rc = cgym_env_reset(env, uri, path);
  free(uri);
  free(path);
  return rc;
}
