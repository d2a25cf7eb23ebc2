/*
 * Preparing one run of a benchmark's program: a temporary folder, copies of the input files in
 * its run folder, and the command line with the fixed environment.
 *
 * The environment holds only PATH, LC_ALL and TZ, plus what the run spec adds. Programs print
 * dates, sort names and format numbers according to it, so a variable inherited from the
 * caller's shell would make the expected digests depend on who runs the check.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "datasets/cache.h"
#include "datasets/prepare_internal.h"
#include "datasets/program_run.h"
#include "env/error_internal.h"
#include "env/file_io.h"

#define PLACEHOLDER_PREFIX "{input:"

/* Every input file gets this access and modification time, 2000-01-01 00:00:00 UTC, because
 * programs such as jhead print a file's date and the copy's own time would change the output. */
#define INPUT_FILE_TIME 946684800

static const char *const fixed_environment[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", "TZ=UTC"};
#define FIXED_ENVIRONMENT_COUNT (sizeof fixed_environment / sizeof fixed_environment[0])

/* The folder's path is made absolute, because the executable inside it is started after the
 * change into the run folder. */
int cgym_program_work_dir(const char *configured, char **temp) {
  const char *base = configured;
  if (!base || !*base) base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  char *created = NULL;
  int rc = cgym_temp_dir(base, &created);
  if (rc != CGYM_OK) return rc;

  *temp = realpath(created, NULL);
  if (*temp) {
    free(created);
    return CGYM_OK;
  }
  rc = cgym_error_set(CGYM_EIO, "cannot resolve the temporary folder %s: %s", created,
                      strerror(errno));
  cgym_remove_tree(created);
  free(created);
  return rc;
}

/* ---- inputs ----------------------------------------------------------------------------- */

/* Creates the folders above path inside run_dir. */
static int make_parents(const char *destination) {
  char *folder = strdup(destination);
  if (!folder) return cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", destination);
  char *slash = strrchr(folder, '/');
  if (slash) *slash = '\0';
  int rc = cgym_make_dirs(folder);
  free(folder);
  return rc;
}

static int copy_from_tree(const cgym_prepare_run *run, const cgym_run_input *input,
                          const char *destination) {
  const cgym_suite_archive *archive = &run->suite->archives[input->archive];
  struct stat info;
  char *source = cgym_format("%s/%s", run->tree_paths[input->archive], input->from);
  if (!source) return cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", input->from);

  int rc = CGYM_OK;
  if (stat(source, &info) != 0 || !S_ISREG(info.st_mode))
    rc = cgym_error_set(CGYM_ENOTFOUND,
                        "input %s: file \"%s\" not found in archive %s; check "
                        "its \"from\" path, which starts at the archive's top folder",
                        input->path, input->from, archive->file);
  if (rc == CGYM_OK) rc = cgym_copy_file(source, destination);
  free(source);
  return rc;
}

static int set_fixed_time(const char *path) {
  const struct timespec times[2] = {{INPUT_FILE_TIME, 0}, {INPUT_FILE_TIME, 0}};
  if (utimensat(AT_FDCWD, path, times, 0) == 0) return CGYM_OK;
  return cgym_error_set(CGYM_EIO, "cannot set the time of %s: %s", path, strerror(errno));
}

static int place_input(cgym_prepare_run *run, const cgym_run_input *input, const char *run_dir) {
  char *destination = cgym_format("%s/%s", run_dir, input->path);
  if (!destination) return cgym_error_set(CGYM_ENOMEM, "out of memory naming %s", input->path);

  int rc = make_parents(destination);
  if (rc == CGYM_OK && input->from) rc = cgym_prepare_provide_tree(run, input->archive);
  if (rc == CGYM_OK && input->from) rc = copy_from_tree(run, input, destination);
  if (rc == CGYM_OK && input->text)
    rc = cgym_file_write_atomic(destination, input->text, strlen(input->text), 0644, 1);
  if (rc == CGYM_OK) rc = set_fixed_time(destination);
  free(destination);
  return rc;
}

/* Holds the cache lock while copying, so no concurrent `suites remove` takes a tree away
 * halfway; the trees themselves are never changed once extracted. */
int cgym_program_inputs_place(cgym_suite *suite, const cgym_suite_benchmark *benchmark,
                              const cgym_prepare_options *prepare, const char *run_dir) {
  static const cgym_prepare_options defaults = CGYM_PREPARE_OPTIONS_INIT;
  const cgym_run_spec *spec = benchmark->run;
  cgym_prepare_run run = {suite, prepare ? prepare : &defaults, {NULL, -1}, {0}, NULL, NULL};

  if (spec->input_count == 0) return CGYM_OK;
  run.prepared = calloc(1, sizeof *run.prepared);
  run.tree_paths = calloc(suite->archive_count, sizeof *run.tree_paths);
  if (run.prepared)
    run.prepared->archives = calloc(suite->archive_count, sizeof(cgym_archive_record));
  int rc = run.prepared && run.tree_paths && run.prepared->archives
               ? CGYM_OK
               : cgym_error_set(CGYM_ENOMEM, "out of memory preparing the inputs of %s",
                                benchmark->name);
  if (rc == CGYM_OK)
    rc = cgym_cache_open(&run.cache, run.opts->cache_dir, run.opts->progress,
                         run.opts->progress_context);
  for (size_t i = 0; i < spec->input_count && rc == CGYM_OK; i++)
    rc = place_input(&run, &spec->inputs[i], run_dir);

  for (size_t i = 0; run.tree_paths && i < suite->archive_count; i++)
    free(run.tree_paths[i]);
  free(run.tree_paths);
  cgym_prepared_suite_free(run.prepared);
  cgym_cache_close(&run.cache);
  return rc;
}

/* ---- command line ----------------------------------------------------------------------- */

/* Returns arg with every "{input:PATH}" replaced by PATH, which the run folder holds. The
 * parser has checked that every placeholder is closed and names an input. */
static char *expand_placeholders(const char *arg) {
  size_t prefix = strlen(PLACEHOLDER_PREFIX);
  char *out = malloc(strlen(arg) + 1);
  if (!out) return NULL;

  char *write = out;
  for (const char *read = arg; *read;) {
    const char *end = strncmp(read, PLACEHOLDER_PREFIX, prefix) == 0 ? strchr(read, '}') : NULL;
    if (!end) {
      *write++ = *read++;
      continue;
    }
    size_t length = (size_t)(end - read) - prefix;
    memcpy(write, read + prefix, length);
    write += length;
    read = end + 1;
  }
  *write = '\0';
  return out;
}

static int make_argv(const cgym_run_spec *spec, const char *name, char ***out) {
  char **argv = calloc(spec->args.count + 2, sizeof *argv);
  if (!argv) return cgym_error_set(CGYM_ENOMEM, "out of memory building the command of %s", name);
  *out = argv;
  argv[0] = strdup(name);
  if (!argv[0])
    return cgym_error_set(CGYM_ENOMEM, "out of memory building the command of %s", name);
  for (size_t i = 0; i < spec->args.count; i++) {
    argv[i + 1] = expand_placeholders(spec->args.items[i]);
    if (!argv[i + 1])
      return cgym_error_set(CGYM_ENOMEM, "out of memory building the command of %s", name);
  }
  return CGYM_OK;
}

/* Returns nonzero when the NAME=VALUE entries a and b set the same variable. */
static int same_variable(const char *a, const char *b) {
  size_t length = strcspn(a, "=");
  return strncmp(a, b, length) == 0 && b[length] == '=';
}

/* The fixed variables, each replaced by the spec's entry of the same name, then the spec's
 * other entries. */
static int make_envp(const cgym_run_spec *spec, char ***out) {
  char **envp = calloc(FIXED_ENVIRONMENT_COUNT + spec->env.count + 1, sizeof *envp);
  size_t count = 0;
  if (!envp) return cgym_error_set(CGYM_ENOMEM, "out of memory building an environment");
  *out = envp;

  for (size_t i = 0; i < FIXED_ENVIRONMENT_COUNT; i++) {
    const char *entry = fixed_environment[i];
    for (size_t j = 0; j < spec->env.count; j++) {
      if (same_variable(entry, spec->env.items[j])) entry = spec->env.items[j];
    }
    if (!(envp[count++] = strdup(entry)))
      return cgym_error_set(CGYM_ENOMEM, "out of memory building an environment");
  }
  for (size_t j = 0; j < spec->env.count; j++) {
    int fixed = 0;
    for (size_t i = 0; i < FIXED_ENVIRONMENT_COUNT; i++)
      fixed |= same_variable(fixed_environment[i], spec->env.items[j]);
    if (!fixed && !(envp[count++] = strdup(spec->env.items[j])))
      return cgym_error_set(CGYM_ENOMEM, "out of memory building an environment");
  }
  return CGYM_OK;
}

int cgym_program_command_make(const cgym_run_spec *spec, const char *name, const char *run_dir,
                              cgym_program_command *out) {
  memset(out, 0, sizeof *out);
  int rc = make_argv(spec, name, &out->argv);
  if (rc == CGYM_OK) rc = make_envp(spec, &out->envp);
  if (rc == CGYM_OK && spec->stdin_path &&
      !(out->stdin_path = cgym_format("%s/%s", run_dir, spec->stdin_path)))
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory naming the stdin of %s", name);
  if (rc != CGYM_OK) cgym_program_command_clear(out);
  return rc;
}

static void free_vector(char **vector) {
  for (size_t i = 0; vector && vector[i]; i++)
    free(vector[i]);
  free(vector);
}

void cgym_program_command_clear(cgym_program_command *command) {
  free_vector(command->argv);
  free_vector(command->envp);
  free(command->stdin_path);
  memset(command, 0, sizeof *command);
}
