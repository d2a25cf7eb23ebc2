/*
 * SHA-256 digests in lowercase hex, the form every record and manifest stores.
 */
#include "env/sha256_internal.h"

#include <openssl/evp.h>

#include "env/error_internal.h"

int cgym_sha256_hex(const void *data, size_t size, char out[CGYM_SHA256_HEX_SIZE]) {
  static const char digits[] = "0123456789abcdef";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;

  if (!EVP_Digest(data, size, digest, &length, EVP_sha256(), NULL) || length != 32)
    return cgym_error_set(CGYM_ECRYPTO, "SHA-256 of %zu bytes failed in libcrypto", size);

  for (unsigned int i = 0; i < length; i++) {
    out[2 * i] = digits[digest[i] >> 4];
    out[2 * i + 1] = digits[digest[i] & 0x0f];
  }
  out[64] = '\0';
  return CGYM_OK;
}
