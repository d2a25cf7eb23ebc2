#ifndef CGYM_MANIFESTS_MANIFEST_H
#define CGYM_MANIFESTS_MANIFEST_H

/*
 * Signed run manifests: an in-toto Statement v1 (predicateType
 * "https://cgym.dev/run-manifest/v1") in a DSSE envelope signed with Ed25519 over the DSSE
 * pre-authentication encoding. Subjects are result files by SHA-256, named relative to the
 * manifest's folder. Keys are PEM files: PKCS#8 private keys and SubjectPublicKeyInfo public keys;
 * a key id is the lowercase hex SHA-256 of the raw 32-byte public key.
 */

#include <jansson.h>
#include <stddef.h>

/* Writes a new key pair; the private key file gets mode 0600. Refuses to overwrite existing files
 * (CGYM_EINVAL naming the file) unless overwrite is nonzero. */
int cgym_keygen(const char *private_key_path, const char *public_key_path, int overwrite);

/*
 * Builds the statement over the subject files (paths relative to base_dir) and the predicate
 * (borrowed), signs it with the private key and writes the envelope to manifest_path (atomic).
 */
int cgym_manifest_write(const char *manifest_path, const char *private_key_path,
                        const char *base_dir, const char *const *subjects, size_t subject_count,
                        json_t *predicate);

/* Outcome of a verification, for the CLI report. */
typedef struct cgym_verify_report {
  char *key_id;          /* key id that verified, NULL when none did */
  size_t subject_count;  /* subjects checked */
  json_t *predicate;     /* the verified predicate (new reference) or NULL */
} cgym_verify_report;

/*
 * Verifies the envelope signature with the public key, then every subject's SHA-256 against the
 * file next to the manifest. Errors: CGYM_ESIGNATURE (bad or missing signature, wrong key, subject
 * mismatch: the message names the subject, the expected and the actual digest), CGYM_EFORMAT
 * (not a DSSE envelope or not an in-toto Statement v1), CGYM_ENOTFOUND, CGYM_EIO.
 */
int cgym_manifest_verify(const char *manifest_path, const char *public_key_path,
                         cgym_verify_report *report);

void cgym_verify_report_clear(cgym_verify_report *report);

#endif
