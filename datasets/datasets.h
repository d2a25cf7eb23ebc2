#ifndef CGYM_DATASETS_H
#define CGYM_DATASETS_H

/* The datasets module's interface inside cgym: the public suites API plus the SHA-256 helpers
 * (cgym_sha256_file, cgym_sha256_hex) that identify archives and bitcode. */

#include "cgym/suites.h"
#include "env/sha256_internal.h"

#endif
