#ifndef CGYM_ENV_FILE_IO_H
#define CGYM_ENV_FILE_IO_H

/*
 * Whole-file reads with a size limit and atomic whole-file writes, shared by every module that
 * writes files (env, results, manifests, harness). Internal to libcgym.
 */

#include <stddef.h>
#include <sys/types.h>

/*
 * Writes data to path through a temporary file in the same folder: write, fsync, chmod to mode,
 * rename, then fsync the folder, so readers see either the old file or the complete new one.
 * When replace is zero, an existing file at path is left alone and CGYM_EINVAL is returned
 * naming it. Errors: CGYM_EINVAL, CGYM_EIO (naming the path and the system error).
 */
int cgym_file_write_atomic(const char *path, const void *data, size_t size, mode_t mode,
                           int replace);

/*
 * Reads the whole file into a malloc'ed buffer with a NUL byte after the last byte (not counted
 * in *size). Errors: CGYM_ENOTFOUND (missing), CGYM_EINVAL (a folder), CGYM_ELIMIT (larger than
 * max_size bytes), CGYM_EIO (another kind of file, or a failed read), CGYM_ENOMEM. Each message
 * names the path and label, for example "results file".
 */
int cgym_file_read_all(const char *path, size_t max_size, const char *label, char **data,
                       size_t *size);

#endif
