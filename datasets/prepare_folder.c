/*
 * Preparing a folder suite. A .c file is compiled inside the folder, so no cache path ends up in
 * the bitcode, with the default recipe plus csmith's include folder (the recipe of csmith-v0, so
 * generated programs build as they are). A .ll file is assembled by LLVM 19's llvm-as, and a .bc
 * file is copied. The cache key covers the file's SHA-256, so an edited file builds anew.
 * A file that fails to build or load is excluded with the reason, like any benchmark.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datasets/csmith.h"
#include "datasets/prepare_internal.h"
#include "env/error_internal.h"

#define ASSEMBLE_TIMEOUT_SECONDS 300

typedef struct file_build {
  const cgym_suite_benchmark *benchmark;
  const cgym_string_list *flags;
} file_build;

static int assemble(cgym_prepare_run *run, const char *name, const char *uri, const char *output) {
  char *assembler = cgym_format("%s/llvm-as", CGYM_LLVM_BIN_DIR);
  char *folder = cgym_format("%s/bitcode/%s", run->cache.root, run->suite->name);
  char *temp = NULL;
  int fd = -1;

  int rc = assembler && folder ? cgym_temp_file(folder, &temp, &fd)
                               : cgym_error_set(CGYM_ENOMEM, "out of memory building %s", uri);
  if (fd >= 0) close(fd);
  char *argv[] = {assembler, (char *)name, "-o", temp, NULL};
  if (rc == CGYM_OK)
    rc = cgym_build_run_tool(uri, argv, run->suite->folder, ASSEMBLE_TIMEOUT_SECONDS);
  if (rc == CGYM_OK && rename(temp, output) != 0)
    rc = cgym_error_set(CGYM_EIO, "cannot rename %s to %s: %s", temp, output, strerror(errno));
  if (temp && rc != CGYM_OK) unlink(temp);
  free(assembler);
  free(folder);
  free(temp);
  return rc;
}

static int build_file(cgym_prepare_run *run, const void *context, const char *uri,
                      const char *output) {
  const file_build *build = context;
  const char *name = build->benchmark->name;

  cgym_prepare_progress(run, "building %s", uri);
  int kind = cgym_folder_file_kind(name);
  if (kind == 'l') return assemble(run, name, uri, output);
  if (kind == 'c') {
    cgym_build_request request = {uri, run->suite->folder, &build->benchmark->sources,
                                  build->flags, output};
    return cgym_build_module(&run->tools, &request);
  }
  char *source = cgym_format("%s/%s", run->suite->folder, name);
  int rc = source ? cgym_copy_file(source, output)
                  : cgym_error_set(CGYM_ENOMEM, "out of memory building %s", uri);
  free(source);
  return rc;
}

/* File names become URIs and cache file names, so only plain names are built. */
static const char *name_problem(const char *name) {
  for (const char *c = name; *c; c++) {
    int plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-';
    if (!plain) return "the file name has characters outside [A-Za-z0-9._-]; rename the file";
  }
  if (strlen(name) > CGYM_SUITE_MAX_NAME) return "the file name is longer than 128 bytes";
  return NULL;
}

static int prepare_file(cgym_prepare_run *run, const cgym_suite_benchmark *benchmark,
                        const cgym_string_list *flags) {
  cgym_string_list parts = {0};
  char key[CGYM_CACHE_KEY_DIGITS + 1];
  char *uri = cgym_format("file://%s/%s", run->suite->folder, benchmark->name);
  char *output = NULL;

  if (!uri) return cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", benchmark->name);
  const char *problem = name_problem(benchmark->name);
  int rc = problem ? cgym_prepare_add_excluded(run, benchmark->name, uri, problem) : CGYM_OK;
  if (problem || rc != CGYM_OK) goto done;

  /* The key covers the file's content, the recipe and the name, which selects the build step. */
  rc = cgym_string_list_append(&parts, benchmark->sha256);
  if (rc == CGYM_OK) rc = cgym_string_list_append(&parts, run->prepared->build_recipe);
  if (rc == CGYM_OK) rc = cgym_string_list_append(&parts, benchmark->name);
  if (rc == CGYM_OK) rc = cgym_prepare_cache_key(&parts, key);
  if (rc != CGYM_OK) goto done;
  output = cgym_format("%s/bitcode/%s/%s-%s.bc", run->cache.root, run->suite->name,
                       benchmark->name, key);
  if (!output) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", uri);
    goto done;
  }
  file_build build = {benchmark, flags};
  rc = cgym_prepare_provide_benchmark(run, benchmark->name, uri, output, build_file, &build);
  output = NULL;

done:
  cgym_string_list_clear(&parts);
  free(output);
  free(uri);
  return rc;
}

int cgym_prepare_folder(cgym_prepare_run *run) {
  const cgym_suite *suite = run->suite;
  cgym_string_list flags = {0};

  run->prepared->benchmarks = calloc(suite->benchmark_count, sizeof *run->prepared->benchmarks);
  run->prepared->excluded = calloc(suite->benchmark_count, sizeof *run->prepared->excluded);
  if (!run->prepared->benchmarks || !run->prepared->excluded)
    return cgym_error_set(CGYM_ENOMEM, "out of memory preparing %s", suite->folder);

  int rc = cgym_prepare_check_selection(run);
  if (rc == CGYM_OK) rc = cgym_csmith_flags(&flags);
  for (size_t i = 0; i < suite->benchmark_count && rc == CGYM_OK; i++) {
    if (!cgym_prepare_is_selected(run->opts, suite->benchmarks[i].name)) continue;
    rc = prepare_file(run, &suite->benchmarks[i], &flags);
  }
  cgym_string_list_clear(&flags);
  return rc;
}
