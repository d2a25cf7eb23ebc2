/*
 * `cgym suites verify`: re-hashing everything in the cache against what was recorded when it
 * was written. Archives are named by their SHA-256, extracted trees carry a file list of
 * per-file SHA-256 (tree.h), and bitcode has a build-time record (record.h).
 */
#include "datasets/verify.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/cache.h"
#include "datasets/extract.h"
#include "datasets/record.h"
#include "datasets/suite_internal.h"
#include "datasets/tree.h"
#include "env/error_internal.h"

static char *copy_or_null(const char *text, int *failed) {
  if (!text) return NULL;
  char *copy = strdup(text);
  if (!copy) *failed = 1;
  return copy;
}

int cgym_verify_report_add(cgym_verify_report *report, const char *kind, const char *path,
                           const char *expected, const char *actual, const char *problem) {
  if (report->finding_count == report->finding_capacity) {
    size_t capacity = report->finding_capacity ? 2 * report->finding_capacity : 16;
    cgym_verify_finding *grown = realloc(report->findings, capacity * sizeof *grown);
    if (!grown) return cgym_error_set(CGYM_ENOMEM, "out of memory reporting %s", path);
    report->findings = grown;
    report->finding_capacity = capacity;
  }
  cgym_verify_finding *finding = &report->findings[report->finding_count++];
  int failed = 0;
  finding->kind = copy_or_null(kind, &failed);
  finding->path = copy_or_null(path, &failed);
  finding->expected = copy_or_null(expected, &failed);
  finding->actual = copy_or_null(actual, &failed);
  finding->problem = copy_or_null(problem, &failed);
  return failed ? cgym_error_set(CGYM_ENOMEM, "out of memory reporting %s", path) : CGYM_OK;
}

void cgym_verify_report_free(cgym_verify_report *report) {
  if (!report) return;
  for (size_t i = 0; i < report->finding_count; i++) {
    cgym_verify_finding *finding = &report->findings[i];
    free(finding->kind);
    free(finding->path);
    free(finding->expected);
    free(finding->actual);
    free(finding->problem);
  }
  free(report->findings);
  free(report);
}

/* Returns nonzero when entry (an archive digest, or a tree named DIGEST-xN) belongs to suite,
 * or suite is NULL. */
static int belongs_to(const cgym_suite *suite, const char *entry) {
  if (!suite) return 1;
  for (size_t i = 0; i < suite->archive_count; i++) {
    if (strncmp(entry, suite->archives[i].sha256, 64) == 0) return 1;
  }
  return 0;
}

/* Calls check for each entry of ROOT/subfolder (ROOT itself when subfolder is NULL) that is not
 * a temporary or a dot entry. */
static int for_each_entry(const char *root, const char *subfolder, cgym_verify_report *report,
                          const void *context,
                          int (*check)(const char *, const char *, cgym_verify_report *,
                                       const void *)) {
  char *folder = subfolder ? cgym_format("%s/%s", root, subfolder) : strdup(root);
  if (!folder) return cgym_error_set(CGYM_ENOMEM, "out of memory verifying %s", root);
  DIR *dir = opendir(folder);
  int rc = CGYM_OK;
  for (struct dirent *entry; dir && rc == CGYM_OK && (entry = readdir(dir));) {
    if (entry->d_name[0] == '.') continue;
    char *path = cgym_format("%s/%s", folder, entry->d_name);
    rc = path ? check(path, entry->d_name, report, context)
              : cgym_error_set(CGYM_ENOMEM, "out of memory verifying %s", folder);
    free(path);
  }
  if (dir) closedir(dir);
  free(folder);
  return rc;
}

static int check_archive(const char *path, const char *name, cgym_verify_report *report,
                         const void *context) {
  char digest[65];
  if (!belongs_to(context, name)) return CGYM_OK;
  report->archives_checked++;
  if (cgym_sha256_file(path, digest) != CGYM_OK)
    return cgym_verify_report_add(report, "archive", path, name, NULL, cgym_error_message());
  if (strcmp(digest, name) == 0) return CGYM_OK;
  return cgym_verify_report_add(report, "archive", path, name, digest, "content changed");
}

/* Checks trees of the current extraction rules; older trees are never used again. */
static int check_tree(const char *path, const char *name, cgym_verify_report *report,
                      const void *context) {
  char suffix[32];
  snprintf(suffix, sizeof suffix, "-x%d", CGYM_EXTRACT_RULES_VERSION);
  size_t length = strlen(name);
  if (length != 64 + strlen(suffix) || strcmp(name + 64, suffix) != 0) return CGYM_OK;
  if (!belongs_to(context, name)) return CGYM_OK;
  return cgym_tree_verify(path, report);
}

/* Checks the bitcode of one record NAME-KEY.json in a suite's bitcode folder. */
static int check_record(const char *path, const char *name, cgym_verify_report *report,
                        const void *context) {
  (void)context;
  size_t length = strlen(name);
  if (length < 5 || strcmp(name + length - 5, ".json") != 0) return CGYM_OK;

  cgym_record record;
  if (cgym_record_read(path, NULL, &record) != CGYM_OK)
    return cgym_verify_report_add(report, "bitcode", path, NULL, NULL, cgym_error_message());
  char *bitcode = cgym_format("%.*s.bc", (int)(strlen(path) - 5), path);
  char digest[65];
  int rc = bitcode ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory verifying %s", path);
  if (rc == CGYM_OK && !record.excluded) {
    report->bitcode_checked++;
    if (cgym_sha256_file(bitcode, digest) != CGYM_OK)
      rc = cgym_verify_report_add(report, "bitcode", bitcode, record.sha256, NULL, "missing");
    else if (strcmp(digest, record.sha256) != 0)
      rc = cgym_verify_report_add(report, "bitcode", bitcode, record.sha256, digest,
                                  "content changed");
  }
  free(bitcode);
  cgym_record_clear(&record);
  return rc;
}

static int check_suite_folder(const char *path, const char *name, cgym_verify_report *report,
                              const void *context) {
  const cgym_suite *suite = context;
  if (suite && strcmp(suite->name, name) != 0) return CGYM_OK;
  return for_each_entry(path, NULL, report, NULL, check_record);
}

int cgym_cache_verify(const char *cache_dir, const cgym_suite *suite, cgym_verify_report **out) {
  cgym_cache cache = {NULL, -1};

  if (!out) return cgym_error_set(CGYM_EINVAL, "cgym_cache_verify needs an output pointer");
  *out = calloc(1, sizeof **out);
  if (!*out) return cgym_error_set(CGYM_ENOMEM, "out of memory verifying the cache");
  int rc = cgym_cache_open(&cache, cache_dir, NULL, NULL);
  if (rc == CGYM_OK) rc = for_each_entry(cache.root, "archives", *out, suite, check_archive);
  if (rc == CGYM_OK) rc = for_each_entry(cache.root, "trees", *out, suite, check_tree);
  if (rc == CGYM_OK) rc = for_each_entry(cache.root, "bitcode", *out, suite, check_suite_folder);
  cgym_cache_close(&cache);
  if (rc != CGYM_OK) {
    cgym_verify_report_free(*out);
    *out = NULL;
  }
  return rc;
}
