/*
 * Downloads from the loopback HTTP server (tests/support/httpd.c): good transfers, redirects,
 * 404s, truncated bodies, stalls, retries after transient failures and wrong content. Each failure must name the URL and its
 * reason and leave nothing but verified archives in the cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "cgym/error.h"
#include "datasets/datasets.h"
#include "fixtures.h"
#include "support/check.h"

static char *served;      /* the server's folder */
static char *definitions;
static char digest[65];   /* of served/prog.tar.gz */
static int port;

static void url(char *out, size_t size, const char *mode) {
  if (*mode) snprintf(out, size, "http://127.0.0.1:%d/%s/prog.tar.gz", port, mode);
  else snprintf(out, size, "http://127.0.0.1:%d/prog.tar.gz", port);
}

/* Prepares a suite with the given URLs (and mirror) into a fresh cache. */
static int prepare_urls(const char *name, const char *const *urls, const char *mirror,
                        const char *sha256, char **cache_out, cgym_prepared_suite **prepared) {
  char definition[256];
  snprintf(definition, sizeof definition, "%s.json", name);
  char *suite_path = fixture_write_suite(definitions, definition, name, "prog.tar.gz", sha256, urls);
  cgym_suite *suite = NULL;
  if (cgym_suite_open(&suite, suite_path) != CGYM_OK) {
    fprintf(stderr, "cannot open %s: %s\n", suite_path, cgym_error_message());
    abort();
  }

  *cache_out = cgym_test_temp_dir("cgym-download-cache");
  cgym_prepare_options opts = CGYM_PREPARE_OPTIONS_INIT;
  opts.cache_dir = *cache_out;
  opts.mirror = mirror;
  opts.download_stall_seconds = 2;
  int rc = cgym_suite_prepare(suite, &opts, prepared);
  cgym_suite_free(suite);
  free(suite_path);
  return rc;
}

static void check_clean_failure(const char *cache) {
  CHECK(fixture_count_in(cache, "archives") == 0);
  CHECK(fixture_count_in(cache, "trees") == 0);
  CHECK(fixture_count_temporaries(cache) == 0);
}

static void test_good_download(void) {
  char good[256];
  char *cache = NULL;
  cgym_prepared_suite *prepared = NULL;
  url(good, sizeof good, "");
  const char *urls[] = {good, NULL};

  CHECK_OK(prepare_urls("good", urls, NULL, digest, &cache, &prepared));
  CHECK(prepared != NULL);
  if (prepared) CHECK(prepared->archive_count == 1);
  if (prepared && prepared->archive_count == 1) CHECK_STR_EQ(prepared->archives[0].sha256, digest);
  CHECK(fixture_count_in(cache, "archives") == 1);
  CHECK(fixture_count_temporaries(cache) == 0);
  cgym_prepared_suite_free(prepared);
  free(cache);
}

static void test_redirect(void) {
  char redirect[256];
  char *cache = NULL;
  cgym_prepared_suite *prepared = NULL;
  url(redirect, sizeof redirect, "redirect");
  const char *urls[] = {redirect, NULL};

  CHECK_OK(prepare_urls("redirect", urls, NULL, digest, &cache, &prepared));
  CHECK(fixture_count_in(cache, "archives") == 1);
  cgym_prepared_suite_free(prepared);
  free(cache);
}

static void test_404_then_second_url(void) {
  char missing[256], good[256];
  char *cache = NULL;
  cgym_prepared_suite *prepared = NULL;
  url(missing, sizeof missing, "404");
  url(good, sizeof good, "");
  const char *urls[] = {missing, good, NULL};

  CHECK_OK(prepare_urls("fallback", urls, NULL, digest, &cache, &prepared));
  CHECK(prepared != NULL);
  cgym_prepared_suite_free(prepared);
  free(cache);

  const char *only_missing[] = {missing, NULL};
  CHECK_ERROR(prepare_urls("missing", only_missing, NULL, digest, &cache, &prepared),
              CGYM_EDOWNLOAD, missing);
  fixture_show_message("download");
  CHECK(strstr(cgym_error_message(), "HTTP status 404") != NULL);
  check_clean_failure(cache);
  free(cache);
}

static void test_wrong_sha256(void) {
  const char *expected = "2222222222222222222222222222222222222222222222222222222222222222";
  char good[256], wrong[256];
  char *cache = NULL;
  cgym_prepared_suite *prepared = NULL;
  url(good, sizeof good, "");
  url(wrong, sizeof wrong, "wrong");

  const char *urls[] = {good, NULL};
  CHECK_ERROR(prepare_urls("pinned", urls, NULL, expected, &cache, &prepared), CGYM_ECHECKSUM,
              expected);
  fixture_show_message("download");
  CHECK(strstr(cgym_error_message(), digest) != NULL);
  CHECK(strstr(cgym_error_message(), good) != NULL);
  check_clean_failure(cache);
  free(cache);

  const char *wrong_urls[] = {wrong, NULL};
  CHECK_ERROR(prepare_urls("wrong", wrong_urls, NULL, digest, &cache, &prepared), CGYM_ECHECKSUM,
              "expected SHA-256");
  fixture_show_message("download");
  CHECK(strstr(cgym_error_message(), digest) != NULL);
  CHECK(strstr(cgym_error_message(), wrong) != NULL);
  check_clean_failure(cache);
  free(cache);
}

static void test_truncated_body(void) {
  char truncated[256];
  char *cache = NULL;
  cgym_prepared_suite *prepared = NULL;
  url(truncated, sizeof truncated, "truncated");
  const char *urls[] = {truncated, NULL};

  CHECK_ERROR(prepare_urls("truncated", urls, NULL, digest, &cache, &prepared), CGYM_EDOWNLOAD,
              truncated);
  fixture_show_message("download");
  CHECK(strstr(cgym_error_message(), "curl error") != NULL);
  check_clean_failure(cache);
  free(cache);
}

static void test_stall(void) {
  char stalled[256];
  char *cache = NULL;
  cgym_prepared_suite *prepared = NULL;
  url(stalled, sizeof stalled, "stall");
  const char *urls[] = {stalled, NULL};

  CHECK_ERROR(prepare_urls("stall", urls, NULL, digest, &cache, &prepared), CGYM_EDOWNLOAD,
              stalled);
  fixture_show_message("download");
  CHECK(strstr(cgym_error_message(), "curl error 28") != NULL);
  check_clean_failure(cache);
  free(cache);
}

/* A 503 is transient: the first request of /flaky/ fails and the retry succeeds, while a
 * server that always returns 503 fails after CGYM_DOWNLOAD_MAX_ATTEMPTS attempts. */
static void test_retries(void) {
  char flaky[256], unavailable[256];
  char *cache = NULL;
  cgym_prepared_suite *prepared = NULL;
  url(flaky, sizeof flaky, "flaky");
  const char *flaky_urls[] = {flaky, NULL};

  CHECK_OK(prepare_urls("flaky", flaky_urls, NULL, digest, &cache, &prepared));
  CHECK(fixture_count_in(cache, "archives") == 1);
  cgym_prepared_suite_free(prepared);
  free(cache);

  url(unavailable, sizeof unavailable, "503");
  const char *unavailable_urls[] = {unavailable, NULL};
  CHECK_ERROR(prepare_urls("unavailable", unavailable_urls, NULL, digest, &cache, &prepared),
              CGYM_EDOWNLOAD, unavailable);
  fixture_show_message("download");
  CHECK(strstr(cgym_error_message(), "HTTP status 503 (after 3 attempts)") != NULL);
  check_clean_failure(cache);
  free(cache);
}

static void test_mirrors(void) {
  char base[256], missing[256];
  char *cache = NULL;
  cgym_prepared_suite *prepared = NULL;
  url(missing, sizeof missing, "404");
  const char *urls[] = {missing, NULL};

  /* A mirror folder comes first, so the failing URL is never tried. */
  CHECK_OK(prepare_urls("mirror-folder", urls, served, digest, &cache, &prepared));
  CHECK(fixture_count_in(cache, "archives") == 1);
  cgym_prepared_suite_free(prepared);
  free(cache);

  snprintf(base, sizeof base, "http://127.0.0.1:%d/", port);
  CHECK_OK(prepare_urls("mirror-url", urls, base, digest, &cache, &prepared));
  CHECK(fixture_count_in(cache, "archives") == 1);
  cgym_prepared_suite_free(prepared);
  free(cache);

  /* Every failure is listed: the mirror's and the URL's. */
  snprintf(base, sizeof base, "http://127.0.0.1:%d/404", port);
  CHECK_ERROR(prepare_urls("mirror-bad", urls, base, digest, &cache, &prepared), CGYM_EDOWNLOAD,
              missing);
  fixture_show_message("download");
  CHECK(strstr(cgym_error_message(), "http://127.0.0.1") != NULL);
  CHECK(strstr(cgym_error_message(), "404/prog.tar.gz: HTTP status 404; ") != NULL);
  check_clean_failure(cache);
  free(cache);
}

int main(void) {
  pid_t server;

  served = cgym_test_temp_dir("cgym-download-served");
  definitions = cgym_test_temp_dir("cgym-download-suites");
  char *archive = cgym_test_path(served, "prog.tar.gz");
  fixture_write_archive(archive, fixture_good_entries);
  cgym_sha256_file(archive, digest);
  port = fixture_httpd_start(served, &server);

  test_good_download();
  test_redirect();
  test_404_then_second_url();
  test_wrong_sha256();
  test_truncated_body();
  test_stall();
  test_retries();
  test_mirrors();

  fixture_httpd_stop(server);
  free(archive);
  return cgym_check_summary();
}
