#ifndef CGYM_ACTIONS_H
#define CGYM_ACTIONS_H

/*
 * Action spaces. The pass action space: a fixed, ordered list of LLVM 19 new-pass-manager pipelines, one per
 * action. The order follows CompilerGym's LLVM action space (sorted by LLVM 10 pass class name)
 * with the passes that LLVM 19 no longer has left out, so a CompilerGym flag maps to one action
 * by name. The space is identified by its name, version and the SHA-256 of its ordered pipelines.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cgym_action_space cgym_action_space;

/* One action. All strings are static and owned by the library. */
typedef struct cgym_action {
  const char *name;        /* LLVM 19 pass name, e.g. "instcombine" */
  const char *legacy_flag; /* CompilerGym flag, e.g. "-instcombine"; NULL for cgym-only actions */
  const char *pipeline;    /* exact string passed to LLVMRunPasses */
} cgym_action;

/* Returns the built-in pass action space ("llvm19-passes", version 1). The pointer is static;
 * never free it. */
const cgym_action_space *cgym_action_space_passes(void);

/* Returns the pipeline action space ("llvm19-pipelines", version 1): the standard LLVM 19 levels
 * as actions O0, O1, O2, O3, Os and Oz, whose pipelines are "default<O0>" to "default<Oz>". The
 * pointer is static; never free it. */
const cgym_action_space *cgym_action_space_pipelines(void);

/* Returns the space's identifier "NAME-vVERSION", e.g. "llvm19-passes-v1". Static string. */
const char *cgym_action_space_id(const cgym_action_space *space);

/* Returns the lowercase hex SHA-256 over "name\tpipeline\n" of every action in order. Static. */
const char *cgym_action_space_hash(const cgym_action_space *space);

size_t cgym_action_space_size(const cgym_action_space *space);

/* Returns the action at index, or NULL when index >= size. */
const cgym_action *cgym_action_space_get(const cgym_action_space *space, size_t index);

/*
 * Looks an action up by LLVM 19 name ("flatten-cfg") or CompilerGym flag ("-flattencfg") and
 * stores its index in *index. An empty name gives CGYM_EINVAL. On failure returns
 * CGYM_ENOTFOUND with a message that names the value and suggests the closest action name, or
 * says that the legacy pass was dropped in LLVM 19 and why.
 */
int cgym_action_space_find(const cgym_action_space *space, const char *name, size_t *index);

/*
 * Makes in *out a space of the named actions of parent, in the order given, for suites that let
 * agents use only some passes. Its id is PARENT_ID "/subset-" and the first 12 hex digits of its
 * hash, which covers its pipelines as for any space. The caller frees it with
 * cgym_action_space_free after every env that uses it. Errors: CGYM_EINVAL for no names or a name
 * given twice, CGYM_ENOTFOUND for a name not in parent (with a suggestion), CGYM_ENOMEM.
 */
int cgym_action_space_subset(const cgym_action_space *parent, const char *const *names,
                             size_t count, cgym_action_space **out);

/* Frees a space made by cgym_action_space_subset. Accepts NULL and ignores the built-in spaces. */
void cgym_action_space_free(cgym_action_space *space);

/* A CompilerGym pass that has no LLVM 19 equivalent: its flag and the reason it is not offered. */
typedef struct cgym_dropped_pass {
  const char *legacy_flag;
  const char *reason;
} cgym_dropped_pass;

/* Returns the table of dropped passes and stores its length in *count. Static. */
const cgym_dropped_pass *cgym_action_space_dropped(size_t *count);

/*
 * Actions that exist only for tests of the harness's isolation. They are not part of any
 * action space and never reach a record unless a test asks for them by name.
 */
#define CGYM_TEST_ACTION_FATAL "cgym-test-llvm-fatal-error"

/*
 * Returns the pipeline of a test-only action, or NULL for any other name. The pipeline of
 * CGYM_TEST_ACTION_FATAL is "instcombine<max-iterations=1;verify-fixpoint>": on csmith 2.3.0's
 * program for seed 22, compiled with `clang-19 -O1 -Xclang -disable-llvm-passes`, LLVM 19.1.7
 * prints "LLVM ERROR: Instruction Combining did not reach a fixpoint after 1 iterations" and ends
 * the process with exit status 1. Static string.
 */
const char *cgym_test_action_pipeline(const char *name);

#ifdef __cplusplus
}
#endif

#endif
