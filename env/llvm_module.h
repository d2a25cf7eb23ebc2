#ifndef CGYM_ENV_LLVM_MODULE_H
#define CGYM_ENV_LLVM_MODULE_H

/*
 * The narrow layer over LLVM's C API: the only code in cgym that includes llvm-c headers. A
 * cgym_llvm_module is an LLVM module together with the LLVMContext it lives in; the rest of
 * env/ sees only this opaque type and cgym error codes.
 */

#include <stddef.h>
#include <stdint.h>

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
 * Runs one new-pass-manager pipeline with LLVMRunPasses and no target machine, then verifies the
 * module. Errors: CGYM_ELLVM when LLVM rejects the pipeline, in which case the module is
 * untouched because LLVMRunPasses parses the whole pipeline before it runs any pass; CGYM_ELLVM
 * with *invalid set to 1 when the result fails the verifier, in which case the module must be
 * discarded. *invalid is 0 in every other case.
 */
int cgym_llvm_module_run(cgym_llvm_module *module, const char *pipeline, int *invalid);

/* Returns the number of instructions in all function bodies (LLVM's Module::getInstructionCount). */
int64_t cgym_llvm_module_instruction_count(const cgym_llvm_module *module);

/* Stores the lowercase hex SHA-256 of the module's bitcode in out. Errors: CGYM_ENOMEM,
 * CGYM_ECRYPTO. */
int cgym_llvm_module_sha256(const cgym_llvm_module *module, char out[65]);

/* Stores a malloc'ed copy of the module's bitcode in *data, which the caller frees.
 * Errors: CGYM_ENOMEM. */
int cgym_llvm_module_bitcode(const cgym_llvm_module *module, unsigned char **data, size_t *size);

#endif
