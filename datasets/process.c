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
  free(result->stdout_data);
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

static int spawn(pid_t *pid, char *const argv[], const cgym_process_options *options, int stdout_fd,
                 int stderr_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  sigset_t no_signals;
  const char *stdout_path = options->stdout_path;

  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  posix_spawn_file_actions_addopen(
      &actions, 0, options->stdin_path ? options->stdin_path : "/dev/null", O_RDONLY, 0);
  if (stdout_fd >= 0)
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
  else if (stdout_path && strcmp(stdout_path, CGYM_PROCESS_STDOUT_TO_STDERR) == 0)
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, 1);
  else
    posix_spawn_file_actions_addopen(&actions, 1, stdout_path ? stdout_path : "/dev/null",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
  if (options->cwd) posix_spawn_file_actions_addchdir_np(&actions, options->cwd);
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);

  char *const *envp = options->envp ? options->envp : environ;
  int error = options->program
                  ? posix_spawn(pid, options->program, &actions, &attributes, argv, envp)
                  : posix_spawnp(pid, argv[0], &actions, &attributes, argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);

  const char *name = options->program ? options->program : argv[0];
  if (error == ENOENT)
    return cgym_error_set(CGYM_ENOTFOUND, "program %s not found; install it or check PATH", name);
  if (error != 0) return cgym_error_set(CGYM_EIO, "cannot start %s: %s", name, strerror(error));
  return CGYM_OK;
}

/* One pipe from the child: its descriptor (-1 once at end of file) and where its bytes go. */
typedef struct pipe_sink {
  int fd;
  char *data;
  size_t size; /* bytes kept in data */
  size_t capacity;
  size_t max;     /* bytes kept at most; the rest is read and dropped */
  uint64_t total; /* bytes read */
} pipe_sink;

/* Keeps what fits of chunk, growing data as needed. Returns nonzero when out of memory. */
static int sink_keep(pipe_sink *sink, const char *chunk, size_t count) {
  sink->total += count;
  size_t keep = count;
  if (sink->size + keep > sink->max) keep = sink->max - sink->size;
  if (keep == 0) return 0;
  if (sink->size + keep > sink->capacity) {
    size_t capacity = sink->capacity ? sink->capacity : 4096;
    while (capacity < sink->size + keep)
      capacity *= 2;
    if (capacity > sink->max) capacity = sink->max;
    char *data = realloc(sink->data, capacity + 1);
    if (!data) return 1;
    sink->data = data;
    sink->capacity = capacity;
  }
  memcpy(sink->data + sink->size, chunk, keep);
  sink->size += keep;
  return 0;
}

/* Reads every open pipe until end of file or the deadline. Returns nonzero when the deadline
 * passed first. A read error or a failed allocation ends the reading of that pipe. */
static int drain_pipes(pipe_sink *sinks, size_t count, long long deadline) {
  char chunk[4096];

  for (;;) {
    struct pollfd poll_fds[2];
    size_t open_count = 0;
    for (size_t i = 0; i < count; i++) {
      if (sinks[i].fd >= 0) poll_fds[open_count++] = (struct pollfd){sinks[i].fd, POLLIN, 0};
    }
    if (open_count == 0) return 0;
    long long remaining = deadline - now_ms();
    if (remaining <= 0) return 1;
    int ready = poll(poll_fds, open_count, remaining > 1000 ? 1000 : (int)remaining);
    if (ready < 0 && errno != EINTR) return 0;
    if (ready <= 0) continue;

    for (size_t i = 0; i < count; i++) {
      if (sinks[i].fd < 0) continue;
      int index = 0;
      while (poll_fds[index].fd != sinks[i].fd)
        index++;
      if (!poll_fds[index].revents) continue;
      ssize_t bytes = read(sinks[i].fd, chunk, sizeof chunk);
      if (bytes < 0 && errno == EINTR) continue;
      if (bytes <= 0 || sink_keep(&sinks[i], chunk, (size_t)bytes)) sinks[i].fd = -1;
    }
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

static void close_pipe(int fds[2]) {
  if (fds[0] >= 0) close(fds[0]);
  if (fds[1] >= 0) close(fds[1]);
}

/* Creates the stderr pipe and, when stdout is captured, the stdout pipe. */
static int open_pipes(int err_fds[2], int out_fds[2], int capture, const char *name) {
  if (pipe2(err_fds, O_CLOEXEC) != 0)
    return cgym_error_set(CGYM_EIO, "cannot create a pipe for %s: %s", name, strerror(errno));
  if (capture && pipe2(out_fds, O_CLOEXEC) != 0) {
    close_pipe(err_fds);
    return cgym_error_set(CGYM_EIO, "cannot create a pipe for %s: %s", name, strerror(errno));
  }
  return CGYM_OK;
}

/* Moves the kept bytes of the sinks into result, each with a NUL after its last byte. */
static void keep_output(cgym_process_result *result, pipe_sink *err, pipe_sink *out) {
  result->stderr_text = err->data;
  result->stderr_text[err->size] = '\0';
  result->stdout_data = out->data;
  result->stdout_size = out->size;
  result->stdout_total = out->total;
  if (result->stdout_data) result->stdout_data[out->size] = '\0';
}

int cgym_process_run_with(char *const argv[], const cgym_process_options *options,
                          cgym_process_result *result) {
  int err_fds[2] = {-1, -1}, out_fds[2] = {-1, -1};
  int capture = options->stdout_max > 0;
  pid_t pid;
  int status = 0;

  memset(result, 0, sizeof *result);
  result->exit_code = -1;
  pipe_sink sinks[2] = {{-1, malloc(CGYM_PROCESS_MAX_STDERR + 1), 0, CGYM_PROCESS_MAX_STDERR,
                         CGYM_PROCESS_MAX_STDERR, 0},
                        {-1, NULL, 0, 0, options->stdout_max, 0}};
  if (!sinks[0].data) return cgym_error_set(CGYM_ENOMEM, "out of memory running %s", argv[0]);
  int rc = open_pipes(err_fds, out_fds, capture, argv[0]);
  if (rc == CGYM_OK) rc = spawn(&pid, argv, options, out_fds[1], err_fds[1]);
  if (err_fds[1] >= 0) close(err_fds[1]);
  if (out_fds[1] >= 0) close(out_fds[1]);
  if (rc != CGYM_OK) {
    if (err_fds[0] >= 0) close(err_fds[0]);
    if (out_fds[0] >= 0) close(out_fds[0]);
    free(sinks[0].data);
    return rc;
  }

  sinks[0].fd = err_fds[0];
  sinks[1].fd = out_fds[0];
  long long deadline = now_ms() + (long long)options->timeout_seconds * 1000;
  int late = drain_pipes(sinks, capture ? 2 : 1, deadline);
  close(err_fds[0]);
  if (out_fds[0] >= 0) close(out_fds[0]);
  if (late || wait_child(pid, deadline, &status)) {
    kill(-pid, SIGKILL);
    waitpid(pid, &status, 0);
    result->timed_out = 1;
  }

  keep_output(result, &sinks[0], &sinks[1]);
  if (!result->timed_out && WIFEXITED(status)) result->exit_code = WEXITSTATUS(status);
  if (!result->timed_out && WIFSIGNALED(status)) result->signal = WTERMSIG(status);
  return CGYM_OK;
}

int cgym_process_run(char *const argv[], const char *cwd, const char *stdout_path,
                     int timeout_seconds, cgym_process_result *result) {
  cgym_process_options options = {0};
  options.cwd = cwd;
  options.stdout_path = stdout_path;
  options.timeout_seconds = timeout_seconds;
  return cgym_process_run_with(argv, &options, result);
}
