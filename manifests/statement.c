/*
 * The in-toto Statement v1 inside the envelope: subjects (result files by SHA-256, named relative
 * to the manifest's folder) and the run predicate.
 *
 * The statement is serialised compactly in insertion order, so the same subjects and predicate
 * give the same bytes, and Ed25519 signatures are deterministic (RFC 8032), so the same key then
 * gives the same manifest bytes.
 */
#include "manifests/manifest_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"

int cgym_subject_name_check(const char *name, int code) {
  size_t length = strlen(name);

  if (length == 0) return cgym_error_set(code, "a subject name is empty");
  if (length > CGYM_SUBJECT_NAME_MAX)
    return cgym_error_set(code, "subject name of %zu bytes is longer than the maximum of %d",
                          length, CGYM_SUBJECT_NAME_MAX);
  if (name[0] == '/')
    return cgym_error_set(code, "subject %s is an absolute path; subjects are named relative to "
                          "the manifest's folder", name);

  /* Walk the components: "", "." and ".." would make two names for one file or leave the
   * folder. */
  const char *component = name;
  while (component) {
    const char *slash = strchr(component, '/');
    size_t size = slash ? (size_t)(slash - component) : strlen(component);
    if (size == 0 || (size == 1 && component[0] == '.') ||
        (size == 2 && component[0] == '.' && component[1] == '.'))
      return cgym_error_set(code, "subject %s has an empty, \".\" or \"..\" component; subjects "
                            "are plain relative paths inside the manifest's folder", name);
    component = slash ? slash + 1 : NULL;
  }
  return CGYM_OK;
}

/* Builds {"name": NAME, "digest": {"sha256": HEX}} for one subject file under base_dir. */
static int subject_to_json(const char *base_dir, const char *name, json_t **out) {
  char digest[65];
  char label[CGYM_SUBJECT_NAME_MAX + 16];

  int rc = cgym_subject_name_check(name, CGYM_EINVAL);
  if (rc != CGYM_OK) return rc;

  size_t path_size = strlen(base_dir) + strlen(name) + 2;
  char *path = malloc(path_size);
  if (!path) return cgym_error_set(CGYM_ENOMEM, "out of memory hashing subject %s", name);
  snprintf(path, path_size, "%s/%s", base_dir, name);
  snprintf(label, sizeof label, "subject %s", name);
  rc = cgym_sha256_file_named(path, label, digest);
  free(path);
  if (rc != CGYM_OK) return rc;

  *out = json_pack("{s:s, s:{s:s}}", "name", name, "digest", "sha256", digest);
  if (!*out)
    return cgym_error_set(CGYM_EINVAL, "subject %s cannot be stored: its name is not valid UTF-8",
                          name);
  return CGYM_OK;
}

static int subjects_to_json(const char *base_dir, const char *const *subjects, size_t count,
                            json_t *list) {
  for (size_t i = 0; i < count; i++) {
    if (!subjects[i]) return cgym_error_set(CGYM_EINVAL, "subject %zu is NULL", i);
    for (size_t j = 0; j < i; j++)
      if (strcmp(subjects[i], subjects[j]) == 0)
        return cgym_error_set(CGYM_EINVAL, "subject %s is listed twice", subjects[i]);

    json_t *subject = NULL;
    int rc = subject_to_json(base_dir, subjects[i], &subject);
    if (rc != CGYM_OK) return rc;
    if (json_array_append_new(list, subject) != 0)
      return cgym_error_set(CGYM_ENOMEM, "out of memory building the statement");
  }
  return CGYM_OK;
}

int cgym_statement_build(const char *base_dir, const char *const *subjects, size_t subject_count,
                         json_t *predicate, char **bytes, size_t *size) {
  json_t *list = json_array(), *statement = NULL;

  int rc = list ? subjects_to_json(base_dir, subjects, subject_count, list)
                : cgym_error_set(CGYM_ENOMEM, "out of memory building the statement");
  if (rc != CGYM_OK) {
    json_decref(list);
    return rc;
  }

  /* "O" takes a new reference to the caller's predicate, which stays borrowed. */
  statement = json_pack("{s:s, s:o, s:s, s:O}", "_type", CGYM_STATEMENT_TYPE, "subject", list,
                        "predicateType", CGYM_PREDICATE_TYPE, "predicate", predicate);
  *bytes = statement ? json_dumps(statement, JSON_COMPACT) : NULL;
  json_decref(statement);
  if (!*bytes) return cgym_error_set(CGYM_ENOMEM, "out of memory serialising the statement");

  *size = strlen(*bytes);
  return CGYM_OK;
}

static int check_subject(const char *manifest_path, json_t *subject, size_t index) {
  json_t *name = json_object_get(subject, "name");
  json_t *digest = json_object_get(json_object_get(subject, "digest"), "sha256");

  if (!json_is_string(name))
    return cgym_error_set(CGYM_EFORMAT, "%s: statement subject[%zu] has no string name",
                          manifest_path, index);
  int rc = cgym_subject_name_check(json_string_value(name), CGYM_EFORMAT);
  if (rc != CGYM_OK) return rc;

  const char *hex = json_string_value(digest);
  size_t hex_length = hex ? strlen(hex) : 0;
  if (hex_length != 64 || strspn(hex, "0123456789abcdef") != 64)
    return cgym_error_set(CGYM_EFORMAT, "%s: statement subject %s has no digest.sha256 of 64 "
                          "lowercase hex digits", manifest_path, json_string_value(name));
  return CGYM_OK;
}

/* Checks _type, predicateType, subject and predicate of a parsed statement. */
static int check_statement(const char *manifest_path, json_t *statement) {
  const char *type = json_string_value(json_object_get(statement, "_type"));
  const char *predicate_type = json_string_value(json_object_get(statement, "predicateType"));
  json_t *subjects = json_object_get(statement, "subject");

  if (!json_is_object(statement))
    return cgym_error_set(CGYM_EFORMAT, "%s: the payload is not a JSON object", manifest_path);
  if (!type || strcmp(type, CGYM_STATEMENT_TYPE) != 0)
    return cgym_error_set(CGYM_EFORMAT, "%s: statement _type is %s%s%s, expected \"%s\" (in-toto "
                          "Statement v1)", manifest_path, type ? "\"" : "", type ? type : "missing",
                          type ? "\"" : "", CGYM_STATEMENT_TYPE);
  if (!predicate_type || strcmp(predicate_type, CGYM_PREDICATE_TYPE) != 0)
    return cgym_error_set(CGYM_EFORMAT, "%s: predicateType %s%s%s is unknown, expected \"%s\"",
                          manifest_path, predicate_type ? "\"" : "",
                          predicate_type ? predicate_type : "missing", predicate_type ? "\"" : "",
                          CGYM_PREDICATE_TYPE);
  if (!json_is_array(subjects) || json_array_size(subjects) == 0)
    return cgym_error_set(CGYM_EFORMAT, "%s: statement has no subject list", manifest_path);
  if (!json_is_object(json_object_get(statement, "predicate")))
    return cgym_error_set(CGYM_EFORMAT, "%s: statement has no predicate object", manifest_path);

  for (size_t i = 0; i < json_array_size(subjects); i++) {
    int rc = check_subject(manifest_path, json_array_get(subjects, i), i);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

int cgym_statement_parse(const char *manifest_path, const unsigned char *bytes, size_t size,
                         json_t **statement) {
  json_error_t error;

  *statement = json_loadb((const char *)bytes, size, JSON_REJECT_DUPLICATES, &error);
  if (!*statement)
    return cgym_error_set(CGYM_EFORMAT, "%s: the payload is not JSON: %s at line %d column %d",
                          manifest_path, error.text, error.line, error.column);

  int rc = check_statement(manifest_path, *statement);
  if (rc != CGYM_OK) {
    json_decref(*statement);
    *statement = NULL;
  }
  return rc;
}
