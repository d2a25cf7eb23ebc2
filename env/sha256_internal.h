#ifndef CGYM_ENV_SHA256_INTERNAL_H
#define CGYM_ENV_SHA256_INTERNAL_H

/* SHA-256 through libcrypto's EVP interface, as lowercase hex. */

#include <stddef.h>

#define CGYM_SHA256_HEX_SIZE 65 /* 64 hex digits and the NUL */

/* Hashes size bytes of data into out. Returns CGYM_OK or CGYM_ECRYPTO. */
int cgym_sha256_hex(const void *data, size_t size, char out[CGYM_SHA256_HEX_SIZE]);

#endif
