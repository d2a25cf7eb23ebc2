#ifndef CGYM_MANIFESTS_MANIFEST_H
#define CGYM_MANIFESTS_MANIFEST_H

/*
 * Signed run manifests: an in-toto Statement v1 (predicateType
 * "https://cgym.dev/run-manifest/v1") in a DSSE envelope signed with Ed25519 over the DSSE
 * pre-authentication encoding. Subjects are result files by SHA-256, named relative to the
 * manifest's folder. Keys are PEM files: PKCS#8 private keys and SubjectPublicKeyInfo public keys;
 * a key id is the lowercase hex SHA-256 of the raw 32-byte public key. Verification takes only a
 * public key file: a private key file in its place is rejected with CGYM_EFORMAT. The format is
 * described in docs/manifest-format.md.
 */

#include <jansson.h>
#include <stddef.h>

/* Writes a new key pair; the private key file gets mode 0600. Refuses to overwrite existing files
 * (CGYM_EINVAL naming the file) unless overwrite is nonzero. */
int cgym_keygen(const char *private_key_path, const char *public_key_path, int overwrite);

/*
 * Builds the statement over the subject files (paths relative to base_dir) and the predicate
 * (borrowed, a JSON object), signs it with the private key and writes the envelope to
 * manifest_path (atomic). base_dir NULL means the manifest's folder; verification looks for the
 * subjects next to the manifest, so base_dir should be that folder. Subject names must be relative
 * without "." or ".." components (CGYM_EINVAL). The same predicate, subject bytes and key give the
 * same manifest bytes.
 */
int cgym_manifest_write(const char *manifest_path, const char *private_key_path,
                        const char *base_dir, const char *const *subjects, size_t subject_count,
                        json_t *predicate);

/* Loads a public key file and writes its key id. Callers check key files with it before
 * verifying, to tell a missing or malformed key from a signature that does not verify. Errors:
 * CGYM_ENOTFOUND (no such file), CGYM_EFORMAT (not a PEM Ed25519 public key, or a private key),
 * CGYM_EINVAL (a folder), CGYM_ELIMIT, CGYM_EIO. */
int cgym_public_key_id(const char *public_key_path, char key_id[65]);

/* Outcome of a verification, for the CLI report. */
typedef struct cgym_manifest_verify_report {
  char *key_id;          /* key id that verified, NULL when none did */
  size_t subject_count;  /* subjects checked */
  json_t *predicate;     /* the verified predicate (new reference) or NULL */
} cgym_manifest_verify_report;

/*
 * Verifies the envelope signature with the public key, then every subject's SHA-256 against the
 * file next to the manifest. The envelope must be byte for byte in the canonical form that
 * cgym_manifest_write produces, and a signature counts only when its keyid is the key's id.
 * Errors:
 *   CGYM_ESIGNATURE  bad or missing signature, wrong key, or a subject mismatch (the message names
 *                    the subject, the expected and the actual digest)
 *   CGYM_EFORMAT     not a DSSE envelope, not in canonical form, not an in-toto Statement v1, or
 *                    a malformed or private key file
 *   CGYM_ENOTFOUND   manifest, key or subject file missing
 *   CGYM_ELIMIT, CGYM_EIO
 * report may be NULL. On failure it is cleared.
 */
int cgym_manifest_verify(const char *manifest_path, const char *public_key_path,
                         cgym_manifest_verify_report *report);

/*
 * Reads the predicate of a manifest without verifying any signature, for tools that only
 * display or compare runs; *predicate is a new reference. The envelope must still be canonical
 * and the statement well formed. Errors: CGYM_EFORMAT, CGYM_ENOTFOUND, CGYM_ELIMIT, CGYM_EIO.
 */
int cgym_manifest_read_predicate(const char *manifest_path, json_t **predicate);

/*
 * Adds a signature by the private key to an existing manifest and rewrites it atomically in
 * canonical form, keeping the signatures it has; a second party who re-ran the run co-signs this
 * way. The payload is unchanged, so every earlier signature stays valid. The result files next
 * to the manifest must match the statement's subjects. Existing signatures are not checked here:
 * run cgym_manifest_verify (with replay) first. Errors: CGYM_EINVAL when the key has signed the
 * manifest already, CGYM_ESIGNATURE or CGYM_ENOTFOUND for a subject that does not match or is
 * missing, the errors of reading and parsing the envelope and the statement, and of loading the
 * key.
 */
int cgym_manifest_cosign(const char *manifest_path, const char *private_key_path);

/* Frees the report's key id and predicate and zeroes it; NULL is accepted. */
void cgym_manifest_verify_report_clear(cgym_manifest_verify_report *report);

#endif
