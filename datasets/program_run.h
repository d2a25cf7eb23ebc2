#ifndef CGYM_DATASETS_PROGRAM_RUN_H
#define CGYM_DATASETS_PROGRAM_RUN_H

/*
 * The parts of cgym_suite_run_program that prepare a run (program_input.c): the temporary
 * folder, the input files and the command line with its fixed environment.
 */

#include "cgym/suites.h"
#include "datasets/suite_internal.h"

/* The command of one run. Every pointer is malloc'ed and owned by the command. */
typedef struct cgym_program_command {
  char **argv;      /* argv[0] is the benchmark's name, then the spec's args with every
                       "{input:PATH}" replaced by PATH; NULL-terminated */
  char **envp;      /* the fixed environment with the spec's additions; NULL-terminated */
  char *stdin_path; /* absolute path of the stdin input, or NULL for /dev/null */
} cgym_program_command;

/* Creates a temporary folder under configured, else $TMPDIR, else /tmp. */
int cgym_program_work_dir(const char *configured, char **temp);

/* Copies every input of benchmark's run spec into run_dir: files of extracted archives (fetched
 * and extracted first when the cache lacks them, under the cache lock) and inline texts.
 * Errors: CGYM_ENOTFOUND naming an input missing from its archive or not a regular file, the
 * errors of fetching and extracting, CGYM_EIO. */
int cgym_program_inputs_place(cgym_suite *suite, const cgym_suite_benchmark *benchmark,
                              const cgym_prepare_options *prepare, const char *run_dir);

int cgym_program_command_make(const cgym_run_spec *spec, const char *name, const char *run_dir,
                              cgym_program_command *out);
void cgym_program_command_clear(cgym_program_command *command);

#endif
