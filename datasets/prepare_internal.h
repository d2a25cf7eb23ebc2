#ifndef CGYM_DATASETS_PREPARE_INTERNAL_H
#define CGYM_DATASETS_PREPARE_INTERNAL_H

/*
 * The state of one cgym_suite_prepare call and the steps that every kind of suite shares. Each
 * kind has its own file: prepare.c for source suites, prepare_generator.c for generator suites,
 * prepare_folder.c for folders of user files and prepare_manifest.c for manifest suites.
 */

#include <stdint.h>

#include "datasets/build.h"
#include "datasets/cache.h"
#include "datasets/suite_internal.h"

/* The cache key keeps this many hex digits of its SHA-256 (64 bits). */
#define CGYM_CACHE_KEY_DIGITS 16

typedef struct cgym_prepare_run {
  cgym_suite *suite;
  const cgym_prepare_options *opts;
  cgym_cache cache;
  cgym_build_tools tools;
  cgym_prepared_suite *prepared;
  char **tree_paths; /* per archive, NULL until it is extracted */
} cgym_prepare_run;

/* Sends one line to the caller's progress callback, when there is one. */
void cgym_prepare_progress(const cgym_prepare_run *run, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Hashes the parts of a cache key, separated by newlines, into CGYM_CACHE_KEY_DIGITS hex digits. */
int cgym_prepare_cache_key(const cgym_string_list *parts, char out[CGYM_CACHE_KEY_DIGITS + 1]);

/* Appends an exclusion to run->prepared, whose excluded array has room for it. */
int cgym_prepare_add_excluded(cgym_prepare_run *run, const char *name, const char *uri,
                              const char *reason);

/* Makes the bitcode of uri at output. CGYM_EBUILD turns into an exclusion with its message. */
typedef int (*cgym_build_step)(cgym_prepare_run *run, const void *context, const char *uri,
                               const char *output);

/* Adds the benchmark whose bitcode is (or will be) at output, taking output. build makes the
 * bitcode when the cache has no record of it yet; the record then stores the outcome. */
int cgym_prepare_provide_benchmark(cgym_prepare_run *run, const char *name, const char *uri,
                                   char *output, cgym_build_step build, const void *context);

/* Appends archive to run->prepared->archives, which has room for every archive of the suite. */
int cgym_prepare_record_archive(cgym_prepare_run *run, const cgym_suite_archive *archive);

/* Fetches, verifies and extracts archive index once, into run->tree_paths[index]. */
int cgym_prepare_provide_tree(cgym_prepare_run *run, size_t index);

/* Returns nonzero when opts->only is unset or lists name. */
int cgym_prepare_is_selected(const cgym_prepare_options *opts, const char *name);

/* Checks that every name in opts->only names one of suite->benchmarks (CGYM_ENOTFOUND). */
int cgym_prepare_check_selection(const cgym_prepare_run *run);

/* Stores the recipe of a generator suite in run->prepared->build_recipe. */
int cgym_prepare_generator_recipe(cgym_prepare_run *run);

/* Generates and builds the seeds of a generator suite. */
int cgym_prepare_generator(cgym_prepare_run *run);

/* Builds every file of a folder suite. */
int cgym_prepare_folder(cgym_prepare_run *run);

/* Stores the recipe of a manifest suite in run->prepared->build_recipe. */
int cgym_prepare_manifest_recipe(cgym_prepare_run *run);

/* Copies (or builds) every benchmark that a manifest suite's manifest lists, or for a lazy
 * suite the ones that opts->only names. */
int cgym_prepare_manifest(cgym_prepare_run *run);

#endif
