/*
 * Every action is deterministic: from fresh parses of the same module it gives the same bitcode
 * SHA-256, within one process and across processes (where address-space layout differs, which
 * is how a pass that orders by pointer value shows itself). The child processes run in an empty
 * folder that must stay empty, so an action that writes files (as insert-gcov-profiling does for
 * modules with debug info) fails the test.
 *
 *   test_env_determinism                    runs the test
 *   test_env_determinism --hashes MODULE... prints "MODULE_INDEX ACTION_INDEX SHA256" lines
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "support/check.h"
#include "test_modules.h"

#define MODULES 3
#define STRESS_MODULE 2 /* index of the llvm-stress module */
#define ACTIONS_MAX 256

/* scalarizer crashes LLVM 19.1.7 on llvm-stress's vector code (see docs/actions.md). */
static int skipped(size_t module, size_t action) {
  const cgym_action *chosen = cgym_action_space_get(cgym_action_space_passes(), action);
  return module == STRESS_MODULE && strcmp(chosen->name, "scalarizer") == 0;
}

/* Stores the SHA-256 after each action, each from a fresh parse, for one module. */
static int hash_actions(const char *module, size_t module_index, char hashes[][65]) {
  cgym_env *env = NULL;
  size_t size = cgym_action_space_size(cgym_action_space_passes());

  int rc = cgym_env_create(&env, NULL);
  if (rc == CGYM_OK) rc = cgym_env_reset(env, "m", module);
  for (size_t action = 0; rc == CGYM_OK && action < size; action++) {
    strcpy(hashes[action], "skipped");
    if (skipped(module_index, action)) continue;
    rc = cgym_env_restart(env);
    if (rc == CGYM_OK) rc = cgym_env_step(env, action, NULL);
    if (rc == CGYM_OK) rc = cgym_env_bitcode_sha256(env, hashes[action]);
    if (rc != CGYM_OK)
      fprintf(stderr, "action %zu on %s: %s\n", action, module, cgym_error_message());
  }
  cgym_env_free(env);
  return rc;
}

static int print_hashes(int count, char **modules) {
  static char hashes[ACTIONS_MAX][65];
  size_t size = cgym_action_space_size(cgym_action_space_passes());

  for (int m = 0; m < count; m++) {
    if (hash_actions(modules[m], (size_t)m, hashes) != CGYM_OK) return 1;
    for (size_t action = 0; action < size; action++) printf("%d %zu %s\n", m, action, hashes[action]);
  }
  return 0;
}

/* Runs this program with --hashes in folder `cwd` and checks every line against `expected`. */
static void compare_child(const char *self, const char *cwd, char *const *modules,
                          char expected[MODULES][ACTIONS_MAX][65]) {
  char command[8192];
  int length = snprintf(command, sizeof command, "cd '%s' && '%s' --hashes", cwd, self);
  for (int m = 0; m < MODULES; m++)
    length += snprintf(command + length, sizeof command - (size_t)length, " '%s'", modules[m]);

  FILE *child = popen(command, "r");
  CHECK(child != NULL);
  if (!child) return;

  char line[256];
  size_t lines = 0;
  while (fgets(line, sizeof line, child)) {
    int module;
    size_t action;
    char sha[65];
    if (sscanf(line, "%d %zu %64s", &module, &action, sha) != 3 || module < 0 ||
        module >= MODULES || action >= ACTIONS_MAX) {
      CHECK(!"malformed line from the child");
      continue;
    }
    lines++;
    if (strcmp(sha, expected[module][action]) != 0) {
      const cgym_action *chosen = cgym_action_space_get(cgym_action_space_passes(), action);
      fprintf(stderr, "action '%s' on module %d differs across processes\n", chosen->name, module);
      CHECK_STR_EQ(sha, expected[module][action]);
    }
  }
  CHECK(pclose(child) == 0);
  CHECK(lines == MODULES * cgym_action_space_size(cgym_action_space_passes()));
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "--hashes") == 0) return print_hashes(argc - 2, argv + 2);

  static char first[MODULES][ACTIONS_MAX][65], second[MODULES][ACTIONS_MAX][65];
  char self[PATH_MAX];
  ssize_t self_length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (self_length <= 0) abort();
  self[self_length] = '\0';

  char *dir = cgym_test_temp_dir("cgym-test-determinism");
  char *workdir = cgym_test_temp_dir("cgym-test-determinism-cwd");
  char *modules[MODULES] = {cgym_test_csmith_module(dir, 7), cgym_test_csmith_module(dir, 8),
                            cgym_test_stress_module(dir, 3, 200, 1)};
  size_t size = cgym_action_space_size(cgym_action_space_passes());
  CHECK(size <= ACTIONS_MAX);

  for (size_t m = 0; m < MODULES; m++) {
    CHECK_OK(hash_actions(modules[m], m, first[m]));
    CHECK_OK(hash_actions(modules[m], m, second[m]));
    for (size_t action = 0; action < size; action++) CHECK_STR_EQ(first[m][action], second[m][action]);
  }

  compare_child(self, workdir, modules, first);
  compare_child(self, workdir, modules, first);
  CHECK(cgym_test_count_entries(workdir) == 0);

  char command[2400];
  snprintf(command, sizeof command, "rm -rf '%s' '%s'", dir, workdir);
  cgym_test_run(command);
  for (int m = 0; m < MODULES; m++) free(modules[m]);
  free(dir);
  free(workdir);
  return cgym_check_summary();
}
