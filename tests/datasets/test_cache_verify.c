/*
 * Build-time records and `cgym suites verify`: every prepared benchmark carries its as-built and
 * -Oz counts, a benchmark that fails to build is excluded with its reason (the same on the next
 * prepare), a flipped byte in a cached archive, extracted file or bitcode file is reported with
 * both digests and makes the command exit with 4, and `remove` empties the cache of the suite.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

static char *work;       /* archives and definitions */
static char digest[65];  /* of work/prog.tar.gz */

static cgym_suite *open_suite(const char *file, const char *name, const char *sha256) {
  char *path = fixture_write_suite(work, file, name, "prog.tar.gz", sha256, NULL);
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, path));
  free(path);
  return suite;
}

static int prepare(cgym_suite *suite, const char *mirror, const char *cache,
                   cgym_prepared_suite **prepared) {
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  opts.mirror = mirror;
  opts.offline = 1;
  return cgym_suite_prepare(suite, &opts, prepared);
}

/* Flips the last byte of path (again restores it). */
static void flip_last_byte(const char *path) {
  int fd = open(path, O_RDWR);
  CHECK(fd >= 0);
  if (fd < 0) return;
  off_t end = lseek(fd, -1, SEEK_END);
  unsigned char byte = 0;
  CHECK(pread(fd, &byte, 1, end) == 1);
  byte ^= 0x01;
  CHECK(pwrite(fd, &byte, 1, end) == 1);
  close(fd);
}

/* Runs `cgym suites verify SUITE --cache CACHE` and returns its exit code. */
static int run_cli_verify(const char *suite_path, const char *cache) {
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    execl(CGYM_TEST_CLI, "cgym", "suites", "verify", suite_path, "--cache", cache, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Verifies the cache and checks that exactly one finding of kind names path. */
static void check_one_finding(const char *cache, const cgym_suite *suite, const char *kind,
                              const char *path) {
  cgym_verify_report *report = NULL;
  CHECK_OK(cgym_cache_verify(cache, suite, &report));
  if (!report) return;
  CHECK(report->finding_count == 1);
  if (report->finding_count == 1) {
    const cgym_verify_finding *finding = &report->findings[0];
    CHECK_STR_EQ(finding->kind, kind);
    CHECK_STR_EQ(finding->path, path);
    CHECK_STR_EQ(finding->problem, "content changed");
    CHECK(finding->expected != NULL);
    CHECK(finding->actual != NULL);
    if (finding->expected && finding->actual) {
      CHECK(strlen(finding->expected) == 64);
      CHECK(strlen(finding->actual) == 64);
      CHECK(strcmp(finding->expected, finding->actual) != 0);
    }
  }
  cgym_verify_report_free(report);
}

static void test_verify_detects_flips(void) {
  char *cache = cgym_test_temp_dir("cgym-verify-cache");
  char *suite_path = fixture_write_suite(work, "verify.json", "verify", "prog.tar.gz", digest,
                                         NULL);
  cgym_suite *suite = NULL;
  cgym_prepared_suite *prepared = NULL;
  CHECK_OK(cgym_suite_open(&suite, suite_path));
  CHECK_OK(prepare(suite, work, cache, &prepared));
  if (!prepared || prepared->benchmark_count != 1) {
    CHECK(!"the suite did not prepare one benchmark");
    return;
  }
  CHECK(prepared->benchmarks[0].instructions_o0 > 0);
  CHECK(prepared->benchmarks[0].instructions_oz > 0);
  CHECK(prepared->excluded_count == 0);

  cgym_verify_report *report = NULL;
  CHECK_OK(cgym_cache_verify(cache, suite, &report));
  if (report) {
    CHECK(report->finding_count == 0);
    CHECK(report->archives_checked == 1);
    CHECK(report->files_checked >= 3);
    CHECK(report->bitcode_checked == 1);
  }
  cgym_verify_report_free(report);
  CHECK(run_cli_verify(suite_path, cache) == 0);

  char archive[4096], file[4096];
  snprintf(archive, sizeof archive, "%s/archives/%s", cache, digest);
  snprintf(file, sizeof file, "%s/trees/%s-x2/src/prog/main.c", cache, digest);
  const char *cases[][2] = {{"archive", archive},
                            {"file", file},
                            {"bitcode", prepared->benchmarks[0].bitcode_path}};
  for (size_t i = 0; i < 3; i++) {
    flip_last_byte(cases[i][1]);
    check_one_finding(cache, suite, cases[i][0], cases[i][1]);
    CHECK(run_cli_verify(suite_path, cache) == 4);
    flip_last_byte(cases[i][1]);
  }
  CHECK(run_cli_verify(suite_path, cache) == 0);

  /* A changed bitcode file stops a later prepare instead of being used. */
  cgym_prepared_suite *again = NULL;
  flip_last_byte(prepared->benchmarks[0].bitcode_path);
  CHECK(prepare(suite, work, cache, &again) == CGYM_ECHECKSUM);
  fixture_show_message("changed bitcode");
  flip_last_byte(prepared->benchmarks[0].bitcode_path);

  size_t removed = 0;
  CHECK_OK(cgym_cache_remove_suite(cache, suite, &removed));
  CHECK(removed == 3);
  CHECK(fixture_count_in(cache, "archives") == 0);
  CHECK(fixture_count_in(cache, "trees") == 0);

  cgym_prepared_suite_free(prepared);
  cgym_suite_free(suite);
  free(suite_path);
  free(cache);
}

static const fixture_entry broken_entries[] = {
    {"prog/", 'd', NULL, NULL},
    {"prog/main.c", 'f', "int main(void) { return undeclared_name; }\n", NULL},
    {"prog/util.c", 'f', "int add(int a, int b) { return a + b; }\n", NULL},
    {NULL, 0, NULL, NULL},
};

static void test_build_failure_excluded(void) {
  char *broken_dir = cgym_test_temp_dir("cgym-verify-broken");
  char archive[4096];
  char broken_digest[65];
  snprintf(archive, sizeof archive, "%s/prog.tar.gz", broken_dir);
  fixture_write_archive(archive, broken_entries);
  CHECK_OK(cgym_sha256_file(archive, broken_digest));
  char *cache = cgym_test_temp_dir("cgym-verify-cache");
  cgym_suite *suite = open_suite("broken.json", "broken", broken_digest);

  for (int round = 0; round < 2; round++) {
    cgym_prepared_suite *prepared = NULL;
    CHECK_OK(prepare(suite, broken_dir, cache, &prepared));
    if (!prepared) continue;
    CHECK(prepared->benchmark_count == 0);
    CHECK(prepared->excluded_count == 1);
    if (prepared->excluded_count == 1) {
      CHECK_STR_EQ(prepared->excluded[0].uri, "benchmark://broken/prog");
      CHECK(strstr(prepared->excluded[0].reason, "undeclared_name") != NULL);
    }
    cgym_prepared_suite_free(prepared);
  }

  cgym_verify_report *report = NULL;
  CHECK_OK(cgym_cache_verify(cache, suite, &report));
  if (report) CHECK(report->finding_count == 0);
  cgym_verify_report_free(report);
  cgym_suite_free(suite);
  free(cache);
  free(broken_dir);
}

int main(void) {
  work = cgym_test_temp_dir("cgym-verify-work");
  char archive[4096];
  snprintf(archive, sizeof archive, "%s/prog.tar.gz", work);
  fixture_write_archive(archive, fixture_good_entries);
  CHECK_OK(cgym_sha256_file(archive, digest));

  test_verify_detects_flips();
  test_build_failure_excluded();
  free(work);
  return cgym_check_summary();
}
