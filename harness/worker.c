/*
 * Episode workers and their supervisor.
 *
 * The supervisor forks one worker per episode, at most `jobs` at a time. A worker talks back over
 * two pipes: a message pipe carrying one line per event ("pipeline P" before every pipeline it
 * hands to LLVM, "baselines C0 COZ" after the reset, "o3 COUNT" after the -O3 baseline, "result
 * JSON" at the end) and its stderr,
 * of which the supervisor keeps the tail. When a worker dies, the last "pipeline" line names what
 * LLVM was running and the last stderr line carries LLVM's own diagnostic ("LLVM ERROR: ...").
 *
 * Workers are plain fork() children of a single-threaded supervisor; they never return into the
 * supervisor's code and always leave through _exit().
 */
#include "harness/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "env/error_internal.h"
#include "env/text_internal.h"

/* The tail of a worker's stderr that is kept: enough for LLVM's last diagnostic lines. */
#define STDERR_TAIL_MAX 8192
/* A result line lists every action; 16 MiB is far above any episode of a bounded length. */
#define MESSAGE_MAX (16u * 1024u * 1024u)

/* Exit codes of a worker that failed before or outside LLVM. */
#define WORKER_EXIT_LOAD_FAILED 3
#define WORKER_EXIT_AGENT_FAILED 4
#define WORKER_EXIT_REPORT_FAILED 5
#define WORKER_EXIT_INVALID_MODULE 6

typedef struct worker {
  pid_t pid;
  size_t task_index;
  int message_fd;
  int stderr_fd;
  char *messages;
  size_t messages_length;
  char stderr_tail[STDERR_TAIL_MAX + 1];
  size_t stderr_length;
  double started;
  int timed_out;
} worker;

double cgym_monotonic_seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* ---- Worker side ------------------------------------------------------------------------- */

/* Writes all of a buffer, retrying on EINTR and short writes. */
static int write_all(int fd, const char *data, size_t size) {
  while (size > 0) {
    ssize_t written = write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return -1;
    data += written;
    size -= (size_t)written;
  }
  return 0;
}

static void send_line(int fd, const char *kind, const char *text) {
  size_t size = strlen(kind) + strlen(text) + 3;
  char *line = malloc(size);
  if (!line) return;
  snprintf(line, size, "%s %s\n", kind, text);
  (void)write_all(fd, line, strlen(line));
  free(line);
}

static void announce_pipeline(void *context, const char *pipeline) {
  send_line(*(int *)context, "pipeline", pipeline);
}

static json_t *episode_result_json(cgym_env *env, const cgym_episode_log *log) {
  int64_t count = 0;
  char sha256[65];
  if (cgym_env_instruction_count(env, &count) != CGYM_OK) return NULL;
  if (cgym_env_bitcode_sha256(env, sha256) != CGYM_OK) return NULL;

  json_t *actions = json_array();
  for (size_t i = 0; i < log->length; i++) {
    json_array_append_new(actions, json_pack("{s:s, s:s}", "name", log->actions[i], "pipeline",
                                             log->pipelines[i]));
  }
  return json_pack("{s:I, s:s, s:I, s:o}", "c_final", (json_int_t)count, "final_sha256", sha256,
                   "steps_taken", (json_int_t)log->steps_taken, "actions", actions);
}

static void apply_memory_limit(uint64_t bytes) {
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
#if defined(__SANITIZE_ADDRESS__)
  /* AddressSanitizer reserves terabytes of address space up front. */
  (void)bytes;
#else
  if (bytes > 0) {
    struct rlimit limit = {(rlim_t)bytes, (rlim_t)bytes};
    setrlimit(RLIMIT_AS, &limit);
  }
#endif
}

/* Measures C_O3 on a second env, so the episode's env stays as reset. Returns -1 on failure. */
static int64_t measure_o3(const cgym_episode_task *task, int message_fd) {
  cgym_env_options options = CGYM_ENV_OPTIONS_INIT;
  options.pipeline_hook = announce_pipeline;
  options.pipeline_hook_context = &message_fd;
  cgym_env *env = NULL;
  int64_t count = -1;

  if (cgym_env_create(&env, &options) == CGYM_OK &&
      cgym_env_reset(env, task->benchmark_uri, task->benchmark_path) == CGYM_OK &&
      cgym_env_step_pipeline(env, "default<O3>", NULL) == CGYM_OK &&
      cgym_env_instruction_count(env, &count) != CGYM_OK)
    count = -1;
  cgym_env_free(env);
  return count;
}

/* Steps the recorded actions of a replayed episode in order. */
static int run_replay(cgym_env *env, const cgym_episode_task *task, cgym_episode_log *log) {
  for (size_t i = 0; i < task->replay_count; i++) {
    int rc = cgym_env_step_pipeline(env, task->replay_pipelines[i], NULL);
    if (rc != CGYM_OK) return rc;
    int64_t count = 0;
    rc = cgym_env_instruction_count(env, &count);
    if (rc == CGYM_OK)
      rc = cgym_episode_log_append(log, task->replay_actions[i], task->replay_pipelines[i], count);
    if (rc != CGYM_OK) return rc;
  }
  log->steps_taken = (int64_t)task->replay_count;
  return CGYM_OK;
}

/* Runs one episode inside the worker process and leaves through _exit. */
static void run_worker(const cgym_episode_task *task, const cgym_worker_limits *limits,
                       int message_fd) {
  apply_memory_limit(limits->memory_limit_bytes);

  cgym_env_options options = CGYM_ENV_OPTIONS_INIT;
  options.actions = task->actions;
  options.pipeline_hook = announce_pipeline;
  options.pipeline_hook_context = &message_fd;
  cgym_env *env = NULL;
  if (cgym_env_create(&env, &options) != CGYM_OK ||
      cgym_env_reset(env, task->benchmark_uri, task->benchmark_path) != CGYM_OK) {
    fprintf(stderr, "cgym: loading %s failed: %s\n", task->benchmark_uri, cgym_error_message());
    _exit(WORKER_EXIT_LOAD_FAILED);
  }

  int64_t c0 = 0, c_oz = 0;
  char baselines[64];
  cgym_env_baselines(env, &c0, &c_oz);
  snprintf(baselines, sizeof baselines, "%lld %lld", (long long)c0, (long long)c_oz);
  send_line(message_fd, "baselines", baselines);
  snprintf(baselines, sizeof baselines, "%lld", (long long)measure_o3(task, message_fd));
  send_line(message_fd, "o3", baselines);

  cgym_rng rng;
  cgym_rng_seed_episode(&rng, task->seed, task->suite_name, task->benchmark_uri,
                        task->agent->name, task->episode);
  cgym_episode_log log = {0};
  int agent_rc = task->replay ? run_replay(env, task, &log)
                              : task->agent->run(env, task->params, &rng, &log);
  if (agent_rc != CGYM_OK) {
    fprintf(stderr, "cgym: agent %s failed on %s: %s\n", task->agent->name, task->benchmark_uri,
            cgym_error_message());
    _exit(WORKER_EXIT_AGENT_FAILED);
  }
  /* Steps run without the verifier; the episode's result counts only if its module is valid. */
  if (cgym_env_verify(env, NULL) != CGYM_OK) {
    fprintf(stderr, "cgym: %s\n", cgym_error_message());
    _exit(WORKER_EXIT_INVALID_MODULE);
  }

  json_t *result = episode_result_json(env, &log);
  char *text = result ? json_dumps(result, JSON_COMPACT) : NULL;
  if (!text) {
    fprintf(stderr, "cgym: measuring the final state failed: %s\n", cgym_error_message());
    _exit(WORKER_EXIT_REPORT_FAILED);
  }
  send_line(message_fd, "result", text);
  _exit(0);
}

/* ---- Supervisor side --------------------------------------------------------------------- */

static int start_worker(worker *slot, const cgym_episode_task *task, size_t task_index,
                        const cgym_worker_limits *limits) {
  int message_pipe[2], stderr_pipe[2];
  if (pipe(message_pipe) != 0) return cgym_error_set(CGYM_EIO, "pipe failed: %s", strerror(errno));
  if (pipe(stderr_pipe) != 0) {
    close(message_pipe[0]);
    close(message_pipe[1]);
    return cgym_error_set(CGYM_EIO, "pipe failed: %s", strerror(errno));
  }

  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(message_pipe[0]);
    close(message_pipe[1]);
    close(stderr_pipe[0]);
    close(stderr_pipe[1]);
    return cgym_error_set(CGYM_EIO, "fork failed: %s", strerror(errno));
  }
  if (pid == 0) {
    close(message_pipe[0]);
    close(stderr_pipe[0]);
    dup2(stderr_pipe[1], STDERR_FILENO);
    close(stderr_pipe[1]);
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      dup2(null_fd, STDIN_FILENO);
      dup2(null_fd, STDOUT_FILENO);
      close(null_fd);
    }
    run_worker(task, limits, message_pipe[1]);
  }

  close(message_pipe[1]);
  close(stderr_pipe[1]);
  memset(slot, 0, sizeof *slot);
  slot->pid = pid;
  slot->task_index = task_index;
  slot->message_fd = message_pipe[0];
  slot->stderr_fd = stderr_pipe[0];
  slot->started = cgym_monotonic_seconds();
  return CGYM_OK;
}

/* Appends stderr bytes, keeping only the last STDERR_TAIL_MAX. */
static void keep_stderr_tail(worker *slot, const char *data, size_t size) {
  if (size >= STDERR_TAIL_MAX) {
    memcpy(slot->stderr_tail, data + size - STDERR_TAIL_MAX, STDERR_TAIL_MAX);
    slot->stderr_length = STDERR_TAIL_MAX;
  } else {
    size_t keep = slot->stderr_length + size > STDERR_TAIL_MAX ? STDERR_TAIL_MAX - size
                                                                : slot->stderr_length;
    memmove(slot->stderr_tail, slot->stderr_tail + slot->stderr_length - keep, keep);
    memcpy(slot->stderr_tail + keep, data, size);
    slot->stderr_length = keep + size;
  }
  slot->stderr_tail[slot->stderr_length] = '\0';
}

/* Reads what is available on one of the worker's pipes; closes it at end of file. */
static void drain(worker *slot, int *fd, int is_stderr) {
  char buffer[65536];
  ssize_t got = read(*fd, buffer, sizeof buffer);
  if (got < 0 && errno == EINTR) return;
  if (got <= 0) {
    close(*fd);
    *fd = -1;
    return;
  }
  if (is_stderr) {
    keep_stderr_tail(slot, buffer, (size_t)got);
    return;
  }
  if (slot->messages_length + (size_t)got > MESSAGE_MAX) return;
  char *grown = realloc(slot->messages, slot->messages_length + (size_t)got + 1);
  if (!grown) return;
  slot->messages = grown;
  memcpy(slot->messages + slot->messages_length, buffer, (size_t)got);
  slot->messages_length += (size_t)got;
  slot->messages[slot->messages_length] = '\0';
}

/* Returns a malloc'ed copy of the text after the last line starting with "KIND ", or NULL. */
static char *last_message(const char *messages, const char *kind) {
  if (!messages) return NULL;
  size_t kind_length = strlen(kind);
  const char *found = NULL;
  for (const char *line = messages; *line;) {
    if (strncmp(line, kind, kind_length) == 0 && line[kind_length] == ' ') found = line;
    const char *end = strchr(line, '\n');
    if (!end) break;
    line = end + 1;
  }
  if (!found) return NULL;
  found += kind_length + 1;
  const char *end = strchr(found, '\n');
  if (!end) return NULL; /* a line cut off by the worker's death is not trusted */
  return strndup(found, (size_t)(end - found));
}

/* Returns a malloc'ed copy of the last non-empty line of text with control bytes escaped, or
 * NULL. The line is LLVM's or the worker's own diagnostic, which may quote the module. */
static char *last_line(const char *text) {
  size_t length = strlen(text);
  while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r')) length--;
  if (length == 0) return NULL;
  size_t start = length;
  while (start > 0 && text[start - 1] != '\n') start--;

  char *line = strndup(text + start, length - start);
  size_t escaped_size = 4 * (length - start) + 1; /* "\xNN" is the longest form of one byte */
  char *escaped = line ? malloc(escaped_size) : NULL;
  if (escaped) cgym_text_escape(escaped, escaped_size, line);
  free(line);
  return escaped;
}

static int mentions_out_of_memory(const char *text) {
  return strstr(text, "out of memory") || strstr(text, "Out of memory") ||
         strstr(text, "bad_alloc") || strstr(text, "Allocation failed") ||
         strstr(text, "Cannot allocate memory");
}

static void fill_result(cgym_episode_record *record, const char *result_text) {
  json_error_t error;
  json_t *result = json_loads(result_text, 0, &error);
  json_t *actions = result ? json_object_get(result, "actions") : NULL;
  if (!json_is_array(actions)) {
    record->status = CGYM_EPISODE_FAILED;
    record->message = strdup("the worker sent a malformed result");
    json_decref(result);
    return;
  }
  record->c_final = json_integer_value(json_object_get(result, "c_final"));
  record->final_sha256 = strdup(json_string_value(json_object_get(result, "final_sha256")));
  record->steps_taken = json_integer_value(json_object_get(result, "steps_taken"));
  record->action_count = json_array_size(actions);
  record->actions = calloc(record->action_count + 1, sizeof(char *));
  record->pipelines = calloc(record->action_count + 1, sizeof(char *));
  for (size_t i = 0; i < record->action_count && record->actions && record->pipelines; i++) {
    json_t *action = json_array_get(actions, i);
    record->actions[i] = strdup(json_string_value(json_object_get(action, "name")));
    record->pipelines[i] = strdup(json_string_value(json_object_get(action, "pipeline")));
  }
  json_decref(result);
}

/* Turns a finished worker's exit status and messages into its episode record. */
static void finish_record(const worker *slot, const cgym_episode_task *task, int wait_status,
                          cgym_episode_record *record) {
  memset(record, 0, sizeof *record);
  record->benchmark_uri = strdup(task->benchmark_uri);
  record->benchmark_sha256 = strdup(task->benchmark_sha256);
  record->agent = strdup(task->agent->name);
  record->episode = task->episode;
  record->seed = task->seed;
  record->c0 = record->c_oz = record->c_o3 = record->c_final = -1;
  record->steps_taken = 0;
  record->wall_seconds = cgym_monotonic_seconds() - slot->started;

  char *baselines = last_message(slot->messages, "baselines");
  if (baselines) {
    long long c0 = -1, c_oz = -1;
    if (sscanf(baselines, "%lld %lld", &c0, &c_oz) == 2) {
      record->c0 = c0;
      record->c_oz = c_oz;
    }
    free(baselines);
  }

  char *o3 = last_message(slot->messages, "o3");
  if (o3) {
    long long c_o3 = -1;
    if (sscanf(o3, "%lld", &c_o3) == 1) record->c_o3 = c_o3;
    free(o3);
  }

  char *result = last_message(slot->messages, "result");
  int exited_cleanly = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
  if (!slot->timed_out && exited_cleanly && result) {
    record->status = CGYM_EPISODE_OK;
    fill_result(record, result);
    free(result);
    if (record->status == CGYM_EPISODE_OK) return;
  }
  free(result);

  if (slot->timed_out) {
    record->status = CGYM_EPISODE_TIMED_OUT;
    record->signal = SIGKILL;
  } else if (WIFSIGNALED(wait_status)) {
    record->signal = WTERMSIG(wait_status);
    record->status = mentions_out_of_memory(slot->stderr_tail) ? CGYM_EPISODE_OUT_OF_MEMORY
                                                               : CGYM_EPISODE_CRASHED;
  } else if (record->status != CGYM_EPISODE_FAILED) {
    record->exit_code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
    record->status = mentions_out_of_memory(slot->stderr_tail) ? CGYM_EPISODE_OUT_OF_MEMORY
                                                               : CGYM_EPISODE_FAILED;
  }
  record->failed_pipeline = last_message(slot->messages, "pipeline");
  if (!record->message) record->message = last_line(slot->stderr_tail);
  if (!record->message && slot->timed_out) {
    char text[96];
    snprintf(text, sizeof text, "no result within the %.0f s limit", record->wall_seconds);
    record->message = strdup(text);
  }
}

/* Polls the running workers once, for at most timeout_ms; kills those past their deadline. */
static void poll_workers(worker *slots, size_t running, const cgym_worker_limits *limits,
                         int timeout_ms) {
  struct pollfd fds[2 * running];
  for (size_t i = 0; i < running; i++) {
    fds[2 * i] = (struct pollfd){.fd = slots[i].message_fd, .events = POLLIN};
    fds[2 * i + 1] = (struct pollfd){.fd = slots[i].stderr_fd, .events = POLLIN};
  }
  int ready = poll(fds, 2 * running, timeout_ms);
  if (ready > 0) {
    for (size_t i = 0; i < running; i++) {
      if (fds[2 * i].revents) drain(&slots[i], &slots[i].message_fd, 0);
      if (fds[2 * i + 1].revents) drain(&slots[i], &slots[i].stderr_fd, 1);
    }
  }
  if (limits->timeout_seconds == 0) return;
  double now = cgym_monotonic_seconds();
  for (size_t i = 0; i < running; i++) {
    if (!slots[i].timed_out && now - slots[i].started > (double)limits->timeout_seconds) {
      slots[i].timed_out = 1;
      kill(slots[i].pid, SIGKILL);
    }
  }
}

/* Passes the running episode that started first to the heartbeat callback. */
static void report_running(const worker *slots, size_t running, const cgym_episode_task *tasks,
                           size_t finished, size_t count, cgym_worker_heartbeat heartbeat,
                           void *context) {
  size_t longest = 0;
  for (size_t i = 1; i < running; i++)
    if (slots[i].started < slots[longest].started) longest = i;
  heartbeat(context, &tasks[slots[longest].task_index],
            cgym_monotonic_seconds() - slots[longest].started, running, finished, count);
}

int cgym_worker_run_all(const cgym_episode_task *tasks, size_t count,
                        const cgym_worker_limits *limits, cgym_episode_record *records,
                        cgym_worker_progress progress, cgym_worker_heartbeat heartbeat,
                        void *progress_context) {
  unsigned jobs = limits->jobs ? limits->jobs : 1;
  worker *slots = calloc(jobs, sizeof *slots);
  if (!slots) return cgym_error_set(CGYM_ENOMEM, "out of memory for %u workers", jobs);

  memset(records, 0, count * sizeof *records);
  size_t next = 0, running = 0, finished = 0;
  int rc = CGYM_OK;
  while (finished < count) {
    while (rc == CGYM_OK && running < jobs && next < count) {
      rc = start_worker(&slots[running], &tasks[next], next, limits);
      if (rc == CGYM_OK) {
        running++;
        next++;
      }
    }
    if (running == 0) break;

    poll_workers(slots, running, limits, 200);

    for (size_t i = 0; i < running;) {
      worker *slot = &slots[i];
      if (slot->message_fd >= 0 || slot->stderr_fd >= 0) {
        i++;
        continue;
      }
      int status = 0;
      while (waitpid(slot->pid, &status, 0) < 0 && errno == EINTR) {
      }
      const cgym_episode_task *task = &tasks[slot->task_index];
      finish_record(slot, task, status, &records[slot->task_index]);
      free(slot->messages);
      finished++;
      if (progress) progress(progress_context, task, &records[slot->task_index], finished, count);
      slots[i] = slots[--running];
    }
    if (heartbeat && running > 0)
      report_running(slots, running, tasks, finished, count, heartbeat, progress_context);
  }
  free(slots);
  return rc;
}
