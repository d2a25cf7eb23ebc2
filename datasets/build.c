/*
 * Module builds. Each source is compiled by its own clang process. Worker threads keep up to
 * CGYM_BUILD_MAX_JOBS of them running (bounded by the cores), because clang dominates the time
 * of a suite's build. The objects go to a temporary folder next to the output, llvm-link joins
 * them into a temporary file, and only a linked module that LLVM parses and verifies is renamed
 * to the output.
 */
#include "datasets/build.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgym/env.h"
#include "datasets/cache.h"
#include "datasets/process.h"
#include "env/error_internal.h"

#define COMMAND_TEXT_MAX 1024
#define ERROR_TEXT_MAX 4096

int cgym_string_list_append(cgym_string_list *list, const char *text) {
  char **items = realloc(list->items, (list->count + 1) * sizeof *items);
  if (!items) return cgym_error_set(CGYM_ENOMEM, "out of memory adding \"%s\"", text);
  list->items = items;
  items[list->count] = strdup(text);
  if (!items[list->count]) return cgym_error_set(CGYM_ENOMEM, "out of memory adding \"%s\"", text);
  list->count++;
  return CGYM_OK;
}

/* ---- tools ------------------------------------------------------------------------------ */

static int tool_version(const char *tool, char **out) {
  char *argv[] = {(char *)tool, "--version", NULL};
  cgym_process_result result;
  char line[256];

  int rc = cgym_process_run(argv, NULL, CGYM_PROCESS_STDOUT_TO_STDERR, 60, &result);
  if (rc != CGYM_OK) return rc;
  if (result.exit_code != 0) {
    cgym_process_result_clear(&result);
    return cgym_error_set(CGYM_EBUILD, "%s --version failed; check the LLVM 19 installation",
                          tool);
  }
  cgym_first_line(result.stderr_text, line, sizeof line);
  cgym_process_result_clear(&result);
  *out = strdup(line);
  if (!*out) return cgym_error_set(CGYM_ENOMEM, "out of memory reading %s's version", tool);
  return CGYM_OK;
}

static int find_tool(const char *name, char **path) {
  *path = cgym_format("%s/%s", CGYM_LLVM_BIN_DIR, name);
  if (!*path) return cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", name);
  if (access(*path, X_OK) != 0)
    return cgym_error_set(CGYM_ENOTFOUND, "%s not found at %s; install clang-19 and llvm-19",
                          name, *path);
  return CGYM_OK;
}

int cgym_build_tools_find(cgym_build_tools *tools) {
  memset(tools, 0, sizeof *tools);
  int rc = find_tool("clang", &tools->clang);
  if (rc == CGYM_OK) rc = find_tool("llvm-link", &tools->llvm_link);
  if (rc == CGYM_OK) rc = tool_version(tools->clang, &tools->clang_version);
  if (rc == CGYM_OK) rc = tool_version(tools->llvm_link, &tools->llvm_link_version);
  if (rc != CGYM_OK) cgym_build_tools_clear(tools);
  return rc;
}

void cgym_build_tools_clear(cgym_build_tools *tools) {
  free(tools->clang);
  free(tools->llvm_link);
  free(tools->clang_version);
  free(tools->llvm_link_version);
  memset(tools, 0, sizeof *tools);
}

/* ---- flags and recipe ------------------------------------------------------------------- */

int cgym_build_flags(const cgym_suite *suite, const cgym_suite_benchmark *benchmark,
                     cgym_string_list *flags) {
  static const char *const defaults[] = {CGYM_BUILD_DEFAULT_CFLAGS, NULL};
  int rc = CGYM_OK;

  if (!suite->has_cflags) {
    for (const char *const *flag = defaults; *flag && rc == CGYM_OK; flag++)
      rc = cgym_string_list_append(flags, *flag);
  }
  for (size_t i = 0; i < suite->cflags.count && rc == CGYM_OK; i++)
    rc = cgym_string_list_append(flags, suite->cflags.items[i]);
  for (size_t i = 0; i < benchmark->cflags.count && rc == CGYM_OK; i++)
    rc = cgym_string_list_append(flags, benchmark->cflags.items[i]);
  for (size_t i = 0; i < benchmark->defines.count && rc == CGYM_OK; i++) {
    char *flag = cgym_format("-D%s", benchmark->defines.items[i]);
    rc = flag ? cgym_string_list_append(flags, flag) : cgym_error_set(CGYM_ENOMEM, "out of memory");
    free(flag);
  }
  for (size_t i = 0; i < benchmark->include_dirs.count && rc == CGYM_OK; i++) {
    const char *folder = benchmark->include_dirs.items[i];
    char *flag = cgym_format("-I%s", *folder ? folder : ".");
    rc = flag ? cgym_string_list_append(flags, flag) : cgym_error_set(CGYM_ENOMEM, "out of memory");
    free(flag);
  }
  return rc;
}

char *cgym_build_recipe(const cgym_build_tools *tools, const cgym_string_list *flags) {
  size_t length = 0;
  for (size_t i = 0; i < flags->count; i++) length += strlen(flags->items[i]) + 1;

  char *joined = calloc(1, length + 1);
  if (!joined) return NULL;
  for (size_t i = 0; i < flags->count; i++) {
    if (i > 0) strcat(joined, " ");
    strcat(joined, flags->items[i]);
  }
  char *recipe = cgym_format("%s; %s; clang -c -emit-llvm %s; llvm-link", tools->clang_version,
                             tools->llvm_link_version, joined);
  free(joined);
  return recipe;
}

/* ---- running one tool ------------------------------------------------------------------ */

static void command_text(char *const argv[], char *out, size_t size) {
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; argv[i] && used + 4 < size; i++) {
    int written = snprintf(out + used, size - used, "%s%s", i ? " " : "", argv[i]);
    if (written < 0) break;
    used += (size_t)written;
  }
  if (used >= size - 1) strcpy(out + size - 4, "...");
}

/* Prefers the first line that names an error, because clang prints warnings and notes first. */
static void first_error_line(const char *text, char *out, size_t size) {
  const char *error = strstr(text, "error:");
  if (!error) {
    cgym_first_line(text, out, size);
    return;
  }
  while (error > text && error[-1] != '\n') error--;
  cgym_first_line(error, out, size);
}

int cgym_build_run_tool(const char *uri, char *const argv[], const char *cwd,
                        int timeout_seconds) {
  cgym_process_result result;
  char command[COMMAND_TEXT_MAX];
  char detail[512];

  int rc = cgym_process_run(argv, cwd, NULL, timeout_seconds, &result);
  if (rc != CGYM_OK) return rc;
  if (result.exit_code == 0) {
    cgym_process_result_clear(&result);
    return CGYM_OK;
  }

  command_text(argv, command, sizeof command);
  first_error_line(result.stderr_text, detail, sizeof detail);
  if (result.timed_out)
    rc = cgym_error_set(CGYM_EBUILD, "building %s: `%s` timed out after %d s", uri, command,
                        timeout_seconds);
  else if (result.signal)
    rc = cgym_error_set(CGYM_EBUILD, "building %s: `%s` was killed by signal %d: %s", uri,
                        command, result.signal, detail);
  else
    rc = cgym_error_set(CGYM_EBUILD, "building %s: `%s` failed with exit status %d: %s", uri,
                        command, result.exit_code, detail);
  cgym_process_result_clear(&result);
  return rc;
}

/* ---- parallel compiles ------------------------------------------------------------------ */

typedef struct compile_job {
  int rc;
  char message[ERROR_TEXT_MAX];
} compile_job;

typedef struct compile_pool {
  const cgym_build_tools *tools;
  const cgym_build_request *request;
  const char *object_dir;
  compile_job *jobs;
  size_t next;
  pthread_mutex_t lock;
} compile_pool;

static int compile_one(const compile_pool *pool, size_t index) {
  const cgym_build_request *request = pool->request;
  size_t argc = 0;
  char *object = cgym_format("%s/%zu.bc", pool->object_dir, index);
  char **argv = calloc(request->flags->count + 8, sizeof *argv);
  int rc;

  if (!object || !argv) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory building %s", request->uri);
    goto done;
  }
  argv[argc++] = pool->tools->clang;
  argv[argc++] = "-c";
  argv[argc++] = "-emit-llvm";
  for (size_t i = 0; i < request->flags->count; i++) argv[argc++] = request->flags->items[i];
  argv[argc++] = request->sources->items[index];
  argv[argc++] = "-o";
  argv[argc++] = object;
  argv[argc] = NULL;
  rc = cgym_build_run_tool(request->uri, argv, request->source_dir,
                           CGYM_BUILD_COMPILE_TIMEOUT_SECONDS);

done:
  free(argv);
  free(object);
  return rc;
}

/* Worker thread: takes the next source until none is left. The error message is thread-local,
 * so each job keeps a copy for the thread that reports it. */
static void *compile_worker(void *context) {
  compile_pool *pool = context;

  for (;;) {
    pthread_mutex_lock(&pool->lock);
    size_t index = pool->next++;
    pthread_mutex_unlock(&pool->lock);
    if (index >= pool->request->sources->count) return NULL;

    compile_job *job = &pool->jobs[index];
    job->rc = compile_one(pool, index);
    if (job->rc != CGYM_OK) snprintf(job->message, sizeof job->message, "%s", cgym_error_message());
  }
}

static size_t worker_count(size_t sources) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  size_t count = cores > 0 ? (size_t)cores : 1;
  if (count > CGYM_BUILD_MAX_JOBS) count = CGYM_BUILD_MAX_JOBS;
  return count < sources ? count : sources;
}

static int compile_all(const cgym_build_tools *tools, const cgym_build_request *request,
                       const char *object_dir) {
  size_t sources = request->sources->count;
  pthread_t threads[CGYM_BUILD_MAX_JOBS];
  compile_pool pool = {tools, request, object_dir, calloc(sources, sizeof(compile_job)), 0,
                       PTHREAD_MUTEX_INITIALIZER};
  size_t started = 0;

  if (!pool.jobs) return cgym_error_set(CGYM_ENOMEM, "out of memory building %s", request->uri);
  for (size_t i = 0; i < worker_count(sources); i++) {
    if (pthread_create(&threads[i], NULL, compile_worker, &pool) != 0) break;
    started++;
  }
  if (started == 0) compile_worker(&pool);
  for (size_t i = 0; i < started; i++) pthread_join(threads[i], NULL);

  int rc = CGYM_OK;
  for (size_t i = 0; i < sources && rc == CGYM_OK; i++) {
    if (pool.jobs[i].rc != CGYM_OK) rc = cgym_error_set(pool.jobs[i].rc, "%s", pool.jobs[i].message);
  }
  free(pool.jobs);
  return rc;
}

/* ---- link and check --------------------------------------------------------------------- */

static int link_objects(const cgym_build_tools *tools, const cgym_build_request *request,
                        const char *object_dir, const char *linked) {
  size_t count = request->sources->count;
  char **argv = calloc(count + 4, sizeof *argv);
  int rc = CGYM_OK;

  if (!argv) return cgym_error_set(CGYM_ENOMEM, "out of memory linking %s", request->uri);
  argv[0] = tools->llvm_link;
  argv[1] = "-o";
  argv[2] = (char *)linked;
  for (size_t i = 0; i < count && rc == CGYM_OK; i++) {
    argv[3 + i] = cgym_format("%s/%zu.bc", object_dir, i);
    if (!argv[3 + i]) rc = cgym_error_set(CGYM_ENOMEM, "out of memory linking %s", request->uri);
  }
  if (rc == CGYM_OK)
    rc = cgym_build_run_tool(request->uri, argv, object_dir, CGYM_BUILD_LINK_TIMEOUT_SECONDS);
  for (size_t i = 0; i < count; i++) free(argv[3 + i]);
  free(argv);
  return rc;
}

/* Checks the bitcode magic 'BC' 0xC0DE, then parses and verifies the module through the env,
 * so a module that LLVM cannot load never reaches a final cache name. */
static int check_bitcode(const char *uri, const char *path) {
  static const unsigned char magic[4] = {'B', 'C', 0xC0, 0xDE};
  unsigned char head[4] = {0};
  cgym_env *env = NULL;

  FILE *file = fopen(path, "rb");
  if (!file) return cgym_error_set(CGYM_EIO, "cannot open %s: %s", path, strerror(errno));
  size_t count = fread(head, 1, sizeof head, file);
  fclose(file);
  if (count != sizeof head || memcmp(head, magic, sizeof magic) != 0)
    return cgym_error_set(CGYM_EBUILD, "building %s: llvm-link wrote %s, which is not LLVM "
                          "bitcode", uri, path);

  int rc = cgym_env_create(&env, NULL);
  if (rc == CGYM_OK) rc = cgym_env_reset(env, uri, path);
  cgym_env_free(env);
  if (rc == CGYM_OK) return CGYM_OK;
  char reason[2048];
  snprintf(reason, sizeof reason, "%s", cgym_error_message());
  return cgym_error_set(CGYM_EBUILD, "building %s: the linked module does not load: %s", uri,
                        reason);
}

static char *folder_of(const char *path) {
  char *folder = strdup(path);
  char *slash = folder ? strrchr(folder, '/') : NULL;
  if (slash) *slash = '\0';
  return folder;
}

int cgym_build_module(const cgym_build_tools *tools, const cgym_build_request *request) {
  char *folder = folder_of(request->output);
  char *object_dir = NULL;
  char *linked = NULL;
  int rc;

  if (!folder) return cgym_error_set(CGYM_ENOMEM, "out of memory building %s", request->uri);
  rc = cgym_temp_dir(folder, &object_dir);
  if (rc != CGYM_OK) goto done;
  linked = cgym_format("%s/linked.bc", object_dir);
  if (!linked) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory building %s", request->uri);
    goto done;
  }

  rc = compile_all(tools, request, object_dir);
  if (rc == CGYM_OK) rc = link_objects(tools, request, object_dir, linked);
  if (rc == CGYM_OK) rc = check_bitcode(request->uri, linked);
  if (rc == CGYM_OK && rename(linked, request->output) != 0)
    rc = cgym_error_set(CGYM_EIO, "cannot rename %s to %s: %s", linked, request->output,
                        strerror(errno));

done:
  if (object_dir) cgym_remove_tree(object_dir);
  free(object_dir);
  free(linked);
  free(folder);
  return rc;
}
