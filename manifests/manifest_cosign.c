/*
 * Co-signing: a second party adds its Ed25519 signature over the same DSSE payload. The payload
 * does not change, so earlier signatures stay valid, and the envelope is rewritten in the one
 * canonical form with the new signature after the existing ones.
 */
#include "manifests/manifest.h"
#include "manifests/manifest_internal.h"

#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"
#include "env/file_io.h"

static const char *signature_field(const cgym_envelope *parsed, size_t index, const char *key) {
  return json_string_value(json_object_get(json_array_get(parsed->signatures, index), key));
}

/* Formats the envelope with its signatures plus the new one (key id and base64 signature). */
static int format_with(const cgym_envelope *parsed, const char *key_id, const char *sig,
                       char **text, size_t *size) {
  size_t count = json_array_size(parsed->signatures);
  cgym_dsse_signature *entries = calloc(count + 1, sizeof *entries);
  if (!entries) return cgym_error_set(CGYM_ENOMEM, "out of memory co-signing");

  for (size_t i = 0; i < count; i++) {
    entries[i].keyid = signature_field(parsed, i, "keyid");
    entries[i].sig = signature_field(parsed, i, "sig");
  }
  entries[count] = (cgym_dsse_signature){.keyid = key_id, .sig = sig};
  int rc = cgym_dsse_envelope_format(parsed->payload_type, parsed->payload, entries, count + 1,
                                     text, size);
  free(entries);
  return rc;
}

/* Signs the parsed envelope's payload with key and writes the extended envelope. */
static int add_signature(const char *manifest_path, EVP_PKEY *key, const cgym_envelope *parsed) {
  unsigned char signature[CGYM_ED25519_SIGNATURE_SIZE];
  char key_id[65];
  char *sig = NULL, *text = NULL;
  size_t size = 0;

  int rc = cgym_key_id(key, key_id);
  if (rc != CGYM_OK) return rc;
  for (size_t i = 0; i < json_array_size(parsed->signatures); i++)
    if (strcmp(signature_field(parsed, i, "keyid"), key_id) == 0)
      return cgym_error_set(CGYM_EINVAL, "%s is already signed by key %s", manifest_path, key_id);

  rc = cgym_dsse_sign(key, parsed->payload_type, parsed->payload_bytes, parsed->payload_size,
                      signature);
  if (rc != CGYM_OK) return rc;
  sig = cgym_base64_encode(signature, sizeof signature);
  if (!sig) return cgym_error_set(CGYM_ENOMEM, "out of memory co-signing %s", manifest_path);

  rc = format_with(parsed, key_id, sig, &text, &size);
  if (rc == CGYM_OK) rc = cgym_file_write_atomic(manifest_path, text, size, 0644, 1);
  free(text);
  free(sig);
  return rc;
}

int cgym_manifest_cosign(const char *manifest_path, const char *private_key_path) {
  cgym_envelope parsed = {0};
  json_t *statement = NULL;
  EVP_PKEY *key = NULL;

  if (!manifest_path || !private_key_path)
    return cgym_error_set(CGYM_EINVAL, "cgym_manifest_cosign needs a manifest path and a private "
                          "key path");

  int rc = cgym_key_load_private(private_key_path, &key);
  if (rc == CGYM_OK) rc = cgym_envelope_read(manifest_path, &parsed);
  /* Only a cgym statement is co-signed, so a signer cannot vouch for a foreign payload by
   * mistake. */
  if (rc == CGYM_OK)
    rc = cgym_statement_parse(manifest_path, parsed.payload_bytes, parsed.payload_size,
                              &statement);
  /* A co-signature vouches for the result files too, so they must still match the statement. */
  size_t subject_count = 0;
  if (rc == CGYM_OK) rc = cgym_manifest_check_subjects(manifest_path, statement, &subject_count);
  if (rc == CGYM_OK) rc = add_signature(manifest_path, key, &parsed);

  json_decref(statement);
  cgym_envelope_release(&parsed);
  EVP_PKEY_free(key);
  return rc;
}
