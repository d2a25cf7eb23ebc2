/*
 * Child processes for the build tools. posix_spawn starts the program directly (no shell, so no
 * quoting of file names); the child gets its own process group, so a timeout can kill clang
 * together with anything it started. Pipes are created close-on-exec, because builds run
 * several children at once from worker threads and a pipe end leaked into a sibling would keep
 * the reader from seeing end of file.
 */
#define _GNU_SOURCE /* pipe2 */

#include "datasets/process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "env/error_internal.h"

extern char **environ;

static long long now_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

void cgym_process_result_clear(cgym_process_result *result) {
  free(result->stderr_text);
  memset(result, 0, sizeof *result);
}

void cgym_first_line(const char *text, char *out, size_t size) {
  out[0] = '\0';
  if (!text || size == 0) return;
  while (*text == '\n' || *text == '\r') text++;
  size_t length = strcspn(text, "\r\n");
  if (length >= size) length = size - 1;
  memcpy(out, text, length);
  out[length] = '\0';
}

static int spawn(pid_t *pid, char *const argv[], const char *cwd, const char *stdout_path,
                 int stderr_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  sigset_t no_signals;

  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (stdout_path && strcmp(stdout_path, CGYM_PROCESS_STDOUT_TO_STDERR) == 0)
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, 1);
  else
    posix_spawn_file_actions_addopen(&actions, 1, stdout_path ? stdout_path : "/dev/null",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
  if (cwd) posix_spawn_file_actions_addchdir_np(&actions, cwd);
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);

  int error = posix_spawnp(pid, argv[0], &actions, &attributes, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);

  if (error == ENOENT)
    return cgym_error_set(CGYM_ENOTFOUND, "program %s not found; install it or check PATH",
                          argv[0]);
  if (error != 0)
    return cgym_error_set(CGYM_EIO, "cannot start %s: %s", argv[0], strerror(error));
  return CGYM_OK;
}

/* Reads the child's stderr until end of file or the deadline, keeping the first
 * CGYM_PROCESS_MAX_STDERR bytes. Returns nonzero when the deadline passed first. */
static int drain_stderr(int fd, long long deadline, char *buffer, size_t *length) {
  char chunk[4096];

  for (;;) {
    long long remaining = deadline - now_ms();
    if (remaining <= 0) return 1;
    struct pollfd poll_fd = {fd, POLLIN, 0};
    int ready = poll(&poll_fd, 1, remaining > 1000 ? 1000 : (int)remaining);
    if (ready < 0 && errno != EINTR) return 0;
    if (ready <= 0) continue;

    ssize_t count = read(fd, chunk, sizeof chunk);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return 0;
    size_t keep = (size_t)count;
    if (*length + keep > CGYM_PROCESS_MAX_STDERR) keep = CGYM_PROCESS_MAX_STDERR - *length;
    memcpy(buffer + *length, chunk, keep);
    *length += keep;
  }
}

/* Waits for the child until the deadline. Returns nonzero when it was still running then. */
static int wait_child(pid_t pid, long long deadline, int *status) {
  for (;;) {
    pid_t done = waitpid(pid, status, WNOHANG);
    if (done == pid) return 0;
    if (done < 0 && errno != EINTR) return 0;
    if (now_ms() >= deadline) return 1;
    struct timespec pause = {0, 5 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
}

int cgym_process_run(char *const argv[], const char *cwd, const char *stdout_path,
                     int timeout_seconds, cgym_process_result *result) {
  int pipe_fds[2];
  pid_t pid;
  int status = 0;
  size_t length = 0;

  memset(result, 0, sizeof *result);
  result->exit_code = -1;
  result->stderr_text = malloc(CGYM_PROCESS_MAX_STDERR + 1);
  if (!result->stderr_text) return cgym_error_set(CGYM_ENOMEM, "out of memory running %s", argv[0]);
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    cgym_process_result_clear(result);
    return cgym_error_set(CGYM_EIO, "cannot create a pipe for %s: %s", argv[0], strerror(errno));
  }

  int rc = spawn(&pid, argv, cwd, stdout_path, pipe_fds[1]);
  close(pipe_fds[1]);
  if (rc != CGYM_OK) {
    close(pipe_fds[0]);
    cgym_process_result_clear(result);
    return rc;
  }

  long long deadline = now_ms() + (long long)timeout_seconds * 1000;
  int late = drain_stderr(pipe_fds[0], deadline, result->stderr_text, &length);
  close(pipe_fds[0]);
  if (late || wait_child(pid, deadline, &status)) {
    kill(-pid, SIGKILL);
    waitpid(pid, &status, 0);
    result->timed_out = 1;
  }

  result->stderr_text[length] = '\0';
  if (!result->timed_out && WIFEXITED(status)) result->exit_code = WEXITSTATUS(status);
  if (!result->timed_out && WIFSIGNALED(status)) result->signal = WTERMSIG(status);
  return CGYM_OK;
}
