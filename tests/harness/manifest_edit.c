/*
 * Test helper: rewrites a manifest's predicate and signs it again with the given private key, as
 * a forger who holds the key would. Usage:
 *   manifest_edit MANIFEST PRIVATE_KEY counts EPISODE      add 1 to episodes[EPISODE].counts.c_final
 *   manifest_edit MANIFEST PRIVATE_KEY truncate EPISODE    drop the last action of that episode
 *   manifest_edit MANIFEST PRIVATE_KEY suite DIGEST        set suite.definition_digest.sha256
 *   manifest_edit MANIFEST PRIVATE_KEY schema1             rewrite as schema version 1
 * The subjects results.json and results.md next to the manifest are signed as they are.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/error.h"
#include "manifests/manifest.h"

static json_t *episode_at(json_t *predicate, const char *index) {
  return json_array_get(json_object_get(predicate, "episodes"), (size_t)strtoul(index, NULL, 10));
}

static int edit(json_t *predicate, const char *what, const char *argument) {
  if (strcmp(what, "counts") == 0) {
    json_t *counts = json_object_get(episode_at(predicate, argument), "counts");
    json_int_t final = json_integer_value(json_object_get(counts, "c_final"));
    return json_object_set_new(counts, "c_final", json_integer(final + 1));
  }
  if (strcmp(what, "truncate") == 0) {
    json_t *actions = json_object_get(episode_at(predicate, argument), "actions");
    if (json_array_size(actions) == 0) return -1;
    return json_array_remove(actions, json_array_size(actions) - 1);
  }
  if (strcmp(what, "suite") == 0) {
    json_t *digest = json_object_get(json_object_get(predicate, "suite"), "definition_digest");
    return json_object_set_new(digest, "sha256", json_string(argument));
  }
  if (strcmp(what, "schema1") == 0) {
    /* The first schema had no episodes, no selection or source and no LLVM details. */
    json_object_set_new(predicate, "schema_version", json_integer(1));
    json_object_del(predicate, "episodes");
    json_object_del(json_object_get(predicate, "suite"), "selection");
    json_object_del(json_object_get(predicate, "suite"), "source");
    json_object_del(json_object_get(predicate, "environment"), "episode_wall_seconds");
    json_object_del(json_object_get(predicate, "llvm"), "library_version");
    json_object_del(json_object_get(predicate, "llvm"), "target_triple");
    return 0;
  }
  return -1;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: manifest_edit MANIFEST PRIVATE_KEY counts|truncate|suite|schema1 "
                    "[ARGUMENT]\n");
    return 2;
  }
  json_t *predicate = NULL;
  if (cgym_manifest_read_predicate(argv[1], &predicate) != CGYM_OK) {
    fprintf(stderr, "manifest_edit: %s\n", cgym_error_message());
    return 1;
  }
  if (edit(predicate, argv[3], argc > 4 ? argv[4] : "0") != 0) {
    fprintf(stderr, "manifest_edit: cannot apply %s\n", argv[3]);
    json_decref(predicate);
    return 1;
  }
  const char *subjects[] = {"results.json", "results.md"};
  int rc = cgym_manifest_write(argv[1], argv[2], NULL, subjects, 2, predicate);
  json_decref(predicate);
  if (rc != CGYM_OK) fprintf(stderr, "manifest_edit: %s\n", cgym_error_message());
  return rc == CGYM_OK ? 0 : 1;
}
