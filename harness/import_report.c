/*
 * The comparison of an import: per row, the reward CompilerGym published beside the reward the
 * same flags give on LLVM 19, and the geometric means of both.
 *
 * Both rewards are IrInstructionCountOz episode rewards, (C0 - C_final) / (C0 - C_Oz); cgym
 * divides by max(C0 - C_Oz, 1) as CompilerGym's reward space does. The geometric means follow
 * the leaderboard's: rewards are clipped at 0, and, as in CompilerGym's geometric_mean, any
 * value that is then 0 makes the mean 0. A mean over no rows is null.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/import.h"

/* Which rows a geometric mean covers. */
typedef enum row_filter {
  FILTER_PUBLISHED, /* every row with a published reward, as the leaderboard computes it */
  FILTER_EXACT,     /* replayed rows with every flag mapped and a published reward */
  FILTER_REPLAYED,  /* replayed rows, partial ones included, with a published reward */
} row_filter;

typedef struct geomean {
  size_t rows;
  double published, llvm; /* NaN over no rows */
} geomean;

static int is_replayed(const cgym_import_row *row) {
  return row->status == CGYM_IMPORT_REPLAYED || row->status == CGYM_IMPORT_PARTIAL;
}

static int row_selected(const cgym_import_row *row, const char *folder, row_filter filter) {
  if (folder && (!row->folder || strcmp(row->folder, folder) != 0)) return 0;
  if (!row->csv->has_reward) return 0;
  if (filter == FILTER_EXACT) return row->status == CGYM_IMPORT_REPLAYED;
  if (filter == FILTER_REPLAYED) return is_replayed(row);
  return 1;
}

static geomean compute_geomean(const cgym_import *import, const char *folder, row_filter filter) {
  geomean mean = {0, 0.0, 0.0};
  int published_zero = 0, llvm_zero = 0;
  for (size_t i = 0; i < import->row_count; i++) {
    const cgym_import_row *row = &import->rows[i];
    if (!row_selected(row, folder, filter)) continue;
    mean.rows++;
    double published = row->csv->reward;
    double llvm = is_replayed(row) ? cgym_import_llvm_reward(row) : 1.0;
    published_zero |= !(published > 0.0);
    llvm_zero |= !(llvm > 0.0);
    mean.published += published > 0.0 ? log(published) : 0.0;
    mean.llvm += llvm > 0.0 ? log(llvm) : 0.0;
  }
  if (mean.rows == 0) return (geomean){0, NAN, NAN};
  mean.published = published_zero ? 0.0 : exp(mean.published / (double)mean.rows);
  mean.llvm = llvm_zero ? 0.0 : exp(mean.llvm / (double)mean.rows);
  return mean;
}

static json_t *number_or_null(double value) {
  return isnan(value) ? json_null() : json_real(value);
}

static json_t *count_or_null(int64_t value) {
  return value < 0 ? json_null() : json_integer((json_int_t)value);
}

static json_t *geomean_json(const cgym_import *import, const char *folder) {
  geomean published = compute_geomean(import, folder, FILTER_PUBLISHED);
  geomean exact = compute_geomean(import, folder, FILTER_EXACT);
  geomean replayed = compute_geomean(import, folder, FILTER_REPLAYED);
  return json_pack("{s:{s:I, s:o}, s:{s:I, s:o, s:o}, s:{s:I, s:o, s:o}}", "published_rows",
                   "rows", (json_int_t)published.rows, "published",
                   number_or_null(published.published), "replayed_exact", "rows",
                   (json_int_t)exact.rows, "published", number_or_null(exact.published),
                   "llvm19", number_or_null(exact.llvm), "replayed_with_partial", "rows",
                   (json_int_t)replayed.rows, "published", number_or_null(replayed.published),
                   "llvm19", number_or_null(replayed.llvm));
}

static json_t *row_json(const cgym_import_row *row) {
  json_t *actions = json_array(), *unmapped = json_array();
  for (size_t i = 0; i < row->csv->state->step_count; i++)
    json_array_append_new(actions, json_string(row->csv->state->steps[i].action));
  for (size_t i = 0; i < row->csv->unmapped_count; i++)
    json_array_append_new(unmapped, json_string(row->csv->unmapped[i]));

  double published = row->csv->has_reward ? row->csv->reward : NAN;
  double llvm = is_replayed(row) ? cgym_import_llvm_reward(row) : NAN;
  json_t *counts = row->folder ? json_pack("{s:o, s:o, s:o}", "c0", count_or_null(row->c0),
                                           "c_oz", count_or_null(row->c_oz), "c_final",
                                           count_or_null(row->c_final))
                               : json_null();
  return json_pack("{s:s, s:I, s:s, s:s, s:o, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                   "source", row->source->path, "row", (json_int_t)row->number, "benchmark",
                   row->csv->state->benchmark, "status", cgym_import_status_name(row->status),
                   "published_reward", number_or_null(published), "walltime",
                   row->csv->walltime, "actions", actions, "unmapped_flags", unmapped, "reason",
                   row->reason ? json_string(row->reason) : json_null(), "folder",
                   row->folder ? json_string(row->folder) : json_null(), "episode",
                   row->folder ? json_integer((json_int_t)row->episode_index) : json_null(),
                   "counts", counts, "llvm19_reward", number_or_null(llvm));
}

json_t *cgym_import_rows_json(const cgym_import *import, const char *folder) {
  size_t by_status[4] = {0};
  json_t *rows = json_array();
  for (size_t i = 0; rows && i < import->row_count; i++) {
    const cgym_import_row *row = &import->rows[i];
    if (folder && (!row->folder || strcmp(row->folder, folder) != 0)) continue;
    by_status[row->status]++;
    json_array_append_new(rows, row_json(row));
  }
  return json_pack("{s:{s:I, s:I, s:I, s:I}, s:o, s:o}", "summary", "replayed",
                   (json_int_t)by_status[CGYM_IMPORT_REPLAYED], "partial",
                   (json_int_t)by_status[CGYM_IMPORT_PARTIAL], "not_available",
                   (json_int_t)by_status[CGYM_IMPORT_NOT_AVAILABLE], "replay_failed",
                   (json_int_t)by_status[CGYM_IMPORT_REPLAY_FAILED], "geomean",
                   geomean_json(import, folder), "rows", rows);
}

json_t *cgym_import_sources_json(const cgym_import *import) {
  json_t *sources = json_array();
  for (size_t i = 0; sources && i < import->source_count; i++) {
    const cgym_import_source *source = &import->sources[i];
    json_array_append_new(sources, json_pack("{s:s, s:{s:s}, s:I}", "file", source->path,
                                             "digest", "sha256", source->sha256, "rows",
                                             (json_int_t)source->row_count));
  }
  return sources;
}
