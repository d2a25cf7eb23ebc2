/*
 * Signing and verifying manifests: a signed manifest verifies, and every change is rejected
 * (each single byte of the envelope, a subject file, the key, the payload type, the statement).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgym/error.h"
#include "manifests/manifest.h"
#include "manifests/manifest_internal.h"
#include "support/check.h"

/* A folder with a key pair, two result files and a manifest over them. */
typedef struct fixture {
  char *dir, *private_key, *public_key, *manifest;
} fixture;

static const char *const subjects[] = {"results.json", "results.md"};

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

static void write_text(const char *path, const char *text) {
  FILE *file = fopen(path, "wb");
  if (!file) abort();
  fputs(text, file);
  fclose(file);
}

static char *read_file(const char *path, size_t *size) {
  FILE *file = fopen(path, "rb");
  if (!file) return NULL;
  char *data = calloc(1 << 20, 1);
  *size = fread(data, 1, (1 << 20) - 1, file);
  fclose(file);
  return data;
}

static void write_file(const char *path, const char *data, size_t size) {
  FILE *file = fopen(path, "wb");
  if (!file) abort();
  if (fwrite(data, 1, size, file) != size) abort();
  fclose(file);
}

static json_t *small_predicate(void) {
  return json_pack("{s:s, s:I}", "cgym_version", "0.1.0", "seed", (json_int_t)7);
}

static fixture fixture_make(const char *prefix) {
  fixture f;
  f.dir = cgym_test_temp_dir(prefix);
  f.private_key = cgym_test_path(f.dir, "key.pem");
  f.public_key = cgym_test_path(f.dir, "key.pub");
  f.manifest = cgym_test_path(f.dir, "manifest.json");

  char *json_path = cgym_test_path(f.dir, "results.json");
  char *markdown_path = cgym_test_path(f.dir, "results.md");
  write_text(json_path, "{\"schema_version\": 1}\n");
  write_text(markdown_path, "# cgym results\n");
  free(json_path);
  free(markdown_path);

  CHECK_OK(cgym_keygen(f.private_key, f.public_key, 0));
  json_t *predicate = small_predicate();
  CHECK_OK(cgym_manifest_write(f.manifest, f.private_key, f.dir, subjects, 2, predicate));
  json_decref(predicate);
  return f;
}

static void fixture_free(fixture *f) {
  remove_folder(f->dir);
  free(f->dir);
  free(f->private_key);
  free(f->public_key);
  free(f->manifest);
}

static void key_id_of(const char *public_key_path, char out[65]) {
  EVP_PKEY *key = NULL;
  out[0] = '\0';
  CHECK_OK(cgym_key_load_public(public_key_path, &key));
  if (key) CHECK_OK(cgym_key_id(key, out));
  EVP_PKEY_free(key);
}

static void test_sign_and_verify(void) {
  fixture f = fixture_make("manifest-ok");
  cgym_manifest_verify_report report;
  char key_id[65];

  key_id_of(f.public_key, key_id);
  CHECK_OK(cgym_manifest_verify(f.manifest, f.public_key, &report));
  CHECK_STR_EQ(report.key_id, key_id);
  CHECK(report.subject_count == 2);
  json_t *expected = small_predicate();
  CHECK(json_equal(report.predicate, expected));
  json_decref(expected);
  cgym_manifest_verify_report_clear(&report);
  CHECK(report.key_id == NULL);
  CHECK(report.predicate == NULL);

  /* The report is optional, and no temporary file is left in the folder. */
  CHECK_OK(cgym_manifest_verify(f.manifest, f.public_key, NULL));
  CHECK(cgym_test_count_entries(f.dir) == 5);

  /* The envelope is compact, in key order, with one trailing newline. */
  size_t size = 0;
  char *text = read_file(f.manifest, &size);
  CHECK(text != NULL);
  CHECK(size > 2);
  if (text && size > 2) {
    CHECK(strncmp(text, "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"", 57) == 0);
    CHECK(text[size - 1] == '\n');
    CHECK(text[size - 2] == '}');
    CHECK(strchr(text, '\n') == text + size - 1);
  }
  free(text);
  fixture_free(&f);
}

static void test_same_predicate_same_bytes(void) {
  fixture f = fixture_make("manifest-same");
  char *second = cgym_test_path(f.dir, "second.json");
  size_t first_size = 0, second_size = 0;

  json_t *predicate = small_predicate();
  CHECK_OK(cgym_manifest_write(second, f.private_key, f.dir, subjects, 2, predicate));
  json_decref(predicate);

  char *first_text = read_file(f.manifest, &first_size);
  char *second_text = read_file(second, &second_size);
  CHECK(first_size > 0);
  CHECK(first_size == second_size);
  if (first_text && second_text && first_size == second_size)
    CHECK(memcmp(first_text, second_text, first_size) == 0);

  free(first_text);
  free(second_text);
  free(second);
  fixture_free(&f);
}

/*
 * Changes every byte of a small manifest to several other values, one at a time, and checks
 * that verification fails each time. Deleting the last byte and appending one must fail too.
 */
static void test_every_byte_change_fails(void) {
  fixture f = fixture_make("manifest-bytes");
  char *tampered = cgym_test_path(f.dir, "tampered.json");
  const unsigned char changes[] = {0x01, 0x20, 0x80};
  size_t size = 0, tried = 0, accepted = 0;
  char *original = read_file(f.manifest, &size);

  CHECK(original != NULL);
  CHECK(size > 100);
  for (size_t position = 0; original && position < size; position++) {
    for (size_t c = 0; c < sizeof changes; c++) {
      char saved = original[position];
      original[position] = (char)((unsigned char)saved ^ changes[c]);
      write_file(tampered, original, size);
      int rc = cgym_manifest_verify(tampered, f.public_key, NULL);
      original[position] = saved;
      tried++;
      if (rc == CGYM_OK || (rc != CGYM_EFORMAT && rc != CGYM_ESIGNATURE)) {
        accepted++;
        fprintf(stderr, "byte %zu xor 0x%02x: verify returned %d\n", position, changes[c], rc);
      }
    }
  }
  CHECK(tried == size * sizeof changes);
  CHECK(accepted == 0);

  if (original) {
    write_file(tampered, original, size - 1);
    CHECK_ERROR(cgym_manifest_verify(tampered, f.public_key, NULL), CGYM_EFORMAT,
                "not in canonical form");
    original[size] = '\n';
    write_file(tampered, original, size + 1);
    CHECK_ERROR(cgym_manifest_verify(tampered, f.public_key, NULL), CGYM_EFORMAT,
                "not in canonical form");
    write_file(tampered, original, size);
    CHECK_OK(cgym_manifest_verify(tampered, f.public_key, NULL));
  }

  free(original);
  free(tampered);
  fixture_free(&f);
}

static void test_wrong_and_missing_key(void) {
  fixture f = fixture_make("manifest-key");
  char *other_private = cgym_test_path(f.dir, "other.pem");
  char *other_public = cgym_test_path(f.dir, "other.pub");
  char *missing = cgym_test_path(f.dir, "missing.pub");
  char other_id[65], own_id[65], fragment[200];

  CHECK_OK(cgym_keygen(other_private, other_public, 0));
  key_id_of(other_public, other_id);
  key_id_of(f.public_key, own_id);

  snprintf(fragment, sizeof fragment, "signature does not verify with key %s (file %s)",
           other_id, other_public);
  CHECK_ERROR(cgym_manifest_verify(f.manifest, other_public, NULL), CGYM_ESIGNATURE, fragment);
  CHECK_ERROR(cgym_manifest_verify(f.manifest, other_public, NULL), CGYM_ESIGNATURE,
              "the manifest was changed or signed with another key");
  CHECK_ERROR(cgym_manifest_verify(f.manifest, other_public, NULL), CGYM_ESIGNATURE, own_id);

  CHECK_ERROR(cgym_manifest_verify(f.manifest, missing, NULL), CGYM_ENOTFOUND, missing);
  CHECK_ERROR(cgym_manifest_verify(f.manifest, f.private_key, NULL), CGYM_EFORMAT,
              "contains a private key");

  json_t *predicate = small_predicate();
  char *second = cgym_test_path(f.dir, "second.json");
  CHECK_ERROR(cgym_manifest_write(second, missing, f.dir, subjects, 2, predicate),
              CGYM_ENOTFOUND, missing);
  CHECK_ERROR(cgym_manifest_write(second, f.public_key, f.dir, subjects, 2, predicate),
              CGYM_EFORMAT, "contains a public key");
  json_decref(predicate);

  free(second);
  free(other_private);
  free(other_public);
  free(missing);
  fixture_free(&f);
}

/* Several signatures may sit side by side; the one made with the given key counts. */
static void test_second_signature(void) {
  fixture f = fixture_make("manifest-cosign");
  char *other_private = cgym_test_path(f.dir, "other.pem");
  char *other_public = cgym_test_path(f.dir, "other.pub");
  char *cosigned = cgym_test_path(f.dir, "cosigned.json");
  unsigned char signature[CGYM_ED25519_SIGNATURE_SIZE];
  char other_id[65];
  EVP_PKEY *other_key = NULL;

  CHECK_OK(cgym_keygen(other_private, other_public, 0));
  CHECK_OK(cgym_key_load_private(other_private, &other_key));
  key_id_of(other_public, other_id);

  size_t size = 0;
  char *text = read_file(f.manifest, &size);
  json_t *envelope = json_loadb(text, size, 0, NULL);
  const char *payload = json_string_value(json_object_get(envelope, "payload"));
  json_t *first = json_array_get(json_object_get(envelope, "signatures"), 0);
  unsigned char *statement = NULL;
  size_t statement_size = 0;
  CHECK_OK(cgym_base64_decode(payload, strlen(payload), "payload", &statement, &statement_size));
  CHECK_OK(cgym_dsse_sign(other_key, CGYM_DSSE_PAYLOAD_TYPE, statement, statement_size,
                          signature));
  char *other_sig = cgym_base64_encode(signature, sizeof signature);

  cgym_dsse_signature entries[2] = {
    {.keyid = other_id, .sig = other_sig},
    {.keyid = json_string_value(json_object_get(first, "keyid")),
     .sig = json_string_value(json_object_get(first, "sig"))},
  };
  char *cosigned_text = NULL;
  size_t cosigned_size = 0;
  CHECK_OK(cgym_dsse_envelope_format(CGYM_DSSE_PAYLOAD_TYPE, payload, entries, 2, &cosigned_text,
                                     &cosigned_size));
  write_file(cosigned, cosigned_text, cosigned_size);

  cgym_manifest_verify_report report;
  CHECK_OK(cgym_manifest_verify(cosigned, f.public_key, &report));
  CHECK_STR_EQ(report.key_id, entries[1].keyid);
  cgym_manifest_verify_report_clear(&report);
  CHECK_OK(cgym_manifest_verify(cosigned, other_public, &report));
  CHECK_STR_EQ(report.key_id, other_id);
  cgym_manifest_verify_report_clear(&report);

  /* A signature listed under another key's id does not count. */
  entries[0].keyid = entries[1].keyid;
  entries[1].keyid = other_id;
  free(cosigned_text);
  CHECK_OK(cgym_dsse_envelope_format(CGYM_DSSE_PAYLOAD_TYPE, payload, entries, 2, &cosigned_text,
                                     &cosigned_size));
  write_file(cosigned, cosigned_text, cosigned_size);
  CHECK_ERROR(cgym_manifest_verify(cosigned, f.public_key, NULL), CGYM_ESIGNATURE,
              "signature does not verify");

  free(cosigned_text);
  free(other_sig);
  free(statement);
  json_decref(envelope);
  free(text);
  EVP_PKEY_free(other_key);
  free(other_private);
  free(other_public);
  free(cosigned);
  fixture_free(&f);
}

static void test_changed_and_missing_subject(void) {
  fixture f = fixture_make("manifest-subject");
  char *markdown_path = cgym_test_path(f.dir, "results.md");
  char expected[65], actual[65], fragment[300];

  CHECK_OK(cgym_sha256_file_named(markdown_path, "subject", expected));
  write_text(markdown_path, "# cgym results, edited\n");
  CHECK_OK(cgym_sha256_file_named(markdown_path, "subject", actual));

  snprintf(fragment, sizeof fragment, "subject results.md does not match the manifest: expected "
           "sha256 %s, actual %s", expected, actual);
  CHECK_ERROR(cgym_manifest_verify(f.manifest, f.public_key, NULL), CGYM_ESIGNATURE, fragment);

  remove(markdown_path);
  CHECK_ERROR(cgym_manifest_verify(f.manifest, f.public_key, NULL), CGYM_ENOTFOUND,
              "subject results.md: file");

  free(markdown_path);
  fixture_free(&f);
}

/* Signs statement text with payload type and checks that verification fails as expected. */
static void check_signed_payload(const fixture *f, const char *payload_type, const char *statement,
                                 int code, const char *fragment) {
  char *path = cgym_test_path(f->dir, "crafted.json");

  CHECK_OK(cgym_dsse_envelope_write(path, f->private_key, payload_type,
                                    (const unsigned char *)statement, strlen(statement)));
  CHECK_ERROR(cgym_manifest_verify(path, f->public_key, NULL), code, fragment);
  remove(path);
  free(path);
}

static void test_rejected_envelopes(void) {
  fixture f = fixture_make("manifest-format");
  const char *digest = "0000000000000000000000000000000000000000000000000000000000000000";
  char statement[1024];

  snprintf(statement, sizeof statement, "{\"_type\":\"https://in-toto.io/Statement/v1\","
           "\"subject\":[{\"name\":\"results.json\",\"digest\":{\"sha256\":\"%s\"}}],"
           "\"predicateType\":\"https://cgym.dev/run-manifest/v1\",\"predicate\":{}}", digest);
  check_signed_payload(&f, "application/json", statement, CGYM_EFORMAT,
                       "wrong payloadType \"application/json\"");
  check_signed_payload(&f, CGYM_DSSE_PAYLOAD_TYPE, statement, CGYM_ESIGNATURE,
                       "subject results.json does not match");

  snprintf(statement, sizeof statement, "{\"_type\":\"https://in-toto.io/Statement/v0.1\","
           "\"subject\":[{\"name\":\"results.json\",\"digest\":{\"sha256\":\"%s\"}}],"
           "\"predicateType\":\"https://cgym.dev/run-manifest/v1\",\"predicate\":{}}", digest);
  check_signed_payload(&f, CGYM_DSSE_PAYLOAD_TYPE, statement, CGYM_EFORMAT, "statement _type");

  snprintf(statement, sizeof statement, "{\"_type\":\"https://in-toto.io/Statement/v1\","
           "\"subject\":[{\"name\":\"results.json\",\"digest\":{\"sha256\":\"%s\"}}],"
           "\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}", digest);
  check_signed_payload(&f, CGYM_DSSE_PAYLOAD_TYPE, statement, CGYM_EFORMAT,
                       "predicateType \"https://slsa.dev/provenance/v1\" is unknown");

  const char *names[] = {"../results.json", "/etc/passwd", "a/./b", "a//b", ""};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(statement, sizeof statement, "{\"_type\":\"https://in-toto.io/Statement/v1\","
             "\"subject\":[{\"name\":\"%s\",\"digest\":{\"sha256\":\"%s\"}}],"
             "\"predicateType\":\"https://cgym.dev/run-manifest/v1\",\"predicate\":{}}",
             names[i], digest);
    check_signed_payload(&f, CGYM_DSSE_PAYLOAD_TYPE, statement, CGYM_EFORMAT, "subject");
  }
  check_signed_payload(&f, CGYM_DSSE_PAYLOAD_TYPE, "not json", CGYM_EFORMAT,
                       "the payload is not JSON");

  /* Hand-written envelopes that fail before any signature is checked. */
  char *path = cgym_test_path(f.dir, "crafted.json");
  write_text(path, "not json\n");
  CHECK_ERROR(cgym_manifest_verify(path, f.public_key, NULL), CGYM_EFORMAT, "is not JSON");
  write_text(path, "{\"payload\":\"\",\"signatures\":[]}\n");
  CHECK_ERROR(cgym_manifest_verify(path, f.public_key, NULL), CGYM_EFORMAT, "missing payloadType");
  write_text(path, "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30\","
                   "\"signatures\":[]}\n");
  CHECK_ERROR(cgym_manifest_verify(path, f.public_key, NULL), CGYM_EFORMAT,
              "payload is not canonical base64");
  write_text(path, "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\","
                   "\"signatures\":[]}\n");
  CHECK_ERROR(cgym_manifest_verify(path, f.public_key, NULL), CGYM_EFORMAT, "no signatures");
  char *missing = cgym_test_path(f.dir, "missing.json");
  CHECK_ERROR(cgym_manifest_verify(missing, f.public_key, NULL), CGYM_ENOTFOUND, missing);

  /* Subjects given to cgym_manifest_write must stay inside the folder. */
  json_t *predicate = small_predicate();
  const char *outside[] = {"../results.json"};
  CHECK_ERROR(cgym_manifest_write(path, f.private_key, f.dir, outside, 1, predicate), CGYM_EINVAL,
              "subject ../results.json");
  const char *twice[] = {"results.json", "results.json"};
  CHECK_ERROR(cgym_manifest_write(path, f.private_key, f.dir, twice, 2, predicate), CGYM_EINVAL,
              "listed twice");
  const char *absent[] = {"absent.json"};
  CHECK_ERROR(cgym_manifest_write(path, f.private_key, f.dir, absent, 1, predicate),
              CGYM_ENOTFOUND, "subject absent.json");
  json_decref(predicate);

  free(missing);
  free(path);
  fixture_free(&f);
}

int main(void) {
  test_sign_and_verify();
  test_same_predicate_same_bytes();
  test_every_byte_change_fails();
  test_wrong_and_missing_key();
  test_second_signature();
  test_changed_and_missing_subject();
  test_rejected_envelopes();
  return cgym_check_summary();
}
