/*
 * Suites: opening a built-in suite or a definition file, and the accessors of the public API.
 * Built-in definitions are compiled into the library (embed_suites.cmake), so their bytes, and
 * with them cgym_suite_definition_sha256, do not depend on any file on the machine.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "datasets/suite_internal.h"
#include "env/error_internal.h"

void cgym_string_list_clear(cgym_string_list *list) {
  for (size_t i = 0; i < list->count; i++) free(list->items[i]);
  free(list->items);
  list->items = NULL;
  list->count = 0;
}

static void free_archive(cgym_suite_archive *archive) {
  free(archive->id);
  free(archive->file);
  cgym_string_list_clear(&archive->urls);
  free(archive->debian_source);
  free(archive->debian_orig);
}

static void free_benchmark(cgym_suite_benchmark *benchmark) {
  free(benchmark->name);
  free(benchmark->root);
  cgym_string_list_clear(&benchmark->sources);
  cgym_string_list_clear(&benchmark->defines);
  cgym_string_list_clear(&benchmark->include_dirs);
  cgym_string_list_clear(&benchmark->cflags);
  cgym_run_spec_free(benchmark->run);
  free(benchmark->license);
}

void cgym_suite_free(cgym_suite *suite) {
  if (!suite) return;
  for (size_t i = 0; i < suite->archive_count; i++) free_archive(&suite->archives[i]);
  for (size_t i = 0; i < suite->benchmark_count; i++) free_benchmark(&suite->benchmarks[i]);
  free(suite->archives);
  free(suite->benchmarks);
  cgym_string_list_clear(&suite->cflags);
  cgym_string_list_clear(&suite->actions);
  free(suite->origin);
  free(suite->deprecated);
  free(suite->name);
  free(suite->version);
  free(suite->description);
  free(suite->license);
  free(suite->generator_tool);
  free(suite->manifest_root);
  free(suite->manifest_suffix);
  free(suite->folder);
  free(suite);
}

const char *const *cgym_builtin_suites(void) { return cgym_builtin_suite_names; }

static int is_folder(const char *path) {
  struct stat info;
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

static int is_path(const char *name) {
  size_t length = strlen(name);
  return strchr(name, '/') || (length > 5 && strcmp(name + length - 5, ".json") == 0);
}

/* Reads a definition file whole, refusing files above the named maximum before reading. */
static int read_definition(const char *path, char **out, size_t *size) {
  FILE *file = fopen(path, "rb");
  char *bytes = NULL;
  int rc = CGYM_OK;

  if (!file) {
    if (errno == ENOENT)
      return cgym_error_set(CGYM_ENOTFOUND, "suite definition %s not found", path);
    return cgym_error_set(CGYM_EIO, "cannot open suite definition %s: %s", path, strerror(errno));
  }

  bytes = malloc(CGYM_SUITE_MAX_DEFINITION_BYTES + 1);
  if (!bytes) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory reading suite definition %s", path);
    goto done;
  }
  size_t length = fread(bytes, 1, CGYM_SUITE_MAX_DEFINITION_BYTES + 1, file);
  if (ferror(file)) {
    rc = cgym_error_set(CGYM_EIO, "cannot read suite definition %s: %s", path, strerror(errno));
    goto done;
  }
  if (length > CGYM_SUITE_MAX_DEFINITION_BYTES) {
    rc = cgym_error_set(CGYM_ELIMIT, "suite definition %s is larger than the maximum of %d bytes",
                        path, CGYM_SUITE_MAX_DEFINITION_BYTES);
    goto done;
  }
  *out = bytes;
  *size = length;
  bytes = NULL;

done:
  free(bytes);
  fclose(file);
  return rc;
}

static int open_builtin(cgym_suite **out, const char *name) {
  char origin[CGYM_SUITE_MAX_NAME + 32];

  for (const cgym_builtin_suite *entry = cgym_builtin_suite_table; entry->name; entry++) {
    if (strcmp(entry->name, name) != 0) continue;
    snprintf(origin, sizeof origin, "built-in suite %s", entry->name);
    int rc = cgym_suite_parse(out, origin, (const char *)entry->bytes, entry->size);
    if (rc == CGYM_OK) (*out)->is_builtin = 1;
    return rc;
  }

  char list[1024] = "";
  for (const char *const *known = cgym_builtin_suites(); *known; known++) {
    if (*list) strncat(list, ", ", sizeof list - strlen(list) - 1);
    strncat(list, *known, sizeof list - strlen(list) - 1);
  }
  return cgym_error_set(CGYM_ENOTFOUND, "unknown suite \"%s\"; built-in suites are: %s (a "
                        "definition file is taken when the name contains '/' or ends in .json)",
                        name, list);
}

int cgym_suite_open(cgym_suite **out, const char *name_or_path) {
  char *bytes = NULL;
  size_t size = 0;

  if (!out || !name_or_path)
    return cgym_error_set(CGYM_EINVAL, "cgym_suite_open needs an output pointer and a name");
  *out = NULL;
  if (!is_path(name_or_path)) return open_builtin(out, name_or_path);
  if (is_folder(name_or_path)) return cgym_folder_suite_open(out, name_or_path);

  int rc = read_definition(name_or_path, &bytes, &size);
  if (rc == CGYM_OK) rc = cgym_suite_parse(out, name_or_path, bytes, size);
  free(bytes);
  return rc;
}

const char *cgym_suite_name(const cgym_suite *suite) { return suite ? suite->name : NULL; }

const char *cgym_suite_version(const cgym_suite *suite) {
  if (!suite) return NULL;
  return suite->version ? suite->version : "";
}

const char *cgym_suite_definition_sha256(const cgym_suite *suite) {
  return suite ? suite->definition_sha256 : NULL;
}

const char *const *cgym_suite_action_subset(const cgym_suite *suite, size_t *count) {
  if (count) *count = suite ? suite->actions.count : 0;
  if (!suite || suite->actions.count == 0) return NULL;
  return (const char *const *)suite->actions.items;
}
