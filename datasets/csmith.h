#ifndef CGYM_DATASETS_CSMITH_H
#define CGYM_DATASETS_CSMITH_H

/*
 * The csmith generator: one random C program per seed, built like any other benchmark. csmith
 * 2.3.0 writes the same bytes for the same seed and options, so a seed names its program.
 */

#include <stdint.h>

#include "datasets/build.h"

#define CGYM_CSMITH_INCLUDE_DIR "/usr/include/csmith"
#define CGYM_CSMITH_TIMEOUT_SECONDS 60 /* csmith runs away on rare seeds */

/* Returns csmith's version line in *out (malloc'ed). CGYM_ENOTFOUND when csmith is missing. */
int cgym_csmith_version(char **out);

/* Compile flags of generated programs: the default recipe plus csmith's include folder. */
int cgym_csmith_flags(cgym_string_list *flags);

/* Generates the program of seed and builds it into output (written through a temporary file).
 * uri names the benchmark in messages. */
int cgym_csmith_build(const cgym_build_tools *tools, const cgym_string_list *flags, uint64_t seed,
                      const char *uri, const char *output);

#endif
