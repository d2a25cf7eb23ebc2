/*
 * SHA-256 of a file as lowercase hex, through libcrypto's EVP interface, read in chunks so an
 * archive of any size hashes in constant memory. Archives and bitcode files are identified by
 * these digests. The buffer form is env/sha256.c's cgym_sha256_hex.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "datasets/datasets.h"
#include "env/error_internal.h"

#define SHA256_READ_CHUNK (64 * 1024)

static void to_hex(const unsigned char digest[32], char out[65]) {
  static const char digits[] = "0123456789abcdef";

  for (int i = 0; i < 32; i++) {
    out[2 * i] = digits[digest[i] >> 4];
    out[2 * i + 1] = digits[digest[i] & 0x0f];
  }
  out[64] = '\0';
}

int cgym_sha256_file(const char *path, char out[65]) {
  unsigned char buffer[SHA256_READ_CHUNK];
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX *context = NULL;
  FILE *file = NULL;
  int rc = CGYM_OK;

  file = fopen(path, "rb");
  if (!file) {
    if (errno == ENOENT) return cgym_error_set(CGYM_ENOTFOUND, "%s not found", path);
    return cgym_error_set(CGYM_EIO, "cannot open %s: %s", path, strerror(errno));
  }
  context = EVP_MD_CTX_new();
  if (!context || EVP_DigestInit_ex(context, EVP_sha256(), NULL) != 1) {
    rc = cgym_error_set(CGYM_ECRYPTO, "libcrypto cannot start a SHA-256 digest of %s", path);
    goto done;
  }

  size_t count;
  while ((count = fread(buffer, 1, sizeof buffer, file)) > 0) {
    if (EVP_DigestUpdate(context, buffer, count) != 1) {
      rc = cgym_error_set(CGYM_ECRYPTO, "libcrypto failed hashing %s", path);
      goto done;
    }
  }
  if (ferror(file)) {
    rc = cgym_error_set(CGYM_EIO, "cannot read %s: %s", path, strerror(errno));
    goto done;
  }
  if (EVP_DigestFinal_ex(context, digest, &length) != 1 || length != 32) {
    rc = cgym_error_set(CGYM_ECRYPTO, "libcrypto failed finishing the SHA-256 of %s", path);
    goto done;
  }
  to_hex(digest, out);

done:
  EVP_MD_CTX_free(context);
  fclose(file);
  return rc;
}
