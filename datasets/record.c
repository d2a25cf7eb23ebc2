/*
 * Build-time records of benchmarks (format in record.h): LLVM 19 parses and verifies each built
 * module once, and the outcome is stored with the bitcode.
 */
#include "datasets/record.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgym/env.h"
#include "datasets/cache.h"
#include "datasets/datasets.h"
#include "env/error_internal.h"

char *cgym_record_path(const char *bitcode_path) {
  size_t length = strlen(bitcode_path);
  if (length < 3 || strcmp(bitcode_path + length - 3, ".bc") != 0) return NULL;
  return cgym_format("%.*s.json", (int)(length - 3), bitcode_path);
}

void cgym_record_clear(cgym_record *record) {
  free(record->excluded);
  memset(record, 0, sizeof *record);
}

static int exclude(cgym_record *record, const char *reason) {
  record->excluded = strndup(reason, CGYM_RECORD_MAX_REASON);
  return record->excluded ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory");
}

int cgym_record_check(const char *uri, const char *bitcode_path, cgym_record *record) {
  cgym_env *env = NULL;

  memset(record, 0, sizeof *record);
  int rc = cgym_sha256_file(bitcode_path, record->sha256);
  if (rc == CGYM_OK) rc = cgym_env_create(&env, NULL);
  if (rc == CGYM_OK) rc = cgym_env_reset(env, uri, bitcode_path);
  if (rc == CGYM_EPARSE || rc == CGYM_ELLVM || rc == CGYM_ELIMIT) {
    record->sha256[0] = '\0';
    rc = exclude(record, cgym_error_message());
  } else if (rc == CGYM_OK) {
    rc = cgym_env_baselines(env, &record->instructions_o0, &record->instructions_oz);
  }
  cgym_env_free(env);
  return rc;
}

static json_t *record_document(const char *uri, const cgym_record *record) {
  if (record->excluded)
    return json_pack("{s:s, s:s, s:s}", "schema", CGYM_RECORD_SCHEMA, "uri", uri, "excluded",
                     record->excluded);
  return json_pack("{s:s, s:s, s:s, s:I, s:I}", "schema", CGYM_RECORD_SCHEMA, "uri", uri,
                   "sha256", record->sha256, "instructions_o0", (json_int_t)record->instructions_o0,
                   "instructions_oz", (json_int_t)record->instructions_oz);
}

int cgym_record_write(const char *path, const char *uri, const cgym_record *record) {
  char *folder = strdup(path);
  char *temp = NULL;
  int fd = -1;
  json_t *document = record_document(uri, record);

  char *slash = folder ? strrchr(folder, '/') : NULL;
  int rc = slash && document ? CGYM_OK
                             : cgym_error_set(CGYM_ENOMEM, "out of memory recording %s", uri);
  if (rc == CGYM_OK) {
    *slash = '\0';
    rc = cgym_temp_file(folder, &temp, &fd);
  }
  if (rc == CGYM_OK && (json_dumpfd(document, fd, JSON_SORT_KEYS) != 0 || fsync(fd) != 0))
    rc = cgym_error_set(CGYM_EIO, "cannot write %s: %s", temp, strerror(errno));
  if (rc == CGYM_OK && rename(temp, path) != 0)
    rc = cgym_error_set(CGYM_EIO, "cannot rename %s to %s: %s", temp, path, strerror(errno));

  if (fd >= 0) close(fd);
  if (temp && rc != CGYM_OK) unlink(temp);
  json_decref(document);
  free(temp);
  free(folder);
  return rc;
}

static int malformed(const char *path, const char *what) {
  return cgym_error_set(CGYM_EFORMAT, "benchmark record %s: %s; remove it and fetch the suite "
                        "again", path, what);
}

/* Copies the fields of a parsed document into record. */
static int read_fields(const char *path, json_t *document, cgym_record *record) {
  const char *excluded = json_string_value(json_object_get(document, "excluded"));
  if (excluded) return exclude(record, excluded);

  const char *digest = json_string_value(json_object_get(document, "sha256"));
  json_t *o0 = json_object_get(document, "instructions_o0");
  json_t *oz = json_object_get(document, "instructions_oz");
  if (!digest || strlen(digest) != 64 || !json_is_integer(o0) || !json_is_integer(oz))
    return malformed(path, "expected sha256, instructions_o0 and instructions_oz or excluded");
  memcpy(record->sha256, digest, 65);
  record->instructions_o0 = json_integer_value(o0);
  record->instructions_oz = json_integer_value(oz);
  return CGYM_OK;
}

int cgym_record_read(const char *path, const char *uri, cgym_record *record) {
  struct stat info;

  memset(record, 0, sizeof *record);
  if (lstat(path, &info) != 0)
    return cgym_error_set(CGYM_ENOTFOUND, "benchmark record %s not found", path);
  if (!S_ISREG(info.st_mode) || info.st_size > CGYM_RECORD_MAX_BYTES)
    return malformed(path, "not a regular file of at most 64 KiB");

  json_t *document = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
  const char *schema = json_string_value(json_object_get(document, "schema"));
  const char *recorded_uri = json_string_value(json_object_get(document, "uri"));
  int rc;
  if (!schema || strcmp(schema, CGYM_RECORD_SCHEMA) != 0)
    rc = malformed(path, "expected schema " CGYM_RECORD_SCHEMA);
  else if (uri && (!recorded_uri || strcmp(recorded_uri, uri) != 0))
    rc = malformed(path, "the record names another benchmark");
  else
    rc = read_fields(path, document, record);
  json_decref(document);
  if (rc != CGYM_OK) cgym_record_clear(record);
  return rc;
}
