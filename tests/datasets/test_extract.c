/*
 * Extraction through cgym_suite_prepare with archives crafted at test time and served from a
 * mirror folder. Every unsafe archive must fail with CGYM_EARCHIVE naming the entry and leave no
 * extracted tree and no temporary file in the cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

static char *mirror;
static char *definitions;

/* Writes entries as mirror/NAME.tar.gz and a suite that points at it, and prepares it into a
 * fresh cache. Returns the error code and stores the cache path in *cache_out. */
static int prepare_archive(const char *name, const fixture_entry *entries, char **cache_out,
                           cgym_prepared_suite **prepared) {
  char file[256], digest[65];
  snprintf(file, sizeof file, "%s.tar.gz", name);
  char *archive = cgym_test_path(mirror, file);
  fixture_write_archive(archive, entries);
  if (cgym_sha256_file(archive, digest) != CGYM_OK) abort();

  char definition[256];
  snprintf(definition, sizeof definition, "%s.json", name);
  char *suite_path = fixture_write_suite(definitions, definition, name, file, digest, NULL);
  cgym_suite *suite = NULL;
  if (cgym_suite_open(&suite, suite_path) != CGYM_OK) {
    fprintf(stderr, "cannot open %s: %s\n", suite_path, cgym_error_message());
    abort();
  }

  *cache_out = cgym_test_temp_dir("cgym-extract-cache");
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = *cache_out;
  opts.mirror = mirror;
  opts.offline = 1;
  int rc = cgym_suite_prepare(suite, &opts, prepared);

  cgym_suite_free(suite);
  free(suite_path);
  free(archive);
  return rc;
}

/* Checks that an unsafe archive is rejected with a message naming entry and reason. */
static void check_rejected(const char *name, const fixture_entry *entries, const char *entry,
                           const char *reason) {
  char *cache = NULL;
  cgym_prepared_suite *prepared = NULL;

  CHECK_ERROR(prepare_archive(name, entries, &cache, &prepared), CGYM_EARCHIVE, entry);
  fixture_show_message("extract");
  CHECK(strstr(cgym_error_message(), reason) != NULL);
  if (!strstr(cgym_error_message(), reason)) fprintf(stderr, "  (%s)\n", cgym_error_message());
  CHECK(prepared == NULL);
  CHECK(fixture_count_in(cache, "trees") == 0);
  CHECK(fixture_count_in(cache, "archives") == 1); /* the archive itself verified fine */
  CHECK(fixture_count_temporaries(cache) == 0);
  free(cache);
}

static void test_good_archive(void) {
  char *cache = NULL;
  cgym_prepared_suite *prepared = NULL;

  CHECK_OK(prepare_archive("good", fixture_good_entries, &cache, &prepared));
  CHECK(prepared != NULL);
  if (prepared) CHECK(prepared->benchmark_count == 1);
  if (prepared && prepared->benchmark_count == 1) {
    CHECK_STR_EQ(prepared->benchmarks[0].uri, "benchmark://good/prog");
    CHECK(access(prepared->benchmarks[0].bitcode_path, R_OK) == 0);
    CHECK(strlen(prepared->benchmarks[0].bitcode_sha256) == 64);
    CHECK(strstr(prepared->build_recipe, "-disable-llvm-passes") != NULL);
    CHECK(prepared->archive_count == 1);
  }
  CHECK(fixture_count_in(cache, "trees") == 1);
  CHECK(fixture_count_temporaries(cache) == 0);
  cgym_prepared_suite_free(prepared);
  free(cache);
}

static void test_unsafe_archives(void) {
  const fixture_entry dotdot[] = {{"prog/main.c", 'f', "int main(void){return 0;}\n", NULL},
                                  {"prog/../../escape.c", 'f', "x", NULL},
                                  {NULL, 0, NULL, NULL}};
  check_rejected("dotdot", dotdot, "prog/../../escape.c", "'..'");

  const fixture_entry absolute[] = {{"/tmp/cgym-absolute-entry", 'f', "x", NULL},
                                    {NULL, 0, NULL, NULL}};
  check_rejected("absolute", absolute, "/tmp/cgym-absolute-entry", "absolute path");

  const fixture_entry symlink_out[] = {{"prog/", 'd', NULL, NULL},
                                       {"prog/out", 'l', NULL, "../../etc"},
                                       {NULL, 0, NULL, NULL}};
  check_rejected("symlink-out", symlink_out, "prog/out", "outside the extraction folder");

  const fixture_entry symlink_absolute[] = {{"prog/passwd", 'l', NULL, "/etc/passwd"},
                                            {NULL, 0, NULL, NULL}};
  check_rejected("symlink-absolute", symlink_absolute, "prog/passwd", "absolute path");

  const fixture_entry symlink_chain[] = {{"prog/here", 'l', NULL, "."},
                                         {"prog/up", 'l', NULL, "here/../.."},
                                         {NULL, 0, NULL, NULL}};
  check_rejected("symlink-chain", symlink_chain, "prog/up", "another symbolic link");

  const fixture_entry through_link[] = {{"prog/dir", 'l', NULL, "."},
                                        {"prog/dir/file.c", 'f', "x", NULL},
                                        {NULL, 0, NULL, NULL}};
  check_rejected("through-link", through_link, "prog/dir/file.c", "below symbolic link");

  const fixture_entry hardlink_out[] = {{"prog/main.c", 'f', "x", NULL},
                                        {"prog/hard", 'h', NULL, "../etc/passwd"},
                                        {NULL, 0, NULL, NULL}};
  check_rejected("hardlink-out", hardlink_out, "prog/hard", "'..'");

  const fixture_entry hardlink_absolute[] = {{"prog/hard", 'h', NULL, "/etc/passwd"},
                                             {NULL, 0, NULL, NULL}};
  check_rejected("hardlink-absolute", hardlink_absolute, "prog/hard", "absolute path");

  const fixture_entry device[] = {{"prog/null", 'c', NULL, NULL}, {NULL, 0, NULL, NULL}};
  check_rejected("device", device, "prog/null", "character device");

  const fixture_entry fifo[] = {{"prog/pipe", 'p', NULL, NULL}, {NULL, 0, NULL, NULL}};
  check_rejected("fifo", fifo, "prog/pipe", "FIFO");

  const fixture_entry duplicate[] = {{"prog/main.c", 'f', "int main(void){return 0;}\n", NULL},
                                     {"prog/main.c", 'f', "int main(void){return 1;}\n", NULL},
                                     {NULL, 0, NULL, NULL}};
  check_rejected("duplicate", duplicate, "prog/main.c", "duplicate entry");
}

static void test_truncated_archive(void) {
  char file[] = "truncated.tar.gz";
  char digest[65];
  fixture_entry entries[] = {{"prog/big.c", 'f', NULL, NULL}, {NULL, 0, NULL, NULL}};

  /* Text that gzip cannot shrink much, so half of the archive cuts into the entry's data. */
  size_t size = 256 * 1024;
  char *content = malloc(size + 1);
  unsigned state = 12345;
  for (size_t i = 0; i < size; i++) {
    state = state * 1103515245u + 12345u;
    content[i] = (char)('a' + (state >> 16) % 26);
  }
  content[size] = '\0';
  entries[0].content = content;

  char *archive = cgym_test_path(mirror, file);
  fixture_write_archive(archive, entries);
  struct stat info;
  stat(archive, &info);
  if (truncate(archive, info.st_size / 2) != 0) abort();
  cgym_sha256_file(archive, digest);

  char *suite_path = fixture_write_suite(definitions, "truncated.json", "truncated", file, digest,
                                         NULL);
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, suite_path));
  char *cache = cgym_test_temp_dir("cgym-extract-cache");
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  opts.mirror = mirror;
  cgym_prepared_suite *prepared = NULL;
  CHECK_ERROR(cgym_suite_prepare(suite, &opts, &prepared), CGYM_EARCHIVE, "truncated.tar.gz");
  fixture_show_message("extract");
  CHECK(strstr(cgym_error_message(), "prog/big.c") != NULL);
  CHECK(fixture_count_in(cache, "trees") == 0);
  CHECK(fixture_count_temporaries(cache) == 0);

  cgym_suite_free(suite);
  free(suite_path);
  free(archive);
  free(content);
  free(cache);
}

static void test_offline_without_source(void) {
  char *suite_path = fixture_write_suite(definitions, "offline.json", "offline", "none.tar.gz",
                                         "1111111111111111111111111111111111111111111111111111111111111111",
                                         NULL);
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, suite_path));
  char *cache = cgym_test_temp_dir("cgym-extract-cache");
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  opts.offline = 1;
  cgym_prepared_suite *prepared = NULL;
  CHECK_ERROR(cgym_suite_prepare(suite, &opts, &prepared), CGYM_EDOWNLOAD, "none.tar.gz");
  fixture_show_message("extract");
  CHECK(strstr(cgym_error_message(), "offline") != NULL);
  CHECK(fixture_count_in(cache, "archives") == 0);

  opts.mirror = mirror;
  CHECK_ERROR(cgym_suite_prepare(suite, &opts, &prepared), CGYM_EDOWNLOAD, "not found");
  fixture_show_message("extract");
  CHECK(fixture_count_temporaries(cache) == 0);

  const char *only[] = {"missing", NULL};
  opts.only = only;
  CHECK_ERROR(cgym_suite_prepare(suite, &opts, &prepared), CGYM_ENOTFOUND, "\"missing\"");
  fixture_show_message("extract");
  cgym_suite_free(suite);
  free(suite_path);
  free(cache);
}

int main(void) {
  mirror = cgym_test_temp_dir("cgym-extract-mirror");
  definitions = cgym_test_temp_dir("cgym-extract-suites");
  test_good_archive();
  test_unsafe_archives();
  test_truncated_archive();
  test_offline_without_source();
  return cgym_check_summary();
}
