#ifndef CGYM_TARGETS_H
#define CGYM_TARGETS_H

/*
 * Finer actions: a pass on one chosen function, and one chosen loop unrolled by a chosen factor.
 * Each level has its own action space and its own observation of the choices available:
 * cgym_env_functions and cgym_env_loops here, and the "Functions" and "Loops" observations, which
 * give the same lists as JSON text. Steps of both levels can be mixed with ordinary steps in one episode;
 * states record them (cgym/state.h), so replay and fork reproduce them exactly.
 *
 * Function indices count the functions that have a body, in module order. Loop indices count
 * natural loops over the whole module: by function index, then by the position of the loop's
 * header block in its function. Both lists are computed from the current module, so an index
 * names a function or a loop of the state it was read in. A step can add, remove or reorder
 * functions and loops.
 *
 * Semantics, which replay relies on:
 *  - Function step: every other function with a body gets LLVM's optnone attribute, the action's
 *    pipeline runs in one LLVMRunPasses call, and the attribute is removed again. LLVM skips
 *    optnone functions for function and loop passes, so only the chosen function changes. A
 *    chosen function that already has optnone is left unchanged by the step. The action space
 *    holds only function and loop passes that LLVM does not run on optnone functions.
 *  - Unroll step: the chosen loop gets the loop metadata llvm.loop.unroll.count FACTOR (replacing
 *    any llvm.loop.unroll entries it had), every other loop of its function gets
 *    llvm.loop.unroll.disable, every other function gets optnone, and the pipeline "loop-unroll"
 *    runs. Afterwards every loop whose metadata the step set, and that LLVM did not replace,
 *    gets its original metadata back, and optnone is removed. LLVM may decline to unroll (for
 *    example when the trip count cannot be computed and a runtime remainder cannot be built); the
 *    step then leaves the module unchanged apart from loop-simplify and LCSSA form, which
 *    loop-unroll establishes before it decides.
 */

#include <stddef.h>
#include <stdint.h>

#include "cgym/actions.h"
#include "cgym/env.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the function pass action space ("llvm19-function-passes", version 1). It has the
 * actions of the pass action space whose passes run on one function or loop at a time, in the
 * same order. It leaves out the passes that LLVM runs even on optnone functions:
 * add-discriminators, coro-elide, ee-instrument, post-inline-ee-instrument, lower-atomic and
 * lower-matrix-intrinsics. Static. */
const cgym_action_space *cgym_action_space_function_passes(void);

/* Returns the loop unroll action space ("llvm19-loop-unroll", version 1): one action per unroll
 * factor, named "unroll-2", "unroll-3", "unroll-4", "unroll-8", "unroll-16" and "unroll-32".
 * Every action's pipeline is "loop-unroll". Static. */
const cgym_action_space *cgym_action_space_loop_unroll(void);

/* Returns the unroll factor of an action of cgym_action_space_loop_unroll(), or 0 for an index
 * out of range. */
unsigned cgym_loop_unroll_factor(size_t action);

/* One function with a body. */
typedef struct cgym_function_info {
  char *name;           /* the function's name; "" for an unnamed function; owned by the list */
  int64_t instructions; /* instructions in its body */
  int64_t blocks;       /* basic blocks */
  int64_t loops;        /* natural loops, nested ones included */
  int optnone;          /* 1 when the function has the optnone attribute: steps leave it alone */
} cgym_function_info;

/* One natural loop: a header block that dominates the source of a back edge to it, with every
 * block that reaches such a source without passing the header. Unreachable blocks and cycles
 * with more than one entry are not loops. */
typedef struct cgym_loop_info {
  size_t function;       /* index of its function */
  int64_t parent;        /* index of the innermost loop containing it, or -1 */
  int64_t depth;         /* 1 for an outermost loop */
  int64_t blocks;        /* blocks of the loop, nested loops included */
  int64_t instructions;  /* instructions in those blocks */
  int64_t latches;       /* blocks with a back edge to the header */
  int64_t exits;         /* edges from the loop to blocks outside it */
  /* Number of times the header runs per entry, when a simple pattern gives it: a header phi
   * with a constant start and a constant step, compared with a constant in the header or the
   * only latch. -1 when unknown. Loops still in memory (before mem2reg or sroa) have no phi, so
   * their hint is -1. A hint only: the loop can also exit elsewhere. */
  int64_t trip_count_hint;
} cgym_loop_info;

/* Stores the functions with a body of the current module in *out (count in *count); free with
 * cgym_function_list_free. Errors: CGYM_EINVAL, CGYM_ESTATE before reset or after a step left an
 * invalid module, CGYM_ENOMEM. */
int cgym_env_functions(cgym_env *env, cgym_function_info **out, size_t *count);

void cgym_function_list_free(cgym_function_info *functions, size_t count);

/* Stores the natural loops of the current module in *out (count in *count); free with free().
 * Errors as cgym_env_functions. */
int cgym_env_loops(cgym_env *env, cgym_loop_info **out, size_t *count);

/*
 * Runs action `action` of cgym_action_space_function_passes() on function `function` only.
 * Rewards and the module verifier follow cgym_env_step. Errors: those of cgym_env_step, and
 * CGYM_EINVAL for an action or function index out of range, with the range in the message. An
 * index error leaves the env unchanged.
 */
int cgym_env_step_function(cgym_env *env, size_t function, size_t action, double *reward);

/*
 * Unrolls loop `loop` by the factor of action `action` of cgym_action_space_loop_unroll().
 * Rewards and the verifier follow cgym_env_step. Errors: those of cgym_env_step, and CGYM_EINVAL
 * for an action or loop index out of range. An index error leaves the env unchanged.
 */
int cgym_env_step_loop(cgym_env *env, size_t loop, size_t action, double *reward);

#ifdef __cplusplus
}
#endif

#endif
