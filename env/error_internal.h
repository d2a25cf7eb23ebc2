#ifndef CGYM_ERROR_INTERNAL_H
#define CGYM_ERROR_INTERNAL_H

#include "cgym/error.h"

/* Formats the thread-local message and returns code, so callers can write
 * `return cgym_error_set(CGYM_EINVAL, "...", value);`. */
int cgym_error_set(int code, const char *format, ...) __attribute__((format(printf, 2, 3)));

#endif
