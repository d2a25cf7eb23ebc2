/*
 * Extracted trees with their per-file content hashes (layout in tree.h). The file list is
 * written while the tree still has its temporary name, so a tree under a final name always has
 * one, and `cgym suites verify` can tell which file changed.
 */
#define _XOPEN_SOURCE 700 /* nftw */

#include "datasets/tree.h"

#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datasets/cache.h"
#include "datasets/extract.h"
#include "env/error_internal.h"

/* nftw passes no context, so the walk state is thread-local. */
static _Thread_local struct walk_state {
  size_t prefix_length; /* length of "TREE/src/" */
  json_t *files;        /* path -> digest, filled by the walk */
  int rc;
} walk;

/* The digest recorded for one entry: the SHA-256 of a regular file, "symlink:TARGET" for a link,
 * NULL for folders. Returns CGYM_OK with *out NULL for entries that carry no content. */
static int entry_digest(const char *path, const struct stat *info, char **out) {
  *out = NULL;
  if (S_ISLNK(info->st_mode)) {
    char target[PATH_MAX];
    ssize_t length = readlink(path, target, sizeof target - 1);
    if (length < 0)
      return cgym_error_set(CGYM_EIO, "cannot read link %s: %s", path, strerror(errno));
    target[length] = '\0';
    *out = cgym_format("symlink:%s", target);
  } else if (S_ISREG(info->st_mode)) {
    char digest[65];
    int rc = cgym_sha256_file(path, digest);
    if (rc != CGYM_OK) return rc;
    *out = strdup(digest);
  } else {
    return CGYM_OK;
  }
  return *out ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory hashing %s", path);
}

static int list_entry(const char *path, const struct stat *info, int type, struct FTW *ftw) {
  (void)type;
  (void)ftw;
  if (strlen(path) <= walk.prefix_length) return 0;
  char *digest = NULL;
  walk.rc = entry_digest(path, info, &digest);
  if (walk.rc != CGYM_OK) return 1;
  if (digest && json_object_set_new(walk.files, path + walk.prefix_length, json_string(digest)))
    walk.rc = cgym_error_set(CGYM_ENOMEM, "out of memory listing %s", path);
  free(digest);
  return walk.rc == CGYM_OK ? 0 : 1;
}

/* Hashes every entry under source into a new JSON object, path -> digest. */
static int hash_entries(const char *source, json_t **out) {
  walk.prefix_length = strlen(source) + 1;
  walk.files = json_object();
  walk.rc = walk.files ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory listing files");
  if (walk.rc == CGYM_OK && nftw(source, list_entry, 16, FTW_PHYS) != 0 && walk.rc == CGYM_OK)
    walk.rc = cgym_error_set(CGYM_EIO, "cannot walk %s: %s", source, strerror(errno));
  if (walk.rc != CGYM_OK) {
    json_decref(walk.files);
    walk.files = NULL;
  }
  *out = walk.files;
  walk.files = NULL;
  return walk.rc;
}

static int write_file_list(const char *folder) {
  char *source = cgym_format("%s/%s", folder, CGYM_TREE_SOURCE_FOLDER);
  char *list_path = cgym_format("%s/%s", folder, CGYM_TREE_FILE_LIST);
  json_t *files = NULL;
  json_t *document = NULL;

  int rc = source && list_path ? hash_entries(source, &files)
                               : cgym_error_set(CGYM_ENOMEM, "out of memory listing files");
  if (rc != CGYM_OK) goto done;
  document = json_pack("{s:s, s:O}", "schema", CGYM_TREE_SCHEMA, "files", files);
  if (!document || json_dump_file(document, list_path, JSON_SORT_KEYS | JSON_COMPACT) != 0)
    rc = cgym_error_set(CGYM_EIO, "cannot write %s", list_path);

done:
  json_decref(document);
  json_decref(files);
  free(source);
  free(list_path);
  return rc;
}

static char *parent_folder(const char *path) {
  char *parent = strdup(path);
  char *slash = parent ? strrchr(parent, '/') : NULL;
  if (slash && slash != parent) *slash = '\0';
  return parent;
}

int cgym_tree_extract(const char *archive_path, const char *label, const char *tree,
                      const cgym_extract_limits *limits) {
  char *parent = parent_folder(tree);
  char *temp = NULL;
  char *source = NULL;

  int rc = parent ? cgym_temp_dir(parent, &temp)
                  : cgym_error_set(CGYM_ENOMEM, "out of memory extracting %s", label);
  if (rc == CGYM_OK && !(source = cgym_format("%s/%s", temp, CGYM_TREE_SOURCE_FOLDER)))
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory extracting %s", label);
  if (rc == CGYM_OK) rc = cgym_extract_archive(archive_path, label, source, limits);
  if (rc == CGYM_OK) rc = write_file_list(temp);
  if (rc == CGYM_OK && rename(temp, tree) != 0)
    rc = cgym_error_set(CGYM_EIO, "cannot rename %s to %s: %s", temp, tree, strerror(errno));

  if (temp && rc != CGYM_OK) cgym_remove_tree(temp);
  free(source);
  free(temp);
  free(parent);
  return rc;
}

/* ---- verification ------------------------------------------------------------------------ */

static json_t *load_file_list(const char *tree, char **list_path) {
  struct stat info;
  *list_path = cgym_format("%s/%s", tree, CGYM_TREE_FILE_LIST);
  if (!*list_path || stat(*list_path, &info) != 0 || info.st_size > CGYM_TREE_MAX_LIST_BYTES)
    return NULL;
  json_t *document = json_load_file(*list_path, JSON_REJECT_DUPLICATES, NULL);
  const char *schema = json_string_value(json_object_get(document, "schema"));
  if (!schema || strcmp(schema, CGYM_TREE_SCHEMA) != 0 ||
      !json_is_object(json_object_get(document, "files"))) {
    json_decref(document);
    return NULL;
  }
  return document;
}

/* Reports every entry whose digest differs from recorded, and every entry of one side only. */
static int compare_lists(const char *source, json_t *recorded, json_t *actual,
                         cgym_verify_report *report) {
  const char *key;
  json_t *value;
  int rc = CGYM_OK;

  json_object_foreach(recorded, key, value) {
    const char *expected = json_string_value(value);
    const char *now = json_string_value(json_object_get(actual, key));
    char *path = cgym_format("%s/%s", source, key);
    if (!path) return cgym_error_set(CGYM_ENOMEM, "out of memory verifying %s", source);
    report->files_checked++;
    if (!now)
      rc = cgym_verify_report_add(report, "file", path, expected, NULL, "missing");
    else if (!expected || strcmp(expected, now) != 0)
      rc = cgym_verify_report_add(report, "file", path, expected, now, "content changed");
    free(path);
    if (rc != CGYM_OK) return rc;
  }
  json_object_foreach(actual, key, value) {
    if (json_object_get(recorded, key)) continue;
    char *path = cgym_format("%s/%s", source, key);
    rc = path ? cgym_verify_report_add(report, "file", path, NULL, json_string_value(value),
                                       "not in the file list")
              : cgym_error_set(CGYM_ENOMEM, "out of memory verifying %s", source);
    free(path);
    if (rc != CGYM_OK) return rc;
  }
  return CGYM_OK;
}

int cgym_tree_verify(const char *tree, cgym_verify_report *report) {
  char *list_path = NULL;
  char *source = cgym_format("%s/%s", tree, CGYM_TREE_SOURCE_FOLDER);
  json_t *document = load_file_list(tree, &list_path);
  json_t *actual = NULL;
  int rc = CGYM_OK;

  if (!source || !list_path) {
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory verifying %s", tree);
    goto done;
  }
  if (!document) {
    rc = cgym_verify_report_add(report, "tree", list_path, NULL, NULL,
                                "file list missing or invalid");
    goto done;
  }
  if (!cgym_path_exists(source)) {
    rc = cgym_verify_report_add(report, "tree", source, NULL, NULL, "missing");
    goto done;
  }
  rc = hash_entries(source, &actual);
  if (rc == CGYM_OK) rc = compare_lists(source, json_object_get(document, "files"), actual, report);

done:
  json_decref(actual);
  json_decref(document);
  free(source);
  free(list_path);
  return rc;
}
