#include "support/check.h"

#include <dirent.h>
#include <stdlib.h>
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
