/*
 * The POJ-104 build step (poj104.h). The rewritten program is written to a temporary folder next
 * to the bitcode, compiled from there and removed, so the cache never contains a half-written file
 * and the extracted tree stays as the archive delivered it.
 */
#include "datasets/poj104.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/cache.h"
#include "env/error_internal.h"
#include "env/file_io.h"

static const char header[] = "#include <bits/stdc++.h>\n"
                             "using namespace std;\n"
                             "#define LEN 128\n"
                             "#define MAX_LENGTH 1024\n"
                             "#define MAX 1024\n";

/* Appends length bytes to buffer at *used. The caller sizes buffer for the worst case. */
static void append(char *buffer, size_t *used, const char *bytes, size_t length) {
  memcpy(buffer + *used, bytes, length);
  *used += length;
}

int cgym_poj104_rewrite(const char *source, size_t size, char **out, size_t *out_size) {
  /* Rule 2 turns 5 bytes into 8 and rule 1 turns 9 into 8, so the body grows to at most 8/5
   * of its size, plus the 4 bytes of rule 3. */
  size_t capacity = sizeof header + 2 * size + 8;
  char *text = malloc(capacity);
  size_t used = 0;

  if (!text) return cgym_error_set(CGYM_ENOMEM, "out of memory rewriting a POJ-104 program");
  append(text, &used, header, sizeof header - 1);
  size_t body = used;
  for (size_t i = 0; i < size;) {
    if (size - i >= 9 && memcmp(source + i, "void main", 9) == 0) {
      append(text, &used, "int main", 8);
      i += 9;
    } else if (size - i >= 5 && memcmp(source + i, "\nmain", 5) == 0) {
      append(text, &used, "int main", 8);
      i += 5;
    } else {
      text[used++] = source[i++];
    }
  }
  /* Rule 3 looks at the text after rules 1 and 2, as CompilerGym applies it last. */
  if (used - body >= 4 && memcmp(text + body, "main", 4) == 0) {
    memmove(text + body + 4, text + body, used - body);
    memcpy(text + body, "int ", 4);
    used += 4;
  }
  text[used] = '\0';
  *out = text;
  *out_size = used;
  return CGYM_OK;
}

static int read_program(const char *uri, const char *path, char **text, size_t *size) {
  int rc = cgym_file_read_all(path, CGYM_POJ104_MAX_SOURCE_BYTES, "POJ-104 program", text, size);
  if (rc == CGYM_ELIMIT || rc == CGYM_ENOTFOUND) {
    char reason[1024];
    snprintf(reason, sizeof reason, "%s", cgym_error_message());
    return cgym_error_set(CGYM_EBUILD, "building %s: %s", uri, reason);
  }
  if (rc == CGYM_OK && strlen(*text) != *size) {
    free(*text);
    *text = NULL;
    return cgym_error_set(CGYM_EBUILD, "building %s: %s contains a NUL byte", uri, path);
  }
  return rc;
}

static char *folder_of(const char *path) {
  char *folder = strdup(path);
  char *slash = folder ? strrchr(folder, '/') : NULL;
  if (slash) *slash = '\0';
  return folder;
}

int cgym_poj104_build(const cgym_build_tools *tools, const char *uri, const char *path,
                      const cgym_string_list *flags, const char *output) {
  char *program = NULL, *rewritten = NULL, *temp = NULL, *source = NULL;
  char *folder = folder_of(output);
  size_t size = 0, rewritten_size = 0;

  int rc = folder ? read_program(uri, path, &program, &size)
                  : cgym_error_set(CGYM_ENOMEM, "out of memory building %s", uri);
  if (rc == CGYM_OK) rc = cgym_poj104_rewrite(program, size, &rewritten, &rewritten_size);
  if (rc == CGYM_OK) rc = cgym_temp_dir(folder, &temp);
  if (rc == CGYM_OK && !(source = cgym_format("%s/source.cc", temp)))
    rc = cgym_error_set(CGYM_ENOMEM, "out of memory building %s", uri);
  if (rc == CGYM_OK) rc = cgym_file_write_atomic(source, rewritten, rewritten_size, 0644, 1);
  if (rc == CGYM_OK) {
    char *items[1] = {"source.cc"};
    cgym_string_list sources = {items, 1};
    cgym_build_request request = {uri, temp, &sources, flags, output};
    rc = cgym_build_module(tools, &request);
  }

  if (temp) cgym_remove_tree(temp);
  free(source);
  free(temp);
  free(rewritten);
  free(program);
  free(folder);
  return rc;
}
