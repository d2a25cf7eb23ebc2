#ifndef CGYM_DATASETS_PROCESS_H
#define CGYM_DATASETS_PROCESS_H

/*
 * Running a tool (clang, llvm-link, csmith) or a benchmark's program as a child process: no
 * shell, stdin from /dev/null or a file, stderr captured (stdout too on request), and a timeout
 * after which the child's whole process group is killed.
 */

#include <stddef.h>
#include <stdint.h>

#define CGYM_PROCESS_MAX_STDERR (64 * 1024) /* stderr beyond this is read and dropped */

/* As stdout_path: send stdout into the captured stderr text (for --version output). */
#define CGYM_PROCESS_STDOUT_TO_STDERR "-"

typedef struct cgym_process_result {
  int exit_code;     /* the exit status when the child exited on its own, else -1 */
  int signal;        /* the signal that ended the child, 0 when it exited */
  int timed_out;     /* nonzero when the timeout killed the child */
  char *stderr_text; /* malloc'ed, NUL-terminated */
  char *stdout_data; /* with stdout_max: malloc'ed, the first stdout_size bytes of stdout */
  size_t stdout_size;
  uint64_t stdout_total; /* bytes the child wrote to stdout, kept or not */
} cgym_process_result;

/* Everything about a child but its arguments. Zero fields take the defaults noted. */
typedef struct cgym_process_options {
  const char *program;     /* file to execute; NULL: argv[0], looked up in PATH */
  char *const *envp;       /* NULL: the caller's environment */
  const char *cwd;         /* NULL: the caller's folder */
  const char *stdin_path;  /* NULL: /dev/null */
  const char *stdout_path; /* as for cgym_process_run; ignored with stdout_max */
  size_t stdout_max;       /* nonzero: capture stdout, keeping at most this many bytes */
  int timeout_seconds;
} cgym_process_options;

/*
 * Runs argv (argv[0] is looked up in PATH unless it contains '/') in folder cwd (NULL: the
 * caller's). stdout goes to stdout_path (created or truncated), or to /dev/null when it is NULL.
 * Returns CGYM_OK once the child has ended, whatever its status; CGYM_ENOTFOUND when the program
 * does not exist, CGYM_EIO when it cannot be started.
 */
int cgym_process_run(char *const argv[], const char *cwd, const char *stdout_path,
                     int timeout_seconds, cgym_process_result *result);

/* cgym_process_run with every option. Output past stdout_max is read and counted in
 * stdout_total but not kept, so a child that writes more does not stall on a full pipe. */
int cgym_process_run_with(char *const argv[], const cgym_process_options *options,
                          cgym_process_result *result);

void cgym_process_result_clear(cgym_process_result *result);

/* Copies the first non-empty line of text into out (at most size - 1 bytes). */
void cgym_first_line(const char *text, char *out, size_t size);

#endif
