/*
 * Manifest suites, the layout of CompilerGym's published datasets: a tar.bz2 of bitcode and a
 * separate bz2 manifest with one benchmark per line. The archive here is built at test time from
 * bitcode that clang 13 writes, and served by the loopback HTTP server, so the test also shows
 * that LLVM 19 reads LLVM 13 bitcode. The built-in CompilerGym suites cannot be downloaded
 * here; fetching one through a mirror that lacks it fails with the download error.
 */
#define _GNU_SOURCE

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

#define CLANG_13 "/usr/lib/llvm-13/bin/clang"
#define SKIP 77

/* Compiles source (C text) into folder/name with clang 13 and the cBench recipe. */
static void compile_13(const char *folder, const char *name, const char *source) {
  char *c_file = fixture_write_file(folder, "input.c", source);
  char *command = NULL;
  CHECK(asprintf(&command, CLANG_13 " -c -emit-llvm -O1 -Xclang -disable-llvm-passes -w %s -o "
                 "%s/%s", c_file, folder, name) >= 0);
  CHECK(system(command) == 0);
  free(command);
  unlink(c_file);
  free(c_file);
}

/* Adds the file folder/name to writer as entry. */
static void add_file(struct archive *writer, const char *folder, const char *name,
                     const char *entry_path) {
  char *path = cgym_test_path(folder, name);
  FILE *file = fopen(path, "rb");
  char buffer[1 << 16];
  size_t size = file ? fread(buffer, 1, sizeof buffer, file) : 0;
  CHECK(file != NULL);
  CHECK(size > 0);
  CHECK(size < sizeof buffer);
  if (file) fclose(file);

  struct archive_entry *entry = archive_entry_new();
  archive_entry_set_pathname(entry, entry_path);
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_perm(entry, 0644);
  archive_entry_set_size(entry, (la_int64_t)size);
  CHECK(archive_write_header(writer, entry) == ARCHIVE_OK);
  CHECK(archive_write_data(writer, buffer, size) == (la_ssize_t)size);
  archive_entry_free(entry);
  free(path);
}

/* Writes folder/old13.tar.bz2 with old13/add.bc and old13/nested/loop.bc. */
static void write_bitcode_archive(const char *folder) {
  compile_13(folder, "add.bc", "int add(int a, int b) { return a + b; }\n");
  compile_13(folder, "loop.bc", "int sum(int n) { int s = 0; for (int i = 0; i < n; i++) "
             "s += i * i; return s; }\n");
  char *path = cgym_test_path(folder, "old13.tar.bz2");
  struct archive *writer = archive_write_new();
  archive_write_set_format_pax_restricted(writer);
  archive_write_add_filter_bzip2(writer);
  CHECK(archive_write_open_filename(writer, path) == ARCHIVE_OK);
  add_file(writer, folder, "add.bc", "old13/add.bc");
  add_file(writer, folder, "loop.bc", "old13/nested/loop.bc");
  archive_write_close(writer);
  archive_write_free(writer);
  free(path);
}

/* Writes a manifest suite definition that fetches both files from the server at port. */
static char *write_definition(const char *folder, int port, int count) {
  char fields[128];
  snprintf(fields, sizeof fields, "\"root\": \"old13\", \"suffix\": \".bc\", \"count\": %d",
           count);
  fixture_manifest_suite suite = {"old-bitcode", NULL, "old13.tar.bz2", NULL,
                                  "old13-manifest.bz2", fields};
  return fixture_write_manifest_suite(folder, count == 2 ? "old.json" : "miscounted.json", port,
                                      &suite);
}

static void test_old_bitcode(const char *served, int port) {
  char *cache = cgym_test_temp_dir("cgym-manifest-cache");
  char *definition = write_definition(served, port, 2);
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, definition));
  if (!suite) return;
  CHECK_STR_EQ(cgym_suite_kind(suite), "manifest");
  CHECK(cgym_suite_benchmark_count(suite) == 2);

  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  cgym_prepared_suite *prepared = NULL;
  CHECK_OK(cgym_suite_prepare(suite, &opts, &prepared));
  if (prepared) {
    CHECK(prepared->benchmark_count == 2);
    CHECK(prepared->excluded_count == 0);
    CHECK(prepared->archive_count == 2);
    for (size_t i = 0; i < prepared->benchmark_count; i++)
      fixture_check_loads(&prepared->benchmarks[i]);
    if (prepared->benchmark_count == 2) {
      CHECK_STR_EQ(prepared->benchmarks[0].uri, "benchmark://old-bitcode/add");
      CHECK_STR_EQ(prepared->benchmarks[1].uri, "benchmark://old-bitcode/nested/loop");
    }
  }
  cgym_prepared_suite_free(prepared);
  CHECK(fixture_count_temporaries(cache) == 0);

  cgym_verify_report *report = NULL;
  CHECK_OK(cgym_cache_verify(cache, suite, &report));
  if (report) CHECK(report->finding_count == 0);
  if (report) CHECK(report->bitcode_checked == 2);
  cgym_verify_report_free(report);
  cgym_suite_free(suite);
  free(definition);
  free(cache);
}

static void test_count_mismatch(const char *served, int port) {
  char *cache = cgym_test_temp_dir("cgym-manifest-cache");
  char *definition = write_definition(served, port, 3);
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, definition));
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  cgym_prepared_suite *prepared = NULL;
  if (suite)
    CHECK_ERROR(cgym_suite_prepare(suite, &opts, &prepared), CGYM_EFORMAT, "lists 2 benchmarks");
  fixture_show_message("miscounted manifest");
  cgym_suite_free(suite);
  free(definition);
  free(cache);
}

/* cbench-v1 is registered but cannot be downloaded here: a mirror without it and --offline
 * give the usual download error naming the manifest and its SHA-256. */
static void test_builtin_unreachable(int port) {
  char *cache = cgym_test_temp_dir("cgym-manifest-cache");
  char mirror[64];
  snprintf(mirror, sizeof mirror, "http://127.0.0.1:%d/404", port);
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, "cbench-v1"));
  if (suite) CHECK(cgym_suite_benchmark_count(suite) == 23);
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  opts.mirror = mirror;
  opts.offline = 1;
  cgym_prepared_suite *prepared = NULL;
  if (suite)
    CHECK_ERROR(cgym_suite_prepare(suite, &opts, &prepared), CGYM_EDOWNLOAD,
                "eeffd7593aeb696a160fd22e6b0c382198a65d0918b8440253ea458cfe927741");
  fixture_show_message("cbench-v1");
  cgym_suite_free(suite);
  free(cache);
}

int main(void) {
  if (access(CLANG_13, X_OK) != 0) {
    printf("skipped: %s not found; install Debian's clang-13 package\n", CLANG_13);
    return SKIP;
  }
  char *served = cgym_test_temp_dir("cgym-manifest-served");
  write_bitcode_archive(served);
  fixture_write_bz2(served, "old13-manifest.bz2", "add\nnested/loop\n");
  pid_t server = 0;
  int port = fixture_httpd_start(served, &server);

  test_old_bitcode(served, port);
  test_count_mismatch(served, port);
  test_builtin_unreachable(port);

  fixture_httpd_stop(server);
  free(served);
  return cgym_check_summary();
}
