#ifndef CGYM_DATASETS_LLVM_STRESS_H
#define CGYM_DATASETS_LLVM_STRESS_H

/*
 * The llvm-stress generator: one random LLVM IR function per seed, written by LLVM 19's
 * llvm-stress and assembled by llvm-as. llvm-stress writes the same IR for the same seed and
 * size, so a seed names its module.
 */

#include <stdint.h>

/* Instructions that llvm-stress aims for in the generated function (its --size option). It is
 * also llvm-stress's own default, which CompilerGym's llvm-stress-v0 relies on. */
#define CGYM_LLVM_STRESS_SIZE 100
#define CGYM_LLVM_STRESS_TIMEOUT_SECONDS 60

/* Returns llvm-stress's version line in *out (malloc'ed). CGYM_ENOTFOUND when it is missing. */
int cgym_llvm_stress_version(char **out);

/* Returns the recipe line (malloc'ed): the commands, with SEED standing for the seed. */
char *cgym_llvm_stress_recipe(const char *version);

/* Generates the module of seed and assembles it into output (written through a temporary
 * folder next to it). uri names the benchmark in messages. Errors: CGYM_EBUILD naming the tool
 * and its first error line; CGYM_EIO; CGYM_ENOMEM. */
int cgym_llvm_stress_build(uint64_t seed, const char *uri, const char *output);

#endif
