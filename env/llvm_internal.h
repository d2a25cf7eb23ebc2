#ifndef CGYM_ENV_LLVM_INTERNAL_H
#define CGYM_ENV_LLVM_INTERNAL_H

/* Access to the LLVM module inside a cgym_llvm_module, for the llvm_*.c files only: they are the
 * only files in cgym that include llvm-c headers. */

#include <llvm-c/Types.h>

#include "env/llvm_module.h"

LLVMModuleRef cgym_llvm_module_ref(const cgym_llvm_module *module);

/* Returns the first error that LLVM reported through the module's context since it was parsed,
 * or "" when there was none. */
const char *cgym_llvm_module_diagnostic(const cgym_llvm_module *module);

#endif
