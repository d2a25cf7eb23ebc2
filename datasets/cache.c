/*
 * The cache: where its root is, how processes share it, and the file primitives that keep every
 * final name complete (temporary names in the same folder, then rename). The layout is described
 * in cache.h.
 */
#define _XOPEN_SOURCE 700 /* nftw */

#include "datasets/cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env/error_internal.h"

/* Folders whose ".tmp-" entries are cleaned when the lock is taken; bitcode's suite folders are
 * cleaned one level down too. */
static const char *const cache_folders[] = {"archives", "trees", "bitcode", NULL};

char *cgym_format(const char *format, ...) {
  va_list args;
  va_start(args, format);
  int length = vsnprintf(NULL, 0, format, args);
  va_end(args);
  if (length < 0) return NULL;

  char *text = malloc((size_t)length + 1);
  if (!text) return NULL;
  va_start(args, format);
  vsnprintf(text, (size_t)length + 1, format, args);
  va_end(args);
  return text;
}

int cgym_path_exists(const char *path) {
  struct stat info;
  return lstat(path, &info) == 0;
}

int cgym_make_dirs(const char *path) {
  char buffer[PATH_MAX];

  if (strlen(path) >= sizeof buffer)
    return cgym_error_set(CGYM_ELIMIT, "path %s is longer than the maximum of %d bytes", path,
                          PATH_MAX - 1);
  strcpy(buffer, path);
  for (char *slash = buffer + 1; *slash; slash++) {
    if (*slash != '/') continue;
    *slash = '\0';
    if (mkdir(buffer, 0755) != 0 && errno != EEXIST)
      return cgym_error_set(CGYM_EIO, "cannot create folder %s: %s", buffer, strerror(errno));
    *slash = '/';
  }
  if (mkdir(buffer, 0755) != 0 && errno != EEXIST)
    return cgym_error_set(CGYM_EIO, "cannot create folder %s: %s", buffer, strerror(errno));
  return CGYM_OK;
}

static int remove_entry(const char *path, const struct stat *info, int type, struct FTW *ftw) {
  (void)info;
  (void)ftw;
  /* Extracted trees may contain read-only folders; make them writable so their entries can go. */
  if (type == FTW_DP || type == FTW_D) chmod(path, 0700);
  return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int cgym_remove_tree(const char *path) {
  if (!cgym_path_exists(path)) return CGYM_OK;
  if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
    return cgym_error_set(CGYM_EIO, "cannot remove %s: %s", path, strerror(errno));
  return CGYM_OK;
}

int cgym_temp_file(const char *folder, char **path, int *fd) {
  *path = cgym_format("%s/" CGYM_CACHE_TEMP_PREFIX "XXXXXX", folder);
  if (!*path) return cgym_error_set(CGYM_ENOMEM, "out of memory naming a file in %s", folder);

  *fd = mkstemp(*path);
  if (*fd < 0) {
    int rc = cgym_error_set(CGYM_EIO, "cannot create a temporary file in %s: %s", folder,
                            strerror(errno));
    free(*path);
    *path = NULL;
    return rc;
  }
  return CGYM_OK;
}

int cgym_temp_dir(const char *folder, char **path) {
  *path = cgym_format("%s/" CGYM_CACHE_TEMP_PREFIX "XXXXXX", folder);
  if (!*path) return cgym_error_set(CGYM_ENOMEM, "out of memory naming a folder in %s", folder);

  if (!mkdtemp(*path)) {
    int rc = cgym_error_set(CGYM_EIO, "cannot create a temporary folder in %s: %s", folder,
                            strerror(errno));
    free(*path);
    *path = NULL;
    return rc;
  }
  return CGYM_OK;
}

static char *default_root(void) {
  const char *configured = getenv("CGYM_CACHE");
  if (configured && *configured) return strdup(configured);

  const char *xdg = getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return cgym_format("%s/cgym", xdg);

  const char *home = getenv("HOME");
  if (home && *home) return cgym_format("%s/.cache/cgym", home);
  return NULL;
}

static int is_folder(const char *path) {
  struct stat info;
  return lstat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

/* Removes the ".tmp-" entries that a killed process left in folder. Only called under the lock,
 * when no live process can own such an entry. */
static void remove_stale_temporaries(const char *folder, int depth) {
  DIR *dir = opendir(folder);
  struct dirent *entry;

  if (!dir) return;
  while ((entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    char *path = cgym_format("%s/%s", folder, entry->d_name);
    if (!path) break;
    if (strncmp(entry->d_name, CGYM_CACHE_TEMP_PREFIX, strlen(CGYM_CACHE_TEMP_PREFIX)) == 0)
      cgym_remove_tree(path);
    else if (depth > 0 && is_folder(path))
      remove_stale_temporaries(path, depth - 1);
    free(path);
  }
  closedir(dir);
}

static int create_layout(const char *root) {
  for (const char *const *folder = cache_folders; *folder; folder++) {
    char *path = cgym_format("%s/%s", root, *folder);
    if (!path) return cgym_error_set(CGYM_ENOMEM, "out of memory naming cache folders");
    int rc = cgym_make_dirs(path);
    free(path);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

static int take_lock(cgym_cache *cache, void (*progress)(void *, const char *), void *context) {
  char *path = cgym_format("%s/lock", cache->root);
  if (!path) return cgym_error_set(CGYM_ENOMEM, "out of memory naming the cache lock");

  cache->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (cache->lock_fd < 0) {
    int rc = cgym_error_set(CGYM_EIO, "cannot open cache lock %s: %s", path, strerror(errno));
    free(path);
    return rc;
  }
  if (flock(cache->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    if (progress) progress(context, "waiting for another process that holds the cache lock");
    while (flock(cache->lock_fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      int rc = cgym_error_set(CGYM_EIO, "cannot lock %s: %s", path, strerror(errno));
      free(path);
      return rc;
    }
  }
  free(path);
  return CGYM_OK;
}

int cgym_cache_open(cgym_cache *cache, const char *configured_root,
                    void (*progress)(void *context, const char *message), void *context) {
  char resolved[PATH_MAX];

  cache->root = NULL;
  cache->lock_fd = -1;
  char *root = configured_root ? strdup(configured_root) : default_root();
  if (!root)
    return cgym_error_set(CGYM_EINVAL, "no cache folder: set CGYM_CACHE, XDG_CACHE_HOME or HOME, "
                          "or pass cache_dir");

  int rc = cgym_make_dirs(root);
  if (rc == CGYM_OK && !realpath(root, resolved))
    rc = cgym_error_set(CGYM_EIO, "cannot resolve cache folder %s: %s", root, strerror(errno));
  free(root);
  if (rc != CGYM_OK) return rc;

  cache->root = strdup(resolved);
  if (!cache->root) return cgym_error_set(CGYM_ENOMEM, "out of memory naming the cache");
  rc = create_layout(cache->root);
  if (rc == CGYM_OK) rc = take_lock(cache, progress, context);
  if (rc != CGYM_OK) {
    cgym_cache_close(cache);
    return rc;
  }

  for (const char *const *folder = cache_folders; *folder; folder++) {
    char *path = cgym_format("%s/%s", cache->root, *folder);
    if (path) remove_stale_temporaries(path, strcmp(*folder, "bitcode") == 0 ? 1 : 0);
    free(path);
  }
  return CGYM_OK;
}

void cgym_cache_close(cgym_cache *cache) {
  if (cache->lock_fd >= 0) close(cache->lock_fd); /* closing the descriptor drops the flock */
  cache->lock_fd = -1;
  free(cache->root);
  cache->root = NULL;
}
