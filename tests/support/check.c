#define _XOPEN_SOURCE 700 /* nftw */
#include "support/check.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgym/error.h"

int cgym_check_failures;
int cgym_check_count;

void cgym_check_fail(const char *file, int line, const char *expression, const char *detail) {
  cgym_check_failures++;
  fprintf(stderr, "%s:%d: check failed: %s", file, line, expression);
  if (detail && *detail) fprintf(stderr, " (%s)", detail);
  fputc('\n', stderr);
}

int cgym_check_summary(void) {
  printf("%d passed, %d failed\n", cgym_check_count - cgym_check_failures, cgym_check_failures);
  return cgym_check_failures ? 1 : 0;
}

/* Folders made by cgym_test_temp_dir, removed when the test program exits unless a check
 * failed (then they are kept for inspection and named) or CGYM_KEEP_TEST_DIRS is set. */
#define TEMP_DIRS_MAX 64
static char *temp_dirs[TEMP_DIRS_MAX];
static size_t temp_dir_count;
static pid_t temp_dir_owner;

static int remove_entry(const char *path, const struct stat *info, int flag, struct FTW *ftw) {
  (void)info;
  (void)flag;
  (void)ftw;
  remove(path);
  return 0;
}

static void remove_temp_dirs(void) {
  /* Forked children that exit normally run this too; only the creating process cleans up. */
  if (getpid() != temp_dir_owner) return;
  int keep = cgym_check_failures > 0 || getenv("CGYM_KEEP_TEST_DIRS");
  for (size_t i = 0; i < temp_dir_count; i++) {
    if (keep) fprintf(stderr, "kept test folder %s\n", temp_dirs[i]);
    else nftw(temp_dirs[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(temp_dirs[i]);
  }
  temp_dir_count = 0;
}

static void remember_temp_dir(const char *path) {
  if (temp_dir_count == 0 && !temp_dir_owner) {
    temp_dir_owner = getpid();
    atexit(remove_temp_dirs);
  }
  if (temp_dir_count < TEMP_DIRS_MAX) temp_dirs[temp_dir_count++] = strdup(path);
}

char *cgym_test_temp_dir(const char *prefix) {
  const char *tmp = getenv("TMPDIR");
  char *path = NULL;
  if (!tmp || !*tmp) tmp = "/tmp";
  size_t size = strlen(tmp) + strlen(prefix) + 16;
  path = malloc(size);
  if (!path) abort();
  snprintf(path, size, "%s/%s-XXXXXX", tmp, prefix);
  if (!mkdtemp(path)) {
    perror("mkdtemp");
    abort();
  }
  remember_temp_dir(path);
  return path;
}

char *cgym_test_path(const char *dir, const char *name) {
  size_t size = strlen(dir) + strlen(name) + 2;
  char *path = malloc(size);
  if (!path) abort();
  snprintf(path, size, "%s/%s", dir, name);
  return path;
}

int cgym_test_count_entries(const char *dir) {
  DIR *handle = opendir(dir);
  if (!handle) return -1;
  int count = 0;
  struct dirent *entry;
  while ((entry = readdir(handle)) != NULL) {
    if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) count++;
  }
  closedir(handle);
  return count;
}
