#ifndef CGYM_ENV_LLVM_MODULE_H
#define CGYM_ENV_LLVM_MODULE_H

/*
 * The narrow layer over LLVM's C API: the llvm_*.c files are the only code in cgym that includes
 * llvm-c headers. A
 * cgym_llvm_module is an LLVM module together with the LLVMContext it lives in; the rest of
 * env/ sees only this opaque type and cgym error codes.
 */

#include <stddef.h>
#include <stdint.h>

#include "cgym/targets.h"

typedef struct cgym_llvm_module cgym_llvm_module;

/*
 * Parses bitcode (when data starts with a bitcode magic number) or textual IR into a new
 * LLVMContext, verifies it, strips debug info and sets the module identifier and source file
 * name to "-", so the bitcode no longer depends on where the file was. `label` names the input
 * in messages. Errors: CGYM_EPARSE quoting LLVM's diagnostic, CGYM_ENOMEM.
 */
int cgym_llvm_module_parse(cgym_llvm_module **out, const void *data, size_t size,
                           const char *label);

/* Copies the module with LLVMCloneModule into the same LLVMContext. The copy must be freed
 * before the original. Errors: CGYM_ENOMEM. */
int cgym_llvm_module_clone(cgym_llvm_module **out, const cgym_llvm_module *module);

/* Disposes the module and, unless it is a clone, its LLVMContext. Accepts NULL. */
void cgym_llvm_module_free(cgym_llvm_module *module);

/*
 * Runs one new-pass-manager pipeline with LLVMRunPasses and no target machine, then, when
 * verify_module is nonzero, verifies the module. Errors: CGYM_ELLVM when LLVM rejects the
 * pipeline, in which case the module is untouched because LLVMRunPasses parses the whole
 * pipeline before it runs any pass; CGYM_ELLVM with *invalid set to 1 when the result fails the
 * verifier, in which case the module must be discarded. *invalid is 0 in every other case.
 */
int cgym_llvm_module_run(cgym_llvm_module *module, const char *pipeline, int verify_module,
                         int *invalid);

/* Verifies the module after `pipeline` ran on it without verification; *invalid as for
 * cgym_llvm_module_run. */
int cgym_llvm_module_verify_step(cgym_llvm_module *module, const char *pipeline, int *invalid);

/* The finer steps and the lists they choose from (llvm_targets.c; cgym/targets.h gives the
 * semantics). Both steps give CGYM_EINVAL, with the module untouched, for an index that does not
 * exist, and otherwise behave as cgym_llvm_module_run. */
int cgym_llvm_module_run_on_function(cgym_llvm_module *module, const char *pipeline,
                                     size_t function, int verify_module, int *invalid);
int cgym_llvm_module_unroll_loop(cgym_llvm_module *module, const char *pipeline, size_t loop,
                                 unsigned factor, int verify_module, int *invalid);
int cgym_llvm_module_functions(const cgym_llvm_module *module, cgym_function_info **out,
                               size_t *count);
int cgym_llvm_module_loops(const cgym_llvm_module *module, cgym_loop_info **out, size_t *count);

/* Returns the number of instructions in all function bodies (LLVM's Module::getInstructionCount). */
int64_t cgym_llvm_module_instruction_count(const cgym_llvm_module *module);

/* Stores the lowercase hex SHA-256 of the module's bitcode in out. Errors: CGYM_ENOMEM,
 * CGYM_ECRYPTO. */
int cgym_llvm_module_sha256(const cgym_llvm_module *module, char out[65]);

/* Stores a malloc'ed copy of the module's bitcode in *data, which the caller frees.
 * Errors: CGYM_ENOMEM. */
int cgym_llvm_module_bitcode(const cgym_llvm_module *module, unsigned char **data, size_t *size);

/* Stores the module printed as textual IR in *text, malloc'ed and NUL-terminated, and its length
 * in *size. Errors: CGYM_ENOMEM. */
int cgym_llvm_module_ir(const cgym_llvm_module *module, char **text, size_t *size);

/* InstCount: 3 totals and one counter per IR opcode, in LLVM's Instruction.def order. */
#define CGYM_INSTCOUNT_SIZE 70
/* Autophase: the 56 features of the Autophase paper in CompilerGym's order. */
#define CGYM_AUTOPHASE_SIZE 56

/* Fills out with the module's InstCount features (llvm_features.c). */
void cgym_llvm_module_instcount(const cgym_llvm_module *module, int64_t out[CGYM_INSTCOUNT_SIZE]);

/* Fills out with the module's Autophase features (llvm_features.c). Errors: CGYM_ENOMEM. */
int cgym_llvm_module_autophase(const cgym_llvm_module *module, int64_t out[CGYM_AUTOPHASE_SIZE]);

/* Stores the size of the .text sections of the module lowered to an x86-64 ELF object
 * (llvm_object.c); cgym/observation.h gives the target. The module is not changed: codegen runs on
 * a copy parsed from its bitcode. Errors: CGYM_ELLVM, CGYM_EPARSE, CGYM_ENOMEM. */
int cgym_llvm_module_text_size(const cgym_llvm_module *module, int64_t *size);

/* Stores a malloc'ed JSON object describing the host CPU in *json (llvm_object.c): LLVM's host
 * CPU name and features, the online core count and the cache sizes that Linux reports. Errors:
 * CGYM_ENOMEM. */
int cgym_llvm_cpu_info(char **json);

#endif
