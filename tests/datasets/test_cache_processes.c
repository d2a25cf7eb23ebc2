/*
 * Processes sharing one cache. Two processes that fetch the same suite from the loopback server
 * at once both succeed with one verified archive in the cache. A process killed while it
 * extracts leaves nothing under a final name, so the next process extracts again.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

#define LARGE_ARCHIVE_FILES 20000
#define KILL_WAIT_SECONDS 60

static char *work;

static cgym_suite *open_suite(const char *file, const char *name, const char *sha256,
                              const char *const *urls) {
  char *path = fixture_write_suite(work, file, name, "prog.tar.gz", sha256, urls);
  cgym_suite *suite = NULL;
  CHECK_OK(cgym_suite_open(&suite, path));
  free(path);
  return suite;
}

static pid_t start_prepare(cgym_suite *suite, const char *cache, const char *mirror) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = cache;
  opts.mirror = mirror;
  opts.download_stall_seconds = 5;
  cgym_prepared_suite *prepared = NULL;
  int rc = cgym_suite_prepare(suite, &opts, &prepared);
  if (rc != CGYM_OK) fprintf(stderr, "prepare failed: %s\n", cgym_error_message());
  _exit(rc == CGYM_OK && prepared->benchmark_count == 1 ? 0 : 1);
}

static int exit_code(pid_t pid) {
  int status = -1;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_two_processes_fetch(void) {
  char *served = cgym_test_temp_dir("cgym-processes-served");
  char archive[4096], url[256], digest[65];
  snprintf(archive, sizeof archive, "%s/prog.tar.gz", served);
  fixture_write_archive(archive, fixture_good_entries);
  CHECK_OK(cgym_sha256_file(archive, digest));
  pid_t server = 0;
  int port = fixture_httpd_start(served, &server);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/prog.tar.gz", port);
  const char *urls[] = {url, NULL};
  cgym_suite *suite = open_suite("shared.json", "shared", digest, urls);
  char *cache = cgym_test_temp_dir("cgym-processes-cache");

  pid_t first = start_prepare(suite, cache, NULL);
  pid_t second = start_prepare(suite, cache, NULL);
  CHECK(exit_code(first) == 0);
  CHECK(exit_code(second) == 0);
  CHECK(fixture_count_in(cache, "archives") == 1);
  CHECK(fixture_count_in(cache, "trees") == 1);
  CHECK(fixture_count_temporaries(cache) == 0);

  fixture_httpd_stop(server);
  cgym_suite_free(suite);
  free(cache);
  free(served);
}

/* Writes an archive of LARGE_ARCHIVE_FILES small files plus the good program, so extraction
 * lasts long enough to be interrupted. */
static void write_large_archive(const char *path) {
  size_t good = 0;
  while (fixture_good_entries[good].path) good++;
  fixture_entry *entries = calloc(LARGE_ARCHIVE_FILES + good + 2, sizeof *entries);
  char (*names)[32] = calloc(LARGE_ARCHIVE_FILES, sizeof *names);
  CHECK(entries != NULL);
  CHECK(names != NULL);
  if (!entries || !names) return;
  for (size_t i = 0; i < good; i++) entries[i] = fixture_good_entries[i];
  entries[good] = (fixture_entry){"data/", 'd', NULL, NULL};
  for (size_t i = 0; i < LARGE_ARCHIVE_FILES; i++) {
    snprintf(names[i], sizeof names[i], "data/%05zu.txt", i);
    entries[good + 1 + i] = (fixture_entry){names[i], 'f', "padding\n", NULL};
  }
  fixture_write_archive(path, entries);
  free(names);
  free(entries);
}

/* Waits until the cache's trees folder contains a temporary extraction folder. */
static int wait_for_extraction(const char *cache) {
  char *trees = cgym_test_path(cache, "trees");
  time_t deadline = time(NULL) + KILL_WAIT_SECONDS;
  int found = 0;
  while (!found && time(NULL) < deadline) {
    found = fixture_count_temporaries(trees) > 0;
    struct timespec pause = {0, 1000000L};
    if (!found) nanosleep(&pause, NULL);
  }
  free(trees);
  return found;
}

static void test_killed_during_extraction(void) {
  char *mirror = cgym_test_temp_dir("cgym-processes-mirror");
  char archive[4096], digest[65];
  snprintf(archive, sizeof archive, "%s/prog.tar.gz", mirror);
  write_large_archive(archive);
  CHECK_OK(cgym_sha256_file(archive, digest));
  cgym_suite *suite = open_suite("large.json", "large", digest, NULL);
  char *cache = cgym_test_temp_dir("cgym-processes-cache");

  pid_t victim = start_prepare(suite, cache, mirror);
  CHECK(wait_for_extraction(cache));
  kill(victim, SIGKILL);
  CHECK(exit_code(victim) == -1);
  CHECK(fixture_count_final_in(cache, "trees") == 0);
  CHECK(fixture_count_final_in(cache, "bitcode/large") <= 0);

  pid_t next = start_prepare(suite, cache, mirror);
  CHECK(exit_code(next) == 0);
  CHECK(fixture_count_in(cache, "trees") == 1);
  CHECK(fixture_count_temporaries(cache) == 0);
  cgym_verify_report *report = NULL;
  CHECK_OK(cgym_cache_verify(cache, suite, &report));
  if (report) {
    CHECK(report->finding_count == 0);
    CHECK(report->files_checked >= LARGE_ARCHIVE_FILES);
  }
  cgym_verify_report_free(report);
  cgym_suite_free(suite);
  free(cache);
  free(mirror);
}

int main(void) {
  work = cgym_test_temp_dir("cgym-processes-work");
  test_two_processes_fetch();
  test_killed_during_extraction();
  free(work);
  return cgym_check_summary();
}
