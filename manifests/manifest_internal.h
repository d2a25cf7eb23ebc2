#ifndef CGYM_MANIFESTS_MANIFEST_INTERNAL_H
#define CGYM_MANIFESTS_MANIFEST_INTERNAL_H

/*
 * Building blocks of manifests/: strict base64, Ed25519 keys, SHA-256, the DSSE envelope and the
 * in-toto statement. Internal to libcgym; the tests use them to build envelopes that
 * cgym_manifest_write would never produce.
 */

#include <jansson.h>
#include <openssl/evp.h>
#include <stddef.h>

#include "env/sha256_internal.h"

#define CGYM_DSSE_PAYLOAD_TYPE "application/vnd.in-toto+json"
#define CGYM_STATEMENT_TYPE "https://in-toto.io/Statement/v1"
#define CGYM_PREDICATE_TYPE "https://cgym.dev/run-manifest/v1"

/* Maximum size of a key file: a PEM Ed25519 key takes about 120 bytes. */
#define CGYM_KEY_FILE_MAX ((size_t)16 * 1024)

/* Maximum size of a manifest file. The predicate carries every episode's counts and actions, a
 * few kilobytes per episode, so this admits runs of tens of thousands of episodes. */
#define CGYM_MANIFEST_MAX ((size_t)256 * 1024 * 1024)

/* Maximum length of a subject name, the usual PATH_MAX of Linux. */
#define CGYM_SUBJECT_NAME_MAX 4096

/* Length of an Ed25519 signature in bytes (RFC 8032). */
#define CGYM_ED25519_SIGNATURE_SIZE 64

/* Returns the standard base64 (RFC 4648 section 4, with padding) of data as a malloc'ed string,
 * or NULL when out of memory. */
char *cgym_base64_encode(const unsigned char *data, size_t size);

/*
 * Decodes standard base64 with padding into a malloc'ed buffer. Only the canonical encoding is
 * accepted: no whitespace, no missing or extra padding, no URL-safe characters, and zero bits in
 * the unused low bits of the last character, so each byte string has exactly one accepted text.
 * Errors: CGYM_EFORMAT naming label (for example "envelope payload"), CGYM_ENOMEM.
 */
int cgym_base64_decode(const char *text, size_t length, const char *label, unsigned char **data,
                       size_t *size);


/* Loads an Ed25519 private key from a PEM PKCS#8 file; the caller frees it with EVP_PKEY_free.
 * Errors: CGYM_ENOTFOUND, CGYM_EFORMAT (naming the file and what it contains instead),
 * CGYM_ELIMIT, CGYM_EIO. */
int cgym_key_load_private(const char *path, EVP_PKEY **key);

/* Loads an Ed25519 public key from a PEM SubjectPublicKeyInfo file. A private key file is
 * rejected with CGYM_EFORMAT, so that private keys are not passed around for verification.
 * Other errors as for cgym_key_load_private. */
int cgym_key_load_public(const char *path, EVP_PKEY **key);

/* Key id: lowercase hex SHA-256 of the raw 32-byte Ed25519 public key. Errors: CGYM_ECRYPTO. */
int cgym_key_id(EVP_PKEY *key, char out[65]);

/* DSSE pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, with the
 * lengths in ASCII decimal. The result is malloc'ed. Errors: CGYM_ENOMEM. */
int cgym_dsse_pae(const char *type, const unsigned char *body, size_t body_size,
                  unsigned char **out, size_t *out_size);

/* Signs PAE(type, body) with an Ed25519 key into signature (64 bytes). Errors: CGYM_ECRYPTO,
 * CGYM_ENOMEM. */
int cgym_dsse_sign(EVP_PKEY *key, const char *type, const unsigned char *body, size_t body_size,
                   unsigned char signature[CGYM_ED25519_SIGNATURE_SIZE]);

/* Returns 1 when signature is a valid Ed25519 signature of PAE(type, body) under key, 0 when it
 * is not, and a negative error code when the check could not run. */
int cgym_dsse_verify(EVP_PKEY *key, const char *type, const unsigned char *body, size_t body_size,
                     const unsigned char *signature, size_t signature_size);

/* One DSSE signature as it appears in the envelope: hex key id and base64 signature. */
typedef struct cgym_dsse_signature {
  const char *keyid;
  const char *sig;
} cgym_dsse_signature;

/* Serialises an envelope in its one canonical form: compact JSON with the keys payloadType,
 * payload, signatures (each keyid, sig) in this order, and one trailing newline. The text is
 * malloc'ed. Errors: CGYM_ENOMEM. */
int cgym_dsse_envelope_format(const char *payload_type, const char *payload_base64,
                              const cgym_dsse_signature *signatures, size_t signature_count,
                              char **text, size_t *size);

/* Signs payload as payloadType with the private key file and writes the canonical envelope to
 * path atomically. cgym_manifest_write uses it with the in-toto payload type. */
int cgym_dsse_envelope_write(const char *path, const char *private_key_path,
                             const char *payload_type, const unsigned char *payload,
                             size_t payload_size);

/* A parsed envelope; the strings point into root, the decoded payload is malloc'ed. */
typedef struct cgym_envelope {
  json_t *root;
  const char *payload_type;
  const char *payload;
  json_t *signatures;
  unsigned char *payload_bytes;
  size_t payload_size;
} cgym_envelope;

/* Reads an envelope file, parses it strictly and checks that its bytes are the canonical form.
 * Signatures are checked for form only, not verified. Errors as for cgym_manifest_verify. */
int cgym_envelope_read(const char *manifest_path, cgym_envelope *out);

/* Frees what cgym_envelope_read acquired and zeroes the struct; NULL is accepted. */
void cgym_envelope_release(cgym_envelope *parsed);

/* Checks that name is a relative path inside the manifest's folder: not empty, not absolute,
 * no "." or ".." component, no empty component, at most CGYM_SUBJECT_NAME_MAX bytes. Returns
 * code with a message naming the subject when it is not. */
int cgym_subject_name_check(const char *name, int code);

/* Builds the statement over the subject files (hashed under base_dir) and predicate, serialised
 * compactly in insertion order. The bytes are malloc'ed. */
int cgym_statement_build(const char *base_dir, const char *const *subjects, size_t subject_count,
                         json_t *predicate, char **bytes, size_t *size);

/* Parses and checks signed statement bytes: _type, predicateType, a non-empty subject list with
 * valid names and SHA-256 digests, and an object predicate. Returns a new reference. Errors:
 * CGYM_EFORMAT naming manifest_path and the problem. */
int cgym_statement_parse(const char *manifest_path, const unsigned char *bytes, size_t size,
                         json_t **statement);

/* Hashes every subject file in the manifest's folder and compares it with the statement's digest.
 * Stores the number of subjects in *count. Errors: CGYM_ESIGNATURE naming the subject, the
 * expected and the actual digest; CGYM_ENOTFOUND for a missing subject file. */
int cgym_manifest_check_subjects(const char *manifest_path, json_t *statement, size_t *count);

#endif
