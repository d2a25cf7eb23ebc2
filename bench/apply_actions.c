/*
 * Applies a list of actions to one module through the public API and prints the result, the
 * same output as `cgym apply MODULE --actions a,b,c [--output OUT.bc]`. The benchmark script
 * times it against separate opt-19 runs.
 *
 *   apply_actions MODULE --actions a,b,c [--output OUT.bc]
 *
 * Prints "instructions: N" and "sha256: HEX" for the final module. Exit status 0 on success,
 * 2 for a usage error, 1 for any other failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/env.h"
#include "cgym/error.h"

static int usage(void) {
  fprintf(stderr, "usage: apply_actions MODULE --actions NAME[,NAME...] [--output OUT.bc]\n");
  return 2;
}

/* Steps each comma-separated action name in turn; names may be LLVM 19 names or legacy flags. */
static int apply_list(cgym_env *env, char *list) {
  const cgym_action_space *space = cgym_env_action_space(env);

  for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
    size_t index;
    int rc = cgym_action_space_find(space, name, &index);
    if (rc == CGYM_OK) rc = cgym_env_step(env, index, NULL);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

int main(int argc, char **argv) {
  const char *module = NULL, *output = NULL;
  char *actions = NULL;
  cgym_env *env = NULL;
  int64_t count = 0;
  char sha256[65];

  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--actions") == 0 && i + 1 < argc) actions = argv[++i];
    else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc) output = argv[++i];
    else if (!module && argv[i][0] != '-') module = argv[i];
    else return usage();
  }
  if (!module || !actions) return usage();

  int rc = cgym_env_create(&env, NULL);
  if (rc == CGYM_OK) rc = cgym_env_reset(env, module, module);
  if (rc == CGYM_OK) rc = apply_list(env, actions);
  if (rc == CGYM_OK && output) rc = cgym_env_write_bitcode(env, output);
  if (rc == CGYM_OK) rc = cgym_env_instruction_count(env, &count);
  if (rc == CGYM_OK) rc = cgym_env_bitcode_sha256(env, sha256);
  if (rc != CGYM_OK) {
    fprintf(stderr, "apply_actions: %s: %s\n", cgym_strerror(rc), cgym_error_message());
    cgym_env_free(env);
    return 1;
  }

  printf("instructions: %lld\nsha256: %s\n", (long long)count, sha256);
  cgym_env_free(env);
  return 0;
}
