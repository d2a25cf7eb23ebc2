/*
 * Preparing a suite: the path from a definition to one verified bitcode file per benchmark.
 *
 *   lock the cache -> fetch and verify each archive -> extract it -> build each benchmark
 *
 * Every step first looks for its result in the cache under a name that encodes all of its
 * inputs: archives by their SHA-256, trees by the archive SHA-256 and the extraction rules,
 * bitcode by a key over the archive SHA-256, the tool versions, the flags and the benchmark's
 * sources. A changed recipe therefore builds anew instead of reusing stale bitcode. The cache
 * lock is held for the whole call, which serializes processes that prepare at the same time;
 * the later ones then find everything built.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "datasets/build.h"
#include "datasets/cache.h"
#include "datasets/extract.h"
#include "datasets/csmith.h"
#include "datasets/fetch.h"
#include "datasets/prepare_internal.h"
#include "datasets/record.h"
#include "datasets/tree.h"
#include "env/error_internal.h"
#include "env/sha256_internal.h"

void cgym_prepare_progress(const cgym_prepare_run *run, const char *format, ...) {
  char message[1024];
  va_list args;

  if (!run->opts->progress) return;
  va_start(args, format);
  vsnprintf(message, sizeof message, format, args);
  va_end(args);
  run->opts->progress(run->opts->progress_context, message);
}

void cgym_prepared_suite_free(cgym_prepared_suite *prepared) {
  if (!prepared) return;
  for (size_t i = 0; i < prepared->benchmark_count; i++) {
    free(prepared->benchmarks[i].name);
    free(prepared->benchmarks[i].uri);
    free(prepared->benchmarks[i].bitcode_path);
    free(prepared->benchmarks[i].bitcode_sha256);
  }
  for (size_t i = 0; i < prepared->excluded_count; i++) {
    free(prepared->excluded[i].name);
    free(prepared->excluded[i].uri);
    free(prepared->excluded[i].reason);
  }
  for (size_t i = 0; i < prepared->archive_count; i++) {
    free(prepared->archives[i].file);
    free(prepared->archives[i].sha256);
  }
  free(prepared->benchmarks);
  free(prepared->archives);
  free(prepared->excluded);
  free(prepared->build_recipe);
  free(prepared);
}

/* Hashes the parts of a cache key, separated by newlines, into CGYM_CACHE_KEY_DIGITS hex digits. */
int cgym_prepare_cache_key(const cgym_string_list *parts, char out[CGYM_CACHE_KEY_DIGITS + 1]) {
  size_t length = 1;
  for (size_t i = 0; i < parts->count; i++) length += strlen(parts->items[i]) + 1;

  char *text = calloc(1, length);
  if (!text) return cgym_error_set(CGYM_ENOMEM, "out of memory computing a cache key");
  for (size_t i = 0; i < parts->count; i++) {
    strcat(text, parts->items[i]);
    strcat(text, "\n");
  }
  char digest[65];
  int rc = cgym_sha256_hex(text, strlen(text), digest);
  free(text);
  if (rc != CGYM_OK) return rc;
  memcpy(out, digest, CGYM_CACHE_KEY_DIGITS);
  out[CGYM_CACHE_KEY_DIGITS] = '\0';
  return CGYM_OK;
}

int cgym_prepare_add_excluded(cgym_prepare_run *run, const char *name, const char *uri,
                        const char *reason) {
  cgym_prepared_suite *prepared = run->prepared;
  cgym_excluded_benchmark *excluded = &prepared->excluded[prepared->excluded_count++];
  excluded->name = strdup(name);
  excluded->uri = strdup(uri);
  excluded->reason = strdup(reason);
  if (!excluded->name || !excluded->uri || !excluded->reason)
    return cgym_error_set(CGYM_ENOMEM, "out of memory recording %s", uri);
  cgym_prepare_progress(run, "excluded %s: %s", uri, reason);
  return CGYM_OK;
}

/* Appends a benchmark whose bitcode is at path (taking path) after checking that the bitcode
 * still has the digest recorded when LLVM verified it. */
static int add_benchmark(cgym_prepare_run *run, const char *name, const char *uri, char *path,
                         const cgym_record *record) {
  cgym_prepared_suite *prepared = run->prepared;
  cgym_benchmark *benchmark = &prepared->benchmarks[prepared->benchmark_count];
  char digest[65];

  int rc = cgym_sha256_file(path, digest);
  if (rc == CGYM_OK && strcmp(digest, record->sha256) != 0) {
    const char *cache = run->opts->cache_dir;
    rc = cgym_error_set(CGYM_ECHECKSUM, "cached bitcode %s changed since it was verified: "
                        "expected SHA-256 %s, got %s; run `cgym suites remove %s%s%s` and fetch "
                        "it again", path, record->sha256, digest,
                        cgym_suite_command_argument(run->suite), cache ? " --cache " : "",
                        cache ? cache : "");
  }
  if (rc != CGYM_OK) {
    free(path);
    return rc;
  }
  prepared->benchmark_count++;
  benchmark->bitcode_path = path;
  benchmark->name = strdup(name);
  benchmark->uri = strdup(uri);
  benchmark->bitcode_sha256 = strdup(digest);
  benchmark->instructions_o0 = record->instructions_o0;
  benchmark->instructions_oz = record->instructions_oz;
  if (!benchmark->name || !benchmark->uri || !benchmark->bitcode_sha256)
    return cgym_error_set(CGYM_ENOMEM, "out of memory recording %s", uri);
  return CGYM_OK;
}

/* Turns the outcome of a build into a stored record: a failed build (CGYM_EBUILD) or a module
 * that LLVM 19 rejects becomes an exclusion with the reason; other errors pass through. */
static int record_outcome(const char *uri, const char *output, const char *record_path,
                          int build_rc, cgym_record *record) {
  int rc = build_rc;
  memset(record, 0, sizeof *record);
  if (rc == CGYM_EBUILD) {
    record->excluded = strndup(cgym_error_message(), CGYM_RECORD_MAX_REASON);
    rc = record->excluded ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory");
  } else if (rc == CGYM_OK) {
    rc = cgym_record_check(uri, output, record);
  }
  if (rc == CGYM_OK) rc = cgym_record_write(record_path, uri, record);
  return rc;
}

int cgym_prepare_provide_benchmark(cgym_prepare_run *run, const char *name, const char *uri,
                                   char *output, cgym_build_step build, const void *context) {
  cgym_record record;
  char *record_path = cgym_record_path(output);
  if (!record_path) {
    free(output);
    return cgym_error_set(CGYM_ENOMEM, "out of memory naming the record of %s", uri);
  }

  int rc = cgym_record_read(record_path, uri, &record);
  if (rc == CGYM_ENOTFOUND) {
    int build_rc = cgym_path_exists(output) ? CGYM_OK : build(run, context, uri, output);
    rc = record_outcome(uri, output, record_path, build_rc, &record);
  }
  if (rc == CGYM_OK && record.excluded) {
    rc = cgym_prepare_add_excluded(run, name, uri, record.excluded);
    free(output);
  } else if (rc == CGYM_OK) {
    rc = add_benchmark(run, name, uri, output, &record);
  } else {
    free(output);
  }
  cgym_record_clear(&record);
  free(record_path);
  return rc;
}

/* ---- archives ---------------------------------------------------------------------------- */

int cgym_prepare_record_archive(cgym_prepare_run *run, const cgym_suite_archive *archive) {
  cgym_archive_record *record = &run->prepared->archives[run->prepared->archive_count++];
  record->file = strdup(archive->file);
  record->sha256 = strdup(archive->sha256);
  if (!record->file || !record->sha256)
    return cgym_error_set(CGYM_ENOMEM, "out of memory recording %s", archive->file);
  return CGYM_OK;
}

/* Fetches, verifies and extracts archive index once; later calls return at once. */
int cgym_prepare_provide_tree(cgym_prepare_run *run, size_t index) {
  const cgym_suite_archive *archive = &run->suite->archives[index];
  char *archive_path = NULL;

  if (run->tree_paths[index]) return CGYM_OK;
  int rc = cgym_fetch_archive(&run->cache, archive, run->opts, &archive_path);
  if (rc != CGYM_OK) return rc;

  char *tree = cgym_format("%s/trees/%s-x%d", run->cache.root, archive->sha256,
                           CGYM_EXTRACT_RULES_VERSION);
  char *source = tree ? cgym_format("%s/%s", tree, CGYM_TREE_SOURCE_FOLDER) : NULL;
  if (!source) rc = cgym_error_set(CGYM_ENOMEM, "out of memory naming the tree of %s", archive->file);
  cgym_extract_limits limits = {(long long)archive->max_entries, (long long)archive->max_bytes};
  if (rc == CGYM_OK && !cgym_path_exists(tree)) {
    cgym_prepare_progress(run, "extracting %s", archive->file);
    rc = cgym_tree_extract(archive_path, archive->file, tree, &limits);
  }
  if (rc == CGYM_OK) rc = cgym_prepare_record_archive(run, archive);
  free(archive_path);
  free(tree);
  if (rc != CGYM_OK) {
    free(source);
    return rc;
  }
  run->tree_paths[index] = source;
  return CGYM_OK;
}

/* ---- source benchmarks ------------------------------------------------------------------ */

static int benchmark_key(const cgym_prepare_run *run, const cgym_suite_benchmark *benchmark,
                         const char *recipe, char key[CGYM_CACHE_KEY_DIGITS + 1]) {
  cgym_string_list parts = {0};
  int rc = cgym_string_list_append(&parts, run->suite->archives[benchmark->archive].sha256);
  if (rc == CGYM_OK) rc = cgym_string_list_append(&parts, recipe);
  if (rc == CGYM_OK) rc = cgym_string_list_append(&parts, benchmark->root);
  for (size_t i = 0; i < benchmark->sources.count && rc == CGYM_OK; i++)
    rc = cgym_string_list_append(&parts, benchmark->sources.items[i]);
  if (rc == CGYM_OK) rc = cgym_prepare_cache_key(&parts, key);
  cgym_string_list_clear(&parts);
  return rc;
}

static int check_root(const cgym_suite_benchmark *benchmark, const char *archive_file,
                      const char *source_dir) {
  struct stat info;
  if (stat(source_dir, &info) == 0 && S_ISDIR(info.st_mode)) return CGYM_OK;
  return cgym_error_set(CGYM_EBUILD, "benchmark %s: folder \"%s\" not found in archive %s; check "
                        "its root", benchmark->name, benchmark->root, archive_file);
}

typedef struct source_build {
  const cgym_suite_benchmark *benchmark;
  const cgym_string_list *flags;
  const char *source_dir;
} source_build;

static int compile_sources(cgym_prepare_run *run, const void *context, const char *uri,
                           const char *output) {
  const source_build *build = context;
  const cgym_suite_benchmark *benchmark = build->benchmark;

  cgym_prepare_progress(run, "building %s (%zu sources)", uri, benchmark->sources.count);
  int rc = check_root(benchmark, run->suite->archives[benchmark->archive].file, build->source_dir);
  cgym_build_request request = {uri, build->source_dir, &benchmark->sources, build->flags, output};
  if (rc == CGYM_OK) rc = cgym_build_module(&run->tools, &request);
  return rc;
}

/* Builds and checks one benchmark unless the cache has its record under the same key. */
static int build_source_benchmark(cgym_prepare_run *run, const cgym_suite_benchmark *benchmark,
                                  const cgym_string_list *flags, const char *recipe) {
  const char *suite_name = run->suite->name;
  char key[CGYM_CACHE_KEY_DIGITS + 1];
  char *uri = cgym_format("benchmark://%s/%s", suite_name, benchmark->name);
  char *output = NULL;
  char *source_dir = NULL;

  int rc = uri ? benchmark_key(run, benchmark, recipe, key)
               : cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", benchmark->name);
  if (rc == CGYM_OK) rc = cgym_prepare_provide_tree(run, benchmark->archive);
  if (rc != CGYM_OK) goto done;

  output = cgym_format("%s/bitcode/%s/%s-%s.bc", run->cache.root, suite_name, benchmark->name, key);
  source_dir = cgym_format("%s%s%s", run->tree_paths[benchmark->archive],
                           *benchmark->root ? "/" : "", benchmark->root);
  if (!output || !source_dir) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", uri);
    goto done;
  }
  source_build build = {benchmark, flags, source_dir};
  rc = cgym_prepare_provide_benchmark(run, benchmark->name, uri, output, compile_sources, &build);
  output = NULL;

done:
  free(uri);
  free(output);
  free(source_dir);
  return rc;
}

int cgym_prepare_is_selected(const cgym_prepare_options *opts, const char *name) {
  if (!opts->only) return 1;
  for (const char *const *only = opts->only; *only; only++) {
    if (strcmp(*only, name) == 0) return 1;
  }
  return 0;
}

/* Every name in opts->only must name a benchmark of the suite. */
int cgym_prepare_check_selection(const cgym_prepare_run *run) {
  if (!run->opts->only) return CGYM_OK;
  for (const char *const *only = run->opts->only; *only; only++) {
    int found = 0;
    for (size_t i = 0; i < run->suite->benchmark_count; i++)
      found |= strcmp(run->suite->benchmarks[i].name, *only) == 0;
    if (!found)
      return cgym_error_set(CGYM_ENOTFOUND, "benchmark \"%s\" not found in suite %s; its "
                            "benchmarks are listed in %s", *only, run->suite->name,
                            run->suite->origin);
  }
  return CGYM_OK;
}

static int prepare_sources(cgym_prepare_run *run) {
  cgym_suite *suite = run->suite;

  int rc = cgym_prepare_check_selection(run);
  if (rc != CGYM_OK) return rc;
  run->tree_paths = calloc(suite->archive_count, sizeof *run->tree_paths);
  run->prepared->archives = calloc(suite->archive_count, sizeof *run->prepared->archives);
  run->prepared->benchmarks = calloc(suite->benchmark_count, sizeof *run->prepared->benchmarks);
  run->prepared->excluded = calloc(suite->benchmark_count, sizeof *run->prepared->excluded);
  if (!run->tree_paths || !run->prepared->archives || !run->prepared->benchmarks ||
      !run->prepared->excluded)
    return cgym_error_set(CGYM_ENOMEM, "out of memory preparing suite %s", suite->name);

  for (size_t i = 0; i < suite->benchmark_count && rc == CGYM_OK; i++) {
    const cgym_suite_benchmark *benchmark = &suite->benchmarks[i];
    cgym_string_list flags = {0};
    char *recipe = NULL;
    if (!cgym_prepare_is_selected(run->opts, benchmark->name)) continue;

    rc = cgym_build_flags(suite, benchmark, &flags);
    if (rc == CGYM_OK && !(recipe = cgym_build_recipe(&run->tools, &flags)))
      rc = cgym_error_set(CGYM_ENOMEM, "out of memory preparing %s", benchmark->name);
    if (rc == CGYM_OK) rc = build_source_benchmark(run, benchmark, &flags, recipe);
    free(recipe);
    cgym_string_list_clear(&flags);
  }
  return rc;
}

/* The suite-wide recipe: the tool versions and the flags before per-benchmark additions.
 * Manifest suites have their own (prepare_manifest.c). Folder suites add csmith's include
 * folder, so csmith's programs build as they are. */
static int suite_recipe(cgym_prepare_run *run) {
  const cgym_suite *suite = run->suite;
  cgym_suite_benchmark none = {0};
  cgym_string_list flags = {0};

  if (suite->is_generator) return cgym_prepare_generator_recipe(run);
  if (suite->is_manifest) return cgym_prepare_manifest_recipe(run);
  int rc = suite->is_folder ? cgym_csmith_flags(&flags) : cgym_build_flags(suite, &none, &flags);
  if (rc == CGYM_OK && !(run->prepared->build_recipe = cgym_build_recipe(&run->tools, &flags)))
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory describing the build recipe");
  cgym_string_list_clear(&flags);
  return rc;
}

/* ---- entry point ------------------------------------------------------------------------ */

static int make_bitcode_folder(const cgym_prepare_run *run) {
  char *folder = cgym_format("%s/bitcode/%s", run->cache.root, run->suite->name);
  if (!folder) return cgym_error_set(CGYM_ENOMEM, "out of memory naming the bitcode folder");
  int rc = cgym_make_dirs(folder);
  free(folder);
  return rc;
}

static int prepare_kind(cgym_prepare_run *run) {
  if (run->suite->is_generator) return cgym_prepare_generator(run);
  if (run->suite->is_manifest) return cgym_prepare_manifest(run);
  if (run->suite->is_folder) return cgym_prepare_folder(run);
  return prepare_sources(run);
}

int cgym_suite_prepare(cgym_suite *suite, const cgym_prepare_options *opts,
                       cgym_prepared_suite **out) {
  static const cgym_prepare_options defaults = CGYM_PREPARE_OPTIONS_INIT;
  cgym_prepare_run run = {suite, opts ? opts : &defaults, {NULL, -1}, {0}, NULL, NULL};

  if (!suite || !out)
    return cgym_error_set(CGYM_EINVAL, "cgym_suite_prepare needs a suite and an output pointer");
  *out = NULL;
  if (run.opts->version != CGYM_PREPARE_OPTIONS_VERSION)
    return cgym_error_set(CGYM_EINVAL, "cgym_prepare_options.version is %d, expected %d; "
                          "initialize with CGYM_PREPARE_OPTIONS_INIT", run.opts->version,
                          CGYM_PREPARE_OPTIONS_VERSION);

  run.prepared = calloc(1, sizeof *run.prepared);
  if (!run.prepared) return cgym_error_set(CGYM_ENOMEM, "out of memory preparing %s", suite->name);
  int rc = cgym_cache_open(&run.cache, run.opts->cache_dir, run.opts->progress,
                           run.opts->progress_context);
  if (rc == CGYM_OK) rc = make_bitcode_folder(&run);
  if (rc == CGYM_OK) rc = cgym_build_tools_find(&run.tools);
  if (rc == CGYM_OK) rc = suite_recipe(&run);
  if (rc == CGYM_OK) rc = prepare_kind(&run);

  for (size_t i = 0; run.tree_paths && i < suite->archive_count; i++) free(run.tree_paths[i]);
  free(run.tree_paths);
  cgym_build_tools_clear(&run.tools);
  cgym_cache_close(&run.cache);
  if (rc != CGYM_OK) {
    cgym_prepared_suite_free(run.prepared);
    return rc;
  }
  *out = run.prepared;
  return CGYM_OK;
}
