/*
 * `cgym suites remove`: deleting a suite's bitcode, archives and extracted trees under the
 * cache lock, so no other process reads them half-removed.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/cache.h"
#include "datasets/suite_internal.h"
#include "env/error_internal.h"

/* Removes ROOT/subfolder/NAME and counts it when it existed. */
static int remove_entry(const char *root, const char *subfolder, const char *name,
                        size_t *removed) {
  char *path = cgym_format("%s/%s/%s", root, subfolder, name);
  if (!path) return cgym_error_set(CGYM_ENOMEM, "out of memory removing %s", name);
  int existed = cgym_path_exists(path);
  int rc = cgym_remove_tree(path);
  if (rc == CGYM_OK && existed) (*removed)++;
  free(path);
  return rc;
}

/* Removes every tree extracted from the archive with this digest, whatever its rules version. */
static int remove_trees(const char *root, const char *sha256, size_t *removed) {
  char *folder = cgym_format("%s/trees", root);
  if (!folder) return cgym_error_set(CGYM_ENOMEM, "out of memory removing trees");
  DIR *dir = opendir(folder);
  int rc = CGYM_OK;
  for (struct dirent *entry; dir && rc == CGYM_OK && (entry = readdir(dir));) {
    if (strncmp(entry->d_name, sha256, 64) == 0 && strncmp(entry->d_name + 64, "-x", 2) == 0)
      rc = remove_entry(root, "trees", entry->d_name, removed);
  }
  if (dir) closedir(dir);
  free(folder);
  return rc;
}

int cgym_cache_remove_suite(const char *cache_dir, const cgym_suite *suite, size_t *removed) {
  cgym_cache cache = {NULL, -1};

  if (!suite || !removed)
    return cgym_error_set(CGYM_EINVAL, "cgym_cache_remove_suite needs a suite and a counter");
  *removed = 0;
  int rc = cgym_cache_open(&cache, cache_dir, NULL, NULL);
  if (rc == CGYM_OK) rc = remove_entry(cache.root, "bitcode", suite->name, removed);
  for (size_t i = 0; i < suite->archive_count && rc == CGYM_OK; i++) {
    rc = remove_entry(cache.root, "archives", suite->archives[i].sha256, removed);
    if (rc == CGYM_OK) rc = remove_trees(cache.root, suite->archives[i].sha256, removed);
  }
  cgym_cache_close(&cache);
  return rc;
}
