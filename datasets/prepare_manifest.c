/*
 * Preparing a manifest suite, the layout of CompilerGym's published LLVM datasets: an archive of
 * prebuilt bitcode (or of C files) and a separate compressed manifest that lists one benchmark
 * per line. Benchmark LINE is the file ROOT/LINE SUFFIX of the extracted archive, with the URI
 * benchmark://SUITE/LINE. Bitcode is copied into the cache and C files are built with the
 * suite's recipe. LLVM 19 checks and counts each module like any other benchmark, so old bitcode
 * that LLVM 19 cannot read becomes an exclusion with the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/fetch.h"
#include "datasets/manifest.h"
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
  if (rc == CGYM_OK && lines->count != suite->manifest_count)
    rc = cgym_error_set(CGYM_EFORMAT, "manifest %s lists %zu benchmarks, but suite %s states %llu; "
                        "check manifest.count in %s", list->file, lines->count, suite->name,
                        (unsigned long long)suite->manifest_count, suite->origin);
  free(path);
  return rc;
}

static int check_selection(const cgym_prepare_run *run, const cgym_string_list *lines) {
  if (!run->opts->only) return CGYM_OK;
  for (const char *const *only = run->opts->only; *only; only++) {
    int found = 0;
    for (size_t i = 0; i < lines->count && !found; i++) found = strcmp(lines->items[i], *only) == 0;
    if (!found)
      return cgym_error_set(CGYM_ENOTFOUND, "benchmark \"%s\" not found in the manifest of suite "
                            "%s", *only, run->suite->name);
  }
  return CGYM_OK;
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
  if (rc == CGYM_OK && strcmp(suite->manifest_suffix, ".bc") == 0) {
    rc = cgym_copy_file(path, output);
  } else if (rc == CGYM_OK) {
    cgym_prepare_progress(run, "building %s", uri);
    char *items[1] = {file};
    cgym_string_list sources = {items, 1};
    cgym_build_request request = {uri, folder, &sources, build->flags, output};
    rc = cgym_build_module(&run->tools, &request);
  }
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

int cgym_prepare_manifest(cgym_prepare_run *run) {
  const cgym_suite *suite = run->suite;
  cgym_suite_benchmark none = {0};
  cgym_string_list flags = {0};
  cgym_string_list lines = {0};

  run->tree_paths = calloc(suite->archive_count, sizeof *run->tree_paths);
  run->prepared->archives = calloc(suite->archive_count, sizeof *run->prepared->archives);
  if (!run->tree_paths || !run->prepared->archives)
    return cgym_error_set(CGYM_ENOMEM, "out of memory preparing suite %s", suite->name);

  int rc = read_manifest(run, &lines);
  if (rc == CGYM_OK) rc = check_selection(run, &lines);
  if (rc == CGYM_OK) rc = cgym_prepare_provide_tree(run, suite->manifest_archive);
  if (rc == CGYM_OK) rc = cgym_build_flags(suite, &none, &flags);
  if (rc != CGYM_OK) goto done;
  run->prepared->benchmarks = calloc(lines.count, sizeof *run->prepared->benchmarks);
  run->prepared->excluded = calloc(lines.count, sizeof *run->prepared->excluded);
  if (!run->prepared->benchmarks || !run->prepared->excluded) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory preparing suite %s", suite->name);
    goto done;
  }

  for (size_t i = 0; i < lines.count && rc == CGYM_OK; i++) {
    if (cgym_prepare_is_selected(run->opts, lines.items[i]))
      rc = prepare_line(run, lines.items[i], &flags);
  }

done:
  cgym_string_list_clear(&flags);
  cgym_string_list_clear(&lines);
  return rc;
}
