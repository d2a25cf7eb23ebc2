/*
 * Verification of a manifest, in the order of the DSSE protocol. The envelope is parsed strictly
 * and its bytes must be the canonical form. Then a signature over PAE(payloadType, payload) must
 * verify with the given public key, and only then is the statement parsed and every subject hashed.
 *
 * The canonical-form check makes the whole file tamper-evident: the signature covers only the
 * payload type and payload, so without it a change in whitespace, key order or an unverified
 * signature's key id would pass. A signature counts only when its keyid names the verifying key,
 * so even the unsigned keyid field cannot be changed.
 */
#include "manifests/manifest.h"
#include "manifests/manifest_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"
#include "env/file_io.h"

typedef cgym_envelope envelope;

/* Maximum length of a value's label in messages: the manifest path and a short JSON path. */
#define LABEL_MAX 1024

static int is_lowercase_hex64(const char *text) {
  return strlen(text) == 64 && strspn(text, "0123456789abcdef") == 64;
}

static int check_keys(const char *manifest_path, json_t *object, const char *const *allowed,
                      const char *where) {
  const char *key;
  json_t *value;

  json_object_foreach(object, key, value) {
    size_t i = 0;
    while (allowed[i] && strcmp(allowed[i], key) != 0) i++;
    if (!allowed[i])
      return cgym_error_set(CGYM_EFORMAT, "%s: unknown key \"%s\" in %s", manifest_path, key,
                            where);
  }
  return CGYM_OK;
}

static int parse_signature(const char *manifest_path, json_t *entry, size_t index) {
  static const char *const keys[] = {"keyid", "sig", NULL};
  unsigned char *signature = NULL;
  size_t signature_size = 0;
  char label[LABEL_MAX];

  if (!json_is_object(entry))
    return cgym_error_set(CGYM_EFORMAT, "%s: signatures[%zu] is not an object", manifest_path,
                          index);
  int rc = check_keys(manifest_path, entry, keys, "a signature");
  if (rc != CGYM_OK) return rc;

  const char *keyid = json_string_value(json_object_get(entry, "keyid"));
  const char *sig = json_string_value(json_object_get(entry, "sig"));
  if (!keyid || !is_lowercase_hex64(keyid))
    return cgym_error_set(CGYM_EFORMAT, "%s: signatures[%zu].keyid is missing or not 64 "
                          "lowercase hex digits", manifest_path, index);
  if (!sig)
    return cgym_error_set(CGYM_EFORMAT, "%s: signatures[%zu].sig is missing", manifest_path,
                          index);

  snprintf(label, sizeof label, "%s: signatures[%zu].sig", manifest_path, index);
  rc = cgym_base64_decode(sig, json_string_length(json_object_get(entry, "sig")), label,
                          &signature, &signature_size);
  free(signature);
  if (rc == CGYM_OK && signature_size != CGYM_ED25519_SIGNATURE_SIZE)
    rc = cgym_error_set(CGYM_EFORMAT, "%s: signatures[%zu].sig has %zu bytes, but an Ed25519 "
                        "signature has %d", manifest_path, index, signature_size,
                        CGYM_ED25519_SIGNATURE_SIZE);
  return rc;
}

/* Parses the envelope strictly; each failure names the file and the missing or wrong part. */
static int parse_envelope(const char *manifest_path, const char *text, size_t size,
                          envelope *out) {
  static const char *const keys[] = {"payloadType", "payload", "signatures", NULL};
  json_error_t error;
  char label[LABEL_MAX];

  out->root = json_loadb(text, size, JSON_REJECT_DUPLICATES, &error);
  if (!out->root)
    return cgym_error_set(CGYM_EFORMAT, "%s is not JSON (%s at line %d column %d), so it is not "
                          "a DSSE envelope", manifest_path, error.text, error.line, error.column);
  if (!json_is_object(out->root))
    return cgym_error_set(CGYM_EFORMAT, "%s is not a JSON object, so it is not a DSSE envelope",
                          manifest_path);
  int rc = check_keys(manifest_path, out->root, keys, "the envelope");
  if (rc != CGYM_OK) return rc;

  out->payload_type = json_string_value(json_object_get(out->root, "payloadType"));
  if (!out->payload_type)
    return cgym_error_set(CGYM_EFORMAT, "%s: missing payloadType, so it is not a DSSE envelope",
                          manifest_path);
  if (strcmp(out->payload_type, CGYM_DSSE_PAYLOAD_TYPE) != 0)
    return cgym_error_set(CGYM_EFORMAT, "%s: wrong payloadType \"%s\", expected \"%s\"",
                          manifest_path, out->payload_type, CGYM_DSSE_PAYLOAD_TYPE);

  out->payload = json_string_value(json_object_get(out->root, "payload"));
  if (!out->payload)
    return cgym_error_set(CGYM_EFORMAT, "%s: missing payload", manifest_path);
  snprintf(label, sizeof label, "%s: payload", manifest_path);
  rc = cgym_base64_decode(out->payload, json_string_length(json_object_get(out->root, "payload")),
                          label, &out->payload_bytes, &out->payload_size);
  if (rc != CGYM_OK) return rc;

  out->signatures = json_object_get(out->root, "signatures");
  if (!json_is_array(out->signatures) || json_array_size(out->signatures) == 0)
    return cgym_error_set(CGYM_EFORMAT, "%s: the envelope has no signatures", manifest_path);
  for (size_t i = 0; i < json_array_size(out->signatures); i++) {
    rc = parse_signature(manifest_path, json_array_get(out->signatures, i), i);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

static const char *signature_field(const envelope *parsed, size_t index, const char *key) {
  return json_string_value(json_object_get(json_array_get(parsed->signatures, index), key));
}

/* Re-serialises the parsed envelope and compares it with the file's bytes. */
static int check_canonical(const char *manifest_path, const envelope *parsed, const char *text,
                           size_t size) {
  size_t count = json_array_size(parsed->signatures), canonical_size = 0;
  cgym_dsse_signature *entries = calloc(count, sizeof *entries);
  char *canonical = NULL;

  if (!entries) return cgym_error_set(CGYM_ENOMEM, "out of memory verifying %s", manifest_path);
  for (size_t i = 0; i < count; i++) {
    entries[i].keyid = signature_field(parsed, i, "keyid");
    entries[i].sig = signature_field(parsed, i, "sig");
  }

  int rc = cgym_dsse_envelope_format(parsed->payload_type, parsed->payload, entries, count,
                                     &canonical, &canonical_size);
  if (rc == CGYM_OK && (canonical_size != size || memcmp(canonical, text, size) != 0))
    rc = cgym_error_set(CGYM_EFORMAT, "%s is not in canonical form (compact JSON with the keys "
                        "payloadType, payload, signatures in this order and one trailing "
                        "newline): the file was edited after it was written", manifest_path);

  free(canonical);
  free(entries);
  return rc;
}

/* Lists up to four key ids of the envelope for the error message. */
static void list_key_ids(const envelope *parsed, char *out, size_t out_size) {
  size_t count = json_array_size(parsed->signatures), used = 0;

  out[0] = '\0';
  for (size_t i = 0; i < count && i < 4; i++)
    used += (size_t)snprintf(out + used, out_size - used, "%s%s", i ? ", " : "",
                             signature_field(parsed, i, "keyid"));
  if (count > 4) snprintf(out + used, out_size - used, " and %zu more", count - 4);
}

/* Succeeds when a signature whose keyid names key verifies over PAE(payloadType, payload). */
static int check_signatures(const char *manifest_path, const char *public_key_path, EVP_PKEY *key,
                            const char *key_id, const envelope *parsed,
                            const unsigned char *payload, size_t payload_size) {
  for (size_t i = 0; i < json_array_size(parsed->signatures); i++) {
    const char *sig = signature_field(parsed, i, "sig");
    unsigned char *signature = NULL;
    size_t signature_size = 0;

    if (strcmp(signature_field(parsed, i, "keyid"), key_id) != 0) continue;
    int rc = cgym_base64_decode(sig, strlen(sig), "signature", &signature, &signature_size);
    if (rc != CGYM_OK) return rc;
    int valid = cgym_dsse_verify(key, parsed->payload_type, payload, payload_size, signature,
                                 signature_size);
    free(signature);
    if (valid < 0) return valid;
    if (valid == 1) return CGYM_OK;
  }

  char listed[4 * 66 + 32];
  list_key_ids(parsed, listed, sizeof listed);
  return cgym_error_set(CGYM_ESIGNATURE, "%s: signature does not verify with key %s (file %s): "
                        "the manifest was changed or signed with another key; its signatures "
                        "name key id %s", manifest_path, key_id, public_key_path, listed);
}

static char *folder_of(const char *path) {
  const char *slash = strrchr(path, '/');

  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

static int check_subject(const char *folder, json_t *subject) {
  const char *name = json_string_value(json_object_get(subject, "name"));
  const char *expected = json_string_value(json_object_get(json_object_get(subject, "digest"),
                                                           "sha256"));
  char actual[65], label[CGYM_SUBJECT_NAME_MAX + 16];

  size_t path_size = strlen(folder) + strlen(name) + 2;
  char *path = malloc(path_size);
  if (!path) return cgym_error_set(CGYM_ENOMEM, "out of memory hashing subject %s", name);
  snprintf(path, path_size, "%s/%s", folder, name);
  snprintf(label, sizeof label, "subject %s", name);

  int rc = cgym_sha256_file_named(path, label, actual);
  if (rc == CGYM_OK && strcmp(expected, actual) != 0)
    rc = cgym_error_set(CGYM_ESIGNATURE, "subject %s does not match the manifest: expected "
                        "sha256 %s, actual %s (file %s): the file changed after signing", name,
                        expected, actual, path);
  free(path);
  return rc;
}

/* Hashes every subject file next to the manifest and compares it with the signed digest. */
int cgym_manifest_check_subjects(const char *manifest_path, json_t *statement, size_t *count) {
  json_t *subjects = json_object_get(statement, "subject");
  char *folder = folder_of(manifest_path);

  if (!folder) return cgym_error_set(CGYM_ENOMEM, "out of memory verifying %s", manifest_path);
  int rc = CGYM_OK;
  for (size_t i = 0; rc == CGYM_OK && i < json_array_size(subjects); i++)
    rc = check_subject(folder, json_array_get(subjects, i));

  free(folder);
  *count = json_array_size(subjects);
  return rc;
}

/* Runs the checks after the envelope is parsed and canonical: signature, statement, subjects. */
static int verify_parsed(const char *manifest_path, const char *public_key_path,
                         const envelope *parsed, cgym_manifest_verify_report *report) {
  EVP_PKEY *key = NULL;
  const unsigned char *payload = parsed->payload_bytes;
  size_t payload_size = parsed->payload_size, subject_count = 0;
  json_t *statement = NULL;
  char key_id[65];

  int rc = cgym_key_load_public(public_key_path, &key);
  if (rc == CGYM_OK) rc = cgym_key_id(key, key_id);
  if (rc == CGYM_OK)
    rc = check_signatures(manifest_path, public_key_path, key, key_id, parsed, payload,
                          payload_size);
  if (rc == CGYM_OK) rc = cgym_statement_parse(manifest_path, payload, payload_size, &statement);
  if (rc == CGYM_OK) rc = cgym_manifest_check_subjects(manifest_path, statement, &subject_count);

  if (rc == CGYM_OK && report) {
    report->key_id = strdup(key_id);
    report->subject_count = subject_count;
    report->predicate = json_incref(json_object_get(statement, "predicate"));
    if (!report->key_id) rc = cgym_error_set(CGYM_ENOMEM, "out of memory verifying %s",
                                             manifest_path);
  }

  json_decref(statement);
  EVP_PKEY_free(key);
  return rc;
}

int cgym_envelope_read(const char *manifest_path, cgym_envelope *out) {
  char *text = NULL;
  size_t size = 0;

  memset(out, 0, sizeof *out);
  int rc = cgym_file_read_all(manifest_path, CGYM_MANIFEST_MAX, "manifest file", &text, &size);
  if (rc == CGYM_OK) rc = parse_envelope(manifest_path, text, size, out);
  if (rc == CGYM_OK) rc = check_canonical(manifest_path, out, text, size);
  free(text);
  if (rc != CGYM_OK) cgym_envelope_release(out);
  return rc;
}

void cgym_envelope_release(cgym_envelope *parsed) {
  if (!parsed) return;
  json_decref(parsed->root);
  free(parsed->payload_bytes);
  memset(parsed, 0, sizeof *parsed);
}

int cgym_manifest_verify(const char *manifest_path, const char *public_key_path,
                         cgym_manifest_verify_report *report) {
  envelope parsed = {0};

  if (report) memset(report, 0, sizeof *report);
  if (!manifest_path || !public_key_path)
    return cgym_error_set(CGYM_EINVAL, "cgym_manifest_verify needs a manifest path and a public "
                          "key path");

  int rc = cgym_envelope_read(manifest_path, &parsed);
  if (rc == CGYM_OK) rc = verify_parsed(manifest_path, public_key_path, &parsed, report);

  if (rc != CGYM_OK) cgym_manifest_verify_report_clear(report);
  cgym_envelope_release(&parsed);
  return rc;
}

int cgym_manifest_read_predicate(const char *manifest_path, json_t **predicate) {
  envelope parsed = {0};
  json_t *statement = NULL;

  *predicate = NULL;
  int rc = cgym_envelope_read(manifest_path, &parsed);
  if (rc == CGYM_OK)
    rc = cgym_statement_parse(manifest_path, parsed.payload_bytes, parsed.payload_size,
                              &statement);
  if (rc == CGYM_OK) *predicate = json_incref(json_object_get(statement, "predicate"));

  json_decref(statement);
  cgym_envelope_release(&parsed);
  return rc;
}

void cgym_manifest_verify_report_clear(cgym_manifest_verify_report *report) {
  if (!report) return;

  free(report->key_id);
  json_decref(report->predicate);
  memset(report, 0, sizeof *report);
}
