/*
 * Ed25519 key pairs in PEM files: PKCS#8 private keys ("BEGIN PRIVATE KEY") and
 * SubjectPublicKeyInfo public keys ("BEGIN PUBLIC KEY"), the forms `openssl genpkey -algorithm
 * ed25519` and `openssl pkey -pubout` write, so keys can be made and inspected with either tool.
 *
 * Loading is strict about the role of a file: a public key file given where a private key is
 * expected, or the reverse, is rejected with a message that names the file and the file to pass
 * instead. Verification never accepts a private key, because a verifier should not need it.
 */
#include "manifests/manifest.h"
#include "manifests/manifest_internal.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env/error_internal.h"
#include "env/file_io.h"

/* Refuses every passphrase request: the default callback would prompt on the terminal, and the
 * library never reads from the terminal. */
static int no_passphrase(char *buffer, int size, int rwflag, void *context) {
  (void)buffer, (void)size, (void)rwflag, (void)context;
  return -1;
}

static int check_ed25519(EVP_PKEY *key, const char *path) {
  if (EVP_PKEY_is_a(key, "ED25519")) return CGYM_OK;
  return cgym_error_set(CGYM_EFORMAT, "key file %s contains a %s key, but cgym signs manifests "
                        "with Ed25519: create a key pair with cgym keygen", path,
                        EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "non-Ed25519");
}

/* Sets the "not found" error of a key file, with the keygen command that creates such a file. */
static int key_not_found(const char *path, int public_key) {
  size_t length = strlen(path);
  int named_pub = length > 4 && strcmp(path + length - 4, ".pub") == 0;

  if (!public_key)
    return cgym_error_set(CGYM_ENOTFOUND, "private key file %s not found: check the path, or "
                          "create a key pair with 'cgym keygen --key %s', which writes %s and "
                          "%s.pub", path, path, path, path);
  if (named_pub)
    return cgym_error_set(CGYM_ENOTFOUND, "public key file %s not found: check the path; "
                          "'cgym keygen --key %.*s' writes the private key %.*s and this public "
                          "key %s", path, (int)(length - 4), path, (int)(length - 4), path, path);
  return cgym_error_set(CGYM_ENOTFOUND, "public key file %s not found: check the path; 'cgym "
                        "keygen --key FILE' writes the private key FILE and the public key "
                        "FILE.pub, and verification takes FILE.pub", path);
}

int cgym_key_load_private(const char *path, EVP_PKEY **key) {
  char *text = NULL;
  size_t size = 0;

  *key = NULL;
  int rc = cgym_file_read_all(path, CGYM_KEY_FILE_MAX, "private key file", &text, &size);
  if (rc == CGYM_ENOTFOUND) return key_not_found(path, 0);
  if (rc != CGYM_OK) return rc;

  BIO *input = BIO_new_mem_buf(text, (int)size);
  if (input) *key = PEM_read_bio_PrivateKey(input, NULL, no_passphrase, NULL);
  BIO_free(input);
  ERR_clear_error();

  if (!*key && strstr(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----"))
    rc = cgym_error_set(CGYM_EFORMAT, "private key file %s is encrypted; cgym reads only "
                        "unencrypted PKCS#8 keys: decrypt it with openssl pkey", path);
  else if (!*key && strstr(text, "-----BEGIN PUBLIC KEY-----"))
    rc = cgym_error_set(CGYM_EFORMAT, "key file %s contains a public key, but signing needs the "
                        "private key: pass the private key file written by cgym keygen", path);
  else if (!*key)
    rc = cgym_error_set(CGYM_EFORMAT, "private key file %s is not a PEM PKCS#8 private key "
                        "(\"-----BEGIN PRIVATE KEY-----\"): pass the private key FILE that "
                        "'cgym keygen --key FILE' wrote", path);
  else
    rc = check_ed25519(*key, path);

  OPENSSL_cleanse(text, size);
  free(text);
  if (rc != CGYM_OK) {
    EVP_PKEY_free(*key);
    *key = NULL;
  }
  return rc;
}

int cgym_key_load_public(const char *path, EVP_PKEY **key) {
  char *text = NULL;
  size_t size = 0;

  *key = NULL;
  int rc = cgym_file_read_all(path, CGYM_KEY_FILE_MAX, "public key file", &text, &size);
  if (rc == CGYM_ENOTFOUND) return key_not_found(path, 1);
  if (rc != CGYM_OK) return rc;

  BIO *input = BIO_new_mem_buf(text, (int)size);
  if (input) *key = PEM_read_bio_PUBKEY(input, NULL, no_passphrase, NULL);
  BIO_free(input);
  ERR_clear_error();

  if (!*key && strstr(text, "PRIVATE KEY-----"))
    rc = cgym_error_set(CGYM_EFORMAT, "key file %s contains a private key, but verification "
                        "takes the public key: pass the public key file written by cgym keygen "
                        "(cgym never reads a private key to verify)", path);
  else if (!*key)
    rc = cgym_error_set(CGYM_EFORMAT, "public key file %s is not a PEM public key "
                        "(\"-----BEGIN PUBLIC KEY-----\", SubjectPublicKeyInfo): pass the "
                        "FILE.pub that 'cgym keygen --key FILE' wrote", path);
  else
    rc = check_ed25519(*key, path);

  OPENSSL_cleanse(text, size);
  free(text);
  if (rc != CGYM_OK) {
    EVP_PKEY_free(*key);
    *key = NULL;
  }
  return rc;
}

int cgym_public_key_id(const char *public_key_path, char key_id[65]) {
  EVP_PKEY *key = NULL;

  if (!public_key_path || !key_id)
    return cgym_error_set(CGYM_EINVAL, "cgym_public_key_id needs a path and an output");
  int rc = cgym_key_load_public(public_key_path, &key);
  if (rc == CGYM_OK) rc = cgym_key_id(key, key_id);
  EVP_PKEY_free(key);
  return rc;
}

int cgym_key_id(EVP_PKEY *key, char out[65]) {
  unsigned char raw[32];
  size_t raw_size = sizeof raw;

  if (EVP_PKEY_get_raw_public_key(key, raw, &raw_size) != 1 || raw_size != sizeof raw) {
    ERR_clear_error();
    return cgym_error_set(CGYM_ECRYPTO, "cannot read the raw Ed25519 public key in libcrypto");
  }
  return cgym_sha256_hex(raw, raw_size, out);
}

/* Serialises a key as PEM into a malloc'ed buffer, the private key as PKCS#8. */
static int key_to_pem(EVP_PKEY *key, int private_key, char **text, size_t *size) {
  BIO *output = BIO_new(private_key ? BIO_s_secmem() : BIO_s_mem());
  char *data = NULL;
  int written = 0;

  if (output && private_key)
    written = PEM_write_bio_PKCS8PrivateKey(output, key, NULL, NULL, 0, NULL, NULL);
  else if (output)
    written = PEM_write_bio_PUBKEY(output, key);

  long length = written == 1 ? BIO_get_mem_data(output, &data) : 0;
  *text = length > 0 ? malloc((size_t)length) : NULL;
  if (*text) {
    memcpy(*text, data, (size_t)length);
    *size = (size_t)length;
  }
  BIO_free(output);
  ERR_clear_error();
  if (!*text)
    return cgym_error_set(CGYM_ECRYPTO, "cannot write the %s key as PEM in libcrypto",
                          private_key ? "private" : "public");
  return CGYM_OK;
}

static int check_absent(const char *path) {
  struct stat info;

  if (lstat(path, &info) == 0)
    return cgym_error_set(CGYM_EINVAL, "%s already exists: choose another path or allow "
                          "overwriting it", path);
  return CGYM_OK;
}

/* Writes both PEM files; a private key written without its public key is removed again. */
static int write_pair(EVP_PKEY *key, const char *private_key_path, const char *public_key_path,
                      int overwrite) {
  char *private_pem = NULL, *public_pem = NULL;
  size_t private_size = 0, public_size = 0;

  int rc = key_to_pem(key, 1, &private_pem, &private_size);
  if (rc == CGYM_OK) rc = key_to_pem(key, 0, &public_pem, &public_size);
  if (rc == CGYM_OK)
    rc = cgym_file_write_atomic(private_key_path, private_pem, private_size, 0600, overwrite);
  if (rc == CGYM_OK) {
    rc = cgym_file_write_atomic(public_key_path, public_pem, public_size, 0644, overwrite);
    if (rc != CGYM_OK) unlink(private_key_path);
  }

  if (private_pem) OPENSSL_cleanse(private_pem, private_size);
  free(private_pem);
  free(public_pem);
  return rc;
}

int cgym_keygen(const char *private_key_path, const char *public_key_path, int overwrite) {
  if (!private_key_path || !public_key_path)
    return cgym_error_set(CGYM_EINVAL, "cgym_keygen needs a private and a public key path");
  if (strcmp(private_key_path, public_key_path) == 0)
    return cgym_error_set(CGYM_EINVAL, "the private and the public key path are both %s: give "
                          "two different files", private_key_path);

  /* Both paths are checked before anything is written, so a refusal leaves no half pair. The
   * writes themselves still refuse to replace a file that appears in the meantime. */
  if (!overwrite) {
    int rc = check_absent(private_key_path);
    if (rc == CGYM_OK) rc = check_absent(public_key_path);
    if (rc != CGYM_OK) return rc;
  }

  EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
  if (!key) {
    ERR_clear_error();
    return cgym_error_set(CGYM_ECRYPTO, "Ed25519 key generation failed in libcrypto");
  }

  int rc = write_pair(key, private_key_path, public_key_path, overwrite);
  EVP_PKEY_free(key);
  return rc;
}
