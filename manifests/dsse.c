/*
 * DSSE (Dead Simple Signing Envelope, secure-systems-lab/dsse, protocol v1.0): the signature
 * covers the pre-authentication encoding of the payload type and the payload bytes, never the
 * JSON of the envelope, so the type cannot be swapped without breaking the signature.
 *
 * The envelope is written in one canonical form so that verification can reject every changed
 * byte, including whitespace and key order, which the signature alone does not cover.
 */
#include "manifests/manifest_internal.h"

#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"

int cgym_dsse_pae(const char *type, const unsigned char *body, size_t body_size,
                  unsigned char **out, size_t *out_size) {
  size_t type_size = strlen(type);
  int header_size = snprintf(NULL, 0, "DSSEv1 %zu %s %zu ", type_size, type, body_size);
  unsigned char *pae = malloc((size_t)header_size + body_size + 1);

  if (!pae) return cgym_error_set(CGYM_ENOMEM, "out of memory building the DSSE encoding");
  snprintf((char *)pae, (size_t)header_size + 1, "DSSEv1 %zu %s %zu ", type_size, type, body_size);
  if (body_size > 0) memcpy(pae + header_size, body, body_size);

  *out = pae;
  *out_size = (size_t)header_size + body_size;
  return CGYM_OK;
}

int cgym_dsse_sign(EVP_PKEY *key, const char *type, const unsigned char *body, size_t body_size,
                   unsigned char signature[CGYM_ED25519_SIGNATURE_SIZE]) {
  unsigned char *pae = NULL;
  size_t pae_size = 0, signature_size = CGYM_ED25519_SIGNATURE_SIZE;
  EVP_MD_CTX *context = NULL;

  int rc = cgym_dsse_pae(type, body, body_size, &pae, &pae_size);
  if (rc != CGYM_OK) return rc;

  /* Ed25519 hashes internally (RFC 8032), so the digest argument is NULL. */
  context = EVP_MD_CTX_new();
  if (!context || EVP_DigestSignInit(context, NULL, NULL, NULL, key) != 1 ||
      EVP_DigestSign(context, signature, &signature_size, pae, pae_size) != 1 ||
      signature_size != CGYM_ED25519_SIGNATURE_SIZE) {
    ERR_clear_error();
    rc = cgym_error_set(CGYM_ECRYPTO, "Ed25519 signing failed in libcrypto");
  }

  EVP_MD_CTX_free(context);
  free(pae);
  return rc;
}

int cgym_dsse_verify(EVP_PKEY *key, const char *type, const unsigned char *body, size_t body_size,
                     const unsigned char *signature, size_t signature_size) {
  unsigned char *pae = NULL;
  size_t pae_size = 0;

  int rc = cgym_dsse_pae(type, body, body_size, &pae, &pae_size);
  if (rc != CGYM_OK) return rc;

  EVP_MD_CTX *context = EVP_MD_CTX_new();
  if (!context) {
    free(pae);
    return cgym_error_set(CGYM_ENOMEM, "out of memory verifying a signature");
  }

  int valid = 0;
  if (EVP_DigestVerifyInit(context, NULL, NULL, NULL, key) == 1)
    valid = EVP_DigestVerify(context, signature, signature_size, pae, pae_size) == 1;
  ERR_clear_error();

  EVP_MD_CTX_free(context);
  free(pae);
  return valid;
}

/* Builds {"keyid": ..., "sig": ...} entries in order. */
static json_t *signatures_to_json(const cgym_dsse_signature *signatures, size_t count) {
  json_t *list = json_array();

  for (size_t i = 0; list && i < count; i++) {
    json_t *entry = json_pack("{s:s, s:s}", "keyid", signatures[i].keyid, "sig",
                              signatures[i].sig);
    if (!entry || json_array_append_new(list, entry) != 0) {
      json_decref(list);
      return NULL;
    }
  }
  return list;
}

int cgym_dsse_envelope_format(const char *payload_type, const char *payload_base64,
                              const cgym_dsse_signature *signatures, size_t signature_count,
                              char **text, size_t *size) {
  json_t *list = signatures_to_json(signatures, signature_count);
  json_t *envelope = list ? json_pack("{s:s, s:s, s:o}", "payloadType", payload_type, "payload",
                                      payload_base64, "signatures", list)
                          : NULL;
  char *compact = envelope ? json_dumps(envelope, JSON_COMPACT) : NULL;

  json_decref(envelope);
  if (!compact) return cgym_error_set(CGYM_ENOMEM, "out of memory serialising the envelope");

  size_t length = strlen(compact);
  char *with_newline = realloc(compact, length + 2);
  if (!with_newline) {
    free(compact);
    return cgym_error_set(CGYM_ENOMEM, "out of memory serialising the envelope");
  }
  with_newline[length] = '\n';
  with_newline[length + 1] = '\0';

  *text = with_newline;
  *size = length + 1;
  return CGYM_OK;
}
