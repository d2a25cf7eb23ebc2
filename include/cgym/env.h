#ifndef CGYM_ENV_H
#define CGYM_ENV_H

/*
 * The environment: one LLVM module at a time, changed by one action per step.
 *
 * Semantics, which replay relies on: an episode starts from the module parsed from the
 * benchmark's bitcode (or textual IR); each step runs exactly one action's pipeline through one
 * LLVMRunPasses call on that module, with no target machine (LLVM's generic cost model, so the
 * result does not depend on the host CPU). Replaying the same action list from a fresh parse
 * gives the same bitcode.
 *
 * Related headers: cgym/observation.h (observations), cgym/reward.h (reward spaces),
 * cgym/targets.h (steps on one function or one loop), cgym/suites.h (cgym_env_reset_benchmark
 * resets to a benchmark URI, fetching it when needed),
 * cgym/state.h (episode states, replay, CompilerGym's state CSV), cgym/spaces.h (descriptions of
 * observation and reward spaces).
 *
 * Ownership: the env owns its module and LLVM context. Strings returned by accessors stay valid
 * until the next call that changes the env. cgym_env_free accepts NULL.
 */

#include <stddef.h>
#include <stdint.h>

#include "cgym/actions.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cgym_env cgym_env;

/* Called right before the env hands a pipeline to LLVM (steps, probes and baselines alike), so a
 * supervisor can tell which pipeline was running if the process dies inside LLVM. */
typedef void (*cgym_pipeline_hook)(void *context, const char *pipeline);

/* Largest module file reset accepts, 1 GiB: far above any real program's bitcode, and small
 * enough that a wrong path to a disk image fails fast instead of exhausting memory. */
#define CGYM_ENV_MODULE_MAX_BYTES ((size_t)1 << 30)

#define CGYM_ENV_OPTIONS_VERSION 3

/*
 * Options of cgym_env_create. Version 1 ends after pipeline_hook_context, version 2 after
 * skip_step_verification; cgym_env_create reads only the fields of the caller's version.
 *
 * Module verification: loading and the baseline pipelines always run LLVM's module verifier.
 * After a step, the verifier costs about as much as a cheap pass, several times the median
 * pass's own cost. So by default steps do not run it, as LLVM's own `opt` does not between
 * passes. cgym_env_verify checks the module when a caller needs to know, and the harness calls
 * it at the end of every episode. verify_each_step runs it after every step and probe instead. Callers
 * of versions 1 and 2 keep the behaviour of their version: version 1 verifies every step, version
 * 2 unless skip_step_verification is set.
 */
typedef struct cgym_env_options {
  int version;                       /* CGYM_ENV_OPTIONS_VERSION, 2 or 1 */
  const cgym_action_space *actions;  /* NULL selects cgym_action_space_passes() */
  cgym_pipeline_hook pipeline_hook;  /* optional */
  void *pipeline_hook_context;
  int skip_step_verification;        /* version 2 only; version 3 ignores it */
  int verify_each_step;              /* version 3: nonzero verifies after every step and probe */
} cgym_env_options;

#define CGYM_ENV_OPTIONS_INIT {CGYM_ENV_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0}

/* Creates an env with no benchmark loaded. opts may be NULL for the defaults. Errors:
 * CGYM_EINVAL for an options version this library does not know, CGYM_ENOMEM. */
int cgym_env_create(cgym_env **out, const cgym_env_options *opts);

/* Creates an env of the named backend. "llvm" (this library's only backend) gives the same env
 * as cgym_env_create. Errors: CGYM_ENOTFOUND for another name, naming the backends there are;
 * and those of cgym_env_create. */
int cgym_env_create_backend(cgym_env **out, const char *backend, const cgym_env_options *opts);

void cgym_env_free(cgym_env *env);

/*
 * Starts an episode on the module in path (bitcode, or textual IR when the file does not start
 * with the bitcode magic). uri names the benchmark in records. Parses, verifies, strips debug
 * info, then computes the baselines: C0 (instruction count as loaded) and C_Oz (count after
 * default<Oz> on a separate fresh parse, or from the process-wide cache of baselines keyed by
 * the SHA-256 of the bytes). Errors: CGYM_ENOTFOUND, CGYM_EINVAL (path is a folder), CGYM_EIO,
 * CGYM_ELIMIT (a file larger than CGYM_ENV_MODULE_MAX_BYTES), CGYM_EPARSE (an empty or
 * all-white-space file, or a module LLVM rejects: the message quotes LLVM's diagnostic with
 * control bytes escaped), CGYM_ELLVM. On failure the env keeps the episode it had before the
 * call. The reward selection is kept; the step history starts empty.
 */
int cgym_env_reset(cgym_env *env, const char *uri, const char *path);

/*
 * Runs action `action` on the module. Stores the reward of the first selected reward space in
 * *reward when reward is not NULL; by default that is IrInstructionCountOz, (previous count - new
 * count) / max(C0 - C_Oz, 1) (cgym/reward.h selects others). Errors: CGYM_ESTATE before reset,
 * CGYM_EINVAL for an index out of range, CGYM_ELLVM when LLVM rejects the pipeline (the env
 * keeps the module as it was before the step: LLVMRunPasses parses the whole pipeline before it
 * runs any pass). With verify_each_step, CGYM_ELLVM also reports a module that fails the verifier
 * after the pipeline ran. That module is discarded, so every later call but reset and restart
 * gives CGYM_ESTATE.
 * CGYM_ELLVM also reports a selected ObjectTextSize reward whose object file LLVM could not emit
 * (invalid inline assembly, say). The step is then undone by replaying the steps before it on a
 * fresh parse, so the env has exactly the module it had before the call.
 */
int cgym_env_step(cgym_env *env, size_t action, double *reward);

/*
 * Steps count actions in order, stopping at the first that fails. Stores the number that
 * succeeded in *done and the sum of their rewards in *reward, when those are not NULL. Errors:
 * CGYM_EINVAL for NULL actions with a count above 0, and any error of cgym_env_step (count 0
 * checks only that a step would be possible).
 */
int cgym_env_step_many(cgym_env *env, const size_t *actions, size_t count, size_t *done,
                       double *reward);

/* Runs one pipeline string that is not in the action space (for example "default<Oz>" for the
 * -Oz baseline agent, or a test-only action). Same semantics and errors as cgym_env_step. */
int cgym_env_step_pipeline(cgym_env *env, const char *pipeline, double *reward);

/*
 * Returns in *count the instruction count that action would give, computed on a cheap, inexact
 * copy of the current module; the env is unchanged. The copy is an LLVMCloneModule of a bitcode
 * copy in a separate LLVMContext (passes register names in their context, which the bitcode
 * writer emits, so probing in the env's own context would change later steps' bitcode). The copy
 * is not guaranteed to evolve exactly like the original: on LLVM 19.1.7 a module cloned after 30
 * passes and given 30 more ends with other bitcode than the original in most trials. So a probe
 * is a heuristic for search agents: never record its result as a measurement, step instead, or
 * use cgym_env_fork for an exact copy.
 */
int cgym_env_probe(cgym_env *env, size_t action, int64_t *count);

/*
 * Starts the current benchmark's episode again from a fresh parse of the bytes that the last
 * successful reset read, without reading the file again or recomputing C0 and C_Oz. Agents use it
 * to return to an earlier state by replaying a prefix of their actions. Errors: CGYM_ESTATE
 * before reset, CGYM_ENOMEM.
 */
int cgym_env_restart(cgym_env *env);

/*
 * Creates in *out an independent env whose every continuation equals this env's: same options,
 * benchmark, baselines, reward selection and step history. It is built by parsing the benchmark's
 * bytes again and replaying the history, so it is exact by construction; copying the module
 * (LLVMCloneModule, or bitcode written and parsed) is not, because later passes can see
 * in-memory orders that a copy does not keep. The cost is one parse and one replay. The caller
 * frees *out with cgym_env_free. Errors: CGYM_EINVAL, CGYM_ESTATE before reset or after a step
 * left an invalid module, CGYM_ENOMEM, and any error of a replayed step.
 */
int cgym_env_fork(cgym_env **out, const cgym_env *env);

/*
 * Runs LLVM's module verifier on the current module. When the module is invalid, it replays the
 * episode from a fresh parse with the verifier after every step, to find the step that first left
 * an invalid module. It stores that step's index (0 for the first step since reset) in
 * *invalid_step when that is not NULL, and returns CGYM_ELLVM naming the step and quoting the
 * verifier. The invalid
 * module is then discarded, so every later call but reset and restart gives CGYM_ESTATE.
 * Errors: CGYM_EINVAL, CGYM_ESTATE, CGYM_ELLVM, CGYM_ENOMEM.
 */
int cgym_env_verify(cgym_env *env, size_t *invalid_step);

/* Writes the current module's bitcode to path through a temporary file in the same folder and a
 * rename. Errors: CGYM_ESTATE, CGYM_EIO naming the path, CGYM_ENOMEM. */
int cgym_env_write_bitcode(const cgym_env *env, const char *path);

/* Returns the URI given to the last successful reset, or NULL before one. Valid until the next
 * reset or free. */
const char *cgym_env_benchmark_uri(const cgym_env *env);

/* Returns the lowercase hex SHA-256 of the bytes that the last successful reset read, or NULL
 * before one. Valid until the next reset or free. */
const char *cgym_env_benchmark_sha256(const cgym_env *env);

/* Observations of the current module (cgym/observation.h has all of them). Both give
 * CGYM_ESTATE before reset. */
int cgym_env_instruction_count(const cgym_env *env, int64_t *count);
/* Lowercase hex SHA-256 of the module's bitcode, written to out (65 bytes with the NUL). The
 * digest identifies the state that an action list reaches from a benchmark: replays give it
 * exactly, and cgym_env_write_bitcode writes the bytes it covers. Loading those bytes again can
 * give another digest, because LLVM writes local value names in the order of its in-memory
 * symbol tables, which a parse does not restore. */
int cgym_env_bitcode_sha256(const cgym_env *env, char out[65]);

/* Baselines of the current benchmark: C0 as loaded and C_Oz after default<Oz>. */
int cgym_env_baselines(const cgym_env *env, int64_t *c0, int64_t *c_oz);

const cgym_action_space *cgym_env_action_space(const cgym_env *env);

/* Writes the version of the LLVM library loaded at run time ("19.1.7") into out. It can differ
 * from the version cgym was built against when the shared libLLVM is upgraded in place. */
void cgym_llvm_library_version(char out[32]);

/* Returns the host's default target triple as a malloc'ed string (free it with free()), or NULL.
 * Passes run without a target machine, so the triple describes the host, not the results. */
char *cgym_llvm_host_triple(void);

#ifdef __cplusplus
}
#endif

#endif
