/*
 * The test-only fatal action: on csmith 2.3.0's program for seed 22 its pipeline makes LLVM 19
 * end the process with "LLVM ERROR: Instruction Combining did not reach a fixpoint". The action
 * runs in a forked child, and the parent checks how the child ended and what it wrote to stderr.
 * The action-space instcombine on the same module, and the fatal pipeline on the neighbouring
 * seeds, must not end the process.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgym/env.h"
#include "cgym/error.h"
#include "support/check.h"
#include "test_modules.h"

#define FATAL_SEED 22
#define CHILD_RETURNED 3 /* the child's exit status when the pipeline did not end it */

static void run_child(const char *module, const char *pipeline, int stderr_fd) {
  cgym_env *env = NULL;
  dup2(stderr_fd, STDERR_FILENO);
  if (cgym_env_create(&env, NULL) != CGYM_OK || cgym_env_reset(env, "m", module) != CGYM_OK) {
    fprintf(stderr, "child setup failed: %s\n", cgym_error_message());
    _exit(2);
  }
  cgym_env_step_pipeline(env, pipeline, NULL);
  cgym_env_free(env);
  _exit(CHILD_RETURNED);
}

/* Runs pipeline on module in a child; stores its wait status and up to size-1 bytes of stderr. */
static void run_in_child(const char *module, const char *pipeline, int *status, char *output,
                         size_t size) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) abort();
  fflush(NULL);

  pid_t child = fork();
  if (child < 0) abort();
  if (child == 0) {
    close(pipe_fds[0]);
    run_child(module, pipeline, pipe_fds[1]);
  }

  close(pipe_fds[1]);
  size_t length = 0;
  ssize_t got;
  while ((got = read(pipe_fds[0], output + length, size - 1 - length)) > 0) {
    length += (size_t)got;
    if (length == size - 1) break;
  }
  output[length] = '\0';
  close(pipe_fds[0]);
  waitpid(child, status, 0);
}

int main(void) {
  char *dir = cgym_test_temp_dir("cgym-test-fatal");
  char *module = cgym_test_csmith_module(dir, FATAL_SEED);
  const char *fatal = cgym_test_action_pipeline(CGYM_TEST_ACTION_FATAL);
  char output[4096];
  int status = 0;

  CHECK(fatal != NULL);
  run_in_child(module, fatal, &status, output, sizeof output);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(strstr(output, "LLVM ERROR: Instruction Combining did not reach a fixpoint") != NULL);
  if (!strstr(output, "LLVM ERROR")) fprintf(stderr, "child stderr: %s\n", output);

  size_t instcombine;
  CHECK_OK(cgym_action_space_find(cgym_action_space_passes(), "instcombine", &instcombine));
  const char *safe = cgym_action_space_get(cgym_action_space_passes(), instcombine)->pipeline;
  run_in_child(module, safe, &status, output, sizeof output);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == CHILD_RETURNED);
  CHECK(strstr(output, "LLVM ERROR") == NULL);

  /* The neighbouring seeds survive the fatal pipeline, so a run over seeds 21 to 23 has exactly
   * one dying episode. */
  for (uint64_t seed = FATAL_SEED - 1; seed <= FATAL_SEED + 1; seed += 2) {
    char *neighbour = cgym_test_csmith_module(dir, seed);
    run_in_child(neighbour, fatal, &status, output, sizeof output);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == CHILD_RETURNED);
    free(neighbour);
  }

  char command[1200];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  cgym_test_run(command);
  free(module);
  free(dir);
  return cgym_check_summary();
}
