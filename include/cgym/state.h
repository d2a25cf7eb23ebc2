#ifndef CGYM_STATE_H
#define CGYM_STATE_H

/*
 * Episode states: the benchmark's URI and the SHA-256 of its bytes, the action space id, and the
 * list of steps taken since the last reset or restart. Replaying a state from a fresh parse of the
 * same bytes gives byte-identical bitcode and identical observations, because every step is one
 * LLVMRunPasses call on a module that was only ever parsed and stepped.
 *
 * Text form, one item per line, each line ending in '\n':
 *
 *   cgym-state 1          ("cgym-state 2" when the state has function or loop steps)
 *   benchmark URI
 *   sha256 HEX            (64 lowercase hex digits, or "-" when not pinned)
 *   action-space ID       (e.g. llvm19-passes-v1)
 *   action NAME           (one per step through cgym_env_step, by action name)
 *   pipeline TEXT         (one per step through cgym_env_step_pipeline)
 *   function INDEX NAME   (one per step through cgym_env_step_function; NAME is an action of
 *                          llvm19-function-passes-v1)
 *   loop INDEX NAME       (one per step through cgym_env_step_loop; NAME is an action of
 *                          llvm19-loop-unroll-v1)
 *
 * CompilerGym's state CSV (columns benchmark, reward, walltime, commandline, where commandline is
 * `opt -flag -flag input.bc -o output.bc`) is read and written by cgym_state_csv_read and
 * cgym_state_csv_write, mapping legacy flags to actions of the pass action space.
 */

#include <stddef.h>

#include "cgym/actions.h"
#include "cgym/env.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a step changes: the whole module, one function or one loop (cgym/targets.h). */
typedef enum cgym_step_kind {
  CGYM_STEP_MODULE = 0,   /* cgym_env_step or cgym_env_step_pipeline */
  CGYM_STEP_FUNCTION = 1, /* cgym_env_step_function */
  CGYM_STEP_LOOP = 2,     /* cgym_env_step_loop */
} cgym_step_kind;

/* One step of a state. A module step sets exactly one of action and pipeline; a function or
 * loop step sets action and target. */
typedef struct cgym_state_step {
  char *action;        /* name of an action in the state's action space, or of the function or
                        * loop action space for those steps; NULL for a pipeline step */
  char *pipeline;      /* a pipeline run through cgym_env_step_pipeline, or NULL */
  cgym_step_kind kind; /* CGYM_STEP_MODULE (0) for action and pipeline steps */
  size_t target;       /* function or loop index of a function or loop step; else 0 */
} cgym_state_step;

/* An episode state. Every string is owned by the state and freed by cgym_state_free. */
typedef struct cgym_state {
  char *benchmark;        /* benchmark URI */
  char sha256[65];        /* lowercase hex SHA-256 of the benchmark's bytes; "" when not pinned */
  char *action_space;     /* action space id, e.g. "llvm19-passes-v1" */
  cgym_state_step *steps; /* step_count steps in order */
  size_t step_count;
} cgym_state;

/* Largest state text or CSV input the parsers accept, 64 MiB: millions of steps. */
#define CGYM_STATE_TEXT_MAX_BYTES ((size_t)64 << 20)

/* Stores the env's episode state in *out, which the caller frees with cgym_state_free. Errors:
 * CGYM_EINVAL, CGYM_ESTATE before reset, CGYM_ENOMEM. */
int cgym_env_state(cgym_state **out, const cgym_env *env);

/*
 * Restarts the env's episode and replays the state's steps. The env must have been reset to the
 * state's benchmark: the SHA-256 of the bytes it read must equal the state's (unless the state is
 * not pinned), and its action space id must equal the state's. Errors: CGYM_EINVAL for NULL,
 * CGYM_ESTATE before reset, CGYM_ECHECKSUM for other benchmark bytes, CGYM_ENOTFOUND for another
 * action space or an action name not in it, and any error of a step, in which case the env holds
 * the steps before the failing one.
 */
int cgym_env_apply_state(cgym_env *env, const cgym_state *state);

/* Writes the state's text form into a malloc'ed string that the caller frees. Errors:
 * CGYM_EINVAL for NULL or a field that contains a newline, CGYM_ENOMEM. */
int cgym_state_format(char **out, const cgym_state *state);

/* Parses the text form. Errors: CGYM_EINVAL for NULL, CGYM_ELIMIT above
 * CGYM_STATE_TEXT_MAX_BYTES, CGYM_EFORMAT naming the line that does not follow the form,
 * CGYM_ENOMEM. */
int cgym_state_parse(cgym_state **out, const char *text);

void cgym_state_free(cgym_state *state);

/* One row of a CompilerGym state CSV. */
typedef struct cgym_csv_row {
  cgym_state *state;     /* benchmark and the steps whose flags map to the pass action space;
                          * not pinned (sha256 ""); owned */
  int has_reward;        /* 0 when the reward column is empty */
  double reward;         /* cumulative episode reward as recorded */
  double walltime;       /* seconds; 0 when the column is empty */
  char **unmapped;       /* legacy flags with no LLVM 19 action, in order; owned */
  size_t unmapped_count; /* a row with unmapped flags cannot be replayed exactly */
} cgym_csv_row;

/*
 * Parses a CompilerGym state CSV, with or without its header row (columns in any order when the
 * header is present), into *rows (row_count of them), which the caller frees with
 * cgym_csv_rows_free. Errors: CGYM_EINVAL for NULL, CGYM_ELIMIT above CGYM_STATE_TEXT_MAX_BYTES,
 * CGYM_EFORMAT naming the line of a malformed row or a commandline that is not
 * `opt ... input.bc -o output.bc`, CGYM_ENOMEM.
 */
int cgym_state_csv_read(cgym_csv_row **rows, size_t *row_count, const char *text);

void cgym_csv_rows_free(cgym_csv_row *rows, size_t row_count);

/*
 * Writes the header row and one row for the state into a malloc'ed string that the caller frees.
 * has_reward 0 leaves the reward column empty. Errors: CGYM_EINVAL for a state whose action
 * space is not the pass action space, or with a step that has no CompilerGym flag (pipeline steps
 * and cgym-only actions, named in the message); CGYM_ENOMEM.
 */
int cgym_state_csv_write(char **out, const cgym_state *state, int has_reward, double reward,
                         double walltime);

#ifdef __cplusplus
}
#endif

#endif
