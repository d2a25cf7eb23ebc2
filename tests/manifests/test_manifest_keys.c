/*
 * Keys and encodings of manifests: key generation, key files in the wrong role or malformed,
 * strict base64 and the DSSE pre-authentication encoding.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgym/error.h"
#include "manifests/manifest.h"
#include "manifests/manifest_internal.h"
#include "support/check.h"

/* Removes a flat test folder and the files in it. */
static void remove_folder(const char *dir) {
  DIR *handle = opendir(dir);
  struct dirent *entry;

  while (handle && (entry = readdir(handle)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    char *path = cgym_test_path(dir, entry->d_name);
    remove(path);
    free(path);
  }
  if (handle) closedir(handle);
  remove(dir);
}

static char *read_text(const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) return NULL;
  char *text = calloc(65536, 1);
  if (fread(text, 1, 65535, file) == 0) text[0] = '\0';
  fclose(file);
  return text;
}

static void write_text(const char *path, const char *text) {
  FILE *file = fopen(path, "wb");
  if (!file) abort();
  fputs(text, file);
  fclose(file);
}

static void test_keygen(const char *dir) {
  char *private_path = cgym_test_path(dir, "key.pem");
  char *public_path = cgym_test_path(dir, "key.pub");
  struct stat info;

  CHECK_OK(cgym_keygen(private_path, public_path, 0));
  CHECK(stat(private_path, &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(stat(public_path, &info) == 0);
  CHECK((info.st_mode & 0777) == 0644);
  CHECK(cgym_test_count_entries(dir) == 2);

  char *private_text = read_text(private_path), *public_text = read_text(public_path);
  CHECK(private_text != NULL);
  CHECK(public_text != NULL);
  if (private_text) CHECK(strncmp(private_text, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
  if (public_text) CHECK(strncmp(public_text, "-----BEGIN PUBLIC KEY-----\n", 27) == 0);

  EVP_PKEY *private_key = NULL, *public_key = NULL;
  char private_id[65] = "", public_id[65] = "";
  CHECK_OK(cgym_key_load_private(private_path, &private_key));
  CHECK_OK(cgym_key_load_public(public_path, &public_key));
  if (private_key) CHECK_OK(cgym_key_id(private_key, private_id));
  if (public_key) CHECK_OK(cgym_key_id(public_key, public_id));
  CHECK(strlen(public_id) == 64);
  CHECK_STR_EQ(private_id, public_id);

  /* A second keygen refuses to overwrite either file and leaves both unchanged. */
  CHECK_ERROR(cgym_keygen(private_path, public_path, 0), CGYM_EINVAL, "already exists");
  char *other_public = cgym_test_path(dir, "other.pub");
  CHECK_ERROR(cgym_keygen(private_path, other_public, 0), CGYM_EINVAL, private_path);
  CHECK(cgym_test_count_entries(dir) == 2);
  char *unchanged = read_text(private_path);
  CHECK(unchanged != NULL);
  if (unchanged && private_text) CHECK(strcmp(unchanged, private_text) == 0);

  /* With overwrite, a new pair replaces the old one and keeps mode 0600. */
  CHECK_OK(cgym_keygen(private_path, public_path, 1));
  char *replaced = read_text(private_path);
  CHECK(replaced != NULL);
  if (replaced && private_text) CHECK(strcmp(replaced, private_text) != 0);
  CHECK(stat(private_path, &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(cgym_test_count_entries(dir) == 2);

  CHECK_ERROR(cgym_keygen(private_path, private_path, 1), CGYM_EINVAL, "two different files");

  EVP_PKEY_free(private_key);
  EVP_PKEY_free(public_key);
  free(private_text);
  free(public_text);
  free(unchanged);
  free(replaced);
  free(other_public);
  free(private_path);
  free(public_path);
}

static void test_key_errors(const char *dir) {
  char *private_path = cgym_test_path(dir, "key.pem");
  char *public_path = cgym_test_path(dir, "key.pub");
  char *missing = cgym_test_path(dir, "missing.pub");
  char *garbage = cgym_test_path(dir, "garbage.pub");
  char *encrypted = cgym_test_path(dir, "encrypted.pem");
  EVP_PKEY *key = NULL;

  CHECK_OK(cgym_keygen(private_path, public_path, 0));

  CHECK_ERROR(cgym_key_load_public(missing, &key), CGYM_ENOTFOUND, missing);
  CHECK_ERROR(cgym_key_load_private(missing, &key), CGYM_ENOTFOUND, missing);

  write_text(garbage, "this is not a key\n");
  CHECK_ERROR(cgym_key_load_public(garbage, &key), CGYM_EFORMAT, garbage);
  CHECK_ERROR(cgym_key_load_private(garbage, &key), CGYM_EFORMAT, garbage);

  CHECK_ERROR(cgym_key_load_public(private_path, &key), CGYM_EFORMAT, "contains a private key");
  CHECK_ERROR(cgym_key_load_private(public_path, &key), CGYM_EFORMAT, "contains a public key");

  write_text(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
                        "-----END ENCRYPTED PRIVATE KEY-----\n");
  CHECK_ERROR(cgym_key_load_private(encrypted, &key), CGYM_EFORMAT, "is encrypted");
  CHECK(key == NULL);

  free(private_path);
  free(public_path);
  free(missing);
  free(garbage);
  free(encrypted);
}

/* Decodes text and returns the error code (CGYM_OK when accepted). */
static int decode(const char *text, const char *expected) {
  unsigned char *data = NULL;
  size_t size = 0;
  int rc = cgym_base64_decode(text, strlen(text), "test value", &data, &size);
  if (rc == CGYM_OK && expected) {
    CHECK(size == strlen(expected));
    CHECK(memcmp(data, expected, size) == 0);
  }
  free(data);
  return rc;
}

static void test_base64(void) {
  const char *inputs[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char *encoded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};

  /* The test vectors of RFC 4648 section 10, both ways. */
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    char *text = cgym_base64_encode((const unsigned char *)inputs[i], strlen(inputs[i]));
    CHECK_STR_EQ(text, encoded[i]);
    free(text);
    CHECK(decode(encoded[i], inputs[i]) == CGYM_OK);
  }

  const char *rejected[] = {
    "Zg",        /* missing padding */
    "Zg=",       /* short padding */
    "Zh==",      /* non-zero unused bits */
    "Zm9=",      /* non-zero unused bits with one '=' */
    "Zg==Zg==",  /* padding before the end */
    "Z g=",      /* whitespace */
    "Zm9v\n",    /* trailing newline */
    "Zm-_",      /* URL-safe alphabet */
    "====",      /* padding only */
    "Z===",      /* three '=' */
    "Zm=v",      /* '=' inside a group */
  };
  for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; i++)
    CHECK_ERROR(decode(rejected[i], NULL), CGYM_EFORMAT, "test value is not canonical base64");
}

static void test_pae(void) {
  unsigned char *pae = NULL;
  size_t size = 0;

  /* The example of the DSSE protocol description. */
  CHECK_OK(cgym_dsse_pae("http://example.com/HelloWorld", (const unsigned char *)"hello world", 11,
                         &pae, &size));
  const char *expected = "DSSEv1 29 http://example.com/HelloWorld 11 hello world";
  CHECK(size == strlen(expected));
  CHECK(pae != NULL);
  if (pae) CHECK(memcmp(pae, expected, size) == 0);
  free(pae);

  CHECK_OK(cgym_dsse_pae("t", NULL, 0, &pae, &size));
  CHECK(size == strlen("DSSEv1 1 t 0 "));
  CHECK(pae != NULL);
  if (pae) CHECK(memcmp(pae, "DSSEv1 1 t 0 ", size) == 0);
  free(pae);
}

int main(void) {
  char *keygen_dir = cgym_test_temp_dir("manifest-keygen");
  char *errors_dir = cgym_test_temp_dir("manifest-keys");

  test_keygen(keygen_dir);
  test_key_errors(errors_dir);
  test_base64();
  test_pae();

  remove_folder(keygen_dir);
  remove_folder(errors_dir);
  free(keygen_dir);
  free(errors_dir);
  return cgym_check_summary();
}
