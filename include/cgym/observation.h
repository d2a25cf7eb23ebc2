#ifndef CGYM_OBSERVATION_H
#define CGYM_OBSERVATION_H

/*
 * Observations computed on demand. Nothing is computed for an observation that nobody asks for;
 * the baselines (names ending in O0, O3 and Oz) are computed at most once per benchmark in the
 * process, keyed by the SHA-256 of the benchmark's bytes, because they depend only on those bytes.
 *
 * ObjectTextSize observations lower a copy of the module (written to bitcode and parsed into a
 * new LLVMContext, so the value depends only on the module's bitcode) to an ELF object for the
 * fixed target triple CGYM_OBJECT_TRIPLE and CPU CGYM_OBJECT_CPU, without CPU features and with
 * LLVM's codegen level None (what clang uses without -O), and sum the sizes of the sections
 * named .text and .text.*. The value does not depend on the host.
 */

#include <stddef.h>
#include <stdint.h>

#include "cgym/env.h"
#include "cgym/spaces.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CGYM_OBJECT_TRIPLE "x86_64-unknown-linux-gnu"
#define CGYM_OBJECT_CPU "x86-64"

/* One observation value. Exactly the member that `type` names is set; the others are 0 or NULL. */
typedef struct cgym_observation {
  const cgym_space *space; /* static description of the space observed */
  cgym_space_type type;    /* equals space->type */
  size_t size;             /* element count of a vector, byte count of bytes, strlen of a string */
  int64_t int64_value;     /* CGYM_SPACE_INT64 */
  double double_value;     /* CGYM_SPACE_DOUBLE */
  int64_t *int64s;         /* CGYM_SPACE_INT64_VECTOR; owned, freed by cgym_observation_clear */
  double *doubles;         /* CGYM_SPACE_DOUBLE_VECTOR; owned */
  char *string;            /* CGYM_SPACE_STRING, NUL-terminated; owned */
  unsigned char *bytes;    /* CGYM_SPACE_BYTES; owned */
} cgym_observation;

/*
 * Computes observation `name` of the env's current module into *out, which the caller releases
 * with cgym_observation_clear. *out is zeroed first, also on failure. Errors: CGYM_EINVAL for NULL
 * arguments, CGYM_ENOTFOUND for an unknown name (with a "did you mean" suggestion), CGYM_ESTATE
 * before reset or after a step left an invalid module, CGYM_ENOMEM, CGYM_ELLVM when LLVM cannot
 * lower the module to an object file, CGYM_EPARSE when a baseline's fresh parse fails. The env
 * stays usable after any failure.
 */
int cgym_env_observe(cgym_observation *out, cgym_env *env, const char *name);

/* Frees the value's owned buffers and zeroes it. Accepts NULL and a zeroed value. */
void cgym_observation_clear(cgym_observation *observation);

#ifdef __cplusplus
}
#endif

#endif
