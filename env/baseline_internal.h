#ifndef CGYM_ENV_BASELINE_INTERNAL_H
#define CGYM_ENV_BASELINE_INTERNAL_H

/* Baseline costs and their process-wide cache, keyed by the SHA-256 of a benchmark's bytes. */

#include <stddef.h>
#include <stdint.h>

#include "env/env_internal.h"

/* Stores a cached baseline in *value and returns 1, or returns 0 when it is not cached. */
int cgym_baseline_lookup(const char sha256[65], cgym_cost cost, cgym_level level, int64_t *value);

/* Caches a baseline for every env in the process. */
void cgym_baseline_store(const char sha256[65], cgym_cost cost, cgym_level level, int64_t value);

/* Measures a baseline on a fresh parse of bytes; env supplies the pipeline hook. */
int cgym_baseline_measure(const cgym_env *env, const unsigned char *bytes, size_t size,
                          const char *label, cgym_cost cost, cgym_level level, int64_t *value);

#endif
