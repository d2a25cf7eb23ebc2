#ifndef CGYM_ENV_MODULE_FILE_H
#define CGYM_ENV_MODULE_FILE_H

/* Reading a module file into memory and writing bitcode to a file without a partial result. */

#include <stddef.h>

/* Reads the whole file into a malloc'ed buffer that the caller frees. Errors: CGYM_ENOTFOUND,
 * CGYM_EINVAL (path is a folder), CGYM_EIO, CGYM_ELIMIT (larger than max_bytes), CGYM_ENOMEM. */
int cgym_module_file_read(const char *path, size_t max_bytes, unsigned char **data, size_t *size);

/* Writes data to a temporary file in path's folder, syncs it and renames it onto path.
 * Errors: CGYM_EIO naming the path, CGYM_ENOMEM. */
int cgym_module_file_write(const char *path, const unsigned char *data, size_t size);

#endif
