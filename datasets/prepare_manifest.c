/*
 * Preparing a manifest suite, the layout of CompilerGym's published LLVM datasets: an archive of
 * prebuilt bitcode (or of sources) and a separate compressed manifest that lists one benchmark
 * per line. Benchmark LINE is the file ROOT/LINE SUFFIX of the extracted archive, with the URI
 * benchmark://SUITE/LINE. Bitcode is copied into the cache; sources are compiled with the
 * suite's recipe, after the POJ-104 rewrite or against the OpenCL headers when the definition
 * names that build step. LLVM 19 checks and counts each module like any other benchmark, so old
 * bitcode that LLVM 19 cannot read becomes an exclusion with the reason.
 *
 * A lazy suite builds only the benchmarks that a prepare names (opts->only), each once: the
 * record written next to the bitcode makes every later prepare reuse it. Without names, a
 * prepare of a lazy suite fetches and extracts everything, so later builds need no network,
 * and builds nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/fetch.h"
#include "datasets/manifest.h"
#include "datasets/path_set.h"
#include "datasets/poj104.h"
#include "datasets/prepare_internal.h"
#include "env/error_internal.h"
#include "env/sha256_internal.h"

/* Maximum length of a cache file stem taken from a manifest line. Longer lines use a digest of
 * the line, so the file name with its key and suffix stays within the 255 bytes of common file
 * systems. */
#define STEM_MAX 160

/* Reads the manifest and checks that it lists the number of benchmarks the definition states. */
static int read_manifest(cgym_prepare_run *run, cgym_string_list *lines) {
  const cgym_suite *suite = run->suite;
  const cgym_suite_archive *list = &suite->archives[suite->manifest_list];
  char *path = NULL;

  int rc = cgym_fetch_archive(&run->cache, list, run->opts, &path);
  if (rc == CGYM_OK) rc = cgym_prepare_record_archive(run, list);
  if (rc == CGYM_OK) rc = cgym_manifest_read(path, list->file, lines);
  if (rc == CGYM_OK && lines->count == 0)
    rc = cgym_error_set(CGYM_EFORMAT, "manifest %s lists no benchmarks; check the file served "
                        "for suite %s", list->file, suite->name);
  else if (rc == CGYM_OK && suite->manifest_count > 0 && lines->count != suite->manifest_count)
    rc = cgym_error_set(CGYM_EFORMAT, "manifest %s lists %zu benchmarks, but suite %s states %llu; "
                        "check manifest.count in %s", list->file, lines->count, suite->name,
                        (unsigned long long)suite->manifest_count, suite->origin);
  free(path);
  return rc;
}

/* Stores the names of opts->only in selected and checks that the manifest lists each. Hash
 * sets keep this one pass over the lines, however many of a million lines are named. */
static int select_lines(const cgym_prepare_run *run, const cgym_string_list *lines,
                        cgym_path_set *selected) {
  cgym_path_set found = {0};
  int rc = CGYM_OK;

  if (!run->opts->only) return CGYM_OK;
  for (const char *const *only = run->opts->only; *only && rc == CGYM_OK; only++) {
    if (cgym_path_set_add(selected, *only) < 0)
      rc = cgym_error_set(CGYM_ENOMEM, "out of memory selecting \"%s\"", *only);
  }
  for (size_t i = 0; i < lines->count && rc == CGYM_OK; i++) {
    if (cgym_path_set_contains(selected, lines->items[i]) &&
        cgym_path_set_add(&found, lines->items[i]) < 0)
      rc = cgym_error_set(CGYM_ENOMEM, "out of memory selecting benchmarks");
  }
  for (const char *const *only = run->opts->only; *only && rc == CGYM_OK; only++) {
    if (!cgym_path_set_contains(&found, *only))
      rc = cgym_error_set(CGYM_ENOTFOUND, "benchmark \"%s\" not found in the manifest of suite "
                          "%s", *only, run->suite->name);
  }
  cgym_path_set_clear(&found);
  return rc;
}

/* Names the cache file of a line: the line with '%' and '/' percent-encoded, or "sha256-" and
 * 16 hex digits of its digest when that is longer than STEM_MAX. */
static char *cache_stem(const char *line) {
  char stem[STEM_MAX + 1];
  size_t used = 0;

  for (const char *c = line; *c && used <= STEM_MAX; c++) {
    if (*c != '/' && *c != '%') {
      stem[used++] = *c;
    } else if (used + 3 <= STEM_MAX) {
      memcpy(stem + used, *c == '/' ? "%2F" : "%25", 3);
      used += 3;
    } else {
      used = STEM_MAX + 1;
    }
  }
  if (used <= STEM_MAX) {
    stem[used] = '\0';
    return strdup(stem);
  }
  char digest[65];
  if (cgym_sha256_hex(line, strlen(line), digest) != CGYM_OK) return NULL;
  return cgym_format("sha256-%.16s", digest);
}

typedef struct manifest_build {
  const char *line;
  const cgym_string_list *flags;
} manifest_build;

static int build_line(cgym_prepare_run *run, const void *context, const char *uri,
                      const char *output) {
  const manifest_build *build = context;
  const cgym_suite *suite = run->suite;
  const char *tree = run->tree_paths[suite->manifest_archive];
  const char *root = suite->manifest_root;
  char *folder = cgym_format("%s%s%s", tree, *root ? "/" : "", root);
  char *file = cgym_format("%s%s", build->line, suite->manifest_suffix);
  char *path = folder && file ? cgym_format("%s/%s", folder, file) : NULL;
  int rc = CGYM_OK;

  if (!path) rc = cgym_error_set(CGYM_ENOMEM, "out of memory building %s", uri);
  else if (!cgym_path_exists(path))
    rc = cgym_error_set(CGYM_EBUILD, "building %s: %s not found in archive %s", uri, file,
                        suite->archives[suite->manifest_archive].file);
  if (rc != CGYM_OK) goto done;

  if (suite->manifest_build == CGYM_MANIFEST_COPY) {
    rc = cgym_copy_file(path, output);
  } else if (suite->manifest_build == CGYM_MANIFEST_POJ104) {
    cgym_prepare_progress(run, "building %s", uri);
    rc = cgym_poj104_build(&run->tools, uri, path, build->flags, output);
  } else {
    cgym_prepare_progress(run, "building %s", uri);
    char *items[1] = {file};
    cgym_string_list sources = {items, 1};
    cgym_build_request request = {uri, folder, &sources, build->flags, output};
    rc = cgym_build_module(&run->tools, &request);
  }

done:
  free(folder);
  free(file);
  free(path);
  return rc;
}

static int prepare_line(cgym_prepare_run *run, const char *line, const cgym_string_list *flags) {
  const cgym_suite *suite = run->suite;
  cgym_string_list parts = {0};
  char key[CGYM_CACHE_KEY_DIGITS + 1];
  char *uri = cgym_format("benchmark://%s/%s", suite->name, line);
  char *stem = cache_stem(line);
  char *output = NULL;

  int rc = uri && stem ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", line);
  const char *archive_digest = suite->archives[suite->manifest_archive].sha256;
  if (rc == CGYM_OK) rc = cgym_string_list_append(&parts, archive_digest);
  if (rc == CGYM_OK) rc = cgym_string_list_append(&parts, run->prepared->build_recipe);
  if (rc == CGYM_OK) rc = cgym_string_list_append(&parts, line);
  if (rc == CGYM_OK) rc = cgym_prepare_cache_key(&parts, key);
  if (rc == CGYM_OK) {
    output = cgym_format("%s/bitcode/%s/%s-%s.bc", run->cache.root, suite->name, stem, key);
    if (!output) rc = cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", uri);
  }
  manifest_build build = {line, flags};
  if (rc == CGYM_OK) {
    rc = cgym_prepare_provide_benchmark(run, line, uri, output, build_line, &build);
    output = NULL;
  }
  cgym_string_list_clear(&parts);
  free(output);
  free(stem);
  free(uri);
  return rc;
}

/* Adds the OpenCL headers to flags: -isystem with the extracted libclc archive and -include
 * with the header file, as CompilerGym's clgen-v0 passes them. */
static int add_opencl_flags(cgym_prepare_run *run, cgym_string_list *flags) {
  const cgym_suite *suite = run->suite;
  const cgym_suite_archive *header = &suite->archives[suite->manifest_header];
  char *header_path = NULL;

  int rc = cgym_prepare_provide_tree(run, suite->manifest_libclc);
  if (rc == CGYM_OK) rc = cgym_fetch_archive(&run->cache, header, run->opts, &header_path);
  if (rc == CGYM_OK) rc = cgym_prepare_record_archive(run, header);
  if (rc == CGYM_OK) rc = cgym_string_list_append(flags, "-isystem");
  if (rc == CGYM_OK) rc = cgym_string_list_append(flags, run->tree_paths[suite->manifest_libclc]);
  if (rc == CGYM_OK) rc = cgym_string_list_append(flags, "-include");
  if (rc == CGYM_OK) rc = cgym_string_list_append(flags, header_path);
  free(header_path);
  return rc;
}

/* The recipe of a manifest suite, part of every line's cache key: the archive that prebuilt
 * bitcode comes from, or the compile recipe with the build step and its extra inputs. */
int cgym_prepare_manifest_recipe(cgym_prepare_run *run) {
  const cgym_suite *suite = run->suite;
  const cgym_suite_archive *archive = &suite->archives[suite->manifest_archive];
  cgym_suite_benchmark none = {0};
  cgym_string_list flags = {0};
  char *compile = NULL;

  if (suite->manifest_build == CGYM_MANIFEST_COPY) {
    run->prepared->build_recipe = cgym_format("prebuilt bitcode from %s (SHA-256 %s)",
                                              archive->file, archive->sha256);
    if (!run->prepared->build_recipe)
      return cgym_error_set(CGYM_ENOMEM, "out of memory describing the build recipe");
    return CGYM_OK;
  }
  int rc = cgym_build_flags(suite, &none, &flags);
  if (rc == CGYM_OK && !(compile = cgym_build_recipe(&run->tools, &flags)))
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory describing the build recipe");
  if (rc == CGYM_OK && suite->manifest_build == CGYM_MANIFEST_COMPILE) {
    run->prepared->build_recipe = compile;
    compile = NULL;
  } else if (rc == CGYM_OK && suite->manifest_build == CGYM_MANIFEST_POJ104) {
    run->prepared->build_recipe = cgym_format("%s; after the %s", compile,
                                              CGYM_POJ104_REWRITE_NAME);
  } else if (rc == CGYM_OK) {
    const cgym_suite_archive *libclc = &suite->archives[suite->manifest_libclc];
    const cgym_suite_archive *header = &suite->archives[suite->manifest_header];
    run->prepared->build_recipe = cgym_format("%s; with -isystem %s (SHA-256 %s) and -include "
                                              "%s (SHA-256 %s)", compile, libclc->file,
                                              libclc->sha256, header->file, header->sha256);
  }
  if (rc == CGYM_OK && !run->prepared->build_recipe)
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory describing the build recipe");
  free(compile);
  cgym_string_list_clear(&flags);
  return rc;
}

/* Fetches and extracts what the builds read, and the flags they pass to clang. */
static int provide_inputs(cgym_prepare_run *run, cgym_string_list *flags) {
  const cgym_suite *suite = run->suite;
  cgym_suite_benchmark none = {0};

  int rc = cgym_prepare_provide_tree(run, suite->manifest_archive);
  if (rc == CGYM_OK && suite->manifest_build != CGYM_MANIFEST_COPY)
    rc = cgym_build_flags(suite, &none, flags);
  if (rc == CGYM_OK && suite->manifest_build == CGYM_MANIFEST_OPENCL)
    rc = add_opencl_flags(run, flags);
  return rc;
}

int cgym_prepare_manifest(cgym_prepare_run *run) {
  const cgym_suite *suite = run->suite;
  cgym_string_list flags = {0};
  cgym_string_list lines = {0};
  cgym_path_set selected = {0};

  run->tree_paths = calloc(suite->archive_count, sizeof *run->tree_paths);
  run->prepared->archives = calloc(suite->archive_count, sizeof *run->prepared->archives);
  if (!run->tree_paths || !run->prepared->archives)
    return cgym_error_set(CGYM_ENOMEM, "out of memory preparing suite %s", suite->name);

  int rc = read_manifest(run, &lines);
  if (rc == CGYM_OK) rc = select_lines(run, &lines, &selected);
  if (rc == CGYM_OK) rc = provide_inputs(run, &flags);
  if (rc != CGYM_OK) goto done;
  run->prepared->benchmarks = calloc(lines.count, sizeof *run->prepared->benchmarks);
  run->prepared->excluded = calloc(lines.count, sizeof *run->prepared->excluded);
  if (!run->prepared->benchmarks || !run->prepared->excluded) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory preparing suite %s", suite->name);
    goto done;
  }

  /* A lazy suite without a selection builds nothing: building a million benchmarks to list
   * them would take days. */
  int build_all = !suite->manifest_lazy;
  for (size_t i = 0; i < lines.count && rc == CGYM_OK; i++) {
    if (run->opts->only ? cgym_path_set_contains(&selected, lines.items[i]) : build_all)
      rc = prepare_line(run, lines.items[i], &flags);
  }
  if (suite->manifest_lazy)
    run->prepared->unbuilt_count =
        lines.count - run->prepared->benchmark_count - run->prepared->excluded_count;

done:
  cgym_path_set_clear(&selected);
  cgym_string_list_clear(&flags);
  cgym_string_list_clear(&lines);
  return rc;
}
