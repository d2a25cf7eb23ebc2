/*
 * Compares two run folders for determinism: results.json must be equal once every
 * "wall_seconds" is dropped, and the manifests' predicates must be equal once "environment"
 * (timestamps and host) is dropped. Exits 0 when equal, 1 with the first difference otherwise.
 * Usage: run_compare DIR_A DIR_B
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void drop_key(json_t *value, const char *key) {
  if (json_is_object(value)) {
    json_object_del(value, key);
    const char *name;
    json_t *child;
    json_object_foreach(value, name, child) drop_key(child, key);
  } else if (json_is_array(value)) {
    size_t index;
    json_t *child;
    json_array_foreach(value, index, child) drop_key(child, key);
  }
}

static json_t *load(const char *dir, const char *name) {
  char path[4096];
  json_error_t error;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  json_t *value = json_load_file(path, 0, &error);
  if (!value) fprintf(stderr, "run_compare: cannot read %s: %s\n", path, error.text);
  return value;
}

static json_t *predicate_of(const char *dir) {
  json_t *envelope = load(dir, "manifest.dsse.json");
  const char *payload = envelope ? json_string_value(json_object_get(envelope, "payload")) : NULL;
  if (!payload) {
    json_decref(envelope);
    return NULL;
  }
  size_t length = strlen(payload);
  unsigned char *decoded = malloc(length + 1);
  int size = EVP_DecodeBlock(decoded, (const unsigned char *)payload, (int)length);
  while (size > 0 && length > 0 && payload[--length] == '=') size--;
  json_error_t error;
  json_t *statement = size >= 0 ? json_loadb((const char *)decoded, (size_t)size, 0, &error) : NULL;
  json_t *predicate = statement ? json_incref(json_object_get(statement, "predicate")) : NULL;
  free(decoded);
  json_decref(statement);
  json_decref(envelope);
  return predicate;
}

static int compare(const char *what, json_t *a, json_t *b) {
  if (!a || !b) return 1;
  if (json_equal(a, b)) return 0;
  char *text_a = json_dumps(a, JSON_INDENT(1));
  char *text_b = json_dumps(b, JSON_INDENT(1));
  size_t at = 0;
  while (text_a[at] && text_a[at] == text_b[at]) at++;
  size_t from = at > 200 ? at - 200 : 0;
  fprintf(stderr, "run_compare: %s differ near:\n--- A\n%.400s\n--- B\n%.400s\n", what,
          text_a + from, text_b + from);
  free(text_a);
  free(text_b);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: run_compare DIR_A DIR_B\n");
    return 2;
  }
  json_t *results_a = load(argv[1], "results.json"), *results_b = load(argv[2], "results.json");
  drop_key(results_a, "wall_seconds");
  drop_key(results_b, "wall_seconds");
  json_t *predicate_a = predicate_of(argv[1]), *predicate_b = predicate_of(argv[2]);
  drop_key(predicate_a, "environment");
  drop_key(predicate_b, "environment");

  int failed = compare("results.json", results_a, results_b);
  failed |= compare("manifest predicates", predicate_a, predicate_b);
  json_decref(results_a);
  json_decref(results_b);
  json_decref(predicate_a);
  json_decref(predicate_b);
  if (!failed) printf("run_compare: equal apart from wall times, timestamps and host\n");
  return failed;
}
