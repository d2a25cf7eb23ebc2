#include "test_modules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cgym_test_run(const char *command) {
  int status = system(command);
  if (status == 0) return;
  fprintf(stderr, "test setup failed (status %d): %s\n", status, command);
  exit(1);
}

char *cgym_test_csmith_module(const char *dir, uint64_t seed) {
  char command[2048];
  char *path = malloc(1024);
  if (!path) abort();

  snprintf(path, 1024, "%s/csmith-%llu.bc", dir, (unsigned long long)seed);
  snprintf(command, sizeof command,
           "csmith --seed %llu > '%s/csmith-%llu.c' && clang-19 -O1 -Xclang -disable-llvm-passes "
           "-emit-llvm -c -I/usr/include/csmith -w '%s/csmith-%llu.c' -o '%s'",
           (unsigned long long)seed, dir, (unsigned long long)seed, dir,
           (unsigned long long)seed, path);
  cgym_test_run(command);
  return path;
}

char *cgym_test_stress_module(const char *dir, uint64_t seed, int size, int bitcode) {
  char command[2048];
  char *path = malloc(1024);
  if (!path) abort();

  snprintf(path, 1024, "%s/stress-%llu.%s", dir, (unsigned long long)seed, bitcode ? "bc" : "ll");
  if (bitcode)
    snprintf(command, sizeof command, "llvm-stress-19 --seed=%llu --size=%d | llvm-as-19 -o '%s'",
             (unsigned long long)seed, size, path);
  else
    snprintf(command, sizeof command, "llvm-stress-19 --seed=%llu --size=%d -o '%s'",
             (unsigned long long)seed, size, path);
  cgym_test_run(command);
  return path;
}

char *cgym_test_write_module(const char *dir, const char *name, const char *text) {
  size_t size = strlen(dir) + strlen(name) + 2;
  char *path = malloc(size);
  if (!path) abort();
  snprintf(path, size, "%s/%s", dir, name);
  FILE *file = fopen(path, "w");
  if (!file || fputs(text, file) == EOF || fclose(file) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    abort();
  }
  return path;
}
