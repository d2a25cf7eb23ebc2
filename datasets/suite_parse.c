/*
 * Suite definition parser. It reads a cgym-suite/v1 JSON document (docs/suite-format.md) into a
 * cgym_suite and validates every field on the way, so the fetcher and the builder can trust what
 * they get. Names are plain, paths stay inside their archive, digests are 64 hex digits, and no
 * list or string exceeds its named maximum. Each error names the definition, the JSON path of
 * the value (benchmarks[3].sources[0]) and what was expected.
 */
#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgym/actions.h"
#include "datasets/extract.h"
#include "datasets/fetch.h"
#include "datasets/suite_internal.h"
#include "datasets/suite_json.h"
#include "env/error_internal.h"
#include "env/sha256_internal.h"

/* ---- validators ------------------------------------------------------------------------- */

static const char *validate_name(const char *value) {
  if (!*value || value[0] == '.' || strlen(value) > CGYM_SUITE_MAX_NAME)
    return "a name of 1 to 128 characters from [A-Za-z0-9._-] that does not start with '.'";
  for (const char *c = value; *c; c++) {
    if (!isalnum((unsigned char)*c) && *c != '.' && *c != '_' && *c != '-')
      return "a name of 1 to 128 characters from [A-Za-z0-9._-] that does not start with '.'";
  }
  return NULL;
}

/* Accepts a relative path whose components are neither empty, "." nor "..", so joining it to
 * a folder can never leave that folder. */
static const char *validate_relative_path(const char *value) {
  static const char *expected = "a relative path without '..', '.' or empty components";

  if (!*value || value[0] == '/') return expected;
  const char *component = value;
  while (*component) {
    const char *end = strchr(component, '/');
    size_t length = end ? (size_t)(end - component) : strlen(component);
    if (length == 0) return expected;
    if (length == 1 && component[0] == '.') return expected;
    if (length == 2 && component[0] == '.' && component[1] == '.') return expected;
    for (size_t i = 0; i < length; i++) {
      if (iscntrl((unsigned char)component[i])) return "a path without control characters";
    }
    if (!end) break;
    component = end + 1;
    if (!*component) return expected;
  }
  return NULL;
}

const char *cgym_suite_check_relative_path(const char *value) {
  return validate_relative_path(value);
}

const char *cgym_suite_check_name(const char *value) {
  return validate_name(value);
}

static const char *validate_root(const char *value) {
  if (!*value || strcmp(value, ".") == 0) return NULL;
  return validate_relative_path(value);
}

static const char *validate_source(const char *value) {
  const char *problem = validate_relative_path(value);
  if (problem) return problem;
  size_t length = strlen(value);
  if (length < 3 || strcmp(value + length - 2, ".c") != 0) return "a C source file ending in .c";
  return NULL;
}

static const char *validate_file_name(const char *value) {
  if (validate_name(value)) return "a file name from [A-Za-z0-9._-] without '/'";
  return NULL;
}

static const char *validate_sha256(const char *value) {
  if (strlen(value) != 64) return "64 lowercase hex digits";
  for (const char *c = value; *c; c++) {
    if (!isdigit((unsigned char)*c) && !(*c >= 'a' && *c <= 'f')) return "64 lowercase hex digits";
  }
  return NULL;
}

const char *cgym_suite_check_sha256(const char *value) {
  return validate_sha256(value);
}

static const char *validate_url(const char *value) {
  if (strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0 &&
      strncmp(value, "ftp://", 6) != 0)
    return "an http://, https:// or ftp:// URL";
  for (const char *c = value; *c; c++) {
    if (isspace((unsigned char)*c) || iscntrl((unsigned char)*c))
      return "a URL without spaces or control characters";
  }
  return NULL;
}

/* A define is NAME or NAME=VALUE, as clang's -D takes it. */
static const char *validate_define(const char *value) {
  static const char *expected = "NAME or NAME=VALUE with NAME a C identifier";

  if (!isalpha((unsigned char)value[0]) && value[0] != '_') return expected;
  const char *c = value + 1;
  while (*c && *c != '=') {
    if (!isalnum((unsigned char)*c) && *c != '_') return expected;
    c++;
  }
  for (; *c; c++) {
    if (iscntrl((unsigned char)*c)) return "a define without control characters";
  }
  return NULL;
}

/* Compiler flags come from a file that may not be trusted as much as a build script, so flags
 * that load code into clang, read arguments from files or move the output are rejected. */
static const char *validate_cflag(const char *value) {
  static const char *const rejected_prefixes[] = {"-o", "-fplugin", "-load", "-plugin", "-Xlinker",
                                                  "-Wl,", "-B", "--config", "-fpass-plugin"};

  if (value[0] != '-' || value[1] == '\0') return "a flag starting with '-'";
  for (size_t i = 0; i < sizeof rejected_prefixes / sizeof rejected_prefixes[0]; i++) {
    if (strncmp(value, rejected_prefixes[i], strlen(rejected_prefixes[i])) == 0)
      return "a compile flag other than -o, -B, --config, -Wl, -Xlinker or a plugin flag";
  }
  for (const char *c = value; *c; c++) {
    if (iscntrl((unsigned char)*c)) return "a flag without control characters";
  }
  return NULL;
}

/* ---- sections --------------------------------------------------------------------------- */

static int parse_debian(const cgym_json_context *ctx, const json_t *object, const char *parent,
                        cgym_suite_archive *archive) {
  static const char *const keys[] = {"source", "orig", NULL};
  char path[CGYM_JSON_PATH_MAX];
  json_t *debian = json_object_get(object, "debian");

  cgym_json_join_path(path, parent, "debian");
  if (!debian) return CGYM_OK;
  if (!json_is_object(debian))
    return cgym_json_fail(ctx, path, "expected an object {source, orig}, got %s",
                          cgym_json_kind(debian));
  int rc = cgym_json_check_keys(ctx, debian, path, keys);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, debian, path, "source", 1, CGYM_SUITE_MAX_NAME, validate_name,
                              &archive->debian_source);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, debian, path, "orig", 1, CGYM_SUITE_MAX_NAME, validate_file_name,
                              &archive->debian_orig);
  return rc;
}

/* "limits" raises the extraction and download limits of one archive above the defaults of
 * extract.h and fetch.h, up to the hard maximums, so an archive as large as AnghaBench's is
 * accepted only where a definition declares it. */
static int parse_archive_limits(const cgym_json_context *ctx, const json_t *object,
                                const char *parent, cgym_suite_archive *archive) {
  static const char *const keys[] = {"entries", "bytes", "download", NULL};
  char path[CGYM_JSON_PATH_MAX];
  json_t *limits = json_object_get(object, "limits");

  cgym_json_join_path(path, parent, "limits");
  if (!limits) return CGYM_OK;
  if (!json_is_object(limits))
    return cgym_json_fail(ctx, path, "expected an object {entries, bytes, download}, got %s",
                cgym_json_kind(limits));
  int rc = cgym_json_check_keys(ctx, limits, path, keys);
  if (rc == CGYM_OK)
    rc = cgym_json_get_uint(ctx, limits, path, "entries", 0, CGYM_EXTRACT_HARD_MAX_ENTRIES,
                  &archive->max_entries);
  if (rc == CGYM_OK)
    rc = cgym_json_get_uint(ctx, limits, path, "bytes", 0, CGYM_EXTRACT_HARD_MAX_TOTAL_BYTES,
                  &archive->max_bytes);
  if (rc == CGYM_OK)
    rc = cgym_json_get_uint(ctx, limits, path, "download", 0, CGYM_DOWNLOAD_HARD_MAX_BYTES,
                  &archive->max_download);
  const char *zero = NULL;
  if (json_object_get(limits, "entries") && archive->max_entries == 0) zero = "entries";
  if (json_object_get(limits, "bytes") && archive->max_bytes == 0) zero = "bytes";
  if (json_object_get(limits, "download") && archive->max_download == 0) zero = "download";
  if (rc == CGYM_OK && zero) {
    char where[CGYM_JSON_PATH_MAX];
    cgym_json_join_path(where, path, zero);
    rc = cgym_json_fail(ctx, where, "expected at least 1, got 0");
  }
  return rc;
}

static int parse_archive(const cgym_json_context *ctx, const json_t *object, const char *path,
                         cgym_suite_archive *archive) {
  static const char *const keys[] = {"id", "file", "urls", "sha256", "size", "debian", "limits",
                                     NULL};
  char *sha256 = NULL;

  if (!json_is_object(object))
    return cgym_json_fail(ctx, path, "expected an object, got %s", cgym_json_kind(object));
  int rc = cgym_json_check_keys(ctx, object, path, keys);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, object, path, "id", 1, CGYM_SUITE_MAX_NAME, validate_name,
                              &archive->id);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, object, path, "file", 1, CGYM_SUITE_MAX_NAME, validate_file_name,
                              &archive->file);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string_list(ctx, object, path, "urls", 0, CGYM_SUITE_MAX_URLS, validate_url,
                                   &archive->urls);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, object, path, "sha256", 1, 64, validate_sha256, &sha256);
  if (rc == CGYM_OK) memcpy(archive->sha256, sha256, 65);
  free(sha256);
  if (rc == CGYM_OK)
    rc = cgym_json_get_uint(ctx, object, path, "size", 0, INT64_MAX, &archive->size);
  if (rc == CGYM_OK) rc = parse_debian(ctx, object, path, archive);
  if (rc == CGYM_OK) rc = parse_archive_limits(ctx, object, path, archive);
  return rc;
}

int cgym_suite_find_archive(const cgym_suite *suite, const char *id, size_t *index) {
  for (size_t i = 0; i < suite->archive_count; i++) {
    if (strcmp(suite->archives[i].id, id) == 0) {
      *index = i;
      return 1;
    }
  }
  return 0;
}

static int parse_benchmark(const cgym_json_context *ctx, const json_t *object, const char *path,
                           cgym_suite *suite, cgym_suite_benchmark *benchmark) {
  static const char *const keys[] = {"name",         "archive", "root",    "sources", "defines",
                                     "include_dirs", "cflags",  "license", "run",     NULL};
  char *archive_id = NULL;

  if (!json_is_object(object))
    return cgym_json_fail(ctx, path, "expected an object, got %s", cgym_json_kind(object));
  int rc = cgym_json_check_keys(ctx, object, path, keys);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, object, path, "name", 1, CGYM_SUITE_MAX_NAME, validate_name,
                              &benchmark->name);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, object, path, "archive", 1, CGYM_SUITE_MAX_NAME, validate_name,
                              &archive_id);
  if (rc == CGYM_OK && !cgym_suite_find_archive(suite, archive_id, &benchmark->archive)) {
    char where[CGYM_JSON_PATH_MAX];
    cgym_json_join_path(where, path, "archive");
    rc = cgym_json_fail(ctx, where, "expected the id of an entry in archives, got \"%s\"",
                        archive_id);
  }
  free(archive_id);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, object, path, "root", 1, CGYM_SUITE_MAX_STRING, validate_root,
                              &benchmark->root);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string_list(ctx, object, path, "sources", 1, CGYM_SUITE_MAX_LIST,
                                   validate_source, &benchmark->sources);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string_list(ctx, object, path, "defines", 0, CGYM_SUITE_MAX_LIST,
                                   validate_define, &benchmark->defines);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string_list(ctx, object, path, "include_dirs", 0, CGYM_SUITE_MAX_LIST,
                                   validate_root, &benchmark->include_dirs);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string_list(ctx, object, path, "cflags", 0, CGYM_SUITE_MAX_LIST,
                                   validate_cflag, &benchmark->cflags);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, object, path, "license", 1, CGYM_SUITE_MAX_STRING, NULL,
                              &benchmark->license);
  if (rc == CGYM_OK && json_object_get(object, "run")) {
    char where[CGYM_JSON_PATH_MAX];
    cgym_json_join_path(where, path, "run");
    rc = cgym_run_spec_parse(ctx, json_object_get(object, "run"), where, suite, benchmark->archive,
                             &benchmark->run);
  }
  return rc;
}

static int parse_archives(const cgym_json_context *ctx, const json_t *root, cgym_suite *suite) {
  json_t *array;
  int rc = cgym_json_get_array(ctx, root, "archives", CGYM_SUITE_MAX_ARCHIVES, &array);
  if (rc != CGYM_OK) return rc;

  suite->archives = calloc(json_array_size(array), sizeof *suite->archives);
  if (!suite->archives) return cgym_error_set(CGYM_ENOMEM, "out of memory reading archives");
  for (size_t i = 0; i < json_array_size(array); i++) {
    char path[CGYM_JSON_PATH_MAX];
    cgym_json_index_path(path, "archives", i);
    suite->archive_count++;
    rc = parse_archive(ctx, json_array_get(array, i), path, &suite->archives[i]);
    if (rc != CGYM_OK) return rc;
    for (size_t j = 0; j < i; j++) {
      if (strcmp(suite->archives[j].id, suite->archives[i].id) == 0)
        return cgym_json_fail(ctx, path, "duplicate archive id \"%s\" (also archives[%zu])",
                              suite->archives[i].id, j);
    }
  }
  return CGYM_OK;
}

static int parse_benchmarks(const cgym_json_context *ctx, const json_t *root, cgym_suite *suite) {
  json_t *array;
  int rc = cgym_json_get_array(ctx, root, "benchmarks", CGYM_SUITE_MAX_BENCHMARKS, &array);
  if (rc != CGYM_OK) return rc;

  suite->benchmarks = calloc(json_array_size(array), sizeof *suite->benchmarks);
  if (!suite->benchmarks) return cgym_error_set(CGYM_ENOMEM, "out of memory reading benchmarks");
  for (size_t i = 0; i < json_array_size(array); i++) {
    char path[CGYM_JSON_PATH_MAX];
    cgym_json_index_path(path, "benchmarks", i);
    suite->benchmark_count++;
    rc = parse_benchmark(ctx, json_array_get(array, i), path, suite, &suite->benchmarks[i]);
    if (rc != CGYM_OK) return rc;
    for (size_t j = 0; j < i; j++) {
      if (strcmp(suite->benchmarks[j].name, suite->benchmarks[i].name) == 0)
        return cgym_json_fail(ctx, path, "duplicate benchmark name \"%s\" (also benchmarks[%zu])",
                              suite->benchmarks[i].name, j);
    }
  }
  return CGYM_OK;
}

/* Checks every name in "actions" against the pass action space. The message of
 * cgym_action_space_find (the unknown name and its suggestion) is kept and prefixed with the
 * definition and the JSON path. */
static int check_actions(const cgym_json_context *ctx, const cgym_suite *suite) {
  const cgym_action_space *space = cgym_action_space_passes();

  for (size_t i = 0; i < suite->actions.count; i++) {
    size_t index;
    int rc = cgym_action_space_find(space, suite->actions.items[i], &index);
    if (rc == CGYM_OK) continue;
    char reason[1024];
    snprintf(reason, sizeof reason, "%s", cgym_error_message());
    return cgym_error_set(rc, "suite definition %s: actions[%zu]: %s", ctx->origin, i, reason);
  }
  return CGYM_OK;
}

/* Largest seed of a generator tool: csmith takes any 32-bit seed, llvm-stress one below 2^32 - 1
 * as in CompilerGym. */
static uint64_t generator_max_seed(const char *tool) {
  return strcmp(tool, "llvm-stress") == 0 ? CGYM_LLVM_STRESS_MAX_SEED : CGYM_GENERATOR_MAX_SEED;
}

static int parse_generator(const cgym_json_context *ctx, const json_t *root, cgym_suite *suite) {
  static const char *const keys[] = {"tool", "first_seed", "count", NULL};
  json_t *generator = json_object_get(root, "generator");

  if (!json_is_object(generator))
    return cgym_json_fail(ctx, "generator", "expected an object {tool, first_seed, count}, got %s",
                          cgym_json_kind(generator));
  int rc = cgym_json_check_keys(ctx, generator, "generator", keys);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, generator, "generator", "tool", 1, CGYM_SUITE_MAX_NAME,
                              validate_name, &suite->generator_tool);
  if (rc == CGYM_OK && strcmp(suite->generator_tool, "csmith") != 0 &&
      strcmp(suite->generator_tool, "llvm-stress") != 0)
    rc = cgym_json_fail(ctx, "generator.tool", "expected \"csmith\" or \"llvm-stress\", got \"%s\"",
                        suite->generator_tool);
  if (rc == CGYM_OK)
    rc = cgym_json_get_uint(ctx, generator, "generator", "first_seed", 1,
                            generator_max_seed(suite->generator_tool), &suite->first_seed);
  if (rc == CGYM_OK)
    rc = cgym_json_get_uint(ctx, generator, "generator", "count", 1, CGYM_GENERATOR_MAX_COUNT,
                            &suite->seed_count);
  if (rc == CGYM_OK && suite->seed_count == 0)
    rc = cgym_json_fail(ctx, "generator.count", "expected at least 1, got 0");
  suite->is_generator = 1;
  return rc;
}

/* A suffix is '.' and 1 to 15 characters from [A-Za-z0-9_+-], such as ".bc", ".c" or ".txt". */
static const char *validate_manifest_suffix(const char *value) {
  static const char *expected = "'.' and 1 to 15 characters from [A-Za-z0-9_+-], such as \".bc\"";
  size_t length = strlen(value);

  if (value[0] != '.' || length < 2 || length > 16) return expected;
  for (const char *c = value + 1; *c; c++) {
    if (!isalnum((unsigned char)*c) && *c != '_' && *c != '+' && *c != '-') return expected;
  }
  return NULL;
}

/* Resolves object[key], an archive id, to its index in suite->archives. */
static int get_archive_index(const cgym_json_context *ctx, const json_t *object, const char *parent,
                             const char *key, const cgym_suite *suite, size_t *index) {
  char path[CGYM_JSON_PATH_MAX];
  char *id = NULL;

  cgym_json_join_path(path, parent, key);
  int rc = cgym_json_get_string(ctx, object, parent, key, 1, CGYM_SUITE_MAX_NAME, validate_name, &id);
  if (rc == CGYM_OK && !cgym_suite_find_archive(suite, id, index))
    rc = cgym_json_fail(ctx, path, "expected the id of an entry in archives, got \"%s\"", id);
  free(id);
  return rc;
}

static int get_bool(const cgym_json_context *ctx, const json_t *object, const char *parent,
                    const char *key, int *out) {
  char path[CGYM_JSON_PATH_MAX];
  json_t *value = json_object_get(object, key);

  cgym_json_join_path(path, parent, key);
  *out = 0;
  if (!value) return CGYM_OK;
  if (!json_is_boolean(value))
    return cgym_json_fail(ctx, path, "expected true or false, got %s", cgym_json_kind(value));
  *out = json_is_true(value);
  return CGYM_OK;
}

/* "build" names how a line's file becomes bitcode. Without it, ".bc" files are copied and any
 * other suffix is compiled with the suite's recipe. */
static int parse_manifest_build(const cgym_json_context *ctx, const json_t *manifest,
                                cgym_suite *suite) {
  static const struct {
    const char *name;
    cgym_manifest_build build;
  } builds[] = {{"copy", CGYM_MANIFEST_COPY}, {"compile", CGYM_MANIFEST_COMPILE},
                {"poj104", CGYM_MANIFEST_POJ104}, {"opencl", CGYM_MANIFEST_OPENCL}};
  char *build = NULL;

  int rc = cgym_json_get_string(ctx, manifest, "manifest", "build", 0, CGYM_SUITE_MAX_NAME, NULL, &build);
  if (rc != CGYM_OK) return rc;
  if (!build) {
    int bitcode = strcmp(suite->manifest_suffix, ".bc") == 0;
    suite->manifest_build = bitcode ? CGYM_MANIFEST_COPY : CGYM_MANIFEST_COMPILE;
    return CGYM_OK;
  }
  for (size_t i = 0; i < sizeof builds / sizeof builds[0]; i++) {
    if (strcmp(build, builds[i].name) == 0) {
      suite->manifest_build = builds[i].build;
      free(build);
      return CGYM_OK;
    }
  }
  rc = cgym_json_fail(ctx, "manifest.build", "expected \"copy\", \"compile\", \"poj104\" or \"opencl\", "
            "got \"%s\"", build);
  free(build);
  return rc;
}

/* "opencl" names the two extra archives that build "opencl" needs, and only it. */
static int parse_manifest_opencl(const cgym_json_context *ctx, const json_t *manifest,
                                 cgym_suite *suite) {
  static const char *const keys[] = {"libclc", "header", NULL};
  json_t *opencl = json_object_get(manifest, "opencl");
  int wanted = suite->manifest_build == CGYM_MANIFEST_OPENCL;

  if (!opencl && !wanted) return CGYM_OK;
  if (!opencl)
    return cgym_json_fail(ctx, "manifest.opencl", "missing; build \"opencl\" expects an object {libclc, "
                "header} naming two archives");
  if (!wanted)
    return cgym_json_fail(ctx, "manifest.opencl", "expected only with \"build\": \"opencl\"");
  if (!json_is_object(opencl))
    return cgym_json_fail(ctx, "manifest.opencl", "expected an object {libclc, header}, got %s",
                cgym_json_kind(opencl));
  int rc = cgym_json_check_keys(ctx, opencl, "manifest.opencl", keys);
  if (rc == CGYM_OK)
    rc = get_archive_index(ctx, opencl, "manifest.opencl", "libclc", suite,
                           &suite->manifest_libclc);
  if (rc == CGYM_OK)
    rc = get_archive_index(ctx, opencl, "manifest.opencl", "header", suite,
                           &suite->manifest_header);
  if (rc == CGYM_OK && (suite->manifest_libclc == suite->manifest_archive ||
                        suite->manifest_libclc == suite->manifest_list))
    rc = cgym_json_fail(ctx, "manifest.opencl.libclc", "expected an archive other than manifest.archive "
              "and manifest.list");
  if (rc == CGYM_OK && (suite->manifest_header == suite->manifest_archive ||
                        suite->manifest_header == suite->manifest_list ||
                        suite->manifest_header == suite->manifest_libclc))
    rc = cgym_json_fail(ctx, "manifest.opencl.header", "expected an archive other than manifest.archive, "
              "manifest.list and manifest.opencl.libclc");
  return rc;
}

static int parse_manifest_count(const cgym_json_context *ctx, const json_t *manifest,
                                cgym_suite *suite) {
  int rc = cgym_json_get_uint(ctx, manifest, "manifest", "count", 0, CGYM_MANIFEST_MAX_BENCHMARKS,
                    &suite->manifest_count);
  if (rc == CGYM_OK && json_object_get(manifest, "count") && suite->manifest_count == 0)
    rc = cgym_json_fail(ctx, "manifest.count", "expected at least 1, got 0");
  return rc;
}

static int parse_manifest(const cgym_json_context *ctx, const json_t *root, cgym_suite *suite) {
  static const char *const keys[] = {"archive", "list", "root", "suffix", "count", "build",
                                     "lazy", "opencl", NULL};
  json_t *manifest = json_object_get(root, "manifest");

  suite->is_manifest = 1;
  if (!json_is_object(manifest))
    return cgym_json_fail(ctx, "manifest",
                          "expected an object {archive, list, root, suffix, count}, got %s",
                          cgym_json_kind(manifest));
  int rc = cgym_json_check_keys(ctx, manifest, "manifest", keys);
  if (rc == CGYM_OK)
    rc = get_archive_index(ctx, manifest, "manifest", "archive", suite, &suite->manifest_archive);
  if (rc == CGYM_OK)
    rc = get_archive_index(ctx, manifest, "manifest", "list", suite, &suite->manifest_list);
  if (rc == CGYM_OK && suite->manifest_archive == suite->manifest_list)
    rc = cgym_json_fail(ctx, "manifest.list", "expected another archive than manifest.archive");
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, manifest, "manifest", "root", 1, CGYM_SUITE_MAX_STRING,
                              validate_root, &suite->manifest_root);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, manifest, "manifest", "suffix", 1, CGYM_SUITE_MAX_NAME,
                    validate_manifest_suffix, &suite->manifest_suffix);
  if (rc == CGYM_OK) rc = parse_manifest_count(ctx, manifest, suite);
  if (rc == CGYM_OK) rc = parse_manifest_build(ctx, manifest, suite);
  if (rc == CGYM_OK) rc = parse_manifest_opencl(ctx, manifest, suite);
  if (rc == CGYM_OK) rc = get_bool(ctx, manifest, "manifest", "lazy", &suite->manifest_lazy);
  return rc;
}

/* "deprecated" marks a suite that `cgym suites list` hides unless given --all. Its text names
 * what to use instead. */
static int parse_deprecation(const cgym_json_context *ctx, const json_t *root, cgym_suite *suite) {
  int rc = cgym_json_get_string(ctx, root, "", "deprecated", 0, CGYM_SUITE_MAX_STRING, NULL,
                      &suite->deprecated);
  if (rc == CGYM_OK && suite->deprecated && !*suite->deprecated)
    rc = cgym_json_fail(ctx, "deprecated", "expected a note saying what to use instead, got \"\"");
  return rc;
}

static int parse_header(const cgym_json_context *ctx, const json_t *root, cgym_suite *suite) {
  char *schema = NULL;
  int rc = cgym_json_get_string(ctx, root, "", "schema", 1, CGYM_SUITE_MAX_NAME, NULL, &schema);
  if (rc == CGYM_OK && strcmp(schema, CGYM_SUITE_SCHEMA) != 0)
    rc = cgym_json_fail(ctx, "schema", "expected \"%s\", got \"%s\"", CGYM_SUITE_SCHEMA, schema);
  free(schema);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, root, "", "name", 1, CGYM_SUITE_MAX_NAME, validate_name,
                              &suite->name);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, root, "", "version", 0, CGYM_SUITE_MAX_NAME, NULL,
                              &suite->version);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, root, "", "description", 0, CGYM_SUITE_MAX_STRING, NULL,
                              &suite->description);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string(ctx, root, "", "license", 0, CGYM_SUITE_MAX_STRING, NULL,
                              &suite->license);
  return rc;
}

static int parse_document(const cgym_json_context *ctx, const json_t *root, cgym_suite *suite) {
  static const char *const source_keys[] = {"schema", "name", "version", "description", "license",
                                            "deprecated", "cflags", "actions", "archives",
                                            "benchmarks", NULL};
  static const char *const manifest_keys[] = {"schema", "name", "version", "description",
                                              "license", "deprecated", "cflags", "actions",
                                              "archives", "manifest", NULL};
  static const char *const generator_keys[] = {"schema", "name", "version", "description",
                                               "license", "deprecated", "actions", "generator",
                                               NULL};

  if (!json_is_object(root))
    return cgym_json_fail(ctx, "(top level)", "expected an object, got %s", cgym_json_kind(root));
  int rc = parse_header(ctx, root, suite);
  if (rc == CGYM_OK) rc = parse_deprecation(ctx, root, suite);
  if (rc != CGYM_OK) return rc;

  int generator = json_object_get(root, "generator") != NULL;
  int manifest = json_object_get(root, "manifest") != NULL;
  const char *const *keys = source_keys;
  if (generator) keys = generator_keys;
  else if (manifest) keys = manifest_keys;
  rc = cgym_json_check_keys(ctx, root, "", keys);
  if (rc == CGYM_OK)
    rc = cgym_json_get_string_list(ctx, root, "", "actions", 0, CGYM_SUITE_MAX_ACTIONS, NULL,
                                   &suite->actions);
  if (rc == CGYM_OK) rc = check_actions(ctx, suite);
  if (rc != CGYM_OK) return rc;
  if (generator) return parse_generator(ctx, root, suite);

  suite->has_cflags = json_object_get(root, "cflags") != NULL;
  rc = cgym_json_get_string_list(ctx, root, "", "cflags", 0, CGYM_SUITE_MAX_LIST, validate_cflag,
                                 &suite->cflags);
  if (rc == CGYM_OK) rc = parse_archives(ctx, root, suite);
  if (rc == CGYM_OK && manifest) return parse_manifest(ctx, root, suite);
  if (rc == CGYM_OK) rc = parse_benchmarks(ctx, root, suite);
  return rc;
}

int cgym_suite_parse(cgym_suite **out, const char *origin, const char *bytes, size_t size) {
  cgym_json_context ctx = {origin};
  json_error_t error;
  cgym_suite *suite = NULL;
  json_t *root = NULL;
  int rc;

  *out = NULL;
  if (size > CGYM_SUITE_MAX_DEFINITION_BYTES)
    return cgym_error_set(CGYM_ELIMIT, "suite definition %s has %zu bytes, more than the maximum "
                          "of %d", origin, size, CGYM_SUITE_MAX_DEFINITION_BYTES);

  root = json_loadb(bytes, size, JSON_REJECT_DUPLICATES, &error);
  if (!root) {
    rc = cgym_error_set(CGYM_EFORMAT, "suite definition %s: invalid JSON at line %d, column %d: %s",
                        origin, error.line, error.column, error.text);
    goto done;
  }

  suite = calloc(1, sizeof *suite);
  if (!suite || !(suite->origin = strdup(origin))) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory reading suite definition %s", origin);
    goto done;
  }
  rc = cgym_sha256_hex(bytes, size, suite->definition_sha256);
  if (rc == CGYM_OK) rc = parse_document(&ctx, root, suite);
  if (rc == CGYM_OK) {
    *out = suite;
    suite = NULL;
  }

done:
  cgym_suite_free(suite);
  json_decref(root);
  return rc;
}
