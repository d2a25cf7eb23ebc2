/*
 * SHA-256 digests in lowercase hex, the form every record and manifest stores. Buffers hash in
 * one call; files hash in fixed-size chunks, so an archive of any size takes constant memory.
 * Only regular files are hashed, because a FIFO or a device could block or never end.
 */
#include "env/sha256_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env/error_internal.h"

#define SHA256_READ_CHUNK (64 * 1024)

static void to_hex(const unsigned char digest[32], char out[CGYM_SHA256_HEX_SIZE]) {
  static const char digits[] = "0123456789abcdef";

  for (int i = 0; i < 32; i++) {
    out[2 * i] = digits[digest[i] >> 4];
    out[2 * i + 1] = digits[digest[i] & 0x0f];
  }
  out[64] = '\0';
}

int cgym_sha256_hex(const void *data, size_t size, char out[CGYM_SHA256_HEX_SIZE]) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;

  if (!EVP_Digest(data, size, digest, &length, EVP_sha256(), NULL) || length != 32)
    return cgym_error_set(CGYM_ECRYPTO, "SHA-256 of %zu bytes failed in libcrypto", size);
  to_hex(digest, out);
  return CGYM_OK;
}

/* Feeds the rest of fd into context. */
static int hash_stream(EVP_MD_CTX *context, int fd, const char *path, const char *label) {
  unsigned char buffer[SHA256_READ_CHUNK];

  for (;;) {
    ssize_t count = read(fd, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0)
      return cgym_error_set(CGYM_EIO, "cannot read %s (%s): %s", label, path, strerror(errno));
    if (count == 0) return CGYM_OK;
    if (EVP_DigestUpdate(context, buffer, (size_t)count) != 1)
      return cgym_error_set(CGYM_ECRYPTO, "SHA-256 of %s failed in libcrypto", path);
  }
}

int cgym_sha256_file_named(const char *path, const char *label, char out[CGYM_SHA256_HEX_SIZE]) {
  EVP_MD_CTX *context = NULL;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  struct stat info;
  int rc;

  int fd = open(path, O_RDONLY | O_NONBLOCK);
  if (fd < 0 && errno == ENOENT)
    return cgym_error_set(CGYM_ENOTFOUND, "%s: file %s not found", label, path);
  if (fd < 0)
    return cgym_error_set(CGYM_EIO, "cannot open %s (%s): %s", label, path, strerror(errno));

  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    rc = cgym_error_set(CGYM_EIO, "%s: %s is not a regular file", label, path);
    goto done;
  }

  context = EVP_MD_CTX_new();
  if (!context || EVP_DigestInit_ex(context, EVP_sha256(), NULL) != 1) {
    rc = cgym_error_set(CGYM_ECRYPTO, "cannot start SHA-256 of %s in libcrypto", path);
    goto done;
  }
  rc = hash_stream(context, fd, path, label);
  if (rc != CGYM_OK) goto done;
  if (EVP_DigestFinal_ex(context, digest, &digest_size) != 1 || digest_size != 32) {
    rc = cgym_error_set(CGYM_ECRYPTO, "SHA-256 of %s failed in libcrypto", path);
    goto done;
  }
  to_hex(digest, out);

done:
  EVP_MD_CTX_free(context);
  close(fd);
  return rc;
}

int cgym_sha256_file(const char *path, char out[CGYM_SHA256_HEX_SIZE]) {
  return cgym_sha256_file_named(path, "SHA-256 input", out);
}
