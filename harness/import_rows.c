/*
 * The rows of an import: one per data row of every CSV, in the order read, each with its
 * benchmark URI split into scheme, suite and name the way CompilerGym reads URIs. A URI without
 * a scheme means benchmark:// ("cbench-v1/qsort" is "benchmark://cbench-v1/qsort"), and a query
 * or fragment ("?dataset=2") selects run-time inputs, which instruction counts do not depend on,
 * so it is left out of the name.
 */
#include "harness/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/error_internal.h"

const char *cgym_import_status_name(cgym_import_status status) {
  switch (status) {
  case CGYM_IMPORT_REPLAYED: return "replayed";
  case CGYM_IMPORT_PARTIAL: return "partial";
  case CGYM_IMPORT_REPLAY_FAILED: return "replay_failed";
  case CGYM_IMPORT_NOT_AVAILABLE: break;
  }
  return "not_available";
}

static char *copy_span(const char *start, size_t length) {
  char *text = malloc(length + 1);
  if (!text) return NULL;
  memcpy(text, start, length);
  text[length] = '\0';
  return text;
}

static char *copy_text(const char *format, const char *value) {
  int length = snprintf(NULL, 0, format, value);
  char *text = length >= 0 ? malloc((size_t)length + 1) : NULL;
  if (text) snprintf(text, (size_t)length + 1, format, value);
  return text;
}

/* Splits the row's URI into scheme, suite and name, or sets the reason it is malformed. */
static int split_uri(cgym_import_row *row) {
  const char *uri = row->csv->state->benchmark;
  const char *separator = strstr(uri, "://");
  const char *rest = separator ? separator + 3 : uri;
  size_t scheme_length = separator ? (size_t)(separator - uri) : strlen("benchmark");
  size_t rest_length = strcspn(rest, "?#");
  const char *slash = memchr(rest, '/', rest_length);

  if (!slash || slash == rest || slash + 1 == rest + rest_length || scheme_length == 0) {
    row->reason = copy_text("malformed benchmark URI '%s': expected benchmark://SUITE/NAME or "
                            "generator://SUITE/SEED", uri);
    return row->reason ? CGYM_OK : cgym_error_set(CGYM_ENOMEM, "out of memory reading URIs");
  }

  row->scheme = copy_span(separator ? uri : "benchmark", scheme_length);
  row->suite = copy_span(rest, (size_t)(slash - rest));
  row->name = copy_span(slash + 1, (size_t)(rest + rest_length - slash - 1));
  if (!row->scheme || !row->suite || !row->name)
    return cgym_error_set(CGYM_ENOMEM, "out of memory reading URIs");
  return CGYM_OK;
}

int cgym_import_collect_rows(cgym_import *import) {
  size_t total = 0;
  for (size_t s = 0; s < import->source_count; s++) total += import->sources[s].row_count;
  import->rows = calloc(total ? total : 1, sizeof *import->rows);
  if (!import->rows) return cgym_error_set(CGYM_ENOMEM, "out of memory for %zu rows", total);

  for (size_t s = 0; s < import->source_count; s++) {
    const cgym_import_source *source = &import->sources[s];
    for (size_t i = 0; i < source->row_count; i++) {
      cgym_import_row *row = &import->rows[import->row_count++];
      *row = (cgym_import_row){
          .source = source,
          .csv = &source->rows[i],
          .number = i + 1,
          .status = CGYM_IMPORT_NOT_AVAILABLE,
          .c0 = -1,
          .c_oz = -1,
          .c_final = -1,
      };
      int rc = split_uri(row);
      if (rc != CGYM_OK) return rc;
    }
  }
  return CGYM_OK;
}

double cgym_import_llvm_reward(const cgym_import_row *row) {
  int64_t scale = row->c0 - row->c_oz;
  return (double)(row->c0 - row->c_final) / (double)(scale > 1 ? scale : 1);
}

void cgym_import_free(cgym_import *import) {
  if (!import) return;
  for (size_t i = 0; i < import->row_count; i++) {
    cgym_import_row *row = &import->rows[i];
    free(row->scheme);
    free(row->suite);
    free(row->name);
    free(row->reason);
    free(row->folder);
  }
  free(import->rows);
  for (size_t s = 0; s < import->source_count; s++)
    cgym_csv_rows_free(import->sources[s].rows, import->sources[s].row_count);
  free(import->sources);
  memset(import, 0, sizeof *import);
}
