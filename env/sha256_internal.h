#ifndef CGYM_ENV_SHA256_INTERNAL_H
#define CGYM_ENV_SHA256_INTERNAL_H

/* SHA-256 through libcrypto's EVP interface, as lowercase hex: the one implementation that the
 * env, the datasets and the manifests share. */

#include <stddef.h>

#define CGYM_SHA256_HEX_SIZE 65 /* 64 hex digits and the NUL */

/* Hashes size bytes of data into out. Returns CGYM_OK or CGYM_ECRYPTO. */
int cgym_sha256_hex(const void *data, size_t size, char out[CGYM_SHA256_HEX_SIZE]);

/* Hashes the regular file at path into out. label names the file in error messages ("subject
 * results.json"). Errors: CGYM_ENOTFOUND, CGYM_EIO (unreadable, or not a regular file),
 * CGYM_ECRYPTO. */
int cgym_sha256_file_named(const char *path, const char *label, char out[CGYM_SHA256_HEX_SIZE]);

/* cgym_sha256_file_named with a generic label. */
int cgym_sha256_file(const char *path, char out[CGYM_SHA256_HEX_SIZE]);

#endif
