/*
 * User suites: a folder of .c, .ll and .bc files, each file one benchmark. Opening the folder
 * lists and hashes its files, so the definition digest (cgym_suite_definition_sha256) changes
 * whenever a file is added, removed or edited, and a replay notices it.
 *
 * Benchmark URIs are file:///ABS/FOLDER/FILE, the form CompilerGym uses for user files: the URI
 * names the file itself, so two folders never share a URI and a reader can open the source.
 * The suite name, which names the cache folder, is "user-BASENAME-HASH", where HASH is 16 hex
 * digits of the SHA-256 of the absolute folder path.
 */
#define _GNU_SOURCE /* realpath */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "datasets/build.h"
#include "datasets/cache.h"
#include "datasets/suite_internal.h"
#include "env/error_internal.h"
#include "env/sha256_internal.h"

/* Characters of the folder's base name kept in the suite name. */
#define FOLDER_NAME_MAX 64

int cgym_folder_file_kind(const char *name) {
  size_t length = strlen(name);
  if (length > 2 && strcmp(name + length - 2, ".c") == 0) return 'c';
  if (length > 3 && strcmp(name + length - 3, ".ll") == 0) return 'l';
  if (length > 3 && strcmp(name + length - 3, ".bc") == 0) return 'b';
  return 0;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the names of the regular files (symbolic links followed) of folder that end in .c,
 * .ll or .bc and do not start with '.', sorted bytewise. */
static int list_files(const char *folder, cgym_string_list *names) {
  DIR *dir = opendir(folder);
  int rc = CGYM_OK;

  if (!dir) return cgym_error_set(CGYM_EIO, "cannot read folder %s: %s", folder, strerror(errno));
  for (struct dirent *entry; rc == CGYM_OK && (entry = readdir(dir));) {
    struct stat info;
    if (entry->d_name[0] == '.' || !cgym_folder_file_kind(entry->d_name)) continue;
    char *path = cgym_format("%s/%s", folder, entry->d_name);
    if (!path) rc = cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", folder);
    else if (stat(path, &info) == 0 && S_ISREG(info.st_mode))
      rc = cgym_string_list_append(names, entry->d_name);
    free(path);
    if (rc == CGYM_OK && names->count > CGYM_SUITE_MAX_BENCHMARKS)
      rc = cgym_error_set(CGYM_ELIMIT, "folder %s holds more than the maximum of %d .c, .ll and "
                          ".bc files", folder, CGYM_SUITE_MAX_BENCHMARKS);
  }
  closedir(dir);
  if (rc == CGYM_OK && names->count == 0)
    rc = cgym_error_set(CGYM_ENOTFOUND, "folder %s holds no .c, .ll or .bc files", folder);
  if (rc == CGYM_OK) qsort(names->items, names->count, sizeof *names->items, compare_names);
  return rc;
}

/* Names the suite "user-BASENAME-HASH" with BASENAME cut to [A-Za-z0-9._-]. */
static char *suite_name(const char *folder) {
  char base[FOLDER_NAME_MAX + 1];
  char digest[65];
  size_t used = 0;

  const char *slash = strrchr(folder, '/');
  for (const char *c = slash ? slash + 1 : folder; *c && used < FOLDER_NAME_MAX; c++) {
    int plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-';
    base[used++] = plain ? *c : '_';
  }
  base[used] = '\0';
  if (cgym_sha256_hex(folder, strlen(folder), digest) != CGYM_OK) return NULL;
  return cgym_format("user-%s-%.16s", used ? base : "root", digest);
}

/* Hashes every file and the list "NAME SHA256\n" of them, which is the definition digest. */
static int hash_files(cgym_suite *suite) {
  size_t length = 1;
  for (size_t i = 0; i < suite->benchmark_count; i++)
    length += strlen(suite->benchmarks[i].name) + 66;
  char *listing = calloc(1, length);
  if (!listing) return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", suite->folder);

  int rc = CGYM_OK;
  for (size_t i = 0; i < suite->benchmark_count && rc == CGYM_OK; i++) {
    cgym_suite_benchmark *benchmark = &suite->benchmarks[i];
    char *path = cgym_format("%s/%s", suite->folder, benchmark->name);
    rc = path ? cgym_sha256_file(path, benchmark->sha256)
              : cgym_error_set(CGYM_ENOMEM, "out of memory reading %s", suite->folder);
    free(path);
    if (rc != CGYM_OK) break;
    strcat(listing, benchmark->name);
    strcat(listing, " ");
    strcat(listing, benchmark->sha256);
    strcat(listing, "\n");
  }
  if (rc == CGYM_OK) rc = cgym_sha256_hex(listing, strlen(listing), suite->definition_sha256);
  free(listing);
  return rc;
}

/* Moves the file names into benchmarks; a .c file lists itself as its one source. */
static int fill_benchmarks(cgym_suite *suite, cgym_string_list *names) {
  suite->benchmarks = calloc(names->count, sizeof *suite->benchmarks);
  if (!suite->benchmarks) return cgym_error_set(CGYM_ENOMEM, "out of memory reading a folder");
  for (size_t i = 0; i < names->count; i++) {
    cgym_suite_benchmark *benchmark = &suite->benchmarks[suite->benchmark_count++];
    benchmark->name = names->items[i];
    names->items[i] = NULL;
    benchmark->root = strdup("");
    benchmark->license = strdup("");
    if (!benchmark->root || !benchmark->license)
      return cgym_error_set(CGYM_ENOMEM, "out of memory reading a folder");
    int rc = cgym_string_list_append(&benchmark->sources, benchmark->name);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

int cgym_folder_suite_open(cgym_suite **out, const char *path) {
  cgym_string_list names = {0};
  cgym_suite *suite = calloc(1, sizeof *suite);
  char *folder = realpath(path, NULL);
  int rc = CGYM_OK;

  *out = NULL;
  if (!folder) {
    rc = cgym_error_set(CGYM_EIO, "cannot resolve folder %s: %s", path, strerror(errno));
    goto done;
  }
  if (!suite) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory opening folder %s", path);
    goto done;
  }
  suite->is_folder = 1;
  suite->folder = folder;
  folder = NULL;
  suite->origin = cgym_format("folder %s", suite->folder);
  suite->name = suite_name(suite->folder);
  suite->description = cgym_format("User files in %s: every .c, .ll and .bc file is one "
                                   "benchmark file://%s/NAME.", suite->folder, suite->folder);
  if (!suite->origin || !suite->name || !suite->description)
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory opening folder %s", path);
  if (rc == CGYM_OK) rc = list_files(suite->folder, &names);
  if (rc == CGYM_OK) rc = fill_benchmarks(suite, &names);
  if (rc == CGYM_OK) rc = hash_files(suite);
  if (rc == CGYM_OK) {
    *out = suite;
    suite = NULL;
  }

done:
  cgym_string_list_clear(&names);
  cgym_suite_free(suite);
  free(folder);
  return rc;
}
