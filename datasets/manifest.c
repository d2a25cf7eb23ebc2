/*
 * Manifest files. libarchive's raw format reads a compressed file that is no archive, so the
 * same filters that extract archives decompress the manifest. The whole text is read before
 * any line is used, bounded by CGYM_MANIFEST_MAX_BYTES.
 */
#include "datasets/manifest.h"

#include <archive.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/build.h"
#include "env/error_internal.h"

#define READ_BLOCK_BYTES (64 * 1024)

/* Appends the decompressed bytes of the open reader to *text, NUL-terminated. */
static int read_text(struct archive *reader, const char *label, char **text) {
  size_t used = 0;
  size_t capacity = READ_BLOCK_BYTES;
  char *buffer = malloc(capacity + 1);

  if (!buffer) return cgym_error_set(CGYM_ENOMEM, "out of memory reading manifest %s", label);
  for (;;) {
    if (capacity - used < READ_BLOCK_BYTES) {
      char *grown = realloc(buffer, 2 * capacity + 1);
      if (!grown) {
        free(buffer);
        return cgym_error_set(CGYM_ENOMEM, "out of memory reading manifest %s", label);
      }
      buffer = grown;
      capacity *= 2;
    }
    la_ssize_t count = archive_read_data(reader, buffer + used, READ_BLOCK_BYTES);
    if (count < 0) {
      int rc = cgym_error_set(CGYM_EARCHIVE, "manifest %s cannot be decompressed: %s", label,
                              archive_error_string(reader));
      free(buffer);
      return rc;
    }
    if (count == 0) break;
    used += (size_t)count;
    if (used > CGYM_MANIFEST_MAX_BYTES) {
      free(buffer);
      return cgym_error_set(CGYM_ELIMIT, "manifest %s is larger than the maximum of %d bytes "
                            "once decompressed", label, CGYM_MANIFEST_MAX_BYTES);
    }
  }
  buffer[used] = '\0';
  *text = buffer;
  return CGYM_OK;
}

static int decompress(const char *path, const char *label, char **text) {
  struct archive *reader = archive_read_new();
  struct archive_entry *entry;
  int rc;

  if (!reader) return cgym_error_set(CGYM_ENOMEM, "out of memory reading manifest %s", label);
  archive_read_support_filter_all(reader);
  archive_read_support_format_raw(reader);
  if (archive_read_open_filename(reader, path, READ_BLOCK_BYTES) != ARCHIVE_OK ||
      archive_read_next_header(reader, &entry) != ARCHIVE_OK)
    rc = cgym_error_set(CGYM_EARCHIVE, "manifest %s cannot be decompressed: %s", label,
                        archive_error_string(reader));
  else
    rc = read_text(reader, label, text);
  archive_read_free(reader);
  return rc;
}

/* Splits text into lines (taking "\r\n" as a line end too) and checks each. */
static int split_lines(char *text, const char *label, cgym_string_list *lines) {
  size_t number = 0;

  for (char *line = text; *line;) {
    char *end = strchr(line, '\n');
    char *next = end ? end + 1 : line + strlen(line);
    if (end) *end = '\0';
    size_t length = strlen(line);
    if (length > 0 && line[length - 1] == '\r') line[--length] = '\0';
    number++;
    if (length > 0) {
      const char *problem = cgym_suite_check_relative_path(line);
      if (!problem && length > CGYM_SUITE_MAX_STRING) problem = "at most 1024 bytes";
      if (problem)
        return cgym_error_set(CGYM_EFORMAT, "manifest %s, line %zu: expected %s, got \"%.200s\"",
                              label, number, problem, line);
      if (lines->count == CGYM_MANIFEST_MAX_BENCHMARKS)
        return cgym_error_set(CGYM_ELIMIT, "manifest %s lists more than the maximum of %d "
                              "benchmarks", label, CGYM_MANIFEST_MAX_BENCHMARKS);
      int rc = cgym_string_list_append(lines, line);
      if (rc != CGYM_OK) return rc;
    }
    line = next;
  }
  return CGYM_OK;
}

int cgym_manifest_read(const char *path, const char *label, cgym_string_list *lines) {
  char *text = NULL;

  int rc = decompress(path, label, &text);
  if (rc == CGYM_OK) rc = split_lines(text, label, lines);
  if (rc != CGYM_OK) cgym_string_list_clear(lines);
  free(text);
  return rc;
}
