/*
 * Signing: the statement over the result files is signed with Ed25519 over the DSSE
 * pre-authentication encoding and written as one canonical envelope.
 */
#include "manifests/manifest.h"
#include "manifests/manifest_internal.h"

#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"
#include "env/file_io.h"

/* Encodes the payload and the signature and formats the canonical envelope text. */
static int format_signed(EVP_PKEY *key, const char *payload_type, const unsigned char *payload,
                         size_t payload_size, char **text, size_t *size) {
  unsigned char signature[CGYM_ED25519_SIGNATURE_SIZE];
  char key_id[65];
  char *payload_base64 = NULL, *signature_base64 = NULL;
  cgym_dsse_signature entry = {.keyid = key_id, .sig = NULL};

  int rc = cgym_key_id(key, key_id);
  if (rc == CGYM_OK) rc = cgym_dsse_sign(key, payload_type, payload, payload_size, signature);
  if (rc != CGYM_OK) return rc;

  payload_base64 = cgym_base64_encode(payload, payload_size);
  signature_base64 = cgym_base64_encode(signature, sizeof signature);
  if (!payload_base64 || !signature_base64) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory encoding the envelope");
    goto done;
  }

  entry.sig = signature_base64;
  rc = cgym_dsse_envelope_format(payload_type, payload_base64, &entry, 1, text, size);

done:
  free(payload_base64);
  free(signature_base64);
  return rc;
}

int cgym_dsse_envelope_write(const char *path, const char *private_key_path,
                             const char *payload_type, const unsigned char *payload,
                             size_t payload_size) {
  EVP_PKEY *key = NULL;
  char *text = NULL;
  size_t size = 0;

  int rc = cgym_key_load_private(private_key_path, &key);
  if (rc != CGYM_OK) return rc;

  rc = format_signed(key, payload_type, payload, payload_size, &text, &size);
  if (rc == CGYM_OK) rc = cgym_file_write_atomic(path, text, size, 0644, 1);

  free(text);
  EVP_PKEY_free(key);
  return rc;
}

/* Returns the malloc'ed folder of path, "." when it has none. */
static char *folder_of(const char *path) {
  const char *slash = strrchr(path, '/');

  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

int cgym_manifest_write(const char *manifest_path, const char *private_key_path,
                        const char *base_dir, const char *const *subjects, size_t subject_count,
                        json_t *predicate) {
  char *folder = NULL, *statement = NULL;
  size_t statement_size = 0;
  int rc;

  if (!manifest_path || !private_key_path || (!subjects && subject_count > 0))
    return cgym_error_set(CGYM_EINVAL, "cgym_manifest_write needs a manifest path, a private key "
                          "path and the subject list");
  if (subject_count == 0)
    return cgym_error_set(CGYM_EINVAL, "manifest %s has no subjects: an in-toto statement names "
                          "at least one file", manifest_path);
  if (!json_is_object(predicate))
    return cgym_error_set(CGYM_EINVAL, "the predicate of manifest %s must be a JSON object",
                          manifest_path);

  folder = base_dir ? strdup(base_dir) : folder_of(manifest_path);
  if (!folder) return cgym_error_set(CGYM_ENOMEM, "out of memory writing %s", manifest_path);

  rc = cgym_statement_build(folder, subjects, subject_count, predicate, &statement,
                            &statement_size);
  if (rc == CGYM_OK)
    rc = cgym_dsse_envelope_write(manifest_path, private_key_path, CGYM_DSSE_PAYLOAD_TYPE,
                                  (const unsigned char *)statement, statement_size);

  free(statement);
  free(folder);
  return rc;
}
