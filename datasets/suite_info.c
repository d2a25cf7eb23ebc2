/*
 * Accessors for the definition details that `cgym suites info` shows.
 */
#include "datasets/suite_internal.h"

const char *cgym_suite_description(const cgym_suite *suite) {
  return suite && suite->description ? suite->description : "";
}

const char *cgym_suite_license(const cgym_suite *suite) {
  return suite && suite->license ? suite->license : "";
}

const char *cgym_suite_origin(const cgym_suite *suite) { return suite ? suite->origin : NULL; }

const char *cgym_suite_deprecated(const cgym_suite *suite) {
  return suite ? suite->deprecated : NULL;
}

/* A built-in suite is named by its name, a folder suite by its folder and a definition file by
 * its path (the origin), because only the built-in names resolve without a path. */
const char *cgym_suite_command_argument(const cgym_suite *suite) {
  if (suite->is_builtin) return suite->name;
  if (suite->is_folder) return suite->folder;
  return suite->origin;
}

const char *cgym_suite_kind(const cgym_suite *suite) {
  if (!suite) return NULL;
  if (suite->is_generator) return "generator";
  if (suite->is_manifest) return "manifest";
  if (suite->is_folder) return "folder";
  return "source";
}

size_t cgym_suite_benchmark_count(const cgym_suite *suite) {
  if (!suite) return 0;
  if (suite->is_generator) return (size_t)suite->seed_count;
  if (suite->is_manifest) return (size_t)suite->manifest_count;
  return suite->benchmark_count;
}

const char *cgym_suite_benchmark_name(const cgym_suite *suite, size_t index) {
  if (!suite || index >= suite->benchmark_count) return NULL;
  return suite->benchmarks[index].name;
}

size_t cgym_suite_archive_count(const cgym_suite *suite) { return suite ? suite->archive_count : 0; }

const char *cgym_suite_archive_file(const cgym_suite *suite, size_t index) {
  if (!suite || index >= suite->archive_count) return NULL;
  return suite->archives[index].file;
}

const char *cgym_suite_archive_sha256(const cgym_suite *suite, size_t index) {
  if (!suite || index >= suite->archive_count) return NULL;
  return suite->archives[index].sha256;
}

const char *const *cgym_suite_archive_urls(const cgym_suite *suite, size_t index, size_t *count) {
  *count = 0;
  if (!suite || index >= suite->archive_count) return NULL;
  *count = suite->archives[index].urls.count;
  return (const char *const *)suite->archives[index].urls.items;
}
